"""``dossier stats``: the numbers of the last weeks, or of any period."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer

from .base import AsJson, TagFilter, app, emit, lazy, session
from .owners import Team, ViewOwner, said_first, said_first_rich, whose

if TYPE_CHECKING:
    from ..app import stats as service
    from ..ui import stats as render
else:
    service, render = lazy("dossier.app.stats"), lazy("dossier.ui.stats")


@app.command()
def stats(
    ctx: typer.Context,
    weeks: Annotated[
        int | None,
        typer.Option(
            "--weeks",
            metavar="N",
            help="This many weeks, Monday to Sunday, ending with this one (default 8).",
        ),
    ] = None,
    start: Annotated[
        str | None,
        typer.Option(
            "--from", metavar="DATE", help="The first day counted, as log --date takes it."
        ),
    ] = None,
    end: Annotated[
        str | None,
        typer.Option(
            "--to",
            metavar="DATE",
            help="The last day counted, as log --date takes it (default today).",
        ),
    ] = None,
    tag: TagFilter = None,
    owner: ViewOwner = None,
    team: Team = False,
    as_json: AsJson = False,
) -> None:
    """The numbers: contacts a week against the targets, the funnel, what it takes to close."""
    tags = tuple(dict.fromkeys(t.lower() for t in tag or []))
    with session(ctx, write=False) as unit:
        mine = whose(unit, owner, team)
        first, last = service.period(unit.today, weeks, start, end)
        calendar = service.calendar(unit.store, unit.settings, first)
        view = service.stats(unit.store, first, last, tags, unit.settings, calendar)
    emit(
        lambda: said_first(render.stats_plain(view), mine),
        lambda: said_first_rich(render.stats_rich(view), mine),
        (lambda: {**render.stats_json(view), "owner": mine.owner}) if as_json else None,
    )
