"""``dossier check``: SQLite's own integrity check plus the folder's invariants.

The schema's constraints already forbid most of these; the check is for a file that was
edited by another program, restored from an old copy, or damaged on disk.
"""

from __future__ import annotations

import sqlite3

from ...domain.messages import Message, note
from ..records import Finding
from .migrations import CONTACTS_IN, CONTACTS_UP_TO, DAYS_SINCE, DIGITS_SQL, EMAILS_SQL

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
    findings.append(_kept_figures(conn))
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


# The figures triggers keep from the history (m011: each client's first and latest contact
# day; m012: the tallies 'stats' reads), each as its table holds it and as counted afresh
# from the entries. A file edited by another program, or restored from a copy made with
# the triggers off, can hold figures out of step: 'check' compares, '--repair' rewrites.
_DAY = "substr(at, 1, 10)"
KEPT = {
    "client": (
        "SELECT id, first_contact, last_contact FROM client",
        f"SELECT id, (SELECT min({_DAY}) FROM entry WHERE client_id = client.id"
        f" AND kind IN {CONTACTS_IN}), (SELECT max({_DAY}) FROM entry"
        f" WHERE client_id = client.id AND kind IN {CONTACTS_IN}) FROM client",
    ),
    "stats_day": (
        "SELECT day, kind, outcome, entries FROM stats_day WHERE entries != 0",
        f"SELECT {_DAY}, kind, coalesce(outcome, ''), count(*) FROM entry GROUP BY 1, 2, 3",
    ),
    "stats_gap": (
        "SELECT day, days, gaps FROM stats_gap WHERE days != 0 OR gaps != 0",
        f"SELECT day, sum({DAYS_SINCE.format(at='day', first='prev')}), count(*) FROM ("
        f" SELECT {_DAY} AS day, lag({_DAY}) OVER (PARTITION BY client_id ORDER BY at, id)"
        f" AS prev FROM entry WHERE kind IN {CONTACTS_IN}) WHERE prev IS NOT NULL GROUP BY day",
    ),
    "stats_win": (
        "SELECT entry_id, client_id, at, contacts, days FROM stats_win",
        f"SELECT w.id, w.client_id, w.at, ({CONTACTS_UP_TO.format(row='w')}),"
        f" {DAYS_SINCE.format(at='w.at', first='c.first_contact')}"
        " FROM entry w JOIN client c ON c.id = w.client_id WHERE w.outcome = 'won'",
    ),
}


def _kept_figures(conn: sqlite3.Connection) -> Finding:
    """The kept figures against the history: how many rows differ, either way."""
    name = note("figures kept from the history match it (contact days, stats tallies)")
    out_of_step = 0
    for kept, counted in KEPT.values():
        # Counted once (a temporary table: the gaps take seconds on a million entries),
        # compared both ways; a wrong row, missing one way and extra the other, once.
        conn.execute(f"CREATE TEMP TABLE counted_afresh AS {counted}")
        try:
            out_of_step += max(
                conn.execute(f"SELECT count(*) FROM ({one} EXCEPT {other})").fetchone()[0]
                for one, other in (
                    (kept, "SELECT * FROM temp.counted_afresh"),
                    ("SELECT * FROM temp.counted_afresh", kept),
                )
            )
        finally:
            conn.execute("DROP TABLE temp.counted_afresh")
    if not out_of_step:
        return Finding(name, True, OK)
    said = Message(
        "{count} row out of step; 'dossier check --repair' counts it again",
        {"count": out_of_step},
        plural="{count} rows out of step; 'dossier check --repair' counts them again",
    )
    return Finding(name, False, said)


def rebuild_kept(conn: sqlite3.Connection) -> None:
    """Count the kept figures again from the history: the contact days first (a win's
    days to close count from them), then each tally table from scratch."""
    first = f"(SELECT min({_DAY}) FROM entry WHERE client_id = client.id AND kind IN {CONTACTS_IN})"
    last = f"(SELECT max({_DAY}) FROM entry WHERE client_id = client.id AND kind IN {CONTACTS_IN})"
    conn.execute(
        f"UPDATE client SET first_contact = {first}, last_contact = {last}"
        f" WHERE first_contact IS NOT {first} OR last_contact IS NOT {last}"
    )
    for table, columns in (
        ("stats_day", "day, kind, outcome, entries"),
        ("stats_gap", "day, days, gaps"),
        ("stats_win", "entry_id, client_id, at, contacts, days"),
    ):
        conn.execute(f"DELETE FROM {table}")
        conn.execute(f"INSERT INTO {table} ({columns}) {KEPT[table][1]}")
