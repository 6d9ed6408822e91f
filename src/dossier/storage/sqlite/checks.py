"""``dossier check`` on a file: SQLite's own integrity check, its foreign keys and its
full-text indexes, then the folder's rules (``sql/checks.py``, the same on both engines).

The schema's constraints already forbid most of these; the check is for a file that was
edited by another program, restored from an old copy, or damaged on disk.
"""

from __future__ import annotations

import sqlite3

from ...domain.messages import Message, note
from ..records import Finding
from ..sql.checks import OK, folder_rules
from ..sql.checks import rebuild_kept as rebuild
from ..sql.dialect import SQLITE
from .migrations import DIGITS_SQL, EMAILS_SQL


def run(conn: sqlite3.Connection) -> list[Finding]:
    findings = []
    result = [row[0] for row in conn.execute("PRAGMA integrity_check")]
    integrity = OK if result == ["ok"] else note("{reason}", reason="; ".join(result[:5]))
    findings.append(Finding(note("SQLite integrity check"), result == ["ok"], integrity))
    broken = conn.execute("PRAGMA foreign_key_check").fetchall()
    references = Message(
        "{count} broken references",
        {"count": len(broken)},
        plural="{count} broken references",
    )
    findings.append(Finding(note("foreign keys"), not broken, references if broken else OK))
    findings.append(_search_index(conn))
    return findings + folder_rules(conn, SQLITE)


def _search_index(conn: sqlite3.Connection) -> Finding:
    """The history index against the history itself (``rank`` 1 compares it with the
    content table, which the plain form does not), and the card index's own structure."""
    name = note("search indexes match the history and the cards")
    try:
        conn.execute("INSERT INTO entry_fts (entry_fts, rank) VALUES ('integrity-check', 1)")
        conn.execute("INSERT INTO client_fts (client_fts) VALUES ('integrity-check')")
    except sqlite3.OperationalError as exc:
        if "readonly" in str(exc):
            return Finding(name, True, note("not checked: the file is read-only"))
        return Finding(name, False, _rebuild(exc))
    except sqlite3.DatabaseError as exc:
        return Finding(name, False, _rebuild(exc))
    return Finding(name, True, OK)


def _rebuild(exc: sqlite3.Error) -> Message:
    return note("{reason}; 'dossier check --repair' rebuilds them", reason=str(exc))


def rebuild_search(conn: sqlite3.Connection) -> None:
    conn.execute("INSERT INTO entry_fts (entry_fts) VALUES ('rebuild')")
    conn.execute("DELETE FROM client_fts")
    conn.execute(
        "INSERT INTO client_fts (rowid, name, company, email, phones, digits)"
        f" SELECT id, name, company, {EMAILS_SQL.format(row='')}, phones,"
        f" {DIGITS_SQL.format('phones')} FROM client"
    )


def rebuild_kept(conn: sqlite3.Connection) -> None:
    rebuild(conn, SQLITE)
