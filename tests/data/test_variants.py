"""Scenario.with_: a variant is a new, validated Scenario; the original never changes. And the HTML views."""

from __future__ import annotations

import pytest

import selector
from tests.model.test_build import FOUR, FOUR_TOML
from tests.model.test_costs import toml, units
from tests.model.test_rules import years_of

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


# ---------------------------------------------------------------------------------------------
# The costs of docs/costs.md through with_, on the three units A, B, C of tests/model/test_costs.py
# (A pilots; the optima of each rule are worked out by hand in the docstrings there).


def test_cost_settings_through_with_are_those_of_the_toml(write_scenario):
    """Each new setting given to with_ yields exactly the settings the same lines of TOML give."""
    rules = ('[costs]\nprofile = [0.5, 0.5]\npilot_profile = [1.0]\nafter_horizon = "charge"\n'
             'running_category = "investment"\n[costs.profiles]\nslow = [0.2, 0.8]\n')
    tables = "after = 5\n[budget.investment]\n2555 = 10\n2556 = 10\n2557 = 10\nprofile = [1.0]\n"
    csv = units(",cost_investment,running_cost,profile", A=",8,1,", B=",8,,slow", C=",3,,")
    from_toml = selector.load(write_scenario(csv, toml((10, 20, 10), rules).replace("[pilots]", tables + "[pilots]"),
                                             stem="toml"))
    plain = selector.load(write_scenario(csv.replace(",slow", ","), toml((10, 20, 10)), stem="plain"))
    variant = plain.with_(cost_profile=(0.5, 0.5), pilot_profile=[1.0], after_horizon="charge", budget_after=5,
                          running_category="investment", profiles={"slow": (0.2, 0.8)},
                          categories={"investment": {2555: 10, 2556: 10, 2557: 10, "profile": (1.0,)}})
    assert variant.settings.to_dict() == from_toml.settings.to_dict()
    assert variant.settings.categories == from_toml.settings.categories
    assert not plain.settings.costs_on  # unchanged


def test_a_profile_and_categories_given_to_with_change_the_plan(write_scenario):
    """Profile 50/50 at budgets 10/15/10 moves C from 2557 to 2556 (6.75 -> 7.0); an investment ceiling of
    10 a year at budgets 10/20/10 moves C back to 2557 (7.0 -> 6.75); budget= keeps the categories and
    categories={} removes them; "charge" with after = 5 lets C start in 2557 at budgets 10/10/10, after = 4
    does not."""
    plain = selector.load(write_scenario(units(), toml((10, 15, 10))))
    assert selector.solve(plain).objective == pytest.approx(6.75)
    assert selector.solve(plain.with_(cost_profile=(0.5, 0.5))).objective == pytest.approx(7.0)

    parts = selector.load(write_scenario(units(",cost_investment", A=",8", B=",8", C=",3"), toml((10, 20, 10)),
                                         stem="parts"))
    assert selector.solve(parts).objective == pytest.approx(7.0)
    capped = parts.with_(categories={"investment": {2555: 10, 2556: 10, 2557: 10}})
    assert years_of(selector.solve(capped)) == {"A": 2555, "B": 2556, "C": 2557}
    assert capped.with_(budget={2557: 12}).settings.categories == capped.settings.categories
    assert selector.solve(capped.with_(categories={})).objective == pytest.approx(7.0)

    low = plain.with_(budget={2556: 10})
    charged = low.with_(cost_profile=(0.5, 0.5), after_horizon="charge", budget_after=5)
    assert years_of(selector.solve(charged)) == {"A": 2555, "B": 2556, "C": 2557}
    assert selector.solve(charged.with_(budget_after=4)).status == "infeasible"


def test_bad_cost_settings_given_to_with_are_all_reported(write_scenario):
    """The TOML's rules (shares adding up to 1, after only with "charge", a running category that exists,
    a ceiling every year) and the units' rules (a profile named in the CSV must exist) at once."""
    scenario = selector.load(write_scenario(units(",profile", A=",", B=",slow", C=","),
                                            toml((10, 15, 10), "[costs.profiles]\nslow = [0.2, 0.8]\n")))
    with pytest.raises(selector.ScenarioError) as caught:
        scenario.with_(cost_profile=(0.5, 0.6), budget_after=5, running_category="investmnt",
                       categories={"investment": {2555: 10}})
    text = str(caught.value)
    assert "the shares add up to 1.1, not 1" in text
    assert "[budget] after is given but [costs] after_horizon is not \"charge\"" in text
    assert "running_category = 'investmnt' is not a [budget.<category>]" in text and "did you mean 'investment'" in text
    assert "category investment has no ceiling for fiscal year 2556, 2557" in text
    with pytest.raises(selector.ScenarioError) as caught:
        scenario.with_(profiles={"fast": (1.0,)})
    [problem] = caught.value.problems
    assert (problem.line, problem.column) == (3, "profile") and "'slow' is not a profile" in problem.message
    assert scenario.with_(profiles={"slow": [0.3, 0.7]}).settings.profiles["slow"] == (0.3, 0.7)
