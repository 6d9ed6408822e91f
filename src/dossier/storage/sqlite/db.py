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

import errno
import os
import sqlite3
import stat
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

from ...domain.errors import Interrupted, StorageError
from .. import COMMITTED
from . import migrations

if TYPE_CHECKING:
    from datetime import date

    from . import SqliteStore

DEFAULT_BUSY_MS = 5000
CANTOPEN = "unable to open database file"  # SQLite's own words, which ``explain`` reads


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
                "the database {path} is read-only (no write permission): reading "
                "commands work, this one needs to write; nothing was changed",
                path=self.path,
            )
        try:
            self.conn.execute("BEGIN IMMEDIATE" if write else "BEGIN")
        except sqlite3.Error as exc:
            raise explain(exc, self.path) from None
        try:
            yield self.conn
        except KeyboardInterrupt:
            self._rollback()
            raise Interrupted("Interrupted, nothing saved") from None
        except sqlite3.Error as exc:
            self._rollback()
            raise explain(exc, self.path) from None
        except BaseException:
            self._rollback()
            raise
        self._commit(write)

    def _commit(self, write: bool) -> None:
        """COMMIT with Ctrl-C held back until the outcome is known and recorded: the
        message after an interrupt must say truthfully whether the change was saved."""
        with _sigint_held():
            try:
                self.conn.execute("COMMIT")
            except sqlite3.Error as exc:
                # A full disk can make SQLite roll back by itself: then there is nothing
                # left to roll back, and trying would fail with a second error.
                self._rollback()
                raise explain(exc, self.path) from None
            if write:
                COMMITTED.append(self.path)  # storage.COMMITTED: said on a Ctrl-C

    def _rollback(self) -> None:
        if self.conn.in_transaction:
            # If this fails too, SQLite already gave the transaction up: nothing was written.
            with suppress(sqlite3.Error):
                self.conn.execute("ROLLBACK")

    def close(self) -> None:
        self.conn.close()

    @contextmanager
    def work(
        self, write: bool, label: str | None, stamp: str, user: str | None = None
    ) -> Iterator[SqliteStore]:
        """One command's store, inside its one transaction. A write with a ``label``
        (the command as typed) is recorded, as ``user``'s, so that ``dossier undo`` can
        revert it."""
        from . import SqliteStore

        with self.transaction(write) as conn:
            store = SqliteStore(conn, self.path)
            if not (write and label is not None):
                yield store
                return
            from . import undo

            undo.record(conn, label, stamp, user)
            yield store
            undo.forget_if_empty(conn)
            undo.stop(conn)

    def day_to_open(self, today: date) -> int | None:
        """The overdue count at the start of ``today`` when the day is not recorded yet
        (for ``dossier stats``): one look by primary key, and a count only on a new day.
        None when the day is known, the file read-only, or anything fails."""
        if self.read_only or self.conn.in_transaction:
            return None
        try:
            day = today.isoformat()
            if self.conn.execute("SELECT 1 FROM day_open WHERE day = ?", (day,)).fetchone():
                return None
            row = self.conn.execute(
                "SELECT (SELECT count(*) FROM client WHERE due < ?)"
                " + (SELECT count(*) FROM client WHERE due_month < ?)",
                (day, f"{today:%Y-%m}"),
            ).fetchone()
        except sqlite3.Error:
            return None
        return int(row[0])

    def owners_to_settle(self, today: date) -> tuple[bool, bool]:
        """Whether some dossier has no owner yet, and whether a cover has reached its day
        (two index probes; both False on a read-only file, which settles nothing)."""
        if self.read_only or self.conn.in_transaction:
            return False, False
        unowned = self.conn.execute("SELECT 1 FROM client WHERE owner IS NULL LIMIT 1")
        ended = self.conn.execute(
            "SELECT 1 FROM cover WHERE closed_at IS NULL AND until <= ? LIMIT 1",
            (today.isoformat(),),
        )
        return unowned.fetchone() is not None, ended.fetchone() is not None

    def open_day(self, today: date, overdue: int) -> None:
        """Record ``day_to_open``'s count, after the command succeeded (a refused command
        leaves the file as it was), in a small transaction of its own that never fails
        the command: a busy or read-only file just skips it."""
        open_day(self.conn, today, overdue)

    def daily_backup(self, today: date) -> None:
        """Keep the day's copy before the first write of a day (see ``backups.daily``)."""
        if not self.read_only:
            from .backups import daily

            daily(self.conn, self.path, today)


def open_database(path: Path) -> Database:
    """Open (creating on first use) and migrate the database at ``path``."""
    if not check_file(path):
        _create_file(path)
    if not has_sqlite_header(path):
        # Never let SQLite open it: it would delete a -wal beside it (committed work) when
        # it finds no database header.
        raise unreadable(path, "file is not a database")
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
                "{path} is read-only and needs an upgrade to this dossier's schema; "
                "make it writable once (chmod u+w) so it can be migrated",
                path=path,
            )
    except sqlite3.Error as exc:
        conn.close()
        raise explain(exc, path) from None
    except BaseException:
        conn.close()
        raise
    return Database(path, conn, read_only)


def check_file(path: Path) -> bool:
    """Whether ``path`` exists, refusing what cannot be a database file: a folder, a
    device such as /dev/null (SQLite would "store" into it and leave a world-writable
    journal beside it), a dangling symbolic link or a loop of them."""
    try:
        status = path.stat()
    except (FileNotFoundError, NotADirectoryError):
        if path.is_symlink():
            raise StorageError(
                "{path} is a symbolic link to {target}, which does not exist; "
                "create that file's folder or point --db or DOSSIER_DB at a file",
                path=path,
                target=os.readlink(path),
            ) from None
        return False
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            raise StorageError(
                "{path} is a loop of symbolic links; point --db or DOSSIER_DB at a file",
                path=path,
            ) from None
        raise StorageError(
            "cannot reach the database {path}: {reason}", path=path, reason=exc.strerror
        ) from None
    if stat.S_ISDIR(status.st_mode):
        raise StorageError(
            "{path} is a directory, not a database file; point --db or DOSSIER_DB at a file",
            path=path,
        )
    if not stat.S_ISREG(status.st_mode):
        raise StorageError(
            "{path} is not a regular file (a device or a pipe); point --db or DOSSIER_DB "
            "at a database file",
            path=path,
        )
    return True


def has_sqlite_header(path: Path) -> bool:
    """An empty file (a new database) or one that starts as every SQLite file does."""
    try:
        with path.open("rb") as handle:
            start = handle.read(16)
    except OSError as exc:
        raise StorageError(
            "cannot read the database {path}: {reason}", path=path, reason=exc.strerror
        ) from None
    return start in (b"", b"SQLite format 3\x00")


def is_read_only(path: Path) -> bool:
    """A file without write permission, or with every write bit removed (``chmod a-w``):
    the latter is honoured even for root, who could write it anyway."""
    mode = path.stat().st_mode
    return not os.access(path, os.W_OK) or not mode & 0o222


def _connect(path: Path, read_only: bool) -> sqlite3.Connection:
    timeout = busy_ms() / 1000
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
    raise sqlite3.OperationalError(CANTOPEN)


def explain(exc: sqlite3.Error, path: Path) -> StorageError:
    """Turn SQLite's terse errors into one line that says what to do."""
    text = str(exc)
    code = (getattr(exc, "sqlite_errorcode", None) or 0) & 0xFF
    if code == sqlite3.SQLITE_FULL or "full" in text or _no_space_left(path):
        return disk_full(path)
    if code in (sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED) or "locked" in text or "busy" in text:
        return locked(path)
    if (
        code in (sqlite3.SQLITE_NOTADB, sqlite3.SQLITE_CORRUPT)
        or "not a database" in text
        or "malformed" in text
        or "disk image" in text
    ):
        return unreadable(path, text)
    if code == sqlite3.SQLITE_READONLY or "readonly" in text or "read-only" in text:
        return StorageError(
            "the database {path} is read-only ({reason}); nothing was changed",
            path=path,
            reason=text,
        )
    if code == sqlite3.SQLITE_CANTOPEN or "unable to open" in text:
        return StorageError(
            "cannot open the database {path} ({reason}); check that its folder exists "
            "and is writable",
            path=path,
            reason=text,
        )
    if code == sqlite3.SQLITE_IOERR:
        return StorageError(
            "cannot read or write the database {path} ({reason}); nothing was changed: "
            "check the disk, and that the file and its -wal and -shm files are yours",
            path=path,
            reason=text,
        )
    return StorageError(
        "database error in {path}: {reason}; nothing was changed", path=path, reason=text
    )


def _no_space_left(path: Path) -> bool:
    """SQLite reports some writes that fail for lack of space (the ``-shm`` file, say) as
    a plain "disk I/O error": ask the file system whether it is full."""
    try:
        found = os.statvfs(path.parent)
    except (OSError, AttributeError):
        return False
    return found.f_bavail * found.f_frsize < 256 * 1024


def disk_full(path: Path) -> StorageError:
    return StorageError(
        "the disk is full: {path} could not be written, so nothing was changed; "
        "free some space and try again",
        path=path,
    )


def locked(path: Path) -> StorageError:
    return StorageError(
        "the database {path} is locked by another program or dossier command; "
        "nothing was changed, try again in a moment",
        path=path,
    )


def unreadable(path: Path, reason: str) -> StorageError:
    from .backups import latest

    newest = latest(path)
    if newest is None:
        return StorageError(
            "{path} is not a readable dossier database ({reason}); it was left untouched: "
            "check --db / DOSSIER_DB, or no backup of it was found",
            path=path,
            reason=reason,
        )
    return StorageError(
        "{path} is not a readable dossier database ({reason}); it was left untouched: "
        "check --db / DOSSIER_DB, or restore the latest backup with 'dossier restore {backup}'",
        path=path,
        reason=reason,
        backup=newest,
    )


def busy_ms() -> int:
    """How long to wait for another command's lock: ``DOSSIER_BUSY_TIMEOUT_MS``."""
    value = os.environ.get("DOSSIER_BUSY_TIMEOUT_MS", "").strip()
    if value.isascii() and value.isdigit():
        return min(int(value), 3_600_000)
    return DEFAULT_BUSY_MS


@contextmanager
def _sigint_held() -> Iterator[None]:
    """Hold Ctrl-C back for the duration (delivered right after), where the OS allows."""
    import signal

    block = getattr(signal, "pthread_sigmask", None)
    if block is None:
        yield
        return
    block(signal.SIG_BLOCK, {signal.SIGINT})
    try:
        yield
    finally:
        block(signal.SIG_UNBLOCK, {signal.SIGINT})


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
        raise StorageError(
            "cannot create the database {path}: {reason}", path=path, reason=exc.strerror
        ) from None


def _configure(conn: sqlite3.Connection) -> None:
    """Connection settings only: nothing here writes to the file."""
    conn.execute(f"PRAGMA busy_timeout = {busy_ms()}")
    conn.execute("PRAGMA foreign_keys = ON")
    conn.execute("PRAGMA synchronous = FULL")
    # Reading the schema makes a file that is not a database fail here.
    conn.execute("SELECT count(*) FROM sqlite_master").fetchone()


def _use_wal(conn: sqlite3.Connection) -> None:
    """Switch to WAL (a change to the file), only once the file is known to be ours."""
    if conn.execute("PRAGMA journal_mode").fetchone()[0] != "wal":
        conn.execute("PRAGMA journal_mode = WAL")


class Identity(NamedTuple):
    """What a SQLite file is, as far as dossier is concerned."""

    kind: str  # "empty" (new), "dossier", "newer" (a newer dossier's), "foreign"
    version: int
    tables: tuple[str, ...]


def identify(conn: sqlite3.Connection) -> Identity:
    """Recognise a dossier database by its own marker: ``user_version`` together with the
    ``migration`` table recording each numbered step under dossier's name for it. A file
    of another program that happens to have a ``client`` table, or sets ``user_version``
    for its own purposes, is foreign.

    Everything is read in one snapshot: on a brand-new file another dossier process may
    commit step 1 between reading the version and reading the tables, and "version 0
    with tables" would then call our own new file another program's."""
    if conn.in_transaction:
        return _identify(conn)
    conn.execute("BEGIN")
    try:
        found = _identify(conn)
    except BaseException:
        with suppress(sqlite3.Error):
            conn.execute("ROLLBACK")
        raise
    conn.execute("COMMIT")  # only reads were made: ends the snapshot
    return found


def _identify(conn: sqlite3.Connection) -> Identity:
    version = migrations.schema_version(conn)
    tables = tuple(migrations.existing_tables(conn))
    if version == 0:
        return Identity("foreign" if tables else "empty", 0, tables)
    if "migration" not in tables or "client" not in tables:
        return Identity("foreign", version, tables)
    steps = dict(conn.execute("SELECT version, name FROM migration").fetchall())
    for step in range(1, min(version, migrations.LATEST) + 1):
        if steps.get(step) != migrations.MIGRATIONS[step - 1][0]:
            return Identity("foreign", version, tables)
    return Identity("newer" if version > migrations.LATEST else "dossier", version, tables)


def _refuse_foreign_or_newer(conn: sqlite3.Connection, path: Path) -> None:
    """Refuse, before any write, a file from a newer dossier or from another program."""
    found = identify(conn)
    if found.kind == "newer":
        raise StorageError(
            "{path} was written by a newer dossier (schema {version}, this one knows "
            "{latest}); upgrade dossier to use it. The file was not changed",
            path=path,
            version=found.version,
            latest=migrations.LATEST,
        )
    if found.kind == "foreign" and not found.tables:
        raise StorageError(
            "{path} is an SQLite database of another program (tables: none); it was left "
            "untouched: point --db at another file",
            path=path,
        )
    if found.kind == "foreign":
        raise StorageError(
            "{path} is an SQLite database of another program (tables: {tables}); it was left "
            "untouched: point --db at another file",
            path=path,
            tables=", ".join(found.tables[:5]),
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


def open_day(conn: sqlite3.Connection, today: date, overdue: int) -> None:
    """Write the overdue count at the start of ``today`` in a transaction of its own,
    without waiting for a lock; any failure (locked, read-only, full) skips it."""
    try:
        conn.execute("PRAGMA busy_timeout = 0")
        conn.execute("BEGIN IMMEDIATE")
        conn.execute(
            "INSERT OR IGNORE INTO day_open (day, overdue) VALUES (?, ?)",
            (today.isoformat(), overdue),
        )
        conn.execute("COMMIT")
    except sqlite3.Error:
        if conn.in_transaction:
            with suppress(sqlite3.Error):
                conn.execute("ROLLBACK")
    finally:
        with suppress(sqlite3.Error):
            conn.execute(f"PRAGMA busy_timeout = {busy_ms()}")
