"""Input size limits: a huge file is refused from its size alone, before any of it is read; the one
number rule, the text rules and the cell escaping every reader and writer share.

The speed and memory of a 100,000-unit load are measured by benchmarks/load.py, not here.
"""

from __future__ import annotations

import importlib
import math
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

import selector
from selector.errors import ScenarioError
from tests.conftest import ROOT

limits = csvfiles = importlib.import_module("selector.data.csvfiles")
CATALOGUE = ROOT / "tests" / "bad_inputs"


@pytest.mark.parametrize("which", ["csv", "toml"])
def test_a_1_gb_file_is_refused_without_being_read(tmp_path, monkeypatch, which):
    csv_path, toml_path = tmp_path / "s.csv", tmp_path / "s.toml"
    csv_path.write_bytes((CATALOGUE / "good.csv").read_bytes())
    toml_path.write_bytes((CATALOGUE / "good.toml").read_bytes())
    huge = csv_path if which == "csv" else toml_path
    with open(huge, "r+b") as f:
        f.truncate(10**9)  # sparse: 1 GB long, no disk used
    real_open = open

    def open_all_but_the_huge_one(path, *args, **kwargs):
        assert Path(path) != huge, "the oversized file was opened"
        return real_open(path, *args, **kwargs)

    monkeypatch.setattr(limits, "open", open_all_but_the_huge_one, raising=False)

    with pytest.raises(ScenarioError) as err:
        selector.load(csv_path, toml_path)
    [problem] = [p for p in err.value.problems if p.file == str(huge)]
    assert problem.message == "is 954 MiB, over the limit of 256 MiB for an input file"


def test_a_file_at_the_limit_is_read(tmp_path, monkeypatch):
    path = tmp_path / "s.csv"
    path.write_bytes(b"x" * 100)
    assert limits.read_input_bytes(path, "s.csv", limit=100) == (b"x" * 100, [])
    data, [problem] = limits.read_input_bytes(path, "s.csv", limit=99)
    assert data is None and "over the limit" in problem.message


def test_a_device_is_not_read():
    data, [problem] = limits.read_input_bytes(Path("/dev/zero"), "/dev/zero")
    assert data is None and problem.message == "is not a regular file (a device)"


# ---------------------------------------------------------------------------------------------
# Issue 20: one number rule, text in one normal form, the invisible made visible


@pytest.mark.parametrize("value, why", [
    (math.nan, "is not a number (nan)"), (math.inf, "is infinite"), (-math.inf, "is infinite"),
    (10**400, "is too large (at most 1e+18 in size)"), (1e19, "is too large (at most 1e+18 in size)"),
    (True, "is not a number"), ("5", "is not a number"), (1e18, None), (-5, None), (0.0, None),
])
def test_number_problem_is_the_one_rule(value, why):
    assert csvfiles.number_problem(value) == why


def test_number_problem_checks_the_range():
    assert csvfiles.number_problem(-1, lo=0) == "is below 0"
    assert csvfiles.number_problem(2, lo=0, hi=1) == "is above 1"


@pytest.mark.parametrize("value, text", [
    (5.0000001, "5.0000001"), (5.0, "5"), (1e308, "1e+308"), (10**400, "100000000000... (401 digits)"),
    (math.nan, "nan"), ("x" * 40, "x" * 21 + "..."),
])
def test_values_are_shown_exactly_and_short(value, text):
    assert csvfiles.shown(value) == text


def test_invisible_characters_are_shown_escaped_and_refused_where_they_are_keys():
    assert csvfiles.escaped("cost\u200b") == "'cost\\u200b'"
    assert "contains an invisible character (U+200B)" in csvfiles.text_problem("DLT-00100\u200b")
    assert csvfiles.text_problem("สำนักงาน\u200bขนส่ง", strict=False) is None  # Thai word breaks in a name
    assert "bidirectional control character (U+202E)" in csvfiles.text_problem("a\u202eb", strict=False)
    assert "control character (U+001B)" in csvfiles.text_problem("\x1b[2J", strict=False)
    assert csvfiles.text_problem("line one\nline two", strict=False) is None
    assert csvfiles.visible("A1\u200b\u202e") == "A1"


def test_nfc_makes_one_spelling():
    assert csvfiles.nfc("No\u0301rth") == "N\u00f3rth"


@given(st.text(max_size=12))
def test_escape_cell_round_trips_every_text(text):
    """Whatever a cell holds (``'=X1``, ``''``, ``=SUM(A1)``), reading back what was written gives it
    exactly, and what is written never starts a formula."""
    written = csvfiles.escape_cell(text)
    assert csvfiles.unescape_cell(written) == text
    assert not written.startswith(csvfiles.FORMULA_GUARD)


def test_a_region_typed_in_two_unicode_forms_is_one_region(tmp_path):
    """'Nórth' with a precomposed ó in one row and o + combining accent in another: one region, so
    the cover rule asks for one pilot there, not two."""
    good = (ROOT / "tests" / "bad_inputs" / "good.csv").read_text(encoding="utf-8").splitlines()
    rows = [good[0], good[1].replace(",North,", ",N\u00f3rth,"), good[2].replace(",North,", ",No\u0301rth,"), *good[3:]]
    (tmp_path / "u.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    (tmp_path / "u.toml").write_bytes((ROOT / "tests" / "bad_inputs" / "good.toml").read_bytes())
    scenario = selector.load(tmp_path / "u.csv")
    assert sorted(set(scenario.units["region"])) == ["N\u00f3rth", "South"]
