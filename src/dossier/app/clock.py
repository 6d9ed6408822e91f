"""The one place dossier reads the wall clock for timestamps.

"Today" itself comes from ``dates.today_from`` (``DOSSIER_TODAY`` or the local date); a
timestamp is that day at the current local time, so that everything a command records
with ``DOSSIER_TODAY`` set lands on that day.
"""

from __future__ import annotations

from datetime import date, datetime


def stamp(today: date) -> str:
    """``YYYY-MM-DDTHH:MM:SS`` on ``today`` at the current time."""
    return f"{today.isoformat()}T{datetime.now():%H:%M:%S}"
