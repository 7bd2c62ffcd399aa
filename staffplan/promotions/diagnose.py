"""Why a round's slots and openings cannot all be filled: per bureau and rule, with figures.

Exact, and without the solver. A bureau's rank promotions split into ``s`` at stations and
posts and ``R - s`` at headquarters; for one split, filling every slot is assigning officers
(each at most once) to four groups with demands (rank at stations, rank at headquarters,
station leaders, bureau leaders). By Hall's theorem that is possible exactly when every set
of groups has at least as many distinct candidates as it demands. The bureau can be filled
when some split the rate rule allows passes; otherwise each failing condition is named: a
track with too few candidates, the rate rule, or officers needed twice (one per round).
The planner checks that this and the integer program agree on every round.
"""

from __future__ import annotations

import math

import numpy as np

from staffplan.domain import as_fraction
from staffplan.i18n import t
from staffplan.rules import (
    _promotion,
    bureau_leader_years,
    rank_ladder,
    station_leader_years,
    station_rate,
)
from staffplan.rules.base import setting

GROUPS = ("rank_station", "rank_hq", "station_leader", "bureau_leader")


def _who(k: int) -> str:
    return t("px_who", k=k) if k else t("px_nobody")


def _longest(days: np.ndarray, eligible: int) -> str:
    if not len(days):
        return ""
    return t("px_longest_other" if eligible else "px_longest",
             years=_promotion.years_text(int(days.max())))


def why_not(r, build) -> dict[str, list[str]]:
    """Bureau -> why its slots and openings cannot all be filled (bureaus that can: absent)."""
    f = build.facts
    rate = setting(r.scenario.config, station_rate.RULE)
    target = None if rate is None else as_fraction(rate)
    out: dict[str, list[str]] = {}
    member = [build.allowed["rank"] & f.station_side, build.allowed["rank"] & ~f.station_side,
              build.allowed["station_leader"], build.allowed["bureau_leader"]]
    pattern = sum(m.astype(np.int64) << g for g, m in enumerate(member))
    known = f.bureau >= 0
    patterns = np.bincount(f.bureau[known].astype(np.int64) * 16 + pattern[known],
                           minlength=16 * len(f.bureaus)).reshape(-1, 16)
    for bi, b in enumerate(f.bureaus):
        demand_r = build.slots(b, "rank")
        demand_l = build.slots(b, "station_leader")
        demand_b = build.slots(b, "bureau_leader")
        if not (demand_r or demand_l or demand_b):
            continue
        union = _Unions(patterns[bi])

        n_rs, n_rh, n_sl, n_bl = (union(1 << g) for g in range(4))
        here = f.bureau == bi if (n_rs + n_rh < demand_r or n_sl < demand_l
                                  or n_bl < demand_b) else None
        lines = []
        years = setting(r.scenario.config, rank_ladder.RULE)
        if n_rs + n_rh < demand_r:
            others = here & ~build.allowed["rank"] & (f.rank_pos >= 0) & (
                f.rank_pos < len(r.ladder) - 1)
            lines.append(t("px_rank", bureau=b, n=demand_r, who=_who(n_rs + n_rh),
                           min=_promotion.number(years or 0),
                           longest=_longest(f.rank_days[others], n_rs + n_rh)))
        if n_sl < demand_l:
            years = setting(r.scenario.config, station_leader_years.RULE)
            others = here & ~build.allowed["station_leader"] & ~f.station_lead_now
            lines.append(t("px_station", bureau=b, n=demand_l, who=_who(n_sl),
                           min=_promotion.number(years or 0),
                           longest=_longest(f.station_days[others], n_sl)))
        if n_bl < demand_b:
            years = setting(r.scenario.config, bureau_leader_years.RULE)
            others = here & ~build.allowed["bureau_leader"] & ~f.leader_now
            lines.append(t("px_bureau", bureau=b, n=demand_b, who=_who(n_bl),
                           min=_promotion.number(years or 0),
                           longest=_longest(f.chief_days[others], n_bl)))
        if not lines:
            lines = _split(b, demand_r, demand_l, demand_b, n_rs, n_rh, union, target,
                           build.officers_at(b, "station"), build.officers_at(b, "hq"), rate)
        if lines:
            out[b] = lines
    return out


class _Unions:
    """Distinct candidates of a set of groups (a bit mask), from the count of officers per
    membership pattern."""

    def __init__(self, counts: np.ndarray):
        self.counts = counts

    def __call__(self, groups: int) -> int:
        return int(sum(self.counts[p] for p in range(16) if p & groups))


def least_at_stations(rank: int, target, station: int, hq: int) -> int:
    """The fewest of ``rank`` promotions at stations the rate rule allows:
    s * den * H >= num * S * (rank - s)."""
    if target is None or not station or not hq:
        return 0
    num, den = target.numerator, target.denominator
    return math.ceil(num * station * rank / (den * hq + num * station))


def _split(b, demand_r, demand_l, demand_b, n_rs, n_rh, union, target, big_s, big_h,
           rate) -> list[str]:
    lo = max(demand_r - n_rh, least_at_stations(demand_r, target, big_s, big_h))
    hi = min(demand_r, n_rs)
    if lo > hi:
        need = least_at_stations(demand_r, target, big_s, big_h)
        return [t("px_rate", bureau=b, need=need, n=demand_r, S=big_s,
                  rate=_promotion.number(rate), h=demand_r - need, H=big_h, k=n_rs)]
    worst = None  # (deficit, groups, demands) of the best split's most violated set
    for s in range(lo, hi + 1):
        demands = (s, demand_r - s, demand_l, demand_b)
        deficit, groups = 0, 0
        for subset in range(1, 16):
            need = sum(d for g, d in enumerate(demands) if subset >> g & 1)
            if need - union(subset) > deficit:
                deficit, groups = need - union(subset), subset
        if deficit == 0:
            return []
        if worst is None or deficit < worst[0]:
            worst = (deficit, groups, demands)
    _, groups, demands = worst
    parts = [t(f"px_part_{GROUPS[g]}", n=demands[g]) for g in range(4)
             if groups >> g & 1 and demands[g]]
    return [t("px_joint", bureau=b, what=t("px_and").join(parts),
              n=sum(demands[g] for g in range(4) if groups >> g & 1), k=union(groups))]
