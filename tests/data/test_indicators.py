"""[[indicators]] and [monitoring]: the OPDC scorecard is validated like every other setting."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

from selector.data.indicators import DIMENSIONS
from selector.data.settings import Locator, load_settings, parse_settings

from ..conftest import ROOT

GOOD = """
[[indicators]]
id = "on_time"
name_th = "ร้อยละงานที่เสร็จตามเวลา"
dimension = "ประสิทธิผล"
unit = "%"
weight = 60
levels = [80, 85, 90, 95, 100]

[[indicators]]
id = "wait"
name_en = "Waiting time"
dimension = "service_quality"
unit = "minutes"
weight = 40
levels = [45, 35, 25, 20, 15]
direction = "lower"

[monitoring]
pass_score = 3.5
"""


def parse(text: str):
    return parse_settings(tomllib.loads(text), "s.toml", Locator(text))


def test_a_good_scorecard_is_read_with_thai_dimension_names():
    settings, problems = parse(GOOD)
    assert problems == []
    m = settings.monitoring
    assert m.ids == ("on_time", "wait")
    assert [i.dimension for i in m.indicators] == ["effectiveness", "service_quality"]
    assert m.indicator("wait").levels == (45, 35, 25, 20, 15) and m.indicator("wait").direction == "lower"
    assert m.pass_score == 3.5 and m.pass_mark("efficiency") == 3.5
    assert settings.to_dict()["indicators"][1]["id"] == "wait"


def test_no_scorecard_leaves_the_settings_record_as_before():
    settings, problems = parse("[horizon]\nfirst_year = 2555\nlast_year = 2558\n")
    assert problems == [] and settings.monitoring.indicators == ()
    assert "indicators" not in settings.to_dict() and "monitoring" not in settings.to_dict()


def test_every_problem_of_a_scorecard_at_once_with_line_and_fix():
    text = GOOD.replace('weight = 40', 'weight = 30').replace('levels = [80, 85, 90, 95, 100]',
                                                             'levels = [80, 85, 85, 95, 100]')
    text = text.replace('unit = "minutes"', 'unit = "minutes"\ncolour = "red"')
    text = text.replace('pass_score = 3.5', 'pass_score = 7')
    _, problems = parse(text)
    by_column = {p.column: p for p in problems}
    assert by_column["[[indicators]] levels"].line == 8
    assert "do not rise strictly" in by_column["[[indicators]] levels"].message
    assert by_column["[[indicators]] colour"].line == 15
    assert by_column["[monitoring] pass_score"].message == "pass_score = 7 is not a score"
    assert len(problems) == 3  # weights are judged only once every indicator is readable


def test_weights_must_sum_to_100():
    _, problems = parse(GOOD.replace("weight = 40", "weight = 30"))
    assert len(problems) == 1
    p = problems[0]
    assert (p.line, p.column) == (7, "[[indicators]] weight")
    assert p.message == "the indicator weights sum to 90, not 100"
    assert "on_time 60, wait 30" in p.fix


def test_lower_is_better_levels_must_fall():
    _, problems = parse(GOOD.replace("[45, 35, 25, 20, 15]", "[15, 20, 25, 35, 45]"))
    assert [p.column for p in problems] == ["[[indicators]] levels"]
    assert "do not fall strictly" in problems[0].message and problems[0].line == 16


def test_typos_get_suggestions():
    text = GOOD.replace('dimension = "service_quality"', 'dimension = "service_qualty"').replace("[monitoring]", "[monitor]")
    _, problems = parse(text)
    fixes = {p.column: p.fix for p in problems}
    assert fixes["[[indicators]] dimension"] == "did you mean 'service_quality'?"
    assert fixes["[monitor]"] == "did you mean 'monitoring'?"


def test_pass_marks_per_dimension():
    text = GOOD.replace("pass_score = 3.5", "pass_score = {effectiveness = 3.0, service_quality = 4}")
    settings, problems = parse(text)
    assert problems == []
    assert settings.monitoring.pass_mark("service_quality") == 4.0
    _, problems = parse(GOOD.replace("pass_score = 3.5", "pass_score = {efficiency = 3}"))
    assert problems[0].message == "dimension efficiency has a pass mark but no indicator"


def test_the_bundled_scorecard_is_valid_and_covers_the_four_dimensions():
    settings, problems = load_settings(Path(ROOT / "scenarios" / "dlt-offices-indicators.toml"))
    assert problems == []
    assert settings.monitoring.dimensions == DIMENSIONS
    assert sum(i.weight for i in settings.monitoring.indicators) == 100


@pytest.mark.parametrize("entry, column", [
    ('id = "a b"', "[[indicators]] id"),
    ('id = "x"\ndimension = "effectiveness"\nweight = 100\nlevels = [1, 2, 3]', "[[indicators]] levels"),
    ('id = "x"\ndimension = "effectiveness"\nweight = 0\nlevels = [1, 2, 3, 4, 5]', "[[indicators]] weight"),
    ('id = "x"\ndimension = "effectiveness"\nweight = 100\nlevels = [1, 2, 3, 4, 5]\ndirection = "up"',
     "[[indicators]] direction"),
])
def test_malformed_indicator_entries(entry, column):
    _, problems = parse("[[indicators]]\n" + entry + "\n")
    assert [p.column for p in problems] == [column]
    assert problems[0].line is not None and problems[0].fix
