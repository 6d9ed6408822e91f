"""Loading many dossiers at once (imports, the benchmark's 100k-client folder).

The column lists come from the SQLModel classes, the schema of record, so a bulk load can
never drift from the tables; the rows themselves go through ``executemany`` in large
batches inside one transaction: all of the load or none of it. Per-row ORM objects would
cost twenty times as much (SQLModel ``add_all``: about 200 s for 1.1M rows, against 9 s).
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Iterator
from itertools import islice
from typing import Any

from ...domain.errors import UsageError
from ...domain.records import KINDS, OUTCOMES, STAGES
from . import match_key, normalise
from .cards import fold, fold_or_none, sort_key

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
        raise UsageError(f"client {row.get('id')!r} has no name")
    stage = row.get("stage") or "lead"
    if stage not in STAGES:
        raise UsageError(f"client {name!r}: stage {stage!r} is not one of {', '.join(STAGES)}")
    company = normalise(row["company"]) if row.get("company") else None
    phones = row.get("phones") or []
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
        "stage": stage,
    }


def _entry(row: dict[str, Any]) -> dict[str, Any]:
    if row.get("kind") not in KINDS:
        raise UsageError(f"history kind {row.get('kind')!r} is not one of {', '.join(KINDS)}")
    if row.get("outcome") is not None and row["outcome"] not in OUTCOMES:
        raise UsageError(f"outcome {row['outcome']!r} is not one of {', '.join(OUTCOMES)}")
    return row


def _batches(rows: Iterator[tuple[Any, ...]], size: int) -> Iterator[list[tuple[Any, ...]]]:
    while batch := list(islice(rows, size)):
        yield batch
