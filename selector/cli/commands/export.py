"""``selector export``: an existing schedule and its scenario as an Excel workbook and/or an HTML report."""

from __future__ import annotations

import datetime as dt
import shlex
from pathlib import Path

import click

from selector.cli.common import (
    InputFile,
    budget_option,
    check_provinces,
    command_overrides,
    echo,
    handle_errors,
    input_options,
    lang_option,
    load_scenario,
    output_errors,
    output_files,
    pilots_option,
    scenario_inputs,
    scenario_overrides,
    title_option,
    with_title,
)
from selector.errors import Problem, ScenarioError
from selector.i18n import _
from selector.outputs.audit import reproduce_arguments
from selector.outputs.submission import write_plan_files
from selector.outputs.tables import Provenance
from selector.workflows.export import plan_from_schedule


def _parse_date(text: str | None) -> dt.date | None:
    if text is None:
        return None
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise ScenarioError([Problem("--date", None, None, _("'{text}' is not a date YYYY-MM-DD", text=text),
                                     _("write e.g. --date 2012-09-30"))]) from None


@click.command("export")
@click.argument("schedule", type=InputFile())
@click.option("--scenario", "scenario", required=True, type=InputFile(),
              help="The scenario CSV the schedule was made for.")
@input_options
@budget_option
@pilots_option
@click.option("--xlsx", "xlsx_path", type=click.Path(dir_okay=False), default=None, help="Excel workbook to write.")
@click.option("--report", "report_path", type=click.Path(dir_okay=False), default=None,
              help="Self-contained HTML report to write (prints to A4).")
@lang_option
@title_option
@click.option("--date", "date_text", default=None, metavar="YYYY-MM-DD",
              help="Date printed on the plan [default: SOURCE_DATE_EPOCH if set, else today].")
@handle_errors
def export(schedule, scenario, settings, encoding, budgets, pilots, xlsx_path, report_path, lang, title, date_text):
    """Write a schedule as a plan submission: an Excel workbook and/or a printable HTML report.

    The schedule is checked against every rule of the scenario first (as `selector check` does),
    with the same --budget and --pilots overrides the plan was solved with; a schedule that breaks
    a rule is refused.

    \b
    Example:
      selector export scenarios/dlt-offices-schedule.csv --scenario scenarios/dlt-offices.csv \\
          --xlsx plan.xlsx --report plan.html
      selector export cut-schedule.csv --scenario scenarios/dlt-offices.csv --budget 2556=125000000 --xlsx cut.xlsx
    Exit codes: 0 written, 2 bad input, 3 the schedule breaks a rule (each is listed; nothing is written).
    """

    if not xlsx_path and not report_path:
        raise ScenarioError([Problem("export", None, None, _("nothing to write"), _("give --xlsx FILE and/or --report FILE"))])
    day = _parse_date(date_text)
    inputs = [Path(schedule), *scenario_inputs(scenario, settings)]
    targets = [Path(p) for p in (xlsx_path, report_path) if p]
    outputs = output_files(targets, inputs)
    audit = command_overrides(budgets, pilots, settings=settings, encoding=encoding, title=title)
    sc = with_title(load_scenario(scenario, settings, encoding, **scenario_overrides(budgets, pilots)), title)
    check_provinces(sc)
    plan = plan_from_schedule(sc, schedule)
    # The export is reproduced by the same export of the same schedule (how the schedule was made, it cannot know).
    argv = reproduce_arguments(sc, audit)
    argv[1:3] = ["export", Path(schedule).name, "--scenario", argv[2]]
    argv += [arg for option, path in (("--xlsx", xlsx_path), ("--report", report_path)) if path
             for arg in (option, Path(path).name)]
    if lang != "th":
        argv += ["--lang", lang]
    with output_errors(*targets), outputs:  # both or neither
        write_plan_files(plan, xlsx_path, report_path, lang, day, Provenance(shlex.join(argv), overrides=audit))
    written = " and ".join(p for p in (xlsx_path, report_path) if p)
    echo(_("Plan of {units} units written to {files}", units=len(plan.schedule), files=written))


COMMANDS = [export]
