"""Plain-text and JSON views of the domain records; the Rich views are in ``terminal``.

Nothing here prints or touches storage: each function returns a string or a JSON-ready
value and the CLI decides where it goes. Plain text is what a pipe, ``NO_COLOR`` or
``TERM=dumb`` gets: aligned columns, no escape codes, nothing truncated or wrapped.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from functools import lru_cache

from ..domain.dates import format_day
from ..domain.fields import FieldDef
from ..domain.folder import TodayView, ViewFilter, days_late, describe
from ..domain.messages import Kind, Message, note
from ..domain.owners import Whose
from ..domain.records import Client, Entry, Row
from ..domain.shapes import Json, client_json, entry_json, filed_json, show_json
from ..domain.text import clean, excerpt, width
from ..i18n import _, language
from .forms import form_lines
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
        "cold": view.cold,
        "owner": whose_json(view.whose),
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


def rows_json(rows: Sequence[Row], defs: Sequence[FieldDef] = ()) -> list[Json]:
    return [client_json(r.client, r.last, defs) for r in rows]


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


def day_text(day: date) -> str:
    """A day as this run's language writes it: ``Fri 5 Jul 2024``, ``vie 5 jul 2024``."""
    return format_day(day, lang=language())


def headline(view: TodayView) -> str:
    c = counts(view)
    params = {
        "day": view.date,
        "tab": view.date.day,
        "total": c["total"],
        "overdue": Message("{count} overdue", {"count": c["overdue"]}, "note", "{count} overdue"),
        "today": c["today"],
        "repeat": Message("{count} repeat", {"count": c["repeat"]}, "note", "{count} repeat"),
        "new": Message("{count} new", {"count": c["new"]}, "note", "{count} new"),
        "timed": c["timed"],
        "month": c["month"],
    }
    if c["timed"]:
        line = note(
            "{day} · tab {tab} — {total} in all: {overdue} · {today} today ({repeat}, {new}, "
            "{timed} at a set time) · {month} this month without a day",
            **params,
        )
    else:
        del params["timed"]
        line = note(
            "{day} · tab {tab} — {total} in all: {overdue} · {today} today ({repeat}, {new}) · "
            "{month} this month without a day",
            **params,
        )
    return words(line) + filtered(view) + whose_said(view.whose)


def whose_said(whose: Whose | None) -> str:
    """`` — anna`` (or `` — the team``) after a view's heading, when the folder has more
    than one owner or the view is another manager's; nothing on a one-person folder."""
    if whose is None or not whose.said:
        return ""
    return " — " + (clean(whose.owner) if whose.owner else _("the team"))


def whose_json(whose: Whose | None) -> str | None:
    """The ``"owner"`` of a view's JSON: the manager's name, or null for the team's."""
    return whose.owner if whose is not None else None


def filtered(view: TodayView) -> str:
    """`` (filtered: tag vip, stage client)`` after the heading of a filtered view."""
    return " " + filter_note(view.filter) if view.filter else ""


def filter_note(only: ViewFilter) -> str:
    """``(filtered: tag vip, stage client)``."""
    return words(note("(filtered: {filter})", filter=describe_filter(only)))


def filter_json(only: ViewFilter | None) -> Json | None:
    return {"tags": list(only.tags), "stage": only.stage} if only else None


def day_off_line(view: TodayView) -> str | None:
    """On a day off, said first: the day, why, and the next working day with its load."""
    if not view.off:
        return None
    line = words(note("{day} is a day off: {why}.", day=view.date, why=clean(words(view.off))))
    if view.next_working:
        day, count = view.next_working
        line += " " + words(
            Message(
                "Next working day: {day} ({count} dossier).",
                {"day": day, "count": count},
                "note",
                "Next working day: {day} ({count} dossiers).",
            )
        )
    return line


def empty_line(view: TodayView) -> str | None:
    if view.today:
        return None
    line = words(note("Nothing behind today's tab ({day}).", day=view.date))
    if view.next_work:
        label, count = view.next_work
        line += " " + words(
            Message(
                "Next work: {label} ({count} dossier).",
                {"label": label, "count": count},
                "note",
                "Next work: {label} ({count} dossiers).",
            )
        )
    else:
        line += " " + _("Nothing is filed ahead either.")
    return line


def capacity_line(view: TodayView) -> str | None:
    if not view.over or view.off:  # a day off is not levelled: nothing to suggest
        return None
    if view.filter and view.whole_stack is not None:
        return words(
            note(
                "Over capacity: the whole day's stack holds {whole} dossiers (the {stack} shown "
                "are part of it) for {capacity} a day, {over} too many; 'dossier level' moves "
                "the excess to the next working days",
                whole=view.whole_stack,
                stack=view.stack,
                capacity=view.capacity,
                over=view.over,
            )
        )
    return words(
        note(
            "Over capacity: {stack} dossiers in today's stack for {capacity} a day, {over} too "
            "many; 'dossier level' moves the excess to the next working days",
            stack=view.stack,
            capacity=view.capacity,
            over=view.over,
        )
    )


def cold_line(view: TodayView) -> str | None:
    """How many clients went cold, and where to see them; nothing when none did."""
    if not view.cold:
        return None
    return words(
        Message(
            "Going cold: {count} client without contact for too long: 'dossier list --cold'.",
            {"count": view.cold},
            "hint",
            "Going cold: {count} clients without contact for too long: 'dossier list --cold'.",
        )
    )


def cold_days_text(days: int) -> str:
    return words(Message("{count} day", {"count": days}, "note", "{count} days"))


def cold_plain(found: Sequence[tuple[Row, int]]) -> str:
    """The clients gone cold, the longest first, with how long."""
    if not found:
        return _("No client has gone cold.")
    heads = (*headers(("ID", "NAME", "COMPANY", "STAGE")), _("COLD FOR"), _("LAST CONTACT"))
    cells = [
        [f"#{c.id}", c.name, c.company or "", c.stage, cold_days_text(days), last_contact(r.last)]
        for r, days in found
        for c in (r.client,)
    ]
    return table(heads, cells)


def cold_json(found: Sequence[tuple[Row, int]], defs: Sequence[FieldDef] = ()) -> list[Json]:
    return [client_json(r.client, r.last, defs) | {"cold_days": days} for r, days in found]


def unfiled_line(view: TodayView) -> str | None:
    if not view.unfiled:
        return None
    names = ", ".join(f"{clean(n)} (#{i})" for i, n in view.unfiled)
    n = view.unfiled_count
    if n > len(view.unfiled):
        names = words(note("{names} and {count} more", names=names, count=n - len(view.unfiled)))
    return words(
        Message(
            "No next step: {count} active client is filed nowhere: {names}. "
            "File with 'dossier file CLIENT --on DATE'.",
            {"count": n, "names": names},
            "warning",
            "No next step: {count} active clients are filed nowhere: {names}. "
            "File with 'dossier file CLIENT --on DATE'.",
        )
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
        if client.archive_reason:
            return words(note("done ({reason})", reason=clean(client.archive_reason)))
        return _("done")
    if client.placement is None:
        return _("not filed")
    text = words(describe(client.placement))
    if client.placement.at:
        text = words(note("{place} at {time}", place=text, time=client.placement.at))
    return clean(text)


def due_cell(row: Row, view: TodayView) -> str:
    placement = row.client.placement
    if placement is None:
        return ""
    late = days_late(placement, view.date)
    if placement.due:
        label = placement.due.isoformat()
    else:
        label = words(note("{month} tab", month=clean(placement.month)))
    return f"{label} ({_days_late(late, language())})"


@lru_cache(maxsize=512)
def _days_late(count: int, lang: str) -> str:
    """``8 days late``: said once per count and language (a morning has thousands of
    overdue rows, and few distinct counts)."""
    return words(Message("{count} day late", {"count": count}, "note", "{count} days late"))


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


def headers(names: Sequence[str]) -> tuple[str, ...]:
    """Column headers (given in English, as ``TODAY_HEADERS`` holds them) in this run's
    language."""
    said = header_words()
    return tuple(said.get(name, name) for name in names)


def header_words() -> dict[str, str]:
    """Every column header of the plain views, in this run's language."""
    return {
        "ID": _("ID"),
        "NAME": _("NAME"),
        "COMPANY": _("COMPANY"),
        "PHONE": _("PHONE"),
        "FOR": _("FOR"),
        "LAST CONTACT": _("LAST CONTACT"),
        "WAS DUE": _("WAS DUE"),
        "TIME": _("TIME"),
        "TYPE": _("TYPE"),
        "STAGE": _("STAGE"),
        "TAGS": _("TAGS"),
        "FILED": _("FILED"),
        "MATCHED": _("MATCHED"),
    }


def call_type(contacted: bool) -> str:
    """The TYPE of a dossier in a day's stack: a repeat contact or a new client."""
    return _("repeat") if contacted else _("new")


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
        said = headers((*TODAY_HEADERS[:4], "WAS DUE", *TODAY_HEADERS[4:]))
        title = words(note("OVERDUE ({count})", count=len(view.overdue)))
        parts.append(title + "\n" + table(said, rows))
    if view.today:
        rows = []
        for r in view.today:
            at = r.client.placement.at if r.client.placement else None
            cells = _today_cells(r, "")
            rows.append([cells[0], at or "", call_type(r.contacted), *cells[1:]])
        c = counts(view)
        title = words(
            note(
                "TODAY ({count}: {repeat}, {new})",
                count=c["today"],
                repeat=Message("{count} repeat", {"count": c["repeat"]}, "note", "{count} repeat"),
                new=Message("{count} new", {"count": c["new"]}, "note", "{count} new"),
            )
        )
        said = headers(("ID", "TIME", "TYPE", *TODAY_HEADERS[1:]))
        parts.append(title + "\n" + table(said, rows))
    if view.month:
        rows = [_today_cells(r, "") for r in view.month]
        title = words(note("THIS MONTH, NO DAY YET ({count})", count=len(view.month)))
        parts.append(title + "\n" + table(headers(TODAY_HEADERS), rows))
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
        (cold_line(view), "hint"),
    ]
    return [(line, kind) for line, kind in lines if line]


def describe_filter(only: ViewFilter) -> str:
    """``tag vip, tag madrid, stage client``, for the heading of a filtered view."""
    parts = [words(note("tag {tag}", tag=t)) for t in only.tags]
    if only.stage:
        parts.append(words(note("stage {stage}", stage=only.stage)))
    return ", ".join(parts)


def list_filter(only: ViewFilter | None, missing: str | None) -> str:
    """``tag vip, stage client, missing sector``: what a filtered list holds."""
    parts = [describe_filter(only)] if only else []
    if missing is not None:
        parts.append(words(note("missing {field}", field=missing)))
    return ", ".join(parts)


def card_lines(client: Client, defs: Sequence[FieldDef] = ()) -> list[tuple[str, str]]:
    """The information card as label/value pairs, shared by the plain and Rich views;
    the team's fields (``defs``) in their order, then the free ones (``forms``). The
    owner is said when the card carries one (see ``cli.cards.show``)."""
    placement = client.placement
    lines = [
        (_("Company"), client.company or ""),
        (_("Position"), client.position or ""),
        (_("Phone"), ", ".join(client.phones)),
        (_("Email"), ", ".join(client.emails)),
        (_("Stage"), client.stage),
    ]
    if client.owner:
        lines.append((_("Owner"), client.owner))
    lines += [
        (_("Tags"), ", ".join(client.tags)),
        (_("Filed"), where(client)),
        (_("For"), (placement.purpose or "") if placement else ""),
    ]
    lines += [(title, value) for title, value, _missing in form_lines(client, defs)]
    if client.archived_at:
        lines.append((_("Done"), client.archived_at.replace("T", " ")))
    lines.append((_("Created"), client.created_at.replace("T", " ")))
    lines.append((_("Updated"), client.updated_at.replace("T", " ")))
    return lines


def entry_head(entry: Entry) -> str:
    """When and what, for the history: the timestamp is the file's, cleaned like a note
    (an imported one may hold anything)."""
    outcome = f" · {entry.outcome}" if entry.outcome else ""
    return clean(f"{entry.at.replace('T', ' ')[:16]}  {entry.kind}{outcome}")


def show_plain(client: Client, history: list[Entry], defs: Sequence[FieldDef] = ()) -> str:
    # The labels include the team's own field keys: user text like the values.
    card = [(clean(label), clean(value)) for label, value in card_lines(client, defs)]
    pad = max(width(label) for label, _ in card)
    lines = [f"#{client.id} {clean(client.name)}"]
    lines += [f"  {label}{' ' * (pad - width(label))}  {value}" for label, value in card]
    lines.append("")
    if history:
        lines.append(words(note("History ({count}, newest first)", count=len(history))))
    else:
        lines.append(_("No history yet."))
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


def list_plain(
    rows: Sequence[Row], only: ViewFilter | None = None, missing: str | None = None
) -> str:
    """The clients, by name; a filtered list says so first (``only``; ``missing``: the
    team's field they leave empty)."""
    described = list_filter(only, missing)
    if not rows:
        if described:
            return words(note("No clients match (filtered: {filter}).", filter=described))
        return _("No clients match.")
    sheet = table(headers(LIST_HEADERS), [list_cells(r) for r in rows])
    if not described:
        return sheet
    count = Message(
        "{count} client (filtered: {filter})",
        {"count": len(rows), "filter": described},
        "note",
        "{count} clients (filtered: {filter})",
    )
    return f"{words(count)}\n{sheet}"


def hit_text(entries: Sequence[Entry]) -> str:
    if not entries:
        return _("card")
    first = entries[0]
    more = " " + words(note("(+{count} more)", count=len(entries) - 1)) if len(entries) > 1 else ""
    return f"{clean(first.day)} {first.kind}: {excerpt(first.text, 60)}{more}"


def find_plain(hits: Sequence[tuple[Row, Sequence[Entry]]]) -> str:
    if not hits:
        return _("Nothing found.")
    rows = [[*list_cells(r)[:3], where(r.client), hit_text(e)] for r, e in hits]
    return table(headers(("ID", "NAME", "COMPANY", "FILED", "MATCHED")), rows)


# --- confirmations -------------------------------------------------------------------


def placed_phrase(client: Client) -> str:
    """``under Fri 5 Jul 2024 (tab 5) at 10:30`` / ``under the July 2024 tab``."""
    placement = client.placement
    if placement is None:
        return _("nowhere: it has no next step yet")
    place = words(describe(placement))
    if placement.at:
        return clean(words(note("under {place} at {time}", place=place, time=placement.at)))
    return clean(words(note("under {place}", place=place)))


def filed_line(client: Client) -> str:
    name, placed = clean(client.name), placed_phrase(client)
    if client.placement and client.placement.purpose:
        purpose = clean(client.placement.purpose)
        return words(
            note("Filed {name} {placed}, for: {purpose}", name=name, placed=placed, purpose=purpose)
        )
    return words(note("Filed {name} {placed}", name=name, placed=placed))


def added_line(client: Client) -> str:
    name = clean(client.name)
    if client.placement is None:
        return words(
            note(
                "Added #{id} {name}, not filed yet (no next step): file it with "
                "'dossier file {id} --on DATE'",
                id=client.id,
                name=name,
            )
        )
    return words(
        note(
            "Added #{id} {name}, filed {placed}",
            id=client.id,
            name=name,
            placed=placed_phrase(client),
        )
    )


def entry_line(client: Client, entry: Entry) -> str:
    params = {"name": clean(client.name), "day": clean(entry.day), "kind": entry.kind}
    if entry.outcome:
        return words(
            note(
                "Noted in {name}'s history on {day}: {kind} ({outcome})",
                **params,
                outcome=entry.outcome,
            )
        )
    return words(note("Noted in {name}'s history on {day}: {kind}", **params))


def updated_line(client: Client) -> str:
    return words(
        note(
            "Updated #{id} {name}: {where}",
            id=client.id,
            name=clean(client.name),
            where=where(client),
        )
    )


def done_line(client: Client) -> str:
    return words(
        note(
            "Done: {name} is out of the folder, its history kept "
            "(see it with 'dossier list --archived')",
            name=clean(client.name),
        )
    )


def reopened_line(client: Client) -> str:
    return words(
        note(
            "Reopened {name} (#{id}); file it with 'dossier file {id} --on DATE'",
            name=clean(client.name),
            id=client.id,
        )
    )


def delete_question(client: Client, entries: int) -> str:
    return words(
        Message(
            "Delete #{id} {name} and {count} history entry? ('dossier undo' brings them back)",
            {"id": client.id, "name": clean(client.name), "count": entries},
            "note",
            "Delete #{id} {name} and {count} history entries? ('dossier undo' brings them back)",
        )
    )


def deleted_line(client: Client) -> str:
    return words(
        note("Deleted #{id} {name} and its history", id=client.id, name=clean(client.name))
    )
