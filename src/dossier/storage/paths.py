"""Where the database lives.

Resolved at use time, never at import: ``--db PATH`` wins, then ``DOSSIER_DB``, then
``dossier.db`` in the platform's user data directory (``~/.local/share/dossier`` on
Linux). Nothing here creates a folder at import or when a path is resolved; the helpers
below create private folders and files when a command writes one.
"""

from __future__ import annotations

import os
import re
import sys
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ..domain.errors import DossierError
    from ..domain.messages import Message

# Where Linux keeps a user's files of each kind (the XDG base directories), as
# platformdirs says: its import and the modules it pulls in cost about 5 ms, on every run
# that reads the settings. Elsewhere platformdirs answers; a test checks the two agree.
_XDG = {
    "config": ("XDG_CONFIG_HOME", "~/.config"),
    "data": ("XDG_DATA_HOME", "~/.local/share"),
    "cache": ("XDG_CACHE_HOME", "~/.cache"),
}


def user_dir(kind: str) -> Path:
    """dossier's folder of the user's ``config``, ``data`` or ``cache`` files."""
    if sys.platform.startswith("linux"):
        variable, default = _XDG[kind]
        base = os.environ.get(variable, "").strip() or os.path.expanduser(default)
        return Path(base) / "dossier"
    import platformdirs

    find = {
        "config": platformdirs.user_config_path,
        "data": platformdirs.user_data_path,
        "cache": platformdirs.user_cache_path,
    }[kind]
    return find("dossier", appauthor=False)


def default_db_path() -> Path:
    return user_dir("data") / "dossier.db"


@dataclass(frozen=True)
class ServerUrl:
    """A PostgreSQL database named by a URL (``postgresql://user@host:port/dbname``),
    given as ``--db`` or ``DOSSIER_DB`` instead of a file. Printed, it never shows the
    password: every message that names the database says ``str(url)``."""

    url: str

    def __str__(self) -> str:
        return without_password(self.url)


def without_password(url: str) -> str:
    """``url`` with any password taken out (``user:secret@`` and ``password=``).

    >>> without_password("postgresql://anna:s3cret@db.example:5432/team?password=x&sslmode=require")
    'postgresql://anna@db.example:5432/team?sslmode=require'
    """
    shown = re.sub(r"^([a-z]+://[^:/@?]*):[^@/?]*@", r"\1@", url)
    shown = re.sub(r"(?i)([?&])password=[^&]*(&|$)", r"\1", shown)
    return shown.rstrip("?&")


def server_url(text: str | Path) -> ServerUrl | None:
    """``text`` as a PostgreSQL URL when it is one (``postgresql://…``, ``postgres://…``,
    or ``postgresql:`` alone / ``postgresql:?service=NAME`` for libpq's ``PG*``
    environment and service file), else None: a file path."""
    if isinstance(text, Path):
        return None
    given = text.strip()
    for scheme in ("postgresql:", "postgres:"):
        if given.lower().startswith(scheme):
            rest = given[len(scheme) :]
            return ServerUrl("postgresql:" + (rest if rest.startswith("//") else "//" + rest))
    return None


# Where the folder is kept: a database file, or a database on a PostgreSQL server.
Location = Path | ServerUrl


def resolve_db_path(
    option: str | Path | None, environ: Mapping[str, str] = os.environ
) -> Path | ServerUrl:
    """The database to use, by the documented precedence: a file, or a server's URL."""
    given = option or environ.get("DOSSIER_DB") or None
    if given is None:
        return default_db_path()
    return server_url(given) or Path(given).expanduser()


def create_private(path: Path) -> int:
    """Create a new file only its owner can read (backups and exports hold client data);
    refuse to overwrite an existing one. Returns the open descriptor."""
    import os

    from ..domain.errors import DossierError

    try:
        return os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
    except FileExistsError:
        raise DossierError("{path} already exists; give another file name", path=path) from None
    except OSError as exc:
        raise DossierError(
            "cannot write {path}: {reason}", path=path, reason=exc.strerror
        ) from None


def private_dir(path: Path) -> None:
    """Create ``path`` and any missing parent folders, each private to the user (0700).

    ``mkdir(mode=…, parents=True)`` is not enough: the mode is masked by the umask and the
    parents get the default mode, so under ``umask 000`` they would be 0777. Each folder
    this creates is chmod-ed explicitly; folders that already exist are left as they are.
    """
    missing = [level for level in [path, *path.parents] if not level.is_dir()]
    for level in reversed(missing):
        try:
            level.mkdir(mode=0o700)  # never wider than 0700, even before the chmod
        except FileExistsError:
            if not level.is_dir():
                raise
            continue
        os.chmod(level, 0o700)


def publish(partial: Path, target: Path) -> None:
    """Give a finished file its name, never over an existing one, and make the name
    itself durable (the folder is flushed too). Raises FileExistsError if it is taken."""
    try:
        os.link(partial, target)
    except FileExistsError:
        raise
    except OSError:
        if target.exists():
            raise FileExistsError(target) from None
        os.replace(partial, target)  # a file system without hard links
    else:
        partial.unlink()
    fsync(target.parent)


def fsync(path: Path) -> None:
    """Flush a file, or a folder's entries, to the disk (a folder may refuse: fine)."""
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    except OSError:
        if not path.is_dir():
            raise
    finally:
        os.close(fd)


PARTIAL = ".part"  # a copy being written: never listed, never restored


def start_private_copy(target: Path, taken: type[DossierError] | None = None) -> tuple[Path, int]:
    """Begin a backup at ``target``, whatever the engine: its folder made private, a taken
    name refused (with ``taken``, else a plain one-line error), and the empty private file
    it is written under until complete created. Returns that file's path and an open
    descriptor to it; one line when the folder cannot be made or written."""
    from ..domain.errors import DossierError

    try:
        private_dir(target.parent)
    except OSError as exc:
        raise DossierError(
            "cannot write {path}: {reason}", path=target, reason=why_not_written(exc, target.parent)
        ) from None
    if target.exists() or target.is_symlink():
        raise (taken or DossierError)("{path} already exists; give another file name", path=target)
    partial = target.with_name(f".{target.name}.{os.getpid()}{PARTIAL}")
    try:
        partial.unlink(missing_ok=True)  # left by a killed run of this same process id
        return partial, os.open(partial, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
    except OSError as exc:
        raise DossierError(
            "cannot write {path}: {reason}", path=target, reason=why_not_written(exc, target.parent)
        ) from None


def backup_header(path: Path, size: int) -> bytes:
    """The first ``size`` bytes of the backup ``path`` given to ``restore``, whatever the
    engine (each then tells its own backups from the other's); one line when there is no
    such file, or it is not a file, or it cannot be read."""
    from ..domain.errors import DossierError

    if not path.exists():
        raise DossierError("{path} does not exist; 'dossier backups' lists the backups", path=path)
    if not path.is_file():
        raise DossierError("{path} is not a file", path=path)
    try:
        with path.open("rb") as handle:
            return handle.read(size)
    except OSError as exc:
        raise DossierError("cannot read {path}: {reason}", path=path, reason=exc.strerror) from None


def why_not_written(exc: OSError, folder: Path) -> Message | str:
    """Why a file could not be written in ``folder``: a file in the way of a folder is
    named as such, else the system's reason."""
    from ..domain.messages import note

    if isinstance(exc, NotADirectoryError | FileExistsError):
        return note("{path} is a file, not a folder", path=_first_file(folder))
    return exc.strerror or str(exc)


def _first_file(path: Path) -> Path:
    for level in reversed([path, *path.parents]):
        if level.exists() and not level.is_dir():
            return level
    return path
