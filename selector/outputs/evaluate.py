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
    if e.randomised is not None:
        text += " " + randomised_sentence(e)
    return text


def randomised_sentence(e: Evaluation) -> str:
    """What drawing the plan at random among the near-optimal plans does to the power of the first schedule."""
    r = e.randomised
    pct = f"{100 * r.within:g}%"
    chosen = e.designs[0].power
    if len(r.plans) == 1:
        return _("Only the optimum was found within {pct} of it (power {power:.1%}): there is no other plan to "
                 "randomise among.", pct=pct, power=r.mean_power)
    if r.equal_power:
        if r.same_counts:
            text = _("All {n} plans within {pct} of the optimum have the same power, {power:.1%}: they start the "
                     "same number of units each year and, with the same number of people in every unit, power "
                     "depends only on those numbers, so randomising among them changes nothing for power (its "
                     "case is against confounding). Give --per-unit a column (e.g. workload) to compare unequal "
                     "units.", n=len(r.plans), pct=pct, power=r.mean_power)
        else:
            text = _("All {n} plans within {pct} of the optimum have the same power, {power:.1%}, so randomising "
                     "among them changes nothing for power.", n=len(r.plans), pct=pct, power=r.mean_power)
    else:
        fields = dict(n=len(r.plans), pct=pct, chosen=chosen, mean=r.mean_power, low=r.min_power, high=r.max_power)
        if f"{r.mean_power:.1%}" == f"{chosen:.1%}":  # a change the figures shown cannot show is no change
            text = _("Randomising among the {n} plans within {pct} of the optimum leaves power at {chosen:.1%} (the "
                     "mean power if one plan is drawn at random; {low:.1%} to {high:.1%} over the plans).", **fields)
        elif r.mean_power > chosen:
            text = _("Randomising among the {n} plans within {pct} of the optimum raises power from {chosen:.1%} to "
                     "{mean:.1%} (the mean power if one plan is drawn at random; {low:.1%} to {high:.1%} over the "
                     "plans).", **fields)
        else:
            text = _("Randomising among the {n} plans within {pct} of the optimum lowers power from {chosen:.1%} to "
                     "{mean:.1%} (the mean power if one plan is drawn at random; {low:.1%} to {high:.1%} over the "
                     "plans).", **fields)
    if r.smallest_p_value > e.alpha:
        text += " " + _("A randomisation test over {n} equally likely plans cannot give a p-value below {p:.3g}, "
                        "above alpha {alpha:g}: the analysis is the model-based test of this power.",
                        n=len(r.plans), p=r.smallest_p_value, alpha=e.alpha)
    return text


def evaluation_text(e: Evaluation) -> str:
    """The evaluation for the terminal: one row per schedule, then the paragraph."""
    rows = []
    for d in e.designs:
        se = math.sqrt(d.variance) if math.isfinite(d.variance) else math.inf
        rows.append([d.name, " ".join(f"{y}:{n}" for y, n in sorted(d.units_per_year.items())), f"{se:.4f}",
                     f"{d.power:.3f}", "-" if d.random_power_mean is None else f"{d.random_power_mean:.3f}",
                     "-" if d.random_power_min is None else f"{d.random_power_min:.3f}-{d.random_power_max:.3f}"])
    header = [_("schedule"), _("units per year"), _("std. error"), _("power"), _("random order"), _("range")]
    lines = [_("Stepped-wedge power (Hussey & Hughes 2007) to detect an effect of {effect:g}: sd {sd:g}, ICC {icc:g}, "
               "{people}, two-sided alpha {alpha:g}; random orders: {n} (seed {seed})", effect=e.effect, sd=e.sd,
               icc=e.icc, people=_people(e), alpha=e.alpha, n=e.permutations, seed=e.seed),
             *text_table(header, rows, {2, 3, 4, 5})]
    if e.randomised is not None:
        r = e.randomised
        lines += ["", _("Plans within {pct} of the optimum (selector alternatives, differing in at least {differ} "
                        "{what}):", pct=f"{100 * r.within:g}%", differ=r.differ,
                        what=_("pilots") if r.focus == "pilots" else _("units' years")),
                  *text_table([_("plan"), _("loss %"), _("units per year"), _("std. error"), _("power")],
                              [[p.name, f"{p.loss_pct:.3f}", " ".join(f"{y}:{n}" for y, n in sorted(p.units_per_year.items())),
                                f"{math.sqrt(p.variance) if math.isfinite(p.variance) else math.inf:.4f}",
                                f"{p.power:.3f}"] for p in r.plans], {1, 3, 4})]
    lines += ["", power_paragraph(e)]
    return "\n".join(lines)
