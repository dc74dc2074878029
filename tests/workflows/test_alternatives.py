"""Alternatives: the K best distinct plans, against hand-worked answers and brute-force enumeration."""

from __future__ import annotations

import itertools
import textwrap

import numpy as np
import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

import selector
from selector.check import CHECKS, schedule_facts
from selector.cli import main
from selector.errors import InfeasibleError, ScenarioError
from selector.model.scoring import score_units
from selector.workflows.alternatives import alternatives
from tests.conftest import examples

HEADER = "unit_id,name,region,cost,infrastructure,staff,leadership,importance,workload,success,risk"

# Four units of 10 baht; FY2555 pays one (the single pilot), FY2556 the other three. Only success
# counts for the pilots (P_u = (success - 1) / 4) and only importance for the rollout
# (R_u = (importance - 1) / 4); lambda = emphasis 1 x 2 years = 2. Every unit upgraded in FY2556 is
# worth R_u x 1, so the plan with pilot u is worth sum R + R_u + 2 P_u = 1.5 + gain_u:
#   A (R 1, P 1): 4.5    B (R 0, P 1): 3.5    C (R 0.5, P 0.5): 3.0    D (R 0, P 0): 1.5
FOUR = f"""\
{HEADER}
A,a,R,10,3,3,3,5,3,5,3
B,b,R,10,3,3,3,1,3,5,3
C,c,R,10,3,3,3,3,3,3,3
D,d,R,10,3,3,3,1,3,1,3
"""
FOUR_TOML = """\
[horizon]
first_year = 2555
last_year = 2556
[budget]
2555 = 10
2556 = 30
[pilots]
min = 1
max = 1
[weights.pilot]
success = 1
[weights.rollout]
importance = 1
"""


@pytest.fixture
def four(write_scenario):
    return selector.load(write_scenario(FOUR, FOUR_TOML))


def _pilots(plan) -> str:
    return " ".join(plan.pilots["unit_id"])


def test_four_plans_in_order_then_proven_none(four):
    """Every pilot set is a plan (one pilot, four units): within 99% all four come, best first, and
    the fifth search is infeasible: proven, so ``exhausted`` is True."""
    alt = alternatives(four, count=5, within=0.99, gap=1e-9)
    assert [_pilots(p) for p in alt.plans] == ["A", "B", "C", "D"]
    assert [p.objective for p in alt.plans] == pytest.approx([4.5, 3.5, 3.0, 1.5])
    assert list(alt.table["loss"]) == pytest.approx([0.0, 1.0, 1.5, 3.0])
    assert list(alt.table["distance"][1:]) == [2, 2, 2]  # one pilot swapped: two units change status
    assert alt.exhausted is True and "proven" in alt.conclusion()
    assert alt.pilot_in("C") == ["plan 3"]


def test_within_cuts_the_list_with_proof(four):
    """Within 25% of 4.5 means objective >= 3.375: A (4.5) and B (3.5) qualify, C (3.0) does not."""
    alt = alternatives(four, count=5, within=0.25, gap=1e-9)
    assert [_pilots(p) for p in alt.plans] == ["A", "B"]
    assert alt.threshold == pytest.approx(3.375)
    assert alt.exhausted is True


def test_count_reached_first_is_not_called_exhausted(four):
    alt = alternatives(four, count=2, within=0.99, gap=1e-9)
    assert [_pilots(p) for p in alt.plans] == ["A", "B"]
    assert alt.exhausted is False and "there may be more" in alt.conclusion()


def test_schedule_focus_counts_units_whose_year_differs(four):
    """Swapping the pilot moves two units (one to FY2555, one to FY2556): every two plans are at
    schedule distance 2, so with --differ 3 no second plan exists, and that is proven."""
    two = alternatives(four, count=3, within=0.99, differ=2, focus="schedule", gap=1e-9)
    assert [_pilots(p) for p in two.plans] == ["A", "B", "C"]
    three = alternatives(four, count=3, within=0.99, differ=3, focus="schedule", gap=1e-9)
    assert [_pilots(p) for p in three.plans] == ["A"] and three.exhausted is True


def test_bad_arguments_are_all_reported_together(four):
    with pytest.raises(ScenarioError) as info:
        alternatives(four, count=0, within=1.5, differ=0, focus="years", solver="cbc")
    assert sorted(p.file for p in info.value.problems) == ["--count", "--differ", "--focus", "--solver", "--within"]


# ---------------------------------------------------------------------------------------------
# Brute force: every plan of a tiny scenario, checked by the independent verifier


def _all_plans(scenario):
    """Every schedule of the units (each in a year of its window; pilots = the first year's units)
    that ``selector.check``'s rules accept, with its objective computed from the scores."""
    s = scenario.settings
    units = scenario.units
    scores = score_units(units, s)
    first, last = s.first_year, s.last_year
    lam = s.pilot_emphasis * len(s.years)
    ids = list(units["unit_id"])
    plans = []
    for years in itertools.product(s.years, repeat=len(ids)):
        rows = [{"unit_id": u, "fiscal_year": str(y), "pilot": "true" if y == first else "false"}
                for u, y in zip(ids, years)]
        facts, bad = schedule_facts(scenario, rows)
        if bad or any(check(facts) for _, check in CHECKS):
            continue
        value = sum(scores.at[u, "rollout_score"] * (last - y + 1) + (lam * scores.at[u, "pilot_score"] if y == first else 0)
                    for u, y in zip(ids, years))
        plans.append((value, dict(zip(ids, years))))
    return plans


def _distance(a: dict, b: dict, focus: str, first: int) -> int:
    if focus == "pilots":
        return sum((a[u] == first) != (b[u] == first) for u in a)
    return sum(a[u] != b[u] for u in a)


def _year_map(plan) -> dict:
    return {u: int(y) for u, y in zip(plan.schedule["unit_id"], plan.schedule["fiscal_year"])}


def random_case(seed: int):
    """A random tiny scenario (3-5 units, FY2555-2557, costs 10-30, criteria 1-5, one or two regions,
    budgets that often but not always fit) and the alternatives' arguments, from one seed."""
    rng = np.random.default_rng(seed)
    n = int(rng.integers(3, 6))
    rows = [HEADER] + [f"U{i},u{i},{'NS'[int(rng.integers(2))]},{int(rng.integers(1, 4)) * 10},"
                       + ",".join(str(int(v)) for v in rng.integers(1, 6, 7)) for i in range(n)]
    budgets = [int(rng.integers(2, 6)) * 10] + [int(rng.integers(4, 11)) * 10 for _ in range(2)]
    low = int(rng.integers(1, 3))
    toml = textwrap.dedent(f"""\
        [horizon]
        first_year = 2555
        last_year = 2557
        [budget]
        2555 = {budgets[0]}
        2556 = {budgets[1]}
        2557 = {budgets[2]}
        [pilots]
        min = {low}
        max = {low + int(rng.integers(0, 2))}
        """) + ('cover = ["region"]\n' if rng.random() < 0.5 else "")
    arguments = {"count": int(rng.integers(2, 7)), "within": float(rng.choice([0.05, 0.2, 0.5, 0.9])),
                 "differ": int(rng.integers(1, 4)), "focus": str(rng.choice(["pilots", "schedule"]))}
    return "\n".join(rows) + "\n", toml, arguments


@settings(max_examples=examples(25), deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(seed=st.integers(0, 2**32 - 1))
def test_alternatives_are_the_k_best_distinct_plans_of_the_enumeration(write_scenario, tmp_path, seed):
    """Each plan k is the best enumerated plan at distance >= differ from plans 1..k-1 (its objective
    equals that maximum, and it is >= the threshold); with differ = 1 and the pilot focus this is the
    k-th best distinct pilot set. "Exhausted" is claimed exactly when the enumeration has no plan
    left within the threshold, and every plan passes ``selector check``."""
    csv_text, toml, arguments = random_case(seed)
    count, within, differ, focus = (arguments[k] for k in ("count", "within", "differ", "focus"))
    scenario = selector.load(write_scenario(csv_text, toml))
    enumerated = _all_plans(scenario)
    event(f"{len(enumerated)} plans" if len(enumerated) < 3 else "3+ plans")
    if not enumerated:
        with pytest.raises(InfeasibleError):
            alternatives(scenario, count=count, within=within, differ=differ, focus=focus, gap=1e-9)
        return
    alt = alternatives(scenario, count=count, within=within, differ=differ, focus=focus, gap=1e-9)
    first = scenario.settings.first_year
    best = max(v for v, _ in enumerated)
    assert alt.plans[0].objective == pytest.approx(best, abs=1e-7)
    chosen = []
    for k, plan in enumerate(alt.plans):
        year_of = _year_map(plan)
        assert all(_distance(year_of, earlier, focus, first) >= differ for earlier in chosen)
        remaining = [v for v, p in enumerated
                     if all(_distance(p, earlier, focus, first) >= differ for earlier in chosen)]
        assert plan.objective == pytest.approx(max(remaining), abs=1e-7)
        assert plan.objective >= alt.threshold - 1e-7
        path = tmp_path / f"plan-{k}.csv"
        path.write_text(selector_schedule_text(plan), encoding="utf-8-sig")
        assert selector.check_schedule(scenario, path).ok
        chosen.append(year_of)
    left = [v for v, p in enumerated if v >= alt.threshold - 1e-7
            and all(_distance(p, earlier, focus, first) >= differ for earlier in chosen)]
    event(f"found {len(alt.plans)}, exhausted {alt.exhausted}")
    if alt.exhausted:
        assert not left
    else:
        assert alt.exhausted is False and len(alt.plans) == count


def selector_schedule_text(plan) -> str:
    from selector.outputs.files import schedule_csv_text

    return schedule_csv_text(plan.schedule)


# ---------------------------------------------------------------------------------------------
# The command


def test_cli_writes_a_schedule_per_plan_and_the_comparison(write_scenario, tmp_path):
    path = write_scenario(FOUR, FOUR_TOML)
    out = tmp_path / "four-alternatives.csv"
    result = CliRunner().invoke(main, ["alternatives", str(path), "--count", "3", "--within", "50", "--gap", "0",
                                       "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert "plan 3" in result.stdout and "3 plan(s) found" in result.stdout
    table = out.read_text(encoding="utf-8-sig").splitlines()
    assert table[0].startswith("plan,status,objective,bound,gap,loss,loss_pct,pilots,pilots_in,pilots_out")
    assert [line.split(",")[0] for line in table[1:]] == ["plan 1", "plan 2", "plan 3"]
    for k, pilot in enumerate("ABC", start=1):
        schedule = tmp_path / f"four-alternative-{k}.csv"
        assert selector.check_schedule(selector.load(path), schedule).ok
        assert f"{pilot},{pilot.lower()},R,2555,pilot,true" in schedule.read_text(encoding="utf-8-sig")


def test_cli_bad_input_is_exit_2_without_output(write_scenario, tmp_path):
    path = write_scenario(FOUR, FOUR_TOML)
    result = CliRunner().invoke(main, ["alternatives", str(path), "--solver", "cbc", "--out", str(tmp_path / "x.csv")])
    assert result.exit_code == 2 and "HiGHS" in result.stderr and "Traceback" not in result.stderr
    assert not (tmp_path / "x.csv").exists() and not (tmp_path / "x-alternative-1.csv").exists()


def test_explain_says_in_which_alternatives_a_unit_is_a_pilot(write_scenario):
    """Plans 1-3 pilot A, B and C in turn (see FOUR): C is a pilot in plan 3 only, D in none."""
    path = write_scenario(FOUR, FOUR_TOML)
    result = CliRunner().invoke(main, ["explain", str(path), "C", "--alternatives", "3", "--within", "50", "--gap", "0"])
    assert result.exit_code == 0, result.output
    assert "Pilot in 1 of 3 alternatives within 50% of the optimum: plan 3" in result.stdout
    none = CliRunner().invoke(main, ["explain", str(path), "D", "--alternatives", "3", "--within", "50", "--json"])
    assert none.exit_code == 0 and '"pilot_in_alternatives": []' in none.stdout
