"""Load a promotion round: the scenario's ``promotions:`` section and the posting history.

``history.csv``: ``officer_id,unit,role,start,end`` (Chinese headers and role names accepted,
``HISTORY_ALIASES``, ``ROLE_ALIASES``). ``end`` is empty for a posting that runs on. Every
problem is collected and reported at once with file, row and column: an unknown officer or
unit, a bad role or date, an ``end`` before its ``start``, a chief or deputy posting outside a
station, overlapping chief postings at two stations; in the config, a bureau id that is not a
bureau.

A history has about ten rows per officer, so a CSV is read column by column into arrays
(each date text parsed once), not row by row into dictionaries.
"""

from __future__ import annotations

import csv
from datetime import date
from itertools import islice
from pathlib import Path

import numpy as np

from staffplan.bounds import date_problem
from staffplan.config import source_of
from staffplan.domain import Kind, Scenario
from staffplan.errors import InputError, Problem, Problems, note
from staffplan.i18n import kind_name, t
from staffplan.io.roster import DATE_MAX, DATE_MIN, parse_date
from staffplan.io.tables import (
    MAX_TABLE_BYTES,
    BadText,
    Table,
    cannot_open,
    check_header,
    csv_records,
    decode_csv,
    ragged,
    read_bounded,
    read_table,
)
from staffplan.promotions.history import OPEN, ROLES, TRACKS, History, Round

HISTORY_COLUMNS = ["officer_id", "unit", "role", "start", "end"]
HISTORY_REQUIRED = ["officer_id", "unit", "role", "start"]
HISTORY_ALIASES = {
    "警号": "officer_id", "编号": "officer_id", "民警编号": "officer_id", "单位": "unit",
    "任职单位": "unit", "职务": "role",
    "起始日期": "start", "开始日期": "start", "任职日期": "start",
    "终止日期": "end", "结束日期": "end", "免职日期": "end",
}
# A column of names in a history (an office's own: not read) is personal data: what the
# history says of a row never shows a name (``Table.shown``).
NAME_COLUMNS = ("name", "officer_name", "姓名")
ROLE_ALIASES = {"民警": "officer", "副所长": "deputy", "教导员": "deputy", "所长": "chief",
                "局领导": "leader"}


def load_round(scenario: Scenario) -> Round:
    """The scenario's promotion round, with its history read and checked; one InputError
    lists every problem."""
    settings = scenario.config.promotions
    if settings is None:
        raise InputError([Problem(scenario.source or "scenario", column="promotions",
                                  message=t("pm_no_section"))])
    problems = Problems()
    _check_bureaus(scenario, settings, problems)
    if settings.history is None:
        problems.add(source_of(scenario.provenance, "promotions") or scenario.source, 0,
                     "promotions.history", t("missing_key"))
        problems.raise_if_any()
    history = read_history(Path(settings.history), scenario, problems)
    problems.raise_if_any()
    return Round(scenario, settings, history)


def _check_bureaus(scenario: Scenario, settings, problems: Problems) -> None:
    org = scenario.organisation
    tables = [("promotions.rank_slots", settings.rank_slots)] + [
        (f"promotions.openings.{track}", getattr(settings.openings, track)) for track in TRACKS[1:]]
    for key, table in tables:
        for bureau in table:
            if bureau not in org or not org[bureau].kind.is_bureau:
                dotted = f"{key}.{bureau}"
                problems.add(source_of(scenario.provenance, dotted) or scenario.source, 0, dotted,
                             t("pm_not_bureau", value=bureau)
                             + org.ids.hint(bureau, lambda b: org[b].kind.is_bureau))


def _header(written: list[str], name: str, problems: Problems, checked: bool = False):
    """Column name -> position, and column name -> header as written; None when a required
    column is missing. Unknown columns are checked (``check_header``) unless ``checked``."""
    written = [h.strip() for h in written]
    columns = [HISTORY_ALIASES.get(h, HISTORY_ALIASES.get(h.lower(), h)) for h in written]
    labels = {c: w for c, w in zip(columns, written)}
    if not any(columns):
        problems.add(name, 1, message=t("empty_file"))
        return None
    if not checked:
        check_header(name, written, columns, HISTORY_COLUMNS, HISTORY_ALIASES, problems, note)
    position: dict[str, int] = {}
    for i, c in enumerate(columns):
        if c in position and c:
            problems.add(name, 1, labels[c], t("column_twice"))
        position.setdefault(c, i)
    missing = [c for c in HISTORY_REQUIRED if c not in position]
    for c in missing:
        problems.add(name, 1, c, t("missing_column"))
    return None if missing else (position, labels)


CHUNK = 65536  # rows converted at once: bounded memory, C-speed mapping


def _chunks(path: Path, problems: Problems):
    """(file name, header, iterator of (lines, rows) chunks); None when the file cannot be
    read. Without quotes a CSV row is one line, so rows are taken in C-speed slices."""
    name = str(path)
    if path.suffix.lower() in (".xlsx", ".xlsm"):
        table = read_table(path, HISTORY_REQUIRED, problems, HISTORY_ALIASES,
                           known=HISTORY_COLUMNS)
        if table is None:
            return None
        rows = [(row, [r.get(c, "") for c in table.columns]) for row, r in table.rows]
        return (table.name or name, [table.label(c) for c in table.columns],
                iter([tuple(map(list, zip(*rows)))] if rows else []))
    try:
        data = read_bounded(path, MAX_TABLE_BYTES)
        text, encoding = decode_csv(data)
    except BadText as exc:
        exc.add_to(problems, name)
        return None
    except ValueError as exc:  # too big
        problems.add(name, message=t("file_too_big", limit=exc.args[0]))
        return None
    except OSError as exc:  # missing, a folder, a FIFO, a device: said as for every table
        problems.add(name, message=cannot_open(exc))
        return None
    codec = {"utf-8": "utf-8", "utf-8-bom": "utf-8-sig"}.get(encoding, encoding)
    if encoding not in ("utf-8", "utf-8-bom"):
        note(str(Problem(name, message=t("encoding_used", encoding=encoding))))
    newline = data.find(b"\n")
    # Rows as lines of bytes: where the encoding writes ASCII as ASCII (not UTF-16).
    ascii_bytes = '\n",'.encode("utf-8" if codec == "utf-8-sig" else codec) == b'\n",'
    if ascii_bytes and b'"' not in data and newline >= 0:
        header = next(csv.reader([text[:text.find("\n")]]), None)
        if not header:
            problems.add(name, 1, message=t("empty_file"))
            return None
        del text
        return name, header, _said(_segments(data, newline + 1, header, codec),
                                   problems, name)
    records = csv_records(text)
    try:
        header = next(records, (1, None))[1]
    except BadText as exc:
        exc.add_to(problems, name)
        return None
    if not header:
        problems.add(name, 1, message=t("empty_file"))
        return None

    def chunks():
        while True:  # a quoted field may span lines: each row's first line
            pairs = list(islice(records, CHUNK))
            if not pairs:
                return
            yield [n for n, _ in pairs], [v for _, v in pairs]

    return name, header, _said(chunks(), problems, name)


def _said(chunks, problems: Problems, name: str):
    """The chunks, until one cannot be read (a value or a line too long): said as a problem
    of the file, naming the row and column."""
    try:
        yield from chunks
    except BadText as exc:
        exc.add_to(problems, name)


SEGMENT = 1 << 22  # bytes of an unquoted CSV converted at once (about 90,000 postings)


def _segments(data: bytes, start: int, header: list[str], codec: str):
    """An unquoted CSV, a few megabytes at a time, each line a row: regular segments at C
    speed (``_byte_columns``), the others through the csv module."""
    full = np.frombuffer(data, np.uint8)
    line = 2
    while start < len(data):
        stop = data.find(b"\n", min(start + SEGMENT, len(data) - 1))
        stop = len(data) if stop < 0 else stop + 1
        rows = _byte_columns(full, start, stop, len(header), codec)
        if rows is None:  # bounded as every CSV is (a value, a line too long: BadText)
            rows = [v for _, v in csv_records(data[start:stop].decode(codec), line, header)]
            n = len(rows)
        else:
            n = rows.n
        yield range(line, line + n), rows
        line += n
        start = stop


class _Fast:
    """Rows read at C speed: each column as a matrix of bytes (one row per value, zeros
    after its length) and the lengths."""

    def __init__(self, n: int, columns: list[tuple[np.ndarray, np.ndarray]], codec: str):
        self.n, self.columns, self.codec = n, columns, codec.replace("-sig", "")


def _byte_columns(full: np.ndarray, start: int, stop: int, width: int, codec: str) -> _Fast | None:
    """Lines ``[start, stop)`` of an unquoted CSV, when regular: every line ends with a
    newline and has the header's number of fields, no value is longer than 64 bytes or has
    spaces around it. None for the csv module to read."""
    body = full[start:stop]
    if not len(body) or body[-1] != 10:
        return None
    is_newline = body == 10
    delim = np.flatnonzero(is_newline | (body == 44)).astype(np.int64)
    if len(delim) % width or int(is_newline.sum()) * width != len(delim):
        return None
    del is_newline
    ends = delim.reshape(-1, width)
    if not (body[ends[:, -1]] == 10).all():
        return None
    n = len(ends)
    starts = np.empty_like(ends)
    starts[:, 0] = np.concatenate(([0], ends[:-1, -1] + 1))
    starts[:, 1:] = ends[:, :-1] + 1
    stops = ends.copy()
    cr = (stops[:, -1] > starts[:, -1]) & (body[np.maximum(stops[:, -1] - 1, 0)] == 13)
    stops[cr, -1] -= 1
    if int(np.count_nonzero(body == 13)) != int(cr.sum()):
        return None  # a carriage return inside a line
    lengths = stops - starts
    if int(lengths.max(initial=0)) > 64:
        return None
    if stop + 64 <= len(full):
        buffer, offset = full, start  # windows may run into the next bytes: masked below
    else:
        buffer, offset = np.concatenate((body, np.zeros(64, np.uint8))), 0
    columns = []
    for c in range(width):
        size = max(int(lengths[:, c].max(initial=0)), 1)
        values = np.lib.stride_tricks.sliding_window_view(buffer, size)[starts[:, c] + offset]
        values = values * (np.arange(size) < lengths[:, c, None])
        last = values[np.arange(n), np.maximum(lengths[:, c] - 1, 0)]
        if any(((e == 32) | (e == 9)).any() for e in (values[:, 0], last)):
            return None  # spaces around a value: the csv module's rows are stripped
        columns.append((values.astype(np.uint8), lengths[:, c]))
    return _Fast(n, columns, codec)


class _Column:
    """One column of a chunk: each row's code, its text (for messages), whether empty."""

    def __init__(self, codes: np.ndarray, empty: np.ndarray, text):
        self.codes, self.empty, self.text = codes, empty, text

    @classmethod
    def of_bytes(cls, column: tuple[np.ndarray, np.ndarray], codec: str, resolve) -> _Column:
        """``resolve`` is called once per distinct value. Values are grouped by a 64-bit
        hash of their bytes, then compared byte for byte (a collision falls back to a sort
        of the values themselves)."""
        values, lengths = column
        digest = np.full(len(values), 14695981039346656037, np.uint64)
        with np.errstate(over="ignore"):
            for j in range(values.shape[1]):
                digest = (digest ^ values[:, j]) * np.uint64(1099511628211)
        _, first, inverse = np.unique(digest, return_index=True, return_inverse=True)
        inverse = inverse.ravel()
        if not (values == values[first][inverse]).all():
            _, first, inverse = np.unique(np.ascontiguousarray(values).view(
                f"S{values.shape[1]}").ravel(), return_index=True, return_inverse=True)
            inverse = inverse.ravel()
        texts = [bytes(values[i, :lengths[i]]).decode(codec) for i in first]
        codes = np.array([resolve(text) for text in texts], np.int64)
        empty = np.array([not text for text in texts], bool)
        return cls(codes[inverse], empty[inverse], lambda i: texts[inverse[i]])

    @classmethod
    def of_texts(cls, texts: list[str], resolve) -> _Column:
        n = len(texts)
        codes = np.fromiter(map(resolve, texts), np.int64, n)
        empty = ~np.fromiter(map(bool, texts), bool, n)
        return cls(codes, empty, texts.__getitem__)


ABSENT = -2  # an officer of the roster files on no step of the plan
OUT_OF_RANGE = -3  # a date outside staffplan.bounds' dates
CROSSED = -4  # not an officer but a unit id (in officer_id), not a unit but an officer id (unit)
# A name cell (NAME_COLUMNS) holding what a name never is: a unit id, an officer id.
NAME_OK, NAME_UNIT, NAME_OFFICER = 0, 1, 2


def read_history(path: Path, scenario: Scenario, problems: Problems) -> History | None:
    """Read and check the posting history; problems go to ``problems``. A column most of
    whose values are not what its header says (swapped headers) is one problem for the
    column (``Table.judge``); a row's problems never show a name (``Table.shown``)."""
    got = _chunks(path, problems)
    if got is None:
        return None
    name, header, chunks = got
    head = _header(header, name, problems, checked=path.suffix.lower() in (".xlsx", ".xlsm"))
    if head is None:
        return None
    position, labels = head

    def label(column: str) -> str:
        return labels.get(column, column)

    org = scenario.organisation
    officers = {o.id: i for i, o in enumerate(scenario.officers)}
    # Officers in the roster files but on no step of the plan (they left before it, or join
    # after it): their postings are history, not an error; they take no part.
    if scenario.horizon is not None:
        officers.update({oid: ABSENT for oid in scenario.horizon.absent if oid not in officers})
    unit_ids = list(org.units)
    units = {u: i for i, u in enumerate(unit_ids)}
    roles = {r: i for i, r in enumerate(ROLES)}
    roles.update({k: roles[v] for k, v in ROLE_ALIASES.items()})
    days: dict[str, int] = {"": OPEN}
    # Postings are the past: none starts or ends after the plan date (the first step's).
    now = scenario.plan_date.toordinal()

    def day(text: str) -> int:
        if text not in days:
            d = parse_date(text)
            days[text] = (-1 if d is None else OUT_OF_RANGE if date_problem(d)
                          else d.toordinal())
        return days[text]

    def named(text: str) -> int:
        return NAME_UNIT if text in units else NAME_OFFICER if text in officers else NAME_OK

    name_column = next((c for c in NAME_COLUMNS if c in position), None)
    names = position.get(name_column)
    resolve = (lambda x: officers.get(x, CROSSED if x in units else -1),
               lambda x: units.get(x, CROSSED if x in officers else -1),
               lambda x: roles.get(x, roles.get(x.lower(), -1)), day, day, named)
    order = [position[c] for c in HISTORY_REQUIRED] + [position.get("end"), names]
    judged = _Judged(label, name_column)
    bad_rows: list[tuple] = []
    parts: list[tuple[np.ndarray, ...]] = []
    for lines, rows in chunks:
        if isinstance(rows, _Fast):
            n = rows.n
            cols = [_Column.of_bytes(rows.columns[i], rows.codec, f) if i is not None
                    else _Column.of_texts([""] * n, f) for i, f in zip(order, resolve)]
        else:
            lines, rows = _even(name, lines, rows, header, problems)
            n = len(rows)
            if not n:
                continue
            columns = list(zip(*rows))
            cols = [_Column.of_texts(list(map(str.strip, columns[i])) if i is not None
                                     else [""] * n, f) for i, f in zip(order, resolve)]
        o, u, r, start, end, who = (c.codes for c in cols)
        line = np.fromiter(lines, np.int64, n)
        blank = np.logical_and.reduce([c.empty for c in cols[:5]])
        future = ((start > now) & (start < OPEN)) | ((end > now) & (end < OPEN))
        bad = (((o < 0) & (o != ABSENT)) | (u < 0) | (r < 0) | (start < 0) | (start == OPEN)
               | (end < 0) | (end < start) | future) & ~blank
        judged.add(line, cols, o, u, r, start, end, who)
        for i in np.nonzero(bad)[0]:
            bad_rows.append((int(line[i]), *(c.text(i) for c in cols), o[i], u[i], r[i],
                             start[i], end[i]))
        keep = ~bad & ~blank & (o != ABSENT)
        parts.append((o[keep], u[keep], r[keep], start[keep], end[keep], line[keep]))
    wrong = judged.judge(name, problems)
    if bad_rows:
        columns = HISTORY_COLUMNS + [name_column or ""]
        table = Table(path, columns, [(b[0], dict(zip(columns, b[1:7]))) for b in bad_rows],
                      {c: label(c) for c in columns if c}, name=name, name_column=name_column)
        table.expect({"officer_id": ("what_officer", officers), "unit": ("what_unit", units)},
                     scenario.personal_names, wrong)
        for line, *texts, o, u, r, start, end in bad_rows:
            _row_problems(name, line, label, table, texts[:5], o, u, r, start, end, now,
                          wrong, scenario, problems)
    cols = [np.concatenate([p[j] for p in parts]) if parts else np.zeros(0, np.int64)
            for j in range(6)]
    history = History(name, cols[0].astype(np.int32), cols[1].astype(np.int32),
                      cols[2].astype(np.int8), cols[3].astype(np.int32), cols[4].astype(np.int32),
                      cols[5].astype(np.int32), unit_ids)
    _check_chiefs(history, scenario, name, label, problems)
    return history


class _Judged:
    """What the history's columns hold, chunk by chunk, for ``Table.judge``: each column's
    values and the rows of those that are not what it should hold; of officer_id and unit,
    how many values of the other (and of a name column) are what it should hold (swapped
    headers)."""

    WHAT = {"officer_id": "what_officer", "unit": "what_unit", "role": "what_role",
            "start": "what_date", "end": "what_date"}

    def __init__(self, label, name_column: str | None):
        self.columns = {c: Table.Column(label(c), w) for c, w in self.WHAT.items()}
        self.name = Table.Column(label(name_column), "what_data") if name_column else None
        self.held: dict[str, dict[str, list[int]]] = {"officer_id": {}, "unit": {}}
        self.label = label

    def add(self, line, cols, o, u, r, start, end, who) -> None:
        filled = [~c.empty for c in cols]
        wrong = [(o < 0) & (o != ABSENT), u < 0, r < 0, start < 0, end < 0]
        for col, f, w in zip(self.columns.values(), filled, wrong):
            col.filled += int(f.sum())
            col.wrong.extend(line[w & f].tolist())
        # officer_id holding unit ids, unit holding officer ids, a name column holding either
        holders = [("officer_id", self.label("unit"), u == CROSSED, filled[1]),
                   ("unit", self.label("officer_id"), o == CROSSED, filled[0])]
        if self.name is not None:
            holders += [("officer_id", self.name.label, who == NAME_OFFICER, filled[5]),
                        ("unit", self.name.label, who == NAME_UNIT, filled[5])]
            self.name.filled += int(filled[5].sum())
            self.name.wrong.extend(line[(who != NAME_OK) & filled[5]].tolist())
        for column, other, held, f in holders:
            count = self.held[column].setdefault(other, [0, 0])
            count[0] += int((held & f).sum())
            count[1] += int(f.sum())

    def judge(self, file: str, problems: Problems) -> set[str]:
        for column, held in self.held.items():
            self.columns[column].elsewhere = {k: (v[0], v[1]) for k, v in held.items()}
        return Table.judge(file, list(self.columns.values()), self.name, problems)


def _even(name: str, lines, rows: list[list[str]], header: list[str], problems: Problems):
    """Rows of the header's width (empty values after it dropped); blank lines dropped; a row
    with more values, or fewer (a missing ``end`` would read as a posting that runs on), is
    a problem, as in every table staffplan reads."""
    width = len(header)
    if all(len(row) == width for row in rows):
        return lines, rows
    kept_lines, kept = [], []
    for n, row in zip(lines, rows):
        if len(row) > width and any(v.strip() for v in row[width:]) \
                or 0 < len(row) < width:
            ragged(problems, name, n, row, header)
        elif row:
            kept_lines.append(n)
            kept.append((row + [""] * width)[:width])
    return kept_lines, kept


def _row_problems(name, line, label, table: Table, texts, o, u, r, start, end, now: int,
                  wrong: set[str], scenario: Scenario, problems: Problems) -> None:
    """What is wrong with one line of the history: its values as ``table`` may show them, the
    columns judged wrong (``wrong``, said once) left out."""
    oid, uid, role_text, start_text, end_text = texts

    def add(column: str, message: str) -> None:
        if label(column) not in wrong:
            problems.add(name, line, label(column), message)

    def shown(column: str, text: str) -> object:
        return table.shown(line, column, text)

    if o == -1 or o == CROSSED:
        add("officer_id", t("pm_unknown_officer", value=shown("officer_id", oid))
            + scenario.officer_ids.hint(oid) if oid else t("pm_empty"))
    if u < 0:
        add("unit", t("unknown_unit", unit=shown("unit", uid))
            + scenario.organisation.ids.hint(uid) if uid else t("pm_empty"))
    if r < 0:
        add("role", t("pm_bad_role", value=shown("role", role_text)))
    if start < 0 or start == OPEN:
        add("start", _date_message(start, shown("start", start_text))
            if start_text else t("pm_empty"))
    elif now < start < OPEN:
        add("start", _after(start, now))
    if end < 0:
        add("end", _date_message(end, shown("end", end_text)))
    elif 0 <= start < OPEN and end < start:
        add("end", t("pm_end_before_start", end=shown("end", end_text),
                     start=shown("start", start_text)))
    elif now < end < OPEN:
        add("end", _after(end, now))


def _after(day: int, now: int) -> str:
    return t("date_after_plan", date=date.fromordinal(int(day)).isoformat(),
             plan=date.fromordinal(now).isoformat())


def _date_message(code: int, shown: object) -> str:
    if code == OUT_OF_RANGE:
        return t("date_range", value=shown, lo=DATE_MIN, hi=DATE_MAX)
    return t("bad_date", value=shown)


def _check_chiefs(h: History, scenario: Scenario, name: str, label, problems: Problems) -> None:
    """Chief and deputy postings are at stations; one officer's chief postings at two
    stations never overlap."""
    org = scenario.organisation
    is_station = np.array([org[u].kind is Kind.STATION for u in h.unit_ids], bool)
    lead = (h.role == ROLES.index("chief")) | (h.role == ROLES.index("deputy"))
    for i in np.nonzero(lead & ~is_station[h.unit])[0]:
        unit = h.unit_ids[h.unit[i]]
        problems.add(name, int(h.row[i]), label("unit"),
                     t("pm_chief_not_station", role=t(f"role_{ROLES[h.role[i]]}"), unit=unit,
                       kind=kind_name(org[unit].kind.value)))
    chiefs = np.nonzero(h.role == ROLES.index("chief"))[0]
    chiefs = chiefs[np.lexsort((h.start[chiefs], h.officer[chiefs]))]
    officer, reach, at = -1, 0, -1  # the posting reaching furthest so far, per officer
    for i in chiefs:
        if h.officer[i] != officer:
            officer, reach, at = h.officer[i], h.end[i], i
            continue
        if h.start[i] < reach and h.unit[i] != h.unit[at]:
            until = "" if reach == OPEN else date.fromordinal(int(reach)).isoformat()
            problems.add(name, int(h.row[i]), label("start"), t(
                "pm_chief_overlap", officer=scenario.officers[officer].id,
                unit=h.unit_ids[h.unit[i]], start=date.fromordinal(int(h.start[i])).isoformat(),
                other=h.unit_ids[h.unit[at]], row=int(h.row[at]), until=until or "—"))
        if h.end[i] > reach:
            reach, at = h.end[i], i
