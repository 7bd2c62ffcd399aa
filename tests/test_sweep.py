"""sweep: the price of each target. A higher target never needs fewer moves, impossibility
is final along the axis, and re-solving one model gives the same answers as rebuilding."""

from __future__ import annotations

import csv
import json

import pytest
from typer.testing import CliRunner

from staffplan.studies import sweep as sw
from staffplan.cli import app
from staffplan.errors import InputError
from tests.conftest import officer, small_county, write_scenario

runner = CliRunner()


@pytest.fixture
def scenario(tmp_path):
    # 12 headquarters officers (two pinned), 1 at the station, two posts.
    officers = [officer(f"H{i:02d}", "H1", pinned="yes" if i < 2 else "") for i in range(12)]
    officers += [officer("S", "S1"), officer("P", "P1")]
    return write_scenario(tmp_path, small_county(), officers,
                          {"station_share": {"county": 0.2, "district": 0.2},
                           "community_share": 0.3, "staff_every_post": True})


def test_parse_vary():
    axis = sw.parse_vary("rules.community_share=0.40:0.45:0.01")
    assert axis.key == "rules.community_share" and axis.values == [0.4, 0.41, 0.42, 0.43, 0.44, 0.45]
    assert sw.parse_vary("rules.min_community_tenure_years=2:4:1").values == [2, 3, 4]
    assert sw.parse_vary("rules.return_borrowed=true,false").values == [True, False]
    for bad in ["nokey", "k=1:0:1", "k=a:b:c"]:
        with pytest.raises(InputError):
            sw.parse_vary(bad)


def test_higher_target_never_needs_fewer_moves(scenario):
    axis = sw.parse_vary("rules.station_share.county=0.0:1.0:0.05")
    result = sw.sweep(str(scenario), [axis], workers=1)
    assert result.fast
    moves = [p.moves for p in result.points]
    feasible = [m for m in moves if m is not None]
    assert feasible == sorted(feasible) and len(set(feasible)) > 3
    first_bad = moves.index(None)
    assert all(m is None for m in moves[first_bad:])  # 2 pinned of 14: above 12/14 impossible
    assert result.points[first_bad].values["rules.station_share.county"] > 12 / 14 - 0.05


def test_fast_path_matches_rebuilding(scenario):
    axes = [sw.parse_vary("rules.station_share.county=0.2:0.9:0.1"),
            sw.parse_vary("rules.community_share=0.3:0.7:0.2")]
    fast = sw.sweep(str(scenario), axes, workers=1)
    slow = sw.sweep(str(scenario), axes, workers=1, time_limit=60)  # a time limit rebuilds
    assert fast.fast and not slow.fast
    assert [(p.status, p.moves) for p in fast.points] == [(p.status, p.moves) for p in slow.points]


def test_sweep_other_keys_rebuild(scenario):
    result = sw.sweep(str(scenario), [sw.parse_vary("rules.staff_every_post=false,true")], workers=1)
    assert not result.fast and [p.moves for p in result.points][0] <= result.points[1].moves


def test_sweep_command_writes_csv_png_html(scenario, tmp_path):
    out = tmp_path / "sweep"
    r = runner.invoke(app, ["sweep", str(scenario), "--vary", "rules.station_share.county=0.1:0.9:0.2",
                            "--out", str(out), "-f", "json", "-j", "2"])
    assert r.exit_code == 0, r.output
    data = json.loads(r.stdout)
    assert len(data["points"]) == 5
    rows = list(csv.DictReader((out / "sweep.csv").open(encoding="utf-8-sig")))
    assert [row["rules.station_share.county"] for row in rows] == ["0.1", "0.3", "0.5", "0.7", "0.9"]
    assert (out / "sweep.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    html = (out / "sweep.html").read_text(encoding="utf-8")
    assert "<svg" in html and 'src="http' not in html and 'href="http' not in html


def test_bad_grid_point_is_exit_2(scenario, tmp_path):
    r = runner.invoke(app, ["sweep", str(scenario), "--vary", "rules.community_share=0.8:1.2:0.2",
                            "--out", str(tmp_path / "o")])
    assert r.exit_code == 2 and "less than or equal to 1" in r.stderr
    assert not (tmp_path / "o").exists()
