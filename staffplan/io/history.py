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
import io
from datetime import date
from pathlib import Path

import numpy as np

from staffplan.config import source_of
from staffplan.domain import Kind, Scenario
from staffplan.errors import InputError, Problem, Problems
from staffplan.i18n import kind_name, t
from staffplan.io.roster import parse_date
from staffplan.io.tables import detect_encoding, read_table
from staffplan.promotions.history import OPEN, ROLES, TRACKS, History, Round

HISTORY_COLUMNS = ["officer_id", "unit", "role", "start", "end"]
HISTORY_REQUIRED = ["officer_id", "unit", "role", "start"]
HISTORY_ALIASES = {
    "警号": "officer_id", "编号": "officer_id", "民警编号": "officer_id", "单位": "unit",
    "任职单位": "unit", "职务": "role", "起始日期": "start", "开始日期": "start", "任职日期": "start",
    "终止日期": "end", "结束日期": "end", "免职日期": "end",
}
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
                             t("pm_not_bureau", value=bureau))


def _header(written: list[str], name: str, problems: Problems):
    """Column name -> position, and column name -> header as written; None when a required
    column is missing."""
    written = [h.strip() for h in written]
    columns = [HISTORY_ALIASES.get(h, HISTORY_ALIASES.get(h.lower(), h)) for h in written]
    labels = {c: w for c, w in zip(columns, written)}
    if not any(columns):
        problems.add(name, 1, message=t("empty_file"))
        return None
    position: dict[str, int] = {}
    for i, c in enumerate(columns):
        if c in position and c:
            problems.add(name, 1, labels[c], t("column_twice"))
        position.setdefault(c, i)
    missing = [c for c in HISTORY_REQUIRED if c not in position]
    for c in missing:
        problems.add(name, 1, c, t("missing_column"))
    return None if missing else (position, labels)


def _rows(path: Path, problems: Problems):
    """(file name, header, iterator of (line, values)); None when the file cannot be read."""
    name = str(path)
    if path.suffix.lower() in (".xlsx", ".xlsm"):
        table = read_table(path, HISTORY_REQUIRED, problems, HISTORY_ALIASES)
        if table is None:
            return None
        return (table.name or name, [table.label(c) for c in table.columns],
                ((row, [r.get(c, "") for c in table.columns]) for row, r in table.rows))
    if not path.is_file():
        problems.add(name, message=t("file_not_found") if not path.exists() else t("not_a_file"))
        return None
    data = path.read_bytes()
    try:
        encoding = detect_encoding(data)
    except UnicodeDecodeError as exc:
        problems.add(name, message=t("not_text", byte=exc.start))
        return None
    text = data.decode({"utf-8": "utf-8", "utf-8-bom": "utf-8-sig"}.get(encoding, encoding))
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = next(reader)
    except StopIteration:
        problems.add(name, 1, message=t("empty_file"))
        return None
    except csv.Error as exc:
        problems.add(name, message=t("cannot_read", error=exc))
        return None

    def lines():
        try:
            for values in reader:
                yield reader.line_num, values
        except csv.Error as exc:
            problems.add(name, reader.line_num, message=t("cannot_read", error=exc))

    return name, header, lines()


def read_history(path: Path, scenario: Scenario, problems: Problems) -> History | None:
    """Read and check the posting history; problems go to ``problems``."""
    got = _rows(path, problems)
    if got is None:
        return None
    name, header, lines = got
    head = _header(header, name, problems)
    if head is None:
        return None
    position, labels = head
    label = lambda c: labels.get(c, c)  # noqa: E731
    org = scenario.organisation
    officers = {o.id: i for i, o in enumerate(scenario.officers)}
    unit_ids = list(org.units)
    units = {u: i for i, u in enumerate(unit_ids)}
    roles = {r: i for i, r in enumerate(ROLES)}
    roles.update({k: roles[v] for k, v in ROLE_ALIASES.items()})
    days: dict[str, int] = {}

    def day(text: str) -> int:
        d = days.get(text)
        if d is None:
            parsed = parse_date(text)
            d = days[text] = -1 if parsed is None else parsed.toordinal()
        return d

    i_off, i_unit, i_role, i_start = (position[c] for c in HISTORY_REQUIRED)
    i_end = position.get("end")
    width = len(header)
    cols: tuple[list[int], ...] = ([], [], [], [], [], [])
    off_col, unit_col, role_col, start_col, end_col, row_col = cols
    for line, values in lines:
        n = len(values)
        if n < width:
            values = values + [""] * (width - n)
        elif n > width:
            if any(v.strip() for v in values[width:]):
                problems.add(name, line, message=t("ragged_row", fields=n, header=width))
                continue
        if not any(values):
            continue
        oid, uid = values[i_off].strip(), values[i_unit].strip()
        role_text, start_text = values[i_role].strip(), values[i_start].strip()
        end_text = values[i_end].strip() if i_end is not None else ""
        if not (oid or uid or role_text or start_text or end_text):
            continue  # a blank line
        ok = True
        o = officers.get(oid)
        if o is None:
            problems.add(name, line, label("officer_id"),
                         t("pm_unknown_officer", value=oid) if oid else t("pm_empty"))
            ok = False
        u = units.get(uid)
        if u is None:
            problems.add(name, line, label("unit"),
                         t("unknown_unit", unit=uid) if uid else t("pm_empty"))
            ok = False
        r = roles.get(role_text, roles.get(role_text.lower()))
        if r is None:
            problems.add(name, line, label("role"), t("pm_bad_role", value=role_text))
            ok = False
        s = day(start_text) if start_text else -1
        if s < 0:
            problems.add(name, line, label("start"),
                         t("bad_date", value=start_text) if start_text else t("pm_empty"))
            ok = False
        e = OPEN
        if end_text:
            e = day(end_text)
            if e < 0:
                problems.add(name, line, label("end"), t("bad_date", value=end_text))
                ok = False
            elif s >= 0 and e < s:
                problems.add(name, line, label("end"), t("pm_end_before_start", end=end_text,
                                                         start=start_text))
                ok = False
        if ok:
            off_col.append(o)
            unit_col.append(u)
            role_col.append(r)
            start_col.append(s)
            end_col.append(e)
            row_col.append(line)
    history = History(name, np.array(off_col, np.int32), np.array(unit_col, np.int32),
                      np.array(role_col, np.int8), np.array(start_col, np.int32),
                      np.array(end_col, np.int32), np.array(row_col, np.int32), unit_ids)
    _check_chiefs(history, scenario, name, label, problems)
    return history


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
