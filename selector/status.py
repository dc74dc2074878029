"""What a solve proved, in one vocabulary: the ``Status`` of every plan, and the relative gap.

A plan is ``optimal`` only when the solver proved it within the requested relative gap; a plan
found before a time limit is ``feasible``, with the gap it proved; ``infeasible`` means the solver
proved that no plan exists; ``no_solution`` means the time limit came before any plan, so nothing
is proven either way. ``checked`` is a schedule read from a file that ``selector check`` accepted:
nothing about its optimality is known.
"""

from __future__ import annotations

from enum import StrEnum


class Status(StrEnum):
    """The outcome of a solve (or of a check). A ``str``: ``Status.OPTIMAL == "optimal"``."""

    OPTIMAL = "optimal"
    FEASIBLE = "feasible"
    INFEASIBLE = "infeasible"
    NO_SOLUTION = "no_solution"
    CHECKED = "checked"


def relative_gap(objective: float, bound: float) -> float:
    """(bound - objective) / |objective| for a maximisation, never negative: what is still unproven."""
    return max(0.0, bound - objective) / max(abs(objective), 1e-9)
