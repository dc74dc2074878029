"""The message layer: a template is translated, then filled; the language is chosen per context."""

from __future__ import annotations

import pytest

from selector import i18n
from selector.i18n import _, default_language, language


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
