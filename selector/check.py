"""An independent verifier of schedules: ``selector check SCENARIO.csv SCHEDULE.csv``.

It shares no code with the model builder or the solver: it re-reads the validated scenario, reads
the schedule CSV with the standard library, and tests every rule directly on the years written in
the file, recomputing scores and the objective with its own arithmetic. A schedule produced by hand
in Excel can be checked the same way.

One check function per constraint family of the model, in the same order (``CHECKS``): each takes
the ``ScheduleFacts`` read from the file once and returns the violations of its own rule, each rule
stated in its docstring from the rule itself, not from the model's code. ``check_schedule`` reads
and validates the file, runs every check and lists what they found.
"""

from __future__ import annotations

import csv
import io
import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import Any, Self

from selector.data.csvfiles import decode_text as decode_csv
from selector.data.csvfiles import parse_number, read_input_bytes, unescape_cell
from selector.data.progress import DEFERRED, history, read_baseline, read_progress, replan_scenario
from selector.data.scenario import Scenario
from selector.data.settings import Settings
from selector.errors import Problem, ScenarioError
from selector.i18n import _

_TOLERANCE = 1e-6


@dataclass
class CheckReport:
    """The outcome of a check: every broken rule in plain words, and the recomputed objective."""

    violations: list[str] = field(default_factory=list)
    objective: float | None = None
    units_checked: int = 0

    @property
    def ok(self) -> bool:
        return not self.violations


def read_schedule(path: str | Path) -> list[dict[str, str]]:
    """The schedule's rows as dicts of text; raises ScenarioError when it is not a schedule CSV."""
    name = str(path)
    raw, problems = read_input_bytes(path, name)
    if raw is None:
        raise ScenarioError(problems)
    text, problems = decode_csv(raw, name)  # UTF-8, or a Thai Windows (cp874) re-save from Excel
    if text is None:
        raise ScenarioError(problems)
    header = [unescape_cell(h.strip()) for h in next(csv.reader(io.StringIO(text, newline="")), [])]
    rows = list(csv.DictReader(io.StringIO(text, newline=""), fieldnames=header))[1:]  # headers are escaped like cells
    needed = ("unit_id", "fiscal_year", "pilot")
    missing = [c for c in needed if c not in header]
    if missing:
        raise ScenarioError([Problem(name, 1, c, _("column is missing from the schedule"), _("add the column '{column}'", column=c))
                             for c in missing])
    for row in rows:
        for key in list(row):
            if isinstance(row[key], str):
                row[key] = unescape_cell(row[key].strip())
    return rows


def _scores(unit: Mapping[str, Any], settings: Settings) -> tuple[float, float]:
    """(pilot score, rollout score), recomputed from the raw criteria with the scenario's weights."""
    s = settings
    lo, hi = s.scale
    pilot_total = sum(s.pilot_weights.values())
    rollout_total = sum(s.rollout_weights.values())
    pilot = rollout = 0.0
    for criterion in sorted(set(s.pilot_weights) | set(s.rollout_weights)):  # a fixed order: the same sum every run
        value = float(unit[criterion])
        n = (hi - value) / (hi - lo) if criterion in s.cost_type else (value - lo) / (hi - lo)
        pilot += s.pilot_weights.get(criterion, 0.0) / pilot_total * n
        rollout += s.rollout_weights.get(criterion, 0.0) / rollout_total * n
    return pilot, rollout


# ---------------------------------------------------------------------------------------------
# What the checks read


@dataclass(frozen=True)
class ScheduleFacts:
    """What the checks read: the scenario's rules and units, and what the schedule file says.

    Built once by ``schedule_facts``; read-only (mappings are read-only views, sequences tuples).
    A unit listed twice counts with its first row; a year that is blank or not a year is None.
    """

    settings: Settings
    pilots_max: int  # the most pilots allowed ([pilots] max, or its default resolved by the scenario)
    units: Mapping[str, Mapping[str, Any]]  # every unit of the scenario by unit_id, done ones too
    todo: Mapping[str, Mapping[str, Any]]  # the units still to upgrade (done is false), by unit_id
    year: Mapping[str, int | None]  # every unit of the scenario the schedule lists: its fiscal_year
    pilot: Mapping[str, bool]  # the same units: is the pilot flag written true
    scheduled: Mapping[str, int]  # the units still to upgrade that have a year (in the horizon or not)
    pilots: tuple[str, ...]  # the units still to upgrade marked as pilots, sorted
    rows: tuple[Mapping[str, str], ...]  # the schedule's rows as read (e.g. for the fund column)

    @property
    def first(self) -> int:
        return self.settings.first_year

    @property
    def last(self) -> int:
        return self.settings.last_year


def schedule_facts(scenario: Scenario, rows: list[dict[str, str]]) -> tuple[ScheduleFacts, list[str]]:
    """The facts the checks read from the schedule's rows, and the problems of the file itself.

    The file's own problems: a unit that is not in the scenario or is listed twice, a fiscal_year
    that is not a year, a pilot that is not true or false, and a phase or a score column that does
    not match the unit's year and criteria (a column left blank is not checked).
    """
    s = scenario.settings
    first = s.first_year
    bad: list[str] = []
    units = {u["unit_id"]: u for u in scenario.units.to_dict(orient="records")}

    year: dict[str, int | None] = {}
    pilot: dict[str, bool] = {}
    for number, row in enumerate(rows, start=2):
        uid = row["unit_id"]
        if uid not in units:
            bad.append(_("line {number}: unit '{unit}' is not in the scenario", number=number, unit=uid))
            continue
        if uid in year:
            bad.append(_("unit {unit} appears more than once in the schedule", unit=uid))
            continue
        text = row["fiscal_year"]
        try:
            year[uid] = int(text) if text != "" else None
        except ValueError:
            bad.append(_("line {number}: fiscal_year '{text}' of unit {unit} is not a year", number=number, text=text, unit=uid))
            year[uid] = None
        flag = row["pilot"].lower()
        if flag not in ("true", "false"):
            bad.append(_("line {number}: pilot '{pilot}' of unit {unit} is not true or false", number=number, pilot=row['pilot'], unit=uid))
        pilot[uid] = flag == "true"
        phase = row.get("phase")
        expected = ("done" if units[uid]["done"] else "unscheduled" if year[uid] is None
                    else "pilot" if year[uid] == first else f"wave {year[uid] - first}")
        if phase is not None and phase != expected:
            bad.append(_("unit {unit}: phase '{phase}' should be '{expected}'", unit=uid, phase=phase, expected=expected))
        for col, want in zip(("pilot_score", "rollout_score"), _scores(units[uid], s)):
            if row.get(col) not in (None, ""):
                try:
                    got = float(row[col])
                except ValueError:
                    got = math.nan
                if not abs(got - want) <= 5.1e-7:
                    bad.append(_("unit {unit}: {column} {value} should be {want}", unit=uid, column=col, value=row[col], want=f"{want:.6f}"))

    frozen = {uid: MappingProxyType(unit) for uid, unit in units.items()}
    scheduled = {u: y for u, y in year.items() if y is not None and not units[u]["done"]}
    facts = ScheduleFacts(
        settings=s,
        pilots_max=scenario.pilots_max,
        units=MappingProxyType(frozen),
        todo=MappingProxyType({u: frozen[u] for u in units if not units[u]["done"]}),
        year=MappingProxyType(year),
        pilot=MappingProxyType(pilot),
        scheduled=MappingProxyType(scheduled),
        pilots=tuple(sorted(u for u, flag in pilot.items() if flag and not units[u]["done"])),
        rows=tuple(MappingProxyType(row) for row in rows),
    )
    return facts, bad


# ---------------------------------------------------------------------------------------------
# Where a violation goes in the report
#
# The report lists violations in one fixed order: first unit by unit (by unit_id), then year by
# year, then the rules about the whole network, each part in CHECKS order. A check marks a
# violation about one unit with _about_unit and one about one year's total with _about_year (a
# plain string is about the network); check_schedule runs the checks in CHECKS order and sorts
# what they found, stably, by that place.


class _Violation(str):
    """A violation message (a plain str to every reader) that also carries its place in the report."""

    place: tuple

    def __new__(cls, text: str, place: tuple) -> Self:
        self = super().__new__(cls, text)
        self.place = place
        return self


_NETWORK = (2,)


def _about_unit(uid: str, text: str) -> str:
    return _Violation(text, (0, uid))


def _about_year(fy: int, text: str) -> str:
    return _Violation(text, (1, fy))


def _place(message: str) -> tuple:
    return getattr(message, "place", _NETWORK)


def _missing(value) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


def _number(value) -> float:
    if isinstance(value, str):
        parsed, _reason = parse_number(value)
        return math.nan if parsed is None else parsed
    return float(value)


def _groups(facts: ScheduleFacts, column: str) -> dict[str, list[str]]:
    """value -> the unit_ids still to upgrade with that value of ``column``; values and ids sorted."""
    out: dict[str, list[str]] = {}
    for uid in sorted(facts.todo):
        out.setdefault(str(facts.todo[uid][column]), []).append(uid)
    return dict(sorted(out.items()))


# ---------------------------------------------------------------------------------------------
# One check per constraint family, in the order of the model's families


def check_coverage(facts: ScheduleFacts) -> list[str]:
    """Every unit still to upgrade is upgraded exactly once, in a year of the horizon within its window.

    sum_{y in W_u} x[u,y] = 1: a year between FY first and last, and between its earliest_year and
    latest_year when it has them. Under ``[plan] coverage = "best-effort"`` at most once: the unit
    may be left unscheduled. The schedule lists every unit of the scenario; a done unit was upgraded
    before the plan and has no year in it.
    """
    first, last = facts.first, facts.last
    best_effort = facts.settings.coverage == "best-effort"
    bad: list[str] = []
    for uid, unit in sorted(facts.units.items()):
        if uid not in facts.year:
            bad.append(_about_unit(uid, _("unit {unit} is missing from the schedule", unit=uid)))
            continue
        y = facts.year[uid]
        if unit["done"]:
            if y is not None:
                bad.append(_about_unit(uid, _("unit {unit} is done already but is scheduled in FY{y}", unit=uid, y=y)))
            continue
        if y is None:
            if not best_effort:  # best-effort plans may leave units unscheduled
                bad.append(_about_unit(uid, _("unit {unit} is not scheduled: every unit must be upgraded by FY{last}", unit=uid, last=last)))
            continue
        if not first <= y <= last:
            bad.append(_about_unit(uid, _("unit {unit} is scheduled in FY{y}, outside the horizon FY{first}-{last}", unit=uid, y=y, first=first, last=last)))
        lo = unit["earliest_year"]
        hi = unit["latest_year"]
        if not _missing(lo) and y < lo:
            bad.append(_about_unit(uid, _("unit {unit} is scheduled in FY{y}, before its earliest_year {lo}", unit=uid, y=y, lo=int(lo))))
        if not _missing(hi) and y > hi:
            bad.append(_about_unit(uid, _("unit {unit} is scheduled in FY{y}, after its latest_year {hi}", unit=uid, y=y, hi=int(hi))))
    return bad


def check_pilot_year(facts: ScheduleFacts) -> list[str]:
    """The pilot year upgrades exactly the pilots: x[u,F] = p[u] for every unit still to upgrade.

    A unit is a pilot if and only if it is upgraded in FY first. So a done unit is no pilot, nor
    is a unit left unscheduled under best-effort coverage (under full coverage an unscheduled unit
    is reported by ``check_coverage`` alone).
    """
    first = facts.first
    best_effort = facts.settings.coverage == "best-effort"
    bad: list[str] = []
    for uid, unit in sorted(facts.units.items()):
        if uid not in facts.year:
            continue
        y, is_pilot = facts.year[uid], facts.pilot[uid]
        if unit["done"]:
            if is_pilot:
                bad.append(_about_unit(uid, _("unit {unit} is done already but is marked a pilot", unit=uid)))
            continue
        if y is None:
            if best_effort and is_pilot:
                bad.append(_about_unit(uid, _("unit {unit} is unscheduled but marked a pilot", unit=uid)))
            continue
        if is_pilot != (y == first):
            bad.append(_about_unit(uid, _("unit {unit}: pilot = {is_pilot} but it is upgraded in FY{y} (the pilot year FY{first} upgrades exactly the pilots)", unit=uid, is_pilot=str(is_pilot).lower(), y=y, first=first)))
    return bad


# ---------------------------------------------------------------------------------------------
# What a unit spends in each year (docs/costs.md), recomputed here from the rules as written there


@dataclass(frozen=True)
class _Money:
    """What one scheduled unit spends: by year (total, and without running costs), by (category, year), after."""

    total: dict[int, float]
    upgrade: dict[int, float]
    category: dict[tuple[str, int], float]
    after: float


def _cell(value: Any) -> tuple[bool, float]:
    """(is the cell filled, its baht): an empty cell is 0."""
    if _missing(value) or (isinstance(value, str) and value.strip() == ""):
        return False, 0.0
    return True, float(value) if not isinstance(value, str) else _number(value)


def _money(facts: ScheduleFacts, uid: str, start: int) -> _Money:
    """The spending of unit ``uid`` started in ``start``, by the rules of docs/costs.md:

    its cost is split into the cost_<category> parts and the rest; each part follows the first of
    (its own cost_y0.. cells, the pilot profile when it starts in the pilot year, the profile its
    ``profile`` column names, its category's profile, [costs] profile, all in the start year); from
    the year after its start it costs its running_cost each year of the horizon (in the running
    category too). What falls after the last year is ``after`` (running costs not included).
    """
    s = facts.settings
    unit = facts.units[uid]
    cost = float(unit["cost"])
    own = [_cell(unit.get(f"cost_y{k}")) for k in range(10)]
    own_total = sum(v for _, v in own)
    named = str(unit.get("profile") or "").strip()
    parts: list[tuple[Any, float]] = []
    for category in s.categories:
        parts.append((category, _cell(unit.get(category.column))[1]))
    parts.append((None, max(0.0, cost - sum(v for _, v in parts))))
    total: dict[int, float] = {}
    upgrade: dict[int, float] = {}
    category_money: dict[tuple[str, int], float] = {}
    after = 0.0
    for category, amount in parts:
        if any(filled for filled, _ in own):
            shares = [v / own_total for _, v in own] if own_total > 0 else [1.0]
        elif start == facts.first and s.pilot_profile:
            shares = list(s.pilot_profile)
        elif named:
            shares = list(s.profiles[named])
        elif category is not None and category.profile:
            shares = list(category.profile)
        else:
            shares = list(s.cost_profile) or [1.0]
        for offset, share in enumerate(shares):
            money = amount * share
            if money == 0:
                continue
            year = start + offset
            if year > facts.last:
                after += money
                continue
            upgrade[year] = upgrade.get(year, 0.0) + money
            if category is not None:
                category_money[category.name, year] = category_money.get((category.name, year), 0.0) + money
    total.update(upgrade)
    running = _cell(unit.get("running_cost"))[1]
    for year in range(start + 1, facts.last + 1):
        if running > 0:
            total[year] = total.get(year, 0.0) + running
            if s.running_category is not None:
                key = (s.running_category, year)
                category_money[key] = category_money.get(key, 0.0) + running
    return _Money(total, upgrade, category_money, after)


def _over(spent: float, limit: float) -> bool:
    return spent > limit * (1 + _TOLERANCE) + _TOLERANCE


def check_budget(facts: ScheduleFacts) -> list[str]:
    """What each year's upgrades cost is within its budget: sum_u cost_u x[u,y] <= budget_y for every year y.

    With the rules of docs/costs.md what counts is each year's spending: the shares of every unit
    started that year or earlier that fall in it, and the running costs of the units upgraded
    before it. Up to a tolerance of a millionth (relative, and one millionth of a baht).
    """
    budget = facts.settings.budget
    bad: list[str] = []
    money = [_money(facts, u, y).total for u, y in facts.scheduled.items() if facts.first <= y <= facts.last]
    for fy in range(facts.first, facts.last + 1):
        spent = sum(m.get(fy, 0.0) for m in money)
        limit = float(budget[fy])
        if spent > limit * (1 + _TOLERANCE) + _TOLERANCE:
            bad.append(_about_year(fy, _("FY{year} spends {spent} baht, over its budget of {limit} (by {value})", year=fy, spent=f"{spent:,.0f}", limit=f"{limit:,.0f}", value=f"{spent - limit:,.0f}")))
    return bad


def check_category(facts: ScheduleFacts) -> list[str]:
    """Each [budget.<category>] caps its spending in each year: the cost_<category> parts of the units
    started that year or earlier that fall in it (following their profiles), plus the running costs
    when it is the running category: spending_{c,y} <= ceiling_{c,y}."""
    s = facts.settings
    if not s.categories:
        return []
    spent: dict[tuple[str, int], float] = {}
    for uid, start in sorted(facts.scheduled.items()):
        if facts.first <= start <= facts.last:
            for key, money in _money(facts, uid, start).category.items():
                spent[key] = spent.get(key, 0.0) + money
    bad: list[str] = []
    for category in s.categories:
        for fy in range(facts.first, facts.last + 1):
            money, limit = spent.get((category.name, fy), 0.0), float(category.amounts[fy])
            if _over(money, limit):
                bad.append(_about_year(fy, _("FY{year} spends {spent} baht of {category}, over its ceiling of {limit} "
                                             "(by {over}) ([budget.{category}])", year=fy, spent=f"{money:,.0f}",
                                             category=category.name, limit=f"{limit:,.0f}",
                                             over=f"{money - limit:,.0f}")))
    return bad


def check_beyond_horizon(facts: ScheduleFacts) -> list[str]:
    """Spending after the last year: under [costs] after_horizon = "refuse" none (each unit starts
    early enough for its profile to end by the last year); under "charge" at most [budget] after in all."""
    s = facts.settings
    bad: list[str] = []
    total = 0.0
    for uid, start in sorted(facts.scheduled.items()):
        if not facts.first <= start <= facts.last:
            continue
        after = _money(facts, uid, start).after
        total += after
        if after > 0 and s.after_horizon == "refuse":
            bad.append(_about_unit(uid, _("unit {uid} starts in FY{year} but its profile spends {after} baht after "
                                          "FY{last} ([costs] after_horizon = \"refuse\")", uid=uid, year=start,
                                          after=f"{after:,.0f}", last=facts.last)))
    if s.after_horizon == "charge" and _over(total, float(s.budget_after or 0.0)):
        bad.append(_("the profiles spend {total} baht after FY{last}, over [budget] after = {limit}",
                     total=f"{total:,.0f}", last=facts.last, limit=f"{float(s.budget_after or 0.0):,.0f}"))
    return bad


def check_pilot_count(facts: ScheduleFacts) -> list[str]:
    """The number of pilots is between [pilots] min and max: min <= sum_u p[u] <= max."""
    count, low, high = len(facts.pilots), facts.settings.pilots_min, facts.pilots_max
    if not low <= count <= high:
        return [_("{count} pilots, outside the allowed {low}-{high}", count=count, low=low, high=high)]
    return []


def check_cover(facts: ScheduleFacts) -> list[str]:
    """Every value of each [pilots] cover column has a pilot: sum_{u: col_u = v} p[u] >= 1.

    The values are those of the units still to upgrade (a value whose units are all done has
    nothing to pilot).
    """
    bad: list[str] = []
    for column in facts.settings.cover:
        values = {str(unit[column]) for unit in facts.todo.values()}
        covered = {str(facts.units[u][column]) for u in facts.pilots}
        for value in sorted(values - covered):
            bad.append(_("no pilot in {column} '{value}' (every value needs at least one)", column=column, value=value))
    return bad


def check_pilot_risk(facts: ScheduleFacts) -> list[str]:
    """The pilots' mean raw risk is at most [pilots] max_mean_risk: sum_u (risk_u - cap) p[u] <= 0.

    With no pilot there is no mean, and nothing to check.
    """
    cap = facts.settings.max_mean_risk
    pilots = facts.pilots
    if cap is None or not pilots:
        return []
    mean = sum(float(facts.units[u]["risk"]) for u in pilots) / len(pilots)
    if mean > cap + _TOLERANCE:
        return [_("the pilots' mean risk is {mean}, above max_mean_risk = {cap}", mean=f"{mean:.4g}", cap=f"{cap:g}")]
    return []


def check_capacity(facts: ScheduleFacts) -> list[str]:
    """At most so many units are upgraded a year: sum_u x[u,y] <= max_units_per_year for every year y,
    and <= max_units[y] for each year [capacity] max_units names."""
    s = facts.settings
    bad: list[str] = []
    for fy in range(facts.first, facts.last + 1):
        count = sum(1 for y in facts.scheduled.values() if y == fy)
        if s.max_units_per_year is not None and count > s.max_units_per_year:
            bad.append(_about_year(fy, _("FY{year} upgrades {count} units, over the capacity of {max_units_per_year}", year=fy, count=count, max_units_per_year=s.max_units_per_year)))
        if fy in s.max_units and count > s.max_units[fy]:
            bad.append(_about_year(fy, _("FY{year} upgrades {count} units, over [capacity] max_units {year} = {cap}",
                                         year=fy, count=count, cap=s.max_units[fy])))
    return bad


def check_pilot_rule(facts: ScheduleFacts) -> list[str]:
    """A unit marked pilot = must is a pilot (p[u] = 1), one marked never is not (p[u] = 0).

    Tested on the units still to upgrade. Under full coverage a unit without a year is reported by
    ``check_coverage`` alone; under best-effort coverage a must-pilot left unscheduled is not a
    pilot, so it breaks this rule.
    """
    bad: list[str] = []
    best_effort = facts.settings.coverage == "best-effort"
    for uid in sorted(facts.todo):
        rule, is_pilot = facts.units[uid]["pilot"], facts.pilot.get(uid, False)
        if uid not in facts.scheduled:
            if best_effort and rule == "must":
                bad.append(_about_unit(uid, _("unit {unit} is marked pilot = must but is not scheduled", unit=uid)))
            continue
        if rule == "must" and not is_pilot:
            bad.append(_about_unit(uid, _("unit {unit} is marked pilot = must but is not a pilot", unit=uid)))
        if rule == "never" and is_pilot:
            bad.append(_about_unit(uid, _("unit {unit} is marked pilot = never but is a pilot", unit=uid)))
    return bad


def check_after(facts: ScheduleFacts) -> list[str]:
    """A unit comes in a later year than the unit its `after` column names: year_u >= year_a + 1.

    Only when a is still to upgrade (a done unit was upgraded before the plan, so the rule holds).
    A scheduled unit whose predecessor has no year breaks the rule: an unscheduled unit was not
    upgraded before anything (under best-effort coverage this is how a follower left without its
    predecessor is caught; under full coverage ``check_coverage`` also reports the missing year).
    """
    bad: list[str] = []
    for uid, y in sorted(facts.scheduled.items()):
        after = facts.units[uid]["after"]
        if after and after in facts.units and not facts.units[after]["done"]:
            ya = facts.scheduled.get(after)
            if ya is None:
                bad.append(_about_unit(uid, _("unit {unit} (FY{year}) must come after unit {after}, which is not "
                                              "scheduled", unit=uid, year=y, after=after)))
            elif not y > ya:
                bad.append(_about_unit(uid, _("unit {unit} (FY{y}) must come after unit {after} (FY{ya})", unit=uid, y=y, after=after, ya=ya)))
    return bad


def check_balance(facts: ScheduleFacts) -> list[str]:
    """The pilots are representative: for each [pilots.balance] column their mean is within t standard
    deviations of the mean over the units still to upgrade, |pilot mean - mean| <= t sd.

    t is the tolerance, sd the population standard deviation over the units still to upgrade.
    With no pilot there is nothing to check.
    """
    s = facts.settings
    pilots = facts.pilots
    bad: list[str] = []
    for column in s.balance_columns:
        values = [_number(unit[column]) for unit in facts.todo.values()]
        if not values or not pilots:
            continue
        mean = sum(values) / len(values)
        sd = math.sqrt(sum((v - mean) ** 2 for v in values) / len(values))
        pilot_mean = sum(_number(facts.todo[u][column]) for u in pilots) / len(pilots)
        if abs(pilot_mean - mean) > s.balance_tolerance * sd + _TOLERANCE:
            bad.append(_("the pilots' mean {column} is {pilot_mean} but the network's is {mean}: {distance} sd apart, more than the tolerance of {balance_tolerance} sd ([pilots.balance])", column=column, pilot_mean=f"{pilot_mean:.4g}", mean=f"{mean:.4g}", distance=f"{abs(pilot_mean - mean) / sd if sd else math.inf:.3g}", balance_tolerance=f"{s.balance_tolerance:g}"))
    return bad


def check_share(facts: ScheduleFacts) -> list[str]:
    """No value of a [pilots.max_share] column holds more than its share s of the pilots:
    #pilots with col = v <= s * #pilots, for every value v."""
    pilots = facts.pilots
    bad: list[str] = []
    for column, share in facts.settings.max_share.items():
        counts: dict[str, int] = {}
        for u in pilots:
            counts[str(facts.todo[u][column])] = counts.get(str(facts.todo[u][column]), 0) + 1
        for value, count in sorted(counts.items()):
            if count > share * len(pilots) + _TOLERANCE:
                bad.append(_("{column} '{value}' holds {count} of the {pilots} pilots, more than the share {share} allows ([pilots.max_share])", column=column, value=value, count=count, pilots=len(pilots), share=f"{share:g}"))
    return bad


def check_group_capacity(facts: ScheduleFacts) -> list[str]:
    """Each [capacity.by] team upgrades at most c units of its value a year, the pilot year included:
    #upgrades in year y with col = v <= c, for every value v and year y."""
    bad: list[str] = []
    for column, cap in facts.settings.capacity_by.items():
        for value, members in _groups(facts, column).items():
            for fy in range(facts.first, facts.last + 1):
                count = sum(1 for u in members if facts.scheduled.get(u) == fy)
                if count > cap:
                    bad.append(_("FY{year} upgrades {count} units of {column} '{value}', over its team's capacity of {cap} a year ([capacity.by])", year=fy, count=count, column=column, value=value, cap=cap))
    return bad


def check_fairness_min(facts: ScheduleFacts) -> list[str]:
    """Every value of the [fairness] column gets at least k = min_per_year upgrades in each rollout year
    FY first+1..last while it has units left, or all it has left when fewer: count >= min(k, left).

    The units left in year y are the value's units scheduled in y or later.
    """
    s = facts.settings
    column, need = s.fairness_column, s.fairness_min_per_year
    if column is None or need is None:
        return []
    bad: list[str] = []
    for value, members in _groups(facts, column).items():
        years = [facts.scheduled[u] for u in members if u in facts.scheduled]
        for fy in range(facts.first + 1, facts.last + 1):
            left = sum(1 for y in years if y >= fy)
            count = sum(1 for y in years if y == fy)
            if count < min(need, left):
                bad.append(_("{column} '{value}' gets {count} upgrade(s) in FY{year} while it has {left} unit(s) left: at least {need} are required ([fairness] min_per_year)", column=column, value=value, count=count, year=fy, left=left, need=min(need, left)))
    return bad


def check_fairness_gap(facts: ScheduleFacts) -> list[str]:
    """The values of the [fairness] column complete within g = max_completion_gap years of each other:
    max_v c_v - min_v c_v <= g, c_v the year v's last scheduled unit is upgraded.

    Values with no unit scheduled are left out.
    """
    s = facts.settings
    column, gap = s.fairness_column, s.fairness_max_completion_gap
    if column is None or gap is None:
        return []
    completion = {value: max(facts.scheduled[u] for u in members if u in facts.scheduled)
                  for value, members in _groups(facts, column).items()
                  if any(u in facts.scheduled for u in members)}
    if not completion:
        return []
    early = min(completion, key=lambda v: (completion[v], v))
    late = max(completion, key=lambda v: (completion[v], v))
    if completion[late] - completion[early] > gap:
        return [(_("{column} '{early}' completes in FY{completion} but '{late}' in FY{completion2}: more than {gap} year(s) apart ([fairness] max_completion_gap)", column=column, early=early, completion=completion[early], late=late, completion2=completion[late], gap=gap))]
    return []


def check_mentor(facts: ScheduleFacts) -> list[str]:
    """In each group of the [mentors] column, the units of its first upgrade year are its mentors, at most
    max_mentors of them, and every other unit comes at least lag years later: year_u >= start + lag.

    A group with a done unit started in FY first-1 (the done unit is its mentor). Only scheduled
    units count: a group with nothing scheduled is not checked.
    """
    s = facts.settings
    column, lag = s.mentors_column, s.mentors_lag
    if column is None:
        return []
    bad: list[str] = []
    started = {str(unit[column]) for unit in facts.units.values() if unit["done"]}
    for value, members in _groups(facts, column).items():
        years = {u: facts.scheduled[u] for u in members if u in facts.scheduled}
        if not years:
            continue
        start = facts.first - 1 if value in started else min(years.values())
        mentors = sorted(u for u, y in years.items() if y == start)
        if len(mentors) > s.mentors_max_mentors:
            bad.append(_("{column} '{value}' starts with {mentors} units in FY{start} ({mentors2}), more than max_mentors = {mentors_max_mentors} ([mentors])", column=column, value=value, mentors=len(mentors), start=start, mentors2=', '.join(mentors), mentors_max_mentors=s.mentors_max_mentors))
        for u, y in sorted(years.items()):
            if y != start and y < start + lag:
                bad.append(_("unit {u} (FY{y}) comes less than {lag} year(s) after its {column} '{value}' started in FY{start} ([mentors])", u=u, y=y, lag=lag, column=column, value=value, start=start))
    return bad


def check_named_mentor(facts: ScheduleFacts) -> list[str]:
    """A unit comes at least lag years after the mentor its [mentors] mentor_column names:
    year_u >= year_n + lag.

    A mentor that is not a unit still to upgrade counts as upgraded in FY first-1. A scheduled
    unit whose mentor (still to upgrade) has no year breaks the rule: an unscheduled mentor has
    taught nobody.
    """
    s = facts.settings
    column, lag = s.mentor_column, s.mentors_lag
    if column is None:
        return []
    bad: list[str] = []
    for u in sorted(facts.todo):
        mentor = str(facts.todo[u][column])
        if mentor == "" or mentor == u or u not in facts.scheduled:
            continue
        y = facts.scheduled[u]
        mentor_year = facts.first - 1 if mentor not in facts.todo else facts.scheduled.get(mentor)
        if mentor_year is None:
            bad.append(_("unit {unit} (FY{year}) must come at least {lag} year(s) after its mentor {mentor}, which is "
                         "not scheduled ([mentors] mentor_column)", unit=u, year=y, lag=lag, mentor=mentor))
        elif y < mentor_year + lag:
            bad.append(_("unit {u} (FY{y}) must come at least {lag} year(s) after its mentor {mentor} (FY{mentor_year}) ([mentors] mentor_column)", u=u, y=y, lag=lag, mentor=mentor, mentor_year=mentor_year))
    return bad


def check_fund(facts: ScheduleFacts) -> list[str]:
    """[[funds]]: each upgraded unit names in the fund column one fund that may pay for it, and no fund
    pays more than it has in a year: sum_{u paid by f in y} cost_u <= amount_{f,y}.

    With a cost profile the fund pays the unit's upgrade spending in each year it falls (not its
    running costs, which the budget pays).

    A fund has nothing in the years its amounts do not name. Up to the tolerance of ``check_budget``.
    """
    funds = {f.name: f for f in facts.settings.funds}
    if not funds:
        return []
    rows = facts.rows
    if rows and "fund" not in rows[0]:
        return ["the schedule has no 'fund' column but the scenario has [[funds]]"]
    named = {row["unit_id"]: row.get("fund", "") for row in rows}
    bad: list[str] = []
    spent: dict[tuple[str, int], float] = {}
    for uid in sorted(facts.scheduled):
        fund = named.get(uid, "")
        if fund not in funds:
            bad.append(_("unit {unit} is paid by fund '{fund}', which is not a fund of the scenario", unit=uid, fund=fund))
            continue
        unit, fy = facts.todo[uid], facts.scheduled[uid]
        if not all(str(unit[col]) in values for col, values in funds[fund].eligible.items()):
            bad.append(_("unit {unit} is paid by fund '{fund}', which may not pay for it", unit=uid, fund=fund))
        for year, money in sorted(_money(facts, uid, fy).upgrade.items()):
            spent[fund, year] = spent.get((fund, year), 0.0) + money
    for (fund, fy), amount in sorted(spent.items()):
        limit = float(funds[fund].amounts.get(fy, 0.0))
        if amount > limit * (1 + _TOLERANCE) + _TOLERANCE:
            bad.append(_("fund '{fund}' pays {amount} baht in FY{year}, more than its {limit}", fund=fund, amount=f"{amount:,.0f}", year=fy, limit=f"{limit:,.0f}"))
    return bad


# (family, check): one pair per constraint family of the model, in the model's order. The family is
# the name of the model's function without its add_ and _constraints (or _constraint):
# add_budget_constraints -> "budget", checked by check_budget. A new family of the model needs its
# check here, at the same place (tests/test_check.py compares the two lists).
CHECKS: tuple[tuple[str, Callable[[ScheduleFacts], list[str]]], ...] = (
    ("coverage", check_coverage),
    ("pilot_year", check_pilot_year),
    ("budget", check_budget),
    ("pilot_count", check_pilot_count),
    ("cover", check_cover),
    ("pilot_risk", check_pilot_risk),
    ("capacity", check_capacity),
    ("pilot_rule", check_pilot_rule),
    ("after", check_after),
    ("balance", check_balance),
    ("share", check_share),
    ("group_capacity", check_group_capacity),
    ("fairness_min", check_fairness_min),
    ("fairness_gap", check_fairness_gap),
    ("mentor", check_mentor),
    ("named_mentor", check_named_mentor),
    ("fund", check_fund),
    ("category", check_category),
    ("beyond_horizon", check_beyond_horizon),
)


def _objective(facts: ScheduleFacts) -> float:
    """sum over the scheduled units of R_u (L - y + 1), plus lambda P_u for each pilot; lambda = emphasis (L - F + 1)."""
    s = facts.settings
    first, last = facts.first, facts.last
    lam = s.pilot_emphasis * (last - first + 1)
    total = 0.0
    for uid, y in facts.scheduled.items():
        p_score, r_score = _scores(facts.units[uid], s)
        total += r_score * (last - y + 1) + (lam * p_score if facts.pilot[uid] else 0.0)
    return total


def check_schedule(scenario: Scenario, schedule_path: str | Path) -> CheckReport:
    """Test every rule of the scenario on the schedule file; list every violation.

    First the file's own problems (``schedule_facts``), then what every check of ``CHECKS`` finds:
    unit by unit, then year by year, then the rules about the whole network.
    """
    facts, problems = schedule_facts(scenario, read_schedule(schedule_path))
    found = [violation for _name, check in CHECKS for violation in check(facts)]
    report = CheckReport(violations=problems + [str(v) for v in sorted(found, key=_place)])
    report.objective = _objective(facts)
    report.units_checked = len(facts.year)
    return report


def check_replan(scenario: Scenario, schedule_path: str | Path, baseline, progress, from_year: int) -> CheckReport:
    """Check a re-planned schedule: every rule of the re-plan's scenario, and that history is kept.

    ``baseline`` and ``progress`` are read and matched with the scenario by ``selector.progress``
    (the same validation as ``selector replan``); the rules are then tested on the file as
    ``check_schedule`` does, under the re-plan's rules (revised scores; pilot rules dropped once
    the pilot year is over; no window or `after` rule on units whose year is history, but the
    units' own windows, not the re-plan's). History is then tested directly, every unit's year
    against what happened: a frozen unit (done, in progress, or of a past year and not listed) keeps its
    baseline year; a failed or deferred unit is upgraded again in FY``from_year`` or later (a unit
    deferred from a later year, after its baseline year); no other unit is in a year before
    ``from_year``.
    """

    s = scenario.settings
    base = read_baseline(baseline, s.first_year, s.last_year)
    rows, progress_name = read_progress(progress, s.scale) if progress is not None else ({}, "<progress>")
    hist = history(scenario, base, rows, int(from_year), progress_name)
    report = check_schedule(replan_scenario(scenario, hist, windows=False), schedule_path)
    bad = report.violations
    written: dict[str, int | None] = {}
    for row in read_schedule(schedule_path):
        text = row["fiscal_year"]
        written.setdefault(row["unit_id"], int(text) if text.isdigit() else None)
    done_in_scenario = set(scenario.units.loc[scenario.units["done"], "unit_id"])
    for uid in sorted(set(scenario.units["unit_id"]) - done_in_scenario):
        year = written.get(uid)
        base_year = base.year.get(uid)
        state = rows[uid].state if uid in rows else None
        if year is None:
            continue  # reported by check_schedule
        if state in ("failed", DEFERRED):
            floor = base_year + 1 if base_year is not None and base_year >= from_year else from_year
            if year < floor:
                bad.append(_("unit {unit} is {state} but is upgraded in FY{year}: it must come in FY{floor} or later", unit=uid, state=state, year=year, floor=floor))
        elif base_year is not None and (base_year < from_year or (state == "in_progress" and base_year == from_year)):
            if year != base_year:
                bad.append(_("unit {unit} happened in FY{base_year} ({state}) but the schedule moves it to FY{year}: years before FY{from_year} are frozen and done units never move", unit=uid, base_year=base_year, state=state or _("done as planned"), year=year, from_year=from_year))
        elif year < from_year:
            bad.append(_("unit {unit} is upgraded in FY{year}, a frozen year before FY{from_year}, but it was not upgraded then in the baseline", unit=uid, year=year, from_year=from_year))
    return report
