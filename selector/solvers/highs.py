"""HiGHS in one call, and the LP relaxation first: the fast and honest solve path.

The PuLP problem stays the model users see. It is handed to HiGHS as arrays in one ``passModel``
call (no files, no row-by-row ``addRow``), and solved in steps whose every claim is proven:

1. Solve the LP relaxation. Its optimum z_LP is a proven upper bound on every plan's objective
   (maximisation); if it is infeasible, so is the integer program. If its solution is integral,
   it is an optimal plan.
2. Otherwise fix the integer columns the LP settled, except a neighbourhood: the columns that are
   fractional, plus the columns whose reduced cost says they are cheapest to change, plus every
   column sharing a short row (a unit's coverage, pilot-year or `after` row) with one of those.
   The restricted MIP left over is small; any plan it finds is a plan of the full problem.
3. The plan is ``optimal`` only if (z_LP - z) / |z| <= gap. Otherwise the neighbourhood grows and
   step 2 runs again; as a last resort the full MIP runs, started from the best plan so far, and
   its own dual bound (or z_LP, whichever is lower) is the proven bound.

The gap reported is always a bound from the LP or from HiGHS, never an estimate.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass, replace
from itertools import chain
from operator import attrgetter

import numpy as np
import pulp

from selector.errors import SolverError
from selector.model.build import paused_gc
from selector.solvers.options import SEED, THREADS
from selector.status import Status, relative_gap

FRACTIONAL = 1e-6  # a value further than this from an integer is fractional
SHORT_ROW = 8  # rows with at most this many entries tie their columns together (one unit's rows)
NEIGHBOURHOOD = (0.002, 0.006, 0.02, 0.1)  # share of integer columns freed by reduced cost, per attempt
MIN_FREE = 20
SMALL_MIP = 5_000  # integer columns (about 1,000 units): up to this the full MIP is as fast, go straight to it


@dataclass
class Arrays:
    """A PuLP problem as the arrays HiGHS takes: variables in ``prob.variables()`` order, rows in order."""

    variables: list[pulp.LpVariable]
    cost: np.ndarray
    lower: np.ndarray
    upper: np.ndarray
    integer: np.ndarray  # bool per column
    row_lower: np.ndarray
    row_upper: np.ndarray
    start: np.ndarray  # row-wise sparse matrix: row r's entries are index/value[start[r]:start[r+1]]
    index: np.ndarray
    value: np.ndarray
    maximise: bool
    offset: float


def problem_arrays(prob: pulp.LpProblem) -> Arrays:
    """Read the PuLP problem's objective, bounds and rows into numpy arrays, without per-entry Python calls.

    The columns are the variables of the objective and the rows sorted by name, as in
    ``prob.variables()`` (the order PuLP's own HiGHS interface uses: branch and bound is sensitive
    to it, and on small scenarios this order was the faster one); a variable in neither is not
    part of the problem.
    """
    with paused_gc():
        return _problem_arrays(prob)


def _problem_arrays(prob: pulp.LpProblem) -> Arrays:
    objective = prob.objective if prob.objective is not None else pulp.LpAffineExpression()
    constraints = list(prob.constraints())
    appearances = list(chain(objective.keys(), *(c.expr.keys() for c in constraints)))
    by_id = dict(zip(map(id, appearances), appearances))
    variables = sorted(by_id.values(), key=attrgetter("name"))
    by_id = {id(v): v for v in variables}
    position = dict(zip(by_id.keys(), range(len(variables))))
    at = position.__getitem__
    n = len(variables)
    cost = np.zeros(n)
    if len(objective):
        cost[list(map(at, map(id, objective.keys())))] = list(objective.values())
    inf = math.inf
    lower = np.array([-inf if v.lowBound is None else v.lowBound for v in variables], dtype=float)
    upper = np.array([inf if v.upBound is None else v.upBound for v in variables], dtype=float)
    integer = np.array([v.cat == pulp.LpInteger for v in variables], dtype=bool)

    counts = np.fromiter((len(c.expr) for c in constraints), dtype=np.int64, count=len(constraints))
    start = np.zeros(len(constraints) + 1, dtype=np.int64)
    np.cumsum(counts, out=start[1:])
    index = np.fromiter(map(at, map(id, chain(*(c.expr.keys() for c in constraints)))), dtype=np.int32,
                        count=int(start[-1]))
    value = np.fromiter(chain(*(c.expr.values() for c in constraints)), dtype=float, count=int(start[-1]))
    rhs = np.array([-c.constant for c in constraints], dtype=float)
    sense = np.array([c.sense for c in constraints], dtype=np.int64)
    row_lower = np.where(sense == pulp.LpConstraintLE, -inf, rhs)
    row_upper = np.where(sense == pulp.LpConstraintGE, inf, rhs)
    return Arrays(variables, cost, lower, upper, integer, row_lower, row_upper, start, index, value,
                  prob.sense == pulp.LpMaximize, float(objective.constant))


def configured_highs(verbose: bool, time_limit: float, gap: float):
    import highspy

    h = highspy.Highs()
    h.setOptionValue("output_flag", bool(verbose))
    h.setOptionValue("log_to_console", bool(verbose))
    h.setOptionValue("time_limit", max(float(time_limit), 0.01))
    h.setOptionValue("mip_rel_gap", float(gap))
    h.setOptionValue("random_seed", SEED)
    # One thread, as selector.solve.run_highs_plain: parallel tasks finishing in another order could
    # pick another of equal optima, and the same input must give the same schedule.
    h.setOptionValue("threads", THREADS)
    return h


def run_once(h) -> None:
    """``h.run()``, once more after resetting HiGHS's thread pool when another HiGHS user in this
    process (e.g. ``pulp.HiGHS()`` with default threads in the same notebook) fixed the pool at
    another size: HiGHS then refuses the one-thread run without solving anything."""
    import highspy

    if h.run() == highspy.HighsStatus.kError and h.getModelStatus() == highspy.HighsModelStatus.kNotset:
        highspy.Highs.resetGlobalScheduler(True)
        h.run()


def pass_arrays(h, a: Arrays, lower: np.ndarray, upper: np.ndarray, integer: bool) -> None:
    import highspy

    lp = highspy.HighsLp()
    lp.num_col_ = len(a.cost)
    lp.num_row_ = len(a.row_lower)
    # A maximisation is handed over as the minimisation of the negated objective, exactly as PuLP's
    # own HiGHS interface does: on the same columns and rows HiGHS then takes the same path, so small
    # scenarios (solved by the full MIP) keep the very plans the plain interface gave.
    lp.col_cost_ = -a.cost if a.maximise else a.cost
    lp.col_lower_ = lower
    lp.col_upper_ = upper
    lp.row_lower_ = a.row_lower
    lp.row_upper_ = a.row_upper
    lp.offset_ = -a.offset if a.maximise else a.offset
    lp.sense_ = highspy.ObjSense.kMinimize
    lp.a_matrix_.format_ = highspy.MatrixFormat.kRowwise
    lp.a_matrix_.num_col_ = lp.num_col_
    lp.a_matrix_.num_row_ = lp.num_row_
    lp.a_matrix_.start_ = a.start
    lp.a_matrix_.index_ = a.index
    lp.a_matrix_.value_ = a.value
    if integer:
        kinds = np.where(a.integer, highspy.HighsVarType.kInteger.value, highspy.HighsVarType.kContinuous.value)
        lp.integrality_ = [highspy.HighsVarType(int(k)) for k in kinds]
    h.passModel(lp)


@dataclass
class Outcome:
    """What the HiGHS steps proved: ``kind`` is optimal | feasible | infeasible | no_solution."""

    kind: str
    values: np.ndarray | None
    objective: float | None
    bound: float | None
    lp_seconds: float = 0.0
    steps: tuple[str, ...] = ()
    version: str = ""
    row_duals: np.ndarray | None = None  # the LP relaxation's, when it was solved, with PuLP's signs (pi)


def _objective(a: Arrays, values: np.ndarray) -> float:
    return float(a.cost @ values + a.offset)


def _gap(objective: float, bound: float, maximise: bool) -> float:
    """``selector.status.relative_gap`` in either sense: a minimisation is the maximisation of its negation."""
    return relative_gap(objective, bound) if maximise else relative_gap(-objective, -bound)


def neighbourhood(a: Arrays, values: np.ndarray, reduced: np.ndarray, nonbasic: np.ndarray, share: float) -> np.ndarray:
    """The integer columns left free: fractional ones, the cheapest to change, and their short-row partners.

    "Cheapest to change" is taken per long row (a budget, the pilot count, the cover of a region...):
    among the nonbasic integer columns at zero in that row, those with the smallest |reduced cost|,
    which is what bringing one into the plan costs. A basic column at zero is degenerate: its
    reduced cost of 0 says nothing, so it is not a candidate. Each long row gets its own
    candidates so that every tight resource (each year's money, the pilots' risk) can be traded.
    """
    integer = a.integer
    fractional = integer & (np.abs(values - np.rint(values)) > FRACTIONAL)
    free = fractional.copy()
    candidate = integer & ~fractional & (np.rint(values) == 0) & nonbasic
    lengths = np.diff(a.start)
    row_of = np.repeat(np.arange(len(lengths)), lengths)
    long_rows = np.flatnonzero(lengths > SHORT_ROW)
    per_row = max(MIN_FREE, int(share * integer.sum() / max(1, len(long_rows))))
    magnitude = np.abs(reduced)
    for r in long_rows:
        cols = a.index[a.start[r]:a.start[r + 1]]
        cols = cols[candidate[cols]]
        if len(cols) > per_row:
            cols = cols[np.argsort(magnitude[cols], kind="stable")[:per_row]]
        free[cols] = True
    # Free every column tied to a free column by short rows (a unit's coverage and pilot-year rows).
    short = lengths[row_of] <= SHORT_ROW
    while True:
        touched = np.zeros(len(lengths), dtype=bool)
        touched[row_of[short & free[a.index]]] = True
        grown = free.copy()
        grown[a.index[touched[row_of] & short]] = True
        if (grown == free).all():
            return free & integer
        free = grown


def row_scaled(a: Arrays) -> Arrays:
    """The same problem with each row divided by a power of two near its largest |coefficient|.

    Budget rows hold costs in baht (millions) beside rows of ones; scaled, the interior point
    method needs about 40% fewer iterations. Powers of two scale exactly; reduced costs are unchanged.
    """
    scale, row_of = _row_scale(a)
    return replace(a, value=a.value * scale[row_of], row_lower=a.row_lower * scale, row_upper=a.row_upper * scale)


def _row_scale(a: Arrays) -> tuple[np.ndarray, np.ndarray]:
    """Each row's factor (a power of two near 1 / its largest |coefficient|) and each entry's row."""
    lengths = np.diff(a.start)
    row_of = np.repeat(np.arange(len(lengths)), lengths)
    largest = np.zeros(len(lengths))
    np.maximum.at(largest, row_of, np.abs(a.value))
    return np.exp2(-np.round(np.log2(np.where(largest > 0, largest, 1.0)))), row_of


def solve_lp(prob: pulp.LpProblem, time_limit: float = 600.0) -> int:
    """Solve the LP relaxation of ``prob`` in one call and fill it in as PuLP's HiGHS(mip=False) does:
    ``varValue``, ``dj``, each row's ``pi`` and ``prob.status`` (returned). For the duals' signs PuLP's
    convention is kept (a maximisation is handed over negated, so its duals come back negated)."""
    import highspy

    S = highspy.HighsModelStatus
    original = problem_arrays(prob)
    a = row_scaled(original)
    h = configured_highs(False, time_limit, 0.0)
    h.setOptionValue("solver", "ipm")
    pass_arrays(h, a, a.lower, a.upper, integer=False)
    run_once(h)
    status = h.getModelStatus()
    codes = {S.kOptimal: pulp.LpStatusOptimal, S.kInfeasible: pulp.LpStatusInfeasible,
             S.kUnbounded: pulp.LpStatusUnbounded, S.kUnboundedOrInfeasible: pulp.LpStatusInfeasible}
    prob.status = codes.get(status, pulp.LpStatusNotSolved)
    if status != S.kOptimal:
        return prob.status
    solution = h.getSolution()
    scale, _ = _row_scale(original)
    for var, value, dual in zip(original.variables, solution.col_value, solution.col_dual):
        var.varValue, var.dj = value, dual  # HiGHS minimised -objective: PuLP's signs already
    for constraint, dual, factor in zip(prob.constraints(), solution.row_dual, scale.tolist()):
        constraint.pi = dual * factor
    return prob.status


def restricted(a: Arrays, keep: np.ndarray, settled: np.ndarray) -> tuple[Arrays, np.ndarray]:
    """The problem over the columns ``keep``, the others fixed at ``settled``; and the kept columns.

    Fixed columns move into the row bounds and the objective's constant; rows left without a kept
    column are dropped (they hold at the LP's values; the final plan is checked on every row).
    HiGHS then only sees the small problem, instead of presolving all the fixed columns away.
    """
    columns = np.flatnonzero(keep)
    lengths = np.diff(a.start)
    row_of = np.repeat(np.arange(len(lengths)), lengths)
    kept_entry = keep[a.index]
    fixed_activity = np.bincount(row_of, weights=np.where(kept_entry, 0.0, a.value * settled[a.index]),
                                 minlength=len(lengths))
    rows = np.flatnonzero(np.bincount(row_of[kept_entry], minlength=len(lengths)) > 0)
    new_column = np.full(len(keep), -1, dtype=np.int64)
    new_column[columns] = np.arange(len(columns))
    new_row = np.full(len(lengths), -1, dtype=np.int64)
    new_row[rows] = np.arange(len(rows))
    entries = kept_entry & (new_row[row_of] >= 0)  # row-wise order is kept, so rows stay contiguous
    start = np.zeros(len(rows) + 1, dtype=np.int64)
    np.cumsum(np.bincount(new_row[row_of[entries]], minlength=len(rows)), out=start[1:])
    small = Arrays(
        variables=[a.variables[i] for i in columns.tolist()],
        cost=a.cost[columns], lower=a.lower[columns], upper=a.upper[columns], integer=a.integer[columns],
        row_lower=a.row_lower[rows] - fixed_activity[rows], row_upper=a.row_upper[rows] - fixed_activity[rows],
        start=start, index=new_column[a.index[entries]].astype(np.int32), value=a.value[entries],
        maximise=a.maximise, offset=a.offset + float(a.cost[~keep] @ settled[~keep]),
    )
    return small, columns


def feasible(a: Arrays, values: np.ndarray, tolerance: float = 1e-9) -> bool:
    """Every row and bound holds for ``values`` on the original (unscaled) rows, within a relative tolerance.

    Relative to the row's right-hand side or to the size of its terms, whichever is larger: a row
    such as sum_u cost_u x[u,y] - share_y T <= 0 (the least budget) has a zero right-hand side but
    terms of millions, whose floating-point sum is exact only to about 1e-9.
    """
    lengths = np.diff(a.start)
    row_of = np.repeat(np.arange(len(lengths)), lengths)
    terms = a.value * values[a.index]
    activity = np.bincount(row_of, weights=terms, minlength=len(lengths))
    size = np.bincount(row_of, weights=np.abs(terms), minlength=len(lengths))
    rhs = np.abs(np.where(np.isfinite(a.row_upper), a.row_upper, a.row_lower))
    slack = tolerance * np.maximum(1.0, np.maximum(rhs, size))
    rows = np.all(activity <= a.row_upper + slack) and np.all(activity >= a.row_lower - slack)
    return bool(rows and np.all(values >= a.lower - tolerance) and np.all(values <= a.upper + tolerance))


def _plan(values: np.ndarray, a: Arrays) -> np.ndarray | None:
    """A solver's plan with its integers rounded, or None if rounding broke a row (never seen: a guard)."""
    values = np.where(a.integer, np.rint(values), values)
    return values if feasible(a, values) else None


def _stop_within(h, bound: float, gap: float, maximise: bool) -> None:
    """Interrupt a restricted MIP once its best plan is within ``gap`` of ``bound`` (the LP bound),
    or once its own dual bound shows that it never will be (a larger neighbourhood is needed)."""

    sign = -1.0 if maximise else 1.0  # HiGHS minimises -objective for a maximisation (see _pass)

    def check(event) -> None:
        incumbent = sign * event.data_out.mip_primal_bound
        if math.isfinite(incumbent) and _gap(incumbent, bound, maximise) <= gap:
            event.interrupt()
        best_possible = sign * event.data_out.mip_dual_bound
        if math.isfinite(best_possible) and _gap(best_possible, bound, maximise) > gap:
            event.interrupt()

    h.cbMipInterrupt.subscribe(check)


def solve_lp_first(a: Arrays, time_limit: float, gap: float, verbose: bool, small_mip: int | None = None) -> Outcome:
    """Solve the problem in the three steps of the module docstring; every status is proven.

    A problem with at most ``small_mip`` (default ``SMALL_MIP``) integer columns goes straight to the full MIP: HiGHS's
    branch and bound is as fast there, the LP bound alone is often too weak to prove a 0.01% gap on
    few units, and the plan is then the very one PuLP's own HiGHS interface gives.
    """
    import highspy

    S = highspy.HighsModelStatus
    started = time.perf_counter()

    def remaining() -> float:
        return time_limit - (time.perf_counter() - started)

    version = highspy.Highs().version()
    if len(a.cost) == 0:  # nothing to decide (every unit done): the empty plan, if the rows allow it
        if np.all(a.row_lower <= 1e-9) and np.all(a.row_upper >= -1e-9):
            return Outcome(Status.OPTIMAL, np.zeros(0), a.offset, a.offset, 0.0, (), version=version)
        return Outcome(Status.INFEASIBLE, None, None, None, 0.0, (), version=version)
    if a.integer.sum() <= (SMALL_MIP if small_mip is None else small_mip):
        return _full_mip(a, None, None, remaining(), gap, verbose, 0.0, ["full"], version)

    original, a = a, row_scaled(a)
    h = configured_highs(verbose, time_limit, gap)
    # The interior point method with crossover solves these LPs about twice as fast as the dual
    # simplex at 50,000 units, and crossover still gives the vertex and basis used below.
    h.setOptionValue("solver", "ipm")
    pass_arrays(h, a, a.lower, a.upper, integer=False)
    run_once(h)
    lp_seconds = time.perf_counter() - started
    status = h.getModelStatus()
    if status in (S.kInfeasible, S.kUnboundedOrInfeasible):
        return Outcome(Status.INFEASIBLE, None, None, None, lp_seconds, ("lp",), version=version)
    if status != S.kOptimal:
        if status in (S.kTimeLimit, S.kInterrupt, S.kIterationLimit):
            return Outcome(Status.NO_SOLUTION, None, None, None, lp_seconds, ("lp",), version=version)
        raise SolverError(f"HiGHS: the LP relaxation stopped with status {h.modelStatusToString(status)}; try --solver cbc")
    solution = h.getSolution()
    values = np.asarray(solution.col_value)
    reduced = np.asarray(solution.col_dual)
    duals = np.asarray(solution.row_dual) * _row_scale(original)[0]  # back to the unscaled rows

    def done(outcome: Outcome) -> Outcome:
        return replace(outcome, row_duals=duals)

    basis = h.getBasis()
    basic = highspy.HighsBasisStatus.kBasic
    if basis.valid:
        nonbasic = np.fromiter((s != basic for s in basis.col_status), dtype=bool, count=len(values))
    else:  # no basis (crossover off or failed): every column at zero is a candidate
        nonbasic = np.ones(len(values), dtype=bool)
    lp_bound = _objective(a, values)
    fractional = a.integer & (np.abs(values - np.rint(values)) > FRACTIONAL)
    rounded = np.where(a.integer, np.rint(values), values)
    if not fractional.any() and feasible(original, rounded):
        return done(Outcome(Status.OPTIMAL, rounded, _objective(a, rounded), lp_bound, lp_seconds, ("lp",), version=version))

    best, best_objective = None, None
    steps = ["lp"]
    tried = None
    for share in NEIGHBOURHOOD:
        if remaining() <= 0:
            break
        free = neighbourhood(a, values, reduced, nonbasic, share)
        if tried is not None and (free == tried).all():
            continue  # on few units the smallest neighbourhoods are the same: do not solve it twice
        tried = free
        settled = np.where(a.integer, np.rint(values), values)
        small_problem, columns = restricted(a, free | ~a.integer, settled)
        # The restricted MIP aims higher than the gap and is stopped by _stop_within as soon as its
        # plan is within the gap of the LP bound, or proven never to get there; each attempt but
        # the last gets at most as long as the LP took (at least a second).
        last_try = share == NEIGHBOURHOOD[-1]
        allowed = remaining() if last_try else min(remaining(), max(1.0, lp_seconds))
        h = configured_highs(verbose, allowed, gap / 10)
        pass_arrays(h, small_problem, small_problem.lower, small_problem.upper, integer=True)
        _stop_within(h, lp_bound, gap, a.maximise)
        run_once(h)
        steps.append(f"restricted({int(free[a.integer].sum())})")
        sub = h.getModelStatus()
        if h.getInfo().primal_solution_status == 2 and sub in (S.kOptimal, S.kTimeLimit, S.kInterrupt,
                                                              S.kIterationLimit, S.kSolutionLimit):
            whole = settled.copy()
            whole[columns] = np.asarray(h.getSolution().col_value)
            candidate = _plan(whole, original)
            objective = _objective(a, candidate) if candidate is not None else None
            if objective is not None and (best_objective is None or _better(objective, best_objective, a.maximise)):
                best, best_objective = candidate, objective
            if best_objective is not None and _gap(best_objective, lp_bound, a.maximise) <= gap:
                return done(Outcome(Status.OPTIMAL, best, best_objective, lp_bound, lp_seconds, tuple(steps), version=version))
    steps.append("full")
    return done(_full_mip(original, best, lp_bound, remaining(), gap, verbose, lp_seconds, steps, version))


def _trivial_bound(a: Arrays) -> float:
    """Every column at its best bound: a weak but proven bound, for a MIP stopped before its root LP."""
    best = np.maximum if a.maximise else np.minimum
    return float(best(a.cost * a.lower, a.cost * a.upper).sum() + a.offset)


def _better(objective: float, than: float, maximise: bool) -> bool:
    return objective > than if maximise else objective < than


def _full_mip(a: Arrays, best: np.ndarray | None, lp_bound: float | None, time_left: float, gap: float,
              verbose: bool, lp_seconds: float, steps: list[str], version: str) -> Outcome:
    """The full MIP, started from ``best`` if there is one; the bound is HiGHS's, or the LP's if lower."""
    if time_left <= 0:
        if best is None:
            return Outcome(Status.NO_SOLUTION, None, None, None, lp_seconds, tuple(steps), version=version)
        return Outcome(Status.FEASIBLE, best, _objective(a, best), lp_bound, lp_seconds, tuple(steps), version=version)
    h = configured_highs(verbose, time_left, gap)
    pass_arrays(h, a, a.lower, a.upper, integer=True)
    if best is not None:
        give_start(h, best)
    run_once(h)
    return read_mip(h, a, best, lp_bound, gap, lp_seconds, steps, version)


def give_start(h, values: np.ndarray) -> None:
    """Hand HiGHS a starting plan (every column's value) for its next run."""
    import highspy

    start = highspy.HighsSolution()
    start.col_value = list(values)
    h.setSolution(start)


def read_mip(h, a: Arrays, best: np.ndarray | None, lp_bound: float | None, gap: float, lp_seconds: float = 0.0,
             steps: list[str] | tuple[str, ...] = ("full",), version: str = "") -> Outcome:
    """What a finished HiGHS MIP run on ``a`` proved: the better of its plan and ``best``, the proven bound
    (HiGHS's, or ``lp_bound`` or the trivial bound when lower), and ``optimal`` only within ``gap``."""
    import highspy

    S = highspy.HighsModelStatus
    best_objective = _objective(a, best) if best is not None else None

    def outcome(kind: str, bound: float | None = None) -> Outcome:
        if best is None:
            kind = Status.INFEASIBLE if kind == Status.INFEASIBLE else Status.NO_SOLUTION
            return Outcome(kind, None, None, None, lp_seconds, tuple(steps), version=version)
        return Outcome(kind, best, best_objective, bound, lp_seconds, tuple(steps), version=version)

    status = h.getModelStatus()
    info = h.getInfo()
    if status in (S.kInfeasible, S.kUnboundedOrInfeasible):
        best = None
        return outcome(Status.INFEASIBLE)
    if status not in (S.kTimeLimit, S.kInterrupt, S.kIterationLimit, S.kSolutionLimit, S.kOptimal):
        raise SolverError(f"HiGHS stopped with status {h.modelStatusToString(status)}; try --solver cbc")
    if info.primal_solution_status == 2:
        candidate = _plan(np.asarray(h.getSolution().col_value), a)
        objective = _objective(a, candidate) if candidate is not None else None
        if objective is not None and (best_objective is None or _better(objective, best_objective, a.maximise)):
            best, best_objective = candidate, objective
    if best is None:
        return outcome(Status.NO_SOLUTION)
    mip_bound = float(info.mip_dual_bound) * (-1.0 if a.maximise else 1.0)  # HiGHS minimised -objective
    bounds = [b for b in (lp_bound, mip_bound, _trivial_bound(a)) if b is not None and math.isfinite(b)]
    bound = min(bounds) if a.maximise else max(bounds)
    proven = status == S.kOptimal or _gap(best_objective, bound, a.maximise) <= gap
    return outcome(Status.OPTIMAL if proven else Status.FEASIBLE, bound)


def write_back(prob: pulp.LpProblem, a: Arrays, outcome: Outcome) -> None:
    """Put the values into the PuLP variables (varValue) and set the problem's status, as PuLP's solvers do."""
    if outcome.values is None:
        for v in a.variables:
            v.varValue = None
        prob.status = {Status.INFEASIBLE: pulp.LpStatusInfeasible}.get(outcome.kind, pulp.LpStatusNotSolved)
        prob.sol_status = (pulp.LpSolutionInfeasible if outcome.kind == Status.INFEASIBLE
                           else pulp.LpSolutionNoSolutionFound)
        return
    for v, x in zip(a.variables, outcome.values.tolist()):
        v.varValue = x
    prob.status = pulp.LpStatusOptimal
    prob.sol_status = pulp.LpSolutionOptimal if outcome.kind == Status.OPTIMAL else pulp.LpSolutionIntegerFeasible
