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
from contextlib import contextmanager
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
    new: Sequence[int] = (),
) -> tuple[int, int]:
    """Insert clients, then their history and tags, in the caller's transaction.

    Client dicts carry their ``id`` so that entries can refer to them; ``new``: the
    clients already inserted (``new_clients``) whose history this is. Returns the number
    of clients and of entries written.
    """
    client_cols = columns("client")
    entry_cols = [c for c in columns("entry") if c != "id"]
    tag_cols = columns("tag")
    loaded: list[int] = list(new)
    n_clients = _insert(conn, "client", client_cols, (_client(row, loaded) for row in clients))
    with stats_filled_after(conn, loaded):
        n_entries = _insert(conn, "entry", entry_cols, (_entry(row) for row in entries))
    _insert(conn, "tag", tag_cols, tags)
    return n_clients, n_entries


STATS_TRIGGERS = ("stats_entry_insert", "stats_entry_delete", "stats_entry_update")
# Set aside with them: a new client's version needs no moving on for each entry loaded.
SET_ASIDE = (*STATS_TRIGGERS, "entry_version_insert")


@contextmanager
def stats_filled_after(conn: sqlite3.Connection, loaded: list[int]) -> Iterator[None]:
    """Load the history of the new clients ``loaded`` with the stats triggers set aside,
    then add its tallies (``dossier stats``) in a few statements over the whole load:
    a trigger's per-row lookups made a million-entry load twenty times slower. Inside
    the caller's transaction, so the triggers are back (and the tallies right) whatever
    happens. Only for history of the clients of this load, whose entries are all new."""
    from .migrations import CONTACTS_IN, CONTACTS_UP_TO, DAYS_SINCE

    marks = ", ".join("?" for _ in SET_ASIDE)
    saved = conn.execute(
        f"SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name IN ({marks})",
        SET_ASIDE,
    ).fetchall()
    if not loaded or len(saved) != len(SET_ASIDE):
        yield
        return
    before = conn.execute("SELECT coalesce(max(id), 0) FROM entry").fetchone()[0]
    for name in SET_ASIDE:
        conn.execute(f"DROP TRIGGER {name}")
    try:
        yield
        first, last = min(loaded), max(loaded)
        outside = conn.execute(
            "SELECT 1 FROM entry WHERE id > ? AND client_id NOT BETWEEN ? AND ? LIMIT 1",
            (before, first, last),
        ).fetchone()
        if outside or len(set(loaded)) != last - first + 1:
            bug = "a bulk load's clients must be numbered in one run"  # never shown to users
            raise ValueError(bug)
        mine = "client_id BETWEEN :first AND :last"
        bounds = {"first": first, "last": last}
        conn.execute(
            "INSERT INTO stats_day (day, kind, outcome, entries)"
            " SELECT substr(at, 1, 10), kind, coalesce(outcome, ''), count(*) FROM entry"
            f" WHERE {mine} GROUP BY 1, 2, 3 ORDER BY 1, 2, 3"
            " ON CONFLICT (day, kind, outcome) DO UPDATE SET entries = entries + excluded.entries",
            bounds,
        )
        conn.execute(
            "INSERT INTO stats_gap (day, days, gaps)"
            " SELECT day, sum(CAST(julianday(day) - julianday(prev) AS INTEGER)), count(*)"
            " FROM (SELECT substr(at, 1, 10) AS day, lag(substr(at, 1, 10))"
            "  OVER (PARTITION BY client_id ORDER BY at, id) AS prev FROM entry"
            f"  WHERE {mine} AND kind IN {CONTACTS_IN})"
            " WHERE prev IS NOT NULL GROUP BY day ORDER BY day"
            " ON CONFLICT (day) DO UPDATE SET days = days + excluded.days,"
            " gaps = gaps + excluded.gaps",
            bounds,
        )
        conn.execute(
            "INSERT INTO stats_win (entry_id, client_id, at, contacts, days)"
            f" SELECT w.id, w.client_id, w.at, ({CONTACTS_UP_TO.format(row='w')}),"
            f" {DAYS_SINCE.format(at='w.at', first='c.first_contact')}"
            " FROM entry w JOIN client c ON c.id = w.client_id"
            f" WHERE w.{mine} AND w.outcome = 'won'",
            bounds,
        )
    finally:
        for (sql,) in saved:
            conn.execute(sql)


def _insert(
    conn: sqlite3.Connection, table: str, cols: list[str], rows: Iterable[dict[str, Any]]
) -> int:
    sql = f"INSERT INTO {table} ({', '.join(cols)}) VALUES ({', '.join('?' * len(cols))})"
    total = 0
    for batch in _batches((tuple(row.get(c) for c in cols) for row in rows), BATCH):
        conn.executemany(sql, batch)
        total += len(batch)
    return total


def _client(row: dict[str, Any], loaded: list[int]) -> dict[str, Any]:
    if isinstance(row.get("id"), int):
        loaded.append(row["id"])
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


def new_clients(conn: sqlite3.Connection, rows: Iterable[dict[str, Any]]) -> list[int]:
    """Insert these clients (without ids) and return the ids the database gave them, in
    order: one statement each, for its ``RETURNING``."""
    cols = [c for c in columns("client") if c != "id"]
    sql = (
        f"INSERT INTO client ({', '.join(cols)}) VALUES ({', '.join('?' * len(cols))}) RETURNING id"
    )
    ids = []
    for row in rows:
        values = _client({**row, "id": None}, [])
        ids.append(conn.execute(sql, tuple(values.get(c) for c in cols)).fetchone()[0])
    return ids


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
