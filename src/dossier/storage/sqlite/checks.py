"""``dossier check``: SQLite's own integrity check plus the folder's invariants.

The schema's constraints already forbid most of these; the check is for a file that was
edited by another program, restored from an old copy, or damaged on disk.
"""

from __future__ import annotations

import sqlite3

from ...domain.messages import Message, note
from ..records import Finding
from .migrations import DIGITS_SQL, EMAILS_SQL

OK = note("ok")

INVARIANTS = (
    (
        note("every dossier is in at most one place"),
        "SELECT id FROM client WHERE due IS NOT NULL AND due_month IS NOT NULL",
    ),
    (
        note("a fixed time only with a day"),
        "SELECT id FROM client WHERE due_time IS NOT NULL AND due IS NULL",
    ),
    (
        note("done dossiers are out of the folder"),
        "SELECT id FROM client WHERE archived_at IS NOT NULL"
        " AND (due IS NOT NULL OR due_month IS NOT NULL)",
    ),
    (
        note("no history without a client"),
        "SELECT id FROM entry WHERE client_id NOT IN (SELECT id FROM client)",
    ),
    (
        note("no tag or field without a client"),
        "SELECT client_id FROM tag WHERE client_id NOT IN (SELECT id FROM client)"
        " UNION ALL SELECT client_id FROM field WHERE client_id NOT IN (SELECT id FROM client)",
    ),
)


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
    findings.append(_dates(conn))
    for name, query in INVARIANTS:
        ids = [row[0] for row in conn.execute(query)]
        findings.append(Finding(name, not ids, _rows(ids)))
    return findings


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


def _rows(ids: list[int]) -> Message:
    """What a rule found: ``ok``, or how many rows break it and the first few ids."""
    if not ids:
        return OK
    return Message(
        "{count} rows, e.g. id {ids}",
        {"count": len(ids), "ids": ", ".join(map(str, ids[:5]))},
        plural="{count} rows, e.g. id {ids}",
    )


DATE_RULES = (
    # Written the one way dossier writes them: "not equal to itself through SQLite's
    # date functions" catches other spellings (20240705, 2024-7-5, 9:30, 99:99).
    "SELECT id FROM client WHERE due IS NOT NULL AND date(due) IS NOT due",
    "SELECT id FROM client WHERE due_month IS NOT NULL"
    " AND (length(due_month) != 7 OR date(due_month || '-01') IS NOT due_month || '-01')",
    "SELECT id FROM client WHERE due_time IS NOT NULL"
    " AND (length(due_time) != 5 OR time(due_time) IS NOT due_time || ':00')",
    "SELECT client_id FROM entry WHERE datetime(at) IS NOT replace(at, 'T', ' ')",
)


def _dates(conn: sqlite3.Connection) -> Finding:
    """Every stored day, month, time and history timestamp is a real one, written the
    one way dossier writes it. One check (it used to be reported twice): the spelling
    in SQL, and the calendar in Python, since SQLite's date() accepts 30 February."""
    from datetime import date

    bad: list[int] = []
    for query in DATE_RULES:
        bad += [row[0] for row in conn.execute(query)]
    for client_id, due, month in conn.execute(
        "SELECT id, due, due_month FROM client WHERE due IS NOT NULL OR due_month IS NOT NULL"
    ):
        try:
            date.fromisoformat(due or f"{month}-01")
        except (TypeError, ValueError):
            bad.append(client_id)
    bad = sorted(set(bad))
    return Finding(note("dates are well formed"), not bad, _rows(bad))


def rebuild_search(conn: sqlite3.Connection) -> None:
    conn.execute("INSERT INTO entry_fts (entry_fts) VALUES ('rebuild')")
    conn.execute("DELETE FROM client_fts")
    conn.execute(
        "INSERT INTO client_fts (rowid, name, company, email, phones, digits)"
        f" SELECT id, name, company, {EMAILS_SQL.format(row='')}, phones,"
        f" {DIGITS_SQL.format('phones')} FROM client"
    )
