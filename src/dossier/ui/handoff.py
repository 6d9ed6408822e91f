"""``dossier handoff``: what was handed over, the colleague's days, and the covers."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from ..domain.messages import Message, note
from ..domain.records import Cover
from ..domain.shapes import Json, filed_json
from ..domain.text import clean
from ..i18n import _
from . import plain as render
from .folder import over_by
from .words import words

if TYPE_CHECKING:
    from ..domain.owners import Handoff


def handoff_plain(done: Handoff) -> str:
    """The dossiers, where each is filed, the count, the taker's days against capacity,
    and (a dry run) that nothing changed."""
    params = {"count": len(done.clients), "giver": done.giver, "taker": done.taker}
    if done.dry_run:
        head = Message(
            "Would hand {count} dossier from {giver} to {taker}",
            params,
            "note",
            "Would hand {count} dossiers from {giver} to {taker}",
        )
    else:
        head = Message(
            "Handed {count} dossier from {giver} to {taker}",
            params,
            "note",
            "Handed {count} dossiers from {giver} to {taker}",
        )
    line = words(head)
    if done.until is not None:
        line += words(note(" until {day} (a cover: then they go back)", day=done.until))
    rows = [[f"#{c.id}", clean(c.name), render.where(c)] for c in done.clients]
    parts = [line + ":", render.table(render.headers(("ID", "NAME", "FILED")), rows)]
    if done.loads:
        said = note(
            "{taker}'s days with a handed dossier, after the handoff (capacity {capacity} a day):",
            taker=done.taker,
            capacity=done.capacity,
        )
        days = []
        for day, load in done.loads:
            over = load - done.capacity
            days.append(
                [render.day_text(day), f"{load}/{done.capacity}", over_by(over) if over > 0 else ""]
            )
        parts.append(words(said) + "\n" + render.table((_("DAY"), _("LOAD"), ""), days))
    if done.dry_run:
        parts.append(_("Dry run: nothing was changed."))
    return "\n\n".join(parts)


def handoff_json(done: Handoff) -> Json:
    return {
        "from": done.giver,
        "to": done.taker,
        "until": done.until.isoformat() if done.until else None,
        "reason": done.reason,
        "applied": not done.dry_run,
        "count": len(done.clients),
        "dossiers": [
            {"id": c.id, "name": c.name, "filed": filed_json(c.placement)} for c in done.clients
        ],
        "capacity": done.capacity,
        "days": [
            {"date": day.isoformat(), "count": load, "over": max(load - done.capacity, 0)}
            for day, load in done.loads
        ],
    }


def covers_plain(covers: Sequence[Cover]) -> str:
    if not covers:
        return _("No cover in force.")
    rows = [
        [
            clean(c.giver),
            clean(c.taker),
            render.day_text(c.until),
            str(len(c.held)),
            clean(c.reason or ""),
        ]
        for c in covers
    ]
    return render.table((_("FROM"), _("TO"), _("UNTIL"), _("STILL COVERED"), _("REASON")), rows)


def covers_json(covers: Sequence[Cover]) -> list[Json]:
    return [
        {
            "from": c.giver,
            "to": c.taker,
            "until": c.until.isoformat(),
            "reason": c.reason,
            "created": c.created,
            "covered": len(c.held),
            "dossiers": c.held,
        }
        for c in covers
    ]
