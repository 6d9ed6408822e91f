"""The settings in force for a command, as a value: read by ``app.config``, shown by ``ui``."""

from __future__ import annotations

from typing import NamedTuple

from .dates import ENGLISH

# How workdays are written in the settings file (``mon`` … ``sun``), and the whole
# English names a user may type instead: the English lexicon's.
WEEKDAY_NAMES = tuple(name[:3].lower() for name in ENGLISH.weekdays)
FULL_NAMES = tuple(name.lower() for name in ENGLISH.weekdays)


class Settings(NamedTuple):
    capacity: int
    workdays: frozenset[int]  # 0 = Monday
    country: str | None
    subdivision: str | None
    sources: dict[str, str]
    path: str  # the settings file, whether or not it exists yet
    file_exists: bool
    lang: str | None = None  # None: the locale's (see i18n.pick_language)
    timezone: str | None = None  # an IANA zone for calendar exports; None: the system's
    # ``cadence.NAME`` keys: a tag's or a stage's default cadence ("vip" → "2w"), sorted.
    cadences: tuple[tuple[str, str], ...] = ()
    cold_factor: float = 1.5  # cold: no contact for this many cadences …
    cold_days: int = 60  # … or, without a cadence, for this many days
    # The method's daily targets ('dossier stats'): new clients and repeat contacts a
    # working day, and meetings a week.
    target_new: int = 20
    target_repeat: int = 10
    target_meetings_week: int = 5
    user: str | None = None  # the manager this machine works as (see app.users)
