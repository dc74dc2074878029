"""selector: pilot-unit selection and phased-rollout optimisation for public-sector planners.

    >>> import selector
    >>> scenario = selector.load("scenarios/dlt-offices.csv")
    >>> plan = selector.solve(scenario)
    >>> plan.status, plan.by_year
    >>> cut = selector.solve(scenario.with_(budget={2556: 104.8e6, 2558: 187.7e6}))
    >>> selector.compare({"base": plan, "cut 20%": cut}).moved

The library never prints; ``selector.cli`` is a thin layer over these functions.
"""

__version__ = "0.1.0"

from .check import CheckReport, check_schedule  # noqa: E402
from .compare import Comparison, compare  # noqa: E402
from .diagnose import Finding  # noqa: E402
from .errors import InfeasibleError, Problem, ScenarioError, SelectorError, SolverError  # noqa: E402
from .explain import explain_unit  # noqa: E402
from .model import Model, build_model  # noqa: E402
from .replan import Replan, replan  # noqa: E402
from .money import frontier, marginal_values, minimum_budget  # noqa: E402
from .robustness import Robustness, compare_methods, robustness  # noqa: E402
from .scenario import Scenario, load  # noqa: E402
from .settings import Settings  # noqa: E402
from .solve import Plan, solve  # noqa: E402
from .synth import synth  # noqa: E402  (the function; the module is selector.synth's namesake)

__all__ = [
    "__version__", "load", "solve", "replan", "compare", "build_model", "check_schedule", "synth",
    "Scenario", "Replan", "Settings", "Plan", "Model", "CheckReport", "Comparison",
    "robustness", "compare_methods", "Robustness",
    "SelectorError", "ScenarioError", "InfeasibleError", "SolverError", "Problem",
    "Finding", "explain_unit", "frontier", "minimum_budget", "marginal_values",
]
