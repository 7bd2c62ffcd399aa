"""End-to-end benchmark of `staffplan promote`: wall time, CPU time and peak \
memory of a fresh process
(start-up, reading the roster and the posting history, years of experience, the staged
integer program, the re-check, and writing promotions.csv, promotions.xlsx, promotions.html
and summary.json) on generated cities with 10 postings per officer.

    python benchmarks/promote.py                    # 100,000 officers, about a million postings
    python benchmarks/promote.py --sizes 2000 20000 100000 --repeat 3

Prints a table and writes JSON (default benchmarks/promote-results.json). Figures are for
reading, never asserted: machines are noisy. The goal is under 10 s at 100,000 officers.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent


def measure(cmd: list[str]) -> dict:
    """Run ``cmd`` in a child that reports its wall time, its CPU time (user + system: what
    other processes on a busy machine change least) and its peak memory."""
    wrapper = (
        "import json, resource, subprocess, sys, time\n"
        "t = time.perf_counter()\n"
        f"p = subprocess.run({cmd!r}, capture_output=True, text=True)\n"
        "wall = time.perf_counter() - t\n"
        "u = resource.getrusage(resource.RUSAGE_CHILDREN)\n"
        "print(json.dumps({'rc': p.returncode, 'wall_s': wall, 'cpu_s': u.ru_utime + u.ru_stime,"
        " 'peak_mb': u.ru_maxrss / 1024, 'stdout': p.stdout, 'stderr': p.stderr[-2000:]}))\n"
    )
    p = subprocess.run([sys.executable, "-c", wrapper], capture_output=True, text=True,
                       check=True)
    return json.loads(p.stdout)


def machine() -> dict:
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as f:
            cpu = next(line.split(":", 1)[1].strip() for line in f
                       if line.startswith("model name"))
    except (OSError, StopIteration):
        cpu = platform.processor()
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else None
    return {"python": platform.python_version(), "platform": platform.platform(),
            "cpus": os.cpu_count(), "cpu": cpu, "load_average_1min": load}


def _lines(path: Path) -> int:
    with path.open("rb") as f:
        return sum(1 for _ in f)


def bench(sizes: list[int], postings: int, repeat: int, seed: int, workdir: Path) -> list[dict]:
    from staffplan.generate import write_instance

    rows = []
    for n in sizes:
        d = workdir / f"city-{n}"
        write_instance(d, officers=n, seed=seed, postings=postings)
        officers = _lines(d / "officers.csv") - 1
        history = _lines(d / "history.csv") - 1
        runs = []
        for _ in range(repeat):
            run = measure([sys.executable, "-m", "staffplan", "promote",
                           str(d / "promotions.yaml"), "--out", str(d / "out"), "--format",
                           "json", "--quiet"])
            if run["rc"] != 0:
                raise SystemExit(f"staffplan promote failed on {n} officers:\n{run['stderr']}")
            runs.append(run)
        summary = json.loads(runs[-1]["stdout"])
        walls = [r["wall_s"] for r in runs]
        cpus = [r["cpu_s"] for r in runs]
        row = {"officers": officers, "postings": history, "status": summary["status"],
               "proven_optimal": summary["proven_optimal"],
               "unique_before_ids": summary["unique_before_ids"],
               "listed": summary["listed"], "variables": summary["model"]["variables"],
               "constraints": summary["model"]["constraints"],
               "wall_s": round(statistics.median(walls), 3),
               "wall_runs_s": [round(w, 3) for w in walls],
               "cpu_s": round(statistics.median(cpus), 3),
               "load_average_1min": os.getloadavg()[0] if hasattr(os, "getloadavg") else None,
               "peak_mb": round(max(r["peak_mb"] for r in runs), 1),
               "timing_s": summary["timing_seconds"]}
        rows.append(row)
        print(f"  {officers:>7} officers, {history:>8} postings: {row['wall_s']:.2f} s wall, "
              f"{row['cpu_s']:.2f} s CPU (medians of {repeat}), {row['peak_mb']:.0f} MB",
              file=sys.stderr)
    return rows


def print_table(rows: list[dict]) -> None:
    from rich.console import Console
    from rich.table import Table

    t = Table(title="staffplan promote, end to end (fresh process each)")
    for c in ["officers", "postings", "variables", "constraints", "listed", "status",
              "wall s", "CPU s", "peak MB", "inside: read / solve / check"]:
        t.add_column(c, justify="right")
    for r in rows:
        inside = r["timing_s"]
        t.add_row(f"{r['officers']:,}", f"{r['postings']:,}", f"{r['variables']:,}",
                  f"{r['constraints']:,}", f"{r['listed']:,}",
                  r["status"] + (" (proven)" if r["proven_optimal"] else ""),
                  f"{r['wall_s']:.2f}", f"{r['cpu_s']:.2f}", f"{r['peak_mb']:.0f}",
                  f"{inside.get('experience', 0) + inside.get('build', 0):.2f} / "
                  f"{inside.get('solve', 0):.2f} / {inside.get('check', 0):.2f}")
    Console(width=150).print(t)


def main(argv=None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", type=int, nargs="+", default=[100000])
    ap.add_argument("--postings", type=int, default=10, help="postings per officer")
    ap.add_argument("--repeat", type=int, default=3, help="runs per size (the median is shown)")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--json", type=Path, default=HERE / "promote-results.json")
    ap.add_argument("--workdir", type=Path, default=None)
    args = ap.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="staffplan-promote-") as tmp:
        rows = bench(args.sizes, args.postings, args.repeat, args.seed,
                     args.workdir or Path(tmp))
    print_table(rows)
    result = {"machine": machine(), "date": time.strftime("%Y-%m-%d"), "rows": rows}
    args.json.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    print(json.dumps(result["machine"]))


if __name__ == "__main__":
    main()
