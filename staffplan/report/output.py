"""Writing what a run produces: each file whole or not at all, a plan's files as one set.

A plan's files (assignments.csv, approvals.csv, plan.xlsx, summary.json, report.html) go to
``--out`` as one set: after any run the folder holds the set of one run, the new one or the
old one untouched, never a mix. :func:`write_set`:

1. locks the folder against other staffplan runs (``fcntl.flock`` on ``.NAME.staffplan-lock``
   beside it; a second run waits for the first to finish writing);
2. cleans up what a killed run (``kill -9``) left: staged folders ``.NAME.staffplan-*``
   beside it. If the folder itself is missing (killed between two renames), the previous
   set is put back;
3. writes the whole new set into a staged sibling folder ``.NAME.staffplan-new-*``;
4. swaps it in with one atomic ``renameat2(RENAME_EXCHANGE)`` (two renames where the file
   system cannot exchange);
5. moves anything else the old folder held (files or folders that are not staffplan's, a
   ``sweep/`` folder for example) into the new one, and removes the old set: the files of
   any staffplan set (:data:`SET_FILES`), so a sweep written where a plan was leaves no
   plan file beside it, and a plan none of a sweep's.

Anything that is not one of the plan's files is never deleted, even after a kill.
"""

from __future__ import annotations

import ctypes
import errno
import os
import tempfile
import time
from pathlib import Path

from staffplan.errors import OutputError
from staffplan.i18n import t
from staffplan.results import CheckReport, PlanResult

PLAN_FILES = ("assignments.csv", "approvals.csv", "plan.xlsx", "summary.json", "report.html",
              "changed.csv")
SWEEP_FILES = ("sweep.csv", "sweep.png", "sweep.html")
PROMOTION_FILES = ("promotions.csv", "promotions.xlsx", "promotions.html", "summary.json")
# Every file a staffplan set may hold: a run replaces all of them, so a folder never holds
# one command's new set beside another's old files (a sweep's chart beside a plan).
SET_FILES = tuple(dict.fromkeys(PLAN_FILES + SWEEP_FILES + PROMOTION_FILES))
LOCK_WAIT = 300.0  # seconds a run waits for another to finish writing the same folder
BESIDE_FROM = 20_000  # officer-steps from which plan.xlsx is written in a process of its own


def write_plan(out: Path, result: PlanResult, before: CheckReport, *, html: bool) -> list[Path]:
    """The plan's files in ``out``: assignments.csv, approvals.csv, plan.xlsx, summary.json
    (and report.html). Without a plan, only summary.json, which says why."""
    from staffplan.report.files import approvals_csv, assignments_csv, summary_dict, to_json

    files: dict[str, str | bytes] = {}
    workbook = None
    try:
        if result.status.has_plan:
            from staffplan.beside import Beside
            from staffplan.report.excel import plan_workbook

            # The workbook (the longest to write) beside the other files, where the plan is
            # large enough for a process to pay (100,000 officers x 3 steps: 5 s saved).
            rows = sum(len(step.scenario.officers) for step in result.steps)
            workbook = Beside("writing plan.xlsx", plan_workbook, result, before) \
                if rows >= BESIDE_FROM else None
            files["assignments.csv"] = assignments_csv(result)
            if result.published is not None:
                from staffplan.report.files import changed_csv

                files["changed.csv"] = changed_csv(result)
            files["approvals.csv"] = approvals_csv(result.report, result.scenario)
            if html:
                from staffplan.report.html import plan_report

                files["report.html"] = plan_report(result, before)
            files["plan.xlsx"] = workbook.result() if workbook is not None \
                else plan_workbook(result, before)
        files["summary.json"] = to_json(summary_dict(result, before))
    finally:
        if workbook is not None:
            workbook.stop()
    write_set(out, files)
    return [out / name for name in sorted(files, key=lambda n: n == "report.html")]


def write_set(out: Path, files: dict[str, str | bytes],
              owned: tuple[str, ...] = SET_FILES) -> None:
    """Put ``files`` (name -> content) into the folder ``out`` as one set, replacing the
    files named in ``owned`` there (by default any staffplan set's: see the module's
    documentation)."""
    out = Path(os.path.abspath(out))
    if out.is_symlink():
        out = Path(os.path.realpath(out))
    cwd = Path.cwd()
    if out == cwd or out in cwd.parents:
        raise OutputError(out, t("out_is_cwd"))
    if out.exists() and not out.is_dir():
        raise OutputError(out, t("out_not_folder"))
    parent = out.parent
    try:
        parent.mkdir(parents=True, exist_ok=True)
        with _locked(parent / f".{out.name}.staffplan-lock", out):
            _recover(out, owned)
            staged = Path(tempfile.mkdtemp(prefix=f".{out.name}.staffplan-new-", dir=parent))
            try:
                umask = os.umask(0)
                os.umask(umask)
                # The folder keeps its mode (mkdtemp's is 0700); a new one gets the umask's.
                mode = out.stat().st_mode & 0o7777 if out.is_dir() else 0o777 & ~umask
                os.chmod(staged, mode)
                for name, data in files.items():
                    with open(staged / name, "wb") as f:
                        f.write(data.encode("utf-8") if isinstance(data, str) else data)
                _swap_in(staged, out, owned)
            except BaseException:
                _dispose(staged, out, owned)
                raise
    except OSError as exc:
        where = Path(exc.filename) if exc.filename else out
        if where.parent.name.startswith(f".{out.name}.staffplan-"):
            where = out / where.name  # the staged folder is ours: name the user's
        raise OutputError(where, exc) from None


class _locked:
    """An exclusive lock on ``path`` (created beside the folder; left there, empty)."""

    def __init__(self, path: Path, out: Path):
        self.path, self.out = path, out

    def __enter__(self):
        import fcntl

        self.fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        start = time.monotonic()
        while True:
            try:
                fcntl.flock(self.fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                return self
            except BlockingIOError:
                if time.monotonic() - start > LOCK_WAIT:
                    os.close(self.fd)
                    raise OutputError(self.out, t("out_locked", seconds=int(LOCK_WAIT))) from None
                time.sleep(0.05)

    def __exit__(self, *exc):
        os.close(self.fd)  # releases the lock
        return False


def _orphans(out: Path) -> list[Path]:
    prefix = f".{out.name}.staffplan-"
    return sorted(p for p in out.parent.iterdir()
                  if p.name.startswith(prefix) and not p.name.endswith("-lock") and p.is_dir())


def _recover(out: Path, owned: tuple[str, ...]) -> None:
    """What a killed run left beside ``out``: with the lock held, no live run owns these."""
    orphans = _orphans(out)
    if not out.exists():
        old = [p for p in orphans if p.name.startswith(f".{out.name}.staffplan-old-")]
        if old:
            os.rename(old[-1], out)  # killed between the two renames: the old set goes back
            orphans.remove(old[-1])
    for p in orphans:
        _dispose(p, out, owned)


def _dispose(folder: Path, out: Path, owned: tuple[str, ...]) -> None:
    """Remove a staged or replaced set: its own files go; anything else moves into ``out``
    (or, if ``out`` has that name already, stays where it is, with the folder)."""
    if not folder.exists():
        return
    for entry in list(folder.iterdir()):
        if entry.name in owned and not entry.is_dir():
            entry.unlink()
        elif out.is_dir() and not os.path.lexists(out / entry.name):
            os.rename(entry, out / entry.name)
    try:
        folder.rmdir()
    except OSError:
        pass  # something of the user's is left in it: never deleted


def _swap_in(staged: Path, out: Path, owned: tuple[str, ...]) -> None:
    if not out.exists():
        try:
            os.rename(staged, out)
            return
        except OSError as exc:
            if exc.errno not in (errno.EEXIST, errno.ENOTEMPTY):
                raise
    if _exchange(staged, out):
        old = staged  # the old set now lives at the staged path
    else:
        old = Path(tempfile.mkdtemp(prefix=f".{out.name}.staffplan-old-", dir=out.parent))
        os.rmdir(old)
        os.rename(out, old)
        os.rename(staged, out)
    _dispose(old, out, owned)


def _exchange(a: Path, b: Path) -> bool:
    """Swap two paths atomically (Linux ``renameat2`` with ``RENAME_EXCHANGE``); False where
    the system or the file system cannot."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        renameat2 = libc.renameat2
    except (OSError, AttributeError):
        return False
    renameat2.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p,
                          ctypes.c_uint]
    at_fdcwd, rename_exchange = -100, 2
    if renameat2(at_fdcwd, os.fsencode(a), at_fdcwd, os.fsencode(b), rename_exchange) == 0:
        return True
    err = ctypes.get_errno()
    if err in (errno.EINVAL, errno.ENOSYS, errno.EOPNOTSUPP, errno.ENOTSUP):
        return False
    raise OSError(err, os.strerror(err), str(b))


# --- Before any work: is an output path one that can be written, and not one of the inputs?

def scenario_inputs(scenario, *extra) -> dict[str, str]:
    """The files a scenario reads (path -> what it is): the scenario file and what it
    extends, the units and officers files, the changes' files, and ``extra`` paths."""
    c = scenario.config
    named = {"units": c.units, "officers": c.officers,
             "changes.recruits_file": c.changes.recruits_file,
             "changes.retire_file": c.changes.retire_file}
    out: dict[str, str] = {}
    if getattr(c, "promotions", None) is not None:
        named["promotions.history"] = c.promotions.history
    for what, path in named.items():
        if path is not None:
            out[str(path)] = what
    for path in (scenario.provenance.files if scenario.provenance else []):
        out[str(path)] = "scenario"
    if scenario.source:
        out[str(scenario.source)] = "scenario"
    for path in extra:
        if path is not None:
            out[str(path)] = "input"
    return out


def _same(a: Path, b: Path) -> bool:
    try:
        return os.path.samefile(a, b)
    except OSError:
        return os.path.abspath(a) == os.path.abspath(b)


def check_target(path: Path, inputs: dict[str, str], folder: bool = False,
                 names: tuple[str, ...] = ()) -> None:
    """Refuse an output path before any work: a file path that is a folder (or below a
    file), a folder path that is a file, or a path (``names`` inside a folder) that is one of
    the ``inputs`` (path -> what it is)."""
    path = Path(path)
    if folder:
        if path.exists() and not path.is_dir():
            raise OutputError(path, t("out_not_folder"))
        targets = [path / n for n in names]
    else:
        if path.is_dir():
            raise OutputError(path, IsADirectoryError(errno.EISDIR, os.strerror(errno.EISDIR)))
        targets = [path]
    for target in targets:
        for p in (target, *target.parents):
            if p.exists() and not p.is_dir() and p != target:
                raise OutputError(p, NotADirectoryError(errno.ENOTDIR,
                                                        os.strerror(errno.ENOTDIR)))
        for src, what in inputs.items():
            if _same(target, Path(src)):
                raise OutputError(target, t("is_input", what=what))
