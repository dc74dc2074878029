"""`selector solve`: score the units, solve the phase schedule, write it and say what was proven."""

from __future__ import annotations

import sys
import time
from pathlib import Path

import click

from selector.atomic import OutputTransaction
from selector.cli.common import (
    InputFile,
    budget_option,
    check_provinces,
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
    pilots_option,
    scenario_inputs,
    scenario_overrides,
    solver_options,
    title_option,
    warn_about_weights,
    with_title,
)
from selector.cli.progress import LARGE_SOLVE, terminal_progress
from selector.i18n import _
from selector.outputs.files import write_json, write_schedule_csv
from selector.outputs.submission import write_plan_files
from selector.outputs.tables import solved
from selector.outputs.text import summary_text
from selector.solve import solve as solve_plan
from selector.status import Status


@click.command()
@click.argument("scenario", type=InputFile())
@input_options
@click.option("--out", "out", type=click.Path(dir_okay=False), default=None,
              help="Schedule CSV to write [default: <stem>-schedule.csv beside the scenario].")
@click.option("--json", "json_path", type=click.Path(dir_okay=False), default=None, help="Also write the full record as JSON.")
@solver_options
@budget_option
@pilots_option
@click.option("--quiet", "-q", is_flag=True, help="Print nothing on success.")
@click.option("--verbose", "-v", is_flag=True, help="Show the solver's log on stderr.")
@click.option("--xlsx", "xlsx_path", type=click.Path(dir_okay=False), default=None,
              help="Also write the plan as an Excel workbook (summary, one sheet per year, pilots, assumptions).")
@click.option("--report", "report_path", type=click.Path(dir_okay=False), default=None,
              help="Also write a printable, self-contained HTML report.")
@lang_option
@title_option
@handle_errors
def solve(scenario, settings, out, json_path, solver, time_limit, gap, budgets, pilots, quiet, verbose, encoding,
          xlsx_path, report_path, lang, title):
    """Score the units, solve the phase schedule and write it.

    \b
    Example:
      selector solve scenarios/dlt-offices.csv --budget 2556=90000000 --pilots 8:12
      selector solve scenarios/dlt-offices.csv --xlsx plan.xlsx --report plan.html
    Exit codes: 0 optimal, 2 bad input, 3 no feasible plan, 4 not proven optimal, 5 no plan in time.
    """

    started = time.perf_counter()
    overrides = scenario_overrides(budgets, pilots)
    audit = command_overrides(budgets, pilots, settings=settings, encoding=encoding, gap=gap, time_limit=time_limit,
                              solver=solver, title=title)
    csv_path = Path(scenario)
    out_path = Path(out) if out else csv_path.with_name(csv_path.stem + "-schedule.csv")
    inputs = scenario_inputs(scenario, settings)
    targets = [out_path] + [Path(p) for p in (json_path, xlsx_path, report_path) if p]
    outputs = output_files(targets, inputs)
    sc = with_title(load_scenario(scenario, settings, encoding, **overrides), title)
    warn_about_weights(sc)
    if xlsx_path or report_path:
        check_provinces(sc)  # the map needs every province known: say so before anything is solved or written
    with terminal_progress(quiet or len(sc.units) <= LARGE_SOLVE) as on_progress:
        plan = solve_plan(sc, solver=solver, time_limit=time_limit, gap=gap, verbose=verbose, on_progress=on_progress)
    elapsed = time.perf_counter() - started

    if plan.status == Status.INFEASIBLE:
        if json_path:  # the diagnosis, for scripts; never a schedule
            with output_errors(Path(json_path)), OutputTransaction([json_path]):
                write_json(plan, json_path, elapsed=elapsed, overrides=audit)
        fail(_("no plan satisfies every rule; what stands in the way and what it would take:") + "\n"
             + "\n".join(f"  - {r}" for r in plan.reasons) + "\n" + _("No schedule was written."),
             exit_code_for(Status.INFEASIBLE))
    if plan.status == Status.NO_SOLUTION:
        fail(_("the solver found no plan within the time limit of {seconds} s; nothing is proven either way. "
               "Raise --time-limit or try the other --solver. No schedule was written.",
               seconds=f"{plan.options.time_limit:g}"), exit_code_for(Status.NO_SOLUTION))
    with output_errors(*targets), outputs:  # all of them or none
        write_schedule_csv(plan, out_path)
        if json_path:
            write_json(plan, json_path, elapsed=elapsed, overrides=audit)
        if xlsx_path or report_path:
            write_plan_files(plan, xlsx_path, report_path, lang, provenance=solved(sc, audit))
    if not quiet:
        echo(summary_text(plan, out_path, elapsed))
        echo_written([(kind, path) for kind, path in (("record", json_path), ("workbook", xlsx_path),
                                                      ("report", report_path)) if path])
    if exit_code_for(plan.status):  # written, but not proven optimal
        sys.exit(exit_code_for(plan.status))


COMMANDS = [solve]
