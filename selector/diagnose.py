"""Plain-words reasons why a scenario has no feasible plan.

``basic_reasons`` finds contradictions that need no solver: the money, the pilot rules, the cover
rule, capacity and windows, each compared with what it would take. Every reason names the rule, the
current value and what is needed, so a planner knows what to ask for.
"""

from __future__ import annotations

import math

import pandas as pd

from .scenario import Scenario


def _baht(amount: float) -> str:
    amount = float(amount)
    return f"{amount:,.0f} baht" if amount.is_integer() else f"{amount:,.2f} baht"


def _window(row: pd.Series, first: int, last: int) -> tuple[int, int]:
    lo = int(row["earliest_year"]) if not pd.isna(row["earliest_year"]) else first
    hi = int(row["latest_year"]) if not pd.isna(row["latest_year"]) else last
    return max(lo, first), min(hi, last)


def basic_reasons(scenario: Scenario, deep: bool = False) -> list[str]:
    """Reasons no plan can exist, found without a solver (empty when none is found).

    ``deep`` adds the slower, weaker checks used after a solver has proven infeasibility.
    """
    s = scenario.settings
    units = scenario.to_schedule
    first, last = s.first_year, s.last_year
    reasons: list[str] = []
    if units.empty:
        return reasons

    total_cost = float(units["cost"].sum())
    total_budget = float(sum(s.budget[y] for y in s.years))
    if total_cost > total_budget:
        reasons.append(f"the units cost {_baht(total_cost)} in all but the budgets of FY{first}-{last} add up to "
                       f"{_baht(total_budget)}: short by {_baht(total_cost - total_budget)}")

    windows = {uid: _window(row, first, last) for uid, row in units.set_index("unit_id", drop=False).iterrows()}
    starts_first = units["unit_id"].map(lambda u: windows[u][0] <= first)
    eligible = units[(units["pilot"] != "never") & starts_first]
    must = units[units["pilot"] == "must"]
    pmax = scenario.pilots_max
    if len(must) > pmax:
        reasons.append(f"{len(must)} units are marked pilot = must but at most {pmax} pilots are allowed")
    if len(eligible) < s.pilots_min:
        reasons.append(f"at least {s.pilots_min} pilots are required but only {len(eligible)} units can be pilots")
    for column in s.cover:
        for value in sorted(units[column].unique()):
            if not (eligible[column] == value).any():
                reasons.append(f"no unit of {column} '{value}' can be a pilot: all are marked never or cannot start in FY{first}")
    cover_needed = sum(units[c].nunique() for c in s.cover) if s.cover else 0
    if s.cover and len(s.cover) == 1 and cover_needed > pmax:
        reasons.append(f"the cover rule needs a pilot in each of {cover_needed} values of "
                       f"{s.cover[0]} but at most {pmax} pilots are allowed")

    cheapest = sorted(eligible["cost"])[: max(s.pilots_min, len(must))]
    if must["cost"].sum() > s.budget[first]:
        reasons.append(f"the must-pilots cost {_baht(must['cost'].sum())} but the FY{first} budget is {_baht(s.budget[first])}")
    elif sum(cheapest[: s.pilots_min]) > s.budget[first]:
        reasons.append(f"the {s.pilots_min} cheapest possible pilots cost {_baht(sum(cheapest[: s.pilots_min]))} "
                       f"but the FY{first} budget is {_baht(s.budget[first])}")

    if s.max_mean_risk is not None and not eligible.empty:
        least = float(eligible["risk"].min())
        if least > s.max_mean_risk:
            reasons.append(f"every unit that can be a pilot has risk above the cap max_mean_risk = {s.max_mean_risk:g} "
                           f"(lowest is {least:g})")
        if not must.empty and float(must["risk"].mean()) > s.max_mean_risk and len(must) >= pmax:
            reasons.append(f"the must-pilots' mean risk {must['risk'].mean():.3g} exceeds max_mean_risk = {s.max_mean_risk:g}")

    if s.max_units_per_year is not None:
        capacity = s.max_units_per_year * len(s.years)
        if capacity < len(units):
            reasons.append(f"capacity of {s.max_units_per_year} units a year cannot upgrade {len(units)} units "
                           f"in {len(s.years)} years (at most {capacity})")

    for uid, (lo, hi) in windows.items():
        cost = float(units.loc[units["unit_id"] == uid, "cost"].iloc[0])
        best = max(s.budget[y] for y in range(lo, hi + 1)) if lo <= hi else -math.inf
        if cost > best:
            reasons.append(f"unit {uid} costs {_baht(cost)}, more than the budget of any year it may be upgraded in "
                           f"(FY{lo}-{hi}, largest {_baht(best)})")

    if deep:
        reasons += _year_by_year_money(scenario, windows)
    return reasons


def _year_by_year_money(scenario: Scenario, windows: dict[str, tuple[int, int]]) -> list[str]:
    """Units whose window ends by year y must be paid from the budgets up to y."""
    s = scenario.settings
    units = scenario.to_schedule
    reasons = []
    for year in s.years:
        due = [uid for uid, (_, hi) in windows.items() if hi <= year]
        if not due:
            continue
        need = float(units.loc[units["unit_id"].isin(due), "cost"].sum())
        have = float(sum(s.budget[y] for y in s.years if y <= year))
        if need > have:
            reasons.append(f"units that must be upgraded by FY{year} cost {_baht(need)} but the budgets up to FY{year} "
                           f"add up to {_baht(have)}: short by {_baht(need - have)}")
    return reasons
