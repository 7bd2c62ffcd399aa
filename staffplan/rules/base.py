"""What a rule module declares, and the builder it speaks to.

A rule module (``staffplan/rules/<rule>.py``) holds one rule, side by side:

- ``RULE``: its id, English label, Chinese label (the article's wording), the scenario key
  that sets it, its default and one line of documentation;
- its model side, through the builder in ``staffplan.model`` (the module never imports
  PuLP): ``scope(s, build)`` (structure, before the variables exist), ``hold(s, build)``
  (officers the rule keeps or sends somewhere) and ``constrain(s, build)`` (counts);
- its check: ``check(s, roster, result)``, judging a finished roster only. It never calls
  the model side or the builder (``tests/test_independence.py`` looks, function by
  function);
- optionally ``warnings(s, roster)``, ``approvals(s, roster)``, ``reason(s, officer)`` (why a
  held officer stays or goes), ``explain(s, officer)``, ``shortfall(relaxed)`` (how far the
  rule falls short in an impossible plan) and ``MESSAGES`` (its texts, both languages).

``staffplan.rules`` lists the modules; everything that lists rules reads that registry.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, Any, Protocol

from pydantic import AfterValidator, BaseModel, ConfigDict, Field


def _exact(value: float) -> float:
    """A share is compared exactly, as the fraction of its decimal: 1e-20 would make the
    model's coefficients 10^20 (the solver fails), so at most 6 decimal places."""
    from fractions import Fraction

    from staffplan.i18n import t

    if Fraction(repr(value)).denominator > 10**6:
        raise ValueError(t("six_decimals"))
    return value


Share = Annotated[float, Field(ge=0, le=1), AfterValidator(_exact)]


class Settings(BaseModel):
    """A section of the scenario file: unknown keys are errors, values frozen, attribute
    docstrings become the JSON Schema's descriptions."""

    model_config = ConfigDict(extra="forbid", frozen=True, use_attribute_docstrings=True)


@dataclass(frozen=True)
class Rule:
    id: str
    label: str  # English
    zh: str  # Chinese, in the article's wording
    key: str | None = None  # the key under ``rules:`` that sets it; None: always on
    default: Any = None
    type: Any = None  # the key's type (pydantic), with its constraints
    doc: str = ""  # one line: the README's rules table and the JSON Schema
    doc_zh: str = ""
    about: str = ""  # what a violation's subject is: "bureau", "unit" or "officer"
    section: str = "rules"  # the scenario section the key lives in (dotted: "promotions.rules")

    @property
    def path(self) -> str | None:
        """The dotted scenario key, e.g. ``rules.station_share``."""
        return None if self.key is None else f"{self.section}.{self.key}"


def setting(config, rule: Rule) -> Any:
    """The value a scenario gives a rule's key (None for an always-on rule)."""
    if rule.key is None:
        return None
    for name in rule.section.split("."):
        config = getattr(config, name)
    return getattr(config, rule.key)


class Build(Protocol):
    """What a rule's model side may ask of the builder (``staffplan.model.Builder``).

    Expressions are opaque: they add and multiply by whole numbers, nothing else.
    """

    # --- scope: before the variables exist
    def pool_by_bureau(self, rule: Rule) -> None: ...
    def recruits_only_to(self, allowed, rule: Rule) -> None: ...

    # --- holds: officers a rule keeps at a unit or sends to one
    def hold(self, officer: str, unit: str, rule: Rule) -> None: ...

    # --- counts
    def final(self, unit: str): ...
    def total(self, units): ...
    def arrivals(self, units): ...
    def leavers(self, units): ...
    def pools(self) -> dict[str, list[str]]: ...
    def at_least(self, rule: Rule, subject: str, expr, rhs: int, slack_scale: int = 1) -> None: ...
    def at_most(self, rule: Rule, subject: str, expr, rhs: int, slack_scale: int = 1) -> None: ...
    def share_at_least(self, rule: Rule, subject: str, target, part, whole) -> None: ...
