"""What both engines' bulk loads share: the column lists of the schema of record, and
the rows they write, built and checked from import cards or the benchmark's dicts.

No driver here: the SQLite engine inserts these rows with ``executemany``
(``sqlite/bulk.py``), the PostgreSQL engine with COPY (``postgres/bulk.py``).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from typing import Any

from ...domain.errors import UsageError
from ...domain.names import fold, fold_or_none, match_key, normalise, sort_key
from ...domain.records import KINDS, OUTCOMES, STAGES
from ...domain.validate import Card

# The kinds that are a contact with the client (a note is not), as the contact-day
# triggers know them.
CONTACT_KINDS = frozenset({"call", "meeting", "email", "visit"})


def columns(table: str) -> list[str]:
    """The table's columns, as the SQLModel schema of record declares them."""
    from .. import schema as models

    model = {"client": models.Client, "entry": models.Entry, "tag": models.Tag}[table]
    return [column.name for column in model.__table__.columns]  # type: ignore[attr-defined]


def client_values(row: dict[str, Any]) -> dict[str, Any]:
    """A client row as it is stored: the name normalised with its keys, the lists as
    JSON, the stage checked (a bad one refuses the load)."""
    name = normalise(str(row.get("name") or ""))
    if not name:
        raise UsageError("client {id!r} has no name", id=row.get("id"))
    stage = row.get("stage") or "lead"
    if stage not in STAGES:
        raise UsageError(
            "client {name!r}: stage {stage!r} is not one of {choices}",
            name=name,
            stage=stage,
            choices=", ".join(STAGES),
        )
    company = normalise(row["company"]) if row.get("company") else None
    phones = row.get("phones") or []
    more_emails = row.get("more_emails") or []
    return {
        **row,
        "name": name,
        "name_key": match_key(name),
        "name_fold": fold(name),
        "name_sort": sort_key(name),
        "company": company,
        "company_key": match_key(company) if company else None,
        "company_fold": fold_or_none(company),
        "phones": phones if isinstance(phones, str) else json.dumps(phones, ensure_ascii=False),
        "more_emails": (
            more_emails
            if isinstance(more_emails, str)
            else json.dumps(more_emails, ensure_ascii=False)
        ),
        "stage": stage,
        "version": row.get("version") or 1,
    }


def checked_entry(row: dict[str, Any]) -> dict[str, Any]:
    """A history row whose kind and outcome are dossier's (else the load is refused)."""
    if row.get("kind") not in KINDS:
        raise UsageError(
            "history kind {kind!r} is not one of {choices}",
            kind=row.get("kind"),
            choices=", ".join(KINDS),
        )
    if row.get("outcome") is not None and row["outcome"] not in OUTCOMES:
        raise UsageError(
            "outcome {outcome!r} is not one of {choices}",
            outcome=row["outcome"],
            choices=", ".join(OUTCOMES),
        )
    return row


def contact_days(entries: Iterable[tuple[int, str, str]]) -> dict[int, tuple[str, str, int]]:
    """From (client id, at, kind) of a load's history: each client's first and latest
    contact day and its number of contacts, what the contact-day triggers would have
    left on the card had they run row by row."""
    days: dict[int, tuple[str, str, int]] = {}
    for client_id, at, kind in entries:
        if kind not in CONTACT_KINDS:
            continue
        day = at[:10]
        found = days.get(client_id)
        if found is None:
            days[client_id] = (day, day, 1)
        else:
            first, last, count = found
            days[client_id] = (min(first, day), max(last, day), count + 1)
    return days


def card_rows(
    cards: Sequence[Card], first_id: int, stamp: str, owner: str | None = None
) -> tuple[list[dict[str, Any]], list[dict[str, Any]], list[dict[str, Any]], list[tuple[Any, ...]]]:
    """The rows of checked import cards: clients numbered from ``first_id`` (entries,
    tags and fields refer to them by that number), their history, tags and fields,
    owned by ``owner``."""
    rows: list[dict[str, Any]] = []
    entries: list[dict[str, Any]] = []
    tags: list[dict[str, Any]] = []
    fields: list[tuple[Any, ...]] = []
    for client_id, card in enumerate(cards, start=first_id):
        rows.append(_client_row(client_id, card, stamp, owner))
        entries += [
            {
                "client_id": client_id,
                "at": e.at,
                "kind": e.kind,
                "outcome": e.outcome,
                "text": e.text,
            }
            for e in card.history
        ]
        tags += [{"client_id": client_id, "tag": tag} for tag in card.tags]
        fields += [(client_id, key, value) for key, value in card.fields.items()]
    return rows, entries, tags, fields


def _client_row(client_id: int, card: Card, stamp: str, owner: str | None) -> dict[str, Any]:
    filed = card.due is not None or card.month is not None
    return {
        "id": client_id,
        "name": card.name,
        "company": card.company,
        "position": card.position,
        "phones": card.phones,
        "email": card.email,
        "more_emails": card.more_emails,
        "uid": card.uid,
        "every": card.every,
        "stage": card.stage,
        "due": card.due,
        "due_month": card.month,
        "due_time": card.at,
        "purpose": card.purpose,
        "filed_at": stamp if filed else None,
        "archived_at": (card.archived_at or stamp) if card.archived else None,
        "archive_reason": card.archive_reason,
        "created_at": card.created or stamp,
        "updated_at": stamp,
        "owner": owner,
    }
