"""`selector compare`: plans side by side in the terminal (the same summary as ``selector.compare``)."""

from __future__ import annotations

from pathlib import Path

import click

from selector.cli.common import (
    EXIT_INPUT,
    InputFile,
    echo,
    fail,
    handle_errors,
)
from selector.i18n import _
from selector.workflows.compare import compare as compare_plans
from selector.workflows.compare import read_plan_file


def _name_of(path: str) -> str:
    stem = Path(path).stem
    return stem[: -len("-schedule")] if stem.endswith("-schedule") and stem != "-schedule" else stem


@click.command()
@click.argument("plans", nargs=-1, required=True, type=InputFile())
@click.option("--name", "names", multiple=True, metavar="NAME",
              help="Name of each plan, in order (repeatable) [default: the file name without -schedule].")
@handle_errors
def compare(plans, names):
    """Compare two or more plans: moved units, cost, units and coverage per year, pilots, objective.

    Each PLAN is a schedule CSV or the --json record written by `selector solve`; the first is the
    base. A schedule CSV carries no objective: pass the --json records to compare objectives.

    \b
    Example:
      selector solve scenarios/dlt-offices.csv --out base-schedule.csv
      selector solve scenarios/dlt-offices.csv --budget 2556=104800000 --budget 2558=187700000 --out cut-schedule.csv
      selector compare base-schedule.csv cut-schedule.csv
    Exit codes: 0 compared, 2 bad input (fewer than two plans, unreadable files, different units).
    """

    if len(plans) < 2:
        fail(_("compare needs at least two plans (schedule CSVs or --json records)"), EXIT_INPUT)
    if names and len(names) != len(plans):
        fail(_("{names} --name given for {plans} plans: give one per plan, in order", names=len(names), plans=len(plans)),
             EXIT_INPUT)
    labels = list(names) if names else [_name_of(p) for p in plans]
    if len(set(labels)) != len(labels):
        labels = [f"{i + 1}:{label}" for i, label in enumerate(labels)]
    comparison = compare_plans({label: read_plan_file(path) for label, path in zip(labels, plans)})
    echo(comparison.to_text())


COMMANDS = [compare]
