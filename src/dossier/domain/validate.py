"""Every value of an import file, checked and put in the folder's own forms before any write.

An export file may have been edited by hand, written by another program or made to break
things, and ``json.load`` accepts much that the folder cannot hold: a number where a name
belongs, integers beyond SQLite's 64 bits, lone surrogates (``"\\ud800"``), which SQLite
cannot store, days such as ``20240705`` that the folder's queries (plain text comparison
on ``YYYY-MM-DD``) never find, or a month ``banana`` that makes ``today`` crash until
``undo``. So nothing is taken as given: each client becomes a :class:`Card` whose values
are exactly what ``add``, ``file`` and ``log`` would store, or the whole file is refused.

Normalised rather than refused, because they are unambiguous: days in the other ISO 8601
forms (``20240705``, ``2024-W27-5``) become ``YYYY-MM-DD``; ``9:30`` becomes ``09:30``;
timestamps ``YYYY-MM-DD HH:MM[:SS]`` or a bare day become ``YYYY-MM-DDTHH:MM:SS``; names,
companies, tags and phones are trimmed as the CLI trims them; kinds, outcomes and stages
are case-folded. Control characters are data and are kept (the renderers escape them);
NUL is refused: no command line can type it, and SQLite leaves text holding one undefined
in its functions (``trim``, ``instr``) and its search index.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any, NamedTuple

from .errors import UsageError
from .messages import Message, note
from .names import normalise
from .records import KINDS, OUTCOMES, STAGES

SHOWN = 3  # problems named in the one error line

_DAY = re.compile(
    r"[0-9]{4}-[0-9]{2}-[0-9]{2}|[0-9]{8}|[0-9]{4}-W[0-9]{2}-[1-7]|[0-9]{4}W[0-9]{2}[1-7]"
)
_MONTH = re.compile(r"([0-9]{4})-([0-9]{2})")
_TIME = re.compile(r"([0-9]{1,2}):([0-9]{2})")
_CANONICAL_STAMP = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}")
_STAMP = re.compile(r"([0-9W-]+)(?:[T ]([0-9]{2}):([0-9]{2})(?::([0-9]{2}))?)?")


class InvalidError(Exception):
    """One value a client of the file cannot have, as a message (an id and parameters, as
    ``DossierError`` has) that names the key; the file's refusal lists a few of them."""

    def __init__(self, id: str, /, **params: Any) -> None:
        self.message = note(id, **params)
        super().__init__(id)

    def __str__(self) -> str:
        return str(self.message)


class Typed(str):
    """A value of the file as an error line quotes it (``{value!r}``): escaped, as
    ``repr`` does, and cut short."""

    __slots__ = ()

    def __repr__(self) -> str:
        shown = str.__repr__(self)
        return shown if len(shown) <= 40 else shown[:36] + "…" + shown[0]


class HistoryEntry(NamedTuple):
    """One line of history; a tuple, as an import may carry a million of them."""

    at: str
    kind: str
    outcome: str | None
    text: str


@dataclass
class Card:
    """One client of the file, every value checked and in the form the folder stores.

    ``created`` and ``archived_at`` are None when the file does not say: the import
    stamps them with its own time.
    """

    name: str
    company: str | None
    position: str | None
    email: str | None
    phones: list[str]
    stage: str
    tags: list[str]
    fields: dict[str, str]
    due: str | None
    month: str | None
    at: str | None
    purpose: str | None
    archived: bool
    archived_at: str | None
    archive_reason: str | None
    created: str | None
    history: list[HistoryEntry]
    more_emails: list[str] = field(default_factory=list)  # the e-mails after the first
    uid: str | None = None  # a vCard's UID, kept so that a re-import finds the client
    every: str | None = None  # the client's own cadence, e.g. "3w"


def cards(clients: list[Any], source: str) -> list[Card]:
    """The file's clients as cards; refuse the file naming the first few problems."""
    checked: list[Card] = []
    problems: list[Message] = []
    for position, data in enumerate(clients, start=1):
        try:
            checked.append(card(data))
        except InvalidError as exc:
            problems.append(
                note("{client}: {problem}", client=_which(position, data), problem=exc.message)
            )
    if len(problems) > SHOWN:
        raise UsageError(
            "{source}: nothing was imported, {count} problems: {problems}; …",
            source=source,
            count=len(problems),
            problems=_listed(problems[:SHOWN]),
        )
    if problems:
        raise UsageError(
            "{source}: nothing was imported, {count} problem: {problems}",
            plural="{source}: nothing was imported, {count} problems: {problems}",
            source=source,
            count=len(problems),
            problems=_listed(problems),
        )
    return checked


def card(data: Any) -> Card:
    """One client object of the file, checked key by key (the first problem is raised)."""
    if not isinstance(data, dict):
        raise InvalidError("must be a client object, not {kind}", kind=_kind(data))
    archived, archived_at, reason = _archive(data)
    due, month, at, purpose = _place(data.get("filed"), archived)
    email, more_emails = _emails(data)
    return Card(
        name=_name(data.get("name")),
        company=_line(data.get("company"), "company"),
        position=_line(data.get("position"), "position"),
        email=email,
        more_emails=more_emails,
        uid=_line(data.get("uid"), "uid"),
        every=_every(data.get("every")),
        phones=_phones(data),
        stage=_choice(data.get("stage"), "stage", STAGES) or "lead",
        tags=_tags(data.get("tags")),
        fields=_fields(data.get("fields")),
        due=due,
        month=month,
        at=at,
        purpose=purpose,
        archived=archived,
        archived_at=archived_at,
        archive_reason=reason,
        created=stamp(data.get("created"), "created"),
        history=[_entry(e, i) for i, e in enumerate(_list(data.get("history"), "history"), 1)],
    )


# --- the folder's forms --------------------------------------------------------------


def day(value: Any, key: str) -> str | None:
    """``YYYY-MM-DD``, from that or another ISO 8601 calendar or week date."""
    given = text(value, key)
    if given is None:
        return None
    if _DAY.fullmatch(given.strip()):
        try:
            # Since 3.11 this also reads the basic (20240705) and week (2024-W27-5) forms.
            return date.fromisoformat(given.strip()).isoformat()
        except ValueError:
            pass
    raise InvalidError("{key} {value!r} is not a day (use YYYY-MM-DD)", key=key, value=Typed(given))


def month(value: Any, key: str) -> str | None:
    """``YYYY-MM``: a real month of a year from 1 to 9999."""
    given = text(value, key)
    if given is None:
        return None
    m = _MONTH.fullmatch(given.strip())
    if not m or int(m[1]) < 1 or not 1 <= int(m[2]) <= 12:
        raise InvalidError(
            "{key} {value!r} is not a month (use YYYY-MM)", key=key, value=Typed(given)
        )
    return m[0]


def time(value: Any, key: str) -> str | None:
    """``HH:MM`` on a 24-hour clock (``9:30`` is ``09:30``; ``9:5`` is refused)."""
    given = text(value, key)
    if given is None:
        return None
    m = _TIME.fullmatch(given.strip())
    if not m or int(m[1]) > 23 or int(m[2]) > 59:
        raise InvalidError(
            "{key} {value!r} is not a time (use HH:MM, e.g. 09:30)", key=key, value=Typed(given)
        )
    return f"{int(m[1]):02d}:{m[2]}"


def stamp(value: Any, key: str, *, required: bool = False) -> str | None:
    """``YYYY-MM-DDTHH:MM:SS``, local time, from that, a space for the T, no seconds, or a
    bare day (midnight). Zones and fractions are refused: the folder has no zones."""
    if isinstance(value, str) and _CANONICAL_STAMP.fullmatch(value):
        # The form every export writes, checked in C: an import of 1M entries pays ~1 s.
        try:
            datetime.fromisoformat(value)
            return value
        except ValueError:
            pass  # 30 February, hour 25: said below
    given = text(value, key, required=required)
    if given is None:
        return None
    m = _STAMP.fullmatch(given.strip())
    try:
        if not m:
            raise ValueError
        on = day(m[1], key)
        hours, minutes, seconds = int(m[2] or 0), int(m[3] or 0), int(m[4] or 0)
        if hours > 23 or minutes > 59 or seconds > 59:
            raise ValueError
    except (InvalidError, ValueError):
        raise InvalidError(
            "{key} {value!r} is not a timestamp (use YYYY-MM-DDTHH:MM:SS)",
            key=key,
            value=Typed(given),
        ) from None
    return f"{on}T{hours:02d}:{minutes:02d}:{seconds:02d}"


def text(value: Any, key: str, *, required: bool = False) -> str | None:
    """A string SQLite can store and search, or None when allowed; never a coerced
    number (``12000`` for a budget is refused, not turned into ``"12000"``)."""
    if value is None and not required:
        return None
    if not isinstance(value, str):
        raise InvalidError("{key} must be text, not {kind}", key=key, kind=_kind(value))
    if "\x00" in value:
        raise InvalidError(
            "{key} {value!r} holds a NUL character, which dossier cannot store",
            key=key,
            value=Typed(value),
        )
    if value.isascii():  # most text, known in O(1): no surrogate can hide in it
        return value
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        raise InvalidError(
            "{key} {value!r} holds a lone surrogate (half of a UTF-16 pair), not text",
            key=key,
            value=Typed(value),
        ) from None
    return value


# --- the parts of a card -------------------------------------------------------------


def _name(value: Any) -> str:
    name = normalise(text(value, "name", required=True) or "")
    if not name:
        raise InvalidError("name is empty: every client needs a name")
    return name


def _line(value: Any, key: str) -> str | None:
    """Company, position, e-mail: trimmed as ``add`` trims them; empty is none."""
    given = text(value, key)
    return (normalise(given) or None) if given is not None else None


def _every(value: Any) -> str | None:
    """The client's cadence, as ``--every`` takes it (``3w``); null or "none" is none."""
    given = text(value, "every")
    if given is None:
        return None
    from .cadence import parse

    try:
        cadence = parse(given, "every")
    except UsageError as exc:
        raise InvalidError(exc.message.id, **exc.message.params) from None
    return str(cadence) if cadence else None


def _phones(data: dict[str, Any]) -> list[str]:
    """``phones``, or the single ``phone`` of a hand-written file; blanks dropped."""
    phones = [
        text(p, f"phones #{i}", required=True)
        for i, p in enumerate(_list(data.get("phones"), "phones"), 1)
    ]
    phone = text(data.get("phone"), "phone")
    kept = [p.strip() for p in phones if p and p.strip()]
    return kept or ([phone.strip()] if phone and phone.strip() else [])


def _emails(data: dict[str, Any]) -> tuple[str | None, list[str]]:
    """``email`` first, then the others of ``emails`` (each once; a file written before
    cards held several has only ``email``)."""
    first = _line(data.get("email"), "email")
    listed = [
        _line(e, f"emails #{i}") for i, e in enumerate(_list(data.get("emails"), "emails"), 1)
    ]
    every = list(dict.fromkeys(e for e in [first, *listed] if e))
    return (every[0], every[1:]) if every else (None, [])


def _tags(value: Any) -> list[str]:
    """Tags as ``--tag`` stores them: trimmed, lower case, each once."""
    tags: list[str] = []
    for i, tag in enumerate(_list(value, "tags"), 1):
        cleaned = normalise(text(tag, f"tags #{i}", required=True) or "").lower()
        if cleaned and cleaned not in tags:
            tags.append(cleaned)
    return tags


def _fields(value: Any) -> dict[str, str]:
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise InvalidError("fields must be an object of text values, not {kind}", kind=_kind(value))
    fields: dict[str, str] = {}
    for raw_key, raw_value in value.items():
        key = (text(raw_key, "a key of fields") or "").strip()
        if not key:
            raise InvalidError("fields has an empty key")
        if key in fields:
            raise InvalidError("fields has the key {key!r} twice", key=Typed(key))
        fields[key] = text(raw_value, f"fields.{_short(key)}", required=True) or ""
    return fields


def _place(filed: Any, archived: bool) -> tuple[str | None, str | None, str | None, str | None]:
    """Due day, month tab, time and purpose: one place at most, as the schema's checks say."""
    if filed is None:
        return None, None, None, None
    if not isinstance(filed, dict):
        raise InvalidError("filed must be an object or null, not {kind}", kind=_kind(filed))
    due, tab = day(filed.get("due"), "filed.due"), month(filed.get("month"), "filed.month")
    at = time(filed.get("at"), "filed.at")
    purpose = (text(filed.get("for"), "filed.for") or "").strip() or None
    if due and tab:
        raise InvalidError("filed has both a due day and a month: a dossier is in one place")
    if at and not due:
        raise InvalidError(
            "filed.at needs filed.due: a fixed time goes with a day, not a month tab"
        )
    if purpose and not (due or tab):
        raise InvalidError("filed has a 'for' but neither a due day nor a month")
    if archived and (due or tab):
        raise InvalidError(
            "filed: a done (archived) dossier is out of the folder, it cannot be filed"
        )
    return due, tab, at, purpose


def _archive(data: dict[str, Any]) -> tuple[bool, str | None, str | None]:
    """Whether the dossier is done, since when and why; contradictions are refused."""
    archived = data.get("archived")
    if archived is not None and not isinstance(archived, bool):
        raise InvalidError("archived must be true or false, not {kind}", kind=_kind(archived))
    at = stamp(data.get("archived_at"), "archived_at")
    reason = text(data.get("archive_reason"), "archive_reason")
    done = at is not None if archived is None else archived
    if not done and at is not None:
        raise InvalidError("archived_at is set but archived is false")
    if not done and reason:
        raise InvalidError("archive_reason is set but the dossier is not archived")
    return done, at, reason if done else None


def _entry(value: Any, number: int) -> HistoryEntry:
    """History entry ``number`` (from 1); its keys are named only when one is wrong, as a
    file may hold a million entries."""
    try:
        if not isinstance(value, dict):
            raise InvalidError("{key} must be an object, not {kind}", key="", kind=_kind(value))
        return HistoryEntry(
            stamp(value.get("at"), ".at", required=True) or "",
            _choice(value.get("kind"), ".kind", KINDS, required=True) or "",
            _choice(value.get("outcome"), ".outcome", OUTCOMES),
            text(value.get("text"), ".text") or "",
        )
    except InvalidError as exc:
        # Every problem of an entry names its key (".at", or "" for the entry itself):
        # under "history #3", as "history #3.at".
        said = exc.message
        key = f"history #{number}{said.params['key']}"
        raise InvalidError(said.id, **{**said.params, "key": key}) from None


def _choice(
    value: Any, key: str, allowed: tuple[str, ...], *, required: bool = False
) -> str | None:
    if isinstance(value, str) and value in allowed:  # as exported: the quick way
        return value
    given = text(value, key, required=required)
    if given is None:
        return None
    folded = given.strip().lower()
    if folded not in allowed:
        raise InvalidError(
            "{key} {value!r} is not one of {allowed}",
            key=key,
            value=Typed(given),
            allowed=", ".join(allowed),
        )
    return folded


def _list(value: Any, key: str) -> list[Any]:
    if value is None:
        return []
    if not isinstance(value, list):
        raise InvalidError("{key} must be a list, not {kind}", key=key, kind=_kind(value))
    return value


# --- words for the error line --------------------------------------------------------


def _listed(problems: list[Message]) -> Message:
    """The problems one after the other, separated by semicolons."""
    if len(problems) == 1:
        return problems[0]
    return note("{first}; {rest}", first=problems[0], rest=_listed(problems[1:]))


def _which(position: int, data: Any) -> Message:
    """``client 3 ('Acme')``: where in the file, and the name when there is a usable one."""
    name = data.get("name") if isinstance(data, dict) else None
    if isinstance(name, str) and name.strip():
        return note("client {position} ({name!r})", position=position, name=Typed(name.strip()))
    return note("client {position}", position=position)


def _kind(value: Any) -> Message | str:
    """What the file holds instead: JSON's own words (null, true, false) as they are,
    the kinds of value as a message."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return note("a number")
    if isinstance(value, list):
        return note("a list")
    return note("an object") if isinstance(value, dict) else note("text")


def _short(key: str) -> str:
    return key if len(key) <= 30 else key[:29] + "…"
