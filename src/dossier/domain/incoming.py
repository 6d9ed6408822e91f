"""A client as a file brings it in, before it is checked: the common shape of every reader.

The CSV reader and the vCard reader each turn their file into ``Incoming`` records; one
checker then validates them all the same way (names, stages, dates, typed fields,
duplicates) and reports every problem with the record's place in the file. Values are
kept exactly as written (``+34 600 12 34 56``, ``00123``): nothing is coerced here.
"""

from __future__ import annotations

from dataclasses import dataclass, field

# The card's own keys an incoming record may carry; anything else is a field of the
# client, under the header (or vCard property) it came with.
KEYS = (
    "name",  # the whole name (Name, Full Name, FN)
    "first",  # given name (First Name, Nombre when Apellidos is also there, N)
    "last",  # family name (Last Name, Apellidos, N)
    "company",
    "position",
    "phone",  # several
    "email",  # several
    "stage",
    "tags",  # several (a cell "a, b; c" is already split)
    "next",  # the DATE to file the dossier at, as written
    "at",  # HH:MM that day
    "for",  # what the next contact is about
    "note",  # a first history note
    "uid",  # a vCard's UID
)


@dataclass
class Incoming:
    """One record of an import file, its values as written, with where it came from."""

    line: int  # the 1-based line of the file where the record starts
    values: dict[str, list[str]] = field(default_factory=dict)  # KEYS -> values, in order
    fields: dict[str, str] = field(default_factory=dict)  # other columns: header -> value
    columns: dict[str, str] = field(default_factory=dict)  # key -> the column it came from

    def first(self, key: str) -> str:
        """The first non-empty value of ``key``, or ``""``."""
        return next((v for v in self.values.get(key, []) if v.strip()), "")

    def add(self, key: str, value: str, column: str | None = None) -> None:
        """Append ``value`` under ``key`` (kept as written; empty values are dropped)."""
        if value.strip():
            self.values.setdefault(key, []).append(value.strip())
            if column is not None:
                self.columns.setdefault(key, column)
