"""The integer program: how many officers leave each unit and arrive at each unit.

Officers whom no rule holds are interchangeable within their unit, so the model counts them
instead of naming them: its size follows the number of units, not officers x units.

    stay[u]     free officers now at u who stay              0 <= stay[u] <= free[u]
    arrive[v]   free officers who move to v                  drawn from the pool of v's bureau
    recruit[v]  recruits placed at v                          drawn from v's bureau's recruits
    unbound[b]  recruits with no bureau sent to bureau b
    final[v]  = fixed[v] + stay[v] + arrive[v] + recruit[v]   officers at v in the plan

Officers a rule holds (pinned, within the minimum community tenure, borrowed and returning)
are constants in ``fixed``. Moves = sum(free - stay) + fixed officers who change unit. Each
rule adds its constraints in its own ``define_*`` function; the checker in
``staffplan.check`` re-judges the result without any of this code.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field
from fractions import Fraction

import pulp

from staffplan.domain import Kind, Scenario, as_fraction, tenure_complete
from staffplan.i18n import t


@dataclass(frozen=True)
class Conflict:
    """An officer whom the rules send to two places (or none): no plan can exist."""

    officer: str
    rules: tuple[str, ...]
    message: str


@dataclass
class Placement:
    """Which officers the rules hold, and the interchangeable groups of the others."""

    fixed: dict[str, str] = field(default_factory=dict)  # officer -> unit a rule sends them to
    held_by: dict[str, str] = field(default_factory=dict)  # officer -> rule id that holds them
    free: dict[str, list[str]] = field(default_factory=dict)  # unit -> free officers there
    recruits: dict[str | None, list[str]] = field(default_factory=dict)  # bureau|None -> ids
    conflicts: list[Conflict] = field(default_factory=list)


def placement(scenario: Scenario) -> Placement:
    """Split the roster into officers a rule holds and free officers, by unit."""
    rules, org = scenario.rules, scenario.organisation
    years = rules.min_community_tenure_years
    p = Placement()
    for o in scenario.officers:
        if o.unit is None:
            scope = o.bureau if rules.stay_in_bureau else None
            p.recruits.setdefault(scope, []).append(o.id)
            continue
        wants: dict[str, str] = {}  # rule -> unit it demands
        closed = org[o.unit].closed
        if o.pinned:
            wants["pinned"] = o.unit
            if closed:
                p.conflicts.append(Conflict(o.id, ("pinned", "closed_units"),
                                            t("x_conflict_pinned_closed", officer=o.id, unit=o.unit)))
        if (not closed and years is not None and org[o.unit].kind is Kind.POST
                and not o.move_approved
                and o.community_since is not None
                and not tenure_complete(o.community_since, scenario.plan_date, years)):
            wants["min_community_tenure"] = o.unit
        if rules.return_borrowed and o.home_unit is not None:
            wants["return_borrowed"] = o.home_unit
            if org[o.home_unit].closed:
                p.conflicts.append(Conflict(o.id, ("return_borrowed", "closed_units"),
                                            t("x_home_closes", officer=o.id, home=o.home_unit)))
            if rules.stay_in_bureau and org.bureau_of(o.home_unit) != org.bureau_of(o.unit):
                p.conflicts.append(Conflict(o.id, ("return_borrowed", "stay_in_bureau"),
                    t("x_home_other_bureau", officer=o.id, home=o.home_unit,
                      home_bureau=org.bureau_of(o.home_unit), bureau=org.bureau_of(o.unit))))
        targets = set(wants.values())
        if len(targets) > 1:
            names = tuple(sorted(wants))
            p.conflicts.append(Conflict(o.id, names, t("x_disagree", officer=o.id, parts="; ".join(
                t("x_keeps" if u == o.unit else "x_sends", rule=r, unit=u)
                for r, u in sorted(wants.items())))))
        if wants:
            rule = sorted(wants)[0]
            p.fixed[o.id] = wants[rule]
            p.held_by[o.id] = "return_borrowed" if "return_borrowed" in wants else rule
        else:
            p.free.setdefault(o.unit, []).append(o.id)
    for scope, ids in p.recruits.items():
        if scope is not None and not _recruit_units(scenario, scope):
            p.conflicts.append(Conflict(ids[0], ("new_hires_to_stations", "stay_in_bureau"),
                t("x_no_recruit_units", bureau=scope, n=len(ids))))
    return p


def _recruit_units(scenario: Scenario, bureau: str) -> list[str]:
    units = [u for u in scenario.organisation.units_of_bureau[bureau] if not u.closed]
    if scenario.rules.new_hires_to_stations:
        return [u.id for u in units if u.kind.is_station_side]
    return [u.id for u in units]


_UNSAFE = re.compile(r"[^A-Za-z0-9_]")


@dataclass
class StaffingModel:
    prob: pulp.LpProblem
    stay: dict[str, pulp.LpVariable]
    arrive: dict[str, pulp.LpVariable]
    recruit: dict[str, pulp.LpVariable]
    unbound: dict[str, pulp.LpVariable]
    final: dict[str, pulp.LpAffineExpression]
    moves: pulp.LpAffineExpression
    slack: dict[tuple[str, str], pulp.LpVariable]  # (rule, subject) -> slack, elastic only
    placement: Placement
    # (rule, bureau) -> (constraint name, part, whole) of each share row, so a sweep can
    # change a target on a built model.
    shares: dict[tuple[str, str], tuple[str, list, list]] = field(default_factory=dict)

    def variables(self) -> list[pulp.LpVariable]:
        return [*self.stay.values(), *self.arrive.values(), *self.recruit.values(),
                *self.unbound.values(), *self.slack.values()]


# The rule families the model can relax to explain an impossible plan (the others are
# officer-level holds, checked before the model is built).
FAMILIES = ("staff_every_post", "station_share", "community_share", "unit_bounds",
            "closed_units")


class _Builder:
    def __init__(self, scenario: Scenario, place: Placement, rules, elastic, only):
        self.s, self.p = scenario, place
        self.rules = set(FAMILIES if rules is None else rules)
        self.elastic, self.only = set(elastic), only
        self.org = scenario.organisation
        self.prob = pulp.LpProblem("staffplan", pulp.LpMinimize)
        self.slack: dict[tuple[str, str], pulp.LpVariable] = {}
        self.shares: dict[tuple[str, str], tuple[str, list, list]] = {}
        self.names = {u.id: f"{i}_{_UNSAFE.sub('_', u.id)[:40]}"
                      for i, u in enumerate(self.org.staffed_units)}

    def add(self, rule: str, subject: str, expr, sense: str, rhs, name: str,
            slack_scale: int = 1) -> None:
        """Add ``expr (>=|<=) rhs`` for a rule, unless the rule is left out; a relaxed
        (elastic) rule gets a slack counted in officers."""
        if rule not in self.rules:
            return
        if self.only is not None and self.only[0] == rule and self.only[1] != subject:
            return
        if rule in self.elastic:
            slack = self.prob.add_variable(f"slack_{name}", 0)
            self.slack[(rule, subject)] = slack
            expr = expr + slack_scale * slack if sense == ">=" else expr - slack_scale * slack
        self.prob += (expr >= rhs if sense == ">=" else expr <= rhs), name


def build_model(scenario: Scenario, place: Placement | None = None, *, rules=None,
                elastic=(), only: tuple[str, str] | None = None) -> StaffingModel:
    """Build the model. For explanations: ``rules`` keeps only these rule families (default:
    all of ``FAMILIES`` that the config switches on), ``elastic`` gives those families'
    constraints a slack, and ``only`` keeps one (rule, subject) of its family."""
    place = place or placement(scenario)
    b = _Builder(scenario, place, rules, elastic, only)
    stay, arrive, recruit, unbound, final = define_flows(b)
    define_staff_every_post(b, final)
    define_station_share(b, final)
    define_community_share(b, final)
    define_unit_bounds(b, final)
    define_closed_units(b, final)
    fixed_moves = sum(1 for oid, u in place.fixed.items()
                      if scenario.officer_by_id[oid].unit != u)
    free_total = sum(len(v) for v in place.free.values())
    moves = pulp.lpSum(-v for v in stay.values()) + (free_total + fixed_moves)
    return StaffingModel(b.prob, stay, arrive, recruit, unbound, final, moves, b.slack, place,
                         b.shares)


def define_flows(b: _Builder):
    """Variables and the structure every plan has: movers leave a unit for another unit of
    the same pool; recruits are placed in their bureau (stay_in_bureau) at stations or posts
    (new_hires_to_stations); officers a rule holds are constants."""
    s, org, p = b.s, b.org, b.p
    rules = s.rules
    base: dict[str, int] = defaultdict(int)
    for unit in p.fixed.values():
        base[unit] += 1
    stay = {u: b.prob.add_variable(f"stay_{b.names[u]}", 0, len(ids), "Integer")
            for u, ids in p.free.items()}
    # Mover pools: one per bureau, or one for the city when moves may cross bureaus.
    pool_of = (lambda u: org.bureau_of(u)) if rules.stay_in_bureau else (lambda u: "city")
    pool_size: dict[str, int] = defaultdict(int)
    for u, ids in p.free.items():
        pool_size[pool_of(u)] += len(ids)
    arrive = {}
    for u in org.staffed_units:
        n = pool_size.get(pool_of(u.id), 0)
        if n and not u.closed:
            arrive[u.id] = b.prob.add_variable(f"arrive_{b.names[u.id]}", 0, n, "Integer")
    # movers: arrivals - (free - stay) summed over the pool = 0, i.e. arrivals + stays = free.
    pool_terms: dict[str, list] = defaultdict(list)
    for u, v in arrive.items():
        pool_terms[pool_of(u)].append((v, 1))
    for u, v in stay.items():
        pool_terms[pool_of(u)].append((v, 1))
    for pool in sorted(pool_size):
        b.prob += (pulp.LpAffineExpression(pool_terms[pool]) == pool_size[pool],
                   f"movers_{_UNSAFE.sub('_', pool)}")
    # Recruits: per bureau of recruitment, and those any bureau may take.
    recruit: dict[str, pulp.LpVariable] = {}
    unbound: dict[str, pulp.LpVariable] = {}
    n_any = len(p.recruits.get(None, []))
    total = sum(len(v) for v in p.recruits.values())
    for bureau in org.bureaus:
        n_own = len(p.recruits.get(bureau.id, []))
        if not n_own and not n_any:
            continue
        units = _recruit_units(s, bureau.id)
        for u in units:
            recruit[u] = b.prob.add_variable(f"recruit_{b.names[u]}", 0, total, "Integer")
        taken = pulp.lpSum(recruit[u] for u in units)
        if n_any:
            unbound[bureau.id] = b.prob.add_variable(f"unbound_{_UNSAFE.sub('_', bureau.id)}", 0,
                                                     n_any, "Integer")
            b.prob += taken == n_own + unbound[bureau.id], f"recruits_{_UNSAFE.sub('_', bureau.id)}"
        else:
            b.prob += taken == n_own, f"recruits_{_UNSAFE.sub('_', bureau.id)}"
    if n_any:
        b.prob += pulp.lpSum(unbound.values()) == n_any, "recruits_any_bureau"
    final = {}
    for u in org.staffed_units:
        terms = [(v[u.id], 1) for v in (stay, arrive, recruit) if u.id in v]
        final[u.id] = pulp.LpAffineExpression(terms, constant=base.get(u.id, 0))
    return stay, arrive, recruit, unbound, final


def define_closed_units(b: _Builder, final) -> None:
    """closed_units: a unit the scenario closes ends with no officer."""
    for u in b.org.staffed_units:
        if u.closed:
            b.add("closed_units", u.id, final[u.id], "<=", 0, f"closed_{b.names[u.id]}")


def define_unit_bounds(b: _Builder, final) -> None:
    """unit_bounds: min_staff <= officers at the unit <= max_staff."""
    if not b.s.rules.unit_bounds:
        return
    for u in b.org.staffed_units:
        if u.closed:
            continue
        if u.min_staff is not None:
            b.add("unit_bounds", u.id, final[u.id], ">=", u.min_staff, f"min_staff_{b.names[u.id]}")
        if u.max_staff is not None:
            b.add("unit_bounds", u.id, final[u.id], "<=", u.max_staff, f"max_staff_{b.names[u.id]}")


def define_staff_every_post(b: _Builder, final) -> None:
    """staff_every_post: at least one officer at every post."""
    if not b.s.rules.staff_every_post:
        return
    for u in b.org.posts:
        b.add("staff_every_post", u.id, final[u.id], ">=", 1, f"post_staffed_{b.names[u.id]}")


def share_expression(target: Fraction, part, whole) -> pulp.LpAffineExpression:
    """part / whole >= num / den  <=>  den * part - num * whole >= 0, in whole numbers."""
    num, den = target.numerator, target.denominator
    return den * pulp.lpSum(part) - num * pulp.lpSum(whole)


def _share_constraint(b: _Builder, rule: str, bureau: str, target: Fraction, part, whole) -> None:
    # A slack counts officers added to ``part``.
    name = f"{rule}_{_UNSAFE.sub('_', bureau)}"
    b.shares[(rule, bureau)] = (name, part, whole)
    b.add(rule, bureau, share_expression(target, part, whole), ">=", 0, name,
          slack_scale=target.denominator)


def define_station_share(b: _Builder, final) -> None:
    """station_share: station strength >= target x force, per bureau."""
    shares = b.s.rules.station_share
    if shares is None:
        return
    for bureau in b.org.bureaus:
        target = getattr(shares, bureau.kind.value)
        if target is None:
            continue
        units = b.org.units_of_bureau[bureau.id]
        _share_constraint(b, "station_share", bureau.id, as_fraction(target),
                          [final[u.id] for u in units if u.kind.is_station_side],
                          [final[u.id] for u in units])


def define_community_share(b: _Builder, final) -> None:
    """community_share: officers at posts >= target x station strength, per bureau."""
    target = b.s.rules.community_share
    if target is None:
        return
    for bureau in b.org.bureaus:
        units = b.org.units_of_bureau[bureau.id]
        _share_constraint(b, "community_share", bureau.id, as_fraction(target),
                          [final[u.id] for u in units if u.kind is Kind.POST],
                          [final[u.id] for u in units if u.kind.is_station_side])


# Secondary preferences, used only after the fewest moves is known (they never cost a move):
# take movers from headquarters before stations, and from stations before posts (community
# work keeps its officers); do not send movers into headquarters.
LEAVE_WEIGHT = {Kind.HQ: 1, Kind.STATION: 2, Kind.POST: 3}
ARRIVE_WEIGHT = {Kind.HQ: 2, Kind.STATION: 0, Kind.POST: 0}


def secondary_objective(model: StaffingModel, scenario: Scenario):
    org = scenario.organisation
    leave = pulp.lpSum(LEAVE_WEIGHT[org[u].kind] * (len(model.placement.free[u]) - v)
                       for u, v in model.stay.items())
    arrive = pulp.lpSum(ARRIVE_WEIGHT[org[u].kind] * v for u, v in model.arrive.items())
    return leave + arrive
