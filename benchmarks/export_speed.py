"""How long the plan submission takes to write for the default scenario (195 units).

    PYTHONPATH=. python benchmarks/export_speed.py

Solves once, then writes the Thai workbook and the Thai HTML report a few times each and prints
the median seconds of each, and the file sizes.
"""

from __future__ import annotations

import datetime as dt
import statistics
import tempfile
import time
from pathlib import Path

import selector
from selector.outputs.workbook import write_workbook
from selector.outputs.html import write_report

ROOT = Path(__file__).resolve().parents[1]
DAY = dt.date(2012, 9, 30)


def median_seconds(action, repeats: int = 5) -> float:
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        action()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    plan = selector.solve(selector.load(ROOT / "scenarios" / "dlt-offices.csv"))
    with tempfile.TemporaryDirectory() as tmp:
        xlsx, html = Path(tmp) / "plan.xlsx", Path(tmp) / "plan.html"
        workbook = median_seconds(lambda: write_workbook(plan, xlsx, "th", DAY))
        report = median_seconds(lambda: write_report(plan, html, "th", DAY))
        print(f"workbook: {workbook:.3f} s median of 5, {xlsx.stat().st_size:,} bytes")
        print(f"report:   {report:.3f} s median of 5, {html.stat().st_size:,} bytes")


if __name__ == "__main__":
    main()
