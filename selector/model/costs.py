"""What a unit spends in each fiscal year once it starts: profiles, budget categories, running costs.

The rules are those of docs/costs.md. Each unit's cost is split into parts (one per
``[budget.<category>]``, from its ``cost_<category>`` column, and the uncategorised rest); each part
follows a profile (shares of the start year and the years after); from the year after its start
the unit also costs its ``running_cost`` every year. For a unit u started in year s this gives

    a[u,s,y]   = sum_parts part x share[y - s]  +  running_u [y > s]      (spending in year y <= L)
    a_c[u,s,y] = the same for category c (the running cost when c is [costs] running_category)
    b[u,s]     = sum_parts part x sum_{k: s + k > L} share[k]                (spending after L)

which the model's budget, category and after-horizon rows use as coefficients (selector.model.build)
and the plan's spending table sums (``spending_table``). The independent verifier (selector.check)
recomputes the same numbers with its own code.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from selector.data.scenario import Scenario
from selector.data.validate import cost_year_columns, numeric_column

ONE_YEAR = (1.0,)
REST = -1  # the part of a unit's cost in no category


@dataclass(frozen=True)
class Profiled:
    """One group of a unit's money that follows one profile: its shares and baht by category (REST: none)."""

    shares: tuple[float, ...]
    amounts: tuple[tuple[int, float], ...]  # (category index or REST, baht)

    @property
    def total(self) -> float:
        return sum(a for _, a in self.amounts)


@dataclass(frozen=True)
class UnitCost:
    """A unit's money: its groups when it starts after the pilot year, when it starts in it, its running cost."""

    groups: tuple[Profiled, ...]
    pilot_groups: tuple[Profiled, ...]
    running: float
    normal_reach: int = 0  # years the money runs past a start after the pilot year
    pilot_reach: int = 0  # the same for a start in the pilot year
    offsets: tuple[tuple[int, int, float], ...] = ()  # (years after the start, category or REST, baht), from groups
    pilot_offsets: tuple[tuple[int, int, float], ...] = ()  # the same from pilot_groups

    def offsets_at(self, start: int, first: int) -> tuple[tuple[int, int, float], ...]:
        return self.pilot_offsets if start == first else self.offsets

    def groups_at(self, start: int, first: int) -> tuple[Profiled, ...]:
        return self.pilot_groups if start == first else self.groups

    def reach(self, start: int, first: int) -> int:
        """Years from the start year to the last one with spending (0: all in the start year)."""
        return self.pilot_reach if start == first else self.normal_reach


@dataclass(frozen=True)
class Spending:
    """What one unit started in one year spends: per year of the horizon (total, and by category), after it."""

    total: dict[int, float]  # year -> baht, running costs included
    upgrade: dict[int, float]  # year -> baht, without running costs (what a fund pays)
    by_category: dict[tuple[int, int], float]  # (category index, year) -> baht, running cost included
    running: dict[int, float]  # year -> baht of running cost
    beyond: float  # baht spent after the last year


def costs_active(scenario: Scenario) -> bool:
    """Does any rule of docs/costs.md apply: a [costs] or category setting, or a filled cost column?"""
    if scenario.settings.costs_on:
        return True
    units = scenario.to_schedule
    for column in [*cost_year_columns(units), "profile", "running_cost"]:
        if column in units.columns and (units[column].astype(str).str.strip().replace("nan", "") != "").any():
            if column != "running_cost" or (_amounts(units, column) > 0).any():
                return True
    return False


def _amounts(units: pd.DataFrame, column: str) -> pd.Series:
    """A cost column as baht, empty cells 0 (validated by selector.data.validate.check_costs)."""
    return numeric_column(units, column)[0].fillna(0.0)


_LAST: list = [None, None]  # (scenario, its unit_costs): the model, the plan's tables and the reasons share one


def unit_costs(scenario: Scenario) -> dict[str, UnitCost]:
    """Every unit to schedule's money, by unit_id, following the rules' order of docs/costs.md.

    The last scenario's answer is kept (by identity: a Scenario is immutable), since building the
    model, the explanation column, the summary and the workbook each ask for it.
    """
    if _LAST[0] is scenario:
        return _LAST[1]
    _LAST[1] = _unit_costs(scenario)
    _LAST[0] = scenario
    return _LAST[1]


def _unit_costs(scenario: Scenario) -> dict[str, UnitCost]:
    settings = scenario.settings
    units = scenario.to_schedule
    cats = settings.categories
    n = len(units)
    parts = [(_amounts(units, c.column) if c.column in units.columns else pd.Series(0.0, index=units.index)).tolist()
             for c in cats]
    year_columns = cost_year_columns(units)
    own_amounts = [_amounts(units, c).tolist() for c in year_columns]
    own_given = [(units[c].astype(str).str.strip().replace("nan", "") != "").tolist() for c in year_columns]
    named = (units["profile"].astype(str).str.strip().replace("nan", "").tolist() if "profile" in units.columns
             else [""] * n)
    running = _amounts(units, "running_cost").tolist() if "running_cost" in units.columns else [0.0] * n
    costs = units["cost"].astype(float).tolist()
    default = settings.cost_profile or ONE_YEAR
    category_profile = [c.profile or default for c in cats]
    memo: dict[tuple, tuple[Profiled, ...]] = {}

    def grouped(chosen: tuple[float, ...] | None, amounts: tuple[tuple[int, float], ...]) -> tuple[Profiled, ...]:
        key = (chosen, amounts)
        if key not in memo:  # many units share their parts and profiles: build each grouping once
            by_profile: dict[tuple[float, ...], list[tuple[int, float]]] = {}
            for k, amount in amounts:
                shares = chosen or (category_profile[k] if k != REST else default)
                by_profile.setdefault(shares, []).append((k, amount))
            memo[key] = tuple(Profiled(shares, tuple(a)) for shares, a in by_profile.items())
        return memo[key]

    out: dict[str, UnitCost] = {}
    for i, uid in enumerate(units["unit_id"].tolist()):
        amounts = [(k, parts[k][i]) for k in range(len(cats))]
        amounts.append((REST, max(0.0, costs[i] - sum(a for _, a in amounts))))
        own = None
        if any(given[i] for given in own_given):
            values = [a[i] for a in own_amounts]
            while len(values) > 1 and values[-1] == 0:
                values.pop()
            total = sum(values)
            own = tuple(v / total for v in values) if total > 0 else ONE_YEAR
        normal = own or settings.profiles.get(named[i]) or None
        pilot = own or settings.pilot_profile or normal
        groups = grouped(normal, tuple(amounts))
        pilot_groups = groups if pilot is normal else grouped(pilot, tuple(amounts))
        offsets = _offsets(groups)
        out[uid] = UnitCost(groups, pilot_groups, running[i], _reach(groups), _reach(pilot_groups), offsets,
                            offsets if pilot_groups is groups else _offsets(pilot_groups))
    return out


def _offsets(groups: tuple[Profiled, ...]) -> tuple[tuple[int, int, float], ...]:
    """(k, category, part x share[k]) for every nonzero share of every part: the money k years after the start."""
    return tuple((offset, category, amount * share) for g in groups for offset, share in enumerate(g.shares)
                 if share != 0 for category, amount in g.amounts if amount * share != 0)


def _reach(groups: tuple[Profiled, ...]) -> int:
    """Years from the start year to the last one with spending (0: all in the start year)."""
    reach = 0
    for g in groups:
        if g.total > 0:
            reach = max(reach, max((k for k, share in enumerate(g.shares) if share > 0), default=0))
    return reach


def running_index(scenario: Scenario) -> int | None:
    """The index of [costs] running_category among the categories (None: running costs count in the total only)."""
    names = [c.name for c in scenario.settings.categories]
    rc = scenario.settings.running_category
    return names.index(rc) if rc in names else None


def spending(cost: UnitCost, start: int, first: int, last: int, running_category: int | None) -> Spending:
    """a[u,s,y], a_c[u,s,y] and b[u,s] (module docstring) of one unit started in ``start``."""
    total: dict[int, float] = {}
    upgrade: dict[int, float] = {}
    by_category: dict[tuple[int, int], float] = {}
    running: dict[int, float] = {}
    beyond = 0.0
    for offset, k, money in cost.offsets_at(start, first):
        year = start + offset
        if year > last:
            beyond += money
            continue
        upgrade[year] = upgrade.get(year, 0.0) + money
        if k != REST:
            by_category[k, year] = by_category.get((k, year), 0.0) + money
    total.update(upgrade)
    if cost.running > 0:
        for year in range(start + 1, last + 1):
            running[year] = cost.running
            total[year] = total.get(year, 0.0) + cost.running
            if running_category is not None:
                by_category[running_category, year] = by_category.get((running_category, year), 0.0) + cost.running
    return Spending(total, upgrade, by_category, running, beyond)


@dataclass(frozen=True)
class CostArrays:
    """The units' money k years after their start, as arrays for the model's rows (units in ``unit_ids``
    order): ``total[i, k]`` and ``category[c, i, k]`` for a start after the pilot year, the ``pilot_``
    ones for a start in it; ``running[i]`` a year from the year after the start (not in the arrays)."""

    total: np.ndarray
    category: np.ndarray
    pilot_total: np.ndarray
    pilot_category: np.ndarray
    running: np.ndarray

    def at(self, start: int, first: int) -> tuple[np.ndarray, np.ndarray]:
        return (self.pilot_total, self.pilot_category) if start == first else (self.total, self.category)


def cost_arrays(costs: dict[str, UnitCost], unit_ids: list[str], categories: int) -> CostArrays:
    """``CostArrays`` of the units, from their offsets (the same sums as ``spending``)."""
    width = 1 + max((max(c.normal_reach, c.pilot_reach) for c in costs.values()), default=0)
    n = len(unit_ids)
    arrays = [np.zeros((n, width)), np.zeros((categories, n, width)), np.zeros((n, width)),
              np.zeros((categories, n, width))]
    for i, uid in enumerate(unit_ids):
        cost = costs[uid]
        for total, category, offsets in ((arrays[0], arrays[1], cost.offsets), (arrays[2], arrays[3], cost.pilot_offsets)):
            for offset, k, money in offsets:
                total[i, offset] += money
                if k != REST:
                    category[k, i, offset] += money
    running = np.array([costs[uid].running for uid in unit_ids], dtype=float)
    return CostArrays(*arrays, running)


def spending_table(scenario: Scenario, starts: dict[str, int]) -> pd.DataFrame:
    """The plan's spending per fiscal year: started (units upgraded that year), carried (commitments of
    units started earlier), running, total, and one column per category; ``starts`` is unit_id -> year.

    A last row ``after`` holds what falls after the horizon (``fiscal_year`` = last + 1).
    """
    settings = scenario.settings
    first, last = settings.first_year, settings.last_year
    costs = unit_costs(scenario)
    rc = running_index(scenario)
    names = [c.name for c in settings.categories]
    rows = {year: {"started": 0.0, "carried": 0.0, "running": 0.0, **{n: 0.0 for n in names}}
            for year in range(first, last + 2)}
    for uid in sorted(starts):
        if uid not in costs or starts[uid] is None:
            continue
        start = int(starts[uid])
        spent = spending(costs[uid], start, first, last, rc)
        for year, money in spent.upgrade.items():
            rows[year]["started" if year == start else "carried"] += money
        for year, money in spent.running.items():
            rows[year]["running"] += money
        for (k, year), money in spent.by_category.items():
            rows[year][names[k]] += money
        rows[last + 1]["carried"] += spent.beyond
    table = pd.DataFrame([{"fiscal_year": year, **row} for year, row in rows.items()])
    table["total"] = table["started"] + table["carried"] + table["running"]
    columns = ["fiscal_year", "started", "carried", "running", "total", *names]
    return table[columns]


def commitments_table(scenario: Scenario, starts: dict[str, int]) -> pd.DataFrame:
    """The multi-year commitments: one row per start year, the upgrade spending of the units started
    then in each fiscal year (columns: the years of the horizon, then last + 1 for after it)."""
    settings = scenario.settings
    first, last = settings.first_year, settings.last_year
    costs = unit_costs(scenario)
    years = list(range(first, last + 2))
    cells = {start: dict.fromkeys(years, 0.0) for start in range(first, last + 1)}
    for uid in sorted(starts):
        if uid in costs and starts[uid] is not None and first <= int(starts[uid]) <= last:
            start = int(starts[uid])
            spent = spending(costs[uid], start, first, last, None)
            for year, money in spent.upgrade.items():
                cells[start][year] += money
            cells[start][last + 1] += spent.beyond
    table = pd.DataFrame.from_dict(cells, orient="index")[years]
    table.index.name = "start_year"
    return table
