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
from selector.cli.progress import terminal_progress
from selector.data.csvfiles import parse_number
from selector.outputs.evaluate import evaluation_text
from selector.outputs.scorecard import write_scorecard_workbook
from selector.workflows.alternatives import FOCUS
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
@click.option("--alternatives", "alternatives", type=click.IntRange(min=0, max=100), default=0, show_default=True,
              metavar="K", help="Also find up to K distinct near-optimal plans (selector alternatives; the optimum "
                                "is plan 1) and compare the power of drawing one at random with the schedule's.")
@click.option("--within", type=click.FloatRange(min=0, max=100, max_open=True), default=1.0, show_default=True,
              metavar="PCT", help="With --alternatives: the largest loss against the optimum, in percent.")
@click.option("--differ", type=click.IntRange(min=1), default=1, show_default=True,
              help="With --alternatives: every two plans differ in at least this many units.")
@click.option("--focus", type=click.Choice(FOCUS), default="pilots", show_default=True,
              help="With --alternatives: what must differ, the pilot sets or every unit's fiscal year.")
@click.option("--time-limit", type=click.FloatRange(min=0, min_open=True), default=None,
              help="With --alternatives: seconds per solve [default: the scenario's].")
@click.option("--quiet", "-q", is_flag=True, help="No progress on the terminal while the plans are found.")
@click.option("--xlsx", "xlsx_path", type=click.Path(dir_okay=False), default=None,
              help="Also write the power table and paragraph as an Excel workbook.")
@lang_option
@input_options
@handle_errors
def evaluate(scenario, schedules, effect, icc, per_unit, alpha, sd, permutations, seed, alternatives, within, differ,
             focus, time_limit, quiet, xlsx_path, lang, settings, encoding):
    """Power of a phased rollout to show the upgrade works, read as a stepped-wedge design.

    Uses the schedule itself as the design matrix (units switch to "upgraded" at their fiscal
    year; a baseline period before the first) in the Hussey & Hughes (2007) model, and compares it
    with the same number of units per year in random orders. With --alternatives K, it also finds
    up to K plans within --within percent of the optimum and reports the power of drawing one of
    them at random (the mean of their powers) against the schedule's.

    \b
    Example:
      selector evaluate scenarios/dlt-offices.csv --schedule scenarios/dlt-offices-schedule.csv \\
        --effect 0.2 --icc 0.05 --per-unit 50
      selector evaluate scenarios/dlt-offices.csv --schedule scenarios/dlt-offices-schedule.csv \\
        --effect 0.2 --icc 0.05 --per-unit workload --alternatives 5 --within 1
    Exit codes: 0 done, 2 bad input, 3 no feasible plan (with --alternatives), 5 no plan in time.
    """
    targets = [Path(xlsx_path)] if xlsx_path else []
    outputs = output_files(targets, [*scenario_inputs(scenario, settings), *map(Path, schedules)])
    value, reason = parse_number(per_unit)
    sc = load_scenario(scenario, settings, encoding)
    with terminal_progress(quiet or not alternatives) as on_progress:
        result = run_evaluate(sc, list(schedules), effect, icc, per_unit if reason else value, alpha, sd, permutations,
                              seed, alternatives=alternatives, within=within / 100, differ=differ, focus=focus,
                              time_limit=time_limit, on_progress=on_progress)
    if xlsx_path:
        with output_errors(*targets), outputs:
            write_scorecard_workbook(xlsx_path, lang, evaluation=result)
    echo(evaluation_text(result))


COMMANDS = [evaluate]
