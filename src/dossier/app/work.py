"""``dossier work``: the day's calls, one after another, for any front end to drive.

A ``Session`` holds the queue (today's tab in the order of ``today``: overdue first,
then fixed times, repeat contacts, new clients). A front end asks it for the ``current``
card, shows it, reads an ``Answer`` and hands it to ``answer``; each answer is saved at
once in its own unit of work (one ``dossier undo`` step), through the same functions as
``dossier file`` and ``dossier done``. Just before saving, the client is read again in
that unit: if another command changed it since its card was read, nothing is saved and
the fresh card comes back to be answered anew.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Sequence
from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from ..domain import cadence, work
from ..domain.dates import Day, parse_when
from ..domain.folder import ViewFilter
from ..domain.messages import note
from ..domain.records import STAGES, Client
from ..domain.text import clean
from ..domain.work import Answer, Answered, Card
from ..i18n import language
from . import cards
from .unit import unit

if TYPE_CHECKING:
    from ..domain.workdays import WorkCalendar
    from ..storage.base import Store

HISTORY = 3  # the newest entries a card shows


class Session:
    """One run of ``dossier work`` on the folder at ``database``."""

    def __init__(
        self,
        database: str | Path | None,
        day: str | None = None,
        tags: Sequence[str] = (),
        stage: str | None = None,
        user: str | None = None,
        owner: str | None = None,
        everyone: bool = False,
    ) -> None:
        """The day's queue: the current ``user``'s dossiers (``--user``; None: the
        environment, the settings, the login name), or ``owner``'s, or the team's."""
        from .owners import scope

        self.database = database
        self.user = user
        only = ViewFilter(tuple(t.lower() for t in tags), stage)
        with unit(database, write=False, user=user) as u:
            scope(u, owner, everyone)
            self.today = u.today
            self.day = self._day(day, u.today)
            view = cards.today_view(u.store, self.day, None, u.calendar, only or None)
            self.defaults = u.settings.cadences
            self.calendar: WorkCalendar = u.calendar
        rows = view.overdue + view.today
        self.names = {r.client.id: r.client.name for r in rows}
        self.total = len(rows)
        self.queue: deque[tuple[int, int]] = deque(
            (number, r.client.id) for number, r in enumerate(rows, 1)
        )
        self.skipped: set[int] = set()
        self.tally = work.Tally()

    @staticmethod
    def _day(text: str | None, today: date) -> date:
        """The tab worked: ``--date`` as ``today --date`` reads it, never before today."""
        if text is None:
            return today
        target = parse_when(text, today, lang=language())
        return max(target.date if isinstance(target, Day) else target.first, today)

    # --- the queue ---------------------------------------------------------------------

    def current(self) -> Card | None:
        """The card to answer now, read fresh; None when the queue is empty. A dossier
        removed or done by another command since the session started is passed over
        (``tally`` records it as gone)."""
        while self.queue:
            number, client_id = self.queue[0]
            with unit(self.database, write=False, user=self.user) as u:
                card = self._card(u.store, number, client_id)
            if card is not None:
                return card
            self.queue.popleft()
            self.tally.went.append(work.Went(client_id, self.names[client_id], work.GONE))
        return None

    def _card(self, store: Store, number: int, client_id: int) -> Card | None:
        client = store.get_client(client_id)
        if client is None or client.archived:
            return None
        history = store.history(client_id, HISTORY)
        step = cadence.in_force(client.every, client.tags, client.stage, self.defaults, STAGES)
        suggestions = {}
        for outcome in work.OUTCOME_KEYS.values():
            # Won makes the client a client: the cadence of the stage it is moving to.
            stage = cards.STAGE_FOR_OUTCOME.get(outcome, client.stage)
            own = cadence.in_force(client.every, client.tags, stage, self.defaults, STAGES)
            day = work.suggest(outcome, self.today, own, self.calendar)
            suggestions[outcome] = (day, own if work.from_cadence(outcome, own) else None)
        return Card(
            number,
            self.total,
            client,
            history,
            [d for d in store.field_defs() if d.required],
            step,
            suggestions,
            again=client_id in self.skipped,
            seen=(client, history[0].id if history else None),
            mark=store.latest_change(),
        )

    def check_date(self, text: str) -> None:
        """Refuse a next date that cannot be read or is in the past (``--on``'s rules),
        before anything is written: the front end asks for it again."""
        parse_when(text, self.today, lang=language())

    # --- answering ---------------------------------------------------------------------

    def answer(self, card: Card, given: Answer) -> Answered:
        """Skip, or save ``given`` for ``card`` in its own unit of work (one undo step).
        Raises ``DossierError`` for a bad key or date (nothing saved)."""
        action, outcome = work.action(given.key)
        client = card.client
        if action == "quit":
            raise ValueError("quit is the front end's: call finish()")
        if action == "skip":
            return self._skip(card)
        when = (given.when or "").strip() or None
        if when is not None:
            self.check_date(when)
        label = clean(f"dossier work: #{client.id} {client.name}: {outcome or 'done'}")
        with unit(self.database, write=True, label=label, user=self.user) as u:
            fresh = self._card(u.store, card.number, client.id)
            if fresh is None or fresh.seen != card.seen:
                by = u.store.changed_by(client.id, card.mark)
                return self._changed(fresh, client, by)
            if action == "done":
                result = cards.done(u.store, u.today, str(client.id), None)
                how = work.DONE_KIND
            else:
                assert outcome is not None
                result = self._outcome(u.store, u.today, client, outcome, given.note, when, card)
                how = outcome
        self.queue.popleft()
        went = work.Went(client.id, client.name, how, _place(result.client))
        self.tally.went.append(went)
        return Answered(went, result.client, result.entry, result.notices)

    def _outcome(
        self,
        store: Store,
        today: date,
        client: Client,
        outcome: str,
        text: str,
        when: str | None,
        card: Card,
    ) -> cards.Result:
        who = str(client.id)
        if outcome == "lost" and when is None:
            # Lost with no date: recorded as the call it was, then out of the folder.
            call = cards.Plan(note=text, kind="call", outcome=outcome)
            noted = cards.edit(store, today, who, cards.CardInput(), [], [], {}, [], call)
            closed = cards.done(store, today, who, outcome)
            return cards.Result(closed.client, noted.entry, noted.notices)
        suggested, step = card.suggestions[outcome]
        plan = cards.Plan(on=when or suggested.isoformat(), note=text, kind="call", outcome=outcome)
        result = cards.file(store, today, who, plan, self.calendar, self.defaults)
        if when is None and step is not None:
            result.notices.append(
                note("Filed on {day} (every {every})", day=suggested, every=str(step))
            )
        return result

    def _changed(self, fresh: Card | None, client: Client, by: str | None) -> Answered:
        if fresh is None:  # removed, or done, by another command: nothing left to answer
            self.queue.popleft()
            went = work.Went(client.id, client.name, work.GONE)
            self.tally.went.append(went)
            return Answered(went)
        return Answered(changed=replace(fresh, again=True), changed_by=by)

    def _skip(self, card: Card) -> Answered:
        """To the end of the queue the first time; the second time it stays skipped
        (where it is filed)."""
        number, client_id = self.queue.popleft()
        if client_id in self.skipped:
            went = work.Went(client_id, card.client.name, work.SKIPPED, _place(card.client))
            self.tally.went.append(went)
            return Answered(went)
        self.skipped.add(client_id)
        self.queue.append((number, client_id))
        return Answered(skipped_once=True)

    def finish(self) -> work.Tally:
        """End the session (all answered, ``q``, Ctrl-C): what was done, and how many
        dossiers are left for the next run."""
        self.tally.left = len(self.queue)
        return self.tally


def _place(client: Client | None) -> str | None:
    """Where a dossier is now, as ``Went.place`` keeps it."""
    if client is None:
        return None
    if client.archived:
        return "done"
    placement = client.placement
    if placement is None:
        return None
    if placement.due is not None:
        return placement.due.isoformat()
    return placement.month
