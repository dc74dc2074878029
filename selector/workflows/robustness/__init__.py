"""How robust the plan is to the weights: sampling, one warm solver per worker, the statistics."""

from selector.workflows.robustness.run import compare_methods, robustness
from selector.workflows.robustness.stats import Robustness

__all__ = ["Robustness", "compare_methods", "robustness"]
