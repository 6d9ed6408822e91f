"""Turning what the user typed (``42``, ``acme``, ``Jo``) into exactly one client.

The order is the one a person expects: a numeric id; then, case-insensitively, an exact
name, an exact company, a unique name prefix, a unique company prefix, a unique name
substring, a unique company substring. The first level with any match decides: one match
is the client, several are an error that lists them with their ids.
"""

from __future__ import annotations

import difflib
import sqlite3
from typing import Any

from . import store
from .dates import ascii_digits
from .errors import AmbiguousClient, ClientNotFound

LEVELS = (
    ("name_key", "exact"),
    ("company_key", "exact"),
    ("name_key", "prefix"),
    ("company_key", "prefix"),
    ("name_key", "substring"),
    ("company_key", "substring"),
)


# SQLite's largest integer: a longer id is no client's, and would not even bind.
MAX_ID = 2**63 - 1


def resolve(conn: sqlite3.Connection, typed: str) -> int:
    """The id of the one client ``typed`` designates."""
    text = typed.strip()
    if text.startswith("#") and typed_id(text[1:]) is not None:
        text = text[1:]
    number = _id_number(typed_id(text))
    if (
        number is not None
        and conn.execute("SELECT 1 FROM client WHERE id = ?", (number,)).fetchone()
    ):
        return number
    key = store.match_key(text)
    if key:
        for column, how in LEVELS:
            found = store.candidates(conn, column, how, key)
            if len(found) == 1:
                return int(found[0][0])
            if found:
                raise AmbiguousClient(
                    f"{typed!r} matches {len(found)} clients: {_listing(found)}; "
                    "use the id or more of the name"
                )
    raise ClientNotFound(_not_found(conn, typed, key))


def _listing(found: list[tuple[Any, ...]]) -> str:
    shown = [_label(row) for row in found[:8]]
    more = f" and {len(found) - 8} more" if len(found) > 8 else ""
    return ", ".join(shown) + more


def _label(row: tuple[Any, ...]) -> str:
    client_id, name, company = row[0], row[1], row[2]
    archived = " archived" if len(row) > 3 and row[3] else ""
    return f"#{client_id} {name}" + (f" ({company}{archived})" if company else archived)


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


def _not_found(conn: sqlite3.Connection, typed: str, key: str) -> str:
    digits = typed_id(typed.strip().lstrip("#"))
    if digits is not None:
        return f"no client has id {digits}; run 'dossier list' to see ids"
    names = store.all_names(conn)
    by_key: dict[str, tuple[Any, ...]] = {}
    for row in names:
        by_key.setdefault(store.match_key(row[1]), row)
    close = difflib.get_close_matches(key, list(by_key), n=3, cutoff=0.5)
    if close:
        return f"no client matches {typed!r}; closest: {_listing([by_key[k] for k in close])}"
    return f"no client matches {typed!r}; run 'dossier find {typed.strip()}' to search"
