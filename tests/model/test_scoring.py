"""Scoring: the normalisation and weighted sums of docs/model.md, checked on values worked out by hand."""

import numpy as np
import pandas as pd
import pytest

from selector.data.settings import Settings
from selector.model.scoring import normalise, score_units, weighted_sum


def test_normalise_benefit_and_cost_criteria():
    values = np.array([1.0, 2.0, 5.0])
    assert normalise(values, 1, 5, False).tolist() == [0.0, 0.25, 1.0]
    assert normalise(values, 1, 5, True).tolist() == [1.0, 0.75, 0.0]


def test_weighted_sum():
    n = np.array([[1.0, 0.0], [0.5, 0.5]])
    assert weighted_sum(n, np.array([0.25, 0.75])).tolist() == [0.25, 0.5]


def test_default_weights_on_hand_worked_units():
    """Unit A = (infra 5, staff 5, leadership 5, importance 3, workload 3, success 5, risk 1):
    every pilot criterion normalises to 1 (risk is cost-type: (5-1)/4 = 1) so P = 1;
    R = 0.35*0.5 + 0.35*0.5 + 0.1*(1+1+1) = 0.65.
    Unit D = (1, 1, 1, 4, 4, 1, 5): P = 0; R = 0.35*0.75*2 = 0.525."""
    units = pd.DataFrame({
        "unit_id": ["A", "D"],
        "infrastructure": [5.0, 1.0], "staff": [5.0, 1.0], "leadership": [5.0, 1.0],
        "importance": [3.0, 4.0], "workload": [3.0, 4.0], "success": [5.0, 1.0], "risk": [1.0, 5.0],
    })
    scores = score_units(units, Settings())
    assert scores.loc["A", "pilot_score"] == pytest.approx(1.0)
    assert scores.loc["A", "rollout_score"] == pytest.approx(0.65)
    assert scores.loc["D", "pilot_score"] == pytest.approx(0.0)
    assert scores.loc["D", "rollout_score"] == pytest.approx(0.525)


def test_weights_are_normalised():
    """Weights 2 and 2 on success and risk act as 0.5 and 0.5."""
    units = pd.DataFrame({"unit_id": ["A"], **{c: [3.0] for c in
                          ("infrastructure", "staff", "leadership", "importance", "workload", "success", "risk")}})
    units["success"] = [5.0]
    units["risk"] = [3.0]
    s = Settings(pilot_weights={"success": 2, "risk": 2})
    assert score_units(units, s).loc["A", "pilot_score"] == pytest.approx(0.5 * 1 + 0.5 * 0.5)
