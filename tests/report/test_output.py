"""--out holds one complete set from one run, whatever happens: an impossible run after a
good one, two runs at once, a run killed (kill -9) while writing or while swapping."""

from __future__ import annotations

import csv
import json
import subprocess
import sys
import textwrap
from pathlib import Path

from typer.testing import CliRunner

from staffplan.cli import app
from staffplan.report.output import PLAN_FILES, write_set
from tests.conftest import officer, small_county, write_scenario

ROOT = Path(__file__).resolve().parent.parent.parent
runner = CliRunner()


def _scenario(folder: Path, prefix: str, impossible: bool = False) -> Path:
    officers = [officer(f"{prefix}{i}", "H1", hired=f"200{i}-01-01") for i in range(6)]
    if impossible:
        officers = [officer(f"{prefix}{i}", "H1", pinned="yes") for i in range(6)]
    return write_scenario(folder, small_county(), officers,
                          {"staff_every_post": True, "community_share": 0.5}, name=prefix)


def _consistent(out: Path) -> str:
    """The set in ``out`` is one run's: every file names the same scenario. Returns it."""
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    name = summary["scenario"]
    names = {p.name for p in out.iterdir() if not p.name.startswith(".")}
    if summary["status"] in ("optimal", "feasible"):
        rows = list(csv.DictReader((out / "assignments.csv").open(encoding="utf-8-sig")))
        assert {r["officer_id"][0] for r in rows} == {name}
        assert {"assignments.csv", "approvals.csv", "plan.xlsx"} <= names
    else:
        assert not names & {"assignments.csv", "approvals.csv", "plan.xlsx", "report.html"}
    assert not [p for p in out.parent.iterdir() if ".staffplan-new-" in p.name
                or ".staffplan-old-" in p.name]  # no orphan left beside it
    return name


def test_an_impossible_run_leaves_no_old_plan_beside_its_summary(tmp_path):
    out = tmp_path / "out"
    r = runner.invoke(app, ["plan", str(_scenario(tmp_path / "a", "A")), "--out", str(out),
                            "--report"])
    assert r.exit_code == 0, r.output
    (out / "notes.txt").write_text("mine", encoding="utf-8")  # the user's: kept
    (out / "sweep").mkdir()
    (out / "sweep" / "sweep.csv").write_text("x", encoding="utf-8")
    r = runner.invoke(app, ["plan", str(_scenario(tmp_path / "b", "B", impossible=True)),
                            "--out", str(out)])
    assert r.exit_code == 1
    assert _consistent(out) == "B"
    assert sorted(p.name for p in out.iterdir()) == ["notes.txt", "summary.json", "sweep"]
    assert (out / "sweep" / "sweep.csv").read_text(encoding="utf-8") == "x"


def test_concurrent_runs_never_mix_their_files(tmp_path):
    out = tmp_path / "out"
    paths = [_scenario(tmp_path / p, p) for p in "AB"]
    for _ in range(4):
        procs = [subprocess.Popen([sys.executable, "-m", "staffplan", "plan", str(p), "--out",
                                   str(out), "-q"], cwd=ROOT, stdout=subprocess.DEVNULL,
                                  stderr=subprocess.PIPE) for p in paths]
        for p in procs:
            assert p.wait(timeout=120) == 0, p.stderr.read()
        assert _consistent(out) in ("A", "B")


KILLER = textwrap.dedent("""
    import os, signal, sys
    from pathlib import Path
    from staffplan.report import output

    mode, out = sys.argv[1], Path(sys.argv[2])

    def die():
        os.kill(os.getpid(), signal.SIGKILL)

    class Bomb(str):  # dies while the set is being written
        def encode(self, *a, **k):
            die()

    def dying(name, at):  # os.<name> dies right after its call number ``at``
        real, calls = getattr(os, name), []

        def call(a, b):
            real(a, b)
            calls.append(a)
            if len(calls) == at:
                die()

        setattr(output.os, name, call)

    files = {n: f"new {n}" for n in output.PLAN_FILES}
    if mode in ("in place", "staged"):
        output._swap_set = lambda *a: False  # as on a mount point
    if mode in ("write", "staged"):
        files["plan.xlsx"] = Bomb("x")
    elif mode == "move":  # dies after moving the user's first file into the staged folder
        dying("rename", 1)
    elif mode == "swap":  # dies between the two renames of a swap (no atomic exchange)
        output._exchange = lambda a, b: False
        real = os.rename

        def rename(a, b):
            if Path(b) == out:  # the staged folder to the folder's name
                die()
            real(a, b)

        output.os.rename = rename
    elif mode == "in place":  # dies after the commit, one file in place, the others not
        dying("replace", 2)
    output.write_set(out, files, output.PLAN_FILES)
""")


def _old_set(out: Path) -> None:
    write_set(out, {n: f"old {n}" for n in PLAN_FILES}, PLAN_FILES)
    (out / "mine.txt").write_text("mine", encoding="utf-8")


def _set_is(out: Path, which: str) -> None:
    assert {p.name for p in out.iterdir() if not p.name.startswith(".")} \
        == set(PLAN_FILES) | {"mine.txt"}
    for name in PLAN_FILES:
        assert (out / name).read_text(encoding="utf-8") == f"{which} {name}"
    assert (out / "mine.txt").read_text(encoding="utf-8") == "mine"


def _left(out: Path) -> list[str]:
    """What a run left beside ``out`` or in it (hidden: staged folders, files not yet put)."""
    return [p.name for p in [*out.parent.iterdir(), *out.iterdir()] if ".staffplan-" in p.name
            and not p.name.endswith("-lock")] if out.is_dir() else ["(no folder)"]


def test_a_run_killed_while_writing_or_swapping_leaves_the_old_set(tmp_path):
    for mode in ("write", "move", "swap", "staged", "in place"):
        out = tmp_path / mode / "out"
        _old_set(out)
        r = subprocess.run([sys.executable, "-c", KILLER, mode, str(out)], cwd=ROOT, check=False)
        assert r.returncode == -9
        assert _left(out) or not out.exists()  # what the killed run left
        if mode in ("write", "staged"):
            _set_is(out, "old")  # untouched (files not yet put in place are hidden)
        elif mode == "move":
            assert not (out / "mine.txt").exists()  # in the staged folder, for a moment
        elif mode == "swap":
            assert not out.exists()  # killed between the renames: the next run repairs it
        else:  # killed after its commit: the journal says so, the next run finishes it
            assert (out / ".staffplan-commit").exists()
            assert {(out / n).read_text(encoding="utf-8")[:3] for n in PLAN_FILES} \
                == {"old", "new"}
        write_set(out, {"summary.json": "next"}, ())  # any run: it repairs, then writes
        assert (out / "summary.json").read_text(encoding="utf-8") == "next"
        assert not _left(out)  # cleaned up
        assert (out / "mine.txt").read_text(encoding="utf-8") == "mine"  # never lost
        expected = "new" if mode == "in place" else "old"
        for name in set(PLAN_FILES) - {"summary.json"}:
            assert (out / name).read_text(encoding="utf-8") == f"{expected} {name}"


def test_out_below_a_file_or_at_the_working_folder_is_exit_2(tmp_path, monkeypatch):
    path = _scenario(tmp_path / "a", "A")
    (tmp_path / "file").write_text("x", encoding="utf-8")
    r = runner.invoke(app, ["plan", str(path), "--out", str(tmp_path / "file" / "out")])
    assert r.exit_code == 2 and "file" in r.stderr, r.output
    monkeypatch.chdir(tmp_path / "a")
    r = runner.invoke(app, ["plan", "scenario.yaml", "--out", "."])
    assert r.exit_code == 2 and "working folder" in r.stderr
    assert not (tmp_path / "a" / "summary.json").exists()


def test_a_set_replaces_another_commands_set_and_keeps_the_users_files(tmp_path):
    from staffplan.report.output import PROMOTION_FILES, SWEEP_FILES

    out = tmp_path / "out"
    write_set(out, {n: "sweep" for n in SWEEP_FILES})
    (out / "mine.txt").write_text("mine")
    write_set(out, {"assignments.csv": "plan", "summary.json": "plan"})
    assert {p.name for p in out.iterdir()} == {"assignments.csv", "summary.json", "mine.txt"}
    write_set(out, {n: "promotions" for n in PROMOTION_FILES})
    assert {p.name for p in out.iterdir()} == set(PROMOTION_FILES) | {"mine.txt"}


def test_the_workbook_written_beside_is_the_same(tmp_path, monkeypatch):
    """plan.xlsx from a process of its own (large plans) is the workbook written here."""
    from staffplan.check import check
    from staffplan.io.roster import load_scenario
    from staffplan.plan import make_plan
    from staffplan.report import output
    from staffplan.report.excel import plan_workbook

    s = load_scenario(_scenario(tmp_path / "s", "W"))
    result, before = make_plan(s), check(s)
    monkeypatch.setattr(output, "BESIDE_FROM", 0)
    output.write_plan(tmp_path / "out", result, before, html=False)
    assert (tmp_path / "out" / "plan.xlsx").read_bytes() == plan_workbook(result, before)


def test_a_failure_beside_is_a_bug_and_nothing_is_written(tmp_path, monkeypatch):
    from staffplan.beside import WorkerFailed
    from staffplan.check import check
    from staffplan.io.roster import load_scenario
    from staffplan.plan import make_plan
    from staffplan.report import excel, output

    s = load_scenario(_scenario(tmp_path / "s", "F"))
    result, before = make_plan(s), check(s)
    monkeypatch.setattr(output, "BESIDE_FROM", 0)

    def broken(*_):
        raise ZeroDivisionError

    monkeypatch.setattr(excel, "plan_workbook", broken)
    import pytest

    with pytest.raises(WorkerFailed, match="ZeroDivisionError") as caught:
        output.write_plan(tmp_path / "out", result, before, html=False)
    assert caught.value.exit_code == 3 and not (tmp_path / "out").exists()


# --- Where the folder cannot be swapped; modes and owners; read-only files -----------------
# Run as root, these also run what an unprivileged user meets (setpriv), mount points (a
# tmpfs) and immutable files (chattr); each is skipped where the system does not allow it.

import functools  # noqa: E402
import os  # noqa: E402
import shutil  # noqa: E402
import site  # noqa: E402
import stat  # noqa: E402
import tempfile  # noqa: E402

import pytest  # noqa: E402

from staffplan.errors import OutputError  # noqa: E402
from staffplan.report.output import SWEEP_FILES, write_file  # noqa: E402

NOBODY = 65534
as_root = pytest.mark.skipif(os.geteuid() != 0, reason="needs root (chown, mount, chattr)")


def _mode(path: Path) -> int:
    return stat.S_IMODE(os.lstat(path).st_mode)


def _hidden(out: Path) -> list[str]:
    """Anything a run left in the folder or beside it (a staged folder, a file not yet in
    place, a journal); the lock file beside it stays, by design."""
    beside = [p.name for p in out.parent.iterdir()
              if ".staffplan-" in p.name and not p.name.endswith("-lock")]
    inside = [p.name for p in out.iterdir() if ".staffplan-" in p.name] if out.is_dir() else []
    return beside + inside


def _chattr(flags: str, path: Path) -> bool:
    if shutil.which("chattr") is None:
        return False
    return subprocess.run(["chattr", flags, str(path)], capture_output=True).returncode == 0


@pytest.fixture
def shared():
    """A folder every user can reach (tmp_path's parents are root's, 0700); flags undone and
    removed afterwards."""
    folder = Path(tempfile.mkdtemp(prefix="staffplan-test-", dir="/tmp"))
    os.chmod(folder, 0o755)
    yield folder
    if shutil.which("chattr"):
        subprocess.run(["chattr", "-R", "-i", "-a", str(folder)], capture_output=True)
    shutil.rmtree(folder)


@functools.cache
def _python_for_nobody() -> str | None:
    """An interpreter the unprivileged user can run that imports staffplan."""
    if os.geteuid() != 0 or shutil.which("setpriv") is None:
        return None
    v = sys.version_info
    for exe in dict.fromkeys([sys.executable, getattr(sys, "_base_executable", sys.executable),
                              f"/usr/bin/python{v.major}.{v.minor}",
                              f"/usr/local/bin/python{v.major}.{v.minor}"]):
        if os.path.exists(exe) and _as_nobody_with(exe, "import staffplan.report.output") \
                .returncode == 0:
            return exe
    return None


def _as_nobody_with(exe: str, code: str, *args: str) -> subprocess.CompletedProcess:
    path = os.pathsep.join([str(ROOT), *site.getsitepackages()])
    return subprocess.run(["setpriv", f"--reuid={NOBODY}", f"--regid={NOBODY}",
                           "--clear-groups", exe, "-c", code, *args], cwd="/",
                          env={**os.environ, "PYTHONPATH": path}, capture_output=True,
                          text=True, timeout=120)


NOBODY_WRITES = textwrap.dedent("""
    import sys
    from pathlib import Path
    from staffplan.errors import OutputError
    from staffplan.report.output import write_set

    try:
        write_set(Path(sys.argv[1]), {"assignments.csv": "new", "summary.json": "new"})
    except OutputError as exc:
        print(exc, file=sys.stderr)
        sys.exit(exc.exit_code)
""")


def _as_nobody(out: Path) -> subprocess.CompletedProcess:
    exe = _python_for_nobody()
    if exe is None:
        pytest.skip("no interpreter the unprivileged user can run (or not root, or no setpriv)")
    return _as_nobody_with(exe, NOBODY_WRITES, str(out))


def _old_folder(out: Path) -> None:
    """An old set, the user's file and folder."""
    out.mkdir(parents=True, exist_ok=True)
    for name in ("assignments.csv", "plan.xlsx", "summary.json"):
        (out / name).write_text("old", encoding="utf-8")
    (out / "mine.txt").write_text("mine", encoding="utf-8")
    (out / "sweep").mkdir(exist_ok=True)
    (out / "sweep" / "sweep.csv").write_text("x", encoding="utf-8")


def _new_set_with_mine(out: Path) -> None:
    """The new set (assignments.csv, summary.json), no file of the old one, the user's kept,
    nothing hidden left."""
    assert sorted(p.name for p in out.iterdir()) == ["assignments.csv", "mine.txt", "summary.json",
                                                     "sweep"]
    assert (out / "assignments.csv").read_text(encoding="utf-8") == "new"
    assert (out / "mine.txt").read_text(encoding="utf-8") == "mine"
    assert (out / "sweep" / "sweep.csv").read_text(encoding="utf-8") == "x"
    assert not _hidden(out)


def _write_new(out: Path) -> None:
    write_set(out, {"assignments.csv": "new", "summary.json": "new"})


def test_the_folder_keeps_its_mode_owner_and_attributes_and_a_file_the_mode_it_replaces(
        tmp_path):
    umask = os.umask(0o027)
    try:
        out = tmp_path / "out"
        _old_folder(out)
        (out / "approvals.csv").write_text("old", encoding="utf-8")
        os.chmod(out / "approvals.csv", 0o600)
        os.chmod(out, 0o2751)
        attrs = True
        try:
            os.setxattr(out, "user.staffplan", b"folder")
            os.setxattr(out / "approvals.csv", "user.staffplan", b"file")
        except OSError:
            attrs = False  # a file system without user attributes
        if os.geteuid() == 0:
            os.chown(out, NOBODY, NOBODY)
            os.chown(out / "approvals.csv", NOBODY, 100)
        before = os.stat(out)
        write_set(out, {"approvals.csv": "new", "report.html": "new"})
        after = os.stat(out)
        assert after.st_ino != before.st_ino  # swapped
        assert _mode(out) == 0o2751 and (after.st_uid, after.st_gid) == (before.st_uid,
                                                                           before.st_gid)
        assert _mode(out / "approvals.csv") == 0o600  # was 0644 (the umask's) before
        assert _mode(out / "report.html") == 0o640  # new: 0666 less the umask
        assert (out / "mine.txt").exists() and not _hidden(out)
        if os.geteuid() == 0:
            st = os.stat(out / "approvals.csv")
            assert (st.st_uid, st.st_gid) == (NOBODY, 100)
            assert os.stat(out / "report.html").st_gid == NOBODY  # the setgid folder's
        if attrs:
            assert os.getxattr(out, "user.staffplan") == b"folder"
            assert os.getxattr(out / "approvals.csv", "user.staffplan") == b"file"
        write_set(tmp_path / "new", {"summary.json": "{}"})
        assert _mode(tmp_path / "new") == 0o750  # a new folder: the umask's
    finally:
        os.umask(umask)


def test_a_file_written_alone_keeps_its_mode_and_owner(tmp_path):
    path = tmp_path / "approvals.csv"
    path.write_text("old", encoding="utf-8")
    os.chmod(path, 0o600)
    if os.geteuid() == 0:
        os.chown(path, NOBODY, NOBODY)
    link = tmp_path / "link.csv"
    link.symlink_to(path)
    write_file(link, "new")
    assert link.is_symlink() and path.read_text(encoding="utf-8") == "new"
    assert _mode(path) == 0o600
    if os.geteuid() == 0:
        assert os.stat(path).st_uid == NOBODY
    write_file(tmp_path / "fresh.csv", "x")
    assert _mode(tmp_path / "fresh.csv") == 0o666 & ~_umask()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["approvals.csv", "fresh.csv",
                                                          "link.csv"]


def _umask() -> int:
    umask = os.umask(0)
    os.umask(umask)
    return umask


def test_a_read_only_file_or_folder_is_refused_whoever_runs(tmp_path):
    """Root may write over a 0444 file; the user marked it read-only: exit 2, untouched."""
    path = tmp_path / "approvals.csv"
    path.write_text("old", encoding="utf-8")
    os.chmod(path, 0o444)
    with pytest.raises(OutputError, match="read-only"):
        write_file(path, "new")
    out = tmp_path / "out"
    _old_folder(out)
    os.chmod(out / "plan.xlsx", 0o444)  # a file the new set would remove
    with pytest.raises(OutputError, match="plan.xlsx.*read-only"):
        _write_new(out)
    assert (out / "plan.xlsx").read_text(encoding="utf-8") == "old"
    assert (out / "assignments.csv").read_text(encoding="utf-8") == "old" and not _hidden(out)
    os.chmod(out / "plan.xlsx", 0o644)
    os.chmod(out / "mine.txt", 0o444)  # the user's, not the set's: kept as it is
    os.chmod(out, 0o555)
    try:
        with pytest.raises(OutputError, match="out: cannot write here: it is read-only"):
            _write_new(out)
    finally:
        os.chmod(out, 0o755)
    _write_new(out)
    _new_set_with_mine(out)
    assert _mode(out / "mine.txt") == 0o444


def test_read_only_outputs_are_exit_2_through_the_command_line(tmp_path):
    scenario = _scenario(tmp_path / "s", "A")
    for name in ("check.json", "approvals.csv", "report.html"):
        (tmp_path / name).write_text("old", encoding="utf-8")
        os.chmod(tmp_path / name, 0o444)
    for args in (["check", scenario, "--output", tmp_path / "check.json", "-f", "json"],
                 ["check", scenario, "--approvals", tmp_path / "approvals.csv"],
                 ["report", scenario, "--out", tmp_path / "report.html"]):
        r = runner.invoke(app, [str(a) for a in args])
        assert r.exit_code == 2 and "read-only" in r.stderr, r.output
    out = tmp_path / "out"
    _old_folder(out)
    os.chmod(out / "assignments.csv", 0o444)
    r = runner.invoke(app, ["plan", str(scenario), "--out", str(out)])
    assert r.exit_code == 2 and f"{out / 'assignments.csv'}" in r.stderr, r.output
    for name in ("check.json", "approvals.csv", "report.html"):
        assert (tmp_path / name).read_text(encoding="utf-8") == "old"
    assert (out / "summary.json").read_text(encoding="utf-8") == "old" and not _hidden(out)


@as_root
def test_a_mount_point_is_written_in_place(tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    if subprocess.run(["mount", "-t", "tmpfs", "-o", "mode=0751,size=16m", "staffplan-test",
                       str(out)], capture_output=True).returncode != 0:
        pytest.skip("cannot mount a tmpfs here")
    try:
        _old_folder(out)
        _write_new(out)  # the rename of a mount point: EBUSY; written in place
        _new_set_with_mine(out)
        assert os.path.ismount(out) and _mode(out) == 0o751
        write_set(out, {n: "sweep" for n in SWEEP_FILES})  # another command's set
        assert sorted(p.name for p in out.iterdir()) == sorted([*SWEEP_FILES, "mine.txt",
                                                                "sweep"])
        assert not _hidden(out)
    finally:
        subprocess.run(["umount", str(out)], check=True)
    # A mount point among the user's entries cannot be moved: written in place too.
    _old_folder(out)
    subprocess.run(["mount", "-t", "tmpfs", "-o", "size=1m", "staffplan-test",
                    str(out / "sweep")], check=True)
    try:
        (out / "sweep" / "sweep.csv").write_text("x", encoding="utf-8")
        _write_new(out)
        _new_set_with_mine(out)
        assert os.path.ismount(out / "sweep")
    finally:
        subprocess.run(["umount", str(out / "sweep")], check=True)
    # A bind mount on the same file system (not seen as a mount point: os.path.ismount is
    # False): the user's files are moved, the exchange fails (EBUSY), they move back.
    source, out = tmp_path / "source", tmp_path / "bound"
    _old_folder(source)
    out.mkdir()
    subprocess.run(["mount", "--bind", str(source), str(out)], check=True)
    try:
        _write_new(out)
        _new_set_with_mine(out)
    finally:
        subprocess.run(["umount", str(out)], check=True)
    _new_set_with_mine(source)


@as_root
def test_immutable_folders_and_files(tmp_path):
    out = tmp_path / "parent" / "out"
    _old_folder(out)
    if not _chattr("+i", out):
        pytest.skip("no chattr +i on this file system")
    try:  # the folder itself: refused, untouched
        with pytest.raises(OutputError, match="out: cannot write here: it is read-only"):
            _write_new(out)
    finally:
        _chattr("-i", out)
    assert (out / "summary.json").read_text(encoding="utf-8") == "old" and not _hidden(out)
    assert _chattr("+a", out)
    try:  # append-only: the same
        with pytest.raises(OutputError, match="read-only"):
            _write_new(out)
    finally:
        _chattr("-a", out)
    assert _chattr("+i", out / "plan.xlsx")
    try:  # a file of the old set: refused, untouched
        with pytest.raises(OutputError, match="plan.xlsx: cannot write here: it is read-only"):
            _write_new(out)
    finally:
        _chattr("-i", out / "plan.xlsx")
    assert (out / "summary.json").read_text(encoding="utf-8") == "old" and not _hidden(out)
    assert _chattr("+i", out / "mine.txt")
    try:  # a file of the user's, that cannot be moved: written in place, it stays
        _write_new(out)
        _new_set_with_mine(out)
    finally:
        _chattr("-i", out / "mine.txt")
    _old_folder(out)
    (out / "plan.xlsx").unlink()
    assert _chattr("+i", out.parent)
    try:  # the parent: nothing can be staged beside the folder (nor a lock): in place
        _write_new(out)
        _new_set_with_mine(out)
        assert sorted(p.name for p in out.parent.iterdir()) == ["out"]  # no lock file either
    finally:
        _chattr("-i", out.parent)


@as_root
def test_what_an_unprivileged_user_meets(shared):
    sticky = shared / "tmp"
    sticky.mkdir()
    os.chmod(sticky, 0o1777)  # /tmp: anyone writes, no one renames another's folder
    out = sticky / "out"
    _old_folder(out)
    os.chmod(out, 0o777)
    r = _as_nobody(out)
    assert r.returncode == 0, r.stderr
    _new_set_with_mine(out)
    assert os.stat(out).st_uid == 0 and _mode(out) == 0o777  # still root's folder
    assert os.stat(out / "mine.txt").st_uid == 0

    fixed = shared / "fixed"  # a parent the user cannot write, a folder that is the user's
    out = fixed / "out"
    _old_folder(out)
    for p in (out, *out.rglob("*")):
        os.chown(p, NOBODY, NOBODY)
    r = _as_nobody(out)
    assert r.returncode == 0, r.stderr  # was refused: nothing could be staged beside it
    _new_set_with_mine(out)
    assert sorted(p.name for p in fixed.iterdir()) == ["out"]

    mine = shared / "mine"  # the user's parent, root's folder open to all: the owner stays
    out = mine / "out"
    _old_folder(out)
    os.chmod(out, 0o777)
    os.chown(mine, NOBODY, NOBODY)
    r = _as_nobody(out)
    assert r.returncode == 0, r.stderr
    _new_set_with_mine(out)
    assert os.stat(out).st_uid == 0

    out = sticky / "closed"  # root's folder the user cannot write: exit 2 naming it
    _old_folder(out)
    r = _as_nobody(out)
    assert r.returncode == 2 and f"{out}: cannot write here: Permission denied" in r.stderr
    assert sorted(p.name for p in out.iterdir()) == ["assignments.csv", "mine.txt", "plan.xlsx",
                                                     "summary.json", "sweep"]
    assert (out / "summary.json").read_text(encoding="utf-8") == "old" and not _hidden(out)


IN_PLACE_RUNS = textwrap.dedent("""
    import sys
    from pathlib import Path
    from staffplan.report import output

    output._swap_set = lambda *a: False  # as on a mount point
    out, tag = Path(sys.argv[1]), sys.argv[2]
    for _ in range(15):
        output.write_set(out, {n: f"{tag} {n}" for n in output.PLAN_FILES}, output.PLAN_FILES)
""")


def test_concurrent_runs_in_place_never_mix_their_files(tmp_path):
    out = tmp_path / "out"
    _old_set(out)
    for _ in range(2):
        procs = [subprocess.Popen([sys.executable, "-c", IN_PLACE_RUNS, str(out), tag],
                                  cwd=ROOT, stderr=subprocess.PIPE) for tag in "AB"]
        for p in procs:
            assert p.wait(timeout=120) == 0, p.stderr.read()
        tags = {(out / n).read_text(encoding="utf-8").split()[0] for n in PLAN_FILES}
        assert len(tags) == 1 and not _hidden(out)
        assert (out / "mine.txt").read_text(encoding="utf-8") == "mine"


def test_a_journal_names_nothing_outside_its_folder(tmp_path):
    out = tmp_path / "out"
    _old_folder(out)
    (tmp_path / "victim").write_text("v", encoding="utf-8")
    (out / ".staffplan-commit").write_text('{"write": ["x"], "remove": ["../victim"]}',
                                           encoding="utf-8")
    (out / ".staffplan-new.assignments.csv").write_text("half", encoding="utf-8")
    _write_new(out)
    _new_set_with_mine(out)
    assert (tmp_path / "victim").read_text(encoding="utf-8") == "v"


def test_the_working_folder_is_written_in_place_where_the_caller_allows_it(tmp_path,
                                                                            monkeypatch):
    out = tmp_path / "out"
    _old_folder(out)
    monkeypatch.chdir(out / "sweep")
    with pytest.raises(OutputError, match="working folder"):
        _write_new(out)
    write_set(out, {"assignments.csv": "new", "summary.json": "new"}, here=True)
    _new_set_with_mine(out)
    assert Path.cwd() == out / "sweep"  # the shell's folder was not moved away


def test_a_file_the_command_line_replaces_keeps_its_mode_and_owner(tmp_path):
    scenario = _scenario(tmp_path / "s", "A")
    for name in ("check.json", "approvals.csv", "report.html"):
        (tmp_path / name).write_text("old", encoding="utf-8")
        os.chmod(tmp_path / name, 0o600)
        if os.geteuid() == 0:
            os.chown(tmp_path / name, NOBODY, NOBODY)
    for args in (["check", scenario, "--output", tmp_path / "check.json", "-f", "json"],
                 ["check", scenario, "--approvals", tmp_path / "approvals.csv"],
                 ["report", scenario, "--out", tmp_path / "report.html"]):
        r = runner.invoke(app, [str(a) for a in args])
        assert r.exit_code in (0, 1), r.output
    for name in ("check.json", "approvals.csv", "report.html"):
        assert (tmp_path / name).read_text(encoding="utf-8") != "old"
        assert _mode(tmp_path / name) == 0o600
        if os.geteuid() == 0:
            assert os.stat(tmp_path / name).st_uid == NOBODY


@pytest.mark.parametrize("below", ["", "sub"])
def test_a_ring_of_links_as_out_is_named_not_a_staged_folder(tmp_path, below):
    scenario = _scenario(tmp_path / "s", "A")
    (tmp_path / "loop").symlink_to("loop")
    out = tmp_path / "loop" / below if below else tmp_path / "loop"
    r = runner.invoke(app, ["plan", str(scenario), "--out", str(out), "-q"])
    assert r.exit_code == 2
    assert f"{out}: cannot write here: Too many levels of symbolic links" in r.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["loop", "s"]
