"""End-to-end benchmark: `staffplan plan` wall time and peak memory by roster size, beside
the obvious officer x unit model (benchmarks/baseline.py) where it finishes.

    python benchmarks/bench.py                      # 5,000 / 20,000 / 100,000 officers
    python benchmarks/bench.py --sizes 300 --baseline-up-to 300 --json /tmp/b.json   # smoke run

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


def measure(cmd: list[str], timeout: float | None) -> dict:
    """Run cmd in a child that reports its own wall time and peak memory."""
    wrapper = (
        "import json, resource, subprocess, sys, time\n"
        "t = time.perf_counter()\n"
        "try:\n"
        f"    p = subprocess.run({cmd!r}, capture_output=True, text=True, timeout={timeout!r})\n"
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


def bench(sizes: list[int], baseline_up_to: int, baseline_timeout: float, seed: int,
          workdir: Path) -> list[dict]:
    from staffplan.generate import write_instance

    rows = []
    for n in sizes:
        d = workdir / f"city-{n}"
        write_instance(d, officers=n, seed=seed)
        scenario = d / "scenario.yaml"
        officers = sum(1 for _ in open(d / "officers.csv", encoding="utf-8")) - 1
        units = sum(1 for _ in open(d / "units.csv", encoding="utf-8")) - 1
        run = measure([sys.executable, "-m", "staffplan", "plan", str(scenario), "--out",
                       str(d / "out"), "--format", "json", "--quiet"], timeout=None)
        if run["rc"] != 0:
            raise SystemExit(f"staffplan plan failed on {n} officers:\n{run['stderr']}")
        summary = json.loads(run["stdout"])
        row = {"officers": officers, "units": units, "status": summary["status"],
               "moves": summary["objective"], "gap": summary["gap"],
               "wall_s": round(run["wall_s"], 3), "peak_mb": round(run["peak_mb"], 1),
               "timing_s": summary["timing_seconds"]}
        if n <= baseline_up_to:
            code = BASELINE_CODE.format(here=str(HERE), scenario=str(scenario))
            base = measure([sys.executable, "-c", code], timeout=baseline_timeout)
            if base["rc"] == 0:
                b = json.loads(base["stdout"])
                row["baseline"] = {"status": b["status"], "moves": b["moves"],
                                   "check_ok": b["check_ok"], "wall_s": round(base["wall_s"], 3),
                                   "peak_mb": round(base["peak_mb"], 1)}
                row["same_optimum"] = b["moves"] == summary["objective"]
                row["speedup"] = round(base["wall_s"] / run["wall_s"], 1)
            else:
                row["baseline"] = {"status": "timeout" if base["rc"] is None else "failed",
                                   "wall_s": round(base["wall_s"], 3),
                                   "peak_mb": round(base["peak_mb"], 1)}
        rows.append(row)
        print(f"  {officers:>7} officers: {row['wall_s']:.2f} s, {row['peak_mb']:.0f} MB"
              + (f"; baseline {row['baseline']['wall_s']:.1f} s" if "baseline" in row else ""),
              file=sys.stderr)
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

    t = Table(title="staffplan plan, end to end (fresh process each)")
    for c in ["officers", "units", "status", "moves", "wall s", "ms / 1k officers", "peak MB",
              "baseline s", "baseline MB", "same optimum", "speed-up"]:
        t.add_column(c, justify="right")
    for r in rows:
        b = r.get("baseline", {})
        t.add_row(str(r["officers"]), str(r["units"]), r["status"], str(r["moves"]),
                  f"{r['wall_s']:.2f}", f"{1000 * r['wall_s'] / r['officers'] * 1000:.0f}",
                  f"{r['peak_mb']:.0f}",
                  f"{b['wall_s']:.1f}" + (" (timeout)" if b.get("status") == "timeout" else "")
                  if b else "-", f"{b['peak_mb']:.0f}" if b else "-",
                  str(r.get("same_optimum", "-")), f"{r['speedup']}x" if "speedup" in r else "-")
    if exponent is not None:
        t.caption = f"time grows as officers^{exponent:.2f} (1.00 = linear)"
    Console(width=150).print(t)


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
    ap.add_argument("--json", type=Path, default=HERE / "results.json", metavar="FILE",
                    help="write the results here (default: benchmarks/results.json)")
    ap.add_argument("--workdir", type=Path, default=None, metavar="DIR",
                    help="keep the generated cities and plans here (default: a temporary "
                         "folder)")
    args = ap.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="staffplan-bench-") as tmp:
        work = args.workdir or Path(tmp)
        rows = bench(args.sizes, args.baseline_up_to, args.baseline_timeout, args.seed, work)
    exponent = growth_exponent(rows)
    print_table(rows, exponent)
    result = {"machine": {"python": platform.python_version(), "platform": platform.platform(),
                          "cpus": os.cpu_count()},
              "date": time.strftime("%Y-%m-%d"), "growth_exponent": exponent, "rows": rows}
    args.json.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    print(f"wrote {args.json}", file=sys.stderr)


if __name__ == "__main__":
    sys.path.insert(0, str(HERE.parent))
    main()
