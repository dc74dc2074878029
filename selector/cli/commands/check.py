"""`selector check`: verify a schedule against every rule, with code that shares nothing with the model."""

from __future__ import annotations

import sys

import click

from selector.check import check_replan, check_schedule
from selector.cli.common import (
    EXIT_INFEASIBLE,
    InputFile,
    budget_option,
    echo,
    handle_errors,
    input_options,
    load_scenario,
    parse_budget,
)
from selector.errors import Problem, ScenarioError
from selector.i18n import _


@click.command()
@click.argument("scenario", type=InputFile())
@click.argument("schedule", type=InputFile())
@input_options
@budget_option
@click.option("--baseline", type=InputFile(), default=None,
              help="For a re-planned schedule: the approved schedule it started from (needs --from).")
@click.option("--progress", type=InputFile(), default=None,
              help="For a re-planned schedule: the progress file it used.")
@click.option("--from", "from_year", type=int, default=None, metavar="YEAR",
              help="For a re-planned schedule: the fiscal year it re-planned from; earlier years must be as they happened.")
@click.option("--quiet", "-q", is_flag=True, help="Print nothing when every rule holds.")
@handle_errors
def check(scenario, schedule, settings, budgets, baseline, progress, from_year, quiet, encoding):
    """Verify a schedule against every rule of the scenario, independently of the solver.

    \b
    Example:
      selector check scenarios/dlt-offices.csv scenarios/dlt-offices-schedule.csv
      selector check scenarios/dlt-offices.csv scenarios/dlt-offices-replan-2557.csv \\
        --baseline scenarios/dlt-offices-schedule.csv --progress scenarios/dlt-offices-progress-2557.csv \\
        --from 2557 --budget 2557=111750000 --budget 2558=198750000
    Exit codes: 0 every rule holds, 2 bad input, 3 some rule is broken (each is listed).
    """

    if (baseline is None) != (from_year is None) or (progress is not None and baseline is None):
        raise ScenarioError([Problem("--baseline/--from", None, None, _("a re-planned schedule needs both --baseline and --from"),
                                     _("pass --baseline APPROVED.csv --from YEAR [--progress PROGRESS.csv], or none of them"))])
    sc = load_scenario(scenario, settings, encoding, budget=parse_budget(budgets) if budgets else None)
    if baseline is not None:
        report = check_replan(sc, schedule, baseline, progress, from_year)
    else:
        report = check_schedule(sc, schedule)
    if report.violations:
        echo(_("{count} broken rule(s) in {schedule}", count=len(report.violations), schedule=schedule) + ":", err=True)
        for line in report.violations:
            echo(f"  - {line}", err=True)
        sys.exit(EXIT_INFEASIBLE)
    if not quiet:
        echo(_("OK: {units} units, every rule holds; objective {objective}", units=report.units_checked,
                     objective=f"{report.objective:.6f}"))


COMMANDS = [check]
