"""Compare plans side by side: which units moved, cost and coverage per year, pilots, objective.

    >>> comparison = selector.compare({"base": plan, "cut 20%": cut_plan})
    >>> comparison.moved          # units whose fiscal year or pilot status differs from the base
    >>> comparison.coverage       # share of units upgraded by the end of each fiscal year

The first plan is the base: ``moved`` and the objective's ``change_pct`` are against it. A plan is a
``Plan``, or a file written by ``selector solve``: the schedule CSV (no objective or budget in it)
or the ``--json`` record (both). Objectives are comparable only between plans with the same
weights: a weight change changes the scale of the objective, not only the plan.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Mapping, Union

import pandas as pd

from selector.check import read_schedule
from selector.data.csvfiles import read_input_text
from selector.errors import Problem, ScenarioError
from selector.i18n import _, ngettext
from selector.plan import Plan

MOVED_COLUMNS = ("scenario", "unit_id", "name", "region", "base_year", "year", "base_pilot", "pilot", "change",
                 "base_pilot_score", "pilot_score", "base_rollout_score", "rollout_score")

PlanLike = Union[Plan, "PlanFacts", str, Path]


@dataclass(frozen=True)
class PlanFacts:
    """What a comparison needs of one plan: its schedule and, when known, its budgets and objective.

    ``schedule`` has the schedule CSV's columns with ``fiscal_year`` as nullable integers (empty for
    done units) and ``pilot`` as booleans. ``budget`` and ``objective`` are None when unknown
    (a schedule CSV carries neither).
    """

    schedule: pd.DataFrame
    years: tuple[int, ...]
    budget: Mapping[int, float] | None = None
    objective: float | None = None
    status: str | None = None

    @classmethod
    def of_plan(cls, plan: Plan) -> "PlanFacts":
        if plan.schedule is None:
            raise ValueError(f"the plan has no schedule (status {plan.status}): nothing to compare")
        settings = plan.scenario.settings
        return cls(plan.schedule, settings.years, dict(settings.budget), plan.objective, plan.status)


def read_plan_file(path: str | Path) -> PlanFacts:
    """A schedule CSV or a ``selector solve --json`` record as ``PlanFacts``; ScenarioError if it is neither."""
    path = Path(path)
    if path.suffix.lower() == ".json":
        return _read_record(path)

    return _facts_from_rows(read_schedule(path), str(path), first_line=2)


def _read_record(path: Path) -> PlanFacts:
    name = str(path)
    text, problems = read_input_text(path, name)
    if text is None:
        raise ScenarioError(problems)
    try:
        record = json.loads(text)
        settings = record["settings"]
        units = record["units"]
        budget = {int(y): float(v) for y, v in settings["budget"].items()}
        years = tuple(range(int(settings["horizon"]["first_year"]), int(settings["horizon"]["last_year"]) + 1))
    except (ValueError, KeyError, TypeError, AttributeError, RecursionError) as exc:
        raise ScenarioError([Problem(name, None, None, _("is not a selector --json record ({error})", error=exc),
                                     _("pass the file written by selector solve --json, or the schedule CSV"))])
    rows = [{k: ("" if v is None else str(v).lower() if isinstance(v, bool) else str(v)) for k, v in u.items()}
            for u in units]
    facts = _facts_from_rows(rows, name, first_line=None)
    return PlanFacts(facts.schedule, years, budget, record.get("objective"), record.get("status"))


def _facts_from_rows(rows: list[dict[str, str]], name: str, first_line: int | None) -> PlanFacts:
    """Type the text rows of a schedule; every bad cell is reported together."""
    problems = []
    years, pilots = [], []
    for number, row in enumerate(rows):
        line = None if first_line is None else first_line + number
        text = row.get("fiscal_year", "")
        try:
            years.append(int(text) if text != "" else None)
        except ValueError:
            problems.append(Problem(name, line, "fiscal_year", _("'{text}' is not a fiscal year", text=text),
                                    _("write a year such as 2556")))
            years.append(None)
        word = row.get("pilot", "").lower()
        if word not in ("true", "false"):
            problems.append(Problem(name, line, "pilot", _("'{text}' is not true or false", text=row.get("pilot")),
                                    _("write true or false")))
        pilots.append(word == "true")
    if not rows:
        problems.append(Problem(name, None, None, _("has no units"), _("pass a schedule written by selector solve")))
    if problems:
        raise ScenarioError(problems)
    schedule = pd.DataFrame(rows)
    schedule["fiscal_year"] = pd.array(years, dtype="Int64")
    schedule["pilot"] = pilots
    for col in ("cost", "pilot_score", "rollout_score"):
        if col in schedule:
            schedule[col] = pd.to_numeric(schedule[col], errors="coerce")
    for col in ("name", "region", "phase"):
        if col not in schedule:
            schedule[col] = ""
    known = sorted(int(y) for y in schedule["fiscal_year"].dropna().unique())
    span = tuple(range(known[0], known[-1] + 1)) if known else ()
    return PlanFacts(schedule, span)


def _facts(plan: PlanLike) -> PlanFacts:
    if isinstance(plan, PlanFacts):
        return plan
    if isinstance(plan, Plan):
        return PlanFacts.of_plan(plan)
    return read_plan_file(plan)


@dataclass(frozen=True, repr=False)
class Comparison:
    """Plans side by side; the first is the base. Every table is a DataFrame with a column per plan.

    - ``objectives``: per plan its status, objective, change in % against the base, pilots, total
      cost and the number of units that moved against the base.
    - ``cost``, ``budget``, ``units``: per fiscal year (rows) and plan (columns).
    - ``coverage``: share of all units upgraded by the end of each fiscal year (done units count
      from the start).
    - ``pilots_by_region``: pilots per region (rows) and plan.
    - ``moved``: one row per (plan, unit) whose fiscal year or pilot status differs from the base,
      with both values and the unit's scores in both plans.
    """

    names: tuple[str, ...]
    plans: tuple[PlanFacts, ...]
    objectives: pd.DataFrame
    cost: pd.DataFrame
    budget: pd.DataFrame
    units: pd.DataFrame
    coverage: pd.DataFrame
    pilots_by_region: pd.DataFrame
    moved: pd.DataFrame

    def moved_in(self, name: str) -> pd.DataFrame:
        """The units that moved in plan ``name`` against the base."""
        return self.moved[self.moved["scenario"] == name].reset_index(drop=True)

    def __repr__(self) -> str:
        return f"Comparison({', '.join(self.names)}: {len(self.moved)} unit moves against {self.names[0]})"

    def to_text(self) -> str:
        """The terminal summary printed by ``selector compare``."""
        # Lazy by design: the display layer sits above this one (docs/architecture.md).
        from selector.outputs.text import comparison_text

        return comparison_text(self)

    def _repr_html_(self) -> str:
        # Lazy by design: the display layer sits above this one (docs/architecture.md).
        from selector.outputs.display import comparison_html

        return comparison_html(self)


def compare(plans: Mapping[str, PlanLike]) -> Comparison:
    """Compare named plans (``Plan`` objects or files of ``selector solve``); the first is the base.

    One plan alone gives its tables (nothing moved). Raises ValueError when no plan is given or a
    plan has no schedule, and
    ScenarioError when the plans do not schedule the same units.
    """
    if not plans:
        raise ValueError("compare needs plans to compare, e.g. {'base': plan_a, 'variant': plan_b}")
    names = tuple(str(n) for n in plans)
    facts = tuple(_facts(p) for p in plans.values())
    _check_same_units(names, facts)
    years = sorted(set().union(*(f.years for f in facts)))
    cost = pd.DataFrame({n: _per_year(f, years, "cost") for n, f in zip(names, facts)}, index=_year_index(years))
    units = pd.DataFrame({n: _per_year(f, years, "units") for n, f in zip(names, facts)}, index=_year_index(years))
    budget = pd.DataFrame({n: [(f.budget or {}).get(y, float("nan")) for y in years] for n, f in zip(names, facts)},
                          index=_year_index(years), dtype=float)
    coverage = pd.DataFrame({n: _coverage(f, years) for n, f in zip(names, facts)}, index=_year_index(years))
    pilots = pd.DataFrame({n: f.schedule[f.schedule["pilot"]].groupby("region").size() for n, f in zip(names, facts)})
    pilots = pilots.fillna(0).astype(int).sort_index().rename_axis("region")
    moves = [_moved(facts[0], f, n) for n, f in zip(names[1:], facts[1:])]
    moved = pd.concat(moves, ignore_index=True) if moves else pd.DataFrame(columns=list(MOVED_COLUMNS))
    objectives = _objectives(names, facts, moved)
    return Comparison(names, facts, objectives, cost, budget, units, coverage, pilots, moved)


def _year_index(years: list[int]) -> pd.Index:
    return pd.Index(years, name="fiscal_year")


def _check_same_units(names: tuple[str, ...], facts: tuple[PlanFacts, ...]) -> None:
    base = set(facts[0].schedule["unit_id"])
    problems = []
    for name, f in zip(names[1:], facts[1:]):
        other = set(f.schedule["unit_id"])
        for uid in sorted(base - other)[:5]:
            problems.append(Problem(name, None, "unit_id", _("unit '{unit}' of {name} is missing", unit=uid, name=names[0]),
                                    _("compare plans of the same units")))
        for uid in sorted(other - base)[:5]:
            problems.append(Problem(name, None, "unit_id", _("unit '{unit}' is not in {name}", unit=uid, name=names[0]),
                                    _("compare plans of the same units")))
    if problems:
        raise ScenarioError(problems)


def _per_year(f: PlanFacts, years: list[int], what: str) -> list[float]:
    sched = f.schedule
    groups = sched.groupby("fiscal_year")
    table = groups["cost"].sum() if what == "cost" else groups.size()
    return [table.get(y, 0) for y in years]


def _coverage(f: PlanFacts, years: list[int]) -> list[float]:
    """Share of all units upgraded by the end of each year: (done + scheduled up to y) / all."""
    sched = f.schedule
    total = len(sched)
    done = int(sched["fiscal_year"].isna().sum())
    scheduled = sched["fiscal_year"].dropna().astype(int)
    return [(done + int((scheduled <= y).sum())) / total for y in years]


def _moved(base: PlanFacts, other: PlanFacts, name: str) -> pd.DataFrame:
    """Units whose fiscal year or pilot status differs between the base and ``other``."""
    keep = ["unit_id", "name", "region", "fiscal_year", "pilot", "pilot_score", "rollout_score"]
    left = base.schedule.reindex(columns=keep)
    right = other.schedule.reindex(columns=["unit_id", "fiscal_year", "pilot", "pilot_score", "rollout_score"])
    both = left.merge(right, on="unit_id", suffixes=("_base", ""))
    year_differs = both["fiscal_year_base"].fillna(-1) != both["fiscal_year"].fillna(-1)
    rows = both[year_differs | (both["pilot_base"] != both["pilot"])].copy()
    rows = rows.rename(columns={"fiscal_year_base": "base_year", "fiscal_year": "year", "pilot_base": "base_pilot",
                                "pilot_score_base": "base_pilot_score", "rollout_score_base": "base_rollout_score"})
    rows["scenario"] = name
    rows["change"] = [_change(*r) for r in zip(rows["base_year"], rows["year"], rows["base_pilot"], rows["pilot"])]
    rows = rows.sort_values(["base_year", "unit_id"], kind="mergesort", na_position="last")
    return rows.reindex(columns=list(MOVED_COLUMNS)).reset_index(drop=True)


def _change(base_year, year, base_pilot: bool, pilot: bool) -> str:
    """The move in words: 'FY2556 -> FY2557 (1 year later)', 'became a pilot'..."""
    words = []
    both_known = not pd.isna(base_year) and not pd.isna(year)
    same_year = (pd.isna(base_year) and pd.isna(year)) or (both_known and int(base_year) == int(year))
    if not same_year:
        before = _("done") if pd.isna(base_year) else _("FY{year}", year=int(base_year))
        after = _("done") if pd.isna(year) else _("FY{year}", year=int(year))
        text = f"{before} -> {after}"
        if both_known:
            shift = int(year) - int(base_year)
            text += " (" + (ngettext("{n} year later", "{n} years later", shift) if shift > 0
                            else ngettext("{n} year earlier", "{n} years earlier", -shift)) + ")"
        words.append(text)
    if pilot != base_pilot:
        words.append(_("became a pilot") if pilot else _("no longer a pilot"))
    return "; ".join(words)


def _objectives(names: tuple[str, ...], facts: tuple[PlanFacts, ...], moved: pd.DataFrame) -> pd.DataFrame:
    base = facts[0].objective
    rows = []
    for name, f in zip(names, facts):
        change = (100 * (f.objective - base) / abs(base)
                  if f.objective is not None and base is not None and base != 0 else float("nan"))
        rows.append({
            "status": f.status or "",
            "objective": float("nan") if f.objective is None else f.objective,
            "change_pct": change,
            "pilots": int(f.schedule["pilot"].sum()),
            "cost": float(f.schedule["cost"].sum()) if "cost" in f.schedule else float("nan"),
            "moved": int((moved["scenario"] == name).sum()),
        })
    return pd.DataFrame(rows, index=pd.Index(names, name="scenario"))
