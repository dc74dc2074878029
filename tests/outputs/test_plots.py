"""selector.plots: the Thai font resolves to a file that has Thai glyphs; each chart draws the plan's numbers.

Both font cases are tested on every machine: with the machine's Thai font (skipped, with the
reason, where there is none, unless SELECTOR_REQUIRE_THAI_FONT is set as in CI), and without one,
simulated by a discovery that finds nothing: Latin labels and one warning naming fonts-thai-tlwg.
"""

from __future__ import annotations

import warnings

import matplotlib

matplotlib.use("Agg")

import numpy as np  # noqa: E402
import pytest  # noqa: E402
from matplotlib import font_manager  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402

import selector  # noqa: E402
from selector.outputs import fonts, plots  # noqa: E402
from tests.conftest import DEFAULT_CSV  # noqa: E402
from tests.model.test_build import FOUR_TOML  # noqa: E402
from tests.outputs.test_fonts import fresh_fonts, needs_thai, no_thai_font  # noqa: E402, F401 (fixtures used here)

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

# The warning of a machine without a Thai font is tested once, below; elsewhere it is expected noise.
pytestmark = pytest.mark.filterwarnings("ignore::selector.outputs.fonts.NoThaiFontWarning")

THAI_NAMES = ["สำนักงานขนส่งจังหวัดเชียงใหม่", "สำนักงานขนส่งจังหวัดลำปาง",
              "สำนักงานขนส่งจังหวัดสงขลา", "สำนักงานขนส่งจังหวัดอุตรดิตถ์ สาขาอ.ลับแล"]


@pytest.fixture
def plan(write_scenario):
    return selector.solve(selector.load(write_scenario(UNITS, FOUR_TOML)).with_(pilots=(2, 2)))


@needs_thai
def test_the_chosen_font_file_covers_thai():
    chosen = plots.thai_font()
    assert chosen is not None, "no Thai font: install fonts-thai-tlwg (Loma, Laksaman...)"
    family, path = chosen
    assert family in plots.THAI_FONTS or family in fonts.discover()
    assert plots.covers(path, THAI_TEXT.replace(" ", ""))
    assert font_manager.findfont(font_manager.FontProperties(family=family), fallback_to_default=False) == path


def test_the_preferred_fonts_include_windows_and_macos_thai_fonts():
    assert plots.THAI_FONTS[:7] == ("Loma", "Laksaman", "Garuda", "Norasi", "Sarabun", "TH Sarabun New",
                                    "Noto Sans Thai")
    assert {"Tahoma", "Leelawadee UI", "Thonburi"} <= set(plots.THAI_FONTS)


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
    assert labels == (THAI_NAMES if plots.thai_font() else ["A", "B", "C", "D"])
    bars = ax.patches
    assert [round(b.get_x() + b.get_width() / 2) for b in bars] == [0, 1, 0, 1]
    stars = ax.collections[0].get_offsets()
    assert sorted(map(tuple, np.asarray(stars).tolist())) == [(0.0, 0.0), (0.0, 2.0)]
    fig.savefig(tmp_path / "phase.png", dpi=60)
    assert (tmp_path / "phase.png").stat().st_size > 1000


@needs_thai
def test_phase_map_labels_are_the_thai_names_in_the_thai_font(plan, tmp_path):
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        fig = plots.phase_map(plan)
        fig.savefig(tmp_path / "phase.png", dpi=60)  # drawing: a missing glyph would warn here
    ax = fig.axes[0]
    assert [t.get_text() for t in ax.get_yticklabels()] == THAI_NAMES
    assert ax.get_yticklabels()[0].get_fontfamily()[0] == plots.thai_font()[0]
    assert {t.get_text() for t in ax.texts} == {"ภาคเหนือ (2)", "ภาคใต้ (2)"}
    assert [str(w.message) for w in caught] == []


@pytest.mark.usefixtures("no_thai_font")
def test_without_a_thai_font_the_charts_are_latin_with_one_warning(plan, tmp_path):
    """No glyph boxes: unit ids for the names, numbered regions and plans (these have no Latin form),
    no matplotlib "Glyph missing" warning, and one NoThaiFontWarning for all the charts."""
    other = selector.solve(plan.scenario.with_(pilots=(1, 1), cover=(), budget={2555: 10, 2556: 30}))
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        fig = plots.phase_map(plan)
        fig.savefig(tmp_path / "phase.png", dpi=60)
        ax = fig.axes[0]
        assert [t.get_text() for t in ax.get_yticklabels()] == ["A", "B", "C", "D"]
        assert {t.get_text() for t in ax.texts} == {"region 1 (2)", "region 2 (2)"}
        assert ax.get_yticklabels()[0].get_fontfamily() == [plots.LATIN_FALLBACK]
        assert len(ax.patches) == 4 and len(ax.collections[0].get_offsets()) == 2  # the same plan drawn
        only_south = plots.phase_map(plan, regions=["ภาคใต้"]).axes[0]
        assert [t.get_text() for t in only_south.get_yticklabels()] == ["C", "D"]
        fig = plots.overview({"base": plan, "ไม่บังคับภาค": other})
        fig.savefig(tmp_path / "overview.png", dpi=60)
        coverage_ax, pilots_ax, _ = fig.axes
        assert [line.get_label() for line in coverage_ax.get_lines()] == ["base", "plan 2"]
        assert [t.get_text() for t in pilots_ax.get_xticklabels()] == ["region 1", "region 2"]
        assert [b.get_height() for b in pilots_ax.patches] == [1, 1, 1, 0]
        plots.criteria_profile(plan).savefig(tmp_path / "profile.png", dpi=60)
    assert [w.category for w in caught] == [fonts.NoThaiFontWarning], [str(w.message) for w in caught]
    message = str(caught[0].message)
    assert "fonts-thai-tlwg" in message and "apt-get install fonts-thai-tlwg" in message
    assert caught[0].filename == __file__  # it points at the planner's call


@pytest.mark.usefixtures("no_thai_font")
def test_without_a_thai_font_thai_regions_use_the_scenarios_latin_names():
    """The bundled scenario has region (Central, North...) beside region_th: the map of region_th uses them."""
    plan = selector.solve(selector.load(DEFAULT_CSV))
    ax = plots.phase_map(plan, region="region_th", regions=["ภาคเหนือ"]).axes[0]
    north = plan.schedule[(plan.schedule["region_th"] == "ภาคเหนือ") & plan.schedule["fiscal_year"].notna()]
    assert [t.get_text() for t in ax.texts] == [f"North ({len(north)})"]
    assert sorted(t.get_text() for t in ax.get_yticklabels()) == sorted(north["unit_id"])


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
    thai = plots.thai_font() is not None  # without a Thai font: numbered plans and regions (tested above)
    ax = plots.coverage_chart(plans).axes[0]
    assert [line.get_label() for line in ax.get_lines()] == ["base", "ไม่บังคับภาค" if thai else "plan 2"]
    assert ax.get_lines()[0].get_ydata().tolist() == [50.0, 100.0]
    assert ax.get_lines()[1].get_ydata().tolist() == [25.0, 100.0]
    pilots_ax = plots.pilots_chart(plans).axes[0]
    assert [t.get_text() for t in pilots_ax.get_xticklabels()] == (["ภาคเหนือ", "ภาคใต้"] if thai
                                                                   else ["region 1", "region 2"])
    assert [b.get_height() for b in pilots_ax.patches] == [1, 1, 1, 0]  # base: one per region; variant: A only


def test_the_pilots_legend_covers_no_bar(plan):
    """In the overview (the notebook's chart) the legend of the pilots chart stands beside its bars."""
    other = selector.solve(plan.scenario.with_(pilots=(1, 1), cover=(), budget={2555: 10, 2556: 30}))
    fig = plots.overview({"base": plan, "variant": other, "third": plan})
    renderer = fig.canvas.get_renderer() if hasattr(fig.canvas, "get_renderer") else None
    if renderer is None:
        from matplotlib.backends.backend_agg import FigureCanvasAgg

        renderer = FigureCanvasAgg(fig).get_renderer()
    fig.draw_without_rendering()
    ax = fig.axes[1]
    legend = ax.get_legend().get_window_extent(renderer)
    bars = [bar.get_window_extent(renderer) for bar in ax.patches if bar.get_height() > 0]
    assert bars and not any(legend.overlaps(bar) for bar in bars)


def test_criteria_profile_compares_pilot_means_with_all_units(plan):
    ax = plots.criteria_profile(plan).axes[0]
    bars = ax.patches
    all_units, pilots = bars[:7], bars[7:]
    assert all_units[0].get_width() == pytest.approx((5 + 2 + 4 + 1) / 4)  # infrastructure, all four units
    assert pilots[0].get_width() == pytest.approx((5 + 4) / 2)  # the pilots A and C
    assert pilots[6].get_width() == pytest.approx((1 + 2) / 2)  # risk


def test_lang_chooses_the_language_of_titles_axes_and_legends(plan):
    """`lang="th"` draws the Thai of the catalogue; without it the chart is in the current language (English here)."""
    thai = plots.budget_chart(plan, lang="th").axes[0]
    english = plots.budget_chart(plan).axes[0]
    assert thai.get_title() == "งบประมาณที่ใช้ในแต่ละปีงบประมาณ" and thai.get_ylabel() == "ล้านบาท"
    assert [t.get_text() for t in thai.get_legend().get_texts()] == ["วงเงินงบประมาณ", "ใช้ไป"]
    assert [t.get_text() for t in thai.get_xticklabels()][0] == "ปีงบประมาณ 2555"
    assert english.get_title() == "Budget used per fiscal year" and english.get_ylabel() == "million baht"
    assert plots.phase_map(plan, lang="th").axes[0].get_title().startswith("แผนภาพระยะการดำเนินงาน: 4 หน่วยงาน")
