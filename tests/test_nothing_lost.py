"""Nothing lost, for real: restore under a lock, crashes during a backup, a full disk,
closed terminals and pipes, Ctrl-C at any moment.

Each test drives the installed ``dossier`` (or the CLI in-process) against a real file
and looks at what a user would: the exit code, the one line on stderr, and above all
what the database and its backups hold afterwards. Tests that need a small full disk or
a read-only medium mount a tmpfs, which needs root (CI runs as root).
"""

from __future__ import annotations

import contextlib
import os
import random
import re
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from conftest import Result, dump, ok, refused

Run = Callable[..., Result]

DOSSIER = str(Path(sys.executable).parent / "dossier")
HEADER = b"SQLite format 3\x00"
ROOT = os.geteuid() == 0


def env(db: Path, **extra: str) -> dict[str, str]:
    values = dict(os.environ, DOSSIER_DB=str(db), NO_COLOR="1")
    values.update(extra)
    return values


def dossier(db: Path, *args: str, **kwargs: Any) -> subprocess.CompletedProcess[str]:
    extra = kwargs.pop("extra", {})
    return subprocess.run(
        [DOSSIER, *args], env=env(db, **extra), capture_output=True, text=True, **kwargs
    )


def one_line(stderr: str, *words: str) -> str:
    assert "Traceback" not in stderr, stderr
    lines = stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("dossier: "), stderr
    for word in words:
        assert word in lines[0], stderr
    return lines[0]


def query(path: Path, sql: str) -> list[tuple[Any, ...]]:
    conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    try:
        return conn.execute(sql).fetchall()
    finally:
        conn.close()


def names(path: Path) -> list[str]:
    return [n for (n,) in query(path, "SELECT name FROM client ORDER BY name")]


def backups_of(db: Path) -> Path:
    return db.with_name(db.name + ".backups")


def files(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in folder.rglob("*") if p.is_file()}


def mode(path: Path) -> int:
    return path.stat().st_mode & 0o777


def backup_to(run: Run, target: Path) -> Path:
    ok(run("backup", str(target)))
    return target


def small_folder(run: Run) -> None:
    ok(run("add", "Acme", "--company", "Acme Ltd", "--on", "2024-07-10", "--note", "met"))
    ok(run("add", "Globex", "--on", "august"))


def leave_wal_with(db: Path, name: str) -> bytes:
    """A writer that commits a client and dies before checkpointing: its work lives only
    in the ``-wal`` file, as after a crash or while another program holds the file."""
    script = (
        "import os, sqlite3, sys\n"
        "c = sqlite3.connect(sys.argv[1], isolation_level=None)\n"
        "c.execute('PRAGMA journal_mode=WAL')\n"
        'c.execute("INSERT INTO client (name, name_key, created_at, updated_at)'
        " VALUES (?, lower(?), 'x', 'x')\", (sys.argv[2], sys.argv[2]))\n"
        "os._exit(0)\n"
    )
    subprocess.run([sys.executable, "-c", script, str(db), name], check=True)
    wal = Path(f"{db}-wal")
    assert wal.stat().st_size > 0
    return wal.read_bytes()


@contextlib.contextmanager
def tmpfs(folder: Path, size: str) -> Iterator[Path]:
    """A small file system of its own: a disk that can really fill up."""
    if not ROOT:
        pytest.skip("mounting a small file system needs root (CI runs as root)")
    folder.mkdir(parents=True, exist_ok=True)
    subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(folder)], check=True)
    try:
        yield folder
    finally:
        subprocess.run(["umount", "-l", str(folder)], check=False)


def fill(folder: Path, leave: int = 0) -> None:
    """Fill the file system up, leaving about ``leave`` bytes."""
    stat = os.statvfs(folder)
    free = stat.f_bavail * stat.f_frsize
    with (folder / "filler").open("wb") as handle, contextlib.suppress(OSError):
        handle.write(b"\0" * max(free - leave, 0))
        handle.flush()
        os.fsync(handle.fileno())
    if leave == 0:
        with contextlib.suppress(OSError), (folder / "filler2").open("wb") as handle:
            while True:
                handle.write(b"\0" * 4096)
                handle.flush()


def unreadable(path: Path) -> None:
    """Make ``path`` unreadable to the user who runs dossier (see ``without_override``)."""
    if ROOT:
        os.chown(path, 65534, 65534)
        path.chmod(0o600)
    else:
        path.chmod(0o000)


def readable_again(path: Path) -> None:
    if ROOT:
        os.chown(path, 0, 0)
    path.chmod(0o600)


def without_override(db: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """Run dossier so that file permissions apply to it: as root, without the
    capabilities that let root read and write any file."""
    prefix = ["setpriv", "--bounding-set=-dac_override,-dac_read_search"] if ROOT else []
    return subprocess.run(
        [*prefix, DOSSIER, *args], env=env(db), capture_output=True, text=True, check=False
    )


# ------------------------------------------------------------------- 1. restore under a lock


HOLDER = """
import sqlite3, sys, time
c = sqlite3.connect(sys.argv[1], isolation_level=None)
c.execute("PRAGMA locking_mode = EXCLUSIVE")
c.execute("BEGIN IMMEDIATE")
c.execute("INSERT INTO client (name, name_key, created_at, updated_at)"
          " VALUES ('In The Wal', 'in the wal', 'x', 'x')")
c.execute("COMMIT")
print("holding", flush=True)
sys.stdin.readline()
c.close()
"""


@pytest.mark.sqlite_only(
    "another program's SQLite lock on the file (a server: test_postgres_server)"
)
def test_restore_under_another_programs_lock_waits_then_refuses_and_loses_nothing(
    run: Run, db_path: Path, tmp_path: Path
) -> None:
    small_folder(run)
    backup = backup_to(run, tmp_path / "backup.db")
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLDER, str(db_path)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline() == "holding\n"
        started = time.monotonic()
        result = dossier(db_path, "restore", str(backup), extra={"DOSSIER_BUSY_TIMEOUT_MS": "700"})
        waited = time.monotonic() - started
    finally:
        assert holder.stdin is not None
        holder.stdin.write("\n")
        holder.stdin.close()
        holder.wait(timeout=30)
    assert result.returncode == 1, result
    one_line(result.stderr, "locked", "nothing was changed")
    assert 0.7 <= waited < 5, "restore waits for DOSSIER_BUSY_TIMEOUT_MS, not more, not less"
    assert names(db_path) == ["Acme", "Globex", "In The Wal"], "the committed work is still there"
    assert not list(backups_of(db_path).glob("*before-restore*"))


@pytest.mark.sqlite_only("the file's -wal")
def test_restore_refuses_while_the_wal_cannot_be_read(
    run: Run, db_path: Path, tmp_path: Path
) -> None:
    small_folder(run)
    backup = backup_to(run, tmp_path / "backup.db")
    wal_bytes = leave_wal_with(db_path, "Only In The Wal")
    wal = Path(f"{db_path}-wal")
    unreadable(wal)
    before = files(db_path.parent)

    result = without_override(db_path, "restore", str(backup))

    readable_again(wal)
    assert result.returncode == 1, result
    one_line(result.stderr, f"{db_path}-wal", "nothing was changed")
    assert files(db_path.parent) == before
    assert wal.read_bytes() == wal_bytes
    assert "Only In The Wal" in names(db_path)


@pytest.mark.sqlite_only("a damaged file and its -wal")
def test_restoring_over_a_damaged_file_keeps_its_wal_content(
    run: Run, db_path: Path, tmp_path: Path
) -> None:
    small_folder(run)
    backup = backup_to(run, tmp_path / "backup.db")
    wal_bytes = leave_wal_with(db_path, "Only In The Wal")
    with db_path.open("r+b") as handle:
        handle.write(bytes(100))  # the header is gone: SQLite cannot read the file

    result = run("restore", str(backup))

    assert result.exit_code == 0, result
    kept = next(backups_of(db_path).glob("*before-restore-damaged.db"))
    assert Path(f"{kept}-wal").read_bytes() == wal_bytes, "the kept copy includes its WAL"
    assert names(db_path) == ["Acme", "Globex"]


# ------------------------------------------------------------ 4. a crash during a backup


def test_a_backup_killed_at_any_moment_leaves_no_file_that_passes_for_a_backup(
    run: Run, db_path: Path
) -> None:
    ok(run("demo"))
    conn = sqlite3.connect(db_path)
    conn.execute("CREATE TABLE ballast (x)")  # a bigger file: the copy takes a while
    conn.executemany("INSERT INTO ballast VALUES (?)", ((os.urandom(2000),) for _ in range(6000)))
    conn.commit()
    conn.close()
    rng = random.Random(4)
    for _ in range(12):
        proc = subprocess.Popen([DOSSIER, "backup"], env=env(db_path), stderr=subprocess.PIPE)
        time.sleep(rng.uniform(0.05, 0.3))
        proc.kill()
        proc.wait()
    for path in backups_of(db_path).iterdir():
        if path.name.endswith(".db"):
            assert path.read_bytes()[:16] == HEADER, f"{path.name} is not a whole copy"
            assert query(path, "PRAGMA integrity_check") == [("ok",)]
    listing = ok(run("backups"))
    assert "incomplete" not in listing and ".part" not in listing


@pytest.mark.sqlite_only("the daily copy beside the file (a server makes none)")
def test_an_empty_daily_copy_left_by_a_crash_does_not_block_that_days_copy(
    run: Run, db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    small_folder(run)
    daily = backups_of(db_path) / "dossier-daily-20240706.db"
    daily.write_bytes(b"")  # what an older dossier left when killed mid-copy
    assert "incomplete" in ok(run("backups"))
    monkeypatch.setenv("DOSSIER_TODAY", "2024-07-06")

    ok(run("log", "Acme", "the next day"))

    assert daily.read_bytes()[:16] == HEADER
    assert names(daily) == ["Acme", "Globex"]
    assert "incomplete" not in ok(run("backups"))


# ------------------------------------------------------------------ 5. undo after restore


def test_undo_right_after_a_restore_reverts_nothing_of_the_backup(
    run: Run, db_path: Path, tmp_path: Path
) -> None:
    small_folder(run)
    ok(run("log", "Acme", "the backup's own last change"))
    backup = backup_to(run, tmp_path / "backup.db")
    ok(run("add", "After The Backup"))
    out = ok(run("restore", str(backup)))
    assert "undo history starts again" in out
    before = dump(db_path)

    message = refused(run("undo"), 1)

    assert "nothing to undo" in message
    assert dump(db_path) == before
    assert any(e["text"] == "the backup's own last change" for e in card(run, "Acme")["history"])


def card(run: Run, client: str) -> dict[str, Any]:
    import json

    data: dict[str, Any] = json.loads(ok(run("show", client, "--json")))
    return data


# ---------------------------------------------------------- 6. pruning by creation time


@pytest.mark.sqlite_only("the daily copy beside the file (a server makes none)")
def test_a_future_today_does_not_make_every_real_daily_copy_look_old(
    run: Run, db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("DOSSIER_TODAY", "2031-01-01")
    ok(run("add", "From The Future"))
    for day in range(1, 10):
        monkeypatch.setenv("DOSSIER_TODAY", f"2024-07-{day:02d}")
        ok(run("add", f"Client {day}"))
        made = backups_of(db_path) / f"dossier-daily-202407{day:02d}.db"
        assert made.exists(), "the copy just made is the newest: it is never pruned"
    kept = sorted(p.name for p in backups_of(db_path).glob("*-daily-*.db"))
    assert kept == [f"dossier-daily-202407{d:02d}.db" for d in range(3, 10)]


# ----------------------------------------------------- 7, 8. what restore accepts and replaces


def foreign_with_client_table(path: Path) -> None:
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE client (id INTEGER PRIMARY KEY, name TEXT)")
    conn.execute("INSERT INTO client VALUES (1, 'someone else''s')")
    conn.execute("PRAGMA user_version = 1")
    conn.commit()
    conn.close()


@pytest.mark.sqlite_only(
    "another program's SQLite file (a server refuses any SQLite file: test_postgres_server)"
)
def test_restore_accepts_only_a_dossier_database(run: Run, db_path: Path, tmp_path: Path) -> None:
    small_folder(run)
    foreign = tmp_path / "other-program.db"
    foreign_with_client_table(foreign)
    before = files(db_path.parent)

    result = run("restore", str(foreign))

    assert "not a dossier database" in refused(result, 1)
    assert files(db_path.parent) == before
    assert names(db_path) == ["Acme", "Globex"]


def test_a_foreign_file_with_a_client_table_is_never_opened_as_a_folder(
    run: Run, tmp_path: Path
) -> None:
    foreign = tmp_path / "other-program.db"
    foreign_with_client_table(foreign)
    before = foreign.read_bytes()
    assert "another program" in refused(run("--db", str(foreign), "add", "Acme"), 1)
    assert foreign.read_bytes() == before


def newer(path: Path) -> None:
    from dossier.storage.sqlite import migrations

    conn = sqlite3.connect(path)
    conn.execute(f"PRAGMA user_version = {migrations.LATEST + 1}")
    conn.close()


def text_file(path: Path) -> None:
    for side in ("-wal", "-shm"):
        Path(f"{path}{side}").unlink(missing_ok=True)
    path.write_text("my notes\nnot a database at all\n")


TARGETS = {"newer schema": newer, "another program's": foreign_with_client_table, "text": text_file}


@pytest.mark.sqlite_only("the file being replaced")
@pytest.mark.parametrize("target", list(TARGETS))
def test_restore_never_replaces_a_file_that_is_not_a_dossier_database_of_this_version(
    run: Run, db_path: Path, tmp_path: Path, target: str
) -> None:
    small_folder(run)
    backup = backup_to(run, tmp_path / "backup.db")
    if target == "another program's":
        for side in ("", "-wal", "-shm"):
            Path(f"{db_path}{side}").unlink(missing_ok=True)
    TARGETS[target](db_path)
    before = files(db_path.parent)

    result = run("restore", str(backup))

    assert "never replaces" in refused(result, 1)
    assert files(db_path.parent) == before


@pytest.mark.sqlite_only("a file restored from a SQLite backup")
def test_restore_into_a_missing_folder_creates_a_private_database(
    run: Run, db_path: Path, tmp_path: Path
) -> None:
    small_folder(run)
    backup = backup_to(run, tmp_path / "backup.db")
    fresh = tmp_path / "new" / "place" / "dossier.db"
    old = os.umask(0)
    try:
        out = ok(run("--db", str(fresh), "restore", str(backup)))
    finally:
        os.umask(old)
    assert "new database" in out
    assert names(fresh) == ["Acme", "Globex"]
    assert mode(fresh) == 0o600
    assert mode(fresh.parent) == 0o700 and mode(fresh.parent.parent) == 0o700


@pytest.mark.parametrize("name", ["what?.db", "hash#1.db", "100%.db", "a b?#%.db"])
def test_a_backup_with_uri_characters_in_its_name_restores_and_leaves_no_stray_files(
    run: Run, db_path: Path, tmp_path: Path, name: str
) -> None:
    small_folder(run)
    source_dir = tmp_path / "usb"
    source_dir.mkdir()
    backup = backup_to(run, source_dir / name)
    ok(run("add", "After"))
    ok(run("restore", str(backup)))
    assert names(db_path) == ["Acme", "Globex"]
    assert sorted(p.name for p in source_dir.iterdir()) == [name]
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith("what")) == []


def test_restoring_a_wal_mode_backup_leaves_no_side_files_next_to_it(
    run: Run, db_path: Path, tmp_path: Path
) -> None:
    small_folder(run)
    backup = backup_to(run, tmp_path / "backups" / "old.db")
    conn = sqlite3.connect(backup)
    conn.execute("PRAGMA journal_mode = WAL")  # as copies made by older dossiers are
    conn.close()
    ok(run("add", "After"))
    ok(run("restore", str(backup)))
    assert sorted(p.name for p in backup.parent.iterdir()) == ["old.db"]
    assert names(db_path) == ["Acme", "Globex"]


def test_restore_reads_a_backup_on_read_only_media(run: Run, db_path: Path, tmp_path: Path) -> None:
    small_folder(run)
    with tmpfs(tmp_path / "cdrom", "4m") as media:
        backup = backup_to(run, media / "backup.db")
        conn = sqlite3.connect(backup)
        conn.execute("PRAGMA journal_mode = WAL")
        conn.close()
        subprocess.run(["mount", "-o", "remount,ro", str(media)], check=True)
        ok(run("add", "After"))
        ok(run("restore", str(backup)))
        assert names(db_path) == ["Acme", "Globex"]


def test_restore_of_a_backup_with_another_page_size(
    run: Run, db_path: Path, tmp_path: Path
) -> None:
    small_folder(run)
    backup = backup_to(run, tmp_path / "small-pages.db")
    conn = sqlite3.connect(backup, isolation_level=None)
    conn.execute("PRAGMA page_size = 1024")
    conn.execute("VACUUM")
    assert conn.execute("PRAGMA page_size").fetchone() == (1024,)
    conn.close()
    ok(run("add", "After"))
    ok(run("restore", str(backup)))
    assert names(db_path) == ["Acme", "Globex"]
    assert "All checks passed." in ok(run("check"))


# ------------------------------------------------------------------------ 10. a full disk


def test_a_full_disk_at_commit_is_one_line_and_changes_nothing(
    run: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with tmpfs(tmp_path / "disk", "2m") as disk:  # the folder, its WAL, a backup
        db = disk / "dossier.db"
        monkeypatch.setenv("DOSSIER_DB", str(db))
        small_folder(run)
        ok(run("log", "Acme", "today's backup is made"))
        fill(disk, leave=60_000)
        before = dump(db)

        result = run("log", "Acme", "x" * 400_000)

        assert "the disk is full" in refused(result, 1)
        assert dump(db) == before


def test_a_full_disk_on_the_first_write_of_the_day_is_one_line_and_changes_nothing(
    run: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with tmpfs(tmp_path / "disk", "2m") as disk:
        db = disk / "dossier.db"
        monkeypatch.setenv("DOSSIER_DB", str(db))
        small_folder(run)
        before = dump(db)
        fill(disk)
        monkeypatch.setenv("DOSSIER_TODAY", "2024-07-06")  # the first write of a new day

        result = run("log", "Acme", "a new day")

        assert "the disk is full" in refused(result, 1)
        for filler in disk.glob("filler*"):
            filler.unlink()
        assert dump(db) == before
        assert not [
            p for p in backups_of(db).iterdir() if "20240706" in p.name or ".part" in p.name
        ]


def test_an_export_onto_a_full_disk_leaves_no_truncated_file(
    run: Run, db_path: Path, tmp_path: Path
) -> None:
    ok(run("demo"))
    with tmpfs(tmp_path / "stick", "64k") as stick:
        fill(stick, leave=8_000)
        target = stick / "handover.json"

        message = refused(run("export", "-o", str(target)), 1)

        assert "the disk is full" in message and str(target) in message
        assert sorted(p.name for p in stick.iterdir()) == ["filler"]


# ------------------------------------------------------- 12. backups and restores, bad places


def test_backup_under_a_regular_file_is_one_line(run: Run, db_path: Path, tmp_path: Path) -> None:
    small_folder(run)
    (tmp_path / "notes.txt").write_text("a file, not a folder")
    message = refused(run("backup", str(tmp_path / "notes.txt" / "copy.db")), 1)
    assert "notes.txt is a file, not a folder" in message


def test_backup_into_an_unwritable_folder_is_one_line(
    run: Run, db_path: Path, tmp_path: Path
) -> None:
    small_folder(run)
    with tmpfs(tmp_path / "ro", "1m") as folder:
        subprocess.run(["mount", "-o", "remount,ro", str(folder)], check=True)
        message = refused(run("backup", str(folder / "copy.db")), 1)
        assert "cannot write" in message and "copy.db" in message
        assert not list(folder.iterdir())


def test_an_unreadable_restore_source_is_one_line(run: Run, db_path: Path, tmp_path: Path) -> None:
    small_folder(run)
    backup = backup_to(run, tmp_path / "secret" / "backup.db")
    unreadable(backup)
    before = files(db_path.parent)
    result = without_override(db_path, "restore", str(backup))
    readable_again(backup)
    assert result.returncode == 1, result
    one_line(result.stderr, "cannot read", str(backup))
    assert files(db_path.parent) == before


@pytest.mark.sqlite_only(
    "the backups folder beside the file (a server's dumps: test_postgres_server)"
)
def test_backup_path_folders_are_private_whatever_the_umask(
    run: Run, db_path: Path, tmp_path: Path
) -> None:
    small_folder(run)
    target = tmp_path / "a" / "b" / "copy.db"
    old = os.umask(0)
    try:
        ok(run("backup", str(target)))
        ok(run("backup"))
    finally:
        os.umask(old)
    assert (mode(tmp_path / "a"), mode(tmp_path / "a" / "b"), mode(target)) == (0o700, 0o700, 0o600)
    assert mode(backups_of(db_path)) == 0o700
    assert {mode(p) for p in backups_of(db_path).iterdir()} == {0o600}


# ------------------------------------------------ 13, 18. closed streams, odd database paths


def test_a_closed_stdout_is_refused_before_anything_is_done(db_path: Path, run: Run) -> None:
    small_folder(run)
    before = dump(db_path)
    for command in ("dossier today >&-", "dossier log Acme 'a note' >&-"):
        result = subprocess.run(
            ["bash", "-c", command], env=env(db_path), capture_output=True, text=True
        )
        assert result.returncode == 1, result
        one_line(result.stderr, "standard output is closed")
    assert dump(db_path) == before


def test_rm_with_a_closed_stdin_deletes_nothing(db_path: Path, run: Run) -> None:
    small_folder(run)
    before = dump(db_path)
    result = subprocess.run(
        ["bash", "-c", "dossier rm Acme <&-"], env=env(db_path), capture_output=True, text=True
    )
    assert result.returncode == 1, result
    assert "Traceback" not in result.stderr
    assert result.stderr.splitlines()[-1].startswith("dossier: not deleted")
    assert dump(db_path) == before


def test_a_config_file_that_is_not_utf8_is_one_line(run: Run, tmp_path: Path) -> None:
    small_folder(run)
    config = Path(os.environ["DOSSIER_CONFIG"])
    config.parent.mkdir(parents=True, exist_ok=True)
    config.write_bytes("capacity = 30 # año\n".encode("latin-1"))
    for command in (("today",), ("config",), ("file", "Acme", "--on", "13")):
        assert "not UTF-8" in refused(run(*command), 1)


def test_notices_quote_a_day_off_note_inertly(run: Run, db_path: Path) -> None:
    small_folder(run)
    ok(run("off", "2024-07-15", "--note", "x\x1b[31mred\x1b]0;title\x07"))
    out = ok(run("file", "Acme", "--on", "2024-07-15"))
    assert "\x1b" not in out and "\x07" not in out
    assert "\\x1b[31mred" in out


@pytest.mark.parametrize("kind", ["dangling", "loop", "device"])
def test_a_database_path_that_cannot_be_a_file_is_one_line(
    run: Run, tmp_path: Path, kind: str
) -> None:
    if kind == "dangling":
        path = tmp_path / "dangling.db"
        path.symlink_to(tmp_path / "nowhere" / "dossier.db")
        expected = "does not exist"
    elif kind == "loop":
        path = tmp_path / "loop.db"
        path.symlink_to(path)
        expected = "loop"
    else:
        path = Path(os.devnull)
        expected = "not a regular file"
    journal = Path(f"{os.devnull}-journal")
    existed = journal.exists()
    for command in (("today",), ("add", "Acme")):
        assert expected in refused(run("--db", str(path), *command), 1)
    assert journal.exists() == existed, "nothing is written next to the null device"
    assert not (tmp_path / "nowhere").exists()


# ---------------------------------------------------------------- 15, 16. Ctrl-C, any moment


def interrupt(db: Path, args: list[str], delay: float) -> subprocess.CompletedProcess[str]:
    proc = subprocess.Popen(
        [DOSSIER, *args], env=env(db), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    time.sleep(delay)
    proc.send_signal(signal.SIGINT)
    out, err = proc.communicate(timeout=60)
    return subprocess.CompletedProcess(args, proc.returncode, out, err)


def before_dossier_ran(result: subprocess.CompletedProcess[str]) -> bool:
    """A Ctrl-C that landed while Python itself was starting, before any line of
    dossier ran: killed by the signal with no output, or Python's own traceback whose
    every frame is in the interpreter's start-up or pip's launcher (``import re``)."""
    if result.returncode == -signal.SIGINT and result.stderr == result.stdout == "":
        return True
    frames = re.findall(r'File "([^"]+)"', result.stderr)
    return (
        "Traceback" in result.stderr
        and result.stderr.rstrip().endswith("KeyboardInterrupt")
        and "dossier: " not in result.stderr
        and not any("/dossier/" in frame for frame in frames)
    )


def duration(db: Path, args: list[str]) -> float:
    """How long the command takes on this machine now (the delays scale with it)."""
    started = time.monotonic()
    assert dossier(db, *args).returncode == 0
    return time.monotonic() - started


def test_ctrl_c_during_start_up_is_one_line_never_a_traceback(db_path: Path, run: Run) -> None:
    small_folder(run)
    rng = random.Random(15)
    endings: list[int] = []
    whole = duration(db_path, ["today"])
    for _ in range(40):
        result = interrupt(db_path, ["today"], rng.uniform(0.1, 0.9) * whole)
        if before_dossier_ran(result):
            continue
        endings.append(result.returncode)
        assert "Traceback" not in result.stderr, result.stderr
        if result.returncode == 130:
            one_line(result.stderr, "Interrupted, nothing saved")
        else:  # done; or done, then ended by the signal as Python itself shut down
            assert result.returncode in (0, -signal.SIGINT), result
            assert result.stdout.startswith("Fri 5 Jul 2024") and result.stderr == "", result
    assert endings.count(130) >= 5, "too few runs were interrupted inside dossier"


def test_ctrl_c_says_saved_exactly_when_the_change_was_saved(db_path: Path, run: Run) -> None:
    small_folder(run)
    rng = random.Random(16)
    seen = {"saved": 0, "not saved": 0}
    for attempt in range(80):
        if attempt >= 40 and min(seen.values()) >= 5:
            break
        if attempt % 5 == 0:  # the machine's load changes: the delays follow it
            whole = duration(db_path, ["log", "Acme", f"timing {attempt}"])
        note = f"note {attempt}"
        result = interrupt(db_path, ["log", "Acme", note], rng.uniform(0.3, 1.3) * whole)
        saved = bool(query(db_path, f"SELECT 1 FROM entry WHERE text = '{note}'"))
        if before_dossier_ran(result):
            assert not saved, result
            continue
        assert "Traceback" not in result.stderr, result.stderr
        if result.returncode == 0:
            assert saved and result.stderr == "", result
        elif result.returncode == -signal.SIGINT:
            # Python's own end: the run had finished and answered, then the signal came.
            assert saved and result.stdout.startswith("Noted") and result.stderr == "", result
        else:
            assert result.returncode == 130, result
            line = one_line(result.stderr)
            if saved:
                assert "saved" in line and "nothing saved" not in line and note in line, line
            else:
                assert "nothing saved" in line, line
        seen["saved" if saved else "not saved"] += 1
    assert seen["not saved"] >= 5 and seen["saved"] >= 5, seen


class _CtrlCOnCreate:
    """A class attribute whose class creation is hit by Ctrl-C (as a dataclass field's
    ``__set_name__`` was, in a lazily imported module, on a loaded CI machine)."""

    def __set_name__(self, owner: type, name: str) -> None:
        raise KeyboardInterrupt


def test_a_ctrl_c_wrapped_by_class_creation_is_still_a_ctrl_c() -> None:
    from dossier.cli import exits

    with pytest.raises(BaseException) as caught:
        type("Result", (), {"notices": _CtrlCOnCreate()})
    # Python 3.11 wraps it in a RuntimeError; either way it is read as an interruption.
    assert exits.from_ctrl_c(caught.value)
    assert not exits.from_ctrl_c(RuntimeError("Error calling __set_name__"))
    try:
        try:
            raise KeyboardInterrupt
        except KeyboardInterrupt:
            raise LookupError("raised while handling it") from None
    except LookupError as exc:
        assert exits.from_ctrl_c(exc)  # its context still says what happened


class _CtrlCOnCollect:
    """An object whose clean-up is hit by Ctrl-C, as the import system's module-lock
    callback was, on a loaded CI machine: Python can only print such an error."""

    def __del__(self) -> None:
        raise KeyboardInterrupt


def test_a_ctrl_c_python_cannot_raise_where_it_lands_is_delivered_again() -> None:
    from dossier.cli import exits

    hook, handler = sys.unraisablehook, signal.getsignal(signal.SIGINT)
    try:
        exits.interruptible()
        with pytest.raises(KeyboardInterrupt):
            doomed = _CtrlCOnCollect()
            del doomed  # "Exception ignored in …", and the key press lost, before
            time.sleep(1)  # it comes back a millisecond later, where the command runs
    finally:
        sys.unraisablehook = hook
        signal.signal(signal.SIGINT, handler)


def test_ctrl_c_at_the_rm_question_is_one_line(db_path: Path, run: Run) -> None:
    small_folder(run)
    before = dump(db_path)
    proc = subprocess.Popen(
        [DOSSIER, "rm", "Acme"],
        env=env(db_path),
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert proc.stderr is not None
    asked = ""
    while not asked.endswith("[y/N]: "):
        asked += proc.stderr.read(1)
    proc.send_signal(signal.SIGINT)
    _out, err = proc.communicate(timeout=30)
    assert proc.returncode == 130
    one_line(err.strip(), "Interrupted, nothing saved")
    assert dump(db_path) == before


# ------------------------------------------------------------------ 17. a closed pipe


@pytest.mark.parametrize(
    "args",
    [["today"], ["show", "Acme"], ["export"], ["log", "Acme", "piped away"], ["off", "2024-07-15"]],
)
def test_a_reader_that_stops_reading_ends_the_run_quietly(
    db_path: Path, run: Run, args: list[str]
) -> None:
    small_folder(run)
    for _ in range(20):
        ok(run("log", "Acme", "a long history line " * 20))
    proc = subprocess.Popen(
        [DOSSIER, *args], env=env(db_path), stdout=subprocess.PIPE, stderr=subprocess.PIPE
    )
    assert proc.stdout is not None and proc.stderr is not None
    proc.stdout.close()  # the reader is gone before the first line
    err = proc.stderr.read()
    code = proc.wait(timeout=30)
    assert err == b"", err
    assert code == -signal.SIGPIPE, "ended like a Unix tool whose reader has gone"
    if args[0] == "log":
        assert query(db_path, "SELECT 1 FROM entry WHERE text = 'piped away'"), "still saved"
    if args[0] == "off":
        assert query(db_path, "SELECT 1 FROM day_off WHERE first = '2024-07-15'"), "still saved"
