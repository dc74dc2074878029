"""Benchmark: read and validate a 100,000-unit scenario; refuse a 1 GB file without reading it.

    PYTHONPATH=. python benchmarks/load.py [--units 100000]

Prints the CSV size, the wall and CPU seconds `selector.load` takes and the process's peak memory (max RSS), then
the seconds and memory it takes to refuse a sparse 1 GB file. The scenario is generated with a fixed
seed: units spread over 6 regions with every optional column filled in on some rows.
"""

from __future__ import annotations

import argparse
import os
import random
import resource
import sys
import tempfile
import time
from pathlib import Path

import selector
from selector.errors import ScenarioError
from selector.fields import CRITERIA


def peak_rss_mib() -> float:
    """Peak resident memory of this process so far (Linux reports KiB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def write_scenario(folder: Path, units: int, seed: int = 0) -> Path:
    rng = random.Random(seed)
    regions = ["North", "Northeast", "Central", "East", "West", "South"]
    lines = ["unit_id,name,region,cost," + ",".join(CRITERIA) + ",pilot,earliest_year,latest_year,after,done,province"]
    for i in range(units):
        scores = ",".join(str(rng.randint(1, 5)) for _ in CRITERIA)
        pilot = rng.choice(["", "", "", "", "never"])
        window = rng.choice([",", ",", "2556,", ",2557"])
        after = f"U{i - 1:06d}" if i and rng.random() < 0.05 else ""
        done = "true" if rng.random() < 0.02 else ""
        lines.append(f"U{i:06d},สำนักงาน {i},{rng.choice(regions)},\"{rng.randint(5, 60) * 100_000:,}\",{scores},"
                     f"{pilot},{window},{after},{done},จังหวัด {i % 77}")
    csv_path = folder / "big.csv"
    csv_path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    (folder / "big.toml").write_text(
        "[horizon]\nfirst_year = 2555\nlast_year = 2558\n[budget]\n"
        + "".join(f"{y} = 900_000_000_000\n" for y in range(2555, 2559))
        + "[pilots]\nmin = 1\nmax = 5000\n", encoding="utf-8")
    return csv_path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--units", type=int, default=100_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        csv_path = write_scenario(folder, args.units)
        before = peak_rss_mib()
        start, cpu = time.perf_counter(), time.process_time()
        scenario = selector.load(csv_path)
        seconds, cpu = time.perf_counter() - start, time.process_time() - cpu
        print(f"load + validate: {len(scenario.units):,} units, {csv_path.stat().st_size / 2**20:.1f} MiB CSV, "
              f"{seconds:.2f} s wall, {cpu:.2f} s CPU, peak RSS {peak_rss_mib():.0f} MiB (before loading {before:.0f} MiB)")

        huge = folder / "huge.csv"
        with open(huge, "wb") as f:
            f.truncate(10**9)  # sparse: takes no disk space
        before = peak_rss_mib()
        start = time.perf_counter()
        try:
            selector.load(huge, folder / "big.toml")
        except ScenarioError as exc:
            print(f"1 GB file refused in {time.perf_counter() - start:.3f} s, peak RSS {peak_rss_mib():.0f} MiB "
                  f"(before {before:.0f} MiB): {exc.problems[0]}")
        else:  # pragma: no cover
            sys.exit("the 1 GB file was accepted")


if __name__ == "__main__":
    main()
