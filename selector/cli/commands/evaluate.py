"""`selector evaluate`: can the rollout show that the upgrade works? Stepped-wedge power of a schedule."""

from __future__ import annotations

from pathlib import Path

import click

from selector.cli.common import (
    InputFile,
    echo,
    handle_errors,
    input_options,
    lang_option,
    load_scenario,
    output_errors,
    output_files,
    scenario_inputs,
)
from selector.data.csvfiles import parse_number
from selector.outputs.evaluate import evaluation_text
from selector.outputs.scorecard import write_scorecard_workbook
from selector.workflows.evaluate import DEFAULT_PERMUTATIONS
from selector.workflows.evaluate import evaluate as run_evaluate


@click.command()
@click.argument("scenario", type=InputFile())
@click.option("--schedule", "schedules", required=True, multiple=True, type=InputFile(),
              help="A schedule CSV (as written by `selector solve`); repeat to compare several plans.")
@click.option("--effect", required=True, type=float, metavar="D", help="The effect to detect, in the indicator's units.")
@click.option("--icc", required=True, type=float, metavar="R", help="Intra-class correlation of units, e.g. 0.05.")
@click.option("--per-unit", default="1", show_default=True, metavar="M|COLUMN",
              help="People measured per unit and fiscal year: a number, or a column of the scenario.")
@click.option("--alpha", default=0.05, show_default=True, type=float, help="Two-sided significance level.")
@click.option("--sd", default=1.0, show_default=True, type=float, help="Standard deviation of the indicator between people.")
@click.option("--permutations", default=DEFAULT_PERMUTATIONS, show_default=True, type=int,
              help="Random orders (same units per year) to compare with.")
@click.option("--seed", default=0, show_default=True, type=int, help="Seed of the random orders.")
@click.option("--xlsx", "xlsx_path", type=click.Path(dir_okay=False), default=None,
              help="Also write the power table and paragraph as an Excel workbook.")
@lang_option
@input_options
@handle_errors
def evaluate(scenario, schedules, effect, icc, per_unit, alpha, sd, permutations, seed, xlsx_path, lang, settings,
             encoding):
    """Power of a phased rollout to show the upgrade works, read as a stepped-wedge design.

    Uses the schedule itself as the design matrix (units switch to "upgraded" at their fiscal
    year; a baseline period before the first) in the Hussey & Hughes (2007) model, and compares it
    with the same number of units per year in random orders.

    \b
    Example:
      selector evaluate scenarios/dlt-offices.csv --schedule scenarios/dlt-offices-schedule.csv \\
        --effect 0.2 --icc 0.05 --per-unit 50
    Exit codes: 0 done, 2 bad input.
    """
    targets = [Path(xlsx_path)] if xlsx_path else []
    outputs = output_files(targets, [*scenario_inputs(scenario, settings), *map(Path, schedules)])
    value, reason = parse_number(per_unit)
    sc = load_scenario(scenario, settings, encoding)
    result = run_evaluate(sc, list(schedules), effect, icc, per_unit if reason else value, alpha, sd, permutations, seed)
    if xlsx_path:
        with output_errors(*targets), outputs:
            write_scorecard_workbook(xlsx_path, lang, evaluation=result)
    echo(evaluation_text(result))


COMMANDS = [evaluate]
