"""Read a proposed promotion list (the promotions.csv format) for ``staffplan check
--promotions``. Only ``officer_id`` and ``track`` are required; ``from``, ``to`` and ``unit``,
when given, are checked too. An unknown officer, track or unit is bad input (file, row,
column); everything else -- an officer listed twice, a rule broken -- is for the checker.
"""

from __future__ import annotations

from pathlib import Path

from staffplan.errors import Problems
from staffplan.i18n import t
from staffplan.io.tables import read_table
from staffplan.promotions.history import TRACKS, Round
from staffplan.promotions.results import Entry

LIST_ALIASES = {
    "警号": "officer_id", "编号": "officer_id", "民警编号": "officer_id", "姓名": "officer_name",
    "类别": "track", "晋升类别": "track", "原职级": "from", "原职级/职务": "from",
    "新职级": "to", "新职级/职务": "to", "拟任": "to", "单位": "unit", "原因": "reason",
    "理由": "reason",
}
TRACK_ALIASES = {"职级晋升": "rank",
                 "提任派出所领导": "station_leader", "派出所领导": "station_leader",
                 "提任县级公安机关领导": "bureau_leader", "局领导": "bureau_leader"}


def read_promotions(path: Path, r: Round) -> list[Entry]:
    """The list's rows, in file order; one InputError lists every problem."""
    from staffplan.promotions.report import LIST_COLUMNS

    problems = Problems()
    table = read_table(Path(path), ["officer_id", "track"], problems, LIST_ALIASES,
                       known=LIST_COLUMNS, ids=("officer_id", "unit"),
                       names=("officer_name",))
    entries: list[Entry] = []
    if table is not None:
        file, col = table.name or str(path), table.label
        s = r.scenario
        org, officers = s.organisation, s.officer_by_id
        # A column that mostly holds what it should not (swapped headers) is said once, with
        # no value: it may hold names.
        wrong = table.check_columns(problems, {"officer_id": ("what_officer", s.officer_ids),
                                               "unit": ("what_unit", org)}, s.personal_names)
        for row, values in table.rows:
            oid, track = values["officer_id"], values["track"]
            track = TRACK_ALIASES.get(track, track.lower())
            unit = values.get("unit", "")
            ok = True
            if not oid:
                problems.add(file, row, col("officer_id"), t("pm_empty"))
                ok = False
            elif oid not in officers:
                if col("officer_id") not in wrong:
                    problems.add(file, row, col("officer_id"), t(
                        "pm_unknown_officer", value=table.shown(row, "officer_id", oid))
                        + s.officer_ids.hint(oid))
                ok = False
            if track not in TRACKS:
                problems.add(file, row, col("track"), t("pm_bad_track", value=table.shown(
                    row, "track", values["track"], set(TRACKS) | set(TRACK_ALIASES))))
                ok = False
            if unit and (unit not in org or org[unit].kind.is_bureau):
                if col("unit") not in wrong:
                    problems.add(file, row, col("unit"), t(
                        "unknown_unit" if unit not in org else "not_staffed_unit",
                        unit=table.shown(row, "unit", unit, org))
                        + org.ids.hint(unit, lambda u: not org[u].kind.is_bureau))
                ok = False
            if ok:
                to = values.get("to", "")
                entries.append(Entry(oid, track, values.get("from", ""),
                                     TRACK_ALIASES.get(to, to), unit, values.get("reason", ""),
                                     row))
    problems.raise_if_any()
    return entries
