"""The domain: units of the organisation tree, officers, and the loaded scenario.

Plain data, no solver. Names follow ``docs/glossary.md``: a *bureau* (kind ``county`` or
``district``) holds *headquarters units* (``hq``) and *stations*; a station holds community
police *posts*. *Force* is every officer of a bureau, *station strength* the officers at its
stations and posts, *community officers* the officers at posts.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from enum import Enum
from fractions import Fraction
from functools import cached_property


class Kind(str, Enum):
    COUNTY = "county"
    DISTRICT = "district"
    HQ = "hq"
    STATION = "station"
    POST = "post"

    @property
    def is_bureau(self) -> bool:
        return self in (Kind.COUNTY, Kind.DISTRICT)

    @property
    def is_station_side(self) -> bool:
        """Stations and posts: the units that make up station strength."""
        return self in (Kind.STATION, Kind.POST)


BUREAU_KINDS = (Kind.COUNTY, Kind.DISTRICT)


@dataclass(frozen=True, slots=True)
class Unit:
    id: str
    name: str
    kind: Kind
    parent: str | None = None
    area: str | None = None  # "urban" or "rural", for stations; posts take their station's
    min_staff: int | None = None
    max_staff: int | None = None
    row: int = 0  # where the unit was read, for messages
    closed: bool = False  # closed by the scenario: must end the plan empty
    duty_min: int | None = None  # a station's officers for daytime duty, at least


@dataclass(frozen=True, slots=True)
class Officer:
    id: str
    name: str = field(repr=False)  # personal data: never in a repr, a traceback or a dump
    unit: str | None = None  # None: a recruit, placed by the plan
    home_unit: str | None = None  # set for an officer borrowed by headquarters
    community_since: date | None = None
    hired: date | None = None
    pinned: bool = False
    move_approved: bool = False
    bureau: str | None = None  # for a recruit: the bureau that recruited them
    row: int = 0
    leaves: date | None = None  # leaves the force (retirement, end of service) on this day
    rank: str | None = None  # 职级, a name on the scenario's promotions ladder
    rank_since: date | None = None  # the day the rank was reached
    score: Decimal | None = None  # the assessment (考核); higher is better

    @property
    def is_recruit(self) -> bool:
        return self.unit is None


class Organisation:
    """The organisation tree: bureaus, their headquarters units and stations, posts."""

    def __init__(self, units: list[Unit]):
        self.units: dict[str, Unit] = {u.id: u for u in units}
        self.order: dict[str, int] = {u.id: i for i, u in enumerate(units)}

    def __getitem__(self, unit_id: str) -> Unit:
        return self.units[unit_id]

    def __contains__(self, unit_id: object) -> bool:
        return unit_id in self.units

    @cached_property
    def bureaus(self) -> list[Unit]:
        return [u for u in self.units.values() if u.kind.is_bureau]

    @cached_property
    def staffed_units(self) -> list[Unit]:
        """Units officers can be assigned to: headquarters units, stations and posts."""
        return [u for u in self.units.values() if not u.kind.is_bureau]

    @cached_property
    def posts(self) -> list[Unit]:
        """Open posts (a closed post needs no officer)."""
        return [u for u in self.units.values() if u.kind is Kind.POST and not u.closed]

    @cached_property
    def _bureau_of(self) -> dict[str, str]:
        out = {}
        for u in self.units.values():
            b, steps = u, 0
            while b is not None and not b.kind.is_bureau and steps < 3:
                b, steps = self.units.get(b.parent or ""), steps + 1
            if b is not None and b.kind.is_bureau:
                out[u.id] = b.id
        return out  # units of a broken tree (only while validating) have no entry

    def bureau_of(self, unit_id: str) -> str:
        return self._bureau_of[unit_id]

    def bureau_or_none(self, unit_id: str) -> str | None:
        return self._bureau_of.get(unit_id)

    def station_of(self, unit_id: str) -> str | None:
        """The station a station or post belongs to (itself for a station), else None."""
        u = self.units[unit_id]
        if u.kind is Kind.STATION:
            return u.id
        if u.kind is Kind.POST:
            return u.parent
        return None

    def area_of(self, unit_id: str) -> str | None:
        station = self.station_of(unit_id)
        return self.units[station].area if station else None

    @cached_property
    def units_of_bureau(self) -> dict[str, list[Unit]]:
        out: dict[str, list[Unit]] = {b.id: [] for b in self.bureaus}
        for u in self.staffed_units:
            out[self._bureau_of[u.id]].append(u)
        return out


def anniversary(since: date, years: int) -> date:
    """The day ``years`` full years after ``since``; a start on 29 February completes its
    years on 1 March of a common year (the calendar count: 28 February is a day short)."""
    try:
        return since.replace(year=since.year + years)
    except ValueError:
        return since.replace(year=since.year + years, month=3, day=1)


def tenure_complete(since: date, plan_date: date, years: int) -> bool:
    """Has an officer who started on ``since`` served ``years`` full years by ``plan_date``?"""
    return anniversary(since, years) <= plan_date


def tenure_text(since: date, plan_date: date) -> str:
    """Tenure in words, for reasons: ``1 year(s) 4 month(s)`` / ``1年4个月``."""
    from staffplan.i18n import t

    months = (plan_date.year - since.year) * 12 + plan_date.month - since.month
    if plan_date.day < since.day:
        months -= 1
    years, months = divmod(max(months, 0), 12)
    return t("duration", years=years, months=months)


def as_fraction(share: float) -> Fraction:
    """A share as an exact fraction of its written decimal (0.445 -> 89/200), so the model and
    the checker compare integers and never disagree on rounding."""
    return Fraction(repr(share))


@dataclass
class Scenario:
    """A loaded, validated scenario: the config, the organisation tree and the roster."""

    config: ScenarioConfig  # noqa: F821 (staffplan.config)
    organisation: Organisation
    officers: list[Officer]
    provenance: Provenance | None = None  # noqa: F821 (staffplan.config)
    source: str = ""  # the scenario file
    horizon: Horizon | None = None  # the steps of the plan; None: this one date only
    notices: list[str] = field(default_factory=list)  # said on stderr: encodings guessed

    @property
    def plan_date(self) -> date:
        return self.config.plan_date

    @property
    def rules(self):
        return self.config.rules

    @cached_property
    def officer_by_id(self) -> dict[str, Officer]:
        return {o.id: o for o in self.officers}

    def current(self) -> dict[str, str | None]:
        """The roster as an assignment: officer id -> current unit (None for recruits)."""
        return {o.id: o.unit for o in self.officers}

    @property
    def steps(self) -> list[Scenario]:
        """One scenario per step of the plan (this one alone without a horizon)."""
        return self.horizon.steps if self.horizon is not None else [self]


@dataclass
class Horizon:
    """A plan of several dated steps (the reform's three years planned together).

    ``steps[k]`` is step k's scenario: that step's config (its date as ``plan_date``, its
    rules), its organisation tree (units added or closed so far, bounds changed so far) and
    the officers on the roster at that step, as they were at the start of the plan (their
    unit then; a recruit's ``unit`` is None). Step 0 is the scenario itself.
    """

    steps: list[Scenario]
    arrival: dict[str, int]  # officer -> the step at which they join (0: on the roster)
    leave: dict[str, int]  # officer -> the first step they are no longer on the roster at
    later: list[str] = field(default_factory=list)  # recruits hired after the last step
    absent: set[str] = field(default_factory=set)  # in the roster files, on no step

    @property
    def dates(self) -> list[date]:
        return [s.plan_date for s in self.steps]

    @cached_property
    def officer_by_id(self) -> dict[str, Officer]:
        """Every officer on the roster at some step."""
        out: dict[str, Officer] = {}
        for s in self.steps:
            for o in s.officers:
                out.setdefault(o.id, o)
        return out

