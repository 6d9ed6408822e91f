"""``dossier import FILE``: clients from a spreadsheet (CSV, TSV, TXT), the contacts of a
phone or a mail program (vCard) or a colleague's export (JSON), in one transaction.

The format comes from the extension and the content. Every reader turns its file into
``Incoming`` records; one checker (``domain.intake``) makes them cards and finds every
problem and every duplicate before anything is written. Then, in one transaction that
``undo`` reverts as one step, the merges are written first (row by row, recorded by the
undo triggers) and the new clients after them, through the bulk path (one undo step for
the whole range of new ids).
"""

from __future__ import annotations

import csv
import io
import os
import stat
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..domain import columns as cols
from ..domain import intake
from ..domain.dates import Day, parse_when
from ..domain.errors import UsageError
from ..domain.incoming import Incoming
from ..domain.messages import Message
from ..domain.records import Client, Placement
from ..domain.validate import Card, HistoryEntry

if TYPE_CHECKING:
    from ..domain.workdays import WorkCalendar
    from ..storage.base import Store

DELIMITED = (".csv", ".tsv", ".txt", ".tab")
VCARD = (".vcf", ".vcard")
MODES = ("error", "skip", "merge")
CHUNK = 5_000  # records checked between two ticks of the progress bar

Tick = Callable[[int, int], None]  # (done, total)


@dataclass
class Source:
    """A file read into records: how it was read, and its rows as written (for the report)."""

    kind: str  # "delimited" or "vcard"
    records: list[Incoming]
    columns: list[cols.Column] = field(default_factory=list)
    header: list[str] = field(default_factory=list)
    cells: list[list[str]] = field(default_factory=list)  # by record index
    encoding: str = ""
    delimiter: str = ","


@dataclass
class Merge:
    """What a merge changes on a client of the folder."""

    client: Client
    values: dict[str, Any]
    tags: list[str]
    fields: dict[str, str]
    placement: Placement | None
    notes: list[str]

    @property
    def changes(self) -> bool:
        return bool(self.values or self.tags or self.fields or self.placement or self.notes)


@dataclass
class Outcome:
    """What an import did (or, dry, would do), and what it refused."""

    new: list[Card] = field(default_factory=list)
    merges: list[Merge] = field(default_factory=list)
    folded: int = 0  # records merged into another record of the file
    skipped: list[tuple[int, Message]] = field(default_factory=list)  # (record, why)
    problems: list[tuple[int, intake.Problem]] = field(default_factory=list)  # (record, …)
    notices: list[Message] = field(default_factory=list)
    dry_run: bool = False

    @property
    def merged(self) -> int:
        return sum(1 for m in self.merges if m.changes) + self.folded

    @property
    def unchanged(self) -> int:
        return sum(1 for m in self.merges if not m.changes)


def kind_of(path: Path, data: bytes) -> str:
    """``json``, ``vcard`` or ``delimited``, from the content first, then the extension."""
    head = data[:4096].lstrip(b"\xef\xbb\xbf").lstrip()
    if head[:11].upper() == b"BEGIN:VCARD":
        return "vcard"
    suffix = path.suffix.lower()
    if suffix in VCARD:
        return "vcard"
    if suffix == ".json" or (suffix not in DELIMITED and head[:1] in (b"{", b"[")):
        return "json"
    return "delimited"


def read_bytes(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except IsADirectoryError:
        raise UsageError("{path} is a directory, not a file to import", path=path) from None
    except OSError as exc:
        raise UsageError("cannot read {path}: {reason}", path=path, reason=exc.strerror) from None


def read(
    data: bytes,
    kind: str,
    defs: Sequence[Any],
    maps: dict[str, str],
    encoding: str | None = None,
    delimiter: str | None = None,
) -> Source:
    """The file's records, by its reader."""
    if kind == "vcard":
        import importlib

        try:
            reader = importlib.import_module("dossier.domain.vcard")
        except ImportError:
            raise UsageError("this dossier cannot read vCard files yet") from None
        records: list[Incoming] = reader.read_vcards(data)
        return Source("vcard", records)
    from ..domain.delimited import read_table

    table = read_table(data, encoding, _delimiter(delimiter))
    columns = cols.map_columns(table.header, maps, defs)
    return Source(
        "delimited",
        cols.records(table.rows, columns),
        columns,
        table.header,
        [cells for _, cells in table.rows],
        table.encoding,
        table.delimiter,
    )


def _delimiter(given: str | None) -> str | None:
    if given is None:
        return None
    return {"\\t": "\t", "tab": "\t", "TAB": "\t"}.get(given, given)


def plan(
    store: Store,
    source: Source,
    options: intake.Options,
    mode: str,
    on: str | None,
    calendar: WorkCalendar | None = None,
    tick: Tick | None = None,
) -> Outcome:
    """Check every record and decide what becomes new, what merges, what is skipped."""
    if mode not in MODES:
        raise UsageError(
            "--on-duplicate {value!r} is not one of: {allowed}",
            value=mode,
            allowed=", ".join(MODES),
        )
    outcome = Outcome()
    target = _on(on, options.today, options.lang, calendar, outcome)
    checked, places = _check(source.records, options, tick)
    outcome.problems += [(i, p) for i, ps in places for p in ps]
    outcome.problems += [(index, p) for index, p in _placeless(checked, source, target is not None)]
    known = [intake.Known(*row) for row in store.client_identities()]
    twins = intake.twins([c for _, c in checked], known, options.country)
    by_position = {t.record: t for t in twins}
    new: dict[int, Card] = {}
    into: dict[int, list[intake.Checked]] = {}
    for position, (index, item) in enumerate(checked):
        twin = by_position.get(position)
        if twin is None:
            new[position] = item.card
        elif mode == "error":
            column = item.columns.get(twin.column, "")
            outcome.problems.append((index, intake.Problem(item.line, column, twin.reason)))
        elif mode == "skip":
            outcome.skipped.append((index, twin.reason))
        elif twin.client is not None:
            into.setdefault(twin.client, []).append(item)
        else:
            assert twin.index is not None
            root = by_position.get(twin.index)
            if twin.index in new:
                new[twin.index] = intake.combine(new[twin.index], item.card)
                outcome.folded += 1
            elif root is not None and root.client is not None:
                into.setdefault(root.client, []).append(item)
    outcome.problems.sort(key=lambda found: (found[1].line, found[0]))
    if outcome.problems:
        return outcome
    outcome.new = [_filed(card, target) for card in new.values()]
    outcome.merges = _merges(store, into)
    return outcome


def _check(
    records: list[Incoming], options: intake.Options, tick: Tick | None
) -> tuple[list[tuple[int, intake.Checked]], list[tuple[int, list[intake.Problem]]]]:
    """Check the records a chunk at a time (the progress bar moves between chunks)."""
    checked: list[tuple[int, intake.Checked]] = []
    problems: list[tuple[int, list[intake.Problem]]] = []
    for start in range(0, len(records), CHUNK):
        passed, failed = intake.check(records[start : start + CHUNK], options)
        checked += [(start + c.index, c) for c in passed]
        problems += [(start + i, p) for i, p in failed]
        if tick is not None:
            tick(min(start + CHUNK, len(records)), len(records) * 2)
    return checked, problems


def _placeless(
    checked: list[tuple[int, intake.Checked]], source: Source, has_on: bool
) -> list[tuple[int, intake.Problem]]:
    found = intake.needs_a_place([c for _, c in checked], has_on)
    if not found:
        return []
    by_line = {c.line: (i, c) for i, c in checked}
    return [
        (by_line[p.line][0], p._replace(column=by_line[p.line][1].columns.get("for", "")))
        for p in found
    ]


def _on(
    on: str | None,
    today: date,
    lang: str,
    calendar: WorkCalendar | None,
    outcome: Outcome,
) -> Day | Any | None:
    """``--on DATE`` read as ``file --on`` reads it (a day off rolls on, as there)."""
    if on is None:
        return None
    from ..domain.messages import note

    target = parse_when(on, today, lang=lang)
    if calendar is not None and isinstance(target, Day):
        day, notice = calendar.settle(target.date, target.rolls, note("filed there as asked"))
        outcome.notices += [notice] if notice else []
        return Day(day, rolls=False)
    return target


def _filed(card: Card, target: Any) -> Card:
    """A new client whose record names no day goes where ``--on`` says."""
    if card.due or card.month or target is None:
        return card
    if isinstance(target, Day):
        return replace(card, due=target.date.isoformat())
    return replace(card, month=target.key)


def _merges(store: Store, into: dict[int, list[intake.Checked]]) -> list[Merge]:
    """For each client of the folder met in the file, what its records add to it."""
    merges: list[Merge] = []
    ids = sorted(into)
    for start in range(0, len(ids), 500):
        for client in store.clients_by_ids(ids[start : start + 500]):
            items = into[client.id]
            history: list[HistoryEntry] = []
            if any(item.card.history for item in items):
                history = [
                    HistoryEntry(e.at, e.kind, e.outcome, e.text) for e in store.history(client.id)
                ]
            base = _as_card(client, history)
            merged = base
            for item in items:
                merged = intake.combine(merged, item.card, may_place=not client.archived)
            merges.append(_difference(client, base, merged))
    return merges


def _as_card(client: Client, history: list[HistoryEntry]) -> Card:
    placement = client.placement
    return Card(
        name=client.name,
        company=client.company,
        position=client.position,
        email=client.email,
        phones=list(client.phones),
        stage=client.stage,
        tags=list(client.tags),
        fields=dict(client.fields),
        due=placement.due.isoformat() if placement and placement.due else None,
        month=placement.month if placement else None,
        at=placement.at if placement else None,
        purpose=placement.purpose if placement else None,
        archived=client.archived,
        archived_at=client.archived_at,
        archive_reason=client.archive_reason,
        created=client.created_at,
        history=history,
        more_emails=list(client.more_emails),
        uid=client.uid,
    )


def _difference(client: Client, base: Card, merged: Card) -> Merge:
    values: dict[str, Any] = {
        key: getattr(merged, key)
        for key in ("company", "position", "email", "more_emails", "phones", "stage", "uid")
        if getattr(merged, key) != getattr(base, key)
    }
    placement = None
    if (merged.due, merged.month) != (base.due, base.month):
        placement = Placement(
            date.fromisoformat(merged.due) if merged.due else None,
            merged.month,
            merged.at,
            merged.purpose,
        )
    return Merge(
        client,
        values,
        [t for t in merged.tags if t not in base.tags],
        {k: v for k, v in merged.fields.items() if k not in base.fields},
        placement,
        [e.text for e in merged.history[len(base.history) :]],
    )


def write(store: Store, outcome: Outcome, stamp: str, owner: str | None = None) -> None:
    """Merges first (each change recorded for undo), then the new clients in bulk,
    given to ``owner`` (the importing user; a merged dossier keeps its owner)."""
    for merge in outcome.merges:
        if not merge.changes:
            continue
        client_id = merge.client.id
        if merge.values:
            store.update_client(client_id, merge.values, stamp)
        store.add_tags(client_id, merge.tags)
        if merge.fields:
            store.set_fields(client_id, merge.fields)
        if merge.placement is not None:
            store.place(client_id, merge.placement, stamp)
        for text in merge.notes:
            store.insert_entry(client_id, stamp, "note", None, text)
    if outcome.new:
        store.import_cards(outcome.new, stamp, owner)


# --- the report of rejected rows -------------------------------------------------------


def rejected(source: Source, outcome: Outcome) -> list[tuple[int, list[Message]]]:
    """Each rejected record (by index, in file order) with its reasons."""
    reasons: dict[int, list[Message]] = {}
    for index, problem in outcome.problems:
        reasons.setdefault(index, []).append(problem.message())
    for index, why in outcome.skipped:
        reasons.setdefault(index, []).append(why)
    return sorted(reasons.items(), key=lambda item: source.records[item[0]].line)


def report_rows(source: Source, rows: list[tuple[int, str]]) -> tuple[list[str], list[list[str]]]:
    """The report's header and rows: the record as the file had it, and its reason."""
    if source.kind == "delimited":
        width = len(source.header)
        header = [*source.header, "reason"]
        return header, [
            [*(source.cells[i] + [""] * width)[: max(width, len(source.cells[i]))], why]
            for i, why in rows
        ]
    body = [[str(source.records[i].line), source.records[i].first("name"), why] for i, why in rows]
    return ["line", "name", "reason"], body


def write_report(path: Path, header: list[str], rows: list[list[str]], delimiter: str) -> None:
    """The rejected rows as CSV (UTF-8 with a BOM, for spreadsheets), every cell that a
    spreadsheet would run as a formula guarded with ``'``; private (0600), replacing an
    earlier report but never following a symbolic link."""
    from ..domain.delimited import guarded  # the same guard as the CSV export

    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter)
    for row in [header, *rows]:
        writer.writerow([guarded(cell) for cell in row])
    check_report_path(path)
    from .files import write_private

    write_private(path, [buffer.getvalue()], force=True, bom=True)


def check_report_path(path: Path) -> None:
    """A report goes to a new or a regular file, never through a symbolic link."""
    try:
        status = os.lstat(path)
    except FileNotFoundError:
        if not path.parent.is_dir():
            raise UsageError("--report {path}: its folder does not exist", path=path) from None
        return
    except OSError as exc:
        raise UsageError("--report {path}: {reason}", path=path, reason=exc.strerror) from None
    if stat.S_ISLNK(status.st_mode) or not stat.S_ISREG(status.st_mode):
        raise UsageError(
            "--report {path} is a symbolic link or not a regular file; give another name",
            path=path,
        )
