"""Urban stations keep officers for daytime duty without their community officers; rural
stations may count them.
城区派出所原则不安排社区民警白天值班，农村派出所可适当安排社区民警参加白天值班."""

from __future__ import annotations

from staffplan.bounds import HeadCount
from staffplan.domain import Kind
from staffplan.i18n import area_name, t
from staffplan.results import Violation
from staffplan.rules.base import Rule, Settings

Count = HeadCount


class DutyMinimum(Settings):
    """Officers a station keeps for daytime duty, by area, where the units file gives no
    `duty_min` (null: no minimum)."""

    urban: Count | None = None
    """An urban station (城区派出所): officers at the station itself, its posts not counted."""
    rural: Count | None = None
    """A rural station (农村派出所): officers at the station and its posts together."""


RULE = Rule("daytime_duty", "daytime duty cover", "派出所白天值班警力",
            key="daytime_duty", default=DutyMinimum(), type=DutyMinimum | None,
            doc="per station: officers for daytime duty ≥ its minimum (units column `duty_min`, "
                "else by area); an urban station counts only officers at the station itself, "
                "a rural one its posts' officers too",
            doc_zh="各派出所白天值班警力不低于最低人数（单位表 duty_min 列，否则按城区/农村设定）；"
                   "城区派出所只计所内民警，农村派出所可计入警务室民警",
            about="unit")

WARNINGS = ("station_without_area",)  # its warning kinds (labels: warn_<kind>)

MESSAGES = {
    "w_no_area": {"en": "station {station} has no area (urban or rural) and no duty_min in the "
                        "units file: its daytime duty cover is not checked",
                  "zh": "派出所 {station} 在单位表中既无区域（城区或农村）也无 duty_min："
                        "未检查其白天值班警力"},
    "warn_station_without_area": {"en": "station without an area: daytime duty not checked",
                                  "zh": "派出所无区域：未检查白天值班"},
    "v_duty": {"en": "station {station} ({area}) has {n} officer(s) for daytime duty, below its "
                     "minimum {min}",
               "zh": "派出所 {station}（{area}）白天值班警力 {n} 人，低于最低 {min} 人"},
    "x_duty": {"en": "{rule}{given}: {n} station(s) short by {short} officer(s) in all: {units}",
               "zh": "{rule}{given}：{n} 个派出所共差 {short} 人：{units}"},
    # One station in that list: its minimum for daytime duty, and how many it lacks.
    "x_duty_station": {"en": "{unit} (needs {min} for daytime duty, {short} short)",
                       "zh": "{unit}（白天值班需 {min} 人，差 {short} 人）"},
}


def _need(s, station) -> int | None:
    if station.duty_min is not None:
        return station.duty_min
    by_area = s.rules.daytime_duty
    return getattr(by_area, station.area) if station.area in ("urban", "rural") else None


def constrain(s, build) -> None:
    org = s.organisation
    posts: dict[str, list[str]] = {}
    for u in org.posts:
        posts.setdefault(u.parent, []).append(u.id)
    for station in org.staffed_units:
        if station.kind is not Kind.STATION or station.closed:
            continue
        need = _need(s, station)
        if not need:
            continue
        on_duty = build.final(station.id)
        if station.area == "rural":
            on_duty = on_duty + build.total(posts.get(station.id, []))
        build.at_least(RULE, station.id, on_duty, need)


def check(s, roster, result) -> None:
    by_area = s.rules.daytime_duty
    at_posts: dict[str, int] = {}
    for u in roster.units.values():
        if u.kind is Kind.POST and not u.closed:
            at_posts[u.parent] = at_posts.get(u.parent, 0) + roster.count[u.id]
    for u in roster.units.values():
        if u.kind is not Kind.STATION or u.closed:
            continue
        minimum = u.duty_min
        if minimum is None and u.area in ("urban", "rural"):
            minimum = getattr(by_area, u.area)
        if not minimum:
            continue
        result.checked += 1
        n = roster.count[u.id] + (at_posts.get(u.id, 0) if u.area == "rural" else 0)
        if n < minimum:
            result.fail(u.id, t("v_duty", station=u.id, area=area_name(u.area), n=n, min=minimum),
                        {"officers": n, "duty_min": minimum}, "unit")


def warnings(s, roster) -> list[Violation]:
    """A station the rule cannot judge (no area, no ``duty_min``) while it sets a minimum by
    area: said, never passed in silence."""
    by_area = s.rules.daytime_duty
    if by_area is None or (by_area.urban is None and by_area.rural is None):
        return []
    return [Violation("station_without_area", u.id, t("w_no_area", station=u.id), about="unit")
            for u in roster.units.values()
            if u.kind is Kind.STATION and not u.closed and u.duty_min is None and u.area is None]


def shortfall(relaxed) -> list[str]:
    stations = relaxed.short_subjects()
    parts = [t("x_duty_station", unit=u,
               min=_need(relaxed.scenario, relaxed.scenario.organisation[u]),
               short=relaxed.short[u]) for u in stations[:6]]
    return [t("x_duty", rule=relaxed.label, given=relaxed.given, n=len(stations),
              short=sum(relaxed.short.values()),
              units=", ".join(parts) + (" ..." if len(stations) > 6 else ""))]
