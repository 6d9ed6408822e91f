"""``dossier export`` in the formats other programs read: a spreadsheet (CSV), the
phone's contacts (vCard) and a calendar (iCalendar, in ``app.ical``); and the file they
are written to.

The JSON document, which carries everything, is ``app.transfer``'s. Here the clients
are gathered (the active ones, with every tag given and in the stage given), handed to
the pure writers (``domain.tabular``, ``domain.vcard``), and the result written: to a new
private file, or with ``force`` over an existing one, atomically, never through a link.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING

from ..domain.records import STAGES, Client, choice

if TYPE_CHECKING:
    from ..storage.base import Store

FORMATS = ("json", "csv", "vcf", "ics")
CHUNK = 500  # cards read per statement


def chosen(
    store: Store, tags: Sequence[str], stage: str | None, *, done_too: bool = False
) -> list[int]:
    """The ids of the active clients with every one of ``tags`` and in ``stage`` (with
    ``done_too``, the done ones as well), in id order."""
    tags = list(dict.fromkeys(t.strip().lower() for t in tags))
    stage = choice(stage, STAGES, "--stage")
    ids, _ = store.list_clients(tags=tags, stage=stage)
    if done_too:
        ids = ids + store.list_clients(tags=tags, stage=stage, archived=True)[0]
    return sorted(ids)


def cards(store: Store, ids: Sequence[int]) -> Iterator[Client]:
    """The full cards of ``ids``, read a chunk at a time."""
    for start in range(0, len(ids), CHUNK):
        yield from store.clients_by_ids(ids[start : start + CHUNK])


def csv_document(
    store: Store, tags: Sequence[str], stage: str | None, *, excel: bool = False
) -> Iterator[str]:
    """The active clients as the CSV that ``dossier import`` reads back (see
    ``domain.tabular``)."""
    from ..domain import tabular
    from ..i18n import language

    clients = list(cards(store, chosen(store, tags, stage)))
    return tabular.write(clients, store.field_defs(), excel=excel, decimal_comma=language() == "es")


def vcard_document(
    store: Store, tags: Sequence[str], stage: str | None, *, details: bool = False
) -> str:
    """The active clients as vCards 3.0, one per client, each with a stable UID; the
    ``for`` of its place as the NOTE only with ``details``."""
    from ..domain.vcard import VCardOut, write_vcards

    out = []
    for client in cards(store, chosen(store, tags, stage)):
        purpose = client.placement.purpose if client.placement else None
        out.append(
            VCardOut(
                uid=client_uid(client),
                name=client.name,
                company=client.company,
                position=client.position,
                phones=list(client.phones),
                emails=list(client.emails),
                tags=list(client.tags),
                note=purpose if details else None,
            )
        )
    return write_vcards(out)


def client_uid(client: Client) -> str:
    """The client's identity for vCards and calendars: the UID its vCard carried when it
    came from one, else one derived from its id and creation time (the same on every
    export, different in another folder)."""
    if client.uid:
        return client.uid
    from ..domain.vcard import stable_uid

    return stable_uid(client.id, client.created_at)
