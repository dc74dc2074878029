"""Why each unit sits where it sits: score breakdowns, ranks, the rules that bind, the cost of moving earlier.

``explain_unit`` answers for one unit (``selector explain``); ``explanation_column`` writes the short
form of the same reasons for every unit of a schedule (its ``explanation`` column). A reason that
names a rule is a *binding* record (rule, key, detail) found on the plan itself: e.g. "FY2556 has
20,000 baht left and the unit costs 2,300,000", so a reader (and a test) can check it on the file.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from .errors import InfeasibleError, Problem, ScenarioError
from .scenario import Scenario
from .scoring import normalised_matrix
from .settings import normalised_weights


@dataclass(frozen=True)
class Binding:
    """A rule that holds the unit where it is: ``rule`` (budget, capacity, pilots_max, cover, pilot_risk,
    pilot_never, window, after), ``key`` (a fiscal year, a cover value, a unit id) and the facts in words."""

    rule: str
    key: str | int | None
    detail: str

    def to_dict(self) -> dict:
        return {"rule": self.rule, "key": self.key, "detail": self.detail}


@dataclass(frozen=True)
class EarlierMove:
    """The unit forced one year earlier: the best objective found and the proven bound on it, so the
    objective lost is at most ``loss`` (base - found) and at least ``loss_at_least`` (base - bound);
    None when no plan has the unit there."""

    year: int
    status: str
    objective: float | None
    bound: float | None
    loss: float | None
    loss_at_least: float | None


@dataclass
class Explanation:
    unit_id: str
    name: str
    fiscal_year: int | None
    phase: str
    pilot: bool
    pilot_score: float
    rollout_score: float
    pilot_rank: int
    rollout_rank: int
    units: int
    breakdown: pd.DataFrame  # criterion, value, normalised, pilot_weight, pilot_part, rollout_weight, rollout_part
    reasons: list[str] = field(default_factory=list)
    binding: list[Binding] = field(default_factory=list)
    earlier: EarlierMove | None = None
    base_objective: float | None = None

    def text(self) -> str:
        """The explanation as the terminal shows it."""
        where = self.phase if self.fiscal_year is None else f"FY{self.fiscal_year} ({self.phase})"
        lines = [f"{self.unit_id} {self.name}: {where}" + (", pilot" if self.pilot else "")]
        lines.append(f"Pilot suitability {self.pilot_score:.4f} (rank {self.pilot_rank} of {self.units}); "
                     f"rollout priority {self.rollout_score:.4f} (rank {self.rollout_rank} of {self.units})")
        lines.append("")
        head = f"{'criterion':<15}{'value':>7}{'normalised':>12}{'w pilot':>9}{'pilot part':>12}{'w rollout':>11}{'rollout part':>14}"
        lines += [head, "-" * len(head)]
        for r in self.breakdown.itertuples(index=False):
            lines.append(f"{r.criterion:<15}{r.value:>7g}{r.normalised:>12.4f}{r.pilot_weight:>9.3f}{r.pilot_part:>12.4f}"
                         f"{r.rollout_weight:>11.3f}{r.rollout_part:>14.4f}")
        lines.append(f"{'total':<15}{'':>7}{'':>12}{'':>9}{self.pilot_score:>12.4f}{'':>11}{self.rollout_score:>14.4f}")
        lines.append("")
        lines.append("Why here:")
        lines += [f"  - {r}" for r in self.reasons]
        if self.earlier is not None:
            e = self.earlier
            if e.loss is None:
                lines.append(f"Forced into FY{e.year}: {e.status}: no plan has it there under the rules.")
            else:
                lines.append(f"Forced into FY{e.year}: the objective falls from {self.base_objective:.6f} to "
                             f"{e.objective:.6f} (best found; bound {e.bound:.6f}): a loss of "
                             + (f"{e.loss:.6f}" if abs(e.loss - e.loss_at_least) < 1e-9
                                else f"{e.loss_at_least:.6f} to {e.loss:.6f}") + ".")
        return "\n".join(lines)

    def to_dict(self) -> dict:
        return {
            "unit_id": self.unit_id, "fiscal_year": self.fiscal_year, "phase": self.phase, "pilot": self.pilot,
            "pilot_score": self.pilot_score, "rollout_score": self.rollout_score,
            "pilot_rank": self.pilot_rank, "rollout_rank": self.rollout_rank, "units": self.units,
            "breakdown": self.breakdown.to_dict(orient="records"), "reasons": list(self.reasons),
            "binding": [b.to_dict() for b in self.binding],
            "earlier": None if self.earlier is None else vars(self.earlier),
            "base_objective": self.base_objective,
        }


# ---------------------------------------------------------------------------------------------
# Facts of a plan, computed once


def _rank(scores: pd.Series) -> dict[str, int]:
    """1 = best; ties broken by unit_id so the ranks are deterministic."""
    order = sorted(scores.items(), key=lambda kv: (-kv[1], kv[0]))
    return {uid: i for i, (uid, _) in enumerate(order, start=1)}


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

    def window(self, uid: str) -> tuple[int, int]:
        row = self.rows[uid]
        lo = int(row["earliest_year"]) if not pd.isna(row["earliest_year"]) else self.settings.first_year
        hi = int(row["latest_year"]) if not pd.isna(row["latest_year"]) else self.settings.last_year
        return lo, hi

    def pilot_reasons(self, uid: str) -> tuple[list[str], list[Binding]]:
        """Why a pilot is one: its rank, a must mark, being the only pilot of a cover value."""
        row = self.rows[uid]
        reasons = [f"pilot-suitability rank {self.pilot_rank[uid]} of {len(self.todo)}"]
        binding = []
        if row["pilot"] == "must":
            reasons.append("marked pilot = must")
            binding.append(Binding("pilot_must", uid, "the unit is marked pilot = must"))
        for column in self.settings.cover:
            value = row[column]
            others = [u for u in self.pilots_by[column].get(value, []) if u != uid]
            if not others:
                detail = f"the only pilot of {column} '{value}' (every {column} needs one)"
                reasons.append(detail)
                binding.append(Binding("cover", f"{column}={value}", detail))
        return reasons, binding

    def not_pilot_reasons(self, uid: str) -> tuple[list[str], list[Binding]]:
        """Why a unit is not a pilot: marks, window, rank, cover already met, the limit, the risk cap, money."""
        s = self.settings
        row = self.rows[uid]
        reasons = [f"pilot-suitability rank {self.pilot_rank[uid]} of {len(self.todo)}"]
        binding = []
        if row["pilot"] == "never":
            binding.append(Binding("pilot_never", uid, "the unit is marked pilot = never"))
        lo, _ = self.window(uid)
        if lo > self.first:
            binding.append(Binding("window", uid, f"its earliest_year {lo} is after the pilot year FY{self.first}"))
        for column in s.cover:
            value = row[column]
            covering = self.pilots_by[column].get(value, [])
            if covering:
                reasons.append(f"{column} '{value}' already has {len(covering)} pilot(s): {', '.join(covering)}")
        pmax = self.scenario.pilots_max
        if len(self.pilots) >= pmax:
            binding.append(Binding("pilots_max", None, f"pilot limit {pmax} reached"))
        if s.max_mean_risk is not None and self.pilots:
            total = self.pilot_risk + float(row["risk"])
            mean = total / (len(self.pilots) + 1)
            if mean > s.max_mean_risk + 1e-9:
                binding.append(Binding("pilot_risk", None, f"as one more pilot it would raise the pilots' mean risk "
                                                           f"to {mean:.3g}, above max_mean_risk = {s.max_mean_risk:g}"))
        cost = float(row["cost"])
        if cost > self.left(self.first) + 1e-6:
            binding.append(Binding("budget", self.first, f"FY{self.first} has {self.left(self.first):,.0f} baht left "
                                                         f"and the unit costs {cost:,.0f}"))
        return reasons + [b.detail for b in binding], binding

    def earlier_reasons(self, uid: str) -> tuple[list[str], list[Binding]]:
        """What stops a unit of year y > F + 1 from moving to y - 1 in this plan."""
        y = self.year_of[uid]
        target = y - 1
        row = self.rows[uid]
        binding = []
        lo, _ = self.window(uid)
        if lo > target:
            binding.append(Binding("window", uid, f"its earliest_year is {lo}"))
        cost = float(row["cost"])
        if cost > self.left(target) + 1e-6:
            binding.append(Binding("budget", target, f"FY{target} has {self.left(target):,.0f} baht left "
                                                     f"and the unit costs {cost:,.0f}"))
        cap = self.settings.max_units_per_year
        if cap is not None and self.count[target] >= cap:
            binding.append(Binding("capacity", target, f"FY{target} already upgrades {cap} units, the capacity"))
        after = row["after"]
        if after and after in self.year_of and self.year_of[after] is not None and self.year_of[after] >= target:
            binding.append(Binding("after", after, f"it must come after unit {after}, upgraded in FY{self.year_of[after]}"))
        reasons = [f"rollout-priority rank {self.rollout_rank[uid]} of {len(self.todo)}"]
        if not binding:
            reasons.append(f"no rule alone stops it in FY{target}: units ranked higher for the objective take the room")
        return reasons + [f"in FY{target}: {b.detail}" for b in binding], binding

    def reasons(self, uid: str) -> tuple[list[str], list[Binding]]:
        """The reasons and binding rules for one unit to schedule, on this plan."""
        y = self.year_of.get(uid)
        if self.pilot_of.get(uid):
            return self.pilot_reasons(uid)
        if y is None:
            cost = float(self.rows[uid]["cost"])
            most = max(self.left(year) for year in self.settings.years)
            reasons = [f"rollout-priority rank {self.rollout_rank[uid]} of {len(self.todo)}"]
            binding = [Binding("budget", None, f"no year has budget left for its {cost:,.0f} baht "
                                               f"(most left {most:,.0f})")] if cost > most + 1e-6 else []
            return reasons + [b.detail for b in binding], binding
        if y == self.first + 1:
            return self.not_pilot_reasons(uid)
        return self.earlier_reasons(uid)


def _schedule_maps(schedule: pd.DataFrame) -> tuple[dict[str, int | None], dict[str, bool]]:
    year_of = {str(u): (None if pd.isna(y) else int(y)) for u, y in zip(schedule["unit_id"], schedule["fiscal_year"])}
    pilot_of = {str(u): bool(p) for u, p in zip(schedule["unit_id"], schedule["pilot"])}
    return year_of, pilot_of


def explanation_column(scenario: Scenario, scores: pd.DataFrame, schedule: pd.DataFrame) -> list[str]:
    """A short reason per schedule row: rank, and the rules that hold the unit where it is."""
    year_of, pilot_of = _schedule_maps(schedule)
    facts = PlanFacts(scenario, scores, year_of, pilot_of)
    out = []
    for uid, phase in zip(schedule["unit_id"], schedule["phase"]):
        if uid not in facts.todo.index:
            out.append("already done")
            continue
        reasons, _ = facts.reasons(uid)
        out.append(f"{phase}: " + "; ".join(reasons))
    return out


# ---------------------------------------------------------------------------------------------
# One unit, with a re-solve


def _read_plan(scenario: Scenario, path: str | Path) -> tuple[dict[str, int | None], dict[str, bool]]:
    from .check import check_schedule, read_schedule

    report = check_schedule(scenario, path)
    if report.violations:
        raise ScenarioError([Problem(str(path), None, None, f"the schedule breaks a rule: {v}",
                                     "pass a schedule that `selector check` accepts") for v in report.violations])
    rows = read_schedule(path)
    year_of = {r["unit_id"]: (int(r["fiscal_year"]) if r["fiscal_year"] else None) for r in rows}
    pilot_of = {r["unit_id"]: r["pilot"].lower() == "true" for r in rows}
    return year_of, pilot_of


def breakdown_table(scenario: Scenario, unit_id: str) -> pd.DataFrame:
    """Per criterion: raw value, normalised value, each weight (normalised to sum 1) and weight x normalised."""
    s = scenario.settings
    units = scenario.units.set_index("unit_id", drop=False)
    matrix = normalised_matrix(units, s)
    wp, wr = normalised_weights(s.pilot_weights), normalised_weights(s.rollout_weights)
    rows = []
    for criterion in matrix.columns:
        n = float(matrix.at[unit_id, criterion])
        rows.append({"criterion": criterion, "value": float(units.at[unit_id, criterion]), "normalised": n,
                     "pilot_weight": wp[criterion], "pilot_part": wp[criterion] * n,
                     "rollout_weight": wr[criterion], "rollout_part": wr[criterion] * n})
    return pd.DataFrame(rows)


def explain_unit(scenario: Scenario, unit_id: str, schedule: str | Path | None = None, *,
                 solver: str | None = None, time_limit: float | None = None, gap: float | None = None,
                 move_earlier: bool = True, earlier_gap: float | None = None) -> Explanation:
    """Explain one unit's place in a plan: the given schedule, or the one ``solve`` finds.

    For a unit in year y > F it re-solves the built model with x[u, y-1] fixed to 1 and reports the
    objective lost; the first solve's model is reused (only the bound of one variable changes).
    ``earlier_gap`` is the relative gap of that re-solve (default ``max(gap, 0.001)``, for speed): the
    loss is then reported as a range, from the proven bound to the best plan found.
    """
    from .model import build_model
    from .solve import FEASIBLE, OPTIMAL, schedule_from_values, solve_model

    s = scenario.settings
    ids = set(scenario.units["unit_id"])
    if unit_id not in ids:
        raise ScenarioError([Problem("UNIT_ID", None, None, f"unit '{unit_id}' is not in the scenario",
                                     "give a unit_id from the scenario's CSV")])
    solver = (solver or s.solver).lower()
    time_limit = s.time_limit if time_limit is None else time_limit
    gap = s.gap if gap is None else gap
    model = build_model(scenario)
    if schedule is not None:
        year_of, pilot_of = _read_plan(scenario, schedule)
    else:
        run = solve_model(model, solver, time_limit, gap)
        if run.status not in (OPTIMAL, FEASIBLE):
            raise InfeasibleError([f"the scenario has no plan ({run.status}); run `selector solve` to see why"])
        year_of, pilot_of = _schedule_maps(schedule_from_values(model, run.values))
    base = model.objective_value({u: year_of.get(u) for u in model.units.index},
                                 {u for u in model.units.index if pilot_of.get(u)})
    row = scenario.units.set_index("unit_id", drop=False).loc[unit_id]
    facts = PlanFacts(scenario, model.scores, year_of, pilot_of)
    y = year_of.get(unit_id)
    done = bool(row["done"])
    phase = "done" if done else "unscheduled" if y is None else ("pilot" if y == s.first_year else f"wave {y - s.first_year}")
    if done:
        reasons, binding = ["already meets the standard (done): never scheduled"], []
    else:
        reasons, binding = facts.reasons(unit_id)
    explanation = Explanation(
        unit_id=unit_id, name=str(row["name"]), fiscal_year=y, phase=phase, pilot=bool(pilot_of.get(unit_id)),
        pilot_score=float(model.scores.at[unit_id, "pilot_score"]),
        rollout_score=float(model.scores.at[unit_id, "rollout_score"]),
        pilot_rank=facts.pilot_rank.get(unit_id, 0), rollout_rank=facts.rollout_rank.get(unit_id, 0),
        units=len(facts.todo), breakdown=breakdown_table(scenario, unit_id), reasons=reasons, binding=binding,
        base_objective=base,
    )
    if move_earlier and not done and y is not None and y > s.first_year:
        earlier_gap = max(gap, 1e-3) if earlier_gap is None else earlier_gap
        explanation.earlier = _force_earlier(model, unit_id, y - 1, base, solver, time_limit, earlier_gap)
    return explanation


def _force_earlier(model, unit_id: str, year: int, base: float, solver: str, time_limit: float,
                   gap: float) -> EarlierMove:
    from .solve import FEASIBLE, OPTIMAL, schedule_from_values, solve_model

    var = model.x.get((unit_id, year))
    if var is None:  # outside the unit's window: the variable does not exist
        return EarlierMove(year, "outside the unit's window", None, None, None, None)
    var.lowBound = 1
    try:
        run = solve_model(model, solver, time_limit, gap)
    finally:
        var.lowBound = 0
    if run.status not in (OPTIMAL, FEASIBLE):
        return EarlierMove(year, run.status, None, None, None, None)
    forced = schedule_from_values(model, run.values)
    year_of, pilot_of = _schedule_maps(forced)
    objective = model.objective_value({u: year_of.get(u) for u in model.units.index},
                                      {u for u in model.units.index if pilot_of.get(u)})
    bound = max(run.bound, objective) if run.bound is not None else objective
    return EarlierMove(year, run.status, objective, bound, base - objective, max(0.0, base - bound))


__all__ = ["Binding", "EarlierMove", "Explanation", "PlanFacts", "explain_unit", "explanation_column", "breakdown_table"]
