"""Correcting the plan: levelling an overloaded day and spreading a month tab onto days.

Pure functions from stacks of dossiers to a list of moves, so the rules (never move a
meeting, least urgent first, only onto working days with room) are tested without a
database, and ``--dry-run`` is the same plan, just not applied.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date

from .dates import days_from, each_day
from .workdays import WorkCalendar

DEFAULT_HORIZON = 92  # days ahead that levelling may use; about a quarter, as on paper


@dataclass(frozen=True)
class Item:
    """A dossier as planning sees it."""

    id: int
    name: str
    due: date | None  # None: behind a month tab, no day yet
    at: str | None = None  # fixed time: never moved
    new: bool = False  # no history yet: a new client
    filed_at: str = ""  # when it was last filed
    month: str | None = None  # YYYY-MM when behind a month tab


def least_urgent_first(items: Iterable[Item], day: date) -> list[Item]:
    """New clients before repeat contacts, dossiers already waiting past their day last,
    and within that the most recently filed first (two stable sorts)."""
    ordered = sorted(items, key=lambda i: (i.filed_at, i.id), reverse=True)
    ordered.sort(key=lambda i: (0 if i.new else 1, 1 if i.due is not None and i.due < day else 0))
    return ordered


@dataclass(frozen=True)
class Move:
    item: Item
    to: date


@dataclass
class Plan:
    moves: list[Move]
    stuck: list[Item]  # could not be placed: no working day with room in the horizon
    fixed: list[tuple[date, int]] = field(default_factory=list)  # days over with meetings only


def level(
    stacks: dict[date, list[Item]],
    days: Iterable[date],
    capacity: int,
    calendar: WorkCalendar,
    horizon: int = DEFAULT_HORIZON,
) -> Plan:
    """Move each listed day's excess onto the next working days that have room.

    ``stacks`` maps every day in play (the levelled days and the days after them up to
    the horizon) to the dossiers behind it; a day's stack may hold overdue dossiers.
    """
    loads = {day: len(items) for day, items in stacks.items()}
    plan = Plan([], [])
    for day in sorted(set(days)):
        stack = stacks.get(day, [])
        excess = loads.get(day, 0) - capacity
        if excess <= 0:
            continue
        movable = least_urgent_first((i for i in stack if not i.at), day)
        if excess > len(movable):
            plan.fixed.append((day, excess - len(movable)))
        # The days after this one, up to the horizon; none after 9999-12-31.
        target, until = days_from(day, 1), days_from(day, horizon)
        for item in movable[:excess]:
            found = (
                _next_with_room(target, until, loads, capacity, calendar) if day < until else None
            )
            if found is None:
                plan.stuck.append(item)
                continue
            target = found
            loads[day] -= 1
            loads[found] = loads.get(found, 0) + 1
            plan.moves.append(Move(item, found))
    return plan


def spread(
    items: Sequence[Item], days: Sequence[date], loads: dict[date, int], capacity: int
) -> Plan:
    """Give each undated dossier one of ``days`` (working days): the least loaded day
    with room each time, the earliest on a tie, so the month fills evenly."""
    loads = {day: loads.get(day, 0) for day in days}
    plan = Plan([], [])
    for item in sorted(items, key=lambda i: (i.filed_at, i.name.casefold(), i.id)):
        open_days = [d for d in days if loads[d] < capacity]
        if not open_days:
            plan.stuck.append(item)
            continue
        best = min(open_days, key=lambda d: (loads[d], d))
        loads[best] += 1
        plan.moves.append(Move(item, best))
    return plan


def _next_with_room(
    start: date, until: date, loads: dict[date, int], capacity: int, calendar: WorkCalendar
) -> date | None:
    """The first working day from ``start`` (included) to ``until`` with room left."""
    for day in each_day(start, until):
        if loads.get(day, 0) < capacity and calendar.is_working(day):
            return day
    return None
