"""The client commands: open, file, note, look up and close dossiers.

Each command parses its options, runs one service function in one transaction and
renders the result; no SQL and no date arithmetic here.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from ..domain.dates import Day, parse_when
from ..domain.errors import DossierError, UsageError
from ..domain.messages import Message, note
from ..domain.records import KINDS
from ..i18n import language
from ..ui.words import words
from .base import (
    AsJson,
    At,
    Cadence,
    Client,
    Company,
    Email,
    Every,
    For,
    On,
    Outcome,
    Phone,
    Position,
    Stage,
    Tag,
    TagFilter,
    _rich,
    all_command,
    app,
    confirm,
    emit,
    lazy,
    pairs,
    say,
    say_all,
    session,
    shortened,
    values,
)
from .owners import EveryAndTeam, ViewOwner, whose

if TYPE_CHECKING:
    from ..app import cards as service
    from ..ui import plain as render
else:
    render, service = lazy("dossier.ui.plain"), lazy("dossier.app.cards")

# A terminal's view of a long list shows its first rows, says how many more there are
# and how to see them (``--all``); piped output and JSON are always whole.
TODAY_ROWS = 10  # overdue (the longest waiting) and this month's undated dossiers
SHOW_ENTRIES = 10  # the newest history entries under the card
LIST_ROWS = 50  # list: the first clients by name
FIND_ROWS = 20  # find: the first hits


NewOwner = Annotated[
    str | None,
    typer.Option(
        "--owner", metavar="NAME", help="The manager who works it (default: the current user)."
    ),
]


@app.command()
def add(
    ctx: typer.Context,
    name: Annotated[str, typer.Argument(help="The client's name.")],
    company: Company = None,
    position: Position = None,
    phone: Phone = None,
    email: Email = None,
    tag: Tag = None,
    stage: Stage = None,
    every: Cadence = None,
    on: On = None,
    at: At = None,
    purpose: For = None,
    note: Annotated[
        str | None, typer.Option("--note", metavar="TEXT", help="A first note for the history.")
    ] = None,
    owner: NewOwner = None,
) -> None:
    """Open a dossier for a new client, and file it if --on is given."""
    card = service.CardInput(
        name, company, position, values(phone), stage=stage or "lead", every=every, owner=owner
    )
    card.give_emails(email)
    plan = service.Plan(on=on, at=at, purpose=purpose, note=note)
    with session(ctx, write=True) as unit:
        result = service.add(
            unit.store, unit.today, card, values(tag), plan, unit.calendar, unit.user
        )
    say(render.added_line(result.client))
    say_all([words(notice) for notice in result.notices])


@app.command("file")
def file_(
    ctx: typer.Context,
    client: Client,
    on: Annotated[
        str | None,
        typer.Option(
            "--on",
            metavar="DATE",
            help="Day or month tab to file it behind; without it, the client's cadence "
            "(--every) says.",
        ),
    ] = None,
    at: At = None,
    purpose: For = None,
    note: Annotated[
        str | None, typer.Option("-m", "--note", metavar="TEXT", help="What was said.")
    ] = None,
    kind: Annotated[
        str | None,
        typer.Option(
            "--kind",
            metavar="KIND",
            help=str(note("{kinds} (default call).", kinds=", ".join(KINDS))),
        ),
    ] = None,
    outcome: Outcome = None,
    happened: Annotated[
        str | None,
        typer.Option(
            "--date",
            metavar="DATE",
            help="Day the call happened, for the note: today (default) or earlier, "
            "e.g. yesterday, monday, -3d. Needs -m.",
        ),
    ] = None,
) -> None:
    """After a call: note what happened and file the dossier behind the agreed date."""
    plan = service.Plan(
        on=on, date=happened, at=at, purpose=purpose, note=note, kind=kind, outcome=outcome
    )
    with session(ctx, write=True) as unit:
        result = service.file(
            unit.store, unit.today, client, plan, unit.calendar, unit.settings.cadences
        )
    say(render.filed_line(result.client))
    say_all([words(notice) for notice in result.notices])
    if result.entry:
        say(render.entry_line(result.client, result.entry))


@app.command()
def log(
    ctx: typer.Context,
    client: Client,
    text: Annotated[str, typer.Argument(help="What happened.")],
    kind: Annotated[
        str | None,
        typer.Option(
            "--kind",
            metavar="KIND",
            help=str(note("{kinds} (default note).", kinds=", ".join(KINDS))),
        ),
    ] = None,
    outcome: Outcome = None,
    on: Annotated[
        str | None,
        typer.Option(
            "--date",
            metavar="DATE",
            help="Day it happened: today (default) or earlier, e.g. yesterday, 2024-07-01, "
            "monday (the last one before today), -3d. Never a future day.",
        ),
    ] = None,
) -> None:
    """Add to a client's history; a contact refiles a client with a cadence (--every)."""
    plan = service.Plan(note=text, kind=kind, outcome=outcome)
    with session(ctx, write=True) as unit:
        result = service.log(
            unit.store, unit.today, client, plan, on, unit.calendar, unit.settings.cadences
        )
    assert result.entry is not None
    say(render.entry_line(result.client, result.entry))
    say_all([words(notice) for notice in result.notices])


@app.command()
def today(
    ctx: typer.Context,
    on: Annotated[
        str | None, typer.Option("--date", metavar="DATE", help="Look at another day's tab.")
    ] = None,
    tag: TagFilter = None,
    stage: Stage = None,
    owner: ViewOwner = None,
    every: EveryAndTeam = False,
    as_json: AsJson = False,
) -> None:
    """Today's tab: overdue dossiers, today's stack, this month's undated ones."""
    from ..domain.folder import ViewFilter

    only = ViewFilter(tuple(t.lower() for t in tag or []), stage)
    limit = TODAY_ROWS if shortened(as_json, every) else None
    with session(ctx, write=False) as unit:
        mine = whose(unit, owner, every)
        day = unit.today
        if on is not None:
            target = parse_when(on, unit.today, lang=language())
            day = target.date if isinstance(target, Day) else target.first
            day = max(day, unit.today)
        settings, calendar = unit.settings, unit.calendar
        capacity = mine.capacity(settings.capacity)
        view = service.today_view(unit.store, day, capacity, calendar, only or None, limit)
        view.cold = service.cold_count(unit.store, unit.today, settings)
        view.whose = mine
    emit(
        lambda: render.today_plain(view),
        lambda: _rich().today(view, all_command()),
        (lambda: render.today_json(view)) if as_json else None,
    )


@app.command()
def show(
    ctx: typer.Context,
    client: Client,
    every: Every = False,
    as_json: AsJson = False,
    export: Annotated[
        Path | None,
        typer.Option(
            "--export",
            metavar="FILE",
            help="Write the dossier to FILE, to carry into a meeting; FILE's extension "
            "names the format (HTML, MD, TXT or PDF).",
        ),
    ] = None,
    force: Annotated[
        bool, typer.Option("--force", help="With --export: replace FILE if it exists.")
    ] = False,
) -> None:
    """The whole card and its history, newest first."""
    if export is not None:
        from .carry import export_dossier

        if as_json:
            raise UsageError("--json prints to the screen and --export writes a file; give one")

        export_dossier(ctx, client, export, force)
        return
    if force:
        raise UsageError("--force replaces the file of --export; give --export FILE too")
    limit = SHOW_ENTRIES if shortened(as_json, every) else None
    with session(ctx, write=False) as unit:
        card, history, size = service.show(unit.store, client, limit)
        defs = unit.store.field_defs()
        from ..app.owners import worth_saying

        said = card if worth_saying(unit, card.owner) else replace(card, owner=None)
    emit(
        lambda: render.show_plain(said, history, defs),
        lambda: _rich().show(said, history, size, all_command(), defs),
        (lambda: render.show_json(card, history, defs)) if as_json else None,
    )


@app.command()
def find(
    ctx: typer.Context,
    text: Annotated[str, typer.Argument(help="Words to look for.")],
    every: Every = False,
    as_json: AsJson = False,
) -> None:
    """Search names, companies, phones, e-mails and the history."""
    with session(ctx, write=False) as unit:
        hits = [(h.row, h.entries) for h in service.find(unit.store, text)]
        defs = unit.store.field_defs() if as_json else []
    shown = hits[:FIND_ROWS] if shortened(as_json, every) else hits
    emit(
        lambda: render.find_plain(hits),
        lambda: _rich().found(shown, len(hits), all_command()),
        (lambda: render.rows_json([r for r, _ in hits], defs)) if as_json else None,
    )


@app.command("list")
def list_(
    ctx: typer.Context,
    tag: TagFilter = None,
    stage: Stage = None,
    unfiled: Annotated[bool, typer.Option("--unfiled", help="Only clients filed nowhere.")] = False,
    archived: Annotated[bool, typer.Option("--archived", help="Done clients instead.")] = False,
    missing: Annotated[
        str | None,
        typer.Option("--missing", metavar="FIELD", help="Only those with no value for FIELD."),
    ] = None,
    cold: Annotated[
        bool,
        typer.Option(
            "--cold",
            help="Only clients gone cold (no contact for cold_factor times their cadence, "
            "or cold_days), the longest first.",
        ),
    ] = False,
    every: Every = False,
    as_json: AsJson = False,
) -> None:
    """List clients, by name."""
    from ..domain.folder import ViewFilter
    from ..domain.records import STAGES, choice

    tags = [t.lower() for t in tag or []]
    if cold:
        if unfiled or archived or missing is not None:
            raise UsageError("--cold lists active clients: drop --unfiled, --archived, --missing")
        with session(ctx, write=False) as unit:
            found = service.cold(unit.store, unit.today, unit.settings, tags, stage)
            defs = unit.store.field_defs() if as_json else []
        emit(
            lambda: render.cold_plain(found),
            None,
            (lambda: render.cold_json(found, defs)) if as_json else None,
        )
        return
    limit = LIST_ROWS if shortened(as_json, every) else None
    with session(ctx, write=False) as unit:
        rows, total = service.listing(unit.store, tags, stage, unfiled, archived, limit, missing)
        if missing is not None:  # as the team spelt it
            from ..app.fields import named

            missing = named(unit.store, missing).name
        only = ViewFilter(tuple(dict.fromkeys(tags)), choice(stage, STAGES, "--stage"))
        defs = unit.store.field_defs() if as_json else []
    if only or missing is not None:
        filtered = render.list_filter(only, missing)
        title = words(
            Message(
                "{count:,} client (filtered: {filter})",
                {"count": total, "filter": filtered},
                "note",
                "{count:,} clients (filtered: {filter})",
            )
        )
    else:
        title = words(Message("{count:,} client", {"count": total}, "note", "{count:,} clients"))
    emit(
        lambda: render.list_plain(rows, only or None, missing),
        lambda: _rich().listing(rows, title, total, all_command()),
        (lambda: render.rows_json(rows, defs)) if as_json else None,
    )


@app.command()
def edit(
    ctx: typer.Context,
    client: Client,
    name: Annotated[str | None, typer.Option("--name", metavar="TEXT", help="New name.")] = None,
    company: Company = None,
    position: Position = None,
    phone: Phone = None,
    email: Email = None,
    tag: Tag = None,
    untag: Annotated[
        list[str] | None, typer.Option("--untag", metavar="TAG", help="Remove a tag.")
    ] = None,
    stage: Stage = None,
    every: Cadence = None,
    on: On = None,
    at: At = None,
    purpose: For = None,
    note: Annotated[
        str | None, typer.Option("--note", metavar="TEXT", help="Add a note to the history.")
    ] = None,
    set_: Annotated[
        list[str] | None, typer.Option("--set", metavar="KEY=VALUE", help="Set a field.")
    ] = None,
    unset: Annotated[
        list[str] | None, typer.Option("--unset", metavar="KEY", help="Remove a field.")
    ] = None,
    owner: Annotated[
        str | None,
        typer.Option("--owner", metavar="NAME", help="Give the dossier to this manager."),
    ] = None,
) -> None:
    """Change a client's card, tags, fields or place."""
    card = service.CardInput(name, company, position, phone, stage=stage, every=every, owner=owner)
    card.give_emails(email)
    plan = service.Plan(on=on, at=at, purpose=purpose, note=note)
    try:
        with session(ctx, write=True) as unit:
            result = service.edit(
                unit.store,
                unit.today,
                client,
                card,
                values(tag),
                values(untag),
                pairs(set_),
                values(unset),
                plan,
                unit.calendar,
            )
    except service.NothingToChange as nothing:  # rolled back: no undo step either
        say(words(nothing))
        return
    say(render.updated_line(result.client))
    say_all([words(notice) for notice in result.notices])


@app.command()
def done(
    ctx: typer.Context,
    client: Client,
    reason: Annotated[
        str | None, typer.Option("--reason", metavar="TEXT", help="Why (won, lost, moved…).")
    ] = None,
) -> None:
    """Take a dossier out of the folder for good; its history is kept."""
    with session(ctx, write=True) as unit:
        result = service.done(unit.store, unit.today, client, reason)
    say(render.done_line(result.client))


@app.command()
def reopen(ctx: typer.Context, client: Client) -> None:
    """Bring a done dossier back (unfiled: give it a date with 'dossier file')."""
    with session(ctx, write=True) as unit:
        result = service.reopen(unit.store, unit.today, client)
    say(render.reopened_line(result.client))


@app.command()
def rm(
    ctx: typer.Context,
    client: Client,
    yes: Annotated[bool, typer.Option("--yes", "-y", help="Do not ask for confirmation.")] = False,
) -> None:
    """Delete a client and its whole history (asks first)."""
    with session(ctx, write=False) as unit:
        card, entries = service.resolve(unit.store, client)
    if not yes:
        question = render.delete_question(card, entries)
        confirmed = confirm(question)
        if not confirmed:
            raise DossierError("not deleted; answer y, or pass --yes to delete without asking")
    with session(ctx, write=True) as unit:
        service.resolve(unit.store, str(card.id))
        service.remove(unit.store, card.id)
    say(render.deleted_line(card))


@app.command()
def demo(ctx: typer.Context) -> None:
    """Fill an empty database with about 40 sample clients to try dossier on."""
    from ..app.demo import fill

    with session(ctx, write=True) as unit:
        try:
            count = fill(unit.store, unit.today, language(), unit.user)
        except (OverflowError, ValueError):
            # Raised inside the transaction, so nothing of the sample is kept.
            raise DossierError(
                "the demo's sample spans five months before today and three after, which "
                "runs off the calendar (0001-01-01 to 9999-12-31); set DOSSIER_TODAY nearer"
            ) from None
    say(
        words(
            note(
                "Added {count} sample clients. Try 'dossier today' and 'dossier show 1'.",
                count=count,
            )
        )
    )
