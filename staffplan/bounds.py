"""Bounds on every value staffplan reads, in one place: dates, head counts, yuan amounts,
years, ids and names. Files (units, officers, history, plan files) and the scenario (YAML and
``--set``) use the same bounds through the same checks, so that no value makes the solver,
the date arithmetic or a spreadsheet fail later (exit 3) or silently cut it.

The pydantic types (``HeadCount``, ``Yuan``, ``Years``, ``Day``) give a message in words
(``at most 10,000,000``); the readers of files call :func:`date_problem`,
:func:`count_problem` and :func:`length_problem`.
"""

from __future__ import annotations

import math
import re
from datetime import date
from typing import Annotated

from pydantic import AfterValidator, BeforeValidator, Field

from staffplan.i18n import t

# Dates: tenure and years of service near year 9999 would overflow, and no personnel record
# is older than 1900.
DATE_MIN, DATE_MAX = date(1900, 1, 1), date(2199, 12, 31)
# Officers in a unit, a bureau, a city, a recruitment: a province has about 100,000.
MAX_HEADCOUNT = 10_000_000
# Yuan a year: a city's community funds are far below; the solver's coefficients stay exact.
MAX_YUAN = 10**15
# Years (of tenure, in rank, in a post) and rates: a career is shorter.
MAX_YEARS = 100
# Characters: ids (units, officers) and names. Excel holds at most 32,767 in a cell.
MAX_ID_LENGTH = 100
MAX_NAME_LENGTH = 200
MAX_TEXT_LENGTH = 1000  # any other value of a known column


def date_problem(d: date) -> str | None:
    """A message when ``d`` is outside the dates staffplan reads, else None."""
    if DATE_MIN <= d <= DATE_MAX:
        return None
    return t("date_range_only", lo=DATE_MIN, hi=DATE_MAX)


def _in_range(d: date) -> date:
    problem = date_problem(d)
    if problem:
        raise ValueError(problem)
    return d


Day = Annotated[date, AfterValidator(_in_range)]
"""A date of the scenario (plan_date, a step's date, promotions.date)."""


_WHOLE = re.compile(r"\+?\d+")
_NUMBER = re.compile(r"[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?")


def _bounded(limit: int, key: str):
    """A before-validator: a number above ``limit`` (or not finite) is refused in words,
    before pydantic turns it into an integer (10**26, 1e300)."""

    def check(value):
        if isinstance(value, str) and _NUMBER.fullmatch(value.strip()):
            number = float(value)
            if number > limit:
                raise ValueError(t(key, limit=f"{limit:,}"))
            return value
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            return value
        if isinstance(value, float) and math.isnan(value):
            raise ValueError(t("not_a_number"))
        if value > limit:
            raise ValueError(t(key, limit=f"{limit:,}"))
        return value

    return BeforeValidator(check)


Id = Annotated[str, Field(min_length=1, max_length=MAX_ID_LENGTH)]
"""A unit's or an officer's id, as the scenario writes it."""
HeadCount = Annotated[int, Field(ge=0, le=MAX_HEADCOUNT), _bounded(MAX_HEADCOUNT, "too_many_heads")]
"""A number of officers."""
Yuan = Annotated[int, Field(ge=0, le=MAX_YUAN), _bounded(MAX_YUAN, "too_many_yuan")]
"""An amount of yuan."""
Years = Annotated[float, Field(ge=0, le=MAX_YEARS), _bounded(MAX_YEARS, "too_many_years")]
"""A number of years, or a rate."""


def count_problem(text: str, limit: int = MAX_HEADCOUNT) -> tuple[int | None, str | None]:
    """A count of officers read from a cell: (value, None), or (None, message). The message
    quotes the text only when it is short; a number above the bound is said in words."""
    text = text.strip()
    if _WHOLE.fullmatch(text):
        if len(text.lstrip("+0")) > len(str(limit)) or int(text) > limit:
            return None, t("too_many_heads", limit=f"{limit:,}")
        return int(text), None
    if _NUMBER.fullmatch(text) and text[0] != "-":
        try:
            big = float(text) > limit
        except OverflowError:
            big = True
        if big:
            return None, t("too_many_heads", limit=f"{limit:,}")
    return None, t("bad_count", value=clip(text))


def clip(text: str, limit: int = 40) -> str:
    """A value as a message quotes it: at most ``limit`` characters (then an ellipsis)."""
    return text if len(text) <= limit else text[:limit] + "…"


def length_problem(text: str, limit: int, hidden: bool = False) -> str | None:
    """A message when a value is longer than ``limit`` characters (its length, never the
    value)."""
    if len(text) <= limit:
        return None
    return t("too_long_name" if hidden else "too_long", n=f"{len(text):,}", limit=f"{limit:,}")
