"""How selector scales: synthetic scenarios from 200 to 50,000 units, solved to a 0.01% gap.

    python -m benchmarks.scale                       # 200, 1,000, 10,000, 30,000, 50,000 units
    python -m benchmarks.scale --sizes 200,1000      # a quick smoke run
    python -m benchmarks.scale --out results.md --baseline-max 10000 --seed 1
    python -m benchmarks.scale --sizes 50000 --costs      # with cost profiles and two budget categories
    python -m benchmarks.scale --sizes 50000 --costs --running-costs   # and running costs

For each size, on ``selector synth --units N --seed S``:

- **end to end**: the wall time of ``python -m selector solve`` in a child process (Python
  start-up, loading, validating, building, solving and writing included), its peak memory
  (``ru_maxrss`` of that child, from ``os.wait4``), and the status, objective, bound, proven gap,
  build and solve seconds it wrote to its ``--json`` record;
- **LP relaxation**: the same model (built here, in this process) passed to HiGHS with every
  integer relaxed, HiGHS's default LP settings; the solve / LP ratio compares it with the
  end-to-end run's solve time;
- **baseline** (sizes up to ``--baseline-max``): the same model solved the straightforward way,
  PuLP's own HiGHS interface with the same gap (``selector.solvers.pulp_highs.run_highs_plain``), with a
  ``--baseline-limit`` time limit.

It writes ``benchmarks/results.md`` (or ``--out``) with a description of the machine. It is not
part of the test suite: timings depend on the machine and on what else runs on it (the load
average is recorded).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_SIZES = (200, 1_000, 10_000, 30_000, 50_000)
GAP = 1e-4


def machine() -> dict[str, str]:
    """nproc, CPU model, memory, load, Python, HiGHS and PuLP versions."""
    import highspy
    import pulp

    cpu = "unknown"
    memory = "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal"):
                memory = f"{int(line.split()[1]) / 1024 / 1024:.1f} GiB"
                break
    except OSError:
        pass
    load = ", ".join(f"{x:.2f}" for x in os.getloadavg()) if hasattr(os, "getloadavg") else "unknown"
    with _quiet_stdout():
        h = highspy.Highs()
        highs_version = h.version()
    return {
        "nproc": str(os.cpu_count()),
        "CPU": cpu,
        "memory": memory,
        "load average at start (1, 5, 15 min)": load,
        "OS": platform.platform(),
        "Python": platform.python_version(),
        "HiGHS (highspy)": highs_version,
        "PuLP": pulp.__version__,
    }


class _quiet_stdout:
    """HiGHS prints a banner on file descriptor 1 when created: keep the benchmark's output clean."""

    def __enter__(self):
        sys.stdout.flush()
        self.saved = os.dup(1)
        self.null = os.open(os.devnull, os.O_WRONLY)
        os.dup2(self.null, 1)

    def __exit__(self, *exc):
        os.dup2(self.saved, 1)
        os.close(self.saved)
        os.close(self.null)


def end_to_end(csv_path: Path, work: Path, time_limit: float) -> dict:
    """Run ``python -m selector solve`` as a child process; wall time, peak memory and its JSON record."""
    out, record = work / "schedule.csv", work / "record.json"
    env = {**os.environ, "PYTHONPATH": str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", "")}
    command = [sys.executable, "-m", "selector", "solve", str(csv_path), "--out", str(out), "--json", str(record),
               "--quiet", "--time-limit", str(time_limit), "--gap", str(GAP)]
    start = time.perf_counter()
    child = subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(child.pid, 0)
    wall = time.perf_counter() - start
    child.returncode = os.waitstatus_to_exitcode(status)
    stderr = child.stderr.read().decode("utf-8", "replace") if child.stderr else ""
    if child.returncode not in (0, 4):
        raise RuntimeError(f"selector solve exited {child.returncode}: {stderr.strip()}")
    data = json.loads(record.read_text(encoding="utf-8"))
    check = subprocess.run([sys.executable, "-m", "selector", "check", str(csv_path), str(out), "--quiet"],
                           cwd=ROOT, env=env, capture_output=True, text=True)
    return {
        "wall": wall,
        "peak_mb": usage.ru_maxrss / 1024,  # Linux reports KiB
        "status": data["status"],
        "objective": data["objective"],
        "bound": data["bound"],
        "gap": data["gap"],
        "build": data["seconds"]["build"],
        "solve": data["seconds"]["solve"],
        "check": "passes" if check.returncode == 0 else f"FAILS ({check.returncode})",
    }


def in_process(csv_path: Path, baseline: bool, baseline_limit: float) -> dict:
    """LP relaxation time of the model, and the straightforward baseline solve if asked."""
    import highspy

    import selector
    from selector.model.build import build_model
    from selector.solvers import highs
    from selector.solvers.pulp_highs import run_highs_plain

    scenario = selector.load(csv_path)
    result: dict = {}
    model = build_model(scenario)
    arrays = highs.problem_arrays(model.prob)
    for key, lp_arrays, method in (("lp", arrays, None), ("lp_fast", highs.row_scaled(arrays), "ipm")):
        with _quiet_stdout():
            h = highspy.Highs()
        h.setOptionValue("output_flag", False)
        # selector runs HiGHS on one thread; HiGHS's thread pool is per process and set by its first
        # run, so every run here uses one thread too.
        h.setOptionValue("threads", 1)
        if method:
            h.setOptionValue("solver", method)
        highs.pass_arrays(h, lp_arrays, lp_arrays.lower, lp_arrays.upper, integer=False)
        start = time.perf_counter()
        h.run()
        result[key] = time.perf_counter() - start
        result[key + "_status"] = h.modelStatusToString(h.getModelStatus())
        del h
    del arrays, model
    if baseline:
        start = time.perf_counter()
        model = build_model(scenario)
        result["base_build"] = time.perf_counter() - start
        run = run_highs_plain(model.prob, baseline_limit, GAP, False)
        result.update(base_solve=run.seconds, base_status=run.status, base_gap=run.gap, base_objective=run.objective)
    return result


def _fmt(value, digits: int = 2) -> str:
    if value is None:
        return "-"
    if isinstance(value, float):
        return f"{value:.{digits}f}"
    return str(value)


def _pct(gap) -> str:
    return "-" if gap is None else f"{100 * gap:.4f}%"


def render(rows: list[dict], info: dict[str, str], args) -> str:
    lines = [
        "# selector at national scale",
        "",
        "Written by `" + " ".join(["python -m benchmarks.scale", *sys.argv[1:]]) + "`"
        + f" on {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}. Synthetic scenarios from "
        f"`selector synth --units N --seed {args.seed}{' --costs' if args.costs else ''}{' --running-costs' if args.running_costs else ''}`; relative gap {GAP:g} (0.01%).",
        "",
        "## Machine",
        "",
        *[f"- {k}: {v}" for k, v in info.items()],
        "",
        "## Results",
        "",
        f"Times in seconds; end to end is the median of {args.repeat} run(s) of `python -m selector solve` "
        "(start-up included); build and solve are from that run's JSON record; peak memory is the child's maxrss. "
        "LP = the LP relaxation of the same model passed to HiGHS in one call, with HiGHS's default LP settings "
        "(dual simplex, unscaled rows); LP fast = the same with the fast path's settings (rows scaled by powers "
        "of two, interior point with crossover). Solve includes reading the PuLP model into arrays and writing "
        "the values back. "
        "Baseline = the same model through PuLP's own HiGHS interface (`pulp.HiGHS`, same gap).",
        "",
        "| units | end to end | peak MB | build | solve | LP | LP fast | solve / LP | solve / LP fast | status "
        "| objective | bound | proven gap | check | baseline solve | baseline status (gap) | baseline / solve |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|---:|---:|---:|---|---:|---|---:|",
    ]
    for r in rows:
        base = r.get("base_solve")
        lines.append(
            f"| {r['units']} | {_fmt(r['wall'])} | {_fmt(r['peak_mb'], 0)} | {_fmt(r['build'])} | {_fmt(r['solve'])} "
            f"| {_fmt(r['lp'])} | {_fmt(r['lp_fast'])} | {_fmt(r['solve'] / r['lp'] if r['lp'] else None)} "
            f"| {_fmt(r['solve'] / r['lp_fast'] if r['lp_fast'] else None)} | {r['status']} "
            f"| {_fmt(r['objective'], 4)} | {_fmt(r['bound'], 4)} | {_pct(r['gap'])} | {r['check']} "
            f"| {_fmt(base)} | {(r['base_status'] + ' (' + _pct(r['base_gap']) + ')') if base is not None else 'not run'} "
            f"| {_fmt(base / r['solve'] if base is not None and r['solve'] else None, 1)} |"
        )
    lines += ["", "Targets (issue 7): default scenario end to end < 2 s; 10,000 units proven gap <= 0.01% in < 3 s "
              "of solve; 50,000 units end to end < 30 s and peak memory < 1 GB; solve <= 1.5x the LP relaxation.", ""]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.scale", description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", default=",".join(map(str, DEFAULT_SIZES)),
                        help="comma-separated numbers of units (default: %(default)s)")
    parser.add_argument("--seed", type=int, default=1, help="seed of the synthetic scenarios (default: %(default)s)")
    parser.add_argument("--repeat", type=int, default=1, help="end-to-end runs per size; the median is kept")
    parser.add_argument("--time-limit", type=float, default=600, help="solver time limit of selector solve (s)")
    parser.add_argument("--baseline-max", type=int, default=10_000,
                        help="largest size for the plain PuLP + HiGHS baseline (default: %(default)s)")
    parser.add_argument("--baseline-limit", type=float, default=300, help="baseline time limit (s)")
    parser.add_argument("--no-default", action="store_true", help="skip the default scenario (195 DLT offices)")
    parser.add_argument("--costs", action="store_true",
                        help="synthetic scenarios with cost profiles and two budget categories "
                             "(selector synth --costs, docs/costs.md)")
    parser.add_argument("--running-costs", action="store_true", help="with --costs: running costs too")
    parser.add_argument("--out", type=Path, default=ROOT / "benchmarks" / "results.md", help="the Markdown report")
    args = parser.parse_args(argv)
    sizes = [int(s.replace("_", "")) for s in args.sizes.split(",") if s.strip()]

    sys.path.insert(0, str(ROOT))
    import selector
    from selector.atomic import write_text_atomic

    info = machine()
    rows = []
    with tempfile.TemporaryDirectory(prefix="selector-bench-") as tmp:
        work = Path(tmp)
        cases = [] if args.no_default else [("default (DLT, 195)", ROOT / "scenarios" / "dlt-offices.csv", 195)]
        for units in sizes:
            cases.append((f"{units:,}", selector.synth(units, seed=args.seed, out=work, costs=args.costs or args.running_costs,
                                                         running_costs=args.running_costs), units))
        for label, csv_path, units in cases:
            runs = [end_to_end(csv_path, work, args.time_limit) for _ in range(max(1, args.repeat))]
            row = dict(sorted(runs, key=lambda r: r["wall"])[len(runs) // 2])
            row["units"] = label
            row.update(in_process(csv_path, units <= args.baseline_max, args.baseline_limit))
            rows.append(row)
            print(f"{label:>18} units: end to end {row['wall']:.2f} s, solve {row['solve']:.2f} s, LP {row['lp']:.2f} s, "
                  f"LP fast {row['lp_fast']:.2f} s, "
                  f"{row['status']} gap {_pct(row['gap'])}, peak {row['peak_mb']:.0f} MB"
                  + (f"; baseline {row['base_solve']:.2f} s {row['base_status']}" if "base_solve" in row else ""),
                  flush=True)
    write_text_atomic(args.out, render(rows, info, args))
    print(f"Wrote {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
