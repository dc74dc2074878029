"""HTML views of scenarios, plans and comparisons for Jupyter (their ``_repr_html_``).

Each function returns a string: a short heading of facts, then the tables a planner reads first.
Every value is escaped (unit names are free text from a CSV).
"""

from __future__ import annotations

import html
from typing import TYPE_CHECKING

import pandas as pd

from selector.data.scenario import Scenario
from selector.plan import Plan

if TYPE_CHECKING:  # annotations only: the workflows layer sits above this one
    from selector.workflows.compare import Comparison


def _table(frame: pd.DataFrame, formats: dict[str, str] | None = None, index: bool = False) -> str:
    """A DataFrame as an HTML table, with ``str.format`` patterns per column (e.g. ``{:,.0f}``)."""
    shown = frame.copy()
    for col, pattern in (formats or {}).items():
        if col in shown:
            shown[col] = [("" if pd.isna(v) else pattern.format(v)) for v in shown[col]]
    return shown.to_html(index=index, escape=True, border=0, na_rep="")


def _heading(title: str, facts: list[str]) -> str:
    items = "".join(f"<li>{html.escape(f)}</li>" for f in facts)
    return f"<h4>{html.escape(title)}</h4><ul>{items}</ul>"


def _weights(weights) -> str:
    return ", ".join(f"{c} {w:g}" for c, w in weights.items())


def scenario_html(scenario: "Scenario") -> str:
    """The scenario at a glance: horizon, budgets, pilot rules, weights and units by region."""
    s = scenario.settings
    todo = scenario.to_schedule
    facts = [
        f"{len(scenario.units)} units, {len(todo)} to schedule; fiscal years {s.first_year}-{s.last_year} "
        f"(pilot year {s.first_year})",
        f"total cost {todo['cost'].sum():,.0f} baht; total budget {sum(s.budget.values()):,.0f} baht",
        f"pilots {s.pilots_min} to {scenario.pilots_max}; cover {', '.join(s.cover) or 'none'}"
        + (f"; mean risk <= {s.max_mean_risk:g}" if s.max_mean_risk is not None else ""),
        f"pilot weights: {_weights(s.pilot_weights)}",
        f"rollout weights: {_weights(s.rollout_weights)}; pilot emphasis {s.pilot_emphasis:g}",
    ]
    budget = pd.DataFrame({"fiscal_year": list(s.years), "budget (baht)": [s.budget[y] for y in s.years]})
    regions = todo.groupby("region").agg(units=("unit_id", "size"), cost=("cost", "sum")).reset_index()
    return (_heading(f"Scenario {scenario.csv_path or ''}".strip(), facts)
            + _table(budget, {"budget (baht)": "{:,.0f}"})
            + "<h5>Units by region</h5>" + _table(regions, {"cost": "{:,.0f}"}))


def plan_html(plan: "Plan") -> str:
    """The plan: status and objective, the per-year table and the pilots."""
    facts = [f"status {plan.status}; solver {plan.solver} {plan.solver_version}; "
             f"build {plan.build_seconds:.2f} s, solve {plan.solve_seconds:.2f} s"]
    if plan.objective is None:
        facts += [f"reason: {r}" for r in plan.reasons]
        return _heading("Plan", facts)
    facts.append(f"objective {plan.objective:.6f}, bound {plan.bound:.6f}, gap {100 * plan.gap:.4f}%")
    by_year = plan.by_year
    pilots = plan.pilots[["unit_id", "name", "region", "cost", "pilot_score", "rollout_score"]]
    return (_heading("Plan", facts)
            + _table(by_year, {"cost": "{:,.0f}", "budget": "{:,.0f}", "budget_used": "{:.1%}",
                               "coverage": "{:.1%}"})
            + f"<h5>Pilots ({len(pilots)})</h5>"
            + _table(pilots, {"cost": "{:,.0f}", "pilot_score": "{:.3f}", "rollout_score": "{:.3f}"}))


def comparison_html(comparison: "Comparison") -> str:
    """The comparison: objectives, per-year cost, units and coverage, pilots by region, moved units."""
    per_year = "{:,.0f}"
    parts = [
        _heading("Comparison of " + ", ".join(comparison.names), [f"base: {comparison.names[0]}"]),
        _table(comparison.objectives, {"objective": "{:.6f}", "change_pct": "{:+.2f}%", "cost": per_year}, index=True),
        "<h5>Cost per fiscal year (baht)</h5>",
        _table(comparison.cost, {n: per_year for n in comparison.names}, index=True),
        "<h5>Units upgraded per fiscal year</h5>", _table(comparison.units, index=True),
        "<h5>Cumulative coverage (share of units upgraded by the end of the year)</h5>",
        _table(comparison.coverage, {n: "{:.1%}" for n in comparison.names}, index=True),
        "<h5>Pilots per region</h5>", _table(comparison.pilots_by_region, index=True),
        f"<h5>Units that moved ({len(comparison.moved)})</h5>",
        _table(comparison.moved, {c: "{:.3f}" for c in comparison.moved.columns if c.endswith("_score")}),
    ]
    return "".join(parts)
