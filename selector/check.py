"""An independent verifier of schedules: ``selector check SCENARIO.csv SCHEDULE.csv``.

It shares no code with the model builder or the solver: it re-reads the validated scenario, reads
the schedule CSV with the standard library, and tests every rule directly on the years written in
the file, recomputing scores and the objective with its own arithmetic. A schedule produced by hand
in Excel can be checked the same way.
"""

from __future__ import annotations

import csv
import io
import math
from dataclasses import dataclass, field
from pathlib import Path

from selector.data.csvfiles import decode_text as decode_csv
from selector.data.csvfiles import parse_number
from selector.data.progress import DEFERRED, history, read_baseline, read_progress, replan_scenario
from selector.data.scenario import Scenario
from selector.errors import Problem, ScenarioError

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


def _unescape(text: str) -> str:
    if len(text) > 1 and text[0] == "'" and text[1] in "=+-@\t\r":
        return text[1:]
    return text


def read_schedule(path: str | Path) -> list[dict[str, str]]:
    """The schedule's rows as dicts of text; raises ScenarioError when it is not a schedule CSV."""
    name = str(path)
    try:
        raw = Path(path).read_bytes()
    except OSError as exc:
        raise ScenarioError([Problem(name, None, None, f"cannot be read ({exc.strerror})", "check the path")])
    text, problems = decode_csv(raw, name)  # UTF-8, or a Thai Windows (cp874) re-save from Excel
    if text is None:
        raise ScenarioError(problems)
    rows = list(csv.DictReader(io.StringIO(text, newline="")))
    needed = ("unit_id", "fiscal_year", "pilot")
    header = rows[0].keys() if rows else next(csv.reader(io.StringIO(text)), [])
    missing = [c for c in needed if c not in header]
    if missing:
        raise ScenarioError([Problem(name, 1, c, "column is missing from the schedule", f"add the column '{c}'")
                             for c in missing])
    for row in rows:
        for key in list(row):
            if isinstance(row[key], str):
                row[key] = _unescape(row[key].strip())
    return rows


def _scores(unit: dict, scenario: Scenario) -> tuple[float, float]:
    """(pilot score, rollout score), recomputed from the raw criteria with the scenario's weights."""
    s = scenario.settings
    lo, hi = s.scale
    pilot_total = sum(s.pilot_weights.values())
    rollout_total = sum(s.rollout_weights.values())
    pilot = rollout = 0.0
    for criterion in set(s.pilot_weights) | set(s.rollout_weights):
        value = float(unit[criterion])
        n = (hi - value) / (hi - lo) if criterion in s.cost_type else (value - lo) / (hi - lo)
        pilot += s.pilot_weights.get(criterion, 0.0) / pilot_total * n
        rollout += s.rollout_weights.get(criterion, 0.0) / rollout_total * n
    return pilot, rollout


def check_schedule(scenario: Scenario, schedule_path: str | Path) -> CheckReport:
    """Test every rule of the scenario on the schedule file; list every violation."""
    rows = read_schedule(schedule_path)
    s = scenario.settings
    first, last = s.first_year, s.last_year
    report = CheckReport()
    bad = report.violations
    units = {u["unit_id"]: u for u in scenario.units.to_dict(orient="records")}

    year: dict[str, int | None] = {}
    pilot: dict[str, bool] = {}
    for number, row in enumerate(rows, start=2):
        uid = row["unit_id"]
        if uid not in units:
            bad.append(f"line {number}: unit '{uid}' is not in the scenario")
            continue
        if uid in year:
            bad.append(f"unit {uid} appears more than once in the schedule")
            continue
        text = row["fiscal_year"]
        try:
            year[uid] = int(text) if text != "" else None
        except ValueError:
            bad.append(f"line {number}: fiscal_year '{text}' of unit {uid} is not a year")
            year[uid] = None
        flag = row["pilot"].lower()
        if flag not in ("true", "false"):
            bad.append(f"line {number}: pilot '{row['pilot']}' of unit {uid} is not true or false")
        pilot[uid] = flag == "true"
        phase = row.get("phase")
        expected = ("done" if units[uid]["done"] else "unscheduled" if year[uid] is None
                    else "pilot" if year[uid] == first else f"wave {year[uid] - first}")
        if phase is not None and phase != expected:
            bad.append(f"unit {uid}: phase '{phase}' should be '{expected}'")
        for col, want in zip(("pilot_score", "rollout_score"), _scores(units[uid], scenario)):
            if row.get(col) not in (None, ""):
                try:
                    got = float(row[col])
                except ValueError:
                    got = math.nan
                if not abs(got - want) <= 5.1e-7:
                    bad.append(f"unit {uid}: {col} {row[col]} should be {want:.6f}")

    for uid, unit in sorted(units.items()):
        if uid not in year:
            bad.append(f"unit {uid} is missing from the schedule")
            continue
        y = year[uid]
        if unit["done"]:
            if y is not None:
                bad.append(f"unit {uid} is done already but is scheduled in FY{y}")
            if pilot[uid]:
                bad.append(f"unit {uid} is done already but is marked a pilot")
            continue
        if y is None:
            if s.coverage != "best-effort":  # best-effort plans may leave units unscheduled
                bad.append(f"unit {uid} is not scheduled: every unit must be upgraded by FY{last}")
            elif pilot[uid]:
                bad.append(f"unit {uid} is unscheduled but marked a pilot")
            continue
        if not first <= y <= last:
            bad.append(f"unit {uid} is scheduled in FY{y}, outside the horizon FY{first}-{last}")
        lo = unit["earliest_year"]
        hi = unit["latest_year"]
        if not _missing(lo) and y < lo:
            bad.append(f"unit {uid} is scheduled in FY{y}, before its earliest_year {int(lo)}")
        if not _missing(hi) and y > hi:
            bad.append(f"unit {uid} is scheduled in FY{y}, after its latest_year {int(hi)}")
        if pilot[uid] != (y == first):
            bad.append(f"unit {uid}: pilot = {str(pilot[uid]).lower()} but it is upgraded in FY{y} "
                       f"(the pilot year FY{first} upgrades exactly the pilots)")
        if unit["pilot"] == "must" and not pilot[uid]:
            bad.append(f"unit {uid} is marked pilot = must but is not a pilot")
        if unit["pilot"] == "never" and pilot[uid]:
            bad.append(f"unit {uid} is marked pilot = never but is a pilot")
        after = unit["after"]
        if after and after in units and not units[after]["done"]:
            ya = year.get(after)
            if ya is not None and not y > ya:
                bad.append(f"unit {uid} (FY{y}) must come after unit {after} (FY{ya})")

    scheduled = {u: y for u, y in year.items() if y is not None and not units[u]["done"]}
    for fy in range(first, last + 1):
        spent = sum(float(units[u]["cost"]) for u, y in scheduled.items() if y == fy)
        budget = float(s.budget[fy])
        if spent > budget * (1 + _TOLERANCE) + _TOLERANCE:
            bad.append(f"FY{fy} spends {spent:,.0f} baht, over its budget of {budget:,.0f} (by {spent - budget:,.0f})")
        count = sum(1 for y in scheduled.values() if y == fy)
        if s.max_units_per_year is not None and count > s.max_units_per_year:
            bad.append(f"FY{fy} upgrades {count} units, over the capacity of {s.max_units_per_year}")
        if fy in s.max_units and count > s.max_units[fy]:
            bad.append(f"FY{fy} upgrades {count} units, over [capacity] max_units {fy} = {s.max_units[fy]}")

    pilots = sorted(u for u, flag in pilot.items() if flag and not units[u]["done"])
    pmax = scenario.pilots_max
    if not s.pilots_min <= len(pilots) <= pmax:
        bad.append(f"{len(pilots)} pilots, outside the allowed {s.pilots_min}-{pmax}")
    for column in s.cover:
        values = {str(units[u][column]) for u in units if not units[u]["done"]}
        covered = {str(units[u][column]) for u in pilots}
        for value in sorted(values - covered):
            bad.append(f"no pilot in {column} '{value}' (every value needs at least one)")
    if s.max_mean_risk is not None and pilots:
        mean = sum(float(units[u]["risk"]) for u in pilots) / len(pilots)
        if mean > s.max_mean_risk + _TOLERANCE:
            bad.append(f"the pilots' mean risk is {mean:.4g}, above max_mean_risk = {s.max_mean_risk:g}")

    todo = {u: units[u] for u in units if not units[u]["done"]}
    bad += _check_planning_rules(scenario, todo, scheduled, pilots)
    bad += _check_funds(scenario, todo, scheduled, rows)

    lam = s.pilot_emphasis * (last - first + 1)
    total = 0.0
    for uid, y in scheduled.items():
        p_score, r_score = _scores(units[uid], scenario)
        total += r_score * (last - y + 1) + (lam * p_score if pilot[uid] else 0.0)
    report.objective = total
    report.units_checked = len(year)
    return report


def _missing(value) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


def check_replan(scenario: Scenario, schedule_path: str | Path, baseline, progress, from_year: int) -> CheckReport:
    """Check a re-planned schedule: every rule of the re-plan's scenario, and that history is kept.

    ``baseline`` and ``progress`` are read and matched with the scenario by ``selector.data.progress``
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
                bad.append(f"unit {uid} is {state} but is upgraded in FY{year}: it must come in FY{floor} or later")
        elif base_year is not None and (base_year < from_year or (state == "in_progress" and base_year == from_year)):
            if year != base_year:
                bad.append(f"unit {uid} happened in FY{base_year} ({state or 'done as planned'}) but the schedule moves it "
                           f"to FY{year}: years before FY{from_year} are frozen and done units never move")
        elif year < from_year:
            bad.append(f"unit {uid} is upgraded in FY{year}, a frozen year before FY{from_year}, but it was not "
                       "upgraded then in the baseline")
    return report
def _number(value) -> float:
    if isinstance(value, str):
        parsed, _ = parse_number(value)
        return math.nan if parsed is None else parsed
    return float(value)


def _check_planning_rules(scenario: Scenario, todo: dict, year: dict[str, int], pilots: list[str]) -> list[str]:
    """[pilots.balance], [pilots.max_share], [capacity.by], [fairness] and [mentors], tested on the years."""
    s = scenario.settings
    first, last = s.first_year, s.last_year
    bad: list[str] = []

    def groups(column: str) -> dict[str, list[str]]:
        out: dict[str, list[str]] = {}
        for uid in sorted(todo):
            out.setdefault(str(todo[uid][column]), []).append(uid)
        return dict(sorted(out.items()))

    for column in s.balance_columns:
        values = [_number(todo[u][column]) for u in todo]
        if not values or not pilots:
            continue
        mean = sum(values) / len(values)
        sd = math.sqrt(sum((v - mean) ** 2 for v in values) / len(values))
        pilot_mean = sum(_number(todo[u][column]) for u in pilots) / len(pilots)
        if abs(pilot_mean - mean) > s.balance_tolerance * sd + _TOLERANCE:
            bad.append(f"the pilots' mean {column} is {pilot_mean:.4g} but the network's is {mean:.4g}: "
                       f"{abs(pilot_mean - mean) / sd if sd else math.inf:.3g} sd apart, more than the "
                       f"tolerance of {s.balance_tolerance:g} sd ([pilots.balance])")

    for column, share in s.max_share.items():
        counts: dict[str, int] = {}
        for u in pilots:
            counts[str(todo[u][column])] = counts.get(str(todo[u][column]), 0) + 1
        for value, count in sorted(counts.items()):
            if count > share * len(pilots) + _TOLERANCE:
                bad.append(f"{column} '{value}' holds {count} of the {len(pilots)} pilots, more than the share "
                           f"{share:g} allows ([pilots.max_share])")

    for column, cap in s.capacity_by.items():
        for value, members in groups(column).items():
            for fy in range(first, last + 1):
                count = sum(1 for u in members if year.get(u) == fy)
                if count > cap:
                    bad.append(f"FY{fy} upgrades {count} units of {column} '{value}', over its team's capacity of "
                               f"{cap} a year ([capacity.by])")

    if s.fairness_column is not None:
        for value, members in groups(s.fairness_column).items():
            years = [year[u] for u in members if u in year]
            if s.fairness_min_per_year is not None:
                for fy in range(first + 1, last + 1):
                    left = sum(1 for y in years if y >= fy)
                    count = sum(1 for y in years if y == fy)
                    if count < min(s.fairness_min_per_year, left):
                        bad.append(f"{s.fairness_column} '{value}' gets {count} upgrade(s) in FY{fy} while it has "
                                   f"{left} unit(s) left: at least {min(s.fairness_min_per_year, left)} are "
                                   f"required ([fairness] min_per_year)")
        gap = s.fairness_max_completion_gap
        if gap is not None:
            completion = {value: max(year[u] for u in members if u in year)
                          for value, members in groups(s.fairness_column).items()
                          if any(u in year for u in members)}
            if completion:
                early = min(completion, key=lambda v: (completion[v], v))
                late = max(completion, key=lambda v: (completion[v], v))
                if completion[late] - completion[early] > gap:
                    bad.append(f"{s.fairness_column} '{early}' completes in FY{completion[early]} but '{late}' in "
                               f"FY{completion[late]}: more than {gap} year(s) apart ([fairness] max_completion_gap)")

    lag = s.mentors_lag
    if s.mentors_column is not None:
        column = s.mentors_column
        started = {str(u[column]) for u in scenario.units.to_dict(orient="records") if u["done"]}
        for value, members in groups(column).items():
            years = {u: year[u] for u in members if u in year}
            if not years:
                continue
            start = first - 1 if value in started else min(years.values())
            mentors = sorted(u for u, y in years.items() if y == start)
            if len(mentors) > s.mentors_max_mentors:
                bad.append(f"{column} '{value}' starts with {len(mentors)} units in FY{start} ({', '.join(mentors)}), "
                           f"more than max_mentors = {s.mentors_max_mentors} ([mentors])")
            for u, y in sorted(years.items()):
                if y != start and y < start + lag:
                    bad.append(f"unit {u} (FY{y}) comes less than {lag} year(s) after its {column} '{value}' "
                               f"started in FY{start} ([mentors])")
    if s.mentor_column is not None:
        for u in sorted(todo):
            mentor = str(todo[u][s.mentor_column])
            if mentor == "" or u not in year:
                continue
            mentor_year = first - 1 if mentor not in todo else year.get(mentor)
            if mentor_year is not None and year[u] < mentor_year + lag:
                bad.append(f"unit {u} (FY{year[u]}) must come at least {lag} year(s) after its mentor {mentor} "
                           f"(FY{mentor_year}) ([mentors] mentor_column)")
    return bad


def _check_funds(scenario: Scenario, todo: dict, year: dict[str, int], rows: list[dict[str, str]]) -> list[str]:
    """[[funds]]: each upgraded unit names one fund that may pay for it; no fund spends more than it has."""
    funds = {f.name: f for f in scenario.settings.funds}
    if not funds:
        return []
    if rows and "fund" not in rows[0]:
        return ["the schedule has no 'fund' column but the scenario has [[funds]]"]
    named = {row["unit_id"]: row.get("fund", "") for row in rows}
    bad = []
    spent: dict[tuple[str, int], float] = {}
    for uid in sorted(year):
        if uid not in todo:
            continue
        fund = named.get(uid, "")
        if fund not in funds:
            bad.append(f"unit {uid} is paid by fund '{fund}', which is not a fund of the scenario")
            continue
        if not all(str(todo[uid][col]) in values for col, values in funds[fund].eligible.items()):
            bad.append(f"unit {uid} is paid by fund '{fund}', which may not pay for it")
        spent[fund, year[uid]] = spent.get((fund, year[uid]), 0.0) + float(todo[uid]["cost"])
    for (fund, fy), amount in sorted(spent.items()):
        limit = float(funds[fund].amounts.get(fy, 0.0))
        if amount > limit * (1 + _TOLERANCE) + _TOLERANCE:
            bad.append(f"fund '{fund}' pays {amount:,.0f} baht in FY{fy}, more than its {limit:,.0f}")
    return bad
