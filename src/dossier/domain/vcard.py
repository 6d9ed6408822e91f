"""vCard in and out: the contacts a phone or a mail program exports, and the cards dossier
gives back to them. Pure: bytes or text in, records or text out; no I/O, no clock.

Reading (``read_vcards``) takes vCard 2.1, 3.0 and 4.0 as they are really written:

- Android (2.1): quoted-printable values with ``CHARSET`` (``ENCODING=QUOTED-PRINTABLE``
  in either order, or the bare 2.1 parameter ``QUOTED-PRINTABLE``), soft line breaks
  (a line ending in ``=`` goes on at the start of the next, unindented), commas left
  unescaped (2.1 does not escape them), bare type parameters (``TEL;CELL``), a base64
  ``PHOTO`` ended by a blank line.
- iOS/macOS and Google Contacts (3.0): grouped properties (``item1.EMAIL``), folded lines
  (a line starting with a space or a tab continues the one before: RFC 6350 3.2),
  escapes ``\\,`` ``\\;`` ``\\n`` ``\\\\`` (and ``\\:``, as Google writes URLs), a
  ``PHOTO`` folded over many lines (skipped, as every property dossier has no place for).
- 4.0: ``UID:urn:uuid:…`` (kept as written), ``TEL;VALUE=uri:tel:+34…`` (the number
  without ``tel:``, an ``;ext=`` as `` ext. ``), quoted parameter lists (``TYPE="voice,cell"``).

Each card becomes an ``Incoming`` record (``domain/incoming.py``) whose ``line`` is the
line of its ``BEGIN:VCARD``: FN -> ``name``; N (family;given;…) -> ``last`` and ``first``;
ORG's first component -> ``company``; TITLE -> ``position``; every TEL -> ``phone`` and
every EMAIL -> ``email``, in the order written; NOTE -> ``note``; CATEGORIES -> ``tags``
(split on unescaped commas; Google's own group ``myContacts``, which every contact of a
Google export carries, is left out); UID -> ``uid``. The file is read as UTF-8 (a BOM
dropped), else UTF-16 when it starts with a BOM, else Windows-1252. A file with no
``BEGIN:VCARD``, an ``END:VCARD`` with no card open, a card left open, a card inside a
card, or a card with no FN, N or ORG is refused with a ``UsageError`` naming the line.

Why not vobject (0.9.9, the well-kept library the issue names): it was run over these
fixtures first (``tests/fixtures/vcard``). It reads ``ios-3.0.vcf``, ``google-3.0.vcf``
and ``v4.0.vcf`` right (leaving ``tel:`` on 4.0 phones), but on ``android-2.1.vcf``:
(1) it refuses the whole file at the quoted-printable soft line break of José Núñez's
NOTE (``ParseError: At line 21: Failed to parse line: =C3=A9s, plazo 30 d=C3=ADas…``),
the way Android's contacts app writes every long non-ASCII value; and (2) with that break
joined by hand, it cuts a text value at its first unescaped comma, keeping only
``Llamar después de las 10. Pidió presupuesto de la obra de Leganés`` and silently losing
the rest (``NOTE:one, two`` reads as ``one`` in 2.1 and 3.0 alike), which 2.1 writers
never escape. It also gives no line number for a card, which the import's report needs.
So the reader is written here, by hand, in about 200 lines, and needs no dependency.

Writing (``write_vcards``) gives vCard 3.0 (RFC 2426): 3.0 is what iOS/macOS Contacts,
Google Contacts and Android all import; 4.0 is still imported patchily by phones' own
contacts apps; 2.1 cannot carry UTF-8 without quoted-printable. Lines end in CRLF and are
folded at 75 octets, never inside a UTF-8 sequence or an escape; values are escaped.
The same cards give the same bytes, and ``stable_uid`` gives a client the same UID at
every export, so a phone updates the contact instead of adding it twice.
"""

from __future__ import annotations

import binascii
import re
import uuid
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from .errors import UsageError
from .incoming import Incoming

# --- reading -----------------------------------------------------------------------------

_LINES = re.compile(r"\r\n|\r|\n")
_PROPERTY = re.compile(r"[ \t]*(?:[A-Za-z0-9_-]+\.)?([A-Za-z0-9_-]+)")
_PARAM = re.compile(r';[ \t]*([^;:=]*?)[ \t]*(?:=((?:"[^"]*"|[^;:"])*))?(?=[;:])')
_HEX = re.compile(rb"=([0-9A-Fa-f]{2})")
_ESCAPE = re.compile(r"\\(.)", re.S)
_UNESCAPED = {"n": "\n", "N": "\n", "\\": "\\", ",": ",", ";": ";", ":": ":"}
_ENCODINGS = {"QUOTED-PRINTABLE", "BASE64", "B", "8BIT", "7BIT"}
_GOOGLE_GROUPS = {"mycontacts"}  # Google's own group, on every contact it exports


@dataclass
class _Property:
    name: str  # upper case, without its group
    params: dict[str, list[str]]  # upper-case names; bare 2.1 words as TYPE or ENCODING
    value: str  # as written, not yet decoded or unescaped


def read_vcards(data: bytes) -> list[Incoming]:
    """Every card of a vCard file (2.1, 3.0 or 4.0), in order, as incoming records."""
    cards: list[Incoming] = []
    card: Incoming | None = None
    version = ""
    for number, line in _logical(_LINES.split(_decode(data))):
        prop = _parse(line)
        if prop is None:
            continue  # a blank line, or a 2.1 base64 line written without its indent
        word = prop.value.strip().upper()
        if prop.name == "BEGIN" and word == "VCARD":
            if card is not None:
                raise UsageError(
                    "vCard line {line}: BEGIN:VCARD inside the card begun on line {start}",
                    line=number,
                    start=card.line,
                )
            card, version = Incoming(line=number), ""
        elif prop.name == "END" and word == "VCARD":
            if card is None:
                raise UsageError("vCard line {line}: END:VCARD with no card begun", line=number)
            if not any(card.first(key) for key in ("name", "first", "last", "company")):
                raise UsageError(
                    "vCard line {line}: the card has no name (FN or N) and no company (ORG)",
                    line=card.line,
                )
            cards.append(card)
            card = None
        elif card is not None:
            if prop.name == "VERSION":
                version = prop.value.strip()
            _take(card, prop, version)
    if card is not None:
        raise UsageError("vCard line {line}: the card has no END:VCARD", line=card.line)
    if not cards:
        raise UsageError("not a vCard file: no line reads BEGIN:VCARD")
    return cards


def _decode(data: bytes) -> str:
    """The file's text: UTF-8 (its BOM dropped), UTF-16 with a BOM, else Windows-1252."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError:
            pass
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252")
    except UnicodeDecodeError:  # the five bytes Windows-1252 leaves undefined
        return data.decode("latin-1")


def _logical(lines: list[str]) -> Iterator[tuple[int, str]]:
    """The content lines, unfolded, each with the 1-based number of its first line."""
    parts: list[str] = []
    start = 0
    quoted = False  # the current line is quoted-printable: a trailing '=' goes on
    for number, line in enumerate(lines, 1):
        if quoted and parts[-1].endswith("=") and line.strip().upper() != "END:VCARD":
            parts[-1] = parts[-1][:-1]
            parts.append(line)
            continue
        if parts and line[:1] in (" ", "\t"):
            parts.append(line[1:])  # RFC folding: the one space or tab is not content
            continue
        if parts:
            yield start, "".join(parts)
        parts, start = [line], number
        quoted = "QUOTED-PRINTABLE" in line.split(":", 1)[0].upper()
    if parts:
        yield start, "".join(parts)


def _parse(line: str) -> _Property | None:
    """A content line read as name, parameters and raw value; None if it is not one."""
    match = _PROPERTY.match(line)
    if match is None:
        return None
    name, at = match[1].upper(), match.end()
    params: dict[str, list[str]] = {}
    while at < len(line) and line[at] == ";":
        param = _PARAM.match(line, at)
        if param is None:
            return None
        key, raw = param[1].upper(), param[2]
        if raw is None:  # a bare 2.1 parameter: TEL;CELL, NOTE;QUOTED-PRINTABLE
            key, raw = ("ENCODING" if key in _ENCODINGS else "TYPE"), key
        values = [v.strip().strip('"') for v in re.findall(r'"[^"]*"|[^,]+', raw)]
        params.setdefault(key, []).extend(values)
        at = param.end()
    if at >= len(line) or line[at] != ":":
        return None
    return _Property(name, params, line[at + 1 :])


def _take(card: Incoming, prop: _Property, version: str) -> None:
    """Put one property of a card into its record (those dossier has no place for go)."""
    name = prop.name
    if name == "FN":
        card.add("name", _unescape(_text(prop)), "FN")
    elif name == "N":
        parts = [*_split(_text(prop), ";"), "", ""]
        card.add("last", _unescape(parts[0]), "N")
        card.add("first", _unescape(parts[1]), "N")
    elif name == "ORG":
        card.add("company", _unescape(_split(_text(prop), ";")[0]), "ORG")
    elif name == "TITLE":
        card.add("position", _unescape(_text(prop)), "TITLE")
    elif name == "TEL":
        uri = "URI" in (v.upper() for v in prop.params.get("VALUE", []))
        card.add("phone", _phone(_unescape(_text(prop)), uri or version == "4.0"), "TEL")
    elif name == "EMAIL":
        card.add("email", _unescape(_text(prop)), "EMAIL")
    elif name == "NOTE":
        card.add("note", _unescape(_text(prop)), "NOTE")
    elif name == "CATEGORIES":
        for tag in _split(_text(prop), ","):
            if tag.strip().lower() not in _GOOGLE_GROUPS:
                card.add("tags", _unescape(tag), "CATEGORIES")
    elif name == "UID":
        card.add("uid", _unescape(_text(prop)), "UID")


def _text(prop: _Property) -> str:
    """The value decoded (quoted-printable or base64, in its CHARSET), still escaped."""
    encoding = {v.upper() for v in prop.params.get("ENCODING", [])}
    if encoding & {"QUOTED-PRINTABLE", "B", "BASE64"}:
        raw = prop.value.encode("utf-8")
        if "QUOTED-PRINTABLE" in encoding:
            raw = _HEX.sub(lambda hexa: bytes([int(hexa[1], 16)]), raw)
        else:
            try:
                raw = binascii.a2b_base64(raw)
            except binascii.Error:
                return ""
        text = _charset(raw, prop.params.get("CHARSET", ["utf-8"])[0])
    else:
        text = prop.value
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _charset(raw: bytes, charset: str) -> str:
    for name in (charset, "utf-8"):
        try:
            return raw.decode(name)
        except (LookupError, UnicodeDecodeError):
            pass
    return raw.decode("cp1252", errors="replace")


def _split(value: str, sep: str) -> list[str]:
    """``value`` cut at each ``sep`` that no backslash escapes (the escapes are kept)."""
    if "\\" not in value:
        return value.split(sep)
    parts: list[str] = []
    start = at = 0
    while at < len(value):
        if value[at] == "\\":
            at += 2
            continue
        if value[at] == sep:
            parts.append(value[start:at])
            start = at + 1
        at += 1
    parts.append(value[start:])
    return parts


def _unescape(text: str) -> str:
    """``\\n`` ``\\,`` ``\\;`` ``\\:`` ``\\\\`` as what they stand for; any other backslash kept."""
    return _ESCAPE.sub(lambda m: _UNESCAPED.get(m[1], m[0]), text)


def _phone(value: str, uri: bool) -> str:
    """A TEL value as the number: a 4.0 ``tel:`` URI without its scheme, an ext kept."""
    if not (uri and value[:4].lower() == "tel:"):
        return value
    number, *params = value[4:].split(";")
    ext = next((p[4:] for p in params if p[:4].lower() == "ext="), "")
    return f"{number} ext. {ext}" if ext else number


# --- writing -----------------------------------------------------------------------------

_FOLD_AT = 75  # octets per line, CRLF not counted (RFC 2426 2.6, RFC 6350 3.2)
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")  # no place in a value (tab is fine)
# uuid5(NAMESPACE_URL, "https://dossier.invalid/vcard/uid"), fixed for good: changing it
# would give every client a new UID and duplicate every contact on the next import.
_UID_NAMESPACE = uuid.UUID("c30c6d14-daea-587b-89b9-300bf18c29bb")


@dataclass(frozen=True)
class VCardOut:
    """One client as a contact card: what a phone's contacts app keeps."""

    uid: str
    name: str
    company: str | None = None
    position: str | None = None
    phones: Sequence[str] = ()
    emails: Sequence[str] = ()
    tags: Sequence[str] = ()
    note: str | None = None


def write_vcards(cards: Sequence[VCardOut]) -> str:
    """The cards as one vCard 3.0 file (CRLF line ends; encode it as UTF-8)."""
    return "".join(_write(card) for card in cards)


def stable_uid(client_id: int, created_at: str) -> str:
    """A client's UID when it came with none: the same at every export of the same folder."""
    return str(uuid.uuid5(_UID_NAMESPACE, f"{client_id}/{created_at}"))


def _write(card: VCardOut) -> str:
    words = card.name.split()
    family, given = (words[-1], " ".join(words[:-1])) if words else ("", "")
    lines = ["BEGIN:VCARD", "VERSION:3.0", "PRODID:-//dossier//vCard export//EN"]
    lines.append(f"N:{_escape(family)};{_escape(given)};;;")
    lines.append(f"FN:{_escape(card.name)}")
    if card.company and card.company.strip():
        lines.append(f"ORG:{_escape(card.company)}")
    if card.position and card.position.strip():
        lines.append(f"TITLE:{_escape(card.position)}")
    phones = [p for p in card.phones if p.strip()]
    for at, phone in enumerate(phones):
        lines.append(f"TEL;TYPE={'CELL' if at == 0 else 'VOICE'}:{_escape(phone)}")
    lines.extend(f"EMAIL;TYPE=INTERNET:{_escape(e)}" for e in card.emails if e.strip())
    tags = [_escape(t) for t in card.tags if t.strip()]
    if tags:
        lines.append("CATEGORIES:" + ",".join(tags))
    if card.note and card.note.strip():
        lines.append(f"NOTE:{_escape(card.note)}")
    lines.append(f"UID:{_escape(card.uid)}")
    lines.append("END:VCARD")
    return "".join(_fold(line) for line in lines)


def _escape(text: str) -> str:
    text = _CONTROL.sub("", text.replace("\r\n", "\n").replace("\r", "\n"))
    for plain, escaped in (("\\", "\\\\"), (";", "\\;"), (",", "\\,"), ("\n", "\\n")):
        text = text.replace(plain, escaped)
    return text


def _fold(line: str) -> str:
    """The line with CRLF, folded so that no line passes 75 octets (a fold starts with a
    space, which counts); a character or an escape is never cut in two."""
    data = line.encode("utf-8", "surrogatepass")
    pieces: list[bytes] = []
    start, room = 0, _FOLD_AT
    while len(data) - start > room:
        end = start + room
        while data[end] & 0xC0 == 0x80:  # inside a character: cut before it
            end -= 1
        run = end
        while run > start and data[run - 1] == 0x5C:  # backslashes, each escaping one
            run -= 1
        end -= (end - run) % 2  # an odd run ends in an escape's backslash: cut before it
        pieces.append(data[start:end])
        start, room = end, _FOLD_AT - 1
    pieces.append(data[start:])
    return b"\r\n ".join(pieces).decode("utf-8", "surrogatepass") + "\r\n"
