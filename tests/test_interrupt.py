"""Ctrl-C or SIGTERM while HiGHS solves stops the run: exit 130, nothing written (HiGHS once
swallowed the signal and returned as if a time limit had stopped it)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from staffplan import solve
from staffplan.io.roster import load_scenario
from staffplan.model import build_model, placement

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM])
def test_a_signal_inside_highs_stops_the_solve(signum):
    s = load_scenario(ROOT / "examples" / "lianyungang" / "scenario.yaml")
    model = build_model(s, placement(s))
    model.prob.setObjective(model.moves)
    sent = []

    def progress(_message):  # called by HiGHS, from inside its run
        if not sent:
            sent.append(time.perf_counter())
            os.kill(os.getpid(), signum)

    previous = signal.signal(signal.SIGTERM, lambda *_: None)  # a handler like the CLI's
    try:
        with pytest.raises(KeyboardInterrupt):
            solve.run(model.prob, "highs", progress=progress)
    finally:
        signal.signal(signal.SIGTERM, previous)
    assert sent
    assert signal.getsignal(signal.SIGINT) is signal.default_int_handler  # restored


def test_ctrl_c_during_a_big_solve_exits_130_and_writes_nothing(tmp_path):
    city = tmp_path / "city"
    subprocess.run([sys.executable, "-m", "staffplan", "generate", str(city), "-n", "50000"],
                   check=True, capture_output=True)
    out = tmp_path / "out"
    # Moves across bureaus make the city one problem (per bureau it would be many small
    # ones, each over in a blink): a long solve to interrupt.
    p = subprocess.Popen([sys.executable, "-m", "staffplan", "plan", str(city / "scenario.yaml"),
                          "--out", str(out), "--lang", "en",
                          "--set", "rules.stay_in_bureau=false"], cwd=ROOT,
                         stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    lines = []
    for line in p.stderr:
        lines.append(line)
        if "solving for the fewest moves" in line:
            time.sleep(0.2)
            p.send_signal(signal.SIGINT)
            break
    rest = p.stderr.read()
    assert p.wait(timeout=120) == 130, "".join(lines) + rest
    assert "time limit" not in rest and "Traceback" not in rest
    assert "interrupted; nothing more was written" in rest  # typer alone would exit silently
    assert not out.exists() or not any(out.iterdir())


def test_import_staffplan_loads_nothing_before_the_entry_point():
    """The console script imports ``staffplan`` and ``staffplan.entry`` before the entry point
    can answer Ctrl-C: they must load nothing more (the API's modules once took 0.3 s here,
    and Ctrl-C in that time printed a traceback)."""
    code = ("import sys, staffplan, staffplan.entry\n"
            "print(sorted(m for m in sys.modules if m.split('.')[0] == 'staffplan'))")
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT,
                       timeout=60)
    assert r.stdout.split() == ["['staffplan',", "'staffplan.entry']"], r.stdout + r.stderr


def test_the_api_names_are_the_functions_even_after_the_submodules_load():
    import staffplan
    import staffplan.check  # noqa: F401  (the submodule named like the function)
    from staffplan import check, load_scenario, make_plan

    assert callable(check) and check.__module__ == "staffplan.check"
    assert staffplan.check is check
    assert load_scenario.__name__ == "load_scenario" and make_plan.__name__ == "make_plan"


def test_ctrl_c_while_the_command_line_imports_exits_130_without_a_traceback():
    code = ("import os, signal, sys\n"
            "class Stop:  # Ctrl-C just as typer starts to load\n"
            "    def find_spec(self, name, path=None, target=None):\n"
            "        if name == 'typer':\n"
            "            os.kill(os.getpid(), signal.SIGINT)\n"
            "sys.meta_path.insert(0, Stop())\n"
            "sys.argv = ['staffplan', 'check', '--help', '--lang', 'en']\n"
            "from staffplan.entry import main\n"
            "main()\n")
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT,
                       timeout=60)
    assert r.returncode == 130, r.stderr
    assert "Traceback" not in r.stderr and "interrupted" in r.stderr
    assert r.stdout == ""
