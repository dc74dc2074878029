"""`selector template`: the workbook to fill in has its headers, checks, rules and instructions, and
it round-trips (selector/outputs/template.py, selector/cli/commands/template.py)."""

from __future__ import annotations

import shutil

import openpyxl
import pytest
from click.testing import CliRunner

from selector.cli import main
from selector.fields import THAI_LABELS
from tests.conftest import DEFAULT_CSV
from tests.data.test_workbook import FIXTURES, ROWS
from tests.model.test_build import FOUR_TOML


def template(tmp_path, *args):
    out = tmp_path / "plan.xlsx"
    result = CliRunner().invoke(main, ["template", str(out), "-q", *args])
    assert result.exit_code == 0, result.output
    return out


def test_the_checks_are_in_the_sheet_xml(tmp_path):
    """Read back with openpyxl: scores 1-5 as a drop-down, pilot must/never, B.E. years within the
    horizon, cost >= 0, done true/false, each over the empty rows below the header."""
    book = openpyxl.load_workbook(template(tmp_path, "--units", "7", "--first-year", "2570", "--years", "3"))
    assert book.sheetnames == ["หน่วยงาน", "ค่ากำหนด", "คำแนะนำ"]
    sheet = book["หน่วยงาน"]
    headers = [c.value for c in sheet[1]]
    assert headers[:4] == ["รหัสหน่วย", "ชื่อหน่วยงาน", "ภาค", "ค่าใช้จ่าย (บาท)"] and "ความเสี่ยง" in headers
    letter = {THAI_LABELS[name]: openpyxl.utils.get_column_letter(i + 1) for i, name in enumerate(THAI_LABELS)}
    rules = {str(v.sqref): v for v in sheet.data_validations.dataValidation}
    risk = rules[f"{letter['ความเสี่ยง']}2:{letter['ความเสี่ยง']}8"]
    assert (risk.type, risk.formula1) == ("list", '"1,2,3,4,5"')
    pilot = rules[f"{letter['หน่วยนำร่อง']}2:{letter['หน่วยนำร่อง']}8"]
    assert (pilot.type, pilot.formula1) == ("list", '"must,never"')
    year = rules[f"{letter['ปีงบประมาณที่เริ่มได้']}2:{letter['ปีงบประมาณที่เริ่มได้']}8"]
    assert (year.type, year.operator or "between", year.formula1, year.formula2) == ("whole", "between", "2570", "2572")
    cost = rules[f"{letter['ค่าใช้จ่าย (บาท)']}2:{letter['ค่าใช้จ่าย (บาท)']}8"]
    assert (cost.type, cost.operator, cost.formula1) == ("decimal", "greaterThanOrEqual", "0")
    assert all((v.errorStyle or "stop") == "stop" and v.showErrorMessage for v in rules.values())
    assert sheet["A1"].comment is not None and "unit_id" in sheet["A1"].comment.text


def test_the_rules_sheet_has_the_defaults_and_a_budget_row_per_year(tmp_path):
    book = openpyxl.load_workbook(template(tmp_path, "--first-year", "2570", "--years", "3", "--lang", "en"))
    assert book.sheetnames == ["units", "rules", "instructions"]
    rows = {r[0]: r[1] for r in book["rules"].iter_rows(min_row=2, values_only=True)}
    assert rows["horizon.first_year"] == 2570 and rows["horizon.last_year"] == 2572
    assert [k for k in rows if k.startswith("budget.")] == ["budget.2570", "budget.2571", "budget.2572"]
    assert all(rows[f"budget.{y}"] is None for y in (2570, 2571, 2572))  # the planner's to fill in
    assert rows["pilots.min"] == 1 and rows["pilots.cover"] == "region" and rows["weights.pilot.success"] == 0.25
    assert [c.value for c in book["units"][1]][:3] == ["unit_id", "name", "region"]
    text = [r[0] for r in book["instructions"].iter_rows(values_only=True) if r[0]]
    assert text[0] == "How to fill in this workbook" and "Example of a filled row:" in text
    assert "DLT-001" in text  # the example row under its headers


def test_a_filled_template_solves_to_the_schedule_of_the_same_csv(tmp_path):
    path = template(tmp_path, "--units", "6", "--first-year", "2555", "--years", "2")
    book = openpyxl.load_workbook(path)
    units = book["หน่วยงาน"]
    for i, row in enumerate(ROWS, start=2):
        for j, value in enumerate(row, start=1):
            units.cell(i, j, value)
    rules = book["ค่ากำหนด"]
    for row in rules.iter_rows(min_row=2):
        if row[0].value in ("budget.2555", "budget.2556"):
            row[1].value = 20
        if row[0].value == "pilots.max":
            row[1].value = 2
    book.save(path)
    shutil.copy(FIXTURES / "four.csv", tmp_path / "four.csv")
    shutil.copy(FIXTURES / "four.toml", tmp_path / "four.toml")
    runner = CliRunner()
    filled = runner.invoke(main, ["solve", str(path), "--out", str(tmp_path / "a.csv"), "-q"])
    plain = runner.invoke(main, ["solve", str(tmp_path / "four.csv"), "--out", str(tmp_path / "b.csv"), "-q"])
    assert filled.exit_code == plain.exit_code == 0, filled.output
    assert (tmp_path / "a.csv").read_bytes() == (tmp_path / "b.csv").read_bytes()


def test_an_empty_template_is_refused_saying_it_has_no_units(tmp_path):
    result = CliRunner().invoke(main, ["solve", str(template(tmp_path, "--first-year", "2570", "--years", "2"))])
    assert result.exit_code == 2
    assert "plan.xlsx: has a header but no units. Fix: add one line per unit" in result.stderr


def test_the_default_scenario_as_a_template_reads_back_to_the_same_schedule(tmp_path):
    out = tmp_path / "dlt.xlsx"
    runner = CliRunner()
    assert runner.invoke(main, ["template", str(out), "--from", str(DEFAULT_CSV), "--units", "0", "-q"]).exit_code == 0
    back = runner.invoke(main, ["solve", str(out), "--out", str(tmp_path / "a.csv"), "-q"])
    direct = runner.invoke(main, ["solve", str(DEFAULT_CSV), "--out", str(tmp_path / "b.csv"), "-q"])
    assert back.exit_code == direct.exit_code == 0, back.output
    assert (tmp_path / "a.csv").read_bytes() == (tmp_path / "b.csv").read_bytes()


def test_the_same_template_is_the_same_bytes(tmp_path):
    first = template(tmp_path, "--first-year", "2570").read_bytes()
    assert template(tmp_path, "--first-year", "2570").read_bytes() == first


@pytest.mark.parametrize("name", ["plan.csv", "plan.xls"])
def test_the_template_must_be_an_xlsx(tmp_path, name):
    result = CliRunner().invoke(main, ["template", str(tmp_path / name)])
    assert result.exit_code == 2 and "Fix: give a file name ending in .xlsx" in result.stderr


def test_a_scenario_with_funds_is_not_written_as_a_template_that_would_lose_them(tmp_path):
    from tests.model.test_build import FOUR

    (tmp_path / "f.csv").write_text(FOUR, encoding="utf-8")
    (tmp_path / "f.toml").write_text(FOUR_TOML + '[[funds]]\nname = "central"\namounts = {2555 = 20, 2556 = 20}\n',
                                     encoding="utf-8")
    result = CliRunner().invoke(main, ["template", str(tmp_path / "t.xlsx"), "--from", str(tmp_path / "f.csv")])
    assert result.exit_code == 2 and not (tmp_path / "t.xlsx").exists()
    assert "column '[[funds]]': the scenario's [[funds]] cannot be written in a rules sheet" in result.stderr
