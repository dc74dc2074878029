"""The fast HiGHS path (selector.highs): arrays from PuLP, LP relaxation first, honest statuses."""

from __future__ import annotations

import numpy as np
import pulp
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import selector
from selector.model.build import build_model
from selector.solvers import highs
from selector.solvers.pulp_highs import run_highs_plain

GAP = 1e-4


def knapsack() -> tuple[pulp.LpProblem, dict[str, pulp.LpVariable]]:
    """max 5a + 4b + 3c  s.t.  2a + 2b + 2c <= 3, a, b, c binary.

    The LP relaxation takes a = 1 and b = 1/2 (best value per weight first): bound 7. Only one item
    fits, so the integer optimum is a alone: 5.
    """
    prob = pulp.LpProblem("knapsack", pulp.LpMaximize)
    v = {name: prob.add_variable(name, 0, 1, pulp.LpBinary) for name in "abc"}
    prob.setObjective(pulp.LpAffineExpression([(v["a"], 5), (v["b"], 4), (v["c"], 3)]))
    prob.addConstraint(pulp.LpAffineExpression([(v["a"], 2), (v["b"], 2), (v["c"], 2)]) <= 3, "weight")
    return prob, v


def test_arrays_hold_the_problem_row_by_row():
    prob, v = knapsack()
    a = highs.problem_arrays(prob)
    assert [x.name for x in a.variables] == ["a", "b", "c"]
    assert a.cost.tolist() == [5, 4, 3] and a.maximise
    assert a.integer.tolist() == [True, True, True]
    assert a.start.tolist() == [0, 3] and a.index.tolist() == [0, 1, 2] and a.value.tolist() == [2, 2, 2]
    assert a.row_lower.tolist() == [-np.inf] and a.row_upper.tolist() == [3]


def test_row_scaling_is_exact_and_feasibility_is_checked_on_the_original_rows():
    """The weight row 2a + 2b + 2c <= 3 is divided by 2 (the power of two nearest its largest
    coefficient): a + b + c <= 1.5. Taking a and b weighs 4 > 3; a alone weighs 2."""
    prob, _ = knapsack()
    a = highs.problem_arrays(prob)
    scaled = highs.row_scaled(a)
    assert scaled.value.tolist() == [1, 1, 1] and scaled.row_upper.tolist() == [1.5]
    assert scaled.cost.tolist() == a.cost.tolist()
    assert not highs.feasible(a, np.array([1.0, 1.0, 0.0]))
    assert highs.feasible(a, np.array([1.0, 0.0, 0.0]))
    assert not highs.feasible(a, np.array([1.5, 0.0, 0.0]))  # a bound broken


def test_feasibility_tolerance_is_relative_to_the_terms_of_a_row_with_zero_right_hand_side():
    """sum cost x - share T <= 0 (the least-budget row): terms of about 1.4e7 whose floating-point sum
    is 1.9e-9 above 0 are a plan that pays its budget (as HiGHS says); 1 baht over is not."""
    prob = pulp.LpProblem("least", pulp.LpMinimize)
    x = prob.add_variable("x", 0, 1, pulp.LpBinary)
    t = prob.add_variable("t", 0)
    prob.setObjective(pulp.LpAffineExpression([(t, 1.0)]))
    prob.addConstraint(pulp.LpAffineExpression([(x, 14_490_000.0), (t, -0.4230)]) <= 0, "budget")
    a = highs.problem_arrays(prob)
    cols = {v.name: i for i, v in enumerate(a.variables)}
    values = np.zeros(2)
    values[cols["x"]], values[cols["t"]] = 1.0, 14_490_000.0 / 0.4230 - 4.4e-9
    assert highs.feasible(a, values)
    values[cols["t"]] = (14_490_000.0 + 1.0) / 0.4230 - 1.0 / 0.4230 - 1.0 / 0.4230
    assert not highs.feasible(a, values)


def test_restricted_problem_moves_fixed_columns_into_bounds_and_constant():
    """Fixing a = 1 leaves max 5 + 4b + 3c s.t. 2b + 2c <= 3 - 2 = 1 over the columns b, c."""
    prob, _ = knapsack()
    a = highs.problem_arrays(prob)
    small, columns = highs.restricted(a, np.array([False, True, True]), np.array([1.0, 0.0, 0.0]))
    assert columns.tolist() == [1, 2] and [v.name for v in small.variables] == ["b", "c"]
    assert small.cost.tolist() == [4, 3] and small.offset == 5
    assert small.start.tolist() == [0, 2] and small.index.tolist() == [0, 1] and small.value.tolist() == [2, 2]
    assert small.row_upper.tolist() == [1] and small.row_lower.tolist() == [-np.inf]


def test_fractional_lp_is_not_called_optimal_until_proven():
    """The LP bound 7 cannot prove the plan 5 (gap 40%): the restricted steps and then the full MIP
    run, and the MIP's own bound proves 5 optimal."""
    prob, v = knapsack()
    a = highs.problem_arrays(prob)
    outcome = highs.solve_lp_first(a, 10, GAP, False, small_mip=0)
    assert outcome.kind == "optimal"
    assert outcome.objective == 5 and outcome.bound == 5
    assert outcome.steps[0] == "lp" and outcome.steps[-1] == "full"
    highs.write_back(prob, a, outcome)
    assert (v["a"].varValue, v["b"].varValue, v["c"].varValue) == (1, 0, 0)
    assert prob.status == pulp.LpStatusOptimal and prob.sol_status == pulp.LpSolutionOptimal


def test_integral_lp_is_optimal_at_once():
    """With room for two items (weight <= 4) the LP picks a and b: integral, so 9 is proven by the LP."""
    prob, v = knapsack()
    prob.get_constraint_by_name("weight").changeRHS(4)
    outcome = highs.solve_lp_first(highs.problem_arrays(prob), 10, GAP, False, small_mip=0)
    assert (outcome.kind, outcome.objective, outcome.bound, outcome.steps) == ("optimal", 9, 9, ("lp",))


def test_infeasible_lp_means_no_plan():
    prob, v = knapsack()
    prob.addConstraint(pulp.LpAffineExpression([(v["a"], 1), (v["b"], 1)]) >= 3, "impossible")
    a = highs.problem_arrays(prob)
    outcome = highs.solve_lp_first(a, 10, GAP, False, small_mip=0)
    assert outcome.kind == "infeasible" and outcome.values is None
    highs.write_back(prob, a, outcome)
    assert prob.status == pulp.LpStatusInfeasible and v["a"].varValue is None


def test_neighbourhood_frees_whole_units(tmp_path):
    """A unit's columns are tied by its coverage and pilot-year rows: freed together or not at all."""
    scenario = selector.load(selector.synth(60, seed=2, out=tmp_path))
    model = build_model(scenario)
    a = highs.problem_arrays(model.prob)
    h = highs.configured_highs(False, 10, GAP)
    h.setOptionValue("solver", "ipm")
    highs.pass_arrays(h, a, a.lower, a.upper, integer=False)
    h.run()
    solution = h.getSolution()
    free = highs.neighbourhood(a, np.asarray(solution.col_value), np.asarray(solution.col_dual),
                               np.ones(len(a.cost), dtype=bool), 0.0)
    column = {id(v): i for i, v in enumerate(a.variables)}
    freed_units = 0
    for uid, pairs in model.by_unit.items():
        states = {bool(free[column[id(var)]]) for _, var in pairs} | {bool(free[column[id(model.p[uid])]])}
        assert len(states) == 1, uid
        freed_units += states == {True}
    assert 0 < freed_units < len(model.by_unit)


@settings(max_examples=6, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(units=st.integers(min_value=20, max_value=90), seed=st.integers(min_value=0, max_value=10_000))
def test_fast_path_and_plain_pulp_highs_agree(tmp_path, units, seed):
    """Both are proven within the gap, so their objectives differ by at most the gap; each one's
    bound is a true bound, so it is at least the other's objective. The restricted-MIP steps are
    forced (small_mip=0) so that they are exercised on small scenarios too."""
    scenario = selector.load(selector.synth(units, seed=seed, out=tmp_path))
    plain = run_highs_plain(build_model(scenario).prob, 30, GAP, False)
    model = build_model(scenario)
    a = highs.problem_arrays(model.prob)
    fast = highs.solve_lp_first(a, 30, GAP, False, small_mip=0)
    assert plain.status == fast.kind == "optimal"
    tolerance = GAP * abs(plain.objective) + 1e-6
    assert abs(fast.objective - plain.objective) <= tolerance
    assert fast.bound >= plain.objective - 1e-6 and plain.bound >= fast.objective - 1e-6
    assert (fast.bound - fast.objective) / abs(fast.objective) <= GAP + 1e-12
    highs.write_back(model.prob, a, fast)
    assert abs(pulp.value(model.prob.objective) - fast.objective) <= 1e-6


def test_solve_uses_the_fast_path_and_fills_the_pulp_variables(tmp_path):
    scenario = selector.load(selector.synth(40, seed=4, out=tmp_path))
    captured = []
    plan = selector.solve(scenario, extra=captured.append)
    model = captured[0]
    assert plan.status == "optimal"
    assert all(var.varValue in (0.0, 1.0) for var in model.x.values())
    pilots = {uid for uid, var in model.p.items() if var.varValue > 0.5}
    assert pilots == set(plan.pilots["unit_id"])
    assert abs(pulp.value(model.prob.objective) - plan.objective) <= 1e-6


def test_nothing_to_schedule_is_the_empty_optimal_plan(write_scenario):
    """Every unit is done: no variables, the empty plan satisfies every row (pilots min 0)."""
    csv_path = write_scenario(
        """
        unit_id,name,region,cost,infrastructure,staff,leadership,importance,workload,success,risk,done
        A,a,North,10,3,3,3,3,3,3,3,true
        B,b,South,10,3,3,3,3,3,3,3,true
        """,
        """
        [horizon]
        first_year = 2555
        last_year = 2556
        [budget]
        2555 = 10
        2556 = 10
        [pilots]
        min = 0
        """,
    )
    plan = selector.solve(selector.load(csv_path))
    assert (plan.status, plan.objective, plan.gap) == ("optimal", 0.0, 0.0)
    assert plan.schedule["phase"].tolist() == ["done", "done"]


def test_marginal_values_reuse_the_relaxation_the_fast_path_solved(tmp_path, monkeypatch):
    """On the LP-first path solve() takes the budget rows' duals from its own LP relaxation: they must
    equal what marginal_values computes by building and solving that relaxation afresh."""
    import sys

    from selector.analysis.duals import marginal_values

    money = sys.modules["selector.analysis.duals"]
    scenario = selector.load(selector.synth(150, seed=6, out=tmp_path))
    monkeypatch.setattr(highs, "SMALL_MIP", 0)  # take the LP-first path on a small scenario
    with monkeypatch.context() as patched:  # a second build inside solve() would fail the test
        patched.setattr(money, "build_model", lambda *a, **k: (_ for _ in ()).throw(AssertionError("rebuilt")))
        plan = selector.solve(scenario)
    fresh = marginal_values(scenario)
    assert plan.marginal.keys() == fresh.keys()
    assert all(abs(plan.marginal[y] - fresh[y]) <= 1e-9 * max(1.0, abs(fresh[y])) for y in fresh)
    assert plan.marginal[scenario.settings.first_year] > 0  # the pilot year's money binds


def test_solve_after_a_foreign_multithreaded_highs_run_in_the_same_process(tmp_path):
    """A notebook that ran pulp.HiGHS() with default threads first fixes HiGHS's thread pool; selector's
    one-thread runs must still solve (the pool is reset and the run retried), by both HiGHS paths."""
    import os
    import subprocess
    import sys

    from tests.conftest import DEFAULT_CSV, ROOT

    script = f"""
import pulp, selector
from selector.solvers.pulp_highs import run_highs_plain
from selector.model import build_model
prob = pulp.LpProblem("t", pulp.LpMaximize)
x = prob.add_variable_dicts("x", range(3), cat="Binary")
prob += pulp.lpSum(x.values())
prob += (x[0] + x[1] <= 1, "c1")
prob.solve(pulp.HiGHS(msg=False))
sc = selector.load({str(DEFAULT_CSV)!r})
print(selector.solve(sc).status)
prob.solve(pulp.HiGHS(msg=False))
print(run_highs_plain(build_model(sc).prob, 60, 1e-4, False).status)
"""
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                          env={**os.environ, "PYTHONPATH": str(ROOT)}, cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert done.stdout.split()[-2:] == ["optimal", "optimal"]
