"""The power of a rollout for its reader: the stepped-wedge evaluation as text and as a paragraph."""

from __future__ import annotations

import math

from selector.i18n import _
from selector.outputs.text import text_table
from selector.workflows.evaluate import Evaluation


def _people(e: Evaluation) -> str:
    if isinstance(e.per_unit, str):
        return _("people per unit and year from the column '{column}'", column=e.per_unit)
    return _("{n:g} people per unit and year", n=e.per_unit)


def power_paragraph(e: Evaluation) -> str:
    """One paragraph for the report: what the first schedule can show, and what a random order would."""
    d = e.designs[0]
    text = _("Read as a stepped-wedge design (Hussey & Hughes 2007), the plan has a {power:.0%} chance of showing an "
             "effect of {effect:g} (outcome sd {sd:g}, intra-class correlation {icc:g}, {people}) at the {alpha:g} "
             "level, over {units} units and {periods} periods.", power=d.power, effect=e.effect, sd=e.sd, icc=e.icc,
             people=_people(e), alpha=e.alpha, units=e.units, periods=e.periods)
    if e.permutations:
        text += " " + _("The same number of units per year in a random order gives {mean:.0%} on average "
                        "({low:.0%} to {high:.0%} over {n} seeded orders).", mean=d.random_power_mean,
                        low=d.random_power_min, high=d.random_power_max, n=e.permutations)
    if len(e.designs) > 1:
        best = max(e.designs, key=lambda x: x.power)
        text += " " + _("Of the {n} schedules compared, {name} has the highest power, {power:.0%}.",
                        n=len(e.designs), name=best.name, power=best.power)
    return text


def evaluation_text(e: Evaluation) -> str:
    """The evaluation for the terminal: one row per schedule, then the paragraph."""
    rows = []
    for d in e.designs:
        se = math.sqrt(d.variance) if math.isfinite(d.variance) else math.inf
        rows.append([d.name, " ".join(f"{y}:{n}" for y, n in sorted(d.units_per_year.items())), f"{se:.4f}",
                     f"{d.power:.3f}", f"{d.random_power_mean:.3f}",
                     f"{d.random_power_min:.3f}-{d.random_power_max:.3f}"])
    header = [_("schedule"), _("units per year"), _("std. error"), _("power"), _("random order"), _("range")]
    lines = [_("Stepped-wedge power (Hussey & Hughes 2007) to detect an effect of {effect:g}: sd {sd:g}, ICC {icc:g}, "
               "{people}, two-sided alpha {alpha:g}; random orders: {n} (seed {seed})", effect=e.effect, sd=e.sd,
               icc=e.icc, people=_people(e), alpha=e.alpha, n=e.permutations, seed=e.seed),
             *text_table(header, rows, {2, 3, 4, 5}), "", power_paragraph(e)]
    return "\n".join(lines)
