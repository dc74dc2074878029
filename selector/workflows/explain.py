"""Why each unit sits where it sits: score breakdowns, ranks, the rules that bind, the cost of moving earlier.

``explain_unit`` answers for one unit (``selector explain``); the short form of the same reasons,
for every unit of a schedule, is its ``explanation`` column (``selector.analysis.reasons``). A reason that
names a rule is a *binding* record (rule, key, detail) found on the plan itself: e.g. "FY2556 has
20,000 baht left and the unit costs 2,300,000", so a reader (and a test) can check it on the file.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from selector.analysis.reasons import Binding, PlanFacts, phase_words, schedule_maps
from selector.check import check_schedule, read_schedule
from selector.data.scenario import Scenario
from selector.data.settings import normalised_weights
from selector.errors import InfeasibleError, Problem, ScenarioError
from selector.i18n import _
from selector.model.build import build_model
from selector.model.scoring import normalised_matrix
from selector.plan import schedule_from_values
from selector.solvers.backends import hold_count, solve_model
from selector.solvers.options import SolveOptions
from selector.solvers.session import Session, status_after_count
from selector.status import Status
from selector.workflows.alternatives import Alternatives


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
    pilot_in: list[str] | None = None  # the alternatives (``selector.alternatives``) in which the unit is a pilot
    alternatives: int = 0  # how many alternatives were searched (0: none)
    within: float | None = None

    def text(self) -> str:
        """The explanation as the terminal shows it."""
        phase = phase_words(self.phase)
        where = phase if self.fiscal_year is None else _("FY{year} ({phase})", year=self.fiscal_year, phase=phase)
        lines = [f"{self.unit_id} {self.name}: {where}" + (_(", pilot") if self.pilot else "")]
        lines.append(_("Pilot suitability {pilot_score} (rank {pilot_rank} of {units}); "
                       "rollout priority {rollout_score} (rank {rollout_rank} of {units})",
                       pilot_score=f"{self.pilot_score:.4f}", pilot_rank=self.pilot_rank, units=self.units,
                       rollout_score=f"{self.rollout_score:.4f}", rollout_rank=self.rollout_rank))
        lines.append("")
        widths = (15, 7, 12, 9, 12, 11, 14)
        head = _row([_("criterion"), _("value"), _("normalised"), _("w pilot"), _("pilot part"), _("w rollout"),
                     _("rollout part")], widths)
        lines += [head, "-" * _width(head)]
        for r in self.breakdown.itertuples(index=False):
            lines.append(f"{r.criterion:<15}{r.value:>7g}{r.normalised:>12.4f}{r.pilot_weight:>9.3f}{r.pilot_part:>12.4f}"
                         f"{r.rollout_weight:>11.3f}{r.rollout_part:>14.4f}")
        lines.append(_row([_("total"), "", "", "", f"{self.pilot_score:.4f}", "", f"{self.rollout_score:.4f}"], widths))
        lines.append("")
        lines.append(_("Why here:"))
        lines += [f"  - {r}" for r in self.reasons]
        if self.earlier is not None:
            e = self.earlier
            if e.loss is None:
                lines.append(_("Forced into FY{year}: {status}: no plan has it there under the rules.", year=e.year,
                               status=e.status))
            else:
                loss = (f"{e.loss:.6f}" if abs(e.loss - e.loss_at_least) < 1e-9
                        else _("{low} to {high}", low=f"{e.loss_at_least:.6f}", high=f"{e.loss:.6f}"))
                lines.append(_("Forced into FY{year}: the objective falls from {base} to {objective} (best found; "
                               "bound {bound}): a loss of {loss}.", year=e.year, base=f"{self.base_objective:.6f}",
                               objective=f"{e.objective:.6f}", bound=f"{e.bound:.6f}", loss=loss))
        if self.pilot_in is not None:
            lines.append(_("Pilot in {n} of {total} alternatives within {pct} of the optimum{names}",
                           n=len(self.pilot_in), total=self.alternatives, pct=f"{100 * self.within:g}%",
                           names=(": " + ", ".join(self.pilot_in)) if self.pilot_in else ""))
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
            "pilot_in_alternatives": self.pilot_in,
        }


# ---------------------------------------------------------------------------------------------
# One unit, with a re-solve


def _width(text: str) -> int:
    """Terminal columns of ``text``: Thai vowel and tone marks above or below a consonant take none."""
    return sum(1 for ch in text if unicodedata.category(ch) not in ("Mn", "Me", "Cf"))


def _row(cells: list[str], widths: tuple[int, ...]) -> str:
    """A row of the breakdown: the first cell left-aligned, the others right-aligned, each in its width."""
    out = []
    for i, (cell, width) in enumerate(zip(cells, widths)):
        space = " " * max(width - _width(cell), 1 if i else 0)
        out.append(cell + space if i == 0 else space + cell)
    return "".join(out)


def _read_plan(scenario: Scenario, path: str | Path) -> tuple[dict[str, int | None], dict[str, bool]]:

    report = check_schedule(scenario, path)
    if report.violations:
        raise ScenarioError([Problem(str(path), None, None, _("the schedule breaks a rule: {violation}", violation=v),
                                     _("pass a schedule that `selector check` accepts")) for v in report.violations])
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
                 move_earlier: bool = True, earlier_gap: float | None = None,
                 alternatives: Alternatives | None = None) -> Explanation:
    """Explain one unit's place in a plan: the given schedule, or the one ``solve`` finds.

    For a unit in year y > F it re-solves the built model with x[u, y-1] fixed to 1 and reports the
    objective lost; the first solve's model is reused (only the bound of one variable changes).
    ``earlier_gap`` is the relative gap of that re-solve (default ``max(gap, 0.001)``, for speed): the
    loss is then reported as a range, from the proven bound to the best plan found.
    ``alternatives`` (from ``selector.alternatives``) adds in which of them the unit is a pilot.
    """

    s = scenario.settings
    ids = set(scenario.units["unit_id"])
    if unit_id not in ids:
        raise ScenarioError([Problem("UNIT_ID", None, None, _("unit '{unit}' is not in the scenario", unit=unit_id),
                                     _("give a unit_id from the scenario's CSV"))])
    solver, time_limit, gap = SolveOptions.resolve(s, solver=solver, time_limit=time_limit, gap=gap).as_tuple()
    model = build_model(scenario)
    if schedule is not None:
        year_of, pilot_of = _read_plan(scenario, schedule)
    else:
        run = solve_model(model, solver, time_limit, gap)
        if run.status not in (Status.OPTIMAL, Status.FEASIBLE):
            raise InfeasibleError([_("the scenario has no plan ({status}); run `selector solve` to see why", status=run.status)])
        year_of, pilot_of = schedule_maps(schedule_from_values(model, run.values))
    base = model.objective_value({u: year_of.get(u) for u in model.units.index},
                                 {u for u in model.units.index if pilot_of.get(u)})
    row = scenario.units.set_index("unit_id", drop=False).loc[unit_id]
    facts = PlanFacts(scenario, model.scores, year_of, pilot_of)
    y = year_of.get(unit_id)
    done = bool(row["done"])
    phase = "done" if done else "unscheduled" if y is None else ("pilot" if y == s.first_year else f"wave {y - s.first_year}")
    if done:
        reasons, binding = [_("already meets the standard (done): never scheduled")], []
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
    if alternatives is not None:
        explanation.pilot_in = alternatives.pilot_in(unit_id)
        explanation.alternatives, explanation.within = len(alternatives.plans), alternatives.within
    return explanation


def _force_earlier(model, unit_id: str, year: int, base: float, solver: str, time_limit: float,
                   gap: float) -> EarlierMove:
    """Re-solve with x[u, year] >= 1; with HiGHS in a solver session (only that column's bound changes)."""
    var = model.x.get((unit_id, year))
    if var is None:  # outside the unit's window: the variable does not exist
        return EarlierMove(year, "outside the unit's window", None, None, None, None)
    if solver == "highs":
        count = hold_count(model, solver, time_limit, gap)  # best-effort: the first stage's row, as solve_model holds it
        if count.status not in (Status.OPTIMAL, Status.FEASIBLE):
            return EarlierMove(year, count.status, None, None, None, None)
        session = Session(model.prob, gap, time_limit)
        session.set_bounds(session.columns([var]), 1.0, 1.0)
        run = status_after_count(session.run(), model.count_status)
    else:
        var.lowBound = 1
        try:
            run = solve_model(model, solver, time_limit, gap)
        finally:
            var.lowBound = 0
    if run.status not in (Status.OPTIMAL, Status.FEASIBLE):
        return EarlierMove(year, run.status, None, None, None, None)
    forced = schedule_from_values(model, run.values)
    year_of, pilot_of = schedule_maps(forced)
    objective = model.objective_value({u: year_of.get(u) for u in model.units.index},
                                      {u for u in model.units.index if pilot_of.get(u)})
    bound = max(run.bound, objective) if run.bound is not None else objective
    return EarlierMove(year, run.status, objective, bound, base - objective, max(0.0, base - bound))
