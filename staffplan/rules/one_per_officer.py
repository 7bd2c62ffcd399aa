"""An officer receives at most one promotion or appointment per round.
每名民警每轮至多晋升或提任一次."""

from __future__ import annotations

from staffplan.i18n import t
from staffplan.rules import _promotion
from staffplan.rules.base import Rule

RULE = Rule("one_per_officer", "one promotion or appointment per officer",
            "每名民警每轮至多晋升或提任一次",
            doc="an officer appears at most once in a round's list",
            doc_zh="每名民警在一轮名单中至多出现一次", about="entry")

MESSAGES = {
    "pv_twice": {"en": "officer {officer} is listed again ({track}; first on row {first}: {other})",
                 "zh": "民警 {officer} 重复列出（{track}；第 {first} 行已列为{other}）"},
}


def constrain(r, build) -> None:
    for officer, expr in build.officer_sums():
        build.at_most(RULE, officer, expr, 1)


def check(r, listing, result) -> None:
    first: dict[str, object] = {}
    for e in listing.entries:
        seen = first.get(e.officer)
        if seen is None:
            first[e.officer] = e
            result.checked += 1
            continue
        _promotion.fail(result, e, t("pv_twice", officer=e.officer, track=t(f"track_{e.track}"),
                                     first=seen.row, other=t(f"track_{seen.track}")),
                        {"first_row": seen.row})
