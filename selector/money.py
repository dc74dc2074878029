"""What money buys: the marginal value of a budget year, the least budget for full coverage, the frontier.

- ``marginal_values``: from the LP relaxation (binaries relaxed to [0, 1]), the dual value of each
  row ``budget_y``, i.e. d objective / d budget_y, given per million baht.
- ``minimum_budget``: the least total budget, keeping each year's share of it, that upgrades every
  unit by the last year; an exact MIP (minimise the scale t) solved to a relative gap.
- ``frontier``: the best objective as the total budget grows (same shares) from that minimum to the
  budget where more money changes nothing.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace

import pandas as pd
import pulp

from .errors import InfeasibleError
from .model import Model, build_model
from .scenario import Scenario

MILLION = 1_000_000.0


def _budget_row(model: Model, year: int) -> pulp.LpConstraint:
    return model.prob.get_constraint_by_name(f"budget_{year}")


def marginal_values(scenario: Scenario, lp_duals: dict[str, float] | None = None) -> dict[int, float] | None:
    """Objective gained per extra million baht in each fiscal year, from the LP relaxation's duals.

    value_y = 1e6 x dual(budget_y) of  max c'x  s.t. the model's rows, 0 <= x, p <= 1. It is the
    rate at which the relaxed optimum grows with budget_y: exact for small changes, except where
    the budget sits on a kink of the relaxed optimum (it then lies between the slopes on either
    side); the integer plan gains in steps of whole units. None when the relaxation is infeasible.
    Under best-effort the relaxation is of the model's own objective with coverage <= 1 (without the
    count-first stage), so money that schedules one more unit u is worth its R_u (L - y + 1).
    ``lp_duals`` (row name -> dual, PuLP's signs) are those of this very relaxation when the caller
    already solved it (``selector.solve`` does, on large scenarios): then nothing is built or solved.
    """
    from . import highs
    from .solve import _redirect_stdout_fd

    if lp_duals is not None:  # the model is a maximisation: PuLP's duals come back negated
        return {year: max(0.0, -lp_duals.get(f"budget_{year}", 0.0) * MILLION) for year in scenario.settings.years}
    model = build_model(scenario)
    if not model.x:
        return {year: 0.0 for year in model.years}
    with _redirect_stdout_fd(None):
        try:
            highs.solve_lp(model.prob)  # one call, as pulp.HiGHS(mip=False) would fill it in
        except pulp.PulpSolverError:
            return None
    if model.prob.status != pulp.LpStatusOptimal:
        return None
    # PuLP gives HiGHS the negated objective of a maximisation, so the duals come back negated too.
    sign = -1.0 if model.prob.sense == pulp.LpMaximize else 1.0
    values = {}
    for year in model.years:
        pi = _budget_row(model, year).pi
        values[year] = 0.0 if pi is None else max(0.0, sign * pi * MILLION)
    return values


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


def _shares(scenario: Scenario) -> dict[int, float]:
    s = scenario.settings
    total = float(sum(s.budget[y] for y in s.years))
    if total <= 0:
        return {y: 1.0 / len(s.years) for y in s.years}
    return {y: float(s.budget[y]) / total for y in s.years}


def _full_coverage(scenario: Scenario) -> Scenario:
    return replace(scenario, settings=replace(scenario.settings, coverage="all"))


def minimum_budget(scenario: Scenario, *, solver: str | None = None, time_limit: float | None = None,
                   gap: float = 1e-3) -> MinimumBudget:
    """min T  s.t. sum_u cost_u x[u,y] <= share_y T for every year y, and every other rule of the model.

    share_y = budget_y / sum of the budgets (the scenario's own split). Solved as a MIP to the
    relative ``gap`` (default 0.1%); the total is then rounded up to whole baht per year.
    """
    from .solve import FEASIBLE, OPTIMAL, SOLVERS, schedule_from_values

    s = scenario.settings
    solver = (solver or s.solver).lower()
    shares = _shares(scenario)
    model = build_model(_full_coverage(scenario))
    total = model.prob.add_variable("total_budget", 0)
    for year in model.years:
        row = _budget_row(model, year)
        row.addInPlace(pulp.LpAffineExpression([(total, -shares[year])]))
        row.changeRHS(0)
    model.prob.setObjective(pulp.LpAffineExpression([(total, -1.0 / MILLION)]))  # max -T, in millions
    run = SOLVERS[solver](model.prob, s.time_limit if time_limit is None else time_limit, gap, False)
    if run.status not in (OPTIMAL, FEASIBLE):
        raise InfeasibleError([f"no budget lets every unit be upgraded by FY{s.last_year} ({run.status}); "
                               "run `selector solve` on the scenario to see which other rule stands in the way"])
    schedule = schedule_from_values(model, run.values)
    spent = schedule.dropna(subset=["fiscal_year"]).groupby("fiscal_year")["cost"].sum()
    # The least T that pays the plan found, year by year (exact arithmetic, not the solver's tolerance).
    needed = max((float(spent.get(y, 0.0)) / shares[y] for y in model.years if shares[y] > 0), default=0.0)
    budget = {y: math.ceil(shares[y] * needed - 1e-9) for y in model.years}
    lower = -run.bound * MILLION if run.bound is not None else 0.0
    return MinimumBudget(float(sum(budget.values())), min(lower, float(sum(budget.values()))), run.status,
                         budget, run.seconds)


# ---------------------------------------------------------------------------------------------
# The frontier


def frontier(scenario: Scenario, steps: int = 10, *, solver: str | None = None, time_limit: float | None = None,
             gap: float | None = None) -> tuple[pd.DataFrame, MinimumBudget]:
    """The best objective and the units upgraded by each year, over ``steps`` total budgets.

    From T_min (``minimum_budget``) to T_sat, evenly spaced, each year getting its share of the
    total. T_sat is where more money changes nothing: the least total (same shares) that pays, year
    by year, the best plan without any budget rule. The model is built once; each step changes only
    the right-hand sides of the budget rows. A plan found at a smaller budget is still feasible at a
    larger one, so a step keeps it if the solver's plan is worse: the objective never decreases.
    """
    from .solve import FEASIBLE, OPTIMAL, SOLVERS, _relative_gap, schedule_from_values

    s = scenario.settings
    solver = (solver or s.solver).lower()
    time_limit = s.time_limit if time_limit is None else time_limit
    gap = s.gap if gap is None else gap
    shares = _shares(scenario)
    least = minimum_budget(scenario, solver=solver, time_limit=time_limit)
    model = build_model(_full_coverage(scenario))
    rows = {y: _budget_row(model, y) for y in model.years}

    def set_total(total: float) -> None:
        for y, row in rows.items():
            row.changeRHS(shares[y] * total)

    # Saturation: solve with every budget too large to bind, then price the plan found.
    set_total(float(model.units["cost"].sum()) / min((v for v in shares.values() if v > 0), default=1.0) + 1.0)
    run = SOLVERS[solver](model.prob, time_limit, gap, False)
    if run.status not in (OPTIMAL, FEASIBLE):
        raise InfeasibleError([f"no plan upgrades every unit even without budget limits ({run.status})"])
    free = schedule_from_values(model, run.values)
    spent = free.dropna(subset=["fiscal_year"]).groupby("fiscal_year")["cost"].sum()
    saturated = max((float(spent.get(y, 0.0)) / shares[y] for y in model.years if shares[y] > 0), default=0.0)
    saturated = max(float(math.ceil(saturated)), least.total)

    totals = [least.total] if steps == 1 else [
        least.total + (saturated - least.total) * i / (steps - 1) for i in range(steps)]
    records = []
    best: tuple[float, pd.DataFrame] | None = None
    for step, total in enumerate(totals):
        budget = ({y: float(v) for y, v in least.budget.items()} if step == 0
                  else {y: float(max(math.floor(shares[y] * total + 1e-6), least.budget[y])) for y in model.years})
        for y, row in rows.items():
            row.changeRHS(budget[y])
        run = SOLVERS[solver](model.prob, time_limit, gap, False)
        status, bound = run.status, run.bound
        if run.status in (OPTIMAL, FEASIBLE):
            schedule = schedule_from_values(model, run.values)
            objective = _objective(model, schedule)
            if best is not None and best[0] > objective:  # the smaller budget's plan is still feasible
                objective, schedule, status = best[0], best[1], FEASIBLE
            best = (objective, schedule)
        elif best is not None:  # the solver stopped without a plan: the last plan still holds
            objective, schedule, status = best[0], best[1], FEASIBLE
        else:
            raise InfeasibleError([f"no plan at the minimum budget of {total:,.0f} baht ({run.status})"])
        bound = max(bound, objective) if bound is not None else objective
        record = {"step": step + 1, "total_budget": float(sum(budget.values())), "objective": objective,
                  "bound": bound, "gap": _relative_gap(objective, bound), "status": status}
        for y in model.years:
            record[f"budget_{y}"] = budget[y]
        years = schedule["fiscal_year"]
        for y in model.years:
            record[f"units_by_{y}"] = int(((years <= y) & years.notna()).sum())
        records.append(record)
    return pd.DataFrame(records), least


def _objective(model: Model, schedule: pd.DataFrame) -> float:
    year_of = {u: (None if pd.isna(y) else int(y)) for u, y in zip(schedule["unit_id"], schedule["fiscal_year"])}
    pilots = set(schedule.loc[schedule["pilot"], "unit_id"])
    return model.objective_value({u: year_of.get(u) for u in model.units.index}, pilots & set(model.units.index))


def frontier_csv_text(table: pd.DataFrame) -> str:
    """The frontier as CSV text (CRLF, no BOM): step, budgets, objective, bound, gap, status, units by year."""
    from .output import _format_number

    years = [c[len("budget_"):] for c in table.columns if c.startswith("budget_")]
    columns = (["step", "total_budget"] + [f"budget_{y}" for y in years] + ["objective", "bound", "gap", "status"]
               + [f"units_by_{y}" for y in years])
    lines = [",".join(columns)]
    for record in table.to_dict(orient="records"):
        lines.append(",".join(record[c] if isinstance(record[c], str) else _format_number(record[c]) for c in columns))
    return "\r\n".join(lines) + "\r\n"


__all__ = ["marginal_values", "minimum_budget", "MinimumBudget", "frontier", "frontier_csv_text"]
