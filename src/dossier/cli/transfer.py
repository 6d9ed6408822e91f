"""``import``: take in a folder handed over by a colleague (``export`` is in ``exporting``)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from ..app.clock import stamp
from ..domain.messages import Message
from ..ui.words import words
from .base import app, lazy, say, session

if TYPE_CHECKING:
    from ..app import transfer
else:
    transfer = lazy("dossier.app.transfer")


@app.command("import")
def import_(
    ctx: typer.Context,
    file: Annotated[Path, typer.Argument(metavar="FILE", help="A file from 'dossier export'.")],
) -> None:
    """Add the dossiers of an export as new clients, all in one transaction."""
    clients = transfer.read(file)
    with session(ctx, write=True) as unit:
        added, entries = transfer.import_(unit.store, clients, stamp(unit.today))
    # English says "history entries" for one as well; a language may say it otherwise.
    history = Message(
        "{count} history entries", {"count": entries}, "note", "{count} history entries"
    )
    say(
        words(
            Message(
                "Imported {count} client and {entries}",
                {"count": added, "entries": history},
                "note",
                "Imported {count} clients and {entries}",
            )
        )
    )
