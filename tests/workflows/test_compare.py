"""selector.compare and `selector compare`: the units that moved, per-year tables, objective change."""

from __future__ import annotations

import json

import pandas as pd
import pytest
from click.testing import CliRunner

import selector
from selector.cli import main
from selector.outputs.files import write_json, write_schedule_csv
from selector.workflows.compare import read_plan_file

# Four units in one region, one pilot, FY2555 (pilot year) to FY2557, every unit costs 10.
# Pilot score P = normalised success, rollout score R = normalised importance (scale 1-5):
#   A: P 1, R 0     B: P 0, R 1     C: P 0, R 0.75     D: P 0, R 0.5
# Objective = sum_u R_u (2557 - y + 1) x[u,y] + 3 sum_u P_u p[u]  (lambda = 1 x 3 years).
# The pilot is the only unit in FY2555 (budget 10): A gains 3 there (3 P_A), B only 3 - 2 = 1
# over FY2556, so A is the pilot.
# Base, budgets 10 / 20 / 20: B and C in FY2556, D in FY2557: 3 + 2 (1 + 0.75) + 0.5 = 7.0
#   (B and D in FY2556 would give 6.75).
# Cut, FY2556 budget 10: only B fits in FY2556 (its R is highest); C and D in FY2557:
#   3 + 2 + 0.75 + 0.5 = 6.25 (C alone in FY2556 would give 6.0). Exactly C moved, FY2556 -> FY2557,
#   and the objective changed by (6.25 - 7) / 7 = -10.714%.
UNITS = """\
unit_id,name,region,cost,infrastructure,staff,leadership,importance,workload,success,risk
A,สำนักงาน ก,R,10,3,3,3,1,3,5,3
B,สำนักงาน ข,R,10,3,3,3,5,3,1,3
C,สำนักงาน ค,R,10,3,3,3,4,3,1,3
D,สำนักงาน ง,R,10,3,3,3,3,3,1,3
"""
SETTINGS = """\
[horizon]
first_year = 2555
last_year = 2557
[budget]
2555 = 10
2556 = 20
2557 = 20
[pilots]
min = 1
max = 1
[weights.pilot]
success = 1
[weights.rollout]
importance = 1
"""


@pytest.fixture
def plans(write_scenario):
    scenario = selector.load(write_scenario(UNITS, SETTINGS))
    base = selector.solve(scenario)
    cut = selector.solve(scenario.with_(budget={2556: 10}))
    return base, cut


def test_only_the_units_that_moved_are_listed(plans):
    base, cut = plans
    comparison = selector.compare({"base": base, "cut": cut})
    moved = comparison.moved
    assert list(moved["unit_id"]) == ["C"]
    row = moved.iloc[0]
    assert (row["scenario"], row["base_year"], row["year"], row["base_pilot"], row["pilot"]) == ("cut", 2556, 2557, False, False)
    assert row["change"] == "FY2556 -> FY2557 (1 year later)"
    assert row["rollout_score"] == pytest.approx(0.75) and row["base_rollout_score"] == pytest.approx(0.75)
    assert row["name"] == "สำนักงาน ค"


def test_per_year_tables_and_objective_change(plans):
    base, cut = plans
    comparison = selector.compare({"base": base, "cut": cut})
    assert comparison.units.to_dict("list") == {"base": [1, 2, 1], "cut": [1, 1, 2]}
    assert comparison.cost.loc[2556].to_dict() == {"base": 20, "cut": 10}
    assert comparison.budget.loc[2556].to_dict() == {"base": 20, "cut": 10}
    assert comparison.coverage["base"].tolist() == [0.25, 0.75, 1.0]
    assert comparison.coverage["cut"].tolist() == [0.25, 0.5, 1.0]
    assert comparison.pilots_by_region.to_dict("index") == {"R": {"base": 1, "cut": 1}}
    objectives = comparison.objectives
    assert objectives.loc["base", "objective"] == pytest.approx(7.0)
    assert objectives.loc["cut", "objective"] == pytest.approx(6.25)
    assert objectives.loc["cut", "change_pct"] == pytest.approx(100 * (6.25 - 7) / 7)
    assert objectives["moved"].tolist() == [0, 1]


def test_a_plan_compared_with_itself_has_no_moves(plans):
    base, _ = plans
    comparison = selector.compare({"a": base, "b": base})
    assert comparison.moved.empty
    assert comparison.objectives.loc["b", "change_pct"] == 0


def test_pilot_changes_are_moves(write_scenario):
    """With A barred from being a pilot, the pilot must be B, C or D (P = 0; FY2555 weighs 3):

    pilot B: 3 x 1 + FY2556 {C, D} 2 (0.75 + 0.5) + A 0 = 5.5; pilot C: 2.25 + 2 (1 + 0.5) = 5.25.
    So B is the pilot, C and D are in FY2556 and A (R = 0) waits for FY2557. Against the base
    (A pilot; B, C in FY2556; D in FY2557) A, B and D moved; C did not.
    """
    scenario = selector.load(write_scenario(UNITS, SETTINGS))
    never_csv = UNITS.replace("risk\n", "risk,pilot\n").replace("5,3\n", "5,3,never\n")
    never_csv = "\n".join(line if line.count(",") == 11 else line + "," for line in never_csv.splitlines()) + "\n"
    never = selector.load(write_scenario(never_csv, SETTINGS, stem="never"))
    assert never.units.set_index("unit_id").loc["A", "pilot"] == "never"
    comparison = selector.compare({"base": selector.solve(scenario), "A never": selector.solve(never)})
    moved = comparison.moved.set_index("unit_id")
    assert sorted(moved.index) == ["A", "B", "D"]
    assert moved.loc["A", "change"] == "FY2555 -> FY2557 (2 years later); no longer a pilot"
    assert moved.loc["B", "change"] == "FY2556 -> FY2555 (1 year earlier); became a pilot"
    assert moved.loc["D", "change"] == "FY2557 -> FY2556 (1 year earlier)"
    assert comparison.objectives.loc["A never", "objective"] == pytest.approx(5.5)


def test_plans_of_different_units_are_refused(plans, write_scenario):
    base, _ = plans
    other = selector.solve(selector.load(write_scenario(UNITS.replace("D,", "E,"), SETTINGS, stem="other")))
    with pytest.raises(selector.ScenarioError, match="unit 'D' of base is missing"):
        selector.compare({"base": base, "other": other})
    with pytest.raises(ValueError, match="needs plans"):
        selector.compare({})
    alone = selector.compare({"base": base})
    assert alone.moved.empty and alone.units["base"].tolist() == [1, 2, 1]


def test_comparison_html_shows_every_table(plans):
    base, cut = plans
    page = selector.compare({"base": base, "cut <20%>": cut})._repr_html_()
    for heading in ("Cost per fiscal year", "Cumulative coverage", "Pilots per region", "Units that moved (1)"):
        assert heading in page
    assert "cut &lt;20%&gt;" in page and "<20%>" not in page
    assert "สำนักงาน ค" in page


def test_cli_compares_schedule_csvs(plans, tmp_path):
    base, cut = plans
    write_schedule_csv(base, tmp_path / "base-schedule.csv")
    write_schedule_csv(cut, tmp_path / "cut-schedule.csv")
    result = CliRunner().invoke(main, ["compare", str(tmp_path / "base-schedule.csv"), str(tmp_path / "cut-schedule.csv")])
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert "Units that moved against base: 1" in out
    moved_lines = [line for line in out.splitlines() if "FY2556 -> FY2557" in line]
    assert len(moved_lines) == 1 and moved_lines[0].split()[:2] == ["cut", "C"]
    assert "objective n/a" in out


def test_cli_reads_json_records_with_objectives(plans, tmp_path):
    base, cut = plans
    write_json(base, tmp_path / "base.json")
    write_json(cut, tmp_path / "cut.json")
    result = CliRunner().invoke(main, ["compare", str(tmp_path / "base.json"), str(tmp_path / "cut.json"),
                                       "--name", "base", "--name", "cut 20%"])
    assert result.exit_code == 0, result.output
    assert "-10.71%" in result.stdout and "cut 20%" in result.stdout
    assert json.loads((tmp_path / "cut.json").read_text(encoding="utf-8"))["objective"] == pytest.approx(6.25)


def test_cli_bad_input_exits_2(plans, tmp_path):
    base, _ = plans
    write_schedule_csv(base, tmp_path / "a.csv")
    broken = tmp_path / "b.csv"
    broken.write_text("unit_id,fiscal_year,pilot\nA,25x5,maybe\n", encoding="utf-8")
    runner = CliRunner()
    one = runner.invoke(main, ["compare", str(tmp_path / "a.csv")])
    assert one.exit_code == 2 and "at least two plans" in one.stderr
    bad = runner.invoke(main, ["compare", str(tmp_path / "a.csv"), str(broken)])
    assert bad.exit_code == 2
    assert "line 2, column 'fiscal_year'" in bad.stderr and "line 2, column 'pilot'" in bad.stderr
    assert bad.stdout == ""
    names = runner.invoke(main, ["compare", str(tmp_path / "a.csv"), str(tmp_path / "a.csv"), "--name", "x"])
    assert names.exit_code == 2 and "one per plan" in names.stderr


def test_read_plan_file_round_trips_the_schedule(plans, tmp_path):
    base, _ = plans
    write_schedule_csv(base, tmp_path / "s.csv")
    facts = read_plan_file(tmp_path / "s.csv")
    assert facts.objective is None and facts.budget is None
    pd.testing.assert_series_equal(facts.schedule["fiscal_year"], base.schedule["fiscal_year"], check_names=False)
    assert facts.schedule["pilot"].tolist() == base.schedule["pilot"].tolist()


def test_terminal_columns_align_with_thai_marks():
    """เชียงใหม่ has 9 code points, two of them marks drawn over a consonant (ี and ่): 7 columns."""
    from selector.outputs.text import display_width, text_table

    assert display_width("เชียงใหม่") == 7 and display_width("Chiang Mai") == 10
    lines = text_table(["name", "n"], [["เชียงใหม่", "1"], ["Chiang Mai", "22"]], {1})
    assert len({display_width(line) for line in lines}) == 1
