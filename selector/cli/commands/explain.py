"""`selector explain SCENARIO.csv UNIT_ID`: why one unit sits where it sits in the plan."""

from __future__ import annotations

import json

import click

from selector.cli.common import (
    InputFile,
    echo,
    handle_errors,
    input_options,
    load_scenario,
    solver_options,
)
from selector.workflows.explain import explain_unit


@click.command()
@click.argument("scenario", type=InputFile())
@click.argument("unit_id")
@input_options
@click.option("--schedule", "schedule", type=InputFile(), default=None,
              help="Explain this schedule (it must pass `selector check`) [default: solve the scenario].")
@solver_options
@click.option("--no-move", is_flag=True, help="Do not re-solve with the unit forced one year earlier.")
@click.option("--json", "as_json", is_flag=True, help="Print the explanation as JSON instead of text.")
@handle_errors
def explain(scenario, unit_id, settings, schedule, solver, time_limit, gap, no_move, as_json, encoding):
    """Explain a unit: scores by criterion, ranks, the rules that bind, the cost of moving it earlier.

    \b
    Example:
      selector explain scenarios/dlt-offices.csv DLT-0420 --schedule scenarios/dlt-offices-schedule.csv
    Exit codes: 0 explained, 2 bad input (unknown unit, schedule breaking a rule), 3 no feasible plan.
    """

    sc = load_scenario(scenario, settings, encoding)
    result = explain_unit(sc, unit_id, schedule, solver=solver, time_limit=time_limit, move_earlier=not no_move,
                          gap=gap)
    if as_json:
        echo(json.dumps(result.to_dict(), ensure_ascii=False, indent=2))
    else:
        echo(result.text())


COMMANDS = [explain]
