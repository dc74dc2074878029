"""Benchmark: 500 weight samples on the default scenario (python -m benchmarks.robustness [SAMPLES] [WORKERS] [GAP]).

Prints the wall-clock seconds and samples per second, and the CPU seconds the solves took, so a run on a
machine shared with other jobs can still be judged (wall time there includes waiting for a core).
Target: 500 samples in under 60 s on 2 cores.
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

import selector
from selector.workflows.robustness.run import robustness

DEFAULT = Path(__file__).resolve().parents[1] / "scenarios" / "dlt-offices.csv"


def main(argv: list[str]) -> None:
    samples = int(argv[0]) if argv else 500
    workers = int(argv[1]) if len(argv) > 1 else (os.cpu_count() or 1)
    gap = float(argv[2]) if len(argv) > 2 else None
    scenario = selector.load(DEFAULT)
    load_before = os.getloadavg()[0]
    started = time.perf_counter()
    result = robustness(scenario, samples=samples, seed=0, workers=workers, gap=gap)
    seconds = time.perf_counter() - started
    o = result.options
    print(f"{samples} samples, {workers} worker(s), gap {o['gap']:g}: {seconds:.1f} s wall, "
          f"{samples / seconds:.2f} samples/s")
    print(f"solver CPU {o['cpu_seconds']:.1f} s in total, {o['cpu_seconds'] / samples:.3f} s per sample "
          f"(an idle {workers}-core machine needs about {o['cpu_seconds'] / workers:.1f} s of solving)")
    print(f"statuses: {result.measure('samples_optimal')} optimal, {result.measure('samples_not_proven')} not proven; "
          f"load average {load_before:.1f} before, {os.getloadavg()[0]:.1f} after (cores: {os.cpu_count()})")


if __name__ == "__main__":
    main(sys.argv[1:])
