"""Every rank slot and every opening of a round is filled, per bureau.
晋升名额和领导职位空缺按局全部补足."""

from __future__ import annotations

from staffplan.i18n import t
from staffplan.rules import _promotion
from staffplan.rules.base import Rule

RULE = Rule("promotion_slots", "every slot and opening filled", "晋升名额和领导职位空缺全部补足",
            doc="per bureau, the list holds exactly `promotions.rank_slots` rank promotions and "
                "`promotions.openings` appointments (`--partial`: at most, as many as the rules "
                "allow)",
            doc_zh="各局名单中的职级晋升人数等于 promotions.rank_slots，提任人数等于 "
                   "promotions.openings（--partial：不超过，在规则允许范围内尽量补足）",
            about="bureau")

MESSAGES = {
    "pv_slots_over": {"en": "bureau {bureau}: {n} {track}(s) listed for {slots} slot(s)",
                      "zh": "{bureau}：{track}名额 {slots} 个，名单列出 {n} 人"},
    "pv_slots_short": {"en": "bureau {bureau}: {n} {track}(s) listed for {slots} slot(s), "
                             "{short} unfilled",
                       "zh": "{bureau}：{track}名额 {slots} 个，名单仅列出 {n} 人，"
                             "{short} 个未补足"},
}


def key(bureau: str, track: str) -> str:
    """The scenario key that sets a bureau's slots of a track."""
    return (f"promotions.rank_slots.{bureau}" if track == "rank"
            else f"promotions.openings.{track}.{bureau}")


def slots(settings, bureau: str, track: str) -> int:
    table = settings.rank_slots if track == "rank" else getattr(settings.openings, track)
    return table.get(bureau, 0)


def constrain(r, build) -> None:
    for bureau in build.bureaus():
        for track in _promotion.TRACKS:
            n = build.slots(bureau, track)
            if build.partial(bureau):
                build.at_most(RULE, f"{bureau}:{track}", build.count(track, bureau), n)
            else:
                build.equal(RULE, f"{bureau}:{track}", build.count(track, bureau), n)


def check(r, listing, result) -> None:
    org = r.scenario.organisation
    listed: dict[tuple[str, str], int] = {}
    for e in listing.entries:
        o = r.scenario.officer_by_id[e.officer]
        if o.unit is not None:
            k = (org.bureau_of(o.unit), e.track)
            listed[k] = listed.get(k, 0) + 1
    for b in org.bureaus:
        for track in _promotion.TRACKS:
            n, have = slots(r.settings, b.id, track), listed.get((b.id, track), 0)
            if not n and not have:
                continue
            result.checked += 1
            figures = {"track": track, "listed": have, "slots": n, "key": key(b.id, track)}
            if have > n:
                result.fail(b.id, t("pv_slots_over", bureau=b.id, n=have, slots=n,
                                    track=t(f"track_{track}")), figures, "bureau")
            elif have < n and not listing.partial:
                result.fail(b.id, t("pv_slots_short", bureau=b.id, n=have, slots=n,
                                    short=n - have, track=t(f"track_{track}")),
                            figures, "bureau")
