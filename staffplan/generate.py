"""Synthetic cities in the data contract, shaped like the Lianyungang reform's starting point.

Before the reform headquarters are overstaffed, posts short of officers, some officers are
borrowed by headquarters from stations, and a cohort of recruits waits to be placed. The
numbers are chosen so that the plan with the fewest moves lands on the article's figures
when asked to (``posts=630, community_officers=726``). Names are synthetic. The same seed
gives the same files, byte for byte.
"""

from __future__ import annotations

import csv
import io
import math
import random
from dataclasses import dataclass, field
from datetime import date, timedelta
from fractions import Fraction
from pathlib import Path

from staffplan.i18n import t
from staffplan.report.output import write_set

PLAN_DATE = date(2021, 6, 30)
# Every file write_instance writes: one set (horizon.yaml only with steps > 1).
CITY_FILES = ("units.csv", "officers.csv", "scenario.yaml", "history.csv", "promotions.yaml",
              "horizon.yaml")
STATION_SHARE = {"county": Fraction(445, 1000), "district": Fraction(558, 1000)}
COMMUNITY_SHARE = Fraction(48, 100)
COUNTIES = ["东海", "灌云", "灌南"]
DISTRICTS = ["海州", "连云", "赣榆"]
HQ_UNITS = ["指挥中心", "刑警大队", "治安大队", "交警大队", "网安大队", "经侦大队", "禁毒大队",
            "政工室", "警务保障室", "法制大队", "出入境管理大队", "特警大队"]
PLACES = "东西南北中新城港湾河山岭桥塘湖田林园庄集镇"
SURNAMES = ("王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖"
            "田董袁潘蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方"
            "白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤")
GIVEN = ("伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉萍红娥玲芬燕"
         "彬鹏辉建国志宏海波斌浩宇凯鑫亮晨阳雪梅琳欣怡晓东峰俊文博健飞宁")


@dataclass
class City:
    units: list[dict]
    officers: list[dict]
    history: list[dict] = field(default_factory=list)  # postings (history.csv)
    round: str = ""  # the promotion round (promotions.yaml)


def _bureau_plan(force: int, kind: str) -> tuple[int, int, int]:
    """Final force -> (recruits, station strength target, post establishment)."""
    recruits = max(1, round(force * 0.03))
    station = math.ceil(STATION_SHARE[kind] * force)
    posts_est = math.ceil(COMMUNITY_SHARE * station)
    return recruits, station, posts_est


def _forces(officers: int, kinds: list[str], community_officers: int | None, rng) -> list[int]:
    weights = [0.8 + 0.4 * rng.random() for _ in kinds]
    # Districts are the larger bureaus, as in a city's centre.
    weights = [w * (1.35 if k == "district" else 1.0) for w, k in zip(weights, kinds)]
    total = sum(weights)
    forces = [max(60, int(officers * w / total)) for w in weights]
    if community_officers is not None:
        # Grow or shrink the bureaus one officer at a time until the post establishment
        # (the officers the posts need) is exactly the requested number.
        def est():
            return sum(_bureau_plan(f, k)[2] for f, k in zip(forces, kinds))

        i = 0
        while est() < community_officers:
            forces[i % len(forces)] += 1
            i += 1
        while est() > community_officers:
            forces[i % len(forces)] -= 1
            i += 1
    return forces


# A generated city's officers: a province has about 100,000; memory grows with the number.
MAX_OFFICERS = 1_000_000


def make_city(officers: int = 3000, seed: int = 2021, posts: int | None = None,
              community_officers: int | None = None, centre_duty: int | None = None,
              steps: int = 1) -> City:
    """A city whose roster is the one before the reform. ``steps`` > 1: a plan over that
    many yearly steps ending at PLAN_DATE; the roster is the first step's, recruits arrive
    each year, some officers leave (``leaves``), and posts may hold fewer officers than their
    establishment (min_staff 1), so targets can ramp up. More than ``MAX_OFFICERS``
    officers (or more steps than a scenario may have) is a ValueError, before anything is
    built."""
    from staffplan.config import MAX_STEPS

    if officers > MAX_OFFICERS:
        raise ValueError(t("generate_too_many", n=f"{officers:,}", limit=f"{MAX_OFFICERS:,}"))
    if not 1 <= steps <= MAX_STEPS + 1:
        raise ValueError(t("generate_steps", limit=MAX_STEPS + 1))
    rng = random.Random(seed)
    dates = [PLAN_DATE.replace(year=PLAN_DATE.year - steps + 1 + i) for i in range(steps)]
    start = dates[0]
    n_bureaus = max(2, round(officers / 500))
    names, kinds = [], []
    for i in range(n_bureaus):
        if i % 2 == 0:
            kinds.append("county")
            base = COUNTIES[(i // 2) % len(COUNTIES)]
            names.append(f"{base}县公安局" if i < 6 else f"{base}{i // 6 + 1}县公安局")
        else:
            kinds.append("district")
            base = DISTRICTS[(i // 2) % len(DISTRICTS)]
            names.append(f"{base}公安分局" if i < 6 else f"{base}{i // 6 + 1}公安分局")
    forces = _forces(officers, kinds, community_officers, rng)
    plans = [_bureau_plan(f, k) for f, k in zip(forces, kinds)]
    est_total = sum(p[2] for p in plans)
    n_posts_total = posts if posts is not None else round(est_total * 630 / 726)
    # Posts per bureau, in proportion to its establishment; each post needs 1 or 2 officers.
    n_posts = [max(1, min(p[2], round(n_posts_total * p[2] / est_total))) for p in plans]
    i = 0
    while sum(n_posts) != n_posts_total:
        j = i % len(n_posts)
        step = 1 if sum(n_posts) < n_posts_total else -1
        if 1 <= n_posts[j] + step <= plans[j][2] and 2 * (n_posts[j] + step) >= plans[j][2]:
            n_posts[j] += step
        i += 1
        if i > 100 * len(n_posts) + n_posts_total:
            raise ValueError(t("generate_posts"))
    units: list[dict] = []
    officers_out: list[dict] = []
    retiring: set[str] = set()
    serial = [0]

    def new_officer(unit: str, bureau: str | None = None, **extra) -> dict:
        serial[0] += 1
        name = rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2))))
        hired = date(1988, 1, 1) + timedelta(days=rng.randrange(0, (start - date(1988, 7, 1)).days))
        row = {"id": f"P{serial[0]:06d}", "name": name, "unit": unit, "home_unit": "",
               "community_since": "", "hired": hired.isoformat(), "pinned": "",
               "move_approved": "", "bureau": bureau or ""}
        row.update(extra)
        officers_out.append(row)
        return row

    for bi, (kind, name, force, plan, n_post) in enumerate(zip(kinds, names, forces, plans,
                                                               n_posts)):
        recruits, station_target, posts_est = plan
        bid = f"B{bi + 1:02d}"
        # Over several steps: recruits every year, and about 2% of the force leaves a year.
        yearly = [recruits] * steps
        leaving = [0] + [max(1, round(force * 0.02)) for _ in dates[1:]]
        recruits = sum(yearly)
        existing = force - recruits + sum(leaving)
        area = "rural" if kind == "county" else "urban"
        units.append({"id": bid, "name": name, "kind": kind, "parent": "", "area": "",
                      "min_staff": "", "max_staff": ""})
        n_stations = max(1, round(n_post / 6))
        stations = [f"{bid}-S{s + 1:02d}" for s in range(n_stations)]
        for s, sid in enumerate(stations):
            place = PLACES[(bi * 7 + s) % len(PLACES)] + PLACES[(s * 3 + bi) % len(PLACES)]
            # A district's first station is its busy centre: it may keep more for daytime duty.
            duty = str(centre_duty) if centre_duty and kind == "district" and s == 0 else ""
            units.append({"id": sid, "name": f"{place}派出所", "kind": "station", "parent": bid,
                          "area": area, "min_staff": "", "max_staff": "", "duty_min": duty})
        post_ids, post_min = [], []
        for p in range(n_post):
            sid = stations[p % n_stations]
            pid = f"{sid}-P{p // n_stations + 1:02d}"
            post_ids.append(pid)
            post_min.append(2 if p < posts_est - n_post else 1)
        post_floor = [1 if steps > 1 else m for m in post_min]
        order = list(range(n_post))
        rng.shuffle(order)
        for p in range(n_post):
            pid = post_ids[p]
            units.append({"id": pid, "name": f"第{p + 1}社区警务室", "kind": "post",
                          "parent": pid.rsplit("-", 1)[0], "area": "",
                          "min_staff": str(post_floor[p]), "max_staff": str(post_min[p])})
        n_hq = min(len(HQ_UNITS), max(2, round(existing / 40)))
        hq = [f"{bid}-H{h + 1:02d}" for h in range(n_hq)]
        for h, hid in enumerate(hq):
            units.append({"id": hid, "name": HQ_UNITS[h], "kind": "hq", "parent": bid,
                          "area": "", "min_staff": "", "max_staff": ""})
        # The starting point: station side short, posts short, headquarters overstaffed.
        borrowed = max(1, round(existing * 0.02))
        deficit = max(1, round(station_target * 0.16))
        station_side = max(n_stations + 1, station_target - recruits - borrowed - deficit)
        at_posts = min(round(posts_est * 0.6), station_side - n_stations)
        at_stations = station_side - at_posts
        at_hq = existing - station_side
        if at_hq < borrowed + n_hq:
            raise ValueError(t("generate_too_few", bureau=bid))
        # Posts: fill up to their minimum, in a shuffled order, leaving some empty.
        filled = 0
        for p in order:
            for _ in range(post_min[p]):
                if filled == at_posts:
                    break
                since = start - timedelta(days=rng.randrange(60, 365 * 9))
                extra = {"community_since": since.isoformat()}
                if since > date(start.year - 3, start.month, start.day) and rng.random() < 0.08:
                    extra["move_approved"] = "true"
                if rng.random() < 0.01:
                    extra["pinned"] = "true"
                new_officer(post_ids[p], **extra)
                filled += 1
        for k in range(at_stations):
            extra = {"pinned": "true"} if rng.random() < 0.01 else {}
            new_officer(stations[k % n_stations], **extra)
        homes = stations  # officers are borrowed from stations (借调)
        hq_count = [0] * n_hq
        for k in range(at_hq):
            h = k % n_hq
            hq_count[h] += 1
            extra = {}
            if k < borrowed:
                extra["home_unit"] = homes[rng.randrange(len(homes))]
            elif rng.random() < 0.01:
                extra["pinned"] = "true"
            new_officer(hq[h], **extra)
        # Headquarters keep at least 60% of their people: the reform thins them, not empties.
        for h, hid in enumerate(hq):
            row = next(u for u in units if u["id"] == hid)
            row["min_staff"] = str(math.floor(hq_count[h] * 0.6))
        for day, n in zip(dates, yearly):
            for _ in range(n):
                r = new_officer("", bureau=bid)
                r["hired"] = day.replace(day=1).isoformat()
        # Officers who leave the force between two steps (retirement, end of service).
        serving = [o for o in officers_out if o["unit"] and o["id"] not in retiring
                   and not o["pinned"] and not o["home_unit"] and o["unit"].startswith(bid)]
        for k in range(1, steps):
            for o in rng.sample(serving, leaving[k]):
                o["leaves"] = (dates[k - 1] + timedelta(days=rng.randrange(1, 366))).isoformat()
                retiring.add(o["id"])
                serving.remove(o)
    return City(units, officers_out)


UNIT_FIELDS = ["id", "name", "kind", "parent", "area", "min_staff", "max_staff", "duty_min"]
OFFICER_FIELDS = ["id", "name", "unit", "home_unit", "community_since", "hired", "pinned",
                  "move_approved", "bureau", "leaves", "rank", "rank_since", "score"]
HISTORY_FIELDS = ["officer_id", "unit", "role", "start", "end"]

SCENARIO = """\
name: {name}
plan_date: {plan_date}
units: units.csv
officers: officers.csv
rules:
  min_community_tenure_years: 3
  station_share: {{county: 0.445, district: 0.558}}
  community_share: 0.48
  staff_every_post: true
  new_hires_to_stations: true
  return_borrowed: true
  stay_in_bureau: true
  unit_bounds: true
  no_borrowing_from_stations: true
  daytime_duty: {{urban: {urban}, rural: {rural}}}
budget:
  community_officer_yuan: 30000
"""


# A plan over several steps ramps the targets up to the article's, from these at step 1.
RAMP_FROM = {"county": 0.40, "district": 0.50, "community": 0.40}
RAMP_TO = {"county": 0.445, "district": 0.558, "community": 0.48}


def _ramp(k: int, n: int) -> dict:
    """Targets at step k of n: from RAMP_FROM to RAMP_TO, evenly."""
    f = k / (n - 1)
    return {key: round(RAMP_FROM[key] + f * (RAMP_TO[key] - RAMP_FROM[key]), 3)
            for key in RAMP_TO}


def horizon_yaml(name: str, dates: list[date], duty: dict) -> str:
    """The scenario that plans every step together (``horizon:``), targets ramping up (the
    daytime duty minimums too, from two officers fewer at a rural station, one fewer at an
    urban one)."""
    first = _ramp(0, len(dates))

    def duty_at(k: int) -> str:
        left = len(dates) - 1 - k
        return (f"daytime_duty: {{urban: {duty['urban'] - min(left, 1)}, "
                f"rural: {duty['rural'] - min(2 * left, 2)}}}") if duty else ""

    text = SCENARIO.format(name=name, plan_date=dates[0].isoformat(),
                           urban=duty.get("urban", "null"), rural=duty.get("rural", "null"))
    if duty:
        text = text.replace(f"daytime_duty: {{urban: {duty['urban']}, rural: {duty['rural']}}}",
                            duty_at(0))
    text = text.replace("station_share: {county: 0.445, district: 0.558}",
                        f"station_share: {{county: {first['county']}, "
                        f"district: {first['district']}}}")
    text = text.replace("community_share: 0.48", f"community_share: {first['community']}")
    lines = ["horizon:"]
    for k, day in enumerate(dates[1:], start=1):
        r = _ramp(k, len(dates))
        extra = f", {duty_at(k)}" if duty else ""
        lines += [f"  - date: {day.isoformat()}",
                  f"    rules: {{station_share: {{county: {r['county']}, "
                  f"district: {r['district']}}}, community_share: {r['community']}{extra}}}"]
    return text + "\n".join(lines) + "\n"


def _csv(rows: list[dict], fields: list[str]) -> str:
    buf = io.StringIO()
    w = csv.DictWriter(buf, fieldnames=fields, lineterminator="\n")
    w.writeheader()
    w.writerows(rows)
    return buf.getvalue()


def write_instance(out_dir: Path, officers: int = 3000, seed: int = 2021, posts: int | None = None,
                   community_officers: int | None = None, name: str | None = None,
                   duty: dict | None = None, steps: int = 1,
                   postings: int | None = None) -> list[Path]:
    """Write units.csv, officers.csv and scenario.yaml (the plan at PLAN_DATE); with
    ``steps`` > 1 also horizon.yaml, the yearly steps up to PLAN_DATE planned together; and
    the promotion round: history.csv and promotions.yaml (``postings``: that many postings
    per officer, else 1 to 6). ``duty``: daytime duty minimums (``urban``, ``rural``,
    ``centre`` for a district's first station); none by default."""
    duty = duty or {}
    city = make_city(officers, seed, posts, community_officers, duty.get("centre"), steps)
    name = name or f"synthetic city, {officers} officers, seed {seed}"
    add_promotion_round(city, seed, name, postings)
    out_dir = Path(out_dir)
    files = {
        "units.csv": _csv(city.units, UNIT_FIELDS),
        "officers.csv": _csv(city.officers, OFFICER_FIELDS),
        "scenario.yaml": SCENARIO.format(
            name=name, plan_date=PLAN_DATE.isoformat(),
            urban=duty.get("urban", "null"), rural=duty.get("rural", "null")),
        "history.csv": _csv(city.history, HISTORY_FIELDS),
        "promotions.yaml": city.round,
    }
    if steps > 1:
        dates = [PLAN_DATE.replace(year=PLAN_DATE.year - steps + 1 + i) for i in range(steps)]
        files["horizon.yaml"] = horizon_yaml(
            f"{name}, {dates[0].year}–{dates[-1].year}", dates, duty)
    # One set, as a plan's files (staffplan.report.output): all of them or none, and a city
    # written over another leaves none of the other's files (its horizon.yaml) beside it.
    # The working folder is written in place.
    write_set(out_dir, files, owned=CITY_FILES, here=True)
    return [out_dir / name for name in files]


# --- The promotion round (干部从基层出): ranks, scores, the posting history ------------------

PROMOTION_DATE = date(2021, 12, 31)
LADDER = ["一级警员", "四级警长", "三级警长", "二级警长", "一级警长", "四级高级警长",
          "三级高级警长", "二级高级警长", "一级高级警长"]
HQ_FAVOURED = "B02"  # its headquarters officers score higher: without the rate rule they win
NEW_CHIEFS = "B03"  # its station chiefs are all recent: no one has 3 years as chief

ROUND = """\
# The promotion round of {name} (干部从基层出): history.csv is the posting history.
extends: scenario.yaml
name: {name} — promotion round
promotions:
  date: {date}
  history: history.csv
  ladder: [{ladder}]
  min_years_in_rank: 2
  rank_slots: {{{rank}}}
  openings:
    station_leader: {{{station}}}
    bureau_leader: {{{bureau}}}
  rules:
    bureau_leader_min_chief_years: 3        # 提任县级公安机关领导：3年以上派出所所长工作经历
    station_leader_min_station_years: 3     # 提任派出所领导：3年以上派出所工作经历
    station_rate_over_hq: 1.3               # 派出所晋升比例高于机关30%
    prefer_community_experience: true       # 优先选用有社区警务工作经历的优秀民警
"""


def _day_between(rng, lo: date, hi: date) -> date:
    return lo + timedelta(days=rng.randrange(0, max(1, (hi - lo).days)))


def add_promotion_round(city: City, seed: int, name: str, postings: int | None = None) -> None:
    """Ranks, scores and a posting history for every officer, and the round's scenario.

    Drawn from a random stream of their own, so the staffing columns stay exactly as
    ``make_city`` wrote them. Each station has a chief and deputies among its officers, each
    bureau two leaders at headquarters; earlier postings run back to the hire date, some
    overlapping (counted once), some at posts (community experience), a few as chief."""
    rng = random.Random(seed * 1_000_003 + 17)
    parent = {u["id"]: u["parent"] for u in city.units}
    kind = {u["id"]: u["kind"] for u in city.units}

    def bureau(unit: str) -> str:
        while kind[unit] not in ("county", "district"):
            unit = parent[unit]
        return unit

    units_of: dict[str, dict[str, list[str]]] = {}
    for u in city.units:
        if u["kind"] in ("hq", "station", "post"):
            units_of.setdefault(bureau(u["id"]), {"hq": [], "station": [], "post": []})[
                u["kind"]].append(u["id"])
    role_now: dict[str, str] = {}
    at_unit: dict[str, list[str]] = {}
    for o in city.officers:
        if o["unit"]:
            at_unit.setdefault(o["unit"], []).append(o["id"])
    for u in city.units:
        ids = at_unit.get(u["id"], [])
        if u["kind"] == "station":
            for i, oid in enumerate(ids[:3]):
                role_now[oid] = "chief" if i == 0 else "deputy"
    for groups in units_of.values():
        hq_ids = [oid for h in groups["hq"] for oid in at_unit.get(h, [])]
        for oid in hq_ids[-2:]:
            role_now[oid] = "leader"
    promo = PROMOTION_DATE
    history = city.history
    for o in city.officers:
        hired = date.fromisoformat(o["hired"])
        unit = o["unit"]
        if not unit:
            o.update(rank=LADDER[0], rank_since=o["hired"], score="")
            continue
        b = bureau(unit)
        served = (PLAN_DATE - hired).days / 365.25
        step = min(len(LADDER) - 1, max(0, int(served / 4) + rng.choice((-1, 0, 0, 1))))
        since = _day_between(rng, max(hired, promo - timedelta(days=365 * 7)),
                             PLAN_DATE - timedelta(days=10))
        score = rng.randrange(600, 1000)
        if b == HQ_FAVOURED and kind[unit] == "hq":
            score = min(1000, score + 80)
        o.update(rank=LADDER[step], rank_since=since.isoformat(), score=f"{score / 10:.1f}")
        role = role_now.get(o["id"], "officer")
        if o["community_since"]:
            start = date.fromisoformat(o["community_since"])
        elif role == "chief" and b == NEW_CHIEFS:
            start = _day_between(rng, promo - timedelta(days=895), PLAN_DATE - timedelta(days=60))
        else:
            start = _day_between(rng, max(hired, PLAN_DATE - timedelta(days=365 * 8)),
                                 PLAN_DATE - timedelta(days=30))
        start = max(start, hired)
        rows = []
        span = (start - hired).days
        n_past = (postings - 1) if postings is not None else rng.randrange(0, 6)
        n_past = min(n_past, span // 30)
        cuts = sorted(rng.sample(range(1, span), n_past)) if n_past else []
        bounds = [hired] + [hired + timedelta(days=c) for c in cuts] + [start]
        groups = units_of[b]
        for i in range(n_past):
            lo, hi = bounds[i], bounds[i + 1]
            pick = rng.random()
            where = "station" if pick < 0.45 else ("post" if pick < 0.7 else "hq")
            past = rng.choice(groups[where] or groups["station"])
            r = rng.random()
            past_role = "officer"
            if kind[past] == "station" and b != NEW_CHIEFS and r < 0.12:
                past_role = "chief"
            elif kind[past] == "station" and r < 0.27:
                past_role = "deputy"
            elif kind[past] == "hq" and r < 0.03:
                past_role = "leader"
            end = hi
            if past_role == "officer" and rng.random() < 0.1:
                end = hi + timedelta(days=rng.randrange(1, 60))  # overlaps the next: counted once
            elif rng.random() < 0.05:
                end = hi - timedelta(days=rng.randrange(0, max(1, (hi - lo).days // 2)))  # a gap
            rows.append({"officer_id": o["id"], "unit": past, "role": past_role,
                         "start": lo.isoformat(), "end": end.isoformat()})
        if postings is not None:  # too short a career for that many: secondments alongside
            for _ in range(postings - 1 - n_past):
                lo = _day_between(rng, start, PLAN_DATE - timedelta(days=2))
                rows.append({"officer_id": o["id"], "unit": rng.choice(groups["hq"]),
                             "role": "officer", "start": lo.isoformat(),
                             "end": _day_between(rng, lo + timedelta(days=1),
                                                 PLAN_DATE).isoformat()})
        history.extend(rows)
        history.append({"officer_id": o["id"], "unit": unit, "role": role,
                        "start": start.isoformat(), "end": ""})
    force: dict[str, int] = {}
    for o in city.officers:
        if o["unit"]:
            force[bureau(o["unit"])] = force.get(bureau(o["unit"]), 0) + 1
    bureaus = [u["id"] for u in city.units if u["kind"] in ("county", "district")]
    rank = ", ".join(f"{b}: {max(1, round(force.get(b, 0) * 0.03))}" for b in bureaus)
    station = ", ".join(f"{b}: {max(1, len(units_of[b]['station']) // 4)}" for b in bureaus)
    leader = ", ".join(f"{b}: 1" for b in bureaus if b != NEW_CHIEFS)
    city.round = ROUND.format(name=name, date=promo.isoformat(), ladder=", ".join(LADDER),
                              rank=rank, station=station, bureau=leader)
