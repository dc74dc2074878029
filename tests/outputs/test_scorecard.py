"""The monitoring workbook: the OPDC-shaped scorecard per unit, plan achievement, learning, power; Thai and English."""

from __future__ import annotations

import datetime as dt
import textwrap

import openpyxl
import pytest

import selector
from selector.outputs.scorecard import write_scorecard_workbook
from selector.workflows.evaluate import evaluate
from selector.workflows.learn import learn_from_pilots
from selector.workflows.monitor import monitor

from ..workflows.test_monitor import SCHEDULE, TOML, UNITS

DAY = dt.date(2013, 10, 1)


@pytest.fixture
def round12(tmp_path, write_scenario):
    csv = write_scenario(UNITS, TOML)
    (tmp_path / "schedule.csv").write_text(SCHEDULE, encoding="utf-8")
    results = tmp_path / "results.csv"
    results.write_text(textwrap.dedent("""\
        unit_id,indicator,result
        A,on_time,100
        A,wait,10
        B,on_time,92
        B,wait,30
        C,on_time,95
        """), encoding="utf-8")
    sc = selector.load(csv)
    return sc, tmp_path / "schedule.csv", monitor(sc, tmp_path / "schedule.csv", results, 12, 2557)


def rows(sheet):
    return [tuple(c for c in r) for r in sheet.iter_rows(values_only=True)]


def test_the_scorecard_sheet_has_the_opdc_shape_in_thai(round12, tmp_path):
    """B: on_time 92 -> 3.4 (weighted 0.6 x 3.4 = 2.04), wait 30 -> 2.5 (0.4 x 2.5 = 1.0): overall 3.04, meets."""
    sc, schedule, m = round12
    target = tmp_path / "card.xlsx"
    write_scorecard_workbook(target, "th", m, day=DAY)
    book = openpyxl.load_workbook(target)
    assert book.sheetnames == ["ผลคะแนน รอบ 12 เดือน", "ผลสำเร็จตามแผน"]
    card = rows(book.worksheets[0])
    assert card[0][0] == "รายงานผลการประเมินตามคำรับรองการปฏิบัติราชการ ปีงบประมาณ พ.ศ. 2557 รอบ 12 เดือน"
    start = next(i for i, r in enumerate(card) if r[0] and str(r[0]).startswith("B b"))
    assert card[start][0] == "B b (ปีงบประมาณ พ.ศ. 2556, หน่วยนำร่อง)"
    assert card[start + 1][:4] == ("มิติ", "ตัวชี้วัดผลการปฏิบัติราชการ", "หน่วยวัด", "น้ำหนัก (ร้อยละ)")
    assert card[start + 2][0] == "ประสิทธิผล" and card[start + 2][3:12] == (60, 80, 85, 90, 95, 100, 92, 3.4, 2.04)
    assert card[start + 3][3:12] == (40, 45, 35, 25, 20, 15, 30, 2.5, 1.0)
    assert card[start + 4][1] == "รวม" and card[start + 4][3] == 100 and card[start + 4][11] == 3.04
    assert card[start + 5][3] == "ผ่านเกณฑ์มาตรฐาน"
    c = next(i for i, r in enumerate(card) if r[0] and str(r[0]).startswith("C c"))
    assert card[c + 3][9] == "ไม่ได้รายงาน" and card[c + 5][3] == "ไม่ได้รายงานผล"  # C's waiting time is missing
    achievement = rows(book.worksheets[1])
    assert achievement[1][:3] == (2556, 2, 2) and achievement[2][:4] == (2557, 3, 0, 0)


def test_english_with_learning_and_power_and_the_same_bytes_twice(round12, tmp_path):
    sc, schedule, m = round12
    learning = learn_from_pilots(m)
    power = evaluate(sc, [schedule], effect=0.5, icc=0.1, per_unit=20, permutations=5)
    first, second = tmp_path / "a.xlsx", tmp_path / "b.xlsx"
    for target in (first, second):
        write_scorecard_workbook(target, "en", m, learning, power, day=DAY)
    assert first.read_bytes() == second.read_bytes()
    book = openpyxl.load_workbook(first)
    assert book.sheetnames == ["Scorecard round 12", "Plan achievement", "Learning from pilots", "Evaluation power"]
    tiers = rows(book["Learning from pilots"])
    assert tiers[0][:3] == ("Readiness tier", "Pilots", "Fully reported") and tiers[3][:3] == ("high", 2, 2)
    sheet = rows(book["Evaluation power"])
    assert sheet[1][2] == pytest.approx(power.designs[0].power)
    assert sheet[3][0].startswith("Read as a stepped-wedge design (Hussey & Hughes 2007), the plan has a")


def test_the_report_has_achievement_the_pilots_scorecards_and_the_power_paragraph(round12, tmp_path):
    from selector.outputs.scorecard import scorecard_report_html, write_scorecard_report

    sc, schedule, m = round12
    power = evaluate(sc, [schedule], effect=0.5, icc=0.1, per_unit=20, permutations=0)
    page = scorecard_report_html(m, "th", learn_from_pilots(m), power, day=DAY)
    assert "<title>รายงานผลการประเมินตามคำรับรองการปฏิบัติราชการ ปีงบประมาณ พ.ศ. 2557 รอบ 12 เดือน</title>" in page
    assert page.count("<h3>") == 2  # the two pilots' scorecards, A and B
    assert "<h3>B b: ผ่านเกณฑ์มาตรฐาน</h3>" in page and "<td class=\"num\">3.0400</td>" in page
    assert "เมื่อมองแผนเป็นการทดลองแบบขั้นบันได" in page and "ผลสำเร็จตามแผนแยกตามภาค" in page
    write_scorecard_report(tmp_path / "r.html", m, "en", day=DAY)
    english = (tmp_path / "r.html").read_text(encoding="utf-8")
    assert "<h2>Plan achievement</h2>" in english and "Evaluation power" not in english
    assert "<td class=\"short\">not reported</td>" in english  # C's verdict in the table of every unit


def test_the_power_sheet_and_report_show_the_near_optimal_plans_in_thai_and_english(tmp_path, write_scenario, round12):
    """The tight scenario of tests/workflows/test_evaluate.py (two units a year, exactly two pilots) with
    unequal sizes: the plans' table under the schedule's row, and the sentence on randomising in both languages."""
    from selector.outputs.scorecard import scorecard_report_html

    from ..workflows.test_evaluate import PILOTS_TWO
    from ..workflows.test_evaluate import UNITS as TIGHT_UNITS

    sc = selector.load(write_scenario(TIGHT_UNITS, PILOTS_TWO, stem="tight"))
    schedule = tmp_path / "tight-schedule.csv"
    schedule.write_text(selector.solve(sc).schedule[["unit_id", "fiscal_year", "pilot"]].to_csv(index=False),
                        encoding="utf-8")
    e = evaluate(sc, [schedule], effect=0.2, icc=0.1, per_unit="people", permutations=0, alternatives=3, within=0.5)
    powers = [p.power for p in e.randomised.plans]
    verb_en, verb_th = ("raises", "เพิ่ม") if e.randomised.mean_power > e.designs[0].power else ("lowers", "ลด")
    for lang, title, verb, head in (("en", "Evaluation power", verb_en, "Plans within 50% of the optimum"),
                                    ("th", "อำนาจการทดสอบ", verb_th, "ทางเลือกที่ใกล้เคียงแผนที่ดีที่สุด (ไม่เกินร้อยละ 50)")):
        target = tmp_path / f"power-{lang}.xlsx"
        write_scorecard_workbook(target, lang, evaluation=e, day=DAY)
        sheet = rows(openpyxl.load_workbook(target)[title])
        assert sheet[3][0] == head
        assert [r[0] for r in sheet[5:8]] == ["plan 1", "plan 2", "plan 3"]
        assert [r[5] for r in sheet[5:8]] == pytest.approx(powers)
        assert sheet[5][3] == "2556:2 2557:2 2558:2"
        paragraph = sheet[9][0]
        assert f"{e.designs[0].power:.1%}" in paragraph and f"{e.randomised.mean_power:.1%}" in paragraph
        assert verb in paragraph and ("0.333" in paragraph)  # the 1/K floor of a randomisation test, K = 3
    page = scorecard_report_html(round12[2], "th", evaluation=e, day=DAY)
    assert "ทางเลือกที่ใกล้เคียงแผนที่ดีที่สุด (ไม่เกินร้อยละ 50)</h3>" in page
    assert f"การสุ่มเลือกหนึ่งในทางเลือก 3 แบบที่ห่างจากค่าที่ดีที่สุดไม่เกิน 50% {verb_th}อำนาจการทดสอบจาก" in page
