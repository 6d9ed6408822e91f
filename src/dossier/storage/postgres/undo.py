"""Undo on PostgreSQL: the same history as SQLite's (``storage/sql/undo``), recorded by
permanent triggers (m014's ``dossier_undo_record``) that write a step only while the
transaction names its change in ``dossier.change``, and reverted by statements that
address a row by its id (a tag or a field by its client and its key).

As on SQLite, a step can only ever become one of four statements on one of ``TABLES``,
over columns named by the table's own schema (``information_schema``, never the stored
data), with every value bound as a parameter; a step that does not fit is refused
before anything is written.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ...domain.messages import note
from ..records import Change
from ..sql import undo as shared
from ..sql.dialect import POSTGRES
from ..sql.undo import TABLES, UNRECORDED, BadStep, Value

if TYPE_CHECKING:
    from ..sql.dialect import Connection

# A tag and a field have no id: their key, which undo finds in the row it recorded.
KEYS = {
    "tag": ("client_id", "tag"),
    "field": ("client_id", "key"),
    "cover_client": ("cover_id", "client_id"),
}


def record(conn: Connection, command: str, at: str, user: str | None) -> None:
    """Open a change for this command, ``user``'s: every row it touches from here on is
    recorded, until the transaction ends (SET LOCAL) or ``stop``."""
    shared.open_change(conn, command, at, user)
    change = shared.latest(conn)
    conn.execute("SELECT set_config('dossier.change', ?, true)", (str(change),))


def stop(conn: Connection) -> None:
    conn.execute("SELECT set_config('dossier.change', '', true)")


def pause(conn: Connection) -> int | None:
    """Stop the recording for a bulk load (which records one range step instead:
    ``note_range``); the change that was recording, if any."""
    found = conn.execute("SELECT current_setting('dossier.change', true)").fetchone()
    value = str(found[0] or "") if found else ""
    if not value.isdigit():
        return None
    stop(conn)
    return int(value)


def resume(conn: Connection, change: int | None) -> None:
    """Record again into ``change`` after ``pause``."""
    if change is not None:
        conn.execute("SELECT set_config('dossier.change', ?, true)", (str(change),))


def note_range(conn: Connection, change: int, first_id: int, last_id: int) -> None:
    """Stand in for a bulk load's per-row steps with one: deleting its clients (their
    history, tags and fields follow by cascade)."""
    conn.execute(
        "INSERT INTO undo_step (change_id, op, tbl, row_id, last_id)"
        " VALUES (?, 'delete_range', 'client', ?, ?)",
        (change, int(first_id), int(last_id)),
    )


def undo_last(conn: Connection, user: str, where: str) -> Change:
    """Revert ``user``'s most recent change (``shared.undo_last``: the rules both engines
    follow), rows addressed by their id or key."""
    return shared.undo_last(
        conn, POSTGRES, user, lambda columns, step: _statement(conn, columns, step), where
    )


def changed_by(conn: Connection, client_id: int, since: int) -> str | None:
    return shared.changed_by(conn, POSTGRES, client_id, since)


def _columns(conn: Connection, table: str) -> list[str]:
    """The columns of ``table`` that undo records and restores (not the generated ones)."""
    if table not in TABLES:  # never reached with stored data: callers check first
        bug = f"not an undoable table: {table!r}"  # a programming error, never shown to users
        raise ValueError(bug)
    rows = conn.execute(
        "SELECT column_name FROM information_schema.columns WHERE table_schema ="
        " current_schema() AND table_name = ? AND is_generated = 'NEVER'"
        " ORDER BY ordinal_position",
        (table,),
    ).fetchall()
    return [name for (name,) in rows if name not in UNRECORDED]


def _name(value: str) -> str:
    return '"' + value.replace('"', '""') + '"'


def _statement(
    conn: Connection, columns: dict[str, list[str]], step: tuple[object, ...]
) -> tuple[str, tuple[Value, ...]]:
    step_id, op, table, row_id, last_id, old = shared.checked_step(step)
    if op == "delete_range":
        # A bulk load's clients go in bulk (the refusals are checked by now, and any
        # later failure rolls the whole undo back); the DELETE then finds them gone.
        from .bulk import remove_range

        assert last_id is not None  # checked_step: a range has its last id
        remove_range(conn, row_id, last_id)
        return f"DELETE FROM {table} WHERE id BETWEEN ? AND ?", (row_id, last_id)
    if table not in columns:
        columns[table] = _columns(conn, table)
    keys = KEYS.get(table)
    if op == "update" and keys is not None:  # never written: a keyed update is two steps
        raise BadStep(
            note("step #{step} has an unknown operation {value}", step=step_id, value="'update'")
        )
    if op == "insert" and keys is None:
        return f"DELETE FROM {table} WHERE id = ?", (row_id,)
    values = shared.old_values(step_id, table, columns[table], old)
    if keys is not None and any(key not in values for key in keys):
        raise BadStep(
            note("step #{step} does not hold the row's old values as a JSON object", step=step_id)
        )
    if op == "insert":  # keyed: the row recorded is the one to take away
        where = " AND ".join(f"{_name(key)} = ?" for key in keys or ())
        return f"DELETE FROM {table} WHERE {where}", tuple(values[key] for key in keys or ())
    names = [name for name in columns[table] if name in values]  # the schema's own spelling
    params = tuple(values[name] for name in names)
    if op == "update":  # only rows with an id: a keyed one is recorded as delete + insert
        sets = ", ".join(f"{_name(name)} = ?" for name in names)
        return f"UPDATE {table} SET {sets} WHERE id = ?", (*params, row_id)
    listed = ", ".join(_name(name) for name in names)
    marks = ", ".join("?" for _ in names)
    return f"INSERT INTO {table} ({listed}) VALUES ({marks})", params
