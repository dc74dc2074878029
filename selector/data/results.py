"""The indicator results of a monitoring round: ``unit_id, indicator, result[, round][, upgraded]``.

A CSV file, or an Excel workbook (.xlsx) whose first sheet has the same columns.

One line per unit and indicator, as the offices report them (other columns, such as ``name``, are
ignored). ``round`` (6, 9 or 12 months) lets one file hold several rounds: only the lines of the
round asked for are read. ``upgraded`` (true / false, optional) says whether the unit's upgrade
happened; ``false`` on any of a unit's lines makes it *deferred*. A unit or indicator that has no
line is *not reported*: it is never read as zero.

The file is read like the units CSV (``selector.data.csvfiles``: the size limit, UTF-8 or Thai
Windows cp874, the number grammar with thousands commas and Thai digits, the formula guard), and
every problem is reported at once with its line, column and fix.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable, Mapping

from selector.data.csvfiles import decode_text, parse_number, read_input_bytes, unescape_cell
from selector.data.indicators import Monitoring
from selector.data.settings import suggest
from selector.data.workbook import is_workbook, open_workbook, sheet_rows
from selector.errors import Problem, ScenarioError
from selector.fields import FALSE_WORDS, TRUE_WORDS
from selector.i18n import _

ROUNDS = (6, 9, 12)
"""The OPDC reporting rounds: results after 6, 9 and 12 months of the fiscal year."""
RESULT_COLUMNS = ("unit_id", "indicator", "result")


@dataclass(frozen=True)
class Results:
    """The results of one round: (unit_id, indicator) -> value, and the units whose upgrade did not happen."""

    values: Mapping[tuple[str, str], float]
    round: int
    name: str = "<results>"
    not_upgraded: frozenset[str] = frozenset()
    lines: Mapping[tuple[str, str], int] = field(default_factory=dict)

    def of(self, unit_id: str, indicator: str) -> float | None:
        return self.values.get((unit_id, indicator))

    @property
    def units(self) -> tuple[str, ...]:
        return tuple(sorted({u for u, _ in self.values} | set(self.not_upgraded)))


def read_results(path: str | Path, monitoring: Monitoring, unit_ids: Iterable[str], round_: int,
                 name: str | None = None, encoding: str | None = None) -> Results:
    """Read and validate a results CSV (or .xlsx workbook) against the scorecard and the scenario's units; ``ScenarioError`` lists every problem."""
    name = name or str(path)
    problems: list[Problem] = []
    if round_ not in ROUNDS:
        problems.append(Problem("--round", None, None, _("round {round} is not a reporting round", round=round_),
                                _("use 6, 9 or 12 (months into the fiscal year)")))
    raw, read_problems = read_input_bytes(Path(path), name)
    if raw is None:
        raise ScenarioError(problems + read_problems)
    if is_workbook(path) or raw[:4] == b"PK\x03\x04":  # its first sheet, read as the CSV would be
        book, read_problems = open_workbook(Path(path), name, raw)
        rows, sheet_problems = sheet_rows(book) if book is not None else ([], [])
        read_problems += sheet_problems
    else:
        text, read_problems = decode_text(raw, name, encoding)
        rows = list(csv.reader(io.StringIO(text, newline=""))) if text is not None else []
    if read_problems:
        raise ScenarioError(problems + read_problems)
    if not rows or not any(c.strip() for r in rows for c in r):
        raise ScenarioError(problems + [Problem(name, None, None, _("is empty"),
                                                _("put a header line (unit_id,indicator,result) and one line per unit and indicator"))])
    header = [h.strip().lower() for h in rows[0]]
    missing = [c for c in RESULT_COLUMNS if c not in header]
    if missing:
        raise ScenarioError(problems + [Problem(name, 1, c, _("required column is missing"),
                                                _("add a column named '{column}' (unit_id,indicator,result[,round])", column=c))
                                        for c in missing])
    known_units = set(unit_ids)
    ids = monitoring.ids
    if not ids:
        problems.append(Problem(name, None, None, _("there is no scorecard to score these results against"),
                                _("add [[indicators]] to the settings TOML, or pass --indicators FILE")))
    values: dict[tuple[str, str], float] = {}
    lines: dict[tuple[str, str], int] = {}
    not_upgraded: set[str] = set()
    for number, cells in enumerate(rows[1:], start=2):
        if not any(c.strip() for c in cells):
            continue
        if len(cells) != len(header):
            problems.append(Problem(name, number, None, _("has {found} fields but the header has {expected}",
                                                          found=len(cells), expected=len(header)),
                                    _("check for an extra or missing comma")))
            continue
        row = {h: unescape_cell(c.strip()) for h, c in zip(header, cells)}
        if "round" in row and row["round"] != "":
            value, reason = parse_number(row["round"])
            if reason or value not in ROUNDS:
                problems.append(Problem(name, number, "round", _("'{value}' is not a reporting round", value=row["round"]),
                                        _("write 6, 9 or 12 (months into the fiscal year)")))
                continue
            if int(value) != round_:
                continue
        uid, indicator = row["unit_id"], row["indicator"]
        if not uid:
            problems.append(Problem(name, number, "unit_id", _("unit_id is empty"), _("write the unit's id")))
        elif uid not in known_units:
            problems.append(Problem(name, number, "unit_id", _("unit '{unit}' is not in the scenario", unit=uid),
                                    _("correct the unit_id (as in the units CSV) or delete the line")))
            continue
        if ids and indicator not in ids:
            problems.append(Problem(name, number, "indicator", _("'{indicator}' is not an indicator of the scorecard",
                                                                 indicator=indicator), suggest(indicator, ids)))
            continue
        flag = row.get("upgraded", "").lower()
        if flag and flag not in TRUE_WORDS and flag not in FALSE_WORDS:
            problems.append(Problem(name, number, "upgraded", _("'{value}' is not true or false", value=row["upgraded"]),
                                    _("write true or false, or leave it empty")))
        elif flag and flag in FALSE_WORDS and uid:
            not_upgraded.add(uid)
        if row["result"] == "":
            continue  # an empty result is a result not reported (never zero)
        value, reason = parse_number(row["result"])
        if reason:
            problems.append(Problem(name, number, "result", _("value {reason}", reason=reason),
                                    _("write the measured result as a number, or leave it empty if it is not reported")))
            continue
        if not uid:
            continue
        key = (uid, indicator)
        if key in lines:
            problems.append(Problem(name, number, "indicator",
                                    _("unit {unit} already has a result for '{indicator}' on line {line}",
                                      unit=uid, indicator=indicator, line=lines[key]),
                                    _("keep one result per unit and indicator (and round)")))
            continue
        values[key], lines[key] = value, number
    if problems:
        raise ScenarioError(problems)
    return Results(values, round_, name, frozenset(not_upgraded), lines)
