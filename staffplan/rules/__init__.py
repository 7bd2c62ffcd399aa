"""The registry: every rule, in one order, each from its own module.

Everything that lists rules reads this: the checker, the model builder, the explanation of
an impossible plan, compare, sweep, the CI formats, the JSON Schema and the README's rules
table (a test keeps the README in step). To add a rule, write its module and list it here
(docs/adding-a-rule.md).
"""

from __future__ import annotations

from types import ModuleType

from staffplan import i18n
from staffplan.rules import (
    _promotion,
    _share,
    bureau_leader_years,
    closed_units,
    community_budget,
    community_share,
    daytime_duty,
    min_community_tenure,
    new_hires_to_stations,
    no_borrowing_from_stations,
    one_per_officer,
    pinned,
    plan_matches_roster,
    promotion_in_bureau,
    promotion_slots,
    rank_ladder,
    recruits_placed,
    return_borrowed,
    staff_every_post,
    station_leader_years,
    station_rate,
    station_share,
    stay_in_bureau,
    unit_bounds,
)
from staffplan.rules.base import Rule, setting

MODULES: tuple[ModuleType, ...] = (
    staff_every_post,
    station_share,
    community_share,
    min_community_tenure,
    pinned,
    new_hires_to_stations,
    return_borrowed,
    no_borrowing_from_stations,
    stay_in_bureau,
    unit_bounds,
    daytime_duty,
    community_budget,
    recruits_placed,
    closed_units,
    plan_matches_roster,
)

RULES: tuple[Rule, ...] = tuple(m.RULE for m in MODULES)

# The promotion round's rules (issue 13, 干部从基层出): a list of their own, so the staffing
# checker and model above are unchanged. Read by staffplan.promotions (model and checker).
PROMOTION_MODULES: tuple[ModuleType, ...] = (
    rank_ladder,
    station_leader_years,
    bureau_leader_years,
    station_rate,
    one_per_officer,
    promotion_in_bureau,
    promotion_slots,
)
PROMOTION_RULES: tuple[Rule, ...] = tuple(m.RULE for m in PROMOTION_MODULES)
# Every key of the promotions: section a rule module declares (its rule and its preference).
PROMOTION_SETTINGS: tuple[Rule, ...] = tuple(
    r for m in PROMOTION_MODULES for r in (m.RULE, getattr(m, "PREFERENCE", None))
    if r is not None)

RULE_BY_ID: dict[str, Rule] = {r.id: r for r in RULES + PROMOTION_SETTINGS}
MODULE_BY_ID: dict[str, ModuleType] = {m.RULE.id: m for m in MODULES}

# Warning kinds (``check --strict`` fails on them), by rule.
WARNINGS: tuple[str, ...] = tuple(k for m in MODULES for k in getattr(m, "WARNINGS", ()))
# Notice kinds: information for the next plan, shown and counted apart; never a failure.
NOTICES: tuple[str, ...] = tuple(k for m in MODULES for k in getattr(m, "NOTICES", ()))


def enabled(rule_id: str, config) -> bool:
    """Is a rule switched on in a scenario config? A key set to null or false switches its
    rule off; a rule without a key is always on."""
    module = MODULE_BY_ID[rule_id]
    rule = module.RULE
    if rule.key is None:
        return True
    value = setting(config, rule)
    if hasattr(module, "enabled"):
        return module.enabled(value)
    return value is not None and value is not False


def active(config) -> list[ModuleType]:
    """The modules of the rules a scenario switches on, in the registry's order."""
    return [m for m in MODULES if enabled(m.RULE.id, config)]


def relaxable(config) -> list[str]:
    """Rules with counts in the model (``constrain``) that are on: those an explanation of
    an impossible plan can relax."""
    return [m.RULE.id for m in active(config) if hasattr(m, "constrain")]


def markdown_table(lang: str = "en") -> str:
    """The rules as the README shows them (a test keeps the README in step with this)."""
    return _table(RULES, lang)


def promotion_markdown_table(lang: str = "en") -> str:
    """The promotion round's rules, as the README's promotions section shows them."""
    return _table(PROMOTION_SETTINGS, lang)


def _table(rules: tuple[Rule, ...], lang: str) -> str:
    import json

    def default(rule: Rule) -> str:
        value = rule.default
        if hasattr(value, "model_dump"):
            value = value.model_dump()
        if isinstance(value, dict):
            return "`{" + ", ".join(f"{k}: {json.dumps(v)}" for k, v in value.items()) + "}`"
        return f"`{json.dumps(value)}`"

    zh = lang == "zh"
    head = ("| 规则 | 配置键 | 含义 | 默认值 |" if zh else "| rule | key | meaning | default |")
    rows = [head, "|---|---|---|---|"]
    for rule in rules:
        key = f"`{rule.path}`" if rule.key else ("（始终生效）" if zh else "(always on)")
        rows.append(f"| {rule.zh if zh else rule.label} | {key} | "
                    f"{rule.doc_zh if zh else rule.doc} | {default(rule) if rule.key else ''} |")
    return "\n".join(rows) + "\n"


def _register_messages() -> None:
    from staffplan.promotions import texts as promotion_texts

    for m in (*MODULES, _share, *PROMOTION_MODULES, _promotion, promotion_texts):
        for key, texts in getattr(m, "MESSAGES", {}).items():
            if key in i18n.MESSAGES and i18n.MESSAGES[key] != texts:
                raise RuntimeError(f"message {key!r} of {m.__name__} is defined twice")
            i18n.MESSAGES[key] = texts


_register_messages()

__all__ = ["MODULES", "RULES", "RULE_BY_ID", "MODULE_BY_ID", "WARNINGS", "NOTICES",
           "PROMOTION_MODULES", "PROMOTION_RULES", "PROMOTION_SETTINGS", "Rule", "active",
           "enabled", "relaxable", "setting"]
