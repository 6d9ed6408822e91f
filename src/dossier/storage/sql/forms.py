"""The team's own forms: the SQL behind ``dossier field`` beyond the definitions
themselves (``SqliteStore.field_defs`` and friends): the values a field holds, adopting
the values typed before the field was defined, and dropping them with the field.

A value lives in ``field`` (client_id, key = the field's name, value), typed fields and
free ones alike; an empty value counts as no value.
"""

from __future__ import annotations

from .dialect import Connection, Dialect


class FormQueries:
    """Statements over the values of the team's fields."""

    conn: Connection
    dialect: Dialect

    def field_values(self, name: str) -> list[tuple[int, str]]:
        """(client id, value) of every dossier holding a value for ``name``, by id."""
        rows = self.conn.execute(
            "SELECT client_id, value FROM field WHERE key = ? ORDER BY client_id", (name,)
        )
        return [(int(client_id), str(value)) for client_id, value in rows]

    def adopt_field_key(self, name: str) -> int:
        """Give the values filed under another spelling of ``name`` (``Budget`` for
        ``budget``: case ignored) the definition's spelling; a dossier that holds both
        keeps the one already spelt so. Returns how many were renamed."""
        found = self.conn.execute(self.dialect.rename_key_sql(), {"name": name})
        return int(found.rowcount)

    def set_field_values(self, name: str, values: list[tuple[int, str]]) -> None:
        """Rewrite the values of ``name`` for these clients (a definition's canonical
        form)."""
        self.conn.executemany(
            "UPDATE field SET value = ? WHERE client_id = ? AND key = ?",
            [(value, client_id, name) for client_id, value in values],
        )

    def remove_field_values(self, name: str) -> int:
        """Delete every dossier's value of ``name``; returns how many there were."""
        return self.conn.execute("DELETE FROM field WHERE key = ?", (name,)).rowcount
