"""Alternatives side by side, for the committee: the tables of the workbook's sheets and the report's section.

``alternatives_tables`` lays out an ``Alternatives`` (``selector.workflows.alternatives``) from its
table and its ``Comparison`` (``selector.workflows.compare``), with a column per plan:

- the plans: status, objective, loss against the optimum (and in %), pilots, pilots in and out
  against plan 1, units moved, the least distance to an earlier plan; the conclusion as a note
  ("no further plan within ..." only when proven);
- by fiscal year: the budget limit, then each plan's cost, units upgraded and units moved into the
  year against plan 1;
- the balance: each plan's pilots per region, then each criterion's standardised difference
  between the pilots and the network (``Plan.balance``).

``write_alternatives_files`` writes plan 1's workbook and report (``selector.outputs.submission``)
with these tables added after the summary, so the optimum is there in full and the others beside it.
"""

from __future__ import annotations

import datetime as dt
import math
import shlex
from pathlib import Path

from selector.i18n import language
from selector.outputs.audit import Overrides, reproduce_arguments
from selector.outputs.submission import write_plan_files
from selector.outputs.tables import BAHT, COUNT, OBJECTIVE, SCORE, YEAR, Column, Provenance, Table, display_value
from selector.outputs.words import CRITERION_TEXT, TEXT
from selector.workflows.alternatives import Alternatives

PRECISE = "0.0000"


def _number(value) -> float | None:
    """A cell: None for a missing number (NaN, None), else the float."""
    return None if value is None or (isinstance(value, float) and math.isnan(value)) else float(value)


def plans_table(result: Alternatives, lang: str) -> Table:
    """One row per plan: status, objective, loss, pilots in and out, units moved, distance; the conclusion as a note."""
    t = TEXT[lang]
    columns = [Column("plan", t["col_plan"]), Column("status", t["col_status"]),
               Column("objective", t["a_objective"], OBJECTIVE), Column("loss", t["col_loss"], OBJECTIVE),
               Column("loss_pct", t["col_loss_pct"], PRECISE), Column("pilots", t["c_pilots"], COUNT),
               Column("pilots_in", t["col_pilots_in"]), Column("pilots_out", t["col_pilots_out"]),
               Column("units_moved", t["col_units_moved"], COUNT), Column("distance", t["col_distance"], COUNT)]
    rows = [[r.plan, t.get(f"status_{r.status}", r.status), float(r.objective), float(r.loss), float(r.loss_pct),
             int(r.pilots), r.pilots_in, r.pilots_out, int(r.units_moved), _number(r.distance)]
            for r in result.table.itertuples(index=False)]
    with language(lang):
        conclusion = result.conclusion()
    return Table(t["sheet_alternatives"], columns, rows, notes=[conclusion])


def years_table(result: Alternatives, lang: str) -> Table:
    """Per fiscal year: the budget limit, then each plan's cost, units upgraded and units moved into the year."""
    t = TEXT[lang]
    comparison = result.comparison
    names = list(comparison.names)
    moved = comparison.moved
    into = {name: moved[moved["scenario"] == name].groupby("year").size() for name in names[1:]}
    columns = [Column("fiscal_year", t["col_year"], YEAR), Column("budget", t["col_budget"], BAHT)]
    columns += [Column(f"cost_{n}", t["col_plan_cost"].format(plan=n), BAHT) for n in names]
    columns += [Column(f"units_{n}", t["col_plan_units"].format(plan=n), COUNT) for n in names]
    columns += [Column(f"moved_{n}", t["col_plan_moved"].format(plan=n), COUNT) for n in names[1:]]
    rows = []
    for year in comparison.cost.index:
        row = [int(year), _number(comparison.budget.loc[year, names[0]])]
        row += [float(comparison.cost.loc[year, n]) for n in names]
        row += [int(comparison.units.loc[year, n]) for n in names]
        row += [int(into[n].get(year, 0)) for n in names[1:]]
        rows.append(row)
    total = ["", _number(comparison.budget[names[0]].sum(min_count=1))]
    total += [float(comparison.cost[n].sum()) for n in names] + [int(comparison.units[n].sum()) for n in names]
    total += [int(into[n].sum()) for n in names[1:]]
    return Table(t["sheet_alternatives_years"], columns, rows, total, notes=[t["alternatives_moved_note"]])


def balance_table(result: Alternatives, lang: str) -> Table:
    """Each plan's pilots per region, then each criterion's standardised difference (pilots against the network)."""
    t = TEXT[lang]
    names = list(result.comparison.names)
    units = result.plans[0].scenario.units
    by_region = result.comparison.pilots_by_region
    columns = [Column("item", t["col_item"])] + [Column(n, n, None) for n in names]
    rows: list[list] = []
    for region in by_region.index:
        label = t["alternatives_region"].format(region=display_value(units, "region", str(region), lang))
        rows.append([label] + [int(by_region.loc[region, n]) for n in names])
    balances = [plan.balance.set_index("column") for plan in result.plans]
    criteria = CRITERION_TEXT[lang]
    for column in balances[0].index:
        label = t["alternatives_balance"].format(criterion=criteria.get(column, column))
        rows.append([label] + [_number(round(float(b.loc[column, "std_difference"]), 12)) for b in balances])
    formats = [COUNT] * len(by_region) + [SCORE] * len(balances[0])
    return Table(t["sheet_alternatives_balance"], columns, rows, notes=[t["alternatives_balance_note"]],
                 row_formats=formats)


def alternatives_tables(result: Alternatives, lang: str = "th") -> list[Table]:
    """The three tables side by side (plans, fiscal years, balance), in ``lang``."""
    return [plans_table(result, lang), years_table(result, lang), balance_table(result, lang)]


def provenance(result: Alternatives, overrides: Overrides | None = None) -> Provenance:
    """How the alternatives were made: the command that finds them again, and the search's settings."""
    scenario = result.plans[0].scenario
    argv = reproduce_arguments(scenario, overrides)
    argv[1] = "alternatives"
    argv += ["--count", str(result.count), "--within", f"{100 * result.within:g}", "--differ", str(result.differ),
             "--focus", result.focus]
    rows = (("a_alternatives_found", len(result.plans), COUNT), ("a_alternatives_threshold", result.threshold, OBJECTIVE))
    return Provenance(shlex.join(argv), rows=rows, overrides=overrides)


def write_alternatives_files(result: Alternatives, xlsx: str | Path | None = None, report: str | Path | None = None,
                             lang: str = "th", day: dt.date | None = None,
                             overrides: Overrides | None = None) -> None:
    """Plan 1's workbook and/or report with the alternatives side by side after the summary (each atomically;
    inside an ``OutputTransaction`` they are written with the command's other files, all or none)."""
    write_plan_files(result.plans[0], xlsx, report, lang, day, provenance(result, overrides),
                     extra=alternatives_tables(result, lang))
