"""Reading input files safely: size limits, encodings (UTF-8, cp874), the number grammar, checksums."""

from __future__ import annotations

import codecs
import errno
import hashlib
import math
import os
import re
import stat
import unicodedata
from pathlib import Path

from selector.errors import Problem
from selector.i18n import N_, _

MAX_INPUT_BYTES = 256 * 1024 * 1024
"""Largest scenario CSV or settings TOML that is read (256 MiB: some 2.5 million units)."""


def read_input_bytes(path: str | Path, name: str, limit: int = MAX_INPUT_BYTES) -> tuple[bytes | None, list[Problem]]:
    """The bytes of ``path``, or (None, [problem]) when it cannot be read or is larger than ``limit``.

    The one way every command opens a file it reads (scenario CSV, settings TOML, schedules,
    baselines, progress files, JSON records). The file is opened without blocking and checked to
    be a regular file on the open descriptor before a byte is read, so a FIFO, a device such as
    ``/dev/zero`` or a socket is refused at once (never read or hashed until memory runs out), and
    a file swapped between the check and the read cannot slip through. The size is taken from
    ``fstat`` first, so an oversized file is never loaded into memory; at most ``limit + 1``
    bytes are read if it grows meanwhile.
    """
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0))
    except OSError as exc:
        return None, [open_problem(name, exc)]
    try:
        with os.fdopen(fd, "rb") as f:
            info = os.fstat(f.fileno())
            if not stat.S_ISREG(info.st_mode):  # a device or pipe has no size to check and may never end
                return None, [Problem(name, None, None, _("is not a regular file (a {kind})", kind=_file_kind(info.st_mode)),
                                      _("give the path of a CSV or TOML file"))]
            size = info.st_size
            if size <= limit:
                data = f.read(limit + 1)  # the file may have grown since fstat
                if len(data) <= limit:
                    return data, []
                size = len(data)
    except OSError as exc:
        return None, [open_problem(name, exc)]
    return None, [Problem(name, None, None,
                          _("is {size} MiB, over the limit of {limit} MiB for an input file",
                            size=f"{size / 2**20:,.0f}", limit=f"{limit / 2**20:,.0f}"),
                          _("check that this is the right file; split a scenario this large into several"))]


def _file_kind(mode: int) -> str:
    for test, kind in ((stat.S_ISDIR, N_("folder")), (stat.S_ISFIFO, N_("named pipe")), (stat.S_ISCHR, N_("device")),
                       (stat.S_ISBLK, N_("device")), (stat.S_ISSOCK, N_("socket"))):
        if test(mode):
            return _(kind)
    return _("special file")


def open_problem(name: str, exc: OSError) -> Problem:
    """The problem of a file that cannot be opened, in words a planner understands."""
    if exc.errno == errno.ENOENT:
        return Problem(name, None, None, _("does not exist"), _("check the path"))
    if exc.errno == errno.ELOOP:
        return Problem(name, None, None, _("is a symbolic link that points back to itself (a link loop)"),
                       _("point the link at the real file, or give the file's own path"))
    if exc.errno == errno.EISDIR:
        return Problem(name, None, None, _("is a folder, not a file"), _("give the path of a file inside it"))
    return Problem(name, None, None, _("cannot be read ({reason})", reason=exc.strerror or exc), _("check the path"))


def read_input_text(path: str | Path, name: str) -> tuple[str | None, list[Problem]]:
    """The UTF-8 text (a BOM allowed) of a small input file read through ``read_input_bytes``."""
    raw, problems = read_input_bytes(path, name)
    if raw is None:
        return None, problems
    try:
        return raw.decode("utf-8-sig"), []
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        return None, [Problem(name, line, None, _("is not UTF-8 text"), _("save the file as UTF-8"))]


_THAI_DIGITS = str.maketrans("๐๑๒๓๔๕๖๗๘๙", "0123456789")
_NUMBER = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$")
_GROUPED = re.compile(r"^[+-]?\d{1,3}(,\d{3})+(\.\d+)?$")
_SPREADSHEET_ERROR = re.compile(r"^#(N/A|VALUE!|REF!|DIV/0!|NAME\?|NUM!|NULL!|SPILL!|CALC!|GETTING_DATA)$", re.IGNORECASE)


def sha256_of(path: str | Path) -> str:
    """The SHA-256 of an input file, read through ``read_input_bytes`` (so a FIFO or a device is
    refused before any hashing); ``OSError`` when it cannot be read."""
    raw, problems = read_input_bytes(path, str(path))
    if raw is None:
        raise OSError(problems[0].message)
    return hashlib.sha256(raw).hexdigest()


# ---------------------------------------------------------------------------------------------
# Reading the CSV


THAI_WINDOWS = "cp874"
"""Thai Windows' code page (a superset of TIS-620): what Excel's plain "CSV" gives on a Thai Windows PC."""


def plausible_thai(text: str) -> bool:
    """True when ``text`` looks like Thai read with the right code page.

    Every non-ASCII character must be Thai (U+0E00-U+0E7F) or common punctuation, and every Thai
    vowel or tone mark written above or below must follow a Thai character: text in another
    language read as cp874 gives marks after Latin letters, spaces or digits.
    """
    previous = ""
    seen_thai = False
    for ch in text:
        code = ord(ch)
        if 0x0E00 <= code <= 0x0E7F:
            seen_thai = True
            if unicodedata.category(ch) == "Mn" and not ("\u0e00" <= previous <= "\u0e7f"):
                return False
        elif code > 0x7F and ch not in "\u00a0\u2013\u2014\u2018\u2019\u201c\u201d\u2022\u2026\u20ac":
            return False
        previous = ch
    return seen_thai


def _mislabelled(raw: bytes, codec: str) -> str | None:
    """Why ``raw`` is evidently not in ``codec`` although it decodes (wrong codecs rarely fail), or None."""
    if raw.isascii() or codec == "utf-8":
        return None
    try:
        raw.decode("utf-8-sig")
        return _("is UTF-8")
    except UnicodeDecodeError:
        pass
    if codec not in (THAI_WINDOWS, "tis-620", "iso8859-11"):
        try:
            if plausible_thai(raw.decode(THAI_WINDOWS)):
                return _("reads as Thai in cp874 (Thai Windows)")
        except UnicodeDecodeError:
            pass
    return None


def _save_as_csv() -> str:
    """The fix for a file Excel saved in another format (made when used, in the current language)."""
    return _("in Excel choose File > Save As > 'CSV UTF-8 (Comma delimited)'")


def _give_encoding() -> str:
    return _("leave out --encoding to detect it, or give the encoding the file was saved in")


def decode_text(raw: bytes, name: str, encoding: str | None = None) -> tuple[str | None, list[Problem]]:
    """The file's text: UTF-8 (with or without BOM), else Thai Windows cp874 when that reads as Thai.

    ``encoding`` forces a codec (e.g. ``cp874``, ``tis-620``, ``utf-8``) instead of detecting one.
    """
    if raw[:4] == b"PK\x03\x04":
        return None, [Problem(name, None, None, _("is an Excel workbook (.xlsx), not a CSV file"), _save_as_csv())]
    if raw[:5] == b"%PDF-":
        return None, [Problem(name, None, None, _("is a PDF document, not a CSV file"),
                              _("give the CSV export of the sheet ('CSV UTF-8 (Comma delimited)')"))]
    if raw[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1":
        return None, [Problem(name, None, None, _("is an old Excel workbook (.xls), not a CSV file"), _save_as_csv())]
    if encoding is None and raw[:2] in (b"\xff\xfe", b"\xfe\xff"):
        return None, [Problem(name, None, None, _("is UTF-16 text ('Unicode Text' in Excel), not UTF-8"), _save_as_csv())]
    if encoding is not None:
        try:
            info = codecs.lookup(encoding)
            if not getattr(info, "_is_text_encoding", True):  # rot13, base64, zlib...: codecs, not encodings
                raise LookupError(encoding)
            codec = info.name.replace("utf-8-sig", "utf-8")
        except LookupError:
            return None, [Problem("--encoding", None, None, _("'{encoding}' is not a known text encoding",
                                                              encoding=shown(encoding)),
                                  _("use utf-8, cp874 (Thai Windows) or tis-620"))]
        try:
            text = raw.decode("utf-8-sig" if codec == "utf-8" else codec)
        except UnicodeDecodeError as exc:
            line = raw[: exc.start].count(b"\n") + 1
            return None, [Problem(name, line, None, _("is not {encoding} text (byte {byte} cannot be read)",
                                                      encoding=encoding, byte=f"0x{raw[exc.start]:02X}"), _give_encoding())]
        wrong = _mislabelled(raw, codec)
        if wrong:
            return None, [Problem(name, None, None, _("{what}, not {encoding} text", what=wrong, encoding=encoding),
                                  _give_encoding())]
    else:
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            line = raw[: exc.start].count(b"\n") + 1
            try:
                text = raw.decode(THAI_WINDOWS)
            except UnicodeDecodeError:
                text = None
            if text is None or not plausible_thai(text):
                return None, [Problem(name, line, None, _("is neither UTF-8 nor Thai Windows (cp874 / TIS-620) text"),
                                      _("in Excel choose 'CSV UTF-8 (Comma delimited)' when saving, "
                                        "or name the encoding with --encoding"))]
    if "\x00" in text:
        line = text[: text.index("\x00")].count("\n") + 1
        return None, [Problem(name, line, None, _("contains NUL characters: it is a binary file, not CSV text"),
                              _("pass the CSV export of the sheet ('CSV UTF-8 (Comma delimited)')"))]
    if "\ufeff" in text:
        line = text[: text.index("\ufeff")].count("\n") + 1
        return None, [Problem(name, line, None, _("has a byte-order mark in the middle of the file (two files pasted together?)"),
                              _("remove the stray BOM character or re-save the file as CSV UTF-8"))]
    return text, []


def parse_number(text: str) -> tuple[float | None, str | None]:
    """Parse a number as a planner might type it; returns (value, None) or (None, reason).

    Accepted: ``1200000``, ``1,200,000`` (comma thousands groups), ``1_200_000`` is not; Thai digits
    (``๑๒๓``) are read as 123. NaN and infinity are refused.
    """
    s = text.strip().translate(_THAI_DIGITS)
    if s == "":
        return None, _("is empty")
    if _GROUPED.match(s):
        s = s.replace(",", "")
    if not _NUMBER.match(s):
        typed = text.strip()
        if s.startswith("="):
            return None, _("'{text}' is a spreadsheet formula, not its value (paste the sheet as values before saving)",
                           text=typed)
        if _SPREADSHEET_ERROR.match(s):
            return None, _("'{text}' is a spreadsheet error, not a value (correct the formula in the sheet)", text=typed)
        if re.fullmatch(r"[+-]?[\d,]*\d(\.\d+)?", s) and "," in s:
            return None, _("'{text}' is ambiguous: commas must separate groups of three digits (1,200,000); "
                           "a decimal is written with a point (3.5)", text=typed)
        return None, _("'{text}' is not a number", text=typed)
    value = float(s)
    why = number_problem(value)
    if why is not None:
        return None, _("'{text}' {why}", text=shown(text.strip()), why=why)
    return value, None


MAX_MAGNITUDE = 1e18
"""The largest magnitude any number of a scenario may have (a setting, a cell or a flag): a million
times ``MAX_BAHT``, below the 64-bit integers. Beyond it a value is a typing slip, and arithmetic on
it overflows or loses every digit that matters; below it each setting's own range decides."""


def shown(value: object, width: int = 24) -> str:
    """A value for a message, shortened: ``1e+308``, not 309 digits; ``5.0000001`` exactly, not ``5``."""
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        text = str(int(value))
    elif isinstance(value, float):
        text = repr(value) if math.isfinite(value) and len(repr(value)) <= width else f"{value:.6g}"
    elif isinstance(value, int) and not isinstance(value, bool):
        text = str(value)
        if len(text) > width:
            text = _("{start}... ({digits} digits)", start=text[:12], digits=len(text.lstrip("-")))
    else:
        text = str(value)
        if len(text) > width:
            text = text[: width - 3] + "..."
    return text


def number_problem(value: object, lo: float | None = None, hi: float | None = None) -> str | None:
    """Why ``value`` is not a usable number (None when it is one): the one rule for every number.

    It must be an int or float (not a bool), finite (no nan or inf), of magnitude at most
    ``MAX_MAGNITUDE`` (so no 400-digit integer overflows a float), and within [lo, hi] when given.
    The TOML settings (``selector.data.settings.screen_numbers``), the CSV's cells
    (``parse_number``) and the command-line flags (``selector.cli.common.Number``) all apply it.
    """
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return _("is not a number")
    if isinstance(value, float) and math.isnan(value):
        return _("is not a number (nan)")
    if isinstance(value, float) and math.isinf(value):
        return _("is infinite")
    if abs(value) > MAX_MAGNITUDE:
        return _("is too large (at most {most} in size)", most=f"{MAX_MAGNITUDE:g}")
    if lo is not None and value < lo:
        return _("is below {lo}", lo=shown(lo))
    if hi is not None and value > hi:
        return _("is above {hi}", hi=shown(hi))
    return None


# ---------------------------------------------------------------------------------------------
# Text: one normal form, and the characters no one can see

INVISIBLE = frozenset("\u00ad\u034f\u061c\u115f\u1160\u17b4\u17b5\u180e\u200b\u200c\u200d\u200e\u200f"
                      "\u2060\u2061\u2062\u2063\u2064\u3164\ufeff\uffa0")
"""Characters that show as nothing: zero-width spaces and joiners, the soft hyphen, direction marks."""
BIDI_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
"""Bidirectional embeddings, overrides and isolates: U+202E shows the rest of a line backwards."""


def _is_control(ch: str) -> bool:
    return unicodedata.category(ch) == "Cc"


def nfc(text: str) -> str:
    """``text`` in Unicode normal form C, so that a Thai vowel typed in two orders is one spelling."""
    return unicodedata.normalize("NFC", text) if not text.isascii() else text


def escaped(text: str) -> str:
    """``text`` quoted with every control, invisible and bidi character written as an escape:
    ``'cost\\u200b'``, so a message shows what the eye cannot."""
    def one(ch: str) -> str:
        if ch in INVISIBLE or ch in BIDI_CONTROLS or _is_control(ch):
            return f"\\x{ord(ch):02x}" if ord(ch) < 0x100 else f"\\u{ord(ch):04x}"
        return ch
    return "'" + "".join(one(ch) for ch in text) + "'"


def visible(text: str) -> str:
    """``text`` without its control, invisible and bidi characters (what the planner meant to type)."""
    return "".join(ch for ch in text if not (ch in INVISIBLE or ch in BIDI_CONTROLS or _is_control(ch)))


def text_problem(text: str, strict: bool = True) -> str | None:
    """Why ``text`` may not stand in a file (None when it may).

    ``strict`` (ids, column names, regions and every value used as a key): no control, invisible
    or bidi character at all, since two ids that look the same would be two units. Otherwise (names,
    free text): no bidi control and no control but tab and line breaks; zero-width spaces, which
    Thai text uses as word breaks, are kept.
    """
    for ch in text:
        if ch in BIDI_CONTROLS:
            return _("{text} contains a bidirectional control character (U+{code:04X}), which shows text in "
                     "another order than it is stored", text=escaped(text), code=ord(ch))
        if _is_control(ch) and (strict or ch not in "\t\r\n"):
            return _("{text} contains a control character (U+{code:04X})", text=escaped(text), code=ord(ch))
        if strict and ch in INVISIBLE:
            return _("{text} contains an invisible character (U+{code:04X}): it would differ from the same "
                     "text typed without it", text=escaped(text), code=ord(ch))
    return None


FORMULA_GUARD = ("=", "+", "-", "@", "\t", "\r")
"""The first characters a spreadsheet reads as a formula: the writers put a ' before them (``escape_cell``)."""


def escape_cell(text: str) -> str:
    """Neutralise spreadsheet formula injection: a text that starts with = + - @ tab or CR gets a
    leading '. A text that starts with ' gets one more, so ``unescape_cell`` gives every text back
    exactly (a unit id ``'=X1`` is written ``''=X1`` and read back as ``'=X1``)."""
    return "'" + text if text.startswith(FORMULA_GUARD) or text.startswith("'") else text


def unescape_cell(text: str) -> str:
    """Undo the writers' formula guard: ``'=x`` read back is ``=x``, ``''x`` is ``'x`` (``escape_cell``)."""
    return text[1:] if len(text) > 1 and text[0] == "'" and (text[1] in FORMULA_GUARD or text[1] == "'") else text
