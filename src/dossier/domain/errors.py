"""Error types that carry their exit code.

Library code raises these and never exits; the CLI has one handler that prints the
message as a single line on stderr and exits with the code. Exit code 2 is for usage
mistakes (a bad flag value, an unreadable date), 1 for everything else, 130 for Ctrl-C.
"""

from __future__ import annotations


class DossierError(Exception):
    """A problem the user can act on; ``str(err)`` is the whole message."""

    exit_code = 1


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
