"""The numbers (``dossier stats``): weeks of contacts against the method's targets, the
funnel, what it takes to close, the gaps between contacts and the overdue pile.

Pure: the tallies come from the store, the working days from the calendar (as a
predicate), the sentences from ``ui.stats``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from .records import OUTCOMES, STAGES
from .review import CONTACT_KINDS, REACHED, week_start

# The stages a client goes forward through; 'dormant' is a side track, not a step.
CHAIN = ("lead", "prospect", "negotiation", "client")


@dataclass(frozen=True)
class Tally:
    """How many entries of one kind and outcome a day holds."""

    day: date
    kind: str
    outcome: str | None
    count: int


@dataclass(frozen=True)
class Gap:
    """The gaps between consecutive contacts with a client that end on ``day``."""

    day: date
    days: int  # added up
    gaps: int


@dataclass(frozen=True)
class Move:
    client_id: int
    day: date
    from_stage: str
    to_stage: str


@dataclass(frozen=True)
class Wins:
    """The period's wins (entries with the outcome ``won``), as two counts: how many
    took so many contacts (the client's, up to the win and itself included), and how
    many so many days (from the client's first contact)."""

    contacts: dict[int, int]
    days: dict[int, int]  # a client with no contact day is left out


@dataclass(frozen=True)
class Targets:
    new: int  # new clients contacted a working day
    repeat: int  # repeat contacts a working day
    meetings_week: int


@dataclass(frozen=True)
class Week:
    first: date  # a Monday, or the period's first day
    last: date  # a Sunday, or the period's last day
    working_days: int
    contacts: dict[str, int]  # per contact kind, every kind present
    notes: int
    outcomes: dict[str, int]  # per outcome, every outcome present
    reached: int  # calls with a reaching outcome (``review.REACHED``)
    calls_with_outcome: int
    new: int  # clients whose first contact ever fell in the week
    target_new: int
    target_repeat: int
    target_meetings: int
    overdue: dict[date, int]  # the overdue count at the start of each recorded day

    @property
    def total(self) -> int:
        return sum(self.contacts.values())

    @property
    def repeat(self) -> int:
        """Contacts that were not a client's first ever."""
        return self.total - self.new

    @property
    def meetings(self) -> int:
        return self.contacts["meeting"]

    @property
    def reach_rate(self) -> float | None:
        return rate(self.reached, self.calls_with_outcome)


@dataclass(frozen=True)
class Step:
    """One step of the funnel over the period: of the clients in ``stage`` now plus those
    who moved on from it to a later stage, the share that moved on."""

    stage: str
    next_stage: str
    moved: int  # clients who moved from ``stage`` to a later one in the period
    still: int  # clients in ``stage`` now

    @property
    def rate(self) -> float | None:
        return rate(self.moved, self.moved + self.still)


@dataclass(frozen=True)
class Spread:
    """A median with its spread: the quartiles (inclusive method) and the extremes."""

    count: int
    median: float
    low_quartile: float
    high_quartile: float
    least: float
    most: float


@dataclass(frozen=True)
class Stats:
    first: date
    last: date
    tags: tuple[str, ...]
    targets: Targets
    weeks: list[Week]
    stages: dict[str, int]  # clients per stage now, every stage present
    moves: dict[tuple[str, str], int]  # (from, to) → how many moves, in the stages' order
    steps: list[Step]
    wins: int
    contacts_to_close: Spread | None
    days_to_close: Spread | None
    gap_days: int
    gaps: int

    @property
    def average_gap(self) -> float | None:
        """Days between a client's consecutive contacts, on average over the period."""
        return self.gap_days / self.gaps if self.gaps else None


def rate(part: int, whole: int) -> float | None:
    """``part`` over ``whole``; None when there is nothing to divide.

    >>> rate(3, 4), rate(0, 0)
    (0.75, None)
    """
    return part / whole if whole else None


def weeks_back(today: date, count: int) -> tuple[date, date]:
    """``count`` whole weeks, Monday to Sunday, ending with the week of ``today``.

    >>> weeks_back(date(2024, 7, 10), 2)
    (datetime.date(2024, 7, 1), datetime.date(2024, 7, 14))
    """
    monday = week_start(today)
    return monday - timedelta(weeks=count - 1), monday + timedelta(days=6)


def week_spans(first: date, last: date) -> list[tuple[date, date]]:
    """The period cut into weeks (Monday to Sunday), the first and last cut short to it.

    >>> [(a.isoformat(), b.isoformat()) for a, b in week_spans(date(2024, 7, 3), date(2024, 7, 9))]
    [('2024-07-03', '2024-07-07'), ('2024-07-08', '2024-07-09')]
    """
    spans = []
    start = first
    while start <= last:
        end = min(week_start(start) + timedelta(days=6), last)
        spans.append((start, end))
        start = end + timedelta(days=1)
    return spans


def spread(values: Sequence[float]) -> Spread | None:
    """The median and spread of ``values``; None when there are none.

    >>> spread([2, 4, 4, 10])
    Spread(count=4, median=4.0, low_quartile=3.5, high_quartile=5.5, least=2, most=10)
    """
    if not values:
        return None
    import statistics  # not for the commands that only build a store

    ordered = sorted(values)
    if len(ordered) == 1:
        low = high = float(ordered[0])
    else:
        low, _middle, high = statistics.quantiles(ordered, n=4, method="inclusive")
    return Spread(
        len(ordered), float(statistics.median(ordered)), low, high, ordered[0], ordered[-1]
    )


def _week(
    span: tuple[date, date],
    tallies: Iterable[Tally],
    first_contacts: Mapping[date, int],
    overdue: Mapping[date, int],
    is_working: Callable[[date], bool],
    targets: Targets,
) -> Week:
    first, last = span
    contacts = dict.fromkeys(CONTACT_KINDS, 0)
    outcomes = dict.fromkeys(OUTCOMES, 0)
    notes = reached = with_outcome = 0
    for t in tallies:
        if t.kind == "note":
            notes += t.count
        elif t.kind in contacts:
            contacts[t.kind] += t.count
        if t.outcome in outcomes:
            outcomes[t.outcome] += t.count
            if t.kind == "call":
                with_outcome += t.count
                reached += t.count if t.outcome in REACHED else 0
    days = [first + timedelta(days=i) for i in range((last - first).days + 1)]
    working = sum(1 for day in days if is_working(day))
    return Week(
        first=first,
        last=last,
        working_days=working,
        contacts=contacts,
        notes=notes,
        outcomes=outcomes,
        reached=reached,
        calls_with_outcome=with_outcome,
        new=sum(first_contacts.get(day, 0) for day in days),
        target_new=targets.new * working,
        target_repeat=targets.repeat * working,
        target_meetings=targets.meetings_week,
        overdue={day: overdue[day] for day in days if day in overdue},
    )


def _values(counted: Mapping[int, int]) -> list[int]:
    return [value for value, n in counted.items() for _ in range(n)]


def funnel_steps(stages: Mapping[str, int], moves: Sequence[Move]) -> list[Step]:
    """Each step of ``CHAIN``: the clients who moved on from a stage to a later one in
    the period (each counted once) against those still in it now."""
    steps = []
    for i, stage in enumerate(CHAIN[:-1]):
        later = CHAIN[i + 1 :]
        moved = {m.client_id for m in moves if m.from_stage == stage and m.to_stage in later}
        steps.append(Step(stage, CHAIN[i + 1], len(moved), stages.get(stage, 0)))
    return steps


def stats(
    first: date,
    last: date,
    tags: Sequence[str],
    targets: Targets,
    *,
    tallies: Sequence[Tally],
    gaps: Sequence[Gap],
    first_contacts: Mapping[date, int],
    stages: Mapping[str, int],
    moves: Sequence[Move],
    wins: Wins,
    overdue: Mapping[date, int],
    is_working: Callable[[date], bool],
) -> Stats:
    """The period's numbers from the store's tallies and lists."""
    weeks = [
        _week(
            span,
            [t for t in tallies if span[0] <= t.day <= span[1]],
            first_contacts,
            overdue,
            is_working,
            targets,
        )
        for span in week_spans(first, last)
    ]
    moved: dict[tuple[str, str], int] = {}
    for m in moves:
        moved[(m.from_stage, m.to_stage)] = moved.get((m.from_stage, m.to_stage), 0) + 1
    # In the funnel's order (lead → prospect first), not the order they were read in.
    order = {stage: number for number, stage in enumerate(STAGES)}
    moved = dict(sorted(moved.items(), key=lambda pair: (order[pair[0][0]], order[pair[0][1]])))
    now = {stage: stages.get(stage, 0) for stage in STAGES}
    return Stats(
        first=first,
        last=last,
        tags=tuple(tags),
        targets=targets,
        weeks=weeks,
        stages=now,
        moves=moved,
        steps=funnel_steps(now, moves),
        wins=sum(wins.contacts.values()),
        contacts_to_close=spread(_values(wins.contacts)),
        days_to_close=spread(_values(wins.days)),
        gap_days=sum(g.days for g in gaps),
        gaps=sum(g.gaps for g in gaps),
    )
