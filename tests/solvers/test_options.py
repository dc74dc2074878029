"""SolveOptions: the options a run used, resolved from the settings and the overrides, and kept on the Plan."""

from __future__ import annotations

import pytest

import selector
from selector.errors import ScenarioError, SolverError
from selector.solvers.options import SolveOptions
from tests.model.test_build import FOUR_TOML


@pytest.fixture
def four(write_scenario):
    from tests.model.test_build import FOUR

    return selector.load(write_scenario(FOUR, FOUR_TOML))


def test_overrides_win_over_the_settings_and_none_keeps_them(four):
    s = four.settings
    assert SolveOptions.resolve(s) == SolveOptions(s.solver, s.gap, s.time_limit, 1, 0)
    assert SolveOptions.resolve(s, solver="CBC", gap=0.05, time_limit=7) == SolveOptions("cbc", 0.05, 7.0, 1, 0)


def test_bad_overrides_are_refused_all_at_once(four):
    with pytest.raises(ScenarioError) as err:
        SolveOptions.resolve(four.settings, gap=1.5, time_limit=float("inf"))
    assert sorted(p.column for p in err.value.problems) == ["gap", "time_limit"]
    with pytest.raises(SolverError, match="unknown solver 'glpk'"):
        SolveOptions.resolve(four.settings, solver="glpk")


def test_the_plan_records_the_options_the_solve_used(four):
    plan = selector.solve(four, gap=0.05, time_limit=30)
    assert plan.options == SolveOptions("highs", 0.05, 30.0, 1, 0)
    assert selector.solve(four).options.gap == four.settings.gap


def test_an_infeasible_plan_records_them_too(four):
    plan = selector.solve(four.with_(budget={2555: 0, 2556: 0}), gap=0.02)
    assert plan.status == selector.Status.INFEASIBLE and plan.options.gap == 0.02
