"""``dossier check`` on a PostgreSQL server: what the server's own catalogue can prove,
then the folder's rules (``sql/checks.py``, the same statements as on a file).

- indexes: none left invalid (a failed concurrent build, a REINDEX cut short);
- foreign keys: the server enforces them, but a load with triggers off
  (``session_replication_role = replica``) can slip rows past: every reference of
  dossier's tables is verified by a query, reported as on a file;
- search: the stored search columns (the history's ``tsvector``, each card's folded
  text) against a fresh computation by the expression the schema itself declares for
  them (read from the catalogue, so it follows the migrations): a change of the
  accent rules or the collation under them shows here. ``--repair`` recomputes the
  rows out of step and rebuilds the search indexes (when this user owns the tables).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ...domain.messages import Message, note
from ..records import Finding
from ..sql.checks import OK, folder_rules, rebuild_kept
from ..sql.dialect import POSTGRES

if TYPE_CHECKING:
    from ..sql.dialect import Connection

SEARCHED = ("client", "entry")
_HERE = "CAST(current_schema() AS regnamespace)"


def run(conn: Connection) -> list[Finding]:
    return [
        _indexes(conn),
        _references(conn),
        _search(conn),
        *folder_rules(conn, POSTGRES),
    ]


def repair(conn: Connection) -> None:
    """Recompute the search columns out of step, rebuild the search indexes and any
    invalid one, then count the kept figures again."""
    for table, column, expression, source in _generated(conn):
        # Writing a column it is computed from recomputes a stored generated column (an
        # update of another column does not); only the rows out of step.
        conn.execute(
            f"UPDATE {table} SET {source} = {source} WHERE {column} IS DISTINCT FROM ({expression})"
        )
    for (index,) in conn.execute(
        "SELECT CAST(i.indexrelid AS regclass) FROM pg_index i"
        " JOIN pg_class t ON t.oid = i.indrelid"
        " JOIN pg_class x ON x.oid = i.indexrelid JOIN pg_am a ON a.oid = x.relam"
        f" WHERE t.relnamespace = {_HERE} AND pg_has_role(t.relowner, 'USAGE')"
        " AND (NOT (i.indisvalid AND i.indisready)"
        "      OR (t.relname IN ('client', 'entry') AND a.amname = 'gin'))"
        " ORDER BY 1"
    ).fetchall():
        conn.execute(f"REINDEX INDEX {index}")
    rebuild_kept(conn, POSTGRES)


def _indexes(conn: Connection) -> Finding:
    names = [
        str(name)
        for (name,) in conn.execute(
            "SELECT CAST(i.indexrelid AS regclass) FROM pg_index i"
            " JOIN pg_class t ON t.oid = i.indrelid"
            f" WHERE t.relnamespace = {_HERE} AND NOT (i.indisvalid AND i.indisready)"
            " ORDER BY 1"
        ).fetchall()
    ]
    if not names:
        return Finding(note("PostgreSQL indexes are valid"), True, OK)
    said = note(
        "{names} not valid; 'dossier check --repair' rebuilds them", names=", ".join(names[:5])
    )
    return Finding(note("PostgreSQL indexes are valid"), False, said)


def _references(conn: Connection) -> Finding:
    """Each single-column foreign key of dossier's tables, verified row by row."""
    keys = conn.execute(
        "SELECT CAST(c.conrelid AS regclass), quote_ident(a.attname),"
        " CAST(c.confrelid AS regclass), quote_ident(p.attname)"
        " FROM pg_constraint c"
        " JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = c.conkey[1]"
        " JOIN pg_attribute p ON p.attrelid = c.confrelid AND p.attnum = c.confkey[1]"
        f" WHERE c.contype = 'f' AND c.connamespace = {_HERE}"
        " AND cardinality(c.conkey) = 1 ORDER BY 1, 2"
    ).fetchall()
    broken = 0
    for child, column, parent, key in keys:
        broken += conn.execute(
            f"SELECT count(*) FROM {child} c WHERE c.{column} IS NOT NULL"
            f" AND NOT EXISTS (SELECT 1 FROM {parent} p WHERE p.{key} = c.{column})"
        ).fetchone()[0]
    references = Message(
        "{count} broken references", {"count": broken}, plural="{count} broken references"
    )
    return Finding(note("foreign keys"), not broken, references if broken else OK)


def _generated(conn: Connection) -> list[tuple[str, str, str, str]]:
    """(table, column, expression, a column it is computed from) of the stored search
    columns, as the schema says."""
    rows = conn.execute(
        "SELECT CAST(t.oid AS regclass), quote_ident(a.attname), pg_get_expr(d.adbin, d.adrelid),"
        " (SELECT quote_ident(min(s.attname)) FROM pg_depend p JOIN pg_attribute s"
        "   ON s.attrelid = p.refobjid AND s.attnum = p.refobjsubid"
        "   WHERE p.classid = CAST('pg_attrdef' AS regclass) AND p.objid = d.oid"
        "   AND p.refobjsubid > 0 AND s.attnum <> a.attnum AND s.attgenerated = '')"
        " FROM pg_attribute a JOIN pg_class t ON t.oid = a.attrelid"
        " JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum"
        f" WHERE a.attgenerated = 's' AND t.relnamespace = {_HERE}"
        " AND t.relname IN ('client', 'entry') ORDER BY 1, 2"
    ).fetchall()
    return [
        (str(table), str(column), str(expression), str(source))
        for table, column, expression, source in rows
        if source is not None
    ]


def _search(conn: Connection) -> Finding:
    name = note("search indexes match the history and the cards")
    stale = 0
    for table, column, expression, _source in _generated(conn):
        stale += conn.execute(
            f"SELECT count(*) FROM {table} WHERE {column} IS DISTINCT FROM ({expression})"
        ).fetchone()[0]
    if not stale:
        return Finding(name, True, OK)
    said = Message(
        "{count} row out of step; 'dossier check --repair' rebuilds the search",
        {"count": stale},
        plural="{count} rows out of step; 'dossier check --repair' rebuilds the search",
    )
    return Finding(name, False, said)
