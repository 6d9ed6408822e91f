"""Plain-text and JSON views of the binder: the folder, a tab, the agenda, and the plans
that correct it. Like ``render``, nothing here prints or touches storage."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import TYPE_CHECKING, Any

from ..domain.dates import format_month
from ..domain.folder import FolderView, TabLoad, TabView, ViewFilter, describe
from ..domain.messages import Message, note
from ..domain.owners import Whose
from ..domain.records import Placement
from ..domain.settings import WEEKDAY_NAMES, Settings
from ..domain.text import clean, width
from ..domain.workdays import DayOff
from ..i18n import _, catalogue, language
from . import plain as render
from .plain import day_text, headers
from .words import english, words

if TYPE_CHECKING:
    from ..domain.planning import Move, Plan

Json = dict[str, Any]
BAR = 30  # characters a full day's bar takes


def month_label(key: str, lang: str | None = None) -> str:
    """``2024-07`` as the month tab's label: ``July 2024``, ``julio 2024`` (``lang``: this
    run's language unless given; JSON asks for English)."""
    year, month = (int(part) for part in key.split("-"))
    return format_month(year, month, lang=lang or language())


def _in_context(context: str, message: str) -> str:
    """``message`` in this run's language, where the same English word is said otherwise
    elsewhere (the catalogue's ``msgctxt``)."""
    found = catalogue()
    return found.pgettext(context, message) if found else message


def over_by(count: int) -> str:
    """How far a day is over capacity: ``OVER by 3``."""
    return words(Message("OVER by {count}", {"count": count}, "alert", "OVER by {count}"))


def bar(count: int, capacity: int, full: str = "#", over: str = "+") -> str:
    """A load bar scaled so that a day at capacity fills ``BAR`` characters.

    >>> bar(15, 30), bar(45, 30)
    ('###############', '##############################+')
    """
    filled = round(min(count, capacity) * BAR / capacity) if capacity else 0
    if count and not filled:
        filled = 1
    return full * filled + (over if count > capacity else "")


def warnings(load: TabLoad, capacity: int, today: date) -> list[str]:
    """What to warn of on a day, in the plain and the Rich views alike: today, over
    capacity, overdue dossiers in its pile."""
    notes = []
    if load.day == today:
        notes.append(_("today"))
    if load.over(capacity):
        notes.append(over_by(load.over(capacity)))
    if load.overdue:
        overdue = Message(
            "incl. {count} overdue", {"count": load.overdue}, "note", "incl. {count} overdue"
        )
        notes.append(words(overdue))
    return notes


def load_note(load: TabLoad, capacity: int, today: date) -> str:
    """What to say about a day; cleaned, since a day off's note is the user's text."""
    notes = warnings(load, capacity, today)
    if load.off:
        notes.append(words(note("day off: {why}", why=load.off)))
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
            {
                "month": m.key,
                "label": month_label(m.key, "en"),
                "dated": m.dated,
                "undated": m.undated,
            }
            for m in view.months
        ],
        "overdue": view.overdue,
        "unfiled": view.unfiled,
        "owner": render.whose_json(view.whose),
    }


def folder_plain(view: FolderView) -> str:
    rows = [
        [
            str(t.day.day),
            day_text(t.day),
            str(t.count),
            bar(t.count, view.capacity),
            load_note(t, view.capacity, view.today),
        ]
        for t in view.days
    ]
    days = render.table((_("TAB"), _("DAY"), _("COUNT"), _("LOAD"), _("NOTE")), rows)
    months = render.table(
        (_("MONTH TAB"), _("WITH A DAY"), _("NO DAY YET")),
        [[month_label(m.key), str(m.dated), str(m.undated)] for m in view.months],
    )
    heading = note(
        "The binder on {day}: {tabs}, capacity {capacity} a day (a full bar of {bar} # is the "
        "capacity)",
        day=view.today,
        tabs=_tabs(len(view.days)),
        capacity=view.capacity,
        bar=BAR,
    )
    tail = note(
        "Overdue: {overdue}   Not filed (no next step): {unfiled}",
        overdue=view.overdue,
        unfiled=view.unfiled,
    )
    heading_line = words(heading) + render.whose_said(view.whose)
    return "\n\n".join([heading_line, days, months, words(tail)])


def _tabs(count: int) -> Message:
    """Always 31, but for the last days of 9999, past which there is no next month."""
    return Message("{count} day tab", {"count": count}, "note", "{count} day tabs")


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
        title = words(note("NO DAY YET ({count})", count=len(view.undated)))
        parts.append(title + "\n" + render.table(headers(render.LIST_HEADERS), undated))
    for load, rows in view.by_day:
        head = words(
            note(
                "{day} — {count} of {capacity}",
                day=day_text(load.day).upper(),
                count=load.count,
                capacity=capacity,
            )
        )
        said = load_note(load, capacity, date.min)
        head += f" ({said})" if said else ""
        if rows:
            cells = [
                [
                    (r.client.placement.at or "") if r.client.placement else "",
                    render.call_type(r.contacted),
                    *render.list_cells(r),
                ]
                for r in rows
            ]
            columns = headers(("TIME", "TYPE", *render.LIST_HEADERS))
            head += "\n" + render.table(columns, cells)
        else:
            head += "\n" + _("Nothing filed here.")
        parts.append(head)
    if len(parts) == 1:
        parts.append(_("Nothing filed behind this tab."))
    return "\n\n".join(parts)


# --- agenda --------------------------------------------------------------------------


def agenda_json(
    days: Sequence[tuple[TabLoad, list[tuple[str, str]]]],
    capacity: int,
    only: ViewFilter | None = None,
    whose: Whose | None = None,
) -> Json:
    return {
        "owner": render.whose_json(whose),
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
    return words(
        note(
            "Agenda (filtered: {filter}): the counts are of these dossiers alone; the capacity "
            "is the whole day's",
            filter=render.describe_filter(only),
        )
    )


def agenda_plain(
    days: Sequence[tuple[TabLoad, list[tuple[str, str]]]],
    capacity: int,
    only: ViewFilter | None = None,
    whose: Whose | None = None,
) -> str:
    rows = []
    for load, timed in days:
        use = f"{load.count}/{capacity}"
        if load.whole is not None:
            use = words(
                note(
                    "{count} of {whole}/{capacity}",
                    count=load.count,
                    whole=load.whole,
                    capacity=capacity,
                )
            )
        if load.over(capacity):
            use += " " + over_by(load.over(capacity))
        elif load.off:
            use = words(note("{use} (day off)", use=use)) if load.count else _("day off")
        meetings = ", ".join(f"{t} {n}" for t, n in timed)
        rows.append(
            [day_text(load.day), str(load.count), str(load.repeat), str(load.new), use, meetings]
        )
    columns = (_("DAY"), _("COUNT"), _("REPEAT"), _("NEW"), _("CAPACITY"), _("AT A SET TIME"))
    sheet = render.table(columns, rows)
    heading = agenda_filtered(only)
    said = render.whose_said(whose)
    if said:
        heading = (heading or _("Agenda")) + said
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
        words(
            note(
                "{day} stays over by {over}: what is left there has a fixed time; move a "
                "meeting by hand with 'dossier move CLIENT --on DATE'",
                day=day,
                over=over,
            )
        )
        for day, over in plan.fixed
    ]
    if not plan.moves and not plan.stuck:
        return "\n".join([title, *fixed]) if fixed else empty
    parts = [title]
    if plan.moves:
        rows = [[f"#{m.item.id}", m.item.name, _from(m), "->", day_text(m.to)] for m in plan.moves]
        parts.append(render.table((_("ID"), _("NAME"), _("FROM"), "", _("TO")), rows))
    if plan.stuck:
        names = ", ".join(f"{clean(i.name)} (#{i.id})" for i in plan.stuck)
        stuck = note(
            "Could not place {count} (no working day with room): {names}",
            count=len(plan.stuck),
            names=names,
        )
        parts.append(words(stuck))
    parts += fixed
    n = len(plan.moves)
    if applied:
        said = Message("Moved {count} dossier.", {"count": n}, "note", "Moved {count} dossiers.")
    else:
        said = Message(
            "Dry run: would move {count} dossier; nothing was changed.",
            {"count": n},
            "note",
            "Dry run: would move {count} dossiers; nothing was changed.",
        )
    parts.append(words(said))
    return "\n".join(parts)


def _from(move: Move) -> str:
    if move.item.due:
        return day_text(move.item.due)
    if move.item.month:  # "the July 2024 tab", as the confirmations say it
        return words(describe(Placement(None, move.item.month, None, None)))
    return _("not filed")


def moves_plain(moves: Sequence[Move]) -> str:
    if not moves:
        return _("Nothing to move.")
    return "\n".join(
        words(note("{name} is already on {day}", name=clean(m.item.name), day=m.to))
        if m.item.due == m.to
        else words(
            note(
                "Moved {name} from {source} to {day}",
                name=clean(m.item.name),
                source=_from(m),
                day=m.to,
            )
        )
        for m in moves
    )


# --- days off and settings -----------------------------------------------------------


def off_line(off: DayOff) -> str:
    span = day_text(off.first)
    if off.last != off.first:
        span = words(note("{first} to {last}", first=off.first, last=off.last))
    return span + (f" ({clean(off.note)})" if off.note else "")


def filed_on_off_line(count: int) -> str:
    return words(
        Message(
            "{count} dossier is filed on those days; move them with "
            "'dossier move --from DATE --to DATE' or 'dossier level'",
            {"count": count},
            "warning",
            "{count} dossiers are filed on those days; move them with "
            "'dossier move --from DATE --to DATE' or 'dossier level'",
        )
    )


def offs_plain(offs: Sequence[DayOff]) -> str:
    if not offs:
        return _("No days off planned. Add some with 'dossier off 2024-08-01..2024-08-15'.")
    rows = [[f"#{o.id}", o.first.isoformat(), o.last.isoformat(), o.note or ""] for o in offs]
    return render.table((_("ID"), _("FROM"), _("TO"), _("NOTE")), rows)


def settings_values(settings: Settings) -> dict[str, Any]:
    """The settings as typed values, for JSON."""
    return {
        "capacity": settings.capacity,
        "workdays": [name for i, name in enumerate(WEEKDAY_NAMES) if i in settings.workdays],
        "country": settings.country,
        "subdivision": settings.subdivision,
        "lang": settings.lang,
        "timezone": settings.timezone,
        "cold_factor": settings.cold_factor,
        "cold_days": settings.cold_days,
        "target.new": settings.target_new,
        "target.repeat": settings.target_repeat,
        "target.meetings_week": settings.target_meetings_week,
        "user": settings.user,
        **{f"cadence.{name}": step for name, step in settings.cadences},
    }


def settings_rows(settings: Settings) -> list[tuple[str, str, str, str]]:
    """The settings as the table shows them: lists joined, unset ones as "none"."""
    rows = []
    meaning = setting_help()
    for key, value in settings_values(settings).items():
        # "none" is kept: it is what 'dossier config KEY none' takes
        shown = ",".join(value) if isinstance(value, list) else str(value or "none")
        source = settings.sources[key]
        what = meaning.get(key) or _("cadence of this tag or stage (none removes it)")
        rows.append((key, shown, _("default") if source == "default" else source, what))
    return rows


def setting_help() -> dict[str, str]:
    """What each setting means, as 'dossier config' shows it, in this run's language."""
    return {
        "capacity": _("dossiers a day can take (the method's 10 repeat + 20 new calls)"),
        "workdays": _("working weekdays, e.g. mon,tue,wed,thu,fri"),
        "country": _("public holidays of this country (ISO code, e.g. ES, GB, US), or none"),
        "subdivision": _("region for the holidays (e.g. MD for Madrid, or none)"),
        "lang": _("language of help and messages: en or es (none: from the locale)"),
        "timezone": _(
            "time zone of timed calendar events, e.g. Europe/Madrid (none: the system's)"
        ),
        "cold_factor": _("cold: no contact for this many times the cadence"),
        "cold_days": _("cold: no contact for this many days (clients without a cadence)"),
        "target.new": _("stats: new clients to contact a working day"),
        "target.repeat": _("stats: repeat contacts a working day"),
        "target.meetings_week": _("stats: meetings a week"),
        "user": _("the manager you work as (none: $DOSSIER_USER, else the login name)"),
    }


def settings_plain(settings: Settings, database: str) -> str:
    # "FROM" is where a setting comes from here, not the first day of a range
    columns = (_("SETTING"), _("VALUE"), _in_context("setting source", "FROM"), _("MEANING"))
    table = render.table(columns, [list(row) for row in settings_rows(settings)])
    config, data = clean(settings.path), clean(database)  # paths from the environment
    if not settings.file_exists:
        config = words(note("{path} (not created yet)", path=config))
    labels = (_("Config file:"), _("Database:"))
    pad = max(width(label) for label in labels)
    config_label, data_label = (label + " " * (pad - width(label)) for label in labels)
    return f"{table}\n\n{config_label} {config}\n{data_label} {data}"


def settings_json(settings: Settings, database: str) -> Json:
    return {
        "settings": {
            key: {"value": value, "from": settings.sources[key]}
            for key, value in settings_values(settings).items()
        },
        "config_file": settings.path,
        "database": database,
    }
