"""One schema of record: the SQLModel classes (storage/schema.py).

The everyday commands never import SQLModel (a second of start-up), so the column lists
the SQLite engine reads with, the records it builds and the export's shape are written
out by hand; these tests hold each of them to the schema, so that a column added to the
schema and forgotten anywhere fails here rather than losing data quietly.
"""

from __future__ import annotations

import dataclasses
import json
import re
from datetime import date
from pathlib import Path

from conftest import Run, ok
from dossier.domain.records import Client, Entry
from dossier.storage import schema
from dossier.storage.sql.cards import CLIENT_COLUMNS, ENTRY_COLUMNS
from dossier.storage.sql.plans import PLAN_COLUMNS
from dossier.storage.sqlite import bulk, undo

# Columns the engine keeps for itself: keys for lookups and ordering, derived from the
# name and company (domain.names), never read back into a record.
DERIVED = {
    "name_key",
    "company_key",
    "name_fold",
    "company_fold",
    "name_sort",
    # m011: kept by triggers on entry from the history, never written by the engine.
    "first_contact",
    "last_contact",
}


def columns(model: type) -> list[str]:
    return [column.name for column in model.__table__.columns]  # type: ignore[attr-defined]


def listed(text: str) -> list[str]:
    return [name.strip().split(".")[-1] for name in text.split(",")]


def test_the_client_columns_read_are_the_schemas_less_its_derived_keys() -> None:
    assert listed(CLIENT_COLUMNS) == [c for c in columns(schema.Client) if c not in DERIVED]


def test_the_entry_columns_read_are_the_schemas() -> None:
    assert listed(ENTRY_COLUMNS) == columns(schema.Entry)


def test_the_planning_rows_read_only_columns_of_the_schema() -> None:
    read = set(re.findall(r"\bc\.(\w+)", PLAN_COLUMNS))
    assert read and read <= set(columns(schema.Client))


def test_the_bulk_loader_writes_every_column_of_the_schema() -> None:
    assert bulk.columns("client") == columns(schema.Client)
    assert bulk.columns("entry") == columns(schema.Entry)
    assert bulk.columns("tag") == columns(schema.Tag)


def test_undo_knows_every_table_that_holds_the_folder() -> None:
    folder = {"client", "entry", "tag", "field", "day_off"}
    assert folder <= set(undo.TABLES)


def test_the_records_hold_every_column_the_engine_reads() -> None:
    client_fields = {f.name for f in dataclasses.fields(Client)}
    # A record keeps the place as one value and the phones as a list: the columns that
    # make them are named in it by what they hold.
    renamed = {
        "due": "placement",
        "due_month": "placement",
        "due_time": "placement",
        "purpose": "placement",
    }
    for column in listed(CLIENT_COLUMNS):
        assert renamed.get(column, column) in client_fields, column
    assert set(listed(ENTRY_COLUMNS)) <= set(Entry._fields)


def test_an_export_carries_every_column_a_user_wrote(run: Run, tmp_path: Path) -> None:
    """The export's shape (domain.shapes) against the schema: every column that is not
    derived or bookkeeping reaches the file, with tags, fields and the whole history."""
    ok(run("add", "Acme", "--company", "Acme Ltd", "--position", "buyer", "--phone", "1",
           "--email", "a@b.c", "--tag", "vip", "--stage", "prospect", "--on", "2024-07-08",
           "--at", "09:30", "--for", "quote"))  # fmt: skip
    ok(run("edit", "acme", "--set", "budget=12k"))
    ok(run("log", "acme", "called", "--kind", "call", "--outcome", "reached"))
    ok(run("edit", "acme", "--every", "3w"))  # after the call: it would refile Acme
    out = tmp_path / "export.json"
    ok(run("export", "--output", str(out)))
    card = json.loads(out.read_text(encoding="utf-8"))["clients"][0]
    # Where each column of the client table is in an exported card.
    where = {
        "id": ("id",),
        "name": ("name",),
        "company": ("company",),
        "position": ("position",),
        "phones": ("phones",),
        "email": ("email",),
        "more_emails": ("emails",),  # every e-mail, the first ("email") first
        "uid": ("uid",),
        "every": ("every",),
        "stage": ("stage",),
        "due": ("filed", "due"),
        "due_month": ("filed", "month"),
        "due_time": ("filed", "at"),
        "purpose": ("filed", "for"),
        "filed_at": None,  # bookkeeping: the import files it anew
        "archived_at": ("archived_at",),
        "archive_reason": ("archive_reason",),
        "created_at": ("created",),
        "updated_at": ("updated",),
        "owner": ("owner",),  # m013: the manager who works it
        "version": None,  # bookkeeping: a new file's dossier starts again at 1
    }
    assert set(where) == set(columns(schema.Client)) - DERIVED
    expected = {
        "name": "Acme",
        "company": "Acme Ltd",
        "position": "buyer",
        "phones": ["1"],
        "email": "a@b.c",
        "more_emails": ["a@b.c"],
        "stage": "prospect",
        "every": "3w",
        "due": date(2024, 7, 8).isoformat(),
        "due_time": "09:30",
        "purpose": "quote",
    }
    for column, path in where.items():
        if path is None:
            continue
        value = card
        for key in path:
            assert key in value, (column, path)
            value = value[key]
        if column in expected:
            assert value == expected[column], column
    assert card["tags"] == ["vip"] and card["fields"] == {"budget": "12k"}
    assert card["history"][0]["text"] == "called"
    assert set(columns(schema.Entry)) - {"id", "client_id"} <= set(card["history"][0])
