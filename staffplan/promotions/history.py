"""A promotion round as plain data: the posting history, the ladder, the slots. No solver, no
arithmetic of years (the model's is in ``experience``, the checker's in the rules).

The history is held column by column (numpy arrays, one entry per posting, in file order)
so that a city of 100,000 officers with ten postings each fits in a few tens of megabytes;
``postings(officer)`` gives one officer's postings as :class:`Posting` objects.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from functools import cached_property

import numpy as np

from staffplan.domain import Scenario

ROLES = ("officer", "deputy", "chief", "leader")
TRACKS = ("rank", "station_leader", "bureau_leader")
OPEN = np.iinfo(np.int32).max  # the end of a posting that has not ended


@dataclass(frozen=True, slots=True)
class Posting:
    """One line of the history: ``end`` is exclusive, None while the posting runs."""

    unit: str
    role: str
    start: date
    end: date | None
    row: int


@dataclass
class History:
    """The postings, column by column. ``officer`` indexes the scenario's officers, ``unit``
    its units (in the units file's order), ``role`` ``ROLES``; dates are day ordinals."""

    path: str
    officer: np.ndarray  # int32
    unit: np.ndarray  # int32
    role: np.ndarray  # int8
    start: np.ndarray  # int32 ordinal
    end: np.ndarray  # int32 ordinal, OPEN when empty
    row: np.ndarray  # int32, the line in the file
    unit_ids: list[str]

    def __len__(self) -> int:
        return len(self.officer)

    @cached_property
    def _by_officer(self) -> tuple[np.ndarray, np.ndarray]:
        """The postings' positions grouped by officer, and where each officer's group starts."""
        order = np.argsort(self.officer, kind="stable")
        counts = np.bincount(self.officer, minlength=int(self.officer.max(initial=-1)) + 2)
        return order, np.concatenate(([0], np.cumsum(counts)))

    def rows_of(self, officer: int) -> np.ndarray:
        """The positions of one officer's postings, in file order."""
        order, starts = self._by_officer
        if officer + 1 >= len(starts):
            return order[:0]
        return order[starts[officer]:starts[officer + 1]]

    def postings(self, officer: int) -> list[Posting]:
        out = []
        for i in self.rows_of(officer):
            end = int(self.end[i])
            out.append(Posting(self.unit_ids[int(self.unit[i])], ROLES[int(self.role[i])],
                               date.fromordinal(int(self.start[i])),
                               None if end == OPEN else date.fromordinal(end), int(self.row[i])))
        return out


@dataclass
class Round:
    """One round of promotions and appointments: the scenario, its ``promotions:`` section
    and the posting history."""

    scenario: Scenario
    settings: object  # staffplan.promotions.config.Promotions
    history: History

    @property
    def date(self) -> date:
        """The promotion date: years are counted up to this day."""
        return self.settings.date or self.scenario.plan_date

    @property
    def ladder(self) -> tuple[str, ...]:
        return tuple(self.settings.ladder)

    @cached_property
    def officer_index(self) -> dict[str, int]:
        return {o.id: i for i, o in enumerate(self.scenario.officers)}

    def postings(self, officer_id: str) -> list[Posting]:
        return self.history.postings(self.officer_index[officer_id])

    def next_rank(self, rank: str | None) -> str | None:
        ladder = self.ladder
        if rank not in ladder or rank == ladder[-1]:
            return None
        return ladder[ladder.index(rank) + 1]

    def slots(self, bureau: str, track: str) -> int:
        table = (self.settings.rank_slots if track == "rank"
                 else getattr(self.settings.openings, track))
        return table.get(bureau, 0)

    def bureau_of(self, officer_id: str) -> str | None:
        o = self.scenario.officer_by_id[officer_id]
        return None if o.unit is None else self.scenario.organisation.bureau_of(o.unit)
