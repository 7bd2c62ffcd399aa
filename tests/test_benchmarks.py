"""The benchmark's baseline (one yes/no per officer and unit) and the counting model agree;
the benchmark script runs on a tiny size so it cannot rot."""

from __future__ import annotations

import importlib
import json
import subprocess
import sys
from pathlib import Path

from hypothesis import HealthCheck, given, settings

from staffplan.plan import make_plan
from staffplan.results import Status
from tests.test_property import instances

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "benchmarks"))

solve_baseline = importlib.import_module("baseline").solve_baseline


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(instances(max_officers=14, max_units=9, max_posts=5))
def test_counting_model_and_baseline_find_the_same_minimum(scenario):
    status, moves, _, _, _ = solve_baseline(scenario)
    result = make_plan(scenario)
    if status is Status.INFEASIBLE:
        assert result.status is Status.INFEASIBLE
    else:
        assert status is Status.OPTIMAL
        assert result.status is Status.OPTIMAL and result.moves == moves


def test_benchmark_script_runs(tmp_path):
    out = tmp_path / "bench.json"
    subprocess.run([sys.executable, str(ROOT / "benchmarks" / "bench.py"), "--sizes", "200",
                    "--baseline-up-to", "200", "--json", str(out)], check=True,
                   capture_output=True, text=True)
    data = json.loads(out.read_text())
    [row] = data["rows"]
    assert row["status"] == "optimal" and row["same_optimum"] is True
    assert row["baseline"]["check_ok"] is True


def test_benchmark_help_describes_it_whole():
    r = subprocess.run([sys.executable, str(ROOT / "benchmarks" / "bench.py"), "--help"],
                       check=True, capture_output=True, text=True)
    head = r.stdout.split("\n\n")[1]  # the description, after the usage
    assert head.startswith("End-to-end benchmark")
    assert " ".join(head.split()).endswith("(benchmarks/baseline.py) where it finishes.")
    assert "--baseline-up-to N" in r.stdout and "smoke run" in r.stdout


def test_promotion_benchmark_script_runs(tmp_path):
    out = tmp_path / "promote.json"
    subprocess.run([sys.executable, str(ROOT / "benchmarks" / "promote.py"), "--sizes", "300",
                    "--repeat", "1", "--json", str(out)], check=True, capture_output=True,
                   text=True)
    data = json.loads(out.read_text())
    [row] = data["rows"]
    assert row["status"] == "optimal" and row["proven_optimal"] is True
    assert row["postings"] >= 9 * row["officers"] * 0.9  # about ten postings each
    assert data["machine"]["cpus"] >= 1


def test_benchmark_script_runs_steps(tmp_path):
    """A city over two yearly steps, planned together, beside the officer x unit x step
    baseline: the same minimum, and the baseline's plan passes the checker at every step."""
    out = tmp_path / "bench.json"
    subprocess.run([sys.executable, str(ROOT / "benchmarks" / "bench.py"), "--steps", "2",
                    "--sizes", "120", "--baseline-up-to", "120", "--baseline-timeout", "300",
                    "--json", str(out)], check=True, capture_output=True, text=True)
    data = json.loads(out.read_text())
    assert data["steps"] == 2
    [row] = data["rows"]
    assert row["steps"] == 2 and row["status"] == "optimal"
    assert row["baseline"]["status"] == "optimal" and row["baseline"]["check_ok"] is True
    assert len(row["baseline"]["moves_by_step"]) == 2
    assert sum(row["baseline"]["moves_by_step"]) == row["baseline"]["moves"]
    assert row["same_optimum"] is True
