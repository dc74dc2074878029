"""Monitoring a round: the OPDC scorecard of every unit, plan achievement per year, and the progress file.

    >>> import selector
    >>> from selector.workflows.monitor import monitor
    >>> scenario = selector.load("scenarios/dlt-offices.csv")
    >>> m = monitor(scenario, "scenarios/dlt-offices-schedule.csv", "scenarios/dlt-offices-results-2555.csv",
    ...             round_=12, year=2555, indicators="scenarios/dlt-offices-indicators.toml")
    >>> m.achievement, m.progress

**The score of a result (OPDC / ก.พ.ร. scorecard convention).** An indicator's five level targets
t1..t5 are the results that earn scores 1..5. For a higher-is-better indicator (t1 < ... < t5)::

    score = 1                                  if r <= t1
          = k + (r - t_k) / (t_{k+1} - t_k)    if t_k <= r < t_{k+1}   (k = 1..4)
          = 5                                  if r >= t5

and for a lower-is-better one (t1 > ... > t5) the same with r and the targets negated, so a result
at a level's target earns exactly that level and a result between two targets is interpolated
linearly. Scores are rounded to 4 decimals (half up), as the scorecards are published. The
weighted score is weight x score with the weight as a fraction: weight 4% and score 5.0000 give
0.2000. The overall score is the sum of the weighted scores (weights sum to 100%, so it is on the
1-5 scale); a dimension's score is its indicators' weighted mean score, sum(w s) / sum(w).

**Meets the standard** when the overall score reaches ``[monitoring] pass_score`` (default 3, the
level the agreement was signed for), or, with one mark per dimension, when every named dimension's
score reaches its mark. A unit missing any indicator's result is *not reported*: its overall
score and verdict are left empty, never computed as if the missing result were zero.

**Plan achievement** of fiscal year y (years up to the monitored one): of the units the schedule
planned for y, the share upgraded and meeting the standard (``achievement_pct``), and the share of
the scorecard's weight they attain (``weighted_pct`` = the mean over the planned units of the
weight, in %, of the indicators whose score reaches the pass mark; an indicator not reported
attains nothing). Both count every planned unit, reported or not; ``reported`` says how many were.

**The progress file** (``selector.data.progress``, read by ``selector replan``): every unit the
schedule planned for a year up to the monitored one gets a state:

- ``deferred`` when the results say ``upgraded = false``;
- ``in_progress`` when its year is the monitored one and the round is before month 12, or when it
  is not reported (the work was planned; no evaluation shows how it went);
- ``done`` when it meets the standard, ``failed`` when it does not (it returns to the pool).

With ``update_scores``, each reported unit's ``success`` becomes its overall score mapped from 1-5
onto the criteria scale [lo, hi] (lo + (score - 1) / 4 x (hi - lo)), and its ``risk`` the mirror
image on the scale (lo + hi - success): the evaluation replaces the guess the plan was made on.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import Sequence

import numpy as np
import pandas as pd

from selector.data.indicators import MAX_SCORE, MIN_SCORE, Monitoring
from selector.data.progress import DEFERRED, DONE, FAILED, IN_PROGRESS, Baseline, read_baseline
from selector.data.results import Results, read_results
from selector.data.scenario import Scenario
from selector.data.settings import load_settings
from selector.errors import Problem, ScenarioError
from selector.i18n import _

MEETS, DOES_NOT_MEET, NOT_REPORTED = "meets", "does_not_meet", "not_reported"
VERDICTS = (MEETS, DOES_NOT_MEET, NOT_REPORTED)
UPGRADED, NOT_YET, NOT_UPGRADED = "upgraded", "not_yet", "not_upgraded"
FULL_YEAR_ROUND = 12


def round4(value: float) -> float:
    """``value`` rounded to 4 decimals, half up (3.00005 -> 3.0001), as OPDC scorecards print scores."""
    return float(Decimal(repr(float(value))).quantize(Decimal("0.0001"), rounding=ROUND_HALF_UP))


def opdc_score(result: float, levels: Sequence[float], direction: str = "higher") -> float:
    """The 1-5 score of ``result`` against the five level targets (see the module docstring), unrounded.

    >>> opdc_score(92, [80, 85, 90, 95, 100]), opdc_score(30, [45, 35, 25, 20, 15], "lower")
    (3.4, 2.5)
    """
    sign = 1.0 if direction == "higher" else -1.0
    r, t = sign * float(result), sign * np.asarray(levels, dtype=float)
    if r <= t[0]:
        return MIN_SCORE
    if r >= t[-1]:
        return MAX_SCORE
    k = int(np.searchsorted(t, r, side="right")) - 1  # t[k] <= r < t[k+1]
    return MIN_SCORE + k + (r - t[k]) / (t[k + 1] - t[k])


def weighted_score(weight_pct: float, score: float) -> float:
    """weight x score, the weight as a fraction: ``weighted_score(4, 5.0) == 0.2``."""
    return round4(weight_pct / 100.0 * score)


@dataclass(frozen=True)
class UnitCard:
    """One unit's scorecard: score per indicator (None: not reported), per dimension and overall."""

    unit_id: str
    results: dict[str, float | None]
    scores: dict[str, float | None]
    dimension_scores: dict[str, float | None]
    overall: float | None
    verdict: str
    attained_weight: float  # % of the scorecard whose indicators reach the pass mark


def score_unit(unit_id: str, results: Results, monitoring: Monitoring) -> UnitCard:
    """Score one unit's results on the scorecard (the rules are in the module docstring)."""
    raw = {i.id: results.of(unit_id, i.id) for i in monitoring.indicators}
    scores = {i: (round4(opdc_score(v, monitoring.indicator(i).levels, monitoring.indicator(i).direction))
                  if v is not None else None) for i, v in raw.items()}
    dims: dict[str, float | None] = {}
    for d in monitoring.dimensions:
        members = [i for i in monitoring.indicators if i.dimension == d]
        if any(scores[i.id] is None for i in members):
            dims[d] = None
        else:
            dims[d] = round4(sum(i.weight * scores[i.id] for i in members) / sum(i.weight for i in members))
    attained = sum(i.weight for i in monitoring.indicators
                   if scores[i.id] is not None and scores[i.id] >= monitoring.pass_mark(i.dimension))
    if any(s is None for s in scores.values()):
        return UnitCard(unit_id, raw, scores, dims, None, NOT_REPORTED, attained)
    overall = round4(sum(weighted_score(i.weight, scores[i.id]) for i in monitoring.indicators))
    if monitoring.pass_by_dimension:
        meets = all(dims[d] >= mark for d, mark in monitoring.pass_by_dimension)
    else:
        meets = overall >= monitoring.pass_score
    return UnitCard(unit_id, raw, scores, dims, overall, MEETS if meets else DOES_NOT_MEET, attained)


def opdc_rows(card: UnitCard, monitoring: Monitoring, lang: str = "en") -> pd.DataFrame:
    """The unit's scorecard in the OPDC shape: indicator | unit | weight | targets 1-5 | result | score | weighted."""
    rows = []
    for i in monitoring.indicators:
        score = card.scores[i.id]
        rows.append({"dimension": i.dimension, "indicator": i.id, "name": i.name(lang), "unit": i.unit, "weight": i.weight,
                     **{f"level_{k + 1}": v for k, v in enumerate(i.levels)},
                     "result": card.results[i.id], "score": score,
                     "weighted_score": weighted_score(i.weight, score) if score is not None else None})
    return pd.DataFrame(rows)


@dataclass
class MonitorRound:
    """A monitoring round: every unit's scorecard, plan achievement, and the progress file for ``replan``."""

    scenario: Scenario
    monitoring: Monitoring
    baseline: Baseline
    results: Results
    year: int
    round: int
    cards: dict[str, UnitCard]
    scorecard: pd.DataFrame  # one row per unit planned up to ``year`` or reported
    achievement: pd.DataFrame  # one row per fiscal year up to ``year``
    by_region: pd.DataFrame  # one row per fiscal year and region
    progress: pd.DataFrame  # unit_id, name, state, success, risk, overall_score, verdict, note
    update_scores: bool = False
    notes: list[str] = field(default_factory=list)

    @property
    def pilots(self) -> pd.DataFrame:
        return self.scorecard[self.scorecard["pilot"]]


def _indicators_of(scenario: Scenario, indicators: str | Path | Monitoring | None) -> Monitoring:
    if isinstance(indicators, Monitoring):
        return indicators
    if indicators is None:
        return scenario.settings.monitoring
    settings, problems = load_settings(Path(indicators), str(indicators))
    if problems:
        raise ScenarioError(problems)
    return settings.monitoring


def monitor(scenario: Scenario, schedule, results, round_: int, year: int,
            indicators: str | Path | Monitoring | None = None, update_scores: bool = False,
            encoding: str | None = None) -> MonitorRound:
    """Score round ``round_`` of fiscal year ``year``; never prints. Bad input raises ``ScenarioError``.

    ``schedule``: the approved schedule (path, DataFrame or ``Baseline``); ``results``: the results
    CSV (path or ``Results``); ``indicators``: a TOML with ``[[indicators]]`` (and ``[monitoring]``),
    or None for the scenario's own.
    """
    s = scenario.settings
    monitoring = _indicators_of(scenario, indicators)
    problems: list[Problem] = []
    if not s.first_year <= int(year) <= s.last_year:
        problems.append(Problem("--year", None, None, _("FY{year} is outside the horizon {first}-{last}", year=year,
                                                        first=s.first_year, last=s.last_year),
                                _("monitor a fiscal year from {first} to {last}", first=s.first_year, last=s.last_year)))
    if not monitoring.indicators:
        problems.append(Problem(scenario.settings_path or "<settings>", None, "[[indicators]]",
                                _("there is no scorecard to score these results against"),
                                _("add [[indicators]] to the settings TOML, or pass --indicators FILE")))
    if problems:
        raise ScenarioError(problems)
    base = schedule if isinstance(schedule, Baseline) else read_baseline(schedule, s.first_year, s.last_year)
    units = scenario.units.set_index("unit_id", drop=False)
    res = results if isinstance(results, Results) else read_results(results, monitoring, units.index, round_,
                                                                    encoding=encoding)
    unknown = sorted(u for u in base.year if u not in units.index)
    if unknown:
        raise ScenarioError([Problem(base.name, None, "unit_id", _("units {units} of the schedule are not in the scenario",
                                                                   units=", ".join(unknown[:5])),
                                     _("pass the schedule made for this scenario"))])
    planned = {u: y for u, y in base.year.items() if y is not None and y <= year}
    shown = sorted(set(planned) | set(res.units))
    cards = {u: score_unit(u, res, monitoring) for u in shown}

    rows = []
    for u in shown:
        card, y = cards[u], base.year.get(u)
        upgrade = NOT_UPGRADED if u in res.not_upgraded else UPGRADED if u in planned else NOT_YET
        rows.append({"unit_id": u, "name": units.at[u, "name"], "region": units.at[u, "region"],
                     "fiscal_year": y, "pilot": bool(base.pilot.get(u, False)), "upgrade": upgrade,
                     **{f"result_{i}": v for i, v in card.results.items()},
                     **{f"score_{i}": v for i, v in card.scores.items()},
                     **{f"{d}_score": v for d, v in card.dimension_scores.items()},
                     "overall_score": card.overall, "verdict": card.verdict,
                     "attained_weight": card.attained_weight,
                     "missing": " ".join(i for i, v in card.scores.items() if v is None)})
    scorecard = pd.DataFrame(rows, columns=None if rows else ["unit_id", "fiscal_year", "pilot", "region", "verdict"])
    if not rows:
        scorecard["pilot"] = scorecard["pilot"].astype(bool)
    achievement = plan_achievement(scorecard, s.first_year, year)
    by_region = plan_achievement(scorecard, s.first_year, year, by="region")
    progress = progress_table(scorecard, planned, year, round_, s.scale, update_scores)
    notes = []
    missing = scorecard[(scorecard["verdict"] == NOT_REPORTED) & (scorecard["upgrade"] == UPGRADED)] if rows else scorecard
    if len(missing):
        notes.append(_("{n} upgraded unit(s) not fully reported: {units}; their progress state is in_progress, "
                       "never a score of zero", n=len(missing), units=", ".join(missing["unit_id"][:10])))
    return MonitorRound(scenario, monitoring, base, res, int(year), int(round_), cards, scorecard, achievement,
                        by_region, progress, update_scores, notes)


def plan_achievement(scorecard: pd.DataFrame, first_year: int, year: int, by: str | None = None) -> pd.DataFrame:
    """Plan achievement per fiscal year up to ``year`` (and per value of ``by``), as the module docstring defines it."""
    keys = ["fiscal_year"] + ([by] if by else [])
    columns = keys + ["planned", "reported", "meets", "does_not_meet", "not_reported", "deferred",
                      "achievement_pct", "weighted_pct"]
    planned = scorecard[scorecard["fiscal_year"].notna()] if len(scorecard) else scorecard
    planned = planned[(planned["fiscal_year"] >= first_year) & (planned["fiscal_year"] <= year)] if len(planned) else planned
    out = []
    for key, group in (planned.groupby(keys, sort=True) if len(planned) else []):
        key = key if isinstance(key, tuple) else (key,)
        n = len(group)
        deferred = group["upgrade"] == NOT_UPGRADED
        meets = (group["verdict"] == MEETS) & ~deferred
        attained = group["attained_weight"].where(~deferred, 0.0)
        out.append({**dict(zip(keys, key)), "planned": n, "reported": int((group["verdict"] != NOT_REPORTED).sum()),
                    "meets": int(meets.sum()), "does_not_meet": int(((group["verdict"] == DOES_NOT_MEET) & ~deferred).sum()),
                    "not_reported": int(((group["verdict"] == NOT_REPORTED) & ~deferred).sum()),
                    "deferred": int(deferred.sum()),
                    "achievement_pct": round(100.0 * meets.sum() / n, 2), "weighted_pct": round(attained.sum() / n, 2)})
    table = pd.DataFrame(out, columns=columns)
    table["fiscal_year"] = table["fiscal_year"].astype(int)
    return table


def score_on_scale(score: float, scale: tuple[float, float]) -> float:
    """An OPDC score (1-5) on the criteria scale [lo, hi]: lo + (score - 1) / 4 x (hi - lo)."""
    lo, hi = scale
    return round4(lo + (score - MIN_SCORE) / (MAX_SCORE - MIN_SCORE) * (hi - lo))


def progress_table(scorecard: pd.DataFrame, planned: dict[str, int], year: int, round_: int,
                   scale: tuple[float, float], update_scores: bool) -> pd.DataFrame:
    """The progress file of ``selector replan --from year+1`` (the rules are in the module docstring)."""
    rows = []
    cards = scorecard.set_index("unit_id") if len(scorecard) else scorecard
    lo, hi = scale
    for u in sorted(planned):
        row = cards.loc[u]
        verdict, overall = row["verdict"], row["overall_score"]
        if row["upgrade"] == NOT_UPGRADED:
            state, note = DEFERRED, _("the results say the upgrade did not happen")
        elif planned[u] == year and round_ < FULL_YEAR_ROUND:
            state, note = IN_PROGRESS, _("round {round} of its upgrade year", round=round_)
        elif verdict == NOT_REPORTED:
            state, note = IN_PROGRESS, _("not reported: {missing}", missing=row["missing"])
        elif verdict == MEETS:
            state, note = DONE, _("meets the standard")
        else:
            state, note = FAILED, _("does not meet the standard")
        success = risk = None
        if update_scores and verdict != NOT_REPORTED and state != DEFERRED:
            success = score_on_scale(overall, scale)
            risk = round4(lo + hi - success)
        rows.append({"unit_id": u, "name": row["name"], "state": state, "success": success, "risk": risk,
                     "overall_score": overall if verdict != NOT_REPORTED else None, "verdict": verdict, "note": note})
    return pd.DataFrame(rows, columns=["unit_id", "name", "state", "success", "risk", "overall_score", "verdict", "note"])

