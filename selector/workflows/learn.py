"""Learning from the pilots: how their results relate to the readiness the plan assumed.

**Readiness** is the mean of a unit's three readiness criteria (``infrastructure``, ``staff``,
``leadership``) on the criteria scale [lo, hi]. Its **tiers** cut the scale at 3/8 and 5/8 of its
range (on 1-5: low below 2.5, medium from 2.5 to below 3.5, high from 3.5). For each tier the report
gives the pilots, the reported ones, their mean overall score, and the share meeting the standard with
its Wilson 95% interval (Wilson 1927, JASA 22:209-212; sound for small counts and for 0 or 100%).

**The model.** Meeting the standard (1) or not (0) against readiness, by logistic regression fitted
with Firth's penalised likelihood (Firth 1993, Biometrika 80:27-38), as Heinze & Schemper (2002,
Statistics in Medicine 21:2409-2419) recommend for small samples: a dozen pilots often all meet the
standard at high readiness (separation), where ordinary maximum likelihood has no finite estimate
and Firth's does. The penalty is half the log-determinant of the Fisher information::

    l*(b) = sum_i [y_i log p_i + (1 - y_i) log(1 - p_i)] + 1/2 log det(X' W X),   p_i = 1 / (1 + exp(-x_i b))

maximised by Newton steps on the modified score X'(y - p + h (1/2 - p)), h the diagonal of the hat
matrix W^1/2 X (X'WX)^-1 X' W^1/2. With an intercept only, the estimate is logit((k + 1/2) / (n + 1)):
half a success and half a failure added. The 95% interval of the slope is the profile penalised
likelihood interval (the slopes b1 where 2 (l*max - max_b0 l*(b0, b1)) = 3.841, the chi-squared(1)
95% point), which Heinze & Schemper show keeps its coverage where Wald intervals do not.

**The update** (optional, written out for review, never applied silently): each unit still to be
upgraded gets ``success`` = lo + p x (hi - lo), p its predicted probability of meeting the
standard at its readiness; the review file lists p with its 95% interval (the delta method on the
linear predictor, from the inverse information of the Firth fit) beside the old value. Readiness
outside the pilots' range is extrapolation: the interval says how little is known there.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from statistics import NormalDist

import numpy as np
import pandas as pd

from selector.data.scenario import Scenario
from selector.workflows.monitor import MEETS, NOT_REPORTED, UPGRADED, MonitorRound, round4

READINESS = ("infrastructure", "staff", "leadership")
TIERS = ("low", "medium", "high")
CHI2_1_95 = 3.841458820694124
"""The 95% point of the chi-squared distribution with 1 degree of freedom (1.959964^2)."""


def readiness(scenario: Scenario) -> pd.Series:
    """Each unit's mean of the readiness criteria, by unit_id."""
    return scenario.units.set_index("unit_id")[list(READINESS)].astype(float).mean(axis=1)


def tier_of(value: float, scale: tuple[float, float]) -> str:
    lo, hi = scale
    if value < lo + 0.375 * (hi - lo):
        return TIERS[0]
    return TIERS[1] if value < lo + 0.625 * (hi - lo) else TIERS[2]


def wilson_interval(k: int, n: int, z: float = 1.959963984540054) -> tuple[float, float]:
    """Wilson's score interval of a proportion k / n: (p + z²/2n -/+ z sqrt(p(1-p)/n + z²/4n²)) / (1 + z²/n)."""
    if n == 0:
        return (0.0, 1.0)
    p = k / n
    centre = p + z * z / (2 * n)
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n))
    return (max(0.0, (centre - half) / (1 + z * z / n)), min(1.0, (centre + half) / (1 + z * z / n)))


def _sigmoid(eta: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-eta))


def penalised_loglik(X: np.ndarray, y: np.ndarray, beta: np.ndarray) -> float:
    """Firth's penalised log-likelihood l*(b) (module docstring)."""
    eta = X @ beta
    p = _sigmoid(eta)
    loglik = float(np.sum(y * eta - np.logaddexp(0.0, eta)))
    sign, logdet = np.linalg.slogdet(X.T @ (X * (p * (1 - p))[:, None]))
    return loglik + 0.5 * logdet if sign > 0 else -math.inf


def firth_logistic(X: np.ndarray, y: np.ndarray, tol: float = 1e-10, max_iter: int = 200) -> tuple[np.ndarray, np.ndarray]:
    """Firth's penalised logistic regression: (coefficients, their covariance, the inverse information)."""
    beta = np.zeros(X.shape[1])
    current = penalised_loglik(X, y, beta)
    for _ in range(max_iter):
        p = _sigmoid(X @ beta)
        w = p * (1 - p)
        info = X.T @ (X * w[:, None])
        inverse = np.linalg.inv(info)
        h = np.einsum("ij,jk,ik->i", X * np.sqrt(w)[:, None], inverse, X * np.sqrt(w)[:, None])
        step = inverse @ (X.T @ (y - p + h * (0.5 - p)))
        for _ in range(30):  # step halving keeps l* rising
            trial = beta + step
            value = penalised_loglik(X, y, trial)
            if value >= current - 1e-12:
                break
            step = step / 2
        beta, current = trial, value
        if np.max(np.abs(step)) < tol:
            break
    p = _sigmoid(X @ beta)
    return beta, np.linalg.inv(X.T @ (X * (p * (1 - p))[:, None]))


def _max_over_intercept(x: np.ndarray, y: np.ndarray, slope: float, start: float) -> float:
    """max over b0 of l*(b0, slope): golden-section search around ``start`` (l* is concave in b0)."""
    X = np.column_stack([np.ones_like(x), x])

    def f(b0: float) -> float:
        return penalised_loglik(X, y, np.array([b0, slope]))

    lo, hi = start - 20.0, start + 20.0
    ratio = (math.sqrt(5) - 1) / 2
    a, b = hi - ratio * (hi - lo), lo + ratio * (hi - lo)
    fa, fb = f(a), f(b)
    for _ in range(120):
        if fa < fb:
            lo, a, fa = a, b, fb
            b = lo + ratio * (hi - lo)
            fb = f(b)
        else:
            hi, b, fb = b, a, fa
            a = hi - ratio * (hi - lo)
            fa = f(a)
    return max(fa, fb)


def profile_interval(x: np.ndarray, y: np.ndarray, beta: np.ndarray, level: float = CHI2_1_95) -> tuple[float, float]:
    """The profile penalised likelihood 95% interval of the slope (module docstring)."""
    X = np.column_stack([np.ones_like(x), x])
    top = penalised_loglik(X, y, beta)

    def excess(slope: float) -> float:
        return 2 * (top - _max_over_intercept(x, y, slope, beta[0])) - level

    bounds = []
    for direction in (-1.0, 1.0):
        step = 0.5
        inner, outer = beta[1], beta[1] + direction * step
        while excess(outer) < 0 and abs(outer - beta[1]) < 1e3:
            inner, step = outer, step * 2
            outer = beta[1] + direction * step
        if excess(outer) < 0:
            bounds.append(direction * math.inf)
            continue
        for _ in range(60):
            middle = (inner + outer) / 2
            inner, outer = (middle, outer) if excess(middle) < 0 else (inner, middle)
        bounds.append((inner + outer) / 2)
    return bounds[0], bounds[1]


@dataclass
class Learning:
    """What the pilots of a round say about readiness: tiers, the Firth model, and the suggested update."""

    tiers: pd.DataFrame  # tier, pilots, reported, mean_score, meets, share, share_low, share_high
    n: int  # reported pilots in the model
    meets: int
    centre: float | None  # readiness the model is centred on (the pilots' mean)
    intercept: float | None
    slope: float | None  # log-odds of meeting the standard per readiness point
    slope_low: float | None
    slope_high: float | None
    covariance: np.ndarray | None
    update: pd.DataFrame  # unit_id, name, readiness, success, p_meets, p_low, p_high, success_learned

    @property
    def odds_ratio(self) -> tuple[float, float, float] | None:
        if self.slope is None:
            return None
        return math.exp(self.slope), math.exp(self.slope_low), math.exp(self.slope_high)

    def probability(self, value: float) -> float:
        return float(_sigmoid(np.array(self.intercept + self.slope * (value - self.centre))))


def learn_from_pilots(m: MonitorRound) -> Learning:
    """Tiers, the Firth model and the suggested ``success`` update from round ``m``'s pilots; never prints."""
    scale = m.scenario.settings.scale
    ready = readiness(m.scenario)
    pilots = m.pilots
    pilots = pilots[pilots["upgrade"] == UPGRADED] if len(pilots) else pilots
    tiers = []
    for tier in TIERS:
        group = pilots[[tier_of(ready[u], scale) == tier for u in pilots["unit_id"]]] if len(pilots) else pilots
        reported = group[group["verdict"] != NOT_REPORTED] if len(group) else group
        k, n = int((reported["verdict"] == MEETS).sum()) if len(reported) else 0, len(reported)
        low, high = wilson_interval(k, n)
        tiers.append({"tier": tier, "pilots": len(group), "reported": n,
                      "mean_score": round4(reported["overall_score"].mean()) if n else None, "meets": k,
                      "share": k / n if n else None, "share_low": low if n else None, "share_high": high if n else None})
    reported = pilots[pilots["verdict"] != NOT_REPORTED] if len(pilots) else pilots
    x = np.array([ready[u] for u in reported["unit_id"]], dtype=float)
    y = (reported["verdict"] == MEETS).to_numpy(dtype=float) if len(reported) else np.array([])
    empty = pd.DataFrame(columns=["unit_id", "name", "readiness", "success", "p_meets", "p_low", "p_high",
                                  "success_learned"])
    if len(x) < 3 or np.ptp(x) == 0:  # no slope can be told from fewer than three pilots or from one readiness
        return Learning(pd.DataFrame(tiers), len(x), int(y.sum()), None, None, None, None, None, None, empty)
    centre = float(x.mean())
    xc = x - centre
    beta, covariance = firth_logistic(np.column_stack([np.ones_like(xc), xc]), y)
    low, high = profile_interval(xc, y, beta)
    learning = Learning(pd.DataFrame(tiers), len(x), int(y.sum()), centre, float(beta[0]), float(beta[1]),
                        low, high, covariance, empty)
    learning.update = success_update(m, learning, ready)
    return learning


def success_update(m: MonitorRound, learning: Learning, ready: pd.Series) -> pd.DataFrame:
    """The suggested ``success`` of every unit still to be upgraded: lo + p x (hi - lo) (module docstring).

    p's 95% interval comes from the linear predictor's standard error (delta method on the Firth fit).
    """
    lo, hi = m.scenario.settings.scale
    z = NormalDist().inv_cdf(0.975)
    units = m.scenario.to_schedule.set_index("unit_id")
    later = sorted(u for u in units.index if (m.baseline.year.get(u) or math.inf) > m.year)
    rows = []
    for u in later:
        d = float(ready[u]) - learning.centre
        eta = learning.intercept + learning.slope * d
        g = np.array([1.0, d])
        se = math.sqrt(float(g @ learning.covariance @ g))
        p = float(_sigmoid(np.array(eta)))
        rows.append({"unit_id": u, "name": units.at[u, "name"], "readiness": round4(ready[u]),
                     "success": float(units.at[u, "success"]), "p_meets": round4(p),
                     "p_low": round4(float(_sigmoid(np.array(eta - z * se)))),
                     "p_high": round4(float(_sigmoid(np.array(eta + z * se)))),
                     "success_learned": round4(lo + p * (hi - lo))})
    return pd.DataFrame(rows, columns=learning.update.columns)
