"""The cards as a spreadsheet: the CSV that ``dossier export --format csv`` writes and
``dossier import`` reads back with no ``--map``.

The columns, in order: ``Name, Company, Position, Phone, Phone 2, …, E-mail, E-mail 2,
…, Stage, Tags, Next, At, For``, then one column per team field (in definition order,
headed by the field's name), then the free fields (sorted). ``Phone N`` and ``E-mail N``
go only as far as the widest card needs. ``Next`` is a day (``2024-07-05``) or a month
tab (``2024-07``); ``At`` is ``HH:MM``; tags are joined by ``", "``.

A cell a spreadsheet would run as a formula is written with a leading ``'`` (see
``delimited.guarded``, whose inverse the import applies). Pure: text in, text out.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator, Sequence

from .delimited import guarded
from .fields import FieldDef
from .records import Client


def widths(clients: Sequence[Client]) -> tuple[int, int]:
    """How many phone and e-mail columns these cards need (at least one of each)."""
    phones = max([1, *(len(c.phones) for c in clients)])
    emails = max([1, *(len(c.emails) for c in clients)])
    return phones, emails


def header(phones: int, emails: int, fields: Sequence[str]) -> list[str]:
    """The header row (see the module's docstring); ``fields``: the field columns."""
    return [
        "Name",
        "Company",
        "Position",
        *numbered("Phone", phones),
        *numbered("E-mail", emails),
        "Stage",
        "Tags",
        "Next",
        "At",
        "For",
        *fields,
    ]


def numbered(label: str, count: int) -> list[str]:
    """``Phone``, ``Phone 2``, … ``Phone {count}``."""
    return [label] + [f"{label} {n}" for n in range(2, count + 1)]


def free_keys(clients: Iterable[Client], defs: Sequence[FieldDef]) -> list[str]:
    """The keys of the fields no team definition names, sorted."""
    defined = {d.name for d in defs}
    return sorted({key for c in clients for key in c.fields} - defined)


def row(
    client: Client,
    phones: int,
    emails: int,
    fields: Sequence[str],
    numbers: frozenset[str] = frozenset(),
) -> list[str]:
    """One card as the cells of the header's columns (``fields``: the field columns);
    the values of the ``numbers`` fields with a decimal comma."""
    place = client.placement
    due = month = at = purpose = None
    if place is not None:
        due, month, at, purpose = place
    cells = [
        client.name,
        client.company or "",
        client.position or "",
        *padded(client.phones, phones),
        *padded(client.emails, emails),
        client.stage,
        ", ".join(client.tags),
        due.isoformat() if due is not None else (month or ""),
        at or "",
        purpose or "",
        *(
            client.fields.get(key, "").replace(".", ",")
            if key in numbers
            else client.fields.get(key, "")
            for key in fields
        ),
    ]
    return [guarded(cell) for cell in cells]


def padded(values: Sequence[str], width: int) -> list[str]:
    return [*values, *([""] * (width - len(values)))]


def write(
    clients: Sequence[Client],
    defs: Sequence[FieldDef],
    *,
    excel: bool = False,
    decimal_comma: bool = False,
) -> Iterator[str]:
    """The CSV document, a chunk per few hundred rows: ``,`` and CRLF, or for ``excel``
    a UTF-8 byte-order mark first and ``;`` (what a Spanish or German Excel opens by a
    double click). The caller encodes it as UTF-8.

    Number fields are written with the decimal mark of the language the import will
    read them in (``decimal_comma`` for Spanish): ``1500.25`` read in Spanish would be
    ambiguous, ``1500,25`` is what a Spanish spreadsheet and ``dossier import`` expect."""
    numbers = frozenset(d.name for d in defs if d.type == "number" and decimal_comma)
    phones, emails = widths(clients)
    fields = [*(d.name for d in defs), *free_keys(clients, defs)]
    buffer = io.StringIO()
    out = csv.writer(buffer, delimiter=";" if excel else ",", lineterminator="\r\n")
    if excel:
        buffer.write("\ufeff")
    out.writerow(header(phones, emails, fields))
    for index, client in enumerate(clients, 1):
        out.writerow(row(client, phones, emails, fields, numbers))
        if index % 500 == 0:
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue()
