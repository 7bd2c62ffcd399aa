"""The integer program: how many officers leave each unit and arrive at each unit, at every
step of the plan.

Officers whom no rule tells apart are interchangeable, so the model counts them instead of
naming them. A *group* is such a set of officers at one unit: the same step at which they
leave the roster, and at a post the same pattern of steps at which the tenure rule holds
them (officers who arrived at a post at one step, or were there on the same terms from the
start). Its size follows units x steps x leaving steps, never officers x units x steps.

At step k, for each group g at unit u:

    stay[g,k]       officers of g who stay (only where no rule holds g at step k)
    n[g,k]        = officers of g at u after step k's moves
    arrive[v,L,k]   movers who leave at step L, arriving at v (drawn from the pool of v)
    recruit[v,L,k]  recruits placed at v
    final[v,k]    = sum of n[g,k] at v + pinned officers at v

and in each pool (a bureau, or the city) and leaving class L, arrivals = leavers. Moves are
the leavers of every step, plus officers a rule sends somewhere (a borrowed officer going
home). The rules speak through :class:`Builder`, step by step and in three phases:
``scope`` (pools, where recruits may go), ``hold`` (officers a rule keeps or sends; the
tenure rule holds whole groups at posts) and ``constrain`` (counts). Each rule's module in
``staffplan.rules`` holds its part; the checker re-judges the result without any of this
code.

Names inside the model are indexed and zero-padded (``s000042``), never made from ids: any
id a personnel office writes (Chinese, punctuation) gives a valid, unique name, and the
solver sees the columns in the order they were made.
"""

from __future__ import annotations

import random
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from fractions import Fraction

import highspy  # noqa: F401 - imported before pulp (see solve.py)
import pulp

from staffplan.domain import Kind, Scenario
from staffplan.i18n import rule_label, t
from staffplan.rules import MODULES, RULE_BY_ID, active, enabled
from staffplan.rules.base import Rule


@dataclass(frozen=True)
class Conflict:
    """An officer whom the rules send to two places (or none): no plan can exist."""

    officer: str
    rules: tuple[str, ...]
    message: str
    step: int = 0


@dataclass
class Group:
    """Officers interchangeable for every rule, at one unit (see the module's docstring)."""

    index: int
    unit: str
    leave: int  # the step at which they are no longer on the roster (T: not within the plan)
    held: tuple[bool, ...]  # per step: a rule holds them there at that step
    approved: bool = False  # the city committee approved an early move from this post
    since: date | None = None  # at a post: when they arrived (for arrival groups)
    made_at: int | None = None  # the step whose arrivals make the group (None: the roster's)
    members: list[str] = field(default_factory=list)  # roster officers in it at the start
    joiners: dict[int, list[str]] = field(default_factory=dict)  # step -> officers joining

    def decides(self, k: int) -> bool:
        """Do step k's moves decide anything for this group?"""
        return k < self.leave and not self.held[k] and (self.made_at is None or k > self.made_at)


@dataclass
class PathGroup:
    """Officers a published plan sends along the same path, who can keep to it together:
    the same group to fall back to, the same published unit at every step (re-planning
    with ``--keep``). ``on`` of them still follow it after each step; the others fall back
    into the group of interchangeable officers where they stand."""

    index: int
    members: list[str]
    start: int  # the first step they are on the roster
    leave: int
    loc: dict[int, str | None]  # step -> the published unit (where keeping faith puts them)
    before: str | None  # their unit before ``start`` (None: recruits)
    ok: dict[int, bool] = field(default_factory=dict)  # step -> keeping faith breaks no rule
    fallback: dict[int, int] = field(default_factory=dict)  # step -> group the others join
    recruits: tuple | None = None  # recruits: the (bureau, leave) class the others join


@dataclass
class Step:
    """What the rules said for one step, before the counts: pools, recruits and holds."""

    index: int
    scenario: Scenario
    by_bureau: bool = False  # movers and recruits stay in their bureau
    recruit_units: object = None  # predicate: may a recruit be placed at this unit?
    holds: dict[str, list[tuple[str, str]]] = field(default_factory=dict)  # officer -> rule, unit
    keeps: list[tuple[str, object]] = field(default_factory=list)  # (rule, held(since, on, cfg))

    def pool_of(self, unit_id: str) -> str:
        return self.scenario.organisation.bureau_of(unit_id) if self.by_bureau else "city"

    # --- what rules call in their scope and hold phases
    def pool_by_bureau(self, rule: Rule) -> None:
        self.by_bureau = True

    def recruits_only_to(self, allowed, rule: Rule) -> None:
        self.recruit_units = allowed

    def hold(self, officer: str, unit: str, rule: Rule) -> None:
        self.holds.setdefault(officer, []).append((rule.id, unit))

    def keep_at_posts(self, rule: Rule, held) -> None:
        """A rule holds officers at their post at this step while ``held(since, step_date,
        step_config)`` (the tenure rule), unless the city committee approved a move."""
        self.keeps.append((rule.id, held))


@dataclass
class Placement:
    """The rules' holds and the groups of interchangeable officers, for every step."""

    steps: list[Step]
    groups: list[Group] = field(default_factory=list)
    pinned: dict[str, tuple[str, str]] = field(default_factory=dict)  # officer -> (unit, rule)
    sent: dict[str, tuple[str, str]] = field(default_factory=dict)  # step-0 officer -> (unit, rule)
    holds: dict[str, list[tuple[str, str]]] = field(default_factory=dict)  # step-0 officer -> all
    recruits: list[dict] = field(default_factory=list)  # per step: (scope, leave) -> [ids]
    group_of: dict[str, int] = field(default_factory=dict)  # roster officer -> group index
    conflicts: list[Conflict] = field(default_factory=list)
    leave: dict[str, int] = field(default_factory=dict)
    arrival: dict[str, int] = field(default_factory=dict)
    paths: list[PathGroup] = field(default_factory=list)  # with a published plan to keep
    published: dict = field(default_factory=dict)  # officer -> {step: unit}
    strayed: int = 0  # officers of the published plan no plan can keep to it (pinned, ...)

    @property
    def fixed(self) -> dict[str, str]:
        """Step-0 officers a rule keeps or sends somewhere: officer -> unit."""
        return {**{o: u for o, (u, _) in self.pinned.items()},
                **{o: u for o, (u, _) in self.sent.items()}}

    @property
    def held_by(self) -> dict[str, str]:
        return {**{o: r for o, (_, r) in self.pinned.items()},
                **{o: r for o, (_, r) in self.sent.items()}}

    def held_at(self, k: int, since: date, approved: bool, unit) -> bool:
        """Does a keep rule (tenure) hold officers at this post at step k?"""
        if approved or unit.closed or unit.kind is not Kind.POST:
            return False
        step = self.steps[k]
        return any(held(since, step.scenario.plan_date, step.scenario.config)
                   for _, held in step.keeps)


def placement(scenario: Scenario, published: dict | None = None) -> Placement:
    """The rules' scope and holds at every step, the groups of interchangeable officers, and
    the officers no plan can place (two rules disagree, or a rule sends them where they
    cannot go). ``published``: officer -> {step: unit} of a published plan to keep to."""
    steps = [Step(k, s) for k, s in enumerate(scenario.steps)]
    for step in steps:
        for module in MODULES:
            if enabled(module.RULE.id, step.scenario.config):
                for phase in ("scope", "hold"):
                    if hasattr(module, phase):
                        getattr(module, phase)(step.scenario, step)
    horizon = scenario.horizon
    T = len(steps)
    arrival = horizon.arrival if horizon else {o.id: 0 for o in scenario.officers}
    leave = horizon.leave if horizon else {o.id: T for o in scenario.officers}
    everyone = horizon.officer_by_id if horizon else scenario.officer_by_id
    p = Placement(steps, leave=leave, arrival=arrival, recruits=[{} for _ in steps],
                  published=published or {})
    org0 = steps[0].scenario.organisation
    groups: dict[tuple, Group] = {}

    def group(key: tuple, unit: str, leave_at: int, held: tuple, approved=False, since=None,
              made_at=None) -> Group:
        g = groups.get(key)
        if g is None:
            g = groups[key] = Group(len(groups), unit, leave_at, held, approved, since, made_at)
        return g

    published = published or {}
    paths: dict[tuple, PathGroup] = {}
    for oid, o in everyone.items():
        k0, L = arrival[oid], leave[oid]
        if o.unit is None:
            step = steps[k0]
            scope = o.bureau if step.by_bureau else None
            ids = p.recruits[k0].setdefault((scope, L), [])
            if oid in published and _path_of(published[oid], k0, L, None) is not None:
                _on_path(p, paths, group, o, k0, L, None, (scope, L))
            else:
                ids.append(oid)
            continue
        wants = steps[k0].holds.get(oid, [])
        if wants:
            p.conflicts.extend(_hold_conflicts(steps, k0, L, o, wants))
            rule, unit = next(((r, u) for r, u in wants if u != o.unit), wants[0])
            if k0 == 0:
                p.holds[oid] = wants
            if unit == o.unit and any(r == "pinned" for r, _ in wants):
                p.pinned[oid] = (unit, rule)
                if oid in published and any(u != unit for u in published[oid].values()):
                    p.strayed += 1  # a pinned officer the published plan moves
                continue
            if k0 == 0 and unit != o.unit:
                p.sent[oid] = (unit, rule)  # a borrowed officer going home: arrives at step 0
                if oid in published and any(u != unit for u in published[oid].values()):
                    p.strayed += 1  # its later steps fall back to the plan: kept simple
                continue
        u = org0[o.unit] if o.unit in org0 else steps[k0].scenario.organisation[o.unit]
        since = o.community_since
        if u.kind is Kind.POST and since is not None:
            approved = o.move_approved
            held = tuple(k0 <= k < L
                         and p.held_at(k, since, False, steps[k].scenario.organisation[u.id])
                         for k in range(T))
            if approved and any(held):
                g = group(("approved", u.id, L, held), u.id, L, (False,) * T, True)
            elif any(held):
                g = group(("held", u.id, L, held), u.id, L, held)
            else:
                g = group(("free", u.id, L), u.id, L, (False,) * T)
        else:
            g = group(("free", u.id, L), u.id, L, (False,) * T)
        p.group_of[oid] = g.index
        if oid in published and _path_of(published[oid], k0, L, o.unit) is not None:
            _on_path(p, paths, group, o, k0, L, g.index, None)
            continue
        (g.members if k0 == 0 else g.joiners.setdefault(k0, [])).append(oid)
    for oid, (unit, _rule) in p.sent.items():
        L = leave[oid]
        u = org0[unit]
        if u.kind is Kind.POST:
            held = tuple(0 < k < L and p.held_at(k, steps[0].scenario.plan_date, False,
                                                 steps[k].scenario.organisation[unit])
                         for k in range(T))
            if any(held):
                group(("arrived", unit, 0, L), unit, L, held, since=steps[0].scenario.plan_date,
                      made_at=0)
                continue
        group(("free", unit, L), unit, L, (False,) * T)
    for k, by_scope in enumerate(p.recruits):
        for (scope, _L), ids in by_scope.items():
            if scope is not None and not recruit_units(steps[k], scope):
                p.conflicts.append(Conflict(ids[0], ("new_hires_to_stations", "stay_in_bureau"),
                                            t("x_no_recruit_units", bureau=scope, n=len(ids)), k))
    p.groups = sorted(groups.values(), key=lambda g: g.index)
    p.paths = sorted(paths.values(), key=lambda c: c.index)
    return p


def _path_of(published: dict, k0: int, L: int, before: str | None) -> tuple | None:
    """Where a published plan puts an officer at each step they are on the roster (a step it
    says nothing of: where they stood); None when it never mentions those steps."""
    if not any(k0 <= k < L for k in published):
        return None
    loc, at = [], before
    for k in range(k0, L):
        at = published.get(k, at) if k in published else at
        loc.append(at)
    return tuple(loc)


def _on_path(p: Placement, paths: dict, group, o, k0: int, L: int, original: int | None,
             recruits: tuple | None) -> None:
    """Put an officer of a published plan in the path group of those who would follow the
    same path from the same group, and work out, step by step, whether following it breaks
    an officer's rule, and which group they fall back to when they stop following it."""
    loc = _path_of(p_published(p, o.id), k0, L, o.unit)
    key = (original, recruits, k0, L, loc)
    c = paths.get(key)
    if c is not None:
        c.members.append(o.id)
        return
    c = paths[key] = PathGroup(len(paths), [o.id], k0, L,
                               {k: u for k, u in zip(range(k0, L), loc)}, o.unit,
                               recruits=recruits)
    T = len(p.steps)
    prev, since, approved, arrived = o.unit, o.community_since, o.move_approved, None
    for k in range(k0, L):
        step = p.steps[k]
        org = step.scenario.organisation
        # Who the ones that stop following join at this step: where they stand.
        if k == k0:
            c.fallback[k] = original if original is not None else -1
        elif arrived is None:
            c.fallback[k] = original
        else:
            c.fallback[k] = _stand_group(p, group, prev, arrived, L, T)
        to = loc[k - k0]
        ok = to is not None and to in org and not org[to].kind.is_bureau and not org[to].closed
        if ok and to != prev:
            was = org[prev] if prev is not None and prev in org else None
            if was is not None and p.held_at(k, since, approved, was):
                ok = False  # the tenure rule holds them where they are
            if step.by_bureau and org.bureau_or_none(to) != (
                    org.bureau_or_none(prev) if prev is not None else o.bureau
                    if o.bureau is not None else org.bureau_or_none(to)):
                ok = False
            if prev is None and step.recruit_units is not None and not step.recruit_units(org[to]):
                ok = False
            if was is not None and any(m.forbids(step.scenario, was, org[to])
                                       for m in active(step.scenario.config)
                                       if hasattr(m, "forbids")):
                ok = False
        c.ok[k] = ok
        if to != prev and to is not None:
            arrived = k
            approved = False
            if org[to].kind is Kind.POST:
                since = step.scenario.plan_date
            prev = to
    return


def p_published(p: Placement, oid: str) -> dict:
    return p.published.get(oid, {})


def _stand_group(p: Placement, group, unit: str, arrived: int, L: int, T: int) -> int:
    """The group of officers who arrived at ``unit`` at step ``arrived`` and leave at ``L``."""
    org = p.steps[arrived].scenario.organisation
    if org[unit].kind is Kind.POST:
        since = p.steps[arrived].scenario.plan_date
        held = tuple(arrived < j < L and p.held_at(j, since, False,
                                                   p.steps[j].scenario.organisation[unit])
                     for j in range(T))
        if any(held):
            return group(("arrived", unit, arrived, L), unit, L, held, since=since,
                         made_at=arrived).index
    return group(("free", unit, L), unit, L, (False,) * T).index


def _hold_conflicts(steps: list[Step], k0: int, L: int, o, wants) -> list[Conflict]:
    out = []
    step = steps[k0]
    org = step.scenario.organisation
    for rule, unit in wants:
        label = rule_label(RULE_BY_ID[rule])
        # A pinned officer stays at every step: their unit must stay open.
        last = L if rule == "pinned" and unit == o.unit else k0 + 1
        closed = next((k for k in range(k0, min(last, len(steps)))
                       if steps[k].scenario.organisation[unit].closed), None)
        if closed is not None:
            out.append(Conflict(o.id, (rule, "closed_units"), t(
                "x_hold_closed", officer=o.id, unit=unit, rule=label), closed))
        elif step.by_bureau and org.bureau_of(unit) != org.bureau_of(o.unit):
            out.append(Conflict(o.id, (rule, "stay_in_bureau"), t(
                "x_hold_other_bureau", officer=o.id, unit=unit, rule=label,
                other=org.bureau_of(unit), bureau=org.bureau_of(o.unit)), k0))
    if len({u for _, u in wants}) > 1:
        out.append(Conflict(o.id, tuple(sorted(r for r, _ in wants)), t(
            "x_disagree", officer=o.id, parts=t("t_list_sep").join(
                t("x_keeps" if u == o.unit else "x_sends", rule=r, unit=u)
                for r, u in sorted(wants))), k0))
    return out


def recruit_units(step: Step, bureau: str | None) -> list[str]:
    """Units where recruits of ``bureau`` (None: any bureau) may be placed at a step."""
    org = step.scenario.organisation
    units = (org.units_of_bureau[bureau] if bureau is not None else org.staffed_units)
    allowed = step.recruit_units
    return [u.id for u in units if not u.closed and (allowed is None or allowed(u))]


@dataclass
class StaffingModel:
    prob: pulp.LpProblem
    placement: Placement
    stay: dict[tuple[int, int], pulp.LpVariable]  # (group, step) -> officers who stay
    arrive: dict[tuple[str, int, int], pulp.LpVariable]  # (unit, leave, step) -> arrivals
    recruit: dict[tuple[str, int, int], pulp.LpVariable]  # (unit, leave, step) -> recruits
    unbound: dict[tuple[str, int, int], pulp.LpVariable]  # (bureau, leave, step) -> recruits
    final: list[dict[str, pulp.LpAffineExpression]]  # per step: unit -> officers there
    moves: pulp.LpAffineExpression
    moves_at: list[pulp.LpAffineExpression]  # per step
    slack: dict[tuple, pulp.LpAffineExpression]  # (rule, subject[, step]) -> slack
    # (rule, bureau) -> (row name, part units, whole units, fixed force or None) of step 0's
    # share rows, so a sweep can give a built model another target (``share_row``).
    shares: dict[tuple[str, str], tuple[str, list, list, int | None]] = field(
        default_factory=dict)
    count: dict[tuple[int, int], pulp.LpAffineExpression] = field(default_factory=dict)
    leavers_at: dict[tuple[int, int], object] = field(default_factory=dict)  # (group, step)
    target: dict[tuple[str, int, int], int] = field(default_factory=dict)  # (unit, L, step)
    pools: list[dict[tuple[str, int], str]] = field(default_factory=list)  # step: (pool, L)
    keep: dict[tuple[int, int], pulp.LpVariable] = field(default_factory=dict)
    # officers of a published plan whose unit at some step differs from it (``--keep``)
    deviations: pulp.LpAffineExpression | None = None

    def variables(self) -> list[pulp.LpVariable]:
        return [*self.stay.values(), *self.arrive.values(), *self.recruit.values(),
                *self.unbound.values(), *self.keep.values(),
                *(v for e in self.slack.values() for v in e.keys())]

    def share_row(self, rule: str, bureau: str, target: Fraction) -> pulp.LpAffineExpression:
        """The left side of a step-0 share row (``>= 0``) at another target."""
        _, part, whole, force = self.shares[(rule, bureau)]
        if force is not None:
            return rounded_share(target, [self.final[0][u] for u in part], force)
        return share_expression(target, [self.final[0][u] for u in part],
                                [self.final[0][u] for u in whole])


class Builder:
    """What a rule's ``constrain`` speaks to, for one step: counts per unit, and rows added
    for a rule. (``staffplan.rules.base.Build`` describes it for the rules.)"""

    def __init__(self, core: _Core, k: int):
        self.core, self.k = core, k
        self.step = core.place.steps[k]

    def final(self, unit: str):
        return self.core.final[self.k][unit]

    def total(self, units):
        f = self.core.final[self.k]
        return pulp.lpSum(f[u] for u in units)

    def pools(self) -> dict[str, list[str]]:
        """Mover pools at this step, by name: a bureau (or the city) and, when some movers
        leave the roster at a later step, their leaving step. Arrivals of a pool come only
        from its own leavers."""
        out: dict[str, list[str]] = {}
        names = self.core.pool_names[self.k]
        for (pool, _L), name in names.items():
            out[name] = self.core.pool_units[self.k].get(pool, [])
        return out

    def arrivals(self, units, pool: str | None = None):
        """Movers arriving at these units at this step (of one pool, when named)."""
        key = self.core.pool_key(self.k, pool)
        at = self.core.arrive_at[self.k]
        return pulp.lpSum(v for u in units for L, v in at.get(u, ())
                          if key is None or L == key[1])

    def leavers(self, units, pool: str | None = None):
        """Officers leaving these units at this step (of one pool, when named)."""
        key = self.core.pool_key(self.k, pool)
        at = self.core.leave_at[self.k]
        return pulp.lpSum(e for u in units for L, e in at.get(u, ())
                          if key is None or L == key[1])

    def _add(self, rule: Rule, subject: str, expr, sense: str, rhs, slack_scale: int = 1):
        core = self.core
        key = (self.k, rule.id)
        if key not in core.rules:
            return None
        if core.only is not None and core.only[:2] == key and core.only[2] != subject:
            return None
        name = core.name("c")
        if key in core.elastic:
            slack = core.prob.add_variable(f"x{name}", 0)
            skey = (rule.id, subject) if core.single else (rule.id, subject, self.k)
            core.slack[skey] = core.slack.get(skey, 0) + slack
            expr = expr + slack_scale * slack if sense == ">=" else expr - slack_scale * slack
        core.prob += (expr >= rhs if sense == ">=" else expr <= rhs), name
        return name

    def at_least(self, rule: Rule, subject: str, expr, rhs, slack_scale: int = 1) -> None:
        self._add(rule, subject, expr, ">=", rhs, slack_scale)

    def at_most(self, rule: Rule, subject: str, expr, rhs, slack_scale: int = 1) -> None:
        self._add(rule, subject, expr, "<=", rhs, slack_scale)

    def share_at_least(self, rule: Rule, subject: str, target: Fraction, part, whole) -> None:
        """officers at ``part`` / officers at ``whole`` >= target, in whole numbers; a slack
        counts officers added to ``part``. When ``whole`` is a bureau's whole force and the
        force is fixed at this step (moves and recruits stay in the bureau), the row is the
        whole number of officers ``part`` needs: ceil(target x force). The same rule, but
        the solver's relaxation no longer takes a fraction of an officer for it."""
        f = self.core.final[self.k]
        force = self.core.fixed_force(self.k, whole)
        if force is not None:
            expr = rounded_share(target, [f[u] for u in part], force)
            name = self._add(rule, subject, expr, ">=", 0)
        else:
            expr = share_expression(target, [f[u] for u in part], [f[u] for u in whole])
            name = self._add(rule, subject, expr, ">=", 0, slack_scale=target.denominator)
        if name is not None and self.k == 0:
            self.core.shares[(rule.id, subject)] = (name, list(part), list(whole), force)


class _Core:
    """The model under construction: variables, counts and rows, all steps."""

    def __init__(self, scenario, place, rules, elastic, only):
        self.s, self.place = scenario, place
        self.T = len(place.steps)
        self.single = self.T == 1
        self.prob = pulp.LpProblem("staffplan", pulp.LpMinimize)
        self.rules, self.elastic, self.only = rules, elastic, only
        self.rows = 0
        self.slack: dict = {}
        self.shares: dict = {}
        self.stay: dict = {}
        self.arrive: dict = {}
        self.recruit: dict = {}
        self.unbound: dict = {}
        self.arrive_at: list[dict[str, list]] = [defaultdict(list) for _ in range(self.T)]
        self.leave_at: list[dict[str, list]] = [defaultdict(list) for _ in range(self.T)]
        self.final: list[dict] = []
        self.count: dict = {}
        self.leavers_at: dict = {}
        self.pool_units: list[dict[str, list[str]]] = []
        self.target: dict[tuple[str, int, int], int] = {}  # (unit, L, step) -> group arrived in
        self.keep: dict[tuple[int, int], pulp.LpVariable] = {}  # (path group, step) -> on it
        self.deviations = None
        # Officers on the roster at each step, by bureau (a recruit: the bureau that names them).
        self.present = [len(s.scenario.officers) for s in place.steps]
        self.force: list[dict[str, int]] = []
        for s in place.steps:
            org = s.scenario.organisation
            by: dict[str, int] = defaultdict(int)
            for o in s.scenario.officers:
                b = org.bureau_or_none(o.unit) if o.unit is not None else o.bureau
                if b is not None:
                    by[b] += 1
            self.force.append(by)
        self.pool_names: list[dict[tuple[str, int], str]] = []

    def name(self, prefix: str) -> str:
        self.rows += 1
        return f"{prefix}{self.rows:07d}"

    def var(self, prefix: str, ub: int, k: int) -> pulp.LpVariable:
        """An integer count, at most ``ub`` and never above the officers on the roster."""
        return self.prob.add_variable(self.name(prefix), 0, min(ub, self.present[k]), "Integer")

    def fixed_force(self, k: int, units) -> int | None:
        """The force of a bureau at step k when ``units`` are all its units and nothing can
        change it: every step so far kept moves and recruits in their bureau."""
        bureau = self.bureau_of_units(k, units)
        if bureau is None or not all(s.by_bureau for s in self.place.steps[:k + 1]) or any(
                scope is None for j in range(k + 1) for scope, _ in self.place.recruits[j]):
            return None
        return self.force[k].get(bureau, 0)

    def bureau_of_units(self, k: int, units) -> str | None:
        org = self.place.steps[k].scenario.organisation
        units = list(units)
        if not units:
            return None
        bureau = org.bureau_or_none(units[0])
        if bureau is None or len(units) != len(org.units_of_bureau[bureau]):
            return None
        return bureau if set(units) == {u.id for u in org.units_of_bureau[bureau]} else None

    def pool_key(self, k: int, name: str | None):
        if name is None:
            return None
        for key, n in self.pool_names[k].items():
            if n == name:
                return key
        raise KeyError(name)


def build_model(scenario: Scenario, place: Placement | None = None, *, rules=None,
                elastic=(), only=None) -> StaffingModel:
    """Build the model. For explanations: ``rules`` keeps only these rules' rows (rule ids,
    or (step, rule id) pairs; default: every rule each step's config switches on),
    ``elastic`` gives those rules' rows a slack (same forms), and ``only`` keeps one
    (rule, subject[, step]) of its rule."""
    place = place or placement(scenario)
    T = len(place.steps)
    on = {(k, m.RULE.id) for k, st in enumerate(place.steps) for m in MODULES
          if enabled(m.RULE.id, st.scenario.config)}

    def pairs(items):
        out = set()
        for item in items:
            if isinstance(item, tuple):
                out.add(item)
            else:
                out.update((k, item) for k in range(T))
        return out

    keep = on if rules is None else on & pairs(rules)
    if only is not None:
        only = (only[2] if len(only) > 2 else 0, only[0], only[1])
    core = _Core(scenario, place, keep, pairs(elastic), only)
    moves_at = _flows(core)
    for k, step in enumerate(place.steps):
        b = Builder(core, k)
        for module in MODULES:
            if (k, module.RULE.id) in on and hasattr(module, "constrain"):
                module.constrain(step.scenario, b)
    moves = pulp.lpSum(moves_at)
    return StaffingModel(core.prob, place, core.stay, core.arrive, core.recruit, core.unbound,
                         core.final, moves, moves_at, core.slack, core.shares, core.count,
                         core.leavers_at, core.target, core.pool_names, core.keep,
                         core.deviations)


class Lin:
    """A count as a flat linear form: variables with coefficients, and a constant. Cheaper
    to add to than nested PuLP expressions, turned into one when a row needs it."""

    __slots__ = ("terms", "const")

    def __init__(self, terms: dict | None = None, const: int = 0):
        self.terms, self.const = terms if terms is not None else {}, const

    def add(self, other: Lin | pulp.LpVariable | int, coef: int = 1) -> Lin:
        if isinstance(other, Lin):
            for v, c in other.terms.items():
                self.terms[v] = self.terms.get(v, 0) + coef * c
            self.const += coef * other.const
        elif isinstance(other, int):
            self.const += coef * other
        else:
            self.terms[other] = self.terms.get(other, 0) + coef
        return self

    def copy(self) -> Lin:
        return Lin(dict(self.terms), self.const)

    def expr(self) -> pulp.LpAffineExpression:
        return pulp.LpAffineExpression(self.terms, constant=self.const)

    def upper(self) -> int:
        """An upper bound, the variables being non-negative and bounded."""
        return int(self.const + sum(c * v.upBound for v, c in self.terms.items() if c > 0))


def _flows(core: _Core) -> list[pulp.LpAffineExpression]:
    """Variables and the structure every plan has, step by step: each group's officers stay
    or leave for another unit of their pool and leaving class; recruits are placed at the
    units the rules allow; held and pinned officers are constants. Returns the moves of
    each step."""
    place, T = core.place, core.T
    groups = place.groups
    leave = place.leave
    # Constants: pinned officers per (unit, step); officers sent home at step 0 per (unit, L).
    pinned: dict[tuple[str, int], int] = defaultdict(int)
    for oid, (unit, _) in place.pinned.items():
        for k in range(place.arrival[oid], leave[oid]):
            pinned[(unit, k)] += 1
    sent: dict[tuple[str, int], int] = defaultdict(int)
    forced_moves = 0
    for oid, (unit, _) in place.sent.items():
        sent[(unit, leave[oid])] += 1
        forced_moves += 1
    # Where arrivals and recruits of (unit, L, step) go: the held group made at that step, or
    # the unit's free group of that leaving class.
    free_of = {(g.unit, g.leave): g for g in groups if g.made_at is None and not any(g.held)
               and not g.approved}
    made = {(g.unit, g.made_at, g.leave): g for g in groups if g.made_at is not None}
    moves_at = []
    count: dict[int, Lin] = {}  # group -> officers now (after the last step's moves)
    on: dict[int, Lin] = {}  # path group -> officers still keeping to the published plan
    deviations = Lin(const=place.strayed)
    for k in range(T):
        step = place.steps[k]
        org = step.scenario.organisation
        units = org.staffed_units
        # Pools of movers at this step.
        pool_units: dict[str, list[str]] = defaultdict(list)
        for u in units:
            pool_units[step.pool_of(u.id)].append(u.id)
        core.pool_units.append(pool_units)
        leavers: dict[tuple[str, int], Lin] = defaultdict(Lin)  # (pool, L) -> officers leaving
        size_of: dict[tuple[str, int], int] = defaultdict(int)
        step_moves = Lin()
        # Officers keeping to a published plan, and those who stop at this step.
        joins: dict[int, Lin] = defaultdict(Lin)  # group -> officers who stop following
        strays: dict[tuple, Lin] = defaultdict(Lin)  # recruits' class -> those who stop
        kept_at: dict[str, Lin] = defaultdict(Lin)  # unit -> officers following, there now
        for c in place.paths:
            if not c.start <= k < c.leave:
                continue
            prev = on[c.index] if k > c.start else Lin(const=len(c.members))
            now_on = Lin()
            if c.ok[k]:
                v = core.var("k", len(c.members), k)
                core.keep[(c.index, k)] = v
                if prev.terms:
                    core.prob += v <= prev.expr(), core.name("g")
                now_on = Lin({v: 1})
            stop = prev.copy().add(now_on, -1)
            if c.fallback[k] == -1:
                strays[c.recruits].add(stop)
            else:
                joins[c.fallback[k]].add(stop)
            kept_at[c.loc[k]].add(now_on)
            was = c.loc[k - 1] if k > c.start else c.before
            if was is not None and c.loc[k] != was:
                step_moves.add(now_on)
            on[c.index] = now_on
            if k == min(c.leave, T) - 1:
                deviations.add(len(c.members)).add(now_on, -1)
        # Decisions of the groups present at this step.
        for g in groups:
            if g.leave <= k:
                count.pop(g.index, None)
                continue
            joining = len(g.joiners.get(k, ())) + (len(g.members) if k == 0 else 0)
            before = count.get(g.index)
            if before is None and not joining and g.index not in joins:
                continue
            now = (before.copy() if before is not None else Lin()).add(joining)
            if g.index in joins:
                now.add(joins[g.index])
            size = now.upper()
            if not g.decides(k) or size == 0:
                count[g.index] = now
                continue
            v = core.var("s", size, k)
            core.stay[(g.index, k)] = v
            if now.terms:
                core.prob += v <= now.expr(), core.name("g")
            left = now.copy().add(v, -1)
            left_expr = left.expr()
            core.leavers_at[(g.index, k)] = left_expr
            core.leave_at[k][g.unit].append((g.leave, left_expr))
            key = (step.pool_of(g.unit), g.leave)
            leavers[key].add(left)
            size_of[key] += size
            step_moves.add(left)
            count[g.index] = Lin({v: 1})
        # Arrivals, per pool and leaving class, at the open units of the pool.
        inflow: dict[int, Lin] = defaultdict(Lin)  # group -> officers arriving this step
        names = {}
        for pool, L in sorted(size_of):
            size = size_of[(pool, L)]
            names[(pool, L)] = pool if L == T else f"{pool} ({_leaving(place, L)})"
            arrivals = {}
            for uid in pool_units.get(pool, []):
                if org[uid].closed:
                    continue
                v = core.var("a", size, k)
                core.arrive[(uid, L, k)] = v
                core.arrive_at[k][uid].append((L, v))
                arrivals[v] = 1
                inflow[_target(core, free_of, made, uid, L, k, groups)].add(v)
            core.prob += (pulp.LpAffineExpression(arrivals) == leavers[(pool, L)].expr(),
                          core.name("m"))
        core.pool_names.append(names)
        # Recruits arriving at this step, per bureau of recruitment and leaving class.
        _recruits(core, step, k, free_of, made, inflow, groups, strays)
        # Officers sent home at step 0 (borrowed officers returning).
        if k == 0:
            for (unit, L), n in sent.items():
                inflow[_target(core, free_of, made, unit, L, 0, groups)].add(n)
        for gi, more in inflow.items():
            count[gi] = count[gi].add(more) if gi in count else more
        # Officers at each unit after this step's moves.
        at: dict[str, Lin] = {}
        for gi, lin in count.items():
            unit = groups[gi].unit
            at[unit] = at[unit].add(lin) if unit in at else lin.copy()
        final = {}
        for u in units:
            lin = at.get(u.id) or Lin()
            lin.const += pinned.get((u.id, k), 0)
            if u.id in kept_at:
                lin.add(kept_at[u.id])
            final[u.id] = lin.expr()
        core.final.append(final)
        for gi, lin in count.items():
            core.count[(gi, k)] = lin
        step_moves.const += forced_moves if k == 0 else 0
        moves_at.append(step_moves.expr())
    core.deviations = deviations.expr()
    return moves_at


def _target(core, free_of, made, unit: str, L: int, k: int, groups) -> int:
    """The group that officers arriving at ``unit`` at step ``k`` (leaving at ``L``) join."""
    known = core.target.get((unit, L, k))
    if known is not None:
        return known
    gi = _make_target(core, free_of, made, unit, L, k, groups)
    core.target[(unit, L, k)] = gi
    return gi


def _make_target(core, free_of, made, unit: str, L: int, k: int, groups) -> int:
    g = made.get((unit, k, L))
    if g is None and groups_post(core, unit, k):
        held = tuple(k < j < L and core.place.held_at(
            j, core.place.steps[k].scenario.plan_date, False,
            core.place.steps[j].scenario.organisation[unit]) for j in range(core.T))
        if any(held):
            g = Group(len(groups), unit, L, held, since=core.place.steps[k].scenario.plan_date,
                      made_at=k)
            groups.append(g)
            made[(unit, k, L)] = g
    if g is None:
        g = free_of.get((unit, L))
        if g is None:
            g = Group(len(groups), unit, L, (False,) * core.T)
            groups.append(g)
            free_of[(unit, L)] = g
    return g.index


def groups_post(core, unit: str, k: int) -> bool:
    return core.place.steps[k].scenario.organisation[unit].kind is Kind.POST


def _recruits(core, step: Step, k: int, free_of, made, inflow, groups, strays) -> None:
    """Recruits arriving at step k placed at the units the rules allow: those of a bureau in
    it, those of none in any (``unbound``). ``strays``: recruits of a published plan who do
    not keep to it, by class, added to the class's number."""
    by_scope = core.place.recruits[k]
    if not by_scope:
        return
    org = step.scenario.organisation
    classes = sorted({L for _, L in by_scope})
    for L in classes:
        any_stray = strays.get((None, L), Lin())
        n_any = len(by_scope.get((None, L), [])) + any_stray.upper()
        total = sum(len(ids) for (_, LL), ids in by_scope.items() if LL == L) + sum(
            s.upper() for (_, LL), s in strays.items() if LL == L)
        unbound = []
        for bureau in org.bureaus:
            own = strays.get((bureau.id, L), Lin())
            n_own = len(by_scope.get((bureau.id, L), [])) + own.upper()
            if not n_own and not n_any:
                continue
            units = recruit_units(step, bureau.id)
            taken = []
            for uid in units:
                v = core.var("r", total, k)
                core.recruit[(uid, L, k)] = v
                taken.append(v)
                inflow[_target(core, free_of, made, uid, L, k, groups)].add(v)
            mine = Lin(const=len(by_scope.get((bureau.id, L), []))).add(own).expr()
            if n_any:
                ub = core.var("b", n_any, k)
                core.unbound[(bureau.id, L, k)] = ub
                unbound.append(ub)
                core.prob += pulp.lpSum(taken) == mine + ub, core.name("n")
            else:
                core.prob += pulp.lpSum(taken) == mine, core.name("n")
        if n_any:
            anyone = Lin(const=len(by_scope.get((None, L), []))).add(any_stray).expr()
            core.prob += pulp.lpSum(unbound) == anyone, core.name("n")


def _leaving(place: Placement, L: int) -> str:
    return t("leaving_at", date=place.steps[L].scenario.plan_date.isoformat())


def rounded_share(target: Fraction, part, force: int) -> pulp.LpAffineExpression:
    """part / force >= target with a fixed force: part - ceil(target x force) >= 0."""
    need = -(-(target.numerator * force) // target.denominator)
    return pulp.lpSum(part) - need


def share_expression(target: Fraction, part, whole) -> pulp.LpAffineExpression:
    """part / whole >= num / den  <=>  den * part - num * whole >= 0, in whole numbers."""
    num, den = target.numerator, target.denominator
    return den * pulp.lpSum(part) - num * pulp.lpSum(whole)


# Secondary preferences, used only after the fewest moves is known (they never cost a move):
# take movers from headquarters before stations, and from stations before posts (community
# work keeps its officers); do not move officers who need the city committee's approval;
# do not send movers into headquarters.
LEAVE_WEIGHT = {Kind.HQ: 1, Kind.STATION: 2, Kind.POST: 3}
APPROVAL_WEIGHT = 3
ARRIVE_WEIGHT = {Kind.HQ: 2, Kind.STATION: 0, Kind.POST: 0}


def secondary_objective(model: StaffingModel, scenario: Scenario):
    place = model.placement
    terms = []
    for (gi, k), left in model.leavers_at.items():
        g = place.groups[gi]
        unit = place.steps[k].scenario.organisation[g.unit]
        weight = LEAVE_WEIGHT[unit.kind]
        if g.approved:
            weight += APPROVAL_WEIGHT
        terms.append(weight * left)
    for (uid, _, k), v in model.arrive.items():
        w = ARRIVE_WEIGHT[place.steps[k].scenario.organisation[uid].kind]
        if w:
            terms.append(w * v)
    return pulp.lpSum(terms)


def tie_break(model: StaffingModel | pulp.LpAffineExpression) -> pulp.LpAffineExpression:
    """The last objective, among plans equal on every rule and preference: fixed arbitrary
    weights on the counts (or on the variables of an expression), drawn from a seeded
    generator in the model's own order, so that HiGHS and CBC (and a machine and the next)
    pick the same plan among equals. The weights are distinct, drawn from 1..65,536 (or
    more, for a larger model): two counts of one weight could trade officers at no cost (a
    tie found that way on a generated city), and an index order would tie on every swap
    (a->p + b->q costs what a->q + b->p does)."""
    rng = random.Random(20210630)
    if isinstance(model, StaffingModel):
        counts = [*model.stay.values(), *model.arrive.values(), *model.recruit.values(),
                  *model.unbound.values()]
    else:
        counts = list(model.keys())
    weights = rng.sample(range(1, max(1 << 16, 2 * len(counts)) + 1), len(counts))
    return pulp.lpSum(w * v for w, v in zip(weights, counts))
