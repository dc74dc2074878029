"""The words of the plan submission, in Thai and English, and Buddhist-Era dates.

Every text a reader of the workbook or the report sees comes from here, keyed the same in both
languages, so a translation is one place to change.
"""

from __future__ import annotations

import datetime as dt
import os

from selector.fields import CRITERIA, CRITERION_TH

LANGUAGES = ("th", "en")

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
        "a_gap_setting": "ช่องว่างสัมพัทธ์ที่ยอมรับว่าเหมาะสมที่สุด", "a_threads": "จำนวนเธรดที่โปรแกรมแก้ปัญหาใช้",
        "a_seed": "ค่าตั้งต้นการสุ่ม (seed) ของโปรแกรมแก้ปัญหา", "a_status": "สถานะของแผน",
        "a_objective": "ค่าฟังก์ชันเป้าหมาย", "a_bound": "ขอบเขตที่พิสูจน์ได้", "a_gap": "ช่องว่างที่พิสูจน์ได้",
        "a_date": "วันที่จัดทำ", "a_version": "รุ่นของ selector", "a_reproduce": "คำสั่งสำหรับทำซ้ำ",
        "a_override": "ค่าที่กำหนดทับในคำสั่ง {option}", "a_no_override": "ค่าที่กำหนดทับในคำสั่ง",
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
        "sheet_moves": "การปรับแผน", "h_moves": "หน่วยที่ย้ายปีเมื่อปรับแผน และเหตุผล",
        "col_baseline_year": "ปีตามแผนเดิม", "col_new_year": "ปีตามแผนใหม่", "col_years_moved": "จำนวนปีที่เลื่อน",
        "col_move_reason": "เหตุผลที่ย้าย",
        "no_moves": "ไม่มีหน่วยใดย้ายปี: แผนเดิมยังคงใช้ได้",
        "a_replan_from": "ปรับแผนตั้งแต่ปีงบประมาณ พ.ศ.", "a_baseline": "ไฟล์แผนเดิม (ที่อนุมัติแล้ว)",
        "a_baseline_sha": "SHA-256 ของไฟล์แผนเดิม", "a_progress": "ไฟล์ความคืบหน้า",
        "a_progress_sha": "SHA-256 ของไฟล์ความคืบหน้า", "a_no_progress": "ไม่มี (ทุกอย่างเป็นไปตามแผน)",
        "a_stability": "น้ำหนักความมั่นคงของแผน (คะแนนที่เสียต่อหน่วย-ปีที่ย้าย)",
        "a_later_factor": "การเลื่อนช้าลงหนึ่งปีนับเป็นกี่เท่าของการเลื่อนเร็วขึ้นหนึ่งปี",
        "a_plain_objective": "ค่าฟังก์ชันเป้าหมายก่อนหักค่าปรับการย้าย", "a_penalty": "หน่วย-ปีที่ย้าย (ถ่วงน้ำหนัก)",
        "a_moves_count": "จำนวนหน่วยที่ย้ายปี",
        "reason_new unit": "หน่วยใหม่", "reason_removed": "ถูกนำออกจากรายการ",
        "reason_failed pilot": "หน่วยนำร่องไม่สำเร็จ", "reason_failed": "ยกระดับไม่สำเร็จ",
        "reason_deferred": "ขอเลื่อน", "reason_budget cut": "งบประมาณถูกปรับลด",
        "reason_capacity": "เกินขีดความสามารถต่อปี", "reason_knock-on": "ผลต่อเนื่องจากการย้ายหน่วยอื่น",
        "reason_done early": "เสร็จก่อนกำหนด",
        "sheet_cover": "ปก", "c_department": "หน่วยงาน", "c_prepared_by": "ผู้จัดทำ", "c_date": "วันที่จัดทำ",
        "c_years": "ปีงบประมาณ", "c_years_value": "พ.ศ. {first} – {last} ({n} ปี)",
        "c_total_budget": "วงเงินงบประมาณรวม (บาท)", "c_total_cost": "งบประมาณที่ขอรวม (บาท)",
        "c_units": "จำนวนหน่วยที่ยกระดับ", "c_pilots": "หน่วยนำร่อง",
        "c_status": "สถานะของแผน", "c_gap": "ช่องว่างที่พิสูจน์ได้", "c_map": "แผนที่ระยะการดำเนินงานรายจังหวัด",
        "c_no_map": "ไม่มีแผนที่: ข้อมูลหน่วยงานไม่มีคอลัมน์ province",
        "print_page": "หน้า &P จาก &N", "print_input": "ข้อมูล SHA-256 {digest}",
        "h_map": "แผนที่ระยะการดำเนินงานรายจังหวัด", "h_map_years": "จังหวัดที่ยกระดับครบแล้ว ณ สิ้นแต่ละปีงบประมาณ",
        "map_phase": "ปีที่ยกระดับหน่วยสุดท้ายของจังหวัด", "map_pilot": "มีหน่วยนำร่อง",
        "map_none": "ไม่มีหน่วยในแผน", "map_done_by": "ครบ ณ สิ้นปีงบประมาณ {year}", "map_partly": "ยกระดับบางส่วน",
        "map_not_yet": "ยังไม่เริ่ม",
        "no_map_note": "ไม่มีแผนที่รายจังหวัด: ข้อมูลหน่วยงานไม่มีคอลัมน์ province",
        "h_extra": "แผนทางเลือกเปรียบเทียบกัน", "sheet_alternatives": "แผนทางเลือก",
        "sheet_alternatives_years": "ทางเลือกตามปีงบประมาณ", "sheet_alternatives_balance": "ความสมดุลของทางเลือก",
        "col_plan": "แผน", "col_status": "สถานะ", "col_loss": "ค่าเป้าหมายที่ลดลงจากแผนที่ดีที่สุด",
        "col_loss_pct": "ลดลง (ร้อยละ)", "col_pilots_in": "หน่วยนำร่องที่เพิ่มเข้ามา (เทียบแผน 1)",
        "col_pilots_out": "หน่วยนำร่องที่ออกไป (เทียบแผน 1)", "col_units_moved": "จำนวนหน่วยที่ต่างจากแผน 1",
        "col_distance": "ระยะห่างน้อยที่สุดจากแผนก่อนหน้า",
        "col_plan_cost": "งบประมาณที่ขอ {plan} (บาท)", "col_plan_units": "จำนวนหน่วย {plan}",
        "col_plan_moved": "หน่วยที่ย้ายเข้าปีนี้ {plan}",
        "alternatives_moved_note": "หน่วยที่ย้ายเข้าปี: หน่วยที่ยกระดับในปีนั้นตามแผนทางเลือก แต่ในปีอื่นตามแผน 1",
        "alternatives_region": "หน่วยนำร่องในภาค {region}",
        "alternatives_balance": "ความต่างมาตรฐานของหน่วยนำร่อง: {criterion}",
        "alternatives_balance_note": "ความต่างมาตรฐาน = (ค่าเฉลี่ยของหน่วยนำร่อง - ค่าเฉลี่ยของทุกหน่วย) / "
                                     "ส่วนเบี่ยงเบนมาตรฐานของทุกหน่วย; ยิ่งใกล้ 0 หน่วยนำร่องยิ่งเป็นตัวแทนที่ดี",
        "a_alternatives_found": "จำนวนแผนทางเลือกที่พบ", "a_alternatives_threshold": "ค่าเป้าหมายต่ำสุดที่ยอมรับ",
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
        "a_gap_setting": "Relative gap accepted as optimal", "a_threads": "Solver threads",
        "a_seed": "Solver random seed", "a_status": "Status of the plan",
        "a_objective": "Objective", "a_bound": "Proven bound", "a_gap": "Proven gap",
        "a_date": "Date", "a_version": "selector version", "a_reproduce": "Command to reproduce",
        "a_override": "Command-line override {option}", "a_no_override": "Command-line overrides",
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
        "sheet_moves": "Moves", "h_moves": "Units moved by the re-plan, and why",
        "col_baseline_year": "Baseline year", "col_new_year": "New year", "col_years_moved": "Years moved",
        "col_move_reason": "Reason",
        "no_moves": "No unit moves: the baseline stands.",
        "a_replan_from": "Re-planned from fiscal year", "a_baseline": "Baseline (approved) schedule",
        "a_baseline_sha": "SHA-256 of the baseline schedule", "a_progress": "Progress file",
        "a_progress_sha": "SHA-256 of the progress file", "a_no_progress": "none (everything went as planned)",
        "a_stability": "Stability (objective points lost per unit-year moved)",
        "a_later_factor": "A year later counts as this many years earlier",
        "a_plain_objective": "Objective before the penalty for moves", "a_penalty": "Unit-years moved (weighted)",
        "a_moves_count": "Units moved",
        "reason_new unit": "new unit", "reason_removed": "removed",
        "reason_failed pilot": "failed pilot", "reason_failed": "failed",
        "reason_deferred": "deferred", "reason_budget cut": "budget cut",
        "reason_capacity": "capacity", "reason_knock-on": "knock-on",
        "reason_done early": "done early",
        "sheet_cover": "Cover", "c_department": "Department", "c_prepared_by": "Prepared by", "c_date": "Date",
        "c_years": "Fiscal years", "c_years_value": "FY{first} – FY{last} (B.E., {n} years)",
        "c_total_budget": "Total budget limit (baht)", "c_total_cost": "Total budget requested (baht)",
        "c_units": "Units upgraded", "c_pilots": "Pilots",
        "c_status": "Status of the plan", "c_gap": "Proven gap", "c_map": "Phase map by province",
        "c_no_map": "No map: the units file has no province column",
        "print_page": "Page &P of &N", "print_input": "input SHA-256 {digest}",
        "h_map": "Phase map by province", "h_map_years": "Provinces complete by the end of each fiscal year",
        "map_phase": "fiscal year of the province's last upgrade", "map_pilot": "has a pilot",
        "map_none": "no unit in the plan", "map_done_by": "complete by FY{year}", "map_partly": "partly upgraded",
        "map_not_yet": "not started",
        "no_map_note": "No province map: the units file has no province column.",
        "h_extra": "Alternative plans side by side", "sheet_alternatives": "Alternatives",
        "sheet_alternatives_years": "Alternatives by year", "sheet_alternatives_balance": "Alternatives balance",
        "col_plan": "Plan", "col_status": "Status", "col_loss": "Objective lost against the optimum",
        "col_loss_pct": "Loss (%)", "col_pilots_in": "Pilots in (against plan 1)",
        "col_pilots_out": "Pilots out (against plan 1)", "col_units_moved": "Units that differ from plan 1",
        "col_distance": "Least distance to an earlier plan",
        "col_plan_cost": "Budget requested, {plan} (baht)", "col_plan_units": "Units, {plan}",
        "col_plan_moved": "Units moved into the year, {plan}",
        "alternatives_moved_note": "Units moved into a year: upgraded that year in the alternative, another year in plan 1.",
        "alternatives_region": "Pilots in region {region}",
        "alternatives_balance": "Pilots' standardised difference: {criterion}",
        "alternatives_balance_note": "Standardised difference = (pilots' mean - network mean) / network sd; "
                                     "the nearer 0, the more representative the pilots.",
        "a_alternatives_found": "Alternative plans found", "a_alternatives_threshold": "Least objective accepted",
    },
}

CRITERION_TEXT = {
    "th": dict(CRITERION_TH),  # one place: the data dictionary, which also reads them as headers of the input
    "en": {c: c for c in CRITERIA},
}

RULE_NAMES_TH = {
    "coverage": "ยกระดับทุกหน่วย", "pilot year": "ปีนำร่อง", "budget": "งบประมาณรายปี",
    "pilot count": "จำนวนหน่วยนำร่อง", "cover": "ความครอบคลุมของหน่วยนำร่อง", "pilot risk": "ความเสี่ยงของหน่วยนำร่อง",
    "capacity": "จำนวนหน่วยต่อปี", "must": "ต้องเป็นหน่วยนำร่อง", "never": "ห้ามเป็นหน่วยนำร่อง",
    "window": "กรอบปี", "after": "ลำดับก่อนหลัง", "done": "ดำเนินการแล้ว",
}
"""Thai names of the constraint families; the English family name (as in the model table of docs/model.md) follows."""

OBJECTIVE_TEXT = "maximise sum_u sum_y R_u (L - y + 1) x[u,y] + lambda sum_u P_u p[u], lambda = {lam:g}"



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


# The spending sheets of the workbook (docs/costs.md), apart from TEXT so that each stays easy to merge.
SPENDING_TEXT: dict[str, dict[str, str]] = {
    "th": {
        "sheet_spending": "การใช้จ่ายรายปี", "sheet_commitments": "ภาระผูกพันข้ามปี",
        "col_started": "หน่วยที่เริ่มในปีนี้ (บาท)", "col_carried": "ภาระผูกพันจากปีก่อน (บาท)",
        "col_running": "ค่าใช้จ่ายดำเนินการต่อเนื่อง (บาท)", "col_category": "{name} (บาท)",
        "col_ceiling": "วงเงิน{name} (บาท)", "col_total_spending": "รวมการใช้จ่าย (บาท)",
        "after_label": "หลังปีงบประมาณ พ.ศ. {year}", "col_start_year": "ปีที่เริ่มดำเนินการ",
        "col_spent_in": "ใช้จ่ายในปีงบประมาณ {year} (บาท)", "col_spent_after": "ใช้จ่ายหลังปีงบประมาณ {year} (บาท)",
        "spending_note": "ภาระผูกพันจากปีก่อน = เงินที่ปีนี้ต้องจ่ายให้หน่วยที่เริ่มดำเนินการในปีก่อนหน้า "
                         "(รายการผูกพันข้ามปีงบประมาณ) ก่อนจะเริ่มหน่วยใหม่",
        "commitments_note": "แต่ละแถวคือหน่วยที่เริ่มดำเนินการในปีนั้น และเงินที่ผูกพันในแต่ละปีงบประมาณ",
        "category_investment": "งบลงทุน", "category_operations": "งบดำเนินงาน",
    },
    "en": {
        "sheet_spending": "Spending", "sheet_commitments": "Commitments",
        "col_started": "Units started this year (baht)", "col_carried": "Commitments carried from earlier years (baht)",
        "col_running": "Running costs (baht)", "col_category": "{name} (baht)",
        "col_ceiling": "{name} ceiling (baht)", "col_total_spending": "Total spending (baht)",
        "after_label": "After FY {year} (B.E.)", "col_start_year": "Start year",
        "col_spent_in": "Spent in FY{year} (baht)", "col_spent_after": "Spent after FY{year} (baht)",
        "spending_note": "Commitments carried = what the year owes the units started in earlier years "
                         "(multi-year obligations) before it pays for new ones.",
        "commitments_note": "Each row: the units started in that year, and the money they commit in each fiscal year.",
        "category_investment": "Investment", "category_operations": "Operations",
    },
}
