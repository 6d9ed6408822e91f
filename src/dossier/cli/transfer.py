"""``export``: hand the whole folder, with every history, to a colleague (``import`` is in
``cli.importing``)."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from ..app.clock import stamp
from ..domain.messages import note
from ..ui.words import words
from .base import app, lazy, say, session

if TYPE_CHECKING:
    from ..app import transfer
else:
    transfer = lazy("dossier.app.transfer")


@app.command()
def export(
    ctx: typer.Context,
    output: Annotated[
        Path | None,
        typer.Option("--output", "-o", metavar="FILE", help="Write here (default: stdout)."),
    ] = None,
) -> None:
    """Every dossier with its card, place and whole history, as one JSON document."""
    from ..domain.text import encodes_everything

    with session(ctx, write=False) as unit:
        if output is None:
            # Lossless on any stdout: where the stream cannot encode every character
            # (an ASCII locale, a cp1252 console) they are written as \uXXXX escapes,
            # so the stream's '?' replacement never touches the data.
            ascii_only = not encodes_everything(sys.stdout.encoding)
            for chunk in transfer.export(unit.store, stamp(unit.today), ascii_only=ascii_only):
                sys.stdout.write(chunk)
            return
        # A file is always UTF-8, written whole or not at all (never a truncated export).
        transfer.write_file(output, transfer.export(unit.store, stamp(unit.today)))
    say(words(note("Exported to {path}", path=output)))
