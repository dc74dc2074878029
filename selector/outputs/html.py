"""The plan as one self-contained, printable HTML page (A4), in Thai or English.

The page lays out the tables of ``selector.outputs.tables.plan_tables`` and two charts drawn with
matplotlib as inline SVG (text kept as text, so the browser draws Thai with the page's font
stack). Nothing is fetched from the network; the same plan and date give the same bytes.
"""

from __future__ import annotations

import datetime as dt
import html
import warnings
from pathlib import Path
from typing import Sequence

from selector.atomic import write_text_atomic
from selector.outputs.fonts import chart_rc
from selector.outputs.maps import figure_svg, has_provinces, province_map, province_small_multiples
from selector.outputs.tables import (
    Column,
    PlanTables,
    Provenance,
    Table,
    display_value,
    format_value,
    plan_tables,
    spending_tables,
)
from selector.outputs.words import TEXT, date_text, fiscal_period
from selector.plan import Plan

THAI_FONT_STACK = '"Sarabun", "TH Sarabun New", "Loma", "Noto Sans Thai", "Garuda", "Tahoma", sans-serif'

CSS = """
:root { --ink: #1a1a1a; --rule: #b8c4d0; --head: #dde8f3; }
html { font-family: %(fonts)s; color: var(--ink); font-size: 11pt; line-height: 1.45; }
body { max-width: 190mm; margin: 0 auto; padding: 8mm 0; }
h1 { font-size: 17pt; margin: 0 0 2mm; }
h2 { font-size: 13pt; margin: 7mm 0 2mm; border-bottom: 1px solid var(--rule); }
h3 { font-size: 11.5pt; margin: 4mm 0 1mm; }
p.meta { margin: 0; color: #444; }
table { border-collapse: collapse; width: 100%%; font-size: 9.5pt; }
th, td { border: 1px solid var(--rule); padding: 1mm 1.5mm; vertical-align: top; text-align: left; }
th { background: var(--head); font-weight: bold; }
td.num { text-align: right; white-space: nowrap; font-variant-numeric: tabular-nums; }
tr.total td { font-weight: bold; border-top: 2px solid var(--ink); }
table.small { font-size: 8.5pt; }
td.wrap { word-break: break-all; }
td.short { white-space: nowrap; }
.chart svg { width: 100%%; height: auto; }
.map svg { width: auto; max-width: 100%%; max-height: 230mm; display: block; margin: 0 auto; }
.chart svg text { font-family: %(fonts)s !important; }
thead { display: table-header-group; }
tr, .chart { break-inside: avoid; page-break-inside: avoid; }
@page { size: A4 portrait; margin: 15mm 12mm; }
@media print {
  html { font-size: 10pt; }
  body { max-width: none; padding: 0; }
  th { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
  section.appendix { break-before: page; page-break-before: always; }
}
""" % {"fonts": THAI_FONT_STACK}


def table_html(table: Table, keys: list[str] | None = None, css_class: str = "",
               shown: dict[str, dict[str, str]] | None = None) -> str:
    """An HTML table of ``table`` (only the columns ``keys``, when given); ``shown`` relabels values."""
    picked = [j for j, c in enumerate(table.columns) if keys is None or c.key in keys]
    if keys is not None:
        picked.sort(key=lambda j: keys.index(table.columns[j].key))
    esc = html.escape
    head = "".join(f"<th>{esc(table.columns[j].header)}</th>" for j in picked)
    out = [f'<table class="{css_class}">' if css_class else "<table>", f"<thead><tr>{head}</tr></thead>", "<tbody>"]
    body = [(row, False) for row in table.rows] + ([(table.total, True)] if table.total is not None else [])
    for i, (row, is_total) in enumerate(body):
        cells = []
        for j in picked:
            col: Column = table.columns[j]
            fmt = table.cell_format(i, j)
            value = row[j]
            if shown and col.key in shown and isinstance(value, str):
                value = shown[col.key].get(value, value)
            klass = ""
            if not isinstance(value, str) and value is not None:
                klass = ' class="num"'
            elif isinstance(value, str) and len(value) <= 12:
                klass = ' class="short"'  # "ระยะที่ 1" on one line
            elif isinstance(value, str) and len(value) > 40 and " " not in value:
                klass = ' class="wrap"'  # SHA-256 digests break anywhere
            cells.append(f"<td{klass}>{esc(format_value(value, fmt))}</td>")
        out.append(f'<tr class="total">{"".join(cells)}</tr>' if is_total else f"<tr>{''.join(cells)}</tr>")
    out.append("</tbody></table>")
    return "\n".join(out)


# ---------------------------------------------------------------------------------------------
# Charts (small helpers; matplotlib's object API only, so no global pyplot state is touched)


def phase_chart_svg(plan: Plan, lang: str) -> str:
    """The phase map: units upgraded per region (rows) and fiscal year (columns), pilots marked."""
    import matplotlib
    from matplotlib.figure import Figure

    t = TEXT[lang]
    sched = plan.schedule
    sched = sched[sched["fiscal_year"].notna()]
    years = list(plan.scenario.settings.years)
    regions = sorted(sched["region"].astype(str).unique())
    counts = [[int(((sched["region"] == r) & (sched["fiscal_year"] == y)).sum()) for y in years] for r in regions]
    labels = [display_value(plan.scenario.units, "region", r, lang) for r in regions]
    with matplotlib.rc_context(chart_rc()), warnings.catch_warnings():
        warnings.simplefilter("ignore")
        fig = Figure(figsize=(7.2, 0.45 * len(regions) + 1.3))
        ax = fig.add_subplot()
        ax.imshow(counts, cmap="Blues", aspect="auto", vmin=0)
        top = max((max(row) for row in counts), default=0) or 1
        for i, row in enumerate(counts):
            for j, n in enumerate(row):
                ax.text(j, i, str(n), ha="center", va="center", color="white" if n > 0.6 * top else "black")
        ax.set_xticks(range(len(years)), [f"{y}\n{_phase_short(y, years[0], lang)}" for y in years])
        ax.set_yticks(range(len(regions)), labels)
        ax.set_xlabel(t["chart_fy"])
        ax.set_title(t["chart_units"], fontsize=9, loc="left")
        ax.tick_params(length=0)
        fig.tight_layout()
        return figure_svg(fig)


def _phase_short(year: int, first: int, lang: str) -> str:
    t = TEXT[lang]
    return t["phase_pilot"] if year == first else t["phase_wave"].format(n=year - first)


def budget_chart_svg(plan: Plan, lang: str) -> str:
    """Budget requested against the budget limit per fiscal year (million baht), share used on top."""
    import matplotlib
    from matplotlib.figure import Figure

    t = TEXT[lang]
    by_year = plan.by_year
    years = [str(y) for y in by_year["fiscal_year"]]
    x = range(len(years))
    with matplotlib.rc_context(chart_rc()), warnings.catch_warnings():
        warnings.simplefilter("ignore")
        fig = Figure(figsize=(7.2, 3.2))
        ax = fig.add_subplot()
        ax.bar([i - 0.2 for i in x], by_year["budget"] / 1e6, width=0.4, color="#c9d6e3", label=t["chart_limit"])
        ax.bar([i + 0.2 for i in x], by_year["cost"] / 1e6, width=0.4, color="#2f6da3", label=t["chart_requested"])
        for i, (cost, used) in enumerate(zip(by_year["cost"], by_year["budget_used"])):
            ax.text(i + 0.2, cost / 1e6, f"{100 * used:.1f}%", ha="center", va="bottom", fontsize=8)
        ax.set_xticks(list(x), years)
        ax.set_xlabel(t["chart_fy"])
        ax.set_ylabel(t["chart_baht"])
        ax.spines[["top", "right"]].set_visible(False)
        ax.legend(frameon=False, loc="upper left")
        fig.tight_layout()
        return figure_svg(fig)


def map_sections(plan: Plan, lang: str) -> list[str]:
    """The province map and one small map per fiscal year as inline SVG; a note instead without a province column."""
    t = TEXT[lang]
    esc = html.escape
    if not has_provinces(plan.scenario):
        return [f'<p class="meta">{esc(t["no_map_note"])}</p>']
    return [f'<section class="chart map"><h2>{esc(t["h_map"])}</h2>'
            f'{figure_svg(province_map(plan, lang=lang, title=""))}</section>',
            f'<section class="chart"><h2>{esc(t["h_map_years"])}</h2>'
            f'{figure_svg(province_small_multiples(plan, lang=lang, title=""))}</section>']


def spending_sections(plan: Plan, lang: str) -> list[str]:
    """Spending by fiscal year and category, and the commitments each start year carries into each fiscal
    year (docs/costs.md): the tables of the workbook's *Spending* and *Commitments* sheets
    (``spending_tables``, one source for both). None when no cost rule applies (the report is then as before)."""
    esc = html.escape
    return [f"<section><h2>{esc(table.name)}</h2>\n{table_html(table, None, 'small')}\n"
            + "".join(f'<p class="meta">{esc(note)}</p>' for note in table.notes) + "</section>"
            for table in spending_tables(plan, lang)]


# ---------------------------------------------------------------------------------------------
# The page


def report_html(plan: Plan, lang: str = "th", day: dt.date | None = None, tables: PlanTables | None = None,
                provenance: Provenance | None = None, extra: Sequence[Table] = ()) -> str:
    """The whole report as HTML text (with a re-plan's moves when ``provenance`` carries them, and the
    ``extra`` tables, such as the alternatives side by side, in a section after the summary)."""
    tables = tables or plan_tables(plan, lang, day, provenance)
    t = TEXT[lang]
    esc = html.escape
    sc = plan.scenario
    regions = {str(r): display_value(sc.units, "region", str(r), lang) for r in sc.units["region"].unique()}
    status = t.get(f"status_{plan.status}", plan.status)
    source = Path(sc.csv_path).name if sc.csv_path else ""
    first = sc.settings.first_year
    head = tables.heading
    byline = " · ".join(esc(x) for x in (head.department, head.prepared_by) if x)
    parts = [
        "<!DOCTYPE html>",
        f'<html lang="{lang}">',
        '<head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{esc(head.title)}</title>",
        f"<style>{CSS}</style></head>",
        "<body>",
        f"<header><h1>{esc(head.title)}</h1>",
        *([f'<p class="meta byline">{byline}</p>'] if byline else []),
        f'<p class="meta">{esc(source)} · {esc(date_text(tables.date, lang))}</p>',
        f'<p class="meta">{esc(t["a_status"])}: {esc(status)}</p></header>',
        f"<section><h2>{esc(t['h_summary'])}</h2>",
        # the period column is left to the workbook: one example keeps the A4 table readable
        table_html(tables.summary, [c.key for c in tables.summary.columns if c.key != "period"]),
        *[f'<p class="meta">{esc(note)}</p>' for note in tables.summary.notes],
        f'<p class="meta">{esc(t["fy_note"].format(year=first, period=fiscal_period(first, lang)))}</p>',
        "</section>",
        *extra_section(extra, t["h_extra"]),
        f'<section class="chart"><h2>{esc(t["h_phase_chart"])}</h2>{phase_chart_svg(plan, lang)}</section>',
        *map_sections(plan, lang),
        f'<section class="chart"><h2>{esc(t["h_budget_chart"])}</h2>{budget_chart_svg(plan, lang)}</section>',
        *spending_sections(plan, lang),
        f"<section><h2>{esc(t['h_pilots'])}</h2>",
        table_html(tables.pilots, ["unit_id", "name", "region", "pilot_score", "rank", "reason"], "small",
                   {"region": regions}),
        "</section>",
        *([f"<section><h2>{esc(t['h_moves'])}</h2>", table_html(tables.moves, None, "small"),
           *[f'<p class="meta">{esc(note)}</p>' for note in tables.moves.notes], "</section>"] if tables.moves else []),
        f"<section><h2>{esc(t['h_assumptions'])}</h2>",
        table_html(tables.assumptions, None, "small"),
        "</section>",
        f'<section class="appendix"><h2>{esc(t["h_units"])}</h2>',
    ]
    for year, table in tables.years:
        parts.append(f"<h3>{esc(t['year_label'].format(year=year))}</h3>")
        parts.append(table_html(table, ["unit_id", "name", "region", "phase", "pilot", "cost", "rollout_score"],
                                "small", {"region": regions}))
    parts += ["</section>", "</body>", "</html>", ""]
    return "\n".join(parts)


def extra_section(extra: Sequence[Table], heading: str) -> list[str]:
    """The ``extra`` tables in one section: each under its own heading (its name), its notes below it."""
    if not extra:
        return []
    esc = html.escape
    parts = [f'<section class="extra"><h2>{esc(heading)}</h2>']
    for table in extra:
        parts += [f"<h3>{esc(table.name)}</h3>", table_html(table, None, "small"),
                  *[f'<p class="meta">{esc(note)}</p>' for note in table.notes]]
    return parts + ["</section>"]


def write_report(plan: Plan, target: str | Path, lang: str = "th", day: dt.date | None = None,
                 provenance: Provenance | None = None, extra: Sequence[Table] = ()) -> None:
    """Write the HTML report atomically (UTF-8)."""
    write_text_atomic(target, report_html(plan, lang, day, provenance=provenance, extra=extra))
