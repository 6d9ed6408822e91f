"""Queries for ``dossier review``: a period's history entries, what was left due, and the
clients added in it."""

from __future__ import annotations

from datetime import date, timedelta
from typing import TYPE_CHECKING

from .cards import Scope, owner_sql
from .dialect import Connection, Dialect

if TYPE_CHECKING:  # built only when review runs: every command loads this mixin
    from ...domain.review import DayEntry, Named


def _bounds(first: date, last: date) -> tuple[str, str]:
    """``at``/``created_at`` stamps from ``first`` on, before the day after ``last``."""
    end = (last + timedelta(days=1)).isoformat() if last < date.max else "9999-12-32"
    return first.isoformat(), end


class ReviewQueries:
    """The statements behind the review of a day or a week."""

    conn: Connection
    dialect: Dialect
    scope: Scope | None  # the views' manager (``only_owner``); None: every dossier

    def review_entries(self, first: date, last: date) -> list[DayEntry]:
        """Every entry from ``first`` to ``last`` in time order, with its client's place
        now and whether the client had a contact before ``first``."""
        from ...domain.review import DayEntry

        mine, who = owner_sql(self.scope, "c.id")
        rows = self.conn.execute(
            "SELECT e.client_id, c.name, e.at, e.kind, e.outcome, c.due, c.due_month,"
            " c.archived_at IS NOT NULL,"
            # A contact before the period? The client row keeps its first contact's day.
            f" coalesce({self.dialect.flag('c.first_contact < ?')}, 0)"
            " FROM entry e JOIN client c ON c.id = e.client_id"
            f" WHERE e.at >= ? AND e.at < ?{mine} ORDER BY e.at, e.id",
            (first.isoformat(), *_bounds(first, last), *who),
        )
        return [
            DayEntry(id_, name, at, kind, outcome, due, month, bool(done), bool(before))
            for id_, name, at, kind, outcome, due, month, done, before in rows
        ]

    def review_missed(self, first: date, last: date) -> list[Named]:
        """Dossiers still filed on a day up to ``last`` (or behind an earlier month tab)
        with no entry from ``first`` to ``last``: due then, not handled, now overdue."""
        from ...domain.review import Named

        start, end = _bounds(first, last)
        mine, who = owner_sql(self.scope, "c.id")
        rows = self.conn.execute(
            "SELECT c.id, c.name, coalesce(c.due, c.due_month) FROM client c"
            f" WHERE (c.due < ? OR c.due_month < ?){mine} AND NOT EXISTS (SELECT 1 FROM entry e"
            "  WHERE e.client_id = c.id AND e.at >= ? AND e.at < ?)"
            " ORDER BY coalesce(c.due, c.due_month), c.id",
            (end, f"{last:%Y-%m}", *who, start, end),
        )
        return [Named(*row) for row in rows]

    def review_new_clients(self, first: date, last: date) -> list[Named]:
        """Clients added from ``first`` to ``last``, in the order they were added."""
        from ...domain.review import Named

        mine, who = owner_sql(self.scope)
        rows = self.conn.execute(
            f"SELECT id, name FROM client WHERE created_at >= ? AND created_at < ?{mine}"
            " ORDER BY created_at, id",
            (*_bounds(first, last), *who),
        )
        return [Named(*row) for row in rows]
