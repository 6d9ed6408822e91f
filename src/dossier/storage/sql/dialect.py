"""What the two SQL dialects spell differently, one method per construct.

The statements in ``storage/sql/`` are written once; where SQLite and PostgreSQL differ,
they ask ``self.dialect`` for the text. ``Dialect`` is SQLite's spelling, exactly the
text the SQLite engine always ran (its query plans are tuned and tested); ``Postgres``
overrides what PostgreSQL writes otherwise. Every method returns SQL text built from
dossier's own column names and parameter marks, never from user text.

``Connection`` is the little of DB-API the statements use, whatever the engine.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any, Protocol


class Cursor(Protocol):
    @property
    def rowcount(self) -> int: ...

    def fetchone(self) -> Any: ...

    def fetchall(self) -> list[Any]: ...

    def __iter__(self) -> Iterator[Any]: ...


class Connection(Protocol):
    """A connection inside the command's transaction: ``?`` and ``:name`` parameters."""

    def execute(self, sql: str, parameters: Any = ..., /) -> Cursor: ...

    def executemany(self, sql: str, parameters: Iterable[Any], /) -> Cursor: ...


class Dialect:
    """SQLite's spelling (the default)."""

    name = "sqlite"
    # The LIMIT that means no limit.
    no_limit: int | None = -1

    def json_ids(self, mark: str, alias: str) -> str:
        """A table ``alias`` of one integer column ``value``: the ids in the JSON array
        parameter ``mark``."""
        return f"json_each({mark}) {alias}"

    def json_texts(self, mark: str) -> str:
        """A table of one text column ``value``: the strings of a JSON array parameter."""
        return f"json_each({mark})"

    def json_numbers(self, mark: str, alias: str) -> str:
        """A table ``alias`` of (``key`` text, ``value`` number): a JSON object parameter."""
        return f"json_each({mark}) {alias}"

    def day_diff(self, later: str, earlier: str) -> str:
        """The days from the ISO date ``earlier`` to ``later`` (a number)."""
        return f"julianday({later}) - julianday({earlier})"

    def position(self, haystack: str, needle: str) -> str:
        """Where ``needle`` starts in ``haystack`` (1-based), 0 when it is not there."""
        return f"instr({haystack}, {needle})"

    def last_char(self, text: str) -> str:
        return f"substr({text}, -1)"

    def top_char(self) -> str:
        """A character that sorts after every other (the end of a prefix range)."""
        return "char(1114111)"

    def insert_or_ignore(self, rest: str) -> str:
        """``INSERT INTO rest`` that skips a row whose key is already there."""
        return f"INSERT OR IGNORE INTO {rest}"

    def indexed_by(self, table: str, index: str) -> str:
        """``table`` read through ``index`` (SQLite's planner needs the hint)."""
        return f"{table} INDEXED BY {index}"

    def no_index(self, column: str) -> str:
        """``column`` in an ORDER BY that must not drive the choice of index."""
        return f"+{column}"

    def flag(self, condition: str) -> str:
        """``condition`` as the number 1 or 0 (to be added up)."""
        return condition

    def true(self) -> str:
        return "1"

    def json_field(self, column: str, key: str) -> str:
        """The value under ``key`` (a dossier name) of the JSON object text ``column``."""
        return f"json_extract({column}, '$.{key}')"

    def defer_references(self) -> str:
        """Check the references to a client at commit, not at each statement (undo puts
        rows back children first as often as parents first)."""
        return "PRAGMA defer_foreign_keys = ON"

    def json_array(self, value: str) -> str:
        """The aggregate of ``value`` over the rows as a JSON array text (``[]``: none)."""
        return f"json_group_array({value})"

    def distinct(self, left: str, right: str) -> str:
        """``left`` differs from ``right``, NULL being a value like any other."""
        return f"{left} IS NOT {right}"

    def row_client(self, table: str) -> str:
        """The client of the row of ``table`` (one of dossier's) that undo recorded under
        the row id ``?``."""
        return f"SELECT client_id FROM {table} WHERE rowid = ?"

    def rename_key_sql(self) -> str:
        """Give a field's values filed under other spellings (case ignored) the spelling
        ``:name``; a dossier holding both keeps the one already spelt so."""
        return (
            "UPDATE OR IGNORE field SET key = :name WHERE lower(key) = lower(:name)"
            " AND key != :name"
        )


class Postgres(Dialect):
    """PostgreSQL's spelling, where it differs."""

    name = "postgres"
    no_limit = None

    def json_ids(self, mark: str, alias: str) -> str:
        return (
            f"(SELECT CAST(value AS bigint) AS value"
            f" FROM json_array_elements_text(CAST({mark} AS json))) {alias}"
        )

    def json_texts(self, mark: str) -> str:
        return f"json_array_elements_text(CAST({mark} AS json))"

    def json_numbers(self, mark: str, alias: str) -> str:
        return (
            f"(SELECT key, CAST(value AS double precision) AS value"
            f" FROM json_each_text(CAST({mark} AS json))) {alias}"
        )

    def day_diff(self, later: str, earlier: str) -> str:
        return f"(CAST({later} AS date) - CAST({earlier} AS date))"

    def position(self, haystack: str, needle: str) -> str:
        return f"strpos({haystack}, {needle})"

    def last_char(self, text: str) -> str:
        return f"right({text}, 1)"

    def top_char(self) -> str:
        return "chr(1114111)"

    def insert_or_ignore(self, rest: str) -> str:
        return f"INSERT INTO {rest} ON CONFLICT DO NOTHING"

    def indexed_by(self, table: str, index: str) -> str:
        return table

    def no_index(self, column: str) -> str:
        return column

    def flag(self, condition: str) -> str:
        return f"CASE WHEN {condition} THEN 1 ELSE 0 END"

    def true(self) -> str:
        return "TRUE"

    def json_field(self, column: str, key: str) -> str:
        return f"(CAST({column} AS jsonb) ->> '{key}')"

    def defer_references(self) -> str:
        return "SET CONSTRAINTS ALL DEFERRED"

    def json_array(self, value: str) -> str:
        return f"coalesce(CAST(json_agg({value}) AS text), '[]')"

    def distinct(self, left: str, right: str) -> str:
        return f"{left} IS DISTINCT FROM {right}"

    def row_client(self, table: str) -> str:
        # A tag or a field has no id of its own here: undo records it under its client's.
        if table in ("tag", "field", "cover_client"):
            return "SELECT CAST(? AS bigint)"
        return f"SELECT client_id FROM {table} WHERE id = ?"

    def rename_key_sql(self) -> str:
        # No UPDATE OR IGNORE: of the other spellings a dossier holds, only the lowest is
        # renamed, and only where the spelling wanted is not there yet.
        return (
            "UPDATE field SET key = :name WHERE lower(key) = lower(:name) AND key != :name"
            " AND NOT EXISTS (SELECT 1 FROM field f WHERE f.client_id = field.client_id"
            "  AND f.key = :name)"
            " AND key = (SELECT min(f.key) FROM field f WHERE f.client_id = field.client_id"
            "  AND lower(f.key) = lower(:name) AND f.key != :name)"
        )


SQLITE = Dialect()
POSTGRES = Postgres()
