"""The team's own forms: field definitions, and reading a typed value the way users type it.

A team adds fields that every dossier carries (``dossier field add budget --type number``).
A value is stored as text in its canonical form (a number as ``1234.5``, a date as
``2024-07-05``, a choice as the list spells it, a phone or an e-mail as written) so that
the storage stays one table of (client, key, value) for typed and free fields alike, and
``--json`` gives a typed field its JSON type (``json_value``). Pure: no I/O, no clock
(``today`` is passed in), no sentences (errors are message ids).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import Any

from .errors import DateError, UsageError
from .names import fold
from .records import FIELD_TYPES

# An example of a good value, per type, for the one-line error a bad value gets.
EXAMPLES = {
    "text": "anything",
    "number": "1234.5",
    "date": "2024-07-05",
    "choice": "",
    "phone": "+34 600 12 34 56",
    "email": "ana@example.com",
}

# Field names are keys users type after --set and read as CSV headers: a letter first,
# then letters, digits, '_', '-', '.' or spaces inside.
_NAME = re.compile(r"^[^\W\d_][\w .\-]*$")
_EMAIL = re.compile(r"^[^@\s<>()\[\],;:\"]+@[^@\s<>()\[\],;:\"]+\.[^@\s<>()\[\],;:\".]+$")
_PHONE_CHARS = re.compile(r"^\+?[0-9 ()./\-]+$")


@dataclass(frozen=True)
class FieldDef:
    """One field of the team's form, in the order the team defined them."""

    name: str
    type: str = "text"
    choices: tuple[str, ...] = ()
    required: bool = False
    label: str | None = None

    @property
    def title(self) -> str:
        """What a view heads the value with: the label, else the name."""
        return self.label or self.name


def check_definition(defn: FieldDef) -> FieldDef:
    """The definition as stored, or a usage error naming what is wrong with it."""
    name = " ".join(defn.name.split())
    if not name or not _NAME.match(name):
        raise UsageError(
            "field name {name!r} must start with a letter and hold only letters, digits, "
            "spaces, '_', '-' or '.'",
            name=defn.name,
        )
    kind = defn.type.strip().lower()
    if kind not in FIELD_TYPES:
        raise UsageError(
            "--type {value!r} is not one of: {allowed}",
            value=defn.type,
            allowed=", ".join(FIELD_TYPES),
        )
    choices = tuple(dict.fromkeys(c.strip() for c in defn.choices if c.strip()))
    if kind == "choice" and not choices:
        raise UsageError("a choice field needs its list: --choices a,b,c")
    if kind != "choice" and choices:
        raise UsageError("--choices is only for --type choice")
    folded = [fold(c) for c in choices]
    if len(set(folded)) != len(folded):
        raise UsageError("--choices holds the same choice twice (case and accents ignored)")
    label = " ".join(defn.label.split()) if defn.label else None
    return FieldDef(name, kind, choices, defn.required, label or None)


def read_value(defn: FieldDef, text: str, *, today: date, lang: str = "en") -> str:
    """``text`` as the field stores it, or a usage error (exit 2) naming the field, its
    type and an example of a good value.

    Numbers are read by the language's decimal mark (``1.234,5`` and ``1,234.5`` both
    read 1234.5; ``1,5`` is refused in English as ambiguous); dates with the date words
    (past or future); a choice matches its list with case and accents ignored.
    """
    value = text.strip()
    if defn.type == "text" or not value:
        return value
    if defn.type == "number":
        return _number(defn, value, lang)
    if defn.type == "date":
        return _date(defn, value, today, lang)
    if defn.type == "choice":
        wanted = fold(value)
        for choice in defn.choices:
            if fold(choice) == wanted:
                return choice
        raise UsageError(
            "field {field}: {value!r} is not one of its choices: {choices}",
            field=defn.name,
            value=value,
            choices=", ".join(defn.choices),
        )
    if defn.type == "phone":
        if _PHONE_CHARS.match(value) and sum(c.isdigit() for c in value) >= 3:
            return value
        raise _bad(defn, value)
    if defn.type == "email":
        if _EMAIL.match(value):
            return value
        raise _bad(defn, value)
    return value


def json_value(defn: FieldDef | None, stored: str) -> Any:
    """A stored value as ``--json`` gives it: a number field's as a JSON number, every
    other (dates are already ISO text) as the string it is."""
    if defn is None or defn.type != "number" or not stored:
        return stored
    try:
        number = float(stored)
    except ValueError:  # written before the field was typed, or by hand: kept as text
        return stored
    return int(number) if number.is_integer() and "." not in stored else number


def _bad(defn: FieldDef, value: str, lang: str = "en") -> UsageError:
    example = "1234,5" if defn.type == "number" and lang == "es" else EXAMPLES[defn.type]
    return UsageError(
        "field {field} is a {type} field: {value!r} does not read as one (e.g. {example})",
        field=defn.name,
        type=defn.type,
        value=value,
        example=example,
    )


def _number(defn: FieldDef, value: str, lang: str) -> str:
    """Read a number typed with group and decimal marks; canonical text out."""
    text = value.replace("\u00a0", "").replace("\u202f", "").replace(" ", "").replace("_", "")
    sign = ""
    if text[:1] in "+-":
        sign, text = ("-" if text[0] == "-" else ""), text[1:]
    if not text or not re.fullmatch(r"[0-9.,]+", text) or not text[0].isdigit():
        raise _bad(defn, value, lang)
    decimal_mark = "," if lang == "es" else "."
    marks = [c for c in text if c in ".,"]
    if not marks:
        return sign + str(int(text))
    if len(set(marks)) == 2:  # both: the last one is the decimal mark
        point = text.rfind(".") if text.rfind(".") > text.rfind(",") else text.rfind(",")
        whole, fraction = text[:point], text[point + 1 :]
        group = "," if text[point] == "." else "."
        if marks.count(text[point]) != 1 or not _grouped(whole, group) or not fraction:
            raise _bad(defn, value, lang)
        return _canonical(sign, whole.replace(group, ""), fraction)
    mark = marks[0]
    if len(marks) > 1:  # one mark, several times: it groups thousands
        if not _grouped(text, mark):
            raise _bad(defn, value, lang)
        return _canonical(sign, text.replace(mark, ""), "")
    whole, fraction = text.split(mark)
    if mark == decimal_mark:
        if not fraction:
            raise _bad(defn, value, lang)
        return _canonical(sign, whole, fraction)
    if _grouped(text, mark):  # the language's thousands mark: 1,234 in English
        return _canonical(sign, whole + fraction, "")
    raise UsageError(
        "field {field}: {value!r} is ambiguous; write the number with the decimal mark "
        "'{mark}' (e.g. {example})",
        field=defn.name,
        value=value,
        mark=decimal_mark,
        example="1234,5" if lang == "es" else "1234.5",
    )


def _grouped(text: str, mark: str) -> bool:
    """``12,345,678``: a first group of 1-3 digits, then groups of exactly three."""
    parts = text.split(mark)
    return 1 <= len(parts[0]) <= 3 and all(len(p) == 3 and p.isdigit() for p in parts[1:])


def _canonical(sign: str, whole: str, fraction: str) -> str:
    whole = str(int(whole or "0"))
    fraction = fraction.rstrip("0")
    if sign == "-" and whole == "0" and not fraction:
        sign = ""
    return sign + whole + ("." + fraction if fraction else "")


def _date(defn: FieldDef, value: str, today: date, lang: str) -> str:
    from .dates import Day, parse_past_day, parse_when

    try:
        target = parse_when(value, today, allow_past=True, lang=lang)
    except DateError:
        try:  # the past-only forms: "3 days ago", "hace 2 semanas"
            return parse_past_day(value, today, lang=lang).isoformat()
        except DateError:
            raise _bad(defn, value) from None
    if not isinstance(target, Day):
        raise _bad(defn, value)
    return target.date.isoformat()


# Names a card or an import file already gives a meaning to: a team field so named would
# be shadowed by the card's own value (``--set company=…``) or taken for it by ``import``
# (a CSV column "Phone 2", "Next" or "Etiquetas"). Compared folded, without spaces,
# '-', '_' or '.'.
RESERVED = frozenset((
    "id", "name", "first", "last", "fullname", "firstname", "lastname", "company",
    "organization", "organisation", "position", "title", "jobtitle", "phone", "phones",
    "mobile", "tel", "telephone", "email", "emails", "mail", "stage", "tags", "tag", "next",
    "at", "for", "note", "notes", "uid", "filed", "history", "created", "updated",
    "archived", "nombre", "apellidos", "nombrecompleto", "empresa", "organizacion", "cargo",
    "puesto", "telefono", "movil", "correo", "correoelectronico", "etapa", "etiquetas",
    "etiqueta", "proximo", "fecha", "motivo", "nota", "notas",
))  # fmt: skip


def reserved(name: str) -> bool:
    """Whether ``name`` is one the card itself uses (``Phone 2``, ``E-mail``, ``Etapa``).

    >>> reserved("E-mail 2"), reserved("Teléfono"), reserved("budget")
    (True, True, False)
    """
    key = re.sub(r"[\s_.\-]", "", fold(name))
    return key in RESERVED or re.fullmatch(r"(phone|email|telefono|correo)\d+", key) is not None


def find(defs: list[FieldDef], name: str) -> FieldDef | None:
    """The definition called ``name``, case ignored (``Budget`` is ``budget``)."""
    wanted = " ".join(name.split()).casefold()
    return next((d for d in defs if d.name.casefold() == wanted), None)


def typed_fields(fields: dict[str, str], defs: list[FieldDef]) -> dict[str, Any]:
    """A card's fields as ``--json`` gives them: a defined field's value with its JSON
    type (``json_value``), a free field's as the text it is."""
    if not defs:
        return dict(fields)
    by_name = {d.name: d for d in defs}
    return {key: json_value(by_name.get(key), value) for key, value in fields.items()}
