"""Nothing lost: copies, their list, bringing one back, checking the folder, undo.

Each function is one command's work over a unit (``app.unit``) or, for what must not
open the folder first (a list of copies, a restore over a damaged file), over its path.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from ..domain.errors import DossierError

if TYPE_CHECKING:
    from ..storage.base import Store
    from ..storage.paths import ServerUrl
    from ..storage.records import Backup, Change, Finding


def backup(store: Store, target: Path | None) -> Path:
    """A consistent copy now, even while the folder is in use."""
    return store.backup(target)


def backups(database: Path | ServerUrl) -> list[Backup]:
    from ..storage import backups_of

    return backups_of(database)


def restore(database: Path | ServerUrl, source: Path) -> Path | None:
    """Bring ``source`` back in place of the folder; returns where the replaced file was
    kept (None: there was no folder there yet)."""
    from ..storage import is_read_only
    from ..storage import restore as restore_file

    if isinstance(database, Path) and database.is_file() and is_read_only(database):
        raise DossierError("the database {path} is read-only; nothing was changed", path=database)
    return restore_file(database, source)


def check(store: Store, repair: bool) -> list[Finding]:
    """The engine's checks, then the team's forms: a required field left empty is a
    warning (``Finding.warning``), never a failure."""
    from .fields import missing_findings

    if repair:
        store.rebuild_search()
    return store.check() + missing_findings(store)


def undo(store: Store, user: str) -> Change:
    """Revert ``user``'s last change (see ``Store.undo_last``)."""
    return store.undo_last(user)


def changes(store: Store, limit: int = 20) -> list[Change]:
    return store.recent_changes(limit)
