"""The streamed writers give the bytes of the whole-text ones: the schedule CSV and the JSON record.

They write row by row (CSV) and piece by piece (JSON) into the temporary file so that 50,000 units
never sit in memory as one text (``python -m benchmarks.memory``); the files must not change.
"""

from __future__ import annotations

import json

import selector
from selector.outputs.files import plan_record, schedule_csv_text, write_json, write_schedule_csv


def test_streamed_files_are_the_whole_texts(tmp_path):
    scenario = selector.load(selector.synth(30, 4, tmp_path))
    plan = selector.solve(scenario)
    # Thai names, a comma and a quote in a name, and a formula-like cell: the escapes go through the stream too
    plan.schedule.loc[0, "name"] = 'สำนักงาน "ทดลอง", สาขา 1'
    plan.schedule.loc[1, "name"] = "=1+1"
    write_schedule_csv(plan, tmp_path / "s.csv")
    assert (tmp_path / "s.csv").read_bytes() == ("\ufeff" + schedule_csv_text(plan.schedule)).encode("utf-8")
    assert b'"\xe0\xb8\xaa' in (tmp_path / "s.csv").read_bytes()  # the quoted Thai name, as UTF-8
    write_json(plan, tmp_path / "r.json", elapsed=1.25)
    text = json.dumps(plan_record(plan, 1.25), ensure_ascii=False, indent=2, allow_nan=False) + "\n"
    assert (tmp_path / "r.json").read_bytes() == text.encode("utf-8")
    assert json.loads((tmp_path / "r.json").read_text(encoding="utf-8"))["units"][0]["name"].startswith("สำนักงาน")
