"""The SQLite engine: every SQL statement dossier runs, over one ``sqlite3`` connection.

``SqliteStore`` is the ``storage.base.Store`` of this engine, made of the client
commands' statements (``cards``) and the binder's (``plans``). It takes the connection of
the command's one transaction (``db.Database.transaction``) and speaks in the domain's
records. All values are bound parameters; no user text is ever put into SQL.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from ...domain.errors import UsageError
from ..sql.cards import CardQueries
from ..sql.dialect import SQLITE
from ..sql.forms import FormQueries
from ..sql.owners import OwnerQueries
from ..sql.plans import PlanQueries
from ..sql.review import ReviewQueries
from ..sql.stats import StatsQueries

if TYPE_CHECKING:
    from ...domain.validate import Card
    from ..records import Change, Finding


class SqliteStore(CardQueries, PlanQueries, FormQueries, ReviewQueries, StatsQueries, OwnerQueries):
    """The ``Store`` over an open SQLite connection, inside its transaction."""

    dialect = SQLITE

    def __init__(self, conn: sqlite3.Connection, path: Path) -> None:
        self.conn: sqlite3.Connection = conn
        self.path = path
        self.scope = None  # every dossier, until a view limits itself (``only_owner``)

    # --- nothing lost: copies, checks and undo ---------------------------------------

    def backup(self, target: Path | None = None) -> Path:
        """A consistent copy of the open database, at ``target`` or in the backups folder."""
        from . import backups

        return (
            backups.copy(self.conn, target)
            if target
            else backups.make(self.conn, self.path, "manual")
        )

    def check(self) -> list[Finding]:
        from . import checks

        return checks.run(self.conn)

    def rebuild_search(self) -> None:
        from . import checks

        checks.rebuild_search(self.conn)
        checks.rebuild_kept(self.conn)

    def undo_last(self, user: str) -> Change:
        from . import undo

        return undo.undo_last(self.conn, user)

    def changed_by(self, client_id: int, since: int) -> str | None:
        from . import undo

        return undo.changed_by(self.conn, client_id, since)

    def latest_change(self) -> int:
        from ..sql.undo import latest

        return latest(self.conn)

    def recent_changes(self, limit: int) -> list[Change]:
        from . import undo

        return undo.recent(self.conn, limit)

    def import_cards(
        self, cards: Sequence[Card], stamp: str, owner: str | None = None
    ) -> tuple[int, int]:
        from . import bulk, undo

        # The database hands out the ids, one run of them inside the write transaction
        # that holds its lock: undo reverts the import as one step by that range.
        rows, entries, tags, fields = bulk.card_rows(cards, 0, stamp, owner)
        recorded = undo.pause(self.conn)
        try:
            ids = bulk.new_clients(self.conn, rows)
            if recorded and ids:
                undo.note_range(self.conn, ids[0], ids[-1])
            for entry in entries:
                entry["client_id"] = ids[entry["client_id"]]
            for tag in tags:
                tag["client_id"] = ids[tag["client_id"]]
            counts = bulk.load(self.conn, [], entries, tags, new=ids)
        except sqlite3.IntegrityError as exc:
            raise UsageError(
                "the export holds a value dossier refuses ({reason})", reason=str(exc)
            ) from None
        self.conn.executemany(
            "INSERT INTO field (client_id, key, value) VALUES (?, ?, ?)",
            [(ids[number], key, value) for number, key, value in fields],
        )
        counts = (len(ids), counts[1])
        return counts

    # --- forgetting ----------------------------------------------------------------

    def forget_client(self, client_id: int) -> int:
        from . import forget

        return forget.forget_client(self.conn, client_id)

    def reclaim_space(self) -> bool:
        from . import forget

        return forget.reclaim(self.conn)

    def backups_holding(self, client_id: int, name: str) -> list[Path]:
        from . import forget

        return forget.backups_holding(self.path, client_id, name)


__all__ = ["SqliteStore"]
