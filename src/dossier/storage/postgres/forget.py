"""Forgetting a client for good on a PostgreSQL server.

- ``forget_client`` (inside the command's transaction): the undo steps about the client
  go (``sql/forget.py`` decides which changes go with them), then the client, whose
  tags, fields, history, stage changes and cover rows follow by cascade. Every reader
  sees it gone from the commit on.
- ``reclaim`` (after the commit: VACUUM cannot run inside a transaction): the tables it
  touched are vacuumed, so the server marks the dead rows' space for reuse. Only the
  tables' owner may; False when some table could not be vacuumed (the server's
  autovacuum does it later). Neither removes the old bytes from the server's files, its
  write-ahead log or its own backups at once: the words ``forget`` prints say so.
- ``backups_holding``: this machine's dumps of the database that still hold the client
  (same id and name), read with ``pg_restore`` without a server.
"""

from __future__ import annotations

from contextlib import suppress
from pathlib import Path
from typing import TYPE_CHECKING

from ...domain.errors import DossierError
from ..sql.dialect import POSTGRES
from ..sql.forget import drop_steps
from . import backups

if TYPE_CHECKING:
    from ..paths import ServerUrl
    from ..sql.dialect import Connection

# The steps of the undo history that hold, or point at, one client's rows. PostgreSQL's
# undo records a row by its id, and a tag, a field or a cover's row (which have none)
# under its client's id: its own rows (client, tag, field, cover_client under its id),
# the rows whose old values name it as their client, and the insert steps of its entries
# and stage changes (those still there, and those whose later deletion was recorded).
_STEPS_ABOUT = """
WITH rows_of (tbl, row_id) AS (
    SELECT 'entry', id FROM entry WHERE client_id = :id
    UNION SELECT 'stage_change', id FROM stage_change WHERE client_id = :id
    UNION SELECT tbl, row_id FROM undo_step
        WHERE tbl IN ('entry', 'stage_change') AND old IS NOT NULL
        AND CAST(old AS jsonb) ->> 'client_id' = CAST(:id AS text)
)
SELECT s.id FROM undo_step AS s
WHERE (s.tbl IN ('client', 'tag', 'field', 'cover_client') AND s.op <> 'delete_range'
       AND s.row_id = :id)
   OR (s.tbl IN ('entry', 'stage_change') AND s.old IS NOT NULL
       AND CAST(s.old AS jsonb) ->> 'client_id' = CAST(:id AS text))
   OR EXISTS (SELECT 1 FROM rows_of AS r WHERE r.tbl = s.tbl AND r.row_id = s.row_id)
"""

# The tables a forgotten client leaves dead rows in.
TOUCHED = ("client", "entry", "tag", "field", "stage_change", "cover_client", "undo_step")


def forget_client(conn: Connection, client_id: int) -> int:
    steps = [row[0] for row in conn.execute(_STEPS_ABOUT, {"id": client_id})]
    dropped = drop_steps(conn, POSTGRES, client_id, steps)
    conn.execute("DELETE FROM client WHERE id = ?", (client_id,))
    return dropped


def reclaim(conn: Connection) -> bool:
    """VACUUM the tables the deletion touched (those this user owns; outside any
    transaction). False when some could not be vacuumed."""
    owned = [
        name
        for (name,) in conn.execute(
            "SELECT relname FROM pg_class WHERE relkind = 'r'"
            " AND relnamespace = CAST(current_schema() AS regnamespace)"
            " AND pg_has_role(relowner, 'USAGE') AND relname IN"
            f" ({', '.join(repr(table) for table in TOUCHED)})"
        ).fetchall()
    ]
    if owned:
        from .db import busy_ms

        try:
            conn.execute(f"SET lock_timeout = {busy_ms()}")  # another session's lock: later
            conn.execute("VACUUM " + ", ".join(owned))
        except Exception:  # psycopg.Error: a lock waited for too long, a cancelled vacuum
            return False
        finally:
            with suppress(Exception):
                conn.execute("RESET lock_timeout")
    return len(owned) == len(TOUCHED)


def backups_holding(url: ServerUrl, client_id: int, name: str) -> list[Path]:
    """The dumps of this database on this machine that still hold this client (same id,
    same name), newest first."""
    found = []
    for backup in backups.listing(url):
        if backup.kind == "incomplete":
            continue
        try:
            data = backups.run(
                "pg_restore", ["--data-only", "--table=client", "--file=-", str(backup.path)], None
            )
        except DossierError:  # not readable as a dump: it cannot be restored either
            continue
        columns, rows = backups.copied(data.decode("utf-8", "replace"), "client")
        if "id" not in columns or "name" not in columns:
            continue
        at_id, at_name = columns.index("id"), columns.index("name")
        if any(
            len(row) > max(at_id, at_name) and row[at_id] == str(client_id) and row[at_name] == name
            for row in rows
        ):
            found.append(backup.path)
    return found
