"""Run a solver on a PuLP problem and tell, without guessing, what came back.

PuLP reports a run stopped by its time limit as "Optimal" for both HiGHS and CBC, so the
outcome is read from the solver itself: HiGHS's model status and dual bound, CBC's solution
status and log. HiGHS prints a banner on stdout even when asked to be quiet: the solver runs
with stdout pointed at /dev/null, so machine-readable output stays clean. CBC's files go to a
temporary folder of ours that is removed however the run ends.
"""

from __future__ import annotations

import math
import os
import re
import signal
import sys
import tempfile
import threading
import time
import warnings
from collections.abc import Callable
from contextlib import contextmanager

# highspy before pulp, everywhere pulp is imported: pulp imports highspy inside a bare
# `except:`, so a Ctrl-C at that moment would leave HiGHS "not available" for the run.
import highspy  # noqa: F401
import pulp

from staffplan.results import Outcome, Status

SOLVERS = ("highs", "cbc")
__all__ = ["SOLVERS", "Outcome", "Status", "change_rows", "highs_outcome", "quiet_stdout",
           "resolve", "run", "run_again", "value"]


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


Progress = Callable[[str], None]


class _Interrupt:
    """Ctrl-C (SIGINT) or SIGTERM while HiGHS runs stops the run, and the program.

    HiGHS runs in C++: Python's KeyboardInterrupt only surfaces in Python code, here the
    progress callbacks, and HiGHS then returned as if stopped by a limit ("no plan found in
    the time limit", exit 1, summary.json written). Instead, while HiGHS runs, both signals
    only set a flag; HiGHS's interrupt callbacks (simplex, interior point, MIP: HiGHS calls
    them regularly) see it and ask HiGHS to stop (``event.interrupt()``), and when ``run``
    returns the signal is raised as KeyboardInterrupt (after the SIGTERM handler that was in
    place ran), so the command ends with exit 130 and writes nothing."""

    def __init__(self):
        self.signum: int | None = None

    def attach(self, h) -> None:
        for cb in (h.cbSimplexInterrupt, h.cbIpmInterrupt, h.cbMipInterrupt):
            cb.subscribe(self._check)

    def _check(self, event) -> None:
        if self.signum is not None:
            event.interrupt()

    @contextmanager
    def active(self):
        if threading.current_thread() is not threading.main_thread():
            yield
            return
        self.signum = None

        def flag(signum, frame):
            if self.signum is None:
                self.signum = signum

        previous = {sig: signal.signal(sig, flag) for sig in (signal.SIGINT, signal.SIGTERM)}
        try:
            yield
        finally:
            for sig, handler in previous.items():
                signal.signal(sig, handler)
        if self.signum is not None:
            handler = previous.get(self.signum)
            if self.signum == signal.SIGTERM and callable(handler):
                handler(self.signum, None)  # staffplan's own: stops children, says so
            raise KeyboardInterrupt


def _run_interruptible(h) -> None:
    """``h.run()`` that Ctrl-C stops (see :class:`_Interrupt`)."""
    stop = _Interrupt()
    stop.attach(h)
    with stop.active(), quiet_stdout():
        h.run()


def run(prob: pulp.LpProblem, solver: str = "highs", time_limit: float | None = None,
        integral: bool = True, progress: Progress | None = None) -> Outcome:
    """Solve to a proven optimum (or the time limit). The default gaps of both solvers would
    accept a plan 0.01% worse than the best (one move in ten thousand): here the relative gap
    is 0, and the absolute gap below 1 when the objective is a whole number (``integral``),
    which then proves the minimum."""
    gap_abs = 0.99 if integral else 1e-6
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
        out = _run_highs(prob, time_limit, start, gap_abs, progress)
    else:
        out = _run_cbc(prob, time_limit, start, gap_abs)
    if integral and out.bound is not None:
        # The objective is a whole number, so the true minimum is at least the bound rounded up.
        out.bound = float(math.ceil(out.bound - 1e-6))
    return out


def run_again(prob: pulp.LpProblem, solver: str, time_limit: float | None, *,
              objective: pulp.LpAffineExpression, constraints: list[pulp.LpConstraint],
              variables: list[pulp.LpVariable], options: dict | None = None) -> Outcome:
    """Solve ``prob`` again with another objective and extra constraints, starting from the
    last solution. HiGHS keeps the model it already has (PuLP would rebuild it from scratch);
    CBC goes through PuLP again. ``variables`` get their new values (``varValue``).
    ``options``: HiGHS options for this and later runs (e.g. the primal simplex, which keeps
    the last basis feasible when only the objective changes)."""
    highs = getattr(prob, "solverModel", None)
    if solver != "highs" or highs is None:
        for c in constraints:
            prob += c, f"again_{prob.numConstraints()}"  # unique across calls
        prob.setObjective(objective)
        return run(prob, solver, time_limit)

    start = time.perf_counter()
    h = highs
    h.clearCallbacks()  # the first run's progress reports speak of moves, not of this objective
    last = h.getSolution()
    n = h.getNumCol()
    costs = [0.0] * n
    for var, coef in objective.items():
        costs[var.index] = float(coef)
    h.changeColsCost(n, list(range(n)), costs)
    h.changeObjectiveOffset(float(objective.constant))
    inf = highspy.kHighsInf
    for c in constraints:
        idx = [v.index for v, _ in c.items()]
        coef = [float(a) for _, a in c.items()]
        rhs = -float(c.constant)
        lo, hi = {pulp.LpConstraintLE: (-inf, rhs), pulp.LpConstraintGE: (rhs, inf),
                  pulp.LpConstraintEQ: (rhs, rhs)}[c.sense]
        h.addRow(lo, hi, len(idx), idx, coef)
    h.setOptionValue("time_limit", float(time_limit) if time_limit is not None else inf)
    for key, value in (options or {}).items():
        h.setOptionValue(key, value)
    h.setSolution(last)
    _run_interruptible(h)
    if _start_misread(h, costs, float(objective.constant)):
        # HiGHS 1.16 can misread a start in its presolved space (it logs "MIP start solution
        # is feasible in the reduced space: objective value is 0" and calls the start
        # optimal). Then solve again without it.
        h.clearSolver()
        _run_interruptible(h)
    info = h.getInfo()
    has_solution = info.primal_solution_status == 2
    if has_solution:
        values = h.getSolution().col_value
        for v in variables:
            v.varValue = values[v.index]
    return highs_outcome(h.getModelStatus().name, has_solution,
                         h.getObjectiveValue() if has_solution else None,
                         info.mip_dual_bound, time.perf_counter() - start)


def _start_misread(h, costs: list[float], offset: float) -> bool:
    """Does HiGHS report another objective than its own solution has?"""
    if h.getInfo().primal_solution_status != 2:
        return False
    values = h.getSolution().col_value
    true = math.fsum(c * x for c, x in zip(costs, values) if c)
    said = h.getObjectiveValue() - offset
    return abs(true - said) > 1e-6 * max(1.0, abs(true))


def change_rows(prob: pulp.LpProblem, rows: dict[str, pulp.LpAffineExpression]) -> None:
    """Give the rows named in ``rows`` (each ``expression >= 0``) new coefficients in the
    solver's copy of ``prob``, without a rebuild. HiGHS only, after a first ``run``; each new
    expression must use the variables the row already has."""

    h = prob.solverModel
    for name, expr in rows.items():
        row = prob.get_constraint_by_name(name)
        for var in row.keys():
            h.changeCoeff(row.index, var.index, float(expr.get(var, 0)))
        h.changeRowBounds(row.index, -float(expr.constant), highspy.kHighsInf)


def resolve(prob: pulp.LpProblem, variables: list[pulp.LpVariable], *, fresh: bool) -> Outcome:
    """Solve the solver's copy of ``prob`` again after ``change_rows``: from the last plan,
    or from scratch when ``fresh`` (the last point had none). ``variables`` get their new
    values; the objective's constant is added back, as ``run`` does."""

    start = time.perf_counter()
    h = prob.solverModel
    if fresh:
        h.clearSolver()
    h.setOptionValue("time_limit", highspy.kHighsInf)
    _run_interruptible(h)
    info = h.getInfo()
    has = info.primal_solution_status == 2
    constant = prob.objective.constant if prob.objective is not None else 0.0
    out = highs_outcome(h.getModelStatus().name, has,
                        h.getObjectiveValue() + constant if has else None,
                        info.mip_dual_bound + constant, time.perf_counter() - start)
    if has:
        values = h.getSolution().col_value
        for v in variables:
            v.varValue = values[v.index]
    return out


def value(x) -> float:
    """The value of a variable or expression in the last solution (0 when it has none)."""
    v = pulp.value(x)
    return 0.0 if v is None else float(v)


def highs_outcome(model_status: str, has_solution: bool, objective: float | None,
                  dual_bound: float | None, seconds: float) -> Outcome:
    """What a HiGHS run means. Only ``kOptimal`` is a proof; a time limit (or any other stop)
    with a solution is a plan with a gap, without one no plan at all."""
    bound = dual_bound if dual_bound is not None and _finite(dual_bound) else None
    if model_status == "kOptimal":
        return Outcome(Status.OPTIMAL, objective, objective, seconds, "highs")
    if model_status == "kInfeasible":
        return Outcome(Status.INFEASIBLE, None, None, seconds, "highs")
    if has_solution:
        return Outcome(Status.FEASIBLE, objective, bound, seconds, "highs")
    return Outcome(Status.NO_SOLUTION, None, bound, seconds, "highs")


class _HiGHS(pulp.HiGHS):
    """PuLP's HiGHS, reporting the incumbent and the bound while it solves."""

    def __init__(self, progress: Progress | None, constant: float, **kw):
        super().__init__(**kw)
        self.progress, self.constant, self.last = progress, constant, 0.0
        self.stop = _Interrupt()

    def createAndConfigureSolver(self, lp):
        super().createAndConfigureSolver(lp)
        self.stop.attach(lp.solverModel)
        if self.progress is not None:
            lp.solverModel.cbMipImprovingSolution.subscribe(self._report)
            lp.solverModel.cbMipInterrupt.subscribe(self._tick)

    def _report(self, event) -> None:
        d = event.data_out
        primal, dual = d.mip_primal_bound + self.constant, d.mip_dual_bound + self.constant
        from staffplan.i18n import t

        bound = f"{dual:.0f}" if _finite(dual) else t("g_no_bound")
        self.progress(t("g_incumbent", best=f"{primal:.0f}", bound=bound,
                        seconds=d.running_time))

    def _tick(self, event) -> None:
        if event.data_out.running_time - self.last >= 5.0:
            self.last = event.data_out.running_time
            self._report(event)


def _run_highs(prob, time_limit, start, gap_abs, progress=None) -> Outcome:
    constant = prob.objective.constant if prob.objective is not None else 0.0
    # Without HiGHS's feasibility-jump heuristic: on these count models it costs more than
    # it finds (15 bureaus of a 20,000-officer horizon: fewest moves 1.17 s -> 0.96 s; later
    # stages, which start from a plan, 0.68 s -> 0.49 s and 1.57 s -> 1.37 s; same optima).
    # The option holds for the runs again on the same model (run_again).
    cmd = _HiGHS(progress, constant, msg=False, timeLimit=time_limit, threads=1, random_seed=0,
                 gapRel=0.0, gapAbs=gap_abs, mip_heuristic_run_feasibility_jump=False)
    with cmd.stop.active(), quiet_stdout():
        prob.solve(cmd)
    h = prob.solverModel
    info = h.getInfo()
    has_solution = info.primal_solution_status == 2  # kSolutionStatusFeasible
    # HiGHS never sees PuLP's objective constant: add it back to the value and the bound.
    return highs_outcome(h.getModelStatus().name, has_solution,
                         pulp.value(prob.objective) if has_solution else None,
                         info.mip_dual_bound + constant, time.perf_counter() - start)


def _finite(x: float) -> bool:
    return x == x and abs(x) != float("inf")


def _run_cbc(prob, time_limit, start, gap_abs) -> Outcome:
    with tempfile.TemporaryDirectory(prefix="staffplan-cbc-") as tmp:
        log = os.path.join(tmp, "cbc.log")
        with warnings.catch_warnings():  # PuLP 3.x deprecates its bundled CBC for 4.0
            warnings.simplefilter("ignore", DeprecationWarning)
            cmd = pulp.PULP_CBC_CMD(msg=False, timeLimit=time_limit, threads=1, logPath=log,
                                    gapRel=0.0, gapAbs=gap_abs,
                                    options=["randomSeed 1", "randomCbcSeed 1"])
        cmd.tmpDir = tmp
        with quiet_stdout():
            prob.solve(cmd)
        text = open(log, encoding="utf-8", errors="replace").read() if os.path.exists(log) else ""
    objective = pulp.value(prob.objective) if prob.sol_status in (
        pulp.LpSolutionOptimal, pulp.LpSolutionIntegerFeasible) else None
    m = re.search(r"^Lower bound:\s*(-?[\d.eE+-]+)", text, re.M)
    # CBC's log leaves out the objective's constant, as HiGHS does.
    constant = prob.objective.constant if prob.objective is not None else 0.0
    bound = float(m.group(1)) + constant if m else None
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
