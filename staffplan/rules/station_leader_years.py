"""Station leaders need years of station work; community experience comes first.
提任派出所领导一般应有3年以上派出所工作经历，优先选用有社区警务工作经历的优秀民警."""

from __future__ import annotations

from staffplan.bounds import Years
from staffplan.i18n import t
from staffplan.rules import _promotion
from staffplan.rules.base import Rule, setting

RULE = Rule("station_leader_years", "station leaders: years of station work",
            "提任派出所领导一般应有3年以上派出所工作经历",
            key="station_leader_min_station_years", default=3,
            type=Years | None, section="promotions.rules",
            doc="a `station_leader` appointee has at least this many years at stations and "
                "posts (overlaps counted once) and is not a station chief or deputy now",
            doc_zh="提任派出所领导（所长、副所长、教导员）的民警在派出所和警务室工作累计不少于"
                   "规定年限（重叠期间只计一次），且现任职务不是所长或副所长",
            about="entry")
TRACK = "station_leader"

PREFERENCE = Rule("community_first", "community experience first",
                  "优先选用有社区警务工作经历的优秀民警", key="prefer_community_experience",
                  default=True, type=bool, section="promotions.rules",
                  doc="among complete lists, the most station-leader appointees with community "
                      "experience (a posting at a post) come first",
                  doc_zh="在满足全部规则的名单中，优先选用有社区警务工作经历（曾在警务室任职）"
                         "的民警提任派出所领导",
                  about="bureau")

MESSAGES = {
    "pv_station_years": {"en": "officer {officer}: {years} years of station work, at least {min} "
                               "required for a station-leader appointment",
                         "zh": "民警 {officer}：派出所工作经历 {years} 年，"
                               "提任派出所领导需 {min} 年以上"},
    "pv_station_now": {"en": "officer {officer} is a {role} already: not a candidate for a "
                             "station-leader appointment",
                       "zh": "民警 {officer} 现任{role}，不是提任派出所领导的人选"},
    "pr_station": {"en": "{years} years of station work (at least {min}){community}",
                   "zh": "派出所工作经历 {years} 年（要求 {min} 年）{community}"},
    "pr_community": {"en": ", community experience", "zh": "，有社区警务工作经历"},
    "pe_station": {"en": "{years} years of station work ({min} required); current role: {role}",
                   "zh": "派出所工作经历 {years} 年（要求 {min} 年）；现任职务：{role}"},
}


# --- model side ----------------------------------------------------------------------------

def eligible(r, build) -> None:
    """Candidates for ``station_leader``: the minimum years at stations and posts, and not a
    station chief or deputy now."""
    f = build.facts
    mask = ~f.station_lead_now
    years = setting(r.scenario.config, RULE)
    if years is not None:
        mask &= f.station_days >= build.min_days(years)
    build.allow(RULE, "station_leader", mask)


def prefer(r, build) -> None:
    """First preference among complete lists: station leaders with community experience."""
    if setting(r.scenario.config, PREFERENCE):
        build.prefer_first(PREFERENCE, "station_leader", build.facts.community)


def _minimum(r) -> str:
    years = setting(r.scenario.config, RULE)
    return "0" if years is None else _promotion.number(years)


def reason(r, facts, i: int) -> str:
    """Why officer ``i`` may be appointed (for the list's reason column)."""
    return t("pr_station", years=_promotion.years_text(int(facts.station_days[i])),
             min=_minimum(r), community=t("pr_community") if facts.community[i] else "")


def explain(r, facts, i: int) -> str:
    return t("pe_station", years=_promotion.years_text(int(facts.station_days[i])),
             min=_minimum(r), role=t(f"role_{facts.role_now(i)}"))


# --- check side ----------------------------------------------------------------------------

def check(r, listing, result) -> None:
    years = setting(r.scenario.config, RULE)
    org = r.scenario.organisation
    for e in listing.entries:
        if e.track != "station_leader":
            continue
        result.checked += 1
        postings = listing.postings(e.officer)
        now = _promotion.roles_on(postings, r.date) & {"chief", "deputy"}
        if now:
            _promotion.fail(result, e, t("pv_station_now", officer=e.officer,
                                         role=t(f"role_{min(now)}")))
            continue
        if years is None:
            continue
        days = _promotion.days_covered(
            [(p.start, p.end) for p in postings if org[p.unit].kind.is_station_side], r.date)
        if not _promotion.reaches(days, years):
            _promotion.fail(result, e, t("pv_station_years", officer=e.officer,
                                         years=_promotion.years_text(days),
                                         min=_promotion.number(years)),
                            {"station_days": days, "minimum_years": years})
