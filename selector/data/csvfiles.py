"""Reading input files safely: size limits, encodings (UTF-8, cp874), the number grammar, checksums."""

from __future__ import annotations

import codecs
import hashlib
import math
import os
import re
import stat
import unicodedata
from pathlib import Path

from selector.errors import Problem
from selector.i18n import _

MAX_INPUT_BYTES = 256 * 1024 * 1024
"""Largest scenario CSV or settings TOML that is read (256 MiB: some 2.5 million units)."""


def read_input_bytes(path: Path, name: str, limit: int = MAX_INPUT_BYTES) -> tuple[bytes | None, list[Problem]]:
    """The bytes of ``path``, or (None, [problem]) when it cannot be read or is larger than ``limit``.

    The size is taken from ``os.stat`` first, so an oversized file is never loaded into memory.
    """
    try:
        info = os.stat(path)
        if not stat.S_ISREG(info.st_mode):  # a device or pipe has no size to check and may never end
            return None, [Problem(name, None, None, _("is not a regular file"), _("give the path of a CSV or TOML file"))]
        size = info.st_size
        if size <= limit:
            with open(path, "rb") as f:
                data = f.read(limit + 1)  # the file may have grown since stat
            if len(data) <= limit:
                return data, []
            size = len(data)
    except OSError as exc:
        return None, [Problem(name, None, None, _("cannot be read ({reason})", reason=exc.strerror or exc), _("check the path"))]
    return None, [Problem(name, None, None,
                          _("is {size} MiB, over the limit of {limit} MiB for an input file",
                            size=f"{size / 2**20:,.0f}", limit=f"{limit / 2**20:,.0f}"),
                          _("check that this is the right file; split a scenario this large into several"))]

_THAI_DIGITS = str.maketrans("๐๑๒๓๔๕๖๗๘๙", "0123456789")
_NUMBER = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$")
_GROUPED = re.compile(r"^[+-]?\d{1,3}(,\d{3})+(\.\d+)?$")
_SPREADSHEET_ERROR = re.compile(r"^#(N/A|VALUE!|REF!|DIV/0!|NAME\?|NUM!|NULL!|SPILL!|CALC!|GETTING_DATA)$", re.IGNORECASE)


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


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
            codec = codecs.lookup(encoding).name.replace("utf-8-sig", "utf-8")
        except LookupError:
            return None, [Problem("--encoding", None, None, _("'{encoding}' is not a known text encoding", encoding=encoding),
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
        shown = text.strip()
        if s.startswith("="):
            return None, _("'{text}' is a spreadsheet formula, not its value (paste the sheet as values before saving)",
                           text=shown)
        if _SPREADSHEET_ERROR.match(s):
            return None, _("'{text}' is a spreadsheet error, not a value (correct the formula in the sheet)", text=shown)
        if re.fullmatch(r"[+-]?[\d,]*\d(\.\d+)?", s) and "," in s:
            return None, _("'{text}' is ambiguous: commas must separate groups of three digits (1,200,000); "
                           "a decimal is written with a point (3.5)", text=shown)
        return None, _("'{text}' is not a number", text=shown)
    value = float(s)
    if not math.isfinite(value):
        return None, _("'{text}' is not a finite number", text=text.strip())
    return value, None


FORMULA_GUARD = ("=", "+", "-", "@", "\t", "\r")
"""The first characters a spreadsheet reads as a formula: the writers put a ' before them (``escape_cell``)."""


def unescape_cell(text: str) -> str:
    """Undo the writers' formula guard: ``'=x`` read back is ``=x`` (``selector.outputs.files.escape_cell``)."""
    return text[1:] if len(text) > 1 and text[0] == "'" and text[1] in FORMULA_GUARD else text
