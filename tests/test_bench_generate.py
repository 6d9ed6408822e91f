"""The benchmark's folder builder must keep working as the schema grows: a column it
does not fill (m009's ``more_emails``) once broke it, and nothing noticed."""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
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
