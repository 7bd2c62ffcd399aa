"""Why no plan exists, as people read it: the explanation's lines grouped into points.

A plan without a solution explains itself in lines (``PlanResult.conflicts``): per bureau a
heading (``bureau B01:``) when several bureaus fail, then the sentence that says which rules
conflict ("these rules cannot all hold together: ...; relaxing each in turn:"), then one line
per rule relaxed, a rule's figures indented under it. :func:`points` reads that shape back
into nested :class:`Point` s; :func:`lines` writes them as indented plain text (a CSV or
Markdown cell, a file); ``report.tables.why_list`` shows them on the terminal, wrapped at
its width with hanging indents.

The explanation numbers what explains (each bureau, or each rule relaxed), never a heading
alone or a line that wrapped.
"""

from __future__ import annotations

import re
import string
from dataclasses import dataclass, field

from staffplan.i18n import LANGS, MESSAGES

# The markers of each level of a list: numbers at the top, then bullets, then dashes.
BULLET, DASH = "•", "–"


@dataclass
class Point:
    """One point of an explanation, with the points that belong under it. A ``lead`` is a
    sentence that introduces the points after it (the rules relaxed in turn): it has no
    marker and no number of its own."""

    text: str
    points: list[Point] = field(default_factory=list)
    lead: bool = False


def _patterns(key: str) -> list[re.Pattern]:
    """A message in each language as a pattern: its placeholders match any text (the lines
    may be in another language than the one now set: a worker's, a summary's)."""
    out = []
    for lang in LANGS:
        parts = []
        for literal, name, _, _ in string.Formatter().parse(MESSAGES[key][lang]):
            parts.append(re.escape(literal))
            if name is not None:
                parts.append(".*")
        out.append(re.compile("".join(parts), re.S))
    return out


def points(lines: list[str], bureaus: list[str] | tuple[str, ...] = ()) -> list[Point]:
    """The explanation ``lines`` as nested points. ``bureaus``: the scenario's bureau ids,
    whose headings (``bureau B01:``) head the points of their bureau; a line indented by two
    spaces belongs under the line before it."""
    headings = {MESSAGES["x_in_bureau"][lang].format(bureau=b) for b in bureaus
                for lang in LANGS}
    leads = _patterns("x_together") + _patterns("x_cannot_alone")
    top: list[Point] = []
    group = top  # where the next point goes: the top, or under a bureau's heading
    last: Point | None = None
    for line in lines:
        if line in headings:
            head = Point(line)
            top.append(head)
            group, last = head.points, None
        elif line.startswith("  ") and last is not None:
            last.points.append(Point(line.strip()))
        else:
            last = Point(line.strip(), lead=any(p.fullmatch(line) for p in leads))
            group.append(last)
    return top


def markers(items: list[Point], depth: int) -> list[str]:
    """The marker of each point at ``depth``: numbered at the top (leads have none)."""
    out, n = [], 0
    for p in items:
        if p.lead:
            out.append("")
        elif depth == 0:
            n += 1
            out.append(f"{n}.")
        else:
            out.append(BULLET if depth == 1 else DASH)
    return out


def lines(items: list[Point], depth: int = 0, indent: str = "") -> list[str]:
    """The points as plain text, one line per point, each level indented under its point;
    a lead is written at its points' indent."""
    out = []
    marks = markers(items, depth)
    width = max((len(m) for m in marks), default=0)
    for p, mark in zip(items, marks):
        head = f"{mark:<{width}} " if mark else ""
        out.append(f"{indent}{head}{p.text}")
        out.extend(lines(p.points, depth + 1, indent + " " * len(head)))
    return out


def count(items: list[Point]) -> int:
    """How many numbered points (explanations) the top level holds."""
    return sum(not p.lead for p in items)
