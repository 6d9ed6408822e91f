"""Making user text safe to show: it is data, never markup or terminal control.

Names and notes are typed by people and pasted from e-mails; an escape character in one
must not recolour, move the cursor or retitle the terminal. Control characters are shown
as visible escapes (``\\x1b``) instead. Rich markup is avoided by always handing user
text to Rich as ``Text`` objects, never as markup strings (see ``render_rich``).
"""

from __future__ import annotations

import re
import unicodedata

_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")


def _escape(match: re.Match[str]) -> str:
    char = match.group()
    code = ord(char)
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def clean(text: str | None, *, multiline: bool = False) -> str:
    """``text`` with control characters made visible; newlines kept only if ``multiline``.

    >>> clean("Acme\\x1b[31m Ltd")
    'Acme\\\\x1b[31m Ltd'
    >>> clean("line one\\nline two")
    'line one ⏎ line two'
    """
    if not text:
        return ""
    if text.isprintable():  # no control or format character at all: the common case
        return text
    text = text.replace("\r\n", "\n").replace("\t", " ")
    if multiline:
        return _CONTROL.sub(_escape, text)
    return _CONTROL.sub(_escape, text.replace("\n", " ⏎ "))


def excerpt(text: str | None, width: int = 60) -> str:
    """The first words of a note, on one line, for a table cell.

    >>> excerpt("Called about the renewal; wants a discount of 5% before signing", 30)
    'Called about the renewal; …'
    """
    flat = " ".join(clean(text).split())
    if len(flat) <= width:
        return flat
    cut = flat[: width - 1]
    if " " in cut[width // 2 :]:
        cut = cut[: cut.rindex(" ")]
    return cut.rstrip() + " …"


def escape_json_controls(document: str) -> str:
    """JSON text with C1 controls and bidi overrides written as ``\\uXXXX`` escapes.

    ``json.dumps(ensure_ascii=False)`` escapes only characters below U+0020; the others
    would reach the terminal raw. Outside strings JSON is ASCII, so this stays valid JSON
    and parses back to the same text. ASCII JSON (the common case, and all of it on a
    non-UTF-8 stream) can hold only DEL among them: checked in C, no regex pass.

    >>> escape_json_controls('{"name": "\\u202eLtd\\u009b"}')
    '{"name": "\\\\u202eLtd\\\\u009b"}'
    """
    if document.isascii() and "\x7f" not in document:
        return document
    return _CONTROL.sub(lambda m: f"\\u{ord(m.group()):04x}", document)


def encodes_everything(encoding: str | None) -> bool:
    """Whether a stream in ``encoding`` can carry any text: true only of the UTF codecs.

    Data (JSON, an export) written to any other stream (an ASCII locale, a cp1252 console)
    must be ASCII-escaped instead: the output streams replace what they cannot encode with
    ``?`` (see ``cli.base``), which is acceptable in a person's view, never in data.

    >>> encodes_everything("UTF-8"), encodes_everything("cp65001"), encodes_everything("cp1252")
    (True, True, False)
    """
    import codecs

    try:
        return codecs.lookup(encoding or "ascii").name.startswith("utf")
    except LookupError:
        return False


# Below U+0300 every printable character takes one column: Latin letters with their
# accents. Beyond it, combining marks and East Asian wide characters may not.
_BEYOND_LATIN = re.compile("[^\x00-\u02ff]")


def width(text: str) -> int:
    """Terminal columns ``text`` takes: East Asian wide characters count two, combining
    marks none, so plain tables stay aligned for 東京 as for Tokyo.

    >>> width("東京商事"), width("Zoë"), width("Zoe\u0308")
    (8, 3, 3)
    """
    if text.isascii() or not _BEYOND_LATIN.search(text):  # Latin letters, accents too
        return len(text)
    total = 0
    for char in text:
        if char < "\u0300":  # Latin-1 and Latin Extended: one column each
            total += 1
        elif not unicodedata.combining(char):
            total += 2 if unicodedata.east_asian_width(char) in ("W", "F") else 1
    return total
