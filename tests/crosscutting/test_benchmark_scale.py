"""A smoke run of the scale benchmark (benchmarks/scale.py): tiny sizes, the report's shape only."""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:  # benchmarks/ is not an installed package: import it from the checkout
    sys.path.insert(0, str(ROOT))

from benchmarks import scale  # noqa: E402


def test_smoke_run_writes_a_report_with_the_machine_and_one_row_per_size(tmp_path):
    out = tmp_path / "results.md"
    assert scale.main(["--sizes", "30", "--no-default", "--baseline-max", "30", "--out", str(out)]) == 0
    text = out.read_text(encoding="utf-8")
    assert "- nproc: " in text and "- HiGHS (highspy): " in text
    row = next(line for line in text.splitlines() if line.startswith("| 30 |"))
    cells = [c.strip() for c in row.strip("|").split("|")]
    assert cells[9] == "optimal" and cells[13] == "passes"  # status, independent check
    assert cells[15].startswith("optimal")  # the plain PuLP + HiGHS baseline ran too
