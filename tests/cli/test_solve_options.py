"""`--gap 0.05` is reported as 0.05 everywhere the plan says how it was solved, and bad budgets exit 2."""

from __future__ import annotations

import json

import openpyxl
import pytest
from click.testing import CliRunner

from selector.cli import main
from tests.model.test_build import FOUR, FOUR_TOML


def run(*args):
    return CliRunner().invoke(main, [str(a) for a in args])


@pytest.fixture
def four(write_scenario):
    return write_scenario(FOUR, FOUR_TOML)


@pytest.fixture
def solved(four, tmp_path):
    result = run("solve", four, "--gap", "0.05", "--time-limit", "30", "--json", tmp_path / "p.json",
                 "--xlsx", tmp_path / "p.xlsx", "--report", tmp_path / "p.html", "--lang", "en")
    assert result.exit_code == 0, result.output
    return result, tmp_path


def test_the_summary_states_the_gap_asked_for(solved):
    result, _ = solved
    assert "<= 5.0000%)" in result.stdout
    assert "<= 0.0100%)" not in result.stdout  # the TOML's gap was not the one used
    assert "(time limit 30 s, 1 thread, seed 0)" in result.stdout


def test_the_json_record_states_the_options_used(solved):
    _, folder = solved
    record = json.loads((folder / "p.json").read_text(encoding="utf-8"))
    assert record["options"] == {"solver": "highs", "gap": 0.05, "time_limit": 30.0, "threads": 1, "seed": 0}
    assert record["settings"]["solver"] == {"name": "highs", "time_limit": 30.0, "gap": 0.05}


def test_the_workbook_states_the_options_used(solved):
    _, folder = solved
    rows = {r[0]: r[1] for r in openpyxl.load_workbook(folder / "p.xlsx")["Assumptions"].iter_rows(values_only=True)}
    assert rows["Relative gap accepted as optimal"] == 0.05
    assert rows["Solver time limit (s)"] == 30
    assert rows["Solver threads"] == 1 and rows["Solver random seed"] == 0


def test_the_report_states_the_options_used(solved):
    _, folder = solved
    html = (folder / "p.html").read_text(encoding="utf-8")
    gap_row = html[html.index("Relative gap accepted as optimal"):][:200]
    assert "5.0000%" in gap_row
    assert "Solver time limit (s)" in html


@pytest.mark.parametrize("command", ["solve", "explain", "frontier", "replan", "robustness"])
def test_every_command_that_solves_takes_the_same_solver_options(command):
    ours = {o.name: o for o in main.commands[command].params}
    reference = {o.name: o for o in main.commands["solve"].params}
    for name in ("solver", "time_limit", "gap"):
        assert name in ours, f"selector {command} has no --{name.replace('_', '-')}"
        assert ours[name].help == reference[name].help


@pytest.mark.parametrize("amount", ["inf", "nan", "-5", "1e13", "lots"])
def test_replan_refuses_a_budget_that_solve_refuses(four, amount):
    assert run("solve", four, "--quiet").exit_code == 0
    baseline = four.with_name("s-schedule.csv")
    replanned = run("replan", four, "--baseline", baseline, "--from", "2556", "--budget", f"2556={amount}")
    solved = run("solve", four, "--budget", f"2556={amount}", "--out", four.with_name("other.csv"))
    assert (replanned.exit_code, solved.exit_code) == (2, 2), replanned.output + solved.output
    assert "Traceback" not in replanned.output
    assert "2556" in replanned.stderr and "--budget" in replanned.stderr
    assert not four.with_name("s-replan-2556.csv").exists()


@pytest.mark.parametrize("command", ["solve", "check", "validate", "export", "explain", "frontier", "replan",
                                     "robustness", "weights"])
def test_every_command_that_reads_a_scenario_takes_the_same_input_options(command):
    ours = {o.name: o for o in main.commands[command].params}
    reference = {o.name: o for o in main.commands["solve"].params}
    for name in ("settings", "encoding"):
        assert name in ours and ours[name].help == reference[name].help, (command, name)


def test_replan_reads_a_cp874_scenario_with_encoding(four, tmp_path):
    """--encoding reaches the loader in the commands that did not have it (replan, explain, frontier)."""
    assert run("solve", four, "--quiet").exit_code == 0
    thai_windows = tmp_path / "w.csv"
    thai_windows.write_bytes(four.read_text(encoding="utf-8").encode("cp874"))
    thai_windows.with_suffix(".toml").write_text(four.with_suffix(".toml").read_text(encoding="utf-8"), encoding="utf-8")
    result = run("replan", thai_windows, "--baseline", four.with_name("s-schedule.csv"), "--from", "2556",
                 "--encoding", "cp874", "--quiet")
    assert result.exit_code == 0, result.output
    assert "สำนักงาน ก" in (tmp_path / "w-replan-2556.csv").read_text(encoding="utf-8-sig")
    # cp874 is also detected without the option: the wrong codec, given explicitly, shows the option is used
    wrong = run("replan", thai_windows, "--baseline", four.with_name("s-schedule.csv"), "--from", "2556",
                "--encoding", "utf-8", "--quiet")
    assert wrong.exit_code == 2 and "utf-8" in wrong.stderr.lower(), wrong.output


def test_every_status_has_its_documented_exit_code():
    from selector.cli.common import exit_code_for
    from selector.status import Status

    assert {status: exit_code_for(status) for status in Status} == {
        Status.OPTIMAL: 0, Status.CHECKED: 0, Status.FEASIBLE: 4, Status.INFEASIBLE: 3, Status.NO_SOLUTION: 5}
