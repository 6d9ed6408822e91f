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

import json
import math
import sqlite3
from typing import TypeGuard

from ...domain.errors import DossierError
from ...domain.messages import Message, note
from ..records import Change

KEEP = 200  # changes remembered; older ones can no longer be undone

TABLES = (
    "client",
    "tag",
    "field",
    "entry",
    "day_off",
    "field_def",
    "stage_change",
    "cover",
    "cover_client",
)

# What a step says happened to a row, hence how undo reverts it: an inserted row is
# deleted, an updated one gets its old values back, a deleted one is inserted again,
# and a bulk load's range of clients is deleted (their history, tags and fields follow).
OPS = ("insert", "update", "delete", "delete_range")

Value = str | int | float | None


class DamagedHistory(DossierError):
    """A stored step that is not one undo could have written: refused, nothing changed."""


def _columns(conn: sqlite3.Connection, table: str) -> list[str]:
    if table not in TABLES:  # never reached with stored data: callers check first
        bug = f"not an undoable table: {table!r}"  # a programming error, never shown to users
        raise ValueError(bug)
    return [row[1] for row in conn.execute(f"PRAGMA main.table_info({table})")]


def _text(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


def _name(value: str) -> str:
    return '"' + value.replace('"', '""') + '"'


def _triggers(conn: sqlite3.Connection, table: str) -> list[str]:
    """The three recording triggers of ``table``. Every name in them comes from dossier's
    own schema; the row's values only ever reach ``json_object``, as values."""
    old = "json_object(" + ", ".join(f"{_text(c)}, old.{_name(c)}" for c in _columns(conn, table))
    step = (
        "INSERT INTO undo_step (change_id, op, tbl, row_id, old)"
        " VALUES ((SELECT max(id) FROM main.change), "
    )
    head = f"CREATE TEMP TRIGGER undo_{table}_{{0}} AFTER {{0}} ON main.{table} BEGIN "
    return [
        head.format("insert") + f"{step}'insert', '{table}', new.rowid, NULL); END",
        head.format("update") + f"{step}'update', '{table}', new.rowid, {old})); END",
        head.format("delete") + f"{step}'delete', '{table}', old.rowid, {old})); END",
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
        "INSERT INTO undo_step (change_id, op, tbl, row_id, last_id)"
        " SELECT max(id), 'delete_range', 'client', ?, ? FROM change",
        (int(first_id), int(last_id)),
    )


def forget_if_empty(conn: sqlite3.Connection) -> None:
    """A command that changed nothing (a refused edit, a dry run) leaves no change behind."""
    conn.execute(
        "DELETE FROM change WHERE id = (SELECT max(id) FROM change)"
        " AND NOT EXISTS (SELECT 1 FROM undo_step WHERE change_id = change.id)"
    )


def undo_last(conn: sqlite3.Connection) -> Change:
    """Revert the most recent change, inside the caller's write transaction.

    Every step is checked and turned into its statement before the first one runs, so a
    damaged history is refused with the folder untouched (and the caller's transaction
    rolls back on the exception in any case).
    """
    last = recent(conn, 1)
    if not last:
        raise DossierError("nothing to undo: no change is remembered")
    change = last[0]
    steps = conn.execute(
        "SELECT id, op, tbl, row_id, last_id, old FROM undo_step"
        " WHERE change_id = ? ORDER BY id DESC",
        (change.id,),
    ).fetchall()
    columns: dict[str, list[str]] = {}
    statements = [_statement(conn, columns, step) for step in steps]
    conn.execute("PRAGMA defer_foreign_keys = ON")  # children may come back before parents
    for sql, params in statements:
        conn.execute(sql, params)
    conn.execute("DELETE FROM change WHERE id = ?", (change.id,))
    return change


def _statement(
    conn: sqlite3.Connection, columns: dict[str, list[str]], step: tuple[object, ...]
) -> tuple[str, tuple[Value, ...]]:
    """The statement that reverts one stored step, from the fixed set, or DamagedHistory.

    Only the table name (checked against ``TABLES``) and column names (taken from the
    table's schema) are written into the SQL; everything else is a bound parameter.
    """
    step_id, op, table, row_id, last_id, old = step
    if not isinstance(op, str) or op not in OPS:
        raise _damaged(
            conn,
            note("step #{step} has an unknown operation {value}", step=step_id, value=_show(op)),
        )
    if not isinstance(table, str) or table not in TABLES:
        raise _damaged(
            conn,
            note("step #{step} names an unknown table {value}", step=step_id, value=_show(table)),
        )
    if not _integer(row_id):
        raise _damaged(
            conn,
            note(
                "step #{step} has a row id that is not an integer: {value}",
                step=step_id,
                value=_show(row_id),
            ),
        )
    if op == "insert":
        return f"DELETE FROM {table} WHERE rowid = ?", (row_id,)
    if op == "delete_range":
        if not _integer(last_id):
            raise _damaged(
                conn,
                note(
                    "step #{step} has a last id that is not an integer: {value}",
                    step=step_id,
                    value=_show(last_id),
                ),
            )
        return f"DELETE FROM {table} WHERE rowid BETWEEN ? AND ?", (row_id, last_id)
    if table not in columns:
        columns[table] = _columns(conn, table)
    values = _old_values(conn, step_id, table, columns[table], old)
    names = [name for name in columns[table] if name in values]  # the schema's own spelling
    params = tuple(values[name] for name in names)
    if op == "update":
        sets = ", ".join(f"{_name(name)} = ?" for name in names)
        return f"UPDATE {table} SET {sets} WHERE rowid = ?", (*params, row_id)
    listed = ", ".join(["rowid", *(_name(name) for name in names)])
    marks = ", ".join("?" for _ in range(len(names) + 1))
    return f"INSERT INTO {table} ({listed}) VALUES ({marks})", (row_id, *params)


def _old_values(
    conn: sqlite3.Connection, step: object, table: str, known: list[str], old: object
) -> dict[str, Value]:
    """The old column values of an update or delete step: a JSON object whose keys are
    columns of ``table`` and whose values are plain text, numbers or null."""
    try:
        values = json.loads(old, parse_constant=_no_constant) if isinstance(old, str) else None
    except ValueError:  # JSONDecodeError included
        values = None
    if not isinstance(values, dict) or not values:
        raise _damaged(
            conn,
            note("step #{step} does not hold the row's old values as a JSON object", step=step),
        )
    unknown = sorted(set(values) - set(known))
    if unknown:
        raise _damaged(
            conn,
            note(
                "step #{step} names a column {table} does not have: {value}",
                step=step,
                table=table,
                value=_show(unknown[0]),
            ),
        )
    for name, value in values.items():
        plain = value is None or type(value) is str or _integer(value)
        if not plain and not (type(value) is float and math.isfinite(value)):
            raise _damaged(
                conn,
                note(
                    "step #{step} holds a value that is not plain data in {column}",
                    step=step,
                    column=name,
                ),
            )
    return values


def _integer(value: object) -> TypeGuard[int]:
    """An int SQLite can hold (not a bool, not beyond 64 bits: binding those fails)."""
    return type(value) is int and -(2**63) <= value < 2**63


def _no_constant(name: str) -> float:
    """NaN and Infinity are not JSON, and not values dossier ever stores."""
    raise ValueError(name)


def _show(value: object) -> str:
    """A stored value, quoted and cut short, for the error line (it may be anything)."""
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def _damaged(conn: sqlite3.Connection, reason: Message) -> DamagedHistory:
    path = next((row[2] for row in conn.execute("PRAGMA database_list") if row[1] == "main"), "")
    if not path:
        return DamagedHistory(
            "the undo history in the database is damaged: {reason}; nothing was changed",
            reason=reason,
        )
    return DamagedHistory(
        "the undo history in {path} is damaged: {reason}; nothing was changed",
        path=path,
        reason=reason,
    )


def recent(conn: sqlite3.Connection, limit: int = 20) -> list[Change]:
    rows = conn.execute(
        "SELECT c.id, c.at, c.command, (SELECT count(*) FROM undo_step s WHERE s.change_id = c.id)"
        " FROM change c ORDER BY c.id DESC LIMIT ?",
        (limit,),
    )
    return [Change(*row) for row in rows]
