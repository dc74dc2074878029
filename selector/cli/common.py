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
import re
import select
import signal
import socket
import sys
import threading
import time
from pathlib import Path

import click

from selector.atomic import OutputTransaction
from selector.data.csvfiles import number_problem, open_problem, parse_number, shown
from selector.data.scenario import Scenario, default_settings_path, load
from selector.errors import Problem, ScenarioError, SelectorError
from selector.i18n import LANGUAGES, _, language
from selector.outputs.audit import Overrides
from selector.outputs.maps import province_problems
from selector.solvers.run import watch_time_limits
from selector.status import Status

EXIT_OK, EXIT_ERROR, EXIT_INPUT, EXIT_INFEASIBLE, EXIT_NOT_PROVEN, EXIT_NO_SOLUTION = 0, 1, 2, 3, 4, 5


# What must never reach a terminal raw from a file: C0/C1 controls but tab and newline (an escape
# sequence can clear the screen and print a fake "OK"), and the invisible and bidirectional
# formatting characters (U+202E turns the rest of a line around).
UNSAFE_FOR_TERMINAL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200b-\u200f\u2028-\u202e\u2060-\u2069"
                                 "\ufeff\ufff9-\ufffb]")


def clean_text(text: str) -> str:
    """``text`` safe for a terminal: every control, invisible or bidi character written as its escape
    (``\\x1b``, ``\\u202e``), so the planner sees it and the terminal does not obey it."""
    return UNSAFE_FOR_TERMINAL.sub(lambda m: f"\\x{ord(m.group()):02x}" if ord(m.group()) < 0x100
                                   else f"\\u{ord(m.group()):04x}", text)


def echo(message: object = "", err: bool = False, **kwargs) -> None:
    """``click.echo`` through ``clean_text``: the one way the commands write to the terminal."""
    click.echo(clean_text(str(message)), err=err, **kwargs)


def fail(message: str, code: int) -> None:
    echo(_("Error: {message}", message=message), err=True)
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


EXIT_INTERRUPTED = 130
WATCHDOG_GRACE = 5.0  # seconds past a solver's time limit (plus a quarter of it) before the watchdog ends the run
SIGNAL_GRACE = 3.0  # seconds after Ctrl-C or SIGTERM for the main thread to stop by itself


class Watchdog:
    """Ends the run when the solver does not hand control back: past its time limit, or after a signal.

    A solver stuck in native code ignores its own time limit, and Python's signal handlers only run
    when the main thread returns to Python, so neither Ctrl-C nor SIGTERM would end it. The watchdog
    is a thread of its own: every solver call announces its time limit
    (``selector.solvers.run.watch_time_limits``), and the C-level signal handler writes each signal
    to a socket the watchdog reads (``signal.set_wakeup_fd``). When a call runs ``WATCHDOG_GRACE`` +
    25% past its limit, or the main thread has not stopped ``SIGNAL_GRACE`` seconds after a signal,
    the watchdog says so on stderr and ends the process (``os._exit``): outputs are only ever renamed
    into place complete, so every old file is left whole, and the next run removes the temporary files.
    """

    def __init__(self):
        self.deadlines: dict[int, float] = {}
        self.lock = threading.Lock()
        self.done = threading.Event()
        self.reader, self.writer = socket.socketpair()
        self.reader.setblocking(False)
        self.writer.setblocking(False)
        self.previous_fd = None
        self.stop_watching = None
        self.thread = threading.Thread(target=self._watch, name="selector-watchdog", daemon=True)

    def __enter__(self) -> "Watchdog":
        try:
            self.previous_fd = signal.set_wakeup_fd(self.writer.fileno(), warn_on_full_buffer=False)
        except ValueError:  # not the main thread: no signal watching, the time limits are still watched
            self.previous_fd = None
        self.stop_watching = watch_time_limits(self._announce)
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.done.set()
        with contextlib.suppress(OSError):
            self.writer.send(b"\0")  # wake the watchdog's select at once
        self.stop_watching()
        if self.previous_fd is not None:
            with contextlib.suppress(ValueError):
                signal.set_wakeup_fd(self.previous_fd)
        self.thread.join(1.0)
        self.reader.close()
        self.writer.close()

    def _announce(self, call: int, seconds: float | None) -> None:
        with self.lock:
            if seconds is None:
                self.deadlines.pop(call, None)
            else:
                self.deadlines[call] = time.monotonic() + seconds * 1.25 + WATCHDOG_GRACE

    def _watch(self) -> None:
        signalled_at = None
        while not self.done.is_set():
            now = time.monotonic()
            with self.lock:
                late = min(self.deadlines.values(), default=None)
            if late is not None and now > late:
                self._end(_("the solver ran well past its time limit and did not stop; selector stopped it. "
                            "No output was written or changed. Try the other --solver, or report the scenario."),
                          EXIT_NO_SOLUTION)
            if signalled_at is not None and now - signalled_at > SIGNAL_GRACE:
                self._end(_("Interrupted while the solver was running; it did not stop, so selector stopped it. "
                            "No output was written or changed."), EXIT_INTERRUPTED)
            ready, _w, _x = select.select([self.reader], [], [], 0.2)
            if ready:
                with contextlib.suppress(OSError):
                    if self.reader.recv(64) and signalled_at is None:
                        signalled_at = time.monotonic()

    def _end(self, message: str, code: int) -> None:
        with contextlib.suppress(Exception):
            sys.stderr.write(clean_text(f"Error: {message}") + "\n")
            sys.stderr.flush()
        os._exit(code)


def handle_errors(func):
    """Turn selector's exceptions into messages and exit codes; never show a traceback to a planner.

    The command runs under the ``Watchdog``, which ends it if the solver does not hand control back."""

    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        try:
            with terminate_as_interrupt(), Watchdog():
                return func(*args, **kwargs)
        except SelectorError as exc:
            fail(str(exc), exc.exit_code)
        except KeyboardInterrupt:
            echo(_("Interrupted; no file was left half-written (each output is either the old one or complete)."),
                       err=True)
            sys.exit(EXIT_INTERRUPTED)
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
            echo(_("Schedule written to {path}", path=path))
        elif kind == "record":
            echo(_("JSON record written to {path}", path=path))
        elif kind == "workbook":
            echo(_("Workbook written to {path}", path=path))
        elif kind == "report":
            echo(_("Report written to {path}", path=path))
        elif kind == "moves":
            echo(_("Moves written to {path}", path=path))
        else:
            echo(_("File written to {path}", path=path))


def load_scenario(scenario: str, settings: str | None, encoding: str | None = None, **overrides) -> Scenario:
    """Load the scenario with the command's ``--sheet`` (for a workbook); what reading it noted goes to stderr."""
    context = click.get_current_context(silent=True)
    sheet = context.meta.get(SHEET_KEY) if context is not None else None
    sc = load(scenario, settings, encoding=encoding, sheet=sheet, **{k: v for k, v in overrides.items() if v is not None})
    for note in sc.notes:
        click.echo(_("Note: {note}", note=note), err=True)
    return sc


def warn_about_weights(scenario: Scenario) -> None:
    """The AHP consistency warning (CR > 0.10) of each weight set, on stderr; it never changes the exit code."""
    for kind in ("pilot", "rollout"):
        warning = scenario.settings.weight_spec(kind).warning()
        if warning:
            echo(_("Warning: {warning}", warning=warning), err=True)


def scenario_inputs(scenario: str, settings: str | None) -> list[Path]:
    """The files a scenario is read from: the CSV and its settings TOML (given, or the one beside it)."""
    csv_path = Path(scenario)
    return [csv_path, Path(settings) if settings else default_settings_path(csv_path)]


def check_output_path(out: Path, inputs: list[Path]) -> None:
    for path in inputs:
        # realpath, not Path.resolve: a link loop among the inputs must be reported by the reader, not crash here
        if (path.exists() and out.exists() and os.path.samefile(out, path)) or os.path.realpath(out) == os.path.realpath(path):
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
def output_errors(*targets: Path):
    """A file that cannot be written (permissions, full disk, a vanished folder) is a clear message, not a crash."""
    try:
        yield
    except OSError as exc:
        names = ", ".join(str(t) for t in targets)
        raise ScenarioError([Problem(names, None, None, _("cannot be written ({reason}); no output was changed",
                                                          reason=exc.strerror or exc),
                                     _("choose a folder you can write to (--out / --json), or free some disk space"))]) from exc


def output_files(targets: list[Path], inputs: list[Path]) -> OutputTransaction:
    """The one transaction for every file a command writes, checked before any work is done:
    no output overwrites an input, none names a folder, a FIFO or a device, no two name one file.
    Use it as ``with output_errors(*targets), output_files(targets, inputs):`` around the writing:
    all the files are replaced together, or none (``selector.atomic.OutputTransaction``)."""
    for target in targets:
        check_output_path(target, inputs)
    return OutputTransaction(targets)


def exit_code_for(status: Status) -> int:
    """The documented exit code of a solve's status: 0 optimal (or checked), 3 infeasible, 4 not proven, 5 no plan."""
    return {Status.OPTIMAL: EXIT_OK, Status.CHECKED: EXIT_OK, Status.FEASIBLE: EXIT_NOT_PROVEN,
            Status.INFEASIBLE: EXIT_INFEASIBLE, Status.NO_SOLUTION: EXIT_NO_SOLUTION}[Status(status)]


class InputFile(click.ParamType):
    """A file argument that must exist and not be a folder, checked as ``read_input_bytes`` words
    it: a link loop is "a symbolic link that points back to itself", not "does not exist". (Whether
    it is a regular file, and its size, are checked when it is read.)"""

    name = "file"

    def convert(self, value, param, ctx):
        try:
            os.stat(value)
        except OSError as exc:
            problem = open_problem(str(value), exc)
            self.fail(clean_text(_("{where}: {message}. Fix: {fix}", where=value, message=problem.message,
                                   fix=problem.fix)), param, ctx)
        if os.path.isdir(value):
            self.fail(clean_text(_("{path}: is a folder, not a file", path=value)), param, ctx)
        return value


class Number(click.ParamType):
    """A number flag checked by the one number rule (``selector.data.csvfiles.number_problem``):
    finite (``nan`` and ``inf`` are refused, as in the TOML and the CSV), of a sensible size, and
    within its range; ``lo_open``/``hi_open`` exclude the bound itself."""

    name = "number"

    def __init__(self, lo: float | None = None, hi: float | None = None, lo_open: bool = False, hi_open: bool = False):
        self.lo, self.hi, self.lo_open, self.hi_open = lo, hi, lo_open, hi_open

    def convert(self, value, param, ctx):
        if isinstance(value, float):
            number = value
        else:
            number, why = parse_number(str(value))
            if number is None:
                self.fail(_("{value} is not a usable number: {why}", value=clean_text(shown(str(value))), why=why), param, ctx)
        why = number_problem(number, self.lo, self.hi)
        if why is None and ((self.lo_open and number == self.lo) or (self.hi_open and number == self.hi)):
            why = _("must not be {bound}", bound=shown(number))
        if why is not None:
            self.fail(_("{value} {why}", value=shown(number), why=why), param, ctx)
        return number


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
    It is restored with the root context: a command's own context is not closed when one of its
    arguments is refused while they are parsed (click's usage errors), the root's always is.
    """
    ctx.find_root().with_resource(language(value))
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
    click.option("--time-limit", type=Number(0, None, lo_open=True), default=None,
                 help="Seconds each solve may run [default: the settings' [solver] time_limit, 60 if unset]."),
    click.option("--gap", type=Number(0, 1, hi_open=True), default=None,
                 help="Relative MIP gap accepted as optimal [default: the settings' [solver] gap, 0.0001 if unset]."),
])
"""``--solver``, ``--time-limit`` and ``--gap``: the same three options, with the same help, on every command that solves."""
