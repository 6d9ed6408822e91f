"""What ``forget`` asks and says: the question, the result, the backups that still hold
the client. Sentences only; the CLI prints them."""

from __future__ import annotations

from pathlib import Path

from ..domain.messages import Message, note, warning
from ..domain.records import Client
from ..domain.text import clean
from .words import words


def question(client: Client, entries: int) -> str:
    if not entries:
        return words(
            note(
                "Forget #{id} {name} (no history) for good? This cannot be undone, not even "
                "with 'dossier undo'",
                id=client.id,
                name=clean(client.name),
            )
        )
    return words(
        Message(
            "Forget #{id} {name} and {count} history entry for good? This cannot be "
            "undone, not even with 'dossier undo'",
            {"id": client.id, "name": clean(client.name), "count": entries},
            "note",
            "Forget #{id} {name} and {count} history entries for good? This cannot be "
            "undone, not even with 'dossier undo'",
        )
    )


def forgotten_lines(
    client: Client, changes: int, emptied: bool, backups: list[Path], path: Path
) -> list[str]:
    """The result, the dropped undo steps, the journal left, the backups; and, last, that
    it cannot be undone."""
    lines = [
        words(
            note(
                "Forgot #{id} {name}: its card, history, search index and undo records are "
                "gone, and the space they took in the database file is reclaimed",
                id=client.id,
                name=clean(client.name),
            )
        )
    ]
    if changes:
        lines.append(
            words(
                Message(
                    "{count} earlier change touched it: what it did to this client is "
                    "gone from the undo history and cannot be brought back",
                    {"count": changes},
                    "note",
                    "{count} earlier changes touched it: what they did to this client is "
                    "gone from the undo history and cannot be brought back",
                )
            )
        )
    if not emptied:
        lines.append(
            words(
                warning(
                    "another program has {path} open: its journal ({path}-wal) may hold "
                    "the client's text until that program closes the database",
                    path=path,
                )
            )
        )
    if backups:
        lines.append(
            words(
                Message(
                    "{count} backup still holds it, until it ages out (daily copies are "
                    "kept 7 days) or you delete it:",
                    {"count": len(backups)},
                    "note",
                    "{count} backups still hold it, until they age out (daily copies are "
                    "kept 7 days) or you delete them:",
                )
            )
        )
        lines += [f"  {clean(str(backup))}" for backup in backups]
    lines.append(words(note("This cannot be undone.")))
    return lines
