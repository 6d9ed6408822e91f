"""Delimited text as spreadsheets really write it: the bytes of a CSV, TSV or TXT file
read into a header and rows, each row with the file line it starts on.

Pure: the caller reads the file. Spreadsheets write these files in many ways, and all of
them are read the same:

- the encoding: UTF-8 with or without a byte order mark, UTF-16 with one (Excel's
  "Unicode text"), else Windows-1252 (Excel on Windows, "CSV" in a Western locale), and
  Latin-1 for the few bytes cp1252 leaves undefined. A BOM never ends up in a header.
- the delimiter: ``,`` ``;`` tab or ``|``, the one that splits the first lines into the
  same number of columns (a Spanish Excel writes ``;`` because ``,`` is its decimal
  mark, so ``1,5`` must not split a row); a first line ``sep=;`` (Excel's own hint)
  says it outright.
- quoted cells holding the delimiter, quotes (``""``) and line breaks, and CRLF. A row's
  line is the file's line where it starts, counted after any multi-line cell above it.

Cells are kept exactly as written (``00123``, ``+34 600 12 34 56``); only a leading
``'`` before ``= + - @``, which dossier's own CSV export writes so that a spreadsheet
does not run a cell as a formula, is taken off again.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field

from .errors import UsageError

DELIMITERS = (",", ";", "\t", "|")
SAMPLE_ROWS = 20  # records read to choose the delimiter
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
NAMES = {",": "comma", ";": "semicolon", "\t": "tab", "|": "bar"}


@dataclass
class Table:
    """A delimited file: its header, its rows (line, cells) and how it was read."""

    header: list[str]
    rows: list[tuple[int, list[str]]] = field(default_factory=list)
    encoding: str = "utf-8"
    delimiter: str = ","


def decode(data: bytes, encoding: str | None = None) -> tuple[str, str]:
    """The text of ``data`` and the encoding it was read with (``encoding`` when given)."""
    if encoding:
        try:
            text = data.decode(encoding)
        except LookupError:
            raise UsageError(
                "--encoding {value!r} is not an encoding Python knows", value=encoding
            ) from None
        except UnicodeDecodeError as exc:
            raise UsageError(
                "the file is not {encoding} (byte {position}); try another --encoding",
                encoding=encoding,
                position=exc.start + 1,
            ) from None
        return text.lstrip("\ufeff"), encoding
    if data.startswith(b"\xef\xbb\xbf"):
        return _strict(data[3:], "utf-8", "utf-8-sig")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return _strict(data, "utf-16", "utf-16")
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252"), "cp1252"
    except UnicodeDecodeError:  # 0x81, 0x8d, 0x8f, 0x90, 0x9d: undefined in cp1252
        return data.decode("latin-1"), "latin-1"


def _strict(data: bytes, codec: str, name: str) -> tuple[str, str]:
    try:
        return data.decode(codec).lstrip("\ufeff"), name
    except UnicodeDecodeError as exc:
        raise UsageError(
            "the file starts as {encoding} but is not (byte {position}); give --encoding",
            encoding=name,
            position=exc.start + 1,
        ) from None


def read_table(data: bytes, encoding: str | None = None, delimiter: str | None = None) -> Table:
    """The header and rows of a delimited file (blank lines skipped)."""
    text, used = decode(data, encoding)
    if "\r" in text:  # CRLF, inside quoted cells too: a line break is "\n"
        text = text.replace("\r\n", "\n")
    skip = 0
    first = text.split("\n", 1)[0].rstrip("\r")
    if first.lower().startswith("sep=") and len(first) == 5:
        delimiter = delimiter or first[4]
        skip = 1
    if delimiter is None:
        delimiter = sniff(text, skip)
    elif len(delimiter) != 1 or delimiter in ('"', "\n", "\r"):
        raise UsageError(
            "--delimiter {value!r} must be one character, such as , ; | or \\t", value=delimiter
        )
    records = _records(text, delimiter)
    table: Table | None = None
    quoted = "'" in text  # no apostrophe anywhere: no cell to unguard (the quick way)
    for line, cells in records:
        if line <= skip:
            continue
        if quoted:
            cells = [_unguarded(cell) for cell in cells]
        if table is None:
            header = [" ".join(cell.replace("\ufeff", "").split()) for cell in cells]
            table = Table(header, [], used, delimiter)
        else:
            table.rows.append((line, cells))
    if table is None:
        raise UsageError("the file is empty: no header line")
    return table


def _records(text: str, delimiter: str) -> list[tuple[int, list[str]]]:
    """Every non-blank record with the line it starts on."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    found: list[tuple[int, list[str]]] = []
    start = 1
    try:
        for cells in reader:
            if cells and any(cells):
                found.append((start, cells))
            start = reader.line_num + 1
    except csv.Error as exc:
        raise UsageError(
            "line {line}: the file cannot be read as delimited text ({reason})",
            line=start,
            reason=str(exc),
        ) from None
    return found


def sniff(text: str, skip: int = 0) -> str:
    """The delimiter that splits the first records into a steady number of columns.

    For each candidate, the first records are read as the csv module would read them
    (quotes respected); one that gives every record the same count, above one, wins,
    the widest first. With none steady, the one whose counts vary least.
    """
    sample = _head(text)
    best: tuple[int, int, int] | None = None
    chosen = ","
    for rank, delimiter in enumerate(DELIMITERS):
        try:
            counts = [len(cells) for _, cells in _records(sample, delimiter)[skip:]]
        except UsageError:
            continue
        if not counts or max(counts) < 2:
            continue
        steady = len(set(counts)) == 1
        # Steady first; then the header's width (more columns found); then the order.
        score = (int(steady), counts[0] if steady else -len(set(counts)), -rank)
        if best is None or score > best:
            best, chosen = score, delimiter
    return chosen


def _head(text: str) -> str:
    """About the first SAMPLE_ROWS records (a quoted cell may span lines: a little more
    is taken, and a record cut at the end only counts as one more)."""
    end = 0
    for _ in range(SAMPLE_ROWS * 3):
        found = text.find("\n", end)
        if found < 0:
            return text
        end = found + 1
    return text[:end]


def _unguarded(cell: str) -> str:
    """A cell as ``guarded`` wrote it, given back exactly: one ``'`` off a cell that is
    quotes and then a formula character.

    >>> [_unguarded(guarded(c)) for c in ("=SUM(A1)", "'=x", "''+1", "it's", "'plain")]
    ['=SUM(A1)', "'=x", "''+1", "it's", "'plain"]
    """
    if cell[:1] == "'" and cell.lstrip("'").startswith(FORMULA_START):
        return cell[1:]
    return cell


def guarded(cell: str) -> str:
    """``cell`` with one ``'`` in front when a spreadsheet would run it as a formula
    (OWASP's CSV injection advice), also when quotes come before the formula character,
    so that ``_unguarded`` can give every cell back exactly:

    >>> guarded("+34 600 12 34 56"), guarded("=SUM(A1)"), guarded("'=x"), guarded("it's")
    ("'+34 600 12 34 56", "'=SUM(A1)", "''=x", "it's")
    """
    return "'" + cell if cell.lstrip("'").startswith(FORMULA_START) else cell
