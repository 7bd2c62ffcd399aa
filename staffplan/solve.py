"""Run a solver on a PuLP problem and tell, without guessing, what came back.

PuLP reports a run stopped by its time limit as "Optimal" for both HiGHS and CBC, so the
outcome is read from the solver itself: HiGHS's model status and dual bound, CBC's solution
status and log. HiGHS prints a banner on stdout even when asked to be quiet: the solver runs
with stdout pointed at /dev/null, so machine-readable output stays clean. CBC's files go to a
temporary folder of ours that is removed however the run ends.
"""

from __future__ import annotations

import os
import re
import sys
import tempfile
import time
import warnings
from contextlib import contextmanager
from dataclasses import dataclass
from enum import Enum

import pulp

SOLVERS = ("highs", "cbc")


class Status(str, Enum):
    OPTIMAL = "optimal"  # a plan, proven to need the fewest moves
    FEASIBLE = "feasible"  # a plan, stopped by the time limit before the proof (see gap)
    INFEASIBLE = "infeasible"  # proven: no plan meets the rules
    NO_SOLUTION = "no_solution"  # stopped by the time limit before any plan was found

    @property
    def has_plan(self) -> bool:
        return self in (Status.OPTIMAL, Status.FEASIBLE)


@dataclass
class Outcome:
    status: Status
    objective: float | None
    bound: float | None
    seconds: float
    solver: str

    @property
    def gap(self) -> float | None:
        if self.objective is None or self.bound is None:
            return None
        if abs(self.objective - self.bound) < 1e-9:
            return 0.0
        return abs(self.objective - self.bound) / max(abs(self.objective), 1e-9)


@contextmanager
def quiet_stdout():
    """Point file descriptor 1 at /dev/null (the solver's C code writes there directly)."""
    sys.stdout.flush()
    saved = os.dup(1)
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, 1)
    try:
        yield
    finally:
        os.dup2(saved, 1)
        os.close(saved)
        os.close(devnull)


def run(prob: pulp.LpProblem, solver: str = "highs", time_limit: float | None = None) -> Outcome:
    if solver not in SOLVERS:
        raise ValueError(f"unknown solver {solver!r}; use one of {', '.join(SOLVERS)}")
    start = time.perf_counter()
    if not prob.variables():
        # Nothing to decide: the constants alone hold or fail.
        ok = all(c.valid() for c in prob.constraints())
        value = pulp.value(prob.objective) if prob.objective is not None else 0.0
        return Outcome(Status.OPTIMAL if ok else Status.INFEASIBLE, value if ok else None,
                       value if ok else None, time.perf_counter() - start, solver)
    if solver == "highs":
        return _run_highs(prob, time_limit, start)
    return _run_cbc(prob, time_limit, start)


def _run_highs(prob, time_limit, start) -> Outcome:
    import highspy

    cmd = pulp.HiGHS(msg=False, timeLimit=time_limit, threads=1, random_seed=0)
    with quiet_stdout():
        prob.solve(cmd)
    h = prob.solverModel
    status = h.getModelStatus()
    info = h.getInfo()
    ms = highspy.HighsModelStatus
    has_solution = info.primal_solution_status == 2  # kSolutionStatusFeasible
    # HiGHS never sees PuLP's objective constant: add it back to the value and the bound.
    constant = prob.objective.constant if prob.objective is not None else 0.0
    objective = pulp.value(prob.objective) if has_solution else None
    bound = info.mip_dual_bound + constant if info.mip_node_count >= 0 else objective
    if status == ms.kOptimal:
        out = Status.OPTIMAL
        bound = objective if bound is None or not _finite(bound) else bound
    elif status == ms.kInfeasible:
        out, objective, bound = Status.INFEASIBLE, None, None
    elif has_solution:
        out = Status.FEASIBLE
    else:
        out = Status.NO_SOLUTION
    if bound is not None and not _finite(bound):
        bound = None
    return Outcome(out, objective, bound, time.perf_counter() - start, "highs")


def _finite(x: float) -> bool:
    return x == x and abs(x) != float("inf")


def _run_cbc(prob, time_limit, start) -> Outcome:
    with tempfile.TemporaryDirectory(prefix="staffplan-cbc-") as tmp:
        log = os.path.join(tmp, "cbc.log")
        with warnings.catch_warnings():  # PuLP 3.x deprecates its bundled CBC for 4.0
            warnings.simplefilter("ignore", DeprecationWarning)
            cmd = pulp.PULP_CBC_CMD(msg=False, timeLimit=time_limit, threads=1, logPath=log,
                                    options=["randomSeed 1", "randomCbcSeed 1"])
        cmd.tmpDir = tmp
        with quiet_stdout():
            prob.solve(cmd)
        text = open(log, encoding="utf-8", errors="replace").read() if os.path.exists(log) else ""
    objective = pulp.value(prob.objective) if prob.sol_status in (
        pulp.LpSolutionOptimal, pulp.LpSolutionIntegerFeasible) else None
    m = re.search(r"^Lower bound:\s*(-?[\d.eE+-]+)", text, re.M)
    bound = float(m.group(1)) if m else None
    if prob.status == pulp.LpStatusInfeasible or "Problem proven infeasible" in text:
        return Outcome(Status.INFEASIBLE, None, None, time.perf_counter() - start, "cbc")
    if prob.sol_status == pulp.LpSolutionOptimal and "Stopped on time" not in text:
        out = Status.OPTIMAL
        bound = objective
    elif objective is not None:
        out = Status.FEASIBLE
    else:
        out = Status.NO_SOLUTION
    return Outcome(out, objective, bound, time.perf_counter() - start, "cbc")
