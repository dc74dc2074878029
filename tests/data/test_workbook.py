"""A scenario straight from a workbook: the same schedule as its CSV, the planner's sheet habits
accepted, and every refusal naming the sheet and the cell (selector/data/workbook.py)."""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner

import selector
from selector.cli import main
from selector.data.workbook import cell_text, column_letter, sheet_reference
from selector.errors import ScenarioError
from tests.conftest import DEFAULT_CSV
from tests.model.test_build import FOUR_TOML

FIXTURES = Path(__file__).parent / "workbooks"
HEADER = ["unit_id", "name", "region", "cost", "infrastructure", "staff", "leadership", "importance", "workload",
          "success", "risk"]
ROWS = [["A", "สำนักงาน ก", "North", 10, 5, 5, 5, 3, 3, 5, 1],
        ["B", "สำนักงาน ข", "North", 10, 3, 3, 3, 5, 5, 3, 3],
        ["C", "สำนักงาน ค", "South", 10, 4, 4, 4, 1, 1, 4, 2],
        ["D", "สำนักงาน ง", "South", 10, 1, 1, 1, 4, 4, 1, 5]]
THAI_HEADER = ["รหัสหน่วย", "ชื่อหน่วยงาน", "ภาค", "ค่าใช้จ่าย (บาท)", "ความพร้อมด้านโครงสร้างพื้นฐาน",
               "ความพร้อมของบุคลากร", "ความพร้อมของผู้บริหาร", "ความสำคัญของงาน", "ปริมาณงาน", "โอกาสความสำเร็จ",
               "ความเสี่ยง"]


def solve_to(path: Path, out: Path, *args: str):
    return CliRunner().invoke(main, ["solve", str(path), "--out", str(out), "-q", *args])


def test_the_libreoffice_workbook_solves_to_the_csv_schedule_byte_for_byte(tmp_path):
    """four.xlsx was made by `soffice --headless --convert-to xlsx four.csv` (LibreOffice 7): typed cells,
    Thai names in shared strings; four.toml beside both is read for either."""
    from_csv = solve_to(FIXTURES / "four.csv", tmp_path / "csv.csv")
    from_xlsx = solve_to(FIXTURES / "four.xlsx", tmp_path / "xlsx.csv")
    assert from_csv.exit_code == from_xlsx.exit_code == 0, from_xlsx.output
    assert (tmp_path / "xlsx.csv").read_bytes() == (tmp_path / "csv.csv").read_bytes()


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice (soffice) is not installed")
def test_the_default_scenario_converted_by_libreoffice_gives_the_same_schedule(tmp_path):
    shutil.copy(DEFAULT_CSV, tmp_path / "dlt.csv")
    shutil.copy(DEFAULT_CSV.with_suffix(".toml"), tmp_path / "dlt.toml")
    subprocess.run(["soffice", "--headless", "--infilter=CSV:44,34,76,1", "--convert-to", "xlsx", "--outdir",
                    str(tmp_path), str(tmp_path / "dlt.csv")], check=True, capture_output=True, timeout=300)
    assert solve_to(tmp_path / "dlt.csv", tmp_path / "a.csv").exit_code == 0
    result = solve_to(tmp_path / "dlt.xlsx", tmp_path / "b.csv")
    assert result.exit_code == 0, result.output
    assert (tmp_path / "b.csv").read_bytes() == (tmp_path / "a.csv").read_bytes()


def _planner_workbook(path: Path) -> None:
    """The four units as a planner's sheet: a title and a date above Thai headers, typed cells, the region
    merged down over its units, a hidden row, formatted empty columns and rows after the data."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "หน่วยงาน"
    sheet["A1"] = "แผนยกระดับสำนักงาน ปีงบประมาณ 2555-2556"
    sheet["A2"] = dt.date(2012, 9, 1)
    sheet.append(THAI_HEADER + [None, None])
    for row in ROWS:
        sheet.append(row)
    sheet["C5"] = None
    sheet.merge_cells("C4:C5")  # North for A and B
    sheet.row_dimensions[6].hidden = True
    for cell in ("M3", "N3", "M9", "A12"):
        sheet[cell].number_format = "0.00"  # formatted but empty: Excel exports these as trailing cells
    sheet["D4"].number_format = "#,##0"
    other = book.create_sheet("notes")
    other["A1"] = "not the units"
    book.save(path)


def test_a_planners_workbook_with_thai_headers_a_title_and_merged_cells_solves(tmp_path):
    _planner_workbook(tmp_path / "plan.xlsx")
    (tmp_path / "plan.toml").write_text(FOUR_TOML, encoding="utf-8")
    (tmp_path / "four.csv").write_bytes((FIXTURES / "four.csv").read_bytes())
    (tmp_path / "four.toml").write_text(FOUR_TOML, encoding="utf-8")
    result = solve_to(tmp_path / "plan.xlsx", tmp_path / "plan-schedule.csv")
    assert result.exit_code == 0, result.output
    assert solve_to(tmp_path / "four.csv", tmp_path / "four-schedule.csv").exit_code == 0
    assert (tmp_path / "plan-schedule.csv").read_bytes() == (tmp_path / "four-schedule.csv").read_bytes()
    assert "rows 1-2 of sheet 'หน่วยงาน' are above the header" in result.stderr
    assert "merged cells C4:C5" in result.stderr and "rows 6 of sheet 'หน่วยงาน' are hidden" in result.stderr


def _four_workbook(path: Path, edit=None, header=HEADER) -> Path:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "units"
    sheet.append(header)
    for row in ROWS:
        sheet.append(row)
    if edit:
        edit(sheet)
    book.save(path)
    path.with_suffix(".toml").write_text(FOUR_TOML, encoding="utf-8")
    return path


def _refusal(path: Path, *args: str):
    before = sorted(p.name for p in path.parent.iterdir())
    result = CliRunner().invoke(main, ["solve", str(path), *args])
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output and result.stdout == ""
    assert sorted(p.name for p in path.parent.iterdir()) == before  # nothing written
    return result.stderr


def test_a_formula_without_a_saved_value_names_its_cell(tmp_path):
    """openpyxl writes the formula and no value, as a file never opened and saved in Excel has."""
    path = _four_workbook(tmp_path / "f.xlsx", lambda s: s.__setitem__("D3", "=D2*1"))
    stderr = _refusal(path)
    assert "f.xlsx, units!D3: is a formula without a saved value" in stderr
    assert "Fix: open the file in Excel and save it, or copy the column and paste it as values" in stderr
    assert "value is empty" not in stderr  # the unsaved formula is the one problem of its cell


def test_a_date_in_a_year_column_names_its_cell_and_the_fix(tmp_path):
    def dated(sheet):
        sheet["L1"] = "earliest_year"
        sheet["L4"] = dt.datetime(2013, 1, 1)
        sheet["L4"].number_format = "d/m/yyyy"

    stderr = _refusal(_four_workbook(tmp_path / "d.xlsx", dated))
    assert "d.xlsx, units!L4, column 'earliest_year': is a date (2013-01-01), not a number" in stderr
    assert "Fix: type the Buddhist-Era fiscal year as a number such as 2556" in stderr
    assert "is not a number. Fix: write a plain number" not in stderr  # the date is reported once, not twice


def test_a_missing_column_names_the_sheet_and_the_header_row(tmp_path):
    path = _four_workbook(tmp_path / "m.xlsx", lambda s: s.delete_cols(11))
    stderr = _refusal(path)
    assert "m.xlsx, units!1:1, column 'risk': required column is missing. Fix: add a column named 'risk'" in stderr


def test_a_bad_value_names_its_cell(tmp_path):
    stderr = _refusal(_four_workbook(tmp_path / "v.xlsx", lambda s: s.__setitem__("E3", "high")))
    assert "v.xlsx, units!E3, column 'infrastructure': value 'high' is not a number" in stderr


def test_a_workbook_cell_meets_the_text_rules_of_a_csv_cell(tmp_path):
    """An id with a zero-width space would be a second unit that looks like the first; a name with a
    right-to-left override would show reversed: refused at their cells, shown escaped, as in a CSV."""
    def hidden(sheet):
        sheet["A3"] = "B\u200b"
        sheet["B4"] = "สำนักงาน \u202eค"

    stderr = _refusal(_four_workbook(tmp_path / "t.xlsx", hidden))
    assert "t.xlsx, units!A3, column 'unit_id': value " in stderr and "'B\\u200b'" in stderr
    assert "t.xlsx, units!B4, column 'name': value " in stderr


def test_an_old_xls_workbook_is_refused_with_the_fix(tmp_path):
    path = tmp_path / "old.xls"
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 504)
    stderr = _refusal(path)
    assert "old.xls: is an old Excel workbook (.xls), which selector does not read" in stderr
    assert "Fix: in Excel choose File > Save As > 'Excel Workbook (.xlsx)'" in stderr


def test_the_rules_sheet_holds_the_settings_and_a_toml_beside_wins(tmp_path):
    def rules(sheet):
        book = sheet.parent
        table = book.create_sheet("rules")
        table.append(["key", "value", "meaning"])
        for key, value in (("horizon.first_year", 2555), ("horizon.last_year", 2556), ("budget.2555", 20),
                           ("budget.2556", "20"), ("pilots.min", 1), ("pilots.max", 2), ("pilots.cover", "region")):
            table.append([key, value])

    path = _four_workbook(tmp_path / "r.xlsx", rules)
    path.with_suffix(".toml").unlink()
    sc = selector.load(path)
    assert sc.settings.budget == {2555: 20, 2556: 20} and sc.settings.pilots_max == 2 and sc.notes == ()
    path.with_suffix(".toml").write_text(FOUR_TOML.replace("max = 2", "max = 1"), encoding="utf-8")
    sc = selector.load(path)
    assert sc.settings.pilots_max == 1
    assert sc.notes == (f"{path.with_suffix('.toml')} beside the workbook is used; the sheet 'rules' of {path} is not read",)


def test_a_bad_rule_names_its_cell_in_the_rules_sheet(tmp_path):
    def rules(sheet):
        table = sheet.parent.create_sheet("ค่ากำหนด")
        for row in (["ชื่อ", "ค่า"], ["horizon.first_year", 2555], ["horizon.last_year", 2556], ["budget.2555", 20],
                    ["budget.2556", -5]):
            table.append(row)

    path = _four_workbook(tmp_path / "b.xlsx", rules)
    path.with_suffix(".toml").unlink()
    with pytest.raises(ScenarioError) as err:
        selector.load(path)
    assert "b.xlsx, ค่ากำหนด!B5, column '[budget] 2556': budget 2556 = -5 is not an amount of baht >= 0" in str(err.value)


def test_sheet_chooses_the_units_sheet_and_an_unknown_sheet_lists_them(tmp_path):
    def second(sheet):
        sheet.title = "first"
        copy = sheet.parent.copy_worksheet(sheet)
        copy.title = "mine"
        sheet["A2"] = ""  # the first sheet alone would be refused (unit_id empty)

    path = _four_workbook(tmp_path / "s.xlsx", second)
    assert CliRunner().invoke(main, ["validate", str(path), "--sheet", "mine"]).exit_code == 0
    assert CliRunner().invoke(main, ["validate", str(path)]).exit_code == 2
    stderr = _refusal(path, "--sheet", "nope")
    assert "s.xlsx: has no sheet named 'nope'. Fix: give --sheet one of: first, mine" in stderr


def test_a_column_with_values_but_no_header_names_its_cell(tmp_path):
    stderr = _refusal(_four_workbook(tmp_path / "n.xlsx", lambda s: s.__setitem__("M3", "x")))
    assert "n.xlsx, units!M1: a column has no name" in stderr


@pytest.mark.parametrize("value, text", [(2556, "2556"), (2556.0, "2556"), (0.35, "0.35"), (1200000.0, "1200000"),
                                         (True, "true"), (False, "false"), (" ภาคเหนือ ", "ภาคเหนือ"), (None, "")])
def test_a_typed_cell_reads_as_the_csv_would_hold_it(value, text):
    assert cell_text(value) == text


def test_cell_references_are_written_as_excel_writes_them():
    assert [column_letter(i) for i in (0, 25, 26, 701, 702)] == ["A", "Z", "AA", "ZZ", "AAA"]
    assert sheet_reference("units", "D7") == "units!D7"
    assert sheet_reference("my units", "D7") == "'my units'!D7"
