"""Undo: every command that changes data can be reverted, one step further back each time.

While a write command runs, temporary triggers (on that connection only) write, for each
row it inserts, updates or deletes, the SQL statement that reverts it, into ``undo_step``
under the command's ``change`` row, in the same transaction. ``dossier undo`` replays the
last change's statements newest first and forgets the change. This is the pattern from
SQLite's own "automatic undo/redo" note; values are written with ``quote()``, so they go
back exactly as they were. Bulk loads open no change and pay nothing.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass

from .errors import DossierError

KEEP = 200  # changes remembered; older ones can no longer be undone

TABLES = ("client", "tag", "field", "entry", "day_off")


@dataclass(frozen=True)
class Change:
    id: int
    at: str
    command: str
    steps: int


def _columns(conn: sqlite3.Connection, table: str) -> list[str]:
    return [row[1] for row in conn.execute(f"PRAGMA main.table_info({table})")]


def _triggers(conn: sqlite3.Connection, table: str) -> list[str]:
    cols = _columns(conn, table)
    change = "(SELECT max(id) FROM main.change)"
    restore_values = " || ',' || ".join(f"quote(old.{c})" for c in cols)
    restore_sets = " || ',' || ".join(f"'{c}=' || quote(old.{c})" for c in cols)
    step = f"INSERT INTO undo_step (change_id, sql) VALUES ({change}, "
    return [
        f"CREATE TEMP TRIGGER undo_{table}_insert AFTER INSERT ON main.{table} BEGIN "
        f"{step}'DELETE FROM {table} WHERE rowid=' || new.rowid); END",
        f"CREATE TEMP TRIGGER undo_{table}_update AFTER UPDATE ON main.{table} BEGIN "
        f"{step}'UPDATE {table} SET ' || {restore_sets} || ' WHERE rowid=' || old.rowid); END",
        f"CREATE TEMP TRIGGER undo_{table}_delete AFTER DELETE ON main.{table} BEGIN "
        f"{step}'INSERT INTO {table} (rowid, {', '.join(cols)}) VALUES (' || old.rowid || ',' "
        f"|| {restore_values} || ')'); END",
    ]


def record(conn: sqlite3.Connection, command: str, at: str) -> None:
    """Open a change for this command; from here on every row it touches is recorded.

    Call inside the command's write transaction, before it changes anything.
    """
    conn.execute("INSERT INTO change (at, command) VALUES (?, ?)", (at, command))
    conn.execute("DELETE FROM change WHERE id <= (SELECT max(id) FROM change) - ?", (KEEP,))
    for table in TABLES:
        for statement in _triggers(conn, table):
            conn.execute(statement)


def stop(conn: sqlite3.Connection) -> None:
    """Drop the recording triggers (they are temporary; closing the connection also does)."""
    for table in TABLES:
        for event in ("insert", "update", "delete"):
            conn.execute(f"DROP TRIGGER IF EXISTS temp.undo_{table}_{event}")


def recording(conn: sqlite3.Connection) -> bool:
    row = conn.execute(
        "SELECT 1 FROM temp.sqlite_master WHERE type = 'trigger' AND name = 'undo_client_insert'"
    ).fetchone()
    return row is not None


def record_bulk_insert(conn: sqlite3.Connection, first_id: int, last_id: int) -> None:
    """Stand in for a bulk load's per-row steps with one: deleting its clients (their
    history, tags and fields follow by cascade). Call before the load; it stops the
    row-by-row recording for the rest of this command."""
    if not recording(conn):
        return
    stop(conn)
    conn.execute(
        "INSERT INTO undo_step (change_id, sql) SELECT max(id), ? FROM change",
        (f"DELETE FROM client WHERE id BETWEEN {int(first_id)} AND {int(last_id)}",),
    )


def forget_if_empty(conn: sqlite3.Connection) -> None:
    """A command that changed nothing (a refused edit, a dry run) leaves no change behind."""
    conn.execute(
        "DELETE FROM change WHERE id = (SELECT max(id) FROM change)"
        " AND NOT EXISTS (SELECT 1 FROM undo_step WHERE change_id = change.id)"
    )


def undo_last(conn: sqlite3.Connection) -> Change:
    """Revert the most recent change, inside the caller's write transaction."""
    last = recent(conn, 1)
    if not last:
        raise DossierError("nothing to undo: no change is remembered")
    change = last[0]
    conn.execute("PRAGMA defer_foreign_keys = ON")  # children may come back before parents
    steps = conn.execute(
        "SELECT sql FROM undo_step WHERE change_id = ? ORDER BY id DESC", (change.id,)
    ).fetchall()
    for (statement,) in steps:
        conn.execute(statement)
    conn.execute("DELETE FROM change WHERE id = ?", (change.id,))
    return change


def recent(conn: sqlite3.Connection, limit: int = 20) -> list[Change]:
    rows = conn.execute(
        "SELECT c.id, c.at, c.command, (SELECT count(*) FROM undo_step s WHERE s.change_id = c.id)"
        " FROM change c ORDER BY c.id DESC LIMIT ?",
        (limit,),
    )
    return [Change(*row) for row in rows]
