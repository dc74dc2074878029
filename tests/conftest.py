"""Shared fixtures: a tiny scenario writer and paths to the bundled scenarios."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_CSV = ROOT / "scenarios" / "dlt-offices.csv"

CRITERIA_HEADER = "infrastructure,staff,leadership,importance,workload,success,risk"


@pytest.fixture
def write_scenario(tmp_path):
    """write_scenario(csv_text, toml_text, stem="s") -> Path of the CSV (the TOML beside it)."""

    def write(csv_text: str, toml_text: str, stem: str = "s") -> Path:
        csv_path = tmp_path / f"{stem}.csv"
        csv_path.write_text(textwrap.dedent(csv_text).lstrip(), encoding="utf-8")
        (tmp_path / f"{stem}.toml").write_text(textwrap.dedent(toml_text).lstrip(), encoding="utf-8")
        return csv_path

    return write
