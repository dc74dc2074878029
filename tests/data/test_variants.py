"""Scenario.with_: a variant is a new, validated Scenario; the original never changes. And the HTML views."""

from __future__ import annotations

import pytest

import selector
from tests.model.test_build import FOUR, FOUR_TOML

# The four units of the scoring example in docs/model.md: two regions, FY2555-2556, budgets 20, costs 10.


@pytest.fixture
def scenario(write_scenario):
    return selector.load(write_scenario(FOUR, FOUR_TOML))


def test_budget_is_merged_and_the_original_is_unchanged(scenario):
    variant = scenario.with_(budget={2556: 5})
    assert dict(variant.settings.budget) == {2555: 20.0, 2556: 5.0}
    assert dict(scenario.settings.budget) == {2555: 20.0, 2556: 20.0}
    assert variant.units is scenario.units and variant.csv_path == scenario.csv_path


def test_weights_pilots_and_other_settings(scenario):
    variant = scenario.with_(weights={"pilot": {"success": 2, "risk": 1}}, pilots=(2, None), pilot_emphasis=3)
    assert dict(variant.settings.pilot_weights) == {"success": 2.0, "risk": 1.0}
    assert dict(variant.settings.rollout_weights) == dict(scenario.settings.rollout_weights)
    assert (variant.settings.pilots_min, variant.settings.pilots_max, variant.pilots_max) == (2, None, 1)
    assert variant.settings.pilot_emphasis == 3.0


def test_every_problem_is_reported_at_once(scenario):
    with pytest.raises(selector.ScenarioError) as caught:
        scenario.with_(budget={2560: 1}, weights={"pilot": {"sucess": 1}}, gap=2, pilot_emphesis=1)
    # the unknown keyword is reported first and alone: nothing else can be checked until it is fixed
    assert "unknown setting 'pilot_emphesis'" in str(caught.value) and "did you mean 'pilot_emphasis'" in str(caught.value)
    with pytest.raises(selector.ScenarioError) as caught:
        scenario.with_(budget={2560: 1}, weights={"pilot": {"sucess": 1}}, gap=2, pilots=(3, 1))
    text = str(caught.value)
    assert text.startswith("4 problems")
    for part in ("budget year 2560 is outside the horizon", "did you mean 'success'", "gap = 2 is out of range",
                 "min = 3 is greater than max = 1"):
        assert part in text
    assert all(p.file == "Scenario.with_" for p in caught.value.problems)


def test_a_variant_is_solved_by_its_own_rules(scenario):
    """With pilots (1, 1) and cover cleared, only the best pilot gain is upgraded in FY2555: A (gain 2.65).

    Base: two pilots A and C (tests/test_model.py). With exactly one pilot and no cover rule, FY2555
    holds A alone; the budget of 20 in FY2556 then fits only two of B, C, D, so the plan is
    infeasible: selector says so instead of failing.
    """
    assert selector.solve(scenario).pilots["unit_id"].tolist() == ["A", "C"]
    one = selector.solve(scenario.with_(pilots=(1, 1), cover=()))
    assert one.status == "infeasible"
    assert selector.solve(scenario.with_(pilots=(1, 1), cover=(), budget={2555: 10, 2556: 30})).pilots[
        "unit_id"].tolist() == ["A"]


def test_html_views(scenario):
    page = scenario._repr_html_()
    assert "4 units, 4 to schedule" in page and "<table" in page and "North" in page
    plan = selector.solve(scenario)
    page = plan._repr_html_()
    assert f"objective {plan.objective:.6f}" in page and "Pilots (" in page and "สำนักงาน" in page
    infeasible = selector.solve(scenario.with_(budget={2555: 0, 2556: 0}))
    assert "reason:" in infeasible._repr_html_()
