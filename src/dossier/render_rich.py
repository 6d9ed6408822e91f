"""Rich views for a terminal: tables and panels built from the same words as the plain view.

Imported only when output goes to a terminal, so a pipe never pays for Rich. Every piece
of user text enters Rich as a ``Text`` object, never as a markup string, so a client
called ``[bold]x`` is shown exactly as typed.
"""

from __future__ import annotations

from collections.abc import Sequence

from rich import box
from rich.console import Group, RenderableType
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from . import render
from .dates import format_day
from .folder import TodayView
from .records import Client, Entry, Row
from .text import clean


def _t(value: str | None, style: str = "") -> Text:
    return Text(clean(value), style=style)


def _table(title: str, headers: Sequence[str], styles: Sequence[str] = ()) -> Table:
    table = Table(
        title=Text(title, style="bold"),
        title_justify="left",
        box=box.SIMPLE_HEAD,
        header_style="bold dim",
        expand=False,
        pad_edge=False,
    )
    for i, header in enumerate(headers):
        table.add_column(header, style=styles[i] if i < len(styles) else "", overflow="fold")
    return table


def _cells(row: Row) -> list[Text]:
    c = row.client
    purpose = c.placement.purpose if c.placement else None
    return [
        _t(f"#{c.id}", "dim"),
        _t(c.name, "bold"),
        _t(c.company),
        _t(c.phone or ""),
        _t(purpose or "", "italic"),
        _t(render.last_contact(row.last), "dim"),
    ]


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
    names = ("ID", "Name", "Company", "Phone", "For", "Last contact")
    if view.overdue:
        table = _table(f"Overdue ({len(view.overdue)})", (*names[:4], "Was due", *names[4:]))
        for r in view.overdue:
            cells = _cells(r)
            table.add_row(*cells[:4], _t(render.due_cell(r, view), "red"), *cells[4:])
        parts.append(table)
    if view.today:
        table = _table(
            f"Today ({c['today']}: {c['repeat']} repeat, {c['new']} new)",
            ("ID", "Time", "Type", *names[1:]),
        )
        groups = [
            (view.timed, "At a set time"),
            (view.repeat, "Repeat contacts"),
            (view.new, "New clients"),
        ]
        for rows, _label in groups:
            for r in rows:
                at = r.client.placement.at if r.client.placement else None
                kind = _t("repeat", "green") if r.contacted else _t("new", "magenta")
                cells = _cells(r)
                table.add_row(cells[0], _t(at or "", "bold cyan"), kind, *cells[1:])
            if rows:
                table.add_section()
        parts.append(table)
    if view.month:
        table = _table(f"This month, no day yet ({len(view.month)})", names)
        for r in view.month:
            table.add_row(*_cells(r))
        parts.append(table)
    if line := render.empty_line(view):
        parts.append(Text(line, style="dim"))
    if line := render.unfiled_line(view):
        parts.append(Text(line, style="yellow"))
    return Group(*parts)


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
            f"History ({len(history)}, newest first)", ("When", "What", "Note"), ("dim", "cyan", "")
        )
        for entry in history:
            what = entry.kind + (f" · {entry.outcome}" if entry.outcome else "")
            when = entry.at.replace("T", " ")[:16]
            table.add_row(_t(when), _t(what), Text(clean(entry.text, multiline=True)))
        parts.append(table)
    else:
        parts.append(Text("No history yet.", style="dim"))
    return Group(*parts)


def listing(rows: Sequence[Row]) -> RenderableType:
    if not rows:
        return Text("No clients match.", style="dim")
    headers = ("ID", "Name", "Company", "Stage", "Tags", "Filed", "For", "Last contact")
    table = _table(
        f"{len(rows)} client{'s' if len(rows) != 1 else ''}",
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
