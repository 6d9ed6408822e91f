"""Handing the folder over: export every dossier with its history to one JSON file, and
import such a file into another folder (a colleague's), in one transaction.

The method's fifth promise: when a manager is absent or leaves, the planned work with all
its detail goes to a colleague instead of vanishing. The file is the same JSON shape as
``dossier show --json``, one object per client, so it is readable by people and scripts.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from ..domain import validate
from ..domain.errors import DossierError, UsageError
from ..domain.validate import Card
from ..storage import sqlite as store
from ..storage.sqlite import bulk
from ..ui.plain import show_json

FORMAT = 1


def export(
    conn: sqlite3.Connection, exported_at: str, *, ascii_only: bool = False
) -> Iterator[str]:
    """The export document, in chunks (a 100k-client folder is never held whole).

    ``ascii_only`` writes every non-ASCII character as a ``\\uXXXX`` escape, for a stream
    that cannot encode them all: an export is data and must be lossless or nothing. Either
    way C1 controls and bidi overrides are escaped (``text.escape_json_controls``), so the
    document shown or ``cat``-ed on a terminal cannot drive it, and parses back the same.
    """
    from ..domain.text import escape_json_controls

    yield json.dumps({"dossier_export": FORMAT, "exported": exported_at})[:-1]
    yield ', "clients": ['
    ids = [row[0] for row in conn.execute("SELECT id FROM client ORDER BY id")]
    for start in range(0, len(ids), 500):
        chunk = store.clients_by_ids(conn, ids[start : start + 500])
        for index, client in enumerate(chunk):
            separator = "" if start == 0 and index == 0 else ","
            history = store.history(conn, client.id)
            document = json.dumps(show_json(client, history), ensure_ascii=ascii_only)
            yield separator + "\n" + escape_json_controls(document)
    yield "\n]}\n"


def read(path: Path) -> list[Card]:
    """The clients of an export file, every value checked and normalised (see
    ``validate``), before the database is even opened: a file with any problem is
    refused whole."""
    try:
        with path.open(encoding="utf-8") as handle:
            document = json.load(handle)
    except OSError as exc:
        raise DossierError(f"cannot read {path}: {exc.strerror}") from None
    except (ValueError, UnicodeDecodeError) as exc:
        raise UsageError(f"{path} is not a dossier export (not JSON: {exc})") from None
    except RecursionError:
        # json.load recurses once per level: [[[[…]]]] 100k deep exhausts the stack.
        raise UsageError(f"{path} is not a dossier export (nested too deeply)") from None
    marker = document.get("dossier_export") if isinstance(document, dict) else None
    if type(marker) is not int or marker != FORMAT:  # true and 1.0 equal 1 in Python
        raise UsageError(f"{path} is not a dossier export (no 'dossier_export': {FORMAT})")
    clients = document.get("clients")
    if not isinstance(clients, list) or not all(isinstance(c, dict) for c in clients):
        raise UsageError(f"{path}: 'clients' must be a list of client objects")
    return validate.cards(clients, str(path))


def import_(conn: sqlite3.Connection, cards: list[Card], stamp: str) -> tuple[int, int]:
    """Add every client of an export as a new dossier; refuse the whole file on a clash."""
    _refuse_clashes(conn, cards)
    first_id = (conn.execute("SELECT coalesce(max(id), 0) FROM client").fetchone()[0]) + 1
    rows, entries, tags, fields = [], [], [], []
    for client_id, card in enumerate(cards, start=first_id):
        rows.append(_client_row(client_id, card, stamp))
        entries += [
            {
                "client_id": client_id,
                "at": e.at,
                "kind": e.kind,
                "outcome": e.outcome,
                "text": e.text,
            }
            for e in card.history
        ]
        tags += [{"client_id": client_id, "tag": tag} for tag in card.tags]
        fields += [(client_id, key, value) for key, value in card.fields.items()]
    from ..storage.sqlite import undo

    undo.record_bulk_insert(conn, first_id, first_id + len(rows) - 1)
    try:
        counts = bulk.load(conn, rows, entries, tags)
    except sqlite3.IntegrityError as exc:
        raise UsageError(f"the export holds a value dossier refuses ({exc})") from None
    conn.executemany("INSERT INTO field (client_id, key, value) VALUES (?, ?, ?)", fields)
    return counts


def _refuse_clashes(conn: sqlite3.Connection, cards: list[Card]) -> None:
    """Clients already here, or twice in the file, are refused: never a second twin."""
    clashes = [c.name for c in cards if store.same_name_and_company(conn, c.name, c.company)]
    seen: set[tuple[str, str]] = set()
    for c in cards:
        key = (store.match_key(c.name), store.match_key(c.company or ""))
        if key in seen:
            clashes.append(f"{c.name} (twice in the file)")
        seen.add(key)
    if clashes:
        shown = ", ".join(clashes[:5]) + (" …" if len(clashes) > 5 else "")
        raise DossierError(
            f"{len(clashes)} client(s) of the file already exist here ({shown}); nothing was "
            "imported: rename or remove them first"
        )


def _client_row(client_id: int, card: Card, stamp: str) -> dict[str, Any]:
    filed = card.due is not None or card.month is not None
    return {
        "id": client_id,
        "name": card.name,
        "company": card.company,
        "position": card.position,
        "phones": card.phones,
        "email": card.email,
        "stage": card.stage,
        "due": card.due,
        "due_month": card.month,
        "due_time": card.at,
        "purpose": card.purpose,
        "filed_at": stamp if filed else None,
        "archived_at": (card.archived_at or stamp) if card.archived else None,
        "archive_reason": card.archive_reason,
        "created_at": card.created or stamp,
        "updated_at": stamp,
    }
