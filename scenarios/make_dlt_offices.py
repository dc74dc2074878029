"""Build the default scenario, ``scenarios/dlt-offices.csv`` and ``.toml``, from public facts.

    python scenarios/make_dlt_offices.py

Facts (see ``sources/SOURCES.md``): the Department of Land Transport's 195 active offices (5 Bangkok
area offices, 76 provincial offices, 114 branches) with their Thai names and provinces; each
province's region (six-region system) and DOPA population of 31 Dec 2014 (B.E. 2557).

ILLUSTRATIVE, NOT OFFICIAL: the criteria scores and the costs are made up by the rule below (seeded,
so the file can be rebuilt byte for byte). They are plausible, not measured:

- population_served = province population / number of active DLT offices in the province;
- importance = quintile (1-5) of the province's population, +1 for a provincial or Bangkok office, max 5;
- workload = quintile (1-5) of population_served;
- infrastructure = kind base (Bangkok 4.0, provincial 3.5, branch 2.5) + N(0, 0.9), rounded, 1-5;
- staff = 0.5 infrastructure + 0.5 kind base + N(0, 0.8), rounded, 1-5;
- leadership = 3.2 + N(0, 1.0), rounded, 1-5;
- success = mean(infrastructure, staff, leadership) + N(0, 0.6), rounded, 1-5;
- risk = 1 + 0.4 (workload - 1) + 0.5 (5 - success) + N(0, 0.6), rounded, 1-5;
- cost = kind base (Bangkok 4.5, provincial 3.0, branch 1.8 million baht) x (1 + 0.08 (workload - 3))
  x (1 + 0.06 (3 - infrastructure)) x lognormal(0, 0.15), rounded to 10,000 baht.

Budgets: FY2555 (pilot year) funds about ten pilots; FY2556-2557 are set, and FY2558 is then cut to
what the optimal plan needs in that year (rounded up to 100,000 baht), so that every year's budget
binds while the plan stays feasible. The generator solves the scenario with selector to do that.
"""

from __future__ import annotations

import math
import sys
from pathlib import Path

import numpy as np
import pandas as pd

HERE = Path(__file__).resolve().parent
SEED = 2555
KIND_BASE_INFRA = {"bangkok_area": 4.0, "provincial": 3.5, "branch": 2.5}
KIND_BASE_COST = {"bangkok_area": 4.5e6, "provincial": 3.0e6, "branch": 1.8e6}
REGION_TH = {"North": "ภาคเหนือ", "Northeast": "ภาคตะวันออกเฉียงเหนือ", "Central": "ภาคกลาง",
             "East": "ภาคตะวันออก", "West": "ภาคตะวันตก", "South": "ภาคใต้"}
SUPERSEDED = {"40001"}  # Nong Khai - Bueng Kan branch, replaced by the Bueng Kan provincial office


def quintile(values: pd.Series) -> pd.Series:
    """1..5 by rank: the lowest fifth of values get 1, the highest fifth 5 (ties share the lower rank)."""
    ranks = values.rank(method="min", pct=True)
    return np.ceil(ranks * 5).clip(1, 5).astype(int)


def build_units(seed: int = SEED) -> pd.DataFrame:
    offices = pd.read_csv(HERE / "sources" / "dlt_offices.csv", dtype=str, keep_default_na=False)
    provinces = pd.read_csv(HERE / "sources" / "thai_provinces.csv", dtype={"population": int})
    offices = offices[(offices["status"] == "active") & ~offices["office_id"].isin(SUPERSEDED)].copy()
    offices = offices.merge(provinces[["iso_code", "name_en", "region6", "population"]],
                            left_on="province_iso", right_on="iso_code", how="left", suffixes=("", "_province"))
    assert offices["region6"].notna().all(), "every office must map to a province"
    offices = offices.sort_values("office_id", kind="mergesort").reset_index(drop=True)
    per_province = offices.groupby("province_iso")["office_id"].transform("count")
    offices["population_served"] = (offices["population"] / per_province).round().astype(int)

    rng = np.random.default_rng(seed)
    n = len(offices)
    kind = offices["kind"]
    importance = (quintile(offices["population"]) + (kind != "branch").astype(int)).clip(1, 5)
    workload = quintile(offices["population_served"])
    base = kind.map(KIND_BASE_INFRA).to_numpy()
    infrastructure = np.clip(np.rint(base + rng.normal(0, 0.9, n)), 1, 5)
    staff = np.clip(np.rint(0.5 * infrastructure + 0.5 * base + rng.normal(0, 0.8, n)), 1, 5)
    leadership = np.clip(np.rint(3.2 + rng.normal(0, 1.0, n)), 1, 5)
    success = np.clip(np.rint((infrastructure + staff + leadership) / 3 + rng.normal(0, 0.6, n)), 1, 5)
    risk = np.clip(np.rint(1 + 0.4 * (workload.to_numpy() - 1) + 0.5 * (5 - success) + rng.normal(0, 0.6, n)), 1, 5)
    cost = (kind.map(KIND_BASE_COST).to_numpy() * (1 + 0.08 * (workload.to_numpy() - 3))
            * (1 + 0.06 * (3 - infrastructure)) * rng.lognormal(0, 0.15, n))
    cost = np.rint(cost / 10_000) * 10_000

    return pd.DataFrame({
        "unit_id": "DLT-" + offices["office_id"],
        "name": offices["name_th"],
        "region": offices["region6"],
        "cost": cost.astype(int),
        "infrastructure": infrastructure.astype(int),
        "staff": staff.astype(int),
        "leadership": leadership.astype(int),
        "importance": importance.astype(int),
        "workload": workload.astype(int),
        "success": success.astype(int),
        "risk": risk.astype(int),
        "pilot": "",
        "region_th": offices["region6"].map(REGION_TH),
        "province": offices["name_en_province"],
        "province_th": offices["province_th"],
        "kind": kind,
        "population_served": offices["population_served"],
    })


TOML_TEMPLATE = """\
# selector settings for the default scenario: the Department of Land Transport's offices.
# Fiscal years are Buddhist-Era (FY2558 = 1 Oct 2014 - 30 Sep 2015). Amounts in baht.
# ILLUSTRATIVE: budgets are chosen so that the plan is feasible and every year's budget binds;
# they are not the department's real budget. Rebuild with: python scenarios/make_dlt_offices.py

[horizon]
first_year = 2555   # the pilot year
last_year = 2558    # every office upgraded by then

[budget]
{budget_lines}

[pilots]
min = 8
max = 12
max_mean_risk = 2.5      # pilots are low-risk on average (raw 1-5 scale)
cover = ["region"]       # at least one pilot in each of the six regions

[criteria]
scale = [1, 5]
cost_type = ["risk"]

[weights.pilot]          # readiness, chance of success and low risk make a good pilot
infrastructure = 0.25
staff = 0.15
leadership = 0.15
success = 0.25
risk = 0.20

[weights.rollout]        # importance and workload decide who comes first after the pilots
importance = 0.35
workload = 0.35
infrastructure = 0.10
staff = 0.10
leadership = 0.10

[objective]
pilot_emphasis = 1.0

[solver]
name = "highs"
time_limit = 60
gap = 0.0001
"""


def write_toml(path: Path, budget: dict[int, int]) -> None:
    lines = "\n".join(f"{y} = {b:_}" for y, b in sorted(budget.items()))
    path.write_text(TOML_TEMPLATE.format(budget_lines=lines), encoding="utf-8")


def main() -> None:
    sys.path.insert(0, str(HERE.parent))
    import selector

    units = build_units()
    csv_path = HERE / "dlt-offices.csv"
    # A CSV has no comment syntax Excel understands: the TOML, README and this file say it is illustrative.
    text = units.to_csv(index=False, lineterminator="\n")
    csv_path.write_text("\ufeff" + text, encoding="utf-8")

    total = int(units["cost"].sum())
    budget = {2555: 25_000_000, 2556: round(total * 0.28, -6), 2557: round(total * 0.32, -6), 2558: total}
    toml_path = HERE / "dlt-offices.toml"
    write_toml(toml_path, {y: int(b) for y, b in budget.items()})
    plan = selector.solve(selector.load(csv_path))
    assert plan.proven_optimal, plan.status
    used = plan.by_year.set_index("fiscal_year")["cost"]
    budget[2558] = int(math.ceil(used[2558] / 100_000) * 100_000)
    write_toml(toml_path, {y: int(b) for y, b in budget.items()})
    plan = selector.solve(selector.load(csv_path))
    assert plan.proven_optimal, plan.status
    print(plan.by_year.to_string(index=False))


if __name__ == "__main__":
    main()
