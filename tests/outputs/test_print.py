"""The workbook prints as a submission: A4 landscape, one page wide, header rows repeated, header and footer.

The page setup is read back from the sheets' XML (what Excel and LibreOffice obey). Where
LibreOffice is installed (``soffice``), the default scenario's workbook is converted to PDF and its
pages counted with pypdf: every page is landscape A4 and carries the repeated header row with the
first and the last column of its sheet, so no sheet is cut into strips of columns.
"""

from __future__ import annotations

import datetime as dt
import re
import shutil
import subprocess
import zipfile

import openpyxl
import pytest

import selector
from selector.outputs.workbook import header_text, write_workbook
from tests.conftest import DEFAULT_CSV

DAY = dt.date(2012, 9, 30)


@pytest.fixture(scope="module")
def default_plan():
    plan = selector.solve(selector.load(DEFAULT_CSV))
    assert plan.status == "optimal"
    return plan


@pytest.fixture(scope="module")
def default_book(default_plan, tmp_path_factory):
    path = tmp_path_factory.mktemp("print") / "plan.xlsx"
    write_workbook(default_plan, path, "en", DAY)
    return path


def _xml(path, name: str) -> str:
    with zipfile.ZipFile(path) as z:
        return z.read(name).decode("utf-8")


def _sheet_files(path) -> dict[str, str]:
    """{sheet name: its XML} in workbook order."""
    book = _xml(path, "xl/workbook.xml")
    names = re.findall(r'<sheet name="([^"]+)" sheetId="(\d+)"', book)
    return {name: _xml(path, f"xl/worksheets/sheet{i}.xml") for name, i in names}


def test_every_sheet_is_a4_landscape_one_page_wide_with_header_and_footer(default_book, default_plan):
    sheets = _sheet_files(default_book)
    assert list(sheets)[:2] == ["Cover", "Summary"]
    digest = default_plan.scenario.csv_sha256[:12]
    for name, xml in sheets.items():
        setup = re.search(r"<pageSetup [^>]*/>", xml).group(0)
        assert 'paperSize="9"' in setup and 'orientation="landscape"' in setup, name
        assert '<pageSetUpPr fitToPage="1"/>' in xml, name
        # one page wide (fitToWidth 1 is the default, so not written), as many tall as needed; the cover on one page
        assert ('fitToHeight="0"' not in setup) if name == "Cover" else ('fitToHeight="0"' in setup), name
        assert "fitToWidth" not in setup or 'fitToWidth="1"' in setup, name
        header = re.search(r"<oddHeader>(.*?)</oddHeader>", xml).group(1)
        footer = re.search(r"<oddFooter>(.*?)</oddFooter>", xml).group(1)
        assert "Phased rollout of the service improvement, by fiscal year" in header, name
        assert "Page &amp;P of &amp;N" in footer and "2012-09-30" in footer and digest in footer, name


def test_print_titles_and_print_areas_are_defined(default_book):
    book = _xml(default_book, "xl/workbook.xml")
    titles = dict((s.strip("'"), r) for r, s in [(m[1], m[0]) for m in
                  re.findall(r'<definedName name="_xlnm.Print_Titles" localSheetId="\d+">(.+?)!(\$1:\$1)<', book)])
    areas = re.findall(r'<definedName name="_xlnm.Print_Area" localSheetId="\d+">(.+?)!', book)
    names = list(_sheet_files(default_book))
    assert sorted(titles) == sorted(names[1:])  # every table repeats its header row; the cover has none
    assert sorted(a.strip("'") for a in areas) == sorted(names)
    wb = openpyxl.load_workbook(default_book)
    assert wb["FY2556"].print_title_rows == "$1:$1"
    assert wb["FY2556"].print_area == f"'FY2556'!$A$1:${_column(wb['FY2556'].max_column)}${wb['FY2556'].max_row}"


def _column(n: int) -> str:
    return openpyxl.utils.get_column_letter(n)


def test_numbers_are_right_aligned_thousands_and_the_font_is_th_sarabun(default_book):
    wb = openpyxl.load_workbook(default_book)
    cell = wb["Summary"]["F2"]  # budget requested in FY2555
    assert cell.value == 24_880_000 and cell.number_format == "#,##0" and cell.alignment.horizontal == "right"
    assert cell.font.name == "TH Sarabun New" and cell.font.sz == 14
    assert wb["Cover"]["A1"].font.sz == 20


def test_a_font_on_request_and_the_report_section_on_the_cover(write_scenario, tmp_path):
    """[report] font = "Tahoma" gives Tahoma 10 pt; title, department and preparer go on the cover and the header."""
    from tests.outputs.test_workbook import TINY, TINY_TOML

    csv_path = write_scenario(TINY, TINY_TOML + '[report]\ntitle = "แผน & งบ 2556"\ndepartment = "กรมการขนส่งทางบก"\n'
                              'prepared_by = "กองแผนงาน"\nfont = "Tahoma"\ndate = 2012-09-30\n')
    plan = selector.solve(selector.load(csv_path))
    write_workbook(plan, tmp_path / "t.xlsx", "th")
    wb = openpyxl.load_workbook(tmp_path / "t.xlsx")
    cover = wb["ปก"]
    assert cover["A1"].value == "แผน & งบ 2556" and cover["A1"].font.name == "Tahoma"
    items = {r[0]: r[1] for r in cover.iter_rows(min_row=3, values_only=True) if r[0]}
    assert items["หน่วยงาน"] == "กรมการขนส่งทางบก" and items["ผู้จัดทำ"] == "กองแผนงาน"
    assert items["วันที่จัดทำ"] == "30 กันยายน พ.ศ. 2555 (2012-09-30)"  # [report] date
    assert items["จำนวนหน่วยที่ยกระดับ, ปีงบประมาณ พ.ศ. 2556"] == 2
    assert wb["สรุป"]["F2"].font.name == "Tahoma" and wb["สรุป"]["F2"].font.sz == 10
    header = re.search(r"<oddHeader>(.*?)</oddHeader>", _sheet_files(tmp_path / "t.xlsx")["สรุป"]).group(1)
    assert "แผน &amp;&amp; งบ 2556" in header  # '&' doubled: a single one starts a header code
    assert header_text("A&B") == "A&&B"
    assert "ไม่มีแผนที่" in [r[0] for r in cover.iter_rows(values_only=True) if r[0]][-1]  # no province column
    with zipfile.ZipFile(tmp_path / "t.xlsx") as z:
        assert not [n for n in z.namelist() if n.startswith("xl/media/")]


def test_the_cover_carries_the_province_map(default_book):
    with zipfile.ZipFile(default_book) as z:
        media = [n for n in z.namelist() if n.startswith("xl/media/")]
        assert media == ["xl/media/image1.png"]
        assert z.read(media[0])[:8] == b"\x89PNG\r\n\x1a\n"
        drawing = z.read("xl/worksheets/_rels/sheet1.xml.rels").decode()
    assert "drawing" in drawing  # on the cover (sheet 1), not elsewhere


SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")


@pytest.mark.skipif(SOFFICE is None, reason="LibreOffice (soffice) is not installed")
def test_libreoffice_prints_each_sheet_one_page_wide(default_book, tmp_path):
    pypdf = pytest.importorskip("pypdf")
    subprocess.run([SOFFICE, "--headless", f"-env:UserInstallation=file://{tmp_path}/profile", "--convert-to", "pdf",
                    "--outdir", str(tmp_path), str(default_book)], check=True, capture_output=True, timeout=240)
    pages = pypdf.PdfReader(tmp_path / "plan.pdf").pages
    wb = openpyxl.load_workbook(default_book)
    tables = [ws for ws in wb.worksheets[1:]]
    # A sheet cut into strips of columns would print pages without its last column's header. (A header
    # may wrap onto two lines, read back with other headers between its words: look for each word.)
    ends = {(ws.cell(1, 1).value, ws.cell(1, ws.max_column).value) for ws in tables}

    def shows(header: str, text: str) -> bool:
        return all(word in text.split() for word in header.split())

    assert len(pages) <= 12  # 12 in English; 40 A4 portrait pages before the page setup (49 in Thai)
    for number, page in enumerate(pages, start=1):
        box = page.mediabox
        assert (round(float(box.width)), round(float(box.height))) == (842, 595), number  # A4 landscape
        text = page.extract_text()
        assert f"Page {number} of {len(pages)}" in text
        assert "Phased rollout of the service improvement" in text
        if number > 1:
            assert any(shows(first, text) and shows(last, text) for first, last in ends), (number, text[:300])
    assert "Units upgraded" in pages[0].extract_text()  # the cover first
