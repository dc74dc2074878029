"""The indicators of the OPDC scorecard: ``[[indicators]]`` and ``[monitoring]`` in the settings TOML.

The Office of the Public Sector Development Commission (OPDC, สำนักงาน ก.พ.ร.) evaluates a
government agency's performance agreement on indicators in four dimensions (since FY2546):

    effectiveness               ประสิทธิผล
    service_quality             คุณภาพการให้บริการ
    efficiency                  ประสิทธิภาพของการปฏิบัติราชการ
    organisational_development  การพัฒนาองค์กร

Each indicator has a unit of measure, a weight (% of the scorecard; the weights sum to 100), the
five targets that earn scores 1 to 5, and a direction (higher or lower is better)::

    [[indicators]]
    id = "wait_minutes"
    name_th = "ระยะเวลารอรับบริการเฉลี่ย"
    name_en = "Mean waiting time"
    dimension = "service_quality"      # or its Thai name, คุณภาพการให้บริการ
    unit = "minutes"
    weight = 25                        # % of the scorecard
    levels = [45, 35, 25, 20, 15]      # the results that earn scores 1, 2, 3, 4, 5
    direction = "lower"

    [monitoring]
    pass_score = 3.0                   # the overall weighted score that meets the standard
    # pass_score = {effectiveness = 3.0, service_quality = 3.5}   # or one mark per dimension

``parse_indicators`` validates both tables (every problem at once, with the line of the key) and
returns a ``Monitoring``; ``selector.data.settings`` calls it, so a scorecard's mistakes are found
by ``selector validate`` and ``selector solve`` like any other setting's. Scoring a result is
``selector.workflows.monitor``.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from typing import Any, Callable, Protocol, Sequence

from selector.errors import Problem
from selector.i18n import _

DIMENSIONS: tuple[str, ...] = ("effectiveness", "service_quality", "efficiency", "organisational_development")
"""The four OPDC dimensions, in the scorecard's order."""

DIMENSION_TH: dict[str, str] = {
    "effectiveness": "ประสิทธิผล",
    "service_quality": "คุณภาพการให้บริการ",
    "efficiency": "ประสิทธิภาพของการปฏิบัติราชการ",
    "organisational_development": "การพัฒนาองค์กร",
}
DIMENSION_EN: dict[str, str] = {
    "effectiveness": "Effectiveness",
    "service_quality": "Service quality",
    "efficiency": "Efficiency",
    "organisational_development": "Organisational development",
}
_DIMENSION_WORDS = {**{d: d for d in DIMENSIONS}, **{th: d for d, th in DIMENSION_TH.items()},
                    "service quality": "service_quality", "organizational_development": "organisational_development",
                    "organisational development": "organisational_development",
                    "organizational development": "organisational_development"}
DIRECTIONS = ("higher", "lower")
LEVELS = 5
"""An OPDC indicator has five level targets, for scores 1 to 5."""
MIN_SCORE, MAX_SCORE = 1.0, 5.0
DEFAULT_PASS_SCORE = 3.0
"""Score 3 is the OPDC's "standard" level: the target the agreement was signed for."""

INDICATOR_KEYS = ("id", "name_th", "name_en", "dimension", "unit", "weight", "levels", "direction")
MONITORING_KEYS = ("pass_score",)
_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]*")


@dataclass(frozen=True)
class Indicator:
    """One scorecard row: ``levels[k]`` is the result that earns score k + 1."""

    id: str
    name_th: str
    name_en: str
    dimension: str
    unit: str
    weight: float  # % of the scorecard
    levels: tuple[float, ...]
    direction: str = "higher"

    def name(self, lang: str) -> str:
        return (self.name_th if lang == "th" else self.name_en) or self.name_en or self.name_th or self.id


@dataclass(frozen=True)
class Monitoring:
    """The scorecard of a scenario: its indicators and the pass mark(s) of "meets the standard".

    ``pass_by_dimension`` is empty when one overall mark (``pass_score``) decides; otherwise each
    named dimension's score must reach its own mark.
    """

    indicators: tuple[Indicator, ...] = ()
    pass_score: float = DEFAULT_PASS_SCORE
    pass_by_dimension: tuple[tuple[str, float], ...] = ()

    @property
    def ids(self) -> tuple[str, ...]:
        return tuple(i.id for i in self.indicators)

    def indicator(self, indicator_id: str) -> Indicator:
        return next(i for i in self.indicators if i.id == indicator_id)

    @property
    def dimensions(self) -> tuple[str, ...]:
        """The dimensions that have indicators, in the scorecard's order."""
        used = {i.dimension for i in self.indicators}
        return tuple(d for d in DIMENSIONS if d in used)

    def pass_mark(self, dimension: str) -> float:
        """The score an indicator or dimension must reach (the dimension's mark, else the overall one)."""
        return dict(self.pass_by_dimension).get(dimension, self.pass_score)

    def to_dict(self) -> dict[str, Any]:
        return {
            "indicators": [{"id": i.id, "name_th": i.name_th, "name_en": i.name_en, "dimension": i.dimension,
                            "unit": i.unit, "weight": i.weight, "levels": list(i.levels), "direction": i.direction}
                           for i in self.indicators],
            "monitoring": {"pass_score": dict(self.pass_by_dimension) if self.pass_by_dimension else self.pass_score},
        }


class _Locates(Protocol):  # selector.data.settings.Locator (not imported: settings imports this module)
    def line_of(self, section: str, key: str | None = None) -> int | None: ...

    def line_of_array(self, section: str, index: int, key: str | None = None) -> int | None: ...


def _number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value)


def levels_problem(levels: Sequence[float], direction: str) -> bool:
    """True when the five targets do not move strictly in the indicator's direction."""
    steps = [b - a for a, b in zip(levels, levels[1:])]
    return not all(s > 0 for s in steps) if direction == "higher" else not all(s < 0 for s in steps)


def parse_indicators(raw: Any, monitoring: Any, name: str, loc: _Locates, problems: list[Problem],
                     suggest: Callable[[str, Sequence[str]], str]) -> Monitoring:
    """Validate ``[[indicators]]`` (``raw``) and ``[monitoring]``; append every problem to ``problems``."""

    def bad(index: int, key: str | None, message: str, fix: str) -> None:
        problems.append(Problem(name, loc.line_of_array("indicators", index, key),
                                f"[[indicators]] {key}" if key else "[[indicators]]", message, fix))

    indicators: list[Indicator] = []
    if raw is not None and not isinstance(raw, list):
        problems.append(Problem(name, loc.line_of("indicators"), "indicators",
                                _("indicators must be written as [[indicators]] tables"),
                                _('write [[indicators]] then id = "wait_minutes", dimension, weight and levels')))
        raw = []
    seen: set[str] = set()
    complete = True
    for index, entry in enumerate(raw or []):
        if not isinstance(entry, dict):
            bad(index, None, _("each [[indicators]] entry must be a table"), _('write id = "wait_minutes" under [[indicators]]'))
            complete = False
            continue
        for key in entry:
            if key not in INDICATOR_KEYS:
                bad(index, key, _("unknown key '{key}' in [[indicators]]", key=key), suggest(key, INDICATOR_KEYS))
        ident = entry.get("id")
        if not isinstance(ident, str) or not _ID.fullmatch(ident):
            bad(index, "id", _("indicator {number} needs an id of ASCII letters, digits, - _ or .", number=index + 1),
                _('write e.g. id = "wait_minutes" (the id is what the results file names)'))
            complete = False
            continue
        if ident in seen:
            bad(index, "id", _("the indicator id '{id}' is used twice", id=ident), _("give each indicator its own id"))
        seen.add(ident)
        names = {}
        for key in ("name_th", "name_en", "unit"):
            value = entry.get(key, "")
            if not isinstance(value, str):
                bad(index, key, _("{key} of indicator '{id}' must be text", key=key, id=ident),
                    _('write it in quotes, e.g. {key} = "..."', key=key))
                value = ""
            names[key] = value.strip()
        dimension = entry.get("dimension")
        canonical = _DIMENSION_WORDS.get(dimension.strip().lower() if isinstance(dimension, str) else None)
        if canonical is None:
            bad(index, "dimension", _("'{value}' is not an OPDC dimension (indicator '{id}')", value=dimension, id=ident),
                suggest(str(dimension), DIMENSIONS) if isinstance(dimension, str) else
                _("write one of {choices}", choices=", ".join(DIMENSIONS)))
            complete = False
        direction = entry.get("direction", "higher")
        if direction not in DIRECTIONS:
            bad(index, "direction", _("direction = {value!r} of indicator '{id}' is not higher or lower",
                                      value=direction, id=ident),
                _('write direction = "higher" (more is better) or "lower" (less is better, e.g. a waiting time)'))
            direction = "higher"
            complete = False
        weight = entry.get("weight")
        if not _number(weight) or not 0 < weight <= 100:
            bad(index, "weight", _("weight = {value!r} of indicator '{id}' is not a percentage above 0 and at most 100",
                                   value=weight, id=ident),
                _("write the indicator's share of the scorecard in %, e.g. weight = 25"))
            complete = False
            weight = None
        levels = entry.get("levels")
        if not isinstance(levels, list) or len(levels) != LEVELS or not all(_number(v) for v in levels):
            bad(index, "levels", _("levels of indicator '{id}' must be {n} numbers: the targets of scores 1 to 5",
                                   id=ident, n=LEVELS),
                _("write e.g. levels = [60, 70, 80, 90, 100]"))
            complete = False
            levels = None
        elif levels_problem(levels, direction):
            order = _("rise") if direction == "higher" else _("fall")
            bad(index, "levels", _("levels {levels} of indicator '{id}' do not {order} strictly from score 1 to score 5 "
                                   "(direction = \"{direction}\")", levels=levels, id=ident, order=order,
                                   direction=direction),
                _("write the five targets in score order, each {better} than the one before, or correct the direction",
                  better=_("higher") if direction == "higher" else _("lower")))
            complete = False
            levels = None
        if canonical and weight is not None and levels is not None:
            indicators.append(Indicator(ident, names["name_th"], names["name_en"], canonical, names["unit"],
                                        float(weight), tuple(float(v) for v in levels), direction))
    if raw and complete and indicators:
        total = sum(i.weight for i in indicators)
        if abs(total - 100) > 1e-6:
            shares = ", ".join(f"{i.id} {i.weight:g}" for i in indicators)
            bad(0, "weight", _("the indicator weights sum to {total:g}, not 100", total=total),
                _("make the weights (percentages of the scorecard) sum to 100; now: {shares}", shares=shares))

    pass_score, by_dimension = DEFAULT_PASS_SCORE, []
    given = monitoring.get("pass_score") if isinstance(monitoring, dict) else None
    line = loc.line_of("monitoring", "pass_score")
    mark_fix = _("a score from {lo:g} to {hi:g}, e.g. pass_score = 3", lo=MIN_SCORE, hi=MAX_SCORE)
    if isinstance(given, dict):
        used = {i.dimension for i in indicators}
        for key, value in given.items():
            dimension = _DIMENSION_WORDS.get(str(key).strip().lower())
            if dimension is None:
                problems.append(Problem(name, line, "[monitoring] pass_score",
                                        _("'{key}' is not an OPDC dimension", key=key), suggest(str(key), DIMENSIONS)))
            elif not _number(value) or not MIN_SCORE <= value <= MAX_SCORE:
                problems.append(Problem(name, line, "[monitoring] pass_score",
                                        _("the pass mark {key} = {value!r} is not a score", key=key, value=value), mark_fix))
            elif indicators and dimension not in used:
                problems.append(Problem(name, line, "[monitoring] pass_score",
                                        _("dimension {key} has a pass mark but no indicator", key=key),
                                        _("add an indicator of that dimension or remove its pass mark")))
            else:
                by_dimension.append((dimension, float(value)))
        if not given:
            problems.append(Problem(name, line, "[monitoring] pass_score", _("the table of pass marks is empty"),
                                    mark_fix))
    elif given is not None:
        if not _number(given) or not MIN_SCORE <= given <= MAX_SCORE:
            problems.append(Problem(name, line, "[monitoring] pass_score",
                                    _("pass_score = {value!r} is not a score", value=given), mark_fix))
        else:
            pass_score = float(given)
    ordered = tuple(sorted(by_dimension, key=lambda pair: DIMENSIONS.index(pair[0])))
    return Monitoring(tuple(indicators), pass_score, ordered)
