"""What the client commands do: open, file, note, look up and close dossiers.

A front end parses and renders; these functions check the input, ask the ``Store`` and
return records and messages. They run inside the unit of work's one transaction
(``app.unit``), so whatever they raise, nothing they did is kept.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING

from ..domain import cadence, folder, names
from ..domain.dates import Day, parse_past_day, parse_when
from ..domain.errors import DossierError, UsageError
from ..domain.messages import Message, note
from ..domain.records import (
    CORE_FIELDS,
    KINDS,
    OUTCOMES,
    STAGES,
    Client,
    Entry,
    Placement,
    Row,
    choice,
)
from ..domain.workdays import WorkCalendar
from ..i18n import language
from . import fields, lookup
from .clock import stamp

if TYPE_CHECKING:
    from ..domain.settings import Settings
    from ..storage.base import Store


def text_or_none(value: str | None) -> str | None:
    if value is None:
        return None
    cleaned = value.strip()
    return cleaned or None


@dataclass
class CardInput:
    """The card fields a user can give to ``add`` and ``edit``; None means "not given"."""

    name: str | None = None
    company: str | None = None
    position: str | None = None
    phones: list[str] | None = None
    email: str | None = None
    stage: str | None = None
    more_emails: list[str] | None = None  # the e-mails after the first, when given
    every: str | None = None  # the cadence as typed (``3w``; ``none`` clears it)
    owner: str | None = None  # the manager who works it, as typed (``--owner``)

    def give_emails(self, given: list[str] | None) -> None:
        """``--email`` given (repeatable): the first is the card's e-mail, the others
        follow it; giving any replaces them all, as ``--phone`` does the phones."""
        if given is None:
            return
        kept = list(dict.fromkeys(e for e in (names.normalise(g) for g in given) if e))
        self.email = kept[0] if kept else ""
        self.more_emails = kept[1:]

    def values(self) -> dict[str, object]:
        values: dict[str, object] = {}
        if self.name is not None:
            name = names.normalise(self.name)
            if not name:
                raise UsageError("a client needs a name; give a non-empty NAME")
            values["name"] = name
        for key in ("company", "position", "email"):
            given = getattr(self, key)
            if given is not None:
                values[key] = names.normalise(given) or None
        if self.phones is not None:
            values["phones"] = [p.strip() for p in self.phones if p.strip()]
        if self.more_emails is not None:
            values["more_emails"] = self.more_emails
        if self.stage is not None:
            values["stage"] = choice(self.stage, STAGES, "--stage")
        if self.every is not None:
            step = cadence.parse(self.every)
            values["every"] = str(step) if step else None
        if self.owner is not None:
            from .users import checked_user

            values["owner"] = checked_user(self.owner, "--owner")
        return values


@dataclass
class Plan:
    """Where to file and what to note, as typed; parsed against "today" here.

    ``on`` is where the dossier goes (today or later); ``date`` is the day the noted
    call happened (today or earlier), so a call made yesterday and recorded this
    morning is dated yesterday while the dossier is still filed ahead.
    """

    on: str | None = None
    date: str | None = None
    at: str | None = None
    purpose: str | None = None
    note: str | None = None
    kind: str | None = None
    outcome: str | None = None


class NothingToChange(DossierError):
    """An edit whose flags leave the card as it was: it is rolled back, so it leaves
    no undo step, and the CLI says so."""


# What counts as a contact for a cadence (a note does not): storage's CONTACT_KINDS.
CONTACT = ("call", "meeting", "email", "visit")

# The history entry of 'edit --owner', in English as every automatic entry is written.
OWNER_CHANGED = "Owner changed from {old} to {new}"

# An outcome that settles the deal moves the stage with it (unless --stage says otherwise).
STAGE_FOR_OUTCOME = {"won": "client", "lost": "dormant"}


@dataclass
class Result:
    client: Client
    entry: Entry | None = None
    notices: list[Message] = field(default_factory=list)


def add(
    store: Store,
    today: date,
    card: CardInput,
    tags: list[str],
    plan: Plan,
    calendar: WorkCalendar | None = None,
    user: str | None = None,
) -> Result:
    """Open a dossier, owned by ``--owner`` when given, else by ``user`` (the current
    user)."""
    values = card.values()
    values.setdefault("owner", user)
    name = str(values["name"])
    company = values.get("company")
    _refuse_twin(store, name, str(company) if company else None)
    placement, notices = _placement(plan, today, None, calendar)
    now = stamp(today)
    client_id = store.insert_client(values, now)
    store.add_tags(client_id, _tags(tags))
    store.place(client_id, placement, now)
    entry = _note(store, client_id, plan, now, default_kind="note")
    return Result(_card(store, client_id), entry, notices)


def file(
    store: Store,
    today: date,
    who: str,
    plan: Plan,
    calendar: WorkCalendar | None = None,
    defaults: Sequence[tuple[str, str]] = (),
) -> Result:
    """The after-call command: note what happened and refile, together.

    Without ``--on``, the client's cadence says (its own, or ``defaults`` by tag or
    stage: the settings' ``cadence.NAME``): the latest contact's day plus one step.

    The note is dated ``plan.date`` (default today) at the current time; the filing
    itself, like every other change, is stamped today.
    """
    client = lookup.active(store, who)
    now = stamp(today)
    noted = now
    if plan.date is not None:
        if not _describes_entry(plan):
            raise UsageError("--date dates the note: give -m TEXT too")
        noted = stamp(parse_past_day(plan.date, today, lang=language()))
    step = cadence.in_force(client.every, client.tags, client.stage, defaults, STAGES)
    if plan.on is None and step is None:
        raise UsageError(
            "give --on DATE: #{id} {name} has no cadence to file it by (see --every)",
            id=client.id,
            name=client.name,
        )
    entry = _note(store, client.id, plan, noted, default_kind="call")
    if plan.on is None and step is not None:
        contact = _last_contact(store, client.id, date.fromisoformat(noted[:10]))
        placement: Placement | None
        placement, notices = _by_cadence(plan, step, contact, client.placement, calendar)
    else:
        placement, notices = _placement(plan, today, client.placement, calendar)
    store.place(client.id, placement, now)
    notices += _settle_stage(store, client.id, entry, None, now)
    return Result(_card(store, client.id), entry, notices)


def _last_contact(store: Store, client_id: int, this: date) -> date:
    """The day of the client's latest contact, ``this`` one included: a call logged
    late for last month does not pull the next one before a later call's."""
    days = [e.day for e in store.history(client_id) if e.kind in CONTACT]
    return max([this, *(date.fromisoformat(day) for day in days)])


def _by_cadence(
    plan: Plan,
    step: cadence.Cadence,
    contact: date,
    previous: Placement | None,
    calendar: WorkCalendar | None,
) -> tuple[Placement, list[Message]]:
    """The place a contact on ``contact`` gives a client with a cadence: that day plus
    one step, rolled on to a working day like a relative ``--on``."""
    from ..domain.dates import parse_time

    day = step.after(contact)
    notices: list[Message] = []
    if calendar is not None:
        day, notice = calendar.settle(day, True, note("filed there as asked"))
        notices += [notice] if notice else []
    at = parse_time(plan.at) if plan.at else None
    purpose = previous.purpose if previous and plan.purpose is None else text_or_none(plan.purpose)
    notices.append(note("Filed on {day} (every {every})", day=day, every=str(step)))
    return folder.placement_for(Day(day, rolls=False), at, purpose), notices


def log(
    store: Store,
    today: date,
    who: str,
    plan: Plan,
    on: str | None,
    calendar: WorkCalendar | None = None,
    defaults: Sequence[tuple[str, str]] = (),
) -> Result:
    """Add to the history without touching the dossier's place, except that a contact
    (call, meeting, e-mail, visit) with a client who has a cadence refiles it.

    ``on`` is the day it happened: today or earlier, never later (a history records
    what has happened). The entry is stamped that day at the current time, so two
    entries logged for the same day keep the order they were logged in.
    """
    client = _card(store, lookup.resolve(store, who))
    if not (plan.note or "").strip():
        raise UsageError("the history entry is empty; give the TEXT of what happened")
    day = today if on is None else parse_past_day(on, today, lang=language())
    now = stamp(day)
    entry = _note(store, client.id, plan, now, default_kind="note")
    store.update_client(client.id, {}, stamp(today))
    notices: list[Message] = []
    step = cadence.in_force(client.every, client.tags, client.stage, defaults, STAGES)
    if step is not None and entry is not None and entry.kind in CONTACT and not client.archived:
        # A contact with a client who has a cadence files the next one a step later.
        contact = _last_contact(store, client.id, day)
        placement, notices = _by_cadence(Plan(), step, contact, client.placement, calendar)
        store.place(client.id, placement, stamp(today))
    notices += _settle_stage(store, client.id, entry, None, stamp(today))
    return Result(_card(store, client.id) if notices else client, entry, notices)


def edit(
    store: Store,
    today: date,
    who: str,
    card: CardInput,
    tags: list[str],
    untags: list[str],
    sets: dict[str, str],
    unsets: list[str],
    plan: Plan,
    calendar: WorkCalendar | None = None,
) -> Result:
    client = _card(store, lookup.resolve(store, who))
    before = _comparable(client)
    values = card.values()
    for key in unsets:
        if key in ("company", "position", "email"):
            values[key] = None
            if key == "email":
                values["more_emails"] = []
        elif key == "phone":
            values["phones"] = []
        elif key in CORE_FIELDS:
            raise UsageError("--unset {key}: a client always has a {key}", key=key)
    extra = fields.typed_values(
        store, {k: v for k, v in sets.items() if k not in CORE_FIELDS}, today
    )
    core = {k: v for k, v in sets.items() if k in CORE_FIELDS}
    values.update(_core_from_set(core).values())
    now = stamp(today)
    if "name" in values or "company" in values:
        company = values.get("company", client.company)
        _refuse_twin(
            store, str(values.get("name", client.name)), str(company) if company else None, client
        )
    store.update_client(client.id, values, now)
    if values.get("owner", client.owner) != client.owner:
        # The handover is part of the dossier's story, as a handoff's is.
        text = OWNER_CHANGED.format(old=client.owner or "-", new=values["owner"])
        store.insert_entry(client.id, now, "note", None, text)
    store.add_tags(client.id, _tags(tags))
    store.remove_tags(client.id, _tags(untags))
    store.set_fields(client.id, extra)
    store.unset_fields(
        client.id, fields.spelled(store, [k for k in unsets if k not in CORE_FIELDS])
    )
    notices: list[Message] = []
    if plan.on is not None or plan.at is not None or plan.purpose is not None:
        if plan.on is not None:
            lookup.refuse_done(client)
        placement, notices = _placement(plan, today, client.placement, calendar)
        store.place(client.id, placement, now)
    entry = _note(store, client.id, plan, now, default_kind="note")
    notices += _settle_stage(store, client.id, entry, card.stage, now)
    after = _card(store, client.id)
    if entry is None and _comparable(after) == before:
        raise NothingToChange(
            "Nothing to change: #{id} {name} is already so", id=client.id, name=client.name
        )
    return Result(after, entry, notices)


def _comparable(client: Client) -> Client:
    """The card without its timestamps and version: what an edit may or may not have
    changed (the version moves on at any write, even one that changes nothing)."""
    from dataclasses import replace

    return replace(client, updated_at="", filed_at=None, version=0)


def _settle_stage(
    store: Store, client_id: int, entry: Entry | None, stage: str | None, now: str
) -> list[Message]:
    """``--outcome won`` makes the client a client, ``lost`` dormant; ``--stage`` in the
    same command wins. Returns the notice that says so."""
    target = STAGE_FOR_OUTCOME.get(entry.outcome or "") if entry else None
    if target is None or stage is not None:
        return []
    current = _card(store, client_id)
    if current.stage == target:
        return []
    store.update_client(client_id, {"stage": target}, now)
    assert entry is not None
    return [
        note(
            "Stage: {old} -> {new} ({outcome})",
            old=current.stage,
            new=target,
            outcome=entry.outcome,
        )
    ]


def done(store: Store, today: date, who: str, reason: str | None) -> Result:
    client = _card(store, lookup.resolve(store, who))
    if client.archived:
        if client.archived_at:
            raise DossierError(
                "{name} is already done (archived {day:iso})",
                name=client.name,
                day=date.fromisoformat(client.archived_at[:10]),
            )
        raise DossierError("{name} is already done", name=client.name)
    now = stamp(today)
    reason = text_or_none(reason)
    store.archive(client.id, reason, now)
    text = "Done" + (f": {reason}" if reason else "")
    entry = _note(store, client.id, Plan(note=text), now, default_kind="note")
    return Result(_card(store, client.id), entry)


def reopen(store: Store, today: date, who: str) -> Result:
    client = _card(store, lookup.resolve(store, who))
    if not client.archived:
        raise DossierError("{name} is not done; nothing to reopen", name=client.name)
    now = stamp(today)
    store.unarchive(client.id, now)
    entry = _note(store, client.id, Plan(note="Reopened"), now, default_kind="note")
    return Result(_card(store, client.id), entry)


def remove(store: Store, client_id: int) -> None:
    store.delete_client(client_id)


def show(store: Store, who: str, limit: int | None = None) -> tuple[Client, list[Entry], int]:
    """The card, its history newest first (with ``limit``, the newest so many), and the
    size of the whole history."""
    client = _card(store, lookup.resolve(store, who))
    history = store.history(client.id, limit)
    whole = len(history) < limit if limit is not None else True
    return client, history, len(history) if whole else store.history_size(client.id)


def resolve(store: Store, who: str) -> tuple[Client, int]:
    """The client and the size of its history (what ``rm`` asks about)."""
    client = _card(store, lookup.resolve(store, who))
    return client, store.history_size(client.id)


def today_view(
    store: Store,
    day: date,
    capacity: int | None = None,
    calendar: WorkCalendar | None = None,
    only: folder.ViewFilter | None = None,
    limit: int | None = None,
) -> folder.TodayView:
    """The morning view; with ``only``, of the dossiers with those tags and stage alone.

    ``limit``: overdue and this month's undated dossiers hold only the first so many
    (the longest waiting; by name), with their totals counted (a terminal's view of a
    folder where thousands are overdue); today's tab is always whole.
    """
    month = folder.month_key(day)
    if only:
        only = folder.ViewFilter(only.tags, choice(only.stage, STAGES, "--stage"))
    tags, stage = (only.tags, only.stage) if only else ((), None)
    parts = {
        "overdue": (day.isoformat(),),
        "month_overdue": (month,),
        "on": (day.isoformat(),),
        "month": (month,),
    }
    rows = {
        part: store.due_rows(part, params, tags, stage, None if part == "on" else limit)
        for part, params in parts.items()
    }
    view = folder.lay_out_today(
        day, rows["overdue"] + rows["month_overdue"], rows["on"], rows["month"]
    )
    if limit is not None:

        def total(part: str) -> int:
            """A part's size: what was read, unless the limit stopped the reading."""
            found = len(rows[part])
            return found if found < limit else store.due_count(part, parts[part], tags, stage)

        overdue = total("overdue") + total("month_overdue")
        if overdue > limit:  # the two kinds of overdue were read up to the limit each
            view.overdue, view.overdue_total = view.overdue[:limit], overdue
        undated = total("month")
        if undated > len(view.month):
            view.month_total = undated
    if only:
        view.filter = only
        # Capacity is the whole day's: a filtered part of the pile is over only with it.
        view.whole_stack = today_view(store, day, limit=0).stack
    if not view.today:
        view.next_work = folder.next_work_label(
            store.next_due_day(day), store.next_month_tab(month)
        )
    view.unfiled_count, view.unfiled = store.unfiled_active(10, tags, stage)
    view.capacity = capacity
    if calendar is not None and (reason := calendar.why_off(day)):
        view.off = reason
        view.next_working = _next_working(store, day, calendar)
    if calendar is not None and view.month and _first_working_day(day, calendar):
        view.spread_hint = Message(
            "First working day of the month: the {month} tab still holds {count} dossier "
            "with no day; 'dossier spread' gives it one",
            {"month": folder.month_tab(month), "count": view.month_count},
            "hint",
            plural="First working day of the month: the {month} tab still holds {count} "
            "dossiers with no day; 'dossier spread' gives them days",
        )
    return view


def _next_working(store: Store, day: date, calendar: WorkCalendar) -> tuple[date, int] | None:
    """The working day after a day off, and how many dossiers it holds already."""
    try:
        following = calendar.next_working(day)
    except DossierError:
        return None  # none left before the calendar ends
    count = sum(row[1] for row in store.day_loads(following, following))
    return following, int(count)


def _first_working_day(day: date, calendar: WorkCalendar) -> bool:
    return calendar.is_working(day) and calendar.working_days(day.replace(day=1), day) == [day]


@dataclass
class Hit:
    """A client found by ``find``, with what matched when it was the history."""

    row: Row
    entries: list[Entry]


def find(store: Store, text: str, limit: int = 200) -> list[Hit]:
    if not text.strip():
        raise UsageError("give some TEXT to find")
    card_ids = store.search_cards(text, limit)
    entries = store.search_history(text, limit)
    by_client: dict[int, list[Entry]] = {}
    for entry in entries:
        by_client.setdefault(entry.client_id, []).append(entry)
    ids = card_ids + [i for i in by_client if i not in set(card_ids)]
    return [Hit(row, by_client.get(row.client.id, [])) for row in rows_for(store, ids)]


def listing(
    store: Store,
    tags: Sequence[str] | None,
    stage: str | None,
    unfiled: bool,
    archived: bool,
    limit: int | None = None,
    missing: str | None = None,
) -> tuple[list[Row], int]:
    """Clients with every one of ``tags`` (and ``stage``; and no value for the team's
    field ``missing``), in name order (with ``limit``, the first so many), and how many
    there are in all."""
    stage = choice(stage, STAGES, "--stage")
    if missing is not None:
        missing = fields.named(store, missing).name
    ids, total = store.list_clients(
        tags=tags or (),
        stage=stage,
        unfiled=unfiled,
        archived=archived,
        limit=limit,
        missing=missing,
    )
    return rows_for(store, ids), total


def cold(
    store: Store,
    today: date,
    settings: Settings,
    tags: Sequence[str] = (),
    stage: str | None = None,
) -> list[tuple[Row, int]]:
    """Active clients gone cold (``settings``: the cadence defaults, ``cold_factor`` and
    ``cold_days``), the longest cold first, each with its days without contact."""
    stage = choice(stage, STAGES, "--stage")
    found = store.cold_clients(_cold_rule(today, settings), tags, stage)
    days = dict(found)
    rows = rows_for(store, [client_id for client_id, _ in found])
    return [(row, days[row.client.id]) for row in rows]


def cold_count(store: Store, today: date, settings: Settings) -> int:
    """How many active clients have gone cold: today's line."""
    return store.cold_count(_cold_rule(today, settings))


def _cold_rule(today: date, settings: Settings) -> cadence.ColdRule:
    return cadence.cold_rule(today, settings.cadences, settings.cold_factor, settings.cold_days)


def rows_for(store: Store, ids: list[int]) -> list[Row]:
    return store.rows_with_history(store.clients_by_ids(ids))


# --- helpers -------------------------------------------------------------------------


def _card(store: Store, client_id: int) -> Client:
    client = store.get_client(client_id)
    assert client is not None
    return client


def _refuse_twin(
    store: Store, name: str, company: str | None, client: Client | None = None
) -> None:
    """``add`` and ``edit`` alike: never a second client of the same name at the same
    company (``client``: the one being edited, which may keep its own name)."""
    twin = store.same_name_and_company(name, company)
    if twin is None or (client is not None and twin == client.id):
        return
    if company:
        raise DossierError(
            "{name!r} at {company} already exists as #{twin}; use 'dossier edit' to change "
            "it, or --company to tell two clients apart",
            name=name,
            company=company,
            twin=twin,
        )
    raise DossierError(
        "{name!r} already exists as #{twin}; use 'dossier edit' to change it, or --company "
        "to tell two clients apart",
        name=name,
        twin=twin,
    )


def _placement(
    plan: Plan, today: date, previous: Placement | None, calendar: WorkCalendar | None
) -> tuple[Placement | None, list[Message]]:
    """The new place and what to tell the user about it.

    ``--for`` is kept from before unless given (``--for ''`` clears it). A relative date
    that lands on a day off rolls on to the next working day; an explicit date is kept,
    with a warning.
    """
    from ..domain.dates import parse_time

    at = parse_time(plan.at) if plan.at else None
    purpose = previous.purpose if previous and plan.purpose is None else text_or_none(plan.purpose)
    if plan.on is None:
        if previous is None:
            if at or plan.purpose:
                raise UsageError("--at and --for need --on DATE: the dossier is not filed yet")
            return None, []
        if previous.due is None and previous.month is not None:
            # Behind a month tab: the rule (a time needs a day) and its words are the domain's.
            return folder.placement_for(folder.month_tab(previous.month), at, purpose), []
        return Placement(previous.due, previous.month, at or previous.at, purpose), []
    target = parse_when(plan.on, today, lang=language())
    notices: list[Message] = []
    if calendar is not None and isinstance(target, Day):
        day, notice = calendar.settle(target.date, target.rolls, note("filed there as asked"))
        target = Day(day, rolls=False)
        notices += [notice] if notice else []
    return folder.placement_for(target, at, purpose), notices


def _describes_entry(plan: Plan) -> bool:
    """Whether the flags describe a history entry (a text, a kind or an outcome)."""
    return bool((plan.note or "").strip()) or plan.kind is not None or plan.outcome is not None


def _note(store: Store, client_id: int, plan: Plan, at: str, default_kind: str) -> Entry | None:
    """Record the history entry the flags describe, if they describe one."""
    text = (plan.note or "").strip()
    kind = choice(plan.kind, KINDS, "--kind")
    outcome = choice(plan.outcome, OUTCOMES, "--outcome")
    if not _describes_entry(plan):
        return None
    kind = kind or default_kind
    entry_id = store.insert_entry(client_id, at, kind, outcome, text)
    return Entry(entry_id, client_id, at, kind, outcome, text)


def _tags(tags: list[str]) -> list[str]:
    cleaned = []
    for tag in tags:
        for part in tag.split(","):
            part = names.normalise(part).lower()
            if part and part not in cleaned:
                cleaned.append(part)
    return cleaned


def _core_from_set(core: dict[str, str]) -> CardInput:
    """``--set company=Acme`` means the card's own field, not an extra one."""
    phone = core.get("phone")
    return CardInput(
        name=core.get("name"),
        company=core.get("company"),
        position=core.get("position"),
        phones=[phone] if phone is not None else None,
        email=core.get("email"),
        stage=core.get("stage"),
    )
