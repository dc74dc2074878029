"""Solve a scenario and say honestly what was proven: the orchestrator, and nothing else.

``solve`` resolves the options (``selector.solvers.options``), runs the pre-solve checks
(``selector.analysis.diagnose``), builds the model (``selector.model``), runs the solver
(``selector.solvers``), diagnoses an infeasible scenario, and assembles the ``Plan``
(``selector.plan``). A plan is ``optimal`` only when the solver proved it within the gap used; a
plan found before a time limit is ``feasible`` with the proven gap; ``infeasible`` means the
solver proved no plan exists (``selector.status``).
"""

from __future__ import annotations

import time
from typing import Callable

import pandas as pd

from selector.analysis.diagnose import basic_findings, diagnose, elastic_findings
from selector.analysis.duals import category_marginal_values, marginal_values
from selector.data.scenario import Scenario
from selector.events import OnProgress, tell
from selector.i18n import _
from selector.model.build import Model, build_model
from selector.plan import Plan, schedule_from_values
from selector.solvers.backends import solve_model
from selector.solvers.options import SolveOptions
from selector.status import Status, relative_gap

# ---------------------------------------------------------------------------------------------
# From a scenario to a plan


def solve(scenario: Scenario, *, solver: str | None = None, time_limit: float | None = None,
          gap: float | None = None, verbose: bool = False,
          extra: Callable[[Model], None] | None = None, on_progress: OnProgress = None) -> Plan:
    """Build and solve the scenario's integer program; never prints.

    ``solver``, ``time_limit`` and ``gap`` default to the scenario's settings; ``plan.options`` records
    the ones the run used (``SolveOptions``). Returns a ``Plan``
    whatever the outcome: check ``plan.status`` (``optimal``, ``feasible``, ``infeasible`` or
    ``no_solution``); an infeasible plan carries plain-words ``reasons`` and structured
    ``diagnosis`` records (the smallest change that gives a plan, from ``selector.analysis.diagnose``).

    Under ``[plan] coverage = "best-effort"`` the solve is lexicographic: first the most units
    upgraded (each stage gets the time limit), then the best objective among plans upgrading that
    many; ``plan.diagnosis`` then gives the extra budget per year that would schedule the rest.

    ``on_progress`` is given a ``selector.events.Step`` as each phase starts (``build``, ``solve``,
    ``diagnose``, ``margins``).
    """
    options = SolveOptions.resolve(scenario.settings, solver=solver, time_limit=time_limit, gap=gap)
    solver, time_limit, gap = options.solver, options.time_limit, options.gap

    findings = basic_findings(scenario)
    if findings:  # contradictions found before building: no need to build or run the solver
        return Plan(scenario, Status.INFEASIBLE, None, None, None, None, solver, "", 0.0, 0.0,
                    [f.message for f in findings], findings, options=options)
    start = time.perf_counter()
    tell(on_progress, "build", _("Building the model of {n} units", n=len(scenario.to_schedule)))
    model = build_model(scenario, extra=extra)
    build_seconds = time.perf_counter() - start

    tell(on_progress, "solve", _("Solving with {solver} (time limit {seconds:g} s)", solver=solver, seconds=time_limit))
    run = solve_model(model, solver, time_limit, gap, verbose)
    if run.status in (Status.INFEASIBLE, Status.NO_SOLUTION):
        if run.status == Status.INFEASIBLE:
            tell(on_progress, "diagnose", _("No plan: finding the smallest change that gives one"))
        findings = [] if run.status == Status.NO_SOLUTION else diagnose(scenario, solver=solver, time_limit=time_limit)
        return Plan(scenario, run.status, None, None, None, None, run.solver, run.version,
                    run.seconds, build_seconds, [f.message for f in findings], findings, options=options)

    schedule = schedule_from_values(model, run.values, explain=True)
    assignment = {uid: (None if pd.isna(y) else int(y)) for uid, y in zip(schedule["unit_id"], schedule["fiscal_year"])
                  if uid in model.units.index}
    pilots = set(schedule.loc[schedule["pilot"], "unit_id"])
    objective = model.objective_value(assignment, pilots)
    bound = max(run.bound, objective) if run.bound is not None else objective
    status, solver_name, version, solve_seconds = run.status, run.solver, run.version, run.seconds
    findings = []
    if any(year is None for year in assignment.values()):
        tell(on_progress, "diagnose", _("Finding the extra budget that would schedule the rest"))
        findings = elastic_findings(scenario, rules=("budget", "category", "after_budget"), solver=solver,
                                    time_limit=time_limit)
        if findings is None:  # money alone cannot schedule them: say what else must change
            findings = elastic_findings(scenario, solver=solver, time_limit=time_limit) or []

    # The relaxation the fast HiGHS path solved is the one marginal_values needs when the model is
    # the scenario's own (no extra rows, full coverage): reuse its duals rather than build and solve again.
    same_lp = extra is None and scenario.settings.coverage == "all"
    lp_duals = run.lp_duals if same_lp else None
    del model, run  # a second model may be built next: at 50,000 units each holds hundreds of MB
    tell(on_progress, "margins", _("Pricing an extra million baht per year"))
    return Plan(scenario, status, schedule, objective, bound, relative_gap(objective, bound), solver_name,
                version, solve_seconds, build_seconds, [f.message for f in findings], findings,
                marginal_values(scenario, lp_duals=lp_duals), options=options,
                category_marginal=category_marginal_values(scenario, lp_duals) if scenario.settings.categories else None)
