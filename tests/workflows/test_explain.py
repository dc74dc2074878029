"""Explanations: score breakdowns, ranks, and binding rules that a test can verify on the plan itself."""

from __future__ import annotations

import csv

import pytest
from click.testing import CliRunner

import selector
from selector.analysis.reasons import PlanFacts
from selector.cli import main
from selector.model.scoring import score_units
from selector.workflows.explain import explain_unit
from tests.conftest import DEFAULT_CSV

HEADER = "unit_id,name,region,cost,infrastructure,staff,leadership,importance,workload,success,risk"

# Three units of 10 baht, budgets 10 / 10 / 10, exactly one pilot: one unit a year.
# A is the best pilot (P_A = 1, R_A = 0.3); B has R_B = 0.15 + 0.35 + 0.35 = 0.85, C has R_C = 0.5.
# Optimum (lambda = 3): A pilot, B in 2556, C in 2557: 0.3*3 + 3*1 + 0.85*2 + 0.5*1 = 6.1.
# Forcing C into 2556 pushes B to 2557: 0.9 + 3 + 0.5*2 + 0.85*1 = 5.75, a loss of exactly 0.35;
# and C cannot simply move because FY2556 has 0 baht left (the budget binds).
TINY_CSV = f"""
{HEADER}
A,a,N,10,5,5,5,1,1,5,1
B,b,N,10,3,3,3,5,5,3,2
C,c,N,10,3,3,3,3,3,3,2
"""
TINY_TOML = """
[horizon]
first_year = 2555
last_year = 2557
[budget]
2555 = 10
2556 = 10
2557 = 10
[pilots]
min = 1
max = 1
"""


def test_tiny_unit_forced_earlier_loses_the_hand_computed_objective(write_scenario):
    scenario = selector.load(write_scenario(TINY_CSV, TINY_TOML))
    e = explain_unit(scenario, "C")
    assert (e.fiscal_year, e.phase, e.pilot) == (2557, "wave 2", False)
    assert e.base_objective == pytest.approx(6.1)
    assert e.earlier.year == 2556 and e.earlier.loss == pytest.approx(0.35)
    assert [(b.rule, b.key) for b in e.binding] == [("budget", 2556)]
    assert e.rollout_rank == 2 and e.pilot_rank == 3  # B and C tie on P = 0.55: unit_id breaks the tie (B first)
    assert e.breakdown["rollout_part"].sum() == pytest.approx(0.5)
    assert e.breakdown["pilot_part"].sum() == pytest.approx(e.pilot_score)


@pytest.fixture(scope="module")
def default_plan(tmp_path_factory):
    scenario = selector.load(DEFAULT_CSV)
    plan = selector.solve(scenario)
    path = tmp_path_factory.mktemp("explain") / "schedule.csv"
    from selector.outputs.files import write_schedule_csv

    write_schedule_csv(plan, path)
    with open(path, encoding="utf-8-sig", newline="") as f:
        rows = {r["unit_id"]: r for r in csv.DictReader(f)}
    return scenario, plan, path, rows


def _holds(binding, uid: str, scenario, rows: dict) -> bool:
    """Recompute from the schedule file alone that the named rule binds for this unit."""
    s = scenario.settings
    cost = {u: float(r["cost"]) for u, r in rows.items()}
    year = {u: int(r["fiscal_year"]) for u, r in rows.items() if r["fiscal_year"]}
    pilots = [u for u, r in rows.items() if r["pilot"] == "true"]
    if binding.rule == "budget":
        spent = sum(cost[u] for u, y in year.items() if y == binding.key)
        return cost[uid] > s.budget[binding.key] - spent
    if binding.rule == "pilots_max":
        return len(pilots) == scenario.pilots_max
    if binding.rule == "cover":
        column, value = binding.key.split("=", 1)
        return [u for u in pilots if rows[u][column] == value] == [uid]
    if binding.rule == "pilot_risk":
        risk = scenario.units.set_index("unit_id")["risk"]
        return (sum(risk[u] for u in pilots) + risk[uid]) / (len(pilots) + 1) > s.max_mean_risk
    raise AssertionError(f"unexpected binding {binding}")


def test_every_named_binding_rule_binds_on_the_default_plan(default_plan):
    scenario, plan, _, rows = default_plan
    year_of = {u: (int(r["fiscal_year"]) if r["fiscal_year"] else None) for u, r in rows.items()}
    facts = PlanFacts(scenario, score_units(scenario.units, scenario.settings), year_of,
                      {u: r["pilot"] == "true" for u, r in rows.items()})
    named = 0
    for uid in rows:
        _, binding = facts.reasons(uid)
        for b in binding:
            assert _holds(b, uid, scenario, rows), (uid, b)
            named += 1
    assert named >= 150  # the budgets of the default scenario are nearly spent: most units are held by one


def test_explain_a_pilot_a_non_pilot_and_a_wave_3_unit(default_plan):
    scenario, plan, path, rows = default_plan
    sched = plan.schedule
    lone = [u for u in sched.loc[sched["pilot"], "unit_id"]
            if (sched.loc[sched["pilot"], "region"] == rows[u]["region"]).sum() == 1]
    pilot = explain_unit(scenario, lone[0], path)
    assert pilot.pilot and ("cover", f"region={rows[lone[0]]['region']}") in [(b.rule, b.key) for b in pilot.binding]

    wave1 = sched.loc[sched["phase"] == "wave 1", "unit_id"].iloc[0]
    non_pilot = explain_unit(scenario, wave1, path, move_earlier=False)
    assert not non_pilot.pilot and any(b.rule == "pilots_max" for b in non_pilot.binding)
    for b in non_pilot.binding:
        assert _holds(b, wave1, scenario, rows)
    assert f"pilot limit {scenario.pilots_max} reached" in non_pilot.reasons

    wave3 = sched.loc[sched["phase"] == "wave 3"].sort_values("rollout_score").iloc[-1]["unit_id"]
    result = CliRunner().invoke(main, ["explain", str(DEFAULT_CSV), wave3, "--schedule", str(path)])
    assert result.exit_code == 0, result.output
    assert "in FY2557: FY2557 has" in result.stdout and "Forced into FY2557" in result.stdout
    e = explain_unit(scenario, wave3, path)
    assert [b.rule for b in e.binding] == ["budget"] and _holds(e.binding[0], wave3, scenario, rows)
    # The forced plan is a plan of the same scenario: it cannot beat the proven bound of the optimum.
    assert e.earlier.objective <= plan.bound + 1e-9 and e.earlier.loss >= e.earlier.loss_at_least >= 0


def test_schedule_has_an_explanation_for_every_unit(default_plan):
    _, _, _, rows = default_plan
    assert all(r["explanation"].startswith(r["phase"] + ":") for r in rows.values())


def test_unknown_unit_is_bad_input(default_plan):
    _, _, path, _ = default_plan
    result = CliRunner().invoke(main, ["explain", str(DEFAULT_CSV), "NOPE", "--schedule", str(path)])
    assert result.exit_code == 2 and "unit 'NOPE' is not in the scenario" in result.stderr
