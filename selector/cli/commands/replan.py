"""`selector replan`: re-plan mid-course from an approved schedule and a progress file."""

from __future__ import annotations

import sys
import time
from pathlib import Path

import click

from selector.cli.common import (
    InputFile,
    Number,
    command_overrides,
    echo,
    echo_written,
    exit_code_for,
    fail,
    handle_errors,
    input_options,
    lang_option,
    load_scenario,
    output_errors,
    output_files,
    parse_budget,
    scenario_inputs,
    solver_options,
)
from selector.cli.progress import terminal_progress
from selector.i18n import _
from selector.outputs.files import write_schedule_csv
from selector.outputs.replan import moves_text, provenance, write_moves_csv
from selector.outputs.submission import write_plan_files
from selector.outputs.text import summary_text
from selector.status import Status
from selector.workflows.replan import replan as run_replan


@click.command()
@click.argument("scenario", type=InputFile())
@click.option("--baseline", required=True, type=InputFile(),
              help="The approved schedule CSV (as written by `selector solve`).")
@click.option("--progress", type=InputFile(), default=None,
              help="CSV of unit_id, state (done, in_progress, failed, deferred) [, success, risk]; "
                   "units of past years not listed are taken as done as planned.")
@click.option("--from", "from_year", required=True, type=int, metavar="YEAR",
              help="Re-plan from the start of this fiscal year (B.E.); earlier years are frozen.")
@input_options
@click.option("--budget", "budgets", multiple=True, metavar="YEAR=BAHT",
              help="New budget of a fiscal year >= YEAR (repeatable).")
@click.option("--stability", type=Number(0), default=None,
              help="Objective points lost per unit-year moved [default: [replan] stability, 1].")
@click.option("--later-factor", type=Number(0, lo_open=True), default=None,
              help="A year later costs this many times a year earlier [default: [replan] later_factor, 2].")
@click.option("--out", "out", type=click.Path(dir_okay=False), default=None,
              help="New schedule CSV [default: <stem>-replan-<YEAR>.csv beside the scenario].")
@click.option("--moves", "moves_path", type=click.Path(dir_okay=False), default=None, help="Also write the moves as CSV.")
@solver_options
@click.option("--xlsx", "xlsx_path", type=click.Path(dir_okay=False), default=None,
              help="Also write the new plan as an Excel workbook (with a sheet of the moves).")
@click.option("--report", "report_path", type=click.Path(dir_okay=False), default=None,
              help="Also write a printable, self-contained HTML report of the new plan.")
@lang_option
@click.option("--quiet", "-q", is_flag=True, help="Print nothing on success.")
@handle_errors
def replan(scenario, baseline, progress, from_year, settings, budgets, stability, later_factor, out, moves_path, solver,
           time_limit, gap, xlsx_path, report_path, lang, quiet, encoding):
    """Re-plan from fiscal year YEAR: keep what happened, move as few units as the new rules need.

    Years before YEAR are frozen as they happened; done units never move; failed pilots and
    deferred units return to the pool; units new to the scenario are scheduled; units gone from it
    are reported. Prints the new schedule's summary and every move with its reason.

    \b
    Example (FY2557 cut by 25%, the cut carried into FY2558):
      selector replan scenarios/dlt-offices.csv --baseline scenarios/dlt-offices-schedule.csv \\
        --progress scenarios/dlt-offices-progress-2557.csv --from 2557 \\
        --budget 2557=111750000 --budget 2558=198750000
    Exit codes: 0 optimal, 2 bad input, 3 no feasible re-plan, 4 not proven optimal, 5 no plan in time.
    """

    started = time.perf_counter()
    csv_path = Path(scenario)
    out_path = Path(out) if out else csv_path.with_name(f"{csv_path.stem}-replan-{from_year}.csv")
    inputs = [*scenario_inputs(scenario, settings), Path(baseline)] + ([Path(progress)] if progress else [])
    targets = [out_path] + [Path(p) for p in (moves_path, xlsx_path, report_path) if p]
    outputs = output_files(targets, inputs)
    sc = load_scenario(scenario, settings, encoding)
    new_budgets = parse_budget(budgets) if budgets else None
    audit = command_overrides(budgets, settings=settings, encoding=encoding, gap=gap, time_limit=time_limit,
                              solver=solver)
    with terminal_progress(quiet) as on_progress:
        result = run_replan(sc, baseline, progress, from_year, stability, later_factor, new_budgets,
                            solver=solver, time_limit=time_limit, gap=gap, on_progress=on_progress)
    elapsed = time.perf_counter() - started
    if result.status == Status.INFEASIBLE:
        fail(_("no re-plan satisfies every rule:") + "\n" + "\n".join(f"  - {r}" for r in result.reasons)
             + "\n" + _("No schedule was written."), exit_code_for(Status.INFEASIBLE))
    if result.status == Status.NO_SOLUTION:
        fail(_("the solver found no re-plan within the time limit; nothing is proven either way. "
               "Raise --time-limit. No schedule was written."), exit_code_for(Status.NO_SOLUTION))
    with output_errors(*targets), outputs:  # all of them or none
        write_schedule_csv(result.plan, out_path)
        if moves_path:
            write_moves_csv(result, moves_path)
        if xlsx_path or report_path:
            write_plan_files(result.plan, xlsx_path, report_path, lang,
                             provenance=provenance(result, sc, baseline, progress, new_budgets, audit))
    if not quiet:
        echo(summary_text(result.plan, out_path, elapsed))
        echo("")
        echo(moves_text(result))
        echo_written([(kind, path) for kind, path in (("moves", moves_path), ("workbook", xlsx_path),
                                                      ("report", report_path)) if path])
    if exit_code_for(result.status):  # written, but not proven optimal
        sys.exit(exit_code_for(result.status))


COMMANDS = [replan]
