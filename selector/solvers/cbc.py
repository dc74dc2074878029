"""CBC through PuLP (the binary from cbcbox), its status and proven bound read from its own log.

PuLP reports "Optimal" after a time limit too, so the result line and the bound are read from
CBC's log: a plan is ``optimal`` only when CBC proved it within the gap.
"""

from __future__ import annotations

import re
import sys
import tempfile
import time
from pathlib import Path

import pulp

from selector.errors import SolverError
from selector.solvers.options import THREADS
from selector.solvers.run import SolverRun
from selector.status import Status, relative_gap

_CBC_NUMBER = r"([-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?)"


def run_cbc(prob: pulp.LpProblem, time_limit: float, gap: float, verbose: bool) -> SolverRun:
    try:
        import cbcbox

        path = cbcbox.cbc_bin_path()
    except Exception as exc:  # cbcbox missing or without a binary for this platform
        raise SolverError(f"CBC is not available ({exc}); install it with `pip install cbcbox` or use --solver highs") from exc
    with tempfile.TemporaryDirectory(prefix="selector-cbc-") as tmp:
        log = Path(tmp) / "cbc.log"
        solver = pulp.COIN_CMD(path=path, msg=False, gapRel=gap, timeLimit=time_limit, threads=THREADS,
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
