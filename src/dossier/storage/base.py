"""The Store: everything the app asks of a database, in the domain's records.

``app/`` speaks only this protocol; each engine is a package behind it (``sqlite/``
today). A unit of work opens a store for one command (``storage.open_store``), and every
method runs inside that command's one transaction: the app never commits, and never
sees a connection or a statement.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from ..domain.fields import FieldDef
from ..domain.records import Client, Cover, Entry, Placement, Row

if TYPE_CHECKING:
    from ..domain.cadence import ColdRule
    from ..domain.planning import Item
    from ..domain.review import DayEntry, Named
    from ..domain.stats import Gap, Move, Tally, Wins
    from ..domain.validate import Card
    from .paths import ServerUrl
    from .records import Change, Finding


class Store(Protocol):
    """One command's view of the folder (see ``storage.sqlite.SqliteStore``)."""

    # --- cards and history --------------------------------------------------

    def insert_client(self, values: dict[str, Any], stamp: str) -> int: ...

    def update_client(self, client_id: int, values: dict[str, Any], stamp: str) -> None: ...

    def record_stage_change(self, client_id: int, day: date, before: str, after: str) -> None:
        """Keep a move between stages made on ``day`` (``update_client`` keeps the moves it
        makes itself; this is for a history written after the fact: the sample folder)."""

    def record_day_open(self, day: date, overdue: int) -> None:
        """Keep ``day``'s opening overdue count unless a command already took it (the
        sample folder's: on a new file, the count the demo's own run took before it, on
        an empty file, is written after it and so gives way to this one)."""

    def place(self, client_id: int, placement: Placement | None, stamp: str) -> None:
        """Put the dossier in exactly one place (or none): the columns are overwritten together."""

    def archive(self, client_id: int, reason: str | None, stamp: str) -> None: ...

    def unarchive(self, client_id: int, stamp: str) -> None: ...

    def delete_client(self, client_id: int) -> None: ...

    def get_client(self, client_id: int) -> Client | None: ...

    def clients_by_ids(self, ids: Sequence[int]) -> list[Client]:
        """Full cards (tags and fields included), in the order of ``ids``."""

    def count_clients(self) -> int: ...

    def same_name_and_company(self, name: str, company: str | None) -> int | None: ...

    def list_clients(
        self,
        *,
        tags: Sequence[str] = (),
        stage: str | None = None,
        unfiled: bool = False,
        archived: bool = False,
        limit: int | None = None,
        missing: str | None = None,
    ) -> tuple[list[int], int]:
        """Ids of active (or archived) clients with every one of ``tags`` (and no value for
        the field ``missing``), in name order (with ``limit``, the first so many), and how
        many there are in all."""

    def candidates(self, column: str, how: str, key: str) -> list[tuple[Any, ...]]:
        """Clients whose name or company key (``name_key``, ``company_key``) or folded key
        (``name_fold``, ``company_fold``) equals, starts with or contains ``key``."""

    def all_names(self) -> list[tuple[int, str, str | None]]: ...

    def folded_names(self) -> list[tuple[str, int]]:
        """Every folded name with the lowest id that carries it (for "closest" suggestions)."""

    def client_labels(self, ids: Sequence[int]) -> list[tuple[Any, ...]]:
        """(id, name, company, archived_at) of these clients, in the order of ``ids``."""

    def add_tags(self, client_id: int, tags: Iterable[str]) -> None: ...

    def remove_tags(self, client_id: int, tags: Iterable[str]) -> None: ...

    def set_fields(self, client_id: int, fields: dict[str, str]) -> None: ...

    def unset_fields(self, client_id: int, keys: Iterable[str]) -> None: ...

    def insert_entry(
        self, client_id: int, at: str, kind: str, outcome: str | None, text: str
    ) -> int: ...

    def history(self, client_id: int, limit: int | None = None) -> list[Entry]:
        """The whole history, newest first (with ``limit``, the newest so many)."""

    def history_size(self, client_id: int) -> int:
        """How many entries a client's history holds (an index count)."""

    def latest_entries(self, ids: Sequence[int]) -> dict[int, Entry]:
        """Each client's most recent history entry, in one statement."""

    def due_rows(
        self,
        condition: str,
        params: Sequence[Any],
        tags: Sequence[str] = (),
        stage: str | None = None,
        limit: int | None = None,
    ) -> list[Row]:
        """Dossiers in a part of the folder (with every one of ``tags`` and in ``stage``, if given),
        each with its latest history entry, found in the same statement (one index probe per
        dossier); with ``limit``, only the first (the oldest filed) so many."""

    def due_count(
        self,
        condition: str,
        params: Sequence[Any],
        tags: Sequence[str] = (),
        stage: str | None = None,
    ) -> int:
        """How many dossiers ``due_rows`` would give without a limit (an index count)."""

    def rows_with_history(self, clients: list[Client]) -> list[Row]:
        """Cards with their latest entry; a client no call, meeting, e-mail or visit reached yet is
        a new client (see ``CONTACT_KINDS``)."""

    def contacted_ids(self, ids: Sequence[int]) -> set[int]:
        """Those of ``ids`` that have been contacted (not new clients), in one statement."""

    def next_due_day(self, after: date) -> tuple[date, int] | None: ...

    def next_month_tab(self, after_month: str) -> tuple[str, int] | None: ...

    def unfiled_active(
        self, limit: int = 10, tags: Sequence[str] = (), stage: str | None = None
    ) -> tuple[int, list[tuple[int, str]]]:
        """How many active dossiers (with ``tags``, in ``stage``) are filed nowhere, and the first
        few by name."""

    def cold_clients(
        self, rule: ColdRule, tags: Sequence[str] = (), stage: str | None = None
    ) -> list[tuple[int, int]]:
        """Active clients (with ``tags``, in ``stage``) gone cold by ``rule``, the longest
        cold first: each id with the days since its last contact (or its creation)."""

    def cold_count(self, rule: ColdRule) -> int:
        """How many active clients have gone cold by ``rule`` (one query)."""

    def search_cards(self, text: str, limit: int) -> list[int]:
        """Clients whose name, company, e-mail or phone contains ``text`` (phones also by their
        digits alone, whatever the punctuation, and in whatever script typed)."""

    def search_history(self, text: str, limit: int) -> list[Entry]:
        """History entries containing every word of ``text`` (word prefixes), newest first."""

    # --- the binder --------------------------------------------------

    def plan_items(
        self,
        first: date,
        last: date,
        overdue_before: date | None = None,
        tags: Sequence[str] = (),
        stage: str | None = None,
    ) -> list[Item]:
        """Dossiers due from ``first`` to ``last`` (and before ``overdue_before``, if given; with
        every one of ``tags`` and in ``stage``, if given), as planning sees them."""

    def month_items(self, month: str) -> list[Item]:
        """Undated dossiers behind a month tab, as planning sees them."""

    def day_loads(
        self, first: date, last: date, tags: Sequence[str] = (), stage: str | None = None
    ) -> list[tuple[Any, ...]]:
        """Per day from ``first`` to ``last``: (day, count, timed, new), of the dossiers with every
        one of ``tags`` and in ``stage`` if given."""

    def month_counts(self, first_month: str, last_month: str) -> dict[str, tuple[int, int]]:
        """Per month key: (dossiers with a day in that month, dossiers behind its tab undated)."""

    def overdue_load(
        self, today: date, tags: Sequence[str] = (), stage: str | None = None
    ) -> tuple[int, int, int]:
        """What is left behind earlier tabs: (count, at a fixed time, not contacted yet)."""

    def count_overdue(self, today: date) -> int: ...

    def move_to_day(self, client_id: int, day: date, stamp: str) -> None:
        """Refile on another day, keeping the purpose; a fixed time stays with its dossier."""

    def days_off(self, since: date | None = None) -> list[tuple[Any, ...]]: ...

    def add_day_off(self, first: date, last: date, note: str | None) -> int: ...

    def remove_days_off(self, first: date, last: date) -> list[tuple[Any, ...]]:
        """Remove the days-off entries that overlap ``first``..``last``; returns them."""

    # --- owners and covers ------------------------------------------------------

    def only_owner(self, owner: str | None, unowned: bool = False) -> None:
        """Limit the views (day rows and counts, loads, plans, review, stats) to the
        dossiers of ``owner`` (and those nobody owns yet, with ``unowned``); None: every
        dossier. Lookups by name and search are never limited."""

    def owner_span(self) -> tuple[str | None, str | None, bool]:
        """The first and last owner by name, and whether some dossier has none (cheap:
        a folder with one owner needs no owner condition in its views)."""

    def active_owners(self) -> list[str]:
        """The owners of the active dossiers, by name."""

    def owns_any(self, owner: str) -> bool: ...

    def adopt_unowned(self, owner: str) -> int:
        """Give every dossier without an owner to ``owner``; returns how many."""

    def handoff_ids(
        self,
        owner: str,
        tags: Sequence[str] = (),
        stage: str | None = None,
        first: date | None = None,
        last: date | None = None,
    ) -> list[int]:
        """The active dossiers of ``owner`` (with ``tags``, in ``stage``, filed from
        ``first`` to ``last``), in the folder's order."""

    def set_owner(self, ids: Sequence[int], owner: str, stamp: str) -> None: ...

    def add_cover(
        self,
        giver: str,
        taker: str,
        until: date,
        reason: str | None,
        stamp: str,
        ids: Sequence[int],
    ) -> int:
        """Record a cover for an absence with the dossiers it hands over."""

    def covers(self, ended_by: date | None = None) -> list[Cover]:
        """The covers in force (with ``ended_by``: those whose day has come by then),
        each with the dossiers its colleague still owns."""

    def any_cover_ended(self, day: date) -> bool: ...

    def close_cover(self, cover_id: int, stamp: str) -> None: ...

    # --- whole folder ----------------------------------------------------------

    # --- the team's own forms ---------------------------------------------------

    def field_defs(self) -> list[FieldDef]:
        """The team's field definitions, in the order they were defined."""

    def add_field_def(self, defn: FieldDef) -> None:
        """Define a field (its name is not defined yet: the caller checks)."""

    def remove_field_def(self, name: str) -> None: ...

    def field_value_count(self, name: str) -> int:
        """How many dossiers hold a value for the field ``name``."""

    def client_ids(self) -> list[int]:
        """Every client's id, in id order (an export walks them in chunks)."""

    def client_exists(self, client_id: int) -> bool:
        """Whether a client has this id (archived ones included)."""

    def import_cards(
        self, cards: Sequence[Card], stamp: str, owner: str | None = None
    ) -> tuple[int, int]:
        """Add every card as a new client with its history, tags and fields, owned by
        ``owner``; returns the number of clients and of entries written. Undo reverts it
        as one step."""

    def client_identities(
        self,
    ) -> list[tuple[int, str, str | None, list[str], list[str], str | None]]:
        """Every client (done ones too) as an import looks for duplicates: (id, name,
        company, e-mails, phones, vCard UID), in one statement."""

    # --- nothing lost: copies, checks and undo ---------------------------------------

    @property
    def path(self) -> Path | ServerUrl:
        """The SQLite file, or the PostgreSQL database's URL."""
        ...

    def backup(self, target: Path | None = None) -> Path:
        """A consistent copy of the open database, at ``target`` or in the backups folder."""

    def check(self) -> list[Finding]:
        """The engine's own integrity check, then the folder's rules."""

    def rebuild_search(self) -> None:
        """Build the search index anew from the cards and history, and count again the
        figures kept from the history (contact days, the stats tallies)."""

    def undo_last(self, user: str) -> Change:
        """Revert ``user``'s last recorded change (refused when another user changed the
        same rows since); returns it."""

    def changed_by(self, client_id: int, since: int) -> str | None:
        """Who made the latest recorded change to the dossier after the change ``since``
        (None: no recorded change did: another program, or none)."""

    def latest_change(self) -> int:
        """The id of the latest recorded change (0: none); see ``changed_by``."""

    def recent_changes(self, limit: int) -> list[Change]:
        """The newest recorded changes, newest first."""

    # --- forgetting ------------------------------------------------------------------

    def forget_client(self, client_id: int) -> int:
        """Delete the client with its history, tags, fields and search-index rows, and
        every recorded change that touched it (whole: undo can no longer revert them);
        returns how many changes were dropped. Not itself recorded for undo."""

    def reclaim_space(self) -> bool:
        """After the commit: rebuild the file so that nothing deleted is left in it, and
        empty the journal; False when another program's open connection kept the
        journal from being emptied. On a server: VACUUM the tables the deletion touched;
        False when some could not be (not their owner, or locked)."""

    def backups_holding(self, client_id: int, name: str) -> list[Path]:
        """The backups of this folder that still hold the client (same id and name); of
        a server's database, this machine's dumps of it."""

    # --- forms (fields) ---------------------------------------------------------------

    def field_values(self, name: str) -> list[tuple[int, str]]:
        """(client id, value) of every dossier holding a value for the field ``name``."""

    def adopt_field_key(self, name: str) -> int:
        """Give the values kept under another spelling of ``name`` (case ignored) its
        spelling; returns how many were renamed."""

    def set_field_values(self, name: str, values: list[tuple[int, str]]) -> None:
        """Rewrite the values of the field ``name`` for these (client id, value)."""

    def remove_field_values(self, name: str) -> int:
        """Delete every dossier's value of the field ``name``; returns how many."""

    # --- review ------------------------------------------------------------------------

    def review_entries(self, first: date, last: date) -> list[DayEntry]:
        """Every history entry from ``first`` to ``last``, in time order, with its
        client's place now and whether it had a contact before ``first``."""

    def review_missed(self, first: date, last: date) -> list[Named]:
        """Dossiers still due on a day up to ``last`` (or an earlier month tab) that have
        no entry from ``first`` to ``last``."""

    def review_new_clients(self, first: date, last: date) -> list[Named]:
        """Clients added from ``first`` to ``last``."""

    # --- stats -------------------------------------------------------------------------
    # ``tags``: only the clients with every one of them (none: the whole folder).

    def stats_tallies(self, first: date, last: date, tags: Sequence[str]) -> list[Tally]:
        """History entries per day, kind and outcome from ``first`` to ``last``."""

    def stats_gaps(self, first: date, last: date, tags: Sequence[str]) -> list[Gap]:
        """Per day from ``first`` to ``last``: the gaps between a client's consecutive
        contacts that end that day, and their days added up."""

    def stats_first_contacts(self, first: date, last: date, tags: Sequence[str]) -> dict[date, int]:
        """How many clients had their first contact ever on each day of the period."""

    def stats_stages(self, tags: Sequence[str]) -> dict[str, int]:
        """How many clients are in each stage now."""

    def stats_moves(self, first: date, last: date, tags: Sequence[str]) -> list[Move]:
        """The stage changes recorded from ``first`` to ``last``, in order."""

    def stats_wins(self, first: date, last: date, tags: Sequence[str]) -> Wins:
        """The wins from ``first`` to ``last``, counted by the contacts and the days they
        took."""

    def stats_overdue(self, first: date, last: date) -> dict[date, int]:
        """The overdue count at the start of each recorded day from ``first`` to ``last``."""
