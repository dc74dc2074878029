"""The solvers behind one interface: each takes a PuLP problem and returns a ``SolverRun``."""

from __future__ import annotations

import os
import re
import sys
import tempfile
import time
from contextlib import contextmanager
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Callable

import pulp

from selector.errors import SolverError
from selector.model.build import Model, count_expression
from selector.solvers import highs
from selector.status import Status, relative_gap


@dataclass(frozen=True)
class SolverRun:
    """What the solver proved: status, values of the binaries, objective, bound, gap."""

    status: str
    values: dict[str, float]
    objective: float | None
    bound: float | None
    gap: float | None
    solver: str
    version: str
    seconds: float
    lp_duals: dict[str, float] | None = None  # row name -> dual of the LP relaxation, when the solver solved it


# ---------------------------------------------------------------------------------------------
# Running the solvers


@contextmanager
def redirect_stdout_fd(target: int | None):
    """Point file descriptor 1 elsewhere while native solver code runs (HiGHS prints a banner there).

    ``target`` is a file descriptor, or None for the null device. Python's own sys.stdout is
    flushed first so nothing is reordered.
    """
    try:
        sys.stdout.flush()
    except (AttributeError, ValueError):
        pass
    try:
        saved = os.dup(1)
    except OSError:  # no fd 1 at all (some embedded interpreters): nothing to protect
        yield
        return
    null = None
    try:
        if target is None:
            null = os.open(os.devnull, os.O_WRONLY)
            target = null
        os.dup2(target, 1)
        yield
    finally:
        os.dup2(saved, 1)
        os.close(saved)
        if null is not None:
            os.close(null)


def run_highs(prob: pulp.LpProblem, time_limit: float, gap: float, verbose: bool) -> SolverRun:
    """HiGHS, fast: the model passed in one call and the LP relaxation first (see ``selector.highs``).

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


def run_highs_plain(prob: pulp.LpProblem, time_limit: float, gap: float, verbose: bool) -> SolverRun:
    """HiGHS through PuLP's own interface, the full MIP from scratch: the straightforward reference.

    Slower than ``run_highs`` on large scenarios (PuLP adds the columns and rows one by one, and
    the branch and bound proves the last hundredth of a percent the hard way); kept for
    benchmarks and for tests that compare the two.
    """
    try:
        import highspy
    except ImportError as exc:
        raise SolverError(f"HiGHS is not available ({exc}); install it with `pip install highspy` "
                          "or use --solver cbc") from exc

    # One thread, fixed seed: parallel tasks finishing in a different order could pick another of equal optima.
    solver = pulp.HiGHS(msg=verbose, gapRel=gap, timeLimit=time_limit, random_seed=0, threads=1)
    start = time.perf_counter()
    with redirect_stdout_fd(2 if verbose else None):
        for attempt in range(2):
            try:
                prob.solve(solver)
            except pulp.PulpSolverError as exc:
                raise SolverError(f"HiGHS failed: {exc}. Try --solver cbc.") from exc
            except KeyError:
                pass  # PuLP has no name for some HiGHS statuses (e.g. a solution limit): HiGHS's own status is read below
            # Another HiGHS user in this process may have fixed the thread pool at another size:
            # HiGHS then refuses the one-thread run without solving; reset the pool and run again.
            if attempt or prob.solverModel.getModelStatus() != highspy.HighsModelStatus.kNotset:
                break
            highspy.Highs.resetGlobalScheduler(True)
    seconds = time.perf_counter() - start
    run = highs_outcome(prob.solverModel, seconds)
    if run.status in (Status.INFEASIBLE, Status.NO_SOLUTION):
        return run
    return replace(run, values={v.name: v.varValue for v in prob.variables()})


def highs_outcome(h, seconds: float) -> SolverRun:
    """What a solved ``highspy.Highs`` model proved (without the variables' values).

    HiGHS minimises the negated objective PuLP hands it for a maximisation: signs are undone here.
    """
    import highspy

    status = h.getModelStatus()
    info = h.getInfo()
    S = highspy.HighsModelStatus
    has_solution = info.primal_solution_status == 2  # kSolutionStatusFeasible
    version = h.version()
    stopped = (S.kTimeLimit, S.kInterrupt, S.kIterationLimit, S.kSolutionLimit)
    if status == S.kInfeasible:
        return SolverRun(Status.INFEASIBLE, {}, None, None, None, "highs", version, seconds)
    if status == S.kOptimal:
        kind = Status.OPTIMAL
    elif status in stopped and has_solution:
        kind = Status.FEASIBLE
    elif status in stopped:
        return SolverRun(Status.NO_SOLUTION, {}, None, None, None, "highs", version, seconds)
    else:
        raise SolverError(f"HiGHS stopped with status {h.modelStatusToString(status)}. Try --solver cbc.")
    objective = -info.objective_function_value
    bound = -info.mip_dual_bound
    return SolverRun(kind, {}, objective, bound, relative_gap(objective, bound), "highs", version, seconds)


_CBC_NUMBER = r"([-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?)"


def run_cbc(prob: pulp.LpProblem, time_limit: float, gap: float, verbose: bool) -> SolverRun:
    try:
        import cbcbox

        path = cbcbox.cbc_bin_path()
    except Exception as exc:  # cbcbox missing or without a binary for this platform
        raise SolverError(f"CBC is not available ({exc}); install it with `pip install cbcbox` or use --solver highs") from exc
    with tempfile.TemporaryDirectory(prefix="selector-cbc-") as tmp:
        log = Path(tmp) / "cbc.log"
        solver = pulp.COIN_CMD(path=path, msg=False, gapRel=gap, timeLimit=time_limit, threads=1,
                               logPath=str(log), keepFiles=False)
        start = time.perf_counter()
        try:
            prob.solve(solver)
        except pulp.PulpSolverError as exc:
            raise SolverError(f"CBC failed: {exc}. Try --solver highs.") from exc
        seconds = time.perf_counter() - start
        text = log.read_text(encoding="utf-8", errors="replace") if log.exists() else ""
    if verbose:
        sys.stderr.write(text)
    version_match = re.search(r"Version:\s*(\S+)", text)
    version = version_match.group(1) if version_match else "unknown"
    sol = prob.sol_status
    # CBC's solution file says "Infeasible" or "Integer infeasible"; PuLP maps only the first to a
    # solution status, so the problem status is read too.
    if sol == pulp.LpSolutionInfeasible or prob.status == pulp.LpStatusInfeasible or re.search(r"Result - (Problem proven infeasible|Linear relaxation infeasible)", text):
        return SolverRun(Status.INFEASIBLE, {}, None, None, None, "cbc", version, seconds)
    if sol not in (pulp.LpSolutionOptimal, pulp.LpSolutionIntegerFeasible):
        if re.search(r"Result - Stopped", text):
            return SolverRun(Status.NO_SOLUTION, {}, None, None, None, "cbc", version, seconds)
        raise SolverError(f"CBC stopped with status {pulp.LpStatus.get(prob.status, prob.status)}. Try --solver highs.")
    values = {v.name: v.varValue for v in prob.variables()}
    objective = float(pulp.value(prob.objective))
    bound_match = re.search(r"(?:Upper|Lower) bound:\s*" + _CBC_NUMBER, text)
    bound = float(bound_match.group(1)) if bound_match else None
    if sol == pulp.LpSolutionOptimal:
        if bound is None:
            bound = objective
        return SolverRun(Status.OPTIMAL, values, objective, bound, relative_gap(objective, bound), "cbc", version, seconds)
    if bound is None:
        raise SolverError("CBC stopped before proving a bound; rerun with a longer --time-limit or --solver highs")
    return SolverRun(Status.FEASIBLE, values, objective, bound, relative_gap(objective, bound), "cbc", version, seconds)


SOLVERS: dict[str, Callable[[pulp.LpProblem, float, float, bool], SolverRun]] = {"highs": run_highs, "cbc": run_cbc}


def solve_model(model: Model, solver: str, time_limit: float, gap: float, verbose: bool = False) -> SolverRun:
    """Solve a built model (both stages under best-effort); the model may be solved again after a change.

    Under best-effort the second stage is ``optimal`` only if the first proved the count.
    """
    if model.scenario.settings.coverage != "best-effort" or not model.x:
        return SOLVERS[solver](model.prob, time_limit, gap, verbose)
    count_run = _maximise_count(model, solver, time_limit, gap, verbose)
    if count_run.status not in (Status.OPTIMAL, Status.FEASIBLE):
        return count_run
    run = SOLVERS[solver](model.prob, time_limit, gap, verbose)
    status = run.status if count_run.status == Status.OPTIMAL or run.status != Status.OPTIMAL else Status.FEASIBLE
    return replace(run, status=status, seconds=run.seconds + count_run.seconds)


def _maximise_count(model: Model, solver: str, time_limit: float, gap: float, verbose: bool) -> SolverRun:
    """Best-effort, first stage: maximise the number of units upgraded, then hold it with row ``coverage_count``.

    sum_u sum_y x[u,y] >= N*, where N* is the most units any plan can upgrade; the model's own
    objective is restored for the second stage.
    """
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
