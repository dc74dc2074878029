"""What money buys: the marginal value of a budget year, the least budget for full coverage, the frontier.

- ``marginal_values`` (in ``selector.analysis.duals``): from the LP relaxation (binaries relaxed to
  [0, 1]), the dual value of each row ``budget_y``, i.e. d objective / d budget_y, per million baht.
- ``minimum_budget``: the least total budget, keeping each year's share of it, that upgrades every
  unit by the last year; an exact MIP (minimise the scale t) solved to a relative gap.
- ``frontier``: the best objective as the total budget grows (same shares) from that minimum to the
  budget where more money changes nothing.

With ``[budget.<category>]`` ceilings (docs/costs.md) the categories are scaled together with the
total: each ceiling keeps its share of the total budget (ceiling_{c,y} / sum_y budget_y), so a
frontier step at total T has ceilings share_{c,y} T. ``hold_categories=True`` (``selector frontier
--hold-categories``) keeps them at the scenario's own ceilings instead while the total is scaled. With cost profiles or running costs the money a
plan needs in a year is its spending that year, not the cost of the units started in it.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field, replace
from typing import Any, Callable

import numpy as np
import pandas as pd
import pulp

from selector.analysis.duals import MILLION, budget_row
from selector.data.scenario import Scenario
from selector.errors import InfeasibleError
from selector.events import OnProgress, tell
from selector.i18n import _
from selector.model.build import Model, build_model
from selector.model.costs import spending_table
from selector.plan import schedule_from_values
from selector.solvers.backends import SOLVERS
from selector.solvers.options import SolveOptions
from selector.solvers.run import SolverRun
from selector.solvers.session import Session
from selector.status import Status, relative_gap
from selector.workflows.robustness.execution import run_dask, split_into_chunks

# ---------------------------------------------------------------------------------------------
# The least budget for full coverage


@dataclass(frozen=True)
class MinimumBudget:
    """The least total budget (same shares per year) with a plan upgrading every unit.

    ``total`` is met by a plan the solver found (so it is enough); ``lower`` is the solver's proven
    bound (no smaller total works); ``status`` is ``optimal`` when they agree within the gap.
    """

    total: float
    lower: float
    status: str
    budget: dict[int, float]
    seconds: float
    values: dict[str, float] | None = field(default=None, repr=False, compare=False)  # the plan found, by variable


def _shares(scenario: Scenario) -> dict[int, float]:
    s = scenario.settings
    total = float(sum(s.budget[y] for y in s.years))
    if total <= 0:
        return {y: 1.0 / len(s.years) for y in s.years}
    return {y: float(s.budget[y]) / total for y in s.years}


def _category_shares(scenario: Scenario) -> dict[tuple[int, int], float]:
    """(category index, year) -> its ceiling's share of the total budget: the categories scale with it."""
    s = scenario.settings
    total = float(sum(s.budget[y] for y in s.years))
    return {(k, y): (float(c.amounts[y]) / total if total > 0 else 1.0 / len(s.years))
            for k, c in enumerate(s.categories) for y in s.years}


def _category_row(model: Model, k: int, year: int) -> pulp.LpConstraint:
    return model.prob.get_constraint_by_name(f"category_{k}_{year}")


def _needed_total(model: Model, schedule: pd.DataFrame, shares: dict[int, float],
                  hold_categories: bool = False) -> float:
    """The least total T (same shares, categories scaled with it unless held) that pays the schedule, year by year."""
    if model.costs is None:
        spent = schedule.dropna(subset=["fiscal_year"]).groupby("fiscal_year")["cost"].sum()
        return max((float(spent.get(y, 0.0)) / shares[y] for y in model.years if shares[y] > 0), default=0.0)
    starts = {u: int(y) for u, y in zip(schedule["unit_id"], schedule["fiscal_year"])
              if not pd.isna(y) and u in model.units.index}
    table = spending_table(model.scenario, starts).set_index("fiscal_year")
    needed = max((float(table.at[y, "total"]) / shares[y] for y in model.years if shares[y] > 0), default=0.0)
    for (k, y), share in ({} if hold_categories else _category_shares(model.scenario)).items():
        if share > 0:
            needed = max(needed, float(table.at[y, model.scenario.settings.categories[k].name]) / share)
    return needed


def _full_coverage(scenario: Scenario) -> Scenario:
    return replace(scenario, settings=replace(scenario.settings, coverage="all"))


def minimum_budget(scenario: Scenario, *, solver: str | None = None, time_limit: float | None = None,
                   gap: float = 1e-3, hold_categories: bool = False) -> MinimumBudget:
    """min T  s.t. sum_u cost_u x[u,y] <= share_y T for every year y, and every other rule of the model.

    share_y = budget_y / sum of the budgets (the scenario's own split). Solved as a MIP to the
    relative ``gap`` (default 0.1%); the total is then rounded up to whole baht per year. With
    categories each ceiling row becomes spending_{c,y} <= share_{c,y} T too (module docstring), unless
    ``hold_categories``: the ceilings then stay the scenario's own.
    """

    s = scenario.settings
    options = SolveOptions.resolve(s, solver=solver, time_limit=time_limit, gap=gap)
    shares = _shares(scenario)
    model = build_model(_full_coverage(scenario))
    total = model.prob.add_variable("total_budget", 0)
    for year in model.years:
        row = budget_row(model, year)
        row.addInPlace(pulp.LpAffineExpression([(total, -shares[year])]))
        row.changeRHS(0)
    for (k, year), share in ({} if hold_categories else _category_shares(scenario)).items():
        row = _category_row(model, k, year)
        row.addInPlace(pulp.LpAffineExpression([(total, -share)]))
        row.changeRHS(0)
    model.prob.setObjective(pulp.LpAffineExpression([(total, -1.0 / MILLION)]))  # max -T, in millions
    run = SOLVERS[options.solver](model.prob, options.time_limit, options.gap, False)
    if run.status not in (Status.OPTIMAL, Status.FEASIBLE):
        held = [_("the category ceilings were held at the scenario's own; without --hold-categories they grow "
                  "with the total")] if hold_categories and s.categories else []
        raise InfeasibleError([_("no budget lets every unit be upgraded by FY{year} ({status}); run `selector solve` on the scenario "
                                 "to see which other rule stands in the way", year=s.last_year, status=run.status),
                               *held])
    schedule = schedule_from_values(model, run.values)
    # The least T that pays the plan found, year by year (exact arithmetic, not the solver's tolerance).
    needed = _needed_total(model, schedule, shares, hold_categories)
    budget = {y: math.ceil(shares[y] * needed - 1e-9) for y in model.years}
    lower = -run.bound * MILLION if run.bound is not None else 0.0
    return MinimumBudget(float(sum(budget.values())), min(lower, float(sum(budget.values()))), run.status,
                         budget, run.seconds, run.values)


# ---------------------------------------------------------------------------------------------
# The frontier


def frontier(scenario: Scenario, steps: int = 10, *, solver: str | None = None, time_limit: float | None = None,
             gap: float | None = None, on_progress: OnProgress = None,
             reuse: bool = True, scheduler: Any = None, chunk_size: int = 4,
             hold_categories: bool = False) -> tuple[pd.DataFrame, MinimumBudget]:
    """The best objective and the units upgraded by each year, over ``steps`` total budgets.

    From T_min (``minimum_budget``) to T_sat, evenly spaced, each year getting its share of the
    total. T_sat is where more money changes nothing: the least total (same shares) that pays, year
    by year, the best plan without any budget rule. The model is built once and, with HiGHS, handed
    to one solver session (``selector.solvers.session``); each step changes only the right-hand
    sides of the budget rows. Every step starts from the minimum budget's own plan, which fits every
    step's budgets (each is at least the minimum's, year by year): the step is proven within the gap
    whatever its start, so the start changes the speed, not what is proven. As a plan found at a
    smaller budget is still feasible at a larger one, a step whose plan is worse than an earlier
    step's keeps the earlier one (status ``feasible``): the objective never decreases.

    The steps depend on nothing but their budgets and that start, so they can run anywhere:
    ``scheduler`` (a Dask address such as tcp://HOST:8786, or a ``distributed.Client``) runs them
    on that cluster, in chunks of ``chunk_size`` steps, one model and session per chunk, with the
    same results byte for byte as a local run (HiGHS's search state is cleared before every solve,
    so a solve depends only on the model and its start). ``on_progress`` is told each phase
    (``minimum``, ``saturation``) and each budget step done (``frontier``, with ``done`` of ``total``).
    ``reuse=False`` solves every step from scratch instead (no session, no start): the baseline of
    ``benchmarks/resolves.py``. The category ceilings grow with the total unless ``hold_categories``:
    they then stay the scenario's own at every step, saturation included (docs/costs.md).
    """

    s = scenario.settings
    solver, time_limit, gap = SolveOptions.resolve(s, solver=solver, time_limit=time_limit, gap=gap).as_tuple()
    shares = _shares(scenario)
    tell(on_progress, "minimum", _("Finding the least total budget that upgrades every unit"))
    least = minimum_budget(scenario, solver=solver, time_limit=time_limit, hold_categories=hold_categories)
    tell(on_progress, "saturation", _("Finding the budget beyond which more money changes nothing"))
    model = build_model(_full_coverage(scenario))
    resolve = _resolver(model, solver if reuse else f"plain-{solver}", time_limit, gap)
    category_shares = {} if hold_categories else _category_shares(scenario)

    # Saturation: solve with every budget too large to bind, then price the plan found.
    huge = float(model.units["cost"].sum()) / min((v for v in shares.values() if v > 0), default=1.0) + 1.0
    saturation = {y: shares[y] * huge for y in model.years}
    ceilings = None
    if model.costs is not None:  # running costs and categories: lift every money row above any spending
        most = sum(c.groups[0].total + sum(g.total for g in c.groups[1:]) + c.running * len(model.years)
                   for c in model.costs.values()) + 1.0
        saturation = {y: max(v, most) for y, v in saturation.items()}
        ceilings = {key: most for key in category_shares}
    run = resolve(saturation, None, ceilings)
    if run.status not in (Status.OPTIMAL, Status.FEASIBLE):
        raise InfeasibleError([_("no plan upgrades every unit even without budget limits ({status})", status=run.status)])
    free = schedule_from_values(model, run.values)
    saturated = _needed_total(model, free, shares, hold_categories)
    saturated = max(float(math.ceil(saturated)), least.total)

    totals = [least.total] if steps == 1 else [
        least.total + (saturated - least.total) * i / (steps - 1) for i in range(steps)]
    steps_todo = []  # (step, budget by year, category ceilings or None)
    for step, total in enumerate(totals):
        budget = ({y: float(v) for y, v in least.budget.items()} if step == 0
                  else {y: float(max(math.floor(shares[y] * total + 1e-6), least.budget[y])) for y in model.years})
        ceilings = None
        if category_shares:  # scaled together with the total (module docstring)
            ceilings = {}
            for key, share in category_shares.items():
                floor = math.ceil(share * least.total - 1e-9)
                # down to whole baht, except at the last step, which must pay the saturated plan (profiles split baht)
                rounded = (math.ceil(share * total - 1e-9) if step == len(totals) - 1
                           else math.floor(share * total + 1e-6))
                ceilings[key] = floor if step == 0 else max(rounded, floor)
        steps_todo.append((step, budget, ceilings))
    # the least budget's plan pays every step's budgets (rounded up from its spending): the start of every step
    job = StepJob(_full_coverage(scenario), solver if reuse else f"plain-{solver}", time_limit, gap,
                  least.values if reuse else None)
    tell(on_progress, "frontier", _("Budget steps"), 0, len(totals))
    done = 0

    def advance(count: int) -> None:
        nonlocal done
        done += count
        tell(on_progress, "frontier", _("Budget steps"), done, len(totals))

    if scheduler is None:
        runs = []
        for todo in steps_todo:  # one session for every step: the model is built once
            runs += solve_steps(job, [todo], resolve=resolve)
            advance(1)
    else:
        chunks = split_into_chunks(steps_todo, max(1, int(chunk_size)))
        runs = sorted(run_dask(job, chunks, scheduler, advance, task=solve_steps), key=lambda r: r[0])
    records = []
    best: tuple[float, pd.DataFrame] | None = None
    for (step, status, bound, values), (_step, budget, _ceilings), total in zip(runs, steps_todo, totals):
        if status in (Status.OPTIMAL, Status.FEASIBLE):
            schedule = schedule_from_values(model, values)
            objective = _objective(model, schedule)
            if best is not None and best[0] > objective:  # the smaller budget's plan is still feasible
                objective, schedule, status = best[0], best[1], Status.FEASIBLE
            best = (objective, schedule)
        elif best is not None:  # the solver stopped without a plan: the last plan still holds
            objective, schedule, status = best[0], best[1], Status.FEASIBLE
        else:
            raise InfeasibleError([_("no plan at the minimum budget of {total} baht ({status})", total=f"{total:,.0f}",
                                     status=status)])
        bound = max(bound, objective) if bound is not None else objective
        record = {"step": step + 1, "total_budget": float(sum(budget.values())), "objective": objective,
                  "bound": bound, "gap": relative_gap(objective, bound), "status": status}
        for y in model.years:
            record[f"budget_{y}"] = budget[y]
        years = schedule["fiscal_year"]
        for y in model.years:
            record[f"units_by_{y}"] = int(((years <= y) & years.notna()).sum())
        records.append(record)
    return pd.DataFrame(records), least


@dataclass(frozen=True)
class StepJob:
    """What a frontier step needs wherever it runs (here, or on a Dask worker): the full-coverage
    scenario, the solver (``plain-<solver>`` for a re-solve from scratch), its limits, and the start
    (the minimum budget's plan, or None)."""

    scenario: Scenario
    solver: str
    time_limit: float
    gap: float
    start: dict[str, float] | None


def solve_steps(job: StepJob, steps: list[tuple[int, dict[int, float], dict[tuple[int, int], float] | None]],
                resolve: Callable[..., SolverRun] | None = None
                ) -> list[tuple[int, str, float | None, dict[str, float] | None]]:
    """Solve each (step, budget by year, category ceilings or None) of a chunk: (step, status, bound,
    values or None without a plan).

    ``resolve`` is the caller's resolver (``_resolver``); without one (on a Dask worker) the model is
    built from ``job.scenario`` and one session serves the whole chunk.
    """
    if resolve is None:
        resolve = _resolver(build_model(job.scenario), job.solver, job.time_limit, job.gap)
    out = []
    for step, budget, ceilings in steps:
        run = resolve(budget, job.start, ceilings)
        found = run.status in (Status.OPTIMAL, Status.FEASIBLE)
        out.append((step, run.status, run.bound, dict(run.values) if found else None))
    return out


def _resolver(model: Model, solver: str, time_limit: float, gap: float
              ) -> Callable[..., SolverRun]:
    """resolve(budget by year, start values or None, ceilings or None) -> SolverRun: one session for
    HiGHS, else (another solver, or ``plain-<solver>``) a plain re-solve of the PuLP problem from
    scratch. ``ceilings`` ((category index, year) -> baht) sets the category rows too (docs/costs.md)."""
    rows = {y: budget_row(model, y) for y in model.years}
    category_rows = {(k, y): _category_row(model, k, y) for k in range(len(model.scenario.settings.categories))
                     for y in model.years} if model.costs is not None else {}
    if solver != "highs":
        def plain(budget: dict[int, float], start: dict[str, float] | None,
                  ceilings: dict[tuple[int, int], float] | None = None) -> SolverRun:
            for y, row in rows.items():
                row.changeRHS(budget[y])
            for key, amount in (ceilings or {}).items():
                category_rows[key].changeRHS(amount)
            return SOLVERS[solver.removeprefix("plain-")](model.prob, time_limit, gap, False)
        return plain
    session = Session(model.prob, gap, time_limit)
    indices = np.array([session.row[row.name] for row in rows.values()], dtype=np.int32)
    category_indices = {key: session.row[row.name] for key, row in category_rows.items()}
    names = [v.name for v in session.arrays.variables]

    def warm(budget: dict[int, float], start: dict[str, float] | None,
             ceilings: dict[tuple[int, int], float] | None = None) -> SolverRun:
        upper = np.array([budget[y] for y in rows], dtype=float)
        session.set_row_bounds(indices, np.full(len(upper), -np.inf), upper)
        if ceilings:
            keys = sorted(ceilings)
            session.set_row_bounds(np.array([category_indices[k] for k in keys], dtype=np.int32),
                                   np.full(len(keys), -np.inf), np.array([ceilings[k] for k in keys], dtype=float))
        values = None if start is None else np.array([start.get(n, 0.0) for n in names])
        return session.run(values)
    return warm


def _objective(model: Model, schedule: pd.DataFrame) -> float:
    year_of = {u: (None if pd.isna(y) else int(y)) for u, y in zip(schedule["unit_id"], schedule["fiscal_year"])}
    pilots = set(schedule.loc[schedule["pilot"], "unit_id"])
    return model.objective_value({u: year_of.get(u) for u in model.units.index}, pilots & set(model.units.index))
