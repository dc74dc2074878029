"""Benchmark: many solves of one model, each against a plain re-solve from scratch (python -m benchmarks.resolves).

    python -m benchmarks.resolves [--samples 500] [--baseline-samples 20] [--workers 2] [--steps 20] [--count 5]

In one run, on the default scenario (195 units):

- robustness: ``--samples`` weight samples through the solver session (one model per worker, only
  the costs change), against a from-scratch solve per sample (``selector.solve`` on the scenario
  with the sample's weights) timed on the first ``--baseline-samples`` samples; the ratio is of
  CPU seconds per sample, and the two must give the same objectives within the gap;
- frontier: ``--steps`` budgets, the session with every step started from the least budget's plan, against
  ``frontier(reuse=False)``, every solve (minimum budget, saturation, steps) from scratch;
- alternatives: K = ``--count`` within 1%, cuts added in place, against a fresh model with the
  cuts built in (``selector.solve(extra=...)``) for each plan;
- the all-planning-rules scenario: one ``selector.solve`` (the fast path), against HiGHS through
  PuLP's own interface.

The machine may be shared: every figure is given as CPU seconds of this process (and, for the
robustness workers, the CPU the solves took) besides the wall clock, with the load average before
and after.
"""

from __future__ import annotations

import argparse
import os
import time
from pathlib import Path

import numpy as np
import pulp

import selector
from selector.fields import CRITERIA
from selector.model.build import build_model
from selector.solvers.pulp_highs import run_highs_plain
from selector.workflows.alternatives import alternatives
from selector.workflows.money import frontier
from selector.workflows.robustness.run import robustness
from selector.workflows.robustness.sampling import WEIGHT_SETS, sample_weights

ROOT = Path(__file__).resolve().parents[1]
DEFAULT = ROOT / "scenarios" / "dlt-offices.csv"
ALL_RULES = ROOT / "scenarios" / "dlt-offices-all-rules.toml"


class Clock:
    """Wall and CPU seconds of this process over a block."""

    def __enter__(self):
        self.wall, self.cpu = time.perf_counter(), time.process_time()
        return self

    def __exit__(self, *exc):
        self.wall, self.cpu = time.perf_counter() - self.wall, time.process_time() - self.cpu
        return False


def line(name: str, fast: float, plain: float, unit: str, note: str = "") -> str:
    return f"{name:<34} {fast:9.2f} {unit:<14} plain {plain:9.2f} {unit:<14} ratio {plain / max(fast, 1e-9):6.2f}x  {note}"


def bench_robustness(scenario, samples: int, baseline_samples: int, workers: int) -> list[str]:
    with Clock() as fast:
        result = robustness(scenario, samples=samples, seed=0, workers=workers)
    cpu = result.options["cpu_seconds"]
    drawn = sample_weights(scenario, baseline_samples, 0, 100.0, False)
    names = list(CRITERIA)
    objectives = []
    with Clock() as plain:
        for s in range(baseline_samples):
            weights = {kind: {c: float(w) for c, w in zip(names, drawn[kind][s]) if w > 0} for kind in WEIGHT_SETS}
            plan = selector.solve(scenario.with_(weights=weights))
            objectives.append(plan.objective)
    sampled = result.samples.set_index("sample")["objective"].to_numpy()[:baseline_samples]
    gap = float(result.options["gap"])
    agree = bool(np.all(np.abs(sampled - np.array(objectives)) <= 2 * gap * np.abs(np.array(objectives)) + 1e-9))
    per_fast, per_plain = cpu / samples, plain.cpu / baseline_samples
    return [
        f"robustness: {samples} samples, {workers} worker(s): {fast.wall:.1f} s wall, {cpu:.1f} s of solver CPU "
        f"({result.measure('samples_optimal')} proven optimal)",
        line("robustness, CPU per sample", per_fast, per_plain, "s/sample",
             f"(plain: {baseline_samples} samples rebuilt and solved; objectives agree within the gap: {agree})"),
    ]


def bench_frontier(scenario, steps: int) -> list[str]:
    with Clock() as fast:
        table, least = frontier(scenario, steps)
    with Clock() as plain:
        reference, _ = frontier(scenario, steps, reuse=False)
    proven = (table["status"] == "optimal") & (reference["status"] == "optimal")
    gap = scenario.settings.gap
    agree = bool(np.all(np.abs(table["objective"] - reference["objective"])[proven]
                        <= 2 * gap * reference["objective"].abs()[proven] + 1e-9))
    return [line(f"frontier, {steps} steps (CPU)", fast.cpu, plain.cpu, "s",
                 f"(wall {fast.wall:.1f} s vs {plain.wall:.1f} s; {int((table['status'] == 'optimal').sum())} of {steps} "
                 f"steps proven (plain {int((reference['status'] == 'optimal').sum())}); plain: every solve from scratch; "
                 f"objectives of the steps both proved agree within the gap: {agree})")]


def bench_alternatives(scenario, count: int) -> list[str]:
    with Clock() as fast:
        alt = alternatives(scenario, count=count, within=0.01)
    threshold = alt.threshold

    def cuts_for(plans):
        def extra(m):
            objective = m.prob.objective
            m.prob.addConstraint(objective >= threshold, "alt_objective")
            for k, plan in enumerate(plans):
                pilots = set(plan.pilots["unit_id"])
                terms = [(var, -1.0 if uid in pilots else 1.0) for uid, var in m.p.items()]
                m.prob.addConstraint(pulp.LpAffineExpression(terms) >= 1 - len(pilots & set(m.p)), f"alt_cut_{k}")
        return extra

    objectives = []
    with Clock() as plain:
        for k in range(1, len(alt.plans)):
            objectives.append(selector.solve(scenario, extra=cuts_for(alt.plans[:k])).objective)
    found = [p.objective for p in alt.plans[1:]]
    gap = scenario.settings.gap
    agree = bool(np.all(np.abs(np.array(found) - np.array(objectives)) <= 2 * gap * np.abs(np.array(objectives)) + 1e-9))
    return [line(f"alternatives, K={count} within 1% (CPU)", fast.cpu, plain.cpu + alt.plans[0].solve_seconds, "s",
                 f"(wall {fast.wall:.1f} s; {len(alt.plans)} plans; plain: a fresh model with the cuts per plan; "
                 f"plan k's objective agrees within the gap: {agree})")]


def bench_all_rules() -> list[str]:
    scenario = selector.load(DEFAULT, ALL_RULES)
    with Clock() as fast:
        plan = selector.solve(scenario)
    model = build_model(scenario)
    with Clock() as plain:
        run = run_highs_plain(model.prob, 60, scenario.settings.gap, False)
    return [line("all rules, one solve (CPU)", fast.cpu, plain.cpu, "s",
                 f"(wall {fast.wall:.1f} s, {plan.status}, objective {plan.objective:.4f}; plain: HiGHS through "
                 f"PuLP, {run.status}, {run.objective:.4f})")]


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--samples", type=int, default=500)
    parser.add_argument("--baseline-samples", type=int, default=20)
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--steps", type=int, default=20)
    parser.add_argument("--count", type=int, default=5)
    parser.add_argument("--skip", action="append", default=[], choices=["robustness", "frontier", "alternatives", "rules"])
    args = parser.parse_args(argv)
    scenario = selector.load(DEFAULT)
    print(f"load average {os.getloadavg()[0]:.1f} before (cores: {os.cpu_count()})", flush=True)
    parts = {"frontier": lambda: bench_frontier(scenario, args.steps),
             "alternatives": lambda: bench_alternatives(scenario, args.count),
             "rules": bench_all_rules,
             "robustness": lambda: bench_robustness(scenario, args.samples, args.baseline_samples, args.workers)}
    for name, part in parts.items():
        if name not in args.skip:
            for text in part():
                print(text, flush=True)
    print(f"load average {os.getloadavg()[0]:.1f} after", flush=True)


if __name__ == "__main__":
    main()
