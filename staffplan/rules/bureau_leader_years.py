"""County bureau leaders need years as a station chief.
提任县级公安机关领导原则上要有3年以上派出所所长工作经历."""

from __future__ import annotations

from staffplan.bounds import Years
from staffplan.i18n import t
from staffplan.rules import _promotion
from staffplan.rules.base import Rule, setting

RULE = Rule("bureau_leader_years", "bureau leaders: years as station chief",
            "提任县级公安机关领导原则上要有3年以上派出所所长工作经历",
            key="bureau_leader_min_chief_years", default=3,
            type=Years | None, section="promotions.rules",
            doc="a `bureau_leader` appointee has at least this many years as station chief "
                "(role `chief`, overlaps counted once) and is not in bureau leadership now",
            doc_zh="提任县级公安机关领导的民警担任派出所所长累计不少于规定年限（重叠期间只计一次），"
                   "且现任职务不是局领导",
            about="entry")
TRACK = "bureau_leader"

MESSAGES = {
    "pv_chief_years": {"en": "officer {officer}: {years} years as station chief, at least {min} "
                             "required for a bureau-leader appointment",
                       "zh": "民警 {officer}：派出所所长工作经历 {years} 年，"
                             "提任县级公安机关领导需 {min} 年以上"},
    "pv_leader_now": {"en": "officer {officer} is in bureau leadership already",
                      "zh": "民警 {officer} 现任局领导"},
    "pr_chief": {"en": "{years} years as station chief (at least {min})",
                 "zh": "派出所所长工作经历 {years} 年（要求 {min} 年）"},
    "pe_chief": {"en": "{years} years as station chief ({min} required); current role: {role}",
                 "zh": "派出所所长工作经历 {years} 年（要求 {min} 年）；现任职务：{role}"},
}


# --- model side ----------------------------------------------------------------------------

def eligible(r, build) -> None:
    """Candidates for ``bureau_leader``: the minimum years as station chief, not a bureau
    leader now."""
    f = build.facts
    mask = ~f.leader_now
    years = setting(r.scenario.config, RULE)
    if years is not None:
        mask &= f.chief_days >= build.min_days(years)
    build.allow(RULE, "bureau_leader", mask)


def _minimum(r) -> str:
    years = setting(r.scenario.config, RULE)
    return "0" if years is None else _promotion.number(years)


def reason(r, facts, i: int) -> str:
    """Why officer ``i`` may be appointed (for the list's reason column)."""
    return t("pr_chief", years=_promotion.years_text(int(facts.chief_days[i])), min=_minimum(r))


def explain(r, facts, i: int) -> str:
    return t("pe_chief", years=_promotion.years_text(int(facts.chief_days[i])), min=_minimum(r),
             role=t(f"role_{facts.role_now(i)}"))


# --- check side ----------------------------------------------------------------------------

def check(r, listing, result) -> None:
    years = setting(r.scenario.config, RULE)
    for e in listing.entries:
        if e.track != "bureau_leader":
            continue
        result.checked += 1
        postings = listing.postings(e.officer)
        if "leader" in _promotion.roles_on(postings, r.date):
            _promotion.fail(result, e, t("pv_leader_now", officer=e.officer))
            continue
        if years is None:
            continue
        days = _promotion.days_covered([(p.start, p.end) for p in postings if p.role == "chief"],
                                       r.date)
        if not _promotion.reaches(days, years):
            _promotion.fail(result, e, t("pv_chief_years", officer=e.officer,
                                         years=_promotion.years_text(days),
                                         min=_promotion.number(years)),
                            {"chief_days": days, "minimum_years": years})
