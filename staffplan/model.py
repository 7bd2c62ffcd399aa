"""The integer program: how many officers leave each unit and arrive at each unit.

Officers whom no rule holds are interchangeable within their unit, so the model counts them
instead of naming them: its size follows the number of units, not officers x units.

    stay[u]     free officers now at u who stay              0 <= stay[u] <= free[u]
    arrive[v]   free officers who move to v                  drawn from the pool of v's bureau
    recruit[v]  recruits placed at v                          drawn from v's bureau's recruits
    unbound[b]  recruits with no bureau sent to bureau b
    final[v]  = fixed[v] + stay[v] + arrive[v] + recruit[v]   officers at v in the plan

The rules speak through :class:`Builder`, in three phases: ``scope`` (the pools movers and
recruits are drawn from), ``hold`` (officers a rule keeps or sends somewhere: constants in
``fixed``), then ``constrain`` (counts). Each rule's module in ``staffplan.rules`` holds its
part; the checker re-judges the result without any of this code.

"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from fractions import Fraction

import pulp

from staffplan.domain import Kind, Scenario
from staffplan.i18n import rule_label, t
from staffplan.rules import MODULES, RULE_BY_ID, enabled
from staffplan.rules.base import Rule

# Names inside the model are made from indices, never from ids: ids may be Chinese, or
# differ only in characters PuLP replaces (``B-1``, ``B_1``). Indices are zero-padded
# because PuLP hands the solver its columns sorted by name.


def _name(prefix: str, i: int) -> str:
    return f"{prefix}_{i:06d}"


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
    holds: dict[str, list[tuple[str, str]]] = field(default_factory=dict)  # officer -> all
    free: dict[str, list[str]] = field(default_factory=dict)  # unit -> free officers there
    recruits: dict[str | None, list[str]] = field(default_factory=dict)  # bureau|None -> ids
    conflicts: list[Conflict] = field(default_factory=list)
    by_bureau: bool = False  # movers and recruits stay in their bureau (pools per bureau)
    recruit_units: object = None  # predicate: may a recruit be placed at this unit?

    def pool_of(self, org, unit_id: str) -> str:
        return org.bureau_of(unit_id) if self.by_bureau else "city"


class _Scope:
    """The builder's first two phases: pools, recruit destinations and holds."""

    def __init__(self, scenario: Scenario):
        self.s = scenario
        self.p = Placement()
        self.holds: dict[str, list[tuple[str, str]]] = defaultdict(list)  # officer -> [(rule, unit)]

    def pool_by_bureau(self, rule: Rule) -> None:
        self.p.by_bureau = True

    def recruits_only_to(self, allowed, rule: Rule) -> None:
        self.p.recruit_units = allowed

    def hold(self, officer: str, unit: str, rule: Rule) -> None:
        self.holds[officer].append((rule.id, unit))


def placement(scenario: Scenario) -> Placement:
    """Split the roster into officers a rule holds and free officers, by unit; find the
    officers no plan can place (two rules disagree, or a rule sends them where they cannot
    go)."""
    scope = _Scope(scenario)
    for module in MODULES:
        if enabled(module.RULE.id, scenario.rules):
            for phase in ("scope", "hold"):
                if hasattr(module, phase):
                    getattr(module, phase)(scenario, scope)
    p = scope.p
    for o in scenario.officers:
        if o.unit is None:
            p.recruits.setdefault(o.bureau if p.by_bureau else None, []).append(o.id)
            continue
        wants = scope.holds.get(o.id)
        if not wants:
            p.free.setdefault(o.unit, []).append(o.id)
            continue
        p.conflicts.extend(_hold_conflicts(scenario, p, o, wants))
        # The hold that moves the officer names the reason, else the first rule's.
        rule, unit = next(((r, u) for r, u in wants if u != o.unit), wants[0])
        p.fixed[o.id] = unit
        p.held_by[o.id] = rule
        p.holds[o.id] = wants
    for scope_id, ids in p.recruits.items():
        if scope_id is not None and not recruit_units(scenario, p, scope_id):
            p.conflicts.append(Conflict(ids[0], ("new_hires_to_stations", "stay_in_bureau"),
                                        t("x_no_recruit_units", bureau=scope_id, n=len(ids))))
    return p


def _hold_conflicts(scenario: Scenario, p: Placement, o, wants) -> list[Conflict]:
    org = scenario.organisation
    out = []
    for rule, unit in wants:
        label = rule_label(RULE_BY_ID[rule])
        if org[unit].closed:
            out.append(Conflict(o.id, (rule, "closed_units"), t(
                "x_hold_closed", officer=o.id, unit=unit, rule=label)))
        elif p.by_bureau and org.bureau_of(unit) != org.bureau_of(o.unit):
            out.append(Conflict(o.id, (rule, "stay_in_bureau"), t(
                "x_hold_other_bureau", officer=o.id, unit=unit, rule=label,
                other=org.bureau_of(unit), bureau=org.bureau_of(o.unit))))
    if len({u for _, u in wants}) > 1:
        out.append(Conflict(o.id, tuple(sorted(r for r, _ in wants)), t(
            "x_disagree", officer=o.id, parts="; ".join(
                t("x_keeps" if u == o.unit else "x_sends", rule=r, unit=u)
                for r, u in sorted(wants)))))
    return out


def recruit_units(scenario: Scenario, p: Placement, bureau: str) -> list[str]:
    units = [u for u in scenario.organisation.units_of_bureau[bureau] if not u.closed]
    allowed = p.recruit_units
    return [u.id for u in units if allowed is None or allowed(u)]


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
    # (rule, bureau) -> (row name, part units, whole units) of each share row, so a sweep
    # can give a built model another target (``share_row``).
    shares: dict[tuple[str, str], tuple[str, list, list]] = field(default_factory=dict)

    def variables(self) -> list[pulp.LpVariable]:
        return [*self.stay.values(), *self.arrive.values(), *self.recruit.values(),
                *self.unbound.values(), *self.slack.values()]

    def share_row(self, rule: str, bureau: str, target: Fraction) -> pulp.LpAffineExpression:
        """The left side of a share row (``>= 0``) at another target."""
        _, part, whole = self.shares[(rule, bureau)]
        return share_expression(target, [self.final[u] for u in part],
                                [self.final[u] for u in whole])


class Builder:
    """What a rule's ``constrain`` speaks to: counts per unit, and rows added for a rule.

    ``rules`` keeps only these rules' rows (for explanations), ``elastic`` gives those rules'
    rows a slack counted in officers, ``only`` keeps one (rule, subject) of its rule.
    """

    def __init__(self, scenario: Scenario, place: Placement, rules, elastic, only):
        self.s, self.p = scenario, place
        self.org = scenario.organisation
        self.rules, self.elastic, self.only = set(rules), set(elastic), only
        self.prob = pulp.LpProblem("staffplan", pulp.LpMinimize)
        self.slack: dict[tuple[str, str], pulp.LpVariable] = {}
        self.shares: dict = {}
        self.index = {u.id: i for i, u in enumerate(self.org.staffed_units)}  # unit -> column
        self.bureau_index = {u.id: i for i, u in enumerate(self.org.bureaus)}
        self.rows = 0  # rules' rows so far: each is named by its number
        self.stay: dict = {}
        self.arrive: dict = {}
        self._final: dict = {}

    # --- counts the rules read
    def final(self, unit: str):
        return self._final[unit]

    def total(self, units):
        return pulp.lpSum(self._final[u] for u in units)

    def arrivals(self, units):
        return pulp.lpSum(self.arrive[u] for u in units if u in self.arrive)

    def leavers(self, units):
        return pulp.lpSum(len(self.p.free[u]) - self.stay[u] for u in units if u in self.stay)

    def pools(self) -> dict[str, list[str]]:
        out: dict[str, list[str]] = defaultdict(list)
        for u in self.org.staffed_units:
            out[self.p.pool_of(self.org, u.id)].append(u.id)
        return dict(out)

    # --- rows
    def _add(self, rule: Rule, subject: str, expr, sense: str, rhs, slack_scale: int = 1):
        if rule.id not in self.rules:
            return None
        if self.only is not None and self.only[0] == rule.id and self.only[1] != subject:
            return None
        self.rows += 1
        name = _name(rule.id, self.rows)
        if rule.id in self.elastic:
            slack = self.prob.add_variable(f"slack_{name}", 0)
            self.slack[(rule.id, subject)] = slack
            expr = expr + slack_scale * slack if sense == ">=" else expr - slack_scale * slack
        row = expr >= rhs if sense == ">=" else expr <= rhs
        self.prob += row, name
        return name

    def at_least(self, rule: Rule, subject: str, expr, rhs, slack_scale: int = 1) -> None:
        self._add(rule, subject, expr, ">=", rhs, slack_scale)

    def at_most(self, rule: Rule, subject: str, expr, rhs, slack_scale: int = 1) -> None:
        self._add(rule, subject, expr, "<=", rhs, slack_scale)

    def share_at_least(self, rule: Rule, subject: str, target: Fraction, part, whole) -> None:
        """officers at ``part`` / officers at ``whole`` >= target, in whole numbers; a slack
        counts officers added to ``part``."""
        expr = share_expression(target, [self._final[u] for u in part],
                                [self._final[u] for u in whole])
        name = self._add(rule, subject, expr, ">=", 0, slack_scale=target.denominator)
        if name is not None:
            self.shares[(rule.id, subject)] = (name, list(part), list(whole))


def build_model(scenario: Scenario, place: Placement | None = None, *, rules=None,
                elastic=(), only: tuple[str, str] | None = None) -> StaffingModel:
    """Build the model. For explanations: ``rules`` keeps only these rules' rows (default:
    every rule the config switches on), ``elastic`` gives those rules' rows a slack, and
    ``only`` keeps one (rule, subject) of its rule."""
    place = place or placement(scenario)
    on = [m for m in MODULES if enabled(m.RULE.id, scenario.rules)]
    b = Builder(scenario, place, [m.RULE.id for m in on] if rules is None else rules, elastic,
                only)
    stay, arrive, recruit, unbound, final = define_flows(b)
    for module in on:
        if hasattr(module, "constrain"):
            module.constrain(scenario, b)
    fixed_moves = sum(1 for oid, u in place.fixed.items()
                      if scenario.officer_by_id[oid].unit != u)
    free_total = sum(len(v) for v in place.free.values())
    moves = pulp.lpSum(-v for v in stay.values()) + (free_total + fixed_moves)
    return StaffingModel(b.prob, stay, arrive, recruit, unbound, final, moves, b.slack, place,
                         b.shares)


def define_flows(b: Builder):
    """Variables and the structure every plan has: movers leave a unit for another unit of
    the same pool; recruits are placed in their pool at the units the rules allow; officers
    a rule holds are constants."""
    s, org, p = b.s, b.org, b.p
    base: dict[str, int] = defaultdict(int)
    for unit in p.fixed.values():
        base[unit] += 1
    stay = {u: b.prob.add_variable(_name("stay", b.index[u]), 0, len(ids), "Integer")
            for u, ids in p.free.items()}
    # Mover pools: one per bureau, or one for the city when moves may cross bureaus.
    pool_size: dict[str, int] = defaultdict(int)
    for u, ids in p.free.items():
        pool_size[p.pool_of(org, u)] += len(ids)
    arrive = {}
    for u in org.staffed_units:
        n = pool_size.get(p.pool_of(org, u.id), 0)
        if n and not u.closed:
            arrive[u.id] = b.prob.add_variable(_name("arrive", b.index[u.id]), 0, n, "Integer")
    # movers: arrivals - (free - stay) summed over the pool = 0, i.e. arrivals + stays = free.
    pool_terms: dict[str, list] = defaultdict(list)
    for u, v in arrive.items():
        pool_terms[p.pool_of(org, u)].append((v, 1))
    for u, v in stay.items():
        pool_terms[p.pool_of(org, u)].append((v, 1))
    for i, pool in enumerate(sorted(pool_size)):
        b.prob += (pulp.LpAffineExpression(pool_terms[pool]) == pool_size[pool],
                   _name("movers", i))
    # Recruits: per bureau of recruitment, and those any bureau may take.
    recruit: dict[str, pulp.LpVariable] = {}
    unbound: dict[str, pulp.LpVariable] = {}
    n_any = len(p.recruits.get(None, []))
    total = sum(len(v) for v in p.recruits.values())
    for bureau in org.bureaus:
        n_own = len(p.recruits.get(bureau.id, []))
        if not n_own and not n_any:
            continue
        units = recruit_units(s, p, bureau.id)
        for u in units:
            recruit[u] = b.prob.add_variable(_name("recruit", b.index[u]), 0, total, "Integer")
        taken = pulp.lpSum(recruit[u] for u in units)
        k = b.bureau_index[bureau.id]
        if n_any:
            unbound[bureau.id] = b.prob.add_variable(_name("unbound", k), 0, n_any, "Integer")
            b.prob += taken == n_own + unbound[bureau.id], _name("recruits", k)
        else:
            b.prob += taken == n_own, _name("recruits", k)
    if n_any:
        b.prob += pulp.lpSum(unbound.values()) == n_any, "recruits_any_bureau"
    final = {}
    for u in org.staffed_units:
        terms = [(v[u.id], 1) for v in (stay, arrive, recruit) if u.id in v]
        final[u.id] = pulp.LpAffineExpression(terms, constant=base.get(u.id, 0))
    b.stay, b.arrive, b._final = stay, arrive, final
    return stay, arrive, recruit, unbound, final


def share_expression(target: Fraction, part, whole) -> pulp.LpAffineExpression:
    """part / whole >= num / den  <=>  den * part - num * whole >= 0, in whole numbers."""
    num, den = target.numerator, target.denominator
    return den * pulp.lpSum(part) - num * pulp.lpSum(whole)


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
