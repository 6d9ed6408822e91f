"""Nothing lost: ``backup``, ``backups``, ``restore``, ``check`` and ``undo``."""

from __future__ import annotations

import time
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from ..domain.errors import DossierError
from ..domain.messages import Message, note
from ..i18n import _
from ..ui.words import words
from .base import app, lazy, say, session

if TYPE_CHECKING:
    from ..app import safety
    from ..app.unit import ServerUrl
else:
    safety = lazy("dossier.app.safety")


@app.command()
def backup(
    ctx: typer.Context,
    path: Annotated[
        Path | None, typer.Argument(metavar="[PATH]", help="Where (default: the backups folder).")
    ] = None,
) -> None:
    """Copy the database now, consistently even while in use."""
    with session(ctx, write=False) as unit:
        made = safety.backup(unit.store, path)
    say(words(note("Backed up to {path} ({size})", path=made, size=_size(made.stat().st_size))))


@app.command("backups")
def backups_(ctx: typer.Context) -> None:
    """List the backups kept next to the database, newest first."""
    found = safety.backups(_database_path(ctx))
    if not found:
        say(
            _(
                "No backups yet. One is made before the first change of each day, and by "
                "'dossier backup'."
            )
        )
        return
    rows = [
        [
            time.strftime("%Y-%m-%d %H:%M", time.localtime(b.modified)),
            _kind(b.kind),
            _size(b.size),
            str(b.path),
        ]
        for b in found
    ]
    say(lazy("dossier.ui.plain").table((_("WHEN"), _("KIND"), _("SIZE"), _("PATH")), rows))


@app.command()
def restore(
    ctx: typer.Context,
    path: Annotated[
        # Readability is checked by dossier itself: an unreadable backup is not a usage
        # mistake (exit 1, with the reason), and root's os.access says nothing true.
        Path, typer.Argument(metavar="PATH", readable=False, help="A backup to bring back.")
    ],
) -> None:
    """Replace the database with a backup (checked first; the current one is kept)."""
    database = _database_path(ctx)
    kept = safety.restore(database, path)
    # Open once more so that an older backup is migrated to this dossier's schema.
    with session(ctx, write=False):
        pass
    if kept is None:
        say(
            words(
                note(
                    "Restored {path} into the new database {database}.",
                    path=path,
                    database=database,
                )
            )
        )
    else:
        say(
            words(
                note(
                    "Restored {path}. The replaced database was kept as {kept}",
                    path=path,
                    kept=kept,
                )
            )
        )
    say(_("The undo history starts again here: to go back, restore the kept copy."))


@app.command()
def check(
    ctx: typer.Context,
    repair: Annotated[bool, typer.Option("--repair", help="Rebuild the search index.")] = False,
) -> None:
    """Check the database: SQLite's integrity check and the folder's rules."""
    with session(ctx, write=repair, record=False) as unit:
        findings = safety.check(unit.store, repair)
    passed, failed_mark, warned = "ok", _("FAIL"), _("WARN")  # "ok" is said so in Spanish too
    width = max(len(passed), len(failed_mark), len(warned))
    for finding in findings:
        mark = passed if finding.ok else warned if finding.warning else failed_mark
        say(f"{mark:<{width}}  {words(finding.rule)}: {words(finding.found)}")
    failed = [f for f in findings if not f.ok and not f.warning]
    if failed:
        raise DossierError(
            "{count} check failed; restore a backup ('dossier backups') or run "
            "'dossier check --repair'",
            plural="{count} checks failed; restore a backup ('dossier backups') or run "
            "'dossier check --repair'",
            count=len(failed),
        )
    warnings = sum(1 for f in findings if not f.ok)
    if warnings:
        say(
            words(
                Message(
                    "All checks passed, with {count} warning: a required field left empty.",
                    {"count": warnings},
                    "warning",
                    "All checks passed, with {count} warnings: required fields left empty.",
                )
            )
        )
        return
    say(_("All checks passed."))


@app.command("undo")
def undo_(
    ctx: typer.Context,
    show_list: Annotated[bool, typer.Option("--list", help="Show the recent changes.")] = False,
) -> None:
    """Revert the last command that changed data (again: one step further back)."""
    if show_list:
        with session(ctx, write=False) as unit:
            changes = safety.changes(unit.store, 20)
        if not changes:
            say(_("No changes to undo."))
            return
        rows = [[f"#{c.id}", c.at.replace("T", " "), str(c.steps), c.command] for c in changes]
        headings: tuple[str, ...] = (_("CHANGE"), _("WHEN"), _("ROWS"), _("COMMAND"))
        if len({c.user for c in changes if c.user}) > 1:  # a folder shared by several users
            rows = [[*row[:3], c.user or "·", row[3]] for row, c in zip(rows, changes, strict=True)]
            headings = (*headings[:3], _("WHO"), headings[3])
        say(lazy("dossier.ui.plain").table(headings, rows))
        return
    with session(ctx, write=True, record=False) as unit:
        change = safety.undo(unit.store, unit.user)
    at = change.at.replace("T", " ")
    say(words(note("Undid: {command} (from {at})", command=change.command, at=at)))


def _kind(kind: str) -> str:
    """A kind of backup (the word in its file's name) in the run's language."""
    said = {
        "daily": _("daily"),
        "manual": _("manual"),
        "before-migration": _("before-migration"),
        "before-restore": _("before-restore"),
        "incomplete": _("incomplete"),
        "other": _("other"),
    }
    return said.get(kind, kind)


def _database_path(ctx: typer.Context) -> Path | ServerUrl:
    from ..app.unit import database_path

    return database_path(ctx.find_root().obj)


def _size(size: int) -> str:
    for unit in ("bytes", "KB", "MB", "GB"):
        if size < 1024 or unit == "GB":
            return f"{size:.0f} {unit}" if unit == "bytes" else f"{size:.1f} {unit}"
        size /= 1024  # type: ignore[assignment]
    return f"{size} bytes"
