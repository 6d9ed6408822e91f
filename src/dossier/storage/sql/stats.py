"""Queries for ``dossier stats``.

The figures come from the tallies m012 keeps (``stats_day``, ``stats_gap``; per owner
since m016: the whole folder's are their sum, one manager's are read by the owner) and
from indexes (the clients by stage and first contact, the wins, the stage changes): none
of them reads the history, so ``stats`` costs about the same on a million entries as on
ten. A part of the folder by tags (``--tag``) has no tallies of its own: its figures are
counted from its clients' entries, with the same definitions.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta
from typing import TYPE_CHECKING

from .cards import Scope, filter_sql, owner_sql
from .dialect import Connection, Dialect

if TYPE_CHECKING:  # built only when stats runs: every command loads this mixin
    from ...domain.stats import Gap, Move, Tally, Wins

# The kinds that are a contact, and a win's contacts up to it (itself included): the
# same definitions as the tallies the engines' migrations keep.
CONTACTS_IN = "('call', 'meeting', 'email', 'visit')"
CONTACTS_UP_TO = (
    "SELECT count(*) FROM entry e WHERE e.client_id = {row}.client_id"
    f" AND e.kind IN {CONTACTS_IN} AND e.at <= {{row}}.at"
    " AND (e.at < {row}.at OR e.id <= {row}.id)"
)
_UP_TO = CONTACTS_UP_TO.format(row="w")


def days_since(d: Dialect, at: str, first: str) -> str:
    """A win's days to close: from its client's first contact to the day of ``at``."""
    return f"CAST({d.day_diff(f'substr({at}, 1, 10)', first)} AS INTEGER)"


def _days(first: date, last: date) -> tuple[str, str]:
    return first.isoformat(), last.isoformat()


def _owners(scope: Scope | None) -> tuple[str, list[str]]:
    """The tallies' condition (starting `` AND``) for ``scope``'s dossiers: its owner's,
    and with its unowned flag also those nobody owns ('' in the tallies)."""
    if scope is None:
        return "", []
    name, unowned = scope
    if unowned:
        return " AND owner IN (?, '')", [name]
    return " AND owner = ?", [name]


def _stamps(first: date, last: date) -> tuple[str, str]:
    """``at`` stamps from ``first`` on, before the day after ``last``."""
    return first.isoformat(), (last + timedelta(days=1)).isoformat()


class StatsQueries:
    """The statements behind ``dossier stats``."""

    conn: Connection
    dialect: Dialect
    scope: Scope | None  # the views' manager (``only_owner``); None: every dossier

    def stats_tallies(self, first: date, last: date, tags: Sequence[str]) -> list[Tally]:
        """Entries per day, kind and outcome from ``first`` to ``last``."""
        from ...domain.stats import Tally

        if tags:  # the kept tallies are by owner, not by tag
            only, more = filter_sql(tags, None, "client_id", self.scope)
            rows = self.conn.execute(
                "SELECT substr(at, 1, 10), kind, coalesce(outcome, ''), count(*) FROM entry"
                f" WHERE at >= ? AND at < ?{only} GROUP BY 1, 2, 3",
                (*_stamps(first, last), *more),
            )
        else:
            mine, owners = _owners(self.scope)
            rows = self.conn.execute(
                "SELECT day, kind, outcome, sum(entries) FROM stats_day"
                f" WHERE day BETWEEN ? AND ?{mine} GROUP BY day, kind, outcome",
                (*_days(first, last), *owners),
            )
        return [
            Tally(date.fromisoformat(day), kind, outcome or None, n)
            for day, kind, outcome, n in rows
        ]

    def stats_gaps(self, first: date, last: date, tags: Sequence[str]) -> list[Gap]:
        """The gaps between a client's consecutive contacts ending from ``first`` to
        ``last``: per day, how many and their days added up."""
        from ...domain.stats import Gap

        if tags:  # the kept tallies are by owner, not by tag
            only, more = filter_sql(tags, None, "e.client_id", self.scope)
            gap = self.dialect.day_diff("day", "prev")
            rows = self.conn.execute(
                f"SELECT day, sum(CAST({gap} AS INTEGER)), count(*)"
                " FROM (SELECT substr(e.at, 1, 10) AS day,"
                "  (SELECT substr(p.at, 1, 10) FROM entry p WHERE p.client_id = e.client_id"
                f"   AND p.kind IN {CONTACTS_IN} AND p.at <= e.at"
                "   AND (p.at < e.at OR p.id < e.id) ORDER BY p.at DESC, p.id DESC LIMIT 1)"
                "  AS prev"
                " FROM entry e WHERE e.at >= ? AND e.at < ?"
                f" AND e.kind IN {CONTACTS_IN}{only}) AS gaps"
                " WHERE prev IS NOT NULL GROUP BY day",
                (*_stamps(first, last), *more),
            )
        else:
            mine, owners = _owners(self.scope)
            rows = self.conn.execute(
                "SELECT day, sum(days), sum(gaps) FROM stats_gap"
                f" WHERE day BETWEEN ? AND ?{mine} GROUP BY day",
                (*_days(first, last), *owners),
            )
        return [Gap(date.fromisoformat(day), days, gaps) for day, days, gaps in rows]

    def stats_first_contacts(self, first: date, last: date, tags: Sequence[str]) -> dict[date, int]:
        """How many clients had their first contact ever on each day of the period."""
        only, more = filter_sql(tags, None, "id", self.scope)
        rows = self.conn.execute(
            "SELECT first_contact, count(*) FROM client"
            f" WHERE first_contact BETWEEN ? AND ?{only} GROUP BY first_contact",
            (*_days(first, last), *more),
        )
        return {date.fromisoformat(day): n for day, n in rows}

    def stats_stages(self, tags: Sequence[str]) -> dict[str, int]:
        """How many clients are in each stage now (done ones included)."""
        only, more = filter_sql(tags, None, "id", self.scope)
        rows = self.conn.execute(
            f"SELECT stage, count(*) FROM client WHERE {self.dialect.true()}{only} GROUP BY stage",
            more,
        )
        return dict(rows.fetchall())

    def stats_moves(self, first: date, last: date, tags: Sequence[str]) -> list[Move]:
        """The stage changes recorded from ``first`` to ``last``, in order."""
        from ...domain.stats import Move

        only, more = filter_sql(tags, None, "client_id", self.scope)
        rows = self.conn.execute(
            "SELECT client_id, day, from_stage, to_stage FROM stage_change"
            f" WHERE day BETWEEN ? AND ?{only} ORDER BY day, id",
            (*_days(first, last), *more),
        )
        return [Move(c, date.fromisoformat(day), a, b) for c, day, a, b in rows]

    def stats_wins(self, first: date, last: date, tags: Sequence[str]) -> Wins:
        """The wins (entries with the outcome ``won``) from ``first`` to ``last``, counted
        by their client's contacts up to the win (itself included), and by the days from
        the client's first contact."""
        from ...domain.stats import Wins

        if tags:  # the kept wins know their client, not its tags
            only, more = filter_sql(tags, None, "w.client_id", self.scope)
            days = days_since(self.dialect, "w.at", "c.first_contact")
            source = (
                f"(SELECT ({_UP_TO}) AS contacts, {days} AS days"
                " FROM entry w JOIN client c ON c.id = w.client_id"
                f" WHERE w.outcome = 'won' AND w.at >= ? AND w.at < ?{only})"
            )
            params = [*_stamps(first, last), *more]
        elif self.scope:  # one manager's wins: by their clients' owner
            only, more = owner_sql(self.scope, "c.id")
            source = (
                "(SELECT w.contacts, w.days FROM stats_win w JOIN client c ON c.id = w.client_id"
                f" WHERE w.at >= ? AND w.at < ?{only})"
            )
            params = [*_stamps(first, last), *more]
        else:
            source = "(SELECT contacts, days FROM stats_win WHERE at >= ? AND at < ?)"
            params = list(_stamps(first, last))
        rows = self.conn.execute(
            f"WITH won AS MATERIALIZED {source}"
            " SELECT 'contacts', contacts, count(*) FROM won GROUP BY contacts"
            " UNION ALL SELECT 'days', days, count(*) FROM won WHERE days IS NOT NULL"
            " GROUP BY days",
            params,
        )
        counted: dict[str, dict[int, int]] = {"contacts": {}, "days": {}}
        for what, value, n in rows:
            counted[what][value] = n
        return Wins(counted["contacts"], counted["days"])

    def stats_overdue(self, first: date, last: date) -> dict[date, int]:
        """The overdue count at the start of each day recorded from ``first`` to ``last``
        (the whole folder's: for one manager of several, none is recorded)."""
        if self.scope is not None:
            return {}
        rows = self.conn.execute(
            "SELECT day, overdue FROM day_open WHERE day BETWEEN ? AND ?", _days(first, last)
        )
        return {date.fromisoformat(day): n for day, n in rows}
