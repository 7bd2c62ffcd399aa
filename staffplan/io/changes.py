"""A scenario's ``changes:``: what-if edits to the data, applied after the files are read.

Problems name the scenario file that set the key and the key itself
(``changes.close_units.2``), or the file and row of a recruits or retirements file.
"""

from __future__ import annotations

import dataclasses
from datetime import date

from staffplan.config import Changes, Provenance, source_of
from staffplan.domain import IdIndex, Kind, Officer, Unit
from staffplan.errors import Problems
from staffplan.i18n import kind_name, t
from staffplan.io.tables import read_table

_PARENT_KINDS = {"hq": (Kind.COUNTY, Kind.DISTRICT), "station": (Kind.COUNTY, Kind.DISTRICT),
                 "post": (Kind.STATION,)}


RETIRE_COLUMNS = ["officer_id"]
RETIRE_NAMES = ("name", "officer_name", "姓名")  # not read; personal data: never shown


def _src(prov: Provenance | None, key: str, default: str) -> str:
    return source_of(prov, key) or default


def apply_unit_changes(changes: Changes, units: list[Unit], problems: Problems,
                       prov: Provenance | None, scenario_file: str,
                       prefix: str = "changes") -> list[Unit]:
    by_id = {u.id: u for u in units}
    ids = IdIndex((u.id, u.row) for u in units)
    out = list(units)
    for i, spec in enumerate(changes.add_units):
        key = f"{prefix}.add_units.{i}"
        where = _src(prov, key, scenario_file)
        if spec.id in by_id:
            problems.add(where, column=f"{key}.id", message=t("unit_exists", unit=spec.id))
            continue
        why = ids.define(spec.id, 0)
        if why:
            problems.add(where, column=f"{key}.id", message=why)
            continue
        parent = by_id.get(spec.parent)
        want = _PARENT_KINDS[spec.kind]
        if parent is None:
            problems.add(where, column=f"{key}.parent",
                         message=t("unknown_unit", unit=spec.parent) + ids.hint(spec.parent))
            continue
        if parent.kind not in want:
            problems.add(where, column=f"{key}.parent",
                         message=t("wrong_parent", kind=kind_name(spec.kind),
                                   want=" / ".join(kind_name(k.value) for k in want),
                                   parent=spec.parent, actual=kind_name(parent.kind.value)))
            continue
        unit = Unit(spec.id, spec.name or spec.id, Kind(spec.kind), spec.parent, spec.area,
                    spec.min_staff, spec.max_staff)
        by_id[unit.id] = unit
        out.append(unit)
    def staffed(uid: str, key: str):
        """The hq unit, station or post ``uid``, and where the key was set; or a problem."""
        where = _src(prov, key, scenario_file)
        unit = by_id.get(uid)
        if unit is None or unit.kind.is_bureau:
            said = "unknown_unit" if unit is None else "not_staffed_unit"
            problems.add(where, column=key, message=t(said, unit=uid) + ids.hint(
                uid, lambda u: not by_id[u].kind.is_bureau))
            return None, where
        return unit, where

    for uid, bounds in changes.unit_bounds.items():
        key = f"{prefix}.unit_bounds.{uid}"
        unit, where = staffed(uid, key)
        if unit is None:
            continue
        update = {k: getattr(bounds, k) for k in bounds.model_fields_set}
        new = dataclasses.replace(unit, **update)
        if (new.min_staff is not None and new.max_staff is not None
                and new.min_staff > new.max_staff):
            problems.add(where, column=key,
                         message=t("min_above_max", lo=new.min_staff, hi=new.max_staff))
            continue
        by_id[uid] = new
    closing = set(changes.close_units)
    for i, uid in enumerate(changes.close_units):
        key = f"{prefix}.close_units.{i}"
        unit, where = staffed(uid, key)
        if unit is None:
            continue
        if unit.kind is Kind.STATION:
            open_posts = sorted(u.id for u in by_id.values()
                                if u.parent == uid and u.id not in closing)
            if open_posts:
                problems.add(where, column=key, message=t("open_posts", station=uid,
                                                          posts=", ".join(open_posts[:5])))
                continue
        by_id[uid] = dataclasses.replace(by_id[uid], closed=True)
    return [by_id[u.id] for u in out]


def apply_officer_changes(changes: Changes, officers: list[Officer], units: dict[str, Unit],
                          plan_date: date, problems: Problems, prov: Provenance | None,
                          scenario_file: str, parse_officers, encoding: str | None = None,
                          notices: list[str] | None = None,
                          prefix: str = "changes") -> list[Officer]:
    ids = {o.id for o in officers}
    index = IdIndex(((o.id, o.row) for o in officers), "id_on_roster_row")
    names = frozenset(o.name for o in officers if o.name)
    leaving: dict[str, str] = {}
    for i, oid in enumerate(changes.retire):
        leaving[oid] = f"{prefix}.retire.{i}"
    if changes.retire_file is not None:
        table = read_table(changes.retire_file, ["officer_id"], problems, encoding=encoding,
                           notices=notices, known=RETIRE_COLUMNS, ids=("officer_id",),
                           names=RETIRE_NAMES)
        wrong = table.check_columns(problems, {"officer_id": ("what_officer", ids)}, names) \
            if table else set()
        for row, r in table.rows if table and not wrong else []:
            if r["officer_id"] not in ids:
                problems.add(table.name or str(changes.retire_file), row,
                              table.label("officer_id"), t(
                                  "unknown_officer",
                                  id=table.shown(row, "officer_id", r["officer_id"]))
                              + index.hint(r["officer_id"]))
            else:
                leaving[r["officer_id"]] = ""
    for oid, key in leaving.items():
        if key and oid not in ids:
            problems.add(_src(prov, key, scenario_file), column=key,
                         message=t("unknown_officer", id=oid) + index.hint(oid))
    out = [o for o in officers if o.id not in leaving]
    if changes.recruits_file is not None:
        from staffplan.io.roster import OFFICER_ALIASES, OFFICER_COLUMNS, OFFICER_IDS

        table = read_table(changes.recruits_file, ["id", "unit"], problems, OFFICER_ALIASES,
                           encoding=encoding, notices=notices, known=OFFICER_COLUMNS,
                           ids=OFFICER_IDS, names=("name",))
        if table is not None:
            extra = parse_officers(table, problems)
            for o in extra:
                def shown(o=o):
                    return table.shown(o.row, "id", o.id)

                # as the roster's (the file's own ids are checked by parse_officers)
                why = (t("officer_exists", id=shown()) if o.id in ids
                       else index.look_alike(o.id, shown))
                if why:
                    problems.add(table.name or str(changes.recruits_file), o.row,
                                 table.label("id"), why)
                else:
                    ids.add(o.id)
                    out.append(o)
    # Recruits are counted against the roster's scale: a typo of a few zeros would make
    # millions of officers (and hang) instead of a clear message.
    limit = max(10_000, 10 * len(officers))
    total = 0
    for bureau, n in changes.recruits.items():
        key = f"{prefix}.recruits.{bureau}"
        where = _src(prov, key, scenario_file)
        if bureau not in units or not units[bureau].kind.is_bureau:
            problems.add(where, column=key, message=t("not_bureau", value=bureau) + IdIndex(
                (u, 0) for u in units).hint(bureau, lambda b: units[b].kind.is_bureau))
            continue
        if n < 0:
            problems.add(where, column=key, message=t("recruits_negative"))
            continue
        total += n
        if total > limit:
            problems.add(where, column=key, message=t("too_many_recruits", n=f"{n:,}",
                                                      limit=f"{limit:,}",
                                                      officers=f"{len(officers):,}"))
            continue
        made = 0
        k = 0
        while made < n:
            k += 1
            oid = f"{bureau}-new-{k:04d}"
            if oid in ids:
                continue
            ids.add(oid)
            out.append(Officer(oid, "", None, bureau=bureau, hired=plan_date))
            made += 1
    return out
