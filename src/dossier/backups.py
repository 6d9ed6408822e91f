"""Copies of the database: by hand, before a migration, before a restore, and daily.

Every copy goes through SQLite's online backup API, so it is consistent even while
another terminal writes. Copies live in a folder next to the database
(``dossier.db.backups/``), private to the user (0700, files 0600). The first write of each
day keeps a copy of the folder as it was that morning; the last seven are kept.
"""

from __future__ import annotations

import os
import sqlite3
import time
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from . import migrations
from .errors import DossierError
from .paths import create_private

KEEP_DAILY = 7


@dataclass(frozen=True)
class Backup:
    path: Path
    kind: str  # daily, manual, before-migration, before-restore
    size: int
    modified: float


def folder_for(database: Path) -> Path:
    return database.with_name(database.name + ".backups")


def copy(conn: sqlite3.Connection, target: Path) -> Path:
    """A consistent copy of the open database at ``target`` (which must not exist)."""
    target.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    os.close(create_private(target))
    destination = sqlite3.connect(target)
    try:
        conn.backup(destination)
    except BaseException:
        destination.close()
        target.unlink(missing_ok=True)
        raise
    destination.close()
    return target


def make(conn: sqlite3.Connection, database: Path, kind: str) -> Path:
    """A backup in the database's backups folder, named by time and kind."""
    stamp = time.strftime("%Y%m%d-%H%M%S")
    folder = folder_for(database)
    target = folder / f"{database.stem}-{stamp}-{kind}.db"
    counter = 1
    while target.exists():
        counter += 1
        target = folder / f"{database.stem}-{stamp}-{kind}-{counter}.db"
    return copy(conn, target)


def daily(conn: sqlite3.Connection, database: Path, today: date) -> Path | None:
    """Before the first write of a day, keep the morning's folder; prune to seven."""
    folder = folder_for(database)
    name = f"{database.stem}-daily-{today:%Y%m%d}.db"
    if (folder / name).exists():
        return None
    try:
        made = copy(conn, folder / name)
    except DossierError:
        return None  # another command made it a moment ago: one copy a day is enough
    dailies = sorted(folder.glob(f"{database.stem}-daily-*.db"))
    for old in dailies[:-KEEP_DAILY]:
        old.unlink(missing_ok=True)
    return made


def listing(database: Path) -> list[Backup]:
    folder = folder_for(database)
    if not folder.is_dir():
        return []
    found = []
    for path in folder.glob("*.db"):
        stat = path.stat()
        found.append(Backup(path, _kind(path.name), stat.st_size, stat.st_mtime))
    return sorted(found, key=lambda b: b.modified, reverse=True)


def latest(database: Path) -> Path | None:
    backups = listing(database)
    return backups[0].path if backups else None


def _kind(name: str) -> str:
    for kind in ("daily", "manual", "before-migration", "before-restore"):
        if kind in name:
            return kind
    return "other"


def verify(path: Path) -> int:
    """Check that ``path`` is an intact dossier database; return its schema version."""
    if not path.is_file():
        raise DossierError(f"{path} is not a file")
    try:
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    except sqlite3.Error as exc:
        raise DossierError(f"cannot open {path}: {exc}") from None
    try:
        result = conn.execute("PRAGMA integrity_check").fetchall()
        if result != [("ok",)]:
            raise DossierError(f"{path} is damaged ({result[0][0]}); choose another backup")
        version = migrations.schema_version(conn)
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    except sqlite3.Error as exc:
        raise DossierError(f"{path} is not a readable dossier database ({exc})") from None
    finally:
        conn.close()
    if version > migrations.LATEST:
        raise DossierError(f"{path} was written by a newer dossier (schema {version})")
    if version < 1 or "client" not in tables:
        raise DossierError(f"{path} is not a dossier database")
    return version


def restore(database: Path, source: Path) -> Path:
    """Replace the database with ``source``, keeping the current file aside first.

    A readable database gets the backup's pages written into it through the online backup
    API (other processes and the WAL see one consistent switch). A damaged one cannot be
    opened for that: its bytes are kept as they are, and the backup takes its place by an
    atomic rename.
    """
    verify(source)
    try:
        current = sqlite3.connect(database, isolation_level=None)
        current.execute("PRAGMA quick_check").fetchall()
    except sqlite3.Error:
        return _replace_damaged(database, source)
    try:
        kept = make(current, database, "before-restore")
        origin = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
        try:
            origin.backup(current)
        finally:
            origin.close()
    finally:
        current.close()
    return kept


def _replace_damaged(database: Path, source: Path) -> Path:
    import shutil

    stamp = time.strftime("%Y%m%d-%H%M%S")
    folder = folder_for(database)
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    kept = folder / f"{database.stem}-{stamp}-before-restore-damaged.db"
    shutil.copyfile(database, kept)
    os.chmod(kept, 0o600)
    fresh = database.with_name(f".{database.name}.restoring")
    fresh.unlink(missing_ok=True)
    copy_conn = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
    try:
        copy(copy_conn, fresh)
    finally:
        copy_conn.close()
    for side in ("-wal", "-shm"):
        Path(f"{database}{side}").unlink(missing_ok=True)
    os.replace(fresh, database)
    return kept
