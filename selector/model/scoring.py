"""Scores of the units: normalised criteria, pilot suitability and rollout priority.

The kernels are small numpy functions with their formula in the docstring; ``score_units`` is the
labelled wrapper the rest of selector uses.
"""

from __future__ import annotations

from typing import Mapping

import numpy as np
import pandas as pd

from selector.data.settings import Settings, normalised_weights
from selector.fields import CRITERIA


def normalise(values: np.ndarray, lo: float, hi: float, lower_is_better: bool) -> np.ndarray:
    """n = (v - lo) / (hi - lo), or (hi - v) / (hi - lo) for a cost-type criterion."""
    span = hi - lo
    return (hi - values) / span if lower_is_better else (values - lo) / span


def weighted_sum(normalised: np.ndarray, weights: np.ndarray) -> np.ndarray:
    """S_u = sum_c w_c * n_uc for a (units x criteria) matrix and a weight vector summing to 1."""
    return normalised @ weights


def normalised_matrix(units: pd.DataFrame, settings: Settings) -> pd.DataFrame:
    """The (units x criteria) matrix of normalised values, indexed like ``units``."""
    lo, hi = settings.scale
    data = {
        c: normalise(units[c].to_numpy(dtype=float), lo, hi, c in settings.cost_type) for c in CRITERIA
    }
    return pd.DataFrame(data, index=units.index, columns=list(CRITERIA))


def score_units(units: pd.DataFrame, settings: Settings,
                pilot_weights: Mapping[str, float] | None = None,
                rollout_weights: Mapping[str, float] | None = None) -> pd.DataFrame:
    """Pilot suitability P_u and rollout priority R_u of every unit, indexed by unit_id.

    P_u = sum_c w_pilot_c * n_uc and R_u = sum_c w_rollout_c * n_uc, with each weight set
    normalised to sum 1.
    """
    matrix = normalised_matrix(units, settings).to_numpy()
    wp = normalised_weights(pilot_weights if pilot_weights is not None else settings.pilot_weights)
    wr = normalised_weights(rollout_weights if rollout_weights is not None else settings.rollout_weights)
    return pd.DataFrame(
        {
            "pilot_score": weighted_sum(matrix, np.array([wp[c] for c in CRITERIA])),
            "rollout_score": weighted_sum(matrix, np.array([wr[c] for c in CRITERIA])),
        },
        index=pd.Index(units["unit_id"].to_numpy(), name="unit_id"),
    )
