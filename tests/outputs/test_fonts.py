"""selector.outputs.fonts: Thai fonts are found through fontconfig and matplotlib, registered with
matplotlib even when its font cache predates them, checked glyph by glyph, and kept per process.

Where the machine has no Thai font, the tests that need one are skipped with the reason, unless
SELECTOR_REQUIRE_THAI_FONT is set (CI sets it after installing fonts-thai-tlwg), where they fail.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import warnings

import matplotlib

matplotlib.use("Agg")

import pytest  # noqa: E402
from matplotlib import font_manager  # noqa: E402

from selector.outputs import fonts  # noqa: E402

THAI_TEXT = "สำนักงานขนส่งจังหวัดอุตรดิตถ์เชียงใหม่"  # consonants, vowels above and below, tone marks
REQUIRED = bool(os.environ.get("SELECTOR_REQUIRE_THAI_FONT"))
THAI = fonts.thai_font()  # the real discovery, on the machine running the tests
needs_thai = pytest.mark.skipif(
    THAI is None and not REQUIRED,
    reason="no Thai-capable font on this machine (Debian/Ubuntu: apt-get install fonts-thai-tlwg); "
           "the Latin fallback is tested instead")


def forget_matplotlib_lookups() -> None:
    # matplotlib memoises findfont per FontManager; after its font list changes, forget those answers
    cached = getattr(font_manager.fontManager, "_findfont_cached", None)
    if cached is not None and hasattr(cached, "cache_clear"):
        cached.cache_clear()


@pytest.fixture(autouse=True)
def fresh_fonts():
    """Each test discovers afresh, and leaves no patched answer behind for the next one."""
    fonts.clear_cache()
    yield
    forget_matplotlib_lookups()
    fonts.clear_cache()


@pytest.fixture
def no_thai_font(monkeypatch):
    """A machine without any Thai font: neither fontconfig nor matplotlib's list has one."""
    monkeypatch.setattr(fonts, "fontconfig_files", lambda: [])
    monkeypatch.setattr(fonts, "matplotlib_fonts", lambda: [])
    fonts.clear_cache()


def dejavu() -> str:
    return str(font_manager.findfont(font_manager.FontProperties(family="DejaVu Sans"), fallback_to_default=False))


@needs_thai
def test_the_thai_font_found_has_every_thai_glyph():
    assert THAI is not None, "no Thai font found, but SELECTOR_REQUIRE_THAI_FONT is set: install fonts-thai-tlwg"
    family, path = THAI
    assert family in fonts.discover()
    assert fonts.covers(path, fonts.THAI_LETTERS) and fonts.covers(path, THAI_TEXT)
    assert font_manager.findfont(font_manager.FontProperties(family=family), fallback_to_default=False) == path


def test_the_coverage_check_reads_the_cmap_not_the_name():
    assert fonts.covers(dejavu(), "abc")
    assert not fonts.covers(dejavu(), fonts.THAI_SAMPLE)
    assert not fonts.covers(dejavu(), THAI_TEXT)
    assert not fonts.covers(__file__)  # not a font at all


@pytest.mark.usefixtures("no_thai_font")
def test_without_a_thai_font_there_is_none_and_one_warning_says_what_to_install():
    assert fonts.discover() == ()
    assert fonts.thai_font() is None
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        fonts.warn_no_thai_font()
        fonts.warn_no_thai_font()
    assert [w.category for w in caught] == [fonts.NoThaiFontWarning]
    assert issubclass(fonts.NoThaiFontWarning, UserWarning)
    message = str(caught[0].message)
    assert "fonts-thai-tlwg" in message and "apt-get install fonts-thai-tlwg" in message
    assert "Windows and macOS include Thai fonts" in message
    assert caught[0].filename == __file__  # it points at the caller, not at selector


def test_the_answer_is_kept_per_process_until_the_cache_is_cleared(monkeypatch):
    calls = []
    real = fonts.fontconfig_files
    monkeypatch.setattr(fonts, "fontconfig_files", lambda: calls.append(1) or real())
    fonts.clear_cache()
    first = fonts.thai_font()
    assert fonts.thai_font() == first and fonts.discover() == fonts.discover()
    assert len(calls) == 1
    fonts.clear_cache()
    assert fonts.thai_font() == first
    assert len(calls) == 2


def test_a_font_missing_from_matplotlibs_cache_is_registered(monkeypatch, tmp_path):
    """fontconfig lists a file matplotlib's cache does not know (as after apt-get install): it is added
    to matplotlib's list, and still refused as the Thai font when its glyphs are not Thai."""
    installed = tmp_path / "installed-after-the-cache.ttf"
    shutil.copyfile(dejavu(), installed)
    monkeypatch.setattr(font_manager.fontManager, "ttflist", list(font_manager.fontManager.ttflist))  # undone after
    assert str(installed) not in {entry.fname for entry in font_manager.fontManager.ttflist}
    monkeypatch.setattr(fonts, "fontconfig_files", lambda: [str(installed)])
    fonts.clear_cache()
    assert "DejaVu Sans" in fonts.discover()
    assert str(installed) in {entry.fname for entry in font_manager.fontManager.ttflist}
    chosen = fonts.thai_font()
    assert chosen is None or fonts.covers(chosen[1], fonts.THAI_LETTERS)  # DejaVu has no Thai: never chosen
    assert fonts.register([str(installed)]) == []  # registered once only
    assert fonts.register([str(tmp_path / "missing.ttf"), __file__]) == []  # unreadable files are left out


@needs_thai
def test_an_installed_thai_font_missing_from_matplotlibs_cache_is_found(monkeypatch):
    """The real case: matplotlib's list without the machine's Thai fonts, as when its cache was built
    before fonts-thai-tlwg was installed. Discovery still finds and registers them."""
    assert THAI is not None, "no Thai font found, but SELECTOR_REQUIRE_THAI_FONT is set: install fonts-thai-tlwg"
    fontconfig = {os.path.realpath(path) for path in fonts.fontconfig_files()}
    if os.path.realpath(THAI[1]) not in fontconfig:
        pytest.skip(f"{THAI[0]} was found in matplotlib's list, not through fontconfig: nothing to hide")
    thai_families = set(fonts.discover())
    stale = [entry for entry in font_manager.fontManager.ttflist
             if os.path.realpath(entry.fname) not in fontconfig and entry.name not in thai_families]
    monkeypatch.setattr(font_manager.fontManager, "ttflist", stale)  # undone after the test
    forget_matplotlib_lookups()
    fonts.clear_cache()
    with pytest.raises(ValueError):
        font_manager.findfont(font_manager.FontProperties(family=THAI[0]), fallback_to_default=False)
    chosen = fonts.thai_font()
    assert chosen is not None and chosen[0] == THAI[0]
    assert os.path.realpath(chosen[1]) in fontconfig and fonts.covers(chosen[1], THAI_TEXT)
    assert chosen[1] in {entry.fname for entry in font_manager.fontManager.ttflist}


def test_fontconfig_is_optional(monkeypatch):
    monkeypatch.setattr(fonts.shutil, "which", lambda name: None)
    assert fonts.fontconfig_files() == []


def test_fontconfig_answers_are_files_that_exist(monkeypatch, tmp_path):
    real = tmp_path / "Loma.otf"
    real.write_bytes(b"")
    answer = subprocess.CompletedProcess([], 0, stdout=f"{real}\n{tmp_path / 'gone.otf'}\n\n{real}\n".encode())
    monkeypatch.setattr(fonts.shutil, "which", lambda name: "fc-list")
    monkeypatch.setattr(fonts.subprocess, "run", lambda *args, **kwargs: answer)
    assert fonts.fontconfig_files() == [str(real)]
    monkeypatch.setattr(fonts.subprocess, "run", lambda *args, **kwargs: subprocess.CompletedProcess([], 1, b""))
    assert fonts.fontconfig_files() == []


def test_thai_text_is_recognised():
    assert fonts.has_thai("ภาคเหนือ") and fonts.has_thai("DLT ขนส่ง")
    assert not fonts.has_thai("North") and not fonts.has_thai(42)
    assert len(fonts.THAI_LETTERS) == 73 and all(fonts.has_thai(ch) for ch in fonts.THAI_LETTERS)
