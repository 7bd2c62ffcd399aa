"""The rules, named once: their ids, labels and the article's wording.

The model (``staffplan.model``) and the checker (``staffplan.check``) each implement every
rule on their own; this module only names them, so both speak of the same rules.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Rule:
    id: str
    label: str
    zh: str
    config_key: str | None  # the key in ``rules:`` that switches it, None: always on


RULES: tuple[Rule, ...] = (
    Rule("staff_every_post", "every post staffed", "社区警务室全部配备社区民警", "staff_every_post"),
    Rule("station_share", "station strength / force", "派出所警力占总警力比例", "station_share"),
    Rule("community_share", "community officers / station strength", "社区民警占派出所警力比例",
         "community_share"),
    Rule("min_community_tenure", "community officers keep their post for the minimum tenure",
         "专职社区民警不少于3年社区工作年限", "min_community_tenure_years"),
    Rule("pinned", "pinned officers stay", "留任人员不调动", None),
    Rule("new_hires_to_stations", "recruits go to stations", "新招录民警优先分配至派出所",
         "new_hires_to_stations"),
    Rule("return_borrowed", "borrowed officers return", "借调人员归建", "return_borrowed"),
    Rule("stay_in_bureau", "moves stay within the bureau", "在本局内调整", "stay_in_bureau"),
    Rule("unit_bounds", "unit staff bounds", "单位编制上下限", "unit_bounds"),
    Rule("recruits_placed", "every recruit placed", "新招录民警全部分配", None),
    Rule("closed_units", "closed units end empty", "撤并单位人员全部调出", None),
    Rule("plan_matches_roster", "the plan lists every officer once", "调整方案与花名册一致", None),
)

RULE_BY_ID = {r.id: r for r in RULES}


def enabled(rule_id: str, rules) -> bool:
    """Is a rule switched on in a ``Rules`` config?"""
    key = RULE_BY_ID[rule_id].config_key
    if key is None:
        return True
    value = getattr(rules, key)
    if key == "station_share":
        return value is not None and (value.county is not None or value.district is not None)
    return value is not None and value is not False
