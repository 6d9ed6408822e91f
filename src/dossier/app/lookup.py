"""Turning what the user typed (``42``, ``acme``, ``Jo``, ``nunez``) into exactly one client.

The order is the one a person expects: a numeric id; then an exact name, an exact
company, a unique name prefix, a unique company prefix, a unique name substring, a unique
company substring. The first level with any match decides: one match is the client,
several are an error that lists them with their ids.

Every level ignores case and accents (``store.fold``: ``nunez`` finds Núñez), with one
rule for text typed *with* accents or special letters: at each level it is first matched
as typed (case aside), and only if that finds no one, folded. So ``José Ruiz`` is the one
spelt so even when a Jose Ruiz is on file too, while ``jose ruiz``, which may be either
with its accents left out, is ambiguous between the two. Text typed without any is
matched folded straight away, which finds the plain and the accented spelling alike.
"""

from __future__ import annotations

import difflib
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn

from ..domain import names
from ..domain.dates import ascii_digits
from ..domain.errors import AmbiguousClient, ClientNotFound, DossierError
from ..domain.messages import Message, note
from ..domain.names import fold
from ..domain.records import Client

if TYPE_CHECKING:
    from ..storage.base import Store

# (match key column, folded key column, how)
LEVELS = (
    ("name_key", "name_fold", "exact"),
    ("company_key", "company_fold", "exact"),
    ("name_key", "name_fold", "prefix"),
    ("company_key", "company_fold", "prefix"),
    ("name_key", "name_fold", "substring"),
    ("company_key", "company_fold", "substring"),
)

# How alike a folded name (or a run of its words) and the typed text must be for the name
# to be offered as "closest": typos such as "Nunes" (Núñez, 0.8) and "Jsoe" (José, 0.75)
# pass; a word that merely shares a letter or two with a name does not.
CLOSE = 0.7


# SQLite's largest integer: a longer id is no client's, and would not even bind.
MAX_ID = 2**63 - 1


def resolve(store: Store, typed: str) -> int:
    """The id of the one client ``typed`` designates."""
    text = typed.strip()
    if text.startswith("#") and typed_id(text[1:]) is not None:
        text = text[1:]
    number = _id_number(typed_id(text))
    if number is not None and store.client_exists(number):
        return number
    key = names.match_key(text)
    folded = fold(text)
    # Typed with accents (or ø, ł...): the spelling as typed is tried first at each level.
    as_typed = bool(key) and key != folded
    for key_column, fold_column, how in LEVELS:
        tries = [(key_column, key)] if as_typed else []
        if folded:
            tries.append((fold_column, folded))
        for column, value in tries:
            found = store.candidates(column, how, value)
            if len(found) == 1:
                return int(found[0][0])
            if found:
                raise AmbiguousClient(
                    "{typed!r} matches {count} clients: {clients}; use the id or more of the name",
                    typed=typed,
                    count=len(found),
                    clients=_listing(found),
                )
    _not_found(store, typed, folded)


def active(store: Store, typed: str) -> Client:
    """The client ``typed`` designates, refused when it is done (out of the folder)."""
    client = store.get_client(resolve(store, typed))
    assert client is not None
    refuse_done(client)
    return client


def refuse_done(client: Client) -> None:
    """A done client is out of the folder: filing or moving it needs a reopen first (one
    rule, said the same by every command that places a dossier)."""
    if client.archived:
        raise DossierError(
            "{name} (#{id}) is done and out of the folder; run 'dossier reopen {id}' first",
            name=client.name,
            id=client.id,
        )


def _listing(found: list[tuple[Any, ...]]) -> Message | str:
    shown = joined([_label(row) for row in found[:8]])
    if len(found) > 8:
        return note("{clients} and {count} more", clients=shown, count=len(found) - 8)
    return shown


def joined(items: Sequence[Message | str]) -> Message | str:
    """Several messages as one, separated by commas: a list a sentence carries, each of
    its items said in the run's language (``ui.words`` says nested messages first)."""
    whole: Message | str = items[-1]
    for item in reversed(items[:-1]):
        whole = note("{item}, {rest}", item=item, rest=whole)
    return whole


def _label(row: tuple[Any, ...]) -> Message:
    client_id, name, company = row[0], row[1], row[2]
    archived = len(row) > 3 and bool(row[3])
    if company:
        if archived:
            return note(
                "#{id} {name} ({company} archived)", id=client_id, name=name, company=company
            )
        return note("#{id} {name} ({company})", id=client_id, name=name, company=company)
    if archived:
        return note("#{id} {name} archived", id=client_id, name=name)
    return note("#{id} {name}", id=client_id, name=name)


def typed_id(text: str) -> str | None:
    """The ASCII digits of an id typed in the decimal digits of any script (``42``,
    ``٤٢``), or None when ``text`` is not one.

    ``str.isdigit`` alone is true for a superscript ``²`` too, which ``int`` cannot read.

    >>> typed_id("42"), typed_id("\u0664\u0662"), typed_id("\u00b2"), typed_id("4 2")
    ('42', '42', None, None)
    """
    digits = ascii_digits(text)
    return digits if digits.isascii() and digits.isdigit() else None


def _id_number(digits: str | None) -> int | None:
    """The id as a number SQLite can bind; None for one longer than any id can be (and
    which ``int`` might refuse to read at all, past 4300 digits)."""
    if digits is None or len(digits.lstrip("0")) > len(str(MAX_ID)):
        return None
    number = int(digits)
    return number if number <= MAX_ID else None


def _not_found(store: Store, typed: str, folded: str) -> NoReturn:
    digits = typed_id(typed.strip().lstrip("#"))
    if digits is not None:
        raise ClientNotFound("no client has id {id}; run 'dossier list' to see ids", id=digits)
    close = closest(store, folded) if folded else []
    if close:
        raise ClientNotFound(
            "no client matches {typed!r}; closest: {clients}", typed=typed, clients=_listing(close)
        )
    raise ClientNotFound(
        "no client matches {typed!r}; run 'dossier find {text}' to search",
        typed=typed,
        text=typed.strip(),
    )


def closest(store: Store, folded: str, n: int = 3) -> list[tuple[Any, ...]]:
    """Up to ``n`` clients whose folded name is most like ``folded``, best first.

    A name is scored by its best part: the whole name, or any run of as many of its
    words as were typed, so that a mistyped surname alone ("Nunes") finds "José Núñez".
    Each distinct folded name is read once, and each distinct run of words scored once
    (namesakes share their words), with difflib's cheap upper bounds before its ratio.
    """
    matcher = difflib.SequenceMatcher(autojunk=False)
    matcher.set_seq2(folded)
    width = len(folded.split())
    scores: dict[str, float] = {}

    def score(part: str) -> float:
        known = scores.get(part)
        if known is None:
            matcher.set_seq1(part)
            known = (
                matcher.ratio()
                if matcher.real_quick_ratio() >= CLOSE and matcher.quick_ratio() >= CLOSE
                else 0.0
            )
            scores[part] = known
        return known

    ranked: list[tuple[float, str, int]] = []
    for name, client_id in store.folded_names():
        words = name.split()
        best = score(name)
        for start in range(len(words) - width + 1):
            best = max(best, score(" ".join(words[start : start + width])))
        if best >= CLOSE:
            ranked.append((-best, name, client_id))
    ranked.sort()
    return store.client_labels([client_id for _, _, client_id in ranked[:n]])


def completions(database: str | Path | None, incomplete: str) -> list[str]:
    """Client names for the shell's Tab: a read-only look at the folder, cheap and
    silent."""
    from ..storage import client_names
    from ..storage.paths import resolve_db_path

    return client_names(resolve_db_path(database), incomplete)
