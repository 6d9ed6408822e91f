"""Copies of the database: by hand, before a migration, before a restore, and daily.

Every copy goes through SQLite's online backup API, so it is consistent even while
another terminal writes. Copies live in a folder next to the database
(``dossier.db.backups/``), private to the user (0700, files 0600, whatever the umask).
The first write of each day keeps a copy of the folder as it was that morning; the seven
newest are kept.

A copy is written under a temporary name, flushed to the disk and only then given its
name, so a crash or a full disk never leaves a half copy that looks like a backup. Each
copy is a self-contained file (rollback journal, not WAL): reading it later creates no
side files, also on read-only media.
"""

from __future__ import annotations

import errno
import os
import sqlite3
import time
from contextlib import suppress
from datetime import date
from pathlib import Path

from ...domain.errors import DossierError
from ...domain.messages import Message
from ..paths import fsync, publish, start_private_copy, why_not_written
from ..records import Backup
from .db import busy_ms, disk_full, locked

KEEP_DAILY = 7
HEADER = b"SQLite format 3\x00"


class BackupExists(DossierError):
    """The copy's name is taken (another command made the same copy a moment ago)."""


def folder_for(database: Path) -> Path:
    return database.with_name(database.name + ".backups")


def source_uri(path: Path) -> str:
    """A URI that reads ``path`` without changing anything beside it: immutable when no
    journal is pending next to it (no ``-wal``/``-shm`` left behind, works on read-only
    media), else read-only through the pending journal. Percent-encoded, so names with
    ``?``, ``#`` or ``%`` mean themselves."""
    pending = any(
        (side := Path(f"{path}{suffix}")).exists() and side.stat().st_size > 0
        for suffix in ("-wal", "-journal")
    )
    return f"{path.resolve().as_uri()}?{'mode=ro' if pending else 'immutable=1'}"


def open_source(path: Path) -> sqlite3.Connection:
    return sqlite3.connect(source_uri(path), uri=True, isolation_level=None)


def complete(path: Path) -> bool:
    """A finished SQLite file: an older dossier could leave a 0-byte copy after a crash."""
    try:
        with path.open("rb") as handle:
            return handle.read(len(HEADER)) == HEADER
    except OSError:
        return False


def copy(conn: sqlite3.Connection, target: Path) -> Path:
    """A consistent, private copy of the open database at ``target`` (which must not
    exist), published under its name only once it is complete and on the disk."""
    partial, descriptor = start_private_copy(target, BackupExists)
    os.close(descriptor)  # SQLite writes it through its own connection
    try:
        write_copy(conn, partial, target)
        _publish(partial, target)
    finally:
        for leftover in (partial, Path(f"{partial}-journal")):
            with suppress(OSError):
                leftover.unlink(missing_ok=True)
    return target


def write_copy(conn: sqlite3.Connection, path: Path, shown: Path) -> None:
    """Copy every page of ``conn`` into the (empty) file ``path`` and flush it to disk."""
    destination = sqlite3.connect(path, isolation_level=None)
    try:
        pages(conn, destination, shown)
        destination.execute("PRAGMA journal_mode = DELETE")
    except sqlite3.Error as exc:
        if "full" in str(exc):
            raise disk_full(shown) from None
        raise DossierError("cannot write {path}: {reason}", path=shown, reason=str(exc)) from None
    finally:
        destination.close()
    _fsync(path)


def pages(source: sqlite3.Connection, destination: sqlite3.Connection, busy: Path) -> None:
    """The online backup, bounded by the busy timeout: Python's ``backup`` retries a
    locked database for ever; here another program's lock is waited for, then refused."""
    deadline = time.monotonic() + busy_ms() / 1000

    def progress(status: int, remaining: int, total: int) -> None:
        if status in (sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED) and time.monotonic() > deadline:
            raise locked(busy)

    source.backup(destination, progress=progress, sleep=0.05)


def make(conn: sqlite3.Connection, database: Path, kind: str) -> Path:
    """A backup in the database's backups folder, named by time and kind."""
    stamp = time.strftime("%Y%m%d-%H%M%S")
    folder = folder_for(database)
    counter = 1
    while True:
        suffix = "" if counter == 1 else f"-{counter}"
        try:
            return copy(conn, folder / f"{database.stem}-{stamp}-{kind}{suffix}.db")
        except BackupExists:
            counter += 1


def daily(conn: sqlite3.Connection, database: Path, today: date) -> Path | None:
    """Before the first write of a day, keep the morning's folder; keep the seven newest.

    Pruning goes by when each copy was made, not by its name: a run with a future
    ``DOSSIER_TODAY`` must not make every real copy look old.
    """
    folder = folder_for(database)
    target = folder / f"{database.stem}-daily-{today:%Y%m%d}.db"
    if complete(target):
        return None
    target.unlink(missing_ok=True)  # an unfinished copy left by an older dossier
    try:
        made = copy(conn, target)
    except BackupExists:
        return None  # another command made it a moment ago: one copy a day is enough
    dailies = sorted(
        folder.glob(f"{database.stem}-daily-*.db"), key=lambda p: (p.stat().st_mtime, p.name)
    )
    for old in dailies[:-KEEP_DAILY]:
        if old != made:
            old.unlink(missing_ok=True)
    return made


def listing(database: Path) -> list[Backup]:
    folder = folder_for(database)
    if not folder.is_dir():
        return []
    found = []
    for path in folder.glob("*.db"):
        try:
            stat = path.stat()
        except OSError:
            continue
        kind = _kind(path.name) if complete(path) else "incomplete"
        found.append(Backup(path, kind, stat.st_size, stat.st_mtime))
    return sorted(found, key=lambda b: b.modified, reverse=True)


def latest(database: Path) -> Path | None:
    """The newest backup that can be restored."""
    return next((b.path for b in listing(database) if b.kind != "incomplete"), None)


def _kind(name: str) -> str:
    for kind in ("daily", "manual", "before-migration", "before-restore"):
        if kind in name:
            return kind
    return "other"


def _publish(partial: Path, target: Path) -> None:
    """Give the finished copy its name, never over an existing file."""
    try:
        publish(partial, target)
    except FileExistsError:
        raise BackupExists("{path} already exists; give another file name", path=target) from None


def _fsync(path: Path) -> None:
    try:
        fsync(path)
    except OSError as exc:
        if exc.errno == errno.ENOSPC:
            raise disk_full(path) from None
        raise


def _why(exc: OSError, path: Path) -> Message | str:
    return why_not_written(exc, path)
