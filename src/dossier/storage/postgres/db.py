"""Opening a PostgreSQL database, and one transaction per command.

psycopg 3 is imported here and only here, when a ``postgresql://`` URL asks for it.

The rules, as the SQLite engine's:
- a write takes dossier's advisory lock for the database (one writer at a time, as
  SQLite's ``BEGIN IMMEDIATE``: no lost update, no serialization failure to retry) in a
  READ COMMITTED transaction; waiting longer than ``DOSSIER_BUSY_TIMEOUT_MS`` gives the
  same "locked, try again" line; a read is one REPEATABLE READ READ ONLY snapshot;
- a database that is not dossier's, or was written by a newer dossier, is refused and
  never modified; an older one is migrated, each step in its own transaction;
- every error of the driver or the server becomes one line naming the URL without its
  password; a raw psycopg error never reaches the user.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from contextlib import contextmanager, suppress
from typing import TYPE_CHECKING, Any

import psycopg
from psycopg import errors as pgerrors
from psycopg.adapt import Loader

from ...domain.errors import Interrupted, StorageError
from .. import COMMITTED
from ..paths import ServerUrl
from . import migrations

if TYPE_CHECKING:
    from datetime import date

    from . import PostgresStore

# dossier's key for pg_advisory_xact_lock: 'doss' as a number, the same for every
# dossier process, so that two writers of one database take turns.
LOCK_KEY = 0x646F7373


class NumericLoader(Loader):
    """``numeric`` (what sum() of integers gives) as int when integral, else float:
    the numbers SQLite gives for the same sums."""

    def load(self, data: Any) -> int | float:
        text = bytes(data).decode()
        if "." not in text and "e" not in text.lower() and text not in ("NaN", "Infinity"):
            return int(text)
        value = float(text)
        return int(value) if value.is_integer() else value


_MARKS = re.compile(r"'(?:[^']|'')*'|\"(?:[^\"]|\"\")*\"|::|%|\?|(?<![:\w]):([A-Za-z_]\w*)")


def translate(sql: str) -> str:
    """SQLite's parameter marks (``?``, ``:name``) as psycopg's (``%s``, ``%(name)s``),
    every literal ``%`` doubled (psycopg reads them even inside quotes); no mark is
    looked for inside quoted text.

    >>> translate("SELECT '%?' || ? WHERE a = :a AND b::int = 1")
    "SELECT '%%?' || %s WHERE a = %(a)s AND b::int = 1"
    """

    def mark(found: re.Match[str]) -> str:
        text = found.group(0)
        if text[0] in "'\"":
            return text.replace("%", "%%")
        if text == "?":
            return "%s"
        if text == "%":
            return "%%"
        if found.group(1):
            return f"%({found.group(1)})s"
        return text

    return _MARKS.sub(mark, sql)


class Connection:
    """A psycopg connection that speaks as the shared statements do: ``?`` and
    ``:name`` marks, rows as tuples."""

    def __init__(self, raw: psycopg.Connection[Any]) -> None:
        self.raw = raw
        self._translated: dict[str, str] = {}

    def _sql(self, sql: str) -> str:
        found = self._translated.get(sql)
        if found is None:
            found = self._translated[sql] = translate(sql)
        return found

    def execute(self, sql: str, parameters: Any = (), /) -> Any:
        if isinstance(parameters, list):
            parameters = tuple(parameters)
        return self.raw.execute(self._sql(sql), parameters)

    def executemany(self, sql: str, parameters: Iterable[Any], /) -> Any:
        cursor = self.raw.cursor()
        rows = list(parameters)
        if rows:
            cursor.executemany(self._sql(sql), rows)
        return cursor


class Database:
    """An open, migrated dossier database on a PostgreSQL server."""

    read_only = False

    def __init__(self, url: ServerUrl, conn: Connection) -> None:
        self.path = url  # named as the SQLite engine's, for the messages
        self.url = url
        self.conn = conn

    @contextmanager
    def transaction(self, write: bool) -> Iterator[Connection]:
        """All of the command or nothing: commit on success, roll back on anything else."""
        try:
            if write:
                self.conn.execute("BEGIN ISOLATION LEVEL READ COMMITTED")
                self.conn.execute(f"SET LOCAL lock_timeout = {busy_ms()}")
                self.conn.execute(f"SELECT pg_advisory_xact_lock({LOCK_KEY})")
            else:
                self.conn.execute("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
        except psycopg.Error as exc:
            self._rollback()
            raise explain(exc, self.url) from None
        try:
            yield self.conn
        except KeyboardInterrupt:
            self._rollback()
            raise Interrupted("Interrupted, nothing saved") from None
        except psycopg.Error as exc:
            self._rollback()
            raise explain(exc, self.url) from None
        except BaseException:
            self._rollback()
            raise
        try:
            self.conn.execute("COMMIT")
        except psycopg.Error as exc:
            self._rollback()
            raise explain(exc, self.url) from None
        if write:
            COMMITTED.append(self.url)

    def _rollback(self) -> None:
        with suppress(psycopg.Error):
            if self.conn.raw.info.transaction_status != psycopg.pq.TransactionStatus.IDLE:
                self.conn.execute("ROLLBACK")

    def close(self) -> None:
        with suppress(psycopg.Error):
            self.conn.raw.close()

    @contextmanager
    def work(
        self, write: bool, label: str | None, stamp: str, user: str | None = None
    ) -> Iterator[PostgresStore]:
        """One command's store, inside its one transaction. A write with a ``label``
        (the command as typed) is recorded, as ``user``'s, so that ``dossier undo`` can
        revert it."""
        from . import PostgresStore

        with self.transaction(write) as conn:
            store = PostgresStore(conn, self.url)
            if not (write and label is not None):
                yield store
                return
            from ..sql.undo import forget_if_empty
            from . import undo

            undo.record(conn, label, stamp, user)
            yield store
            forget_if_empty(conn)
            undo.stop(conn)

    def owners_to_settle(self, today: date) -> tuple[bool, bool]:
        """Whether some dossier has no owner yet, and whether a cover has reached its day
        (two index probes, as on SQLite)."""
        try:
            unowned = self.conn.execute("SELECT 1 FROM client WHERE owner IS NULL LIMIT 1")
            found = unowned.fetchone() is not None
            ended = self.conn.execute(
                "SELECT 1 FROM cover WHERE closed_at IS NULL AND until <= ? LIMIT 1",
                (today.isoformat(),),
            )
            return found, ended.fetchone() is not None
        except psycopg.Error as exc:
            self._rollback()
            raise explain(exc, self.url) from None

    def day_to_open(self, today: date) -> int | None:
        """The overdue count at the start of ``today`` when the day is not recorded yet
        (see the SQLite engine's); None when the day is known or anything fails."""
        day = today.isoformat()
        try:
            if self.conn.execute("SELECT 1 FROM day_open WHERE day = ?", (day,)).fetchone():
                return None
            row = self.conn.execute(
                "SELECT (SELECT count(*) FROM client WHERE due < ?)"
                " + (SELECT count(*) FROM client WHERE due_month < ?)",
                (day, f"{today:%Y-%m}"),
            ).fetchone()
        except psycopg.Error:
            return None
        return int(row[0])

    def open_day(self, today: date, overdue: int) -> None:
        """Record ``day_to_open``'s count after the command succeeded, in a small
        transaction of its own that never fails the command."""
        try:
            self.conn.execute(
                "INSERT INTO day_open (day, overdue) VALUES (?, ?) ON CONFLICT DO NOTHING",
                (today.isoformat(), overdue),
            )
        except psycopg.Error:
            self._rollback()

    def daily_backup(self, today: date) -> None:
        """The server keeps its own backups (pg_dump): nothing to copy before a write."""


def open_database(url: ServerUrl) -> Database:
    """Connect, refuse a database that is not dossier's or is newer, migrate an older."""
    try:
        raw = psycopg.connect(url.url, autocommit=True, connect_timeout=10)
    except psycopg.Error as exc:
        raise explain(exc, url) from None
    raw.adapters.register_loader("numeric", NumericLoader)
    conn = Connection(raw)
    try:
        # A command runs a handful of small queries. The planner's cost guesses for the
        # history's larger ones (stats for one owner) pass jit_above_cost, and compiling
        # them took 700 ms of an 1,100 ms query on the team bench folder: never worth it.
        raw.execute("SET jit = off")
        migrations.migrate(conn, url)
    except psycopg.Error as exc:
        raw.close()
        raise explain(exc, url) from None
    except BaseException:
        raw.close()
        raise
    return Database(url, conn)


def busy_ms() -> int:
    """How long a write waits for another command's lock: ``DOSSIER_BUSY_TIMEOUT_MS``."""
    import os

    value = os.environ.get("DOSSIER_BUSY_TIMEOUT_MS", "").strip()
    if value.isascii() and value.isdigit():
        return max(1, min(int(value), 3_600_000))
    return 5000


def _reason(exc: BaseException) -> str:
    """The driver's message as one short line (its first; never the password, which
    libpq does not repeat)."""
    lines = [line.strip() for line in str(exc).splitlines() if line.strip()]
    text = lines[0] if lines else type(exc).__name__
    # libpq's 'connection to server at "host" (addr), port N failed: reason'
    return text.split(" failed: ", 1)[-1]


def explain(exc: BaseException, url: ServerUrl) -> StorageError:
    """Turn the driver's or the server's error into one line that says what to do."""
    state = getattr(exc, "sqlstate", None) or ""
    text = str(exc)
    if isinstance(exc, pgerrors.LockNotAvailable) or state in ("55P03", "40P01"):
        return StorageError(
            "the database {path} is locked by another program or dossier command; "
            "nothing was changed, try again in a moment",
            path=url,
        )
    if state == "28P01" or "password authentication failed" in text or state == "28000":
        return StorageError(
            "the PostgreSQL server refused the login to {url} ({reason}); check the user "
            "and password (or ~/.pgpass); nothing was changed",
            url=url,
            reason=_reason(exc),
        )
    if state == "3D000" or ("database" in text and "does not exist" in text):
        return StorageError(
            "the PostgreSQL database {url} does not exist; create it first "
            "(createdb, see the README) and try again",
            url=url,
        )
    if state == "42501" or isinstance(exc, pgerrors.InsufficientPrivilege):
        return StorageError(
            "no permission on the PostgreSQL database {url} ({reason}); ask its owner "
            "to grant it; nothing was changed",
            url=url,
            reason=_reason(exc),
        )
    if state == "53100":
        return StorageError(
            "the disk is full: {path} could not be written, so nothing was changed; "
            "free some space and try again",
            path=url,
        )
    if isinstance(exc, psycopg.OperationalError) and not state:
        return StorageError(
            "cannot reach the PostgreSQL server of {url} ({reason}); check that it is "
            "running and the URL; nothing was changed",
            url=url,
            reason=_reason(exc),
        )
    return StorageError(
        "database error in {path}: {reason}; nothing was changed", path=url, reason=_reason(exc)
    )
