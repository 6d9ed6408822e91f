"""``dossier review [DATE]``: the day that passed, or the week to date."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer

from .base import AsJson, app, emit, lazy, session
from .owners import Team, ViewOwner, said_first, said_first_rich, whose

if TYPE_CHECKING:
    from ..app import review as service
    from ..ui import review as render
else:
    service, render = lazy("dossier.app.review"), lazy("dossier.ui.review")


@app.command()
def review(
    ctx: typer.Context,
    day: Annotated[
        str | None,
        typer.Argument(
            metavar="[DATE]",
            help="The day to review: today (default) or earlier, as log --date takes it.",
        ),
    ] = None,
    week: Annotated[
        bool, typer.Option("--week", help="From the Monday of DATE's week up to DATE.")
    ] = False,
    owner: ViewOwner = None,
    team: Team = False,
    as_json: AsJson = False,
) -> None:
    """The day that passed: contacts, outcomes, reach rate, dossiers handled and missed."""
    with session(ctx, write=False) as unit:
        mine = whose(unit, owner, team)
        first, last = service.period(unit.today, day, week)
        capacity = mine.capacity(unit.settings.capacity)
        view = service.review(unit.store, unit.today, first, last, unit.calendar, capacity)
    emit(
        lambda: said_first(render.review_plain(view), mine),
        lambda: said_first_rich(render.review_rich(view), mine),
        (lambda: {**render.review_json(view), "owner": mine.owner}) if as_json else None,
    )
