"""A monitoring round for its reader: the scorecard summary as text, the scorecard and progress CSVs."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from selector.atomic import write_text_atomic
from selector.i18n import _
from selector.outputs.files import schedule_csv_text
from selector.outputs.text import text_table
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
