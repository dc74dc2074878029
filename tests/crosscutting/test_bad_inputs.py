"""The catalogue of malformed inputs (tests/bad_inputs/cases.toml): a clear answer every time.

Each case runs `selector solve` through click's CliRunner and must end with exit code 2, a message
naming the file, the line (and column) and the fix, no traceback, and no file created or changed in
the folder: an old schedule put where the new one would be written keeps its bytes.
"""

from __future__ import annotations

import csv
import re
import io
import os
import shutil
import tomllib
from pathlib import Path

import pytest
from click.testing import CliRunner

from selector.cli import main
from tests.conftest import ROOT

CATALOGUE = ROOT / "tests" / "bad_inputs"
CASES = tomllib.loads((CATALOGUE / "cases.toml").read_text(encoding="utf-8"))
OLD_SCHEDULE = "\ufeffunit_id,fiscal_year\r\nA1,2556\r\n".encode("utf-8")


def _prepare(case: dict, folder: Path) -> tuple[list[str], Path]:
    """Copy the case's files into ``folder`` (then add its FIFOs and links); return the CLI arguments
    and the default output path."""
    csv_path = folder / Path(case.get("csv", "good.csv")).name
    toml_path = folder / Path(case.get("settings", "good.toml")).name
    shutil.copyfile(CATALOGUE / case.get("csv", "good.csv"), csv_path)
    shutil.copyfile(CATALOGUE / case.get("settings", "good.toml"), toml_path)
    if "toml_append" in case:
        with open(toml_path, "a", encoding="utf-8") as f:
            f.write("\n" + case["toml_append"])
    for name in case.get("fifo", []):
        (folder / name).unlink(missing_ok=True)
        os.mkfifo(folder / name)
    for name, target in case.get("symlink", {}).items():
        (folder / name).unlink(missing_ok=True)
        os.symlink(target.format(dir=folder), folder / name)
    places = {"csv": str(csv_path), "settings": str(toml_path), "dir": str(folder), "catalogue": str(CATALOGUE)}
    extra = [arg.format(**places) for arg in case.get("args", [])]
    out = csv_path.with_name(csv_path.stem + "-schedule.csv")
    if "command" in case:  # another command than solve: its arguments are all in args
        return [case["command"], *extra], out
    return ["solve", str(csv_path), "--settings", str(toml_path), *extra], out


def _snapshot(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.mark.parametrize("case", CASES["case"], ids=[c["name"] for c in CASES["case"]])
def test_bad_input_gets_a_clear_message_and_changes_nothing(case, tmp_path):
    args, out_path = _prepare(case, tmp_path)
    if case.get("existing_output"):
        out_path.write_bytes(OLD_SCHEDULE)
    before = _snapshot(tmp_path)

    result = CliRunner().invoke(main, args)

    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output and "Traceback" not in result.stderr
    assert result.stdout == ""  # stdout carries results only
    for text in case["expect"]:
        assert text in result.stderr, f"{text!r} not in:\n{result.stderr}"
    if "problems" in case:
        count = case["problems"]
        assert f"{count} problem{'s' if count != 1 else ''} in the input" in result.stderr
    assert _snapshot(tmp_path) == before


def _plan_of(schedule: Path) -> list[tuple[str, str, str, str]]:
    rows = csv.DictReader(io.StringIO(schedule.read_text(encoding="utf-8-sig")))
    return [(r["unit_id"], r["fiscal_year"], r["pilot"], r["cost"]) for r in rows]


@pytest.mark.parametrize("case", CASES["accept"], ids=[c["name"] for c in CASES["accept"]])
def test_files_as_planners_make_them_are_read_like_the_plain_one(case, tmp_path):
    """Thousands separators, Thai digits, Excel's BOM and CRLF, blank lines, multi-line cells, padding:
    the meaning is unambiguous, so the file is accepted and gives good.csv's schedule."""
    runner = CliRunner()
    plain, accepted = tmp_path / "plain", tmp_path / "accepted"
    plain.mkdir()
    accepted.mkdir()
    args, plain_out = _prepare({}, plain)
    assert runner.invoke(main, [*args, "-q"]).exit_code == 0
    args, out = _prepare(case, accepted)
    result = runner.invoke(main, [*args, "-q"])
    assert result.exit_code == 0, result.stderr
    assert _plan_of(out) == _plan_of(plain_out)


@pytest.mark.parametrize("case", CASES["roundtrip"], ids=[c["name"] for c in CASES["roundtrip"]])
def test_text_like_a_formula_is_written_inert_and_read_back_by_check(case, tmp_path):
    """A unit id ``'=X1`` or a pass-through header ``=HYPERLINK(...)``: the schedule writes it with a
    leading ' (a spreadsheet shows text, not a live formula) and ``selector check`` reads selector's
    own schedule back as the scenario's ids: exit 0."""
    args, out = _prepare(case, tmp_path)
    runner = CliRunner()
    result = runner.invoke(main, [*args, "-q"])
    assert result.exit_code == 0, result.stderr
    text = out.read_text(encoding="utf-8-sig")
    assert case["written"] in text
    assert not any(cell.startswith(("=", "+", "@")) for line in text.splitlines() for cell in next(csv.reader([line])))
    checked = runner.invoke(main, ["check", args[1], str(out), "--settings", args[3]])
    assert checked.exit_code == 0, checked.stderr


def test_the_catalogue_covers_enough_and_every_file_is_used():
    cases = CASES["case"] + CASES["accept"] + CASES["roundtrip"]
    assert len(CASES["case"]) >= 140
    assert len({c["name"] for c in cases}) == len(cases)
    used = {c.get(k) for c in cases for k in ("csv", "settings")}
    used |= {arg.partition("{catalogue}/")[2] for c in cases for arg in c.get("args", []) if "{catalogue}/" in arg}
    files = {str(p.relative_to(CATALOGUE)) for p in CATALOGUE.glob("*/*")}
    assert files - used == set()


THAI = re.compile(r"[\u0e00-\u0e7f]")


@pytest.mark.parametrize("case", CASES["case"], ids=[c["name"] for c in CASES["case"]])
def test_every_bad_input_message_and_fix_is_in_thai_with_lang_th(case, tmp_path):
    """The same catalogue with `--lang th`: the same problems, each message and each fix in Thai.

    Cases marked ``usage = true`` are refused by click while it parses the arguments: the frame of
    the message ("Usage: ...", "Error: Invalid value for ...") is click's own English, and only
    selector's part is translated, so they are left out here."""
    if case.get("usage"):
        pytest.skip("a click usage error: its frame is click's English")
    english_dir, thai_dir = tmp_path / "en", tmp_path / "th"
    english_dir.mkdir()
    thai_dir.mkdir()
    runner = CliRunner()
    english = runner.invoke(main, _prepare(case, english_dir)[0] + ["--lang", "en"])
    thai = runner.invoke(main, _prepare(case, thai_dir)[0] + ["--lang", "th"])
    assert thai.exit_code == english.exit_code == 2, thai.output
    assert thai.stderr.startswith("ข้อผิดพลาด: ")
    problems = [line for line in thai.stderr.splitlines() if line.startswith("  - ")]
    if not problems:  # one problem: "ข้อผิดพลาด: พบปัญหา... 1 รายการ:" then the problem, or a sentence alone
        problems = [thai.stderr.splitlines()[0]]
    assert len(problems) == max(1, sum(line.startswith("  - ") for line in english.stderr.splitlines()))
    for line in problems:
        message, sep, fix = line.partition(" วิธีแก้: ")
        where, _colon, message = message.partition(": ")
        assert THAI.search(message), f"message not in Thai: {line}"
        if sep:
            assert THAI.search(fix), f"fix not in Thai: {line}"
        assert "Fix:" not in line and ", line " not in where and ", column " not in where, line
