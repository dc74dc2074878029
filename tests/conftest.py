"""Shared fixtures: a tiny scenario writer and paths to the bundled scenarios."""

from __future__ import annotations

import os
import textwrap
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_CSV = ROOT / "scenarios" / "dlt-offices.csv"

# Messages are asserted in English unless a test chooses Thai; subprocesses inherit this.
os.environ["SELECTOR_LANG"] = "en"

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


# Hypothesis: fixed seeds and bounded examples in CI; `HYPOTHESIS_PROFILE=long` runs the fuzz and
# property tests with many more random examples (see docs/reliability.md).
from hypothesis import settings as _hypothesis_settings  # noqa: E402

LONG_RUN = os.environ.get("HYPOTHESIS_PROFILE") == "long"
_hypothesis_settings.register_profile("ci", derandomize=True, deadline=None, print_blob=True)
_hypothesis_settings.register_profile("long", derandomize=False, deadline=None, print_blob=True)
_hypothesis_settings.load_profile("long" if LONG_RUN else "ci")


LONG_FACTOR = int(os.environ.get("HYPOTHESIS_LONG_FACTOR", "50"))


def examples(ci: int) -> int:
    """Number of hypothesis examples: ``ci`` in CI; HYPOTHESIS_LONG_FACTOR (default 50) times more with
    HYPOTHESIS_PROFILE=long."""
    return ci * LONG_FACTOR if LONG_RUN else ci
