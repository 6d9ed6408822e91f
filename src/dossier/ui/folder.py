"""Plain-text and JSON views of the binder: the folder, a tab, the agenda, and the plans
that correct it. Like ``render``, nothing here prints or touches storage."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import TYPE_CHECKING, Any

from ..domain.dates import format_day, format_month
from ..domain.folder import FolderView, TabLoad, TabView, ViewFilter
from ..domain.settings import WEEKDAY_NAMES, Settings
from ..domain.text import clean
from ..domain.workdays import DayOff
from . import plain as render
from .words import english, words

if TYPE_CHECKING:
    from ..domain.planning import Move, Plan

Json = dict[str, Any]
BAR = 30  # characters a full day's bar takes


def month_label(key: str) -> str:
    year, month = (int(part) for part in key.split("-"))
    return format_month(year, month)


def bar(count: int, capacity: int, full: str = "#", over: str = "+") -> str:
    """A load bar scaled so that a day at capacity fills ``BAR`` characters.

    >>> bar(15, 30), bar(45, 30)
    ('###############', '##############################+')
    """
    filled = round(min(count, capacity) * BAR / capacity) if capacity else 0
    if count and not filled:
        filled = 1
    return full * filled + (over if count > capacity else "")


def load_note(load: TabLoad, capacity: int, today: date) -> str:
    """What to say about a day; cleaned, since a day off's note is the user's text."""
    notes = []
    if load.day == today:
        notes.append("today")
    if load.over(capacity):
        notes.append(f"OVER by {load.over(capacity)}")
    if load.overdue:
        notes.append(f"incl. {load.overdue} overdue")
    if load.off:
        notes.append(f"day off: {words(load.off)}")
    return clean(", ".join(notes))


def tab_json(load: TabLoad, capacity: int) -> Json:
    return {
        "date": load.day.isoformat(),
        "tab": load.day.day,
        "count": load.count,
        "repeat": load.repeat,
        "new": load.new,
        "timed": load.timed,
        "capacity": capacity,
        "over": load.over(capacity),
        "overdue": load.overdue,
        "working": load.off is None,
        "off": english(load.off) if load.off else None,
    }


# --- folder --------------------------------------------------------------------------


def folder_json(view: FolderView) -> Json:
    return {
        "date": view.today.isoformat(),
        "capacity": view.capacity,
        "days": [tab_json(t, view.capacity) for t in view.days],
        "months": [
            {"month": m.key, "label": month_label(m.key), "dated": m.dated, "undated": m.undated}
            for m in view.months
        ],
        "overdue": view.overdue,
        "unfiled": view.unfiled,
    }


def folder_plain(view: FolderView) -> str:
    rows = [
        [
            str(t.day.day),
            format_day(t.day),
            str(t.count),
            bar(t.count, view.capacity),
            load_note(t, view.capacity, view.today),
        ]
        for t in view.days
    ]
    days = render.table(("TAB", "DAY", "COUNT", "LOAD", "NOTE"), rows)
    months = render.table(
        ("MONTH TAB", "WITH A DAY", "NO DAY YET"),
        [[month_label(m.key), str(m.dated), str(m.undated)] for m in view.months],
    )
    return "\n\n".join(
        [
            f"The binder on {format_day(view.today)}: {_tabs(len(view.days))}, capacity "
            f"{view.capacity} a day (a full bar of {BAR} # is the capacity)",
            days,
            months,
            f"Overdue: {view.overdue}   Not filed (no next step): {view.unfiled}",
        ]
    )


def _tabs(count: int) -> str:
    """Always 31, but for the last days of 9999, past which there is no next month."""
    return f"{count} day tab" + ("" if count == 1 else "s")


# --- one tab -------------------------------------------------------------------------


def tab_view_json(view: TabView, capacity: int) -> Json:
    return {
        "title": english(view.title),
        "undated": render.rows_json(view.undated),
        "days": [
            {**tab_json(load, capacity), "dossiers": render.rows_json(rows)}
            for load, rows in view.by_day
        ],
    }


def tab_view_plain(view: TabView, capacity: int) -> str:
    parts = [clean(words(view.title))]
    if view.undated:
        undated = [render.list_cells(r) for r in view.undated]
        title = f"NO DAY YET ({len(view.undated)})\n"
        parts.append(title + render.table(render.LIST_HEADERS, undated))
    for load, rows in view.by_day:
        head = f"{format_day(load.day).upper()} — {load.count} of {capacity}"
        note = load_note(load, capacity, date.min)
        head += f" ({note})" if note else ""
        if rows:
            cells = [
                [
                    (r.client.placement.at or "") if r.client.placement else "",
                    "repeat" if r.contacted else "new",
                    *render.list_cells(r),
                ]
                for r in rows
            ]
            head += "\n" + render.table(("TIME", "TYPE", *render.LIST_HEADERS), cells)
        else:
            head += "\nNothing filed here."
        parts.append(head)
    if len(parts) == 1:
        parts.append("Nothing filed behind this tab.")
    return "\n\n".join(parts)


# --- agenda --------------------------------------------------------------------------


def agenda_json(
    days: Sequence[tuple[TabLoad, list[tuple[str, str]]]],
    capacity: int,
    only: ViewFilter | None = None,
) -> Json:
    return {
        "capacity": capacity,
        "filter": render.filter_json(only),
        "days": [
            {
                **tab_json(load, capacity),
                **({"day_count": load.whole} if only else {}),
                "meetings": [{"at": t, "name": n} for t, n in timed],
            }
            for load, timed in days
        ],
    }


def agenda_filtered(only: ViewFilter | None) -> str | None:
    """The heading of a filtered agenda: what is counted, and whose the capacity is."""
    if not only:
        return None
    return (
        f"Agenda (filtered: {render.describe_filter(only)}): the counts are of these "
        "dossiers alone; the capacity is the whole day's"
    )


def agenda_plain(
    days: Sequence[tuple[TabLoad, list[tuple[str, str]]]],
    capacity: int,
    only: ViewFilter | None = None,
) -> str:
    rows = []
    for load, timed in days:
        use = f"{load.count}/{capacity}"
        if load.whole is not None:
            use = f"{load.count} of {load.whole}/{capacity}"
        if load.over(capacity):
            use += f" OVER by {load.over(capacity)}"
        elif load.off:
            use = f"{use} (day off)" if load.count else "day off"
        meetings = ", ".join(f"{t} {n}" for t, n in timed)
        rows.append(
            [format_day(load.day), str(load.count), str(load.repeat), str(load.new), use, meetings]
        )
    sheet = render.table(("DAY", "COUNT", "REPEAT", "NEW", "CAPACITY", "AT A SET TIME"), rows)
    heading = agenda_filtered(only)
    return f"{heading}\n\n{sheet}" if heading else sheet


# --- plans ---------------------------------------------------------------------------


def plan_json(plan: Plan, applied: bool) -> Json:
    return {
        "applied": applied,
        "moves": [
            {
                "id": m.item.id,
                "name": m.item.name,
                "from": m.item.due.isoformat() if m.item.due else None,
                "to": m.to.isoformat(),
            }
            for m in plan.moves
        ],
        "stuck": [{"id": i.id, "name": i.name} for i in plan.stuck],
        "fixed_over": [{"date": d.isoformat(), "over": n} for d, n in plan.fixed],
    }


def plan_plain(title: str, plan: Plan, applied: bool, empty: str) -> str:
    fixed = [
        f"{format_day(day)} stays over by {over}: what is left there has a fixed time; "
        "move a meeting by hand with 'dossier move CLIENT --on DATE'"
        for day, over in plan.fixed
    ]
    if not plan.moves and not plan.stuck:
        return "\n".join([title, *fixed]) if fixed else empty
    parts = [title]
    if plan.moves:
        rows = [
            [f"#{m.item.id}", m.item.name, _from(m), "->", format_day(m.to)] for m in plan.moves
        ]
        parts.append(render.table(("ID", "NAME", "FROM", "", "TO"), rows))
    if plan.stuck:
        names = ", ".join(f"{clean(i.name)} (#{i.id})" for i in plan.stuck)
        parts.append(f"Could not place {len(plan.stuck)} (no working day with room): {names}")
    parts += fixed
    n = len(plan.moves)
    verb = "Moved" if applied else "Dry run: would move"
    tail = "" if applied else "; nothing was changed"
    parts.append(f"{verb} {n} dossier{'s' if n != 1 else ''}{tail}.")
    return "\n".join(parts)


def _from(move: Move) -> str:
    if move.item.due:
        return format_day(move.item.due)
    if move.item.month:
        return f"the {month_label(move.item.month)} tab"
    return "not filed"


def moves_plain(moves: Sequence[Move]) -> str:
    if not moves:
        return "Nothing to move."
    return "\n".join(
        f"{clean(m.item.name)} is already on {format_day(m.to)}"
        if m.item.due == m.to
        else f"Moved {clean(m.item.name)} from {_from(m)} to {format_day(m.to)}"
        for m in moves
    )


# --- days off and settings -----------------------------------------------------------


def off_line(off: DayOff) -> str:
    span = format_day(off.first)
    if off.last != off.first:
        span += f" to {format_day(off.last)}"
    return span + (f" ({clean(off.note)})" if off.note else "")


def filed_on_off_line(count: int) -> str:
    return (
        f"{count} dossier{'s are' if count != 1 else ' is'} filed on those days; move them "
        "with 'dossier move --from DATE --to DATE' or 'dossier level'"
    )


def offs_plain(offs: Sequence[DayOff]) -> str:
    if not offs:
        return "No days off planned. Add some with 'dossier off 2024-08-01..2024-08-15'."
    rows = [[f"#{o.id}", o.first.isoformat(), o.last.isoformat(), o.note or ""] for o in offs]
    return render.table(("ID", "FROM", "TO", "NOTE"), rows)


def settings_values(settings: Settings) -> dict[str, Any]:
    """The settings as typed values, for JSON."""
    return {
        "capacity": settings.capacity,
        "workdays": [name for i, name in enumerate(WEEKDAY_NAMES) if i in settings.workdays],
        "country": settings.country,
        "subdivision": settings.subdivision,
        "lang": settings.lang,
    }


def settings_rows(settings: Settings) -> list[tuple[str, str, str, str]]:
    """The settings as the table shows them: lists joined, unset ones as "none"."""
    rows = []
    for key, value in settings_values(settings).items():
        shown = ",".join(value) if isinstance(value, list) else str(value or "none")
        rows.append((key, shown, settings.sources[key], SETTING_HELP[key]))
    return rows


# What each setting means, as 'dossier config' shows it.
SETTING_HELP = {
    "capacity": "dossiers a day can take (the method's 10 repeat + 20 new calls)",
    "workdays": "working weekdays, e.g. mon,tue,wed,thu,fri",
    "country": "public holidays of this country (ISO code, e.g. ES, GB, US), or none",
    "subdivision": "region for the holidays (e.g. MD for Madrid, or none)",
    "lang": "language of help and messages: en or es (none: from the locale)",
}


def settings_plain(settings: Settings, database: str) -> str:
    table = render.table(
        ("SETTING", "VALUE", "FROM", "MEANING"), [list(row) for row in settings_rows(settings)]
    )
    exists = "" if settings.file_exists else " (not created yet)"
    config, data = clean(settings.path), clean(database)  # paths from the environment
    return f"{table}\n\nConfig file: {config}{exists}\nDatabase:    {data}"


def settings_json(settings: Settings, database: str) -> Json:
    return {
        "settings": {
            key: {"value": value, "from": settings.sources[key]}
            for key, value in settings_values(settings).items()
        },
        "config_file": settings.path,
        "database": database,
    }
