"""Progress: the library tells its phases through ``on_progress``; the CLI shows them only on a terminal.

The terminal is a real pseudo-terminal (``pty``) given to the command as its stderr; the same
command with stderr piped must print exactly what it printed before (nothing on stderr).
"""

from __future__ import annotations

import io
import os
import pty
import re
import subprocess
import sys

import pytest

import selector
from selector.cli.progress import TerminalProgress, shows_progress, terminal_progress
from selector.events import Step
from selector.workflows.money import frontier
from tests.conftest import ROOT
from tests.model.test_build import FOUR, FOUR_TOML


@pytest.fixture
def four(write_scenario):
    return write_scenario(FOUR, FOUR_TOML)


def test_solve_tells_its_phases(four):
    steps: list[Step] = []
    plan = selector.solve(selector.load(four), on_progress=steps.append)
    assert plan.status == "optimal"
    assert [s.phase for s in steps] == ["build", "solve", "margins"]
    assert steps[0].message == "Building the model of 4 units" and steps[0].total is None


def test_frontier_counts_its_budget_steps(four):
    steps: list[Step] = []
    table, _ = frontier(selector.load(four), steps=3, on_progress=steps.append)
    assert len(table) == 3
    assert [s.phase for s in steps[:2]] == ["minimum", "saturation"]
    assert [(s.phase, s.done, s.total) for s in steps[2:]] == [("frontier", n, 3) for n in range(4)]


def _run(args, stderr_terminal: bool):
    """(exit code, stdout, stderr) of ``python -m selector ARGS``, stderr a pseudo-terminal or a pipe."""
    env = {**os.environ, "PYTHONPATH": str(ROOT), "SELECTOR_LANG": "en", "COLUMNS": "100"}
    command = [sys.executable, "-m", "selector", *map(str, args)]
    if not stderr_terminal:
        done = subprocess.run(command, capture_output=True, env=env, timeout=120)
        return done.returncode, done.stdout.decode(), done.stderr.decode()
    master, slave = pty.openpty()
    proc = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=slave, env=env)
    os.close(slave)
    chunks = []
    while True:
        try:
            data = os.read(master, 4096)
        except OSError:  # EIO: the command closed the terminal
            break
        if not data:
            break
        chunks.append(data)
    out = proc.stdout.read().decode()
    proc.wait(timeout=120)
    os.close(master)
    return proc.returncode, out, b"".join(chunks).decode(errors="replace")


def _timeless(text: str) -> str:
    return re.sub(r"\(\d+\.\d s\)", "(x s)", text)


def test_frontier_shows_phases_and_a_bar_on_a_terminal_and_nothing_when_piped(four, tmp_path):
    args = ["frontier", four, "--steps", "3", "--out", tmp_path / "f.csv"]
    code, out_tty, err_tty = _run(args, stderr_terminal=True)
    assert code == 0, err_tty
    assert "· Finding the least total budget that upgrades every unit" in err_tty
    assert "· Finding the budget beyond which more money changes nothing" in err_tty
    assert re.search(r"Budget steps: 100%\|.*\| 3/3", err_tty), err_tty
    code, out_pipe, err_pipe = _run(args, stderr_terminal=False)
    assert code == 0
    assert err_pipe == ""  # piped: no progress, no stray label
    assert _timeless(out_pipe) == _timeless(out_tty)  # the results on stdout are the same either way
    code, out_quiet, err_quiet = _run([*args, "--quiet"], stderr_terminal=True)
    assert (code, out_quiet, err_quiet) == (0, "", "")


def test_a_small_solve_shows_no_progress_even_on_a_terminal(four, tmp_path):
    code, out, err = _run(["solve", four, "--out", tmp_path / "sched.csv"], stderr_terminal=True)
    assert code == 0 and err == "" and "Schedule written to" in out


def test_robustness_bar_only_on_a_terminal(four, tmp_path):
    args = ["robustness", four, "--samples", "4", "--workers", "1", "--out", tmp_path / "r.csv"]
    code, _, err_tty = _run(args, stderr_terminal=True)
    assert code in (0, 4), err_tty
    assert re.search(r"Solving weight samples: 100%\|.*\| 4/4", err_tty), err_tty
    code, _, err_pipe = _run(args, stderr_terminal=False)
    assert "Solving weight samples" not in err_pipe


class FakeTerminal(io.StringIO):
    def isatty(self):
        return True


def test_the_display_writes_a_line_per_phase_and_closes_its_bar():
    stream = FakeTerminal()
    assert shows_progress(False, stream) and not shows_progress(True, stream)
    assert not shows_progress(False, io.StringIO())
    with terminal_progress(False, stream) as on_progress:
        assert isinstance(on_progress, TerminalProgress)
        on_progress(Step("build", "Building the model of 3,000 units"))
        on_progress(Step("frontier", "Budget steps", 0, 2))
        on_progress(Step("frontier", "Budget steps", 2, 2))
        on_progress(Step("solve", "Solving"))
    text = stream.getvalue()
    assert text.startswith("· Building the model of 3,000 units\n")
    assert "Budget steps: 100%" in text and "2/2" in text
    assert text.rstrip().endswith("· Solving")
    with terminal_progress(False, io.StringIO()) as on_progress:
        assert on_progress is None
