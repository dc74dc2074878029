"""The printable HTML report: self-contained, Thai, A4, deterministic, text escaped.

Rendering in a browser is a documented manual check (docs/submission.md): headless
Chromium screenshots of the default scenario's report show the Thai text drawn correctly.
"""

from __future__ import annotations

import datetime as dt
import re

import pytest

import selector
from selector.outputs.html import THAI_FONT_STACK, report_html
from selector.outputs.tables import format_value
from tests.outputs.test_workbook import HYPERLINK, TINY, TINY_TOML

DAY = dt.date(2012, 9, 30)


@pytest.fixture
def plan(write_scenario):
    return selector.solve(selector.load(write_scenario(TINY, TINY_TOML)))


def test_report_is_self_contained(plan):
    page = report_html(plan, "th", DAY)
    assert page.startswith("<!DOCTYPE html>") and '<html lang="th">' in page
    # nothing is fetched: every link is inline data or a fragment of the page itself
    links = re.findall(r"(?:src|href)\s*=\s*\"([^\"]*)\"", page) + re.findall(r"url\(([^)]*)\)", page)
    assert links and all(link.startswith(("data:", "#")) for link in links)
    assert "@import" not in page
    assert page.count("<svg") == 2  # phase map and budget chart, inline


def test_report_has_thai_sections_font_stack_and_print_css(plan):
    page = report_html(plan, "th", DAY)
    for heading in ("สรุปตามปีงบประมาณ", "แผนภาพระยะการดำเนินงานตามภาค", "หน่วยนำร่องและเหตุผลที่เลือก",
                    "สมมติฐานและข้อมูลสำหรับการตรวจสอบ"):
        assert f"<h2>{heading}</h2>" in page
    assert "ปีงบประมาณ พ.ศ. 2556" in page and "30 กันยายน พ.ศ. 2555" in page
    assert '"Sarabun"' in THAI_FONT_STACK and f"font-family: {THAI_FONT_STACK}" in page
    assert "@page { size: A4" in page and "@media print" in page
    assert "หน่วยนำร่องเพียงหน่วยเดียวของภาค R" in page  # the pilot's reason


def test_report_escapes_unit_text(plan):
    page = report_html(plan, "en", DAY)
    assert HYPERLINK not in page
    assert "=HYPERLINK(&quot;http://x&quot;,&quot;y&quot;)" in page
    assert "<a " not in page


def test_report_numbers_and_determinism(plan):
    page = report_html(plan, "en", DAY)
    assert '<td class="num">370</td>' in page and '<td class="num">92.5%</td>' in page
    assert report_html(plan, "en", DAY) == page


def test_format_value_follows_the_workbook_formats():
    assert format_value(1234567.4, "#,##0") == "1,234,567"
    assert format_value(0.925, "0.0%") == "92.5%"
    assert format_value(0.5, "0.0000") == "0.5000"
    assert format_value(None, "#,##0") == "" and format_value("x", "#,##0") == "x"


def test_summary_explains_the_fiscal_year(plan):
    page = report_html(plan, "th", DAY)
    assert "ปีงบประมาณ พ.ศ. 2555 คือ 1 ต.ค. 2554 – 30 ก.ย. 2555" in page
