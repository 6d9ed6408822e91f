"""Where the database lives.

Resolved at use time, never at import: ``--db PATH`` wins, then ``DOSSIER_DB``, then
``dossier.db`` in the platform's user data directory (``~/.local/share/dossier`` on
Linux). Nothing here creates a folder; opening the database does.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path


def default_db_path() -> Path:
    from platformdirs import user_data_path

    return user_data_path("dossier", appauthor=False) / "dossier.db"


def resolve_db_path(option: str | Path | None, environ: Mapping[str, str] = os.environ) -> Path:
    """The database file to use, by the documented precedence."""
    if option:
        return Path(option).expanduser()
    if environ.get("DOSSIER_DB"):
        return Path(environ["DOSSIER_DB"]).expanduser()
    return default_db_path()


def create_private(path: Path) -> int:
    """Create a new file only its owner can read (backups and exports hold client data);
    refuse to overwrite an existing one. Returns the open descriptor."""
    import os

    from .errors import DossierError

    try:
        return os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
    except FileExistsError:
        raise DossierError(f"{path} already exists; give another file name") from None
    except OSError as exc:
        raise DossierError(f"cannot write {path}: {exc.strerror}") from None


def private_dir(path: Path) -> None:
    """Create ``path`` and any missing parent folders, each private to the user (0700).

    ``mkdir(mode=…, parents=True)`` is not enough: the mode is masked by the umask and the
    parents get the default mode, so under ``umask 000`` they would be 0777. Each folder
    this creates is chmod-ed explicitly; folders that already exist are left as they are.
    """
    import os

    missing = [level for level in [path, *path.parents] if not level.is_dir()]
    for level in reversed(missing):
        try:
            level.mkdir()
        except FileExistsError:
            if not level.is_dir():
                raise
            continue
        os.chmod(level, 0o700)
