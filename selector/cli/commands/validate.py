"""`selector validate`: read and check a scenario, and summarise it, without solving."""

from __future__ import annotations

import click

from selector.cli.common import (
    InputFile,
    echo,
    handle_errors,
    input_options,
    load_scenario,
)
from selector.outputs.text import scenario_text


@click.command()
@click.argument("scenario", type=InputFile())
@input_options
@handle_errors
def validate(scenario, settings, encoding):
    """Validate a scenario and summarise it, without solving.

    \b
    Example:
      selector validate scenarios/dlt-offices.csv
    """

    sc = load_scenario(scenario, settings, encoding)
    echo(scenario_text(sc))


COMMANDS = [validate]
