"""The robustness result as CSV text and as the terminal summary."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from selector.i18n import _
from selector.outputs.files import escape_cell
from selector.outputs.text import text_table
from selector.workflows.robustness.stats import CORE, Robustness


def table_csv_text(table: pd.DataFrame) -> str:
    """A table as CSV text (no BOM): shares to 4 decimals, mean_year to 3, booleans true/false,
    missing values empty, text escaped against spreadsheet formulas."""
    import csv
    import io


    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(list(table.columns))
    for row in table.itertuples(index=False):
        cells = []
        for col, value in zip(table.columns, row):
            if value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value)):
                cells.append("")
            elif isinstance(value, (bool, np.bool_)):
                cells.append("true" if value else "false")
            elif col == "mean_year":
                cells.append(f"{value:.3f}")
            elif isinstance(value, (float, np.floating)):
                cells.append(f"{value:.4f}")
            elif isinstance(value, (int, np.integer)):
                cells.append("" if value < 0 else str(int(value)))
            else:
                cells.append(escape_cell(str(value)))
        writer.writerow(cells)
    return buffer.getvalue()


def units_csv_text(result: Robustness) -> str:
    """The per-unit table of a robustness result as CSV text (no BOM)."""
    return table_csv_text(result.units)


def summary_text(result: Robustness, out_path=None) -> str:
    """What ``selector robustness`` prints: the borderline units first, then core and exterior, then the plan."""
    o = result.options
    m = result.measure
    how = (_("uniform weights respecting each rank order (SMAA)") if o["ranks_only"]
           else _("Dirichlet around the chosen weights, concentration K = {spread}", spread=f"{o['spread']:g}"))
    lines = [_("{samples} weight samples (seed {seed}; {how}); gap {gap}: {optimal} proven optimal, {not_proven} not "
               "proven, {without} without a plan", samples=o["samples"], seed=o["seed"], how=how, gap=f"{o['gap']:g}",
               optimal=m("samples_optimal"), not_proven=m("samples_not_proven"), without=m("samples_without_plan"))]
    border = result.borderline
    lines.append("")
    lines.append(_("Borderline units ({count}): pilot in 5{percent} to 95{percent} of the samples", count=len(border),
                   percent="%"))
    if len(border):
        yes = _("yes")
        rows = [[r.unit_id, r.name, r.region, f"{100 * r.acceptability:.1f}%",
                 f"{100 * r.acceptability_low:.0f}-{100 * r.acceptability_high:.0f}%", yes if r.base_pilot else "",
                 f"{r.mean_year:.2f}"] for r in border.itertuples()]
        header = [_("unit"), _("name"), _("region"), _("pilot in"), _("95{percent} interval", percent="%"),
                  _("pilot now"), _("mean year")]
        lines += ["  " + line.rstrip() for line in text_table(header, rows, {3, 4, 6})]
    core = result.units[result.units["class"] == CORE]
    lines.append("")
    lines.append(_("Core pilots ({count}): pilot in >= 95{percent} of the samples: {units}", count=len(core),
                   percent="%", units=", ".join(core["unit_id"]) or _("none")))
    lines.append(_("Exterior units ({count}): pilot in < 5{percent} of the samples", count=m("exterior_units"),
                   percent="%"))
    lines.append(_("The chosen plan's {pilots} pilots: {core} core; {share} of the samples choose exactly the same "
                   "pilots ({sets} distinct pilot sets)", pilots=m("base_pilots"), core=m("base_pilots_core"),
                   share=f"{100 * m('share_same_pilot_set_as_base'):.1f}%", sets=m("distinct_pilot_sets")))
    lines.append(_("Units upgraded in the same fiscal year in >= 95{percent} of the samples: {stable} of {units}",
                   percent="%", stable=m("units_with_stable_year"), units=m("units")))
    if out_path is not None:
        lines.append(_("Per-unit table written to {path}", path=out_path))
    return "\n".join(lines)
