"""Promotion rounds: known answers per rule, the exact arithmetic of years, impossible rounds
explained, --partial, the checker catching a tampered list for every rule."""

from __future__ import annotations

import csv
import json
from datetime import date, timedelta

import pytest
from typer.testing import CliRunner

from staffplan.cli import app
from staffplan.promotions import experience
from staffplan.promotions.check import check_promotions
from staffplan.promotions.plan import make_promotions
from staffplan.promotions.results import Entry
from staffplan.results import Status
from tests.promotion_helpers import LADDER, bureau_units, cop, load, posting, write_round

runner = CliRunner()
PROMOTION_DATE = date(2021, 12, 31)


def run(*args):
    return runner.invoke(app, [str(a) for a in args])


def listed(result) -> set[tuple[str, str]]:
    return {(e.officer, e.track) for e in result.entries}


def solve(tmp_path, officers, history, promotions, name="r", **kw):
    path = write_round(tmp_path / name, bureau_units(), officers, history, promotions, **kw)
    r = load(path)
    return r, make_promotions(r)


# --- rank promotion: the ladder and years in rank ----------------------------------------------

def test_years_in_rank_are_counted_exactly(tmp_path):
    """2 years are 730.5 days: 731 days qualify, 730 do not, whatever the score."""
    just = (PROMOTION_DATE - timedelta(days=731)).isoformat()
    short = (PROMOTION_DATE - timedelta(days=730)).isoformat()
    officers = [cop("X", "B1-S1", since=just, score="70"), cop("Y", "B1-S2", since=short,
                                                              score="99")]
    history = [posting("X", "B1-S1", "2010-01-01"), posting("Y", "B1-S2", "2010-01-01")]
    r, result = solve(tmp_path, officers, history, {"rank_slots": {"B1": 1}})
    assert listed(result) == {("X", "rank")}
    [e] = result.entries
    assert (e.from_, e.to) == (LADDER[0], LADDER[1])
    assert e.reason.startswith(f"{LADDER[0]} since {just}: 2.0 years in rank (at least 2)")
    bad = check_promotions(r, [Entry("Y", "rank", row=2)])
    [v] = [v for v in bad.violations if v.rule == "rank_ladder"]
    assert "1.9 years in rank" in v.message and v.figures["days_in_rank"] == 730


def test_the_top_rank_is_not_promoted_and_a_step_is_one_rung(tmp_path):
    officers = [cop("TOP", "B1-S1", rank=LADDER[-1], score="99"),
                cop("MID", "B1-S2", rank=LADDER[1], score="60")]
    history = [posting("TOP", "B1-S1", "2010-01-01"), posting("MID", "B1-S2", "2010-01-01")]
    r, result = solve(tmp_path, officers, history, {"rank_slots": {"B1": 1}})
    assert [(e.officer, e.from_, e.to) for e in result.entries] == [("MID", LADDER[1], LADDER[2])]
    report = check_promotions(r, [Entry("TOP", "rank", row=2),
                                  Entry("MID", "rank", to=LADDER[3], row=3)])
    messages = [v.message for v in report.violations if v.rule == "rank_ladder"]
    assert "officer TOP already holds the top rank 二级警长" in messages
    assert any("is not one step up the ladder (the next rank is 三级警长)" in m for m in messages)


# --- years of an experience: overlaps once, end exclusive, 365.25 days -----------------------

HISTORIES = {
    # union [2016-01-01, 2019-01-01) = 1096 days = 3.0 years
    "OVERLAP3": [posting("OVERLAP3", "B1-S1", "2016-01-01", "2018-01-01"),
                 posting("OVERLAP3", "B1-P1", "2017-01-01", "2019-01-01")],
    # each 730 days (4.0 years if added), union 881 days: 2.4 years
    "OVERLAP2": [posting("OVERLAP2", "B1-S1", "2017-01-01", "2019-01-01"),
                 posting("OVERLAP2", "B1-P1", "2017-06-01", "2019-06-01")],
    # open, to the promotion date (exclusive): 1096 days
    "OPEN3": [posting("OPEN3", "B1-S2", "2018-12-31")],
    # one day less: 1095 days, 2.998 years
    "OPEN2": [posting("OPEN2", "B1-S2", "2019-01-01")],
    # headquarters work does not count (a posting after the date is bad input:
    # tests/test_promotions_io.py)
    "HQ": [posting("HQ", "B1-H1", "2000-01-01", "2019-01-01")],
}
STATION_DAYS = {"OVERLAP3": 1096, "OVERLAP2": 881, "OPEN3": 1096, "OPEN2": 1095, "HQ": 0}


def test_station_years_count_overlaps_once_and_end_exclusive(tmp_path):
    officers = [cop(o, "B1-H1", score=str(90 - i)) for i, o in enumerate(HISTORIES)]
    history = [p for ps in HISTORIES.values() for p in ps]
    r, result = solve(tmp_path, officers, history,
                      {"openings": {"station_leader": {"B1": 2}}})
    f = experience.facts(r)
    assert {o: int(f.station_days[r.officer_index[o]]) for o in HISTORIES} == STATION_DAYS
    assert listed(result) == {("OVERLAP3", "station_leader"), ("OPEN3", "station_leader")}
    report = check_promotions(r, [Entry(o, "station_leader", row=i + 2)
                                  for i, o in enumerate(HISTORIES)], partial=True)
    failing = {v.subject: v.figures["station_days"] for v in report.violations
               if v.rule == "station_leader_years"}
    assert failing == {"OVERLAP2": 881, "OPEN2": 1095, "HQ": 0}


def test_current_chiefs_and_deputies_are_not_station_leader_candidates(tmp_path):
    officers = [cop("CHIEF", "B1-S1", score="99"), cop("DEP", "B1-S2", score="98"),
                cop("OFF", "B1-S1", score="50")]
    history = [posting("CHIEF", "B1-S1", "2010-01-01", role="chief"),
               posting("DEP", "B1-S2", "2010-01-01", role="副所长"),
               posting("OFF", "B1-S1", "2010-01-01")]
    r, result = solve(tmp_path, officers, history, {"openings": {"station_leader": {"B1": 1}}})
    assert listed(result) == {("OFF", "station_leader")}
    report = check_promotions(r, [Entry("DEP", "station_leader", row=2)])
    assert [v.message for v in report.violations if v.rule == "station_leader_years"] == [
        ("officer DEP is a deputy station chief already: not a candidate for a station-leader "
         "appointment")]


def test_bureau_leaders_need_chief_years_and_leaders_are_not_candidates(tmp_path):
    officers = [cop("LONG", "B1-S1", score="60"), cop("SHORT", "B1-S2", score="99"),
                cop("LEADER", "B1-H1", score="99")]
    history = [posting("LONG", "B1-S1", "2015-01-01", "2018-01-02", role="chief"),
               posting("LONG", "B1-S1", "2018-01-02"),
               posting("SHORT", "B1-S2", "2019-07-01", role="所长"),
               posting("LEADER", "B1-S1", "2000-01-01", "2010-01-01", role="chief"),
               posting("LEADER", "B1-H1", "2010-01-01", role="局领导")]
    r, result = solve(tmp_path, officers, history, {"openings": {"bureau_leader": {"B1": 1}}})
    assert listed(result) == {("LONG", "bureau_leader")}
    report = check_promotions(r, [Entry("SHORT", "bureau_leader", row=2),
                                  Entry("LEADER", "bureau_leader", row=3)], partial=True)
    assert sorted(v.message for v in report.violations if v.rule == "bureau_leader_years") == [
        "officer LEADER is in bureau leadership already",
        ("officer SHORT: 2.5 years as station chief, at least 3 required for a bureau-leader "
         "appointment")]


# --- the rate rule, exactly --------------------------------------------------------------------

RATE_OFFICERS = ([cop(f"S{i}", "B1-S1", score=str(70 + i)) for i in range(4)]
                 + [cop(f"H{i}", "B1-H1", score=str(90 + i)) for i in range(4)])
RATE_HISTORY = [posting(o["id"], o["unit"], "2010-01-01") for o in RATE_OFFICERS]


@pytest.mark.parametrize("rate,promoted", [
    (None, {"H3", "H2"}),  # without the rule headquarters out-promote the stations
    (1.0, {"S3", "H3"}),  # 1/4 >= 1.0 * 1/4
    (1.3, {"S3", "S2"}),  # 1/4 < 1.3 * 1/4: both at stations
])
def test_station_rate_over_headquarters(tmp_path, rate, promoted):
    _, result = solve(tmp_path, RATE_OFFICERS, RATE_HISTORY,
                      {"rank_slots": {"B1": 2}, "rules": {"station_rate_over_hq": rate}})
    assert {o for o, _ in listed(result)} == promoted
    [b] = [b for b in result.check.bureaus if b.bureau == "B1"]
    assert b.rate_met in (None, True)


def test_the_rate_rule_is_compared_exactly(tmp_path):
    """1/3 >= 1.3 * 1/4 (0.333 >= 0.325): met; a float of 1.3 * 0.25 would not matter, the
    fractions decide."""
    officers = RATE_OFFICERS[:3] + RATE_OFFICERS[4:]
    r, _ = solve(tmp_path, officers, [p for p in RATE_HISTORY if p["officer_id"] != "S3"],
                 {"rank_slots": {"B1": 2}})
    report = check_promotions(r, [Entry("S2", "rank", row=2), Entry("H3", "rank", row=3)])
    assert report.ok
    report = check_promotions(r, [Entry("H2", "rank", row=2), Entry("H3", "rank", row=3)])
    [v] = report.violations
    assert v.rule == "station_rate" and v.figures["station_promotions"] == 0


# --- one per officer, in-bureau, preferences, ties ----------------------------------------------

def test_one_promotion_or_appointment_per_officer(tmp_path):
    officers = [cop("A", "B1-S1", score="99"), cop("B", "B1-S2", score="80"),
                cop("C", "B1-H1", rank="", since="", score="70")]
    history = [posting("A", "B1-S1", "2010-01-01"), posting("B", "B1-H1", "2020-01-01"),
               posting("C", "B1-S2", "2010-01-01")]
    # A could take either; A as station leader and B promoted (179) beats A promoted and C
    # appointed (169).
    _, result = solve(tmp_path, officers, history, {"rank_slots": {"B1": 1},
                                                    "openings": {"station_leader": {"B1": 1}},
                                                    "rules": {"station_rate_over_hq": None}})
    assert listed(result) == {("A", "station_leader"), ("B", "rank")}
    assert result.stages["score"] == 179


@pytest.mark.parametrize("prefer,chosen", [(True, "COMM"), (False, "BEST")])
def test_community_experience_comes_first(tmp_path, prefer, chosen):
    officers = [cop("BEST", "B1-S1", score="95"), cop("COMM", "B1-S2", score="85")]
    history = [posting("BEST", "B1-S1", "2010-01-01"),
               posting("COMM", "B1-P1", "2010-01-01", "2012-01-01"),
               posting("COMM", "B1-S2", "2012-01-01")]
    _, result = solve(tmp_path, officers, history, {
        "openings": {"station_leader": {"B1": 1}},
        "rules": {"prefer_community_experience": prefer}})
    assert listed(result) == {(chosen, "station_leader")}


def test_time_in_rank_then_id_break_ties(tmp_path):
    officers = [cop("O3", "B1-S1", since="2015-01-01"), cop("O2", "B1-S1", since="2012-01-01"),
                cop("O1", "B1-S2", since="2015-01-01"), cop("O0", "B1-S2", since="2015-01-01")]
    history = [posting(o["id"], o["unit"], "2010-01-01") for o in officers]
    _, result = solve(tmp_path, officers, history, {"rank_slots": {"B1": 2}})
    assert listed(result) == {("O2", "rank"), ("O0", "rank")}
    assert result.unique


def test_promotions_stay_in_the_bureau_and_recruits_take_no_part(tmp_path):
    units = bureau_units("B1") + bureau_units("B2", "district")
    officers = [cop("A1", "B1-S1", score="60"), cop("A2", "B2-S1", score="99"),
                cop("R", "", score="100", bureau="B1")]
    history = [posting("A1", "B1-S1", "2010-01-01"), posting("A2", "B2-S1", "2010-01-01")]
    path = write_round(tmp_path / "r", units, officers, history, {"rank_slots": {"B1": 1}})
    r = load(path)
    assert listed(make_promotions(r)) == {("A1", "rank")}
    report = check_promotions(r, [Entry("A2", "rank", row=2), Entry("R", "rank", row=3),
                                  Entry("A1", "rank", unit="B2-S1", row=4)], partial=True)
    inside = sorted(v.message for v in report.violations if v.rule == "promotion_in_bureau")
    assert inside == ["officer A1 of bureau B1 is listed at B2-S1 in bureau B2",
                      "officer R is a recruit without a unit: recruits take no part"]
    assert {v.subject for v in report.violations if v.rule == "promotion_slots"} == {"B2"}


# --- impossible rounds and --partial ------------------------------------------------------------

def impossible(tmp_path):
    officers = [cop("C1", "B1-S1"), cop("C2", "B1-S2"), cop("P", "B1-H1")]
    history = [posting("C1", "B1-S1", "2019-08-01", role="chief"),
               posting("C2", "B1-S2", "2021-01-01", role="chief"),
               posting("P", "B1-H1", "2010-01-01")]
    return write_round(tmp_path / "imp", bureau_units(), officers, history,
                       {"rank_slots": {"B1": 1}, "openings": {"bureau_leader": {"B1": 1}}})


def test_an_impossible_round_is_explained_per_bureau_and_rule(tmp_path):
    out = tmp_path / "out"
    r = run("promote", impossible(tmp_path), "--out", out)
    assert r.exit_code == 1, r.output
    said = " ".join(r.stdout.split())  # the command's output, wrapped to the terminal
    assert ("bureau B1: 1 bureau-leader opening(s), no officer with 3 years as station chief "
            "(the longest has 2.4)") in said
    assert sorted(p.name for p in out.iterdir()) == ["summary.json"]
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    assert summary["status"] == "infeasible" and len(summary["conflicts"]) == 1


def test_partial_fills_what_the_rules_allow(tmp_path):
    out = tmp_path / "out"
    r = run("promote", impossible(tmp_path), "--out", out, "--partial")
    assert r.exit_code == 0, r.output
    assert "bureau B1: bureau leader 0 of 1" in " ".join(r.stdout.split())
    rows = list(csv.DictReader((out / "promotions.csv").open(encoding="utf-8-sig")))
    assert [(row["officer_id"], row["track"]) for row in rows] == [("C1", "rank")]
    assert run("check", impossible(tmp_path), "--promotions", out / "promotions.csv").exit_code == 1
    assert run("check", impossible(tmp_path), "--promotions", out / "promotions.csv",
               "--partial").exit_code == 0


def test_the_rate_rule_explains_a_round_it_makes_impossible(tmp_path):
    """4 officers at stations (one eligible), 4 at headquarters, 3 rank promotions: the rule
    asks for 2 at stations (2/4 >= 1.3 * 1/4; 1/4 < 1.3 * 2/4)."""
    officers = [dict(o, rank_since="2021-01-01") if o["id"] in ("S1", "S2", "S3") else o
                for o in RATE_OFFICERS]
    path = write_round(tmp_path / "r", bureau_units(), officers, RATE_HISTORY,
                       {"rank_slots": {"B1": 3}})
    result = make_promotions(load(path))
    assert result.status is Status.INFEASIBLE
    assert result.conflicts == [
        ("bureau B1: the rate rule needs at least 2 of its 3 rank promotions at stations and "
         "posts (2/4 ≥ 1.3 × 1/4), only 1 officer(s) there are eligible")]


def test_officers_needed_twice_are_explained(tmp_path):
    officers = [cop("A", "B1-S1", score="90", rank="")]
    history = [posting("A", "B1-S1", "2010-01-01", "2015-01-01", role="chief"),
               posting("A", "B1-S1", "2015-01-01")]
    path = write_round(tmp_path / "r", bureau_units(), officers, history,
                       {"openings": {"station_leader": {"B1": 1}, "bureau_leader": {"B1": 1}}})
    result = make_promotions(load(path))
    assert result.conflicts == [
        ("bureau B1: 1 station-leader opening(s) and 1 bureau-leader opening(s) need 2 "
         "different officers, only 1 are eligible for any of them (one promotion or "
         "appointment per officer)")]


# --- the checker catches a tampered list, rule by rule ------------------------------------------

@pytest.fixture
def good_list(tmp_path):
    officers = ([cop(f"S{i}", "B1-S1", score=str(70 + i)) for i in range(4)]
                + [cop(f"H{i}", "B1-H1", score=str(90 + i)) for i in range(4)]
                + [cop("YOUNG", "B1-S2", since="2021-06-01", score="100"),
                   cop("CH", "B1-S2", rank=LADDER[-1], score="50"),
                   cop("HQ", "B1-H2", rank=LADDER[-1], score="100")]
                + [cop("X", "B2-S1")])
    history = ([posting(o["id"], o["unit"], "2010-01-01") for o in officers
                if o["id"] not in ("CH", "YOUNG")]
               + [posting("CH", "B1-S2", "2012-01-01", role="chief"),
                  posting("YOUNG", "B1-S2", "2021-06-01")])
    path = write_round(tmp_path / "r", bureau_units() + bureau_units("B2"), officers, history,
                       {"rank_slots": {"B1": 2}, "openings": {"station_leader": {"B1": 1},
                                                              "bureau_leader": {"B1": 1}}})
    out = tmp_path / "out"
    assert run("promote", path, "--out", out).exit_code == 0
    rows = list(csv.DictReader((out / "promotions.csv").open(encoding="utf-8-sig")))
    # S1, S2 and S3 are all chosen: which takes which track changes no sum but the ids';
    # the lower ids take the earlier track
    assert {(row["officer_id"], row["track"]) for row in rows} == {
        ("S1", "rank"), ("S2", "rank"), ("S3", "station_leader"), ("CH", "bureau_leader")}
    assert run("check", path, "--promotions", out / "promotions.csv").exit_code == 0
    return path, rows


TAMPER = {
    "rank_ladder": lambda rows: _swap(rows, "S2", "YOUNG"),  # 0.5 years in rank
    "station_leader_years": lambda rows: _swap(rows, "S3", "HQ"),  # never at a station
    "bureau_leader_years": lambda rows: _swap(rows, "CH", "S0"),  # never a chief
    "station_rate": lambda rows: _swap(rows, "S2", "H3"),  # headquarters promoted instead
    "one_per_officer": lambda rows: _swap(rows, "S3", "S1"),  # S1 promoted and appointed
    "promotion_in_bureau": lambda rows: [dict(r, unit="B2-S1") if r["officer_id"] == "S3" else r
                                         for r in rows],
    "promotion_slots": lambda rows: [r for r in rows if r["officer_id"] != "S2"],
}


def _swap(rows, old, new):
    return [dict(r, officer_id=new, **{"from": ""}) if r["officer_id"] == old else r
            for r in rows]


@pytest.mark.parametrize("rule", sorted(TAMPER))
def test_the_checker_catches_a_tampered_list(good_list, tmp_path, rule):
    path, rows = good_list
    tampered = TAMPER[rule](rows)
    listing = tmp_path / "tampered.csv"
    with listing.open("w", encoding="utf-8", newline="") as f:
        w = csv.DictWriter(f, fieldnames=list(rows[0]))
        w.writeheader()
        w.writerows(tampered)
    r = run("check", path, "--promotions", listing, "--format", "json")
    assert r.exit_code == 1
    data = json.loads(r.stdout)
    broken = {x["rule"]: x["violations"] for x in data["rules"] if x["violations"]}
    assert rule in broken
    assert set(broken) <= {rule, "promotion_slots", "station_rate"}  # what the change implies
    [v] = broken[rule][:1]
    if rule in ("station_rate", "promotion_slots"):
        assert v["file"].endswith("scenario.yaml") and v["line"] > 0  # the config line
    else:
        changed = [i + 2 for i, (a, b) in enumerate(zip(rows, tampered)) if a != b]
        assert (v["file"], v["line"]) == (str(listing), changed[-1])  # the list's row
    github = run("check", path, "--promotions", listing, "--format", "github").stdout
    assert "title=staffplan%3A " in github and "::error file=" in github


def test_check_formats_point_at_the_list_row(good_list, tmp_path):
    path, rows = good_list
    listing = tmp_path / "dup.csv"
    with listing.open("w", encoding="utf-8", newline="") as f:
        w = csv.DictWriter(f, fieldnames=list(rows[0]))
        w.writeheader()
        w.writerows(rows + rows[:1])
    junit = run("check", path, "--promotions", listing, "--format", "junit").stdout
    assert f'file="{listing}" line="{len(rows) + 2}"' in junit
    markdown = run("check", path, "--promotions", listing, "--format", "markdown").stdout
    assert f"(`{listing}:{len(rows) + 2}`)" in markdown and "❌" in markdown
    assert "one promotion or appointment per officer" in markdown
