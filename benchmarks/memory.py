"""Where the peak memory of one large solve is: the peak resident memory of each phase.

    python -m benchmarks.memory                      # 50,000 units, seed 1
    python -m benchmarks.memory --units 10000 --time-limit 60

It makes ``selector synth --units N --seed S`` in a child process, then, in a fresh child, runs what
``selector solve --out S.csv --json S.json`` runs, one phase at a time: import, load (reading and
validating), each phase ``selector.solve`` reports (build, solve, margins...), the schedule CSV and
the JSON record. Before each phase the kernel's peak-RSS counter is reset (``/proc/self/clear_refs``
with 5, Linux 4.0 and later), so each line is that phase's own peak (``VmHWM``), beside the resident
memory when it ends (``VmRSS``). The largest peak is the process's peak: what ``benchmarks.scale``
reports as ``ru_maxrss``. Not a test; the machine's other work does not change memory much.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def status_mb(field: str) -> float:
    """A field of /proc/self/status (VmHWM, VmRSS) in MB."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1]) / 1024
    return float("nan")


def reset_peak() -> None:
    with open("/proc/self/clear_refs", "w") as f:
        f.write("5")


def child(csv_path: str, work: str, time_limit: float) -> None:
    """The phases, in this process; prints one JSON line per phase."""
    phases: list[dict] = []

    def mark(name: str) -> None:
        phases.append({"phase": name, "peak_mb": round(status_mb("VmHWM"), 1), "rss_mb": round(status_mb("VmRSS"), 1)})
        reset_peak()

    reset_peak()
    import selector
    from selector.outputs.files import write_json, write_schedule_csv

    mark("import")
    scenario = selector.load(csv_path)
    mark("load")
    current = ["solve: options"]

    def on_progress(step) -> None:
        if step.phase != current[0]:
            mark(current[0])
            current[0] = step.phase

    plan = selector.solve(scenario, time_limit=time_limit, gap=1e-4, on_progress=on_progress)
    mark(current[0])
    write_schedule_csv(plan, Path(work) / "schedule.csv")
    mark("schedule CSV")
    write_json(plan, Path(work) / "record.json")
    mark("JSON record")
    print(json.dumps({"status": str(plan.status), "phases": phases}))


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--units", type=int, default=50_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--time-limit", type=float, default=120.0)
    parser.add_argument("--child", nargs=2, metavar=("CSV", "WORK"), help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        child(args.child[0], args.child[1], args.time_limit)
        return
    env = {**os.environ, "PYTHONPATH": str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", "")}
    with tempfile.TemporaryDirectory() as work:
        make = (f"import selector; print(selector.synth({args.units}, seed={args.seed}, out={work!r}))")
        csv_path = subprocess.run([sys.executable, "-c", make], env=env, cwd=ROOT, check=True, capture_output=True,
                                  text=True).stdout.strip().splitlines()[-1]
        run = subprocess.run([sys.executable, "-m", "benchmarks.memory", "--time-limit", str(args.time_limit),
                              "--child", csv_path, work], env=env, cwd=ROOT, check=True, capture_output=True, text=True)
        result = json.loads(run.stdout.strip().splitlines()[-1])
    print(f"{args.units:,} units, seed {args.seed}: {result['status']}")
    print(f"{'phase':<16} {'peak MB':>9} {'RSS at end MB':>14}")
    for p in result["phases"]:
        print(f"{p['phase']:<16} {p['peak_mb']:>9.1f} {p['rss_mb']:>14.1f}")
    print(f"process peak: {max(p['peak_mb'] for p in result['phases']):.1f} MB")


if __name__ == "__main__":
    main()
