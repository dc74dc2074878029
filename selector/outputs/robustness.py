"""The robustness result as CSV text and as the terminal summary."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

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
    how = ("uniform weights respecting each rank order (SMAA)" if o["ranks_only"]
           else f"Dirichlet around the chosen weights, concentration K = {o['spread']:g}")
    lines = [f"{o['samples']} weight samples (seed {o['seed']}; {how}); gap {o['gap']:g}: "
             f"{m('samples_optimal')} proven optimal, {m('samples_not_proven')} not proven, "
             f"{m('samples_without_plan')} without a plan"]
    border = result.borderline
    lines.append("")
    lines.append(f"Borderline units ({len(border)}): pilot in 5% to 95% of the samples")
    if len(border):

        rows = [[r.unit_id, r.name, r.region, f"{100 * r.acceptability:.1f}%",
                 f"{100 * r.acceptability_low:.0f}-{100 * r.acceptability_high:.0f}%", "yes" if r.base_pilot else "",
                 f"{r.mean_year:.2f}"] for r in border.itertuples()]
        lines += ["  " + line.rstrip() for line in
                  text_table(["unit", "name", "region", "pilot in", "95% interval", "pilot now", "mean year"], rows, {3, 4, 6})]
    core = result.units[result.units["class"] == CORE]
    lines.append("")
    lines.append(f"Core pilots ({len(core)}): pilot in >= 95% of the samples: " + (", ".join(core["unit_id"]) or "none"))
    lines.append(f"Exterior units ({m('exterior_units')}): pilot in < 5% of the samples")
    lines.append(f"The chosen plan's {m('base_pilots')} pilots: {m('base_pilots_core')} core; "
                 f"{100 * m('share_same_pilot_set_as_base'):.1f}% of the samples choose exactly the same pilots "
                 f"({m('distinct_pilot_sets')} distinct pilot sets)")
    lines.append(f"Units upgraded in the same fiscal year in >= 95% of the samples: {m('units_with_stable_year')} "
                 f"of {m('units')}")
    if out_path is not None:
        lines.append(f"Per-unit table written to {out_path}")
    return "\n".join(lines)
