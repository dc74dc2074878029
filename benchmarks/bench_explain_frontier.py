"""Wall time of `selector explain` (one unit, with its re-solve) and `selector frontier --steps 20`
on the default scenario, run as a planner would: the CLI in a fresh process.

    PYTHONPATH=. python benchmarks/bench_explain_frontier.py

Targets (issue 3): explain under 3 s, frontier with 20 steps under 30 s. The machine's load
matters: run it on a quiet machine and report the median of the repeats.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CSV = ROOT / "scenarios" / "dlt-offices.csv"


def run(args: list[str]) -> float:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    start = time.perf_counter()
    subprocess.run([sys.executable, "-m", "selector", *args], cwd=ROOT, env=env, check=True,
                   stdout=subprocess.DEVNULL)
    return time.perf_counter() - start


def main() -> None:
    repeats = int(os.environ.get("REPEATS", "3"))
    with tempfile.TemporaryDirectory() as tmp:
        schedule = Path(tmp) / "schedule.csv"
        run(["solve", str(CSV), "--out", str(schedule), "--quiet"])
        # A wave-3 unit: its explanation re-solves with the unit forced into FY2557.
        unit = "DLT-00100"
        explain = [run(["explain", str(CSV), unit, "--schedule", str(schedule)]) for _ in range(repeats)]
        print(f"explain {unit} --schedule: median {statistics.median(explain):.2f} s over {repeats} "
              f"(min {min(explain):.2f}, max {max(explain):.2f})")
        frontier = [run(["frontier", str(CSV), "--steps", "20", "--out", str(Path(tmp) / "f.csv"), "--quiet"])
                    for _ in range(max(1, repeats // 2))]
        print(f"frontier --steps 20: median {statistics.median(frontier):.2f} s over {len(frontier)} "
              f"(min {min(frontier):.2f}, max {max(frontier):.2f})")


if __name__ == "__main__":
    main()
