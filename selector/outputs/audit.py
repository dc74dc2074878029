"""The audit trail of a plan: the command-line choices that shaped it and the command that reproduces it.

A plan is made from its input files *and* the options it was run with (``--budget``, ``--pilots``,
``--gap``, ``--time-limit``, ``--solver``, ``--settings``, ``--encoding``; ``--title`` for the
submission). ``Overrides`` holds
those choices as given; the JSON record, the workbook's Assumptions and the report list them, and
``reproduce_command`` writes the one shell line (quoted with ``shlex.join``) that gives the same
schedule again, run from the folder that holds the inputs.
"""

from __future__ import annotations

import shlex
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import Any, Mapping

from selector.data.scenario import Scenario


def _amount(value: float) -> str:
    """A baht amount as the ``--budget`` grammar reads it back exactly: digits, no separators."""
    return str(int(value)) if float(value).is_integer() else repr(float(value))


def number_text(value: float) -> str:
    """A number as an option's value that reads back as the same float: ``0.001``, ``30``, else its repr."""
    return f"{value:g}" if float(value) == float(f"{value:g}") else repr(float(value))


@dataclass(frozen=True)
class Overrides:
    """What a command was told beyond its input files: each field ``None`` (or empty) when not given.

    ``budget`` is {fiscal year: baht} as parsed from ``--budget``; ``pilots_min``/``pilots_max``
    from ``--pilots MIN:MAX`` (either side may be blank); ``settings`` the ``--settings`` path as typed.
    """

    budget: Mapping[int, float] = field(default_factory=lambda: MappingProxyType({}))
    pilots_min: int | None = None
    pilots_max: int | None = None
    gap: float | None = None
    time_limit: float | None = None
    solver: str | None = None
    settings: str | None = None
    encoding: str | None = None
    title: str | None = None

    def __post_init__(self):
        object.__setattr__(self, "budget", MappingProxyType({int(y): float(v) for y, v in sorted(self.budget.items())}))

    def options(self) -> list[tuple[str, str]]:
        """(option, value) of every choice given, in the order of ``selector solve --help``."""
        out = [("--budget", f"{year}={_amount(amount)}") for year, amount in self.budget.items()]
        if self.pilots_min is not None or self.pilots_max is not None:
            lo = "" if self.pilots_min is None else str(self.pilots_min)
            hi = "" if self.pilots_max is None else str(self.pilots_max)
            out.append(("--pilots", f"{lo}:{hi}"))
        for option, value in (("--gap", self.gap), ("--time-limit", self.time_limit)):
            if value is not None:
                out.append((option, number_text(value)))
        if self.solver is not None:
            out.append(("--solver", self.solver))
        if self.encoding is not None:
            out.append(("--encoding", self.encoding))
        if self.title is not None:
            out.append(("--title", self.title))
        return out

    def as_dict(self) -> dict[str, Any]:
        """The choices given, JSON-ready (years as text keys); an empty dict when nothing was overridden."""
        out: dict[str, Any] = {}
        if self.budget:
            out["budget"] = {str(y): v for y, v in self.budget.items()}
        for key in ("pilots_min", "pilots_max", "gap", "time_limit", "solver", "settings", "encoding", "title"):
            if getattr(self, key) is not None:
                out[key] = getattr(self, key)
        return out


def reproduce_arguments(scenario: Scenario, overrides: Overrides | None = None) -> list[str]:
    """``selector solve`` and its arguments, as a list: the CSV, its settings file and every override.

    Files are named without their folder: the command is run from the folder that holds the inputs.
    """
    overrides = overrides or Overrides()
    argv = ["selector", "solve", Path(scenario.csv_path).name if scenario.csv_path else "UNITS.csv"]
    if scenario.settings_sha256 and scenario.settings_path:
        argv += ["--settings", Path(scenario.settings_path).name]
    for option, value in overrides.options():
        argv += [option, value]
    return argv


def reproduce_command(scenario: Scenario, overrides: Overrides | None = None) -> str:
    """The shell line that solves ``scenario`` again with the same overrides, quoted for a POSIX shell."""
    return shlex.join(reproduce_arguments(scenario, overrides))
