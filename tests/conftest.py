"""One temporary database per test, and a fixed "today", set through the environment
exactly as a user would set them (``DOSSIER_DB``, ``DOSSIER_TODAY``)."""

from __future__ import annotations

import itertools
import os
import sqlite3
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
import typer.main
import typer.testing
from typer.testing import CliRunner

from dossier.cli import app

TODAY = "2024-07-05"  # a Friday

# The engine the suite runs on: "sqlite" (the default) or "postgres" (then every test's
# DOSSIER_DB is a fresh database on the server of DOSSIER_TEST_PG).
ENGINE = os.environ.get("DOSSIER_TEST_ENGINE", "sqlite")


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers",
        "sqlite_only(reason): reads or writes the SQLite file itself; skipped "
        "when DOSSIER_TEST_ENGINE=postgres",
    )


# What a test on PostgreSQL cannot do, as it fails: read the SQLite file itself (sqlite3
# finds no file at DOSSIER_DB). Such a test is reported skipped with that reason; any
# other failure stays a failure. (Every command runs on both engines: none is refused.)


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]):  # type: ignore[no-untyped-def]
    outcome = yield
    if ENGINE != "postgres" or call.excinfo is None or call.when != "call":
        return
    if not call.excinfo.errisinstance(sqlite3.Error):
        return
    report = outcome.get_result()
    reason = "SQLite file only: the test reads the file with sqlite3"
    report.outcome = "skipped"
    report.longrepr = (str(item.path), item.location[1] or 0, reason)


# --- a PostgreSQL database per test ------------------------------------------------------


def with_database(url: str, name: str) -> str:
    """The server URL ``url`` naming the database ``name`` instead."""
    from urllib.parse import urlsplit, urlunsplit

    parts = urlsplit(url)
    return urlunsplit(parts._replace(path="/" + name))


@contextmanager
def empty_database(admin: str, name: str) -> Iterator[str]:
    """An empty database ``name`` on the test server (no dossier schema: another
    program's, an older dossier's, a restore's target), its URL yielded, dropped after."""
    import psycopg

    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {name}")
        conn.execute(f"CREATE DATABASE {name}")
    try:
        yield with_database(admin, name)
    finally:
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


@pytest.fixture(scope="session")
def pg_server() -> Iterator[str]:
    """The admin URL of the test server (``DOSSIER_TEST_PG``, e.g. from
    ``tools/pg-server start DIR``), with a migrated template database ready; without
    one the PostgreSQL tests are skipped, except in CI (CI=1), where they fail."""
    admin = os.environ.get("DOSSIER_TEST_PG", "").strip()
    if not admin:
        if os.environ.get("CI"):
            pytest.fail("CI=1 but no PostgreSQL server: set DOSSIER_TEST_PG (tools/pg-server)")
        pytest.skip("no PostgreSQL server: set DOSSIER_TEST_PG (see tools/pg-server)")
    import psycopg

    from dossier.storage.paths import ServerUrl
    from dossier.storage.postgres.db import open_database

    template = f"dossier_template_{os.getpid()}"
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {template}")
        conn.execute(f"CREATE DATABASE {template}")
    open_database(ServerUrl(with_database(admin, template))).close()
    yield admin
    with psycopg.connect(admin, autocommit=True) as conn:  # a developer's server stays tidy
        conn.execute(f"DROP DATABASE IF EXISTS {template} WITH (FORCE)")


@pytest.fixture
def pg_url(pg_server: str) -> Iterator[str]:
    """A fresh, migrated dossier database on the test server, dropped after the test."""
    import psycopg

    name = f"dossier_test_{os.getpid()}_{next(_NUMBERS)}"
    template = f"dossier_template_{os.getpid()}"
    with psycopg.connect(pg_server, autocommit=True) as conn:
        conn.execute(f"CREATE DATABASE {name} TEMPLATE {template} STRATEGY FILE_COPY")
    yield with_database(pg_server, name)
    with psycopg.connect(pg_server, autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


_NUMBERS = itertools.count()


# Typer's CliRunner builds the Click command tree from the commands' signatures on every
# invoke: 0.13 s for dossier's commands, two thirds of an in-process CLI test's time. A
# real run builds it once per process; so does a test worker (the tree holds no state of
# a run: each invoke makes its own Click context).
_COMMANDS: dict[int, object] = {}
_build_command = typer.main.get_command


def _built_once(typer_app: typer.Typer) -> object:
    key = id(typer_app)
    if key not in _COMMANDS:
        _COMMANDS[key] = (typer_app, _build_command(typer_app))
    return _COMMANDS[key][1]  # type: ignore[index]


typer.testing._get_command = _built_once  # type: ignore[attr-defined,assignment]


@pytest.fixture(autouse=True)
def environment(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, request: pytest.FixtureRequest
) -> Path:
    db = tmp_path / "data" / "dossier.db"
    monkeypatch.setenv("DOSSIER_DB", str(db))
    if ENGINE == "postgres":
        # The engine switch: the same tests against a fresh PostgreSQL database. Those
        # that read or write the SQLite file itself say so (``sqlite_only``).
        marker = request.node.get_closest_marker("sqlite_only")
        if marker is not None:
            pytest.skip(f"SQLite file only: {marker.args[0] if marker.args else 'the file'}")
        monkeypatch.setenv("DOSSIER_DB", request.getfixturevalue("pg_url"))
    monkeypatch.setenv("DOSSIER_TODAY", TODAY)
    monkeypatch.setenv("DOSSIER_BUSY_TIMEOUT_MS", "200")
    monkeypatch.setenv("DOSSIER_CONFIG", str(tmp_path / "config" / "config.toml"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    # A server database's dumps are kept in the user's data folder: the test's own.
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "share"))
    monkeypatch.delenv("NO_COLOR", raising=False)
    # English whatever the developer's locale: the tests read dossier's English (and the
    # holidays package's English names). Only the messages' category is set: LC_ALL,
    # which would override it, is rare, and replacing it keeps the encoding UTF-8.
    monkeypatch.setenv("LC_MESSAGES", "en_US.UTF-8")
    if os.environ.get("LC_ALL"):
        monkeypatch.setenv("LC_ALL", "C.UTF-8")
    return db


@pytest.fixture
def db_path(environment: Path) -> Path:
    return environment


Run = Callable[..., "Result"]


class Result:
    def __init__(self, exit_code: int, stdout: str, stderr: str) -> None:
        self.exit_code = exit_code
        self.stdout = stdout
        self.stderr = stderr

    def __repr__(self) -> str:
        return f"Result({self.exit_code}, stdout={self.stdout!r}, stderr={self.stderr!r})"


@pytest.fixture
def run() -> Callable[..., Result]:
    """Run ``dossier ARGS`` in-process through Typer's CliRunner."""
    runner = CliRunner()

    def invoke(*args: str, input: str | None = None) -> Result:
        result = runner.invoke(app, list(args), input=input)
        if result.exception and not isinstance(result.exception, SystemExit):
            raise result.exception
        return Result(result.exit_code, result.stdout, result.stderr)

    return invoke


def dump(path: Path) -> str:
    """The database content as ``sqlite3 .dump`` would give it (on PostgreSQL, with
    ``DOSSIER_TEST_ENGINE=postgres``: every row of the test's database, in order)."""
    if ENGINE == "postgres":
        return dump_server(os.environ["DOSSIER_DB"])
    conn = sqlite3.connect(path)
    try:
        return "\n".join(conn.iterdump())
    finally:
        conn.close()


def rows(path: Path, sql: str, *params: object) -> list[tuple[object, ...]]:
    """The rows of ``sql`` (``?`` placeholders, SQL both engines speak) on the test's
    database: the SQLite file at ``path``, or the server database of ``DOSSIER_DB`` with
    ``DOSSIER_TEST_ENGINE=postgres``."""
    if ENGINE == "postgres":
        import psycopg

        with psycopg.connect(os.environ["DOSSIER_DB"]) as conn:
            return [tuple(row) for row in conn.execute(sql.replace("?", "%s"), params)]
    conn = sqlite3.connect(path)
    try:
        return conn.execute(sql, params).fetchall()
    finally:
        conn.close()


def empty_folder(path: Path) -> None:
    """Start again from an empty folder (a hypothesis example after another): the SQLite
    file removed, or every table of the server database but the migrations emptied."""
    if ENGINE == "postgres":
        import psycopg

        with psycopg.connect(os.environ["DOSSIER_DB"]) as conn:
            tables = [
                f'"{name}"'
                for (name,) in conn.execute(
                    "SELECT tablename FROM pg_tables WHERE schemaname = current_schema()"
                    " AND tablename <> 'migration'"
                )
            ]
            conn.execute(f"TRUNCATE {', '.join(tables)} RESTART IDENTITY CASCADE")
    elif path.exists():
        path.unlink()


# --- checking a command's outcome, shared by the CLI test files -------------------------


def ok(result: Result) -> str:
    """The stdout of a command that must have succeeded quietly."""
    assert result.exit_code == 0, result
    assert result.stderr == "", result
    return result.stdout


def refused(result: Result, code: int) -> str:
    """The one stderr line of a command that must have been refused with ``code``."""
    assert result.exit_code == code, result
    assert result.stdout == "", result
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result
    assert lines[0].startswith("dossier: "), result
    return lines[0]


def dump_server(url: str) -> str:
    """Every row of every table of the PostgreSQL database ``url``, in order."""
    import psycopg

    lines = []
    with psycopg.connect(url) as conn:
        tables = conn.execute(
            "SELECT tablename FROM pg_tables WHERE schemaname = current_schema() ORDER BY 1"
        ).fetchall()
        for (table,) in tables:
            rows = conn.execute(f'SELECT * FROM "{table}" ORDER BY 1').fetchall()
            lines += [f"{table}: {row!r}" for row in sorted(rows, key=repr)]
    return "\n".join(lines)


@pytest.fixture
def refuse(run: Callable[..., Result], db_path: Path) -> Callable[..., str]:
    """Run a command that must be refused; check that it left the database as it was."""

    def check(*args: str, code: int, input: str | None = None) -> str:
        assert ENGINE == "postgres" or db_path.exists(), (
            "seed the database first, or the dump compares nothing"
        )
        before = dump(db_path)
        message = refused(run(*args, input=input), code)
        assert dump(db_path) == before, f"refused command {args} changed the database"
        return message

    return check


# --- a pseudo-terminal, as a person's terminal is --------------------------------------


def on_a_pty(
    argv: list[str], env: dict[str, str], columns: int, rows: int = 50, controlling: bool = False
) -> tuple[int, str]:
    """Run ``argv`` on a pseudo-terminal of ``columns`` by ``rows``: its exit code and what
    it drew (``\\r\\n`` read as ``\\n``). ``controlling``: the terminal is the process's
    controlling terminal and the process in its foreground, as a command typed at a
    shell is (only then does dossier page a long view); otherwise, as a harness hands
    one over."""
    import os
    import select
    import struct
    import subprocess
    import time

    fcntl, termios = pytest.importorskip("fcntl"), pytest.importorskip("termios")  # POSIX
    master, slave = os.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", rows, columns, 0, 0))

    def take_the_terminal() -> None:
        os.setsid()
        fcntl.ioctl(0, termios.TIOCSCTTY, 0)

    process = subprocess.Popen(
        argv,
        stdin=slave,
        stdout=slave,
        stderr=slave,
        env=env,
        close_fds=True,
        preexec_fn=take_the_terminal if controlling else None,
    )
    os.close(slave)
    chunks = []
    deadline = time.monotonic() + 60
    try:
        while time.monotonic() < deadline:
            if not select.select([master], [], [], 1)[0]:
                if process.poll() is not None:
                    break
                continue
            try:
                chunk = os.read(master, 65536)
            except OSError:  # EIO: the child closed the terminal
                break
            if not chunk:
                break
            chunks.append(chunk)
    finally:
        os.close(master)
        code = process.wait(timeout=30)
    return code, b"".join(chunks).decode("utf-8", "replace").replace("\r\n", "\n")


def file_before(db: Path, step: str) -> sqlite3.Connection:
    """A new file at ``db`` with the schema as it was just before migration ``step`` (as
    an older dossier left it), open for a test to fill; dossier migrates it on next use."""
    from dossier.storage.sqlite import migrations

    if ENGINE == "postgres":
        pytest.skip("SQLite file only: an older dossier's SQLite file")
    before = [name for name, _sql in migrations.MIGRATIONS].index(step)
    db.parent.mkdir(parents=True, exist_ok=True)
    conn = sqlite3.connect(db)
    for version in range(1, before + 1):
        migrations.apply(conn, version)
    return conn
