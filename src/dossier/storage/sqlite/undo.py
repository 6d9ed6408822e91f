"""Undo: every command that changes data can be reverted, one step further back each time.

While a write command runs, temporary triggers (on that connection only) note, for each
row it inserts, updates or deletes, *what* changed, as data: the operation, the table, the
rowid and, for an update or a delete, the row's old values as a JSON object. They go into
``undo_step`` under the command's ``change`` row, in the same transaction. ``dossier undo``
reads the last change's steps, checks each against a fixed set, builds the statements that
revert them itself, runs them newest first and forgets the change. Bulk loads open no
change and pay nothing.

Why data and not SQL (the pattern of SQLite's own "automatic undo/redo" note): the database
is a file the user owns, and anything in it may have been edited. A stored statement would
be run as written, so an edited history could make ``undo`` run any SQL. Here a step can
only ever become one of four statements on one of ``TABLES``, over columns named by the
table's own schema (``PRAGMA table_info``, never the stored data), with the values and the
rowid bound as parameters. A step that does not fit is refused before anything is written.

The old values keep their SQLite type: ``json_object`` writes TEXT as a JSON string,
INTEGER as a JSON integer and NULL as null, and they are bound back as ``str``, ``int`` and
``None``. JSON cannot tell a BLOB from a string nor hold every REAL exactly; dossier's
tables declare only TEXT and INTEGER columns and dossier writes only text, integers and
NULL into them (a BLOB written by hand makes the command that changes its row fail, with
nothing changed).
"""

from __future__ import annotations

import sqlite3

from ..records import Change
from ..sql import undo as shared
from ..sql.dialect import Dialect
from ..sql.undo import KEEP, OPS, TABLES, UNRECORDED, DamagedHistory, Value

__all__ = ["KEEP", "OPS", "TABLES", "DamagedHistory", "record", "undo_last"]

SQLITE = Dialect()


def _columns(conn: sqlite3.Connection, table: str) -> list[str]:
    """The columns of ``table`` that undo records and restores."""
    if table not in TABLES:  # never reached with stored data: callers check first
        bug = f"not an undoable table: {table!r}"  # a programming error, never shown to users
        raise ValueError(bug)
    rows = conn.execute(f"PRAGMA main.table_info({table})")
    return [row[1] for row in rows if row[1] not in UNRECORDED]


def _text(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


def _name(value: str) -> str:
    return '"' + value.replace('"', '""') + '"'


def _triggers(conn: sqlite3.Connection, table: str) -> list[str]:
    """The three recording triggers of ``table``. Every name in them comes from dossier's
    own schema; the row's values only ever reach ``json_object``, as values."""
    columns = _columns(conn, table)
    old = "json_object(" + ", ".join(f"{_text(c)}, old.{_name(c)}" for c in columns)
    step = (
        "INSERT INTO undo_step (change_id, op, tbl, row_id, old)"
        " VALUES ((SELECT max(id) FROM main.change), "
    )
    head = f"CREATE TEMP TRIGGER undo_{table}_{{0}} AFTER {{0}} ON main.{table} {{1}}BEGIN "
    # A version moved on alone (by its trigger) is not a step: nothing to restore.
    changed = "WHEN " + " OR ".join(f"old.{_name(c)} IS NOT new.{_name(c)}" for c in columns)
    return [
        head.format("insert", "") + f"{step}'insert', '{table}', new.rowid, NULL); END",
        head.format("update", changed + " ")
        + f"{step}'update', '{table}', new.rowid, {old})); END",
        head.format("delete", "") + f"{step}'delete', '{table}', old.rowid, {old})); END",
    ]


def record(conn: sqlite3.Connection, command: str, at: str, user: str | None) -> None:
    """Open a change for this command, ``user``'s; from here on every row it touches is
    recorded.

    Call inside the command's write transaction, before it changes anything.
    """
    shared.open_change(conn, command, at, user)
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


def pause(conn: sqlite3.Connection) -> bool:
    """Stop the row-by-row recording for the rest of this command (a bulk load records
    one step instead: ``note_range``); whether it was recording."""
    if not recording(conn):
        return False
    stop(conn)
    return True


def note_range(conn: sqlite3.Connection, first_id: int, last_id: int) -> None:
    """Stand in for a bulk load's per-row steps with one: deleting its clients (their
    history, tags and fields follow by cascade)."""
    conn.execute(
        "INSERT INTO undo_step (change_id, op, tbl, row_id, last_id)"
        " SELECT max(id), 'delete_range', 'client', ?, ? FROM change",
        (int(first_id), int(last_id)),
    )


forget_if_empty = shared.forget_if_empty
recent = shared.recent


def changed_by(conn: sqlite3.Connection, client_id: int, since: int) -> str | None:
    return shared.changed_by(conn, SQLITE, client_id, since)


def undo_last(conn: sqlite3.Connection, user: str) -> Change:
    """Revert ``user``'s most recent change (``shared.undo_last``: the rules both engines
    follow), rows addressed by their rowid."""
    where = next((row[2] for row in conn.execute("PRAGMA database_list") if row[1] == "main"), "")
    return shared.undo_last(
        conn, SQLITE, user, lambda columns, step: _statement(conn, columns, step), where
    )


def _statement(
    conn: sqlite3.Connection, columns: dict[str, list[str]], step: tuple[object, ...]
) -> tuple[str, tuple[Value, ...]]:
    """The statement that reverts one stored step, from the fixed set, or BadStep.

    Only the table name (checked against ``TABLES``) and column names (taken from the
    table's schema) are written into the SQL; everything else is a bound parameter.
    """
    step_id, op, table, row_id, last_id, old = shared.checked_step(step)
    if op == "insert":
        return f"DELETE FROM {table} WHERE rowid = ?", (row_id,)
    if op == "delete_range":
        return f"DELETE FROM {table} WHERE rowid BETWEEN ? AND ?", (row_id, last_id)
    if table not in columns:
        columns[table] = _columns(conn, table)
    values = shared.old_values(step_id, table, columns[table], old)
    names = [name for name in columns[table] if name in values]  # the schema's own spelling
    params = tuple(values[name] for name in names)
    if op == "update":
        sets = ", ".join(f"{_name(name)} = ?" for name in names)
        return f"UPDATE {table} SET {sets} WHERE rowid = ?", (*params, row_id)
    listed = ", ".join(["rowid", *(_name(name) for name in names)])
    marks = ", ".join("?" for _ in range(len(names) + 1))
    return f"INSERT INTO {table} ({listed}) VALUES ({marks})", (row_id, *params)
