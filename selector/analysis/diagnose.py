"""Plain-words reasons why a scenario has no feasible plan, and the smallest change that gives one.

Two layers, both returning structured ``Finding`` records (rule, key, current, needed, shortfall and
a sentence), so a planner knows what to ask for and a script can read it from ``--json``:

- ``basic_findings`` finds contradictions that need no solver: the money, the pilot rules, the
  cover rule, capacity and windows, each compared with what it would take.
- ``elastic_findings`` solves an *elastic* copy of the model when the solver has proven that no
  plan exists: every soft rule gets a non-negative slack, and the model minimises the weighted sum
  of the slacks (``ELASTIC_WEIGHTS``). The slacks that are positive at the optimum are the smallest
  change (in that weighting) that makes the plan feasible.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace

import pandas as pd
import pulp

from selector.data.scenario import Scenario
from selector.i18n import _
from selector.model.balance import network_stats
from selector.model.build import ascii_name, build_model
from selector.model.costs import costs_active, unit_costs
from selector.solvers.backends import SOLVERS
from selector.status import Status


@dataclass(frozen=True)
class Finding:
    """One reason why no plan exists, with what it would take to fix it.

    ``rule`` names the rule (``budget``, ``total_budget``, ``capacity``, ``pilots_min``,
    ``pilots_max``, ``cover``, ``pilot_risk``, ``window``, ...); ``key`` says which one (a fiscal
    year, a cover value, a unit id) or is None; ``current`` is the value in the scenario,
    ``needed`` the value that would do and ``shortfall`` the difference (None when not a number).
    """

    rule: str
    key: str | int | None
    current: float | None
    needed: float | None
    shortfall: float | None
    message: str

    def __str__(self) -> str:
        return self.message

    def to_dict(self) -> dict:
        return {"rule": self.rule, "key": self.key, "current": self.current, "needed": self.needed,
                "shortfall": self.shortfall, "message": self.message}


def _baht(amount: float) -> str:
    amount = float(amount)
    return _("{amount} baht", amount=f"{amount:,.0f}" if amount.is_integer() else f"{amount:,.2f}")


def _window(row, first: int, last: int) -> tuple[int, int]:
    lo = int(row["earliest_year"]) if not pd.isna(row["earliest_year"]) else first
    hi = int(row["latest_year"]) if not pd.isna(row["latest_year"]) else last
    return max(lo, first), min(hi, last)


def basic_reasons(scenario: Scenario, deep: bool = False) -> list[str]:
    """The sentences of ``basic_findings``."""
    return [f.message for f in basic_findings(scenario, deep)]


def basic_findings(scenario: Scenario, deep: bool = False) -> list[Finding]:
    """Reasons no plan can exist, found without a solver (empty when none is found).

    ``deep`` adds the slower, weaker checks used after a solver has proven infeasibility.
    """
    s = scenario.settings
    units = scenario.to_schedule
    first, last = s.first_year, s.last_year
    found: list[Finding] = []
    if units.empty:
        return found

    # With profiles or running costs (docs/costs.md) a unit's cost is not all spent in its year: the
    # year-by-year money checks below do not hold, the total one does (with the line after the horizon).
    spread = costs_active(scenario)
    total_cost = float(units["cost"].sum())
    total_budget = float(sum(s.budget[y] for y in s.years)) + ((s.budget_after or 0.0) if spread else 0.0)
    if total_cost > total_budget and s.coverage == "all" and spread and s.budget_after:
        found.append(Finding("total_budget", None, total_budget, total_cost, total_cost - total_budget,
                             _("the units cost {cost} in all but the budgets of FY{first}-{last} and [budget] after "
                               "add up to {budget}: short by {short}", cost=_baht(total_cost), first=first, last=last,
                               budget=_baht(total_budget), short=_baht(total_cost - total_budget))))
    elif total_cost > total_budget and s.coverage == "all":
        found.append(Finding("total_budget", None, total_budget, total_cost, total_cost - total_budget,
                             _("the units cost {total_cost} in all but the budgets of FY{first}-{last} add up to {total_budget}: short by {value}", total_cost=_baht(total_cost), first=first, last=last, total_budget=_baht(total_budget), value=_baht(total_cost - total_budget))))

    windows = {uid: _window({"earliest_year": lo, "latest_year": hi}, first, last)
               for uid, lo, hi in zip(units["unit_id"], units["earliest_year"], units["latest_year"])}
    starts_first = units["unit_id"].map(lambda u: windows[u][0] <= first)
    eligible = units[(units["pilot"] != "never") & starts_first]
    must = units[units["pilot"] == "must"]
    pmax = scenario.pilots_max
    if len(must) > pmax:
        found.append(Finding("pilots_max", None, pmax, len(must), len(must) - pmax,
                             _("{must} units are marked pilot = must but at most {pmax} pilots are allowed", must=len(must), pmax=pmax)))
    if len(eligible) < s.pilots_min:
        found.append(Finding("pilots_min", None, s.pilots_min, len(eligible), s.pilots_min - len(eligible),
                             _("at least {pilots_min} pilots are required but only {eligible} units can be pilots", pilots_min=s.pilots_min, eligible=len(eligible))))
    for column in s.cover:
        for value in sorted(units[column].unique()):
            if not (eligible[column] == value).any():
                found.append(Finding("cover", f"{column}={value}", None, None, None,
                                     _("no unit of {column} '{value}' can be a pilot: all are marked never or cannot start in FY{first}", column=column, value=value, first=first)))
    cover_needed = sum(units[c].nunique() for c in s.cover) if s.cover else 0
    if s.cover and len(s.cover) == 1 and cover_needed > pmax:
        found.append(Finding("pilots_max", None, pmax, cover_needed, cover_needed - pmax,
                             _("the cover rule needs a pilot in each of {cover_needed} values of {value} but at most {pmax} pilots are allowed", cover_needed=cover_needed, value=s.cover[0], pmax=pmax)))

    cheapest = sorted(eligible["cost"])[: max(s.pilots_min, len(must))]
    budget_first = float(s.budget[first])
    if spread:
        pass  # the pilots pay only their first year's share in FY first
    elif must["cost"].sum() > budget_first:
        need = float(must["cost"].sum())
        found.append(Finding("budget", first, budget_first, need, need - budget_first,
                             _("the must-pilots cost {need} but the FY{first} budget is {budget_first}", need=_baht(need), first=first, budget_first=_baht(budget_first))))
    elif sum(cheapest[: s.pilots_min]) > budget_first:
        need = float(sum(cheapest[: s.pilots_min]))
        found.append(Finding("budget", first, budget_first, need, need - budget_first,
                             _("the {pilots_min} cheapest possible pilots cost {need} but the FY{first} budget is {budget_first}", pilots_min=s.pilots_min, need=_baht(need), first=first, budget_first=_baht(budget_first))))

    if s.max_mean_risk is not None and not eligible.empty:
        least = float(eligible["risk"].min())
        if least > s.max_mean_risk and (s.pilots_min >= 1 or not must.empty):  # no pilot at all has no mean
            found.append(Finding("pilot_risk", None, s.max_mean_risk, least, least - s.max_mean_risk,
                                 _("every unit that can be a pilot has risk above the cap max_mean_risk = {max_mean_risk} (lowest is {least})", max_mean_risk=f"{s.max_mean_risk:g}", least=f"{least:g}")))
        if not must.empty and float(must["risk"].mean()) > s.max_mean_risk and len(must) >= pmax:
            mean = float(must["risk"].mean())
            found.append(Finding("pilot_risk", None, s.max_mean_risk, mean, mean - s.max_mean_risk,
                                 _("the must-pilots' mean risk {mean} exceeds max_mean_risk = {max_mean_risk}", mean=f"{mean:.3g}", max_mean_risk=f"{s.max_mean_risk:g}")))

    if s.max_units_per_year is not None and s.coverage == "all":
        capacity = s.max_units_per_year * len(s.years)
        if capacity < len(units):
            needed = math.ceil(len(units) / len(s.years))
            found.append(Finding("capacity", None, s.max_units_per_year, needed, needed - s.max_units_per_year,
                                 _("capacity of {max_units_per_year} units a year cannot upgrade {units} units in {years} years (at most {capacity})", max_units_per_year=s.max_units_per_year, units=len(units), years=len(s.years), capacity=capacity)))

    if spread:
        found += _profile_window_findings(scenario, windows)
    cost_of = dict(zip(units["unit_id"], units["cost"].astype(float)))  # a lookup per unit, not a scan
    for uid, (lo, hi) in windows.items():
        if spread:
            break  # a unit's cost is spread over years: its year's budget need not hold it all
        cost = cost_of[uid]
        best = max(s.budget[y] for y in range(lo, hi + 1)) if lo <= hi else -math.inf
        if cost > best and s.coverage == "all":
            found.append(Finding("unit_cost", uid, best, cost, cost - best,
                                 _("unit {unit} costs {cost}, more than the budget of any year it may be upgraded in (FY{lo}-{hi}, largest {best})", unit=uid, cost=_baht(cost), lo=lo, hi=hi, best=_baht(best))))

    found += _planning_rule_findings(scenario, eligible)
    if deep and s.coverage == "all" and not spread:
        found += _year_by_year_money(scenario, windows)
    return found


def _profile_window_findings(scenario: Scenario, windows: dict[str, tuple[int, int]]) -> list[Finding]:
    """Units that no start year fits under [costs] after_horizon = "refuse": their profile runs past
    the last year from every year of their window."""
    s = scenario.settings
    if s.after_horizon != "refuse" or s.coverage != "all":
        return []
    costs = unit_costs(scenario)
    found = []
    for uid, (lo, hi) in windows.items():
        if lo <= hi and all(year + costs[uid].reach(year, s.first_year) > s.last_year for year in range(lo, hi + 1)):
            reach = costs[uid].reach(hi, s.first_year)
            found.append(Finding("profile_window", uid, hi, s.last_year - reach, hi - (s.last_year - reach),
                                 _("unit {uid} cannot start by FY{latest}: its cost profile runs {reach} year(s) past "
                                   "its start and [costs] after_horizon = \"refuse\" keeps spending within "
                                   "FY{last}; allow an earlier start or set after_horizon = \"charge\"",
                                   uid=uid, latest=s.last_year - reach, reach=reach, last=s.last_year)))
    return found


def _planning_rule_findings(scenario: Scenario, eligible: pd.DataFrame) -> list[Finding]:
    """Contradictions of [capacity] max_units, [capacity.by], [pilots.max_share], [mentors] and [[funds]]."""
    s = scenario.settings
    units = scenario.to_schedule
    years = s.years
    every = s.coverage == "all"  # under best-effort, units may stay unscheduled: only the pilot rules bind
    found: list[Finding] = []
    caps = [min(c for c in (s.max_units_per_year, s.max_units.get(y)) if c is not None)
            if (s.max_units_per_year is not None or y in s.max_units) else None for y in years]
    if every and s.max_units and all(c is not None for c in caps) and sum(caps) < len(units):
        found.append(Finding("capacity_years", None, sum(caps), len(units), len(units) - sum(caps),
                             _("the capacities of FY{first}-{last} ({each}) add up to {caps} units but {units} units must be upgraded", first=years[0], last=years[-1], each=", ".join(map(str, caps)), caps=sum(caps), units=len(units))))
    if caps[0] is not None and caps[0] < s.pilots_min:
        found.append(Finding("capacity_years", years[0], caps[0], s.pilots_min, s.pilots_min - caps[0],
                             _("at least {pilots_min} pilots are required but the capacity of the pilot year FY{years} is {caps} units", pilots_min=s.pilots_min, years=years[0], caps=caps[0])))
    for column, cap in s.capacity_by.items():
        for value, count in units[column].astype(str).value_counts().sort_index().items():
            if every and count > cap * len(years):
                needed = math.ceil(count / len(years))
                found.append(Finding("team_capacity", f"{column}={value}", cap, needed, needed - cap,
                                     _("{column} '{value}' has {count} units but its team can upgrade at most {cap} a year, {value2} in {years} years ([capacity.by])", column=column, value=value, count=count, cap=cap, value2=cap * len(years), years=len(years))))
    pmax = scenario.pilots_max
    for column, share in s.max_share.items():
        per_value = eligible[column].astype(str).value_counts()
        possible = [n for n in range(max(s.pilots_min, 1), pmax + 1)
                    if sum(min(k, math.floor(share * n + 1e-9)) for k in per_value) >= n]
        if s.pilots_min >= 1 and not possible:
            found.append(Finding("max_share", column, share, None, None,
                                 _("no number of pilots from {pilots_min} to {pmax} can be shared among the {per_value} values of {column} with at most {share} of the pilots each ([pilots.max_share])", pilots_min=max(s.pilots_min, 1), pmax=pmax, per_value=len(per_value), column=column, share=f"{share:g}")))
    if every and s.mentors_column is not None and s.mentors_lag >= len(years):
        done = set(scenario.units.loc[scenario.units["done"], s.mentors_column].astype(str))
        for value, count in units[s.mentors_column].astype(str).value_counts().sort_index().items():
            if count > s.mentors_max_mentors and value not in done:
                found.append(Finding("mentors", f"{s.mentors_column}={value}", s.mentors_lag, len(years) - 1,
                                     s.mentors_lag - len(years) + 1,
                                     _("{mentors_column} '{value}' has {count} units but with lag = {mentors_lag} only its {mentors_max_mentors} mentor(s) fit in the {years} years of the plan ([mentors])", mentors_column=s.mentors_column, value=value, count=count, mentors_lag=s.mentors_lag, mentors_max_mentors=s.mentors_max_mentors, years=len(years))))
    if every:
        found += _fund_findings(scenario)
    return found


def _fund_findings(scenario: Scenario) -> list[Finding]:
    """Units that only one fund may pay for must fit in that fund's amounts; all units in all funds'."""
    funds = scenario.settings.funds
    if not funds:
        return []
    units = scenario.to_schedule
    found = []
    total, cost = float(sum(sum(f.amounts.values()) for f in funds)), float(units["cost"].sum())
    if cost > total:
        found.append(Finding("funds", None, total, cost, cost - total,
                             _("the units cost {cost} but the funds hold {total} in all", cost=_baht(cost), total=_baht(total))))
    for fund in funds:
        only = float(sum(row["cost"] for _line, row in units.iterrows()
                         if fund.pays_for(row) and not any(other.pays_for(row) for other in funds if other is not fund)))
        have = float(sum(fund.amounts.values()))
        if only > have:
            found.append(Finding("funds", fund.name, have, only, only - have,
                                 _("the units that only fund '{name}' may pay for cost {only} but it holds {have}", name=fund.name, only=_baht(only), have=_baht(have))))
    return found


def _year_by_year_money(scenario: Scenario, windows: dict[str, tuple[int, int]]) -> list[Finding]:
    """Units whose window ends by year y must be paid from the budgets up to y."""
    s = scenario.settings
    units = scenario.to_schedule
    found = []
    for year in s.years:
        due = [uid for uid, (_, hi) in windows.items() if hi <= year]
        if not due:
            continue
        need = float(units.loc[units["unit_id"].isin(due), "cost"].sum())
        have = float(sum(s.budget[y] for y in s.years if y <= year))
        if need > have:
            found.append(Finding("budget_to_date", year, have, need, need - have,
                                 _("units that must be upgraded by FY{year} cost {need} but the budgets up to FY{year} add up to {have}: short by {value}", year=year, need=_baht(need), have=_baht(have), value=_baht(need - have))))
    return found


# ---------------------------------------------------------------------------------------------
# The elastic model

#: Cost of one unit of slack, per rule, so that the elastic model prefers the smallest real change:
#: money is counted in "average units" (1 = the mean cost of a unit to upgrade), capacity in units a
#: year, the pilot limits in pilots, the risk cap in points of mean risk (approximated as the excess
#: total risk over the pilot limit). A cover value left without a pilot and a unit moved one year
#: outside its window cost 2: they undo a fact of the scenario, so a change of money or limits that
#: does the same job is preferred.
#: The planning rules weigh the same as the limits they resemble: units a year ([capacity] max_units,
#: [capacity.by], [fairness] min_per_year), pilots ([pilots.max_share]), money (a fund's amount) and,
#: for [pilots.balance], standard deviations of the pilots' mean. [fairness] max_completion_gap and
#: [mentors] stay hard.
ELASTIC_WEIGHTS: dict[str, float] = {
    "budget": 1.0, "capacity": 1.0, "pilots_min": 1.0, "pilots_max": 1.0, "pilot_risk": 1.0,
    "cover": 2.0, "window": 2.0,
    "capacity_years": 1.0, "team_capacity": 1.0, "max_share": 1.0, "fairness_min": 1.0, "balance": 1.0, "funds": 1.0,
    "category": 1.0, "after_budget": 1.0,
}

_ELASTIC_GAP = 1e-7


def _add_slack(prob: pulp.LpProblem, row: str, slack: pulp.LpVariable, sign: int) -> None:
    """Add ``sign * slack`` to the left-hand side of an existing row."""
    prob.get_constraint_by_name(row).addInPlace(slack, sign)


def elastic_findings(scenario: Scenario, *, rules: tuple[str, ...] = tuple(ELASTIC_WEIGHTS),
                     solver: str | None = None, time_limit: float | None = None,
                     full_coverage: bool = True) -> list[Finding] | None:
    """The smallest change, among the ``rules`` made elastic, that makes a (full-coverage) plan feasible.

    The model is the scenario's own (coverage "all"), with non-negative slacks s:
    budget_y: sum_u cost_u x[u,y] - s_budget_y <= budget_y; capacity_y: sum_u x[u,y] - s_cap <= cap
    (one s_cap for every year: it is one setting); pilots_min: sum_u p[u] + s >= min; pilots_max:
    sum_u p[u] - s <= max; cover: sum p[u] + s_v >= 1; pilot_risk: sum_u (risk_u - cap) p[u] - s <= 0;
    window: x[u,y] exists for every year, a year outside W_u costing its distance to W_u. It minimises
    sum_rule ELASTIC_WEIGHTS[rule] x (slack in the rule's unit). The other rules (coverage, pilot year,
    must / never, after) stay hard. Returns [] when every slack is zero, None when even the elastic
    model has no solution (the hard rules contradict each other) or the solver ran out of time.
    ``full_coverage=False`` keeps the scenario's own coverage rule (best-effort: at most once).
    """

    s = scenario.settings
    todo = scenario.to_schedule
    if todo.empty:
        return []
    first, last = s.first_year, s.last_year
    windows = {uid: _window(row, first, last) for uid, row in todo.set_index("unit_id", drop=False).iterrows()}
    units = scenario.units
    if "window" in rules:
        units = units.assign(earliest_year=float("nan"), latest_year=float("nan"))
    relaxed = replace(scenario, units=units, settings=replace(s, coverage="all" if full_coverage else s.coverage))
    m = build_model(relaxed)
    prob = m.prob
    money = float(todo["cost"].mean()) or 1.0
    objective: list[tuple[pulp.LpVariable, float]] = []
    slacks: dict[tuple[str, object], pulp.LpVariable] = {}

    def slack(rule: str, key: object, name: str, weight: float) -> pulp.LpVariable:
        var = prob.add_variable(f"slack_{name}", 0)
        slacks[rule, key] = var
        objective.append((var, ELASTIC_WEIGHTS[rule] * weight))
        return var

    if "budget" in rules:
        for year in m.years:
            _add_slack(prob, f"budget_{year}", slack("budget", year, f"budget_{year}", 1.0 / money), -1)
    if "capacity" in rules and s.max_units_per_year is not None:
        var = slack("capacity", None, "capacity", 1.0)
        for year in m.years:
            _add_slack(prob, f"capacity_{year}", var, -1)
    if "pilots_min" in rules:
        _add_slack(prob, "pilots_min", slack("pilots_min", None, "pilots_min", 1.0), +1)
    if "pilots_max" in rules:
        _add_slack(prob, "pilots_max", slack("pilots_max", None, "pilots_max", 1.0), -1)
    if "pilot_risk" in rules and s.max_mean_risk is not None:
        _add_slack(prob, "pilot_risk", slack("pilot_risk", None, "pilot_risk", 1.0 / max(scenario.pilots_max, 1)), -1)
    cover_rows: dict[tuple[str, str], str] = {}
    if "cover" in rules:
        for column in s.cover:
            for number, value in enumerate(sorted(m.units[column].unique())):
                row = f"cover_{_ascii_column(column)}_{number}"
                cover_rows[column, value] = row
                _add_slack(prob, row, slack("cover", (column, value), row, 1.0), +1)
    if "window" in rules:
        for (uid, year), var in m.x.items():
            lo, hi = windows[uid]
            distance = lo - year if year < lo else year - hi if year > hi else 0
            if distance:
                objective.append((var, ELASTIC_WEIGHTS["window"] * distance))
    _planning_rule_slacks(scenario, m, rules, slack, money)
    prob.sense = pulp.LpMinimize
    prob.setObjective(pulp.LpAffineExpression(objective))

    run = SOLVERS[(solver or s.solver).lower()](prob, s.time_limit if time_limit is None else time_limit,
                                                _ELASTIC_GAP, False)
    if run.status not in (Status.OPTIMAL, Status.FEASIBLE):
        return None
    value = {key: run.values.get(var.name, 0.0) or 0.0 for key, var in slacks.items()}
    pilots = sum(1 for var in m.p.values() if (run.values.get(var.name) or 0.0) > 0.5)
    return _findings_from_slacks(scenario, value, pilots, m, run.values, windows)


def _ascii_column(column: str, position: int | None = None) -> str:

    return ascii_name(column, position)


def _planning_rule_slacks(scenario: Scenario, m, rules, slack, money: float) -> None:
    """Slacks on the rows of [capacity] max_units, [capacity.by], [pilots.max_share], [fairness]
    min_per_year, [pilots.balance] and [[funds]] (one slack per setting, as for capacity)."""
    import re

    s = scenario.settings
    prob = m.prob
    names = [c.name for c in prob.constraints()]

    def rows(pattern: str) -> list[str]:
        compiled = re.compile(pattern + "$")
        return [n for n in names if compiled.match(n)]

    if "capacity_years" in rules and s.max_units_per_year is None:
        for year in m.years:
            if year in s.max_units:
                _add_slack(prob, f"capacity_{year}", slack("capacity_years", year, f"capacity_{year}", 1.0), -1)
    if "team_capacity" in rules:
        for position, column in enumerate(s.capacity_by):
            found = rows(rf"capacity_{re.escape(_ascii_column(column, position))}_\d+_\d+")
            if found:
                var = slack("team_capacity", column, f"team_capacity_{position}", 1.0)
                for row in found:
                    _add_slack(prob, row, var, -1)
    if "max_share" in rules:
        for position, column in enumerate(s.max_share):
            var = slack("max_share", column, f"max_share_{position}", 1.0)
            for row in rows(rf"max_share_{re.escape(_ascii_column(column, position))}_\d+"):
                _add_slack(prob, row, var, -1)
    if "fairness_min" in rules and s.fairness_column is not None and s.fairness_min_per_year is not None:
        found = rows(r"fairness_min_\d+_\d+")
        if found:
            var = slack("fairness_min", None, "fairness_min", 1.0)
            for row in found:
                _add_slack(prob, row, var, +1)
    if "balance" in rules:

        todo = scenario.to_schedule
        for position, column in enumerate(s.balance_columns):
            _mean, sd = network_stats(scenario.numeric(column).loc[todo.index].to_numpy())
            if sd == 0:
                continue
            name = _ascii_column(column, position)
            var = slack("balance", column, f"balance_{position}", 1.0 / (sd * max(scenario.pilots_max, 1)))
            _add_slack(prob, f"balance_{name}_hi", var, -1)
            _add_slack(prob, f"balance_{name}_lo", var, +1)
    if "category" in rules and s.categories:  # money, like the budget: a slack per category and year
        for k, category in enumerate(s.categories):
            for year in m.years:
                row = f"category_{k}_{year}"
                _add_slack(prob, row, slack("category", (category.name, year), row, 1.0 / money), -1)
    if "after_budget" in rules and s.after_horizon == "charge" and m.costs is not None:
        _add_slack(prob, "beyond_horizon", slack("after_budget", None, "beyond_horizon", 1.0 / money), -1)
    if "funds" in rules and s.funds:
        fund_slack = {}
        for row in rows(r"fund_\d+_\d+"):
            j, year = (int(part) for part in row.split("_")[1:])
            fund_slack[j, year] = slack("funds", (s.funds[j].name, year), row, 1.0 / money)
            _add_slack(prob, row, fund_slack[j, year], -1)
        for row in rows(r"fund_set_\d+_\d+"):  # implied rows: relaxed by the slacks of their funds
            number, year = (int(part) for part in row.split("_")[2:])
            subset = m.fund_sets[number]
            for j in subset:
                if (j, year) in fund_slack:
                    _add_slack(prob, row, fund_slack[j, year], -1)


def _findings_from_slacks(scenario: Scenario, value: dict, pilots: int, m, values: dict[str, float],
                          windows: dict[str, tuple[int, int]]) -> list[Finding]:
    s = scenario.settings
    found: list[Finding] = []
    for (rule, key), amount in sorted(value.items(), key=lambda kv: (list(ELASTIC_WEIGHTS).index(kv[0][0]), str(kv[0][1]))):
        if rule == "budget":
            short = math.ceil(amount - 0.5e-3)  # whole baht, up: the extra must suffice
            if short <= 0:
                continue
            have = float(s.budget[key])
            found.append(Finding("budget", key, have, have + short, float(short),
                                 _("FY{key} budget is short by {short} (needs {value}, has {have})", key=key, short=_baht(short), value=f"{have + short:,.0f}", have=f"{have:,.0f}")))
        elif rule in ("capacity", "pilots_min", "pilots_max"):
            step = math.ceil(amount - 1e-6)
            if step <= 0:
                continue
            if rule == "capacity":
                cap = s.max_units_per_year
                found.append(Finding("capacity", None, cap, cap + step, step,
                                     _("capacity of {cap} units a year cannot upgrade {units} units in {years} years under the other rules: needs {value} a year ({step} more)", cap=cap, units=len(m.units), years=len(m.years), value=cap + step, step=step)))
            elif rule == "pilots_min":
                low = s.pilots_min - step
                found.append(Finding("pilots_min", None, s.pilots_min, low, step,
                                     _("at least {pilots_min} pilots are required but the other rules allow only {low}: lower [pilots] min to {low}", pilots_min=s.pilots_min, low=low)))
            else:
                pmax = scenario.pilots_max
                found.append(Finding("pilots_max", None, pmax, pmax + step, step,
                                     _("the pilot limit of {pmax} is too small: the other rules need {value} pilots", pmax=pmax, value=pmax + step)))
        elif rule == "pilot_risk":
            if amount <= 1e-6 or pilots == 0:
                continue
            cap = float(s.max_mean_risk)
            needed = math.ceil((cap + amount / pilots) * 1e6) / 1e6  # up, so that the cap suffices
            found.append(Finding("pilot_risk", None, cap, needed, needed - cap,
                                 _("the cap max_mean_risk = {cap} is too low for the other rules: the pilots' mean risk needs to reach {needed}", cap=f"{cap:g}", needed=f"{needed:.4g}")))
        elif rule == "cover":
            if amount <= 0.5:
                continue
            column, cover_value = key
            found.append(Finding("cover", f"{column}={cover_value}", 0, 1, 1,
                                 _("no unit of {column} '{cover_value}' can be a pilot under the other rules (pilot marks, windows, the risk cap, the pilot limit and the FY{first_year} budget)", column=column, cover_value=cover_value, first_year=s.first_year)))
    found += _planning_rule_findings_from_slacks(scenario, value, pilots)
    for (uid, year), var in sorted(m.x.items()):
        lo, hi = windows[uid]
        if (values.get(var.name) or 0.0) > 0.5 and not lo <= year <= hi:
            column = "earliest_year" if year < lo else "latest_year"
            found.append(Finding("window", uid, lo if year < lo else hi, year, abs(year - (lo if year < lo else hi)),
                                 _("unit {unit} cannot be upgraded within FY{lo}-{hi} under the other rules: its {column} would have to be {year}", unit=uid, lo=lo, hi=hi, column=column, year=year)))
    return found


def _planning_rule_findings_from_slacks(scenario: Scenario, value: dict, pilots: int) -> list[Finding]:
    s = scenario.settings
    found: list[Finding] = []
    for (rule, key), amount in sorted(value.items(), key=lambda kv: (list(ELASTIC_WEIGHTS).index(kv[0][0]), str(kv[0][1]))):
        step = math.ceil(amount - 1e-6)
        if rule == "capacity_years" and step > 0:
            cap = s.max_units[key]
            found.append(Finding("capacity_years", key, cap, cap + step, step,
                                 _("[capacity] max_units {key} = {cap} is too small under the other rules: needs {value} ({step} more)", key=key, cap=cap, value=cap + step, step=step)))
        elif rule == "team_capacity" and step > 0:
            cap = s.capacity_by[key]
            found.append(Finding("team_capacity", key, cap, cap + step, step,
                                 _("[capacity.by] {key} max_per_year = {cap} is too small under the other rules: needs {value} ({step} more)", key=key, cap=cap, value=cap + step, step=step)))
        elif rule == "max_share" and amount > 1e-6 and pilots:
            share = s.max_share[key]
            needed = math.ceil((share + amount / pilots) * 1000) / 1000
            found.append(Finding("max_share", key, share, needed, needed - share,
                                 _("[pilots.max_share] {key} = {share} is too small under the other rules: needs {needed}", key=key, share=f"{share:g}", needed=f"{needed:g}")))
        elif rule == "fairness_min" and step > 0:
            k = s.fairness_min_per_year
            found.append(Finding("fairness_min", s.fairness_column, k, k - step, step,
                                 _("[fairness] min_per_year = {k} cannot be met under the other rules: {value} can", k=k, value=max(k - step, 0))))
        elif rule == "balance" and amount > 1e-6 and pilots:

            todo = scenario.to_schedule
            _mean, sd = network_stats(scenario.numeric(key).loc[todo.index].to_numpy())
            t = s.balance_tolerance
            needed = math.ceil((t + amount / (pilots * sd)) * 1000) / 1000
            found.append(Finding("balance", key, t, needed, needed - t,
                                 _("[pilots.balance] tolerance = {t} is too tight for {key} under the other rules: needs {needed}", t=f"{t:g}", key=key, needed=f"{needed:g}")))
        elif rule == "category":
            short = math.ceil(amount - 0.5e-3)
            if short > 0:
                name, year = key
                have = float(next(c for c in s.categories if c.name == name).amounts[year])
                found.append(Finding("category", f"{name}={year}", have, have + short, float(short),
                                     _("FY{year} {category} ceiling is short by {short} (needs {needs}, has {has}) "
                                       "([budget.{category}])", year=year, category=name, short=_baht(short),
                                       needs=f"{have + short:,.0f}", has=f"{have:,.0f}")))
        elif rule == "after_budget":
            short = math.ceil(amount - 0.5e-3)
            if short > 0:
                have = float(s.budget_after or 0.0)
                found.append(Finding("after_budget", None, have, have + short, float(short),
                                     _("[budget] after is short by {short} (needs {needs}, has {has})",
                                       short=_baht(short), needs=f"{have + short:,.0f}", has=f"{have:,.0f}")))
        elif rule == "funds":
            short = math.ceil(amount - 0.5e-3)
            if short > 0:
                fund, year = key
                have = float(next(f for f in s.funds if f.name == fund).amounts.get(year, 0.0))
                found.append(Finding("funds", f"{fund}={year}", have, have + short, float(short),
                                     _("fund '{fund}' is short by {short} in FY{year} (needs {value}, has {have})", fund=fund, short=_baht(short), year=year, value=f"{have + short:,.0f}", have=f"{have:,.0f}")))
    return found


def diagnose(scenario: Scenario, *, solver: str | None = None, time_limit: float | None = None) -> list[Finding]:
    """Why a scenario the solver proved infeasible has no plan: elastic findings, else the deep basic ones."""
    elastic = elastic_findings(scenario, solver=solver, time_limit=time_limit,
                               full_coverage=scenario.settings.coverage == "all")
    if elastic:
        return elastic
    found = basic_findings(scenario, deep=True)
    if found:
        return found
    return [Finding("combination", None, None, None, None,
                    _("the rules together leave no feasible plan and no change of budget, capacity, pilot limits, "
                      "cover, risk cap, windows or planning rules repairs it; check the pilot marks (must / "
                      "never), the 'after' rules, [mentors] and [fairness] max_completion_gap"))]
