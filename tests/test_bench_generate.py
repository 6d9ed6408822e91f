"""The benchmark's folder builder must keep working as the schema grows: a column it
does not fill (m009's ``more_emails``) once broke it, and nothing noticed."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_generate_small_builds_a_folder_dossier_reads(tmp_path: Path) -> None:
    db = tmp_path / "bench.db"
    done = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "generate.py"), "--db", str(db), "--small"],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert "same rows: yes" in done.stdout
    conn = sqlite3.connect(db)
    try:
        clients = conn.execute("SELECT count(*) FROM client").fetchone()[0]
        emails = {row[0] for row in conn.execute("SELECT DISTINCT more_emails FROM client")}
    finally:
        conn.close()
    assert clients > 1000 and emails == {"[]"}
    assert json.loads((tmp_path / "bench.db.bench.json").read_text())


def test_generate_builds_the_same_team_folder_on_a_server_with_copy(pg_server: str) -> None:
    """``--db postgresql://…`` builds the folder with COPY, checked row for row against a
    plain COPY of the same rows (the scratch database dropped after), spread over the
    owners; the folder works for one of them."""
    import psycopg

    from conftest import with_database

    url = with_database(pg_server, f"bench_gen_{os.getpid()}")
    facts_file = Path(tempfile.gettempdir()) / f"dossier-bench-bench_gen_{os.getpid()}.bench.json"
    command = [sys.executable, str(ROOT / "bench" / "generate.py"), "--db", url]
    command += ["--clients", "300", "--entries", "5000", "--owners", "3", "--force"]
    try:
        done = subprocess.run(command, capture_output=True, text=True, timeout=300, check=False)
        assert done.returncode == 0, done.stderr
        assert "same rows: yes" in done.stdout
        with psycopg.connect(url) as conn:
            owners = dict(conn.execute("SELECT owner, count(*) FROM client GROUP BY 1").fetchall())
            entries = conn.execute("SELECT count(*) FROM entry").fetchone()
            analyzed = conn.execute(
                "SELECT last_analyze IS NOT NULL FROM pg_stat_user_tables WHERE relname = 'entry'"
            ).fetchone()
        with psycopg.connect(pg_server, autocommit=True) as conn:
            left = conn.execute(
                "SELECT datname FROM pg_database WHERE datname LIKE %s",
                (f"bench_gen_{os.getpid()}_%",),
            ).fetchall()
        assert set(owners) == {"owner01", "owner02", "owner03"}
        assert all(90 <= n <= 110 for n in owners.values())
        assert entries == (5000,) and analyzed == (True,) and left == []
        env = {**os.environ, "DOSSIER_DB": url, "DOSSIER_USER": "owner01"}
        facts = json.loads(facts_file.read_text())
        today = subprocess.run(
            [sys.executable, "-m", "dossier", "today", "--json"],
            env={**env, "DOSSIER_TODAY": facts["today"]},
            capture_output=True,
            text=True,
            check=False,
        )
        assert today.returncode == 0, today.stderr
        due = json.loads(today.stdout)
        # owner01's own morning: its share of the team's dossiers due today.
        assert due["owner"] == "owner01" and len(due["today"]) == 30, due
        added = subprocess.run(
            [sys.executable, "-m", "dossier", "add", "New after the load"],
            env=env,
            capture_output=True,
            text=True,
            check=False,
        )
        assert added.returncode == 0, added.stderr  # the id sequence follows the loaded ids
    finally:
        facts_file.unlink(missing_ok=True)  # the generator's facts for run.py, in /tmp
        with psycopg.connect(pg_server, autocommit=True) as conn:
            conn.execute(f"DROP DATABASE IF EXISTS bench_gen_{os.getpid()} WITH (FORCE)")
