"""The plan as an Excel workbook: summary, one sheet per fiscal year, pilots, assumptions.

The workbook lays out the tables of ``selector.outputs.tables``. Numbers are written as numbers with
a number format, text as inert text (never a formula or a link), and the same plan and date give
the same bytes. (``selector.workflows.export.plan_from_schedule`` rebuilds a plan from a schedule
file for ``selector export``.)
"""

from __future__ import annotations

import datetime as dt
import unicodedata
from pathlib import Path

from selector._version import __version__
from selector.atomic import atomic_path
from selector.outputs.tables import (
    BAHT,
    COUNT,
    OBJECTIVE,
    PERCENT,
    PRECISE_PERCENT,
    SCORE,
    WEIGHT,
    YEAR,
    Provenance,
    Table,
    format_value,
    plan_tables,
)
from selector.outputs.words import TEXT
from selector.plan import Plan

# ---------------------------------------------------------------------------------------------
# The workbook


def display_width(text: str) -> int:
    """Columns a text needs: Thai vowel and tone marks above or below a letter take no width."""
    return sum(0 if unicodedata.category(ch) == "Mn" else 2 if unicodedata.east_asian_width(ch) in "WF" else 1
               for ch in text)


def _write_table(sheet, table: Table, formats: dict) -> None:
    """Header in row 1 (frozen), typed cells, totals in bold, columns sized to their content."""
    header_fmt = formats["header"]
    widths = [display_width(c.header) for c in table.columns]
    for j, col in enumerate(table.columns):
        sheet.write_string(0, j, col.header, header_fmt)
    body = list(table.rows) + ([table.total] if table.total is not None else [])
    for i, row in enumerate(body, start=1):
        bold = table.total is not None and i == len(body)
        for j, (value, col) in enumerate(zip(row, table.columns)):
            fmt_name = table.value_formats[i - 1] if table.value_formats is not None and j == 1 else col.number_format
            if value is None or value == "":
                if bold:
                    sheet.write_blank(i, j, None, formats[("bold", None)])
                continue
            if isinstance(value, str):
                sheet.write_string(i, j, value, formats[("bold", None)] if bold else formats["text"])
            else:
                sheet.write_number(i, j, value, formats[("bold" if bold else "plain", fmt_name)])
            widths[j] = max(widths[j], display_width(format_value(value, fmt_name)))
    for j, width in enumerate(widths):
        sheet.set_column(j, j, min(max(width * 1.15 + 2, 6), 70))
    sheet.freeze_panes(1, 0)
    last_row = len(table.rows)
    if last_row:
        sheet.autofilter(0, 0, last_row, len(table.columns) - 1)
    for k, note in enumerate(table.notes):
        sheet.write_string(len(body) + 2 + k, 0, note, formats["text"])


def write_workbook(plan: Plan, target: str | Path, lang: str = "th", day: dt.date | None = None,
                   provenance: Provenance | None = None) -> None:
    """Write the plan as an .xlsx workbook: summary, one sheet per fiscal year, pilots, (a re-plan's
    moves,) assumptions.

    The file is written atomically. Its creation date is the plan's date at 00:00 UTC and
    XlsxWriter stores fixed timestamps in the zip, so the same plan and date give the same bytes.
    """
    import xlsxwriter

    tables = plan_tables(plan, lang, day, provenance)
    number_formats = (None, BAHT, COUNT, PERCENT, SCORE, WEIGHT, YEAR, PRECISE_PERCENT, OBJECTIVE, "General")
    with atomic_path(target) as tmp:
        book = xlsxwriter.Workbook(str(tmp), {"strings_to_formulas": False, "strings_to_urls": False,
                                              "strings_to_numbers": False})
        created = dt.datetime.combine(tables.date, dt.time(0, 0), tzinfo=dt.timezone.utc).replace(tzinfo=None)
        book.set_properties({"title": TEXT[lang]["title"], "author": "selector", "comments":
                             f"selector {__version__}", "created": created})
        font = {"font_name": "Tahoma", "font_size": 10}
        formats: dict = {"header": book.add_format({**font, "bold": True, "bg_color": "#DDEBF7", "border": 1,
                                                    "text_wrap": True, "valign": "top"}),
                         "text": book.add_format({**font})}
        for weight in ("plain", "bold"):
            for nf in number_formats:
                spec = {**font, **({"num_format": nf} if nf else {})}
                if weight == "bold":
                    spec.update({"bold": True, "top": 1})
                formats[(weight, nf)] = book.add_format(spec)
        summary = book.add_worksheet(tables.summary.name)
        _write_table(summary, tables.summary, formats)
        for table in [t for _, t in tables.years] + [tables.pilots] + ([tables.moves] if tables.moves else []) + [
                tables.assumptions]:
            _write_table(book.add_worksheet(table.name), table, formats)
        summary.activate()
        book.close()
