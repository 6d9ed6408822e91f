"""Loading many dossiers at once on PostgreSQL (``dossier import``, the benchmark's
folder): COPY, inside the command's one transaction: all of the load or none of it.

The rows are the SQLite engine's (``storage/sql/bulk``). What differs is what the
triggers would do for each row. On SQLite the stats triggers are set aside and their
tallies added after the load in three statements; here, when the connected user owns
the tables (the one who created them, as ``dossier`` does on first use), every per-row
trigger of the loaded tables is disabled for the load (``ALTER TABLE … DISABLE
TRIGGER`` inside the transaction: other sessions never see it disabled, a rollback or
a killed client puts it back) and its work is done in bulk instead:

- the contact days (first, latest) and the version a card would have reached are
  computed from the rows before they are sent (the version as SQLite's triggers move
  it: one step for each contact, tag and field loaded);
- the stats tallies are added after the history in three statements;
- undo's recording triggers would record nothing anyway (``dossier.change`` is cleared
  for the load, which is noted as one range step instead).

A user who does not own the tables loads with every trigger running (the history one
INSERT per entry, as the stats triggers need): the same result, more slowly. The
generated columns (the history's ``tsvector``, the card's search text) are computed by
the server as the rows arrive. After a large load the tables are ANALYZEd: the planner
needs statistics for what it has just received.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

from psycopg.errors import IntegrityError, LockNotAvailable, QueryCanceled

from ...domain.errors import UsageError
from ...domain.records import KINDS, OUTCOMES
from ..sql.bulk import card_rows, client_values, columns, contact_days

if TYPE_CHECKING:
    from ...domain.validate import Card
    from ..sql.dialect import Connection as Queries
    from .db import Connection

CONTACTS_IN = "('call', 'meeting', 'email', 'visit')"

# The per-row triggers of the tables a load writes (m011, m012, m014, m016), disabled while
# it runs when the user owns the tables; their work is done in bulk (see above).
PER_ROW = {
    "client": ("client_undo", "stats_client_insert"),
    "entry": ("entry_contact_insert", "stats_entry_insert", "entry_version", "entry_undo"),
    "tag": ("tag_version", "tag_undo"),
    "field": ("field_version", "field_undo"),
}

# A load this large leaves the planner's statistics of the tables behind: ANALYZE them.
ANALYZE_FROM = 5_000

EntryRow = tuple[int, str, str, str | None, str]


def owns_tables(conn: Queries) -> bool:
    """Whether the connected user owns every table a load writes (may ALTER them)."""
    found = conn.execute(
        "SELECT bool_and(pg_has_role(c.relowner, 'USAGE')) FROM pg_class c"
        " WHERE c.oid = ANY(ARRAY[to_regclass('client'), to_regclass('entry'),"
        " to_regclass('tag'), to_regclass('field')])"
    ).fetchone()
    return bool(found and found[0])


@contextmanager
def per_row_triggers_off(conn: Connection, off: bool) -> Iterator[None]:
    """The per-row triggers disabled for the load (when ``off``), enabled again before
    the transaction commits; a failed load rolls the whole transaction back, which
    enables them too."""
    if not off:
        yield
        return
    for table, names in PER_ROW.items():
        for name in names:
            conn.execute(f"ALTER TABLE {table} DISABLE TRIGGER {name}")
    yield
    for table, names in PER_ROW.items():
        for name in names:
            conn.execute(f"ALTER TABLE {table} ENABLE TRIGGER {name}")


def reserve_ids(conn: Connection, count: int) -> list[int]:
    """``count`` new client ids from the table's own sequence (inside the write lock:
    no other dossier command takes any meanwhile, so they are one run)."""
    if count <= 0:
        return []
    rows = conn.execute(
        "SELECT nextval(pg_get_serial_sequence('client', 'id')) FROM generate_series(1, ?)",
        (count,),
    ).fetchall()
    return sorted(int(value) for (value,) in rows)


def runs(ids: Sequence[int]) -> list[tuple[int, int]]:
    """Sorted ids as (first, last) runs of consecutive numbers."""
    out: list[tuple[int, int]] = []
    for value in ids:
        if out and value == out[-1][1] + 1:
            out[-1] = (out[-1][0], value)
        else:
            out.append((value, value))
    return out


def copy_rows(
    conn: Connection, table: str, cols: Sequence[str], rows: Iterable[Sequence[Any]]
) -> int:
    """COPY ``rows`` (tuples in ``cols`` order) into ``table``; how many were sent."""
    total = 0
    sql = f"COPY {table} ({', '.join(cols)}) FROM STDIN"
    with conn.raw.cursor() as cursor, cursor.copy(sql) as copy:
        for row in rows:
            copy.write_row(row)
            total += 1
    return total


def checked_entries(entries: Iterable[Sequence[Any]]) -> list[EntryRow]:
    """History rows (client id, at, kind, outcome, text) whose kind and outcome are
    dossier's; a bad one refuses the load."""
    out: list[EntryRow] = []
    for row in entries:
        client_id, at, kind, outcome, text = row
        if kind not in KINDS:
            raise UsageError(
                "history kind {kind!r} is not one of {choices}",
                kind=kind,
                choices=", ".join(KINDS),
            )
        if outcome is not None and outcome not in OUTCOMES:
            raise UsageError(
                "outcome {outcome!r} is not one of {choices}",
                outcome=outcome,
                choices=", ".join(OUTCOMES),
            )
        out.append((client_id, at, kind, outcome, text if text is not None else ""))
    return out


def finished_clients(
    clients: Iterable[dict[str, Any]],
    entries: Sequence[EntryRow],
    tags: Sequence[tuple[int, str]],
    fields: Sequence[tuple[int, str, str]],
    computed: bool,
) -> list[dict[str, Any]]:
    """The client rows as stored; with ``computed`` (triggers off), with the contact
    days and the version the per-row triggers would have given them."""
    rows = [client_values(row) for row in clients]
    if not computed:
        return rows
    days = contact_days((e[0], e[1], e[2]) for e in entries)
    steps: dict[int, int] = {}
    for client_id, *_ in tags:
        steps[client_id] = steps.get(client_id, 0) + 1
    for client_id, *_ in fields:
        steps[client_id] = steps.get(client_id, 0) + 1
    for row in rows:
        found = days.get(row["id"])
        if found is not None:
            first, last, contacts = found
            row["first_contact"], row["last_contact"] = first, last
        else:
            contacts = 0
        row["version"] = int(row["version"]) + contacts + steps.get(row["id"], 0)
    return rows


def load(
    conn: Connection,
    clients: Iterable[dict[str, Any]],
    entries: Iterable[Sequence[Any]] = (),
    tags: Iterable[tuple[int, str]] = (),
    fields: Iterable[tuple[int, str, str]] = (),
) -> tuple[int, int]:
    """COPY new clients (each dict with its ``id``, from ``reserve_ids``), then their
    history (client id, at, kind, outcome, text), tags (client id, tag) and fields
    (client id, key, value), in the caller's transaction. Every row must belong to a
    client of this load. Returns the number of clients and of entries written."""
    history = checked_entries(entries)
    tag_rows = list(tags)
    field_rows = list(fields)
    fast = owns_tables(conn)
    rows = finished_clients(clients, history, tag_rows, field_rows, computed=fast)
    if not rows:
        return 0, 0
    ids = sorted(int(row["id"]) for row in rows)
    client_cols = columns("client")
    entry_cols = [c for c in columns("entry") if c != "id"]
    with per_row_triggers_off(conn, fast):
        copy_rows(conn, "client", client_cols, (tuple(r.get(c) for c in client_cols) for r in rows))
        # Clients that came with their ids (the benchmark's) leave the sequence behind.
        conn.execute(
            "SELECT setval(s, m) FROM (SELECT CAST(pg_get_serial_sequence('client', 'id')"
            " AS regclass) AS s, (SELECT max(id) FROM client) AS m) AS top"
            " WHERE m > coalesce(pg_sequence_last_value(s), 0)"
        )
        if fast:
            copy_rows(conn, "entry", entry_cols, history)
        else:
            # The stats triggers read each entry's neighbours: they must run row by row,
            # and PostgreSQL runs a statement's AFTER ROW triggers only at its end, when
            # every row of a COPY is already there. One INSERT per entry, then.
            marks = ", ".join("?" for _ in entry_cols)
            conn.executemany(
                f"INSERT INTO entry ({', '.join(entry_cols)}) VALUES ({marks})", history
            )
        copy_rows(conn, "tag", ("client_id", "tag"), tag_rows)
        copy_rows(conn, "field", ("client_id", "key", "value"), field_rows)
        if fast:
            for first, last in runs(ids):
                fill_stats(conn, first, last)
    if fast and len(rows) + len(history) >= ANALYZE_FROM:
        analyze(conn)
    return len(rows), len(history)


# The history of clients :first..:last with each entry's owner, and its consecutive
# contacts as (owner, day, prev) pairs.
BY_OWNER = "entry e JOIN client c ON c.id = e.client_id"
PAIRS = (
    "(SELECT coalesce(c.owner, '') AS owner, substr(e.at, 1, 10) AS day,"
    " lag(substr(e.at, 1, 10)) OVER (PARTITION BY e.client_id ORDER BY e.at, e.id) AS prev"
    f" FROM {BY_OWNER} WHERE e.client_id BETWEEN :first AND :last"
    f" AND e.kind IN {CONTACTS_IN}) AS pairs"
)


def fill_stats(conn: Connection, first: int, last: int) -> None:
    """The stats tallies of the history of clients ``first``..``last`` (all of this
    load's, all new), added in three statements as the per-row triggers would have."""
    bounds = {"first": first, "last": last}
    mine = "client_id BETWEEN :first AND :last"
    # Each entry under its client's owner (m016).
    conn.execute(
        "INSERT INTO stats_day AS s (owner, day, kind, outcome, entries)"
        " SELECT coalesce(c.owner, ''), substr(e.at, 1, 10), e.kind, coalesce(e.outcome, ''),"
        f" count(*) FROM {BY_OWNER} WHERE e.{mine} GROUP BY 1, 2, 3, 4"
        " ON CONFLICT (owner, day, kind, outcome)"
        " DO UPDATE SET entries = s.entries + excluded.entries",
        bounds,
    )
    conn.execute(
        "INSERT INTO stats_gap AS g (owner, day, days, gaps)"
        f" SELECT owner, day, sum(CAST(day AS date) - CAST(prev AS date)), count(*) FROM {PAIRS}"
        " WHERE prev IS NOT NULL GROUP BY owner, day"
        " ON CONFLICT (owner, day) DO UPDATE SET days = g.days + excluded.days,"
        " gaps = g.gaps + excluded.gaps",
        bounds,
    )
    conn.execute(
        "INSERT INTO stats_win (entry_id, client_id, at, contacts, days)"
        " SELECT w.id, w.client_id, w.at,"
        "  (SELECT count(*) FROM entry e WHERE e.client_id = w.client_id"
        f"   AND e.kind IN {CONTACTS_IN} AND e.at <= w.at AND (e.at < w.at OR e.id <= w.id)),"
        "  CAST(substr(w.at, 1, 10) AS date) - CAST(c.first_contact AS date)"
        " FROM entry w JOIN client c ON c.id = w.client_id"
        f" WHERE w.{mine} AND w.outcome = 'won'",
        bounds,
    )


# What a client's removal fires, row by row, in the tables its rows cascade to.
ON_REMOVAL = {
    "client": ("client_undo", "stats_client_delete"),
    "entry": ("entry_contact_delete", "stats_entry_delete", "entry_version", "entry_undo"),
    "tag": ("tag_version", "tag_undo"),
    "field": ("field_version", "field_undo"),
    "stage_change": ("stage_change_undo",),
    "cover_client": ("cover_client_undo",),
}


def remove_range(conn: Queries, first: int, last: int) -> bool:
    """Take the clients ``first``..``last`` away with all of theirs, as undo of a bulk
    load does, the per-row triggers' work done in bulk (their history's tallies taken
    out of the stats in a few statements): a cascade through a trigger per entry took
    a minute for 40,000 clients. Only when the user owns the tables and undo is not
    recording (it never records itself); else False and nothing done (the caller's
    plain DELETE then runs every trigger)."""
    recording = conn.execute("SELECT current_setting('dossier.change', true)").fetchone()
    if (recording and recording[0]) or not owns_tables(conn):
        return False
    bounds = {"first": first, "last": last}
    mine = "client_id BETWEEN :first AND :last"
    for table, names in ON_REMOVAL.items():
        for name in names:
            conn.execute(f"ALTER TABLE {table} DISABLE TRIGGER {name}")
    # (Two statements each: a statement does not see its own CTE's updates.)
    conn.execute(
        "UPDATE stats_day s SET entries = s.entries - gone.n FROM (SELECT coalesce(c.owner, '')"
        " AS owner, substr(e.at, 1, 10) AS day, e.kind, coalesce(e.outcome, '') AS outcome,"
        f" count(*) AS n FROM {BY_OWNER} WHERE e.{mine} GROUP BY 1, 2, 3, 4) AS gone"
        " WHERE s.owner = gone.owner AND s.day = gone.day AND s.kind = gone.kind"
        " AND s.outcome = gone.outcome",
        bounds,
    )
    conn.execute("DELETE FROM stats_day WHERE entries = 0")  # as the triggers leave none
    conn.execute(
        "UPDATE stats_gap g SET days = g.days - gone.days, gaps = g.gaps - gone.gaps"
        " FROM (SELECT owner, day, sum(CAST(day AS date) - CAST(prev AS date)) AS days,"
        f" count(*) AS gaps FROM {PAIRS}"
        "  WHERE prev IS NOT NULL GROUP BY owner, day) AS gone"
        " WHERE g.owner = gone.owner AND g.day = gone.day",
        bounds,
    )
    conn.execute("DELETE FROM stats_gap WHERE gaps = 0")
    conn.execute(f"DELETE FROM stats_win WHERE {mine}", bounds)
    conn.execute("DELETE FROM client WHERE id BETWEEN :first AND :last", bounds)
    for table, names in ON_REMOVAL.items():
        for name in names:
            conn.execute(f"ALTER TABLE {table} ENABLE TRIGGER {name}")
    return True


def analyze(conn: Connection) -> None:
    """Fresh planner statistics for the loaded tables (their owner's to take; for
    another user the server's autovacuum does it later). Never worth failing the load
    for: a table busy with the server's own ANALYZE past the lock's wait is left to it."""
    conn.execute("SAVEPOINT dossier_analyze")
    try:
        for table in ("client", "entry", "tag", "field", "stats_win"):
            conn.execute(f"ANALYZE {table}")
    except (LockNotAvailable, QueryCanceled):
        conn.execute("ROLLBACK TO SAVEPOINT dossier_analyze")
    else:
        conn.execute("RELEASE SAVEPOINT dossier_analyze")


def import_cards(
    conn: Connection, cards: Sequence[Card], stamp: str, owner: str | None
) -> tuple[int, int]:
    """New dossiers from checked import cards: ids from the database's sequence, rows
    by COPY, one undo step (deleting the loaded range of clients, their rows follow by
    cascade) instead of a step per row."""
    from . import undo

    ids = reserve_ids(conn, len(cards))
    if not ids:
        return 0, 0
    rows, entries, tags, fields = card_rows(cards, 0, stamp, owner)
    for row, client_id in zip(rows, ids, strict=True):
        row["id"] = client_id
    history = [(ids[e["client_id"]], e["at"], e["kind"], e["outcome"], e["text"]) for e in entries]
    tag_rows = [(ids[t["client_id"]], t["tag"]) for t in tags]
    field_rows = [(ids[number], key, value) for number, key, value in fields]
    change = undo.pause(conn)
    try:
        counts = load(conn, rows, history, tag_rows, field_rows)
    except IntegrityError as exc:
        raise UsageError(
            "the export holds a value dossier refuses ({reason})", reason=_first_line(exc)
        ) from None
    undo.resume(conn, change)
    if change is not None:
        for first, last in runs(ids):
            undo.note_range(conn, change, first, last)
    return counts


def _first_line(exc: BaseException) -> str:
    lines = [line.strip() for line in str(exc).splitlines() if line.strip()]
    return lines[0] if lines else type(exc).__name__
