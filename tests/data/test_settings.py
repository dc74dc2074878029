"""Settings: the TOML's rules, and the one budget rule every source of a budget goes through."""

from __future__ import annotations

import math

import pytest

import selector
from selector.data.settings import MAX_BAHT, amount_problem, parse_settings
from selector.errors import ScenarioError
from tests.data.test_scenario import problems_of
from tests.model.test_build import FOUR, FOUR_TOML


def test_missing_settings_file_needs_budget(tmp_path):
    csv_path = tmp_path / "alone.csv"
    csv_path.write_text(FOUR, encoding="utf-8")
    problems, text = problems_of(csv_path)
    assert any(p.column == "[budget]" for p in problems)
    assert "--budget" in text
    sc = selector.load(csv_path, budget={y: 100 for y in range(2555, 2559)})
    assert sc.settings.budget[2558] == 100


def test_unknown_settings_key_suggests_the_nearest(write_scenario):
    problems, text = problems_of(write_scenario(FOUR, FOUR_TOML.replace("min = 1", "mni = 1")))
    assert "unknown key 'mni' in [pilots]" in text and "did you mean 'min'?" in text
    assert problems[0].line == 8  # the line of `mni = 1` in the TOML


def test_settings_type_error_names_the_line(write_scenario):
    problems, _ = problems_of(write_scenario(FOUR, FOUR_TOML.replace("max = 2", 'max = "two"')))
    assert [(p.line, p.column) for p in problems] == [(9, "[pilots] max")]


@pytest.mark.parametrize("amount", [0, 0.0, 1, 120_000_000, 2.5e6, MAX_BAHT])
def test_amounts_from_0_to_the_limit_are_budgets(amount):
    assert amount_problem(amount) is None


@pytest.mark.parametrize("amount", [-1, -0.01, math.inf, -math.inf, math.nan, True, False, "5", None])
def test_what_is_not_an_amount(amount):
    assert amount_problem(amount) == "not an amount"


def test_over_the_limit():
    assert amount_problem(MAX_BAHT + 1) == "over the limit"
    assert amount_problem(10**400) == "over the limit"  # a TOML integer of 400 digits, not an OverflowError


@pytest.mark.parametrize("amount, message", [
    (-5, "budget 2555 = -5 is not an amount of baht >= 0"),
    (math.inf, "2555 = inf is infinite"),  # every non-finite number is refused by one rule (screen_numbers)
    (10**13, "budget 2555 = 10,000,000,000,000 baht is over 1,000,000,000,000 baht"),
])
def test_the_toml_budget_follows_the_rule(amount, message):
    _, problems = parse_settings({"horizon": {"first_year": 2555, "last_year": 2556},
                                  "budget": {"2555": amount, "2556": 10}})
    assert [p.message for p in problems] == [message]


def test_a_variant_and_an_override_follow_the_same_rule(write_scenario):
    csv_path = write_scenario(FOUR, FOUR_TOML)
    scenario = selector.load(csv_path)
    for bad in (-1, math.inf, MAX_BAHT * 10):
        with pytest.raises(ScenarioError):
            scenario.with_(budget={2555: bad, 2556: 20})
        with pytest.raises(ScenarioError):
            selector.load(csv_path, budget={2555: bad})
    assert scenario.with_(budget={2555: MAX_BAHT, 2556: 0}).settings.budget[2555] == MAX_BAHT


def test_a_fund_over_the_limit_is_refused():
    _, problems = parse_settings({"horizon": {"first_year": 2555, "last_year": 2556}, "budget": {"2555": 10, "2556": 10},
                                  "funds": [{"name": "central", "amounts": {"2555": 2e12}}]})
    assert any("of fund 'central' is not baht >= 0 and at most 1,000,000,000,000 baht" in p.message for p in problems)
