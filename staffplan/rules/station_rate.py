"""In rank promotion, a bureau's stations promote at a higher rate than its headquarters.
在执法勤务职级晋升中，派出所晋升比例高于机关30%."""

from __future__ import annotations

from fractions import Fraction
from typing import Annotated

from pydantic import AfterValidator

from staffplan.bounds import Years
from staffplan.domain import Kind, as_fraction
from staffplan.i18n import t
from staffplan.rules import _promotion
from staffplan.rules.base import Rule, _exact, setting

RULE = Rule("station_rate", "station promotion rate over headquarters'",
            "派出所晋升比例高于机关30%", key="station_rate_over_hq", default=1.3,
            type=Annotated[Years, AfterValidator(_exact)] | None, section="promotions.rules",
            doc="per bureau: rank promotions at stations and posts / officers there ≥ this × "
                "rank promotions at headquarters / officers there (exact; holds when a side has "
                "no officers)",
            doc_zh="各局职级晋升中，派出所（含警务室）晋升人数/其民警数 ≥ 该倍数 × 机关晋升人数/"
                   "机关民警数（精确比较；一方没有民警时视为满足）",
            about="bureau")

MESSAGES = {
    "pv_rate": {"en": "bureau {bureau}: stations and posts promote {s} of {S} ({srate}), below "
                      "{rate} × headquarters' {h} of {H} ({hrate})",
                "zh": "{bureau}：派出所晋升 {s}/{S}（{srate}），"
                      "低于机关 {h}/{H}（{hrate}）的 {rate} 倍"},
}


def enabled(value) -> bool:
    return value is not None


def _pct(x: Fraction) -> str:
    return f"{float(x) * 100:.2f}%"


# --- model side ----------------------------------------------------------------------------

def constrain(r, build) -> None:
    """s / S >= rate * h / H, in whole numbers: den*H*s - num*S*h >= 0. When every slot is
    filled (h = R - s) that is exactly s >= ceil(num*S*R / (den*H + num*S)): the same whole
    numbers, as a bound that keeps the model's relaxation integral."""
    rate = setting(r.scenario.config, RULE)
    if rate is None:
        return
    target = as_fraction(rate)
    num, den = target.numerator, target.denominator
    for bureau in build.bureaus():
        station, hq = build.officers_at(bureau, "station"), build.officers_at(bureau, "hq")
        if not station or not hq:
            continue
        at_stations = build.count("rank", bureau, "station")
        if build.partial(bureau):
            build.at_least(RULE, bureau, den * hq * at_stations
                           - num * station * build.count("rank", bureau, "hq"), 0)
        else:
            rank = build.slots(bureau, "rank")
            build.at_least(RULE, bureau, at_stations,
                           -(-num * station * rank // (den * hq + num * station)))


# --- check side ----------------------------------------------------------------------------

def check(r, listing, result) -> None:
    rate = setting(r.scenario.config, RULE)
    if rate is None:
        return
    target = Fraction(str(rate))
    org = r.scenario.organisation
    officers: dict[str, list[int]] = {b.id: [0, 0] for b in org.bureaus}  # [station, hq]
    for o in r.scenario.officers:
        if o.unit is not None:
            officers[org.bureau_of(o.unit)][org[o.unit].kind is Kind.HQ] += 1
    promoted: dict[str, list[int]] = {b.id: [0, 0] for b in org.bureaus}
    for e in listing.entries:
        o = r.scenario.officer_by_id[e.officer]
        if e.track == "rank" and o.unit is not None:
            promoted[org.bureau_of(o.unit)][org[o.unit].kind is Kind.HQ] += 1
    for b in org.bureaus:
        (big_s, big_h), (s, h) = officers[b.id], promoted[b.id]
        result.checked += 1
        if not big_s or not big_h:
            continue
        if Fraction(s, big_s) < target * Fraction(h, big_h):
            result.fail(b.id, t("pv_rate", bureau=b.id, s=s, S=big_s,
                                srate=_pct(Fraction(s, big_s)), rate=_promotion.number(rate), h=h,
                                H=big_h, hrate=_pct(Fraction(h, big_h))),
                        {"station_promotions": s, "station_officers": big_s,
                         "hq_promotions": h, "hq_officers": big_h, "rate": rate,
                         "key": RULE.path}, "bureau")
