"""The team's own forms: the SQL behind ``dossier field`` beyond the definitions
themselves (``SqliteStore.field_defs`` and friends): the values a field holds, adopting
the values typed before the field was defined, and dropping them with the field.

A value lives in ``field`` (client_id, key = the field's name, value), typed fields and
free ones alike; an empty value counts as no value.
"""

from __future__ import annotations

import json

from ...domain.fields import FieldDef
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

    def field_defs(self) -> list[FieldDef]:
        rows = self.conn.execute(
            "SELECT name, type, choices, required, label FROM field_def ORDER BY position, id"
        )
        return [
            FieldDef(name, kind, tuple(json.loads(choices)), bool(required), label)
            for name, kind, choices, required, label in rows
        ]

    def add_field_def(self, defn: FieldDef) -> None:
        self.conn.execute(
            "INSERT INTO field_def (name, type, choices, required, label, position)"
            " VALUES (?, ?, ?, ?, ?, (SELECT coalesce(max(position), 0) + 1 FROM field_def))",
            (
                defn.name,
                defn.type,
                json.dumps(list(defn.choices), ensure_ascii=False),
                int(defn.required),
                defn.label,
            ),
        )

    def remove_field_def(self, name: str) -> None:
        self.conn.execute("DELETE FROM field_def WHERE name = ?", (name,))

    def field_value_count(self, name: str) -> int:
        """How many dossiers hold a value for the field ``name``."""
        found = self.conn.execute("SELECT count(*) FROM field WHERE key = ?", (name,))
        count: int = found.fetchone()[0]
        return count

    def client_ids(self) -> list[int]:
        return [row[0] for row in self.conn.execute("SELECT id FROM client ORDER BY id")]

    def client_exists(self, client_id: int) -> bool:
        found = self.conn.execute("SELECT 1 FROM client WHERE id = ?", (client_id,))
        return found.fetchone() is not None

    def client_identities(
        self,
    ) -> list[tuple[int, str, str | None, list[str], list[str], str | None]]:
        """Each client's identity (id, name, company, e-mails, phones, vCard uid)."""
        rows = self.conn.execute(
            "SELECT id, name, company, email, more_emails, phones, uid FROM client ORDER BY id"
        )
        return [
            (
                client_id,
                name,
                company,
                ([email] if email else []) + (json.loads(more) if more and more != "[]" else []),
                json.loads(phones) if phones and phones != "[]" else [],
                uid,
            )
            for client_id, name, company, email, more, phones, uid in rows
        ]
