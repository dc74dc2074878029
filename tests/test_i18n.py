"""The message layer: a template is translated, then filled; the language is chosen per context."""

from __future__ import annotations

import io
import string

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

from selector import i18n
from selector.i18n import _, default_language, language
from tests.conftest import ROOT


def test_english_fills_named_fields():
    with language("en"):
        assert _("year {year} is outside the horizon", year=2560) == "year 2560 is outside the horizon"


def test_language_is_restored_after_a_block():
    with language("th"):
        assert i18n.current_language() == "th"
        with language("en"):
            assert i18n.current_language() == "en"
        assert i18n.current_language() == "th"


def test_unknown_language_is_refused():
    with pytest.raises(ValueError, match="not one of en, th"):
        with language("fr"):
            pass


@pytest.mark.parametrize("env, expected", [
    ({"SELECTOR_LANG": "th"}, "th"),
    ({"SELECTOR_LANG": "", "LC_ALL": "th_TH.UTF-8"}, "th"),
    ({"SELECTOR_LANG": "", "LC_ALL": "", "LC_MESSAGES": "", "LANG": "en_GB.UTF-8"}, "en"),
    ({"SELECTOR_LANG": "", "LC_ALL": "", "LC_MESSAGES": "", "LANG": ""}, "en"),
])
def test_default_language_from_environment(monkeypatch, env, expected):
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    assert default_language() == expected


# --- the catalogues: selector/locale/selector.pot, th/LC_MESSAGES/selector.po and .mo --------------

LOCALE = ROOT / "selector" / "locale"
POT, PO, MO = (LOCALE / "selector.pot", LOCALE / "th" / "LC_MESSAGES" / "selector.po",
               LOCALE / "th" / "LC_MESSAGES" / "selector.mo")


def _catalogue(path):
    with open(path, "rb") as f:
        return read_po(f, locale="th" if path.suffix == ".po" else None)


def _extracted_ids() -> set:
    with open(ROOT / "babel.cfg", encoding="utf-8") as f:
        method_map, options_map = parse_mapping_cfg(f)
    ids = set()
    for _file, _line, message, _comments, _context in extract_from_dir(str(ROOT), method_map, options_map):
        ids.add(message if isinstance(message, str) else tuple(message[:2]))
    return ids


def _ids(catalogue) -> set:
    return {m.id if isinstance(m.id, str) else tuple(m.id) for m in catalogue if m.id}


def _fields(text: str) -> set[str]:
    return {name for _lit, name, _spec, _conv in string.Formatter().parse(text) if name is not None}


def test_the_committed_template_is_what_extraction_gives_now():
    """Every `_()` of the package is in selector.pot, and nothing else: run the one-line workflow of
    docs/development.md#messages-in-thai after adding or changing a message."""
    extracted, committed = _extracted_ids(), _ids(_catalogue(POT))
    assert extracted - committed == set(), "messages missing from selector.pot (run the i18n workflow)"
    assert committed - extracted == set(), "selector.pot holds messages no longer in the code"


def test_every_message_has_a_thai_translation_with_the_same_fields():
    thai = _catalogue(PO)
    assert _ids(thai) == _ids(_catalogue(POT)), "selector.po is not updated from selector.pot"
    missing, wrong_fields = [], []
    for message in thai:
        if not message.id:
            continue
        ids = [message.id] if isinstance(message.id, str) else list(message.id)
        strings = [message.string] if isinstance(message.string, str) else list(message.string)
        if message.fuzzy or not all(strings):
            missing.append(ids[0])
            continue
        expected = set().union(*(_fields(i) for i in ids))
        if isinstance(message.id, tuple):
            expected.discard("n")  # a Thai plural form may leave the count to the sentence
        wrong_fields += [(ids[0], s) for s in strings if _fields(s) - {"n"} != expected - {"n"}]
    assert missing == [], f"{len(missing)} messages without a Thai translation: {missing[:10]}"
    assert wrong_fields == [], f"Thai translations whose {{fields}} differ from the English: {wrong_fields[:5]}"


def test_the_committed_mo_is_the_compilation_of_the_po():
    compiled = io.BytesIO()
    write_mo(compiled, _catalogue(PO))
    assert MO.read_bytes() == compiled.getvalue(), "selector.mo is stale: run `pybabel compile` (docs/development.md)"


def test_thai_comes_from_the_compiled_catalogue():
    message = next(m for m in _catalogue(PO) if m.id and isinstance(m.id, str) and not _fields(m.id))
    with language("th"):
        assert _(message.id) == message.string
    with language("en"):
        assert _(message.id) == message.id
