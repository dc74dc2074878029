"""selector: pilot-unit selection and phased-rollout optimisation for public-sector planners.

    >>> import selector
    >>> scenario = selector.load("scenarios/dlt-offices.csv")
    >>> plan = selector.solve(scenario)
    >>> plan.status, plan.by_year
    >>> cut = selector.solve(scenario.with_(budget={2556: 104.8e6, 2558: 187.7e6}))
    >>> selector.compare({"base": plan, "cut 20%": cut}).moved

The library never prints; ``selector.cli`` is a thin layer over these functions. The layers, each
importing only from the ones below it, are described in ``docs/architecture.md``.
"""

import os as _os
import sys as _sys


def _quiet_interrupt(kind, value, tb, _previous=_sys.excepthook):
    """Ctrl-C while the command line is still starting (importing pandas, HiGHS...) ends it with one
    line, not a traceback; the command's own handler takes over once it runs."""
    if issubclass(kind, KeyboardInterrupt):
        _sys.stderr.write("Interrupted.\n")
        return
    _previous(kind, value, tb)


# Only for the command line (`selector ...` or `python -m selector`): a library import changes nothing.
if _sys.argv and (_sys.argv[0] == "-m" or _os.path.basename(_sys.argv[0]) in ("selector", "selector.exe")):
    _sys.excepthook = _quiet_interrupt

from selector._version import __version__  # noqa: E402
from selector.analysis.diagnose import Finding
from selector.analysis.duals import marginal_values
from selector.check import CheckReport, check_schedule
from selector.data.scenario import Scenario, load
from selector.data.settings import Settings
from selector.errors import InfeasibleError, Problem, ScenarioError, SelectorError, SolverError
from selector.model.build import Model, build_model
from selector.plan import Plan
from selector.solve import solve
from selector.solvers.options import SolveOptions
from selector.status import Status
from selector.workflows.alternatives import Alternatives, alternatives
from selector.workflows.compare import Comparison, compare
from selector.workflows.evaluate import Evaluation, evaluate
from selector.workflows.explain import explain_unit
from selector.workflows.learn import Learning, learn_from_pilots
from selector.workflows.money import frontier, minimum_budget
from selector.workflows.monitor import MonitorRound, monitor
from selector.workflows.replan import Replan, replan
from selector.workflows.robustness import Robustness, compare_methods, robustness
from selector.workflows.synth import synth

__all__ = [
    "__version__", "load", "solve", "replan", "compare", "build_model", "check_schedule", "synth",
    "Scenario", "Replan", "Settings", "Plan", "Model", "CheckReport", "Comparison", "Status", "SolveOptions",
    "robustness", "compare_methods", "Robustness",
    "SelectorError", "ScenarioError", "InfeasibleError", "SolverError", "Problem",
    "Finding", "explain_unit", "frontier", "minimum_budget", "marginal_values", "alternatives", "Alternatives",
    "monitor", "MonitorRound", "learn_from_pilots", "Learning", "evaluate", "Evaluation",
]
