"""Costs over fiscal years (docs/costs.md): a profile, a category ceiling and running costs each
change a tiny plan in a way worked out by hand; the model is exact against brute force with all
three on; `selector check` catches a schedule that breaks each.

Every scenario scores with one criterion each: pilot suitability P = (success - 1) / 4 and rollout
priority R = (importance - 1) / 4, three fiscal years 2555-2557 and one pilot. A unit upgraded in
year y is worth R (L - y + 1), i.e. 3R, 2R or R; the pilot is worth lambda P more, lambda = 3.

The three units are A (R = 0.5, P = 1), B (R = 1, P = 0) and C (R = 0.25, P = 0), each costing
10 baht. A is the pilot in every plan below (A as pilot is worth 1.5 + 3 = 4.5, B only 3).
"""

from __future__ import annotations

import itertools
import textwrap

import pytest
from click.testing import CliRunner
from hypothesis import given
from hypothesis import settings as hyp_settings
from hypothesis import strategies as st

import selector
from selector.check import check_schedule
from selector.cli import main
from selector.outputs.files import write_schedule_csv
from tests.model.test_rules import solve, years_of

HEAD = "unit_id,name,region,cost,infrastructure,staff,leadership,importance,workload,success,risk"
ABC = {"A": (3, 5), "B": (5, 1), "C": (2, 1)}  # importance, success


def units(extra_head: str = "", **extra: str) -> str:
    lines = [HEAD + extra_head]
    for uid, (imp, succ) in ABC.items():
        lines.append(f"{uid},unit {uid},North,10,3,3,3,{imp},3,{succ},3" + extra.get(uid, ""))
    return "\n".join(lines) + "\n"


def toml(budget: tuple[int, int, int], rules: str = "") -> str:
    return textwrap.dedent(f"""\
        [horizon]
        first_year = 2555
        last_year = 2557
        [budget]
        2555 = {budget[0]}
        2556 = {budget[1]}
        2557 = {budget[2]}
        [pilots]
        min = 1
        max = 1
        cover = []
        [weights.pilot]
        success = 1
        [weights.rollout]
        importance = 1
        [solver]
        gap = 0
        """) + textwrap.dedent(rules)


def passes_check(plan, tmp_path) -> list[str]:
    path = tmp_path / "plan-schedule.csv"
    write_schedule_csv(plan, path)
    return check_schedule(plan.scenario, path).violations


def test_without_the_rules_one_unit_a_year(write_scenario, tmp_path):
    """Budgets 10, 15, 10 pay one 10-baht unit a year: A pilots, B (R = 1) takes the better year
    2556 and C 2557: 4.5 + 2 + 0.25 = 6.75."""
    plan = solve(write_scenario, units(), toml((10, 15, 10)))
    assert years_of(plan) == {"A": 2555, "B": 2556, "C": 2557}
    assert plan.objective == pytest.approx(6.75)


def test_a_profile_moves_c_forward(write_scenario, tmp_path):
    """With profile [0.5, 0.5] a unit pays 5 in its start year and 5 the year after, and refused
    spending after FY2557 means nobody may start in 2557. Spending: 2555 = 5 (A), 2556 = 5 (A's
    second half) + 5 per unit started in 2556, 2557 = 5 per unit started in 2556. The 15 of 2556
    pays A's half and two new halves: B and C both start in 2556 (2557 then carries 10 <= 10):
    4.5 + 2 + 0.5 = 7.0. The profile changes the optimum."""
    plan = solve(write_scenario, units(), toml((10, 15, 10), "[costs]\nprofile = [0.5, 0.5]\n"))
    assert years_of(plan) == {"A": 2555, "B": 2556, "C": 2556}
    assert plan.objective == pytest.approx(7.0)
    assert passes_check(plan, tmp_path) == []
    spending = plan.spending
    assert list(spending["carried"]) == [0.0, 5.0, 10.0, 0.0]  # commitments carried into 2556 and 2557
    assert list(spending["total"]) == [5.0, 15.0, 10.0, 0.0]


def test_charge_after_the_horizon(write_scenario, tmp_path):
    """The same profile with after_horizon = "charge" and [budget] after = 5: a unit may start in
    2557 and leave 5 baht after the horizon. Budgets 10, 10, 10: 2555 = 5 (A); 2556 = 5 + 5 n56 <= 10
    so one unit starts in 2556 (B, the better), C starts in 2557 (2557 = 5 + 5 = 10) and leaves
    5 <= 5 after. 4.5 + 2 + 0.25 = 6.75. With after = 4 C cannot start at all: infeasible."""
    rules = '[costs]\nprofile = [0.5, 0.5]\nafter_horizon = "charge"\n'
    plan = solve(write_scenario, units(), toml((10, 10, 10), rules).replace("[pilots]", "after = 5\n[pilots]"))
    assert years_of(plan) == {"A": 2555, "B": 2556, "C": 2557}
    assert list(plan.spending["carried"]) == [0.0, 5.0, 5.0, 5.0]
    assert passes_check(plan, tmp_path) == []
    tight = selector.solve(selector.load(write_scenario(
        units(), toml((10, 10, 10), rules).replace("[pilots]", "after = 4\n[pilots]"), stem="tight")))
    assert tight.status == "infeasible"


def test_a_category_ceiling_moves_c_back(write_scenario, tmp_path):
    """Budgets 10, 20, 10 let B and C both start in 2556 (4.5 + 2 + 0.5 = 7.0). Their investment parts
    are 8 and 3: an investment ceiling of 10 a year takes only one of them in 2556 (8 + 3 = 11 > 10).
    Moving C to 2557 loses 0.25, moving B loses 1: C goes, 6.75."""
    free = solve(write_scenario, units(), toml((10, 20, 10)), stem="free")
    assert years_of(free) == {"A": 2555, "B": 2556, "C": 2556}
    rules = "[budget.investment]\n2555 = 10\n2556 = 10\n2557 = 10\n"
    plan = solve(write_scenario, units(",cost_investment", A=",8", B=",8", C=",3"),
                 toml((10, 20, 10)).replace("[pilots]", rules + "[pilots]"))
    assert years_of(plan) == {"A": 2555, "B": 2556, "C": 2557}
    assert plan.objective == pytest.approx(6.75)
    assert list(plan.spending["investment"]) == [8.0, 8.0, 3.0, 0.0]
    assert passes_check(plan, tmp_path) == []


def test_running_costs_from_the_year_after(write_scenario, tmp_path):
    """Budgets 10, 20, 20: B and C both start in 2556 (7.0). A running cost of 5 a year for A, from
    the year after its upgrade, makes 2556 cost 5 + 20 = 25 > 20: C moves to 2557 (2557 = 5 + 10),
    6.75. Piloting B instead to spare 2556 is worth only 3 + 1 + 0.5 = 4.5. (Were running costs
    charged from the upgrade year, A could not pilot at all: 2555 would cost 15 > 10.)"""
    free = solve(write_scenario, units(), toml((10, 20, 20)), stem="free")
    assert years_of(free) == {"A": 2555, "B": 2556, "C": 2556}
    plan = solve(write_scenario, units(",running_cost", A=",5", B=",", C=","), toml((10, 20, 20)))
    assert years_of(plan) == {"A": 2555, "B": 2556, "C": 2557}
    assert plan.objective == pytest.approx(6.75)
    assert list(plan.spending["running"]) == [0.0, 5.0, 5.0, 0.0]
    assert passes_check(plan, tmp_path) == []


def test_a_pilot_profile_and_a_named_profile(write_scenario, tmp_path):
    """The precedence of docs/costs.md: A's own cost_y0/cost_y1 cells (2 and 8) beat the pilot
    profile [1.0], which beats B's named profile, which beats [costs] profile. Here B follows
    `slow` = [0.2, 0.8] and C the default [0.5, 0.5] (refused after 2557, so C starts by 2556)."""
    rules = "[costs]\nprofile = [0.5, 0.5]\npilot_profile = [1.0]\n[costs.profiles]\nslow = [0.2, 0.8]\n"
    plan = solve(write_scenario, units(",cost_y0,cost_y1,profile", A=",2,8,", B=",,,slow", C=",,,"),
                 toml((10, 15, 15), rules))
    assert years_of(plan) == {"A": 2555, "B": 2556, "C": 2556}
    # 2555: A 2; 2556: A 8 + B 2 + C 5 = 15; 2557: B 8 + C 5 = 13
    assert list(plan.spending["total"]) == [2.0, 15.0, 13.0, 0.0]
    assert passes_check(plan, tmp_path) == []


def test_no_cost_rule_keeps_the_plain_budget_rows(write_scenario):
    """Without any cost column or setting the budget rows are the plain sum_u cost_u x[u,y]."""
    from selector.model.build import build_model

    model = build_model(selector.load(write_scenario(units(), toml((10, 15, 10)))))
    assert model.costs is None
    row = model.prob.get_constraint_by_name("budget_2556")
    assert sorted(v.name for v in row.expr.keys()) == ["x_A_2556", "x_B_2556", "x_C_2556"]
    assert not any(c.name.startswith(("category_", "beyond_")) for c in model.prob.constraints())


# ---------------------------------------------------------------------------------------------
# The checker catches a schedule that breaks each rule


def write_schedule(path, years: dict[str, int]) -> None:
    path.write_text("unit_id,fiscal_year,pilot\n" + "".join(
        f"{u},{y},{'true' if y == 2555 else 'false'}\n" for u, y in years.items()), encoding="utf-8")


@pytest.mark.parametrize("extra_head, extra, rules, budget, years, expected", [
    ("", {}, "[costs]\nprofile = [0.5, 0.5]\n", (10, 10, 10), {"A": 2555, "B": 2556, "C": 2556},
     "FY2556 spends 15 baht, over its budget of 10 (by 5)"),
    ("", {}, "[costs]\nprofile = [0.5, 0.5]\n", (10, 15, 10), {"A": 2555, "B": 2556, "C": 2557},
     "unit C starts in FY2557 but its profile spends 5 baht after FY2557"),
    ("", {}, '[costs]\nprofile = [0.5, 0.5]\nafter_horizon = "charge"\n', (10, 15, 30),
     {"A": 2555, "B": 2557, "C": 2557}, "the profiles spend 10 baht after FY2557, over [budget] after = 5"),
    (",cost_investment", {"A": ",8", "B": ",8", "C": ",3"}, "[budget.investment]\n2555 = 10\n2556 = 10\n2557 = 10\n",
     (10, 20, 10), {"A": 2555, "B": 2556, "C": 2556},
     "FY2556 spends 11 baht of investment, over its ceiling of 10 (by 1) ([budget.investment])"),
    (",running_cost", {"A": ",5", "B": ",", "C": ","}, "", (10, 20, 20), {"A": 2555, "B": 2556, "C": 2556},
     "FY2556 spends 25 baht, over its budget of 20 (by 5)"),
    (",running_cost", {"A": ",5", "B": ",", "C": ","},
     '[costs]\nrunning_category = "operations"\n[budget.operations]\n2555 = 0\n2556 = 4\n2557 = 9\n',
     (10, 30, 30), {"A": 2555, "B": 2556, "C": 2557},
     "FY2556 spends 5 baht of operations, over its ceiling of 4"),
])
def test_check_catches_each_break(write_scenario, tmp_path, extra_head, extra, rules, budget, years, expected):
    text = toml(budget, rules)
    if "charge" in rules:
        text = text.replace("[pilots]", "after = 5\n[pilots]")
    if "[budget." in rules:  # a category table goes after [budget]'s own lines
        head, _, table = rules.partition("[budget.")
        text = toml(budget, head).replace("[pilots]", "[budget." + table + "[pilots]")
    scenario = selector.load(write_scenario(units(extra_head, **extra), text))
    path = tmp_path / "hand.csv"
    write_schedule(path, years)
    violations = check_schedule(scenario, path).violations
    assert any(expected in v for v in violations), violations


# ---------------------------------------------------------------------------------------------
# Property: with a profile, a category and running costs all on, the model is exact


@hyp_settings(max_examples=12, deadline=None, derandomize=True)
@given(
    data=st.lists(st.tuples(st.integers(1, 5), st.integers(1, 5), st.integers(0, 9), st.integers(0, 9),
                            st.integers(0, 3), st.sampled_from(["", "slow", "own"])), min_size=3, max_size=3),
    budget=st.lists(st.integers(4, 24), min_size=3, max_size=3),
    ceiling=st.lists(st.integers(2, 14), min_size=3, max_size=3),
    charge=st.booleans(),
)
def test_the_cost_model_is_exact_against_brute_force(tmp_path_factory, data, budget, ceiling, charge):
    """Enumerate all 3^3 schedules of three units over three years, keep those the independent
    checker accepts, and compare the best objective with the solver's: with a default profile, a
    named one, units' own cost_y cells, an investment category with its own profile and ceilings,
    running costs charged to it, and spending after the horizon refused or charged, the model
    neither misses a feasible plan nor admits an infeasible one."""
    tmp = tmp_path_factory.mktemp("brute-costs")
    lines = [HEAD + ",cost_investment,running_cost,profile,cost_y0,cost_y1"]
    for i, (imp, succ, cost, invest, running, kind) in enumerate(data):
        own = f"{cost - cost // 3},{cost // 3}" if kind == "own" else ","
        lines.append(f"U{i},u{i},North,{cost},3,3,3,{imp},3,{succ},3,{min(invest, cost)},{running},"
                     f"{'slow' if kind == 'slow' else ''},{own}")
    rules = ('[costs]\nprofile = [0.6, 0.4]\nrunning_category = "investment"\n'
             + ('after_horizon = "charge"\n' if charge else "")
             + "[costs.profiles]\nslow = [0.3, 0.3, 0.4]\n")
    text = toml(tuple(budget), rules).replace(
        "[pilots]", ("after = 6\n" if charge else "")
        + f"[budget.investment]\n2555 = {ceiling[0]}\n2556 = {ceiling[1]}\n2557 = {ceiling[2]}\nprofile = [1.0]\n"
        + "[pilots]").replace("min = 1\nmax = 1", "min = 0\nmax = 2")
    (tmp / "b.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    (tmp / "b.toml").write_text(text, encoding="utf-8")
    scenario = selector.load(tmp / "b.csv")
    plan = selector.solve(scenario)
    best = None
    path = tmp / "try.csv"
    for years in itertools.product(range(2555, 2558), repeat=3):
        write_schedule(path, {f"U{i}": y for i, y in enumerate(years)})
        report = check_schedule(scenario, path)
        if report.ok and (best is None or report.objective > best):
            best = report.objective
    if best is None:
        assert plan.status == "infeasible"
    else:
        assert plan.status == "optimal", plan.reasons
        assert plan.objective == pytest.approx(best, abs=1e-6)
        assert passes_check(plan, tmp) == []


def test_minimum_budget_scales_the_categories_with_the_total(write_scenario):
    """The least total budget when the investment ceilings keep their share of it (0.1 of the total in
    each year). Profile 50/50, refused after 2557: the pilot X starts in 2555, the other two in 2556.
    A's running cost of 1 a year (investment) starts the year after A's upgrade. The investment of
    2556 is 0.5 (8 + 8 + 3) = 9.5 plus A's running cost if A is the pilot: piloting B (or C) needs
    9.5 <= 0.1 T, T >= 95; piloting A needs 10.5, T >= 105; the total budget rows need T >= 44 only.
    So T = 95, rounded up per year to 24 + 48 + 24 = 96, where B pilots (3 + A 1 + C 0.5 = 4.5). The
    best plan without money rules pilots A (7.0) and needs T = 105: the frontier ends there, with the
    budgets rounded down per year (26 + 52 + 26 = 104) and the ceilings up (10.5 -> 11)."""
    rules = '[costs]\nprofile = [0.5, 0.5]\nrunning_category = "investment"\n'
    text = toml((10, 20, 10), rules).replace("[pilots]", "[budget.investment]\n2555 = 4\n2556 = 4\n2557 = 4\n[pilots]")
    scenario = selector.load(write_scenario(units(",cost_investment,running_cost", A=",8,1", B=",8,", C=",3,"), text))
    least = selector.minimum_budget(scenario)
    assert least.status == "optimal"
    assert least.budget == {2555: 24, 2556: 48, 2557: 24}
    assert 95 - 1e-6 <= least.lower <= least.total == 96
    table, _ = selector.frontier(scenario, steps=2)
    assert list(table["total_budget"]) == [96.0, 104.0]
    assert list(table["objective"]) == [pytest.approx(4.5), pytest.approx(7.0)]


def test_frontier_holds_the_categories_when_told(write_scenario, tmp_path):
    """Budget 20/30/20 (total 70, shares 2/7, 3/7, 2/7); an investment ceiling of 4/8/4 (shares 4/70,
    8/70, 4/70); A (the pilot, always in 2555) has no investment part, B and C 4 baht each.
    Scaled together (the default): B and C's investment must fit a ceiling share_{c,y} T, in 2557
    (4 <= 4T/70), in 2556 both (8 <= 8T/70) or one there and one in 2557: T >= 70 in every plan, so the
    minimum is the scenario's own 70 (20/30/20), where B and C both start in 2556 (4.5 + 2 + 0.5 = 7.0);
    the frontier is flat at 70. Held at 4/8/4: only the budget rows scale; A alone in 2555 needs
    10 <= 2T/7, T >= 35 (budgets 10/15/10), where one of B and C must wait for 2557: B in 2556, C in 2557,
    6.75. The best plan (B and C in 2556: 20 <= 3T/7, investment 8 <= 8) needs T = 46.67, rounded up to
    47; the last step's budgets are rounded down per year, 13 + 20 + 13 = 46, and still pay it."""
    text = toml((20, 30, 20)).replace("[pilots]", "[budget.investment]\n2555 = 4\n2556 = 8\n2557 = 4\n[pilots]")
    csv_path = write_scenario(units(",cost_investment", A=",0", B=",4", C=",4"), text)
    scenario = selector.load(csv_path)
    scaled, least = selector.frontier(scenario, steps=2)
    assert least.budget == {2555: 20, 2556: 30, 2557: 20}
    assert list(scaled["total_budget"]) == [70.0, 70.0]
    assert list(scaled["objective"]) == [pytest.approx(7.0), pytest.approx(7.0)]
    held, least = selector.frontier(scenario, steps=2, hold_categories=True)
    assert least.budget == {2555: 10, 2556: 15, 2557: 10} and least.status == "optimal"
    assert list(held["total_budget"]) == [35.0, 46.0]
    assert list(held["objective"]) == [pytest.approx(6.75), pytest.approx(7.0)]
    assert list(held["units_by_2556"]) == [2, 3]
    assert selector.minimum_budget(scenario, hold_categories=True).total == 35
    out = tmp_path / "held.csv"
    result = CliRunner().invoke(main, ["frontier", str(csv_path), "--steps", "2", "--hold-categories",
                                       "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert "Least total budget for every unit by FY2557: 35 baht" in result.stdout
    assert [line.split(",")[1] for line in out.read_text(encoding="utf-8-sig").splitlines()[1:]] == ["35", "46"]


def test_held_categories_on_a_dask_cluster_give_the_local_frontier(write_scenario):
    """A worker builds its own model from the scenario, so the held ceilings are the scenario's there too:
    the frontier of the test above (35 -> 46 baht, with T = 41 in the middle), byte for byte."""
    distributed = pytest.importorskip("distributed")
    from selector.outputs.files import frontier_csv_text

    text = toml((20, 30, 20)).replace("[pilots]", "[budget.investment]\n2555 = 4\n2556 = 8\n2557 = 4\n[pilots]")
    scenario = selector.load(write_scenario(units(",cost_investment", A=",0", B=",4", C=",4"), text))
    local, _ = selector.frontier(scenario, steps=3, hold_categories=True)
    with distributed.LocalCluster(n_workers=1, threads_per_worker=1, processes=False,
                                  dashboard_address=None) as cluster, distributed.Client(cluster) as client:
        remote, _ = selector.frontier(scenario, steps=3, hold_categories=True, scheduler=client, chunk_size=2)
    assert list(local["total_budget"]) == [35.0, 39.0, 46.0]  # T = 41 in the middle: 11 + 17 + 11
    assert frontier_csv_text(remote) == frontier_csv_text(local)


def test_held_categories_that_no_budget_can_lift_say_so(write_scenario):
    """The scenario of the minimum-budget test above: held at 4 a year, the investment of 2556 is at least
    0.5 (8 + 3) + 4 = 9.5 whoever pilots (docstring there), so no total budget gives full coverage; the
    error says the ceilings were held (exit 3, no traceback)."""
    rules = '[costs]\nprofile = [0.5, 0.5]\nrunning_category = "investment"\n'
    text = toml((10, 20, 10), rules).replace("[pilots]", "[budget.investment]\n2555 = 4\n2556 = 4\n2557 = 4\n[pilots]")
    csv_path = write_scenario(units(",cost_investment,running_cost", A=",8,1", B=",8,", C=",3,"), text)
    result = CliRunner().invoke(main, ["frontier", str(csv_path), "--steps", "2", "--hold-categories"])
    assert result.exit_code == 3 and "Traceback" not in result.output
    assert "the category ceilings were held at the scenario's own" in result.stderr
    assert not (csv_path.parent / "s-frontier.csv").exists()
