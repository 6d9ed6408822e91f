"""The one place dossier reads the wall clock: today's date and timestamps.

"Today" is ``DOSSIER_TODAY`` when set (tests, what-if planning), else the local date; a
timestamp is that day at the current local time, so that everything a command records
with ``DOSSIER_TODAY`` set lands on that day.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from datetime import date, datetime

from ..domain.dates import ascii_digits
from ..domain.errors import UsageError


def stamp(today: date) -> str:
    """``YYYY-MM-DDTHH:MM:SS`` on ``today`` at the current time."""
    return f"{today.isoformat()}T{datetime.now():%H:%M:%S}"


def today_from(environ: Mapping[str, str] = os.environ) -> date:
    """Today's local date, or ``DOSSIER_TODAY`` when set (tests and what-if planning)."""
    value = environ.get("DOSSIER_TODAY", "").strip()
    if not value:
        return date.today()
    try:
        return date.fromisoformat(ascii_digits(value))
    except ValueError:
        raise UsageError(
            "DOSSIER_TODAY={value!r} is not a date; set it to YYYY-MM-DD or unset it", value=value
        ) from None
