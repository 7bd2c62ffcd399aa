"""The rule checker: judges a finished assignment directly, rule by rule.

It never builds or reads a model: it takes the roster and a final assignment (officer id ->
unit) and counts. The planner runs it on every plan it returns; ``staffplan check`` runs it
on a roster or a plan file. Keep it independent of ``staffplan.model`` and
``staffplan.solve`` (a test enforces it).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from fractions import Fraction

from staffplan.domain import Kind, Scenario
from staffplan.i18n import rule_label, t
from staffplan.rules import RULES, enabled


@dataclass(frozen=True)
class Violation:
    """A rule broken (or, in ``CheckReport.warnings``, a risk) by one bureau, unit or officer."""

    rule: str
    subject: str  # a bureau, unit or officer id
    message: str
    figures: dict = field(default_factory=dict, compare=False)
    about: str = ""  # "bureau", "unit" or "officer": what ``subject`` names


@dataclass(frozen=True)
class Approval:
    """A transfer that needs the city committee's approval (市局派出所工作委员会批准)."""

    officer: str
    from_unit: str
    to_unit: str
    tenure: str  # full years and months at the post at the plan date
    rule: str
    approved: bool


@dataclass
class RuleResult:
    rule: str
    label: str
    enabled: bool
    checked: int = 0  # how many bureaus, units or officers the rule looked at
    violations: list[Violation] = field(default_factory=list)

    @property
    def status(self) -> str:
        if not self.enabled:
            return "off"
        return "violated" if self.violations else "ok"


@dataclass
class BureauFigures:
    bureau: str
    kind: str
    force: int
    station_strength: int
    community_officers: int
    posts: int
    posts_staffed: int
    station_target: Fraction | None
    community_target: Fraction | None

    @property
    def station_share(self) -> Fraction | None:
        return Fraction(self.station_strength, self.force) if self.force else None

    @property
    def community_share(self) -> Fraction | None:
        return (Fraction(self.community_officers, self.station_strength)
                if self.station_strength else None)


@dataclass
class CheckReport:
    mode: str  # "roster": the current roster; "plan": a final assignment
    results: list[RuleResult]
    bureaus: list[BureauFigures]
    unplaced_recruits: list[str]
    moves: int  # existing officers whose unit changes
    moves_by_kind: dict[str, int]
    warnings: list[Violation] = field(default_factory=list)
    approvals: list[Approval] = field(default_factory=list)

    @property
    def violations(self) -> list[Violation]:
        return [v for r in self.results for v in r.violations]

    @property
    def ok(self) -> bool:
        return not self.violations


def _completed_years(since: date, on: date) -> int:
    years = on.year - since.year
    if (on.month, on.day) < (since.month, since.day):
        years -= 1
    return years


def _share(text_share: float | None) -> Fraction | None:
    return None if text_share is None else Fraction(str(text_share))


def _pct(x: Fraction) -> str:
    return f"{float(x) * 100:.1f}%"


class _View:
    """Counts over one assignment, computed directly from the units table."""

    def __init__(self, scenario: Scenario, final: dict[str, str | None]):
        self.s = scenario
        self.units = scenario.organisation.units
        self.final = final
        self.count = Counter(u for u in final.values() if u is not None)
        self.proposed = None

    def bureau(self, unit_id: str) -> str:
        u = self.units[unit_id]
        while u.kind not in (Kind.COUNTY, Kind.DISTRICT):
            u = self.units[u.parent]
        return u.id

    def kind(self, unit_id: str) -> Kind:
        return self.units[unit_id].kind


def check(scenario: Scenario, final: dict[str, str | None] | None = None,
          proposed=None) -> CheckReport:
    """Evaluate every rule on ``final`` (default: the current roster, mode "roster").

    ``proposed``, a plan read from a file (``ProposedPlan``), also brings the officers the
    file leaves out or adds (rule ``plan_matches_roster``); its ``final`` is used when
    ``final`` is None.
    """
    if final is None and proposed is not None:
        final = proposed.final
    mode = "roster" if final is None else "plan"
    final = scenario.current() if final is None else final
    view = _View(scenario, final)
    view.proposed = proposed
    rules = scenario.rules
    bureaus = _bureau_figures(view)
    checks = {
        "staff_every_post": _staff_every_post,
        "station_share": _station_share,
        "community_share": _community_share,
        "min_community_tenure": _min_community_tenure,
        "pinned": _pinned,
        "new_hires_to_stations": _new_hires_to_stations,
        "return_borrowed": _return_borrowed,
        "stay_in_bureau": _stay_in_bureau,
        "unit_bounds": _unit_bounds,
        "recruits_placed": _recruits_placed,
        "closed_units": _closed_units,
        "plan_matches_roster": _plan_matches_roster,
    }
    results = []
    for rule in RULES:
        result = RuleResult(rule.id, rule_label(rule), enabled(rule.id, rules))
        if result.enabled:
            checks[rule.id](view, bureaus, result, mode)
        results.append(result)
    unplaced = sorted(o.id for o in scenario.officers if final.get(o.id) is None)
    moves_by_kind: Counter = Counter()
    moves = 0
    for o in scenario.officers:
        to = final.get(o.id)
        if o.unit is None:
            if to is not None:
                moves_by_kind[f"recruit -> {view.kind(to).value}"] += 1
            continue
        if to != o.unit:
            moves += 1
            label = f"{view.kind(o.unit).value} -> {view.kind(to).value if to else 'none'}"
            if o.home_unit is not None and to == o.home_unit:
                label = "borrowed returned"
            moves_by_kind[label] += 1
    return CheckReport(mode, results, bureaus, unplaced, moves, dict(sorted(moves_by_kind.items())),
                       _warnings(view), _approvals(view))


def _bureau_figures(view: _View) -> list[BureauFigures]:
    rules = view.s.rules
    out = []
    stats: dict[str, Counter] = {}
    for uid, n in view.count.items():
        c = stats.setdefault(view.bureau(uid), Counter())
        k = view.kind(uid)
        c["force"] += n
        if k in (Kind.STATION, Kind.POST):
            c["station"] += n
        if k is Kind.POST:
            c["community"] += n
    for u in view.units.values():
        if u.kind is Kind.POST and not u.closed:
            c = stats.setdefault(view.bureau(u.id), Counter())
            c["posts"] += 1
            c["staffed"] += view.count[u.id] > 0
    for u in view.units.values():
        if u.kind not in (Kind.COUNTY, Kind.DISTRICT):
            continue
        c = stats.get(u.id, Counter())
        station_target = None
        if rules.station_share is not None:
            station_target = _share(getattr(rules.station_share, u.kind.value))
        out.append(BureauFigures(u.id, u.kind.value, c["force"], c["station"], c["community"],
                                 c["posts"], c["staffed"], station_target,
                                 _share(rules.community_share)))
    return out


def _staff_every_post(view, bureaus, result, mode):
    for u in view.units.values():
        if u.kind is Kind.POST and not u.closed:
            result.checked += 1
            if view.count[u.id] < 1:
                result.violations.append(Violation(result.rule, u.id, t("v_post_empty", post=u.id),
                                                   {"officers": 0}, "unit"))


def _share_rule(result, b, part: int, whole: int, target, message: str, names: tuple[str, str]):
    """part / whole >= target for one bureau, compared exactly."""
    if target is None:
        return
    result.checked += 1
    if part < target * whole:
        short = _officers_short(part, target * whole)
        share = _pct(Fraction(part, whole)) if whole else "n/a"
        result.violations.append(Violation(
            result.rule, b.bureau,
            t(message, bureau=b.bureau, share=share, target=_pct(target), part=part, whole=whole,
              short=short),
            {names[0]: part, names[1]: whole, "target": float(target), "short": short}, "bureau"))


def _station_share(view, bureaus, result, mode):
    for b in bureaus:
        _share_rule(result, b, b.station_strength, b.force, b.station_target, "v_station_share",
                    ("station_strength", "force"))


def _community_share(view, bureaus, result, mode):
    for b in bureaus:
        _share_rule(result, b, b.community_officers, b.station_strength, b.community_target,
                    "v_community_share", ("community_officers", "station_strength"))


def _officers_short(have: int, need: Fraction) -> int:
    """Officers to add to ``have`` (the rest unchanged) to reach ``need``."""
    short = need - have
    return int(-(-short.numerator // short.denominator))


def _min_community_tenure(view, bureaus, result, mode):
    years = view.s.rules.min_community_tenure_years
    for o in view.s.officers:
        if o.unit is None or view.kind(o.unit) is not Kind.POST or o.community_since is None:
            continue
        if view.units[o.unit].closed:
            continue  # the post closes: its officers move whatever their tenure
        served = _completed_years(o.community_since, view.s.plan_date)
        if served >= years or o.move_approved:
            continue
        result.checked += 1
        if view.final.get(o.id) != o.unit:
            result.violations.append(Violation(
                result.rule, o.id,
                t("v_tenure", officer=o.id, post=o.unit, served=served, years=years),
                {"served_years": served, "minimum": years}, "officer"))


def _pinned(view, bureaus, result, mode):
    for o in view.s.officers:
        if not o.pinned:
            continue
        result.checked += 1
        if view.final.get(o.id) != o.unit:
            result.violations.append(Violation(result.rule, o.id,
                                               t("v_pinned", officer=o.id, unit=o.unit),
                                               about="officer"))


def _new_hires_to_stations(view, bureaus, result, mode):
    for o in view.s.officers:
        if o.unit is not None:
            continue
        result.checked += 1
        to = view.final.get(o.id)
        if to is not None and view.kind(to) is Kind.HQ:
            result.violations.append(Violation(
                result.rule, o.id, t("v_recruit_hq", officer=o.id, unit=to),
                about="officer"))


def _return_borrowed(view, bureaus, result, mode):
    for o in view.s.officers:
        if o.home_unit is None:
            continue
        result.checked += 1
        to = view.final.get(o.id)
        if to != o.home_unit:
            result.violations.append(Violation(
                result.rule, o.id,
                t("v_borrowed", officer=o.id, unit=to, home=o.home_unit),
                about="officer"))


def _stay_in_bureau(view, bureaus, result, mode):
    for o in view.s.officers:
        to = view.final.get(o.id)
        origin = view.bureau(o.unit) if o.unit is not None else o.bureau
        if origin is None:
            continue
        result.checked += 1
        if to is not None and view.bureau(to) != origin:
            who = t("who_recruit") if o.unit is None else t("who_officer")
            result.violations.append(Violation(
                result.rule, o.id,
                t("v_bureau", who=who, officer=o.id, origin=origin, unit=to,
                  other=view.bureau(to)),
                about="officer"))


def _unit_bounds(view, bureaus, result, mode):
    for u in view.units.values():
        if u.closed or (u.min_staff is None and u.max_staff is None):
            continue
        result.checked += 1
        n = view.count[u.id]
        if u.min_staff is not None and n < u.min_staff:
            result.violations.append(Violation(
                result.rule, u.id, t("v_below_min", unit=u.id, n=n, min=u.min_staff),
                {"officers": n, "min_staff": u.min_staff}, "unit"))
        if u.max_staff is not None and n > u.max_staff:
            result.violations.append(Violation(
                result.rule, u.id, t("v_above_max", unit=u.id, n=n, max=u.max_staff),
                {"officers": n, "max_staff": u.max_staff}, "unit"))


def _recruits_placed(view, bureaus, result, mode):
    if mode == "roster":
        return  # recruits not yet placed are listed in the report, not counted
    for o in view.s.officers:
        if o.unit is None:
            result.checked += 1
            if view.final.get(o.id) is None:
                result.violations.append(Violation(result.rule, o.id, t("v_unplaced", officer=o.id),
                                                   about="officer"))


def _closed_units(view, bureaus, result, mode):
    for u in view.units.values():
        if not u.closed:
            continue
        result.checked += 1
        n = view.count[u.id]
        if n:
            result.violations.append(Violation(
                result.rule, u.id, t("v_closed", unit=u.id, n=n), {"officers": n},
                "unit"))


def _plan_matches_roster(view, bureaus, result, mode):
    proposed = view.proposed
    if proposed is None:
        return
    result.checked = len(view.s.officers) + len(proposed.added)
    for oid in proposed.missing:
        result.violations.append(Violation(
            result.rule, oid, t("v_missing", officer=oid), about="officer"))
    for oid in proposed.added:
        result.violations.append(Violation(
            result.rule, oid, t("v_added", officer=oid), about="officer"))


# --- Warnings (``check --strict`` fails on them) -------------------------------------------

WARNINGS = {
    "tenure_ends_soon": "a post at its minimum whose officer may leave within a year",
    "recruit_at_headquarters": "recruit placed at headquarters",
    "hq_above_bounds": "headquarters unit above its maximum",
}


def _warnings(view) -> list[Violation]:
    out: list[Violation] = []
    s = view.s
    years = s.rules.min_community_tenure_years
    by_unit: dict[str, list] = {}
    for o in s.officers:
        unit = view.final.get(o.id)
        if unit is not None:
            by_unit.setdefault(unit, []).append(o)
    for u in view.units.values():
        if u.kind is not Kind.POST or u.closed or years is None:
            continue
        minimum = max(u.min_staff or 0, 1)
        here = by_unit.get(u.id, [])
        if len(here) != minimum:
            continue
        for o in here:
            if o.unit != u.id or o.community_since is None:
                continue
            served = _completed_years(o.community_since, s.plan_date)
            later = _completed_years(o.community_since, _next_year(s.plan_date))
            if served < years <= later:
                out.append(Violation("tenure_ends_soon", u.id,
                                     t("w_tenure_soon", post=u.id, min=minimum, officer=o.id,
                                       years=years), about="unit"))
    for o in s.officers:
        to = view.final.get(o.id)
        if (o.unit is None and to is not None and view.kind(to) is Kind.HQ
                and not s.rules.new_hires_to_stations):
            out.append(Violation("recruit_at_headquarters", o.id,
                                 t("w_recruit_hq", officer=o.id, unit=to), about="officer"))
    for u in view.units.values():
        if (u.kind is Kind.HQ and u.max_staff is not None and view.count[u.id] > u.max_staff
                and not s.rules.unit_bounds):
            out.append(Violation("hq_above_bounds", u.id, t("w_hq_above", unit=u.id,
                                                            n=view.count[u.id], max=u.max_staff),
                                 about="unit"))
    return out


def _next_year(d: date) -> date:
    try:
        return d.replace(year=d.year + 1)
    except ValueError:
        return d.replace(year=d.year + 1, day=28)


def _approvals(view) -> list[Approval]:
    """Community officers moved from their post before the minimum tenure: each move needs
    the city committee's approval (given when the roster says ``move_approved``)."""
    s = view.s
    years = s.rules.min_community_tenure_years
    out: list[Approval] = []
    if years is None:
        return out
    for o in s.officers:
        if o.unit is None or view.kind(o.unit) is not Kind.POST or o.community_since is None:
            continue
        to = view.final.get(o.id)
        if to == o.unit or view.units[o.unit].closed:
            continue
        if _completed_years(o.community_since, s.plan_date) >= years:
            continue
        since, on = o.community_since, s.plan_date
        months = (on.year - since.year) * 12 + on.month - since.month - (on.day < since.day)
        out.append(Approval(o.id, o.unit, to or "", f"{months // 12}y{months % 12}m of {years}y",
                            "min_community_tenure", o.move_approved))
    return out
