"""Nothing lost, under stress: two writers at once, a bulk load killed at random moments,
Ctrl-C in the middle of an import, damaged, newer and read-only files, a migration from
the previous schema, backups, restore, check, export/import, names and a hostile terminal.

Every test looks at what a user would see: exit codes, the one line on stderr, and above
all what the database holds afterwards.
"""

from __future__ import annotations

import json
import os
import random
import shlex
import signal
import sqlite3
import subprocess
import sys
import textwrap
import time
import unicodedata
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

from conftest import Result, dump
from dossier.storage.sqlite import migrations

Run = Callable[..., Result]

BIN = Path(sys.executable).parent
DOSSIER = str(BIN / "dossier")


# --------------------------------------------------------------------------- helpers


def ok(result: Result) -> str:
    assert result.exit_code == 0, result
    assert "Traceback" not in result.stderr, result
    return result.stdout


def one_line_error(result: Result, *words: str, code: int = 1) -> str:
    """Exit code, exactly one ``dossier: …`` line on stderr, no traceback, no stdout."""
    assert result.exit_code == code, result
    assert "Traceback" not in result.stderr, result
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result
    assert lines[0].startswith("dossier: "), result
    for word in words:
        assert word in lines[0], result
    return lines[0]


def mode(path: Path) -> int:
    return path.stat().st_mode & 0o777


def backups_folder(db: Path) -> Path:
    return db.with_name(db.name + ".backups")


def query(path: Path, sql: str, *params: Any) -> list[tuple[Any, ...]]:
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        return conn.execute(sql, params).fetchall()
    finally:
        conn.close()


def names_in(path: Path) -> list[str]:
    return [name for (name,) in query(path, "SELECT name FROM client ORDER BY name")]


def integrity(path: Path) -> list[tuple[Any, ...]]:
    return query(path, "PRAGMA integrity_check")


def search_index_agrees(path: Path) -> bool:
    """FTS5's own check of every search index against the rows it indexes (rank 1: an
    external-content index such as the history's is otherwise only checked inwardly)."""
    conn = sqlite3.connect(path)
    try:
        indexes = conn.execute(
            "SELECT name, sql FROM sqlite_master WHERE type = 'table'"
            " AND sql LIKE 'CREATE VIRTUAL TABLE%USING fts5%'"
        ).fetchall()
        assert "entry_fts" in [name for name, _sql in indexes]
        for name, sql in indexes:
            conn.execute(f"INSERT INTO {name} ({name}) VALUES ('integrity-check')")
            if "content" in sql.replace(" ", "").split("fts5", 1)[1]:
                conn.execute(f"INSERT INTO {name} ({name}, rank) VALUES ('integrity-check', 1)")
        return True
    except sqlite3.DatabaseError:
        return False
    finally:
        conn.rollback()
        conn.close()


def card(run: Run, client: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(ok(run("show", client, "--json")))
    return data


def listed(run: Run, *flags: str) -> list[str]:
    return [c["name"] for c in json.loads(ok(run("list", "--json", *flags)))]


def found(run: Run, text: str) -> list[str]:
    return sorted(c["name"] for c in json.loads(ok(run("find", text, "--json"))))


def folder_files(folder: Path) -> dict[str, bytes]:
    """Every file of a folder (recursively) with its bytes."""
    return {
        str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()
    }


def made_backup(run: Run, *args: str) -> Path:
    out = ok(run("backup", *args))
    assert out.startswith("Backed up to "), out
    return Path(out.removeprefix("Backed up to ").rsplit(" (", 1)[0])


def sub_env(db: Path, **extra: str) -> dict[str, str]:
    """The environment of a dossier process: the test's, with the default busy timeout."""
    env = dict(os.environ, DOSSIER_DB=str(db), NO_COLOR="1")
    env.pop("DOSSIER_BUSY_TIMEOUT_MS", None)
    env.update(extra)
    return env


def typed(run: Run, line: str) -> str:
    """Run a command line as typed in a shell, and expect it to succeed."""
    return ok(run(*shlex.split(line)))


def small_folder(run: Run) -> None:
    typed(run, "add Acme --company 'Acme Ltd' --tag vip --on 2024-07-10 --note 'met at the fair'")
    typed(run, "log Acme 'talked about turbines'")
    typed(run, "edit Acme --set budget=12k")
    typed(run, "log Acme 'sent the turbine quote' --kind email")
    typed(run, "add Globex --on august --note 'globex asks about gears'")


# --------------------------------------------------------------- two writers at once

WRITER = textwrap.dedent(
    """
    import sys
    from dossier.cli import app

    label = sys.argv[1]
    print("ready", flush=True)
    sys.stdin.readline()  # both start writing together
    failures = 0
    for i in range(200):
        code = app(["log", "1", f"{label} n{i}"], standalone_mode=False)
        if code != 0:
            failures += 1
            print(f"call {i}: exit {code}", file=sys.stderr)
    sys.exit(1 if failures else 0)
    """
)


def test_two_processes_writing_200_entries_each_lose_nothing(
    run: Run, db_path: Path, tmp_path: Path
) -> None:
    ok(run("add", "Acme"))
    script = tmp_path / "writer.py"
    script.write_text(WRITER)
    procs = [
        subprocess.Popen(
            [sys.executable, str(script), label],
            env=sub_env(db_path),
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for label in ("p1", "p2")
    ]
    try:
        for proc in procs:
            assert proc.stdout is not None and proc.stdout.readline() == "ready\n"
        for proc in procs:
            assert proc.stdin is not None
            proc.stdin.write("go\n")
            proc.stdin.flush()
        outcomes = [proc.communicate(timeout=120) for proc in procs]
    finally:
        for proc in procs:
            if proc.poll() is None:
                proc.kill()
    assert [(proc.returncode, err) for proc, (_out, err) in zip(procs, outcomes, strict=True)] == [
        (0, ""),
        (0, ""),
    ]
    texts = [t for (t,) in query(db_path, "SELECT text FROM entry WHERE client_id = 1")]
    assert len(texts) == 400
    assert sorted(texts) == sorted(f"{p} n{i}" for p in ("p1", "p2") for i in range(200))
    assert integrity(db_path) == [("ok",)]
    assert len(card(run, "Acme")["history"]) == 400


# --------------------------------------------------------------- bulk load killed at random

LOADER = textwrap.dedent(
    """
    import sys
    import time
    from pathlib import Path

    from dossier.storage import schema  # noqa: F401  (imported before the clock starts)
    from dossier.storage.sqlite import bulk
    from dossier.storage.sqlite.db import open_database

    path, first, n_clients, n_entries = sys.argv[1], *map(int, sys.argv[2:5])
    stamp = "2024-07-05T09:00:00"
    clients = [
        {"id": first + i, "name": f"Bulk {first + i}", "company": f"Company {i % 97}",
         "created_at": stamp, "updated_at": stamp, "due": "2024-07-10" if i % 3 else None}
        for i in range(n_clients)
    ]
    entries = [
        {"client_id": first + j % n_clients, "at": "2024-07-01T10:00:00", "kind": "call",
         "outcome": "reached", "text": f"bulk note {j} about the quarterly review"}
        for j in range(n_entries)
    ]
    database = open_database(Path(path))
    started = time.monotonic()
    with database.transaction(write=True) as conn:
        print("started", flush=True)
        bulk.load(conn, clients, entries)
    print(f"committed {time.monotonic() - started:.3f}", flush=True)
    database.close()
    """
)

LOAD_CLIENTS = 3_000
LOAD_ENTRIES = 30_000
KILL_LOOPS = 20


def counts(db: Path) -> tuple[int, int]:
    (row,) = query(db, "SELECT (SELECT count(*) FROM client), (SELECT count(*) FROM entry)")
    return row[0], row[1]


def start_load(script: Path, db: Path) -> subprocess.Popen[str]:
    first = query(db, "SELECT coalesce(max(id), 0) + 1 FROM client")[0][0]
    proc = subprocess.Popen(
        [sys.executable, str(script), str(db), str(first), str(LOAD_CLIENTS), str(LOAD_ENTRIES)],
        env=sub_env(db),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert proc.stdout is not None
    line = proc.stdout.readline()
    assert line == "started\n", (line, proc.stderr.read() if proc.stderr else "")
    return proc


def test_a_bulk_load_killed_at_random_moments_leaves_none_or_all_of_it(
    run: Run, db_path: Path, tmp_path: Path
) -> None:
    ok(run("add", "Seed", "--note", "the first client"))
    script = tmp_path / "loader.py"
    script.write_text(LOADER)

    # One load left to finish: how long a load takes here, and what "all of it" is.
    before = counts(db_path)
    proc = start_load(script, db_path)
    out, err = proc.communicate(timeout=60)
    assert proc.returncode == 0 and err == "", err
    duration = float(out.split()[1])
    assert counts(db_path) == (before[0] + LOAD_CLIENTS, before[1] + LOAD_ENTRIES)

    # Kills spread over the whole load (stratified, seeded), and a few right after its
    # commit: those wait for it to say so, since a loaded machine makes any load slower
    # than the one measured (a delay past the measured end could still land inside).
    rng = random.Random(20240705)
    inside = KILL_LOOPS - 3
    delays: list[float | None] = [duration * (k + rng.random()) / inside for k in range(inside)]
    delays += [None] * (KILL_LOOPS - inside)
    outcomes = []
    for delay in delays:
        before = counts(db_path)
        proc = start_load(script, db_path)
        if delay is None:
            assert proc.stdout is not None
            assert proc.stdout.readline().startswith("committed")
        else:
            time.sleep(delay)
        proc.send_signal(signal.SIGKILL)
        proc.communicate(timeout=60)

        assert integrity(db_path) == [("ok",)], f"after a kill at {delay}s"
        after = counts(db_path)
        whole = (before[0] + LOAD_CLIENTS, before[1] + LOAD_ENTRIES)
        assert after in (before, whole), f"partial load after a kill at {delay}s: {after}"
        outcomes.append("all" if after == whole else "none")

    # The kills did land both inside and after the load, or the test proved nothing.
    assert "none" in outcomes and "all" in outcomes, (duration, outcomes)
    # The search index and the folder's rules survived every kill.
    assert search_index_agrees(db_path)
    check = ok(run("check"))
    assert "All checks passed." in check
    assert found(run, "first client") == ["Seed"]


# --------------------------------------------------------------- Ctrl-C during an import


def big_export(path: Path, clients: int, entries_each: int) -> Path:
    document = {
        "dossier_export": 1,
        "exported": "2024-07-01T09:00:00",
        "clients": [
            {
                "name": f"Imported {i}",
                "company": f"Firm {i}",
                "tags": ["handover"],
                "fields": {"region": f"r{i % 7}"},
                "filed": {"due": "2024-07-10"} if i % 2 else {},
                "history": [
                    {
                        "at": "2024-06-01T10:00:00",
                        "kind": "call",
                        "outcome": "reached",
                        "text": f"handover note {i}.{j} about the renewal of the contract",
                    }
                    for j in range(entries_each)
                ],
            }
            for i in range(clients)
        ],
    }
    path.write_text(json.dumps(document), encoding="utf-8")
    return path


def test_ctrl_c_during_an_import_saves_nothing(run: Run, db_path: Path, tmp_path: Path) -> None:
    small_folder(run)
    before = dump(db_path)
    big = big_export(tmp_path / "BIG.json", 6_000, 10)
    # Another day: the import is that day's first write, so its daily backup appears
    # just before its write transaction begins.
    env = sub_env(db_path, DOSSIER_TODAY="2024-07-08")
    daily = backups_folder(db_path) / "dossier-daily-20240708.db"

    started = time.monotonic()
    proc = subprocess.Popen(
        [DOSSIER, "import", str(big)],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        while (time.monotonic() - started < 0.3 or not daily.exists()) and proc.poll() is None:
            time.sleep(0.01)
        time.sleep(0.2)  # well inside the import's transaction
        assert proc.poll() is None, "the import ended before Ctrl-C: make BIG.json bigger"
        proc.send_signal(signal.SIGINT)
        out, err = proc.communicate(timeout=60)
    finally:
        if proc.poll() is None:
            proc.kill()

    assert proc.returncode == 130, (out, err)
    assert err == "dossier: Interrupted, nothing saved\n"
    assert out == ""
    assert dump(db_path) == before
    assert query(db_path, "SELECT count(*) FROM client WHERE name LIKE 'Imported%'") == [(0,)]
    assert integrity(db_path) == [("ok",)]
    assert search_index_agrees(db_path)
    # Nothing half-remembered either: the last change is still the one before.
    assert ok(run("undo")).startswith("Undid: dossier add Globex")
    assert listed(run) == ["Acme"]


# --------------------------------------------------------------- files that cannot be used


def truncate_half(db: Path) -> None:
    size = db.stat().st_size
    with db.open("r+b") as handle:
        handle.truncate(size // 2)


def zero_header(db: Path) -> None:
    with db.open("r+b") as handle:
        handle.write(bytes(100))


DAMAGE = {"truncated to half": truncate_half, "zeroed header": zero_header}
COMMANDS = {
    "today": ("today",),
    "show": ("show", "Acme"),
    "list": ("list",),
    "add": ("add", "Zed"),
    "log": ("log", "Acme", "called back"),
    "undo": ("undo",),
    "export": ("export",),
    "check": ("check",),
    "backup": ("backup",),
}


def damaged_with_backup(run: Run, db: Path, damage: str) -> Path:
    ok(run("demo"))
    ok(run("log", "1", "a note after the demo"))
    backup = made_backup(run)
    assert not db.with_name(db.name + "-wal").exists()
    assert db.stat().st_size > 16 * 4096
    DAMAGE[damage](db)
    return backup


@pytest.mark.sqlite_only("damages the file itself")
@pytest.mark.parametrize("command", list(COMMANDS))
@pytest.mark.parametrize("damage", list(DAMAGE))
def test_an_unreadable_file_is_refused_naming_the_latest_backup(
    run: Run, db_path: Path, damage: str, command: str
) -> None:
    backup = damaged_with_backup(run, db_path, damage)
    before = folder_files(db_path.parent)

    line = one_line_error(run(*COMMANDS[command]), str(db_path), "not a readable")
    assert str(backup) in line, "the message should name the latest backup"
    assert folder_files(db_path.parent) == before


@pytest.mark.sqlite_only("damages the file itself")
@pytest.mark.parametrize("damage", list(DAMAGE))
def test_the_restore_the_message_advises_brings_the_folder_back(
    run: Run, db_path: Path, damage: str
) -> None:
    """The error says "restore the latest backup with 'dossier restore X'": doing exactly
    that must work on the damaged database, and keep the damaged file aside."""
    backup = damaged_with_backup(run, db_path, damage)
    damaged = db_path.read_bytes()
    line = one_line_error(run("today"), str(db_path))
    advised = line.split("'dossier restore ", 1)[1].rstrip("'")
    assert advised == str(backup)

    result = run("restore", advised)

    assert result.exit_code == 0, result
    assert integrity(db_path) == [("ok",)]
    assert len(listed(run)) + len(listed(run, "--archived")) == 40
    assert any(p.read_bytes() == damaged for p in backups_folder(db_path).iterdir())


NEWER_COMMANDS = {
    "undo": ("undo",),
    "rm": ("rm", "Acme", "--yes"),
    "check": ("check",),
    "export": ("export",),
    "backup": ("backup",),
    "demo": ("demo",),
    "level": ("level", "--capacity", "1"),
    "off": ("off", "2024-07-15"),
}


@pytest.mark.parametrize("command", list(NEWER_COMMANDS))
def test_a_newer_file_is_refused_by_every_command_and_left_byte_for_byte(
    run: Run, db_path: Path, command: str
) -> None:
    small_folder(run)
    conn = sqlite3.connect(db_path)
    conn.execute(f"PRAGMA user_version = {migrations.LATEST + 1}")
    conn.close()
    before = folder_files(db_path.parent)

    one_line_error(run(*NEWER_COMMANDS[command]), str(db_path), "newer")
    assert folder_files(db_path.parent) == before


# --------------------------------------------------------------- read-only file


READS = {
    "today": ("today", "--json"),
    "show": ("show", "Acme", "--json"),
    "list": ("list", "--json"),
    "find": ("find", "turbine", "--json"),
    "agenda": ("agenda", "--json"),
}
WRITES = {
    "add": ("add", "Zed"),
    "file": ("file", "Acme", "--on", "2024-07-09", "-m", "called"),
    "log": ("log", "Acme", "called back"),
    "undo": ("undo",),
    "rm": ("rm", "Globex", "--yes"),
}


@contextmanager
def read_only(db: Path, folder_writable: bool) -> Iterator[None]:
    os.chmod(db, 0o444)
    if not folder_writable:
        os.chmod(db.parent, 0o555)
    try:
        yield
    finally:
        os.chmod(db.parent, 0o700)
        os.chmod(db, 0o600)


@pytest.mark.parametrize("folder_writable", [True, False], ids=["folder-writable", "folder-ro"])
def test_a_read_only_file_can_be_read_but_not_written(
    run: Run, db_path: Path, folder_writable: bool
) -> None:
    small_folder(run)
    assert not db_path.with_name(db_path.name + "-wal").exists(), "not checkpointed"
    assert not db_path.with_name(db_path.name + "-shm").exists()
    expected = {name: ok(run(*args)) for name, args in READS.items()}
    exported = json.loads(ok(run("export")))
    before = db_path.read_bytes()

    with read_only(db_path, folder_writable):
        for name, args in READS.items():
            assert ok(run(*args)) == expected[name], name
        assert found(run, "turbine") == ["Acme"]
        now = json.loads(ok(run("export")))
        assert now["clients"] == exported["clients"]
        for name, args in WRITES.items():
            one_line_error(run(*args), str(db_path), "read-only")
            assert db_path.read_bytes() == before, name

    assert db_path.read_bytes() == before
    assert listed(run) == ["Acme", "Globex"]


def test_reading_a_read_only_file_leaves_no_side_files_that_block_writing_later(
    run: Run, db_path: Path
) -> None:
    """Side files are 0600 (or gone). SQLite gives a -wal/-shm it creates for a read-only
    connection the database's own mode, 0444: once the user makes the database writable
    again (chmod u+w), a non-root user's every write then fails with "attempt to write a
    readonly database" until those files are deleted by hand."""
    small_folder(run)
    with read_only(db_path, folder_writable=True):
        ok(run("today"))
        ok(run("show", "Acme"))
    side = {
        suffix: oct(mode(db_path.with_name(db_path.name + suffix)))
        for suffix in ("-wal", "-shm")
        if db_path.with_name(db_path.name + suffix).exists()
    }
    assert side == {suffix: oct(0o600) for suffix in side}
    ok(run("add", "Hooli"))
    assert listed(run) == ["Acme", "Globex", "Hooli"]


@pytest.mark.sqlite_only("a read-only file")
def test_check_on_a_healthy_read_only_file_passes(run: Run, db_path: Path) -> None:
    """``check`` only reads: on a read-only copy of a healthy folder it must pass, not
    report a broken search index and advise a repair that cannot write."""
    small_folder(run)
    with read_only(db_path, folder_writable=True):
        result = run("check")
    assert result.exit_code == 0, result
    assert "FAIL" not in result.stdout
    assert "All checks passed." in result.stdout


# --------------------------------------------------------------- migration from LATEST - 1


def previous_version_file(path: Path) -> int:
    """A database as the previous dossier left it: every step but the last, with the
    pragmas dossier uses, and one client with one history entry written in plain SQL."""
    previous = migrations.LATEST - 1
    assert previous >= 1
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("PRAGMA journal_mode = WAL")
    conn.execute("PRAGMA foreign_keys = ON")
    conn.execute("PRAGMA synchronous = FULL")
    for version in range(1, previous + 1):
        migrations.apply(conn, version)
    conn.execute(
        "INSERT INTO client (id, name, name_key, company, company_key, due, created_at,"
        " updated_at) VALUES (1, 'Old Timer', 'old timer', 'Vintage Co', 'vintage co',"
        " '2024-07-05', '2024-01-02T09:00:00', '2024-01-02T09:00:00')"
    )
    # The derived keys that version of dossier wrote with every client, as it wrote them.
    columns = {row[1] for row in conn.execute("PRAGMA table_info(client)")}
    derived = {"name_fold": "old timer", "company_fold": "vintage co", "name_sort": "old timer"}
    for column, value in derived.items():
        if column in columns:
            conn.execute(f"UPDATE client SET {column} = ? WHERE id = 1", (value,))
    conn.execute(
        "INSERT INTO entry (client_id, at, kind, outcome, text) VALUES"
        " (1, '2024-01-02T09:30:00', 'call', 'reached', 'spoke about the vintage zeppelin')"
    )
    conn.close()
    os.chmod(path, 0o600)
    assert query(path, "PRAGMA user_version") == [(previous,)]
    return previous


@pytest.mark.sqlite_only("an older dossier's SQLite file")
def test_a_file_at_the_previous_schema_is_backed_up_then_migrated(run: Run, db_path: Path) -> None:
    previous = previous_version_file(db_path)

    today = ok(run("today"))
    assert "Old Timer" in today

    assert query(db_path, "PRAGMA user_version") == [(migrations.LATEST,)]
    assert names_in(db_path) == ["Old Timer"]
    assert card(run, "Old Timer")["history"][0]["text"] == "spoke about the vintage zeppelin"
    assert found(run, "zeppelin") == ["Old Timer"]
    assert found(run, "Vintage") == ["Old Timer"]  # the card found by its company too
    assert search_index_agrees(db_path)
    assert "All checks passed." in ok(run("check"))

    backups = list(backups_folder(db_path).glob("*before-migration*.db"))
    assert len(backups) == 1, sorted(p.name for p in backups_folder(db_path).iterdir())
    assert mode(backups[0]) == 0o600
    assert mode(backups_folder(db_path)) == 0o700
    assert integrity(backups[0]) == [("ok",)]
    assert query(backups[0], "PRAGMA user_version") == [(previous,)]
    assert names_in(backups[0]) == ["Old Timer"]

    # The migrated file takes writes, and remembers them for undo.
    ok(run("log", "Old Timer", "after the upgrade"))
    ok(run("undo"))
    assert len(card(run, "Old Timer")["history"]) == 1


# --------------------------------------------------------------- backups


@pytest.mark.sqlite_only("reads the copy beside the file (a server's: test_postgres_server)")
def test_backup_makes_a_private_consistent_copy(run: Run, db_path: Path) -> None:
    small_folder(run)
    backup = made_backup(run)
    assert backup.parent == backups_folder(db_path)
    assert "manual" in backup.name
    assert mode(backup.parent) == 0o700
    assert mode(backup) == 0o600
    assert integrity(backup) == [("ok",)]
    assert names_in(backup) == ["Acme", "Globex"]
    assert query(backup, "SELECT count(*) FROM entry") == [(4,)]
    assert str(backup) in ok(run("backups"))


def test_backup_to_a_path_refuses_an_existing_file(run: Run, db_path: Path, tmp_path: Path) -> None:
    small_folder(run)
    target = tmp_path / "elsewhere" / "copy.db"
    target.parent.mkdir()
    assert made_backup(run, str(target)) == target
    assert mode(target) == 0o600
    assert names_in(target) == ["Acme", "Globex"]

    ok(run("add", "Hooli"))
    kept = target.read_bytes()
    one_line_error(run("backup", str(target)), str(target), "exists")
    assert target.read_bytes() == kept
    assert names_in(target) == ["Acme", "Globex"]

    other = tmp_path / "elsewhere" / "notes.txt"
    other.write_text("mine")
    one_line_error(run("backup", str(other)), str(other))
    assert other.read_text() == "mine"


def dailies(db: Path) -> list[str]:
    return sorted(p.name for p in backups_folder(db).glob("*-daily-*.db"))


@pytest.mark.sqlite_only("the daily copies beside the file (a server makes none)")
def test_the_first_write_of_a_day_keeps_that_mornings_folder(
    run: Run, db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("DOSSIER_TODAY", "2024-07-04")
    ok(run("add", "Acme", "--note", "yesterday's client"))
    monkeypatch.setenv("DOSSIER_TODAY", "2024-07-05")
    ok(run("today"))
    ok(run("show", "Acme"))
    assert dailies(db_path) == ["dossier-daily-20240704.db"], "reading makes no daily copy"

    ok(run("add", "Globex"))
    assert dailies(db_path) == ["dossier-daily-20240704.db", "dossier-daily-20240705.db"]
    daily = backups_folder(db_path) / "dossier-daily-20240705.db"
    assert mode(daily) == 0o600
    assert integrity(daily) == [("ok",)]
    assert names_in(daily) == ["Acme"]  # the morning's state, before today's first write
    kept = daily.read_bytes()

    ok(run("add", "Hooli"))
    ok(run("log", "Acme", "second write today"))
    assert dailies(db_path) == ["dossier-daily-20240704.db", "dossier-daily-20240705.db"]
    assert daily.read_bytes() == kept


@pytest.mark.sqlite_only("the daily copies beside the file (a server makes none)")
def test_only_the_last_seven_daily_copies_are_kept(
    run: Run, db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    days = [f"2024-07-{d:02d}" for d in range(1, 10)]
    for day in days:
        monkeypatch.setenv("DOSSIER_TODAY", day)
        ok(run("add", f"Client {day}"))
    assert dailies(db_path) == [f"dossier-daily-2024070{d}.db" for d in range(3, 10)]
    # Each copy holds the folder as it was before that day's write.
    last = backups_folder(db_path) / "dossier-daily-20240709.db"
    assert names_in(last) == [f"Client {day}" for day in days[:-1]]
    listing = ok(run("backups"))
    for name in dailies(db_path):
        assert str(backups_folder(db_path) / name) in listing
    assert "20240701" not in listing and "20240702" not in listing
    kinds = [line.split()[2] for line in listing.splitlines()[1:]]
    assert kinds == ["daily"] * 7


# --------------------------------------------------------------- restore


def test_restore_brings_back_a_backup_and_keeps_the_replaced_file(run: Run, db_path: Path) -> None:
    small_folder(run)
    backup = made_backup(run)
    before_backup = dump(backup)
    ok(run("rm", "Acme", "--yes"))
    ok(run("add", "Newcomer", "--note", "arrived after the backup"))

    out = ok(run("restore", str(backup)))
    assert str(backup) in out

    assert listed(run) == ["Acme", "Globex"]
    assert card(run, "Acme")["fields"] == {"budget": "12k"}
    assert found(run, "turbine") == ["Acme"]
    assert found(run, "arrived") == []
    assert search_index_agrees(db_path)
    kept = list(backups_folder(db_path).glob("*before-restore*"))
    assert len(kept) == 1
    assert str(kept[0]) in out
    assert mode(kept[0]) == 0o600
    assert names_in(kept[0]) == ["Globex", "Newcomer"]
    assert dump(backup) == before_backup, "restoring must not change the backup"
    check = ok(run("check"))
    assert "All checks passed." in check


@pytest.mark.sqlite_only("an older dossier's SQLite file")
def test_restoring_a_backup_from_the_previous_schema_migrates_it(
    run: Run, db_path: Path, tmp_path: Path
) -> None:
    small_folder(run)
    old = tmp_path / "old-backup.db"
    previous = previous_version_file(old)

    ok(run("restore", str(old)))

    assert query(db_path, "PRAGMA user_version") == [(migrations.LATEST,)]
    assert listed(run) == ["Old Timer"]
    assert found(run, "zeppelin") == ["Old Timer"]
    assert found(run, "Vintage") == ["Old Timer"]
    assert search_index_agrees(db_path)
    assert "All checks passed." in ok(run("check"))
    assert query(old, "PRAGMA user_version") == [(previous,)], "the backup is left as it was"
    kept = list(backups_folder(db_path).glob("*before-restore*"))
    assert len(kept) == 1 and names_in(kept[0]) == ["Acme", "Globex"]


def newer_copy(path: Path) -> None:
    conn = sqlite3.connect(path)
    conn.execute(f"PRAGMA user_version = {migrations.LATEST + 1}")
    conn.close()


def not_a_database(path: Path) -> None:
    path.write_text("client list\nAcme, 555-0100\n")


def half(path: Path) -> None:
    truncate_half(path)


BAD_BACKUPS = {
    "damaged": half,
    "zeroed header": zero_header,
    "not a database": not_a_database,
    "newer schema": newer_copy,
}


@pytest.mark.parametrize("badness", list(BAD_BACKUPS))
def test_restore_refuses_a_bad_file_and_changes_nothing(
    run: Run, db_path: Path, tmp_path: Path, badness: str
) -> None:
    ok(run("demo"))
    bad = made_backup(run, str(tmp_path / "bad.db"))
    ok(run("add", "After the backup"))
    BAD_BACKUPS[badness](bad)
    bad_bytes = bad.read_bytes()
    before = folder_files(db_path.parent)

    one_line_error(run("restore", str(bad)), str(bad))

    assert folder_files(db_path.parent) == before
    assert bad.read_bytes() == bad_bytes
    assert "After the backup" in listed(run)


# --------------------------------------------------------------- check


def test_check_passes_on_a_healthy_folder(run: Run) -> None:
    ok(run("demo"))
    ok(run("log", "1", "a note"))
    lines = ok(run("check")).splitlines()
    assert lines[-1] == "All checks passed."
    assert len(lines) > 5
    assert all(line.startswith("ok ") for line in lines[:-1]), lines


def corrupt(db: Path, *statements: str) -> None:
    conn = sqlite3.connect(db, isolation_level=None)
    conn.execute("PRAGMA foreign_keys = OFF")
    conn.execute("PRAGMA ignore_check_constraints = ON")
    for statement in statements:
        conn.execute(statement)
    conn.close()


BROKEN_RULES = {
    "in two places": (
        ["UPDATE client SET due_month = '2024-08' WHERE name = 'Acme'"],
        ["every dossier is in at most one place"],
    ),
    "history without a client": (
        [
            "INSERT INTO entry (client_id, at, kind, text)"
            " VALUES (999, '2024-07-01T10:00:00', 'note', 'x')"
        ],
        ["no history without a client", "foreign keys"],
    ),
    "done but filed": (
        ["UPDATE client SET archived_at = '2024-07-01T10:00:00' WHERE name = 'Acme'"],
        ["done dossiers are out of the folder"],
    ),
    "a time without a day": (
        ["UPDATE client SET due_time = '10:00' WHERE name = 'Globex'"],
        ["a fixed time only with a day"],
    ),
    "a malformed date": (
        ["UPDATE client SET due = '10/07/2024' WHERE name = 'Acme'"],
        ["dates are well formed"],
    ),
    "a malformed month": (
        ["UPDATE client SET due_month = '2024-13' WHERE name = 'Globex'"],
        ["dates are well formed"],
    ),
    "an impossible date": (
        ["UPDATE client SET due = '2024-02-30' WHERE name = 'Acme'"],
        ["dates are well formed"],
    ),
    "a malformed time": (
        ["UPDATE client SET due_time = '9:30' WHERE name = 'Acme'"],
        ["dates are well formed"],
    ),
    "a malformed history timestamp": (
        ["UPDATE entry SET at = '2024-07-01 10:00' WHERE id = 1"],
        ["dates are well formed"],
    ),
}


@pytest.mark.parametrize("rule", list(BROKEN_RULES))
def test_check_names_the_broken_rule(run: Run, db_path: Path, rule: str) -> None:
    small_folder(run)
    statements, broken = BROKEN_RULES[rule]
    corrupt(db_path, *statements)

    result = run("check")

    one_line_error(result, "failed")
    failing = {
        line.split(":")[0].removeprefix("FAIL").strip()
        for line in result.stdout.splitlines()
        if line.startswith("FAIL")
    }
    # SQLite's own integrity check may also report the CHECK constraint: the rule must be
    # named in any case, and nothing unrelated may be reported broken.
    assert set(broken) <= failing, result.stdout
    assert failing <= {*broken, "SQLite integrity check"}, result.stdout


def test_a_date_another_program_wrote_wrong_gives_one_line_not_a_traceback(
    run: Run, db_path: Path
) -> None:
    """Every error is one line on stderr, even one caused by a row dossier would never
    write: the user is pointed at 'dossier check' instead of shown a traceback."""
    small_folder(run)
    corrupt(db_path, "UPDATE client SET due = '2024-02-30' WHERE name = 'Acme'")
    for args in (("today",), ("show", "Acme"), ("folder",)):
        try:
            result = run(*args)
        except Exception as exc:  # the CLI let it escape: a traceback for the user
            pytest.fail(f"dossier {' '.join(args)} crashed: {exc!r}")
        if result.exit_code != 0:
            one_line_error(result)


def test_check_finds_a_stale_search_index_and_repair_rebuilds_it(run: Run, db_path: Path) -> None:
    small_folder(run)
    # Another program removed an entry from the index behind dossier's back.
    corrupt(
        db_path,
        "INSERT INTO entry_fts (entry_fts, rowid, text)"
        " SELECT 'delete', id, text FROM entry WHERE text LIKE '%gears%'",
    )
    result = run("check")
    one_line_error(result, "failed")
    assert "FAIL  search index" in result.stdout

    repaired = ok(run("check", "--repair"))
    assert "All checks passed." in repaired
    assert found(run, "gears") == ["Globex"]


@pytest.mark.parametrize(
    "edit",
    [
        "UPDATE client SET last_contact = '2001-01-01' WHERE name = 'Acme'",
        "UPDATE client SET first_contact = NULL",
        "DELETE FROM stats_day",
        "UPDATE stats_gap SET gaps = gaps + 1",
        "DELETE FROM stats_win",
    ],
    ids=["last contact", "first contact", "day tallies", "gap tallies", "wins"],
)
def test_check_finds_figures_out_of_step_with_the_history_and_repair_counts_them_again(
    run: Run, db_path: Path, edit: str
) -> None:
    """Another program (or a copy restored from one) changed what the triggers keep:
    the cold list, review and stats would be wrong. Check says so; repair recounts."""
    small_folder(run)
    ok(run("log", "Acme", "Signed", "--kind", "call", "--outcome", "won", "--date", "-2d"))
    ok(run("log", "Globex", "Called", "--kind", "call", "--date", "-9d"))
    ok(run("log", "Globex", "Called again", "--kind", "call", "--date", "-3d"))
    stats = ok(run("stats", "--json"))
    cold = ok(run("list", "--cold", "--json"))
    corrupt(db_path, edit)
    result = run("check")
    one_line_error(result, "failed")
    assert "FAIL  figures kept from the history match it" in result.stdout, result.stdout
    assert "--repair" in result.stdout

    assert "All checks passed." in ok(run("check", "--repair"))
    assert ok(run("stats", "--json")) == stats
    assert ok(run("list", "--cold", "--json")) == cold


# --------------------------------------------------------------- export and import


def rich_folder(run: Run) -> None:
    typed(run, "demo")
    typed(run, "edit 1 --set budget=12k --set region=north --phone '+1 555 0111' --email a@b.test")
    typed(run, "add 'Zoë Ångström' --company 'Fjord Outdoor' --on 2024-07-12 --at 14:00")
    typed(run, "edit Zoë --for 'the quote' --tag nordic --note 'Größe geklärt'")


def test_export_to_stdout_holds_every_client_with_its_history(run: Run) -> None:
    rich_folder(run)
    document = json.loads(ok(run("export")))
    assert document["dossier_export"] == 1
    ids = sorted(c["id"] for c in json.loads(ok(run("list", "--json"))))
    ids += sorted(c["id"] for c in json.loads(ok(run("list", "--archived", "--json"))))
    assert sorted(c["id"] for c in document["clients"]) == sorted(ids)
    assert len(ids) == 41
    for client in document["clients"]:
        assert client == card(run, str(client["id"]))


def test_export_to_a_file_is_private_and_never_overwrites(
    run: Run, db_path: Path, tmp_path: Path
) -> None:
    small_folder(run)
    target = tmp_path / "handover.json"
    ok(run("export", "-o", str(target)))
    assert mode(target) == 0o600
    assert [c["name"] for c in json.loads(target.read_text())["clients"]] == ["Acme", "Globex"]

    kept = target.read_bytes()
    ok(run("add", "Hooli"))
    one_line_error(run("export", "-o", str(target)), str(target), "exists")
    assert target.read_bytes() == kept


def comparable(data: dict[str, Any]) -> dict[str, Any]:
    """A card without what an import gives anew: its id and its last-updated stamp."""
    return {k: v for k, v in data.items() if k not in ("id", "updated")}


def test_import_into_an_empty_folder_reproduces_every_dossier(
    run: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    rich_folder(run)
    handover = tmp_path / "handover.json"
    ok(run("export", "-o", str(handover)))
    originals = {c["name"]: c for c in json.loads(handover.read_text())["clients"]}

    monkeypatch.setenv("DOSSIER_DB", str(tmp_path / "colleague" / "dossier.db"))
    out = ok(run("import", str(handover)))
    total = sum(len(c["history"]) for c in originals.values())
    assert out == f"Imported {len(originals)} clients and {total} history entries\n"

    copies = json.loads(ok(run("export")))["clients"]
    assert sorted(c["name"] for c in copies) == sorted(originals)
    for copy in copies:
        assert comparable(card(run, str(copy["id"]))) == comparable(originals[copy["name"]])
    assert found(run, "Größe") == ["Zoë Ångström"]
    assert "All checks passed." in ok(run("check"))


def test_importing_clients_that_already_exist_is_refused(
    run: Run, db_path: Path, tmp_path: Path
) -> None:
    small_folder(run)
    handover = tmp_path / "handover.json"
    ok(run("export", "-o", str(handover)))
    ok(run("add", "Hooli"))
    before = dump(db_path)

    one_line_error(run("import", str(handover)), "Acme", "already exist")
    assert dump(db_path) == before


def test_import_refuses_a_file_that_holds_the_same_client_twice(
    run: Run, db_path: Path, tmp_path: Path
) -> None:
    """Surrounding spaces, or accents typed decomposed, never make a second client: not
    through 'add', and not through an import either."""
    small_folder(run)
    before = dump(db_path)
    twice = tmp_path / "twice.json"
    twice.write_text(
        json.dumps(
            {
                "dossier_export": 1,
                "clients": [
                    {"name": "Hooli", "company": "Hooli Inc"},
                    {"name": "  Hooli ", "company": " Hooli Inc  "},
                    {"name": "Zoë"},
                    {"name": unicodedata.normalize("NFD", "Zoë")},
                ],
            }
        ),
        encoding="utf-8",
    )

    result = run("import", str(twice))

    assert result.exit_code in (1, 2), result
    one_line_error(result, "Hooli", code=result.exit_code)
    assert dump(db_path) == before
    assert listed(run) == ["Acme", "Globex"]


MALFORMED = {
    "not JSON": "{'dossier_export': 1, clients: [",
    "not UTF-8": b"\xff\xfe\x00{".decode("latin-1"),
    "a list": json.dumps([{"name": "Acme"}]),
    "no marker": json.dumps({"clients": [{"name": "Newco"}]}),
    "clients not a list": json.dumps({"dossier_export": 1, "clients": {"name": "Newco"}}),
    "a client not an object": json.dumps({"dossier_export": 1, "clients": ["Newco"]}),
    "an unknown kind": json.dumps(
        {
            "dossier_export": 1,
            "clients": [
                {
                    "name": "Newco",
                    "history": [{"at": "2024-06-01T10:00:00", "kind": "telepathy", "text": "hmm"}],
                },
            ],
        }
    ),
    "an entry without a date": json.dumps(
        {"dossier_export": 1, "clients": [{"name": "Newco", "history": [{"kind": "call"}]}]}
    ),
    "a client without a name": json.dumps(
        {"dossier_export": 1, "clients": [{"name": "Newco"}, {"company": "Nameless"}]}
    ),
    "a bad due date": json.dumps(
        {"dossier_export": 1, "clients": [{"name": "Newco", "filed": {"due": "soon"}}]}
    ),
}


@pytest.mark.parametrize("what", list(MALFORMED))
def test_a_malformed_export_is_refused_and_changes_nothing(
    run: Run, db_path: Path, tmp_path: Path, what: str
) -> None:
    small_folder(run)
    before = dump(db_path)
    bad = tmp_path / "bad.json"
    bad.write_bytes(MALFORMED[what].encode("latin-1" if what == "not UTF-8" else "utf-8"))

    one_line_error(run("import", str(bad)), code=2)
    assert dump(db_path) == before
    assert listed(run) == ["Acme", "Globex"]


# --------------------------------------------------------------- names


def test_names_are_compared_nfc_normalised_and_trimmed(run: Run, db_path: Path) -> None:
    ok(run("add", "Zoë Ångström"))
    ok(run("add", "Acme"))
    decomposed = unicodedata.normalize("NFD", "Zoë Ångström")
    assert decomposed != "Zoë Ångström"

    assert card(run, decomposed)["name"] == "Zoë Ångström"
    one_line_error(run("add", decomposed), code=1)
    one_line_error(run("add", "  Acme  "), "Acme", code=1)
    one_line_error(run("add", "\tAcme\n"), "Acme", code=1)
    assert names_in(db_path) == ["Acme", "Zoë Ångström"]
    ok(run("edit", "Acme", "--company", "Acme Ltd"))
    one_line_error(run("add", " Acme ", "--company", "  Acme Ltd "), code=1)
    assert names_in(db_path) == ["Acme", "Zoë Ångström"]


# --------------------------------------------------------------- hostile terminal


HOSTILE = {"PYTHONIOENCODING": "ascii", "LC_ALL": "C", "TERM": "dumb", "COLUMNS": "20"}


@pytest.mark.parametrize(
    "args",
    [
        ("today",),
        ("folder",),
        ("agenda",),
        ("show", "Zoë"),
        ("list",),
        ("find", "Größe"),
        ("backups",),
        ("undo", "--list"),
        ("undo",),
    ],
    ids=lambda args: " ".join(args),
)
def test_an_ascii_c_locale_dumb_narrow_terminal_does_not_crash(
    run: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, args: tuple[str, ...]
) -> None:
    db = tmp_path / "Données clients" / "dossier.db"
    monkeypatch.setenv("DOSSIER_DB", str(db))
    typed(run, "add 'Zoë Ångström' --company 'Müller Maschinenbau' --on 2024-07-05")
    typed(run, "log Zoë 'Größe geklärt — très bien'")
    ok(run("add", "Chloé Dubois", "--on", "july", "--tag", "été"))
    ok(run("add", "Łukasz Żółć", "--on", "2024-07-08", "--at", "09:30"))
    env = sub_env(db, **HOSTILE)
    env.pop("LANG", None)
    env.pop("LC_CTYPE", None)

    proc = subprocess.run([DOSSIER, *args], env=env, capture_output=True, timeout=60)

    assert proc.returncode == 0, proc
    assert b"Traceback" not in proc.stderr, proc.stderr
    assert proc.stderr == b"", proc.stderr
    assert proc.stdout.strip(), "the command printed nothing"
    proc.stdout.decode("ascii")  # every byte is ASCII: nothing half-encoded on the terminal


def test_check_reports_each_check_once(run: Run) -> None:
    small_folder(run)
    names = [line.split(":")[0] for line in ok(run("check")).splitlines()[:-1]]
    assert len(names) == len(set(names)) >= 9, names
