"""Wall time of `selector explain` (one unit, with its re-solve) and `selector frontier --steps 20`
on the default scenario, run as a planner would: the CLI in a fresh process.

    PYTHONPATH=. python benchmarks/bench_explain_frontier.py

Targets (issue 3): explain under 3 s, frontier with 20 steps under 30 s. The machine's load
matters: run it on a quiet machine and report the median of the repeats.
"""

from __future__ import annotations

import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CSV = ROOT / "scenarios" / "dlt-offices.csv"


def run(args: list[str]) -> tuple[float, float]:
    """(wall seconds, CPU seconds of the child): on a shared, loaded machine the CPU time is the steadier figure."""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run([sys.executable, "-m", "selector", *args], cwd=ROOT, env=env, check=True,
                   stdout=subprocess.DEVNULL)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def _line(label: str, runs: list[tuple[float, float]]) -> str:
    walls, cpus = [w for w, _ in runs], [c for _, c in runs]
    return (f"{label}: wall median {statistics.median(walls):.2f} s (min {min(walls):.2f}, max {max(walls):.2f}); "
            f"CPU median {statistics.median(cpus):.2f} s; {len(runs)} run(s); load average {os.getloadavg()[0]:.1f}")


def main() -> None:
    repeats = int(os.environ.get("REPEATS", "3"))
    with tempfile.TemporaryDirectory() as tmp:
        schedule = Path(tmp) / "schedule.csv"
        run(["solve", str(CSV), "--out", str(schedule), "--quiet"])
        # A wave-3 unit: its explanation re-solves with the unit forced into FY2557.
        unit = "DLT-00100"
        explain = [run(["explain", str(CSV), unit, "--schedule", str(schedule)]) for _ in range(repeats)]
        print(_line(f"explain {unit} --schedule", explain))
        frontier = [run(["frontier", str(CSV), "--steps", "20", "--out", str(Path(tmp) / "f.csv"), "--quiet"])
                    for _ in range(max(1, repeats // 2))]
        print(_line("frontier --steps 20", frontier))


if __name__ == "__main__":
    main()
