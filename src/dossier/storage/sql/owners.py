"""Owners and covers: whose dossiers a view shows, handing them over, and giving back.

The owner is a column of ``client`` (m013), indexed with the day and the month tab. A
folder with one owner (one person's file, the common case) is told by two index probes
(the first and last owner), so that its views need no owner condition at all.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import date
from typing import Any

from ...domain.records import Cover
from .cards import Scope, filter_sql
from .dialect import Connection, Dialect


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
        """Give every dossier without an owner to ``owner``; returns how many."""
        cursor = self.conn.execute("UPDATE client SET owner = ? WHERE owner IS NULL", (owner,))
        return cursor.rowcount

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

    def set_owner(self, ids: Sequence[int], owner: str, stamp: str) -> None:
        """Give these dossiers to ``owner`` (their places kept)."""
        self.conn.execute(
            "UPDATE client SET owner = ?, updated_at = ?"
            f" WHERE id IN (SELECT value FROM {self.dialect.json_ids('?', 'k')})",
            (owner, stamp, json.dumps(list(ids))),
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
