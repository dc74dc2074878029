"""A scenario straight from an Excel workbook (.xlsx): the units sheet and, optionally, a rules sheet.

The cells are read as typed by python-calamine (through pandas): a number cell is a number, a text
cell is text read with the CSV's number grammar, a TRUE/FALSE cell is true/false. Every cell is
turned into the text the CSV would hold (``2556``, ``0.35``, ``true``), so the same scenario as CSV
and as workbook gives the same table and a byte-identical schedule. What calamine does not show is
read from the sheet's XML with the standard library: formulas without a saved value, hidden rows
and merged cells.

How a planner's sheet is read:

- **The units sheet** is the one named by ``--sheet``, else a sheet called ``units`` or ``หน่วยงาน``,
  else the first sheet.
- **The header** is the first row that names at least two columns of the data dictionary (in
  English or by their Thai labels, ``selector.fields.column_of_header``); rows above it (a title,
  a date) are skipped and named in a note.
- **Empty columns** (no header, no value) are ignored; a column with values but no header is an
  error naming its cell. Empty rows are skipped.
- **Merged cells** hold their value in the top-left cell; selector gives it to every cell of the
  range (a region merged down over its units is that region for each of them), with a note.
- **Hidden rows** are read like the others (a filter must not silently drop units), with a note.
- **Formulas** are read as the value Excel saved with them; a formula cell without a saved value
  (a file written by a program, never opened and saved in Excel) is an error.
- **A date** in a number column (a year typed as 1/1/2556, or a cost formatted as a date) is an
  error with the fix.
- **The rules sheet** (``rules`` or ``ค่ากำหนด``) holds the TOML's settings as rows of key and value:
  ``horizon.first_year | 2556``, ``budget.2556 | 120000000``, ``pilots.cover | region``. A TOML file
  beside the workbook (same name, ``.toml``) wins over it, with a note.
- ``.xls`` (the old binary format) is refused with the fix: save it as ``.xlsx``.

Errors name the sheet and the cell as Excel does: ``plan.xlsx, units!D7, column 'cost': ...``.
"""

from __future__ import annotations

import datetime as dt
import io
import math
import re
import tomllib
import zipfile
from dataclasses import dataclass, field, replace
from pathlib import Path, PurePosixPath
from typing import Any
from xml.etree import ElementTree

from selector.data.csvfiles import parse_number, read_input_bytes
from selector.errors import Problem
from selector.fields import UNIT_FIELDS, column_of_header
from selector.i18n import _

WORKBOOK_SUFFIXES = (".xlsx", ".xlsm", ".xls")
"""Inputs read as workbooks (``.xls`` only to be refused with its fix)."""
UNITS_SHEETS = ("units", "หน่วยงาน")
RULES_SHEETS = ("rules", "ค่ากำหนด")
RULES_HEADERS = (("key", "ชื่อ"), ("value", "ค่า"))
NUMBER_COLUMNS = tuple(f.name for f in UNIT_FIELDS if f.kind in ("number", "year"))
LIST_SETTINGS = {"pilots.cover", "criteria.cost_type", "pilots.balance.columns"}
_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_REL = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"


def is_workbook(path: str | Path) -> bool:
    """True when ``path`` is read as a workbook (by its name: ``.xlsx``, ``.xlsm``, or ``.xls`` to refuse)."""
    return Path(path).suffix.lower() in WORKBOOK_SUFFIXES


def column_letter(index: int) -> str:
    """Excel's letter of the 0-based column ``index``: 0 -> A, 25 -> Z, 26 -> AA."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def _cell_index(reference: str) -> tuple[int, int]:
    """(0-based row, 0-based column) of a cell reference such as ``D7``."""
    m = re.fullmatch(r"([A-Z]+)(\d+)", reference)
    column = 0
    for ch in m.group(1):
        column = column * 26 + ord(ch) - 64
    return int(m.group(2)) - 1, column - 1


def sheet_reference(sheet: str, cell: str) -> str:
    """``units!D7``, or ``'my units'!D7`` when the sheet's name needs quotes, as Excel writes it."""
    name = sheet if re.fullmatch(r"[^\s!'\-+(),;]+", sheet) else "'" + sheet.replace("'", "''") + "'"
    return f"{name}!{cell}"


@dataclass
class SheetFacts:
    """What the sheet's XML says beyond the values: formula cells without a saved value, hidden rows
    (1-based) and merged ranges (0-based first row, first column, last row, last column)."""

    unsaved_formulas: list[str] = field(default_factory=list)
    hidden_rows: list[int] = field(default_factory=list)
    merged: list[tuple[int, int, int, int]] = field(default_factory=list)


def sheet_facts(raw: bytes, sheet: str) -> SheetFacts:
    """Read the XML of ``sheet`` (in the workbook's bytes) for formulas without values, hidden rows and merged cells."""
    facts = SheetFacts()
    with zipfile.ZipFile(io.BytesIO(raw)) as book:
        workbook = ElementTree.fromstring(book.read("xl/workbook.xml"))
        rels = ElementTree.fromstring(book.read("xl/_rels/workbook.xml.rels"))
        targets = {r.get("Id"): r.get("Target") for r in rels}
        rid = next((s.get(f"{_REL}id") for s in workbook.iter(f"{_MAIN}sheet") if s.get("name") == sheet), None)
        target = targets.get(rid)
        if target is None:
            return facts
        member = target.lstrip("/") if target.startswith("/") else str(PurePosixPath("xl") / target)
        for _event, node in ElementTree.iterparse(book.open(member)):
            if node.tag == f"{_MAIN}c":
                formula, value = node.find(f"{_MAIN}f"), node.find(f"{_MAIN}v")
                if formula is not None and (value is None or not (value.text or "").strip()) and node.get("t") != "inlineStr":
                    facts.unsaved_formulas.append(node.get("r"))
                node.clear()
            elif node.tag == f"{_MAIN}row" and node.get("hidden") in ("1", "true"):
                facts.hidden_rows.append(int(node.get("r")))
            elif node.tag == f"{_MAIN}mergeCell":
                first, _sep, last = node.get("ref").partition(":")
                (r1, c1), (r2, c2) = _cell_index(first), _cell_index(last or first)
                facts.merged.append((r1, c1, r2, c2))
    return facts


def _workbook_problem(raw: bytes, name: str, suffix: str) -> Problem | None:
    """Why the bytes are not a workbook selector reads (an .xls, or not a workbook at all), or None."""
    if suffix == ".xls" or raw[:8] == _OLE:
        return Problem(name, None, None, _("is an old Excel workbook (.xls), which selector does not read"),
                       _("in Excel choose File > Save As > 'Excel Workbook (.xlsx)' (or 'CSV UTF-8 (Comma delimited)')"))
    if raw[:4] != b"PK\x03\x04":
        return Problem(name, None, None, _("is not an Excel workbook although its name ends in {suffix}", suffix=suffix),
                       _("give the workbook saved by Excel, or a CSV file"))
    return None


def _grid(book: "Workbook", sheet: str) -> list[list[Any]]:
    """The sheet's cells from A1 as Python values (None for an empty cell), through pandas and calamine."""
    import pandas as pd

    frame = pd.read_excel(book.excel, sheet_name=sheet, header=None, dtype=object)
    return [[None if v is None or (isinstance(v, float) and math.isnan(v)) else v for v in row]
            for row in frame.itertuples(index=False, name=None)]


@dataclass
class Workbook:
    """An opened workbook: its file name for messages, the sheets, and what reading it noted."""

    path: Path
    name: str
    sheets: list[str]
    notes: list[str] = field(default_factory=list)
    raw: bytes = field(default=b"", repr=False)  # the bytes read once, checked (regular file, size): all parsing reads these
    excel: Any = field(default=None, repr=False)  # the pandas ExcelFile over ``raw``, parsed once for every sheet

    def sheet_named(self, candidates: tuple[str, ...]) -> str | None:
        lowered = {s.strip().lower(): s for s in self.sheets}
        return next((lowered[c] for c in candidates if c in lowered), None)


def open_workbook(path: Path, name: str, raw: bytes | None = None) -> tuple[Workbook | None, list[Problem]]:
    """The workbook's sheets, or a problem when it cannot be read (too big, an .xls, not a workbook).

    The file is read once (``read_input_bytes``, or the ``raw`` bytes a caller already read that way);
    the sheets and their XML are parsed from those bytes, never from the path again."""
    if raw is None:
        raw, problems = read_input_bytes(path, name)
        if raw is None:
            return None, problems
    refused = _workbook_problem(raw, name, path.suffix.lower())
    if refused is not None:
        return None, [refused]
    try:
        import pandas as pd

        excel = pd.ExcelFile(io.BytesIO(raw), engine="calamine")
        sheets = list(excel.sheet_names)
    except Exception as exc:  # a damaged file: calamine's own words say what is wrong
        return None, [Problem(name, None, None, _("cannot be read as a workbook ({reason})", reason=exc),
                              _("open it in Excel and save it again as 'Excel Workbook (.xlsx)'"))]
    return Workbook(path, name, sheets, raw=raw, excel=excel), []


def _fill_merged(grid: list[list[Any]], facts: SheetFacts) -> list[str]:
    """Give each merged range's value to all its cells; the ranges filled, for the note."""
    filled = []
    for r1, c1, r2, c2 in facts.merged:
        if r1 >= len(grid) or c1 >= len(grid[r1]) or grid[r1][c1] is None or (r1, c1) == (r2, c2):
            continue
        value = grid[r1][c1]
        for r in range(r1, min(r2, len(grid) - 1) + 1):
            for c in range(c1, min(c2, len(grid[r]) - 1) + 1):
                grid[r][c] = value
        filled.append(f"{column_letter(c1)}{r1 + 1}:{column_letter(c2)}{r2 + 1}")
    return filled


def cell_text(value: Any) -> str:
    """A typed cell as the text the CSV would hold: 2556, 0.35, 1200000, true; text stripped."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() and abs(value) < 1e15 else repr(value)
    if isinstance(value, dt.datetime) and value.time() == dt.time(0, 0):
        return value.date().isoformat()  # a date cell: 2013-01-01, as the planner typed it
    if isinstance(value, (dt.datetime, dt.date, dt.time)):
        return value.isoformat()
    return str(value).strip()


def _is_date(value: Any) -> bool:
    import pandas as pd

    return isinstance(value, (dt.datetime, dt.date, dt.time, pd.Timestamp, pd.Timedelta, dt.timedelta))


@dataclass
class UnitsSheet:
    """The units sheet as rows of text: the header (data dictionary names), the rows with their sheet
    row numbers, and where each column is, so that every problem can name its cell."""

    file: str
    sheet: str
    header_line: int
    header: list[str]
    body: list[tuple[int, list[str]]]
    letters: dict[str, str]
    notes: list[str]

    def locate(self, problem: Problem) -> Problem:
        """The problem with its cell (``units!D7``; a row's problem names the row, ``units!7:7``)."""
        if problem.file != self.file or problem.cell or problem.line is None or (problem.column or "").startswith("["):
            return problem
        letter = self.letters.get(problem.column or "")
        cell = f"{letter}{problem.line}" if letter else f"{problem.line}:{problem.line}"
        return replace(problem, cell=sheet_reference(self.sheet, cell))


def _unsaved_formula_problems(name: str, sheet: str, facts: SheetFacts, grid: list[list[Any]] | None) -> list[Problem]:
    """One problem per formula cell without a saved value, at its cell; with ``grid``, the column is named by row 1."""
    problems = []
    for ref in facts.unsaved_formulas:
        row, col = _cell_index(ref)
        column = None
        if grid and col < len(grid[0]) and grid[0][col] is not None:
            column = cell_text(grid[0][col]).lower() or None
        problems.append(Problem(name, row + 1, column,
                                _("is a formula without a saved value (the file was never calculated and saved by Excel)"),
                                _("open the file in Excel and save it, or copy the column and paste it as values"),
                                cell=sheet_reference(sheet, ref)))
    return problems


def sheet_rows(book: Workbook, sheet: str | None = None) -> tuple[list[list[str]], list[Problem]]:
    """The rows of ``sheet`` (else the first) from A1, as the text a CSV export of it would hold.

    Row k of the sheet is line k (so problems name lines as for the CSV, and their cells); merged
    cells give their value to every cell they cover; a formula without a saved value is a problem at
    its cell, its column named by row 1. For tables simpler than the units sheet (no title row or
    header aliases), such as the results of a monitoring round.
    """
    chosen = sheet or book.sheets[0]
    grid = _grid(book, chosen)
    facts = sheet_facts(book.raw, chosen)
    problems = _unsaved_formula_problems(book.name, chosen, facts, grid)
    _fill_merged(grid, facts)
    width = max((len(row) for row in grid), default=0)
    rows = [[cell_text(v) for v in row] + [""] * (width - len(row)) for row in grid]
    return rows, problems


def _header_row(grid: list[list[Any]]) -> int:
    """The 0-based row of the header: the first naming two columns of the data dictionary, else the first non-empty."""
    first = None
    for index, row in enumerate(grid):
        texts = [cell_text(v) for v in row]
        if first is None and any(texts):
            first = index
        if sum(column_of_header(t) is not None for t in texts if t) >= 2:
            return index
    return first if first is not None else 0


def read_units_sheet(book: Workbook, sheet: str | None = None) -> tuple[UnitsSheet | None, list[Problem]]:
    """The units sheet (``sheet``, else ``units``/``หน่วยงาน``, else the first) as rows of text."""
    name = book.name
    if sheet is not None and sheet not in book.sheets:
        return None, [Problem(name, None, None, _("has no sheet named '{sheet}'", sheet=sheet),
                              _("give --sheet one of: {sheets}", sheets=", ".join(book.sheets)))]
    chosen = sheet or book.sheet_named(UNITS_SHEETS) or book.sheets[0]
    grid = _grid(book, chosen)
    facts = sheet_facts(book.raw, chosen)
    problems = _unsaved_formula_problems(name, chosen, facts, grid=None)
    filled = _fill_merged(grid, facts)
    if not any(v is not None for row in grid for v in row):
        return None, [Problem(name, None, None, _("the sheet '{sheet}' is empty", sheet=chosen),
                              _("put a header row and one row per unit"))]
    top = _header_row(grid)
    width = max(len(row) for row in grid)
    header_cells = [cell_text(v) for v in grid[top]] + [""] * (width - len(grid[top]))
    rows = [(number, row + [None] * (width - len(row))) for number, row in enumerate(grid[top + 1:], start=top + 2)]
    notes = []
    if top > 0:
        notes.append(_("{file}: rows 1-{last} of sheet '{sheet}' are above the header (a title?) and were skipped",
                       file=name, last=top, sheet=chosen))
    header, letters, keep = [], {}, []
    for index, text in enumerate(header_cells):
        has_values = any(row[index] is not None and cell_text(row[index]) != "" for _number, row in rows)
        if not text:
            if has_values:
                problems.append(Problem(name, top + 1, None, _("a column has no name"),
                                        _("give every column a header or delete it"),
                                        cell=sheet_reference(chosen, f"{column_letter(index)}{top + 1}")))
            continue
        column = column_of_header(text) or text
        header.append(column)
        letters.setdefault(column, column_letter(index))
        keep.append(index)
    body, dates = [], []
    for number, row in rows:
        if all(row[i] is None or cell_text(row[i]) == "" for i in keep):
            continue
        for i, column in zip(keep, header):
            if column in NUMBER_COLUMNS and _is_date(row[i]):
                dates.append(Problem(name, number, column,
                                     _("is a date ({date}), not a number", date=cell_text(row[i])),
                                     _("type the Buddhist-Era fiscal year as a number such as 2556 (format the cell as "
                                       "Number or General)") if column.endswith("_year")
                                     else _("type the number itself and format the cell as Number or General")))
        body.append((number, [cell_text(row[i]) for i in keep]))
    hidden = [r for r in facts.hidden_rows if any(r == number for number, _row in body)]
    if hidden:
        notes.append(_("{file}: rows {rows} of sheet '{sheet}' are hidden in Excel; they are read like the others",
                       file=name, rows=", ".join(map(str, hidden)), sheet=chosen))
    if filled:
        notes.append(_("{file}: merged cells {ranges} of sheet '{sheet}' give their value to every cell they cover",
                       file=name, ranges=", ".join(filled), sheet=chosen))
    units = UnitsSheet(name, chosen, top + 1, header, body, letters, notes)
    return units, problems + [units.locate(p) for p in dates]


# ---------------------------------------------------------------------------------------------
# The rules sheet: the TOML's settings as key/value rows


@dataclass
class RulesSheet:
    """The settings of the rules sheet as the TOML's nested tables, and the row of each key."""

    file: str
    sheet: str
    data: dict[str, Any]
    rows: dict[str, int]

    def locate(self, problem: Problem) -> Problem:
        """A settings problem (column ``[section] key``) at the value cell of its row (``rules!B5``)."""
        column = problem.column or ""
        if problem.file != self.file or problem.cell or not column.startswith("["):
            return problem
        section, _sep, key = column[1:].partition("]")
        path = ".".join(p for p in (section.strip(), key.strip()) if p)
        row = self.rows.get(path) or next((r for k, r in self.rows.items() if k.startswith(path + ".")), None)
        if row is None:
            return replace(problem, cell=sheet_reference(self.sheet, "A:B"))
        return replace(problem, line=row, cell=sheet_reference(self.sheet, f"B{row}"))


def _setting_value(key: str, value: Any) -> Any:
    """A rules cell as the TOML would hold it: numbers typed, lists from comma-separated text."""
    if isinstance(value, bool) or value is None:
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, (int, float)):
        return value
    text = str(value).strip()
    if key in LIST_SETTINGS and not text.startswith("["):
        return [part.strip() for part in text.split(",") if part.strip()]
    try:
        return tomllib.loads(f"v = {text}")["v"]
    except tomllib.TOMLDecodeError:
        number, reason = parse_number(text)
        return int(number) if reason is None and number.is_integer() else number if reason is None else text


def read_rules_sheet(book: Workbook) -> tuple[RulesSheet | None, list[Problem]]:
    """The rules sheet's settings (None when the workbook has no rules sheet)."""
    sheet = book.sheet_named(RULES_SHEETS)
    if sheet is None:
        return None, []
    facts = sheet_facts(book.raw, sheet)
    problems = [Problem(book.name, _cell_index(ref)[0] + 1, None,
                        _("is a formula without a saved value (the file was never calculated and saved by Excel)"),
                        _("open the file in Excel and save it, or copy the column and paste it as values"),
                        cell=sheet_reference(sheet, ref)) for ref in facts.unsaved_formulas]
    data: dict[str, Any] = {}
    rows: dict[str, int] = {}
    for number, row in enumerate(_grid(book, sheet), start=1):
        key = cell_text(row[0]) if row else ""
        value = row[1] if len(row) > 1 else None
        if not key or key.startswith("#") or key.lower() in RULES_HEADERS[0]:
            continue
        if value is None or cell_text(value) == "":
            continue  # a key left empty keeps its default
        parts = key.split(".")
        table = data
        for part in parts[:-1]:
            table = table.setdefault(part, {})
            if not isinstance(table, dict):
                break
        else:
            if parts[-1] in table:
                problems.append(Problem(book.name, number, None, _("the key '{key}' appears twice", key=key),
                                        _("keep one row per key"), cell=sheet_reference(sheet, f"A{number}")))
            table[parts[-1]] = _setting_value(key, value)
            rows[key] = number
    return RulesSheet(book.name, sheet, data, rows), problems
