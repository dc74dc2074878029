"""Loading scenarios: bad input is reported all at once, with file, line, column and the fix."""

from __future__ import annotations

import pytest

import selector
from selector.data.csvfiles import parse_number
from selector.errors import ScenarioError
from tests.model.test_build import FOUR, FOUR_TOML


def problems_of(csv_path, settings=None):
    with pytest.raises(ScenarioError) as info:
        selector.load(csv_path, settings)
    return info.value.problems, str(info.value)


def test_every_problem_of_the_issue_reported_together(write_scenario):
    """Duplicate id, out-of-scale score, negative cost, unknown after, after cycle, must-pilot whose
    window excludes the pilot year, missing budget year and unknown cover column: all in one error."""
    csv_text = """\
    unit_id,name,region,cost,infrastructure,staff,leadership,importance,workload,success,risk,pilot,earliest_year,after
    A,a,North,10,5,5,5,3,3,5,1,,,C
    A,b,North,10,3,3,3,5,5,3,3,,,
    C,c,South,-1,4,4,4,1,1,4,2,,,D
    D,d,South,10,1,1,9,4,4,1,5,must,2556,C
    E,e,South,10,1,1,1,4,4,1,5,,,nobody
    """
    toml_text = FOUR_TOML.replace("2556 = 20\n", "") + 'cover = ["district"]\n'
    problems, text = problems_of(write_scenario(csv_text, toml_text))
    located = {(p.line, p.column) for p in problems}
    assert (3, "unit_id") in located  # the duplicate, on its second line
    assert (4, "cost") in located
    assert (5, "leadership") in located
    assert (6, "after") in located  # unknown unit 'nobody'
    assert (4, "after") in located or (5, "after") in located  # the C <-> D cycle
    assert (5, "pilot") in located  # must-pilot that cannot start in 2555
    assert any(p.column == "[budget]" and "2556" in p.message for p in problems)
    assert any(p.column == "[pilots] cover" and "district" in p.message for p in problems)
    assert "s.csv, line 4, column 'cost': the cost is negative. Fix:" in text
    assert "cycle: C -> D -> C" in text


def test_missing_required_column(write_scenario):
    without_risk = "\n".join(line.rsplit(",", 1)[0] for line in FOUR.splitlines()) + "\n"
    problems, text = problems_of(write_scenario(without_risk, FOUR_TOML))
    assert [(p.line, p.column) for p in problems] == [(1, "risk")]
    assert "add a column named 'risk'" in text


def test_non_numeric_and_empty_values(write_scenario):
    csv_text = FOUR.replace("A,สำนักงาน ก,North,10,5", "A,สำนักงาน ก,North,ten,").replace("C,สำนักงาน ค,South,10", "C,สำนักงาน ค,,10")
    problems, _ = problems_of(write_scenario(csv_text, FOUR_TOML))
    located = {(p.line, p.column) for p in problems}
    assert located >= {(2, "cost"), (2, "infrastructure")}


def test_empty_region_reported(write_scenario):
    problems, _ = problems_of(write_scenario(FOUR.replace("C,สำนักงาน ค,South", "C,สำนักงาน ค,"), FOUR_TOML))
    assert {(p.line, p.column) for p in problems} == {(4, "region")}


def test_bom_and_row_order_do_not_matter(write_scenario, tmp_path):
    a = selector.load(write_scenario(FOUR, FOUR_TOML, stem="a"))
    lines = FOUR.splitlines()
    shuffled = "\ufeff" + "\n".join([lines[0]] + lines[1:][::-1]) + "\n"
    b = selector.load(write_scenario(shuffled, FOUR_TOML, stem="b"))
    assert list(a.units["unit_id"]) == list(b.units["unit_id"]) == ["A", "B", "C", "D"]


@pytest.mark.parametrize("text, value", [("1200000", 1.2e6), ("1,200,000", 1.2e6), ("๑๒๓", 123.0), (" 3.5 ", 3.5)])
def test_numbers_as_planners_type_them(text, value):
    assert parse_number(text) == (value, None)


@pytest.mark.parametrize("text", ["1,20,0", "nan", "inf", "12a", "1.2.3", ""])
def test_numbers_refused(text):
    value, reason = parse_number(text)
    assert value is None and reason
