"""The monitoring workbook and report: the OPDC scorecard of each unit, plan achievement, what the pilots say, power.

The scorecard sheet has the OPDC / ก.พ.ร. shape, one block per unit: dimension | indicator | unit of
measure | weight (%) | the targets of scores 1-5 | result | score | weighted score, then the total
(weight 100, the overall score) and the verdict. Thai or English throughout (``SCORECARD_TEXT``,
kept apart from ``selector.outputs.words`` so that the plan workbook and this one evolve apart).
The same round and date give the same bytes.
"""

from __future__ import annotations

import datetime as dt
import html
from pathlib import Path

import pandas as pd

from selector._version import __version__
from selector.atomic import atomic_path, write_text_atomic
from selector.data.indicators import DIMENSION_EN, DIMENSION_TH
from selector.i18n import language
from selector.outputs.evaluate import randomised_sentence
from selector.outputs.html import CSS, table_html
from selector.outputs.tables import Column, Table
from selector.outputs.words import date_text, plan_date
from selector.workflows.evaluate import Evaluation
from selector.workflows.learn import Learning
from selector.workflows.monitor import DOES_NOT_MEET, MEETS, NOT_REPORTED, MonitorRound, opdc_rows

SCORECARD_TEXT: dict[str, dict[str, str]] = {
    "th": {
        "title": "รายงานผลการประเมินตามคำรับรองการปฏิบัติราชการ ปีงบประมาณ พ.ศ. {year} รอบ {round} เดือน",
        "sheet_card": "ผลคะแนน รอบ {round} เดือน", "sheet_achievement": "ผลสำเร็จตามแผน",
        "sheet_learning": "บทเรียนจากหน่วยนำร่อง", "sheet_power": "อำนาจการทดสอบ",
        "dimension": "มิติ", "indicator": "ตัวชี้วัดผลการปฏิบัติราชการ", "unit": "หน่วยวัด",
        "weight": "น้ำหนัก (ร้อยละ)", "level": "เกณฑ์การให้คะแนน {k}", "result": "ผลการดำเนินงาน",
        "score": "ค่าคะแนนที่ได้", "weighted": "ค่าคะแนนถ่วงน้ำหนัก", "total": "รวม",
        "unit_head": "{unit_id} {name} (ปีงบประมาณ พ.ศ. {year}{pilot})", "pilot": ", หน่วยนำร่อง",
        "verdict": "ผลการประเมิน", "pass": "เกณฑ์ผ่าน: คะแนนรวม {mark}",
        f"verdict_{MEETS}": "ผ่านเกณฑ์มาตรฐาน", f"verdict_{DOES_NOT_MEET}": "ไม่ผ่านเกณฑ์มาตรฐาน",
        f"verdict_{NOT_REPORTED}": "ไม่ได้รายงานผล",
        "not_reported_cell": "ไม่ได้รายงาน",
        "year": "ปีงบประมาณ", "region": "ภาค", "planned": "จำนวนหน่วยตามแผน", "reported": "รายงานผลครบ",
        "meets": "ผ่านเกณฑ์", "does_not_meet": "ไม่ผ่านเกณฑ์", "not_reported": "ไม่ได้รายงานผล",
        "deferred": "เลื่อนการดำเนินการ", "achievement_pct": "ร้อยละของหน่วยที่ยกระดับและผ่านเกณฑ์",
        "weighted_pct": "ร้อยละถ่วงน้ำหนักตามตัวชี้วัด",
        "achievement_note": "ผลสำเร็จตามแผน: หน่วยที่แผนกำหนดให้ยกระดับในปีนั้นซึ่งยกระดับแล้วและผ่านเกณฑ์มาตรฐาน "
                            "ร้อยละถ่วงน้ำหนัก = ค่าเฉลี่ยของน้ำหนักตัวชี้วัดที่ได้คะแนนถึงเกณฑ์ผ่าน",
        "tier": "ระดับความพร้อม", "pilots": "หน่วยนำร่อง", "mean_score": "คะแนนเฉลี่ย",
        "share": "สัดส่วนที่ผ่านเกณฑ์", "share_low": "ขอบล่าง 95%", "share_high": "ขอบบน 95%",
        "low": "ต่ำ", "medium": "ปานกลาง", "high": "สูง",
        "model": "การถดถอยโลจิสติกแบบ Firth: ความพร้อมเพิ่มขึ้น 1 คะแนน อัตราต่อรองของการผ่านเกณฑ์เป็น {ratio:.2f} เท่า "
                 "(ช่วงความเชื่อมั่น 95% {low:.2f} ถึง {high:.2f}) จากหน่วยนำร่องที่รายงานผล {n} หน่วย",
        "no_effect": "ช่วงความเชื่อมั่นครอบคลุมกรณีไม่มีผล: ข้อมูลหน่วยนำร่องยังบอกไม่ได้ว่าความพร้อมมีผลหรือไม่",
        "schedule": "แผน", "variance": "ความแปรปรวนของผลการยกระดับ", "power": "อำนาจการทดสอบ",
        "random": "อำนาจเฉลี่ยเมื่อสุ่มลำดับ", "random_min": "ต่ำสุด", "random_max": "สูงสุด",
        "plan": "ทางเลือก", "objective": "ค่าเป้าหมาย", "loss_pct": "ลดลงจากค่าที่ดีที่สุด (ร้อยละ)",
        "units_per_year": "จำนวนหน่วยต่อปี", "h_plans": "ทางเลือกที่ใกล้เคียงแผนที่ดีที่สุด (ไม่เกินร้อยละ {pct})",
        "h_units": "ผลการประเมินรายหน่วย", "h_pilots": "แบบประเมินของหน่วยนำร่อง", "h_region": "ผลสำเร็จตามแผนแยกตามภาค",
        "unit_id": "รหัสหน่วย", "name": "ชื่อหน่วยงาน", "overall": "คะแนนรวม",
        "power_paragraph": "เมื่อมองแผนเป็นการทดลองแบบขั้นบันได (stepped wedge; Hussey & Hughes 2007) แผนนี้มีโอกาส "
                           "{power:.0%} ที่จะแสดงผลของการยกระดับขนาด {effect:g} (ส่วนเบี่ยงเบนมาตรฐาน {sd:g} "
                           "สหสัมพันธ์ภายในหน่วย {icc:g}) ที่ระดับนัยสำคัญ {alpha:g} จาก {units} หน่วย {periods} ช่วงเวลา",
        "power_random": "; หากสุ่มลำดับโดยคงจำนวนหน่วยต่อปีไว้ อำนาจเฉลี่ยเป็น {mean:.0%}",
    },
    "en": {
        "title": "Performance agreement evaluation, fiscal year {year} (B.E.), round {round} months",
        "sheet_card": "Scorecard round {round}", "sheet_achievement": "Plan achievement",
        "sheet_learning": "Learning from pilots", "sheet_power": "Evaluation power",
        "dimension": "Dimension", "indicator": "Indicator", "unit": "Unit of measure",
        "weight": "Weight (%)", "level": "Target for score {k}", "result": "Result",
        "score": "Score", "weighted": "Weighted score", "total": "Total",
        "unit_head": "{unit_id} {name} (FY{year}{pilot})", "pilot": ", pilot",
        "verdict": "Verdict", "pass": "Pass mark: overall score {mark}",
        f"verdict_{MEETS}": "meets the standard", f"verdict_{DOES_NOT_MEET}": "does not meet the standard",
        f"verdict_{NOT_REPORTED}": "not reported",
        "not_reported_cell": "not reported",
        "year": "Fiscal year", "region": "Region", "planned": "Units planned", "reported": "Fully reported",
        "meets": "Meet", "does_not_meet": "Do not meet", "not_reported": "Not reported",
        "deferred": "Deferred", "achievement_pct": "% upgraded and meeting the standard",
        "weighted_pct": "% weighted by the indicators",
        "achievement_note": "Plan achievement: units the plan scheduled for the year that were upgraded and meet the "
                            "standard; weighted % = mean weight of the indicators whose score reaches the pass mark",
        "tier": "Readiness tier", "pilots": "Pilots", "mean_score": "Mean score",
        "share": "Share meeting", "share_low": "95% lower", "share_high": "95% upper",
        "low": "low", "medium": "medium", "high": "high",
        "model": "Firth logistic regression: odds of meeting the standard x{ratio:.2f} per readiness point "
                 "(95% interval {low:.2f} to {high:.2f}), over {n} reported pilots",
        "no_effect": "The interval includes no effect: the pilots cannot yet tell whether readiness matters",
        "schedule": "Schedule", "variance": "Variance of the effect", "power": "Power",
        "random": "Mean power, random order", "random_min": "Lowest", "random_max": "Highest",
        "plan": "Plan", "objective": "Objective", "loss_pct": "Loss against the optimum (%)",
        "units_per_year": "Units per year", "h_plans": "Plans within {pct}% of the optimum",
        "h_units": "Scores by unit", "h_pilots": "Scorecards of the pilots", "h_region": "Plan achievement by region",
        "unit_id": "Unit", "name": "Name", "overall": "Overall score",
        "power_paragraph": "Read as a stepped-wedge design (Hussey & Hughes 2007), the plan has a {power:.0%} chance "
                           "of showing an effect of {effect:g} (sd {sd:g}, intra-class correlation {icc:g}) at the "
                           "{alpha:g} level over {units} units and {periods} periods",
        "power_random": "; the same number of units per year in a random order gives {mean:.0%} on average",
    },
}
SCORE_FORMAT, PERCENT_FORMAT, VARIANCE_FORMAT = "0.0000", "0.00", "0.000000"
NUMBER_FORMATS = ("General", SCORE_FORMAT, PERCENT_FORMAT, VARIANCE_FORMAT)


class _Book:
    """The workbook and its formats (Tahoma 10, as the plan workbook), created with a fixed date."""

    def __init__(self, path: Path, title: str, day: dt.date):
        import xlsxwriter

        self.book = xlsxwriter.Workbook(str(path), {"strings_to_formulas": False, "strings_to_urls": False,
                                                    "strings_to_numbers": False})
        self.book.set_properties({"title": title, "author": "selector", "comments": f"selector {__version__}",
                                  "created": dt.datetime.combine(day, dt.time(0, 0))})
        font = {"font_name": "Tahoma", "font_size": 10}
        self.text = self.book.add_format(font)
        self.bold = self.book.add_format({**font, "bold": True})
        self.header = self.book.add_format({**font, "bold": True, "bg_color": "#DDEBF7", "border": 1, "text_wrap": True,
                                            "valign": "top"})
        self.number = {fmt: self.book.add_format({**font, "num_format": fmt}) for fmt in NUMBER_FORMATS}
        self.bold_number = {fmt: self.book.add_format({**font, "bold": True, "top": 1, "num_format": fmt})
                            for fmt in NUMBER_FORMATS}

    def cell(self, sheet, row: int, col: int, value, fmt: str = "General", bold: bool = False) -> None:
        if value is None or (isinstance(value, float) and value != value):
            return
        if isinstance(value, str):
            sheet.write_string(row, col, value, self.bold if bold else self.text)
        else:
            sheet.write_number(row, col, float(value), (self.bold_number if bold else self.number)[fmt])

    def table(self, sheet, top: int, header: list[str], rows: list[list], formats: list[str]) -> int:
        for j, h in enumerate(header):
            sheet.write_string(top, j, h, self.header)
        for i, row in enumerate(rows, start=top + 1):
            for j, value in enumerate(row):
                self.cell(sheet, i, j, value, formats[j])
        return top + 1 + len(rows)


def _scorecard_sheet(b: _Book, m: MonitorRound, t: dict[str, str], lang: str) -> None:
    sheet = b.book.add_worksheet(t["sheet_card"].format(round=m.round)[:31])
    dims = DIMENSION_TH if lang == "th" else DIMENSION_EN
    mon = m.monitoring
    mark = (", ".join(f"{dims[d]} {v:g}" for d, v in mon.pass_by_dimension) if mon.pass_by_dimension
            else f"{mon.pass_score:g}")
    sheet.write_string(0, 0, t["title"].format(year=m.year, round=m.round), b.bold)
    sheet.write_string(1, 0, t["pass"].format(mark=mark), b.text)
    header = [t["dimension"], t["indicator"], t["unit"], t["weight"], *(t["level"].format(k=k) for k in range(1, 6)),
              t["result"], t["score"], t["weighted"]]
    formats = ["General"] * 3 + ["General"] * 6 + ["General", SCORE_FORMAT, SCORE_FORMAT]
    row = 3
    cards = m.scorecard.sort_values(["fiscal_year", "unit_id"], na_position="last")
    for r in cards.to_dict(orient="records"):
        card = m.cards[r["unit_id"]]
        year = "" if r["fiscal_year"] is None or r["fiscal_year"] != r["fiscal_year"] else int(r["fiscal_year"])
        sheet.write_string(row, 0, t["unit_head"].format(unit_id=r["unit_id"], name=r["name"], year=year,
                                                         pilot=t["pilot"] if r["pilot"] else ""), b.bold)
        table = opdc_rows(card, mon, lang)
        body = [[dims[x["dimension"]], x["name"], x["unit"], x["weight"], x["level_1"], x["level_2"], x["level_3"],
                 x["level_4"], x["level_5"], t["not_reported_cell"] if pd.isna(x["result"]) else x["result"],
                 x["score"], x["weighted_score"]] for x in table.to_dict(orient="records")]
        row = b.table(sheet, row + 1, header, body, formats)
        b.cell(sheet, row, 1, t["total"], bold=True)
        b.cell(sheet, row, 3, sum(i.weight for i in mon.indicators), bold=True)
        b.cell(sheet, row, 11, card.overall, SCORE_FORMAT, bold=True)
        b.cell(sheet, row + 1, 1, t["verdict"], bold=True)
        b.cell(sheet, row + 1, 3, t[f"verdict_{card.verdict}"], bold=True)
        row += 3
    for j, width in enumerate([22, 44, 10, 10, 9, 9, 9, 9, 9, 12, 10, 12]):
        sheet.set_column(j, j, width)


def _achievement_sheet(b: _Book, m: MonitorRound, t: dict[str, str]) -> None:
    sheet = b.book.add_worksheet(t["sheet_achievement"][:31])
    keys = ["planned", "reported", "meets", "does_not_meet", "not_reported", "deferred", "achievement_pct", "weighted_pct"]
    formats = ["General"] * 7 + [PERCENT_FORMAT] * 2
    rows = [[int(r["fiscal_year"]), *(r[k] for k in keys)] for r in m.achievement.to_dict(orient="records")]
    end = b.table(sheet, 0, [t["year"], *(t[k] for k in keys)], rows, ["General"] + formats[1:])
    rows = [[int(r["fiscal_year"]), str(r["region"]), *(r[k] for k in keys)] for r in m.by_region.to_dict(orient="records")]
    end = b.table(sheet, end + 1, [t["year"], t["region"], *(t[k] for k in keys)], rows, formats[:1] + formats)
    sheet.write_string(end + 1, 0, t["achievement_note"], b.text)
    sheet.set_column(0, 1, 14)
    sheet.set_column(2, 10, 16)


def _learning_sheet(b: _Book, learning: Learning, t: dict[str, str]) -> None:
    sheet = b.book.add_worksheet(t["sheet_learning"][:31])
    keys = ["pilots", "reported", "mean_score", "meets", "share", "share_low", "share_high"]
    rows = [[t[r["tier"]], *(r[k] for k in keys)] for r in learning.tiers.to_dict(orient="records")]
    end = b.table(sheet, 0, [t["tier"], *(t[k] for k in keys)], rows,
                  ["General", "General", "General", SCORE_FORMAT, "General", SCORE_FORMAT, SCORE_FORMAT, SCORE_FORMAT])
    if learning.slope is not None:
        ratio, low, high = learning.odds_ratio
        sheet.write_string(end + 1, 0, t["model"].format(ratio=ratio, low=low, high=high, n=learning.n), b.text)
        if learning.slope_low <= 0 <= learning.slope_high:
            sheet.write_string(end + 2, 0, t["no_effect"], b.text)
    sheet.set_column(0, 7, 16)


def _power_sheet(b: _Book, e: Evaluation, t: dict[str, str], lang: str) -> None:
    sheet = b.book.add_worksheet(t["sheet_power"][:31])
    rows = [[d.name, d.variance, d.power, d.random_power_mean, d.random_power_min, d.random_power_max] for d in e.designs]
    end = b.table(sheet, 0, [t["schedule"], t["variance"], t["power"], t["random"], t["random_min"], t["random_max"]],
                  rows, ["General", VARIANCE_FORMAT, SCORE_FORMAT, SCORE_FORMAT, SCORE_FORMAT, SCORE_FORMAT])
    if e.randomised is not None:
        plans = _plans_table(e, t)
        sheet.write_string(end + 1, 0, plans.name, b.bold)
        end = b.table(sheet, end + 2, [c.header for c in plans.columns], plans.rows,
                      [c.number_format or "General" for c in plans.columns])
    sheet.write_string(end + 1, 0, power_paragraph_words(e, t, lang), b.text)
    sheet.set_column(0, 0, 40)
    sheet.set_column(1, 5, 16)


def _plans_table(e: Evaluation, t: dict[str, str]) -> Table:
    """The near-optimal plans of ``evaluate(alternatives=K)``: objective, loss, units per year, variance, power."""
    columns = [Column("plan", t["plan"]), Column("objective", t["objective"], SCORE_FORMAT),
               Column("loss_pct", t["loss_pct"], SCORE_FORMAT), Column("units_per_year", t["units_per_year"]),
               Column("variance", t["variance"], VARIANCE_FORMAT), Column("power", t["power"], SCORE_FORMAT)]
    rows = [list(r) for r in e.plans_table.itertuples(index=False)]
    return Table(t["h_plans"].format(pct=f"{100 * e.randomised.within:g}"), columns, rows)


def power_paragraph_words(e: Evaluation, t: dict[str, str], lang: str) -> str:
    """The evaluation-power paragraph of the workbook and report, in the workbook's language; with
    alternatives, the sentence on randomising among them (the catalogue's words for ``lang``)."""
    d = e.designs[0]
    text = t["power_paragraph"].format(power=d.power, effect=e.effect, sd=e.sd, icc=e.icc, alpha=e.alpha,
                                       units=e.units, periods=e.periods)
    if d.random_power_mean is not None:  # random orders were drawn (permutations > 0)
        text += t["power_random"].format(mean=d.random_power_mean)
    if e.randomised is not None:
        with language(lang):
            text += " " + randomised_sentence(e)
    return text


def write_scorecard_workbook(target: str | Path, lang: str = "th", monitor: MonitorRound | None = None,
                             learning: Learning | None = None, evaluation: Evaluation | None = None,
                             day: dt.date | None = None) -> None:
    """Write the monitoring workbook (atomically): the scorecard sheet of the round, plan achievement, learning
    from the pilots, and the evaluation power, each when given. The same inputs and date give the same bytes."""
    t = SCORECARD_TEXT[lang]
    year, round_ = (monitor.year, monitor.round) if monitor is not None else ("", "")
    with atomic_path(target) as tmp:
        b = _Book(tmp, t["title"].format(year=year, round=round_), plan_date(day))
        if monitor is not None:
            _scorecard_sheet(b, monitor, t, lang)
            _achievement_sheet(b, monitor, t)
        if learning is not None:
            _learning_sheet(b, learning, t)
        if evaluation is not None:
            _power_sheet(b, evaluation, t, lang)
        b.book.close()


# ---------------------------------------------------------------------------------------------
# The report: the same content as a printable, self-contained HTML page (pilots' scorecards in full)


def _achievement_table(m: MonitorRound, t: dict[str, str], by: str | None) -> Table:
    keys = ["planned", "reported", "meets", "does_not_meet", "not_reported", "deferred", "achievement_pct", "weighted_pct"]
    columns = [Column("fiscal_year", t["year"], "0"), *([Column(by, t[by])] if by else []),
               *(Column(k, t[k], "0.00" if k.endswith("pct") else "0") for k in keys)]
    table = m.by_region if by else m.achievement
    rows = [[int(r["fiscal_year"]), *([str(r[by])] if by else []), *(r[k] for k in keys)]
            for r in table.to_dict(orient="records")]
    return Table(t["sheet_achievement"], columns, rows)


def _card_table(m: MonitorRound, unit_id: str, t: dict[str, str], lang: str) -> Table:
    dims = DIMENSION_TH if lang == "th" else DIMENSION_EN
    card = m.cards[unit_id]
    columns = [Column("dimension", t["dimension"]), Column("indicator", t["indicator"]), Column("unit", t["unit"]),
               Column("weight", t["weight"], "0"), *(Column(f"level_{k}", t["level"].format(k=k), "General")
                                                    for k in range(1, 6)),
               Column("result", t["result"], "General"), Column("score", t["score"], SCORE_FORMAT),
               Column("weighted_score", t["weighted"], SCORE_FORMAT)]
    rows = [[dims[x["dimension"]], x["name"], x["unit"], x["weight"], *(x[f"level_{k}"] for k in range(1, 6)),
             t["not_reported_cell"] if pd.isna(x["result"]) else x["result"],
             None if pd.isna(x["score"]) else x["score"], None if pd.isna(x["weighted_score"]) else x["weighted_score"]]
            for x in opdc_rows(card, m.monitoring, lang).to_dict(orient="records")]
    total = ["", t["total"], "", sum(i.weight for i in m.monitoring.indicators), *[""] * 7, card.overall]
    return Table(unit_id, columns, rows, total)


def scorecard_report_html(m: MonitorRound, lang: str = "th", learning: Learning | None = None,
                          evaluation: Evaluation | None = None, day: dt.date | None = None) -> str:
    """The monitoring report as one HTML page: plan achievement, every unit's verdict, the pilots' scorecards,
    what the pilots say about readiness and the evaluation-power paragraph (each when given)."""
    t = SCORECARD_TEXT[lang]
    esc = html.escape
    title = t["title"].format(year=m.year, round=m.round)
    units = Table(t["h_units"], [Column("unit_id", t["unit_id"]), Column("name", t["name"]), Column("region", t["region"]),
                                 Column("fiscal_year", t["year"], "0"), Column("overall", t["overall"], SCORE_FORMAT),
                                 Column("verdict", t["verdict"])],
                  [[r["unit_id"], r["name"], str(r["region"]), None if pd.isna(r["fiscal_year"]) else int(r["fiscal_year"]),
                    None if pd.isna(r["overall_score"]) else r["overall_score"], t[f"verdict_{r['verdict']}"]]
                   for r in m.scorecard.to_dict(orient="records")])
    parts = ["<!DOCTYPE html>", f'<html lang="{lang}">', '<head><meta charset="utf-8">',
             f"<title>{esc(title)}</title>", f"<style>{CSS}</style></head>", "<body>",
             f"<header><h1>{esc(title)}</h1>",
             f'<p class="meta">{esc(date_text(plan_date(day), lang))}</p></header>',
             f"<section><h2>{esc(t['sheet_achievement'])}</h2>", table_html(_achievement_table(m, t, None)),
             f'<p class="meta">{esc(t["achievement_note"])}</p></section>',
             f"<section><h2>{esc(t['h_region'])}</h2>", table_html(_achievement_table(m, t, "region"), css_class="small"),
             "</section>"]
    if learning is not None:
        keys = ["pilots", "reported", "mean_score", "meets", "share", "share_low", "share_high"]
        tiers = Table(t["sheet_learning"], [Column("tier", t["tier"]), *(Column(k, t[k], SCORE_FORMAT if k.startswith(
            ("mean", "share")) else "0") for k in keys)],
            [[t[r["tier"]], *(None if r[k] is None or pd.isna(r[k]) else r[k] for k in keys)]
             for r in learning.tiers.to_dict(orient="records")])
        parts += [f"<section><h2>{esc(t['sheet_learning'])}</h2>", table_html(tiers)]
        if learning.slope is not None:
            ratio, low, high = learning.odds_ratio
            parts.append(f"<p>{esc(t['model'].format(ratio=ratio, low=low, high=high, n=learning.n))}</p>")
            if learning.slope_low <= 0 <= learning.slope_high:
                parts.append(f"<p>{esc(t['no_effect'])}</p>")
        parts.append("</section>")
    if evaluation is not None:
        parts += [f"<section><h2>{esc(t['sheet_power'])}</h2>",
                  f"<p>{esc(power_paragraph_words(evaluation, t, lang))}</p>"]
        if evaluation.randomised is not None:
            parts += [f"<h3>{esc(_plans_table(evaluation, t).name)}</h3>", table_html(_plans_table(evaluation, t),
                                                                                     css_class="small")]
        parts.append("</section>")
    pilots = m.pilots.sort_values("unit_id")
    if len(pilots):
        parts.append(f"<section><h2>{esc(t['h_pilots'])}</h2>")
        for r in pilots.to_dict(orient="records"):
            card = m.cards[r["unit_id"]]
            parts += [f"<h3>{esc(r['unit_id'])} {esc(str(r['name']))}: {esc(t['verdict_' + card.verdict])}</h3>",
                      table_html(_card_table(m, r["unit_id"], t, lang), css_class="small")]
        parts.append("</section>")
    parts += [f'<section class="appendix"><h2>{esc(t["h_units"])}</h2>', table_html(units, css_class="small"),
              "</section>", "</body>", "</html>", ""]
    return "\n".join(parts)


def write_scorecard_report(target: str | Path, m: MonitorRound, lang: str = "th", learning: Learning | None = None,
                           evaluation: Evaluation | None = None, day: dt.date | None = None) -> None:
    """Write the monitoring report atomically (UTF-8)."""
    write_text_atomic(target, scorecard_report_html(m, lang, learning, evaluation, day))
