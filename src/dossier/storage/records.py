"""What the safety commands get back from an engine: findings, changes, copies.

Plain values, apart from ``base`` (the ``Store`` protocol is for type checking only and
costs milliseconds to create at start-up).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ..domain.messages import Message


@dataclass(frozen=True)
class Finding:
    """One line of ``dossier check``: a rule, whether it holds, and what was found, as
    messages (a view says them with ``ui.words``). A rule that is only a ``warning``
    (a required field left empty) does not fail the check when broken."""

    rule: Message
    ok: bool
    found: Message
    warning: bool = False


@dataclass(frozen=True)
class Change:
    """One command that changed data, as ``dossier undo --list`` shows it."""

    id: int
    at: str
    command: str
    steps: int
    user: str | None = None  # whose change (None: recorded before changes had users)


@dataclass(frozen=True)
class Backup:
    """A copy kept next to the database."""

    path: Path
    kind: str  # daily, manual, before-migration, before-restore, incomplete
    size: int
    modified: float
