"""Distinct near-optimal plans for the committee: the K best plans that differ, each proven near the optimum.

    >>> alt = selector.alternatives(scenario, count=5, within=0.01, differ=2)
    >>> alt.table                 # per plan: objective, loss against the optimum, pilots in and out...
    >>> alt.comparison.moved      # the units each alternative moves against the optimum
    >>> alt.pilot_in("U0042")     # the plans in which a unit is a pilot

The method (no-good cuts on Hamming distance, as in the "k-best solutions" literature: Balas &
Jeroslow 1972 for the cuts; Danna, Fenelon, Gu & Wunderling 2007, "Generating multiple solutions
for mixed integer programming problems", for the sequential scheme):

1. Plan 1 is ``selector.solve``'s plan, with objective z_1 and proven bound B >= z* (the true optimum).
   The threshold is T = B - within |B|: a plan with objective >= T is within ``within`` of z*.
2. Plan k (k = 2..K) is the best plan of the model with two more kinds of rows (one solver session,
   ``selector.solvers.session``, the rows added in place):

   - for every earlier plan j a distance cut d(x, j) >= N, where d counts the units whose
     ``focus`` differs: with ``focus = "pilots"``

         d = sum_{u in P_j} (1 - p[u]) + sum_{u in U, u not in P_j} p[u]    (units a pilot in one plan only),

     and with ``focus = "schedule"``

         d = sum_{u scheduled in j} (1 - x[u, y_j(u)]) + sum_{u unscheduled in j} sum_y x[u,y]
             (units whose fiscal year differs);

   - the objective row  sum_u sum_y R_u (L - y + 1) x[u,y] + lambda sum_u P_u p[u] >= T.

   So plan k is, within the solver's gap, the best plan at distance >= N from plans 1..k-1: with
   N = 1 it is the k-th best distinct plan (distinct pilot sets, or distinct schedules), and every
   pair of plans differs in at least N units.
3. The search stops after K plans, or when the model with the cuts is proven infeasible: then no
   further plan within ``within`` of the optimum differs from these in N units or more, and
   ``exhausted`` is True. A solve stopped by the time limit without a plan proves nothing:
   ``exhausted`` is then None (unknown), never True.

Each plan's status is its solve's: ``optimal`` means proven the best remaining plan within the gap.
HiGHS solves the cut models (it is the solver whose model can take rows in place).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from selector.analysis.reasons import schedule_maps
from selector.data.scenario import Scenario
from selector.errors import InfeasibleError, NoPlanInTimeError, Problem, ScenarioError, SelectorError
from selector.events import OnProgress, tell
from selector.i18n import _
from selector.model.build import Model, build_model
from selector.plan import Plan, schedule_from_values
from selector.solve import solve
from selector.solvers.backends import hold_count
from selector.solvers.options import SolveOptions
from selector.solvers.session import Session, status_after_count
from selector.status import Status, relative_gap
from selector.workflows.compare import Comparison, compare

FOCUS = ("pilots", "schedule")


@dataclass
class Alternatives:
    """The result of ``alternatives``: the plans (the optimum first), their table and comparison.

    ``table``: one row per plan: plan, status, objective, bound, gap, loss (z_1 - z_k), loss_pct
    (against z_1), pilots, pilots_in and pilots_out (against plan 1), units_moved (units whose fiscal
    year or pilot status differs from plan 1), distance (the least distance, in ``focus`` units, to
    an earlier plan). ``exhausted``: True when it is proven that no further plan within ``within``
    differs by ``differ`` or more, False when the count was reached first, None when a solve
    stopped without proof.
    """

    plans: list[Plan]
    table: pd.DataFrame
    comparison: Comparison
    threshold: float
    count: int
    within: float
    differ: int
    focus: str
    exhausted: bool | None
    options: dict = field(default_factory=dict)

    @property
    def names(self) -> list[str]:
        return list(self.table["plan"])

    def pilot_in(self, unit_id: str) -> list[str]:
        """The names of the plans in which ``unit_id`` is a pilot."""
        return [name for name, plan in zip(self.names, self.plans)
                if bool(plan.schedule.loc[plan.schedule["unit_id"] == unit_id, "pilot"].any())]

    def conclusion(self) -> str:
        """One sentence: how many plans, and whether it is proven that there are no more."""
        pct = f"{100 * self.within:g}%"
        what = _("pilots") if self.focus == "pilots" else _("units' years")
        if self.exhausted:
            return _("{found} plan(s) found; proven: no further plan within {pct} of the optimum differs from "
                     "these in at least {differ} {what}", found=len(self.plans), pct=pct, differ=self.differ, what=what)
        if self.exhausted is None:
            return _("{found} plan(s) found; the search for another stopped at the time limit without a proof "
                     "either way (raise --time-limit)", found=len(self.plans))
        return _("{found} plan(s) found, each within {pct} of the optimum and differing from the others in "
                 "at least {differ} {what}; there may be more (raise --count)",
                 found=len(self.plans), pct=pct, differ=self.differ, what=what)


def alternatives(scenario: Scenario, count: int = 5, within: float = 0.01, differ: int = 1,
                 focus: str = "pilots", *, solver: str | None = None, time_limit: float | None = None,
                 gap: float | None = None, on_progress: OnProgress = None) -> Alternatives:
    """Up to ``count`` plans, each within ``within`` (a fraction: 0.01 = 1%) of the proven optimum,
    pairwise differing in at least ``differ`` units' ``focus`` ("pilots" or "schedule"), by the method
    of the module docstring. ``time_limit`` and ``gap`` apply to each solve. ``on_progress`` is told
    each plan found (phase ``alternatives``, ``done`` of ``count``). Never prints.
    """
    problems = []
    if not isinstance(count, int) or count < 1:
        problems.append(Problem("--count", None, None, _("count {count} is not a whole number >= 1", count=count),
                                _("give how many plans to find, e.g. 5")))
    if not 0 <= within < 1:
        problems.append(Problem("--within", None, None, _("within {within} is not a fraction in [0, 1)", within=within),
                                _("give the loss allowed against the optimum, e.g. 0.01 (= 1%)")))
    if not isinstance(differ, int) or differ < 1:
        problems.append(Problem("--differ", None, None, _("differ {differ} is not a whole number >= 1", differ=differ),
                                _("give in how many units the plans must differ, e.g. 2")))
    if focus not in FOCUS:
        problems.append(Problem("--focus", None, None, _("focus {focus} is not pilots or schedule", focus=focus),
                                _("choose pilots (pilot sets differ) or schedule (units' years differ)")))
    if solver is not None and solver.lower() != "highs":
        problems.append(Problem("--solver", None, None, _("alternatives are solved by HiGHS, not {solver}", solver=solver),
                                _("leave out --solver: the cuts are added in place to one HiGHS model")))
    if problems:
        raise ScenarioError(problems)
    options = SolveOptions.resolve(scenario.settings, solver="highs", time_limit=time_limit, gap=gap)

    def advance(done: int) -> None:
        tell(on_progress, "alternatives", _("Finding plans"), done, count)

    first = solve(scenario, solver="highs", time_limit=options.time_limit, gap=options.gap)
    if first.status == Status.INFEASIBLE:
        raise InfeasibleError(first.reasons or [_("the rules together leave no feasible plan")])
    if first.status == Status.NO_SOLUTION:
        raise NoPlanInTimeError(_("no plan was found within the time limit of {limit:g} s; nothing is proven "
                                  "either way. Raise --time-limit", limit=options.time_limit))
    plans, runs = [first], [None]
    advance(1)
    threshold = first.bound - within * abs(first.bound)
    exhausted: bool | None = False
    if count > 1:
        model = build_model(scenario)
        held = hold_count(model, "highs", options.time_limit, options.gap)
        if held.status not in (Status.OPTIMAL, Status.FEASIBLE):
            raise SelectorError(_("the first stage of best-effort coverage ended {status} on the second solve",
                                  status=held.status))
        session = Session(model.prob, options.gap, options.time_limit)
        cost = session.arrays.cost
        objective_cols = np.flatnonzero(cost)
        session.add_rows([(objective_cols, cost[objective_cols], threshold - session.arrays.offset, np.inf)])
        while len(plans) < count:
            session.add_rows([distance_cut(session, model, plans[-1], differ, focus)])
            run = status_after_count(session.run(), model.count_status)
            if run.status == Status.INFEASIBLE:
                exhausted = True
                break
            if run.status == Status.NO_SOLUTION:
                exhausted = None
                break
            plans.append(_plan_of(model, run, first, options))
            runs.append(run)
            advance(len(plans))
    names = [f"plan {k + 1}" for k in range(len(plans))]  # labels, like unit ids: never translated
    comparison = compare(dict(zip(names, plans)))
    table = _table(names, plans, focus)
    return Alternatives(plans, table, comparison, threshold, count, within, differ, focus, exhausted,
                        {"count": count, "within": within, "differ": differ, "focus": focus, **options.as_dict()})


def distance_cut(session: Session, model: Model, plan: Plan, differ: int, focus: str
                 ) -> tuple[np.ndarray, np.ndarray, float, float]:
    """The row d(x, plan) >= differ of the module docstring, as (columns, coefficients, lower, upper)."""
    year_of, pilot_of = schedule_maps(plan.schedule)
    cols, coefficients, constant = [], [], 0.0
    if focus == "pilots":
        for uid, var in model.p.items():
            inside = bool(pilot_of.get(uid))
            cols.append(var)
            coefficients.append(-1.0 if inside else 1.0)
            constant += 1.0 if inside else 0.0
    else:
        for uid, pairs in model.by_unit.items():
            year = year_of.get(uid)
            if year is None:  # unscheduled in the plan: any year differs
                cols += [var for _, var in pairs]
                coefficients += [1.0] * len(pairs)
            else:
                cols.append(model.x[uid, year])
                coefficients.append(-1.0)
                constant += 1.0
    return session.columns(cols), np.array(coefficients), differ - constant, np.inf


def distance(a: Plan, b: Plan, focus: str) -> int:
    """The number of units whose pilot status (``pilots``) or fiscal year (``schedule``) differs."""
    ya, pa = schedule_maps(a.schedule)
    yb, pb = schedule_maps(b.schedule)
    if focus == "pilots":
        return sum(bool(pa.get(u)) != bool(pb.get(u)) for u in set(pa) | set(pb))
    todo = set(a.schedule.loc[a.schedule["phase"] != "done", "unit_id"])
    return sum(ya.get(u) != yb.get(u) for u in todo)


def _plan_of(model: Model, run, first: Plan, options: SolveOptions) -> Plan:
    schedule = schedule_from_values(model, run.values, explain=True)
    year_of, pilot_of = schedule_maps(schedule)
    objective = model.objective_value({u: year_of.get(u) for u in model.units.index},
                                      {u for u in model.units.index if pilot_of.get(u)})
    bound = max(run.bound, objective) if run.bound is not None else objective
    return Plan(first.scenario, run.status, schedule, objective, bound, relative_gap(objective, bound), run.solver,
                run.version, run.seconds, 0.0, options=options)


def _table(names: list[str], plans: list[Plan], focus: str) -> pd.DataFrame:
    base = plans[0]
    base_pilots = set(base.pilots["unit_id"])
    base_year, base_pilot = schedule_maps(base.schedule)
    rows = []
    for k, (name, plan) in enumerate(zip(names, plans)):
        pilots = set(plan.pilots["unit_id"])
        year_of, pilot_of = schedule_maps(plan.schedule)
        moved = sum(year_of.get(u) != base_year.get(u) or bool(pilot_of.get(u)) != bool(base_pilot.get(u))
                    for u in plan.schedule["unit_id"])
        rows.append({
            "plan": name, "status": str(plan.status), "objective": plan.objective, "bound": plan.bound,
            "gap": plan.gap, "loss": round(base.objective - plan.objective, 9),
            "loss_pct": round(100 * (base.objective - plan.objective) / abs(base.objective), 9) if base.objective else 0.0,
            "pilots": len(pilots), "pilots_in": " ".join(sorted(pilots - base_pilots)),
            "pilots_out": " ".join(sorted(base_pilots - pilots)), "units_moved": int(moved),
            "distance": min((distance(plan, earlier, focus) for earlier in plans[:k]), default=None),
        })
    return pd.DataFrame(rows)
