"""The JSON shape of a card and its history: one definition for ``show --json``,
``list --json``, ``find --json`` and the export file, which must never drift apart.

Data, not words: keys and vocabulary ids are English in every language (the contract
scripts rely on, documented in the README).
"""

from __future__ import annotations

from typing import Any

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


def client_json(client: Client, last: Entry | None = None) -> Json:
    """The card as scripts see it in ``show``, ``list`` and ``find``."""
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
        "tags": client.tags,
        "fields": client.fields,
        "filed": filed_json(client.placement),
        "archived": client.archived,
        "archived_at": client.archived_at,
        "archive_reason": client.archive_reason,
        "created": client.created_at,
        "updated": client.updated_at,
        "last_contact": entry_json(last),
    }


def show_json(client: Client, history: list[Entry]) -> Json:
    data = client_json(client, history[0] if history else None)
    data["history"] = [entry_json(e) for e in history]
    return data
