"""The PostgreSQL engine against a real server (``DOSSIER_TEST_PG``, see tools/pg-server):
the same commands give the same output, JSON and exit codes as on a SQLite file; a
database that is not ours, or newer, is refused; every failure to reach the server is
one line; many writers lose nothing.

Without a server these tests are skipped (in CI they fail instead: see conftest.py);
the ones that need no server (psycopg missing, what a SQLite run imports) always run.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import Run, empty_database, with_database

TIME = re.compile(r"\b\d{2}:\d{2}(:\d{2})?\b")


def same(text: str) -> str:
    """Output with the clock's time of day taken out (two runs are seconds apart)."""
    return TIME.sub("HH:MM", text)


def on_both(
    run: Run, monkeypatch: pytest.MonkeyPatch, sqlite: Path, pg: str, *args: str
) -> tuple[tuple[int, str, str], tuple[int, str, str]]:
    results = []
    for where in (str(sqlite), pg):
        monkeypatch.setenv("DOSSIER_DB", where)
        result = run(*args)
        results.append((result.exit_code, same(result.stdout), same(result.stderr)))
    return results[0], results[1]


# A morning's work: the sample folder, then the commands of a day, writes and reads.
SCRIPT = [
    ["demo"],
    ["today"],
    ["today", "--json"],
    [
        "add",
        "Zoë Ñandú",
        "--company",
        "Café Crème SARL",
        "--phone",
        "+33 1 42 68 53 00",
        "--email",
        "zoe@creme.example",
        "--tag",
        "vip",
        "--on",
        "2024-07-08",
        "--for",
        "prices",
    ],
    [
        "log",
        "41",
        "Spoke about the café's crème brûlée order",
        "--kind",
        "call",
        "--outcome",
        "reached",
    ],
    ["file", "3", "--on", "2024-07-09", "--for", "send the offer", "-m", "Asked for an offer"],
    ["edit", "5", "--stage", "client", "--tag", "hot", "--company", "Nordwind AG"],
    ["done", "6"],
    ["log", "7", "Won the order!", "--kind", "meeting", "--outcome", "won"],
    ["show", "41"],
    ["show", "41", "--json"],
    ["show", "5", "--json"],
    ["list"],
    ["list", "--json"],
    ["list", "--tag", "vip"],
    ["list", "--archived"],
    ["today"],
    ["today", "--json"],
    ["folder"],
    ["agenda"],
    ["tab", "8"],
    ["level", "--dry-run"],
    ["review"],
    ["review", "--week", "--json"],
    ["stats", "--json"],
    ["stats", "--tag", "vip", "--json"],
    ["find", "creme"],
    ["find", "crème"],
    ["find", "CAFÉ"],
    ["find", "4268"],
    ["find", "zoe@cre"],
    ["find", "brulee order"],
    ["find", "an"],
    ["find", "zz-nothing"],
    ["show", "nobody-by-that-name"],
    ["file", "3", "--on", "someday"],
    ["edit", "41", "--stage", "nonsense"],
]


def test_a_day_of_work_reads_the_same_on_both_engines(
    run: Run, monkeypatch: pytest.MonkeyPatch, tmp_path: Path, pg_url: str
) -> None:
    sqlite = tmp_path / "same.db"
    differences = []
    for args in SCRIPT:
        on_sqlite, on_pg = on_both(run, monkeypatch, sqlite, pg_url, *args)
        if on_sqlite != on_pg:
            differences.append((args, on_sqlite, on_pg))
    assert not differences, differences[0]
    # Not vacuous: the script wrote and found things.
    monkeypatch.setenv("DOSSIER_DB", pg_url)
    shown = json.loads(run("show", "41", "--json").stdout)
    assert shown["name"] == "Zoë Ñandú" and shown["history"]


# Search: the same hits as SQLite's full-text tables on the same cards and history.
CARDS = [
    ("José Núñez", "Ölwerke Süd", "+49 (30) 123-4567", "jose@oelwerke.example"),
    ("JOSE NUNEZ", "Oelwerke Sued", "030 1234567", "j.nunez@example.com"),
    ("Ana María López", "Café de Flore", "+33 1 45 48 55 26", None),
    ("Åsa Öberg", None, "08-123 456 78", "asa@oberg.se"),
    ("Li Wei 李伟", "北京贸易", "+86 10 6552 9988", None),
    ("O'Brien & Sons_Ltd", "100% Cotton", "555_0100", "obrien@example.ie"),
]
NOTES = [
    "Called about the crème brûlée supplier; they want 12.5% off",
    "Left a message: call back after Zürich trade-fair",
    "E-mailed the price list to jose@oelwerke.example",
    "Meeting set for the Ölwerke renewal, bring samples",
    "naïve question about über-fast delivery",
]
QUERIES = [
    "jose",
    "JOSÉ",
    "núñez",
    "nunez",
    "oelwerke",
    "ölwerke",
    "sud",
    "süd",
    "123",
    "1234567",
    "(30) 123",
    "café",
    "cafe",
    "flore",
    "åsa",
    "asa",
    "李伟",
    "贸易",
    "100%",
    "_ltd",
    "o'b",
    "ob",
    "li",
    "55",
    "crème",
    "creme",
    "brulee",
    "supp",
    "12",
    "zurich",
    "trade-fair",
    "trade",
    "fair",
    "call back",
    "oelwerke.example",
    "ölw",
    "naive",
    "uber",
    "über fast",
    "%",
    "_",
    "'",
    '"',
    "meeting renewal",
    "price list jose",
]


def test_find_gives_the_same_hits_on_both_engines(
    run: Run, monkeypatch: pytest.MonkeyPatch, tmp_path: Path, pg_url: str
) -> None:
    sqlite = tmp_path / "search.db"
    for name, company, phone, email in CARDS:
        args = ["add", name, "--phone", phone]
        args += ["--company", company] if company else []
        args += ["--email", email] if email else []
        assert on_both(run, monkeypatch, sqlite, pg_url, *args)[1][0] == 0
    for number, note in enumerate(NOTES):
        client = str(number % len(CARDS) + 1)
        on_both(run, monkeypatch, sqlite, pg_url, "log", client, note)
    differences = []
    hits = 0
    for query in QUERIES:
        on_sqlite, on_pg = on_both(run, monkeypatch, sqlite, pg_url, "find", query, "--json")
        hits += on_sqlite[1].count('"id"')
        if on_sqlite != on_pg:
            differences.append((query, on_sqlite, on_pg))
    assert hits > 20  # the queries found something to compare
    assert not differences, differences


# --- refused databases, unreachable servers ---------------------------------------------


def test_commands_run_without_the_servers_jit(pg_url: str) -> None:
    """A manager's ``stats`` on the team bench folder took 1.1 s on the server, 700 ms
    of it compiling the query (the planner's guess for the history passes
    jit_above_cost). dossier's session turns the JIT off, whatever the server's default."""
    import psycopg

    from dossier.storage import open_database
    from dossier.storage.paths import ServerUrl

    with psycopg.connect(pg_url, autocommit=True) as admin:
        name = admin.execute("SELECT current_database()").fetchone()
        assert name is not None
        admin.execute(f'ALTER DATABASE "{name[0]}" SET jit = on')
    store = open_database(ServerUrl(pg_url))
    try:
        assert store.conn.execute("SHOW jit").fetchone() == ("off",)
    finally:
        store.close()


def test_a_database_of_a_newer_dossier_is_refused_untouched(
    run: Run, monkeypatch: pytest.MonkeyPatch, pg_url: str
) -> None:
    import psycopg

    monkeypatch.setenv("DOSSIER_DB", pg_url)
    assert run("add", "Acme").exit_code == 0
    with psycopg.connect(pg_url, autocommit=True) as conn:
        conn.execute("INSERT INTO migration (version, name) VALUES (99, 'm099_future')")
    result = run("today")
    assert result.exit_code == 1
    from dossier.storage.postgres.migrations import LATEST

    assert f"was written by a newer dossier (schema 99, this one knows {LATEST})" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    with psycopg.connect(pg_url) as conn:
        assert conn.execute("SELECT count(*) FROM client").fetchone() == (1,)


def test_a_database_of_another_program_is_refused_untouched(
    run: Run, monkeypatch: pytest.MonkeyPatch, pg_server: str
) -> None:
    import psycopg

    with empty_database(pg_server, f"foreign_{os.getpid()}") as url:
        with psycopg.connect(url, autocommit=True) as conn:
            conn.execute("CREATE TABLE invoices (id int)")
        monkeypatch.setenv("DOSSIER_DB", url)
        result = run("today")
        assert result.exit_code == 1
        assert "is a PostgreSQL database of another program (tables: invoices)" in result.stderr
        with psycopg.connect(url) as conn:
            tables = conn.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public'")
            assert tables.fetchall() == [("invoices",)]


def one_line(result: subprocess.CompletedProcess[str]) -> str:
    """A failure as a user sees it: exit 1, one line on stderr, no traceback."""
    assert result.returncode == 1, result
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in result.stderr, result.stderr
    return lines[0]


def dossier(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "dossier", *args],
        capture_output=True,
        text=True,
        env=env or dict(os.environ),
        timeout=60,
    )


def test_a_server_that_cannot_be_reached_is_one_line(tmp_path: Path) -> None:
    url = f"postgresql://anna:s3cret@/team?host={tmp_path}/nowhere"
    line = one_line(dossier("--db", url, "today"))
    assert line.startswith("dossier: cannot reach the PostgreSQL server of postgresql://anna@")
    assert "s3cret" not in line


def test_a_missing_database_is_one_line(pg_server: str) -> None:
    line = one_line(dossier("--db", with_database(pg_server, "no_such_dossier"), "today"))
    assert "the PostgreSQL database" in line and "does not exist; create it first" in line


def test_a_wrong_password_is_one_line_without_the_password(pg_server: str) -> None:
    """tools/pg-server asks a password of the role ``dossier_locked`` only."""
    import psycopg

    with psycopg.connect(pg_server, autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_roles WHERE rolname = 'dossier_locked'").fetchone():
            conn.execute("CREATE ROLE dossier_locked LOGIN PASSWORD 'right'")
    admin = pg_server.split("://", 1)[1].split("@", 1)[1]
    line = one_line(dossier("--db", f"postgresql://dossier_locked:wrong@{admin}", "today"))
    assert "refused the login" in line and "wrong" not in line.split("(")[0]
    assert ":wrong@" not in line


def test_without_psycopg_a_postgresql_url_says_what_to_install(tmp_path: Path) -> None:
    """No server needed: ``import psycopg`` is made to fail, as where it is not installed."""
    shim = tmp_path / "shim" / "psycopg"
    shim.mkdir(parents=True)
    (shim / "__init__.py").write_text(
        "raise ModuleNotFoundError(\"No module named 'psycopg'\", name='psycopg')\n"
    )
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(shim.parent), *sys.path])}
    line = one_line(dossier("--db", "postgresql://anna@localhost/team", "today", env=env))
    assert line == "dossier: PostgreSQL needs psycopg: pip install 'dossier[postgres]'"


def test_a_sqlite_run_never_imports_psycopg(db_path: Path) -> None:
    probe = (
        "import sys\nfrom dossier.cli import app\n"
        "for args in (['add', 'Acme'], ['today'], ['find', 'acme'], ['stats']):\n"
        "    try:\n        app(args, standalone_mode=False)\n    except SystemExit:\n        pass\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] == 'psycopg'"
        " or m.startswith('dossier.storage.postgres')))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == "[]"


# --- URL forms ----------------------------------------------------------------------------


def test_the_url_forms_reach_the_same_database(
    run: Run, monkeypatch: pytest.MonkeyPatch, pg_url: str
) -> None:
    from urllib.parse import parse_qs, urlsplit

    monkeypatch.setenv("DOSSIER_DB", pg_url)
    assert run("add", "Acme").exit_code == 0
    parts = urlsplit(pg_url)
    # postgres:// is the same as postgresql://
    monkeypatch.setenv("DOSSIER_DB", "postgres://" + pg_url.split("://", 1)[1])
    assert "Acme" in run("list").stdout
    # postgresql: alone takes everything from libpq's PG* environment
    monkeypatch.setenv("PGDATABASE", parts.path.lstrip("/"))
    monkeypatch.setenv("PGUSER", parts.username or "")
    host = parse_qs(parts.query).get("host", [parts.hostname or ""])[0]
    monkeypatch.setenv("PGHOST", host)
    if parts.port:
        monkeypatch.setenv("PGPORT", str(parts.port))
    monkeypatch.setenv("DOSSIER_DB", "postgresql:")
    assert "Acme" in run("--db", "postgresql:", "list").stdout


# --- many writers -------------------------------------------------------------------------

WRITER = """
import contextlib, io, sys
from typer.main import get_command
from dossier.cli import app
command = get_command(app)  # built once: each log below is a whole command all the same
with contextlib.redirect_stdout(io.StringIO()) as said:
    for i in range(int(sys.argv[2])):
        command.main(["log", "1", f"writer {sys.argv[1]} note {i}"], standalone_mode=False)
assert said.getvalue().count("Noted") == int(sys.argv[2]), said.getvalue()
"""


def test_ten_writers_logging_at_once_lose_nothing(
    run: Run, monkeypatch: pytest.MonkeyPatch, pg_url: str
) -> None:
    """10 processes x 100 ``log`` on one client: exactly 1,000 entries, no error."""
    import psycopg

    monkeypatch.setenv("DOSSIER_DB", pg_url)
    assert run("add", "Acme").exit_code == 0
    env = {**os.environ, "DOSSIER_DB": pg_url, "DOSSIER_BUSY_TIMEOUT_MS": "60000"}
    writers = [
        subprocess.Popen(
            [sys.executable, "-c", WRITER, str(n), "100"],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for n in range(10)
    ]
    failures = []
    for writer in writers:
        _out, err = writer.communicate(timeout=600)
        if writer.returncode != 0:
            failures.append(err)
    assert not failures, failures[0]
    with psycopg.connect(pg_url) as conn:
        counted = conn.execute("SELECT count(*), count(DISTINCT text) FROM entry").fetchone()
        tally = conn.execute("SELECT sum(entries) FROM stats_day").fetchone()
    assert counted == (1000, 1000)
    assert tally == (1000,)


def test_a_writer_waiting_too_long_for_its_turn_says_locked_and_changes_nothing(
    run: Run, monkeypatch: pytest.MonkeyPatch, pg_url: str
) -> None:
    """Another command holding the database's write turn (dossier's advisory lock) longer
    than DOSSIER_BUSY_TIMEOUT_MS: the same "locked … try again" line as on a file."""
    import psycopg

    from dossier.storage.postgres.db import LOCK_KEY

    monkeypatch.setenv("DOSSIER_DB", pg_url)
    assert run("add", "Acme").exit_code == 0
    with psycopg.connect(pg_url) as other:
        other.execute("SELECT pg_advisory_xact_lock(%s)", (LOCK_KEY,))
        result = run("log", "acme", "waiting")
        assert run("today").exit_code == 0  # readers do not wait
    assert result.exit_code == 1
    assert "is locked by another program or dossier command" in result.stderr
    assert "try again in a moment" in result.stderr
    with psycopg.connect(pg_url) as conn:
        assert conn.execute("SELECT count(*) FROM entry").fetchone() == (0,)
