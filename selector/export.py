"""The plan as a submission: its tables in Thai or English, and the Excel workbook.

``plan_tables`` turns a ``Plan`` into the language-ready tables every output shares (summary by
fiscal year, units of each year, pilots with the reasons they were chosen, assumptions); the
workbook (here) and the HTML report (``selector.report_html``) only lay them out. Cells are typed:
numbers are written as numbers with a number format, text as inert text (never a formula or link).
"""

from __future__ import annotations

import datetime as dt
import math
import os
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from . import __version__
from .errors import CheckFailedError
from .fields import CRITERIA
from .output import atomic_path
from .scenario import Scenario, parse_number
from .scoring import score_units
from .settings import normalised_weights
from .solve import Plan, schedule_table

CHECKED = "checked"
"""Status of a plan read back from a schedule file: every rule holds, optimality is not re-proven."""

LANGUAGES = ("th", "en")

BAHT = "#,##0"
COUNT = "#,##0"
PERCENT = "0.0%"
SCORE = "0.0000"
WEIGHT = "0.0000"
YEAR = "0"
PRECISE_PERCENT = "0.0000%"
OBJECTIVE = "0.000000"

_THAI_MONTHS_SHORT = ("ม.ค.", "ก.พ.", "มี.ค.", "เม.ย.", "พ.ค.", "มิ.ย.", "ก.ค.", "ส.ค.", "ก.ย.", "ต.ค.", "พ.ย.", "ธ.ค.")
_THAI_MONTHS = ("มกราคม", "กุมภาพันธ์", "มีนาคม", "เมษายน", "พฤษภาคม", "มิถุนายน", "กรกฎาคม", "สิงหาคม",
                "กันยายน", "ตุลาคม", "พฤศจิกายน", "ธันวาคม")
BE_OFFSET = 543  # Buddhist Era year = Common Era year + 543

# Every text a reader sees, by language. Keys are stable; tests and the report use them.
TEXT: dict[str, dict[str, str]] = {
    "th": {
        "sheet_summary": "สรุป", "sheet_year": "ปีงบประมาณ {year}", "sheet_pilots": "หน่วยนำร่อง",
        "sheet_assumptions": "สมมติฐาน",
        "year_label": "ปีงบประมาณ พ.ศ. {year}", "total": "รวม",
        "col_year": "ปีงบประมาณ", "col_period": "ช่วงเวลา", "col_phase": "ระยะ",
        "col_units": "จำนวนหน่วยที่ยกระดับ", "col_pilots": "ในจำนวนนี้เป็นหน่วยนำร่อง",
        "col_cost": "งบประมาณที่ขอ (บาท)", "col_cumulative": "จำนวนหน่วยสะสม",
        "col_coverage": "ความครอบคลุมสะสม", "col_budget": "วงเงินงบประมาณ (บาท)", "col_used": "สัดส่วนที่ใช้",
        "col_unit_id": "รหัสหน่วย", "col_name": "ชื่อหน่วยงาน", "col_region": "ภาค",
        "col_pilot": "หน่วยนำร่อง", "col_unit_cost": "ค่าใช้จ่าย (บาท)",
        "col_pilot_score": "คะแนนความเหมาะสมเป็นหน่วยนำร่อง", "col_rollout_score": "คะแนนลำดับความสำคัญในการขยายผล",
        "col_rank": "อันดับความเหมาะสม", "col_reason": "เหตุผลที่เลือก",
        "col_item": "รายการ", "col_value": "ค่า",
        "yes": "ใช่", "no": "ไม่ใช่",
        "phase_pilot": "นำร่อง", "phase_wave": "ระยะที่ {n}", "phase_done": "ดำเนินการแล้ว",
        "period": "1 ต.ค. {start} – 30 ก.ย. {end}", "fy_note": "ปีงบประมาณ พ.ศ. {year} คือ {period}",
        "done_note": "หน่วยที่ดำเนินการแล้วก่อนเริ่มแผน (ไม่ต้องจัดลำดับ): {n} หน่วย",
        "reason_rank": "ความเหมาะสมเป็นหน่วยนำร่องอันดับ {rank} จาก {n} หน่วย",
        "reason_must": "กำหนดให้เป็นหน่วยนำร่องในข้อมูล (pilot = must)",
        "reason_only": "หน่วยนำร่องเพียงหน่วยเดียวของ{group}",
        "reason_one_of": "หนึ่งใน {k} หน่วยนำร่องของ{group}",
        "none": "ไม่กำหนด",
        "a_csv": "ไฟล์ข้อมูลหน่วยงาน", "a_csv_sha": "SHA-256 ของไฟล์ข้อมูลหน่วยงาน",
        "a_toml": "ไฟล์กำหนดค่า", "a_toml_sha": "SHA-256 ของไฟล์กำหนดค่า", "a_no_toml": "ไม่มี (ใช้ค่าเริ่มต้น)",
        "a_first": "ปีงบประมาณแรก (ปีนำร่อง)", "a_last": "ปีงบประมาณสุดท้าย",
        "a_budget": "วงเงินงบประมาณ ปีงบประมาณ พ.ศ. {year} (บาท)",
        "a_pilots_min": "จำนวนหน่วยนำร่องอย่างน้อย", "a_pilots_max": "จำนวนหน่วยนำร่องไม่เกิน",
        "a_risk": "ค่าเฉลี่ยความเสี่ยงของหน่วยนำร่องไม่เกิน", "a_cover": "ต้องมีหน่วยนำร่องในทุกค่าของคอลัมน์",
        "a_capacity": "จำนวนหน่วยที่ยกระดับได้สูงสุดต่อปี", "a_scale": "ช่วงคะแนนของเกณฑ์",
        "a_cost_type": "เกณฑ์ที่ค่าน้อยดีกว่า",
        "a_w_pilot": "น้ำหนักคะแนนนำร่อง: {criterion}", "a_w_rollout": "น้ำหนักคะแนนขยายผล: {criterion}",
        "a_emphasis": "น้ำหนักของความเหมาะสมนำร่องเทียบกับลำดับความสำคัญ (pilot_emphasis)",
        "a_objective_rule": "สูตรฟังก์ชันเป้าหมาย",
        "a_rule": "กฎ: {name}",
        "a_solver": "โปรแกรมแก้ปัญหา (solver)", "a_time_limit": "เวลาสูงสุดที่ให้แก้ปัญหา (วินาที)",
        "a_gap_setting": "ช่องว่างสัมพัทธ์ที่ยอมรับว่าเหมาะสมที่สุด", "a_status": "สถานะของแผน",
        "a_objective": "ค่าฟังก์ชันเป้าหมาย", "a_bound": "ขอบเขตที่พิสูจน์ได้", "a_gap": "ช่องว่างที่พิสูจน์ได้",
        "a_date": "วันที่จัดทำ", "a_version": "รุ่นของ selector", "a_reproduce": "คำสั่งสำหรับทำซ้ำ",
        "status_optimal": "เหมาะสมที่สุด (พิสูจน์แล้วภายในช่องว่างที่กำหนด)",
        "status_feasible": "เป็นไปได้ แต่ยังไม่พิสูจน์ว่าเหมาะสมที่สุด",
        "status_checked": "อ่านจากไฟล์ตารางดำเนินการ ตรวจสอบแล้วว่าเป็นไปตามกฎทุกข้อ (ไม่ได้พิสูจน์ความเหมาะสมที่สุดซ้ำ)",
        "rule_coverage": "ทุกหน่วยได้รับการยกระดับครั้งเดียว ภายในปีงบประมาณ พ.ศ. {last}",
        "rule_pilot_year": "หน่วยนำร่องคือหน่วยที่ยกระดับในปีงบประมาณ พ.ศ. {first} และมีเพียงหน่วยนำร่องเท่านั้น",
        "rule_budget": "ค่าใช้จ่ายของแต่ละปีไม่เกินวงเงินงบประมาณของปีนั้น",
        "rule_pilot_count": "จำนวนหน่วยนำร่อง {min} ถึง {max} หน่วย",
        "rule_cover": "มีหน่วยนำร่องอย่างน้อยหนึ่งหน่วยในทุกค่าของ {columns}",
        "rule_risk": "ค่าเฉลี่ยความเสี่ยงของหน่วยนำร่องไม่เกิน {value}",
        "rule_capacity": "ยกระดับได้ไม่เกิน {value} หน่วยต่อปี",
        "rule_must": "หน่วยที่ต้องเป็นหน่วยนำร่อง: {units}", "rule_never": "หน่วยที่ห้ามเป็นหน่วยนำร่อง: {units}",
        "rule_window": "หน่วยที่มีกรอบปีที่ยกระดับได้: {units}", "rule_after": "ลำดับก่อนหลัง: {units}",
        "rule_done": "หน่วยที่ดำเนินการแล้ว: {units}",
        "after_pair": "{unit} หลัง {before}",
        "title": "แผนการขยายผลการยกระดับคุณภาพการให้บริการ แยกตามปีงบประมาณ",
        "h_summary": "สรุปตามปีงบประมาณ", "h_phase_chart": "แผนภาพระยะการดำเนินงานตามภาค",
        "h_budget_chart": "งบประมาณที่ขอเทียบกับวงเงินงบประมาณ", "h_pilots": "หน่วยนำร่องและเหตุผลที่เลือก",
        "h_assumptions": "สมมติฐานและข้อมูลสำหรับการตรวจสอบ", "h_units": "ภาคผนวก: รายชื่อหน่วยตามปีงบประมาณ",
        "chart_units": "จำนวนหน่วย", "chart_baht": "ล้านบาท", "chart_requested": "งบประมาณที่ขอ",
        "chart_limit": "วงเงินงบประมาณ", "chart_fy": "ปีงบประมาณ พ.ศ.",
    },
    "en": {
        "sheet_summary": "Summary", "sheet_year": "FY{year}", "sheet_pilots": "Pilots",
        "sheet_assumptions": "Assumptions",
        "year_label": "FY {year} (B.E.)", "total": "Total",
        "col_year": "Fiscal year", "col_period": "Period", "col_phase": "Phase",
        "col_units": "Units upgraded", "col_pilots": "of which pilots",
        "col_cost": "Budget requested (baht)", "col_cumulative": "Cumulative units",
        "col_coverage": "Cumulative coverage", "col_budget": "Budget limit (baht)", "col_used": "Share of budget used",
        "col_unit_id": "Unit id", "col_name": "Name", "col_region": "Region",
        "col_pilot": "Pilot", "col_unit_cost": "Cost (baht)",
        "col_pilot_score": "Pilot suitability", "col_rollout_score": "Rollout priority",
        "col_rank": "Suitability rank", "col_reason": "Why chosen",
        "col_item": "Item", "col_value": "Value",
        "yes": "yes", "no": "no",
        "phase_pilot": "pilot", "phase_wave": "wave {n}", "phase_done": "done",
        "period": "1 Oct {start} – 30 Sep {end}", "fy_note": "FY {year} (B.E.) is {period}",
        "done_note": "Units already done before the plan (not scheduled): {n}",
        "reason_rank": "ranks {rank} of {n} on pilot suitability",
        "reason_must": "marked pilot = must in the scenario",
        "reason_only": "the only pilot of {group}",
        "reason_one_of": "one of {k} pilots of {group}",
        "none": "none",
        "a_csv": "Units file", "a_csv_sha": "SHA-256 of the units file",
        "a_toml": "Settings file", "a_toml_sha": "SHA-256 of the settings file", "a_no_toml": "none (defaults used)",
        "a_first": "First fiscal year (pilot year)", "a_last": "Last fiscal year",
        "a_budget": "Budget FY{year} (baht)",
        "a_pilots_min": "Least number of pilots", "a_pilots_max": "Greatest number of pilots",
        "a_risk": "Pilots' mean risk at most", "a_cover": "Every value of these columns needs a pilot",
        "a_capacity": "Most units upgraded per year", "a_scale": "Scale of the criteria",
        "a_cost_type": "Criteria where lower is better",
        "a_w_pilot": "Pilot weight: {criterion}", "a_w_rollout": "Rollout weight: {criterion}",
        "a_emphasis": "Pilot emphasis (pilot suitability against rollout priority)",
        "a_objective_rule": "Objective function",
        "a_rule": "Rule: {name}",
        "a_solver": "Solver", "a_time_limit": "Solver time limit (s)",
        "a_gap_setting": "Relative gap accepted as optimal", "a_status": "Status of the plan",
        "a_objective": "Objective", "a_bound": "Proven bound", "a_gap": "Proven gap",
        "a_date": "Date", "a_version": "selector version", "a_reproduce": "Command to reproduce",
        "status_optimal": "optimal (proven within the accepted gap)",
        "status_feasible": "feasible, not proven optimal",
        "status_checked": "read from a schedule file; every rule checked and holds (optimality not re-proven)",
        "rule_coverage": "every unit is upgraded exactly once, by FY{last}",
        "rule_pilot_year": "the pilots are exactly the units upgraded in FY{first}",
        "rule_budget": "each year's cost is within that year's budget",
        "rule_pilot_count": "{min} to {max} pilots",
        "rule_cover": "at least one pilot for every value of {columns}",
        "rule_risk": "the pilots' mean risk is at most {value}",
        "rule_capacity": "at most {value} units upgraded per year",
        "rule_must": "units that must be pilots: {units}", "rule_never": "units that cannot be pilots: {units}",
        "rule_window": "units with a window of years: {units}", "rule_after": "order: {units}",
        "rule_done": "units already done: {units}",
        "after_pair": "{unit} after {before}",
        "title": "Phased rollout of the service improvement, by fiscal year",
        "h_summary": "Summary by fiscal year", "h_phase_chart": "Phases by region",
        "h_budget_chart": "Budget requested against the budget limit", "h_pilots": "Pilot units and why they were chosen",
        "h_assumptions": "Assumptions, for audit", "h_units": "Appendix: units by fiscal year",
        "chart_units": "units", "chart_baht": "million baht", "chart_requested": "requested",
        "chart_limit": "budget limit", "chart_fy": "fiscal year (B.E.)",
    },
}

CRITERION_TEXT = {
    "th": {"infrastructure": "ความพร้อมด้านโครงสร้างพื้นฐาน", "staff": "ความพร้อมของบุคลากร",
           "leadership": "ความพร้อมของผู้บริหาร", "importance": "ความสำคัญของงาน", "workload": "ปริมาณงาน",
           "success": "โอกาสความสำเร็จ", "risk": "ความเสี่ยง"},
    "en": {c: c for c in CRITERIA},
}

RULE_NAMES_TH = {
    "coverage": "ยกระดับทุกหน่วย", "pilot year": "ปีนำร่อง", "budget": "งบประมาณรายปี",
    "pilot count": "จำนวนหน่วยนำร่อง", "cover": "ความครอบคลุมของหน่วยนำร่อง", "pilot risk": "ความเสี่ยงของหน่วยนำร่อง",
    "capacity": "จำนวนหน่วยต่อปี", "must": "ต้องเป็นหน่วยนำร่อง", "never": "ห้ามเป็นหน่วยนำร่อง",
    "window": "กรอบปี", "after": "ลำดับก่อนหลัง", "done": "ดำเนินการแล้ว",
}
"""Thai names of the constraint families; the English family name (as in the README's model table) follows."""

_OBJECTIVE_TEXT = "maximise sum_u sum_y R_u (L - y + 1) x[u,y] + lambda sum_u P_u p[u], lambda = {lam:g}"


# ---------------------------------------------------------------------------------------------
# Language-ready tables


@dataclass(frozen=True)
class Column:
    """One column of a table: its header and the number format of its cells (None for text)."""

    key: str
    header: str
    number_format: str | None = None


@dataclass
class Table:
    """A table ready to lay out: typed cells (numbers stay numbers), an optional totals row."""

    name: str
    columns: list[Column]
    rows: list[list[Any]]
    total: list[Any] | None = None
    notes: list[str] = field(default_factory=list)
    value_formats: list[str | None] | None = None  # per-row number format of column 2 (key-value tables)


@dataclass
class PlanTables:
    summary: Table
    years: list[tuple[int, Table]]
    pilots: Table
    assumptions: Table
    lang: str
    date: dt.date


def plan_date(today: dt.date | None = None) -> dt.date:
    """The plan's date: ``SOURCE_DATE_EPOCH`` when set (reproducible builds), else today (UTC)."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch and epoch.strip().isdigit():
        return dt.datetime.fromtimestamp(int(epoch), tz=dt.timezone.utc).date()
    return today or dt.datetime.now(dt.timezone.utc).date()


def date_text(day: dt.date, lang: str) -> str:
    """``28 พฤศจิกายน พ.ศ. 2569 (2026-11-28)`` in Thai; ISO in English."""
    if lang == "th":
        return f"{day.day} {_THAI_MONTHS[day.month - 1]} พ.ศ. {day.year + BE_OFFSET} ({day.isoformat()})"
    return day.isoformat()


def fiscal_period(year_be: int, lang: str) -> str:
    """Thai fiscal year Y (B.E.) runs 1 Oct of Y-1 to 30 Sep of Y: FY2556 = 1 Oct 2012 - 30 Sep 2013."""
    if lang == "th":
        return TEXT[lang]["period"].format(start=year_be - 1, end=year_be)
    return TEXT[lang]["period"].format(start=year_be - 1 - BE_OFFSET, end=year_be - BE_OFFSET)


def phase_text(phase: str, lang: str) -> str:
    t = TEXT[lang]
    if phase == "pilot":
        return t["phase_pilot"]
    if phase == "done":
        return t["phase_done"]
    if phase.startswith("wave "):
        return t["phase_wave"].format(n=phase.split()[1])
    return phase


def display_value(units: pd.DataFrame, column: str, value: str, lang: str) -> str:
    """A value of ``column`` for the reader: in Thai, the ``<column>_th`` pass-through column when present."""
    if lang == "th" and f"{column}_th" in units.columns:
        match = units.loc[units[column].astype(str) == value, f"{column}_th"]
        if len(match) and str(match.iloc[0]):
            return str(match.iloc[0])
    return value


def _numeric_columns(frame: pd.DataFrame, columns: tuple[str, ...]) -> dict[str, str]:
    """Pass-through columns whose every value is a number (and none a code with a leading zero): their format."""
    formats = {}
    for col in columns:
        values = [str(v) for v in frame[col] if str(v).strip() != ""]
        if not values or any(v.strip().startswith("0") and len(v.strip()) > 1 and v.strip()[1].isdigit() for v in values):
            continue
        parsed = [parse_number(v)[0] for v in values]
        if all(p is not None for p in parsed):
            formats[col] = COUNT if all(float(p).is_integer() for p in parsed) else "General"
    return formats


def _cell(value: Any, number_format: str | None) -> Any:
    if number_format is None:
        return "" if value is None or (isinstance(value, float) and math.isnan(value)) else str(value)
    if isinstance(value, str):
        return parse_number(value)[0] if value.strip() else None
    if value is None or pd.isna(value):
        return None
    return value.item() if hasattr(value, "item") else value


def summary_table(plan: Plan, lang: str) -> Table:
    t = TEXT[lang]
    columns = [
        Column("year", t["col_year"]), Column("period", t["col_period"]), Column("phase", t["col_phase"]),
        Column("units", t["col_units"], COUNT), Column("pilots", t["col_pilots"], COUNT),
        Column("cost", t["col_cost"], BAHT), Column("cumulative", t["col_cumulative"], COUNT),
        Column("coverage", t["col_coverage"], PERCENT), Column("budget", t["col_budget"], BAHT),
        Column("used", t["col_used"], PERCENT),
    ]
    by_year = plan.by_year
    rows = [[t["year_label"].format(year=r.fiscal_year), fiscal_period(r.fiscal_year, lang), phase_text(r.phase, lang),
             int(r.units), int(r.pilots), float(r.cost), int(r.cumulative_units), float(r.coverage), float(r.budget),
             float(r.budget_used)] for r in by_year.itertuples()]
    cost, budget = float(by_year["cost"].sum()), float(by_year["budget"].sum())
    last = by_year.iloc[-1]
    total = [t["total"], "", "", int(by_year["units"].sum()), int(by_year["pilots"].sum()), cost,
             int(last["cumulative_units"]), float(last["coverage"]), budget, cost / budget if budget > 0 else None]
    done = int(plan.scenario.units["done"].sum())
    notes = [t["done_note"].format(n=done)] if done else []
    return Table(t["sheet_summary"], columns, rows, total, notes)


def _unit_columns(plan: Plan, lang: str) -> tuple[list[Column], list[str]]:
    t = TEXT[lang]
    extras = tuple(plan.scenario.extra_columns)
    formats = _numeric_columns(plan.scenario.units, extras)
    columns = [Column("unit_id", t["col_unit_id"]), Column("name", t["col_name"]), Column("region", t["col_region"])]
    columns += [Column(c, c, formats.get(c)) for c in extras]
    return columns, list(extras)


def year_tables(plan: Plan, lang: str) -> list[tuple[int, Table]]:
    """One table per fiscal year: its units with phase, pilot flag, cost and scores; total cost below."""
    t = TEXT[lang]
    base, extras = _unit_columns(plan, lang)
    columns = base + [
        Column("phase", t["col_phase"]), Column("pilot", t["col_pilot"]),
        Column("cost", t["col_unit_cost"], BAHT), Column("pilot_score", t["col_pilot_score"], SCORE),
        Column("rollout_score", t["col_rollout_score"], SCORE),
    ]
    sched = plan.schedule
    out = []
    for year in plan.scenario.settings.years:
        part = sched[sched["fiscal_year"] == year]
        rows = []
        for r in part.to_dict(orient="records"):
            cells = [r["unit_id"], r["name"], r["region"]] + [r[c] for c in extras]
            cells += [phase_text(r["phase"], lang), t["yes"] if r["pilot"] else t["no"], r["cost"],
                      r["pilot_score"], r["rollout_score"]]
            rows.append([_cell(v, col.number_format) for v, col in zip(cells, columns)])
        total = [t["total"]] + [""] * (len(columns) - 4) + [float(part["cost"].sum()), None, None]
        out.append((year, Table(t["sheet_year"].format(year=year), columns, rows, total)))
    return out


def pilot_reasons(plan: Plan, lang: str) -> dict[str, tuple[int, int, str]]:
    """Each pilot's (rank on pilot suitability, units ranked, reason in words).

    The rank is among every unit to schedule (1 = most suitable, ties share the better rank). The
    reason names the rank, a ``pilot = must`` mark, and each cover rule the pilot serves: the
    only pilot of its region makes that rule hold.
    """
    t = TEXT[lang]
    sc = plan.scenario
    todo = sc.to_schedule
    scores = score_units(todo, sc.settings)["pilot_score"].round(9)
    ranks = scores.rank(ascending=False, method="min").astype(int)
    pilots = plan.pilots
    out = {}
    for r in pilots.to_dict(orient="records"):
        uid = r["unit_id"]
        unit = todo[todo["unit_id"] == uid].iloc[0]
        parts = [t["reason_rank"].format(rank=int(ranks[uid]), n=len(todo))]
        if unit["pilot"] == "must":
            parts.append(t["reason_must"])
        for col in sc.settings.cover:
            value = str(unit[col])
            peers = int((pilots["unit_id"].map(todo.set_index("unit_id")[col].astype(str)) == value).sum())
            label = t["col_region"] if col == "region" and lang == "th" else col
            shown = display_value(todo, col, value, lang)
            group = shown if shown.startswith(label) else f"{label} {shown}"  # ภาคใต้, not ภาค ภาคใต้
            key = "reason_only" if peers == 1 else "reason_one_of"
            parts.append(t[key].format(group=group, k=peers))
        out[uid] = (int(ranks[uid]), len(todo), "; ".join(parts))
    return out


def pilots_table(plan: Plan, lang: str) -> Table:
    t = TEXT[lang]
    base, extras = _unit_columns(plan, lang)
    lo, hi = plan.scenario.settings.scale
    columns = base + [Column(c, CRITERION_TEXT[lang][c], "General") for c in CRITERIA] + [
        Column("pilot_score", t["col_pilot_score"], SCORE), Column("rank", t["col_rank"], COUNT),
        Column("reason", t["col_reason"]),
    ]
    units = plan.scenario.units.set_index("unit_id")
    reasons = pilot_reasons(plan, lang)
    rows = []
    for r in plan.pilots.to_dict(orient="records"):
        uid = r["unit_id"]
        rank, _, reason = reasons[uid]
        cells = [uid, r["name"], r["region"]] + [r[c] for c in extras]
        cells += [units.at[uid, c] for c in CRITERIA] + [r["pilot_score"], rank, reason]
        rows.append([_cell(v, col.number_format) for v, col in zip(cells, columns)])
    rows.sort(key=lambda row: (row[-2], row[0]))
    return Table(t["sheet_pilots"], columns, rows)


def _ids(units: list[str]) -> str:
    return ", ".join(units)


def assumptions_table(plan: Plan, lang: str, day: dt.date) -> Table:
    """Everything an auditor needs to reproduce the plan: inputs and their SHA-256, rules, solver, result."""
    t = TEXT[lang]
    sc = plan.scenario
    s = sc.settings
    none = t["none"]
    rows: list[list[Any]] = []

    def add(key: str, value: Any, fmt: str | None = None, **names: Any) -> None:
        rows.append([t[key].format(**names) if names else t[key], value, fmt])

    add("a_csv", Path(sc.csv_path).name if sc.csv_path else "")
    add("a_csv_sha", sc.csv_sha256 or "")
    add("a_toml", Path(sc.settings_path).name if sc.settings_sha256 else t["a_no_toml"])
    add("a_toml_sha", sc.settings_sha256 or t["a_no_toml"])
    add("a_first", s.first_year, YEAR)
    add("a_last", s.last_year, YEAR)
    for year in s.years:
        add("a_budget", float(s.budget[year]), BAHT, year=year)
    add("a_pilots_min", s.pilots_min, COUNT)
    add("a_pilots_max", sc.pilots_max, COUNT)
    add("a_risk", s.max_mean_risk if s.max_mean_risk is not None else none, "General" if s.max_mean_risk is not None else None)
    add("a_cover", ", ".join(s.cover) or none)
    add("a_capacity", s.max_units_per_year if s.max_units_per_year is not None else none,
        COUNT if s.max_units_per_year is not None else None)
    add("a_scale", f"{s.scale[0]:g} – {s.scale[1]:g}")
    add("a_cost_type", ", ".join(CRITERION_TEXT[lang][c] for c in s.cost_type) or none)
    for kind, weights in (("a_w_pilot", s.pilot_weights), ("a_w_rollout", s.rollout_weights)):
        for criterion, w in normalised_weights(weights).items():
            if w > 0:
                add(kind, w, WEIGHT, criterion=CRITERION_TEXT[lang][criterion])
    add("a_emphasis", s.pilot_emphasis, "General")
    lam = s.pilot_emphasis * (s.last_year - s.first_year + 1)
    add("a_objective_rule", _OBJECTIVE_TEXT.format(lam=lam))
    for name, text in rules_in_force(sc, lang):
        add("a_rule", text, None, name=f"{RULE_NAMES_TH[name]} ({name})" if lang == "th" else name)
    add("a_solver", f"{plan.solver} {plan.solver_version}".strip() or none)
    add("a_time_limit", s.time_limit, "General")
    add("a_gap_setting", s.gap, PRECISE_PERCENT)
    add("a_status", t.get(f"status_{plan.status}", plan.status))
    add("a_objective", plan.objective, OBJECTIVE)
    add("a_bound", plan.bound if plan.bound is not None else none, OBJECTIVE if plan.bound is not None else None)
    add("a_gap", plan.gap if plan.gap is not None else none, PRECISE_PERCENT if plan.gap is not None else None)
    add("a_date", date_text(day, lang))
    add("a_version", __version__)
    command = "selector solve " + (Path(sc.csv_path).name if sc.csv_path else "UNITS.csv")
    if sc.settings_sha256:
        command += f" --settings {Path(sc.settings_path).name}"
    add("a_reproduce", command)
    columns = [Column("item", t["col_item"]), Column("value", t["col_value"])]
    return Table(t["sheet_assumptions"], columns, [r[:2] for r in rows], value_formats=[r[2] for r in rows])


def rules_in_force(scenario: Scenario, lang: str) -> list[tuple[str, str]]:
    """(family, rule in words) for every constraint family that applies to this scenario."""
    t = TEXT[lang]
    s = scenario.settings
    units = scenario.units
    todo = scenario.to_schedule
    rules = [
        ("coverage", t["rule_coverage"].format(last=s.last_year)),
        ("pilot year", t["rule_pilot_year"].format(first=s.first_year)),
        ("budget", t["rule_budget"]),
        ("pilot count", t["rule_pilot_count"].format(min=s.pilots_min, max=scenario.pilots_max)),
    ]
    if s.cover:
        rules.append(("cover", t["rule_cover"].format(columns=", ".join(s.cover))))
    if s.max_mean_risk is not None:
        rules.append(("pilot risk", t["rule_risk"].format(value=f"{s.max_mean_risk:g}")))
    if s.max_units_per_year is not None:
        rules.append(("capacity", t["rule_capacity"].format(value=s.max_units_per_year)))
    for word in ("must", "never"):
        ids = list(todo.loc[todo["pilot"] == word, "unit_id"])
        if ids:
            rules.append((word, t[f"rule_{word}"].format(units=_ids(ids))))
    window = []
    for r in todo.itertuples():
        if not (pd.isna(r.earliest_year) and pd.isna(r.latest_year)):
            lo = "" if pd.isna(r.earliest_year) else str(int(r.earliest_year))
            hi = "" if pd.isna(r.latest_year) else str(int(r.latest_year))
            window.append(f"{r.unit_id} ({lo}–{hi})")
    if window:
        rules.append(("window", t["rule_window"].format(units=_ids(window))))
    after = [t["after_pair"].format(unit=r.unit_id, before=r.after) for r in todo.itertuples() if r.after]
    if after:
        rules.append(("after", t["rule_after"].format(units=_ids(after))))
    done = list(units.loc[units["done"], "unit_id"])
    if done:
        rules.append(("done", t["rule_done"].format(units=_ids(done))))
    return rules


def plan_tables(plan: Plan, lang: str = "th", day: dt.date | None = None) -> PlanTables:
    """Every table of the submission, in ``lang`` ("th" or "en")."""
    if lang not in LANGUAGES:
        raise ValueError(f"lang must be one of {LANGUAGES}")
    if plan.schedule is None:
        raise ValueError("the plan has no schedule to export")
    day = day or plan_date()
    return PlanTables(summary_table(plan, lang), year_tables(plan, lang), pilots_table(plan, lang),
                      assumptions_table(plan, lang, day), lang, day)


# ---------------------------------------------------------------------------------------------
# A plan from a schedule file (for `selector export`)


def plan_from_schedule(scenario: Scenario, schedule_path: str | Path) -> Plan:
    """The plan written in a schedule CSV, after checking every rule on it (``selector check``).

    Its status is ``checked``: every rule holds, but optimality is not re-proven. Raises
    ``CheckFailedError`` listing each broken rule when the schedule does not fit the scenario.
    """
    from .check import check_schedule, read_schedule

    report = check_schedule(scenario, schedule_path)
    if report.violations:
        raise CheckFailedError(str(schedule_path), report.violations)
    rows = read_schedule(schedule_path)
    year_of = {r["unit_id"]: int(r["fiscal_year"]) for r in rows if r["fiscal_year"]}
    pilot_of = {r["unit_id"]: r["pilot"].lower() == "true" for r in rows}
    schedule = schedule_table(scenario, score_units(scenario.units, scenario.settings), year_of, pilot_of)
    return Plan(scenario, CHECKED, schedule, report.objective, None, None, "", "", 0.0, 0.0, [])


# ---------------------------------------------------------------------------------------------
# The workbook


def display_width(text: str) -> int:
    """Columns a text needs: Thai vowel and tone marks above or below a letter take no width."""
    return sum(0 if unicodedata.category(ch) == "Mn" else 2 if unicodedata.east_asian_width(ch) in "WF" else 1
               for ch in text)


_FORMATTERS = {
    BAHT: lambda v: f"{v:,.0f}", COUNT: lambda v: f"{v:,.0f}", PERCENT: lambda v: f"{100 * v:.1f}%",
    PRECISE_PERCENT: lambda v: f"{100 * v:.4f}%", SCORE: lambda v: f"{v:.4f}", WEIGHT: lambda v: f"{v:.4f}",
    OBJECTIVE: lambda v: f"{v:.6f}", YEAR: lambda v: f"{int(v)}",
}


def format_value(value: Any, number_format: str | None) -> str:
    """A cell as the workbook's number format would show it."""
    if value is None:
        return ""
    if isinstance(value, str) or number_format is None:
        return str(value)
    return _FORMATTERS.get(number_format, lambda v: f"{v:g}")(value)


def _write_table(sheet, table: Table, formats: dict) -> None:
    """Header in row 1 (frozen), typed cells, totals in bold, columns sized to their content."""
    header_fmt = formats["header"]
    widths = [display_width(c.header) for c in table.columns]
    for j, col in enumerate(table.columns):
        sheet.write_string(0, j, col.header, header_fmt)
    body = list(table.rows) + ([table.total] if table.total is not None else [])
    for i, row in enumerate(body, start=1):
        bold = table.total is not None and i == len(body)
        for j, (value, col) in enumerate(zip(row, table.columns)):
            fmt_name = table.value_formats[i - 1] if table.value_formats is not None and j == 1 else col.number_format
            if value is None or value == "":
                if bold:
                    sheet.write_blank(i, j, None, formats[("bold", None)])
                continue
            if isinstance(value, str):
                sheet.write_string(i, j, value, formats[("bold", None)] if bold else formats["text"])
            else:
                sheet.write_number(i, j, value, formats[("bold" if bold else "plain", fmt_name)])
            widths[j] = max(widths[j], display_width(format_value(value, fmt_name)))
    for j, width in enumerate(widths):
        sheet.set_column(j, j, min(max(width * 1.15 + 2, 6), 70))
    sheet.freeze_panes(1, 0)
    last_row = len(table.rows)
    if last_row:
        sheet.autofilter(0, 0, last_row, len(table.columns) - 1)
    for k, note in enumerate(table.notes):
        sheet.write_string(len(body) + 2 + k, 0, note, formats["text"])


def write_workbook(plan: Plan, target: str | Path, lang: str = "th", day: dt.date | None = None) -> None:
    """Write the plan as an .xlsx workbook: summary, one sheet per fiscal year, pilots, assumptions.

    The file is written atomically. Its creation date is the plan's date at 00:00 UTC and
    XlsxWriter stores fixed timestamps in the zip, so the same plan and date give the same bytes.
    """
    import xlsxwriter

    tables = plan_tables(plan, lang, day)
    number_formats = (None, BAHT, COUNT, PERCENT, SCORE, WEIGHT, YEAR, PRECISE_PERCENT, OBJECTIVE, "General")
    with atomic_path(target) as tmp:
        book = xlsxwriter.Workbook(str(tmp), {"strings_to_formulas": False, "strings_to_urls": False,
                                              "strings_to_numbers": False})
        created = dt.datetime.combine(tables.date, dt.time(0, 0), tzinfo=dt.timezone.utc).replace(tzinfo=None)
        book.set_properties({"title": TEXT[lang]["title"], "author": "selector", "comments":
                             f"selector {__version__}", "created": created})
        font = {"font_name": "Tahoma", "font_size": 10}
        formats: dict = {"header": book.add_format({**font, "bold": True, "bg_color": "#DDEBF7", "border": 1,
                                                    "text_wrap": True, "valign": "top"}),
                         "text": book.add_format({**font})}
        for weight in ("plain", "bold"):
            for nf in number_formats:
                spec = {**font, **({"num_format": nf} if nf else {})}
                if weight == "bold":
                    spec.update({"bold": True, "top": 1})
                formats[(weight, nf)] = book.add_format(spec)
        summary = book.add_worksheet(tables.summary.name)
        _write_table(summary, tables.summary, formats)
        for table in [t for _, t in tables.years] + [tables.pilots, tables.assumptions]:
            _write_table(book.add_worksheet(table.name), table, formats)
        summary.activate()
        book.close()


def write_plan_files(plan: Plan, xlsx: str | Path | None = None, report: str | Path | None = None,
                     lang: str = "th", day: dt.date | None = None) -> None:
    """Write the workbook and/or the HTML report of a plan (each atomically)."""
    day = day or plan_date()
    if xlsx:
        write_workbook(plan, xlsx, lang, day)
    if report:
        from .report_html import write_report

        write_report(plan, report, lang, day)
