"""Robustness to the weights: acceptability worked out by hand, sampling, determinism across workers."""

from __future__ import annotations

import numpy as np
import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

import selector
from selector.cli import main
from selector.fields import CRITERIA
from selector.outputs.robustness import units_csv_text
from selector.workflows.robustness.run import compare_methods, robustness
from selector.workflows.robustness.sampling import dirichlet_around, sample_weights, uniform_in_rank_order
from selector.workflows.robustness.stats import BORDERLINE, CORE, EXTERIOR

# A dominates every unit on every criterion (all 5, risk 1: every normalised value is 1), D is dominated
# by every unit (all 1, risk 5: every value 0). B is good on success and risk, C on infrastructure, staff
# and leadership; under the default weights their gains from piloting are close (B 1.95, C 1.975), so
# the weights decide. Costs 10 and budgets 20 put exactly two units in FY2555: the two pilots.
DOMINANCE = """\
unit_id,name,region,cost,infrastructure,staff,leadership,importance,workload,success,risk
A,best,R,10,5,5,5,5,5,5,1
B,success,R,10,3,3,3,3,3,5,1
C,readiness,R,10,5,5,5,3,3,2,4
D,worst,R,10,1,1,1,1,1,1,5
"""
DOMINANCE_TOML = """\
[horizon]
first_year = 2555
last_year = 2556
[budget]
2555 = 20
2556 = 20
[pilots]
min = 2
max = 2
"""


@pytest.fixture
def dominance(write_scenario):
    return write_scenario(DOMINANCE, DOMINANCE_TOML)


def test_dominant_unit_is_always_pilot_and_dominated_never(dominance):
    """Moving a unit from FY2556 to the pilot year FY2555 gains R_u + lambda P_u (lambda = 2), and the two
    units with the largest gains are the pilots. For every weight vector A's gain is 1 + 2 = 3, the
    largest possible, and D's is 0, the smallest, while B and C gain more than 0 (their normalised
    values are positive on every criterion with weight). So A is a pilot in 100% of the samples, D in
    0%, and B and C share the other place: acceptability(B) + acceptability(C) = 1.
    """
    result = robustness(selector.load(dominance), samples=40, seed=3, workers=1)
    acc = dict(zip(result.units["unit_id"], result.units["acceptability"]))
    cls = dict(zip(result.units["unit_id"], result.units["class"]))
    assert acc["A"] == 1.0 and cls["A"] == CORE
    assert acc["D"] == 0.0 and cls["D"] == EXTERIOR
    assert acc["B"] + acc["C"] == pytest.approx(1.0)
    row = result.units.set_index("unit_id")
    assert row.loc["A", "share_FY2555"] == 1.0 and row.loc["A", "mean_year"] == 2555
    assert row.loc["D", "share_FY2556"] == 1.0 and row.loc["D", "mean_year"] == 2556
    assert result.measure("samples_optimal") == 40
    assert result.measure("core_units") + result.measure("borderline_units") + result.measure("exterior_units") == 4
    # Borderline units come first in the table.
    classes = list(result.units["class"])
    assert classes == sorted(classes, key=[BORDERLINE, CORE, EXTERIOR].index)


def test_ranks_only_swings_between_the_two_middle_units(write_scenario):
    """With only the order success > risk > infrastructure for the pilots (rollout weights equal on
    importance and workload, where B and C tie), B's gain minus C's is 2 (0.75 w_success + 0.75 w_risk
    - 0.5 w_infrastructure) in the pilot score: positive whenever success outweighs infrastructure,
    which the order guarantees. So B is always the second pilot and C never."""
    toml = DOMINANCE_TOML + ('[weights.pilot]\norder = ["success", "risk", "infrastructure"]\n'
                             '[weights.rollout]\norder = [["importance", "workload"]]\n')
    result = robustness(selector.load(write_scenario(DOMINANCE, toml)), samples=30, seed=0, ranks_only=True, workers=1)
    acc = dict(zip(result.units["unit_id"], result.units["acceptability"]))
    assert acc == {"A": 1.0, "B": 1.0, "C": 0.0, "D": 0.0}
    assert result.measure("share_same_pilot_set_as_base") == 1.0


def test_same_seed_same_file_whatever_the_workers(dominance):
    """1 local worker, 2 local processes and a Dask LocalCluster give byte-identical tables."""
    scenario = selector.load(dominance)
    one = units_csv_text(robustness(scenario, samples=24, seed=11, workers=1))
    two = units_csv_text(robustness(scenario, samples=24, seed=11, workers=2, chunk_size=5))
    assert one == two
    assert "borderline" in one  # a table where the weights matter, not a trivial one
    assert units_csv_text(robustness(scenario, samples=24, seed=12, workers=1)) != one
    distributed = pytest.importorskip("distributed")
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=False,
                                  dashboard_address=None) as cluster, distributed.Client(cluster) as client:
        dask = units_csv_text(robustness(scenario, samples=24, seed=11, scheduler=client, chunk_size=4))
    assert dask == one


def test_sample_s_depends_only_on_seed_and_s(dominance):
    scenario = selector.load(dominance)
    few = sample_weights(scenario, 3, seed=5, spread=50.0, ranks_only=False)
    many = sample_weights(scenario, 8, seed=5, spread=50.0, ranks_only=False)
    for kind in ("pilot", "rollout"):
        assert np.array_equal(few[kind], many[kind][:3])
        assert np.allclose(many[kind].sum(axis=1), 1.0)


def test_dirichlet_keeps_zero_weights_and_centres_on_the_chosen_weights():
    """E[w] = w for Dirichlet(K w); 4000 seeded draws average within 0.01 of it; zero weights stay 0."""
    w = np.array([0.25, 0.15, 0.15, 0.0, 0.0, 0.25, 0.20])
    rng = np.random.default_rng(0)
    draws = np.array([dirichlet_around(rng, w, 100.0) for _ in range(4000)])
    assert np.all(draws[:, 3:5] == 0)
    assert draws.mean(axis=0) == pytest.approx(w, abs=0.01)


@settings(max_examples=40, derandomize=True)
@given(st.permutations(CRITERIA), st.integers(min_value=1, max_value=7), st.integers(min_value=0, max_value=10**6))
def test_rank_order_draws_respect_the_order(perm, cut, seed):
    """Groups: the first criterion alone, then a tie of the next ``cut`` ones, then the rest one by one."""
    order = [(perm[0],), tuple(perm[1:1 + cut])] + [(c,) for c in perm[1 + cut:]]
    order = [g for g in order if g]
    w = uniform_in_rank_order(np.random.default_rng(seed), order)
    assert w.sum() == pytest.approx(1.0)
    value = {c: w[CRITERIA.index(c)] for c in CRITERIA}
    for upper, lower in zip(order, order[1:]):
        assert min(value[c] for c in upper) >= max(value[c] for c in lower)


def test_cli_writes_the_table_and_prints_borderline_first(dominance):
    result = CliRunner().invoke(main, ["robustness", str(dominance), "--samples", "20", "--seed", "2", "--workers", "1"])
    assert result.exit_code == 0, result.output
    text = result.stdout
    assert text.index("Borderline units (2)") < text.index("Core pilots (1)") < text.index("Exterior units (1)")
    assert "Core pilots (1): pilot in >= 95% of the samples: A" in text
    raw = dominance.with_name("s-robustness.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    lines = raw.decode("utf-8-sig").splitlines()
    assert lines[0].startswith("unit_id,name,region,class,acceptability,acceptability_low,acceptability_high,"
                               "share_FY2555,share_FY2556,mean_year")
    # 95% Wilson interval of 20 out of 20: [20 / (20 + z^2), 1] = [0.8389, 1]; of 0 out of 20: [0, z^2 / (20 + z^2)].
    assert lines[-2].startswith("A,best,R,core,1.0000,0.8389,1.0000,1.0000,0.0000,2555.000,2555,1.0000,2555,true")
    assert lines[-1].startswith("D,worst,R,exterior,0.0000,0.0000,0.1611,0.0000,1.0000,2556.000,2556,1.0000,2556,false")
    assert "95% interval" in text
    assert "Borderline" not in result.stderr and "samples/s" in result.stderr


def test_cli_refuses_to_overwrite_an_input(dominance):
    result = CliRunner().invoke(main, ["robustness", str(dominance), "--out", str(dominance), "-n", "2"])
    assert result.exit_code == 2 and "would overwrite an input" in result.stderr


def test_compare_methods_side_by_side(write_scenario):
    """Direct weights favour readiness (infrastructure 0.8): C is the second pilot. The stated order
    puts success first (ROC: success 0.61, risk 0.28, infrastructure 0.11): B. Equal weights over the
    three criteria: B's pilot score (1 + 1 + 0.5) / 3 beats C's (0.25 + 0.25 + 1) / 3: B. B and C tie on
    the rollout criterion (importance 3), so only the pilot score decides."""
    toml = DOMINANCE_TOML + ('[weights.pilot]\nmethod = "direct"\ninfrastructure = 0.8\nsuccess = 0.1\nrisk = 0.1\n'
                             'order = ["success", "risk", "infrastructure"]\n'
                             '[weights.rollout]\nimportance = 1\n')
    units, methods = compare_methods(selector.load(write_scenario(DOMINANCE, toml)))
    assert list(methods["method"]) == ["direct", "rank", "equal"]
    assert list(methods["status"]) == ["optimal"] * 3
    table = units.set_index("unit_id")
    assert table["pilot_direct"].to_dict() == {"A": True, "C": True, "B": False}
    assert table["pilot_rank"].to_dict() == {"A": True, "B": True, "C": False}
    assert table["pilot_equal"].to_dict() == {"A": True, "B": True, "C": False}


def test_plot_acceptability_returns_a_figure(dominance):
    pytest.importorskip("matplotlib")
    from selector.outputs.plots import plot_acceptability

    result = robustness(selector.load(dominance), samples=6, seed=0, workers=1)
    fig = plot_acceptability(result)
    ax = fig.axes[0]
    assert [t.get_text() for t in ax.get_xticklabels()][0] == "A"  # highest acceptability first
    assert len(ax.patches) == int((result.units["acceptability"] > 0).sum()) < 4  # D (0%) is left out


def test_best_effort_coverage_is_refused_with_the_reason(write_scenario):
    from selector.errors import ScenarioError

    scenario = selector.load(write_scenario(DOMINANCE, DOMINANCE_TOML + '[plan]\ncoverage = "best-effort"\n'))
    with pytest.raises(ScenarioError, match="coverage"):
        robustness(scenario, samples=2, workers=1)


def test_cli_compare_methods_writes_the_side_by_side_table(dominance):
    result = CliRunner().invoke(main, ["robustness", str(dominance), "--compare-methods"])
    assert result.exit_code == 0, result.output
    assert "direct optimal" in " ".join(result.stdout.split())
    lines = dominance.with_name("s-methods.csv").read_bytes().decode("utf-8-sig").splitlines()
    assert lines[0] == "unit_id,name,region,year_direct,pilot_direct,year_rank,pilot_rank,year_equal,pilot_equal"
    assert lines[1] == "A,best,R,2555,true,2555,true,2555,true"


# ---------------------------------------------------------------------------------------------
# The implied spending floors of the sampling model

FLOORS = """\
unit_id,name,region,cost,infrastructure,staff,leadership,importance,workload,success,risk
A,a,R,10,5,5,5,5,5,5,1
B,b,R,20,3,3,3,3,3,5,1
C,c,R,30,5,5,5,3,3,2,4
D,d,R,15,1,1,1,1,1,1,5
"""
FLOORS_TOML = """\
[horizon]
first_year = 2555
last_year = 2557
[budget]
2555 = 20
2556 = 40
2557 = 20
[pilots]
min = 1
max = 2
"""


def test_spending_floors_by_hand(write_scenario):
    """Costs 10 + 20 + 30 + 15 = 75 against budgets 20 + 40 + 20 = 80: 5 baht may stay unspent in all,
    so FY2555 must spend >= 15, FY2556 >= 35, FY2557 >= 15 and FY2555-2556 together >= 55."""
    from selector.workflows.robustness.engine import SampleSolver
    from selector.workflows.robustness.sampling import weight_vector

    scenario = selector.load(write_scenario(FLOORS, FLOORS_TOML))
    solver = SampleSolver(scenario, 1e-4, 60)
    rows = {row.name: row for row in solver.model.prob.constraints()}
    floors = {name: -row.constant for name, row in rows.items() if name.startswith("floor")}
    assert floors == {"floor_2555": 15, "floor_2556": 35, "floor_2557": 15, "floor_to_2556": 55}
    assert {v.name: c for v, c in rows["floor_to_2556"].expr.items()} == {
        f"x_{u}_{y}": cost for u, cost in zip("ABCD", (10, 20, 30, 15)) for y in (2555, 2556)}
    # The sampling model (with its floors) and selector.solve (without) find the same optimum.
    weights = [weight_vector(scenario.settings.weight_spec(k).weights) for k in ("pilot", "rollout")]
    status, objective, _, _, _ = solver.solve(*weights)
    assert status == "optimal" and objective == pytest.approx(selector.solve(scenario).objective)


@settings(max_examples=40, derandomize=True, deadline=None)
@given(costs=st.lists(st.integers(min_value=1, max_value=9), min_size=3, max_size=6),
       extra=st.lists(st.integers(min_value=0, max_value=6), min_size=3, max_size=3), data=st.data())
def test_spending_floors_cut_off_no_plan(tmp_path_factory, costs, extra, data):
    """Every whole plan that upgrades each unit once within the budgets satisfies every floor row: all
    plans of small random scenarios are enumerated and the rows evaluated on each."""
    import itertools

    from selector.workflows.robustness.engine import SampleSolver

    years = (2555, 2556, 2557)
    drawn = data.draw(st.lists(st.sampled_from(years), min_size=len(costs), max_size=len(costs)))
    budget = [sum(c for c, y in zip(costs, drawn) if y == year) + e for year, e in zip(years, extra)]
    folder = tmp_path_factory.mktemp("floors")
    rows = "\n".join(f"U{i},u{i},R,{c},3,3,3,3,3,3,3" for i, c in enumerate(costs))
    (folder / "s.csv").write_text("unit_id,name,region,cost,infrastructure,staff,leadership,importance,workload,"
                                  "success,risk\n" + rows + "\n", encoding="utf-8")
    (folder / "s.toml").write_text("[horizon]\nfirst_year = 2555\nlast_year = 2557\n[budget]\n"
                                   + "".join(f"{y} = {b}\n" for y, b in zip(years, budget))
                                   + "[pilots]\nmin = 0\nmax = 6\n", encoding="utf-8")
    model = SampleSolver(selector.load(folder / "s.csv"), 1e-4, 60).model
    floors = [row for row in model.prob.constraints() if row.name.startswith("floor")]
    slack = sum(extra)  # the budgets exceed the costs by this much in all
    wanted = [b - slack for b in budget] + [budget[0] + budget[1] - slack]
    assert len(floors) == sum(f > 0 for f in wanted)  # a floor of 0 or less says nothing and is left out
    plans = 0
    for assignment in itertools.product(years, repeat=len(costs)):
        spend = {y: sum(c for c, a in zip(costs, assignment) if a == y) for y in years}
        if any(spend[y] > b for y, b in zip(years, budget)):
            continue
        plans += 1
        for (uid, year), var in model.x.items():
            var.varValue = 1 if assignment[int(uid[1:])] == year else 0
        assert all(row.valid() for row in floors), (assignment, budget)
    assert plans > 0  # the budgets were made from the drawn plan's spending, so that plan at least exists


def test_wilson_interval_matches_newcombe_1998():
    """Newcombe, R.G. (1998) "Two-sided confidence intervals for the single proportion: comparison of
    seven methods", Statistics in Medicine 17, 857-872, Table II, method 3 (score interval without
    continuity correction, Wilson 1927), 95% limits: 81/263 -> 0.2553-0.3662, 15/148 -> 0.0624-0.1605,
    0/20 -> 0-0.1611, 1/29 -> 0.0061-0.1718, 29/29 -> 0.8830-1."""
    from selector.workflows.robustness.stats import wilson_interval

    published = {(81, 263): (0.2553, 0.3662), (15, 148): (0.0624, 0.1605), (0, 20): (0.0, 0.1611),
                 (1, 29): (0.0061, 0.1718), (29, 29): (0.8830, 1.0)}
    for (k, n), (low, high) in published.items():
        lo, hi = wilson_interval(np.array([k / n]), n)
        assert (round(float(lo[0]), 4), round(float(hi[0]), 4)) == (low, high), (k, n)
