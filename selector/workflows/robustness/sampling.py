"""Weight vectors to sample: Dirichlet around the chosen weights, or uniform in a rank order."""

from __future__ import annotations

from typing import Sequence

import numpy as np

from selector.data.scenario import Scenario
from selector.data.settings import normalised_weights
from selector.fields import CRITERIA

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
