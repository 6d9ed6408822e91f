"""``dossier restore`` on a PostgreSQL server: a pg_dump of a dossier database brought
back into the same database, in one transaction, without losing what it held.

The rules, as on a file:
- the dump is checked first: a pg_dump archive (not a SQLite file, not another
  program's database) holding dossier's ``migration`` table with steps this dossier
  knows; a newer or foreign one is refused, nothing changed;
- while it runs, the restore holds the advisory lock every dossier writer takes
  (``db.LOCK_KEY``) on a session of its own: no command writes between the copy of the
  current database and the switch; a writer waits, then says "locked, try again";
- the current database is kept first (a ``before-restore`` dump);
- dossier's own tables and functions are dropped and the dump loaded by ``psql`` in ONE
  transaction (``--single-transaction``, stop at the first error): if anything fails,
  or the dump cannot be read to its end (``pg_restore`` fails, and ``psql`` is stopped
  before it commits), the database is as it was. Only dossier's objects are dropped:
  another program's table in the same database is left alone. The undo history starts
  again (as on a file: undo must not revert the backup's last change);
- an older dump is migrated when the database is next opened (the CLI does it at once).
"""

from __future__ import annotations

import re
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import suppress
from pathlib import Path
from typing import IO, TYPE_CHECKING

from ...domain.errors import DossierError
from ..paths import backup_header
from . import backups
from .migrations import LATEST, STEPS

if TYPE_CHECKING:
    from ..paths import ServerUrl
    from .db import Database

# Every table dossier's steps create: the only ones a restore drops.
TABLES = sorted({found for _, sql in STEPS for found in re.findall(r"CREATE TABLE (\w+)", sql)})


def verify(source: Path) -> int:
    """Check that ``source`` is a pg_dump of a dossier database this dossier can bring
    back; return its schema version."""
    _readable(source)
    listed = _archive(["--list", str(source)], source)
    if not re.search(r"\bTABLE \S+ client\b", listed) or not re.search(
        r"\bTABLE DATA \S+ migration\b", listed
    ):
        raise DossierError(
            "{path} is not a dump of a dossier database; choose one of 'dossier backups'",
            path=source,
        )
    data = _archive(["--data-only", "--table=migration", "--file=-", str(source)], source)
    columns, rows = backups.copied(data, "migration")
    steps: dict[int, str] = {}
    if "version" in columns and "name" in columns:
        at_version, at_name = columns.index("version"), columns.index("name")
        for row in rows:
            number = row[at_version] if len(row) == len(columns) else None
            if number is not None and number.isdigit():
                steps[int(number)] = str(row[at_name])
    version = max(steps, default=0)
    for step in range(1, min(version, LATEST) + 1):
        if steps.get(step) != STEPS[step - 1][0]:
            raise DossierError(
                "{path} is not a dump of a dossier database; choose one of 'dossier backups'",
                path=source,
            )
    if version > LATEST:
        raise DossierError(
            "{path} was written by a newer dossier (schema {version})", path=source, version=version
        )
    if version == 0:
        raise DossierError(
            "{path} is not a dump of a dossier database; choose one of 'dossier backups'",
            path=source,
        )
    return version


def _archive(args: list[str], source: Path) -> str:
    """What pg_restore reads in the archive ``source`` (no server needed)."""
    try:
        return backups.run("pg_restore", args, None).decode("utf-8", "replace")
    except backups.ProgramFailed as exc:
        raise DossierError(
            "{path} cannot be restored ({reason}); the database was not changed",
            path=source,
            reason=exc.reason,
        ) from None


def restore(opened: Database, source: Path) -> Path:
    """Bring ``source`` back into the open database; returns where the replaced one was
    kept."""
    import psycopg

    from .db import LOCK_KEY, busy_ms, explain

    conn, url = opened.conn, opened.url
    try:
        conn.execute(f"SET lock_timeout = {busy_ms()}")
        conn.execute(f"SELECT pg_advisory_lock({LOCK_KEY})")  # the writers' lock, till the end
        try:
            kept = backups.make(url, backups.identity_of(conn.raw), "before-restore")
            _load(url, source, _drops(opened), dump_schema(source))
        finally:
            conn.execute(f"SELECT pg_advisory_unlock({LOCK_KEY})")
            conn.execute("RESET lock_timeout")
    except psycopg.Error as exc:
        raise explain(exc, url) from None
    return kept


def _drops(opened: Database) -> str:
    """The statement that drops dossier's objects now in the database."""
    conn = opened.conn
    tables = [
        name
        for (name,) in conn.execute(
            "SELECT tablename FROM pg_tables WHERE schemaname = current_schema()"
        ).fetchall()
        if name in TABLES
    ]
    functions = [
        str(name)
        for (name,) in conn.execute(
            "SELECT CAST(p.oid AS regprocedure) FROM pg_proc p"
            " WHERE p.pronamespace = CAST(current_schema() AS regnamespace)"
            " AND p.proname LIKE 'dossier\\_%'"
        ).fetchall()
    ]
    statements = []
    if tables:
        listed = ", ".join(_name(table) for table in tables)
        statements.append(f"DROP TABLE IF EXISTS {listed} CASCADE")
    if functions:  # regprocedure prints a quoted, qualified-when-needed signature
        statements.append("DROP FUNCTION IF EXISTS " + ", ".join(functions) + " CASCADE")
    return ";\n".join(statements) + ";" if statements else ""


def _load(url: ServerUrl, source: Path, drops: str, schema: str) -> None:
    """``pg_restore`` writes the dump as SQL, ``psql`` runs it after ``drops`` in one
    transaction; the transaction commits only if the whole dump was read."""
    from .db import busy_ms

    env, extra = backups.environment(url)
    reader_command = [
        backups.program("pg_restore"),
        "--no-owner",
        "--no-privileges",
        "--no-comments",
        "--file=-",
        str(source),
    ]
    writer_command = [
        backups.program("psql"),
        "--no-password",
        "--no-psqlrc",
        "--quiet",
        "--set=ON_ERROR_STOP=1",
        "--single-transaction",
        f"--command=SET lock_timeout = {busy_ms()}; {drops}",
        "--file=-",
        "--command=DELETE FROM undo_step; DELETE FROM change;",
        *extra,
    ]
    with tempfile.TemporaryFile() as reader_err, tempfile.TemporaryFile() as writer_err:
        writer = subprocess.Popen(
            writer_command,
            env=env,
            stdin=subprocess.PIPE,
            stdout=subprocess.DEVNULL,
            stderr=writer_err,
        )
        committed = False
        try:
            reader = subprocess.Popen(
                reader_command,
                env=env,
                stdin=subprocess.DEVNULL,
                stdout=subprocess.PIPE,
                stderr=reader_err,
            )
            assert reader.stdout is not None and writer.stdin is not None
            broken = False
            with reader.stdout:
                for chunk in _script(reader.stdout, schema):
                    try:
                        writer.stdin.write(chunk)
                    except BrokenPipeError:  # psql stopped at an error: it rolled back
                        broken = True
                        break
            if broken:
                reader.kill()
            if reader.wait() != 0 and not broken:
                # The dump could not be read to its end: psql must not commit what it
                # got. Stopped before its input ends, it never sends the COMMIT.
                writer.kill()
                writer.wait()
                reader_err.seek(0)
                raise DossierError(
                    "{path} cannot be restored ({reason}); the database was not changed",
                    path=source,
                    reason=backups.condensed("pg_restore", reader_err.read()),
                )
            with suppress(BrokenPipeError):
                writer.stdin.close()
            code = writer.wait()
            committed = code == 0
            if not committed:
                writer_err.seek(0)
                raise DossierError(
                    "{path} cannot be restored ({reason}); the database was not changed",
                    path=source,
                    reason=backups.condensed("psql", writer_err.read()),
                )
        finally:
            if writer.poll() is None and not committed:
                writer.kill()
                writer.wait()


# pg_dump empties the search path for the whole script; dossier's SQL functions (the
# accent folding that the generated search columns call while the rows are loaded) name
# each other without their schema, so the load runs with the dump's schema on the path.
EMPTY_PATH = b"SELECT pg_catalog.set_config('search_path', '', false);"


def _script(stream: IO[bytes], schema: str) -> Iterator[bytes]:
    """pg_restore's SQL with the dump's schema on the search path (set in its header)."""
    for _ in range(200):
        line = stream.readline()
        if not line:
            return
        if line.strip() == EMPTY_PATH:
            yield f"SELECT pg_catalog.set_config('search_path', '{schema}', false);\n".encode()
            break
        yield line
    yield from iter(lambda: stream.read(1 << 16), b"")


def dump_schema(source: Path) -> str:
    """The schema of the dump's ``client`` table (``public`` unless the team chose another)."""
    listed = _archive(["--list", str(source)], source)
    found = re.search(r"\bTABLE (\w+) client\b", listed)
    return found.group(1) if found else "public"


def _readable(path: Path) -> None:
    header = backup_header(path, len(backups.SQLITE))
    if header.startswith(backups.SQLITE):
        raise DossierError(
            "{path} is a backup of a SQLite file, and this database is on a PostgreSQL "
            "server: restore a dump of it (.dump, 'dossier backups' lists them), or give "
            "--db the file to restore into",
            path=path,
        )
    if not header.startswith(backups.MAGIC):
        raise DossierError(
            "{path} is not a dossier backup of a server's database (not a pg_dump archive)",
            path=path,
        )


def _name(value: str) -> str:
    return '"' + value.replace('"', '""') + '"'
