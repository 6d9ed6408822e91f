"""Rich views for a terminal: tables and panels built from the same words as the plain view.

Imported only when output goes to a terminal, so a pipe never pays for Rich. Every piece
of user text enters Rich as a ``Text`` object, never as a markup string, so a client
called ``[bold]x`` is shown exactly as typed.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from rich import box
from rich.console import Console, ConsoleOptions, Group, RenderableType, RenderResult
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from . import render
from .dates import format_day
from .folder import TodayView, days_late
from .records import Client, Entry, Row
from .text import clean


def _t(value: str | None, style: str = "") -> Text:
    return Text(clean(value), style=style)


def _table(
    title: str, headers: Sequence[str], styles: Sequence[str] = (), wrap_last: bool = False
) -> Table:
    """A table whose last column (the excerpts) takes the leftover width and gives way
    first, cut with an ellipsis, so rows stay short on a narrow terminal."""
    table = Table(
        title=Text(clean(title), style="bold"),  # a tab's title holds day-off notes
        title_justify="left",
        box=box.SIMPLE_HEAD,
        header_style="bold dim",
        pad_edge=False,
        expand=True,
    )
    for i, header in enumerate(headers):
        style = styles[i] if i < len(styles) else ""
        if i == len(headers) - 1 and wrap_last:
            table.add_column(header, style=style, overflow="fold", ratio=1, min_width=16)
        elif i == len(headers) - 1:
            table.add_column(
                header, style=style, no_wrap=True, overflow="ellipsis", ratio=1, min_width=16
            )
        else:
            table.add_column(header, style=style, no_wrap=True)
    return table


def _two(top: str | None, bottom: str | None, top_style: str, bottom_style: str) -> Text:
    """A two-line cell: the main value, and under it a quieter detail."""
    text = Text(clean(top), style=top_style)
    if bottom:
        text.append("\n" + clean(bottom), style=bottom_style)
    return text


def _client(row: Row) -> Text:
    return _two(row.client.name, row.client.company, "bold", "dim")


def _plan(row: Row) -> Text:
    placement = row.client.placement
    purpose = (placement.purpose if placement else None) or "—"
    return _two(purpose, render.last_contact(row.last), "italic", "dim")


def today(view: TodayView) -> RenderableType:
    c = render.counts(view)
    head = Text.assemble(
        (f"{format_day(view.date)}", "bold"),
        (f"  tab {view.date.day}\n", "bold cyan"),
        (f"{c['total']} in all", "bold"),
        "  ·  ",
        (f"{c['overdue']} overdue", "red" if c["overdue"] else "dim"),
        "  ·  ",
        (f"{c['today']} today", "green"),
        f" ({c['repeat']} repeat, {c['new']} new"
        + (f", {c['timed']} at a set time" if c["timed"] else "")
        + ")",
        "  ·  ",
        (f"{c['month']} this month without a day", "yellow" if c["month"] else "dim"),
    )
    parts: list[RenderableType] = [Panel(head, box=box.ROUNDED, expand=False)]
    for kind, title, rows in _sections(view):
        wide = _section_table(kind, title, rows, view)
        parts.append(Narrow(wide, _cards(title, rows, view), 72))
    for line in render.notes(view):
        style = "bold red" if line.startswith("Over") else "yellow"
        parts.append(Text(clean(line), style="dim" if line.startswith("Nothing") else style))
    return Group(*parts)


def _sections(view: TodayView) -> list[tuple[str, str, list[Row]]]:
    c = render.counts(view)
    sections = [
        ("overdue", f"Overdue ({len(view.overdue)})", view.overdue),
        ("today", f"Today ({c['today']}: {c['repeat']} repeat, {c['new']} new)", view.today),
        ("month", f"This month, no day yet ({len(view.month)})", view.month),
    ]
    return [section for section in sections if section[2]]


def _cards(title: str, rows: list[Row], view: TodayView) -> RenderableType:
    """The same rows as short stacked cards, for a terminal too narrow for the table."""
    lines: list[RenderableType] = [Text(title, style="bold")]
    for r in rows:
        c, placement = r.client, r.client.placement
        when = ""
        if placement and placement.due and placement.due < view.date:
            when = render.due_cell(r, view)
        elif placement and placement.at:
            when = placement.at
        head = Text.assemble((f"#{c.id} ", "dim"), (clean(c.name), "bold"))
        if when:
            head.append(f"  {clean(when)}", style="red" if "late" in when else "bold cyan")
        lines.append(head)
        detail = " · ".join(x for x in (c.company, c.phone) if x)
        if detail:
            lines.append(Text("  " + clean(detail), style="dim"))
        purpose = placement.purpose if placement else None
        lines.append(Text("  for: " + clean(purpose or "—"), style="italic"))
        lines.append(
            Text("  " + render.last_contact(r.last), style="dim", overflow="ellipsis", no_wrap=True)
        )
    return Group(*lines)


def _section_table(kind: str, title: str, rows: list[Row], view: TodayView) -> RenderableType:
    if kind == "overdue":
        table = _table(
            title,
            ("ID", "Was due", "Client", "Phone", "For · last contact"),
            ("dim", "red", "", "", ""),
        )
        for r in rows:
            placement = r.client.placement
            late = days_late(placement, view.date)
            due = placement.due.isoformat() if placement and placement.due else ""
            due = due or (f"{placement.month} tab" if placement else "")
            cell = _two(due, f"{late} day{'s' if late != 1 else ''} late", "red", "red")
            table.add_row(_t(f"#{r.client.id}"), cell, _client(r), _t(r.client.phone), _plan(r))
        return table
    if kind == "today":
        table = _table(
            title,
            ("ID", "Time", "Client", "Phone", "For · last contact"),
            ("dim", "bold cyan", "", "", ""),
        )
        for group in (view.timed, view.repeat, view.new):
            for r in group:
                at = r.client.placement.at if r.client.placement else None
                kind = "repeat" if r.contacted else "new"
                when = _two(at or kind, kind if at else None, "bold cyan" if at else "dim", "dim")
                row = (_t(f"#{r.client.id}"), when, _client(r), _t(r.client.phone), _plan(r))
                table.add_row(*row)
            if group:
                table.add_section()
        return table
    table = _table(title, ("ID", "Client", "Phone", "For · last contact"), ("dim",))
    for r in rows:
        table.add_row(_t(f"#{r.client.id}"), _client(r), _t(r.client.phone), _plan(r))
    return table


def show(client: Client, history: list[Entry]) -> RenderableType:
    card = Table.grid(padding=(0, 2))
    card.add_column(style="bold dim", no_wrap=True)
    card.add_column(overflow="fold")
    for label, value in render.card_lines(client):
        if value:
            card.add_row(_t(label), _t(value))
    title = Text.assemble((f"#{client.id} ", "dim"), (clean(client.name), "bold"))
    parts: list[RenderableType] = [Panel(card, title=title, title_align="left", expand=False)]
    if history:
        table = _table(
            f"History ({len(history)}, newest first)",
            ("When", "What", "Note"),
            ("dim", "cyan", ""),
            wrap_last=True,
        )
        for entry in history:
            what = entry.kind + (f" · {entry.outcome}" if entry.outcome else "")
            when = entry.at.replace("T", " ")[:16]
            table.add_row(_t(when), _t(what), Text(clean(entry.text, multiline=True)))
        parts.append(table)
    else:
        parts.append(Text("No history yet.", style="dim"))
    return Group(*parts)


def listing(rows: Sequence[Row], title: str | None = None) -> RenderableType:
    if not rows:
        return Text("No clients match.", style="dim")
    headers = ("ID", "Name", "Company", "Stage", "Tags", "Filed", "For", "Last contact")
    table = _table(
        title or f"{len(rows)} client{'s' if len(rows) != 1 else ''}",
        headers,
        ("dim", "bold", "", "cyan", "magenta", "", "italic", "dim"),
    )
    for row in rows:
        table.add_row(*(_t(cell) for cell in render.list_cells(row)))
    return table


def found(hits: Sequence[tuple[Row, Sequence[Entry]]]) -> RenderableType:
    if not hits:
        return Text("Nothing found.", style="dim")
    table = _table(
        f"{len(hits)} found",
        ("ID", "Name", "Company", "Filed", "Matched"),
        ("dim", "bold", "", "", "italic"),
    )
    for row, entries in hits:
        c = row.client
        table.add_row(
            _t(f"#{c.id}"),
            _t(c.name),
            _t(c.company),
            _t(render.where(c)),
            _t(render.hit_text(entries)),
        )
    return table


# --- the binder ----------------------------------------------------------------------


def _bar(count: int, capacity: int) -> Text:
    from .render_folder import BAR, bar

    if not count:
        return Text("")
    style = "red" if count > capacity else ("yellow" if count * 10 >= capacity * 9 else "green")
    text = Text(bar(count, capacity, "█", ""), style=style)
    if count > capacity:
        text.append(f" +{count - capacity}", style="bold red")
    text.append(" " * max(0, BAR - len(text.plain)))
    return text


def folder(view: Any) -> RenderableType:
    """The binder: day tabs like a strip of numbered dividers, then the month tabs."""
    from .render_folder import load_note, month_label

    days = _table(
        f"The binder on {format_day(view.today)} — capacity {view.capacity} a day",
        ("Tab", "Day", "Count", "Load", "Note"),
        ("bold cyan", "", "bold", "", "dim"),
    )
    for load in view.days:
        dim = "dim" if load.off else ""
        style = "reverse bold" if load.day == view.today else dim
        days.add_row(
            Text(f"{load.day.day:>2}", style=style),
            Text(format_day(load.day), style=dim),
            Text(str(load.count or ""), style="bold red" if load.over(view.capacity) else dim),
            _bar(load.count, view.capacity),
            Text(
                load_note(load, view.capacity, view.today).replace(", not a working day", ""),
                style="red" if load.over(view.capacity) else "dim",
            ),
        )
    months = _table("Month tabs", ("Month", "With a day", "No day yet"), ("bold", "", "yellow"))
    for month in view.months:
        months.add_row(
            Text(month_label(month.key)),
            Text(str(month.dated or "·"), style="" if month.dated else "dim"),
            Text(str(month.undated or "·"), style="yellow" if month.undated else "dim"),
        )
    tail = Text.assemble(
        (f"Overdue: {view.overdue}", "bold red" if view.overdue else "dim"),
        "   ",
        (f"Not filed (no next step): {view.unfiled}", "yellow" if view.unfiled else "dim"),
    )
    return Group(SideBySide(days, Group(months, Text(""), tail), 140))


class Narrow:
    """``wide`` when the terminal has ``min_width`` columns, else ``narrow``."""

    def __init__(self, wide: RenderableType, narrow: RenderableType, min_width: int) -> None:
        self.wide, self.narrow, self.min_width = wide, narrow, min_width

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        yield self.wide if options.max_width >= self.min_width else self.narrow


class SideBySide:
    """Two renderables next to each other when the terminal is wide enough, else stacked:
    the binder then fits on one screen."""

    def __init__(self, left: RenderableType, right: RenderableType, min_width: int) -> None:
        self.left, self.right, self.min_width = left, right, min_width

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        if options.max_width >= self.min_width:
            grid = Table.grid(padding=(0, 3))
            grid.add_column(ratio=3)
            grid.add_column(ratio=2)
            grid.add_row(self.left, self.right)
            yield grid
        else:
            yield self.left
            yield self.right


def agenda(days: Sequence[Any], capacity: int) -> RenderableType:
    table = _table(
        f"The next {len(days)} days — capacity {capacity} a day",
        ("Day", "Count", "Repeat", "New", "Load", "At a set time"),
        ("", "bold", "green", "magenta", "", "cyan"),
    )
    for load, timed in days:
        dim = "dim" if load.off else ""
        table.add_row(
            Text(format_day(load.day), style=dim),
            Text(str(load.count), style="bold red" if load.over(capacity) else dim),
            Text(str(load.repeat), style=dim),
            Text(str(load.new), style=dim),
            _bar(load.count, capacity)
            if load.count
            else Text("day off" if load.off else "", style="dim"),
            Text(", ".join(f"{clean(t)} {clean(n)}" for t, n in timed)),
        )
    return table


def tab(view: Any, capacity: int) -> RenderableType:
    """One tab: a month tab's undated dossiers, then each day's stack."""
    from .render_folder import load_note

    parts: list[RenderableType] = [Text(clean(view.title), style="bold")]
    if view.undated:
        parts.append(listing(view.undated, f"No day yet ({len(view.undated)})"))
    for load, rows in view.by_day:
        note = load_note(load, capacity, load.day.min)
        title = f"{format_day(load.day)} — {load.count} of {capacity}" + (
            f" ({note})" if note else ""
        )
        empty = Text(clean(f"{title}: nothing filed"), style="dim")
        parts.append(listing(rows, title) if rows else empty)
    if len(parts) == 1:
        parts.append(Text("Nothing filed behind this tab.", style="dim"))
    return Group(*parts)
