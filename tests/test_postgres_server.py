"""Nothing lost on a PostgreSQL server (``DOSSIER_TEST_PG``, see tools/pg-server): backup
and restore through pg_dump/pg_restore, the dumps kept on this machine, check with the
same folder rules as on a file, and forget.

Without a server these tests are skipped (in CI they fail instead: see conftest.py).
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import stat
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from conftest import Run, dump_server, empty_database, ok

if shutil.which("pg_dump") is None:  # pragma: no cover - the client programs are missing
    pytestmark = pytest.mark.skip("pg_dump is not installed (Debian: postgresql-client)")


@pytest.fixture
def server(monkeypatch: pytest.MonkeyPatch, pg_url: str) -> str:
    monkeypatch.setenv("DOSSIER_DB", pg_url)
    return pg_url


def dumps(tmp_path: Path) -> list[Path]:
    """This machine's dumps of the test's server databases (conftest's XDG_DATA_HOME)."""
    return sorted((tmp_path / "share" / "dossier" / "server-backups").rglob("*.dump"))


def data_rows(dumped: str) -> list[str]:
    """The rows of a ``dump_server``, the undo history's left out."""
    return [line for line in dumped.splitlines() if not line.startswith(("change:", "undo_step:"))]


def one_line(result: object, code: int = 1) -> str:
    exit_code = getattr(result, "exit_code", getattr(result, "returncode", None))
    stdout, stderr = result.stdout, result.stderr  # type: ignore[attr-defined]
    assert exit_code == code, (exit_code, stdout, stderr)
    lines = stderr.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in stderr, stderr
    assert lines[0].startswith("dossier: "), stderr
    return str(lines[0])


def dossier(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "dossier", *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )


def sql(url: str, *statements: str) -> None:
    import psycopg

    with psycopg.connect(url, autocommit=True) as conn:
        for statement in statements:
            conn.execute(statement)


# --- backup, backups, restore ------------------------------------------------------------


def test_backup_change_restore_brings_the_backup_back_and_keeps_the_replaced(
    run: Run, server: str, tmp_path: Path
) -> None:
    ok(run("add", "Anna Example", "--company", "ACME", "--on", "2024-07-08"))
    said = ok(run("backup"))
    assert said.startswith("Backed up to ") and "-manual.dump (" in said
    (made,) = dumps(tmp_path)
    assert made.read_bytes().startswith(b"PGDMP")
    assert stat.S_IMODE(made.stat().st_mode) == 0o600
    assert stat.S_IMODE(made.parent.stat().st_mode) == 0o700
    # one folder per server database, named by host, port and name (never a password)
    from urllib.parse import urlsplit

    assert made.parent.name.endswith("-5432-" + urlsplit(server).path.lstrip("/"))
    listing = ok(run("backups"))
    assert "manual" in listing and str(made) in listing

    ok(run("add", "Boris Later", "--on", "2024-07-09"))
    ok(run("log", "anna", "after the backup", "--kind", "call"))
    with_boris = dump_server(server)
    said = ok(run("restore", str(made)))
    assert f"Restored {made}. The replaced database was kept as " in said
    assert "Boris" not in ok(run("list")) and "Anna Example" in ok(run("list"))
    assert "after the backup" not in ok(run("show", "anna"))
    assert "nothing to undo" in run("undo").stderr  # the history starts again
    assert ok(run("check")).rstrip().endswith("All checks passed.")
    assert "Anna Example" in ok(run("find", "acme"))  # the search columns came back too

    kept = [path for path in dumps(tmp_path) if "before-restore" in path.name]
    assert len(kept) == 1 and str(kept[0]) in said
    listing = ok(run("backups")).splitlines()
    assert "before-restore" in listing[1]  # newest first

    ok(run("restore", str(kept[0])))  # and back: nothing was lost (but the undo history)
    assert "Boris Later" in ok(run("list"))
    assert data_rows(dump_server(server)) == data_rows(with_boris)
    added = ok(run("add", "Carla New"))  # the ids go on from the restored database's
    assert added.startswith("Added #3 Carla New")


def test_a_dump_of_an_older_schema_is_restored_then_migrated(
    run: Run, server: str, pg_server: str, tmp_path: Path
) -> None:
    import psycopg

    from dossier.storage.paths import ServerUrl
    from dossier.storage.postgres import migrations
    from dossier.storage.postgres.db import Connection

    with empty_database(pg_server, f"dossier_older_{os.getpid()}") as url:
        with psycopg.connect(url, autocommit=True) as raw:
            for step in range(1, migrations.LATEST):  # one step short of this dossier's
                migrations.apply(Connection(raw), ServerUrl(url), step)
            raw.execute(
                "INSERT INTO client (name, name_key, created_at, updated_at)"
                " VALUES ('Old Timer', 'old timer', '2024-01-01T10:00:00', '2024-01-01T10:00:00')"
            )
        dumped = tmp_path / "older.dump"
        done = subprocess.run(
            ["pg_dump", "--format=custom", f"--file={dumped}", f"--dbname={url}"],
            capture_output=True,
        )
        assert done.returncode == 0, done.stderr

    ok(run("add", "Anna"))
    ok(run("restore", str(dumped)))
    with psycopg.connect(server) as conn:
        version = conn.execute("SELECT max(version) FROM migration").fetchone()
    assert version == (migrations.LATEST,)
    assert "Old Timer" in ok(run("list")) and "Anna" not in ok(run("list"))
    assert ok(run("check")).rstrip().endswith("All checks passed.")


def test_a_backup_to_a_path_is_private_and_never_overwrites(
    run: Run, server: str, tmp_path: Path
) -> None:
    ok(run("add", "Anna"))
    target = tmp_path / "copies" / "team.dump"
    assert str(target) in ok(run("backup", str(target)))
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    before = target.read_bytes()
    line = one_line(run("backup", str(target)))
    assert "already exists; give another file name" in line
    assert target.read_bytes() == before
    assert list(target.parent.iterdir()) == [target]  # no partial file left


def test_the_daily_backup_is_not_made_on_a_server(run: Run, server: str, tmp_path: Path) -> None:
    ok(run("add", "Anna"))
    ok(run("log", "anna", "a note"))
    assert dumps(tmp_path) == []
    assert ok(run("backups")).startswith("No backups yet.")


@pytest.fixture
def kept_dump(run: Run, server: str, tmp_path: Path) -> Iterator[Path]:
    """A good dump of the test's database, then a change after it."""
    ok(run("add", "Anna Example", "--on", "2024-07-08"))
    for number in range(30):
        ok(run("log", "anna", f"note {number} " + "padding " * 40))
    ok(run("backup", str(tmp_path / "good.dump")))
    ok(run("add", "Boris After"))
    yield tmp_path / "good.dump"


def refused_unchanged(run: Run, server: str, *args: str) -> str:
    before = dump_server(server)
    line = one_line(run(*args))
    assert dump_server(server) == before, f"{args} changed the database"
    return line


def test_a_dump_cut_short_changes_nothing(
    run: Run, server: str, kept_dump: Path, tmp_path: Path
) -> None:
    """Its table of contents and schema version read well; the rows stop midway: the
    load has already dropped the tables when it finds out, and rolls it all back."""
    data = kept_dump.read_bytes()
    cut = tmp_path / "cut.dump"
    cut.write_bytes(data[: len(data) - 600])
    line = refused_unchanged(run, server, "restore", str(cut))
    assert f"{cut} cannot be restored (" in line, line
    assert "Boris After" in ok(run("list"))
    assert ok(run("check")).rstrip().endswith("All checks passed.")


def test_a_load_that_fails_midway_rolls_back_the_drops_and_leaves_other_tables(
    run: Run, server: str, tmp_path: Path
) -> None:
    """Another program's table shares the database: a restore leaves it alone. A dump
    that would create it again fails in psql after dossier's tables were dropped, and
    the one transaction puts everything back."""
    import psycopg

    ok(run("add", "Anna Example"))
    ok(run("backup", str(tmp_path / "plain.dump")))
    sql(server, "CREATE TABLE invoices (id int)", "INSERT INTO invoices VALUES (7)")
    ok(run("add", "Boris After"))
    ok(run("restore", str(tmp_path / "plain.dump")))
    assert "Boris After" not in ok(run("list"))
    with psycopg.connect(server) as conn:  # not dossier's: never dropped
        assert conn.execute("SELECT id FROM invoices").fetchall() == [(7,)]

    both = tmp_path / "with-invoices.dump"
    ok(run("backup", str(both)))  # the whole database: invoices too
    ok(run("add", "Carla Later"))
    line = refused_unchanged(run, server, "restore", str(both))
    assert f"{both} cannot be restored (" in line and "invoices" in line, line
    assert "Carla Later" in ok(run("list"))


@pytest.mark.parametrize(
    ("content", "said"),
    [
        (b"PGDMP\x01\x0e\x00 but then nonsense", "cannot be restored"),
        (b"just some text\n", "is not a dossier backup of a server's database"),
        (b"SQLite format 3\x00" + bytes(200), "is a backup of a SQLite file"),
    ],
)
def test_a_broken_or_foreign_file_changes_nothing(
    run: Run, server: str, kept_dump: Path, tmp_path: Path, content: bytes, said: str
) -> None:
    bad = tmp_path / "bad.dump"
    bad.write_bytes(content)
    assert said in refused_unchanged(run, server, "restore", str(bad))
    assert not [p for p in dumps(tmp_path) if "before-restore" in p.name]  # checked first


def test_another_programs_dump_and_a_newer_dossiers_are_refused(
    run: Run, server: str, pg_server: str, tmp_path: Path
) -> None:

    ok(run("add", "Anna"))
    with empty_database(pg_server, f"other_program_{os.getpid()}") as url:
        sql(url, "CREATE TABLE invoices (id int)", "INSERT INTO invoices VALUES (1)")
        foreign = tmp_path / "foreign.dump"
        done = subprocess.run(
            ["pg_dump", "--format=custom", f"--file={foreign}", f"--dbname={url}"],
            capture_output=True,
        )
        assert done.returncode == 0, done.stderr
        line = refused_unchanged(run, server, "restore", str(foreign))
        assert "is not a dump of a dossier database" in line

    newer = tmp_path / "newer.dump"
    ok(run("backup", str(tmp_path / "now.dump")))
    sql(server, "INSERT INTO migration (version, name) VALUES (99, 'm099_future')")
    done = subprocess.run(
        ["pg_dump", "--format=custom", f"--file={newer}", f"--dbname={server}"],
        capture_output=True,
    )
    assert done.returncode == 0, done.stderr
    sql(server, "DELETE FROM migration WHERE version = 99")
    line = refused_unchanged(run, server, "restore", str(newer))
    assert "was written by a newer dossier (schema 99)" in line


def test_restore_waits_for_a_writer_then_says_locked_and_changes_nothing(
    run: Run, server: str, kept_dump: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The restore takes the lock every writer takes: a command writing meanwhile (here
    a transaction holding it) is waited for, then the restore gives up untouched."""
    import psycopg

    from dossier.storage.postgres.db import LOCK_KEY

    monkeypatch.setenv("DOSSIER_BUSY_TIMEOUT_MS", "300")
    with psycopg.connect(server) as writer:
        writer.execute(f"SELECT pg_advisory_xact_lock({LOCK_KEY})")
        before = dump_server(server)
        line = one_line(run("restore", str(kept_dump)))
        assert "locked by another program or dossier command" in line
    assert dump_server(server) == before


def test_a_sqlite_backup_and_a_server_dump_are_told_apart(
    run: Run, server: str, tmp_path: Path
) -> None:
    ok(run("add", "Anna"))
    dumped = tmp_path / "team.dump"
    ok(run("backup", str(dumped)))
    file_db = tmp_path / "file.db"
    ok(run("--db", str(file_db), "add", "On a file"))
    copy = tmp_path / "file-copy.db"
    ok(run("--db", str(file_db), "backup", str(copy)))

    line = refused_unchanged(run, server, "restore", str(copy))
    assert "is a backup of a SQLite file, and this database is on a PostgreSQL server" in line
    before = file_db.read_bytes()
    line = one_line(run("--db", str(file_db), "restore", str(dumped)))
    assert "is a dump of a PostgreSQL database (pg_dump), and this database is a file" in line
    assert file_db.read_bytes() == before


# --- the client programs ----------------------------------------------------------------


@pytest.mark.parametrize("args", [["backups"], ["restore", "some.dump"], ["backup"]])
def test_without_psycopg_the_safety_commands_say_what_to_install(
    tmp_path: Path, args: list[str]
) -> None:
    """No server needed: ``import psycopg`` is made to fail, as where it is not installed."""
    shim = tmp_path / "shim" / "psycopg"
    shim.mkdir(parents=True)
    (shim / "__init__.py").write_text(
        "raise ModuleNotFoundError(\"No module named 'psycopg'\", name='psycopg')\n"
    )
    (tmp_path / "some.dump").write_bytes(b"PGDMP")
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(shim.parent), *sys.path])}
    result = subprocess.run(
        [sys.executable, "-m", "dossier", "--db", "postgresql://anna@localhost/team", *args],
        capture_output=True,
        text=True,
        env=env,
        cwd=tmp_path,
        timeout=60,
    )
    assert one_line(result) == "dossier: PostgreSQL needs psycopg: pip install 'dossier[postgres]'"


def test_without_pg_dump_on_the_path_it_says_what_to_install(server: str, tmp_path: Path) -> None:
    empty = tmp_path / "bin"
    empty.mkdir()
    env = {**os.environ, "PATH": str(empty)}
    line = one_line(dossier("backup", env=env))
    assert line.startswith("dossier: pg_dump was not found on the PATH") and (
        "apt install postgresql-client" in line
    )
    (tmp_path / "some.dump").write_bytes(b"PGDMP")
    line = one_line(dossier("restore", str(tmp_path / "some.dump"), env=env))
    assert "pg_restore was not found on the PATH" in line


def test_a_pg_dump_older_than_the_server_names_both_versions(server: str, tmp_path: Path) -> None:
    fake = tmp_path / "bin"
    fake.mkdir()
    script = fake / "pg_dump"
    script.write_text(
        "#!/bin/sh\n"
        "echo 'pg_dump: error: aborting because of server version mismatch' >&2\n"
        "echo 'pg_dump: detail: server version: 17.2; pg_dump version: 15.18' >&2\n"
        "exit 1\n"
    )
    script.chmod(0o755)
    env = {**os.environ, "PATH": f"{fake}{os.pathsep}{os.environ.get('PATH', '')}"}
    line = one_line(dossier("backup", env=env))
    assert "pg_dump 15.18 is older than the server (PostgreSQL 17.2)" in line
    assert "version 17 or newer" in line
    assert list((tmp_path / "share").rglob("*.dump")) == []  # no half dump left behind


def test_the_password_reaches_pg_dump_through_the_environment_only(
    server: str, tmp_path: Path
) -> None:
    """A stand-in pg_dump records its command line and PGPASSWORD."""
    from dossier.storage.paths import ServerUrl
    from dossier.storage.postgres import backups

    env, extra = backups.environment(
        ServerUrl("postgresql://anna:s3cret@db.example:5433/team?sslmode=require&keepalives=1")
    )
    assert env["PGPASSWORD"] == "s3cret" and env["PGHOST"] == "db.example"
    assert env["PGPORT"] == "5433" and env["PGDATABASE"] == "team"
    assert env["PGSSLMODE"] == "require" and env["PGUSER"] == "anna"
    assert extra == ["--dbname=keepalives=1"] and "s3cret" not in " ".join(extra)


# --- check -----------------------------------------------------------------------------

# Breaches another program could leave (the server's constraints set aside first), and
# the line of 'check' that must find each, the same on both engines.
BREACHES = [
    (
        "every dossier is in at most one place",
        "UPDATE client SET due = '2024-07-08', due_month = '2024-08' WHERE id = 1",
    ),
    (
        "a fixed time only with a day",
        "UPDATE client SET due = NULL, due_month = NULL, due_time = '09:30' WHERE id = 1",
    ),
    (
        "done dossiers are out of the folder",
        "UPDATE client SET archived_at = '2024-07-01T10:00:00' WHERE id = 1",
    ),
    (
        "no history without a client",
        "INSERT INTO entry (client_id, at, kind, text) VALUES (99, '2024-07-01T10:00:00',"
        " 'note', 'orphan')",
    ),
    ("no tag or field without a client", "INSERT INTO tag (client_id, tag) VALUES (99, 'x')"),
    ("dates are well formed", "UPDATE client SET due = '2024-7-8' WHERE id = 1"),
    ("dates are well formed", "UPDATE client SET due = '2024-02-30' WHERE id = 1"),
    ("dates are well formed", "UPDATE client SET due = NULL, due_month = '2024-13' WHERE id = 1"),
    ("dates are well formed", "UPDATE client SET due_time = '9:30' WHERE id = 1"),
    ("dates are well formed", "UPDATE entry SET at = '2024-07-01 10:00' WHERE id = 1"),
    ("figures kept from the history", "UPDATE stats_day SET entries = entries + 2"),
    ("figures kept from the history", "UPDATE client SET first_contact = '2020-01-01'"),
]


def breach_sqlite(path: Path, statement: str) -> None:
    conn = sqlite3.connect(path)
    try:
        conn.execute("PRAGMA ignore_check_constraints = ON")
        conn.execute(statement)
        conn.commit()
    finally:
        conn.close()


def breach_server(url: str, statement: str) -> None:
    import psycopg

    with psycopg.connect(url, autocommit=True) as conn:
        checks = conn.execute(
            "SELECT conname FROM pg_constraint WHERE conrelid = 'client'::regclass"
            " AND contype = 'c' AND conname NOT LIKE '%name%'"
        ).fetchall()
        for (name,) in checks:
            conn.execute(f'ALTER TABLE client DROP CONSTRAINT "{name}"')
        # The references to a client are left declared but not enforced (their internal
        # triggers off: a superuser's load can do so); dossier's own triggers stay on,
        # as SQLite's do with its foreign keys off.
        enforcing = conn.execute(
            "SELECT t.tgrelid::regclass, t.tgname FROM pg_trigger t"
            " JOIN pg_constraint c ON c.oid = t.tgconstraint"
            " WHERE c.contype = 'f' AND c.confrelid = 'client'::regclass"
            " AND t.tgrelid <> 'client'::regclass"
        ).fetchall()
        for table, name in enforcing:
            conn.execute(f'ALTER TABLE {table} DISABLE TRIGGER "{name}"')
        conn.execute(statement)


def folder_for_check(run: Run) -> None:
    ok(run("add", "Anna", "--on", "2024-07-08", "--at", "10:00"))
    ok(run("log", "anna", "called", "--kind", "call", "--outcome", "reached"))


def test_check_passes_on_a_good_database(run: Run, server: str) -> None:
    ok(run("demo"))
    out = ok(run("check"))
    assert out.splitlines()[0] == "ok    PostgreSQL indexes are valid: ok"
    assert "ok    foreign keys: ok" in out
    assert "ok    search indexes match the history and the cards: ok" in out
    assert out.rstrip().endswith("All checks passed.")


@pytest.mark.parametrize(("rule", "statement"), BREACHES)
def test_check_finds_each_breach_the_same_on_both_engines(
    run: Run,
    monkeypatch: pytest.MonkeyPatch,
    pg_url: str,
    tmp_path: Path,
    rule: str,
    statement: str,
) -> None:
    said = []
    for where in (str(tmp_path / "file.db"), pg_url):
        monkeypatch.setenv("DOSSIER_DB", where)
        folder_for_check(run)
        if where == pg_url:
            breach_server(where, statement)
        else:
            breach_sqlite(Path(where), statement)
        result = run("check")
        assert result.exit_code == 1, result
        assert "check failed" in result.stderr or "checks failed" in result.stderr
        lines = result.stdout.splitlines()
        failed = [line for line in lines if line.startswith("FAIL")]
        assert any(rule in line for line in failed), result.stdout
        said.append(lines[1:])  # the first line (and the count of failures) are the
        # engine's own: SQLite's integrity check also sees a broken CHECK constraint
    assert said[0] == said[1]


def test_check_repair_counts_a_broken_tally_again(run: Run, server: str) -> None:
    folder_for_check(run)
    stats = ok(run("stats", "--json"))
    sql(server, "UPDATE stats_day SET entries = entries + 5")
    result = run("check")
    assert result.exit_code == 1
    assert (
        "FAIL  figures kept from the history match it (contact days, stats tallies): "
        "1 row out of step; 'dossier check --repair' counts it again"
    ) in result.stdout
    assert ok(run("check", "--repair")).rstrip().endswith("All checks passed.")
    assert ok(run("check")).rstrip().endswith("All checks passed.")
    assert ok(run("stats", "--json")) == stats


def test_check_finds_stale_search_columns_and_repair_recomputes_them(run: Run, server: str) -> None:
    """A search column out of step with the expression the schema declares (as after a
    change of the accent rules under it): found, and recomputed by --repair."""
    folder_for_check(run)
    sql(
        server,
        "SET session_replication_role = replica",  # a rewrite with the triggers off …
        "CREATE OR REPLACE FUNCTION dossier_words(text) RETURNS text LANGUAGE sql"
        " IMMUTABLE STRICT AS $$ SELECT 'stale' $$",
        "UPDATE entry SET text = text",
        # … and the rule back as it was: the stored words are now out of step
        "CREATE OR REPLACE FUNCTION dossier_words(text) RETURNS text LANGUAGE sql"
        " IMMUTABLE STRICT AS $$ SELECT regexp_replace(dossier_unaccent($1), '[^[:alnum:]]+',"
        " ' ', 'g') $$",
    )
    result = run("check")
    assert result.exit_code == 1
    assert "FAIL  search indexes match the history and the cards: 1 row out of step" in (
        result.stdout
    )
    assert ok(run("check", "--repair")).rstrip().endswith("All checks passed.")
    assert "called" in ok(run("find", "called"))


# --- forget ----------------------------------------------------------------------------

PHRASE = "Zanzibarquokka"


def test_forget_on_a_server_leaves_no_row_and_lists_the_dumps_holding_it(
    run: Run, server: str, tmp_path: Path
) -> None:
    ok(run("add", "Keep Me", "--on", "2024-07-08"))
    ok(run("add", "Forget Me", "--company", f"{PHRASE} GmbH", "--tag", "secret", "--on",
           "2024-07-09", "--for", f"discuss {PHRASE}"))  # fmt: skip
    ok(run("log", "forget", f"Met about {PHRASE}", "--kind", "meeting"))
    ok(run("edit", "forget", "--set", f"note={PHRASE}", "--untag", "secret", "--tag", "b"))
    ok(run("file", "forget", "--on", "2024-07-15", "-m", f"called about {PHRASE}"))
    ok(run("log", "keep", "stays"))
    assert PHRASE.lower() in dump_server(server).lower()
    ok(run("backup"))

    out = ok(run("forget", "forget", "--yes"))
    assert out.startswith("Forgot #2 Forget Me: ")
    assert "gone from the server's database" in out
    assert "marked for reuse (VACUUM)" in out  # the test's user owns the tables
    assert "1 dump of this database on this machine still holds it" in out
    (held,) = [line.strip() for line in out.splitlines() if line.startswith("  ")]
    assert held.endswith("-manual.dump") and Path(held) in dumps(tmp_path)
    assert out.rstrip().endswith("This cannot be undone.")

    rows = dump_server(server).lower()
    assert PHRASE.lower() not in rows  # no card, entry, field, tag, undo step, command
    assert "forget me" not in rows
    assert "stays" in rows
    assert ok(run("check")).rstrip().endswith("All checks passed.")
    for _ in range(10):  # undo walks back what is left, never bringing it back
        if run("undo").exit_code != 0:
            break
        assert "Forget Me" not in ok(run("list"))


def test_a_plain_pg_restore_of_the_teams_database_works(
    run: Run, server: str, pg_server: str, tmp_path: Path
) -> None:
    """The administrator's own tools, not dossier's: ``pg_dump`` then ``pg_restore`` into
    a new database. A dump loads its rows with an empty search path, and the history's
    search column is computed as they go in: a search function calling another by its
    bare name failed there (m015 names the schema)."""

    ok(run("add", "Bodegas Núñez", "--on", "2024-07-08"))
    ok(run("log", "nunez", "Llamó por el presupuesto de otoño"))
    archive = tmp_path / "team.dump"
    subprocess.run(["pg_dump", "-Fc", "-d", server, "-f", str(archive)], check=True, timeout=120)
    with empty_database(pg_server, f"dossier_plain_restore_{os.getpid()}") as target:
        restored = subprocess.run(
            ["pg_restore", "--exit-on-error", "--no-owner", "-d", target, str(archive)],
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert restored.returncode == 0, restored.stderr
        assert data_rows(dump_server(target)) == data_rows(dump_server(server))
        found = run("--db", target, "find", "otono")  # the search column came back
        assert "Bodegas Núñez" in ok(found)
