#!/usr/bin/env python3
"""Build and check dossier's message catalogues. Standard library only.

    python tools/i18n.py compile   # locale/*/LC_MESSAGES/dossier*.po -> dossier.mo
    python tools/i18n.py check     # translations complete, fields kept, .mo up to date
    python tools/i18n.py missing   # the code's messages a catalogue does not translate

A language's catalogue may be kept in several files (``dossier.po`` and any
``dossier-<part>.po`` beside it, e.g. one per package): they compile into one
``dossier.mo``, and a message may be translated in only one of them.

The messages are found in the code itself (``extract``): the first argument of every
``DossierError`` (or subclass) built, of ``note``/``warning``/``Message``, of
``_``/``ngettext``, every ``help=`` of a Typer option or argument and every command's
docstring. A message built with an f-string has no id to translate:
``missing`` lists those too, by file and line.

The ``.mo`` files are committed, so that an installed dossier needs no build step; run
``compile`` after editing a ``.po`` (``check``, run by the test suite, says when it was
forgotten). The ``.mo`` writer follows CPython's ``Tools/i18n/msgfmt.py``: keys sorted,
no hash table, little-endian, so the output is the same on every machine.
"""

from __future__ import annotations

import argparse
import ast
import re
import string
import struct
import sys
from dataclasses import dataclass, field
from pathlib import Path

LOCALE = Path(__file__).resolve().parent.parent / "src" / "dossier" / "i18n" / "locale"
MO_MAGIC = 0x950412DE
ESCAPES = {"n": "\n", "t": "\t", "r": "\r", '"': '"', "\\": "\\", "a": "\a", "b": "\b",
           "f": "\f", "v": "\v"}  # fmt: skip


@dataclass
class Entry:
    line: int
    msgid: str = ""
    msgid_plural: str | None = None
    msgctxt: str | None = None
    msgstr: dict[int, str] = field(default_factory=dict)
    flags: set[str] = field(default_factory=set)

    @property
    def key(self) -> str:
        """The entry's key in a ``.mo``: context, msgid and plural as gettext joins them."""
        key = self.msgid if self.msgid_plural is None else f"{self.msgid}\0{self.msgid_plural}"
        return key if self.msgctxt is None else f"{self.msgctxt}\x04{key}"

    @property
    def translation(self) -> str:
        return "\0".join(self.msgstr[i] for i in sorted(self.msgstr))


class PoError(ValueError):
    pass


def _unquote(text: str, where: str) -> str:
    text = text.strip()
    if len(text) < 2 or not (text.startswith('"') and text.endswith('"')):
        raise PoError(f"{where}: expected a quoted string, got {text!r}")

    def unescape(match: re.Match[str]) -> str:
        if match.group(1) not in ESCAPES:
            raise PoError(f"{where}: unknown escape \\{match.group(1)}")
        return ESCAPES[match.group(1)]

    return re.sub(r"\\(.)", unescape, text[1:-1])


def parse_po(path: Path) -> list[Entry]:
    """The entries of a ``.po`` file (obsolete ``#~`` ones left out), header first."""
    entries: list[Entry] = []
    entry: Entry | None = None
    target: tuple[str, int] | None = None  # the keyword a continuation line extends
    flags: set[str] = set()

    def finish() -> None:
        nonlocal entry, target, flags
        if entry is not None:
            entries.append(entry)
        entry, target, flags = None, None, set()

    for number, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        where = f"{path}:{number}"
        line = raw.strip()
        if not line:
            finish()
            continue
        if line.startswith("#"):
            if entry is not None and target is not None and target[0] == "msgstr":
                finish()  # a comment after a msgstr starts the next entry
            if line.startswith("#,"):
                flags |= {flag.strip() for flag in line[2:].split(",") if flag.strip()}
            continue
        keyword, _, rest = line.partition(" ")
        if keyword.startswith('"'):
            if entry is None or target is None:
                raise PoError(f"{where}: a string outside an entry")
            text = _unquote(line, where)
            name, index = target
            if name == "msgstr":
                entry.msgstr[index] += text
            else:
                setattr(entry, name, (getattr(entry, name) or "") + text)
            continue
        if keyword in ("msgctxt", "msgid") and target is not None and target[0] == "msgstr":
            finish()  # no blank line between two entries
        if entry is None:
            entry = Entry(line=number, flags=flags)
        if keyword in ("msgctxt", "msgid", "msgid_plural"):
            setattr(entry, keyword, _unquote(rest, where))
            target = (keyword, 0)
        elif (plural := re.fullmatch(r"msgstr\[(\d+)\]", keyword)) or keyword == "msgstr":
            index = int(plural.group(1)) if plural else 0
            entry.msgstr[index] = _unquote(rest, where)
            target = ("msgstr", index)
        else:
            raise PoError(f"{where}: unknown keyword {keyword!r}")
    finish()
    seen: dict[str, int] = {}
    for item in entries:
        if item.key in seen:
            raise PoError(f"{path}:{item.line}: duplicate of the entry at line {seen[item.key]}")
        seen[item.key] = item.line
    return entries


def compile_mo(entries: list[Entry]) -> bytes:
    """The ``.mo`` bytes of the translated entries (fuzzy and empty ones left out, as
    ``msgfmt`` does): gettext then falls back to the English."""
    messages = {e.key.encode(): e.translation.encode() for e in entries if _compiled(e)}
    keys = sorted(messages)
    ids = strs = b""
    offsets = []
    for key in keys:
        offsets.append((len(ids), len(key), len(strs), len(messages[key])))
        ids += key + b"\0"
        strs += messages[key] + b"\0"
    count = len(keys)
    key_start = 7 * 4 + 16 * count
    value_start = key_start + len(ids)
    table: list[int] = []
    for id_offset, id_length, _, _ in offsets:
        table += [id_length, key_start + id_offset]
    for _, _, str_offset, str_length in offsets:
        table += [str_length, value_start + str_offset]
    header = struct.pack("<7I", MO_MAGIC, 0, count, 7 * 4, 7 * 4 + 8 * count, 0, 0)
    return header + struct.pack(f"<{len(table)}I", *table) + ids + strs


def _compiled(entry: Entry) -> bool:
    if entry.msgid == "" and entry.msgctxt is None:
        return True  # the header
    return "fuzzy" not in entry.flags and bool(entry.msgstr) and all(entry.msgstr.values())


def _fields(text: str) -> list[tuple[str, str | None]] | None:
    """The ``str.format`` fields of ``text`` (name and conversion), None if it is not a
    valid format string."""
    try:
        return sorted(
            (name, conversion)
            for _, name, _, conversion in string.Formatter().parse(text)
            if name is not None
        )
    except ValueError:
        return None


def _plural_count(header: str) -> int | None:
    match = re.search(r"^Plural-Forms:.*\bnplurals\s*=\s*(\d+)", header, re.MULTILINE)
    return int(match.group(1)) if match else None


def check_po(path: Path) -> list[str]:
    """What is wrong with one ``.po`` and its ``.mo``: an empty list when nothing."""
    try:
        entries = parse_po(path)
    except PoError as exc:
        return [str(exc)]
    problems = []
    header = next((e for e in entries if e.msgid == "" and e.msgctxt is None), None)
    if header is None or "charset=UTF-8" not in header.translation:
        problems.append(f"{path}: no header declaring charset=UTF-8")
    plurals = _plural_count(header.translation) if header else None
    for entry in entries:
        if entry is header:
            continue
        where = f"{path}:{entry.line} ({entry.msgid!r})"
        if "fuzzy" in entry.flags:
            problems.append(f"{where}: marked fuzzy")
        if not entry.msgstr or not all(entry.msgstr.values()):
            problems.append(f"{where}: no translation")
            continue
        if entry.msgid_plural is not None:
            if plurals is None:
                problems.append(f"{path}: a plural entry but no Plural-Forms in the header")
            elif sorted(entry.msgstr) != list(range(plurals)):
                problems.append(f"{where}: needs msgstr[0] to msgstr[{plurals - 1}]")
        english = _fields(entry.msgid_plural or entry.msgid)
        for translated in entry.msgstr.values():
            if "{" in entry.msgid and _fields(translated) != english:
                problems.append(f"{where}: the translation's {{fields}} differ from the msgid's")
    mo = path.with_suffix(".mo")
    if not problems:
        if not mo.exists():
            problems.append(f"{mo}: missing; run: python tools/i18n.py compile")
        elif mo.read_bytes() != compile_mo(entries):
            problems.append(f"{mo}: older than {path.name}; run: python tools/i18n.py compile")
    return problems


def catalogues(locale: Path = LOCALE) -> list[Path]:
    """The main file of each language's catalogue (``dossier.po``)."""
    return sorted(locale.glob("*/LC_MESSAGES/dossier.po"))


def parts(main: Path) -> list[Path]:
    """A catalogue's files: ``dossier.po`` and the ``dossier-<part>.po`` beside it."""
    return [main, *sorted(main.parent.glob("dossier-*.po"))]


def merged(main: Path) -> list[Entry]:
    """The entries of every file of a catalogue, the main file's header first."""
    return [entry for path in parts(main) for entry in parse_po(path)]


def check(locale: Path = LOCALE) -> list[str]:
    """Every problem of every catalogue under ``locale``."""
    found = catalogues(locale)
    if not found:
        return [f"{locale}: no catalogue"]
    problems = []
    for main in found:
        for path in parts(main):
            problems += [p for p in check_po(path) if ".mo:" not in p and ".mo " not in p]
        try:
            entries = merged(main)
        except PoError as exc:
            problems.append(str(exc))
            continue
        seen: dict[str, int] = {}
        for entry in entries:
            if entry.msgid == "" and entry.msgctxt is None:
                continue
            if entry.key in seen:
                problems.append(f"{main.parent}: {entry.msgid!r} is translated twice")
            seen[entry.key] = entry.line
        mo = main.with_suffix(".mo")
        if not mo.exists():
            problems.append(f"{mo}: missing; run: python tools/i18n.py compile")
        elif mo.read_bytes() != compile_mo(_one_header(entries)):
            problems.append(f"{mo}: older than its .po files; run: python tools/i18n.py compile")
    return problems


def _one_header(entries: list[Entry]) -> list[Entry]:
    """The entries with the first file's header only (each part has its own)."""
    headers = [e for e in entries if e.msgid == "" and e.msgctxt is None]
    return [e for e in entries if not (e.msgid == "" and e.msgctxt is None) or e is headers[0]]


def compile_all(locale: Path = LOCALE) -> list[Path]:
    written = []
    for main in catalogues(locale):
        mo = main.with_suffix(".mo")
        data = compile_mo(_one_header(merged(main)))
        if not mo.exists() or mo.read_bytes() != data:
            mo.write_bytes(data)
            written.append(mo)
    return written


# --- the messages of the code ------------------------------------------------------------

SOURCE = Path(__file__).resolve().parent.parent / "src" / "dossier"
MESSAGE_CALLS = {"note", "warning", "Message", "_", "ngettext"}


@dataclass(frozen=True)
class Found:
    msgid: str
    plural: str | None
    where: str  # path:line


def _error_classes(trees: list[ast.Module]) -> set[str]:
    """``DossierError`` and every class of the code that derives from it, however far."""
    found = {"DossierError"}
    classes = [n for tree in trees for n in ast.walk(tree) if isinstance(n, ast.ClassDef)]
    grew = True
    while grew:
        grew = False
        for node in classes:
            if node.name not in found and any(_name(b) in found for b in node.bases):
                found.add(node.name)
                grew = True
    return found


def _name(node: ast.expr) -> str:
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        return node.attr
    return ""


def extract(source: Path = SOURCE) -> tuple[list[Found], list[str]]:
    """Every message id in the code, and every message that has none (an f-string or
    another expression where the id should be), as ``path:line``."""
    found: list[Found] = []
    unmarked: list[str] = []
    paths = sorted(source.rglob("*.py"))
    trees = [ast.parse(path.read_text(encoding="utf-8")) for path in paths]
    errors = _error_classes(trees)
    for path, tree in zip(paths, trees, strict=True):
        rel = path.relative_to(source.parent)
        for node in ast.walk(tree):
            where = f"{rel}:{getattr(node, 'lineno', 0)}"
            if isinstance(node, ast.Call):
                name = _name(node.func)
                if (name in MESSAGE_CALLS or name in errors) and node.args:
                    _take(node, found, unmarked, where)
                for keyword in node.keywords:
                    if keyword.arg == "help" and isinstance(keyword.value, ast.Constant):
                        found.append(Found(str(keyword.value.value), None, where))
            elif isinstance(node, ast.FunctionDef) and any(
                "command" in ast.unparse(d) or "callback" in ast.unparse(d)
                for d in node.decorator_list
            ):
                doc = ast.get_docstring(node)
                if doc:
                    found.append(Found(doc, None, where))
    return found, unmarked


def _take(call: ast.Call, found: list[Found], unmarked: list[str], where: str) -> None:
    first = call.args[0]
    if isinstance(first, ast.Constant) and isinstance(first.value, str):
        plural = next(
            (
                str(k.value.value)
                for k in call.keywords
                if k.arg == "plural" and isinstance(k.value, ast.Constant)
            ),
            None,
        )
        if _name(call.func) == "ngettext" and len(call.args) > 1:
            second = call.args[1]
            plural = str(second.value) if isinstance(second, ast.Constant) else plural
        if _name(call.func) == "Message" and len(call.args) > 3:
            fourth = call.args[3]
            plural = str(fourth.value) if isinstance(fourth, ast.Constant) else plural
        found.append(Found(first.value, plural, where))
    elif isinstance(first, ast.Name | ast.Attribute) and first.__class__ is not ast.JoinedStr:
        return  # an id held in a constant (WEEKEND_OFF): found where it is defined
    else:
        unmarked.append(where)


def missing(locale: Path = LOCALE, source: Path = SOURCE) -> list[str]:
    """The code's messages that a catalogue does not translate, and the messages with no
    id at all."""
    found, unmarked = extract(source)
    problems = [f"{where}: a message built with an f-string (give it an id)" for where in unmarked]
    for main in catalogues(locale):
        translated = {e.msgid for e in merged(main) if _compiled(e)}
        for item in found:
            if item.msgid not in translated:
                problems.append(f"{item.where}: no {main.parent.parent.name} for {item.msgid!r}")
    return problems


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("action", choices=("compile", "check", "missing"))
    parser.add_argument("--locale", type=Path, default=LOCALE, help="the locale folder")
    args = parser.parse_args(argv)
    if args.action == "compile":
        try:
            written = compile_all(args.locale)
        except PoError as exc:
            print(f"i18n: {exc}", file=sys.stderr)
            return 1
        for mo in written:
            print(f"wrote {mo}")
        return 0
    problems = check(args.locale) if args.action == "check" else missing(args.locale)
    for problem in problems:
        print(problem, file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
