"""The team's own forms: define, list and remove the fields every dossier carries, and
read a value typed for one (``edit --set budget=1.234,5``) by the field's type.

Each function runs inside the command's unit of work (``app.unit``): whatever it raises,
nothing it did is kept, and a write is one ``undo`` step (``field rm --force`` brings
back the definition and every value it deleted).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING

from ..domain import fields as forms
from ..domain.errors import DossierError, UsageError
from ..domain.fields import FieldDef
from ..domain.messages import Message, note
from ..i18n import language

if TYPE_CHECKING:
    from ..storage.base import Store
    from ..storage.records import Finding

SHOWN = 5  # clients named in a notice, e.g. #4, #7, …


@dataclass
class Added:
    """A field just defined, and what became of the values typed before it existed."""

    defn: FieldDef
    notices: list[Message] = field(default_factory=list)


def definitions(store: Store) -> list[FieldDef]:
    """The team's fields, in the order they were defined."""
    return store.field_defs()


def in_use(store: Store, defs: Sequence[FieldDef]) -> list[int]:
    """How many dossiers hold a value for each of ``defs``."""
    return [store.field_value_count(d.name) for d in defs]


def add(store: Store, today: date, defn: FieldDef) -> Added:
    """Define a field. Values some dossiers already hold under that name (free text, as
    ``--set`` kept them) become the field's: those that read as its type are rewritten
    in its form, the others are kept as written and named in a warning."""
    defn = forms.check_definition(defn)
    if forms.reserved(defn.name):
        raise UsageError(
            "field name {name!r} is taken by the card itself; choose another name",
            name=defn.name,
        )
    existing = forms.find(store.field_defs(), defn.name)
    if existing is not None:
        raise UsageError(
            "field {name} is already defined (type {type}); 'dossier field rm {name}' removes it",
            name=existing.name,
            type=existing.type,
        )
    store.add_field_def(defn)
    store.adopt_field_key(defn.name)
    return Added(defn, _adopt(store, today, defn))


def _adopt(store: Store, today: date, defn: FieldDef) -> list[Message]:
    """Bring the values already held under the field's name into its form."""
    held = store.field_values(defn.name)
    if defn.type == "text" or not held:
        return []
    rewritten: list[tuple[int, str]] = []
    unread: list[int] = []
    for client_id, value in held:
        try:
            canonical = forms.read_value(defn, value, today=today, lang=language())
        except UsageError:
            unread.append(client_id)
            continue
        if canonical != value:
            rewritten.append((client_id, canonical))
    store.set_field_values(defn.name, rewritten)
    notices: list[Message] = []
    if rewritten:
        notices.append(
            Message(
                "{count} value already held was rewritten as a {type}",
                {"count": len(rewritten), "type": defn.type},
                "note",
                "{count} values already held were rewritten as a {type}",
            )
        )
    if unread:
        notices.append(
            Message(
                "{count} dossier holds a {field} value that is not a {type}, kept as "
                "written ({clients}); correct it with 'dossier edit CLIENT --set {field}=…'",
                {
                    "count": len(unread),
                    "field": defn.name,
                    "type": defn.type,
                    "clients": _ids(unread, len(unread)),
                },
                "warning",
                "{count} dossiers hold a {field} value that is not a {type}, kept as "
                "written ({clients}); correct them with 'dossier edit CLIENT --set {field}=…'",
            )
        )
    return notices


def remove(store: Store, name: str, force: bool) -> tuple[FieldDef, int]:
    """Remove a field's definition; while dossiers hold values for it, only with
    ``force``, which deletes those values too. Returns the definition and how many
    values went with it."""
    defn = named(store, name)
    count = store.field_value_count(defn.name)
    if count and not force:
        raise DossierError(
            "{count} dossier holds a value for {field}; nothing was removed: 'dossier field "
            "rm {field} --force' removes the field and its value",
            plural="{count} dossiers hold a value for {field}; nothing was removed: "
            "'dossier field rm {field} --force' removes the field and its values",
            count=count,
            field=defn.name,
        )
    removed = store.remove_field_values(defn.name)
    store.remove_field_def(defn.name)
    return defn, removed


def named(store: Store, name: str) -> FieldDef:
    """The defined field called ``name`` (case ignored), or a usage error."""
    defs = store.field_defs()
    found = forms.find(defs, name)
    if found is None:
        if defs:
            raise UsageError(
                "no field {name!r} is defined (defined: {names})",
                name=name,
                names=", ".join(d.name for d in defs),
            )
        raise UsageError("no field {name!r} is defined; 'dossier field add' defines one", name=name)
    return found


def typed_values(store: Store, sets: dict[str, str], today: date) -> dict[str, str]:
    """``--set`` values as stored: a defined field's (its name matched with case
    ignored) under the definition's spelling, read by its type in the run's language
    (a bad value is a usage error naming the field, the type and an example); a free
    field's as typed."""
    defs = store.field_defs() if sets else []
    values: dict[str, str] = {}
    for key, value in sets.items():
        defn = forms.find(defs, key)
        if defn is None:
            values[key] = value
        else:
            values[defn.name] = forms.read_value(defn, value, today=today, lang=language())
    return values


def spelled(store: Store, keys: Iterable[str]) -> list[str]:
    """Field keys as stored: a defined field's name however it was typed."""
    wanted = list(keys)
    defs = store.field_defs() if wanted else []
    return [(d.name if (d := forms.find(defs, key)) else key) for key in wanted]


def missing_findings(store: Store) -> list[Finding]:
    """One warning line of ``dossier check`` per required field: how many active
    dossiers leave it empty. A warning, not a failure: the folder is sound, the forms
    are not filled in yet."""
    from ..storage.records import Finding

    findings = []
    for defn in store.field_defs():
        if not defn.required:
            continue
        ids, total = store.list_clients(missing=defn.name, limit=SHOWN)
        rule = note("required field {field} is filled", field=defn.name)
        if not total:
            findings.append(Finding(rule, True, note("ok"), warning=True))
            continue
        found = Message(
            "{count} active dossier leaves it empty ({clients}); 'dossier list --missing "
            "{field}' lists it",
            {"count": total, "field": defn.name, "clients": _ids(ids, total)},
            "warning",
            "{count} active dossiers leave it empty ({clients}); 'dossier list --missing "
            "{field}' lists them",
        )
        findings.append(Finding(rule, False, found, warning=True))
    return findings


def _ids(ids: Sequence[int], total: int) -> Message | str:
    """``#4, #7`` (and ``…`` when there are more than the ones shown)."""
    listed = ", ".join(f"#{i}" for i in ids[:SHOWN])
    return note("{clients} …", clients=listed) if total > SHOWN else listed


# --- the JSON export's definitions -------------------------------------------------------


def merge_definitions(
    store: Store, incoming: Sequence[FieldDef], *, dry_run: bool = False
) -> list[FieldDef]:
    """Define the fields of an export that this folder lacks; a field this folder
    defines with another type refuses the import (nothing is written). Returns the
    definitions added (with ``dry_run``: that would be added; nothing is written)."""
    defs = store.field_defs()
    added: list[FieldDef] = []
    for defn in incoming:
        here = forms.find(defs, defn.name)
        if here is None:
            checked = forms.check_definition(defn)
            if not dry_run:
                store.add_field_def(checked)
            defs.append(checked)
            added.append(checked)
        elif here.type != defn.type:
            raise DossierError(
                "the file's field {field} is a {type} field, this folder's a {here} field; "
                "nothing was imported",
                field=defn.name,
                type=defn.type,
                here=here.type,
            )
    return added
