"""`--lang th|en` on every command: the language of the messages (and of the workbook and report)."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from selector import i18n
from selector.cli import main


@pytest.mark.parametrize("name", sorted(main.commands))
def test_every_command_takes_lang(name):
    assert "--lang" in [opt for p in main.commands[name].params for opt in p.opts]


def test_lang_chooses_the_language_of_an_error_and_is_restored(tmp_path):
    missing = tmp_path / "none.csv"
    missing.write_text("", encoding="utf-8")
    runner = CliRunner()
    thai = runner.invoke(main, ["validate", str(missing), "--lang", "th"])
    english = runner.invoke(main, ["validate", str(missing), "--lang", "en"])
    assert thai.exit_code == english.exit_code == 2
    assert thai.stderr.startswith("ข้อผิดพลาด: ")
    assert english.stderr.startswith("Error: ")
    assert i18n.current_language() == "en"  # the command's language ended with it (conftest: SELECTOR_LANG=en)


def test_without_lang_messages_follow_selector_lang(tmp_path, monkeypatch):
    missing = tmp_path / "none.csv"
    missing.write_text("", encoding="utf-8")
    monkeypatch.setenv("SELECTOR_LANG", "th")
    assert CliRunner().invoke(main, ["validate", str(missing)]).stderr.startswith("ข้อผิดพลาด: ")
