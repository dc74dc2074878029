"""Time `selector.replan` on the default scenario (the README's worked example).

    PYTHONPATH=. python benchmarks/replan_dlt.py

Solves the default scenario for the baseline, then re-plans from FY2557 with FY2557 cut by 25% and
the cut carried into FY2558, at stability 0, 1 (default) and 1000; prints moves, status and seconds.
"""

from __future__ import annotations

import time
from pathlib import Path

import selector

ROOT = Path(__file__).resolve().parents[1]
CSV = ROOT / "scenarios" / "dlt-offices.csv"
PROGRESS = ROOT / "scenarios" / "dlt-offices-progress-2557.csv"
BUDGET = {2557: 111_750_000, 2558: 198_750_000}


def main() -> None:
    scenario = selector.load(CSV)
    start = time.perf_counter()
    plan = selector.solve(scenario)
    print(f"baseline solve: {plan.status}, {time.perf_counter() - start:.2f} s")
    for stability, later in ((0.0, 2.0), (1.0, 2.0), (1000.0, 1.0)):
        start = time.perf_counter()
        result = selector.replan(scenario, plan.schedule, PROGRESS, 2557, stability, later, budget=BUDGET)
        seconds = time.perf_counter() - start
        print(f"replan stability {stability:g} later x{later:g}: {result.status}, {len(result.moves)} moves, "
              f"objective {result.objective:.4f}, solver {result.plan.solve_seconds:.2f} s, total {seconds:.2f} s")


if __name__ == "__main__":
    main()
