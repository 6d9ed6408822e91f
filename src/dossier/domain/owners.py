"""Who works a dossier: the user names that owners, handoffs and undo are recorded under.

A user name is an identifier shared by a team, typed on many machines (``--user``,
``DOSSIER_USER``, the ``user`` setting, the login name): it is compared folded, so that
``Anna`` typed on one laptop and ``anna`` logged in on another are the same manager.
"""

from __future__ import annotations

import unicodedata

USER_PUNCTUATION = "._-@"
USER_MAX = 64


def user_name(text: str) -> str | None:
    """The user name ``text`` stands for (NFC, trimmed, case-folded), or None when it
    cannot be one: empty, longer than 64 characters, or with anything but letters,
    digits and ``. _ - @``."""
    name = unicodedata.normalize("NFC", text.strip()).casefold()
    if not name or len(name) > USER_MAX:
        return None
    if all(ch.isalnum() or ch in USER_PUNCTUATION for ch in name):
        return name
    return None
