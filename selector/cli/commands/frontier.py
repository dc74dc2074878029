"""`selector frontier SCENARIO.csv`: what more money buys, from the least budget for full coverage upward."""

from __future__ import annotations

import time
from pathlib import Path

import click

from selector.atomic import write_text_atomic
from selector.cli.common import (
    InputFile,
    echo,
    handle_errors,
    input_options,
    load_scenario,
    output_errors,
    output_files,
    scenario_inputs,
    solver_options,
)
from selector.cli.progress import terminal_progress
from selector.i18n import _
from selector.outputs.files import frontier_csv_text
from selector.outputs.text import display_width, pad
from selector.workflows.money import frontier as sweep


@click.command()
@click.argument("scenario", type=InputFile())
@input_options
@click.option("--steps", type=click.IntRange(min=1, max=200), default=10, show_default=True,
              help="Number of total budgets, evenly spaced from the minimum to where more money changes nothing.")
@click.option("--out", "out", type=click.Path(dir_okay=False), default=None,
              help="Frontier CSV to write [default: <stem>-frontier.csv beside the scenario].")
@click.option("--hold-categories", is_flag=True,
              help="Keep the [budget.<category>] ceilings at the scenario's own while the total is scaled "
                   "[default: they grow with it, each keeping its share].")
@solver_options
@click.option("--scheduler", metavar="tcp://HOST:PORT", default=None,
              help="Solve the budget steps on an existing Dask distributed cluster, with the same results as here "
                   "(pip install 'selector[distributed]').")
@click.option("--quiet", "-q", is_flag=True, help="Print nothing; only write the CSV.")
@handle_errors
def frontier(scenario, settings, steps, out, hold_categories, solver, time_limit, gap, scheduler, quiet, encoding):
    """Sweep the total budget (each year keeping its share) and show the objective and units by year.

    The first row is the least total budget with which every unit is upgraded by the last year
    (an exact minimisation, within 0.1%); the last is where more money changes nothing. The category
    ceilings ([budget.<category>]) grow with the total unless --hold-categories keeps them fixed.

    \b
    Example:
      selector frontier scenarios/dlt-offices.csv --steps 20 --out frontier.csv
    Exit codes: 0 written, 2 bad input, 3 no budget gives full coverage.
    """

    started = time.perf_counter()
    csv_path = Path(scenario)
    out_path = Path(out) if out else csv_path.with_name(csv_path.stem + "-frontier.csv")
    outputs = output_files([out_path], scenario_inputs(scenario, settings))
    sc = load_scenario(scenario, settings, encoding)
    with terminal_progress(quiet) as on_progress:
        table, least = sweep(sc, steps, solver=solver, time_limit=time_limit, gap=gap, on_progress=on_progress,
                             scheduler=scheduler, hold_categories=hold_categories)
    text = frontier_csv_text(table)
    with output_errors(out_path), outputs:
        write_text_atomic(out_path, "\ufeff" + text)
    if quiet:
        return
    years = sc.settings.years
    split = ", ".join(_("FY{year} {amount}", year=y, amount=f"{v:,.0f}") for y, v in least.budget.items())
    echo(_("Least total budget for every unit by FY{year}: {total} baht (no plan below {lower}; {status}); split "
           "{split}", year=years[-1], total=f"{least.total:,.0f}", lower=f"{least.lower:,.0f}", status=least.status,
           split=split))
    labels = [_("step"), _("total budget"), _("objective"), _("status")] + [_("by FY{year}", year=y) for y in years]
    head = (f"{pad(labels[0], 4, True)}  {pad(labels[1], 15, True)}  {pad(labels[2], 11, True)}  {pad(labels[3], 9)}"
            + "".join(f"  {pad(label, 8, True)}" for label in labels[4:]))
    echo(head)
    echo("-" * display_width(head))
    for r in table.to_dict(orient="records"):
        echo(f"{r['step']:>4}  {r['total_budget']:>15,.0f}  {r['objective']:>11.4f}  {r['status']:<9}"
             + "".join(f"  {r[f'units_by_{y}']:>8}" for y in years))
    echo(_("Frontier written to {path} ({seconds} s)", path=out_path, seconds=f"{time.perf_counter() - started:.1f}"))


COMMANDS = [frontier]
