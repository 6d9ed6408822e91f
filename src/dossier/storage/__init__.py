"""Where the folder is kept: the Store interface (``base``), the schema of record
(``schema``) and the engines behind them (``sqlite``).

The app reaches an engine only through the functions here and the ``Store`` they hand
out, so a second engine is a sibling package chosen in ``open_database``, not a change
to ``app/``. Engines are imported on first use: a command pays only for the one it needs.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from pathlib import Path

    from .records import Backup
    from .sqlite.db import Database


# The write transactions this process has committed, in order, whatever the engine. Read
# by the CLI when a Ctrl-C or a closed pipe ends a run, so that it says truthfully whether
# the change was saved.
COMMITTED: list[object] = []


def open_database(path: Path) -> Database:
    """Open (creating on first use, migrating when older) the folder at ``path``."""
    from .sqlite.db import open_database as open_sqlite

    return open_sqlite(path)


def is_read_only(path: Path) -> bool:
    """Whether the folder's file can be read but not written."""
    from .sqlite.db import is_read_only as read_only

    return read_only(path)


def backups_of(path: Path) -> list[Backup]:
    """The copies kept next to the folder at ``path``, newest first."""
    from .sqlite.backups import listing

    return listing(path)


def client_names(path: Path, incomplete: str) -> list[str]:
    """Client names for the shell's Tab: a read-only look, cheap and silent."""
    from .sqlite.complete import complete_client_names

    return complete_client_names(path, incomplete)


def restore(path: Path, source: Path) -> Path | None:
    """Replace the folder at ``path`` by the backup ``source`` (checked first); returns
    where the replaced file was kept, or None when there was none."""
    from .sqlite.restore import restore as restore_sqlite

    return restore_sqlite(path, source)
