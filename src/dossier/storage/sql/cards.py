"""Cards, history and search: the SQL behind the client commands.

Functions take the connection of the command's one transaction (see ``db.py``) and speak
in ``records`` dataclasses. All values are bound parameters; no user text is ever put
into SQL.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Sequence
from datetime import date
from typing import Any

from ...domain.cadence import UNIT_DAYS, ColdRule
from ...domain.names import by_name, fold, fold_or_none, match_key, sort_key
from ...domain.records import STAGES, Client, Entry, Placement, Row
from .dialect import SQLITE, Connection, Dialect

CLIENT_COLUMNS = (
    "id, name, company, position, phones, email, stage, due, due_month, due_time, purpose,"
    " filed_at, archived_at, archive_reason, created_at, updated_at, more_emails, uid,"
    " every, owner, version"
)
ENTRY_COLUMNS = "id, client_id, at, kind, outcome, text"

# What counts as contact: a client none of these reached yet is a new client, whatever
# notes (``add --note``, ``log --kind note``) their history holds. The one definition of
# "new" for every query: rows, day loads, levelling, the demo's counts.
CONTACT_KINDS = ("call", "meeting", "email", "visit")
CONTACTED_SQL = (
    "EXISTS (SELECT 1 FROM entry e_c WHERE e_c.client_id = {client}"
    " AND e_c.kind IN (" + ", ".join(f"'{kind}'" for kind in CONTACT_KINDS) + "))"
)


def contacted_sql(client: str) -> str:
    """``CONTACTED_SQL`` for the client id column ``client`` (e.g. ``c.id``)."""
    return CONTACTED_SQL.format(client=client)


# The dossiers a view is limited to: one manager's (the user name, and whether the
# dossiers nobody owns yet count as theirs: a read-only file not yet adopted).
Scope = tuple[str, bool]

# --- clients -------------------------------------------------------------------------


# --- finding a client by what the user typed ------------------------------------------


KEY_COLUMNS = ("name_key", "company_key", "name_fold", "company_fold")


# --- tags and extra fields -----------------------------------------------------------


# --- history -------------------------------------------------------------------------


# --- the folder ----------------------------------------------------------------------


def filter_sql(
    tags: Sequence[str], stage: str | None, client: str = "id", owner: Scope | None = None
) -> tuple[str, list[Any]]:
    """The conditions (each starting `` AND``) and parameters for clients with every one of
    ``tags``, in ``stage`` and (``owner``, see ``Scope``) of one manager; ``client`` is the
    id column."""
    sql, params = owner_sql(owner, client)
    for tag in dict.fromkeys(tags):
        sql += f" AND {client} IN (SELECT client_id FROM tag WHERE tag = ?)"
        params.append(tag)
    if stage:
        sql += f" AND {client} IN (SELECT id FROM client WHERE stage = ?)"
        params.append(stage)
    return sql, params


def owner_sql(owner: Scope | None, client: str = "id") -> tuple[str, list[Any]]:
    """The condition (starting `` AND``) for the dossiers of ``owner`` (none: every
    dossier); ``client`` is the id column: of the client table itself (``id``,
    ``c.id``) the owner is read from the row, else through the client table."""
    if owner is None:
        return "", []
    name, unowned = owner
    if client == "id" or client.endswith(".id"):
        column = client[: -len("id")] + "owner"
        if unowned:
            return f" AND ({column} = ? OR {column} IS NULL)", [name]
        return f" AND {column} = ?", [name]
    either = " OR owner IS NULL" if unowned else ""
    return f" AND {client} IN (SELECT id FROM client WHERE owner = ?{either})", [name]


def _cold_sql(
    rule: ColdRule,
    tags: Sequence[str],
    stage: str | None,
    owner: Scope | None = None,
    d: Dialect = SQLITE,
) -> tuple[str, dict[str, Any]]:
    """The active clients gone cold, as ``id, cold`` (days since the last contact; never
    contacted: since the card was created). The cadence in force is the client's own,
    else the shortest of its tags' defaults, else its stage's (a tag named like a stage
    is not a tag's default)."""
    named: dict[str, Any] = {
        "today": rule.today.isoformat(),
        "defaults": json.dumps(dict(rule.defaults)),
        "stages": json.dumps(list(STAGES)),
        "days": rule.days,
        "factor": rule.factor,
    }
    only = ""
    if owner is not None:
        only += " AND (c.owner = :owner OR (:unowned = 1 AND c.owner IS NULL))"
        named.update(owner=owner[0], unowned=int(owner[1]))
    for number, tag in enumerate(dict.fromkeys(tags)):
        only += f" AND c.id IN (SELECT client_id FROM tag WHERE tag = :tag{number})"
        named[f"tag{number}"] = tag
    if stage:
        only += " AND c.stage = :stage"
        named["stage"] = stage
    # The units' days are dossier's own constants, not user text.
    units = " ".join(f"WHEN '{unit}' THEN {days!r}" for unit, days in UNIT_DAYS.items())
    count = "CAST(substr(c.every, 1, length(c.every) - 1) AS INTEGER)"
    own = f"{count} * CASE {d.last_char('c.every')} {units} END"
    if not rule.defaults:
        steps, joins = own, ""
    else:
        # The settings' cadence.NAME, each read once: the shortest of a client's tags'
        # (a tag named like a stage is not a tag's default), else its stage's. Joined,
        # not asked per client: 100,000 correlated lookups took half a second.
        steps = f"COALESCE({own}, tag_step.step, stage_step.step)"
        joins = """
            LEFT JOIN tag_step ON tag_step.client_id = c.id
            LEFT JOIN stage_step ON stage_step.stage = c.stage"""
    sql = f"""
        WITH tag_step AS MATERIALIZED (
            SELECT t.client_id, min(d.value) AS step
            FROM {d.json_numbers(":defaults", "d")} JOIN tag t ON t.tag = d.key
            WHERE d.key NOT IN (SELECT value FROM {d.json_texts(":stages")})
            GROUP BY t.client_id
        ),
        stage_step AS MATERIALIZED (
            SELECT d.key AS stage, d.value AS step FROM {d.json_numbers(":defaults", "d")}
            WHERE d.key IN (SELECT value FROM {d.json_texts(":stages")})
        ),
        known AS (
            SELECT c.id, {LAST_TOUCH} AS last, {steps} AS step
            FROM client c{joins}
            WHERE c.archived_at IS NULL{only}
        )
        SELECT id, CAST({d.day_diff(":today", "last")} AS INTEGER) AS cold FROM known
        WHERE {d.day_diff(":today", "last")}
            > CASE WHEN step IS NULL THEN :days ELSE :factor * step END"""
    return sql, named


# The day a client was last touched: its latest contact, else its card's creation. Written
# exactly as the covering index ``client_cold`` (m011) declares it, so that the cold count
# reads that index alone instead of 100,000 client rows.
LAST_TOUCH = "COALESCE(c.last_contact, substr(c.created_at, 1, 10))"

_CLIENT_FIELDS = [column.strip() for column in CLIENT_COLUMNS.split(",")]
_QUALIFIED = ", ".join(f"client.{column}" for column in _CLIENT_FIELDS)
_LATEST = ", ".join(f"latest.{column.strip()}" for column in ENTRY_COLUMNS.split(","))


_FOLDER_CONDITIONS = {
    "overdue": "due < ?",
    "on": "due = ?",
    "month": "due_month = ?",
    "month_overdue": "due_month < ?",
}


# --- search --------------------------------------------------------------------------


def _phrase(text: str) -> str:
    """``text`` as one FTS5 string: user text never becomes query syntax."""
    return '"' + text.replace('"', '""') + '"'


# --- helpers -------------------------------------------------------------------------


def _client_values(values: dict[str, Any]) -> dict[str, Any]:
    """Column values for a client, with the derived match keys kept in step."""
    row = dict(values)
    for key in ("phones", "more_emails"):
        if key in row:
            row[key] = json.dumps(row[key], ensure_ascii=False)
    if "name" in row:
        row["name_key"] = match_key(row["name"])
        row["name_fold"] = fold(row["name"])
        row["name_sort"] = sort_key(row["name"])
    if "company" in row:
        row["company_key"] = match_key(row["company"]) if row["company"] else None
        row["company_fold"] = fold_or_none(row["company"])
    return row


def stored_day(text: str, client_id: int) -> date:
    """A day read back from the file; one another program wrote wrong is an error line."""
    try:
        return date.fromisoformat(text)
    except ValueError:
        from ...domain.errors import StorageError

        raise StorageError(
            "client #{id} is filed on an impossible date {text!r} (written by another "
            "program?); run 'dossier check', then refile it with 'dossier file'",
            id=client_id,
            text=text,
        ) from None


def _client(row: Sequence[Any]) -> Client:
    (
        id_,
        name,
        company,
        position,
        phones,
        email,
        stage,
        due,
        month,
        time,
        purpose,
        filed_at,
        archived_at,
        reason,
        created,
        updated,
        more_emails,
        uid,
        every,
        owner,
        version,
    ) = row
    placement = None
    if due or month:
        placement = Placement(stored_day(due, id_) if due else None, month, time, purpose)
    return Client(
        id=id_,
        name=name,
        company=company,
        position=position,
        phones=json.loads(phones) if phones != "[]" else [],
        email=email,
        stage=stage,
        placement=placement,
        archived_at=archived_at,
        archive_reason=reason,
        created_at=created,
        updated_at=updated,
        filed_at=filed_at,
        more_emails=json.loads(more_emails) if more_emails != "[]" else [],
        uid=uid,
        every=every,
        owner=owner,
        version=version,
    )


class CardQueries:
    """The client commands' statements: cards, history, search, the day's rows."""

    conn: Connection
    dialect: Dialect
    scope: Scope | None  # the views' manager (``only_owner``); None: every dossier

    def insert_client(self, values: dict[str, Any], stamp: str) -> int:
        row = _client_values(values)
        row.update(created_at=stamp, updated_at=stamp)
        columns = ", ".join(row)
        marks = ", ".join(f":{name}" for name in row)
        cursor = self.conn.execute(
            f"INSERT INTO client ({columns}) VALUES ({marks}) RETURNING id", row
        )
        return int(cursor.fetchone()[0])

    def record_stage_change(self, client_id: int, day: date, before: str, after: str) -> None:
        self.conn.execute(
            "INSERT INTO stage_change (client_id, day, from_stage, to_stage) VALUES (?, ?, ?, ?)",
            (client_id, day.isoformat(), before, after),
        )

    def record_day_open(self, day: date, overdue: int) -> None:
        self.conn.execute(
            self.dialect.insert_or_ignore("day_open (day, overdue) VALUES (?, ?)"),
            (day.isoformat(), overdue),
        )

    def update_client(self, client_id: int, values: dict[str, Any], stamp: str) -> None:
        if "stage" in values:  # a move between stages is kept, on the command's day
            self.conn.execute(
                "INSERT INTO stage_change (client_id, day, from_stage, to_stage)"
                " SELECT id, ?, stage, ? FROM client WHERE id = ? AND stage != ?",
                (stamp[:10], values["stage"], client_id, values["stage"]),
            )
        row = _client_values(values)
        row["updated_at"] = stamp
        assignments = ", ".join(f"{name} = :{name}" for name in row)
        self.conn.execute(
            f"UPDATE client SET {assignments} WHERE id = :id", {**row, "id": client_id}
        )

    def place(
        self,
        client_id: int,
        placement: Placement | None,
        stamp: str,
    ) -> None:
        """Put the dossier in exactly one place (or none): the columns are overwritten together."""
        p = placement or Placement(None, None, None, None)
        self.conn.execute(
            "UPDATE client SET due = ?, due_month = ?, due_time = ?, purpose = ?, filed_at = ?,"
            " updated_at = ? WHERE id = ?",
            (
                p.due.isoformat() if p.due else None,
                p.month,
                p.at,
                p.purpose,
                stamp if placement else None,
                stamp,
                client_id,
            ),
        )

    def archive(self, client_id: int, reason: str | None, stamp: str) -> None:
        self.conn.execute(
            "UPDATE client SET archived_at = ?, archive_reason = ?, due = NULL, due_month = NULL,"
            " due_time = NULL, purpose = NULL, filed_at = NULL, updated_at = ? WHERE id = ?",
            (stamp, reason, stamp, client_id),
        )

    def unarchive(self, client_id: int, stamp: str) -> None:
        self.conn.execute(
            "UPDATE client SET archived_at = NULL, archive_reason = NULL, updated_at = ?"
            " WHERE id = ?",
            (stamp, client_id),
        )

    def delete_client(self, client_id: int) -> None:
        self.conn.execute("DELETE FROM client WHERE id = ?", (client_id,))

    def get_client(self, client_id: int) -> Client | None:
        found = self.clients_by_ids([client_id])
        return found[0] if found else None

    def clients_by_ids(self, ids: Sequence[int]) -> list[Client]:
        """Full cards (tags and fields included), in the order of ``ids``."""
        if not ids:
            return []
        param = json.dumps(list(ids))
        each = self.dialect.json_ids("?", "j")
        rows = self.conn.execute(
            f"SELECT {CLIENT_COLUMNS} FROM client WHERE id IN (SELECT value FROM {each})",
            (param,),
        ).fetchall()
        by_id = {row[0]: _client(row) for row in rows}
        for client_id, tag in self.conn.execute(
            f"SELECT client_id, tag FROM tag WHERE client_id IN (SELECT value FROM {each})"
            " ORDER BY tag",
            (param,),
        ):
            by_id[client_id].tags.append(tag)
        for client_id, key, value in self.conn.execute(
            "SELECT client_id, key, value FROM field"
            f" WHERE client_id IN (SELECT value FROM {each}) ORDER BY key",
            (param,),
        ):
            by_id[client_id].fields[key] = value
        return [by_id[i] for i in ids if i in by_id]

    def count_clients(self) -> int:
        count: int = self.conn.execute("SELECT count(*) FROM client").fetchone()[0]
        return count

    def same_name_and_company(self, name: str, company: str | None) -> int | None:
        row = self.conn.execute(
            "SELECT id FROM client WHERE name_key = ? AND coalesce(company_key, '') = ?",
            (match_key(name), match_key(company or "")),
        ).fetchone()
        return row[0] if row else None

    def list_clients(
        self,
        *,
        tags: Sequence[str] = (),
        stage: str | None = None,
        unfiled: bool = False,
        archived: bool = False,
        limit: int | None = None,
        missing: str | None = None,
    ) -> tuple[list[int], int]:
        """Ids of active (or archived) clients with every one of ``tags`` (and no value
        for the field ``missing``), in name order (with ``limit``, the first so many),
        and how many there are in all."""
        where = ["archived_at IS NOT NULL" if archived else "archived_at IS NULL"]
        params: list[Any] = []
        for tag in dict.fromkeys(tags):
            where.append("id IN (SELECT client_id FROM tag WHERE tag = ?)")
            params.append(tag)
        if stage:
            where.append("stage = ?")
            params.append(stage)
        if unfiled:
            where.append("due IS NULL AND due_month IS NULL")
        if missing is not None:
            where.append("id NOT IN (SELECT client_id FROM field WHERE key = ? AND value != '')")
            params.append(missing)
        condition = " AND ".join(where)
        rows = self.conn.execute(
            f"SELECT id, name_sort FROM client WHERE {condition} ORDER BY name_sort, id LIMIT ?",
            [*params, self.dialect.no_limit if limit is None else limit],
        ).fetchall()
        ids = [row[0] for row in rows]
        if rows and rows[0][1] is None:
            # A row another program wrote has no sort key (NULLs sort first): every name is
            # put in order here instead, as the index would have.
            every = self.conn.execute(f"SELECT id, name FROM client WHERE {condition}", params)
            ids = by_name(every)[:limit]
        if limit is None or len(ids) < limit:
            return ids, len(ids)
        total = self.conn.execute(
            f"SELECT count(*) FROM client WHERE {condition}", params
        ).fetchone()
        return ids, int(total[0])

    def candidates(self, column: str, how: str, key: str) -> list[tuple[Any, ...]]:
        """Clients whose name or company key (``name_key``, ``company_key``) or folded key
        (``name_fold``, ``company_fold``) equals, starts with or contains ``key``.

        Equality and prefixes are searches on the column's index; a substring is a scan of
        it, run only when no level before it matched.
        """
        assert column in KEY_COLUMNS and how in ("exact", "prefix", "substring")
        d = self.dialect
        condition = {
            "exact": f"{column} = :key",
            # A range on the index instead of LIKE, which cannot use it for case-folded text.
            "prefix": f"{column} >= :key AND {column} < :key || {d.top_char()}",
            # The ids first, from a scan of the column's index alone (it holds the keys):
            # reading each whole row to test it costs twenty times as much at 100k clients.
            "substring": f"id IN (SELECT id FROM client WHERE {d.position(column, ':key')} > 0)",
        }[how]
        return self.conn.execute(
            f"SELECT id, name, company, archived_at FROM client WHERE {condition}"
            " ORDER BY name_key, id LIMIT 50",
            {"key": key},
        ).fetchall()

    def all_names(self) -> list[tuple[int, str, str | None]]:
        return self.conn.execute("SELECT id, name, company FROM client").fetchall()

    def folded_names(self) -> list[tuple[str, int]]:
        """Every folded name with the lowest id that carries it (for "closest" suggestions).

        Grouped in SQL so that a folder of many namesakes hands Python each spelling once.
        """
        return self.conn.execute(
            "SELECT name_fold, min(id) FROM client WHERE name_fold IS NOT NULL GROUP BY name_fold"
        ).fetchall()

    def client_labels(self, ids: Sequence[int]) -> list[tuple[Any, ...]]:
        """(id, name, company, archived_at) of these clients, in the order of ``ids``."""
        rows = self.conn.execute(
            "SELECT id, name, company, archived_at FROM client"
            f" WHERE id IN (SELECT value FROM {self.dialect.json_ids('?', 'j')})",
            (json.dumps(list(ids)),),
        ).fetchall()
        by_id = {row[0]: row for row in rows}
        return [by_id[i] for i in ids if i in by_id]

    def add_tags(self, client_id: int, tags: Iterable[str]) -> None:
        self.conn.executemany(
            self.dialect.insert_or_ignore("tag (client_id, tag) VALUES (?, ?)"),
            [(client_id, tag) for tag in tags],
        )

    def remove_tags(self, client_id: int, tags: Iterable[str]) -> None:
        self.conn.executemany(
            "DELETE FROM tag WHERE client_id = ? AND tag = ?", [(client_id, tag) for tag in tags]
        )

    def set_fields(self, client_id: int, fields: dict[str, str]) -> None:
        self.conn.executemany(
            "INSERT INTO field (client_id, key, value) VALUES (?, ?, ?)"
            " ON CONFLICT (client_id, key) DO UPDATE SET value = excluded.value",
            [(client_id, key, value) for key, value in fields.items()],
        )

    def unset_fields(self, client_id: int, keys: Iterable[str]) -> None:
        self.conn.executemany(
            "DELETE FROM field WHERE client_id = ? AND key = ?", [(client_id, k) for k in keys]
        )

    def insert_entry(
        self,
        client_id: int,
        at: str,
        kind: str,
        outcome: str | None,
        text: str,
    ) -> int:
        cursor = self.conn.execute(
            "INSERT INTO entry (client_id, at, kind, outcome, text) VALUES (?, ?, ?, ?, ?)"
            " RETURNING id",
            (client_id, at, kind, outcome, text),
        )
        return int(cursor.fetchone()[0])

    def history(self, client_id: int, limit: int | None = None) -> list[Entry]:
        """The whole history, newest first (with ``limit``, the newest so many)."""
        rows = self.conn.execute(
            f"SELECT {ENTRY_COLUMNS} FROM entry"
            f" WHERE client_id = ? ORDER BY at DESC, id DESC LIMIT ?",
            (client_id, self.dialect.no_limit if limit is None else limit),
        )
        return [Entry(*row) for row in rows]

    def history_size(self, client_id: int) -> int:
        """How many entries a client's history holds (an index count)."""
        row = self.conn.execute("SELECT count(*) FROM entry WHERE client_id = ?", (client_id,))
        return int(row.fetchone()[0])

    def latest_entries(self, ids: Sequence[int]) -> dict[int, Entry]:
        """Each client's most recent history entry, in one statement."""
        if not ids:
            return {}
        rows = self.conn.execute(
            f"SELECT {ENTRY_COLUMNS} FROM entry WHERE id IN ("
            " SELECT (SELECT e.id FROM entry e WHERE e.client_id = c.value"
            "         ORDER BY e.at DESC, e.id DESC LIMIT 1)"
            f" FROM {self.dialect.json_ids('?', 'c')})",
            (json.dumps(list(ids)),),
        )
        return {row[1]: Entry(*row) for row in rows}

    def due_rows(
        self,
        condition: str,
        params: Sequence[Any],
        tags: Sequence[str] = (),
        stage: str | None = None,
        limit: int | None = None,
    ) -> list[Row]:
        """Dossiers in a part of the folder (with every one of ``tags`` and in ``stage``, if
        given), each with its latest history entry, found in the same statement (one index
        probe per dossier); with ``limit``, only the first (the oldest filed) so many."""
        assert condition in _FOLDER_CONDITIONS
        only, more = filter_sql(tags, stage, "client.id", self.scope)
        rows = self.conn.execute(
            f"SELECT {_QUALIFIED}, {contacted_sql('client.id')}, {_LATEST}"
            " FROM client LEFT JOIN entry latest ON latest.id = ("
            "  SELECT e.id FROM entry e WHERE e.client_id = client.id"
            "  ORDER BY e.at DESC, e.id DESC LIMIT 1)"
            f" WHERE {_FOLDER_CONDITIONS[condition]}{only}"
            " ORDER BY due, due_month, due_time IS NULL, due_time, name_key, client.id LIMIT ?",
            [*params, *more, self.dialect.no_limit if limit is None else limit],
        ).fetchall()
        width = len(_CLIENT_FIELDS)
        return [
            Row(
                _client(row[:width]),
                Entry(*row[width + 1 :]) if row[width + 1] is not None else None,
                row[width] == 1,
            )
            for row in rows
        ]

    def due_count(
        self,
        condition: str,
        params: Sequence[Any],
        tags: Sequence[str] = (),
        stage: str | None = None,
    ) -> int:
        """How many dossiers ``due_rows`` would give without a limit (an index count)."""
        assert condition in _FOLDER_CONDITIONS
        only, more = filter_sql(tags, stage, "id", self.scope)
        row = self.conn.execute(
            f"SELECT count(*) FROM client WHERE {_FOLDER_CONDITIONS[condition]}{only}",
            [*params, *more],
        ).fetchone()
        return int(row[0])

    def rows_with_history(self, clients: list[Client]) -> list[Row]:
        """Cards with their latest entry; a client no call, meeting, e-mail or visit reached
        yet is a new client (see ``CONTACT_KINDS``)."""
        ids = [c.id for c in clients]
        last = self.latest_entries(ids)
        reached = self.contacted_ids(ids)
        return [Row(c, last.get(c.id), c.id in reached) for c in clients]

    def contacted_ids(self, ids: Sequence[int]) -> set[int]:
        """Those of ``ids`` that have been contacted (not new clients), in one statement."""
        if not ids:
            return set()
        rows = self.conn.execute(
            f"SELECT c.value FROM {self.dialect.json_ids('?', 'c')}"
            f" WHERE {contacted_sql('c.value')}",
            (json.dumps(list(ids)),),
        )
        return {row[0] for row in rows}

    def next_due_day(self, after: date) -> tuple[date, int] | None:
        mine, who = owner_sql(self.scope)
        row = self.conn.execute(
            "SELECT min(due), count(*) FROM client WHERE due = (SELECT min(due) FROM client"
            f" WHERE due > ?{mine}){mine}",
            (after.isoformat(), *who, *who),
        ).fetchone()
        return (date.fromisoformat(row[0]), row[1]) if row and row[0] else None

    def next_month_tab(self, after_month: str) -> tuple[str, int] | None:
        mine, who = owner_sql(self.scope)
        row = self.conn.execute(
            "SELECT min(due_month), count(*) FROM client"
            f" WHERE due_month = (SELECT min(due_month) FROM client WHERE due_month > ?{mine})"
            f"{mine}",
            (after_month, *who, *who),
        ).fetchone()
        return (row[0], row[1]) if row and row[0] else None

    def unfiled_active(
        self, limit: int = 10, tags: Sequence[str] = (), stage: str | None = None
    ) -> tuple[int, list[tuple[int, str]]]:
        """How many active dossiers (with ``tags``, in ``stage``) are filed nowhere, and the
        first few by name."""
        only, params = filter_sql(tags, stage, "id", self.scope)
        where = f"archived_at IS NULL AND due IS NULL AND due_month IS NULL{only}"
        # Named: without statistics SQLite would count through the wider index of every
        # active client (client_name_sort), reading each row.
        table = self.dialect.indexed_by("client", "client_unfiled")
        count = self.conn.execute(f"SELECT count(*) FROM {table} WHERE {where}", params).fetchone()[
            0
        ]
        first = self.conn.execute(
            f"SELECT id, name FROM {table} WHERE {where} ORDER BY name_key LIMIT ?",
            (*params, limit),
        ).fetchall()
        return int(count), first

    def cold_clients(
        self, rule: ColdRule, tags: Sequence[str] = (), stage: str | None = None
    ) -> list[tuple[int, int]]:
        """Active clients gone cold (see ``ColdRule``), the longest cold first: each id
        with the days since its last contact."""
        sql, params = _cold_sql(rule, tags, stage, self.scope, self.dialect)
        rows = self.conn.execute(
            f"SELECT id, cold FROM ({sql}) AS cold_rows ORDER BY cold DESC, id", params
        )
        return [(int(client_id), int(days)) for client_id, days in rows]

    def cold_count(self, rule: ColdRule) -> int:
        """How many active clients have gone cold: one query, for 'today'."""
        sql, params = _cold_sql(rule, (), None, self.scope, self.dialect)
        found = self.conn.execute(f"SELECT count(*) FROM ({sql}) AS cold_rows", params)
        count: int = found.fetchone()[0]
        return count

    def search_cards(self, text: str, limit: int) -> list[int]:
        """Clients whose name, company, e-mail or phone contains ``text`` (phones also by
        their digits alone, whatever the punctuation, and in whatever script typed)."""
        from ...domain.dates import ascii_digits

        digits = re.sub(r"[^0-9]", "", ascii_digits(text))
        needle = " ".join(text.split())
        if len(needle) >= 3:
            # The trigram index answers substring questions without reading every card.
            query = _phrase(needle)
            if len(digits) >= 3:
                query += f" OR digits : {_phrase(digits)}"
            rows = self.conn.execute(
                "SELECT c.id, c.name FROM client_fts f JOIN client c ON c.id = f.rowid"
                " WHERE client_fts MATCH ? LIMIT ?",
                (query, limit * 5),
            ).fetchall()
            return by_name(rows)[:limit]
        key = match_key(text)
        d = self.dialect
        found = " OR ".join(
            f"{d.position(column, ':key')} > 0"
            for column in ("name_key", "company_key", "lower(email)", "lower(phones)")
        )
        scanned = self.conn.execute(
            f"SELECT id, name FROM client WHERE {found}"
            f" ORDER BY {d.no_index('name_key')} LIMIT :limit",
            {"key": key, "limit": limit},
        )
        return by_name(scanned)

    def search_history(self, text: str, limit: int) -> list[Entry]:
        """History entries containing every word of ``text`` (word prefixes), newest first."""
        words = re.findall(r"\w+", text)
        if not words:
            return []
        query = " ".join(_phrase(word) + "*" for word in words)
        rows = self.conn.execute(
            f"SELECT {ENTRY_COLUMNS} FROM entry WHERE id IN ("
            " SELECT rowid FROM entry_fts WHERE entry_fts MATCH ? ORDER BY rowid DESC LIMIT ?)"
            " ORDER BY at DESC, id DESC",
            (query, limit),
        )
        return [Entry(*row) for row in rows]
