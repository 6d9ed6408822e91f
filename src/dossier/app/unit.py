"""The front door: one unit of work per command, for the CLI and any later front end.

A unit is what every command needs before it does its own work, set up once here rather
than in each front end: today's date, the store opened from a path, the day's backup
before the first write of a day, one transaction (all of the command or nothing), the
undo label of a write, and, read only when a command asks for them, the settings and
the working-day calendar. The capability modules (``app.cards``, ``app.folder``,
``app.transfer``, ``app.safety``) take its parts.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from .clock import stamp, today_from

if TYPE_CHECKING:
    from ..domain.settings import Settings
    from ..domain.workdays import WorkCalendar
    from ..storage.base import Store
    from ..storage.paths import ServerUrl as ServerUrl


@dataclass
class Unit:
    """One command's store and day; the settings and calendar on first use."""

    store: Store
    today: date
    explicit_user: str | None = None  # --user, when given
    _user: str | None = field(default=None, repr=False)  # resolved: on first use
    _settings: Settings | None = field(default=None, repr=False)
    _calendar: WorkCalendar | None = field(default=None, repr=False)

    @property
    def settings(self) -> Settings:
        if self._settings is None:
            from .config import load

            self._settings = load()
        return self._settings

    @property
    def user(self) -> str:
        """The manager this command runs as (``app.users.current_user``)."""
        if self._user is None:
            from .users import current_user

            self._user = current_user(self.explicit_user)
        return self._user

    @property
    def calendar(self) -> WorkCalendar:
        """The working-day calendar in force: settings, public holidays, days off."""
        if self._calendar is None:
            from ..i18n import language
            from .calendars import calendar_for

            self._calendar = calendar_for(self.store, self.settings, self.today, language())
        return self._calendar


@contextmanager
def unit(
    database: str | Path | None, write: bool, label: str | None = None, user: str | None = None
) -> Iterator[Unit]:
    """Open the folder at ``database`` (None: ``$DOSSIER_DB`` or the default place) for
    one command. A write with a ``label`` (the command as typed) can be undone. ``user``
    is ``--user`` when given (else the environment, the settings, the login name)."""
    from ..storage import open_database
    from .users import current_user

    today = today_from()
    opened = open_database(database_path(database))
    resolved: list[str] = []

    def me() -> str:
        """The current user, resolved once (it may read the settings file)."""
        if not resolved:
            resolved.append(current_user(user))
        return resolved[0]

    try:
        # The overdue pile as the day starts ('dossier stats'): counted before the first
        # command of the day changes anything, kept only when that command succeeds.
        overdue = opened.day_to_open(today)
        # Owners: two index probes, and on most runs nothing to do. The dossiers nobody
        # owns yet (a file from before owners) become the current user's, so that none
        # vanishes from everyone's views; the covers whose day has come give back what
        # the colleague still holds (recorded for undo). Each in a small transaction of
        # its own before the command's; a read-only file skips both (its views count the
        # unowned dossiers as the current user's).
        unowned, ended = opened.owners_to_settle(today)
        if write or unowned or ended:  # the day's copy comes before its first write
            opened.daily_backup(today)
        if unowned:
            with opened.work(True, None, stamp(today)) as settling:
                settling.adopt_unowned(me())
        if ended:
            from .owners import give_back

            # Recorded as the change of whoever's command found the day had come.
            with opened.work(True, RETURN_LABEL, stamp(today), me()) as settling:
                give_back(settling, today)
        # A recorded change is someone's: 'undo' reverts the user's own.
        who = me() if write and label is not None else None
        with opened.work(write, label, stamp(today), who) as store:
            yield Unit(store, today, user, who)
        if overdue is not None:
            opened.open_day(today, overdue)
    finally:
        opened.close()


RETURN_LABEL = "dossier handoff (a cover ended: its dossiers went back)"


def database_path(database: str | Path | None) -> Path | ServerUrl:
    """Where the folder is: the path given, else ``$DOSSIER_DB``, else the default (a
    file, or a PostgreSQL database named by its URL)."""
    from ..storage.paths import resolve_db_path

    return resolve_db_path(database)
