"""The promotion round's integer program, and the builder the promotion rules speak to.

    x[o, k] in {0, 1}    officer o receives track k (rank, station_leader, bureau_leader)

Variables exist only for eligible pairs: each rule module's ``eligible(r, build)`` narrows a
track's candidates (``allow``). Rows come from the rules' ``constrain(r, build)`` and are per
bureau (slots and openings, the station rate) or per officer (one per round); a rule can only
count a whole group of candidates (``count``: a bureau's candidates for a track, optionally on
one side, stations or headquarters) or an officer's variables (``officer_sums``).

Exact pruning. Two candidates for the same track, bureau and side have the same coefficient
in every row but their own officer's. So if ``o`` is chosen and a better candidate ``p`` of
its group (better by the preference order: the first preference, score, time in rank, id)
is not chosen at all, giving ``p`` the place of ``o`` keeps every row and improves the list.
A bureau chooses at most ``cap`` officers (its slots and openings), so in a best list every
chosen candidate has fewer than ``cap`` better ones in its group: candidates ranked ``cap``
or lower in their group never get a variable. The optimum, and every tie for it, is the same
as the full model's; the model is a few variables per slot, not per officer.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import highspy  # noqa: F401 - imported before pulp (see solve.py)
import numpy as np
import pulp

from staffplan.promotions import experience
from staffplan.promotions.experience import Facts
from staffplan.promotions.history import TRACKS, Round
from staffplan.rules import PROMOTION_MODULES
from staffplan.rules.base import Rule


@dataclass
class PromotionModel:
    prob: pulp.LpProblem
    x: list  # the variables, in (officer id, track) order
    officer: np.ndarray  # per variable: the officer's index in the roster
    track: np.ndarray  # per variable: index into TRACKS
    build: Builder
    objectives: dict[str, pulp.LpAffineExpression] = field(default_factory=dict)
    weights: dict[str, np.ndarray] = field(default_factory=dict)  # per variable, per objective
    blocks: dict[int, np.ndarray] = field(default_factory=dict)  # bureau -> its variables


class Builder:
    """What a promotion rule's model side may ask for (no PuLP in the rule modules)."""

    def __init__(self, r: Round, facts: Facts, partial=(), only: str | None = None,
                 relaxed: bool = False):
        self.r, self.facts, self.only = r, facts, only
        self.partial_bureaus, self.relaxed = frozenset(partial), relaxed
        n = len(facts.ids)
        self.allowed = {k: np.ones(n, bool) for k in TRACKS}
        self.failing: dict[str, list[tuple[Rule, np.ndarray]]] = {k: [] for k in TRACKS}
        self.first = {k: np.zeros(n, np.int64) for k in TRACKS}
        self.prob = pulp.LpProblem("promotions", pulp.LpMinimize)
        self._groups: dict[tuple[int, int, int], list] = {}
        self._rows = 0
        self._bureau_ix = {b: i for i, b in enumerate(facts.bureaus)}
        self._officers_at: dict[str, list[int]] = {}

    # --- eligibility and preferences, before the variables exist
    def allow(self, rule: Rule, track: str, mask: np.ndarray) -> None:
        """Candidates for ``track`` must satisfy ``mask`` (one bool per officer)."""
        self.allowed[track] &= mask
        self.failing[track].append((rule, ~mask))

    def prefer_first(self, rule: Rule, track: str, mask: np.ndarray) -> None:
        """The first preference: as many of ``track``'s appointees as possible in ``mask``."""
        self.first[track] = np.maximum(self.first[track], mask.astype(np.int64))

    @staticmethod
    def min_days(years) -> int:
        return experience.min_days(years)

    # --- what rows are made of
    def bureaus(self) -> list[str]:
        return [b for b in self.facts.bureaus if self.only in (None, b)]

    def slots(self, bureau: str, track: str) -> int:
        return self.r.slots(bureau, track)

    def partial(self, bureau: str) -> bool:
        """Are a bureau's slots upper bounds (``--partial``, a bureau that cannot be filled)
        rather than counts to reach?"""
        return bureau in self.partial_bureaus

    def officers_at(self, bureau: str, side: str) -> int:
        """Officers of a bureau at stations and posts (``station``) or at headquarters
        (``hq``), counted from the roster."""
        if not self._officers_at:
            f = self.facts
            known = f.bureau >= 0
            n = len(f.bureaus)
            station = np.bincount(f.bureau[known & f.station_side], minlength=n)
            hq = np.bincount(f.bureau[known & ~f.station_side], minlength=n)
            self._officers_at = {b: [int(station[i]), int(hq[i])]
                                 for i, b in enumerate(f.bureaus)}
        return self._officers_at[bureau][side == "hq"]

    def count(self, track: str, bureau: str, side: str | None = None):
        """How many of a bureau's candidates receive ``track`` (on one side, if given)."""
        k, b = TRACKS.index(track), self._bureau_ix[bureau]
        sides = (1, 0) if side is None else ((1,) if side == "station" else (0,))
        return pulp.LpAffineExpression([(v, 1) for s in sides
                                        for v in self._groups.get((k, b, s), ())])

    def officer_sums(self):
        """(officer id, the sum of their variables) for officers with more than one."""
        for i, vs in self._by_officer.items():
            if len(vs) > 1:
                yield self.facts.ids[i], pulp.LpAffineExpression([(v, 1) for v in vs])

    def at_least(self, rule: Rule, subject: str, expr, rhs: int) -> None:
        self._add(rule, expr >= rhs)

    def at_most(self, rule: Rule, subject: str, expr, rhs: int) -> None:
        self._add(rule, expr <= rhs)

    def equal(self, rule: Rule, subject: str, expr, rhs: int) -> None:
        self._add(rule, expr == rhs)

    def _add(self, rule: Rule, row) -> None:
        if not list(row.keys()) and row.valid():
            return  # no candidate, nothing asked: a row that always holds
        self._rows += 1
        self.prob += row, f"{rule.id}_{self._rows}"

    # --- the variables
    def variables(self) -> tuple[list, np.ndarray, np.ndarray]:
        f = self.facts
        slots = {k: np.array([self.r.slots(b, k) for b in f.bureaus], np.int64) for k in TRACKS}
        cap = sum(slots.values()) if f.bureaus else np.zeros(0, np.int64)
        officers, tracks = [], []
        for ki, k in enumerate(TRACKS):
            cand = np.nonzero(self.allowed[k] & (f.bureau >= 0))[0]
            cand = cand[slots[k][f.bureau[cand]] > 0]
            if self.only is not None:
                cand = cand[f.bureau[cand] == self._bureau_ix[self.only]]
            # Groups: (bureau, side) for rank promotions, whose rows tell the sides apart;
            # the bureau for appointments. Best first: first preference, score, time in
            # rank, id.
            side = f.station_side[cand] if k == "rank" else np.zeros(len(cand), bool)
            cand = cand[np.lexsort((f.pos[cand], -f.rank_days[cand], -f.score[cand],
                                    -self.first[k][cand], side, f.bureau[cand]))]
            side = f.station_side[cand] if k == "rank" else np.zeros(len(cand), bool)
            group = f.bureau[cand].astype(np.int64) * 2 + side
            new = np.ones(len(cand), bool)
            new[1:] = group[1:] != group[:-1]
            place = np.arange(len(cand)) - np.maximum.accumulate(
                np.where(new, np.arange(len(cand)), 0))
            keep = cand[place < cap[f.bureau[cand]]]
            officers.append(keep)
            tracks.append(np.full(len(keep), ki, np.int64))
        officer = np.concatenate(officers) if officers else np.zeros(0, np.int64)
        track = np.concatenate(tracks) if tracks else np.zeros(0, np.int64)
        order = np.lexsort((track, f.pos[officer]))
        officer, track = officer[order], track[order]
        x = []
        self._by_officer: dict[int, list] = {}
        for j, (i, k) in enumerate(zip(officer.tolist(), track.tolist())):
            whole = not self.relaxed or f.bureaus[f.bureau[i]] in self.partial_bureaus
            v = self.prob.add_variable(f"x{j}_{k}", 0, 1, "Integer" if whole else "Continuous")
            x.append(v)
            key = (k, int(f.bureau[i]), int(f.station_side[i]))
            self._groups.setdefault(key, []).append(v)
            self._by_officer.setdefault(i, []).append(v)
        return x, officer, track


def build_model(r: Round, facts: Facts, partial=(), only: str | None = None,
                relaxed: bool = False) -> PromotionModel:
    """The model of a round (``only``: of one bureau). ``partial``: the bureaus whose slots
    are upper bounds. ``relaxed``: the other bureaus' variables are continuous in [0, 1]
    (``staffplan.promotions.plan``: where every slot is filled the matrix is totally
    unimodular)."""
    b = Builder(r, facts, partial, only, relaxed)
    for module in PROMOTION_MODULES:
        if hasattr(module, "eligible"):
            module.eligible(r, b)
    for module in PROMOTION_MODULES:
        if hasattr(module, "prefer"):
            module.prefer(r, b)
    x, officer, track = b.variables()
    for module in PROMOTION_MODULES:
        if hasattr(module, "constrain"):
            module.constrain(r, b)
    m = PromotionModel(b.prob, x, officer, track, b)
    f = facts
    first = np.array([b.first[TRACKS[k]][i] for i, k in zip(officer.tolist(), track.tolist())],
                     np.int64)
    m.weights = {
        "filled": np.ones(len(x), np.int64),
        "community_first": first,
        "score": f.score[officer],
        "time_in_rank": f.rank_days[officer],
        "id": f.pos[officer],
        "id_track": f.pos[officer] * track,
    }
    bureau = f.bureau[officer]
    m.blocks = {int(b): np.nonzero(bureau == b)[0] for b in np.unique(bureau)}
    m.objectives = {name: pulp.LpAffineExpression([(v, int(w)) for v, w in zip(x, ws.tolist())
                                                   if w])
                    for name, ws in m.weights.items()}
    return m
