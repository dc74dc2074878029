"""The Thai fonts the charts need: found through fontconfig and matplotlib, registered with matplotlib.

matplotlib keeps its own list of the machine's fonts in a cache (``fontlist-*.json`` in
``matplotlib.get_cachedir()``), built the first time it runs and not rebuilt when a font is
installed later: after ``apt-get install fonts-thai-tlwg`` matplotlib still does not know Loma.
So the Thai fonts are also asked of fontconfig (``fc-list :lang=th``, where ``fc-list`` exists)
and their files registered with matplotlib directly (``fontManager.addfont``), in this process
only: the cache on disk is neither read for this nor changed.

A font counts as Thai-capable when its file has a glyph for every Thai consonant, vowel and tone
mark (``THAI_LETTERS``, read from the font's cmap), not because of its name. ``thai_font`` gives
the first such font in the order of ``THAI_FONTS``, then any other one found; the answer is kept
for the process (``clear_cache`` forgets it).
"""

from __future__ import annotations

import contextlib
import functools
import os
import shutil
import subprocess
import sys
import warnings
from typing import Iterable

from selector.i18n import _

# Thai-capable fonts in order of preference: Debian/Ubuntu's fonts-thai-tlwg (Loma, Laksaman, Garuda...),
# Sarabun and Noto, then the fonts a planner's Windows (Leelawadee UI, Tahoma...) or macOS (Thonburi...)
# machine has, then the rest of fonts-thai-tlwg. Any other font whose file covers Thai comes after these.
THAI_FONTS = ("Loma", "Laksaman", "Garuda", "Norasi", "Sarabun", "TH Sarabun New", "Noto Sans Thai",
              "Noto Sans Thai UI", "Leelawadee UI", "Tahoma", "Thonburi",
              "Leelawadee", "Microsoft Sans Serif", "Ayuthaya", "Krungthep", "Sukhumvit Set", "Silom",
              "Noto Sans Thai Looped", "Noto Serif Thai", "Waree", "Umpush", "Kinnari", "Sawasdee")
THAI_SAMPLE = "\u0e01"  # ก, the first Thai consonant
# Every character a Thai label may need: consonants, vowels and tone marks (U+0E01-0E3A, U+0E40-0E4E).
THAI_LETTERS = "".join(chr(c) for c in (*range(0x0E01, 0x0E3B), *range(0x0E40, 0x0E4F)))
INSTALL_HINT = ("fonts-thai-tlwg on Debian/Ubuntu (apt-get install fonts-thai-tlwg); "
                "Windows and macOS include Thai fonts")
FC_LIST_TIMEOUT = 20  # seconds; fc-list answers from fontconfig's own cache, usually in milliseconds


class NoThaiFontWarning(UserWarning):
    """No Thai-capable font was found: the charts show unit ids and Latin names instead of Thai text."""


def has_thai(text: object) -> bool:
    """True when ``text`` (as a string) has a character of the Thai block (U+0E00-0E7F)."""
    return any("\u0e00" <= ch <= "\u0e7f" for ch in str(text))


def covers(path: str, text: str = THAI_SAMPLE, index: int | None = None) -> bool:
    """True when the font file at ``path`` has a glyph for every character of ``text`` (its cmap).

    ``index`` is the face of a font collection (.ttc); by default the face matplotlib named in
    ``path`` (a ``font_manager.FontPath``), else the first.
    """
    from fontTools.ttLib import TTFont

    if index is None:
        index = getattr(path, "face_index", 0)
    try:
        with TTFont(str(path), fontNumber=index, lazy=True) as font:
            cmap = font.getBestCmap() or {}
    except Exception:  # not a font fontTools can read: it cannot be trusted with Thai
        return False
    return all(ord(ch) in cmap for ch in text)


def fontconfig_files() -> list[str]:
    """The font files fontconfig says support Thai (``fc-list :lang=th``); none without ``fc-list``."""
    fc_list = shutil.which("fc-list")
    if fc_list is None:  # Windows, or a machine without fontconfig: matplotlib's own list is all there is
        return []
    try:
        run = subprocess.run([fc_list, "--format=%{file}\\n", ":lang=th"], capture_output=True,
                             timeout=FC_LIST_TIMEOUT, check=False)
    except (OSError, subprocess.SubprocessError):
        return []
    if run.returncode != 0:
        return []
    files = (line.strip() for line in run.stdout.decode("utf-8", "replace").splitlines())
    return sorted({f for f in files if f and os.path.isfile(f)})


def register(paths: Iterable[str]) -> list[str]:
    """Add to matplotlib's font list each file of ``paths`` it does not list yet; the files added.

    A file matplotlib cannot read is left out (no error: it is one font among others).
    """
    from matplotlib import font_manager  # here, not at the top: importing selector stays light

    manager = font_manager.fontManager
    known = {os.path.realpath(entry.fname) for entry in manager.ttflist}
    added = []
    for path in paths:
        real = os.path.realpath(path)
        if real in known or os.path.splitext(path)[1].lower() == ".afm":
            continue
        try:
            manager.addfont(path)
        except Exception:  # a broken or unsupported font file
            continue
        known.add(real)
        added.append(path)
    return added


def matplotlib_fonts() -> list[tuple[str, str]]:
    """(family, file) of every font in matplotlib's list (its cache, and the files registered since)."""
    from matplotlib import font_manager

    return [(entry.name, entry.fname) for entry in font_manager.fontManager.ttflist]


@functools.lru_cache(maxsize=None)
def discover() -> tuple[str, ...]:
    """The font families that may draw Thai, in order of preference, each registered with matplotlib.

    Those of the files fontconfig lists for Thai (registered first, so that a stale matplotlib
    cache hides none), and those of matplotlib's list named in ``THAI_FONTS`` or with "Thai" in
    their name. ``thai_font`` checks their glyphs.
    """
    fontconfig = {os.path.realpath(path) for path in fontconfig_files()}
    register(sorted(fontconfig))
    found = {family for family, path in matplotlib_fonts()
             if os.path.realpath(path) in fontconfig or family in THAI_FONTS or "thai" in family.lower()}
    preferred = [family for family in THAI_FONTS if family in found]
    return tuple(preferred + sorted(found - set(preferred)))


@functools.lru_cache(maxsize=None)
def thai_font() -> tuple[str, str] | None:
    """(family, file) of the first Thai-capable font found (see ``discover``); None if there is none.

    The file is the one matplotlib draws that family with, and it has every glyph of ``THAI_LETTERS``.
    """
    from matplotlib import font_manager

    for family in discover():
        try:
            path = font_manager.findfont(font_manager.FontProperties(family=family), fallback_to_default=False)
        except ValueError:
            continue
        if covers(path, THAI_LETTERS):
            return family, str(path)
    return None


# The report's charts name these first: fonts a browser is likely to have, so the SVG's text looks alike.
CHART_THAI_FONTS = ("Loma", "Noto Sans Thai", "Garuda", "Sarabun", "TH Sarabun New", "Waree")


def chart_rc() -> dict:
    """matplotlib settings for the report's charts: SVG text kept as text, fixed ids, the Thai fonts found first."""
    from matplotlib import font_manager

    discover()  # registers fontconfig's Thai fonts with matplotlib, even those its font cache predates
    available = {f.name for f in font_manager.fontManager.ttflist}
    fonts = [f for f in CHART_THAI_FONTS if f in available] + ["DejaVu Sans"]
    return {"svg.fonttype": "none", "svg.hashsalt": "selector", "font.family": fonts, "font.size": 9}


_warned = False


def warn_no_thai_font() -> None:
    """Warn, once per process, that no Thai font was found and what to install (``NoThaiFontWarning``).

    The warning points at the first caller outside selector (the planner's script or notebook cell).
    """
    global _warned
    if _warned:
        return
    _warned = True
    warnings.warn(_("no Thai-capable font found: charts show unit ids and Latin names instead of Thai text. "
                    "Install one: {hint}", hint=INSTALL_HINT), NoThaiFontWarning, stacklevel=_outside_selector())


def _outside_selector() -> int:
    """The ``stacklevel`` of the first frame, from warn_no_thai_font's caller up, outside selector."""
    package = os.path.dirname(os.path.dirname(os.path.abspath(__file__))) + os.sep
    frame, level = sys._getframe(1), 1  # warn_no_thai_font's frame is level 1 of its warnings.warn
    while frame is not None and (os.path.abspath(frame.f_code.co_filename).startswith(package)
                                 or frame.f_code.co_filename == contextlib.__file__):
        frame, level = frame.f_back, level + 1
    return level


def clear_cache() -> None:
    """Forget the fonts found and that the warning was given (for tests, or after installing a font)."""
    global _warned
    discover.cache_clear()
    thai_font.cache_clear()
    _warned = False
