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
import sys
from typer.testing import CliRunner
from dossier.cli import app
runner = CliRunner()
who, day, count = sys.argv[1], sys.argv[2], int(sys.argv[3])
for i in range(1, count + 1):
    args = ["--user", who, "file", str(i), "--on", day, "-m", f"{who} called #{i}"]
    result = runner.invoke(app, args)
    if result.exit_code != 0:
        print(result.stdout, result.stderr, file=sys.stderr)
        sys.exit(1)
"""


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
    for n in range(1, 101):
        assert run("add", f"Client {n:03}", "--on", "2024-07-08").exit_code == 0
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
