"""Properties over random valid scenarios (hypothesis, fixed seed, bounded examples).

The scenarios use every rule: year windows, `after`, done units, must/never pilots, a second cover
column, capacity and a cap on the pilots' mean risk. For each one:
- the plan passes the independent `selector check`, whose recomputed objective equals the reported one;
- solving twice writes byte-identical schedules, and so does solving the CSV with its rows shuffled;
- HiGHS and CBC reach the same status and optimal objectives within the requested gap.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

import selector
from selector.check import check_schedule
from selector.fields import CRITERIA
from selector.outputs.files import write_schedule_csv
from tests.conftest import examples

FIRST = 2556
PROPERTY = dict(suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])


@st.composite
def scenarios(draw) -> tuple[list[list[str]], str]:
    """(CSV rows with header, settings TOML) of a random scenario; most are feasible, some are not."""
    n = draw(st.integers(3, 10))
    years = draw(st.integers(2, 4))
    last = FIRST + years - 1
    header = ["unit_id", "name", "region", "cost", *CRITERIA, "pilot", "earliest_year", "latest_year", "after",
              "done", "zone"]
    numbers = draw(st.lists(st.integers(0, 999), min_size=n, max_size=n, unique=True))
    ids = [draw(st.sampled_from(["A", "B", "KK", "ข"])) + str(k) for k in numbers]  # not in sorted order
    rows = []
    for i, uid in enumerate(ids):
        scores = draw(st.lists(st.integers(1, 5), min_size=len(CRITERIA), max_size=len(CRITERIA)))
        done = draw(st.sampled_from(["", "", "", "", "", "", "true"]))
        pilot = "" if done else draw(st.sampled_from(["", "", "", "", "", "", "", "never", "must"]))
        earliest = latest = ""
        if not done and pilot != "must" and draw(st.integers(0, 3)) == 0:
            lo = draw(st.integers(FIRST + 1, last))
            earliest, latest = draw(st.sampled_from([(str(lo), ""), ("", str(lo)), (str(lo), str(last))]))
        # `after` names an earlier unit that has no `after` itself: chains of two fit in two years.
        roots = [r[0] for r in rows if not r[14]]
        after = draw(st.sampled_from(["", "", "", "", *roots])) if roots and pilot != "must" else ""
        rows.append([uid, f"สำนักงาน {i}", draw(st.sampled_from(["North", "South", "ภาคกลาง"])),
                     str(draw(st.integers(0, 20)) * 100_000), *map(str, scores), pilot, earliest, latest, after,
                     done, draw(st.sampled_from(["A", "B"]))])
    total = sum(int(r[3]) for r in rows)
    budget = {FIRST + k: max(100_000, round(total * draw(st.floats(0.4, 1.5)))) for k in range(years)}
    toml = [f"[horizon]\nfirst_year = {FIRST}\nlast_year = {last}\n[budget]"]
    toml += [f"{y} = {b}" for y, b in budget.items()]
    toml += [f"[pilots]\nmin = {draw(st.integers(1, 2))}\nmax = {draw(st.integers(min(4, n), n))}",
             "cover = " + draw(st.sampled_from(['["region"]', '["region", "zone"]', "[]"]))]
    if draw(st.booleans()):
        toml.append(f"max_mean_risk = {draw(st.sampled_from([3, 4]))}")
    if draw(st.booleans()):
        toml.append(f"[capacity]\nmax_units_per_year = {draw(st.integers(-(-n // (years - 1)), n))}")
    weights = draw(st.dictionaries(st.sampled_from(CRITERIA), st.integers(1, 9), min_size=1, max_size=4))
    toml.append("[weights.pilot]\n" + "\n".join(f"{c} = {w / 10}" for c, w in weights.items()))
    toml.append(f"[objective]\npilot_emphasis = {draw(st.sampled_from([0.5, 1.0, 2.0]))}")
    return [header, *rows], "\n".join(toml) + "\n"


def _write(folder: Path, rows: list[list[str]], toml: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerows(rows)
    (folder / "s.csv").write_text(buffer.getvalue(), encoding="utf-8")
    (folder / "s.toml").write_text(toml, encoding="utf-8")
    return folder / "s.csv"


@settings(max_examples=examples(150), **PROPERTY)
@given(case=scenarios(), shuffle=st.randoms(use_true_random=False))
def test_plans_check_recompute_and_repeat_byte_for_byte(tmp_path_factory, case, shuffle):
    rows, toml = case
    folder = tmp_path_factory.mktemp("p")
    scenario = selector.load(_write(folder / "a", rows, toml))
    plan = selector.solve(scenario)
    event(plan.status)
    assert plan.status in ("optimal", "infeasible"), plan
    if plan.status == "infeasible":
        assert plan.reasons and plan.schedule is None
        return
    first, second = folder / "first.csv", folder / "second.csv"
    write_schedule_csv(plan, first)

    report = check_schedule(scenario, first)
    assert report.violations == []
    assert abs(report.objective - plan.objective) <= 1e-6 * max(1.0, abs(plan.objective))

    write_schedule_csv(selector.solve(scenario), second)
    assert second.read_bytes() == first.read_bytes()

    body = rows[1:]
    shuffle.shuffle(body)
    shuffled = selector.load(_write(folder / "b", [rows[0], *body], toml))
    write_schedule_csv(selector.solve(shuffled), second)
    assert second.read_bytes() == first.read_bytes()


@settings(max_examples=examples(60), **PROPERTY)
@given(case=scenarios())
def test_highs_and_cbc_agree_within_the_gap(tmp_path_factory, case):
    rows, toml = case
    scenario = selector.load(_write(tmp_path_factory.mktemp("p"), rows, toml))
    highs = selector.solve(scenario, solver="highs")
    cbc = selector.solve(scenario, solver="cbc")
    event(highs.status)
    assert highs.status == cbc.status
    assert highs.status in ("optimal", "infeasible")
    if highs.status == "optimal":
        gap = scenario.settings.gap
        assert abs(highs.objective - cbc.objective) <= gap * max(abs(highs.objective), abs(cbc.objective)) + 1e-7
