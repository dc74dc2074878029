"""The ten things a new planner ran into (issue 15), each now answered with the message that names the fix.

A planner of another department wrote a 12-office scenario of their own, as they would in Excel.
Each test is one of the habits or slips of that session; the message (or the accepted input) is
checked as the planner sees it, through the command line.
"""

from __future__ import annotations

import re
import textwrap

import openpyxl
from click.testing import CliRunner

from selector.cli import main
from tests.data.test_workbook import HEADER, ROWS
from tests.model.test_build import FOUR, FOUR_TOML

TOML_2567 = """\
[horizon]
first_year = 2567
last_year = 2568
[budget]
2567 = 20
2568 = 20
[pilots]
min = 1
max = 2
"""


def run(*args):
    return CliRunner().invoke(main, [str(a) for a in args])


def problems_in(stderr: str) -> list[str]:
    return [line for line in stderr.splitlines() if line.startswith("  - ")] or stderr.splitlines()[:1]


def write(tmp_path, csv_text=FOUR, toml_text=FOUR_TOML, stem="land"):
    csv_path = tmp_path / f"{stem}.csv"
    csv_path.write_text(textwrap.dedent(csv_text), encoding="utf-8")
    if toml_text is not None:
        (tmp_path / f"{stem}.toml").write_text(textwrap.dedent(toml_text), encoding="utf-8")
    return csv_path


def test_1_the_scores_workbook_itself_is_a_scenario(tmp_path):
    book = openpyxl.Workbook()
    book.active.append(HEADER)
    for row in ROWS:
        book.active.append(row)
    book.save(tmp_path / "land.xlsx")
    (tmp_path / "land.toml").write_text(FOUR_TOML, encoding="utf-8")
    result = run("solve", tmp_path / "land.xlsx")
    assert result.exit_code == 0, result.output
    assert (tmp_path / "land-schedule.csv").exists()


def test_2_there_is_a_blank_form_to_fill_in(tmp_path):
    result = run("template", tmp_path / "form.xlsx", "--units", "12")
    assert result.exit_code == 0 and (tmp_path / "form.xlsx").exists()
    assert openpyxl.load_workbook(tmp_path / "form.xlsx").sheetnames == ["หน่วยงาน", "ค่ากำหนด", "คำแนะนำ"]


def test_3_trailing_empty_columns_of_an_excel_export_are_ignored_with_a_note(tmp_path):
    padded = "\n".join(line + ",,," for line in FOUR.splitlines()) + "\n"
    result = run("solve", write(tmp_path, padded), "-q")
    assert result.exit_code == 0, result.output
    assert "Note: " in result.stderr and "3 empty column(s) without a header at the end of each line were ignored" in result.stderr


def test_4_a_thai_header_is_the_column_it_names(tmp_path):
    thai = FOUR.replace(",risk\n", ",ความเสี่ยง\n", 1).replace("unit_id,name,region,cost", "รหัสหน่วย,ชื่อหน่วยงาน,ภาค,ค่าใช้จ่าย (บาท)")
    assert thai.splitlines()[0].endswith("ความเสี่ยง")
    plain = run("solve", write(tmp_path, FOUR, stem="plain"), "-q")
    result = run("solve", write(tmp_path, thai), "-q")
    assert plain.exit_code == result.exit_code == 0, result.output
    assert (tmp_path / "land-schedule.csv").read_bytes() == (tmp_path / "plain-schedule.csv").read_bytes()


def test_5_comma_thousands_in_the_toml_get_the_underscore_fix(tmp_path):
    toml = TOML_2567.replace("2567 = 20", "2567 = 5,000,000").replace("2568 = 20", "2568 = 6,500,000")
    result = run("solve", write(tmp_path, FOUR.replace(",10,", ",1000000,"), toml))
    assert result.exit_code == 2
    lines = problems_in(result.stderr)
    assert len(lines) == 2  # both lines at once, not one TOML parse error at a time
    assert "land.toml, line 5: '2567 = 5,000,000': a TOML number cannot have commas. Fix: write 2567 = 5_000_000" in lines[0]
    assert "land.toml, line 6: '2568 = 6,500,000'" in lines[1] and "write 2568 = 6_500_000" in lines[1]


def test_6_no_toml_at_all_says_it_is_missing_and_what_to_write(tmp_path):
    result = run("solve", write(tmp_path, toml_text=None))
    assert result.exit_code == 2
    lines = problems_in(result.stderr)
    assert len(lines) == 1, result.stderr
    assert "land.toml, column '[budget]': the settings file does not exist, so no fiscal year has a budget" in lines[0]
    assert "Fix: create land.toml beside the units" in lines[0] and "[budget] with 2555 = 100_000_000" in lines[0]
    assert "no budget for fiscal year" not in result.stderr


def test_7_christian_era_horizon_gets_the_be_fix_and_nothing_else(tmp_path):
    """first_year = 2024: one problem per year written, with its B.E. form; the budget lines written for
    the B.E. years meant (2567, 2568) and the units' years are not reported against a 2555-2558 horizon."""
    toml = TOML_2567.replace("first_year = 2567", "first_year = 2024").replace("last_year = 2568", "last_year = 2025")
    csv = FOUR.replace("unit_id,", "earliest_year,unit_id,").replace("\nA,", "\n2568,A,")
    for line in ("B", "C", "D"):
        csv = csv.replace(f"\n{line},", f"\n,{line},")
    result = run("solve", write(tmp_path, csv, toml))
    assert result.exit_code == 2
    lines = problems_in(result.stderr)
    assert len(lines) == 2, result.stderr
    assert "column '[horizon] first_year': first_year = 2024 is a Christian-Era year. Fix: write the Buddhist-Era year: " \
           "first_year = 2567 (B.E. = C.E. + 543)" in lines[0]
    assert "last_year = 2025 is a Christian-Era year" in lines[1] and "last_year = 2568" in lines[1]
    assert "2555" not in result.stderr


def test_7b_christian_era_budget_keys_get_the_be_fix(tmp_path):
    toml = TOML_2567.replace("2567 = 20", "2024 = 20_000")
    result = run("solve", write(tmp_path, FOUR, toml))
    lines = problems_in(result.stderr)
    assert result.exit_code == 2 and len(lines) == 1, result.stderr
    assert "column '[budget] 2024': budget year 2024 is a Christian-Era year. Fix: write the Buddhist-Era year: " \
           "2567 = 20_000" in lines[0]


def test_8_christian_era_budget_override_gets_the_be_fix(tmp_path):
    result = run("solve", write(tmp_path, FOUR, TOML_2567), "--budget", "2025=20")
    lines = problems_in(result.stderr)
    assert result.exit_code == 2 and len(lines) == 1, result.stderr
    assert "--budget: '2025=20': 2025 is a Christian-Era year. Fix: write the Buddhist-Era year: --budget 2568=20" in lines[0]


def test_9_the_summary_and_the_errors_are_in_thai_with_lang_th(tmp_path):
    solved = run("solve", write(tmp_path), "--lang", "th")
    assert solved.exit_code == 0 and "สถานะ: เหมาะสมที่สุด" in solved.stdout
    refused = run("solve", write(tmp_path, FOUR.replace(",5,5,5,3,3,5,1", ",5,5,5,3,3,5,9")), "--lang", "th")
    assert refused.exit_code == 2
    assert "ค่า 9 อยู่นอกมาตราส่วน 1 ถึง 5 วิธีแก้: ใช้คะแนนตั้งแต่ 1 ถึง 5" in refused.stderr


def test_10_the_explanation_column_and_the_charts_are_in_thai(tmp_path):
    import selector
    from selector.outputs import plots

    assert run("solve", write(tmp_path), "--lang", "th", "-q").exit_code == 0
    schedule = (tmp_path / "land-schedule.csv").read_text(encoding="utf-8-sig")
    assert "นำร่อง: ความเหมาะสมเป็นหน่วยนำร่องอันดับ 1 จาก 4 หน่วย" in schedule
    assert re.search(r"^unit_id,name,region,fiscal_year,phase,pilot,", schedule)  # column names stay ASCII
    plan = selector.solve(selector.load(tmp_path / "land.csv"))
    assert plots.coverage_chart(plan, lang="th").axes[0].get_title() == "ความครอบคลุมสะสม"
