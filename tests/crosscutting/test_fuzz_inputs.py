"""Fuzzing the loader: whatever the bytes, the only error is the project's own ScenarioError.

Arbitrary bytes, arbitrary CSV-like text, well-formed tables with wrong headers and wrong cells, and
arbitrary settings tables all go through ``selector.load``. It must return a Scenario or raise
ScenarioError whose every problem names the file; a Scenario it returns must score and build.
"""

from __future__ import annotations

import csv
import io
import math
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


# ---------------------------------------------------------------------------------------------
# Hostile numbers, deep nesting, odd encodings and flags (issue 20): one number rule, one reader

HOSTILE_NUMBERS = st.one_of(
    st.sampled_from([math.nan, math.inf, -math.inf, 1e308, -1e308, 1e19, 10**19, 10**400, -(10**400), 2**63, 2**64]),
    st.floats(allow_nan=True, allow_infinity=True).filter(lambda v: not math.isfinite(v) or abs(v) > 1e18),
    st.integers(min_value=10**18 + 1, max_value=10**500) | st.integers(min_value=-(10**500), max_value=-(10**18) - 1),
)
NUMBER_KEYS = [("solver", "time_limit"), ("solver", "gap"), ("objective", "pilot_emphasis"), ("pilots", "min"),
               ("pilots", "max"), ("pilots", "max_mean_risk"), ("capacity", "max_units_per_year"),
               ("replan", "stability"), ("replan", "later_factor"), ("budget", "2557"), ("horizon", "last_year"),
               ("fairness", "min_per_year"), ("mentors", "lag"), ("weights.pilot", "success")]


def _toml_number(value) -> str:
    if isinstance(value, float) and math.isnan(value):
        return "nan"
    if isinstance(value, float) and math.isinf(value):
        return "inf" if value > 0 else "-inf"
    return repr(value)


@settings(max_examples=examples(40), **FUZZ)
@given(key=st.sampled_from(NUMBER_KEYS), value=HOSTILE_NUMBERS, in_list=st.booleans())
def test_hostile_numbers_are_refused_wherever_they_stand(tmp_path, key, value, in_list):
    """nan, inf, 1e308, 10**400...: whatever key holds it (alone or in a list), the settings are
    refused with a problem on that key's line, never an OverflowError or a hang."""
    section, name = key
    text = _toml_number(value)
    if in_list:
        section, name, text = "criteria", "scale", f"[1, {text}]"
    toml = GOOD_TOML + f"\n[{section}]\n{name} = {text}\n"
    if section == "budget":
        toml = GOOD_TOML.replace("2557 = 3_000_000", f"2557 = {text}")
    scenario = _load_only_scenario_errors(tmp_path, GOOD_CSV.encode(), toml.encode())
    assert scenario is None


@settings(max_examples=examples(15), **FUZZ)
@given(depth=st.integers(1, 3000), kind=st.sampled_from(["array", "table"]),
       key=st.sampled_from([("criteria", "scale"), ("pilots", "cover"), ("pilots.max_share", "region"), ("x", "y")]))
def test_deep_nesting_is_a_problem_not_a_recursion_error(tmp_path, depth, kind, key):
    value = "[" * depth + "1" + "]" * depth if kind == "array" else "{a = " * depth + "1" + "}" * depth
    toml = GOOD_TOML + f"\n[{key[0]}]\n{key[1]} = {value}\n"
    _load_only_scenario_errors(tmp_path, GOOD_CSV.encode(), toml.encode())


ENCODINGS = ["utf-8", "utf-8-sig", "cp874", "tis-620", "utf-16", "utf-32", "latin-1", "cp1252", "rot13", "base64",
             "zlib", "hex", "idna", "punycode", "unicode_escape", "raw_unicode_escape", "uu", "bz2", "klingon", ""]


@settings(max_examples=examples(30), **FUZZ)
@given(written=st.sampled_from(["utf-8", "utf-16", "utf-32", "cp874", "latin-1", "utf-8-sig"]),
       named=st.sampled_from(ENCODINGS), part=st.sampled_from(["csv", "toml"]))
def test_odd_encodings_give_only_scenario_errors(tmp_path, written, named, part):
    """A file saved in one encoding and read with --encoding naming another (or a codec that is not
    a text encoding, such as rot13 or zlib): a Scenario or a ScenarioError, nothing else."""
    csv_text, toml_text = GOOD_CSV, GOOD_TOML
    try:
        csv_bytes = csv_text.encode(written) if part == "csv" else csv_text.encode()
        toml_bytes = toml_text.encode(written) if part == "toml" else toml_text.encode()
    except UnicodeEncodeError:  # Thai names in latin-1
        csv_bytes = csv_text.encode(written, errors="replace") if part == "csv" else csv_text.encode()
        toml_bytes = toml_text.encode(written, errors="replace") if part == "toml" else toml_text.encode()
    csv_path, toml_path = tmp_path / "enc.csv", tmp_path / "enc.toml"
    csv_path.write_bytes(csv_bytes)
    toml_path.write_bytes(toml_bytes)
    try:
        selector.load(csv_path, toml_path, encoding=named or None)
    except ScenarioError as exc:
        assert exc.problems and all(p.fix for p in exc.problems)


FLAG_VALUES = st.one_of(
    st.sampled_from(["nan", "NaN", "inf", "-inf", "1e400", "-1e400", "1" + "0" * 400, "0", "-0", "0.5", "1", "60",
                     "1e-320", "", " ", "๑๒", "0x10", "1_000", "1,000", "5.0000001", "1e18", "1e19", "\x1b[2J", "\u202e5"]),
    st.floats(allow_nan=True, allow_infinity=True).map(repr),
    st.text(max_size=6),
)


@settings(max_examples=examples(15), **FUZZ)
@given(flag=st.sampled_from(["--time-limit", "--gap", "--budget"]), value=FLAG_VALUES)
def test_hostile_flags_are_refused_or_used_never_a_crash(tmp_path, flag, value):
    """Any text for --time-limit, --gap or --budget YEAR=: exit 0 (a usable value) or 2 with a
    message, never a traceback, never a value that is not finite silently ignored."""
    from click.testing import CliRunner

    from selector.cli import main

    (tmp_path / "g.csv").write_text(GOOD_CSV, encoding="utf-8")
    (tmp_path / "g.toml").write_text(GOOD_TOML, encoding="utf-8")
    text = f"2557={value}" if flag == "--budget" else value
    result = CliRunner().invoke(main, ["solve", str(tmp_path / "g.csv"), flag, text, "-q",
                                       "--out", str(tmp_path / "out.csv")])
    assert result.exit_code in (0, 2, 3, 4, 5), (result.exit_code, result.output)  # 4, 5: a tiny time limit
    assert "Traceback" not in result.output and "unexpected" not in result.stderr
    assert "\x1b" not in result.stderr and "\u202e" not in result.stderr
    if result.exit_code in (0, 4, 5) and flag != "--budget":
        from selector.data.csvfiles import parse_number

        number, _why = parse_number(value)
        assert math.isfinite(number) and number > 0 if flag == "--time-limit" else 0 <= number < 1
