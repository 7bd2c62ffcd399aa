"""The community-policing budget: yearly funds per community officer, and an optional cap on
each bureau's community funds.
按每年每人3万元标准配足社区民警经费."""

from __future__ import annotations

from staffplan.bounds import Id, Yuan
from staffplan.domain import Kind
from staffplan.i18n import t
from staffplan.rules.base import Rule, Settings


class Budget(Settings):
    """The community-policing budget (社区民警经费), reported before and after each plan."""

    community_officer_yuan: Yuan = 30000
    """Yearly funds per community officer, in yuan. The article: 30,000 (按每年每人3万元)."""
    max_yuan: Yuan | dict[Id, Yuan] | None = None
    """A cap on a bureau's yearly community funds, in yuan: one figure for every bureau, or
    per bureau id. A rule (community_budget); null: no cap."""


RULE = Rule("community_budget", "community funds within the budget", "社区民警经费不超预算",
            key="max_yuan", section="budget", default=None,
            doc="per bureau: community officers × `budget.community_officer_yuan` ≤ "
                "`budget.max_yuan` (one figure, or per bureau id)",
            doc_zh="各局社区民警人数 × 每人每年经费（budget.community_officer_yuan）不超过经费上限"
                   "（budget.max_yuan，可统一设定或按局设定）",
            about="bureau")

MESSAGES = {
    "v_budget": {"en": "bureau {bureau}: {n} community officer(s) need {funds} yuan a year, above "
                       "the cap of {cap} ({over} officer(s) over)",
                 "zh": "{bureau}：社区民警 {n} 人，年经费 {funds} 元，"
                       "超过上限 {cap} 元（超出 {over} 人）"},
    "x_budget": {"en": "{rule}{given}: {bureaus}", "zh": "{rule}{given}：{bureaus}"},
    "x_budget_one": {"en": "bureau {bureau} needs {n} more officer(s)' worth of funds",
                     "zh": "{bureau} 需增加 {n} 人的经费"},
    "budget_unknown": {"en": "{bureau!r} is not a bureau", "zh": "{bureau!r} 不是公安局"},
}


def cap_of(budget: Budget, bureau: str) -> int | None:
    """A bureau's cap, as the scenario writes it (a reading of the config, no judgement)."""
    cap = budget.max_yuan
    return cap.get(bureau) if isinstance(cap, dict) else cap


def validate_input(config, organisation) -> list[tuple[str, str]]:
    """(key, message) for each bureau id in ``budget.max_yuan`` the tree does not have."""
    cap = config.budget.max_yuan
    if not isinstance(cap, dict):
        return []
    return [(f"budget.max_yuan.{b}", t("budget_unknown", bureau=b)) for b in cap
            if b not in organisation or not organisation[b].kind.is_bureau]


def constrain(s, build) -> None:
    budget, org = s.config.budget, s.organisation
    for bureau in org.bureaus:
        cap = cap_of(budget, bureau.id)
        if cap is None or budget.community_officer_yuan == 0:
            continue
        posts = [u.id for u in org.units_of_bureau[bureau.id] if u.kind is Kind.POST]
        # yuan x officers <= cap, in whole officers (exact: officers are whole): the row's
        # coefficients stay 1 whatever the amounts (HiGHS refuses a coefficient of 10^15).
        build.at_most(RULE, bureau.id, build.total(posts),
                      cap // budget.community_officer_yuan)


def check(s, roster, result) -> None:
    budget = s.config.budget
    yuan = budget.community_officer_yuan
    for b in roster.figures:
        cap = b.funds_cap
        if cap is None:
            continue
        result.checked += 1
        if b.community_funds > cap:
            over = -(-(b.community_funds - cap) // yuan)
            result.fail(b.bureau, t("v_budget", bureau=b.bureau, n=b.community_officers,
                                    funds=f"{b.community_funds:,}", cap=f"{cap:,}", over=over),
                        {"community_officers": b.community_officers,
                         "community_funds": b.community_funds, "max_yuan": cap, "over": over},
                        "bureau")


def shortfall(relaxed) -> list[str]:
    parts = [t("x_budget_one", bureau=b, n=relaxed.short[b]) for b in relaxed.short_subjects()]
    return [t("x_budget", rule=relaxed.label, given=relaxed.given,
              bureaus=t("t_list_sep").join(parts))]
