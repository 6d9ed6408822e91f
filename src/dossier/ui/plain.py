"""Plain-text and JSON views of the domain records; the Rich views are in ``render_rich``.

Nothing here prints or touches storage: each function returns a string or a JSON-ready
value and the CLI decides where it goes. Plain text is what a pipe, ``NO_COLOR`` or
``TERM=dumb`` gets: aligned columns, no escape codes, nothing truncated or wrapped.
"""

from __future__ import annotations

from collections.abc import Sequence

from ..domain.dates import format_day
from ..domain.folder import TodayView, ViewFilter, days_late, describe
from ..domain.messages import Kind
from ..domain.records import Client, Entry, Row
from ..domain.shapes import Json, client_json, entry_json, filed_json, show_json
from ..domain.text import clean, excerpt, width
from .words import english, words

__all__ = ["Json", "client_json", "entry_json", "filed_json", "show_json"]


# --- JSON ----------------------------------------------------------------------------


def item_json(row: Row, view: TodayView) -> Json:
    """A dossier in the day's stack."""
    client, placement = row.client, row.client.placement
    filed = filed_json(placement) or {"due": None, "month": None, "at": None, "for": None}
    return {
        "id": client.id,
        "name": client.name,
        "company": client.company,
        "phone": client.phone,
        **filed,
        "new": not row.contacted,
        "days_late": days_late(placement, view.date),
        "stage": client.stage,
        "last_contact": entry_json(row.last),
    }


def today_json(view: TodayView) -> Json:
    return {
        "date": view.date.isoformat(),
        "overdue": [item_json(r, view) for r in view.overdue],
        "today": [item_json(r, view) for r in view.today],
        "month": [item_json(r, view) for r in view.month],
        "counts": counts(view),
        "next": {"label": english(view.next_work[0]), "count": view.next_work[1]}
        if view.next_work
        else None,
        "no_next_step": [{"id": i, "name": n} for i, n in view.unfiled],
        "no_next_step_count": view.unfiled_count,
        "capacity": view.capacity,
        "over_capacity": view.over,
        "day_off": day_off_json(view),
        "filter": filter_json(view.filter),
    }


def day_off_json(view: TodayView) -> Json | None:
    if not view.off:
        return None
    following = view.next_working
    return {
        "reason": english(view.off),
        "next_working": {"date": following[0].isoformat(), "count": following[1]}
        if following
        else None,
    }


def rows_json(rows: Sequence[Row]) -> list[Json]:
    return [client_json(r.client, r.last) for r in rows]


# --- words shared by the plain and Rich views ----------------------------------------


def counts(view: TodayView) -> dict[str, int]:
    today = view.today
    return {
        "overdue": view.overdue_count,
        "today": len(today),
        "repeat": sum(1 for r in today if r.contacted),
        "new": sum(1 for r in today if not r.contacted),
        "timed": len(view.timed),
        "month": view.month_count,
        "total": view.total,
    }


def headline(view: TodayView) -> str:
    c = counts(view)
    timed = f", {c['timed']} at a set time" if c["timed"] else ""
    return (
        f"{format_day(view.date)} · tab {view.date.day} — {c['total']} in all: "
        f"{c['overdue']} overdue · {c['today']} today ({c['repeat']} repeat, {c['new']} new"
        f"{timed}) · {c['month']} this month without a day{filtered(view)}"
    )


def filtered(view: TodayView) -> str:
    """`` (filtered: tag vip, stage client)`` after the heading of a filtered view."""
    return f" (filtered: {describe_filter(view.filter)})" if view.filter else ""


def filter_json(only: ViewFilter | None) -> Json | None:
    return {"tags": list(only.tags), "stage": only.stage} if only else None


def day_off_line(view: TodayView) -> str | None:
    """On a day off, said first: the day, why, and the next working day with its load."""
    if not view.off:
        return None
    line = f"{format_day(view.date)} is a day off: {clean(words(view.off))}."
    if view.next_working:
        day, count = view.next_working
        line += (
            f" Next working day: {format_day(day)} ({count} dossier{'s' if count != 1 else ''})."
        )
    return line


def empty_line(view: TodayView) -> str | None:
    if view.today:
        return None
    line = f"Nothing behind today's tab ({format_day(view.date)})."
    if view.next_work:
        label, count = view.next_work
        line += f" Next work: {words(label)} ({count} dossier{'s' if count != 1 else ''})."
    else:
        line += " Nothing is filed ahead either."
    return line


def capacity_line(view: TodayView) -> str | None:
    if not view.over or view.off:  # a day off is not levelled: nothing to suggest
        return None
    if view.filter and view.whole_stack is not None:
        return (
            f"Over capacity: the whole day's stack holds {view.whole_stack} dossiers (the "
            f"{view.stack} shown are part of it) for {view.capacity} a day, {view.over} too "
            "many; 'dossier level' moves the excess to the next working days"
        )
    return (
        f"Over capacity: {view.stack} dossiers in today's stack for {view.capacity} a day, "
        f"{view.over} too many; 'dossier level' moves the excess to the next working days"
    )


def unfiled_line(view: TodayView) -> str | None:
    if not view.unfiled:
        return None
    names = ", ".join(f"{clean(n)} (#{i})" for i, n in view.unfiled)
    n = view.unfiled_count
    more = f" and {n - len(view.unfiled)} more" if n > len(view.unfiled) else ""
    return (
        f"No next step: {n} active client{'s are' if n != 1 else ' is'} filed nowhere: "
        f"{names}{more}. File with 'dossier file CLIENT --on DATE'."
    )


def last_contact(entry: Entry | None) -> str:
    """The latest entry in a few words. Cleaned here, not only by the tables: the Rich
    cards print it as is, and its date comes from the file (an import can put anything
    there)."""
    if entry is None:
        return "—"
    what = entry.kind + (f", {entry.outcome}" if entry.outcome else "")
    text = excerpt(entry.text, 48)
    return clean(f"{entry.day} {what}") + (f": {text}" if text else "")


def where(client: Client) -> str:
    """Where the dossier is, in words, safe to print: the reason and time are the file's."""
    if client.archived:
        return "done" + (f" ({clean(client.archive_reason)})" if client.archive_reason else "")
    if client.placement is None:
        return "not filed"
    text = words(describe(client.placement))
    if client.placement.at:
        text += f" at {client.placement.at}"
    return clean(text)


def due_cell(row: Row, view: TodayView) -> str:
    placement = row.client.placement
    if placement is None:
        return ""
    late = days_late(placement, view.date)
    label = placement.due.isoformat() if placement.due else f"{clean(placement.month)} tab"
    return f"{label} ({late} day{'s' if late != 1 else ''} late)"


# --- plain text ----------------------------------------------------------------------


def table(headers: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    """Aligned columns, padded but never cut; the last column is not padded."""
    cells = [[clean(c) for c in row] for row in rows]
    sizes = [[width(c) for c in row] for row in cells]
    widths = [max([width(h)] + [r[i] for r in sizes]) for i, h in enumerate(headers)]
    lines = ["  ".join(h + " " * (w - width(h)) for h, w in zip(headers, widths, strict=False))]
    last = len(headers) - 1
    for row, size in zip(cells, sizes, strict=True):
        padded = [row[i] + " " * (widths[i] - size[i]) for i in range(last)]
        padded.append(row[last])
        lines.append("  ".join(padded).rstrip())
    lines[0] = lines[0].rstrip()
    return "\n".join(lines)


TODAY_HEADERS = ("ID", "NAME", "COMPANY", "PHONE", "FOR", "LAST CONTACT")


def _today_cells(row: Row, first: str) -> list[str]:
    c = row.client
    purpose = c.placement.purpose if c.placement else None
    return [
        f"#{c.id}",
        first + c.name,
        c.company or "",
        c.phone or "",
        purpose or "",
        last_contact(row.last),
    ]


def today_plain(view: TodayView) -> str:
    parts = [headline(view)]
    if off := day_off_line(view):
        parts.append(off)
    if view.overdue:
        rows = []
        for r in view.overdue:
            cells = _today_cells(r, "")
            rows.append([*cells[:4], due_cell(r, view), *cells[4:]])
        headers = (*TODAY_HEADERS[:4], "WAS DUE", *TODAY_HEADERS[4:])
        parts.append(f"OVERDUE ({len(view.overdue)})\n" + table(headers, rows))
    if view.today:
        rows = []
        for r in view.today:
            at = r.client.placement.at if r.client.placement else None
            kind = "repeat" if r.contacted else "new"
            cells = _today_cells(r, "")
            rows.append([cells[0], at or "", kind, *cells[1:]])
        c = counts(view)
        title = f"TODAY ({c['today']}: {c['repeat']} repeat, {c['new']} new)"
        parts.append(title + "\n" + table(("ID", "TIME", "TYPE", *TODAY_HEADERS[1:]), rows))
    if view.month:
        rows = [_today_cells(r, "") for r in view.month]
        parts.append(f"THIS MONTH, NO DAY YET ({len(view.month)})\n" + table(TODAY_HEADERS, rows))
    parts.extend(line for line, _kind in notes(view))
    return "\n\n".join(parts)


def notes(view: TodayView) -> list[tuple[str, Kind]]:
    """The lines under the tables, each with its kind (a terminal styles by it): empty
    tab, capacity, month start, no next step."""
    hint = words(view.spread_hint) if view.spread_hint else None
    lines: list[tuple[str | None, Kind]] = [
        (empty_line(view), "note"),
        (capacity_line(view), "alert"),
        (hint, "hint"),
        (unfiled_line(view), "warning"),
    ]
    return [(line, kind) for line, kind in lines if line]


def describe_filter(only: ViewFilter) -> str:
    """``tag vip, tag madrid, stage client``, for the heading of a filtered view."""
    parts = [f"tag {t}" for t in only.tags] + ([f"stage {only.stage}"] if only.stage else [])
    return ", ".join(parts)


def card_lines(client: Client) -> list[tuple[str, str]]:
    """The information card as label/value pairs, shared by the plain and Rich views."""
    placement = client.placement
    lines = [
        ("Company", client.company or ""),
        ("Position", client.position or ""),
        ("Phone", ", ".join(client.phones)),
        ("Email", client.email or ""),
        ("Stage", client.stage),
        ("Tags", ", ".join(client.tags)),
        ("Filed", where(client)),
        ("For", (placement.purpose or "") if placement else ""),
    ]
    lines += [(key, value) for key, value in client.fields.items()]
    if client.archived_at:
        lines.append(("Done", client.archived_at.replace("T", " ")))
    lines.append(("Created", client.created_at.replace("T", " ")))
    lines.append(("Updated", client.updated_at.replace("T", " ")))
    return lines


def entry_head(entry: Entry) -> str:
    """When and what, for the history: the timestamp is the file's, cleaned like a note
    (an imported one may hold anything)."""
    outcome = f" · {entry.outcome}" if entry.outcome else ""
    return clean(f"{entry.at.replace('T', ' ')[:16]}  {entry.kind}{outcome}")


def show_plain(client: Client, history: list[Entry]) -> str:
    # The labels include the team's own field keys: user text like the values.
    card = [(clean(label), clean(value)) for label, value in card_lines(client)]
    pad = max(width(label) for label, _ in card)
    lines = [f"#{client.id} {clean(client.name)}"]
    lines += [f"  {label}{' ' * (pad - width(label))}  {value}" for label, value in card]
    lines.append("")
    lines.append(f"History ({len(history)}, newest first)" if history else "No history yet.")
    for entry in history:
        lines.append(f"  {entry_head(entry)}")
        for text_line in clean(entry.text, multiline=True).splitlines():
            lines.append(f"      {text_line}")
    return "\n".join(lines)


LIST_HEADERS = ("ID", "NAME", "COMPANY", "STAGE", "TAGS", "FILED", "FOR", "LAST CONTACT")


def list_cells(row: Row) -> list[str]:
    c = row.client
    purpose = c.placement.purpose if c.placement else None
    return [
        f"#{c.id}",
        c.name,
        c.company or "",
        c.stage,
        ", ".join(c.tags),
        where(c),
        purpose or "",
        last_contact(row.last),
    ]


def list_plain(rows: Sequence[Row], only: ViewFilter | None = None) -> str:
    """The clients, by name; a filtered list says so first (``only``)."""
    said = f" (filtered: {describe_filter(only)})" if only else ""
    if not rows:
        return f"No clients match{said}."
    sheet = table(LIST_HEADERS, [list_cells(r) for r in rows])
    return f"{len(rows)} client{'s' if len(rows) != 1 else ''}{said}\n{sheet}" if only else sheet


def hit_text(entries: Sequence[Entry]) -> str:
    if not entries:
        return "card"
    first = entries[0]
    more = f" (+{len(entries) - 1} more)" if len(entries) > 1 else ""
    return f"{clean(first.day)} {first.kind}: {excerpt(first.text, 60)}{more}"


def find_plain(hits: Sequence[tuple[Row, Sequence[Entry]]]) -> str:
    if not hits:
        return "Nothing found."
    rows = [[*list_cells(r)[:3], where(r.client), hit_text(e)] for r, e in hits]
    return table(("ID", "NAME", "COMPANY", "FILED", "MATCHED"), rows)


# --- confirmations -------------------------------------------------------------------


def placed_phrase(client: Client) -> str:
    """``under Fri 5 Jul 2024 (tab 5) at 10:30`` / ``under the July 2024 tab``."""
    placement = client.placement
    if placement is None:
        return "nowhere: it has no next step yet"
    text = f"under {words(describe(placement))}"
    if placement.at:
        text += f" at {placement.at}"
    return clean(text)


def filed_line(client: Client) -> str:
    line = f"Filed {clean(client.name)} {placed_phrase(client)}"
    if client.placement and client.placement.purpose:
        line += f", for: {clean(client.placement.purpose)}"
    return line


def added_line(client: Client) -> str:
    if client.placement is None:
        return (
            f"Added #{client.id} {clean(client.name)}, not filed yet "
            f"(no next step): file it with 'dossier file {client.id} --on DATE'"
        )
    return f"Added #{client.id} {clean(client.name)}, filed {placed_phrase(client)}"


def entry_line(client: Client, entry: Entry) -> str:
    what = entry.kind + (f" ({entry.outcome})" if entry.outcome else "")
    return f"Noted in {clean(client.name)}'s history on {clean(entry.day)}: {what}"


def updated_line(client: Client) -> str:
    return f"Updated #{client.id} {clean(client.name)}: {where(client)}"


def done_line(client: Client) -> str:
    return (
        f"Done: {clean(client.name)} is out of the folder, its history kept "
        "(see it with 'dossier list --archived')"
    )


def reopened_line(client: Client) -> str:
    return (
        f"Reopened {clean(client.name)} (#{client.id}); "
        f"file it with 'dossier file {client.id} --on DATE'"
    )


def delete_question(client: Client, entries: int) -> str:
    noun = "entry" if entries == 1 else "entries"
    return (
        f"Delete #{client.id} {clean(client.name)} and {entries} history {noun}? "
        "('dossier undo' brings them back)"
    )


def deleted_line(client: Client) -> str:
    return f"Deleted #{client.id} {clean(client.name)} and its history"
