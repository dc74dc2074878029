"""Tiny scenarios whose optimum is worked out by hand: each rule of the model changes the answer."""

from __future__ import annotations

import pandas as pd
import pytest

import selector

# ---------------------------------------------------------------------------------------------
# Four units, two regions, two years (the scoring example of docs/model.md)

FOUR = """\
unit_id,name,region,cost,infrastructure,staff,leadership,importance,workload,success,risk
A,สำนักงาน ก,North,10,5,5,5,3,3,5,1
B,สำนักงาน ข,North,10,3,3,3,5,5,3,3
C,สำนักงาน ค,South,10,4,4,4,1,1,4,2
D,สำนักงาน ง,South,10,1,1,1,4,4,1,5
"""
FOUR_TOML = """\
[horizon]
first_year = 2555
last_year = 2556
[budget]
2555 = 20
2556 = 20
[pilots]
min = 1
max = 2
"""


def test_four_units_two_regions(write_scenario):
    """Scores with the default weights: P = (1, 0.5, 0.75, 0) and R = (0.65, 0.85, 0.225, 0.525) for A-D.

    Budgets of 20 and costs of 10 put exactly two units in each year; the two of FY2555 are the
    pilots, one per region (cover). lambda = 1 x 2 years = 2. A unit upgraded in 2555 as a pilot is
    worth 2R + 2P, in 2556 R, so moving it to 2555 gains R + 2P: A 2.65, B 1.85, C 1.725, D 0.525.
    Best North: A; best South: C. Objective = sum R (2.25) + 2.65 + 1.725 = 6.625.
    """
    plan = selector.solve(selector.load(write_scenario(FOUR, FOUR_TOML)))
    assert plan.status == "optimal"
    assert plan.objective == pytest.approx(6.625)
    assert sorted(plan.pilots["unit_id"]) == ["A", "C"]
    years = dict(zip(plan.schedule["unit_id"], plan.schedule["fiscal_year"]))
    assert years == {"A": 2555, "C": 2555, "B": 2556, "D": 2556}
    assert plan.bound == pytest.approx(6.625, rel=1e-4)


def test_cover_off_changes_the_pilots(write_scenario):
    """Without the cover rule the two best gains are A (2.65) and B (1.85): objective 2.25 + 4.5 = 6.75."""
    plan = selector.solve(selector.load(write_scenario(FOUR, FOUR_TOML + "cover = []\n")))
    assert sorted(plan.pilots["unit_id"]) == ["A", "B"]
    assert plan.objective == pytest.approx(6.75)


# ---------------------------------------------------------------------------------------------
# Three units in one region over three years, one unit a year


THREE = """\
unit_id,name,region,cost,infrastructure,staff,leadership,importance,workload,success,risk{extra_head}
X,x,R,1,3,3,3,1,3,5,5{x}
Y,y,R,1,3,3,3,5,3,1,1{y}
Z,z,R,1,3,3,3,4,3,2,2{z}
"""
THREE_TOML = """\
[horizon]
first_year = 2555
last_year = 2557
[budget]
2555 = {b}
2556 = {b}
2557 = {b}
[pilots]
min = 1
max = 1
{pilots_extra}
[weights.pilot]
success = 1
[weights.rollout]
importance = 1
{extra}
"""


def three(write_scenario, extra_head="", x="", y="", z="", b=1, pilots_extra="", extra=""):
    csv_text = THREE.format(extra_head=extra_head, x=x, y=y, z=z)
    return selector.solve(selector.load(write_scenario(csv_text, THREE_TOML.format(b=b, pilots_extra=pilots_extra, extra=extra))))


def order(plan) -> str:
    years = dict(zip(plan.schedule["unit_id"], plan.schedule["fiscal_year"]))
    return "".join(sorted(years, key=lambda u: (years[u], u)))


def test_three_units_free_order(write_scenario):
    """P = success n, R = importance n: X (P 1, R 0), Y (P 0, R 1), Z (P 0.25, R 0.75).

    One unit a year (budget 1). lambda = 3. The pilot is worth 3R + 3P, then 2R, then R.
    Orders: XYZ 3+2+0.75 = 5.75; XZY 3+1.5+1 = 5.5; ZYX 3+2 = 5; ZXY 3+0+1 = 4; YXZ 3+0.75 = 3.75;
    YZX 3+1.5 = 4.5. The unique optimum is XYZ = 5.75.
    """
    plan = three(write_scenario)
    assert order(plan) == "XYZ"
    assert plan.objective == pytest.approx(5.75)


def test_after_rule(write_scenario):
    """Y after Z: of the orders with Z before Y, XZY = 5.5 beats ZYX = 5 and ZXY = 4."""
    plan = three(write_scenario, extra_head=",after", x=",", y=",Z", z=",")
    assert order(plan) == "XZY"
    assert plan.objective == pytest.approx(5.5)


def test_never_pilot(write_scenario):
    """X never a pilot: best order starting with Y or Z is ZYX = 5."""
    plan = three(write_scenario, extra_head=",pilot", x=",never", y=",", z=",")
    assert order(plan) == "ZYX"
    assert plan.objective == pytest.approx(5.0)


def test_must_pilot(write_scenario):
    """Y must be the pilot: YZX = 4.5 beats YXZ = 3.75."""
    plan = three(write_scenario, extra_head=",pilot", x=",", y=",must", z=",")
    assert order(plan) == "YZX"
    assert plan.objective == pytest.approx(4.5)


def test_window_earliest_year(write_scenario):
    """X not before 2556 cannot be the pilot: ZYX = 5 as with `never`."""
    plan = three(write_scenario, extra_head=",earliest_year", x=",2556", y=",", z=",")
    assert order(plan) == "ZYX"


def test_window_latest_year(write_scenario):
    """Y by 2555 at the latest makes Y the pilot: YZX = 4.5."""
    plan = three(write_scenario, extra_head=",latest_year", x=",", y=",2555", z=",")
    assert order(plan) == "YZX"


def test_risk_cap(write_scenario):
    """Risks X 5, Y 1, Z 2 and a cap of 3 on the pilots' mean: X (risk 5) cannot be the only pilot -> ZYX = 5."""
    plan = three(write_scenario, pilots_extra="max_mean_risk = 3")
    assert order(plan) == "ZYX"
    assert plan.objective == pytest.approx(5.0)


def test_capacity(write_scenario):
    """With budgets of 10 the single pilot X goes first and Y, Z both in 2556: 3 + 2 + 1.5 = 6.5.
    A capacity of one unit a year brings back XYZ = 5.75."""
    free = three(write_scenario, b=10)
    assert free.objective == pytest.approx(6.5)
    capped = three(write_scenario, b=10, extra="[capacity]\nmax_units_per_year = 1")
    assert order(capped) == "XYZ"
    assert capped.objective == pytest.approx(5.75)


def test_done_unit_is_kept_but_not_scheduled(write_scenario):
    """X done: Y and Z remain, one a year. Z first: 3(0.75 + 0.25) + 2 = 5 beats Y first: 3 + 1.5 = 4.5."""
    plan = three(write_scenario, extra_head=",done", x=",true", y=",", z=",false")
    sched = plan.schedule.set_index("unit_id")
    assert sched.loc["X", "phase"] == "done"
    assert pd.isna(sched.loc["X", "fiscal_year"])
    assert sched.loc["Z", "fiscal_year"] == 2555 and sched.loc["Y", "fiscal_year"] == 2556
    assert plan.objective == pytest.approx(5.0)


def test_infeasible_budget_is_explained(write_scenario):
    """Costs 3 in all, budgets 0.5 a year: short by 1.5, said before any solver runs."""
    plan = three(write_scenario, b=0.5)
    assert plan.status == "infeasible"
    assert plan.schedule is None
    assert any("add up to 1.50 baht: short by 1.50 baht" in r for r in plan.reasons), plan.reasons


def test_cbc_gives_the_same_optimum(write_scenario):
    plan = selector.solve(selector.load(write_scenario(FOUR, FOUR_TOML)), solver="cbc")
    assert plan.status == "optimal"
    assert plan.objective == pytest.approx(6.625)
    assert plan.solver == "cbc"


def test_model_row_names_are_ascii_for_thai_ids(write_scenario):
    """Thai unit ids become positional ASCII names in the model."""
    csv_text = FOUR.replace("A,", "ก,", 1)
    sc = selector.load(write_scenario(csv_text, FOUR_TOML))
    model = selector.build_model(sc)
    names = [c for c in model.prob._constraints] + [v.name for v in model.prob.variables()]
    assert all(n.isascii() for n in names)
    assert selector.solve(sc).objective == pytest.approx(6.625)
