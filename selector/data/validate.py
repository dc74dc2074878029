"""The business rules of a scenario, one ``check_*`` each, reporting every problem at once."""

from __future__ import annotations

import difflib
import math
import re
from typing import Any, Mapping

import pandas as pd
import pandera.pandas as pa

from selector.data.csvfiles import escaped, parse_number, read_input_text, shown, text_problem, visible
from selector.data.settings import MAX_BAHT, Locator, Settings, amount_problem, baht
from selector.errors import Problem
from selector.fields import COST_YEARS_COLUMN, CRITERIA, KEY_COLUMNS
from selector.i18n import N_, _


def check_budget_overrides(budget: Mapping[Any, Any], settings: Settings) -> list[Problem]:
    """``--budget YEAR=BAHT`` follows the TOML's rules: a year of the horizon, a finite amount from 0 to MAX_BAHT."""
    problems = []
    for year, amount in budget.items():
        shown = f"{amount:.0f}" if isinstance(amount, (int, float)) and math.isfinite(amount) and abs(amount) < 1e15 else amount
        text = f"{year}={shown:g}" if isinstance(shown, float) else f"{year}={shown}"
        if isinstance(year, int) and 1900 <= year <= 2200:
            problems.append(Problem("--budget", None, None, _("'{text}': {year} is a Christian-Era year", text=text, year=year),
                                    _("write the Buddhist-Era year: --budget {be}={amount} (B.E. = C.E. + 543)",
                                      be=year + 543, amount=text.partition("=")[2])))
        elif not isinstance(year, int) or year not in settings.years:
            problems.append(Problem("--budget", None, None, _("'{text}': year {year} is outside the horizon {first}-{last}",
                                                              text=text, year=year, first=settings.first_year,
                                                              last=settings.last_year),
                                    _("give a fiscal year of [horizon]")))
        elif amount_problem(amount) is not None:
            problems.append(Problem("--budget", None, None, _("'{text}' is not an amount of baht from 0 to {limit}",
                                                              text=text, limit=baht(MAX_BAHT)),
                                    _("write e.g. --budget 2556=120000000")))
    return problems


# ---------------------------------------------------------------------------------------------
# Checking a typed table against the rules


def _schema(settings: Settings) -> pa.DataFrameSchema:
    lo, hi = settings.scale
    criterion = dict(checks=pa.Check.in_range(lo, hi), nullable=True)
    return pa.DataFrameSchema(
        {
            "unit_id": pa.Column(str, [pa.Check.str_length(min_value=1)], unique=True),
            "name": pa.Column(str, pa.Check.str_length(min_value=1)),
            "region": pa.Column(str, pa.Check.str_length(min_value=1)),
            "cost": pa.Column(float, [pa.Check.ge(0), pa.Check.le(MAX_BAHT)], nullable=True),
            **{c: pa.Column(float, **criterion) for c in CRITERIA},
            "pilot": pa.Column(str, pa.Check.isin(["", "must", "never"])),
            "earliest_year": pa.Column(float, nullable=True),
            "latest_year": pa.Column(float, nullable=True),
        },
        strict=False,
    )


_FIXES = {
    "unit_id": (N_("every unit needs its own id"), N_("give each unit a different, non-empty unit_id")),
    "name": (N_("the name is empty"), N_("write the unit's name (merged cells export as blanks: unmerge them and fill down)")),
    "region": (N_("the region is empty"),
               N_("write the unit's region (merged cells export as blanks: unmerge them and fill down)")),
    "cost": (N_("the cost is negative"), N_("write the cost in baht as a number >= 0")),
    "pilot": (N_("'{value}' is not must, never or empty"), N_("write must, never or leave the cell empty")),
}


def check_scenario(units: pd.DataFrame, settings: Settings, csv_name: str, toml_name: str) -> list[Problem]:
    """Every problem of a typed table under given settings (empty list when all is well)."""
    problems = check_units(units, settings, csv_name)
    problems += check_rule_columns(units, settings, csv_name, toml_name)
    problems += check_key_text(units, settings, csv_name)
    problems += check_windows(units, settings, csv_name)
    problems += check_cover_columns(units, settings, csv_name, toml_name)
    problems += check_budget_years(settings, toml_name)
    problems += check_pilot_limits(units, settings, toml_name)
    problems += check_costs(units, settings, csv_name)
    return problems


def check_units(units: pd.DataFrame, settings: Settings, csv_name: str) -> list[Problem]:
    """The problems of the units table on its own: values, ranges, uniqueness, allowed words, `after`."""
    problems: list[Problem] = []
    try:
        _schema(settings).validate(units, lazy=True)
    except pa.errors.SchemaErrors as err:
        problems += _from_failure_cases(err.failure_cases, units, settings, csv_name)
    return problems + check_after(units, csv_name)


def _from_failure_cases(cases: pd.DataFrame, units: pd.DataFrame, settings: Settings, csv_name: str) -> list[Problem]:
    lo, hi = settings.scale
    problems = []
    for case in cases.itertuples():
        column = case.column
        line = int(case.index) if case.index is not None and not pd.isna(case.index) else None
        value = case.failure_case
        if column in CRITERIA:
            problems.append(Problem(csv_name, line, column, _("value {value} is outside the scale {lo} to {hi}",
                                                              value=shown(value), lo=f"{lo:g}", hi=f"{hi:g}"),
                                    _("use a score from {lo} to {hi}, or change [criteria] scale", lo=f"{lo:g}", hi=f"{hi:g}")))
        elif column == "unit_id" and "unique" in str(case.check):
            others = [int(i) for i in units.index[units["unit_id"] == value]]
            same = units.loc[others].astype(str).drop_duplicates()
            lines = ", ".join(map(str, others))
            if len(same) == 1:
                problems.append(Problem(csv_name, line, column, _("unit_id '{value}' is used on lines {lines} (the lines are "
                                                                  "identical: a row pasted twice?)", value=value, lines=lines),
                                        _("delete the copy")))
            else:
                problems.append(Problem(csv_name, line, column, _("unit_id '{value}' is used on lines {lines}", value=value,
                                                                  lines=lines), _("give each unit a different unit_id")))
        elif column == "cost" and value > MAX_BAHT:
            problems.append(Problem(csv_name, line, column, _("the cost {amount} is over {limit}", amount=baht(value),
                                                              limit=baht(MAX_BAHT)),
                                    _("write the cost in baht (not satang), without stray digits")))
        elif column in _FIXES:
            message, fix = _FIXES[column]
            if column == "pilot":
                message = _(message, value=value)
            elif column == "unit_id":
                message = _("unit_id is empty")
            else:
                message = _(message)
            problems.append(Problem(csv_name, line, column, message, _(fix)))
        else:
            problems.append(Problem(csv_name, line, column, _("value {value} fails {check}", value=repr(value),
                                                              check=case.check), _("correct the value")))
    return problems


def check_after(units: pd.DataFrame, csv_name: str, column: str = "after") -> list[Problem]:
    """`after` (or another column of unit_ids, such as a mentor column) names a known unit, not
    itself, and forms no cycle."""
    problems = []
    ids = set(units["unit_id"])
    line_of = {uid: int(line) for line, uid in units["unit_id"].items()}
    edges = {}
    for line, uid, after in zip(units.index, units["unit_id"], units[column]):  # (iterrows is slow on 100,000 rows)
        if after == "":
            continue
        if after not in ids:
            problems.append(Problem(csv_name, int(line), column, _("unit '{unit}' does not exist", unit=after),
                                    _("write the unit_id of another unit, or leave the cell empty")))
        elif after == uid:
            problems.append(Problem(csv_name, int(line), column, _("a unit cannot name itself in '{column}'", column=column),
                                    _("name another unit or leave the cell empty")))
        else:
            edges[uid] = after
    reported = set()
    for start in sorted(edges):
        path, node = [], start
        while node in edges and node not in path:
            path.append(node)
            node = edges[node]
        if node in path:
            cycle = path[path.index(node):]
            key = frozenset(cycle)
            if key in reported:
                continue
            reported.add(key)
            first = min(cycle, key=lambda u: line_of[u])
            problems.append(Problem(csv_name, line_of[first], column,
                                    _("the '{column}' rules form a cycle: {cycle}", column=column,
                                      cycle=" -> ".join(cycle + [cycle[0]])),
                                    _("remove '{column}' from one unit of the cycle", column=column)))
    return problems


def check_windows(units: pd.DataFrame, settings: Settings, csv_name: str) -> list[Problem]:
    """Year windows lie in the horizon, are not empty, and let must-pilots be upgraded in the pilot year."""
    problems = []
    first, last = settings.first_year, settings.last_year
    columns = ("earliest_year", "latest_year", "pilot", "done")
    for line, *values in zip(units.index, *(units[c] for c in columns)):  # (iterrows is slow on 100,000 rows)
        row = dict(zip(columns, values))
        lo = row["earliest_year"] if not pd.isna(row["earliest_year"]) else first
        hi = row["latest_year"] if not pd.isna(row["latest_year"]) else last
        outside = False
        for col, year in (("earliest_year", row["earliest_year"]), ("latest_year", row["latest_year"])):
            if not pd.isna(year) and not first <= year <= last and not row["done"]:
                outside = True
                problems.append(Problem(csv_name, int(line), col, _("year {year} is outside the horizon {first}-{last}",
                                                                    year=f"{year:.0f}", first=first, last=last)
                                        + christian_era_hint(year),
                                        _("use a fiscal year from {first} to {last} (B.E.)", first=first, last=last)))
        if lo > hi and not outside:  # (a year outside the horizon is reported above, once)
            problems.append(Problem(csv_name, int(line), "earliest_year",
                                    _("earliest_year {lo} is after latest_year {hi}: no year is allowed",
                                      lo=f"{lo:.0f}", hi=f"{hi:.0f}"),
                                    _("make earliest_year <= latest_year")))
        if row["pilot"] == "must" and lo > first:
            problems.append(Problem(csv_name, int(line), "pilot",
                                    _("the unit must be a pilot but its earliest_year {lo} is after the pilot year {first}",
                                      lo=f"{lo:.0f}", first=first),
                                    _("clear earliest_year or the 'must'")))
        if row["pilot"] == "must" and row["done"]:
            problems.append(Problem(csv_name, int(line), "pilot", _("a done unit cannot be a pilot"),
                                    _("clear 'must' or 'done'")))
    return problems


def christian_era_hint(year: float) -> str:
    """' (a Christian-Era year? ...)' when ``year`` looks like C.E. rather than B.E., else ''."""
    if 1900 <= year <= 2200:
        return _(" (a Christian-Era year? B.E. = C.E. + 543, so {year} is {be})", year=f"{year:.0f}", be=f"{year + 543:.0f}")
    return ""


def check_cover_columns(units: pd.DataFrame, settings: Settings, csv_name: str, toml_name: str) -> list[Problem]:
    problems = []
    for col in settings.cover:
        if col not in units.columns:
            close = difflib.get_close_matches(col, list(units.columns), n=1, cutoff=0.6)
            problems.append(Problem(toml_name, None, "[pilots] cover",
                                    _("cover column '{column}' is not a column of {csv}", column=col, csv=csv_name),
                                    _("did you mean '{name}'?", name=close[0]) if close
                                    else _("name a column of the CSV, e.g. cover = [\"region\"]")))
    return problems


def numeric_column(units: pd.DataFrame, column: str) -> tuple[pd.Series, list[int]]:
    """The column as floats, and the CSV lines whose value is not a number (empty cells included)."""
    if pd.api.types.is_float_dtype(units[column]):
        values = units[column].astype(float)
    else:
        values = units[column].map(lambda text: parse_number(str(text))[0]).astype(float)
    return values, [int(line) for line in values.index[values.isna()]]


def check_rule_columns(units: pd.DataFrame, settings: Settings, csv_name: str, toml_name: str) -> list[Problem]:
    """The columns named by [pilots.balance], [pilots.max_share], [capacity.by], [fairness] and
    [mentors] exist; balance columns hold numbers; a mentor column names other units, without cycles."""
    problems = []
    named = [("pilots.balance", "columns", c) for c in settings.balance_columns]
    named += [("pilots.max_share", c, c) for c in settings.max_share]
    named += [("capacity.by", c, c) for c in settings.capacity_by]
    named += [("fairness", "column", settings.fairness_column), ("mentors", "column", settings.mentors_column),
              ("mentors", "mentor_column", settings.mentor_column)]
    text, _unread = read_input_text(toml_name, toml_name)
    locator = Locator(text or "")
    for section, key, col in named:
        if col is not None and col not in units.columns:
            close = difflib.get_close_matches(col, list(units.columns), n=1, cutoff=0.5)
            problems.append(Problem(toml_name, locator.line_of(section, key), f"[{section}] {key}",
                                    _("column '{column}' is not a column of {csv}", column=col, csv=csv_name),
                                    _("did you mean '{name}'?", name=close[0]) if close else _("name a column of the CSV")))
    for col in settings.balance_columns:
        if col in units.columns:
            for line in numeric_column(units, col)[1][:5]:
                problems.append(Problem(csv_name, line, col, _("value is not a number but the column is named in "
                                                               "[pilots.balance]"),
                                        _("write a number in every row, or remove the column from [pilots.balance] columns")))
    if settings.mentor_column is not None and settings.mentor_column in units.columns:
        problems += check_after(units, csv_name, settings.mentor_column)
    problems += check_funds(units, settings, csv_name, toml_name, locator)
    return problems


def check_key_text(units: pd.DataFrame, settings: Settings, csv_name: str) -> list[Problem]:
    """The values of every column a rule groups by or names units with ([pilots] cover, max_share,
    [capacity.by], [fairness], [mentors], fund eligibility) hold no invisible character: a region
    'North' with a zero-width space would be a seventh region that needs its own pilot. (Control
    and bidi characters in any cell are refused when the CSV is read.)"""
    columns = [*settings.cover, *settings.max_share, *settings.capacity_by, settings.fairness_column,
               settings.mentors_column, settings.mentor_column, *(c for f in settings.funds for c in f.eligible)]
    problems = []
    for col in dict.fromkeys(c for c in columns if c is not None and c in units.columns and c not in KEY_COLUMNS):
        for line, value in units[col].items():
            text = value if isinstance(value, str) else ""
            why = text_problem(text)
            if why and not text_problem(text, strict=False):
                problems.append(Problem(csv_name, int(line), col, _("value {why}", why=why),
                                        _("retype the value without it, e.g. {text}", text=escaped(visible(text)))))
    return problems


def check_funds(units: pd.DataFrame, settings: Settings, csv_name: str, toml_name: str, locator: Locator) -> list[Problem]:
    """[[funds]] eligibility columns exist, and every unit to schedule has a fund that may pay for it."""
    if not settings.funds:
        return []
    problems = []
    for index, fund in enumerate(settings.funds):
        for col in fund.eligible:
            if col not in units.columns:
                close = difflib.get_close_matches(col, list(units.columns), n=1, cutoff=0.5)
                problems.append(Problem(toml_name, locator.line_of_array("funds", index, "eligible"), "[[funds]] eligible",
                                        _("column '{column}' of fund '{fund}' is not a column of {csv}", column=col,
                                          fund=fund.name, csv=csv_name),
                                        _("did you mean '{name}'?", name=close[0]) if close else _("name a column of the CSV")))
    if problems:
        return problems
    for line, unit in units[~units["done"]].iterrows():
        if not any(fund.pays_for(unit) for fund in settings.funds):
            problems.append(Problem(csv_name, int(line), None, _("unit {unit} is eligible for no fund", unit=unit["unit_id"]),
                                    _("add a fund without 'eligible' (a central fund) or widen a fund's eligible values")))
    return problems


def check_budget_years(settings: Settings, toml_name: str) -> list[Problem]:
    missing = [y for y in settings.years if y not in settings.budget]
    if not missing:
        return []
    return [Problem(toml_name, None, "[budget]", _("no budget for fiscal year {years}", years=", ".join(map(str, missing))),
                    _("add a line such as {year} = 100_000_000 under [budget], or pass --budget {year}=BAHT", year=missing[0]))]


def check_pilot_limits(units: pd.DataFrame | None, settings: Settings, toml_name: str) -> list[Problem]:
    if settings.pilots_max is not None and settings.pilots_min > settings.pilots_max:
        return [Problem(toml_name, None, "[pilots] min",
                        _("min = {min} is greater than max = {max}", min=settings.pilots_min, max=settings.pilots_max),
                        _("make min <= max (or pass --pilots MIN:MAX)"))]
    return []


# ---------------------------------------------------------------------------------------------
# The cost columns of docs/costs.md: cost_y0.., profile, cost_<category>, running_cost


def cost_year_columns(units: pd.DataFrame) -> list[str]:
    """The units' per-year cost columns (cost_y0, cost_y1...), in the order of their years."""
    return sorted((c for c in units.columns if re.fullmatch(COST_YEARS_COLUMN, c)), key=lambda c: int(c[6:]))


def check_costs(units: pd.DataFrame, settings: Settings, csv_name: str) -> list[Problem]:
    """Every rule of the cost columns, each by its own check_*."""
    return (check_cost_years(units, csv_name) + check_profile_names(units, settings, csv_name)
            + check_category_parts(units, settings, csv_name) + check_running_costs(units, csv_name))


def _amounts(units: pd.DataFrame, column: str, csv_name: str, problems: list[Problem]) -> pd.Series:
    """A cost column as baht (empty cells 0); each cell that is not baht from 0 to MAX_BAHT is a problem."""
    values = []
    for line, text in units[column].items():
        text = "" if text is None or (isinstance(text, float) and math.isnan(text)) else str(text).strip()
        value, reason = parse_number(text) if text else (0.0, None)
        if reason is None and amount_problem(value) is not None:
            reason = _("is not baht from 0 to {most}", most=baht(MAX_BAHT))
        if reason:
            problems.append(Problem(csv_name, int(line), column, _("value {reason}", reason=reason),
                                    _("write an amount in baht such as 1200000, or leave the cell empty")))
            value = 0.0
        values.append(float(value))
    return pd.Series(values, index=units.index, dtype=float)


def check_cost_years(units: pd.DataFrame, csv_name: str) -> list[Problem]:
    """A unit's cost_y0, cost_y1... (when any is filled) are amounts >= 0 that add up to its cost."""
    columns = cost_year_columns(units)
    if not columns:
        return []
    problems: list[Problem] = []
    given = pd.concat([units[c].astype(str).str.strip().replace("nan", "") != "" for c in columns], axis=1).any(axis=1)
    total = sum(_amounts(units, c, csv_name, problems) for c in columns)
    for line in units.index[given & ~units["done"]]:
        cost = float(units.at[line, "cost"])
        if not math.isnan(cost) and abs(total[line] - cost) > 0.5 + 1e-9 * cost:
            problems.append(Problem(csv_name, int(line), columns[0],
                                    _("{columns} add up to {total} but the cost is {cost}", columns=", ".join(columns),
                                      total=baht(total[line]), cost=baht(cost)),
                                    _("make the years' amounts add up to the cost, or empty them to use a profile")))
    return problems


def check_profile_names(units: pd.DataFrame, settings: Settings, csv_name: str) -> list[Problem]:
    """A unit's `profile` names a profile of [costs.profiles] (or is empty)."""
    if "profile" not in units.columns:
        return []
    problems = []
    for line, name in units["profile"].items():
        name = "" if not isinstance(name, str) else name.strip()
        if name and name not in settings.profiles:
            close = difflib.get_close_matches(name, list(settings.profiles), n=1, cutoff=0.5)
            problems.append(Problem(csv_name, int(line), "profile",
                                    _("'{name}' is not a profile of [costs.profiles]", name=name),
                                    _("did you mean '{close}'?", close=close[0]) if close
                                    else _("add {name} = [0.6, 0.4] under [costs.profiles], or empty the cell", name=name)))
    return problems


def check_category_parts(units: pd.DataFrame, settings: Settings, csv_name: str) -> list[Problem]:
    """The cost_<category> parts of a unit are amounts >= 0 that add up to at most its cost."""
    columns = [c.column for c in settings.categories if c.column in units.columns]
    if not columns:
        return []
    problems: list[Problem] = []
    total = sum(_amounts(units, c, csv_name, problems) for c in columns)
    for line in units.index[~units["done"]]:
        cost = float(units.at[line, "cost"])
        if not math.isnan(cost) and total[line] > cost + 0.5 + 1e-9 * cost:
            problems.append(Problem(csv_name, int(line), columns[0],
                                    _("{columns} add up to {total}, more than the cost of {cost}", columns=", ".join(columns),
                                      total=baht(total[line]), cost=baht(cost)),
                                    _("make the categories' parts add up to at most the cost")))
    return problems


def check_running_costs(units: pd.DataFrame, csv_name: str) -> list[Problem]:
    """A unit's running_cost is an amount of baht a year >= 0 (or empty)."""
    if "running_cost" not in units.columns:
        return []
    problems: list[Problem] = []
    _amounts(units, "running_cost", csv_name, problems)
    return problems
