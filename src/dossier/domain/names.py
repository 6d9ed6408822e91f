"""Names as people type, compare and sort them: one rule for storing, matching and ordering.

Pure text functions: the storage engine keeps their results in key columns (``name_key``,
``name_fold``, ``name_sort``) so that lookups and ordering run on an index, and import
files, lookups and the migrations all compute the same keys from here.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable


def normalise(text: str) -> str:
    """How names are stored: NFC, trimmed, inner runs of space folded to one."""
    return " ".join(unicodedata.normalize("NFC", text).split())


def match_key(text: str) -> str:
    """How names are compared: normalised and case-folded (``Ä`` typed as NFD finds ``Ä``)."""
    return unicodedata.normalize("NFC", normalise(text).casefold())


# Letters that are not a base letter plus a mark, so NFKD leaves them whole, written the
# way people type them without the special key: "ostergaard" finds "Østergaard".
_LETTERS = str.maketrans(
    {
        "ø": "o",
        "æ": "ae",
        "œ": "oe",
        "ł": "l",
        "đ": "d",
        "ð": "d",
        "þ": "th",
        "ħ": "h",
        "ŧ": "t",
        "\u0131": "i",  # dotless i
        "ĸ": "k",
        "ŀ": "l",
        "ŉ": "n",
    }
)


class _Dropped(dict[int, "int | None"]):
    """What ``fold`` keeps of each character: marks and control or format characters
    dropped (None), everything else itself; each decided once, on first sight, so that
    folding a 100,000-row import runs in ``str.translate`` rather than a loop."""

    def __missing__(self, code: int) -> int | None:
        kept = None if unicodedata.category(chr(code)) in ("Mn", "Me", "Cc", "Cf") else code
        self[code] = kept
        return kept


_DROPPED = _Dropped()


def fold(text: str) -> str:
    """How names are compared when the user leaves accents out: the match key without
    marks (``Núñez`` -> ``nunez``, ``Íñigo`` -> ``inigo``, ``Müller`` -> ``muller``,
    ``Østergaard`` -> ``ostergaard``, ``Straße`` -> ``strasse``).

    NFKD splits a letter from its accents, which are then dropped; case folding comes
    after it, so that compatibility forms fold too. Control and format characters go as
    well: no one can type the escape code someone pasted into a name. The result is NFC,
    so typed and stored text compare equal however they were composed.

    >>> fold("José Núñez"), fold("ÍÑIGO"), fold("Søren Østergaard"), fold("Ærø  Łódź")
    ('jose nunez', 'inigo', 'soren ostergaard', 'aero lodz')
    """
    if text.isascii() and text.isprintable():
        # Nothing to decompose or drop (most names, and every import of them pays this).
        return " ".join(text.lower().split())
    spaced = " ".join(text.split())  # a tab or newline parts words; other controls go
    decomposed = unicodedata.normalize("NFKD", spaced).casefold().translate(_LETTERS)
    kept = unicodedata.normalize("NFKD", decomposed).translate(_DROPPED)
    return unicodedata.normalize("NFC", " ".join(kept.split()))


_DIGITS = re.compile(r"(\d+)")


def name_order(name: str) -> tuple[str | int, ...]:
    """How names sort, as people read them: accents with their base letter (Íñigo among
    the I's), case ignored, numbers in number order (``Lead 2`` before ``Lead 10``).

    ``ñ`` is the one letter kept apart, as Spanish has it: after every ``n`` and before
    ``o`` (``Nuno``, ``Nuñez``, ``Nuo``). The key alternates text and numbers, so any two
    keys compare part by part.

    >>> sorted(["Lead 10", "lead 2", "Nuñez", "Nuno", "Íñigo", "Igor", "Oscar"], key=name_order)
    ['Igor', 'Íñigo', 'lead 2', 'Lead 10', 'Nuno', 'Nuñez', 'Oscar']
    """
    text = unicodedata.normalize("NFC", name).casefold()
    if "ñ" in text:
        # Kept through the fold as a private-use mark, then made a letter after every n
        # (and its accented forms) and before o.
        text = fold(text.replace("ñ", "\ue000")).replace("\ue000", "n\x7f")
    else:
        text = fold(text)
    parts = _DIGITS.split(text)
    return tuple(int(part) if i % 2 else part for i, part in enumerate(parts))


def sort_key(name: str) -> str:
    """``name_order`` as one string that sorts the same way, for the ``name_sort``
    column (ORDER BY, an index). Each number becomes ``\x01``, its count of digits as
    one character, then the digits: below any letter, fewer digits first, so
    ``Lead 2`` < ``Lead 10`` < ``Leader``, as the tuples compare.

    >>> names = ["Lead 10", "lead 2", "Leader", "Nuñez", "Nuno", "Íñigo", "Igor", "007"]
    >>> sorted(names, key=sort_key) == sorted(names, key=name_order)
    True
    """
    parts = name_order(name)
    return "".join(
        part if isinstance(part, str) else f"\x01{chr(48 + len(str(part)))}{part}" for part in parts
    )


def by_name(rows: Iterable[tuple[int, str]]) -> list[int]:
    """The ids of (id, name) rows in name order (``name_order``), then by id."""
    return [i for i, _ in sorted(rows, key=lambda r: (name_order(r[1]), r[0]))]


def fold_or_none(text: str | None) -> str | None:
    """``fold`` for a column that may be NULL (a company), as the migration's SQL function."""
    return fold(text) if text else None
