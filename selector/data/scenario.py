"""Load and validate a scenario (units CSV + settings TOML) into one immutable ``Scenario``.

Everything is checked before anything is solved, and every problem is reported at once, each with
the file, the line (CSV header = line 1, first unit = line 2), the column and the fix.
Per-value checks (ranges, uniqueness, allowed words) run through a pandera schema built from the
data dictionary in ``selector.fields``; rules across rows and files are the ``check_*`` functions
of ``selector.data.validate``; reading the files safely is ``selector.data.csvfiles``.
"""

from __future__ import annotations

import csv
import difflib
import io
import math
import os
import re
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, Mapping

import numpy as np
import pandas as pd

from selector.data.csvfiles import (
    decode_text,
    escaped,
    nfc,
    parse_number,
    read_input_bytes,
    sha256_of,
    text_problem,
    visible,
)
from selector.data.settings import (
    Category,
    Locator,
    Settings,
    amount_problem,
    freeze,
    load_settings,
    parse_settings,
    suggest,
)
from selector.data.validate import (
    check_budget_overrides,
    check_pilot_limits,
    check_scenario,
    check_units,
    numeric_column,
)
from selector.data.workbook import UnitsSheet, Workbook, is_workbook, open_workbook, read_rules_sheet, read_units_sheet
from selector.errors import Problem, ScenarioError
from selector.fields import (
    CRITERIA,
    FALSE_WORDS,
    KEY_COLUMNS,
    KNOWN_COLUMNS,
    REQUIRED_COLUMNS,
    TRUE_WORDS,
    column_of_header,
)
from selector.i18n import _


@dataclass(frozen=True)
class Scenario:
    """A validated scenario: one row per unit (sorted by ``unit_id``) and the resolved rules.

    ``units`` has the typed columns of ``selector.fields.UNIT_FIELDS`` plus any pass-through
    columns (kept as text) in their original order. It is never modified: use ``with_`` to derive
    a variant, which is a new Scenario.
    """

    units: pd.DataFrame
    settings: Settings
    csv_path: str | None = None
    settings_path: str | None = None
    csv_sha256: str | None = None
    settings_sha256: str | None = None
    notes: tuple[str, ...] = ()  # what reading the files remarked (a title row skipped...), for the planner

    @property
    def extra_columns(self) -> tuple[str, ...]:
        return tuple(c for c in self.units.columns if c not in KNOWN_COLUMNS)

    @property
    def to_schedule(self) -> pd.DataFrame:
        """The units that still need upgrading (not ``done``)."""
        return self.units[~self.units["done"]]

    @property
    def pilots_max(self) -> int:
        """The pilot limit, resolving the default ceil(10% of the units to schedule)."""
        if self.settings.pilots_max is not None:
            return self.settings.pilots_max
        return max(1, math.ceil(0.1 * len(self.to_schedule)))

    def numeric(self, column: str) -> pd.Series:
        """A column of the units as numbers (pass-through columns are kept as text; validated when named in a rule)."""
        values, _ = numeric_column(self.units, column)
        return values

    def with_settings(self, **changes: Any) -> "Scenario":
        """A variant with some settings replaced (validated like the TOML)."""
        settings = replace(self.settings, **changes)
        problems = check_scenario(self.units, settings, self.csv_path or "<units>", self.settings_path or "<settings>")
        if problems:
            raise ScenarioError(problems)
        return replace(self, settings=settings)

    def with_(self, *, budget: Mapping[int, float] | None = None,
              weights: Mapping[str, Mapping[str, float]] | None = None,
              pilots: tuple[int, int | None] | None = None, **settings: Any) -> "Scenario":
        """A variant of this scenario: a new, validated Scenario (this one is unchanged).

        ``budget`` replaces the given fiscal years' budgets and keeps the others
        (``budget={2556: 104.8e6}``); ``weights`` replaces whole weight sets
        (``weights={"pilot": {"success": 0.5, "risk": 0.5}}``); ``pilots=(min, max)`` sets the pilot
        limits (``max`` None: the default 10%); any other keyword is a ``Settings`` field
        (``pilot_emphasis=2``, ``max_units_per_year=60``, ``time_limit=10``...), the costs of
        docs/costs.md included: ``cost_profile=(0.6, 0.4)``, ``pilot_profile``, ``profiles={"building":
        (0.6, 0.4)}``, ``after_horizon="charge"`` with ``budget_after=40e6``, ``running_category``, and
        ``categories={"investment": {2556: 60e6, 2557: 70e6, "profile": (0.5, 0.5)}}`` (replaces every
        ``[budget.<category>]``; ``budget=`` keeps them). Every value is checked like the TOML, and the
        units against the new settings like the CSV; raises ``ScenarioError`` listing every problem.
        """
        changes = dict(settings)
        if budget is not None:
            changes["budget"] = {**self.settings.budget, **{int(y): v for y, v in budget.items()}}
        for kind, given in (weights or {}).items():
            changes[f"{kind}_weights"] = given
        if pilots is not None:
            changes["pilots_min"], changes["pilots_max"] = pilots
        return self.with_settings(**_validated_changes(self.settings, changes))

    def _repr_html_(self) -> str:
        # Lazy by design: the display layer sits above this one (docs/architecture.md).
        from selector.outputs.display import scenario_html

        return scenario_html(self)

    def __repr__(self) -> str:
        s = self.settings
        return (
            f"Scenario({len(self.units)} units, {len(self.to_schedule)} to schedule, "
            f"FY{s.first_year}-{s.last_year}, budget {sum(s.budget.values()):,.0f} baht, "
            f"pilots {s.pilots_min}-{self.pilots_max})"
        )


# Settings field -> (TOML section, key), so that a variant's values are checked by the TOML's own rules.
_TOML_KEYS = {
    "first_year": ("horizon", "first_year"), "last_year": ("horizon", "last_year"), "budget": ("budget", None),
    "pilots_min": ("pilots", "min"), "pilots_max": ("pilots", "max"), "max_mean_risk": ("pilots", "max_mean_risk"),
    "cover": ("pilots", "cover"), "max_units_per_year": ("capacity", "max_units_per_year"),
    "scale": ("criteria", "scale"), "cost_type": ("criteria", "cost_type"),
    "pilot_weights": ("weights", "pilot"), "rollout_weights": ("weights", "rollout"),
    "pilot_emphasis": ("objective", "pilot_emphasis"), "solver": ("solver", "name"),
    "time_limit": ("solver", "time_limit"), "gap": ("solver", "gap"),
    # the planning rules (a dotted section is a sub-table: [pilots.balance])
    "balance_columns": ("pilots.balance", "columns"), "balance_tolerance": ("pilots.balance", "tolerance"),
    "max_share": ("pilots", "max_share"), "max_units": ("capacity", "max_units"), "capacity_by": ("capacity", "by"),
    "fairness_column": ("fairness", "column"), "fairness_min_per_year": ("fairness", "min_per_year"),
    "fairness_max_completion_gap": ("fairness", "max_completion_gap"),
    "mentors_column": ("mentors", "column"), "mentors_lag": ("mentors", "lag"),
    "mentors_max_mentors": ("mentors", "max_mentors"), "mentor_column": ("mentors", "mentor_column"),
    # costs over fiscal years (docs/costs.md); categories= replaces every [budget.<category>] table
    "cost_profile": ("costs", "profile"), "pilot_profile": ("costs", "pilot_profile"),
    "profiles": ("costs", "profiles"), "after_horizon": ("costs", "after_horizon"),
    "running_category": ("costs", "running_category"), "budget_after": ("budget", "after"),
    "categories": ("budget", None),
}
_VARIANT = "Scenario.with_"


def _validated_changes(current: Settings, changes: Mapping[str, Any]) -> dict[str, Any]:
    """Check a variant's changes by the TOML's rules (``parse_settings``); return them resolved.

    The changed settings are written in the TOML's layout, parsed, and every problem is raised at
    once; unknown keywords get the nearest valid name.
    """

    problems = [Problem(_VARIANT, None, key, _("unknown setting '{key}'", key=key),
                        suggest(key, ["budget", "weights", "pilots", *_TOML_KEYS]))
                for key in changes if key not in _TOML_KEYS]
    if problems:
        raise ScenarioError(problems)
    layout = current.to_dict()
    for key, value in changes.items():
        section, toml_key = _TOML_KEYS[key]
        if key == "budget":  # the years change; [budget] after and the [budget.<category>] tables stay
            layout["budget"] = {**{str(y): v for y, v in value.items()},
                                **{k: v for k, v in layout["budget"].items() if not str(k).isdigit()}}
        elif key == "categories":  # [budget] after and the years stay
            layout["budget"] = {**{k: v for k, v in layout["budget"].items() if not isinstance(v, dict)},
                                **_categories_layout(value)}
        elif key == "profiles":
            layout.setdefault("costs", {})["profiles"] = {str(k): _plain(v) for k, v in dict(value).items()}
        elif section == "weights":
            layout["weights"][toml_key] = dict(value)
        elif key == "max_units":
            layout["capacity"]["max_units"] = {str(y): v for y, v in value.items()}
        elif key == "capacity_by":
            layout["capacity"]["by"] = {col: {"max_per_year": v} for col, v in value.items()}
        else:
            table = layout
            for part in section.split("."):
                table = table.setdefault(part, {})
            table[toml_key] = _plain(value)
    layout = {section: {k: v for k, v in table.items() if v is not None} if isinstance(table, dict) else table
              for section, table in layout.items()}
    parsed, problems = parse_settings(layout, _VARIANT)
    problems += check_pilot_limits(None, parsed, _VARIANT)
    if problems:
        raise ScenarioError(problems)
    return {key: getattr(parsed, key) for key in changes}


def _plain(value: Any) -> Any:
    """A variant's value as the TOML would give it: tuples as lists, mappings as dicts (nested)."""
    if isinstance(value, tuple):
        return [_plain(v) for v in value]
    if isinstance(value, Mapping):
        return {str(k): _plain(v) for k, v in value.items()}
    return value


def _categories_layout(value: Any) -> dict[str, Any]:
    """The [budget.<category>] tables of ``categories=``: a mapping name -> {year: ceiling, "profile": [...]}
    (the TOML's layout), or the ``Category`` objects of a scenario's settings."""
    if isinstance(value, (tuple, list)) and all(isinstance(c, Category) for c in value):
        value = {c.name: {**c.amounts, **({"profile": c.profile} if c.profile else {})} for c in value}
    if not isinstance(value, Mapping):
        return {"categories": value}  # reported by the TOML's rules as a key that is not a fiscal year
    return {str(name): _plain(table) for name, table in value.items()}


def default_settings_path(csv_path: Path) -> Path:
    return csv_path.with_suffix(".toml")


def load(csv_path: str | Path, settings_path: str | Path | None = None, *, encoding: str | None = None,
         sheet: str | None = None, **overrides: Any) -> Scenario:
    """Read, validate and freeze a scenario.

    ``csv_path`` is the units CSV, or an Excel workbook (``.xlsx``, see ``selector.data.workbook``:
    the units sheet is ``sheet``, else ``units``/``หน่วยงาน``, else the first; its rules sheet holds
    the settings when no TOML is beside it). ``settings_path`` defaults to the TOML beside the file
    with the same stem. ``overrides`` replace resolved settings (``budget``, ``pilots_min``,
    ``pilots_max``, ``solver``, ``time_limit``, ``gap``...), as the CLI flags do. ``encoding``
    names the CSV's text encoding (default: UTF-8, or Thai Windows cp874 detected). Raises
    ``ScenarioError`` listing every problem. What was read with a remark (a title row skipped,
    empty columns ignored, a TOML preferred to the rules sheet) is in ``Scenario.notes``.
    """
    csv_path = Path(csv_path)
    toml_path = Path(settings_path) if settings_path is not None else default_settings_path(csv_path)
    csv_name = str(csv_path)
    toml_name = str(toml_path)
    problems: list[Problem] = []
    notes: list[str] = []

    book, rules = None, None
    if is_workbook(csv_path):
        book, book_problems = open_workbook(csv_path, csv_name)
        problems += book_problems
        if book is not None:
            rules, rules_problems = read_rules_sheet(book)
            problems += rules_problems
    settings_missing = False
    if not os.path.lexists(toml_path):  # a broken link or a link loop is reported by load_settings
        if settings_path is not None:
            problems.append(Problem(toml_name, None, None, _("settings file not found"), _("check the --settings path")))
        if rules is not None:
            settings, settings_problems = parse_settings(rules.data, csv_name)
            settings_problems = [rules.locate(p) for p in settings_problems]
            toml_name = csv_name
        else:
            settings, settings_problems = load_settings(None)
            settings_missing = settings_path is None
        toml_sha = None
    else:
        if rules is not None:
            notes.append(_("{toml} beside the workbook is used; the sheet '{sheet}' of {file} is not read",
                           toml=toml_name, sheet=rules.sheet, file=csv_name))
        settings, settings_problems = load_settings(toml_path, toml_name)
        toml_sha = None if settings_problems else sha256_of(toml_path)  # never read a file refused as too big
    problems += settings_problems

    if overrides:
        problems += check_budget_overrides(overrides.get("budget", {}), settings)
        settings = _apply_overrides(settings, overrides)

    if book is not None:
        table, csv_problems, units_sheet = _read_units_sheet(book, sheet)
        notes += book.notes + (units_sheet.notes if units_sheet else [])
    elif is_workbook(csv_path):
        table, csv_problems, units_sheet = None, [], None
    else:
        table, csv_problems = read_units(csv_path, csv_name, encoding, notes=notes)
        units_sheet = None
    problems += csv_problems
    if table is not None:
        if any(p.file == toml_name and p.column is None for p in settings_problems):
            # The TOML could not be read at all: rules across files would be judged on default settings.
            problems += check_units(table, settings, csv_name)
        else:
            found = check_scenario(table, settings, csv_name, toml_name)
            if any((p.column or "").startswith("[horizon]") for p in settings_problems):
                # The horizon is reported wrong: years judged against it would only repeat that.
                found = [p for p in found if p.column not in ("earliest_year", "latest_year", "[budget]")]
            if settings_missing and any(p.column == "[budget]" for p in found):
                # No settings at all: say what is missing once, not every rule it would have set.
                found = [p for p in found if p.column != "[budget]"] + [missing_settings_problem(toml_name, settings)]
            problems += found
    if problems:
        if rules is not None and toml_name == csv_name:
            problems = [rules.locate(p) for p in problems]
        if units_sheet is not None:
            problems = [units_sheet.locate(p) for p in problems]
        raise ScenarioError(_locate_in_toml(problems, toml_path, toml_name))
    return Scenario(
        units=table,
        settings=settings,
        csv_path=csv_name,
        settings_path=toml_name,
        csv_sha256=sha256_of(csv_path),
        settings_sha256=toml_sha,
        notes=tuple(notes),
    )


def missing_settings_problem(toml_name: str, settings: Settings) -> Problem:
    """No settings file beside the units and none given: say that it is missing and what to write in it.

    It stands for the "no budget for fiscal year ..." it would cause (column ``[budget]``, what is missing).
    """
    first, last = settings.first_year, settings.last_year
    return Problem(toml_name, None, "[budget]",
                   _("the settings file does not exist, so no fiscal year has a budget"),
                   _("create {file} beside the units with the horizon and one budget line per fiscal year, e.g. "
                     "[horizon] first_year = {first} and last_year = {last}, then [budget] with {first} = 100_000_000 "
                     "(one line per year); or pass --settings FILE, or --budget {first}=BAHT for every year",
                     file=Path(toml_name).name, first=first, last=last))


def _read_units_sheet(book: Workbook, sheet: str | None) -> tuple[pd.DataFrame | None, list[Problem], UnitsSheet | None]:
    """The units of a workbook's sheet, typed as a CSV's would be; problems located at their cells."""
    units, problems = read_units_sheet(book, sheet)
    if units is None:
        return None, problems, None
    # The same text rules as a CSV's: one spelling (NFC), no control, bidi or (in keys) invisible character.
    header = [nfc(h) for h in units.header]
    body = [(number, [nfc(cell) for cell in row]) for number, row in units.body]
    header_problems = _header_problems(header, units.file, units.header_line)
    text = [p for number, row in body for p in _cell_text_problems(header, row, units.file, number)]
    table, more = (None, []) if header_problems or text else _units_table(header, body, units.file)
    more = text + more
    # A cell refused as a date or an unsaved formula is not also "not a number" or "empty".
    refused = {p.cell for p in problems if p.cell}
    more = [p for p in map(units.locate, more) if p.cell not in refused]
    return table, problems + [units.locate(p) for p in header_problems] + more, units


def _locate_in_toml(problems: list[Problem], toml_path: Path, toml_name: str) -> list[Problem]:
    """Give a line to the settings problems found by the cross-file checks (``[pilots] cover`` -> its line)."""
    unplaced = [p for p in problems if p.file == toml_name and p.line is None and (p.column or "").startswith("[")]
    if not unplaced:
        return problems
    raw, _unread = read_input_bytes(toml_path, toml_name)
    locator = Locator(raw.decode("utf-8-sig", errors="replace") if raw else "")
    placed = []
    for p in problems:
        if p in unplaced:
            section, _sep, key = p.column[1:].partition("]")
            p = replace(p, line=locator.line_of(section, key.strip() or None))
        placed.append(p)
    return placed


def _apply_overrides(settings: Settings, overrides: Mapping[str, Any]) -> Settings:
    changes = dict(overrides)
    if "budget" in changes:
        merged = dict(settings.budget)
        # A bad amount is reported by check_budget_overrides; the valid ones are applied meanwhile.
        merged.update({int(y): float(v) for y, v in changes["budget"].items() if amount_problem(v) is None})
        changes["budget"] = merged
    return freeze(replace(settings, **changes))


def read_units(path: Path, name: str | None = None, encoding: str | None = None, *,
               notes: list[str] | None = None) -> tuple[pd.DataFrame | None, list[Problem]]:
    """Read the units CSV into a typed DataFrame sorted by unit_id; collect every problem.

    ``encoding`` None detects UTF-8 or Thai Windows cp874 (see ``decode_text``). The table is None when
    the file could not be split into rows and columns; when only some cells are unreadable it is
    returned with those cells empty, beside their problems. Headers may be the columns' Thai labels
    (``selector.fields.column_of_header``). Empty columns without a header at the end of the lines
    (as Excel exports formatted cells) are ignored and said in ``notes``, when a list is given.
    """
    name = name or str(path)
    raw, problems = read_input_bytes(path, name)
    if raw is None:
        return None, problems
    text, problems = decode_text(raw, name, encoding)
    if text is None:
        return None, problems
    rows, starts, problems = _split_rows(text, name)
    if problems:
        return None, problems
    while rows and not any(cell.strip() for cell in rows[-1]):
        rows.pop()
    if not rows:
        return None, [Problem(name, None, None, _("is empty"), _("put a header line and one line per unit"))]
    rows = [[nfc(cell) for cell in row] for row in rows]  # one spelling for text typed in two orders
    header = [h.strip() for h in rows[0]]
    if len(header) == 1 and (";" in header[0] or "\t" in header[0]):
        message = (_("the columns are separated by semicolons, not commas") if ";" in header[0]
                   else _("the columns are separated by tabs, not commas"))
        return None, [Problem(name, 1, None, message,
                              _("save as 'CSV UTF-8 (Comma delimited)' or replace the separators with commas"))]
    header, rows = _drop_empty_trailing_columns(header, rows, name, notes)
    header = [column_of_header(h) or h for h in header]
    problems = _header_problems(header, name, 1)
    body = []
    for number, end, row in zip(starts[1:], starts[2:] + [None], rows[1:]):
        if not any(cell.strip() for cell in row):
            continue  # a blank line, e.g. from merged cells exported as nothing
        if [cell.strip() for cell in row] == [h.strip() for h in rows[0]]:
            problems.append(Problem(name, number, None, _("repeats the header line (two files pasted together?)"),
                                    _("delete line {line}", line=number)))
            continue
        problems += _cell_text_problems(header, row, name, number)
        if len(row) != len(header):
            message = _("has {fields} fields but the header has {columns}", fields=len(row), columns=len(header))
            fix = _("check for an extra or missing comma (quote text that contains commas)")
            if any("\n" in cell or "\r" in cell for cell in row):
                message += (_("; a quoted cell runs on from line {start} to line {end}", start=number, end=end - 1) if end
                            else _("; a quoted cell runs on from line {start} to the end of the file", start=number))
                fix = _("check for a missing closing quote (\")")
            problems.append(Problem(name, number, None, message, fix))
            continue
        body.append((number, row))
    if problems:
        return None, problems
    return _units_table(header, body, name)


def _cell_text_problems(header: list[str], row: list[str], name: str, number: int) -> list[Problem]:
    """The cells of one row holding a control or bidi character (or, in the columns that identify or
    group units, an invisible one), each shown escaped with the fix."""
    problems = []
    for col, cell in zip(header, row):
        why = text_problem(cell.strip(), strict=col in KEY_COLUMNS)
        if why:
            problems.append(Problem(name, number, col, _("value {why}", why=why),
                                    _("retype the value without it, e.g. {text}", text=escaped(visible(cell.strip())))))
    return problems


def _drop_empty_trailing_columns(header: list[str], rows: list[list[str]], name: str,
                                 notes: list[str] | None) -> tuple[list[str], list[list[str]]]:
    """Without the columns at the end that have neither a header nor a value (Excel's formatted empty cells)."""
    width = len(header)
    keep = width
    while keep > 0 and header[keep - 1] == "" and all(len(r) < keep or not r[keep - 1].strip() for r in rows[1:]):
        keep -= 1
    if keep == width or keep == 0:
        return header, rows
    if notes is not None:
        notes.append(_("{file}: {count} empty column(s) without a header at the end of each line were ignored",
                       file=name, count=width - keep))
    return header[:keep], [r[:keep] if len(r) == width else r for r in rows]


def _header_problems(header: list[str], name: str, line: int) -> list[Problem]:
    """A column without a name, a column twice, a required column missing (with the header cell it
    looks like), a name with an invisible, control or bidi character (shown escaped)."""
    problems = []
    seen = set()
    for col in header:
        invisible = text_problem(col)
        if invisible:
            problems.append(Problem(name, line, escaped(col)[1:-1], _("the column name {why}", why=invisible),
                                    _("retype the column name {name} without it", name=escaped(visible(col)))))
        if col == "":
            problems.append(Problem(name, line, None, _("a column has no name"), _("give every column a header or delete it")))
        elif col in seen:
            problems.append(Problem(name, line, col, _("the column appears twice"), _("delete or rename one of them")))
        seen.add(col)
    missing = [c for c in REQUIRED_COLUMNS if c not in header]
    for col in missing:
        problems.append(Problem(name, line, col, _("required column is missing"), _missing_column_fix(col, header)))
    return problems


def _units_table(header: list[str], body: list[tuple[int, list[str]]], name: str) -> tuple[pd.DataFrame | None, list[Problem]]:
    """The rows of text (with their line numbers) as the typed table, sorted by unit_id."""
    if not body:
        return None, [Problem(name, None, None, _("has a header but no units"), _("add one line per unit"))]
    frame = pd.DataFrame([r for _n, r in body], columns=header, dtype=object)
    frame.index = pd.Index([n for n, _r in body], name="line")
    frame = frame.map(lambda v: v.strip() if isinstance(v, str) else v)
    typed, problems = _coerce(frame, name)
    # With problems, the table is still returned (unreadable cells empty) so its other rules are checked too.
    return typed.sort_values("unit_id", kind="mergesort"), problems


def _split_rows(text: str, name: str) -> tuple[list[list[str]], list[int], list[Problem]]:
    """The CSV records and the line each starts on (a quoted cell may span lines, as Alt+Enter in Excel makes)."""
    reader = csv.reader(io.StringIO(text, newline=""))
    rows, starts, start = [], [], 1
    try:
        for row in reader:
            rows.append(row)
            starts.append(start)
            start = reader.line_num + 1
    except csv.Error as exc:
        return [], [], [Problem(name, start, None, _("cannot be read as CSV ({reason})", reason=exc),
                                _("check for a missing closing quote (\") or a cell pasted with a whole document"))]
    return rows, starts, []


def _missing_column_fix(column: str, header: list[str]) -> str:
    """The fix for a missing column, naming a header cell that looks like it ('Unit ID' for unit_id)."""
    def simple(text: str) -> str:
        return re.sub(r"[\s\-_.]+", "", text.lower())

    candidates = [h for h in header if h not in KNOWN_COLUMNS]
    near = [h for h in candidates if simple(h) == simple(column)]
    near = near or difflib.get_close_matches(column, candidates, n=1, cutoff=0.75)
    if near:
        return _("rename the column {found} to '{column}'", found=escaped(near[0]), column=column)
    return _("add a column named '{column}'", column=column)


def _coerce(frame: pd.DataFrame, name: str) -> tuple[pd.DataFrame, list[Problem]]:
    problems: list[Problem] = []
    out = frame.copy()

    def numbers(col: str, required: bool) -> None:
        vals = []
        for line, text in frame[col].items():
            if text == "" and not required:
                vals.append(np.nan)
                continue
            value, reason = parse_number(text)
            if reason:
                problems.append(Problem(name, int(line), col, _("value {reason}", reason=reason),
                                        _("write a plain number such as 3 or 1200000")))
                value = np.nan
            vals.append(value)
        out[col] = pd.Series(vals, index=frame.index, dtype=float)

    for col in ("cost", *CRITERIA):
        numbers(col, True)
    for col in ("earliest_year", "latest_year"):
        if col in frame:
            numbers(col, False)
            bad = out[col].notna() & (out[col] != out[col].round())
            for line in out.index[bad]:
                problems.append(Problem(name, int(line), col, _("'{text}' is not a whole year", text=frame.at[line, col]),
                                        _("write a Buddhist-Era fiscal year such as 2556")))
        else:
            out[col] = np.nan
    if "pilot" in frame:
        out["pilot"] = frame["pilot"].str.lower()
    else:
        out["pilot"] = ""
    if "after" not in frame:
        out["after"] = ""
    if "done" in frame:
        done = []
        for line, text in frame["done"].items():
            word = text.lower()
            if word in TRUE_WORDS:
                done.append(True)
            elif word in FALSE_WORDS:
                done.append(False)
            else:
                problems.append(Problem(name, int(line), "done", _("'{text}' is not true or false", text=text),
                                        _("write true, false or leave the cell empty")))
                done.append(False)
        out["done"] = pd.Series(done, index=frame.index, dtype=bool)
    else:
        out["done"] = False
    return out, problems
