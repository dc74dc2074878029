"""What money buys at the margin: the LP relaxation's budget duals, per fiscal year."""

from __future__ import annotations

import pulp

from selector.data.scenario import Scenario
from selector.model.build import Model, build_model
from selector.solvers import highs
from selector.solvers.run import redirect_stdout_fd

MILLION = 1_000_000.0


def budget_row(model: Model, year: int) -> pulp.LpConstraint:
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

    if lp_duals is not None:  # the model is a maximisation: PuLP's duals come back negated
        return {year: max(0.0, -lp_duals.get(f"budget_{year}", 0.0) * MILLION) for year in scenario.settings.years}
    model = build_model(scenario)
    if not model.x:
        return {year: 0.0 for year in model.years}
    sign = solved_relaxation(model)
    if sign is None:
        return None
    values = {}
    for year in model.years:
        pi = budget_row(model, year).pi
        values[year] = 0.0 if pi is None else max(0.0, sign * pi * MILLION)
    return values


def solved_relaxation(model: Model) -> float | None:
    """Solve the model's LP relaxation in place (its rows' ``pi`` filled in); the sign that turns PuLP's
    duals into d objective / d right-hand side, or None when the relaxation is infeasible."""
    with redirect_stdout_fd(None):
        try:
            highs.solve_lp(model.prob)  # one call, as pulp.HiGHS(mip=False) would fill it in
        except pulp.PulpSolverError:
            return None
    if model.prob.status != pulp.LpStatusOptimal:
        return None
    # PuLP gives HiGHS the negated objective of a maximisation, so the duals come back negated too.
    return -1.0 if model.prob.sense == pulp.LpMaximize else 1.0


def category_marginal_values(scenario: Scenario, lp_duals: dict[str, float] | None = None,
                             ) -> dict[tuple[str, int], float] | None:
    """Objective gained per extra million baht of each [budget.<category>] ceiling in each year
    (docs/costs.md): 1e6 x dual(category_<k>_y) of the LP relaxation, read as ``marginal_values``
    reads the budget rows. Empty without categories; None when the relaxation is infeasible.
    ``lp_duals`` as in ``marginal_values``."""
    categories = scenario.settings.categories
    if not categories:
        return {}
    years = scenario.settings.years
    if lp_duals is not None:
        return {(c.name, y): max(0.0, -lp_duals.get(f"category_{k}_{y}", 0.0) * MILLION)
                for k, c in enumerate(categories) for y in years}
    model = build_model(scenario)
    if not model.x:
        return {(c.name, y): 0.0 for c in categories for y in years}
    sign = solved_relaxation(model)
    if sign is None:
        return None
    values = {}
    for k, c in enumerate(categories):
        for y in years:
            row = model.prob.get_constraint_by_name(f"category_{k}_{y}")
            pi = None if row is None else row.pi
            values[c.name, y] = 0.0 if pi is None else max(0.0, sign * pi * MILLION)
    return values
