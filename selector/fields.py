"""The data dictionary of the units CSV and of the settings TOML.

Validation (``selector.data.validate``) and the tables of docs/scenario-format.md are generated from
these lists, so the documentation and the checks cannot drift apart (``tests/test_docs.py`` keeps them in step).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

CRITERIA: tuple[str, ...] = (
    "infrastructure",
    "staff",
    "leadership",
    "importance",
    "workload",
    "success",
    "risk",
)
"""The seven criteria of the Department of Land Transport's method, in their canonical order."""


@dataclass(frozen=True)
class Field:
    name: str
    kind: str  # text | number | year | choice | boolean
    required: bool
    default: str
    unit: str
    description: str
    th: str = ""  # the Thai label: the workbook's column header, accepted as a header of the input
    th_aliases: tuple[str, ...] = ()  # other Thai headers planners write for the column


CRITERION_TH = {
    "infrastructure": "ความพร้อมด้านโครงสร้างพื้นฐาน", "staff": "ความพร้อมของบุคลากร",
    "leadership": "ความพร้อมของผู้บริหาร", "importance": "ความสำคัญของงาน", "workload": "ปริมาณงาน",
    "success": "โอกาสความสำเร็จ", "risk": "ความเสี่ยง",
}
"""The Thai name of each criterion: the workbook prints it, and a units table may use it as a header."""


UNIT_FIELDS: tuple[Field, ...] = (
    Field("unit_id", "text", True, "", "", "Unique id of the unit (ASCII letters, digits, - _ . recommended).",
          "รหัสหน่วย", ("รหัสหน่วยงาน",)),
    Field("name", "text", True, "", "", "Name of the unit, Thai or English.", "ชื่อหน่วยงาน", ("ชื่อหน่วย",)),
    Field("region", "text", True, "", "", "Region of the unit; by default every region needs a pilot.", "ภาค", ("ภูมิภาค",)),
    Field("cost", "number", True, "", "baht", "Cost of upgrading the unit, spent in the fiscal year it is upgraded; >= 0.",
          "ค่าใช้จ่าย (บาท)", ("ค่าใช้จ่าย",)),
    *(
        Field(c, "number", True, "", "score", f"Criterion '{c}' on the declared scale (default 1 to 5)"
              + ("; lower is better." if c == "risk" else "; higher is better."), CRITERION_TH[c])
        for c in CRITERIA
    ),
    Field("pilot", "choice", False, "", "", "`must` (the unit is a pilot), `never` (it cannot be one) or empty.",
          "หน่วยนำร่อง"),
    Field("earliest_year", "year", False, "", "B.E. fiscal year", "The unit cannot be upgraded before this fiscal year.",
          "ปีงบประมาณที่เริ่มได้", ("ปีที่เริ่มได้",)),
    Field("latest_year", "year", False, "", "B.E. fiscal year", "The unit must be upgraded by this fiscal year.",
          "ปีงบประมาณที่ต้องแล้วเสร็จ", ("ปีที่ต้องแล้วเสร็จ",)),
    Field("after", "text", False, "", "", "A unit_id that must be upgraded in an earlier fiscal year than this unit.",
          "ดำเนินการหลังหน่วย", ("หลังหน่วย",)),
    Field("done", "boolean", False, "false", "", "true: the unit already meets the standard; kept in the output, never scheduled, costs nothing.",
          "ดำเนินการแล้ว"),
)
"""Every column selector reads. Any other column is kept and passed through to the schedule."""

COST_FIELDS: tuple[Field, ...] = (
    Field("cost_y<k>", "number", False, "", "baht", "`cost_y0`, `cost_y1`...: the unit's own spending in its upgrade year (`y0`) and the "
          "years after; when any is filled they are its profile (empty cells 0) and add up to `cost` (see Costs over fiscal years).",
          "ค่าใช้จ่ายปีที่ k (บาท)"),
    Field("profile", "text", False, "", "", "The name of a profile of `[costs.profiles]` the unit's cost follows; empty: the default profile.",
          "รูปแบบการเบิกจ่าย"),
    Field("cost_<category>", "number", False, "", "baht", "For each `[budget.<category>]`, the part of `cost` in that category "
          "(empty: 0); the parts add up to at most `cost`, the rest counts against the total budget only.",
          "ค่าใช้จ่ายตามหมวด (บาท)"),
    Field("running_cost", "number", False, "", "baht a year", "What the unit costs every year from the year after its upgrade "
          "to the end of the horizon (empty: 0), charged to `[costs] running_category`.",
          "ค่าใช้จ่ายดำเนินการต่อเนื่องต่อปี (บาท)"),
)
"""The cost columns of docs/costs.md: read when present, and passed through to the schedule like any other column."""

COST_YEARS_COLUMN = r"cost_y(\d)"
"""The pattern of the per-year cost columns: cost_y0 (the upgrade year) to cost_y9."""

REQUIRED_COLUMNS = tuple(f.name for f in UNIT_FIELDS if f.required)
KNOWN_COLUMNS = tuple(f.name for f in UNIT_FIELDS)
THAI_LABELS = {f.name: f.th for f in UNIT_FIELDS}
"""The Thai header of every column (the workbook and the template print these)."""


def _header_key(text: str) -> str:
    return " ".join(text.split())


_THAI_HEADERS = {_header_key(h): f.name for f in UNIT_FIELDS for h in (f.th, *f.th_aliases)}
_THAI_HEADERS.update({_header_key(h.split(" (")[0]): f.name for f in UNIT_FIELDS for h in (f.th, *f.th_aliases)})


def column_of_header(header: str) -> str | None:
    """The data dictionary's column named by a header cell: its own name, or its Thai label or alias
    (``ความเสี่ยง`` is ``risk``, ``ค่าใช้จ่าย (บาท)`` and ``ค่าใช้จ่าย`` are ``cost``); None for any other header."""
    text = header.strip()
    if text in KNOWN_COLUMNS:
        return text
    return _THAI_HEADERS.get(_header_key(text))

TRUE_WORDS = ("true", "yes", "1", "y", "ใช่")
FALSE_WORDS = ("false", "no", "0", "n", "", "ไม่ใช่")


@dataclass(frozen=True)
class Setting:
    section: str
    key: str
    default: Any
    description: str


SETTINGS: tuple[Setting, ...] = (
    Setting("horizon", "first_year", 2555, "First fiscal year (B.E.) of the plan: the pilot year."),
    Setting("horizon", "last_year", 2558, "Last fiscal year (B.E.): every unit is upgraded by then."),
    Setting("plan", "coverage", "all", "`all`: every unit is upgraded by the last year; `best-effort`: each unit at most "
            "once, as many units as the rules allow (then the objective), the rest listed as `unscheduled`."),
    Setting("budget", "<year>", None, "Budget in baht for each fiscal year of the horizon, e.g. `2556 = 120_000_000`. Every year must be given."),
    Setting("budget", "after", None, "With `[costs] after_horizon = \"charge\"`: the most baht the plan's profiles may spend after the last year, in all."),
    Setting("budget.<category>", "<year>", None, "A budget category (e.g. `investment`, `operations`): its ceiling in each fiscal year of the horizon, every year named; the units' `cost_<category>` parts and its running costs count against it."),
    Setting("budget.<category>", "profile", None, "Optional profile of the category's part of each unit's cost, e.g. `[0.5, 0.5]`."),
    Setting("pilots", "min", 1, "Least number of pilot units."),
    Setting("pilots", "max", "ceil(10% of units to schedule)", "Greatest number of pilot units."),
    Setting("pilots", "max_mean_risk", None, "Optional cap on the pilots' mean raw `risk` value."),
    Setting("pilots", "cover", ["region"], "Columns whose every value must have at least one pilot."),
    Setting("pilots.balance", "columns", [], "Numeric columns (criteria or passed-through, e.g. `population_served`) whose pilot mean must lie within `tolerance` standard deviations of the mean over all units to schedule; empty: rule off."),
    Setting("pilots.balance", "tolerance", 0.25, "Largest allowed abs(pilot mean - network mean) / network sd (0.25: the What Works Clearinghouse limit for baseline equivalence)."),
    Setting("pilots.max_share", "<column>", None, "Greatest share of the pilots one value of the column may hold, e.g. `region = 0.34`."),
    Setting("capacity", "max_units_per_year", None, "Optional: most units upgraded in any one fiscal year."),
    Setting("capacity", "max_units", None, "Optional: most units upgraded in the named fiscal years, e.g. `{2556 = 60, 2557 = 80}`; the smaller cap binds where both apply."),
    Setting("capacity.by", "<column>", None, "One coaching team per value of the column: `region = {max_per_year = 12}` caps each value's upgrades in every year."),
    Setting("fairness", "column", None, "The column whose values are treated fairly over time, e.g. `\"region\"`."),
    Setting("fairness", "min_per_year", None, "Each value gets at least this many upgrades in every rollout year while it has units left (all of them if fewer are left)."),
    Setting("fairness", "max_completion_gap", None, "The fiscal years in which the values complete their last unit differ by at most this many years."),
    Setting("mentors", "column", None, "Groups (e.g. `\"province\"`) whose first units mentor the others: the rest follow at least `lag` years later."),
    Setting("mentors", "lag", 1, "Years between a group's first upgrade (or a named mentor's) and its followers."),
    Setting("mentors", "max_mentors", 1, "Most units a group may upgrade in its first year (its mentors)."),
    Setting("mentors", "mentor_column", None, "Optional column of unit_ids: each unit follows the unit it names at least `lag` years later."),
    Setting("costs", "profile", [1.0], "Default profile: the shares of a unit's cost spent in its upgrade year and the years after, summing to 1, e.g. `[0.6, 0.4]`."),
    Setting("costs", "pilot_profile", None, "Optional profile of the pilots' cost (units upgraded in the pilot year)."),
    Setting("costs.profiles", "<name>", None, "Named profiles for the `profile` column, e.g. `building = [0.6, 0.4]`."),
    Setting("costs", "after_horizon", "refuse", "`refuse`: a unit starts early enough for all its spending to fall within the horizon; `charge`: spending after the last year is allowed up to `[budget] after`."),
    Setting("costs", "running_category", None, "The `[budget.<category>]` the units' `running_cost` is charged to (always also to the total budget)."),
    Setting("criteria", "scale", [1, 5], "The scale [lo, hi] of every criterion."),
    Setting("criteria", "cost_type", ["risk"], "Criteria where lower is better."),
    Setting("weights.pilot", "<criterion>", "infrastructure 0.25, staff 0.15, leadership 0.15, success 0.25, risk 0.20",
            "Weights of the pilot suitability score; normalised to sum 1."),
    Setting("weights.rollout", "<criterion>", "importance 0.35, workload 0.35, infrastructure 0.10, staff 0.10, leadership 0.10",
            "Weights of the rollout priority score; normalised to sum 1."),
    Setting("weights.<set>", "method", "the one form given", "`direct` (the numbers), `rank` (`order`) or `ahp` (`[weights.<set>.ahp]`): which form counts when several are given. `<set>` is `pilot` or `rollout`."),
    Setting("weights.<set>", "order", None, "Criteria from most to least important, ties in an inner list, e.g. `[\"success\", [\"staff\", \"leadership\"], \"risk\"]`: rank-order-centroid weights."),
    Setting("weights.<set>.ahp", "\"<a>/<b>\"", None, "AHP judgement: how much more important a is than b on Saaty's 1-9 scale (`\"1/3\"` when b is more important); every pair of the criteria named, once."),
    Setting("objective", "pilot_emphasis", 1.0, "Weight of pilot suitability against rollout priority (lambda = emphasis x years), from 0 to 1,000,000."),
    Setting("solver", "name", "highs", "`highs` (default) or `cbc`."),
    Setting("solver", "time_limit", 60, "Seconds the solver may run."),
    Setting("solver", "gap", 0.0001, "Relative MIP gap accepted as optimal (0.0001 = 0.01%)."),
    Setting("replan", "stability", 1.0, "`selector replan`: objective points lost per unit-year a unit moves from its baseline year (0 = re-optimise freely)."),
    Setting("replan", "later_factor", 2.0, "`selector replan`: a year later costs this many times a year earlier (> 0)."),
    Setting("indicators", "id", "required", "`[[indicators]]`, one table per OPDC scorecard indicator: its id, as the results file of `selector monitor` names it (ASCII)."),
    Setting("indicators", "name_th, name_en", "", "The indicator's name in Thai and in English."),
    Setting("indicators", "dimension", "required", "`effectiveness`, `service_quality`, `efficiency` or `organisational_development` (or the Thai name: ประสิทธิผล, คุณภาพการให้บริการ, ประสิทธิภาพของการปฏิบัติราชการ, การพัฒนาองค์กร)."),
    Setting("indicators", "unit", "", "Unit of measure of the result, e.g. `%` or `minutes`."),
    Setting("indicators", "weight", "required", "Share of the scorecard in %; the weights of all indicators sum to 100."),
    Setting("indicators", "levels", "required", "The five results that earn scores 1 to 5, strictly in the indicator's direction, e.g. `[80, 85, 90, 95, 100]`."),
    Setting("indicators", "direction", "higher", "`higher` (more is better) or `lower` (less is better: the levels fall)."),
    Setting("monitoring", "pass_score", 3.0, "The overall weighted score (1-5) that meets the standard, or one mark per dimension, e.g. `{effectiveness = 3, service_quality = 3.5}`."),
    Setting("report", "title", None, "Title printed on the workbook, the report and the charts (`--title` overrides it); default: the generic plan title."),
    Setting("report", "department", None, "Department (or project) named under the title, e.g. `\"กรมการขนส่งทางบก\"`."),
    Setting("report", "prepared_by", None, "Who prepared the plan, printed on the cover and in the report's header."),
    Setting("report", "date", None, "Date printed on the plan (`2012-09-30`); `selector export --date` overrides it; default: `SOURCE_DATE_EPOCH`, else today."),
    Setting("report", "font", "TH Sarabun New", "Workbook font: `TH Sarabun New` (14-16 pt, Thai official documents; the office suite falls back as usual) or another, e.g. `Tahoma` (10 pt)."),
)

DEFAULT_PILOT_WEIGHTS = {"infrastructure": 0.25, "staff": 0.15, "leadership": 0.15, "success": 0.25, "risk": 0.20}
DEFAULT_ROLLOUT_WEIGHTS = {"importance": 0.35, "workload": 0.35, "infrastructure": 0.10, "staff": 0.10, "leadership": 0.10}


def columns_table_markdown() -> str:
    """The table of CSV columns in docs/scenario-format.md."""
    rows = ["| column | Thai header | required | type | unit | default | meaning |", "|---|---|---|---|---|---|---|"]
    for f in UNIT_FIELDS + COST_FIELDS:
        thai = ", ".join(f"`{h}`" for h in (f.th, *f.th_aliases))
        rows.append(
            f"| `{f.name}` | {thai} | {'yes' if f.required else 'no'} | {f.kind} | {f.unit} | {f.default} | {f.description} |"
        )
    return "\n".join(rows)


def settings_table_markdown() -> str:
    """The table of settings keys in docs/scenario-format.md."""
    rows = ["| section | key | default | meaning |", "|---|---|---|---|"]
    for s in SETTINGS:
        default = "required" if s.default is None and s.section == "budget" and s.key == "<year>" else (
            "none" if s.default is None else f"`{s.default}`" if not isinstance(s.default, str) or s.key in ("name",) else s.default
        )
        rows.append(f"| `[{s.section}]` | `{s.key}` | {default} | {s.description} |")
    return "\n".join(rows)


KEY_COLUMNS = frozenset({"unit_id", "region", "after", "pilot", "done"})
"""Columns whose values are keys (ids, groups, the id another unit names, the words of a rule): no
invisible character may stand in them (``selector.data.csvfiles.text_problem``); the columns a
rule of the settings groups by are checked the same way (``selector.data.validate.check_key_text``)."""
