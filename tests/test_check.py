"""The independent verifier finds every kind of broken rule in a hand-edited schedule."""

from __future__ import annotations

import pytest

import selector
from selector.check import check_schedule

SCENARIO = """\
unit_id,name,region,cost,infrastructure,staff,leadership,importance,workload,success,risk,pilot,earliest_year,latest_year,after,done
P,p,North,1,3,3,3,3,3,5,1,must,,,,
Q,q,South,1,3,3,3,3,3,4,2,,,,,
R,r,South,1,3,3,3,3,3,1,5,never,,,,
S,s,North,1,3,3,3,3,3,3,3,,2556,2557,R,
T,t,North,1,3,3,3,3,3,3,3,,,,,true
"""
SETTINGS = """\
[horizon]
first_year = 2555
last_year = 2557
[budget]
2555 = 2
2556 = 2
2557 = 2
[pilots]
min = 2
max = 2
max_mean_risk = 2
[capacity]
max_units_per_year = 2
"""
HEADER = "unit_id,fiscal_year,pilot\n"


@pytest.fixture
def scenario(write_scenario):
    return selector.load(write_scenario(SCENARIO, SETTINGS))


VALID = {"P": "2555,true", "Q": "2555,true", "R": "2556,false", "S": "2557,false", "T": ",false"}


@pytest.mark.parametrize("changes, drop, extra, expected", [
    ({}, (), (), None),
    ({"P": "2556,false", "S": "2555,true"}, (), (),
     "unit P is marked pilot = must but is not a pilot"),
    ({"R": "2555,true", "Q": "2556,false"}, (), (), "unit R is marked pilot = never but is a pilot"),
    ({"S": "2558,false"}, (), (), "outside the horizon"),
    ({"R": "2557,false", "S": "2556,false"}, (), (), "unit S (FY2556) must come after unit R (FY2557)"),
    ({"T": "2556,false"}, (), (), "unit T is done already but is scheduled in FY2556"),
    ({}, ("Q",), (), "unit Q is missing from the schedule"),
    ({}, (), ("Q,2556,false",), "unit Q appears more than once"),
    ({}, (), ("Z,2556,false",), "unit 'Z' is not in the scenario"),
    ({"Q": "2556,false"}, (), (), "1 pilots, outside the allowed 2-2"),
    ({"Q": "2556,false", "S": "2556,false"}, (), (), "FY2556 spends 3 baht, over its budget of 2"),
    ({"Q": "2556,false", "S": "2556,false"}, (), (), "FY2556 upgrades 3 units, over the capacity of 2"),
    ({"Q": "2556,false"}, (), (), "no pilot in region 'South'"),
    ({"Q": "", "R": ""}, (), (), "unit Q is not scheduled"),
])
def test_each_rule(scenario, tmp_path, changes, drop, extra, expected):
    rows = dict(VALID)
    rows.update({k: (v if v else ",false") for k, v in changes.items()})
    lines = [f"{u},{v}" for u, v in rows.items() if u not in drop] + list(extra)
    path = tmp_path / "schedule.csv"
    path.write_text(HEADER + "\n".join(lines) + "\n", encoding="utf-8")
    report = check_schedule(scenario, path)
    if expected is None:
        assert report.ok, report.violations
    else:
        assert any(expected in v for v in report.violations), report.violations


def test_window_and_risk(write_scenario, tmp_path):
    """S may only be upgraded in 2556-2557, so FY2555 is too early for it; pilots P (risk 1) and
    R (risk 5, allowed to pilot in this variant) average 3, above the cap of 2."""
    sc = selector.load(write_scenario(SCENARIO.replace(",never,", ",,"), SETTINGS))
    rows = {"P": "2555,true", "R": "2555,true", "Q": "2556,false", "S": "2555,false", "T": ",false"}
    path = tmp_path / "w.csv"
    path.write_text(HEADER + "\n".join(f"{u},{v}" for u, v in rows.items()) + "\n", encoding="utf-8")
    violations = check_schedule(sc, path).violations
    assert any("unit S is scheduled in FY2555, before its earliest_year 2556" in v for v in violations), violations
    assert any("the pilots' mean risk is 3, above max_mean_risk = 2" in v for v in violations)


def test_solved_plan_checks_and_objective_matches(write_scenario, tmp_path):
    from selector.outputs.files import write_schedule_csv

    sc = selector.load(write_scenario(SCENARIO, SETTINGS))
    plan = selector.solve(sc)
    assert plan.status == "optimal"
    write_schedule_csv(plan, tmp_path / "out.csv")
    report = check_schedule(sc, tmp_path / "out.csv")
    assert report.ok, report.violations
    assert report.objective == pytest.approx(plan.objective, abs=1e-9)
