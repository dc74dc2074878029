"""A solved scenario: the ``Plan``, its views, and the schedule table built from the solver's values."""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import pandas as pd

from selector.analysis.diagnose import Finding
from selector.analysis.reasons import explanation_column
from selector.data.scenario import Scenario
from selector.fields import KNOWN_COLUMNS
from selector.model.balance import balance_table
from selector.model.build import Model
from selector.model.costs import commitments_table, costs_active, spending_table
from selector.solvers.options import SolveOptions
from selector.status import Status

SCORE_DECIMALS = 6

SCHEDULE_COLUMNS = (
    "unit_id", "name", "region", "fiscal_year", "phase", "pilot", "cost", "pilot_score", "rollout_score", "explanation",
)


@dataclass
class Plan:
    """A solved scenario: the schedule and the facts of the solve.

    ``schedule`` has one row per unit (done units included, with phase ``done``), sorted by fiscal
    year then unit_id. ``objective`` is recomputed from the schedule; ``bound`` is the solver's proven
    bound on the best objective; ``gap`` = (bound - objective) / |objective|.
    """

    scenario: Scenario
    status: Status
    schedule: pd.DataFrame | None
    objective: float | None
    bound: float | None
    gap: float | None
    solver: str
    solver_version: str
    solve_seconds: float
    build_seconds: float
    reasons: list[str] = field(default_factory=list)
    diagnosis: list[Finding] = field(default_factory=list)
    marginal: dict[int, float] | None = None  # objective per extra million baht by year (LP relaxation)
    options: SolveOptions | None = None  # what the solve used; None for a schedule read from a file (Status.CHECKED)
    category_marginal: dict[tuple[str, int], float] | None = None  # per ([budget.<category>], year), as ``marginal``

    @property
    def unscheduled(self) -> list[str]:
        """The units left out of a best-effort plan (phase ``unscheduled``)."""
        if self.schedule is None:
            return []
        return list(self.schedule.loc[self.schedule["phase"] == "unscheduled", "unit_id"])

    @property
    def extra_budget(self) -> dict[int, float]:
        """Best-effort: the extra baht per fiscal year that would schedule every unit (from ``diagnosis``)."""
        return {int(f.key): float(f.shortfall) for f in self.diagnosis if f.rule == "budget"}

    @property
    def extra_money(self) -> list[Finding]:
        """Best-effort: every extra amount (a year's budget, a category's ceiling, [budget] after) that
        would schedule every unit (from ``diagnosis``)."""
        return [f for f in self.diagnosis if f.rule in ("budget", "category", "after_budget")]

    @property
    def proven_optimal(self) -> bool:
        return self.status == Status.OPTIMAL

    @property
    def by_year(self) -> pd.DataFrame:
        """Per fiscal year: units, pilots, cost, budget, share of the budget used, cumulative coverage."""
        settings = self.scenario.settings
        rows = []
        sched = self.schedule
        total = int((~self.scenario.units["done"]).sum())
        done_before = int(self.scenario.units["done"].sum())
        cumulative = 0
        # With the rules of docs/costs.md a year's cost is its spending (profiles, running costs).
        spent = self.spending.set_index("fiscal_year")["total"] if costs_active(self.scenario) else None
        for year in settings.years:
            in_year = sched[sched["fiscal_year"] == year] if sched is not None else sched
            units = int(len(in_year)) if in_year is not None else 0
            cost = float(in_year["cost"].sum()) if in_year is not None else 0.0
            if spent is not None:
                cost = float(spent[year])
            cumulative += units
            budget = float(settings.budget[year])
            rows.append({
                "fiscal_year": year,
                "phase": phase_label(year, settings.first_year),
                "units": units,
                "pilots": int(in_year["pilot"].sum()) if in_year is not None else 0,
                "cost": cost,
                "budget": budget,
                "budget_used": cost / budget if budget > 0 else (0.0 if cost == 0 else math.inf),
                "cumulative_units": cumulative + done_before,
                "coverage": (cumulative + done_before) / (total + done_before) if total + done_before else 1.0,
                "value_per_million": None if self.marginal is None else self.marginal.get(year),
            })
        return pd.DataFrame(rows)

    @property
    def spending(self) -> pd.DataFrame:
        """Per fiscal year what the plan spends (docs/costs.md): ``started`` (units upgraded that year),
        ``carried`` (the commitments of units started earlier), ``running``, ``total`` and one column
        per budget category; a last row, fiscal_year = last + 1, holds what falls after the horizon."""
        return spending_table(self.scenario, self._starts())

    @property
    def commitments(self) -> pd.DataFrame:
        """The multi-year commitments (docs/costs.md): per start year, what its units' upgrades spend in
        each fiscal year (the column last + 1: after the horizon)."""
        return commitments_table(self.scenario, self._starts())

    def _starts(self) -> dict[str, int]:
        starts: dict[str, int] = {}
        if self.schedule is not None:
            for uid, year, phase in zip(self.schedule["unit_id"], self.schedule["fiscal_year"], self.schedule["phase"]):
                if phase != "done" and not pd.isna(year):
                    starts[uid] = int(year)
        return starts

    @property
    def pilots(self) -> pd.DataFrame:
        if self.schedule is None:
            return pd.DataFrame(columns=list(SCHEDULE_COLUMNS))
        return self.schedule[self.schedule["pilot"]].reset_index(drop=True)

    def _repr_html_(self) -> str:
        # Lazy by design: the display layer sits above this one (docs/architecture.md).
        from selector.outputs.display import plan_html

        return plan_html(self)

    @property
    def by_fund(self) -> pd.DataFrame:
        """Per fund and fiscal year: units paid, cost, amount and share used (empty without [[funds]])."""
        rows = []
        sched = self.schedule
        for fund in self.scenario.settings.funds:
            for year in self.scenario.settings.years:
                paid = sched[(sched["fiscal_year"] == year) & (sched["fund"] == fund.name)] if sched is not None else sched
                cost = float(paid["cost"].sum()) if paid is not None else 0.0
                amount = float(fund.amounts.get(year, 0.0))
                rows.append({"fund": fund.name, "fiscal_year": year, "units": 0 if paid is None else len(paid),
                             "cost": cost, "amount": amount,
                             "used": cost / amount if amount > 0 else (0.0 if cost == 0 else math.inf)})
        return pd.DataFrame(rows, columns=["fund", "fiscal_year", "units", "cost", "amount", "used"])

    @property
    def balance(self) -> pd.DataFrame:
        """How representative the pilots are, per criterion (and per [pilots.balance] column): pilot
        mean, network mean and sd, standardised difference, tolerance and whether the rule holds."""
        return balance_table(self.scenario, self.pilots["unit_id"])

    def __repr__(self) -> str:
        if self.objective is None:
            return f"Plan({self.status}, solver={self.solver})"
        return (f"Plan({self.status}, objective={self.objective:.6g}, gap={_pct(self.gap)}, "
                f"{len(self.pilots)} pilots, solver={self.solver})")


def _pct(gap: float | None) -> str:
    return "n/a" if gap is None else f"{100 * gap:.4g}%"


def phase_label(year: int, first_year: int) -> str:
    return "pilot" if year == first_year else f"wave {year - first_year}"


def schedule_from_values(model: Model, values: dict[str, float], explain: bool = False) -> pd.DataFrame:
    """The schedule table from the solver's values of x and p (rounded: they are binaries)."""
    year_of: dict[str, int] = {}
    for (uid, year), var in model.x.items():
        if values.get(var.name, 0.0) > 0.5:
            year_of[uid] = year
    pilot_of = {uid: values.get(var.name, 0.0) > 0.5 for uid, var in model.p.items()}
    fund_of = {uid: next((name for name, w in model.funding[uid, year] if values.get(w.name, 0.0) > 0.5), "")
               for uid, year in year_of.items() if (uid, year) in model.funding}
    return schedule_table(model.scenario, model.scores, year_of, pilot_of, explain, fund_of)


def schedule_table(scenario: Scenario, scores: pd.DataFrame, year_of: dict[str, int],
                   pilot_of: dict[str, bool], explain: bool = False,
                   fund_of: dict[str, str] | None = None) -> pd.DataFrame:
    """The schedule table from each unit's fiscal year and pilot flag (``scores`` indexed by unit_id).

    ``explain`` adds the ``explanation`` column (``selector.analysis.reasons.explanation_column``) after the scores.
    With ``[[funds]]`` a ``fund`` column (``fund_of``: unit_id -> fund name) follows ``cost``.
    """
    first = scenario.settings.first_year
    units = scenario.units
    rows = pd.DataFrame({
        "unit_id": units["unit_id"].to_numpy(),
        "name": units["name"].to_numpy(),
        "region": units["region"].to_numpy(),
    })
    years = [year_of.get(uid) for uid in rows["unit_id"]]
    rows["fiscal_year"] = pd.array(years, dtype="Int64")
    rows["phase"] = ["done" if done else phase_label(y, first) if y is not None else "unscheduled"
                     for y, done in zip(years, units["done"])]
    rows["pilot"] = [bool(pilot_of.get(uid, False)) for uid in rows["unit_id"]]
    rows["cost"] = [0.0 if done else c for c, done in zip(units["cost"], units["done"])]
    if scenario.settings.funds:
        rows["fund"] = [(fund_of or {}).get(uid, "") for uid in rows["unit_id"]]
    # Rounded for the reader (Excel); the objective is computed from the unrounded scores.
    rows["pilot_score"] = scores.loc[rows["unit_id"], "pilot_score"].to_numpy().round(SCORE_DECIMALS)
    rows["rollout_score"] = scores.loc[rows["unit_id"], "rollout_score"].to_numpy().round(SCORE_DECIMALS)
    if explain:
        rows["explanation"] = explanation_column(scenario, scores, rows)
    for col in units.columns:
        if col not in KNOWN_COLUMNS:
            rows[col] = units[col].to_numpy()
    order_year = rows["fiscal_year"].fillna(10**6).astype("int64")
    rows = rows.assign(_y=order_year).sort_values(["_y", "unit_id"], kind="mergesort").drop(columns="_y")
    return rows.reset_index(drop=True)
