"""The audit trail reproduces the plan: every override recorded, and the recorded command gives the same bytes."""

from __future__ import annotations

import json
import re
import shlex
import shutil

import openpyxl
import pytest
from click.testing import CliRunner

from selector.cli import main
from tests.conftest import DEFAULT_CSV


def run(*args):
    return CliRunner().invoke(main, [str(a) for a in args])


@pytest.fixture
def default_copy(tmp_path, monkeypatch):
    """The default scenario (CSV + TOML) in a fresh folder that is the working directory."""
    shutil.copy(DEFAULT_CSV, tmp_path / DEFAULT_CSV.name)
    shutil.copy(DEFAULT_CSV.with_suffix(".toml"), tmp_path / DEFAULT_CSV.with_suffix(".toml").name)
    monkeypatch.chdir(tmp_path)
    return tmp_path


# Each case: overrides that change the default plan's rules or solver, and what the record must say.
CASES = {
    "budget, pilots and gap": (["--budget", "2556=135,000,000", "--pilots", "9:11", "--gap", "0.001"],
                               {"budget": {"2556": 135_000_000.0}, "pilots_min": 9, "pilots_max": 11, "gap": 0.001}),
    "every other override": (["--budget", "2558=170000000", "--budget", "2557=150000000", "--pilots", ":10",
                              "--time-limit", "30", "--solver", "HiGHS", "--settings", "dlt-offices.toml",
                              "--encoding", "utf-8"],
                             {"budget": {"2557": 150_000_000.0, "2558": 170_000_000.0}, "pilots_max": 10,
                              "time_limit": 30.0, "solver": "highs", "settings": "dlt-offices.toml",
                              "encoding": "utf-8"}),
}


@pytest.mark.parametrize("case", list(CASES))
def test_the_recorded_command_reproduces_the_schedule_byte_for_byte(default_copy, case):
    """The JSON record, the workbook's Assumptions and the report carry the same reproduce command;
    run from the inputs' folder, it writes the same schedule bytes as the run that recorded it."""
    options, expected = CASES[case]
    first = run("solve", "dlt-offices.csv", *options, "--out", "first.csv", "--json", "first.json",
                "--xlsx", "first.xlsx", "--report", "first.html", "--lang", "en")
    assert first.exit_code == 0, first.output
    record = json.loads((default_copy / "first.json").read_text(encoding="utf-8"))
    assert record["overrides"] == expected
    command = record["reproduce"]
    items = {row[0].value: row[1].value for row in openpyxl.load_workbook("first.xlsx")["Assumptions"].iter_rows()}
    assert items["Command to reproduce"] == command
    assert f"<td>{command}</td>" in (default_copy / "first.html").read_text(encoding="utf-8")
    for option, value in zip(options[::2], options[1::2]):
        if option != "--settings":
            assert option in command
        assert any(k.startswith(f"Command-line override {option}") for k in items), option
    argv = shlex.split(command)
    assert argv[:3] == ["selector", "solve", "dlt-offices.csv"]
    again = run(*argv[1:], "--out", "again.csv", "--quiet")
    assert again.exit_code == 0, again.output
    assert (default_copy / "again.csv").read_bytes() == (default_copy / "first.csv").read_bytes()
    base = run("solve", "dlt-offices.csv", "--out", "base.csv", "--quiet")
    assert base.exit_code == 0
    assert (default_copy / "base.csv").read_bytes() != (default_copy / "first.csv").read_bytes()  # the overrides mattered


def test_without_overrides_the_command_names_the_settings_and_the_record_says_none(default_copy):
    result = run("solve", "dlt-offices.csv", "--out", "s.csv", "--json", "s.json", "--xlsx", "s.xlsx", "--lang", "en")
    assert result.exit_code == 0, result.output
    record = json.loads((default_copy / "s.json").read_text(encoding="utf-8"))
    assert record["overrides"] == {}
    assert record["reproduce"] == "selector solve dlt-offices.csv --settings dlt-offices.toml"
    items = {row[0].value: row[1].value for row in openpyxl.load_workbook("s.xlsx")["Assumptions"].iter_rows()}
    assert items["Command-line overrides"] == "none"


def test_a_file_name_with_spaces_is_quoted_for_the_shell(default_copy):
    (default_copy / "dlt-offices.csv").rename(default_copy / "my plan.csv")
    (default_copy / "dlt-offices.toml").rename(default_copy / "my plan.toml")
    result = run("solve", "my plan.csv", "--out", "s.csv", "--json", "s.json", "--pilots", "8:10")
    assert result.exit_code == 0, result.output
    command = json.loads((default_copy / "s.json").read_text(encoding="utf-8"))["reproduce"]
    assert command == "selector solve 'my plan.csv' --settings 'my plan.toml' --pilots 8:10"
    assert shlex.split(command)[2] == "my plan.csv"


def test_export_takes_the_overrides_shows_them_and_refuses_a_schedule_that_breaks_them(default_copy):
    """A cut variant's workbook shows the cut budget (not the TOML's), and a schedule over it is refused."""
    variant = ["--budget", "2556=125000000", "--budget", "2558=170000000"]  # a cut, and the money moved later
    cut = run("solve", "dlt-offices.csv", *variant, "--out", "cut.csv", "-q")
    assert cut.exit_code == 0, cut.output
    shown = run("export", "cut.csv", "--scenario", "dlt-offices.csv", *variant,
                "--xlsx", "cut.xlsx", "--lang", "en", "--date", "2012-09-30")
    assert shown.exit_code == 0, shown.output
    assert "written to cut.xlsx" in shown.stdout
    book = openpyxl.load_workbook("cut.xlsx")
    fy2556 = next(r for r in book["Summary"].iter_rows(values_only=True) if r[0] == "FY 2556 (B.E.)")
    assert fy2556[8] == 125_000_000
    items = {row[0].value: row[1].value for row in book["Assumptions"].iter_rows()}
    overrides = [row[1].value for row in book["Assumptions"].iter_rows()
                 if row[0].value == "Command-line override --budget"]
    assert overrides == ["2556=125000000", "2558=170000000"]
    assert items["Command to reproduce"] == ("selector export cut.csv --scenario dlt-offices.csv --settings "
                                             "dlt-offices.toml --budget 2556=125000000 --budget 2558=170000000 "
                                             "--xlsx cut.xlsx --lang en")

    base = run("solve", "dlt-offices.csv", "--out", "base.csv", "-q")
    assert base.exit_code == 0
    refused = run("export", "base.csv", "--scenario", "dlt-offices.csv", *variant, "--xlsx", "refused.xlsx")
    assert refused.exit_code == 3
    assert re.search(r"FY2556 spends [\d,]+ baht, over its budget of 125,000,000", refused.stderr), refused.stderr
    assert not (default_copy / "refused.xlsx").exists()
    bad = run("export", "base.csv", "--scenario", "dlt-offices.csv", "--pilots", "x", "--xlsx", "bad.xlsx")
    assert bad.exit_code == 2 and "is not MIN:MAX" in bad.stderr


def test_the_recorded_replan_command_records_every_override_and_gives_the_same_schedule_and_moves(default_copy):
    """`replan` with every override it takes (the solver's too): the workbook lists each one and the report
    carries the same command; run from the inputs' folder, that command writes the same schedule and moves bytes."""
    shutil.copy(DEFAULT_CSV.with_name("dlt-offices-progress-2557.csv"), default_copy / "progress 2557.csv")
    assert run("solve", "dlt-offices.csv", "--out", "baseline.csv", "-q").exit_code == 0
    options = ["--settings", "dlt-offices.toml", "--budget", "2557=111750000", "--budget", "2558=198750000",
               "--stability", "1.5", "--later-factor", "2.25", "--gap", "0.001", "--time-limit", "30",
               "--solver", "HiGHS", "--encoding", "utf-8"]
    first = run("replan", "dlt-offices.csv", "--baseline", "baseline.csv", "--progress", "progress 2557.csv",
                "--from", "2557", *options, "--out", "first.csv", "--moves", "first-moves.csv",
                "--xlsx", "first.xlsx", "--report", "first.html", "--lang", "en")
    assert first.exit_code == 0, first.output
    assert "budget cut" in first.stdout  # the cut moved units: the moves file is not empty
    rows = [(row[0].value, row[1].value) for row in openpyxl.load_workbook("first.xlsx")["Assumptions"].iter_rows()]
    items = dict(rows)
    command = items["Command to reproduce"]
    assert f"<td>{command}</td>" in (default_copy / "first.html").read_text(encoding="utf-8").replace("&#x27;", "'")
    argv = shlex.split(command)
    assert argv[:3] == ["selector", "replan", "dlt-offices.csv"]
    recorded = dict(zip(argv[3::2], argv[4::2]))
    assert recorded == {"--baseline": "baseline.csv", "--progress": "progress 2557.csv", "--from": "2557",
                        "--settings": "dlt-offices.toml", "--budget": "2558=198750000", "--gap": "0.001",
                        "--time-limit": "30", "--solver": "highs", "--encoding": "utf-8", "--stability": "1.5",
                        "--later-factor": "2.25"}
    assert argv.count("--budget") == 2 and "2557=111750000" in argv
    overrides = [(key.removeprefix("Command-line override "), value) for key, value in rows
                 if key and key.startswith("Command-line override ")]
    assert overrides == [("--settings", "dlt-offices.toml"), ("--budget", "2557=111750000"),
                         ("--budget", "2558=198750000"), ("--gap", "0.001"), ("--time-limit", "30"),
                         ("--solver", "highs"), ("--encoding", "utf-8")]
    again = run(*argv[1:], "--out", "again.csv", "--moves", "again-moves.csv", "--quiet")
    assert again.exit_code == 0, again.output
    assert (default_copy / "again.csv").read_bytes() == (default_copy / "first.csv").read_bytes()
    assert (default_copy / "again-moves.csv").read_bytes() == (default_copy / "first-moves.csv").read_bytes()
