"""The `selector` command: a thin click layer over the Python API.

Exit codes: 0 plan written and proven optimal (or check passed); 1 unexpected error;
2 bad input or usage; 3 no feasible plan (or check found broken rules); 4 plan written but not
proven optimal within the time limit; 5 time limit reached before any plan was found; 130 interrupted
(Ctrl-C or SIGTERM), every output left whole. What the commands share is in ``selector.cli.common``;
each command is a module of ``selector.cli.commands``.
"""

from __future__ import annotations

import importlib
import pkgutil

import click

from selector._version import __version__
from selector.cli import commands
from selector.cli.common import message_language_param


@click.group(context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(__version__, prog_name="selector")
def main() -> None:
    """Choose pilot units and phase the rollout of a service improvement, within each year's budget.

    \b
    Example:
      selector solve scenarios/dlt-offices.csv
      selector check scenarios/dlt-offices.csv scenarios/dlt-offices-schedule.csv
    """


def register_commands() -> None:
    """Add the commands of every module in ``selector.cli.commands`` (each lists its click commands in COMMANDS).

    Each feature's command lives in its own module there, so features stay apart; modules import
    their heavy dependencies inside the command, keeping ``selector --help`` fast. A command
    without ``--lang`` gets it here, choosing the language of its messages, so every command has it.
    """
    for info in sorted(pkgutil.iter_modules(commands.__path__), key=lambda m: m.name):
        module = importlib.import_module(f"{commands.__name__}.{info.name}")
        for command in getattr(module, "COMMANDS", ()):
            if not any(p.name == "lang" for p in command.params):
                command.params.append(message_language_param())
            main.add_command(command)


register_commands()

if __name__ == "__main__":  # pragma: no cover
    main()
