"""`selector evaluate` at the command line: the table and paragraph on stdout, bad parameters exit 2."""

from __future__ import annotations

import textwrap

import pytest
from click.testing import CliRunner

from selector.cli import main

UNITS = """\
unit_id,name,region,cost,infrastructure,staff,leadership,importance,workload,success,risk
A,a,N,1,5,5,5,3,3,5,1
B,b,N,1,4,4,4,3,3,4,2
C,c,S,1,3,3,3,3,3,3,3
D,d,S,1,2,2,2,3,3,2,4
"""
TOML = """
[horizon]
first_year = 2556
last_year = 2557

[budget]
2556 = 10
2557 = 10
"""


def test_evaluate_prints_the_power_of_the_schedule(tmp_path, write_scenario):
    csv = write_scenario(UNITS, TOML)
    schedule = tmp_path / "schedule.csv"
    schedule.write_text(textwrap.dedent("unit_id,fiscal_year\nA,2556\nB,2556\nC,2557\nD,2557\n"), encoding="utf-8")
    result = CliRunner().invoke(main, ["evaluate", str(csv), "--schedule", str(schedule), "--effect", "0",
                                       "--icc", "0.1", "--per-unit", "30", "--permutations", "10"])
    assert result.exit_code == 0, result.output
    assert "2556:2 2557:2" in result.stdout
    assert " 0.050         0.050  0.050-0.050" in result.stdout  # a zero effect: power = alpha
    assert "over 4 units and 3 periods" in result.stdout and result.stderr == ""


def test_evaluate_refuses_bad_parameters_with_exit_2(tmp_path, write_scenario):
    csv = write_scenario(UNITS, TOML)
    schedule = tmp_path / "schedule.csv"
    schedule.write_text("unit_id,fiscal_year\nA,2556\nB,2556\nC,2557\nD,2557\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["evaluate", str(csv), "--schedule", str(schedule), "--effect", "0.2",
                                       "--icc", "1.5", "--per-unit", "size"])
    assert result.exit_code == 2
    assert "--icc: 1.5 is out of range. Fix: give an intra-class correlation from 0 to below 1" in result.stderr
    assert "Traceback" not in result.stderr


def test_evaluate_with_alternatives_on_the_default_scenario(tmp_path):
    """K = 2 within 1% on scenarios/dlt-offices.csv with the workload as unit sizes: the plans' table,
    and the sentence whose figures are the schedule's power and the mean of the two plans' powers."""
    import re
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    scenario = root / "scenarios" / "dlt-offices.csv"
    schedule = tmp_path / "schedule.csv"
    solved = CliRunner().invoke(main, ["solve", str(scenario), "--out", str(schedule)])
    assert solved.exit_code == 0, solved.output
    result = CliRunner().invoke(main, ["evaluate", str(scenario), "--schedule", str(schedule), "--effect", "0.05",
                                       "--icc", "0.05", "--per-unit", "workload", "--permutations", "0",
                                       "--alternatives", "2", "--within", "1"])
    assert result.exit_code == 0, result.output
    assert result.stderr == ""
    assert "Plans within 1% of the optimum (selector alternatives, differing in at least 1 pilots):" in result.stdout
    rows = re.findall(r"^(plan \d)\s+([\d.]+)\s+(\S+ \S+ \S+ \S+)\s+([\d.]+)\s+([\d.]+)$", result.stdout, re.M)
    assert [r[0] for r in rows] == ["plan 1", "plan 2"] and float(rows[0][1]) == 0.0 and float(rows[1][1]) <= 1.0
    sentence = re.search(r"Randomising among the 2 plans within 1% of the optimum (raises|lowers) power from "
                         r"([\d.]+)% to ([\d.]+)%", result.stdout)
    assert sentence, result.stdout
    chosen = re.search(r"^\S+schedule\.csv\s+\S+ \S+ \S+ \S+\s+[\d.]+\s+([\d.]+)", result.stdout, re.M)
    assert float(sentence[2]) == pytest.approx(100 * float(chosen[1]), abs=0.06)
    mean = (float(rows[0][4]) + float(rows[1][4])) / 2
    assert float(sentence[3]) == pytest.approx(100 * mean, abs=0.06)
    assert "cannot give a p-value below 0.5" in result.stdout
