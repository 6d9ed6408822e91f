"""Owners on the command line: whose dossiers a view shows, and ``dossier handoff``.

The views take ``--owner NAME`` (a colleague's dossiers) and ``--all`` (the team's);
without them, the current user's (``--user``, ``DOSSIER_USER``, the ``user`` setting,
the login name).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer

if TYPE_CHECKING:
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
