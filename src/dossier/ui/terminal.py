"""Rich views for a terminal: tables and panels built from the same words as the plain view.

Imported only when output goes to a terminal, so a pipe never pays for Rich. Every piece
of user text enters Rich as a ``Text`` object, never as a markup string, so a client
called ``[bold]x`` is shown exactly as typed.

What the user needs for the next command is never cut, whatever the terminal's width
(from 60 columns up): ids, names, companies, dates, times, counts and warnings. Only free
text (the purpose, the last contact, a matched excerpt, a day off's note) gives way,
with an ellipsis; ``show`` always has every note whole. Each view is a list of layouts,
widest first (a ``Sheet`` says whether it fits a width), ending with stacked cards that
fit anything, so a narrow terminal gets fewer columns instead of cut ones.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from functools import partial
from typing import Any

from rich import box
from rich.cells import cell_len, set_cell_size
from rich.console import Console, ConsoleOptions, Group, RenderableType, RenderResult
from rich.measure import Measurement
from rich.panel import Panel
from rich.segment import Segment
from rich.style import Style
from rich.text import Text

from ..domain.dates import format_day, format_month
from ..domain.fields import FieldDef
from ..domain.folder import TodayView, days_late, month_tab
from ..domain.messages import Message, note
from ..domain.records import Client, Entry, Row
from ..domain.text import clean
from ..domain.text import width as text_width
from ..domain.workdays import WEEKEND_OFF
from ..i18n import _, language
from . import plain as render
from .words import words

FREE_MIN = 12  # the narrowest a free-text column gets: a few words are still worth it
FOLD_MIN = 16  # a name column narrower than this folds most names onto several lines
CUT_COMFORT = 30  # free text keeps this much before names start to fold
FOLD_COMFORT = 24  # names fold to this width before free text goes below its comfort
BAR_COMFORT = 10  # a load bar shrinks to this before a name folds


def _t(value: str | None, style: str = "") -> Text:
    return Text(clean(value), style=style)


def _cols(text: str) -> int:
    """Columns ``text`` takes; ASCII (most names and notes) without a table lookup, and
    accented Latin letters one each without Rich's per-character search."""
    return len(text) if text.isascii() else text_width(text)


def _width(text: Text) -> int:
    """Columns the widest line of ``text`` takes (East Asian wide characters count two)."""
    plain = text.plain
    if "\n" not in plain:
        return _cols(plain)
    return max(_cols(line) for line in plain.split("\n"))


def _longest_word(text: Text) -> int:
    """The narrowest a folding cell can be without breaking a word in two."""
    return max((_cols(word) for word in text.plain.split()), default=0)


# --- layout: cells that know how narrow they may get -----------------------------------


class Cell:
    """A table cell and the widths that matter for it: ``floor``, the narrowest that
    cuts nothing essential, and ``full``, the width that shows everything."""

    __slots__ = ("content", "floor", "full")

    def __init__(self, content: RenderableType, floor: int, full: int) -> None:
        self.content, self.floor, self.full = content, floor, full


def keep(text: Text) -> Cell:
    """An id, date, time, count or warning: shown whole, on its line(s) as written."""
    width = _width(text)
    return Cell(text, width, width)


def name(text: Text) -> Cell:
    """A name, company or phone: may wrap between words inside its cell, never be cut."""
    return Cell(text, _longest_word(text), _width(text))


def free(text: Text, floor: int = 0) -> Cell:
    """Free text, cut with an ellipsis when space is short; ``floor`` keeps a leading
    essential line (a date above a note) whole."""
    return Cell(text, floor, _width(text))


# A column's mode: "keep" never shrinks below its widest essential cell or its header;
# "cut" gives way first (ellipsis); "fold" gives way next (wrapping between words);
# "bar" is a load bar, drawn to any width down to its cells' floor.
Column = tuple[str, str, str]  # header, style, mode


class Sheet:
    """A table whose column widths are chosen at render time from the cells' floors:
    free text shrinks first, then names fold, and if even that does not fit the width,
    the sheet says so (``fits``) and the view falls back to a narrower layout. Rich is
    never left to squeeze a column on its own, which would cut ids and times."""

    def __init__(self, title: Text | str | None, columns: Sequence[Column]) -> None:
        self.title = Text(clean(title), style="bold") if isinstance(title, str) else title
        self.columns = list(columns)
        self.rows: list[list[Cell] | None] = []  # None: a section break
        self.footer: Text | None = None  # right under the rows: what a short list left out
        self._cache: tuple[list[int], list[int]] | None = None

    def add_row(self, *cells: Cell) -> None:
        self.rows.append(list(cells))
        self._cache = None

    def add_section(self) -> None:
        if self.rows and self.rows[-1] is not None:
            self.rows.append(None)

    def _bounds(self) -> tuple[list[int], list[int]]:
        """Each column's floor and full width. Computed once: a view asks several
        layouts whether they fit, and each asks again when it renders."""
        if self._cache is None:
            self._cache = self._measure()
        floors, fulls = self._cache
        return list(floors), list(fulls)

    def _measure(self) -> tuple[list[int], list[int]]:
        floors, fulls = [], []
        for i, (header, _style, mode) in enumerate(self.columns):
            cells = [row[i] for row in self.rows if row is not None]
            full = max([cell_len(header), *(c.full for c in cells)])
            floor = max([0, *(c.floor for c in cells)])
            if mode == "keep":
                floor = max(floor, cell_len(header))
            elif mode == "bar":
                pass
            else:
                least = FOLD_MIN if mode == "fold" else FREE_MIN
                floor = max(floor, min(full, least))
            floors.append(min(floor, full))
            fulls.append(full)
        return floors, fulls

    def _extra(self) -> int:
        """Edges, separators and padding around ``n`` columns (SIMPLE_HEAD, no edge
        padding): 2 + (n - 1) + 2 (n - 1)."""
        return 3 * len(self.columns) - 1

    def need(self) -> int:
        """The narrowest terminal that shows every essential cell whole."""
        return sum(self._bounds()[0]) + self._extra()

    def widths(self, max_width: int, comfortable: bool = False) -> list[int] | None:
        """Each column's width for ``max_width`` columns, or None if it cannot fit
        (``comfortable``: without taking any column below its comfortable width)."""
        floors, widths = self._bounds()
        over = sum(widths) + self._extra() - max_width
        # Free text gives way to a comfortable width first, then names fold to theirs,
        # and only then does each go down to its floor.
        stages = [("cut", CUT_COMFORT), ("bar", BAR_COMFORT), ("fold", FOLD_COMFORT)]
        every = [*stages, ("bar", 0), ("cut", 0), ("fold", 0)]
        for mode, comfort in stages if comfortable else every:
            limits = [max(f, comfort) for f in floors]
            while over > 0:
                room = [
                    i for i, c in enumerate(self.columns) if c[2] == mode and widths[i] > limits[i]
                ]
                if not room:
                    break
                widths[max(room, key=lambda i: widths[i])] -= 1  # the widest gives way first
                over -= 1
        return None if over > 0 else widths

    def fits(self, max_width: int, comfortable: bool = False) -> bool:
        return self.widths(max_width, comfortable) is not None

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        widths = self.widths(options.max_width)
        if widths is None:  # only reached when a caller ignores ``fits``: still show all
            widths = self._bounds()[0]
        # The title is a paragraph of its own: inside the table it would wrap to the
        # table's width, which is only as wide as the cells need.
        if self.title is not None:
            yield self.title
        yield from self.lines(console, options, widths)

    def lines(
        self, console: Console, options: ConsoleOptions, widths: Sequence[int]
    ) -> Iterator[Segment]:
        """The table as segments, line by line, at the given column widths.

        Drawn here rather than by Rich's ``Table``: the widths are already known, so
        each cell is only split, cut or folded to its width and padded. Rich's table
        measures and renders every cell again through its general machinery, which on
        a terminal cost ten times the query behind the view (2,000 rows: 2 s).
        """
        get_style = console.get_style
        new_line, gap, edge = Segment.line(), Segment(GAP), Segment(" ")
        header_style = get_style("bold dim")
        styles = [get_style(style) if style else None for _, style, _ in self.columns]
        last = len(self.columns) - 1
        yield edge
        for i, (column, width) in enumerate(zip(self.columns, widths, strict=True)):
            header = column[0]
            if cell_len(header) > width:  # a free-text column narrower than its name
                header = set_cell_size(header, width - 1) + "…"
            pad = " " * (width - cell_len(header)) if i < last else ""
            yield Segment(header + pad, header_style)
            if i < last:
                yield gap
        yield new_line
        yield Segment(" " + "─" * (sum(widths) + len(GAP) * last))
        yield new_line
        for row in self.rows:
            if row is None:
                yield new_line
                continue
            cells = [
                _cell_lines(cell.content, width, mode, style, console, options)
                for cell, width, (_, _, mode), style in zip(
                    row, widths, self.columns, styles, strict=True
                )
            ]
            for n in range(max(len(lines) for lines in cells)):
                yield edge
                for i, lines in enumerate(cells):
                    used = 0
                    if n < len(lines):
                        segments, used = lines[n]
                        yield from segments
                    if i < last:
                        yield Segment(" " * (widths[i] - used) + GAP) if used < widths[i] else gap
                yield new_line
        if self.footer is not None:
            yield from console.render(self.footer, options)
        yield new_line

    def __rich_measure__(self, console: Console, options: ConsoleOptions) -> Measurement:
        floors, fulls = self._bounds()
        title = _width(self.title) if self.title is not None else 0
        return Measurement(sum(floors) + self._extra(), max(title, sum(fulls) + self._extra()))


GAP = "   "  # between two columns: a space, the (blank) rule, a space


CellLine = tuple[list[Segment], int]  # a cell's line as segments, and the columns it takes
Piece = tuple[str, "str | Style | None"]  # a stretch of a line and its style


def _cell_lines(
    content: RenderableType,
    width: int,
    mode: str,
    style: Style | None,
    console: Console,
    options: ConsoleOptions,
) -> list[CellLine]:
    """A cell's lines at ``width``: as written when they fit; else free text cut with an
    ellipsis, and names ("fold") wrapped between words. ``style`` is the column's."""
    if isinstance(content, Bar):
        content = content.text(width)
    lines = _pieces(content) if isinstance(content, Text) else None
    if lines is None:  # text with overlapping styles: Rich's own rendering
        rendered = console.render_lines(
            content, options.update_width(width), style=style, pad=False
        )
        return [(line, Segment.get_line_length(line)) for line in rendered]
    assert isinstance(content, Text)
    base = _style(console, content.style, style)
    result = []
    for line in lines:
        used = sum(_cols(text) for text, _ in line)
        if used > width:
            if mode == "fold":  # rare: a name wider than its column wraps, as Rich wraps
                wrapped = content.wrap(console, width, overflow="fold")
                for t in wrapped:
                    t.rstrip()
                return [(_segments(t, style, console), _cols(t.plain)) for t in wrapped]
            line, used = _cut_line(line, width), width
        result.append(([Segment(text, _style(console, own, base)) for text, own in line], used))
    return result


def _pieces(text: Text) -> list[list[Piece]] | None:
    """The lines of ``text`` as (string, style) pieces, read straight from its spans
    (Rich's own split and render cost more than the whole query behind a view). None
    when spans overlap, which ``Text.assemble`` and ``append`` never make."""
    plain, stretches = text.plain, list[Piece]()
    pos = 0
    for start, end, style in sorted(text.spans):
        if start < pos:
            return None
        if start > pos:
            stretches.append((plain[pos:start], None))
        stretches.append((plain[start:end], style))
        pos = end
    if pos < len(plain) or not stretches:
        stretches.append((plain[pos:], None))
    lines: list[list[Piece]] = [[]]
    for value, own in stretches:
        first, *rest = value.split("\n")
        if first:
            lines[-1].append((first, own))
        for part in rest:
            lines.append([(part, own)] if part else [])
    return lines


def _cut_line(line: list[Piece], width: int) -> list[Piece]:
    """A line of pieces cut to ``width`` columns, ending in an ellipsis."""
    budget, out = width - 1, []
    for value, style in line:
        size = _cols(value)
        if size <= budget:
            out.append((value, style))
            budget -= size
            continue
        cut = value[:budget] if value.isascii() else set_cell_size(value, budget)
        out.append((cut + "…", style))
        return out
    return out


def _style(console: Console, own: str | Style | None, base: Style | None) -> Style | None:
    """``own`` over ``base``: a cell's style over its column's."""
    if not own:
        return base
    style = console.get_style(own)
    return base + style if base else style


def _segments(text: Text, base: Style | None, console: Console) -> list[Segment]:
    """``text`` (one line) as segments over the column style ``base``."""
    return (
        [
            Segment(s.text, base + s.style if base and s.style else (s.style or base))
            for s in text.render(console)
        ]
        if text.spans
        else [Segment(text.plain, _style(console, text.style, base))]
    )


class Fit:
    """The first of ``layouts`` that fits the terminal, else the last (stacked cards,
    which fit any width). A layout says whether it fits with ``fits``. Any layout may
    be given as a function that builds it: it is built only when the ones before it
    do not fit, so a wide terminal never pays for the narrow forms."""

    def __init__(self, *layouts: RenderableType | Callable[[], RenderableType]) -> None:
        self.layouts = list(layouts)

    def _layout(self, i: int) -> Any:
        layout = self.layouts[i]
        if callable(layout) and not hasattr(layout, "__rich_console__"):
            layout = self.layouts[i] = layout()
        return layout

    def choose(self, max_width: int) -> RenderableType:
        """The widest layout that fits without squeezing free text, else the widest
        that fits at all: three readable columns beat eight cramped ones."""
        tables = range(len(self.layouts) - 1)
        for comfortable in (True, False):
            for i in tables:
                if self._layout(i).fits(max_width, comfortable):
                    return self._layout(i)  # type: ignore[no-any-return]
        return self._layout(len(self.layouts) - 1)  # type: ignore[no-any-return]

    def fits(self, max_width: int, comfortable: bool = False) -> bool:
        """Whether one of the table layouts fits (the cards always do)."""
        return any(
            self._layout(i).fits(max_width, comfortable) for i in range(len(self.layouts) - 1)
        )

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        yield self.choose(options.max_width)

    def __rich_measure__(self, console: Console, options: ConsoleOptions) -> Measurement:
        return Measurement.get(console, options, self.choose(options.max_width))


class SideBySide:
    """Two renderables next to each other when both fit side by side (the left one
    shrunk no further than its comfortable width), else stacked: the binder then fits
    on one screen, and its notes are not cut short just to sit beside the month tabs."""

    def __init__(self, left: RenderableType, right: RenderableType, gap: int = 3) -> None:
        self.left, self.right, self.gap = left, right, gap

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        wide = options.update_width(10_000)
        least, most = Measurement.get(console, wide, self.left)
        right = Measurement.get(console, wide, self.right).maximum
        left = min(most, options.max_width - right - self.gap)  # the left one may shrink
        fits = getattr(self.left, "fits", None)
        if left >= least and (fits is None or fits(left, comfortable=True)):
            lines = console.render_lines(self.left, options.update_width(left), pad=True)
            others = console.render_lines(self.right, options.update_width(right), pad=False)
            blank, gap, new_line = [Segment(" " * left)], Segment(" " * self.gap), Segment.line()
            for i in range(max(len(lines), len(others))):
                yield from lines[i] if i < len(lines) else blank
                if i < len(others):
                    yield gap
                    yield from others[i]
                yield new_line
        else:
            yield self.left
            yield self.right


class Bar:
    """A load bar drawn to the width it is given: a full day fills it, and more than
    that shows a red ``+N`` (a count, so it is never cut)."""

    def __init__(self, count: int, capacity: int) -> None:
        self.count, self.capacity = count, capacity

    @property
    def marker(self) -> str:
        return f" +{self.count - self.capacity}" if self.count > self.capacity else ""

    def cell(self) -> Cell:
        from .folder import BAR

        marker = len(self.marker)
        return Cell(self, (4 if self.count else 0) + marker, BAR + marker)

    def text(self, width: int) -> Text:
        """The bar drawn ``width`` columns wide at most."""
        count, capacity = self.count, self.capacity
        if not count:
            return Text("")
        size = max(1, width - len(self.marker))
        filled = round(min(count, capacity) * size / capacity) if capacity else 0
        style = "red" if count > capacity else ("yellow" if count * 10 >= capacity * 9 else "green")
        text = Text("█" * max(1, filled), style=style)
        text.append(self.marker, style="bold red")
        return text

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        yield self.text(options.max_width)

    def __rich_measure__(self, console: Console, options: ConsoleOptions) -> Measurement:
        cell = self.cell()
        return Measurement(cell.floor, cell.full)


# --- cells shared by the views ---------------------------------------------------------


def _two(top: str | None, bottom: str | None, top_style: str, bottom_style: str) -> Text:
    """A two-line cell: the main value, and under it a quieter detail."""
    text = Text(clean(top), style=top_style)
    if bottom:
        text.append("\n" + clean(bottom), style=bottom_style)
    return text


def _id(client: Client) -> Cell:
    return keep(Text(f"#{client.id}", style="dim"))


def _client(client: Client) -> Cell:
    return name(_two(client.name, client.company, "bold", "dim"))


def _plan(row: Row) -> Cell:
    placement = row.client.placement
    purpose = (placement.purpose if placement else None) or "—"
    return free(_two(purpose, render.last_contact(row.last), "italic", "dim"))


def _line(*parts: tuple[str, str], indent: int = 0, sep: str = " · ") -> RenderableType:
    """A card line of user text pieces, wrapping between words (under its indent) like
    any paragraph."""
    from rich.padding import Padding

    text = Text()
    for value, style in parts:
        if value:
            if text.plain:
                text.append(sep, style="dim")
            text.append(clean(value), style=style)
    return Padding(text, (0, 0, 0, indent)) if indent else text


def _cut(value: str, style: str = "dim", indent: int = 2) -> Text:
    """A card line of free text: one line, cut with an ellipsis if long."""
    return Text(" " * indent + clean(value), style=style, overflow="ellipsis", no_wrap=True)


def _day(day: Any) -> str:
    """A day as this run's language writes it."""
    return format_day(day, lang=language())


def _kind(contacted: bool) -> str:
    """A dossier of a day's stack: a repeat (contacted before) or a new one."""
    return _("repeat") if contacted else _("new")


def _split(repeat: int, new: int, timed: int = 0) -> str:
    """``6 repeat, 4 new`` (``, 2 at a set time``): how a day's stack splits."""
    parts = [
        words(Message("{count} repeat", {"count": repeat}, "note", "{count} repeat")),
        words(Message("{count} new", {"count": new}, "note", "{count} new")),
    ]
    if timed:
        at = Message("{count} at a set time", {"count": timed}, "note", "{count} at a set time")
        parts.append(words(at))
    return ", ".join(parts)


def _for(purpose: str | None) -> str:
    """A card's purpose line: ``for: ...``."""
    return words(note("for: {purpose}", purpose=clean(purpose or "—")))


# --- today ---------------------------------------------------------------------------


def today(view: TodayView, all_command: str = "dossier today --all") -> RenderableType:
    """The morning view. A terminal's view may hold only the longest-waiting overdue
    dossiers and the first undated ones (``TodayView.overdue_total``): each part then
    says how many more there are and ``all_command``, which shows them all."""
    c = render.counts(view)
    overdue = Message("{count:,} overdue", {"count": c["overdue"]}, "note", "{count:,} overdue")
    month = Message(
        "{count:,} this month without a day",
        {"count": c["month"]},
        "note",
        "{count:,} this month without a day",
    )
    head = Text.assemble(
        (_day(view.date), "bold"),
        ("  " + words(note("tab {tab}", tab=view.date.day)) + "\n", "bold cyan"),
        (words(note("{count:,} in all", count=c["total"])), "bold"),
        "  ·  ",
        (words(overdue), "red" if c["overdue"] else "dim"),
        "  ·  ",
        (words(note("{count} today", count=c["today"])), "green"),
        f" ({_split(c['repeat'], c['new'], c['timed'])})",
        "  ·  ",
        (words(month), "yellow" if c["month"] else "dim"),
        (render.filtered(view), "bold magenta"),
        (render.whose_said(view.whose), "bold"),
    )
    parts: list[RenderableType] = [Panel(head, box=box.ROUNDED, expand=False)]
    if off := render.day_off_line(view):
        parts.append(Text(off, style="bold yellow"))
    for kind, title, rows, total in _sections(view):
        more = _more(total - len(rows), _MORE[kind], all_command)
        one_line = partial(_section_table, kind, title, rows, view, more, True)
        two_lines = partial(_section_table, kind, title, rows, view, more, False)
        parts.append(Fit(one_line, two_lines, partial(_cards, title, rows, view, more)))
    for line, kind in render.notes(view):
        parts.append(Text(clean(line), style=_NOTE_STYLE[kind]))
    return Group(*parts)


_NOTE_STYLE = {"note": "dim", "alert": "bold red", "hint": "yellow", "warning": "yellow"}

# The line under a cut list, one message per list (its ``count`` given by ``_more``).
# English says "more" the same for one and for several; the plural lets Spanish agree.
_MORE = {  # today's own tab is always whole, but each part has its words
    "overdue": Message(
        "… {count:,} more overdue (waiting less long) not shown",
        plural="… {count:,} more overdue (waiting less long) not shown",
    ),
    "today": Message("… {count:,} more today not shown", plural="… {count:,} more today not shown"),
    "month": Message(
        "… {count:,} more undated this month not shown",
        plural="… {count:,} more undated this month not shown",
    ),
}
_MORE_CLIENTS = Message(
    "… {count:,} more clients not shown", plural="… {count:,} more clients not shown"
)
_MORE_FOUND = Message("… {count:,} more found not shown", plural="… {count:,} more found not shown")
_MORE_UNDATED = Message(
    "… {count:,} more undated not shown", plural="… {count:,} more undated not shown"
)
_MORE_ON_DAY = Message(
    "… {count:,} more on this day not shown", plural="… {count:,} more on this day not shown"
)
_MORE_BEHIND_TAB = Message(
    "… {count:,} dossiers behind this tab not shown",
    plural="… {count:,} dossiers behind this tab not shown",
)
_MORE_HISTORY = Message(
    "… {count:,} older entries not shown", plural="… {count:,} older entries not shown"
)


def _more(count: int, what: Message, command: str | None = None) -> Text | None:
    """The line under a cut list: ``what`` says how many it leaves out (``count``), then
    the command that shows them all (None when it leaves out nothing)."""
    if count <= 0:
        return None
    line = Text(words(what._replace(params={"count": count})), style="yellow")
    if command is not None:
        line.append(": ", style="yellow")
        line.append(clean(command), style="bold")
    return line


def _sections(view: TodayView) -> list[tuple[str, str, list[Row], int]]:
    c = render.counts(view)
    overdue = words(note("Overdue ({count:,})", count=c["overdue"]))
    split = _split(c["repeat"], c["new"])
    today = words(note("Today ({count}: {split})", count=c["today"], split=split))
    month = words(note("This month, no day yet ({count:,})", count=c["month"]))
    sections = [
        ("overdue", overdue, view.overdue, c["overdue"]),
        ("today", today, view.today, c["today"]),
        ("month", month, view.month, c["month"]),
    ]
    return [section for section in sections if section[2]]


def _cards(
    title: str, rows: list[Row], view: TodayView, more: Text | None = None
) -> RenderableType:
    """The same rows as short stacked cards, for a terminal too narrow for the table."""
    lines: list[RenderableType] = [Text(title, style="bold")]
    for r in rows:
        c, placement = r.client, r.client.placement
        when = ""
        late = bool(placement and placement.due and placement.due < view.date)
        if late:
            when = render.due_cell(r, view)
        elif placement and placement.at:
            when = placement.at
        head = Text.assemble((f"#{c.id} ", "dim"), (clean(c.name), "bold"))
        if when:
            head.append(f"  {clean(when)}", style="red" if late else "bold cyan")
        lines.append(head)
        lines.append(_line((c.company or "", "dim"), (c.phone or "", "dim"), indent=2))
        purpose = placement.purpose if placement else None
        lines.append(_cut(_for(purpose), style="italic"))
        lines.append(_cut(render.last_contact(r.last)))
    if more is not None:
        lines.append(more)
    return Group(*lines)


def _section_table(
    kind: str, title: str, rows: list[Row], view: TodayView, more: Text | None, wide: bool
) -> Sheet:
    """A part of the morning view as a table: ``wide``, one line a dossier (a wide
    terminal), else the name over the company and the purpose over the last contact."""
    if wide:
        client: list[Column] = [(_("Name"), "bold", "fold"), (_("Company"), "dim", "fold")]
        plan: list[Column] = [(_("For"), "italic", "cut"), (_("Last contact"), "dim", "cut")]
    else:
        client, plan = [(_("Client"), "", "fold")], [(_("For · last contact"), "", "cut")]
    first: list[Column] = [("ID", "", "keep")]
    if kind == "overdue":
        first.append((_("Was due"), "red", "keep"))
    elif kind == "today":
        first.append((_("Time"), "", "keep"))
    table = Sheet(title, [*first, *client, (_("Phone"), "", "fold"), *plan])
    table.footer = more

    def add(r: Row, when: Cell | None) -> None:
        c = r.client
        if wide:
            names = [name(_t(c.name)), name(_t(c.company))]
            purpose = (c.placement.purpose if c.placement else None) or "—"
            notes = [free(_t(purpose)), free(_t(render.last_contact(r.last)))]
        else:
            names, notes = [_client(c)], [_plan(r)]
        table.add_row(_id(c), *([when] if when else []), *names, _phone(r), *notes)

    if kind == "overdue":
        for r in rows:
            placement = r.client.placement
            late = days_late(placement, view.date)
            due = placement.due.isoformat() if placement and placement.due else ""
            if not due and placement:
                due = words(note("{month} tab", month=clean(placement.month)))
            lateness = words(
                Message("{count} day late", {"count": late}, "note", "{count} days late")
            )
            cell = Text(f"{due} ({lateness})") if wide else _two(due, lateness, "red", "red")
            add(r, keep(cell))
    elif kind == "today":
        for group in (view.timed, view.repeat, view.new):
            for r in group:
                at = r.client.placement.at if r.client.placement else None
                label = _kind(r.contacted)
                if wide:
                    when = Text.assemble(
                        (at or "", "bold cyan"), (" " if at else ""), (label, "dim")
                    )
                else:
                    when = _two(
                        at or label, label if at else None, "bold cyan" if at else "dim", "dim"
                    )
                add(r, keep(when))
            table.add_section()
    else:
        for r in rows:
            add(r, None)
    return table


def _phone(row: Row) -> Cell:
    return name(_t(row.client.phone))


# --- show ----------------------------------------------------------------------------


def show(
    client: Client,
    history: list[Entry],
    size: int | None = None,
    all_command: str = "dossier show CLIENT --all",
    defs: Sequence[FieldDef] = (),
) -> RenderableType:
    """The card, then the history: every note whole. ``size``: the whole history's,
    when ``history`` holds only the newest entries (then a line says how many more).
    The team's fields (``defs``) come in their order; a required one left empty says
    "missing", in the warning style."""
    from .forms import form_lines

    missing = {title for title, _value, empty in form_lines(client, defs) if empty}
    lines = [(label, value) for label, value in render.card_lines(client, defs) if value]
    card = _Card(lines, {i for i, (label, _v) in enumerate(lines) if label in missing})
    title = Text.assemble((f"#{client.id} ", "dim"), (clean(client.name), "bold"))
    titled = Panel(card, title=title, title_align="left", expand=False)
    # A panel cuts a title wider than itself: a long name goes above the panel instead.
    above = Group(title, Panel(card, expand=False))
    parts: list[RenderableType] = [Fit(_Wider(titled, cell_len(title.plain) + 6), above)]
    if not history:
        parts.append(Text(_("No history yet."), style="dim"))
        return Group(*parts)
    size = len(history) if size is None else size
    heading = words(note("History ({count:,}, newest first)", count=size))
    more = _more(size - len(history), _MORE_HISTORY, all_command)
    table = Sheet(
        heading, [(_("When"), "dim", "keep"), (_("What"), "cyan", "keep"), (_("Note"), "", "fold")]
    )
    stacked: list[RenderableType] = [Text(heading, style="bold")]
    for entry in history:
        what = entry.kind + (f" · {entry.outcome}" if entry.outcome else "")
        when = entry.at.replace("T", " ")[:16]
        text = Text(clean(entry.text, multiline=True))
        # The note folds, never cuts: its floor is 30 columns, or the table is not used.
        table.add_row(
            keep(_t(when)), keep(_t(what)), Cell(text, min(30, _width(text)), _width(text))
        )
        stacked.append(_line((when, "dim"), (what, "cyan")))
        stacked.append(_Indented(text, 4))
    table.footer = more
    if more is not None:
        stacked.append(more)
    parts.append(Fit(table, Group(*stacked)))
    return Group(*parts)


class _Card:
    """The information card: labels in a column, each value beside its label, folded
    (never cut) to the width left."""

    def __init__(self, lines: list[tuple[str, str]], flagged: set[int] | None = None) -> None:
        self.labels = [Text(clean(label), style="bold dim") for label, _ in lines]
        self.values = [_t(value) for _, value in lines]
        for index in flagged or ():  # a required field left empty
            self.values[index].stylize("bold yellow")
        self.label_width = max((_width(label) for label in self.labels), default=0)

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        room = max(1, options.max_width - self.label_width - 2)
        for label, value in zip(self.labels, self.values, strict=True):
            for i, line in enumerate(value.wrap(console, room, overflow="fold") or [Text()]):
                line.rstrip()
                head = label if i == 0 else Text("")
                pad = " " * (self.label_width - _width(head) + 2)
                yield Text.assemble(head, pad, line, end="\n")

    def __rich_measure__(self, console: Console, options: ConsoleOptions) -> Measurement:
        longest = max((_width(v) for v in self.values), default=0)
        # Values fold to any width: one column beside the labels is the least.
        return Measurement(self.label_width + 2 + min(longest, 1), self.label_width + 2 + longest)


class _Wider:
    """``renderable`` as a layout for ``Fit`` that needs ``width`` columns."""

    def __init__(self, renderable: RenderableType, width: int) -> None:
        self.renderable, self.width = renderable, width

    def fits(self, max_width: int, comfortable: bool = False) -> bool:
        return self.width <= max_width

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        yield self.renderable


class _Indented:
    """Text wrapped (words whole) to the width left after an indent."""

    def __init__(self, text: Text, indent: int) -> None:
        self.text, self.indent = text, indent

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        from rich.padding import Padding

        yield Padding(self.text, (0, 0, 0, self.indent))


# --- list, find, tab -----------------------------------------------------------------


def _filed(client: Client, split: bool = False) -> Cell:
    """Where the dossier is, its date and time whole; an archived one's reason is free
    text. ``split`` (narrow layouts): the tab and time go under the date."""
    text, floor = _where(client, split)
    return free(text, floor) if client.archived else keep(text)


def _where(client: Client, split: bool) -> tuple[Text, int]:
    """The Filed words as a cell, and the width that keeps their date and time whole."""
    where = render.where(client)
    if client.archived:  # "done (the reason)": the word before the reason is kept whole
        return Text(where), _cols(where.partition(" (")[0])
    text = Text(where.replace(" (", "\n(", 1) if split else where)
    return text, _width(text)


def _list_cells(row: Row) -> list[Text]:
    styles = ("dim", "bold", "", "cyan", "magenta", "", "italic", "dim")
    return [_t(cell, style) for cell, style in zip(render.list_cells(row), styles, strict=True)]


def _list_layouts(
    title: str, rows: Sequence[Row], timed: bool = False, more: Text | None = None
) -> RenderableType:
    """``list``'s layouts, widest first, each built only if the ones before it do not
    fit. ``timed``: a day's stack, where the time and type (repeat or new) take the
    place of the Filed column, right after the id."""
    cells = [_list_cells(r) for r in rows]

    def when(r: Row, split: bool = False) -> Cell:
        if not timed:
            return _filed(r.client, split)
        at = r.client.placement.at if r.client.placement else None
        kind = _kind(r.contacted)
        return keep(_two(at or kind, kind if at else None, "bold cyan" if at else "dim", "dim"))

    filed_col = (_("Time"), "", "keep") if timed else (_("Filed"), "", "cut")

    def sheet(columns: list[Column], row: Callable[[Row, list[Text]], list[Cell]]) -> Sheet:
        at = columns.index(filed_col)
        if timed:  # a day's stack reads in time order: the time right after the id
            columns.insert(1, columns.pop(at))
        table = Sheet(title, columns)
        for r, texts in zip(rows, cells, strict=True):
            made = row(r, texts)
            if timed:
                made.insert(1, made.pop(at))
            table.add_row(*made)
        table.footer = more
        return table

    def wide() -> Sheet:
        columns: list[Column] = [
            ("ID", "", "keep"),
            (_("Name"), "", "fold"),
            (_("Company"), "", "fold"),
            (_("Stage"), "", "keep"),
            (_("Tags"), "", "fold"),
            (_("For"), "", "cut"),
            (_("Last contact"), "", "cut"),
        ]
        columns.insert(5, filed_col)
        return sheet(
            columns,
            lambda r, t: [
                keep(t[0]),
                name(t[1]),
                name(t[2]),
                keep(t[3]),
                name(t[4]),
                when(r),
                free(t[6]),
                free(t[7]),
            ],
        )

    def middle() -> Sheet:
        columns: list[Column] = [
            ("ID", "", "keep"),
            (_("Client"), "", "fold"),
            (_("Stage · tags"), "", "fold"),
            filed_col,
            (_("For · last contact"), "", "cut"),
        ]
        return sheet(
            columns,
            lambda r, t: [
                keep(t[0]),
                _client(r.client),
                name(_two(r.client.stage, ", ".join(r.client.tags), "cyan", "magenta")),
                when(r),
                _plan(r),
            ],
        )

    def narrow() -> Sheet:
        columns: list[Column] = [
            ("ID", "", "keep"),
            (_("Client"), "", "fold"),
            filed_col,
            (_("For · last contact"), "", "cut"),
        ]
        return sheet(columns, lambda r, t: [keep(t[0]), _client(r.client), when(r, True), _plan(r)])

    def cards() -> RenderableType:
        lines: list[RenderableType] = [Text(clean(title), style="bold")]
        for r, texts in zip(rows, cells, strict=True):
            c = r.client
            lines.append(Text.assemble((f"#{c.id} ", "dim"), (clean(c.name), "bold")))
            tags = ", ".join(c.tags)
            lines.append(
                _line((c.company or "", "dim"), (c.stage, "cyan"), (tags, "magenta"), indent=2)
            )
            if timed:
                at = c.placement.at if c.placement else None
                lines.append(_line((at or "", "bold cyan"), (_kind(r.contacted), "dim"), indent=2))
            else:
                lines.append(_line((render.where(c), ""), indent=2))
            lines.append(_cut(_for(texts[6].plain), style="italic"))
            lines.append(_cut(texts[7].plain))
        if more is not None:
            lines.append(more)
        return Group(*lines)

    return Fit(wide, middle, narrow, cards)


def listing(
    rows: Sequence[Row],
    title: str | None = None,
    total: int | None = None,
    all_command: str = "dossier list --all",
) -> RenderableType:
    """Clients by name; ``total``: how many in all, when ``rows`` are the first ones."""
    if not rows:
        return Text(_("No clients match."), style="dim")
    more = _more((total or 0) - len(rows), _MORE_CLIENTS, all_command)
    count = Message("{count} client", {"count": len(rows)}, "note", "{count} clients")
    title = title or words(count)
    return _list_layouts(title, rows, more=more)


def found(
    hits: Sequence[tuple[Row, Sequence[Entry]]],
    total: int | None = None,
    all_command: str = "dossier find TEXT --all",
) -> RenderableType:
    """What ``find`` found; ``total``: how many in all, when ``hits`` are the first."""
    if not hits:
        return Text(_("Nothing found."), style="dim")
    total = len(hits) if total is None else total
    title = words(Message("{count:,} found", {"count": total}, "note", "{count:,} found"))
    wide = Sheet(
        title,
        [
            ("ID", "", "keep"),
            (_("Name"), "", "fold"),
            (_("Company"), "", "fold"),
            (_("Filed"), "", "keep"),
            (_("Matched"), "", "cut"),
        ],
    )
    narrow = Sheet(
        title, [("ID", "", "keep"), (_("Client"), "", "fold"), (_("Filed · matched"), "", "cut")]
    )
    cards: list[RenderableType] = [Text(title, style="bold")]
    for row, entries in hits:
        c = row.client
        where, matched = render.where(c), render.hit_text(entries)
        wide.add_row(
            _id(c),
            name(_t(c.name, "bold")),
            name(_t(c.company)),
            keep(_t(where)),
            free(_t(matched, "italic")),
        )
        filed, floor = _where(c, split=True)
        both = Text.assemble(filed, "\n", (matched, "italic"))
        narrow.add_row(_id(c), _client(c), free(both, floor))
        cards.append(Text.assemble((f"#{c.id} ", "dim"), (clean(c.name), "bold")))
        cards.append(_line((c.company or "", "dim"), indent=2))
        cards.append(_line((where, ""), indent=2))
        cards.append(_cut(matched, "italic"))
    wide.footer = narrow.footer = more = _more(total - len(hits), _MORE_FOUND, all_command)
    if more is not None:
        cards.append(more)
    return Fit(wide, narrow, Group(*cards))


def tab(view: Any, capacity: int, all_command: str = "dossier tab TAB --all") -> RenderableType:
    """One tab: a month tab's undated dossiers, then each day's stack. A terminal's view
    may hold rows for only the first dossiers (``TabView.left_out``): each part then says
    how many it leaves out, and the last line how to see them all."""
    from .folder import load_note

    parts: list[RenderableType] = [Text(clean(words(view.title)), style="bold")]
    undated = len(view.undated) if view.undated_total is None else view.undated_total
    if view.undated:
        parts.append(
            _list_layouts(
                words(note("No day yet ({count:,})", count=undated)),
                view.undated,
                more=_more(undated - len(view.undated), _MORE_UNDATED),
            )
        )
    elif undated:
        parts.append(
            Text(words(note("No day yet ({count:,}): not shown", count=undated)), style="dim")
        )
    for load, rows in view.by_day:
        said = load_note(load, capacity, load.day.min)
        title = words(
            note("{day} — {count} of {capacity}", day=load.day, count=load.count, capacity=capacity)
        ) + (f" ({said})" if said else "")
        if rows:
            more = _more(load.count - len(rows), _MORE_ON_DAY)
            parts.append(_list_layouts(title, rows, timed=True, more=more))
        elif load.count:
            parts.append(Text(clean(words(note("{title}: not shown", title=title))), style="dim"))
        else:
            parts.append(
                Text(clean(words(note("{title}: nothing filed", title=title))), style="dim")
            )
    if len(parts) == 1:
        parts.append(Text(_("Nothing filed behind this tab."), style="dim"))
    if more := _more(view.left_out, _MORE_BEHIND_TAB, all_command):
        parts.append(more)
    return Group(*parts)


# --- the binder ----------------------------------------------------------------------


def _month(key: str) -> str:
    """A month tab's label (``July 2024``) in this run's language."""
    tab = month_tab(key)
    return format_month(tab.year, tab.month, lang=language())


def _warnings(load: Any, capacity: int, today: Any) -> tuple[str, str]:
    """A day's warnings (never cut) and its day-off note (free text), apart: the same
    words as ``load_note``."""
    from .folder import warnings

    notes = warnings(load, capacity, today)
    if load.off is None:
        return ", ".join(notes), ""
    notes.append(_("day off:"))
    off = load.off
    if off.id == WEEKEND_OFF:  # the weekday alone: "day off" says the rest
        off = note("a {day:weekday}", day=off.params["day"])
    return ", ".join(notes), clean(words(off))


def folder(view: Any) -> RenderableType:
    """The binder: day tabs like a strip of numbered dividers, then the month tabs."""
    title = words(
        note(
            "The binder on {day} — capacity {capacity} a day",
            day=view.today,
            capacity=view.capacity,
        )
    ) + render.whose_said(view.whose)
    columns: list[Column] = [
        (_("Tab"), "bold cyan", "keep"),
        (_("Day"), "", "keep"),
        (_("Count"), "bold", "keep"),
        (_("Load"), "", "bar"),
        (_("Note"), "", "cut"),
    ]
    days = Sheet(title, columns)
    cards: list[RenderableType] = [Text(title, style="bold")]
    for load in view.days:
        dim = "dim" if load.off else ""
        over = load.over(view.capacity)
        style = "reverse bold" if load.day == view.today else dim
        warning, off = _warnings(load, view.capacity, view.today)
        said = Text(warning, style="red" if over else "dim")
        if off:
            said.append(" " + off, style="dim")
        count = Text(str(load.count or ""), style="bold red" if over else dim)
        days.add_row(
            keep(Text(f"{load.day.day:>2}", style=style)),
            keep(Text(_day(load.day), style=dim)),
            keep(count),
            Bar(load.count, view.capacity).cell(),
            free(said, cell_len(warning)),
        )
        line = Text.assemble((f"{load.day.day:>2} ", style), (_day(load.day), dim))
        if load.count:
            line.append(f"  {load.count}", style="bold red" if over else "bold")
        if warning:
            line.append(f"  {warning}", style="red" if over else "dim")
        if off:
            line.append(f" {off}", style="dim")
        cards.append(line)
    months = Sheet(
        _("Month tabs"),
        [
            (_("Month"), "bold", "keep"),
            (_("With a day"), "", "keep"),
            (_("No day yet"), "yellow", "keep"),
        ],
    )
    for month in view.months:
        months.add_row(
            keep(Text(_month(month.key))),
            keep(Text(str(month.dated or "·"), style="" if month.dated else "dim")),
            keep(Text(str(month.undated or "·"), style="yellow" if month.undated else "dim")),
        )
    overdue = words(note("Overdue: {count}", count=view.overdue))
    unfiled = words(note("Not filed (no next step): {count}", count=view.unfiled))
    tail = Text.assemble(
        (overdue, "bold red" if view.overdue else "dim"),
        "   ",
        (unfiled, "yellow" if view.unfiled else "dim"),
    )
    return Group(SideBySide(Fit(days, Group(*cards)), Group(months, Text(""), tail)))


def agenda(
    days: Sequence[Any], capacity: int, only: Any = None, whose: Any = None
) -> RenderableType:
    from .folder import over_by

    ahead = Message(
        "The next {count} days — capacity {capacity} a day",
        {"count": len(days), "capacity": capacity},
        "note",
        "The next {count} days — capacity {capacity} a day",
    )
    title = words(ahead)
    if only:
        title += words(
            note(
                " (filtered: {filter}; the capacity is the whole day's)",
                filter=render.describe_filter(only),
            )
        )
    title += render.whose_said(whose)
    table = Sheet(
        title,
        [
            (_("Day"), "", "keep"),
            (_("Count"), "bold", "keep"),
            (_("Repeat"), "green", "keep"),
            (_("New"), "magenta", "keep"),
            (_("Load"), "", "bar"),
            (_("Note"), "", "keep"),
            (_("At a set time"), "cyan", "fold"),
        ],
    )
    cards: list[RenderableType] = [Text(title, style="bold")]
    for load, timed in days:
        dim = "dim" if load.off else ""
        over = load.over(capacity)
        warn = over_by(over) if over else (_("day off") if load.off else "")
        warning = Text(warn, style="bold red" if over else "dim")
        # One meeting a line: a time stays next to its name, however narrow the column.
        meetings = Text("\n".join(f"{clean(t)} {clean(n)}" for t, n in timed))
        table.add_row(
            keep(Text(_day(load.day), style=dim)),
            keep(Text(str(load.count), style="bold red" if over else dim)),
            keep(Text(str(load.repeat), style=dim)),
            keep(Text(str(load.new), style=dim)),
            Bar(load.count, capacity).cell(),
            keep(warning),
            name(meetings),
        )
        head = Text.assemble(
            (_day(load.day), "dim" if load.off else "bold"),
            (f"  {load.count}", "bold red" if over else dim),
            (f" ({_split(load.repeat, load.new)})", "dim"),
        )
        if warn:
            head.append(f"  {warn}", style="bold red" if over else "dim")
        cards.append(head)
        for t, n in timed:
            cards.append(_line((t, "cyan"), (n, ""), indent=2, sep=" "))
    # Without the bar (the counts say the same) before falling back to cards.
    barless = Sheet(title, [c for c in table.columns if c[2] != "bar"])
    for row in table.rows:
        if row is not None:
            barless.add_row(*row[:4], *row[5:])
    return Fit(table, barless, Group(*cards))
