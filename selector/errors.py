"""The exception family of selector; the CLI turns each into an exit code.

SelectorError
├── ScenarioError   bad input: every problem found, each naming file, line, column and fix (exit 2)
├── InfeasibleError no plan satisfies every rule, with the reasons found (exit 3)
└── SolverError     the solver is missing or failed (exit 1)
"""

from __future__ import annotations

from dataclasses import dataclass

from selector.i18n import _, ngettext


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong with the input, located as precisely as the input allows.

    ``line`` is the 1-based line in the file (the CSV header is line 1, so the first unit is on
    line 2); it is ``None`` when the problem concerns the file as a whole. In a workbook, ``line``
    is the row of the sheet and ``cell`` names the sheet and the cell as Excel does (``units!D7``).
    """

    file: str
    line: int | None
    column: str | None
    message: str
    fix: str
    cell: str | None = None

    def __str__(self) -> str:
        where = self.file
        if self.cell:
            where = f"{where}, {self.cell}"
        elif self.line is not None:
            where = _("{where}, line {line}", where=where, line=self.line)
        if self.column:
            where = _("{where}, column '{column}'", where=where, column=self.column)
        return _("{where}: {message}. Fix: {fix}", where=where, message=self.message, fix=self.fix)

    def to_dict(self) -> dict:
        return {
            "file": self.file,
            "line": self.line,
            "column": self.column,
            "message": self.message,
            "fix": self.fix,
            **({"cell": self.cell} if self.cell else {}),
        }


class SelectorError(Exception):
    """Base class of every error selector raises on purpose."""

    exit_code = 1


class ScenarioError(SelectorError):
    """The scenario (CSV, TOML or command-line overrides) is not valid; lists every problem."""

    exit_code = 2

    def __init__(self, problems: list[Problem]):
        self.problems = sorted(set(problems), key=_problem_order)
        count = len(self.problems)
        head = ngettext("{n} problem in the input", "{n} problems in the input", count)
        super().__init__(head + ":\n" + "\n".join(f"  - {p}" for p in self.problems))


def _problem_order(problem: Problem) -> tuple:
    return (problem.file, problem.line or 0, problem.column or "", problem.message)


class InfeasibleError(SelectorError):
    """No schedule satisfies every rule; ``reasons`` says what was found to be wrong."""

    exit_code = 3

    def __init__(self, reasons: list[str]):
        self.reasons = list(reasons)
        text = _("no plan satisfies every rule")
        if self.reasons:
            text += ":\n" + "\n".join(f"  - {r}" for r in self.reasons)
        super().__init__(text)


class SolverError(SelectorError):
    """The solver could not be run, or stopped without an answer we can use."""

    exit_code = 1


class CheckFailedError(SelectorError):
    """A schedule breaks some rule of its scenario; ``violations`` lists each (exit 3, as ``selector check``)."""

    exit_code = 3

    def __init__(self, schedule: str, violations: list[str]):
        self.violations = list(violations)
        super().__init__(_("{count} broken rule(s) in {schedule}", count=len(self.violations), schedule=schedule) + ":\n"
                         + "\n".join(f"  - {v}" for v in self.violations))

class NoPlanInTimeError(SelectorError):
    """The solver found no plan under the chosen weights within the time limit (exit 5)."""

    exit_code = 5
