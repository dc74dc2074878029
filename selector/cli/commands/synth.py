"""`selector synth`: write a synthetic scenario of any size (see ``selector.synth``)."""

from __future__ import annotations

from pathlib import Path

import click

from selector.cli.common import (
    echo,
    handle_errors,
)
from selector.errors import Problem, ScenarioError
from selector.i18n import _
from selector.workflows.synth import synth as write_synth


@click.command()
@click.option("--units", "-n", type=click.IntRange(min=1, max=1_000_000), required=True, help="Number of units.")
@click.option("--seed", type=int, default=0, show_default=True, help="Random seed: the same seed gives the same files.")
@click.option("--out", "out", type=click.Path(file_okay=False), default=".", show_default=True,
              help="Folder to write synth-<units>.csv and synth-<units>.toml into (created if missing).")
@click.option("--costs", is_flag=True, help="Add cost profiles (hubs 60/40 over two years) and two budget categories "
              "(investment, operations) (docs/costs.md).")
@click.option("--running-costs", is_flag=True, help="With --costs: add running costs (2% of the cost a year) charged to "
              "operations.")
@click.option("--quiet", "-q", is_flag=True, help="Print nothing on success.")
@handle_errors
def synth(units, seed, out, costs, running_costs, quiet):
    """Write a realistic synthetic scenario: units over Thailand's 77 provinces, feasible binding budgets.

    Criteria and costs follow a seeded, documented rule (selector/synth.py); the budgets come from a
    simple feasible plan, so the scenario always has a plan and the money is tight. ILLUSTRATIVE data.

    \b
    Example:
      selector synth --units 10000 --seed 1 --out tmp
      selector solve tmp/synth-10000.csv
    """

    folder = Path(out)  # click has already refused an existing file
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise ScenarioError([Problem(out, None, None, _("cannot create the folder ({reason})", reason=exc.strerror),
                                     _("choose a folder you can write to"))])
    csv_path = write_synth(units, seed=seed, out=folder, costs=costs or running_costs, running_costs=running_costs)
    if not quiet:
        echo(_("Wrote {csv} and {toml} ({units} units, seed {seed})", csv=csv_path, toml=csv_path.with_suffix(".toml"),
                     units=f"{units:,}", seed=seed))


COMMANDS = [synth]
