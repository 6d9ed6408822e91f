"""The undo history both engines keep, in the same two tables (``change``, ``undo_step``).

How rows get recorded differs (SQLite: temporary triggers on the command's connection;
PostgreSQL: permanent triggers that record only while the transaction names a change),
and so does how a step becomes a statement (SQLite addresses a row by ``rowid``,
PostgreSQL by its key). What is the same lives here: which change is whose, whether a
colleague changed the same rows since, who last changed a dossier, the list, and the
checks that a stored step is one undo could have written (the history is data in a
database a user may edit: a step that does not fit is refused before anything runs).
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable
from typing import TYPE_CHECKING, TypeGuard

from ...domain.errors import DossierError
from ...domain.messages import Message, note
from ..records import Change

if TYPE_CHECKING:
    from .dialect import Connection, Dialect

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

# Kept by triggers, never restored: a dossier's version only moves on (undo is a change
# too), so a front end that showed it before the undo sees that it changed.
UNRECORDED = frozenset({"version"})

Value = str | int | float | None

CHANGE = "c.id, c.at, c.command, (SELECT count(*) FROM undo_step s WHERE s.change_id = c.id), c.who"
# The rows a change touched; a bulk load's range stands for its clients and all of theirs.
TOUCHED = "SELECT tbl, row_id, last_id FROM undo_step WHERE change_id = ?"
# The child tables whose rows belong to one client (``client_id``).
OF_A_CLIENT = ("tag", "field", "entry", "stage_change", "cover_client")


class DamagedHistory(DossierError):
    """A stored step that is not one undo could have written: refused, nothing changed."""


class BadStep(Exception):
    """Why a stored step cannot be reverted (the engine names its database around it)."""

    def __init__(self, reason: Message) -> None:
        super().__init__(reason.id)
        self.reason = reason


def open_change(conn: Connection, command: str, at: str, user: str | None) -> None:
    """The command's ``change`` row (``user``'s), and the oldest ones beyond ``KEEP`` go."""
    conn.execute("INSERT INTO change (at, command, who) VALUES (?, ?, ?)", (at, command, user))
    conn.execute("DELETE FROM change WHERE id <= (SELECT max(id) FROM change) - ?", (KEEP,))


def forget_if_empty(conn: Connection) -> None:
    """A command that changed nothing (a refused edit, a dry run) leaves no change behind."""
    conn.execute(
        "DELETE FROM change WHERE id = (SELECT max(id) FROM change)"
        " AND NOT EXISTS (SELECT 1 FROM undo_step WHERE change_id = change.id)"
    )


def recent(conn: Connection, limit: int = 20) -> list[Change]:
    rows = conn.execute(f"SELECT {CHANGE} FROM change c ORDER BY c.id DESC LIMIT ?", (limit,))
    return [Change(*row) for row in rows]


def latest(conn: Connection) -> int:
    found = conn.execute("SELECT coalesce(max(id), 0) FROM change").fetchone()
    return int(found[0])


def last_of(conn: Connection, user: str) -> Change:
    """``user``'s latest change (one recorded before changes had users is anyone's)."""
    row = conn.execute(
        f"SELECT {CHANGE} FROM change c WHERE c.who = ? OR c.who IS NULL"
        " ORDER BY c.id DESC LIMIT 1",
        (user,),
    ).fetchone()
    if row is not None:
        return Change(*row)
    if conn.execute("SELECT 1 FROM change LIMIT 1").fetchone() is None:
        raise DossierError("nothing to undo: no change is remembered")
    raise DossierError(
        "nothing to undo: no change of {user} is remembered (the remembered ones are "
        "other users'; 'dossier undo --list' shows them)",
        user=user,
    )


def client_of(
    conn: Connection, dialect: Dialect, change_id: int, table: str, row_id: int
) -> int | None:
    """The client a recorded row belongs to (the row itself for ``client``): from its
    old values when the step has them, else from the row as it is now."""
    if table == "client":
        return row_id
    if table not in OF_A_CLIENT:
        return None
    found = conn.execute(
        f"SELECT {dialect.json_field('old', 'client_id')} FROM undo_step"
        " WHERE change_id = ? AND tbl = ? AND row_id = ? AND old IS NOT NULL LIMIT 1",
        (change_id, table, row_id),
    ).fetchone()
    if found and found[0] is not None:
        return int(found[0])
    current = conn.execute(dialect.row_client(table), (row_id,)).fetchone()
    return int(current[0]) if current else None


def refuse_if_changed_since(conn: Connection, dialect: Dialect, change: Change, user: str) -> None:
    """Refuse when a later change of another user touched a row ``change`` touched, or
    anything of a client it touched (for a bulk load, of the clients it added): reverting
    would overwrite their work."""
    later = conn.execute(
        f"SELECT {CHANGE} FROM change c WHERE c.id > ?"
        f" AND {dialect.distinct('c.who', '?')} ORDER BY c.id",
        (change.id, user),
    ).fetchall()
    if not later:
        return
    mine = conn.execute(TOUCHED, (change.id,)).fetchall()
    rows = {(table, row_id) for table, row_id, last in mine if last is None}
    ranges = [(first, last) for _table, first, last in mine if last is not None]
    clients = {client_of(conn, dialect, change.id, table, row_id) for table, row_id in rows}
    clients.discard(None)
    for row in later:
        other = Change(*row)
        for table, row_id, _last in conn.execute(TOUCHED, (other.id,)).fetchall():
            owner = client_of(conn, dialect, other.id, table, row_id)
            if (
                (table, row_id) in rows
                or (owner is not None and owner in clients)
                or any(owner is not None and first <= owner <= last for first, last in ranges)
            ):
                raise DossierError(
                    "your last change ({command}) cannot be undone: {other} changed the "
                    "same dossiers since ({later}); nothing was changed",
                    command=change.command,
                    other=other.user or note("another user"),
                    later=other.command,
                )


Statement = tuple[str, tuple[Value, ...]]


def undo_last(
    conn: Connection,
    dialect: Dialect,
    user: str,
    statement: Callable[[dict[str, list[str]], tuple[object, ...]], Statement],
    where: str,
) -> Change:
    """Revert ``user``'s most recent change, inside the caller's write transaction.

    Refused, with nothing changed, when another user has changed the same rows since
    (``refuse_if_changed_since``). Every step is checked and turned into its statement
    (the engine's ``statement``, from a step and the columns read so far) before the
    first one runs, so a damaged history is refused with the folder untouched (and the
    caller's transaction rolls back on the exception in any case). ``where`` names the
    database in that refusal.
    """
    change = last_of(conn, user)
    steps = conn.execute(
        "SELECT id, op, tbl, row_id, last_id, old FROM undo_step"
        " WHERE change_id = ? ORDER BY id DESC",
        (change.id,),
    ).fetchall()
    refuse_if_changed_since(conn, dialect, change, user)
    # A removed client comes back before its rows: their triggers (contact days, the
    # stats tallies) read the client. SQLite records a cascade's children first, so
    # newest first already does this; PostgreSQL records the client first.
    steps.sort(key=lambda step: 0 if (step[1], step[2]) == ("delete", "client") else 1)
    columns: dict[str, list[str]] = {}
    try:
        statements = [statement(columns, step) for step in steps]
    except BadStep as bad:
        raise damaged(where, bad.reason) from None
    conn.execute(dialect.defer_references())  # children may come back before parents
    for sql, params in statements:
        conn.execute(sql, params)
    conn.execute("DELETE FROM change WHERE id = ?", (change.id,))
    return change


def changed_by(conn: Connection, dialect: Dialect, client_id: int, since: int) -> str | None:
    """Who made the latest recorded change after the change ``since`` to a dossier (its
    card or anything of its: history, tags, fields); None when no recorded change did
    (another program, or one before changes had users)."""
    steps = conn.execute(
        "SELECT change_id, tbl, row_id FROM undo_step WHERE change_id > ?"
        " ORDER BY change_id DESC, id DESC",
        (since,),
    ).fetchall()
    for change_id, table, row_id in steps:
        if client_of(conn, dialect, change_id, table, row_id) == client_id:
            found = conn.execute("SELECT who FROM change WHERE id = ?", (change_id,)).fetchone()
            return found[0] if found else None
    return None


# --- a stored step, checked -----------------------------------------------------------


def checked_step(step: tuple[object, ...]) -> tuple[int, str, str, int, int | None, object]:
    """(id, op, table, row id, last id, old) of a stored step, or BadStep: only the four
    operations on ``TABLES`` with integer row ids are steps undo writes."""
    step_id, op, table, row_id, last_id, old = step
    if not isinstance(op, str) or op not in OPS:
        raise BadStep(
            note("step #{step} has an unknown operation {value}", step=step_id, value=show(op))
        )
    if not isinstance(table, str) or table not in TABLES:
        raise BadStep(
            note("step #{step} names an unknown table {value}", step=step_id, value=show(table))
        )
    if not integer(row_id):
        raise BadStep(
            note(
                "step #{step} has a row id that is not an integer: {value}",
                step=step_id,
                value=show(row_id),
            )
        )
    if op == "delete_range" and not integer(last_id):
        raise BadStep(
            note(
                "step #{step} has a last id that is not an integer: {value}",
                step=step_id,
                value=show(last_id),
            )
        )
    assert isinstance(step_id, int)
    return step_id, op, table, row_id, last_id if integer(last_id) else None, old


def old_values(step: object, table: str, known: list[str], old: object) -> dict[str, Value]:
    """The old column values of an update or delete step: a JSON object whose keys are
    columns of ``table`` and whose values are plain text, numbers or null."""
    try:
        values = json.loads(old, parse_constant=_no_constant) if isinstance(old, str) else None
    except ValueError:  # JSONDecodeError included
        values = None
    if not isinstance(values, dict) or not values:
        raise BadStep(
            note("step #{step} does not hold the row's old values as a JSON object", step=step)
        )
    unknown = sorted(set(values) - set(known))
    if unknown:
        raise BadStep(
            note(
                "step #{step} names a column {table} does not have: {value}",
                step=step,
                table=table,
                value=show(unknown[0]),
            )
        )
    for name, value in values.items():
        plain = value is None or type(value) is str or integer(value)
        if not plain and not (type(value) is float and math.isfinite(value)):
            raise BadStep(
                note(
                    "step #{step} holds a value that is not plain data in {column}",
                    step=step,
                    column=name,
                )
            )
    return values


def integer(value: object) -> TypeGuard[int]:
    """An int both engines can hold (not a bool, not beyond 64 bits: binding fails)."""
    return type(value) is int and -(2**63) <= value < 2**63


def _no_constant(name: str) -> float:
    """NaN and Infinity are not JSON, and not values dossier ever stores."""
    raise ValueError(name)


def show(value: object) -> str:
    """A stored value, quoted and cut short, for the error line (it may be anything)."""
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def damaged(where: str, reason: Message) -> DamagedHistory:
    """The refusal of a damaged history, naming the database when it is known."""
    if not where:
        return DamagedHistory(
            "the undo history in the database is damaged: {reason}; nothing was changed",
            reason=reason,
        )
    return DamagedHistory(
        "the undo history in {path} is damaged: {reason}; nothing was changed",
        path=where,
        reason=reason,
    )
