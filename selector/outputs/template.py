"""A workbook to fill in: the units sheet with Thai (or English) headers, drop-downs and checks,
the rules sheet pre-filled with the defaults, instructions and an example row.

``selector solve`` reads the filled workbook as it is (``selector.data.workbook``): the headers are
the data dictionary's Thai labels (or names), the rules sheet's keys are the TOML's. Given a
scenario, the template holds its units and rules, and reading it back gives the same scenario.
Every text a planner reads in it comes from the message catalogue, in the template's language.
"""

from __future__ import annotations

import datetime as dt
import json
import math
from pathlib import Path
from typing import TYPE_CHECKING, Any

from selector.atomic import atomic_path
from selector.data.settings import Settings
from selector.data.workbook import LIST_SETTINGS, RULES_SHEETS, UNITS_SHEETS
from selector.errors import Problem, ScenarioError
from selector.fields import CRITERIA, THAI_LABELS, UNIT_FIELDS
from selector.i18n import N_, _, language

if TYPE_CHECKING:
    from selector.data.scenario import Scenario

CREATED = dt.datetime(2000, 1, 1)
"""The workbook's creation date: fixed, so the same template is the same bytes."""

COLUMN_HELP = {
    "unit_id": N_("Unique id of the unit (letters, digits, - _ .), e.g. DLT-001. Required."),
    "name": N_("Name of the unit. Required."),
    "region": N_("Region of the unit; every region gets at least one pilot unit. Required."),
    "cost": N_("Cost in baht of upgrading the unit, spent in the fiscal year it is upgraded; 0 or more. Required."),
    "pilot": N_("must: the unit is a pilot unit; never: it cannot be one; empty: the optimiser chooses."),
    "earliest_year": N_("Optional: the first fiscal year (B.E.) in which the unit may be upgraded."),
    "latest_year": N_("Optional: the fiscal year (B.E.) by which the unit must be upgraded."),
    "after": N_("Optional: the unit_id of a unit that must be upgraded in an earlier fiscal year."),
    "done": N_("true: the unit already meets the standard and is not scheduled; empty or false otherwise."),
}
CRITERION_HELP = N_("Score of '{criterion}' from {lo} to {hi}; {direction}. Required.")

EXAMPLE = {"unit_id": "DLT-001", "name": "สำนักงานขนส่งจังหวัดตัวอย่าง", "region": "North", "cost": 2_500_000,
           "infrastructure": 4, "staff": 3, "leadership": 4, "importance": 5, "workload": 4, "success": 4, "risk": 2,
           "pilot": "", "earliest_year": None, "latest_year": None, "after": "", "done": ""}


def next_fiscal_year(today: dt.date | None = None) -> int:
    """The coming Thai fiscal year (B.E.): FY Y runs 1 Oct of Y-1 to 30 Sep of Y, so on 1 Dec 2026 it is 2571."""
    today = today or dt.date.today()
    current = today.year + 543 + (1 if today.month >= 10 else 0)
    return current + 1


def _rule_rows(settings: Settings, budgets: bool) -> list[tuple[str, Any, str]]:
    """(key, value, meaning) of the rules sheet: the settings as the TOML's dotted keys."""
    rows: list[tuple[str, Any, str]] = [
        ("horizon.first_year", settings.first_year, _("First fiscal year (B.E.) of the plan: the pilot year.")),
        ("horizon.last_year", settings.last_year, _("Last fiscal year (B.E.): every unit is upgraded by then.")),
    ]
    for year in settings.years:
        amount = settings.budget.get(year) if budgets else None
        rows.append((f"budget.{year}", amount, _("Budget of fiscal year {year} in baht (B.E. {year} = 1 Oct {start} - "
                                                 "30 Sep {end}).", year=year, start=year - 1, end=year)))
    rows += [
        ("pilots.min", settings.pilots_min, _("Least number of pilot units.")),
        ("pilots.max", settings.pilots_max, _("Greatest number of pilot units (empty: one in ten of the units).")),
        ("pilots.max_mean_risk", settings.max_mean_risk, _("Optional: the pilots' mean risk is at most this.")),
        ("pilots.cover", ", ".join(settings.cover), _("Columns whose every value needs a pilot unit, separated by commas.")),
        ("capacity.max_units_per_year", settings.max_units_per_year, _("Optional: most units upgraded in one fiscal year.")),
        ("criteria.scale", json.dumps(list(settings.scale)), _("The scale [lowest, highest] of every score.")),
        ("criteria.cost_type", ", ".join(settings.cost_type), _("Criteria where lower is better, separated by commas.")),
    ]
    for kind, label in (("pilot", _("pilot suitability")), ("rollout", _("rollout priority"))):
        spec = settings.weight_spec(kind).to_toml()
        for key, value in spec.items():
            if isinstance(value, dict):
                rows += [(f"weights.{kind}.{key}.{k}", v, "") for k, v in value.items()]
            else:
                rows.append((f"weights.{kind}.{key}", json.dumps(value, ensure_ascii=False) if isinstance(value, list)
                             else value, _("Weight of '{criterion}' in the {score} score.", criterion=key, score=label)
                             if key in CRITERIA else ""))
    rows += [
        ("objective.pilot_emphasis", settings.pilot_emphasis,
         _("Weight of pilot suitability against rollout priority.")),
        ("solver.name", settings.solver, _("highs or cbc.")),
        ("solver.time_limit", settings.time_limit, _("Seconds the solver may run.")),
        ("solver.gap", settings.gap, _("Relative gap accepted as optimal (0.0001 = 0.01%).")),
    ]
    return rows


def _extra_rule_rows(settings: Settings) -> list[tuple[str, Any, str]]:
    """The planning rules a scenario may add ([pilots.balance], [capacity.by], [fairness]...), as dotted keys."""
    rows = []
    layout = settings.to_dict()
    plain = {"horizon", "plan", "budget", "criteria", "weights", "objective", "solver", "funds"}

    def walk(prefix: str, value: Any) -> None:
        if isinstance(value, dict):
            for k, v in value.items():
                walk(f"{prefix}.{k}", v)
        elif value is not None and value != [] and value != {}:
            text = ", ".join(value) if prefix in LIST_SETTINGS else json.dumps(value) if isinstance(value, list) else value
            rows.append((prefix, text, ""))

    for section, table in layout.items():
        if section in plain:
            continue
        for key, value in (table.items() if isinstance(table, dict) else []):
            if section == "pilots" and key in ("min", "max", "max_mean_risk", "cover"):
                continue
            if section == "capacity" and key == "max_units_per_year":
                continue
            walk(f"{section}.{key}", value)
    if settings.coverage != "all":
        rows.append(("plan.coverage", settings.coverage, ""))
    return rows


def _units_rows(scenario: Scenario | None) -> tuple[list[str], list[list[Any]]]:
    """The columns (data dictionary names, then the scenario's passed-through ones) and the rows to write."""
    columns = [f.name for f in UNIT_FIELDS]
    if scenario is None:
        return columns, []
    columns += list(scenario.extra_columns)
    rows = []
    for unit in scenario.units.to_dict(orient="records"):
        row = []
        for column in columns:
            value = unit.get(column)
            if column == "done":
                value = "true" if value else ""
            elif isinstance(value, float) and math.isnan(value):
                value = None
            row.append(value)
        rows.append(row)
    return columns, rows


def write_template(target: str | Path, lang: str = "th", units: int = 20, first_year: int | None = None,
                   years: int = 4, scenario: Scenario | None = None) -> None:
    """Write the workbook to fill in (atomically): units, rules, instructions.

    Without ``scenario`` the units sheet has ``units`` empty rows with drop-downs and checks under its
    headers, and the rules the defaults for ``years`` fiscal years from ``first_year`` (default: the
    coming fiscal year), budgets to fill in. With ``scenario`` it holds that scenario's units (then
    ``units`` more empty rows) and rules: read back, it is the same scenario.
    """
    import xlsxwriter

    if scenario is not None and scenario.settings.funds:
        # A rules sheet holds key/value rows; [[funds]] is a list of tables and would be lost. (Said in the
        # language of the messages, not of the template.)
        raise ScenarioError([Problem(scenario.settings_path or "--from", None, "[[funds]]",
                                     _("the scenario's [[funds]] cannot be written in a rules sheet"),
                                     _("keep the settings TOML beside the workbook (it is read instead of the "
                                       "rules sheet), or write the template without --from"))])
    with language(lang):
        if scenario is not None:
            settings = scenario.settings
        else:
            first = first_year or next_fiscal_year()
            settings = Settings(first_year=first, last_year=first + years - 1)
        columns, rows = _units_rows(scenario)
        rule_rows = _rule_rows(settings, budgets=scenario is not None)
        if scenario is not None:
            rule_rows += _extra_rule_rows(settings)
        with atomic_path(target) as tmp:
            book = xlsxwriter.Workbook(str(tmp), {"strings_to_formulas": False, "strings_to_urls": False,
                                                  "strings_to_numbers": False})
            book.set_properties({"title": _("Pilot selection and rollout: scenario to fill in"), "author": "selector",
                                 "created": CREATED})
            font = {"font_name": "Tahoma", "font_size": 10}
            formats = {
                "header": book.add_format({**font, "bold": True, "bg_color": "#DDEBF7", "border": 1, "text_wrap": True,
                                           "valign": "top"}),
                "text": book.add_format({**font}),
                "number": book.add_format({**font, "num_format": "#,##0.####"}),
                "baht": book.add_format({**font, "num_format": "#,##0"}),
                "title": book.add_format({**font, "bold": True, "font_size": 12}),
                "example": book.add_format({**font, "italic": True, "font_color": "#595959"}),
            }
            units_sheet = book.add_worksheet(UNITS_SHEETS[1] if lang == "th" else UNITS_SHEETS[0])
            rules_sheet = book.add_worksheet(RULES_SHEETS[1] if lang == "th" else RULES_SHEETS[0])
            help_sheet = book.add_worksheet(_("instructions"))
            last_row = len(rows) + units
            _write_units(units_sheet, columns, rows, last_row, settings, lang, formats)
            _write_rules(rules_sheet, rule_rows, formats)
            _write_instructions(help_sheet, columns, settings, lang, formats)
            units_sheet.activate()
            book.close()


def header_of(column: str, lang: str) -> str:
    """The header a template writes for a column: its Thai label in Thai, its name in English."""
    return (THAI_LABELS.get(column) or column) if lang == "th" else column


def _column_help(column: str, settings: Settings) -> str:
    lo, hi = settings.scale
    if column in CRITERIA:
        direction = _("lower is better") if column in settings.cost_type else _("higher is better")
        return _(CRITERION_HELP, criterion=column, lo=f"{lo:g}", hi=f"{hi:g}", direction=direction)
    if column in COLUMN_HELP:
        return _(COLUMN_HELP[column])
    return _("A column of the scenario, passed through to the schedule.")


def _write_units(sheet, columns: list[str], rows: list[list[Any]], last_row: int, settings: Settings, lang: str,
                 formats: dict) -> None:
    """Headers with a comment each, the rows, and the checks Excel applies as the planner types."""
    for j, column in enumerate(columns):
        sheet.write_string(0, j, header_of(column, lang), formats["header"])
        sheet.write_comment(0, j, f"{column}: {_column_help(column, settings)}", {"x_scale": 2.2, "y_scale": 1.6})
        sheet.set_column(j, j, 14 if column not in ("name", "unit_id") else 24)
    for i, row in enumerate(rows, start=1):
        for j, value in enumerate(row):
            if value is None or value == "":
                continue
            if isinstance(value, bool):
                sheet.write_string(i, j, "true" if value else "false", formats["text"])
            elif isinstance(value, (int, float)):
                sheet.write_number(i, j, value, formats["baht" if columns[j] == "cost" else "number"])
            else:
                sheet.write_string(i, j, str(value), formats["text"])
    sheet.freeze_panes(1, 0)
    if last_row < 1:
        return
    lo, hi = settings.scale
    first, last = settings.first_year, settings.last_year
    message = {"error_type": "stop", "show_error": True}
    for j, column in enumerate(columns):
        if column in CRITERIA:
            if float(lo).is_integer() and float(hi).is_integer() and hi - lo <= 10:
                rule = {"validate": "list", "source": [str(v) for v in range(int(lo), int(hi) + 1)]}
            else:
                rule = {"validate": "decimal", "criteria": "between", "minimum": lo, "maximum": hi}
            text = _("a score from {lo} to {hi}", lo=f"{lo:g}", hi=f"{hi:g}")
        elif column == "cost":
            rule, text = {"validate": "decimal", "criteria": ">=", "value": 0}, _("an amount of baht, 0 or more")
        elif column == "pilot":
            rule, text = {"validate": "list", "source": ["must", "never"]}, _("must, never or empty")
        elif column in ("earliest_year", "latest_year"):
            rule = {"validate": "integer", "criteria": "between", "minimum": first, "maximum": last}
            text = _("a fiscal year (B.E.) from {first} to {last}", first=first, last=last)
        elif column == "done":
            rule, text = {"validate": "list", "source": ["true", "false"]}, _("true, false or empty")
        else:
            continue
        sheet.data_validation(1, j, last_row, j, {**rule, **message, "ignore_blank": True,
                                                  "input_title": header_of(column, lang)[:32], "input_message": text[:255],
                                                  "error_title": _("Not allowed")[:32],
                                                  "error_message": _("Write {what}.", what=text)[:255]})


def _write_rules(sheet, rows: list[tuple[str, Any, str]], formats: dict) -> None:
    sheet.write_string(0, 0, "key", formats["header"])
    sheet.write_string(0, 1, "value", formats["header"])
    sheet.write_string(0, 2, _("meaning"), formats["header"])
    for i, (key, value, meaning) in enumerate(rows, start=1):
        sheet.write_string(i, 0, key, formats["text"])
        if isinstance(value, bool) or isinstance(value, str):
            sheet.write_string(i, 1, str(value).lower() if isinstance(value, bool) else value, formats["text"])
        elif value is not None:
            sheet.write_number(i, 1, value, formats["baht" if key.startswith("budget.") else "number"])
        if meaning:
            sheet.write_string(i, 2, meaning, formats["text"])
        if key.startswith("budget."):
            sheet.data_validation(i, 1, i, 1, {"validate": "decimal", "criteria": ">=", "value": 0,
                                               "error_message": _("Write {what}.", what=_("an amount of baht, 0 or more"))})
    sheet.set_column(0, 0, 34)
    sheet.set_column(1, 1, 18)
    sheet.set_column(2, 2, 80)
    sheet.freeze_panes(1, 0)


def _write_instructions(sheet, columns: list[str], settings: Settings, lang: str, formats: dict) -> None:
    units_name = UNITS_SHEETS[1] if lang == "th" else UNITS_SHEETS[0]
    rules_name = RULES_SHEETS[1] if lang == "th" else RULES_SHEETS[0]
    lines = [
        _("How to fill in this workbook"),
        "",
        _("1. Sheet '{sheet}': one row per unit, under the headers. Point at a header to read what it holds; "
          "the cells check what you type (scores from the drop-down, years as B.E. fiscal years).", sheet=units_name),
        _("2. Sheet '{sheet}': the rules. Write the budget of every fiscal year in baht (B.E. {first} to {last}); "
          "the other rows hold the defaults and may stay as they are.", sheet=rules_name, first=settings.first_year,
          last=settings.last_year),
        _("3. Fiscal years are Buddhist Era: fiscal year {year} runs from 1 October {start} to 30 September {year}; "
          "B.E. = C.E. + 543.", year=settings.first_year, start=settings.first_year - 1),
        _("4. Save the workbook and run: selector solve FILE.xlsx (add --lang th for messages in Thai). "
          "A message names the sheet and the cell to correct."),
        "",
        _("Example of a filled row:"),
    ]
    for i, line in enumerate(lines):
        sheet.write_string(i, 0, line, formats["title"] if i == 0 else formats["text"])
    start = len(lines)
    for j, column in enumerate(c for c in columns if c in EXAMPLE):
        sheet.write_string(start, j, header_of(column, lang), formats["header"])
        value = EXAMPLE[column]
        if isinstance(value, (int, float)):
            sheet.write_number(start + 1, j, value, formats["example"])
        elif value:
            sheet.write_string(start + 1, j, value, formats["example"])
    sheet.set_column(0, 0, 24)
    sheet.set_column(1, len(EXAMPLE), 14)

