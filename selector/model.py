"""The phase-scheduling integer program, one function per constraint family.

Sets: U, the units still to upgrade (``done`` is false), sorted by unit_id; Y = F..L, the fiscal
years of the horizon (F is the pilot year); W_u, the years of unit u's window.
Variables: x[u,y] in {0,1} (u is upgraded in year y; created only for y in W_u, which is how the
window rule x[u,y] = 0 outside W_u is written) and p[u] in {0,1} (u is a pilot).

    maximise  sum_u sum_y R_u (L - y + 1) x[u,y]  +  lambda sum_u P_u p[u],   lambda = emphasis (L - F + 1)

``build_model`` calls every family in order; the README's model table maps each row-name pattern
to its function. Row names are ASCII: ``budget_2556``, ``cover_region_3``, ``after_U0012``...
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Callable

import pandas as pd
import pulp

from .scenario import Scenario
from .scoring import score_units


@dataclass
class Model:
    """A built PuLP problem with its variables and the data it was built from."""

    prob: pulp.LpProblem
    scenario: Scenario
    units: pd.DataFrame  # the units to schedule, sorted by unit_id, indexed by unit_id
    scores: pd.DataFrame  # pilot_score, rollout_score by unit_id (every unit, done ones too)
    years: tuple[int, ...]
    x: dict[tuple[str, int], pulp.LpVariable] = field(default_factory=dict)
    p: dict[str, pulp.LpVariable] = field(default_factory=dict)
    by_unit: dict[str, list[tuple[int, pulp.LpVariable]]] = field(default_factory=dict)  # u -> [(y, x[u,y])]
    names: dict[str, str] = field(default_factory=dict)  # unit_id -> ASCII name used in the model
    pilot_lambda: float = 0.0
    count_status: str | None = None  # best-effort: status of the first stage once row coverage_count holds it

    def objective_value(self, assignment: dict[str, int | None], pilots: set[str]) -> float:
        """The objective of a given schedule (unit_id -> year), computed from the model's data."""
        last = self.years[-1]
        rollout = self.scores["rollout_score"]
        pilot = self.scores["pilot_score"]
        total = 0.0
        for uid, year in assignment.items():
            if year is not None:
                total += rollout[uid] * (last - year + 1)
        return total + self.pilot_lambda * sum(pilot[u] for u in pilots)


def _ascii_names(unit_ids: list[str]) -> dict[str, str]:
    """ASCII names for the model: the unit id where it is plain ASCII and unique, else u00042."""
    cleaned = {uid: re.sub(r"[^A-Za-z0-9_]", "_", uid) for uid in unit_ids}
    plain = all(uid.isascii() for uid in unit_ids) and len(set(cleaned.values())) == len(cleaned)
    if plain:
        return cleaned
    width = len(str(len(unit_ids)))
    return {uid: f"u{i:0{width}d}" for i, uid in enumerate(unit_ids)}


def _expr(pairs) -> pulp.LpAffineExpression:
    return pulp.LpAffineExpression(list(pairs))


def _window(row: pd.Series, first: int, last: int) -> range:
    lo = int(row["earliest_year"]) if not pd.isna(row["earliest_year"]) else first
    hi = int(row["latest_year"]) if not pd.isna(row["latest_year"]) else last
    return range(max(lo, first), min(hi, last) + 1)


def add_variables(m: Model) -> None:
    """x[u,y] binary for y in W_u (the window rule: no variable outside it); p[u] binary."""
    first, last = m.years[0], m.years[-1]
    for uid, row in m.units.iterrows():
        name = m.names[uid]
        m.by_unit[uid] = []
        for year in _window(row, first, last):
            var = m.prob.add_variable(f"x_{name}_{year}", 0, 1, pulp.LpBinary)
            m.x[uid, year] = var
            m.by_unit[uid].append((year, var))
        m.p[uid] = m.prob.add_variable(f"p_{name}", 0, 1, pulp.LpBinary)


def add_objective(m: Model) -> None:
    """max sum_u sum_y R_u (L - y + 1) x[u,y] + lambda sum_u P_u p[u], lambda = emphasis (L - F + 1)."""
    last = m.years[-1]
    rollout = m.scores["rollout_score"]
    pilot = m.scores["pilot_score"]
    terms = [(var, float(rollout[uid]) * (last - year + 1)) for (uid, year), var in m.x.items()]
    terms += [(var, m.pilot_lambda * float(pilot[uid])) for uid, var in m.p.items()]
    m.prob.setObjective(_expr(terms))


def add_coverage_constraints(m: Model) -> None:
    """sum_{y in W_u} x[u,y] = 1 for every u in U: every unit is upgraded once, by the last year.

    With ``[plan] coverage = "best-effort"`` the row is sum_{y in W_u} x[u,y] <= 1 (at most once);
    ``solve`` then first maximises the number of units upgraded (see ``count_expression``).
    """
    best_effort = m.scenario.settings.coverage == "best-effort"
    for uid, pairs in m.by_unit.items():
        expr = _expr((var, 1) for _, var in pairs)
        m.prob.addConstraint(expr <= 1 if best_effort else expr == 1, f"coverage_{m.names[uid]}")


def count_expression(m: Model) -> pulp.LpAffineExpression:
    """sum_u sum_y x[u,y]: the number of units upgraded (the first objective under best-effort)."""
    return _expr((var, 1) for var in m.x.values())


def add_pilot_year_constraints(m: Model) -> None:
    """x[u,F] = p[u] for every u in U (the first year upgrades exactly the pilots); p[u] = 0 when F is not in W_u."""
    first = m.years[0]
    for uid, p in m.p.items():
        x = m.x.get((uid, first))
        terms = [(p, 1)] + ([(x, -1)] if x is not None else [])
        m.prob.addConstraint(_expr(terms) == 0, f"pilot_year_{m.names[uid]}")


def add_budget_constraints(m: Model) -> None:
    """sum_u cost_u x[u,y] <= budget_y for every year y."""
    cost = m.units["cost"]
    budget = m.scenario.settings.budget
    for year in m.years:
        terms = [(var, float(cost[uid])) for (uid, y), var in m.x.items() if y == year and cost[uid] != 0]
        m.prob.addConstraint(_expr(terms) <= float(budget[year]), f"budget_{year}")


def add_pilot_count_constraints(m: Model) -> None:
    """min <= sum_u p[u] <= max."""
    terms = [(var, 1) for var in m.p.values()]
    m.prob.addConstraint(_expr(terms) >= m.scenario.settings.pilots_min, "pilots_min")
    m.prob.addConstraint(_expr(terms) <= m.scenario.pilots_max, "pilots_max")


def add_cover_constraints(m: Model) -> None:
    """sum_{u in U: col_u = v} p[u] >= 1 for each cover column col and each of its values v among U.

    Values whose units are all done are not required to have a pilot (there is nothing to pilot).
    """
    for column in m.scenario.settings.cover:
        values = sorted(m.units[column].unique())
        for number, value in enumerate(values):
            members = m.units.index[m.units[column] == value]
            terms = [(m.p[uid], 1) for uid in members]
            m.prob.addConstraint(_expr(terms) >= 1, f"cover_{_ascii(column)}_{number}")


def add_pilot_risk_constraint(m: Model) -> None:
    """sum_u (risk_u - max_mean_risk) p[u] <= 0: the pilots' mean raw risk is at most the cap."""
    cap = m.scenario.settings.max_mean_risk
    if cap is None:
        return
    risk = m.units["risk"]
    terms = [(var, float(risk[uid]) - cap) for uid, var in m.p.items()]
    m.prob.addConstraint(_expr(terms) <= 0, "pilot_risk")


def add_capacity_constraints(m: Model) -> None:
    """sum_u x[u,y] <= max_units_per_year for every year y."""
    cap = m.scenario.settings.max_units_per_year
    if cap is None:
        return
    for year in m.years:
        terms = [(var, 1) for (uid, y), var in m.x.items() if y == year]
        m.prob.addConstraint(_expr(terms) <= cap, f"capacity_{year}")


def add_pilot_rule_constraints(m: Model) -> None:
    """p[u] = 1 for units marked `must`, p[u] = 0 for units marked `never`."""
    for uid, rule in m.units["pilot"].items():
        if rule == "must":
            m.prob.addConstraint(_expr([(m.p[uid], 1)]) == 1, f"pilot_must_{m.names[uid]}")
        elif rule == "never":
            m.prob.addConstraint(_expr([(m.p[uid], 1)]) == 0, f"pilot_never_{m.names[uid]}")


def add_after_constraints(m: Model) -> None:
    """sum_y y x[u,y] >= sum_y y x[a,y] + 1 for every unit u whose `after` names a unit a still in U.

    When a is done it was upgraded before the plan starts, so the rule already holds.
    """
    for uid, after in m.units["after"].items():
        if after == "" or after not in m.units.index:
            continue
        terms = [(var, y) for y, var in m.by_unit[uid]] + [(var, -y) for y, var in m.by_unit[after]]
        m.prob.addConstraint(_expr(terms) >= 1, f"after_{m.names[uid]}")


def _ascii(text: str) -> str:
    cleaned = re.sub(r"[^A-Za-z0-9_]", "_", text)
    return cleaned if cleaned.isascii() else "col"


CONSTRAINT_FAMILIES: tuple[Callable[[Model], None], ...] = (
    add_coverage_constraints,
    add_pilot_year_constraints,
    add_budget_constraints,
    add_pilot_count_constraints,
    add_cover_constraints,
    add_pilot_risk_constraint,
    add_capacity_constraints,
    add_pilot_rule_constraints,
    add_after_constraints,
)


def build_model(scenario: Scenario, extra: Callable[[Model], None] | None = None) -> Model:
    """Build the integer program of a scenario; ``extra(model)`` may add user constraints."""
    settings = scenario.settings
    scores = score_units(scenario.units, settings)
    units = scenario.to_schedule.set_index("unit_id", drop=False)
    m = Model(
        prob=pulp.LpProblem("selector", pulp.LpMaximize),
        scenario=scenario,
        units=units,
        scores=scores,
        years=settings.years,
        names=_ascii_names(list(units.index)),
        pilot_lambda=settings.pilot_emphasis * len(settings.years),
    )
    add_variables(m)
    add_objective(m)
    for family in CONSTRAINT_FAMILIES:
        family(m)
    if extra is not None:
        extra(m)
    return m


__all__ = ["Model", "build_model", "count_expression", "CONSTRAINT_FAMILIES"]
