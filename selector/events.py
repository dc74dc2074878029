"""Progress of long work, told through a callback: the library never prints.

A long function (``selector.solve``, ``selector.workflows.money.frontier``, ``replan``...) takes
``on_progress``, a callable given one ``Step`` at the start of each phase, and, in a phase that
counts (the frontier's budget steps), after each item done. A command line shows the steps on a
terminal (``selector.cli.progress``); a notebook may log them; ``None`` (the default) ignores them.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, Optional


@dataclass(frozen=True)
class Step:
    """One step of long work: ``phase`` a stable name (``build``, ``solve``, ``frontier``...), ``message``
    in the reader's words, and for a phase that counts, ``done`` of ``total`` items."""

    phase: str
    message: str
    done: int | None = None
    total: int | None = None


OnProgress = Optional[Callable[[Step], None]]


def tell(on_progress: OnProgress, phase: str, message: str, done: int | None = None,
         total: int | None = None) -> None:
    """Give ``on_progress`` the step (nothing when it is None)."""
    if on_progress is not None:
        on_progress(Step(phase, message, done, total))
