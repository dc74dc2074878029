"""The plan on the map of Thailand: each province coloured by its phase, pilots marked.

A province's phase is the fiscal year its last unit is upgraded (``province_phases``). The
boundaries are the 77 province polygons bundled in ``selector/data/geo`` (OCHA / Royal Thai Survey
Department, COD-AB Thailand, CC BY-IGO): every map carries ``CREDIT``. Drawn with matplotlib alone
(one ``PathPatch`` per province from its GeoJSON rings, holes included), so no GeoPandas is needed
for 77 polygons. In the SVG each province's patch has the id of its ISO code (``TH-50``) and each
pilot marker ``pilot-TH-50``, so the map can be read back. A scenario without a ``province``
column has no map (``has_provinces``); an unknown province is a ``ScenarioError`` naming the
nearest one (``province_problems``).
"""

from __future__ import annotations

import io
import json
import math
import warnings
from contextlib import contextmanager
from functools import lru_cache
from typing import Iterator

import numpy as np
import pandas as pd

from selector.data.provinces import PROVINCE_COLUMN, PROVINCES_GEOJSON, match_provinces, province_table
from selector.data.scenario import Scenario
from selector.errors import Problem, ScenarioError
from selector.i18n import _
from selector.outputs.fonts import chart_rc
from selector.outputs.tables import heading
from selector.outputs.words import TEXT
from selector.plan import Plan

PILOT_COLOUR = "#d95f02"
WAVE_COLOURMAP = "Blues"
NO_UNIT_COLOUR = "#f0f0f0"
DONE_COLOUR = "#c7e9c0"
PARTLY_COLOUR = "#fdd0a2"
EDGE_COLOUR = "#555555"
PILOT_MARKER = "#ffd92f"  # a yellow star with a black rim: seen on every blue and on the orange
MID_LATITUDE = 13.0  # degrees north: the map's x is squeezed by cos(13°) so that Thailand keeps its shape


def credit() -> str:
    """The attribution every map carries (CC BY-IGO asks for it)."""
    return _("Boundaries: OCHA / Royal Thai Survey Department (COD-AB Thailand), CC BY-IGO")


def phase_colours(count: int) -> list:
    """The colour of each of ``count`` fiscal years: the pilot year orange, then the waves in darkening blues."""
    import matplotlib as mpl

    waves = mpl.colormaps[WAVE_COLOURMAP](np.linspace(0.4, 0.9, max(count - 1, 1)))
    return [PILOT_COLOUR] + [tuple(c) for c in waves[: count - 1]]


def hex_colour(colour) -> str:
    """A matplotlib colour as ``#rrggbb`` (as the SVG writes it)."""
    from matplotlib.colors import to_hex

    return to_hex(colour, keep_alpha=False)


@lru_cache(maxsize=1)
def province_shapes() -> dict[str, tuple[object, float, float]]:
    """{ISO code: (matplotlib Path of all its rings, label longitude, label latitude)}, from the bundled GeoJSON."""
    from matplotlib.path import Path as MplPath

    data = json.loads(PROVINCES_GEOJSON.read_text(encoding="utf-8"))
    shapes = {}
    for feature in data["features"]:
        geometry = feature["geometry"]
        polygons = geometry["coordinates"] if geometry["type"] == "MultiPolygon" else [geometry["coordinates"]]
        vertices, codes = [], []
        for polygon in polygons:
            for ring in polygon:
                vertices += ring
                codes += [MplPath.MOVETO] + [MplPath.LINETO] * (len(ring) - 2) + [MplPath.CLOSEPOLY]
        props = feature["properties"]
        shapes[props["iso_code"]] = (MplPath(np.array(vertices, dtype=float), codes), props["label_lon"],
                                     props["label_lat"])
    return dict(sorted(shapes.items()))


def has_provinces(scenario: Scenario) -> bool:
    """Whether the units have a ``province`` column (and so the plan has a map)."""
    return PROVINCE_COLUMN in scenario.units.columns


def province_problems(scenario: Scenario) -> list[Problem]:
    """A problem for every unit whose ``province`` is no province of Thailand (none without the column)."""
    return match_provinces(scenario.units, scenario.csv_path or "<units>")[1]


def province_phases(plan: Plan) -> pd.DataFrame:
    """One row per province (all 77, by ISO code): units to schedule, pilots, the first and the last
    fiscal year one of its units is upgraded, whether one is left unscheduled, and the share of its
    units upgraded by the end of each fiscal year (``by_<year>``).

    Raises ``ScenarioError`` when a unit's province is unknown (the message names the nearest).
    """
    if plan.schedule is None:
        raise ValueError(f"the plan has no schedule (status {plan.status})")
    codes, problems = match_provinces(plan.scenario.units, plan.scenario.csv_path or "<units>")
    if problems:
        raise ScenarioError(problems)
    sched = plan.schedule[plan.schedule["phase"] != "done"].copy()
    sched["iso_code"] = sched["unit_id"].astype(str).map(codes)
    years = list(plan.scenario.settings.years)
    table = province_table()[["iso_code", "name_th", "name_en"]].copy()
    groups = sched.groupby("iso_code")
    table["units"] = table["iso_code"].map(groups.size()).fillna(0).astype(int)
    table["pilots"] = table["iso_code"].map(groups["pilot"].sum()).fillna(0).astype(int)
    table["first_year"] = table["iso_code"].map(groups["fiscal_year"].min())
    table["last_year"] = table["iso_code"].map(groups["fiscal_year"].max())
    table["unscheduled"] = table["iso_code"].map(groups["fiscal_year"].apply(lambda s: bool(s.isna().any())))
    table["unscheduled"] = table["unscheduled"].fillna(False).astype(bool)
    table["done_before"] = table["iso_code"].isin(
        plan.scenario.units.loc[plan.scenario.units["done"], "unit_id"].astype(str).map(codes).dropna())
    for year in years:
        upgraded = sched[sched["fiscal_year"] <= year].groupby("iso_code").size()
        table[f"by_{year}"] = (table["iso_code"].map(upgraded).fillna(0) / table["units"].where(table["units"] > 0))
    return table


def province_colours(phases: pd.DataFrame, years: list[int], year: int | None = None) -> dict[str, str]:
    """{ISO code: fill colour}: with ``year`` None, the colour of the province's last year (phase map);
    with a ``year``, that year's colour once the province is complete by then, light orange while
    part of it is, white before it starts (small multiples). No unit: light grey; only done units: green."""
    palette = [hex_colour(c) for c in phase_colours(len(years))]
    out = {}
    for r in phases.itertuples():
        if r.units == 0:
            out[r.iso_code] = DONE_COLOUR if r.done_before else NO_UNIT_COLOUR
        elif year is None:
            out[r.iso_code] = PARTLY_COLOUR if r.unscheduled else palette[years.index(int(r.last_year))]
        else:
            share = getattr(r, f"by_{year}")
            complete = share >= 1 - 1e-12
            out[r.iso_code] = (palette[years.index(int(r.last_year))] if complete else
                               PARTLY_COLOUR if share > 0 else "#ffffff")
    return out


@contextmanager
def _map_style() -> Iterator[None]:
    import matplotlib

    with matplotlib.rc_context(chart_rc()), warnings.catch_warnings():
        warnings.simplefilter("ignore")
        yield


def _draw(ax, phases: pd.DataFrame, colours: dict[str, str], marker_size: float, east: float = 105.8) -> None:
    """The provinces filled with ``colours`` (each patch's id its ISO code) and a star on each pilot's province."""
    from matplotlib.patches import PathPatch

    shapes = province_shapes()
    pilots = set(phases.loc[phases["pilots"] > 0, "iso_code"])
    for code, (path, lon, lat) in shapes.items():
        patch = PathPatch(path, facecolor=colours.get(code, NO_UNIT_COLOUR), edgecolor=EDGE_COLOUR, linewidth=0.3)
        patch.set_gid(code)
        ax.add_patch(patch)
    for code in sorted(pilots):
        lon, lat = shapes[code][1:]
        (star,) = ax.plot([lon], [lat], marker="*", markersize=marker_size, color=PILOT_MARKER,
                          markeredgecolor="black", markeredgewidth=0.5, linestyle="none")
        star.set_gid(f"pilot-{code}")
    ax.set_xlim(97.2, east)
    ax.set_ylim(5.5, 20.6)
    ax.set_aspect(1 / math.cos(math.radians(MID_LATITUDE)))
    ax.set_axis_off()


def _handles(entries: list[tuple[str, str]], pilot_label: str) -> list:
    from matplotlib.lines import Line2D
    from matplotlib.patches import Patch

    handles = [Patch(facecolor=c, edgecolor=EDGE_COLOUR, linewidth=0.3, label=label) for label, c in entries]
    handles.append(Line2D([], [], marker="*", color=PILOT_MARKER, markeredgecolor="black", markeredgewidth=0.5,
                          linestyle="none", markersize=9, label=pilot_label))
    return handles


def province_map(plan: Plan, *, ax=None, lang: str = "en", title: str | None = None):
    """The phase map: each province in the colour of the fiscal year its last unit is upgraded, pilots starred.

    ``title`` defaults to the plan's title (``[report] title``) and "Phase map by province" ("" for
    none); ``lang`` is the language of the legend ("th" or "en"). The credit line of the boundaries is drawn under the map. Returns the matplotlib ``Figure``.
    """
    from matplotlib.figure import Figure

    t = TEXT[lang]
    years = list(plan.scenario.settings.years)
    phases = province_phases(plan)
    colours = province_colours(phases, years)
    palette = [hex_colour(c) for c in phase_colours(len(years))]
    used = set(phases.loc[phases["units"] > 0, "last_year"].dropna().astype(int))
    entries = [(t["year_label"].format(year=y), palette[i]) for i, y in enumerate(years) if y in used]
    if phases["unscheduled"].any():
        entries.append((t["map_partly"], PARTLY_COLOUR))
    if (phases["units"] == 0).any():
        entries.append((t["map_none"], NO_UNIT_COLOUR))
    with _map_style():
        title = f"{heading(plan, lang).title}\n{t['h_map']}" if title is None else title
        fig = ax.figure if ax is not None else Figure(figsize=(6.2, 7.4 if title else 6.8))
        ax = ax if ax is not None else fig.add_axes((0.0, 0.04, 1.0, 0.86 if title else 0.95))
        # room in the east (the Gulf of Thailand, the sea east of the peninsula) for the legend
        _draw(ax, phases, colours, marker_size=9, east=107.5)
        ax.legend(handles=_handles(entries, t["map_pilot"]), frameon=False, fontsize=8, loc="lower right",
                  title=t["map_phase"].replace(" ", "\n", 1) if lang == "en" else t["map_phase"], title_fontsize=8)
        if title:
            fig.suptitle(title, fontsize=10, x=0.02, ha="left")
        fig.text(0.02, 0.01, credit(), fontsize=6, color="#333333", ha="left", va="bottom")
    return fig


def province_small_multiples(plan: Plan, *, lang: str = "en", title: str | None = None):
    """One map per fiscal year: provinces complete by the end of that year (in its colour), partly
    upgraded (light orange) or not started (white); pilots starred. ``title`` defaults to
    "Provinces complete by the end of each fiscal year" ("" for none). Returns the ``Figure``."""
    from matplotlib.figure import Figure

    t = TEXT[lang]
    years = list(plan.scenario.settings.years)
    phases = province_phases(plan)
    with _map_style():
        fig = Figure(figsize=(1.9 * len(years) + 0.4, 4.4))
        axes = fig.subplots(1, len(years), squeeze=False)[0]
        fig.subplots_adjust(left=0.01, right=0.99, top=0.8 if title != "" else 0.88, bottom=0.2, wspace=0.02)
        for ax, year in zip(axes, years):
            _draw(ax, phases, province_colours(phases, years, year), marker_size=4)
            done = int((phases[f"by_{year}"] >= 1 - 1e-12).sum())
            ax.set_title(f"{t['year_label'].format(year=year)}\n{t['map_done_by'].format(year=year)}: {done}",
                         fontsize=8)
        palette = [hex_colour(c) for c in phase_colours(len(years))]
        entries = [(t["map_done_by"].format(year=y), palette[i]) for i, y in enumerate(years)]
        entries += [(t["map_partly"], PARTLY_COLOUR), (t["map_not_yet"], "#ffffff")]
        fig.legend(handles=_handles(entries, t["map_pilot"]), frameon=False, fontsize=7, loc="lower center",
                   bbox_to_anchor=(0.5, 0.04), ncol=min(len(entries) + 1, 4))
        title = t["h_map_years"] if title is None else title
        if title:
            fig.suptitle(title, fontsize=10, x=0.01, ha="left")
        fig.text(0.01, 0.005, credit(), fontsize=6, color="#333333", ha="left", va="bottom")
    return fig


def figure_svg(figure) -> str:
    """A figure as an inline ``<svg>`` element: text kept as text, no date, fixed ids (deterministic)."""
    from matplotlib.backends.backend_svg import FigureCanvasSVG

    FigureCanvasSVG(figure)
    buffer = io.StringIO()
    with _map_style():
        figure.savefig(buffer, format="svg", metadata={"Date": None, "Creator": None, "Format": None, "Type": None})
    text = buffer.getvalue()
    return text[text.index("<svg"):].strip()


def province_map_png(plan: Plan, lang: str = "en", dpi: int = 150, title: str | None = None) -> bytes:
    """The phase map as PNG bytes (for the workbook's cover); the same plan gives the same bytes."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    figure = province_map(plan, lang=lang, title=title)
    FigureCanvasAgg(figure)
    buffer = io.BytesIO()
    with _map_style():
        figure.savefig(buffer, format="png", dpi=dpi, metadata={"Software": None})
    return buffer.getvalue()
