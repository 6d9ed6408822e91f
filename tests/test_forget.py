"""``dossier forget CLIENT``: the client, its history, tags, fields, search rows and every
undo record of it deleted, and the space reclaimed, so that its text is not in the
database file (nor its -wal) any more; the backups that still hold it are listed; it
cannot be undone and says so. On PostgreSQL (``DOSSIER_TEST_ENGINE=postgres``) the same,
with "no trace" meaning no row of any table, and the backups this machine's dumps."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from conftest import ENGINE, dump, ok

PHRASE = "Zanzibarquokka"  # a word that appears nowhere else
SECRET_TAG = "tagquokkasecret"
SECRET_FIELD = "fieldquokkasecret"


def wal(db: Path) -> Path:
    return Path(f"{db}-wal")


def holds(db: Path, text: str) -> bool:
    """Whether the database file or its -wal holds ``text``, as bytes (UTF-8), anywhere
    (on a server: whether any row of any table holds it, search columns included)."""
    if ENGINE == "postgres":
        return text.lower() in dump(db).lower()
    needle = text.encode("utf-8").lower()  # case ignored: an index may hold it folded
    return any(path.exists() and needle in path.read_bytes().lower() for path in (db, wal(db)))


def count(db: Path, sql: str) -> int:
    if ENGINE == "postgres":
        import os

        import psycopg

        with psycopg.connect(os.environ["DOSSIER_DB"]) as server:
            return int(server.execute(sql).fetchone()[0])  # type: ignore[index]
    conn = sqlite3.connect(db)
    try:
        return int(conn.execute(sql).fetchone()[0])
    finally:
        conn.close()


def dumps_folder(tmp_path: Path) -> Path:
    """Where a server database's dumps are kept in a test (conftest's XDG_DATA_HOME)."""
    return tmp_path / "share" / "dossier" / "server-backups"


@pytest.fixture
def folder(run, db_path: Path) -> Path:  # type: ignore[no-untyped-def]
    ok(run("add", "Keep Me", "--company", "Stays Ltd", "--on", "2024-07-08"))
    ok(run("log", "keep", "a note that stays"))
    ok(run("add", "Forget Me", "--company", "Gone GmbH", "--email", "gone@quokka.example",
           "--phone", "+49 30 1234 5678", "--tag", SECRET_TAG, "--on", "2024-07-09",
           "--for", f"discuss {PHRASE} pricing"))  # fmt: skip
    ok(run("log", "forget", f"Met the buyer: the {PHRASE} deal\nsecond line"))
    ok(run("edit", "forget", "--set", f"secret={SECRET_FIELD}", "--note", f"more {PHRASE}"))
    ok(run("file", "forget", "--on", "2024-07-15", "-m", f"called about {PHRASE}"))
    ok(run("edit", "forget", "--untag", SECRET_TAG))  # an undo record of a deleted tag
    ok(run("log", "keep", "another note that stays"))
    assert holds(db_path, PHRASE)
    return db_path


def test_forget_leaves_no_trace_in_the_file_or_its_wal(run, folder: Path) -> None:  # type: ignore[no-untyped-def]
    out = ok(run("forget", "forget", "--yes"))
    assert "Forgot #2 Forget Me" in out
    assert out.rstrip().endswith("This cannot be undone.")
    for text in (PHRASE, SECRET_TAG, SECRET_FIELD, "Gone GmbH", "gone@quokka", "1234 5678",
                 "Forget Me"):  # fmt: skip
        assert not holds(folder, text), text
    assert ENGINE == "postgres" or not wal(folder).exists() or wal(folder).stat().st_size == 0
    # Not even its search terms: the search indexes find nothing of it.
    assert ok(run("find", PHRASE)).strip() == "Nothing found."
    assert ok(run("find", "Gone")).strip() == "Nothing found."


def test_other_clients_are_intact(run, folder: Path) -> None:  # type: ignore[no-untyped-def]
    before = ok(run("show", "keep"))
    ok(run("forget", "forget", "--yes"))
    assert ok(run("show", "keep")) == before
    assert "note that stays (+1 more)" in ok(run("find", "stays"))  # both its notes
    assert ok(run("check")).rstrip().endswith("All checks passed.")
    listing = ok(run("list"))
    assert "Keep Me" in listing and "Forget Me" not in listing


def test_forget_is_not_undoable_and_undo_afterwards_works(run, folder: Path) -> None:  # type: ignore[no-untyped-def]
    ok(run("forget", "2", "--yes"))
    changes = ok(run("undo", "--list"))
    assert "forget" not in changes and PHRASE not in changes
    assert "another note that stays" in changes  # the other client's changes are kept
    # Undo walks back through what is left, never bringing the client back.
    for _ in range(10):
        result = run("undo")
        if result.exit_code != 0:
            assert result.stderr.count("\n") == 1 and "nothing to undo" in result.stderr
            break
        assert "Forget Me" not in ok(run("list"))
        assert ok(run("find", PHRASE)).strip() == "Nothing found."
    assert count(folder, "SELECT count(*) FROM client WHERE id = 2") == 0
    assert count(folder, "SELECT count(*) FROM entry WHERE client_id = 2") == 0


def test_the_undo_of_a_mixed_change_keeps_the_other_clients_part(run, db_path: Path) -> None:  # type: ignore[no-untyped-def]
    ok(run("demo"))
    ok(run("forget", "ben", "--yes"))
    ok(run("undo"))  # the demo, without Ben: the other sample clients go
    assert ok(run("list")).strip() == "No clients match."
    assert ok(run("check")).rstrip().endswith("All checks passed.")


def test_a_bulk_import_covering_it_is_dropped_whole(run, tmp_path: Path, db_path: Path) -> None:  # type: ignore[no-untyped-def]
    source = tmp_path / "source.db"
    ok(run("--db", str(source), "add", "Imported One", "--on", "2024-07-08"))
    ok(run("--db", str(source), "add", "Imported Two", "--on", "2024-07-08"))
    exported = ok(run("--db", str(source), "export"))
    (tmp_path / "in.json").write_text(exported)
    ok(run("import", str(tmp_path / "in.json")))
    out = ok(run("forget", "imported one", "--yes"))
    assert "1 earlier change touched it" in out
    assert ok(run("undo", "--list")).count("import") == 0
    assert "Imported Two" in ok(run("list"))  # its range step is gone: undo cannot take it


def test_the_backups_that_still_hold_it_are_listed(run, folder: Path) -> None:  # type: ignore[no-untyped-def]
    ok(run("backup"))
    out = ok(run("forget", "forget", "--yes"))
    backups = [line.strip() for line in out.splitlines() if line.startswith("  ")]
    if ENGINE == "postgres":  # a server's dumps on this machine; no daily copy there
        assert len(backups) == 1 and backups[0].endswith("-manual.dump"), out
        assert "1 dump of this database on this machine still holds it" in out
        return
    assert len(backups) == 1 and backups[0].endswith("-manual.db"), out
    assert "1 backup still holds it" in out
    assert Path(backups[0]).read_bytes().find(PHRASE.encode()) != -1  # it does
    # The morning's daily copy (made before the first write) does not hold it: not listed.
    daily = list(Path(f"{folder}.backups").glob("*-daily-*.db"))
    assert daily and str(daily[0]) not in out


def test_forget_makes_no_new_backup(run, folder: Path, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    backups = dumps_folder(tmp_path) if ENGINE == "postgres" else Path(f"{folder}.backups")
    for old in backups.glob("*-daily-*.db"):
        old.unlink()  # a new day: the next write would make the day's copy
    ok(run("forget", "forget", "--yes"))
    assert list(backups.rglob("*.d*")) == []


def test_without_a_terminal_and_without_yes_it_refuses(run, refuse, folder: Path) -> None:  # type: ignore[no-untyped-def]
    message = refuse("forget", "forget", code=1)
    assert "--yes" in message and "cannot be undone" in message


def test_on_a_terminal_it_asks_first(run, folder: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from dossier.cli import carry

    monkeypatch.setattr(carry, "on_a_terminal", lambda: True)
    before = dump(folder)
    result = run("forget", "forget", input="n\n")
    assert result.exit_code == 1 and "nothing forgotten" in result.stderr
    assert "Forget #2 Forget Me and 3 history entries for good?" in result.stderr
    assert "cannot be undone" in result.stderr
    assert dump(folder) == before
    result = run("forget", "forget", input="y\n")
    assert result.exit_code == 0, result
    assert not holds(folder, PHRASE)


def test_an_unknown_or_ambiguous_client_is_one_line(run, refuse, folder: Path) -> None:  # type: ignore[no-untyped-def]
    ok(run("add", "Forget Me Too"))
    assert "no client" in refuse("forget", "nobody-here", "--yes", code=1)
    message = refuse("forget", "me", "--yes", code=1)
    assert "Forget Me Too" in message and "Keep Me" in message


def test_spanish(run, folder: Path) -> None:  # type: ignore[no-untyped-def]
    out = ok(run("--lang", "es", "forget", "forget", "--yes"))
    assert out.startswith("Olvidado n.º 2 Forget Me")
    assert out.rstrip().endswith("Esto no se puede deshacer.")


def test_the_question_says_so_when_there_is_no_history(run, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from dossier.cli import carry

    monkeypatch.setattr(carry, "on_a_terminal", lambda: True)
    assert run("add", "Fresh Lead").exit_code == 0
    result = run("forget", "fresh", input="n\n")
    assert "Forget #1 Fresh Lead (no history) for good?" in result.stderr
    assert result.exit_code == 1
