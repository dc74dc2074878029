"""How representative the pilots are: each criterion's pilot mean against the network's.

The standardised difference d = (pilot mean - network mean) / network sd is the usual balance
measure between a sample and its population (Stuart 2010, "Matching methods for causal inference",
Statistical Science 25(1)); |d| <= 0.25 is the What Works Clearinghouse limit for baseline
equivalence, and the default tolerance of [pilots.balance]. The network is the
set of units still to upgrade; sd is their population standard deviation (divisor n).
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from selector.fields import CRITERIA


def network_stats(values: np.ndarray) -> tuple[float, float]:
    """(mean, population sd) of the values: mean = sum v / n, sd = sqrt(sum (v - mean)^2 / n)."""
    values = np.asarray(values, dtype=float)
    if values.size == 0:
        return math.nan, math.nan
    return float(values.mean()), float(values.std(ddof=0))


def standardised_difference(pilot_mean: float, mean: float, sd: float) -> float:
    """d = (pilot mean - mean) / sd; 0 when sd = 0 (every unit has the same value, pilots included)."""
    if math.isnan(pilot_mean):
        return math.nan
    return 0.0 if sd == 0 else (pilot_mean - mean) / sd


def balance_table(scenario, pilot_ids) -> pd.DataFrame:
    """One row per criterion (and per extra column named in [pilots.balance]): pilot mean, network
    mean and sd, standardised difference, the rule's tolerance (NaN when the column is not in the
    rule) and whether the rule holds for it."""
    settings = scenario.settings
    todo = scenario.to_schedule
    chosen = todo["unit_id"].isin(set(pilot_ids)).to_numpy()
    rows = []
    for column in dict.fromkeys((*CRITERIA, *settings.balance_columns)):
        values = scenario.numeric(column).loc[todo.index].to_numpy()
        mean, sd = network_stats(values)
        pilot_mean = float(values[chosen].mean()) if chosen.any() else math.nan
        d = standardised_difference(pilot_mean, mean, sd)
        in_rule = column in settings.balance_columns
        tolerance = settings.balance_tolerance if in_rule else math.nan
        rows.append({
            "column": column,
            "pilot_mean": pilot_mean,
            "network_mean": mean,
            "network_sd": sd,
            "std_difference": d,
            "tolerance": tolerance,
            "within": (abs(d) <= tolerance + 1e-9) if in_rule and not math.isnan(d) else None,
        })
    return pd.DataFrame(rows)
