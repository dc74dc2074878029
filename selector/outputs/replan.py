"""A re-plan for its reader: the moves as text and CSV, and how the re-plan was made."""

from __future__ import annotations

import unicodedata
from pathlib import Path
from typing import Mapping

import pandas as pd

from selector.atomic import write_text_atomic
from selector.data.csvfiles import sha256_of
from selector.data.scenario import Scenario
from selector.i18n import N_, _
from selector.outputs.audit import Overrides, number_text
from selector.outputs.files import schedule_csv_text
from selector.outputs.tables import COUNT, OBJECTIVE, YEAR, Provenance, Words
from selector.workflows.replan import (
    BUDGET_CUT,
    CAPACITY,
    DEFERRED_UNIT,
    DONE_EARLY,
    FAILED_PILOT,
    FAILED_UNIT,
    KNOCK_ON,
    NEW_UNIT,
    REMOVED,
    Replan,
    apply_budget,
)


def _width(text: str) -> int:
    """Columns a text takes in a terminal: Thai vowel and tone marks above or below a letter take none."""
    return sum(0 if unicodedata.combining(c) or unicodedata.category(c) == "Mn" else 1 for c in text)


def provenance(result: Replan, scenario: Scenario, baseline, progress=None,
               budget: Mapping[int, float] | None = None, overrides: Overrides | None = None):
    """How ``result`` was made, for its workbook and report (``selector.outputs.submission.write_plan_files``).

    ``scenario``, ``baseline``, ``progress`` and ``budget`` are what ``replan`` was given. The
    Assumptions then list the planner's rules (with the new budgets) rather than the internal
    scenario that freezes the past years, the baseline and progress files with their SHA-256, the
    stability settings, the objective before and after the penalty for moves, and the command that
    reproduces the re-plan; the moves get a sheet of their own.

    ``overrides`` are the command line's other choices (``--gap``, ``--time-limit``, ``--solver``,
    ``--encoding``; ``--budget`` again): each is listed as a row, as for a solve, and is in the command,
    which therefore gives the same schedule and moves again. Without it, only ``budget`` is known.
    """
    import os
    import shlex


    folder = Path(scenario.csv_path).resolve().parent if scenario.csv_path else Path.cwd()

    def where(path) -> str:
        """The path as typed from the scenario's folder (the command is run from there)."""
        try:
            return os.path.relpath(Path(path).resolve(), folder)
        except ValueError:  # another drive (Windows): only the absolute path works
            return str(Path(path).resolve())

    hist = result.history
    if overrides is None:
        overrides = Overrides(budget=budget or {})
    rules = apply_budget(scenario, budget if budget is not None else dict(overrides.budget), hist.from_year)
    rows: list[tuple[str, object, str | None]] = [("a_replan_from", hist.from_year, YEAR)]
    command = ["selector", "replan", Path(scenario.csv_path).name if scenario.csv_path else "UNITS.csv"]
    for key, source, flag in (("a_baseline", baseline, "--baseline"), ("a_progress", progress, "--progress")):
        if isinstance(source, (str, Path)):
            rows += [(key, Path(source).name, None), (f"{key}_sha", sha256_of(Path(source)), None)]
            command += [flag, where(source)]
        elif source is None:
            rows.append((key, Words("a_no_progress" if key == "a_progress" else "none"), None))
        else:  # a table given in Python: no file to name
            rows.append((key, "(DataFrame)", None))
    command += ["--from", str(hist.from_year)]
    if scenario.settings_sha256:
        command += ["--settings", where(scenario.settings_path)]
    for option, value in overrides.options():  # --budget, --gap, --time-limit, --solver, --encoding as given
        command += [option, value]
    command += ["--stability", number_text(result.stability), "--later-factor", number_text(result.later_factor)]
    rows += [("a_stability", result.stability, "General"), ("a_later_factor", result.later_factor, "General")]
    if result.objective is not None:
        rows += [("a_plain_objective", result.objective, OBJECTIVE), ("a_penalty", result.penalty, "General"),
                 ("a_moves_count", len(result.moves), COUNT)]
    return Provenance(shlex.join(command), rules, tuple(rows), result.moves, overrides)


# The reasons are codes in the moves CSV; on the screen they are words of the chosen language.
REASON_WORDS = {NEW_UNIT: N_("new unit"), REMOVED: N_("removed"), FAILED_PILOT: N_("failed pilot"),
                FAILED_UNIT: N_("failed"), DEFERRED_UNIT: N_("deferred"), BUDGET_CUT: N_("budget cut"),
                CAPACITY: N_("capacity"), KNOCK_ON: N_("knock-on"), DONE_EARLY: N_("done early")}


def reason_words(reason: str) -> str:
    """A move's reason code in the current language (an unknown code stays as it is)."""
    return _(REASON_WORDS[reason]) if reason in REASON_WORDS else reason


def moves_text(result: Replan) -> str:
    """The moves as a table for the terminal, then the removed and assumed-done units."""
    lines = []
    moves = result.moves
    if moves.empty:
        lines.append(_("No unit moves: the baseline stands."))
    else:
        counts = moves["reason"].value_counts()
        lines.append(_("{count} unit(s) moved: {reasons}", count=len(moves),
                       reasons=", ".join(f"{counts[r]} {reason_words(r)}" for r in sorted(counts.index))))
        rows = [[r.unit_id, str(r.name), "" if pd.isna(r.baseline_year) else _("FY{year}", year=r.baseline_year),
                 "" if pd.isna(r.new_year) else _("FY{year}", year=r.new_year),
                 "" if pd.isna(r.years_moved) else f"{r.years_moved:+d}", reason_words(r.reason)] for r in moves.itertuples()]
        header = [_("unit"), _("name"), _("baseline"), _("new"), _("moved"), _("reason")]
        widths = [max(_width(x) for x in col) for col in zip(header, *rows)]
        for cells in [header, ["-" * w for w in widths]] + rows:
            lines.append("  ".join(c + " " * (w - _width(c)) for c, w in zip(cells, widths)).rstrip())
    hist = result.history
    if hist.assumed_done:
        lines.append(_("{count} unit(s) of FY{first}-{last} not in the progress file were taken as done as planned",
                       count=len(hist.assumed_done), first=result.plan.scenario.settings.first_year, last=hist.from_year - 1))
    if result.objective is not None:
        unit_years = int(result.moves["years_moved"].abs().sum()) if not result.moves.empty else 0
        lines.append(_("Objective {objective} (as `selector solve` counts it); stability penalty {penalty} ({unit_years} "
                       "unit-year(s) moved, a year later x{later}); maximised {objective} - {stability} x {penalty} = {total}",
                       objective=f"{result.objective:.6f}", penalty=f"{result.penalty:g}", unit_years=unit_years,
                       later=f"{result.later_factor:g}", stability=f"{result.stability:g}",
                       total=f"{result.plan.objective:.6f}"))
    return "\n".join(lines)


def write_moves_csv(result: Replan, target: str | Path) -> None:
    """The moves as CSV (UTF-8 with BOM, CRLF), written atomically."""

    write_text_atomic(target, "\ufeff" + schedule_csv_text(result.moves.astype(object).where(result.moves.notna(), "")))
