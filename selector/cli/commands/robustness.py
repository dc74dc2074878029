"""`selector robustness`: how stable the pilots and the phases are when the weights are uncertain."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from selector.atomic import write_text_atomic
from selector.cli.common import (
    EXIT_INFEASIBLE,
    EXIT_NOT_PROVEN,
    InputFile,
    Number,
    echo,
    handle_errors,
    input_options,
    load_scenario,
    output_errors,
    output_files,
    scenario_inputs,
    solver_options,
    warn_about_weights,
)
from selector.cli.progress import terminal_progress
from selector.events import Step
from selector.i18n import _
from selector.outputs.robustness import summary_text, table_csv_text, units_csv_text
from selector.status import Status
from selector.workflows.robustness.run import compare_methods as compare
from selector.workflows.robustness.run import robustness


@click.command("robustness")
@click.argument("scenario", type=InputFile())
@input_options
@click.option("--samples", "-n", type=click.IntRange(min=1), default=500, show_default=True,
              help="Number of weight vectors to draw and solve.")
@click.option("--seed", type=click.IntRange(min=0), default=0, show_default=True,
              help="Random seed: the same seed gives the same file, whatever the number of workers.")
@click.option("--spread", type=Number(0, lo_open=True), default=100.0, show_default=True,
              help="Dirichlet concentration K around the chosen weights (larger = closer to them).")
@click.option("--ranks-only", is_flag=True,
              help="Draw weights uniformly among all that respect each set's rank order (SMAA) instead.")
@click.option("--workers", "-w", type=click.IntRange(min=1), default=None, help="Local processes [default: all cores].")
@click.option("--scheduler", metavar="tcp://HOST:PORT", default=None,
              help="Run the samples on an existing Dask distributed cluster (pip install 'selector[distributed]').")
@click.option("--out", "out", type=click.Path(dir_okay=False), default=None,
              help="CSV to write [default: <stem>-robustness.csv, or <stem>-methods.csv with --compare-methods].")
@click.option("--compare-methods", is_flag=True,
              help="Instead of sampling, solve under direct, rank-order, AHP and equal weights and compare the pilots.")
@solver_options
@click.option("--quiet", "-q", is_flag=True, help="No progress bar and no summary.")
@handle_errors
def robustness_command(scenario, settings, samples, seed, spread, ranks_only, workers, scheduler, out,
                       compare_methods, solver, time_limit, gap, quiet, encoding):
    """Re-solve the plan under many weight vectors: which pilots are certain, which are borderline.

    Per unit: the share of samples in which it is a pilot (pilot acceptability), its share in each
    fiscal year and its mean year; class core (pilot in >= 95%), borderline or exterior (< 5%).
    The borderline units are printed first: they are the ones worth the committee's time.

    \b
    Example:
      selector robustness scenarios/dlt-offices.csv --samples 500 --seed 1
      selector robustness scenarios/dlt-offices.csv --samples 200 --ranks-only
      selector robustness scenarios/dlt-offices.csv --compare-methods
    Exit codes: 0 every solve proven optimal, 2 bad input, 3 no feasible plan, 4 some solve not proven
    optimal (the table is still written), 5 no plan in time under the chosen weights.
    """

    csv_path = Path(scenario)
    suffix = "-methods.csv" if compare_methods else "-robustness.csv"
    out_path = Path(out) if out else csv_path.with_name(csv_path.stem + suffix)
    outputs = output_files([out_path], scenario_inputs(scenario, settings))
    sc = load_scenario(scenario, settings, encoding)
    warn_about_weights(sc)

    if compare_methods:
        table, methods = compare(sc, solver=solver, gap=gap, time_limit=time_limit)
        with output_errors(out_path), outputs:
            write_text_atomic(out_path, "\ufeff" + table_csv_text(table))
        if not quiet:
            echo(methods.to_string(index=False))
            echo("")
            shown = table.drop(columns=[c for c in table.columns if c.startswith("year_")])
            echo(shown.replace({True: _("pilot"), False: ""}).to_string(index=False))
            echo(_("Written to {path}", path=out_path))
        if (methods["status"] == Status.INFEASIBLE).any():
            sys.exit(EXIT_INFEASIBLE)
        if (methods["status"] != Status.OPTIMAL).any():
            sys.exit(EXIT_NOT_PROVEN)
        return

    with terminal_progress(quiet) as on_progress:  # a bar with an ETA on a terminal; nothing when piped
        label = _("Solving weight samples")
        progress = None if on_progress is None else (lambda done, total: on_progress(Step("samples", label, done, total)))
        result = robustness(sc, samples=samples, seed=seed, spread=spread, ranks_only=ranks_only,
                            workers=workers, scheduler=scheduler, gap=gap, time_limit=time_limit, solver=solver,
                            progress=progress)
    with output_errors(out_path), outputs:
        write_text_atomic(out_path, "\ufeff" + units_csv_text(result))
    if not quiet:
        echo(summary_text(result, out_path))
        seconds = result.options["seconds"]
        echo(_("{samples} samples in {seconds} s ({rate} samples/s)", samples=samples, seconds=f"{seconds:.1f}",
               rate=f"{samples / max(seconds, 1e-9):.1f}"), err=True)
    if result.measure("samples_optimal") < samples:
        sys.exit(EXIT_NOT_PROVEN)


COMMANDS = [robustness_command]
