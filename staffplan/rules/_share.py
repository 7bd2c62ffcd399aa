"""What the two share rules (station share, community share) have in common: a share of a
bureau's officers that must reach a target, compared exactly."""

from __future__ import annotations

from fractions import Fraction

from staffplan.i18n import t


def pct(x: Fraction) -> str:
    return f"{float(x) * 100:.1f}%"


def officers_short(have: int, need: Fraction) -> int:
    """Officers to add to ``have`` (the rest unchanged) to reach ``need``."""
    short = need - have
    return int(-(-short.numerator // short.denominator))


def judge(result, bureau: str, part: int, whole: int, target: Fraction | None, message: str,
          names: tuple[str, str]) -> None:
    """Check side: part / whole >= target for one bureau, in whole numbers."""
    if target is None:
        return
    result.checked += 1
    if part < target * whole:
        short = officers_short(part, target * whole)
        share = pct(Fraction(part, whole)) if whole else "n/a"
        result.fail(bureau, t(message, bureau=bureau, share=share, target=pct(target), part=part,
                              whole=whole, short=short),
                    {names[0]: part, names[1]: whole, "target": float(target), "short": short},
                    "bureau")


def shortfall(relaxed, target_of, part_and_whole) -> list[str]:
    """For each bureau short of its target: the best share it can reach with the other rules
    of the conflict held (a relaxation of that bureau alone)."""
    lines = [t("x_share_head", rule=relaxed.label, given=relaxed.given)]
    org = relaxed.scenario.organisation
    for bureau in relaxed.short_subjects():
        value, short = relaxed.measure(bureau)
        part, whole = part_and_whole(org.units_of_bureau[bureau], value)
        reached = f"{part / whole:.1%}" if whole else "n/a"
        lines.append("  " + t("x_share", bureau=bureau, reached=reached,
                              target=f"{float(target_of(bureau)):.1%}", short=short))
    return lines


MESSAGES = {
    "x_share_head": {"en": "{rule}{given}:", "zh": "{rule}{given}："},
    "x_share": {"en": "bureau {bureau}: can reach at most {reached} (target {target}), "
                      "{short} officer(s) short",
                "zh": "{bureau}：最多只能达到 {reached}（目标 {target}），差 {short} 人"},
}
