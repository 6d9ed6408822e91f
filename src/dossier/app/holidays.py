"""Public holidays, computed once per country, region and year, then read from a cache.

The ``holidays`` package takes about 85 ms to import; the commands that need working days
(``today``, ``file`` with a relative date, ``folder``, ``agenda``) run dozens of times a
day, so its answers are kept as small JSON files in the user cache directory. Delete the
folder to recompute them (after upgrading ``holidays``, say).
"""

from __future__ import annotations

import json
import os
from datetime import date
from pathlib import Path


def cache_dir() -> Path:
    from platformdirs import user_cache_path

    return user_cache_path("dossier", appauthor=False) / "holidays"


class CachedHolidays:
    """A ``HolidayLookup`` for one country (and region), loading a year at a time."""

    def __init__(self, country: str, subdivision: str | None, folder: Path | None = None) -> None:
        self.country = country
        self.subdivision = subdivision
        self.folder = folder or cache_dir()
        self._years: dict[int, dict[str, str]] = {}

    def get(self, day: date, /) -> str | None:
        if day.year not in self._years:
            self._years[day.year] = self._load(day.year)
        return self._years[day.year].get(day.isoformat())

    def _load(self, year: int) -> dict[str, str]:
        path = self.folder / f"{self.country}-{self.subdivision or 'all'}-{year}.json"
        try:
            with path.open(encoding="utf-8") as handle:
                cached = json.load(handle)
            if isinstance(cached, dict) and all(isinstance(v, str) for v in cached.values()):
                return cached
        except (OSError, ValueError):
            pass
        computed = self._compute(year)
        self._store(path, computed)
        return computed

    def _compute(self, year: int) -> dict[str, str]:
        import holidays

        from ..domain.errors import DossierError

        try:
            table = holidays.country_holidays(self.country, subdiv=self.subdivision, years=[year])
        except NotImplementedError:
            raise DossierError(
                f"the configured holidays ({self.country}"
                + (f"-{self.subdivision}" if self.subdivision else "")
                + ") are unknown to the holidays package; fix them with "
                "'dossier config set country CODE' (or 'none')"
            ) from None
        return {day.isoformat(): str(name) for day, name in sorted(table.items())}

    def _store(self, path: Path, values: dict[str, str]) -> None:
        """Best effort: a cache that cannot be written only costs speed.

        Private like everything dossier writes (folders 0700, files 0600) whatever the
        umask: the modes are set explicitly, not left to ``mkdir``/``open``, which the
        umask masks (and ``parents=True`` creates with the default mode).
        """
        from ..storage.paths import private_dir

        try:
            private_dir(path.parent)
            temporary = path.with_name(f"{path.name}.{os.getpid()}.tmp")
            fd = os.open(temporary, os.O_CREAT | os.O_WRONLY | os.O_TRUNC, 0o600)
            with os.fdopen(fd, "w", encoding="utf-8") as handle:
                os.fchmod(handle.fileno(), 0o600)  # a stale temporary keeps its old mode
                handle.write(json.dumps(values))
            os.replace(temporary, path)
        except OSError:
            pass
