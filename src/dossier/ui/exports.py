"""The sentences an export carries: a calendar event's title and, with ``--details``, its
description, in the run's language (``dossier --lang es export --format ics`` writes
"Llamar a …")."""

from __future__ import annotations

from ..domain.messages import note
from ..domain.records import Client, Entry
from .words import words


def event_summary(client: Client) -> str:
    """ "Call Acme Ltd — send quote": who (the name, else the company) and what for."""
    who = client.name or client.company or ""
    purpose = client.placement.purpose if client.placement is not None else None
    if purpose:
        return words(note("Call {name} — {purpose}", name=who, purpose=purpose))
    return words(note("Call {name}", name=who))


def event_description(client: Client, entry: Entry | None) -> str:
    """The phones, the e-mails and the latest history entry, one per line."""
    lines = []
    if client.company:
        lines.append(words(note("Company: {company}", company=client.company)))
    if client.phones:
        lines.append(words(note("Phone: {phones}", phones=", ".join(client.phones))))
    if client.emails:
        lines.append(words(note("E-mail: {emails}", emails=", ".join(client.emails))))
    if entry is not None:
        what = entry.kind + (f", {entry.outcome}" if entry.outcome else "")
        lines.append(
            words(note("Last: {day} {what}: {text}", day=entry.day, what=what, text=entry.text))
        )
    return "\n".join(lines)
