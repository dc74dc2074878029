"""Plain-text summaries for the terminal (returned as strings: the library never prints)."""

from __future__ import annotations

import unicodedata
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd

from selector.data.scenario import Scenario
from selector.i18n import _, current_language, ngettext
from selector.outputs.words import phase_text
from selector.model.costs import costs_active
from selector.plan import Plan
from selector.status import Status

if TYPE_CHECKING:  # annotations only: the workflows layer sits above this one
    from selector.workflows.compare import Comparison


def display_width(text: str) -> int:
    """Columns a text takes in a terminal: Thai vowel and tone marks above or below a consonant take none."""
    return sum(1 for ch in text if unicodedata.category(ch) not in ("Mn", "Me", "Cf"))


def pad(text: str, width: int, right_align: bool = False) -> str:
    """``text`` padded with spaces to ``width`` terminal columns (Thai marks take none), on the left if ``right_align``."""
    space = " " * (width - display_width(text))
    return space + text if right_align else text + space


def text_table(header: list[str], rows: list[list[str]], right: set[int]) -> list[str]:
    widths = [max(display_width(str(x)) for x in col) for col in zip(header, *rows)]

    def fmt(cells):
        return "  ".join(pad(str(c), w, i in right) for i, (c, w) in enumerate(zip(cells, widths)))

    return [fmt(header), "  ".join("-" * w for w in widths)] + [fmt(r) for r in rows]


def _value(x: float | None) -> str:
    return "" if x is None or x != x else f"{x:.4f}"


def _fy(year: int) -> str:
    """A fiscal year in a table: FY2556 (ปีงบประมาณ 2556 in Thai)."""
    return _("FY{year}", year=year)


def _pct(x: float) -> str:
    return f"{100 * x:.1f}%"


def summary_text(plan: Plan, out_path: str | Path | None = None, elapsed: float | None = None) -> str:
    """The solve summary: per fiscal year the units, cost, budget and share used; pilots by region; the facts."""
    lines = []
    by_year = plan.by_year
    lang = current_language()
    rows = [[_fy(r.fiscal_year), phase_text(r.phase, lang), str(r.units), str(r.pilots), f"{r.cost:,.0f}",
             f"{r.budget:,.0f}", _pct(r.budget_used), _pct(r.coverage), _value(r.value_per_million)]
            for r in by_year.itertuples()]
    rows.append([_("total"), "", str(int(by_year["units"].sum())), str(int(by_year["pilots"].sum())),
                 f"{by_year['cost'].sum():,.0f}", f"{by_year['budget'].sum():,.0f}",
                 _pct(by_year["cost"].sum() / by_year["budget"].sum()) if by_year["budget"].sum() else "", "", ""])
    lines += text_table([_("year"), _("phase"), _("units"), _("pilots"), _("cost (baht)"), _("budget (baht)"), _("used"),
                         _("coverage"), _("+1M baht")], rows, {2, 3, 4, 5, 6, 7, 8})
    if plan.marginal is not None:
        lines.append(_("(+1M baht: objective gained per extra million baht that year, from the LP relaxation)"))
    done = int(plan.scenario.units["done"].sum())
    if done:
        lines.append(_("({count} unit(s) already done are not scheduled)", count=done))
    lines += spending_lines(plan)
    lines.append("")
    unscheduled = plan.unscheduled
    if unscheduled:
        lines.append(_("{count} unit(s) unscheduled (best-effort): {units}", count=len(unscheduled),
                       units=", ".join(unscheduled)))
        if plan.extra_money:
            if plan.extra_budget:
                lines.append(_("Extra budget that would schedule them: {amounts}", amounts="; ".join(
                    _("FY{year} +{amount} baht", year=y, amount=f"{v:,.0f}") for y, v in sorted(plan.extra_budget.items()))))
            lines += [_("Also needed: {change}", change=f.message) for f in plan.extra_money if f.rule != "budget"]
        else:
            lines += [_("To schedule them: {reason}", reason=r) for r in plan.reasons]
    pilots = plan.pilots
    counts = pilots.groupby("region").size().sort_index()
    lines.append(_("Pilots ({count}) by region: {regions}", count=len(pilots),
                   regions=", ".join(f"{k} {v}" for k, v in counts.items())))
    lines += fund_lines(plan)
    lines += balance_lines(plan)
    if plan.status == Status.OPTIMAL:
        accepted = plan.options.gap if plan.options is not None else plan.scenario.settings.gap
        verdict = _("optimal (proven; gap {gap}% <= {accepted}%)", gap=f"{100 * plan.gap:.4f}",
                    accepted=f"{100 * accepted:.4f}")
    elif plan.status == Status.FEASIBLE:
        verdict = _("feasible, not proven optimal, gap {gap}%", gap=f"{100 * plan.gap:.4f}")
    else:
        verdict = plan.status
    lines.append(_("Status: {verdict}", verdict=verdict))
    used = plan.options
    run_with = (ngettext(" (time limit {seconds} s, {n} thread, seed {seed})", " (time limit {seconds} s, {n} threads, seed {seed})",
                         used.threads, seconds=f"{used.time_limit:g}", seed=used.seed) if used is not None else "")
    lines.append(_("Objective {objective}, bound {bound}; solver {solver} {version}{run_with}, build {build} s, "
                   "solve {solve} s", objective=f"{plan.objective:.6f}", bound=f"{plan.bound:.6f}", solver=plan.solver,
                   version=plan.solver_version, run_with=run_with, build=f"{plan.build_seconds:.2f}",
                   solve=f"{plan.solve_seconds:.2f}")
                 + (_(", total {seconds} s", seconds=f"{elapsed:.2f}") if elapsed is not None else ""))
    if out_path is not None:
        lines.append(_("Schedule written to {path}", path=out_path))
    return "\n".join(lines)


def spending_lines(plan: Plan) -> list[str]:
    """Spending by year and category (docs/costs.md): what the units started that year spend, the
    commitments carried from earlier years, running costs, each category against its ceiling, the
    total; nothing when no cost rule applies."""
    if plan.schedule is None or not costs_active(plan.scenario):
        return []
    s = plan.scenario.settings
    table = plan.spending
    names = [c.name for c in s.categories]
    ceilings = {c.name: c.amounts for c in s.categories}
    rows = []
    for r in table.to_dict(orient="records"):
        year = int(r["fiscal_year"])
        after = year > s.last_year
        if after and r["total"] == 0 and s.after_horizon == "refuse":
            continue
        label = _("after FY{last}", last=s.last_year) if after else f"FY{year}"
        limit = (s.budget_after or 0.0) if after else float(s.budget[year])
        cats = [f"{r[n]:,.0f}" + ("" if after else f" / {ceilings[n][year]:,.0f}") for n in names]
        rows.append([label, f"{r['started']:,.0f}", f"{r['carried']:,.0f}", f"{r['running']:,.0f}", *cats,
                     f"{r['total']:,.0f}", f"{limit:,.0f}"])
    header = [_("year"), _("started"), _("carried"), _("running"), *[_("{name} / ceiling", name=n) for n in names],
              _("total"), _("budget")]
    lines = ["", _("Spending by fiscal year (baht): started = units upgraded that year; carried = commitments of "
                   "units started in earlier years; running = running costs of units already upgraded")]
    lines += text_table(header, rows, set(range(1, len(header))))
    if plan.category_marginal:
        lines.append(_("Objective gained per extra million baht of each category's ceiling (LP relaxation): ")
                     + "; ".join(f"{n} " + ", ".join(f"FY{y} {plan.category_marginal[n, y]:.4f}" for y in s.years)
                                 for n in names))
    return lines


def fund_lines(plan: Plan) -> list[str]:
    """Per fund and year: what it pays against its amount (nothing without [[funds]])."""
    table = plan.by_fund
    if table.empty:
        return []
    rows = [[r.fund, _fy(r.fiscal_year), str(r.units), f"{r.cost:,.0f}", f"{r.amount:,.0f}",
             _pct(r.used) if r.amount > 0 else "-"] for r in table.itertuples() if r.amount > 0 or r.units > 0]
    return ["", _("Funds:")] + text_table([_("fund"), _("year"), _("units"), _("cost (baht)"), _("amount (baht)"), _("used")],
                                          rows, {2, 3, 4, 5})


def balance_lines(plan: Plan) -> list[str]:
    """The balance block: per criterion the pilots' mean, the network's mean and the standardised difference."""
    table = plan.balance
    if table.empty or table["pilot_mean"].isna().all():
        return []
    ruled = plan.scenario.settings.balance_columns
    head = _("Balance of the pilots (std. diff = (pilot mean - network mean) / network sd)")
    if ruled:
        head += _("; rule: |std. diff| <= {tolerance} for {columns}", tolerance=f"{plan.scenario.settings.balance_tolerance:g}",
                  columns=", ".join(ruled))
    rows = [[r.column, f"{r.pilot_mean:.3f}", f"{r.network_mean:.3f}", f"{r.std_difference:+.3f}",
             "" if r.within is None else (_("ok") if r.within else _("BROKEN"))] for r in table.itertuples()]
    return ["", head + ":"] + text_table([_("criterion"), _("pilots"), _("network"), _("std. diff"), _("rule")], rows,
                                         {1, 2, 3}) + [""]


def rules_lines(scenario: Scenario) -> list[str]:
    """One line per planning rule that is on ([pilots.balance], [capacity.by], [fairness], [mentors], [[funds]]...)."""
    s = scenario.settings
    lines = []
    if s.balance_columns:
        lines.append(_("Balance: pilot means within {tolerance} sd of the network for {columns}",
                       tolerance=f"{s.balance_tolerance:g}", columns=", ".join(s.balance_columns)))
    if s.max_share:
        lines.append(_("Share caps: {caps}", caps=", ".join(_("{column} <= {share} of the pilots", column=c, share=f"{v:g}")
                                                           for c, v in s.max_share.items())))
    if s.max_units:
        lines.append(_("Capacity: {caps}", caps=", ".join(_("FY{year} <= {count} units", year=y, count=c)
                                                        for y, c in sorted(s.max_units.items()))))
    if s.capacity_by:
        lines.append(_("Team capacity: {caps}", caps=", ".join(_("{column} <= {count} a year each", column=c, count=v)
                                                             for c, v in s.capacity_by.items())))
    if s.fairness_column is not None:
        parts = ([_("at least {count} a wave", count=s.fairness_min_per_year)] if s.fairness_min_per_year is not None else []) + (
            [_("completion within {years} year(s)", years=s.fairness_max_completion_gap)]
            if s.fairness_max_completion_gap is not None else [])
        lines.append(_("Fairness by {column}: {rules}", column=s.fairness_column, rules=", ".join(parts)))
    if s.mentors_column is not None or s.mentor_column is not None:
        lines.append(_("Mentors: lag {lag}", lag=s.mentors_lag)
                     + (_(", by {column} (at most {count} mentor(s) each)", column=s.mentors_column,
                          count=s.mentors_max_mentors) if s.mentors_column else "")
                     + (_(", named in column {column}", column=s.mentor_column) if s.mentor_column else ""))
    if s.funds:
        lines.append(_("Funds: {funds}", funds=", ".join(_("{fund} {amount} baht", fund=f.name,
                                                           amount=f"{sum(f.amounts.values()):,.0f}") for f in s.funds)))
    return lines


def scenario_text(scenario: Scenario) -> str:
    """What ``selector validate`` prints: the scenario at a glance."""
    s = scenario.settings
    units = scenario.units
    todo = scenario.to_schedule
    lines = [_("Valid scenario: {units} units ({todo} to schedule, {done} done), fiscal years {first}-{last} "
               "(pilot year {first})", units=len(units), todo=len(todo), done=len(units) - len(todo), first=s.first_year,
               last=s.last_year)]
    lines.append(_("Total cost {cost} baht; total budget {budget} baht", cost=f"{todo['cost'].sum():,.0f}",
                   budget=f"{sum(s.budget.values()):,.0f}"))
    rows = [[_fy(y), f"{s.budget[y]:,.0f}"] for y in s.years]
    lines += text_table([_("year"), _("budget (baht)")], rows, {1})
    lines.append(_("Pilots: {min} to {max}; cover: {cover}", min=s.pilots_min, max=scenario.pilots_max,
                   cover=", ".join(s.cover) or _("none"))
                 + (_("; mean risk <= {risk}", risk=f"{s.max_mean_risk:g}") if s.max_mean_risk is not None else ""))
    lines += rules_lines(scenario)
    lines.append(_("Units by region: {regions}", regions=", ".join(
        f"{k} {v}" for k, v in todo.groupby("region").size().sort_index().items())))
    if scenario.extra_columns:
        lines.append(_("Passed-through columns: {columns}", columns=", ".join(scenario.extra_columns)))
    return "\n".join(lines)


def comparison_text(comparison: "Comparison") -> str:
    """What ``selector compare`` prints: objectives, per-year cost, units and coverage, pilots, moved units."""
    names = list(comparison.names)
    lines = [_("Base: {name}", name=names[0])]
    obj = comparison.objectives
    rows = [[n, r.status, "n/a" if pd.isna(r.objective) else f"{r.objective:.6f}",
             "" if pd.isna(r.change_pct) else f"{r.change_pct:+.2f}%", str(r.pilots), f"{r.cost:,.0f}", str(r.moved)]
            for n, r in zip(names, obj.itertuples())]
    lines += text_table([_("scenario"), _("status"), _("objective"), _("change"), _("pilots"), _("cost (baht)"),
                         _("moved")], rows, {2, 3, 4, 5, 6})
    if obj["objective"].isna().any():
        lines.append(_("(objective n/a: a schedule CSV does not carry it; pass the --json record of selector solve)"))
    for title, frame, fmt in ((_("Cost per fiscal year (baht)"), comparison.cost, "{:,.0f}"),
                              (_("Units upgraded per fiscal year"), comparison.units, "{:d}"),
                              (_("Coverage by the end of the year"), comparison.coverage, "{:.1%}")):
        lines += ["", title]
        rows = [[_fy(y)] + [fmt.format(v) for v in frame.loc[y]] for y in frame.index]
        lines += text_table([_("year")] + names, rows, set(range(1, len(names) + 1)))
    lines += ["", _("Pilots per region")]
    pilots = comparison.pilots_by_region
    lines += text_table([_("region")] + names, [[str(k)] + [str(v) for v in pilots.loc[k]] for k in pilots.index],
                        set(range(1, len(names) + 1)))
    moved = comparison.moved
    lines += ["", _("Units that moved against {name}: {count}", name=names[0], count=len(moved))]
    if len(moved):
        rows = [[r.scenario, r.unit_id, r.name, r.region, r.change, f"{r.pilot_score:.3f}", f"{r.rollout_score:.3f}"]
                for r in moved.itertuples()]
        lines += text_table([_("scenario"), "unit_id", _("name"), _("region"), _("change"), _("pilot score"),
                             _("rollout score")], rows, {5, 6})
    return "\n".join(lines)
