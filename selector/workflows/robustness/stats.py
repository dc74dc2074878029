"""From the samples' plans to each unit's acceptability, its interval and its class."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from selector.data.scenario import Scenario
from selector.fields import CRITERIA
from selector.status import Status
from selector.workflows.robustness.sampling import WEIGHT_SETS

CORE, BORDERLINE, EXTERIOR = "core", "borderline", "exterior"
CORE_SHARE, EXTERIOR_SHARE = 0.95, 0.05
CLASS_ORDER = (BORDERLINE, CORE, EXTERIOR)  # borderline first: the units worth the committee's time


# ---------------------------------------------------------------------------------------------
# The result


@dataclass
class Robustness:
    """Result of ``robustness``: per unit, per plan and per sample tables (pandas DataFrames).

    ``units``: unit_id, name, region, class, acceptability, acceptability_low and _high (its 95%
    Wilson interval over the samples), share_FY<year>..., mean_year,
    modal_year, modal_share, base_year, base_pilot; sorted borderline, core, exterior, then by
    acceptability (highest first) and unit_id. ``plan``: measure, value. ``samples``: one row per
    sample with its status, objective, gap, pilots and weights.
    """

    units: pd.DataFrame
    plan: pd.DataFrame
    samples: pd.DataFrame
    options: dict[str, Any] = field(default_factory=dict)

    @property
    def borderline(self) -> pd.DataFrame:
        return self.units[self.units["class"] == BORDERLINE].reset_index(drop=True)

    def measure(self, name: str):
        return self.plan.set_index("measure").loc[name, "value"]


Z_95 = 1.959963984540054  # the standard normal quantile of 0.975


def wilson_interval(share: np.ndarray, n: int, z: float = Z_95) -> tuple[np.ndarray, np.ndarray]:
    """The Wilson score interval (95% by default) of a share observed in n samples (Wilson 1927).

    centre = (a + z^2 / 2n) / (1 + z^2 / n),  half-width = z sqrt(a (1 - a) / n + z^2 / 4n^2) / (1 + z^2 / n).
    It is the sampling uncertainty of an acceptability index: the share that endlessly many samples
    would give lies within the interval in about 95% of runs (seeds). Unlike a +-2 standard error band it stays within
    [0, 1], and a share of 1 in n samples still has a lower end of n / (n + z^2) below 1.
    """
    share = np.asarray(share, dtype=float)
    if n == 0:
        return np.full(share.shape, np.nan), np.full(share.shape, np.nan)
    z2 = z * z
    centre = (share + z2 / (2 * n)) / (1 + z2 / n)
    half = z * np.sqrt(share * (1 - share) / n + z2 / (4 * n * n)) / (1 + z2 / n)
    return np.clip(centre - half, 0.0, 1.0), np.clip(centre + half, 0.0, 1.0)


def _classify(share: float) -> str:
    if share >= CORE_SHARE:
        return CORE
    if share < EXTERIOR_SHARE:
        return EXTERIOR
    return BORDERLINE


def summarise(scenario: Scenario, unit_ids: list[str], base_years: np.ndarray, results: list[tuple],
               drawn: dict[str, np.ndarray], options: dict[str, Any]) -> Robustness:
    settings = scenario.settings
    first = settings.first_year
    statuses = [r[1] for r in results]
    with_plan = [r for r in results if r[1] in (Status.OPTIMAL, Status.FEASIBLE)]
    years = np.array([r[4] for r in with_plan], dtype=np.int64).reshape(len(with_plan), len(unit_ids))
    n = max(len(with_plan), 1)
    units = scenario.units.set_index("unit_id", drop=False).loc[unit_ids]
    table = pd.DataFrame({"unit_id": unit_ids, "name": units["name"].to_numpy(), "region": units["region"].to_numpy()})
    pilots = years == first
    acceptability = pilots.sum(axis=0) / n
    table["class"] = [_classify(a) for a in acceptability]
    table["acceptability"] = acceptability
    table["acceptability_low"], table["acceptability_high"] = wilson_interval(acceptability, len(with_plan))
    shares = {}
    for year in settings.years:
        shares[year] = (years == year).sum(axis=0) / n
        table[f"share_FY{year}"] = shares[year]
    table["mean_year"] = years.mean(axis=0) if len(with_plan) else np.nan
    stacked = np.vstack([shares[y] for y in settings.years])
    table["modal_year"] = [settings.years[i] for i in stacked.argmax(axis=0)]
    table["modal_share"] = stacked.max(axis=0)
    table["base_year"] = base_years
    table["base_pilot"] = base_years == first
    rank = {c: i for i, c in enumerate(CLASS_ORDER)}
    table = table.assign(_c=table["class"].map(rank), _a=-table["acceptability"])
    table = table.sort_values(["_c", "_a", "unit_id"], kind="mergesort").drop(columns=["_c", "_a"]).reset_index(drop=True)

    base_set = frozenset(np.array(unit_ids)[base_years == first])
    sets = [frozenset(np.array(unit_ids)[row == first]) for row in years]
    counts = table["class"].value_counts()
    base_pilots = table[table["base_pilot"]]
    measures = [
        ("samples", options["samples"]),
        ("samples_optimal", statuses.count(Status.OPTIMAL)),
        ("samples_not_proven", statuses.count(Status.FEASIBLE)),
        ("samples_without_plan", len(results) - len(with_plan)),
        ("units", len(unit_ids)),
        ("core_units", int(counts.get(CORE, 0))),
        ("borderline_units", int(counts.get(BORDERLINE, 0))),
        ("exterior_units", int(counts.get(EXTERIOR, 0))),
        ("base_pilots", len(base_set)),
        ("base_pilots_core", int((base_pilots["class"] == CORE).sum())),
        ("units_with_stable_year", int((table["modal_share"] >= CORE_SHARE).sum())),
        ("distinct_pilot_sets", len(set(sets))),
        ("share_same_pilot_set_as_base", sum(s == base_set for s in sets) / n),
    ]
    plan = pd.DataFrame({"measure": [k for k, _ in measures], "value": pd.Series([v for _, v in measures], dtype=object)})

    rows = {"sample": [r[0] for r in results], "status": statuses,
            "objective": [r[2] for r in results], "gap": [r[3] for r in results],
            "pilots": [" ".join(u for u, y in zip(unit_ids, r[4]) if y == first) for r in results],
            "cpu_seconds": [r[5] for r in results]}
    for kind in WEIGHT_SETS:
        for j, c in enumerate(CRITERIA):
            rows[f"{kind}_{c}"] = drawn[kind][[r[0] for r in results], j]
    return Robustness(table, plan, pd.DataFrame(rows), options)
