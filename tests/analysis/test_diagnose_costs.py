"""Diagnosis with the cost rules of docs/costs.md names the short year, the category and the amount,
on the tiny scenario of tests/model/test_costs.py (A pilots; B and C cost 10 each)."""

from __future__ import annotations

import selector
from selector.outputs.text import summary_text
from tests.model.test_costs import toml, units

INVESTMENT = units(",cost_investment", A=",8", B=",8", C=",3")
CEILINGS = "[budget.investment]\n2555 = 10\n2556 = 10\n2557 = 0\n"


def test_an_infeasible_category_names_its_year_and_amount(write_scenario):
    """Investment parts 8, 8, 3 under ceilings 10, 10, 0: A (8) in 2555, then B and C cannot share 2556
    (8 + 3 = 11 > 10) and neither can go to 2557 (ceiling 0). The smallest change is 1 more baht of
    investment in FY2556 (C in 2557 would need 3, B 8)."""
    plan = selector.solve(selector.load(write_scenario(INVESTMENT, toml((10, 20, 10)).replace(
        "[pilots]", CEILINGS + "[pilots]"))))
    assert plan.status == "infeasible"
    assert plan.reasons == ["FY2556 investment ceiling is short by 1 baht (needs 11, has 10) ([budget.investment])"]
    assert plan.diagnosis[0].rule == "category" and plan.diagnosis[0].key == "investment=2556"


def test_best_effort_names_the_category_that_would_schedule_the_rest(write_scenario):
    text = toml((10, 20, 10)).replace("[pilots]", CEILINGS + '[plan]\ncoverage = "best-effort"\n[pilots]')
    plan = selector.solve(selector.load(write_scenario(INVESTMENT, text)))
    assert plan.status == "optimal" and plan.unscheduled == ["C"]
    assert [f.key for f in plan.extra_money] == ["investment=2556"]
    assert "Also needed: FY2556 investment ceiling is short by 1 baht" in summary_text(plan)


def test_a_short_year_under_a_profile(write_scenario):
    """Profile [0.2, 0.8], spending after FY2557 refused: everyone starts by 2556 and 2557 carries
    0.8 x (10 + 10) = 16 against a budget of 10: short by 6."""
    plan = selector.solve(selector.load(write_scenario(units(), toml((10, 20, 10), "[costs]\nprofile = [0.2, 0.8]\n"))))
    assert plan.reasons == ["FY2557 budget is short by 6 baht (needs 16, has 10)"]


def test_a_unit_no_start_year_fits(write_scenario):
    """C may not start before 2557, and its 50/50 profile would spend in 2558, after the horizon."""
    plan = selector.solve(selector.load(write_scenario(
        units(",earliest_year", A=",", B=",", C=",2557"), toml((10, 20, 20), "[costs]\nprofile = [0.5, 0.5]\n"))))
    assert plan.status == "infeasible"
    assert plan.diagnosis[0].rule == "profile_window" and plan.diagnosis[0].key == "C"
    assert "unit C cannot start by FY2556: its cost profile runs 1 year(s) past its start" in plan.reasons[0]
