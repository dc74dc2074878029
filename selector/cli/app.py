"""The `selector` command: a thin click layer over the Python API.

Exit codes: 0 plan written and proven optimal (or check passed); 1 unexpected error;
2 bad input or usage; 3 no feasible plan (or check found broken rules); 4 plan written but not
proven optimal within the time limit; 5 time limit reached before any plan was found; 130 interrupted
(Ctrl-C or SIGTERM), every output left whole.
"""

from __future__ import annotations

import contextlib
import functools
import os
import signal
import sys
import threading
import time
from pathlib import Path

import click

from selector._version import __version__
from selector.check import check_replan, check_schedule
from selector.cli import commands
from selector.data.scenario import Scenario, default_settings_path, load
from selector.errors import Problem, ScenarioError, SelectorError
from selector.outputs.files import write_json, write_schedule_csv
from selector.outputs.submission import write_plan_files
from selector.outputs.text import scenario_text, summary_text
from selector.solve import solve as solve_plan
from selector.status import Status

EXIT_OK, EXIT_ERROR, EXIT_INPUT, EXIT_INFEASIBLE, EXIT_NOT_PROVEN, EXIT_NO_SOLUTION = 0, 1, 2, 3, 4, 5


def _fail(message: str, code: int) -> None:
    click.echo(f"Error: {message}", err=True)
    sys.exit(code)


@contextlib.contextmanager
def terminate_as_interrupt():
    """While the block runs, SIGTERM (a kill, a closed session) raises KeyboardInterrupt as Ctrl-C does.

    So the same clean-up runs for both: ``atomic_path`` removes its temporary file and the previous
    output stays whole. Signal handlers can only be set from the main thread; elsewhere this does nothing.
    """
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def interrupt(signum, frame):
        raise KeyboardInterrupt(f"signal {signum}")

    previous = signal.signal(signal.SIGTERM, interrupt)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


def handle_errors(func):
    """Turn selector's exceptions into messages and exit codes; never show a traceback to a planner."""

    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        try:
            with terminate_as_interrupt():
                return func(*args, **kwargs)
        except SelectorError as exc:
            _fail(str(exc), exc.exit_code)
        except KeyboardInterrupt:
            click.echo("Interrupted; no file was left half-written (each output is either the old one or complete).",
                       err=True)
            sys.exit(130)
        except (click.exceptions.Exit, click.ClickException, SystemExit):
            raise
        except OSError as exc:  # a file that cannot be read or written (permissions, full disk...), in any command
            if os.environ.get("SELECTOR_DEBUG"):
                raise
            where = f"{exc.filename}: " if exc.filename else ""
            _fail(f"{where}{exc.strerror or exc}. Check the path, the folder's permissions and the free disk space; "
                  "no output was left half-written.", EXIT_INPUT)
        except Exception as exc:  # a bug: say so plainly, traceback only on request
            if os.environ.get("SELECTOR_DEBUG"):
                raise
            _fail(f"unexpected {type(exc).__name__}: {exc}. Set SELECTOR_DEBUG=1 to see the traceback, "
                  "and please report it.", EXIT_ERROR)

    return wrapper


def _parse_budget(values: tuple[str, ...]) -> dict[int, float]:
    budget, problems = {}, []
    for text in values:
        year, sep, amount = text.partition("=")
        try:
            if not sep:
                raise ValueError
            budget[int(year.strip())] = float(amount.strip().replace(",", "").replace("_", ""))
        except ValueError:
            problems.append(Problem("--budget", None, None, f"'{text}' is not YEAR=BAHT", "write e.g. --budget 2556=120000000"))
    if problems:
        raise ScenarioError(problems)
    return budget


def _parse_pilots(text: str) -> dict[str, int]:
    lo, sep, hi = text.partition(":")
    try:
        if not sep:
            raise ValueError
        out = {}
        if lo.strip():
            out["pilots_min"] = int(lo)
        if hi.strip():
            out["pilots_max"] = int(hi)
        if any(v < 0 for v in out.values()):
            raise ValueError
        return out
    except ValueError:
        raise ScenarioError([Problem("--pilots", None, None, f"'{text}' is not MIN:MAX", "write e.g. --pilots 8:12")])


def _load(scenario: str, settings: str | None, encoding: str | None = None, **overrides) -> Scenario:
    return load(scenario, settings, encoding=encoding, **{k: v for k, v in overrides.items() if v is not None})


def _scenario_inputs(scenario: str, settings: str | None) -> list[Path]:
    """The files a scenario is read from: the CSV and its settings TOML (given, or the one beside it)."""
    csv_path = Path(scenario)
    return [csv_path, Path(settings) if settings else default_settings_path(csv_path)]


def _check_output_path(out: Path, inputs: list[Path]) -> None:
    for path in inputs:
        if (path.exists() and out.exists() and os.path.samefile(out, path)) or out.resolve() == path.resolve():
            raise ScenarioError([Problem(str(out), None, None, "the output would overwrite an input file",
                                         "choose another --out / --json path")])
    parent = out.parent
    if out.is_dir():
        raise ScenarioError([Problem(str(out), None, None, "is a folder, not a file", "give the name of the file to write")])
    if parent.exists() and not parent.is_dir():
        raise ScenarioError([Problem(str(out), None, None, f"'{parent}' is a file, not a folder",
                                     "choose a path inside an existing folder")])
    if not parent.is_dir():
        raise ScenarioError([Problem(str(out), None, None, f"the folder '{parent}' does not exist", "create it or choose another path")])
    if not os.access(parent, os.W_OK):
        raise ScenarioError([Problem(str(out), None, None, f"the folder '{parent}' is not writable",
                                     "choose a folder you can write to")])


@contextlib.contextmanager
def _output_errors(target: Path):
    """A file that cannot be written (permissions, full disk, a vanished folder) is a clear message, not a crash."""
    try:
        yield
    except OSError as exc:
        raise ScenarioError([Problem(str(target), None, None, f"cannot be written ({exc.strerror or exc})",
                                     "choose a folder you can write to (--out / --json), or free some disk space")]) from exc


@click.group(context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(__version__, prog_name="selector")
def main() -> None:
    """Choose pilot units and phase the rollout of a service improvement, within each year's budget.

    \b
    Example:
      selector solve scenarios/dlt-offices.csv
      selector check scenarios/dlt-offices.csv scenarios/dlt-offices-schedule.csv
    """


_settings_option = click.option("--settings", type=click.Path(dir_okay=False), default=None,
                                help="Settings TOML [default: the .toml beside the CSV].")
_lang_option = click.option("--lang", type=click.Choice(["th", "en"]), default="th", show_default=True,
                            help="Language of the workbook and report.")
_encoding_option = click.option("--encoding", default=None, metavar="CODEC",
                                help="Text encoding of the units CSV, e.g. cp874 (Thai Windows) or utf-8 "
                                     "[default: UTF-8, or cp874 detected].")


@main.command()
@click.argument("scenario", type=click.Path(exists=True, dir_okay=False))
@_settings_option
@click.option("--out", "out", type=click.Path(dir_okay=False), default=None,
              help="Schedule CSV to write [default: <stem>-schedule.csv beside the scenario].")
@click.option("--json", "json_path", type=click.Path(dir_okay=False), default=None, help="Also write the full record as JSON.")
@click.option("--solver", type=click.Choice(["highs", "cbc"], case_sensitive=False), default=None, help="MIP solver [default: highs].")
@click.option("--time-limit", type=click.FloatRange(min=0, min_open=True), default=None, help="Seconds the solver may run [default: 60].")
@click.option("--gap", type=click.FloatRange(min=0, max=1, max_open=True), default=None,
              help="Relative MIP gap accepted as optimal [default: 0.0001].")
@click.option("--budget", "budgets", multiple=True, metavar="YEAR=BAHT", help="Override one fiscal year's budget (repeatable).")
@click.option("--pilots", metavar="MIN:MAX", default=None, help="Override the number of pilots, e.g. 8:12.")
@click.option("--quiet", "-q", is_flag=True, help="Print nothing on success.")
@click.option("--verbose", "-v", is_flag=True, help="Show the solver's log on stderr.")
@_encoding_option
@click.option("--xlsx", "xlsx_path", type=click.Path(dir_okay=False), default=None,
              help="Also write the plan as an Excel workbook (summary, one sheet per year, pilots, assumptions).")
@click.option("--report", "report_path", type=click.Path(dir_okay=False), default=None,
              help="Also write a printable, self-contained HTML report.")
@_lang_option
@handle_errors
def solve(scenario, settings, out, json_path, solver, time_limit, gap, budgets, pilots, quiet, verbose, encoding,
          xlsx_path, report_path, lang):
    """Score the units, solve the phase schedule and write it.

    \b
    Example:
      selector solve scenarios/dlt-offices.csv --budget 2556=90000000 --pilots 8:12
      selector solve scenarios/dlt-offices.csv --xlsx plan.xlsx --report plan.html
    Exit codes: 0 optimal, 2 bad input, 3 no feasible plan, 4 not proven optimal, 5 no plan in time.
    """

    started = time.perf_counter()
    overrides = {}
    if budgets:
        overrides["budget"] = _parse_budget(budgets)
    if pilots:
        overrides.update(_parse_pilots(pilots))
    csv_path = Path(scenario)
    out_path = Path(out) if out else csv_path.with_name(csv_path.stem + "-schedule.csv")
    inputs = _scenario_inputs(scenario, settings)
    extra_outputs = [Path(p) for p in (json_path, xlsx_path, report_path) if p]
    for target in [out_path] + extra_outputs:
        _check_output_path(target, inputs)
    sc = _load(scenario, settings, encoding, **overrides)
    plan = solve_plan(sc, solver=solver, time_limit=time_limit, gap=gap, verbose=verbose)
    elapsed = time.perf_counter() - started

    if plan.status == Status.INFEASIBLE:
        if json_path:  # the diagnosis, for scripts; never a schedule
            with _output_errors(Path(json_path)):
                write_json(plan, json_path, elapsed=elapsed)
        _fail("no plan satisfies every rule; what stands in the way and what it would take:\n"
              + "\n".join(f"  - {r}" for r in plan.reasons) + "\nNo schedule was written.", EXIT_INFEASIBLE)
    if plan.status == Status.NO_SOLUTION:
        _fail(f"the solver found no plan within the time limit of {time_limit or sc.settings.time_limit:g} s; "
              "nothing is proven either way. Raise --time-limit or try the other --solver. No schedule was written.",
              EXIT_NO_SOLUTION)
    with _output_errors(out_path):
        write_schedule_csv(plan, out_path)
    if json_path:
        with _output_errors(Path(json_path)):
            write_json(plan, json_path, elapsed=elapsed)
    if xlsx_path or report_path:

        with _output_errors(Path(xlsx_path or report_path)):
            write_plan_files(plan, xlsx_path, report_path, lang)
    if not quiet:
        click.echo(summary_text(plan, out_path, elapsed))
    if plan.status == Status.FEASIBLE:
        sys.exit(EXIT_NOT_PROVEN)


@main.command()
@click.argument("scenario", type=click.Path(exists=True, dir_okay=False))
@click.argument("schedule", type=click.Path(exists=True, dir_okay=False))
@_settings_option
@click.option("--budget", "budgets", multiple=True, metavar="YEAR=BAHT", help="Override one fiscal year's budget (repeatable).")
@click.option("--baseline", type=click.Path(exists=True, dir_okay=False), default=None,
              help="For a re-planned schedule: the approved schedule it started from (needs --from).")
@click.option("--progress", type=click.Path(exists=True, dir_okay=False), default=None,
              help="For a re-planned schedule: the progress file it used.")
@click.option("--from", "from_year", type=int, default=None, metavar="YEAR",
              help="For a re-planned schedule: the fiscal year it re-planned from; earlier years must be as they happened.")
@click.option("--quiet", "-q", is_flag=True, help="Print nothing when every rule holds.")
@_encoding_option
@handle_errors
def check(scenario, schedule, settings, budgets, baseline, progress, from_year, quiet, encoding):
    """Verify a schedule against every rule of the scenario, independently of the solver.

    \b
    Example:
      selector check scenarios/dlt-offices.csv scenarios/dlt-offices-schedule.csv
      selector check scenarios/dlt-offices.csv scenarios/dlt-offices-replan-2557.csv \\
        --baseline scenarios/dlt-offices-schedule.csv --progress scenarios/dlt-offices-progress-2557.csv \\
        --from 2557 --budget 2557=111750000 --budget 2558=198750000
    Exit codes: 0 every rule holds, 2 bad input, 3 some rule is broken (each is listed).
    """

    if (baseline is None) != (from_year is None) or (progress is not None and baseline is None):
        raise ScenarioError([Problem("--baseline/--from", None, None, "a re-planned schedule needs both --baseline and --from",
                                     "pass --baseline APPROVED.csv --from YEAR [--progress PROGRESS.csv], or none of them")])
    sc = _load(scenario, settings, encoding, budget=_parse_budget(budgets) if budgets else None)
    if baseline is not None:
        report = check_replan(sc, schedule, baseline, progress, from_year)
    else:
        report = check_schedule(sc, schedule)
    if report.violations:
        click.echo(f"{len(report.violations)} broken rule(s) in {schedule}:", err=True)
        for line in report.violations:
            click.echo(f"  - {line}", err=True)
        sys.exit(EXIT_INFEASIBLE)
    if not quiet:
        click.echo(f"OK: {report.units_checked} units, every rule holds; objective {report.objective:.6f}")


@main.command()
@click.argument("scenario", type=click.Path(exists=True, dir_okay=False))
@_settings_option
@_encoding_option
@handle_errors
def validate(scenario, settings, encoding):
    """Validate a scenario and summarise it, without solving.

    \b
    Example:
      selector validate scenarios/dlt-offices.csv
    """

    sc = _load(scenario, settings, encoding)
    click.echo(scenario_text(sc))


def _register_commands() -> None:
    """Add the commands of every module in ``selector.commands`` (each lists its click commands in COMMANDS).

    Each feature's command lives in its own module there, so features stay apart; modules import
    their heavy dependencies inside the command, keeping ``selector --help`` fast.
    """
    import importlib
    import pkgutil


    for info in sorted(pkgutil.iter_modules(commands.__path__), key=lambda m: m.name):
        module = importlib.import_module(f"{commands.__name__}.{info.name}")
        for command in getattr(module, "COMMANDS", ()):
            main.add_command(command)


_register_commands()

if __name__ == "__main__":  # pragma: no cover
    main()
