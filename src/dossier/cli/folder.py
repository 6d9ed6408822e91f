"""The folder commands: see the binder, and correct the plan.

``folder``, ``tab`` and ``agenda`` look; ``level``, ``spread`` and ``move`` correct, each in
one transaction, printing exactly what moved (``--dry-run``: what would move); ``off``
manages days off and ``config`` the settings.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Annotated

import typer

from ..app.clock import stamp
from ..domain import messages
from ..domain.dates import MonthTab, parse_when
from ..domain.errors import UsageError
from ..domain.messages import Message, note
from ..i18n import language
from ..ui.words import words
from .base import (
    AsJson,
    Stage,
    TagFilter,
    _rich,
    all_command,
    app,
    emit,
    lazy,
    say,
    say_all,
    session,
    shortened,
)
from .owners import EveryAndTeam, Team, ViewOwner, said_first, whose

if TYPE_CHECKING:
    from ..app import folder as binder
    from ..ui import folder as render_folder
    from ..ui import plain as render
else:
    binder, render_folder = lazy("dossier.app.folder"), lazy("dossier.ui.folder")
    render = lazy("dossier.ui.plain")

DryRun = Annotated[bool, typer.Option("--dry-run", help="Show the plan; change nothing.")]
TAB_ROWS = 50  # a terminal's tab: rows for the first dossiers, the rest counted

Capacity = Annotated[
    int | None,
    typer.Option("--capacity", metavar="N", help="Dossiers a day can take (default: config)."),
]


@app.command()
def folder(
    ctx: typer.Context, owner: ViewOwner = None, team: Team = False, as_json: AsJson = False
) -> None:
    """The binder at a glance: 31 day tabs with their load, the month tabs, the rest."""
    with session(ctx, write=False) as unit:
        mine = whose(unit, owner, team)
        settings, calendar = unit.settings, unit.calendar
        capacity = mine.capacity(settings.capacity)
        view = binder.folder_view(unit.store, unit.today, capacity, calendar)
        view.whose = mine
    emit(
        lambda: render_folder.folder_plain(view),
        lambda: _rich().folder(view),
        (lambda: render_folder.folder_json(view)) if as_json else None,
    )


@app.command()
def tab(
    ctx: typer.Context,
    which: Annotated[str, typer.Argument(metavar="TAB", help="A day tab (13) or a month (july).")],
    owner: ViewOwner = None,
    every: EveryAndTeam = False,
    as_json: AsJson = False,
) -> None:
    """What is behind one tab: a day's stack, or a month tab and its days."""
    limit = TAB_ROWS if shortened(as_json, every) else None
    with session(ctx, write=False) as unit:
        mine = whose(unit, owner, every)
        calendar = unit.calendar
        view = binder.tab_view(unit.store, unit.today, which, calendar, limit)
        cap = mine.capacity(unit.settings.capacity)
    emit(
        lambda: said_first(render_folder.tab_view_plain(view, cap), mine),
        lambda: _rich().tab(view, cap, all_command()),
        (lambda: {**render_folder.tab_view_json(view, cap), "owner": mine.owner})
        if as_json
        else None,
    )


@app.command()
def agenda(
    ctx: typer.Context,
    days: Annotated[int, typer.Option("--days", metavar="N", help="How many days.")] = 14,
    tag: TagFilter = None,
    stage: Stage = None,
    owner: ViewOwner = None,
    team: Team = False,
    as_json: AsJson = False,
) -> None:
    """The coming days, one per line: load, repeat and new, fixed-time meetings."""
    from ..domain.folder import ViewFilter
    from ..domain.records import STAGES, choice

    with session(ctx, write=False) as unit:
        mine = whose(unit, owner, team)
        only = ViewFilter(tuple(t.lower() for t in tag or []), choice(stage, STAGES, "--stage"))
        settings, calendar = unit.settings, unit.calendar
        lines = binder.agenda(unit.store, unit.today, days, calendar, only or None)
    cap = mine.capacity(settings.capacity)
    emit(
        lambda: render_folder.agenda_plain(lines, cap, only or None, mine),
        lambda: _rich().agenda(lines, cap, only or None, mine),
        (lambda: render_folder.agenda_json(lines, cap, only or None, mine)) if as_json else None,
    )


@app.command()
def level(
    ctx: typer.Context,
    on: Annotated[
        str | None, typer.Argument(metavar="[DATE]", help="Day to level (today).")
    ] = None,
    days: Annotated[int, typer.Option("--days", metavar="N", help="Level N days from DATE.")] = 1,
    capacity: Capacity = None,
    owner: ViewOwner = None,
    team: Team = False,
    dry_run: DryRun = False,
    as_json: AsJson = False,
) -> None:
    """Move the excess of an overloaded day to the next working days with room."""
    if not 1 <= days <= 366:
        raise UsageError("--days {days}: give a number of days from 1 to 366", days=days)
    with session(ctx, write=not dry_run) as unit:
        mine = whose(unit, owner, team)
        settings, calendar = unit.settings, unit.calendar
        start = binder.target_day(on, unit.today, None)[0] if on else unit.today
        cap = capacity if capacity is not None else mine.capacity(settings.capacity)
        plan = binder.level(
            unit.store, unit.today, start, days, cap, calendar, not dry_run, stamp(unit.today)
        )
    title, empty = (words(m) for m in _level_messages(start, days, cap))
    title += render.whose_said(mine)
    emit(
        lambda: render_folder.plan_plain(title, plan, not dry_run, empty),
        None,
        (lambda: render_folder.plan_json(plan, not dry_run)) if as_json else None,
    )


def _level_messages(start: date, days: int, capacity: int) -> tuple[Message, Message]:
    """The title of a levelling plan, and what is said when nothing is over capacity."""
    if days == 1:
        return (
            note("Levelling {day} to {capacity} a day:", day=start, capacity=capacity),
            note(
                "Nothing to level: no day over {capacity} from {day}.", day=start, capacity=capacity
            ),
        )
    # English says "the 1 days after" for two days, as it always has (both forms are the
    # same); a language with plural forms picks one by the count.
    params = {"day": start, "count": days - 1, "capacity": capacity}
    return (
        Message(
            "Levelling {day} and the {count} days after to {capacity} a day:",
            params,
            "note",
            "Levelling {day} and the {count} days after to {capacity} a day:",
        ),
        Message(
            "Nothing to level: no day over {capacity} from {day} and the {count} days after.",
            params,
            "note",
            "Nothing to level: no day over {capacity} from {day} and the {count} days after.",
        ),
    )


@app.command()
def spread(
    ctx: typer.Context,
    month: Annotated[
        str | None, typer.Argument(metavar="[MONTH]", help="Month tab (this month).")
    ] = None,
    capacity: Capacity = None,
    owner: ViewOwner = None,
    team: Team = False,
    dry_run: DryRun = False,
    as_json: AsJson = False,
) -> None:
    """Give each undated dossier of a month tab a working day, evenly, within capacity."""
    with session(ctx, write=not dry_run) as unit:
        mine = whose(unit, owner, team)
        settings, calendar = unit.settings, unit.calendar
        target = (
            parse_when(month, unit.today, lang=language())
            if month
            else MonthTab(unit.today.year, unit.today.month)
        )
        if not isinstance(target, MonthTab):
            raise UsageError(
                "{month!r} is a day; give a month tab such as july or 2024-07", month=month
            )
        cap = capacity if capacity is not None else mine.capacity(settings.capacity)
        plan = binder.spread(
            unit.store, unit.today, target, cap, calendar, not dry_run, stamp(unit.today)
        )
    title = words(
        note(
            "Spreading the {month} tab over its working days, {capacity} a day at most:",
            month=target,
            capacity=cap,
        )
    ) + render.whose_said(mine)
    empty = words(
        note("Nothing to spread: the {month} tab holds no dossier without a day.", month=target)
    )
    emit(
        lambda: render_folder.plan_plain(title, plan, not dry_run, empty),
        None,
        (lambda: render_folder.plan_json(plan, not dry_run)) if as_json else None,
    )


@app.command()
def move(
    ctx: typer.Context,
    clients: Annotated[
        list[str] | None, typer.Argument(metavar="[CLIENT]...", help="Dossiers to move.")
    ] = None,
    on: Annotated[str | None, typer.Option("--on", metavar="DATE", help="Move them here.")] = None,
    source: Annotated[
        str | None, typer.Option("--from", metavar="DATE", help="Move this day's dossiers…")
    ] = None,
    target: Annotated[
        str | None, typer.Option("--to", metavar="DATE", help="…to this day.")
    ] = None,
    count: Annotated[
        int | None, typer.Option("--count", metavar="N", help="Only the N least urgent.")
    ] = None,
    owner: Annotated[
        str | None,
        typer.Option(
            "--owner", metavar="NAME", help="With --from: this manager's dossiers (default: mine)."
        ),
    ] = None,
    team: Annotated[
        bool, typer.Option("--all", help="With --from: every owner's dossiers of that day.")
    ] = False,
) -> None:
    """Move dossiers by hand: named ones to a day, or a day's stack to another day."""
    if clients and (source or target):
        raise UsageError("give either CLIENT... --on DATE, or --from DATE --to DATE")
    if clients and not on:
        raise UsageError("say where to: dossier move CLIENT... --on DATE")
    if not clients and not (source and target):
        raise UsageError("give CLIENT... --on DATE, or --from DATE --to DATE")
    with session(ctx, write=True) as unit:
        calendar = unit.calendar
        day, notice = binder.target_day(on or target or "", unit.today, calendar)
        whose(unit, owner, team)  # a day's stack is mine; named dossiers are anyone's
        if clients:
            moves = binder.move_clients(unit.store, clients, day, stamp(unit.today))
        else:
            day_from = binder.target_day(source or "", unit.today, None, allow_past=True)[0]
            moves = binder.move_day(unit.store, unit.today, day_from, day, count, stamp(unit.today))
    say(render_folder.moves_plain(moves))
    if notice:
        say(words(notice))


@app.command()
def off(
    ctx: typer.Context,
    days: Annotated[
        str | None, typer.Argument(metavar="[FROM..TO]", help="A day off, or a range of them.")
    ] = None,
    note: Annotated[str | None, typer.Option("--note", metavar="TEXT", help="Why.")] = None,
    remove: Annotated[
        str | None, typer.Option("--remove", metavar="FROM..TO", help="Remove days off.")
    ] = None,
    show_list: Annotated[bool, typer.Option("--list", help="List the days off.")] = False,
) -> None:
    """Personal days off: no calls are planned, levelled or spread onto them."""
    if sum(map(bool, (days, remove, show_list))) > 1:
        raise UsageError("give one of: days to add, --remove FROM..TO, or --list")
    # (``note`` is the --note option here: the notices are ``messages.note``.)
    lines: list[str] = []  # printed after the commit: a closed pipe cannot undo the change
    with session(ctx, write=bool(days or remove)) as unit:
        if days:
            added = binder.add_off(unit.store, unit.today, days, note)
            filed = binder.filed_on_days_off(unit.store, added)
            lines.append(
                words(messages.note("Day off: {days}", days=render_folder.off_line(added)))
            )
            if filed:
                lines.append(render_folder.filed_on_off_line(filed))
        elif remove:
            for gone in binder.remove_off(unit.store, unit.today, remove):
                lines.append(
                    words(
                        messages.note("Removed day off: {days}", days=render_folder.off_line(gone))
                    )
                )
        else:  # --list, or a bare 'dossier off'
            lines.append(render_folder.offs_plain(binder.list_off(unit.store, unit.today)))
    say_all(lines)
