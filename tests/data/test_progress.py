"""Baseline and progress files of a re-plan: every problem at once, with file, line, column and fix."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

import selector
from selector.cli import main
from selector.errors import ScenarioError
from tests.workflows.test_replan import TINY_CSV, TINY_TOML, baseline_frame, with_column


@pytest.fixture
def tiny(write_scenario, tmp_path):
    csv_path = write_scenario(TINY_CSV, TINY_TOML)
    baseline_path = tmp_path / "approved.csv"
    baseline_frame().to_csv(baseline_path, index=False)
    return selector.load(csv_path), baseline_path, tmp_path


def problems_of(call) -> list[tuple]:
    with pytest.raises(ScenarioError) as err:
        call()
    return [(p.line, p.column, p.message) for p in err.value.problems]


def test_every_progress_problem_is_reported_with_its_line_and_column(tiny):
    scenario, baseline, tmp = tiny
    progress = tmp / "progress.csv"
    progress.write_text(
        "unit_id,state,success,risk\n"
        "P1,finished,,\n"        # line 2: not a state
        "W1,done,9,\n"           # line 3: success off the 1-5 scale
        "A,done,,\n"             # line 4: planned for FY2557, cannot be done before it
        "B,failed,,x\n"          # line 5: not started, cannot have failed; risk not a number
        "Q,done,,\n"             # line 6: unknown unit
        "D,deferred,,\n"         # line 7: planned for the last year, cannot be deferred
        "W1,done,,\n",           # line 8: listed twice
        encoding="utf-8")
    found = problems_of(lambda: selector.replan(scenario, baseline, progress, 2557))
    assert (2, "state", "'finished' is not a state") in found
    assert (3, "success", "value 9 is outside the scale 1 to 5") in found
    assert (5, "risk", "value 'x' is not a number") in found
    assert (8, "unit_id", "unit_id 'W1' is on lines 3, 8") in found
    # the rules across files are checked once each file is readable
    progress.write_text("unit_id,state\nA,done\nB,failed\nQ,done\nD,deferred\nP1,in_progress\n", encoding="utf-8")
    found = problems_of(lambda: selector.replan(scenario, baseline, progress, 2557))
    lines = {line for line, _, _ in found}
    assert lines == {2, 3, 4, 5}  # P1 in progress since FY2555 is fine: it stays in FY2555
    assert any("marked done before FY2557" in m for _, _, m in found)
    assert any("cannot have failed yet" in m for _, _, m in found)
    assert any("neither in the scenario nor in the baseline" in m for _, _, m in found)
    assert any("cannot be deferred beyond it" in m for _, _, m in found)


def test_missing_columns_and_bad_baseline_years(tiny):
    scenario, baseline, tmp = tiny
    progress = tmp / "progress.csv"
    progress.write_text("unit,status\nP1,done\n", encoding="utf-8")
    found = problems_of(lambda: selector.replan(scenario, baseline, progress, 2557))
    assert {(line, col) for line, col, _ in found} == {(1, "unit_id"), (1, "state")}
    bad_baseline = tmp / "bad.csv"
    bad_baseline.write_text("unit_id,fiscal_year,pilot\nP1,2555,true\nW1,2560,false\nA,soon,false\nA,2557,maybe\n",
                            encoding="utf-8")
    found = problems_of(lambda: selector.replan(scenario, bad_baseline, None, 2557))
    assert (3, "fiscal_year", "year 2560 is outside the horizon 2555-2558") in found
    assert (4, "fiscal_year", "'soon' is not a fiscal year") in found
    assert (5, "pilot", "'maybe' is not true or false") in found
    assert (5, "unit_id", "unit_id 'A' is on lines 4, 5") in found


def test_from_year_and_budgets_are_checked(tiny):
    scenario, baseline, _ = tiny
    assert problems_of(lambda: selector.replan(scenario, baseline, None, 2560)) == [
        (None, None, "FY2560 is outside the horizon 2555-2558")]
    found = problems_of(lambda: selector.replan(scenario, baseline, None, 2557, budget={2556: 5, 2599: 1}))
    assert [m for _, _, m in found] == ["FY2556 is before the re-plan year FY2557: its money is spent",
                                        "FY2599 is outside the horizon"]


def test_a_passed_latest_year_points_at_the_scenario_line(write_scenario, tmp_path):
    """W1 must be upgraded by FY2556 (line 3) but was deferred: no year is left for it."""
    scenario = selector.load(write_scenario(with_column(TINY_CSV, "latest_year", {"W1": "2556"}), TINY_TOML))
    baseline = tmp_path / "b.csv"
    baseline_frame().to_csv(baseline, index=False)
    progress = tmp_path / "p.csv"
    progress.write_text("unit_id,state\nW1,deferred\n", encoding="utf-8")
    found = problems_of(lambda: selector.replan(scenario, baseline, progress, 2557))
    assert found == [(3, "latest_year", "unit W1 must be upgraded by FY2556 but can now come no earlier than FY2557")]


def test_cli_reports_bad_progress_with_exit_2(tiny):
    scenario, baseline, tmp = tiny
    progress = tmp / "progress.csv"
    progress.write_text("unit_id,state\nP1,maybe\n", encoding="utf-8")
    out = tmp / "new.csv"
    result = CliRunner().invoke(main, ["replan", scenario.csv_path, "--baseline", str(baseline), "--progress",
                                       str(progress), "--from", "2557", "--out", str(out)])
    assert result.exit_code == 2
    assert f"{progress}, line 2, column 'state': 'maybe' is not a state" in result.stderr
    assert not out.exists()
    lonely = CliRunner().invoke(main, ["check", scenario.csv_path, str(baseline), "--progress", str(progress)])
    assert lonely.exit_code == 2 and "needs both --baseline and --from" in lonely.stderr
