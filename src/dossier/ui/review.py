"""Views of ``dossier review``: plain text, Rich on a terminal, and JSON (English)."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any

from ..domain.messages import Message, note
from ..domain.review import CONTACT_KINDS, Named, Review
from ..domain.text import clean
from ..i18n import _
from .folder import month_label
from .plain import day_text
from .words import words

if TYPE_CHECKING:
    from rich.console import RenderableType

Json = dict[str, Any]
HEADING, DETAIL = "heading", "detail"
WIDTH = 80  # plain output is read at 80 columns


def title(view: Review) -> Message:
    if view.first == view.last:
        return note("Review of {day}", day=view.last)
    return note("Review of {first} to {last}", first=view.first, last=view.last)


def place_text(place: str | None) -> str:
    """Where a handled dossier is now, in this run's language."""
    if place is None:
        return _("not filed")
    if place == "done":
        return _("done")
    kind, _sep, value = place.partition(":")
    if kind == "day":
        return day_text(date.fromisoformat(value))
    return words(note("the {month} tab", month=month_label(value)))


def due_text(when: str | None) -> str:
    if when and len(when) == 10:
        return day_text(date.fromisoformat(when))
    return month_label(when) if when else ""


def percent(view: Review) -> str:
    rate = view.reach_rate
    return "—" if rate is None else f"{round(rate * 100)}%"


def _who(item: Named) -> str:
    return clean(f"#{item.id} {item.name}")


def lines(view: Review) -> list[tuple[str, str]]:
    """The review as (style, line) pairs: the plain and the Rich view say the same."""
    total = sum(view.contacts.values())
    c = view.contacts
    out: list[tuple[str, str]] = [(HEADING, words(title(view))), ("", "")]
    out.append(
        (
            "",
            words(
                note(
                    "Contacts: {total} (call {call}, meeting {meeting}, email {email}, "
                    "visit {visit}); notes: {notes}",
                    total=total,
                    notes=view.notes,
                    **{kind: c[kind] for kind in CONTACT_KINDS},
                )
            ),
        )
    )
    given = [f"{name} {count}" for name, count in view.outcomes.items() if count]
    said = ", ".join(given) or _("none recorded")
    out.append(("", words(note("Outcomes: {outcomes}", outcomes=said))))
    out.append(
        (
            "",
            words(
                note(
                    "Reach rate: {rate} ({reached} of {calls} calls with an outcome)",
                    rate=percent(view),
                    reached=view.reached,
                    calls=view.calls_with_outcome,
                )
            ),
        )
    )
    out.append(
        (
            "",
            words(
                note(
                    "Next working day, {day}: {count}/{capacity}",
                    day=view.next_day,
                    count=view.next_load,
                    capacity=view.capacity,
                )
            ),
        )
    )
    sections: list[tuple[Message, list[str]]] = [
        (
            note("Handled ({count}), and where each went:", count=len(view.handled)),
            [f"{_who(h)} → {place_text(h.when)}" for h in view.handled],
        ),
        (
            note("Due and not handled, now overdue ({count}):", count=len(view.missed)),
            [f"{_who(m)}  {due_text(m.when)}" for m in view.missed],
        ),
        (
            note("New clients ({count}):", count=len(view.new_clients)),
            [_who(n) for n in view.new_clients],
        ),
        (
            note("First contacts ({count}):", count=len(view.first_contacts)),
            [_who(f) for f in view.first_contacts],
        ),
        (
            note("Contacts without an outcome ({count}):", count=len(view.without_outcome)),
            [
                f"{_who(w)}  {kind} {(w.when or '')[11:16]}"
                for w, kind in zip(view.without_outcome, view.without_outcome_kinds, strict=True)
            ],
        ),
    ]
    for heading, items in sections:
        out.append(("", ""))
        out.append((HEADING, words(heading)))
        out.extend((DETAIL, f"  {item}") for item in items)
    return out


def review_plain(view: Review) -> str:
    return "\n".join(wrapped(line) for _style, line in lines(view)).rstrip()


def wrapped(line: str) -> str:
    """A figures line folded at 80 columns (all seven outcomes make a long one); the
    continuation indented. A listed dossier's line is left whole: it holds a name."""
    if len(line) <= WIDTH or line.startswith("  "):
        return line
    import textwrap

    # Broken only after a comma: "proposal-sent 1" stays on one line.
    whole = line.replace(" ", "\xa0").replace(",\xa0", ", ")
    folded = textwrap.fill(whole, WIDTH, subsequent_indent="  ", break_on_hyphens=False)
    return folded.replace("\xa0", " ")


def review_rich(view: Review) -> RenderableType:
    """The same lines, headings in bold; user text goes in as text, never as markup."""
    from rich.text import Text

    text = Text()
    for style, line in lines(view):
        text.append(line + "\n", style="bold" if style == HEADING else "")
    text.rstrip()
    return text


def _named(items: list[Named], key: str) -> list[Json]:
    return [{"id": i.id, "name": i.name, key: i.when} for i in items]


def review_json(view: Review) -> Json:
    return {
        "first": view.first.isoformat(),
        "last": view.last.isoformat(),
        "contacts": dict(view.contacts),
        "notes": view.notes,
        "outcomes": dict(view.outcomes),
        "reach": {
            "reached": view.reached,
            "calls_with_outcome": view.calls_with_outcome,
            "rate": None if view.reach_rate is None else round(view.reach_rate, 4),
        },
        "handled": [
            {"id": h.id, "name": h.name, "place": h.when or "unfiled"} for h in view.handled
        ],
        "missed": _named(view.missed, "due"),
        "new_clients": [{"id": n.id, "name": n.name} for n in view.new_clients],
        "first_contacts": [{"id": f.id, "name": f.name} for f in view.first_contacts],
        "without_outcome": [
            {"id": w.id, "name": w.name, "kind": kind, "at": w.when}
            for w, kind in zip(view.without_outcome, view.without_outcome_kinds, strict=True)
        ],
        "next_day": {
            "date": view.next_day.isoformat(),
            "count": view.next_load,
            "capacity": view.capacity,
        },
    }
