"""`selector monitor` at the command line: solve -> monitor -> replan on the default scenario, and bad inputs."""

from __future__ import annotations

import shutil

import openpyxl
import pytest
from click.testing import CliRunner

from selector.cli import main

from ..conftest import ROOT

SCENARIOS = ROOT / "scenarios"


@pytest.fixture(scope="module")
def solved(tmp_path_factory):
    """The default scenario solved once, with the committed scorecard and FY2555 results beside it."""
    folder = tmp_path_factory.mktemp("loop")
    for name in ("dlt-offices.csv", "dlt-offices.toml", "dlt-offices-indicators.toml", "dlt-offices-results-2555.csv"):
        shutil.copy(SCENARIOS / name, folder / name)
    result = CliRunner().invoke(main, ["solve", str(folder / "dlt-offices.csv"), "--quiet"])
    assert result.exit_code == 0, result.output
    return folder


def monitor_args(folder, results="dlt-offices-results-2555.csv", *more):
    return ["monitor", str(folder / "dlt-offices.csv"), "--schedule", str(folder / "dlt-offices-schedule.csv"),
            "--indicators", str(folder / "dlt-offices-indicators.toml"), "--results", str(folder / results),
            "--round", "12", "--year", "2555", *more]


def test_solve_then_monitor_then_replan_closes_the_loop(solved):
    runner = CliRunner()
    result = runner.invoke(main, monitor_args(solved, "dlt-offices-results-2555.csv", "--report",
                                              str(solved / "monitor.html"), "--effect", "0.05", "--per-unit", "20"))
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert "Pilots (12): 8 meet the standard, 3 do not, 1 not reported" in out
    assert "FY2555       12        11     8       3         1         0    66.67%    74.17%" in out
    assert "Progress for `selector replan --from 2556`: 8 done, 3 failed, 1 in_progress" in out
    assert "DLT-70101" in out and result.stderr == ""
    assert "dlt-offices-schedule.csv  2555:12 2556:64 2557:56 2558:63      0.0258  0.492" in out
    assert "แผนนี้มีโอกาส 49% ที่จะแสดงผลของการยกระดับขนาด 0.05" in (solved / "monitor.html").read_text(encoding="utf-8")
    progress = (solved / "dlt-offices-progress-2556.csv").read_text(encoding="utf-8-sig")
    assert progress.splitlines()[0] == "unit_id,name,state,success,risk,overall_score,verdict,note"
    assert (solved / "dlt-offices-scorecard-2555-r12.csv").read_bytes().startswith(b"\xef\xbb\xbf")

    replan = runner.invoke(main, ["replan", str(solved / "dlt-offices.csv"),
                                  "--baseline", str(solved / "dlt-offices-schedule.csv"),
                                  "--progress", str(solved / "dlt-offices-progress-2556.csv"), "--from", "2556",
                                  "--budget", "2558=166500000", "--quiet"])
    assert replan.exit_code == 0, replan.output
    new = (solved / "dlt-offices-replan-2556.csv").read_text(encoding="utf-8-sig").splitlines()
    header = new[0].split(",")
    year_of = {line.split(",")[0]: line.split(",")[header.index("fiscal_year")] for line in new[1:]}
    assert [year_of[u] for u in ("DLT-20500", "DLT-30001", "DLT-30503")] != ["2555"] * 3  # failed pilots re-planned
    assert all(year_of[u] != "2555" for u in ("DLT-20500", "DLT-30001", "DLT-30503"))
    assert year_of["DLT-10801"] == year_of["DLT-70101"] == "2555"  # done, and in progress (not reported): frozen


def test_the_same_loop_without_money_for_the_failed_pilots_says_so(solved):
    runner = CliRunner()
    assert runner.invoke(main, monitor_args(solved, "dlt-offices-results-2555.csv", "--quiet")).exit_code == 0
    replan = runner.invoke(main, ["replan", str(solved / "dlt-offices.csv"),
                                  "--baseline", str(solved / "dlt-offices-schedule.csv"),
                                  "--progress", str(solved / "dlt-offices-progress-2556.csv"), "--from", "2556",
                                  "--out", str(solved / "none.csv")])
    assert replan.exit_code == 3 and "short by 4,890,000 baht" in replan.stderr


@pytest.mark.parametrize("line, expected", [
    ("DLT-10801,x,wait_minute,22,12", ["line 74, column 'indicator': 'wait_minute' is not an indicator of the scorecard",
                                       "Fix: did you mean 'wait_minutes'?"]),
    ("DLT-99999,x,wait_minutes,22,12", ["line 74, column 'unit_id': unit 'DLT-99999' is not in the scenario",
                                        "Fix: correct the unit_id (as in the units CSV) or delete the line"]),
    ("DLT-10801,x,satisfaction,๘๐.๕,12", ["line 74, column 'indicator': unit DLT-10801 already has a result for "
                                          "'satisfaction' on line 4"]),
])
def test_bad_results_exit_2_with_file_line_and_fix_and_write_nothing(solved, line, expected):
    bad = solved / "bad-results.csv"
    bad.write_text((solved / "dlt-offices-results-2555.csv").read_text(encoding="utf-8-sig").rstrip("\r\n")
                   + "\r\n" + line + "\r\n", encoding="utf-8")
    out = solved / "card.csv"
    result = CliRunner().invoke(main, monitor_args(solved, "bad-results.csv", "--out", str(out),
                                                   "--progress", str(solved / "p.csv")))
    assert result.exit_code == 2, result.output
    assert "bad-results.csv, " + expected[0] in result.stderr
    assert all(e in result.stderr for e in expected) and "Traceback" not in result.stderr
    assert not out.exists() and not (solved / "p.csv").exists()


def test_a_round_that_is_not_one_and_a_year_outside_the_horizon(solved):
    result = CliRunner().invoke(main, monitor_args(solved)[:-4] + ["--round", "7", "--year", "2555"])
    assert result.exit_code == 2 and "--round: round 7 is not a reporting round. Fix: use 6, 9 or 12" in result.stderr
    result = CliRunner().invoke(main, monitor_args(solved)[:-4] + ["--round", "12", "--year", "2560"])
    assert result.exit_code == 2 and "FY2560 is outside the horizon 2555-2558" in result.stderr


def test_bad_scorecard_exits_2_with_the_line(solved):
    toml = (solved / "dlt-offices-indicators.toml").read_text(encoding="utf-8")
    (solved / "bad.toml").write_text(toml.replace("weight = 30", "weight = 25"), encoding="utf-8")
    args = monitor_args(solved)
    args[args.index("--indicators") + 1] = str(solved / "bad.toml")
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 2
    assert "bad.toml, line 14, column '[[indicators]] weight': the indicator weights sum to 95, not 100" in result.stderr


def test_learning_from_the_pilots_is_shown_and_written_for_review(solved):
    learned, units = solved / "learned.csv", solved / "units-learned.csv"
    book = solved / "monitor.xlsx"
    result = CliRunner().invoke(main, monitor_args(solved, "dlt-offices-results-2555.csv", "--learned", str(learned),
                                                   "--updated-units", str(units), "--xlsx", str(book), "--lang", "en"))
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert "medium          1         1      2.4380     0  0% (0%-79%)" in out
    assert "high           11        10      3.5875     8  80% (49%-94%)" in out
    assert "Firth logistic regression over 11 reported pilots (8 meet)" in out
    assert "the pilots cannot yet tell whether readiness matters" in out
    review = learned.read_text(encoding="utf-8-sig").splitlines()
    assert review[0] == "unit_id,name,readiness,success,p_meets,p_low,p_high,success_learned" and len(review) == 184
    before = (SCENARIOS / "dlt-offices.csv").read_text(encoding="utf-8-sig").splitlines()
    after = units.read_text(encoding="utf-8-sig").splitlines()
    header = before[0].split(",")
    success = header.index("success")
    changed = [b.split(",")[0] for b, a in zip(before[1:], after[1:]) if b != a]
    assert len(changed) == 183 and "DLT-10801" not in changed  # the pilots keep theirs
    for b, a in zip(before[1:], after[1:]):
        cells_b, cells_a = b.split(","), a.split(",")
        assert cells_b[:success] + cells_b[success + 1:] == cells_a[:success] + cells_a[success + 1:]
    assert "Units CSV with the learned success of 183 unit(s) written to" in out
    sheets = openpyxl.load_workbook(book).sheetnames
    assert sheets == ["Scorecard round 12", "Plan achievement", "Learning from pilots"]
