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
import threading
import time
import uuid
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass, field
from typing import Any, Callable, Sequence

import numpy as np
import pandas as pd

from .errors import InfeasibleError, SelectorError
from .fields import CRITERIA
from .scenario import Scenario
from .settings import normalised_weights
from .solve import FEASIBLE, INFEASIBLE, NO_SOLUTION, OPTIMAL

class NoPlanInTimeError(SelectorError):
    """The solver found no plan under the chosen weights within the time limit (exit 5)."""

    exit_code = 5


CORE, BORDERLINE, EXTERIOR = "core", "borderline", "exterior"
CORE_SHARE, EXTERIOR_SHARE = 0.95, 0.05
CLASS_ORDER = (BORDERLINE, CORE, EXTERIOR)  # borderline first: the units worth the committee's time
WEIGHT_SETS = ("pilot", "rollout")


# ---------------------------------------------------------------------------------------------
# Drawing weights


def _rng(seed: int, sample: int) -> np.random.Generator:
    return np.random.default_rng(np.random.SeedSequence(seed, spawn_key=(sample,)))


def dirichlet_around(rng: np.random.Generator, weights: np.ndarray, spread: float) -> np.ndarray:
    """w ~ Dirichlet(K w) on the criteria with w_c > 0 (the others stay 0); E[w] = w."""
    out = np.zeros_like(weights)
    used = weights > 0
    out[used] = rng.dirichlet(spread * weights[used] / weights[used].sum())
    return out


def uniform_in_rank_order(rng: np.random.Generator, order: Sequence[Sequence[str]]) -> np.ndarray:
    """w uniform on {w on the simplex : w_a >= w_b whenever a is ranked above b}, over CRITERIA.

    Tied criteria share their positions in a random order, so the draw is uniform over the union of
    the orders the ties allow.
    """
    flat = [c for group in order for c in group]
    values = np.sort(rng.dirichlet(np.ones(len(flat))))[::-1]
    out = np.zeros(len(CRITERIA))
    start = 0
    for group in order:
        part = values[start:start + len(group)]
        if len(group) > 1:
            part = part[rng.permutation(len(group))]
        for c, v in zip(group, part):
            out[CRITERIA.index(c)] = v
        start += len(group)
    return out


def weight_vector(weights) -> np.ndarray:
    """Normalised weights as a vector over CRITERIA."""
    w = normalised_weights(weights)
    return np.array([w[c] for c in CRITERIA])


def sample_weights(scenario: Scenario, samples: int, seed: int, spread: float,
                   ranks_only: bool) -> dict[str, np.ndarray]:
    """The (samples x criteria) weight matrices of each weight set; row s depends only on (seed, s)."""
    settings = scenario.settings
    specs = {kind: settings.weight_spec(kind) for kind in WEIGHT_SETS}
    base = {kind: weight_vector(specs[kind].weights) for kind in WEIGHT_SETS}
    out = {kind: np.zeros((samples, len(CRITERIA))) for kind in WEIGHT_SETS}
    for s in range(samples):
        rng = _rng(seed, s)
        for kind in WEIGHT_SETS:
            if ranks_only:
                out[kind][s] = uniform_in_rank_order(rng, specs[kind].rank_order)
            else:
                out[kind][s] = dirichlet_around(rng, base[kind], spread)
    return out


# ---------------------------------------------------------------------------------------------
# Solving many objectives on one model


@dataclass(frozen=True)
class _Job:
    """Everything a worker needs; ``token`` names the model a worker may keep between chunks."""

    token: str
    scenario: Scenario
    gap: float
    time_limit: float


def add_spending_floors(m) -> None:
    """Implied rows for the sampling model: the money left unspent is the same in every plan.

    Every unit is upgraded, and paid, exactly once. With S_Y = sum_{u in U} cost_u (every unit is paid once: coverage rows are equalities) and
    spend_y <= budget_y, every year and every run of first years T = F..t must spend

        sum_{u} cost_u sum_{y in T} x[u,y] >= sum_{y in T} budget_y - slack,   slack = sum_y budget_y - S_Y

    (``floor_<year>`` for T = {year}, ``floor_to_<t>`` for T = F..t). They cut off no plan, only
    fractional points of the relaxation, and on the default scenario HiGHS needs about a fifth
    less time per sample with them. They are kept out of ``build_model`` because there they would
    change the LP duals that ``selector.money`` reads as the value of a budget.
    """
    import pulp

    if m.scenario.settings.coverage != "all" or not m.x:
        return
    cost = m.units["cost"].astype(float).to_dict()
    budget = {year: float(m.scenario.settings.budget[year]) for year in m.years}
    slack = sum(budget.values()) - sum(cost.values())
    by_year: dict[int, list] = {year: [] for year in m.years}
    for (uid, year), var in m.x.items():
        if cost[uid] != 0:
            by_year[year].append((var, cost[uid]))
    runs = [((year,), f"floor_{year}") for year in m.years]
    runs += [(m.years[:k], f"floor_to_{m.years[k - 1]}") for k in range(2, len(m.years))]
    for years, name in runs:
        terms = [term for year in years for term in by_year[year]]
        floor = sum(budget[year] for year in years) - slack
        if terms and floor > 0:
            m.prob.addConstraint(pulp.LpAffineExpression(terms) >= floor, name)


class SampleSolver:
    """One built model whose objective is changed per sample (HiGHS column costs)."""

    def __init__(self, scenario: Scenario, gap: float, time_limit: float, floors: bool = True):
        import pulp

        from .model import build_model
        from .scoring import normalised_matrix
        from .solve import _redirect_stdout_fd

        self.model = m = build_model(scenario, extra=add_spending_floors if floors else None)
        # One thread, fixed seed, as selector.solve (HiGHS refuses another thread count once its scheduler runs).
        solver = pulp.HiGHS(msg=False, gapRel=gap, timeLimit=time_limit, random_seed=0, threads=1)
        with _BANNER_LOCK, _redirect_stdout_fd(None):  # highspy prints its banner when created
            solver.createAndConfigureSolver(m.prob)
            solver.buildSolverModel(m.prob)
        self.highs = m.prob.solverModel
        self.unit_ids = list(m.units.index)
        position = {u: i for i, u in enumerate(self.unit_ids)}
        self.matrix = normalised_matrix(m.units, scenario.settings).to_numpy()
        last = m.years[-1]
        x_items = list(m.x.items())
        self.x_cols = np.array([var.index for _, var in x_items], dtype=np.int32)
        self.x_unit = np.array([position[u] for (u, _), _ in x_items], dtype=np.int64)
        self.x_year = np.array([y for (_, y), _ in x_items], dtype=np.int64)
        self.x_factor = (last - self.x_year + 1).astype(float)
        p_items = list(m.p.items())
        self.p_cols = np.array([var.index for _, var in p_items], dtype=np.int32)
        self.p_unit = np.array([position[u] for u, _ in p_items], dtype=np.int64)
        self.cols = np.concatenate([self.x_cols, self.p_cols])
        self.pilot_lambda = m.pilot_lambda

    def costs(self, pilot_w: np.ndarray, rollout_w: np.ndarray) -> np.ndarray:
        """HiGHS minimises: cost = -R_u (L - y + 1) for x[u,y] and -lambda P_u for p[u]."""
        from .scoring import weighted_sum

        pilot = weighted_sum(self.matrix, pilot_w)
        rollout = weighted_sum(self.matrix, rollout_w)
        return -np.concatenate([rollout[self.x_unit] * self.x_factor, self.pilot_lambda * pilot[self.p_unit]])

    def solve(self, pilot_w: np.ndarray, rollout_w: np.ndarray):
        """(status, objective, gap, year of each unit or -1, column values) for one weight vector.

        No starting solution is given: a hint (say the chosen plan) would be kept whenever it is
        within the gap, biasing the samples towards the chosen plan."""
        from .solve import highs_outcome

        h = self.highs
        h.changeColsCost(len(self.cols), self.cols, self.costs(pilot_w, rollout_w))
        h.clearSolver()  # forget the previous sample: each answer depends on its own weights only
        began = time.perf_counter()
        h.run()  # silent: output_flag is off (no fd redirection here: it is not thread-safe)
        run = highs_outcome(h, time.perf_counter() - began)
        years = np.full(len(self.unit_ids), -1, dtype=np.int64)
        if run.status in (OPTIMAL, FEASIBLE):
            values = np.asarray(h.getSolution().col_value)
            chosen = values[self.x_cols] > 0.5
            years[self.x_unit[chosen]] = self.x_year[chosen]
            return run.status, run.objective, run.gap, years, values
        return run.status, None, None, years, None


_LOCAL = threading.local()
_BANNER_LOCK = threading.Lock()  # fd 1 is redirected while a model is created: one thread at a time


def _solver_for(job: _Job) -> SampleSolver:
    """The worker's model for this job, built on first use (one per process or thread)."""
    cached = getattr(_LOCAL, "solver", None)
    if cached is None or cached[0] != job.token:
        _LOCAL.solver = (job.token, SampleSolver(job.scenario, job.gap, job.time_limit))
    return _LOCAL.solver[1]


def solve_chunk(job: _Job, chunk: list[tuple[int, np.ndarray, np.ndarray]]) -> list[tuple]:
    """Solve samples [(index, pilot weights, rollout weights)]; module level so it pickles."""
    solver = _solver_for(job)
    out = []
    for index, pilot_w, rollout_w in chunk:
        cpu = time.process_time()
        status, objective, gap, years, _ = solver.solve(pilot_w, rollout_w)
        out.append((index, status, objective, gap, years, time.process_time() - cpu))
    return out


def _chunks(items: list, size: int) -> list[list]:
    return [items[i:i + size] for i in range(0, len(items), size)]


def _run_local(job: _Job, chunks: list[list], workers: int, progress: Callable[[int], None]) -> list[tuple]:
    if workers <= 1:
        results = []
        for chunk in chunks:
            results += solve_chunk(job, chunk)
            progress(len(chunk))
        return results
    import multiprocessing

    # spawn, not fork: the parent has HiGHS threads running, and forking a threaded process is unsafe.
    context = multiprocessing.get_context("spawn")
    results = []
    pool = ProcessPoolExecutor(max_workers=workers, mp_context=context)
    try:
        futures = {pool.submit(solve_chunk, job, chunk): len(chunk) for chunk in chunks}
        for future in as_completed(futures):
            results += future.result()
            progress(futures[future])
    except BaseException:  # Ctrl-C, a kill or a failed chunk: do not wait for the queued chunks
        pool.shutdown(wait=False, cancel_futures=True)
        raise
    pool.shutdown()
    return results


def _run_dask(job: _Job, chunks: list[list], scheduler, progress: Callable[[int], None]) -> list[tuple]:
    """Run the chunks on an existing Dask cluster (an address such as tcp://HOST:8786, or a Client)."""
    try:
        from distributed import Client, as_completed as dask_completed
    except ImportError as exc:
        raise SelectorError("--scheduler needs Dask distributed: pip install 'selector[distributed]'") from exc
    own = not isinstance(scheduler, Client)
    try:
        client = Client(scheduler) if own else scheduler
    except (OSError, TimeoutError, ValueError) as exc:
        from .errors import Problem, ScenarioError

        raise ScenarioError([Problem("--scheduler", None, None, f"cannot reach the Dask scheduler {scheduler} ({exc})",
                                     "check the address (tcp://HOST:PORT) and that the scheduler is running")]) from exc
    try:
        [shared] = client.scatter([job], broadcast=True)
        futures = client.map(solve_chunk, [shared] * len(chunks), chunks, pure=False)
        sizes = {f.key: len(c) for f, c in zip(futures, chunks)}
        results = []
        for future in dask_completed(futures):
            results += future.result()
            progress(sizes[future.key])
        return results
    finally:
        if own:
            client.close()


# ---------------------------------------------------------------------------------------------
# The result


@dataclass
class Robustness:
    """Result of ``robustness``: per unit, per plan and per sample tables (pandas DataFrames).

    ``units``: unit_id, name, region, class, acceptability, acceptability_low and _high (its 95%
    Wilson interval over the samples), share_FY<year>..., mean_year,
    modal_year, modal_share, base_year, base_pilot; sorted borderline, core, exterior, then by
    acceptability (highest first) and unit_id. ``plan``: measure, value. ``samples``: one row per
    sample with its status, objective, gap, pilots and weights.
    """

    units: pd.DataFrame
    plan: pd.DataFrame
    samples: pd.DataFrame
    options: dict[str, Any] = field(default_factory=dict)

    @property
    def borderline(self) -> pd.DataFrame:
        return self.units[self.units["class"] == BORDERLINE].reset_index(drop=True)

    def measure(self, name: str):
        return self.plan.set_index("measure").loc[name, "value"]


Z_95 = 1.959963984540054  # the standard normal quantile of 0.975


def wilson_interval(share: np.ndarray, n: int, z: float = Z_95) -> tuple[np.ndarray, np.ndarray]:
    """The Wilson score interval (95% by default) of a share observed in n samples (Wilson 1927).

    centre = (a + z^2 / 2n) / (1 + z^2 / n),  half-width = z sqrt(a (1 - a) / n + z^2 / 4n^2) / (1 + z^2 / n).
    It is the sampling uncertainty of an acceptability index: the share that endlessly many samples
    would give lies within the interval in about 95% of runs (seeds). Unlike a +-2 standard error band it stays within
    [0, 1], and a share of 1 in n samples still has a lower end of n / (n + z^2) below 1.
    """
    share = np.asarray(share, dtype=float)
    if n == 0:
        return np.full(share.shape, np.nan), np.full(share.shape, np.nan)
    z2 = z * z
    centre = (share + z2 / (2 * n)) / (1 + z2 / n)
    half = z * np.sqrt(share * (1 - share) / n + z2 / (4 * n * n)) / (1 + z2 / n)
    return np.clip(centre - half, 0.0, 1.0), np.clip(centre + half, 0.0, 1.0)


def _classify(share: float) -> str:
    if share >= CORE_SHARE:
        return CORE
    if share < EXTERIOR_SHARE:
        return EXTERIOR
    return BORDERLINE


def robustness(scenario: Scenario, samples: int = 500, seed: int = 0, spread: float = 100.0,
               ranks_only: bool = False, workers: int | None = None, scheduler: Any = None,
               progress: Callable[[int, int], None] | None = None, gap: float | None = None,
               time_limit: float | None = None, chunk_size: int | None = None) -> Robustness:
    """Re-solve the plan for ``samples`` weight vectors and measure how stable each unit's role is.

    ``spread`` is the Dirichlet concentration K (larger: closer to the chosen weights); with
    ``ranks_only`` the weights are uniform among those respecting each set's rank order.
    ``workers`` local processes (default: all cores) or ``scheduler``, a Dask address
    ``tcp://HOST:PORT`` or ``distributed.Client``. ``progress(done, total)`` is called as samples
    finish. ``gap`` and ``time_limit`` (per sample) default to the scenario's settings. HiGHS solves
    every sample. Never prints.
    """
    from .diagnose import basic_reasons

    if samples < 1:
        raise SelectorError("samples must be at least 1")
    if not ranks_only and not spread > 0:
        raise SelectorError("spread must be > 0")
    settings = scenario.settings
    if settings.coverage != "all":
        from .errors import Problem, ScenarioError

        raise ScenarioError([Problem(scenario.settings_path or "<settings>", None, "[plan] coverage",
                                     f'robustness samples plans that upgrade every unit, not coverage = "{settings.coverage}"',
                                     'run it with coverage = "all" (a copy of the TOML without [plan] coverage)')])
    gap = settings.gap if gap is None else gap
    time_limit = settings.time_limit if time_limit is None else time_limit
    workers = (os.cpu_count() or 1) if workers is None else max(1, int(workers))
    reasons = basic_reasons(scenario)
    if reasons:
        raise InfeasibleError(reasons)

    started = time.perf_counter()
    base_solver = SampleSolver(scenario, gap, time_limit)
    base_p, base_r = (weight_vector(settings.weight_spec(k).weights) for k in WEIGHT_SETS)
    status, _, _, base_years, _ = base_solver.solve(base_p, base_r)
    if status == INFEASIBLE:
        raise InfeasibleError(basic_reasons(scenario, deep=True) or ["the rules together leave no feasible plan"])
    if status == NO_SOLUTION:
        raise NoPlanInTimeError(f"no plan was found within the time limit of {time_limit:g} s under the chosen "
                                "weights; nothing is proven either way. Raise --time-limit")

    drawn = sample_weights(scenario, samples, seed, spread, ranks_only)
    items = [(s, drawn["pilot"][s], drawn["rollout"][s]) for s in range(samples)]
    size = chunk_size or max(1, min(25, math.ceil(samples / (max(workers, 1) * 8))))
    job = _Job(uuid.uuid4().hex, scenario, gap, time_limit)
    done = 0

    def advance(n: int) -> None:
        nonlocal done
        done += n
        if progress is not None:
            progress(done, samples)

    chunks = _chunks(items, size)
    if scheduler is not None:
        results = _run_dask(job, chunks, scheduler, advance)
    else:
        results = _run_local(job, chunks, workers, advance)
    results.sort(key=lambda r: r[0])
    seconds = time.perf_counter() - started
    options = {"samples": samples, "seed": seed, "spread": None if ranks_only else spread, "ranks_only": ranks_only,
               "gap": gap, "time_limit": time_limit, "workers": None if scheduler is not None else workers,
               "scheduler": None if scheduler is None else str(scheduler), "seconds": seconds}
    options["cpu_seconds"] = sum(r[5] for r in results)
    return _summarise(scenario, base_solver.unit_ids, base_years, results, drawn, options)


def _summarise(scenario: Scenario, unit_ids: list[str], base_years: np.ndarray, results: list[tuple],
               drawn: dict[str, np.ndarray], options: dict[str, Any]) -> Robustness:
    settings = scenario.settings
    first = settings.first_year
    statuses = [r[1] for r in results]
    with_plan = [r for r in results if r[1] in (OPTIMAL, FEASIBLE)]
    years = np.array([r[4] for r in with_plan], dtype=np.int64).reshape(len(with_plan), len(unit_ids))
    n = max(len(with_plan), 1)
    units = scenario.units.set_index("unit_id", drop=False).loc[unit_ids]
    table = pd.DataFrame({"unit_id": unit_ids, "name": units["name"].to_numpy(), "region": units["region"].to_numpy()})
    pilots = years == first
    acceptability = pilots.sum(axis=0) / n
    table["class"] = [_classify(a) for a in acceptability]
    table["acceptability"] = acceptability
    table["acceptability_low"], table["acceptability_high"] = wilson_interval(acceptability, len(with_plan))
    shares = {}
    for year in settings.years:
        shares[year] = (years == year).sum(axis=0) / n
        table[f"share_FY{year}"] = shares[year]
    table["mean_year"] = years.mean(axis=0) if len(with_plan) else np.nan
    stacked = np.vstack([shares[y] for y in settings.years])
    table["modal_year"] = [settings.years[i] for i in stacked.argmax(axis=0)]
    table["modal_share"] = stacked.max(axis=0)
    table["base_year"] = base_years
    table["base_pilot"] = base_years == first
    rank = {c: i for i, c in enumerate(CLASS_ORDER)}
    table = table.assign(_c=table["class"].map(rank), _a=-table["acceptability"])
    table = table.sort_values(["_c", "_a", "unit_id"], kind="mergesort").drop(columns=["_c", "_a"]).reset_index(drop=True)

    base_set = frozenset(np.array(unit_ids)[base_years == first])
    sets = [frozenset(np.array(unit_ids)[row == first]) for row in years]
    counts = table["class"].value_counts()
    base_pilots = table[table["base_pilot"]]
    measures = [
        ("samples", options["samples"]),
        ("samples_optimal", statuses.count(OPTIMAL)),
        ("samples_not_proven", statuses.count(FEASIBLE)),
        ("samples_without_plan", len(results) - len(with_plan)),
        ("units", len(unit_ids)),
        ("core_units", int(counts.get(CORE, 0))),
        ("borderline_units", int(counts.get(BORDERLINE, 0))),
        ("exterior_units", int(counts.get(EXTERIOR, 0))),
        ("base_pilots", len(base_set)),
        ("base_pilots_core", int((base_pilots["class"] == CORE).sum())),
        ("units_with_stable_year", int((table["modal_share"] >= CORE_SHARE).sum())),
        ("distinct_pilot_sets", len(set(sets))),
        ("share_same_pilot_set_as_base", sum(s == base_set for s in sets) / n),
    ]
    plan = pd.DataFrame({"measure": [k for k, _ in measures], "value": pd.Series([v for _, v in measures], dtype=object)})

    rows = {"sample": [r[0] for r in results], "status": statuses,
            "objective": [r[2] for r in results], "gap": [r[3] for r in results],
            "pilots": [" ".join(u for u, y in zip(unit_ids, r[4]) if y == first) for r in results],
            "cpu_seconds": [r[5] for r in results]}
    for kind in WEIGHT_SETS:
        for j, c in enumerate(CRITERIA):
            rows[f"{kind}_{c}"] = drawn[kind][[r[0] for r in results], j]
    return Robustness(table, plan, pd.DataFrame(rows), options)


def table_csv_text(table: pd.DataFrame) -> str:
    """A table as CSV text (no BOM): shares to 4 decimals, mean_year to 3, booleans true/false,
    missing values empty, text escaped against spreadsheet formulas."""
    import csv
    import io

    from .output import escape_cell

    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(list(table.columns))
    for row in table.itertuples(index=False):
        cells = []
        for col, value in zip(table.columns, row):
            if value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value)):
                cells.append("")
            elif isinstance(value, (bool, np.bool_)):
                cells.append("true" if value else "false")
            elif col == "mean_year":
                cells.append(f"{value:.3f}")
            elif isinstance(value, (float, np.floating)):
                cells.append(f"{value:.4f}")
            elif isinstance(value, (int, np.integer)):
                cells.append("" if value < 0 else str(int(value)))
            else:
                cells.append(escape_cell(str(value)))
        writer.writerow(cells)
    return buffer.getvalue()


def units_csv_text(result: Robustness) -> str:
    """The per-unit table of a robustness result as CSV text (no BOM)."""
    return table_csv_text(result.units)


def summary_text(result: Robustness, out_path=None) -> str:
    """What ``selector robustness`` prints: the borderline units first, then core and exterior, then the plan."""
    o = result.options
    m = result.measure
    how = ("uniform weights respecting each rank order (SMAA)" if o["ranks_only"]
           else f"Dirichlet around the chosen weights, concentration K = {o['spread']:g}")
    lines = [f"{o['samples']} weight samples (seed {o['seed']}; {how}); gap {o['gap']:g}: "
             f"{m('samples_optimal')} proven optimal, {m('samples_not_proven')} not proven, "
             f"{m('samples_without_plan')} without a plan"]
    border = result.borderline
    lines.append("")
    lines.append(f"Borderline units ({len(border)}): pilot in 5% to 95% of the samples")
    if len(border):
        from .report import _table

        rows = [[r.unit_id, r.name, r.region, f"{100 * r.acceptability:.1f}%",
                 f"{100 * r.acceptability_low:.0f}-{100 * r.acceptability_high:.0f}%", "yes" if r.base_pilot else "",
                 f"{r.mean_year:.2f}"] for r in border.itertuples()]
        lines += ["  " + line.rstrip() for line in
                  _table(["unit", "name", "region", "pilot in", "95% interval", "pilot now", "mean year"], rows, {3, 4, 6})]
    core = result.units[result.units["class"] == CORE]
    lines.append("")
    lines.append(f"Core pilots ({len(core)}): pilot in >= 95% of the samples: " + (", ".join(core["unit_id"]) or "none"))
    lines.append(f"Exterior units ({m('exterior_units')}): pilot in < 5% of the samples")
    lines.append(f"The chosen plan's {m('base_pilots')} pilots: {m('base_pilots_core')} core; "
                 f"{100 * m('share_same_pilot_set_as_base'):.1f}% of the samples choose exactly the same pilots "
                 f"({m('distinct_pilot_sets')} distinct pilot sets)")
    lines.append(f"Units upgraded in the same fiscal year in >= 95% of the samples: {m('units_with_stable_year')} "
                 f"of {m('units')}")
    if out_path is not None:
        lines.append(f"Per-unit table written to {out_path}")
    return "\n".join(lines)


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
    from .solve import solve

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


# ---------------------------------------------------------------------------------------------
# Plot

CLASS_COLOURS = {CORE: "#1b7837", BORDERLINE: "#f1a340", EXTERIOR: "#bababa"}


def plot_acceptability(result: Robustness, top: int | None = None):
    """A matplotlib Figure: pilot acceptability per unit, highest first, coloured by class.

    ``top`` keeps only the first ``top`` units (exterior units with 0% are dropped by default).
    """
    from matplotlib.figure import Figure
    from matplotlib.patches import Patch

    data = result.units.sort_values(["acceptability", "unit_id"], ascending=[False, True], kind="mergesort")
    data = data[data["acceptability"] > 0] if top is None else data.head(top)
    fig = Figure(figsize=(max(6.0, 0.28 * len(data) + 1.5), 4.0), layout="constrained")
    ax = fig.add_subplot()
    ax.bar(range(len(data)), 100 * data["acceptability"], color=[CLASS_COLOURS[c] for c in data["class"]])
    ax.set_xticks(range(len(data)), data["unit_id"], rotation=90, fontsize=7)
    ax.axhline(100 * CORE_SHARE, color="black", linewidth=0.6, linestyle="--")
    ax.axhline(100 * EXTERIOR_SHARE, color="black", linewidth=0.6, linestyle=":")
    ax.set_ylim(0, 100)
    ax.set_ylabel("pilot in % of samples")
    ax.set_title(f"Pilot acceptability ({result.options.get('samples')} weight samples)")
    ax.legend(handles=[Patch(color=CLASS_COLOURS[c], label=c) for c in (CORE, BORDERLINE, EXTERIOR)], loc="upper right")
    return fig


__all__ = ["robustness", "Robustness", "NoPlanInTimeError", "units_csv_text", "table_csv_text", "summary_text", "compare_methods", "plot_acceptability", "sample_weights",
           "dirichlet_around", "uniform_in_rank_order", "wilson_interval", "SampleSolver", "CORE", "BORDERLINE", "EXTERIOR"]
