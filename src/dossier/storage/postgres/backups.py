"""Backups of a database on a PostgreSQL server: ``pg_dump`` in its custom format, kept
on the machine that runs dossier.

A server has no folder beside a file, so its dumps live in the user's data folder
(``~/.local/share/dossier/server-backups/`` on Linux), one private folder per server
database, named from its host, port and name as the connection reached them (never the
password). Folders are 0700, files 0600; a dump is written under a temporary name and
given its own only once complete and on the disk, as the SQLite engine's copies.

``pg_dump``, ``pg_restore`` and ``psql`` (Debian: ``postgresql-client``) are found on
the PATH and given the connection's parameters through the environment (``PGHOST``,
``PGPASSWORD``, …): a password never appears on a command line or in a message. What
they write on stderr becomes one line.

There is no daily automatic dump on a server: its administrator keeps the team's
backups; ``dossier backup`` makes one on demand.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import time
from collections.abc import Sequence
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

import psycopg  # here, not in a function: a missing driver is told by ``storage.server_module``
from psycopg.conninfo import conninfo_to_dict, make_conninfo

from ...domain.errors import DossierError, StorageError
from ..paths import publish, start_private_copy, user_dir
from ..records import Backup

if TYPE_CHECKING:
    from ..paths import ServerUrl

MAGIC = b"PGDMP"  # how every pg_dump custom-format archive starts
SQLITE = b"SQLite format 3\x00"
KINDS = ("manual", "before-restore", "before-migration", "daily")

# libpq's connection keywords and the environment variables that carry them.
ENVIRONMENT = {
    "host": "PGHOST",
    "hostaddr": "PGHOSTADDR",
    "port": "PGPORT",
    "dbname": "PGDATABASE",
    "user": "PGUSER",
    "password": "PGPASSWORD",
    "passfile": "PGPASSFILE",
    "service": "PGSERVICE",
    "servicefile": "PGSERVICEFILE",
    "options": "PGOPTIONS",
    "application_name": "PGAPPNAME",
    "sslmode": "PGSSLMODE",
    "sslcert": "PGSSLCERT",
    "sslkey": "PGSSLKEY",
    "sslrootcert": "PGSSLROOTCERT",
    "sslcrl": "PGSSLCRL",
    "sslcrldir": "PGSSLCRLDIR",
    "sslsni": "PGSSLSNI",
    "requirepeer": "PGREQUIREPEER",
    "ssl_min_protocol_version": "PGSSLMINPROTOCOLVERSION",
    "ssl_max_protocol_version": "PGSSLMAXPROTOCOLVERSION",
    "gssencmode": "PGGSSENCMODE",
    "krbsrvname": "PGKRBSRVNAME",
    "gsslib": "PGGSSLIB",
    "connect_timeout": "PGCONNECT_TIMEOUT",
    "client_encoding": "PGCLIENTENCODING",
    "target_session_attrs": "PGTARGETSESSIONATTRS",
    "load_balance_hosts": "PGLOADBALANCEHOSTS",
    "require_auth": "PGREQUIREAUTH",
}


# --- the connection, for the client programs ----------------------------------------


def environment(url: ServerUrl) -> tuple[dict[str, str], list[str]]:
    """The environment that makes libpq's programs reach ``url``, and the arguments for
    the keywords no variable carries (``--dbname`` with a conninfo, never the password)."""
    try:
        params = conninfo_to_dict(url.url)
    except Exception as exc:  # psycopg.ProgrammingError: an URL libpq cannot read
        raise StorageError(
            "cannot read the PostgreSQL URL {url} ({reason})", url=url, reason=_first(str(exc))
        ) from None
    env = dict(os.environ)
    rest: dict[str, Any] = {}
    for key, value in params.items():
        if value is None:
            continue
        if key in ENVIRONMENT:
            env[ENVIRONMENT[key]] = str(value)
        else:
            rest[key] = value
    return env, ([f"--dbname={make_conninfo(**rest)}"] if rest else [])


def program(name: str) -> str:
    """The path of one of PostgreSQL's client programs, or one line saying what to install."""
    found = shutil.which(name)
    if found is None:
        raise DossierError(
            "{program} was not found on the PATH; install PostgreSQL's client programs "
            "(Debian, Ubuntu: apt install postgresql-client) to back up or restore a "
            "server's database",
            program=name,
        )
    return found


def condensed(name: str, stderr: bytes) -> str:
    """A client program's complaint as one line (its first error, without the prefix)."""
    lines = [line.strip() for line in stderr.decode("utf-8", "replace").splitlines()]
    lines = [line for line in lines if line]
    errors = [line for line in lines if "error:" in line or "FATAL" in line or "ERROR" in line]
    text = (errors or lines or [f"{name} failed"])[0]
    text = re.sub(rf"^{name}:(<stdin>:\d+: |[^:]*:\d+: )?", "", text).strip()
    text = re.sub(r"^(error|ERROR|FATAL):\s+", "", text)
    return text.split(" failed: ", 1)[-1].strip()[:300]


def version_mismatch(stderr: bytes) -> DossierError | None:
    """pg_dump refuses a server newer than itself: say both versions."""
    text = stderr.decode("utf-8", "replace")
    found = re.search(r"server version: ([^;\s]+);\s*pg_dump version: ([^\s]+)", text)
    if found is None:
        return None
    server, client = found.groups()
    return DossierError(
        "pg_dump {client} is older than the server (PostgreSQL {server}) and cannot dump "
        "it; install the client programs of version {major} or newer",
        client=client,
        server=server,
        major=server.split(".")[0],
    )


def run(
    name: str, args: Sequence[str], url: ServerUrl | None, stdout: IO[bytes] | int | None = None
) -> bytes:
    """Run a client program on ``url`` (None: it reads only a file); its stdout goes to
    ``stdout`` (None: returned)."""
    env, extra = environment(url) if url is not None else (dict(os.environ), [])
    command = [program(name), "--no-password", *args, *extra]
    try:
        done = subprocess.run(
            command,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE if stdout is None else stdout,
            stderr=subprocess.PIPE,
            check=False,
        )
    except OSError as exc:
        raise DossierError(
            "cannot run {program}: {reason}", program=name, reason=exc.strerror
        ) from None
    if done.returncode != 0:
        raise version_mismatch(done.stderr) or ProgramFailed(
            "{program} failed: {reason}; nothing was changed",
            program=name,
            reason=condensed(name, done.stderr),
        )
    return done.stdout or b""


class ProgramFailed(DossierError):
    """A client program ended with an error (``reason``: its complaint, one line)."""

    @property
    def reason(self) -> str:
        return str(self.message.params.get("reason", ""))


# --- where the dumps of a server database live -----------------------------------


def folder_name(host: str, port: str | int, dbname: str) -> str:
    """A readable, file-system-safe name for one server database.

    >>> folder_name("/var/run/postgresql", 5432, "team")
    'var_run_postgresql-5432-team'
    >>> folder_name("db.example.com", "5433", "sales/ü")
    'db.example.com-5433-sales_u'
    """
    import unicodedata

    def safe(text: str) -> str:
        ascii_text = unicodedata.normalize("NFKD", str(text)).encode("ascii", "ignore").decode()
        return re.sub(r"[^A-Za-z0-9._]+", "_", ascii_text).strip("._") or "_"

    return f"{safe(host)}-{safe(str(port))}-{safe(dbname)}"[:120]


def folder_for(identity: tuple[str, str, str]) -> Path:
    return user_dir("data") / "server-backups" / folder_name(*identity)


def identity_of(raw: Any) -> tuple[str, str, str]:
    """(host, port, database) as an open psycopg connection reached them."""
    info = raw.info
    return str(info.host or "localhost"), str(info.port), str(info.dbname)


def identity(url: ServerUrl) -> tuple[str, str, str]:
    """(host, port, database) of ``url``, from a short connection (libpq resolves the
    service file, the ``PG*`` environment and its defaults)."""

    from .db import explain

    try:
        with psycopg.connect(url.url, autocommit=True, connect_timeout=10) as raw:
            return identity_of(raw)
    except psycopg.Error as exc:
        raise explain(exc, url) from None


# --- making a dump --------------------------------------------------------------


def dump(url: ServerUrl, target: Path) -> Path:
    """A pg_dump of ``url`` at ``target`` (which must not exist), private, and given its
    name only once it is complete and on the disk."""
    partial, descriptor = start_private_copy(target)
    handle = os.fdopen(descriptor, "wb")
    try:
        with handle:
            run("pg_dump", ["--format=custom"], url, stdout=handle)
            handle.flush()
            os.fsync(handle.fileno())
        try:
            publish(partial, target)
        except FileExistsError:
            raise DossierError(
                "{path} already exists; give another file name", path=target
            ) from None
    finally:
        partial.unlink(missing_ok=True)
    return target


def make(url: ServerUrl, identity: tuple[str, str, str], kind: str) -> Path:
    """A dump in the database's backups folder, named by its database, time and kind."""
    folder = folder_for(identity)
    stamp = time.strftime("%Y%m%d-%H%M%S")
    base = folder_name("", "", identity[2]).strip("-_") or "dossier"
    counter = 1
    while True:
        suffix = "" if counter == 1 else f"-{counter}"
        target = folder / f"{base}-{stamp}-{kind}{suffix}.dump"
        if not (target.exists() or target.is_symlink()):
            return dump(url, target)
        counter += 1


def complete(path: Path) -> bool:
    try:
        with path.open("rb") as handle:
            return handle.read(len(MAGIC)) == MAGIC
    except OSError:
        return False


def listing_in(folder: Path) -> list[Backup]:
    if not folder.is_dir():
        return []
    found = []
    for path in folder.glob("*.dump"):
        try:
            stat = path.stat()
        except OSError:
            continue
        named = re.search(r"-\d{8}-\d{6}-([a-z-]+?)(-\d+)?\.dump$", path.name)
        kind = named.group(1) if named and named.group(1) in KINDS else "other"
        kind = kind if complete(path) else "incomplete"
        found.append(Backup(path, kind, stat.st_size, stat.st_mtime))
    return sorted(found, key=lambda b: b.modified, reverse=True)


def listing(url: ServerUrl) -> list[Backup]:
    """This machine's dumps of the database at ``url``, newest first."""
    return listing_in(folder_for(identity(url)))


def _first(text: str) -> str:
    return next((line.strip() for line in text.splitlines() if line.strip()), text)


# --- reading a dump's rows ------------------------------------------------------

_COPY = re.compile(r"^COPY (?:\S+\.)?\"?(\w+)\"? \(([^)]*)\) FROM stdin;$")
_ESCAPES = {"b": "\b", "f": "\f", "n": "\n", "r": "\r", "t": "\t", "v": "\v", "\\": "\\"}


def copied(data: str, table: str) -> tuple[list[str], list[list[str | None]]]:
    """The columns and rows of ``table`` in pg_restore's SQL (COPY's text format)."""
    columns: list[str] = []
    rows: list[list[str | None]] = []
    inside = False
    for line in data.split("\n"):
        if not inside:
            header = _COPY.match(line)
            if header and header.group(1) == table:
                columns = [c.strip().strip('"') for c in header.group(2).split(",")]
                inside = True
            continue
        if line == "\\.":
            break
        rows.append([_unescape(field) for field in line.split("\t")])
    return columns, rows


def _unescape(field: str) -> str | None:
    r"""A value of COPY's text format (``\N`` is NULL).

    >>> _unescape(r"Anna\tB\\\n")
    'Anna\tB\\\n'
    >>> _unescape(r"\101\x42") is None, _unescape(r"\N") is None
    (False, True)
    """
    if field == "\\N":
        return None
    if "\\" not in field:
        return field

    def one(found: re.Match[str]) -> str:
        text = found.group(1)
        if text[0] in "01234567":
            return chr(int(text, 8))
        if text[0] == "x":
            return chr(int(text[1:], 16))
        return _ESCAPES.get(text, text)

    return re.sub(r"\\([0-7]{1,3}|x[0-9A-Fa-f]{1,2}|.)", one, field)
