"""The independent verifier finds every kind of broken rule in a hand-edited schedule."""

from __future__ import annotations

import dataclasses
import re

import pytest

import selector
from selector.check import CHECKS, check_schedule, read_schedule, schedule_facts

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


# ---------------------------------------------------------------------------------------------
# One check per constraint family of the model


def family_name(add_function) -> str:
    """add_budget_constraints -> budget, add_pilot_risk_constraint -> pilot_risk."""
    return re.sub(r"^add_|_constraints?$", "", add_function.__name__)


def test_checks_mirror_the_model_families_one_to_one_and_in_order():
    """selector check tests each constraint family of the model, in the model's order (check.py
    names them as strings: it may not import the model)."""
    from selector.model.build import CONSTRAINT_FAMILIES

    assert [name for name, _ in CHECKS] == [family_name(f) for f in CONSTRAINT_FAMILIES]
    for name, check in CHECKS:
        assert check.__name__ == f"check_{name}"
        assert check.__doc__ and check.__doc__.strip(), f"{check.__name__} states its rule in its docstring"


def with_column(csv_text: str, name: str, cells: dict[str, str]) -> str:
    """The scenario CSV with one more column; ``cells`` gives its value by unit_id (else empty)."""
    head, *rows = csv_text.splitlines()
    return "\n".join([f"{head},{name}"] + [f"{row},{cells.get(row.split(',')[0], '')}" for row in rows]) + "\n"


FUNDS = '[[funds]]\nname = "central"\namounts = {2555 = 1, 2556 = 2, 2557 = 2}\n'
FUND_HEADER = "unit_id,fiscal_year,pilot,fund\n"


# (family, scenario CSV, settings TOML, schedule header, changes to VALID, what the family's check finds)
BREAKS = [
    ("coverage", SCENARIO, SETTINGS, HEADER, {"S": "2558,false", "T": "2556,false"}, [
        "unit S is scheduled in FY2558, outside the horizon FY2555-2557",
        "unit S is scheduled in FY2558, after its latest_year 2557",
        "unit T is done already but is scheduled in FY2556"]),
    ("pilot_year", SCENARIO, SETTINGS, HEADER, {"T": ",true"}, ["unit T is done already but is marked a pilot"]),
    ("budget", SCENARIO, SETTINGS.replace("2555 = 2", "2555 = 1"), HEADER, {},
     ["FY2555 spends 2 baht, over its budget of 1 (by 1)"]),
    ("pilot_count", SCENARIO, SETTINGS.replace("min = 2\nmax = 2", "min = 1\nmax = 1"), HEADER, {},
     ["2 pilots, outside the allowed 1-1"]),
    ("cover", SCENARIO, SETTINGS.replace("max_mean_risk = 2\n", 'max_mean_risk = 2\ncover = ["name"]\n'), HEADER, {}, [
        "no pilot in name 'r' (every value needs at least one)",
        "no pilot in name 's' (every value needs at least one)"]),
    ("pilot_risk", SCENARIO, SETTINGS.replace("max_mean_risk = 2", "max_mean_risk = 1"), HEADER, {},
     ["the pilots' mean risk is 1.5, above max_mean_risk = 1"]),
    ("capacity", SCENARIO, SETTINGS.replace("max_units_per_year = 2", "max_units_per_year = 1\nmax_units = {2557 = 0}"),
     HEADER, {}, [
        "FY2555 upgrades 2 units, over the capacity of 1",
        "FY2557 upgrades 1 units, over [capacity] max_units 2557 = 0"]),
    ("pilot_rule", SCENARIO.replace("Q,q,South,1,3,3,3,3,3,4,2,,", "Q,q,South,1,3,3,3,3,3,4,2,never,"), SETTINGS,
     HEADER, {}, ["unit Q is marked pilot = never but is a pilot"]),
    ("after", SCENARIO, SETTINGS, HEADER, {"S": "2556,false"}, ["unit S (FY2556) must come after unit R (FY2556)"]),
    ("balance", SCENARIO, SETTINGS + '[pilots.balance]\ncolumns = ["success"]\ntolerance = 0.5\n', HEADER, {},
     [("the pilots' mean success is 4.5 but the network's is 3.25: 0.845 sd apart, more than the tolerance of "
       "0.5 sd ([pilots.balance])")]),
    ("share", SCENARIO, SETTINGS + "[pilots.max_share]\nregion = 0.4\n", HEADER, {}, [
        "region 'North' holds 1 of the 2 pilots, more than the share 0.4 allows ([pilots.max_share])",
        "region 'South' holds 1 of the 2 pilots, more than the share 0.4 allows ([pilots.max_share])"]),
    ("group_capacity", with_column(SCENARIO, "team", {"P": "a", "Q": "a", "R": "b", "S": "b", "T": "a"}),
     SETTINGS + "[capacity.by]\nteam = {max_per_year = 1}\n", HEADER, {},
     ["FY2555 upgrades 2 units of team 'a', over its team's capacity of 1 a year ([capacity.by])"]),
    ("fairness_min", SCENARIO, SETTINGS + '[fairness]\ncolumn = "region"\nmin_per_year = 1\n', HEADER, {},
     [("region 'North' gets 0 upgrade(s) in FY2556 while it has 1 unit(s) left: at least 1 are required "
       "([fairness] min_per_year)")]),
    ("fairness_gap", SCENARIO, SETTINGS + '[fairness]\ncolumn = "region"\nmax_completion_gap = 0\n', HEADER, {},
     [("region 'South' completes in FY2556 but 'North' in FY2557: more than 0 year(s) apart "
       "([fairness] max_completion_gap)")]),
    ("mentor", SCENARIO, SETTINGS + '[mentors]\ncolumn = "region"\nlag = 2\n', HEADER, {}, [
        "unit P (FY2555) comes less than 2 year(s) after its region 'North' started in FY2554 ([mentors])",
        "unit R (FY2556) comes less than 2 year(s) after its region 'South' started in FY2555 ([mentors])"]),
    ("mentor", with_column(SCENARIO, "team", {"P": "a", "Q": "a", "R": "b", "S": "b", "T": "c"}),
     SETTINGS + '[mentors]\ncolumn = "team"\n', HEADER, {},
     ["team 'a' starts with 2 units in FY2555 (P, Q), more than max_mentors = 1 ([mentors])"]),
    ("named_mentor", with_column(SCENARIO, "mentor", {"Q": "T", "R": "P", "S": "Q"}),
     SETTINGS + '[mentors]\nmentor_column = "mentor"\nlag = 2\n', HEADER, {},
     ["unit Q (FY2555) must come at least 2 year(s) after its mentor T (FY2554) ([mentors] mentor_column)",
      "unit R (FY2556) must come at least 2 year(s) after its mentor P (FY2555) ([mentors] mentor_column)"]),
    ("fund", SCENARIO, SETTINGS + FUNDS, FUND_HEADER,
     {u: v + ",central" for u, v in VALID.items()} | {"R": "2556,false,other", "T": ",false,"}, [
        "unit R is paid by fund 'other', which is not a fund of the scenario",
        "fund 'central' pays 2 baht in FY2555, more than its 1"]),
    ("fund", SCENARIO, SETTINGS + FUNDS, HEADER, {},
     ["the schedule has no 'fund' column but the scenario has [[funds]]"]),
    ("category", with_column(SCENARIO, "cost_investment", {"P": "1", "Q": "1"}),
     SETTINGS + "[budget.investment]\n2555 = 1\n2556 = 1\n2557 = 1\n", HEADER, {},
     ["FY2555 spends 2 baht of investment, over its ceiling of 1 (by 1) ([budget.investment])"]),
    ("beyond_horizon", SCENARIO, SETTINGS + "[costs]\nprofile = [0, 1]\n", HEADER, {},
     ['unit S starts in FY2557 but its profile spends 1 baht after FY2557 ([costs] after_horizon = "refuse")']),
    ("beyond_horizon", SCENARIO, SETTINGS.replace("2557 = 2\n", "2557 = 2\nafter = 0\n")
     + '[costs]\nprofile = [0, 1]\nafter_horizon = "charge"\n', HEADER, {},
     ["the profiles spend 1 baht after FY2557, over [budget] after = 0"]),
]


def facts_of(write_scenario, tmp_path, csv_text, settings, header, changes, stem="s"):
    scenario = selector.load(write_scenario(csv_text, settings, stem))
    rows = dict(VALID) | changes
    path = tmp_path / f"{stem}-schedule.csv"
    path.write_text(header + "".join(f"{u},{v}\n" for u, v in rows.items()), encoding="utf-8")
    facts, problems = schedule_facts(scenario, read_schedule(path))
    assert problems == []
    return scenario, path, facts


@pytest.mark.parametrize("family, csv_text, settings, header, changes, expected", BREAKS,
                         ids=[f"{case[0]}-{n}" for n, case in enumerate(BREAKS)])
def test_each_check_catches_its_own_rule(write_scenario, tmp_path, family, csv_text, settings, header, changes,
                                         expected):
    """A schedule that breaks one rule on the tiny scenario: the family's check finds exactly that,
    no other check finds anything, and check_schedule reports the same."""
    scenario, path, facts = facts_of(write_scenario, tmp_path, csv_text, settings, header, changes)
    found = {name: check(facts) for name, check in CHECKS if check(facts)}
    assert found == {family: expected}
    assert check_schedule(scenario, path).violations == expected


def test_every_family_has_a_breaking_case():
    assert {case[0] for case in BREAKS} == {name for name, _ in CHECKS}


def test_facts_are_read_only(write_scenario, tmp_path):
    _, _, facts = facts_of(write_scenario, tmp_path, SCENARIO, SETTINGS, HEADER, {})
    assert facts.pilots == ("P", "Q") and dict(facts.scheduled) == {"P": 2555, "Q": 2555, "R": 2556, "S": 2557}
    assert set(facts.todo) == {"P", "Q", "R", "S"} and facts.year["T"] is None
    with pytest.raises(TypeError):
        facts.year["P"] = 2557
    with pytest.raises(TypeError):
        facts.units["P"]["cost"] = 0
    with pytest.raises(dataclasses.FrozenInstanceError):
        facts.pilots = ()


def test_the_report_lists_violations_unit_by_unit_then_year_by_year_then_the_network(scenario, tmp_path):
    """Not in CHECKS order: the report's order is the one it always had (the units' rules by unit_id,
    each unit's in CHECKS order; then each year's budget and capacity; then the network-wide rules)."""
    rows = dict(VALID) | {"P": "2556,false", "S": "2556,false"}
    path = tmp_path / "schedule.csv"
    path.write_text(HEADER + "".join(f"{u},{v}\n" for u, v in rows.items()), encoding="utf-8")
    assert check_schedule(scenario, path).violations == [
        "unit P is marked pilot = must but is not a pilot",
        "unit S (FY2556) must come after unit R (FY2556)",
        "FY2556 spends 3 baht, over its budget of 2 (by 1)",
        "FY2556 upgrades 3 units, over the capacity of 2",
        "1 pilots, outside the allowed 2-2",
        "no pilot in region 'North' (every value needs at least one)",
    ]
    assert all(type(v) is str for v in check_schedule(scenario, path).violations)
