"""Writing what a run produces: each file whole or not at all, a run's files as one set.

A run's files (a plan's: assignments.csv, approvals.csv, plan.xlsx, summary.json,
report.html; a sweep's; a promotion round's; the city ``generate`` writes) go to their folder
as one set: after any run, even one killed (``kill -9``) and the next one started, the folder
holds the set of one run, the new one or the old one, never a mix. :func:`write_set`:

1. locks the folder against other staffplan runs: ``fcntl.flock`` on ``.NAME.staffplan-lock``
   beside it (where it can be created; removed as the run lets go) and on the folder itself
   (so a run that cannot write beside the folder still excludes the others); a second run
   waits for the first;
2. finishes what a killed run left (see 5 and 6);
3. refuses, exit 2 naming the path, before anything is written: a folder, or a file of the
   old set that the run would replace or remove, that is read-only (no write permission bit
   at all, or ``chattr +i``/``+a``), whoever runs, root too: the user marked it so; and a
   file of the new set whose name is a folder there;
4. swaps the folder where it can: writes the whole new set into a staged sibling folder
   ``.NAME.staffplan-new-*`` that has the folder's mode, owner, group and extended
   attributes (ACLs), moves into it every entry of the folder that is not a set file (the
   user's: notes, a ``sweep/`` folder), swaps it in with one atomic
   ``renameat2(RENAME_EXCHANGE)`` (two renames where the file system cannot exchange) and
   removes the old set: the files of any staffplan set (``owned``: :data:`SET_FILES` by
   default), so a sweep written where a plan was leaves no plan file beside it;
5. writes in place where the swap cannot be done: the folder is a mount point or the working
   folder (or above it: the shell would be left in a removed folder; only where the caller
   allows it, else refused), it or its parent is immutable or cannot be written, the parent
   is sticky (``/tmp``) and the folder another user's, the staged folder cannot be given the
   folder's owner, group or attributes, an entry of the user's cannot be moved (a mount
   point, an immutable file, another user's file in a sticky folder). Which it is shows
   before the swap; what was moved for it goes back first. In place, each new file is
   written beside its name as ``.staffplan-new.NAME``, then the journal
   ``.staffplan-commit`` (whole or absent: a temporary file renamed) lists the files to put
   in place and the old set's files to remove; then each file is renamed over its name, the
   old ones removed, the journal removed. A run killed before the journal leaves the old set
   (the next run removes its temporary files); killed after it, the next run finishes it:
   the new set. Until then the journal in the folder says that the set is incomplete; and
   while the files are renamed (a few milliseconds) a reader may see some new and some old,
   where a swap changes them at one instant;
6. a hidden staged folder a killed run left beside the folder is removed by the next run:
   its set files deleted, anything of the user's moved back into the folder; if the kill
   came between the two renames, the previous folder is put back first.

Anything that is not a set file is never deleted, and never left outside the folder (after a
kill: once the next run has run). A new file gets the mode ``open()`` gives (0666 less the
umask); a file that replaces another keeps that one's mode, extended attributes, and owner
and group where permitted (root, or one's own file). The guarantees are against a killed
process, not a power cut (nothing is synced to disk).

A single file (``check --output``, ``--approvals``, ``report --out``): :func:`write_file`,
a temporary file beside it renamed over it (whole or absent), keeping the mode, owner and
attributes of the file it replaces; a read-only file (as above) is refused (exit 2), a device
or a pipe (``/dev/stdout``) is written into, never replaced.
"""

from __future__ import annotations

import errno
import fcntl
import json
import os
import secrets
import stat
import struct
import sys
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
NEW = ".staffplan-new."  # a file written in place, before it is renamed over its name
JOURNAL = ".staffplan-commit"  # in place: the set is committed, not yet all in place
# Why a swap cannot be done, where writing in place may be: a mount point (EBUSY, EXDEV), an
# immutable or sticky folder (EPERM), one that cannot be written (EACCES, EROFS).
CANNOT_SWAP = {errno.EBUSY, errno.EXDEV, errno.EPERM, errno.EACCES, errno.EROFS, errno.EINVAL,
               errno.ENOTSUP, errno.EOPNOTSUPP, errno.ENOSYS}


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


def write_set(out: Path, files: dict[str, str | bytes], owned: tuple[str, ...] = SET_FILES,
              *, here: bool = False) -> None:
    """Put ``files`` (name -> content) into the folder ``out`` as one set, replacing the
    files named in ``owned`` there (by default any staffplan set's: see the module's
    documentation). ``here``: the working folder (or one above it) is written in place,
    not refused."""
    owned = tuple(dict.fromkeys((*owned, *files)))  # a file the set writes is the set's
    out = Path(os.path.abspath(out))
    if out.is_symlink():
        out = Path(os.path.realpath(out))
    cwd = Path.cwd()
    in_place = out == cwd or out in cwd.parents
    if in_place and not here:
        raise OutputError(out, t("out_is_cwd"))
    if out.exists() and not out.is_dir():
        raise OutputError(out, t("out_not_folder"))
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        with _locked(out):
            _recover(out, owned)
            _refuse_read_only(out, files, owned)
            if not (out.is_dir() and (in_place or os.path.ismount(out))) \
                    and _swap_set(out, files, owned):
                return
            _write_in_place(out, files, owned)
    except OSError as exc:
        where = Path(exc.filename) if exc.filename else out
        if where.parent.name.startswith(f".{out.name}.staffplan-"):
            where = out / where.name  # the staged folder is ours: name the user's
        elif where.name.startswith((NEW, JOURNAL)):
            where = where.parent  # written in place: the folder would not take it
        raise OutputError(where, exc) from None


def write_file(path: Path, data: str | bytes) -> None:
    """Write one file so that it is either whole or absent: a temporary file beside it, then a
    rename. The file keeps the mode, owner and group (where permitted) and extended
    attributes of the one it replaces; a new one gets 0666 less the umask. A read-only file
    is refused; a device, a pipe or a terminal is written into. A path that cannot be written
    (a folder, below a file, no permission) is an :class:`~staffplan.errors.OutputError`
    naming it (exit 2)."""
    given = path = Path(path)
    if path.is_dir():
        raise OutputError(path, IsADirectoryError(errno.EISDIR, os.strerror(errno.EISDIR)))
    try:
        mode = os.stat(path).st_mode  # through symbolic links
    except OSError:
        mode = None
    if mode is not None and not stat.S_ISREG(mode):
        # A device, a pipe or a terminal (/dev/stdout, /dev/null, a FIFO): written into,
        # never replaced by a file.
        try:
            with open(path, "wb") as f:
                f.write(_bytes(data))
        except OSError as exc:
            raise OutputError(given, exc) from None
        return
    if path.is_symlink():
        path = Path(os.path.realpath(path))  # the link stays; the file it names is replaced
    if mode is not None and _read_only(path):
        raise OutputError(given, t("read_only"))
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise OutputError(exc.filename or path, exc) from None
    while True:
        tmp = path.parent / f".{path.name}.{secrets.token_hex(4)}.tmp"
        try:
            _new_file(tmp, data, _like(path))
            break
        except FileExistsError:
            continue
        except OSError as exc:
            raise OutputError(path, exc) from None
    try:
        os.replace(tmp, path)
    except BaseException as exc:
        os.unlink(tmp)
        if isinstance(exc, OSError):
            raise OutputError(path, exc) from None
        raise


# --- One file: its bytes, and the mode, owner and attributes of the one it replaces --------

def _bytes(data: str | bytes) -> bytes:
    return data.encode("utf-8") if isinstance(data, str) else data


def _umask() -> int:
    umask = os.umask(0)
    os.umask(umask)
    return umask


class _Like:
    """What a new file takes from the regular file it replaces."""

    def __init__(self, st: os.stat_result, attrs: dict[str, bytes]):
        self.mode, self.uid, self.gid, self.attrs = st.st_mode & 0o777, st.st_uid, st.st_gid, attrs


def _like(path: Path) -> _Like | None:
    """The regular file at ``path`` (not through a link), or None."""
    try:
        st = os.lstat(path)
    except OSError:
        return None
    return _Like(st, _attrs(path)) if stat.S_ISREG(st.st_mode) else None


def _attrs(path: Path) -> dict[str, bytes]:
    """Extended attributes (ACLs, ``user.*``), not ``security.*`` (the system labels a new
    file itself)."""
    if not hasattr(os, "listxattr"):
        return {}
    try:
        return {name: os.getxattr(path, name, follow_symlinks=False)
                for name in os.listxattr(path, follow_symlinks=False)
                if not name.startswith("security.")}
    except OSError:
        return {}


def _give_attrs(target: int | Path, attrs: dict[str, bytes]) -> None:
    for name, value in attrs.items():
        os.setxattr(target, name, value)


def _new_file(path: Path, data: str | bytes, like: _Like | None) -> None:
    """A new file at ``path`` holding ``data``, with the mode, owner and attributes of
    ``like`` (where permitted), else those open() gives (0666 less the umask, or what a
    default ACL of the folder says)."""
    mode = 0o666 if like is None else 0o600

    def opener(name, flags):  # "x": created here, never through a link
        return os.open(name, flags | os.O_NOFOLLOW | os.O_CLOEXEC, mode)

    with open(path, "xb", opener=opener) as f:
        try:
            f.write(_bytes(data))
            f.flush()
            if like is not None:
                _take(f.fileno(), like)
        except BaseException:
            os.unlink(path)
            raise


def _take(fd: int, like: _Like) -> None:
    """The new file open at ``fd`` takes the owner (where permitted), attributes and mode of
    the file it replaces."""
    st = os.fstat(fd)
    if (st.st_uid, st.st_gid) != (like.uid, like.gid):
        for uid, gid in ((like.uid, like.gid), (-1, like.gid)):
            try:
                os.fchown(fd, uid, gid)
                break
            except PermissionError:
                pass  # not root: another user's file becomes the writer's
    try:
        _give_attrs(fd, like.attrs)
    except OSError:
        pass  # an attribute only its owner or root may set
    os.fchmod(fd, like.mode)  # after chown, which may clear bits


FS_IOC_GETFLAGS = 0x80086601 if struct.calcsize("l") == 8 else 0x80046601
FS_IMMUTABLE_FL, FS_APPEND_FL = 0x10, 0x20


def _read_only(path: Path) -> bool:
    """Has the user marked this regular file or folder (not through a link) read-only: no
    write permission bit at all, or immutable or append-only (``chattr +i``, ``+a``)?"""
    try:
        st = os.lstat(path)
    except OSError:
        return False
    if not (stat.S_ISREG(st.st_mode) or stat.S_ISDIR(st.st_mode)):
        return False
    if not st.st_mode & 0o222:
        return True
    if not sys.platform.startswith("linux"):
        return False
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_NOFOLLOW | os.O_CLOEXEC)
    except OSError:
        return False  # cannot be read: whether it can be written shows when it is
    try:
        flags = struct.unpack("i", fcntl.ioctl(fd, FS_IOC_GETFLAGS, bytes(8))[:4])[0]
    except OSError:
        return False  # a file system without these flags
    finally:
        os.close(fd)
    return bool(flags & (FS_IMMUTABLE_FL | FS_APPEND_FL))


# --- A set: lock, recover, refuse, swap or write in place -----------------------------------

class _locked:
    """Exclusive locks: on ``.NAME.staffplan-lock`` beside the folder (created there, empty;
    skipped where it cannot be created) and on the folder itself. The run holding the lock
    file removes it before it lets go (no file is left beside the folder); a run that was
    waiting on it then finds its file gone and locks a new one."""

    def __init__(self, out: Path):
        self.out, self.fds, self.lock = out, [], None

    def __enter__(self):
        deadline = time.monotonic() + LOCK_WAIT
        path = self.out.parent / f".{self.out.name}.staffplan-lock"
        try:
            while (fd := _lock_file(path)) is not None:
                self.fds.append(fd)
                self._wait(fd, deadline)
                if _same_file(fd, path):
                    self.lock = (fd, path)
                    break
                os.close(self.fds.pop())  # removed by the run before: lock a new one
            while self.out.is_dir():
                try:
                    fd = os.open(self.out, os.O_RDONLY | os.O_DIRECTORY | os.O_CLOEXEC)
                except PermissionError:
                    break  # a folder that cannot be read is not written in place either
                self.fds.append(fd)
                self._wait(fd, deadline)
                st, now = os.fstat(fd), os.stat(self.out)
                if (st.st_dev, st.st_ino) == (now.st_dev, now.st_ino):
                    break
                os.close(self.fds.pop())  # swapped by the run before: lock the new folder
        except BaseException:
            self.__exit__()
            raise
        return self

    def _wait(self, fd: int, deadline: float) -> None:
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                return
            except BlockingIOError:
                if time.monotonic() > deadline:
                    raise OutputError(self.out, t("out_locked", seconds=int(LOCK_WAIT))) \
                        from None
                time.sleep(0.05)

    def __exit__(self, *exc):
        if self.lock is not None and _same_file(*self.lock):
            try:
                os.unlink(self.lock[1])  # still held: no other run has it open and locked
            except OSError:
                pass  # another user's file in a sticky folder: it stays, harmless
        while self.fds:
            os.close(self.fds.pop())  # releases the locks
        return False


def _same_file(fd: int, path: Path) -> bool:
    """Does ``path`` still name the file open as ``fd``?"""
    try:
        now, st = os.stat(path, follow_symlinks=False), os.fstat(fd)
    except OSError:
        return False
    return (now.st_dev, now.st_ino) == (st.st_dev, st.st_ino)


def _lock_file(path: Path) -> int | None:
    """The lock file beside the folder, open (read-only: enough for flock, and open to any
    user), created if missing; None where it cannot be (a parent that cannot be written)."""
    flags = os.O_RDONLY | os.O_NOFOLLOW | os.O_CLOEXEC
    for _ in range(3):
        try:
            return os.open(path, flags)
        except FileNotFoundError:
            pass
        except OSError:
            return None  # not one to open (a link, another's unreadable file)
        try:
            return os.open(path, flags | os.O_CREAT | os.O_EXCL, 0o644)
        except FileExistsError:
            continue
        except OSError as exc:
            if exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
                return None
            raise
    return None


def _is_set_file(path: Path, owned: tuple[str, ...]) -> bool:
    return path.name in owned and not path.is_dir()


def _orphans(out: Path) -> list[Path]:
    prefix = f".{out.name}.staffplan-"
    try:
        return sorted(p for p in out.parent.iterdir() if p.name.startswith(prefix)
                      and not p.name.endswith("-lock") and p.is_dir())
    except PermissionError:
        return []  # a parent that cannot be read: no run of this user staged anything there


def _manifest(folder: Path, out: Path) -> Path:
    """Beside a staged folder (``.NAME.staffplan-new-X``, or ``-old-X`` for the old set it
    replaces): ``.NAME.staffplan-owned-X``, the files that run owned (another command's run
    may be the one that finds its folder)."""
    kind_suffix = folder.name[len(f".{out.name}.staffplan-"):]  # new-X, old-X, owned-X
    return out.parent / f".{out.name}.staffplan-owned-{kind_suffix.split('-', 1)[1]}"


def _owned_by(folder: Path, out: Path, owned: tuple[str, ...]) -> tuple[str, ...]:
    try:
        names = json.loads(_manifest(folder, out).read_bytes())
        if isinstance(names, list) and all(_plain_name(n) for n in names):
            return tuple(names)
    except (OSError, ValueError):
        pass
    return owned


def _drop_manifest(folder: Path, out: Path) -> None:
    """Its run's manifest, once neither its staged nor its old folder is left."""
    manifest = _manifest(folder, out)
    suffix = manifest.name[len(f".{out.name}.staffplan-owned-"):]
    if not any(os.path.lexists(out.parent / f".{out.name}.staffplan-{k}-{suffix}")
               for k in ("new", "old")):
        try:
            manifest.unlink()
        except FileNotFoundError:
            pass


def _recover(out: Path, owned: tuple[str, ...]) -> None:
    """What a killed run left beside ``out`` and in it: with the lock held, no live run owns
    these."""
    orphans = _orphans(out)
    if not out.exists():
        old = [p for p in orphans if p.name.startswith(f".{out.name}.staffplan-old-")]
        if old:
            os.rename(old[-1], out)  # killed between the two renames: the old set goes back
            orphans.remove(old[-1])
            _drop_manifest(old[-1], out)
    for p in orphans:
        _dispose(p, out, _owned_by(p, out, owned))
        _drop_manifest(p, out)
    try:
        for p in out.parent.iterdir():  # a manifest whose run left no folder
            if p.name.startswith(f".{out.name}.staffplan-owned-") and not p.is_dir():
                _drop_manifest(p, out)
    except PermissionError:
        pass
    if out.is_dir():
        journal = out / JOURNAL
        if os.path.lexists(journal) and not journal.is_dir():
            try:
                plan = json.loads(journal.read_bytes())
                puts, removes = list(plan["write"]), list(plan["remove"])
                if not all(_plain_name(n) for n in puts + removes):
                    raise ValueError
            except (OSError, ValueError, KeyError, TypeError):
                puts = removes = None  # not one of ours: the temporary files go
            if puts is not None:
                _put_in_place(out, puts, removes)  # killed after its commit: finished
            else:
                journal.unlink()
        for entry in list(out.iterdir()):
            if (entry.name.startswith(NEW) or entry.name == JOURNAL + ".tmp") \
                    and not entry.is_dir():
                entry.unlink()  # killed before its commit: the old set stays


def _plain_name(name) -> bool:
    """A file's name in the folder itself (a journal names nothing outside it)."""
    return isinstance(name, str) and name not in ("", ".", "..") and "/" not in name \
        and os.sep not in name and "\0" not in name


def _refuse_read_only(out: Path, files: dict[str, str | bytes], owned: tuple[str, ...]) -> None:
    """A folder or a file of the old set the user marked read-only (or a new file's name that
    is a folder): refused before anything is written."""
    if not out.is_dir():
        return
    if _read_only(out):
        raise OutputError(out, t("read_only"))
    for name in owned:
        path = out / name
        if name in files and path.is_dir():
            raise OutputError(path, IsADirectoryError(errno.EISDIR, os.strerror(errno.EISDIR)))
        if _is_set_file(path, owned) and os.path.lexists(path) and _read_only(path):
            raise OutputError(path, t("read_only"))


def _dispose(folder: Path, out: Path, owned: tuple[str, ...]) -> None:
    """Remove a staged or replaced set: its own files go; anything else moves into ``out``
    (or, if ``out`` has that name already, stays where it is, with the folder)."""
    if not folder.exists():
        return
    for entry in list(folder.iterdir()):
        if _is_set_file(entry, owned):
            entry.unlink()
        elif out.is_dir() and not os.path.lexists(out / entry.name):
            os.rename(entry, out / entry.name)
    try:
        folder.rmdir()
    except OSError:
        pass  # something of the user's is left in it: never deleted


def _swap_set(out: Path, files: dict[str, str | bytes], owned: tuple[str, ...]) -> bool:
    """Stage the set beside ``out`` and swap it in; False, with nothing changed, where this
    cannot be done (write it in place then)."""
    try:
        staged = Path(tempfile.mkdtemp(prefix=f".{out.name}.staffplan-new-", dir=out.parent))
    except OSError as exc:
        if exc.errno in CANNOT_SWAP and out.is_dir():
            return False
        raise
    try:
        return _swap_staged(staged, out, files, owned)
    finally:
        _drop_manifest(staged, out)


def _swap_staged(staged: Path, out: Path, files: dict[str, str | bytes],
                 owned: tuple[str, ...]) -> bool:
    try:
        _new_file(_manifest(staged, out), json.dumps(list(owned)), None)
        if not _like_folder(staged, out):
            _dispose(staged, out, owned)
            return False
        for name, data in files.items():
            _new_file(staged / name, data, _like(out / name))
        if out.is_dir():
            for entry in list(out.iterdir()):  # the user's go with the new set
                if not _is_set_file(entry, owned):
                    try:
                        os.rename(entry, staged / entry.name)
                    except OSError:
                        _dispose(staged, out, owned)  # what was moved goes back
                        return False
        try:
            old = _swap(staged, out)
        except OSError as exc:
            if exc.errno not in CANNOT_SWAP or not out.is_dir():
                raise
            _dispose(staged, out, owned)
            return False
    except BaseException:
        _dispose(staged, out, owned)
        raise
    if old is not None:
        _dispose(old, out, owned)
    return True


def _like_folder(staged: Path, out: Path) -> bool:
    """Give the staged folder the mode (mkdtemp's is 0700), owner, group and attributes of
    ``out`` (a new one: the mode mkdir gives); False where they cannot be given."""
    if not out.is_dir():
        os.chmod(staged, 0o777 & ~_umask())
        return True
    st, mine = os.stat(out), os.stat(staged)
    try:
        if (st.st_uid, st.st_gid) != (mine.st_uid, mine.st_gid):
            os.chown(staged, st.st_uid, st.st_gid)
        _give_attrs(staged, _attrs(out))
    except OSError:
        return False  # not root and another user's folder (or group): it keeps its owner
    os.chmod(staged, st.st_mode & 0o7777)
    return True


def _swap(staged: Path, out: Path) -> Path | None:
    """Put ``staged`` at ``out``; where the old folder went (None: there was none)."""
    if not out.exists():
        os.rename(staged, out)
        return None
    if _exchange(staged, out):
        return staged  # the old set now lives at the staged path
    old = out.parent / _manifest(staged, out).name.replace("-owned-", "-old-")
    os.rename(out, old)
    try:
        os.rename(staged, out)
    except BaseException:
        os.rename(old, out)
        raise
    return old


def _exchange(a: Path, b: Path) -> bool:
    """Swap two paths atomically (Linux ``renameat2`` with ``RENAME_EXCHANGE``); False where
    the system or the file system cannot."""
    import ctypes

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


def _write_in_place(out: Path, files: dict[str, str | bytes], owned: tuple[str, ...]) -> None:
    """Write the set into ``out`` itself: each file beside its name, then the journal (the
    commit), then each renamed over its name (see the module's documentation)."""
    written = []
    try:
        for name, data in files.items():
            tmp = out / f"{NEW}{name}"
            _new_file(tmp, data, _like(out / name))
            written.append(tmp)
        removes = [n for n in owned if n not in files and _is_set_file(out / n, owned)
                   and os.path.lexists(out / n)]
        tmp = out / f"{JOURNAL}.tmp"
        _new_file(tmp, json.dumps({"write": list(files), "remove": removes}), None)
        written.append(tmp)
        os.replace(tmp, out / JOURNAL)
    except BaseException:
        for tmp in written:
            try:
                os.unlink(tmp)
            except FileNotFoundError:
                pass
        raise
    _put_in_place(out, list(files), removes)


def _put_in_place(out: Path, puts: list[str], removes: list[str]) -> None:
    """Finish a committed set: each new file over its name, the old set's others removed,
    then the journal. Done again after a kill, it does what is left."""
    for name in puts:
        if os.path.lexists(out / f"{NEW}{name}"):
            os.replace(out / f"{NEW}{name}", out / name)
    for name in removes:
        if name not in puts and os.path.lexists(out / name) and not (out / name).is_dir():
            os.unlink(out / name)
    os.unlink(out / JOURNAL)


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
    file), a folder path that is a file, a path (``names`` inside a folder) that is one of
    the ``inputs`` (path -> what it is), and a file or folder the user marked read-only (a
    folder's set files: ``names`` and :data:`SET_FILES`; see the module's documentation)."""
    path = Path(path)
    try:
        os.stat(path)
    except OSError as exc:
        if exc.errno == errno.ELOOP:  # a link to itself, or a ring of links
            raise OutputError(path, exc) from None
    if folder:
        if path.exists() and not path.is_dir():
            raise OutputError(path, t("out_not_folder"))
        targets = [path / n for n in names]
        if path.is_dir():
            for p in (path, *(path / n for n in dict.fromkeys(names + SET_FILES))):
                if (p == path or not p.is_dir()) and os.path.lexists(p) and _read_only(p):
                    raise OutputError(p, t("read_only"))
    else:
        if path.is_dir():
            raise OutputError(path, IsADirectoryError(errno.EISDIR, os.strerror(errno.EISDIR)))
        if path.exists() and _read_only(Path(os.path.realpath(path))):
            raise OutputError(path, t("read_only"))
        targets = [path]
    for target in targets:
        for p in (target, *target.parents):
            if p.exists() and not p.is_dir() and p != target:
                raise OutputError(p, NotADirectoryError(errno.ENOTDIR,
                                                        os.strerror(errno.ENOTDIR)))
        for src, what in inputs.items():
            if _same(target, Path(src)):
                raise OutputError(target, t("is_input", what=what))
