"""``dossier undo``: after every kind of change, one undo gives back exactly the folder as it
was before, the search index included; undo is repeatable, lists what it can revert, and
never remembers a command that changed nothing. The history is data, not SQL: a history
edited by hand is refused whole, with nothing run and nothing changed.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from conftest import Result, dump, refused
from dossier.storage.sqlite import undo

Run = Callable[..., Result]

# --------------------------------------------------------------------------- helpers

# What "exactly the previous state" is compared on: the schema and every row (with its
# rowid, since undo promises the same ids) of every table, except
# - the FTS5 shadow tables (``entry_fts_data``, ``_idx``, ``_docsize``, ``_config``, and the
#   same for any other FTS5 index such as ``client_fts``): they hold the search index's
#   internal segments. Deleting and re-inserting the same rows leaves an index that answers
#   exactly the same but is laid out differently byte for byte, so the indexes are checked
#   through what they answer instead: FTS5's own 'integrity-check' against the rows they
#   index, and ``dossier find``. (The rows each index is built from, ``SELECT * FROM
#   entry_fts``, are compared.)
# - ``change`` and ``undo_step``: undo's own bookkeeping, the list of commands it can
#   revert, not the user's data. A command adds to it and its undo consumes it, by design.
EXCLUDED = ("change", "undo_step")


def fts_tables(conn: sqlite3.Connection) -> dict[str, bool]:
    """Every FTS5 index, and whether it indexes another table's rows (external content)."""
    rows = conn.execute(
        "SELECT name, sql FROM sqlite_master WHERE type = 'table'"
        " AND sql LIKE 'CREATE VIRTUAL TABLE%USING fts5%'"
    ).fetchall()
    return {name: "content" in sql.replace(" ", "").split("fts5", 1)[1] for name, sql in rows}


def content(db: Path) -> dict[str, Any]:
    conn = sqlite3.connect(db)
    try:
        schema = conn.execute(
            "SELECT type, name, tbl_name, sql FROM sqlite_master ORDER BY type, name"
        ).fetchall()
        shadows = tuple(f"{name}_" for name in fts_tables(conn))
        tables = [
            name
            for (name,) in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
            if name not in EXCLUDED
            and not name.startswith(shadows)
            and not name.startswith("sqlite_")
        ]
        rows = {table: table_rows(conn, table) for table in sorted(tables)}
        version = conn.execute("PRAGMA user_version").fetchone()[0]
    finally:
        conn.close()
    return {"schema": schema, "rows": rows, "user_version": version}


def table_rows(conn: sqlite3.Connection, table: str) -> list[Any]:
    """Every row with its rowid; a table WITHOUT ROWID (the stats tallies) in key order.
    A client's version is left out: it only moves on (undo is a change too), see
    ``test_undo_moves_the_version_on``."""
    names = [row[1] for row in conn.execute(f'PRAGMA table_info("{table}")')]
    listed = ", ".join(f'"{name}"' for name in names if (table, name) != ("client", "version"))
    try:
        return conn.execute(f'SELECT rowid, {listed} FROM "{table}" ORDER BY rowid').fetchall()
    except sqlite3.OperationalError:  # no such column: rowid
        return conn.execute(f'SELECT * FROM "{table}" ORDER BY 1, 2').fetchall()


def assert_healthy(db: Path) -> None:
    """SQLite's integrity check, and every search index agrees with the rows it indexes."""
    conn = sqlite3.connect(db)
    try:
        assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
        indexes = fts_tables(conn)
        assert "entry_fts" in indexes
        for name, external in indexes.items():
            # Raises sqlite3.DatabaseError ("database disk image is malformed") on a
            # mismatch. An external-content index (entry_fts over the history) is only
            # compared with the rows it indexes when asked with rank 1.
            conn.execute(f"INSERT INTO {name} ({name}) VALUES ('integrity-check')")
            if external:
                conn.execute(f"INSERT INTO {name} ({name}, rank) VALUES ('integrity-check', 1)")
        conn.rollback()
    finally:
        conn.close()


def ok(result: Result) -> str:
    assert result.exit_code == 0, result
    assert "Traceback" not in result.stderr, result
    return result.stdout


def found(run: Run, text: str) -> list[str]:
    result = run("find", text, "--json")
    assert result.exit_code == 0, result
    return sorted(client["name"] for client in json.loads(result.stdout))


def undo_list(run: Run) -> list[str]:
    """The COMMAND column of ``undo --list``, top to bottom."""
    lines = ok(run("undo", "--list")).splitlines()
    assert lines, "undo --list printed nothing"
    if lines == ["No changes to undo."]:
        return []
    header = lines[0]
    assert header.split()[:4] == ["CHANGE", "WHEN", "ROWS", "COMMAND"], lines
    column = header.index("COMMAND")
    return [line[column:].rstrip() for line in lines[1:]]


def entry_ids(db: Path) -> list[tuple[int, int, str]]:
    conn = sqlite3.connect(db)
    try:
        return conn.execute("SELECT id, client_id, text FROM entry ORDER BY id").fetchall()
    finally:
        conn.close()


# --------------------------------------------------------------------------- the folder


def folder(run: Run) -> None:
    """A small, varied folder: day and month tabs, a fixed time, tags, fields, history,
    a done client, an overloaded Monday, a month tab to spread and a day off."""
    commands = [
        ("add", "Acme", "--company", "Acme Ltd", "--tag", "vip", "--on", "2024-07-10",
         "--for", "send the quote", "--note", "met at the fair about turbines"),
        ("edit", "Acme", "--set", "budget=12k", "--set", "size=5", "--tag", "key-account"),
        ("log", "Acme", "sent the turbine quote", "--kind", "email",
         "--outcome", "proposal-sent"),
        ("add", "Globex", "--on", "august", "--note", "globex asks about gears"),
        ("add", "Initech", "--tag", "old", "--note", "printer trouble"),
        ("done", "Initech", "--reason", "lost"),
        ("add", "Hooli", "--on", "2024-07-08", "--at", "10:30"),
        ("add", "Umbrella", "--on", "2024-07-08"),
        ("add", "Soylent", "--on", "2024-07-08"),
        ("add", "Stark", "--on", "2024-07-08"),
        ("add", "Wayne", "--on", "july"),
        ("add", "Wonka", "--on", "july"),
        ("off", "2024-07-22..2024-07-23", "--note", "dentist"),
    ]  # fmt: skip
    for args in commands:
        ok(run(*args))


def export_file(path: Path) -> Path:
    document = {
        "dossier_export": 1,
        "exported": "2024-07-01T09:00:00",
        "clients": [
            {
                "name": "Imported Zed",
                "company": "Zed Co",
                "phones": ["+1 555 0100"],
                "stage": "prospect",
                "tags": ["handover"],
                "fields": {"region": "north"},
                "filed": {"due": "2024-07-12", "month": None, "at": "09:30", "for": "hello"},
                "history": [
                    {"at": "2024-06-01T10:00:00", "kind": "call", "outcome": "reached",
                     "text": "zebra handover call"},
                    {"at": "2024-05-01T10:00:00", "kind": "note", "outcome": None,
                     "text": "first zebra note"},
                ],
            },
            {"name": "Imported Yak", "history": [], "filed": {"month": "2024-09"}},
        ],
    }  # fmt: skip
    path.write_text(json.dumps(document), encoding="utf-8")
    return path


# Each case: the command, and a search that tells whether its traces in the history
# are gone after the undo: (word, clients find gives before the command, after it).
CHANGES: dict[str, tuple[tuple[str, ...], str, list[str], list[str]]] = {
    "add": (
        ("add", "Newco", "--company", "New Co", "--tag", "hot", "--phone", "+1 555 0199",
         "--on", "2024-07-12", "--at", "11:00", "--for", "intro", "--note", "zebra crossing"),
        "zebra", [], ["Newco"],
    ),
    "file": (
        ("file", "Acme", "--on", "2024-07-15", "--at", "09:00", "--for", "sign",
         "-m", "called about the zebra", "--outcome", "reached"),
        "zebra", [], ["Acme"],
    ),
    "file to a month tab": (
        ("file", "Hooli", "--on", "september", "-m", "zebra later"),
        "zebra", [], ["Hooli"],
    ),
    "log": (
        ("log", "Globex", "zebra talk", "--kind", "call", "--outcome", "no-answer"),
        "zebra", [], ["Globex"],
    ),
    "edit card": (
        ("edit", "Acme", "--name", "Acme Group", "--company", "Acme Group Ltd",
         "--position", "CEO", "--phone", "+44 20 1234", "--email", "ceo@acme.test",
         "--stage", "client"),
        "Group", [], ["Acme Group"],
    ),
    "edit tags": (
        ("edit", "Acme", "--tag", "new", "--tag", "hot", "--untag", "vip"),
        "turbines", ["Acme"], ["Acme"],
    ),
    "edit fields": (
        ("edit", "Acme", "--set", "budget=20k", "--set", "region=north", "--unset", "size"),
        "turbines", ["Acme"], ["Acme"],
    ),
    "edit place and note": (
        ("edit", "Acme", "--on", "august", "--note", "zebra postponed"),
        "zebra", [], ["Acme"],
    ),
    "done": (("done", "Acme", "--reason", "won"), "turbines", ["Acme"], ["Acme"]),
    "reopen": (("reopen", "Initech"), "printer", ["Initech"], ["Initech"]),
    "rm": (("rm", "Acme", "--yes"), "turbines", ["Acme"], []),
    "level": (("level", "2024-07-08", "--capacity", "2"), "gears", ["Globex"], ["Globex"]),
    "spread": (("spread", "july", "--capacity", "1"), "gears", ["Globex"], ["Globex"]),
    "move clients": (
        ("move", "Hooli", "Umbrella", "--on", "2024-07-11"), "gears", ["Globex"], ["Globex"],
    ),
    "move a day": (
        ("move", "--from", "2024-07-08", "--to", "2024-07-12", "--count", "3"),
        "gears", ["Globex"], ["Globex"],
    ),
    "off": (
        ("off", "2024-07-15..2024-07-19", "--note", "holiday"), "gears", ["Globex"], ["Globex"],
    ),
    "off --remove": (("off", "--remove", "2024-07-22..2024-07-23"), "gears", ["Globex"],
                     ["Globex"]),
    "import": (("import", "EXPORT"), "zebra", [], ["Imported Zed"]),
}  # fmt: skip


@pytest.mark.parametrize("kind", list(CHANGES))
def test_undo_restores_exactly_the_previous_state(
    run: Run, db_path: Path, tmp_path: Path, kind: str
) -> None:
    args, word, before_found, after_found = CHANGES[kind]
    if "EXPORT" in args:
        exported = str(export_file(tmp_path / "export.json"))
        args = tuple(exported if arg == "EXPORT" else arg for arg in args)
    folder(run)
    before = content(db_path)
    assert found(run, word) == before_found

    ok(run(*args))
    changed = content(db_path)
    assert changed != before, f"'{' '.join(args)}' should have changed the folder"
    assert found(run, word) == after_found

    out = ok(run("undo"))
    assert out.startswith("Undid: dossier " + args[0]), out

    assert content(db_path) == before
    assert_healthy(db_path)
    assert found(run, word) == before_found


def test_undo_of_demo_empties_the_folder_again(run: Run, db_path: Path) -> None:
    ok(run("today"))  # creates and migrates the file
    before = content(db_path)
    ok(run("demo"))
    assert len(json.loads(ok(run("list", "--json")))) > 30
    assert found(run, "proposal") != []

    assert ok(run("undo")).startswith("Undid: dossier demo")

    assert content(db_path) == before
    assert_healthy(db_path)
    assert json.loads(ok(run("list", "--json"))) == []
    assert json.loads(ok(run("list", "--archived", "--json"))) == []
    assert found(run, "proposal") == []
    # The folder is empty again, so the demo may be tried once more.
    ok(run("demo"))


def test_undo_of_rm_brings_back_history_tags_and_fields_with_the_same_ids(
    run: Run, db_path: Path
) -> None:
    folder(run)
    card_before = json.loads(ok(run("show", "Acme", "--json")))
    entries_before = entry_ids(db_path)
    acme_entries = [e for e in entries_before if e[1] == card_before["id"]]
    assert len(acme_entries) == 2
    assert card_before["tags"] == ["key-account", "vip"]
    assert card_before["fields"] == {"budget": "12k", "size": "5"}

    ok(run("rm", "Acme", "--yes"))
    assert run("show", "Acme").exit_code == 1
    assert [e for e in entry_ids(db_path) if e[1] == card_before["id"]] == []

    ok(run("undo"))

    assert json.loads(ok(run("show", "Acme", "--json"))) == card_before
    assert json.loads(ok(run("show", str(card_before["id"]), "--json")))["name"] == "Acme"
    assert entry_ids(db_path) == entries_before
    assert found(run, "turbine") == ["Acme"]
    assert_healthy(db_path)
    check = ok(run("check"))
    assert "All checks passed." in check


def test_undo_is_repeatable_back_to_before_the_first_command(run: Run, db_path: Path) -> None:
    folder(run)
    start = content(db_path)
    ok(run("log", "Acme", "zebra one"))
    after_one = content(db_path)
    ok(run("edit", "Acme", "--set", "budget=99k", "--untag", "vip"))
    after_two = content(db_path)
    ok(run("rm", "Globex", "--yes"))

    assert ok(run("undo")).startswith("Undid: dossier rm Globex --yes")
    assert content(db_path) == after_two
    assert ok(run("undo")).startswith("Undid: dossier edit Acme --set budget=99k --untag vip")
    assert content(db_path) == after_one
    assert ok(run("undo")).startswith("Undid: dossier log Acme 'zebra one'")
    assert content(db_path) == start
    assert_healthy(db_path)
    assert found(run, "zebra") == []
    assert found(run, "gears") == ["Globex"]


def test_undo_goes_back_to_an_empty_folder_then_says_nothing_to_undo(
    run: Run, db_path: Path
) -> None:
    ok(run("today"))
    empty = content(db_path)
    ok(run("add", "Acme", "--note", "zebra"))
    ok(run("log", "Acme", "second"))
    ok(run("file", "Acme", "--on", "2024-07-09"))
    for _ in range(3):
        ok(run("undo"))
    assert content(db_path) == empty

    fourth = run("undo")
    assert fourth.exit_code == 1, fourth
    assert fourth.stdout == ""
    lines = fourth.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("dossier: "), fourth
    assert "nothing to undo" in lines[0]
    assert content(db_path) == empty
    assert undo_list(run) == []


def test_undo_list_shows_the_commands_newest_first_as_typed(run: Run) -> None:
    ok(run("add", "Acme", "--on", "2024-07-10"))
    ok(run("log", "Acme", "second call", "--kind", "call"))
    ok(run("edit", "Acme", "--set", "budget=12k", "--tag", "vip"))
    ok(run("show", "Acme"))  # reading commands are not changes
    ok(run("today"))

    assert undo_list(run) == [
        "dossier edit Acme --set budget=12k --tag vip",
        "dossier log Acme 'second call' --kind call",
        "dossier add Acme --on 2024-07-10",
    ]
    ok(run("undo"))
    assert undo_list(run) == [
        "dossier log Acme 'second call' --kind call",
        "dossier add Acme --on 2024-07-10",
    ]


def test_a_failed_command_leaves_nothing_to_undo(run: Run, db_path: Path) -> None:
    ok(run("add", "Acme", "--on", "2024-07-10"))
    ok(run("log", "Acme", "first call"))
    commands = undo_list(run)
    before = content(db_path)

    bad = run("file", "Acme", "--on", "someday", "-m", "zebra")
    assert bad.exit_code == 2, bad
    past = run("log", "Acme", "zebra", "--date", "2024-13-45")
    assert past.exit_code == 2, past

    assert undo_list(run) == commands
    assert content(db_path) == before
    # The next undo reverts the last command that worked, not the failed ones.
    assert ok(run("undo")).startswith("Undid: dossier log Acme 'first call'")
    assert [h["text"] for h in json.loads(ok(run("show", "Acme", "--json")))["history"]] == []


def test_a_dry_run_or_a_no_op_leaves_nothing_to_undo(run: Run, db_path: Path) -> None:
    folder(run)
    commands = undo_list(run)
    before = content(db_path)

    dry = ok(run("level", "2024-07-08", "--capacity", "2", "--dry-run"))
    assert "nothing was changed" in dry
    ok(run("spread", "july", "--capacity", "1", "--dry-run"))
    nothing = ok(run("level", "2024-07-09", "--capacity", "2"))
    assert "Nothing to level" in nothing

    assert content(db_path) == before
    assert undo_list(run) == commands
    assert ok(run("undo")).startswith("Undid: dossier off 2024-07-22..2024-07-23")


# --------------------------------------------------------------- the history is data


def tables_and_columns(db: Path) -> dict[str, list[tuple[str, str]]]:
    conn = sqlite3.connect(db)
    try:
        return {
            table: [(row[1], row[2]) for row in conn.execute(f"PRAGMA table_info({table})")]
            for table in undo.TABLES
        }
    finally:
        conn.close()


def test_the_history_holds_data_about_rows_not_statements(
    run: Run, db_path: Path, tmp_path: Path
) -> None:
    """Each step says what happened to which row of which table, and the old values as a
    JSON object keyed by the table's columns; a bulk load is one range of clients."""
    folder(run)
    ok(run("edit", "Acme", "--set", "budget=20k", "--untag", "vip"))
    ok(run("rm", "Globex", "--yes"))
    ok(run("import", str(export_file(tmp_path / "export.json"))))
    columns = {
        table: {name for name, _ in cols} for table, cols in tables_and_columns(db_path).items()
    }
    conn = sqlite3.connect(db_path)
    try:
        steps = conn.execute(
            "SELECT op, tbl, row_id, last_id, old FROM undo_step ORDER BY id"
        ).fetchall()
        newest = conn.execute(
            "SELECT op, tbl, row_id, last_id, old FROM undo_step"
            " WHERE change_id = (SELECT max(id) FROM change)"
        ).fetchall()
        ids = [i for (i,) in conn.execute("SELECT id FROM client WHERE name LIKE 'Imported%'")]
    finally:
        conn.close()
    assert {op for op, *_ in steps} == set(undo.OPS)
    for op, table, row_id, last_id, old in steps:
        assert table in undo.TABLES and type(row_id) is int
        assert (last_id is not None) == (op == "delete_range")
        if op in ("update", "delete"):
            values = json.loads(old)
            assert values and set(values) <= columns[table], (op, table, old)
        else:
            assert old is None
    assert newest == [("delete_range", "client", min(ids), max(ids), None)]


def test_undo_gives_back_each_value_with_its_type(run: Run, db_path: Path) -> None:
    """Text that looks like a number stays text, integers stay integers, NULL stays NULL,
    and quotes, SQL-looking text, new lines and emoji come back character for character."""
    ok(
        run(
            "add",
            'O\'Brien "Q"',
            "--company",
            "Zed; DROP TABLE client; --",
            "--phone",
            "+1 (555) 0100",
            "--on",
            "2024-07-10",
            "--note",
            "two\nlines 😀 '); --",
        )
    )
    ok(run("edit", "O'Brien", "--set", "n=5", "--set", "z=007", "--set", "e=1e3",
           "--set", 'j={"a": [1]}', "--set", "blank=", "--tag", "x'y"))  # fmt: skip
    before = content(db_path)
    ok(run("edit", "O'Brien", "--name", "Renamed", "--set", "n=6", "--on", "august"))
    ok(run("undo"))
    assert content(db_path) == before
    ok(run("rm", "O'Brien", "--yes"))
    ok(run("undo"))
    assert content(db_path) == before
    assert_healthy(db_path)
    fields = json.loads(ok(run("show", "O'Brien", "--json")))["fields"]
    assert fields == {"n": "5", "z": "007", "e": "1e3", "j": '{"a": [1]}', "blank": ""}


def test_the_undoable_tables_hold_only_text_integers_and_null(run: Run, db_path: Path) -> None:
    """What JSON keeps exactly: every column is declared TEXT or INTEGER, and a full folder
    (the demo, plus the test folder) holds no REAL or BLOB value for JSON to blur."""
    ok(run("demo"))
    folder(run)
    declared = tables_and_columns(db_path)
    assert {kind for cols in declared.values() for _, kind in cols} == {"TEXT", "INTEGER"}
    conn = sqlite3.connect(db_path)
    try:
        kinds = {
            kind
            for table, cols in declared.items()
            for name, _ in cols
            for (kind,) in conn.execute(f'SELECT DISTINCT typeof("{name}") FROM {table}')
        }
    finally:
        conn.close()
    assert kinds <= {"text", "integer", "null"}


def tamper(db: Path, step: dict[str, object]) -> None:
    """Rewrite, by hand as anyone with sqlite3 can, the oldest step of the last change (so
    that the sound steps after it would come first), with the schema's CHECKs switched off."""
    conn = sqlite3.connect(db)
    try:
        conn.execute("PRAGMA ignore_check_constraints = ON")
        sets = ", ".join(f"{name} = ?" for name in step)
        changed = conn.execute(
            f"UPDATE undo_step SET {sets} WHERE id = (SELECT min(id) FROM undo_step"
            " WHERE change_id = (SELECT max(id) FROM change))",
            list(step.values()),
        ).rowcount
        conn.commit()
    finally:
        conn.close()
    assert changed == 1


SOUND = {"op": "update", "tbl": "client", "row_id": 1, "last_id": None, "old": '{"name": "Acme"}'}

# Each: what the step is changed to, and a word the refusal names. Built into SQL as text,
# the table, column or key would drop the clients, rename every one of them, or delete
# them all.
TAMPERED: dict[str, tuple[dict[str, object], str]] = {
    "table that drops the clients": ({"tbl": "client; DROP TABLE client; --"}, "table"),
    "table that is not undoable": ({"op": "insert", "tbl": "migration"}, "table"),
    "column that renames everyone": (
        {"old": json.dumps({"name = 'pwned', name": "Acme"})}, "column",
    ),
    "key that deletes every client": ({"op": "insert", "row_id": "1 OR 1 = 1"}, "row id"),
    "key that is not whole": ({"op": "delete", "row_id": 1.5}, "row id"),
    "range that drops the clients": (
        {"op": "delete_range", "last_id": "9; DROP TABLE client"}, "last id",
    ),
    "operation that is SQL": ({"op": "DROP TABLE client"}, "operation"),
    "old values that are SQL": ({"old": "name = 'pwned'"}, "JSON object"),
    "old values that are a list": ({"old": '["pwned"]'}, "JSON object"),
    "old values that are empty": ({"op": "delete", "old": "{}"}, "JSON object"),
    "old values that are a blob": ({"old": b'{"name": "pwned"}'}, "JSON object"),
    "old value that is not plain": ({"old": '{"name": {"sql": "DROP TABLE client"}}'}, "plain"),
    "old value that is not a number": ({"old": '{"id": NaN}'}, "JSON object"),
    "old value too big for SQLite": ({"old": json.dumps({"id": 2**64})}, "plain"),
}  # fmt: skip


@pytest.mark.parametrize("case", list(TAMPERED))
def test_a_tampered_history_is_refused_and_runs_nothing(run: Run, db_path: Path, case: str) -> None:
    ok(run("add", "Acme", "--on", "2024-07-10", "--note", "first call"))
    ok(run("add", "Globex"))
    ok(run("edit", "Acme", "--name", "Acme Group", "--set", "budget=12k", "--tag", "vip"))
    changes, word = TAMPERED[case]
    tamper(db_path, {**SOUND, **changes})
    before = dump(db_path)

    line = refused(run("undo"), 1)

    assert line.startswith(f"dossier: the undo history in {db_path} is damaged: step #"), line
    assert word in line and line.endswith("; nothing was changed"), line
    assert dump(db_path) == before
    assert found(run, "Acme") == ["Acme Group"] and found(run, "Globex") == ["Globex"]
