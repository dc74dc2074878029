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
from selector.workflows.alternatives import alternatives
from selector.workflows.explain import explain_unit


@click.command()
@click.argument("scenario", type=InputFile())
@click.argument("unit_id")
@input_options
@click.option("--schedule", "schedule", type=InputFile(), default=None,
              help="Explain this schedule (it must pass `selector check`) [default: solve the scenario].")
@solver_options
@click.option("--no-move", is_flag=True, help="Do not re-solve with the unit forced one year earlier.")
@click.option("--alternatives", "count", type=click.IntRange(min=1, max=100), default=None, metavar="K",
              help="Also find up to K alternatives within --within % (as `selector alternatives`) and say in "
                   "which the unit is a pilot.")
@click.option("--within", type=click.FloatRange(min=0, max=100, max_open=True), default=1.0, show_default=True,
              help="With --alternatives: the largest loss against the optimum, in percent.")
@click.option("--json", "as_json", is_flag=True, help="Print the explanation as JSON instead of text.")
@handle_errors
def explain(scenario, unit_id, settings, schedule, solver, time_limit, gap, no_move, count, within, as_json, encoding):
    """Explain a unit: scores by criterion, ranks, the rules that bind, the cost of moving it earlier.

    \b
    Example:
      selector explain scenarios/dlt-offices.csv DLT-0420 --schedule scenarios/dlt-offices-schedule.csv
      selector explain scenarios/dlt-offices.csv DLT-50600 --alternatives 5 --within 1
    Exit codes: 0 explained, 2 bad input (unknown unit, schedule breaking a rule), 3 no feasible plan.
    """

    sc = load_scenario(scenario, settings, encoding)
    found = None
    if count is not None:
        if unit_id not in set(sc.units["unit_id"]):  # the same bad input explain_unit reports, before the search
            explain_unit(sc, unit_id, schedule, move_earlier=False)
        found = alternatives(sc, count, within / 100, solver=solver, time_limit=time_limit, gap=gap)
    result = explain_unit(sc, unit_id, schedule, solver=solver, time_limit=time_limit, move_earlier=not no_move,
                          gap=gap, alternatives=found)
    if as_json:
        echo(json.dumps(result.to_dict(), ensure_ascii=False, indent=2))
    else:
        echo(result.text())


COMMANDS = [explain]
