"""The plan submission: the workbook and the printable report, written together."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Sequence

from selector.outputs.html import write_report
from selector.outputs.tables import (
    Provenance,
    Table,
)
from selector.outputs.words import plan_date
from selector.outputs.workbook import write_workbook
from selector.plan import Plan


def write_plan_files(plan: Plan, xlsx: str | Path | None = None, report: str | Path | None = None,
                     lang: str = "th", day: dt.date | None = None, provenance: Provenance | None = None,
                     extra: Sequence[Table] = ()) -> None:
    """Write the workbook and/or the HTML report of a plan (each atomically); ``provenance`` says how it was
    made (``selector.outputs.tables.solved``, ``selector.outputs.replan.provenance``); ``extra`` tables
    (``selector.outputs.alternatives``) go after the summary, a sheet each and one section of the report. The date is ``day``,
    else ``[report] date``, else ``plan_date()`` (see ``selector.outputs.tables.plan_tables``)."""
    day = day or plan.scenario.settings.report.date or plan_date()  # one date for both files
    if xlsx:
        write_workbook(plan, xlsx, lang, day, provenance, extra)
    if report:
        write_report(plan, report, lang, day, provenance, extra)
