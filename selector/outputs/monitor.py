"""A monitoring round for its reader: the scorecard summary as text, the scorecard and progress CSVs."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pandas as pd

from selector.atomic import write_text_atomic
from selector.data.csvfiles import decode_text, read_input_bytes
from selector.data.scenario import Scenario
from selector.errors import ScenarioError
from selector.i18n import _
from selector.outputs.files import schedule_csv_text
from selector.outputs.text import text_table
from selector.workflows.learn import Learning
from selector.workflows.monitor import DOES_NOT_MEET, MEETS, NOT_REPORTED, MonitorRound


def verdict_words(verdict: str) -> str:
    return {MEETS: _("meets"), DOES_NOT_MEET: _("does not meet"), NOT_REPORTED: _("not reported")}[verdict]


def _counts(cards: pd.DataFrame) -> str:
    counts = cards["verdict"].value_counts()
    return _("{meets} meet the standard, {fails} do not, {missing} not reported", meets=int(counts.get(MEETS, 0)),
             fails=int(counts.get(DOES_NOT_MEET, 0)), missing=int(counts.get(NOT_REPORTED, 0)))


def _achievement_rows(table: pd.DataFrame, by: str | None) -> list[list[str]]:
    return [[f"FY{r['fiscal_year']}", *([str(r[by])] if by else []), str(r["planned"]), str(r["reported"]),
             str(r["meets"]), str(r["does_not_meet"]), str(r["not_reported"]), str(r["deferred"]),
             f"{r['achievement_pct']:.2f}%", f"{r['weighted_pct']:.2f}%"] for r in table.to_dict(orient="records")]


def monitor_text(m: MonitorRound) -> str:
    """The summary of a round for the terminal: verdicts, pilots, plan achievement by year and region."""
    mon = m.monitoring
    mark = (", ".join(f"{d} {v:g}" for d, v in mon.pass_by_dimension) if mon.pass_by_dimension
            else f"{mon.pass_score:g}")
    lines = [_("Monitoring FY{year}, round {round} (month {round} of 12): {n} unit(s) scored on {k} indicator(s) "
               "in {d} dimension(s); pass mark {mark}", year=m.year, round=m.round, n=len(m.scorecard),
               k=len(mon.indicators), d=len(mon.dimensions), mark=mark)]
    if len(m.scorecard):
        lines.append(_("All units: {counts}", counts=_counts(m.scorecard)))
        pilots = m.pilots
        if len(pilots):
            lines.append(_("Pilots ({n}): {counts}", n=len(pilots), counts=_counts(pilots)))
            rows = [[r["unit_id"], str(r["region"]), "" if pd.isna(r["overall_score"]) else f"{r['overall_score']:.4f}",
                     verdict_words(r["verdict"]), r["missing"]] for r in pilots.to_dict(orient="records")]
            lines += ["", *text_table([_("pilot"), _("region"), _("score"), _("verdict"), _("not reported")], rows, {2})]
    header = [_("year"), _("planned"), _("reported"), _("meet"), _("do not"), _("not rep."), _("deferred"),
              _("achieved"), _("weighted")]
    lines += ["", _("Plan achievement (units planned for the year, upgraded and meeting the standard):"),
              *text_table(header, _achievement_rows(m.achievement, None), set(range(1, 9)))]
    if len(m.by_region):
        lines += ["", _("By region:"), *text_table(header[:1] + [_("region")] + header[1:],
                                                    _achievement_rows(m.by_region, "region"), set(range(2, 10)))]
    states = m.progress["state"].value_counts()
    lines += ["", _("Progress for `selector replan --from {next}`: {states}", next=m.year + 1,
                    states=", ".join(f"{int(states[s])} {s}" for s in sorted(states.index)) or _("no unit"))]
    if m.update_scores:
        lines.append(_("success and risk of the reported units revised from their scores (--update-scores)"))
    lines += [_("Note: {note}", note=n) for n in m.notes]
    return "\n".join(lines)


def write_scorecard_csv(m: MonitorRound, target: str | Path) -> None:
    """One row per unit: results, scores per indicator and dimension, overall score and verdict (UTF-8 with BOM)."""
    table = m.scorecard.astype(object).where(m.scorecard.notna(), "")
    write_text_atomic(target, "\ufeff" + schedule_csv_text(table))


def write_progress_csv(m: MonitorRound, target: str | Path) -> None:
    """The progress file ``selector replan --progress`` reads (extra columns are ignored there)."""
    table = m.progress.astype(object).where(m.progress.notna(), "")
    write_text_atomic(target, "\ufeff" + schedule_csv_text(table))


def learning_text(learning: Learning) -> str:
    """What the pilots say about readiness, for the terminal: tiers, then the Firth model with its interval."""
    tier_words = {"low": _("low"), "medium": _("medium"), "high": _("high")}
    rows = [[tier_words[t["tier"]], str(t["pilots"]), str(t["reported"]),
             "" if t["mean_score"] is None or pd.isna(t["mean_score"]) else f"{t['mean_score']:.4f}", str(t["meets"]),
             "" if t["share"] is None or pd.isna(t["share"]) else
             f"{t['share']:.0%} ({t['share_low']:.0%}-{t['share_high']:.0%})"] for t in learning.tiers.to_dict(orient="records")]
    lines = [_("Learning from the pilots: readiness = mean of infrastructure, staff and leadership"),
             *text_table([_("readiness"), _("pilots"), _("reported"), _("mean score"), _("meet"),
                          _("share meeting (95% Wilson)")], rows, {1, 2, 3, 4})]
    if learning.slope is None:
        lines.append(_("Too few reported pilots, or all at one readiness, to relate meeting the standard to readiness "
                       "({n} reported).", n=learning.n))
        return "\n".join(lines)
    ratio, low, high = learning.odds_ratio
    lines.append(_("Firth logistic regression over {n} reported pilots ({k} meet): odds of meeting the standard x{ratio:.2f} "
                   "per readiness point (95% profile interval {low:.2f} to {high:.2f}); P(meets) at readiness 2, 3, 4: "
                   "{p2:.0%}, {p3:.0%}, {p4:.0%}", n=learning.n, k=learning.meets, ratio=ratio, low=low,
                   high=high, p2=learning.probability(2), p3=learning.probability(3), p4=learning.probability(4)))
    if learning.slope_low <= 0 <= learning.slope_high:
        lines.append(_("The interval includes no effect: the pilots cannot yet tell whether readiness matters. "
                       "Review the suggested success update before using it."))
    return "\n".join(lines)


def write_learning_csv(learning: Learning, target: str | Path) -> None:
    """The suggested success of every unit still to be upgraded, with P(meets) and its interval, for review."""
    table = learning.update.astype(object).where(learning.update.notna(), "")
    write_text_atomic(target, "\ufeff" + schedule_csv_text(table))


def write_updated_units(scenario: Scenario, learning: Learning, target: str | Path) -> int:
    """A copy of the units CSV with the learned ``success`` of the units still to be upgraded; returns how many.

    Only the ``success`` cells of those units change: every other cell is copied as the planner wrote it.
    """
    raw, problems = read_input_bytes(Path(scenario.csv_path), scenario.csv_path)
    text, more = decode_text(raw, scenario.csv_path) if raw is not None else (None, [])
    if text is None:
        raise ScenarioError(problems + more)
    rows = list(csv.reader(io.StringIO(text, newline="")))
    header = [h.strip() for h in rows[0]]
    uid, col = header.index("unit_id"), header.index("success")
    learned = dict(zip(learning.update["unit_id"], learning.update["success_learned"]))
    changed = 0
    for row in rows[1:]:
        if len(row) > max(uid, col) and row[uid].strip() in learned:
            row[col] = f"{learned[row[uid].strip()]:g}"
            changed += 1
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\r\n").writerows(rows)
    write_text_atomic(target, "\ufeff" + buffer.getvalue())
    return changed
