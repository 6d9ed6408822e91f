"""Who works a dossier: the user names that owners, handoffs and undo are recorded under.

A user name is an identifier shared by a team, typed on many machines (``--user``,
``DOSSIER_USER``, the ``user`` setting, the login name): it is compared folded, so that
``Anna`` typed on one laptop and ``anna`` logged in on another are the same manager.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field
from datetime import date

from .records import Client

USER_PUNCTUATION = "._-@"
USER_MAX = 64


def user_name(text: str) -> str | None:
    """The user name ``text`` stands for (NFC, trimmed, case-folded), or None when it
    cannot be one: empty, longer than 64 characters, or with anything but letters,
    digits and ``. _ - @``."""
    name = unicodedata.normalize("NFC", text.strip()).casefold()
    if not name or len(name) > USER_MAX:
        return None
    if all(ch.isalnum() or ch in USER_PUNCTUATION for ch in name):
        return name
    return None


@dataclass(frozen=True)
class Whose:
    """Whose dossiers a view shows: ``owner`` (None: the team's), whether its heading
    says so (a folder with more than one owner, or another manager's dossiers: a
    one-person folder's headings stay as they are), and how many managers share the
    capacity (the team's view: every owner of an active dossier)."""

    owner: str | None
    said: bool = False
    owners: int = 1

    def capacity(self, per_person: int) -> int:
        """A day's capacity for this view: one person's, or the team's."""
        return per_person * max(self.owners, 1)


@dataclass
class Handoff:
    """What a handoff moved (or, with ``dry_run``, would move)."""

    giver: str
    taker: str
    clients: list[Client]
    until: date | None = None
    reason: str | None = None
    dry_run: bool = False
    loads: list[tuple[date, int]] = field(default_factory=list)  # the taker's days
    capacity: int = 0
