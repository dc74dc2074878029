"""The README stays true: its two commands, its tables and its list of commands."""

from __future__ import annotations

import re

from selector.cli import main
from selector.fields import columns_table_markdown, settings_table_markdown

from .conftest import ROOT

README = (ROOT / "README.md").read_text(encoding="utf-8")


def bash_blocks(text: str) -> list[str]:
    return [b.strip() for b in re.findall(r"```bash\n(.*?)```", text, flags=re.S)]


def test_readme_starts_with_the_two_commands_and_ci_runs_the_second():
    first, second = bash_blocks(README)[:2]
    assert "selector solve scenarios/dlt-offices.csv" in first and first.startswith("pip install")
    assert "pytest" in second and second.startswith("pip install")
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert second in ci.splitlines()


def test_readme_tables_are_generated_from_the_data_dictionary():
    assert columns_table_markdown() in README
    assert settings_table_markdown() in README


def test_every_command_is_documented_in_the_readme():
    for name in main.commands:
        assert f"`selector {name}" in README, f"selector {name} is missing from the README"


def test_every_model_family_is_in_the_readme_table():
    from selector.model import CONSTRAINT_FAMILIES

    for family in CONSTRAINT_FAMILIES:
        assert f"`{family.__name__}`" in README, family.__name__
