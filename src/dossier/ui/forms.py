"""The team's own forms as a person reads them: the list of fields, and a card's fields
in definition order, a required one left empty said as "missing".

Shared by the plain and Rich views (``plain.card_lines``, ``terminal.show``); JSON is
``domain.shapes`` (English, typed values).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from decimal import Decimal, InvalidOperation

from ..domain.dates import format_day
from ..domain.fields import FieldDef
from ..domain.records import Client
from ..domain.text import clean
from ..i18n import _, language


def form_lines(client: Client, defs: Sequence[FieldDef]) -> list[tuple[str, str, bool]]:
    """(title, value, missing) of the card's fields: the team's, in definition order
    (every one, empty or not), then the free ones as kept. ``missing``: a required
    field left empty, whose value is then the word for it."""
    lines: list[tuple[str, str, bool]] = []
    defined = {d.name for d in defs}
    for defn in defs:
        stored = client.fields.get(defn.name, "")
        if not stored.strip() and defn.required:
            lines.append((defn.title, _("missing"), True))
        else:
            lines.append((defn.title, shown_value(defn, stored), False))
    lines += [(key, value, False) for key, value in client.fields.items() if key not in defined]
    return lines


def shown_value(defn: FieldDef | None, stored: str) -> str:
    """A stored value as the run's language writes it: a number with its marks
    (12,500.5 or 12.500,5), a date as a day (Fri 5 Jul 2024); others as kept."""
    if defn is None or not stored:
        return stored
    if defn.type == "number":
        try:
            number = Decimal(stored)
        except InvalidOperation:  # kept as written before the field was typed
            return stored
        if not number.is_finite():
            return stored
        written = f"{number:,}"
        if language() == "es":
            written = written.translate(str.maketrans(",.", ".,"))
        return written
    if defn.type == "date":
        try:
            return format_day(date.fromisoformat(stored), lang=language())
        except ValueError:
            return stored
    return stored


def type_words(defn: FieldDef) -> str:
    """The type column of ``field list``: ``choice: a, b, c`` for a choice."""
    if defn.type == "choice":
        return f"{defn.type}: {', '.join(defn.choices)}"
    return defn.type


def fields_plain(defs: Sequence[FieldDef], counts: Sequence[int]) -> str:
    """``dossier field list``: one line per field, in definition order."""
    from .plain import table

    if not defs:
        return _("No fields defined yet; 'dossier field add NAME --type TYPE' defines one.")
    headings = (_("FIELD"), _("TYPE"), _("REQUIRED"), _("LABEL"), _("FILLED"))
    rows = [
        [
            clean(d.name),
            clean(type_words(d)),
            _("yes") if d.required else _("no"),
            clean(d.label or ""),
            str(count),
        ]
        for d, count in zip(defs, counts, strict=True)
    ]
    return table(headings, rows)
