"""The solvers behind one interface: each takes a PuLP problem and returns a ``SolverRun``.

``SOLVERS`` maps a solver's name to its adapter: ``highs`` is the fast path (``selector.solvers.highs``),
``cbc`` the CBC binary (``selector.solvers.cbc``); ``selector.solvers.pulp_highs`` is HiGHS through
PuLP's own interface, kept as the reference. ``solve_model`` runs a built model, in two stages under
best-effort coverage.
"""

from __future__ import annotations

import time
from dataclasses import replace
from typing import Callable

import pulp

from selector.errors import SolverError
from selector.model.build import Model, count_expression
from selector.solvers import highs
from selector.solvers.cbc import run_cbc
from selector.solvers.run import SolverRun, redirect_stdout_fd, time_limited
from selector.status import Status, relative_gap


def run_highs(prob: pulp.LpProblem, time_limit: float, gap: float, verbose: bool) -> SolverRun:
    """HiGHS, fast: the model passed in one call and the LP relaxation first (see ``selector.solvers.highs``).

    The values are written back into the PuLP variables, and ``prob.status`` is set, as PuLP's own
    solver interfaces do.
    """
    try:
        import highspy
    except ImportError as exc:
        raise SolverError(f"HiGHS is not available ({exc}); install it with `pip install highspy` "
                          "or use --solver cbc") from exc

    start = time.perf_counter()
    arrays = highs.problem_arrays(prob)
    with redirect_stdout_fd(2 if verbose else None):
        try:
            outcome = highs.solve_lp_first(arrays, time_limit, gap, verbose)
        except (RuntimeError, highspy.HighsError) as exc:
            raise SolverError(f"HiGHS failed: {exc}. Try --solver cbc.") from exc
    highs.write_back(prob, arrays, outcome)
    seconds = time.perf_counter() - start
    if outcome.kind in (Status.INFEASIBLE, Status.NO_SOLUTION):
        return SolverRun(outcome.kind, {}, None, None, None, "highs", outcome.version, seconds)
    values = {v.name: v.varValue for v in arrays.variables}
    duals = None if outcome.row_duals is None else dict(zip((c.name for c in prob.constraints()),
                                                            outcome.row_duals.tolist()))
    return SolverRun(outcome.kind, values, outcome.objective, outcome.bound,
                     relative_gap(outcome.objective, outcome.bound), "highs", outcome.version, seconds, duals)





SOLVERS: dict[str, Callable[[pulp.LpProblem, float, float, bool], SolverRun]] = {
    "highs": time_limited(run_highs), "cbc": time_limited(run_cbc)}
"""The solver adapters by name: each takes (problem, time_limit, gap, verbose) and returns a SolverRun."""


def solve_model(model: Model, solver: str, time_limit: float, gap: float, verbose: bool = False) -> SolverRun:
    """Solve a built model (both stages under best-effort); the model may be solved again after a change.

    Under best-effort the second stage is ``optimal`` only if the first proved the count.
    """
    if model.scenario.settings.coverage != "best-effort" or not model.x:
        return SOLVERS[solver](model.prob, time_limit, gap, verbose)
    count_run = hold_count(model, solver, time_limit, gap, verbose)
    if count_run.status not in (Status.OPTIMAL, Status.FEASIBLE):
        return count_run
    run = SOLVERS[solver](model.prob, time_limit, gap, verbose)
    status = run.status if count_run.status == Status.OPTIMAL or run.status != Status.OPTIMAL else Status.FEASIBLE
    return replace(run, status=status, seconds=run.seconds + count_run.seconds)


def hold_count(model: Model, solver: str, time_limit: float, gap: float, verbose: bool = False) -> SolverRun:
    """Best-effort, first stage: maximise the number of units upgraded, then hold it with row ``coverage_count``.

    Does nothing (and returns the first stage's status) when the row holds already, or when the
    model is not best-effort.

    sum_u sum_y x[u,y] >= N*, where N* is the most units any plan can upgrade; the model's own
    objective is restored for the second stage.
    """
    if model.scenario.settings.coverage != "best-effort" or not model.x:
        return SolverRun(Status.OPTIMAL, {}, None, None, None, solver, "", 0.0)
    objective = model.prob.objective
    count = count_expression(model)
    if model.count_status is not None:  # solved before: the count is held by its row already
        return SolverRun(model.count_status, {}, None, None, None, solver, "", 0.0)
    model.prob.setObjective(count)
    # A gap below one unit proves the count itself.
    run = SOLVERS[solver](model.prob, time_limit, min(gap, 0.5 / max(len(model.units), 1)), verbose)
    model.prob.setObjective(objective)
    if run.status in (Status.OPTIMAL, Status.FEASIBLE):
        most = round(sum(run.values.get(var.name, 0.0) or 0.0 for var in model.x.values()))
        model.prob.addConstraint(count >= most, "coverage_count")
        model.count_status = run.status
    return run
