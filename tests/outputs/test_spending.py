"""The summary and the workbook show spending by year and category and the commitments carried
(docs/costs.md), on the tiny profile scenario of tests/model/test_costs.py: A pilots in 2555, B and
C start in 2556, each paying 5 baht in its start year and 5 the year after."""

from __future__ import annotations

import datetime as dt
from html.parser import HTMLParser

import openpyxl

import selector
from selector.outputs.html import report_html
from selector.outputs.text import summary_text
from selector.outputs.workbook import write_workbook
from tests.model.test_costs import toml, units

PROFILE = "[costs]\nprofile = [0.5, 0.5]\n"
CATEGORY = "[budget.investment]\n2555 = 10\n2556 = 20\n2557 = 10\n"


def plan_of(write_scenario):
    text = toml((10, 15, 10), PROFILE).replace("[pilots]", CATEGORY + "[pilots]")
    plan = selector.solve(selector.load(write_scenario(units(",cost_investment", A=",6", B=",6", C=",2"), text)))
    assert plan.status == "optimal"
    return plan


def test_summary_shows_the_commitments_carried(write_scenario):
    text = summary_text(plan_of(write_scenario))
    assert "carried = commitments of units started in earlier years" in text
    lines = {line.split()[0]: line.split() for line in text.splitlines() if line.startswith("FY") and "/" in line}
    # FY2556: started 10 (B and C's first halves), carried 5 (A's second half); investment 3 + 4 = 7 of 20
    assert lines["FY2556"][1:4] == ["10", "5", "0"] and lines["FY2556"][4:7] == ["7", "/", "20"]
    assert lines["FY2557"][1:3] == ["0", "10"]
    assert "investment FY2555 0.0000" in text


def test_workbook_has_the_spending_and_commitments_sheets(write_scenario, tmp_path):
    path = tmp_path / "plan.xlsx"
    write_workbook(plan_of(write_scenario), path, lang="en")
    book = openpyxl.load_workbook(path)
    assert book.sheetnames[-2:] == ["Spending", "Commitments"]
    spending = [row for row in book["Spending"].iter_rows(values_only=True)]
    assert spending[0][:4] == ("Fiscal year", "Units started this year (baht)",
                               "Commitments carried from earlier years (baht)", "Running costs (baht)")
    assert [r[2] for r in spending[1:4]] == [0, 5, 10]  # carried into 2556 and 2557
    assert [r[4] for r in spending[1:4]] == [3, 7, 4]  # investment spent: A 6, B 6, C 2 over two years each
    commitments = [row for row in book["Commitments"].iter_rows(values_only=True)]
    assert commitments[1][1:] == (5, 5, 0, 0) and commitments[2][1:] == (0, 10, 10, 0)


def test_without_a_cost_rule_the_workbook_has_no_spending_sheet(write_scenario, tmp_path):
    plan = selector.solve(selector.load(write_scenario(units(), toml((10, 15, 10)))))
    path = tmp_path / "plain.xlsx"
    write_workbook(plan, path, lang="en")
    assert "Spending" not in openpyxl.load_workbook(path).sheetnames
    assert "carried" not in summary_text(plan)


def test_the_budget_chart_hatches_the_commitments_carried(write_scenario):
    from selector.outputs.plots import budget_chart

    figure = budget_chart(plan_of(write_scenario))
    ax = figure.axes[0]
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["budget", "used", "carried from earlier years"]
    carried = ax.containers[2]
    assert [round(bar.get_height() * 1e6) for bar in carried] == [0, 5, 10]  # baht: A's half, B and C's halves


class _Sections(HTMLParser):
    """Each <h2> heading of a page -> the rows (lists of cell texts) of the tables that follow it."""

    def __init__(self) -> None:
        super().__init__()
        self.sections: dict[str, list[list[str]]] = {}
        self.heading: str | None = None
        self.text: list[str] | None = None
        self.in_h2 = False

    def handle_starttag(self, tag, attrs):
        if tag == "h2":
            self.in_h2, self.heading = True, ""
        elif tag == "tr" and self.heading is not None:
            self.sections.setdefault(self.heading, []).append([])
        elif tag in ("td", "th"):
            self.text = []

    def handle_endtag(self, tag):
        if tag == "h2":
            self.in_h2 = False
        elif tag in ("td", "th") and self.text is not None and self.heading in self.sections:
            self.sections[self.heading][-1].append("".join(self.text).strip())
            self.text = None

    def handle_data(self, data):
        if self.in_h2:
            self.heading += data
        elif self.text is not None:
            self.text.append(data)


def sections_of(page: str) -> dict[str, list[list[str]]]:
    parser = _Sections()
    parser.feed(page)
    return parser.sections


def test_report_has_the_spending_and_commitments_tables(write_scenario):
    """The same numbers as the workbook's sheets above: carried 0/5/10 baht into 2555/2556/2557,
    investment 3/7/4 against its ceilings 10/20/10; B and C (started 2556) commit 10 in 2556 and 10 in 2557."""
    sections = sections_of(report_html(plan_of(write_scenario), "en", dt.date(2012, 9, 30)))
    spending, commitments = sections["Spending"], sections["Commitments"]
    assert spending[0][:5] == ["Fiscal year", "Units started this year (baht)",
                               "Commitments carried from earlier years (baht)", "Running costs (baht)",
                               "Investment (baht)"]
    assert [row[2] for row in spending[1:]] == ["0", "5", "10"]
    assert [row[4:6] for row in spending[1:]] == [["3", "10"], ["7", "20"], ["4", "10"]]
    assert commitments[1][1:] == ["5", "5", "0", "0"] and commitments[2][1:] == ["0", "10", "10", "0"]
    assert commitments[-1][0] == "Total" and commitments[-1][1:] == ["5", "15", "10", "0"]
    thai = sections_of(report_html(plan_of(write_scenario), "th", dt.date(2012, 9, 30)))
    assert "การใช้จ่ายรายปี" in thai and "ภาระผูกพันข้ามปี" in thai


def test_without_a_cost_rule_the_report_has_no_spending_section(write_scenario):
    plan = selector.solve(selector.load(write_scenario(units(), toml((10, 15, 10)))))
    page = report_html(plan, "en", dt.date(2012, 9, 30))
    assert "Spending" not in sections_of(page) and "Commitments" not in sections_of(page)
    assert "carried" not in page
