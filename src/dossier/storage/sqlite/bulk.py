"""Loading many dossiers at once (imports, the benchmark's 100k-client folder).

The column lists come from the SQLModel classes, the schema of record, so a bulk load can
never drift from the tables; the rows themselves go through ``executemany`` in large
batches inside one transaction: all of the load or none of it. Per-row ORM objects would
cost twenty times as much (SQLModel ``add_all``: about 200 s for 1.1M rows, against 9 s).
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Iterator, Sequence
from itertools import islice
from typing import Any

from ...domain.errors import UsageError
from ...domain.names import fold, fold_or_none, match_key, normalise, sort_key
from ...domain.records import KINDS, OUTCOMES, STAGES
from ...domain.validate import Card

BATCH = 20_000


def columns(table: str) -> list[str]:
    """The table's columns, as the SQLModel schema of record declares them."""
    from .. import schema as models

    model = {"client": models.Client, "entry": models.Entry, "tag": models.Tag}[table]
    return [column.name for column in model.__table__.columns]  # type: ignore[attr-defined]


def load(
    conn: sqlite3.Connection,
    clients: Iterable[dict[str, Any]],
    entries: Iterable[dict[str, Any]] = (),
    tags: Iterable[dict[str, Any]] = (),
) -> tuple[int, int]:
    """Insert clients, then their history and tags, in the caller's transaction.

    Client dicts carry their ``id`` so that entries can refer to them. Returns the
    number of clients and of entries written.
    """
    client_cols = columns("client")
    entry_cols = [c for c in columns("entry") if c != "id"]
    tag_cols = columns("tag")
    n_clients = _insert(conn, "client", client_cols, (_client(row) for row in clients))
    n_entries = _insert(conn, "entry", entry_cols, (_entry(row) for row in entries))
    _insert(conn, "tag", tag_cols, tags)
    return n_clients, n_entries


def _insert(
    conn: sqlite3.Connection, table: str, cols: list[str], rows: Iterable[dict[str, Any]]
) -> int:
    sql = f"INSERT INTO {table} ({', '.join(cols)}) VALUES ({', '.join('?' * len(cols))})"
    total = 0
    for batch in _batches((tuple(row.get(c) for c in cols) for row in rows), BATCH):
        conn.executemany(sql, batch)
        total += len(batch)
    return total


def _client(row: dict[str, Any]) -> dict[str, Any]:
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
    }


def _entry(row: dict[str, Any]) -> dict[str, Any]:
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


def _batches(rows: Iterator[tuple[Any, ...]], size: int) -> Iterator[list[tuple[Any, ...]]]:
    while batch := list(islice(rows, size)):
        yield batch


def card_rows(
    cards: Sequence[Card], first_id: int, stamp: str
) -> tuple[list[dict[str, Any]], list[dict[str, Any]], list[dict[str, Any]], list[tuple[Any, ...]]]:
    """The rows of checked import cards: clients numbered from ``first_id``, their
    history, tags and fields."""
    rows: list[dict[str, Any]] = []
    entries: list[dict[str, Any]] = []
    tags: list[dict[str, Any]] = []
    fields: list[tuple[Any, ...]] = []
    for client_id, card in enumerate(cards, start=first_id):
        rows.append(_client_row(client_id, card, stamp))
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


def _client_row(client_id: int, card: Card, stamp: str) -> dict[str, Any]:
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
    }
