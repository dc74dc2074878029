"""`selector template`: a workbook to fill in (units, rules, instructions), or a scenario as one."""

from __future__ import annotations

from pathlib import Path

import click

from selector.cli.common import (
    InputFile,
    echo,
    handle_errors,
    input_options,
    lang_option,
    load_scenario,
    output_errors,
    output_files,
)
from selector.errors import Problem, ScenarioError
from selector.i18n import _
from selector.outputs.template import write_template


@click.command()
@click.argument("out", type=click.Path(dir_okay=False))
@lang_option
@click.option("--units", "-n", type=click.IntRange(min=0, max=100_000), default=20, show_default=True,
              help="Empty unit rows with drop-downs and checks (after the scenario's units with --from).")
@click.option("--first-year", type=click.IntRange(min=2400, max=2700), default=None, metavar="YEAR",
              help="First fiscal year (B.E.), the pilot year [default: the coming fiscal year].")
@click.option("--years", type=click.IntRange(min=1, max=30), default=4, show_default=True,
              help="Fiscal years in the plan.")
@click.option("--from", "scenario", type=InputFile(), default=None, metavar="SCENARIO",
              help="Fill the template with this scenario's units and rules (CSV or workbook).")
@input_options
@click.option("--quiet", "-q", is_flag=True, help="Print nothing on success.")
@handle_errors
def template(out, lang, units, first_year, years, scenario, settings, encoding, quiet):
    """Write an Excel workbook to fill in: Thai (or English) headers, drop-downs, rules and instructions.

    The units sheet has a header per column (point at it to read what it holds), an empty row per
    unit with checks (scores on the scale, pilot must/never, B.E. fiscal years of the horizon,
    cost >= 0); the rules sheet holds the defaults and one budget row per fiscal year; the
    instructions sheet has an example row. Fill it in and run `selector solve` on it.

    \b
    Example:
      selector template plan.xlsx --units 12 --first-year 2570
      selector solve plan.xlsx --lang th
      selector template dlt.xlsx --from scenarios/dlt-offices.csv
    Exit codes: 0 written, 2 bad input.
    """
    out_path = Path(out)
    if out_path.suffix.lower() != ".xlsx":
        raise ScenarioError([Problem(out, None, None, _("the template is an Excel workbook"),
                                     _("give a file name ending in .xlsx"))])
    sc = load_scenario(scenario, settings, encoding) if scenario else None
    outputs = output_files([out_path], [Path(scenario)] if scenario else [])
    with output_errors(out_path), outputs:
        write_template(out_path, lang=lang, units=units, first_year=first_year, years=years, scenario=sc)
    if not quiet:
        echo(_("Template written to {path}", path=out_path))


COMMANDS = [template]
