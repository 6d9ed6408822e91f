"""Forgetting a client for good: its rows, its search-index entries and every undo record
that holds its data, then the space they took, so its text is no longer in the file.

Deleting a row in SQLite leaves its bytes on the freed page, in the full-text index's
older segments (an FTS5 delete only adds a tombstone), in the write-ahead log's earlier
frames and in any undo step that kept the row's old values. So:

- ``forget_client`` (inside the command's transaction, with ``secure_delete`` on, so
  freed cells are zeroed): the undo steps about the client are deleted (a change left
  with none goes too, with its recorded command line, which may quote the client; a bulk
  load covering it goes whole), then the client (its tags, fields and history follow by
  cascade, and the triggers drop its search rows), then both search indexes are merged
  (``optimize``) so no segment keeps its words;
- ``reclaim`` (after the commit: VACUUM cannot run inside a transaction): the file is
  rebuilt (VACUUM) and the write-ahead log copied back and truncated to nothing
  (``wal_checkpoint(TRUNCATE)``).
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

from ..sql.dialect import SQLITE
from ..sql.forget import drop_steps
from .backups import listing, open_source

# The steps of the undo history that hold, or point at, one client's rows: its own row
# (any step on table client with its id), the rows whose old values (a JSON object; NULL
# for an insert) name it as their client, and the insert steps of its rows (by rowid:
# those still there, and those whose later deletion was recorded). A bulk load's
# ``delete_range`` step covering its id is handled apart: that change is dropped whole.
_STEPS_ABOUT = """
WITH rows_of (tbl, row_id) AS (
    SELECT 'entry', id FROM entry WHERE client_id = :id
    UNION SELECT 'tag', rowid FROM tag WHERE client_id = :id
    UNION SELECT 'field', rowid FROM field WHERE client_id = :id
    UNION SELECT 'stage_change', id FROM stage_change WHERE client_id = :id
    UNION SELECT tbl, row_id FROM undo_step
        WHERE tbl IN ('entry', 'tag', 'field', 'stage_change')
        AND CASE WHEN json_valid(old) THEN json_extract(old, '$.client_id') END = :id
)
SELECT s.id FROM undo_step AS s
WHERE (s.tbl = 'client' AND s.op <> 'delete_range' AND s.row_id = :id)
   OR (s.tbl IN ('entry', 'tag', 'field', 'stage_change')
       AND CASE WHEN json_valid(s.old) THEN json_extract(s.old, '$.client_id') END = :id)
   OR EXISTS (SELECT 1 FROM rows_of AS r WHERE r.tbl = s.tbl AND r.row_id = s.row_id)
"""


def forget_client(conn: sqlite3.Connection, client_id: int) -> int:
    """Delete the client, everything of it, and every undo step that holds or points at
    its rows; returns how many recorded changes lost steps (those left with none, and a
    bulk load that covered it, are dropped whole: they can no longer be undone)."""
    conn.execute("PRAGMA secure_delete = ON")
    steps = [row[0] for row in conn.execute(_STEPS_ABOUT, {"id": client_id})]
    dropped = drop_steps(conn, SQLITE, client_id, steps)
    conn.execute("DELETE FROM client WHERE id = ?", (client_id,))
    for index in ("entry_fts", "client_fts"):
        conn.execute(f"INSERT INTO {index} ({index}) VALUES ('optimize')")
    return dropped


def reclaim(conn: sqlite3.Connection) -> bool:
    """Rebuild the file without the freed space, and empty the write-ahead log. Outside
    any transaction. False when another connection kept the log from being emptied (it
    is emptied the next time no one is reading)."""
    try:
        conn.execute("PRAGMA secure_delete = ON")
        conn.execute("VACUUM")
        busy, _, _ = conn.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
    except sqlite3.OperationalError:  # another program is writing: done on a later run
        return False
    wal = Path(f"{_main_file(conn)}-wal")
    return busy == 0 and (not wal.exists() or wal.stat().st_size == 0)


def backups_holding(database: Path, client_id: int, name: str) -> list[Path]:
    """The backups next to ``database`` that still hold this client (same id, same
    name), newest first; each read without changing anything beside it."""
    found = []
    for backup in listing(database):
        if backup.kind == "incomplete":
            continue
        try:
            conn = open_source(backup.path)
        except sqlite3.Error:
            continue
        try:
            row = conn.execute(
                "SELECT 1 FROM client WHERE id = ? AND name = ?", (client_id, name)
            ).fetchone()
        except sqlite3.Error:  # not a dossier file, or damaged: it cannot be read as one
            row = None
        finally:
            conn.close()
        if row is not None:
            found.append(backup.path)
    return found


def _main_file(conn: sqlite3.Connection) -> str:
    return next(str(row[2]) for row in conn.execute("PRAGMA database_list") if row[1] == "main")
