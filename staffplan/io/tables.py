"""Tables from CSV (UTF-8, with or without BOM) or Excel (.xlsx, first sheet).

A table is its header and its rows; each row keeps the line it came from (the header is
row 1), so every later message can name it.
"""

from __future__ import annotations

import codecs
import csv
import difflib
import errno
import io
import math
import os
import re
import stat
import warnings
from contextlib import ExitStack, closing
from dataclasses import dataclass, field
from datetime import date, datetime
from itertools import islice
from pathlib import Path

from staffplan.bounds import (
    MAX_ID_LENGTH,
    MAX_NAME_LENGTH,
    MAX_TEXT_LENGTH,
    clip,
    length_problem,
)
from staffplan.errors import Problem, Problems, note
from staffplan.i18n import t
from staffplan.io.excel_csv import from_cell

_NAME_SEPARATORS = re.compile(r"[\s,，、·.\-]+")


def _name_key(text: str) -> str:
    """A name, or a value that may be one, as names are matched: NFKC, case and separators
    (spaces, commas, dots, middle dots) aside: ``ŁUKASZ ŻÓŁKIEWSKI`` is ``Łukasz Żółkiewski``,
    ``欧阳娜娜`` is ``欧阳 娜娜``."""
    if text.isascii() and text.isalnum():  # most ids: at C speed (every row's id is asked)
        return text.lower()
    import unicodedata

    return _NAME_SEPARATORS.sub("", unicodedata.normalize("NFKC", text)).casefold()


def _name_keys(name: str) -> set[str]:
    """The keys of a name and of each run of its words (``Mary Ann`` of ``Mary Ann
    Featherstone``); a piece of one character of a name of several words is no key."""
    words = [w for w in _NAME_SEPARATORS.split(name.strip()) if w]
    keys = {_name_key(" ".join(words[i:j])) for i in range(len(words))
            for j in range(i + 1, len(words) + 1)}
    return {k for k in keys if len(k) >= 2 or (k and len(words) == 1)}


class Hidden:
    """A value a message does not show (it may be personal data): says so instead."""

    def __init__(self, key: str, **values):
        self.text = t(key, **values)

    def __repr__(self) -> str:
        return self.text

    __str__ = __repr__

    def __format__(self, spec: str) -> str:
        return self.text


@dataclass
class Table:
    path: Path
    columns: list[str]
    rows: list[tuple[int, dict[str, str]]]  # (row number, column -> stripped text)
    headers: dict[str, str] = field(default_factory=dict)  # column -> header as written
    encoding: str = "utf-8"
    name: str = ""  # how messages name the file (with the sheet, for Excel)
    name_column: str | None = None  # the column of officers' names (personal data), if any

    # A value that is an id, a date or a number, never a name: written in ASCII with a digit
    # (P000001, B01-S03-P02, 2019-03-01, 78.2), or a date as Chinese Excel writes it.
    DATA = re.compile(r"[A-Za-z0-9._/:+\-]*\d[A-Za-z0-9._/:+\-]*|\d{4}年\d{1,2}月(\d{1,2}日?)?")
    # What a column holds that no name is (a row whose name column holds one is mixed up).
    NOT_NAMES = ("what_unit", "what_officer", "what_rank")
    MOSTLY = 3  # wrong values a column needs to be judged wrong with no column holding them

    @dataclass
    class Column:
        """What a column holds, as a reader judges it: its non-empty values, the rows of those
        that are not what it should hold (``what``, a message key), and, of each other column
        (by label), how many of its values are what this one should hold."""

        label: str
        what: str
        filled: int = 0
        wrong: list[int] = field(default_factory=list)
        elsewhere: dict[str, tuple[int, int]] = field(default_factory=dict)  # (held, filled)

    @classmethod
    def looks_like_data(cls, value: str) -> bool:
        """Is ``value`` an id, a date or a number rather than a name?"""
        return bool(cls.DATA.fullmatch(value))

    def label(self, column: str) -> str:
        """A column as the file writes it (a Chinese header stays Chinese in messages)."""
        return self.headers.get(column, column)

    @property
    def can_shift(self) -> bool:
        """Can a comma in a name move the values after it (a CSV file with a name column)?"""
        return self.name_column is not None and self.encoding != "xlsx"

    def after_name(self, column: str) -> bool:
        """Is ``column`` to the right of the name column (where a name's pieces land when a
        comma in it was not quoted)?"""
        if self.name_column is None or column not in self.columns:
            return False
        return self.columns.index(column) > self.columns.index(self.name_column)

    # --- Does each column hold what its header says? -------------------------------------

    def check_columns(self, problems: Problems, holds: dict, personal=(),
                      ids: str | None = None) -> set[str]:
        """Judge the columns a reader reads against what they should hold. ``holds``: column
        -> (what, values): ``what`` a message key (``what_unit``...), ``values`` anything
        ``in`` tells a right value by (the units, the roster, a date parser). ``personal``:
        names known to be personal data (the roster's), never shown. ``ids``: the column of
        the ids the file defines (a roster's ``id``), if any.

        A column most of whose values are not what it should hold (more than half, and at
        least ``MOSTLY`` of them, or any number when another column holds it: swapped
        headers) is one problem for the column, naming its rows, never a value. So is a name
        column most of whose values are what another column holds (unit ids, officer ids,
        ranks), or ids, dates or numbers while the ``ids`` column mostly holds none (swapped
        headers). Returns the labels of the columns judged wrong: the reader says nothing
        more of their values row by row, and :meth:`shown` shows none of them (nor, when the
        name column is wrong, any value of the file)."""
        self.expect(holds, personal)
        judged = {c: Table.Column(self.label(c), what) for c, (what, _) in self._holds.items()}
        for c, (_, values) in self._holds.items():
            col, right = judged[c], {}  # each distinct value tested once
            for row, r in self.rows:
                v = r.get(c, "")
                if v:
                    col.filled += 1
                    ok = right.get(v)
                    if ok is None:
                        ok = right[v] = v in values
                    if not ok:
                        col.wrong.append(row)
        for c, col in judged.items():
            if col.wrong and 2 * len(col.wrong) > col.filled:
                col.elsewhere = self._held_elsewhere(c)
        name = self._name_judged(ids) if self.name_column is not None else None
        wrong = Table.judge(self.name or str(self.path), list(judged.values()), name, problems)
        self._wrong = {c for c in self.columns if self.label(c) in wrong}
        return wrong

    def _name_judged(self, ids: str | None) -> Table.Column:
        """The name column as :meth:`judge` takes it: the rows whose name is what another
        column holds; or, when those are few, the rows whose name looks like an id, a date or
        a number, if the ``ids`` column mostly holds values that do not (and is then named as
        the column holding the names)."""
        name = Table.Column(self.label(self.name_column), "what_data")
        data: list[int] = []
        for row, r in self.rows:
            v = r.get(self.name_column, "")
            if v:
                name.filled += 1
                if self._held_by_another(v):
                    name.wrong.append(row)
                elif self.looks_like_data(v):
                    data.append(row)
        if 2 * len(name.wrong) > name.filled or ids not in self.columns or ids == self.name_column:
            return name
        plain = [v for _, r in self.rows if (v := r.get(ids, ""))]
        if 2 * (len(name.wrong) + len(data)) > name.filled and \
                2 * sum(map(self.looks_like_data, plain)) < len(plain):
            name.wrong = sorted(name.wrong + data)
            name.elsewhere = {self.label(ids): (len(plain), len(plain))}
        return name

    def expect(self, holds: dict, personal=(), wrong=()) -> None:
        """What :meth:`shown` knows without judging the columns (:meth:`check_columns`
        does): what they hold, the names known, the columns (labels) judged wrong
        elsewhere (the history reader judges its own)."""
        self._holds = {c: h for c, h in holds.items() if c in self.columns}
        self.__dict__.pop("_others", None)
        self._personal = personal
        self._wrong = {c for c in self.columns if self.label(c) in wrong}

    def _held_elsewhere(self, column: str) -> dict[str, tuple[int, int]]:
        """label -> (values that are what ``column`` should hold, non-empty values) of each
        other column not meant to hold the same."""
        what, values = self._holds[column]
        out = {}
        for c in self.columns:
            if not c or c == column or self._holds.get(c, ("",))[0] == what:
                continue
            held = filled = 0
            for _, r in self.rows:
                v = r.get(c, "")
                if v:
                    filled += 1
                    held += v in values
            out[self.label(c)] = (held, filled)
        return out

    def _held_by_another(self, value: str) -> bool:
        """Is ``value`` what another column holds (a unit id, an officer id, a rank)?"""
        if not hasattr(self, "_others"):  # each set of values once (unit, home_unit, bureau)
            self._others = list({id(v): v for what, v in getattr(self, "_holds", {}).values()
                                 if what in self.NOT_NAMES}.values())
        return any(value in values for values in self._others)

    def _not_a_name(self, value: str) -> bool:
        """Is ``value``, in the name column, what another column holds or an id, a date or a
        number (its row's columns are then mixed up)?"""
        return self.looks_like_data(value) or self._held_by_another(value)

    # --- What a message may show -----------------------------------------------------------

    def shown(self, row: int, column: str, value: str, known=()) -> str | Hidden:
        """``value`` of ``column`` at ``row`` as a message may quote it. Never a name the
        reader knows (``personal``, :meth:`check_columns`); nothing of a column judged wrong.
        In a file with a name column, never a value that may be personal data: the row's
        name or a piece of it (in any column); nothing of a row whose name cell holds what
        is not a name (a unit id, an officer id, an id, a date or a number: its columns are
        mixed up) nor of any row when the name column is judged wrong; in a row whose name
        cell is empty, and, in a CSV file, to the right of the name (where pieces of a name
        land when a comma in it was not quoted), a value that is neither one of ``known``
        (unit ids, ranks, yes/no words) nor holds a digit (as ids, dates and numbers do).
        Clipped."""
        value = value.strip()
        wrong = getattr(self, "_wrong", set())
        if value and _name_key(value) in self._personal_keys:
            return Hidden("hidden_name")
        if column in wrong:
            return Hidden("hidden_mixed", column=self.label(column))
        if self.name_column is None:
            return clip(value)
        if value and _name_key(value) in self._every_name:  # any name of the file, any column
            return Hidden("hidden_name")
        name = self._names.get(row, "")
        if self.name_column in wrong or (name and self._not_a_name(name)):
            return Hidden("hidden_mixed", column=self.label(self.name_column))
        if name and value:
            pieces = {p for p in re.split(r"[\s,，、·.]+", name) if p}
            if value == name or value in pieces or (len(value) >= 2 and value in name):
                return Hidden("hidden_name")
        if value in known or any(c.isdigit() for c in value):
            return clip(value)
        if not name and value:
            return Hidden("hidden_no_name", column=self.label(self.name_column))
        if self.can_shift and self.after_name(column):
            return Hidden("hidden_value")
        return clip(value)

    @property
    def _names(self) -> dict[int, str]:
        if not hasattr(self, "_name_of"):
            self._name_of = {row: r.get(self.name_column, "") for row, r in self.rows}
        return self._name_of

    def is_a_name(self, value: str) -> bool:
        """Is ``value`` a name of the file (or a piece of one), in its name column?"""
        return self.name_column is not None and _name_key(value) in self._every_name

    @property
    def _every_name(self) -> set[str]:
        """Every name of the file and its pieces, as :func:`_name_keys` gives them."""
        if not hasattr(self, "_every"):
            self._every = set()
            for name in self._names.values():
                self._every |= _name_keys(name)
        return self._every

    @property
    def _personal_keys(self) -> set[str]:
        """The names the reader knows (another file's: the roster's), as keys."""
        personal = getattr(self, "_personal", ())
        if getattr(self, "_keyed", self) is not personal:  # set by expect(), once per table
            self._keyed, self._pkeys = personal, set().union(*map(_name_keys, personal))
        return self._pkeys

    @staticmethod
    def judge(file: str, columns: list, name, problems: Problems) -> set[str]:
        """The columns (labels) that do not hold what their headers say (``Table.Column``,
        and the name column's), each one problem on the header row: how many of its values,
        on which rows, and the column that holds them when one does (swapped headers: that
        column is returned too); never a value. See :meth:`check_columns`; the history
        reader judges its columns here too."""
        wrong: set[str] = set()
        partners: set[str] = set()
        swaps: set[tuple[str, str]] = set()
        for col in columns:
            n = len(col.wrong)
            if not n or 2 * n <= col.filled:
                continue
            holders = [(held, label) for label, (held, filled) in col.elsewhere.items()
                       if held and 2 * held > filled]
            other = max(holders)[1] if holders else None
            if other is None and n < Table.MOSTLY:
                continue
            wrong.add(col.label)
            values = dict(n=f"{n:,}", filled=f"{col.filled:,}", what=t(col.what),
                          rows=Table._rows(col.wrong))
            if other is not None:
                partners.add(other)
                if (other, col.label) not in swaps:  # said once for the two of them
                    swaps.add((col.label, other))
                    problems.add(file, 1, col.label, t("col_swapped", other=other,
                                                       column=col.label, **values))
            else:
                problems.add(file, 1, col.label, t("col_not_holding", **values))
        if name is not None and name.wrong and 2 * len(name.wrong) > name.filled:
            wrong.add(name.label)
            values = dict(n=f"{len(name.wrong):,}", filled=f"{name.filled:,}",
                          what=t(name.what), rows=Table._rows(name.wrong))
            if name.elsewhere:
                other = next(iter(name.elsewhere))
                problems.add(file, 1, name.label, t("col_names_swapped", column=name.label,
                                                    other=other, **values))
            elif name.label not in partners:
                problems.add(file, 1, name.label, t("col_not_names", **values))
        return wrong | partners

    @staticmethod
    def _rows(rows: list[int], limit: int = 8) -> str:
        shown = ", ".join(str(r) for r in rows[:limit])
        return t("col_rows" if len(rows) > 1 else "col_row",
                 rows=shown + (", …" if len(rows) > limit else ""))


# Bounds on what is read, so that no file makes staffplan run out of memory or time
# (a scenario pointing at /dev/zero, a zip bomb, one stray cell at XFD1048576, a CSV file of
# 100,000 columns, of 200 million empty lines or of one line without an end).
MAX_TABLE_BYTES = 256 * 1024 * 1024  # a CSV file, or an .xlsx file as stored
MAX_XLSX_UNPACKED = 1024 * 1024 * 1024  # an .xlsx file's parts, unpacked
MAX_COLUMNS = 1000  # columns of a table: a CSV file's header, a sheet's
MAX_ROWS = 2_000_000  # rows of a sheet; lines of a CSV file after its header, blank ones too
MAX_LINE = 1_000_000  # characters in a line of a CSV file (a roster's are a few hundred)
NAMED_COLUMNS = 3  # columns a note about several columns names (then: "and 99,997 more")


def megabytes(n: int) -> str:
    return f"{n // (1024 * 1024):,} MB"


# --- Opening a file to read: the one place --------------------------------------------------

_KINDS = ((stat.S_ISDIR, "ftype_folder"), (stat.S_ISFIFO, "ftype_fifo"),
          (stat.S_ISSOCK, "ftype_socket"), (stat.S_ISCHR, "ftype_char_device"),
          (stat.S_ISBLK, "ftype_block_device"))
_OPEN_FLAGS = (os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0)
               | getattr(os, "O_CLOEXEC", 0))


class NotRegular(OSError):
    """A path that is not a regular file: a named pipe (FIFO), a socket, a device (/dev/zero,
    /dev/stdin on a terminal or a pipe) or a folder."""

    def __init__(self, path, mode: int):
        self.kind = next((key for test, key in _KINDS if test(mode)), "ftype_other")
        super().__init__(errno.EINVAL, self.message(), str(path))

    def message(self) -> str:
        return t("not_regular", kind=t(self.kind))


def open_regular(path) -> io.BufferedReader:
    """Every file staffplan reads (scenarios, what they extend, every table) is opened here:
    a regular file (through symbolic links), opened for reading in binary. Anything else
    raises :class:`NotRegular` before it is opened: opening a FIFO for reading waits for a
    writer (forever), a device never ends. What is opened is checked again (it is opened
    without waiting: a FIFO put in the file's place in between is refused, not waited on).
    A missing file raises FileNotFoundError, another failure its OSError."""
    mode = os.stat(path).st_mode
    if not stat.S_ISREG(mode):
        raise NotRegular(path, mode)
    fd = os.open(path, _OPEN_FLAGS)
    try:
        mode = os.fstat(fd).st_mode
        if not stat.S_ISREG(mode):
            raise NotRegular(path, mode)
        os.set_blocking(fd, True)
        return os.fdopen(fd, "rb")
    except BaseException:
        os.close(fd)
        raise


def cannot_open(error: OSError) -> str:
    """What a problem says of a file :func:`open_regular` refused or could not open."""
    if isinstance(error, NotRegular):
        return error.message()
    if isinstance(error, (FileNotFoundError, NotADirectoryError)):
        return t("file_not_found")
    return t("cannot_read", error=error.strerror or error.__class__.__name__)


def read_limited(f, limit: int) -> bytes:
    """The bytes of an open file, or _TooBig (a ValueError) when it holds more than
    ``limit`` (read no further). Read as long as the file says it is (a buffer of ``limit``
    bytes would be taken for every file), then in pieces if it goes on (it grew; a file of
    /proc says 0)."""
    size = os.fstat(f.fileno()).st_size
    if size > limit:
        raise _TooBig(megabytes(limit))
    data = f.read(size + 1)
    if len(data) <= size:
        return data
    pieces, total = [data], len(data)
    while total <= limit:
        piece = f.read(min(limit + 1 - total, 1 << 20))
        if not piece:
            return b"".join(pieces)
        pieces.append(piece)
        total += len(piece)
    raise _TooBig(megabytes(limit))


def read_bounded(path: Path, limit: int) -> bytes:
    """A regular file's bytes (:func:`open_regular`), or ValueError when it is longer than
    ``limit``."""
    with open_regular(path) as f:
        return read_limited(f, limit)


class _TooBig(ValueError):
    pass


# A header this close to a known column's (difflib's ratio, case and separators aside) is
# taken for a misspelling of it: an error, not a column of the office's own.
NEAR_MISS = 0.8


def _plain(header: str) -> str:
    return re.sub(r"[\s\-.]+", "_", header.strip().lower())


def near_miss(header: str, known: list[str]) -> str | None:
    """The known column ``header`` misspells, if any. (The cheap upper bounds of the ratio
    go first: a header far longer or with other letters is not compared in full.)"""
    plain = _plain(header)
    best, ratio = None, NEAR_MISS
    matcher = difflib.SequenceMatcher(None, plain)
    for column in known:
        matcher.set_seq2(_plain(column))
        if matcher.real_quick_ratio() >= ratio and matcher.quick_ratio() >= ratio:
            r = matcher.ratio()
            if r >= ratio:
                best, ratio = column, r
    return best


def several(names: list[str]) -> str:
    """Some names for a message: the first few, then how many more."""
    shown = ", ".join(clip(n) for n in names[:NAMED_COLUMNS])
    if len(names) <= NAMED_COLUMNS:
        return shown
    return t("and_more", names=shown, n=f"{len(names) - NAMED_COLUMNS:,}")


def check_header(name: str, written: list[str], columns: list[str], known: list[str],
                 aliases: dict[str, str], problems: Problems, say) -> bool:
    """Columns staffplan does not know: a near miss of a known column (``pinnned``) is a
    problem, the others (an office's own columns) one note that they are ignored. More than
    MAX_COLUMNS columns is a problem, and nothing more is checked: False."""
    if len(written) > MAX_COLUMNS:
        problems.add(name, 1, message=t("too_many_columns", n=f"{len(written):,}",
                                        limit=f"{MAX_COLUMNS:,}"))
        return False
    spellings = list(dict.fromkeys(list(known) + list(aliases)))
    ignored = []
    for w, c in zip(written, columns):
        if not w or c in known:
            continue
        match = near_miss(w, spellings)
        if match is not None:
            problems.add(name, 1, w, t("column_near_miss", column=match))
        else:
            ignored.append(w)
    if len(ignored) == 1:
        say(str(Problem(name, column=clip(ignored[0]), message=t("column_ignored"))))
    elif ignored:
        say(str(Problem(name, message=t("columns_ignored", n=f"{len(ignored):,}",
                                        columns=several(ignored)))))
    return True


def _header_below(rows, required: list[str], aliases: dict[str, str], cell) -> int | None:
    """The row, among the next few, that holds every required column (a title row above the
    header, as rosters often have): where the header is; None when none does."""
    for number, values in islice(rows, 5):
        named = {aliases.get(h, aliases.get(h.lower(), h))
                 for h in (cell(v).strip() for v in values)}
        if all(c in named for c in required):
            return number
    return None


class _Unread(Exception):
    """A reader's error while the rows are read (not a problem the checks found)."""


def _guarded(rows):
    """The rows of a reader; an error of the reader becomes :class:`_Unread`."""
    try:
        yield from rows
    except _READ_ERRORS as exc:
        raise _Unread(exc) from None


def _unread(problems: Problems, name: str, exc: BaseException) -> None:
    """The problem a reader's error makes."""
    if isinstance(exc, _NoSheet):
        problems.add(name, column="sheet", message=t("no_sheet", sheet=exc.args[0],
                                                     sheets=", ".join(exc.args[1])))
    elif isinstance(exc, _TooBig):
        problems.add(name, message=t("file_too_big", limit=exc.args[0]))
    elif isinstance(exc, _NotXlsx):
        problems.add(name, exc.row, message=exc.args[0])
    elif isinstance(exc, BadText):
        exc.add_to(problems, name)
    elif isinstance(exc, OSError):
        problems.add(name, message=cannot_open(exc))
    else:
        problems.add(name, message=t("cannot_read", error=exc))


def read_table(path: Path, required: list[str], problems: Problems,
               aliases: dict[str, str] | None = None, sheet: str | None = None,
               encoding: str | None = None, notices: list[str] | None = None,
               known: list[str] | None = None, ids: tuple[str, ...] = (),
               names: tuple[str, ...] = (), labels: tuple[str, ...] = ()) -> Table | None:
    """Read a table; on a problem that stops reading, record it and return None.

    ``aliases`` maps other header names (the Chinese ones) to the column names; ``sheet``
    picks an Excel sheet by name (default: the first); ``encoding`` overrides the detection
    of a CSV file's encoding. ``known``: every column the reader uses (default: the required
    ones and the aliases'); another column is a problem when it is a near miss of one
    (:func:`check_header`), else ignored with a note, and its values are not kept. Notes
    (also: a CSV file read in another encoding than UTF-8) go to
    :func:`staffplan.errors.note` (said at once) and to ``notices`` when given.

    Values are bounded in length: ``ids`` columns to ``MAX_ID_LENGTH`` characters,
    ``names`` (personal data: the length is said, not the value; the first one present is
    the table's ``name_column``) and ``labels`` (names that are not personal data: a unit's)
    to ``MAX_NAME_LENGTH``, any other known column to
    ``MAX_TEXT_LENGTH``; a longer value is a problem (and a row with a longer id is not
    read further). The file is read a row at a time: at most MAX_COLUMNS columns and
    MAX_ROWS rows (a CSV file's lines), each said before the rows are read."""
    def say(text: str) -> None:
        note(text)
        if notices is not None:
            notices.append(text)

    name = str(path)
    path = Path(path)
    xlsx = path.suffix.lower() in (".xlsx", ".xlsm")
    with ExitStack() as stack:
        try:
            f = stack.enter_context(open_regular(path))
            if xlsx:
                stack.enter_context(warnings.catch_warnings())
                warnings.simplefilter("ignore")  # openpyxl warns of a date out of range
                book = stack.enter_context(closing(_Sheet(f, path, sheet, problems)))
                name, used, raw = book.name, "xlsx", book.rows()
            else:
                raw, used = _read_csv(f, encoding)
        except _READ_ERRORS as exc:
            _unread(problems, name, exc)
            return None
        rows = stack.enter_context(closing(_guarded(raw)))
        try:
            table = _tabulate(path, name, used, rows, required, problems, say, aliases or {},
                              encoding, known, ids, names, labels)
        except _Unread as exc:
            _unread(problems, name, exc.args[0])
            return None
    if xlsx and book.broken:
        return None
    return table


def _tabulate(path: Path, name: str, used: str, rows, required: list[str],
              problems: Problems, say, aliases: dict[str, str], encoding: str | None,
              known: list[str] | None, ids: tuple[str, ...], names: tuple[str, ...],
              labels: tuple[str, ...]) -> Table | None:
    """The table of a reader's rows (row number, values as text): the header (row 1) checked,
    then each row."""
    first = next(rows, None)
    if first is None and used != "xlsx":
        problems.add(name, 1, message=t("empty_file"))
        return None
    if used not in ("utf-8", "utf-8-bom", "xlsx"):
        say(str(Problem(name, message=t("encoding_set", encoding=used) if encoding
                        else t("encoding_used", encoding=used))))
    cell = str if used == "xlsx" else from_cell  # a CSV cell's escape (') undone
    header = [cell(h) for h in first[1]] if first is not None and first[0] == 1 else []
    if used == "xlsx":
        while header and not header[-1]:
            header.pop()
    written = [h.strip() for h in header]
    header = [aliases.get(h, aliases.get(h.lower(), h)) for h in written]
    headers = {c: w for c, w in zip(header, written) if c != w}
    if not any(header):  # a blank row 1: the column names below it, or nothing
        below = _header_below(rows, required, aliases, cell)
        problems.add(name, 1, message=t("header_below", row=below) if below
                     else t("empty_file"))
        return None
    known = list(known) if known is not None else list(required) + list(aliases.values())
    missing = [c for c in required if c not in header]
    below = _header_below(rows, required, aliases, cell) if missing else None
    if below:  # a title row above the column names: said alone (its cells are no columns)
        problems.add(name, 1, message=t("header_below", row=below))
        return None
    if not check_header(name, written, header, known, aliases, problems, say):
        return None
    for c in missing:
        problems.add(name, 1, c, t("missing_column"))
    seen: set[str] = set()
    for c in header:
        if c and c in seen:
            problems.add(name, 1, headers.get(c, c), t("column_twice"))
        seen.add(c)
    if missing:
        return None
    table = []
    unnamed: dict[int, None] = {}  # columns without a header whose values are ignored
    strict = used != "xlsx"  # a CSV row has as many fields as the header, no fewer, no more
    name_column = next((c for c in names if c in header), None)
    limits = {c: (MAX_ID_LENGTH if c in ids else MAX_NAME_LENGTH if c in names + labels
                  else MAX_TEXT_LENGTH, c in names) for c in header if c in known}
    # Only the columns the reader uses are kept (the others are ignored, and a table as wide
    # as its bounds would take gigabytes); the last of a column given twice, as before.
    kept = list({c: i for i, c in enumerate(header) if c in limits}.items())
    width = len(header)
    blank_headed = [i for i, h in enumerate(header) if not h]
    for number, values in rows:
        if not any(values) or not any(cell(v).strip() for v in values):
            continue  # blank line
        if (strict and len(values) != width) or (
                len(values) > width and any(v.strip() for v in values[width:])):
            ragged(problems, name, number, values, header, name_column)
            continue
        record = {c: (cell(values[i]).strip() if i < len(values) else "") for c, i in kept}
        long = [(c, length_problem(record[c], *limits[c])) for c in limits
                if len(record[c]) > limits[c][0]]
        for c, why in long:
            problems.add(name, number, headers.get(c, c), why)
        if any(c in ids for c, _ in long):
            continue  # an id too long to be one: the row is not read further
        table.append((number, record))
        for i in blank_headed:
            if i < len(values) and i not in unnamed and cell(values[i]).strip():
                unnamed[i] = None
    if len(unnamed) == 1:
        say(str(Problem(name, message=t("column_no_header", n=next(iter(unnamed)) + 1))))
    elif unnamed:
        say(str(Problem(name, message=t("columns_no_header", columns=several(
            [str(i + 1) for i in unnamed])))))
    return Table(path, header, table, headers, used, name, name_column)


# What Chinese Excel writes when it saves CSV: GB18030 (a superset of GBK and GB2312).
# UTF-8 is tried first and strictly: text in GBK is almost never valid UTF-8, so the first
# encoding that decodes the whole file is the file's. Latin-1 text may also decode as
# GB18030: the encoding used is then said, and ``encoding:`` in the scenario overrides it.
ENCODINGS = ("utf-8-sig", "gb18030")
BOM = b"\xef\xbb\xbf"


def detect_encoding(data: bytes) -> str:
    return _decode(data)[1]


def _decode(data: bytes) -> tuple[str, str]:
    """The text of ``data`` in the first of ENCODINGS that decodes it, and that encoding
    (decoded once: a file of 256 MB is not decoded twice)."""
    for encoding in ENCODINGS:
        bom = encoding == "utf-8-sig" and data.startswith(BOM)
        try:  # without a BOM, utf-8-sig is utf-8 (whose decoder is faster)
            text = data.decode(encoding if bom or encoding != "utf-8-sig" else "utf-8")
        except UnicodeDecodeError:
            continue
        return text, ("utf-8-bom" if bom else "utf-8" if encoding == "utf-8-sig" else encoding)
    data.decode("utf-8")  # raises the UnicodeDecodeError the caller reports
    raise AssertionError("unreachable")


class BadText(ValueError):
    """A CSV file that is not text, or not CSV, at a row (and a column, when it can tell)."""

    def __init__(self, row: int, column: str, message: str):
        super().__init__(message)
        self.row, self.column, self.message = row, column, message

    def add_to(self, problems: Problems, name: str) -> None:
        problems.add(name, self.row, self.column, self.message)


def _where(data: bytes | str, at: int) -> tuple[int, str]:
    """The line of position ``at`` (the header is line 1) and the header of its field (by
    the commas before it on its line; empty when it cannot tell)."""
    newline, comma = (b"\n", b",") if isinstance(data, bytes) else ("\n", ",")
    row = data.count(newline, 0, at) + 1
    start = data.rfind(newline, 0, at) + 1
    field = data.count(comma, start, at)
    end = data.find(newline)
    head = data[:end if end >= 0 else len(data)]
    if isinstance(head, bytes):
        head = head.decode("utf-8", "replace")
    names = [h.strip().strip('"').strip() for h in head.removeprefix("\ufeff").split(",")]
    column = names[field] if row > 1 and field < len(names) else ""
    return row, clip(column) if "\ufffd" not in column else ""


def decode_csv(data: bytes, encoding: str | None = None) -> tuple[str, str]:
    """A CSV file's text and the encoding it was read in (``utf-8``, ``utf-8-bom``,
    ``gb18030`` or the one given; a BOM says UTF-8, UTF-16 or UTF-32 whatever is given). Raises
    :class:`BadText` at the row (and column) of the first byte that is not text."""
    try:
        if data.startswith(BOM):
            used, text = "utf-8-bom", data.decode("utf-8-sig")
        elif data.startswith((codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE)):
            used, text = "utf-32", data.decode("utf-32")  # Excel's "Unicode text" is UTF-16
        elif data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
            used, text = "utf-16", data.decode("utf-16")
        elif encoding:
            used, text = encoding, data.decode(encoding)
        else:
            text, used = _decode(data)
    except UnicodeDecodeError as exc:
        row, column = _where(data, exc.start)
        raise BadText(row, column, t("not_in_encoding", encoding=encoding, byte=exc.start)
                      if encoding and not data.startswith(BOM)
                      else t("not_text", byte=exc.start)) from None
    text = text.removeprefix("\ufeff")
    nul = text.find("\x00")
    if nul >= 0:
        row, column = _where(text, nul)
        raise BadText(row, column, t("nul_byte"))
    return text, used


class _LongLine(Exception):
    """A line longer than MAX_LINE, at this position of the text."""


def line_count(text: str, end: int | None = None) -> int:
    """Line ends (CRLF, CR or LF) in ``text`` (before ``end``), at C speed."""
    end = len(text) if end is None else end
    lf = text.count("\n", 0, end)
    if text.find("\r", 0, end) < 0:
        return lf
    return lf + text.count("\r", 0, end) - text.count("\r\n", 0, end)


def _line_end(text: str, at: int) -> tuple[int, int] | None:
    """The first line end (CRLF, CR or LF) at or after ``at``: where it starts and ends."""
    lf = text.find("\n", at)
    cr = text.find("\r", at, lf if lf >= 0 else len(text))
    if cr >= 0:
        return cr, cr + 2 if text.startswith("\n", cr + 1) else cr + 1
    return (lf, lf + 1) if lf >= 0 else None


def _lines(text: str, at: int = 0):
    """The lines of ``text`` from ``at``, ends kept, as the csv module reads them from
    io.StringIO(text, newline=""), a chunk of about MAX_LINE characters at a time (StringIO
    takes 4 bytes a character: the whole text at once would take 4 times its size). A line
    longer than MAX_LINE raises :class:`_LongLine` once the lines before it are given (a file
    of one line without an end would otherwise be read whole into one row)."""
    n = len(text)
    while at < n:
        target = at + MAX_LINE
        if target >= n:
            yield from io.StringIO(text[at:], newline="")
            return
        # The chunk ends with the line that crosses ``target``: the only one of the chunk
        # that can be longer than MAX_LINE.
        end = _line_end(text, target - 1)
        body, stop = end if end else (n, n)
        last = max(text.rfind("\n", at, body), text.rfind("\r", at, body), at - 1) + 1
        if body - last > MAX_LINE:
            yield from io.StringIO(text[at:last], newline="")
            raise _LongLine(last)
        yield from io.StringIO(text[at:stop], newline="")
        at = stop


def _line_start(text: str, line: int) -> int:
    """Where line ``line`` (the first is 1) of ``text`` starts."""
    if line <= 1:
        return 0
    at = 0
    for _ in range(line - 1):
        end = _line_end(text, at)
        if end is None:
            return len(text)
        at = end[1]
    return at


def _long_value(text: str, at: int, header: list[str] | None) -> str:
    """The header of the first value longer than the csv module's limit in the record that
    starts at ``at`` (empty when it cannot tell: the record is the header, or it is not
    within the next MAX_LINE characters)."""
    limit = csv.field_size_limit()
    piece = text[at:at + MAX_LINE]
    csv.field_size_limit(len(piece) + 1)
    try:
        fields = next(csv.reader(io.StringIO(piece, newline="")), [])
    except csv.Error:
        fields = []
    finally:
        csv.field_size_limit(limit)
    i = next((i for i, v in enumerate(fields) if len(v) > limit), None)
    return clip(header[i].strip()) if header and i is not None and i < len(header) else ""


def csv_records(text: str, start: int = 1, header: list[str] | None = None):
    """(line, values) for each record of a CSV text, ``line`` the line it starts on (the
    first is ``start``). A quote opened and never closed (the csv module would read the rest
    of the file as one value) raises :class:`BadText` at the line that opened it (before
    that record is given); so does a value longer than the csv module's limit (131,072
    characters), or a line longer than MAX_LINE. ``header``: the file's, when ``text`` is a
    part of it after the header (every record a row), for naming a column in a message."""
    reader = csv.reader(_lines(text))
    line = start
    rows_from = start if header is not None else start + 1  # the first line of a row
    held = None  # a record is given once the next one is read
    try:
        for values in reader:
            if held is not None:
                yield held
            held = (line, values)
            header = values if header is None else header
            line = start + reader.line_num
    except csv.Error as exc:
        if "field limit" not in str(exc):
            raise BadText(line, "", t("cannot_read", error=exc)) from None
        column = _long_value(text, _line_start(text, line - start + 1),
                             header if line >= rows_from else None)
        raise BadText(line, column, t("value_too_long", limit=f"{csv.field_size_limit():,}"))\
            from None
    except _LongLine as exc:
        at = exc.args[0]
        row = start + line_count(text, at)
        column = _long_value(text, at, header if row == line >= rows_from else None)
        raise BadText(row, column, t("value_too_long", limit=f"{csv.field_size_limit():,}")
                      if column else t("line_too_long", limit=f"{MAX_LINE:,}")) from None
    if held is not None:
        last, values = held
        if line - last > 1:
            field = next((i for i, v in enumerate(values) if "\n" in v or "\r" in v), None)
            column = header[field] if field is not None and last >= rows_from and \
                field < len(header) else ""
            _closed(text, last - start + 1, last, clip(column.strip()))
        yield held


def _closed(text: str, first: int, row: int, column: str) -> None:
    """The last record, from its ``first`` line of ``text``, spans lines: raise BadText when
    it is a quote never closed."""
    try:
        for _ in csv.reader(_lines(text, _line_start(text, first)), strict=True):
            pass
    except csv.Error as exc:
        if "end of data" in str(exc):
            raise BadText(row, column, t("open_quote")) from None


def ragged(problems: Problems, name: str, row: int, values: list[str],
           header: list[str], name_column: str | None = None) -> None:
    """A row with more (or fewer) fields than the header; when a value spans lines, a quote
    opened on this row and closed on a later one made it so: said so. In a file with a
    name column, more fields than the header may be a comma in a name: said too (no value
    of the row is shown)."""
    spans = [v.count("\n") + v.count("\r") - v.count("\r\n") for v in values]
    if not any(spans):
        more = name_column is not None and len(values) > len(header)
        problems.add(name, row, message=t("ragged_row", fields=len(values), header=len(header))
                     + (t("comma_in_name", column=name_column) if more else ""))
        return
    first = next(i for i, n in enumerate(spans) if n)
    column = clip(header[first]) if first < len(header) else ""
    problems.add(name, row, column, t("quote_spans", end=row + sum(spans), fields=len(values),
                                      header=len(header)))


def _read_csv(f, encoding: str | None = None):
    """A CSV file's records (:func:`csv_records`) and its encoding; its lines are counted
    (MAX_ROWS after the header, blank ones too) before any is read."""
    data = read_limited(f, MAX_TABLE_BYTES)
    if data.startswith((b"\xd0\xcf\x11\xe0", b"PK\x03\x04")):  # OLE (.xls), zip (.xlsx)
        raise BadText(0, "", t("workbook_not_named_xlsx"))
    text, used = decode_csv(data, encoding)
    lines = text.count("\n")  # enough to refuse 200 million empty lines
    if lines <= MAX_ROWS:
        lines = line_count(text)
    lines += not text.endswith(("\n", "\r"))
    if lines > MAX_ROWS + 1:
        raise BadText(0, "", t("too_many_lines", n=f"{lines:,}", limit=f"{MAX_ROWS:,}"))
    return csv_records(text), used


def _cell_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, datetime):
        return (value.date().isoformat() if value.time() == datetime.min.time()
                else value.isoformat())
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer() and abs(value) < 2**53:
        return str(int(value))
    return repr(value) if isinstance(value, float) else str(value)


class _NoSheet(Exception):
    pass


class _NotXlsx(Exception):
    """Not a workbook staffplan reads: the message (and the row it is about, if any)."""

    def __init__(self, message: str, row: int = 0):
        super().__init__(message)
        self.row = row


def _check_zip(f) -> None:
    """Before openpyxl opens it: a real .xlsx (a zip), not bigger than the bounds."""
    import zipfile

    if os.fstat(f.fileno()).st_size > MAX_TABLE_BYTES:
        raise _TooBig(megabytes(MAX_TABLE_BYTES))
    magic = f.read(8)
    f.seek(0)
    if magic.startswith(b"\xd0\xcf\x11\xe0"):  # an OLE file: encrypted .xlsx, or .xls
        raise _NotXlsx(t("xlsx_encrypted"))
    if not magic.startswith(b"PK"):
        raise _NotXlsx(t("not_xlsx", error="not a zip file (a CSV file named .xlsx?)"))
    try:
        with zipfile.ZipFile(f) as z:
            parts = z.infolist()
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise _NotXlsx(t("not_xlsx", error=exc.__class__.__name__)) from None
    unpacked = sum(i.file_size for i in parts)
    names = [i.filename for i in parts]
    if len(set(names)) < len(names):  # which of two parts of one name is read cannot be told
        twice = next(n for n in names if names.count(n) > 1)
        raise _NotXlsx(t("xlsx_part_twice", part=clip(twice)))
    if unpacked > MAX_XLSX_UNPACKED:
        raise _NotXlsx(t("xlsx_too_big", limit=megabytes(MAX_XLSX_UNPACKED)))
    f.seek(0)


class _Unreadable:
    """A cell openpyxl cannot read (a number written NaN or inf, a string index or a boolean
    that is not one): its value, to name the cell in a problem."""

    def __init__(self, kind: str):
        self.kind = kind


def _letter(column: int) -> str:
    """A column's letters (C); a column beyond any sheet's as its number."""
    from openpyxl.utils import get_column_letter

    try:
        return get_column_letter(column)
    except ValueError:
        return f"column {column}"


def _ref(column: int, row: int) -> str:
    """A cell's reference (C2)."""
    return f"{_letter(column)}{row}" if column >= 1 else f"row {row}"


_PARSER = None


def _parser_class():
    """openpyxl's parser of a sheet's XML, which says where each row and cell is written
    (openpyxl's own rows silently keep one of two cells written at one place, drop a row
    written after a later one, and put a cell where its row is, whatever its reference
    says), keeps a cell it cannot convert as :class:`_Unreadable`, and marks formulas."""
    global _PARSER
    if _PARSER is not None:
        return _PARSER
    from openpyxl.utils.cell import coordinate_to_tuple
    from openpyxl.worksheet._reader import WorkSheetParser
    from openpyxl.xml.constants import SHEET_MAIN_NS

    formula = f"{{{SHEET_MAIN_NS}}}f"

    class Parser(WorkSheetParser):
        def parse_row(self, row):
            ref = row.get("r")
            if ref is not None:
                try:
                    number = float(ref)
                    ok = number.is_integer() and number >= 1
                except ValueError:
                    ok = False
                if not ok:
                    raise _NotXlsx(t("xlsx_bad_row", ref=clip(ref), before=self.row_counter),
                                   self.row_counter + 1)
            return super().parse_row(row)

        def parse_cell(self, element):
            try:
                cell = super().parse_cell(element)
            except (ValueError, TypeError, IndexError, KeyError, OverflowError):
                try:
                    row, column = coordinate_to_tuple(element.get("r"))
                except Exception:  # noqa: BLE001  (no or a broken reference: the next cell)
                    row, column = self.row_counter, self.col_counter + 1
                self.col_counter = column
                cell = {"row": row, "column": column, "data_type": "n", "style_id": 0,
                        "value": _Unreadable(element.get("t", "n"))}
            cell["formula"] = element.find(formula) is not None
            return cell

    _PARSER = Parser
    return Parser


class _Sheet:
    """A sheet of an .xlsx file opened to be read row by row (:meth:`rows`); ``name`` says
    the file and the sheet."""

    def __init__(self, f, path: Path, sheet: str | None, problems: Problems):
        from openpyxl import load_workbook  # only when an Excel file is read

        _check_zip(f)
        try:
            self.book = load_workbook(f, read_only=True, data_only=True)
        except Exception as exc:  # noqa: BLE001  (openpyxl raises many kinds on a broken file)
            raise _NotXlsx(t("not_xlsx", error=exc.__class__.__name__)) from None
        try:
            if sheet is None:
                self.ws = self.book.worksheets[0]
            elif sheet in self.book.sheetnames:
                self.ws = self.book[sheet]
            else:
                raise _NoSheet(sheet, self.book.sheetnames)
        except _NoSheet:
            self.close()
            raise
        except Exception as exc:  # noqa: BLE001
            self.close()
            raise _NotXlsx(t("not_xlsx", error=exc.__class__.__name__)) from None
        self.name = f"{path}[{self.ws.title}]"
        self.problems = problems
        self.broken = False  # a cell could not be read (said), the table is not used

    def close(self) -> None:
        self.book.close()

    def rows(self):
        """(row number, values as text) of each row with a value, in order. The sheet's
        declared dimension is ignored (it may lie); at most MAX_COLUMNS columns and MAX_ROWS
        rows are read, data beyond is a problem; so is a row or a cell the sheet's XML
        writes twice, out of order, or a cell in another row than its reference says (a
        damaged file: which value holds cannot be told). A formula is read as its saved
        result; one without a saved result, an error value (#REF!), a number that is not
        finite (NaN, inf) or a cell that cannot be read is a problem naming the cell."""
        ws, book = self.ws, self.book
        source = None
        before = 0
        try:
            source = ws._get_source()
            parser = _parser_class()(source, ws._shared_strings, data_only=True,
                                     epoch=book.epoch, date_formats=book._date_formats,
                                     timedelta_formats=book._timedelta_formats)
            for number, cells in parser.parse():
                if number <= before:
                    raise _NotXlsx(t("xlsx_row_twice" if number == before else "xlsx_row_order",
                                     row=number, before=before), number)
                before = number
                values = self._values(number, cells)
                if values is not None:
                    yield number, values
        except (_NotXlsx, _TooBig):
            raise
        except Exception as exc:  # noqa: BLE001
            raise _NotXlsx(t("not_xlsx", error=exc.__class__.__name__)) from None
        finally:
            if source is not None:
                source.close()

    def _values(self, number: int, cells: list[dict]) -> list[str] | None:
        """A row's values as text, None when it has none."""
        values: list[str] = []
        column = 0
        for c in cells:
            if c["row"] != number:
                raise _NotXlsx(t("xlsx_cell_row", cell=_ref(c["column"], c["row"]), row=number),
                               number)
            if c["column"] <= column:
                raise _NotXlsx(t("xlsx_cell_twice" if c["column"] == column else "xlsx_cell_order",
                                 cell=_ref(c["column"], number), before=_ref(column, number)),
                               number)
            column = c["column"]
            value = c["value"]
            if value is None and not c["formula"]:
                continue
            if column > MAX_COLUMNS:
                raise _NotXlsx(t("sheet_too_big", what=f"column {_letter(MAX_COLUMNS)}",
                                 limit=MAX_COLUMNS))
            if number > MAX_ROWS:
                raise _NotXlsx(t("sheet_too_big", what=f"row {MAX_ROWS:,}", limit=MAX_ROWS))
            problem = None
            if value is None:  # a formula without its result
                problem = t("xlsx_formula", cell=_ref(column, number))
            elif c["data_type"] == "e":  # an error value, or a date out of Excel's range
                problem = t("xlsx_error", cell=_ref(column, number), value=clip(str(value)))
            elif isinstance(value, _Unreadable) or (
                    isinstance(value, float) and not math.isfinite(value)):
                problem = t("xlsx_not_number" if not isinstance(value, _Unreadable)
                            or value.kind == "n" else "xlsx_unreadable", cell=_ref(column, number))
            if problem:
                self.problems.add(self.name, number, message=problem)
                self.broken = True
                value = None
            values.extend([""] * (column - 1 - len(values)))
            text = _cell_text(value)
            width = self._zeros(c.get("style_id", 0)) if isinstance(value, int) else 0
            values.append(text.rjust(width, "0") if text.isdigit() else text)
        return values if values else None

    def _zeros(self, style: int) -> int:
        """The width of a number format of zeros only (``000000``: Excel shows 1234 as
        001234, as an id of six digits is written); 0 for any other format."""
        if not hasattr(self, "_widths"):
            self._widths: dict[int, int] = {}
        if style not in self._widths:
            width = 0
            try:
                from openpyxl.styles.numbers import BUILTIN_FORMATS

                fmt_id = self.book._cell_styles[style].numFmtId
                code = BUILTIN_FORMATS.get(fmt_id) if fmt_id < 164 \
                    else self.book._number_formats[fmt_id - 164]
                if code and re.fullmatch(r"0+", code):
                    width = len(code)
            except (AttributeError, IndexError, TypeError):
                pass
            self._widths[style] = width
        return self._widths[style]


# What a reader raises when a file cannot be read as a table (said as a problem).
_READ_ERRORS = (_NoSheet, _NotXlsx, BadText, OSError, csv.Error, ValueError, KeyError)
