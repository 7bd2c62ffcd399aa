"""End-to-end benchmark: `staffplan plan` wall time and peak memory by roster size, beside
the obvious officer x unit model (benchmarks/baseline.py) where it finishes.

    python benchmarks/bench.py                      # 5,000 / 20,000 / 100,000 officers
    python benchmarks/bench.py --sizes 300 --baseline-up-to 300 --json /tmp/b.json   # smoke run
    python benchmarks/bench.py --steps 3 --sizes 500 2000 --baseline-up-to 2000

With ``--steps N`` (N > 1) each city is a plan over N yearly steps (``horizon.yaml``, written
by ``staffplan.generate.write_instance(..., steps=N)``), planned together, and the baseline is
the officer x unit x step model (benchmarks/baseline_horizon.py), its plan re-checked step by
step. The baseline gets ``--baseline-timeout`` seconds in all: the solver is told the time
left after building, so a run that builds but cannot prove its minimum in time reports the
plan and gap it has; one that cannot even build is stopped. ``--baseline-memory-mb`` caps
its address space (a shared machine).

Each measurement runs in a fresh process (start-up, reading, solving and writing the plan
included); peak memory is that process's maximum resident set. Prints a table and writes
JSON. Figures are for reading, never asserted: machines are noisy.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import platform
import subprocess
import sys
import tempfile
import textwrap
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent

BASELINE_CODE = """
import json, sys, time
sys.path.insert(0, {here!r})
from baseline import solve_baseline
from staffplan import check, load_scenario
s = load_scenario({scenario!r})
status, moves, final, built, solved = solve_baseline(s)
ok = final is not None and check(s, final).ok
print(json.dumps({{"status": status.value, "moves": moves, "check_ok": ok,
                   "build_s": built, "solve_s": solved}}))
"""


HORIZON_BASELINE_CODE = """
import json, sys, time
t0 = time.perf_counter()
sys.path.insert(0, {here!r})
from baseline_horizon import solve_horizon_baseline
from staffplan import load_scenario
from staffplan.check import check_steps
s = load_scenario({scenario!r})
loaded = time.perf_counter() - t0
deadline = None if {timeout!r} is None else t0 + {timeout!r}
r = solve_horizon_baseline(s, deadline=deadline)
reports = check_steps(s, r.finals) if r.finals is not None else None
print(json.dumps({{"status": r.status.value, "moves": r.moves,
                   "moves_by_step": r.moves_by_step, "gap": r.gap,
                   "check_ok": reports is not None and all(x.ok for x in reports),
                   "variables": r.variables, "rows": r.rows, "load_s": loaded,
                   "build_s": r.build_s, "solve_s": r.solve_s}}))
"""


def measure(cmd: list[str], timeout: float | None, memory_mb: int | None = None) -> dict:
    """Run cmd in a child that reports its own wall time and peak memory (``memory_mb``:
    the child's address space is capped there)."""
    limit = "" if memory_mb is None else (
        f", preexec_fn=lambda: resource.setrlimit(resource.RLIMIT_AS, "
        f"({memory_mb} << 20, {memory_mb} << 20))")
    wrapper = (
        "import json, resource, subprocess, sys, time\n"
        "t = time.perf_counter()\n"
        "try:\n"
        f"    p = subprocess.run({cmd!r}, capture_output=True, text=True, timeout={timeout!r}"
        f"{limit})\n"
        "    rc, out, err = p.returncode, p.stdout, p.stderr\n"
        "except subprocess.TimeoutExpired:\n"
        "    rc, out, err = None, '', 'timeout'\n"
        "wall = time.perf_counter() - t\n"
        "kb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss\n"
        "print(json.dumps({'rc': rc, 'wall_s': wall, 'peak_mb': kb / 1024, 'stdout': out,"
        " 'stderr': err[-2000:]}))\n"
    )
    p = subprocess.run([sys.executable, "-c", wrapper], capture_output=True, text=True, check=True)
    return json.loads(p.stdout)


def _lines(path: Path) -> int:
    with open(path, encoding="utf-8") as f:
        return sum(1 for _ in f) - 1


def run_baseline(scenario: Path, steps: int, timeout: float, memory_mb: int | None) -> dict:
    """The baseline in a fresh process: its figures, or how it stopped."""
    if steps > 1:
        code = HORIZON_BASELINE_CODE.format(here=str(HERE), scenario=str(scenario),
                                            timeout=timeout)
        hard = timeout + 120  # the solver stops itself at the timeout; building may not
    else:
        code = BASELINE_CODE.format(here=str(HERE), scenario=str(scenario))
        hard = timeout
    base = measure([sys.executable, "-c", code], timeout=hard, memory_mb=memory_mb)
    out = {"wall_s": round(base["wall_s"], 3), "peak_mb": round(base["peak_mb"], 1)}
    if base["rc"] == 0:
        b = json.loads(base["stdout"].strip().splitlines()[-1])
        out.update(b)
        if steps == 1:
            out.pop("build_s"), out.pop("solve_s")
        if out["status"] == "no_solution":
            out["status"] = "timeout"
    elif base["rc"] is None:
        out["status"] = "timeout"
    else:
        out["status"] = "memory" if "MemoryError" in base["stderr"] else "failed"
        out["error"] = base["stderr"][-300:]
    return out


def bench(sizes: list[int], baseline_up_to: int, baseline_timeout: float, seed: int,
          workdir: Path, steps: int = 1, memory_mb: int | None = None) -> list[dict]:
    from staffplan.generate import write_instance

    rows = []
    for n in sizes:
        d = workdir / f"city-{n}"
        write_instance(d, officers=n, seed=seed, steps=steps)
        scenario = d / ("horizon.yaml" if steps > 1 else "scenario.yaml")
        officers = _lines(d / "officers.csv")
        units = _lines(d / "units.csv")
        load_before = os.getloadavg()  # other jobs on the machine, for reading the figures
        run = measure([sys.executable, "-m", "staffplan", "plan", str(scenario), "--out",
                       str(d / "out"), "--format", "json", "--quiet"], timeout=None)
        if run["rc"] != 0:
            raise SystemExit(f"staffplan plan failed on {n} officers:\n{run['stderr']}")
        summary = json.loads(run["stdout"])
        row = {"officers": officers, "units": units, "steps": steps,
               "load_before": [round(x, 2) for x in load_before],
               "status": summary["status"], "moves": summary["objective"],
               "gap": summary["gap"], "wall_s": round(run["wall_s"], 3),
               "peak_mb": round(run["peak_mb"], 1), "timing_s": summary["timing_seconds"]}
        for key in ("moves_by_step", "myopic_moves"):
            if key in summary:
                row[key] = summary[key]
        if n <= baseline_up_to:
            b = run_baseline(scenario, steps, baseline_timeout, memory_mb)
            b["load_after"] = [round(x, 2) for x in os.getloadavg()]
            row["baseline"] = b
            if b["status"] == "optimal":
                row["same_optimum"] = b["moves"] == summary["objective"]
                row["speedup"] = round(b["wall_s"] / run["wall_s"], 1)
        rows.append(row)
        print(f"  {officers:>7} officers x {steps} step(s): {row['wall_s']:.2f} s, "
              f"{row['peak_mb']:.0f} MB"
              + (f"; baseline {row['baseline']['status']} {row['baseline']['wall_s']:.1f} s"
                 if "baseline" in row else ""), file=sys.stderr)
    return rows


def growth_exponent(rows: list[dict]) -> float | None:
    """Slope of log(time) against log(officers): 1 means linear."""
    pts = [(math.log(r["officers"]), math.log(r["wall_s"])) for r in rows if r["wall_s"] > 0]
    if len(pts) < 2:
        return None
    mx = sum(x for x, _ in pts) / len(pts)
    my = sum(y for _, y in pts) / len(pts)
    sxx = sum((x - mx) ** 2 for x, _ in pts)
    return sum((x - mx) * (y - my) for x, y in pts) / sxx if sxx else None


def print_table(rows: list[dict], exponent: float | None) -> None:
    from rich.console import Console
    from rich.table import Table

    steps = max((r.get("steps", 1) for r in rows), default=1)
    what = "officer x unit" + (" x step" if steps > 1 else "")
    t = Table(title="staffplan plan, end to end (fresh process each)"
                    + (f", {steps} steps planned together" if steps > 1 else "")
                    + f"; baseline: the {what} model")
    for c in ["officers", "units", "status", "moves", "wall s", "ms / 1k officers", "peak MB",
              "baseline", "baseline moves", "baseline vars", "baseline s", "baseline MB",
              "same optimum", "speed-up"]:
        t.add_column(c, justify="right")
    for r in rows:
        b = r.get("baseline", {})
        moves = "-"
        if b.get("moves") is not None:
            moves = str(b["moves"])
            if b.get("gap"):
                moves += f" (gap {b['gap']:.1%})"
        t.add_row(str(r["officers"]), str(r["units"]), r["status"], str(r["moves"]),
                  f"{r['wall_s']:.2f}", f"{1000 * r['wall_s'] / r['officers'] * 1000:.0f}",
                  f"{r['peak_mb']:.0f}", b.get("status", "-"), moves,
                  f"{b['variables']:,}" if b.get("variables") else "-",
                  f"{b['wall_s']:.1f}" if b else "-", f"{b['peak_mb']:.0f}" if b else "-",
                  str(r.get("same_optimum", "-")), f"{r['speedup']}x" if "speedup" in r else "-")
    captions = []
    if exponent is not None:
        captions.append(f"time grows as officers^{exponent:.2f} (1.00 = linear)")
    loads = [r["load_before"][0] for r in rows if "load_before" in r]
    if loads:
        captions.append("machine load (1 min) before each size: "
                        + ", ".join(f"{x:.1f}" for x in loads) + f" on {os.cpu_count()} cores")
    t.caption = "; ".join(captions) or None
    Console(width=170).print(t)


def main(argv=None) -> None:
    head, _, rest = __doc__.partition("\n\n")
    ap = argparse.ArgumentParser(
        description=textwrap.fill(" ".join(head.split()), 79),  # the first paragraph, whole
        epilog=textwrap.dedent(rest).strip("\n"),
        formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sizes", type=int, nargs="+", default=[5000, 20000, 100000],
                    metavar="N", help="officers in each generated city (default: %(default)s)")
    ap.add_argument("--baseline-up-to", type=int, default=5000, metavar="N",
                    help="run the officer x unit baseline for sizes up to this "
                         "(default: %(default)s)")
    ap.add_argument("--baseline-timeout", type=float, default=600.0, metavar="SECONDS",
                    help="stop a baseline run after this long (default: %(default)s)")
    ap.add_argument("--seed", type=int, default=1, help="seed of the generated cities")
    ap.add_argument("--steps", type=int, default=1, metavar="N",
                    help="yearly steps planned together (horizon.yaml); 1: one date")
    ap.add_argument("--baseline-memory-mb", type=int, default=None, metavar="MB",
                    help="cap the baseline's address space (MB) on a shared machine")
    ap.add_argument("--json", type=Path, default=None, metavar="FILE",
                    help="write the results here (default: benchmarks/results.json for one "
                         "step, benchmarks/results-N-steps.json for N)")
    ap.add_argument("--workdir", type=Path, default=None, metavar="DIR",
                    help="keep the generated cities and plans here (default: a temporary "
                         "folder)")
    args = ap.parse_args(argv)
    if args.steps < 1:
        ap.error("--steps is at least 1")
    if args.json is None:
        args.json = HERE / ("results.json" if args.steps == 1
                            else f"results-{args.steps}-steps.json")
    with tempfile.TemporaryDirectory(prefix="staffplan-bench-") as tmp:
        work = args.workdir or Path(tmp)
        rows = bench(args.sizes, args.baseline_up_to, args.baseline_timeout, args.seed, work,
                     args.steps, args.baseline_memory_mb)
    exponent = growth_exponent(rows)
    print_table(rows, exponent)
    result = {"machine": {"python": platform.python_version(), "platform": platform.platform(),
                          "cpus": os.cpu_count()}, "steps": args.steps,
              "date": time.strftime("%Y-%m-%d"), "growth_exponent": exponent, "rows": rows}
    args.json.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    print(f"wrote {args.json}", file=sys.stderr)


if __name__ == "__main__":
    sys.path.insert(0, str(HERE.parent))
    main()
