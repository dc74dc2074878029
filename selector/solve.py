"""Solve a scenario and say honestly what was proven.

PuLP reports "Optimal" after a time limit too, so the status is read from the solver itself:
HiGHS's model status and MIP gap, or CBC's result line and gap in its log. A plan is called
``optimal`` only when the solver proved it within the requested relative gap; a plan found before a
time limit is ``feasible`` with the proven gap; ``infeasible`` means the solver proved no plan exists.
"""

from __future__ import annotations

import math
import os
import re
import sys
import tempfile
import time
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Callable

import pandas as pd
import pulp

from .balance import balance_table
from .diagnose import Finding, basic_findings, diagnose, elastic_findings
from .errors import SolverError
from .explain import explanation_column
from .fields import KNOWN_COLUMNS
from .model import Model, build_model, count_expression
from .scenario import Scenario

OPTIMAL = "optimal"
FEASIBLE = "feasible"
INFEASIBLE = "infeasible"
NO_SOLUTION = "no_solution"  # time limit reached before any plan was found: nothing proven either way

SCORE_DECIMALS = 6

SCHEDULE_COLUMNS = (
    "unit_id", "name", "region", "fiscal_year", "phase", "pilot", "cost", "pilot_score", "rollout_score", "explanation",
)


@dataclass(frozen=True)
class SolverRun:
    """What the solver proved: status, values of the binaries, objective, bound, gap."""

    status: str
    values: dict[str, float]
    objective: float | None
    bound: float | None
    gap: float | None
    solver: str
    version: str
    seconds: float
    lp_duals: dict[str, float] | None = None  # row name -> dual of the LP relaxation, when the solver solved it


@dataclass
class Plan:
    """A solved scenario: the schedule and the facts of the solve.

    ``schedule`` has one row per unit (done units included, with phase ``done``), sorted by fiscal
    year then unit_id. ``objective`` is recomputed from the schedule; ``bound`` is the solver's proven
    bound on the best objective; ``gap`` = (bound - objective) / |objective|.
    """

    scenario: Scenario
    status: str
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
    def proven_optimal(self) -> bool:
        return self.status == OPTIMAL

    @property
    def by_year(self) -> pd.DataFrame:
        """Per fiscal year: units, pilots, cost, budget, share of the budget used, cumulative coverage."""
        settings = self.scenario.settings
        rows = []
        sched = self.schedule
        total = int((~self.scenario.units["done"]).sum())
        done_before = int(self.scenario.units["done"].sum())
        cumulative = 0
        for year in settings.years:
            in_year = sched[sched["fiscal_year"] == year] if sched is not None else sched
            units = int(len(in_year)) if in_year is not None else 0
            cost = float(in_year["cost"].sum()) if in_year is not None else 0.0
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
    def pilots(self) -> pd.DataFrame:
        if self.schedule is None:
            return pd.DataFrame(columns=list(SCHEDULE_COLUMNS))
        return self.schedule[self.schedule["pilot"]].reset_index(drop=True)

    def _repr_html_(self) -> str:
        from .display import plan_html

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


# ---------------------------------------------------------------------------------------------
# Running the solvers


@contextmanager
def _redirect_stdout_fd(target: int | None):
    """Point file descriptor 1 elsewhere while native solver code runs (HiGHS prints a banner there).

    ``target`` is a file descriptor, or None for the null device. Python's own sys.stdout is
    flushed first so nothing is reordered.
    """
    try:
        sys.stdout.flush()
    except (AttributeError, ValueError):
        pass
    try:
        saved = os.dup(1)
    except OSError:  # no fd 1 at all (some embedded interpreters): nothing to protect
        yield
        return
    null = None
    try:
        if target is None:
            null = os.open(os.devnull, os.O_WRONLY)
            target = null
        os.dup2(target, 1)
        yield
    finally:
        os.dup2(saved, 1)
        os.close(saved)
        if null is not None:
            os.close(null)


def _relative_gap(objective: float, bound: float) -> float:
    return max(0.0, bound - objective) / max(abs(objective), 1e-9)


def run_highs(prob: pulp.LpProblem, time_limit: float, gap: float, verbose: bool) -> SolverRun:
    """HiGHS, fast: the model passed in one call and the LP relaxation first (see ``selector.highs``).

    The values are written back into the PuLP variables, and ``prob.status`` is set, as PuLP's own
    solver interfaces do.
    """
    try:
        import highspy
    except ImportError as exc:
        raise SolverError(f"HiGHS is not available ({exc}); install it with `pip install highspy` "
                          "or use --solver cbc") from exc
    from . import highs

    start = time.perf_counter()
    arrays = highs.problem_arrays(prob)
    with _redirect_stdout_fd(2 if verbose else None):
        try:
            outcome = highs.solve_lp_first(arrays, time_limit, gap, verbose)
        except (RuntimeError, highspy.HighsError) as exc:
            raise SolverError(f"HiGHS failed: {exc}. Try --solver cbc.") from exc
    highs.write_back(prob, arrays, outcome)
    seconds = time.perf_counter() - start
    if outcome.kind in (INFEASIBLE, NO_SOLUTION):
        return SolverRun(outcome.kind, {}, None, None, None, "highs", outcome.version, seconds)
    values = {v.name: v.varValue for v in arrays.variables}
    duals = None if outcome.row_duals is None else dict(zip((c.name for c in prob.constraints()),
                                                            outcome.row_duals.tolist()))
    return SolverRun(outcome.kind, values, outcome.objective, outcome.bound,
                     _relative_gap(outcome.objective, outcome.bound), "highs", outcome.version, seconds, duals)


def run_highs_plain(prob: pulp.LpProblem, time_limit: float, gap: float, verbose: bool) -> SolverRun:
    """HiGHS through PuLP's own interface, the full MIP from scratch: the straightforward reference.

    Slower than ``run_highs`` on large scenarios (PuLP adds the columns and rows one by one, and
    the branch and bound proves the last hundredth of a percent the hard way); kept for
    benchmarks and for tests that compare the two.
    """
    try:
        import highspy
    except ImportError as exc:
        raise SolverError(f"HiGHS is not available ({exc}); install it with `pip install highspy` "
                          "or use --solver cbc") from exc

    # One thread, fixed seed: parallel tasks finishing in a different order could pick another of equal optima.
    solver = pulp.HiGHS(msg=verbose, gapRel=gap, timeLimit=time_limit, random_seed=0, threads=1)
    start = time.perf_counter()
    with _redirect_stdout_fd(2 if verbose else None):
        for attempt in range(2):
            try:
                prob.solve(solver)
            except pulp.PulpSolverError as exc:
                raise SolverError(f"HiGHS failed: {exc}. Try --solver cbc.") from exc
            except KeyError:
                pass  # PuLP has no name for some HiGHS statuses (e.g. a solution limit): HiGHS's own status is read below
            # Another HiGHS user in this process may have fixed the thread pool at another size:
            # HiGHS then refuses the one-thread run without solving; reset the pool and run again.
            if attempt or prob.solverModel.getModelStatus() != highspy.HighsModelStatus.kNotset:
                break
            highspy.Highs.resetGlobalScheduler(True)
    seconds = time.perf_counter() - start
    run = highs_outcome(prob.solverModel, seconds)
    if run.status in (INFEASIBLE, NO_SOLUTION):
        return run
    return replace(run, values={v.name: v.varValue for v in prob.variables()})


def highs_outcome(h, seconds: float) -> SolverRun:
    """What a solved ``highspy.Highs`` model proved (without the variables' values).

    HiGHS minimises the negated objective PuLP hands it for a maximisation: signs are undone here.
    """
    import highspy

    status = h.getModelStatus()
    info = h.getInfo()
    S = highspy.HighsModelStatus
    has_solution = info.primal_solution_status == 2  # kSolutionStatusFeasible
    version = h.version()
    stopped = (S.kTimeLimit, S.kInterrupt, S.kIterationLimit, S.kSolutionLimit)
    if status == S.kInfeasible:
        return SolverRun(INFEASIBLE, {}, None, None, None, "highs", version, seconds)
    if status == S.kOptimal:
        kind = OPTIMAL
    elif status in stopped and has_solution:
        kind = FEASIBLE
    elif status in stopped:
        return SolverRun(NO_SOLUTION, {}, None, None, None, "highs", version, seconds)
    else:
        raise SolverError(f"HiGHS stopped with status {h.modelStatusToString(status)}. Try --solver cbc.")
    objective = -info.objective_function_value
    bound = -info.mip_dual_bound
    return SolverRun(kind, {}, objective, bound, _relative_gap(objective, bound), "highs", version, seconds)


_CBC_NUMBER = r"([-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?)"


def run_cbc(prob: pulp.LpProblem, time_limit: float, gap: float, verbose: bool) -> SolverRun:
    try:
        import cbcbox

        path = cbcbox.cbc_bin_path()
    except Exception as exc:  # cbcbox missing or without a binary for this platform
        raise SolverError(f"CBC is not available ({exc}); install it with `pip install cbcbox` or use --solver highs") from exc
    with tempfile.TemporaryDirectory(prefix="selector-cbc-") as tmp:
        log = Path(tmp) / "cbc.log"
        solver = pulp.COIN_CMD(path=path, msg=False, gapRel=gap, timeLimit=time_limit, threads=1,
                               logPath=str(log), keepFiles=False)
        start = time.perf_counter()
        try:
            prob.solve(solver)
        except pulp.PulpSolverError as exc:
            raise SolverError(f"CBC failed: {exc}. Try --solver highs.") from exc
        seconds = time.perf_counter() - start
        text = log.read_text(encoding="utf-8", errors="replace") if log.exists() else ""
    if verbose:
        sys.stderr.write(text)
    version_match = re.search(r"Version:\s*(\S+)", text)
    version = version_match.group(1) if version_match else "unknown"
    sol = prob.sol_status
    # CBC's solution file says "Infeasible" or "Integer infeasible"; PuLP maps only the first to a
    # solution status, so the problem status is read too.
    if sol == pulp.LpSolutionInfeasible or prob.status == pulp.LpStatusInfeasible or re.search(r"Result - (Problem proven infeasible|Linear relaxation infeasible)", text):
        return SolverRun(INFEASIBLE, {}, None, None, None, "cbc", version, seconds)
    if sol not in (pulp.LpSolutionOptimal, pulp.LpSolutionIntegerFeasible):
        if re.search(r"Result - Stopped", text):
            return SolverRun(NO_SOLUTION, {}, None, None, None, "cbc", version, seconds)
        raise SolverError(f"CBC stopped with status {pulp.LpStatus.get(prob.status, prob.status)}. Try --solver highs.")
    values = {v.name: v.varValue for v in prob.variables()}
    objective = float(pulp.value(prob.objective))
    bound_match = re.search(r"(?:Upper|Lower) bound:\s*" + _CBC_NUMBER, text)
    bound = float(bound_match.group(1)) if bound_match else None
    if sol == pulp.LpSolutionOptimal:
        if bound is None:
            bound = objective
        return SolverRun(OPTIMAL, values, objective, bound, _relative_gap(objective, bound), "cbc", version, seconds)
    if bound is None:
        raise SolverError("CBC stopped before proving a bound; rerun with a longer --time-limit or --solver highs")
    return SolverRun(FEASIBLE, values, objective, bound, _relative_gap(objective, bound), "cbc", version, seconds)


SOLVERS: dict[str, Callable[[pulp.LpProblem, float, float, bool], SolverRun]] = {"highs": run_highs, "cbc": run_cbc}


# ---------------------------------------------------------------------------------------------
# From a scenario to a plan


def solve(scenario: Scenario, *, solver: str | None = None, time_limit: float | None = None,
          gap: float | None = None, verbose: bool = False,
          extra: Callable[[Model], None] | None = None) -> Plan:
    """Build and solve the scenario's integer program; never prints.

    ``solver``, ``time_limit`` and ``gap`` default to the scenario's settings. Returns a ``Plan``
    whatever the outcome: check ``plan.status`` (``optimal``, ``feasible``, ``infeasible`` or
    ``no_solution``); an infeasible plan carries plain-words ``reasons`` and structured
    ``diagnosis`` records (the smallest change that gives a plan, from ``selector.diagnose``).

    Under ``[plan] coverage = "best-effort"`` the solve is lexicographic: first the most units
    upgraded (each stage gets the time limit), then the best objective among plans upgrading that
    many; ``plan.diagnosis`` then gives the extra budget per year that would schedule the rest.
    """
    settings = scenario.settings
    solver = (solver or settings.solver).lower()
    if solver not in SOLVERS:
        raise SolverError(f"unknown solver '{solver}'; choose one of {', '.join(SOLVERS)}")
    time_limit = settings.time_limit if time_limit is None else time_limit
    gap = settings.gap if gap is None else gap

    findings = basic_findings(scenario)
    if findings:  # contradictions found before building: no need to build or run the solver
        return Plan(scenario, INFEASIBLE, None, None, None, None, solver, "", 0.0, 0.0,
                    [f.message for f in findings], findings)
    start = time.perf_counter()
    model = build_model(scenario, extra=extra)
    build_seconds = time.perf_counter() - start

    run = solve_model(model, solver, time_limit, gap, verbose)
    if run.status in (INFEASIBLE, NO_SOLUTION):
        findings = [] if run.status == NO_SOLUTION else diagnose(scenario, solver=solver, time_limit=time_limit)
        return Plan(scenario, run.status, None, None, None, None, run.solver, run.version,
                    run.seconds, build_seconds, [f.message for f in findings], findings)

    schedule = schedule_from_values(model, run.values, explain=True)
    assignment = {uid: (None if pd.isna(y) else int(y)) for uid, y in zip(schedule["unit_id"], schedule["fiscal_year"])
                  if uid in model.units.index}
    pilots = set(schedule.loc[schedule["pilot"], "unit_id"])
    objective = model.objective_value(assignment, pilots)
    bound = max(run.bound, objective) if run.bound is not None else objective
    status, solver_name, version, solve_seconds = run.status, run.solver, run.version, run.seconds
    findings = []
    if any(year is None for year in assignment.values()):
        findings = elastic_findings(scenario, rules=("budget",), solver=solver, time_limit=time_limit)
        if findings is None:  # money alone cannot schedule them: say what else must change
            findings = elastic_findings(scenario, solver=solver, time_limit=time_limit) or []
    from .money import marginal_values

    # The relaxation the fast HiGHS path solved is the one marginal_values needs when the model is
    # the scenario's own (no extra rows, full coverage): reuse its duals rather than build and solve again.
    same_lp = extra is None and scenario.settings.coverage == "all"
    lp_duals = run.lp_duals if same_lp else None
    del model, run  # a second model may be built next: at 50,000 units each holds hundreds of MB
    return Plan(scenario, status, schedule, objective, bound, _relative_gap(objective, bound), solver_name,
                version, solve_seconds, build_seconds, [f.message for f in findings], findings,
                marginal_values(scenario, lp_duals=lp_duals))


def solve_model(model: Model, solver: str, time_limit: float, gap: float, verbose: bool = False) -> SolverRun:
    """Solve a built model (both stages under best-effort); the model may be solved again after a change.

    Under best-effort the second stage is ``optimal`` only if the first proved the count.
    """
    if model.scenario.settings.coverage != "best-effort" or not model.x:
        return SOLVERS[solver](model.prob, time_limit, gap, verbose)
    count_run = _maximise_count(model, solver, time_limit, gap, verbose)
    if count_run.status not in (OPTIMAL, FEASIBLE):
        return count_run
    run = SOLVERS[solver](model.prob, time_limit, gap, verbose)
    status = run.status if count_run.status == OPTIMAL or run.status != OPTIMAL else FEASIBLE
    return replace(run, status=status, seconds=run.seconds + count_run.seconds)


def _maximise_count(model: Model, solver: str, time_limit: float, gap: float, verbose: bool) -> SolverRun:
    """Best-effort, first stage: maximise the number of units upgraded, then hold it with row ``coverage_count``.

    sum_u sum_y x[u,y] >= N*, where N* is the most units any plan can upgrade; the model's own
    objective is restored for the second stage.
    """
    objective = model.prob.objective
    count = count_expression(model)
    if model.count_status is not None:  # solved before: the count is held by its row already
        return SolverRun(model.count_status, {}, None, None, None, solver, "", 0.0)
    model.prob.setObjective(count)
    # A gap below one unit proves the count itself.
    run = SOLVERS[solver](model.prob, time_limit, min(gap, 0.5 / max(len(model.units), 1)), verbose)
    model.prob.setObjective(objective)
    if run.status in (OPTIMAL, FEASIBLE):
        most = round(sum(run.values.get(var.name, 0.0) or 0.0 for var in model.x.values()))
        model.prob.addConstraint(count >= most, "coverage_count")
        model.count_status = run.status
    return run


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

    ``explain`` adds the ``explanation`` column (``selector.explain.explanation_column``) after the scores.
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
