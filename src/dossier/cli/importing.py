"""``import FILE``: clients from a spreadsheet, a phone's contacts or a colleague's export."""

from __future__ import annotations

import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from ..app.clock import stamp
from ..domain.errors import DossierError, UsageError
from ..domain.messages import Message, note
from ..i18n import language
from ..ui.words import words
from .base import Tag, app, lazy, say, session, values

if TYPE_CHECKING:
    from ..app import importing, transfer
    from ..ui import importing as render
else:
    importing, transfer = lazy("dossier.app.importing"), lazy("dossier.app.transfer")
    render = lazy("dossier.ui.importing")

# Options that only the delimited and vCard readers take; a JSON export is taken whole
# (a dry run of it checks everything and writes nothing, as for the other formats).
NOT_FOR_JSON = ("--map", "--on-duplicate", "--tag", "--on", "--report", "--encoding",
                "--delimiter")  # fmt: skip


@app.command("import")
def import_(
    ctx: typer.Context,
    file: Annotated[
        Path,
        typer.Argument(
            metavar="FILE", help="A .csv/.tsv/.txt spreadsheet, a .vcf, or a 'dossier export'."
        ),
    ],
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Check everything and say what would happen.")
    ] = False,
    map_: Annotated[
        list[str] | None,
        typer.Option(
            "--map", metavar="COLUMN=FIELD", help="Read a column as a field ('-': ignore it)."
        ),
    ] = None,
    on_duplicate: Annotated[
        str,
        typer.Option(
            "--on-duplicate", metavar="error|skip|merge", help="What to do with a client met twice."
        ),
    ] = "error",
    tag: Tag = None,
    on: Annotated[
        str | None,
        typer.Option("--on", metavar="DATE", help="File every new client there (day or month)."),
    ] = None,
    report: Annotated[
        Path | None,
        typer.Option("--report", metavar="FILE", help="Write the rejected rows there, as CSV."),
    ] = None,
    encoding: Annotated[
        str | None,
        typer.Option("--encoding", metavar="NAME", help="The file's encoding (default: detected)."),
    ] = None,
    delimiter: Annotated[
        str | None,
        typer.Option("--delimiter", metavar="CHAR", help="The delimiter (default: detected)."),
    ] = None,
) -> None:
    """Add clients from a spreadsheet or a contacts file, or the dossiers of an export."""
    data = importing.read_bytes(file)
    kind = importing.kind_of(file, data)
    if kind == "json":
        given = (map_, on_duplicate != "error", tag, on, report, encoding, delimiter)
        for option, value in zip(NOT_FOR_JSON, given, strict=True):
            if value:
                raise UsageError(
                    "{option} is for CSV and vCard files; an export of dossier is imported whole",
                    option=option,
                )
        _import_export(ctx, file, dry_run)
        return
    if report is not None:
        importing.check_report_path(report)
    from ..domain import columns, intake

    maps = columns.parse_maps(values(map_))
    progress = Progress()
    try:
        with session(ctx, write=not dry_run) as unit:
            defs = unit.store.field_defs()
            source = importing.read(data, kind, defs, maps, encoding, delimiter)
            options = intake.Options(
                unit.today,
                language(),
                values(tag),
                defs,
                unit.settings.country,
                stamp(unit.today),
            )
            outcome = importing.plan(
                unit.store, source, options, on_duplicate, on, unit.calendar, progress.tick
            )
            if not outcome.problems and not dry_run:
                importing.write(unit.store, outcome, stamp(unit.today), unit.user)
                progress.tick(1, 1)
    finally:
        progress.close()
    _report(source, outcome, report)
    _said(source, outcome, report, file, dry_run)


def _said(source: Any, outcome: Any, report: Path | None, file: Path, dry_run: bool) -> None:
    if outcome.problems:
        problems: list[Message] = [p.message() for _, p in outcome.problems]
        for line in render.problem_lines(problems, str(report) if report else None):
            print(line, file=sys.stderr)
        raise DossierError(
            "nothing was imported: {count} problem in {path}",
            plural="nothing was imported: {count} problems in {path}",
            count=len(problems),
            path=file,
        )
    if dry_run and source.kind == "delimited":
        say(render.how_read(source.encoding, source.delimiter, len(source.records)))
        say(render.columns_heading())
        for column in source.columns:
            say(render.column_line(column))
    for line in render.notices(outcome.notices):
        say(line)
    say(
        render.summary(
            len(outcome.new), outcome.merged, outcome.unchanged, len(outcome.skipped), dry_run
        )
    )


def _report(source: Any, outcome: Any, report: Path | None) -> None:
    if report is None:
        return
    rows = [
        (index, "; ".join(words(reason) for reason in reasons))
        for index, reasons in importing.rejected(source, outcome)
    ]
    header, body = importing.report_rows(source, rows)
    importing.write_report(report, header, body, source.delimiter)


def _import_export(ctx: typer.Context, file: Path, dry_run: bool) -> None:
    """A file from 'dossier export': every dossier added as a new client."""
    clients = transfer.read(file)
    with session(ctx, write=not dry_run) as unit:
        added, entries = transfer.import_(
            unit.store, clients, stamp(unit.today), dry_run=dry_run, owner=unit.user
        )
    # English says "history entries" for one as well; a language may say it otherwise.
    history = Message(
        "{count} history entries", {"count": entries}, "note", "{count} history entries"
    )
    if dry_run:
        said = Message(
            "Dry run, nothing was written: {count} client and {entries} would be imported",
            {"count": added, "entries": history},
            "note",
            "Dry run, nothing was written: {count} clients and {entries} would be imported",
        )
    else:
        said = Message(
            "Imported {count} client and {entries}",
            {"count": added, "entries": history},
            "note",
            "Imported {count} clients and {entries}",
        )
    say(words(said))


class Progress:
    """A transient Rich progress bar on stderr, on a terminal only, and only once an
    import has taken longer than a second (a small file never flashes one)."""

    def __init__(self) -> None:
        self.started = time.monotonic()
        self.bar: Any = None
        self.task: Any = None
        self.enabled = sys.stderr is not None and sys.stderr.isatty()

    def tick(self, done: int, total: int) -> None:
        if not self.enabled or time.monotonic() - self.started < 1.0:
            return
        if self.bar is None:
            from rich.console import Console
            from rich.progress import Progress as Bar

            self.bar = Bar(console=Console(stderr=True), transient=True)
            self.bar.start()
            self.task = self.bar.add_task(words(note("Importing")), total=total)
        self.bar.update(self.task, completed=done, total=total)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.stop()
