"""The words of ``dossier import``: the summary line, the dry run's columns, the problems.

Plain lines (an import's output is a few lines, the same on a terminal and in a pipe);
user text in them (headers, names) is quoted with ``!r`` and made inert by ``say``.
"""

from __future__ import annotations

from collections.abc import Sequence

from ..domain.columns import Column
from ..domain.messages import Message, note
from .words import words

SHOWN = 20  # problems listed on stderr; the rest are counted (and all go to --report)


def summary(new: int, merged: int, unchanged: int, skipped: int, dry_run: bool) -> str:
    """``312 new, 14 merged, 3 skipped`` (a dry run says what would happen)."""
    counts = {"new": new, "merged": merged, "skipped": skipped, "unchanged": unchanged}
    if dry_run and unchanged:
        said = note(
            "Dry run, nothing was written: {new:,} new, {merged:,} merged, {unchanged:,} "
            "unchanged, {skipped:,} skipped",
            **counts,
        )
    elif dry_run:
        said = note(
            "Dry run, nothing was written: {new:,} new, {merged:,} merged, {skipped:,} skipped",
            **counts,
        )
    elif unchanged:
        said = note(
            "{new:,} new, {merged:,} merged, {unchanged:,} unchanged, {skipped:,} skipped", **counts
        )
    else:
        said = note("{new:,} new, {merged:,} merged, {skipped:,} skipped", **counts)
    return words(said)


def how_read(encoding: str, delimiter: str, rows: int) -> str:
    names = {",": "','", ";": "';'", "\t": "tab", "|": "'|'"}
    return words(
        note(
            "Read {rows} rows as {encoding}, delimiter {delimiter}",
            rows=rows,
            encoding=encoding,
            delimiter=names.get(delimiter, repr(delimiter)),
        )
    )


def column_line(column: Column) -> str:
    """What one column of the file fills, for the dry run."""
    if column.key is not None:
        said = note("  {column!r} -> {key}", column=column.header, key=column.key)
    elif column.defn is not None:
        said = note(
            "  {column!r} -> team field {field} ({type})",
            column=column.header,
            field=column.defn.name,
            type=column.defn.type,
        )
    elif column.field is not None:
        said = note(
            "  {column!r} -> free field {field!r}", column=column.header, field=column.field
        )
    elif column.label:
        said = note("  {column!r} -> ignored (a label)", column=column.header)
    else:
        said = note("  {column!r} -> ignored", column=column.header)
    return words(said)


def columns_heading() -> str:
    return words(note("Columns:"))


def problem_lines(problems: Sequence[Message], report: str | None) -> list[str]:
    """The first problems, one a line, and how many more there are."""
    lines = [words(p) for p in problems[:SHOWN]]
    more = len(problems) - SHOWN
    if more > 0 and report:
        lines.append(words(note("… and {count} more, all in {path}", count=more, path=report)))
    elif more > 0:
        lines.append(
            words(note("… and {count} more; see --report FILE for all of them", count=more))
        )
    return lines


def notices(messages: Sequence[Message]) -> list[str]:
    return [words(m) for m in messages]
