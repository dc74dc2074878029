"""Re-plan mid-course: lock what happened, re-optimise the rest, change as little as needed.

    >>> import selector
    >>> scenario = selector.load("scenarios/dlt-offices.csv")
    >>> result = selector.replan(scenario, "scenarios/dlt-offices-schedule.csv",
    ...                          "scenarios/dlt-offices-progress-2557.csv", 2557,
    ...                          budget={2557: 111_750_000, 2558: 198_750_000})
    >>> result.status, result.moves

The history (frozen years, returning units, new and removed units) is read by ``selector.data.progress``
and written into the scenario as year windows; the model is the ordinary one
(``selector.model.build_model``) with one objective term added through its ``extra`` hook:

    maximise  objective(x, p)  -  w sum_u sum_y c_u(y) x[u,y]
    c_u(y) = b_u - y            when y < b_u   (moved earlier)
           = f (y - b_u)        when y > b_u   (moved later: f = later_factor)
           = 0                  when y = b_u, or when u has no baseline year (a new unit)

Coverage makes exactly one x[u,y] equal 1, so sum_y c_u(y) x[u,y] *is* the weighted |y_u - b_u|:
the absolute value is linearised exactly, with no extra variable or row.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Mapping

import pandas as pd

from selector.analysis.diagnose import basic_reasons
from selector.data.progress import (
    DEFERRED,
    FAILED,
    Baseline,
    History,
    history,
    read_baseline,
    read_progress,
    replan_scenario,
)
from selector.data.scenario import Scenario
from selector.data.settings import MAX_BAHT, amount_problem, baht
from selector.errors import Problem, ScenarioError
from selector.events import OnProgress, tell
from selector.i18n import _
from selector.model.build import Model, affine, build_model
from selector.model.costs import costs_active, spending_table
from selector.plan import Plan, schedule_from_values
from selector.solvers.backends import SOLVERS
from selector.solvers.options import SolveOptions
from selector.status import Status, relative_gap

NEW_UNIT, REMOVED, FAILED_PILOT, FAILED_UNIT, DEFERRED_UNIT = "new unit", "removed", "failed pilot", "failed", "deferred"
BUDGET_CUT, CAPACITY, KNOCK_ON, DONE_EARLY = "budget cut", "capacity", "knock-on", "done early"
MOVE_COLUMNS = ("unit_id", "name", "baseline_year", "new_year", "years_moved", "reason")


@dataclass
class Replan:
    """A re-plan: the new schedule, what moved and why, and what was proven.

    ``objective`` is the plain objective of the new schedule (the one ``selector solve`` maximises);
    ``penalty`` is sum_u c_u(y_u), the weighted unit-years moved; the solver maximised
    ``objective - stability * penalty``, and ``plan.objective``, ``plan.bound`` and ``plan.gap``
    refer to that penalised value (``status`` is ``optimal`` only when it was proven within the gap).
    """

    plan: Plan
    history: History
    stability: float
    later_factor: float
    objective: float | None = None
    penalty: float | None = None
    moves: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=list(MOVE_COLUMNS)))

    @property
    def status(self) -> str:
        return self.plan.status

    @property
    def schedule(self) -> pd.DataFrame | None:
        return self.plan.schedule

    @property
    def reasons(self) -> list[str]:
        return self.plan.reasons

    @property
    def removed(self) -> tuple[str, ...]:
        return self.history.removed

    def __repr__(self) -> str:
        if self.objective is None:
            return f"Replan({self.status}, from FY{self.history.from_year})"
        return (f"Replan({self.status}, from FY{self.history.from_year}, {len(self.moves)} moves, "
                f"objective={self.objective:.6g}, penalty={self.penalty:g})")


def move_cost(baseline_year: int | None, year: int, later_factor: float) -> float:
    """c_u(y): unit-years from the baseline year, a year later weighing ``later_factor``."""
    if baseline_year is None or year == baseline_year:
        return 0.0
    return float(baseline_year - year) if year < baseline_year else later_factor * (year - baseline_year)


def add_stability_penalty(m: Model, baseline_year: Mapping[str, int | None], stability: float, later_factor: float) -> None:
    """max objective - w sum_u sum_y c_u(y) x[u,y], c_u(y) = b_u - y (earlier) or f (y - b_u) (later).

    Applies to the units with a baseline year b_u; exact because sum_y x[u,y] = 1 (coverage).
    """
    if stability == 0:
        return
    terms = []
    for (uid, year), var in m.x.items():
        cost = move_cost(baseline_year.get(uid), year, later_factor)
        if cost:
            terms.append((var, -stability * cost))
    if terms:
        m.prob.setObjective(m.prob.objective + affine(terms))


def _as_int(value) -> int | None:
    return None if value is None or pd.isna(value) else int(value)


def _overloaded_years(scenario: Scenario, hist: History) -> dict[int, str]:
    """Years >= from_year whose baseline units no longer fit: 'budget cut' first, else 'capacity'."""
    s = scenario.settings
    units = scenario.to_schedule.set_index("unit_id")
    planned: dict[int, list[str]] = {}
    for uid, year in hist.baseline.year.items():
        if year is not None and year >= hist.from_year and uid in units.index and hist.returning.get(uid) != DEFERRED:
            planned.setdefault(year, []).append(uid)
    out = {}
    spent = None
    if costs_active(scenario):  # a year's money is its spending: profiles of earlier starts, running costs
        starts = {u: y for u, y in hist.baseline.year.items() if y is not None and u in units.index
                  and hist.returning.get(u) != DEFERRED}
        spent = spending_table(scenario, starts).set_index("fiscal_year")["total"]
    for year, members in planned.items():
        money = float(units.loc[members, "cost"].sum()) if spent is None else float(spent[year])
        if money > float(s.budget[year]) * (1 + 1e-9):
            out[year] = BUDGET_CUT
        elif s.max_units_per_year is not None and len(members) > s.max_units_per_year:
            out[year] = CAPACITY
    return out


def list_moves(scenario: Scenario, hist: History, schedule: pd.DataFrame) -> pd.DataFrame:
    """Every unit whose year differs from the baseline, with its reason (docs/replanning.md, rule order).

    1. new unit (not in the baseline); 2. removed (not in the scenario); 3. done early (planned for
    ``from_year`` or later, now marked done in the scenario); 4. failed pilot / failed; 5. deferred;
    6. budget cut / capacity: its baseline year no longer holds its baseline units; 7. knock-on:
    moved although its own year still fits (to make room, or because the objective gains more than
    the stability penalty costs).
    """
    new_year = {uid: _as_int(y) for uid, y in zip(schedule["unit_id"], schedule["fiscal_year"])}
    names = {**hist.baseline.unit_names, **dict(zip(scenario.units["unit_id"], scenario.units["name"]))}
    done = set(scenario.units.loc[scenario.units["done"], "unit_id"])
    overloaded = _overloaded_years(scenario, hist)
    rows = []
    for uid in sorted(set(new_year) | set(hist.baseline.year)):
        base = hist.baseline.year.get(uid)
        year = new_year.get(uid)
        if uid in done:
            if base is None or base < hist.from_year:
                continue
            reason = DONE_EARLY
        elif uid in hist.removed:
            reason = REMOVED
        elif uid in hist.new:
            reason = NEW_UNIT
        elif year == base:
            continue
        elif hist.returning.get(uid) == FAILED:
            reason = FAILED_PILOT if hist.baseline.pilot.get(uid) else FAILED_UNIT
        elif hist.returning.get(uid) == DEFERRED:
            reason = DEFERRED_UNIT
        else:
            reason = overloaded.get(base, KNOCK_ON)
        moved = None if base is None or year is None else year - base
        rows.append({"unit_id": uid, "name": names.get(uid, ""), "baseline_year": base, "new_year": year,
                     "years_moved": moved, "reason": reason})
    frame = pd.DataFrame(rows, columns=list(MOVE_COLUMNS))
    for col in ("baseline_year", "new_year", "years_moved"):
        frame[col] = pd.array(frame[col], dtype="Int64")
    order = frame.assign(_b=frame["baseline_year"].fillna(10**6), _n=frame["new_year"].fillna(10**6))
    return order.sort_values(["_b", "_n", "unit_id"], kind="mergesort").drop(columns=["_b", "_n"]).reset_index(drop=True)


def carried_commitments(scenario: Scenario, hist: History) -> dict[int, float]:
    """What the units of the frozen years before ``from_year`` still spend in each later year (the
    second share of a profile, running costs: docs/costs.md); empty when no cost rule applies.

    The re-plan keeps those units in the model at their years, so its budget rows carry this money
    as the plan did; this is what a year owes before it pays for anything new.
    """
    if not costs_active(scenario):
        return {}
    past = {u: y for u, y in hist.frozen.items() if y < hist.from_year}
    table = spending_table(scenario, past).set_index("fiscal_year")["total"]
    return {y: float(table[y]) for y in scenario.settings.years if y >= hist.from_year}


def _money_reasons(scenario: Scenario, hist: History) -> list[str]:
    """The remaining years cannot pay for the units still to upgrade (and the commitments carried)."""
    s = scenario.settings
    todo = scenario.to_schedule
    past = [u for u, y in hist.frozen.items() if y < hist.from_year]
    later = [y for y in s.years if y >= hist.from_year]
    need = float(todo.loc[~todo["unit_id"].isin(past), "cost"].sum())
    have = float(sum(s.budget[y] for y in later))
    carried = sum(carried_commitments(scenario, hist).values())
    if carried:
        have += float(s.budget_after or 0.0)  # under "charge" part of a new unit's cost may fall after the horizon
        if need + carried > have:
            return [_("the units still to upgrade in FY{start}-{end} cost {need} baht and the units of the frozen "
                      "years carry {carried} baht of commitments into them, but the budgets add up to {have} baht: "
                      "short by {short} baht (raise a budget with --budget YEAR=BAHT)", start=later[0], end=later[-1],
                      need=f"{need:,.0f}", carried=f"{carried:,.0f}", have=f"{have:,.0f}",
                      short=f"{need + carried - have:,.0f}")]
        return []
    if need > have:
        return [_("the units still to upgrade in FY{first}-{last} cost {need} baht but the budgets of those years add "
                  "up to {have} baht: short by {short} baht (raise a budget with --budget YEAR=BAHT or widen the "
                  "horizon)", first=later[0], last=later[-1], need=f"{need:,.0f}", have=f"{have:,.0f}",
                  short=f"{need - have:,.0f}")]
    return []


def apply_budget(scenario: Scenario, budget: Mapping[int, float] | None, from_year: int) -> Scenario:
    if not budget:
        return scenario
    problems = []
    for year, amount in sorted(budget.items()):
        if int(year) < from_year:
            problems.append(Problem("--budget", None, None,
                                    _("FY{year} is before the re-plan year FY{from_year}: its money is spent",
                                      year=year, from_year=from_year),
                                    _("change only the budgets of FY{from_year} and later", from_year=from_year)))
        elif int(year) not in scenario.settings.years:
            problems.append(Problem("--budget", None, None, _("FY{year} is outside the horizon", year=year),
                                    _("use a year from {first} to {last}", first=from_year,
                                      last=scenario.settings.last_year)))
        elif amount_problem(amount) is not None:
            problems.append(Problem("--budget", None, None,
                                    _("budget {amount} for FY{year} is not an amount of baht from 0 to {limit}",
                                      amount=repr(amount), year=year, limit=baht(MAX_BAHT)),
                                    _("write an amount of baht, e.g. --budget 2557=111750000")))
    if problems:
        raise ScenarioError(problems)
    merged = dict(scenario.settings.budget)
    merged.update({int(y): float(v) for y, v in budget.items()})
    return scenario.with_settings(budget=merged)


def replan(scenario: Scenario, baseline, progress, from_year: int, stability: float | None = None,
           later_factor: float | None = None, budget: Mapping[int, float] | None = None, *,
           solver: str | None = None, time_limit: float | None = None, gap: float | None = None,
           verbose: bool = False, on_progress: OnProgress = None) -> Replan:
    """Re-plan ``scenario`` from the start of fiscal year ``from_year``; never prints (``on_progress`` is
    told each phase: ``history``, ``build``, ``solve``).

    ``baseline``: the approved schedule (a path, or a DataFrame as ``selector solve`` writes it).
    ``progress``: unit_id + state (done, in_progress, failed, deferred) and optional revised
    success / risk, as a path or DataFrame, or None when everything went as planned.
    ``stability`` / ``later_factor`` default to the scenario's ``[replan]`` settings; ``budget``
    replaces the budgets of fiscal years >= ``from_year``. Bad input raises ``ScenarioError``; an
    infeasible re-plan is returned with ``status == 'infeasible'`` and plain-words ``reasons``.
    """
    scenario = apply_budget(scenario, budget, from_year)
    s = scenario.settings
    stability = s.stability if stability is None else float(stability)
    later_factor = s.later_factor if later_factor is None else float(later_factor)
    problems = []
    if not stability >= 0:
        problems.append(Problem("stability", None, None, _("{value} is not >= 0", value=repr(stability)),
                                _("pass a number >= 0")))
    if not later_factor > 0:
        problems.append(Problem("later_factor", None, None, _("{value} is not > 0", value=repr(later_factor)),
                                _("pass a number > 0")))
    if problems:
        raise ScenarioError(problems)
    tell(on_progress, "history", _("Reading the baseline and what happened"))
    base = baseline if isinstance(baseline, Baseline) else read_baseline(baseline, s.first_year, s.last_year)
    if progress is None:
        rows, progress_name = {}, "<progress>"
    else:
        rows, progress_name = read_progress(progress, s.scale)
    hist = history(scenario, base, rows, int(from_year), progress_name)
    derived = replan_scenario(scenario, hist)

    options = SolveOptions.resolve(s, solver=solver, time_limit=time_limit, gap=gap)
    solver, time_limit, gap = options.solver, options.time_limit, options.gap

    start = time.perf_counter()
    tell(on_progress, "build", _("Building the model of {n} units", n=len(derived.to_schedule)))
    model = build_model(derived, extra=lambda m: add_stability_penalty(m, base.year, stability, later_factor))
    build_seconds = time.perf_counter() - start
    reasons = _money_reasons(derived, hist) + basic_reasons(derived)
    if reasons:
        plan = Plan(derived, Status.INFEASIBLE, None, None, None, None, solver, "", 0.0, build_seconds, reasons,
                    options=options)
        return Replan(plan, hist, stability, later_factor)
    tell(on_progress, "solve", _("Solving with {solver} (time limit {seconds:g} s)", solver=solver, seconds=time_limit))
    run = SOLVERS[solver](model.prob, time_limit, gap, verbose)
    if run.status in (Status.INFEASIBLE, Status.NO_SOLUTION):
        reasons = [] if run.status == Status.NO_SOLUTION else (basic_reasons(derived, deep=True) or [
            _("the rules together leave no feasible re-plan (the stability weight never makes a plan infeasible); "
              "try raising the budgets of the remaining years with --budget YEAR=BAHT")])
        plan = Plan(derived, run.status, None, None, None, None, run.solver, run.version, run.seconds, build_seconds, reasons,
                    options=options)
        return Replan(plan, hist, stability, later_factor)

    schedule = schedule_from_values(model, run.values)
    assignment = {uid: _as_int(y) for uid, y in zip(schedule["unit_id"], schedule["fiscal_year"]) if uid in model.units.index}
    pilots = set(schedule.loc[schedule["pilot"], "unit_id"])
    objective = model.objective_value(assignment, pilots)
    penalty = sum(move_cost(base.year.get(u), y, later_factor) for u, y in assignment.items() if y is not None)
    total = objective - stability * penalty
    bound = max(run.bound, total) if run.bound is not None else total
    plan = Plan(derived, run.status, schedule, total, bound, relative_gap(total, bound), run.solver, run.version,
                run.seconds, build_seconds, [], options=options)
    moves = list_moves(derived, hist, schedule)
    return Replan(plan, hist, stability, later_factor, objective, penalty, moves)
