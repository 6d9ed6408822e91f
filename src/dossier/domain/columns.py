"""Which part of a card each column of an import file fills, from its header.

Headers are matched with case, accents, spaces, underscores and hyphens ignored
(``E-mail 2``, ``email_2`` and ``EMAIL2`` are one), in English and Spanish and as Google
and Outlook name them in their contact exports. A Google "Phone 1 - Type" column is a
label for the next one, not data: it is ignored. Any other column is a field of the
client under its header: the team's form field of that name when there is one, else a
free field. ``--map COLUMN=FIELD`` says it for a column outright (``-``: ignore it).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from .errors import UsageError
from .fields import FieldDef
from .incoming import KEYS, Incoming
from .names import fold

# The card's keys by folded header. A number after a name (Phone 2, E-mail 3) and
# Google's " - Value" / Outlook's " Address" are read by PATTERNS below.
ALIASES = {
    "name": ("name", "nombre", "fullname", "nombrecompleto", "displayname", "cliente"),
    "first": ("firstname", "givenname", "nombredepila"),
    "last": ("lastname", "familyname", "surname", "apellidos", "apellido"),
    "company": (
        "company", "empresa", "organization", "organisation", "organizacion",
        "organization1name", "organizationname", "compania", "companyname",
    ),
    "position": (
        "position", "cargo", "puesto", "jobtitle", "organization1title",
        "organizationtitle", "puestodetrabajo",
    ),
    "stage": ("stage", "etapa"),
    "tags": ("tags", "tag", "etiquetas", "etiqueta"),
    "next": ("next", "proximo", "fecha", "nextcontact", "proximocontacto"),
    "at": ("at", "hora", "time"),
    "for": ("for", "motivo", "purpose"),
    "note": ("note", "nota", "notes", "notas"),
    "uid": ("uid",),
}  # fmt: skip
PHONE = re.compile(
    r"(phone|telefono|movil|mobile|mobilephone|cellphone|businessphone|homephone"
    r"|primaryphone|otherphone|carphone|companymainphone|telefonomovil|celular)\d*(value)?"
)
EMAIL = re.compile(r"(email|correo|correoelectronico|mail)\d*(address|value)?")
OUTLOOK_EMAIL = re.compile(r"email\d*address")
LABEL = re.compile(r"[a-z]+\d+(type|label)")  # Google's "Phone 1 - Type"
BY_HEADER = {alias: key for key, aliases in ALIASES.items() for alias in aliases}
IGNORE = "-"


@dataclass(frozen=True)
class Column:
    """What one column fills: a card key, a field (typed when ``defn``), or nothing."""

    header: str
    key: str | None = None  # one of incoming.KEYS
    field: str | None = None  # the field's name
    defn: FieldDef | None = None  # the team's definition of that field
    label: bool = False  # ignored: a label for the next column (Google's "- Type")

    @property
    def ignored(self) -> bool:
        return self.key is None and self.field is None


def folded(header: str) -> str:
    """A header as it is matched: no case, accents, spaces, ``_``, ``-`` or ``.``."""
    return re.sub(r"[\s_\-.]+", "", fold(header))


def key_for(header: str) -> str | None:
    """The card key a header names, or None."""
    f = folded(header)
    if f in BY_HEADER:
        return BY_HEADER[f]
    if PHONE.fullmatch(f):
        return "phone"
    if EMAIL.fullmatch(f) or OUTLOOK_EMAIL.fullmatch(f):
        return "email"
    return None


def parse_maps(items: Sequence[str]) -> dict[str, str]:
    """``--map COLUMN=FIELD`` options as {COLUMN: FIELD}."""
    maps: dict[str, str] = {}
    for item in items:
        column, sep, target = item.partition("=")
        if not sep or not column.strip() or not target.strip():
            raise UsageError(
                "--map {item!r} needs the form COLUMN=FIELD, e.g. --map 'Cell=phone' "
                "or --map 'Notes=-'",
                item=item,
            )
        maps[column.strip()] = target.strip()
    return maps


def map_columns(
    header: Sequence[str], maps: dict[str, str], defs: Sequence[FieldDef]
) -> list[Column]:
    """What each column of ``header`` fills (see the module's docstring)."""
    by_name = {folded(d.name): d for d in defs}
    given = _given(header, maps)
    keys = [None if i in given else key_for(h) for i, h in enumerate(header)]
    has_last = "last" in keys or any(given.get(i) == "last" for i in range(len(header)))
    columns: list[Column] = []
    for index, head in enumerate(header):
        target = given.get(index)
        if target is not None:
            columns.append(_target(head, target, by_name))
            continue
        key = keys[index]
        if (
            key == "name"
            and has_last
            and folded(head) == "nombre"
            and "name" not in _others(keys, index)
        ):
            key = "first"  # Nombre beside Apellidos is the given name
        if key is not None:
            columns.append(Column(head, key=key))
        elif not head or LABEL.fullmatch(folded(head)):
            columns.append(Column(head, label=bool(head)))
        else:
            defn = by_name.get(folded(head))
            columns.append(Column(head, field=defn.name if defn else head, defn=defn))
    return columns


def _others(keys: list[str | None], index: int) -> list[str | None]:
    return keys[:index] + keys[index + 1 :]


def _given(header: Sequence[str], maps: dict[str, str]) -> dict[int, str]:
    """The column index each ``--map`` names: by the header as written, else folded."""
    given: dict[int, str] = {}
    for column, target in maps.items():
        found = [i for i, h in enumerate(header) if h == column] or [
            i for i, h in enumerate(header) if folded(h) == folded(column)
        ]
        if not found:
            raise UsageError(
                "--map {column!r}: the file has no such column (its columns: {columns})",
                column=column,
                columns=", ".join(h for h in header if h) or "none",
            )
        for i in found:
            given[i] = target
    return given


def _target(head: str, target: str, by_name: dict[str, FieldDef]) -> Column:
    if target == IGNORE:
        return Column(head)
    if target in KEYS:
        return Column(head, key=target)
    key = BY_HEADER.get(folded(target))
    if key is not None or target.lower() in ("phone", "email"):
        return Column(head, key=key or target.lower())
    defn = by_name.get(folded(target))
    return Column(head, field=defn.name if defn else target, defn=defn)


def records(rows: Sequence[tuple[int, list[str]]], columns: Sequence[Column]) -> list[Incoming]:
    """The rows as incoming records: values kept as written (trimmed), empty cells
    dropped; a tags cell split at ``,`` and ``;``, a phone or e-mail cell at Google's
    ``:::``. The hot loop of a 100,000-row import: kept plain."""
    used = [(i, c.field, c.key) for i, c in enumerate(columns) if not c.ignored]
    sources: dict[str, str] = {}  # key -> its first column, shared by every record
    for column in columns:
        if column.field is not None:
            sources.setdefault("field:" + column.field, column.header)
        elif column.key is not None:
            sources.setdefault(column.key, column.header)
    found: list[Incoming] = []
    for line, cells in rows:
        values: dict[str, list[str]] = {}
        fields: dict[str, str] = {}
        width = len(cells)
        for index, name, key in used:
            if index >= width:
                continue
            cell = cells[index].strip()
            if not cell:
                continue
            if name is not None:
                fields.setdefault(name, cell)
            elif key == "tags":
                parts = [t.strip() for t in re.split(r"[,;]", cell) if t.strip()]
                values.setdefault("tags", []).extend(parts)
            elif (key == "phone" or key == "email") and ":::" in cell:
                parts = [p.strip() for p in cell.split(":::") if p.strip()]
                values.setdefault(key, []).extend(parts)
            else:
                assert key is not None
                values.setdefault(key, []).append(cell)
        found.append(Incoming(line, values, fields, sources))
    return found
