"""The JSON shape of a card and its history: one definition for ``show --json``,
``list --json``, ``find --json`` and the export file, which must never drift apart.

Data, not words: keys and vocabulary ids are English in every language (the contract
scripts rely on, documented in the README).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from .fields import FieldDef, typed_fields
from .records import Client, Entry, Placement

Json = dict[str, Any]


def entry_json(entry: Entry | None) -> Json | None:
    if entry is None:
        return None
    return {"at": entry.at, "kind": entry.kind, "outcome": entry.outcome, "text": entry.text}


def filed_json(placement: Placement | None) -> Json | None:
    if placement is None:
        return None
    return {
        "due": placement.due.isoformat() if placement.due else None,
        "month": placement.month,
        "at": placement.at,
        "for": placement.purpose,
    }


def client_json(client: Client, last: Entry | None = None, defs: Sequence[FieldDef] = ()) -> Json:
    """The card as scripts see it in ``show``, ``list`` and ``find``: a field the team
    defined (``defs``) with its JSON type (a number field's value as a number)."""
    return {
        "id": client.id,
        "name": client.name,
        "company": client.company,
        "position": client.position,
        "phone": client.phone,
        "phones": client.phones,
        "email": client.email,
        "emails": client.emails,
        "uid": client.uid,
        "stage": client.stage,
        "owner": client.owner,
        "every": client.every,
        "tags": client.tags,
        "fields": typed_fields(client.fields, list(defs)),
        "filed": filed_json(client.placement),
        "archived": client.archived,
        "archived_at": client.archived_at,
        "archive_reason": client.archive_reason,
        "created": client.created_at,
        "updated": client.updated_at,
        "last_contact": entry_json(last),
    }


def show_json(client: Client, history: list[Entry], defs: Sequence[FieldDef] = ()) -> Json:
    data = client_json(client, history[0] if history else None, defs)
    data["history"] = [entry_json(e) for e in history]
    return data


def field_def_json(defn: FieldDef) -> Json:
    """A field of the team's form, as ``field list --json`` and the export give it."""
    return {
        "name": defn.name,
        "type": defn.type,
        "choices": list(defn.choices),
        "required": defn.required,
        "label": defn.label,
    }
