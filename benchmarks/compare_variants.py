"""Time solving the default scenario and the three variants of notebooks/compare-scenarios.ipynb.

    python benchmarks/compare_variants.py [--repeat N]

Prints each variant's build + solve seconds, wall clock and CPU (the best of N runs), and their
totals. On a shared machine the CPU seconds are the fairer figure: HiGHS's branch and bound here
runs on one thread, so wall time on an idle machine is close to CPU time. The variants are
the notebook's: FY2556 cut by 20% (deferred to FY2558), success weighing 0.45 in the pilot score,
14 to 18 pilots.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import selector  # noqa: E402


def variants(scenario: selector.Scenario) -> dict[str, selector.Scenario]:
    budget = scenario.settings.budget
    cut = 0.2 * budget[2556]
    return {
        "base": scenario,
        "FY2556 cut 20%": scenario.with_(budget={2556: budget[2556] - cut, 2558: budget[2558] + cut}),
        "success counts more": scenario.with_(weights={"pilot": {
            "infrastructure": 0.15, "staff": 0.10, "leadership": 0.10, "success": 0.45, "risk": 0.20}}),
        "14-18 pilots": scenario.with_(pilots=(14, 18)),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    scenario = selector.load(ROOT / "scenarios" / "dlt-offices.csv")
    best: dict[str, float] = {}
    best_cpu: dict[str, float] = {}
    for name, variant in variants(scenario).items():
        runs, cpu = [], []
        for _ in range(args.repeat):
            started, started_cpu = time.perf_counter(), time.process_time()
            plan = selector.solve(variant)
            runs.append(time.perf_counter() - started)
            cpu.append(time.process_time() - started_cpu)
        best[name], best_cpu[name] = min(runs), min(cpu)
        print(f"{name:22s} {plan.status:9s} objective {plan.objective:10.4f}  wall {best[name]:.2f} s  "
              f"cpu {best_cpu[name]:.2f} s  (wall runs {', '.join(f'{r:.2f}' for r in runs)})")
    print(f"total of the best runs: wall {sum(best.values()):.2f} s, cpu {sum(best_cpu.values()):.2f} s")


if __name__ == "__main__":
    main()
