"""A team on one PostgreSQL server, many writers at once (a real server:
``DOSSIER_TEST_PG``): nothing lost, no error a user would see, every dossier in exactly
one place."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from conftest import Run

# One manager's morning: each of the clients refiled, with what was said, one command at
# a time (each its own unit of work, its own transaction), as fast as it can go.
REFILER = """
import contextlib, io, sys
from typer.main import get_command
from dossier.cli import app
command = get_command(app)  # built once: each file below is a whole command all the same
who, day, count = sys.argv[1], sys.argv[2], int(sys.argv[3])
for i in range(1, count + 1):
    args = ["--user", who, "file", str(i), "--on", day, "-m", f"{who} called #{i}"]
    with contextlib.redirect_stdout(io.StringIO()) as said:
        code = command.main(args, standalone_mode=False)
    if code != 0:
        print(said.getvalue(), file=sys.stderr)
        sys.exit(1)
"""


def hundred_clients(run: Run, user: str) -> None:
    """100 clients filed on 2024-07-08: one through the CLI, the others as its copies
    (the setting-up is not what is tested, and 99 more commands took half a minute)."""
    import psycopg

    result = run("--user", user, "add", "Client 001", "--on", "2024-07-08")
    assert result.exit_code == 0, result
    with psycopg.connect(os.environ["DOSSIER_DB"]) as conn:
        columns = [
            name
            for (name,) in conn.execute(
                "SELECT column_name FROM information_schema.columns WHERE table_schema ="
                " current_schema() AND table_name = 'client' AND is_generated = 'NEVER'"
                " AND column_name NOT IN ('id', 'name', 'name_key', 'name_fold', 'name_sort')"
            )
        ]
        listed = ", ".join(columns)
        for n in range(2, 101):
            name = f"Client {n:03}"
            conn.execute(
                f"INSERT INTO client (name, name_key, name_fold, name_sort, {listed})"
                f" SELECT %s, %s, %s, %s, {listed} FROM client WHERE id = 1",
                (name, name.lower(), name.lower(), name.lower()),
            )


def managers(pg_url: str, *jobs: tuple[str, str, int]) -> list[str]:
    """Run the refilers at once; the stderr of each that failed."""
    env = {**os.environ, "DOSSIER_DB": pg_url, "DOSSIER_BUSY_TIMEOUT_MS": "60000"}
    started = [
        subprocess.Popen(
            [sys.executable, "-c", REFILER, who, day, str(count)],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for who, day, count in jobs
    ]
    failures = []
    for process in started:
        _out, err = process.communicate(timeout=600)
        if process.returncode != 0:
            failures.append(err)
    return failures


def test_two_managers_refiling_the_same_clients_at_once_lose_nothing(
    run: Run, monkeypatch: pytest.MonkeyPatch, pg_url: str
) -> None:
    import psycopg

    monkeypatch.setenv("DOSSIER_DB", pg_url)
    hundred_clients(run, "anna")
    failures = managers(pg_url, ("anna", "2024-07-10", 100), ("boris", "2024-07-11", 100))
    assert not failures, failures[0]
    with psycopg.connect(pg_url) as conn:
        places = conn.execute(
            "SELECT count(*), count(due), count(due_month), count(DISTINCT due),"
            " min(version) FROM client"
        ).fetchone()
        notes = conn.execute(
            "SELECT client_id, array_agg(text ORDER BY text) FROM entry GROUP BY client_id"
        ).fetchall()
        whose = conn.execute("SELECT who, count(*) FROM change GROUP BY who ORDER BY who")
        counted = dict(whose.fetchall())
    total, filed, by_month, days, lowest = places
    assert (total, filed, by_month) == (100, 100, 0), "each client in exactly one place"
    assert days <= 2 and lowest >= 3
    assert len(notes) == 100
    for client_id, texts in notes:
        assert texts == [f"anna called #{client_id}", f"boris called #{client_id}"]
    assert counted["anna"] == counted["boris"] == 100


def test_a_handoff_while_the_other_manager_files_is_consistent(
    run: Run, monkeypatch: pytest.MonkeyPatch, pg_url: str
) -> None:
    """Anna refiles her 100 dossiers while her head of sales hands them all to Boris:
    the handoff takes each dossier exactly once, Anna's notes are all there, and every
    dossier is in one place, Boris's."""
    import time

    import psycopg

    monkeypatch.setenv("DOSSIER_DB", pg_url)
    hundred_clients(run, "anna")
    env = {**os.environ, "DOSSIER_DB": pg_url, "DOSSIER_BUSY_TIMEOUT_MS": "60000"}
    filing = subprocess.Popen(
        [sys.executable, "-c", REFILER, "anna", "2024-07-10", "100"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    time.sleep(1.5)  # part of the way through her list
    handoff = subprocess.run(
        [sys.executable, "-m", "dossier", "--user", "head", "handoff", "--from", "anna",
         "--to", "boris", "-m", "Anna is on leave", "--json"],
        env=env, capture_output=True, text=True, timeout=600,
    )  # fmt: skip
    _out, err = filing.communicate(timeout=600)
    assert filing.returncode == 0, err
    assert handoff.returncode == 0, handoff.stderr
    with psycopg.connect(pg_url) as conn:
        owners = conn.execute("SELECT owner, count(*) FROM client GROUP BY owner").fetchall()
        places = conn.execute(
            "SELECT count(*) FROM client WHERE due IS NOT NULL AND due_month IS NULL"
        ).fetchone()
        handed = conn.execute(
            "SELECT count(*), count(DISTINCT client_id) FROM entry WHERE text LIKE 'Handed%'"
        ).fetchone()
        called = conn.execute(
            "SELECT count(*), count(DISTINCT client_id) FROM entry WHERE text LIKE 'anna called%'"
        ).fetchone()
    assert owners == [("boris", 100)]
    assert places == (100,)
    assert handed == (100, 100)
    assert called == (100, 100)
