"""The SQLite engine: every SQL statement dossier runs, over one ``sqlite3`` connection.

``SqliteStore`` is the ``storage.base.Store`` of this engine, made of the client
commands' statements (``cards``) and the binder's (``plans``). It takes the connection of
the command's one transaction (``db.Database.transaction``) and speaks in the domain's
records. All values are bound parameters; no user text is ever put into SQL.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from ...domain.errors import UsageError
from ...domain.fields import FieldDef
from .cards import CardQueries
from .forms import FormQueries
from .owners import OwnerQueries
from .plans import PlanQueries
from .review import ReviewQueries
from .stats import StatsQueries

if TYPE_CHECKING:
    from ...domain.validate import Card
    from ..records import Change, Finding


class SqliteStore(CardQueries, PlanQueries, FormQueries, ReviewQueries, StatsQueries, OwnerQueries):
    """The ``Store`` over an open SQLite connection, inside its transaction."""

    def __init__(self, conn: sqlite3.Connection, path: Path) -> None:
        self.conn = conn
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

    def undo_last(self) -> Change:
        from . import undo

        return undo.undo_last(self.conn)

    def recent_changes(self, limit: int) -> list[Change]:
        from . import undo

        return undo.recent(self.conn, limit)

    # --- the team's own forms ---------------------------------------------------------

    def field_defs(self) -> list[FieldDef]:
        rows = self.conn.execute(
            "SELECT name, type, choices, required, label FROM field_def ORDER BY position, id"
        )
        return [
            FieldDef(name, kind, tuple(json.loads(choices)), bool(required), label)
            for name, kind, choices, required, label in rows
        ]

    def add_field_def(self, defn: FieldDef) -> None:
        self.conn.execute(
            "INSERT INTO field_def (name, type, choices, required, label, position)"
            " VALUES (?, ?, ?, ?, ?, (SELECT coalesce(max(position), 0) + 1 FROM field_def))",
            (
                defn.name,
                defn.type,
                json.dumps(list(defn.choices), ensure_ascii=False),
                int(defn.required),
                defn.label,
            ),
        )

    def remove_field_def(self, name: str) -> None:
        self.conn.execute("DELETE FROM field_def WHERE name = ?", (name,))

    def field_value_count(self, name: str) -> int:
        """How many dossiers hold a value for the field ``name``."""
        found = self.conn.execute("SELECT count(*) FROM field WHERE key = ?", (name,))
        count: int = found.fetchone()[0]
        return count

    def client_ids(self) -> list[int]:
        return [row[0] for row in self.conn.execute("SELECT id FROM client ORDER BY id")]

    def client_exists(self, client_id: int) -> bool:
        found = self.conn.execute("SELECT 1 FROM client WHERE id = ?", (client_id,))
        return found.fetchone() is not None

    def import_cards(
        self, cards: Sequence[Card], stamp: str, owner: str | None = None
    ) -> tuple[int, int]:
        from . import bulk, undo

        # Ids are handed out here, inside the write transaction that holds the database's
        # lock, as one contiguous run: undo reverts the import as one step by that range.
        first_id = self.conn.execute("SELECT coalesce(max(id), 0) + 1 FROM client").fetchone()[0]
        rows, entries, tags, fields = bulk.card_rows(cards, first_id, stamp, owner)
        undo.record_bulk_insert(self.conn, first_id, first_id + len(rows) - 1)
        try:
            counts = bulk.load(self.conn, rows, entries, tags)
        except sqlite3.IntegrityError as exc:
            raise UsageError(
                "the export holds a value dossier refuses ({reason})", reason=str(exc)
            ) from None
        self.conn.executemany("INSERT INTO field (client_id, key, value) VALUES (?, ?, ?)", fields)
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

    def client_identities(
        self,
    ) -> list[tuple[int, str, str | None, list[str], list[str], str | None]]:
        rows = self.conn.execute(
            "SELECT id, name, company, email, more_emails, phones, uid FROM client ORDER BY id"
        )
        return [
            (
                client_id,
                name,
                company,
                ([email] if email else []) + (json.loads(more) if more and more != "[]" else []),
                json.loads(phones) if phones and phones != "[]" else [],
                uid,
            )
            for client_id, name, company, email, more, phones, uid in rows
        ]


__all__ = ["SqliteStore"]
