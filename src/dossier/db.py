"""Opening the database file safely, and one transaction per command.

Plain ``sqlite3`` (DB-API) on purpose: the everyday commands must start in tens of
milliseconds, and SQLAlchemy alone costs more than half a second to import.

Safety rules applied here, once, for every command:
- WAL journal, ``synchronous=FULL``, a busy timeout and foreign keys on every connection;
- writes open their transaction with ``BEGIN IMMEDIATE`` (a deferred one that reads and
  then writes fails at once with "database is locked", whatever the timeout);
- a file that is not a dossier database, or was written by a newer dossier, is refused
  and never modified; an older one is copied aside before it is migrated.
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from . import migrations
from .errors import Interrupted, StorageError

DEFAULT_BUSY_MS = 5000


class Database:
    """An open, migrated dossier database."""

    def __init__(self, path: Path, conn: sqlite3.Connection, read_only: bool = False) -> None:
        self.path = path
        self.conn = conn
        self.read_only = read_only

    @contextmanager
    def transaction(self, write: bool) -> Iterator[sqlite3.Connection]:
        """All of the command or nothing: commit on success, roll back on anything else."""
        if write and self.read_only:
            raise StorageError(
                f"the database {self.path} is read-only (no write permission): reading "
                "commands work, this one needs to write; nothing was changed"
            )
        try:
            self.conn.execute("BEGIN IMMEDIATE" if write else "BEGIN")
        except sqlite3.Error as exc:
            raise explain(exc, self.path) from None
        try:
            yield self.conn
        except KeyboardInterrupt:
            self.conn.execute("ROLLBACK")
            raise Interrupted("Interrupted, nothing saved") from None
        except sqlite3.Error as exc:
            self.conn.execute("ROLLBACK")
            raise explain(exc, self.path) from None
        except BaseException:
            self.conn.execute("ROLLBACK")
            raise
        try:
            self.conn.execute("COMMIT")
        except sqlite3.Error as exc:
            self.conn.execute("ROLLBACK")
            raise explain(exc, self.path) from None

    def close(self) -> None:
        self.conn.close()


def open_database(path: Path) -> Database:
    """Open (creating on first use) and migrate the database at ``path``."""
    if path.is_dir():
        raise StorageError(
            f"{path} is a directory, not a database file; point --db or DOSSIER_DB at a file"
        )
    if not path.exists():
        _create_file(path)
    read_only = is_read_only(path)
    try:
        conn = _connect(path, read_only)
    except sqlite3.Error as exc:
        raise explain(exc, path) from None
    try:
        _configure(conn)
        _refuse_foreign_or_newer(conn, path)
        if not read_only:
            _use_wal(conn)
            _migrate(conn, path)
        elif migrations.schema_version(conn) != migrations.LATEST:
            raise StorageError(
                f"{path} is read-only and needs an upgrade to this dossier's schema; "
                "make it writable once (chmod u+w) so it can be migrated"
            )
    except sqlite3.Error as exc:
        conn.close()
        raise explain(exc, path) from None
    except BaseException:
        conn.close()
        raise
    return Database(path, conn, read_only)


def is_read_only(path: Path) -> bool:
    """A file without write permission, or with every write bit removed (``chmod a-w``):
    the latter is honoured even for root, who could write it anyway."""
    mode = path.stat().st_mode
    return not os.access(path, os.W_OK) or not mode & 0o222


def _connect(path: Path, read_only: bool) -> sqlite3.Connection:
    timeout = _busy_ms() / 1000
    if not read_only:
        return sqlite3.connect(path, timeout=timeout, isolation_level=None, check_same_thread=False)
    # Read-only. With no pending WAL, open it immutable: SQLite then creates no -wal/-shm
    # side files (which would inherit the read-only mode and block writes once the file
    # is writable again). With a pending WAL, read through it.
    wal = Path(f"{path}-wal")
    pending = wal.exists() and wal.stat().st_size > 0
    for options in ("mode=ro", "immutable=1") if pending else ("immutable=1", "mode=ro"):
        conn = sqlite3.connect(
            f"{path.resolve().as_uri()}?{options}",
            uri=True,
            timeout=timeout,
            isolation_level=None,
            check_same_thread=False,
        )
        try:
            conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
            return conn
        except sqlite3.OperationalError:
            conn.close()
    raise sqlite3.OperationalError("unable to open database file")


def explain(exc: sqlite3.Error, path: Path) -> StorageError:
    """Turn SQLite's terse errors into one line that says what to do."""
    text = str(exc)
    if "locked" in text or "busy" in text:
        return StorageError(
            f"the database {path} is locked by another program or dossier command; "
            "nothing was changed, try again in a moment"
        )
    if "not a database" in text or "malformed" in text or "disk image" in text:
        from .backups import latest

        newest = latest(path)
        advice = (
            f"restore the latest backup with 'dossier restore {newest}'"
            if newest
            else "no backup of it was found"
        )
        return StorageError(
            f"{path} is not a readable dossier database ({text}); it was left untouched: "
            f"check --db / DOSSIER_DB, or {advice}"
        )
    if "readonly" in text or "read-only" in text:
        return StorageError(f"the database {path} is read-only ({text}); nothing was changed")
    if "unable to open" in text:
        return StorageError(
            f"cannot open the database {path} ({text}); check that its folder exists "
            "and is writable"
        )
    return StorageError(f"database error in {path}: {text}; nothing was changed")


def _busy_ms() -> int:
    value = os.environ.get("DOSSIER_BUSY_TIMEOUT_MS", "")
    return int(value) if value.isdigit() else DEFAULT_BUSY_MS


def _create_file(path: Path) -> None:
    """Create the file and its folders private to the user: a client list is personal data."""
    try:
        for folder in reversed([path.parent, *path.parent.parents]):
            if not folder.exists():
                folder.mkdir(mode=0o700)
        fd = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
        os.close(fd)
    except FileExistsError:
        pass
    except OSError as exc:
        raise StorageError(f"cannot create the database {path}: {exc.strerror}") from None


def _configure(conn: sqlite3.Connection) -> None:
    """Connection settings only: nothing here writes to the file."""
    conn.execute(f"PRAGMA busy_timeout = {_busy_ms()}")
    conn.execute("PRAGMA foreign_keys = ON")
    conn.execute("PRAGMA synchronous = FULL")
    # Reading the schema makes a file that is not a database fail here.
    conn.execute("SELECT count(*) FROM sqlite_master").fetchone()


def _use_wal(conn: sqlite3.Connection) -> None:
    """Switch to WAL (a change to the file), only once the file is known to be ours."""
    if conn.execute("PRAGMA journal_mode").fetchone()[0] != "wal":
        conn.execute("PRAGMA journal_mode = WAL")


def _refuse_foreign_or_newer(conn: sqlite3.Connection, path: Path) -> None:
    """Refuse, before any write, a file from a newer dossier or from another program."""
    version = migrations.schema_version(conn)
    if version > migrations.LATEST:
        raise StorageError(
            f"{path} was written by a newer dossier (schema {version}, this one knows "
            f"{migrations.LATEST}); upgrade dossier to use it. The file was not changed"
        )
    if version == 0 and (others := migrations.existing_tables(conn)):
        raise StorageError(
            f"{path} is an SQLite database of another program (tables: "
            f"{', '.join(others[:5])}); it was left untouched: point --db at another file"
        )


def _migrate(conn: sqlite3.Connection, path: Path) -> None:
    version = migrations.schema_version(conn)
    if version == migrations.LATEST:
        return
    if version > 0:
        from .backups import make

        make(conn, path, "before-migration")
    for step in range(version + 1, migrations.LATEST + 1):
        migrations.apply(conn, step)
