"""Work done beside the main line, in a forked process of its own: the year-by-year
comparison while the plan is solved, plan.xlsx while the other files are written.

On two cores that is time saved (the example's three years: 3.2 -> 2.9 s; 100,000 officers
x 3 steps: plan.xlsx beside assignments.csv). Where no process can be forked, the work is
done here when its result is asked for. A worker is quiet: the parent stops it when it no
longer needs it, Ctrl-C is the parent's to handle, and it ends with its parent however
that ends (Linux's PR_SET_PDEATHSIG), so a stopped run leaves no process behind.
"""

from __future__ import annotations

import multiprocessing
import signal
from collections.abc import Callable
from typing import Any

from staffplan.errors import StaffplanError

# True in a worker: it runs beside the main line's own processes, and starts none.
IN_WORKER = False


class WorkerFailed(StaffplanError):
    """Work beside the main line ended with an error: a bug in staffplan (exit 3)."""

    exit_code = 3


def end_with_parent() -> None:
    try:
        import ctypes

        ctypes.CDLL(None, use_errno=True).prctl(1, 9)  # PR_SET_PDEATHSIG, SIGKILL
    except (OSError, AttributeError):  # not Linux: the parent's own stop() still applies
        pass


def quiet_worker() -> None:
    """In a worker process: no message and no traceback on SIGTERM or Ctrl-C, and an end
    with the parent."""
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    end_with_parent()


def can_fork() -> bool:
    return not multiprocessing.current_process().daemon and \
        "fork" in multiprocessing.get_all_start_methods()


def _child(work: Callable[..., Any], args: tuple, send) -> None:
    global IN_WORKER
    IN_WORKER = True
    quiet_worker()
    try:
        send.send(("ok", work(*args)))
    except Exception as exc:  # noqa: BLE001 - said by the parent, as a bug
        send.send(("error", exc.__class__.__name__))
    except BaseException:  # Ctrl-C inside a solve: the parent stops, and says so
        pass
    finally:
        send.close()


class Beside:
    """``work(*args)`` in a forked process, started now; :meth:`result` waits for it."""

    def __init__(self, what: str, work: Callable[..., Any], *args):
        self.what, self.work, self.args = what, work, args
        self.process = None
        if not can_fork():
            return
        context = multiprocessing.get_context("fork")
        self.receive, send = context.Pipe(duplex=False)
        self.process = context.Process(target=_child, args=(work, args, send),
                                       name=f"staffplan-{what}")
        self.process.start()
        send.close()

    def result(self) -> Any:
        if self.process is None:
            return self.work(*self.args)
        try:
            kind, value = self.receive.recv()
        except EOFError:
            raise WorkerFailed(f"internal error: {self.what} stopped without a result (this "
                               "is a bug in staffplan)") from None
        finally:
            self.stop()
        if kind == "error":
            raise WorkerFailed(f"internal error in {self.what}: {value} (this is a bug in "
                               "staffplan)")
        return value

    def stop(self) -> None:
        """Stop the work if it is no longer needed (no plan, an error, Ctrl-C)."""
        if self.process is not None:
            self.process.kill()
            self.process.join()
            self.process = None
