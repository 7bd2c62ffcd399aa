"""Resource exhaustion (issue 10, D): each class of input that once ran out of memory or
time ends quickly with exit 2 and a clear message. Each case runs the command line in a
fresh process, measures its time and peak memory (RSS), and checks them against generous
bounds (these machines are noisy): the point is minutes and gigabytes before, seconds and
tens of megabytes after."""

from __future__ import annotations

import os
import re
import struct
import subprocess
import sys
import time
import zipfile
from datetime import datetime
from pathlib import Path

import pytest

from staffplan.report.xlsx import Sheet, workbook
from tests.conftest import officer, small_county, write_scenario

ROOT = Path(__file__).resolve().parent.parent
TIME_LIMIT = 60.0  # seconds; each case takes about one
MEMORY_LIMIT = 600  # MB of peak RSS; each case takes well under 150

# Runs the command line and reports its own peak RSS on stderr when it exits (VmHWM: the
# high-water mark of this program only; ru_maxrss would carry the parent's over exec).
WRAP = ("import atexit, re, sys\n"
        "atexit.register(lambda: sys.stderr.write('\\nPEAK_KB=' + re.search("
        "r'VmHWM:\\s*(\\d+)', open('/proc/self/status').read()).group(1) + '\\n'))\n"
        "sys.argv = ['staffplan', *sys.argv[1:]]\n"
        "from staffplan.cli import main\n"
        "main()\n")


@pytest.fixture
def scenario(tmp_path):
    officers = [officer(f"H{i}", "H1") for i in range(4)] + [officer("S", "S1")]
    return write_scenario(tmp_path / "s", small_county(), officers, {"staff_every_post": True})


def run(command: str, *rest, expect: int = 2) -> str:
    start = time.perf_counter()
    r = subprocess.run([sys.executable, "-c", WRAP, command, *map(str, rest)], cwd=ROOT,
                       capture_output=True, text=True, timeout=TIME_LIMIT * 3, check=False,
                       env={**os.environ, "STAFFPLAN_LANG": "en"})
    seconds = time.perf_counter() - start
    peak = int(re.search(r"PEAK_KB=(\d+)", r.stderr).group(1)) / 1024
    print(f"{command} {' '.join(map(str, rest))[:70]}: {seconds:.2f} s, {peak:.0f} MB, "
          f"exit {r.returncode}")
    assert r.returncode == expect, r.stderr
    assert "Traceback" not in r.stderr and "internal error" not in r.stderr
    assert seconds < TIME_LIMIT, seconds
    assert peak < MEMORY_LIMIT, peak
    return r.stderr


def test_a_yaml_anchor_bomb(scenario):
    """1.2 KB of anchors under an unknown key: 9^9 values once expanded."""
    bomb = ["  a0: &a0 [x, x, x, x, x, x, x, x, x]"]
    for i in range(1, 10):
        bomb.append(f"  a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 9) + "]")
    scenario.write_text(scenario.read_text(encoding="utf-8") + "unknown:\n" + "\n".join(bomb)
                        + "\n", encoding="utf-8")
    assert len(scenario.read_bytes()) < 2000
    err = run("check", scenario)
    assert "expands to more than 500,000 values" in err


@pytest.mark.parametrize("where", ["scenario", "extends"])
def test_a_scenario_or_extends_at_dev_zero(scenario, where):
    if where == "extends":
        scenario.write_text("extends: /dev/zero\n" + scenario.read_text(encoding="utf-8"),
                            encoding="utf-8")
        err = run("plan", scenario, "--out", scenario.parent / "out")
    else:
        err = run("plan", "/dev/zero", "--out", scenario.parent / "out")
    assert "/dev/zero: not a regular file (a character device)" in err
    assert not (scenario.parent / "out").exists()


def test_a_big_file(scenario):
    """A roster of 300 MB (sparse: nothing is written to disk) is refused unread."""
    with (scenario.parent / "officers.csv").open("r+b") as f:
        f.truncate(300 * 1024 * 1024)
    err = run("check", scenario)
    assert "officers.csv: the file is larger than 256 MB" in err


def test_an_xlsx_with_a_stray_cell_at_xfd1048576(scenario):
    import xlsxwriter

    path = scenario.parent / "officers.xlsx"
    book = xlsxwriter.Workbook(str(path))
    ws = book.add_worksheet("roster")
    for j, h in enumerate(["id", "name", "unit"]):
        ws.write_string(0, j, h)
    ws.write_row(1, 0, ["H0", "x", "H1"])
    ws.write_string(1048575, 16383, "stray")
    book.close()
    assert path.stat().st_size < 10_000
    scenario.write_text(scenario.read_text(encoding="utf-8").replace("officers.csv",
                                                                     "officers.xlsx"),
                        encoding="utf-8")
    err = run("check", scenario)
    assert "the sheet has data beyond column ALL (at most 1000)" in err


def test_an_xlsx_zip_bomb(scenario):
    """A workbook whose sheet unpacks to 2.9 GB (sizes from its zip directory, which the
    unzipping enforces) is refused before anything is unpacked."""
    path = scenario.parent / "officers.xlsx"
    path.write_bytes(workbook([Sheet("roster", ["id", "unit"], [["H0", "H1"]])],
                              datetime(2021, 6, 30)))
    data = bytearray(path.read_bytes())
    with zipfile.ZipFile(path) as z:
        info = z.getinfo("xl/worksheets/sheet1.xml")
    # The central directory entry of the sheet: its uncompressed size becomes 2.9 GB.
    name = info.filename.encode()
    at = 0
    while True:
        at = data.find(b"PK\x01\x02", at)
        if data[at + 46: at + 46 + len(name)] == name:
            break
        at += 4
    struct.pack_into("<I", data, at + 24, 0xB0000000)
    path.write_bytes(bytes(data))
    scenario.write_text(scenario.read_text(encoding="utf-8").replace("officers.csv",
                                                                     "officers.xlsx"),
                        encoding="utf-8")
    err = run("check", scenario)
    assert "the workbook unpacks to more than 1,024 MB" in err


def test_a_billion_recruits(scenario):
    err = run("plan", scenario, "--out", scenario.parent / "out",
              "--set", "changes.recruits.B1=1000000000")
    assert "1,000,000,000 recruits is too many: at most 10,000" in err


def test_a_sweep_of_two_huge_axes(scenario):
    err = run("sweep", scenario, "--vary", "rules.community_share=0:1:0.0002",
              "--vary", "rules.staff_every_post=true,false", "--out", scenario.parent / "sw")
    assert "10,002 grid points is too many (at most 10,000)" in err
    err = run("sweep", scenario, "--vary", "rules.community_share=0:1:0.00001",
              "--out", scenario.parent / "sw")
    assert "100,001 values is too many" in err


def test_compare_with_a_hundred_thousand_workers(scenario):
    other = scenario.parent / "other.yaml"
    other.write_text(scenario.read_text(encoding="utf-8").replace("name: test", "name: other"),
                     encoding="utf-8")
    err = run("compare", scenario, other, "-j", "100000", expect=0)
    assert re.search(r"-j 100000: using \d+ worker\(s\), the number of cores", err)


def _roster_lines(scenario) -> list[str]:
    return (scenario.parent / "officers.csv").read_text(encoding="utf-8").splitlines()


def test_a_csv_of_100000_columns(scenario):
    """Once 28-57 s, 100,000 note lines and up to gigabytes (a near-miss check and a note for
    each column; every value kept): one problem, before the rows are read."""
    lines = _roster_lines(scenario)
    extra = 100_000 - len(lines[0].split(","))
    lines = [lines[0] + "," + ",".join(f"x{i}" for i in range(extra))] + \
        [line + "," * extra for line in lines[1:]]
    (scenario.parent / "officers.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    err = run("check", scenario)
    assert "officers.csv, row 1: 100,000 columns, more than the 1,000 staffplan reads" in err
    assert len(err.splitlines()) < 10


def test_a_csv_of_3_million_empty_lines(scenario):
    """Once a list of 3 million empty rows (and 200 million: exit 3, out of memory)."""
    with (scenario.parent / "officers.csv").open("a", encoding="utf-8") as f:
        f.write("\n" * 3_000_000)
    err = run("check", scenario)
    assert "officers.csv: 3,000,00" in err and "lines (blank ones too), more than a header and " \
        "the 2,000,000 rows staffplan reads" in err


@pytest.mark.parametrize("quoted", [True, False])
def test_a_csv_value_of_50_mb(scenario, quoted):
    """One value of 50 MB in the name column, on a line that ends or not (once 1.7 GB for
    200 MB: the whole text copied at 4 bytes a character, and a message naming no column)."""
    value = "x" * (50 * 1024 * 1024)
    lines = _roster_lines(scenario)
    cells = lines[2].split(",")
    cells[1] = f'"{value}"' if quoted else value
    text = "\n".join(lines[:2] + [",".join(cells)] + lines[3:]) + "\n"
    if not quoted:  # the value ends the file, without a line end
        text = "\n".join(lines[:2]) + "\n" + ",".join(cells[:2])
    (scenario.parent / "officers.csv").write_text(text, encoding="utf-8")
    err = run("check", scenario)
    assert ("officers.csv, row 3, column name: a value longer than 131,072 characters, far "
            "longer than any staffplan reads") in err


def test_a_csv_line_of_50_million_fields(scenario):
    with (scenario.parent / "officers.csv").open("a", encoding="utf-8") as f:
        f.write("," * 50_000_000)
    err = run("check", scenario)
    assert "officers.csv, row 7: a line longer than 1,000,000 characters" in err
