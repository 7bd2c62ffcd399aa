"""Every community police post is staffed.
630个社区警务室全部配备社区民警."""

from __future__ import annotations

from staffplan.domain import Kind
from staffplan.i18n import t
from staffplan.rules.base import Rule

RULE = Rule("staff_every_post", "every post staffed", "社区警务室全部配备社区民警",
            key="staff_every_post", default=True, type=bool,
            doc="every post (社区警务室) ends with at least one officer",
            doc_zh="每个社区警务室至少配备一名民警", about="unit")

MESSAGES = {
    "v_post_empty": {"en": "post {post} has no officer", "zh": "警务室 {post} 无民警"},
    "x_posts": {"en": "{rule}{given}: {n} post(s) cannot be staffed: {posts}",
                "zh": "{rule}{given}：{n} 个警务室无法配备民警：{posts}"},
}


def constrain(s, build) -> None:
    for post in s.organisation.posts:
        build.at_least(RULE, post.id, build.final(post.id), 1)


def check(s, roster, result) -> None:
    for u in roster.units.values():
        if u.kind is Kind.POST and not u.closed:
            result.checked += 1
            if roster.count[u.id] < 1:
                result.fail(u.id, t("v_post_empty", post=u.id), {"officers": 0}, "unit")


def shortfall(relaxed) -> list[str]:
    posts = relaxed.short_subjects()
    return [t("x_posts", rule=relaxed.label, given=relaxed.given, n=len(posts),
              posts=relaxed.listing(posts))]
