"""Can this rollout show that the upgrade works? The power of a phased rollout read as a stepped-wedge design.

    >>> import selector
    >>> from selector.workflows.evaluate import evaluate
    >>> scenario = selector.load("scenarios/dlt-offices.csv")
    >>> e = evaluate(scenario, ["scenarios/dlt-offices-schedule.csv"], effect=0.2, icc=0.05, per_unit=50)
    >>> e.table

A phased rollout is a stepped-wedge design: unit i switches from "not upgraded" to "upgraded" at its
fiscal year and stays upgraded. The design matrix X[i, j] is 1 when unit i is upgraded in period j;
the periods are a baseline period (the year before the horizon) and every fiscal year of the horizon.

**The model** (Hussey & Hughes 2007, Contemporary Clinical Trials 28:182-191, eq. 1) for the mean of
the indicator over the m people measured in unit i and period j::

    Y_ij = mu + beta_j + X_ij theta + alpha_i + e_ij,   alpha_i ~ N(0, tau^2),  e_ij ~ N(0, sigma^2 / m)

with fixed period effects beta_j (secular trends), a random unit effect and the treatment effect
theta. With an outcome of standard deviation ``sd`` and intra-class correlation ``icc``:
tau^2 = icc sd^2 and sigma^2 = (1 - icc) sd^2.

**The variance** of the generalised least squares estimate of theta, with equal m (their eq. 8)::

    Var(theta) = I s2 (s2 + T tau^2) / ((I U - W) s2 + (U^2 + I T U - T W - I V) tau^2),   s2 = sigma^2 / m

where I units, T periods, U = sum_ij X_ij, W = sum_j (sum_i X_ij)^2, V = sum_i (sum_j X_ij)^2.
With units of different sizes m_i (``per_unit`` a column) the same GLS variance is computed from
the information matrix of (beta, theta), unit by unit (``gls_variance``).

**The power** to detect an effect D with a two-sided test at level alpha::

    power = Phi(D / sqrt(Var) - z_{1-alpha/2}) + Phi(-D / sqrt(Var) - z_{1-alpha/2})

Hussey & Hughes keep the first term only (their eq. 9); the second, the far tail, is kept here so
that a zero effect gives exactly alpha.

**Randomised order.** The plan's order is compared with the same number of units per year in a
random order (many seeded random permutations of the units; the mean power is reported). Note that
with equal m, U, V and W depend only on the number of units starting each year, so every order with
the same counts has the same variance: the order matters for power only through unequal unit sizes.
The case for randomising the order is that it removes confounding (a plan puts its readiest units
first), which no power figure shows.

**Randomising among near-optimal plans** (``alternatives=K``, ``within``). The committee may draw
the plan to carry out at random, with equal chances, from the K best distinct plans within
``within`` of the optimum (``selector.workflows.alternatives``: plan 1 the optimum). The analysis
after the rollout conditions on the plan drawn (the draw is ancillary: it carries no information
on theta), so each plan's power is its own Hussey & Hughes power, and the power of the randomised
design, before the draw, is the expectation over the draw::

    power_random = (1/K) sum_k power(D, Var_k)

the criterion of constrained randomisation (Moulton 2004, Clinical Trials 1:297-305; Li, Turner,
Heagerty, Murray, Vollmer & DeLong 2016, Statistics in Medicine 35:1565-1579, who average the power
over the constrained randomisation space). The lowest and highest power over the plans are
reported too (the worst and best draw). A randomisation (permutation) test over K equally likely
plans cannot give a p-value below 1/K (Li et al. 2016 warn against randomisation spaces that are
too small), so with K < 1/alpha only the model-based test above can show the effect: this is
reported, and no randomisation-test power is claimed. With equal unit sizes and the same number
of units per year, every plan has the same power (see above): this is said, rather than a change
from A to A.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from statistics import NormalDist
from typing import Sequence

import numpy as np
import pandas as pd

from selector.analysis.reasons import schedule_maps
from selector.data.progress import Baseline, read_baseline
from selector.data.scenario import Scenario
from selector.errors import Problem, ScenarioError
from selector.events import OnProgress
from selector.i18n import _
from selector.workflows.alternatives import alternatives as find_alternatives

DEFAULT_PERMUTATIONS = 1000


def design_matrix(years: Sequence[int | None], first_year: int, last_year: int) -> np.ndarray:
    """X[i, j] = 1 when unit i is upgraded in period j (j = 0: the baseline year first_year - 1; then each year).

    A unit without a year (``None``: not scheduled) is never upgraded.
    """
    periods = np.arange(first_year - 1, last_year + 1)
    start = np.array([np.inf if y is None else float(y) for y in years])
    return (periods[None, :] >= start[:, None]).astype(float)


def hussey_hughes_variance(X: np.ndarray, s2: float, tau2: float) -> float:
    """Var(theta) of Hussey & Hughes (2007) eq. 8 for design X, cluster-period variance s2 and unit variance tau2."""
    n_units, n_periods = X.shape
    U = X.sum()
    W = float((X.sum(axis=0) ** 2).sum())
    V = float((X.sum(axis=1) ** 2).sum())
    denominator = (n_units * U - W) * s2 + (U ** 2 + n_units * n_periods * U - n_periods * W - n_units * V) * tau2
    return math.inf if denominator <= 0 else n_units * s2 * (s2 + n_periods * tau2) / denominator


def gls_variance(X: np.ndarray, s2: np.ndarray, tau2: float) -> float:
    """Var(theta) of the same model with a cluster-period variance s2[i] per unit (units of different sizes).

    Unit i's covariance is s2_i I + tau2 J, whose inverse is (I - g_i J) / s2_i with
    g_i = tau2 / (s2_i + T tau2). With period dummies E and the treatment column x_i, the
    information matrix sum_i [E x_i]' Sigma_i^-1 [E x_i] has blocks A (periods), b (periods x theta)
    and c (theta); Var(theta) = 1 / (c - b' A^-1 b).
    """
    s2 = np.broadcast_to(np.asarray(s2, dtype=float), (X.shape[0],))
    n_periods = X.shape[1]
    w = 1.0 / s2
    g = tau2 / (s2 + n_periods * tau2)
    u = X.sum(axis=1)
    A = w.sum() * np.eye(n_periods) - (w * g).sum() * np.ones((n_periods, n_periods))
    b = (w[:, None] * X).sum(axis=0) - (w * g * u).sum()
    c = (w * u).sum() - (w * g * u ** 2).sum()
    info = c - b @ np.linalg.solve(A, b)
    return math.inf if info <= 1e-12 * max(c, 1.0) else 1.0 / info


def power(effect: float, variance: float, alpha: float = 0.05) -> float:
    """Two-sided power of a Wald test of size alpha for an effect with this variance (see the module docstring)."""
    if not math.isfinite(variance) or variance <= 0:
        return alpha
    normal = NormalDist()
    z = normal.inv_cdf(1 - alpha / 2)
    se = math.sqrt(variance)
    return normal.cdf(effect / se - z) + normal.cdf(-effect / se - z)


@dataclass(frozen=True)
class Design:
    """One schedule as a stepped-wedge design, with its power and that of random orders with the same counts."""

    name: str
    units_per_year: dict[int, int]
    variance: float
    power: float
    random_power_mean: float | None  # None when no random order was drawn (permutations = 0)
    random_power_min: float | None
    random_power_max: float | None


@dataclass(frozen=True)
class PlanPower:
    """One near-optimal plan as a stepped-wedge design: its objective, loss against the optimum and power."""

    name: str
    objective: float
    loss_pct: float
    units_per_year: dict[int, int]
    variance: float
    power: float


@dataclass(frozen=True)
class Randomised:
    """Drawing the plan at random among near-optimal plans (the module docstring): each plan's power and
    the power of the draw (their mean), with the search that found the plans."""

    count: int  # the plans asked for (the optimum included)
    within: float  # a fraction: 0.01 = 1% of the optimum
    differ: int
    focus: str
    exhausted: bool | None  # as ``Alternatives.exhausted``
    plans: tuple[PlanPower, ...]

    @property
    def mean_power(self) -> float:
        return float(np.mean([p.power for p in self.plans]))

    @property
    def min_power(self) -> float:
        return min(p.power for p in self.plans)

    @property
    def max_power(self) -> float:
        return max(p.power for p in self.plans)

    @property
    def smallest_p_value(self) -> float:
        """The smallest p-value a randomisation test over these equally likely plans can give."""
        return 1.0 / len(self.plans)

    @property
    def equal_power(self) -> bool:
        """Whether every plan has the same power (to 1e-9): with equal sizes, the same counts per year."""
        return self.max_power - self.min_power <= 1e-9

    @property
    def same_counts(self) -> bool:
        return all(p.units_per_year == self.plans[0].units_per_year for p in self.plans)


@dataclass
class Evaluation:
    """The power of each schedule to detect ``effect``, and of the same counts per year in random orders."""

    effect: float
    icc: float
    sd: float
    per_unit: float | str
    alpha: float
    permutations: int
    seed: int
    designs: list[Design]
    units: int
    periods: int  # the baseline period and every fiscal year of the horizon
    randomised: Randomised | None = None  # with ``alternatives``: drawing among near-optimal plans

    @property
    def plans_table(self) -> pd.DataFrame:
        """One row per near-optimal plan (empty without ``alternatives``): objective, loss, counts, power."""
        plans = self.randomised.plans if self.randomised else ()
        return pd.DataFrame([{"plan": p.name, "objective": p.objective, "loss_pct": p.loss_pct,
                              "units_per_year": " ".join(f"{y}:{n}" for y, n in sorted(p.units_per_year.items())),
                              "variance": p.variance, "power": p.power} for p in plans],
                            columns=["plan", "objective", "loss_pct", "units_per_year", "variance", "power"])

    @property
    def table(self) -> pd.DataFrame:
        return pd.DataFrame([{"schedule": d.name, "variance": d.variance, "power": d.power,
                              "random_power_mean": d.random_power_mean, "random_power_min": d.random_power_min,
                              "random_power_max": d.random_power_max} for d in self.designs])


def _unit_sizes(scenario: Scenario, per_unit: float | str, unit_ids: list[str]) -> np.ndarray:
    if isinstance(per_unit, str):
        if per_unit not in scenario.units.columns:
            raise ScenarioError([Problem("--per-unit", None, None, _("'{column}' is neither a number nor a column of the "
                                                                     "scenario", column=per_unit),
                                         _("give the number of people measured per unit and year, or a column of them"))])
        values = scenario.numeric(per_unit).set_axis(scenario.units["unit_id"]).reindex(unit_ids)
        bad = values.index[~(values > 0)].tolist()
        if bad:
            raise ScenarioError([Problem("--per-unit", None, per_unit, _("the column '{column}' is not a number > 0 for "
                                                                         "{units}", column=per_unit,
                                                                         units=", ".join(bad[:5])),
                                         _("fill the column with the number of people measured per unit and year"))])
        return values.to_numpy(dtype=float)
    return np.full(len(unit_ids), float(per_unit))


def evaluate(scenario: Scenario, schedules: Sequence, effect: float, icc: float, per_unit: float | str = 1.0,
             alpha: float = 0.05, sd: float = 1.0, permutations: int = DEFAULT_PERMUTATIONS, seed: int = 0,
             names: Sequence[str] | None = None, alternatives: int = 0, within: float = 0.01, differ: int = 1,
             focus: str = "pilots", time_limit: float | None = None, gap: float | None = None,
             on_progress: OnProgress = None) -> Evaluation:
    """The stepped-wedge power of each schedule (path, DataFrame or ``Baseline``); never prints.

    ``effect`` is in the indicator's units (``sd`` its standard deviation between people), ``icc`` the
    intra-class correlation of units, ``per_unit`` the people measured per unit and year (a number,
    or a column of the scenario). Units already ``done`` take no part. Bad input raises ``ScenarioError``.
    With ``alternatives`` = K >= 1, up to K distinct plans within ``within`` (a fraction) of the optimum
    are found by ``selector.workflows.alternatives`` (``differ``, ``focus``, ``time_limit``, ``gap`` and
    ``on_progress`` are passed on) and ``randomised`` holds each plan's power and that of drawing one.
    """
    problems = []
    for flag, value, ok, fix in (
            ("--effect", effect, math.isfinite(effect), _("give the effect in the indicator's units, e.g. 0.2")),
            ("--icc", icc, 0 <= icc < 1, _("give an intra-class correlation from 0 to below 1, e.g. 0.05")),
            ("--alpha", alpha, 0 < alpha < 1, _("give a significance level such as 0.05")),
            ("--sd", sd, math.isfinite(sd) and sd > 0, _("give the indicator's standard deviation, > 0")),
            ("--permutations", permutations, permutations >= 0, _("give a whole number >= 0")),
            ("--alternatives", alternatives, isinstance(alternatives, int) and alternatives >= 0,
             _("give how many near-optimal plans to compare, e.g. 5 (0: none)"))):
        if not ok:
            problems.append(Problem(flag, None, None, _("{value} is out of range", value=value), fix))
    if not isinstance(per_unit, str) and not (math.isfinite(per_unit) and per_unit > 0):
        problems.append(Problem("--per-unit", None, None, _("{value} is out of range", value=per_unit),
                                _("give the number of people measured per unit and year, > 0")))
    if problems:
        raise ScenarioError(problems)
    s = scenario.settings
    unit_ids = sorted(scenario.to_schedule["unit_id"])
    sizes = _unit_sizes(scenario, per_unit, unit_ids)
    tau2, sigma2 = icc * sd ** 2, (1 - icc) * sd ** 2
    s2 = sigma2 / sizes
    equal = bool(np.all(sizes == sizes[0])) if len(sizes) else True
    rng = np.random.default_rng(seed)

    def variance(X: np.ndarray) -> float:
        return hussey_hughes_variance(X, float(s2[0]), tau2) if equal else gls_variance(X, s2, tau2)

    designs = []
    for index, source in enumerate(schedules):
        base = source if isinstance(source, Baseline) else read_baseline(source, s.first_year, s.last_year)
        years = [base.year.get(u) for u in unit_ids]
        X = design_matrix(years, s.first_year, s.last_year)
        v = variance(X)
        shuffled = [power(effect, variance(X[rng.permutation(len(unit_ids))]), alpha) for _ in range(permutations)]
        name = names[index] if names else (base.name if not isinstance(source, pd.DataFrame) else f"schedule {index + 1}")
        p = power(effect, v, alpha)
        designs.append(Design(name, units_per_year(years), v, p, float(np.mean(shuffled)) if shuffled else None,
                              min(shuffled, default=None), max(shuffled, default=None)))
    randomised = None
    if alternatives:
        found = find_alternatives(scenario, alternatives, within, differ, focus, time_limit=time_limit, gap=gap,
                                  on_progress=on_progress)
        plans = []
        for plan, row in zip(found.plans, found.table.itertuples()):
            year_of, _pilot_of = schedule_maps(plan.schedule)
            years = [year_of.get(u) for u in unit_ids]
            v = variance(design_matrix(years, s.first_year, s.last_year))
            plans.append(PlanPower(row.plan, float(row.objective), float(row.loss_pct), units_per_year(years), v,
                                   power(effect, v, alpha)))
        randomised = Randomised(alternatives, float(within), int(differ), focus, found.exhausted, tuple(plans))
    return Evaluation(float(effect), float(icc), float(sd), per_unit, float(alpha), int(permutations), int(seed),
                      designs, len(unit_ids), s.last_year - s.first_year + 2, randomised)


def units_per_year(years: Sequence[int | None]) -> dict[int, int]:
    """How many units start in each fiscal year (unscheduled units left out), by year."""
    counts = pd.Series([y for y in years if y is not None], dtype=int).value_counts().sort_index()
    return {int(y): int(n) for y, n in counts.items()}
