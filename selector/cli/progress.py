"""Long work shown on a terminal: the library's ``Step``s on stderr, only when stderr is a terminal.

``terminal_progress(quiet)`` gives the ``on_progress`` callback a command passes to the library:
each phase is one line (``· Building the model of 3,000 units``), and a phase that counts (the
frontier's budget steps, the robustness samples) is a tqdm bar with its rate and ETA. When stderr is
piped or redirected, or with ``--quiet``, it shows nothing, so scripts and logs see the same
output as before.
"""

from __future__ import annotations

import contextlib
import io
import os
import sys
from typing import Iterator, TextIO

from selector.events import OnProgress, Step

LARGE_SOLVE = 1000  # units: a smaller solve takes a second or two, too little to show its phases


class TerminalProgress:
    """Shows steps on ``stream``: a line per phase, a tqdm bar for a phase that counts."""

    def __init__(self, stream: TextIO):
        self.stream = stream
        self.bar = None
        self.phase: str | None = None

    def __call__(self, step: Step) -> None:
        if step.total is None:
            self.close()
            self.stream.write(f"· {step.message}\n")
            self.stream.flush()
            return
        if self.bar is None or self.phase != step.phase:
            from tqdm import tqdm

            self.close()
            columns, lines = self.size()
            self.bar = tqdm(total=step.total, desc=step.message, file=self.stream, unit="", leave=True,
                            ncols=columns, nrows=lines)
            self.phase = step.phase
        self.bar.update((step.done or 0) - self.bar.n)

    def size(self) -> tuple[int, int]:
        """The terminal's (columns, lines); 80 x 24 where it reports none (a fresh pseudo-terminal says 0 x 0,
        and tqdm would hide its bar below line 0)."""
        try:
            size = os.get_terminal_size(self.stream.fileno())
            return size.columns or 80, size.lines or 24
        except (AttributeError, OSError, ValueError, io.UnsupportedOperation):
            return 80, 24

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()
            self.bar = None
            self.phase = None


def shows_progress(quiet: bool = False, stream: TextIO | None = None) -> bool:
    """Whether progress is shown: not ``--quiet`` and the stream (stderr) is a terminal."""
    stream = stream if stream is not None else sys.stderr
    return not quiet and hasattr(stream, "isatty") and stream.isatty()


@contextlib.contextmanager
def terminal_progress(quiet: bool = False, stream: TextIO | None = None) -> Iterator[OnProgress]:
    """The ``on_progress`` callback for a command (None when nothing is to be shown); closes its bar after."""
    stream = stream if stream is not None else sys.stderr
    if not shows_progress(quiet, stream):
        yield None
        return
    display = TerminalProgress(stream)
    try:
        yield display
    finally:
        display.close()
