"""Owners: whose dossiers a view shows, handing them to a colleague, covers that end.

Every dossier has an owner, the manager who works it (``client.owner``). The views show
and plan the current user's by default (``--owner NAME`` a colleague's, ``--all`` the
team's); ``handoff`` gives a manager's dossiers to another in one transaction, and with
``--until`` records a cover that gives back, on the first command on or after that day,
those the colleague still holds.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from ..domain.errors import DossierError, UsageError
from ..domain.owners import Handoff, Whose
from ..domain.records import Client, Cover
from .clock import stamp
from .users import checked_user

if TYPE_CHECKING:
    from ..storage.base import Store
    from .unit import Unit

HANDED = "Handed from {giver} to {taker}"  # the history entry, in English as every
HANDED_FOR = "Handed from {giver} to {taker}: {reason}"  # automatic entry is written
RETURNED = "Returned from {taker} to {giver}: cover until {until} ended"


def scope(unit: Unit, owner: str | None, everyone: bool) -> Whose:
    """Limit ``unit``'s store to the dossiers a view asks for (see ``Whose``). A folder
    with one owner, who is the one asked for, needs no condition: its views stay as
    fast, and its headings as they were."""
    if owner is not None and everyone:
        raise UsageError("--owner and --all ask for different dossiers; give one")
    store = unit.store
    first, last, unowned = store.owner_span()
    me = unit.user
    target = None if everyone else (checked_user(owner, "--owner") if owner else me)
    # Dossiers nobody owns yet (a read-only file not yet adopted) count as mine.
    owners = {name for name in (first, last) if name is not None} | ({me} if unowned else set())
    many = len(owners) > 1
    if target is None:
        team = set(store.active_owners()) | ({me} if unowned else set()) if many else {me}
        return Whose(None, many, max(len(team), 1))
    if not many and (not owners or owners == {target}):
        return Whose(target, False)
    store.only_owner(target, unowned and target == me)
    return Whose(target, True)


def worth_saying(unit: Unit, owner: str | None) -> bool:
    """Whether a card says its owner: on a folder with more than one owner, or when it
    is not the current user's (a one-person folder's cards stay as they were)."""
    first, last, _unowned = unit.store.owner_span()
    return owner is not None and (first != last or owner != unit.user)


def give_back(store: Store, today: date) -> int:
    """Close every cover whose day has come: the dossiers its colleague still holds go
    back to the absent manager, with a history entry each. Returns how many went back."""
    now = stamp(today)
    returned = 0
    for cover in store.covers(ended_by=today):
        if cover.held:
            store.set_owner(cover.held, cover.giver, now)
            text = RETURNED.format(taker=cover.taker, giver=cover.giver, until=cover.until)
            for client_id in cover.held:
                store.insert_entry(client_id, now, "note", None, text)
            returned += len(cover.held)
        store.close_cover(cover.id, now)
    return returned


def handoff(
    store: Store,
    today: date,
    giver: str,
    taker: str,
    *,
    tags: list[str],
    stage: str | None,
    first: date | None,
    last: date | None,
    until: date | None,
    reason: str | None,
    dry_run: bool,
    capacity: int,
) -> Handoff:
    """Give ``giver``'s active dossiers (or the selection) to ``taker``: owner changed,
    places kept, a history entry each; with ``until``, a cover that ends that day."""
    giver, taker = checked_user(giver, "--from"), checked_user(taker, "--to")
    if giver == taker:
        raise UsageError("--from and --to are the same manager ({name})", name=giver)
    if until is not None and until <= today:
        raise UsageError("--until {day}: a cover ends after today; give a later day", day=until)
    if not store.owns_any(giver):
        raise UsageError("{name} owns no dossier; nothing to hand over", name=giver)
    ids = store.handoff_ids(giver, tags, stage, first, last)
    clients = store.clients_by_ids(ids)
    done = Handoff(giver, taker, clients, until, reason, dry_run, capacity=capacity)
    if not dry_run and ids:
        now = stamp(today)
        store.set_owner(ids, taker, now)
        text = (HANDED_FOR if reason else HANDED).format(giver=giver, taker=taker, reason=reason)
        for client_id in ids:
            store.insert_entry(client_id, now, "note", None, text)
        if until is not None:
            store.add_cover(giver, taker, until, reason, now, ids)
    done.loads = taker_loads(store, today, taker, clients, dry_run)
    return done


def taker_loads(
    store: Store, today: date, taker: str, handed: list[Client], dry_run: bool
) -> list[tuple[date, int]]:
    """The taker's load, after the handoff, on each day from today on that a handed
    dossier is filed on (in a dry run, as if they were his already)."""
    days = sorted(
        {
            c.placement.due
            for c in handed
            if c.placement is not None and c.placement.due is not None and c.placement.due >= today
        }
    )
    if not days:
        return []
    store.only_owner(taker)
    try:
        loads = {str(row[0]): int(row[1]) for row in store.day_loads(days[0], days[-1])}
    finally:
        store.only_owner(None)
    extra: dict[date, int] = {}
    if dry_run:
        for c in handed:
            if c.placement is not None and c.placement.due in days:
                extra[c.placement.due] = extra.get(c.placement.due, 0) + 1
    return [(day, loads.get(day.isoformat(), 0) + extra.get(day, 0)) for day in days]


def covers(store: Store) -> list[Cover]:
    """The covers in force, the soonest to end first."""
    return store.covers()


def refuse_nothing(done: Handoff) -> None:
    """A selection that holds no dossier is said as an error (exit 1), nothing changed."""
    if not done.clients:
        raise DossierError(
            "{name} has no active dossier that fits the selection; nothing was handed over",
            name=done.giver,
        )
