"""The phase-scheduling integer program, one function per constraint family.

Sets: U, the units still to upgrade (``done`` is false), sorted by unit_id; Y = F..L, the fiscal
years of the horizon (F is the pilot year); W_u, the years of unit u's window.
Variables: x[u,y] in {0,1} (u is upgraded in year y; created only for y in W_u, which is how the
window rule x[u,y] = 0 outside W_u is written) and p[u] in {0,1} (u is a pilot).

    maximise  sum_u sum_y R_u (L - y + 1) x[u,y]  +  lambda sum_u P_u p[u],   lambda = emphasis (L - F + 1)

``build_model`` calls every family in order; the model table of docs/model.md maps each row-name pattern
to its function. Row names are ASCII: ``budget_2556``, ``cover_region_3``, ``after_U0012``...
"""

from __future__ import annotations

import gc
import math
import re
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Callable, Iterator

import numpy as np
import pandas as pd
import pulp

from selector.data.scenario import Scenario
from selector.model.balance import network_stats
from selector.model.costs import UnitCost, cost_arrays, costs_active, running_index, spending, unit_costs
from selector.model.scoring import score_units


@dataclass
class Model:
    """A built PuLP problem with its variables and the data it was built from."""

    prob: pulp.LpProblem
    scenario: Scenario
    units: pd.DataFrame  # the units to schedule, sorted by unit_id, indexed by unit_id
    scores: pd.DataFrame  # pilot_score, rollout_score by unit_id (every unit, done ones too)
    years: tuple[int, ...]
    x: dict[tuple[str, int], pulp.LpVariable] = field(default_factory=dict)
    p: dict[str, pulp.LpVariable] = field(default_factory=dict)
    by_unit: dict[str, list[tuple[int, pulp.LpVariable]]] = field(default_factory=dict)  # u -> [(y, x[u,y])]
    names: dict[str, str] = field(default_factory=dict)  # unit_id -> ASCII name used in the model
    funding: dict[tuple[str, int], list[tuple[str, pulp.LpVariable]]] = field(default_factory=dict)  # (u, y) -> [(fund, w)]
    fund_sets: list[tuple[int, ...]] = field(default_factory=list)  # the fund sets of the rows fund_set_<k>_<year>
    pilot_lambda: float = 0.0
    count_status: str | None = None  # best-effort: status of the first stage once row coverage_count holds it
    costs: dict[str, UnitCost] | None = None  # the units' money when a rule of docs/costs.md applies (else None)
    spend_terms: dict[tuple[str, int], list] | None = None  # ("budget"|"category k"|"beyond", year) -> row terms
    running: dict[int, pulp.LpVariable] = field(default_factory=dict)  # run[y]: running costs in year y (costs.md)

    def objective_value(self, assignment: dict[str, int | None], pilots: set[str]) -> float:
        """The objective of a given schedule (unit_id -> year), computed from the model's data."""
        last = self.years[-1]
        rollout = self.scores["rollout_score"]
        pilot = self.scores["pilot_score"]
        total = 0.0
        for uid, year in assignment.items():
            if year is not None:
                total += rollout[uid] * (last - year + 1)
        return total + self.pilot_lambda * sum(pilot[u] for u in pilots)


def _ascii_names(unit_ids: list[str]) -> dict[str, str]:
    """ASCII names for the model: the unit id where it is plain ASCII and unique, else u00042."""
    cleaned = {uid: re.sub(r"[^A-Za-z0-9_]", "_", uid) for uid in unit_ids}
    plain = all(uid.isascii() for uid in unit_ids) and len(set(cleaned.values())) == len(cleaned)
    if plain:
        return cleaned
    width = len(str(len(unit_ids)))
    return {uid: f"u{i:0{width}d}" for i, uid in enumerate(unit_ids)}


def affine(pairs) -> pulp.LpAffineExpression:
    return pulp.LpAffineExpression(list(pairs))


def _windows(units: pd.DataFrame, first: int, last: int) -> list[range]:
    """W_u for every unit, in the order of ``units`` (the years of the horizon within its window)."""
    lo = units["earliest_year"].to_numpy(dtype=float, na_value=math.nan)
    hi = units["latest_year"].to_numpy(dtype=float, na_value=math.nan)
    lo = np.maximum(np.where(np.isnan(lo), first, lo), first).astype(int).tolist()
    hi = np.minimum(np.where(np.isnan(hi), last, hi), last).astype(int).tolist()
    return [range(a, b + 1) for a, b in zip(lo, hi)]


def add_variables(m: Model) -> None:
    """x[u,y] binary for y in W_u (the window rule: no variable outside it); p[u] binary.

    With ``[costs] after_horizon = "refuse"`` W_u also leaves out the start years s whose spending
    would run past the last year L: s + r_u(s) <= L, r_u(s) the years u's profile reaches past s
    (the profile window of docs/costs.md).
    """
    add = m.prob.add_variable
    first, last = m.years[0], m.years[-1]
    refuse = m.costs is not None and m.scenario.settings.after_horizon == "refuse"
    for uid, window in zip(m.units.index, _windows(m.units, first, last)):
        name = m.names[uid]
        if refuse:
            window = [year for year in window if year + m.costs[uid].reach(year, first) <= last]
        pairs = [(year, add(f"x_{name}_{year}", 0, 1, pulp.LpBinary)) for year in window]
        m.by_unit[uid] = pairs
        for year, var in pairs:
            m.x[uid, year] = var
        m.p[uid] = add(f"p_{name}", 0, 1, pulp.LpBinary)


def add_objective(m: Model) -> None:
    """max sum_u sum_y R_u (L - y + 1) x[u,y] + lambda sum_u P_u p[u], lambda = emphasis (L - F + 1)."""
    last = m.years[-1]
    rollout = m.scores["rollout_score"].astype(float).to_dict()
    pilot = m.scores["pilot_score"].astype(float).to_dict()
    terms = [(var, rollout[uid] * (last - year + 1)) for (uid, year), var in m.x.items()]
    terms += [(var, m.pilot_lambda * pilot[uid]) for uid, var in m.p.items()]
    m.prob.setObjective(affine(terms))


def add_coverage_constraints(m: Model) -> None:
    """sum_{y in W_u} x[u,y] = 1 for every u in U: every unit is upgraded once, by the last year.

    With ``[plan] coverage = "best-effort"`` the row is sum_{y in W_u} x[u,y] <= 1 (at most once);
    ``solve`` then first maximises the number of units upgraded (see ``count_expression``).
    """
    best_effort = m.scenario.settings.coverage == "best-effort"
    names = m.names
    for uid, pairs in m.by_unit.items():
        expr = affine([(var, 1) for _, var in pairs])
        m.prob.addConstraint(expr <= 1 if best_effort else expr == 1, f"coverage_{names[uid]}")


def count_expression(m: Model) -> pulp.LpAffineExpression:
    """sum_u sum_y x[u,y]: the number of units upgraded (the first objective under best-effort)."""
    return affine((var, 1) for var in m.x.values())


def add_pilot_year_constraints(m: Model) -> None:
    """x[u,F] = p[u] for every u in U (the first year upgrades exactly the pilots); p[u] = 0 when F is not in W_u."""
    first = m.years[0]
    names = m.names
    for uid, p in m.p.items():
        x = m.x.get((uid, first))
        terms = [(p, 1)] + ([(x, -1)] if x is not None else [])
        m.prob.addConstraint(affine(terms) == 0, f"pilot_year_{names[uid]}")


def add_budget_constraints(m: Model) -> None:
    """sum_u cost_u x[u,y] <= budget_y for every year y.

    When a rule of docs/costs.md applies the row counts each year's spending instead (profiles
    and running costs, ``selector.model.costs``): sum_u sum_{s <= y} a[u,s,y] x[u,s] <= budget_y.
    The running costs enter it through one continuous variable per year, run[y] = the running
    costs of the units upgraded before y, defined recursively (each x[u,s] appears once, not in
    every later year's rows):

        run[y] = run[y-1] + sum_u r_u x[u,y-1]   for y = F+1..L, run[F] = 0     (running_<year>)
    """
    if m.costs is not None:
        terms_of = spending_terms(m)
        for year in m.years:
            m.prob.addConstraint(affine(terms_of.get(("budget", year), [])) <= float(m.scenario.settings.budget[year]),
                                 f"budget_{year}")
        for year, run in m.running.items():
            terms = [(run, 1.0)] + ([(m.running[year - 1], -1.0)] if year - 1 in m.running else [])
            terms += [(x, -m.costs[uid].running) for uid, pairs in m.by_unit.items() if m.costs[uid].running
                      for start, x in pairs if start == year - 1]
            m.prob.addConstraint(affine(terms) == 0, f"running_{year}")
        return
    cost = m.units["cost"].astype(float).to_dict()
    budget = m.scenario.settings.budget
    terms: dict[int, list] = {year: [] for year in m.years}
    for (uid, year), var in m.x.items():
        if cost[uid] != 0:
            terms[year].append((var, cost[uid]))
    for year in m.years:
        m.prob.addConstraint(affine(terms[year]) <= float(budget[year]), f"budget_{year}")


def spending_terms(m: Model) -> dict[tuple[str, int], list]:
    """The terms of every spending row, in one pass over x (cached on the model):

        ("budget", y):      (x[u,s], a[u,s,y])    for s <= y        the year's total spending
        ("category", k, y): (x[u,s], a_c[u,s,y])  for category k
        ("beyond", 0):      (x[u,s], b[u,s])      spending after the last year

    The running costs in a and a_c are the term (run[y], 1) (``add_budget_constraints``); the
    variables run[y] are made here, in ``m.running``, when some unit has a running cost.
    """
    if m.spend_terms is not None:
        return m.spend_terms
    first, last = m.years[0], m.years[-1]
    rc = running_index(m.scenario)
    categories = len(m.scenario.settings.categories)
    ids = list(m.by_unit)
    money = cost_arrays(m.costs, ids, categories)
    width = money.total.shape[1]
    by_start: dict[int, tuple[list[int], list]] = {year: ([], []) for year in m.years}
    for i, uid in enumerate(ids):
        for start, var in m.by_unit[uid]:
            by_start[start][0].append(i)
            by_start[start][1].append(var)
    rows: dict[tuple, list] = {}

    def add(key: tuple, variables: np.ndarray, coefficients) -> None:
        coefficients = np.broadcast_to(np.asarray(coefficients, dtype=float), variables.shape)
        keep = coefficients != 0
        if keep.any():
            rows.setdefault(key, []).extend(zip(variables[keep].tolist(), coefficients[keep].tolist()))

    for start, (index, variables) in by_start.items():  # a[u,s,y] for all u at once, one start year s at a time
        if not index:
            continue
        units = np.array(index)
        x = np.empty(len(variables), dtype=object)
        x[:] = variables
        total, by_category = money.at(start, first)
        for year in range(start, min(last, start + width - 1) + 1):
            k = year - start
            add(("budget", year), x, total[units, k])
            for c in range(categories):
                add(("category", c, year), x, by_category[c, units, k])
        if last - start + 1 < width:
            add(("beyond", 0), x, total[units, last - start + 1:].sum(axis=1))
    if money.running.any():  # run[y]: the running costs of the units upgraded before y, at most all of them
        most = float(money.running.sum())
        for year in m.years[1:]:
            m.running[year] = m.prob.add_variable(f"running_total_{year}", 0, most, pulp.LpContinuous)
            rows.setdefault(("budget", year), []).append((m.running[year], 1.0))
            if rc is not None:
                rows.setdefault(("category", rc, year), []).append((m.running[year], 1.0))
    m.spend_terms = rows
    return rows


def add_category_constraints(m: Model) -> None:
    """sum_u sum_{s <= y} a_c[u,s,y] x[u,s] <= ceiling_{c,y} for every [budget.<category>] c and year y.

    a_c[u,s,y] is what unit u started in year s spends in year y from its part ``cost_<c>``
    (following its profile) and, when c is ``[costs] running_category``, its running cost
    (from the year after s). Rows ``category_<k>_<year>``, k numbering the categories in the
    TOML's order.
    """
    categories = m.scenario.settings.categories
    if m.costs is None or not categories:
        return
    terms_of = spending_terms(m)
    for k, category in enumerate(categories):
        for year in m.years:
            m.prob.addConstraint(affine(terms_of.get(("category", k, year), [])) <= float(category.amounts[year]),
                                 f"category_{k}_{year}")


def add_beyond_horizon_constraint(m: Model) -> None:
    """sum_u sum_s b[u,s] x[u,s] <= after: what the profiles spend after the last year, in all.

    Only with ``[costs] after_horizon = "charge"``; b[u,s] is the share of u's cost its profile
    puts after the last year L when it starts in s (running costs after L are not this plan's).
    Row ``beyond_horizon``.
    """
    settings = m.scenario.settings
    if m.costs is None or settings.after_horizon != "charge":
        return
    terms = spending_terms(m).get(("beyond", 0), [])
    m.prob.addConstraint(affine(terms) <= float(settings.budget_after or 0.0), "beyond_horizon")


def add_pilot_count_constraints(m: Model) -> None:
    """min <= sum_u p[u] <= max."""
    terms = [(var, 1) for var in m.p.values()]
    m.prob.addConstraint(affine(terms) >= m.scenario.settings.pilots_min, "pilots_min")
    m.prob.addConstraint(affine(terms) <= m.scenario.pilots_max, "pilots_max")


def add_cover_constraints(m: Model) -> None:
    """sum_{u in U: col_u = v} p[u] >= 1 for each cover column col and each of its values v among U.

    Values whose units are all done are not required to have a pilot (there is nothing to pilot).
    """
    for column in m.scenario.settings.cover:
        groups = m.units.groupby(column, sort=True).groups  # value -> unit_ids, values sorted
        for number, value in enumerate(sorted(groups)):
            terms = [(m.p[uid], 1) for uid in groups[value]]
            m.prob.addConstraint(affine(terms) >= 1, f"cover_{ascii_name(column)}_{number}")


def add_pilot_risk_constraint(m: Model) -> None:
    """sum_u (risk_u - max_mean_risk) p[u] <= 0: the pilots' mean raw risk is at most the cap."""
    cap = m.scenario.settings.max_mean_risk
    if cap is None:
        return
    risk = m.units["risk"].astype(float).to_dict()
    terms = [(var, risk[uid] - cap) for uid, var in m.p.items()]
    m.prob.addConstraint(affine(terms) <= 0, "pilot_risk")


def add_capacity_constraints(m: Model) -> None:
    """sum_u x[u,y] <= cap_y for every year y with a cap, cap_y = min(max_units_per_year, max_units[y]).

    ``[capacity] max_units_per_year`` caps every year, ``[capacity] max_units = {2556 = 60}`` the
    years it names; where both apply the smaller one binds.
    """
    settings = m.scenario.settings
    caps = {year: [c for c in (settings.max_units_per_year, settings.max_units.get(year)) if c is not None]
            for year in m.years}
    if not any(caps.values()):
        return
    terms: dict[int, list] = {year: [] for year in m.years}
    for (_, year), var in m.x.items():
        terms[year].append((var, 1))
    for year in m.years:
        if caps[year]:
            m.prob.addConstraint(affine(terms[year]) <= min(caps[year]), f"capacity_{year}")


def add_pilot_rule_constraints(m: Model) -> None:
    """p[u] = 1 for units marked `must`, p[u] = 0 for units marked `never`."""
    for uid, rule in m.units["pilot"].items():
        if rule == "must":
            m.prob.addConstraint(affine([(m.p[uid], 1)]) == 1, f"pilot_must_{m.names[uid]}")
        elif rule == "never":
            m.prob.addConstraint(affine([(m.p[uid], 1)]) == 0, f"pilot_never_{m.names[uid]}")


def add_after_constraints(m: Model) -> None:
    """sum_y y x[u,y] >= sum_y y x[a,y] + 1 for every unit u whose `after` names a unit a still in U.

    When a is done it was upgraded before the plan starts, so the rule already holds. Under
    ``[plan] coverage = "best-effort"`` a unit may be left out, and the row above would let an
    unscheduled a (sum_y y x[a,y] = 0) stand for "upgraded in year 0". There, u may be upgraded
    by year t only if a was upgraded before t:

        sum_{y in W_u, y <= t} x[u,y] <= sum_{y in W_a, y < t} x[a,y]    for t in W_u   (after_<u>_<t>)

    so u is upgraded only if a is, and in a later year (t = u's year), and the rows are slack
    when u is left out. Rows ``after_<unit>`` (full coverage) or ``after_<unit>_<year>``.
    """
    best_effort = m.scenario.settings.coverage == "best-effort"
    for uid, after in m.units["after"].items():
        if after == "" or after not in m.units.index:
            continue
        if best_effort:
            add_follow_rows(m, uid, after, 1, f"after_{m.names[uid]}")
            continue
        terms = [(var, y) for y, var in m.by_unit[uid]] + [(var, -y) for y, var in m.by_unit[after]]
        m.prob.addConstraint(affine(terms) >= 1, f"after_{m.names[uid]}")


def add_follow_rows(m: Model, uid: str, leader: str, lag: int, prefix: str) -> None:
    """sum_{y in W_u, y <= t} x[u,y] <= sum_{y in W_l, y <= t - lag} x[l,y] for t in W_u: u is
    upgraded by year t only if l was upgraded by t - lag (rows ``<prefix>_<t>``). Exact when units
    may be left out: u upgraded implies l upgraded at least ``lag`` years earlier; u left out
    leaves l free."""
    for t, _ in m.by_unit[uid]:
        follower = [(var, 1) for y, var in m.by_unit[uid] if y <= t]
        leading = [(var, -1) for y, var in m.by_unit[leader] if y <= t - lag]
        m.prob.addConstraint(affine(follower + leading) <= 0, f"{prefix}_{t}")


# ---------------------------------------------------------------------------------------------
# Planning rules: representative pilots, share caps, team capacity, fairness, mentors


def _groups(m: Model, column: str) -> list[tuple[int, str, list[str]]]:
    """(k, value, unit_ids) for each value of ``column`` among the units to schedule, values sorted;
    k numbers the values for ASCII row names (as in cover_<col>_<k>)."""
    values = sorted(m.units[column].astype(str).unique())
    col = m.units[column].astype(str)
    return [(k, v, list(m.units.index[col == v])) for k, v in enumerate(values)]


def add_balance_constraints(m: Model) -> None:
    """sum_u (v_u - mean - t sd) p[u] <= 0  and  sum_u (v_u - mean + t sd) p[u] >= 0, per balance column.

    With n = sum_u p[u] pilots these say mean - t sd <= (sum_u v_u p[u]) / n <= mean + t sd: the
    pilots' mean of the column lies within t (``[pilots.balance] tolerance``) standard deviations of
    the mean over U. Multiplying by n makes it exactly linear (no approximation; with n = 0 it holds
    trivially, and the pilot count rule asks n >= min). mean and sd (population, divisor |U|) are
    computed over U, the units still to upgrade. Rows ``balance_<col>_lo``, ``balance_<col>_hi``.
    """
    settings = m.scenario.settings
    for position, column in enumerate(settings.balance_columns):
        values = m.scenario.numeric(column).loc[m.scenario.to_schedule.index]
        values.index = m.scenario.to_schedule["unit_id"]
        mean, sd = network_stats(values.to_numpy())
        slack = settings.balance_tolerance * sd
        hi = [(m.p[uid], float(values[uid]) - mean - slack) for uid in m.p]
        lo = [(m.p[uid], float(values[uid]) - mean + slack) for uid in m.p]
        m.prob.addConstraint(affine(hi) <= 0, f"balance_{ascii_name(column, position)}_hi")
        m.prob.addConstraint(affine(lo) >= 0, f"balance_{ascii_name(column, position)}_lo")


def add_share_constraints(m: Model) -> None:
    """sum_{u: col_u = v} p[u] <= s sum_u p[u] for each [pilots.max_share] column col = s and value v.

    No value of the column holds more than the share s of the pilots. Rows ``max_share_<col>_<k>``.
    """
    for position, (column, share) in enumerate(m.scenario.settings.max_share.items()):
        members_of = {k: set(members) for k, _, members in _groups(m, column)}
        for k, members in members_of.items():
            terms = [(p, (1 if uid in members else 0) - share) for uid, p in m.p.items()]
            m.prob.addConstraint(affine(terms) <= 0, f"max_share_{ascii_name(column, position)}_{k}")


def add_group_capacity_constraints(m: Model) -> None:
    """sum_{u: col_u = v} x[u,y] <= c for every [capacity.by] column col = {max_per_year = c}, value v, year y.

    Each coaching team (one per value, e.g. per region) can take on at most c units a year, the
    pilot year included. Rows ``capacity_<col>_<k>_<year>``.
    """
    for position, (column, cap) in enumerate(m.scenario.settings.capacity_by.items()):
        for k, _, members in _groups(m, column):
            if len(members) <= cap:
                continue  # the group can never exceed its cap
            for year in m.years:
                terms = [(m.x[uid, year], 1) for uid in members if (uid, year) in m.x]
                if len(terms) > cap:
                    m.prob.addConstraint(affine(terms) <= cap, f"capacity_{ascii_name(column, position)}_{k}_{year}")


def _cumulative(m: Model, members, year: int, after: bool = False) -> list:
    """Terms of the number of ``members`` upgraded in years <= year (or > year when ``after``)."""
    return [(var, 1) for uid in members for y, var in m.by_unit[uid] if (y > year if after else y <= year)]


def add_fairness_min_constraints(m: Model) -> None:
    """sum_{u in G_v} x[u,y] >= min(k, R[v,y]) for each value v of the fairness column and rollout year y.

    R[v,y] = sum_{u in G_v} sum_{y' >= y} x[u,y'] is the number of v's units not yet upgraded when
    year y starts: every value gets at least k = ``min_per_year`` upgrades in every rollout year
    (F+1..L) while it has units left, or all of its remaining units when fewer than k are left.
    Exact linearisation with a binary a[v,y] ("v still needs k this year"):

        sum_{u in G_v} x[u,y] >= k a[v,y]                      (fairness_min_<k>_<y>)
        sum_{u in G_v} sum_{y' > y} x[u,y'] <= |G_v| a[v,y]     (fairness_rest_<k>_<y>)

    a = 0 forces v to finish in year y (so its count equals R >= min(k, R)); a = 1 forces k
    upgrades. Either way count >= min(k, R), and whenever count >= min(k, R) one of the two choices
    is feasible: the pair is exact. Year L needs no rows: coverage upgrades every remaining unit then.
    The pilot year is governed by [pilots] (cover, max_share), not by this rule.
    """
    settings = m.scenario.settings
    column, need = settings.fairness_column, settings.fairness_min_per_year
    if column is None or need is None:
        return
    for k, _, members in _groups(m, column):
        for year in m.years[1:-1]:
            a = m.prob.add_variable(f"fair_{ascii_name(column)}_{k}_{year}", 0, 1, pulp.LpBinary)
            now = [(var, 1) for uid in members for y, var in m.by_unit[uid] if y == year]
            m.prob.addConstraint(affine(now + [(a, -need)]) >= 0, f"fairness_min_{k}_{year}")
            later = _cumulative(m, members, year, after=True)
            m.prob.addConstraint(affine(later + [(a, -len(members))]) <= 0, f"fairness_rest_{k}_{year}")


def add_fairness_gap_constraints(m: Model) -> None:
    """max_v c_v - min_v c_v <= g, c_v = the year v's last unit is upgraded (g = ``max_completion_gap``).

    Equivalently: for every year y, if some value has completed by y, every value completes by y+g.
    With done_v(y) = sum_{u in G_v} sum_{y' <= y} x[u,y'], later_v(y) = v's upgrades after y and
    e[y] in [0, 1] ("some value has completed by y"), for y = F..L-g-1:

        e[y] >= done_w(y) - n_w + 1      for every value w     (fairness_done_<k>_<y>)
        later_v(y + g) <= n_v (1 - e[y])  for every value v     (fairness_gap_<k>_<y>)

    When w has all its n_w units done by y the first row forces e[y] = 1 (otherwise its right side
    is <= 0, the count being an integer, and e[y] may be 0, so e can stay continuous); the second
    then forbids every value any upgrade after y+g. For y+g >= L there is nothing after.

    Under ``[plan] coverage = "best-effort"`` a value completes when it has upgrades by y and none
    after (unscheduled units do not count), so e[y] is binary and the first row reads
    n_w e[y] >= done_w(y) - n_w later_w(y). Values with no upgrade in the plan are ignored, as in
    ``check``.
    """
    settings = m.scenario.settings
    column, gap = settings.fairness_column, settings.fairness_max_completion_gap
    if column is None or gap is None:
        return
    best_effort = settings.coverage == "best-effort"
    groups = _groups(m, column)
    for year in m.years:
        if year + gap >= m.years[-1]:
            break
        e = m.prob.add_variable(f"fair_done_{year}", 0, 1, pulp.LpBinary if best_effort else pulp.LpContinuous)
        for k, _, members in groups:
            n = len(members)
            done = _cumulative(m, members, year)
            if best_effort:
                later = [(var, -n) for var, _ in _cumulative(m, members, year, after=True)]
                m.prob.addConstraint(affine(done + later + [(e, -n)]) <= 0, f"fairness_done_{k}_{year}")
            else:
                m.prob.addConstraint(affine(done + [(e, -1)]) <= n - 1, f"fairness_done_{k}_{year}")
            after_gap = _cumulative(m, members, year + gap, after=True)
            m.prob.addConstraint(affine(after_gap + [(e, n)]) <= n, f"fairness_gap_{k}_{year}")


def add_mentor_constraints(m: Model) -> None:
    """sum_{u in G} x[u,y] <= M (s[G,y] - s[G,y-1]) + |G| s[G,y-lag] for each group G of the mentors column, year y.

    s[G,y] in [0, 1] is "some unit of G has been upgraded by year y", made exact by

        s[G,y] >= sum_{y' <= y} x[u,y']  for u in G     (mentor_start_<u>_<y>: started once any unit is)
        s[G,y] <= sum_{u in G} sum_{y' <= y} x[u,y']     (mentor_none_<k>_<y>: not started before any unit is)

    Definition: the units upgraded in the group's first upgrade year f_G are its mentors, at most
    M = ``max_mentors`` (default 1) of them; every other unit of G is upgraded in f_G + lag or
    later. In year f_G the right side is M (s jumps from 0 to 1); between f_G+1 and f_G+lag-1 it is
    0; from f_G+lag it is |G| (no limit). A group with a done unit counts as started in F-1 (the
    done unit is its mentor): s[G,y] = 1 for y >= F-1. Rows ``mentor_<k>_<y>``.
    """
    settings = m.scenario.settings
    column = settings.mentors_column
    if column is None:
        return
    first, lag, most = m.years[0], settings.mentors_lag, settings.mentors_max_mentors
    all_units = m.scenario.units
    started_before = set(all_units.loc[all_units["done"], column].astype(str))
    for k, value, members in _groups(m, column):
        before = value in started_before
        if len(members) <= 1 and not before:
            continue  # a lone unit is its group's mentor
        s: dict[int, pulp.LpAffineExpression | float] = {}
        for year in range(first - lag - 1, first):
            s[year] = 1.0 if before and year >= first - 1 else 0.0
        for year in m.years:
            var = m.prob.add_variable(f"mentor_s_{k}_{year}", 0, 1, pulp.LpContinuous)
            s[year] = var
            for uid in members:
                done = _cumulative(m, [uid], year)
                if done:
                    m.prob.addConstraint(affine(done + [(var, -1)]) <= 0, f"mentor_start_{m.names[uid]}_{year}")
            if not before:
                m.prob.addConstraint(affine(_cumulative(m, members, year) + [(var, -1)]) >= 0, f"mentor_none_{k}_{year}")
        for year in m.years:
            terms = [(var, 1) for uid in members for y, var in m.by_unit[uid] if y == year]
            # sum x - M s[y] + M s[y-1] - |G| s[y-lag] <= the same with the fixed s moved right
            # (s[y-1] and s[y-lag] are one variable when lag = 1: merge their coefficients)
            limit: dict[str, list] = {}
            constant = 0.0
            for coef, key in ((most, year), (-most, year - 1), (len(members), year - lag)):
                if isinstance(s[key], pulp.LpVariable):
                    limit.setdefault(s[key].name, [s[key], 0.0])[1] -= coef
                else:
                    constant += coef * s[key]
            m.prob.addConstraint(affine(terms + [tuple(v) for v in limit.values()]) <= constant, f"mentor_{k}_{year}")


def add_named_mentor_constraints(m: Model) -> None:
    """sum_y y x[u,y] >= sum_y y x[n,y] + lag for every unit u whose mentor column names a unit n in U.

    The unit follows its named mentor at least ``lag`` years later. A done mentor counts as
    upgraded in F-1, so u's year must be >= F-1+lag. Rows ``mentor_of_<unit>``.

    Under ``[plan] coverage = "best-effort"`` the mentor may be left out, and an unscheduled
    mentor must not count as "upgraded in year 0": u may be upgraded by year t only if n was
    upgraded by t - lag,

        sum_{y in W_u, y <= t} x[u,y] <= sum_{y in W_n, y <= t - lag} x[n,y]    for t in W_u   (mentor_of_<u>_<t>)

    and with a done mentor x[u,y] = 0 for y < F-1+lag (``mentor_of_<u>``); a unit left out
    satisfies both.
    """
    settings = m.scenario.settings
    column = settings.mentor_column
    if column is None:
        return
    lag, first = settings.mentors_lag, m.years[0]
    best_effort = settings.coverage == "best-effort"
    for uid, mentor in m.units[column].astype(str).items():
        if mentor == "" or mentor == uid:
            continue
        name = f"mentor_of_{m.names[uid]}"
        if best_effort and mentor in m.units.index:
            add_follow_rows(m, uid, mentor, lag, name)
        elif best_effort:  # the mentor is done (F-1): no year before F-1+lag
            early = [(var, 1) for y, var in m.by_unit[uid] if y < first - 1 + lag]
            if early:
                m.prob.addConstraint(affine(early) <= 0, name)
        elif mentor in m.units.index:
            terms = [(var, y) for y, var in m.by_unit[uid]] + [(var, -y) for y, var in m.by_unit[mentor]]
            m.prob.addConstraint(affine(terms) >= lag, name)
        else:  # the mentor is done: upgraded before the plan, counted as F-1
            terms = [(var, y) for y, var in m.by_unit[uid]]
            m.prob.addConstraint(affine(terms) >= first - 1 + lag, name)


def add_fund_constraints(m: Model) -> None:
    """sum_f w[u,f,y] = x[u,y] for each u, y;  sum_u cost_u w[u,f,y] <= amount_{f,y} for each fund f, year y.

    ``[[funds]]``: binary w[u,f,y] (u is upgraded in year y and paid by fund f) exists only for the
    funds f eligible for u, so each unit's cost is covered by exactly one eligible fund, whole (no
    split). A unit with a single eligible fund uses x[u,y] itself. A fund has 0 baht in the years
    its amounts do not name. With a cost profile (docs/costs.md) the fund pays the unit's upgrade
    spending in each year it falls: sum_u sum_{s <= y} a'[u,s,y] w[u,f,s] <= amount_{f,y}, a'
    without running costs (those are paid from the budget, not a fund). The [budget] of each year still caps the total. Rows
    ``fund_pick_<unit>_<year>`` and ``fund_<j>_<year>`` (j numbers the funds in the TOML's order).

    Implied rows tighten the relaxation (Hall's condition; they cut off no whole-unit plan): for
    each set S of funds that is exactly some unit's eligible set (and not all funds),

        sum_{u: E_u within S} cost_u x[u,y] <= sum_{f in S} amount_{f,y}      (fund_set_<k>_<year>)

    where E_u is u's set of eligible funds. They cut the solve time of the all-rules scenario by
    about half.
    """
    funds = m.scenario.settings.funds
    if not funds:
        return
    eligible = {uid: [j for j, fund in enumerate(funds) if fund.pays_for(row)] for uid, row in m.units.iterrows()}
    paid = _fund_spending(m)
    spend: dict[tuple[int, int], list] = {}
    for (uid, year), x in m.x.items():
        choices = eligible[uid]
        if len(choices) == 1:
            pairs = [(choices[0], x)]
        else:
            pairs = [(j, m.prob.add_variable(f"w_{m.names[uid]}_{j}_{year}", 0, 1, pulp.LpBinary)) for j in choices]
            m.prob.addConstraint(affine([(w, 1) for _, w in pairs] + [(x, -1)]) == 0, f"fund_pick_{m.names[uid]}_{year}")
        m.funding[uid, year] = [(funds[j].name, w) for j, w in pairs]
        for j, w in pairs:
            spend.setdefault((j, year), [])
            for when, cost in paid(uid, year):
                if cost != 0:
                    spend.setdefault((j, when), []).append((w, cost))
    for (j, year), terms in sorted(spend.items()):
        amount = float(funds[j].amounts.get(year, 0.0))
        if terms:
            m.prob.addConstraint(affine(terms) <= amount, f"fund_{j}_{year}")
    # Implied rows (Hall's condition) that tighten the relaxation: the units only the funds of a
    # set S may pay for cost at most S's amounts, sum_{u: E_u within S} cost_u x[u,y] <= sum_{f in S} amount_{f,y}.
    sets = sorted({tuple(choices) for choices in eligible.values() if len(choices) < len(funds)})
    m.fund_sets = sets
    for number, subset in enumerate(sets):
        for year in m.years:
            terms = [(x, cost) for (uid, y), x in m.x.items() if set(eligible[uid]) <= set(subset)
                     for when, cost in paid(uid, y) if when == year and cost != 0]
            if terms:
                amount = sum(float(funds[j].amounts.get(year, 0.0)) for j in subset)
                m.prob.addConstraint(affine(terms) <= amount, f"fund_set_{number}_{year}")


def _fund_spending(m: Model) -> Callable[[str, int], list[tuple[int, float]]]:
    """(year, baht) a fund pays for unit u started in year s: [(s, cost_u)], or its profile's years."""
    if m.costs is None:
        cost = m.units["cost"].astype(float).to_dict()
        return lambda uid, start: [(start, cost[uid])]
    first, last = m.years[0], m.years[-1]
    return lambda uid, start: sorted(spending(m.costs[uid], start, first, last, None).upgrade.items())


def ascii_name(text: str, position: int | None = None) -> str:
    """The column name in ASCII for row names; a Thai name becomes ``col`` (``col<position>`` when
    several columns of one rule need distinct names)."""
    cleaned = re.sub(r"[^A-Za-z0-9_]", "_", text)
    if cleaned.isascii() and cleaned.strip("_"):
        return cleaned
    return "col" if position is None else f"col{position}"


CONSTRAINT_FAMILIES: tuple[Callable[[Model], None], ...] = (
    add_coverage_constraints,
    add_pilot_year_constraints,
    add_budget_constraints,
    add_pilot_count_constraints,
    add_cover_constraints,
    add_pilot_risk_constraint,
    add_capacity_constraints,
    add_pilot_rule_constraints,
    add_after_constraints,
    add_balance_constraints,
    add_share_constraints,
    add_group_capacity_constraints,
    add_fairness_min_constraints,
    add_fairness_gap_constraints,
    add_mentor_constraints,
    add_named_mentor_constraints,
    add_fund_constraints,
    add_category_constraints,
    add_beyond_horizon_constraint,
)


@contextmanager
def paused_gc() -> Iterator[None]:
    """Pause Python's cyclic garbage collector while hundreds of thousands of PuLP objects are made.

    They are all kept, so each collection would only re-scan them: at 50,000 units that scanning
    is more than half of the build time. Reference counting still frees everything as usual.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def build_model(scenario: Scenario, extra: Callable[[Model], None] | None = None) -> Model:
    """Build the integer program of a scenario; ``extra(model)`` may add user constraints."""
    with paused_gc():
        return _build_model(scenario, extra)


def _build_model(scenario: Scenario, extra: Callable[[Model], None] | None) -> Model:
    settings = scenario.settings
    scores = score_units(scenario.units, settings)
    units = scenario.to_schedule.set_index("unit_id", drop=False)
    m = Model(
        prob=pulp.LpProblem("selector", pulp.LpMaximize),
        scenario=scenario,
        units=units,
        scores=scores,
        years=settings.years,
        names=_ascii_names(list(units.index)),
        pilot_lambda=settings.pilot_emphasis * len(settings.years),
        costs=unit_costs(scenario) if costs_active(scenario) else None,
    )
    add_variables(m)
    add_objective(m)
    for family in CONSTRAINT_FAMILIES:
        family(m)
    if extra is not None:
        extra(m)
    return m
