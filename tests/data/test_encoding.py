"""Reading Thai Windows (cp874 / TIS-620) scenario CSVs: detected, or named with --encoding."""

from __future__ import annotations

from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

import selector
from selector.cli import main
from selector.data.csvfiles import plausible_thai
from selector.outputs.files import schedule_csv_text
from tests.conftest import DEFAULT_CSV


def run(*args):
    return CliRunner().invoke(main, [str(a) for a in args])


def _cp874_copy(tmp_path):
    target = tmp_path / "dlt-cp874.csv"
    target.write_bytes(DEFAULT_CSV.read_text(encoding="utf-8-sig").encode("cp874"))
    (tmp_path / "dlt-cp874.toml").write_bytes(DEFAULT_CSV.with_suffix(".toml").read_bytes())
    return target


def test_cp874_copy_of_the_default_scenario_solves_to_the_same_schedule(tmp_path):
    cp874 = _cp874_copy(tmp_path)
    assert not cp874.read_bytes().startswith(b"\xef\xbb\xbf")
    utf8, thai_windows = selector.load(DEFAULT_CSV), selector.load(cp874)
    assert thai_windows.units.equals(utf8.units)
    utf8_plan, cp874_plan = selector.solve(utf8), selector.solve(thai_windows)
    assert cp874_plan.status == utf8_plan.status == "optimal"
    assert schedule_csv_text(cp874_plan.schedule) == schedule_csv_text(utf8_plan.schedule)


def test_encoding_named_on_the_command_line(tmp_path):
    cp874 = _cp874_copy(tmp_path)
    assert run("validate", cp874, "--encoding", "tis-620").exit_code == 0
    assert run("validate", cp874, "--encoding", "cp874").exit_code == 0
    assert run("validate", DEFAULT_CSV, "--encoding", "utf-8").exit_code == 0


def test_wrong_encoding_is_a_clear_message(tmp_path):
    cp874 = _cp874_copy(tmp_path)
    as_utf8 = run("validate", cp874, "--encoding", "utf-8")
    assert as_utf8.exit_code == 2 and "is not utf-8 text" in as_utf8.stderr
    as_latin = run("validate", cp874, "--encoding", "latin-1")
    assert as_latin.exit_code == 2 and "reads as Thai in cp874 (Thai Windows), not latin-1 text" in as_latin.stderr
    utf8_as_thai = run("check", DEFAULT_CSV, DEFAULT_CSV, "--encoding", "cp874")
    assert utf8_as_thai.exit_code == 2 and "not cp874 text" in utf8_as_thai.stderr
    unknown = run("validate", DEFAULT_CSV, "--encoding", "klingon")
    assert unknown.exit_code == 2 and "'klingon' is not a known text encoding" in unknown.stderr


def test_text_in_another_code_page_is_not_taken_for_thai(tmp_path):
    """French in Latin-1 decodes as cp874, but its accents become Thai marks after Latin letters."""
    path = tmp_path / "latin.csv"
    path.write_bytes("unit_id,name\nA,café crème\n".encode("latin-1"))
    result = run("validate", path)
    assert result.exit_code == 2
    assert "is neither UTF-8 nor Thai Windows (cp874 / TIS-620) text" in result.stderr
    assert "--encoding" in result.stderr


THAI_WORDS = ["สำนักงาน", "ขนส่ง", "จังหวัด", "ภาคเหนือ", "เชียงใหม่", "ที่", "น้ำ", "ไม่ใช่", "๑๒๓"]


@settings(max_examples=40, derandomize=True, deadline=None)
@given(st.lists(st.one_of(st.sampled_from(THAI_WORDS), st.text("abcXYZ019 ,.-", max_size=6)), min_size=1, max_size=8))
def test_thai_text_in_cp874_round_trips_and_reads_as_thai(parts):
    text = "".join(parts)
    decoded = text.encode("cp874").decode("cp874")
    assert decoded == text
    assert plausible_thai(decoded) == any(0x0E00 <= ord(ch) <= 0x0E7F for ch in text)


def test_check_reads_a_schedule_resaved_as_cp874(tmp_path):
    """A planner opens the schedule in Excel on Thai Windows and saves it as plain CSV (cp874)."""
    utf8 = tmp_path / "sched.csv"
    assert run("solve", DEFAULT_CSV, "--out", utf8, "-q").exit_code == 0
    resaved = tmp_path / "sched-cp874.csv"
    resaved.write_bytes(utf8.read_text(encoding="utf-8-sig").encode("cp874"))
    result = run("check", DEFAULT_CSV, resaved)
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("OK: 195 units")
