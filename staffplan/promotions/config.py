"""The scenario's ``promotions:`` section. Its rule keys come from the rule modules
(``staffplan.rules.PROMOTION_SETTINGS``), as the ``rules:`` section's do."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

from pydantic import Field, create_model, field_validator

from staffplan.bounds import MAX_NAME_LENGTH, Day, HeadCount, Id
from staffplan.i18n import t
from staffplan.rules import PROMOTION_SETTINGS
from staffplan.rules.base import Settings

LADDER = ["一级警员", "四级警长", "三级警长", "二级警长", "一级警长", "四级高级警长",
          "三级高级警长", "二级高级警长", "一级高级警长"]
Count = HeadCount


def _section(name: str, title: str, doc: str, base: type[Settings] = Settings) -> type[Settings]:
    fields = {rule.key: (rule.type, Field(rule.default, description=rule.doc))
              for rule in PROMOTION_SETTINGS if rule.section == name}
    model = create_model(title, __base__=base, **fields)
    model.__doc__ = doc
    return model


PromotionRules = _section("promotions.rules", "PromotionRules",
                          "The eligibility rules and preferences of a promotion round. "
                          "Defaults: the article's.")


class Openings(Settings):
    """Leadership appointments this round, per bureau id."""

    station_leader: dict[Id, Count] = Field(default_factory=dict)
    """Station chief or deputy appointments (提任派出所领导), e.g. {B01: 3}."""
    bureau_leader: dict[Id, Count] = Field(default_factory=dict)
    """County or district bureau leadership appointments (提任县级公安机关领导), e.g. {B01: 1}."""


class _Round(Settings):
    date: Day | None = None
    """The promotion date: years are counted up to this day (default: plan_date)."""
    history: Path | None = None
    """The posting history: officer_id, unit, role, start, end (.csv or .xlsx); required by
    staffplan promote (a file that extends another may leave it to its parent)."""
    ladder: list[Annotated[str, Field(max_length=MAX_NAME_LENGTH)]] = Field(
        default_factory=lambda: list(LADDER), min_length=2, max_length=100)
    """The rank ladder, lowest first (执法勤务职级序列)."""
    rank_slots: dict[Id, Count] = Field(default_factory=dict)
    """Rank promotions this round, per bureau id, e.g. {B01: 12}."""
    openings: Openings = Openings()
    """Station-leader and bureau-leader appointments this round, per bureau id."""
    rules: PromotionRules = PromotionRules()
    """The eligibility rules and preferences."""

    @field_validator("ladder")
    @classmethod
    def _distinct(cls, ladder: list[str]) -> list[str]:
        ladder = [step.strip() for step in ladder]
        if len(set(ladder)) != len(ladder) or not all(ladder):
            raise ValueError(t("pm_ladder_distinct"))
        return ladder


Promotions = _section("promotions", "Promotions",
                      "A round of rank promotions and leadership appointments (干部从基层出).",
                      base=_Round)
