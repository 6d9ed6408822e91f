"""Loading many dossiers at once (imports, the benchmark's 100k-client folder).

The column lists come from the SQLModel classes, the schema of record, so a bulk load can
never drift from the tables; the rows themselves go through ``executemany`` in large
batches inside one transaction: all of the load or none of it. Per-row ORM objects would
cost twenty times as much (SQLModel ``add_all``: about 200 s for 1.1M rows, against 9 s).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from itertools import islice
from typing import Any

from ..sql.bulk import card_rows, checked_entry, client_values, columns

BATCH = 20_000


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
        # Each entry under its client's owner (m016).
        conn.execute(
            "INSERT INTO stats_day (owner, day, kind, outcome, entries)"
            " SELECT coalesce(c.owner, ''), substr(e.at, 1, 10), e.kind,"
            " coalesce(e.outcome, ''), count(*) FROM entry e JOIN client c ON c.id = e.client_id"
            f" WHERE e.{mine} GROUP BY 1, 2, 3, 4 ORDER BY 1, 2, 3, 4"
            " ON CONFLICT (owner, day, kind, outcome)"
            " DO UPDATE SET entries = entries + excluded.entries",
            bounds,
        )
        conn.execute(
            "INSERT INTO stats_gap (owner, day, days, gaps)"
            " SELECT owner, day, sum(CAST(julianday(day) - julianday(prev) AS INTEGER)), count(*)"
            " FROM (SELECT coalesce(c.owner, '') AS owner, substr(e.at, 1, 10) AS day,"
            "  lag(substr(e.at, 1, 10)) OVER (PARTITION BY e.client_id ORDER BY e.at, e.id)"
            "  AS prev FROM entry e JOIN client c ON c.id = e.client_id"
            f"  WHERE e.{mine} AND e.kind IN {CONTACTS_IN})"
            " WHERE prev IS NOT NULL GROUP BY owner, day ORDER BY owner, day"
            " ON CONFLICT (owner, day) DO UPDATE SET days = days + excluded.days,"
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
    return client_values(row)


_entry = checked_entry


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


__all__ = ["BATCH", "card_rows", "columns", "load", "new_clients", "stats_filled_after"]
