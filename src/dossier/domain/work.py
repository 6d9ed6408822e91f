"""``dossier work``: the rules of a call session, pure (no store, no clock, no words).

One key answers a dossier: an outcome (``r n l m p w x``, recorded as a call with that
outcome), or ``s`` skip, ``d`` done, ``q`` quit. The keys are the same in every
language. After an outcome the next date is suggested: no answer, the next working day;
a message left, the second working day; anything else, one step of the client's cadence,
else one week; always rolled on to a working day.

>>> from datetime import date
>>> from .workdays import WorkCalendar
>>> friday = date(2024, 7, 5)
>>> suggest("no-answer", friday, None, WorkCalendar())
datetime.date(2024, 7, 8)
>>> suggest("left-message", friday, None, WorkCalendar())
datetime.date(2024, 7, 9)
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Literal

from .cadence import Cadence
from .errors import UsageError
from .fields import FieldDef
from .messages import Message
from .records import Client, Entry
from .workdays import WorkCalendar

OUTCOME_KEYS = {
    "r": "reached",
    "n": "no-answer",
    "l": "left-message",
    "m": "meeting-set",
    "p": "proposal-sent",
    "w": "won",
    "x": "lost",
}
SKIP, DONE, QUIT = "s", "d", "q"
KEYS = (*OUTCOME_KEYS, SKIP, DONE, QUIT)

# No cadence: the next contact a week on.
DEFAULT_STEP = Cadence(1, "w")

Action = Literal["outcome", "skip", "done", "quit"]


def action(key: str) -> tuple[Action, str | None]:
    """What a key means: ("outcome", the outcome), ("skip"|"done"|"quit", None).

    >>> action("R")
    ('outcome', 'reached')
    >>> action("q")
    ('quit', None)
    """
    folded = key.strip().lower()
    if folded in OUTCOME_KEYS:
        return "outcome", OUTCOME_KEYS[folded]
    if folded == SKIP:
        return "skip", None
    if folded == DONE:
        return "done", None
    if folded == QUIT:
        return "quit", None
    raise UsageError(
        "{key!r} is not a key here: give one of {keys}", key=key.strip(), keys=" ".join(KEYS)
    )


def suggest(outcome: str, today: date, step: Cadence | None, calendar: WorkCalendar) -> date:
    """The next date an outcome suggests (what Enter takes), a working day after today."""
    if outcome == "no-answer":
        return calendar.next_working(today + timedelta(days=1))
    if outcome == "left-message":
        first = calendar.next_working(today + timedelta(days=1))
        return calendar.next_working(first + timedelta(days=1))
    return calendar.next_working((step or DEFAULT_STEP).after(today))


def from_cadence(outcome: str, step: Cadence | None) -> bool:
    """Whether the suggestion for ``outcome`` is the client's cadence (else a rule)."""
    return outcome not in ("no-answer", "left-message") and step is not None


# --- what a session did --------------------------------------------------------------

# How each dossier left the session: an outcome, or one of these.
SKIPPED, DONE_KIND, GONE = "skipped", "done", "gone"


@dataclass(frozen=True)
class Went:
    """One dossier the session handled: how (an outcome, ``skipped``, ``done``, or
    ``gone``: removed or done by another command meanwhile) and where it is now
    (``place``: ``YYYY-MM-DD``, ``YYYY-MM`` for a month tab, ``done``, or None where it
    stayed)."""

    id: int
    name: str
    how: str
    place: str | None = None


@dataclass
class Tally:
    """The session so far, in the order things happened."""

    went: list[Went] = field(default_factory=list)
    left: int = 0  # dossiers not reached when the session ended (quit, Ctrl-C)

    @property
    def saved(self) -> int:
        """How many answers were written (each one undo step)."""
        return sum(1 for w in self.went if w.how not in (SKIPPED, GONE))

    def count(self, how: str) -> int:
        return sum(1 for w in self.went if w.how == how)

    def counts(self) -> dict[str, int]:
        """Every outcome, then skipped and done, each with how many (zeros kept)."""
        keys: Sequence[str] = (*OUTCOME_KEYS.values(), SKIPPED, DONE_KIND)
        return {key: self.count(key) for key in keys}


# --- what a front end shows and hands back (built by ``app.work``) -----------------


@dataclass(frozen=True)
class Card:
    """A dossier as the session shows it: ``number`` of ``total`` in the day's queue
    (its place when the session started), the card, its newest entries and the
    team's required fields. ``again``: shown before (skipped once, or changed by
    another command meanwhile)."""

    number: int
    total: int
    client: Client
    history: list[Entry]
    required: list[FieldDef]
    step: Cadence | None  # the cadence in force, if any
    # Per outcome, the date Enter takes, with the cadence it came from (None: a rule).
    suggestions: dict[str, tuple[date, Cadence | None]]
    again: bool = False
    seen: tuple[Client, int | None] | None = field(default=None, repr=False)
    # The folder's latest recorded change when the card was read: who changed the
    # dossier since is found among the changes after it.
    mark: int = field(default=0, repr=False)


@dataclass(frozen=True)
class Answer:
    """What was answered for a card: a key, a note, and the next date as typed (None or
    empty: the suggestion). The date matters for an outcome only; for ``lost``, none
    given means out of the folder."""

    key: str
    note: str = ""
    when: str | None = None


@dataclass
class Answered:
    """What became of an answer. ``changed``: another command changed the dossier while
    it was on screen; nothing was saved, and this is its fresh card (None when it is
    gone: then ``went`` says so), ``changed_by`` who changed it when known. Otherwise
    ``went`` is what was saved (or skipped)."""

    went: Went | None = None
    client: Client | None = None
    entry: Entry | None = None
    notices: list[Message] = field(default_factory=list)
    changed: Card | None = None
    changed_by: str | None = None
    skipped_once: bool = False
