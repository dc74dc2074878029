"""What happened so far: the approved baseline schedule and the progress file of a re-plan.

``read_baseline`` and ``read_progress`` validate the two files (every problem at once, with file,
line and column, as ``ScenarioError``); ``history`` matches them with the scenario as of the start
of fiscal year ``from_year``; ``replan_scenario`` turns that history into the scenario the re-plan
solves, by plain table edits (windows, cleared rules), so that the model builder needs no change.
No solver or model code is imported here: ``selector check`` uses this module too.

Rules (docs/replanning.md):

- a unit whose baseline year is before ``from_year`` happened as planned unless the progress file
  says otherwise: it is *frozen* in that year (``done``, ``in_progress`` or not listed);
- ``in_progress`` in ``from_year`` itself is frozen too (the work has begun);
- ``failed`` (upgraded in a past year, failed its evaluation) and ``deferred`` (a past year's upgrade
  did not happen) return to the pool for a year >= ``from_year``; a unit deferred from a year >=
  ``from_year`` goes to a year after its baseline year;
- units of the scenario absent from the baseline are *new*; baseline units absent from the
  scenario are *removed*.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field, replace
from typing import Mapping

import numpy as np
import pandas as pd

from selector.data.csvfiles import decode_text, parse_number, read_input_bytes, unescape_cell
from selector.data.scenario import Scenario
from selector.errors import Problem, ScenarioError
from selector.i18n import _

DONE, IN_PROGRESS, FAILED, DEFERRED = "done", "in_progress", "failed", "deferred"
STATES = (DONE, IN_PROGRESS, FAILED, DEFERRED)
UPDATABLE = ("success", "risk")  # scores the progress file may revise (after a failed pilot's evaluation)
_STATE_WORDS = {"done": DONE, "in_progress": IN_PROGRESS, "in progress": IN_PROGRESS, "in-progress": IN_PROGRESS,
                "failed": FAILED, "deferred": DEFERRED}


@dataclass(frozen=True)
class Baseline:
    """The approved schedule: unit_id -> fiscal year (None: done before the plan) and pilot flag."""

    year: Mapping[str, int | None]
    pilot: Mapping[str, bool]
    name: str = "<baseline>"
    unit_names: Mapping[str, str] = field(default_factory=dict)  # from its `name` column, if any


@dataclass(frozen=True)
class ProgressRow:
    state: str
    line: int
    updates: Mapping[str, float] = field(default_factory=dict)


@dataclass(frozen=True)
class History:
    """The baseline and the progress matched with the scenario, as of the start of ``from_year``."""

    from_year: int
    baseline: Baseline
    progress: Mapping[str, ProgressRow]
    frozen: Mapping[str, int]  # unit -> the year it happened in (fixed)
    returning: Mapping[str, str]  # unit -> failed | deferred: back in the pool
    earliest: Mapping[str, int]  # unit -> earliest year the re-plan may give it
    new: tuple[str, ...]  # in the scenario, not (scheduled) in the baseline
    removed: tuple[str, ...]  # in the baseline, not in the scenario
    assumed_done: tuple[str, ...]  # frozen because not listed in the progress file


def _rows(source, name: str) -> tuple[list[str], list[tuple[int, dict[str, str]]], list[Problem]]:
    """Header and (line, row) pairs of a CSV path or a DataFrame, all cells as stripped text."""
    if isinstance(source, pd.DataFrame):
        header = [str(c) for c in source.columns]
        body = []
        for number, values in enumerate(source.itertuples(index=False), start=2):
            row = {}
            for col, value in zip(header, values):
                if value is None or (not isinstance(value, str) and pd.isna(value)):
                    text = ""
                elif isinstance(value, (bool, np.bool_)):
                    text = "true" if value else "false"
                elif isinstance(value, float) and value.is_integer():
                    text = str(int(value))
                else:
                    text = str(value)
                row[col] = text.strip()
            body.append((number, row))
        return header, body, []
    raw, problems = read_input_bytes(source, name)
    if raw is None:
        return [], [], problems
    text, problems = decode_text(raw, name)
    if text is None:
        return [], [], problems
    lines = list(csv.reader(io.StringIO(text, newline="")))
    if not lines:
        return [], [], [Problem(name, None, None, _("is empty"), _("put a header line and one line per unit"))]
    header = [h.strip() for h in lines[0]]
    body = []
    for number, cells in enumerate(lines[1:], start=2):
        if not any(c.strip() for c in cells):
            continue
        if len(cells) != len(header):
            problems.append(Problem(name, number, None, _("has {fields} fields but the header has {columns}",
                                                          fields=len(cells), columns=len(header)),
                                    _("check for an extra or missing comma")))
            continue
        body.append((number, {h: unescape_cell(c.strip()) for h, c in zip(header, cells)}))
    return header, body, problems


def _missing_columns(header: list[str], needed: tuple[str, ...], name: str) -> list[Problem]:
    return [Problem(name, 1, c, _("required column is missing"), _("add a column named '{column}'", column=c))
            for c in needed if c not in header]


def _duplicates(body, name: str) -> list[Problem]:
    lines: dict[str, list[int]] = {}
    for number, row in body:
        lines.setdefault(row["unit_id"], []).append(number)
    return [Problem(name, numbers[1], "unit_id", _("unit_id '{unit}' is on lines {lines}", unit=uid,
                                                   lines=", ".join(map(str, numbers))), _("list each unit once"))
            for uid, numbers in sorted(lines.items()) if len(numbers) > 1 and uid]


def _read(source, name: str | None, default_name: str, needed: tuple[str, ...]):
    """(name, body, problems so far) of a readable file with the needed columns; else ScenarioError."""
    name = name or (str(source) if not isinstance(source, pd.DataFrame) else default_name)
    header, body, problems = _rows(source, name)
    if header:
        problems += _missing_columns(header, needed, name)
    if problems:
        raise ScenarioError(problems)
    problems = _duplicates(body, name)
    problems += [Problem(name, number, "unit_id", _("unit_id is empty"), _("write the unit's id")) for number, row in body
                 if not row["unit_id"]]
    return name, [(number, row) for number, row in body if row["unit_id"]], problems


def read_baseline(source, first_year: int, last_year: int, name: str | None = None) -> Baseline:
    """Read and validate an approved schedule (as written by ``selector solve``): unit_id, fiscal_year[, pilot]."""
    name, body, problems = _read(source, name, "<baseline>", ("unit_id", "fiscal_year"))
    year: dict[str, int | None] = {}
    pilot: dict[str, bool] = {}
    for number, row in body:
        uid = row["unit_id"]
        text = row["fiscal_year"].translate(str.maketrans("๐๑๒๓๔๕๖๗๘๙", "0123456789"))
        if text == "":
            year[uid] = None
        elif not text.isdigit():
            problems.append(Problem(name, number, "fiscal_year", _("'{text}' is not a fiscal year", text=row["fiscal_year"]),
                                    _("write a Buddhist-Era fiscal year such as 2556, or leave it empty for a done unit")))
            continue
        elif not first_year <= int(text) <= last_year:
            problems.append(Problem(name, number, "fiscal_year", _("year {year} is outside the horizon {first}-{last}",
                                                                   year=text, first=first_year, last=last_year),
                                    _("pass the schedule approved for this scenario's horizon")))
            continue
        else:
            year[uid] = int(text)
        flag = row.get("pilot", "").lower()
        if flag not in ("", "true", "false"):
            problems.append(Problem(name, number, "pilot", _("'{text}' is not true or false", text=row["pilot"]),
                                    _("write true or false")))
        pilot[uid] = flag == "true" if flag else year[uid] == first_year
    if problems:
        raise ScenarioError(problems)
    names = {row["unit_id"]: row.get("name", "") for _number, row in body}
    return Baseline(year=year, pilot=pilot, name=name, unit_names=names)


def read_progress(source, scale: tuple[float, float], name: str | None = None) -> tuple[dict[str, ProgressRow], str]:
    """Read and validate a progress file: unit_id, state[, success][, risk]; other columns are ignored."""
    name, body, problems = _read(source, name, "<progress>", ("unit_id", "state"))
    lo, hi = scale
    rows: dict[str, ProgressRow] = {}
    for number, row in body:
        uid = row["unit_id"]
        state = _STATE_WORDS.get(row["state"].lower())
        if state is None:
            problems.append(Problem(name, number, "state", _("'{text}' is not a state", text=row["state"]),
                                    _("write done, in_progress, failed or deferred")))
            continue
        updates = {}
        for col in UPDATABLE:
            text = row.get(col, "")
            if text == "":
                continue
            value, reason = parse_number(text)
            if reason:
                problems.append(Problem(name, number, col, _("value {reason}", reason=reason),
                                        _("write a score such as 3, or leave it empty")))
            elif not lo <= value <= hi:
                problems.append(Problem(name, number, col, _("value {value} is outside the scale {lo} to {hi}",
                                                              value=f"{value:g}", lo=f"{lo:g}", hi=f"{hi:g}"),
                                        _("use a score from {lo} to {hi}", lo=f"{lo:g}", hi=f"{hi:g}")))
            else:
                updates[col] = value
        rows.setdefault(uid, ProgressRow(state, number, updates))
    if problems:
        raise ScenarioError(problems)
    return rows, name


def history(scenario: Scenario, baseline: Baseline, progress: Mapping[str, ProgressRow], from_year: int,
            progress_name: str = "<progress>") -> History:
    """Match the baseline and the progress with the scenario; every contradiction is a ``ScenarioError``."""
    s = scenario.settings
    first, last = s.first_year, s.last_year
    if not first <= from_year <= last:
        raise ScenarioError([Problem("--from", None, None, _("FY{year} is outside the horizon {first}-{last}",
                                                             year=from_year, first=first, last=last),
                                     _("re-plan from a fiscal year from {first} to {last}", first=first, last=last))])
    line_of = dict(zip(scenario.units["unit_id"], scenario.units.index))
    units = scenario.units.set_index("unit_id", drop=False)
    done_in_scenario = set(units.index[units["done"]])
    problems: list[Problem] = []
    frozen: dict[str, int] = {}
    returning: dict[str, str] = {}
    earliest: dict[str, int] = {}
    assumed: list[str] = []

    def bad(uid: str, message: str, fix: str) -> None:
        problems.append(Problem(progress_name, progress[uid].line, "state", message, fix))

    for uid, row in sorted(progress.items()):
        if uid not in units.index and uid not in baseline.year:
            problems.append(Problem(progress_name, row.line, "unit_id",
                                    _("unit '{unit}' is neither in the scenario nor in the baseline", unit=uid),
                                    _("correct the unit_id or delete the line")))
        elif uid in done_in_scenario and row.state != DONE:
            bad(uid, _("unit {unit} is marked done in the scenario but '{state}' here", unit=uid, state=row.state),
                _("make the two files agree"))
        elif uid in units.index and uid not in done_in_scenario and baseline.year.get(uid) is None:
            bad(uid, _("unit {unit} is not scheduled in the baseline, so it cannot be '{state}'", unit=uid, state=row.state),
                _("if it was upgraded anyway, mark it done = true in the scenario CSV; otherwise delete the line"))

    for uid in units.index:
        if uid in done_in_scenario:
            continue
        base = baseline.year.get(uid)
        row = progress.get(uid)
        state = row.state if row else None
        lo = units.at[uid, "earliest_year"]
        hi = units.at[uid, "latest_year"]
        own_lo = int(lo) if not pd.isna(lo) else first
        if base is None:
            earliest[uid] = max(own_lo, from_year)
            continue
        if state in (FAILED, DEFERRED):
            if state == FAILED and base >= from_year:
                bad(uid, _("unit {unit} is planned for FY{year}, not before FY{start}, so it cannot have failed yet",
                           unit=uid, year=base, start=from_year), _("use 'deferred' to put it off, or delete the line"))
                continue
            start = from_year if base < from_year else base + 1
            if start > last:
                bad(uid, _("unit {unit} is planned for the last year FY{year} and cannot be deferred beyond it",
                           unit=uid, year=last), _("delete the line, or widen [horizon] last_year"))
                continue
            returning[uid] = state
            earliest[uid] = max(own_lo, start)
        elif base < from_year or (state == IN_PROGRESS and base == from_year):
            if state == DONE or state == IN_PROGRESS or state is None:
                frozen[uid] = base
                if state is None:
                    assumed.append(uid)
        elif state == DONE:
            bad(uid, _("unit {unit} is planned for FY{year} but is marked done before FY{start}", unit=uid, year=base,
                       start=from_year),
                _("if it was upgraded early, mark it done = true in the scenario CSV and delete this line"))
        elif state == IN_PROGRESS:
            bad(uid, _("unit {unit} is planned for FY{year}, after FY{start}, so its work cannot be in progress",
                       unit=uid, year=base, start=from_year), _("delete the line, or re-plan from a later year"))
        else:
            earliest[uid] = max(own_lo, from_year)
        if uid in earliest and not pd.isna(hi) and int(hi) < earliest[uid]:
            problems.append(Problem(scenario.csv_path or "<units>", int(line_of[uid]), "latest_year",
                                    _("unit {unit} must be upgraded by FY{latest} but can now come no earlier than FY{earliest}",
                                      unit=uid, latest=int(hi), earliest=earliest[uid]),
                                    _("set latest_year to {year} or later", year=earliest[uid])))
    if problems:
        raise ScenarioError(problems)
    new = tuple(sorted(u for u in units.index if u not in done_in_scenario and baseline.year.get(u) is None))
    removed = tuple(sorted(u for u in baseline.year if u not in units.index))
    return History(from_year, baseline, dict(progress), frozen, returning, earliest, new, removed, tuple(sorted(assumed)))


def replan_scenario(scenario: Scenario, hist: History, windows: bool = True) -> Scenario:
    """The scenario the re-plan solves: history written into the units table, as new windows.

    Frozen units get earliest_year = latest_year = the year they happened in, and no `after` rule
    (their year is history). Every other unit gets earliest_year >= its earliest re-plan year.
    With ``windows=False`` (for ``selector check``, which tests history directly) the frozen units'
    windows are cleared instead and the others keep their own.
    Revised success / risk scores replace the scenario's. When the pilot year is over
    (``from_year`` > first year), the pilot rules (count, cover, mean risk, must / never) concern
    the past: they were met by the pilots that happened and are dropped, so that a failed pilot
    leaving the pilot year does not make the re-plan infeasible.
    """
    units = scenario.units.copy()
    by_id = pd.Series(units.index, index=units["unit_id"])
    for uid, year in hist.frozen.items():
        line = by_id[uid]
        units.at[line, "earliest_year"] = float(year) if windows else float("nan")
        units.at[line, "latest_year"] = float(year) if windows else float("nan")
        units.at[line, "after"] = ""
    for uid, year in hist.earliest.items():
        if windows:
            units.at[by_id[uid], "earliest_year"] = float(year)
    for uid, row in hist.progress.items():
        if uid in by_id.index:
            for col, value in row.updates.items():
                units.at[by_id[uid], col] = float(value)
    settings = scenario.settings
    if hist.from_year > settings.first_year:
        units["pilot"] = ""
        settings = replace(settings, pilots_min=0, pilots_max=max(1, len(units)), cover=(), max_mean_risk=None)
    return replace(scenario, units=units, settings=settings)
