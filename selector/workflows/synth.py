"""Synthetic scenarios of any size: realistic, deterministic for a seed, feasible with binding budgets.

    >>> import selector
    >>> csv_path = selector.synth(10_000, seed=1, out="tmp")    # tmp/synth-10000.csv + .toml
    >>> plan = selector.solve(selector.load(csv_path))

Units are spread over Thailand's 77 provinces in proportion to their population (DOPA, 2014; see
``selector/data/geo/thai_provinces.csv``), each province with one ``hub`` unit (the provincial
office) and ``branch`` units. The rule, per unit (rng = numpy's default_rng(seed)):

- population_served = province population / units in the province x lognormal(0, 0.4), rounded;
- importance = quintile (1-5) of the province's population, +1 for a hub, max 5;
- workload = quintile (1-5) of population_served;
- infrastructure = kind base (hub 3.5, branch 2.5) + 0.3 (importance - 3) + N(0, 0.9), rounded, 1-5;
- staff = 0.5 infrastructure + 0.5 kind base + N(0, 0.8), rounded, 1-5;
- leadership = 3.2 + N(0, 1.0), rounded, 1-5;
- success = mean(infrastructure, staff, leadership) + N(0, 0.6), rounded, 1-5;
- risk = 1 + 0.4 (workload - 1) + 0.5 (5 - success) + N(0, 0.6), rounded, 1-5;
- cost = kind base (hub 3.0, branch 1.8 million baht) x (1 + 0.08 (workload - 3))
  x (1 + 0.06 (3 - infrastructure)) x lognormal(0, 0.15), rounded to 10,000 baht.

The rules (``[pilots]``, ``[budget]``) are set from a plan built by a simple rule, which proves the
scenario feasible: the pilots are the lowest-risk unit of each region plus the next lowest-risk
units up to 2% of the units; the other units, in a seeded random order, fill the waves up to 30%
and 33% of the remaining cost, and the last year takes the rest. Each year's budget is that plan's
spending rounded up to 100,000 baht (the last year's plus a 2% reserve), so the plan fits and the
budgets bind: the optimiser wants the high-priority units early and runs out of money in every year
but the last, which takes whatever is left. The pilots' risk cap is the larger
of 2.5 and that plan's mean pilot risk, rounded up to 0.1.
"""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pandas as pd

from selector.atomic import OutputTransaction, write_text_atomic
from selector.data.provinces import province_table

FIRST_YEAR, LAST_YEAR = 2569, 2572  # fiscal years B.E. (FY2569 = 1 Oct 2025 - 30 Sep 2026)
KIND_BASE_INFRA = {"hub": 3.5, "branch": 2.5}
KIND_BASE_COST = {"hub": 3.0e6, "branch": 1.8e6}
PILOT_SHARE = 0.02
WAVE_SHARES = (0.30, 0.33)  # of the cost left after the pilots; the last year takes the rest
BUDGET_STEP = 100_000
LAST_YEAR_HEADROOM = 0.02  # the last year's budget exceeds what is left by 2%, as a planner's reserve
REGION_TH = {"North": "ภาคเหนือ", "Northeast": "ภาคตะวันออกเฉียงเหนือ", "Central": "ภาคกลาง",
             "East": "ภาคตะวันออก", "West": "ภาคตะวันตก", "South": "ภาคใต้"}
MAX_UNITS = 1_000_000


def allocate(weights: np.ndarray, total: int) -> np.ndarray:
    """Largest-remainder split of ``total`` in proportion to ``weights`` (ties to the lower index)."""
    share = weights / weights.sum() * total
    counts = np.floor(share).astype(np.int64)
    order = np.lexsort((np.arange(len(share)), -(share - counts)))
    counts[order[: total - counts.sum()]] += 1
    return counts


def _quintile(values: np.ndarray) -> np.ndarray:
    """1..5 by rank: the lowest fifth get 1, the highest fifth 5 (ties share the lower rank)."""
    ranks = pd.Series(values).rank(method="min", pct=True).to_numpy()
    return np.clip(np.ceil(ranks * 5), 1, 5).astype(np.int64)


def synth_units(units: int, seed: int = 0) -> pd.DataFrame:
    """The units table of a synthetic scenario (see the module docstring for the rule)."""
    if not 1 <= units <= MAX_UNITS:
        raise ValueError(f"units must be between 1 and {MAX_UNITS:,}, got {units}")
    provinces = province_table()  # package data, so an installed selector has it too
    rng = np.random.default_rng(seed)
    counts = allocate(provinces["population"].to_numpy(dtype=float), units)
    province = np.repeat(np.arange(len(provinces)), counts)
    number = np.concatenate([np.arange(1, c + 1) for c in counts if c > 0])
    kind = np.where(number == 1, "hub", "branch")
    population = provinces["population"].to_numpy()[province]
    served = np.rint(population / counts[province] * rng.lognormal(0, 0.4, units)).astype(np.int64)

    is_hub = (kind == "hub").astype(np.int64)
    importance = np.clip(_quintile(population) + is_hub, 1, 5)
    workload = _quintile(served)
    base = np.where(is_hub == 1, KIND_BASE_INFRA["hub"], KIND_BASE_INFRA["branch"])
    infrastructure = np.clip(np.rint(base + 0.3 * (importance - 3) + rng.normal(0, 0.9, units)), 1, 5)
    staff = np.clip(np.rint(0.5 * infrastructure + 0.5 * base + rng.normal(0, 0.8, units)), 1, 5)
    leadership = np.clip(np.rint(3.2 + rng.normal(0, 1.0, units)), 1, 5)
    success = np.clip(np.rint((infrastructure + staff + leadership) / 3 + rng.normal(0, 0.6, units)), 1, 5)
    risk = np.clip(np.rint(1 + 0.4 * (workload - 1) + 0.5 * (5 - success) + rng.normal(0, 0.6, units)), 1, 5)
    base_cost = np.where(is_hub == 1, KIND_BASE_COST["hub"], KIND_BASE_COST["branch"])
    cost = (base_cost * (1 + 0.08 * (workload - 3)) * (1 + 0.06 * (3 - infrastructure))
            * rng.lognormal(0, 0.15, units))
    cost = (np.rint(cost / 10_000) * 10_000).astype(np.int64)

    iso = provinces["iso_code"].to_numpy()[province]
    name_th = provinces["name_th"].to_numpy()[province]
    width = len(str(int(counts.max())))
    unit_id = [f"{code}-{k:0{width}d}" for code, k in zip(iso, number)]
    name = [f"หน่วยบริการ{th} แห่งที่ {k}" for th, k in zip(name_th, number)]
    region = provinces["region6"].to_numpy()[province]
    return pd.DataFrame({
        "unit_id": unit_id,
        "name": name,
        "region": region,
        "cost": cost,
        "infrastructure": infrastructure.astype(np.int64),
        "staff": staff.astype(np.int64),
        "leadership": leadership.astype(np.int64),
        "importance": importance.astype(np.int64),
        "workload": workload.astype(np.int64),
        "success": success.astype(np.int64),
        "risk": risk.astype(np.int64),
        "pilot": "",
        "region_th": [REGION_TH[r] for r in region],
        "province": provinces["name_en"].to_numpy()[province],
        "province_th": name_th,
        "kind": kind,
        "population_served": served,
    })


def reference_plan(units: pd.DataFrame, seed: int = 0) -> np.ndarray:
    """A feasible plan by a simple rule: the fiscal year of every unit (the first year = pilots).

    Pilots: the lowest-risk (then cheapest, then first by id) unit of each region, then the next
    lowest-risk units up to 2% of the units. The others, in a seeded random order, fill the waves
    up to their share of the remaining cost; the last year takes the rest.
    """
    n = len(units)
    years = np.full(n, LAST_YEAR, dtype=np.int64)
    order = np.lexsort((np.arange(n), units["cost"].to_numpy(), units["risk"].to_numpy()))
    region = units["region"].to_numpy()
    first_in_region = {}
    for i in order:
        first_in_region.setdefault(region[i], i)
    pilots = list(first_in_region.values())
    extra = max(0, math.ceil(PILOT_SHARE * n) - len(pilots))
    chosen = set(pilots)
    pilots += [i for i in order if i not in chosen][:extra]
    years[pilots] = FIRST_YEAR

    cost = units["cost"].to_numpy(dtype=np.int64)
    rest = np.setdiff1d(np.arange(n), pilots)
    rest = rest[np.random.default_rng([seed, 1]).permutation(len(rest))]
    spent = np.cumsum(cost[rest])
    thresholds = np.cumsum(WAVE_SHARES) * (spent[-1] if len(spent) else 0)
    years[rest] = FIRST_YEAR + 1 + np.searchsorted(thresholds, spent, side="left")
    return years


def _budget_lines(spend: dict[int, float]) -> str:
    """One TOML line per year: the spending plus the last year's reserve, rounded up to BUDGET_STEP."""
    budget = {y: int(math.ceil(amount * (1 + LAST_YEAR_HEADROOM if y == LAST_YEAR else 1) / BUDGET_STEP) * BUDGET_STEP)
              for y, amount in spend.items()}
    return "\n".join(f"{y} = {b:_}" for y, b in budget.items())


def synth_settings(units: pd.DataFrame, years: np.ndarray, spend: dict[int, float] | None = None) -> str:
    """The settings TOML for the units, with budgets and pilot rules taken from a feasible plan
    (``spend``: that plan's spending per year when it is not each year's cost, see ``cost_rules``)."""
    if spend is None:
        cost = units["cost"].to_numpy(dtype=np.int64)
        spend = {y: cost[years == y].sum() for y in range(FIRST_YEAR, LAST_YEAR + 1)}
    budget_lines = _budget_lines(spend)
    pilots = years == FIRST_YEAR
    regions = len(set(units["region"]))
    pilots_min = regions
    pilots_max = max(regions, int(pilots.sum()) * 2)
    mean_risk = float(units["risk"].to_numpy()[pilots].mean())
    risk_cap = max(2.5, math.ceil(mean_risk * 10 - 1e-9) / 10)
    return f"""\
# selector synthetic scenario: {len(units):,} units (selector synth; ILLUSTRATIVE, not real data).
# Units spread over the 77 provinces by population; criteria and costs by a seeded rule (selector/synth.py).
# Budgets are a simple feasible plan's spending, rounded up to 100,000 baht (+2% in the last year): feasible and binding.

[horizon]
first_year = {FIRST_YEAR}   # the pilot year
last_year = {LAST_YEAR}

[budget]
{budget_lines}

[pilots]
min = {pilots_min}
max = {pilots_max}
max_mean_risk = {risk_cap}
cover = ["region"]

[criteria]
scale = [1, 5]
cost_type = ["risk"]

[solver]
name = "highs"
time_limit = 600
gap = 0.0001
"""


# Costs over fiscal years (docs/costs.md), off unless asked for (``synth(costs=True)``, ``--costs``).
BUILDING_PROFILE = (0.6, 0.4)  # hubs are building works paid over two years; branches in one
INVESTMENT_SHARE = {"hub": 0.80, "branch": 0.70}  # the rest of the cost is operations
RUNNING_SHARE = 0.02  # running cost a year: 2% of the cost, rounded to 1,000 baht, charged to operations


def add_cost_columns(units: pd.DataFrame, running: bool = True) -> pd.DataFrame:
    """The units with the cost columns of docs/costs.md, by a fixed rule (no random draw):
    ``profile`` = building for a hub (60/40 over two years), empty for a branch (all in one year);
    ``cost_investment`` = 80% of a hub's cost and 70% of a branch's, rounded to 10,000 baht;
    ``cost_operations`` = the rest; with ``running``, ``running_cost`` = 2% of the cost a year, rounded to
    1,000 baht."""
    hub = (units["kind"] == "hub").to_numpy()
    cost = units["cost"].to_numpy(dtype=np.int64)
    investment = (np.rint(cost * np.where(hub, INVESTMENT_SHARE["hub"], INVESTMENT_SHARE["branch"]) / 10_000)
                  * 10_000).astype(np.int64)
    units = units.assign(profile=np.where(hub, "building", ""), cost_investment=investment,
                         cost_operations=cost - investment)
    if running:
        units = units.assign(running_cost=(np.rint(cost * RUNNING_SHARE / 1_000) * 1_000).astype(np.int64))
    return units


def cost_rules(units: pd.DataFrame, years: np.ndarray) -> tuple[np.ndarray, dict[int, float], str]:
    """The reference plan moved so that no hub's profile runs past the last year (a hub of the last year
    starts a year earlier), its spending per year (total), and the TOML of the cost rules: the two
    categories' ceilings (that plan's spending by category, rounded up as the budgets are), the
    running costs charged to operations, the building profile, spending after the horizon refused."""
    hub = (units["kind"] == "hub").to_numpy()
    years = np.where(hub & (years == LAST_YEAR), LAST_YEAR - 1, years)
    cost = units["cost"].to_numpy(dtype=float)
    investment = units["cost_investment"].to_numpy(dtype=float)
    running = (units["running_cost"].to_numpy(dtype=float) if "running_cost" in units.columns
               else np.zeros(len(units)))
    spend = {"investment": {}, "operations": {}}
    for y in range(FIRST_YEAR, LAST_YEAR + 1):
        share = np.zeros(len(units))
        for offset, part in enumerate(BUILDING_PROFILE):
            share += np.where(hub & (years + offset == y), part, 0.0)
        share += np.where(~hub & (years == y), 1.0, 0.0)
        spend["investment"][y] = float((investment * share).sum())
        spend["operations"][y] = float(((cost - investment) * share).sum() + running[years < y].sum())
    total = {y: spend["investment"][y] + spend["operations"][y] for y in spend["investment"]}
    toml = "".join(f"\n[budget.{name}]\n{_budget_lines(amounts)}\n" for name, amounts in spend.items())
    toml += ("\n[costs]\n" + ('running_category = "operations"\n' if "running_cost" in units.columns else "")
             + 'after_horizon = "refuse"\n\n'
             f"[costs.profiles]\nbuilding = [{BUILDING_PROFILE[0]}, {BUILDING_PROFILE[1]}]\n")
    return years, total, toml


def synth(units: int, seed: int = 0, out: str | Path = ".", costs: bool = False, running_costs: bool = False) -> Path:
    """Write ``out/synth-<units>.csv`` and ``.toml``, a synthetic scenario; return the CSV's path.

    Deterministic: the same ``units`` and ``seed`` give byte-identical files. Both files are
    written atomically (the folder must exist). Raises ``ValueError`` for a size out of range.
    ``costs`` adds cost profiles and two budget categories, ``running_costs`` (with ``costs``) running
    costs too (``add_cost_columns``, ``cost_rules``); without them the files are those of before.
    """
    table = synth_units(units, seed)
    years = reference_plan(table, seed)
    if costs:
        table = add_cost_columns(table, running=running_costs)
        years, spend, cost_toml = cost_rules(table, years)
        toml_text = synth_settings(table, years, spend) + cost_toml
    else:
        toml_text = synth_settings(table, years)
    out = Path(out)
    csv_path = out / f"synth-{units}.csv"
    with OutputTransaction([csv_path, csv_path.with_suffix(".toml")]):  # both files or neither
        write_text_atomic(csv_path, "\ufeff" + table.to_csv(index=False, lineterminator="\r\n"))
        write_text_atomic(csv_path.with_suffix(".toml"), toml_text)
    return csv_path
