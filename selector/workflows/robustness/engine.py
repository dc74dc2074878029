"""One model per worker in one solver session, re-solved for each sampled weight vector."""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass

import numpy as np

from selector.data.scenario import Scenario
from selector.model.build import build_model
from selector.model.extras import add_spending_floors
from selector.model.scoring import normalised_matrix, weighted_sum
from selector.solvers.session import Session
from selector.status import Status, relative_gap

# ---------------------------------------------------------------------------------------------
# Solving many objectives on one model


@dataclass(frozen=True)
class Job:
    """Everything a worker needs; ``token`` names the model a worker may keep between chunks."""

    token: str
    scenario: Scenario
    gap: float
    time_limit: float


class SampleSolver:
    """One built model in one solver session (``selector.solvers.session``): per sample only the
    objective's costs change."""

    def __init__(self, scenario: Scenario, gap: float, time_limit: float, floors: bool = True):
        self.model = m = build_model(scenario, extra=add_spending_floors if floors else None)
        self.session = Session(m.prob, gap, time_limit)
        self.unit_ids = list(m.units.index)
        position = {u: i for i, u in enumerate(self.unit_ids)}
        self.matrix = normalised_matrix(m.units, scenario.settings).to_numpy()
        last = m.years[-1]
        x_items = list(m.x.items())
        self.x_cols = self.session.columns(var for _, var in x_items)
        self.x_unit = np.array([position[u] for (u, _), _ in x_items], dtype=np.int64)
        self.x_year = np.array([y for (_, y), _ in x_items], dtype=np.int64)
        self.x_factor = (last - self.x_year + 1).astype(float)
        p_items = list(m.p.items())
        self.p_cols = self.session.columns(var for _, var in p_items)
        self.p_unit = np.array([position[u] for u, _ in p_items], dtype=np.int64)
        self.cols = np.concatenate([self.x_cols, self.p_cols])
        self.pilot_lambda = m.pilot_lambda

    def costs(self, pilot_w: np.ndarray, rollout_w: np.ndarray) -> np.ndarray:
        """The objective's coefficients: R_u (L - y + 1) for x[u,y] and lambda P_u for p[u]."""

        pilot = weighted_sum(self.matrix, pilot_w)
        rollout = weighted_sum(self.matrix, rollout_w)
        return np.concatenate([rollout[self.x_unit] * self.x_factor, self.pilot_lambda * pilot[self.p_unit]])

    def solve(self, pilot_w: np.ndarray, rollout_w: np.ndarray, start: np.ndarray | None = None):
        """(status, objective, gap, year of each unit or -1, column values) for one weight vector.

        No starting solution is given by default: a hint (say the chosen plan) would be kept whenever
        it is within the gap, biasing the samples towards it. The session clears HiGHS's state before
        every solve, so each answer depends on its own weights (and ``start``) only."""

        self.session.set_costs(self.cols, self.costs(pilot_w, rollout_w))
        outcome = self.session.solve(start)
        years = np.full(len(self.unit_ids), -1, dtype=np.int64)
        if outcome.kind in (Status.OPTIMAL, Status.FEASIBLE):
            values = outcome.values
            chosen = values[self.x_cols] > 0.5
            years[self.x_unit[chosen]] = self.x_year[chosen]
            return outcome.kind, outcome.objective, relative_gap(outcome.objective, outcome.bound), years, values
        return outcome.kind, None, None, years, None


_LOCAL = threading.local()


def _solver_for(job: Job) -> SampleSolver:
    """The worker's model for this job, built on first use (one per process or thread)."""
    cached = getattr(_LOCAL, "solver", None)
    if cached is None or cached[0] != job.token:
        _LOCAL.solver = (job.token, SampleSolver(job.scenario, job.gap, job.time_limit))
    return _LOCAL.solver[1]


def solve_chunk(job: Job, chunk: list[tuple[int, np.ndarray, np.ndarray]]) -> list[tuple]:
    """Solve samples [(index, pilot weights, rollout weights)]; module level so it pickles."""
    solver = _solver_for(job)
    out = []
    for index, pilot_w, rollout_w in chunk:
        cpu = time.process_time()
        status, objective, gap, years, _ = solver.solve(pilot_w, rollout_w)
        out.append((index, status, objective, gap, years, time.process_time() - cpu))
    return out
