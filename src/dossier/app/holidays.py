"""Public holidays, computed once per country, region, language and year, then read
from a cache.

The ``holidays`` package takes about 85 ms to import; the commands that need working days
(``today``, ``file`` with a relative date, ``folder``, ``agenda``) run dozens of times a
day, so its answers are kept as small JSON files in the user cache directory. Delete the
folder to recompute them (after upgrading ``holidays``, say).

The names are in the run's language where the package has them for that country (Spain's
12 October is "National Day" in English and "Fiesta Nacional de España" in Spanish), else
in the country's own. The language is always given to the package: left to itself, it
would pick one from the environment's locale.
"""

from __future__ import annotations

import json
import os
from collections.abc import Sequence
from datetime import date
from pathlib import Path


def cache_dir() -> Path:
    from ..storage.paths import user_dir

    return user_dir("cache") / "holidays"


class CachedHolidays:
    """A ``HolidayLookup`` for one country (and region), its names in ``lang`` ("en",
    "es") where the package has them, loading a year at a time."""

    def __init__(
        self,
        country: str,
        subdivision: str | None,
        folder: Path | None = None,
        *,
        lang: str = "en",
    ) -> None:
        self.country = country
        self.subdivision = subdivision
        self.lang = lang
        self.folder = folder or cache_dir()
        self._years: dict[int, dict[str, str]] = {}

    def get(self, day: date, /) -> str | None:
        if day.year not in self._years:
            self._years[day.year] = self._load(day.year)
        return self._years[day.year].get(day.isoformat())

    def _load(self, year: int) -> dict[str, str]:
        path = self.folder / f"{self.country}-{self.subdivision or 'all'}-{year}-{self.lang}.json"
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
            entity = holidays.country_holidays(self.country, subdiv=self.subdivision)
            table = holidays.country_holidays(
                self.country,
                subdiv=self.subdivision,
                years=[year],
                language=names_language(
                    self.lang, entity.default_language, entity.supported_languages
                ),
            )
        except NotImplementedError:
            code = f"{self.country}-{self.subdivision}" if self.subdivision else self.country
            raise DossierError(
                "the configured holidays ({code}) are unknown to the holidays package; fix "
                "them with 'dossier config set country CODE' (or 'none')",
                code=code,
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


def names_language(lang: str, default: str | None, supported: Sequence[str]) -> str | None:
    """The package's language code for holiday names in ``lang``: the country's own
    language when it is that one, else a variant the package supports (English is
    ``en_US`` or ``en_GB`` there), else the country's own (``default``).

    >>> names_language("es", "es", ("ca", "en_US", "es")), names_language("en", "es", ("en_US",))
    ('es', 'en_US')
    >>> names_language("es", "en_GB", ("en_GB", "en_US", "th"))
    'en_GB'
    """
    if default is not None and (default == lang or default.startswith(f"{lang}_")):
        return default
    for code in supported:
        if code == lang:
            return code
    for code in supported:
        if code.startswith(f"{lang}_"):
            return code
    return default
