"""Queries for the binder's planning: day loads, stacks to level, month tabs, days off."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import TYPE_CHECKING, Any

from .cards import Scope, contacted_sql, filter_sql, owner_sql, stored_day
from .dialect import Connection, Dialect

if TYPE_CHECKING:  # planning loads only for the commands that correct the plan
    from ...domain.planning import Item

# --- planning: loads, stacks, days off ------------------------------------------------

PLAN_COLUMNS = (
    "c.id, c.name, c.due, c.due_month, c.due_time, coalesce(c.filed_at, c.updated_at),"
    f" NOT {contacted_sql('c.id')}"
)


class PlanQueries:
    """The binder's statements: day loads, stacks to level, month tabs, days off."""

    conn: Connection
    dialect: Dialect
    scope: Scope | None  # the views' manager (``only_owner``); None: every dossier

    def plan_items(
        self,
        first: date,
        last: date,
        overdue_before: date | None = None,
        tags: Sequence[str] = (),
        stage: str | None = None,
    ) -> list[Item]:
        """Dossiers due from ``first`` to ``last`` (and before ``overdue_before``, if given;
        with every one of ``tags`` and in ``stage``, if given), as planning sees them."""
        where = "c.due BETWEEN ? AND ?"
        params: list[Any] = [first.isoformat(), last.isoformat()]
        if overdue_before is not None:
            where = f"({where} OR c.due < ?)"
            params.append(overdue_before.isoformat())
        only, more = filter_sql(tags, stage, "c.id", self.scope)
        rows = self.conn.execute(
            f"SELECT {PLAN_COLUMNS} FROM client c WHERE {where}{only} ORDER BY c.due, c.id",
            [*params, *more],
        )
        return [_item(row) for row in rows]

    def month_items(self, month: str) -> list[Item]:
        """Undated dossiers behind a month tab, as planning sees them."""
        mine, who = owner_sql(self.scope, "c.id")
        rows = self.conn.execute(
            f"SELECT {PLAN_COLUMNS} FROM client c WHERE c.due_month = ?{mine} ORDER BY c.id",
            (month, *who),
        )
        return [_item(row) for row in rows]

    def day_loads(
        self,
        first: date,
        last: date,
        tags: Sequence[str] = (),
        stage: str | None = None,
    ) -> list[tuple[Any, ...]]:
        """Per day from ``first`` to ``last``: (day, count, timed, new), of the dossiers with
        every one of ``tags`` and in ``stage`` if given."""
        only, more = filter_sql(tags, stage, "c.id", self.scope)
        flag = self.dialect.flag
        return self.conn.execute(
            f"SELECT c.due, count(*), sum({flag('c.due_time IS NOT NULL')}),"
            f" sum({flag('NOT ' + contacted_sql('c.id'))})"
            f" FROM client c WHERE c.due BETWEEN ? AND ?{only} GROUP BY c.due ORDER BY c.due",
            (first.isoformat(), last.isoformat(), *more),
        ).fetchall()

    def month_counts(self, first_month: str, last_month: str) -> dict[str, tuple[int, int]]:
        """Per month key: (dossiers with a day in that month, dossiers behind its tab undated).

        One counting range query per month on the ``due`` index is several times faster than
        grouping every future placement by ``substr(due, 1, 7)``.
        """
        counts: dict[str, tuple[int, int]] = {}
        mine, who = owner_sql(self.scope)
        undated = dict(
            self.conn.execute(
                f"SELECT due_month, count(*) FROM client WHERE due_month BETWEEN ? AND ?{mine}"
                " GROUP BY due_month",
                (first_month, last_month, *who),
            ).fetchall()
        )
        year, month = (int(part) for part in first_month.split("-"))
        end = tuple(int(part) for part in last_month.split("-"))
        # Compared as numbers: as text, the month after 9999-12 ("10000-01") sorts before it.
        while (year, month) <= end:
            key = f"{year:04d}-{month:02d}"
            dated = self.conn.execute(
                f"SELECT count(*) FROM client WHERE due >= ? AND due < ?{mine}",
                (f"{key}-01", f"{key}-32", *who),
            ).fetchone()[0]
            if dated or undated.get(key):
                counts[key] = (int(dated), int(undated.get(key, 0)))
            year, month = (year + 1, 1) if month == 12 else (year, month + 1)
        return counts

    def overdue_load(
        self, today: date, tags: Sequence[str] = (), stage: str | None = None
    ) -> tuple[int, int, int]:
        """What is left behind earlier tabs: (count, at a fixed time, not contacted yet)."""
        only, more = filter_sql(tags, stage, "c.id", self.scope)
        flag = self.dialect.flag
        row = self.conn.execute(
            f"SELECT count(*), sum({flag('c.due_time IS NOT NULL')}),"
            f" sum({flag('NOT ' + contacted_sql('c.id'))})"
            " FROM client c"
            f" WHERE (c.due < ? OR c.due_month < ?){only}",
            (today.isoformat(), f"{today:%Y-%m}", *more),
        ).fetchone()
        return int(row[0]), int(row[1] or 0), int(row[2] or 0)

    def count_overdue(self, today: date) -> int:
        mine, who = owner_sql(self.scope)
        row = self.conn.execute(
            f"SELECT (SELECT count(*) FROM client WHERE due < ?{mine})"
            f" + (SELECT count(*) FROM client WHERE due_month < ?{mine})",
            (today.isoformat(), *who, f"{today:%Y-%m}", *who),
        ).fetchone()
        return int(row[0])

    def move_to_day(self, client_id: int, day: date, stamp: str) -> None:
        """Refile on another day, keeping the purpose; a fixed time stays with its dossier."""
        self.conn.execute(
            "UPDATE client SET due = ?, due_month = NULL, filed_at = ?, updated_at = ?"
            " WHERE id = ?",
            (day.isoformat(), stamp, stamp, client_id),
        )

    def days_off(self, since: date | None = None) -> list[tuple[Any, ...]]:
        rows = self.conn.execute(
            "SELECT id, first, last, note FROM day_off WHERE last >= ? ORDER BY first, id",
            ((since or date.min).isoformat(),),
        )
        return rows.fetchall()

    def add_day_off(self, first: date, last: date, note: str | None) -> int:
        cursor = self.conn.execute(
            "INSERT INTO day_off (first, last, note) VALUES (?, ?, ?) RETURNING id",
            (first.isoformat(), last.isoformat(), note),
        )
        return int(cursor.fetchone()[0])

    def remove_days_off(self, first: date, last: date) -> list[tuple[Any, ...]]:
        """Remove the days-off entries that overlap ``first``..``last``; returns them."""
        rows = self.conn.execute(
            "SELECT id, first, last, note FROM day_off"
            " WHERE first <= ? AND last >= ? ORDER BY first",
            (last.isoformat(), first.isoformat()),
        ).fetchall()
        self.conn.executemany("DELETE FROM day_off WHERE id = ?", [(row[0],) for row in rows])
        return rows


def _item(row: Sequence[Any]) -> Item:
    """A planning row (``PLAN_COLUMNS``) as the planning functions' record."""
    from ...domain.planning import Item

    id_, name, due, month, at, filed_at, new = row
    day = stored_day(due, id_) if due else None
    return Item(id_, name, day, at, bool(new), filed_at or "", month)
