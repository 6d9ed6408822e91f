"""``dossier restore``: bring a backup back without losing what the replaced file held.

The rules, each learnt from a way a restore can lose committed work:
- a lock means "busy", never "damaged": another program's lock is waited for (up to
  ``DOSSIER_BUSY_TIMEOUT_MS``), then the restore is refused and nothing changes;
- a ``-wal`` that cannot be read holds committed work nobody can see: refused;
- only a file SQLite really cannot read is "damaged", and only one still recognisable as
  a dossier database is replaced; a newer dossier's file, another program's database or
  a text file is never replaced;
- the replaced database is kept first, WAL content included;
- the backup is accepted only if it is an intact dossier database, read without
  creating anything beside it; it is staged as a private copy (with the target's page
  size, and a fresh undo history) and then written in.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import time
from pathlib import Path

from ...domain.errors import DossierError, StorageError
from ..paths import PARTIAL, backup_header, create_private, private_dir
from . import backups
from .db import busy_ms, check_file, explain, has_sqlite_header, identify, locked
from .migrations import LATEST

DAMAGED = (sqlite3.SQLITE_NOTADB, sqlite3.SQLITE_CORRUPT)


def verify(path: Path) -> int:
    """Check that ``path`` is an intact dossier database; return its schema version."""
    _readable_file(path)
    try:
        conn = backups.open_source(path)
    except sqlite3.Error as exc:
        raise DossierError("cannot open {path}: {reason}", path=path, reason=str(exc)) from None
    try:
        result = conn.execute("PRAGMA integrity_check").fetchall()
        if result != [("ok",)]:
            raise DossierError(
                "{path} is damaged ({reason}); choose another backup",
                path=path,
                reason=result[0][0],
            )
        found = identify(conn)
    except sqlite3.Error as exc:
        raise DossierError(
            "{path} is not a readable dossier database ({reason})", path=path, reason=str(exc)
        ) from None
    finally:
        conn.close()
    if found.kind == "newer":
        raise DossierError(
            "{path} was written by a newer dossier (schema {version})",
            path=path,
            version=found.version,
        )
    if found.kind != "dossier":
        raise DossierError(
            "{path} is not a dossier database; choose one of 'dossier backups'", path=path
        )
    return found.version


def restore(database: Path, source: Path) -> Path | None:
    """Replace the database with ``source``; return where the replaced one was kept
    (None when there was no database yet)."""
    verify(source)
    state = _inspect(database)
    staged = _stage(source, database, _page_size(database) if state == "ok" else None)
    try:
        if state == "damaged":
            return _replace_damaged(database, staged)
        if state == "missing":
            _create_private_file(database)
        return _write_into(database, staged, keep=state == "ok")
    finally:
        staged.unlink(missing_ok=True)
        Path(f"{staged}-journal").unlink(missing_ok=True)


# --- the file being replaced ---------------------------------------------------------


def _inspect(database: Path) -> str:
    """ "missing", "ok" (a dossier database, not locked) or "damaged"; refuse the rest."""
    if not check_file(database):
        return "missing"
    for side in (database, Path(f"{database}-wal"), Path(f"{database}-shm")):
        if side.exists() and not os.access(side, os.R_OK | os.W_OK):
            raise StorageError(
                "cannot read and write {path} (permission denied): it may hold committed "
                "work, so nothing was changed; make it yours (chmod u+rw) and try again",
                path=side,
            )
    if database.stat().st_size == 0:
        return "ok"
    if not has_sqlite_header(database):  # SQLite must not open it: it would drop the -wal
        return _damaged_or_refuse(database, "file is not a database")
    conn = sqlite3.connect(database, timeout=busy_ms() / 1000, isolation_level=None)
    try:
        conn.execute(f"PRAGMA busy_timeout = {busy_ms()}")
        conn.execute("BEGIN IMMEDIATE")  # waits for another program's lock, then gives up
        result = conn.execute("PRAGMA quick_check").fetchall()
        found = identify(conn)
        conn.execute("ROLLBACK")
    except sqlite3.Error as exc:
        code = (getattr(exc, "sqlite_errorcode", None) or 0) & 0xFF
        if code in (sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED):
            raise locked(database) from None
        if code in DAMAGED:
            return _damaged_or_refuse(database, str(exc))
        raise explain(exc, database) from None
    finally:
        conn.close()
    if result != [("ok",)]:
        return _damaged_or_refuse(database, str(result[0][0]))
    if found.kind == "newer":
        raise StorageError(
            "{path} was written by a newer dossier (schema {version}, this one "
            "knows {latest}); restore never replaces it: upgrade dossier. Nothing was changed",
            path=database,
            version=found.version,
            latest=LATEST,
        )
    if found.kind == "foreign":
        raise StorageError(
            "{path} is an SQLite database of another program; restore never replaces it: "
            "move it away or point --db at another file. Nothing was changed",
            path=database,
        )
    return "ok"


def _damaged_or_refuse(database: Path, reason: str) -> str:
    """A damaged file is replaced only if it still shows dossier's schema in its first
    pages (where SQLite keeps it): a text file or another program's file is refused."""
    with database.open("rb") as handle:
        start = handle.read(1 << 20)
    if b"CREATE TABLE client (" in start and b"name_key TEXT NOT NULL" in start:
        return "damaged"
    raise StorageError(
        "{path} is not a dossier database ({reason}); restore never replaces it: move it "
        "away or point --db at another file. Nothing was changed",
        path=database,
        reason=reason,
    )


def _page_size(database: Path) -> int:
    conn = sqlite3.connect(database, isolation_level=None)
    try:
        size: int = conn.execute("PRAGMA page_size").fetchone()[0]
        return size
    finally:
        conn.close()


# --- the copy that comes in ----------------------------------------------------------


def _stage(source: Path, database: Path, page_size: int | None) -> Path:
    """A private working copy of the backup: at the page size the target has (a WAL
    database cannot change its own), and without the backup's undo history (undo after
    a restore must not revert the backup's last change)."""
    folder = backups.folder_for(database)
    _private_folder(folder)
    staged = folder / f".{database.stem}-restoring-{os.getpid()}{PARTIAL}"
    staged.unlink(missing_ok=True)
    os.close(create_private(staged))
    try:
        origin = backups.open_source(source)
        try:
            backups.write_copy(origin, staged, staged)
        finally:
            origin.close()
        conn = sqlite3.connect(staged, isolation_level=None)
        try:
            tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master")}
            for table in ("undo_step", "change"):
                if table in tables:
                    conn.execute(f"DELETE FROM {table}")
            if page_size and conn.execute("PRAGMA page_size").fetchone()[0] != page_size:
                conn.execute(f"PRAGMA page_size = {int(page_size)}")
                conn.execute("VACUUM")
        finally:
            conn.close()
    except sqlite3.Error as exc:
        staged.unlink(missing_ok=True)
        raise explain(exc, staged) from None
    except BaseException:
        staged.unlink(missing_ok=True)
        raise
    return staged


def _write_into(database: Path, staged: Path, keep: bool) -> Path | None:
    """Keep the current database (through the backup API: WAL content included), then
    write the staged pages into it: other processes see one consistent switch."""
    current = sqlite3.connect(database, timeout=busy_ms() / 1000, isolation_level=None)
    try:
        kept = backups.make(current, database, "before-restore") if keep else None
        origin = sqlite3.connect(staged, isolation_level=None)
        try:
            backups.pages(origin, current, database)
        finally:
            origin.close()
    except sqlite3.Error as exc:
        raise explain(exc, database) from None
    finally:
        current.close()
    return kept


def _replace_damaged(database: Path, staged: Path) -> Path:
    """A file SQLite cannot open cannot be written into: keep its bytes (and its WAL's,
    which may hold committed work) and put the staged copy in its place by a rename."""
    stamp = time.strftime("%Y%m%d-%H%M%S")
    kept = backups.folder_for(database) / f"{database.stem}-{stamp}-before-restore-damaged.db"
    wal = Path(f"{database}-wal")
    _keep_bytes(database, kept)
    if wal.exists() and wal.stat().st_size > 0:
        _keep_bytes(wal, Path(f"{kept}-wal"))
    for side in ("-wal", "-shm"):
        Path(f"{database}{side}").unlink(missing_ok=True)
    os.replace(staged, database)
    return kept


def _keep_bytes(path: Path, kept: Path) -> None:
    partial = kept.with_name(f".{kept.name}{PARTIAL}")
    try:
        with path.open("rb") as origin, os.fdopen(create_private(partial), "wb") as copy:
            shutil.copyfileobj(origin, copy)
            copy.flush()
            os.fsync(copy.fileno())
        os.replace(partial, kept)
    except OSError as exc:
        partial.unlink(missing_ok=True)
        if exc.errno == 28:  # ENOSPC
            raise DossierError(
                "the disk is full: could not keep a copy of {path}, so nothing was changed; "
                "free some space and try again",
                path=path,
            ) from None
        raise DossierError(
            "cannot keep a copy of {path}: {reason}", path=path, reason=exc.strerror
        ) from None


# --- files and folders ---------------------------------------------------------------


def _readable_file(path: Path) -> None:
    header = backup_header(path, len(backups.HEADER))
    if header.startswith(b"PGDMP"):  # pg_dump's custom format
        raise DossierError(
            "{path} is a dump of a PostgreSQL database (pg_dump), and this database is a "
            "file: restore it with --db set to the server's URL",
            path=path,
        )
    if header != backups.HEADER:
        raise DossierError("{path} is not a dossier database (not an SQLite file)", path=path)


def _private_folder(folder: Path) -> None:
    try:
        private_dir(folder)
    except OSError as exc:
        raise DossierError(
            "cannot create the folder {path}: {reason}", path=folder, reason=exc.strerror
        ) from None


def _create_private_file(database: Path) -> None:
    _private_folder(database.parent)
    try:
        os.close(os.open(database, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600))
    except OSError as exc:
        raise DossierError(
            "cannot create {path}: {reason}", path=database, reason=exc.strerror
        ) from None
