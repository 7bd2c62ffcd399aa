"""What the promotion rules' checks have in common: the checker's own arithmetic of years.

Years of an experience are the days of its postings up to the promotion date, overlapping
days counted once, ``end`` exclusive, an open end running to the date, divided by 365.25.
The checker counts them here by sweeping the postings' boundaries; the model merges sorted
intervals in ``staffplan.promotions.experience`` (a test keeps the two in step). Minimums
are compared exactly, as rationals.
"""

from __future__ import annotations

from datetime import date
from fractions import Fraction

TRACKS = ("rank", "station_leader", "bureau_leader")
DAYS_PER_YEAR = Fraction(1461, 4)  # 365.25


def days_covered(intervals, on: date) -> int:
    """Days in the union of ``[start, end)`` intervals before ``on`` (``end`` None: open)."""
    events: list[tuple[int, int]] = []
    for start, end in intervals:
        stop = on if end is None or end > on else end
        if stop > start:
            events.append((start.toordinal(), 1))
            events.append((stop.toordinal(), -1))
    events.sort()
    depth = total = last = 0
    for day, step in events:
        if depth > 0:
            total += day - last
        depth += step
        last = day
    return total


def reaches(days: int, years) -> bool:
    """``days / 365.25 >= years``, exactly (``years`` as written in the scenario)."""
    return Fraction(days) / DAYS_PER_YEAR >= Fraction(str(years))


def years_text(days: int) -> str:
    """Years to one decimal, rounded down: 2.99 years is shown as 2.9, never as 3.0."""
    tenths = max(days, 0) * 40 // 1461
    return f"{tenths // 10}.{tenths % 10}"


def number(x) -> str:
    """A minimum as written: 3, 2.5, 1.3."""
    return f"{float(x):g}"


def roles_on(postings, on: date) -> set[str]:
    """The roles of the postings that cover ``on`` (the current postings)."""
    return {p.role for p in postings if p.start <= on and (p.end is None or p.end > on)}


def fail(result, entry, message: str, figures: dict | None = None) -> None:
    """A list row breaks a rule: the finding points at the row."""
    result.fail(entry.officer, message, {"row": entry.row, **(figures or {})}, "entry")


MESSAGES = {
    "track_rank": {"en": "rank promotion", "zh": "职级晋升"},
    "track_station_leader": {"en": "station-leader appointment", "zh": "提任派出所领导"},
    "track_bureau_leader": {"en": "bureau-leader appointment", "zh": "提任县级公安机关领导"},
    "role_officer": {"en": "officer", "zh": "民警"},
    "role_deputy": {"en": "deputy station chief", "zh": "副所长/教导员"},
    "role_chief": {"en": "station chief", "zh": "所长"},
    "role_leader": {"en": "bureau leadership", "zh": "局领导"},
}
