"""Handing the folder over: export every dossier with its history to one JSON file, and
import such a file into another folder (a colleague's), in one transaction.

The method's fifth promise: when a manager is absent or leaves, the planned work with all
its detail goes to a colleague instead of vanishing. The file is the same JSON shape as
``dossier show --json``, one object per client, so it is readable by people and scripts.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..domain import names, validate
from ..domain.errors import DossierError, UsageError
from ..domain.fields import FieldDef
from ..domain.messages import Message, note
from ..domain.shapes import field_def_json, show_json
from ..domain.validate import Card
from .lookup import joined

if TYPE_CHECKING:
    from ..storage.base import Store

FORMAT = 1


def export(
    store: Store,
    exported_at: str,
    *,
    ascii_only: bool = False,
    ids: Sequence[int] | None = None,
) -> Iterator[str]:
    """The export document, in chunks (a 100k-client folder is never held whole): of
    every client, or of those of ``ids`` (``dossier export --tag/--stage``).

    ``ascii_only`` writes every non-ASCII character as a ``\\uXXXX`` escape, for a stream
    that cannot encode them all: an export is data and must be lossless or nothing. Either
    way C1 controls and bidi overrides are escaped (``text.escape_json_controls``), so the
    document shown or ``cat``-ed on a terminal cannot drive it, and parses back the same.
    """
    from ..domain.text import escape_json_controls

    yield json.dumps({"dossier_export": FORMAT, "exported": exported_at})[:-1]
    defs = store.field_defs()  # the team's forms travel with the dossiers that fill them
    definitions = json.dumps([field_def_json(d) for d in defs], ensure_ascii=ascii_only)
    yield f', "fields": {escape_json_controls(definitions)}'
    yield ', "clients": ['
    ids = store.client_ids() if ids is None else ids
    for start in range(0, len(ids), 500):
        chunk = store.clients_by_ids(ids[start : start + 500])
        for index, client in enumerate(chunk):
            separator = "" if start == 0 and index == 0 else ","
            history = store.history(client.id)
            document = json.dumps(show_json(client, history, defs), ensure_ascii=ascii_only)
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
        raise DossierError("cannot read {path}: {reason}", path=path, reason=exc.strerror) from None
    except (ValueError, UnicodeDecodeError) as exc:
        raise UsageError(
            "{path} is not a dossier export (not JSON: {reason})", path=path, reason=str(exc)
        ) from None
    except RecursionError:
        # json.load recurses once per level: [[[[…]]]] 100k deep exhausts the stack.
        raise UsageError("{path} is not a dossier export (nested too deeply)", path=path) from None
    marker = document.get("dossier_export") if isinstance(document, dict) else None
    if type(marker) is not int or marker != FORMAT:  # true and 1.0 equal 1 in Python
        raise UsageError(
            "{path} is not a dossier export (no 'dossier_export': {format})",
            path=path,
            format=FORMAT,
        )
    clients = document.get("clients")
    if not isinstance(clients, list) or not all(isinstance(c, dict) for c in clients):
        raise UsageError("{path}: 'clients' must be a list of client objects", path=path)
    defs = _definitions(document.get("fields", []), path)
    return Cards(validate.cards(_untyped(clients, defs), str(path)), defs)


class Cards(list[Card]):
    """The checked clients of an export, with the team's field definitions it carries."""

    def __init__(self, cards: list[Card], fields: list[FieldDef]) -> None:
        super().__init__(cards)
        self.fields = fields


def _definitions(value: object, path: Path) -> list[FieldDef]:
    """The export's ``fields``: each definition checked as ``dossier field add`` checks
    it (an older export has none)."""
    from ..domain.fields import check_definition

    if not isinstance(value, list) or not all(isinstance(d, dict) for d in value):
        raise UsageError("{path}: 'fields' must be a list of field definitions", path=path)
    defs = []
    for position, item in enumerate(value, start=1):
        name, kind, label = item.get("name"), item.get("type", "text"), item.get("label")
        choices, required = item.get("choices") or [], item.get("required", False)
        if not (
            isinstance(name, str)
            and isinstance(kind, str)
            and isinstance(label, str | None)
            and isinstance(choices, list)
            and all(isinstance(c, str) for c in choices)
            and isinstance(required, bool)
        ):
            raise UsageError(
                "{path}: field definition {position} needs a text 'name' and 'type', "
                "'choices' a list of texts, 'required' true or false, 'label' a text or null",
                path=path,
                position=position,
            )
        defs.append(check_definition(FieldDef(name, kind, tuple(choices), required, label)))
    return defs


def _untyped(clients: list[Any], defs: list[FieldDef]) -> list[Any]:
    """Clients with a number field's JSON numbers back in the text form they are kept
    in (the export writes them as numbers, as ``show --json`` does)."""
    numbers = {d.name for d in defs if d.type == "number"}
    if not numbers:
        return clients
    for data in clients:
        values = data.get("fields")
        if not isinstance(values, dict):
            continue  # validate says what is wrong with it
        for key, value in values.items():
            if key in numbers and isinstance(value, int | float) and not isinstance(value, bool):
                values[key] = _number_text(value)
    return clients


def _number_text(value: float) -> str:
    """1234.5 -> '1234.5', 12.0 -> '12': the canonical text ``read_value`` stores."""
    if isinstance(value, int) or (math.isfinite(value) and value.is_integer()):
        return str(int(value))
    return repr(value)


def import_(
    store: Store,
    cards: list[Card],
    stamp: str,
    *,
    dry_run: bool = False,
    owner: str | None = None,
) -> tuple[int, int]:
    """Add every client of an export as a new dossier; refuse the whole file on a clash.
    The export's field definitions this folder lacks are defined first (one undo step
    with the clients); one this folder defines with another type refuses the file.
    With ``dry_run`` every check is made and nothing is written: the counts say what
    the import would add. The new dossiers are ``owner``'s (the importing user's)."""
    from .fields import merge_definitions

    _refuse_clashes(store, cards)
    merge_definitions(store, cards.fields if isinstance(cards, Cards) else [], dry_run=dry_run)
    if dry_run:
        return len(cards), sum(len(card.history) for card in cards)
    return store.import_cards(cards, stamp, owner)


def _refuse_clashes(store: Store, cards: list[Card]) -> None:
    """Clients already here, or twice in the file, are refused: never a second twin."""
    clashes: list[Message | str] = [
        c.name for c in cards if store.same_name_and_company(c.name, c.company)
    ]
    seen: set[tuple[str, str]] = set()
    for c in cards:
        key = (names.match_key(c.name), names.match_key(c.company or ""))
        if key in seen:
            clashes.append(note("{name} (twice in the file)", name=c.name))
        seen.add(key)
    if clashes:
        shown = joined(clashes[:5])
        if len(clashes) > 5:
            shown = note("{clients} …", clients=shown)
        raise DossierError(
            "{count} client(s) of the file already exist here ({clients}); nothing was "
            "imported: rename or remove them first",
            plural="{count} client(s) of the file already exist here ({clients}); nothing was "
            "imported: rename or remove them first",
            count=len(clashes),
            clients=shown,
        )
