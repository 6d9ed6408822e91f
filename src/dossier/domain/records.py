"""The dossier, its history and its place in the folder, as plain dataclasses.

These are what the everyday commands pass around. They are deliberately not the SQLModel
classes in ``models.py``: importing SQLModel costs about a second, which a command run
dozens of times a day must not pay. ``models.py`` stays the schema of record and a test
keeps the two, and the migrations, in step.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import NamedTuple

STAGES = ("lead", "prospect", "negotiation", "client", "dormant")
KINDS = ("call", "meeting", "email", "visit", "note")
OUTCOMES = (
    "reached",
    "no-answer",
    "left-message",
    "meeting-set",
    "proposal-sent",
    "won",
    "lost",
)
CORE_FIELDS = ("name", "company", "position", "phone", "email", "stage")
# The types a team's own form field can have (``dossier field add --type``).
FIELD_TYPES = ("text", "number", "date", "choice", "phone", "email")


def choice(value: str | None, allowed: tuple[str, ...], flag: str) -> str | None:
    """Check a flag value against its allowed set (case-insensitive)."""
    if value is None:
        return None
    folded = value.strip().lower()
    if folded not in allowed:
        from .errors import UsageError

        raise UsageError(
            "{flag} {value!r} is not one of: {allowed}",
            flag=flag,
            value=value,
            allowed=", ".join(allowed),
        )
    return folded


class Entry(NamedTuple):
    """One line of a client's history: a call, meeting, e-mail, visit or note."""

    id: int
    client_id: int
    at: str  # local timestamp, YYYY-MM-DDTHH:MM:SS
    kind: str
    outcome: str | None
    text: str

    @property
    def day(self) -> str:
        return self.at[:10]


class Placement(NamedTuple):
    """Where the dossier sits: behind a day tab (``due``) or a month tab (``month``)."""

    due: date | None
    month: str | None  # YYYY-MM
    at: str | None  # HH:MM, only with a day
    purpose: str | None  # what the next contact is about ("for")


@dataclass
class Client:
    """The information card: everything on one sheet."""

    id: int
    name: str
    company: str | None
    position: str | None
    phones: list[str]
    email: str | None
    stage: str
    placement: Placement | None
    archived_at: str | None
    archive_reason: str | None
    created_at: str
    updated_at: str
    filed_at: str | None = None
    tags: list[str] = field(default_factory=list)
    fields: dict[str, str] = field(default_factory=dict)
    more_emails: list[str] = field(default_factory=list)  # the e-mails after the first
    uid: str | None = None  # the identity a vCard carried (kept for re-imports)
    every: str | None = None  # the client's own cadence, e.g. "3w" (domain.cadence)
    owner: str | None = None  # the user name of the manager who works it (domain.owners)
    # Moved on by every change to the card or its history: a front end that showed
    # version N refuses to write over a dossier that is at another one since.
    version: int = 1

    @property
    def phone(self) -> str | None:
        return self.phones[0] if self.phones else None

    @property
    def emails(self) -> list[str]:
        """Every e-mail of the card, the first (``email``) first."""
        return ([self.email] if self.email else []) + self.more_emails

    @property
    def archived(self) -> bool:
        return self.archived_at is not None


class Row(NamedTuple):
    """A dossier as listed in a tab: the card plus its latest history entry.

    ``contacted`` is false for a new client: not contacted yet (no call, meeting, e-mail
    or visit in its history; notes do not count, see ``store.CONTACT_KINDS``). The
    method counts those as "new calls", the others as repeat contacts.
    """

    client: Client
    last: Entry | None
    contacted: bool


class Cover(NamedTuple):
    """A cover for an absence: dossiers handed from ``giver`` to ``taker`` until a day,
    when those ``taker`` still owns (``held``, by id) go back to ``giver``."""

    id: int
    giver: str
    taker: str
    until: date
    reason: str | None
    created: str
    held: list[int]
