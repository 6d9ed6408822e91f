"""Queries for the binder's planning: day loads, stacks to level, month tabs, days off."""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from datetime import date
from typing import Any

from .cards import contacted_sql, filter_sql

# --- planning: loads, stacks, days off ------------------------------------------------

PLAN_COLUMNS = (
    "c.id, c.name, c.due, c.due_month, c.due_time, coalesce(c.filed_at, c.updated_at),"
    f" NOT {contacted_sql('c.id')}"
)


def plan_items(
    conn: sqlite3.Connection,
    first: date,
    last: date,
    overdue_before: date | None = None,
    tags: Sequence[str] = (),
    stage: str | None = None,
) -> list[tuple[Any, ...]]:
    """Dossiers due from ``first`` to ``last`` (and before ``overdue_before``, if given;
    with every one of ``tags`` and in ``stage``, if given):
    (id, name, due, month, time, filed_at, new) rows for the planning functions."""
    where = "c.due BETWEEN ? AND ?"
    params: list[Any] = [first.isoformat(), last.isoformat()]
    if overdue_before is not None:
        where = f"({where} OR c.due < ?)"
        params.append(overdue_before.isoformat())
    only, more = filter_sql(tags, stage, "c.id")
    return conn.execute(
        f"SELECT {PLAN_COLUMNS} FROM client c WHERE {where}{only} ORDER BY c.due, c.id",
        [*params, *more],
    ).fetchall()


def month_items(conn: sqlite3.Connection, month: str) -> list[tuple[Any, ...]]:
    """Undated dossiers behind a month tab, as planning rows."""
    return conn.execute(
        f"SELECT {PLAN_COLUMNS} FROM client c WHERE c.due_month = ? ORDER BY c.id", (month,)
    ).fetchall()


def day_loads(
    conn: sqlite3.Connection,
    first: date,
    last: date,
    tags: Sequence[str] = (),
    stage: str | None = None,
) -> list[tuple[Any, ...]]:
    """Per day from ``first`` to ``last``: (day, count, timed, new), of the dossiers with
    every one of ``tags`` and in ``stage`` if given."""
    only, more = filter_sql(tags, stage, "c.id")
    return conn.execute(
        "SELECT c.due, count(*), sum(c.due_time IS NOT NULL),"
        f" sum(NOT {contacted_sql('c.id')})"
        f" FROM client c WHERE c.due BETWEEN ? AND ?{only} GROUP BY c.due ORDER BY c.due",
        (first.isoformat(), last.isoformat(), *more),
    ).fetchall()


def month_counts(
    conn: sqlite3.Connection, first_month: str, last_month: str
) -> dict[str, tuple[int, int]]:
    """Per month key: (dossiers with a day in that month, dossiers behind its tab undated).

    One counting range query per month on the ``due`` index is several times faster than
    grouping every future placement by ``substr(due, 1, 7)``.
    """
    counts: dict[str, tuple[int, int]] = {}
    undated = dict(
        conn.execute(
            "SELECT due_month, count(*) FROM client WHERE due_month BETWEEN ? AND ?"
            " GROUP BY due_month",
            (first_month, last_month),
        ).fetchall()
    )
    year, month = (int(part) for part in first_month.split("-"))
    end = tuple(int(part) for part in last_month.split("-"))
    # Compared as numbers: as text, the month after 9999-12 ("10000-01") sorts before it.
    while (year, month) <= end:
        key = f"{year:04d}-{month:02d}"
        dated = conn.execute(
            "SELECT count(*) FROM client WHERE due >= ? AND due < ?", (f"{key}-01", f"{key}-32")
        ).fetchone()[0]
        if dated or undated.get(key):
            counts[key] = (int(dated), int(undated.get(key, 0)))
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return counts


def overdue_load(
    conn: sqlite3.Connection, today: date, tags: Sequence[str] = (), stage: str | None = None
) -> tuple[int, int, int]:
    """What is left behind earlier tabs: (count, at a fixed time, not contacted yet)."""
    only, more = filter_sql(tags, stage, "c.id")
    row = conn.execute(
        f"SELECT count(*), sum(c.due_time IS NOT NULL), sum(NOT {contacted_sql('c.id')})"
        " FROM client c"
        f" WHERE (c.due < ? OR c.due_month < ?){only}",
        (today.isoformat(), f"{today:%Y-%m}", *more),
    ).fetchone()
    return int(row[0]), int(row[1] or 0), int(row[2] or 0)


def count_overdue(conn: sqlite3.Connection, today: date) -> int:
    row = conn.execute(
        "SELECT (SELECT count(*) FROM client WHERE due < ?)"
        " + (SELECT count(*) FROM client WHERE due_month < ?)",
        (today.isoformat(), f"{today:%Y-%m}"),
    ).fetchone()
    return int(row[0])


def move_to_day(conn: sqlite3.Connection, client_id: int, day: date, stamp: str) -> None:
    """Refile on another day, keeping the purpose; a fixed time stays with its dossier."""
    conn.execute(
        "UPDATE client SET due = ?, due_month = NULL, filed_at = ?, updated_at = ? WHERE id = ?",
        (day.isoformat(), stamp, stamp, client_id),
    )


def days_off(conn: sqlite3.Connection, since: date | None = None) -> list[tuple[Any, ...]]:
    rows = conn.execute(
        "SELECT id, first, last, note FROM day_off WHERE last >= ? ORDER BY first, id",
        ((since or date.min).isoformat(),),
    )
    return rows.fetchall()


def add_day_off(conn: sqlite3.Connection, first: date, last: date, note: str | None) -> int:
    cursor = conn.execute(
        "INSERT INTO day_off (first, last, note) VALUES (?, ?, ?)",
        (first.isoformat(), last.isoformat(), note),
    )
    assert cursor.lastrowid is not None
    return cursor.lastrowid


def remove_days_off(conn: sqlite3.Connection, first: date, last: date) -> list[tuple[Any, ...]]:
    """Remove the days-off entries that overlap ``first``..``last``; returns them."""
    rows = conn.execute(
        "SELECT id, first, last, note FROM day_off WHERE first <= ? AND last >= ? ORDER BY first",
        (last.isoformat(), first.isoformat()),
    ).fetchall()
    conn.executemany("DELETE FROM day_off WHERE id = ?", [(row[0],) for row in rows])
    return rows
