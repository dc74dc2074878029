"""Load and validate a scenario (units CSV + settings TOML) into one immutable ``Scenario``.

Everything is checked before anything is solved, and every problem is reported at once, each with
the file, the line (CSV header = line 1, first unit = line 2), the column and the fix.
Per-value checks (ranges, uniqueness, allowed words) run through a pandera schema built from the
data dictionary in ``selector.fields``; rules across rows and files are plain functions below.
"""

from __future__ import annotations

import codecs
import csv
import difflib
import hashlib
import io
import math
import re
import unicodedata
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, Mapping

import numpy as np
import pandas as pd
import pandera.pandas as pa

from .errors import Problem, ScenarioError
from .fields import CRITERIA, FALSE_WORDS, KNOWN_COLUMNS, REQUIRED_COLUMNS, TRUE_WORDS
from .limits import read_input_bytes
from .settings import MAX_BAHT, Settings, _freeze, _Locator, baht, load_settings

_THAI_DIGITS = str.maketrans("๐๑๒๓๔๕๖๗๘๙", "0123456789")
_NUMBER = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$")
_GROUPED = re.compile(r"^[+-]?\d{1,3}(,\d{3})+(\.\d+)?$")
_SPREADSHEET_ERROR = re.compile(r"^#(N/A|VALUE!|REF!|DIV/0!|NAME\?|NUM!|NULL!|SPILL!|CALC!|GETTING_DATA)$", re.IGNORECASE)


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
        (``pilot_emphasis=2``, ``max_units_per_year=60``, ``time_limit=10``...). Every value is
        checked like the TOML; raises ``ScenarioError`` listing every problem.
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
        from .display import scenario_html

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
}
_VARIANT = "Scenario.with_"


def _validated_changes(current: Settings, changes: Mapping[str, Any]) -> dict[str, Any]:
    """Check a variant's changes by the TOML's rules (``parse_settings``); return them resolved.

    The changed settings are written in the TOML's layout, parsed, and every problem is raised at
    once; unknown keywords get the nearest valid name.
    """
    from .settings import _suggest, parse_settings

    problems = [Problem(_VARIANT, None, key, f"unknown setting '{key}'",
                        _suggest(key, ["budget", "weights", "pilots", *_TOML_KEYS]))
                for key in changes if key not in _TOML_KEYS]
    if problems:
        raise ScenarioError(problems)
    layout = current.to_dict()
    for key, value in changes.items():
        section, toml_key = _TOML_KEYS[key]
        if key == "budget":
            layout["budget"] = {str(y): v for y, v in value.items()}
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
            table[toml_key] = list(value) if isinstance(value, tuple) else dict(value) if isinstance(value, Mapping) else value
    layout = {section: {k: v for k, v in table.items() if v is not None} if isinstance(table, dict) else table
              for section, table in layout.items()}
    parsed, problems = parse_settings(layout, _VARIANT)
    problems += check_pilot_limits(None, parsed, _VARIANT)
    if problems:
        raise ScenarioError(problems)
    return {key: getattr(parsed, key) for key in changes}


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def default_settings_path(csv_path: Path) -> Path:
    return csv_path.with_suffix(".toml")


def load(csv_path: str | Path, settings_path: str | Path | None = None, *, encoding: str | None = None,
         **overrides: Any) -> Scenario:
    """Read, validate and freeze a scenario.

    ``settings_path`` defaults to the TOML beside the CSV with the same stem. ``overrides`` replace
    resolved settings (``budget``, ``pilots_min``, ``pilots_max``, ``solver``, ``time_limit``,
    ``gap``...), as the CLI flags do. ``encoding`` names the CSV's text encoding (default: UTF-8,
    or Thai Windows cp874 detected). Raises ``ScenarioError`` listing every problem.
    """
    csv_path = Path(csv_path)
    toml_path = Path(settings_path) if settings_path is not None else default_settings_path(csv_path)
    csv_name = str(csv_path)
    toml_name = str(toml_path)
    problems: list[Problem] = []

    if not toml_path.exists():
        if settings_path is not None:
            problems.append(Problem(toml_name, None, None, "settings file not found", "check the --settings path"))
        settings, settings_problems = load_settings(None)
        toml_sha = None
    else:
        settings, settings_problems = load_settings(toml_path, toml_name)
        toml_sha = sha256_of(toml_path)
    problems += settings_problems

    if overrides:
        problems += check_budget_overrides(overrides.get("budget", {}), settings)
        settings = _apply_overrides(settings, overrides)

    table, csv_problems = read_units(csv_path, csv_name, encoding)
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
            problems += found
    if problems:
        raise ScenarioError(_locate_in_toml(problems, toml_path, toml_name))
    return Scenario(
        units=table,
        settings=settings,
        csv_path=csv_name,
        settings_path=toml_name,
        csv_sha256=sha256_of(csv_path),
        settings_sha256=toml_sha,
    )


def _locate_in_toml(problems: list[Problem], toml_path: Path, toml_name: str) -> list[Problem]:
    """Give a line to the settings problems found by the cross-file checks (``[pilots] cover`` -> its line)."""
    unplaced = [p for p in problems if p.file == toml_name and p.line is None and (p.column or "").startswith("[")]
    if not unplaced:
        return problems
    raw, _ = read_input_bytes(toml_path, toml_name)
    locator = _Locator(raw.decode("utf-8-sig", errors="replace") if raw else "")
    placed = []
    for p in problems:
        if p in unplaced:
            section, _, key = p.column[1:].partition("]")
            p = replace(p, line=locator.line_of(section, key.strip() or None))
        placed.append(p)
    return placed


def check_budget_overrides(budget: Mapping[Any, Any], settings: Settings) -> list[Problem]:
    """``--budget YEAR=BAHT`` follows the TOML's rules: a year of the horizon, a finite amount from 0 to MAX_BAHT."""
    problems = []
    for year, amount in budget.items():
        shown = f"{amount:.0f}" if isinstance(amount, (int, float)) and math.isfinite(amount) and abs(amount) < 1e15 else amount
        text = f"{year}={shown:g}" if isinstance(shown, float) else f"{year}={shown}"
        if not isinstance(year, int) or year not in settings.years:
            problems.append(Problem("--budget", None, None, f"'{text}': year {year} is outside the horizon "
                                    f"{settings.first_year}-{settings.last_year}", "give a fiscal year of [horizon]"))
        elif (isinstance(amount, bool) or not isinstance(amount, (int, float)) or not math.isfinite(amount)
              or not 0 <= amount <= MAX_BAHT):
            problems.append(Problem("--budget", None, None, f"'{text}' is not an amount of baht from 0 to {baht(MAX_BAHT)}",
                                    "write e.g. --budget 2556=120000000"))
    return problems


def _apply_overrides(settings: Settings, overrides: Mapping[str, Any]) -> Settings:
    changes = dict(overrides)
    if "budget" in changes:
        merged = dict(settings.budget)
        merged.update({int(y): float(v) for y, v in changes["budget"].items()})
        changes["budget"] = merged
    return _freeze(replace(settings, **changes))


# ---------------------------------------------------------------------------------------------
# Reading the CSV


THAI_WINDOWS = "cp874"
"""Thai Windows' code page (a superset of TIS-620): what Excel's plain "CSV" gives on a Thai Windows PC."""


def plausible_thai(text: str) -> bool:
    """True when ``text`` looks like Thai read with the right code page.

    Every non-ASCII character must be Thai (U+0E00-U+0E7F) or common punctuation, and every Thai
    vowel or tone mark written above or below must follow a Thai character: text in another
    language read as cp874 gives marks after Latin letters, spaces or digits.
    """
    previous = ""
    seen_thai = False
    for ch in text:
        code = ord(ch)
        if 0x0E00 <= code <= 0x0E7F:
            seen_thai = True
            if unicodedata.category(ch) == "Mn" and not ("\u0e00" <= previous <= "\u0e7f"):
                return False
        elif code > 0x7F and ch not in "\u00a0\u2013\u2014\u2018\u2019\u201c\u201d\u2022\u2026\u20ac":
            return False
        previous = ch
    return seen_thai


def _mislabelled(raw: bytes, codec: str) -> str | None:
    """Why ``raw`` is evidently not in ``codec`` although it decodes (wrong codecs rarely fail), or None."""
    if raw.isascii() or codec == "utf-8":
        return None
    try:
        raw.decode("utf-8-sig")
        return "is UTF-8"
    except UnicodeDecodeError:
        pass
    if codec not in (THAI_WINDOWS, "tis-620", "iso8859-11"):
        try:
            if plausible_thai(raw.decode(THAI_WINDOWS)):
                return "reads as Thai in cp874 (Thai Windows)"
        except UnicodeDecodeError:
            pass
    return None


def _decode(raw: bytes, name: str, encoding: str | None = None) -> tuple[str | None, list[Problem]]:
    """The file's text: UTF-8 (with or without BOM), else Thai Windows cp874 when that reads as Thai.

    ``encoding`` forces a codec (e.g. ``cp874``, ``tis-620``, ``utf-8``) instead of detecting one.
    """
    if raw[:4] == b"PK\x03\x04":
        return None, [Problem(name, None, None, "is an Excel workbook (.xlsx), not a CSV file",
                              "in Excel choose File > Save As > 'CSV UTF-8 (Comma delimited)'")]
    if raw[:5] == b"%PDF-":
        return None, [Problem(name, None, None, "is a PDF document, not a CSV file",
                              "give the CSV export of the sheet ('CSV UTF-8 (Comma delimited)')")]
    if raw[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1":
        return None, [Problem(name, None, None, "is an old Excel workbook (.xls), not a CSV file",
                              "in Excel choose File > Save As > 'CSV UTF-8 (Comma delimited)'")]
    if encoding is None and raw[:2] in (b"\xff\xfe", b"\xfe\xff"):
        return None, [Problem(name, None, None, "is UTF-16 text ('Unicode Text' in Excel), not UTF-8",
                              "in Excel choose File > Save As > 'CSV UTF-8 (Comma delimited)'")]
    if encoding is not None:
        try:
            codec = codecs.lookup(encoding).name.replace("utf-8-sig", "utf-8")
        except LookupError:
            return None, [Problem("--encoding", None, None, f"'{encoding}' is not a known text encoding",
                                  "use utf-8, cp874 (Thai Windows) or tis-620")]
        try:
            text = raw.decode("utf-8-sig" if codec == "utf-8" else codec)
        except UnicodeDecodeError as exc:
            line = raw[: exc.start].count(b"\n") + 1
            return None, [Problem(name, line, None, f"is not {encoding} text (byte 0x{raw[exc.start]:02X} cannot be read)",
                                  "leave out --encoding to detect it, or give the encoding the file was saved in")]
        wrong = _mislabelled(raw, codec)
        if wrong:
            return None, [Problem(name, None, None, f"{wrong}, not {encoding} text",
                                  "leave out --encoding to detect it, or give the encoding the file was saved in")]
    else:
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            line = raw[: exc.start].count(b"\n") + 1
            try:
                text = raw.decode(THAI_WINDOWS)
            except UnicodeDecodeError:
                text = None
            if text is None or not plausible_thai(text):
                return None, [Problem(name, line, None, "is neither UTF-8 nor Thai Windows (cp874 / TIS-620) text",
                                      "in Excel choose 'CSV UTF-8 (Comma delimited)' when saving, "
                                      "or name the encoding with --encoding")]
    if "\x00" in text:
        line = text[: text.index("\x00")].count("\n") + 1
        return None, [Problem(name, line, None, "contains NUL characters: it is a binary file, not CSV text",
                              "pass the CSV export of the sheet ('CSV UTF-8 (Comma delimited)')")]
    if "\ufeff" in text:
        line = text[: text.index("\ufeff")].count("\n") + 1
        return None, [Problem(name, line, None, "has a byte-order mark in the middle of the file (two files pasted together?)",
                              "remove the stray BOM character or re-save the file as CSV UTF-8")]
    return text, []


def parse_number(text: str) -> tuple[float | None, str | None]:
    """Parse a number as a planner might type it; returns (value, None) or (None, reason).

    Accepted: ``1200000``, ``1,200,000`` (comma thousands groups), ``1_200_000`` is not; Thai digits
    (``๑๒๓``) are read as 123. NaN and infinity are refused.
    """
    s = text.strip().translate(_THAI_DIGITS)
    if s == "":
        return None, "is empty"
    if _GROUPED.match(s):
        s = s.replace(",", "")
    if not _NUMBER.match(s):
        shown = text.strip()
        if s.startswith("="):
            return None, f"'{shown}' is a spreadsheet formula, not its value (paste the sheet as values before saving)"
        if _SPREADSHEET_ERROR.match(s):
            return None, f"'{shown}' is a spreadsheet error, not a value (correct the formula in the sheet)"
        if re.fullmatch(r"[+-]?[\d,]*\d(\.\d+)?", s) and "," in s:
            return None, (f"'{shown}' is ambiguous: commas must separate groups of three digits (1,200,000); "
                          "a decimal is written with a point (3.5)")
        return None, f"'{shown}' is not a number"
    value = float(s)
    if not math.isfinite(value):
        return None, f"'{text.strip()}' is not a finite number"
    return value, None


def read_units(path: Path, name: str | None = None,
               encoding: str | None = None) -> tuple[pd.DataFrame | None, list[Problem]]:
    """Read the units CSV into a typed DataFrame sorted by unit_id; collect every problem.

    ``encoding`` None detects UTF-8 or Thai Windows cp874 (see ``_decode``). The table is None when
    the file could not be split into rows and columns; when only some cells are unreadable it is
    returned with those cells empty, beside their problems.
    """
    name = name or str(path)
    raw, problems = read_input_bytes(path, name)
    if raw is None:
        return None, problems
    text, problems = _decode(raw, name, encoding)
    if text is None:
        return None, problems
    rows, starts, problems = _split_rows(text, name)
    if problems:
        return None, problems
    while rows and not any(cell.strip() for cell in rows[-1]):
        rows.pop()
    if not rows:
        return None, [Problem(name, None, None, "is empty", "put a header line and one line per unit")]
    header = [h.strip() for h in rows[0]]
    if len(header) == 1 and (";" in header[0] or "\t" in header[0]):
        sep = "semicolons" if ";" in header[0] else "tabs"
        return None, [Problem(name, 1, None, f"the columns are separated by {sep}, not commas",
                              "save as 'CSV UTF-8 (Comma delimited)' or replace the separators with commas")]
    problems = []
    seen = set()
    for col in header:
        if col == "":
            problems.append(Problem(name, 1, None, "a column has no name", "give every column a header or delete it"))
        elif col in seen:
            problems.append(Problem(name, 1, col, "the column appears twice", "delete or rename one of them"))
        seen.add(col)
    missing = [c for c in REQUIRED_COLUMNS if c not in header]
    for col in missing:
        problems.append(Problem(name, 1, col, "required column is missing", _missing_column_fix(col, header)))
    body = []
    for number, end, row in zip(starts[1:], starts[2:] + [None], rows[1:]):
        if not any(cell.strip() for cell in row):
            continue  # a blank line, e.g. from merged cells exported as nothing
        if len(row) != len(header):
            message = f"has {len(row)} fields but the header has {len(header)}"
            fix = "check for an extra or missing comma (quote text that contains commas)"
            if any("\n" in cell or "\r" in cell for cell in row):
                message += f"; a quoted cell runs on from line {number}" + (f" to line {end - 1}" if end else " to the end of the file")
                fix = "check for a missing closing quote (\")"
            problems.append(Problem(name, number, None, message, fix))
            continue
        body.append((number, row))
    if not body and not problems:
        problems.append(Problem(name, None, None, "has a header but no units", "add one line per unit"))
    if problems:
        return None, problems

    frame = pd.DataFrame([r for _, r in body], columns=header, dtype=object)
    frame.index = pd.Index([n for n, _ in body], name="line")
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
        return [], [], [Problem(name, start, None, f"cannot be read as CSV ({exc})",
                                "check for a missing closing quote (\") or a cell pasted with a whole document")]
    return rows, starts, []


def _missing_column_fix(column: str, header: list[str]) -> str:
    """The fix for a missing column, naming a header cell that looks like it ('Unit ID' for unit_id)."""
    def simple(text: str) -> str:
        return re.sub(r"[\s\-_.]+", "", text.lower())

    candidates = [h for h in header if h not in KNOWN_COLUMNS]
    near = [h for h in candidates if simple(h) == simple(column)]
    near = near or difflib.get_close_matches(column, candidates, n=1, cutoff=0.75)
    if near:
        return f"rename the column '{near[0]}' to '{column}'"
    return f"add a column named '{column}'"


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
                problems.append(Problem(name, int(line), col, f"value {reason}",
                                        "write a plain number such as 3 or 1200000"))
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
                problems.append(Problem(name, int(line), col, f"'{frame.at[line, col]}' is not a whole year",
                                        "write a Buddhist-Era fiscal year such as 2556"))
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
                problems.append(Problem(name, int(line), "done", f"'{text}' is not true or false",
                                        "write true, false or leave the cell empty"))
                done.append(False)
        out["done"] = pd.Series(done, index=frame.index, dtype=bool)
    else:
        out["done"] = False
    return out, problems


# ---------------------------------------------------------------------------------------------
# Checking a typed table against the rules


def _schema(settings: Settings) -> pa.DataFrameSchema:
    lo, hi = settings.scale
    criterion = dict(checks=pa.Check.in_range(lo, hi), nullable=True)
    return pa.DataFrameSchema(
        {
            "unit_id": pa.Column(str, [pa.Check.str_length(min_value=1)], unique=True),
            "name": pa.Column(str, pa.Check.str_length(min_value=1)),
            "region": pa.Column(str, pa.Check.str_length(min_value=1)),
            "cost": pa.Column(float, [pa.Check.ge(0), pa.Check.le(MAX_BAHT)], nullable=True),
            **{c: pa.Column(float, **criterion) for c in CRITERIA},
            "pilot": pa.Column(str, pa.Check.isin(["", "must", "never"])),
            "earliest_year": pa.Column(float, nullable=True),
            "latest_year": pa.Column(float, nullable=True),
        },
        strict=False,
    )


_FIXES = {
    "unit_id": ("every unit needs its own id", "give each unit a different, non-empty unit_id"),
    "name": ("the name is empty", "write the unit's name (merged cells export as blanks: unmerge them and fill down)"),
    "region": ("the region is empty", "write the unit's region (merged cells export as blanks: unmerge them and fill down)"),
    "cost": ("the cost is negative", "write the cost in baht as a number >= 0"),
    "pilot": ("is not must, never or empty", "write must, never or leave the cell empty"),
}


def check_scenario(units: pd.DataFrame, settings: Settings, csv_name: str, toml_name: str) -> list[Problem]:
    """Every problem of a typed table under given settings (empty list when all is well)."""
    problems = check_units(units, settings, csv_name)
    problems += check_rule_columns(units, settings, csv_name, toml_name)
    problems += check_windows(units, settings, csv_name)
    problems += check_cover_columns(units, settings, csv_name, toml_name)
    problems += check_budget_years(settings, toml_name)
    problems += check_pilot_limits(units, settings, toml_name)
    return problems


def check_units(units: pd.DataFrame, settings: Settings, csv_name: str) -> list[Problem]:
    """The problems of the units table on its own: values, ranges, uniqueness, allowed words, `after`."""
    problems: list[Problem] = []
    try:
        _schema(settings).validate(units, lazy=True)
    except pa.errors.SchemaErrors as err:
        problems += _from_failure_cases(err.failure_cases, units, settings, csv_name)
    return problems + check_after(units, csv_name)


def _from_failure_cases(cases: pd.DataFrame, units: pd.DataFrame, settings: Settings, csv_name: str) -> list[Problem]:
    lo, hi = settings.scale
    problems = []
    for case in cases.itertuples():
        column = case.column
        line = int(case.index) if case.index is not None and not pd.isna(case.index) else None
        value = case.failure_case
        if column in CRITERIA:
            problems.append(Problem(csv_name, line, column, f"value {value:g} is outside the scale {lo:g} to {hi:g}",
                                    f"use a score from {lo:g} to {hi:g}, or change [criteria] scale"))
        elif column == "unit_id" and "unique" in str(case.check):
            others = [int(i) for i in units.index[units["unit_id"] == value]]
            same = units.loc[others].astype(str).drop_duplicates()
            copy = " (the lines are identical: a row pasted twice?)" if len(same) == 1 else ""
            problems.append(Problem(csv_name, line, column, f"unit_id '{value}' is used on lines "
                                    + ", ".join(map(str, others)) + copy,
                                    "delete the copy" if copy else "give each unit a different unit_id"))
        elif column == "cost" and value > MAX_BAHT:
            problems.append(Problem(csv_name, line, column, f"the cost {baht(value)} is over {baht(MAX_BAHT)}",
                                    "write the cost in baht (not satang), without stray digits"))
        elif column in _FIXES:
            message, fix = _FIXES[column]
            if column == "pilot":
                message = f"'{value}' {message}"
            elif column == "unit_id":
                message = "unit_id is empty"
            problems.append(Problem(csv_name, line, column, message, fix))
        else:
            problems.append(Problem(csv_name, line, column, f"value {value!r} fails {case.check}", "correct the value"))
    return problems


def check_after(units: pd.DataFrame, csv_name: str, column: str = "after") -> list[Problem]:
    """`after` (or another column of unit_ids, such as a mentor column) names a known unit, not
    itself, and forms no cycle."""
    problems = []
    ids = set(units["unit_id"])
    line_of = {uid: int(line) for line, uid in units["unit_id"].items()}
    edges = {}
    for line, uid, after in zip(units.index, units["unit_id"], units[column]):  # (iterrows is slow on 100,000 rows)
        if after == "":
            continue
        if after not in ids:
            problems.append(Problem(csv_name, int(line), column, f"unit '{after}' does not exist",
                                    "write the unit_id of another unit, or leave the cell empty"))
        elif after == uid:
            problems.append(Problem(csv_name, int(line), column, f"a unit cannot name itself in '{column}'",
                                    "name another unit or leave the cell empty"))
        else:
            edges[uid] = after
    reported = set()
    for start in sorted(edges):
        path, node = [], start
        while node in edges and node not in path:
            path.append(node)
            node = edges[node]
        if node in path:
            cycle = path[path.index(node):]
            key = frozenset(cycle)
            if key in reported:
                continue
            reported.add(key)
            first = min(cycle, key=lambda u: line_of[u])
            problems.append(Problem(csv_name, line_of[first], column,
                                    f"the '{column}' rules form a cycle: " + " -> ".join(cycle + [cycle[0]]),
                                    f"remove '{column}' from one unit of the cycle"))
    return problems


def check_windows(units: pd.DataFrame, settings: Settings, csv_name: str) -> list[Problem]:
    """Year windows lie in the horizon, are not empty, and let must-pilots be upgraded in the pilot year."""
    problems = []
    first, last = settings.first_year, settings.last_year
    columns = ("earliest_year", "latest_year", "pilot", "done")
    for line, *values in zip(units.index, *(units[c] for c in columns)):  # (iterrows is slow on 100,000 rows)
        row = dict(zip(columns, values))
        lo = row["earliest_year"] if not pd.isna(row["earliest_year"]) else first
        hi = row["latest_year"] if not pd.isna(row["latest_year"]) else last
        outside = False
        for col, year in (("earliest_year", row["earliest_year"]), ("latest_year", row["latest_year"])):
            if not pd.isna(year) and not first <= year <= last and not row["done"]:
                outside = True
                problems.append(Problem(csv_name, int(line), col, f"year {year:.0f} is outside the horizon {first}-{last}"
                                        + christian_era_hint(year), f"use a fiscal year from {first} to {last} (B.E.)"))
        if lo > hi and not outside:  # (a year outside the horizon is reported above, once)
            problems.append(Problem(csv_name, int(line), "earliest_year",
                                    f"earliest_year {lo:.0f} is after latest_year {hi:.0f}: no year is allowed",
                                    "make earliest_year <= latest_year"))
        if row["pilot"] == "must" and lo > first:
            problems.append(Problem(csv_name, int(line), "pilot",
                                    f"the unit must be a pilot but its earliest_year {lo:.0f} is after the pilot year {first}",
                                    "clear earliest_year or the 'must'"))
        if row["pilot"] == "must" and row["done"]:
            problems.append(Problem(csv_name, int(line), "pilot", "a done unit cannot be a pilot",
                                    "clear 'must' or 'done'"))
    return problems


def christian_era_hint(year: float) -> str:
    """' (a Christian-Era year? ...)' when ``year`` looks like C.E. rather than B.E., else ''."""
    if 1900 <= year <= 2200:
        return f" (a Christian-Era year? B.E. = C.E. + 543, so {year:.0f} is {year + 543:.0f})"
    return ""


def check_cover_columns(units: pd.DataFrame, settings: Settings, csv_name: str, toml_name: str) -> list[Problem]:
    problems = []
    for col in settings.cover:
        if col not in units.columns:
            close = difflib.get_close_matches(col, list(units.columns), n=1, cutoff=0.6)
            problems.append(Problem(toml_name, None, "[pilots] cover",
                                    f"cover column '{col}' is not a column of {csv_name}",
                                    f"did you mean '{close[0]}'?" if close
                                    else "name a column of the CSV, e.g. cover = [\"region\"]"))
    return problems


def numeric_column(units: pd.DataFrame, column: str) -> tuple[pd.Series, list[int]]:
    """The column as floats, and the CSV lines whose value is not a number (empty cells included)."""
    if pd.api.types.is_float_dtype(units[column]):
        values = units[column].astype(float)
    else:
        values = units[column].map(lambda text: parse_number(str(text))[0]).astype(float)
    return values, [int(line) for line in values.index[values.isna()]]


def check_rule_columns(units: pd.DataFrame, settings: Settings, csv_name: str, toml_name: str) -> list[Problem]:
    """The columns named by [pilots.balance], [pilots.max_share], [capacity.by], [fairness] and
    [mentors] exist; balance columns hold numbers; a mentor column names other units, without cycles."""
    problems = []
    named = [("pilots.balance", "columns", c) for c in settings.balance_columns]
    named += [("pilots.max_share", c, c) for c in settings.max_share]
    named += [("capacity.by", c, c) for c in settings.capacity_by]
    named += [("fairness", "column", settings.fairness_column), ("mentors", "column", settings.mentors_column),
              ("mentors", "mentor_column", settings.mentor_column)]
    try:
        locator = _Locator(Path(toml_name).read_text(encoding="utf-8-sig"))
    except (OSError, UnicodeDecodeError):
        locator = _Locator("")
    for section, key, col in named:
        if col is not None and col not in units.columns:
            close = difflib.get_close_matches(col, list(units.columns), n=1, cutoff=0.5)
            problems.append(Problem(toml_name, locator.line_of(section, key), f"[{section}] {key}",
                                    f"column '{col}' is not a column of {csv_name}",
                                    f"did you mean '{close[0]}'?" if close else "name a column of the CSV"))
    for col in settings.balance_columns:
        if col in units.columns:
            for line in numeric_column(units, col)[1][:5]:
                problems.append(Problem(csv_name, line, col, "value is not a number but the column is named in [pilots.balance]",
                                        "write a number in every row, or remove the column from [pilots.balance] columns"))
    if settings.mentor_column is not None and settings.mentor_column in units.columns:
        problems += check_after(units, csv_name, settings.mentor_column)
    problems += check_funds(units, settings, csv_name, toml_name, locator)
    return problems


def check_funds(units: pd.DataFrame, settings: Settings, csv_name: str, toml_name: str, locator: _Locator) -> list[Problem]:
    """[[funds]] eligibility columns exist, and every unit to schedule has a fund that may pay for it."""
    if not settings.funds:
        return []
    problems = []
    for index, fund in enumerate(settings.funds):
        for col in fund.eligible:
            if col not in units.columns:
                close = difflib.get_close_matches(col, list(units.columns), n=1, cutoff=0.5)
                problems.append(Problem(toml_name, locator.line_of_array("funds", index, "eligible"), "[[funds]] eligible",
                                        f"column '{col}' of fund '{fund.name}' is not a column of {csv_name}",
                                        f"did you mean '{close[0]}'?" if close else "name a column of the CSV"))
    if problems:
        return problems
    for line, unit in units[~units["done"]].iterrows():
        if not any(fund.pays_for(unit) for fund in settings.funds):
            problems.append(Problem(csv_name, int(line), None, f"unit {unit['unit_id']} is eligible for no fund",
                                    "add a fund without 'eligible' (a central fund) or widen a fund's eligible values"))
    return problems


def check_budget_years(settings: Settings, toml_name: str) -> list[Problem]:
    missing = [y for y in settings.years if y not in settings.budget]
    if not missing:
        return []
    return [Problem(toml_name, None, "[budget]", "no budget for fiscal year " + ", ".join(map(str, missing)),
                    f"add a line such as {missing[0]} = 100_000_000 under [budget], or pass --budget {missing[0]}=BAHT")]


def check_pilot_limits(units: pd.DataFrame | None, settings: Settings, toml_name: str) -> list[Problem]:
    if settings.pilots_max is not None and settings.pilots_min > settings.pilots_max:
        return [Problem(toml_name, None, "[pilots] min",
                        f"min = {settings.pilots_min} is greater than max = {settings.pilots_max}",
                        "make min <= max (or pass --pilots MIN:MAX)")]
    return []
