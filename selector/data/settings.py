"""The rules of a scenario: read from TOML, defaulted, validated, frozen.

Every key is listed in ``selector.fields.SETTINGS``. An unknown key is an error that suggests the
nearest valid key; a wrong type names the line of the TOML file where the key stands.
"""

from __future__ import annotations

import datetime as dt
import difflib
import math
import re
import tomllib
from dataclasses import dataclass, field, replace
from pathlib import Path
from types import MappingProxyType
from typing import Any, Mapping

from selector.data.csvfiles import nfc, number_problem, read_input_bytes, shown
from selector.data.indicators import MONITORING_KEYS, Monitoring, parse_indicators
from selector.data.weights import WeightSpec, direct_spec, parse_weight_set
from selector.errors import Problem
from selector.fields import CRITERIA, DEFAULT_PILOT_WEIGHTS, DEFAULT_ROLLOUT_WEIGHTS
from selector.i18n import _

SOLVERS = ("highs", "cbc")
COVERAGES = ("all", "best-effort")
MAX_BAHT = 1e12
"""Largest yearly budget, and unit cost, accepted: a trillion baht (about a third of Thailand's national budget)."""

MAX_EMPHASIS = 1_000_000
"""Largest [objective] pilot_emphasis: beyond it the pilot term drowns the rollout term in rounding
(1e308 made HiGHS stop with status Unknown)."""

_SECTIONS: dict[str, tuple[str, ...]] = {
    "horizon": ("first_year", "last_year"),
    "plan": ("coverage",),
    "budget": (),  # keys are fiscal years
    "pilots": ("min", "max", "max_mean_risk", "cover", "balance", "max_share"),
    "capacity": ("max_units_per_year", "max_units", "by"),
    "fairness": ("column", "min_per_year", "max_completion_gap"),
    "mentors": ("column", "lag", "max_mentors", "mentor_column"),
    "criteria": ("scale", "cost_type"),
    "weights": ("pilot", "rollout"),
    "objective": ("pilot_emphasis",),
    "solver": ("name", "time_limit", "gap"),
    "replan": ("stability", "later_factor"),
    "monitoring": MONITORING_KEYS,  # with [[indicators]]: selector.data.indicators
    "report": ("title", "department", "prepared_by", "date", "font"),
    "costs": ("profile", "pilot_profile", "profiles", "after_horizon", "running_category"),
}
AFTER_HORIZON = ("refuse", "charge")
MAX_PROFILE_YEARS = 10  # cost_y0..cost_y9
_BALANCE_KEYS = ("columns", "tolerance")
_GROUP_CAPACITY_KEYS = ("max_per_year",)
DEFAULT_BALANCE_TOLERANCE = 0.25


@dataclass(frozen=True)
class Fund:
    """A funding pool: baht per fiscal year (0 in years not named) and the units it may pay for.

    ``eligible`` maps a column to the values it accepts (every condition must hold); empty: every unit.
    """

    name: str
    amounts: Mapping[int, float]
    eligible: Mapping[str, tuple[str, ...]] = field(default_factory=lambda: MappingProxyType({}))

    def pays_for(self, unit: Mapping[str, Any]) -> bool:
        return all(str(unit[col]) in values for col, values in self.eligible.items())

    def __reduce__(self):
        # MappingProxyType does not pickle (robustness sends settings to worker processes).
        return (_fund_from_plain, (self.name, dict(self.amounts), dict(self.eligible)))


def _fund_from_plain(name: str, amounts: dict, eligible: dict) -> "Fund":
    return Fund(name, MappingProxyType(amounts), MappingProxyType(eligible))


DEFAULT_FONT = "TH Sarabun New"  # the font of Thai official documents; the office suite falls back as usual


@dataclass(frozen=True)
class ReportInfo:
    """``[report]``: what the workbook, the report and the charts print on the plan (all optional)."""

    title: str | None = None
    department: str | None = None
    prepared_by: str | None = None
    date: dt.date | None = None
    font: str = DEFAULT_FONT

    def to_dict(self) -> dict[str, Any]:
        return {"title": self.title, "department": self.department, "prepared_by": self.prepared_by,
                "date": self.date.isoformat() if self.date else None, "font": self.font}


def _parse_report(data: Mapping[str, Any], bad) -> ReportInfo:
    """``[report]`` title, department, prepared_by (text), date (a TOML date or "YYYY-MM-DD") and font."""
    content = data.get("report")
    if not isinstance(content, dict):
        return ReportInfo()
    values: dict[str, Any] = {}
    for key in ("title", "department", "prepared_by", "font"):
        if key in content:
            value = content[key]
            if not isinstance(value, str) or not value.strip():
                bad("report", key, _("{key} = {value} is not a text", key=key, value=repr(value)),
                    _('write it in quotes, e.g. {key} = "..."', key=key))
            else:
                values[key] = value.strip()
    if "date" in content:
        value = content["date"]
        if isinstance(value, str):
            try:
                value = dt.date.fromisoformat(value.strip())
            except ValueError:
                pass
        if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
            values["date"] = value
        else:
            bad("report", "date", _("date = {value} is not a date", value=repr(content["date"])),
                _("write e.g. date = 2012-09-30"))
    return ReportInfo(**values)


@dataclass(frozen=True)
class Category:
    """A budget category (``[budget.<name>]``): its ceiling in baht per fiscal year, and the optional
    profile of its part of each unit's cost (empty: the default one). See docs/costs.md."""

    name: str
    amounts: Mapping[int, float]
    profile: tuple[float, ...] = ()

    @property
    def column(self) -> str:
        """The units' column holding each unit's part of its cost in this category."""
        return f"cost_{self.name}"

    def __reduce__(self):
        return (_category_from_plain, (self.name, dict(self.amounts), self.profile))


def _category_from_plain(name: str, amounts: dict, profile: tuple[float, ...]) -> "Category":
    return Category(name, MappingProxyType(amounts), profile)


@dataclass(frozen=True)
class Settings:
    """The resolved rules of one scenario. Immutable: change with ``dataclasses.replace``."""

    first_year: int = 2555
    last_year: int = 2558
    coverage: str = "all"  # "all": every unit by the last year; "best-effort": as many as the rules allow
    budget: Mapping[int, float] = field(default_factory=lambda: MappingProxyType({}))
    pilots_min: int = 1
    pilots_max: int | None = None  # None: ceil(10% of the units to schedule), resolved by the Scenario
    max_mean_risk: float | None = None
    cover: tuple[str, ...] = ("region",)
    max_units_per_year: int | None = None
    # The planning rules of issue 9, all off by default (see selector/model.py for their math).
    balance_columns: tuple[str, ...] = ()
    balance_tolerance: float = DEFAULT_BALANCE_TOLERANCE
    max_share: Mapping[str, float] = field(default_factory=lambda: MappingProxyType({}))
    max_units: Mapping[int, int] = field(default_factory=lambda: MappingProxyType({}))
    capacity_by: Mapping[str, int] = field(default_factory=lambda: MappingProxyType({}))
    fairness_column: str | None = None
    fairness_min_per_year: int | None = None
    fairness_max_completion_gap: int | None = None
    mentors_column: str | None = None
    mentors_lag: int = 1
    mentors_max_mentors: int = 1
    mentor_column: str | None = None
    funds: tuple[Fund, ...] = ()
    # Costs over fiscal years (docs/costs.md), all off by default: [costs], [budget] after, [budget.<category>].
    cost_profile: tuple[float, ...] = ()  # () = [1.0]: the whole cost in the upgrade year
    pilot_profile: tuple[float, ...] = ()  # () = as the other units
    profiles: Mapping[str, tuple[float, ...]] = field(default_factory=lambda: MappingProxyType({}))
    after_horizon: str = "refuse"
    budget_after: float | None = None
    categories: tuple[Category, ...] = ()
    running_category: str | None = None
    scale: tuple[float, float] = (1.0, 5.0)
    cost_type: tuple[str, ...] = ("risk",)
    pilot_weights: Mapping[str, float] = field(default_factory=lambda: MappingProxyType(dict(DEFAULT_PILOT_WEIGHTS)))
    rollout_weights: Mapping[str, float] = field(default_factory=lambda: MappingProxyType(dict(DEFAULT_ROLLOUT_WEIGHTS)))
    pilot_emphasis: float = 1.0
    solver: str = "highs"
    time_limit: float = 60.0
    gap: float = 1e-4
    stability: float = 1.0  # [replan] objective points lost per unit-year moved from the baseline
    later_factor: float = 2.0  # [replan] a year later costs later_factor x a year earlier
    report: ReportInfo = field(default_factory=ReportInfo)  # [report]: title, department... of the submission
    # How each weight set was written (direct, rank, ahp) and resolved; see selector.data.weights.
    weight_specs: Mapping[str, WeightSpec] = field(default_factory=lambda: MappingProxyType({
        "pilot": direct_spec("pilot", DEFAULT_PILOT_WEIGHTS), "rollout": direct_spec("rollout", DEFAULT_ROLLOUT_WEIGHTS)}))
    monitoring: Monitoring = field(default_factory=Monitoring)  # [[indicators]] and [monitoring]: the OPDC scorecard

    def weight_spec(self, kind: str) -> WeightSpec:
        """The spec of a weight set; a direct one when the weights were replaced by hand (``with_settings``)."""
        current = self.pilot_weights if kind == "pilot" else self.rollout_weights
        spec = self.weight_specs.get(kind)
        if spec is None or dict(spec.weights) != dict(current):
            return direct_spec(kind, current)
        return spec

    def __reduce__(self):
        # MappingProxyType does not pickle: send plain dicts and freeze again (robustness workers need this).
        plain = {f: getattr(self, f) for f in self.__dataclass_fields__}
        for f in ("budget", "pilot_weights", "rollout_weights", "weight_specs", "max_share", "max_units", "capacity_by",
                  "profiles"):
            plain[f] = dict(plain[f])
        return (_settings_from_plain, (plain,))

    @property
    def years(self) -> tuple[int, ...]:
        return tuple(range(self.first_year, self.last_year + 1))

    def to_dict(self) -> dict[str, Any]:
        """Plain, JSON-ready form, in the TOML's own layout ([fairness], [mentors] and [[funds]] only when on)."""
        return {
            "horizon": {"first_year": self.first_year, "last_year": self.last_year},
            "plan": {"coverage": self.coverage},
            "budget": {**{str(y): self.budget[y] for y in sorted(self.budget)}, **self._categories_dict()},
            "pilots": {
                "min": self.pilots_min,
                "max": self.pilots_max,
                "max_mean_risk": self.max_mean_risk,
                "cover": list(self.cover),
                "balance": {"columns": list(self.balance_columns), "tolerance": self.balance_tolerance},
                "max_share": dict(self.max_share),
            },
            "capacity": {
                "max_units_per_year": self.max_units_per_year,
                "max_units": {str(y): self.max_units[y] for y in sorted(self.max_units)},
                "by": {col: {"max_per_year": cap} for col, cap in self.capacity_by.items()},
            },
            **({"fairness": {"column": self.fairness_column, "min_per_year": self.fairness_min_per_year,
                             "max_completion_gap": self.fairness_max_completion_gap}}
               if self.fairness_column is not None else {}),
            **({"mentors": {"column": self.mentors_column, "lag": self.mentors_lag,
                            "max_mentors": self.mentors_max_mentors, "mentor_column": self.mentor_column}}
               if self.mentors_column is not None or self.mentor_column is not None else {}),
            **({"funds": [{"name": f.name, "amounts": {str(y): f.amounts[y] for y in sorted(f.amounts)},
                           "eligible": {c: list(v) for c, v in f.eligible.items()}} for f in self.funds]}
               if self.funds else {}),
            **self._costs_dict(),
            "criteria": {"scale": list(self.scale), "cost_type": list(self.cost_type)},
            "weights": {k: self.weight_spec(k).to_toml() for k in ("pilot", "rollout")},
            "objective": {"pilot_emphasis": self.pilot_emphasis},
            "solver": {"name": self.solver, "time_limit": self.time_limit, "gap": self.gap},
            "replan": {"stability": self.stability, "later_factor": self.later_factor},
            **(self.monitoring.to_dict() if self.monitoring.indicators else {}),
            **({"report": self.report.to_dict()} if self.report != ReportInfo() else {}),
        }

    @property
    def costs_on(self) -> bool:
        """Is any rule of docs/costs.md set in the TOML (the units' cost columns are read in any case)?"""
        return bool(self.cost_profile or self.pilot_profile or self.profiles or self.categories
                    or self.budget_after is not None or self.after_horizon != "refuse")

    def _categories_dict(self) -> dict[str, Any]:
        """[budget] after and the [budget.<category>] tables, in the TOML's layout (nothing when off)."""
        out: dict[str, Any] = {} if self.budget_after is None else {"after": self.budget_after}
        for c in self.categories:
            out[c.name] = {**{str(y): c.amounts[y] for y in sorted(c.amounts)},
                           **({"profile": list(c.profile)} if c.profile else {})}
        return out

    def _costs_dict(self) -> dict[str, Any]:
        """The [costs] section in the TOML's layout, only when one of its keys is set."""
        costs: dict[str, Any] = {}
        if self.cost_profile:
            costs["profile"] = list(self.cost_profile)
        if self.pilot_profile:
            costs["pilot_profile"] = list(self.pilot_profile)
        if self.profiles:
            costs["profiles"] = {k: list(v) for k, v in self.profiles.items()}
        if self.after_horizon != "refuse":
            costs["after_horizon"] = self.after_horizon
        if self.running_category is not None:
            costs["running_category"] = self.running_category
        return {"costs": costs} if costs else {}


def amount_problem(amount: Any) -> str | None:
    """Why ``amount`` is not a budget in baht (None when it is one): the one rule for every budget.

    A budget is a finite number from 0 to ``MAX_BAHT``, wherever it comes from: the TOML's
    ``[budget]`` and fund amounts, ``--budget``, ``Scenario.with_(budget=...)`` and
    ``replan(budget=...)``. Returns ``"not an amount"`` or ``"over the limit"``; each caller words
    the message for its own input.
    """
    if isinstance(amount, bool) or not isinstance(amount, (int, float)):
        return "not an amount"
    if isinstance(amount, int):  # exact: a TOML integer may have more digits than a float can hold
        return "not an amount" if amount < 0 else "over the limit" if amount > MAX_BAHT else None
    if not math.isfinite(amount) or amount < 0:
        return "not an amount"
    if amount > MAX_BAHT:
        return "over the limit"
    return None


def baht(amount: float) -> str:
    """An amount for a message: '1,200,000 baht', or '1.2e+300 baht' when too long to read."""
    return _("{amount} baht", amount=f"{amount:,.0f}" if abs(amount) < 1e15 else f"{amount:.3g}")


def _settings_from_plain(plain: dict[str, Any]) -> Settings:
    return freeze(Settings(**plain))


def freeze(settings: Settings) -> Settings:
    return replace(
        settings,
        budget=MappingProxyType(dict(settings.budget)),
        pilot_weights=MappingProxyType(dict(settings.pilot_weights)),
        rollout_weights=MappingProxyType(dict(settings.rollout_weights)),
        max_share=MappingProxyType(dict(settings.max_share)),
        max_units=MappingProxyType(dict(settings.max_units)),
        capacity_by=MappingProxyType(dict(settings.capacity_by)),
        weight_specs=MappingProxyType(dict(settings.weight_specs)),
        profiles=MappingProxyType(dict(settings.profiles)),
    )


class Locator:
    """Finds the line of a key in a TOML text, so messages can point at it."""

    def __init__(self, text: str):
        self.lines = text.splitlines()

    def line_of(self, section: str, key: str | None = None) -> int | None:
        """The line of ``key`` in ``[section]`` (or of the section's header); a dotted section such as
        ``capacity.by`` written inline (``by = {...}`` under ``[capacity]``) is found through its parent."""
        found = self._line_of(section, key)
        if found is None and "." in section:
            parent, _sep, child = section.rpartition(".")
            found = self._line_of(parent, child)
        return found

    def line_of_array(self, section: str, index: int, key: str | None = None) -> int | None:
        """The line of ``key`` in the index-th ``[[section]]`` table (or of its header)."""
        header = re.compile(rf"^\s*\[\[\s*{re.escape(section)}\s*\]\]")
        count, start = -1, None
        for number, raw in enumerate(self.lines, start=1):
            if header.match(raw):
                count += 1
                if count == index:
                    start = number
                elif count > index:
                    break
                continue
            if start is not None and re.match(r"^\s*\[", raw):
                break
            if start is not None and key is not None and re.match(rf"^\s*\"?{re.escape(key)}\"?\s*=", raw):
                return number
        return start

    def _line_of(self, section: str, key: str | None) -> int | None:
        current = None
        header = re.compile(r"^\s*\[\s*([^\]]+?)\s*\]")
        section_line = None
        for number, raw in enumerate(self.lines, start=1):
            m = header.match(raw)
            if m:
                current = m.group(1).replace('"', "").replace(" ", "")
                if current == section and section_line is None:
                    section_line = number
                continue
            if key is not None and current == section:
                if re.match(rf"^\s*\"?{re.escape(key)}\"?\s*=", raw):
                    return number
            if key is None and current is None and section_line is None and re.match(rf"^\s*{re.escape(section)}\s*=", raw):
                section_line = number  # a section written as a plain key (horizon = 2556)
        return section_line


def suggest(word: str, options) -> str:
    close = difflib.get_close_matches(word, list(options), n=1, cutoff=0.5)
    if close:
        return _("did you mean '{name}'?", name=close[0])
    return _("valid keys: {keys}", keys=", ".join(sorted(options)))


def load_settings(path: Path | None, display: str | None = None) -> tuple[Settings, list[Problem]]:
    """Read a settings TOML (or the defaults when ``path`` is None).

    Returns the settings and every problem found; the caller raises them together with the CSV's.
    """
    if path is None:
        return freeze(Settings()), []
    name = display or str(path)
    raw_bytes, problems = read_input_bytes(path, name)
    if raw_bytes is None:
        return freeze(Settings()), problems
    try:
        text = raw_bytes.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw_bytes[: exc.start].count(b"\n") + 1
        return freeze(Settings()), [Problem(name, line, None, _("is not UTF-8 text (perhaps Thai Windows cp874 / TIS-620)"),
                                             _("save the file as UTF-8 (in Notepad: Save As, Encoding UTF-8)"))]
    try:
        data = tomllib.loads(text)
    except RecursionError:  # tomllib reads nested arrays and tables by recursion
        return freeze(Settings()), [Problem(name, None, None, _("is nested too deeply to be settings (tables or arrays "
                                                                "inside each other hundreds of levels deep)"),
                                            _("write the settings as the sections of docs/scenario-format.md"))]
    except tomllib.TOMLDecodeError as exc:
        grouped = comma_number_problems(text, name)
        if grouped:
            return freeze(Settings()), grouped
        m = re.search(r"line (\d+)", str(exc))
        return freeze(Settings()), [
            Problem(name, int(m.group(1)) if m else None, None, _("is not valid TOML ({reason})", reason=exc),
                    _("correct the TOML syntax (key = value, [section], text in quotes)"))
        ]
    return parse_settings(data, name, Locator(text))


_COMMA_NUMBER = re.compile(r'^\s*("?[\w.\-]+"?)\s*=\s*([+-]?\d{1,3}(?:,\d{3})+(?:\.\d+)?)\s*(#.*)?$')


def comma_number_problems(text: str, name: str) -> list[Problem]:
    """Every ``2567 = 5,000,000`` of a TOML text: TOML refuses comma thousands (the CSV and --budget accept them)."""
    problems = []
    for number, line in enumerate(text.splitlines(), start=1):
        m = _COMMA_NUMBER.match(line)
        if m:
            key, amount = m.group(1), m.group(2)
            problems.append(Problem(name, number, None,
                                    _("'{text}': a TOML number cannot have commas", text=f"{key} = {amount}"),
                                    _("write {key} = {fixed} (TOML groups digits with _)", key=key,
                                      fixed=amount.replace(",", "_"))))
    return problems


def christian_era(value: Any) -> bool:
    """True when ``value`` is a whole number that reads as a Christian-Era year (1900-2200), not a B.E. one."""
    return isinstance(value, int) and not isinstance(value, bool) and 1900 <= value <= 2200


MAX_DEPTH = 6
"""The deepest nesting of tables and arrays any setting needs ([[funds]] eligible lists are 4 deep)."""


def screen_numbers(data: Mapping[str, Any], name: str, loc: Locator, problems: list[Problem]) -> dict[str, Any]:
    """A copy of the parsed TOML without the values no setting can hold, each reported once; keys
    and texts in Unicode normal form C (as the CSV's cells, so a Thai column name matches).

    Every number anywhere in the file goes through ``number_problem`` first (finite, at most
    ``MAX_MAGNITUDE`` in size: no nan, inf, 1e400 or 400-digit integer reaches the arithmetic that
    would overflow on it), and nesting deeper than ``MAX_DEPTH`` is refused. A key holding such a
    value is dropped, so the key-by-key validation that follows never sees it (and does not report
    it again as missing or of the wrong type: loading fails on the problem reported here).
    """

    def place(path: tuple) -> tuple[str, str | None, int | None]:
        keys = [str(k) for k in path if not isinstance(k, int)]
        section, key = (".".join(keys[:-1]), keys[-1]) if len(keys) > 1 else (keys[0] if keys else "", None)
        if path and path[0] == "funds" and len(path) > 1 and isinstance(path[1], int):
            return "[[funds]] " + ".".join(keys[1:]), key, loc.line_of_array("funds", path[1], keys[1] if len(keys) > 1 else None)
        return (f"[{section}] {key}" if key else f"[{section}]"), key, loc.line_of(section, key)

    def report(path: tuple, message: str, fix: str) -> None:
        column, _key, line = place(path)
        problems.append(Problem(name, line, column, message, fix))

    def bad_number(value: Any) -> str | None:
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            return number_problem(value)
        return None

    def clean(value: Any, path: tuple, depth: int) -> tuple[bool, Any]:
        if depth > MAX_DEPTH and isinstance(value, (dict, list)):
            key = next((k for k in reversed(path) if isinstance(k, str)), "")
            report(path, _("{key} is nested {depth} levels deep; no setting is", key=shown(key), depth=depth),
                   _("write the value as in docs/scenario-format.md"))
            return False, None
        if isinstance(value, str):
            return True, nfc(value)
        if isinstance(value, dict):
            return True, {nfc(k): v for k, (keep, v) in ((k, clean(v, (*path, k), depth + 1)) for k, v in value.items())
                          if keep}
        if isinstance(value, list):
            for item in value:
                why = bad_number(item)
                if why is not None:
                    report(path, _("{key} = [... {value} ...]: {value} {why}", key=shown(path[-1]), value=shown(item), why=why),
                           _("write finite numbers of a sensible size"))
                    return False, None
            kept = [clean(item, (*path, i), depth + 1) for i, item in enumerate(value)]
            return all(keep for keep, _v in kept), [v for _k, v in kept]
        why = bad_number(value)
        if why is not None:
            report(path, _("{key} = {value} {why}", key=shown(path[-1]), value=shown(value), why=why),
                   _("write a finite number of a sensible size"))
            return False, None
        return True, value

    return clean(dict(data), (), 0)[1]


def parse_settings(data: Mapping[str, Any], name: str = "<settings>", locator: Locator | None = None) -> tuple[Settings, list[Problem]]:
    """Validate a parsed TOML mapping into ``Settings``; collect every problem."""
    loc = locator or Locator("")
    problems: list[Problem] = []
    values: dict[str, Any] = {}
    data = screen_numbers(data, name, loc, problems)

    def bad(section: str, key: str | None, message: str, fix: str) -> None:
        problems.append(Problem(name, loc.line_of(section, key), f"[{section}] {key}" if key else f"[{section}]", message, fix))

    for section, content in data.items():
        if section in ("funds", "indicators"):
            continue  # arrays of tables, read by _parse_funds and parse_indicators
        if section not in _SECTIONS:
            problems.append(Problem(name, loc.line_of(section), f"[{section}]", _("unknown section [{section}]", section=section),
                                    suggest(section, (*_SECTIONS, "funds", "indicators"))))
            continue
        if not isinstance(content, dict):
            bad(section, None, _("[{section}] must be a table", section=section),
                _("write it as a [{section}] section", section=section))
            continue
        if section in ("budget", "weights"):
            continue
        for key in content:
            if key not in _SECTIONS[section]:
                bad(section, key, _("unknown key '{key}' in [{section}]", key=key, section=section),
                    suggest(key, _SECTIONS[section]))

    def get(section: str, key: str, kinds, check=None, fix: str = "") -> Any:
        content = data.get(section)
        if not isinstance(content, dict) or key not in content:
            return None
        value = content[key]
        if isinstance(value, bool) or not isinstance(value, kinds):
            bad(section, key, _("{key} = {value} has the wrong type", key=key, value=repr(value)), fix)
            return None
        if check is not None and not check(value):
            message = (_("{key} = {value} is out of range", key=key, value=repr(value)) if isinstance(value, (int, float))
                       else _("{key} = {value} is not allowed", key=key, value=repr(value)))
            bad(section, key, message, fix)
            return None
        return value

    def be_year(example: int) -> str:
        given = [data["horizon"].get(k) for k in ("first_year", "last_year")] if isinstance(data.get("horizon"), dict) else []
        if any(isinstance(v, int) and not isinstance(v, bool) and 1900 <= v <= 2200 for v in given):
            return _("a Buddhist-Era fiscal year such as {example} (B.E. = C.E. + 543)", example=example)
        return _("a Buddhist-Era fiscal year such as {example}", example=example)

    horizon = data.get("horizon") if isinstance(data.get("horizon"), dict) else {}
    for key in ("first_year", "last_year"):
        if christian_era(horizon.get(key)):
            # Reported once with its fix, then read as the B.E. year the planner meant: nothing else follows from it.
            year = horizon[key]
            bad("horizon", key, _("{key} = {year} is a Christian-Era year", key=key, year=year),
                _("write the Buddhist-Era year: {key} = {be} (B.E. = C.E. + 543)", key=key, be=year + 543))
            horizon = {**horizon, key: year + 543}
            data = {**data, "horizon": horizon}
    first = get("horizon", "first_year", int, lambda v: 2400 <= v <= 2700, be_year(2555))
    last = get("horizon", "last_year", int, lambda v: 2400 <= v <= 2700, be_year(2558))
    values["first_year"] = first if first is not None else Settings.first_year
    values["last_year"] = last if last is not None else Settings.last_year
    if values["first_year"] > values["last_year"]:
        bad("horizon", "first_year", _("first_year {first} is after last_year {last}", first=values["first_year"],
                                       last=values["last_year"]), _("make first_year <= last_year"))
    years = range(values["first_year"], values["last_year"] + 1)
    coverage = get("plan", "coverage", str, lambda v: v in COVERAGES, _('"all" or "best-effort"'))
    values["coverage"] = coverage if coverage is not None else "all"

    budget: dict[int, float] = {}
    raw_budget = data.get("budget", {})
    if isinstance(raw_budget, dict):
        for key, amount in raw_budget.items():
            if key == "after" or isinstance(amount, dict):
                continue  # [budget] after and the [budget.<category>] tables: read by _parse_costs
            if not re.fullmatch(r"\d{4}", str(key)):
                bad("budget", key, _("budget key '{key}' is not a fiscal year", key=key),
                    _("write one line per year, e.g. 2556 = 120_000_000"))
                continue
            year = int(key)
            if christian_era(year):
                shown = f"{amount:_}" if isinstance(amount, int) and not isinstance(amount, bool) else repr(amount)
                bad("budget", key, _("budget year {year} is a Christian-Era year", year=year),
                    _("write the Buddhist-Era year: {be} = {amount} (B.E. = C.E. + 543)", be=year + 543, amount=shown))
                budget[year + 543] = 0.0  # stands in for the year meant: it is not "missing" as well
                continue
            if year not in years and years:  # (an empty horizon is reported once, above)
                bad("budget", key, _("budget year {year} is outside the horizon {first}-{last}", year=year,
                                     first=values["first_year"], last=values["last_year"]),
                    _("remove it or widen [horizon]"))
                continue
            if year not in years:
                continue
            why = amount_problem(amount)
            if why == "not an amount":
                bad("budget", key, _("budget {key} = {amount} is not an amount of baht >= 0", key=key, amount=repr(amount)),
                    _("write a number, e.g. 120_000_000"))
                budget[year] = 0.0  # stands in for the bad value, which is reported: the year is not "missing"
                continue
            if why == "over the limit":
                bad("budget", key, _("budget {key} = {amount} is over {limit}", key=key, amount=baht(amount),
                                     limit=baht(MAX_BAHT)), _("write the budget in baht, without stray digits"))
                budget[year] = 0.0
                continue
            budget[year] = float(amount)
    values["budget"] = budget

    pmin = get("pilots", "min", int, lambda v: v >= 0, _("a whole number >= 0"))
    pmax = get("pilots", "max", int, lambda v: v >= 0, _("a whole number >= 0"))
    values["pilots_min"] = pmin if pmin is not None else 1
    values["pilots_max"] = pmax
    values["max_mean_risk"] = get("pilots", "max_mean_risk", (int, float), math.isfinite, _("a number on the risk scale"))
    cover = get("pilots", "cover", list, lambda v: all(isinstance(c, str) for c in v), _("a list of column names, e.g. [\"region\"]"))
    values["cover"] = tuple(cover) if cover is not None else ("region",)
    values["max_units_per_year"] = get("capacity", "max_units_per_year", int, lambda v: v >= 1, _("a whole number >= 1"))
    values.update(_parse_rules(data, bad, get, years))
    values["funds"] = _parse_funds(data.get("funds"), years, name, loc, problems)
    values["monitoring"] = parse_indicators(data.get("indicators"), data.get("monitoring"), name, loc, problems, suggest)
    values.update(_parse_costs(data, bad, years))

    scale = get("criteria", "scale", list,
                lambda v: len(v) == 2 and all(isinstance(x, (int, float)) and not isinstance(x, bool) for x in v) and v[0] < v[1],
                _("two numbers [lo, hi] with lo < hi, e.g. [1, 5]"))
    values["scale"] = (float(scale[0]), float(scale[1])) if scale is not None else (1.0, 5.0)
    cost_type = get("criteria", "cost_type", list, lambda v: all(c in CRITERIA for c in v),
                    _("a list of criteria among {criteria}", criteria=", ".join(CRITERIA)))
    values["cost_type"] = tuple(cost_type) if cost_type is not None else ("risk",)

    weights = data.get("weights", {})
    if isinstance(weights, dict):
        for key in weights:
            if key not in ("pilot", "rollout"):
                bad("weights", key, _("unknown weight set '{key}'", key=key), suggest(key, ("pilot", "rollout")))
    specs: dict[str, WeightSpec] = {}
    for kind, default in (("pilot", DEFAULT_PILOT_WEIGHTS), ("rollout", DEFAULT_ROLLOUT_WEIGHTS)):
        given = weights.get(kind) if isinstance(weights, dict) else None
        spec = None
        if given is not None and not isinstance(given, dict):
            bad(f"weights.{kind}", None, _("[weights.{kind}] must be a table of criterion = weight", kind=kind),
                _("write e.g. success = 0.3"))
        elif given is not None:
            spec = parse_weight_set(kind, given, bad, suggest)
        specs[kind] = spec or direct_spec(kind, default)
        values[f"{kind}_weights"] = dict(specs[kind].weights)
    values["weight_specs"] = specs

    emphasis = get("objective", "pilot_emphasis", (int, float), lambda v: 0 <= v <= MAX_EMPHASIS,
                   _("a number from 0 to {most:,}", most=MAX_EMPHASIS))
    values["pilot_emphasis"] = float(emphasis) if emphasis is not None else 1.0
    solver = get("solver", "name", str, lambda v: v.lower() in SOLVERS, _("\"highs\" or \"cbc\""))
    values["solver"] = solver.lower() if solver is not None else "highs"
    tl = get("solver", "time_limit", (int, float), lambda v: math.isfinite(v) and v > 0, _("seconds > 0"))
    values["time_limit"] = float(tl) if tl is not None else 60.0
    gap = get("solver", "gap", (int, float), lambda v: 0 <= v < 1, _("a fraction such as 0.0001 (= 0.01%)"))
    values["gap"] = float(gap) if gap is not None else 1e-4
    stability = get("replan", "stability", (int, float), lambda v: math.isfinite(v) and v >= 0,
                    _("a number >= 0 (objective points per unit-year moved; 0 = re-optimise freely)"))
    values["stability"] = float(stability) if stability is not None else Settings.stability
    later = get("replan", "later_factor", (int, float), lambda v: math.isfinite(v) and v > 0,
                _("a number > 0 (2 = a year later costs twice a year earlier)"))
    values["later_factor"] = float(later) if later is not None else Settings.later_factor
    values["report"] = _parse_report(data, bad)

    return freeze(Settings(**values)), problems


def _parse_rules(data: Mapping[str, Any], bad, get, years: range) -> dict[str, Any]:
    """The optional planning rules: [pilots.balance], [pilots.max_share], [capacity] max_units,
    [capacity.by], [fairness] and [mentors]. Column names are checked against the CSV later
    (``selector.data.validate.check_rule_columns``)."""
    values: dict[str, Any] = {}
    pilots = data.get("pilots") if isinstance(data.get("pilots"), dict) else {}
    capacity = data.get("capacity") if isinstance(data.get("capacity"), dict) else {}

    def table(parent: Mapping[str, Any], section: str, key: str, allowed: tuple[str, ...] | None, fix: str) -> dict:
        """A sub-table such as [pilots.balance]; unknown keys (when ``allowed`` is given) are reported."""
        given = parent.get(key)
        if given is None:
            return {}
        if not isinstance(given, dict):
            bad(section.rpartition(".")[0], key, _("{key} must be a table", key=key), fix)
            return {}
        for name in given:
            if allowed is not None and name not in allowed:
                bad(section, name, _("unknown key '{key}' in [{section}]", key=name, section=section), suggest(name, allowed))
        return given

    def number(section: str, key: str, value: Any, check, fix: str, kinds=(int, float), label: str | None = None) -> Any:
        if isinstance(value, bool) or not isinstance(value, kinds) or not check(value):
            bad(section, key, _("{key} = {value} is not valid", key=label or key, value=repr(value)), fix)
            return None
        return value

    balance = table(pilots, "pilots.balance", "balance", _BALANCE_KEYS,
                    _('write [pilots.balance] with columns = ["workload"] and tolerance = 0.25'))
    columns = balance.get("columns", [])
    if not isinstance(columns, list) or not all(isinstance(c, str) for c in columns):
        bad("pilots.balance", "columns", _("columns = {value} is not a list of column names", value=repr(columns)),
            _('write e.g. columns = ["workload", "importance"]'))
        columns = []
    values["balance_columns"] = tuple(dict.fromkeys(columns))
    tolerance = balance.get("tolerance")
    if tolerance is not None:
        tolerance = number("pilots.balance", "tolerance", tolerance, lambda v: math.isfinite(v) and v >= 0,
                           _("a number of standard deviations >= 0, e.g. 0.25"))
    values["balance_tolerance"] = float(tolerance) if tolerance is not None else DEFAULT_BALANCE_TOLERANCE

    share = table(pilots, "pilots.max_share", "max_share", None, _("write [pilots.max_share] with e.g. region = 0.34"))
    values["max_share"] = {col: float(v) for col, v in share.items()
                           if number("pilots.max_share", col, v, lambda v: 0 < v <= 1, _("a share such as 0.34 (0 < share <= 1)")) is not None}

    max_units = table(capacity, "capacity.max_units", "max_units", None, _("write max_units = {2556 = 60, 2557 = 80}"))
    values["max_units"] = {}
    for key, cap in max_units.items():
        if not re.fullmatch(r"\d{4}", str(key)) or int(key) not in years:
            bad("capacity.max_units", key, _("'{key}' is not a fiscal year of the horizon {first}-{last}", key=key,
                                             first=years[0], last=years[-1]),
                _("write one fiscal year per entry, e.g. 2556 = 60"))
        elif number("capacity.max_units", key, cap, lambda v: v >= 0, _("a whole number of units >= 0"), int) is not None:
            values["max_units"][int(key)] = cap

    by = table(capacity, "capacity.by", "by", None, _("write [capacity.by] with e.g. region = {max_per_year = 12}"))
    values["capacity_by"] = {}
    for col, rule in by.items():
        if not isinstance(rule, dict):
            bad("capacity.by", col, _("{column} must be a table such as {{max_per_year = 12}}", column=col),
                _("write e.g. region = {max_per_year = 12}"))
            continue
        for name in rule:
            if name not in _GROUP_CAPACITY_KEYS:
                bad("capacity.by", col, _("unknown key '{key}' in [capacity.by] {column}", key=name, column=col),
                    suggest(name, _GROUP_CAPACITY_KEYS))
        cap = rule.get("max_per_year")
        if cap is None:
            bad("capacity.by", col, _("{column} needs max_per_year", column=col), _("write e.g. region = {max_per_year = 12}"))
        elif number("capacity.by", col, cap, lambda v: v >= 1, _("a whole number >= 1"), int, f"{col}.max_per_year") is not None:
            values["capacity_by"][col] = cap

    values["fairness_column"] = get("fairness", "column", str, None, _('a column name, e.g. "region"'))
    values["fairness_min_per_year"] = get("fairness", "min_per_year", int, lambda v: v >= 1, _("a whole number >= 1"))
    values["fairness_max_completion_gap"] = get("fairness", "max_completion_gap", int, lambda v: v >= 0,
                                                _("a whole number of years >= 0"))
    fairness = data.get("fairness")
    if isinstance(fairness, dict) and fairness:
        if "column" not in fairness:
            bad("fairness", None, _("[fairness] needs a column"), _('write column = "region"'))
        if "min_per_year" not in fairness and "max_completion_gap" not in fairness:
            bad("fairness", None, _("[fairness] needs min_per_year or max_completion_gap (or both)"),
                _("write e.g. min_per_year = 1"))

    values["mentors_column"] = get("mentors", "column", str, None, _('a column name, e.g. "province"'))
    values["mentor_column"] = get("mentors", "mentor_column", str, None, _('a column of unit_ids, e.g. "mentor"'))
    lag = get("mentors", "lag", int, lambda v: v >= 1, _("a whole number of years >= 1"))
    values["mentors_lag"] = lag if lag is not None else 1
    most = get("mentors", "max_mentors", int, lambda v: v >= 1, _("a whole number >= 1"))
    values["mentors_max_mentors"] = most if most is not None else 1
    mentors = data.get("mentors")
    if isinstance(mentors, dict) and mentors and "column" not in mentors and "mentor_column" not in mentors:
        bad("mentors", None, _("[mentors] needs a column (groups) or a mentor_column (named mentors)"),
            _('write column = "province"'))
    return values


def profile_problem(value: Any) -> str | None:
    """Why ``value`` is not a cost profile (None when it is one): a list of 1 to MAX_PROFILE_YEARS shares
    >= 0, one per fiscal year from the upgrade year on, that add up to 1."""
    if not isinstance(value, list) or not 1 <= len(value) <= MAX_PROFILE_YEARS:
        return _("a profile is a list of 1 to {most} shares, e.g. [0.6, 0.4]", most=MAX_PROFILE_YEARS)
    if not all(isinstance(v, (int, float)) and not isinstance(v, bool) and math.isfinite(v) and v >= 0 for v in value):
        return _("every share of a profile is a number >= 0")
    if abs(sum(value) - 1) > 1e-6:
        return _("the shares add up to {total:g}, not 1", total=sum(value))
    return None


def _parse_costs(data: Mapping[str, Any], bad, years: range) -> dict[str, Any]:
    """[costs], [budget] after and the [budget.<category>] tables (docs/costs.md); every problem reported.

    Whether the units' columns fit these rules (``cost_<category>``, ``profile``...) is checked with the
    CSV (``selector.data.validate.check_costs``).
    """
    values: dict[str, Any] = {}
    costs = data.get("costs") if isinstance(data.get("costs"), dict) else {}

    def profile(section: str, key: str, raw: Any) -> tuple[float, ...]:
        if raw is None:
            return ()
        why = profile_problem(raw)
        if why is not None:
            bad(section, key, _("{key} = {value} is not a profile: {why}", key=key, value=repr(raw), why=why),
                _("write the shares of the upgrade year and the years after, adding up to 1, e.g. [0.6, 0.4]"))
            return ()
        return tuple(float(v) for v in raw)

    values["cost_profile"] = profile("costs", "profile", costs.get("profile"))
    values["pilot_profile"] = profile("costs", "pilot_profile", costs.get("pilot_profile"))
    named = costs.get("profiles", {})
    if not isinstance(named, dict):
        bad("costs", "profiles", _("profiles must be a table of name = profile"),
            _("write [costs.profiles] then e.g. building = [0.6, 0.4]"))
        named = {}
    values["profiles"] = {str(k): p for k, v in named.items() if (p := profile("costs.profiles", str(k), v))}
    after_horizon = costs.get("after_horizon", "refuse")
    if after_horizon not in AFTER_HORIZON:
        bad("costs", "after_horizon", _("after_horizon = {value} is not allowed", value=repr(after_horizon)),
            _('write "refuse" (spending must fall within the horizon) or "charge" (up to [budget] after)'))
        after_horizon = "refuse"
    values["after_horizon"] = after_horizon

    raw_budget = data.get("budget") if isinstance(data.get("budget"), dict) else {}
    after = raw_budget.get("after")
    values["budget_after"] = None
    if after is not None:
        if amount_problem(after) is not None:
            bad("budget", "after", _("after = {value} is not an amount of baht from 0 to {most}", value=repr(after),
                                     most=baht(MAX_BAHT)), _("write a number, e.g. after = 40_000_000"))
        elif after_horizon != "charge":
            bad("budget", "after", _("[budget] after is given but [costs] after_horizon is not \"charge\""),
                _('write after_horizon = "charge" under [costs], or remove after'))
        else:
            values["budget_after"] = float(after)
    if after_horizon == "charge" and after is None:
        bad("costs", "after_horizon", _('after_horizon = "charge" needs the amount [budget] after'),
            _("write e.g. after = 40_000_000 under [budget]"))

    categories = []
    for cat_name, table in raw_budget.items():
        if not isinstance(table, dict):
            continue
        section = f"budget.{cat_name}"
        if not re.fullmatch(r"[a-z][a-z0-9_]*", str(cat_name)):
            bad(section, None, _("the category name '{name}' is not plain lower-case ASCII", name=cat_name),
                _("name it with a-z, 0-9 and _, e.g. [budget.investment]: the units' column is cost_<name>"))
            continue
        amounts: dict[int, float] = {}
        for key, amount in table.items():
            if key == "profile":
                continue
            if not re.fullmatch(r"\d{4}", str(key)) or int(key) not in years:
                bad(section, key, _("'{key}' in [{section}] is not a fiscal year of the horizon {first}-{last}",
                                    key=key, section=section, first=years[0], last=years[-1]),
                    _("write one fiscal year per line, e.g. 2556 = 100_000_000, or profile = [0.6, 0.4]"))
            elif amount_problem(amount) is not None:
                bad(section, key, _("{key} = {value} is not an amount of baht from 0 to {most}", key=key,
                                    value=repr(amount), most=baht(MAX_BAHT)), _("write a number, e.g. 100_000_000"))
                amounts[int(key)] = 0.0
            else:
                amounts[int(key)] = float(amount)
        missing = [y for y in years if y not in amounts]
        if missing:
            bad(section, None, _("category {name} has no ceiling for fiscal year {years}", name=cat_name,
                                 years=", ".join(map(str, missing))),
                _("add a line such as {year} = 100_000_000 under [{section}]", year=missing[0], section=section))
        categories.append(Category(str(cat_name), MappingProxyType(amounts),
                                   profile(section, "profile", table.get("profile"))))
    values["categories"] = tuple(categories)
    running = costs.get("running_category")
    values["running_category"] = None
    if running is not None:
        if running not in [c.name for c in categories]:
            bad("costs", "running_category", _("running_category = {value} is not a [budget.<category>]",
                                               value=repr(running)),
                _("did you mean '{name}'?", name=close[0]) if (close := difflib.get_close_matches(
                    str(running), [c.name for c in categories], n=1, cutoff=0.5))
                else _("name one of the categories ({names}), or add a [budget.{name}] table",
                       names=", ".join(c.name for c in categories) or _("none yet"), name=running))
        else:
            values["running_category"] = running
    return values


_FUND_KEYS = ("name", "amounts", "eligible")


def _parse_funds(raw: Any, years: range, name: str, loc: "Locator", problems: list[Problem]) -> tuple[Fund, ...]:
    """``[[funds]]``: name, amounts = {year = baht}, eligible = {column = "value" or ["v1", "v2"]}."""
    if raw is None:
        return ()

    def bad(index: int, key: str | None, message: str, fix: str) -> None:
        problems.append(Problem(name, loc.line_of_array("funds", index, key), f"[[funds]] {key}" if key else "[[funds]]",
                                message, fix))

    if not isinstance(raw, list):
        problems.append(Problem(name, loc.line_of("funds"), "funds", _("funds must be written as [[funds]] tables"),
                                _('write [[funds]] then name = "central" and amounts = {2556 = 100_000_000}')))
        return ()
    funds, seen = [], set()
    for index, entry in enumerate(raw):
        if not isinstance(entry, dict):
            bad(index, None, _("each [[funds]] entry must be a table"), _('write name = "central" under [[funds]]'))
            continue
        for key in entry:
            if key not in _FUND_KEYS:
                bad(index, key, _("unknown key '{key}' in [[funds]]", key=key), suggest(key, _FUND_KEYS))
        fund_name = entry.get("name")
        if not isinstance(fund_name, str) or not fund_name.strip():
            bad(index, "name", _("every fund needs a name"), _('write e.g. name = "central"'))
            continue
        if fund_name in seen:
            bad(index, "name", _("the fund name '{fund}' is used twice", fund=fund_name), _("give each fund its own name"))
        seen.add(fund_name)
        amounts: dict[int, float] = {}
        raw_amounts = entry.get("amounts")
        if not isinstance(raw_amounts, dict) or not raw_amounts:
            bad(index, "amounts", _("fund '{fund}' needs amounts by fiscal year", fund=fund_name),
                _("write amounts = {2556 = 100_000_000}"))
        else:
            for year, amount in raw_amounts.items():
                if not re.fullmatch(r"\d{4}", str(year)) or int(year) not in years:
                    bad(index, "amounts", _("'{year}' in the amounts of fund '{fund}' is not a fiscal year of the "
                                            "horizon {first}-{last}", year=year, fund=fund_name, first=years[0], last=years[-1]),
                        _("write one fiscal year per entry, e.g. 2556 = 100_000_000"))
                elif amount_problem(amount) is not None:
                    bad(index, "amounts",
                        _("amount {year} = {amount} of fund '{fund}' is not baht >= 0 and at most {limit}", year=year,
                          amount=repr(amount), fund=fund_name, limit=baht(MAX_BAHT))
                        if amount_problem(amount) == "over the limit" else
                        _("amount {year} = {amount} of fund '{fund}' is not baht >= 0", year=year, amount=repr(amount),
                          fund=fund_name),
                        _("write a number, e.g. 100_000_000"))
                else:
                    amounts[int(year)] = float(amount)
        eligible: dict[str, tuple[str, ...]] = {}
        raw_eligible = entry.get("eligible", {})
        if not isinstance(raw_eligible, dict):
            bad(index, "eligible", _("eligible of fund '{fund}' must be a table", fund=fund_name),
                _('write eligible = {kind = "branch"}'))
        else:
            for column, accepted in raw_eligible.items():
                accepted = [accepted] if isinstance(accepted, str) else accepted
                if not isinstance(accepted, list) or not accepted or not all(isinstance(v, str) for v in accepted):
                    bad(index, "eligible", _("eligible {column} of fund '{fund}' must be a value or a list of values",
                                             column=column, fund=fund_name),
                        _('write e.g. eligible = {kind = ["branch", "provincial"]}'))
                else:
                    eligible[column] = tuple(accepted)
        funds.append(Fund(fund_name, MappingProxyType(amounts), MappingProxyType(eligible)))
    return tuple(funds)


def normalised_weights(weights: Mapping[str, float]) -> dict[str, float]:
    """Weights over all criteria, scaled to sum 1 (criteria not given weigh 0)."""
    total = sum(weights.values())
    return {c: (weights.get(c, 0.0) / total if total > 0 else 0.0) for c in CRITERIA}
