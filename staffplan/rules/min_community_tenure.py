"""Full-time community officers stay at their post for the minimum tenure; an earlier move
needs the city committee's approval.
专职社区民警不少于3年社区工作年限；确需调整的，呈报市局派出所工作委员会批准."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from pydantic import Field

from staffplan.domain import Kind, tenure_complete, tenure_text
from staffplan.i18n import rule_label, t
from staffplan.results import Approval, Violation
from staffplan.rules.base import Rule

RULE = Rule("min_community_tenure", "community officers keep their post for the minimum tenure",
            "专职社区民警不少于3年社区工作年限", key="min_community_tenure_years", default=3,
            type=Annotated[int, Field(ge=0, le=100)] | None,
            doc="an officer at a post with fewer full years there (at `plan_date`) stays, "
                "unless `move_approved`",
            doc_zh="在警务室工作未满规定年限的民警不调动，市局批准（move_approved）的除外",
            about="officer")

# Its notice kinds (labels: warn_<kind>): information for the next plan, never a failure.
# Every plan with the fewest moves leaves posts at their minimum, some with an officer whose
# tenure ends within the year, so --strict ignores them (docs/ci.md).
NOTICES = ("tenure_ends_soon",)

MESSAGES = {
    "v_tenure": {"en": "officer {officer} leaves post {post} after {served} full year(s) of "
                       "{years}, without the city committee's approval",
                 "zh": "民警 {officer} 在警务室 {post} 仅满 {served} 年（要求 {years} 年），"
                       "未经市局派出所工作委员会批准即调出"},
    "w_tenure_soon": {"en": "post {post} is at its minimum ({min}) and officer {officer} completes "
                            "{years} years there within a year",
                      "zh": "警务室 {post} 人数已在下限（{min}），"
                            "民警 {officer} 一年内满 {years} 年，可能调出"},
    "warn_tenure_ends_soon": {"en": "a post at its minimum whose officer completes the minimum "
                                    "tenure within a year",
                              "zh": "警务室人数在下限且民警一年内满规定年限"},
    "r_tenure": {"en": "community tenure {tenure} of {years} years, no approval: stays",
                 "zh": "社区工作 {tenure}（要求 {years} 年），未经批准：不调动"},
}


# --- model side ----------------------------------------------------------------------------

def hold(s, build) -> None:
    """Officers at a post who have not served the minimum there stay, unless the city
    committee approved the move (the builder knows who arrived at a post when, and who has
    an approval; a post that closes holds no one)."""
    build.keep_at_posts(RULE, _within_tenure)


def _within_tenure(since: date, on: date, config) -> bool:
    return not tenure_complete(since, on, config.rules.min_community_tenure_years)


def reason(s, officer) -> str:
    return t("r_tenure", tenure=tenure_text(officer.community_since, s.plan_date),
             years=s.rules.min_community_tenure_years)


def explain(s, officer) -> str:
    return (f"{rule_label(RULE)} ({tenure_text(officer.community_since, s.plan_date)} / "
            f"{s.rules.min_community_tenure_years})")


# --- check side ----------------------------------------------------------------------------

def completed_years(since: date, on: date) -> int:
    """Full years from ``since`` to ``on``, counted on the calendar (the checker's own
    arithmetic; the model uses ``domain.tenure_complete``; a test keeps them in step)."""
    years = on.year - since.year
    if (on.month, on.day) < (since.month, since.day):
        years -= 1
    return years


def check(s, roster, result) -> None:
    years = s.rules.min_community_tenure_years
    for o in s.officers:
        if o.unit is None or roster.kind(o.unit) is not Kind.POST or o.community_since is None:
            continue
        if roster.units[o.unit].closed:
            continue  # the post closes: its officers move whatever their tenure
        served = completed_years(o.community_since, s.plan_date)
        if served >= years or o.move_approved:
            continue
        result.checked += 1
        if roster.final.get(o.id) != o.unit:
            result.fail(o.id, t("v_tenure", officer=o.id, post=o.unit, served=served, years=years),
                        {"served_years": served, "minimum": years}, "officer")


def _next_year(d: date) -> date:
    try:
        return d.replace(year=d.year + 1)
    except ValueError:
        return d.replace(year=d.year + 1, day=28)


def notices(s, roster) -> list[Violation]:
    """A post at its minimum whose only officers complete their tenure within a year: the
    next plan may have to move someone there."""
    years = s.rules.min_community_tenure_years
    out: list[Violation] = []
    if years is None:
        return out
    by_unit: dict[str, list] = {}
    for o in s.officers:
        unit = roster.final.get(o.id)
        if unit is not None:
            by_unit.setdefault(unit, []).append(o)
    for u in roster.units.values():
        if u.kind is not Kind.POST or u.closed:
            continue
        minimum = max(u.min_staff or 0, 1)
        here = by_unit.get(u.id, [])
        if len(here) != minimum:
            continue
        for o in here:
            if o.unit != u.id or o.community_since is None:
                continue
            served = completed_years(o.community_since, s.plan_date)
            later = completed_years(o.community_since, _next_year(s.plan_date))
            if served < years <= later:
                out.append(Violation("tenure_ends_soon", u.id,
                                     t("w_tenure_soon", post=u.id, min=minimum, officer=o.id,
                                       years=years), about="unit"))
    return out


def approvals(s, roster) -> list[Approval]:
    """Community officers moved from their post before the minimum tenure: each move needs
    the city committee's approval (given when the roster says ``move_approved``)."""
    years = s.rules.min_community_tenure_years
    out: list[Approval] = []
    if years is None:
        return out
    for o in s.officers:
        if o.unit is None or roster.kind(o.unit) is not Kind.POST or o.community_since is None:
            continue
        to = roster.final.get(o.id)
        if to == o.unit or roster.units[o.unit].closed:
            continue
        if completed_years(o.community_since, s.plan_date) >= years:
            continue
        since, on = o.community_since, s.plan_date
        months = (on.year - since.year) * 12 + on.month - since.month - (on.day < since.day)
        out.append(Approval(o.id, o.unit, to or "", f"{months // 12}y{months % 12}m of {years}y",
                            RULE.id, o.move_approved))
    return out
