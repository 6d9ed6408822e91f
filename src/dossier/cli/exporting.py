"""``export``: the folder as JSON (everything, for a colleague's dossier), CSV (a
spreadsheet), vCard (the phone's contacts) or iCalendar (the plan in a calendar app)."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from ..app.clock import stamp
from ..domain.errors import UsageError
from ..domain.messages import note
from ..ui.words import words
from .base import Stage, TagFilter, app, lazy, one_of, say, session

if TYPE_CHECKING:
    from collections.abc import Iterable

    from ..app import exporting, transfer
    from ..app.unit import Unit
else:
    exporting = lazy("dossier.app.exporting")
    transfer = lazy("dossier.app.transfer")

FORMATS = ("json", "csv", "vcf", "ics")


@app.command()
def export(
    ctx: typer.Context,
    format_: Annotated[
        str, typer.Option("--format", metavar="FORMAT", help=one_of(FORMATS))
    ] = "json",
    output: Annotated[
        Path | None,
        typer.Option("--output", "-o", metavar="FILE", help="Write here (default: stdout)."),
    ] = None,
    force: Annotated[bool, typer.Option("--force", help="Replace FILE if it exists.")] = False,
    tag: TagFilter = None,
    stage: Stage = None,
    excel: Annotated[
        bool, typer.Option("--excel", help="CSV for Excel: a byte-order mark and ';'.")
    ] = False,
    details: Annotated[
        bool,
        typer.Option("--details", help="ics: phones, e-mails, last note; vcf: the 'for' as NOTE."),
    ] = False,
) -> None:
    """Every dossier as JSON, or the clients as CSV or vCard, or the plan as iCalendar."""
    kind = format_.strip().lower()
    if kind not in FORMATS:
        raise UsageError(
            "--format {value!r} is not one of: {allowed}", value=format_, allowed=", ".join(FORMATS)
        )
    if excel and kind != "csv":
        raise UsageError("--excel is for --format csv")
    if details and kind not in ("ics", "vcf"):
        raise UsageError("--details is for --format ics or vcf")
    tags = tag or []
    with session(ctx, write=False) as unit:
        if kind == "json":
            _json(unit, tags, stage, output, force)
        else:
            data = _document(unit, kind, tags, stage, excel, details)
            if output is None:
                sys.stdout.flush()
                for chunk in data:
                    sys.stdout.buffer.write(
                        chunk.encode("utf-8") if isinstance(chunk, str) else chunk
                    )
                sys.stdout.buffer.flush()
                return
            from ..app.files import write_private

            write_private(output, data, force=force)
    if output is not None:
        say(words(note("Exported to {path}", path=output)))


def _json(unit: Unit, tags: list[str], stage: str | None, output: Path | None, force: bool) -> None:
    """The JSON export, as before the other formats: everything (done dossiers too) or,
    with filters, the clients that match them."""
    from ..domain.text import encodes_everything

    store, exported_at = unit.store, stamp(unit.today)
    ids = exporting.chosen(store, tags, stage, done_too=True) if tags or stage else None
    if output is None:
        # Lossless on any stdout: where the stream cannot encode every character
        # (an ASCII locale, a cp1252 console) they are written as \uXXXX escapes,
        # so the stream's '?' replacement never touches the data.
        ascii_only = not encodes_everything(sys.stdout.encoding)
        for chunk in transfer.export(store, exported_at, ascii_only=ascii_only, ids=ids):
            sys.stdout.write(chunk)
        return
    # A file is always UTF-8, written whole or not at all (never a truncated export).
    from ..app.files import write_private

    write_private(output, transfer.export(store, exported_at, ids=ids), force=force)


def _document(
    unit: Unit, kind: str, tags: list[str], stage: str | None, excel: bool, details: bool
) -> Iterable[str | bytes]:
    """A CSV, vCard or iCalendar document, always UTF-8 (the formats say so)."""
    store = unit.store
    if kind == "csv":
        return exporting.csv_document(store, tags, stage, excel=excel)
    if kind == "vcf":
        return [exporting.vcard_document(store, tags, stage, details=details)]
    from ..app import config, ical
    from ..ui import exports

    texts = ical.EventTexts(exports.event_summary, exports.event_description)
    zone = config.timezone_in_force(unit.settings)
    return [ical.calendar(store, tags, stage, zone=zone, texts=texts, details=details)]


def _to_stdout(data: Iterable[str | bytes]) -> None:
    """A document on stdout as its bytes, UTF-8 whatever the locale: these formats are
    UTF-8 by definition, and data is never passed through the '?' of person views."""
    sys.stdout.flush()
    for chunk in data:
        sys.stdout.buffer.write(chunk.encode("utf-8") if isinstance(chunk, str) else chunk)
    sys.stdout.buffer.flush()
