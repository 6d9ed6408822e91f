"""Taking a dossier out of the folder: ``show --export`` writes the one to carry into a
meeting; ``forget`` removes a client for good (no undo, no trace left in the file)."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from ..domain.errors import DossierError, UsageError
from ..domain.messages import note
from ..ui.words import words
from .base import Client, app, confirm, lazy, say, say_all, session

if TYPE_CHECKING:
    from ..app import carry as service
else:
    service = lazy("dossier.app.carry")

FORMATS = (".html", ".md", ".txt", ".pdf")


def export_dossier(ctx: typer.Context, client: str, target: Path, force: bool) -> None:
    """``show CLIENT --export FILE``: the dossier in the format FILE's extension names,
    written private (0600), an existing file replaced only with ``--force``."""
    from ..app.files import refuse_existing, write_private

    suffix = target.suffix.lower()
    if suffix not in FORMATS:
        raise UsageError(
            "--export {path}: dossier writes {formats}; give a file name ending in one",
            path=target,
            formats=", ".join(FORMATS),
        )
    refuse_existing(target, force)  # before the work (a PDF takes a second)
    with session(ctx, write=False) as unit:
        card, history, defs = service.carry(unit.store, client)
        today = unit.today
        from dataclasses import replace

        from ..app.owners import worth_saying

        if not worth_saying(unit, card.owner):  # as 'show' says it
            card = replace(card, owner=None)
    if suffix == ".txt":
        from ..ui.plain import show_plain

        data = (show_plain(card, history) + "\n").encode("utf-8")
    else:
        from ..ui import document

        page = document.sheet(card, history, defs, today)
        if suffix == ".md":
            data = document.to_markdown(page).encode("utf-8")
        else:
            html = document.to_html(page)
            if suffix == ".pdf":
                from ..app.printing import html_to_pdf

                data = html_to_pdf(html, target)
            else:
                data = html.encode("utf-8")
    write_private(target, data, force=force)
    say(words(note("Wrote {name}'s dossier to {path}", name=card.name, path=target)))


def on_a_terminal() -> bool:
    """Whether there is someone to ask: stdin is a terminal."""
    return sys.stdin is not None and sys.stdin.isatty()


@app.command()
def forget(
    ctx: typer.Context,
    client: Client,
    yes: Annotated[
        bool, typer.Option("--yes", "-y", help="Do not ask (needed when not on a terminal).")
    ] = False,
) -> None:
    """Delete a client for good, leaving no trace in the database file; cannot be undone."""
    from ..app.cards import resolve
    from ..ui import forgetting as render

    with session(ctx, write=False) as unit:
        card, entries = resolve(unit.store, client)
    if not yes:
        if not on_a_terminal():
            raise DossierError(
                "forgetting #{id} {name} cannot be undone and there is no terminal to ask "
                "on; pass --yes to forget it",
                id=card.id,
                name=card.name,
            )
        if not confirm(render.question(card, entries)):
            raise DossierError("nothing forgotten; answer y, or pass --yes")
    done = service.forget(ctx.find_root().obj, card.id, card.name)
    say_all(
        render.forgotten_lines(
            done.client, done.changes, done.emptied, done.backups, done.path, done.on_server
        )
    )
