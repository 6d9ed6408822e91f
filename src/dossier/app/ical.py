"""``dossier export --format ics``: the plan as an iCalendar file (RFC 5545) that a
calendar app can subscribe to.

One VEVENT per active dossier filed on a day: all day (``DTSTART;VALUE=DATE``, ``DTEND``
the next day, ``TRANSP:TRANSPARENT``, so it never blocks the calendar) or, with a fixed
time, 30 minutes from that time in the configured time zone (``dossier config set
timezone``, default the system's), whose VTIMEZONE the file carries. Dossiers behind a
month tab without a day are not events.

What keeps a subscribed calendar right:

- ``UID`` is the client's (``<uid>@dossier``): refiling moves its event, never adds one.
- ``SEQUENCE`` is the time the dossier was last filed, in seconds since 2000-01-01 UTC:
  it grows with each refiling and stays put while nothing moves (dossier keeps no
  counter of refilings; the filing time is what it stores).
- ``DTSTAMP`` is the card's last change, in UTC: two exports with no change in between
  are byte-identical.

Nothing but the name, the company and the ``for`` leaves the folder unless ``details``
is asked for (then DESCRIPTION: phones, e-mails and the latest history entry). The
sentences (SUMMARY, DESCRIPTION) are the caller's, in the run's language: see
``ui.exports``. ``icalendar`` is imported only here, by this export.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from ..domain.records import Client, Entry
from .exporting import cards, chosen, client_uid

if TYPE_CHECKING:
    import icalendar

    from ..storage.base import Store

PRODID = "-//dossier//dossier 0.1//EN"
DURATION = timedelta(minutes=30)  # a timed call's default length
EPOCH = datetime(2000, 1, 1, tzinfo=UTC)


@dataclass(frozen=True)
class EventTexts:
    """The words of an event, composed by ``ui`` in the run's language."""

    summary: Callable[[Client], str]
    description: Callable[[Client, Entry | None], str]


def calendar(
    store: Store,
    tags: Sequence[str],
    stage: str | None,
    *,
    zone: str,
    texts: EventTexts,
    details: bool = False,
) -> bytes:
    """The calendar of the active dossiers filed on a day (with every one of ``tags``,
    in ``stage``), ordered by day, time and id."""
    import icalendar

    tz = ZoneInfo(zone)
    filed = [c for c in cards(store, chosen(store, tags, stage)) if _day(c) is not None]
    filed.sort(key=lambda c: (_day(c), _time(c), c.id))
    latest = store.latest_entries([c.id for c in filed]) if details else {}
    cal = icalendar.Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("x-wr-calname", "dossier")
    for client in filed:
        cal.add_component(_event(client, tz, texts, latest.get(client.id), details))
    days = [d for d in (_day(c) for c in filed) if d is not None]
    if days:
        # The zone's rules from the year before the first event to the year after the
        # last one: enough for any reader, and the same file for the same plan.
        cal.add_missing_timezones(
            first_date=date(min(days).year - 1, 1, 1), last_date=date(max(days).year + 2, 1, 1)
        )
    data: bytes = cal.to_ical()
    return data


def _event(
    client: Client, tz: ZoneInfo, texts: EventTexts, entry: Entry | None, details: bool
) -> icalendar.Event:
    import icalendar

    event = icalendar.Event()
    day = _day(client)
    assert day is not None and client.placement is not None
    event.add("uid", f"{client_uid(client)}@dossier")
    event.add("dtstamp", utc(client.updated_at, tz))
    event.add("sequence", sequence(client, tz))
    event.add("summary", ical_text(texts.summary(client)))
    at = client.placement.at
    if at is None:
        event.add("dtstart", day)
        event.add("dtend", day + timedelta(days=1))
        event.add("transp", "TRANSPARENT")
    else:
        hour, minute = (int(part) for part in at.split(":"))
        start = datetime(day.year, day.month, day.day, hour, minute, tzinfo=tz)
        event.add("dtstart", start)
        event.add("dtend", start + DURATION)
    if details:
        event.add("description", ical_text(texts.description(client, entry)))
    return event


def _day(client: Client) -> date | None:
    return client.placement.due if client.placement is not None else None


def _time(client: Client) -> str:
    return (client.placement.at if client.placement is not None else None) or ""


def utc(stamp: str, tz: ZoneInfo) -> datetime:
    """A local timestamp of the folder (``YYYY-MM-DDTHH:MM:SS``), read in ``tz``, in UTC."""
    return datetime.fromisoformat(stamp).replace(tzinfo=tz).astimezone(UTC)


def sequence(client: Client, tz: ZoneInfo) -> int:
    """Seconds from 2000-01-01 UTC to the last filing (or last change, for a dossier
    filed before dossier kept the filing time): grows with each refiling, fits the
    32-bit integer calendars keep until 2068."""
    filed = client.filed_at or client.updated_at
    return max(0, int((utc(filed, tz) - EPOCH).total_seconds()))


def ical_text(text: str) -> str:
    """Text for a property: RFC 5545 allows no control character in a TEXT value but the
    line breaks (which icalendar escapes as ``\\n``); the others are left out."""
    return "".join(ch for ch in text if ch == "\n" or ch == "\t" or not _control(ch))


def _control(ch: str) -> bool:
    code = ord(ch)
    return code < 0x20 or 0x7F <= code < 0xA0
