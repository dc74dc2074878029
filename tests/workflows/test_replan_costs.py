"""Re-planning with cost profiles (docs/costs.md): the money the frozen years committed to later
years is carried, not re-planned, on the tiny profile scenario of tests/model/test_costs.py.

Profile [0.5, 0.5]: a unit pays 5 baht in its start year and 5 the year after. The approved
baseline: A pilots in 2555, B and C start in 2556 (budgets 10, 15, 10). Re-planned from 2556 with
the 2556 budget cut to 10, A's second half (5 baht) is already owed by 2556.
"""

from __future__ import annotations

import pandas as pd
import pytest

import selector
from selector.check import check_replan
from selector.outputs.files import write_schedule_csv
from selector.workflows.replan import carried_commitments
from tests.model.test_costs import toml, units

BASELINE = pd.DataFrame({"unit_id": ["A", "B", "C"], "fiscal_year": [2555, 2556, 2556], "pilot": [True, False, False]})


def test_the_frozen_years_commitments_are_carried(write_scenario, tmp_path):
    """With spending after FY2557 allowed up to 10 ("charge"), the cut 2556 = 10 pays A's carried 5
    and one new half: B (R = 1) keeps 2556, C moves to 2557 (2557: B 5 + C 5 = 10; C leaves 5 after).
    A re-plan that forgot A's commitment would keep both B and C in 2556 (5 + 5 = 10)."""
    rules = '[costs]\nprofile = [0.5, 0.5]\nafter_horizon = "charge"\n'
    text = toml((10, 15, 10), rules).replace("[pilots]", "after = 10\n[pilots]")
    scenario = selector.load(write_scenario(units(), text))
    result = selector.replan(scenario, BASELINE, None, 2556, budget={2556: 10})
    assert result.status == "optimal"
    years = dict(zip(result.plan.schedule["unit_id"], result.plan.schedule["fiscal_year"]))
    assert years == {"A": 2555, "B": 2556, "C": 2557}
    assert list(result.moves["unit_id"]) == ["C"] and list(result.moves["reason"]) == ["budget cut"]
    assert list(result.plan.spending["carried"])[:2] == [0.0, 5.0]  # A's second half, carried into 2556
    path = tmp_path / "replanned.csv"
    write_schedule_csv(result.plan, path)
    baseline = tmp_path / "approved.csv"
    BASELINE.to_csv(baseline, index=False)
    assert check_replan(scenario.with_(budget={2556: 10}), path, baseline, None, 2556).violations == []


def test_short_money_names_the_commitments_carried(write_scenario):
    """Refused after 2557, B and C must both start in 2556: they cost 20, A carries 5 into 2556, and
    2556 + 2557 have 10 + 10 = 20: short by 5."""
    scenario = selector.load(write_scenario(units(), toml((10, 15, 10), "[costs]\nprofile = [0.5, 0.5]\n")))
    result = selector.replan(scenario, BASELINE, None, 2556, budget={2556: 10})
    assert result.status == "infeasible"
    assert result.plan.reasons[0] == (
        "the units still to upgrade in FY2556-2557 cost 20 baht and the units of the frozen years carry 5 baht of "
        "commitments into them, but the budgets add up to 20 baht: short by 5 baht (raise a budget with "
        "--budget YEAR=BAHT)")


def test_carried_commitments_by_year(write_scenario):
    """A running cost of 2 a year for A (from 2556) and A's second half: 2556 owes 5 + 2, 2557 owes 2."""
    scenario = selector.load(write_scenario(units(",running_cost", A=",2", B=",", C=","),
                                            toml((10, 15, 10), "[costs]\nprofile = [0.5, 0.5]\n")))
    from selector.data.progress import history, read_baseline

    hist = history(scenario, read_baseline(BASELINE, 2555, 2557), {}, 2556, "<progress>")
    assert carried_commitments(scenario, hist) == {2556: pytest.approx(7.0), 2557: pytest.approx(2.0)}
