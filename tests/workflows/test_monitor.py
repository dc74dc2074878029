"""The OPDC scorecard, worked by hand: interpolation, lower-is-better, missing results, plan achievement."""

from __future__ import annotations

import textwrap

import pytest

import selector
from selector.data.indicators import Indicator, Monitoring
from selector.data.progress import read_progress
from selector.data.results import Results
from selector.errors import ScenarioError
from selector.workflows.monitor import (
    DOES_NOT_MEET,
    MEETS,
    NOT_REPORTED,
    monitor,
    opdc_score,
    round4,
    score_unit,
    weighted_score,
)

PCT = (80, 85, 90, 95, 100)  # % done on time: higher is better
WAIT = (45, 35, 25, 20, 15)  # minutes: lower is better


@pytest.mark.parametrize("result, score", [
    (80, 1.0), (85, 2.0), (90, 3.0), (95, 4.0), (100, 5.0),  # at a level: exactly that level
    (92, 3.4),  # 3 + (92 - 90) / (95 - 90)
    (81, 1.2),  # 1 + 1/5
    (70, 1.0), (104, 5.0),  # clipped below level 1 and above level 5
])
def test_higher_is_better_interpolates_between_levels(result, score):
    assert opdc_score(result, PCT) == pytest.approx(score)


@pytest.mark.parametrize("result, score", [
    (45, 1.0), (25, 3.0), (15, 5.0),
    (30, 2.5),  # between 35 (score 2) and 25 (score 3): 2 + (35 - 30) / (35 - 25)
    (22, 3.6),  # between 25 (3) and 20 (4): 3 + 3/5
    (60, 1.0), (10, 5.0),
])
def test_lower_is_better_interpolates_downwards(result, score):
    assert opdc_score(result, WAIT, "lower") == pytest.approx(score)


def test_weighted_score_is_weight_times_score_as_the_scorecards_print_it():
    assert weighted_score(4, 5.0) == 0.2  # the example: weight 4% and score 5.0000 give 0.2000
    assert weighted_score(15, 3.3333) == 0.5  # 0.499995 rounds half up to 0.5000
    assert round4(2.00005) == 2.0001 and round4(1 / 3) == 0.3333


SCORECARD = Monitoring((
    Indicator("on_time", "", "On time", "effectiveness", "%", 50, PCT),
    Indicator("wait", "", "Waiting", "service_quality", "minutes", 30, WAIT, "lower"),
    Indicator("trained", "", "Trained", "organisational_development", "%", 20, (60, 70, 80, 90, 100)),
), pass_score=3.0)


def results(values: dict[tuple[str, str], float], not_upgraded=()) -> Results:
    return Results(values, 12, "r.csv", frozenset(not_upgraded))


def test_a_unit_scored_by_hand():
    """on_time 92 -> 3.4; wait 30 min -> 2.5; trained 65% -> 1.5.
    Weighted: 0.5 x 3.4 = 1.7, 0.3 x 2.5 = 0.75, 0.2 x 1.5 = 0.3; overall 2.75 < 3: does not meet.
    Only on_time (weight 50) reaches the pass mark 3."""
    card = score_unit("A", results({("A", "on_time"): 92, ("A", "wait"): 30, ("A", "trained"): 65}), SCORECARD)
    assert card.scores == {"on_time": 3.4, "wait": 2.5, "trained": 1.5}
    assert card.dimension_scores == {"effectiveness": 3.4, "service_quality": 2.5, "organisational_development": 1.5}
    assert card.overall == 2.75 and card.verdict == DOES_NOT_MEET
    assert card.attained_weight == 50


def test_a_missing_result_is_not_reported_never_zero():
    card = score_unit("A", results({("A", "on_time"): 100, ("A", "trained"): 100}), SCORECARD)
    assert card.scores["wait"] is None and card.results["wait"] is None
    assert card.overall is None and card.verdict == NOT_REPORTED
    assert card.dimension_scores["service_quality"] is None and card.dimension_scores["effectiveness"] == 5.0
    assert card.attained_weight == 70  # what was reported and reached the mark still counts


def test_pass_marks_per_dimension_judge_each_named_dimension():
    """on_time 95 -> 4; wait 25 -> 3; trained 60 -> 1: overall 2 + 0.9 + 0.2 = 3.1.
    With one overall mark of 3 the unit meets; with service_quality needing 3.5 it does not."""
    values = {("A", "on_time"): 95, ("A", "wait"): 25, ("A", "trained"): 60}
    assert score_unit("A", results(values), SCORECARD).overall == 3.1
    assert score_unit("A", results(values), SCORECARD).verdict == MEETS
    strict = Monitoring(SCORECARD.indicators, 3.0, (("effectiveness", 3.0), ("service_quality", 3.5)))
    assert score_unit("A", results(values), strict).verdict == DOES_NOT_MEET


TOML = """
[horizon]
first_year = 2556
last_year = 2557

[budget]
2556 = 10_000_000
2557 = 10_000_000

[pilots]
min = 2
max = 2
cover = []

[[indicators]]
id = "on_time"
dimension = "effectiveness"
weight = 60
levels = [80, 85, 90, 95, 100]

[[indicators]]
id = "wait"
dimension = "service_quality"
weight = 40
levels = [45, 35, 25, 20, 15]
direction = "lower"
"""
UNITS = """\
unit_id,name,region,cost,infrastructure,staff,leadership,importance,workload,success,risk
A,a,N,1,5,5,5,3,3,5,1
B,b,N,1,4,4,4,3,3,4,2
C,c,S,1,3,3,3,3,3,3,3
D,d,S,1,2,2,2,3,3,2,4
E,e,S,1,2,2,2,3,3,2,4
"""
SCHEDULE = """\
unit_id,fiscal_year,pilot
A,2556,true
B,2556,true
C,2557,false
D,2557,false
E,2557,false
"""


@pytest.fixture
def tiny(tmp_path, write_scenario):
    csv = write_scenario(UNITS, TOML)
    (tmp_path / "schedule.csv").write_text(SCHEDULE, encoding="utf-8")
    return selector.load(csv), tmp_path / "schedule.csv"


def write_results(folder, text):
    path = folder / "results.csv"
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def test_plan_achievement_by_year_and_region_worked_by_hand(tiny, tmp_path):
    """FY2557 plans C, D, E. C: on_time 95 (4), wait 20 (4) -> 4.0 meets, attains 100%.
    D: on_time 90 (3), wait 40 (1.5) -> 0.6x3 + 0.4x1.5 = 2.4 fails, attains 60%.
    E: not upgraded (deferred). Achievement 1/3 = 33.33%; weighted (100 + 60 + 0) / 3 = 53.33%.
    FY2556's pilots: A meets (5, 5); B reported on_time only: not reported, attains 0 (82 -> 1.4)."""
    sc, schedule = tiny
    path = write_results(tmp_path, """\
        unit_id,indicator,result,round,upgraded
        A,on_time,100,12,
        A,wait,10,12,
        B,on_time,82,12,
        C,on_time,95,12,
        C,wait,20,12,
        D,on_time,90,12,
        D,wait,40,12,
        D,wait,99,9,
        E,on_time,,12,false
        """)
    m = monitor(sc, schedule, path, 12, 2557)
    a = m.achievement.set_index("fiscal_year")
    assert a.loc[2556, ["planned", "reported", "meets", "not_reported"]].tolist() == [2, 1, 1, 1]
    assert a.loc[2556, "achievement_pct"] == 50.0 and a.loc[2556, "weighted_pct"] == 50.0
    assert a.loc[2557, ["planned", "meets", "does_not_meet", "deferred"]].tolist() == [3, 1, 1, 1]
    assert a.loc[2557, "achievement_pct"] == 33.33 and a.loc[2557, "weighted_pct"] == 53.33
    r = m.by_region.set_index(["fiscal_year", "region"])
    assert r.loc[(2557, "S"), "achievement_pct"] == 33.33 and list(r.index) == [(2556, "N"), (2557, "S")]
    cards = m.scorecard.set_index("unit_id")
    assert cards.loc["D", "overall_score"] == 2.4 and cards.loc["D", "score_wait"] == 1.5  # the round-9 line is ignored
    assert list(m.pilots["unit_id"]) == ["A", "B"]
    states = dict(zip(m.progress["unit_id"], m.progress["state"]))
    assert states == {"A": "done", "B": "in_progress", "C": "done", "D": "failed", "E": "deferred"}


def test_the_progress_file_is_what_replan_reads(tiny, tmp_path):
    """Mid-year (round 6) the year's own units are in progress; --update-scores maps the score onto the scale."""
    sc, schedule = tiny
    path = write_results(tmp_path, """\
        unit_id,indicator,result
        A,on_time,90
        A,wait,25
        B,on_time,80
        B,wait,45
        """)
    m = monitor(sc, schedule, path, 6, 2556, update_scores=True)
    progress = m.progress.set_index("unit_id")
    assert progress["state"].to_dict() == {"A": "in_progress", "B": "in_progress"}
    assert progress.loc["A", "success"] == 3.0 and progress.loc["A", "risk"] == 3.0  # score 3 on a 1-5 scale
    assert progress.loc["B", "success"] == 1.0 and progress.loc["B", "risk"] == 5.0
    m = monitor(sc, schedule, path, 12, 2556, update_scores=True)
    from selector.outputs.monitor import write_progress_csv

    write_progress_csv(m, tmp_path / "progress.csv")
    rows, _ = read_progress(tmp_path / "progress.csv", sc.settings.scale)
    assert {u: (r.state, dict(r.updates)) for u, r in rows.items()} == {
        "A": ("done", {"success": 3.0, "risk": 3.0}), "B": ("failed", {"success": 1.0, "risk": 5.0})}


def test_bad_results_are_all_reported_with_line_and_fix(tiny, tmp_path):
    sc, schedule = tiny
    path = write_results(tmp_path, """\
        unit_id,indicator,result
        A,on_tim,90
        Z,wait,25
        B,wait,fast
        B,wait,30
        B,wait,31
        """)
    with pytest.raises(ScenarioError) as err:
        monitor(sc, schedule, path, 12, 2556)
    found = {(p.line, p.column): p for p in err.value.problems}
    assert found[(2, "indicator")].fix == "did you mean 'on_time'?"
    assert found[(3, "unit_id")].message == "unit 'Z' is not in the scenario"
    assert "'fast' is not a number" in found[(4, "result")].message
    assert found[(6, "indicator")].message == "unit B already has a result for 'wait' on line 5"
    assert len(err.value.problems) == 4


def test_without_a_scorecard_monitoring_says_how_to_add_one(tmp_path, write_scenario):
    csv = write_scenario(UNITS, TOML.split("[[indicators]]")[0])
    (tmp_path / "schedule.csv").write_text(SCHEDULE, encoding="utf-8")
    with pytest.raises(ScenarioError, match=r"pass --indicators FILE"):
        monitor(selector.load(csv), tmp_path / "schedule.csv", write_results(tmp_path, "unit_id,indicator,result\n"),
                12, 2556)


def test_a_results_workbook_is_read_like_the_csv_with_rows_as_lines(tiny, tmp_path):
    import openpyxl

    sc, schedule = tiny
    book = openpyxl.Workbook()
    sheet = book.active
    for row in (["unit_id", "indicator", "result"], ["A", "on_time", 100], ["A", "wait", 10.0], ["B", "on_time", 82],
                ["C", "on_time", "=A1"]):
        sheet.append(row)
    book.save(tmp_path / "results.xlsx")
    with pytest.raises(ScenarioError) as err:
        monitor(sc, schedule, tmp_path / "results.xlsx", 12, 2557)
    [problem] = err.value.problems
    assert (problem.line, problem.column, problem.cell) == (5, "result", "Sheet!C5")  # never computed: no value to read
    assert problem.message == "is a formula without a saved value (the file was never calculated and saved by Excel)"
    sheet["C5"] = 95
    book.save(tmp_path / "results.xlsx")
    m = monitor(sc, schedule, tmp_path / "results.xlsx", 12, 2557)
    cards = m.scorecard.set_index("unit_id")
    assert cards.loc["A", "overall_score"] == 5.0 and cards.loc["C", "score_on_time"] == 4.0
