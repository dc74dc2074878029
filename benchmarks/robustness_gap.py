"""Benchmark: does a looser solver gap change the robustness answer more than sampling does?
(python -m benchmarks.robustness_gap [SAMPLES] [WORKERS] [LOOSE_GAP])

Runs ``selector.robustness`` on the default scenario three times: the scenario's gap with seed 0 and
with seed 1 (the difference is Monte Carlo noise: other weight draws, same precision), and the loose gap
(default 0.001) with seed 0 (the difference from the first run is the solver gap alone: the same weight
draws, less precise plans). For each pair it prints the largest and the mean change of a unit's pilot
acceptability, of its share in a fiscal year and of its mean year, and the units that change class.

If the loose gap moves the answer more than another seed does, speed bought with the gap is not free.
Measured on the default scenario (500 samples): see the README, "How robust is the plan to the weights?".
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

import pandas as pd

import selector
from selector.workflows.robustness.run import robustness

DEFAULT = Path(__file__).resolve().parents[1] / "scenarios" / "dlt-offices.csv"


def changes(a: pd.DataFrame, b: pd.DataFrame) -> dict[str, object]:
    """How much two per-unit robustness tables differ."""
    a, b = a.set_index("unit_id"), b.set_index("unit_id").loc[a["unit_id"]]
    acc = (a["acceptability"] - b["acceptability"]).abs()
    either = (a["acceptability"] > 0) | (b["acceptability"] > 0)
    shares = [c for c in a.columns if c.startswith("share_FY")]
    return {
        "acceptability max": acc.max(),
        "acceptability mean (units ever a pilot)": acc[either].mean(),
        "year share max": max((a[c] - b[c]).abs().max() for c in shares),
        "mean year max (years)": (a["mean_year"] - b["mean_year"]).abs().max(),
        "units changing class": sorted(a.index[a["class"] != b["class"]]),
    }


def main(argv: list[str]) -> None:
    samples = int(argv[0]) if argv else 500
    workers = int(argv[1]) if len(argv) > 1 else (os.cpu_count() or 1)
    loose = float(argv[2]) if len(argv) > 2 else 0.001
    scenario = selector.load(DEFAULT)
    runs = {}
    for name, seed, gap in (("tight, seed 0", 0, None), ("tight, seed 1", 1, None), ("loose, seed 0", 0, loose)):
        started = time.perf_counter()
        result = robustness(scenario, samples=samples, seed=seed, workers=workers, gap=gap)
        runs[name] = result
        print(f"{name}: gap {result.options['gap']:g}, {time.perf_counter() - started:.1f} s wall, "
              f"{result.options['cpu_seconds'] / samples:.3f} s CPU per sample, "
              f"{result.measure('samples_optimal')} of {samples} proven")
    for title, (x, y) in (("Monte Carlo noise (tight gap, seed 0 vs seed 1)", ("tight, seed 0", "tight, seed 1")),
                          (f"solver gap {loose:g} vs the scenario's (same draws, seed 0)", ("tight, seed 0", "loose, seed 0"))):
        print(f"\n{title}:")
        for key, value in changes(runs[x].units, runs[y].units).items():
            print(f"  {key}: {value if isinstance(value, list) else f'{value:.3f}'}")


if __name__ == "__main__":
    main(sys.argv[1:])
