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
    client: Client,
    changes: int,
    emptied: bool,
    backups: list[Path],
    path: object,
    server: bool = False,
) -> list[str]:
    """The result, the dropped undo steps, the journal left, the backups; and, last, that
    it cannot be undone. On a ``server`` (``path`` its URL) what is true there: the rows
    are gone for every reader, the space is marked for reuse, the server's own files,
    log and backups are its administrator's."""
    if server:
        return _forgotten_on_server(client, changes, emptied, backups)
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
    lines += _changes(changes)
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


def _changes(changes: int) -> list[str]:
    if not changes:
        return []
    return [
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
    ]


def _forgotten_on_server(
    client: Client, changes: int, vacuumed: bool, backups: list[Path]
) -> list[str]:
    lines = [
        words(
            note(
                "Forgot #{id} {name}: its card, history, search index and undo records are "
                "gone from the server's database, for every user",
                id=client.id,
                name=clean(client.name),
            )
        ),
        *_changes(changes),
        words(
            note("The space they took is marked for reuse (VACUUM)")
            if vacuumed
            else note(
                "Only the owner of the tables may VACUUM them: the server's autovacuum "
                "marks the space they took for reuse later"
            )
        ),
        words(
            note(
                "The server may keep the old rows in its files and write-ahead log until "
                "they are overwritten, and in its own backups: ask its administrator if "
                "they must go too"
            )
        ),
    ]
    if backups:
        lines.append(
            words(
                Message(
                    "{count} dump of this database on this machine still holds it, until "
                    "you delete it:",
                    {"count": len(backups)},
                    "note",
                    "{count} dumps of this database on this machine still hold it, until "
                    "you delete them:",
                )
            )
        )
        lines += [f"  {clean(str(backup))}" for backup in backups]
    lines.append(words(note("This cannot be undone.")))
    return lines
