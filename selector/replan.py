"""Re-plan mid-course: lock what happened, re-optimise the rest, change as little as needed.

    >>> import selector
    >>> scenario = selector.load("scenarios/dlt-offices.csv")
    >>> result = selector.replan(scenario, "scenarios/dlt-offices-schedule.csv",
    ...                          "scenarios/dlt-offices-progress-2557.csv", 2557,
    ...                          budget={2557: 111_750_000, 2558: 198_750_000})
    >>> result.status, result.moves

The history (frozen years, returning units, new and removed units) is read by ``selector.progress``
and written into the scenario as year windows; the model is the ordinary one
(``selector.model.build_model``) with one objective term added through its ``extra`` hook:

    maximise  objective(x, p)  -  w sum_u sum_y c_u(y) x[u,y]
    c_u(y) = b_u - y            when y < b_u   (moved earlier)
           = f (y - b_u)        when y > b_u   (moved later: f = later_factor)
           = 0                  when y = b_u, or when u has no baseline year (a new unit)

Coverage makes exactly one x[u,y] equal 1, so sum_y c_u(y) x[u,y] *is* the weighted |y_u - b_u|:
the absolute value is linearised exactly, with no extra variable or row.
"""

from __future__ import annotations

import time
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Mapping

import pandas as pd

from .diagnose import basic_reasons
from .errors import Problem, ScenarioError, SolverError
from .model import Model, _expr, build_model
from .progress import DEFERRED, FAILED, Baseline, History, history, read_baseline, read_progress, replan_scenario
from .scenario import Scenario
from .solve import INFEASIBLE, NO_SOLUTION, SOLVERS, Plan, _relative_gap, schedule_from_values

NEW_UNIT, REMOVED, FAILED_PILOT, FAILED_UNIT, DEFERRED_UNIT = "new unit", "removed", "failed pilot", "failed", "deferred"
BUDGET_CUT, CAPACITY, KNOCK_ON, DONE_EARLY = "budget cut", "capacity", "knock-on", "done early"
MOVE_COLUMNS = ("unit_id", "name", "baseline_year", "new_year", "years_moved", "reason")


@dataclass
class Replan:
    """A re-plan: the new schedule, what moved and why, and what was proven.

    ``objective`` is the plain objective of the new schedule (the one ``selector solve`` maximises);
    ``penalty`` is sum_u c_u(y_u), the weighted unit-years moved; the solver maximised
    ``objective - stability * penalty``, and ``plan.objective``, ``plan.bound`` and ``plan.gap``
    refer to that penalised value (``status`` is ``optimal`` only when it was proven within the gap).
    """

    plan: Plan
    history: History
    stability: float
    later_factor: float
    objective: float | None = None
    penalty: float | None = None
    moves: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=list(MOVE_COLUMNS)))

    @property
    def status(self) -> str:
        return self.plan.status

    @property
    def schedule(self) -> pd.DataFrame | None:
        return self.plan.schedule

    @property
    def reasons(self) -> list[str]:
        return self.plan.reasons

    @property
    def removed(self) -> tuple[str, ...]:
        return self.history.removed

    def __repr__(self) -> str:
        if self.objective is None:
            return f"Replan({self.status}, from FY{self.history.from_year})"
        return (f"Replan({self.status}, from FY{self.history.from_year}, {len(self.moves)} moves, "
                f"objective={self.objective:.6g}, penalty={self.penalty:g})")


def move_cost(baseline_year: int | None, year: int, later_factor: float) -> float:
    """c_u(y): unit-years from the baseline year, a year later weighing ``later_factor``."""
    if baseline_year is None or year == baseline_year:
        return 0.0
    return float(baseline_year - year) if year < baseline_year else later_factor * (year - baseline_year)


def add_stability_penalty(m: Model, baseline_year: Mapping[str, int | None], stability: float, later_factor: float) -> None:
    """max objective - w sum_u sum_y c_u(y) x[u,y], c_u(y) = b_u - y (earlier) or f (y - b_u) (later).

    Applies to the units with a baseline year b_u; exact because sum_y x[u,y] = 1 (coverage).
    """
    if stability == 0:
        return
    terms = []
    for (uid, year), var in m.x.items():
        cost = move_cost(baseline_year.get(uid), year, later_factor)
        if cost:
            terms.append((var, -stability * cost))
    if terms:
        m.prob.setObjective(m.prob.objective + _expr(terms))


def _as_int(value) -> int | None:
    return None if value is None or pd.isna(value) else int(value)


def _overloaded_years(scenario: Scenario, hist: History) -> dict[int, str]:
    """Years >= from_year whose baseline units no longer fit: 'budget cut' first, else 'capacity'."""
    s = scenario.settings
    units = scenario.to_schedule.set_index("unit_id")
    planned: dict[int, list[str]] = {}
    for uid, year in hist.baseline.year.items():
        if year is not None and year >= hist.from_year and uid in units.index and hist.returning.get(uid) != DEFERRED:
            planned.setdefault(year, []).append(uid)
    out = {}
    for year, members in planned.items():
        if float(units.loc[members, "cost"].sum()) > float(s.budget[year]) * (1 + 1e-9):
            out[year] = BUDGET_CUT
        elif s.max_units_per_year is not None and len(members) > s.max_units_per_year:
            out[year] = CAPACITY
    return out


def list_moves(scenario: Scenario, hist: History, schedule: pd.DataFrame) -> pd.DataFrame:
    """Every unit whose year differs from the baseline, with its reason (README: "Re-planning", rule order).

    1. new unit (not in the baseline); 2. removed (not in the scenario); 3. done early (planned for
    ``from_year`` or later, now marked done in the scenario); 4. failed pilot / failed; 5. deferred;
    6. budget cut / capacity: its baseline year no longer holds its baseline units; 7. knock-on:
    moved although its own year still fits (to make room, or because the objective gains more than
    the stability penalty costs).
    """
    new_year = {uid: _as_int(y) for uid, y in zip(schedule["unit_id"], schedule["fiscal_year"])}
    names = {**hist.baseline.unit_names, **dict(zip(scenario.units["unit_id"], scenario.units["name"]))}
    done = set(scenario.units.loc[scenario.units["done"], "unit_id"])
    overloaded = _overloaded_years(scenario, hist)
    rows = []
    for uid in sorted(set(new_year) | set(hist.baseline.year)):
        base = hist.baseline.year.get(uid)
        year = new_year.get(uid)
        if uid in done:
            if base is None or base < hist.from_year:
                continue
            reason = DONE_EARLY
        elif uid in hist.removed:
            reason = REMOVED
        elif uid in hist.new:
            reason = NEW_UNIT
        elif year == base:
            continue
        elif hist.returning.get(uid) == FAILED:
            reason = FAILED_PILOT if hist.baseline.pilot.get(uid) else FAILED_UNIT
        elif hist.returning.get(uid) == DEFERRED:
            reason = DEFERRED_UNIT
        else:
            reason = overloaded.get(base, KNOCK_ON)
        moved = None if base is None or year is None else year - base
        rows.append({"unit_id": uid, "name": names.get(uid, ""), "baseline_year": base, "new_year": year,
                     "years_moved": moved, "reason": reason})
    frame = pd.DataFrame(rows, columns=list(MOVE_COLUMNS))
    for col in ("baseline_year", "new_year", "years_moved"):
        frame[col] = pd.array(frame[col], dtype="Int64")
    order = frame.assign(_b=frame["baseline_year"].fillna(10**6), _n=frame["new_year"].fillna(10**6))
    return order.sort_values(["_b", "_n", "unit_id"], kind="mergesort").drop(columns=["_b", "_n"]).reset_index(drop=True)


def _money_reasons(scenario: Scenario, hist: History) -> list[str]:
    """The remaining years cannot pay for the units still to upgrade."""
    s = scenario.settings
    todo = scenario.to_schedule
    past = [u for u, y in hist.frozen.items() if y < hist.from_year]
    later = [y for y in s.years if y >= hist.from_year]
    need = float(todo.loc[~todo["unit_id"].isin(past), "cost"].sum())
    have = float(sum(s.budget[y] for y in later))
    if need > have:
        return [f"the units still to upgrade in FY{later[0]}-{later[-1]} cost {need:,.0f} baht but the budgets of "
                f"those years add up to {have:,.0f} baht: short by {need - have:,.0f} baht (raise a budget with "
                "--budget YEAR=BAHT or widen the horizon)"]
    return []


def _apply_budget(scenario: Scenario, budget: Mapping[int, float] | None, from_year: int) -> Scenario:
    if not budget:
        return scenario
    problems = []
    for year, amount in sorted(budget.items()):
        if int(year) < from_year:
            problems.append(Problem("--budget", None, None, f"FY{year} is before the re-plan year FY{from_year}: its money is spent",
                                    f"change only the budgets of FY{from_year} and later"))
        elif int(year) not in scenario.settings.years:
            problems.append(Problem("--budget", None, None, f"FY{year} is outside the horizon",
                                    f"use a year from {from_year} to {scenario.settings.last_year}"))
        elif not amount >= 0:
            problems.append(Problem("--budget", None, None, f"budget {amount!r} for FY{year} is not >= 0", "write an amount of baht"))
    if problems:
        raise ScenarioError(problems)
    merged = dict(scenario.settings.budget)
    merged.update({int(y): float(v) for y, v in budget.items()})
    return scenario.with_settings(budget=merged)


def replan(scenario: Scenario, baseline, progress, from_year: int, stability: float | None = None,
           later_factor: float | None = None, budget: Mapping[int, float] | None = None, *,
           solver: str | None = None, time_limit: float | None = None, gap: float | None = None,
           verbose: bool = False) -> Replan:
    """Re-plan ``scenario`` from the start of fiscal year ``from_year``; never prints.

    ``baseline``: the approved schedule (a path, or a DataFrame as ``selector solve`` writes it).
    ``progress``: unit_id + state (done, in_progress, failed, deferred) and optional revised
    success / risk, as a path or DataFrame, or None when everything went as planned.
    ``stability`` / ``later_factor`` default to the scenario's ``[replan]`` settings; ``budget``
    replaces the budgets of fiscal years >= ``from_year``. Bad input raises ``ScenarioError``; an
    infeasible re-plan is returned with ``status == 'infeasible'`` and plain-words ``reasons``.
    """
    scenario = _apply_budget(scenario, budget, from_year)
    s = scenario.settings
    stability = s.stability if stability is None else float(stability)
    later_factor = s.later_factor if later_factor is None else float(later_factor)
    problems = []
    if not stability >= 0:
        problems.append(Problem("stability", None, None, f"{stability!r} is not >= 0", "pass a number >= 0"))
    if not later_factor > 0:
        problems.append(Problem("later_factor", None, None, f"{later_factor!r} is not > 0", "pass a number > 0"))
    if problems:
        raise ScenarioError(problems)
    base = baseline if isinstance(baseline, Baseline) else read_baseline(baseline, s.first_year, s.last_year)
    if progress is None:
        rows, progress_name = {}, "<progress>"
    else:
        rows, progress_name = read_progress(progress, s.scale)
    hist = history(scenario, base, rows, int(from_year), progress_name)
    derived = replan_scenario(scenario, hist)

    solver = (solver or s.solver).lower()
    if solver not in SOLVERS:
        raise SolverError(f"unknown solver '{solver}'; choose one of {', '.join(SOLVERS)}")
    time_limit = s.time_limit if time_limit is None else time_limit
    gap = s.gap if gap is None else gap

    start = time.perf_counter()
    model = build_model(derived, extra=lambda m: add_stability_penalty(m, base.year, stability, later_factor))
    build_seconds = time.perf_counter() - start
    reasons = _money_reasons(derived, hist) + basic_reasons(derived)
    if reasons:
        plan = Plan(derived, INFEASIBLE, None, None, None, None, solver, "", 0.0, build_seconds, reasons)
        return Replan(plan, hist, stability, later_factor)
    run = SOLVERS[solver](model.prob, time_limit, gap, verbose)
    if run.status in (INFEASIBLE, NO_SOLUTION):
        reasons = [] if run.status == NO_SOLUTION else (basic_reasons(derived, deep=True) or [
            "the rules together leave no feasible re-plan (the stability weight never makes a plan infeasible); "
            "try raising the budgets of the remaining years with --budget YEAR=BAHT"])
        plan = Plan(derived, run.status, None, None, None, None, run.solver, run.version, run.seconds, build_seconds, reasons)
        return Replan(plan, hist, stability, later_factor)

    schedule = schedule_from_values(model, run.values)
    assignment = {uid: _as_int(y) for uid, y in zip(schedule["unit_id"], schedule["fiscal_year"]) if uid in model.units.index}
    pilots = set(schedule.loc[schedule["pilot"], "unit_id"])
    objective = model.objective_value(assignment, pilots)
    penalty = sum(move_cost(base.year.get(u), y, later_factor) for u, y in assignment.items() if y is not None)
    total = objective - stability * penalty
    bound = max(run.bound, total) if run.bound is not None else total
    plan = Plan(derived, run.status, schedule, total, bound, _relative_gap(total, bound), run.solver, run.version,
                run.seconds, build_seconds, [])
    moves = list_moves(derived, hist, schedule)
    return Replan(plan, hist, stability, later_factor, objective, penalty, moves)


def _width(text: str) -> int:
    """Columns a text takes in a terminal: Thai vowel and tone marks above or below a letter take none."""
    return sum(0 if unicodedata.combining(c) or unicodedata.category(c) == "Mn" else 1 for c in text)


def provenance(result: Replan, scenario: Scenario, baseline, progress=None,
               budget: Mapping[int, float] | None = None):
    """How ``result`` was made, for its workbook and report (``selector.export.write_plan_files``).

    ``scenario``, ``baseline``, ``progress`` and ``budget`` are what ``replan`` was given. The
    Assumptions then list the planner's rules (with the new budgets) rather than the internal
    scenario that freezes the past years, the baseline and progress files with their SHA-256, the
    stability settings, the objective before and after the penalty for moves, and the command that
    reproduces the re-plan; the moves get a sheet of their own.
    """
    import os
    import shlex

    from .plan_tables import COUNT, OBJECTIVE, YEAR, Provenance, Words
    from .scenario import sha256_of

    folder = Path(scenario.csv_path).resolve().parent if scenario.csv_path else Path.cwd()

    def where(path) -> str:
        """The path as typed from the scenario's folder (the command is run from there)."""
        try:
            return os.path.relpath(Path(path).resolve(), folder)
        except ValueError:  # another drive (Windows): only the absolute path works
            return str(Path(path).resolve())

    hist = result.history
    rules = _apply_budget(scenario, budget, hist.from_year)
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
    for year, amount in sorted((budget or {}).items()):
        command += ["--budget", f"{int(year)}={float(amount):.0f}" if float(amount).is_integer() else f"{int(year)}={amount}"]
    command += ["--stability", f"{result.stability:g}", "--later-factor", f"{result.later_factor:g}"]
    rows += [("a_stability", result.stability, "General"), ("a_later_factor", result.later_factor, "General")]
    if result.objective is not None:
        rows += [("a_plain_objective", result.objective, OBJECTIVE), ("a_penalty", result.penalty, "General"),
                 ("a_moves_count", len(result.moves), COUNT)]
    return Provenance(shlex.join(command), rules, tuple(rows), result.moves)


def moves_text(result: Replan) -> str:
    """The moves as a table for the terminal, then the removed and assumed-done units."""
    lines = []
    moves = result.moves
    if moves.empty:
        lines.append("No unit moves: the baseline stands.")
    else:
        counts = moves["reason"].value_counts()
        lines.append(f"{len(moves)} unit(s) moved: " + ", ".join(f"{counts[r]} {r}" for r in sorted(counts.index)))
        rows = [[r.unit_id, str(r.name), "" if pd.isna(r.baseline_year) else f"FY{r.baseline_year}",
                 "" if pd.isna(r.new_year) else f"FY{r.new_year}",
                 "" if pd.isna(r.years_moved) else f"{r.years_moved:+d}", r.reason] for r in moves.itertuples()]
        header = ["unit", "name", "baseline", "new", "moved", "reason"]
        widths = [max(_width(x) for x in col) for col in zip(header, *rows)]
        for cells in [header, ["-" * w for w in widths]] + rows:
            lines.append("  ".join(c + " " * (w - _width(c)) for c, w in zip(cells, widths)).rstrip())
    hist = result.history
    if hist.assumed_done:
        lines.append(f"{len(hist.assumed_done)} unit(s) of FY{result.plan.scenario.settings.first_year}-{hist.from_year - 1} "
                     "not in the progress file were taken as done as planned")
    if result.objective is not None:
        unit_years = int(result.moves["years_moved"].abs().sum()) if not result.moves.empty else 0
        lines.append(f"Objective {result.objective:.6f} (as `selector solve` counts it); stability penalty "
                     f"{result.penalty:g} ({unit_years} unit-year(s) moved, a year later x{result.later_factor:g}); "
                     f"maximised {result.objective:.6f} - {result.stability:g} x {result.penalty:g} = {result.plan.objective:.6f}")
    return "\n".join(lines)


def write_moves_csv(result: Replan, target: str | Path) -> None:
    """The moves as CSV (UTF-8 with BOM, CRLF), written atomically."""
    from .output import schedule_csv_text, write_text_atomic

    write_text_atomic(target, "\ufeff" + schedule_csv_text(result.moves.astype(object).where(result.moves.notna(), "")))


__all__ = ["Replan", "replan", "add_stability_penalty", "move_cost", "list_moves", "moves_text", "write_moves_csv",
           "MOVE_COLUMNS"]
