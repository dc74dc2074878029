"""Learning from the pilots: Firth's logistic regression, its profile interval, Wilson's interval, the tiers."""

from __future__ import annotations

import math

import numpy as np
import pytest

from selector.workflows.learn import (
    CHI2_1_95,
    firth_logistic,
    penalised_loglik,
    profile_interval,
    tier_of,
    wilson_interval,
)


def independent_penalised_loglik(x, y, b0, b1):
    """l*(b) written out for one covariate: the log-likelihood plus half the log of the 2 x 2 information's determinant."""
    total, i00, i01, i11 = 0.0, 0.0, 0.0, 0.0
    for xi, yi in zip(x, y):
        p = 1 / (1 + math.exp(-(b0 + b1 * xi)))
        total += yi * math.log(p) + (1 - yi) * math.log(1 - p)
        w = p * (1 - p)
        i00, i01, i11 = i00 + w, i01 + w * xi, i11 + w * xi * xi
    return total + 0.5 * math.log(i00 * i11 - i01 * i01)


@pytest.mark.parametrize("k, n", [(0, 5), (3, 10), (12, 12)])
def test_intercept_only_firth_adds_half_a_success_and_half_a_failure(k, n):
    """Firth (1993): with an intercept only the estimate is logit((k + 1/2) / (n + 1)), finite even at 0 or n."""
    y = np.array([1.0] * k + [0.0] * (n - k))
    beta, _ = firth_logistic(np.ones((n, 1)), y)
    assert beta[0] == pytest.approx(math.log((k + 0.5) / (n - k + 0.5)), abs=1e-8)


def test_firth_is_finite_under_separation_and_maximises_the_penalised_likelihood():
    """Every pilot above readiness 3.5 meets the standard and none below: ordinary ML diverges, Firth does not.
    At the estimate the numerical gradient of an independently written l* is zero."""
    x = np.array([-1.0, -0.6, -0.3, 0.2, 0.5, 0.9, 1.2])
    y = np.array([0, 0, 0, 1, 1, 1, 1], dtype=float)
    beta, cov = firth_logistic(np.column_stack([np.ones_like(x), x]), y)
    assert np.all(np.isfinite(beta)) and beta[1] > 0 and np.all(np.isfinite(cov))
    h = 1e-6
    for i in range(2):
        up, down = beta.copy(), beta.copy()
        up[i] += h
        down[i] -= h
        slope = (independent_penalised_loglik(x, y, *up) - independent_penalised_loglik(x, y, *down)) / (2 * h)
        assert abs(slope) < 1e-5
    assert penalised_loglik(np.column_stack([np.ones_like(x), x]), y, beta) == pytest.approx(
        independent_penalised_loglik(x, y, *beta), rel=1e-12)


def test_the_profile_interval_bounds_are_where_the_likelihood_ratio_is_the_chi_squared_point():
    x = np.array([-1.2, -0.8, -0.5, -0.1, 0.0, 0.3, 0.6, 0.8, 1.1, 1.4])
    y = np.array([0, 0, 1, 0, 1, 0, 1, 1, 1, 1], dtype=float)
    beta, _ = firth_logistic(np.column_stack([np.ones_like(x), x]), y)
    low, high = profile_interval(x, y, beta)
    assert low < beta[1] < high
    top = independent_penalised_loglik(x, y, *beta)
    grid = np.linspace(beta[0] - 6, beta[0] + 6, 24001)  # the intercept maximised by brute force
    for bound in (low, high):
        best = max(independent_penalised_loglik(x, y, b0, bound) for b0 in grid)
        assert 2 * (top - best) == pytest.approx(CHI2_1_95, abs=2e-3)


@pytest.mark.parametrize("k, n, low, high", [(81, 263, 0.2553, 0.3662), (15, 148, 0.0624, 0.1605),
                                             (0, 20, 0.0, 0.1611), (1, 29, 0.0061, 0.1718)])
def test_wilson_interval_matches_the_published_examples(k, n, low, high):
    """Newcombe (1998), Two-sided confidence intervals for the single proportion, Statistics in Medicine
    17:857-872, Table II, method 3 (Wilson score interval without continuity correction)."""
    lo, hi = wilson_interval(k, n)
    assert (round(lo, 4), round(hi, 4)) == (low, high)


def test_readiness_tiers_cut_the_scale_at_three_and_five_eighths():
    assert [tier_of(v, (1, 5)) for v in (1, 2.49, 2.5, 3.49, 3.5, 5)] == ["low", "low", "medium", "medium", "high", "high"]
    assert tier_of(6, (0, 10)) == "medium" and tier_of(7, (0, 10)) == "high"
