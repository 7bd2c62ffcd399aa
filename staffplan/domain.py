"""The domain: units of the organisation tree, officers, and the loaded scenario.

Plain data, no solver. Names follow ``docs/glossary.md``: a *bureau* (kind ``county`` or
``district``) holds *headquarters units* (``hq``) and *stations*; a station holds community
police *posts*. *Force* is every officer of a bureau, *station strength* the officers at its
stations and posts, *community officers* the officers at posts.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
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


# --- Ids: one policy for every id column of every file ---------------------------------------
# Ids are compared as written, character for character (Chinese ids as any others). What a
# person cannot tell apart is refused where it is read, by every reader through ``IdIndex``:
# an id holding a character that cannot be seen (a zero-width space, a soft hyphen, a BOM, a
# bidirectional control, a control character); two ids that look the same (equal once
# folded: NFKC, unseen characters dropped) but are written differently (a full-width letter,
# an accent composed or not); and a reference (an officer's unit, a posting's officer) that
# matches no id as written says which id it looks the same as.

# General categories of hidden characters: controls, format characters, surrogates,
# unassigned code points (U+FFFE and U+FFFF among them), line and paragraph separators.
_HIDDEN_CATEGORIES = frozenset({"Cc", "Cf", "Cs", "Cn", "Zl", "Zp"})
# Hidden characters of other categories (combining marks, letters that show nothing):
# Default_Ignorable_Code_Point (Unicode's DerivedCoreProperties.txt, whole ranges, the
# format characters and unassigned code points among them too) and U+2800 BRAILLE PATTERN
# BLANK, which shows as a space but is none.
IGNORABLE = re.compile(
    "[\u00ad\u034f\u061c\u115f\u1160\u17b4\u17b5\u180b-\u180f\u200b-\u200f\u202a-\u202e"
    "\u2060-\u206f\u2800\u3164\ufe00-\ufe0f\ufeff\uffa0\ufff0-\ufff8\U0001bca0-\U0001bca3"
    "\U0001d173-\U0001d17a\U000e0000-\U000e0fff]")
def hidden(ch: str) -> bool:
    """Whether a character cannot be seen, or steers or breaks the text around it."""
    return unicodedata.category(ch) in _HIDDEN_CATEGORIES or IGNORABLE.match(ch) is not None


def unseen(text: str) -> list[str]:
    """The characters of ``text`` that cannot be seen: control and format characters (zero
    width, bidirectional controls, soft hyphen, BOM), line and paragraph separators, and the
    other characters that draw nothing (variation selectors, Hangul fillers...)."""
    if text.isascii() and text.isprintable():
        return []
    return [c for c in text if hidden(c)]


def fold(text: str) -> str:
    """``text`` as a person reads it: NFKC (full-width letters and digits, composed and
    decomposed accents, compatibility forms alike), characters that cannot be seen dropped."""
    if text.isascii() and text.isprintable():
        return text  # as NFKC leaves it, nothing unseen (most ids: at C speed)
    return "".join(c for c in unicodedata.normalize("NFKC", text) if not hidden(c))


def code_points(text: str, limit: int = 4) -> str:
    """Characters as code points with their names: ``U+200B ZERO WIDTH SPACE``."""
    from staffplan.i18n import t

    if not text:
        return t("id_nothing")
    out = ", ".join(f"U+{ord(c):04X} {unicodedata.name(c, '')}".rstrip() for c in text[:limit])
    return out + (", …" if len(text) > limit else "")


def spelled(text: str, other: str) -> str:
    """How ``text`` is written where it differs from ``other`` (which looks the same)."""
    from staffplan.i18n import t

    i = 0
    while i < min(len(text), len(other)) and text[i] == other[i]:
        i += 1
    j = 0
    while j < min(len(text), len(other)) - i and text[-1 - j] == other[-1 - j]:
        j += 1
    return t("id_spelled", here=code_points(text[i:len(text) - j]),
             there=code_points(other[i:len(other) - j]))


class IdIndex:
    """The ids of one kind (units, officers) as files define them, with their rows: the id
    policy every reader applies. ``define`` refuses an id holding a character that cannot be
    seen, or one that looks the same as an id defined before; ``hint`` says, of a reference
    that matches no id, which id it looks the same as (or the unseen character it holds)."""

    def __init__(self, ids: Iterable[tuple[str, int]] = (), where: str = "id_on_row"):
        self.where = where  # how a message names the row of an id (``id_on_roster_row``)
        self.rows: dict[str, int] = {}
        self._folded: dict[str, str] = {}
        for text, row in ids:
            self.rows.setdefault(text, row)
            self._folded.setdefault(fold(text), text)

    def __contains__(self, text: object) -> bool:
        return text in self.rows

    def define(self, text: str, row: int, shown: object = None,
               other_shown=None) -> str | None:
        """Add ``text``, defined at ``row``; a message when it cannot be an id. ``shown``: the
        id as a message may show it, or a function that gives it (asked only for a message;
        default: the id itself); ``other_shown(id, row)``: the id it looks the same as,
        likewise."""
        from staffplan.i18n import t

        def said() -> object:
            return text if shown is None else shown() if callable(shown) else shown

        invisible = unseen(text)
        if invisible:
            return t("id_unseen", value=said(), chars=code_points(invisible))
        why = self.look_alike(text, said, other_shown)
        if why is None:
            self.rows.setdefault(text, row)
            self._folded.setdefault(fold(text), text)
            self.__dict__.pop("_cased", None)
        return why

    def look_alike(self, text: str, shown: object = None, other_shown=None) -> str | None:
        """A message when ``text`` looks the same as an id of the index but is not it (as
        :meth:`define` says, without adding ``text``)."""
        from staffplan.i18n import t

        other = self.like(text)
        if other is None:
            return None
        at = self.rows[other]
        return t("id_look_alike", id=text if shown is None else shown() if callable(shown)
                 else shown, where=t(self.where, row=at), spelled=spelled(text, other),
                 other=other if other_shown is None else other_shown(other, at))

    def like(self, text: str) -> str | None:
        """The id ``text`` looks the same as, when it is not one itself."""
        if text in self.rows:
            return None
        other = self._folded.get(fold(text))
        return other if other is not None and other != text else None

    def hint(self, text: str, accept=None) -> str:
        """What to add to the message about a reference ``text`` that matches no id: the id
        it looks the same as (when ``accept(id)``, if given, takes it), else the characters it
        holds that cannot be seen; empty when neither."""
        from staffplan.i18n import t

        other = self.like(text)
        if other is not None and (accept is None or accept(other)):
            return t("id_did_you_mean", id=other, spelled=spelled(text, other))
        invisible = unseen(text)
        if invisible:
            return t("id_holds_unseen", chars=code_points(invisible))
        other = self._cased.get(fold(text).casefold())
        if other is not None and (accept is None or accept(other)):
            return t("id_other_case", id=other)  # c1-s2 for C1-S2: a hint, still an error
        return ""

    @cached_property
    def _cased(self) -> dict[str, str]:
        """Folded and case-folded id -> the first id (for a hint only: ids differing in case
        are distinct ids)."""
        out: dict[str, str] = {}
        for text in self.rows:
            out.setdefault(fold(text).casefold(), text)
        return out


class Organisation:
    """The organisation tree: bureaus, their headquarters units and stations, posts."""

    def __init__(self, units: list[Unit]):
        self.units: dict[str, Unit] = {u.id: u for u in units}
        self.order: dict[str, int] = {u.id: i for i, u in enumerate(units)}
        self.unread: frozenset[str] = frozenset()  # rows of the units file that failed

    def __getitem__(self, unit_id: str) -> Unit:
        return self.units[unit_id]

    def __contains__(self, unit_id: object) -> bool:
        return unit_id in self.units

    @cached_property
    def ids(self) -> IdIndex:
        """The units' ids, for the id policy (``IdIndex.hint`` on a reference)."""
        return IdIndex((u.id, u.row) for u in self.units.values())

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

    @cached_property
    def officer_ids(self) -> IdIndex:
        """The ids of every officer of the roster files (on any step, or on none), for the id
        policy (``IdIndex.hint`` on a reference)."""
        officers = [(o.id, o.row) for o in self.officers]
        if self.horizon is not None:
            officers += [(o.id, o.row) for o in self.horizon.officer_by_id.values()]
            officers += [(oid, 0) for oid in sorted(self.horizon.absent)]
        return IdIndex(officers)

    @cached_property
    def personal_names(self) -> frozenset[str]:
        """The officers' names (of every step): personal data, never shown in a message about
        another file (``Table.check_columns``)."""
        officers = self.horizon.officer_by_id.values() if self.horizon is not None else ()
        return frozenset(o.name for o in [*self.officers, *officers] if o.name)

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

