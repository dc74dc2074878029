"""Fuzzing the loader: whatever the bytes, the only error is the project's own ScenarioError.

Arbitrary bytes, arbitrary CSV-like text, well-formed tables with wrong headers and wrong cells, and
arbitrary settings tables all go through ``selector.load``. It must return a Scenario or raise
ScenarioError whose every problem names the file; a Scenario it returns must score and build.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

import tomli_w
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import selector
from selector.errors import ScenarioError
from selector.fields import KNOWN_COLUMNS
from tests.conftest import ROOT, examples

CATALOGUE = ROOT / "tests" / "bad_inputs"
GOOD_CSV = (CATALOGUE / "good.csv").read_text(encoding="utf-8")
GOOD_TOML = (CATALOGUE / "good.toml").read_text(encoding="utf-8")
HEADER = GOOD_CSV.splitlines()[0].split(",")

FUZZ = dict(suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow,
                                   HealthCheck.data_too_large])


def _load_only_scenario_errors(folder: Path, csv_bytes: bytes, toml_bytes: bytes) -> selector.Scenario | None:
    csv_path, toml_path = folder / "fuzz.csv", folder / "fuzz.toml"
    csv_path.write_bytes(csv_bytes)
    toml_path.write_bytes(toml_bytes)
    try:
        scenario = selector.load(csv_path, toml_path)
    except ScenarioError as exc:
        assert exc.problems
        assert all(p.file in (str(csv_path), str(toml_path)) for p in exc.problems)
        assert all(p.fix for p in exc.problems)
        return None
    selector.build_model(scenario)  # an accepted scenario is usable: scores and model build
    return scenario


# Cells a planner's sheet may hold: numbers in every spelling, words, formulas, ids, Thai, junk.
CELLS = st.one_of(
    st.sampled_from(["", " ", "0", "1", "3", "5", "2.5", "-1", "1e400", "nan", "NaN", "inf", "-inf", "1,200,000",
                     "1,20,000", "3,5", "๓", "๑๒๐๐๐๐๐", "๓,๕", "=A1", "#N/A", "80%", "must", "never", "MUST",
                     "true", "false", "yes", "ใช่", "2555", "2556", "2558", "2600", "2013", "2556.5", "A1", "A2",
                     "B1", "B2", "Z9", "North", "ภาคใต้", "\ufeff", "\x00", '"', "\r\n", "1" * 400, "9" * 30]),
    st.text(max_size=12),
    st.integers(-10**15, 10**15).map(str),
    st.floats(allow_nan=True, allow_infinity=True).map(repr),
)


@st.composite
def wrong_tables(draw) -> bytes:
    """A well-formed CSV (proper quoting) whose header and cells may be wrong in any way."""
    header = draw(st.lists(st.sampled_from(HEADER + ["Unit ID", "", "cost ", "ภาค"]), min_size=1, max_size=20))
    if draw(st.booleans()):
        header = HEADER
    rows = draw(st.lists(st.lists(CELLS, min_size=len(header), max_size=len(header)), max_size=6))
    if rows and draw(st.booleans()):  # ragged rows
        rows[-1] = rows[-1][: draw(st.integers(0, len(header)))] + draw(st.lists(CELLS, max_size=2))
    buffer = io.StringIO()
    csv.writer(buffer).writerows([header, *rows])
    return buffer.getvalue().encode("utf-8")


@st.composite
def valid_shaped_tables(draw) -> bytes:
    """The good scenario with a few cells replaced: mostly valid, so the later checks run too."""
    lines = list(csv.reader(io.StringIO(GOOD_CSV)))
    for _ in range(draw(st.integers(1, 4))):
        row = draw(st.integers(1, len(lines) - 1))
        col = draw(st.integers(0, len(HEADER) - 1))
        lines[row][col] = draw(CELLS)
    buffer = io.StringIO()
    csv.writer(buffer).writerows(lines)
    return buffer.getvalue().encode("utf-8")


@settings(max_examples=examples(150), **FUZZ)
@given(data=st.binary(max_size=2000))
def test_arbitrary_bytes(tmp_path, data):
    _load_only_scenario_errors(tmp_path, data, GOOD_TOML.encode())


@settings(max_examples=examples(150), **FUZZ)
@given(pieces=st.lists(st.sampled_from(list(',;\t"\r\n \ufeff=#.-+eE0159๓AN') + HEADER[:4]), max_size=120))
def test_csv_like_text(tmp_path, pieces):
    text = ",".join(HEADER) + "\n" + "".join(pieces)
    _load_only_scenario_errors(tmp_path, text.encode(), GOOD_TOML.encode())


@settings(max_examples=examples(80), **FUZZ)
@given(table=wrong_tables())
def test_well_formed_but_wrong_tables(tmp_path, table):
    _load_only_scenario_errors(tmp_path, table, GOOD_TOML.encode())


@settings(max_examples=examples(50), **FUZZ)
@given(table=valid_shaped_tables())
def test_good_table_with_a_few_wrong_cells(tmp_path, table):
    _load_only_scenario_errors(tmp_path, table, GOOD_TOML.encode())


WORDS = ["highs", "cbc", "region", "province", "staff", "risk", "A1", "B2", "all", "best-effort", "f", "branch"]
TOML_VALUES = st.recursive(
    st.one_of(st.booleans(), st.integers(-10**20, 10**20), st.floats(allow_nan=True), st.text(max_size=8),
              st.sampled_from([0, 1, 2, 5, 2555, 2556, 2558, 2013, 0.5, 0.25, -1, 1e300, *WORDS])),
    lambda inner: (st.lists(inner, max_size=3)
                   | st.dictionaries(st.one_of(st.text(max_size=6), st.sampled_from(
                       ["2556", "2557", "region", "max_per_year", "columns", "tolerance", "name", "amounts",
                        "eligible", "kind"])), inner, max_size=3)),
    max_leaves=8,
)
SECTION_KEYS = {
    "horizon": ["first_year", "last_year"], "budget": ["2555", "2556", "2557", "2558", "2560", "FY"],
    "plan": ["coverage"],
    "pilots": ["min", "max", "max_mean_risk", "cover", "minimum", "balance", "max_share"],
    "capacity": ["max_units_per_year", "max_units", "by"],
    "fairness": ["column", "min_per_year", "max_completion_gap"],
    "mentors": ["column", "lag", "max_mentors", "mentor_column"],
    "criteria": ["scale", "cost_type"], "weights": ["pilot", "rollout", "pilots"],
    "objective": ["pilot_emphasis"], "solver": ["name", "time_limit", "gap"], "solvers": ["name"],
    "replan": ["stability", "later_factor"], "funds": ["name"],
}
FUNDS = st.lists(st.fixed_dictionaries(
    {"name": st.sampled_from(["central", "f", ""]),
     "amounts": st.dictionaries(st.sampled_from(["2556", "2557", "2558", "2560"]),
                                st.one_of(st.integers(-5, 10**13), st.floats(allow_nan=True)), max_size=3)},
    optional={"eligible": st.dictionaries(st.sampled_from(["region", "province", "knd"]),
                                          st.one_of(st.sampled_from(["North", "South"]), st.lists(st.text(max_size=5))),
                                          max_size=2)}), max_size=3)


@st.composite
def wrong_settings(draw) -> bytes:
    """The good settings with some keys set to arbitrary TOML values (any type, any size)."""
    import tomllib

    data = tomllib.loads(GOOD_TOML)
    for _ in range(draw(st.integers(1, 4))):
        section = draw(st.sampled_from(sorted(SECTION_KEYS)))
        key = draw(st.sampled_from(SECTION_KEYS[section]))
        value = draw(TOML_VALUES)
        if section == "weights" and draw(st.booleans()):
            value = draw(st.dictionaries(st.sampled_from(["staff", "risk", "success", "stafff"]),
                                         st.one_of(st.floats(allow_nan=True), st.integers(-5, 10**30)), max_size=3))
        if section == "funds":
            data["funds"] = draw(FUNDS) if draw(st.integers(0, 3)) else value
        elif draw(st.booleans()) or not isinstance(data.get(section), dict):
            data[section] = value if draw(st.booleans()) and section != "budget" else {key: value}
        else:
            data[section][key] = value
    return tomli_w.dumps(data).encode("utf-8")


@settings(max_examples=examples(50), **FUZZ)
@given(toml=wrong_settings())
def test_wrong_settings(tmp_path, toml):
    _load_only_scenario_errors(tmp_path, GOOD_CSV.encode(), toml)


@settings(max_examples=examples(30), **FUZZ)
@given(data=st.binary(max_size=600) | st.text(max_size=200).map(str.encode))
def test_arbitrary_settings_bytes(tmp_path, data):
    _load_only_scenario_errors(tmp_path, GOOD_CSV.encode(), data)


def test_known_columns_are_all_in_the_fuzzed_header():
    """The table fuzzers draw header names from the good file, which must use every column the loader knows."""
    assert set(KNOWN_COLUMNS) <= set(HEADER)
