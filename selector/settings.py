"""The rules of a scenario: read from TOML, defaulted, validated, frozen.

Every key is listed in ``selector.fields.SETTINGS``. An unknown key is an error that suggests the
nearest valid key; a wrong type names the line of the TOML file where the key stands.
"""

from __future__ import annotations

import difflib
import math
import re
import tomllib
from dataclasses import dataclass, field, replace
from pathlib import Path
from types import MappingProxyType
from typing import Any, Mapping

from .errors import Problem
from .fields import CRITERIA, DEFAULT_PILOT_WEIGHTS, DEFAULT_ROLLOUT_WEIGHTS

SOLVERS = ("highs", "cbc")
COVERAGES = ("all", "best-effort")

_SECTIONS: dict[str, tuple[str, ...]] = {
    "horizon": ("first_year", "last_year"),
    "plan": ("coverage",),
    "budget": (),  # keys are fiscal years
    "pilots": ("min", "max", "max_mean_risk", "cover"),
    "capacity": ("max_units_per_year",),
    "criteria": ("scale", "cost_type"),
    "weights": ("pilot", "rollout"),
    "objective": ("pilot_emphasis",),
    "solver": ("name", "time_limit", "gap"),
    "replan": ("stability", "later_factor"),
}


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

    @property
    def years(self) -> tuple[int, ...]:
        return tuple(range(self.first_year, self.last_year + 1))

    def to_dict(self) -> dict[str, Any]:
        """Plain, JSON-ready form, in the TOML's own layout."""
        return {
            "horizon": {"first_year": self.first_year, "last_year": self.last_year},
            "plan": {"coverage": self.coverage},
            "budget": {str(y): self.budget[y] for y in sorted(self.budget)},
            "pilots": {
                "min": self.pilots_min,
                "max": self.pilots_max,
                "max_mean_risk": self.max_mean_risk,
                "cover": list(self.cover),
            },
            "capacity": {"max_units_per_year": self.max_units_per_year},
            "criteria": {"scale": list(self.scale), "cost_type": list(self.cost_type)},
            "weights": {"pilot": dict(self.pilot_weights), "rollout": dict(self.rollout_weights)},
            "objective": {"pilot_emphasis": self.pilot_emphasis},
            "solver": {"name": self.solver, "time_limit": self.time_limit, "gap": self.gap},
            "replan": {"stability": self.stability, "later_factor": self.later_factor},
        }


def _freeze(settings: Settings) -> Settings:
    return replace(
        settings,
        budget=MappingProxyType(dict(settings.budget)),
        pilot_weights=MappingProxyType(dict(settings.pilot_weights)),
        rollout_weights=MappingProxyType(dict(settings.rollout_weights)),
    )


class _Locator:
    """Finds the line of a key in a TOML text, so messages can point at it."""

    def __init__(self, text: str):
        self.lines = text.splitlines()

    def line_of(self, section: str, key: str | None = None) -> int | None:
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
        return section_line


def _suggest(word: str, options) -> str:
    close = difflib.get_close_matches(word, list(options), n=1, cutoff=0.5)
    return f"did you mean '{close[0]}'?" if close else "valid keys: " + ", ".join(sorted(options))


def load_settings(path: Path | None, display: str | None = None) -> tuple[Settings, list[Problem]]:
    """Read a settings TOML (or the defaults when ``path`` is None).

    Returns the settings and every problem found; the caller raises them together with the CSV's.
    """
    if path is None:
        return _freeze(Settings()), []
    name = display or str(path)
    try:
        raw_bytes = path.read_bytes()
    except OSError as exc:
        return _freeze(Settings()), [Problem(name, None, None, f"cannot be read ({exc.strerror})", "check the path")]
    try:
        text = raw_bytes.decode("utf-8-sig")
    except UnicodeDecodeError:
        return _freeze(Settings()), [Problem(name, None, None, "is not UTF-8 text", "save the file as UTF-8")]
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        m = re.search(r"line (\d+)", str(exc))
        return _freeze(Settings()), [
            Problem(name, int(m.group(1)) if m else None, None, f"is not valid TOML ({exc})",
                    "correct the TOML syntax (key = value, [section], text in quotes)")
        ]
    return parse_settings(data, name, _Locator(text))


def parse_settings(data: Mapping[str, Any], name: str = "<settings>", locator: _Locator | None = None) -> tuple[Settings, list[Problem]]:
    """Validate a parsed TOML mapping into ``Settings``; collect every problem."""
    loc = locator or _Locator("")
    problems: list[Problem] = []
    values: dict[str, Any] = {}

    def bad(section: str, key: str | None, message: str, fix: str) -> None:
        problems.append(Problem(name, loc.line_of(section, key), f"[{section}] {key}" if key else f"[{section}]", message, fix))

    for section, content in data.items():
        if section not in _SECTIONS:
            problems.append(Problem(name, loc.line_of(section), f"[{section}]", f"unknown section [{section}]",
                                    _suggest(section, _SECTIONS)))
            continue
        if not isinstance(content, dict):
            bad(section, None, f"[{section}] must be a table", f"write it as a [{section}] section")
            continue
        if section in ("budget", "weights"):
            continue
        for key in content:
            if key not in _SECTIONS[section]:
                bad(section, key, f"unknown key '{key}' in [{section}]", _suggest(key, _SECTIONS[section]))

    def get(section: str, key: str, kinds, check=None, fix: str = "") -> Any:
        content = data.get(section)
        if not isinstance(content, dict) or key not in content:
            return None
        value = content[key]
        if isinstance(value, bool) or not isinstance(value, kinds):
            bad(section, key, f"{key} = {value!r} has the wrong type", fix)
            return None
        if check is not None and not check(value):
            bad(section, key, f"{key} = {value!r} is out of range", fix)
            return None
        return value

    first = get("horizon", "first_year", int, lambda v: 2400 <= v <= 2700, "a Buddhist-Era fiscal year such as 2555")
    last = get("horizon", "last_year", int, lambda v: 2400 <= v <= 2700, "a Buddhist-Era fiscal year such as 2558")
    values["first_year"] = first if first is not None else Settings.first_year
    values["last_year"] = last if last is not None else Settings.last_year
    if values["first_year"] > values["last_year"]:
        bad("horizon", "first_year", f"first_year {values['first_year']} is after last_year {values['last_year']}",
            "make first_year <= last_year")
    years = range(values["first_year"], values["last_year"] + 1)
    coverage = get("plan", "coverage", str, lambda v: v in COVERAGES, '"all" or "best-effort"')
    values["coverage"] = coverage if coverage is not None else "all"

    budget: dict[int, float] = {}
    raw_budget = data.get("budget", {})
    if isinstance(raw_budget, dict):
        for key, amount in raw_budget.items():
            if not re.fullmatch(r"\d{4}", str(key)):
                bad("budget", key, f"budget key '{key}' is not a fiscal year", "write one line per year, e.g. 2556 = 120_000_000")
                continue
            year = int(key)
            if isinstance(amount, bool) or not isinstance(amount, (int, float)) or not math.isfinite(amount) or amount < 0:
                bad("budget", key, f"budget {key} = {amount!r} is not an amount of baht >= 0", "write a number, e.g. 120_000_000")
                continue
            if year not in years:
                bad("budget", key, f"budget year {year} is outside the horizon {years[0]}-{years[-1]}",
                    "remove it or widen [horizon]")
                continue
            budget[year] = float(amount)
    values["budget"] = budget

    pmin = get("pilots", "min", int, lambda v: v >= 0, "a whole number >= 0")
    pmax = get("pilots", "max", int, lambda v: v >= 0, "a whole number >= 0")
    values["pilots_min"] = pmin if pmin is not None else 1
    values["pilots_max"] = pmax
    values["max_mean_risk"] = get("pilots", "max_mean_risk", (int, float), math.isfinite, "a number on the risk scale")
    cover = get("pilots", "cover", list, lambda v: all(isinstance(c, str) for c in v), "a list of column names, e.g. [\"region\"]")
    values["cover"] = tuple(cover) if cover is not None else ("region",)
    values["max_units_per_year"] = get("capacity", "max_units_per_year", int, lambda v: v >= 1, "a whole number >= 1")

    scale = get("criteria", "scale", list,
                lambda v: len(v) == 2 and all(isinstance(x, (int, float)) and not isinstance(x, bool) for x in v) and v[0] < v[1],
                "two numbers [lo, hi] with lo < hi, e.g. [1, 5]")
    values["scale"] = (float(scale[0]), float(scale[1])) if scale is not None else (1.0, 5.0)
    cost_type = get("criteria", "cost_type", list, lambda v: all(c in CRITERIA for c in v),
                    "a list of criteria among " + ", ".join(CRITERIA))
    values["cost_type"] = tuple(cost_type) if cost_type is not None else ("risk",)

    weights = data.get("weights", {})
    if isinstance(weights, dict):
        for key in weights:
            if key not in ("pilot", "rollout"):
                bad("weights", key, f"unknown weight set '{key}'", _suggest(key, ("pilot", "rollout")))
    for kind, default in (("pilot", DEFAULT_PILOT_WEIGHTS), ("rollout", DEFAULT_ROLLOUT_WEIGHTS)):
        given = weights.get(kind) if isinstance(weights, dict) else None
        if given is None:
            values[f"{kind}_weights"] = dict(default)
            continue
        section = f"weights.{kind}"
        if not isinstance(given, dict):
            bad(section, None, f"[weights.{kind}] must be a table of criterion = weight", "write e.g. success = 0.3")
            values[f"{kind}_weights"] = dict(default)
            continue
        resolved = {}
        for criterion, w in given.items():
            if criterion not in CRITERIA:
                bad(section, criterion, f"unknown criterion '{criterion}'", _suggest(criterion, CRITERIA))
            elif isinstance(w, bool) or not isinstance(w, (int, float)) or not math.isfinite(w) or w < 0:
                bad(section, criterion, f"weight {criterion} = {w!r} is not a number >= 0", "write a number >= 0")
            else:
                resolved[criterion] = float(w)
        if resolved and sum(resolved.values()) <= 0:
            bad(section, None, f"the {kind} weights are all zero", "give at least one criterion a weight > 0")
            resolved = dict(default)
        values[f"{kind}_weights"] = resolved

    emphasis = get("objective", "pilot_emphasis", (int, float), lambda v: math.isfinite(v) and v >= 0, "a number >= 0")
    values["pilot_emphasis"] = float(emphasis) if emphasis is not None else 1.0
    solver = get("solver", "name", str, lambda v: v.lower() in SOLVERS, "\"highs\" or \"cbc\"")
    values["solver"] = solver.lower() if solver is not None else "highs"
    tl = get("solver", "time_limit", (int, float), lambda v: math.isfinite(v) and v > 0, "seconds > 0")
    values["time_limit"] = float(tl) if tl is not None else 60.0
    gap = get("solver", "gap", (int, float), lambda v: 0 <= v < 1, "a fraction such as 0.0001 (= 0.01%)")
    values["gap"] = float(gap) if gap is not None else 1e-4
    stability = get("replan", "stability", (int, float), lambda v: math.isfinite(v) and v >= 0,
                    "a number >= 0 (objective points per unit-year moved; 0 = re-optimise freely)")
    values["stability"] = float(stability) if stability is not None else Settings.stability
    later = get("replan", "later_factor", (int, float), lambda v: math.isfinite(v) and v > 0,
                "a number > 0 (2 = a year later costs twice a year earlier)")
    values["later_factor"] = float(later) if later is not None else Settings.later_factor

    return _freeze(Settings(**values)), problems


def normalised_weights(weights: Mapping[str, float]) -> dict[str, float]:
    """Weights over all criteria, scaled to sum 1 (criteria not given weigh 0)."""
    total = sum(weights.values())
    return {c: (weights.get(c, 0.0) / total if total > 0 else 0.0) for c in CRITERIA}


__all__ = ["Settings", "load_settings", "parse_settings", "normalised_weights", "SOLVERS"]
