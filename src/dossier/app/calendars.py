"""The working-day calendar in force for a command: settings, public holidays, days off.

Apart from ``binder`` (levelling, spreading, moving) so that the commands that only look
at the folder do not load the planning code.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from ..domain.dates import days_from
from ..domain.settings import Settings
from ..domain.workdays import DayOff, NoHolidays, WorkCalendar
from .holidays import CachedHolidays

if TYPE_CHECKING:
    from ..storage.base import Store


def calendar_for(store: Store, settings: Settings, today: date, lang: str = "en") -> WorkCalendar:
    """The working-day calendar in force: settings, public holidays (named in ``lang``
    where the holidays package can), your days off."""
    holidays = (
        CachedHolidays(settings.country, settings.subdivision, lang=lang)
        if settings.country
        else None
    )
    offs = [
        DayOff(id_, date.fromisoformat(first), date.fromisoformat(last), note)
        for id_, first, last, note in store.days_off(days_from(today, -31))
    ]
    return WorkCalendar(settings.workdays, holidays or NoHolidays(), offs)
