"""The plan as language-ready tables shared by the workbook and the HTML report.

``plan_tables`` turns a ``Plan`` into the summary by fiscal year, the units of each year, the
pilots with the reasons they were chosen and the assumptions. Cells are typed: numbers stay
numbers and carry a number format (Excel's syntax, also used to format the report).
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from selector._version import __version__
from selector.data.csvfiles import parse_number
from selector.data.scenario import Scenario
from selector.data.settings import normalised_weights
from selector.fields import CRITERIA
from selector.model.costs import costs_active
from selector.model.scoring import score_units
from selector.outputs.audit import Overrides, reproduce_command
from selector.outputs.words import (
    CRITERION_TEXT,
    LANGUAGES,
    OBJECTIVE_TEXT,
    RULE_NAMES_TH,
    SPENDING_TEXT,
    TEXT,
    date_text,
    fiscal_period,
    phase_text,
    plan_date,
)
from selector.plan import Plan

BAHT = "#,##0"
COUNT = "#,##0"
PERCENT = "0.0%"
SCORE = "0.0000"
WEIGHT = "0.0000"
YEAR = "0"
PRECISE_PERCENT = "0.0000%"
OBJECTIVE = "0.000000"


@dataclass(frozen=True)
class Column:
    """One column of a table: its header and the number format of its cells (None for text)."""

    key: str
    header: str
    number_format: str | None = None


@dataclass
class Table:
    """A table ready to lay out: typed cells (numbers stay numbers), an optional totals row."""

    name: str
    columns: list[Column]
    rows: list[list[Any]]
    total: list[Any] | None = None
    notes: list[str] = field(default_factory=list)
    value_formats: list[str | None] | None = None  # per-row number format of column 2 (key-value tables)
    row_formats: list[str | None] | None = None  # per-row number format of every column but the first

    def cell_format(self, i: int, j: int) -> str | None:
        """The number format of body row ``i`` (the totals row after the rows), column ``j``."""
        if self.value_formats is not None and j == 1 and i < len(self.value_formats):
            return self.value_formats[i]
        if self.row_formats is not None and j > 0 and i < len(self.row_formats):
            return self.row_formats[i]
        return self.columns[j].number_format


@dataclass
class PlanTables:
    summary: Table
    years: list[tuple[int, Table]]
    pilots: Table
    assumptions: Table
    lang: str
    date: dt.date
    moves: Table | None = None  # a re-plan's moves (see Provenance)
    cover: Table | None = None  # what a committee reads first (the workbook's first sheet)
    heading: Heading | None = None


@dataclass(frozen=True)
class Words:
    """A value of a Provenance row given as a TEXT key, shown in the table's language."""

    key: str


@dataclass(frozen=True)
class Provenance:
    """How a plan that ``selector solve`` did not make was made, for its workbook and report.

    ``command`` reproduces it; ``rules`` is the scenario whose rules and limits the Assumptions list
    (for a re-plan: the planner's scenario with its new budgets, not the internal one that freezes
    the past years); ``rows`` are (TEXT key, value, number format) facts added to the Assumptions;
    ``moves`` (columns of ``selector.workflows.replan.MOVE_COLUMNS``) become a sheet of their own;
    ``overrides`` are the command-line choices that shaped the plan, each listed as a row.
    ``selector.outputs.replan.provenance`` makes one for a re-plan, ``solved`` for a solve.
    """

    command: str
    rules: Scenario | None = None
    rows: tuple[tuple[str, Any, str | None], ...] = ()
    moves: pd.DataFrame | None = None
    overrides: Overrides | None = None


def solved(scenario: Scenario, overrides: Overrides | None) -> Provenance:
    """The provenance of a ``selector solve`` run: its overrides and the command that reproduces it."""
    return Provenance(reproduce_command(scenario, overrides), overrides=overrides)


@dataclass(frozen=True)
class Heading:
    """What the plan is called and by whom: ``[report]`` title, department and prepared_by (or the generic title)."""

    title: str
    department: str | None = None
    prepared_by: str | None = None


def heading(plan: Plan, lang: str) -> Heading:
    """The plan's title (``[report] title`` or ``--title``, else the generic one in ``lang``), department and preparer."""
    info = plan.scenario.settings.report
    return Heading(info.title or TEXT[lang]["title"], info.department, info.prepared_by)


def display_value(units: pd.DataFrame, column: str, value: str, lang: str) -> str:
    """A value of ``column`` for the reader: in Thai, the ``<column>_th`` pass-through column when present."""
    if lang == "th" and f"{column}_th" in units.columns:
        match = units.loc[units[column].astype(str) == value, f"{column}_th"]
        if len(match) and str(match.iloc[0]):
            return str(match.iloc[0])
    return value


def _numeric_columns(frame: pd.DataFrame, columns: tuple[str, ...]) -> dict[str, str]:
    """Pass-through columns whose every value is a number (and none a code with a leading zero): their format."""
    formats = {}
    for col in columns:
        values = [str(v) for v in frame[col] if str(v).strip() != ""]
        if not values or any(v.strip().startswith("0") and len(v.strip()) > 1 and v.strip()[1].isdigit() for v in values):
            continue
        parsed = [parse_number(v)[0] for v in values]
        if all(p is not None for p in parsed):
            formats[col] = COUNT if all(float(p).is_integer() for p in parsed) else "General"
    return formats


def _cell(value: Any, number_format: str | None) -> Any:
    if number_format is None:
        return "" if value is None or (isinstance(value, float) and math.isnan(value)) else str(value)
    if isinstance(value, str):
        return parse_number(value)[0] if value.strip() else None
    if value is None or pd.isna(value):
        return None
    return value.item() if hasattr(value, "item") else value


def summary_table(plan: Plan, lang: str) -> Table:
    t = TEXT[lang]
    columns = [
        Column("year", t["col_year"]), Column("period", t["col_period"]), Column("phase", t["col_phase"]),
        Column("units", t["col_units"], COUNT), Column("pilots", t["col_pilots"], COUNT),
        Column("cost", t["col_cost"], BAHT), Column("cumulative", t["col_cumulative"], COUNT),
        Column("coverage", t["col_coverage"], PERCENT), Column("budget", t["col_budget"], BAHT),
        Column("used", t["col_used"], PERCENT),
    ]
    by_year = plan.by_year
    rows = [[t["year_label"].format(year=r.fiscal_year), fiscal_period(r.fiscal_year, lang), phase_text(r.phase, lang),
             int(r.units), int(r.pilots), float(r.cost), int(r.cumulative_units), float(r.coverage), float(r.budget),
             float(r.budget_used)] for r in by_year.itertuples()]
    cost, budget = float(by_year["cost"].sum()), float(by_year["budget"].sum())
    last = by_year.iloc[-1]
    total = [t["total"], "", "", int(by_year["units"].sum()), int(by_year["pilots"].sum()), cost,
             int(last["cumulative_units"]), float(last["coverage"]), budget, cost / budget if budget > 0 else None]
    done = int(plan.scenario.units["done"].sum())
    notes = [t["done_note"].format(n=done)] if done else []
    return Table(t["sheet_summary"], columns, rows, total, notes)


def _unit_columns(plan: Plan, lang: str) -> tuple[list[Column], list[str]]:
    t = TEXT[lang]
    extras = tuple(plan.scenario.extra_columns)
    formats = _numeric_columns(plan.scenario.units, extras)
    columns = [Column("unit_id", t["col_unit_id"]), Column("name", t["col_name"]), Column("region", t["col_region"])]
    columns += [Column(c, c, formats.get(c)) for c in extras]
    return columns, list(extras)


def year_tables(plan: Plan, lang: str) -> list[tuple[int, Table]]:
    """One table per fiscal year: its units with phase, pilot flag, cost and scores; total cost below."""
    t = TEXT[lang]
    base, extras = _unit_columns(plan, lang)
    columns = base + [
        Column("phase", t["col_phase"]), Column("pilot", t["col_pilot"]),
        Column("cost", t["col_unit_cost"], BAHT), Column("pilot_score", t["col_pilot_score"], SCORE),
        Column("rollout_score", t["col_rollout_score"], SCORE),
    ]
    sched = plan.schedule
    out = []
    for year in plan.scenario.settings.years:
        part = sched[sched["fiscal_year"] == year]
        rows = []
        for r in part.to_dict(orient="records"):
            cells = [r["unit_id"], r["name"], r["region"]] + [r[c] for c in extras]
            cells += [phase_text(r["phase"], lang), t["yes"] if r["pilot"] else t["no"], r["cost"],
                      r["pilot_score"], r["rollout_score"]]
            rows.append([_cell(v, col.number_format) for v, col in zip(cells, columns)])
        total = [t["total"]] + [""] * (len(columns) - 4) + [float(part["cost"].sum()), None, None]
        out.append((year, Table(t["sheet_year"].format(year=year), columns, rows, total)))
    return out


def pilot_reasons(plan: Plan, lang: str) -> dict[str, tuple[int, int, str]]:
    """Each pilot's (rank on pilot suitability, units ranked, reason in words).

    The rank is among every unit to schedule (1 = most suitable, ties share the better rank). The
    reason names the rank, a ``pilot = must`` mark, and each cover rule the pilot serves: the
    only pilot of its region makes that rule hold.
    """
    t = TEXT[lang]
    sc = plan.scenario
    todo = sc.to_schedule
    scores = score_units(todo, sc.settings)["pilot_score"].round(9)
    ranks = scores.rank(ascending=False, method="min").astype(int)
    pilots = plan.pilots
    out = {}
    for r in pilots.to_dict(orient="records"):
        uid = r["unit_id"]
        unit = todo[todo["unit_id"] == uid].iloc[0]
        parts = [t["reason_rank"].format(rank=int(ranks[uid]), n=len(todo))]
        if unit["pilot"] == "must":
            parts.append(t["reason_must"])
        for col in sc.settings.cover:
            value = str(unit[col])
            peers = int((pilots["unit_id"].map(todo.set_index("unit_id")[col].astype(str)) == value).sum())
            label = t["col_region"] if col == "region" and lang == "th" else col
            shown = display_value(todo, col, value, lang)
            group = shown if shown.startswith(label) else f"{label} {shown}"  # ภาคใต้, not ภาค ภาคใต้
            key = "reason_only" if peers == 1 else "reason_one_of"
            parts.append(t[key].format(group=group, k=peers))
        out[uid] = (int(ranks[uid]), len(todo), "; ".join(parts))
    return out


def pilots_table(plan: Plan, lang: str) -> Table:
    t = TEXT[lang]
    base, extras = _unit_columns(plan, lang)
    lo, hi = plan.scenario.settings.scale
    columns = base + [Column(c, CRITERION_TEXT[lang][c], "General") for c in CRITERIA] + [
        Column("pilot_score", t["col_pilot_score"], SCORE), Column("rank", t["col_rank"], COUNT),
        Column("reason", t["col_reason"]),
    ]
    units = plan.scenario.units.set_index("unit_id")
    reasons = pilot_reasons(plan, lang)
    rows = []
    for r in plan.pilots.to_dict(orient="records"):
        uid = r["unit_id"]
        rank, _, reason = reasons[uid]
        cells = [uid, r["name"], r["region"]] + [r[c] for c in extras]
        cells += [units.at[uid, c] for c in CRITERIA] + [r["pilot_score"], rank, reason]
        rows.append([_cell(v, col.number_format) for v, col in zip(cells, columns)])
    rows.sort(key=lambda row: (row[-2], row[0]))
    return Table(t["sheet_pilots"], columns, rows)


def cover_table(plan: Plan, lang: str, day: dt.date) -> Table:
    """The cover: department, preparer, date, fiscal years, total budget and cost, units and pilots per
    year, the status and the proven gap, as (item, value) rows."""
    t = TEXT[lang]
    s = plan.scenario.settings
    head = heading(plan, lang)
    by_year = plan.by_year
    rows: list[list[Any]] = []
    formats: list[str | None] = []

    def add(label: str, value: Any, fmt: str | None = None) -> None:
        rows.append([label, value])
        formats.append(fmt)

    if head.department:
        add(t["c_department"], head.department)
    if head.prepared_by:
        add(t["c_prepared_by"], head.prepared_by)
    add(t["c_date"], date_text(day, lang))
    add(t["c_years"], t["c_years_value"].format(first=s.first_year, last=s.last_year, n=len(s.years)))
    add(t["c_total_budget"], float(by_year["budget"].sum()), BAHT)
    add(t["c_total_cost"], float(by_year["cost"].sum()), BAHT)
    for r in by_year.itertuples():
        add(f"{t['c_units']}, {t['year_label'].format(year=r.fiscal_year)}", int(r.units), COUNT)
    add(t["c_pilots"], f"{len(plan.pilots)}: {', '.join(plan.pilots['unit_id'])}")
    add(t["c_status"], t.get(f"status_{plan.status}", plan.status))
    add(t["c_gap"], plan.gap if plan.gap is not None else t["none"], PRECISE_PERCENT if plan.gap is not None else None)
    return Table(t["sheet_cover"], [Column("item", t["col_item"]), Column("value", t["col_value"])], rows,
                 value_formats=formats)


def _ids(units: list[str]) -> str:
    return ", ".join(units)


def assumptions_table(plan: Plan, lang: str, day: dt.date, provenance: Provenance | None = None) -> Table:
    """Everything an auditor needs to reproduce the plan: inputs and their SHA-256, rules, solver, result."""
    t = TEXT[lang]
    sc = provenance.rules if provenance is not None and provenance.rules is not None else plan.scenario
    s = sc.settings
    none = t["none"]
    rows: list[list[Any]] = []

    def add(key: str, value: Any, fmt: str | None = None, **names: Any) -> None:
        rows.append([t[key].format(**names) if names else t[key], value, fmt])

    add("a_csv", Path(sc.csv_path).name if sc.csv_path else "")
    add("a_csv_sha", sc.csv_sha256 or "")
    add("a_toml", Path(sc.settings_path).name if sc.settings_sha256 else t["a_no_toml"])
    add("a_toml_sha", sc.settings_sha256 or t["a_no_toml"])
    add("a_first", s.first_year, YEAR)
    add("a_last", s.last_year, YEAR)
    for year in s.years:
        add("a_budget", float(s.budget[year]), BAHT, year=year)
    add("a_pilots_min", s.pilots_min, COUNT)
    add("a_pilots_max", sc.pilots_max, COUNT)
    add("a_risk", s.max_mean_risk if s.max_mean_risk is not None else none, "General" if s.max_mean_risk is not None else None)
    add("a_cover", ", ".join(s.cover) or none)
    add("a_capacity", s.max_units_per_year if s.max_units_per_year is not None else none,
        COUNT if s.max_units_per_year is not None else None)
    add("a_scale", f"{s.scale[0]:g} – {s.scale[1]:g}")
    add("a_cost_type", ", ".join(CRITERION_TEXT[lang][c] for c in s.cost_type) or none)
    for kind, weights in (("a_w_pilot", s.pilot_weights), ("a_w_rollout", s.rollout_weights)):
        for criterion, w in normalised_weights(weights).items():
            if w > 0:
                add(kind, w, WEIGHT, criterion=CRITERION_TEXT[lang][criterion])
    add("a_emphasis", s.pilot_emphasis, "General")
    lam = s.pilot_emphasis * (s.last_year - s.first_year + 1)
    add("a_objective_rule", OBJECTIVE_TEXT.format(lam=lam))
    for name, text in rules_in_force(sc, lang):
        add("a_rule", text, None, name=f"{RULE_NAMES_TH[name]} ({name})" if lang == "th" else name)
    add("a_solver", f"{plan.solver} {plan.solver_version}".strip() or none)
    used = plan.options  # what the solve ran with (overrides included); None for a checked schedule
    add("a_time_limit", used.time_limit if used else none, "General" if used else None)
    add("a_gap_setting", used.gap if used else none, PRECISE_PERCENT if used else None)
    if used:
        add("a_threads", used.threads, COUNT)
        add("a_seed", used.seed, COUNT)
    add("a_status", t.get(f"status_{plan.status}", plan.status))
    add("a_objective", plan.objective, OBJECTIVE)
    add("a_bound", plan.bound if plan.bound is not None else none, OBJECTIVE if plan.bound is not None else None)
    add("a_gap", plan.gap if plan.gap is not None else none, PRECISE_PERCENT if plan.gap is not None else None)
    for key, value, number_format in (provenance.rows if provenance is not None else ()):
        add(key, t[value.key] if isinstance(value, Words) else value, number_format)
    overrides = provenance.overrides if provenance is not None else None
    given = overrides.options() if overrides is not None else []
    if overrides is not None and overrides.settings is not None:
        given.insert(0, ("--settings", overrides.settings))
    for option, value in given:
        add("a_override", value, None, option=option)
    if overrides is not None and not given:
        add("a_no_override", none)
    add("a_date", date_text(day, lang))
    add("a_version", __version__)
    add("a_reproduce", provenance.command if provenance is not None else reproduce_command(sc))
    columns = [Column("item", t["col_item"]), Column("value", t["col_value"])]
    return Table(t["sheet_assumptions"], columns, [r[:2] for r in rows], value_formats=[r[2] for r in rows])


def rules_in_force(scenario: Scenario, lang: str) -> list[tuple[str, str]]:
    """(family, rule in words) for every constraint family that applies to this scenario."""
    t = TEXT[lang]
    s = scenario.settings
    units = scenario.units
    todo = scenario.to_schedule
    rules = [
        ("coverage", t["rule_coverage"].format(last=s.last_year)),
        ("pilot year", t["rule_pilot_year"].format(first=s.first_year)),
        ("budget", t["rule_budget"]),
        ("pilot count", t["rule_pilot_count"].format(min=s.pilots_min, max=scenario.pilots_max)),
    ]
    if s.cover:
        rules.append(("cover", t["rule_cover"].format(columns=", ".join(s.cover))))
    if s.max_mean_risk is not None:
        rules.append(("pilot risk", t["rule_risk"].format(value=f"{s.max_mean_risk:g}")))
    if s.max_units_per_year is not None:
        rules.append(("capacity", t["rule_capacity"].format(value=s.max_units_per_year)))
    for word in ("must", "never"):
        ids = list(todo.loc[todo["pilot"] == word, "unit_id"])
        if ids:
            rules.append((word, t[f"rule_{word}"].format(units=_ids(ids))))
    window = []
    for r in todo.itertuples():
        if not (pd.isna(r.earliest_year) and pd.isna(r.latest_year)):
            lo = "" if pd.isna(r.earliest_year) else str(int(r.earliest_year))
            hi = "" if pd.isna(r.latest_year) else str(int(r.latest_year))
            window.append(f"{r.unit_id} ({lo}–{hi})")
    if window:
        rules.append(("window", t["rule_window"].format(units=_ids(window))))
    after = [t["after_pair"].format(unit=r.unit_id, before=r.after) for r in todo.itertuples() if r.after]
    if after:
        rules.append(("after", t["rule_after"].format(units=_ids(after))))
    done = list(units.loc[units["done"], "unit_id"])
    if done:
        rules.append(("done", t["rule_done"].format(units=_ids(done))))
    return rules


def moves_table(moves: pd.DataFrame, lang: str) -> Table:
    """A re-plan's moves: unit, name, baseline year, new year, years moved and the reason, in ``lang``."""
    t = TEXT[lang]
    columns = [Column("unit_id", t["col_unit_id"]), Column("name", t["col_name"]),
               Column("baseline_year", t["col_baseline_year"], YEAR), Column("new_year", t["col_new_year"], YEAR),
               Column("years_moved", t["col_years_moved"], YEAR), Column("reason", t["col_move_reason"])]

    def number(value: Any) -> int | None:
        return None if value is None or pd.isna(value) else int(value)

    rows = [[str(r.unit_id), "" if pd.isna(r.name) else str(r.name), number(r.baseline_year), number(r.new_year),
             number(r.years_moved), t.get(f"reason_{r.reason}", str(r.reason))] for r in moves.itertuples(index=False)]
    return Table(t["sheet_moves"], columns, rows, notes=[] if rows else [t["no_moves"]])


def spending_tables(plan: Plan, lang: str) -> list[Table]:
    """The spending sheets (docs/costs.md): per fiscal year what the units started that year spend,
    the commitments carried from earlier years, running costs, each category against its ceiling and
    the total against the budget; then the commitments of each start year in each fiscal year.
    Empty when no cost rule applies (the workbook is then as before)."""
    if plan.schedule is None or not costs_active(plan.scenario):
        return []
    t, w = TEXT[lang], SPENDING_TEXT[lang]
    s = plan.scenario.settings
    last = s.last_year
    names = [c.name for c in s.categories]
    shown = {n: w.get(f"category_{n}", n) for n in names}
    columns = [Column("year", t["col_year"]), Column("started", w["col_started"], BAHT),
               Column("carried", w["col_carried"], BAHT), Column("running", w["col_running"], BAHT)]
    for n in names:
        columns += [Column(n, w["col_category"].format(name=shown[n]), BAHT),
                    Column(f"{n}_ceiling", w["col_ceiling"].format(name=shown[n]), BAHT)]
    columns += [Column("total", w["col_total_spending"], BAHT), Column("budget", t["col_budget"], BAHT),
                Column("used", t["col_used"], PERCENT)]
    rows = []
    for r in plan.spending.to_dict(orient="records"):
        year = int(r["fiscal_year"])
        after = year > last
        if after and r["total"] == 0:
            continue
        limit = s.budget_after if after else float(s.budget[year])
        cells = [w["after_label"].format(year=last) if after else t["year_label"].format(year=year),
                 float(r["started"]), float(r["carried"]), float(r["running"])]
        for c in s.categories:
            cells += [float(r[c.name]), None if after else float(c.amounts[year])]
        used = float(r["total"]) / limit if limit else None
        rows.append(cells + [float(r["total"]), limit, used])
    spending = Table(w["sheet_spending"], columns, rows, notes=[w["spending_note"]])
    matrix = plan.commitments
    columns = [Column("start", w["col_start_year"])] + [
        Column(str(y), (w["col_spent_after"] if y > last else w["col_spent_in"]).format(year=min(y, last)), BAHT)
        for y in matrix.columns]
    rows = [[t["year_label"].format(year=start)] + [float(v) for v in matrix.loc[start]] for start in matrix.index]
    total = [t["total"]] + [float(v) for v in matrix.sum()]
    return [spending, Table(w["sheet_commitments"], columns, rows, total, notes=[w["commitments_note"]])]


def plan_tables(plan: Plan, lang: str = "th", day: dt.date | None = None,
                provenance: Provenance | None = None) -> PlanTables:
    """Every table of the submission, in ``lang`` ("th" or "en"); ``provenance`` for a plan not made by
    ``selector solve`` (a re-plan)."""
    if lang not in LANGUAGES:
        raise ValueError(f"lang must be one of {LANGUAGES}")
    if plan.schedule is None:
        raise ValueError("the plan has no schedule to export")
    day = day or plan.scenario.settings.report.date or plan_date()
    moves = (moves_table(provenance.moves, lang)
             if provenance is not None and provenance.moves is not None else None)
    return PlanTables(summary_table(plan, lang), year_tables(plan, lang), pilots_table(plan, lang),
                      assumptions_table(plan, lang, day, provenance), lang, day, moves, cover_table(plan, lang, day),
                      heading(plan, lang))


_FORMATTERS = {
    BAHT: lambda v: f"{v:,.0f}", COUNT: lambda v: f"{v:,.0f}", PERCENT: lambda v: f"{100 * v:.1f}%",
    PRECISE_PERCENT: lambda v: f"{100 * v:.4f}%", SCORE: lambda v: f"{v:.4f}", WEIGHT: lambda v: f"{v:.4f}",
    OBJECTIVE: lambda v: f"{v:.6f}", YEAR: lambda v: f"{int(v)}",
}


def format_value(value: Any, number_format: str | None) -> str:
    """A cell as the workbook's number format would show it."""
    if value is None:
        return ""
    if isinstance(value, str) or number_format is None:
        return str(value)
    return _FORMATTERS.get(number_format, lambda v: f"{v:g}")(value)
