"""Tiny promotion rounds for tests: units, officers (with rank, rank_since, score), a history
and a promotions: section, written as files and loaded."""

from __future__ import annotations

from pathlib import Path

import yaml

from staffplan.io.history import load_round
from staffplan.io.roster import load_scenario
from tests.conftest import unit, write_csv, write_scenario

DATE = "2021-12-31"
LADDER = ["一级警员", "四级警长", "三级警长", "二级警长"]


def bureau_units(b: str = "B1", kind: str = "county") -> list[dict]:
    """A bureau with two headquarters units, two stations and a post."""
    return [unit(b, kind), unit(f"{b}-H1", "hq", b), unit(f"{b}-H2", "hq", b),
            unit(f"{b}-S1", "station", b, area="urban"), unit(f"{b}-S2", "station", b,
                                                               area="urban"),
            unit(f"{b}-P1", "post", f"{b}-S1")]


def cop(id, unit, rank=LADDER[0], since="2015-01-01", score="80", **kw):
    """An officer of the round (``community_since`` filled in at a post)."""
    if unit and "-P" in unit:
        kw.setdefault("community_since", "2010-01-01")
    return {"id": id, "name": kw.pop("name", f"姓名{id}"), "unit": unit, "rank": rank or "",
            "rank_since": since or "", "score": score, **kw}


def posting(officer, unit, start, end="", role="officer") -> dict:
    return {"officer_id": officer, "unit": unit, "role": role, "start": start, "end": end}


def write_round(directory: Path, units, officers, history, promotions: dict | None = None,
                rules: dict | None = None) -> Path:
    """units.csv, officers.csv, history.csv and scenario.yaml with a promotions: section (the
    staffing rules off)."""
    path = write_scenario(directory, units, officers, rules or {})
    write_csv(directory / "history.csv", ["officer_id", "unit", "role", "start", "end"], history)
    config = yaml.safe_load(path.read_text(encoding="utf-8"))
    section = {"date": DATE, "history": "history.csv", "ladder": LADDER, "min_years_in_rank": 2}
    section.update(promotions or {})
    config["promotions"] = section
    path.write_text(yaml.safe_dump(config, allow_unicode=True, sort_keys=False),
                    encoding="utf-8")
    return path


def load(path: Path, overrides=()):
    return load_round(load_scenario(path, overrides))
