"""What a check or a plan produces: plain result types, with no solver behind them.

Tables, files and reports import these, never ``staffplan.plan`` or ``staffplan.solve``, so
``staffplan check`` loads neither PuLP nor HiGHS (a test runs it in a subprocess and looks).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum
from fractions import Fraction

from staffplan.domain import Scenario


class Status(str, Enum):
    OPTIMAL = "optimal"  # a plan, proven to need the fewest moves
    FEASIBLE = "feasible"  # a plan, stopped by the time limit before the proof (see gap)
    INFEASIBLE = "infeasible"  # proven: no plan meets the rules
    NO_SOLUTION = "no_solution"  # stopped by the time limit before any plan was found

    @property
    def has_plan(self) -> bool:
        return self in (Status.OPTIMAL, Status.FEASIBLE)


@dataclass
class Outcome:
    """What one solver run came back with, read from the solver itself."""

    status: Status
    objective: float | None
    bound: float | None
    seconds: float
    solver: str

    @property
    def gap(self) -> float | None:
        if self.objective is None or self.bound is None:
            return None
        if abs(self.objective - self.bound) < 1e-9:
            return 0.0
        return abs(self.objective - self.bound) / max(abs(self.objective), 1e-9)


@dataclass(frozen=True)
class Violation:
    """A rule broken (or, in ``CheckReport.warnings``, a risk; in ``CheckReport.notices``,
    information) by one bureau, unit or officer."""

    rule: str
    subject: str  # a bureau, unit or officer id
    message: str
    figures: dict = field(default_factory=dict, compare=False)
    about: str = ""  # "bureau", "unit" or "officer": what ``subject`` names
    step: int = 0  # the step of the plan it is about


@dataclass(frozen=True)
class Approval:
    """A transfer that needs the city committee's approval (市局派出所工作委员会批准)."""

    officer: str
    from_unit: str
    to_unit: str
    tenure: str  # full years and months at the post at the plan date
    rule: str
    approved: bool
    date: str = ""  # the step's date


@dataclass
class RuleResult:
    """One rule judged on one roster: how many subjects it looked at and what broke."""

    rule: str
    label: str
    enabled: bool
    checked: int = 0  # how many bureaus, units or officers the rule looked at
    violations: list[Violation] = field(default_factory=list)

    @property
    def status(self) -> str:
        if not self.enabled:
            return "off"
        return "violated" if self.violations else "ok"

    def fail(self, subject: str, message: str, figures: dict | None = None,
             about: str = "") -> None:
        self.violations.append(Violation(self.rule, subject, message, figures or {}, about))


@dataclass
class BureauFigures:
    bureau: str
    kind: str
    force: int
    station_strength: int
    community_officers: int
    posts: int
    posts_staffed: int
    station_target: Fraction | None
    community_target: Fraction | None
    community_funds: int = 0  # yuan a year: community officers x budget per officer
    funds_cap: int | None = None  # budget.max_yuan for this bureau

    @property
    def station_share(self) -> Fraction | None:
        return Fraction(self.station_strength, self.force) if self.force else None

    @property
    def community_share(self) -> Fraction | None:
        return (Fraction(self.community_officers, self.station_strength)
                if self.station_strength else None)


@dataclass
class CheckReport:
    mode: str  # "roster": the current roster; "plan": a final assignment
    results: list[RuleResult]
    bureaus: list[BureauFigures]
    unplaced_recruits: list[str]
    moves: int  # existing officers whose unit changes
    moves_by_kind: dict[str, int]  # by kind of move (staffplan.moves); recruits are no moves
    warnings: list[Violation] = field(default_factory=list)  # risks: --strict fails on them
    approvals: list[Approval] = field(default_factory=list)
    yuan_per_officer: int = 0  # the community-policing budget per community officer a year
    placed_by_kind: dict[str, int] = field(default_factory=dict)  # recruits, by unit kind
    # Information for the next plan (e.g. a tenure that ends soon), never a failure: every
    # optimal plan may raise them, so --strict ignores them.
    notices: list[Violation] = field(default_factory=list)
    steps: list[CheckReport] = field(default_factory=list)  # per step, for several steps
    dates: list[str] = field(default_factory=list)  # the steps' dates

    @property
    def recruits_placed(self) -> int:
        return sum(self.placed_by_kind.values())

    @property
    def violations(self) -> list[Violation]:
        return [v for r in self.results for v in r.violations]

    @property
    def ok(self) -> bool:
        return not self.violations


@dataclass
class StepPlan:
    """One step of a plan: the roster as the plan carries it over to the step (officers at
    the units the step before left them), where each officer goes, why, and the check."""

    scenario: Scenario
    final: dict[str, str | None]
    reasons: dict[str, str]
    report: CheckReport

    @property
    def date(self):
        return self.scenario.plan_date


@dataclass
class Myopic:
    """The year-by-year plan: each step alone, for its fewest moves, given the steps before."""

    moves: list[int]  # per step planned
    failed_at: int | None = None  # the step where no plan meets the rules, if one does
    conflicts: list[str] = field(default_factory=list)

    @property
    def total(self) -> int | None:
        return None if self.failed_at is not None else sum(self.moves)


@dataclass
class PlanResult:
    scenario: Scenario
    status: Status
    outcome: Outcome | None
    final: dict[str, str | None] = field(default_factory=dict)  # step 0's
    reasons: dict[str, str] = field(default_factory=dict)  # step 0's
    report: CheckReport | None = None  # the whole plan's (per step in ``steps``)
    conflicts: list[str] = field(default_factory=list)  # why no plan exists
    timings: dict[str, float] = field(default_factory=dict)
    steps: list[StepPlan] = field(default_factory=list)  # every step (one without a horizon)
    myopic: Myopic | None = None  # the year-by-year figures, for a plan of several steps
    later: list[str] = field(default_factory=list)  # recruits hired after the last step
    published: dict | None = None  # officer -> {step: unit} of the plan kept to (--keep)
    # (date, officer, published unit, planned unit) where the plan differs from it
    changed: list[tuple] = field(default_factory=list)
    seconds: float = 0.0  # planning from start to end (the timings add up the workers')

    @property
    def moves(self) -> int | None:
        """Moves over every step of the plan."""
        return self.report.moves if self.report else None
