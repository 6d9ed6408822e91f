"""The schema migrations: they build what the SQLModel models describe, record each step,
back an old file up before touching it, and refuse files they must not touch.

``models.py`` is the schema of record and ``migrations.py`` the SQL that SQLite runs; the
first tests build both on separate files and compare them column by column, then compare
the CHECK and foreign-key constraints by what each database accepts and refuses.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import create_engine
from sqlmodel import SQLModel

from conftest import Result, dump
from dossier.domain import names, records
from dossier.domain.names import fold
from dossier.storage import schema as models
from dossier.storage.sqlite import SqliteStore, migrations
from dossier.storage.sqlite.db import open_database
from test_schema_of_record import DERIVED  # the columns derived, never read into a card

# The FTS5 indexes (history text, card substrings) are not models: they are SQLite
# machinery kept in step by triggers. These are the table names SQLite creates for them.
FTS_TABLES = {
    f"{index}{suffix}"
    for index in ("entry_fts", "client_fts")
    for suffix in ("", "_data", "_idx", "_docsize", "_config", "_content")
}

MODEL_CLASSES: list[Any] = sorted(
    (
        obj
        for obj in vars(models).values()
        if isinstance(obj, type)
        and issubclass(obj, SQLModel)
        and obj is not SQLModel
        and hasattr(obj, "__table__")
    ),
    key=lambda cls: cls.__tablename__,
)
MODEL_TABLES = {cls.__tablename__: cls.__table__ for cls in MODEL_CLASSES}


# --------------------------------------------------------------------------- helpers


def connect(path: Path) -> sqlite3.Connection:
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("PRAGMA foreign_keys = ON")
    return conn


def tables(conn: sqlite3.Connection) -> set[str]:
    rows = conn.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
    )
    return {name for (name,) in rows}


def table_columns(conn: sqlite3.Connection, table: str) -> dict[str, dict[str, Any]]:
    """Per column: declared type, effective NOT NULL, position in the primary key, default.

    A single INTEGER PRIMARY KEY is SQLite's rowid: it can never hold NULL (a NULL is
    replaced by a new id), whether or not ``NOT NULL`` was spelled out, so it counts as
    NOT NULL on both sides.
    """
    info = conn.execute(f"PRAGMA table_info({table})").fetchall()
    pk_columns = [row for row in info if row[5] > 0]
    result: dict[str, dict[str, Any]] = {}
    for _cid, name, declared, notnull, default, pk in info:
        rowid_alias = pk > 0 and len(pk_columns) == 1 and declared.upper() == "INTEGER"
        result[name] = {
            "type": declared.upper(),
            "notnull": bool(notnull) or rowid_alias,
            "pk": pk,
            "default": default,
        }
    return result


def foreign_keys(conn: sqlite3.Connection, table: str) -> set[tuple[str, str, str, str]]:
    rows = conn.execute(f"PRAGMA foreign_key_list({table})").fetchall()
    # (id, seq, table, from, to, on_update, on_delete, match)
    return {(row[3], row[2], row[4], row[6]) for row in rows}


def sql_literal(default: str | None) -> tuple[bool, Any]:
    """A column's DEFAULT as a Python value, when it is a plain literal."""
    if default is None:
        return True, None
    text = default.strip()
    if len(text) >= 2 and text[0] == text[-1] == "'":
        return True, text[1:-1].replace("''", "'")
    try:
        return True, int(text)
    except ValueError:
        return False, text  # an expression such as datetime('now'): not comparable


def snapshot(path: Path) -> tuple[bytes, int]:
    stat = path.stat()
    return path.read_bytes(), stat.st_mtime_ns


def assert_untouched(path: Path, before: tuple[bytes, int]) -> None:
    """Same bytes and same modification time; on failure, say which bytes changed."""
    data, mtime = snapshot(path)
    old_data, old_mtime = before
    changed = [i for i, (a, b) in enumerate(zip(old_data, data, strict=False)) if a != b]
    assert (len(data), changed[:8], mtime) == (len(old_data), [], old_mtime), (
        f"{path.name} was modified: size {len(old_data)} -> {len(data)}, "
        f"{len(changed)} bytes changed (offsets {changed[:8]}), mtime changed: {mtime != old_mtime}"
    )


def assert_refused(result: Result, path: Path, *words: str) -> None:
    assert result.exit_code == 1, result
    assert result.stdout == "", result
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result
    assert lines[0].startswith("dossier: "), result
    assert str(path) in lines[0], result
    assert "Traceback" not in result.stderr
    for word in words:
        assert word in lines[0], result


@pytest.fixture
def model_db(tmp_path: Path) -> Path:
    """The schema exactly as the SQLModel classes describe it, on its own file."""
    path = tmp_path / "from-models.db"
    engine = create_engine(f"sqlite:///{path}")
    try:
        SQLModel.metadata.create_all(engine, tables=list(MODEL_TABLES.values()))
    finally:
        engine.dispose()
    return path


@pytest.fixture
def migrated_db(tmp_path: Path) -> Path:
    """A blank file brought to the latest version by dossier's own start-up."""
    path = tmp_path / "migrated" / "dossier.db"
    open_database(path).close()
    return path


@pytest.fixture
def both(model_db: Path, migrated_db: Path) -> Iterator[dict[str, sqlite3.Connection]]:
    conns = {"models": connect(model_db), "migrations": connect(migrated_db)}
    try:
        yield conns
    finally:
        for conn in conns.values():
            conn.close()


@pytest.fixture
def one_more_step(monkeypatch: pytest.MonkeyPatch) -> Any:
    """Pretend this dossier ships extra migration steps after the current ones."""

    def install(*steps: tuple[str, str]) -> int:
        patched = [*migrations.MIGRATIONS, *steps]
        monkeypatch.setattr(migrations, "MIGRATIONS", patched)
        monkeypatch.setattr(migrations, "LATEST", len(patched))
        return len(patched)

    return install


# ------------------------------------------------ migrations build what the models say


def test_migrations_create_exactly_the_model_tables(both: dict[str, sqlite3.Connection]) -> None:
    assert MODEL_TABLES, "no SQLModel table classes found in dossier.storage.schema"
    assert tables(both["models"]) == set(MODEL_TABLES)
    migrated = tables(both["migrations"])
    assert migrated - FTS_TABLES == set(MODEL_TABLES)
    assert "entry_fts" in migrated


@pytest.mark.parametrize("table", sorted(MODEL_TABLES))
def test_columns_types_nullability_and_keys_match_the_models(
    both: dict[str, sqlite3.Connection], table: str
) -> None:
    expected = table_columns(both["models"], table)
    actual = table_columns(both["migrations"], table)
    assert list(actual) == list(expected), f"{table}: column names or order differ"
    for name in expected:
        for aspect in ("type", "notnull", "pk"):
            assert actual[name][aspect] == expected[name][aspect], (
                f"{table}.{name}: {aspect} is {actual[name][aspect]!r} in the migrations, "
                f"{expected[name][aspect]!r} in the models"
            )


@pytest.mark.parametrize("table", sorted(MODEL_TABLES))
def test_foreign_keys_match_the_models(both: dict[str, sqlite3.Connection], table: str) -> None:
    assert foreign_keys(both["migrations"], table) == foreign_keys(both["models"], table)


@pytest.mark.parametrize("table", sorted(MODEL_TABLES))
def test_literal_defaults_match_the_models(migrated_db: Path, table: str) -> None:
    """A DEFAULT in the SQL is the model's default, and the other way round."""
    conn = connect(migrated_db)
    try:
        actual = table_columns(conn, table)
    finally:
        conn.close()
    for column in MODEL_TABLES[table].columns:
        model_default = column.default.arg if column.default is not None else None
        if callable(model_default):
            continue
        comparable, sql_default = sql_literal(actual[column.name]["default"])
        if not comparable:
            continue
        assert sql_default == model_default, (
            f"{table}.{column.name}: DEFAULT {actual[column.name]['default']!r} in the "
            f"migrations, {model_default!r} in the models"
        )


def test_every_index_the_models_declare_exists(migrated_db: Path) -> None:
    """A column the models index (lookups by name, tag, a client's history) is indexed."""
    conn = connect(migrated_db)
    try:
        leading: set[tuple[str, str]] = set()
        for table in MODEL_TABLES:
            for index in conn.execute(f"PRAGMA index_list({table})").fetchall():
                first = conn.execute(f"PRAGMA index_info({index[1]})").fetchone()
                leading.add((table, first[2]))
    finally:
        conn.close()
    for table, sa_table in MODEL_TABLES.items():
        for index in sa_table.indexes:
            first_column = next(iter(index.columns)).name
            assert (table, first_column) in leading, f"no index on {table}.{first_column}"


# --- CHECK, NOT NULL and foreign keys, compared by what each database refuses


STAMP = "2024-07-05T09:30:00"
CLIENT = {
    "id": 1,
    "name": "Acme",
    "name_key": "acme",
    "phones": "[]",
    "stage": "lead",
    "created_at": STAMP,
    "updated_at": STAMP,
}
ENTRY = {"id": 1, "client_id": 1, "at": STAMP, "kind": "call", "outcome": None, "text": "hi"}
TAG = {"client_id": 1, "tag": "vip"}
FIELD = {"client_id": 1, "key": "budget", "value": "12k"}
MIGRATION = {"version": 99, "name": "m099_future", "applied_at": STAMP}
CHANGE = {"id": 1, "at": STAMP, "command": "dossier edit Acme --name Acme"}
UNDO_STEP = {
    "id": 1,
    "change_id": 1,
    "op": "update",
    "tbl": "client",
    "row_id": 1,
    "last_id": None,
    "old": '{"name": "Acme"}',
}

BASE = {
    "client": CLIENT,
    "entry": ENTRY,
    "tag": TAG,
    "field": FIELD,
    "migration": MIGRATION,
    "change": CHANGE,
    "undo_step": UNDO_STEP,
}
# The row each table's base row refers to, inserted first.
PARENT = {"entry": "client", "tag": "client", "field": "client", "undo_step": "change"}

REFUSED = [
    ("client", {"name": "   "}, "blank name"),
    ("client", {"name": ""}, "empty name"),
    ("client", {"name": None}, "null name"),
    ("client", {"name_key": None}, "null name key"),
    ("client", {"phones": None}, "null phones"),
    ("client", {"stage": "customer"}, "unknown stage"),
    ("client", {"stage": None}, "null stage"),
    ("client", {"due": "2024-07-10", "due_month": "2024-08"}, "two places at once"),
    ("client", {"due_time": "09:00"}, "a time without a day"),
    ("client", {"archived_at": STAMP, "due": "2024-07-10"}, "archived but on a day"),
    ("client", {"archived_at": STAMP, "due_month": "2024-08"}, "archived but on a month"),
    ("client", {"created_at": None}, "null created"),
    ("client", {"updated_at": None}, "null updated"),
    ("entry", {"kind": "fax"}, "unknown kind"),
    ("entry", {"kind": None}, "null kind"),
    ("entry", {"outcome": "maybe"}, "unknown outcome"),
    ("entry", {"at": None}, "null at"),
    ("entry", {"text": None}, "null text"),
    ("entry", {"client_id": 999}, "entry of a missing client"),
    ("tag", {"client_id": 999}, "tag of a missing client"),
    ("tag", {"tag": None}, "null tag"),
    ("field", {"client_id": 999}, "field of a missing client"),
    ("field", {"value": None}, "null field value"),
    ("migration", {"name": None}, "null migration name"),
    ("change", {"command": None}, "null change command"),
    ("undo_step", {"op": "DROP TABLE client"}, "unknown undo operation"),
    ("undo_step", {"op": None}, "null undo operation"),
    ("undo_step", {"tbl": "migration"}, "undo step on a table undo does not revert"),
    ("undo_step", {"tbl": None}, "null undo table"),
    ("undo_step", {"row_id": None}, "undo step without a row"),
    ("undo_step", {"change_id": 999}, "undo step of a missing change"),
]

ACCEPTED = [
    ("client", {}, "plain client"),
    ("client", {"due": "2024-07-10", "due_time": "09:00"}, "a day with a time"),
    ("client", {"due_month": "2024-08", "purpose": "budget"}, "a month tab"),
    ("client", {"archived_at": STAMP, "archive_reason": "won"}, "archived, unfiled"),
    ("client", {"stage": "dormant"}, "another stage"),
    ("entry", {}, "plain entry"),
    ("entry", {"kind": "note", "outcome": "proposal-sent"}, "entry with an outcome"),
    ("tag", {}, "a tag"),
    ("field", {}, "a field"),
    ("migration", {}, "a migration row"),
    ("change", {}, "a change"),
    ("undo_step", {}, "an undo step"),
    ("undo_step", {"op": "insert", "tbl": "day_off", "old": None}, "an inserted day off"),
    ("undo_step", {"op": "delete_range", "last_id": 9, "old": None}, "a bulk load's step"),
]


def try_insert(conn: sqlite3.Connection, table: str, changes: dict[str, Any]) -> str:
    """Insert the base rows plus one changed row; say whether the database took it."""
    conn.execute("BEGIN")
    try:
        if table in PARENT:
            insert(conn, PARENT[table], BASE[PARENT[table]])
        insert(conn, table, {**BASE[table], **changes})
        return "accepted"
    except sqlite3.IntegrityError:
        return "refused"
    finally:
        conn.execute("ROLLBACK")


def insert(conn: sqlite3.Connection, table: str, row: dict[str, Any]) -> None:
    columns = ", ".join(f'"{name}"' for name in row)
    marks = ", ".join("?" for _ in row)
    conn.execute(f"INSERT INTO {table} ({columns}) VALUES ({marks})", list(row.values()))


@pytest.mark.parametrize(
    ("table", "changes"),
    [(t, c) for t, c, _ in REFUSED],
    ids=[label for _, _, label in REFUSED],
)
def test_both_schemas_refuse_the_same_bad_rows(
    both: dict[str, sqlite3.Connection], table: str, changes: dict[str, Any]
) -> None:
    outcome = {side: try_insert(conn, table, changes) for side, conn in both.items()}
    assert outcome == {"models": "refused", "migrations": "refused"}


@pytest.mark.parametrize(
    ("table", "changes"),
    [(t, c) for t, c, _ in ACCEPTED],
    ids=[label for _, _, label in ACCEPTED],
)
def test_both_schemas_accept_the_same_good_rows(
    both: dict[str, sqlite3.Connection], table: str, changes: dict[str, Any]
) -> None:
    outcome = {side: try_insert(conn, table, changes) for side, conn in both.items()}
    assert outcome == {"models": "accepted", "migrations": "accepted"}


def test_deleting_a_client_takes_its_tags_fields_and_history_in_both(
    both: dict[str, sqlite3.Connection],
) -> None:
    left = {}
    for side, conn in both.items():
        insert(conn, "client", CLIENT)
        for table in ("entry", "tag", "field"):
            insert(conn, table, BASE[table])
        conn.execute("DELETE FROM client WHERE id = 1")
        left[side] = [
            conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
            for t in ("entry", "tag", "field")
        ]
    assert left == {"models": [0, 0, 0], "migrations": [0, 0, 0]}


# --- the plain records the everyday commands use cover the columns


# Each client column, and how the card (records.Client) shows it.
CARD_GETTERS: dict[str, Any] = {
    "id": lambda c: c.id,
    "name": lambda c: c.name,
    "company": lambda c: c.company,
    "position": lambda c: c.position,
    "phones": lambda c: json.dumps(c.phones),
    "email": lambda c: c.email,
    "stage": lambda c: c.stage,
    "due": lambda c: c.placement.due.isoformat() if c.placement and c.placement.due else None,
    "due_month": lambda c: c.placement.month if c.placement else None,
    "due_time": lambda c: c.placement.at if c.placement else None,
    "purpose": lambda c: c.placement.purpose if c.placement else None,
    "filed_at": lambda c: c.filed_at,
    "archived_at": lambda c: c.archived_at,
    "archive_reason": lambda c: c.archive_reason,
    "created_at": lambda c: c.created_at,
    "updated_at": lambda c: c.updated_at,
    "more_emails": lambda c: json.dumps(c.more_emails),
    "uid": lambda c: c.uid,
    "every": lambda c: c.every,
    "owner": lambda c: c.owner,
    "version": lambda c: c.version,
}

CARD_ROWS = [
    {
        "id": 7,
        "name": "Ana Lima",
        "name_key": "ana lima",
        "company": "Lima & Co",
        "company_key": "lima & co",
        "position": "Buyer",
        "phones": '["+1 555 0100", "+1 555 0101"]',
        "email": "ana@lima.example",
        "more_emails": '["ana.lima@home.example"]',
        "uid": "4f1c2a9e-lima",
        "every": "3w",
        "owner": "anna",
        "stage": "negotiation",
        "due": "2024-07-10",
        "due_time": "14:30",
        "purpose": "send the quote",
        "filed_at": "2024-07-05T09:00:00",
        "created_at": "2024-06-01T08:00:00",
        "updated_at": "2024-07-05T09:00:00",
        "version": 2,
    },
    {
        "id": 8,
        "name": "Bo Chen",
        "name_key": "bo chen",
        "phones": "[]",
        "more_emails": "[]",
        "stage": "prospect",
        "due_month": "2024-09",
        "purpose": "autumn budget",
        "filed_at": "2024-07-04T10:00:00",
        "created_at": "2024-06-02T08:00:00",
        "updated_at": "2024-07-04T10:00:00",
        "version": 5,
    },
    {
        "id": 9,
        "name": "Cy Dorn",
        "name_key": "cy dorn",
        "phones": '["555"]',
        "more_emails": "[]",
        "stage": "client",
        "archived_at": "2024-07-03T11:00:00",
        "archive_reason": "won",
        "created_at": "2024-06-03T08:00:00",
        "updated_at": "2024-07-03T11:00:00",
        "version": 1,
    },
]


def test_every_client_column_reaches_the_card() -> None:
    """A column added to the model but not carried by records.Client is lost data."""
    model_columns = {column.name for column in MODEL_TABLES["client"].columns}
    unmapped = model_columns - set(CARD_GETTERS) - DERIVED
    assert not unmapped, f"client columns the card does not carry: {sorted(unmapped)}"
    assert set(CARD_GETTERS) | DERIVED == model_columns


def test_store_reads_every_client_column_into_the_card(migrated_db: Path) -> None:
    conn = connect(migrated_db)
    try:
        for row in CARD_ROWS:
            insert(conn, "client", row)
        insert(conn, "tag", {"client_id": 7, "tag": "vip"})
        insert(conn, "field", {"client_id": 7, "key": "budget", "value": "12k"})
        cards = SqliteStore(conn, migrated_db).clients_by_ids([7, 8, 9])
    finally:
        conn.close()
    assert [card.id for card in cards] == [7, 8, 9]
    for row, card in zip(CARD_ROWS, cards, strict=True):
        for column, get in CARD_GETTERS.items():
            expected = row.get(column)
            if (row["id"], column) == (7, "version"):
                expected = 4  # its tag and its field, added after it, moved it on twice
            assert get(card) == expected, f"#{row['id']} {column}"
    assert cards[0].tags == ["vip"]
    assert cards[0].fields == {"budget": "12k"}
    assert cards[0].placement is not None and cards[0].placement.due == date(2024, 7, 10)
    assert cards[2].archived


def test_history_record_has_exactly_the_entry_columns() -> None:
    entry_columns = [column.name for column in MODEL_TABLES["entry"].columns]
    assert list(records.Entry._fields) == entry_columns


# --------------------------------------------------------------- version bookkeeping


def test_blank_database_is_at_the_latest_version_with_each_step_recorded(
    run: Any, db_path: Path
) -> None:
    assert run("today").exit_code == 0
    conn = connect(db_path)
    try:
        assert migrations.schema_version(conn) == migrations.LATEST
        steps = conn.execute(
            "SELECT version, name, applied_at FROM migration ORDER BY version"
        ).fetchall()
    finally:
        conn.close()
    assert [(v, n) for v, n, _ in steps] == [
        (number, name) for number, (name, _sql) in enumerate(migrations.MIGRATIONS, start=1)
    ]
    assert all(applied for _, _, applied in steps)


def test_an_existing_empty_file_is_migrated(run: Any, db_path: Path) -> None:
    db_path.parent.mkdir(parents=True)
    db_path.touch()
    assert run("add", "Acme").exit_code == 0
    conn = connect(db_path)
    try:
        assert migrations.schema_version(conn) == migrations.LATEST
        assert conn.execute("SELECT name FROM client").fetchall() == [("Acme",)]
    finally:
        conn.close()


def test_reopening_changes_nothing_and_makes_no_backup(run: Any, db_path: Path) -> None:
    assert run("add", "Acme", "--note", "first call").exit_code == 0
    before_dump = dump(db_path)
    before_files = sorted(p.name for p in db_path.parent.iterdir())
    before_bytes = db_path.read_bytes()

    open_database(db_path).close()
    assert run("today").exit_code == 0
    open_database(db_path).close()

    assert sorted(p.name for p in db_path.parent.iterdir()) == before_files
    assert not list(db_path.with_name(db_path.name + ".backups").glob("*before-migration*"))
    assert dump(db_path) == before_dump
    assert db_path.read_bytes() == before_bytes


# ------------------------------------------------------------------ files refused as is


@pytest.mark.parametrize("journal", ["wal", "delete"])
def test_a_newer_database_is_refused_and_left_byte_for_byte(
    run: Any, db_path: Path, journal: str
) -> None:
    """A file a newer dossier wrote, whatever its journal mode, is never written to."""
    assert run("add", "Acme", "--note", "keep me").exit_code == 0
    conn = sqlite3.connect(db_path)
    conn.execute(f"PRAGMA journal_mode = {journal}")
    conn.execute(f"PRAGMA user_version = {migrations.LATEST + 1}")
    conn.close()
    before = snapshot(db_path)
    files = sorted(p.name for p in db_path.parent.iterdir())

    for command in (["today"], ["add", "Other"], ["show", "Acme"]):
        assert_refused(run(*command), db_path, "newer")

    assert_untouched(db_path, before)
    assert sorted(p.name for p in db_path.parent.iterdir()) == files


def make_foreign(path: Path, journal: str, *statements: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    conn = sqlite3.connect(path)
    conn.execute(f"PRAGMA journal_mode = {journal}")
    for statement in statements:
        conn.execute(statement)
    conn.commit()
    conn.close()


@pytest.mark.parametrize("journal", ["delete", "wal"])
def test_another_programs_database_is_refused_and_left_byte_for_byte(
    run: Any, tmp_path: Path, journal: str
) -> None:
    """A SQLite file of another program (SQLite's default journal is "delete")."""
    other = tmp_path / "notes.sqlite"
    make_foreign(
        other,
        journal,
        "CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT)",
        "INSERT INTO notes (body) VALUES ('not dossier''s')",
    )
    before = snapshot(other)

    for command in (["today"], ["add", "Acme"]):
        assert_refused(run("--db", str(other), *command), other, "another program")

    assert_untouched(other, before)
    conn = sqlite3.connect(other)
    try:
        assert tables(conn) == {"notes"}
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == journal
    finally:
        conn.close()


def test_another_programs_database_with_a_client_table_is_refused_clearly(
    run: Any, tmp_path: Path
) -> None:
    """A table that happens to share a dossier name does not make the file dossier's."""
    other = tmp_path / "crm.sqlite"
    make_foreign(
        other,
        "wal",
        "CREATE TABLE client (id INTEGER PRIMARY KEY, name TEXT)",
        "INSERT INTO client (name) VALUES ('Bob')",
    )
    before = snapshot(other)

    assert_refused(run("--db", str(other), "today"), other, "another program")

    assert_untouched(other, before)


# ------------------------------------------------------------ upgrading an older file


def test_an_older_file_is_backed_up_then_migrated(
    run: Any, db_path: Path, one_more_step: Any
) -> None:
    assert run("add", "Acme", "--company", "Acme Ltd", "--note", "met at the fair").exit_code == 0
    old_dump = dump(db_path)
    latest = one_more_step(("m002_nickname", "ALTER TABLE client ADD COLUMN nickname TEXT;"))

    result = run("show", "Acme")
    assert result.exit_code == 0, result
    assert "met at the fair" in result.stdout

    folder = db_path.with_name(db_path.name + ".backups")
    backups = list(folder.glob("*before-migration*.db"))
    assert len(backups) == 1, sorted(p.name for p in db_path.parent.iterdir())
    backup = backups[0]
    assert backup.name.startswith(db_path.stem)
    assert folder.stat().st_mode & 0o777 == 0o700
    assert backup.stat().st_mode & 0o777 == 0o600
    assert backup.read_bytes()[:16] == b"SQLite format 3\x00"
    conn = sqlite3.connect(backup)
    try:
        assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        assert migrations.schema_version(conn) == latest - 1
        assert "nickname" not in table_columns(conn, "client")
        assert conn.execute("SELECT name, company FROM client").fetchall() == [("Acme", "Acme Ltd")]
    finally:
        conn.close()
    assert dump(backup) == old_dump

    conn = connect(db_path)
    try:
        assert migrations.schema_version(conn) == latest
        assert "nickname" in table_columns(conn, "client")
        assert conn.execute("SELECT name FROM client").fetchall() == [("Acme",)]
        assert conn.execute("SELECT text FROM entry").fetchall() == [("met at the fair",)]
        recorded = [v for (v,) in conn.execute("SELECT version FROM migration ORDER BY 1")]
        assert recorded == list(range(1, latest + 1))
    finally:
        conn.close()

    # Once migrated, opening again neither migrates nor backs up again.
    assert run("today").exit_code == 0
    assert list(folder.glob("*before-migration*.db")) == [backup]


def test_a_failing_step_leaves_the_file_at_the_previous_version(
    run: Any, db_path: Path, one_more_step: Any
) -> None:
    assert run("add", "Acme", "--note", "met at the fair").exit_code == 0
    old_dump = dump(db_path)
    current = migrations.LATEST
    one_more_step(
        (
            "m_broken",
            """
            ALTER TABLE client ADD COLUMN nickname TEXT;
            CREATE TABLE half_done (x INTEGER);
            INSERT INTO half_done (x) VALUES (1);
            UPDATE client SET name = 'CHANGED';
            INSERT INTO no_such_table (x) VALUES (1);
            """,
        )
    )

    result = run("today")
    assert result.exit_code == 1, result
    assert len(result.stderr.splitlines()) == 1 and str(db_path) in result.stderr
    assert "Traceback" not in result.stderr

    conn = connect(db_path)
    try:
        assert migrations.schema_version(conn) == current
        assert "nickname" not in table_columns(conn, "client")
        assert "half_done" not in tables(conn)
        assert conn.execute("SELECT name FROM client").fetchall() == [("Acme",)]
        recorded = [v for (v,) in conn.execute("SELECT version FROM migration ORDER BY 1")]
        assert recorded == list(range(1, current + 1))
    finally:
        conn.close()
    assert dump(db_path) == old_dump


def test_a_failing_later_step_keeps_the_steps_before_it(
    run: Any, db_path: Path, one_more_step: Any
) -> None:
    assert run("add", "Acme").exit_code == 0
    current = migrations.LATEST
    one_more_step(
        ("m_nickname", "ALTER TABLE client ADD COLUMN nickname TEXT;"),
        ("m_broken", "CREATE TABLE t3 (x);\nINSERT INTO nowhere VALUES (1);"),
    )

    assert run("today").exit_code == 1

    conn = connect(db_path)
    try:
        assert migrations.schema_version(conn) == current + 1
        assert "nickname" in table_columns(conn, "client")
        assert "t3" not in tables(conn)
        recorded = [v for (v,) in conn.execute("SELECT version FROM migration ORDER BY 1")]
        assert recorded == list(range(1, current + 2))
    finally:
        conn.close()


def shape(conn: sqlite3.Connection, table: str) -> dict[str, tuple[Any, ...]]:
    """Each column's type, NOT NULL and primary key, as the model comparison sees them."""
    columns = table_columns(conn, table)
    return {name: (c["type"], c["notnull"], c["pk"]) for name, c in columns.items()}


def schema(path: Path) -> list[tuple[str, str, str, str]]:
    conn = connect(path)
    try:
        rows = conn.execute(
            "SELECT type, name, tbl_name, sql FROM sqlite_master ORDER BY type, name"
        ).fetchall()
    finally:
        conn.close()
    return rows


def test_an_m004_file_with_an_undo_history_migrates_to_undo_steps_as_data(
    run: Any, db_path: Path, model_db: Path, migrated_db: Path
) -> None:
    """Version 5 stores undo steps as data. The SQL steps an older file holds cannot be
    trusted (anyone may have edited them) so they go, with their changes, unrun; the
    backup made before the migration keeps them."""
    m004 = [name for name, _sql in migrations.MIGRATIONS].index("m004_card_search") + 1
    db_path.parent.mkdir(parents=True)
    conn = connect(db_path)
    conn.execute("PRAGMA journal_mode = WAL")
    for version in range(1, m004 + 1):
        migrations.apply(conn, version)
    conn.execute(
        "INSERT INTO client (id, name, name_key, created_at, updated_at)"
        " VALUES (1, 'Acme', 'acme', ?, ?)",
        (STAMP, STAMP),
    )
    conn.execute("INSERT INTO change (id, at, command) VALUES (1, ?, 'dossier add Acme')", (STAMP,))
    conn.execute(
        "INSERT INTO change (id, at, command) VALUES (2, ?, 'dossier edit Acme')", (STAMP,)
    )
    conn.executemany(
        "INSERT INTO undo_step (change_id, sql) VALUES (?, ?)",
        [(1, "DELETE FROM client WHERE rowid=1"), (2, "DROP TABLE client")],
    )
    conn.close()
    old_dump = dump(db_path)

    assert "No changes to undo." in run("undo", "--list").stdout

    conn = connect(db_path)
    try:
        assert migrations.schema_version(conn) == migrations.LATEST
        assert conn.execute("SELECT count(*) FROM change").fetchone() == (0,)
        assert conn.execute("SELECT count(*) FROM undo_step").fetchone() == (0,)
        assert conn.execute("SELECT name FROM client").fetchall() == [("Acme",)]
        model = connect(model_db)
        try:
            for table in MODEL_TABLES:
                assert shape(conn, table) == shape(model, table), table
                assert foreign_keys(conn, table) == foreign_keys(model, table), table
        finally:
            model.close()
    finally:
        conn.close()
    assert schema(db_path) == schema(migrated_db)
    (backup,) = db_path.with_name(db_path.name + ".backups").glob("*before-migration*.db")
    assert dump(backup) == old_dump

    # Nothing from before the upgrade is undone; what is done after it is.
    nothing = run("undo")
    assert nothing.exit_code == 1 and "nothing to undo" in nothing.stderr, nothing
    assert run("log", "Acme", "after the upgrade").exit_code == 0
    assert run("undo").exit_code == 0
    assert run("show", "Acme", "--json").stdout.count("after the upgrade") == 0


def test_an_m005_file_with_accented_names_gets_folded_keys_backfilled(
    run: Any, db_path: Path, migrated_db: Path
) -> None:
    """Version 6 adds the names and companies without accents, indexed, for lookups typed
    without them; a file from before holds none, so the step computes them for every row."""
    m005 = [name for name, _sql in migrations.MIGRATIONS].index("m005_undo_as_data") + 1
    db_path.parent.mkdir(parents=True)
    conn = connect(db_path)
    conn.execute("PRAGMA journal_mode = WAL")
    for version in range(1, m005 + 1):
        migrations.apply(conn, version)
    people = [
        (1, "José Núñez", "Bodegas Ñandú"),
        (2, "Íñigo Arana", None),
        (3, "Søren Østergaard", "Ærø Sejl"),
        (4, "Plain Jane", "Acme"),
    ]
    stamps = (STAMP, STAMP)
    conn.executemany(
        "INSERT INTO client (id, name, name_key, company, company_key, created_at, updated_at)"
        " VALUES (?, ?, ?, ?, ?, ?, ?)",
        [
            (i, name, names.match_key(name), company, company and names.match_key(company), *stamps)
            for i, name, company in people
        ],
    )
    conn.close()
    old_dump = dump(db_path)

    result = run("show", "nunez")
    assert result.exit_code == 0, result
    assert result.stdout.startswith("#1 José Núñez")

    conn = connect(db_path)
    try:
        assert migrations.schema_version(conn) == migrations.LATEST
        rows = conn.execute("SELECT id, name_fold, company_fold FROM client ORDER BY id")
        assert rows.fetchall() == [
            (1, "jose nunez", "bodegas nandu"),
            (2, "inigo arana", None),
            (3, "soren ostergaard", "aero sejl"),
            (4, "plain jane", "acme"),
        ]
        indexes = {row[1] for row in conn.execute("PRAGMA index_list(client)")}
        assert {"client_name_fold", "client_company_fold"} <= indexes
    finally:
        conn.close()
    assert schema(db_path) == schema(migrated_db)
    (backup,) = db_path.with_name(db_path.name + ".backups").glob("*before-migration*.db")
    assert dump(backup) == old_dump
    # The file stays readable by any SQLite: nothing in it needs dossier's fold function.
    plain = sqlite3.connect(db_path)
    try:
        plain.execute("UPDATE client SET name = 'Jo' WHERE id = 4")
        plain.commit()
    finally:
        plain.close()


@pytest.mark.parametrize(
    ("command", "typed"),
    [
        (["add", "Renée Dupré", "--company", "Crème Brûlée SA"], "renee"),
        (["edit", "Old Name", "--name", "Zoë Ångström"], "zoe angstrom"),
        (["edit", "Old Name", "--company", "Café Noël"], "cafe noel"),
    ],
)
def test_every_write_keeps_the_folded_keys_in_step(
    run: Any, db_path: Path, command: list[str], typed: str
) -> None:
    assert run("add", "Old Name", "--company", "Old Co").exit_code == 0
    assert run(*command).exit_code == 0
    conn = connect(db_path)
    try:
        rows = conn.execute("SELECT name, company, name_fold, company_fold FROM client").fetchall()
    finally:
        conn.close()
    for name, company, name_fold, company_fold in rows:
        assert name_fold == fold(name)
        assert company_fold == (fold(company) if company else None)
    assert run("show", typed).exit_code == 0


def test_an_import_writes_the_folded_keys(run: Any, db_path: Path, tmp_path: Path) -> None:
    assert run("add", "Renée Dupré", "--company", "Crème Brûlée SA").exit_code == 0
    export = tmp_path / "export.json"
    assert run("export", "--output", str(export)).exit_code == 0
    assert run("rm", "renee", "--yes").exit_code == 0
    assert run("import", str(export)).exit_code == 0
    conn = connect(db_path)
    try:
        rows = conn.execute("SELECT name_fold, company_fold FROM client").fetchall()
    finally:
        conn.close()
    assert rows == [("renee dupre", "creme brulee sa")]
    assert run("show", "creme brulee").exit_code == 0
