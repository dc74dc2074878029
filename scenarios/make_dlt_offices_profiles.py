"""The default scenario with costs as the budget sees them (docs/costs.md): ILLUSTRATIVE.

    python scenarios/make_dlt_offices_profiles.py

Writes ``dlt-offices-profiles.csv`` (the default CSV plus three columns) and
``dlt-offices-profiles.toml`` (the default TOML plus [costs] and two budget categories):

- ``profile``: provincial and Bangkok-area offices are building works paid over two fiscal years,
  60% in the upgrade year and 40% the year after (the profile ``building``, a multi-year obligation);
  branches are paid in one year (empty: the default profile, all in the upgrade year);
- ``cost_investment`` (งบลงทุน: building, equipment): 85% of a provincial or Bangkok office's cost
  and 70% of a branch's, rounded to 10,000 baht; ``cost_operations`` (งบดำเนินงาน: training,
  manuals, communication): the rest;
- ceilings per year for the two categories, chosen so that the investment ceiling of FY2556 binds.

The shares and ceilings are not the department's: they show what the rules do to the plan.
"""

from __future__ import annotations

import csv
import io
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
CATEGORIES = """\
[budget.investment]      # งบลงทุน: building and equipment
2555 = 20_000_000
2556 = 95_000_000
2557 = 130_000_000
2558 = 130_000_000

[budget.operations]      # งบดำเนินงาน: training, manuals, communication
2555 = 6_000_000
2556 = 36_000_000
2557 = 30_000_000
2558 = 40_000_000

"""
COSTS = """
[costs]                  # refused: every unit's spending falls within FY2555-2558
after_horizon = "refuse"

[costs.profiles]
building = [0.6, 0.4]    # provincial and Bangkok-area offices: 60% in the upgrade year, 40% the next
"""
INVESTMENT_SHARE = {"branch": 0.70}
BUILDING_SHARE = 0.85


def main() -> None:
    sys.path.insert(0, str(HERE.parent))
    from selector.atomic import write_text_atomic

    with open(HERE / "dlt-offices.csv", encoding="utf-8-sig", newline="") as f:
        rows = list(csv.DictReader(f))
    for row in rows:
        cost = float(row["cost"])
        building = row["kind"] != "branch"
        investment = round(cost * (BUILDING_SHARE if building else INVESTMENT_SHARE["branch"]), -4)
        row["profile"] = "building" if building else ""
        row["cost_investment"] = f"{investment:.0f}"
        row["cost_operations"] = f"{cost - investment:.0f}"
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(rows[0]), lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    write_text_atomic(HERE / "dlt-offices-profiles.csv", "\ufeff" + out.getvalue())

    toml = (HERE / "dlt-offices.toml").read_text(encoding="utf-8")
    toml = toml.replace("# selector settings for the default scenario: the Department of Land Transport's offices.",
                        "# The default scenario with cost profiles and budget categories (docs/costs.md):\n"
                        "#   selector solve scenarios/dlt-offices-profiles.csv\n"
                        "# Rebuild with: python scenarios/make_dlt_offices_profiles.py")
    toml = toml.replace(" Rebuild with: python scenarios/make_dlt_offices.py", "")
    toml = toml.replace("[pilots]", CATEGORIES + "[pilots]", 1) + COSTS
    write_text_atomic(HERE / "dlt-offices-profiles.toml", toml)


if __name__ == "__main__":
    main()
