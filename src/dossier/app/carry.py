"""The dossier carried out of the folder: printed for a meeting (``show --export``), or
forgotten for good (``forget``).

``forget`` is not a usual unit of work (``app.unit``), for two reasons a reader should
know: it makes no daily backup first (that copy would hold exactly what is being
forgotten), and after its transaction commits it asks the engine to reclaim the space on
the same connection (VACUUM cannot run inside a transaction; on a server it marks the
space for reuse). It is not recorded for
``undo``: there is nothing left to bring back.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from ..domain.errors import DossierError
from ..domain.fields import FieldDef
from ..domain.records import Client, Entry
from . import lookup
from .clock import stamp, today_from
from .unit import database_path

if TYPE_CHECKING:
    from ..storage.base import Store
    from ..storage.paths import ServerUrl


def carry(store: Store, who: str) -> tuple[Client, list[Entry], list[FieldDef]]:
    """The whole card, its whole history (newest first) and the team's field definitions
    (their order and labels), for the printed dossier."""
    client = store.get_client(lookup.resolve(store, who))
    assert client is not None  # resolve found it in this same transaction
    return client, store.history(client.id), store.field_defs()


@dataclass(frozen=True)
class Forgotten:
    """What ``forget`` did, for the CLI to say."""

    client: Client
    changes: int  # recorded changes that touched it, dropped: no longer undoable
    emptied: bool  # the journal was emptied too (False: another program had it open;
    # on a server: the tables could not all be vacuumed)
    backups: list[Path]  # the backups that still hold it (a server's: this machine's dumps)
    path: Path | ServerUrl

    @property
    def on_server(self) -> bool:
        return not isinstance(self.path, Path)


def forget(database: str | Path | None, client_id: int, name: str) -> Forgotten:
    """Forget the client ``client_id`` (still named ``name``, as the user confirmed)."""
    from ..storage import open_database

    path = database_path(database)
    opened = open_database(path)
    try:
        with opened.work(True, None, stamp(today_from())) as store:
            client = store.get_client(client_id)
            if client is None or client.name != name:
                raise DossierError(
                    "#{id} {name} changed while you were asked (another command touched "
                    "it); nothing was forgotten, run the command again",
                    id=client_id,
                    name=name,
                )
            changes = store.forget_client(client_id)
        emptied = store.reclaim_space()
        backups = store.backups_holding(client_id, name)
    finally:
        opened.close()
    return Forgotten(client, changes, emptied, backups, path)
