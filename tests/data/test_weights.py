"""Weight methods: rank-order centroid, AHP on published worked examples, and the TOML forms."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

import selector
from selector.cli import main
from selector.data.settings import load_settings, parse_settings
from selector.data.weights import (
    ahp,
    consistency_ratio,
    order_of,
    rank_order_centroid,
    roc_weights,
    tied_rank_order_centroid,
)
from selector.errors import ScenarioError
from tests.model.test_build import FOUR

# ---------------------------------------------------------------------------------------------
# Rank-order centroid


def test_roc_matches_the_formula():
    """w_i = (1/n) sum_{k=i}^{n} 1/k, written out by hand for n = 1..4 and checked term by term to n = 7."""
    assert rank_order_centroid(1) == pytest.approx([1.0])
    assert rank_order_centroid(2) == pytest.approx([3 / 4, 1 / 4])
    assert rank_order_centroid(3) == pytest.approx([11 / 18, 5 / 18, 2 / 18])
    assert rank_order_centroid(4) == pytest.approx([25 / 48, 13 / 48, 7 / 48, 3 / 48])
    for n in range(1, 8):
        expected = [sum(1 / k for k in range(i, n + 1)) / n for i in range(1, n + 1)]
        assert rank_order_centroid(n) == pytest.approx(expected, abs=1e-15)


def test_tied_roc_shares_the_positions_of_the_tie():
    """Order a > (b = c): positions 1, 2, 3 of ROC(3) = 11/18, 5/18, 2/18; b and c share (5 + 2)/36 each."""
    assert tied_rank_order_centroid([1, 2]) == pytest.approx([11 / 18, 7 / 36, 7 / 36])
    assert roc_weights([("success",), ("staff", "leadership")]) == pytest.approx(
        {"success": 11 / 18, "staff": 7 / 36, "leadership": 7 / 36})


@settings(max_examples=30, derandomize=True)
@given(st.integers(min_value=1, max_value=12))
def test_roc_sums_to_one_and_never_increases(n):
    w = rank_order_centroid(n)
    assert w.sum() == pytest.approx(1.0)
    assert np.all(np.diff(w) < 0)


def test_order_of_direct_weights_ties_equal_weights():
    assert order_of({"success": 0.25, "infrastructure": 0.25, "risk": 0.2, "staff": 0.15, "leadership": 0.15,
                     "workload": 0.0}) == (("infrastructure", "success"), ("risk",), ("staff", "leadership"))


# ---------------------------------------------------------------------------------------------
# AHP on published worked examples

HOUSE_CRITERIA = ("size", "transportation", "neighborhood", "age", "yard", "modern", "condition", "financing")
HOUSE_UPPER = {  # row criterion / column criterion, the upper triangle of the published matrix
    ("size", "transportation"): 5, ("size", "neighborhood"): 3, ("size", "age"): 7, ("size", "yard"): 6,
    ("size", "modern"): 6, ("size", "condition"): 1 / 3, ("size", "financing"): 1 / 4,
    ("transportation", "neighborhood"): 1 / 3, ("transportation", "age"): 5, ("transportation", "yard"): 3,
    ("transportation", "modern"): 3, ("transportation", "condition"): 1 / 5, ("transportation", "financing"): 1 / 7,
    ("neighborhood", "age"): 6, ("neighborhood", "yard"): 3, ("neighborhood", "modern"): 4,
    ("neighborhood", "condition"): 6, ("neighborhood", "financing"): 1 / 5,
    ("age", "yard"): 1 / 3, ("age", "modern"): 1 / 4, ("age", "condition"): 1 / 7, ("age", "financing"): 1 / 8,
    ("yard", "modern"): 1 / 2, ("yard", "condition"): 1 / 5, ("yard", "financing"): 1 / 6,
    ("modern", "condition"): 1 / 5, ("modern", "financing"): 1 / 6,
    ("condition", "financing"): 1 / 2,
}


def test_ahp_saaty_1990_house_example():
    """Saaty, T.L. (1990) "How to make a decision: The Analytic Hierarchy Process", European Journal of
    Operational Research 48(1), 9-26, section 2, the house example: the family's pairwise comparisons of
    the eight criteria (size of house, transportation, neighborhood, age of house, yard space, modern
    facilities, general condition, financing). Published priority vector .173 .054 .188 .018 .031 .036
    .167 .333, lambda_max = 9.669, C.I. = 0.238, C.R. = 0.169 (RI_8 = 1.41), i.e. above 0.10.
    The matrix (HOUSE_UPPER) agrees entry for entry with independent transcriptions of the paper's
    table in public AHP code (e.g. the "HOUSE_PCM" matrices used to study its inconsistency, whose
    neighborhood/condition judgement of 6 is the one this test expects the warning to name), and it
    reproduces all eleven published figures to 3 decimals.
    """
    result = ahp(HOUSE_CRITERIA, HOUSE_UPPER)
    assert np.round(result.priorities, 3).tolist() == [0.173, 0.054, 0.188, 0.018, 0.031, 0.036, 0.167, 0.333]
    assert round(result.lambda_max, 3) == 9.669
    assert round(result.ci, 3) == 0.238
    assert round(result.cr, 3) == 0.169
    assert not result.consistent
    warning = result.warning()
    assert "CR = 0.169 > 0.10" in warning
    # The judgement farthest from the priorities: neighborhood/condition = 6 while the weights imply ~1.1.
    assert result.worst[0][:3] == ("neighborhood", "condition", 6.0)
    assert '"neighborhood/condition" = 6' in warning


def test_ahp_leader_example():
    """The leader example of the Wikipedia article "Analytic hierarchy process - leader example" (after
    Saaty's teaching example): criteria experience, education, charisma, age with judgements
    exp/edu 4, exp/cha 3, exp/age 7, edu/cha 1/3, edu/age 3, cha/age 5. Published weights .547, .127,
    .270, .056 and C.R. = 0.044 (consistent). The page rounds experience's .5476 down to .547, so that
    weight is compared within 0.001."""
    result = ahp(("experience", "education", "charisma", "age"), {
        ("experience", "education"): 4, ("experience", "charisma"): 3, ("experience", "age"): 7,
        ("education", "charisma"): 1 / 3, ("education", "age"): 3, ("charisma", "age"): 5})
    assert result.priorities == pytest.approx([0.547, 0.127, 0.270, 0.056], abs=1e-3)
    assert np.round(result.priorities[1:], 3).tolist() == [0.127, 0.270, 0.056]
    assert round(result.cr, 3) == 0.044
    assert result.consistent and result.warning() is None


def test_ahp_judgements_in_either_orientation_give_the_same_answer():
    flipped = {(b, a): 1 / v for (a, b), v in HOUSE_UPPER.items()}
    assert ahp(HOUSE_CRITERIA, flipped).priorities == pytest.approx(ahp(HOUSE_CRITERIA, HOUSE_UPPER).priorities)


@settings(max_examples=25, derandomize=True)
@given(st.lists(st.floats(min_value=0.05, max_value=1.0), min_size=2, max_size=7))
def test_ahp_of_a_consistent_matrix_returns_its_weights(raw):
    """a_ij = w_i / w_j is perfectly consistent: lambda_max = n, CR = 0, priorities = w / sum w."""
    names = [f"c{i}" for i in range(len(raw))]
    upper = {(names[i], names[j]): raw[i] / raw[j] for i in range(len(raw)) for j in range(i + 1, len(raw))}
    result = ahp(names, upper)
    assert result.priorities == pytest.approx(np.array(raw) / sum(raw), rel=1e-9)
    assert abs(result.cr) < 1e-9


def test_consistency_ratio_of_two_criteria_is_zero():
    assert consistency_ratio(2.0, 2) == (0.0, 0.0)


# ---------------------------------------------------------------------------------------------
# The TOML forms

BUDGET = "[budget]\n2555 = 20\n2556 = 20\n"
HORIZON = "[horizon]\nfirst_year = 2555\nlast_year = 2556\n"


def settings_of(tmp_path: Path, text: str):
    path = tmp_path / "w.toml"
    path.write_text(HORIZON + BUDGET + text, encoding="utf-8")
    return load_settings(path, "w.toml")


def test_rank_form_gives_roc_weights(tmp_path):
    s, problems = settings_of(tmp_path, '[weights.pilot]\norder = ["success", ["staff", "leadership"], "risk"]\n')
    assert problems == []
    assert dict(s.pilot_weights) == pytest.approx(
        {"success": 25 / 48, "staff": (13 + 7) / 96, "leadership": (13 + 7) / 96, "risk": 3 / 48})
    assert s.weight_spec("pilot").method == "rank"
    assert s.to_dict()["weights"]["pilot"] == {"method": "rank", "order": ["success", ["staff", "leadership"], "risk"]}


def test_ahp_form_gives_eigenvector_weights_and_method_picks_among_forms(tmp_path):
    """Judgements success/risk 2, success/staff 4, risk/staff 2 are consistent: weights 4 : 2 : 1."""
    text = ('[weights.pilot]\nmethod = "ahp"\nsuccess = 1\norder = ["success", "risk"]\n'
            '[weights.pilot.ahp]\n"success/risk" = 2\n"success/staff" = 4\n"staff/risk" = "1/2"\n')
    s, problems = settings_of(tmp_path, text)
    assert problems == []
    assert dict(s.pilot_weights) == pytest.approx({"staff": 1 / 7, "success": 4 / 7, "risk": 2 / 7})
    spec = s.weight_spec("pilot")
    assert spec.cr == pytest.approx(0.0, abs=1e-12)
    methods = spec.by_method()
    assert methods["direct"] == {"success": 1.0}
    assert methods["rank"] == pytest.approx({"success": 0.75, "risk": 0.25})
    assert methods["equal"] == pytest.approx({"success": 0.5, "risk": 0.5})
    # The TOML layout of the settings gives the same spec back (Scenario.with_ round-trips through it).
    layout = {section: {k: v for k, v in table.items() if v is not None} for section, table in s.to_dict().items()}
    again, problems = parse_settings(layout)
    assert problems == [] and again.weight_spec("pilot") == spec


def test_weight_problems_name_file_line_and_key(tmp_path):
    text = ('[weights.pilot]\n'                            # line 7 (horizon and budget take 6)
            'method = "rank"\n'                            # line 8
            'order = ["sucess", "risk"]\n'                 # line 9
            '[weights.pilot.ahp]\n'                        # line 10
            '"success/risk" = 12\n'                        # line 11
            '[weights.rollout]\n'                          # line 12
            'method = "ahp"\n'                             # line 13
            'importance = 1\n')
    _, problems = settings_of(tmp_path, text)
    found = {(p.line, p.column) for p in problems}
    assert found == {(9, "[weights.pilot] order"), (11, "[weights.pilot.ahp] success/risk"),
                     (13, "[weights.rollout] method")}
    by_line = {p.line: p for p in problems}
    assert "unknown criterion 'sucess'" in by_line[9].message and "did you mean 'success'" in by_line[9].fix
    assert "not on Saaty's scale" in by_line[11].message
    assert "no a [weights.rollout.ahp] table" in by_line[13].message


def test_ahp_missing_pairs_are_listed(tmp_path):
    text = '[weights.pilot]\nmethod = "ahp"\n[weights.pilot.ahp]\n"success/risk" = 2\n"success/staff" = 4\n'
    _, problems = settings_of(tmp_path, text)
    assert len(problems) == 1 and problems[0].line == 9
    assert "1 pair(s) of the criteria judged are not compared: \"staff/risk\"" in problems[0].message


def test_several_forms_without_method_is_an_error(tmp_path):
    _, problems = settings_of(tmp_path, '[weights.pilot]\nsuccess = 1\norder = ["success", "risk"]\n')
    assert len(problems) == 1 and "several forms (direct, rank)" in problems[0].message
    assert problems[0].line == 7 and 'method = "rank"' in problems[0].fix


def test_load_reports_weight_problems_with_the_csv_ones(write_scenario):
    csv = write_scenario(FOUR, HORIZON + BUDGET + '[weights.rollout]\norder = ["importance", "importance"]\n')
    with pytest.raises(ScenarioError, match="appears twice in order"):
        selector.load(csv)


# ---------------------------------------------------------------------------------------------
# selector weights


def test_weights_command_prints_method_weights_and_cr(write_scenario):
    csv = write_scenario(FOUR, HORIZON + BUDGET + (
        '[weights.pilot]\nmethod = "ahp"\n[weights.pilot.ahp]\n'
        '"success/infrastructure" = 3\n"success/risk" = "1/2"\n"infrastructure/risk" = 5\n'
        '[weights.rollout]\norder = ["importance", "workload"]\n'))
    result = CliRunner().invoke(main, ["weights", str(csv)])
    assert result.exit_code == 0, result.output
    assert "[weights.pilot]  method: ahp" in result.stdout and "INCONSISTENT" in result.stdout
    assert "[weights.rollout]  method: rank (rank-order centroid of importance > workload)" in result.stdout
    assert "importance      0.7500" in result.stdout
    # A cycle (success > infrastructure > risk > success) is inconsistent: a warning on stderr only.
    assert "Warning: [weights.pilot] the AHP judgements are inconsistent" in result.stderr
    assert "Warning" not in result.stdout


def test_weights_command_on_default_scenario_is_direct():
    from tests.conftest import DEFAULT_CSV

    result = CliRunner().invoke(main, ["weights", str(DEFAULT_CSV)])
    assert result.exit_code == 0
    assert result.stdout.count("method: direct") == 2 and result.stderr == ""
    assert "success         0.2500" in result.stdout


def test_docs_weights_example_parses_and_is_consistent():
    """The TOML example of the weights page (docs/weights-and-robustness.md) is valid, uses AHP and is consistent (CR <= 0.10)."""
    import re
    import tomllib

    from selector.data.settings import parse_settings
    from tests.conftest import ROOT

    section = (ROOT / "docs" / "weights-and-robustness.md").read_text(encoding="utf-8")
    example = re.search(r"```toml\n(.*?)```", section, flags=re.S).group(1)
    s, problems = parse_settings(tomllib.loads(HORIZON + BUDGET + example))
    assert problems == []
    spec = s.weight_spec("pilot")
    assert spec.method == "ahp" and spec.cr <= 0.10
    assert set(spec.by_method()) == {"direct", "rank", "ahp", "equal"}
