"""Forgetting a client: the undo history's part, the same on both engines.

Each engine finds the steps of the undo history that hold or point at the client's rows
(its own way: SQLite records a tag by its rowid, PostgreSQL under its client's id); what
is then dropped is decided here: those steps, every change left with none (with its
recorded command line, which may quote the client), and whole any bulk load whose range
of new clients covers it (it can no longer be undone).
"""

from __future__ import annotations

import json
from collections.abc import Sequence

from .dialect import Connection, Dialect

RANGES_OVER = """
SELECT DISTINCT change_id FROM undo_step
WHERE op = 'delete_range' AND tbl = 'client' AND :id BETWEEN row_id AND last_id
"""


def drop_steps(conn: Connection, dialect: Dialect, client_id: int, steps: Sequence[int]) -> int:
    """Drop ``steps`` and what they leave behind; returns how many recorded changes lost
    steps (those left with none, and a bulk load that covered the client, go whole)."""
    listed = json.dumps(sorted(steps))
    ids = dialect.json_ids("?", "s")
    touched = {
        row[0]
        for row in conn.execute(
            f"SELECT DISTINCT change_id FROM undo_step WHERE id IN (SELECT value FROM {ids})",
            (listed,),
        )
    }
    ranges = {row[0] for row in conn.execute(RANGES_OVER, {"id": client_id})}
    conn.execute(f"DELETE FROM undo_step WHERE id IN (SELECT value FROM {ids})", (listed,))
    conn.executemany("DELETE FROM change WHERE id = ?", [(change,) for change in sorted(ranges)])
    conn.execute(
        f"DELETE FROM change WHERE id IN (SELECT value FROM {ids})"
        " AND NOT EXISTS (SELECT 1 FROM undo_step WHERE change_id = change.id)",
        (json.dumps(sorted(touched)),),
    )
    return len(touched | ranges)
