"""dossier handoff: one manager's dossiers to a colleague in one step, covers that end."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from conftest import Run, dump, ok


def as_user(run: Run, user: str, *args: str) -> str:
    return ok(run("--user", user, *args))


@pytest.fixture
def team(run: Run) -> Run:
    """anna: Acme (today, vip), Delta (10 Jul, prospect), Echo (the August tab); boris: Beta."""
    as_user(run, "anna", "add", "Acme", "--on", "today", "--tag", "vip")
    as_user(run, "anna", "add", "Delta", "--on", "2024-07-10", "--stage", "prospect")
    as_user(run, "anna", "add", "Echo", "--on", "august")
    as_user(run, "boris", "add", "Beta", "--on", "today")
    return run


def owners(db: Path) -> dict[str, str]:
    with sqlite3.connect(db) as conn:
        return dict(conn.execute("SELECT name, owner FROM client ORDER BY name"))


def test_handoff_moves_every_active_dossier_keeping_places(team: Run, db_path: Path) -> None:
    out = team("handoff", "--from", "anna", "--to", "boris", "-m", "parental leave")
    assert out.exit_code == 0, out
    assert "Handed 3 dossiers from anna to boris:" in out.stdout
    assert "#2  Delta  Wed 10 Jul 2024 (tab 10)" in out.stdout
    assert "the August 2024 tab" in out.stdout
    assert set(owners(db_path).values()) == {"boris"}
    card = json.loads(as_user(team, "boris", "show", "delta", "--json"))
    assert card["filed"]["due"] == "2024-07-10"
    assert card["history"][0]["text"] == "Handed from anna to boris: parental leave"
    assert card["history"][0]["kind"] == "note"
    boris = json.loads(as_user(team, "boris", "today", "--json"))
    assert [r["name"] for r in boris["today"]] == ["Acme", "Beta"]


def test_without_a_reason_the_entry_says_who_alone(team: Run) -> None:
    ok(team("handoff", "--from", "anna", "--to", "boris"))
    card = json.loads(as_user(team, "boris", "show", "acme", "--json"))
    assert card["history"][0]["text"] == "Handed from anna to boris"


@pytest.mark.parametrize(
    ("selection", "moved"),
    [
        (("--tag", "vip"), {"Acme"}),
        (("--stage", "prospect"), {"Delta"}),
        (("--due-from", "2024-07-09"), {"Delta", "Echo"}),
        (("--due-to", "2024-07-09"), {"Acme"}),
        (("--due-from", "2024-07-09", "--due-to", "2024-07-31"), {"Delta"}),
    ],
)
def test_the_selection(
    team: Run, db_path: Path, selection: tuple[str, ...], moved: set[str]
) -> None:
    ok(team("handoff", "--from", "anna", "--to", "boris", *selection))
    got = {name for name, owner in owners(db_path).items() if owner == "boris"} - {"Beta"}
    assert got == moved


def test_dry_run_changes_nothing_and_says_so(team: Run, db_path: Path) -> None:
    before = dump(db_path)
    out = ok(team("handoff", "--from", "anna", "--to", "boris", "--dry-run"))
    assert "Would hand 3 dossiers from anna to boris" in out
    assert "Dry run: nothing was changed." in out
    assert dump(db_path) == before


def test_the_capacity_check_of_the_takers_days(team: Run) -> None:
    ok(team("config", "set", "capacity", "1"))
    out = ok(team("handoff", "--from", "anna", "--to", "boris", "--json"))
    data = json.loads(out)
    assert data["capacity"] == 1 and data["count"] == 3 and data["applied"] is True
    assert data["days"] == [
        {"date": "2024-07-05", "count": 2, "over": 1},
        {"date": "2024-07-10", "count": 1, "over": 0},
    ]
    assert [d["name"] for d in data["dossiers"]] == ["Acme", "Delta", "Echo"]


def test_the_plain_capacity_check_flags_the_day_over(team: Run) -> None:
    ok(team("config", "set", "capacity", "1"))
    out = ok(team("handoff", "--from", "anna", "--to", "boris", "--dry-run"))
    assert "Fri 5 Jul 2024   2/1   OVER by 1" in out


def test_undo_reverts_the_handoff_as_one_step(team: Run, db_path: Path) -> None:
    before = owners(db_path)
    ok(team("handoff", "--from", "anna", "--to", "boris", "--until", "2024-07-20"))
    ok(team("undo"))
    assert owners(db_path) == before
    card = json.loads(as_user(team, "anna", "show", "acme", "--json"))
    assert not any(e["text"].startswith("Handed") for e in card["history"])
    assert json.loads(ok(team("handoff", "--list", "--json"))) == []


def test_a_cover_returns_on_the_first_command_on_its_day(
    team: Run, db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    ok(team("handoff", "--from", "anna", "--to", "boris", "--until", "2024-07-15", "-m", "away"))
    listed = json.loads(ok(team("handoff", "--list", "--json")))
    assert [(c["from"], c["to"], c["until"], c["covered"]) for c in listed] == [
        ("anna", "boris", "2024-07-15", 3)
    ]
    assert "anna  boris  Mon 15 Jul 2024  3              away" in ok(team("handoff", "--list"))
    # boris gives Echo on to carla: it is no longer his to give back.
    ok(team("edit", "echo", "--owner", "carla"))
    monkeypatch.setenv("DOSSIER_TODAY", "2024-07-14")
    ok(team("folder"))
    assert owners(db_path)["Acme"] == "boris", "not before the day"
    monkeypatch.setenv("DOSSIER_TODAY", "2024-07-15")
    ok(team("--user", "carla", "find", "zzz"))  # any command, read or write
    assert owners(db_path) == {"Acme": "anna", "Beta": "boris", "Delta": "anna", "Echo": "carla"}
    card = json.loads(as_user(team, "anna", "show", "delta", "--json"))
    assert card["history"][0]["text"] == "Returned from boris to anna: cover until 2024-07-15 ended"
    echo = json.loads(as_user(team, "anna", "show", "echo", "--json"))
    assert not any(e["text"].startswith("Returned") for e in echo["history"])
    assert json.loads(ok(team("handoff", "--list", "--json"))) == []
    assert "No cover in force." in ok(team("handoff", "--list"))
    assert "a cover ended" in ok(team("undo", "--list"))


@pytest.mark.parametrize(
    ("args", "code", "said"),
    [
        (("--from", "anna", "--to", "anna"), 2, "the same manager"),
        (("--from", "nobody", "--to", "boris"), 2, "nobody owns no dossier"),
        (("--from", "two words", "--to", "boris"), 2, "--from"),
        (("--from", "anna"), 2, "--to"),
        (("--from", "anna", "--to", "boris", "--until", "yesterday"), 2, "--until"),
        (("--from", "anna", "--to", "boris", "--due-from", "someday"), 2, "--due-from"),
        (("--from", "anna", "--to", "boris", "--tag", "none"), 1, "fits the selection"),
        (("--list", "--from", "anna"), 2, "--list"),
    ],
)
def test_bad_input_is_one_line_and_changes_nothing(
    team: Run,
    refuse,  # type: ignore[no-untyped-def]
    args: tuple[str, ...],
    code: int,
    said: str,
) -> None:
    assert said in refuse("handoff", *args, code=code)


def test_spanish(team: Run) -> None:
    out = ok(team("--lang", "es", "handoff", "--from", "anna", "--to", "boris", "--dry-run"))
    assert "Se pasarían 3 expedientes de anna a boris" in out
    assert "Simulación: no se cambió nada." in out
