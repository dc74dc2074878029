"""What every command shares: exit codes, error handling, loading, output paths, and the option groups.

Commands take their options from the groups here (``input_options``, ``solver_options``,
``lang_option``, ``budget_option``), so every command that solves takes the same
``--solver``, ``--time-limit`` and ``--gap`` with the same help.
"""

from __future__ import annotations

import contextlib
import dataclasses
import functools
import os
import signal
import sys
import threading
from pathlib import Path

import click

from selector.data.csvfiles import parse_number
from selector.data.scenario import Scenario, default_settings_path, load
from selector.errors import Problem, ScenarioError, SelectorError
from selector.i18n import LANGUAGES, _, language
from selector.outputs.audit import Overrides
from selector.outputs.maps import province_problems
from selector.status import Status

EXIT_OK, EXIT_ERROR, EXIT_INPUT, EXIT_INFEASIBLE, EXIT_NOT_PROVEN, EXIT_NO_SOLUTION = 0, 1, 2, 3, 4, 5


def fail(message: str, code: int) -> None:
    click.echo(_("Error: {message}", message=message), err=True)
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
            fail(str(exc), exc.exit_code)
        except KeyboardInterrupt:
            click.echo(_("Interrupted; no file was left half-written (each output is either the old one or complete)."),
                       err=True)
            sys.exit(130)
        except (click.exceptions.Exit, click.ClickException, SystemExit):
            raise
        except OSError as exc:  # a file that cannot be read or written (permissions, full disk...), in any command
            if os.environ.get("SELECTOR_DEBUG"):
                raise
            where = f"{exc.filename}: " if exc.filename else ""
            fail(where + _("{reason}. Check the path, the folder's permissions and the free disk space; "
                           "no output was left half-written.", reason=exc.strerror or exc), EXIT_INPUT)
        except Exception as exc:  # a bug: say so plainly, traceback only on request
            if os.environ.get("SELECTOR_DEBUG"):
                raise
            fail(_("unexpected {kind}: {error}. Set SELECTOR_DEBUG=1 to see the traceback, and please report it.",
                   kind=type(exc).__name__, error=exc), EXIT_ERROR)

    return wrapper


def parse_budget(values: tuple[str, ...]) -> dict[int, float | str]:
    """``--budget YEAR=BAHT`` values as {year: amount}.

    The amount is read with the CSV's number grammar (``120000000``, ``120,000,000``, Thai digits,
    ``selector.data.csvfiles.parse_number``). An amount that is not a number is kept as its text, so
    that the one budget validator (``selector.data.settings.amount_problem``, applied when the
    scenario is loaded or re-planned) reports it together with every other problem.
    """
    budget, problems = {}, []
    for text in values:
        year, sep, amount = text.partition("=")
        try:
            key = int(year.strip())
        except ValueError:
            key = None
        if not sep or key is None:
            problems.append(Problem("--budget", None, None, _("'{text}' is not YEAR=BAHT", text=text),
                                    _("write e.g. --budget 2556=120000000")))
            continue
        value, _reason = parse_number(amount)
        budget[key] = value if value is not None else amount.strip()
    if problems:
        raise ScenarioError(problems)
    return budget


def parse_pilots(text: str) -> dict[str, int]:
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
        raise ScenarioError([Problem("--pilots", None, None, _("'{text}' is not MIN:MAX", text=text),
                                     _("write e.g. --pilots 8:12"))])


def command_overrides(budgets: tuple[str, ...] = (), pilots: str | None = None, *, settings: str | None = None,
                      encoding: str | None = None, gap: float | None = None, time_limit: float | None = None,
                      solver: str | None = None, title: str | None = None) -> Overrides:
    """The command-line choices that shape a plan, parsed (``--budget``, ``--pilots``...), for its audit trail.

    Raises ``ScenarioError`` for a ``--budget`` or ``--pilots`` that does not parse.
    """
    budget = parse_budget(budgets) if budgets else {}
    limits = parse_pilots(pilots) if pilots else {}
    return Overrides(budget={y: v for y, v in budget.items() if not isinstance(v, str)},
                     pilots_min=limits.get("pilots_min"), pilots_max=limits.get("pilots_max"), gap=gap,
                     time_limit=time_limit, solver=solver.lower() if solver else None, settings=settings,
                     encoding=encoding, title=title.strip() if title else None)


def scenario_overrides(budgets: tuple[str, ...] = (), pilots: str | None = None) -> dict:
    """``--budget`` and ``--pilots`` as the keyword overrides of ``selector.load``."""
    overrides: dict = {}
    if budgets:
        overrides["budget"] = parse_budget(budgets)
    if pilots:
        overrides.update(parse_pilots(pilots))
    return overrides


def with_title(scenario: Scenario, title: str | None) -> Scenario:
    """The scenario with ``--title`` as its ``[report] title`` (unchanged without one)."""
    if not title:
        return scenario
    settings = scenario.settings
    return dataclasses.replace(scenario, settings=dataclasses.replace(
        settings, report=dataclasses.replace(settings.report, title=title.strip())))


def check_provinces(scenario: Scenario) -> None:
    """Before anything is written: every ``province`` is a province of Thailand (the map needs it), or exit 2
    naming the nearest."""
    problems = province_problems(scenario)
    if problems:
        raise ScenarioError(problems)


def echo_written(paths: list[tuple[str, Path | str]]) -> None:
    """Say where each file went, one line each: ("schedule" | "record" | "workbook" | "report" | "moves" | "file", path)."""
    for kind, path in paths:
        if kind == "schedule":
            click.echo(_("Schedule written to {path}", path=path))
        elif kind == "record":
            click.echo(_("JSON record written to {path}", path=path))
        elif kind == "workbook":
            click.echo(_("Workbook written to {path}", path=path))
        elif kind == "report":
            click.echo(_("Report written to {path}", path=path))
        elif kind == "moves":
            click.echo(_("Moves written to {path}", path=path))
        else:
            click.echo(_("File written to {path}", path=path))


def load_scenario(scenario: str, settings: str | None, encoding: str | None = None, **overrides) -> Scenario:
    """Load the scenario with the command's ``--sheet`` (for a workbook); what reading it noted goes to stderr."""
    context = click.get_current_context(silent=True)
    sheet = context.meta.get(SHEET_KEY) if context is not None else None
    sc = load(scenario, settings, encoding=encoding, sheet=sheet, **{k: v for k, v in overrides.items() if v is not None})
    for note in sc.notes:
        click.echo(_("Note: {note}", note=note), err=True)
    return sc


def scenario_inputs(scenario: str, settings: str | None) -> list[Path]:
    """The files a scenario is read from: the CSV and its settings TOML (given, or the one beside it)."""
    csv_path = Path(scenario)
    return [csv_path, Path(settings) if settings else default_settings_path(csv_path)]


def check_output_path(out: Path, inputs: list[Path]) -> None:
    for path in inputs:
        if (path.exists() and out.exists() and os.path.samefile(out, path)) or out.resolve() == path.resolve():
            raise ScenarioError([Problem(str(out), None, None, _("the output would overwrite an input file"),
                                         _("choose another --out / --json path"))])
    parent = out.parent
    if out.is_dir():
        raise ScenarioError([Problem(str(out), None, None, _("is a folder, not a file"),
                                     _("give the name of the file to write"))])
    if parent.exists() and not parent.is_dir():
        raise ScenarioError([Problem(str(out), None, None, _("'{folder}' is a file, not a folder", folder=parent),
                                     _("choose a path inside an existing folder"))])
    if not parent.is_dir():
        raise ScenarioError([Problem(str(out), None, None, _("the folder '{folder}' does not exist", folder=parent),
                                     _("create it or choose another path"))])
    if not os.access(parent, os.W_OK):
        raise ScenarioError([Problem(str(out), None, None, _("the folder '{folder}' is not writable", folder=parent),
                                     _("choose a folder you can write to"))])


@contextlib.contextmanager
def output_errors(target: Path):
    """A file that cannot be written (permissions, full disk, a vanished folder) is a clear message, not a crash."""
    try:
        yield
    except OSError as exc:
        raise ScenarioError([Problem(str(target), None, None, _("cannot be written ({reason})", reason=exc.strerror or exc),
                                     _("choose a folder you can write to (--out / --json), or free some disk space"))]) from exc


def exit_code_for(status: Status) -> int:
    """The documented exit code of a solve's status: 0 optimal (or checked), 3 infeasible, 4 not proven, 5 no plan."""
    return {Status.OPTIMAL: EXIT_OK, Status.CHECKED: EXIT_OK, Status.FEASIBLE: EXIT_NOT_PROVEN,
            Status.INFEASIBLE: EXIT_INFEASIBLE, Status.NO_SOLUTION: EXIT_NO_SOLUTION}[Status(status)]


def _apply(options):
    def decorate(func):
        for option in reversed(options):
            func = option(func)
        return func

    return decorate


settings_option = click.option("--settings", type=click.Path(dir_okay=False), default=None,
                               help="Settings TOML [default: the .toml beside the CSV].")
WORKBOOK_LANGUAGE = "th"
"""The language of the workbook and the report when ``--lang`` is not given: the planners' own."""


def _choose_language(ctx: click.Context, _param: click.Parameter, value: str | None) -> str:
    """Make every message of the command in ``value`` (none given: ``SELECTOR_LANG``, then the locale).

    The language holds while the command's context is open and is restored when it closes, so one
    process (a test session, a notebook) can run commands in both languages one after the other.
    The value given to the command is the language of its workbook and report (Thai by default).
    """
    ctx.with_resource(language(value))
    return value or WORKBOOK_LANGUAGE


_LANG = dict(type=click.Choice(LANGUAGES), default=None, callback=_choose_language, is_eager=True,
             help="Language of the messages, and of the workbook and report [default: messages in SELECTOR_LANG, "
                  "else the locale's language; workbook and report in Thai].")
lang_option = click.option("--lang", **_LANG)
"""``--lang th|en``: the one language option of every command (``register_commands`` adds it where a command lacks it)."""


def message_language_param() -> click.Option:
    """``--lang`` for a command that writes no workbook: it chooses the language of the messages only."""
    return click.Option(["--lang"], expose_value=False, **_LANG)

encoding_option = click.option("--encoding", default=None, metavar="CODEC",
                               help="Text encoding of the units CSV, e.g. cp874 (Thai Windows) or utf-8 "
                                    "[default: UTF-8, or cp874 detected].")
SHEET_KEY = "selector.sheet"


def _remember_sheet(ctx: click.Context, _param: click.Parameter, value: str | None) -> None:
    ctx.meta[SHEET_KEY] = value


sheet_option = click.option("--sheet", default=None, metavar="NAME", expose_value=False, callback=_remember_sheet,
                            help="The units sheet of an .xlsx scenario [default: 'units' or 'หน่วยงาน', else the first sheet].")
input_options = _apply([settings_option, encoding_option, sheet_option])
"""``--settings``, ``--encoding`` and ``--sheet``: how every command that reads a scenario finds and decodes its files
(a CSV, or an Excel workbook whose units sheet ``--sheet`` names)."""
budget_option = click.option("--budget", "budgets", multiple=True, metavar="YEAR=BAHT",
                             help="Override one fiscal year's budget, e.g. 2556=120,000,000 (repeatable).")
title_option = click.option("--title", default=None, metavar="TEXT",
                             help="Title of the workbook, the report and the map [default: the settings' [report] title].")
pilots_option = click.option("--pilots", metavar="MIN:MAX", default=None, help="Override the number of pilots, e.g. 8:12.")
solver_options = _apply([
    click.option("--solver", type=click.Choice(["highs", "cbc"], case_sensitive=False), default=None,
                 help="MIP solver [default: the settings' [solver] name, highs if unset]."),
    click.option("--time-limit", type=click.FloatRange(min=0, min_open=True), default=None,
                 help="Seconds each solve may run [default: the settings' [solver] time_limit, 60 if unset]."),
    click.option("--gap", type=click.FloatRange(min=0, max=1, max_open=True), default=None,
                 help="Relative MIP gap accepted as optimal [default: the settings' [solver] gap, 0.0001 if unset]."),
])
"""``--solver``, ``--time-limit`` and ``--gap``: the same three options, with the same help, on every command that solves."""
