"""How robust is the plan to the weights? Re-solve it for many weight vectors and count.

For sample s = 0..N-1 a weight vector is drawn for each weight set (pilot, rollout) from its own
random stream, seeded by ``SeedSequence(seed, spawn_key=(s,))``:

- around the chosen weights w (default): w_s ~ Dirichlet(K w), mean w, spread shrinking as the
  concentration K grows (the standard deviation of w_c is sqrt(w_c (1 - w_c) / (K + 1)));
- with ``ranks_only``: uniformly among all weights that respect the stated rank order (SMAA,
  Lahdelma & Salminen 2001): a point uniform on the simplex, sorted decreasingly and given to the
  criteria in rank order; tied criteria share their positions in a random order.

Each sample is the same integer program with another objective, so each worker builds the model
once and only changes the HiGHS column costs (``changeColsCost``), clearing the solver state before
every solve. A sample's answer therefore depends only on its weights: the results are identical for a seed whatever the
number of workers, local processes or a Dask cluster.

Per unit: pilot acceptability a_u = share of the samples (with a plan) in which u is a pilot
(the SMAA acceptability index of "u is a pilot"; the core index of Robust Portfolio Modeling,
Liesio, Mild & Salo 2007), the share in each fiscal year and the mean year, and a class: core
(a_u >= 0.95), exterior (a_u < 0.05) or borderline.
"""

from __future__ import annotations

import math
import os
import time
import uuid
from typing import Any, Callable

import pandas as pd

from selector.analysis.diagnose import basic_reasons
from selector.data.scenario import Scenario
from selector.data.settings import normalised_weights
from selector.errors import InfeasibleError, NoPlanInTimeError, Problem, ScenarioError, SelectorError
from selector.fields import CRITERIA
from selector.i18n import _
from selector.solve import solve
from selector.solvers.options import SolveOptions
from selector.status import Status
from selector.workflows.robustness.engine import Job, SampleSolver
from selector.workflows.robustness.execution import run_dask, run_local, split_into_chunks
from selector.workflows.robustness.sampling import WEIGHT_SETS, sample_weights, weight_vector
from selector.workflows.robustness.stats import Robustness, summarise


def robustness(scenario: Scenario, samples: int = 500, seed: int = 0, spread: float = 100.0,
               ranks_only: bool = False, workers: int | None = None, scheduler: Any = None,
               progress: Callable[[int, int], None] | None = None, gap: float | None = None,
               time_limit: float | None = None, chunk_size: int | None = None,
               solver: str | None = None) -> Robustness:
    """Re-solve the plan for ``samples`` weight vectors and measure how stable each unit's role is.

    ``spread`` is the Dirichlet concentration K (larger: closer to the chosen weights); with
    ``ranks_only`` the weights are uniform among those respecting each set's rank order.
    ``workers`` local processes (default: all cores) or ``scheduler``, a Dask address
    ``tcp://HOST:PORT`` or ``distributed.Client``. ``progress(done, total)`` is called as samples
    finish. ``gap`` and ``time_limit`` (per sample) default to the scenario's settings. HiGHS solves
    every sample (``solver`` may only name it). Never prints.
    """

    if samples < 1:
        raise SelectorError(_("samples must be at least 1"))
    if not ranks_only and not spread > 0:
        raise SelectorError(_("spread must be > 0"))
    settings = scenario.settings
    if settings.coverage != "all":

        raise ScenarioError([Problem(scenario.settings_path or "<settings>", None, "[plan] coverage",
                                     _('robustness samples plans that upgrade every unit, not coverage = "{coverage}"',
                                       coverage=settings.coverage),
                                     _('run it with coverage = "all" (a copy of the TOML without [plan] coverage)'))])
    if solver is not None and solver.lower() != "highs":
        raise ScenarioError([Problem("--solver", None, None, _("robustness samples are solved by HiGHS, not {solver}", solver=solver),
                                     _("leave out --solver, or use --compare-methods, which solves with any solver"))])
    _solver, time_limit, gap = SolveOptions.resolve(settings, solver="highs", time_limit=time_limit, gap=gap).as_tuple()
    workers = (os.cpu_count() or 1) if workers is None else max(1, int(workers))
    reasons = basic_reasons(scenario)
    if reasons:
        raise InfeasibleError(reasons)

    started = time.perf_counter()
    base_solver = SampleSolver(scenario, gap, time_limit)
    base_p, base_r = (weight_vector(settings.weight_spec(k).weights) for k in WEIGHT_SETS)
    status, *_values, base_years, _pilots = base_solver.solve(base_p, base_r)
    if status == Status.INFEASIBLE:
        raise InfeasibleError(basic_reasons(scenario, deep=True) or [_("the rules together leave no feasible plan")])
    if status == Status.NO_SOLUTION:
        raise NoPlanInTimeError(_("no plan was found within the time limit of {seconds} s under the chosen weights; "
                                  "nothing is proven either way. Raise --time-limit", seconds=f"{time_limit:g}"))

    drawn = sample_weights(scenario, samples, seed, spread, ranks_only)
    items = [(s, drawn["pilot"][s], drawn["rollout"][s]) for s in range(samples)]
    size = chunk_size or max(1, min(25, math.ceil(samples / (max(workers, 1) * 8))))
    job = Job(uuid.uuid4().hex, scenario, gap, time_limit)
    done = 0

    def advance(n: int) -> None:
        nonlocal done
        done += n
        if progress is not None:
            progress(done, samples)

    chunks = split_into_chunks(items, size)
    if scheduler is not None:
        results = run_dask(job, chunks, scheduler, advance)
    else:
        results = run_local(job, chunks, workers, advance)
    results.sort(key=lambda r: r[0])
    seconds = time.perf_counter() - started
    options = {"samples": samples, "seed": seed, "spread": None if ranks_only else spread, "ranks_only": ranks_only,
               "gap": gap, "time_limit": time_limit, "workers": None if scheduler is not None else workers,
               "scheduler": None if scheduler is None else str(scheduler), "seconds": seconds}
    options["cpu_seconds"] = sum(r[5] for r in results)
    return summarise(scenario, base_solver.unit_ids, base_years, results, drawn, options)


# ---------------------------------------------------------------------------------------------
# Comparing weight methods


def compare_methods(scenario: Scenario, **solve_options) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The plan under direct, rank-order, AHP and equal weights, side by side.

    Each method replaces both weight sets by their weights under that method (rank: the stated order
    or the one the weights imply; equal: equal weights on the criteria used); a set that does not
    give a method's form (no numbers, no AHP judgements) keeps the weights in use. Returns
    (units: unit_id, name, region and ``pilot_<method>`` / ``year_<method>`` for every unit that is
    a pilot under some method; methods: method, status, pilots, objective and the weights used).
    """

    settings = scenario.settings
    specs = {kind: settings.weight_spec(kind) for kind in WEIGHT_SETS}
    by_method = {kind: specs[kind].by_method() for kind in WEIGHT_SETS}
    methods = [m for m in ("direct", "rank", "ahp", "equal") if any(m in by_method[k] for k in WEIGHT_SETS)]
    units = scenario.to_schedule[["unit_id", "name", "region"]].reset_index(drop=True)
    summary = []
    for method in methods:
        weights = {k: by_method[k].get(method, dict(specs[k].weights)) for k in WEIGHT_SETS}
        variant = scenario.with_settings(pilot_weights=weights["pilot"], rollout_weights=weights["rollout"])
        plan = solve(variant, **solve_options)
        year = {}
        if plan.schedule is not None:
            year = dict(zip(plan.schedule["unit_id"], plan.schedule["fiscal_year"]))
        units[f"year_{method}"] = pd.array([year.get(u) for u in units["unit_id"]], dtype="Int64")
        units[f"pilot_{method}"] = units[f"year_{method}"].eq(settings.first_year).fillna(False).astype(bool)
        record = {"method": method, "status": plan.status,
                  "pilots": int(units[f"pilot_{method}"].sum()), "objective": plan.objective}
        for kind in WEIGHT_SETS:
            w = normalised_weights(weights[kind])
            record[f"{kind}_weights"] = " ".join(f"{c}={w[c]:.4f}" for c in CRITERIA if w[c] > 0)
        summary.append(record)
    pilot_cols = [f"pilot_{m}" for m in methods]
    chosen = units[units[pilot_cols].any(axis=1)]
    chosen = chosen.assign(_n=-chosen[pilot_cols].sum(axis=1)).sort_values(["_n", "unit_id"], kind="mergesort")
    return chosen.drop(columns="_n").reset_index(drop=True), pd.DataFrame(summary)
