"""Input size limits: a huge file is refused from its size alone, before any of it is read.

The speed and memory of a 100,000-unit load are measured by benchmarks/load.py, not here.
"""

from __future__ import annotations

import importlib
from pathlib import Path

import pytest

import selector
from selector.errors import ScenarioError
from tests.conftest import ROOT

limits = importlib.import_module("selector.data.csvfiles")
CATALOGUE = ROOT / "tests" / "bad_inputs"


@pytest.mark.parametrize("which", ["csv", "toml"])
def test_a_1_gb_file_is_refused_without_being_read(tmp_path, monkeypatch, which):
    csv_path, toml_path = tmp_path / "s.csv", tmp_path / "s.toml"
    csv_path.write_bytes((CATALOGUE / "good.csv").read_bytes())
    toml_path.write_bytes((CATALOGUE / "good.toml").read_bytes())
    huge = csv_path if which == "csv" else toml_path
    with open(huge, "r+b") as f:
        f.truncate(10**9)  # sparse: 1 GB long, no disk used
    real_open = open

    def open_all_but_the_huge_one(path, *args, **kwargs):
        assert Path(path) != huge, "the oversized file was opened"
        return real_open(path, *args, **kwargs)

    monkeypatch.setattr(limits, "open", open_all_but_the_huge_one, raising=False)

    with pytest.raises(ScenarioError) as err:
        selector.load(csv_path, toml_path)
    [problem] = [p for p in err.value.problems if p.file == str(huge)]
    assert problem.message == "is 954 MiB, over the limit of 256 MiB for an input file"


def test_a_file_at_the_limit_is_read(tmp_path, monkeypatch):
    path = tmp_path / "s.csv"
    path.write_bytes(b"x" * 100)
    assert limits.read_input_bytes(path, "s.csv", limit=100) == (b"x" * 100, [])
    data, [problem] = limits.read_input_bytes(path, "s.csv", limit=99)
    assert data is None and "over the limit" in problem.message


def test_a_device_is_not_read():
    data, [problem] = limits.read_input_bytes(Path("/dev/zero"), "/dev/zero")
    assert data is None and problem.message == "is not a regular file"
