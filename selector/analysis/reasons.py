"""The ``explanation`` column: for every unit, its rank and the rules that hold it where it is."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from selector.data.scenario import Scenario
from selector.i18n import _, current_language
from selector.model.costs import costs_active, running_index, spending, unit_costs


@dataclass(frozen=True)
class Binding:
    """A rule that holds the unit where it is: ``rule`` (budget, capacity, pilots_max, cover, pilot_risk,
    pilot_never, window, after), ``key`` (a fiscal year, a cover value, a unit id) and the facts in words."""

    rule: str
    key: str | int | None
    detail: str

    def to_dict(self) -> dict:
        return {"rule": self.rule, "key": self.key, "detail": self.detail}


# ---------------------------------------------------------------------------------------------
# Facts of a plan, computed once


def _rank(scores: pd.Series) -> dict[str, int]:
    """1 = best; ties broken by unit_id so the ranks are deterministic."""
    order = sorted(scores.items(), key=lambda kv: (-kv[1], kv[0]))
    return {uid: i for i, (uid, _score) in enumerate(order, start=1)}


class PlanFacts:
    """What the rules see in a plan: money left and units per year, pilots by cover value, ranks."""

    def __init__(self, scenario: Scenario, scores: pd.DataFrame, year_of: dict[str, int | None],
                 pilot_of: dict[str, bool]):
        s = scenario.settings
        self.scenario, self.settings, self.scores = scenario, s, scores
        self.todo = scenario.to_schedule.set_index("unit_id", drop=False)
        self.rows = self.todo.to_dict("index")  # unit_id -> row: one dict lookup per unit, not a pandas row
        self.year_of, self.pilot_of = year_of, pilot_of
        ids = list(self.todo.index)
        self.pilot_rank = _rank(scores.loc[ids, "pilot_score"])
        self.rollout_rank = _rank(scores.loc[ids, "rollout_score"])
        self.spent = {y: 0.0 for y in s.years}
        self.count = {y: 0 for y in s.years}
        for uid, y in year_of.items():
            if y is not None and uid in self.todo.index:
                self.spent[y] += float(self.rows[uid]["cost"])
                self.count[y] += 1
        # With cost profiles or running costs (docs/costs.md) a year's money is its spending.
        self.costs = unit_costs(scenario) if costs_active(scenario) else None
        if self.costs is not None:
            rc = running_index(scenario)
            self.spent = {y: 0.0 for y in s.years}
            for uid, y in year_of.items():
                if y is not None and uid in self.costs and s.first_year <= y <= s.last_year:
                    for year, money in spending(self.costs[uid], y, s.first_year, s.last_year, rc).total.items():
                        self.spent[year] += money
        self.pilots = sorted(u for u in ids if pilot_of.get(u))
        self.first = s.first_year
        # Looked up once per unit below: computed here so that 50,000 units stay linear, not quadratic.
        self.pilots_by = {column: {} for column in s.cover}  # column -> value -> pilots, in self.pilots order
        for column, by_value in self.pilots_by.items():
            for u in self.pilots:
                by_value.setdefault(self.rows[u][column], []).append(u)
        self.pilot_risk = sum(float(self.rows[u]["risk"]) for u in self.pilots)

    def left(self, year: int) -> float:
        return float(self.settings.budget[year]) - self.spent[year]

    def money_binding(self, uid: str, target: int) -> Binding | None:
        """With spread costs: the first year where starting ``uid`` in ``target`` instead of its own
        year would spend more than is left (None when every year could pay the difference)."""
        s = self.settings
        first, last = s.first_year, s.last_year
        rc = running_index(self.scenario)
        new = spending(self.costs[uid], target, first, last, rc).total
        year = self.year_of.get(uid)
        old = spending(self.costs[uid], year, first, last, rc).total if year is not None else {}
        for z in s.years:
            extra = new.get(z, 0.0) - old.get(z, 0.0)
            if extra > self.left(z) + 1e-6:
                return Binding("budget", z, _("FY{year} has {left} baht left and starting the unit in FY{target} "
                                              "would spend {extra} more in it", year=z, left=f"{self.left(z):,.0f}",
                                              target=target, extra=f"{extra:,.0f}"))
        return None

    def window(self, uid: str) -> tuple[int, int]:
        row = self.rows[uid]
        lo = int(row["earliest_year"]) if not pd.isna(row["earliest_year"]) else self.settings.first_year
        hi = int(row["latest_year"]) if not pd.isna(row["latest_year"]) else self.settings.last_year
        return lo, hi

    def pilot_reasons(self, uid: str) -> tuple[list[str], list[Binding]]:
        """Why a pilot is one: its rank, a must mark, being the only pilot of a cover value."""
        row = self.rows[uid]
        reasons = [_("pilot-suitability rank {rank} of {count}", rank=self.pilot_rank[uid], count=len(self.todo))]
        binding = []
        if row["pilot"] == "must":
            reasons.append(_("marked pilot = must"))
            binding.append(Binding("pilot_must", uid, _("the unit is marked pilot = must")))
        for column in self.settings.cover:
            value = row[column]
            others = [u for u in self.pilots_by[column].get(value, []) if u != uid]
            if not others:
                detail = _("the only pilot of {column} '{value}' (every {column} needs one)", column=column, value=value)
                reasons.append(detail)
                binding.append(Binding("cover", f"{column}={value}", detail))
        return reasons, binding

    def not_pilot_reasons(self, uid: str) -> tuple[list[str], list[Binding]]:
        """Why a unit is not a pilot: marks, window, rank, cover already met, the limit, the risk cap, money."""
        s = self.settings
        row = self.rows[uid]
        reasons = [_("pilot-suitability rank {rank} of {count}", rank=self.pilot_rank[uid], count=len(self.todo))]
        binding = []
        if row["pilot"] == "never":
            binding.append(Binding("pilot_never", uid, _("the unit is marked pilot = never")))
        lo, _hi = self.window(uid)
        if lo > self.first:
            binding.append(Binding("window", uid, _("its earliest_year {lo} is after the pilot year FY{first}", lo=lo, first=self.first)))
        for column in s.cover:
            value = row[column]
            covering = self.pilots_by[column].get(value, [])
            if covering:
                reasons.append(_("{column} '{value}' already has {count} pilot(s): {pilots}", column=column, value=value,
                                 count=len(covering), pilots=", ".join(covering)))
        pmax = self.scenario.pilots_max
        if len(self.pilots) >= pmax:
            binding.append(Binding("pilots_max", None, _("pilot limit {limit} reached", limit=pmax)))
        if s.max_mean_risk is not None and self.pilots:
            total = self.pilot_risk + float(row["risk"])
            mean = total / (len(self.pilots) + 1)
            if mean > s.max_mean_risk + 1e-9:
                binding.append(Binding("pilot_risk", None, _("as one more pilot it would raise the pilots' mean risk to {mean}, above max_mean_risk = {max_mean_risk}", mean=f"{mean:.3g}", max_mean_risk=f"{s.max_mean_risk:g}")))
        cost = float(row["cost"])
        if self.costs is not None:
            money = self.money_binding(uid, self.first)
            binding += [money] if money is not None else []
        elif cost > self.left(self.first) + 1e-6:
            binding.append(Binding("budget", self.first, _("FY{year} has {left} baht left and the unit costs {cost}", year=self.first,
                                                           left=f"{self.left(self.first):,.0f}", cost=f"{cost:,.0f}")))
        return reasons + [b.detail for b in binding], binding

    def earlier_reasons(self, uid: str) -> tuple[list[str], list[Binding]]:
        """What stops a unit of year y > F + 1 from moving to y - 1 in this plan."""
        y = self.year_of[uid]
        target = y - 1
        row = self.rows[uid]
        binding = []
        lo, _hi = self.window(uid)
        if lo > target:
            binding.append(Binding("window", uid, _("its earliest_year is {lo}", lo=lo)))
        cost = float(row["cost"])
        if self.costs is not None:
            money = self.money_binding(uid, target)
            binding += [money] if money is not None else []
        elif cost > self.left(target) + 1e-6:
            binding.append(Binding("budget", target, _("FY{year} has {left} baht left and the unit costs {cost}", year=target,
                                                       left=f"{self.left(target):,.0f}", cost=f"{cost:,.0f}")))
        cap = self.settings.max_units_per_year
        if cap is not None and self.count[target] >= cap:
            binding.append(Binding("capacity", target, _("FY{year} already upgrades {cap} units, the capacity", year=target, cap=cap)))
        after = row["after"]
        if after and after in self.year_of and self.year_of[after] is not None and self.year_of[after] >= target:
            binding.append(Binding("after", after, _("it must come after unit {after}, upgraded in FY{year}", after=after, year=self.year_of[after])))
        reasons = [_("rollout-priority rank {rank} of {count}", rank=self.rollout_rank[uid], count=len(self.todo))]
        if not binding:
            reasons.append(_("no rule alone stops it in FY{year}: units ranked higher for the objective take the room", year=target))
        return reasons + [_("in FY{year}: {detail}", year=target, detail=b.detail) for b in binding], binding

    def reasons(self, uid: str) -> tuple[list[str], list[Binding]]:
        """The reasons and binding rules for one unit to schedule, on this plan."""
        y = self.year_of.get(uid)
        if self.pilot_of.get(uid):
            return self.pilot_reasons(uid)
        if y is None:
            cost = float(self.rows[uid]["cost"])
            most = max(self.left(year) for year in self.settings.years)
            reasons = [_("rollout-priority rank {rank} of {count}", rank=self.rollout_rank[uid], count=len(self.todo))]
            binding = [Binding("budget", None, _("no year has budget left for its {cost} baht (most left {most})", cost=f"{cost:,.0f}", most=f"{most:,.0f}"))] if cost > most + 1e-6 else []
            if self.costs is not None:  # spread costs: no start year whose spending every year could pay
                stuck = [self.money_binding(uid, year) for year in self.settings.years]
                binding = [stuck[-1]] if all(b is not None for b in stuck) else []
            return reasons + [b.detail for b in binding], binding
        if y == self.first + 1:
            return self.not_pilot_reasons(uid)
        return self.earlier_reasons(uid)


def phase_words(phase: str) -> str:
    """A schedule's phase (``pilot``, ``wave 2``, ``done``) in the current language; English is the phase itself."""
    if current_language() == "en":
        return phase
    if phase.startswith("wave "):
        return _("wave {n}", n=phase.split()[1])
    return {"pilot": _("pilot"), "done": _("done"), "unscheduled": _("unscheduled")}.get(phase, phase)


def schedule_maps(schedule: pd.DataFrame) -> tuple[dict[str, int | None], dict[str, bool]]:
    year_of = {str(u): (None if pd.isna(y) else int(y)) for u, y in zip(schedule["unit_id"], schedule["fiscal_year"])}
    pilot_of = {str(u): bool(p) for u, p in zip(schedule["unit_id"], schedule["pilot"])}
    return year_of, pilot_of


def explanation_column(scenario: Scenario, scores: pd.DataFrame, schedule: pd.DataFrame) -> list[str]:
    """A short reason per schedule row: rank, and the rules that hold the unit where it is."""
    year_of, pilot_of = schedule_maps(schedule)
    facts = PlanFacts(scenario, scores, year_of, pilot_of)
    out = []
    for uid, phase in zip(schedule["unit_id"], schedule["phase"]):
        if uid not in facts.todo.index:
            out.append(_("already done"))
            continue
        reasons, _binding = facts.reasons(uid)
        out.append(_("{phase}: {reasons}", phase=phase_words(phase), reasons="; ".join(reasons)))
    return out
