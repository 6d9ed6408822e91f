"""Views of ``dossier stats``: plain text (``#`` bars, ``|`` the target), Rich on a
terminal (the same lines, solid bars and a coloured target), and JSON (English)."""

from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING, Any

from ..domain.messages import note
from ..domain.review import CONTACT_KINDS
from ..domain.stats import Spread, Stats, Week
from ..domain.text import clean
from ..i18n import _
from .plain import table
from .words import words

if TYPE_CHECKING:
    from rich.console import RenderableType

Json = dict[str, Any]
HEADING, BAR, TARGET = "heading", "bar", "target"
BAR_WIDTH = 40  # with the week, the figures and the margins: 80 columns
Segment = tuple[str, str]  # text, style ("" plain)
Line = list[Segment]


def _percent(value: float | None) -> str:
    return "—" if value is None else f"{round(value * 100)}%"


def _number(value: float) -> str:
    """3.0 is 3; 3.25 is 3.2 (one decimal is enough for a median of contacts), with the
    language's decimal mark (3,2 in Spanish)."""
    if float(value).is_integer():
        return str(int(value))
    from ..i18n import language

    said = f"{value:.1f}"
    return said.replace(".", ",") if language() == "es" else said


def _text(line: str, style: str = "") -> Line:
    return [(line, style)]


def title(view: Stats) -> str:
    said = words(
        note(
            "Stats from {first} to {last}",
            first=view.first.isoformat(),
            last=view.last.isoformat(),
        )
    )
    if view.tags:
        said += " " + words(note("(tags: {tags})", tags=", ".join(clean(t) for t in view.tags)))
    return said


def contacts_table(view: Stats) -> str:
    heads = (_("WEEK OF"), _("CALLS"), _("MEETINGS"), _("E-MAILS"), _("VISITS"), _("REACH RATE"))
    rows = [
        [
            w.first.isoformat(),
            *(str(w.contacts[kind]) for kind in CONTACT_KINDS),
            f"{_percent(w.reach_rate)} ({w.reached}/{w.calls_with_outcome})",
        ]
        for w in view.weeks
    ]
    return table(heads, rows)


def bar(value: int, target: int, scale: float) -> Line:
    """``value`` as ``#`` and ``target`` as ``|`` on a common ``scale`` (characters per
    unit): the target is drawn over the bar when the bar passes it."""
    length = max(round(value * scale), 1) if value > 0 else 0  # a few still show
    cells = ["#"] * length + [" "] * (BAR_WIDTH - length)
    mark = min(max(round(target * scale), 1), BAR_WIDTH) - 1 if target > 0 else None
    if mark is not None:
        cells[mark] = "|"
    line: Line = []
    for cell in cells:
        style = BAR if cell == "#" else TARGET if cell == "|" else ""
        if line and line[-1][1] == style:
            line[-1] = (line[-1][0] + cell, style)
        else:
            line.append((cell, style))
    return line


def bars(heading: str, pairs: list[tuple[Week, int, int]]) -> list[Line]:
    """One bar a week (its figure against its target), all on one scale."""
    top = max([1, *(max(value, target) for _week, value, target in pairs)])
    scale = BAR_WIDTH / top
    out: list[Line] = [_text(heading, HEADING)]
    for week, value, target in pairs:
        out.append(
            [
                (f"{week.first.isoformat()}  ", ""),
                *bar(value, target, scale),
                (f"  {value}/{target}", ""),
            ]
        )
    return out


def _spread(spread: Spread) -> str:
    return words(
        note(
            "median {median} (quartiles {low} to {high}, least {least}, most {most})",
            median=_number(spread.median),
            low=_number(spread.low_quartile),
            high=_number(spread.high_quartile),
            least=_number(spread.least),
            most=_number(spread.most),
        )
    )


def _overdue(week: Week) -> str:
    """The week's seven mornings, Monday first: a count, or · when none was recorded."""
    monday = week.first - timedelta(days=week.first.weekday())
    cells = []
    for i in range(7):
        day = monday + timedelta(days=i)
        if not week.first <= day <= week.last:
            cells.append(" ")
        else:
            cells.append(str(week.overdue[day]) if day in week.overdue else "·")
    return "  ".join(f"{cell:>3}" for cell in cells)


def lines(view: Stats) -> list[Line]:
    """The view as lines of styled segments: the plain and the Rich view say the same."""
    t = view.targets
    out: list[Line] = [_text(title(view), HEADING), []]
    out.append(_text(words(note("Contacts a week:")), HEADING))
    out.extend(_text(row) for row in contacts_table(view).split("\n"))
    out.append([])
    out.append(_text(words(note("Outcomes a week:")), HEADING))
    for w in view.weeks:
        given = [f"{name} {count}" for name, count in w.outcomes.items() if count]
        out.append(_text(f"{w.first.isoformat()}  {', '.join(given) or _('none recorded')}"))
    out.append([])
    out.extend(
        bars(
            words(note("New clients contacted a week (| the target, {n} a working day):", n=t.new)),
            [(w, w.new, w.target_new) for w in view.weeks],
        )
    )
    out.append([])
    out.extend(
        bars(
            words(note("Repeat contacts a week (| the target, {n} a working day):", n=t.repeat)),
            [(w, w.repeat, w.target_repeat) for w in view.weeks],
        )
    )
    out.append([])
    out.extend(
        bars(
            words(note("Meetings a week (| the target, {n} a week):", n=t.meetings_week)),
            [(w, w.meetings, w.target_meetings) for w in view.weeks],
        )
    )
    out.append([])
    out.extend(funnel(view))
    out.append([])
    out.extend(closing(view))
    out.append([])
    out.append(
        _text(words(note("Overdue at the start of each day (Mon … Sun; · not recorded):")), HEADING)
    )
    out.extend(_text(f"{w.first.isoformat()}  {_overdue(w)}".rstrip()) for w in view.weeks)
    return out


def funnel(view: Stats) -> list[Line]:
    stages = ", ".join(f"{stage} {count}" for stage, count in view.stages.items())
    moves = ", ".join(f"{a} → {b} {n}" for (a, b), n in view.moves.items()) or _("none recorded")
    out = [
        _text(words(note("The funnel:")), HEADING),
        _text(words(note("Clients per stage now: {stages}", stages=stages))),
        _text(words(note("Stage changes in the period: {moves}", moves=moves))),
        _text(words(note("Conversion (moved on, of those moved on and those still there):"))),
    ]
    for step in view.steps:
        out.append(
            _text(
                f"  {step.stage} → {step.next_stage}  {_percent(step.rate)}"
                f" ({step.moved}/{step.moved + step.still})"
            )
        )
    out.append(_text(words(note("Stage changes made before this version of dossier are unknown."))))
    return out


def closing(view: Stats) -> list[Line]:
    out = [_text(words(note("Closing ({count} won):", count=view.wins)), HEADING)]
    if view.contacts_to_close is not None:
        out.append(
            _text(
                words(note("Contacts to close: {spread}", spread=_spread(view.contacts_to_close)))
            )
        )
    if view.days_to_close is not None:
        out.append(
            _text(words(note("Days to close: {spread}", spread=_spread(view.days_to_close))))
        )
    average = view.average_gap
    out.append(
        _text(
            words(
                note(
                    "Average gap between contacts: {days} days (gaps counted: {gaps})",
                    days="—" if average is None else _number(round(average, 1)),
                    gaps=view.gaps,
                )
            )
        )
    )
    return out


def stats_plain(view: Stats) -> str:
    from .review import wrapped

    return "\n".join(wrapped("".join(text for text, _style in line)) for line in lines(view))


RICH_STYLES = {HEADING: "bold", BAR: "green", TARGET: "bold red"}
RICH_CHARS = {BAR: ("#", "█"), TARGET: ("|", "│")}


def stats_rich(view: Stats) -> RenderableType:
    """The same lines; bars solid, the target a red rule. User text (tags) goes in as
    text, never as markup."""
    from rich.text import Text

    from .review import wrapped

    text = Text()
    for line in lines(view):
        if len(line) == 1:  # a figures line folds after a comma, as piped ("dormant 0")
            line = [(wrapped(line[0][0]), line[0][1])]
        for segment, style in line:
            if style in RICH_CHARS:
                plain, solid = RICH_CHARS[style]
                segment = segment.replace(plain, solid)
            text.append(segment, style=RICH_STYLES.get(style, ""))
        text.append("\n")
    text.rstrip()
    return text


def _spread_json(spread: Spread | None) -> Json | None:
    if spread is None:
        return None
    return {
        "count": spread.count,
        "median": spread.median,
        "low_quartile": spread.low_quartile,
        "high_quartile": spread.high_quartile,
        "least": spread.least,
        "most": spread.most,
    }


def _rate(value: float | None) -> float | None:
    return None if value is None else round(value, 4)


def _week_json(w: Week) -> Json:
    return {
        "first": w.first.isoformat(),
        "last": w.last.isoformat(),
        "working_days": w.working_days,
        "contacts": dict(w.contacts),
        "notes": w.notes,
        "outcomes": dict(w.outcomes),
        "reach": {
            "reached": w.reached,
            "calls_with_outcome": w.calls_with_outcome,
            "rate": _rate(w.reach_rate),
        },
        "new": w.new,
        "repeat": w.repeat,
        "targets": {"new": w.target_new, "repeat": w.target_repeat, "meetings": w.target_meetings},
        "overdue_at_start": {day.isoformat(): n for day, n in sorted(w.overdue.items())},
    }


def stats_json(view: Stats) -> Json:
    return {
        "first": view.first.isoformat(),
        "last": view.last.isoformat(),
        "tags": list(view.tags),
        "targets": {
            "new": view.targets.new,
            "repeat": view.targets.repeat,
            "meetings_week": view.targets.meetings_week,
        },
        "weeks": [_week_json(w) for w in view.weeks],
        "funnel": {
            "stages": dict(view.stages),
            "moves": [{"from": a, "to": b, "count": n} for (a, b), n in view.moves.items()],
            "steps": [
                {
                    "from": s.stage,
                    "to": s.next_stage,
                    "moved": s.moved,
                    "still": s.still,
                    "rate": _rate(s.rate),
                }
                for s in view.steps
            ],
        },
        "closing": {
            "wins": view.wins,
            "contacts": _spread_json(view.contacts_to_close),
            "days": _spread_json(view.days_to_close),
        },
        "gaps": {
            "count": view.gaps,
            "days": view.gap_days,
            "average": None if view.average_gap is None else round(view.average_gap, 4),
        },
    }
