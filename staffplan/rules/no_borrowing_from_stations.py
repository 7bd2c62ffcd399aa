"""Headquarters do not borrow officers from stations.
原则上不从派出所借用民警到机关工作."""

from __future__ import annotations

from staffplan.domain import Kind
from staffplan.i18n import kind_name, t
from staffplan.rules.base import Rule

RULE = Rule("no_borrowing_from_stations", "no borrowing from stations",
            "原则上不从派出所借用民警到机关工作", key="no_borrowing_from_stations", default=True,
            type=bool,
            doc="no existing officer moves from a station or post into a headquarters unit",
            doc_zh="现有民警不从派出所或警务室调入机关", about="officer")

MESSAGES = {
    "v_borrow_station": {"en": "officer {officer} moves from {kind} {src} "
                               "into headquarters unit {dst}",
                         "zh": "民警 {officer} 从{kind} {src} 调入机关 {dst}"},
    "x_borrow": {"en": "{rule}{given}: {n} officer(s) would have to move from stations or posts "
                       "into headquarters ({pools})",
                 "zh": "{rule}{given}：需从派出所或警务室调入机关 {n} 人（{pools}）"},
}


def constrain(s, build) -> None:
    """Movers drawn from stations and posts may go only to stations and posts, so in each
    pool the arrivals at headquarters units come from headquarters' own leavers. (With the
    other arcs open this count condition is enough for an assignment to exist.)"""
    org = s.organisation
    for pool, units in build.pools().items():
        hq = [u for u in units if org[u].kind is Kind.HQ]
        if hq:
            build.at_most(RULE, pool, build.arrivals(hq, pool) - build.leavers(hq, pool), 0)


def forbids(s, src, dst) -> bool:
    """A move this rule never allows, whatever the counts (from unit ``src`` to ``dst``):
    read where the model follows a published plan (``--keep``)."""
    return src.kind.is_station_side and dst.kind is Kind.HQ


def check(s, roster, result) -> None:
    for o in s.officers:
        if o.unit is None or not roster.kind(o.unit).is_station_side:
            continue
        result.checked += 1
        to = roster.final.get(o.id)
        if to is not None and roster.kind(to) is Kind.HQ:
            result.fail(o.id, t("v_borrow_station", officer=o.id, src=o.unit, dst=to,
                                kind=kind_name(roster.kind(o.unit).value)), about="officer")


def shortfall(relaxed) -> list[str]:
    pools = relaxed.short_subjects()
    return [t("x_borrow", rule=relaxed.label, given=relaxed.given,
              n=sum(relaxed.short.values()),
              pools=relaxed.listing([f"{p}: {relaxed.short[p]}" for p in pools]))]
