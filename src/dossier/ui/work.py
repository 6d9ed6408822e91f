"""Views of ``dossier work``: the card, the prompts, what an answer did, the summary.

Each view is a list of (style, line) pairs, so that the plain text (piped, NO_COLOR) and
the Rich view on a terminal say the same; user text goes into Rich as text, never as
markup. The keys are the same in every language; the prompt names them.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import TYPE_CHECKING

from ..domain.messages import Message, note
from ..domain.text import clean
from ..domain.work import DONE_KIND, GONE, OUTCOME_KEYS, SKIPPED, Answered, Card, Tally, Went
from ..i18n import _
from .folder import month_label
from .forms import shown_value
from .plain import day_text, done_line, entry_head, entry_line, filed_line, where
from .words import words

if TYPE_CHECKING:
    from rich.console import RenderableType

Lines = list[tuple[str, str]]
HEADING, LABEL, DETAIL, WARN, FIGURES = "heading", "label", "detail", "warn", "figures"


# --- the card ------------------------------------------------------------------------


def progress(card: Card) -> str:
    said = f"{card.number}/{card.total}"
    return words(note("{progress} (again)", progress=said)) if card.again else said


def card_lines(card: Card) -> Lines:
    """Name, company, phones, stage, what the contact is for, where it was filed, the
    team's required fields, and the newest history entries."""
    client = card.client
    name = clean(f"#{client.id} {client.name}")
    if client.company:
        name += f" · {clean(client.company)}"
    purpose = client.placement.purpose if client.placement else None
    pairs = [
        (_("Phone"), ", ".join(client.phones) or "—"),
        (_("Stage"), client.stage),
        (_("For"), purpose or "—"),
        (_("Filed"), where(client)),
    ]
    if card.step is not None:
        pairs.append((_("Every"), str(card.step)))
    for defn in card.required:
        stored = client.fields.get(defn.name, "")
        pairs.append((defn.title, shown_value(defn, stored) if stored.strip() else _("missing")))
    width = max(len(clean(label)) for label, _value in pairs)
    out: Lines = [(HEADING, f"── {progress(card)} ── {name}")]
    for label, value in pairs:
        out.append((LABEL, f"  {clean(label).ljust(width)}  {clean(value)}"))
    if card.history:
        out.append((LABEL, "  " + _("Last entries:")))
        for entry in card.history:
            # Whole when piped (nothing is cut there); Rich cuts it at the screen's edge.
            text = " ".join(clean(entry.text).split())
            out.append((DETAIL, f"    {entry_head(entry)}" + (f"  {text}" if text else "")))
    else:
        out.append((LABEL, "  " + _("No history yet.")))
    return out


# --- prompts (English keys in every language) ------------------------------------------


def key_prompt() -> str:
    """The keys, on two lines that fit 80 columns in every language (the prompt is
    written as it is, so nothing else would fold it between words)."""
    return (
        _("r reached · n no answer · l left message · m meeting set")
        + "\n"
        + _("p proposal sent · w won · x lost · s skip · d done · q quit")
    )


def note_prompt() -> str:
    return _("Note (Enter: none): ")


def date_prompt(card: Card, outcome: str) -> str:
    if outcome == "lost":
        return _("Next date, if any (Enter: out of the folder): ")
    day, step = card.suggestions[outcome]
    if step is not None:
        return words(note("Next date (Enter: {day}, every {every}): ", day=day, every=str(step)))
    return words(note("Next date (Enter: {day}): ", day=day))


def outcome_of(key: str) -> str:
    """The outcome a key records, as typed (the vocabulary stays English)."""
    return OUTCOME_KEYS[key.strip().lower()]


# --- what an answer did --------------------------------------------------------------


def answered_lines(answered: Answered) -> Lines:
    if answered.changed is not None:
        shown = answered.changed.client
        said = (
            note(
                "#{id} {name} was changed by {user} while on screen; nothing saved: "
                "here it is again",
                id=shown.id,
                name=clean(shown.name),
                user=clean(answered.changed_by),
            )
            if answered.changed_by
            else note(
                "#{id} {name} was changed by another command while on screen; "
                "nothing saved: here it is again",
                id=shown.id,
                name=clean(shown.name),
            )
        )
        return [(WARN, words(said))]
    if answered.skipped_once:
        return [(DETAIL, _("Skipped: back at the end of the queue"))]
    went = answered.went
    assert went is not None
    if went.how == GONE:
        return [(WARN, gone_line(went))]
    if went.how == SKIPPED:
        return [(DETAIL, _("Skipped again: it stays where it is filed"))]
    client = answered.client
    assert client is not None
    notices = [(WARN if n.kind == "warning" else "", words(n)) for n in answered.notices]
    if went.how == DONE_KIND:
        return [("", done_line(client))]
    if client.archived:  # lost, with no next date: recorded, then out of the folder
        assert answered.entry is not None
        return [("", entry_line(client, answered.entry)), *notices, ("", done_line(client))]
    out = [("", filed_line(client)), *notices]
    if answered.entry is not None:
        out.append(("", entry_line(client, answered.entry)))
    return out


def gone_line(went: Went) -> str:
    return words(
        note(
            "#{id} {name} was removed or done by another command; passed over",
            id=went.id,
            name=clean(went.name),
        )
    )


def empty_line(day: date) -> str:
    return words(
        note("Nothing to work on: the tab of {day} is empty, and nothing is overdue", day=day)
    )


# --- the summary ----------------------------------------------------------------------


def place_text(place: str | None) -> str:
    if place is None:
        return _("not filed")
    if place == "done":
        return _("out of the folder")
    if len(place) == 10:
        return day_text(date.fromisoformat(place))
    return words(note("the {month} tab", month=month_label(place)))


def summary_lines(tally: Tally) -> Lines:
    c = tally.counts()
    out: Lines = [
        (
            HEADING,
            words(
                note(
                    "Session: {saved} saved, {left} left for later",
                    saved=tally.saved,
                    left=tally.left,
                )
            ),
        ),
        (
            FIGURES,
            words(
                note(
                    "reached {reached}, no answer {no_answer}, left a message {left_message}, "
                    "meetings set {meeting_set}, proposals {proposal_sent}, won {won}, "
                    "lost {lost}, skipped {skipped}, done {done}",
                    **{key.replace("-", "_"): count for key, count in c.items()},
                )
            ),
        ),
    ]
    handled = [w for w in tally.went if w.how != GONE]
    if handled:
        out.append((HEADING, _("Where each went:")))
        out += [(DETAIL, f"  {went_text(w)}") for w in handled]
    gone = [w for w in tally.went if w.how == GONE]
    out += [(WARN, gone_line(w)) for w in gone]
    return out


def went_text(went: Went) -> str:
    how = went.how
    if how == SKIPPED:
        how = _("skipped")
    elif how == DONE_KIND:
        how = _("done")
    place = place_text(went.place)
    return clean(f"#{went.id} {went.name}") + f"  {how} → {place}"


def interrupted(saved: int) -> Message:
    """The last line after Ctrl-C: what was kept (each answer was saved at once)."""
    return Message(
        "interrupted: {count} answer saved; 'dossier work' goes on with the rest",
        {"count": saved},
        "error",
        "interrupted: {count} answers saved; 'dossier work' goes on with the rest",
    )


# --- plain and Rich --------------------------------------------------------------------


def plain(lines: Sequence[tuple[str, str]]) -> str:
    """The lines as text; a long figures line folded at 80 columns as the review folds
    it (a line that quotes a client or an entry is left whole)."""
    from .review import wrapped

    return "\n".join(wrapped(line) if style == FIGURES else line for style, line in lines)


STYLES = {HEADING: "bold", LABEL: "", DETAIL: "dim", WARN: "yellow", FIGURES: "", "": ""}


def rich(lines: Sequence[tuple[str, str]]) -> RenderableType:
    """The same lines with styles; every line goes in as text, never as markup."""
    from rich.console import Group
    from rich.text import Text

    from .review import wrapped

    return Group(
        *(
            # A history line is cut at the screen's edge rather than wrapped; a figures
            # line folds after a comma, as piped ("won 0" is never split).
            Text(
                wrapped(line) if style == FIGURES else line,
                style=STYLES.get(style, ""),
                no_wrap=style == DETAIL,
                overflow="ellipsis",
            )
            for style, line in lines
        )
    )
