"""Owners and covers: whose dossiers a view shows, handing them over, and giving back.

The owner is a column of ``client`` (m013), indexed with the day and the month tab. A
folder with one owner (one person's file, the common case) is told by two index probes
(the first and last owner), so that its views need no owner condition at all.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import date
from typing import Any

from ...domain.records import Cover
from .cards import Scope, filter_sql
from .dialect import Connection, Dialect

# The stats tables kept per owner (m016): their other key columns and figures, and how
# one row is added to another.
_TALLIES = (
    ("stats_day", "day, kind, outcome", "entries", "entries = t.entries + excluded.entries"),
    (
        "stats_gap",
        "day",
        "days, gaps",
        "days = t.days + excluded.days, gaps = t.gaps + excluded.gaps",
    ),
)


class OwnerQueries:
    """The statements of owners, handoffs and covers."""

    conn: Connection
    dialect: Dialect
    scope: Scope | None

    def only_owner(self, owner: str | None, unowned: bool = False) -> None:
        """Limit the views' queries (day rows, loads, plans, review, stats) to the
        dossiers of ``owner`` (and those nobody owns yet, with ``unowned``); None: every
        dossier. A lookup by name is never limited."""
        self.scope = None if owner is None else (owner, unowned)

    def owner_span(self) -> tuple[str | None, str | None, bool]:
        """The first and last owner (by name), and whether a dossier has none: two index
        probes and one more, whatever the folder's size."""
        first = self.conn.execute("SELECT min(owner) FROM client").fetchone()[0]
        last = self.conn.execute("SELECT max(owner) FROM client").fetchone()[0]
        unowned = self.conn.execute("SELECT 1 FROM client WHERE owner IS NULL LIMIT 1").fetchone()
        return first, last, unowned is not None

    def active_owners(self) -> list[str]:
        """The owners of the active dossiers, by name."""
        rows = self.conn.execute(
            "SELECT DISTINCT owner FROM client WHERE archived_at IS NULL AND owner IS NOT NULL"
            " ORDER BY owner"
        )
        return [row[0] for row in rows]

    def owns_any(self, owner: str) -> bool:
        found = self.conn.execute("SELECT 1 FROM client WHERE owner = ? LIMIT 1", (owner,))
        return found.fetchone() is not None

    def adopt_unowned(self, owner: str) -> int:
        """Give every dossier without an owner to ``owner``; returns how many. Their
        tallies ('' in the stats tables: nobody's) become ``owner``'s in a few statements
        over the tallies alone (row by row, 100,000 dossiers took 50 s)."""
        blank = self.conn.execute("SELECT 1 FROM client WHERE owner = '' LIMIT 1").fetchone()
        if blank is not None:  # '' is also a name here (another program's): one by one
            ids = [row[0] for row in self.conn.execute("SELECT id FROM client WHERE owner IS NULL")]
            self.set_owner(ids, owner, None)
            return len(ids)
        with self._owner_moves_by_hand():
            cursor = self.conn.execute("UPDATE client SET owner = ? WHERE owner IS NULL", (owner,))
            if cursor.rowcount:
                for table, key, figures, add in _TALLIES:
                    self.conn.execute(
                        f"INSERT INTO {table} AS t (owner, {key}, {figures})"
                        f" SELECT ?, {key}, {figures} FROM {table} WHERE owner = ''"
                        f" ON CONFLICT (owner, {key}) DO UPDATE SET {add}",
                        (owner,),
                    )
                    self.conn.execute(f"DELETE FROM {table} WHERE owner = ''")
        return cursor.rowcount

    @contextmanager
    def _owner_moves_by_hand(self) -> Iterator[None]:
        """For one statement that gives many dossiers another owner, the trigger that
        moves each one's tallies (m016, row by row: a handoff of 5,000 dossiers took 3 s)
        is set aside; the caller moves them in a few statements over the whole set. On
        PostgreSQL the trigger passes while the transaction says so (any user may; only
        a table's owner could disable it); on SQLite it is dropped and made again, in
        the command's transaction either way."""
        if self.dialect.name == "postgres":
            self.conn.execute("SELECT set_config('dossier.owner_moves', 'by hand', true)")
            yield
            self.conn.execute("SELECT set_config('dossier.owner_moves', '', true)")
            return
        saved = self.conn.execute(
            "SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name = 'stats_client_owner'"
        ).fetchone()
        if saved is None:
            yield
            return
        self.conn.execute("DROP TRIGGER stats_client_owner")
        try:
            yield
        finally:
            self.conn.execute(saved[0])

    def _move_tallies(self, listed: str, owner: str) -> None:
        """Move the tallies of the dossiers ``listed`` (a JSON array of ids) that are not
        ``owner``'s yet from their owners to ``owner``: their entries per day, kind and
        outcome, and their gaps, counted once and taken away and added in one statement
        each."""
        moving = (
            f"{self.dialect.json_ids('?', 'k')} JOIN client c ON c.id = k.value"
            " JOIN entry e ON e.client_id = c.id WHERE coalesce(c.owner, '') <> ?"
        )
        self.conn.execute(
            "WITH moved AS MATERIALIZED (SELECT coalesce(c.owner, '') AS owner,"
            " substr(e.at, 1, 10) AS day, e.kind AS kind, coalesce(e.outcome, '') AS outcome,"
            f" count(*) AS n FROM {moving} GROUP BY 1, 2, 3, 4)"
            " INSERT INTO stats_day AS t (owner, day, kind, outcome, entries)"
            " SELECT owner, day, kind, outcome, sum(n) FROM ("
            " SELECT owner, day, kind, outcome, -n AS n FROM moved"
            " UNION ALL SELECT ?, day, kind, outcome, n FROM moved) AS m"
            " GROUP BY owner, day, kind, outcome"
            " ON CONFLICT (owner, day, kind, outcome) DO UPDATE SET entries = t.entries"
            " + excluded.entries",
            (listed, owner, owner),
        )
        gap = self.dialect.day_diff("day", "prev")
        self.conn.execute(
            f"WITH moved AS MATERIALIZED (SELECT owner, day, sum(CAST({gap} AS INTEGER)) AS days,"
            " count(*) AS gaps FROM (SELECT coalesce(c.owner, '') AS owner,"
            " substr(e.at, 1, 10) AS day, lag(substr(e.at, 1, 10))"
            " OVER (PARTITION BY e.client_id ORDER BY e.at, e.id) AS prev"
            f" FROM {moving} AND e.kind IN ('call', 'meeting', 'email', 'visit')) AS pairs"
            " WHERE prev IS NOT NULL GROUP BY owner, day)"
            " INSERT INTO stats_gap AS t (owner, day, days, gaps)"
            " SELECT owner, day, sum(days), sum(gaps) FROM ("
            " SELECT owner, day, -days AS days, -gaps AS gaps FROM moved"
            " UNION ALL SELECT ?, day, days, gaps FROM moved) AS m GROUP BY owner, day"
            " ON CONFLICT (owner, day) DO UPDATE SET days = t.days + excluded.days,"
            " gaps = t.gaps + excluded.gaps",
            (listed, owner, owner),
        )
        # Tallies back at nothing are dropped, as the triggers drop them.
        self.conn.execute("DELETE FROM stats_day WHERE entries = 0")
        self.conn.execute("DELETE FROM stats_gap WHERE gaps = 0")

    def handoff_ids(
        self,
        owner: str,
        tags: Sequence[str] = (),
        stage: str | None = None,
        first: date | None = None,
        last: date | None = None,
    ) -> list[int]:
        """The active dossiers of ``owner`` (with every one of ``tags``, in ``stage``, and
        filed on a day or month tab from ``first`` to ``last`` when given), in the order
        of the folder: by day, month tab, then name."""
        where = "owner = ? AND archived_at IS NULL"
        params: list[Any] = [owner]
        if first is not None:
            where += " AND (due >= ? OR due_month >= ?)"
            params += [first.isoformat(), f"{first:%Y-%m}"]
        if last is not None:
            where += " AND (due <= ? OR due_month <= ?)"
            params += [last.isoformat(), f"{last:%Y-%m}"]
        only, more = filter_sql(tags, stage)
        rows = self.conn.execute(
            f"SELECT id FROM client WHERE {where}{only}"
            " ORDER BY due IS NULL, due, due_month IS NULL, due_month, name_key, id",
            [*params, *more],
        )
        return [row[0] for row in rows]

    def set_owner(self, ids: Sequence[int], owner: str, stamp: str | None) -> None:
        """Give these dossiers to ``owner`` (their places kept; ``stamp``: when, None
        leaves ``updated_at`` alone), their tallies moved with them."""
        listed = json.dumps(list(ids))
        with self._owner_moves_by_hand():
            self._move_tallies(listed, owner)
            self.conn.execute(
                "UPDATE client SET owner = ?, updated_at = coalesce(?, updated_at)"
                f" WHERE id IN (SELECT value FROM {self.dialect.json_ids('?', 'k')})",
                (owner, stamp, listed),
            )

    def add_cover(
        self,
        giver: str,
        taker: str,
        until: date,
        reason: str | None,
        stamp: str,
        ids: Sequence[int],
    ) -> int:
        cursor = self.conn.execute(
            "INSERT INTO cover (from_user, to_user, until, reason, created_at)"
            " VALUES (?, ?, ?, ?, ?) RETURNING id",
            (giver, taker, until.isoformat(), reason, stamp),
        )
        cover_id: int = cursor.fetchone()[0]
        self.conn.executemany(
            "INSERT INTO cover_client (cover_id, client_id) VALUES (?, ?)",
            [(cover_id, client_id) for client_id in ids],
        )
        return cover_id

    def covers(self, ended_by: date | None = None) -> list[Cover]:
        """The covers in force (with ``ended_by``: only those whose day has come), each
        with the dossiers its colleague still owns, by id."""
        where = "closed_at IS NULL"
        params: list[Any] = []
        if ended_by is not None:
            where += " AND until <= ?"
            params.append(ended_by.isoformat())
        rows = self.conn.execute(
            "SELECT id, from_user, to_user, until, reason, created_at,"
            f" (SELECT {self.dialect.json_array('k.client_id')} FROM cover_client k"
            "  JOIN client c ON c.id = k.client_id"
            "  WHERE k.cover_id = cover.id AND c.owner = cover.to_user)"
            f" FROM cover WHERE {where} ORDER BY until, id",
            params,
        ).fetchall()
        return [
            Cover(id_, giver, taker, date.fromisoformat(until), reason, created, json.loads(ids))
            for id_, giver, taker, until, reason, created, ids in rows
        ]

    def any_cover_ended(self, day: date) -> bool:
        """Whether a cover in force has reached its day (one probe of a small index)."""
        found = self.conn.execute(
            "SELECT 1 FROM cover WHERE closed_at IS NULL AND until <= ? LIMIT 1",
            (day.isoformat(),),
        )
        return found.fetchone() is not None

    def close_cover(self, cover_id: int, stamp: str) -> None:
        self.conn.execute("UPDATE cover SET closed_at = ? WHERE id = ?", (stamp, cover_id))
