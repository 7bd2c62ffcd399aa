"""Reading a solver's outcome: a time-out is never reported as a proven optimum."""

from __future__ import annotations

import random
import subprocess
import sys

import pulp
import pytest

from staffplan import solve
from staffplan.results import Status


def market_split(m=5, n=40, seed=1):
    """A market split problem (Cornuéjols and Dawande): tiny, and far too hard to prove
    optimal within a second; every 0/1 vector is a feasible plan thanks to the slacks."""
    rng = random.Random(seed)
    prob = pulp.LpProblem("market_split", pulp.LpMinimize)
    x = [prob.add_variable(f"x{j}", 0, 1, "Integer") for j in range(n)]
    over = [prob.add_variable(f"over{i}", 0, None, "Integer") for i in range(m)]
    under = [prob.add_variable(f"under{i}", 0, None, "Integer") for i in range(m)]
    for i in range(m):
        a = [rng.randrange(0, 100) for _ in range(n)]
        prob += (pulp.lpSum(a[j] * x[j] for j in range(n)) + over[i] - under[i] == sum(a) // 2,
                 f"c{i}")
    prob.setObjective(pulp.lpSum(over) + pulp.lpSum(under) + 7)
    return prob


@pytest.mark.parametrize("solver", ["highs", "cbc"])
def test_a_time_limit_gives_a_plan_with_a_gap_not_an_optimum(solver):
    out = solve.run(market_split(), solver, time_limit=0.5)
    assert out.status in (Status.FEASIBLE, Status.NO_SOLUTION) and out.solver == solver
    if out.status is Status.FEASIBLE:
        assert out.objective is not None and out.bound is not None
        assert 7 <= out.bound <= out.objective  # the objective's constant is in both
        assert out.gap > 0
    else:  # stopped before any plan: nothing to report as one
        assert not out.status.has_plan
        assert out.objective is None and out.gap is None
        assert out.bound is None or out.bound >= 7


def test_highs_outcome_reads_the_status_not_pulps_word():
    assert solve.highs_outcome("kOptimal", True, 5.0, 4.2, 0.1).status is Status.OPTIMAL
    out = solve.highs_outcome("kTimeLimit", True, 10.0, 8.0, 1.0)
    assert out.status is Status.FEASIBLE and out.gap == pytest.approx(0.2)
    assert (solve.highs_outcome("kTimeLimit", False, None, float("-inf"), 1.0).status
            is Status.NO_SOLUTION)
    assert solve.highs_outcome("kInfeasible", False, None, None, 0.1).status is Status.INFEASIBLE


def test_no_solver_banner_on_stdout(tmp_path):
    """HiGHS prints a banner from C code on file descriptor 1: it must not reach stdout."""
    code = ("import pulp; from staffplan import solve\n"
            "p = pulp.LpProblem('p', pulp.LpMinimize)\n"
            "x = p.add_variable('x', 0, 3, 'Integer')\n"
            "p += x >= 1, 'c'\n"
            "p.setObjective(x)\n"
            "print(solve.run(p, 'highs').status.value)\n")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout == "optimal\n"


def test_cbc_leaves_no_files_behind(tmp_path, monkeypatch):
    monkeypatch.setenv("TMPDIR", str(tmp_path))
    import tempfile

    monkeypatch.setattr(tempfile, "tempdir", None)
    prob = market_split(m=2, n=8)
    solve.run(prob, "cbc")
    assert list(tmp_path.iterdir()) == []


def test_a_stopped_plan_stops_its_solver_children():
    from staffplan.cli import stop_children

    child = subprocess.Popen(["sleep", "30"])
    try:
        assert child.pid in stop_children()
        assert child.wait(timeout=10) != 0  # terminated, not finished
    finally:
        if child.poll() is None:
            child.kill()


def _over_bounds(seed):
    """Counts with a total and per-unit maxima, a continuous slack over each maximum (the
    shape of the rule diagnosis's relaxed unit bounds)."""
    rng = random.Random(seed)
    n = rng.randint(3, 12)
    prob = pulp.LpProblem("over_bounds", pulp.LpMinimize)
    x = [prob.add_variable(f"x{i}", 0, 50, "Integer") for i in range(n)]
    s = [prob.add_variable(f"s{i}", 0, None, "Continuous") for i in range(n)]
    most = [rng.randint(0, 3) for _ in range(n)]
    prob += pulp.lpSum(x) == sum(most) + rng.randint(1, 8), "total"
    for i in range(n):
        prob += x[i] - s[i] <= most[i], f"b{i}"
    weights = [rng.randint(1, 1 << 16) for _ in range(n)]
    return prob, x, s, weights


@pytest.mark.parametrize("seed", range(12))
def test_solving_again_from_the_last_plan_finds_the_true_optimum(seed):
    """HiGHS 1.16 can misread a start solution in its presolved space and call it optimal
    with objective 0 (about one such model in six); run_again must still return the
    optimum, as a fresh CBC solve of the same problem finds it."""
    prob, x, s, weights = _over_bounds(seed)
    prob.setObjective(pulp.lpSum(s))
    least = solve.run(prob, "highs", integral=False).objective
    again = solve.run_again(prob, "highs", None,
                            objective=pulp.lpSum(w * v for w, v in zip(weights, s)),
                            constraints=[pulp.lpSum(s) <= least + 1e-6], variables=x + s)
    said = again.objective
    held = sum(w * v.varValue for w, v in zip(weights, s))
    assert said == pytest.approx(held)
    fresh, x2, s2, _ = _over_bounds(seed)
    fresh += pulp.lpSum(s2) <= least + 1e-6, "least"
    fresh.setObjective(pulp.lpSum(w * v for w, v in zip(weights, s2)))
    assert said == pytest.approx(solve.run(fresh, "cbc", integral=False).objective)
