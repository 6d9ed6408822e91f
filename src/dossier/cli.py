"""The ``dossier`` command: parse, call one service function in one transaction, render.

No SQL and no date arithmetic here. Errors from the layers below are ``DossierError``s;
``DossierGroup.main`` turns them, and Typer's own usage errors, into one line on stderr
and an exit code (2 for usage, 1 for the rest, 130 for Ctrl-C), never a traceback.
"""

from __future__ import annotations

import json
import os
import sqlite3
import sys
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from types import ModuleType
from typing import TYPE_CHECKING, Annotated, Any

import typer
from typer.core import TyperGroup

from . import __version__, render, service
from .dates import Day, parse_when
from .errors import DossierError, Interrupted, UsageError
from .records import KINDS, OUTCOMES, STAGES

if TYPE_CHECKING:
    from rich.console import RenderableType

# Typer (which vendors Click) exports BadParameter but not its base class, which every
# usage error (missing argument, unknown option) derives from. Found through the public
# class so that no private module is imported; needed to print those errors on one line.
ClickException: type[Exception] = next(
    c for c in typer.BadParameter.__mro__ if c.__name__ == "ClickException"
)


class DossierGroup(TyperGroup):
    """The root command, with dossier's own error reporting."""

    def main(  # type: ignore[override]
        self, args: Sequence[str] | None = None, prog_name: str | None = None, **kwargs: Any
    ) -> Any:
        standalone_mode = kwargs.pop("standalone_mode", True)
        _make_output_safe()
        args = _decodable(sys.argv[1:] if args is None else args)
        try:
            code = super().main(args, prog_name, standalone_mode=False, **kwargs)
            code = code if isinstance(code, int) else 0
        except DossierError as exc:
            code = _fail(str(exc), exc.exit_code)
        except ClickException as exc:
            ctx = getattr(exc, "ctx", None)
            hint = f" (see '{ctx.command_path} --help')" if ctx is not None else ""
            message = getattr(exc, "format_message", exc.__str__)()
            code = _fail(f"{message}{hint}", int(getattr(exc, "exit_code", 2)))
        except typer.Abort:
            code = _fail("aborted, nothing changed", 1)
        except KeyboardInterrupt:
            code = _fail("Interrupted, nothing saved", Interrupted.exit_code)
        if standalone_mode:
            sys.exit(code)
        return code


app = typer.Typer(
    cls=DossierGroup,
    name="dossier",
    add_completion=False,
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    help="A follow-up organizer: one dossier per client, filed behind day and month tabs.",
)


def main() -> None:
    app()


def _fail(message: str, code: int) -> int:
    from .text import clean

    print(f"dossier: {clean(message)}", file=sys.stderr)
    return code


def _decodable(args: Sequence[str]) -> list[str]:
    """Arguments with undecodable bytes (pasted binary) replaced by U+FFFD.

    Python keeps such bytes as lone surrogates, which SQLite cannot store; they would
    otherwise surface as a traceback deep in the storage layer.
    """
    fixed = []
    for arg in args:
        try:
            fixed.append(arg.encode("utf-8", "surrogateescape").decode("utf-8", "replace"))
        except UnicodeEncodeError:
            fixed.append(arg.encode("utf-8", "replace").decode("utf-8"))
    return fixed


def _make_output_safe() -> None:
    """An ASCII or C locale must not turn a client's accented name into a crash."""
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None:
            reconfigure(errors="replace")


# --- shared plumbing -----------------------------------------------------------------


@app.callback()
def root(
    ctx: typer.Context,
    db: Annotated[
        Path | None,
        typer.Option(
            "--db",
            metavar="PATH",
            help="Database file (default: $DOSSIER_DB, else dossier.db in the user data dir).",
        ),
    ] = None,
    version: Annotated[bool, typer.Option("--version", help="Print the version.")] = False,
) -> None:
    if version:
        print(f"dossier {__version__}")
        raise typer.Exit()
    ctx.obj = db


@contextmanager
def session(ctx: typer.Context, write: bool) -> Iterator[tuple[sqlite3.Connection, date]]:
    """Today's date and the connection of this command's single transaction."""
    from .dates import today_from
    from .db import open_database
    from .paths import resolve_db_path

    today = today_from()
    database = open_database(resolve_db_path(ctx.find_root().obj))
    try:
        with database.transaction(write) as conn:
            yield conn, today
    finally:
        database.close()


def use_rich() -> bool:
    if os.environ.get("NO_COLOR") or os.environ.get("TERM") == "dumb":
        return False
    return sys.stdout.isatty()


def emit(
    plain: Callable[[], str],
    rich: Callable[[], RenderableType],
    data: Callable[[], Any] | None = None,
) -> None:
    """Print a view: JSON when asked, Rich on a terminal, plain text everywhere else."""
    if data is not None:
        from .text import escape_json_controls

        ascii_only = "utf" not in (sys.stdout.encoding or "").lower()
        print(escape_json_controls(json.dumps(data(), ensure_ascii=ascii_only, indent=2)))
    elif use_rich():
        from rich.console import Console

        Console(highlight=False, emoji=False).print(rich())
    else:
        print(plain())


def _rich() -> ModuleType:
    """The Rich views, imported only when output goes to a terminal."""
    from . import render_rich

    return render_rich


def confirm(question: str) -> bool:
    """Ask on stderr, read one line from stdin; anything but y/yes (or no answer) is no.

    Click's prompt writes its trailing space to stdout, which would pollute a pipe.
    """
    sys.stderr.write(f"{question} [y/N]: ")
    sys.stderr.flush()
    answer = sys.stdin.readline()
    if not answer.endswith("\n") or not sys.stdin.isatty():
        sys.stderr.write("\n")  # the terminal did not echo a newline: keep lines apart
    return answer.strip().lower() in ("y", "yes")


def say(line: str) -> None:
    print(line)


def values(items: Sequence[str] | None) -> list[str]:
    return list(items or [])


def pairs(items: Sequence[str] | None) -> dict[str, str]:
    result: dict[str, str] = {}
    for item in items or []:
        key, sep, value = item.partition("=")
        if not sep or not key.strip():
            raise UsageError(f"--set {item!r} needs the form KEY=VALUE, e.g. --set budget=12k")
        result[key.strip()] = value.strip()
    return result


# --- option types --------------------------------------------------------------------

Client = Annotated[
    str,
    typer.Argument(metavar="CLIENT", show_default=False, help="Id, or part of name or company."),
]
Company = Annotated[str | None, typer.Option("--company", metavar="TEXT", help="Company name.")]
Position = Annotated[
    str | None, typer.Option("--position", metavar="TEXT", help="Position or job title.")
]
Phone = Annotated[
    list[str] | None, typer.Option("--phone", metavar="PHONE", help="Phone number (repeatable).")
]
Email = Annotated[str | None, typer.Option("--email", metavar="EMAIL", help="E-mail address.")]
Tag = Annotated[list[str] | None, typer.Option("--tag", metavar="TAG", help="Tag (repeatable).")]
Stage = Annotated[
    str | None, typer.Option("--stage", metavar="STAGE", help=f"One of: {', '.join(STAGES)}.")
]
On = Annotated[
    str | None,
    typer.Option("--on", metavar="DATE", help="Day or month tab: 2024-07-05, 13, jul 5, july…"),
]
At = Annotated[str | None, typer.Option("--at", metavar="HH:MM", help="Fixed time that day.")]
For = Annotated[
    str | None, typer.Option("--for", metavar="TEXT", help="What the next contact is about.")
]
Kind = Annotated[
    str | None, typer.Option("--kind", metavar="KIND", help=f"One of: {', '.join(KINDS)}.")
]
Outcome = Annotated[
    str | None, typer.Option("--outcome", metavar="OUTCOME", help=f"One of: {', '.join(OUTCOMES)}.")
]
AsJson = Annotated[bool, typer.Option("--json", help="Print JSON (shape in the README).")]


# --- commands ------------------------------------------------------------------------


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
    on: On = None,
    at: At = None,
    purpose: For = None,
    note: Annotated[
        str | None, typer.Option("--note", metavar="TEXT", help="A first note for the history.")
    ] = None,
) -> None:
    """Open a dossier for a new client, and file it if --on is given."""
    card = service.CardInput(name, company, position, values(phone), email, stage or "lead")
    plan = service.Plan(on=on, at=at, purpose=purpose, note=note)
    with session(ctx, write=True) as (conn, today):
        result = service.add(conn, today, card, values(tag), plan)
    say(render.added_line(result.client))


@app.command("file")
def file_(
    ctx: typer.Context,
    client: Client,
    on: Annotated[
        str, typer.Option("--on", metavar="DATE", help="Day or month tab to file it behind.")
    ],
    at: At = None,
    purpose: For = None,
    note: Annotated[
        str | None, typer.Option("-m", "--note", metavar="TEXT", help="What was said.")
    ] = None,
    kind: Annotated[
        str | None,
        typer.Option("--kind", metavar="KIND", help=f"{', '.join(KINDS)} (default call)."),
    ] = None,
    outcome: Outcome = None,
) -> None:
    """After a call: note what happened and file the dossier behind the agreed date."""
    plan = service.Plan(on=on, at=at, purpose=purpose, note=note, kind=kind, outcome=outcome)
    with session(ctx, write=True) as (conn, today):
        result = service.file(conn, today, client, plan)
    say(render.filed_line(result.client))
    if result.entry:
        say(render.entry_line(result.client, result.entry))


@app.command()
def log(
    ctx: typer.Context,
    client: Client,
    text: Annotated[str, typer.Argument(help="What happened.")],
    kind: Annotated[
        str | None,
        typer.Option("--kind", metavar="KIND", help=f"{', '.join(KINDS)} (default note)."),
    ] = None,
    outcome: Outcome = None,
    on: Annotated[
        str | None, typer.Option("--date", metavar="DATE", help="Day of the entry (default today).")
    ] = None,
) -> None:
    """Add to a client's history without moving the dossier."""
    plan = service.Plan(note=text, kind=kind, outcome=outcome)
    with session(ctx, write=True) as (conn, today):
        result = service.log(conn, today, client, plan, on)
    assert result.entry is not None
    say(render.entry_line(result.client, result.entry))


@app.command()
def today(
    ctx: typer.Context,
    on: Annotated[
        str | None, typer.Option("--date", metavar="DATE", help="Look at another day's tab.")
    ] = None,
    as_json: AsJson = False,
) -> None:
    """Today's tab: overdue dossiers, today's stack, this month's undated ones."""
    with session(ctx, write=False) as (conn, real_today):
        day = real_today
        if on is not None:
            target = parse_when(on, real_today)
            day = target.date if isinstance(target, Day) else target.first
            day = max(day, real_today)
        view = service.today_view(conn, day)
    emit(
        lambda: render.today_plain(view),
        lambda: _rich().today(view),
        (lambda: render.today_json(view)) if as_json else None,
    )


@app.command()
def show(ctx: typer.Context, client: Client, as_json: AsJson = False) -> None:
    """The whole card and its history, newest first."""
    with session(ctx, write=False) as (conn, _today):
        card, history = service.show(conn, client)
    emit(
        lambda: render.show_plain(card, history),
        lambda: _rich().show(card, history),
        (lambda: render.show_json(card, history)) if as_json else None,
    )


@app.command()
def find(
    ctx: typer.Context,
    text: Annotated[str, typer.Argument(help="Words to look for.")],
    as_json: AsJson = False,
) -> None:
    """Search names, companies, phones, e-mails and the history."""
    with session(ctx, write=False) as (conn, _today):
        hits = [(h.row, h.entries) for h in service.find(conn, text)]
    emit(
        lambda: render.find_plain(hits),
        lambda: _rich().found(hits),
        (lambda: render.rows_json([r for r, _ in hits])) if as_json else None,
    )


@app.command("list")
def list_(
    ctx: typer.Context,
    tag: Annotated[
        str | None, typer.Option("--tag", metavar="TAG", help="Only clients with this tag.")
    ] = None,
    stage: Stage = None,
    unfiled: Annotated[bool, typer.Option("--unfiled", help="Only clients filed nowhere.")] = False,
    archived: Annotated[bool, typer.Option("--archived", help="Done clients instead.")] = False,
    as_json: AsJson = False,
) -> None:
    """List clients, by name."""
    with session(ctx, write=False) as (conn, _today):
        rows = service.listing(conn, tag.lower() if tag else None, stage, unfiled, archived)
    emit(
        lambda: render.list_plain(rows),
        lambda: _rich().listing(rows),
        (lambda: render.rows_json(rows)) if as_json else None,
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
) -> None:
    """Change a client's card, tags, fields or place."""
    card = service.CardInput(name, company, position, phone, email, stage)
    plan = service.Plan(on=on, at=at, purpose=purpose, note=note)
    with session(ctx, write=True) as (conn, today):
        result = service.edit(
            conn, today, client, card, values(tag), values(untag), pairs(set_), values(unset), plan
        )
    say(render.updated_line(result.client))


@app.command()
def done(
    ctx: typer.Context,
    client: Client,
    reason: Annotated[
        str | None, typer.Option("--reason", metavar="TEXT", help="Why (won, lost, moved…).")
    ] = None,
) -> None:
    """Take a dossier out of the folder for good; its history is kept."""
    with session(ctx, write=True) as (conn, today):
        result = service.done(conn, today, client, reason)
    say(render.done_line(result.client))


@app.command()
def reopen(ctx: typer.Context, client: Client) -> None:
    """Bring a done dossier back (unfiled: give it a date with 'dossier file')."""
    with session(ctx, write=True) as (conn, today):
        result = service.reopen(conn, today, client)
    say(render.reopened_line(result.client))


@app.command()
def rm(
    ctx: typer.Context,
    client: Client,
    yes: Annotated[bool, typer.Option("--yes", "-y", help="Do not ask for confirmation.")] = False,
) -> None:
    """Delete a client and its whole history (asks first)."""
    with session(ctx, write=False) as (conn, _today):
        card, entries = service.resolve(conn, client)
    if not yes:
        question = render.delete_question(card, entries)
        confirmed = confirm(question)
        if not confirmed:
            raise DossierError("not deleted; answer y, or pass --yes to delete without asking")
    with session(ctx, write=True) as (conn, _today):
        service.resolve(conn, str(card.id))
        service.remove(conn, card.id)
    say(render.deleted_line(card))


@app.command()
def demo(ctx: typer.Context) -> None:
    """Fill an empty database with about 40 sample clients to try dossier on."""
    from .demo import fill

    with session(ctx, write=True) as (conn, today):
        count = fill(conn, today)
    say(f"Added {count} sample clients. Try 'dossier today' and 'dossier show 1'.")
