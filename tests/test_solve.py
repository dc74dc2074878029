"""selector.solve, the orchestrator: what it proves, what it records, and best-effort coverage.

Best-effort coverage: each unit at most once, the most units first, the rest listed with what they would cost.
"""

from __future__ import annotations

import json

from click.testing import CliRunner

import selector
from selector.cli import main

HEADER = "unit_id,name,region,cost,infrastructure,staff,leadership,importance,workload,success,risk"

# Five units of 10 baht each; budgets 10 / 20 / 10 pay for at most 1 + 2 + 1 = 4 of them. Best-effort
# upgrades 4 (the most possible) and leaves 1 unscheduled: the one of lowest rollout priority, E
# (importance and workload 1), because every other unit is worth more in any year. Money that would
# schedule E: 10 baht more in one year.
CSV = f"""
{HEADER}
A,a,N,10,5,5,5,3,3,5,1
B,b,N,10,3,3,3,5,5,3,2
C,c,N,10,3,3,3,4,4,3,2
D,d,N,10,3,3,3,3,3,3,2
E,e,N,10,3,3,3,1,1,3,2
"""
TOML = """
[horizon]
first_year = 2555
last_year = 2557
[plan]
coverage = "best-effort"
[budget]
2555 = 10
2556 = 20
2557 = 10
[pilots]
min = 1
max = 1
"""


def test_best_effort_schedules_the_most_units_and_reports_the_money_for_the_rest(write_scenario, tmp_path):
    csv_path = write_scenario(CSV, TOML)
    out, record = tmp_path / "plan.csv", tmp_path / "plan.json"
    result = CliRunner().invoke(main, ["solve", str(csv_path), "--out", str(out), "--json", str(record)])
    assert result.exit_code == 0, result.output
    data = json.loads(record.read_text(encoding="utf-8"))
    assert data["unscheduled"] == ["E"]
    assert sum(1 for u in data["units"] if u["phase"] == "unscheduled") == 1
    extra = {int(y): v for y, v in data["extra_budget"].items()}
    assert sum(extra.values()) == 10
    assert "1 unit(s) unscheduled" in result.stdout and "Extra budget" in result.stdout

    # The scheduled part passes the independent check ...
    checked = CliRunner().invoke(main, ["check", str(csv_path), str(out)])
    assert checked.exit_code == 0, checked.output
    # ... which refuses the same file when every unit must be upgraded.
    full_toml = csv_path.with_name("full.toml")
    full_toml.write_text(TOML.replace('coverage = "best-effort"', 'coverage = "all"'), encoding="utf-8")
    refused = CliRunner().invoke(main, ["check", str(csv_path), str(out), "--settings", str(full_toml)])
    assert refused.exit_code == 3 and "unit E is not scheduled" in refused.stderr

    # Adding the reported extra budget makes the full-coverage solve feasible.
    scenario = selector.load(csv_path)
    budget = {y: b + extra.get(y, 0.0) for y, b in scenario.settings.budget.items()}
    full = scenario.with_settings(coverage="all", budget=budget)
    assert selector.solve(full).status == "optimal"
    assert selector.solve(scenario.with_settings(coverage="all")).status == "infeasible"


def test_best_effort_with_enough_money_schedules_everyone(write_scenario):
    scenario = selector.load(write_scenario(CSV, TOML.replace("2557 = 10", "2557 = 20")))
    plan = selector.solve(scenario)
    assert plan.status == "optimal" and plan.unscheduled == [] and plan.extra_budget == {}
    full = selector.solve(scenario.with_settings(coverage="all"))
    assert abs(plan.objective - full.objective) < 1e-9


def test_coverage_setting_is_validated(write_scenario):
    import pytest

    with pytest.raises(selector.ScenarioError, match="coverage"):
        selector.load(write_scenario(CSV, TOML.replace('"best-effort"', '"some"')))


# --- the orchestrator ----------------------------------------------------------------------------

def test_contradictions_found_before_building_need_no_model(write_scenario, monkeypatch):
    """No money at all: the pre-solve checks prove it infeasible, so no model is built or solved."""
    import importlib

    from tests.model.test_build import FOUR, FOUR_TOML

    scenario = selector.load(write_scenario(FOUR, FOUR_TOML)).with_(budget={2555: 0, 2556: 0})
    solve_module = importlib.import_module("selector.solve")
    monkeypatch.setattr(solve_module, "build_model", lambda *a, **k: (_ for _ in ()).throw(AssertionError("built")))
    plan = selector.solve(scenario)
    assert plan.status is selector.Status.INFEASIBLE and plan.schedule is None
    assert plan.reasons and plan.diagnosis  # in words, and as records


def test_the_status_is_the_enum_and_the_gap_is_within_the_one_asked(write_scenario):
    from tests.model.test_build import FOUR, FOUR_TOML

    plan = selector.solve(selector.load(write_scenario(FOUR, FOUR_TOML)), gap=0.02)
    assert plan.status is selector.Status.OPTIMAL and plan.status == "optimal"
    assert plan.proven_optimal and 0 <= plan.gap <= 0.02
    assert plan.bound >= plan.objective


def test_the_same_input_gives_the_same_schedule(write_scenario):
    from tests.model.test_build import FOUR, FOUR_TOML

    scenario = selector.load(write_scenario(FOUR, FOUR_TOML))
    first, second = selector.solve(scenario), selector.solve(scenario)
    assert first.schedule.equals(second.schedule) and first.objective == second.objective
