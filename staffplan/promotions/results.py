"""What a promotion round produces: plain result types, no solver behind them (tables, files,
reports and the CI formats import these, never the model)."""

from __future__ import annotations

from dataclasses import dataclass, field
from fractions import Fraction

from staffplan.results import Outcome, RuleResult, Status, Violation


@dataclass(frozen=True)
class Entry:
    """One line of a promotion list (promotions.csv): ``row`` is its line in a list read
    from a file (0 for a list the planner made)."""

    officer: str
    track: str  # rank, station_leader or bureau_leader
    from_: str = ""  # the rank held, or the current role
    to: str = ""  # the next rank, or the track
    unit: str = ""
    reason: str = ""
    row: int = 0


@dataclass
class BureauRound:
    """One bureau's figures in a list, counted by the checker."""

    bureau: str
    slots: dict[str, int]  # track -> slots and openings
    listed: dict[str, int]  # track -> entries
    station_officers: int
    hq_officers: int
    station_promotions: int
    hq_promotions: int
    rate: Fraction | None  # station_rate_over_hq, None when off
    kind: str = ""  # county or district (the tables name it under the bureau's id)

    @property
    def station_rate(self) -> Fraction | None:
        return (Fraction(self.station_promotions, self.station_officers)
                if self.station_officers else None)

    @property
    def hq_rate(self) -> Fraction | None:
        return Fraction(self.hq_promotions, self.hq_officers) if self.hq_officers else None

    @property
    def required(self) -> Fraction | None:
        """The least station rate the rule asks for."""
        if self.rate is None or self.hq_rate is None or self.station_rate is None:
            return None
        return self.rate * self.hq_rate

    @property
    def rate_met(self) -> bool | None:
        required = self.required
        return None if required is None else self.station_rate >= required


@dataclass
class PromotionCheck:
    """A list judged by the checker, rule by rule."""

    results: list[RuleResult]
    bureaus: list[BureauRound]
    partial: bool = False
    mode: str = "promotions"
    warnings: list[Violation] = field(default_factory=list)  # none yet; the formats expect it

    @property
    def violations(self) -> list[Violation]:
        return [v for r in self.results for v in r.violations]

    @property
    def ok(self) -> bool:
        return not self.violations


@dataclass
class Unfilled:
    bureau: str
    track: str
    filled: int
    slots: int


@dataclass
class PromotionResult:
    """A solved round: the list (sorted by bureau, track, officer), how sure we are of it,
    and its check; or why no list exists."""

    round: object  # staffplan.promotions.history.Round
    status: Status
    outcome: Outcome | None
    entries: list[Entry] = field(default_factory=list)
    check: PromotionCheck | None = None
    conflicts: list[str] = field(default_factory=list)  # why no (complete) list exists
    unfilled: list[Unfilled] = field(default_factory=list)  # --partial: what is left
    partial: bool = False
    stages: dict[str, int] = field(default_factory=dict)  # preference -> its optimum
    unique: bool | None = None  # the optimum was proven unique (else settled by id, in order)
    candidates: dict[str, dict[str, int]] = field(default_factory=dict)  # bureau -> track -> n
    model_size: dict[str, int] = field(default_factory=dict)
    timings: dict[str, float] = field(default_factory=dict)

    @property
    def has_list(self) -> bool:
        return self.status.has_plan
