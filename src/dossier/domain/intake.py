"""One checker for every import reader: incoming records into cards, every problem with
its place in the file, and duplicates found, inside the file and against the folder.

Pure: the app hands in the records, the team's field definitions, today, the run's
language and the folder's identities (``Known``), and gets back what to add, what to
merge into which client and what is wrong, before anything is written.

Duplicates are the same client met twice: the same vCard UID, the same e-mail (case
ignored; any of a card's e-mails), the same phone (digits only; ``+34 600 …`` and
``0034 600 …`` are the national ``600 …`` where the configured country is Spain), or the
same name at the same company (accents and case ignored).
"""

from __future__ import annotations

import contextlib
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from functools import lru_cache
from typing import NamedTuple

from .dates import Day, MonthTab, parse_time, parse_when
from .errors import DateError, UsageError
from .fields import FieldDef, read_value
from .incoming import Incoming
from .messages import Message, note
from .names import fold, normalise
from .records import STAGES
from .validate import Card, HistoryEntry, Typed

# The ladder a merge only climbs; ``dormant`` is off it (see ``next_stage``).
LADDER = ("lead", "prospect", "negotiation", "client")

# Calling codes of the countries a phone's international prefix is matched for, and
# those whose national numbers start with a trunk 0 dropped after the code.
CALLING_CODES = {
    "ES": "34", "PT": "351", "FR": "33", "DE": "49", "IT": "39", "GB": "44", "US": "1",
    "CA": "1", "MX": "52", "AR": "54", "CO": "57", "CL": "56", "PE": "51", "NL": "31",
    "BE": "32", "CH": "41", "AT": "43", "IE": "353", "BR": "55", "UY": "598", "VE": "58",
    "EC": "593", "BO": "591", "PY": "595", "CR": "506", "GT": "502", "DO": "1",
}  # fmt: skip
TRUNK_ZERO = {"FR", "DE", "GB", "NL", "BE", "CH", "AT", "IE", "PE", "AR", "BR"}
MIN_DIGITS = 6  # a shorter "phone" (an extension, a 0) never makes two clients one


class Problem(NamedTuple):
    """Something wrong with one record: where (line, column) and why."""

    line: int
    column: str
    reason: Message

    def message(self) -> Message:
        if self.column:
            return note(
                "line {line}, column {column!r}: {reason}",
                line=self.line,
                column=Typed(self.column),
                reason=self.reason,
            )
        return note("line {line}: {reason}", line=self.line, reason=self.reason)


@dataclass
class Checked:
    """A record that passed: its card, and whether its place came from the record itself
    (``--on`` only files new clients, and only those whose record names no day)."""

    line: int
    card: Card
    own_place: bool
    index: int = 0  # the record's place among those checked together
    columns: dict[str, str] = field(default_factory=dict)  # key -> the column it came from


class Known(NamedTuple):
    """A client of the folder as duplicates are looked for: who, and its identities."""

    id: int
    name: str
    company: str | None
    emails: list[str]
    phones: list[str]
    uid: str | None


@dataclass
class Twin:
    """A record that is a client met before: of the folder (``client``) or an earlier
    record of the file (``index`` into the checked records)."""

    record: int  # index into the checked records
    reason: Message
    column: str
    client: int | None = None
    index: int | None = None


@dataclass
class Options:
    """What the command line adds to every record."""

    today: date
    lang: str = "en"
    tags: list[str] = field(default_factory=list)
    defs: Sequence[FieldDef] = ()
    country: str | None = None
    stamp: str = ""  # when the import runs: the time of a record's first note


def check(
    records: Sequence[Incoming], options: Options
) -> tuple[list[Checked], list[tuple[int, list[Problem]]]]:
    """The records that pass as cards, and, per record that does not (by index), its
    problems; every record is checked, so every problem is known."""
    defs = {d.name: d for d in options.defs}
    passed: list[Checked] = []
    failed: list[tuple[int, list[Problem]]] = []
    for index, record in enumerate(records):
        problems: list[Problem] = []
        card = _card(record, options, defs, problems)
        if problems or card is None:
            failed.append((index, problems))
        else:
            own = card.due is not None or card.month is not None
            passed.append(Checked(record.line, card, own, index, record.columns))
    return passed, failed


def _card(
    record: Incoming, options: Options, defs: dict[str, FieldDef], problems: list[Problem]
) -> Card | None:
    def problem(key: str, reason: Message) -> None:
        problems.append(Problem(record.line, record.columns.get(key, ""), reason))

    for key, values in record.values.items():
        if any("\x00" in v for v in values):
            problem(key, note("holds a NUL character, which dossier cannot store"))
            return None
    name = normalise(record.first("name"))
    if not name:
        name = normalise(f"{record.first('first')} {record.first('last')}")
        if "name" not in record.columns:
            record.columns = {**record.columns, "name": record.columns.get("first", "")}
    if not name:
        problem("name", note("name is empty: every client needs a name"))
    stage = record.first("stage").lower() or "lead"
    if stage not in STAGES:
        problem(
            "stage",
            note(
                "stage {value!r} is not one of {allowed}",
                value=Typed(record.first("stage")),
                allowed=", ".join(STAGES),
            ),
        )
    due, month, at = _place(record, options, problem)
    purpose = normalise(record.first("for")) or None
    fields: dict[str, str] = {}
    for header, value in record.fields.items():
        if "\x00" in value:
            problem("field:" + header, note("holds a NUL character, which dossier cannot store"))
            continue
        defn = defs.get(header)
        try:
            fields[header] = (
                read_value(defn, value, today=options.today, lang=options.lang) if defn else value
            )
        except UsageError as exc:
            problem("field:" + header, exc.message)
    emails = _unique([e.strip() for e in record.values.get("email", [])], str.casefold)
    text = "\n\n".join(v for v in record.values.get("note", []) if v.strip())
    history = [HistoryEntry(options.stamp, "note", None, text)] if text else []
    if problems:
        return None
    return Card(
        name=name,
        company=normalise(record.first("company")) or None,
        position=normalise(record.first("position")) or None,
        email=emails[0] if emails else None,
        phones=_unique([p.strip() for p in record.values.get("phone", [])], _digits),
        stage=stage,
        tags=_tags(record.values.get("tags", []) + options.tags),
        fields=fields,
        due=due,
        month=month,
        at=at,
        purpose=purpose,
        archived=False,
        archived_at=None,
        archive_reason=None,
        created=None,
        history=history,
        more_emails=emails[1:],
        uid=record.first("uid") or None,
    )


def _place(
    record: Incoming, options: Options, problem: Callable[[str, Message], None]
) -> tuple[str | None, str | None, str | None]:
    """The record's own day or month tab, and its time; past days are allowed (an
    overdue dossier stays overdue when the folder is carried over)."""
    written = record.first("next")
    due = month = None
    if written and _ISO_DAY.fullmatch(written):  # as exports write it: the quick way
        with contextlib.suppress(ValueError):
            return date.fromisoformat(written).isoformat(), None, _time(record, None, problem)
    if written:
        try:
            target = parse_when(written, options.today, allow_past=True, lang=options.lang)
        except DateError as exc:
            problem("next", exc.message)
            target = None
        if isinstance(target, Day):
            due = target.date.isoformat()
        elif isinstance(target, MonthTab):
            month = target.key
    return due, month, _time(record, month, problem)


def _time(
    record: Incoming, month: str | None, problem: Callable[[str, Message], None]
) -> str | None:
    """The record's fixed time (HH:MM), which needs a day."""
    written = record.first("at")
    if not written:
        return None
    at = None
    try:
        at = parse_time(written)
    except UsageError as exc:
        problem("at", exc.message)
    if month:
        problem("at", note("a fixed time needs a day, not a month tab"))
    elif not record.first("next"):
        problem("at", note("a time needs a day: give the Next column too"))
    return at


def needs_a_place(checked: Sequence[Checked], has_on: bool) -> list[Problem]:
    """A 'for' with nowhere to file the dossier: the record names no day and no ``--on``."""
    if has_on:
        return []
    return [
        Problem(c.line, "", note("a 'for' needs a Next date (or --on) to file the dossier"))
        for c in checked
        if c.card.purpose and not c.own_place
    ]


# --- duplicates ------------------------------------------------------------------------


def phone_key(phone: str, country: str | None) -> str | None:
    """The digits a phone is compared by: the national number where the international
    prefix is the configured country's, else ``+`` and every digit; None if too short."""
    written = phone.strip()
    digits = _digits(written)
    international = written.startswith("+") or digits.startswith("00")
    if digits.startswith("00"):
        digits = digits[2:]
    if len(digits) < MIN_DIGITS:
        return None
    code = CALLING_CODES.get((country or "").upper())
    if international:
        if code and digits.startswith(code):
            national = digits[len(code) :]
            return national.lstrip("0") if country and country.upper() in TRUNK_ZERO else national
        return "+" + digits
    if country and country.upper() in TRUNK_ZERO and digits.startswith("0"):
        return digits[1:]
    return digits


_NOT_DIGITS = re.compile(r"[^0-9]+")
_ISO_DAY = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


def _digits(text: str) -> str:
    return _NOT_DIGITS.sub("", text)


@lru_cache(maxsize=65536)
def _folded(text: str) -> str:
    """``fold``, remembered: a file names the same companies again and again."""
    return fold(text)


class Index:
    """The identities seen so far, each pointing at its holder."""

    def __init__(self, country: str | None) -> None:
        self.country = country
        self.keys: dict[tuple[str, str], tuple[str, int]] = {}
        self.labels: dict[int, str] = {}

    def identities(
        self,
        name: str,
        company: str | None,
        emails: Sequence[str],
        phones: Sequence[str],
        uid: str | None,
    ) -> list[tuple[str, str]]:
        found = [("uid", uid)] if uid else []
        found += [("email", e.strip().casefold()) for e in emails if e.strip()]
        for phone in phones:
            key = phone_key(phone, self.country)
            if key:
                found.append(("phone", key))
        found.append(("name", fold(name) + "\x00" + _folded(company or "")))
        return found

    def add(self, keys: list[tuple[str, str]], holder: tuple[str, int]) -> None:
        for key in keys:
            self.keys.setdefault(key, holder)

    def match(self, keys: list[tuple[str, str]]) -> tuple[str, tuple[str, int]] | None:
        for key in keys:
            holder = self.keys.get(key)
            if holder is not None:
                return key[0], holder
        return None


def twins(checked: Sequence[Checked], known: Sequence[Known], country: str | None) -> list[Twin]:
    """Every checked record that is a client of the folder or of an earlier record."""
    index = Index(country)
    for client in known:
        index.add(
            index.identities(client.name, client.company, client.emails, client.phones, client.uid),
            ("folder", client.id),
        )
        index.labels[client.id] = client.name
    found: list[Twin] = []
    for position, item in enumerate(checked):
        c = item.card
        keys = index.identities(c.name, c.company, [*(c.email or "",), *c.more_emails],
                                c.phones, c.uid)  # fmt: skip
        hit = index.match(keys)
        if hit is None:
            index.add(keys, ("file", position))
            continue
        what, (where, which) = hit
        index.add(keys, (where, which))
        column = {"uid": "uid", "email": "email", "phone": "phone"}.get(what, "name")
        if where == "folder":
            reason = _same(what, note("#{id} {name}", id=which, name=index.labels[which]))
            found.append(Twin(position, reason, column, client=which))
        else:
            reason = _same(what, note("line {line}", line=checked[which].line))
            found.append(Twin(position, reason, column, index=which))
    return found


def _same(what: str, other: Message) -> Message:
    if what == "uid":
        return note("duplicate: the same vCard UID as {other}", other=other)
    if what == "email":
        return note("duplicate: the same e-mail as {other}", other=other)
    if what == "phone":
        return note("duplicate: the same phone as {other}", other=other)
    return note("duplicate: the same name and company as {other}", other=other)


# --- merging ---------------------------------------------------------------------------


def next_stage(have: str, given: str) -> str:
    """A merge never moves the stage back: along lead < prospect < negotiation <
    client it only climbs. A dormant client stays dormant (reviving one is a decision,
    made with ``edit --stage``), and a file saying dormant only sends a lead there."""
    if have == "dormant" or have == given:
        return have
    if given == "dormant":
        return given if have == "lead" else have
    return given if LADDER.index(given) > LADDER.index(have) else have


def combine(base: Card, extra: Card, may_place: bool = True) -> Card:
    """``base`` with what ``extra`` adds: empty fields filled, phones, e-mails and tags
    added, the stage climbed, new notes appended, a place only where there is none."""
    have_emails = [e.casefold() for e in [*(base.email or "",), *base.more_emails] if e]
    emails = [e for e in [*(extra.email or "",), *extra.more_emails] if e]
    added = [e for e in emails if e.casefold() not in have_emails]
    email = base.email or (added.pop(0) if added else None)
    have_phones = {_digits(p) for p in base.phones}
    phones = base.phones + [p for p in extra.phones if _digits(p) not in have_phones]
    fields = {**{k: v for k, v in extra.fields.items() if v}, **base.fields}
    texts = {e.text for e in base.history}
    history = base.history + [e for e in extra.history if e.text not in texts]
    placed = base.due is not None or base.month is not None or base.archived
    due, month, at, purpose = base.due, base.month, base.at, base.purpose
    if may_place and not placed and (extra.due or extra.month):
        due, month, at, purpose = extra.due, extra.month, extra.at, extra.purpose
    return replace(
        base,
        company=base.company or extra.company,
        position=base.position or extra.position,
        email=email,
        more_emails=base.more_emails + _unique(added, str.casefold),
        phones=_unique(phones, _digits),
        stage=next_stage(base.stage, extra.stage),
        tags=base.tags + [t for t in extra.tags if t not in base.tags],
        fields=fields,
        history=history,
        uid=base.uid or extra.uid,
        due=due,
        month=month,
        at=at,
        purpose=purpose,
    )


def _tags(values: Sequence[str]) -> list[str]:
    tags: list[str] = []
    for value in values:
        tag = normalise(value).lower()
        if tag and tag not in tags:
            tags.append(tag)
    return tags


def _unique(values: list[str], key: Callable[[str], object]) -> list[str]:
    seen: set[object] = set()
    kept = []
    for value in values:
        k = key(value)
        if value and k not in seen:
            seen.add(k)
            kept.append(value)
    return kept
