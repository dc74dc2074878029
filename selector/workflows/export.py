"""A schedule from a file as a ``Plan``, after ``selector check`` accepted it."""

from __future__ import annotations

from pathlib import Path

from selector.check import check_schedule, read_schedule
from selector.data.scenario import Scenario
from selector.errors import CheckFailedError
from selector.model.scoring import score_units
from selector.plan import Plan, schedule_table
from selector.status import Status

# ---------------------------------------------------------------------------------------------
# A plan from a schedule file (for `selector export`)


def plan_from_schedule(scenario: Scenario, schedule_path: str | Path) -> Plan:
    """The plan written in a schedule CSV, after checking every rule on it (``selector check``).

    Its status is ``checked``: every rule holds, but optimality is not re-proven. Raises
    ``CheckFailedError`` listing each broken rule when the schedule does not fit the scenario.
    """

    report = check_schedule(scenario, schedule_path)
    if report.violations:
        raise CheckFailedError(str(schedule_path), report.violations)
    rows = read_schedule(schedule_path)
    year_of = {r["unit_id"]: int(r["fiscal_year"]) for r in rows if r["fiscal_year"]}
    pilot_of = {r["unit_id"]: r["pilot"].lower() == "true" for r in rows}
    fund_of = {r["unit_id"]: r.get("fund", "") for r in rows}
    schedule = schedule_table(scenario, score_units(scenario.units, scenario.settings), year_of, pilot_of, explain=True,
                              fund_of=fund_of)
    return Plan(scenario, Status.CHECKED, schedule, report.objective, None, None, "", "", 0.0, 0.0, [])
