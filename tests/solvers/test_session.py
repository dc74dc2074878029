"""One solver session, changed in place: the same answers as building and solving each variant afresh."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import selector
from selector.model.build import build_model
from selector.solvers.backends import run_highs
from selector.solvers.session import Session
from selector.status import Status

from .test_highs import knapsack


def test_costs_bounds_and_row_bounds_change_in_place():
    """max 5a + 4b + 3c s.t. 2a + 2b + 2c <= 3: one item fits, a (5). With a's cost set to 1 the best
    single item is b (4). With the weight limit raised to 4 two items fit: b and c (4 + 3 = 7, a is
    worth 1 now). Forcing a in (a >= 1) leaves room for one more: a + b = 1 + 4 = 5."""
    prob, v = knapsack()
    session = Session(prob, 1e-9, 10)
    a, b, c = session.columns([v["a"], v["b"], v["c"]])
    first = session.run()
    assert first.status == Status.OPTIMAL and first.objective == pytest.approx(5) and first.values["a"] == 1
    session.set_costs([a], [1.0])
    assert session.run().objective == pytest.approx(4)
    session.set_row_bounds([session.row["weight"]], [-np.inf], [4.0])
    run = session.run()
    assert run.objective == pytest.approx(7) and (run.values["b"], run.values["c"]) == (1, 1)
    session.set_bounds([a], 1.0, 1.0)
    run = session.run()
    assert run.objective == pytest.approx(5) and (run.values["a"], run.values["b"]) == (1, 1)
    assert run.bound == pytest.approx(5)


def test_added_cut_rows_exclude_plans_and_removed_rows_bring_them_back():
    """The no-good cut (1 - a) + b + c >= 1 excludes the plan {a} alone: the best left is b (4).
    A second cut excluding {b} leaves c (3); removing the first cut brings a (5) back. With all three
    single items and the empty plan cut off, no plan is left: infeasible, proven."""
    prob, v = knapsack()
    session = Session(prob, 1e-9, 10)
    a, b, c = session.columns([v["a"], v["b"], v["c"]])
    cols = np.array([a, b, c])
    not_a = session.add_rows([(cols, np.array([-1.0, 1.0, 1.0]), 0.0, np.inf)])  # (1 - a) + b + c >= 1
    assert session.run().objective == pytest.approx(4)
    session.add_rows([(cols, np.array([1.0, -1.0, 1.0]), 0.0, np.inf)])  # a + (1 - b) + c >= 1
    assert session.run().objective == pytest.approx(3)
    session.remove_rows(not_a)
    assert session.run().objective == pytest.approx(5)
    assert len(session.arrays.row_lower) == 2 and session.arrays.start[-1] == len(session.arrays.index) == 6
    session.add_rows([(cols, np.array([-1.0, 1.0, 1.0]), 0.0, np.inf),
                      (cols, np.array([1.0, 1.0, -1.0]), 0.0, np.inf),  # not {c}
                      (cols, np.array([1.0, 1.0, 1.0]), 1.0, np.inf)])  # not the empty plan
    run = session.run()
    assert run.status == Status.INFEASIBLE and run.values == {}


def test_a_start_changes_nothing_that_is_proven():
    """Started from the worst feasible plan (c alone), the session still proves a (5) optimal."""
    prob, v = knapsack()
    session = Session(prob, 1e-9, 10)
    start = np.zeros(3)
    start[session.column["c"]] = 1
    run = session.run(start)
    assert run.status == Status.OPTIMAL and run.objective == pytest.approx(5)


@settings(max_examples=6, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(seed=st.integers(0, 10_000), scale=st.floats(0.6, 1.0))
def test_session_budgets_equal_a_fresh_build(tmp_path, seed, scale):
    """For a random scenario, lowering every budget in the session gives the optimum of a model built
    with those budgets and solved from scratch (within the gap)."""
    scenario = selector.load(selector.synth(14, seed, tmp_path))
    model = build_model(scenario)
    session = Session(model.prob, 1e-9, 30)
    first = session.run()
    budget = {y: float(round(scenario.settings.budget[y] * scale)) for y in scenario.settings.years}
    rows = [session.row[f"budget_{y}"] for y in budget]
    session.set_row_bounds(rows, np.full(len(rows), -np.inf), np.array(list(budget.values())))
    changed = session.run()
    fresh = build_model(scenario.with_(budget=budget))
    expected = run_highs(fresh.prob, 30, 1e-9, False)
    assert changed.status == expected.status
    if expected.status == Status.OPTIMAL:
        assert changed.objective == pytest.approx(expected.objective, rel=1e-7, abs=1e-9)
        assert changed.objective <= first.objective + 1e-9
