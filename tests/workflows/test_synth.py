"""Synthetic scenarios: deterministic for a seed, valid, feasible, with binding budgets."""

from __future__ import annotations

import numpy as np
import pytest
from click.testing import CliRunner

import selector
from selector.cli import main
from selector.outputs.files import write_schedule_csv
from selector.workflows.synth import allocate, synth_units


def test_same_seed_gives_byte_identical_files(tmp_path):
    a, b = tmp_path / "a", tmp_path / "b"
    a.mkdir(), b.mkdir()
    first, second = selector.synth(250, seed=7, out=a), selector.synth(250, seed=7, out=b)
    assert first.read_bytes() == second.read_bytes()
    assert first.with_suffix(".toml").read_bytes() == second.with_suffix(".toml").read_bytes()
    other = tmp_path / "c"
    other.mkdir()
    assert selector.synth(250, seed=8, out=other).read_bytes() != first.read_bytes()


def test_units_follow_the_provinces_and_the_documented_ranges():
    units = synth_units(2000, seed=3)
    assert len(units) == 2000 and units["unit_id"].is_unique
    assert list(units["unit_id"]) == sorted(units["unit_id"])
    assert set(units["region"]) == {"Central", "East", "North", "Northeast", "South", "West"}
    # Bangkok (5.7 M of 65.1 M people in 2014) gets its share of the units, to the unit.
    assert (units["province"] == "Bangkok").sum() == round(2000 * 5692284 / 65124716)
    for criterion in ("infrastructure", "staff", "leadership", "importance", "workload", "success", "risk"):
        assert units[criterion].between(1, 5).all()
    assert (units["cost"] % 10_000 == 0).all() and (units["cost"] > 0).all()
    # Correlations the rule builds in: success follows readiness, risk falls with success.
    assert np.corrcoef(units["infrastructure"], units["success"])[0, 1] > 0.3
    assert np.corrcoef(units["success"], units["risk"])[0, 1] < -0.2


def test_allocate_splits_exactly_by_largest_remainder():
    """10 split 1:1:1 gives 4, 3, 3 (the tie for the extra unit goes to the first)."""
    assert allocate(np.array([1.0, 1.0, 1.0]), 10).tolist() == [4, 3, 3]
    assert allocate(np.array([5.0, 1.0]), 1).tolist() == [1, 0]


@pytest.mark.parametrize("units,seed", [(1, 0), (7, 1), (80, 2), (200, 3)])
def test_synthetic_scenarios_solve_and_pass_the_independent_check(tmp_path, units, seed):
    scenario = selector.load(selector.synth(units, seed=seed, out=tmp_path))
    plan = selector.solve(scenario)
    assert plan.status == "optimal"
    schedule = tmp_path / "schedule.csv"
    write_schedule_csv(plan, schedule)
    assert selector.check_schedule(scenario, schedule).violations == []


def test_budgets_bind_in_every_year_but_the_reserve_year(tmp_path):
    """The optimiser wants units early, so the money of each year before the last runs out (>= 98%)."""
    plan = selector.solve(selector.load(selector.synth(300, seed=1, out=tmp_path)))
    used = plan.by_year["budget_used"].tolist()
    assert all(share >= 0.98 for share in used[:-1]), used
    assert all(share <= 1.0 for share in used)


def test_cli_writes_both_files_and_reports_them(tmp_path):
    out = tmp_path / "new" / "folder"
    result = CliRunner().invoke(main, ["synth", "--units", "50", "--seed", "3", "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert (out / "synth-50.csv").read_bytes().startswith("\ufeffunit_id,".encode())
    assert (out / "synth-50.toml").exists()
    assert "synth-50.csv" in result.output


def test_cli_refuses_a_file_as_the_folder(tmp_path):
    target = tmp_path / "file.txt"
    target.write_text("x")
    result = CliRunner().invoke(main, ["synth", "--units", "5", "--out", str(target)])
    assert result.exit_code == 2
    assert "is a file" in result.output


def test_cli_refuses_zero_units(tmp_path):
    result = CliRunner().invoke(main, ["synth", "--units", "0", "--out", str(tmp_path)])
    assert result.exit_code == 2
    assert not list(tmp_path.iterdir())


@pytest.mark.parametrize("units,seed,running", [(7, 1, True), (300, 2, True), (300, 3, False)])
def test_synth_with_costs_is_feasible_and_checked(tmp_path, units, seed, running):
    """``--costs``: hubs on the 60/40 building profile, two categories (and running costs); the budgets
    and ceilings come from a feasible plan, so the scenario has a plan, and the plan passes check."""
    csv_path = selector.synth(units, seed=seed, out=tmp_path, costs=True, running_costs=running)
    scenario = selector.load(csv_path)
    assert [c.name for c in scenario.settings.categories] == ["investment", "operations"]
    assert scenario.settings.profiles == {"building": (0.6, 0.4)}
    plan = selector.solve(scenario)
    assert plan.status == "optimal"
    schedule = tmp_path / "schedule.csv"
    write_schedule_csv(plan, schedule)
    assert selector.check_schedule(scenario, schedule).violations == []
    assert (plan.spending["running"].sum() > 0) == running


def test_synth_without_costs_has_no_cost_columns(tmp_path):
    text = selector.synth(50, seed=1, out=tmp_path).read_text(encoding="utf-8-sig")
    assert "running_cost" not in text.splitlines()[0] and "[costs]" not in (tmp_path / "synth-50.toml").read_text()
