"""The PostgreSQL engine: the statements of ``storage/sql`` over one psycopg connection.

``PostgresStore`` is the ``storage.base.Store`` of this engine: the same mixins as the
SQLite engine's store with PostgreSQL's dialect, and its own search (``search.py``).
What the SQLite engine does with its file (backups, the checks, undo, the bulk load,
forgetting for good) is refused here with one line until it is built for a server.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn, cast

from ...domain.errors import DossierError
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


def not_yet(command: str) -> NoReturn:
    raise DossierError("{command} is not available on PostgreSQL yet", command=command)


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
        not_yet("backup")

    def check(self) -> list[Finding]:
        not_yet("check")

    def rebuild_search(self) -> None:
        not_yet("check --repair")

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
        not_yet("forget")

    def reclaim_space(self) -> bool:
        not_yet("forget")

    def backups_holding(self, client_id: int, name: str) -> list[Path]:
        not_yet("forget")


__all__ = ["PostgresStore"]
