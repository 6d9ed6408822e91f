"""Error types that carry their exit code.

Library code raises these and never exits; the CLI has one handler that prints the
message as a single line on stderr and exits with the code. Exit code 2 is for usage
mistakes (a bad flag value, an unreadable date), 1 for everything else, 130 for Ctrl-C.
"""

from __future__ import annotations

from typing import Any

from .messages import Message


class DossierError(Exception):
    """A problem the user can act on, as a message (``domain.messages``): its id (the
    English template) and parameters. ``ui.words`` says it in the run's language;
    ``str(err)`` is its English words."""

    exit_code = 1

    def __init__(self, id: str, /, *, plural: str | None = None, **params: Any) -> None:
        self.message = Message(id, params, "error", plural)
        super().__init__(id)

    def __str__(self) -> str:
        return str(self.message)


class UsageError(DossierError):
    """The command line itself is wrong: a bad flag value, date or time."""

    exit_code = 2


class DateError(UsageError):
    """A date expression that cannot be read, is impossible, or lies in the past."""


class ClientNotFound(DossierError):
    """No client matches what was typed."""


class AmbiguousClient(DossierError):
    """Several clients match; the message lists them with their ids."""


class StorageError(DossierError):
    """The database cannot be opened, read or written (locked, corrupt, newer, …)."""


class Interrupted(DossierError):
    """Ctrl-C during a command; the transaction was rolled back."""

    exit_code = 130
