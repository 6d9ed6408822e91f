"""Client names for shell completion: a read-only look at the database, cheap and silent.

Completion runs on every Tab press, so it must never migrate, back up or write, and never
complain: a database that is missing, unreadable, locked, newer or another program's
completes nothing. Names are matched as ``CLIENT`` matches them, without regard to case or
accents: first by folded prefix (a range on the ``name_fold`` index), then, if that gave
fewer than ``LIMIT``, by folded substring; most recently touched first within each.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

from ...domain.names import fold

LIMIT = 50

# One candidate a name (namesakes are one word to type), most recently touched first.
_PREFIX = (
    "SELECT name FROM client WHERE name_fold >= :key AND name_fold < :key || char(1114111)"
    " GROUP BY name ORDER BY max(updated_at) DESC, max(id) DESC LIMIT :limit"
)
# Names that contain the key but do not start with it (those came from the prefix query).
_SUBSTRING = (
    "SELECT name FROM client"
    " WHERE id IN (SELECT id FROM client WHERE instr(name_fold, :key) > 1)"
    " GROUP BY name ORDER BY max(updated_at) DESC, max(id) DESC LIMIT :limit"
)


def open_for_completion(path: Path) -> sqlite3.Connection | None:
    """The database opened read-only, or None if it is not a readable dossier database."""
    if not path.is_file():
        return None
    # With no pending WAL, immutable: SQLite then creates no -wal/-shm side files (a
    # read-only connection could not remove them). With one, read through it.
    try:
        wal = Path(f"{path}-wal")
        options = "mode=ro" if wal.exists() and wal.stat().st_size > 0 else "immutable=1"
        conn = sqlite3.connect(f"{path.resolve().as_uri()}?{options}", uri=True, timeout=0.05)
    except (sqlite3.Error, OSError, ValueError):
        return None
    try:
        from .db import identify

        if identify(conn).kind != "dossier":
            conn.close()
            return None
    except sqlite3.Error:
        conn.close()
        return None
    return conn


def client_names(conn: sqlite3.Connection, typed: str, limit: int = LIMIT) -> list[str]:
    """Up to ``limit`` distinct client names matching ``typed`` (folded prefix, then
    folded substring), most recently touched first."""
    key = fold(typed)
    names = [row[0] for row in conn.execute(_PREFIX, {"key": key, "limit": limit})]
    if key and len(names) < limit:
        more = conn.execute(_SUBSTRING, {"key": key, "limit": limit - len(names)})
        names += [row[0] for row in more]
    return names


def complete_client_names(path: Path, typed: str) -> list[str]:
    """``client_names`` of the database at ``path``; nothing on any trouble with it."""
    conn = open_for_completion(path)
    if conn is None:
        return []
    try:
        return client_names(conn, typed)
    except sqlite3.Error:
        return []
    finally:
        conn.close()
