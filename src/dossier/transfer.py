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
from datetime import date
from pathlib import Path
from typing import Any

from . import bulk, store
from .errors import DossierError, UsageError
from .render import show_json

FORMAT = 1


def export(conn: sqlite3.Connection, exported_at: str) -> Iterator[str]:
    """The export document, in chunks (a 100k-client folder is never held whole)."""
    yield json.dumps({"dossier_export": FORMAT, "exported": exported_at})[:-1]
    yield ', "clients": ['
    ids = [row[0] for row in conn.execute("SELECT id FROM client ORDER BY id")]
    for start in range(0, len(ids), 500):
        chunk = store.clients_by_ids(conn, ids[start : start + 500])
        for index, client in enumerate(chunk):
            separator = "" if start == 0 and index == 0 else ","
            history = store.history(conn, client.id)
            yield separator + "\n" + json.dumps(show_json(client, history), ensure_ascii=False)
    yield "\n]}\n"


def read(path: Path) -> list[dict[str, Any]]:
    try:
        with path.open(encoding="utf-8") as handle:
            document = json.load(handle)
    except OSError as exc:
        raise DossierError(f"cannot read {path}: {exc.strerror}") from None
    except (ValueError, UnicodeDecodeError) as exc:
        raise UsageError(f"{path} is not a dossier export (not JSON: {exc})") from None
    if not isinstance(document, dict) or document.get("dossier_export") != FORMAT:
        raise UsageError(f"{path} is not a dossier export (no 'dossier_export': {FORMAT})")
    clients = document.get("clients")
    if not isinstance(clients, list) or not all(isinstance(c, dict) for c in clients):
        raise UsageError(f"{path}: 'clients' must be a list of client objects")
    return clients


def import_(conn: sqlite3.Connection, clients: list[dict[str, Any]], stamp: str) -> tuple[int, int]:
    """Add every client of an export as a new dossier; refuse the whole file on a clash."""
    clashes = [
        c.get("name", "?")
        for c in clients
        if store.same_name_and_company(conn, str(c.get("name") or ""), c.get("company"))
    ]
    seen: set[tuple[str, str]] = set()
    for c in clients:
        key = (
            store.match_key(str(c.get("name") or "")),
            store.match_key(str(c.get("company") or "")),
        )
        if key in seen:
            clashes.append(f"{c.get('name')} (twice in the file)")
        seen.add(key)
    if clashes:
        shown = ", ".join(map(str, clashes[:5])) + (" …" if len(clashes) > 5 else "")
        raise DossierError(
            f"{len(clashes)} client(s) of the file already exist here ({shown}); nothing was "
            "imported: rename or remove them first"
        )
    first_id = (conn.execute("SELECT coalesce(max(id), 0) FROM client").fetchone()[0]) + 1
    rows, entries, tags, fields = [], [], [], []
    for offset, data in enumerate(clients):
        client_id = first_id + offset
        rows.append(_client_row(client_id, data, stamp))
        for entry in data.get("history") or []:
            entries.append(
                {
                    "client_id": client_id,
                    "at": entry.get("at"),
                    "kind": entry.get("kind"),
                    "outcome": entry.get("outcome"),
                    "text": entry.get("text") or "",
                }
            )
        tags += [{"client_id": client_id, "tag": str(t)} for t in data.get("tags") or []]
        fields += [(client_id, str(k), str(v)) for k, v in (data.get("fields") or {}).items()]
    from . import undo

    undo.record_bulk_insert(conn, first_id, first_id + len(rows) - 1)
    try:
        counts = bulk.load(conn, rows, entries, tags)
    except sqlite3.IntegrityError as exc:
        raise UsageError(f"the export holds a value dossier refuses ({exc})") from None
    conn.executemany("INSERT INTO field (client_id, key, value) VALUES (?, ?, ?)", fields)
    return counts


def _client_row(client_id: int, data: dict[str, Any], stamp: str) -> dict[str, Any]:
    filed = data.get("filed") or {}
    due, month = filed.get("due"), filed.get("month")
    if due is not None:
        try:
            date.fromisoformat(due)
        except (TypeError, ValueError):
            raise UsageError(
                f"client {data.get('name')!r}: filed.due {due!r} is not a date"
            ) from None
    phones = data.get("phones") or ([data["phone"]] if data.get("phone") else [])
    return {
        "id": client_id,
        "name": data.get("name"),
        "company": data.get("company"),
        "position": data.get("position"),
        "phones": [str(p) for p in phones],
        "email": data.get("email"),
        "stage": data.get("stage") or "lead",
        "due": due,
        "due_month": month if due is None else None,
        "due_time": filed.get("at") if due else None,
        "purpose": filed.get("for"),
        "filed_at": stamp if filed else None,
        "archived_at": data.get("archived_at") if data.get("archived") else None,
        "archive_reason": data.get("archive_reason"),
        "created_at": data.get("created") or stamp,
        "updated_at": stamp,
    }
