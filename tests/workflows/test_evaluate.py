"""Stepped-wedge power: Hussey & Hughes (2007) checked against published closed forms and an independent GLS."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import selector
from selector.errors import ScenarioError
from selector.outputs.evaluate import evaluation_text, power_paragraph
from selector.workflows.evaluate import design_matrix, evaluate, gls_variance, hussey_hughes_variance, power

from ..conftest import examples


def full_gls_variance(X: np.ndarray, s2, tau2: float) -> float:
    """Independent computation: build every unit's covariance s2_i I + tau2 J, invert it, sum Z' S^-1 Z
    over the units with Z = [period dummies | treatment], invert the information, take the theta entry."""
    n_units, n_periods = X.shape
    s2 = np.broadcast_to(np.asarray(s2, dtype=float), (n_units,))
    info = np.zeros((n_periods + 1, n_periods + 1))
    for i in range(n_units):
        Z = np.hstack([np.eye(n_periods), X[i][:, None]])
        S = s2[i] * np.eye(n_periods) + tau2 * np.ones((n_periods, n_periods))
        info += Z.T @ np.linalg.inv(S) @ Z
    return float(np.linalg.inv(info)[-1, -1])


def standard_design(clusters_per_step: int, steps: int) -> np.ndarray:
    years = [2555 + j for j in range(steps) for _ in range(clusters_per_step)]
    return design_matrix(years, 2555, 2555 + steps - 1)


def test_the_design_matrix_of_a_published_non_standard_design():
    """Teerenstra's SAS programs (github steventeerenstra/stepped-wedge,
    2-level-samplesize/2level_SomeNonstandardDesign.sas) give for the 5 x 3 design
    0 1 1 / 0 1 1 / 0 1 1 / 0 0 1 / 0 0 1 the sums U = 8, V = 14, W = 34."""
    X = design_matrix([2556, 2556, 2556, 2557, 2557], 2556, 2557)
    assert X.tolist() == [[0, 1, 1]] * 3 + [[0, 0, 1]] * 2
    assert X.sum() == 8 and (X.sum(axis=1) ** 2).sum() == 14 and (X.sum(axis=0) ** 2).sum() == 34


def heo_variance(c: int, s: int, k: int, rho: float, b: int = 1, p: int = 1) -> float:
    """The closed form of the Hussey & Hughes variance for the standard design (c units start at each of s
    steps, b baseline periods, p periods per step, k people per unit and period, outcome variance 1):
    Heo, Kim, Rinke & Wylie-Rosett (2018), Statistical Methods in Medical Research 27(2):480-489, the
    form also behind Woertman et al. (2013)'s design effect (J Clin Epidemiol 66:752-758)."""
    a0 = 6 / (c * p * s * k * (s - 1 / s))
    a1 = (p * s * k + b * k - 2) * a0
    a2 = -(p * s * k + b * k - 1) * a0
    a3 = p * s * k / 2 + b * k - 1
    return (a0 + rho * a1 + rho ** 2 * a2) / (1 + rho * a3)


@pytest.mark.parametrize("c, s, k, rho", [(2, 5, 5, 0.1), (1, 4, 20, 0.05), (3, 3, 100, 0.01), (6, 4, 1, 0.3)])
def test_hussey_hughes_matches_the_published_closed_form_and_an_independent_gls(c, s, k, rho):
    X = standard_design(c, s)
    s2, tau2 = (1 - rho) / k, rho  # outcome variance 1 split by the ICC; a unit-period mean of k people
    expected = heo_variance(c, s, k, rho)
    assert hussey_hughes_variance(X, s2, tau2) == pytest.approx(expected, rel=1e-10)
    assert full_gls_variance(X, s2, tau2) == pytest.approx(expected, rel=1e-10)
    assert gls_variance(X, np.full(len(X), s2), tau2) == pytest.approx(expected, rel=1e-10)


def test_worked_power_of_the_published_example():
    """c = 2, s = 5, k = 5, rho = 0.1 (the parameters of the Heo et al. example as coded in
    github erina633/bayesianSWcontinuous HH_power_var.R): Var = 0.0331132..., and for delta = 0.3
    power = Phi(0.3 / sqrt(Var) - 1.959964) = Phi(-0.311344) = 0.377770 (the one-tail figure their code
    prints), plus the far tail Phi(-3.608583) = 0.000154."""
    v = hussey_hughes_variance(standard_design(2, 5), 0.9 / 5, 0.1)
    assert v == pytest.approx(0.03311320754716981, rel=1e-12)
    assert power(0.3, v) == pytest.approx(0.377770 + 0.000154, abs=1e-6)


@settings(max_examples=examples(60))
@given(st.lists(st.one_of(st.none(), st.integers(2555, 2558)), min_size=2, max_size=9),
       st.floats(0.0, 0.9), st.lists(st.floats(0.5, 50), min_size=9, max_size=9))
def test_closed_form_and_unit_by_unit_gls_agree_with_the_independent_gls(years, icc, sizes):
    X = design_matrix(years, 2555, 2558)
    treated = X.sum(axis=0)
    if not (0 < X.sum() and np.any((treated > 0) & (treated < len(years)))):
        return  # no period with both arms: theta is not identified
    s2 = (1 - icc) / np.array(sizes[: len(years)])
    assert gls_variance(X, s2, icc) == pytest.approx(full_gls_variance(X, s2, icc), rel=1e-7)
    assert hussey_hughes_variance(X, s2[0], icc) == pytest.approx(full_gls_variance(X, s2[0], icc), rel=1e-7)


@pytest.mark.parametrize("alpha", [0.01, 0.05, 0.1])
def test_a_zero_effect_gives_alpha(alpha):
    assert power(0.0, 0.02, alpha) == pytest.approx(alpha, abs=1e-12)


def test_power_rises_with_the_effect_and_with_the_number_of_units():
    v = hussey_hughes_variance(standard_design(2, 4), 0.95 / 10, 0.05)
    by_effect = [power(d, v) for d in np.linspace(0, 1, 21)]
    assert all(b > a for a, b in zip(by_effect, by_effect[1:]))
    by_units = [power(0.2, hussey_hughes_variance(standard_design(c, 4), 0.95 / 10, 0.05)) for c in (1, 2, 4, 8, 16)]
    assert all(b > a for a, b in zip(by_units, by_units[1:]))


UNITS = """\
unit_id,name,region,cost,infrastructure,staff,leadership,importance,workload,success,risk,people
A,a,N,1,5,5,5,3,3,5,1,10
B,b,N,1,4,4,4,3,3,4,2,200
C,c,S,1,3,3,3,3,3,3,3,30
D,d,S,1,2,2,2,3,3,2,4,400
E,e,S,1,2,2,2,3,3,2,4,50
F,f,S,1,2,2,2,3,3,2,4,60
"""
TOML = """
[horizon]
first_year = 2556
last_year = 2558

[budget]
2556 = 10
2557 = 10
2558 = 10
"""


@pytest.fixture
def tiny(tmp_path, write_scenario):
    csv = write_scenario(UNITS, TOML)
    schedule = tmp_path / "schedule.csv"
    schedule.write_text("unit_id,fiscal_year\nA,2556\nB,2556\nC,2557\nD,2557\nE,2558\nF,2558\n", encoding="utf-8")
    return selector.load(csv), schedule


def test_with_equal_sizes_a_random_order_has_the_plans_power(tiny):
    """U, V and W depend only on the units starting each year: every order with the same counts is as powerful."""
    sc, schedule = tiny
    e = evaluate(sc, [schedule], effect=0.5, icc=0.1, per_unit=20, permutations=50, seed=3)
    d = e.designs[0]
    assert d.units_per_year == {2556: 2, 2557: 2, 2558: 2}
    assert d.variance == pytest.approx(full_gls_variance(design_matrix([2556, 2556, 2557, 2557, 2558, 2558], 2556, 2558),
                                                         0.9 / 20, 0.1))
    assert d.random_power_min == pytest.approx(d.power) and d.random_power_max == pytest.approx(d.power)


def test_with_unequal_sizes_the_order_matters_and_the_seed_fixes_the_orders(tiny):
    sc, schedule = tiny
    e = evaluate(sc, [schedule], effect=0.5, icc=0.1, per_unit="people", permutations=200, seed=1)
    d = e.designs[0]
    X = design_matrix([2556, 2556, 2557, 2557, 2558, 2558], 2556, 2558)
    assert d.variance == pytest.approx(full_gls_variance(X, 0.9 / np.array([10, 200, 30, 400, 50, 60]), 0.1))
    assert d.random_power_min < d.random_power_max
    again = evaluate(sc, [schedule], effect=0.5, icc=0.1, per_unit="people", permutations=200, seed=1)
    assert again.designs[0] == d


def test_several_schedules_are_compared(tiny, tmp_path):
    sc, schedule = tiny
    late = tmp_path / "late.csv"
    late.write_text("unit_id,fiscal_year\nA,2556\nB,2558\nC,2558\nD,2558\nE,2558\nF,2558\n", encoding="utf-8")
    e = evaluate(sc, [schedule, late], effect=0.5, icc=0.1, per_unit=20, permutations=0)
    assert [d.name for d in e.designs] == [str(schedule), str(late)]
    assert e.designs[0].power > e.designs[1].power  # two even steps beat one unit then a crowd


def test_without_random_orders_no_random_power_is_reported(tiny):
    """permutations=0 draws no random order: nothing may stand in for their power (not the plan's own)."""
    sc, schedule = tiny
    e = evaluate(sc, [schedule], effect=0.5, icc=0.1, per_unit=20, permutations=0)
    d = e.designs[0]
    assert (d.random_power_mean, d.random_power_min, d.random_power_max) == (None, None, None)
    assert "random order" not in power_paragraph(e)
    row = next(line for line in evaluation_text(e).splitlines() if line.startswith(str(schedule)))
    assert row.split()[-2:] == ["-", "-"]


def test_bad_parameters_are_reported_together(tiny):
    sc, schedule = tiny
    with pytest.raises(ScenarioError) as err:
        evaluate(sc, [schedule], effect=0.5, icc=1.2, alpha=0, per_unit=-1)
    assert {p.file for p in err.value.problems} == {"--icc", "--alpha", "--per-unit"}
    with pytest.raises(ScenarioError, match="'size' is neither a number nor a column"):
        evaluate(sc, [schedule], effect=0.5, icc=0.1, per_unit="size")


PILOTS_TWO = TOML.replace("= 10", "= 2") + "\n[pilots]\nmin = 2\nmax = 2\n"


@pytest.fixture
def tight(tmp_path, write_scenario):
    """Six units of cost 1, 2 baht a year and exactly 2 pilots: two units start each year, and the
    distinct pilot pairs give distinct near-optimal plans (with 50% allowed, at least four)."""
    csv = write_scenario(UNITS, PILOTS_TWO, stem="tight")
    sc = selector.load(csv)
    plan = selector.solve(sc)
    schedule = tmp_path / "tight-schedule.csv"
    schedule.write_text(plan.schedule[["unit_id", "fiscal_year", "pilot"]].to_csv(index=False), encoding="utf-8")
    return sc, schedule


def independent_power(effect: float, variance: float, alpha: float = 0.05) -> float:
    """Hussey & Hughes (2007) eq. 9, Phi(D / se - z), plus the far tail Phi(-D / se - z)."""
    from statistics import NormalDist
    z, se = NormalDist().inv_cdf(1 - alpha / 2), variance ** 0.5
    return NormalDist().cdf(effect / se - z) + NormalDist().cdf(-effect / se - z)


def years_of(plan, unit_ids):
    year = dict(zip(plan.schedule["unit_id"], plan.schedule["fiscal_year"]))
    return [None if year[u] != year[u] else int(year[u]) for u in unit_ids]


def test_each_alternative_has_the_independent_hussey_hughes_power_of_its_schedule(tight):
    """Unequal sizes (the people column): each plan's power is the independent full-matrix GLS power of
    its own schedule, the power of drawing a plan at random is their mean, and the sentence says it."""
    from selector.outputs.evaluate import power_paragraph
    from selector.workflows.alternatives import alternatives

    sc, schedule = tight
    e = evaluate(sc, [schedule], effect=0.2, icc=0.1, per_unit="people", permutations=0, alternatives=4, within=0.5)
    found = alternatives(sc, count=4, within=0.5)
    r = e.randomised
    assert [p.name for p in r.plans] == found.names and len(r.plans) == 4
    sizes = np.array([10, 200, 30, 400, 50, 60])  # A..F, the people column
    expected = [independent_power(0.2, full_gls_variance(design_matrix(years_of(plan, list("ABCDEF")), 2556, 2558),
                                                         0.9 / sizes, 0.1)) for plan in found.plans]
    assert [p.power for p in r.plans] == pytest.approx(expected, rel=1e-9)
    assert r.mean_power == pytest.approx(sum(expected) / 4, rel=1e-9)
    assert r.plans[0].power == pytest.approx(e.designs[0].power, rel=1e-12)  # plan 1 is the solved schedule
    assert not r.equal_power and r.smallest_p_value == 0.25
    verb = "raises" if r.mean_power > e.designs[0].power else "lowers"
    sentence = (f"Randomising among the 4 plans within 50% of the optimum {verb} power from {e.designs[0].power:.1%} "
                f"to {r.mean_power:.1%} (the mean power if one plan is drawn at random; {min(expected):.1%} to "
                f"{max(expected):.1%} over the plans).")
    assert sentence in power_paragraph(e)
    assert "cannot give a p-value below 0.25, above alpha 0.05" in power_paragraph(e)
    assert list(e.plans_table["power"]) == pytest.approx(expected, rel=1e-9)


def test_with_equal_sizes_and_counts_the_alternatives_are_said_to_have_the_same_power(tight):
    """Two units a year in every plan and 20 people everywhere: every plan has the closed-form power of
    the standard design c = 2, s = 3, k = 20 (Heo et al. 2018), and the text says so, never 'from A to A'."""
    from selector.outputs.evaluate import power_paragraph

    sc, schedule = tight
    e = evaluate(sc, [schedule], effect=0.2, icc=0.1, per_unit=20, permutations=0, alternatives=3, within=0.5)
    expected = independent_power(0.2, heo_variance(2, 3, 20, 0.1))
    assert [p.power for p in e.randomised.plans] == pytest.approx([expected] * 3, rel=1e-9)
    assert e.randomised.equal_power and e.randomised.same_counts
    text = power_paragraph(e)
    assert f"All 3 plans within 50% of the optimum have the same power, {expected:.1%}" in text
    assert "raises" not in text and "lowers" not in text


def test_no_alternatives_by_default_and_a_bad_count_is_refused(tiny):
    sc, schedule = tiny
    e = evaluate(sc, [schedule], effect=0.5, icc=0.1, permutations=0)
    assert e.randomised is None and e.plans_table.empty
    with pytest.raises(ScenarioError, match="--alternatives"):
        evaluate(sc, [schedule], effect=0.5, icc=0.1, alternatives=-1)
