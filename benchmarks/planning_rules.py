"""The planning rules on the default scenario: what balance changes, and how long every rule takes.

    PYTHONPATH=. python benchmarks/planning_rules.py            # effect of [pilots.balance] + timings
    PYTHONPATH=. python benchmarks/planning_rules.py --repeat 3  # best of 3 for each timing

Part 1 solves the default scenario with and without the balance rule of
scenarios/dlt-offices-all-rules.toml and lists the pilots that leave and join, with the balance
table of each plan. Part 2 times each rule alone and all rules together (wall-clock seconds of the
solve, as reported by the Plan, and the process CPU seconds, which the load of a shared machine
does not inflate).
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

import selector
from selector.model.balance import balance_table

ROOT = Path(__file__).resolve().parents[1]
CSV = ROOT / "scenarios" / "dlt-offices.csv"
ALL_RULES = ROOT / "scenarios" / "dlt-offices-all-rules.toml"


def balance_effect(tolerances: tuple[float, ...]) -> None:
    base_scenario = selector.load(CSV)
    columns = selector.load(CSV, ALL_RULES).settings.balance_columns
    base = selector.solve(base_scenario)
    names = base_scenario.units.set_index("unit_id")
    before = set(base.pilots["unit_id"])
    for tolerance in tolerances:
        scenario = base_scenario.with_settings(balance_columns=columns, balance_tolerance=tolerance)
        balanced = selector.solve(scenario)
        after = set(balanced.pilots["unit_id"])
        print(f"[pilots.balance] columns = {list(columns)}, tolerance = {tolerance:g}")
        print(f"  objective {base.objective:.4f} ({base.status}) -> {balanced.objective:.4f} ({balanced.status})")
        for sign, ids in (("-", sorted(before - after)), ("+", sorted(after - before))):
            for uid in ids:
                row = names.loc[uid]
                print(f"  {sign} {uid} {row['province']} ({row['kind']}, {row['region']}): importance "
                      f"{row['importance']:g}, workload {row['workload']:g}, population_served "
                      f"{int(row['population_served']):,}")
        for label, pilots in (("without", base.pilots["unit_id"]), ("with", balanced.pilots["unit_id"])):
            table = balance_table(scenario, pilots).set_index("column").loc[list(columns)]
            print(f"  {label:7}: " + "; ".join(f"{c} {r.pilot_mean:.4g} vs {r.network_mean:.4g} (d = {r.std_difference:+.3f})"
                                               for c, r in table.iterrows()))


def timings(repeat: int) -> None:
    full = selector.load(CSV, ALL_RULES)
    s = full.settings
    base = selector.load(CSV)
    variants = {
        "none (default scenario)": {},
        "balance": dict(balance_columns=s.balance_columns, balance_tolerance=s.balance_tolerance),
        "max_share": dict(max_share=s.max_share),
        "capacity (max_units, by)": dict(max_units=s.max_units, capacity_by=s.capacity_by),
        "fairness min_per_year": dict(fairness_column=s.fairness_column, fairness_min_per_year=s.fairness_min_per_year),
        "fairness max_completion_gap": dict(fairness_column=s.fairness_column,
                                            fairness_max_completion_gap=s.fairness_max_completion_gap),
        "mentors": dict(mentors_column=s.mentors_column, mentors_lag=s.mentors_lag),
        "funds": dict(funds=s.funds),
    }
    print(f"{'rules on':34} {'status':8} {'objective':>10} {'solve s':>8} {'cpu s':>7}")
    cases = [(name, base.with_settings(**changes) if changes else base) for name, changes in variants.items()]
    cases.append(("ALL (dlt-offices-all-rules.toml)", full))
    for name, scenario in cases:
        best_wall = best_cpu = float("inf")
        for _ in range(repeat):
            cpu = time.process_time()
            plan = selector.solve(scenario)
            best_cpu = min(best_cpu, time.process_time() - cpu)
            best_wall = min(best_wall, plan.build_seconds + plan.solve_seconds)
        print(f"{name:34} {plan.status:8} {plan.objective:10.4f} {best_wall:8.2f} {best_cpu:7.2f}")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=1)
    args = parser.parse_args()
    balance_effect((0.25, 0.1))
    print()
    timings(args.repeat)
