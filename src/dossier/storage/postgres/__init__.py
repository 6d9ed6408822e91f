"""The PostgreSQL engine: the statements of ``storage/sql`` over one psycopg connection.

``PostgresStore`` is the ``storage.base.Store`` of this engine: the same mixins as the
SQLite engine's store with PostgreSQL's dialect, and its own search (``search.py``).
Backups are pg_dumps kept on this machine (``backups.py``, ``restore.py``), the checks
are the server's catalogue and the shared folder rules (``checks.py``), forgetting for
good ends with a VACUUM (``forget.py``).
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, cast

from ..sql.cards import CardQueries
from ..sql.dialect import POSTGRES
from ..sql.forms import FormQueries
from ..sql.owners import OwnerQueries
from ..sql.plans import PlanQueries
from ..sql.review import ReviewQueries
from ..sql.stats import StatsQueries
from .search import SearchQueries

if TYPE_CHECKING:
    from ...domain.validate import Card
    from ..paths import ServerUrl
    from ..records import Change, Finding
    from .db import Connection


class PostgresStore(
    SearchQueries,
    CardQueries,
    PlanQueries,
    FormQueries,
    ReviewQueries,
    StatsQueries,
    OwnerQueries,
):
    """The ``Store`` over an open PostgreSQL connection, inside its transaction."""

    dialect = POSTGRES

    def __init__(self, conn: Connection, url: ServerUrl) -> None:
        self.conn = conn
        self.path = url
        self.scope = None  # every dossier, until a view limits itself (``only_owner``)

    def backup(self, target: Path | None = None) -> Path:
        """A pg_dump of the database, at ``target`` or in its backups folder on this
        machine (``backups.folder_for``)."""
        from . import backups

        if target is not None:
            return backups.dump(self.path, target)
        return backups.make(self.path, backups.identity(self.path), "manual")

    def check(self) -> list[Finding]:
        from . import checks

        return checks.run(self.conn)

    def rebuild_search(self) -> None:
        from . import checks

        checks.repair(self.conn)

    def undo_last(self, user: str) -> Change:
        from . import undo

        return undo.undo_last(self.conn, user, str(self.path))

    def changed_by(self, client_id: int, since: int) -> str | None:
        from . import undo

        return undo.changed_by(self.conn, client_id, since)

    def latest_change(self) -> int:
        from ..sql.undo import latest

        return latest(self.conn)

    def recent_changes(self, limit: int) -> list[Change]:
        from ..sql.undo import recent

        return recent(self.conn, limit)

    def import_cards(
        self, cards: Sequence[Card], stamp: str, owner: str | None = None
    ) -> tuple[int, int]:
        from . import bulk

        return bulk.import_cards(cast("Connection", self.conn), cards, stamp, owner)

    def forget_client(self, client_id: int) -> int:
        from . import forget

        return forget.forget_client(self.conn, client_id)

    def reclaim_space(self) -> bool:
        """VACUUM what the deletion touched (see ``forget.reclaim``): False when the
        server's autovacuum must do it later (this user does not own the tables)."""
        from . import forget

        return forget.reclaim(self.conn)

    def backups_holding(self, client_id: int, name: str) -> list[Path]:
        from . import forget

        return forget.backups_holding(self.path, client_id, name)


__all__ = ["PostgresStore"]
