"""The current user: whose dossiers a command shows and plans, and whose change it is.

The first of: ``--user NAME``, ``$DOSSIER_USER``, the ``user`` setting, the login name.
Resolved only when a command needs it (the settings file is read then, not before).
"""

from __future__ import annotations

import os
from collections.abc import Mapping

from ..domain.errors import UsageError
from ..domain.owners import user_name

FALLBACK = "me"  # a process with no login name at all (a bare container)


def checked_user(text: str, source: str) -> str:
    """``text`` as a user name, or a usage error naming where it came from."""
    name = user_name(text)
    if name is None:
        raise UsageError(
            "{source}: {value!r} is not a user name; use letters, digits and . _ - @ "
            "(up to 64 characters)",
            source=source,
            value=text,
        )
    return name


def current_user(explicit: str | None, environ: Mapping[str, str] = os.environ) -> str:
    """The user this command runs as (see the module's docstring)."""
    if explicit is not None:
        return checked_user(explicit, "--user")
    if environ.get("DOSSIER_USER", "").strip():
        return checked_user(environ["DOSSIER_USER"], "DOSSIER_USER")
    from .config import load

    configured = load(environ).user
    if configured:
        return configured
    return login_name(environ)


def login_name(environ: Mapping[str, str] = os.environ) -> str:
    """The login name (``getpass``'s order: LOGNAME, USER, LNAME, USERNAME, then the
    password database), as a user name; ``me`` when there is none that fits."""
    import getpass

    try:
        found = getpass.getuser()
    except (OSError, KeyError, ImportError):
        return FALLBACK
    return user_name(found) or FALLBACK
