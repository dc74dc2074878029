"""HiGHS through PuLP's own interface: the straightforward reference path, and reading what HiGHS proved."""

from __future__ import annotations

import time
from dataclasses import replace

import pulp

from selector.errors import SolverError
from selector.solvers.options import SEED, THREADS
from selector.solvers.run import SolverRun, redirect_stdout_fd
from selector.status import Status, relative_gap


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
    solver = pulp.HiGHS(msg=verbose, gapRel=gap, timeLimit=time_limit, random_seed=SEED, threads=THREADS)
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
