"""The plan as an Excel workbook, ready to print: cover, summary, one sheet per fiscal year, pilots, assumptions.

The workbook lays out the tables of ``selector.outputs.tables``. Numbers are written as numbers with
a number format, text as inert text (never a formula or a link), and the same plan and date give
the same bytes. (``selector.workflows.export.plan_from_schedule`` rebuilds a plan from a schedule
file for ``selector export``.)
"""

from __future__ import annotations

import datetime as dt
import io
import unicodedata
from pathlib import Path
from typing import Sequence

from selector._version import __version__
from selector.atomic import atomic_path
from selector.outputs.fonts import has_thai
from selector.outputs.maps import has_provinces, province_map_png
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
    spending_tables,
)
from selector.outputs.words import TEXT, date_text
from selector.plan import Plan

# ---------------------------------------------------------------------------------------------
# The workbook


def display_width(text: str) -> int:
    """Columns a text needs: Thai vowel and tone marks above or below a letter take no width."""
    return sum(0 if unicodedata.category(ch) == "Mn" else 2 if unicodedata.east_asian_width(ch) in "WF" else 1
               for ch in text)


def _write_table(sheet, table: Table, formats: dict, first_row: int = 0) -> int:
    """Header in ``first_row`` (frozen), typed cells, totals in bold, columns sized to their content.

    A header longer than its column's content wraps onto a second line rather than widen the
    column (so the sheet prints larger at one page wide). Returns the last row written (notes
    included), for the print area.
    """
    header_fmt = formats["header"]
    sheet.set_default_row(formats["row_height"])
    header_widths = [display_width(c.header) for c in table.columns]
    # half a header that can wrap (words, or Thai, which office suites break between words); a name such as
    # population_served would break mid-word, so it keeps its width
    widths = [-(-w // 2) + 1 if " " in c.header or has_thai(c.header) else w
              for w, c in zip(header_widths, table.columns)]
    for j, col in enumerate(table.columns):
        sheet.write_string(first_row, j, col.header, header_fmt)
    body = list(table.rows) + ([table.total] if table.total is not None else [])
    for i, row in enumerate(body, start=1):
        bold = table.total is not None and i == len(body)
        for j, (value, col) in enumerate(zip(row, table.columns)):
            fmt_name = table.cell_format(i - 1, j)
            if value is None or value == "":
                if bold:
                    sheet.write_blank(first_row + i, j, None, formats[("bold", None)])
                continue
            if isinstance(value, str):
                sheet.write_string(first_row + i, j, value, formats[("bold", None)] if bold else formats["text"])
            else:
                sheet.write_number(first_row + i, j, value, formats[("bold" if bold else "plain", fmt_name)])
            widths[j] = max(widths[j], display_width(format_value(value, fmt_name)))
    for j, width in enumerate(widths):
        sheet.set_column(j, j, min(max(width * formats["width_factor"] + 2, 6), 70))
    lines = max((2 if w > widths[j] else 1 for j, w in enumerate(header_widths)), default=1)
    sheet.set_row(first_row, formats["row_height"] * (lines + 0.25))
    sheet.freeze_panes(first_row + 1, 0)
    last_row = len(table.rows)
    if last_row:
        sheet.autofilter(first_row, 0, first_row + last_row, len(table.columns) - 1)
    for k, note in enumerate(table.notes):
        sheet.write_string(first_row + len(body) + 2 + k, 0, note, formats["text"])
    return first_row + len(body) + (1 + len(table.notes) if table.notes else 0)


def header_text(text: str) -> str:
    """A text for an Excel page header or footer: ``&`` doubled (it starts a code there), at most 100 characters."""
    return text.replace("&", "&&")[:100]


def print_setup(sheet, last_row: int, last_column: int, header_rows: int, header: str, footer: str) -> None:
    """Ready to print: A4 landscape, one page wide (as many pages tall as it takes), the header rows
    repeated on every page, the print area the table itself, the plan title in the page header and
    the page number, date and input hash in the footer."""
    sheet.set_landscape()
    sheet.set_paper(9)  # A4
    sheet.fit_to_pages(1, 0)
    sheet.set_margins(left=0.4, right=0.4, top=0.75, bottom=0.7)
    if header_rows:
        sheet.repeat_rows(0, header_rows - 1)
    sheet.print_area(0, 0, max(last_row, 0), max(last_column, 0))
    sheet.set_header(header, {"margin": 0.3})
    sheet.set_footer(footer, {"margin": 0.3})


def font_sizes(font: str) -> tuple[int, int]:
    """(body, heading) points: TH Sarabun's letters are small for their size, so 14 and 16; 10 and 12 otherwise."""
    return (14, 16) if "sarabun" in font.lower() else (10, 12)


MAP_SCALE = 0.62  # of the PNG's own size (6.2 x 7.4 in): about 12 cm tall, beside the cover's table
MAP_COLUMNS = 7  # default-width columns the map spans (D:J), for the print area
COVER_VALUE_WIDTH = 44  # characters of the cover's value column; a longer value wraps onto more lines


def _write_cover(sheet, tables, formats: dict, map_png: bytes | None, no_map: str) -> int:
    """The cover: the title and the plan at a glance (``tables.cover``) on the left, the province map on the right."""
    head = tables.heading
    height = formats["row_height"]
    sheet.set_default_row(height)
    sheet.set_column(0, 0, min(max(display_width(label) for label, _ in tables.cover.rows) * 1.15 + 3, 60))
    sheet.set_column(1, 1, COVER_VALUE_WIDTH)
    sheet.set_column(2, 2, 2)
    sheet.set_row(0, height * 1.6)
    sheet.write_string(0, 0, head.title, formats["title"])
    row = 2
    for (label, value), fmt in zip(tables.cover.rows, tables.cover.value_formats):
        sheet.write_string(row, 0, label, formats["label"])
        if isinstance(value, str):
            sheet.write_string(row, 1, value, formats["text_wrap"])
            lines = -(-display_width(value) // int(0.75 * COVER_VALUE_WIDTH))  # 0.75: letters wider than a digit
            if lines > 1:
                sheet.set_row(row, height * lines)
        else:
            sheet.write_number(row, 1, value, formats[("plain", fmt)])
        row += 1
    if map_png is not None:
        sheet.insert_image(1, 3, "map.png", {"image_data": io.BytesIO(map_png), "x_scale": MAP_SCALE,
                                            "y_scale": MAP_SCALE, "object_position": 3})
        return row
    sheet.write_string(row + 1, 0, no_map, formats["text"])
    return row + 1


def write_spending_sheets(book, plan: Plan, lang: str, formats: dict, header: str, footer: str) -> None:
    """The sheets of spending by year and category and of the multi-year commitments (docs/costs.md),
    after the others, set up to print as they are; none when no cost rule applies."""
    for table in spending_tables(plan, lang):
        sheet = book.add_worksheet(table.name)
        last = _write_table(sheet, table, formats)
        print_setup(sheet, last, len(table.columns) - 1, 1, header, footer)


def write_workbook(plan: Plan, target: str | Path, lang: str = "th", day: dt.date | None = None,
                   provenance: Provenance | None = None, extra: Sequence[Table] = ()) -> None:
    """Write the plan as an .xlsx workbook: a cover, the summary, (the ``extra`` tables, one sheet each,
    such as the alternatives side by side,) one sheet per fiscal year, pilots, (a re-plan's moves,)
    assumptions; every sheet set up to print on A4 landscape, one page wide.

    The font is ``[report] font`` (TH Sarabun New by default). The cover carries the province map
    when the units have a ``province`` column. The file is written atomically. Its creation date is
    the plan's date at 00:00 UTC and XlsxWriter stores fixed timestamps in the zip, so the same plan
    and date give the same bytes.
    """
    import xlsxwriter

    tables = plan_tables(plan, lang, day, provenance)
    t = TEXT[lang]
    font_name = plan.scenario.settings.report.font
    size, big = font_sizes(font_name)
    number_formats = (None, BAHT, COUNT, PERCENT, SCORE, WEIGHT, YEAR, PRECISE_PERCENT, OBJECTIVE, "General")
    digest = (plan.scenario.csv_sha256 or "")[:12]
    date = date_text(tables.date, lang)
    quoted = font_name.replace('"', "")
    # "&14 " : a font size ends at the space, so a text that starts with a digit is not read as part of it
    header = f'&C&"{quoted},Bold"&{big} {header_text(tables.heading.title)}'
    small = f'&"{quoted},Regular"&{size - 2} '
    footer = (f'&L{small}{header_text(date)}&C{small}{t["print_page"]}'
              f'&R{small}{header_text(t["print_input"].format(digest=digest))}')
    map_png = province_map_png(plan, lang, title=t["c_map"]) if has_provinces(plan.scenario) else None
    with atomic_path(target) as tmp:
        book = xlsxwriter.Workbook(str(tmp), {"strings_to_formulas": False, "strings_to_urls": False,
                                              "strings_to_numbers": False})
        created = dt.datetime.combine(tables.date, dt.time(0, 0), tzinfo=dt.timezone.utc).replace(tzinfo=None)
        book.set_properties({"title": tables.heading.title, "author": tables.heading.prepared_by or "selector",
                             "company": tables.heading.department or "", "comments": f"selector {__version__}",
                             "created": created})
        font = {"font_name": font_name, "font_size": size}
        formats: dict = {"header": book.add_format({**font, "bold": True, "bg_color": "#DDEBF7", "border": 1,
                                                    "text_wrap": True, "valign": "top"}),
                         "text": book.add_format({**font}),
                         "text_wrap": book.add_format({**font, "text_wrap": True, "valign": "top"}),
                         "label": book.add_format({**font, "bold": True, "valign": "top"}),
                         "title": book.add_format({**font, "bold": True, "font_size": big + 4}),
                         "width_factor": 1.15, "row_height": round(size * 1.5)}
        for weight in ("plain", "bold"):
            for nf in number_formats:
                spec = {**font, **({"num_format": nf, "align": "right"} if nf else {})}
                if weight == "bold":
                    spec.update({"bold": True, "top": 1})
                formats[(weight, nf)] = book.add_format(spec)
        cover = book.add_worksheet(tables.cover.name)
        last = _write_cover(cover, tables, formats, map_png, t["c_no_map"])
        print_setup(cover, max(last, 24 if map_png is not None else 0), 2 + MAP_COLUMNS if map_png is not None else 1,
                    0, header, footer)
        cover.fit_to_pages(1, 1)  # the cover is one page
        for table in [tables.summary] + list(extra) + [year for _, year in tables.years] + [tables.pilots] + (
                [tables.moves] if tables.moves else []) + [tables.assumptions]:
            sheet = book.add_worksheet(table.name)
            last = _write_table(sheet, table, formats)
            print_setup(sheet, last, len(table.columns) - 1, 1, header, footer)
        write_spending_sheets(book, plan, lang, formats, header, footer)
        cover.activate()
        book.close()
