"""`selector alternatives SCENARIO.csv`: distinct near-optimal plans for the committee, each proven near the optimum."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from selector.atomic import write_text_atomic
from selector.cli.common import (
    EXIT_NOT_PROVEN,
    InputFile,
    check_provinces,
    command_overrides,
    echo_written,
    handle_errors,
    input_options,
    lang_option,
    load_scenario,
    output_errors,
    output_files,
    scenario_inputs,
    solver_options,
    title_option,
    with_title,
)
from selector.cli.progress import terminal_progress
from selector.i18n import _
from selector.outputs.alternatives import write_alternatives_files
from selector.outputs.files import alternatives_csv_text, schedule_csv_text
from selector.status import Status
from selector.workflows.alternatives import FOCUS
from selector.workflows.alternatives import alternatives as find_alternatives


def schedule_paths(out_path: Path, count: int) -> list[Path]:
    """Where plan k's schedule goes: <stem>-<k>.csv beside the comparison CSV (<stem> without -alternatives)."""
    stem = out_path.stem[: -len("-alternatives")] if out_path.stem.endswith("-alternatives") else out_path.stem
    return [out_path.with_name(f"{stem}-alternative-{k}.csv") for k in range(1, count + 1)]


@click.command("alternatives")
@click.argument("scenario", type=InputFile())
@input_options
@click.option("--count", "-k", type=click.IntRange(min=1, max=100), default=5, show_default=True,
              help="Most plans to find (the optimum is plan 1).")
@click.option("--within", type=click.FloatRange(min=0, max=100, max_open=True), default=1.0, show_default=True,
              help="Largest loss of objective against the optimum, in percent.")
@click.option("--differ", type=click.IntRange(min=1), default=1, show_default=True,
              help="Every two plans differ in at least this many units (pilot status, or fiscal year with --focus schedule).")
@click.option("--focus", type=click.Choice(FOCUS), default="pilots", show_default=True,
              help="What must differ: the pilot sets, or the whole schedule (each unit's fiscal year).")
@click.option("--out", "out", type=click.Path(dir_okay=False), default=None,
              help="Comparison CSV [default: <stem>-alternatives.csv beside the scenario]; the schedules go "
                   "beside it as <stem>-alternative-<k>.csv.")
@solver_options
@click.option("--xlsx", "xlsx_path", type=click.Path(dir_okay=False), default=None,
              help="Also write a workbook: plan 1 in full, and the plans side by side (objective and loss, pilots "
                   "in and out, cost, units and moves per year, balance).")
@click.option("--report", "report_path", type=click.Path(dir_okay=False), default=None,
              help="Also write the printable HTML report of plan 1 with the plans side by side.")
@lang_option
@title_option
@click.option("--quiet", "-q", is_flag=True, help="Print nothing; only write the files.")
@handle_errors
def alternatives_command(scenario, settings, count, within, differ, focus, out, solver, time_limit, gap, xlsx_path,
                         report_path, lang, title, quiet, encoding):
    """Find up to COUNT distinct plans, each within WITHIN percent of the proven optimum.

    Plan 1 is the optimum; plan k is the best plan differing from plans 1..k-1 in at least DIFFER
    units (no-good cuts on the pilots, or on every unit's year), so with --differ 1 plan k is the
    k-th best distinct plan up to the solver's gap. "No further plan" is said only when proven.
    Writes one schedule per plan and a comparison table, all of them or none (with --xlsx and
    --report, the workbook and report too); prints the comparison.

    \b
    Example:
      selector alternatives scenarios/dlt-offices.csv --count 5 --within 1 --differ 2
      selector alternatives scenarios/dlt-offices.csv --focus schedule --differ 10
      selector alternatives scenarios/dlt-offices.csv --count 3 --xlsx choices.xlsx --report choices.html
    Exit codes: 0 every plan proven, 2 bad input, 3 no feasible plan, 4 some plan not proven best
    remaining within the gap (the files are still written), 5 no plan in time.
    """
    csv_path = Path(scenario)
    out_path = Path(out) if out else csv_path.with_name(csv_path.stem + "-alternatives.csv")
    inputs = scenario_inputs(scenario, settings)
    extras = [Path(p) for p in (xlsx_path, report_path) if p]
    targets = [out_path, *schedule_paths(out_path, count), *extras]
    output_files(targets, inputs)  # every path checked before anything is solved
    audit = command_overrides((), None, settings=settings, encoding=encoding, gap=gap, time_limit=time_limit,
                              solver=solver, title=title)
    sc = with_title(load_scenario(scenario, settings, encoding), title)
    if extras:
        check_provinces(sc)  # the map needs every province known: say so before anything is solved or written
    with terminal_progress(quiet) as on_progress:
        result = find_alternatives(sc, count, within / 100, differ, focus, solver=solver, time_limit=time_limit,
                                   gap=gap, on_progress=on_progress)
    texts = [(path, "\ufeff" + schedule_csv_text(plan.schedule))
             for path, plan in zip(schedule_paths(out_path, len(result.plans)), result.plans)]
    texts.append((out_path, "\ufeff" + alternatives_csv_text(result.table, result.comparison.cost,
                                                              result.comparison.units)))
    written = [path for path, _text in texts] + extras
    with output_errors(*written), output_files(written, inputs):  # all of them or none
        for path, text in texts:
            write_text_atomic(path, text)
        if extras:
            write_alternatives_files(result, xlsx_path, report_path, lang, overrides=audit)
    if not quiet:
        click.echo(result.comparison.to_text())
        click.echo("")
        click.echo(result.conclusion())
        click.echo(_("Schedules written to {first} ... {last}; comparison to {out}",
                     first=texts[0][0], last=texts[-2][0], out=out_path))
        echo_written([(kind, path) for kind, path in (("workbook", xlsx_path), ("report", report_path)) if path])
    if any(plan.status != Status.OPTIMAL for plan in result.plans):
        sys.exit(EXIT_NOT_PROVEN)


COMMANDS = [alternatives_command]
