"""Helpers to write tiny scenarios: units and officers as lists of dicts, rules as a dict."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
import yaml

from staffplan.io.roster import OFFICER_COLUMNS, UNIT_COLUMNS, load_scenario

# Every rule off, so a test switches on only the rule it is about.
NO_RULES = {
    "min_community_tenure_years": None,
    "station_share": None,
    "community_share": None,
    "staff_every_post": False,
    "new_hires_to_stations": False,
    "return_borrowed": False,
    "stay_in_bureau": False,
    "unit_bounds": False,
    "no_borrowing_from_stations": False,
    "daytime_duty": None,
}


def write_csv(path: Path, columns: list[str], rows: list[dict]) -> Path:
    with path.open("w", encoding="utf-8", newline="") as f:
        w = csv.DictWriter(f, fieldnames=columns, extrasaction="raise")
        w.writeheader()
        for r in rows:
            w.writerow({c: r.get(c, "") for c in columns})
    return path


def unit(id, kind, parent="", **kw):
    return {"id": id, "name": kw.pop("name", id), "kind": kind, "parent": parent, **kw}


def officer(id, unit="", **kw):
    return {"id": id, "name": kw.pop("name", f"姓名{id}"), "unit": unit, **kw}


def write_scenario(directory: Path, units: list[dict], officers: list[dict],
                   rules: dict | None = None, only: bool = True, plan_date: str = "2021-06-30",
                   name: str = "test", extra: dict | None = None) -> Path:
    """Write units.csv, officers.csv and scenario.yaml; ``only``: start from every rule off;
    ``extra``: more top-level keys (``budget:``, ``changes:``)."""
    directory.mkdir(parents=True, exist_ok=True)
    write_csv(directory / "units.csv", UNIT_COLUMNS, units)
    write_csv(directory / "officers.csv", OFFICER_COLUMNS, officers)
    config = {"name": name, "plan_date": plan_date, "units": "units.csv",
              "officers": "officers.csv"}
    r = dict(NO_RULES) if only else {}
    r.update(rules or {})
    config["rules"] = r
    config.update(extra or {})
    path = directory / "scenario.yaml"
    path.write_text(yaml.safe_dump(config, allow_unicode=True), encoding="utf-8")
    return path


@pytest.fixture
def scenario_at(tmp_path):
    """Build and load a scenario: ``scenario_at(units, officers, rules)``."""
    counter = [0]

    def make(units, officers, rules=None, only=True, **kw):
        counter[0] += 1
        path = write_scenario(tmp_path / f"s{counter[0]}", units, officers, rules, only, **kw)
        return load_scenario(path)

    return make


# A small county: headquarters, one station with two posts.
def small_county(kind="county"):
    return [
        unit("B1", kind),
        unit("H1", "hq", "B1"),
        unit("S1", "station", "B1", area="urban"),
        unit("P1", "post", "S1"),
        unit("P2", "post", "S1"),
    ]


@pytest.fixture(autouse=True)
def english(monkeypatch):
    """Tests read English messages unless they ask for Chinese."""
    from staffplan.i18n import set_lang

    monkeypatch.setenv("STAFFPLAN_LANG", "en")
    set_lang("en")
    yield
    set_lang("en")
