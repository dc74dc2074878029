"""Rows that only some workflows add to the model (the robustness sampler's spending floors)."""

from __future__ import annotations


def add_spending_floors(m) -> None:
    """Implied rows for the sampling model: the money left unspent is the same in every plan.

    Every unit is upgraded, and paid, exactly once. With S_Y = sum_{u in U} cost_u (every unit is paid once: coverage rows are equalities) and
    spend_y <= budget_y, every year and every run of first years T = F..t must spend

        sum_{u} cost_u sum_{y in T} x[u,y] >= sum_{y in T} budget_y - slack,   slack = sum_y budget_y - S_Y

    (``floor_<year>`` for T = {year}, ``floor_to_<t>`` for T = F..t). They cut off no plan, only
    fractional points of the relaxation, and on the default scenario HiGHS needs about a fifth
    less time per sample with them. They are kept out of ``build_model`` because there they would
    change the LP duals that ``selector.analysis.duals`` reads as the value of a budget.
    """
    import pulp

    if m.scenario.settings.coverage != "all" or not m.x:
        return
    cost = m.units["cost"].astype(float).to_dict()
    budget = {year: float(m.scenario.settings.budget[year]) for year in m.years}
    slack = sum(budget.values()) - sum(cost.values())
    by_year: dict[int, list] = {year: [] for year in m.years}
    for (uid, year), var in m.x.items():
        if cost[uid] != 0:
            by_year[year].append((var, cost[uid]))
    runs = [((year,), f"floor_{year}") for year in m.years]
    runs += [(m.years[:k], f"floor_to_{m.years[k - 1]}") for k in range(2, len(m.years))]
    for years, name in runs:
        terms = [term for year in years for term in by_year[year]]
        floor = sum(budget[year] for year in years) - slack
        if terms and floor > 0:
            m.prob.addConstraint(pulp.LpAffineExpression(terms) >= floor, name)
