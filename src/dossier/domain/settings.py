"""The settings in force for a command, as a value: read by ``app.config``, shown by ``ui``."""

from __future__ import annotations

from typing import NamedTuple

WEEKDAY_NAMES = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
FULL_NAMES = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")


class Settings(NamedTuple):
    capacity: int
    workdays: frozenset[int]  # 0 = Monday
    country: str | None
    subdivision: str | None
    sources: dict[str, str]
    path: str  # the settings file, whether or not it exists yet
    file_exists: bool
    lang: str | None = None  # None: the locale's (see i18n.pick_language)
