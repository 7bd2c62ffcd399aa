"""Errors staffplan reports to its users.

Bad input is collected, never raised one problem at a time: every reader appends
:class:`Problem` entries and raises one :class:`InputError` at the end, so a user sees every
problem in one run. Messages name the file, the row and the column (or the config key) and
never an officer's name.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path


@dataclass(frozen=True, order=True)
class Problem:
    """One problem in the input, located as precisely as we can."""

    file: str
    row: int = 0  # 1-based line in the file (the header is row 1); 0 when not about a row
    column: str = ""  # column name, or a config key such as ``rules.community_share``
    message: str = ""

    def __str__(self) -> str:
        from staffplan.i18n import t

        return t("p_where", where=self.place(), message=self.message)

    def place(self, row: bool = True) -> str:
        """The file, row (with ``row``) and column, as a message names them."""
        from staffplan.i18n import t

        where = self.file
        if self.row and row:
            where += t("p_row", row=self.row)
        if self.column:
            label = ("p_key" if self.file.endswith((".yaml", ".yml"))
                     or self.file in ("--set", "--vary") else "p_column")
            where += t(label, column=self.column)
        return where


class StaffplanError(Exception):
    """Base class of the errors the command line turns into a message and an exit code."""

    exit_code = 2


class InputError(StaffplanError):
    """The input cannot be used: a list of problems, sorted, reported together (exit 2). The
    message lists the first :data:`SHOWN` and counts the others by file and column (a file of
    two million bad rows is a screen, not two million lines); ``problems`` holds them all."""

    SHOWN = 100

    def __init__(self, problems: list[Problem]):
        self.problems = sorted(set(problems), key=_problem_key)
        lines = [f"• {p}" for p in self.problems[:self.SHOWN]]
        if len(self.problems) > self.SHOWN:
            lines.append(self.not_shown())
        super().__init__("\n".join(lines))

    def not_shown(self) -> str:
        """The problems past the first :data:`SHOWN`, counted by file and column."""
        from collections import Counter

        from staffplan.i18n import t

        rest = self.problems[self.SHOWN:]
        where = Counter(p.place(row=False) for p in rest)
        return t("more_problems", n=f"{len(rest):,}", where="; ".join(
            t("problems_at", n=f"{n:,}", file=w) for w, n in where.most_common()))

    def __reduce__(self):  # crosses from a worker process (sweep, compare) whole
        return (InputError, (self.problems,))


def _problem_key(p: Problem) -> tuple:
    return (p.file, p.row, p.column, p.message)


class OutputError(StaffplanError):
    """A file or folder the user named cannot be written (exit 2): the path, and why."""

    def __init__(self, path: str | Path, error: OSError | str):
        from staffplan.i18n import t

        why = error if isinstance(error, str) else (error.strerror or error.__class__.__name__)
        self.args_given = (str(path), why)
        super().__init__(str(Problem(str(path), message=t("cannot_write", error=why))))

    def __reduce__(self):  # crosses from a worker process whole
        return (OutputError, self.args_given)


@dataclass
class Problems:
    """Collects problems; ``raise_if_any`` turns them into one :class:`InputError`."""

    items: list[Problem] = field(default_factory=list)

    def add(self, file: str | Path, row: int = 0, column: str = "", message: str = "") -> None:
        self.items.append(Problem(str(file), row, column, message))

    def extend(self, other: Problems) -> None:
        self.items.extend(other.items)

    def __bool__(self) -> bool:
        return bool(self.items)

    def raise_if_any(self) -> None:
        if self.items:
            raise InputError(self.items)


# Notes: what the user should know about the input that is not a problem (a file read as
# GB18030, a column staffplan does not know and ignores). The command line installs a sink
# that prints them on stderr while a command runs; a worker process (forked, another pid)
# stays quiet, and without a sink (the API) notes are dropped.
_SINKS: list[tuple[int, Callable[[str], None]]] = []


def note(text: str) -> None:
    """Tell the user ``text`` (on stderr, when the command line listens)."""
    if _SINKS and _SINKS[-1][0] == os.getpid():
        _SINKS[-1][1](text)


@contextmanager
def notes_to(sink: Callable[[str], None]) -> Iterator[None]:
    """Send :func:`note` to ``sink`` (each distinct note once) within the block."""
    seen: set[str] = set()

    def once(text: str) -> None:
        if text not in seen:
            seen.add(text)
            sink(text)

    _SINKS.append((os.getpid(), once))
    try:
        yield
    finally:
        _SINKS.pop()
