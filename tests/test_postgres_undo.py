"""Undo on PostgreSQL: the same steps taken back as on SQLite, per user, refused when a
colleague changed the same dossiers since (a real server: ``DOSSIER_TEST_PG``)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from conftest import Run

TIME = re.compile(r"\b\d{2}:\d{2}(:\d{2})?\b")

# Writes of every kind undo reverts: a card, placements, history, tags, fields (an
# update of one too), the form, a stage change, done and reopen, days off, removal.
WRITES = [
    ["add", "Zoë Ñandú", "--company", "Café", "--tag", "vip", "--on", "2024-07-08"],
    ["add", "Bo Chen", "--on", "2024-07-09", "--for", "call"],
    ["log", "Zoë", "Intro call", "--kind", "call", "--outcome", "reached"],
    ["file", "Bo", "--on", "2024-07-12", "-m", "Later", "--outcome", "no-answer"],
    ["field", "add", "budget"],
    ["edit", "Zoë", "--set", "budget=12k", "--tag", "hot", "--untag", "vip"],
    ["edit", "Zoë", "--set", "budget=15k", "--stage", "client"],
    ["off", "2024-07-22..2024-07-23", "--note", "dentist"],
    ["done", "Bo"],
    ["reopen", "Bo"],
    ["rm", "Bo", "--yes"],
]
LOOKS = [["list", "--json"], ["list", "--archived", "--json"], ["show", "Zoë", "--json"],
         ["off", "--list"], ["field", "list"], ["stats", "--json"], ["folder"]]  # fmt: skip


def looks(run: Run) -> list[tuple[int, str]]:
    return [
        (result.exit_code, TIME.sub("HH:MM", result.stdout))
        for result in (run(*args) for args in LOOKS)
    ]


def test_undo_takes_back_the_same_steps_on_both_engines(
    run: Run, monkeypatch: pytest.MonkeyPatch, tmp_path: Path, pg_url: str
) -> None:
    seen: dict[str, list[list[tuple[int, str]]]] = {}
    for where in (str(tmp_path / "one.db"), pg_url):
        monkeypatch.setenv("DOSSIER_DB", where)
        states = [looks(run)]
        for args in WRITES:
            assert run(*args).exit_code == 0, args
            states.append(looks(run))
        undone = []
        for _ in WRITES:
            result = run("undo")
            assert result.exit_code == 0, result
            undone.append(looks(run))
        assert undone == states[-2::-1], "each undo goes back exactly one state"
        nothing = run("undo")
        assert nothing.exit_code == 1 and "nothing to undo" in nothing.stderr
        seen[where] = states
    sqlite_states, pg_states = seen.values()
    assert sqlite_states == pg_states


def test_undo_is_per_user_on_postgresql(
    run: Run, monkeypatch: pytest.MonkeyPatch, pg_url: str
) -> None:
    monkeypatch.setenv("DOSSIER_DB", pg_url)
    assert run("add", "Acme").exit_code == 0
    assert run("add", "Globex").exit_code == 0
    assert run("--user", "anna", "file", "Acme", "--on", "2024-07-10").exit_code == 0
    assert run("--user", "boris", "log", "Globex", "boris called").exit_code == 0
    assert run("--user", "boris", "log", "Acme", "boris on acme").exit_code == 0
    refused = run("--user", "anna", "undo")
    assert refused.exit_code == 1
    assert "boris changed the same dossiers since" in refused.stderr
    assert len(refused.stderr.splitlines()) == 1
    assert run("--user", "boris", "undo").exit_code == 0  # his log on Acme
    assert run("--user", "anna", "undo").exit_code == 0  # now hers can go
    assert "boris called" in run("show", "Globex").stdout
    listing = run("undo", "--list").stdout.splitlines()
    assert listing[0].split() == ["CHANGE", "WHEN", "ROWS", "WHO", "COMMAND"]
