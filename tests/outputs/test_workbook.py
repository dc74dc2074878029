"""The plan as a submission: the Excel workbook (read back with openpyxl) and `selector export`."""

from __future__ import annotations

import datetime as dt
import hashlib
import zipfile

import openpyxl
import pytest
from click.testing import CliRunner

import selector
from selector.cli import main
from selector.outputs.files import write_schedule_csv
from selector.outputs.words import fiscal_period
from selector.outputs.workbook import display_width, write_workbook
from selector.workflows.export import plan_from_schedule

DAY = dt.date(2012, 9, 30)
HYPERLINK = '=HYPERLINK("http://x","y")'

# Three units, one region, FY2555-2556, exactly one pilot. The pilot year upgrades exactly the
# pilots and its budget is 100, so only A (cost 100) fits as the pilot; B and C (150 + 120 = 270
# <= 300) go in FY2556. This is the only feasible plan, hence the optimum:
#   FY2555: 1 unit, 1 pilot, 100 baht of 100 (100%), coverage 1/3
#   FY2556: 2 units, 0 pilots, 270 baht of 300 (90%), coverage 3/3;   total 370 of 400 (92.5%).
# A's name is a formula and its note a URL: both must stay inert text.
TINY = f"""\
unit_id,name,region,cost,infrastructure,staff,leadership,importance,workload,success,risk,population,note
A,"{HYPERLINK.replace('"', '""')}",R,100,3,3,3,3,3,3,3,1200,http://example.com
B,สำนักงาน บี,R,150,4,4,4,4,4,4,2,3400,
C,สำนักงาน ซี,R,120,2,2,2,2,2,2,4,560,
"""
TINY_TOML = """\
[horizon]
first_year = 2555
last_year = 2556
[budget]
2555 = 100
2556 = 300
[pilots]
min = 1
max = 1
"""


@pytest.fixture
def tiny(write_scenario):
    return write_scenario(TINY, TINY_TOML)


@pytest.fixture
def plan(tiny):
    result = selector.solve(selector.load(tiny))
    assert result.status == "optimal"
    return result


def _rows(ws):
    return [[c.value for c in row] for row in ws.iter_rows()]


def test_sheet_names_in_thai_and_english(plan, tmp_path):
    write_workbook(plan, tmp_path / "th.xlsx", "th", DAY)
    write_workbook(plan, tmp_path / "en.xlsx", "en", DAY)
    assert openpyxl.load_workbook(tmp_path / "th.xlsx").sheetnames == [
        "ปก", "สรุป", "ปีงบประมาณ 2555", "ปีงบประมาณ 2556", "หน่วยนำร่อง", "สมมติฐาน"]
    assert openpyxl.load_workbook(tmp_path / "en.xlsx").sheetnames == [
        "Cover", "Summary", "FY2555", "FY2556", "Pilots", "Assumptions"]


def test_summary_matches_the_hand_worked_plan(plan, tmp_path):
    write_workbook(plan, tmp_path / "p.xlsx", "th", DAY)
    ws = openpyxl.load_workbook(tmp_path / "p.xlsx")["สรุป"]
    rows = _rows(ws)
    assert rows[0][:6] == ["ปีงบประมาณ", "ช่วงเวลา", "ระยะ", "จำนวนหน่วยที่ยกระดับ", "ในจำนวนนี้เป็นหน่วยนำร่อง",
                           "งบประมาณที่ขอ (บาท)"]
    assert rows[1] == ["ปีงบประมาณ พ.ศ. 2555", "1 ต.ค. 2554 – 30 ก.ย. 2555", "นำร่อง", 1, 1, 100, 1,
                       pytest.approx(1 / 3), 100, 1]
    assert rows[2] == ["ปีงบประมาณ พ.ศ. 2556", "1 ต.ค. 2555 – 30 ก.ย. 2556", "ระยะที่ 1", 2, 0, 270, 3, 1, 300,
                       pytest.approx(0.9)]
    assert rows[3] == ["รวม", None, None, 3, 1, 370, 3, 1, 400, pytest.approx(0.925)]


def test_per_year_sheets_total_the_schedule(plan, tmp_path):
    """Each year's sheet lists exactly that year's units, and its costs add up to the summary's."""
    write_workbook(plan, tmp_path / "p.xlsx", "en", DAY)
    book = openpyxl.load_workbook(tmp_path / "p.xlsx")
    summary = {r[0]: r for r in _rows(book["Summary"])[1:]}
    for year in (2555, 2556):
        rows = _rows(book[f"FY{year}"])
        header, body, total = rows[0], rows[1:-1], rows[-1]
        cost = header.index("Cost (baht)")
        expected = plan.schedule[plan.schedule["fiscal_year"] == year]
        assert [r[0] for r in body] == list(expected["unit_id"])
        assert sum(r[cost] for r in body) == total[cost] == expected["cost"].sum()
        assert summary[f"FY {year} (B.E.)"][5] == total[cost]
        assert summary[f"FY {year} (B.E.)"][3] == len(body)


def test_number_formats_and_frozen_header(plan, tmp_path):
    write_workbook(plan, tmp_path / "p.xlsx", "en", DAY)
    book = openpyxl.load_workbook(tmp_path / "p.xlsx")
    for ws in book.worksheets[1:]:  # every table; the cover is no table
        assert ws.freeze_panes == "A2", ws.title
    summary = book["Summary"]
    assert [c.number_format for c in summary[2]] == [
        "General", "General", "General", "#,##0", "#,##0", "#,##0", "#,##0", "0.0%", "#,##0", "0.0%"]
    assert all(c.data_type == "n" for c in summary[2][3:])  # numbers as numbers, not text
    year = book["FY2556"]
    header = [c.value for c in year[1]]
    assert year.cell(2, header.index("Cost (baht)") + 1).number_format == "#,##0"
    assert year.cell(2, header.index("population") + 1).data_type == "n"  # numeric pass-through column
    assert year.cell(2, header.index("Rollout priority") + 1).number_format == "0.0000"
    assert book["FY2555"].column_dimensions["B"].width > 10  # sized to the content


def test_formula_and_url_text_stay_inert(plan, tmp_path):
    target = tmp_path / "p.xlsx"
    write_workbook(plan, target, "en", DAY)
    ws = openpyxl.load_workbook(target)["FY2555"]
    name = ws["B2"]
    assert name.value == HYPERLINK and name.data_type == "s"
    assert ws.cell(2, [c.value for c in ws[1]].index("note") + 1).value == "http://example.com"
    assert not ws._hyperlinks
    with zipfile.ZipFile(target) as z:
        for item in z.namelist():
            if item.startswith("xl/worksheets/sheet"):
                xml = z.read(item).decode("utf-8")
                assert "<f>" not in xml and "<hyperlink" not in xml, item
            assert "hyperlink" not in item


def test_pilots_sheet_gives_scores_rank_and_reason(plan, tmp_path):
    """A is the pilot: pilot scores are B 0.75 > A 0.5 > C 0.25, so A ranks 2 of 3; it is R's only pilot."""
    write_workbook(plan, tmp_path / "p.xlsx", "en", DAY)
    rows = _rows(openpyxl.load_workbook(tmp_path / "p.xlsx")["Pilots"])
    header, body = rows[0], rows[1:]
    assert len(body) == 1
    row = dict(zip(header, body[0]))
    assert row["Unit id"] == "A" and row["infrastructure"] == 3 and row["risk"] == 3
    assert row["Pilot suitability"] == pytest.approx(0.5)
    assert row["Suitability rank"] == 2
    assert row["Why chosen"] == "ranks 2 of 3 on pilot suitability; the only pilot of region R"


def test_assumptions_are_enough_to_reproduce(plan, tiny, tmp_path):
    write_workbook(plan, tmp_path / "p.xlsx", "en", DAY)
    items = {r[0]: r[1] for r in _rows(openpyxl.load_workbook(tmp_path / "p.xlsx")["Assumptions"])[1:]}
    assert items["SHA-256 of the units file"] == hashlib.sha256(tiny.read_bytes()).hexdigest()
    assert items["SHA-256 of the settings file"] == hashlib.sha256(tiny.with_suffix(".toml").read_bytes()).hexdigest()
    assert items["Budget FY2556 (baht)"] == 300
    assert items["Pilot weight: success"] == pytest.approx(0.25)
    assert items["Rule: pilot count"] == "1 to 1 pilots"
    assert items["Rule: cover"] == "at least one pilot for every value of region"
    assert items["Status of the plan"] == "optimal (proven within the accepted gap)"
    assert items["Solver"].startswith("highs ")
    assert items["Date"] == "2012-09-30"
    assert items["selector version"] == selector.__version__


def test_same_plan_and_date_give_the_same_bytes(plan, tmp_path):
    for name in ("a", "b"):
        write_workbook(plan, tmp_path / f"{name}.xlsx", "th", DAY)
    write_workbook(plan, tmp_path / "c.xlsx", "th", DAY + dt.timedelta(days=1))
    assert (tmp_path / "a.xlsx").read_bytes() == (tmp_path / "b.xlsx").read_bytes()
    assert (tmp_path / "a.xlsx").read_bytes() != (tmp_path / "c.xlsx").read_bytes()
    assert openpyxl.load_workbook(tmp_path / "a.xlsx").properties.created == dt.datetime(2012, 9, 30)


def test_fiscal_period_and_thai_width():
    """FY2556 = 1 Oct 2012 - 30 Sep 2013 (B.E. 2555-2556); Thai marks above/below take no width."""
    assert fiscal_period(2556, "en") == "1 Oct 2012 – 30 Sep 2013"
    assert fiscal_period(2556, "th") == "1 ต.ค. 2555 – 30 ก.ย. 2556"
    assert display_width("ที่") == 1 and display_width("abc") == 3


# ---------------------------------------------------------------------------------------------
# Command line


def run(*args, env=None):
    return CliRunner().invoke(main, [str(a) for a in args], env=env)


def test_solve_writes_workbook_and_report(tiny, tmp_path):
    result = run("solve", tiny, "--xlsx", tmp_path / "p.xlsx", "--report", tmp_path / "p.html", "--lang", "en", "-q")
    assert result.exit_code == 0, result.output
    assert openpyxl.load_workbook(tmp_path / "p.xlsx").sheetnames[:2] == ["Cover", "Summary"]
    assert (tmp_path / "p.html").read_text(encoding="utf-8").startswith("<!DOCTYPE html>")


def test_export_from_a_schedule_file(plan, tiny, tmp_path):
    schedule = tmp_path / "sched.csv"
    write_schedule_csv(plan, schedule)
    result = run("export", schedule, "--scenario", tiny, "--xlsx", tmp_path / "e.xlsx", "--date", "2012-09-30")
    assert result.exit_code == 0, result.output
    book = openpyxl.load_workbook(tmp_path / "e.xlsx")
    write_workbook(plan, tmp_path / "s.xlsx", "th", DAY)
    solved = openpyxl.load_workbook(tmp_path / "s.xlsx")
    for name in book.sheetnames[1:-1]:  # same tables; only the cover's and the assumptions' status differ
        assert _rows(book[name]) == _rows(solved[name])
    proven = ("สถานะของแผน", "ช่องว่างที่พิสูจน์ได้")  # a checked schedule proves no gap
    assert [r for r in _rows(book["ปก"]) if r[0] not in proven] == [r for r in _rows(solved["ปก"])
                                                                    if r[0] not in proven]
    status = dict(_rows(book["สมมติฐาน"]))["สถานะของแผน"]
    assert status.startswith("อ่านจากไฟล์ตารางดำเนินการ")


def test_export_refuses_a_schedule_that_breaks_a_rule(plan, tiny, tmp_path):
    schedule = tmp_path / "sched.csv"
    write_schedule_csv(plan, schedule)
    text = schedule.read_text(encoding="utf-8-sig").replace("B,สำนักงาน บี,R,2556", "B,สำนักงาน บี,R,2555")
    schedule.write_text(text, encoding="utf-8-sig")
    result = run("export", schedule, "--scenario", tiny, "--xlsx", tmp_path / "e.xlsx")
    assert result.exit_code == 3
    assert "FY2555 spends 250 baht, over its budget of 100" in result.stderr
    assert not (tmp_path / "e.xlsx").exists()


def test_export_usage_errors(plan, tiny, tmp_path):
    schedule = tmp_path / "sched.csv"
    write_schedule_csv(plan, schedule)
    nothing = run("export", schedule, "--scenario", tiny)
    assert nothing.exit_code == 2 and "give --xlsx FILE and/or --report FILE" in nothing.stderr
    overwrite = run("export", schedule, "--scenario", tiny, "--xlsx", schedule)
    assert overwrite.exit_code == 2 and "overwrite an input" in overwrite.stderr
    bad_date = run("export", schedule, "--scenario", tiny, "--xlsx", tmp_path / "e.xlsx", "--date", "30/9/2555")
    assert bad_date.exit_code == 2 and "is not a date YYYY-MM-DD" in bad_date.stderr


def test_source_date_epoch_fixes_the_date(tiny, tmp_path):
    env = {"SOURCE_DATE_EPOCH": "1348963200"}  # 2012-09-30 00:00 UTC
    for name in ("a", "b"):
        assert run("solve", tiny, "--out", tmp_path / f"{name}.csv", "--xlsx", tmp_path / f"{name}.xlsx", "-q",
                   env=env).exit_code == 0
    items = dict(_rows(openpyxl.load_workbook(tmp_path / "a.xlsx")["สมมติฐาน"]))
    assert items["วันที่จัดทำ"] == "30 กันยายน พ.ศ. 2555 (2012-09-30)"


def test_plan_from_schedule_recomputes_the_objective(plan, tmp_path):
    schedule = tmp_path / "sched.csv"
    write_schedule_csv(plan, schedule)
    again = plan_from_schedule(plan.scenario, schedule)
    assert again.status == "checked" and not again.proven_optimal
    assert again.objective == pytest.approx(plan.objective)
    assert again.schedule.equals(plan.schedule)


def test_done_units_count_in_coverage_and_are_noted(write_scenario, tmp_path):
    """D is done already: it is in no year's sheet, but coverage counts it (FY2555: 2 of 4 units)."""
    csv = TINY.replace(",population,note\n", ",population,note,done\n").replace("http://example.com\n", "http://example.com,\n")
    csv = csv.replace(",3400,\n", ",3400,,\n").replace(",560,\n", ",560,,\n")
    csv += "D,สำนักงาน ดี,R,999,3,3,3,3,3,3,3,10,,true\n"
    plan = selector.solve(selector.load(write_scenario(csv, TINY_TOML)))
    write_workbook(plan, tmp_path / "p.xlsx", "en", DAY)
    book = openpyxl.load_workbook(tmp_path / "p.xlsx")
    rows = _rows(book["Summary"])
    assert [r[6] for r in rows[1:4]] == [2, 4, 4]
    assert rows[1][7] == pytest.approx(0.5) and rows[3][5] == 370  # D costs nothing
    assert rows[5][0] == "Units already done before the plan (not scheduled): 1"
    assert "D" not in [r[0] for ws in ("FY2555", "FY2556") for r in _rows(book[ws])]


def test_thai_rule_names_keep_the_family_name(plan, tmp_path):
    write_workbook(plan, tmp_path / "p.xlsx", "th", DAY)
    items = dict(_rows(openpyxl.load_workbook(tmp_path / "p.xlsx")["สมมติฐาน"])[1:])
    assert items["กฎ: งบประมาณรายปี (budget)"] == "ค่าใช้จ่ายของแต่ละปีไม่เกินวงเงินงบประมาณของปีนั้น"
    assert items["กฎ: จำนวนหน่วยนำร่อง (pilot count)"] == "จำนวนหน่วยนำร่อง 1 ถึง 1 หน่วย"


RULES = """\
unit_id,name,region,cost,infrastructure,staff,leadership,importance,workload,success,risk,pilot,earliest_year,latest_year,after
A,a,N,50,3,3,3,3,3,3,3,must,,,
B,b,S,50,4,4,4,4,4,4,2,,,,
C,c,S,60,5,5,5,5,5,5,1,never,2556,,
D,d,N,70,2,2,2,2,2,2,4,,,2556,A
"""
RULES_TOML = TINY_TOML.replace("min = 1\nmax = 1", "min = 2\nmax = 2").replace("2556 = 300", "2556 = 1000") + """\
[capacity]
max_units_per_year = 2
"""


def test_reasons_and_rules_name_every_per_unit_rule(write_scenario, tmp_path):
    """Pilot scores C 1.0 > B 0.75 > A 0.5 > D 0.25. C can never be a pilot, A must: the two pilots
    are A and B (100 baht, the whole FY2555 budget), each the only pilot of its region."""
    plan = selector.solve(selector.load(write_scenario(RULES, RULES_TOML)))
    write_workbook(plan, tmp_path / "p.xlsx", "en", DAY)
    book = openpyxl.load_workbook(tmp_path / "p.xlsx")
    pilots = {r[0]: r[-1] for r in _rows(book["Pilots"])[1:]}
    assert pilots == {
        "A": "ranks 3 of 4 on pilot suitability; marked pilot = must in the scenario; the only pilot of region N",
        "B": "ranks 2 of 4 on pilot suitability; the only pilot of region S",
    }
    items = dict(_rows(book["Assumptions"])[1:])
    assert items["Rule: must"] == "units that must be pilots: A"
    assert items["Rule: never"] == "units that cannot be pilots: C"
    assert items["Rule: window"] == "units with a window of years: C (2556–), D (–2556)"
    assert items["Rule: after"] == "order: D after A"
    assert items["Rule: capacity"] == "at most 2 units upgraded per year"
    assert items["Most units upgraded per year"] == 2
