"""`selector weights`: the resolved weights of a scenario, their method and the AHP consistency ratio."""

from __future__ import annotations

import click

from selector.cli.common import (
    InputFile,
    echo,
    handle_errors,
    input_options,
    load_scenario,
)
from selector.data.weights import weights_text
from selector.i18n import _


@click.command("weights")
@click.argument("scenario", type=InputFile())
@input_options
@handle_errors
def weights_command(scenario, settings, encoding):
    """Print each weight set as resolved: its method (direct, rank, ahp), the weights and the CR.

    An AHP consistency ratio above 0.10 is a warning on stderr that names the judgements to revisit.

    \b
    Example:
      selector weights scenarios/dlt-offices.csv
    Exit codes: 0 ok (even with an inconsistency warning), 2 bad input.
    """

    sc = load_scenario(scenario, settings, encoding)
    specs = [sc.settings.weight_spec(kind) for kind in ("pilot", "rollout")]
    echo(weights_text(specs))
    for spec in specs:
        warning = spec.warning()
        if warning:
            echo(_("Warning: {warning}", warning=warning), err=True)


COMMANDS = [weights_command]
