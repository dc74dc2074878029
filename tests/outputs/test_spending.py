"""The summary and the workbook show spending by year and category and the commitments carried
(docs/costs.md), on the tiny profile scenario of tests/model/test_costs.py: A pilots in 2555, B and
C start in 2556, each paying 5 baht in its start year and 5 the year after."""

from __future__ import annotations

import openpyxl

import selector
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
