"""Promotions and appointments stay in the officer's bureau; recruits take no part.
在本局内晋升和提任."""

from __future__ import annotations

from staffplan.i18n import t
from staffplan.rules import _promotion
from staffplan.rules.base import Rule

RULE = Rule("promotion_in_bureau", "promotions stay in the officer's bureau",
            "在本局内晋升和提任",
            doc="each promotion or appointment counts in the bureau of the officer's unit "
                "(officers.csv) and names no unit of another bureau; recruits without a unit "
                "take no part",
            doc_zh="晋升和提任计入民警所在单位（花名册）所属的局，不得列为其他局的单位；"
                   "尚未分配单位的新招录民警不参加",
            about="entry")

MESSAGES = {
    "pv_recruit": {"en": "officer {officer} is a recruit without a unit: recruits take no part",
                   "zh": "民警 {officer} 为尚未分配单位的新招录民警，不参加晋升和提任"},
    "pv_other_bureau": {"en": "officer {officer} of bureau {bureau} is listed at {unit} in "
                              "bureau {other}",
                        "zh": "{bureau} 的民警 {officer} 被列在 {other} 的 {unit}"},
}


def eligible(r, build) -> None:
    """Every track: officers with a unit, counted in its bureau."""
    for track in _promotion.TRACKS:
        build.allow(RULE, track, build.facts.bureau >= 0)


def check(r, listing, result) -> None:
    org = r.scenario.organisation
    for e in listing.entries:
        o = r.scenario.officer_by_id[e.officer]
        result.checked += 1
        if o.unit is None:
            _promotion.fail(result, e, t("pv_recruit", officer=o.id))
        elif e.unit and org.bureau_of(e.unit) != org.bureau_of(o.unit):
            _promotion.fail(result, e, t("pv_other_bureau", officer=o.id,
                                         bureau=org.bureau_of(o.unit), unit=e.unit,
                                         other=org.bureau_of(e.unit)))
