"""selector.plots: the Thai font resolves to a file that has Thai glyphs; each chart draws the plan's numbers."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import numpy as np  # noqa: E402
import pytest  # noqa: E402
from matplotlib import font_manager  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402

import selector  # noqa: E402
from selector.outputs import plots  # noqa: E402

from tests.model.test_build import FOUR_TOML  # noqa: E402

THAI_TEXT = "สำนักงานขนส่งจังหวัดอุตรดิตถ์ เชียงใหม่"  # consonants, vowels above and below, tone marks

# Two regions, one pilot each (cover = region); FY2555 budget 20 holds exactly the two pilots
# (the settings of tests/test_model.py's four units, with exactly two pilots).
UNITS = """\
unit_id,name,region,cost,infrastructure,staff,leadership,importance,workload,success,risk
A,สำนักงานขนส่งจังหวัดเชียงใหม่,ภาคเหนือ,10,5,5,5,2,2,5,1
B,สำนักงานขนส่งจังหวัดลำปาง,ภาคเหนือ,10,2,2,2,5,5,2,4
C,สำนักงานขนส่งจังหวัดสงขลา,ภาคใต้,10,4,4,4,3,3,4,2
D,สำนักงานขนส่งจังหวัดอุตรดิตถ์ สาขาอ.ลับแล,ภาคใต้,10,1,1,1,4,4,1,5
"""

@pytest.fixture
def plan(write_scenario):
    return selector.solve(selector.load(write_scenario(UNITS, FOUR_TOML)).with_(pilots=(2, 2)))


def test_the_chosen_font_file_covers_thai():
    chosen = plots.thai_font()
    assert chosen is not None, "no Thai font: install fonts-thai-tlwg (Loma, Laksaman...)"
    family, path = chosen
    assert family in plots.THAI_FONTS
    assert plots.covers(path, THAI_TEXT.replace(" ", ""))
    assert font_manager.findfont(font_manager.FontProperties(family=family), fallback_to_default=False) == path


def test_the_coverage_check_refuses_a_font_without_thai():
    latin_only = str(font_manager.findfont("DejaVu Sans"))
    assert plots.covers(latin_only, "abc")
    assert not plots.covers(latin_only, THAI_TEXT)


def test_phase_map_draws_each_unit_in_its_year_and_stars_the_pilots(plan, tmp_path):
    """Pilots A and C in FY2555 (column 0); B and D in FY2556 (column 1). Rows grouped by region."""
    fig = plots.phase_map(plan)
    assert isinstance(fig, Figure)
    ax = fig.axes[0]
    labels = [t.get_text() for t in ax.get_yticklabels()]
    assert labels == ["สำนักงานขนส่งจังหวัดเชียงใหม่", "สำนักงานขนส่งจังหวัดลำปาง",
                      "สำนักงานขนส่งจังหวัดสงขลา", "สำนักงานขนส่งจังหวัดอุตรดิตถ์ สาขาอ.ลับแล"]
    bars = ax.patches
    assert [round(b.get_x() + b.get_width() / 2) for b in bars] == [0, 1, 0, 1]
    stars = ax.collections[0].get_offsets()
    assert sorted(map(tuple, np.asarray(stars).tolist())) == [(0.0, 0.0), (0.0, 2.0)]
    assert ax.get_yticklabels()[0].get_fontfamily()[0] == plots.thai_font()[0]
    assert {t.get_text() for t in ax.texts} == {"ภาคเหนือ (2)", "ภาคใต้ (2)"}
    fig.savefig(tmp_path / "phase.png", dpi=60)
    assert (tmp_path / "phase.png").stat().st_size > 1000


def test_phase_map_draws_into_a_given_axes_and_filters_regions(plan):
    fig = Figure()
    ax = fig.add_subplot()
    assert plots.phase_map(plan, ax=ax, regions=["ภาคใต้"], label="unit_id") is fig
    assert [t.get_text() for t in ax.get_yticklabels()] == ["C", "D"]


def test_budget_chart_bars_are_budget_and_cost(plan):
    ax = plots.budget_chart(plan).axes[0]
    heights = [b.get_height() for b in ax.patches]
    assert heights == pytest.approx([20e-6, 20e-6, 20e-6, 20e-6])  # budget 20 and cost 20 baht each year, in millions


def test_coverage_and_pilots_charts_draw_every_plan(plan, write_scenario):
    """The variant has one pilot (A, the best) and so FY2555 holds one unit: coverage 25% then 100%."""
    other = selector.solve(plan.scenario.with_(pilots=(1, 1), cover=(), budget={2555: 10, 2556: 30}))
    plans = {"base": plan, "ไม่บังคับภาค": other}
    ax = plots.coverage_chart(plans).axes[0]
    assert [line.get_label() for line in ax.get_lines()] == ["base", "ไม่บังคับภาค"]
    assert ax.get_lines()[0].get_ydata().tolist() == [50.0, 100.0]
    assert ax.get_lines()[1].get_ydata().tolist() == [25.0, 100.0]
    pilots_ax = plots.pilots_chart(plans).axes[0]
    assert [t.get_text() for t in pilots_ax.get_xticklabels()] == ["ภาคเหนือ", "ภาคใต้"]
    assert [b.get_height() for b in pilots_ax.patches] == [1, 1, 1, 0]  # base: one per region; variant: A only


def test_criteria_profile_compares_pilot_means_with_all_units(plan):
    ax = plots.criteria_profile(plan).axes[0]
    bars = ax.patches
    all_units, pilots = bars[:7], bars[7:]
    assert all_units[0].get_width() == pytest.approx((5 + 2 + 4 + 1) / 4)  # infrastructure, all four units
    assert pilots[0].get_width() == pytest.approx((5 + 4) / 2)  # the pilots A and C
    assert pilots[6].get_width() == pytest.approx((1 + 2) / 2)  # risk
