"""The command line: every exit code, messages, outputs, Thai text and determinism."""

from __future__ import annotations

import importlib
import json
import shutil

import pytest
from click.testing import CliRunner

from selector.cli import main
from selector.status import Status

solve_module = importlib.import_module("selector.solve")
backends = importlib.import_module("selector.solvers.backends")

from tests.conftest import DEFAULT_CSV
from tests.model.test_build import FOUR, FOUR_TOML


def run(*args):
    return CliRunner().invoke(main, [str(a) for a in args])


@pytest.fixture
def four(write_scenario):
    return write_scenario(FOUR, FOUR_TOML)


def test_solve_optimal_writes_schedule_and_summary(four):
    result = run("solve", four)
    assert result.exit_code == 0, result.output
    out = four.with_name("s-schedule.csv")
    raw = out.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # BOM so Excel shows Thai
    text = raw.decode("utf-8-sig")
    assert text.splitlines()[0] == "unit_id,name,region,fiscal_year,phase,pilot,cost,pilot_score,rollout_score,explanation"
    assert "A,สำนักงาน ก,North,2555,pilot,true,10,1,0.65" in text  # Thai name round-trips
    assert "Status: optimal" in result.stdout
    assert "FY2555" in result.stdout and "Pilots (2) by region: North 1, South 1" in result.stdout


def test_check_passes_on_solved_schedule(four):
    assert run("solve", four, "--quiet").exit_code == 0
    result = run("check", four, four.with_name("s-schedule.csv"))
    assert result.exit_code == 0
    assert "objective 6.625000" in result.stdout


def test_quiet_prints_nothing(four):
    result = run("solve", four, "--quiet")
    assert result.exit_code == 0 and result.stdout == ""


def test_json_record(four, tmp_path):
    result = run("solve", four, "--json", tmp_path / "plan.json", "--quiet")
    assert result.exit_code == 0
    record = json.loads((tmp_path / "plan.json").read_text(encoding="utf-8"))
    assert record["status"] == "optimal" and record["proven_optimal"] is True
    assert record["objective"] == pytest.approx(6.625)
    assert record["gap"] <= 1e-4
    assert record["solver"]["name"] == "highs" and record["solver"]["version"]
    assert len(record["inputs"]["units_csv"]["sha256"]) == 64
    assert record["settings"]["budget"] == {"2555": 20.0, "2556": 20.0}
    assert [y["units"] for y in record["years"]] == [2, 2]
    assert {u["unit_id"] for u in record["units"]} == {"A", "B", "C", "D"}
    assert record["units"][0]["name"] == "สำนักงาน ก"


def test_overrides_budget_and_pilots(four):
    """--pilots 3:3 with the file's FY2555 budget of 20 cannot pay for three pilots of 10 each;
    --budget 2555=30 --budget 2556=10 makes room for exactly three pilots and one unit after."""
    result = run("solve", four, "--pilots", "3:3")
    assert result.exit_code == 3
    assert "the 3 cheapest possible pilots cost 30 baht but the FY2555 budget is 20 baht" in result.stderr
    result = run("solve", four, "--pilots", "3:3", "--budget", "2555=30", "--budget", "2556=10", "--quiet")
    assert result.exit_code == 0, result.output
    text = four.with_name("s-schedule.csv").read_text(encoding="utf-8-sig")
    assert text.count(",pilot,true,") == 3


def test_exit_2_bad_input_lists_every_problem_and_writes_nothing(write_scenario):
    csv_path = write_scenario(FOUR.replace("A,สำนักงาน ก,North,10", "A,สำนักงาน ก,North,-10")
                              .replace(",1,5\n", ",1,7\n"), FOUR_TOML)
    result = run("solve", csv_path)
    assert result.exit_code == 2
    assert "line 2, column 'cost'" in result.stderr and "line 5, column 'risk'" in result.stderr
    assert "Traceback" not in result.output
    assert not csv_path.with_name("s-schedule.csv").exists()


def test_exit_2_bad_usage(four):
    assert run("solve", four, "--pilots", "many").exit_code == 2
    assert run("solve", four, "--budget", "2556").exit_code == 2
    assert run("solve", four, "--solver", "gurobi").exit_code == 2


def test_exit_2_output_over_input(four):
    result = run("solve", four, "--out", four)
    assert result.exit_code == 2
    assert "overwrite an input" in result.stderr
    assert four.read_text(encoding="utf-8").startswith("unit_id")


def test_exit_3_infeasible_writes_nothing(four):
    result = run("solve", four, "--budget", "2556=5")
    assert result.exit_code == 3
    assert "short by 15 baht" in result.stderr
    assert not four.with_name("s-schedule.csv").exists()


def test_exit_3_check_lists_broken_rules(four):
    assert run("solve", four, "--quiet").exit_code == 0
    sched = four.with_name("s-schedule.csv")
    text = sched.read_text(encoding="utf-8-sig").replace("C,สำนักงาน ค,South,2555,pilot,true", "C,สำนักงาน ค,South,2556,wave 1,false")
    sched.write_text(text, encoding="utf-8-sig")
    result = run("check", four, sched)
    assert result.exit_code == 3
    assert "FY2556 spends 30 baht, over its budget of 20" in result.stderr
    assert "no pilot in region 'South'" in result.stderr


def _fake_solver(status):
    real = backends.SOLVERS["highs"]

    def fake(prob, time_limit, gap, verbose):
        run_ = real(prob, time_limit, gap, verbose)
        if status == Status.NO_SOLUTION:
            return backends.SolverRun(status, {}, None, None, None, "highs", run_.version, run_.seconds)
        return backends.SolverRun(status, run_.values, run_.objective, run_.objective * 1.5, 0.5, "highs",
                                      run_.version, run_.seconds)

    return fake


def test_exit_4_not_proven(four, monkeypatch):
    """A solver stopped by its time limit with a plan: written, reported with its gap, exit 4."""
    monkeypatch.setitem(backends.SOLVERS, "highs", _fake_solver(Status.FEASIBLE))
    result = run("solve", four)
    assert result.exit_code == 4
    assert "feasible, not proven optimal, gap 50.0000%" in result.stdout
    assert four.with_name("s-schedule.csv").exists()


def test_exit_5_no_plan_in_time(four, monkeypatch):
    monkeypatch.setitem(backends.SOLVERS, "highs", _fake_solver(Status.NO_SOLUTION))
    result = run("solve", four)
    assert result.exit_code == 5
    assert "no plan within the time limit" in result.stderr
    assert not four.with_name("s-schedule.csv").exists()


def test_exit_1_unexpected_error_without_traceback(four, monkeypatch):
    def boom(*args, **kwargs):
        raise RuntimeError("kaboom")

    monkeypatch.setattr(solve_module, "build_model", boom)
    result = run("solve", four)
    assert result.exit_code == 1
    assert "unexpected RuntimeError: kaboom" in result.stderr
    assert "Traceback" not in result.output


def test_validate_summarises(four):
    result = run("validate", four)
    assert result.exit_code == 0
    assert "Valid scenario: 4 units" in result.stdout


def test_default_scenario_is_optimal_and_checks(tmp_path):
    csv_path = tmp_path / "dlt-offices.csv"
    shutil.copy(DEFAULT_CSV, csv_path)
    shutil.copy(DEFAULT_CSV.with_suffix(".toml"), tmp_path / "dlt-offices.toml")
    result = run("solve", csv_path)
    assert result.exit_code == 0, result.output
    assert "Status: optimal" in result.stdout
    assert run("check", csv_path, tmp_path / "dlt-offices-schedule.csv").exit_code == 0


def test_determinism_byte_identical_schedule(four, tmp_path):
    assert run("solve", four, "--out", tmp_path / "a.csv", "-q").exit_code == 0
    assert run("solve", four, "--out", tmp_path / "b.csv", "-q").exit_code == 0
    assert (tmp_path / "a.csv").read_bytes() == (tmp_path / "b.csv").read_bytes()


def test_formula_text_is_escaped_and_check_still_reads_it(write_scenario):
    csv_path = write_scenario(FOUR.replace("สำนักงาน ง", '"=HYPERLINK(""http://x"",""y"")"')
                              .replace("D,", "@D,", 1), FOUR_TOML)
    assert run("solve", csv_path, "-q").exit_code == 0
    text = csv_path.with_name("s-schedule.csv").read_text(encoding="utf-8-sig")
    assert "'=HYPERLINK" in text and "'@D," in text
    assert run("check", csv_path, csv_path.with_name("s-schedule.csv")).exit_code == 0


def test_every_command_has_help_with_an_example():
    for name, command in main.commands.items():
        result = run(name, "--help")
        assert result.exit_code == 0
        assert "Example" in result.stdout, name


def test_subprocess_quiet_stdout_is_empty_even_with_the_highs_banner(four):
    """HiGHS prints a banner on file descriptor 1 from native code; selector keeps stdout clean."""
    import os
    import subprocess
    import sys

    from tests.conftest import ROOT

    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    done = subprocess.run([sys.executable, "-m", "selector", "solve", str(four), "--quiet"],
                          capture_output=True, env=env, cwd=four.parent)
    assert done.returncode == 0, done.stderr
    assert done.stdout == b""
    verbose = subprocess.run([sys.executable, "-m", "selector", "solve", str(four), "--verbose"],
                             capture_output=True, env=env, cwd=four.parent)
    assert b"HiGHS" in verbose.stderr and b"HiGHS" not in verbose.stdout
    assert b"Status: optimal" in verbose.stdout
