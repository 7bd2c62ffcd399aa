"""A fuzz of every reader through the command line: units and officers CSV, .xlsx, the
scenario YAML and plan files, random and mutated. The only outcomes allowed are exit 0, 1
or 2, never an exception (exit 3), and no partial output: exit 2 writes nothing, exit 1
writes only summary.json, exit 0 the whole set."""

from __future__ import annotations

import shutil
import tempfile
from datetime import datetime
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from staffplan.cli import app
from staffplan.report.output import PLAN_FILES
from staffplan.report.xlsx import Sheet, workbook
from tests.conftest import officer, small_county, write_scenario
from tests.hostile_strings import ALL

runner = CliRunner()
FUZZ = settings(max_examples=30, deadline=None,
                suppress_health_check=[HealthCheck.function_scoped_fixture,
                                       HealthCheck.too_slow])

OFFICERS = [officer(f"H{i}", "H1", hired="2001-02-03") for i in range(4)] + [
    officer("S", "S1"), officer("P", "P1", community_since="2015-01-01", pinned="yes"),
    officer("B", "H1", home_unit="S1"), officer("R", "", bureau="B1")]
RULES = {"staff_every_post": True, "community_share": 0.4, "min_community_tenure_years": 3,
         "return_borrowed": True}


def _base() -> Path:
    folder = Path(tempfile.mkdtemp(prefix="staffplan-fuzz-"))
    return write_scenario(folder / "s", small_county(), OFFICERS, RULES)


# Mutations of a file's bytes: what a careless edit or a hostile file does.
PIECES = st.sampled_from([b",", b'"', b"\n", b"\r\n", b"", b"\x00", b"\xff\xfe", b"\xe9",
                          b"=1+1", b"2021-02-30", b"9999-12-31", b"-1", b"1e308", b"&a ", b"*a",
                          b"{", b"[", b": ", b"- ", b"\t", b"yes", b"H1", b"B1", b"P1", b"\\",
                          *(s.encode("utf-8", "surrogatepass") for s in ALL[:20])])


@st.composite
def mutated(draw, data: bytes) -> bytes:
    out = bytearray(data)
    for _ in range(draw(st.integers(0, 6))):
        kind = draw(st.sampled_from(["insert", "delete", "replace", "cut"]))
        at = draw(st.integers(0, len(out)))
        if kind == "insert":
            out[at:at] = draw(PIECES)
        elif kind == "delete":
            del out[at:at + draw(st.integers(1, 20))]
        elif kind == "replace":
            out[at:at + 1] = draw(PIECES)
        else:
            del out[at:]
    return bytes(out)


def _outcome(args: list, out: Path | None = None, output: Path | None = None) -> int:
    r = runner.invoke(app, [str(a) for a in args])
    assert r.exception is None or isinstance(r.exception, SystemExit), repr(r.exception)
    assert r.exit_code in (0, 1, 2), r.output
    assert "Traceback" not in r.output
    if out is not None:
        written = sorted(p.name for p in out.iterdir()) if out.exists() else []
        if r.exit_code == 2:
            assert written == []
        elif r.exit_code == 1:
            assert written == ["summary.json"]
        else:
            assert {"assignments.csv", "approvals.csv", "plan.xlsx", "summary.json"} == \
                set(written) & set(PLAN_FILES)
    if output is not None and r.exit_code == 2:
        assert not output.exists()
    return r.exit_code


def _plan(scenario: Path) -> int:
    out = scenario.parent / "out"
    try:
        return _outcome(["plan", scenario, "--out", out, "-q", "--lang", "en"], out=out)
    finally:
        shutil.rmtree(scenario.parent.parent, ignore_errors=True)


@FUZZ
@given(st.data())
def test_units_and_officers_csv(data):
    scenario = _base()
    name = data.draw(st.sampled_from(["units.csv", "officers.csv"]))
    path = scenario.parent / name
    path.write_bytes(data.draw(mutated(path.read_bytes())))
    _plan(scenario)


@FUZZ
@given(st.binary(max_size=300))
def test_random_bytes_as_a_roster(blob):
    scenario = _base()
    (scenario.parent / "officers.csv").write_bytes(blob)
    _plan(scenario)


@FUZZ
@given(st.data())
def test_scenario_yaml(data):
    scenario = _base()
    text = scenario.read_bytes() + b"changes:\n  recruits: {B1: 2}\n  close_units: [P2]\n"
    scenario.write_bytes(data.draw(mutated(text)))
    _plan(scenario)


CELLS = st.one_of(st.none(), st.sampled_from(ALL), st.integers(-10**12, 10**12),
                  st.floats(allow_nan=True, allow_infinity=True),
                  st.dates(), st.booleans(), st.sampled_from(["H1", "S1", "P1", "B1", ""]))


@FUZZ
@given(st.lists(st.lists(CELLS, max_size=12), max_size=8), st.data())
def test_officers_xlsx(rows, data):
    scenario = _base()
    header = ["id", "name", "unit", "home_unit", "community_since", "hired", "pinned",
              "move_approved", "bureau"]
    book = workbook([Sheet("roster", header, [[f"X{i}", *r] for i, r in enumerate(rows)])],
                    datetime(2021, 6, 30))
    if data.draw(st.booleans()):
        book = data.draw(mutated(book))
    (scenario.parent / "officers.xlsx").write_bytes(book)
    text = scenario.read_text(encoding="utf-8").replace("officers.csv", "officers.xlsx")
    scenario.write_text(text, encoding="utf-8")
    _plan(scenario)


@FUZZ
@given(st.data())
def test_plan_files(data):
    scenario = _base()
    folder = scenario.parent
    try:
        assert _outcome(["plan", scenario, "--out", folder / "out", "-q"]) == 0
        plan = folder / "out" / "assignments.csv"
        proposed = folder / "proposed.csv"
        proposed.write_bytes(data.draw(mutated(plan.read_bytes())))
        report = folder / "report.json"
        _outcome(["check", scenario, "--assignments", proposed, "-f", "json", "--output",
                  report, "--approvals", folder / "approvals.csv"], output=report)
    finally:
        shutil.rmtree(folder.parent, ignore_errors=True)


def test_the_fuzz_starts_from_a_plan_that_works():
    """The unmutated inputs plan (exit 0): the fuzz mutates something that works."""
    scenario = _base()
    assert _plan(scenario) == 0

