"""The options of one solve, as the run used them: solver, gap, time limit, threads, seed.

Every ``Plan`` carries the ``SolveOptions`` it was solved with (``plan.options``), so the summary,
the JSON record, the workbook and the report state what the run really used, not what the
scenario's TOML says. Threads and seed are fixed: one thread and seed 0 make the same input give
the same schedule (parallel branch and bound can finish on another of several equal optima).
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass
from typing import Any

from selector.errors import Problem, ScenarioError, SolverError

SOLVER_NAMES = ("highs", "cbc")
THREADS = 1
SEED = 0


@dataclass(frozen=True)
class SolveOptions:
    """What a solve ran with. ``gap`` is the relative MIP gap within which a plan counts as optimal."""

    solver: str = "highs"
    gap: float = 1e-4
    time_limit: float = 60.0
    threads: int = THREADS
    seed: int = SEED

    @classmethod
    def resolve(cls, settings, *, solver: str | None = None, time_limit: float | None = None,
                gap: float | None = None) -> "SolveOptions":
        """The scenario's ``[solver]`` settings with the given overrides (None keeps the setting).

        Raises ``ScenarioError`` (exit 2) naming each bad override.
        """
        problems = []
        name = (solver if solver is not None else settings.solver).lower()
        if name not in SOLVER_NAMES:
            raise SolverError(f"unknown solver '{solver}'; choose one of {', '.join(SOLVER_NAMES)}")
        limit = settings.time_limit if time_limit is None else time_limit
        if not _number(limit) or not (math.isfinite(limit) and limit > 0):
            problems.append(Problem("solve options", None, "time_limit", f"time limit {limit!r} is not a number of seconds > 0",
                                    "give the seconds the solver may run, e.g. 60"))
        rel = settings.gap if gap is None else gap
        if not _number(rel) or not (0 <= rel < 1):
            problems.append(Problem("solve options", None, "gap", f"gap {rel!r} is not a fraction in [0, 1)",
                                    "give a relative gap such as 0.0001 (= 0.01%)"))
        if problems:
            raise ScenarioError(problems)
        return cls(name, float(rel), float(limit))

    def as_tuple(self) -> tuple[str, float, float]:
        """(solver, time_limit, gap): what the solver adapters take."""
        return self.solver, self.time_limit, self.gap

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def _number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)
