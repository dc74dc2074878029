"""What money buys: marginal values from the LP relaxation, the least budget for full coverage, the frontier."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

import selector
from selector.analysis.duals import marginal_values
from selector.cli import main
from selector.model.build import build_model
from selector.solvers.backends import run_highs
from selector.status import Status
from selector.workflows.money import frontier, minimum_budget
from tests.conftest import DEFAULT_CSV
from tests.workflows.test_explain import TINY_CSV, TINY_TOML


def _lp_objective(scenario) -> float:
    import pulp

    model = build_model(scenario)
    model.prob.solve(pulp.HiGHS(mip=False, msg=False))
    return pulp.value(model.prob.objective)


def test_marginal_value_is_the_slope_of_the_relaxed_optimum():
    """Checked by finite differences on the default scenario: 100,000 baht more in a year."""
    scenario = selector.load(DEFAULT_CSV)
    values = marginal_values(scenario)
    base = _lp_objective(scenario)
    for year in (2555, 2557):
        budget = dict(scenario.settings.budget)
        budget[year] += 100_000
        slope = (_lp_objective(scenario.with_settings(budget=budget)) - base) / 0.1  # per million
        assert values[year] == pytest.approx(slope, rel=0.01, abs=1e-6)
    assert values[2555] > values[2556] > values[2557] > 0  # earlier money moves more units earlier


def test_tiny_marginal_values_by_hand(write_scenario):
    """TINY (tests/test_explain.py) with budgets 12 / 15 / 10. The relaxed optimum pays A (pilot, 10 of
    12), B (10) and half of C (5) in FY2556, the other half of C in FY2557 (5 of 10): 6.35. One more
    baht in FY2556 moves 1/10 more of C (R_C = 0.5) a year earlier: 0.05 per baht, 50,000 per million;
    FY2555 and FY2557 have money left, so more is worth nothing. (Budgets equal to sums of unit
    costs would put the relaxation on a kink, where the dual is only one of several slopes.)"""
    toml = TINY_TOML.replace("2555 = 10", "2555 = 12").replace("2556 = 10", "2556 = 15")
    scenario = selector.load(write_scenario(TINY_CSV, toml))
    assert _lp_objective(scenario) == pytest.approx(6.35)
    assert marginal_values(scenario) == pytest.approx({2555: 0.0, 2556: 50_000.0, 2557: 0.0})


def test_tiny_frontier_by_hand(write_scenario, tmp_path):
    """TINY has shares 1/3 each. Each year must pay one 10-baht unit (the pilot year exactly one), so the
    least total is 30. Without budgets the best plan puts B and C both in FY2556 (20 baht): T_sat = 60.
    Steps at 30, 45, 60: one unit a year (6.1) until FY2556 can pay 20 (6.6 = 0.9 + 3 + 0.85*2 + 0.5*2)."""
    csv_path = write_scenario(TINY_CSV, TINY_TOML)
    table, least = frontier(selector.load(csv_path), 3)
    assert least.total == 30
    assert list(table["total_budget"]) == [30, 45, 60]
    assert list(table["objective"]) == pytest.approx([6.1, 6.1, 6.6])
    assert list(table["units_by_2556"]) == [2, 2, 3]
    out = tmp_path / "f.csv"
    result = CliRunner().invoke(main, ["frontier", str(csv_path), "--steps", "3", "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert "Least total budget for every unit by FY2557: 30 baht" in result.stdout
    lines = out.read_text(encoding="utf-8-sig").splitlines()
    assert lines[0].startswith("step,total_budget,budget_2555") and len(lines) == 4


def test_default_frontier_starts_at_the_minimum_and_never_decreases():
    scenario = selector.load(DEFAULT_CSV)
    table, least = frontier(scenario, 4)
    assert table["total_budget"].iloc[0] == least.total
    assert (table["objective"].diff().dropna() >= 0).all()
    assert (table["total_budget"].diff().dropna() > 0).all()
    # The minimum is proven to 0.1%: with every year 0.1% below it no plan exists.
    budget = {y: 0.999 * v for y, v in least.budget.items()}
    assert least.lower >= 0.999 * least.total
    model = build_model(scenario.with_settings(budget=budget))
    assert run_highs(model.prob, 60, 1e-4, False).status == Status.INFEASIBLE
    assert table["units_by_2558"].iloc[0] == len(scenario.to_schedule)


def test_minimum_budget_is_enough_for_the_solve(write_scenario):
    scenario = selector.load(write_scenario(TINY_CSV, TINY_TOML))
    least = minimum_budget(scenario)
    assert selector.solve(scenario.with_settings(budget=least.budget)).status == "optimal"


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_frontier_in_one_session_equals_every_step_solved_from_scratch(tmp_path, seed):
    """The session (budgets changed in place, each step started from the least budget's plan) and
    a solve from scratch at every step give the same budgets and, within the gap, the same objectives;
    the progress callback is told the two phases, then each of the five steps."""
    scenario = selector.load(selector.synth(12, seed, tmp_path))
    seen = []
    table, least = frontier(scenario, 5, gap=1e-9, on_progress=seen.append)
    reference, _ = frontier(scenario, 5, gap=1e-9, reuse=False)
    assert list(table["total_budget"]) == list(reference["total_budget"])
    assert list(table["objective"]) == pytest.approx(list(reference["objective"]), rel=1e-7)
    assert (table["status"] == Status.OPTIMAL).all()
    assert [(step.phase, step.done, step.total) for step in seen] == (
        [("minimum", None, None), ("saturation", None, None)] + [("frontier", k, 5) for k in range(6)])


def test_frontier_on_dask_is_byte_identical_to_the_local_run(tmp_path):
    """Seven steps of a synthetic scenario: the local run (one session for every step) and a Dask
    LocalCluster (chunks of 2 and of 3 steps, a model and a session per chunk, finishing in any
    order) write the same frontier CSV byte for byte: a step depends only on its budgets and its
    start, the least budget's plan."""
    from selector.outputs.files import frontier_csv_text

    distributed = pytest.importorskip("distributed")
    scenario = selector.load(selector.synth(12, 2, tmp_path))
    local, _ = frontier(scenario, 7, gap=1e-9)
    assert local["objective"].nunique() > 2  # the steps differ: a frontier where the budget matters
    seen = []
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=False,
                                  dashboard_address=None) as cluster, distributed.Client(cluster) as client:
        two, _ = frontier(scenario, 7, gap=1e-9, scheduler=client, chunk_size=2, on_progress=seen.append)
        three, _ = frontier(scenario, 7, gap=1e-9, scheduler=client, chunk_size=3)
    assert frontier_csv_text(two) == frontier_csv_text(local)
    assert frontier_csv_text(three) == frontier_csv_text(local)
    steps = [step.done for step in seen if step.phase == "frontier"]
    assert steps[0] == 0 and steps[-1] == 7 and steps == sorted(steps)
