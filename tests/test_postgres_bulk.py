"""``dossier import`` on PostgreSQL, through COPY (``storage/postgres/bulk.py``), against a
real server (``DOSSIER_TEST_PG``, see tools/pg-server): the same folder as the same
import on a SQLite file, one undo step, and a killed or interrupted import leaves
nothing behind and the database free for the next command.
"""

from __future__ import annotations

import json
import os
import re
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

from conftest import Run

# --- the same folder on both engines ---------------------------------------------------


def _export(run: Run, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    """A colleague's export with history of every kind, wins, tags and fields: the
    sample folder, worked a little on a SQLite file."""
    monkeypatch.setenv("DOSSIER_DB", str(tmp_path / "seed.db"))
    for args in (
        ["demo"],
        ["field", "add", "Budget", "--type", "number"],
        ["edit", "3", "--set", "Budget=1200", "--tag", "hot"],
        ["log", "3", "Won it, tungsten order", "--kind", "meeting", "--outcome", "won"],
        ["log", "5", "No answer", "--kind", "call", "--outcome", "no-answer"],
        ["log", "5", "Sent the tungsten prices", "--kind", "email"],
        ["done", "6"],
    ):
        result = run(*args)
        assert result.exit_code == 0, (args, result)
    target = tmp_path / "team.json"
    result = run("export", "--format", "json", "-o", str(target))
    assert result.exit_code == 0, result
    return target


TIME = re.compile(r"\b\d{2}:\d{2}(:\d{2})?\b")


def _same(text: str) -> Any:
    """JSON (or text) with the clock's time of day taken out: the two imports are
    seconds apart, and stamp the cards with the time they ran."""
    return (
        json.loads(TIME.sub("HH:MM", text))
        if text.startswith(("[", "{"))
        else TIME.sub("HH:MM", text)
    )


def _views(run: Run, monkeypatch: pytest.MonkeyPatch, where: str) -> dict[str, Any]:
    monkeypatch.setenv("DOSSIER_DB", where)
    listed = _same(run("list", "--json").stdout)
    out: dict[str, Any] = {"list": listed}
    for card in listed:
        out[f"show {card['id']}"] = _same(run("show", str(card["id"]), "--json").stdout)
    for args in (
        ["stats", "--json"],
        ["today", "--json"],
        ["find", "tungsten", "--json"],
        ["find", "acme", "--json"],
        ["undo", "--list"],
    ):
        result = run(*args)
        assert result.exit_code == 0, (args, result)
        out[" ".join(args)] = _same(result.stdout)
    return out


CLIENT_STATE = (
    "SELECT id, name, name_key, name_fold, name_sort, company_key, company_fold, phones,"
    " more_emails, first_contact, last_contact, version, owner FROM client ORDER BY id"
)
TALLIES = (
    "SELECT owner, day, kind, outcome, entries FROM stats_day ORDER BY 1, 2, 3, 4",
    "SELECT owner, day, days, gaps FROM stats_gap ORDER BY 1, 2",
    "SELECT entry_id, client_id, at, contacts, days FROM stats_win ORDER BY 1",
)


def _rows_sqlite(path: Path) -> list[list[tuple[Any, ...]]]:
    with sqlite3.connect(path) as conn:
        return [conn.execute(sql).fetchall() for sql in (CLIENT_STATE, *TALLIES)]


def _rows_server(url: str) -> list[list[tuple[Any, ...]]]:
    import psycopg

    with psycopg.connect(url) as conn:
        return [
            [tuple(row) for row in conn.execute(sql).fetchall()] for sql in (CLIENT_STATE, *TALLIES)
        ]


def test_an_import_makes_the_same_folder_on_both_engines(
    run: Run, monkeypatch: pytest.MonkeyPatch, tmp_path: Path, pg_url: str
) -> None:
    export = _export(run, monkeypatch, tmp_path)
    sqlite = tmp_path / "same.db"
    said = {}
    for where in (str(sqlite), pg_url):
        monkeypatch.setenv("DOSSIER_DB", where)
        result = run("import", str(export))
        assert result.exit_code == 0, result
        said[where] = (result.stdout, result.stderr)
    assert said[str(sqlite)] == said[pg_url]
    on_sqlite = _views(run, monkeypatch, str(sqlite))
    on_pg = _views(run, monkeypatch, pg_url)
    differences = [key for key in on_sqlite if on_sqlite[key] != on_pg.get(key)]
    assert not differences, (differences[0], on_sqlite[differences[0]], on_pg[differences[0]])
    # The stored rows too: the contact days, versions and tallies that COPY's load
    # computes in bulk are those SQLite's triggers left, row for row.
    assert _rows_sqlite(sqlite) == _rows_server(pg_url)
    # Not vacuous: there is history, a win, a tag, a field, hits.
    clients, days, _gaps, wins = _rows_sqlite(sqlite)
    assert len(clients) > 20 and sum(row[4] for row in days) > 50 and wins
    assert any(row[11] > 1 for row in clients)  # a version moved on by the load
    assert "tungsten" in json.dumps(on_pg["find tungsten --json"])
    assert any(card["tags"] for card in on_pg["list"]) and any(
        card["fields"] for card in on_pg["list"]
    )


def test_a_user_who_does_not_own_the_tables_imports_the_same_folder(
    run: Run, monkeypatch: pytest.MonkeyPatch, tmp_path: Path, pg_url: str
) -> None:
    """A colleague granted only the rows (not the tables) cannot set the per-row
    triggers aside: the load runs them all, and gives the same folder."""
    from urllib.parse import urlsplit, urlunsplit

    import psycopg

    export = _export(run, monkeypatch, tmp_path)
    sqlite = tmp_path / "same.db"
    monkeypatch.setenv("DOSSIER_DB", str(sqlite))
    assert run("import", str(export)).exit_code == 0
    clerk = f"dossier_clerk_{os.getpid()}"
    with psycopg.connect(pg_url, autocommit=True) as conn:
        conn.execute(f"DROP ROLE IF EXISTS {clerk}")
        conn.execute(f"CREATE ROLE {clerk} LOGIN PASSWORD 'clerk-{os.getpid()}'")
        grant = "GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public"
        conn.execute(f"{grant} TO {clerk}")
        conn.execute(f"GRANT USAGE, SELECT, UPDATE ON ALL SEQUENCES IN SCHEMA public TO {clerk}")
    parts = urlsplit(pg_url)
    host = parts.netloc.rsplit("@", 1)[-1]
    as_clerk = urlunsplit(parts._replace(netloc=f"{clerk}:clerk-{os.getpid()}@{host}"))
    try:
        monkeypatch.setenv("DOSSIER_DB", as_clerk)
        result = run("import", str(export))
        assert result.exit_code == 0, result
        on_sqlite = _views(run, monkeypatch, str(sqlite))
        on_pg = _views(run, monkeypatch, as_clerk)
        differences = [key for key in on_sqlite if on_sqlite[key] != on_pg.get(key)]
        assert not differences, differences[0]

        # The same rows but the versions (each trigger moves them on its own way).
        def no_version(rows: list[list[tuple[Any, ...]]]) -> list[list[tuple[Any, ...]]]:
            return [[row[:11] + row[12:] for row in rows[0]], *rows[1:]]

        assert no_version(_rows_sqlite(sqlite)) == no_version(_rows_server(pg_url))
        with psycopg.connect(pg_url) as conn:
            who = conn.execute("SELECT DISTINCT who FROM change").fetchall()
        assert who == [(os.environ.get("DOSSIER_USER") or who[0][0],)]
    finally:
        with psycopg.connect(pg_url, autocommit=True) as conn:
            conn.execute(f"DROP OWNED BY {clerk}")
            conn.execute(f"DROP ROLE IF EXISTS {clerk}")


def test_an_import_is_one_undo_step_that_undo_reverts(
    run: Run, monkeypatch: pytest.MonkeyPatch, tmp_path: Path, pg_url: str
) -> None:
    export = _export(run, monkeypatch, tmp_path)
    monkeypatch.setenv("DOSSIER_DB", pg_url)
    assert run("add", "Already here").exit_code == 0
    assert run("import", str(export)).exit_code == 0
    listed = run("undo", "--list").stdout
    assert listed.count("dossier import") == 1 and listed.count("dossier add") == 1, listed
    first = [card["id"] for card in json.loads(run("list", "--json").stdout)]
    assert len(first) > 20
    undone = run("undo")
    assert undone.exit_code == 0 and "import" in undone.stdout, undone
    names = [card["name"] for card in json.loads(run("list", "--json").stdout)]
    assert names == ["Already here"]
    stats = json.loads(run("stats", "--json").stdout)
    assert _rows_server(pg_url)[1] == []  # the tallies of the history went with it
    assert stats
    # The import again gets fresh ids from the sequence, never reused ones.
    assert run("import", str(export)).exit_code == 0
    again = [card["id"] for card in json.loads(run("list", "--json").stdout)]
    assert len(again) == len(first)
    assert min(i for i in again if i != 1) > max(first)


def test_undoing_an_import_on_a_worked_folder_gives_its_tallies_back_exactly(
    run: Run, monkeypatch: pytest.MonkeyPatch, tmp_path: Path, pg_url: str
) -> None:
    """Undo takes the loaded clients away in bulk (their tallies out of the stats in
    three statements): the folder's own tallies, views and triggers are as before."""
    export = _export(run, monkeypatch, tmp_path)
    data = json.loads(export.read_text())
    for card in data["clients"]:  # not the sample folder's clients again
        card["name"] += " Jr"
        card.pop("uid", None)
    export.write_text(json.dumps(data))
    monkeypatch.setenv("DOSSIER_DB", pg_url)
    for args in (["demo"], ["log", "4", "Called", "--kind", "call", "--outcome", "won"]):
        assert run(*args).exit_code == 0
    before = _rows_server(pg_url)
    views = {args: run(*args.split()).stdout for args in ("stats --json", "list --json")}
    assert before[1] and before[2] and before[3]  # days, gaps and wins to keep
    assert run("import", str(export)).exit_code == 0
    assert _rows_server(pg_url)[1] != before[1]  # the import added to the tallies
    assert run("undo").exit_code == 0
    after = _rows_server(pg_url)
    assert after[1:] == before[1:]
    assert [row[:11] for row in after[0]] == [row[:11] for row in before[0]]
    assert {args: run(*args.split()).stdout for args in views} == views
    # The triggers are back: a new entry is counted and moves its client's version on.
    assert run("log", "4", "Again", "--kind", "call").exit_code == 0
    again = _rows_server(pg_url)
    assert sum(row[4] for row in again[1]) == sum(row[4] for row in before[1]) + 1
    assert [row[11] for row in again[0] if row[0] == 4] > [
        row[11] for row in before[0] if row[0] == 4
    ]


def test_an_import_refused_on_the_server_changes_nothing(
    run: Run, monkeypatch: pytest.MonkeyPatch, tmp_path: Path, pg_url: str
) -> None:
    """A value the database's own rules refuse (a uid twice) is one line, exit 2 like
    SQLite's, and nothing of the file is written."""
    export = _export(run, monkeypatch, tmp_path)
    data = json.loads(export.read_text())
    data["clients"][0]["uid"] = data["clients"][1]["uid"] = "same-uid"
    export.write_text(json.dumps(data))
    said = []
    for where in (str(tmp_path / "refused.db"), pg_url):
        monkeypatch.setenv("DOSSIER_DB", where)
        result = run("import", str(export))
        said.append((result.exit_code, len(result.stderr.strip().splitlines())))
        assert "Traceback" not in result.stderr
    assert said[0] == said[1] and said[0][0] != 0, said
    assert _rows_server(pg_url)[0] == []


# --- a killed or interrupted import ---------------------------------------------------------

BIG = 40_000


def _big_csv(path: Path) -> Path:
    lines = ["name,company,email,tags,notes"]
    lines += [
        f"Client {n:05d},Company {n % 997},c{n}@example.com,bulk,first note about order {n}"
        for n in range(BIG)
    ]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _start_import(url: str, csv: Path) -> subprocess.Popen[str]:
    env = {**os.environ, "DOSSIER_DB": url, "DOSSIER_BUSY_TIMEOUT_MS": "5000"}
    return subprocess.Popen(
        [sys.executable, "-m", "dossier", "import", str(csv)],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def _wait_for_copy(url: str, importer: subprocess.Popen[str]) -> int:
    """The server pid of the import's session once it is inside its COPY (and holds the
    write lock), polled in pg_stat_activity: never a guess with sleep."""
    import psycopg

    deadline = time.monotonic() + 120
    with psycopg.connect(url, autocommit=True) as conn:
        while time.monotonic() < deadline:
            assert importer.poll() is None, importer.communicate()
            found = conn.execute(
                "SELECT a.pid FROM pg_stat_activity a JOIN pg_locks l ON l.pid = a.pid"
                " WHERE a.datname = current_database() AND a.state = 'active'"
                " AND a.query LIKE 'COPY entry%%' AND l.locktype = 'advisory' AND l.granted"
            ).fetchone()
            if found:
                return int(found[0])
            time.sleep(0.01)
    pytest.fail("the import never reached its COPY")


def _gone(url: str, backend: int) -> float:
    """Seconds until the server has ended the import's session (released its locks)."""
    import psycopg

    started = time.monotonic()
    with psycopg.connect(url, autocommit=True) as conn:
        while time.monotonic() - started < 30:
            alive = conn.execute("SELECT 1 FROM pg_stat_activity WHERE pid = %s", (backend,))
            if alive.fetchone() is None:
                return time.monotonic() - started
            time.sleep(0.01)
    pytest.fail("the server kept the killed import's session")


def _nothing_imported(url: str) -> None:
    import psycopg

    with psycopg.connect(url) as conn:
        counts = conn.execute(
            "SELECT (SELECT count(*) FROM client), (SELECT count(*) FROM entry),"
            " (SELECT count(*) FROM tag), (SELECT count(*) FROM change),"
            " (SELECT count(*) FROM undo_step), (SELECT count(*) FROM stats_day)"
        ).fetchone()
        # The triggers the load disabled are enabled: a rollback put them back.
        disabled = conn.execute(
            "SELECT count(*) FROM pg_trigger WHERE NOT tgisinternal AND tgenabled = 'D'"
        ).fetchone()
    assert counts == (0, 0, 0, 0, 0, 0)
    assert disabled == (0,)


def test_a_killed_import_imports_nothing_and_frees_the_database(
    run: Run, monkeypatch: pytest.MonkeyPatch, tmp_path: Path, pg_url: str
) -> None:
    csv = _big_csv(tmp_path / "big.csv")
    importer = _start_import(pg_url, csv)
    try:
        backend = _wait_for_copy(pg_url, importer)
        importer.send_signal(signal.SIGKILL)
        importer.wait(timeout=30)
    finally:
        if importer.poll() is None:
            importer.kill()
    assert importer.returncode == -signal.SIGKILL
    assert _gone(pg_url, backend) < 5
    _nothing_imported(pg_url)
    # The next command gets its turn at once (the conftest's 200 ms wait for the lock).
    monkeypatch.setenv("DOSSIER_DB", pg_url)
    added = run("add", "After the crash")
    assert added.exit_code == 0, added
    small = tmp_path / "small.csv"
    small.write_text("name\nAnna\nBoris\n", encoding="utf-8")
    assert run("import", str(small)).stdout.startswith("2 new")
    assert len(json.loads(run("list", "--json").stdout)) == 3


def test_an_interrupted_import_says_so_and_imports_nothing(
    run: Run, monkeypatch: pytest.MonkeyPatch, tmp_path: Path, pg_url: str
) -> None:
    csv = _big_csv(tmp_path / "big.csv")
    importer = _start_import(pg_url, csv)
    try:
        backend = _wait_for_copy(pg_url, importer)
        importer.send_signal(signal.SIGINT)
        _out, err = importer.communicate(timeout=60)
    finally:
        if importer.poll() is None:
            importer.kill()
    assert importer.returncode == 130, err
    lines = err.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in err, err
    assert "nothing saved" in lines[0] or "Interrupted" in lines[0], err
    assert _gone(pg_url, backend) < 5
    _nothing_imported(pg_url)
    monkeypatch.setenv("DOSSIER_DB", pg_url)
    assert run("add", "After Ctrl-C").exit_code == 0


def test_find_gives_the_same_newest_hits_by_either_way_to_the_history(
    run: Run, monkeypatch: pytest.MonkeyPatch, tmp_path: Path, pg_url: str
) -> None:
    """The history search takes few hits from the words' index and many newest first by
    the key (``search.FEW_HITS``): the same hits either way, and as on SQLite."""
    from dossier.storage.postgres import search

    export = _export(run, monkeypatch, tmp_path)
    sqlite = tmp_path / "same.db"
    for where in (str(sqlite), pg_url):
        monkeypatch.setenv("DOSSIER_DB", where)
        assert run("import", str(export)).exit_code == 0
    queries = ["tungsten", "call", "order", "e", "price list", "won"]
    said: dict[str, list[Any]] = {}
    for where, bound in ((str(sqlite), None), (pg_url, 5_000), (pg_url, 1)):
        monkeypatch.setenv("DOSSIER_DB", where)
        if bound is not None:
            monkeypatch.setattr(search, "FEW_HITS", bound)
        said[f"{where} {bound}"] = [_same(run("find", q, "--json").stdout) for q in queries]
    first, *others = said.values()
    for other in others:
        for q, a, b in zip(queries, first, other, strict=True):
            assert a == b, q
    assert sum(len(hits) for hits in first) > 10  # hits to compare
