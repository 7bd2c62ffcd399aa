"""``staffplan explain SCENARIO OFFICER --promotions``: is an officer eligible for each track,
with their years, and what the round gives them."""

from __future__ import annotations

import numpy as np

from staffplan.i18n import t
from staffplan.promotions.history import TRACKS, Round
from staffplan.promotions.model import build_model
from staffplan.promotions.report import from_text, to_text, track_name
from staffplan.promotions.results import PromotionResult
from staffplan.rules import PROMOTION_MODULES

_BY_TRACK = {m.TRACK: m for m in PROMOTION_MODULES if hasattr(m, "TRACK")}


def explain_promotion(r: Round, facts, officer_id: str,
                      result: PromotionResult | None) -> list[str]:
    """Lines of text: the officer, then per track eligible or not and why, the community
    experience and score, and the outcome of the round (``result``)."""
    s = r.scenario
    i = r.officer_index[officer_id]
    o = s.officers[i]
    if o.unit is None:
        return [t("pe_recruit", officer=o.id)]
    bureau = s.organisation.bureau_of(o.unit)
    lines = [t("pe_officer", officer=o.id, unit=o.unit, bureau=bureau,
               role=t(f"role_{facts.role_now(i)}"))]
    build = build_model(r, facts, only=bureau).build
    for track in TRACKS:
        why = _BY_TRACK[track].explain(r, facts, i)
        if build.allowed[track][i]:
            line = t("pe_track_yes", track=track_name(track), why=why)
        else:
            failing = [rule for rule, mask in build.failing[track] if mask[i]]
            reasons = t("t_list_sep").join(dict.fromkeys([why] + [_label(rule) for rule in failing
                                                      if rule.id != _BY_TRACK[track].RULE.id]))
            line = t("pe_track_no", track=track_name(track), why=reasons)
        if not r.slots(bureau, track):
            line += t("t_list_sep") + t("pe_no_slots", track=track_name(track), bureau=bureau)
        lines.append(line)
    lines.append(t("pe_community", yes=t("yes") if facts.community[i] else t("no")))
    lines.append(t("pe_score", score="—" if o.score is None else str(o.score)))
    if result is None:
        return lines
    if not result.has_list:
        lines.append(t("pe_impossible"))
        return lines
    mine = [e for e in result.entries if e.officer == officer_id]
    for e in mine:
        lines.append(t("pe_chosen", track=track_name(e.track), frm=from_text(e), to=to_text(e),
                       reason=e.reason))
    if not mine:
        lines.append(t("pe_not_chosen"))
        for track in TRACKS:
            if build.allowed[track][i] and r.slots(bureau, track):
                place, n = _place(facts, build, track, i)
                lines.append("  " + t("pe_place", track=track_name(track), place=place, n=n,
                                      bureau=bureau, slots=r.slots(bureau, track)))
    return lines


def _place(f, build, track: str, i: int) -> tuple[int, int]:
    """The officer's place among the bureau's candidates for ``track``, by the preference
    order (the first preference, score, time in rank, id)."""
    first = build.first[track]
    same = np.nonzero(build.allowed[track] & (f.bureau == f.bureau[i]))[0]
    key = (-first[i], -f.score[i], -f.rank_days[i], f.pos[i])
    ahead = sum(1 for j in same
                if (-first[j], -f.score[j], -f.rank_days[j], f.pos[j]) < key)
    return ahead + 1, len(same)


def _label(rule) -> str:
    from staffplan.i18n import rule_label

    return rule_label(rule)
