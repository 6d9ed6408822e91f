"""``dossier check``: the folder's own rules, the same on both engines.

The schema's constraints already forbid most of these; the check is for a database that
was edited by another program, restored from an old copy, or damaged. Each engine adds
its own checks around these (``sqlite/checks.py``: SQLite's integrity check, foreign keys
and full-text indexes; ``postgres/checks.py``: the references, the indexes and the
search columns); the statements here are written once, with ``dialect`` where the two
spell a construct differently.
"""

from __future__ import annotations

from datetime import date

from ...domain.messages import Message, note
from ..records import Finding
from .dialect import Connection, Dialect

OK = note("ok")
CONTACTS_IN = "('call', 'meeting', 'email', 'visit')"

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


def folder_rules(conn: Connection, dialect: Dialect) -> list[Finding]:
    """The kept figures, the dates, then each invariant, in the order ``check`` prints them."""
    findings = [kept_figures(conn, dialect), dates(conn, dialect)]
    for name, query in INVARIANTS:
        ids = [row[0] for row in conn.execute(query)]
        findings.append(Finding(name, not ids, rows(ids)))
    return findings


def rows(ids: list[int]) -> Message:
    """What a rule found: ``ok``, or how many rows break it and the first few ids."""
    if not ids:
        return OK
    return Message(
        "{count} rows, e.g. id {ids}",
        {"count": len(ids), "ids": ", ".join(map(str, ids[:5]))},
        plural="{count} rows, e.g. id {ids}",
    )


# --- dates ----------------------------------------------------------------------------

# Written the one way dossier writes them. SQLite: "not equal to itself through SQLite's
# date functions" catches other spellings (20240705, 2024-7-5, 9:30, 99:99); PostgreSQL
# (whose casts would stop the statement at the first bad value): the same spellings, as
# patterns. A history timestamp is a day, 'T' or a space, and a time to the second.
SQLITE_DATES = (
    "SELECT id FROM client WHERE due IS NOT NULL AND date(due) IS NOT due",
    "SELECT id FROM client WHERE due_month IS NOT NULL"
    " AND (length(due_month) != 7 OR date(due_month || '-01') IS NOT due_month || '-01')",
    "SELECT id FROM client WHERE due_time IS NOT NULL"
    " AND (length(due_time) != 5 OR time(due_time) IS NOT due_time || ':00')",
    "SELECT client_id FROM entry WHERE datetime(at) IS NOT replace(at, 'T', ' ')",
)
_DAY = "[0-9]{4}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])"
_TIME = "([01][0-9]|2[0-3]):[0-5][0-9]"
POSTGRES_DATES = (
    f"SELECT id FROM client WHERE due !~ '^{_DAY}$'",
    "SELECT id FROM client WHERE due_month !~ '^[0-9]{4}-(0[1-9]|1[0-2])$'",
    f"SELECT id FROM client WHERE due_time !~ '^{_TIME}$'",
    f"SELECT client_id FROM entry WHERE at !~ '^{_DAY}[T ]{_TIME}:[0-5][0-9]$'",
)


def dates(conn: Connection, dialect: Dialect) -> Finding:
    """Every stored day, month, time and history timestamp is a real one, written the
    one way dossier writes it. One check (it used to be reported twice): the spelling
    in SQL, and the calendar in Python (SQLite's date() accepts 30 February)."""
    bad: list[int] = []
    for query in POSTGRES_DATES if dialect.name == "postgres" else SQLITE_DATES:
        bad += [row[0] for row in conn.execute(query)]
    for client_id, due, month in conn.execute(
        "SELECT id, due, due_month FROM client WHERE due IS NOT NULL OR due_month IS NOT NULL"
    ):
        try:
            date.fromisoformat(due or f"{month}-01")
        except (TypeError, ValueError):
            bad.append(client_id)
    bad = sorted(set(bad))
    return Finding(note("dates are well formed"), not bad, rows(bad))


# --- the figures kept from the history ------------------------------------------------

# The figures triggers keep from the history (m011: each client's first and latest contact
# day; m012: the tallies 'stats' reads, per owner since m016), each as its table holds it
# and as counted afresh from the entries. A database edited by another program, or
# restored from a copy made with the triggers off, can hold figures out of step: 'check'
# compares, '--repair' rewrites.
DAY = "substr(at, 1, 10)"
# The day and gap tallies are kept per owner (m016): each entry under its client's.
E_DAY = "substr(e.at, 1, 10)"
BY_OWNER = "entry e JOIN client c ON c.id = e.client_id"
CONTACTS_UP_TO = (
    "SELECT count(*) FROM entry e WHERE e.client_id = {row}.client_id"
    f" AND e.kind IN {CONTACTS_IN} AND e.at <= {{row}}.at"
    " AND (e.at < {row}.at OR e.id <= {row}.id)"
)


def days_since(dialect: Dialect, at: str, first: str) -> str:
    """Whole days from the day ``first`` to the day of the timestamp ``at``."""
    return f"CAST({dialect.day_diff(f'substr({at}, 1, 10)', first)} AS INTEGER)"


def kept(dialect: Dialect) -> dict[str, tuple[str, str]]:
    """Per table: (the figures as kept, the same counted afresh from the entries)."""
    return {
        "client": (
            "SELECT id, first_contact, last_contact FROM client",
            f"SELECT id, (SELECT min({DAY}) FROM entry WHERE client_id = client.id"
            f" AND kind IN {CONTACTS_IN}), (SELECT max({DAY}) FROM entry"
            f" WHERE client_id = client.id AND kind IN {CONTACTS_IN}) FROM client",
        ),
        "stats_day": (
            "SELECT owner, day, kind, outcome, entries FROM stats_day WHERE entries != 0",
            f"SELECT coalesce(c.owner, ''), {E_DAY}, e.kind, coalesce(e.outcome, ''), count(*)"
            f" FROM {BY_OWNER} GROUP BY 1, 2, 3, 4",
        ),
        "stats_gap": (
            "SELECT owner, day, days, gaps FROM stats_gap WHERE days != 0 OR gaps != 0",
            f"SELECT owner, day, sum({days_since(dialect, 'day', 'prev')}), count(*) FROM ("
            f" SELECT coalesce(c.owner, '') AS owner, {E_DAY} AS day, lag({E_DAY})"
            " OVER (PARTITION BY e.client_id ORDER BY e.at, e.id) AS prev"
            f" FROM {BY_OWNER} WHERE e.kind IN {CONTACTS_IN}) AS contacts"
            " WHERE prev IS NOT NULL GROUP BY owner, day",
        ),
        "stats_win": (
            "SELECT entry_id, client_id, at, contacts, days FROM stats_win",
            f"SELECT w.id, w.client_id, w.at, ({CONTACTS_UP_TO.format(row='w')}),"
            f" {days_since(dialect, 'w.at', 'c.first_contact')}"
            " FROM entry w JOIN client c ON c.id = w.client_id WHERE w.outcome = 'won'",
        ),
    }


def kept_figures(conn: Connection, dialect: Dialect) -> Finding:
    """The kept figures against the history: how many rows differ, either way."""
    name = note("figures kept from the history match it (contact days, stats tallies)")
    out_of_step = 0
    for figures, counted in kept(dialect).values():
        # Counted once (materialized: the gaps take seconds on a million entries; no
        # temporary table, which a read-only transaction may not create), compared both
        # ways; a wrong row, missing one way and extra the other, counts once.
        missing, extra = conn.execute(
            f"WITH counted AS MATERIALIZED ({counted}) SELECT"
            f" (SELECT count(*) FROM ({figures} EXCEPT SELECT * FROM counted) AS one),"
            f" (SELECT count(*) FROM (SELECT * FROM counted EXCEPT {figures}) AS other)"
        ).fetchone()
        out_of_step += max(missing, extra)
    if not out_of_step:
        return Finding(name, True, OK)
    said = Message(
        "{count} row out of step; 'dossier check --repair' counts it again",
        {"count": out_of_step},
        plural="{count} rows out of step; 'dossier check --repair' counts them again",
    )
    return Finding(name, False, said)


def rebuild_kept(conn: Connection, dialect: Dialect) -> None:
    """Count the kept figures again from the history: the contact days first (a win's
    days to close count from them), then each tally table from scratch."""
    first = f"(SELECT min({DAY}) FROM entry WHERE client_id = client.id AND kind IN {CONTACTS_IN})"
    last = f"(SELECT max({DAY}) FROM entry WHERE client_id = client.id AND kind IN {CONTACTS_IN})"
    conn.execute(
        f"UPDATE client SET first_contact = {first}, last_contact = {last}"
        f" WHERE {dialect.distinct('first_contact', first)}"
        f" OR {dialect.distinct('last_contact', last)}"
    )
    figures = kept(dialect)
    for table, columns in (
        ("stats_day", "owner, day, kind, outcome, entries"),
        ("stats_gap", "owner, day, days, gaps"),
        ("stats_win", "entry_id, client_id, at, contacts, days"),
    ):
        conn.execute(f"DELETE FROM {table}")
        conn.execute(f"INSERT INTO {table} ({columns}) {figures[table][1]}")
