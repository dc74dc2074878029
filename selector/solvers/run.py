"""What a solver run proved (``SolverRun``), keeping native solver banners off the terminal, and
announcing each solver call's time limit to whoever watches it (the command line's watchdog)."""

from __future__ import annotations

import functools
import itertools
import os
import sys
import threading
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Callable

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


# ---------------------------------------------------------------------------------------------
# Time limits, announced: a solver stuck in native code ignores both its own limit and signals,
# and only a watcher outside it (``selector.cli.common.Watchdog``) can end the run then.

TimeLimitWatcher = Callable[[int, "float | None"], None]
"""Called with (call number, seconds) when a solver call starts and (call number, None) when it ends."""

_watchers: list[TimeLimitWatcher] = []
_calls = itertools.count(1)
_lock = threading.Lock()


def watch_time_limits(watcher: TimeLimitWatcher) -> Callable[[], None]:
    """Tell ``watcher`` about every solver call's time limit from now on; returns the function that
    stops telling it."""
    with _lock:
        _watchers.append(watcher)

    def stop() -> None:
        with _lock:
            if watcher in _watchers:
                _watchers.remove(watcher)

    return stop


def time_limited(adapter):
    """Wrap a solver adapter ``(problem, time_limit, gap, verbose) -> SolverRun`` so that each call
    announces its time limit to the watchers before it starts and its end after it returns."""

    @functools.wraps(adapter)
    def run(prob, time_limit, gap, verbose=False, *args, **kwargs):
        call = next(_calls)
        with _lock:
            watchers = list(_watchers)
        for watcher in watchers:
            watcher(call, float(time_limit))
        try:
            return adapter(prob, time_limit, gap, verbose, *args, **kwargs)
        finally:
            for watcher in watchers:
                watcher(call, None)

    return run
