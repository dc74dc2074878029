"""One model handed to HiGHS once and re-solved after small changes: the engine of every sweep.

Frontier steps, robustness samples, alternatives and explain's forced moves all solve one integer
program many times with a small change in between: other objective costs, other column bounds,
other right-hand sides, a few more rows (cuts). A ``Session`` reads the PuLP problem into arrays
once (``selector.solvers.highs.problem_arrays``), passes them to HiGHS once (``passModel``) and
makes each change in place (``changeColsCost``, ``changeColsBounds``, ``changeRowsBounds``,
``addRows``, ``deleteRows``), keeping its own copy of the arrays in step so that every plan is
checked on the rows as they now stand.

Before each solve HiGHS's search state is cleared (``clearSolver``): the answer depends only on
the model as it stands and on the start handed to ``solve``, if any. Whether a start may be given
is the caller's decision, made where it cannot bias the answer (a frontier step proves each plan
within the gap whatever its start; a robustness sample gets no start, see
``selector.workflows.robustness.engine``).

Every status is read as the one-call path reads it (``selector.solvers.highs.read_mip``): a plan is
``optimal`` only within the gap of HiGHS's proven bound. A problem with more than
``highs.SMALL_MIP`` integer columns is solved by the LP-first path on the current arrays instead
(its restricted MIPs are new small models in any case), so a session is never slower than a
plain re-solve at 50,000 units.
"""

from __future__ import annotations

import threading
import time
from contextlib import nullcontext
from dataclasses import replace

import numpy as np
import pulp

from selector.errors import SolverError
from selector.solvers import highs
from selector.solvers.run import SolverRun, redirect_stdout_fd
from selector.status import Status, relative_gap

_CREATE_LOCK = threading.Lock()  # fd 1 is redirected while HiGHS prints its banner: one thread at a time


class Session:
    """A PuLP problem in one live HiGHS model; change it in place with ``set_*``/``add_rows`` and ``solve``.

    Costs are given in the problem's own sense (the coefficients of the maximised objective for a
    maximisation); columns and rows are addressed by index (``column`` and ``row`` map PuLP names
    to them).
    """

    def __init__(self, prob: pulp.LpProblem, gap: float, time_limit: float, verbose: bool = False):
        try:
            import highspy
        except ImportError as exc:
            raise SolverError(f"HiGHS is not available ({exc}); install it with `pip install highspy`") from exc
        self.arrays = highs.problem_arrays(prob)
        self.column = {v.name: i for i, v in enumerate(self.arrays.variables)}
        self.row = {c.name: r for r, c in enumerate(prob.constraints())}
        self.gap, self.time_limit, self.verbose = float(gap), float(time_limit), verbose
        self.large = int(self.arrays.integer.sum()) > highs.SMALL_MIP
        with _CREATE_LOCK, redirect_stdout_fd(2 if verbose else None):
            self.h = highs.configured_highs(verbose, time_limit, gap)
        self.version = self.h.version()
        self._error = highspy.HighsError
        highs.pass_arrays(self.h, self.arrays, self.arrays.lower, self.arrays.upper, integer=True)
        self.solves = 0

    # -- changes in place ---------------------------------------------------------------------

    def _sign(self) -> float:
        return -1.0 if self.arrays.maximise else 1.0  # HiGHS minimises the negated maximisation (highs.pass_arrays)

    def set_costs(self, cols: np.ndarray, costs: np.ndarray) -> None:
        """The objective coefficients of columns ``cols`` become ``costs``."""
        cols = np.asarray(cols, dtype=np.int32)
        costs = np.asarray(costs, dtype=float)
        self.arrays.cost[cols] = costs
        self.h.changeColsCost(len(cols), cols, self._sign() * costs)

    def set_bounds(self, cols: np.ndarray, lower: np.ndarray, upper: np.ndarray) -> None:
        """Columns ``cols`` get the bounds ``lower`` <= x <= ``upper``."""
        cols = np.asarray(cols, dtype=np.int32)
        lower, upper = np.broadcast_to(np.asarray(lower, dtype=float), cols.shape).copy(), \
            np.broadcast_to(np.asarray(upper, dtype=float), cols.shape).copy()
        self.arrays.lower[cols], self.arrays.upper[cols] = lower, upper
        self.h.changeColsBounds(len(cols), cols, lower, upper)

    def set_row_bounds(self, rows: np.ndarray, lower: np.ndarray, upper: np.ndarray) -> None:
        """Rows ``rows`` get the bounds ``lower`` <= activity <= ``upper`` (use -inf/inf for one side)."""
        rows = np.asarray(rows, dtype=np.int32)
        lower, upper = np.asarray(lower, dtype=float), np.asarray(upper, dtype=float)
        self.arrays.row_lower[rows], self.arrays.row_upper[rows] = lower, upper
        self.h.changeRowsBounds(len(rows), rows, lower, upper)

    def add_rows(self, rows: list[tuple[np.ndarray, np.ndarray, float, float]]) -> list[int]:
        """Add rows (columns, coefficients, lower, upper); returns their indices."""
        a = self.arrays
        first = len(a.row_lower)
        lengths = [len(cols) for cols, _, _, _ in rows]
        index = np.concatenate([np.asarray(c, dtype=np.int32) for c, _, _, _ in rows]) if rows else np.zeros(0, np.int32)
        value = np.concatenate([np.asarray(v, dtype=float) for _, v, _, _ in rows]) if rows else np.zeros(0)
        lower = np.array([lo for _, _, lo, _ in rows], dtype=float)
        upper = np.array([up for _, _, _, up in rows], dtype=float)
        starts = np.concatenate([[0], np.cumsum(lengths)[:-1]]).astype(np.int32) if rows else np.zeros(0, np.int32)
        self.h.addRows(len(rows), lower, upper, len(index), starts, index, value)
        self.arrays = replace(a, row_lower=np.concatenate([a.row_lower, lower]),
                              row_upper=np.concatenate([a.row_upper, upper]),
                              start=np.concatenate([a.start, a.start[-1] + np.cumsum(lengths, dtype=np.int64)]),
                              index=np.concatenate([a.index, index]), value=np.concatenate([a.value, value]))
        return list(range(first, first + len(rows)))

    def remove_rows(self, rows: list[int]) -> None:
        """Delete rows (the later rows' indices shift down, as in HiGHS)."""
        if not rows:
            return
        drop = np.zeros(len(self.arrays.row_lower), dtype=bool)
        drop[np.asarray(rows, dtype=np.int64)] = True
        self.h.deleteRows(int(drop.sum()), np.flatnonzero(drop).astype(np.int32))
        a = self.arrays
        lengths = np.diff(a.start)
        keep_entry = np.repeat(~drop, lengths)
        self.arrays = replace(a, row_lower=a.row_lower[~drop], row_upper=a.row_upper[~drop],
                              start=np.concatenate([[0], np.cumsum(lengths[~drop])]).astype(np.int64),
                              index=a.index[keep_entry], value=a.value[keep_entry])

    # -- solving ------------------------------------------------------------------------------

    def solve(self, start: np.ndarray | None = None, gap: float | None = None,
              time_limit: float | None = None) -> highs.Outcome:
        """Solve the model as it stands, from ``start`` (a plan: every column's value) if given.

        ``gap`` and ``time_limit`` default to the session's. The outcome's status is proven
        (``highs.read_mip``); its values are in column order.
        """
        gap = self.gap if gap is None else float(gap)
        time_limit = self.time_limit if time_limit is None else float(time_limit)
        self.solves += 1
        try:
            with redirect_stdout_fd(2 if self.verbose else None) if self.verbose else nullcontext():
                if self.large:
                    return highs.solve_lp_first(self.arrays, time_limit, gap, self.verbose)
                h = self.h
                h.setOptionValue("mip_rel_gap", gap)
                h.setOptionValue("time_limit", max(time_limit, 0.01))
                h.clearSolver()  # forget the previous solve: the answer depends on this model and start only
                if start is not None:
                    highs.give_start(h, start)
                highs.run_once(h)
                return highs.read_mip(h, self.arrays, None, None, gap, version=self.version)
        except (RuntimeError, self._error) as exc:
            raise SolverError(f"HiGHS failed: {exc}. Try --solver cbc.") from exc

    def run(self, start: np.ndarray | None = None, gap: float | None = None,
            time_limit: float | None = None) -> SolverRun:
        """``solve`` as a ``SolverRun`` (values by PuLP variable name), as the solver adapters return."""
        began = time.perf_counter()
        outcome = self.solve(start, gap, time_limit)
        seconds = time.perf_counter() - began
        if outcome.values is None:
            return SolverRun(outcome.kind, {}, None, None, None, "highs", self.version, seconds)
        values = dict(zip((v.name for v in self.arrays.variables), outcome.values.tolist()))
        return SolverRun(outcome.kind, values, outcome.objective, outcome.bound,
                         relative_gap(outcome.objective, outcome.bound), "highs", self.version, seconds)

    def columns(self, variables) -> np.ndarray:
        """The column index of each PuLP variable (or name) in ``variables``."""
        names = [v if isinstance(v, str) else v.name for v in variables]
        return np.array([self.column[n] for n in names], dtype=np.int32)


def status_after_count(run: SolverRun, count_status: Status | str | None) -> SolverRun:
    """Best-effort coverage: the second stage is ``optimal`` only if the first stage proved the count."""
    if count_status is None or count_status == Status.OPTIMAL or run.status != Status.OPTIMAL:
        return run
    return replace(run, status=Status.FEASIBLE)
