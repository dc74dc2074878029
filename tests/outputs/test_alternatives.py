"""The alternatives side by side in the workbook (read back with openpyxl) and the report (read with a parser).

The scenario is FOUR of tests/workflows/test_alternatives.py: one pilot among four units of 10 baht,
FY2555 pays the pilot and FY2556 the other three. The plan with pilot u is worth 1.5 + gain_u:
A 4.5, B 3.5, C 3.0, D 1.5; so within 50% plans 1-3 pilot A, B and C, losing 0, 1 and 1.5
(0, 22.2% and 33.3% of 4.5), each swapping one pilot for another against plan 1 (pilot in B or C,
pilot out A) and moving two units: the new pilot into FY2555 and A into FY2556.
"""

from __future__ import annotations

from html.parser import HTMLParser

import openpyxl
import pytest
from click.testing import CliRunner

import selector
from selector.cli import main
from selector.outputs.alternatives import alternatives_tables, write_alternatives_files
from selector.workflows.alternatives import alternatives
from tests.workflows.test_alternatives import FOUR, FOUR_TOML


@pytest.fixture
def three(write_scenario):
    scenario = selector.load(write_scenario(FOUR, FOUR_TOML))
    return alternatives(scenario, count=3, within=0.5, gap=0.0)


def _rows(sheet) -> list[tuple]:
    return [row for row in sheet.iter_rows(values_only=True)]


def test_workbook_has_the_plans_side_by_side(three, tmp_path):
    target = tmp_path / "alt.xlsx"
    write_alternatives_files(three, xlsx=target, lang="en")
    book = openpyxl.load_workbook(target)
    names = book.sheetnames
    assert names[:5] == ["Cover", "Summary", "Alternatives", "Alternatives by year", "Alternatives balance"]
    assert names[-2:] == ["Pilots", "Assumptions"]  # plan 1's own sheets are all there

    plans = _rows(book["Alternatives"])
    assert plans[0][:5] == ("Plan", "Status", "Objective", "Objective lost against the optimum", "Loss (%)")
    body = plans[1:4]
    assert [r[0] for r in body] == ["plan 1", "plan 2", "plan 3"]
    assert [r[2] for r in body] == pytest.approx([4.5, 3.5, 3.0])
    assert [r[3] for r in body] == pytest.approx([0.0, 1.0, 1.5])
    assert [r[4] for r in body] == pytest.approx([0.0, 100 / 4.5, 150 / 4.5])
    assert [(r[6], r[7]) for r in body] == [(None, None), ("B", "A"), ("C", "A")]
    assert [r[8] for r in body] == [0, 2, 2]
    assert any("3 plan(s) found" in str(r[0]) for r in plans[4:])

    years = _rows(book["Alternatives by year"])
    assert years[0][0] == "Fiscal year" and "Budget requested, plan 3 (baht)" in years[0]
    assert years[1] == (2555, 10, 10, 10, 10, 1, 1, 1, 1, 1)  # budget, 3 costs, 3 unit counts, 2 moved in
    assert years[2] == (2556, 30, 30, 30, 30, 3, 3, 3, 1, 1)
    assert years[3] == (None, 40, 40, 40, 40, 4, 4, 4, 2, 2)  # totals

    balance = _rows(book["Alternatives balance"])
    assert balance[0] == ("Item", "plan 1", "plan 2", "plan 3")
    assert balance[1] == ("Pilots in region R", 1, 1, 1)
    success = next(r for r in balance if r[0] == "Pilots' standardised difference: success")
    # success 5, 5, 3 for A, B, C against the network's 5, 5, 3, 1 (mean 3.5): A and B above, C below
    assert success[1] == success[2] > 0 > success[3]


def test_report_has_a_section_with_the_three_tables(three, tmp_path):
    target = tmp_path / "alt.html"
    write_alternatives_files(three, report=target, lang="en")

    class Tables(HTMLParser):
        def __init__(self):
            super().__init__()
            self.headings, self.cells, self.where = [], [], None

        def handle_starttag(self, tag, attrs):
            self.where = tag

        def handle_data(self, data):
            if self.where in ("h2", "h3") and data.strip():
                self.headings.append(data.strip())
            elif self.where == "td":
                self.cells.append(data)

    parser = Tables()
    parser.feed(target.read_text(encoding="utf-8"))
    headings = parser.headings
    start = headings.index("Alternative plans side by side")
    assert headings[start + 1:start + 4] == ["Alternatives", "Alternatives by year", "Alternatives balance"]
    assert headings.index("Summary by fiscal year") < start
    assert {"plan 1", "plan 2", "plan 3", "4.500000", "1.500000", "C"} <= set(parser.cells)


def test_thai_tables_are_the_same_numbers(three):
    thai, english = alternatives_tables(three, "th"), alternatives_tables(three, "en")
    assert [t.name for t in thai] == ["แผนทางเลือก", "ทางเลือกตามปีงบประมาณ", "ความสมดุลของทางเลือก"]
    assert [[r[1:] for r in t.rows] for t in thai[1:]] == [[r[1:] for r in t.rows] for t in english[1:]]
    assert [r[2:] for r in thai[0].rows] == [r[2:] for r in english[0].rows]


def test_cli_writes_workbook_and_report_with_the_schedules(write_scenario, tmp_path):
    path = write_scenario(FOUR, FOUR_TOML)
    out, xlsx, report = tmp_path / "four-alternatives.csv", tmp_path / "four.xlsx", tmp_path / "four.html"
    result = CliRunner().invoke(main, ["alternatives", str(path), "--count", "3", "--within", "50", "--gap", "0",
                                       "--out", str(out), "--xlsx", str(xlsx), "--report", str(report), "--lang", "en"])
    assert result.exit_code == 0, result.output
    assert f"Workbook written to {xlsx}" in result.stdout and f"Report written to {report}" in result.stdout
    assert [r[0] for r in _rows(openpyxl.load_workbook(xlsx)["Alternatives"])[1:4]] == ["plan 1", "plan 2", "plan 3"]
    assert "selector alternatives" in report.read_text(encoding="utf-8")  # the command that finds them again
    assert (tmp_path / "four-alternative-3.csv").exists()


def test_cli_writes_nothing_when_one_output_cannot_be_written(write_scenario, tmp_path):
    """The report names a folder: refused before solving, exit 2, and no schedule, table or workbook appears."""
    path = write_scenario(FOUR, FOUR_TOML)
    (tmp_path / "taken").mkdir()
    out, xlsx = tmp_path / "four-alternatives.csv", tmp_path / "four.xlsx"
    result = CliRunner().invoke(main, ["alternatives", str(path), "--count", "2", "--within", "50", "--out", str(out),
                                       "--xlsx", str(xlsx), "--report", str(tmp_path / "taken")])
    assert result.exit_code == 2 and "Traceback" not in result.stderr
    assert not out.exists() and not xlsx.exists() and not (tmp_path / "four-alternative-1.csv").exists()


def test_cli_a_failing_writer_leaves_no_file(write_scenario, tmp_path, monkeypatch):
    """A writer failing mid-way (a full disk) after the schedules are staged: none of them is renamed into place."""
    import selector.cli.commands.alternatives as command

    def full_disk(*args, **kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(command, "write_alternatives_files", full_disk)
    path = write_scenario(FOUR, FOUR_TOML)
    out = tmp_path / "four-alternatives.csv"
    result = CliRunner().invoke(main, ["alternatives", str(path), "--count", "2", "--within", "50", "--out", str(out),
                                       "--xlsx", str(tmp_path / "four.xlsx")])
    assert result.exit_code == 2 and "No space left" in result.stderr and "Traceback" not in result.stderr
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith("four")) == []
