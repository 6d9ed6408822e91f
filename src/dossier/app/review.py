"""``dossier review``: the day (or the week to date) that passed, inside one read-only
unit of work."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from ..domain import review as numbers
from ..domain.dates import days_from, parse_past_day
from ..domain.workdays import WorkCalendar
from ..i18n import language
from . import folder

if TYPE_CHECKING:
    from ..storage.base import Store


def period(today: date, text: str | None, week: bool) -> tuple[date, date]:
    """The days reviewed: DATE (``log --date`` syntax, default today), or with ``week``
    the Monday of its week up to it."""
    last = today if text is None else parse_past_day(text, today, lang=language())
    return (numbers.week_start(last) if week else last), last


def review(
    store: Store,
    today: date,
    first: date,
    last: date,
    calendar: WorkCalendar,
    capacity: int,
) -> numbers.Review:
    """The period's numbers, and the load of the next working day after it (with the
    overdue pile when that day is today, as ``folder`` counts it)."""
    entries = store.review_entries(first, last)
    missed = store.review_missed(first, last)
    added = store.review_new_clients(first, last)
    next_day = calendar.next_working(days_from(last, 1))
    (load,) = folder.with_overdue(store, folder.loads(store, next_day, next_day, calendar), today)
    return numbers.review(first, last, entries, missed, added, next_day, load.count, capacity)
