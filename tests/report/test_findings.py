"""Findings when only some fit: some of every rule, taken in turn, the rest counted by rule;
each rule by its label in the current language."""

from __future__ import annotations

import pytest

from staffplan.i18n import set_lang
from staffplan.report.findings import label, more_by_rule, sample
from staffplan.report.tables import findings_table, render_text
from staffplan.results import Violation


def found(rule: str, n: int) -> list[Violation]:
    """``n`` findings of ``rule``; their messages name the rule's first letter, not its id."""
    tag = rule[0].upper()
    return [Violation(rule, f"{tag}-{i}", f"finding {tag}{i}") for i in range(n)]


def test_round_robin_shows_every_rule_in_its_order():
    items = found("staff_every_post", 100) + found("return_borrowed", 3) + \
        found("stay_in_bureau", 1)
    shown, more = sample(items, 10)
    # One of each in turn: 4 + 3 + 1 + the rest to the rule that still has some.
    assert [v.subject for v in shown] == [f"S-{i}" for i in range(6)] + \
        [f"R-{i}" for i in range(3)] + ["S-0"]
    assert [v.rule for v in shown][-1] == "stay_in_bureau"
    assert more == {"staff_every_post": 94}
    shown, more = sample(items, 5)
    assert [v.rule for v in shown] == ["staff_every_post"] * 2 + ["return_borrowed"] * 2 + \
        ["stay_in_bureau"]
    assert more == {"staff_every_post": 98, "return_borrowed": 1}
    assert sample(items, 0) == (items, {}) and sample(items, 104) == (items, {})


def test_labels_and_counts_in_both_languages():
    more = {"staff_every_post": 1200, "tenure_ends_soon": 3, "made_up": 1}
    assert more_by_rule(more) == ("every post staffed 1,200; a post at its minimum whose "
                                  "officer completes the minimum tenure within a year 3; "
                                  "made_up 1")
    set_lang("zh")
    try:
        assert label("staff_every_post") == "社区警务室全部配备社区民警"
        assert more_by_rule({"staff_every_post": 2}) == "社区警务室全部配备社区民警 2 项"
    finally:
        set_lang("en")


@pytest.mark.parametrize("lang", ["en", "zh"])
@pytest.mark.parametrize("width", [80, 120])
def test_the_table_says_what_it_leaves_out_by_rule(width, lang):
    items = found("staff_every_post", 40) + found("return_borrowed", 2)
    set_lang(lang)
    try:
        text = render_text(lambda c: c.print(findings_table("Violations", items, limit=6,
                                                            more_key="t_more_violations")),
                           width)
        first = label("staff_every_post")
    finally:
        set_lang("en")
    assert "staff_every_post" not in text and "return_borrowed" not in text  # labels only
    assert "finding R1" in text and "finding S3" in text and "finding S4" not in text
    flat = "".join(text.split())
    assert "".join(first.split()) in flat
    more = "36 more; --all shows every violation" if lang == "en" else "另有 36 项"
    assert "".join(more.split()) in flat
    assert "".join(f"{first} 36".split()) in flat
    for line in text.splitlines():
        assert len(line) <= width and "…" not in line
