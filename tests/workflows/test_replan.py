"""Re-planning: minimal change against brute force, history kept, failed pilots, stability 0 = fresh solve.

The tiny scenario (``TINY_CSV``): horizon FY2555-2558, one region, one pilot. Only ``importance``
weighs in the rollout priority, so R_u = (importance - 1) / 4: A = 1, B = C = 0, D = E = 0.5,
P1 = 0, W1 = 0.5. The approved baseline (``BASELINE``): P1 pilot in FY2555, W1 in FY2556, A, B, C
in FY2557 (50 + 30 + 30 = 110 = the budget), D, E in FY2558 (20 + 10 of 100).
"""

from __future__ import annotations

import itertools

import pandas as pd
import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import selector
from selector.check import check_replan
from selector.cli import main
from selector.outputs.files import write_schedule_csv
from selector.workflows.replan import move_cost

TINY_CSV = """\
unit_id,name,region,cost,infrastructure,staff,leadership,importance,workload,success,risk
P1,Pilot one,North,10,5,5,5,1,3,5,1
W1,Wave one,North,10,3,3,3,3,3,3,3
A,Big and important,North,50,3,3,3,5,3,3,3
B,Small one,North,30,3,3,3,1,3,3,3
C,Small two,North,30,3,3,3,1,3,3,3
D,Later one,North,20,3,3,3,3,3,3,3
E,Later two,North,10,3,3,3,3,3,3,3
"""

TINY_TOML = """\
[horizon]
first_year = 2555
last_year = 2558

[budget]
2555 = 10
2556 = 10
2557 = 110
2558 = 100

[pilots]
min = 1
max = 1

[weights.rollout]
importance = 1
"""

BASELINE = {"P1": 2555, "W1": 2556, "A": 2557, "B": 2557, "C": 2557, "D": 2558, "E": 2558}
ROLLOUT = {"P1": 0.0, "W1": 0.5, "A": 1.0, "B": 0.0, "C": 0.0, "D": 0.5, "E": 0.5}
COST = {"P1": 10, "W1": 10, "A": 50, "B": 30, "C": 30, "D": 20, "E": 10}
LAST = 2558


def with_column(csv_text: str, column: str, values: dict[str, str]) -> str:
    """The CSV with one more column: values by unit_id, empty for the other units."""
    header, *rows = csv_text.splitlines()
    return "\n".join([f"{header},{column}"] + [f"{r},{values.get(r.split(',')[0], '')}" for r in rows]) + "\n"


def baseline_frame(years=BASELINE) -> pd.DataFrame:
    return pd.DataFrame({"unit_id": list(years), "fiscal_year": list(years.values()),
                         "pilot": [y == 2555 for y in years.values()]})


@pytest.fixture
def tiny(write_scenario, tmp_path):
    csv_path = write_scenario(TINY_CSV, TINY_TOML)
    baseline_path = tmp_path / "approved.csv"
    baseline_frame().to_csv(baseline_path, index=False)
    return csv_path, baseline_path


def brute_force(remaining, budget_2557, stability=1000.0, later_factor=1.0):
    """Enumerate every assignment of the remaining units to FY2557-2558 within the budgets.

    Returns (fewest units moved, best value of sum_u R_u (L - y + 1) - w sum_u c_u(y)) over the
    feasible assignments, or (None, None) when none is feasible.
    """
    budgets = {2557: budget_2557, 2558: 100}
    fewest = best = None
    for years in itertools.product((2557, 2558), repeat=len(remaining)):
        plan = dict(zip(remaining, years))
        if any(sum(COST[u] for u, y in plan.items() if y == fy) > budgets[fy] for fy in budgets):
            continue
        moved = sum(plan[u] != BASELINE[u] for u in remaining)
        value = sum(ROLLOUT[u] * (LAST - y + 1) - stability * move_cost(BASELINE[u], y, later_factor)
                    for u, y in plan.items())
        fewest = moved if fewest is None else min(fewest, moved)
        best = value if best is None else max(best, value)
    return fewest, best


def freeze_before(baseline_years, from_year):
    """An ``extra`` hook fixing the years before ``from_year`` as in the baseline, written directly on x."""

    def freeze(m):
        for (uid, year), var in m.x.items():
            if baseline_years[uid] < from_year:
                m.prob.addConstraint(var == (1 if year == baseline_years[uid] else 0), f"frozen_{m.names[uid]}_{year}")
            elif year < from_year:
                m.prob.addConstraint(var == 0, f"frozen_{m.names[uid]}_{year}")

    return freeze


def value_of(result, remaining, stability, later_factor):
    year = dict(zip(result.schedule["unit_id"], result.schedule["fiscal_year"]))
    return sum(ROLLOUT[u] * (LAST - int(year[u]) + 1) - stability * move_cost(BASELINE[u], int(year[u]), later_factor)
               for u in remaining)


# FY2557 cut to 90: moving B or C (30) frees enough: 1 move. To 60: moving A alone (50): 1 move.
# To 40: FY2557 must still hold 40 of the 140 (FY2558 holds 100), so {B, E} or {C, E}: A and C (or B)
# later, E earlier: 3 moves. To 110: nothing moves.
@pytest.mark.parametrize("cut, fewest_by_hand", [(110, 0), (90, 1), (60, 1), (40, 3)])
def test_budget_cut_moves_the_fewest_units_possible(tiny, cut, fewest_by_hand):
    csv_path, baseline_path = tiny
    remaining = ["A", "B", "C", "D", "E"]
    fewest, best = brute_force(remaining, cut)
    assert fewest == fewest_by_hand
    result = selector.replan(selector.load(csv_path), baseline_path, None, 2557, stability=1000, later_factor=1,
                             budget={2557: cut})
    assert result.status == "optimal"
    assert len(result.moves) == fewest
    assert result.penalty == fewest  # every move is one year, at weight 1
    assert value_of(result, remaining, 1000, 1) == pytest.approx(best)


@settings(max_examples=30, derandomize=True, deadline=None)
@given(costs=st.lists(st.integers(min_value=1, max_value=40), min_size=5, max_size=5),
       importance=st.lists(st.integers(min_value=1, max_value=5), min_size=5, max_size=5),
       later=st.lists(st.booleans(), min_size=5, max_size=5), cut=st.floats(min_value=0.3, max_value=1.0),
       room=st.integers(min_value=0, max_value=80))
def test_fewest_moves_against_brute_force_on_random_scenarios(tmp_path_factory, costs, importance, later, cut, room):
    """Random costs, priorities and baseline years for five units of FY2557-2558 (budgets = the baseline's
    spending, so the baseline fits), FY2557 cut to a fraction: with a large stability the re-plan moves
    exactly as few units as the best of the 32 assignments, and has the best penalised value (or is
    infeasible exactly when no assignment fits)."""
    names = ["U1", "U2", "U3", "U4", "U5"]
    base = {u: 2558 if flag else 2557 for u, flag in zip(names, later)}
    spend = {y: sum(c for u, c in zip(names, costs) if base[u] == y) for y in (2557, 2558)}
    budget = {2557: round(spend[2557] * cut), 2558: spend[2558] + room}
    lines = [TINY_CSV.splitlines()[0], TINY_CSV.splitlines()[1]]
    lines += [f"{u},Unit {u},North,{c},3,3,3,{i},3,3,3" for u, c, i in zip(names, costs, importance)]
    folder = tmp_path_factory.mktemp("random")
    csv_path = folder / "r.csv"
    csv_path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    (folder / "r.toml").write_text(TINY_TOML.replace("2556 = 10", "2556 = 0").replace("2557 = 110", f"2557 = {budget[2557]}")
                                   .replace("2558 = 100", f"2558 = {budget[2558]}"), encoding="utf-8")
    fewest = best = None
    for years in itertools.product((2557, 2558), repeat=5):
        if any(sum(c for c, y in zip(costs, years) if y == fy) > budget[fy] for fy in budget):
            continue
        moved = sum(y != base[u] for u, y in zip(names, years))
        value = sum((i - 1) / 4 * (LAST - y + 1) for i, y in zip(importance, years)) - 1000 * moved
        fewest = moved if fewest is None else min(fewest, moved)
        best = value if best is None else max(best, value)
    baseline = pd.DataFrame({"unit_id": ["P1"] + names, "fiscal_year": [2555] + list(base.values())})
    result = selector.replan(selector.load(csv_path), baseline, None, 2557, stability=1000, later_factor=1)
    if fewest is None:
        assert result.status == "infeasible"
        return
    assert len(result.moves) == fewest
    assert result.plan.objective - result.objective + 1000 * result.penalty == pytest.approx(0, abs=1e-9)
    year = dict(zip(result.schedule["unit_id"], result.schedule["fiscal_year"]))
    value = sum((i - 1) / 4 * (LAST - int(year[u]) + 1) for u, i in zip(names, importance)) - 1000 * result.penalty
    assert value == pytest.approx(best, abs=1e-6)


@pytest.mark.parametrize("stability, later_factor", [(0.0, 1.0), (1.0, 2.0), (0.3, 3.0)])
def test_replan_is_the_best_penalised_plan(tiny, stability, later_factor):
    """Whatever the weights, the re-plan's value is the brute-force best (FY2557 cut to 60)."""
    csv_path, baseline_path = tiny
    remaining = ["A", "B", "C", "D", "E"]
    _, best = brute_force(remaining, 60, stability, later_factor)
    result = selector.replan(selector.load(csv_path), baseline_path, None, 2557, stability, later_factor,
                             budget={2557: 60})
    assert value_of(result, remaining, stability, later_factor) == pytest.approx(best)


def test_stability_trades_priority_for_fewer_moves(tiny):
    """FY2557 cut to 60. Without stability the best plan keeps A and E (R 1 + 0.5) in FY2557 and moves
    B, C later and E earlier (3 moves); with stability the fewest moves win: A alone goes to FY2558."""
    csv_path, baseline_path = tiny
    sc = selector.load(csv_path)
    free = selector.replan(sc, baseline_path, None, 2557, stability=0, budget={2557: 60})
    assert sorted(free.moves["unit_id"]) == ["B", "C", "E"]
    stable = selector.replan(sc, baseline_path, None, 2557, budget={2557: 60})  # defaults: 1, later x2
    assert list(stable.moves["unit_id"]) == ["A"]
    assert stable.moves.iloc[0][["baseline_year", "new_year", "years_moved", "reason"]].tolist() == [2557, 2558, 1, "budget cut"]
    assert stable.penalty == 2.0  # one year later, x2


def test_a_cut_no_plan_can_absorb_is_reported_not_solved(tiny):
    """FY2557 cut to 30: the remaining units cost 140 but FY2557-2558 have 130."""
    csv_path, baseline_path = tiny
    result = selector.replan(selector.load(csv_path), baseline_path, None, 2557, budget={2557: 30})
    assert result.status == "infeasible" and result.schedule is None
    assert "short by 10 baht" in result.reasons[0]


def test_stability_zero_equals_a_fresh_solve_with_the_frozen_years_fixed(tiny):
    csv_path, baseline_path = tiny
    cut = selector.load(csv_path, budget={2557: 60})

    fresh = selector.solve(cut, extra=freeze_before(BASELINE, 2557))
    result = selector.replan(selector.load(csv_path), baseline_path, None, 2557, stability=0, budget={2557: 60})
    assert fresh.status == result.status == "optimal"
    assert result.objective == pytest.approx(fresh.objective, abs=1e-9)
    assert result.plan.objective == pytest.approx(result.objective)  # no penalty at weight 0


def test_a_failed_pilot_is_rescheduled_later_and_done_units_stay(tiny, tmp_path):
    """P1 failed its evaluation; with success revised to 2 it goes back to the pool. The pilot year
    is over, so the pilot rules (exactly one pilot) no longer apply: P1 is upgraded again in FY2557
    or FY2558 and is no longer a pilot; W1 (done) keeps FY2556."""
    csv_path, baseline_path = tiny
    progress = tmp_path / "progress.csv"
    progress.write_text("unit_id,state,success\nP1,failed,2\nW1,done,\n", encoding="utf-8")
    result = selector.replan(selector.load(csv_path), baseline_path, progress, 2557)
    assert result.status == "optimal"
    row = result.schedule.set_index("unit_id").loc["P1"]
    assert int(row["fiscal_year"]) >= 2557 and not row["pilot"]
    assert result.schedule.set_index("unit_id").loc["W1", "fiscal_year"] == 2556
    moves = result.moves.set_index("unit_id")
    assert moves.loc["P1", "reason"] == "failed pilot"
    # the revised score is used: 0.25 infrastructure + 0.15 staff + 0.15 leadership + 0.25 (2-1)/4 success + 0.20 risk
    assert row["pilot_score"] == pytest.approx(0.8125)
    out = tmp_path / "replan.csv"
    write_schedule_csv(result.plan, out)
    assert check_replan(selector.load(csv_path), out, baseline_path, progress, 2557).ok


def test_new_deferred_and_removed_units(write_scenario, tmp_path):
    """F is new (not in the baseline); Z was in the baseline but left the scenario; B is deferred from
    FY2557, so it must come later: FY2558 (costs 30; FY2558 holds D, E, F = 40 of 100)."""
    csv_path = write_scenario(TINY_CSV + "F,New branch,North,10,3,3,3,3,3,3,3\n", TINY_TOML)
    baseline = baseline_frame({**BASELINE, "Z": 2558}).assign(name=lambda f: f["unit_id"].map({"Z": "Closed office"}))
    progress = pd.DataFrame({"unit_id": ["B"], "state": ["deferred"]})
    result = selector.replan(selector.load(csv_path), baseline, progress, 2557)
    moves = result.moves.set_index("unit_id")
    assert moves.loc["F", "reason"] == "new unit" and moves.loc["F", "new_year"] >= 2557
    assert moves.loc["Z", "reason"] == "removed" and pd.isna(moves.loc["Z", "new_year"])
    assert moves.loc["Z", "name"] == "Closed office"  # named from the baseline: the scenario no longer has it
    assert moves.loc["B", "reason"] == "deferred" and moves.loc["B", "new_year"] == 2558
    assert result.removed == ("Z",)


def test_a_solved_plan_is_a_baseline_as_it_is(tiny):
    """The schedule DataFrame of ``selector.solve`` serves as the baseline; with everything as planned
    and nothing changed, nothing moves and the objective is the plan's."""
    csv_path, _ = tiny
    scenario = selector.load(csv_path)
    plan = selector.solve(scenario)
    result = selector.replan(scenario, plan.schedule, None, 2557)
    assert result.moves.empty and result.penalty == 0
    assert result.objective == pytest.approx(plan.objective)


def test_a_unit_done_early_leaves_the_plan_and_frees_its_money(write_scenario, tmp_path):
    """A (FY2557, cost 50) is marked done in the scenario: FY2557 then holds B and C (60) within a cut
    to 60, so nothing else moves; A is listed as done early."""
    csv_path = write_scenario(with_column(TINY_CSV, "done", {"A": "true"}), TINY_TOML)
    scenario = selector.load(csv_path)
    assert list(scenario.units.loc[scenario.units["done"], "unit_id"]) == ["A"]
    result = selector.replan(scenario, baseline_frame(), None, 2557, budget={2557: 60})
    assert result.moves[["unit_id", "reason"]].values.tolist() == [["A", "done early"]]


def test_replan_from_the_pilot_year_keeps_the_pilot_rules(tiny):
    """From FY2555 nothing is frozen and the pilot rules stand; the baseline is feasible, so with
    stability nothing moves."""
    csv_path, baseline_path = tiny
    result = selector.replan(selector.load(csv_path), baseline_path, None, 2555, stability=1000)
    assert result.status == "optimal" and result.moves.empty
    assert list(result.schedule.loc[result.schedule["pilot"], "unit_id"]) == ["P1"]


@settings(max_examples=25, derandomize=True, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(states=st.lists(st.sampled_from(["done", "in_progress", "failed", "deferred", None]), min_size=3, max_size=3),
       cut=st.integers(min_value=40, max_value=120), stability=st.sampled_from([0.0, 1.0, 1000.0]))
def test_history_is_kept_whatever_the_progress(tiny, tmp_path, states, cut, stability):
    """Done and in-progress units never move; failed and deferred ones come back in FY2557 or later;
    the independent check accepts every re-plan."""
    csv_path, baseline_path = tiny
    listed = {u: s for u, s in zip(["P1", "W1", "A"], states) if s is not None}
    if listed.get("A") in ("done", "failed"):
        listed.pop("A")  # A is planned for FY2557 itself: it can be neither done nor failed yet
    progress = pd.DataFrame({"unit_id": list(listed), "state": list(listed.values())})
    result = selector.replan(selector.load(csv_path), baseline_path, progress, 2557, stability, budget={2557: cut})
    if result.status == "infeasible":
        return
    year = {u: int(y) for u, y in zip(result.schedule["unit_id"], result.schedule["fiscal_year"])}
    for uid in ("P1", "W1", "A"):
        state = listed.get(uid)
        if state in ("done", "in_progress") or (state is None and BASELINE[uid] < 2557):
            assert year[uid] == BASELINE[uid]
        elif state in ("failed", "deferred"):
            assert year[uid] >= 2557 and (BASELINE[uid] < 2557 or year[uid] > BASELINE[uid])
    out = tmp_path / "replan.csv"
    write_schedule_csv(result.plan, out)
    scenario = selector.load(csv_path, budget={2557: cut})
    assert check_replan(scenario, out, baseline_path, progress, 2557).ok


def test_check_catches_a_moved_done_unit_and_a_unit_put_in_a_frozen_year(tiny, tmp_path):
    csv_path, baseline_path = tiny
    progress = tmp_path / "progress.csv"
    progress.write_text("unit_id,state\nW1,done\n", encoding="utf-8")
    bad = tmp_path / "bad.csv"
    # W1 (done in FY2556) moved to FY2558, D moved into the frozen FY2556
    baseline_frame({**BASELINE, "W1": 2558, "D": 2556}).to_csv(bad, index=False)
    report = check_replan(selector.load(csv_path), bad, baseline_path, progress, 2557)
    text = "\n".join(report.violations)
    assert "unit W1 happened in FY2556 (done)" in text
    assert "unit D is upgraded in FY2556, a frozen year" in text


# --- the command line --------------------------------------------------------------------------


def test_cli_replan_writes_the_schedule_and_lists_the_moves(tiny, tmp_path):
    csv_path, baseline_path = tiny
    out = tmp_path / "new.csv"
    moves = tmp_path / "moves.csv"
    result = CliRunner().invoke(main, ["replan", str(csv_path), "--baseline", str(baseline_path), "--from", "2557",
                                       "--budget", "2557=60", "--out", str(out), "--moves", str(moves)])
    assert result.exit_code == 0, result.output
    assert "1 unit(s) moved: 1 budget cut" in result.stdout
    assert "A" in result.stdout.split("reason")[1]
    assert out.read_bytes().startswith(b"\xef\xbb\xbf")
    assert moves.read_text(encoding="utf-8-sig").splitlines()[1] == "A,Big and important,2557,2558,1,budget cut"
    checked = CliRunner().invoke(main, ["check", str(csv_path), str(out), "--baseline", str(baseline_path),
                                        "--from", "2557", "--budget", "2557=60"])
    assert checked.exit_code == 0, checked.output


@pytest.mark.parametrize("lang", ["en", "th"])
def test_cli_replan_workbook_and_report_carry_the_moves_and_the_command_that_reproduces_them(tiny, tmp_path, lang):
    """The workbook of a re-plan lists the planner's rules (one pilot, not the internal scenario's 0 to 7
    pilots that freeze the past), the baseline with its SHA-256, the moves on a sheet of their own, and
    a command that, run as it is (from the scenario's folder), writes the same schedule."""
    import hashlib
    import os
    import shlex

    import openpyxl

    from selector.outputs.words import TEXT

    t = TEXT[lang]
    csv_path, baseline_path = tiny
    baseline_copy = csv_path.parent / "approved" / "plan 2556.csv"  # another folder, a space in the name
    baseline_copy.parent.mkdir()
    baseline_copy.write_bytes(baseline_path.read_bytes())
    out, xlsx, report = tmp_path / "new.csv", tmp_path / "new.xlsx", tmp_path / "new.html"
    result = CliRunner().invoke(main, ["replan", str(csv_path), "--baseline", str(baseline_copy), "--from", "2557",
                                       "--budget", "2557=60", "--out", str(out), "--xlsx", str(xlsx),
                                       "--report", str(report), "--lang", lang, "-q"])
    assert result.exit_code == 0, result.output
    book = openpyxl.load_workbook(xlsx)
    assert book.sheetnames[-2:] == [t["sheet_moves"], t["sheet_assumptions"]]
    moves = list(book[t["sheet_moves"]].iter_rows(values_only=True))
    assert moves[1] == ("A", "Big and important", 2557, 2558, 1, t["reason_budget cut"]) and len(moves) == 2
    facts = dict(book[t["sheet_assumptions"]].iter_rows(min_row=2, values_only=True))
    assert facts[t["a_pilots_min"]] == 1 and facts[t["a_pilots_max"]] == 1
    assert facts[t["a_budget"].format(year=2557)] == 60
    assert facts[t["a_replan_from"]] == 2557 and facts[t["a_moves_count"]] == 1
    assert facts[t["a_baseline_sha"]] == hashlib.sha256(baseline_copy.read_bytes()).hexdigest()
    assert facts[t["a_progress"]] == t["a_no_progress"]
    command = facts[t["a_reproduce"]]
    assert command.startswith("selector replan s.csv --baseline 'approved/plan 2556.csv' --from 2557 "
                               "--settings s.toml --budget 2557=60")
    html = report.read_text(encoding="utf-8")
    assert t["h_moves"] in html and t["reason_budget cut"] in html
    again = tmp_path / "again.csv"
    here = os.getcwd()
    os.chdir(csv_path.parent)
    try:
        rerun = CliRunner().invoke(main, shlex.split(command)[1:] + ["--out", str(again), "-q"])
    finally:
        os.chdir(here)
    assert rerun.exit_code == 0, rerun.output
    assert again.read_bytes() == out.read_bytes()


def test_cli_replan_infeasible_and_bad_input_write_nothing(tiny, tmp_path):
    csv_path, baseline_path = tiny
    out = tmp_path / "new.csv"
    args = ["replan", str(csv_path), "--baseline", str(baseline_path), "--out", str(out)]
    infeasible = CliRunner().invoke(main, args + ["--from", "2557", "--budget", "2557=30"])
    assert infeasible.exit_code == 3 and "short by 10 baht" in infeasible.stderr
    past = CliRunner().invoke(main, args + ["--from", "2557", "--budget", "2556=5"])
    assert past.exit_code == 2 and "FY2556 is before the re-plan year FY2557" in past.stderr
    assert not out.exists()


def test_cli_replan_help_has_an_example():
    result = CliRunner().invoke(main, ["replan", "--help"])
    assert result.exit_code == 0 and "Example" in result.stdout and "--progress" in result.stdout


# --- the worked example of docs/replanning.md on the default scenario ---------------------------------------


@pytest.fixture(scope="module")
def default_baseline(tmp_path_factory):
    from tests.conftest import DEFAULT_CSV

    plan = selector.solve(selector.load(DEFAULT_CSV))
    path = tmp_path_factory.mktemp("dlt") / "dlt-offices-schedule.csv"
    write_schedule_csv(plan, path)
    return path


def test_readme_worked_example(default_baseline, tmp_path):
    """docs/replanning.md's worked example: FY2555-2556 done as planned, FY2557 cut by 25% (149,000,000 -> 111,750,000)
    with the cut carried into FY2558 (161,500,000 -> 198,750,000): ten FY2557 offices move to FY2558."""
    from tests.conftest import DEFAULT_CSV

    progress = DEFAULT_CSV.with_name("dlt-offices-progress-2557.csv")
    budget = {2557: 111_750_000, 2558: 198_750_000}
    result = selector.replan(selector.load(DEFAULT_CSV), default_baseline, progress, 2557, budget=budget)
    assert result.status == "optimal"
    assert len(result.moves) == 10 and set(result.moves["reason"]) == {"budget cut"}
    assert set(zip(result.moves["baseline_year"], result.moves["new_year"])) == {(2557, 2558)}
    assert "DLT-00101" in set(result.moves["unit_id"])
    out = tmp_path / "replan.csv"
    write_schedule_csv(result.plan, out)
    assert check_replan(selector.load(DEFAULT_CSV, budget=budget), out, default_baseline, progress, 2557).ok


def test_default_scenario_stability_zero_equals_fresh_solve(default_baseline):
    from tests.conftest import DEFAULT_CSV

    budget = {2557: 111_750_000, 2558: 198_750_000}
    base = pd.read_csv(default_baseline, encoding="utf-8-sig")
    frozen = dict(zip(base["unit_id"], base["fiscal_year"]))

    fresh = selector.solve(selector.load(DEFAULT_CSV, budget=budget), extra=freeze_before(frozen, 2557), gap=0)
    result = selector.replan(selector.load(DEFAULT_CSV), default_baseline, None, 2557, stability=0, budget=budget, gap=0)
    assert fresh.status == result.status == "optimal"
    assert result.objective == pytest.approx(fresh.objective, abs=1e-6)
