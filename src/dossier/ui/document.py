"""The dossier you carry into a meeting: one client's card, fields, place and whole history
as a self-contained HTML page (laid out for A4) or as Markdown.

Built from the same records as ``show``; nothing here touches storage or the disk. Every
piece of user text is escaped for the format it lands in (``html.escape`` with quotes;
backslashes before Markdown's punctuation), so a note holding ``<script>`` or a Markdown
link is shown as the characters typed. The HTML loads nothing: its style is inline, it
has no script, no font, no image and no link.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from datetime import date

from ..domain.dates import format_long_day, format_month
from ..domain.fields import FieldDef
from ..domain.folder import month_tab
from ..domain.messages import note
from ..domain.records import Client, Entry
from ..domain.text import clean
from ..i18n import _, language
from .forms import form_lines
from .words import words


@dataclass(frozen=True)
class Sheet:
    """What the document says, already in the run's language; the values are user text,
    still unescaped (each format escapes them its own way)."""

    title: str
    subtitle: str
    card: list[tuple[str, str]]
    fields: list[tuple[str, str | None]]  # None: a required field left empty ("missing")
    place: list[tuple[str, str]]
    history_title: str
    history: list[tuple[str, str, str]]  # (when, what, text)
    footer: str


def sheet(client: Client, history: list[Entry], defs: list[FieldDef], today: date) -> Sheet:
    lang = language()
    subtitle = " · ".join(clean(part) for part in (client.position, client.company) if part)
    card = [  # the company and position head the page, under the name (``subtitle``)
        (_("Phone"), ", ".join(client.phones)),
        (_("Email"), ", ".join(client.emails)),
        (_("Stage"), client.stage),
        (_("Tags"), ", ".join(client.tags)),
    ]
    # The values as show writes them (a number with the language's marks, a date as a
    # day), from the one place that decides it.
    fields: list[tuple[str, str | None]] = [
        (title, None if missing else value) for title, value, missing in form_lines(client, defs)
    ]
    if history:
        heading = words(note("History ({count}, newest first)", count=len(history)))
    else:
        heading = _("No history yet.")
    entries = [
        (
            entry.at.replace("T", " ")[:16],
            entry.kind + (f" · {entry.outcome}" if entry.outcome else ""),
            entry.text,
        )
        for entry in history
    ]
    footer = words(
        note(
            "Dossier #{id}, printed on {day}",
            id=client.id,
            day=format_long_day(today, lang=lang),
        )
    )
    return Sheet(
        client.name, subtitle, card, fields, _place(client, lang), heading, entries, footer
    )


def _place(client: Client, lang: str) -> list[tuple[str, str]]:
    """Where the dossier is filed (the day spelled out) and for what."""
    placement = client.placement
    if client.archived:
        where = _("done")
        if client.archive_reason:
            where = words(note("done ({reason})", reason=client.archive_reason))
    elif placement is None:
        where = _("not filed")
    elif placement.due is not None:
        where = format_long_day(placement.due, lang=lang)
        if placement.at:
            where = words(note("{place} at {time}", place=where, time=placement.at))
    else:
        assert placement.month is not None
        tab = month_tab(placement.month)
        where = words(note("the {month} tab", month=format_month(*tab, lang=lang)))
    lines = [(_("Filed"), where)]
    if placement is not None and placement.purpose:
        lines.append((_("For"), placement.purpose))
    return lines


# --- HTML ------------------------------------------------------------------------------

# Print first: A4 with margins, the headings kept with what follows them, and a history
# entry never split across two pages. No url(), no @import, no web font: nothing loads.
STYLE = """
@page { size: A4; margin: 18mm 16mm 20mm 16mm; }
* { box-sizing: border-box; }
html { font-family: "DejaVu Sans", "Liberation Sans", Arial, Helvetica, sans-serif;
       font-size: 10.5pt; color: #111; background: #fff; }
body { margin: 0 auto; max-width: 178mm; padding: 12mm 0; line-height: 1.4; }
h1 { font-size: 20pt; margin: 0 0 2pt 0; }
.subtitle { font-size: 12pt; color: #444; margin: 0 0 10pt 0; }
h2 { font-size: 12pt; margin: 14pt 0 4pt 0; padding-bottom: 2pt;
     border-bottom: 0.6pt solid #888; break-after: avoid; page-break-after: avoid; }
table { border-collapse: collapse; width: 100%; break-inside: avoid; page-break-inside: avoid; }
th, td { text-align: left; vertical-align: top; padding: 2pt 6pt 2pt 0; }
th { width: 32%; font-weight: 600; color: #333; }
td { white-space: pre-wrap; overflow-wrap: anywhere; }
.missing { color: #a00; font-style: italic; }
.entry { margin: 0 0 7pt 0; padding: 3pt 0 5pt 0; border-bottom: 0.4pt solid #ccc;
         break-inside: avoid; page-break-inside: avoid; }
.entry .when { font-weight: 600; }
.entry .what { color: #444; margin-left: 8pt; }
.entry .text { white-space: pre-wrap; overflow-wrap: anywhere; margin: 2pt 0 0 0; }
footer { margin-top: 16pt; font-size: 8.5pt; color: #666; }
@media print { body { padding: 0; max-width: none; } }
"""


def _h(text: str) -> str:
    """User text as HTML text: markup characters and quotes escaped; control characters
    made visible (line breaks kept)."""
    return html.escape(clean(text, multiline=True), quote=True)


def _rows(rows: list[tuple[str, str | None]]) -> list[str]:
    out = ["<table>"]
    for label, value in rows:
        shown = f'<span class="missing">{_h(_("missing"))}</span>' if value is None else _h(value)
        out.append(f"<tr><th>{_h(label)}</th><td>{shown}</td></tr>")
    out.append("</table>")
    return out


def to_html(page: Sheet) -> str:
    """The dossier as one HTML file that needs nothing else to show or print."""
    lang = html.escape(language(), quote=True)
    parts = [
        "<!DOCTYPE html>",
        f'<html lang="{lang}">',
        "<head>",
        '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        '<meta name="referrer" content="no-referrer">',
        f"<title>{_h(page.title)}</title>",
        f"<style>{STYLE}</style>",
        "</head>",
        "<body>",
        f"<h1>{_h(page.title)}</h1>",
    ]
    if page.subtitle:
        parts.append(f'<p class="subtitle">{_h(page.subtitle)}</p>')
    parts += _rows([(label, value) for label, value in page.card])
    if page.fields:
        parts.append(f"<h2>{_h(_('Fields'))}</h2>")
        parts += _rows(page.fields)
    parts.append(f"<h2>{_h(_('Filed'))}</h2>")
    parts += _rows([(label, value) for label, value in page.place])
    parts.append(f"<h2>{_h(page.history_title)}</h2>")
    for when, what, text in page.history:
        parts.append('<div class="entry">')
        parts.append(f'<div><span class="when">{_h(when)}</span>')
        parts.append(f'<span class="what">{_h(what)}</span></div>')
        if text:
            parts.append(f'<div class="text">{_h(text)}</div>')
        parts.append("</div>")
    parts += [f"<footer>{_h(page.footer)}</footer>", "</body>", "</html>", ""]
    return "\n".join(parts)


# --- Markdown --------------------------------------------------------------------------

# Every ASCII punctuation character that Markdown (CommonMark, and the common extensions:
# tables, strikethrough, autolinks) may read as syntax; a backslash before any of them
# makes it the character itself.
_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()<>#+\-.!|~&:=])")


def _m(text: str) -> str:
    """User text as Markdown text: each special character backslashed, so no note can
    open a link, an image, raw HTML or a heading; its lines kept (a hard line break)."""
    lines = clean(text, multiline=True).split("\n")
    escaped = [_MD_SPECIAL.sub(r"\\\1", line) for line in lines]
    return "\\\n".join(escaped)


def _md_rows(rows: list[tuple[str, str | None]]) -> list[str]:
    out = []
    for label, value in rows:
        shown = f"*{_m(_('missing'))}*" if value is None else _m(value)
        out.append(f"- **{_m(label)}:** {shown}")
    return out


def to_markdown(page: Sheet) -> str:
    """The dossier as Markdown: the same content as the HTML, every user text escaped."""
    parts = [f"# {_m(page.title)}", ""]
    if page.subtitle:
        parts += [_m(page.subtitle), ""]
    parts += _md_rows([(label, value) for label, value in page.card])
    if page.fields:
        parts += ["", f"## {_m(_('Fields'))}", ""]
        parts += _md_rows(page.fields)
    parts += ["", f"## {_m(_('Filed'))}", ""]
    parts += _md_rows([(label, value) for label, value in page.place])
    parts += ["", f"## {_m(page.history_title)}", ""]
    for when, what, text in page.history:
        parts.append(f"### {_m(when)} · {_m(what)}")
        parts.append("")
        if text:
            parts += [_m(text), ""]
    parts += ["---", "", _m(page.footer), ""]
    return "\n".join(parts)
