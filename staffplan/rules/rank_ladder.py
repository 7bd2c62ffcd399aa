"""Rank promotion moves an officer one step up the ladder, after the minimum years in rank.
执法勤务职级逐级晋升，任现职级满规定年限."""

from __future__ import annotations

from staffplan.bounds import Years
from staffplan.i18n import t
from staffplan.rules import _promotion
from staffplan.rules.base import Rule, setting

RULE = Rule("rank_ladder", "rank promotion: one step up, enough years in rank",
            "执法勤务职级逐级晋升，任现职级满规定年限", key="min_years_in_rank", default=2,
            type=Years | None, section="promotions",
            doc="a `rank` promotion moves an officer with a rank below the top of "
                "`promotions.ladder` one step up, after at least this many years since "
                "`rank_since`",
            doc_zh="职级晋升：职级在职级序列（promotions.ladder）最高级以下的民警晋升一级，"
                   "任现职级（自 rank_since 起）不少于规定年限",
            about="entry")
TRACK = "rank"  # the track whose candidates this rule narrows

MESSAGES = {
    "pv_rank_none": {"en": "officer {officer} has no rank on the ladder",
                     "zh": "民警 {officer} 没有职级序列中的职级"},
    "pv_rank_top": {"en": "officer {officer} already holds the top rank {rank}",
                    "zh": "民警 {officer} 已是最高职级 {rank}"},
    "pv_rank_step": {"en": "officer {officer}: {rank} → {to} is not one step up the ladder "
                           "(the next rank is {next})",
                     "zh": "民警 {officer}：{rank} → {to} 不是逐级晋升（上一级为 {next}）"},
    "pv_rank_from": {"en": "officer {officer}: the list says from {given}, the roster says {rank}",
                     "zh": "民警 {officer}：名单中原职级为 {given}，花名册中为 {rank}"},
    "pv_rank_years": {"en": "officer {officer}: {years} years in rank {rank} (since {since}), "
                            "at least {min} required",
                      "zh": "民警 {officer}：任 {rank}（自 {since} 起）{years} 年，不足 {min} 年"},
    "pr_rank": {"en": "{rank} since {since}: {years} years in rank (at least {min})",
                "zh": "自 {since} 任 {rank}，已满 {years} 年（要求 {min} 年）"},
    "pe_rank": {"en": "rank {rank} since {since}: {years} years in rank ({min} required)",
                "zh": "职级 {rank}，自 {since} 起 {years} 年（要求 {min} 年）"},
    "pe_rank_top": {"en": "rank {rank}: the top of the ladder", "zh": "职级 {rank}：已是最高职级"},
    "pe_rank_none": {"en": "no rank on the ladder", "zh": "没有职级序列中的职级"},
}


# --- model side ----------------------------------------------------------------------------

def eligible(r, build) -> None:
    """Candidates for ``rank``: a rank below the top, held for the minimum years."""
    f = build.facts
    mask = (f.rank_pos >= 0) & (f.rank_pos < len(r.ladder) - 1)
    years = setting(r.scenario.config, RULE)
    if years is not None:
        mask &= f.rank_days >= build.min_days(years)
    build.allow(RULE, "rank", mask)


def _minimum(r) -> str:
    years = setting(r.scenario.config, RULE)
    return "0" if years is None else _promotion.number(years)


def reason(r, facts, i: int) -> str:
    """Why officer ``i`` may be promoted (for the list's reason column)."""
    o = r.scenario.officers[i]
    return t("pr_rank", rank=o.rank, since=o.rank_since.isoformat(),
             years=_promotion.years_text(int(facts.rank_days[i])), min=_minimum(r))


def explain(r, facts, i: int) -> str:
    o = r.scenario.officers[i]
    if o.rank not in r.ladder or o.rank_since is None:
        return t("pe_rank_none")
    if o.rank == r.ladder[-1]:
        return t("pe_rank_top", rank=o.rank)
    return t("pe_rank", rank=o.rank, since=o.rank_since.isoformat(),
             years=_promotion.years_text(int(facts.rank_days[i])), min=_minimum(r))


# --- check side ----------------------------------------------------------------------------

def check(r, listing, result) -> None:
    years = setting(r.scenario.config, RULE)
    ladder = list(r.settings.ladder)
    for e in listing.entries:
        if e.track != "rank":
            continue
        result.checked += 1
        o = r.scenario.officer_by_id[e.officer]
        if o.rank not in ladder or o.rank_since is None:
            _promotion.fail(result, e, t("pv_rank_none", officer=o.id))
            continue
        step = ladder.index(o.rank)
        if step == len(ladder) - 1:
            _promotion.fail(result, e, t("pv_rank_top", officer=o.id, rank=o.rank))
            continue
        following = ladder[step + 1]
        if e.to and e.to != following:
            _promotion.fail(result, e, t("pv_rank_step", officer=o.id, rank=o.rank, to=e.to,
                                         next=following))
        elif e.from_ and e.from_ != o.rank:
            _promotion.fail(result, e, t("pv_rank_from", officer=o.id, given=e.from_,
                                         rank=o.rank))
        elif years is not None:
            days = (r.date - o.rank_since).days
            if not _promotion.reaches(days, years):
                _promotion.fail(result, e, t("pv_rank_years", officer=o.id,
                                             years=_promotion.years_text(days), rank=o.rank,
                                             since=o.rank_since.isoformat(),
                                             min=_promotion.number(years)),
                                {"days_in_rank": days, "minimum_years": years})
