"""``dossier stats``: the numbers of a period, inside one read-only unit of work."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta
from typing import TYPE_CHECKING

from ..domain import stats as numbers
from ..domain.dates import parse_past_day
from ..domain.errors import UsageError
from ..domain.review import week_start
from ..i18n import language

if TYPE_CHECKING:
    from ..domain.settings import Settings
    from ..domain.workdays import WorkCalendar
    from ..storage.base import Store

WEEKS = 8  # the default period: eight weeks, Monday to Sunday, ending with this one


def period(today: date, weeks: int | None, start: str | None, end: str | None) -> tuple[date, date]:
    """The days counted: ``--weeks N`` whole weeks ending with this one, or ``--from`` /
    ``--to`` (``log --date`` syntax; ``--to`` defaults to today, ``--from`` to the
    Monday ``--weeks`` weeks back from ``--to``)."""
    if weeks is not None and (start or end):
        raise UsageError("give --weeks or --from/--to, not both")
    count = WEEKS if weeks is None else weeks
    if not 1 <= count <= 520:
        raise UsageError("--weeks must be from 1 to 520, not {count}", count=count)
    if start is None and end is None:
        return numbers.weeks_back(today, count)
    lang = language()
    last = parse_past_day(end, today, lang=lang) if end else today
    if start:
        first = parse_past_day(start, today, lang=lang)
    else:
        first = week_start(last) - timedelta(weeks=count - 1)
    if first > last:
        raise UsageError(
            "--from {first} is after --to {last}", first=first.isoformat(), last=last.isoformat()
        )
    return first, last


def calendar(store: Store, settings: Settings, first: date) -> WorkCalendar:
    """The working-day calendar with the days off from ``first`` on (the unit's own
    keeps only the last month's): the targets count the period's working days."""
    from ..domain.dates import days_from
    from .calendars import calendar_for

    return calendar_for(store, settings, days_from(first, 31), language())


def stats(
    store: Store,
    first: date,
    last: date,
    tags: Sequence[str],
    settings: Settings,
    calendar: WorkCalendar,
) -> numbers.Stats:
    """The period's numbers for the folder, or the part of it with every one of ``tags``."""
    targets = numbers.Targets(
        settings.target_new, settings.target_repeat, settings.target_meetings_week
    )
    return numbers.stats(
        first,
        last,
        tags,
        targets,
        tallies=store.stats_tallies(first, last, tags),
        gaps=store.stats_gaps(first, last, tags),
        first_contacts=store.stats_first_contacts(first, last, tags),
        stages=store.stats_stages(tags),
        moves=store.stats_moves(first, last, tags),
        wins=store.stats_wins(first, last, tags),
        overdue=store.stats_overdue(first, last),
        is_working=calendar.is_working,
    )
