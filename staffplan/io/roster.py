"""Load a scenario: the config, the units file and the officers file, validated together.

Every problem is collected and reported at once (file, row, column). Nothing here knows
about the solver. Chinese headers and values are accepted beside the English ones
(``UNIT_ALIASES``, ``OFFICER_ALIASES``, ``KIND_ALIASES``, ``AREA_ALIASES``).
"""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from pathlib import Path

from staffplan.bounds import DATE_MAX, DATE_MIN, clip, count_problem, date_problem
from staffplan.config import Provenance, ScenarioConfig, load_config_with_provenance, step_configs
from staffplan.domain import Horizon, IdIndex, Kind, Officer, Organisation, Scenario, Unit
from staffplan.errors import Problem, Problems, note
from staffplan.i18n import kind_name, t
from staffplan.io.changes import apply_officer_changes, apply_unit_changes
from staffplan.io.tables import Table, read_table

UNIT_COLUMNS = ["id", "name", "kind", "parent", "area", "min_staff", "max_staff", "duty_min"]
UNIT_REQUIRED = ["id", "kind", "parent"]
OFFICER_COLUMNS = ["id", "name", "unit", "home_unit", "community_since", "hired", "pinned",
                   "move_approved", "bureau", "leaves", "rank", "rank_since", "score"]
OFFICER_REQUIRED = ["id", "unit"]
OFFICER_IDS = ("id", "unit", "home_unit", "bureau")

# Chinese headers, as personnel offices write them (documented in the README).
UNIT_ALIASES = {
    "编号": "id", "单位编号": "id", "名称": "name", "单位名称": "name", "类型": "kind",
    "单位类型": "kind", "上级": "parent", "上级单位": "parent", "区域": "area", "城乡": "area",
    "最少人数": "min_staff", "编制下限": "min_staff",
    "最多人数": "max_staff", "编制上限": "max_staff",
    "值班最低人数": "duty_min", "白天值班最低人数": "duty_min",
}
OFFICER_ALIASES = {
    "编号": "id", "警号": "id", "姓名": "name", "单位": "unit", "现单位": "unit",
    "原单位": "home_unit", "借调原单位": "home_unit", "社区工作起始日期": "community_since",
    "任社区民警日期": "community_since", "入警日期": "hired", "录用日期": "hired",
    "离职日期": "leaves", "退休日期": "leaves",
    "留任": "pinned", "已批准调动": "move_approved", "市局批准": "move_approved",
    "所属局": "bureau", "招录单位": "bureau",
    "职级": "rank", "现职级": "rank", "任现职级日期": "rank_since", "职级起算日期": "rank_since",
    "考核": "score", "考核分数": "score", "考核得分": "score",
}
PLAN_ALIASES = {"警号": "officer_id", "编号": "officer_id", "民警编号": "officer_id",
                "日期": "date", "新单位": "to_unit", "调入单位": "to_unit", "去向": "to_unit"}
KIND_ALIASES = {"县局": "county", "县公安局": "county", "分局": "district", "公安分局": "district",
                "机关": "hq", "派出所": "station", "警务室": "post", "社区警务室": "post"}
AREA_ALIASES = {"城区": "urban", "城市": "urban", "农村": "rural"}

_TRUE = {"true", "1", "yes", "y", "是", "t"}
_FALSE = {"false", "0", "no", "n", "否", "f", ""}
_SLASHED = re.compile(r"^(\d{4})[/.年](\d{1,2})[/.月](\d{1,2})日?$")
_SCORE = re.compile(r"^\d{1,9}(\.\d{1,3})?$")


def parse_bool(text: str) -> bool | None:
    value = text.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    return None


def parse_date(text: str) -> date | None:
    """ISO dates (2019-03-01); also 2019/3/1 and 2019年3月1日, as Chinese Excel writes them."""
    text = text.strip()
    try:
        return date.fromisoformat(text)
    except ValueError:
        pass
    m = _SLASHED.match(text)
    if m:
        try:
            return date(int(m[1]), int(m[2]), int(m[3]))
        except ValueError:
            return None
    return None


def read_date(text: str, shown: object = None) -> tuple[date | None, str | None]:
    """A date from a cell (empty: None): (date, None), or (None, why not), within the dates
    staffplan reads (``staffplan.bounds``): every reader of dates goes through here.
    ``shown``: the value as the message may show it, or a function that gives it (asked only
    for a message; default: the text, clipped)."""
    text = text.strip()
    if not text:
        return None, None
    d = parse_date(text)
    if d is not None and not date_problem(d):
        return d, None
    shown = clip(text) if shown is None else shown() if callable(shown) else shown
    if d is None:
        return None, t("bad_date", value=shown)
    return None, t("date_range", value=shown, lo=DATE_MIN, hi=DATE_MAX)


class _Values:
    """What a column of dates, yes/no words or scores holds, for ``Table.check_columns``:
    ``value in DATES`` is true of a date staffplan reads."""

    def __init__(self, test):
        self.test = test

    def __contains__(self, value: object) -> bool:
        return isinstance(value, str) and self.test(value)


DATES = _Values(lambda v: read_date(v)[1] is None)
BOOLS = _Values(lambda v: parse_bool(v) is not None)
SCORES = _Values(lambda v: bool(_SCORE.match(v)))


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
    sheets = config.sheets
    notices: list[str] = []
    units_table = read_table(config.units, UNIT_REQUIRED, problems, UNIT_ALIASES,
                             sheets.units or config.sheet, config.encoding, notices,
                             known=UNIT_COLUMNS, ids=("id", "parent"), labels=("name",))
    officers_table = read_table(config.officers, OFFICER_REQUIRED, problems, OFFICER_ALIASES,
                                sheets.officers or config.sheet, config.encoding, notices,
                                known=OFFICER_COLUMNS, ids=OFFICER_IDS, names=("name",))
    unread: set[str] = set()
    units = parse_units(units_table, problems, unread) if units_table else []
    if units and not problems:
        units = apply_unit_changes(config.changes, units, problems, provenance, source)
    organisation = Organisation(units)
    organisation.unread = frozenset(unread)
    if units:
        _rule_inputs(config, organisation, problems, provenance, source)
    officers = []
    if officers_table:
        officers = parse_officers(officers_table, organisation, config, problems)
        if units:
            officers = apply_officer_changes(
                config.changes, officers, organisation.units, config.plan_date, problems,
                provenance, source,
                lambda table, probs: parse_officers(table, organisation, config, probs),
                encoding=config.encoding, notices=notices)
    problems.raise_if_any()
    return _with_horizon(config, units, officers, problems, provenance, source, notices)


def _with_horizon(config: ScenarioConfig, units: list[Unit], officers: list[Officer],
                  problems: Problems, provenance: Provenance | None, source: str,
                  notices: list[str]) -> Scenario:
    """The scenario with its steps: each later step's changes applied to the tree and the
    roster of the step before, who is on the roster at each step (``leaves``, ``hired``,
    retirements), and the step configs (rules merged step by step)."""
    configs = step_configs(config)
    dates = [c.plan_date for c in configs]
    everyone = list(officers)
    earliest: dict[str, int] = {}  # officers added by a later step's changes: not before it
    leave: dict[str, int] = {}
    trees = [units]
    for k, step in enumerate(configs[1:], start=1):
        prefix = f"horizon.{k - 1}.changes"
        tree = apply_unit_changes(step.changes, trees[-1], problems, provenance, source, prefix)
        trees.append(tree)
        organisation = Organisation(tree)
        known = {o.id for o in everyone}
        after = apply_officer_changes(
            step.changes, everyone, organisation.units, step.plan_date, problems, provenance,
            source,
            lambda table, probs, org=organisation, c=step: parse_officers(table, org, c, probs),
            encoding=config.encoding, notices=notices, prefix=prefix)
        kept = {o.id for o in after}
        for oid in known - kept:
            leave.setdefault(oid, k)
        for o in after:
            if o.id not in known:
                earliest[o.id] = k
                everyone.append(o)
    problems.raise_if_any()
    arrival: dict[str, int] = {}
    later: list[str] = []
    for o in everyone:
        if o.leaves is not None:
            leave[o.id] = min(leave.get(o.id, len(dates)),
                              next((k for k, d in enumerate(dates) if d >= o.leaves), len(dates)))
        start = earliest.get(o.id, 0)
        if o.unit is None and o.hired is not None and o.hired > dates[start]:
            k = next((k for k, d in enumerate(dates) if d >= o.hired), None)
            if k is None:
                later.append(o.id)
                continue
            start = k
        arrival[o.id] = start
    steps = []
    for k, (step, tree) in enumerate(zip(configs, trees)):
        present = [o if k == 0 or o.home_unit is None else dataclasses.replace(o, home_unit=None)
                   for o in everyone
                   if o.id in arrival and arrival[o.id] <= k < leave.get(o.id, len(dates))]
        steps.append(Scenario(step, Organisation(tree), present, provenance, source,
                              notices=notices if k == 0 else []))
    present = {o.id for s in steps for o in s.officers}
    horizon = Horizon(steps, arrival, {o: leave.get(o, len(dates)) for o in arrival}, later,
                      {o.id for o in everyone} - present)
    for s in steps:
        s.horizon = horizon
    return steps[0]


def _rule_inputs(config: ScenarioConfig, organisation: Organisation, problems: Problems,
                 provenance: Provenance | None, source: str) -> None:
    """What a rule's own settings say about the tree (a bureau id that does not exist, ...):
    each rule module with ``validate_input`` checks its own."""
    from staffplan.config import source_of
    from staffplan.rules import MODULES

    for module in MODULES:
        if hasattr(module, "validate_input"):
            for key, message in module.validate_input(config, organisation):
                problems.add(source_of(provenance, key) or source, column=key, message=message)


def _unique_rows(table: Table, problems: Problems):
    """(row, record, id) for each row with an id not seen before; the others are problems. An
    id is checked by the id policy (``IdIndex.define``): one holding a character that cannot
    be seen, or looking the same as an earlier one, is a problem (its row is still read: the
    files' references to it match it as written)."""
    file = table.name or str(table.path)
    first_row: dict[str, int] = {}
    ids = IdIndex()
    for row, r in table.rows:
        rid = r.get("id", "")
        if not rid:
            problems.add(file, row, table.label("id"), t("empty_id"))
        elif rid in first_row:
            problems.add(file, row, table.label("id"),
                         t("duplicate_id", id=table.shown(row, "id", rid), row=first_row[rid]))
        elif table.is_a_name(rid):  # every message about the officer would show it
            problems.add(file, row, table.label("id"), t("id_is_a_name"))
        else:
            why = ids.define(rid, row, lambda row=row, rid=rid: table.shown(row, "id", rid),
                             lambda other, at: table.shown(at, "id", other))
            if why:
                problems.add(file, row, table.label("id"), why)
            first_row[rid] = row
            yield row, r, rid


def parse_units(table: Table, problems: Problems, unread: set[str] | None = None) -> list[Unit]:
    """The units of a units file. ``unread``: gets the ids of rows that could not be read
    (their problem said), so that what names them is not said to name an unknown unit."""
    file, col = table.name or str(table.path), table.label
    unread = set() if unread is None else unread
    units: list[Unit] = []
    for row, r, uid in _unique_rows(table, problems):
        ok = True
        kind_text = r["kind"].strip()
        try:
            kind = Kind(KIND_ALIASES.get(kind_text, kind_text.lower()))
        except ValueError:
            problems.add(file, row, col("kind"), t("bad_kind", value=clip(r["kind"])))
            unread.add(uid)
            continue
        area_text = r.get("area", "").strip()
        area = AREA_ALIASES.get(area_text, area_text.lower()) or None
        if area not in (None, "urban", "rural"):
            problems.add(file, row, col("area"), t("bad_area", value=clip(r["area"])))
            ok = False
        bounds = {}
        for name in ("min_staff", "max_staff", "duty_min"):
            text = r.get(name, "")
            if not text:
                bounds[name] = None
                continue
            value, why = count_problem(text)
            if why:
                problems.add(file, row, col(name), why)
                ok = False
            bounds[name] = value
        lo, hi = bounds["min_staff"], bounds["max_staff"]
        if ok and lo is not None and hi is not None and lo > hi:
            problems.add(file, row, col("min_staff"), t("min_above_max", lo=lo, hi=hi))
            ok = False
        if kind.is_bureau and (lo is not None or hi is not None):
            problems.add(file, row, col("min_staff"), t("bureau_bounds"))
        if bounds["duty_min"] is not None and kind is not Kind.STATION:
            problems.add(file, row, col("duty_min"), t("duty_min_station"))
        units.append(Unit(uid, r.get("name", "") or uid, kind, r["parent"] or None, area, lo, hi,
                          row, duty_min=bounds["duty_min"]))
    _check_tree(units, file, col("parent"), col("area"), problems, unread)
    return units


_PARENT_KINDS = {
    Kind.HQ: (Kind.COUNTY, Kind.DISTRICT),
    Kind.STATION: (Kind.COUNTY, Kind.DISTRICT),
    Kind.POST: (Kind.STATION,),
}


def _check_tree(units: list[Unit], file: str, parent_col: str, area_col: str,
                problems: Problems, unread: set[str]) -> None:
    by_id = {u.id: u for u in units}
    ids = IdIndex((u.id, u.row) for u in units)
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
            problems.add(file, by_id[first].row, parent_col, t("cycle", chain=" -> ".join(chain)))
    for u in units:
        if u.id in in_cycle:
            continue
        if u.kind.is_bureau:
            if u.parent:
                problems.add(file, u.row, parent_col,
                             t("bureau_parent", kind=kind_name(u.kind.value), parent=u.parent))
            continue
        want = " / ".join(kind_name(k.value) for k in _PARENT_KINDS[u.kind])
        if not u.parent:
            problems.add(file, u.row, parent_col, t("needs_parent", kind=kind_name(u.kind.value),
                                                    want=want))
            continue
        parent = by_id.get(u.parent)
        if parent is None and u.parent in unread:
            continue  # its row's problem is said
        if parent is None:
            problems.add(file, u.row, parent_col,
                         t("unknown_unit", unit=u.parent) + ids.hint(u.parent))
        elif parent.kind not in _PARENT_KINDS[u.kind]:
            problems.add(file, u.row, parent_col,
                         t("wrong_parent", kind=kind_name(u.kind.value), want=want,
                           parent=u.parent, actual=kind_name(parent.kind.value)))
        if u.kind is Kind.POST and u.area:
            station = by_id.get(u.parent)
            if station is not None and station.area and station.area != u.area:
                problems.add(file, u.row, area_col,
                             t("post_area", station=station.area, area=u.area))
    if not units and not problems:
        problems.add(file, 2, "", t("no_rows"))
    elif not any(u.kind.is_bureau for u in units) and units:
        problems.add(file, 0, "", t("no_bureau"))


def parse_officers(table: Table, org: Organisation, config: ScenarioConfig,
                   problems: Problems) -> list[Officer]:
    """The officers of a roster (or a recruits file). A message about a row never shows a
    value that may be personal data (``Table.shown``); a CSV row whose values right of the
    name read well only when shifted left (a comma in an unquoted name, a trailing field
    missing) is reported as shifted, without any of its values."""
    file = table.name or str(table.path)
    ladder = set(config.promotions.ladder) if config.promotions is not None else None
    wrong = table.check_columns(problems, officer_columns(org, ladder), ids="id")
    if {table.label(c) for c in ("id", table.name_column) if c} & wrong:
        return []  # its ids or names are not where the headers say: said once, rows not read
    officers: list[Officer] = []
    for row, r, oid in _unique_rows(table, problems):
        mine, facts = Problems(), Problems()  # facts: well-formed values that are wrong
        officer = _officer(table, row, r, oid, org, config, ladder, mine, facts)
        mine.items = [p for p in mine.items if p.column not in wrong]
        facts.items = [p for p in facts.items if p.column not in wrong]
        if mine and table.can_shift and any(table.after_name(_column_of(table, p.column))
                                            for p in mine.items):
            k = _shifted_by(table, row, r, oid, org, config, ladder, mine)
            column = table.label(table.name_column)
            if k:
                problems.add(file, row, column, t("name_shifted", k=k, column=column))
                continue
            if _maybe_shifted(table, mine):
                problems.add(file, row, column, t("name_maybe_shifted", column=column))
        problems.extend(mine)
        problems.extend(facts)
        officers.append(officer)
    if officers and "hired" not in table.columns:
        # Seniority decides who of a unit moves first: without it, ids do. Said, since a
        # column named otherwise (hire_date) is only noted as ignored.
        note(str(Problem(file, message=t("no_hired_column"))))
    return officers


def officer_columns(org: Organisation, ladder: set[str] | None) -> dict:
    """What the columns of a roster hold (``Table.check_columns``): dates, yes/no words,
    scores; unit ids when the units are known; ranks of the ladder in a promotion round."""
    holds = {c: ("what_date", DATES) for c in ("community_since", "hired", "leaves",
                                                "rank_since")}
    holds |= {c: ("what_bool", BOOLS) for c in ("pinned", "move_approved")}
    holds["score"] = ("what_score", SCORES)
    if org.units:
        holds |= {c: ("what_unit", org) for c in ("unit", "home_unit", "bureau")}
    if ladder is not None:
        holds["rank"] = ("what_rank", ladder)
    return holds


def _column_of(table: Table, label: str) -> str:
    """The column a problem names (it names it as the file writes it)."""
    return next((c for c in table.columns if table.label(c) == label), label)


MAX_SHIFT = 3  # commas in one name


def _maybe_shifted(table: Table, found: Problems) -> bool:
    """Several columns right of the name have problems (a lone one says, when its value is
    not shown, that it may be part of a name)."""
    return len({c for c in (_column_of(table, p.column) for p in found.items)
                if table.after_name(c)}) > 1


def _shifted_by(table: Table, row: int, r: dict, oid: str, org: Organisation,
                config: ScenarioConfig, ladder, found: Problems) -> int:
    """k when the row reads without a problem once the k values right of the name are taken
    as pieces of it (and k empty values added at the end), and a column that had a problem
    then holds a value; else 0."""
    columns = table.columns
    at = columns.index(table.name_column)
    values = [r.get(c, "") for c in columns]
    bad = {_column_of(table, p.column) for p in found.items}
    for k in range(1, MAX_SHIFT + 1):
        pieces = values[at + 1:at + 1 + k]
        if len(pieces) < k or not all(pieces):
            return 0
        moved = values[:at] + [",".join(values[at:at + 1 + k])] + values[at + 1 + k:] + [""] * k
        record = dict(zip(columns, moved))
        scratch = Problems()
        _officer(table, row, record, oid, org, config, ladder, scratch)
        if not scratch and any(record.get(c) for c in bad):
            return k
    return 0


def _officer(table: Table, row: int, r: dict, oid: str, org: Organisation,
             config: ScenarioConfig, ladder: set[str] | None, problems: Problems,
             facts: Problems | None = None) -> Officer:
    """One row as an officer; its problems go to ``problems``, those of values that read
    well but say what cannot be (a date after the plan date) to ``facts`` (no sign of a
    shifted row), if given."""
    facts = problems if facts is None else facts
    file, col = table.name or str(table.path), table.label
    tenure_rule = config.rules.min_community_tenure_years

    def shown(column: str, known=()) -> object:
        return table.shown(row, column, r.get(column, ""), known)

    values: dict = {}
    for name in ("pinned", "move_approved"):
        b = parse_bool(r.get(name, ""))
        if b is None:
            problems.add(file, row, col(name), t("bad_bool", value=shown(name)))
            b = False
        values[name] = b
    for name in ("community_since", "hired", "leaves"):
        d, why = read_date(r.get(name, ""), lambda name=name: shown(name))
        if why:
            problems.add(file, row, col(name), why)
        values[name] = d
    unit = r.get("unit", "") or None
    home = r.get("home_unit", "") or None
    bureau = r.get("bureau", "") or None
    # Dates of the past are not later than the plan date (of the step whose files these are);
    # a recruit hired later joins at a later step, and their dates are not of this one.
    now = past_limit(config.plan_date, unit, values["hired"])
    since, hired = values["community_since"], values["hired"]
    if now is not None and since is not None and since > now:
        facts.add(file, row, col("community_since"), t(
            "date_after_plan", date=since.isoformat(), plan=now.isoformat()))
    if unit is not None and hired is not None and hired > config.plan_date:
        facts.add(file, row, col("hired"), t(
            "hired_after_plan", date=hired.isoformat(), plan=config.plan_date.isoformat()))
    if org.units:
        if unit is not None:
            if unit not in org and unit in org.unread:
                pass  # the unit's row could not be read: said there
            elif unit not in org:
                problems.add(file, row, col("unit"), t("unknown_unit", unit=shown("unit"))
                             + org.ids.hint(unit))
            elif org[unit].kind.is_bureau:
                problems.add(file, row, col("unit"), t("officer_at_bureau", unit=unit))
            elif (tenure_rule is not None and org[unit].kind is Kind.POST
                  and values["community_since"] is None):
                problems.add(file, row, col("community_since"), t("needs_since"))
        if home is not None:
            if home not in org and home in org.unread:
                pass
            elif home not in org:
                problems.add(file, row, col("home_unit"),
                             t("unknown_unit", unit=shown("home_unit")) + org.ids.hint(home))
            elif not org[home].kind.is_station_side:
                problems.add(file, row, col("home_unit"),
                             t("bad_home", unit=home, kind=kind_name(org[home].kind.value)))
        if bureau is not None:
            if bureau not in org or not org[bureau].kind.is_bureau:
                problems.add(file, row, col("bureau"), t("not_bureau", value=shown("bureau"))
                             + org.ids.hint(bureau, lambda b: org[b].kind.is_bureau))
            elif (unit is not None and unit in org and not org[unit].kind.is_bureau
                  and org.bureau_or_none(unit) not in (None, bureau)):
                problems.add(file, row, col("bureau"),
                             t("other_bureau", unit=unit, actual=org.bureau_of(unit),
                               bureau=bureau))
    if unit is None and values["pinned"]:
        problems.add(file, row, col("pinned"), t("recruit_pinned"))
    if unit is None and home is not None:
        problems.add(file, row, col("home_unit"), t("recruit_borrowed"))
    rank, rank_since, score = _rank_columns(r, file, row, col, ladder, problems,
                                            lambda c: shown(c, _RankWords(ladder or ())), now,
                                            facts)
    return Officer(oid, r.get("name", ""), unit, home, values["community_since"],
                   values["hired"], values["pinned"], values["move_approved"],
                   bureau, row, values["leaves"], rank, rank_since, score)


def past_limit(plan_date: date, unit: str | None, hired: date | None) -> date | None:
    """The latest date an officer's dates of the past (community_since, rank_since) may
    have: the plan date; none for a recruit hired after it (they join at a later step)."""
    if unit is None and hired is not None and hired > plan_date:
        return None
    return plan_date


class _RankWords:
    """Ranks as a message may show them: the ladder's, and any word shaped as a police rank
    or post (总警监, 三级警长, 科员): never a name."""

    SHAPE = re.compile(r".{0,8}(警员|警长|警司|警督|警监|科员|主任|局长|所长)")

    def __init__(self, ladder):
        self.ladder = set(ladder)

    def __contains__(self, value: str) -> bool:
        return value in self.ladder or bool(self.SHAPE.fullmatch(value))


def _rank_columns(r: dict, file: str, row: int, col, ladder: set[str] | None,
                  problems: Problems, shown, now: date | None = None,
                  facts: Problems | None = None,
                  ) -> tuple[str | None, date | None, Decimal | None]:
    """rank, rank_since and score (the promotion round's columns, all optional). With a
    ``promotions:`` section (where they are read) a rank must be on its ladder and have a
    rank_since, not later than ``now`` (the plan date: a rank reached)."""
    rank = r.get("rank", "") or None
    text = r.get("rank_since", "")
    since, why = read_date(text, lambda: shown("rank_since"))
    if why:
        problems.add(file, row, col("rank_since"), why)
    elif ladder is not None and now is not None and since is not None and since > now:
        (problems if facts is None else facts).add(file, row, col("rank_since"), t(
            "date_after_plan", date=since.isoformat(), plan=now.isoformat()))
    if ladder is not None and rank is not None:
        if rank not in ladder:
            problems.add(file, row, col("rank"), t("pm_bad_rank", value=shown("rank")))
        elif not text:
            problems.add(file, row, col("rank_since"), t("pm_needs_rank_since"))
    text = r.get("score", "")
    score = None
    if text:
        if _SCORE.match(text):
            score = Decimal(text)
        else:
            problems.add(file, row, col("score"), t("pm_bad_score", value=shown("score")))
    return rank, since, score


@dataclass
class ProposedPlan:
    """A plan read from a file in the ``assignments.csv`` format."""

    path: Path
    final: dict[str, str | None]  # officer -> unit; officers the file leaves out keep theirs
    rows: dict[str, int] = field(default_factory=dict)  # officer -> row in the file
    missing: list[str] = field(default_factory=list)  # on the roster, not in the file
    added: list[str] = field(default_factory=list)  # in the file, not on the roster


def read_assignments(path: Path, scenario: Scenario) -> ProposedPlan:
    """Read a plan in the ``assignments.csv`` format for a scenario of one step (see
    :func:`read_plan`)."""
    return read_plan(path, scenario)[0]


def read_published(path: Path, scenario: Scenario) -> dict[str, dict[int, str | None]]:
    """A published plan to keep to (``plan --keep``): officer -> {step: unit} for the rows
    the file has at the scenario's steps. Rows of other dates (steps already past) and of
    officers no longer on the roster are left aside."""
    plans = read_plan(path, scenario, other_dates=True)
    # A plan to keep to covers every step this scenario plans: kept to at some steps only
    # (a plan of one date beside a horizon, a file cut short), the rest is not a plan.
    missing = [s.plan_date.isoformat() for s, p in zip(scenario.steps, plans) if not p.rows]
    if missing:
        problems = Problems()
        problems.add(str(path), 0, "date", t("published_steps", missing=", ".join(missing),
                                               n=len(scenario.steps)))
        problems.raise_if_any()
    out: dict[str, dict[int, str | None]] = {}
    for k, plan in enumerate(plans):
        for oid in plan.rows:
            if oid in plan.final and oid not in plan.added:
                out.setdefault(oid, {})[k] = plan.final[oid]
    # An officer the file gives at some of the steps they serve, not all, has no published
    # course to keep to: planned freely, as an officer the file does not mention.
    serving = {}
    for k, step in enumerate(scenario.steps):
        for o in step.officers:
            serving.setdefault(o.id, set()).add(k)
    return {oid: at for oid, at in out.items() if set(at) == serving.get(oid, set())}


def read_plan(path: Path, scenario: Scenario, other_dates: bool = False) -> list[ProposedPlan]:
    """Read a plan in the ``assignments.csv`` format, one :class:`ProposedPlan` per step of
    the scenario (only ``officer_id`` and ``to_unit`` are required; ``date`` names the step,
    and a file without it is a plan of the first step). An officer the file leaves out at a
    step stays where the step before left them, and one not on that step's roster is
    ignored; both are reported by the checker (rule ``plan_matches_roster``). A duplicate
    officer at a step, an unknown unit or an unknown date is bad input; so is, in a published
    plan (``other_dates``, ``plan --keep``), an empty ``to_unit`` for an officer on the
    roster (``check --assignments`` reports it as a violation)."""
    from staffplan.report.files import ASSIGNMENT_COLUMNS

    problems = Problems()
    table = read_table(Path(path), ["officer_id", "to_unit"], problems, PLAN_ALIASES,
                       known=ASSIGNMENT_COLUMNS, ids=("officer_id", "from_unit", "to_unit"),
                       names=("officer_name",))
    steps = scenario.steps
    dates = {s.plan_date.isoformat(): k for k, s in enumerate(steps)}
    rows: list[list[tuple[int, str, str | None]]] = [[] for _ in steps]
    shown: dict[int, dict] = {}  # row -> its values; said() gives them as a message may
    units = {u for s in steps for u in s.organisation.units}
    ids = scenario.officer_ids
    wrong: set[str] = set()
    if table is not None:
        file, col = table.name or str(path), table.label
        wrong = table.check_columns(problems, {
            "officer_id": ("what_officer", ids), "to_unit": ("what_unit", units),
            "date": ("what_date", DATES)}, scenario.personal_names)
        dated = "date" in table.columns
        if not dated and len(steps) > 1:
            problems.add(file, 1, "date", t("plan_needs_date", n=len(steps)))
        for row, r in table.rows:
            k = 0
            if dated:
                d = parse_date(r["date"]) if r["date"] else None
                k = dates.get(d.isoformat()) if d else None
                if k is None and other_dates and d is not None:
                    continue  # a step of the published plan this scenario does not plan
                if k is None and col("date") in wrong:
                    continue  # said once for the column
                if k is None:
                    problems.add(file, row, col("date"), t(
                        "plan_bad_date", value=table.shown(row, "date", r["date"]),
                        dates=", ".join(dates)))
                    continue
            rows[k].append((row, r["officer_id"], r["to_unit"] or None))
            shown[row] = r  # the values, as a message may show them: see said()
    def said(row: int, which: int) -> object:
        """The row's officer id (0) or unit (1) as a message may show it (never a name)."""
        r = shown[row]
        return table.shown(row, "officer_id", r["officer_id"]) if which == 0 \
            else table.shown(row, "to_unit", r["to_unit"], units)

    plans: list[ProposedPlan] = []
    for k, step in enumerate(steps):
        before = plans[-1].final if plans else {}
        start = {o.id: (before.get(o.id, o.unit) if k else o.unit) for o in step.officers}
        plan = ProposedPlan(Path(path), start)
        org = step.organisation
        for row, oid, unit in rows[k]:
            if not oid:
                problems.add(file, row, col("officer_id"), t("empty_officer"))
                continue
            if col("officer_id") in wrong:
                continue  # said once for the column
            if oid in plan.rows:
                problems.add(file, row, col("officer_id"),
                             t("duplicate_officer", id=said(row, 0), row=plan.rows[oid]))
                continue
            plan.rows[oid] = row
            if unit is not None and (unit not in org or org[unit].kind.is_bureau):
                if col("to_unit") not in wrong:
                    said_as = "unknown_unit" if unit not in org else "not_staffed_unit"
                    problems.add(file, row, col("to_unit"), t(said_as, unit=said(row, 1))
                                 + org.ids.hint(unit, lambda u, org=org: not org[u].kind.is_bureau))
                continue
            # An officer id the roster does not have as written but has in another writing
            # (a full-width letter, an invisible character) is a mistake, not a new officer.
            hint = ids.hint(oid) if oid not in ids else ""
            if hint:
                problems.add(file, row, col("officer_id"),
                             t("unknown_officer", id=said(row, 0)) + hint)
                continue
            if oid not in start:
                plan.added.append(oid)
                continue
            if unit is None and other_dates:
                # A published plan gives every officer on the roster a unit (the plan places
                # recruits): an empty one is a damaged file, not a decision to keep to.
                problems.add(file, row, col("to_unit"), t("published_no_unit",
                                                          id=said(row, 0)))
                continue
            plan.final[oid] = unit
        plan.missing = [o.id for o in step.officers if o.id not in plan.rows]
        plans.append(plan)
    problems.raise_if_any()
    return plans
