"""`selector monitor`: score a round's indicator results, report plan achievement, write the progress file."""

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
    scenario_inputs,
)
from selector.data.csvfiles import parse_number
from selector.errors import Problem, ScenarioError
from selector.i18n import _
from selector.outputs.evaluate import evaluation_text
from selector.outputs.monitor import (
    learning_text,
    monitor_text,
    write_learning_csv,
    write_progress_csv,
    write_scorecard_csv,
    write_updated_units,
)
from selector.outputs.scorecard import write_scorecard_report, write_scorecard_workbook
from selector.workflows.evaluate import evaluate
from selector.workflows.learn import learn_from_pilots
from selector.workflows.monitor import monitor as run_monitor


@click.command()
@click.argument("scenario", type=InputFile())
@click.option("--schedule", required=True, type=InputFile(),
              help="The approved schedule CSV (as written by `selector solve`).")
@click.option("--results", required=True, type=InputFile(),
              help="CSV of unit_id, indicator, result [, round] [, upgraded]: one line per unit and indicator.")
@click.option("--round", "round_", required=True, type=int, metavar="MONTHS",
              help="The reporting round: 6, 9 or 12 months into the fiscal year.")
@click.option("--year", required=True, type=int, metavar="YEAR", help="The fiscal year (B.E.) the results are for.")
@click.option("--indicators", type=InputFile(), default=None,
              help="TOML with [[indicators]] and [monitoring] [default: the scenario's settings].")
@input_options
@click.option("--out", type=click.Path(dir_okay=False), default=None,
              help="Per-unit scorecard CSV [default: <stem>-scorecard-<YEAR>-r<MONTHS>.csv beside the scenario].")
@click.option("--progress", "progress_out", type=click.Path(dir_okay=False), default=None,
              help="Progress CSV for `selector replan --from YEAR+1` [default: <stem>-progress-<YEAR+1>.csv].")
@click.option("--update-scores", is_flag=True,
              help="Revise each reported unit's success (and risk) from its score in the progress file.")
@click.option("--learned", "learned_path", type=click.Path(dir_okay=False), default=None,
              help="Also write, for review, the success the pilots suggest for every unit still to be upgraded.")
@click.option("--updated-units", "updated_path", type=click.Path(dir_okay=False), default=None,
              help="Also write a copy of the units CSV with that learned success, to re-plan with.")
@click.option("--xlsx", "xlsx_path", type=click.Path(dir_okay=False), default=None,
              help="Also write the workbook: the OPDC scorecard of every unit, plan achievement, learning from the pilots.")
@click.option("--report", "report_path", type=click.Path(dir_okay=False), default=None,
              help="Also write a printable HTML report: plan achievement, the pilots' scorecards, every unit's verdict.")
@click.option("--effect", type=float, default=None, metavar="D",
              help="Add the schedule's stepped-wedge power to detect an effect D (see `selector evaluate`).")
@click.option("--icc", type=float, default=0.05, show_default=True, metavar="R", help="ICC for --effect.")
@click.option("--per-unit", default="1", show_default=True, metavar="M|COLUMN", help="People per unit and year for --effect.")
@lang_option
@click.option("--quiet", "-q", is_flag=True, help="Print nothing on success.")
@handle_errors
def monitor(scenario, schedule, results, round_, year, indicators, settings, encoding, out, progress_out, update_scores,
            learned_path, updated_path, xlsx_path, report_path, effect, icc, per_unit, lang, quiet):
    """Score a round of OPDC indicator results: per unit, per year (plan achievement), per region.

    Each result is scored 1-5 between its indicator's five level targets (linear, clipped;
    lower-is-better indicators too), weighted (weight 4% x score 5.0000 = 0.2000), summed per
    dimension and overall, and judged against [monitoring] pass_score. A unit missing a result is
    "not reported", never zero. Writes the per-unit scorecard and the progress file that
    `selector replan` reads (done, in_progress, failed, deferred).

    \b
    Example (FY2555's pilots, then re-plan from FY2556):
      selector monitor scenarios/dlt-offices.csv --schedule scenarios/dlt-offices-schedule.csv \\
        --indicators scenarios/dlt-offices-indicators.toml \\
        --results scenarios/dlt-offices-results-2555.csv --round 12 --year 2555
      selector replan scenarios/dlt-offices.csv --baseline scenarios/dlt-offices-schedule.csv \\
        --progress scenarios/dlt-offices-progress-2556.csv --from 2556
    Exit codes: 0 written, 2 bad input.
    """
    csv_path = Path(scenario)
    out_path = Path(out) if out else csv_path.with_name(f"{csv_path.stem}-scorecard-{year}-r{round_}.csv")
    progress_path = Path(progress_out) if progress_out else csv_path.with_name(f"{csv_path.stem}-progress-{year + 1}.csv")
    inputs = [*scenario_inputs(scenario, settings), Path(schedule), Path(results)]
    inputs += [Path(indicators)] if indicators else []
    targets = [out_path, progress_path] + [Path(p) for p in (learned_path, updated_path, xlsx_path, report_path) if p]
    outputs = output_files(targets, inputs)
    sc = load_scenario(scenario, settings, encoding)
    result = run_monitor(sc, schedule, results, round_, year, indicators=indicators, update_scores=update_scores,
                         encoding=encoding)
    learning = learn_from_pilots(result) if len(result.pilots) else None
    if (learned_path or updated_path) and (learning is None or learning.slope is None):
        raise ScenarioError([Problem("--learned" if learned_path else "--updated-units", None, None,
                                     _("the round has too few reported pilots to learn from"),
                                     _("monitor the pilot year's round, or leave out --learned and --updated-units"))])
    power = None
    if effect is not None:
        size, reason = parse_number(per_unit)
        power = evaluate(sc, [result.baseline], effect, icc, per_unit if reason else size, names=[Path(schedule).name])
    changed = None
    with output_errors(*targets), outputs:  # all of them or none
        write_scorecard_csv(result, out_path)
        write_progress_csv(result, progress_path)
        if learned_path:
            write_learning_csv(learning, learned_path)
        if xlsx_path:
            write_scorecard_workbook(xlsx_path, lang, result, learning, power)
        if report_path:
            write_scorecard_report(report_path, result, lang, learning, power)
        if updated_path:
            changed = write_updated_units(sc, learning, updated_path)
    if not quiet:
        echo(monitor_text(result))
        if learning is not None:
            echo("")
            echo(learning_text(learning))
        if power is not None:
            echo("")
            echo(evaluation_text(power))
        if learned_path:
            echo(_("Suggested success for review written to {path}", path=learned_path))
        if changed is not None:
            echo(_("Units CSV with the learned success of {n} unit(s) written to {path}", n=changed,
                         path=updated_path))
        echo(_("Scorecard written to {path}", path=out_path))
        echo(_("Progress written to {path}", path=progress_path))


COMMANDS = [monitor]
