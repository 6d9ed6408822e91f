"""The day that passed (``dossier review``): the numbers, computed from plain rows.

Pure: the rows come from the store, the sentences from ``ui.review``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from .records import KINDS, OUTCOMES

CONTACT_KINDS = tuple(kind for kind in KINDS if kind != "note")
# A call "reached" someone when its outcome says a person answered: these, over every
# call that has an outcome (calls logged with no outcome are left out of the rate).
REACHED = ("reached", "meeting-set", "proposal-sent", "won", "lost")


@dataclass(frozen=True)
class DayEntry:
    """One history entry of the period, with its client as it is now."""

    client_id: int
    name: str
    at: str
    kind: str
    outcome: str | None
    due: str | None  # the client's place now: a day,
    due_month: str | None  # a month tab,
    archived: bool  # done (archived), or none of these: not filed
    contacted_before: bool  # the client had a contact (not a note) before the period


@dataclass(frozen=True)
class Named:
    id: int
    name: str
    when: str | None = None  # a missed dossier's day or month; a note's time; a place


@dataclass(frozen=True)
class Review:
    first: date
    last: date
    contacts: dict[str, int]  # per contact kind, every kind present
    notes: int
    outcomes: dict[str, int]  # per outcome, every outcome present
    reached: int  # calls with a reaching outcome (``REACHED``)
    calls_with_outcome: int
    handled: list[Named]  # when: "day:YYYY-MM-DD", "month:YYYY-MM", "done" or None
    missed: list[Named]  # when: the day (or month tab) it was due
    new_clients: list[Named]
    first_contacts: list[Named]
    without_outcome: list[Named]  # when: the entry's time
    without_outcome_kinds: list[str]
    next_day: date
    next_load: int
    capacity: int

    @property
    def reach_rate(self) -> float | None:
        """Reached calls over calls with an outcome; None when no call has one.

        >>> _empty(reached=3, calls_with_outcome=4).reach_rate
        0.75
        """
        if not self.calls_with_outcome:
            return None
        return self.reached / self.calls_with_outcome


def week_start(day: date) -> date:
    """The Monday of ``day``'s week.

    >>> week_start(date(2024, 7, 5))
    datetime.date(2024, 7, 1)
    """
    return day - timedelta(days=day.weekday())


def place_of(entry: DayEntry) -> str | None:
    if entry.archived:
        return "done"
    if entry.due:
        return f"day:{entry.due}"
    if entry.due_month:
        return f"month:{entry.due_month}"
    return None


def review(
    first: date,
    last: date,
    entries: Sequence[DayEntry],
    missed: Sequence[Named],
    new_clients: Sequence[Named],
    next_day: date,
    next_load: int,
    capacity: int,
) -> Review:
    """The period's numbers from its entries (in time order) and the store's lists."""
    contacts = dict.fromkeys(CONTACT_KINDS, 0)
    outcomes = dict.fromkeys(OUTCOMES, 0)
    notes = reached = with_outcome = 0
    handled: dict[int, Named] = {}
    firsts: dict[int, Named] = {}
    without: list[Named] = []
    without_kinds: list[str] = []
    for e in entries:
        handled.setdefault(e.client_id, Named(e.client_id, e.name, place_of(e)))
        if e.kind == "note":
            notes += 1
            continue
        contacts[e.kind] += 1
        if e.outcome is None:
            without.append(Named(e.client_id, e.name, e.at))
            without_kinds.append(e.kind)
        else:
            outcomes[e.outcome] += 1
            if e.kind == "call":
                with_outcome += 1
                reached += e.outcome in REACHED
        if not e.contacted_before:  # the period's first contact with this client
            firsts.setdefault(e.client_id, Named(e.client_id, e.name, e.at))
    return Review(
        first=first,
        last=last,
        contacts=contacts,
        notes=notes,
        outcomes=outcomes,
        reached=reached,
        calls_with_outcome=with_outcome,
        handled=list(handled.values()),
        missed=list(missed),
        new_clients=list(new_clients),
        first_contacts=list(firsts.values()),
        without_outcome=without,
        without_outcome_kinds=without_kinds,
        next_day=next_day,
        next_load=next_load,
        capacity=capacity,
    )


def _empty(**counts: int) -> Review:
    """A review with no rows (for the examples above)."""
    day = date(2024, 7, 5)
    base = review(day, day, [], [], [], day, 0, 30)
    return Review(**{**base.__dict__, **counts})
