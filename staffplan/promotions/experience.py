"""What the model knows of each officer, computed over arrays: years of station work and as
station chief, community experience, current roles, rank, time in rank, score.

Years are counted as the issue defines them: the days of the qualifying postings before the
promotion date, overlapping days once (``end`` exclusive, an open end runs to the date),
divided by 365.25. Here by sort-and-sweep over all postings at once (``union_days``); the
checker counts its own way (``staffplan.rules._promotion.days_covered``), and a test keeps
the two in step. A minimum of ``y`` years is ``ceil(y * 365.25)`` days (``min_days``).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from fractions import Fraction

import numpy as np

from staffplan.domain import Kind, as_fraction
from staffplan.promotions.history import OPEN, ROLES, Round

DAYS_PER_YEAR = Fraction(1461, 4)


def min_days(years) -> int:
    """The fewest whole days that make ``years`` years (of 365.25 days), exactly."""
    return math.ceil(as_fraction(float(years)) * DAYS_PER_YEAR)


def union_days(officer: np.ndarray, start: np.ndarray, end: np.ndarray, n: int) -> np.ndarray:
    """Per officer (0..n-1), the days covered by the union of their ``[start, end)`` intervals.

    Sort by officer and start, then sweep: each interval adds what it covers beyond the
    furthest end reached before it. Officers are kept apart by adding ``officer * 2**32`` to
    every day, so one running maximum serves them all."""
    if len(officer) == 0:
        return np.zeros(n, np.int64)
    order = np.lexsort((start, officer))
    base = officer[order].astype(np.int64) << 32
    s = base + start[order]
    e = base + end[order]
    reach = np.maximum.accumulate(e)
    before = np.empty_like(reach)
    before[0] = s[0]
    before[1:] = reach[:-1]
    covered = np.clip(e - np.maximum(s, before), 0, None)
    return np.bincount(officer[order], weights=covered, minlength=n).astype(np.int64)


@dataclass
class Facts:
    """One entry per officer of the scenario, in roster order."""

    ids: list[str]
    bureaus: list[str]  # the organisation's bureau ids
    bureau: np.ndarray  # index into ``bureaus``; -1 for a recruit
    station_side: np.ndarray  # bool: the officer's unit is a station or a post
    rank_pos: np.ndarray  # place on the ladder, -1 without a rank on it
    rank_days: np.ndarray  # days since rank_since (0 without)
    score: np.ndarray  # the score times ``score_scale`` (0 without)
    score_scale: int
    pos: np.ndarray  # 1-based place in id order
    station_days: np.ndarray
    chief_days: np.ndarray
    community: np.ndarray  # bool: some posting at a post before the date
    station_lead_now: np.ndarray  # bool: a chief or deputy on the promotion date
    leader_now: np.ndarray  # bool: in bureau leadership on the promotion date
    chief_now: np.ndarray  # bool: a station chief on the promotion date

    def role_now(self, i: int) -> str:
        if self.leader_now[i]:
            return "leader"
        if self.chief_now[i]:
            return "chief"
        return "deputy" if self.station_lead_now[i] else "officer"


def facts(r: Round) -> Facts:
    s, h = r.scenario, r.history
    org = s.organisation
    officers = s.officers
    n = len(officers)
    on = r.date.toordinal()
    bureaus = [b.id for b in org.bureaus]
    bureau_ix = {b: i for i, b in enumerate(bureaus)}
    ladder = {name: i for i, name in enumerate(r.ladder)}
    bureau_of_unit = {u: bureau_ix[org.bureau_of(u)] for u in org.units
                      if org.bureau_or_none(u) is not None}
    side_of_unit = {u: org[u].kind.is_station_side for u in org.units}
    units = [o.unit for o in officers]
    bureau = np.array([-1 if u is None else bureau_of_unit[u] for u in units], np.int32)
    station_side = np.array([u is not None and side_of_unit[u] for u in units], bool)
    rank_pos = np.array([ladder.get(o.rank, -1) if o.rank_since is not None else -1
                         for o in officers], np.int32)
    since = np.array([on if o.rank_since is None else o.rank_since.toordinal()
                      for o in officers], np.int64)
    rank_days = np.where(rank_pos >= 0, np.maximum(on - since, 0), 0)
    scores = [o.score for o in officers]
    places = max((-x.as_tuple().exponent for x in set(scores) if x is not None), default=0)
    scale = 10 ** max(places, 0)
    score = np.array([0 if x is None else int(x * scale) for x in scores], np.int64)
    pos = np.empty(n, np.int64)
    pos[np.argsort(np.array([o.id for o in officers], dtype=object), kind="stable")] = \
        np.arange(1, n + 1)

    kind = np.array([org[u].kind.value for u in h.unit_ids])
    at_station = np.isin(kind, (Kind.STATION.value, Kind.POST.value))[h.unit]
    at_post = (kind == Kind.POST.value)[h.unit]
    stop = np.minimum(h.end, on)
    before = stop > h.start  # some days before the promotion date
    chief = h.role == ROLES.index("chief")
    station_days = union_days(h.officer[at_station & before], h.start[at_station & before],
                              stop[at_station & before], n)
    chief_days = union_days(h.officer[chief & before], h.start[chief & before],
                            stop[chief & before], n)
    community = np.zeros(n, bool)
    community[h.officer[at_post & before]] = True
    now = (h.start <= on) & ((h.end > on) | (h.end == OPEN))
    station_lead_now = np.zeros(n, bool)
    station_lead_now[h.officer[now & (chief | (h.role == ROLES.index("deputy")))]] = True
    leader_now = np.zeros(n, bool)
    leader_now[h.officer[now & (h.role == ROLES.index("leader"))]] = True
    chief_now = np.zeros(n, bool)
    chief_now[h.officer[now & chief]] = True
    return Facts([o.id for o in officers], bureaus, bureau, station_side, rank_pos, rank_days,
                 score, scale, pos, station_days, chief_days, community, station_lead_now,
                 leader_now, chief_now)
