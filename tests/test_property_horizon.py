"""Random small horizons (issue 12): the planner's fewest moves over every step equal the
minimum of the obvious officer x unit x step model (benchmarks/baseline_horizon.py), every
plan either returns passes the independent checker step by step, and, where the instance is
tiny, both equal a brute force over every assignment judged by the checker alone.

Instances go through the real loader (CSV + YAML with a ``horizon:`` in a temporary
folder), so arrivals (``hired``), leavers (``leaves``, ``retire``), recruits per step,
rules merged step by step and units closed at a later step are the loader's.

CI runs ``HORIZON_EXAMPLES`` examples (default 150) from a fixed seed. For a long local
run: ``HORIZON_EXAMPLES=5000 HORIZON_SEED=7 python -m pytest tests/test_property_horizon.py``.
"""

from __future__ import annotations

import importlib
import itertools
import os
import sys
import tempfile
from datetime import date
from pathlib import Path

import yaml
from hypothesis import HealthCheck, event, given, seed, settings
from hypothesis import strategies as st

from staffplan.check import carried_over, check, check_steps
from staffplan.io.roster import OFFICER_COLUMNS, UNIT_COLUMNS, load_scenario
from staffplan.plan import make_plan
from staffplan.results import Status
from tests.conftest import write_csv

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "benchmarks"))

solve_horizon_baseline = importlib.import_module("baseline_horizon").solve_horizon_baseline

EXAMPLES = int(os.environ.get("HORIZON_EXAMPLES", "150"))
SEED = int(os.environ.get("HORIZON_SEED", "12"))

LEAP = os.environ.get("HORIZON_LEAP", "1") == "1"  # 0: no leap-day dates (see LEAP_DATES)

PLAN_DATE = date(2019, 6, 30)
# Later steps: a year apart mostly, sometimes half a year or two years.
GAPS = [(1, 0), (1, 0), (1, 0), (0, 6), (2, 0)]
# Dates officers came to their post: tenure of 1 to 3 years runs out at different steps.
SINCE = [date(2015, 5, 1), date(2016, 9, 1), date(2017, 6, 30), date(2018, 1, 15),
         date(2018, 7, 1), date(2019, 3, 1)]
# Steps at the end of February, one on 29 February, and posts taken up on 29 February:
# where counting full years on the calendar is easy to get wrong.
LEAP_DATES = [[date(2020, 2, 29), date(2021, 2, 28), date(2022, 2, 28)],
              [date(2019, 2, 28), date(2020, 2, 29), date(2021, 2, 28)]]
LEAP_SINCE = [date(2016, 2, 29), date(2017, 2, 28), date(2018, 3, 1), date(2019, 2, 28)]
SHARES = [None, 0.3, 0.5, 0.6]


def _later(d: date, gap: tuple[int, int]) -> date:
    """``gap`` (years, months) after ``d``; a day the month does not have becomes its last."""
    years, months = gap
    m = d.month - 1 + months
    year, month = d.year + years + m // 12, m % 12 + 1
    for day in (d.day, 30, 29, 28):
        try:
            return date(year, month, min(d.day, day))
        except ValueError:
            continue
    raise AssertionError(d)


def _bounds(draw) -> dict:
    lo = draw(st.sampled_from(["", "", "", "0", "1", "2"]))
    hi = draw(st.sampled_from(["", "", "", "1", "2", "3"]))
    if lo and hi and int(lo) > int(hi):
        lo, hi = hi, lo
    return {"min_staff": lo, "max_staff": hi}


def _rules(draw, first: bool) -> dict:
    """Step 0's rules in full; a later step's overrides (each key changed or left)."""
    options = {
        "min_community_tenure_years": st.sampled_from([None, 0, 1, 2, 3, 3]),
        "station_share": st.sampled_from([None, "pair"]),
        "community_share": st.sampled_from([None, None, None, 0.3, 0.5]),
        "staff_every_post": st.booleans(),
        "new_hires_to_stations": st.booleans(),
        "return_borrowed": st.booleans(),
        "stay_in_bureau": st.booleans(),
        "unit_bounds": st.sampled_from([False, False, True]),
        "no_borrowing_from_stations": st.booleans(),
        "daytime_duty": st.sampled_from([None, None, "none", "some"]),
    }
    out = {}
    for key, strategy in options.items():
        if not first and draw(st.integers(0, 2)):
            continue  # a later step changes a rule now and then
        value = draw(strategy)
        if value == "pair":
            value = {"county": draw(st.sampled_from(SHARES)),
                     "district": draw(st.sampled_from(SHARES))}
        elif value == "none":
            value = {"urban": None, "rural": None}
        elif value == "some":
            value = {"urban": draw(st.sampled_from([None, 1])),
                     "rural": draw(st.sampled_from([None, 1, 2]))}
        out[key] = value
    return out


def _day_after(d: date) -> date:
    return date.fromordinal(d.toordinal() + 1)


@st.composite
def horizons(draw, max_officers: int = 8):
    """(units rows, officers rows, scenario dict, more files) of a small city over 2 or 3
    steps."""
    n_steps = draw(st.integers(2, 3))
    leap = LEAP and draw(st.integers(0, 3)) == 0
    if leap:
        dates = draw(st.sampled_from(LEAP_DATES))[:n_steps]
    else:
        dates = [PLAN_DATE]
        for _ in range(n_steps - 1):
            dates.append(_later(dates[-1], draw(st.sampled_from(GAPS))))
    since = LEAP_SINCE if leap else SINCE
    units: list[dict] = []
    posts, hqs, stations, bureaus = [], [], [], []
    for b in range(draw(st.integers(1, 2))):
        bid = f"B{b}"
        bureaus.append(bid)
        units.append({"id": bid, "kind": draw(st.sampled_from(["county", "district"])),
                      "parent": ""})
        if draw(st.integers(0, 2)):
            units.append({"id": f"H{b}", "kind": "hq", "parent": bid, **_bounds(draw)})
            hqs.append(f"H{b}")
        for s in range(draw(st.integers(1, 2 - b))):
            sid = f"S{b}{s}"
            units.append({"id": sid, "kind": "station", "parent": bid,
                          "area": draw(st.sampled_from(["urban", "rural"])), **_bounds(draw),
                          "duty_min": draw(st.sampled_from(["", "", "1", "2"]))})
            stations.append(sid)
            for p in range(draw(st.integers(0, 2 - b))):
                units.append({"id": f"P{b}{s}{p}", "kind": "post", "parent": sid,
                              **_bounds(draw)})
                posts.append(f"P{b}{s}{p}")
    staffed = [u["id"] for u in units if u["parent"]]

    rules = _rules(draw, True)

    def someone(oid: str, at: str, first: bool) -> dict:
        row = {"id": oid, "name": f"n{oid}", "unit": at}
        # a post date is needed while step 0's tenure rule is on; without it, a later step's
        # tenure rule does not hold the officer
        if at in posts and (not first or rules["min_community_tenure_years"] is not None
                            or draw(st.integers(0, 3))):
            row["community_since"] = draw(st.sampled_from(since)).isoformat()
        if first and at in hqs and draw(st.integers(0, 2)):  # borrowed, mostly in the bureau
            own = [u for u in stations + posts if u[1] == at[1]]
            row["home_unit"] = draw(st.sampled_from(own + own + stations + posts))
        if at and not row.get("home_unit") and draw(st.integers(0, 4)) == 0:
            row["pinned"] = "true"
        if draw(st.integers(0, 2)) == 0:  # a recruit's approval too (no post to leave yet)
            row["move_approved"] = "true"
        if not at:
            row["bureau"] = draw(st.sampled_from([""] + bureaus))
        return row

    officers = []
    for i in range(draw(st.integers(min(len(posts) + 1, max_officers), max_officers))):
        row = someone(f"O{i}", draw(st.sampled_from([""] + staffed + hqs)), True)
        if not row["unit"]:
            # arrives at step 0, at a step's date, just after it, or after the plan
            k = draw(st.sampled_from([None, 0, 1, 1, 2, 3]))
            if k is not None:
                hired = dates[k] if k < n_steps else _later(dates[-1], (0, 6))
                if k < n_steps - 1 and draw(st.booleans()):
                    hired = _day_after(hired)
                row["hired"] = hired.isoformat()
        if draw(st.integers(0, 4)) == 0:  # leaves the force on a step's date or after it
            day = dates[draw(st.integers(0, n_steps - 1))]
            row["leaves"] = (_day_after(day) if draw(st.booleans()) else day).isoformat()
        officers.append(row)
    cap = draw(st.sampled_from([None, None, None, 0, 60000, 90000, "B0"]))
    config = {"name": "random horizon", "plan_date": dates[0].isoformat(),
              "units": "units.csv", "officers": "officers.csv", "rules": rules,
              "budget": {"community_officer_yuan": 30000,
                         "max_yuan": {"B0": 60000} if cap == "B0" else cap}}
    held = {o["unit"] for o in officers if o.get("pinned")}
    homes = {o["home_unit"] for o in officers if o.get("home_unit")}
    closable = [u for u in posts + hqs if u not in held]
    if draw(st.integers(0, 4)) == 0:  # step 0's own changes: recruits, a unit closed
        first: dict = {"recruits": {draw(st.sampled_from(bureaus)): draw(st.integers(0, 2))}}
        now = [u for u in closable if u not in homes]
        if now and draw(st.booleans()):
            closing = draw(st.sampled_from(now))
            first["close_units"] = [closing]
            closable.remove(closing)
        config["changes"] = first
    steps = []
    files: dict[str, list[dict]] = {}
    for k in range(1, n_steps):
        changes: dict = {}
        if draw(st.integers(0, 2)) == 0:
            changes["recruits"] = {draw(st.sampled_from(bureaus)): draw(st.integers(1, 2))}
        if officers and draw(st.integers(0, 3)) == 0:
            changes["retire"] = [draw(st.sampled_from([o["id"] for o in officers]))]
        if closable and draw(st.integers(0, 3)) == 0:
            closing = draw(st.sampled_from(closable))
            changes["close_units"] = [closing]
            closable.remove(closing)
        if draw(st.integers(0, 4)) == 0:  # a new post, from this step on
            new = f"N{k}"
            changes["add_units"] = [{"id": new, "kind": "post",
                                     "parent": draw(st.sampled_from(stations)),
                                     "max_staff": draw(st.sampled_from([None, 1, 2]))}]
            posts.append(new)
            staffed.append(new)
        if draw(st.integers(0, 4)) == 0:  # someone joins the roster at this step
            at = draw(st.sampled_from([""] + staffed))
            name = f"joiners{k}.csv"
            files[name] = [someone(f"J{k}", at, False)]
            changes["recruits_file"] = name
        if staffed and draw(st.integers(0, 3)) == 0:
            uid = draw(st.sampled_from(staffed))
            changes["unit_bounds"] = {uid: {"min_staff": draw(st.sampled_from([None, 1])),
                                            "max_staff": draw(st.sampled_from([None, 2, 3]))}}
        steps.append({"date": dates[k].isoformat(), "rules": _rules(draw, False),
                      "changes": changes})
    config["horizon"] = steps
    return units, officers, config, files


def load(units: list[dict], officers: list[dict], config: dict, files: dict,
         directory: Path):
    directory.mkdir(parents=True, exist_ok=True)
    write_csv(directory / "units.csv", UNIT_COLUMNS, units)
    write_csv(directory / "officers.csv", OFFICER_COLUMNS, officers)
    for name, rows in files.items():
        write_csv(directory / name, OFFICER_COLUMNS, rows)
    path = directory / "scenario.yaml"
    path.write_text(yaml.safe_dump(config, allow_unicode=True), encoding="utf-8")
    return load_scenario(path)


def brute_force(scenario, budget: int = 3000) -> tuple[bool, int | None]:
    """(done, fewest moves over the horizon) by trying every unit for every officer at every
    step, judged by the checker alone; ``done`` is False when that would take more than
    ``budget`` checks.

    Step by step, keeping for each roster the next step starts from (units, post dates,
    approvals: what ``carried_over`` carries) the fewest moves that reach it."""
    steps = scenario.steps
    units = [[u.id for u in s.organisation.staffed_units] for s in steps]
    states: dict = {(): (0, [])}  # carried-over roster -> (fewest moves, finals reaching it)
    for k, s in enumerate(steps):
        ids = [o.id for o in s.officers]
        budget -= len(states) * len(units[k]) ** len(ids)
        if budget < 0:
            return False, None
        nxt: dict = {}
        for moves, finals in states.values():
            for combo in itertools.product(units[k], repeat=len(ids)):
                trial = finals + [dict(zip(ids, combo))]
                rosters = carried_over(scenario, trial)
                report = check(rosters[k], trial[k])
                if not report.ok:
                    continue
                key = () if k + 1 == len(steps) else tuple(
                    (o.id, o.unit, o.community_since, o.move_approved)
                    for o in rosters[k + 1].officers)
                total = moves + report.moves
                if key not in nxt or total < nxt[key][0]:
                    nxt[key] = (total, trial)
        states = nxt
        if not states:
            return True, None
    return True, min(m for m, _ in states.values())


def compare(scenario) -> dict:
    """Plan, baseline and (tiny instances) brute force; assert they agree. Returns figures."""
    base = solve_horizon_baseline(scenario)
    result = make_plan(scenario)
    assert base.status in (Status.OPTIMAL, Status.INFEASIBLE), base.status
    if base.status is Status.OPTIMAL:
        reports = check_steps(scenario, base.finals)
        assert all(r.ok for r in reports), [v.message for r in reports for v in r.violations]
        assert sum(r.moves for r in reports) == base.moves
    if result.status.has_plan:
        finals = [st.final for st in result.steps]
        assert len(finals) == len(scenario.steps)
        reports = check_steps(scenario, finals)
        assert all(r.ok for r in reports), [v.message for r in reports for v in r.violations]
        assert sum(r.moves for r in reports) == result.moves
    done, brute = brute_force(scenario)
    if done:
        assert (base.moves if base.status is Status.OPTIMAL else None) == brute
    if base.status is Status.INFEASIBLE:
        assert result.status is Status.INFEASIBLE, (result.status, result.moves)
        assert result.conflicts
    else:
        assert result.status is Status.OPTIMAL, (result.status, result.conflicts)
        assert result.moves == base.moves, (result.moves, base.moves)
        # the year-by-year plan is a plan of the horizon too: never fewer moves
        if result.myopic is not None and result.myopic.total is not None:
            assert result.myopic.total >= base.moves
    return {"status": base.status.value, "moves": base.moves, "brute": done}


@seed(SEED)
@settings(max_examples=EXAMPLES, deadline=None, database=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(horizons())
def test_horizon_plan_is_checked_and_minimal(instance):
    with tempfile.TemporaryDirectory(prefix="staffplan-horizon-") as tmp:
        scenario = load(*instance, Path(tmp))
        figures = compare(scenario)
    event(f"baseline {figures['status']}")
    event(f"brute force {'run' if figures['brute'] else 'too big'}")
    event(f"moves {figures['moves']}")
