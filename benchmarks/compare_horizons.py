"""Compare the planner with the officer x unit x step baseline on many random horizons
without stopping at the first disagreement: the property test's instances
(``tests/test_property_horizon.py``), counted by outcome, every disagreement saved as JSON
(units, officers, scenario, more files) to load again with ``--replay``.

    python benchmarks/compare_horizons.py --examples 5000 --seed 1 --save /tmp/disagree
    python benchmarks/compare_horizons.py --replay /tmp/disagree/0001.json
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import traceback
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main(argv=None) -> None:
    sys.path.insert(0, str(ROOT))
    from hypothesis import HealthCheck, given, seed, settings

    from tests.test_property_horizon import compare, horizons, load

    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--examples", type=int, default=1000)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--save", type=Path, default=None, help="folder for disagreements")
    ap.add_argument("--replay", type=Path, default=None, help="one saved disagreement")
    args = ap.parse_args(argv)

    def one(instance) -> tuple[str, str]:
        with tempfile.TemporaryDirectory(prefix="staffplan-compare-") as tmp:
            try:
                figures = compare(load(*instance, Path(tmp)))
            except Exception as exc:  # noqa: BLE001 (a disagreement or a crash: what, where)
                last = traceback.extract_tb(exc.__traceback__)[-1]
                first = (str(exc).splitlines() or [""])[0][:160]
                return "disagree", (f"{type(exc).__name__} at {Path(last.filename).name}:"
                                    f"{last.lineno}: {first}")
        return figures["status"], "brute force" if figures["brute"] else ""

    if args.replay is not None:
        data = json.loads(args.replay.read_text(encoding="utf-8"))
        print(one((data["units"], data["officers"], data["config"], data["files"])))
        return
    tally: Counter = Counter()
    kinds: Counter = Counter()
    saved = [0]

    @seed(args.seed)
    @settings(max_examples=args.examples, deadline=None, database=None,
              suppress_health_check=list(HealthCheck))
    @given(horizons())
    def run(instance):
        outcome, note = one(instance)
        tally[outcome] += 1
        if note == "brute force":
            tally["brute force run"] += 1
        if outcome == "disagree":
            kinds[note] += 1
            if args.save is not None:
                args.save.mkdir(parents=True, exist_ok=True)
                saved[0] += 1
                units, officers, config, files = instance
                (args.save / f"{saved[0]:04d}.json").write_text(json.dumps(
                    {"why": note, "units": units, "officers": officers, "config": config,
                     "files": files}, indent=1, default=str), encoding="utf-8")

    run()
    print(json.dumps({"seed": args.seed, "examples": sum(tally[k] for k in
                                                          ("optimal", "infeasible", "disagree")),
                      "outcomes": dict(tally), "disagreements": dict(kinds)}, indent=1))


if __name__ == "__main__":
    main()
