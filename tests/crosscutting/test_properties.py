"""Properties over random scenarios (hypothesis): plans pass the independent check, the objective
recomputed from the schedule equals the reported one, and HiGHS and CBC agree on the optimum."""

from __future__ import annotations

import io

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import selector
from selector.check import check_schedule
from selector.outputs.files import write_schedule_csv

CRITERIA = ("infrastructure", "staff", "leadership", "importance", "workload", "success", "risk")


@st.composite
def scenarios(draw):
    n = draw(st.integers(3, 9))
    years = draw(st.integers(2, 4))
    regions = draw(st.lists(st.sampled_from(["North", "South", "East", "ภาคกลาง"]), min_size=n, max_size=n))
    costs = draw(st.lists(st.integers(0, 9), min_size=n, max_size=n))
    rows = []
    for i in range(n):
        scores = draw(st.lists(st.integers(1, 5), min_size=7, max_size=7))
        pilot = draw(st.sampled_from(["", "", "", "", "", "", "", "never"]))
        rows.append([f"U{i}", f"หน่วย {i}", regions[i], str(costs[i]), *map(str, scores), pilot])
    total = sum(costs)
    # Budgets between a tight and a generous share of the total, so some years bind.
    shares = draw(st.lists(st.floats(0.45, 1.5), min_size=years, max_size=years))
    budget = {2555 + k: max(9, round(total * s)) for k, s in enumerate(shares)}
    pmax = draw(st.integers(len(set(regions)), n))
    buf = io.StringIO()
    buf.write("unit_id,name,region,cost," + ",".join(CRITERIA) + ",pilot\n")
    for r in rows:
        buf.write(",".join(r) + "\n")
    toml = (f"[horizon]\nfirst_year = 2555\nlast_year = {2554 + years}\n[budget]\n"
            + "".join(f"{y} = {b}\n" for y, b in budget.items())
            + f"[pilots]\nmin = 1\nmax = {pmax}\n[solver]\ngap = 0\n")
    return buf.getvalue(), toml


@settings(max_examples=60, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(scenarios())
def test_plans_pass_check_and_solvers_agree(tmp_path_factory, case):
    csv_text, toml_text = case
    folder = tmp_path_factory.mktemp("prop")
    (folder / "s.csv").write_text(csv_text, encoding="utf-8")
    (folder / "s.toml").write_text(toml_text, encoding="utf-8")
    scenario = selector.load(folder / "s.csv")
    plan = selector.solve(scenario)
    cbc = selector.solve(scenario, solver="cbc")
    assert {plan.status, cbc.status} <= {"optimal", "infeasible"}
    assert plan.status == cbc.status
    if plan.status == "infeasible":
        return
    write_schedule_csv(plan, folder / "out.csv")
    report = check_schedule(scenario, folder / "out.csv")
    assert report.ok, report.violations
    assert report.objective == pytest.approx(plan.objective, rel=1e-9, abs=1e-9)
    assert cbc.objective == pytest.approx(plan.objective, rel=1e-6, abs=1e-6)
