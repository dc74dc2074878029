"""What a solver run proved (``SolverRun``), and keeping native solver banners off the terminal."""

from __future__ import annotations

import os
import sys
from contextlib import contextmanager
from dataclasses import dataclass

from selector.status import Status


@dataclass(frozen=True)
class SolverRun:
    """What the solver proved: status, values of the binaries, objective, bound, gap."""

    status: Status
    values: dict[str, float]
    objective: float | None
    bound: float | None
    gap: float | None
    solver: str
    version: str
    seconds: float
    lp_duals: dict[str, float] | None = None  # row name -> dual of the LP relaxation, when the solver solved it


@contextmanager
def redirect_stdout_fd(target: int | None):
    """Point file descriptor 1 elsewhere while native solver code runs (HiGHS prints a banner there).

    ``target`` is a file descriptor, or None for the null device. Python's own sys.stdout is
    flushed first so nothing is reordered.
    """
    try:
        sys.stdout.flush()
    except (AttributeError, ValueError):
        pass
    try:
        saved = os.dup(1)
    except OSError:  # no fd 1 at all (some embedded interpreters): nothing to protect
        yield
        return
    null = None
    try:
        if target is None:
            null = os.open(os.devnull, os.O_WRONLY)
            target = null
        os.dup2(target, 1)
        yield
    finally:
        os.dup2(saved, 1)
        os.close(saved)
        if null is not None:
            os.close(null)
