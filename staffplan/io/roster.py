"""Load a scenario: the config, the units file and the officers file, validated together.

Every problem is collected and reported at once (file, row, column). Nothing here knows
about the solver.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from staffplan.config import Provenance, ScenarioConfig, load_config_with_provenance
from staffplan.domain import Kind, Officer, Organisation, Scenario, Unit
from staffplan.errors import Problems
from staffplan.io.changes import apply_officer_changes, apply_unit_changes
from staffplan.io.tables import Table, read_table

UNIT_COLUMNS = ["id", "name", "kind", "parent", "area", "min_staff", "max_staff"]
UNIT_REQUIRED = ["id", "kind", "parent"]
OFFICER_COLUMNS = ["id", "name", "unit", "home_unit", "community_since", "hired", "pinned",
                   "move_approved", "bureau"]
OFFICER_REQUIRED = ["id", "unit"]

_TRUE = {"true", "1", "yes", "y", "是", "t"}
_FALSE = {"false", "0", "no", "n", "否", "f", ""}


def parse_bool(text: str) -> bool | None:
    t = text.strip().lower()
    if t in _TRUE:
        return True
    if t in _FALSE:
        return False
    return None


def parse_date(text: str) -> date | None:
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        return None


def load_scenario(path: str | Path, overrides: list[str] | tuple[str, ...] = ()) -> Scenario:
    """Read a scenario file (with what it extends and ``--set`` overrides) and its data;
    raise one InputError listing every problem."""
    problems = Problems()
    loaded = load_config_with_provenance(Path(path), problems, overrides)
    if loaded is None:
        problems.raise_if_any()
    config, provenance = loaded
    return load_data(config, problems, provenance, str(path))


def load_data(config: ScenarioConfig, problems: Problems | None = None,
              provenance: Provenance | None = None, source: str = "") -> Scenario:
    problems = Problems() if problems is None else problems
    units_table = read_table(config.units, UNIT_REQUIRED, problems)
    officers_table = read_table(config.officers, OFFICER_REQUIRED, problems)
    units = parse_units(units_table, problems) if units_table else []
    if units and not problems:
        units = apply_unit_changes(config.changes, units, problems, provenance, source)
    organisation = Organisation(units)
    officers = []
    if officers_table:
        officers = parse_officers(officers_table, organisation, config, problems)
        if units:
            officers = apply_officer_changes(
                config.changes, officers, organisation.units, config.plan_date, problems,
                provenance, source,
                lambda table, probs: parse_officers(table, organisation, config, probs))
    problems.raise_if_any()
    return Scenario(config, organisation, officers, provenance, source)


def parse_units(table: Table, problems: Problems) -> list[Unit]:
    file = str(table.path)
    units: list[Unit] = []
    first_row: dict[str, int] = {}
    for row, r in table.rows:
        uid = r.get("id", "")
        ok = True
        if not uid:
            problems.add(file, row, "id", "empty id")
            continue
        if uid in first_row:
            problems.add(file, row, "id", f"duplicate id {uid!r} (first on row {first_row[uid]})")
            continue
        first_row[uid] = row
        try:
            kind = Kind(r["kind"].lower())
        except ValueError:
            problems.add(file, row, "kind",
                         f"{r['kind']!r} is not a kind; use one of county, district, hq, station, post")
            continue
        area = r.get("area", "").lower() or None
        if area not in (None, "urban", "rural"):
            problems.add(file, row, "area", f"{r['area']!r} is not an area; use urban or rural")
            ok = False
        bounds = {}
        for col in ("min_staff", "max_staff"):
            text = r.get(col, "")
            if not text:
                bounds[col] = None
                continue
            try:
                value = int(text)
            except ValueError:
                value = -1
            if value < 0:
                problems.add(file, row, col, f"{text!r} is not a whole number of officers")
                ok = False
            bounds[col] = value
        lo, hi = bounds["min_staff"], bounds["max_staff"]
        if ok and lo is not None and hi is not None and lo > hi:
            problems.add(file, row, "min_staff", f"min_staff {lo} is above max_staff {hi}")
            ok = False
        if kind.is_bureau and (lo is not None or hi is not None):
            problems.add(file, row, "min_staff", "a bureau has no staff bounds of its own; "
                         "bounds apply to hq units, stations and posts")
        units.append(Unit(uid, r.get("name", "") or uid, kind, r["parent"] or None, area, lo, hi, row))
    _check_tree(units, file, problems)
    return units


_PARENT_KINDS = {
    Kind.HQ: (Kind.COUNTY, Kind.DISTRICT),
    Kind.STATION: (Kind.COUNTY, Kind.DISTRICT),
    Kind.POST: (Kind.STATION,),
}


def _check_tree(units: list[Unit], file: str, problems: Problems) -> None:
    by_id = {u.id: u for u in units}
    # Cycles first: a cycle makes every other statement about its members moot.
    in_cycle: set[str] = set()
    for u in units:
        path, seen = [], set()
        cur = u
        while cur is not None and cur.id not in seen and cur.id not in in_cycle:
            seen.add(cur.id)
            path.append(cur.id)
            cur = by_id.get(cur.parent) if cur.parent else None
        if cur is not None and cur.id in seen:
            cycle = path[path.index(cur.id):]
            in_cycle.update(cycle)
            first = min(cycle, key=lambda i: by_id[i].row)
            start = cycle.index(first)
            chain = cycle[start:] + cycle[:start] + [first]
            problems.add(file, by_id[first].row, "parent", "cycle in the tree: " + " -> ".join(chain))
    for u in units:
        if u.id in in_cycle:
            continue
        if u.kind.is_bureau:
            if u.parent:
                problems.add(file, u.row, "parent",
                             f"a bureau ({u.kind.value}) has no parent, but {u.parent!r} is given")
            continue
        want = " or ".join(k.value for k in _PARENT_KINDS[u.kind])
        if not u.parent:
            problems.add(file, u.row, "parent", f"a {u.kind.value} needs a parent ({want})")
            continue
        parent = by_id.get(u.parent)
        if parent is None:
            problems.add(file, u.row, "parent", f"unknown unit {u.parent!r}")
        elif parent.kind not in _PARENT_KINDS[u.kind]:
            problems.add(file, u.row, "parent",
                         f"the parent of a {u.kind.value} must be a {want}, "
                         f"but {u.parent!r} is a {parent.kind.value}")
        if u.kind is Kind.POST and u.area:
            station = by_id.get(u.parent)
            if station is not None and station.area and station.area != u.area:
                problems.add(file, u.row, "area",
                             f"a post takes its station's area ({station.area}), not {u.area}")
    if not any(u.kind.is_bureau for u in units) and units:
        problems.add(file, 0, "", "no bureau (county or district) in the tree")


def parse_officers(table: Table, org: Organisation, config: ScenarioConfig,
                   problems: Problems) -> list[Officer]:
    file = str(table.path)
    tenure_rule = config.rules.min_community_tenure_years
    officers: list[Officer] = []
    first_row: dict[str, int] = {}
    for row, r in table.rows:
        oid = r.get("id", "")
        if not oid:
            problems.add(file, row, "id", "empty id")
            continue
        if oid in first_row:
            problems.add(file, row, "id", f"duplicate id {oid!r} (first on row {first_row[oid]})")
            continue
        first_row[oid] = row
        values: dict = {}
        for col in ("pinned", "move_approved"):
            b = parse_bool(r.get(col, ""))
            if b is None:
                problems.add(file, row, col, f"{r[col]!r} is not a yes/no value "
                             "(true/false, 1/0, yes/no, 是/否)")
                b = False
            values[col] = b
        for col in ("community_since", "hired"):
            text = r.get(col, "")
            d = parse_date(text) if text else None
            if text and d is None:
                problems.add(file, row, col, f"{text!r} is not a date (YYYY-MM-DD)")
            values[col] = d
        unit = r.get("unit", "") or None
        home = r.get("home_unit", "") or None
        bureau = r.get("bureau", "") or None
        if org.units:
            if unit is not None:
                if unit not in org:
                    problems.add(file, row, "unit", f"unknown unit {unit!r}")
                elif org[unit].kind.is_bureau:
                    problems.add(file, row, "unit", f"{unit!r} is a bureau; officers serve in "
                                 "its hq units, stations or posts")
                elif (tenure_rule is not None and org[unit].kind is Kind.POST
                      and values["community_since"] is None):
                    problems.add(file, row, "community_since", "required for an officer at a post "
                                 "while the minimum community tenure rule is on")
            if home is not None:
                if home not in org:
                    problems.add(file, row, "home_unit", f"unknown unit {home!r}")
                elif not org[home].kind.is_station_side:
                    problems.add(file, row, "home_unit", f"{home!r} is a {org[home].kind.value}; "
                                 "a borrowed officer's home unit is a station or a post")
            if bureau is not None:
                if bureau not in org or not org[bureau].kind.is_bureau:
                    problems.add(file, row, "bureau", f"{bureau!r} is not a bureau")
                elif unit is not None and org.bureau_or_none(unit) not in (None, bureau) \
                        and not org[unit].kind.is_bureau:
                    problems.add(file, row, "bureau", f"the officer's unit {unit!r} belongs to "
                                 f"bureau {org.bureau_of(unit)!r}, not {bureau!r}")
        if unit is None and values["pinned"]:
            problems.add(file, row, "pinned", "a recruit (no unit) cannot be pinned")
        if unit is None and home is not None:
            problems.add(file, row, "home_unit", "a recruit (no unit) cannot be a borrowed officer")
        officers.append(Officer(oid, r.get("name", ""), unit, home, values["community_since"],
                                values["hired"], values["pinned"], values["move_approved"],
                                bureau, row))
    return officers


@dataclass
class ProposedPlan:
    """A plan read from a file in the ``assignments.csv`` format."""

    path: Path
    final: dict[str, str | None]  # officer -> unit; officers the file leaves out keep theirs
    rows: dict[str, int] = field(default_factory=dict)  # officer -> row in the file
    missing: list[str] = field(default_factory=list)  # on the roster, not in the file
    added: list[str] = field(default_factory=list)  # in the file, not on the roster


def read_assignments(path: Path, scenario: Scenario) -> ProposedPlan:
    """Read a plan in the ``assignments.csv`` format (only ``officer_id`` and ``to_unit`` are
    required). An officer left out keeps their unit and one not on the roster is ignored;
    both are reported by the checker (rule ``plan_matches_roster``). A duplicate officer or
    an unknown unit is bad input."""
    problems = Problems()
    table = read_table(path, ["officer_id", "to_unit"], problems)
    plan = ProposedPlan(Path(path), scenario.current())
    if table is not None:
        file = str(path)
        org = scenario.organisation
        for row, r in table.rows:
            oid, unit = r["officer_id"], r["to_unit"] or None
            if oid in plan.rows:
                problems.add(file, row, "officer_id",
                             f"duplicate officer {oid!r} (first on row {plan.rows[oid]})")
                continue
            if not oid:
                problems.add(file, row, "officer_id", "empty officer id")
                continue
            plan.rows[oid] = row
            if unit is not None and (unit not in org or org[unit].kind.is_bureau):
                problems.add(file, row, "to_unit", f"{unit!r} is not an hq unit, station or post")
                continue
            if oid not in scenario.officer_by_id:
                plan.added.append(oid)
                continue
            plan.final[oid] = unit
        plan.missing = [o.id for o in scenario.officers if o.id not in plan.rows]
    problems.raise_if_any()
    return plan
