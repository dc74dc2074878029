"""Diagnosis of scenarios without a feasible plan: the report names the rule, the year or value, and the amount."""

from __future__ import annotations

import json

from click.testing import CliRunner

import selector
from selector.analysis.diagnose import basic_findings, elastic_findings
from selector.cli import main

HEADER = "unit_id,name,region,cost,infrastructure,staff,leadership,importance,workload,success,risk,pilot,earliest_year,latest_year"

# FY2556 is short by exactly 3,000,000 baht. Pilots are exactly one unit (A, the only unit that can
# start in FY2555 at 10 M within that year's 10 M: B and C are due by FY2556, D cannot start before
# FY2557). B and C must then both be paid in FY2556 (20 M) where only 17 M is budgeted, while FY2557
# has 3 M more than D needs. The total (37 M + 3 M spare = 40 M) covers the total cost, so only a
# solver can see it. Moving B or C out of its window costs 2 in the elastic model, the 3 M costs
# 3 M / 10 M (mean unit cost) = 0.3: the smallest change is the money.
SHORT_CSV = f"""
{HEADER}
A,a,N,10000000,5,5,5,3,3,5,1,,,
B,b,N,10000000,3,3,3,5,5,3,2,,2556,2556
C,c,N,10000000,3,3,3,4,4,3,2,,2556,2556
D,d,N,10000000,3,3,3,2,2,3,2,,2557,
"""
SHORT_TOML = """
[horizon]
first_year = 2555
last_year = 2557
[budget]
2555 = 10_000_000
2556 = 17_000_000
2557 = 13_000_000
[pilots]
min = 1
max = 1
"""


def test_one_year_short_by_three_million_names_the_year_and_amount(write_scenario, tmp_path):
    csv_path = write_scenario(SHORT_CSV, SHORT_TOML)
    out, record = tmp_path / "out.csv", tmp_path / "out.json"
    result = CliRunner().invoke(main, ["solve", str(csv_path), "--out", str(out), "--json", str(record)])
    assert result.exit_code == 3
    assert "FY2556 budget is short by 3,000,000 baht" in result.stderr
    assert not out.exists()
    data = json.loads(record.read_text(encoding="utf-8"))
    assert data["status"] == "infeasible" and "units" not in data
    (finding,) = data["diagnosis"]
    assert finding["rule"] == "budget" and finding["key"] == 2556
    assert abs(finding["shortfall"] - 3_000_000) <= 0.001 * 3_000_000
    assert finding["needed"] == finding["current"] + finding["shortfall"]


def test_the_reported_change_makes_the_plan_feasible(write_scenario):
    """The elastic optimum is a plan: applying its changes must let the real model solve."""
    scenario = selector.load(write_scenario(SHORT_CSV, SHORT_TOML))
    plan = selector.solve(scenario)
    assert plan.status == "infeasible" and plan.schedule is None
    budget = dict(scenario.settings.budget)
    for f in plan.diagnosis:
        budget[f.key] = f.needed
    assert selector.solve(scenario.with_settings(budget=budget)).status == "optimal"


def test_region_without_an_eligible_pilot_is_named(write_scenario, tmp_path):
    csv_text = f"""
    {HEADER}
    A,a,North,100,5,5,5,3,3,5,1,,,
    B,b,North,100,3,3,3,5,5,3,2,,,
    W1,w1,West,100,4,4,4,4,4,4,2,never,,
    W2,w2,West,100,4,4,4,4,4,4,2,,2556,
    """
    toml = "[budget]\n2555 = 1000\n2556 = 1000\n2557 = 1000\n2558 = 1000\n[pilots]\nmin = 1\nmax = 2\n"
    out = tmp_path / "out.csv"
    result = CliRunner().invoke(main, ["solve", str(write_scenario(csv_text, toml)), "--out", str(out)])
    assert result.exit_code == 3
    assert "region 'West'" in result.stderr
    assert not out.exists()


# Nine units, capacity 3 a year over FY2555-2557 (9 slots, so no pre-solve check fires), but the pilot
# year holds only the one pilot allowed: 1 + 3 + 3 = 7 < 9. Capacity 4 (cost 1) gives 1 + 4 + 4 = 9;
# raising the pilot limit instead would need 2 more pilots (cost 2). So capacity is named, needing 4.
CAPACITY_TOML = """
[horizon]
first_year = 2555
last_year = 2557
[budget]
2555 = 1000
2556 = 1000
2557 = 1000
[pilots]
min = 1
max = 1
[capacity]
max_units_per_year = 3
"""


def _nine_units() -> str:
    rows = [f"U{i},u{i},N,10,3,3,3,3,3,3,{1 + i % 3},,," for i in range(9)]
    return HEADER + "\n" + "\n".join(rows) + "\n"


def test_too_small_capacity_is_named(write_scenario, tmp_path):
    csv_path = write_scenario(_nine_units(), CAPACITY_TOML)
    scenario = selector.load(csv_path)
    assert basic_findings(scenario) == []  # only the elastic model can see it
    out, record = tmp_path / "out.csv", tmp_path / "out.json"
    result = CliRunner().invoke(main, ["solve", str(csv_path), "--out", str(out), "--json", str(record)])
    assert result.exit_code == 3
    assert "capacity of 3 units a year" in result.stderr and "needs 4 a year" in result.stderr
    assert not out.exists()
    (finding,) = json.loads(record.read_text(encoding="utf-8"))["diagnosis"]
    assert (finding["rule"], finding["current"], finding["needed"], finding["shortfall"]) == ("capacity", 3, 4, 1)


def test_capacity_short_in_total_is_caught_before_solving(write_scenario):
    toml = CAPACITY_TOML.replace("max_units_per_year = 3", "max_units_per_year = 2")
    (finding,) = basic_findings(selector.load(write_scenario(_nine_units(), toml)))
    assert finding.rule == "capacity" and finding.needed == 3


def test_feasible_scenario_needs_no_change(write_scenario):
    toml = SHORT_TOML.replace("2556 = 17_000_000", "2556 = 20_000_000")
    assert elastic_findings(selector.load(write_scenario(SHORT_CSV, toml))) == []


# ---------------------------------------------------------------------------------------------
# Property: applying every change the elastic model reports gives a feasible scenario.

from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402


@st.composite
def small_scenarios(draw):
    n = draw(st.integers(3, 6))
    rows = []
    for i in range(n):
        cost = draw(st.integers(1, 9)) * 10
        crit = [draw(st.integers(1, 5)) for _ in range(7)]
        region = draw(st.sampled_from(["N", "S"]))
        rows.append(f"U{i},u{i},{region},{cost}," + ",".join(map(str, crit)) + ",,,")
    budgets = [draw(st.integers(0, 20)) * 10 for _ in range(3)]
    pmin = draw(st.integers(1, 2))
    pmax = draw(st.integers(pmin, 3))
    toml = ("[horizon]\nfirst_year = 2555\nlast_year = 2557\n[budget]\n"
            + "".join(f"{2555 + k} = {b}\n" for k, b in enumerate(budgets))
            + f"[pilots]\nmin = {pmin}\nmax = {pmax}\n")
    if draw(st.booleans()):
        toml += f"max_mean_risk = {draw(st.sampled_from([1.5, 2.5, 3.5]))}\n"
    if draw(st.booleans()):
        toml += f"[capacity]\nmax_units_per_year = {draw(st.integers(1, 3))}\n"
    return HEADER + "\n" + "\n".join(rows) + "\n", toml


def _apply(scenario, findings):
    s = scenario.settings
    changes = {}
    budget = dict(s.budget)
    for f in findings:
        if f.rule == "budget":
            budget[f.key] = f.needed
        elif f.rule == "capacity":
            changes["max_units_per_year"] = int(f.needed)
        elif f.rule == "pilots_min":
            changes["pilots_min"] = int(f.needed)
        elif f.rule == "pilots_max":
            changes["pilots_max"] = int(f.needed)
        elif f.rule == "pilot_risk":
            changes["max_mean_risk"] = f.needed
        elif f.rule == "cover":
            changes["cover"] = ()
        else:
            raise AssertionError(f"no windows in these scenarios, yet {f}")
    return scenario.with_settings(budget=budget, **changes)


@settings(max_examples=25, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(small_scenarios())
def test_the_reported_changes_always_give_a_feasible_plan(write_scenario, case):
    csv_text, toml = case
    scenario = selector.load(write_scenario(csv_text, toml))
    findings = elastic_findings(scenario)
    assert findings is not None  # with no marks, windows or 'after', only soft rules can fail
    feasible = selector.solve(scenario).status == "optimal"
    assert (findings == []) == feasible
    if not feasible:
        assert selector.solve(_apply(scenario, findings)).status == "optimal"
