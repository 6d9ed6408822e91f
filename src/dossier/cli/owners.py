"""Owners on the command line: whose dossiers a view shows, and ``dossier handoff``.

The views take ``--owner NAME`` (a colleague's dossiers) and ``--all`` (the team's);
without them, the current user's (``--user``, ``DOSSIER_USER``, the ``user`` setting,
the login name).
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Annotated

import typer

from ..domain.errors import UsageError
from .base import AsJson, Stage, TagFilter, app, emit, session

if TYPE_CHECKING:
    from rich.console import RenderableType

    from ..app.unit import Unit
    from ..domain.owners import Whose

ViewOwner = Annotated[
    str | None,
    typer.Option("--owner", metavar="NAME", help="A colleague's dossiers (default: mine)."),
]
Team = Annotated[
    bool,
    typer.Option(
        "--all",
        help="The team's dossiers, every owner's (the capacity: a person's times the owners).",
    ),
]
EveryAndTeam = Annotated[
    bool,
    typer.Option(
        "--all",
        help="Every row, of every owner's dossiers (the team's; on a terminal, the first "
        "rows are shown without it).",
    ),
]


def whose(unit: Unit, owner: str | None, everyone: bool) -> Whose:
    """Limit this command's views to the dossiers asked for (``app.owners.scope``)."""
    from ..app.owners import scope

    return scope(unit, owner, everyone)


def said_first(text: str, mine: Whose) -> str:
    """A plain view with whose dossiers it counts said after its first line's heading
    (on a one-person folder, as it was)."""
    from ..ui.plain import whose_said

    first, newline, rest = text.partition("\n")
    return first + whose_said(mine) + newline + rest


@app.command()
def handoff(
    ctx: typer.Context,
    giver: Annotated[
        str | None, typer.Option("--from", metavar="NAME", help="The manager who hands over.")
    ] = None,
    taker: Annotated[
        str | None, typer.Option("--to", metavar="NAME", help="The colleague who takes over.")
    ] = None,
    until: Annotated[
        str | None,
        typer.Option(
            "--until",
            metavar="DATE",
            help="A cover for an absence: from DATE on, the dossiers the colleague still "
            "holds go back.",
        ),
    ] = None,
    tag: TagFilter = None,
    stage: Stage = None,
    due_from: Annotated[
        str | None,
        typer.Option("--due-from", metavar="DATE", help="Only dossiers filed from DATE on."),
    ] = None,
    due_to: Annotated[
        str | None,
        typer.Option("--due-to", metavar="DATE", help="Only dossiers filed up to DATE."),
    ] = None,
    reason: Annotated[
        str | None,
        typer.Option("-m", "--message", metavar="REASON", help="Why, for each history entry."),
    ] = None,
    covers: Annotated[bool, typer.Option("--list", help="The covers in force.")] = False,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Show what would be handed over; change nothing.")
    ] = False,
    as_json: AsJson = False,
) -> None:
    """Hand a manager's dossiers to a colleague, in one step that undo reverts."""
    from ..app import owners as service
    from ..domain.records import STAGES, choice
    from ..ui import handoff as render

    if covers:
        if giver or taker or until or tag or stage or due_from or due_to or reason or dry_run:
            raise UsageError("--list shows the covers in force; give it alone (or with --json)")
        with session(ctx, write=False) as unit:
            found = service.covers(unit.store)
        emit(
            lambda: render.covers_plain(found),
            None,
            (lambda: render.covers_json(found)) if as_json else None,
        )
        return
    if giver is None or taker is None:
        raise UsageError("say whose and to whom: dossier handoff --from NAME --to NAME")
    with session(ctx, write=not dry_run) as unit:
        today = unit.today
        done = service.handoff(
            unit.store,
            today,
            giver,
            taker,
            tags=[t.lower() for t in tag or []],
            stage=choice(stage, STAGES, "--stage") if stage else None,
            first=_day(due_from, today, "--due-from"),
            last=_day(due_to, today, "--due-to"),
            until=_day(until, today, "--until"),
            reason=reason.strip() if reason and reason.strip() else None,
            dry_run=dry_run,
            capacity=unit.settings.capacity,
        )
        service.refuse_nothing(done)
    emit(
        lambda: render.handoff_plain(done),
        None,
        (lambda: render.handoff_json(done)) if as_json else None,
    )


def _day(text: str | None, today: date, option: str) -> date | None:
    """A day in the ``--on`` syntax (a month means its first day), or None."""
    if text is None:
        return None
    from ..domain.dates import Day, parse_when
    from ..i18n import language

    try:
        target = parse_when(text, today, lang=language())
    except UsageError as exc:
        raise UsageError("{option}: {reason}", option=option, reason=exc.message) from None
    return target.date if isinstance(target, Day) else target.first


def said_first_rich(view: RenderableType, mine: Whose) -> RenderableType:
    """``said_first`` for a Rich view that is one text (review, stats)."""
    from rich.text import Text

    from ..ui.plain import whose_said

    said = whose_said(mine)
    if not said or not isinstance(view, Text):
        return view
    end = view.plain.find("\n")
    end = len(view.plain) if end < 0 else end
    return Text.assemble(view[:end], (said, "bold"), view[end:])
