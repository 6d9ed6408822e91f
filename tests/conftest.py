"""One temporary database per test, and a fixed "today", set through the environment
exactly as a user would set them (``DOSSIER_DB``, ``DOSSIER_TODAY``)."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from pathlib import Path

import pytest
from typer.testing import CliRunner

from dossier.cli import app

TODAY = "2024-07-05"  # a Friday


@pytest.fixture(autouse=True)
def environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    db = tmp_path / "data" / "dossier.db"
    monkeypatch.setenv("DOSSIER_DB", str(db))
    monkeypatch.setenv("DOSSIER_TODAY", TODAY)
    monkeypatch.setenv("DOSSIER_BUSY_TIMEOUT_MS", "200")
    monkeypatch.setenv("DOSSIER_CONFIG", str(tmp_path / "config" / "config.toml"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.delenv("NO_COLOR", raising=False)
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
    """The database content as ``sqlite3 .dump`` would give it."""
    conn = sqlite3.connect(path)
    try:
        return "\n".join(conn.iterdump())
    finally:
        conn.close()
