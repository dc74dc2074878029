"""Charts planners read: the phase map, budget use, coverage curves, pilots by region, pilot profile.

Every function returns the matplotlib ``Figure``; those that draw one chart take ``ax=`` to draw
into an existing axes (e.g. a cell of ``plt.subplots``). Thai text (unit names, regions, plan
names) is drawn with the first Thai-capable font found (``thai_font``, see ``selector.outputs.fonts``:
fontconfig's and matplotlib's fonts, registered with matplotlib so a stale font cache hides none);
matplotlib >= 3.11 shapes Thai correctly (tone marks and vowels placed on their consonants).
Without a Thai font the charts are drawn in Latin letters instead of showing boxes: unit ids for
unit names, the Latin form of a Thai value where the scenario has one (``region`` for
``region_th``), else ``region 2``, ``plan 3``...; one ``NoThaiFontWarning`` per process says what to
install. Every chart takes ``lang="th"`` or ``lang="en"`` for its title, axes and legend (default:
the current language of ``selector.i18n``). Needs matplotlib >= 3.11, which ``pip install selector`` installs.
"""

from __future__ import annotations

import functools
import warnings
from contextlib import contextmanager
from typing import Iterable, Iterator, Mapping, Union

import numpy as np
import pandas as pd

try:
    import matplotlib as mpl
    from matplotlib.figure import Figure
except ImportError as exc:  # the plots are an extra: say how to get them
    raise ImportError("selector.outputs.plots needs matplotlib >= 3.11: pip install 'matplotlib>=3.11'") from exc

from selector.fields import CRITERIA
from selector.i18n import _, language
from selector.model.costs import costs_active
from selector.outputs import fonts

# THAI_FONTS, THAI_SAMPLE, covers, thai_font and NoThaiFontWarning are part of this module's interface too
from selector.outputs.fonts import THAI_FONTS, THAI_SAMPLE, NoThaiFontWarning, covers, has_thai, thai_font  # noqa: F401
from selector.outputs.maps import PILOT_COLOUR, phase_colours, province_map, province_small_multiples  # noqa: F401  (part of this module's interface)
from selector.plan import Plan
from selector.workflows.compare import Comparison, compare
from selector.workflows.robustness.stats import BORDERLINE, CORE, CORE_SHARE, EXTERIOR, EXTERIOR_SHARE, Robustness

LATIN_FALLBACK = "DejaVu Sans"

BUDGET_COLOUR = "#c6dbef"
COST_COLOUR = "#2171b5"

Plans = Union[Plan, Mapping[str, Plan], Comparison]

if tuple(int(part) for part in mpl.__version__.split(".")[:2] if part.isdigit()) < (3, 11):
    warnings.warn(_("matplotlib {version} may misplace Thai vowels and tone marks; selector.plots wants matplotlib >= 3.11",
                    version=mpl.__version__), stacklevel=2)


def font_families() -> list[str]:
    """The font family list every chart uses: the Thai font first, then matplotlib's default for the rest.

    Without a Thai font, matplotlib's default alone (and a ``NoThaiFontWarning``, once per process).
    """
    chosen = thai_font()
    if chosen is None:
        fonts.warn_no_thai_font()
        return [LATIN_FALLBACK]
    return [chosen[0], LATIN_FALLBACK]


def _latin(values: Iterable, kind: str, frame: pd.DataFrame | None = None, column: str | None = None) -> list[str]:
    """The texts of ``values`` as a chart draws them: as they are with a Thai font or when none has Thai.

    Without a Thai font a value with Thai in it becomes its Latin form in ``frame`` (see
    ``_latin_form``), else ``"<kind> <n>"``, n its place among the distinct values (1 for the first).
    """
    texts = [str(v) for v in values]
    if thai_font() is not None or not any(has_thai(t) for t in texts):
        return texts
    places: dict[str, int] = {}
    for t in texts:
        places.setdefault(t, len(places) + 1)
    return [t if not has_thai(t) else _latin_form(frame, column, t) or f"{kind} {places[t]}" for t in texts]


def _latin_form(frame: pd.DataFrame | None, column: str | None, value: str) -> str | None:
    """The one Thai-free value the rows of ``frame`` where ``column`` is ``value`` have in the Latin
    column beside it (``region`` for ``region_th``, ``region_en`` for ``region``); None if there is none."""
    if frame is None or column is None or column not in frame:
        return None
    base = column.removesuffix("_th")
    rows = frame[column].astype(str) == value
    for other in dict.fromkeys((base, f"{base}_en")):
        if other == column or other not in frame:
            continue
        forms = frame.loc[rows, other].dropna().astype(str).str.strip().unique()
        if len(forms) == 1 and forms[0] and not has_thai(forms[0]):
            return str(forms[0])
    return None


@contextmanager
def _thai_text() -> Iterator[list[str]]:
    """Draw with the Thai font: text made inside this block (titles, legends, labels) uses it."""
    families = font_families()
    with mpl.rc_context({"font.family": families}):
        yield families


def in_language(chart):
    """Give a chart ``lang=`` ("th" or "en"): its title, axes and legend in that language (default: the current one)."""

    @functools.wraps(chart)
    def drawn(*args, lang: str | None = None, **kwargs):
        if lang is None:
            return chart(*args, **kwargs)
        with language(lang):
            return chart(*args, **kwargs)

    return drawn


def _axes(ax, figsize: tuple[float, float]):
    """The given axes and its figure, or a new figure of ``figsize`` inches with one axes."""
    if ax is not None:
        return ax.figure, ax
    fig = Figure(figsize=figsize, layout="constrained")
    return fig, fig.add_subplot()


def _thai_ticks(ax, families: list[str]) -> None:
    # tick labels are (re)made when drawn, outside _thai_text: give them the font explicitly
    ax.tick_params(labelfontfamily=families)


def _finish(ax, families: list[str], title: str, **legend) -> None:
    """The common dress of a chart: title, legend without frame, no top and right spines, Thai ticks."""
    ax.set_title(title)
    ax.legend(frameon=False, **legend)
    ax.spines[["top", "right"]].set_visible(False)
    _thai_ticks(ax, families)


def _comparison(plans: Plans) -> Comparison:
    if isinstance(plans, Comparison):
        return plans
    if isinstance(plans, Plan):
        return compare({"plan": plans})
    return compare(plans)


def _year_labels(years) -> list[str]:
    return [_("FY{year}", year=y) for y in years]


@in_language
def phase_map(plan: Plan, *, ax=None, label: str = "name", region: str = "region",
              regions: list[str] | None = None) -> Figure:
    """Units (rows, grouped by region) x fiscal years (columns): each unit's year, pilots starred.

    ``label`` is the column shown for each unit (``name`` or ``unit_id``); ``region`` the column
    that groups them (e.g. ``region_th`` for Thai region names); ``regions`` keeps only those groups
    (by their values in ``region``). Done units are left out. Without a Thai font, Thai labels are
    replaced by the unit ids and Thai region names by their Latin form (``region`` for ``region_th``).
    """
    if plan.schedule is None:
        raise ValueError(f"the plan has no schedule (status {plan.status})")
    years = list(plan.scenario.settings.years)
    sched = plan.schedule[plan.schedule["fiscal_year"].notna()].copy()
    if region not in sched:
        sched = sched.merge(plan.scenario.units[["unit_id", region]], on="unit_id", how="left")
    if regions is not None:
        sched = sched[sched[region].isin(regions)]
    sched = sched.sort_values([region, "fiscal_year", "unit_id"], kind="mergesort").reset_index(drop=True)
    n = len(sched)
    colours = phase_colours(len(years))
    shown = sched[label]
    if thai_font() is None and any(has_thai(v) for v in shown):
        shown = sched["unit_id"]  # no Thai font: the ids, which every unit has
    with _thai_text() as families:
        fig, ax = _axes(ax, (7.5, 1.6 + 0.17 * n))
        columns = [years.index(int(y)) for y in sched["fiscal_year"]]
        ax.barh(np.arange(n), 0.9, left=np.array(columns) - 0.45, height=0.8, color=[colours[c] for c in columns])
        pilots = sched.index[sched["pilot"]]
        ax.scatter([years.index(int(y)) for y in sched.loc[pilots, "fiscal_year"]], pilots, marker="*", s=60,
                   color="black", zorder=3, label=_("pilot"))
        groups = sched.groupby(region, sort=False).indices
        names = _latin(groups, "region", plan.scenario.units, region)
        for name, rows in zip(names, groups.values()):
            top, bottom = rows.min() - 0.5, rows.max() + 0.5
            if top > 0:
                ax.axhline(top, color="0.3", lw=0.8)
            ax.text(len(years) - 0.4, (top + bottom) / 2, f"{name} ({len(rows)})", va="center", ha="left", fontsize=9)
        size = 8 if n <= 40 else 6 if n <= 120 else 5
        ax.set_yticks(range(n), labels=_latin(shown, "unit"), fontsize=size)
        ax.set_xticks(range(len(years)), labels=[_("FY{year}", year=y) + "\n" + _phase(y, years[0]) for y in years])
        ax.set_xlim(-0.5, len(years) - 0.5)
        ax.set_ylim(n - 0.5, -0.5)
        ax.xaxis.tick_top()
        ax.set_title(_("Phase map: {units} units, {pilots} pilots (★)", units=n, pilots=len(pilots)), fontsize=11)
        ax.spines[["right", "bottom"]].set_visible(False)
        _thai_ticks(ax, families)
    return fig


def _phase(year: int, first: int) -> str:
    return _("pilot") if year == first else _("wave {n}", n=year - first)


@in_language
def budget_chart(plan: Plan, *, ax=None) -> Figure:
    """Per fiscal year: the budget and the cost of the units upgraded (million baht), with the share used."""
    by_year = plan.by_year
    x = np.arange(len(by_year))
    with _thai_text() as families:
        fig, ax = _axes(ax, (6.5, 3.8))
        ax.bar(x - 0.2, by_year["budget"] / 1e6, width=0.4, color=BUDGET_COLOUR, label=_("budget"))
        bars = ax.bar(x + 0.2, by_year["cost"] / 1e6, width=0.4, color=COST_COLOUR, label=_("used"))
        ax.bar_label(bars, labels=[f"{u:.0%}" for u in by_year["budget_used"]], fontsize=8, padding=2)
        if costs_active(plan.scenario):  # docs/costs.md: the commitments each year carries, hatched
            carried = plan.spending.set_index("fiscal_year")["carried"].loc[list(by_year["fiscal_year"])]
            ax.bar(x + 0.2, carried.to_numpy() / 1e6, width=0.4, fill=False, hatch="//", edgecolor="white",
                   label=_("carried from earlier years"))
        ax.set_xticks(x, labels=_year_labels(by_year["fiscal_year"]))
        ax.set_ylabel(_("million baht"))
        _finish(ax, families, _("Budget used per fiscal year"))
    return fig


@in_language
def coverage_chart(plans: Plans, *, ax=None) -> Figure:
    """Cumulative coverage (% of units upgraded by the end of each fiscal year), one line per plan."""
    coverage = _comparison(plans).coverage
    with _thai_text() as families:
        fig, ax = _axes(ax, (6.5, 3.8))
        x = np.arange(len(coverage))
        for marker, column, name in zip("osD^vP*X" * 4, coverage.columns, _latin(coverage.columns, "plan")):
            ax.plot(x, 100 * coverage[column], marker=marker, label=name)
        ax.set_xticks(x, labels=_year_labels(coverage.index))
        ax.set_ylim(0, 105)
        ax.set_ylabel(_("{percent} of units upgraded", percent="%"))
        ax.grid(axis="y", alpha=0.3)
        _finish(ax, families, _("Cumulative coverage"))
    return fig


@in_language
def pilots_chart(plans: Plans, *, ax=None) -> Figure:
    """Pilots per region, one bar per plan in each region."""
    comparison = _comparison(plans)
    table = comparison.pilots_by_region
    units = pd.concat([facts.schedule for facts in comparison.plans], ignore_index=True)
    width = 0.8 / max(len(table.columns), 1)
    x = np.arange(len(table))
    with _thai_text() as families:
        fig, ax = _axes(ax, (6.5, 3.8))
        for i, (column, name) in enumerate(zip(table.columns, _latin(table.columns, "plan"))):
            ax.bar(x - 0.4 + width * (i + 0.5), table[column], width=width, label=name)
        ax.set_xticks(x, labels=_latin(table.index, "region", units, "region"))
        ax.yaxis.get_major_locator().set_params(integer=True)
        ax.set_ylabel(_("pilots"))
        # beside the axes, not over the bars (the best spot inside is often on a bar)
        _finish(ax, families, _("Pilots per region"), loc="upper left", bbox_to_anchor=(1.0, 1.0))
    return fig


@in_language
def criteria_profile(plan: Plan, *, ax=None) -> Figure:
    """Mean raw value of each criterion: the pilots against all units to schedule, on the scenario's scale."""
    units = plan.scenario.to_schedule
    pilots = units[units["unit_id"].isin(plan.pilots["unit_id"])]
    lo, hi = plan.scenario.settings.scale
    cost_type = plan.scenario.settings.cost_type
    y = np.arange(len(CRITERIA))
    with _thai_text() as families:
        fig, ax = _axes(ax, (6.5, 3.8))
        ax.barh(y - 0.2, units[list(CRITERIA)].mean(), height=0.4, color=BUDGET_COLOUR, label=_("all units ({count})", count=len(units)))
        ax.barh(y + 0.2, pilots[list(CRITERIA)].mean(), height=0.4, color=PILOT_COLOUR, label=_("pilots ({count})", count=len(pilots)))
        ax.set_yticks(y, labels=[c + (_(" (lower is better)") if c in cost_type else "") for c in CRITERIA])
        ax.set_ylim(len(CRITERIA) - 0.5, -0.5)
        ax.set_xlim(lo, hi)
        ax.set_xlabel(_("mean score ({lo} to {hi})", lo=f"{lo:g}", hi=f"{hi:g}"))
        _finish(ax, families, _("Criteria profile: pilots against all units"), loc="upper left", bbox_to_anchor=(1, 1))
    return fig


@in_language
def overview(plans: Mapping[str, Plan]) -> Figure:
    """Coverage curves and pilots per region of several plans, and the first plan's budget use, side by side."""
    first = next(iter(plans.values()))
    comparison = compare(plans)
    fig = Figure(figsize=(15, 4), layout="constrained")
    axes = fig.subplots(1, 3)
    coverage_chart(comparison, ax=axes[0])
    pilots_chart(comparison, ax=axes[1])
    budget_chart(first, ax=axes[2])
    return fig


# ---------------------------------------------------------------------------------------------
# Plot

CLASS_COLOURS = {CORE: "#1b7837", BORDERLINE: "#f1a340", EXTERIOR: "#bababa"}


@in_language
def plot_acceptability(result: Robustness, top: int | None = None):
    """A matplotlib Figure: pilot acceptability per unit, highest first, coloured by class.

    ``top`` keeps only the first ``top`` units (exterior units with 0% are dropped by default).
    """
    from matplotlib.figure import Figure
    from matplotlib.patches import Patch

    data = result.units.sort_values(["acceptability", "unit_id"], ascending=[False, True], kind="mergesort")
    data = data[data["acceptability"] > 0] if top is None else data.head(top)
    fig = Figure(figsize=(max(6.0, 0.28 * len(data) + 1.5), 4.0), layout="constrained")
    ax = fig.add_subplot()
    ax.bar(range(len(data)), 100 * data["acceptability"], color=[CLASS_COLOURS[c] for c in data["class"]])
    ax.set_xticks(range(len(data)), data["unit_id"], rotation=90, fontsize=7)
    ax.axhline(100 * CORE_SHARE, color="black", linewidth=0.6, linestyle="--")
    ax.axhline(100 * EXTERIOR_SHARE, color="black", linewidth=0.6, linestyle=":")
    ax.set_ylim(0, 100)
    ax.set_ylabel(_("pilot in {percent} of samples", percent="%"))
    ax.set_title(_("Pilot acceptability ({samples} weight samples)", samples=result.options.get("samples")))
    ax.legend(handles=[Patch(color=CLASS_COLOURS[c], label=c) for c in (CORE, BORDERLINE, EXTERIOR)], loc="upper right")
    return fig
