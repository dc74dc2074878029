"""The province map: provinces matched in Thai, English or ISO; each drawn in its phase's colour; credited.

The colours are read back from the SVG, where each province's patch has the id of its ISO code and
each pilot's star ``pilot-<ISO>``; the expected phase of a province (the fiscal year its last unit
is upgraded) is recomputed here from the schedule and the province table, not by the map code.
"""

from __future__ import annotations

import csv
import re
import shutil

import pytest
from click.testing import CliRunner

import selector
from selector.cli import main
from selector.data.provinces import PROVINCES_CSV, match_province, match_provinces, nearest_province
from selector.outputs.html import report_html
from selector.outputs.maps import (
    NO_UNIT_COLOUR,
    PARTLY_COLOUR,
    credit,
    figure_svg,
    hex_colour,
    phase_colours,
    province_map,
    province_small_multiples,
)
from tests.conftest import DEFAULT_CSV
from tests.outputs.test_workbook import TINY_TOML

CREDIT = "Boundaries: OCHA / Royal Thai Survey Department (COD-AB Thailand), CC BY-IGO"
PATCH = re.compile(r'<g id="(TH-\d\d)">\s*<path [^>]*?style="fill: (#[0-9a-f]{6})')
STAR = re.compile(r'<g id="pilot-(TH-\d\d)">')


def fills(svg: str) -> dict[str, str]:
    return dict(PATCH.findall(svg))


def run(*args):
    return CliRunner().invoke(main, [str(a) for a in args])


@pytest.fixture(scope="module")
def default_plan():
    return selector.solve(selector.load(DEFAULT_CSV))


def _iso_by_english() -> dict[str, str]:
    with open(PROVINCES_CSV, encoding="utf-8") as f:
        return {row["name_en"]: row["iso_code"] for row in csv.DictReader(f)}


def test_every_province_of_the_default_scenario_has_the_colour_of_its_phase(default_plan):
    years = list(default_plan.scenario.settings.years)
    palette = [hex_colour(c) for c in phase_colours(len(years))]
    iso = _iso_by_english()
    last_year: dict[str, int] = {}
    for row in default_plan.schedule.to_dict(orient="records"):  # the scenario writes provinces in English
        code = iso[row["province"]]
        last_year[code] = max(last_year.get(code, 0), int(row["fiscal_year"]))
    assert len(last_year) == 77  # every province has an office
    svg = figure_svg(province_map(default_plan))
    drawn = fills(svg)
    assert len(drawn) == 77
    assert drawn == {code: palette[years.index(year)] for code, year in last_year.items()}
    pilots = {iso[p] for p in default_plan.pilots["province"]}
    assert set(STAR.findall(svg)) == pilots
    assert svg.count(CREDIT) == 1 and credit() == CREDIT


def test_a_hand_worked_map_with_names_in_thai_english_and_iso(write_scenario):
    """A (Chiang Mai) is the only pilot, FY2555; B (TH-83 Phuket) and C (ลำปาง Lampang) follow in FY2556
    (the one feasible plan of tests.outputs.test_workbook's TINY). So Chiang Mai has the pilot colour
    and a star, Phuket and Lampang wave 1's colour, and the 74 other provinces the no-unit grey."""
    csv_text = (
        "unit_id,name,region,cost,infrastructure,staff,leadership,importance,workload,success,risk,province\n"
        "A,Office A,R,100,3,3,3,3,3,3,3,chiang mai\n"
        "B,Office B,R,150,4,4,4,4,4,4,2,TH-83\n"
        "C,Office C,R,120,2,2,2,2,2,2,4,ลำปาง\n")
    plan = selector.solve(selector.load(write_scenario(csv_text, TINY_TOML)))
    assert dict(zip(plan.schedule["unit_id"], plan.schedule["fiscal_year"])) == {"A": 2555, "B": 2556, "C": 2556}
    pilot, wave = (hex_colour(c) for c in phase_colours(2))
    drawn = fills(figure_svg(province_map(plan, lang="th")))
    assert (drawn["TH-50"], drawn["TH-83"], drawn["TH-52"]) == (pilot, wave, wave)
    assert {c for k, c in drawn.items() if k not in ("TH-50", "TH-83", "TH-52")} == {NO_UNIT_COLOUR}
    small = figure_svg(province_small_multiples(plan, lang="th"))
    by_year = [dict(PATCH.findall(part)) for part in small.split('<g id="axes_')[1:]]
    assert [(m["TH-50"], m["TH-83"], m["TH-52"]) for m in by_year] == [(pilot, "#ffffff", "#ffffff"),
                                                                     (pilot, wave, wave)]
    assert small.count(CREDIT) == 1
    assert STAR.findall(small) == ["TH-50", "TH-50"]


def test_a_province_left_partly_unscheduled_is_shown_as_partly_upgraded(default_plan):
    from selector.outputs.maps import province_colours, province_phases

    phases = province_phases(default_plan)
    phases.loc[phases["iso_code"] == "TH-50", "unscheduled"] = True
    colours = province_colours(phases, list(default_plan.scenario.settings.years))
    assert colours["TH-50"] == PARTLY_COLOUR


@pytest.mark.parametrize("text, code", [("เชียงใหม่", "TH-50"), ("Chiang Mai", "TH-50"), ("CHIANG-MAI", "TH-50"),
                                        ("th-50", "TH-50"), ("TH50", "TH-50"), ("Lopburi", "TH-16"),
                                        ("Lop Buri", "TH-16"), ("Krung Thep Maha Nakhon", "TH-10"),
                                        ("กรุงเทพมหานคร", "TH-10"), ("Buriram", "TH-31"), ("Atlantis", None),
                                        ("", None)])
def test_province_matching(text, code):
    assert match_province(text) == code


def test_an_unknown_province_names_the_nearest_with_its_line():
    import pandas as pd

    units = pd.DataFrame({"unit_id": ["A", "B"], "province": ["Chiang Mai", "Chaing Rai"]}, index=[2, 3])
    found, problems = match_provinces(units, "s.csv")
    assert found == {"A": "TH-50"}
    assert [(p.file, p.line, p.column) for p in problems] == [("s.csv", 3, "province")]
    assert "'Chaing Rai' is not a province of Thailand" in problems[0].message
    assert "เชียงราย (Chiang Rai, TH-57)" in problems[0].fix
    assert nearest_province("Nakhon Ratchasimaa") == "นครราชสีมา (Nakhon Ratchasima, TH-30)"


def test_unknown_province_is_exit_2_with_the_nearest_name_and_nothing_written(tmp_path):
    text = DEFAULT_CSV.read_text(encoding="utf-8-sig").replace(",Chiang Mai,", ",Chiang Maii,", 1)
    (tmp_path / "s.csv").write_text(text, encoding="utf-8")
    shutil.copy(DEFAULT_CSV.with_suffix(".toml"), tmp_path / "s.toml")
    result = run("solve", tmp_path / "s.csv", "--out", tmp_path / "out.csv", "--report", tmp_path / "r.html")
    assert result.exit_code == 2
    assert "'Chiang Maii' is not a province of Thailand" in result.stderr
    assert "did you mean เชียงใหม่ (Chiang Mai, TH-50)?" in result.stderr
    assert "column 'province'" in result.stderr and "Traceback" not in result.output
    assert not list(tmp_path.glob("out.csv")) and not list(tmp_path.glob("r.html"))
    plain = run("solve", tmp_path / "s.csv", "--out", tmp_path / "out.csv", "-q")  # no map asked for: no check
    assert plain.exit_code == 0


def test_the_report_has_the_map_inline_and_without_a_province_column_a_note(default_plan, write_scenario):
    page = report_html(default_plan, "en")
    assert page.count(CREDIT) == 2  # the phase map and the small multiples
    assert len(fills(page.split("Provinces complete by the end")[0])) == 77
    from tests.outputs.test_workbook import TINY

    plain = selector.solve(selector.load(write_scenario(TINY, TINY_TOML)))
    page = report_html(plain, "en")
    assert "No province map: the units file has no province column." in page and CREDIT not in page
