"""What the folder commands do: look at the binder, and correct the plan.

Like ``app.cards``, each function works inside the unit of work's one transaction; a plan
that is only shown (``--dry-run``) runs the same code and simply writes nothing.
"""

from __future__ import annotations

import dataclasses
from datetime import date
from typing import TYPE_CHECKING

from ..domain import folder
from ..domain.dates import Day, MonthTab, days_from, each_day, parse_when
from ..domain.errors import DossierError, UsageError
from ..domain.folder import FolderView, MonthLoad, TabLoad, TabView
from ..domain.messages import Message, note
from ..domain.records import Row
from ..domain.workdays import DayOff, WorkCalendar
from ..i18n import language
from . import lookup

if TYPE_CHECKING:  # the planning code loads only for the commands that correct the plan
    from ..domain.planning import Item, Move, Plan
    from ..storage.base import Store

YEAR_AHEAD = 13  # month tabs shown: this month and the twelve after it


# --- looking -------------------------------------------------------------------------


def loads(
    store: Store,
    first: date,
    last: date,
    calendar: WorkCalendar,
    only: folder.ViewFilter | None = None,
) -> list[TabLoad]:
    """Every day from ``first`` to ``last`` with its load (empty days included); with
    ``only``, of the dossiers with those tags and stage alone."""
    tags, stage = (only.tags, only.stage) if only else ((), None)
    counted = {
        date.fromisoformat(day): (count, timed or 0, new or 0)
        for day, count, timed, new in store.day_loads(first, last, tags, stage)
    }
    result = []
    for day in each_day(first, last):
        count, timed, new = counted.get(day, (0, 0, 0))
        result.append(TabLoad(day, count, timed, new, calendar.why_off(day)))
    return result


def with_overdue(
    store: Store,
    days: list[TabLoad],
    today: date,
    only: folder.ViewFilter | None = None,
) -> list[TabLoad]:
    """Today's tab as the morning pile: overdue dossiers count on it, as in 'today'."""
    tags, stage = (only.tags, only.stage) if only else ((), None)
    count, timed, new = store.overdue_load(today, tags, stage)
    if not count:
        return days
    return [
        TabLoad(t.day, t.count + count, t.timed + timed, t.new + new, t.off, count)
        if t.day == today
        else t
        for t in days
    ]


def folder_view(store: Store, today: date, capacity: int, calendar: WorkCalendar) -> FolderView:
    days = folder.binder_days(today)
    by_day = {
        t.day: t for t in with_overdue(store, loads(store, days[0], days[-1], calendar), today)
    }
    keys = folder.month_keys(today, YEAR_AHEAD)
    counts = store.month_counts(keys[0], keys[-1])
    return FolderView(
        today=today,
        capacity=capacity,
        days=[by_day[d] for d in days],
        months=[MonthLoad(k, *counts.get(k, (0, 0))) for k in keys],
        overdue=store.count_overdue(today),
        unfiled=store.unfiled_active(0)[0],
    )


def tab_view(
    store: Store,
    today: date,
    text: str,
    calendar: WorkCalendar,
    limit: int | None = None,
) -> TabView:
    """What is behind a tab. ``limit``: rows for only the first so many dossiers (the
    undated ones, then day by day); the days after that are counted, not read."""
    target = parse_when(text, today, lang=language())
    if isinstance(target, Day):
        load, rows = _day_rows(store, target.date, calendar)
        return TabView(
            title=note("Tab {tab}: {day}", tab=target.date.day, day=target.date),
            by_day=[(load, rows[:limit] if limit is not None else rows)],
        )
    first = max(target.first, today)
    view = TabView(
        title=note("The {month} tab", month=target),
        undated=store.due_rows("month", (target.key,), limit=limit),
    )
    budget = None if limit is None else limit - len(view.undated)
    if budget is not None and budget <= 0:
        view.undated_total = store.due_count("month", (target.key,))
    for day in each_day(first, target.last):
        if budget is not None and budget <= 0:
            count = store.due_count("on", (day.isoformat(),))
            if count:
                view.by_day.append((TabLoad(day, count, off=calendar.why_off(day)), []))
            continue
        load, rows = _day_rows(store, day, calendar)
        if rows:
            if budget is not None:
                rows = rows[:budget]
                budget -= len(rows)
            view.by_day.append((load, rows))
    return view


def _day_rows(store: Store, day: date, calendar: WorkCalendar) -> tuple[TabLoad, list[Row]]:
    rows = store.due_rows("on", (day.isoformat(),))
    view = folder.lay_out_today(day, [], rows, [])
    ordered = view.today
    load = TabLoad(
        day,
        len(ordered),
        len(view.timed),
        sum(1 for r in ordered if not r.contacted),
        calendar.why_off(day),
    )
    return load, ordered


def agenda(
    store: Store,
    today: date,
    days: int,
    calendar: WorkCalendar,
    only: folder.ViewFilter | None = None,
) -> list[tuple[TabLoad, list[tuple[str, str]]]]:
    """The coming days with their loads and fixed-time appointments (time, name); fewer
    when the calendar ends first. With ``only``, the dossiers with those tags and stage
    alone are counted and listed; each day keeps its whole count for the capacity."""
    if not 1 <= days <= 366:
        raise UsageError("--days {days}: give a number of days from 1 to 366", days=days)
    tags, stage = (only.tags, only.stage) if only else ((), None)
    last = days_from(today, days - 1)
    timed: dict[date, list[tuple[str, str]]] = {}
    for item in store.plan_items(today, last, None, tags, stage):
        if item.at and item.due is not None:
            timed.setdefault(item.due, []).append((item.at, item.name))
    days_loads = with_overdue(store, loads(store, today, last, calendar, only), today, only)
    if only:
        whole = with_overdue(store, loads(store, today, last, calendar), today)
        days_loads = [
            dataclasses.replace(t, whole=w.count) for t, w in zip(days_loads, whole, strict=True)
        ]
    return [(t, sorted(timed.get(t.day, []))) for t in days_loads]


# --- correcting ----------------------------------------------------------------------


def level(
    store: Store,
    today: date,
    start: date,
    days: int,
    capacity: int,
    calendar: WorkCalendar,
    apply: bool,
    stamp: str,
) -> Plan:
    """Move the excess of each overloaded day in ``start``…``start + days - 1``.

    Today's stack includes what is overdue, as the morning pile does. Near 9999-12-31
    the days run out sooner: what finds no room is listed as not placed.
    """
    from ..domain import planning

    _check_capacity(capacity)
    last = days_from(start, days - 1 + planning.DEFAULT_HORIZON)
    stacks: dict[date, list[Item]] = {}
    overdue_before = today if start <= today else None
    for item in store.plan_items(start, last, overdue_before):
        assert item.due is not None
        stacks.setdefault(max(item.due, today), []).append(item)
    levelled = list(each_day(start, days_from(start, days - 1)))
    plan = planning.level(stacks, levelled, capacity, calendar)
    if apply:
        for move in plan.moves:
            store.move_to_day(move.item.id, move.to, stamp)
    return plan


def spread(
    store: Store,
    today: date,
    month: MonthTab,
    capacity: int,
    calendar: WorkCalendar,
    apply: bool,
    stamp: str,
) -> Plan:
    """Give the month tab's undated dossiers working days of that month, evenly."""
    from ..domain import planning

    _check_capacity(capacity)
    items = store.month_items(month.key)
    first = max(month.first, today)
    days = calendar.working_days(first, month.last)
    if items and not days:
        raise DossierError(
            "the {month} tab has no working day left to spread onto; file its dossiers on a "
            "later date with 'dossier move'",
            month=month,
        )
    counted = {t.day: t.count for t in loads(store, first, month.last, calendar)}
    plan = planning.spread(items, days, counted, capacity)
    if apply:
        for move in plan.moves:
            store.move_to_day(move.item.id, move.to, stamp)
    return plan


def move_clients(store: Store, whos: list[str], day: date, stamp: str) -> list[Move]:
    from ..domain.planning import Item, Move

    moves = []
    for who in whos:
        client = lookup.active(store, who)
        placement = client.placement
        item = Item(
            client.id,
            client.name,
            placement.due if placement else None,
            placement.at if placement else None,
        )
        store.move_to_day(client.id, day, stamp)
        moves.append(Move(item, day))
    return moves


def move_day(
    store: Store,
    today: date,
    source: date,
    target: date,
    count: int | None,
    stamp: str,
) -> list[Move]:
    """Move a day's dossiers (or its ``count`` least urgent ones) to another day."""
    from ..domain import planning
    from ..domain.planning import Move

    if count is not None and count < 1:
        raise UsageError("--count {count}: give a number of dossiers, 1 or more", count=count)
    items = store.plan_items(source, source)
    untimed = planning.least_urgent_first((i for i in items if not i.at), today)
    ordered = untimed + [i for i in items if i.at]
    chosen = ordered if count is None else ordered[:count]
    for item in chosen:
        store.move_to_day(item.id, target, stamp)
    return [Move(item, target) for item in chosen]


def _check_capacity(capacity: int) -> None:
    if capacity < 1:
        raise UsageError(
            "--capacity {capacity}: a day must take at least 1 dossier", capacity=capacity
        )


def target_day(
    text: str, today: date, calendar: WorkCalendar | None, allow_past: bool = False
) -> tuple[date, Message | None]:
    """A day typed for a move, rolled off a day off when it was a relative form."""
    target = parse_when(text, today, allow_past=allow_past, lang=language())
    if not isinstance(target, Day):
        raise UsageError("{text!r} is a month tab; give a day, e.g. 2024-07-05 or 13", text=text)
    if calendar is None:
        return target.date, None
    return calendar.settle(target.date, target.rolls, note("used as asked"))


# --- days off ------------------------------------------------------------------------


def parse_range(text: str, today: date) -> tuple[date, date]:
    """``2024-08-01..2024-08-15``, a single day, or a month (``august``: all of it);
    each end in any ``--on`` form."""
    first_text, _, last_text = text.partition("..")
    first = _a_day(first_text, today)
    last = _a_day(last_text or first_text, today, end=True)
    if last < first:
        raise UsageError("{text!r}: the range ends before it starts", text=text)
    return first, last


def _a_day(text: str, today: date, end: bool = False) -> date:
    target = parse_when(text, today, lang=language())
    if isinstance(target, Day):
        return target.date
    if end:
        return target.last
    return max(target.first, today)


def add_off(store: Store, today: date, text: str, note: str | None) -> DayOff:
    first, last = parse_range(text, today)
    off_id = store.add_day_off(first, last, note)
    return DayOff(off_id, first, last, note)


def list_off(store: Store, today: date) -> list[DayOff]:
    return [
        DayOff(i, date.fromisoformat(a), date.fromisoformat(b), n)
        for i, a, b, n in store.days_off(today)
    ]


def remove_off(store: Store, today: date, text: str) -> list[DayOff]:
    first, last = parse_range(text, today)
    removed = store.remove_days_off(first, last)
    if not removed:
        raise DossierError("no day off overlaps {text!r}; see 'dossier off --list'", text=text)
    return [DayOff(i, date.fromisoformat(a), date.fromisoformat(b), n) for i, a, b, n in removed]


def filed_on_days_off(store: Store, off: DayOff) -> int:
    return sum(t.count for t in loads(store, off.first, off.last, WorkCalendar()))
