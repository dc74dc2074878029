"""Writing a plan: the schedule CSV (UTF-8 with BOM, for Excel) and the JSON record.

Every file is written to a temporary file in the target's folder and renamed over the target only
when complete, so an interrupted run never leaves a half-written schedule where a good one was.
"""

from __future__ import annotations

import csv
import io
import json
import math
from pathlib import Path
from typing import Any, TextIO

import pandas as pd

from selector._version import __version__
from selector.atomic import atomic_path
from selector.data.csvfiles import escape_cell
from selector.model.costs import costs_active
from selector.outputs.audit import Overrides, reproduce_command
from selector.plan import Plan


def _format_number(value: float) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    if float(value).is_integer():
        return str(int(value))
    return repr(float(value))


def schedule_csv_text(schedule: pd.DataFrame) -> str:
    """The schedule as CSV text (without BOM): numbers plain, booleans true/false, text escaped."""
    buffer = io.StringIO()
    write_schedule_rows(schedule, buffer)
    return buffer.getvalue()


def write_schedule_rows(schedule: pd.DataFrame, stream: TextIO) -> None:
    """Write the schedule's CSV (the header, then one row at a time, CRLF) to a text stream.

    Row by row, so that writing a schedule of 50,000 units to a file holds one row in memory, not
    the whole text (a StringIO of Thai text takes four bytes a character, then its copy)."""
    writer = csv.writer(stream, lineterminator="\r\n")
    writer.writerow([escape_cell(str(col)) for col in schedule.columns])  # a header is text like any cell
    numeric = {"cost", "pilot_score", "rollout_score"}
    for row in schedule.itertuples(index=False):
        cells = []
        for col, value in zip(schedule.columns, row):
            if col == "fiscal_year":
                cells.append("" if pd.isna(value) else str(int(value)))
            elif col == "pilot":
                cells.append("true" if value else "false")
            elif col in numeric:
                cells.append(_format_number(value))
            else:
                cells.append(escape_cell("" if value is None or (isinstance(value, float) and math.isnan(value)) else str(value)))
        writer.writerow(cells)


def write_schedule_csv(plan: Plan, target: str | Path) -> None:
    """Write the schedule, UTF-8 with a BOM so that Excel shows Thai, CRLF line ends; streamed row by row
    into the temporary file, which replaces ``target`` when complete."""
    if plan.schedule is None:
        raise ValueError("the plan has no schedule to write")
    with atomic_path(target) as tmp, open(tmp, "w", encoding="utf-8", newline="") as f:
        f.write("\ufeff")
        write_schedule_rows(plan.schedule, f)


def _settings_in_force(plan: Plan) -> dict[str, Any]:
    """The scenario's settings as the plan used them: the pilot limit resolved, the solver options as run."""
    sc = plan.scenario
    settings = sc.settings.to_dict()
    settings["pilots"] = {**settings["pilots"], "max": sc.pilots_max}
    if plan.options is not None:
        settings["solver"] = {"name": plan.options.solver, "time_limit": plan.options.time_limit, "gap": plan.options.gap}
    return settings


def plan_record(plan: Plan, elapsed: float | None = None, overrides: Overrides | None = None) -> dict[str, Any]:
    """Everything about a plan as plain data, for ``--json`` and for audit.

    ``overrides`` are the command-line choices that shaped it: recorded under ``overrides`` and
    included in ``reproduce``, the shell line that solves the same plan again.
    """
    sc = plan.scenario
    record: dict[str, Any] = {
        "selector_version": __version__,
        "status": plan.status,
        "proven_optimal": plan.proven_optimal,
        "objective": plan.objective,
        "bound": plan.bound,
        "gap": plan.gap,
        "solver": {"name": plan.solver, "version": plan.solver_version},
        "options": plan.options.as_dict() if plan.options is not None else None,
        "seconds": {"build": round(plan.build_seconds, 3), "solve": round(plan.solve_seconds, 3),
                    "elapsed": round(elapsed, 3) if elapsed is not None else None},
        "inputs": {
            "units_csv": {"path": Path(sc.csv_path).name if sc.csv_path else None, "sha256": sc.csv_sha256},
            "settings_toml": {"path": Path(sc.settings_path).name if sc.settings_path else None,
                              "sha256": sc.settings_sha256},
        },
        "settings": _settings_in_force(plan),
        "overrides": (overrides or Overrides()).as_dict(),
        "reproduce": reproduce_command(sc, overrides),
        "reasons": list(plan.reasons),
        "diagnosis": [f.to_dict() for f in plan.diagnosis],
    }
    if plan.schedule is not None:
        record["years"] = [
            {k: (v.item() if hasattr(v, "item") else v) for k, v in row.items()}
            for row in plan.by_year.to_dict(orient="records")
        ]
        units = []
        for row in plan.schedule.to_dict(orient="records"):
            clean = {}
            for k, v in row.items():
                if k == "fiscal_year":
                    v = None if pd.isna(v) else int(v)
                elif hasattr(v, "item"):
                    v = v.item()
                clean[k] = v
            units.append(clean)
        record["units"] = units
        record["unscheduled"] = plan.unscheduled
        record["extra_budget"] = {str(y): v for y, v in sorted(plan.extra_budget.items())}
        record["balance"] = _records(plan.balance)
        if plan.scenario.settings.funds:
            record["funds"] = _records(plan.by_fund)
        if costs_active(plan.scenario):  # docs/costs.md: spending by year and category, commitments
            record["spending"] = _records(plan.spending)
            record["commitments"] = [{"start_year": int(start), **{str(y): float(v) for y, v in row.items()}}
                                     for start, row in plan.commitments.iterrows()]
            if plan.category_marginal:
                record["category_marginal"] = [{"category": c, "fiscal_year": y, "value_per_million": v}
                                               for (c, y), v in sorted(plan.category_marginal.items())]
    return record


def _records(table: pd.DataFrame) -> list[dict[str, Any]]:
    """A table as JSON-ready rows: numpy scalars as Python numbers, NaN and infinity as null."""
    return [{k: (None if isinstance(v, float) and not math.isfinite(v) else v.item() if hasattr(v, "item") else v)
             for k, v in row.items()} for row in table.to_dict(orient="records")]


def write_json(plan: Plan, target: str | Path, elapsed: float | None = None, overrides: Overrides | None = None) -> None:
    """Write ``plan_record`` as indented JSON (UTF-8), streamed piece by piece into the temporary file:
    the same bytes as ``json.dumps(record, ensure_ascii=False, indent=2) + "\\n"`` without the whole
    text in memory (at 50,000 units it is about 100 MB, four bytes a character as a Python string)."""
    record = plan_record(plan, elapsed, overrides)
    encoder = json.JSONEncoder(ensure_ascii=False, indent=2, allow_nan=False)
    with atomic_path(target) as tmp, open(tmp, "w", encoding="utf-8", newline="") as f:
        for piece in encoder.iterencode(record):
            f.write(piece)
        f.write("\n")


def frontier_csv_text(table: pd.DataFrame) -> str:
    """The frontier as CSV text (CRLF, no BOM): step, budgets, objective, bound, gap, status, units by year."""

    years = [c[len("budget_"):] for c in table.columns if c.startswith("budget_")]
    columns = (["step", "total_budget"] + [f"budget_{y}" for y in years] + ["objective", "bound", "gap", "status"]
               + [f"units_by_{y}" for y in years])
    lines = [",".join(columns)]
    for record in table.to_dict(orient="records"):
        lines.append(",".join(record[c] if isinstance(record[c], str) else _format_number(record[c]) for c in columns))
    return "\r\n".join(lines) + "\r\n"


def alternatives_csv_text(table: pd.DataFrame, cost: pd.DataFrame, units: pd.DataFrame) -> str:
    """The alternatives' comparison as CSV text (CRLF, no BOM): one row per plan (``Alternatives.table``),
    then its cost and units per fiscal year (``cost``, ``units``: years as rows, plans as columns)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    years = list(cost.index)
    writer.writerow(list(table.columns) + [f"cost_FY{y}" for y in years] + [f"units_FY{y}" for y in years])
    for record in table.to_dict(orient="records"):
        cells = [escape_cell(value) if isinstance(value, str) else _format_number(value) for value in record.values()]
        cells += [_format_number(float(cost.at[y, record["plan"]])) for y in years]
        cells += [_format_number(float(units.at[y, record["plan"]])) for y in years]
        writer.writerow(cells)
    return buffer.getvalue()
