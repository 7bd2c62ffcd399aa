"""The scenario file: a YAML document naming the data files, the plan date and the rules.

The defaults of :class:`Rules` are the Lianyungang reform's rules (see ``shared/GLOSSARY.md``);
every rule can be switched off (``null`` or ``false``) or given another value. Unknown keys
are errors.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Annotated, Any

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from staffplan.errors import Problems

Share = Annotated[float, Field(ge=0, le=1)]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, use_attribute_docstrings=True)


class StationShare(_Model):
    """Station strength / force, at least, per kind of bureau (null: no target)."""

    county: Share | None = 0.445
    """Target for county bureaus (县局). The article: 44.5%."""
    district: Share | None = 0.558
    """Target for district bureaus (分局). The article: 55.8%."""


class Rules(_Model):
    """The personnel rules the plan must meet. Defaults: the Lianyungang reform."""

    min_community_tenure_years: int | None = Field(3, ge=0)
    """Community officers stay at their post at least this many full years, unless the city
    committee approved the move (`move_approved`). null: no tenure rule."""
    station_share: StationShare | None = StationShare()
    """Station strength / bureau force, at least, per bureau kind. null: no target."""
    community_share: Share | None = 0.48
    """Officers at posts / station strength, per bureau, at least. null: no target."""
    staff_every_post: bool = True
    """Every community police post ends with at least one officer."""
    new_hires_to_stations: bool = True
    """Recruits go to stations or posts, never to headquarters units."""
    return_borrowed: bool = True
    """Officers with a home_unit (borrowed by headquarters) go back to it."""
    stay_in_bureau: bool = True
    """Existing officers move only within their bureau; recruits go to the bureau that
    recruited them, when the roster names one."""
    unit_bounds: bool = True
    """Each unit's min_staff and max_staff from the units file hold."""


class ScenarioConfig(_Model):
    """A staffplan scenario. Relative paths are relative to the scenario file."""

    name: str
    """The scenario's name, shown in reports."""
    description: str | None = None
    """Free text for the reader."""
    plan_date: date
    """Tenure is counted up to this day (ISO date)."""
    units: Path
    """The organisation tree: .csv (UTF-8, with or without BOM) or .xlsx."""
    officers: Path
    """The roster: .csv (UTF-8, with or without BOM) or .xlsx."""
    rules: Rules = Rules()
    """The rules the plan must meet."""

    # Where the file was read from; set by load_config, not part of the schema.
    source: Path | None = Field(None, exclude=True, json_schema_extra=None)


class _Loader(yaml.SafeLoader):
    """YAML without implicit dates: pydantic parses them, so a bad date is a clear error."""


_Loader.yaml_implicit_resolvers = {
    k: [(tag, rx) for tag, rx in v if tag != "tag:yaml.org,2002:timestamp"]
    for k, v in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def load_config(path: Path, problems: Problems | None = None) -> ScenarioConfig | None:
    """Read and validate a scenario file; every problem becomes one line of an InputError.

    With ``problems`` given, problems are added there instead and a best-effort config is
    returned (invalid keys left at their defaults) so the data files can still be checked
    in the same run; None when the data files themselves cannot be named.
    """
    own = problems is None
    problems = Problems() if own else problems
    config = _load(path, problems)
    if own:
        problems.raise_if_any()
    return config


def _load(path: Path, problems: Problems) -> ScenarioConfig | None:
    name = str(path)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        problems.add(name, message="file not found")
        return None
    except (OSError, UnicodeDecodeError) as exc:
        problems.add(name, message=f"cannot read the file: {exc.__class__.__name__}")
        return None
    try:
        data: Any = yaml.load(text, Loader=_Loader)  # noqa: S506 (a SafeLoader)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        row = mark.line + 1 if mark is not None else 0
        problems.add(name, row, message=f"not valid YAML: {getattr(exc, 'problem', exc)}")
        return None
    if not isinstance(data, dict):
        problems.add(name, message="a scenario must be a YAML mapping (name:, plan_date:, ...)")
        return None
    if "source" in data:
        problems.add(name, column="source", message="unknown key")
        data = {k: v for k, v in data.items() if k != "source"}
    try:
        config = ScenarioConfig.model_validate(data)
    except ValidationError as exc:
        bad = set()
        for err in exc.errors():
            key = ".".join(str(p) for p in err["loc"]) or "(top)"
            problems.add(name, column=key, message=_pydantic_message(err))
            bad.add(str(err["loc"][0]) if err["loc"] else "")
        if bad & {"units", "officers", ""}:
            return None
        fallback = {"name": "?", "plan_date": date.today()}
        kept = {k: v for k, v in data.items() if k not in bad}
        try:
            config = ScenarioConfig.model_validate({**fallback, **kept})
        except ValidationError:
            return None
    base = path.parent
    return config.model_copy(update={"units": base / config.units,
                                     "officers": base / config.officers, "source": path})


def _pydantic_message(err: dict) -> str:
    if err["type"] == "extra_forbidden":
        return "unknown key"
    if err["type"] == "missing":
        return "required key is missing"
    return str(err["msg"])
