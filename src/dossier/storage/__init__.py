"""Where the folder is kept: the Store interface (``base``), the schema of record
(``schema``) and the engines behind them (``sqlite``).

The app reaches an engine only through the functions here and the ``Store`` they hand
out, so a second engine is a sibling package chosen in ``open_database``, not a change
to ``app/``. Engines are imported on first use: a command pays only for the one it needs.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .paths import ServerUrl
    from .postgres.db import Database as ServerDatabase
    from .records import Backup
    from .sqlite.db import Database


# The write transactions this process has committed, in order, whatever the engine. Read
# by the CLI when a Ctrl-C or a closed pipe ends a run, so that it says truthfully whether
# the change was saved.
COMMITTED: list[object] = []


def open_database(path: Path | ServerUrl) -> Database | ServerDatabase:
    """Open (creating on first use, migrating when older) the folder at ``path``: a
    SQLite file, or a database on a PostgreSQL server (``paths.ServerUrl``)."""
    if not isinstance(path, Path):
        return open_server(path)
    from .sqlite.db import open_database as open_sqlite

    return open_sqlite(path)


def open_server(url: ServerUrl) -> ServerDatabase:
    """The PostgreSQL engine, imported only now: a SQLite run never loads psycopg."""
    return server_module("db").open_database(url)  # type: ignore[no-any-return]


def server_module(name: str) -> Any:
    """A module of the PostgreSQL engine (``storage.postgres.NAME``), or one line saying
    what to install when psycopg is missing."""
    from importlib import import_module

    from ..domain.errors import StorageError

    try:
        return import_module(f"{__name__}.postgres.{name}")
    except ModuleNotFoundError as exc:
        if (exc.name or "").split(".")[0] != "psycopg":
            raise
        raise StorageError("PostgreSQL needs psycopg: pip install 'dossier[postgres]'") from None


def is_read_only(path: Path | ServerUrl) -> bool:
    """Whether the folder's file can be read but not written."""
    if not isinstance(path, Path):
        return False
    from .sqlite.db import is_read_only as read_only

    return read_only(path)


def backups_of(path: Path | ServerUrl) -> list[Backup]:
    """The copies kept next to the folder at ``path`` (of a server's database: its dumps
    on this machine), newest first."""
    if not isinstance(path, Path):
        return server_module("backups").listing(path)  # type: ignore[no-any-return]
    from .sqlite.backups import listing

    return listing(path)


def client_names(path: Path | ServerUrl, incomplete: str) -> list[str]:
    """Client names for the shell's Tab: a read-only look, cheap and silent (none from
    a server: a Tab must not wait for the network)."""
    if not isinstance(path, Path):
        return []
    from .sqlite.complete import complete_client_names

    return complete_client_names(path, incomplete)


def restore(path: Path | ServerUrl, source: Path) -> Path | None:
    """Replace the folder at ``path`` by the backup ``source`` (checked first); returns
    where the replaced file was kept, or None when there was none."""
    if not isinstance(path, Path):
        return restore_server(path, source)
    from .sqlite.restore import restore as restore_sqlite

    return restore_sqlite(path, source)


def restore_server(url: ServerUrl, source: Path) -> Path:
    """A server's database from a dump (``postgres.restore``): the dump is checked before
    the database is even opened."""
    restoring = server_module("restore")
    restoring.verify(source)
    opened = open_server(url)
    try:
        return restoring.restore(opened, source)  # type: ignore[no-any-return]
    finally:
        opened.close()
