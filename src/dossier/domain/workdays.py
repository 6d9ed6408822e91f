"""Which days are working days: the weekdays you work, less public holidays and your own
days off. Pure: the holidays come in as a lookup, so the rules test without the package.

    >>> from datetime import date
    >>> cal = WorkCalendar(holidays=FixedHolidays({date(2024, 12, 25): "Christmas Day"}))
    >>> cal.next_working(date(2024, 12, 25))   # a Wednesday holiday rolls to Thursday
    datetime.date(2024, 12, 26)
    >>> str(cal.why_off(date(2024, 12, 28)))
    'a Saturday, not a working day'
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from typing import NamedTuple, Protocol

from .dates import LAST_DAY, days_from, each_day, past_end
from .errors import DossierError
from .messages import Message, note, warning

# Why a day is off (``WorkCalendar.why_off``): message ids a view may also tell apart.
WEEKEND_OFF = "a {day:weekday}, not a working day"
HOLIDAY_OFF = "a public holiday ({name})"
DAY_OFF = "your day off"
NOTED_DAY_OFF = "your day off ({note})"

# A calendar with no working day at all would make "the next working day" loop forever;
# ten years is past any horizon dossier plans for.
SEARCH_LIMIT = 3660


class HolidayLookup(Protocol):
    def get(self, day: date, /) -> str | None: ...


class NoHolidays:
    """The lookup when no country is configured."""

    def get(self, day: date, /) -> str | None:
        return None


NO_HOLIDAYS = NoHolidays()


class FixedHolidays:
    """A lookup over a given table (tests, or holidays already computed)."""

    def __init__(self, table: Mapping[date, str]) -> None:
        self.table = dict(table)

    def get(self, day: date, /) -> str | None:
        return self.table.get(day)


class DayOff(NamedTuple):
    id: int
    first: date
    last: date
    note: str | None


class WorkCalendar(NamedTuple):
    workdays: frozenset[int] = frozenset(range(5))
    holidays: HolidayLookup = NO_HOLIDAYS
    days_off: Sequence[DayOff] = ()

    def why_off(self, day: date) -> Message | None:
        """Why ``day`` is not a working day (``WEEKEND_OFF``, ``HOLIDAY_OFF`` or a day off
        of yours, with its note); None when it is one."""
        name = self.holidays.get(day)
        if name:
            return note(HOLIDAY_OFF, name=name)
        for off in self.days_off:
            if off.first <= day <= off.last:
                return note(NOTED_DAY_OFF, note=off.note) if off.note else note(DAY_OFF)
        if day.weekday() not in self.workdays:
            return note(WEEKEND_OFF, day=day)
        return None

    def is_working(self, day: date) -> bool:
        return self.why_off(day) is None

    def next_working(self, day: date) -> date:
        """``day`` itself if it is a working day, else the first one after it.

        The search stops after ten years, or at 9999-12-31 where the calendar ends.
        """
        last = days_from(day, SEARCH_LIMIT - 1)
        for candidate in each_day(day, last):
            if self.is_working(candidate):
                return candidate
        if last == LAST_DAY:
            raise past_end(note("no working day from {day} on: the next one", day=day))
        raise DossierError(
            "no working day in the next ten years: check 'dossier config' (workdays) "
            "and 'dossier off --list'"
        )

    def settle(self, day: date, rolls: bool, kept: Message) -> tuple[date, Message | None]:
        """Where a typed day ends up, and what to tell the user: a relative form that lands
        on a day off rolls to the next working day; an explicit date stays (``kept`` says
        so)."""
        reason = self.why_off(day)
        if reason is None:
            return day, None
        if not rolls:
            return day, warning(
                "Note: {day} is {reason}; {kept}", day=day, reason=reason, kept=kept
            )
        moved = self.next_working(day)
        return moved, note(
            "{day} is {reason}: moved to the next working day, {moved}",
            day=day,
            reason=reason,
            moved=moved,
        )

    def working_days(self, first: date, last: date) -> list[date]:
        """Working days from ``first`` to ``last``, both included."""
        return [day for day in each_day(first, last) if self.is_working(day)]
