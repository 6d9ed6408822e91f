"""Owners: every dossier has one; the views show mine, a colleague's (--owner) or the
team's (--all); capacity is per person; an old file's dossiers go to its first user."""

from __future__ import annotations

import json
import os
import sqlite3
from pathlib import Path

import pytest

from conftest import Run, dump, file_before, ok


def as_user(run: Run, user: str, *args: str) -> str:
    return ok(run("--user", user, *args))


@pytest.fixture
def team(run: Run) -> Run:
    """anna has Acme and Delta today, boris Beta today."""
    as_user(run, "anna", "add", "Acme", "--on", "today")
    as_user(run, "anna", "add", "Delta", "--on", "today")
    as_user(run, "boris", "add", "Beta", "--on", "today")
    return run


def names(out: str) -> list[str]:
    return [r["name"] for r in json.loads(out)["today"]]


def test_add_makes_me_the_owner_and_add_owner_names_another(run: Run) -> None:
    as_user(run, "Anna", "add", "Acme")
    as_user(run, "anna", "add", "Zeta", "--owner", "Boris")
    acme = json.loads(as_user(run, "anna", "show", "acme", "--json"))
    zeta = json.loads(as_user(run, "anna", "show", "zeta", "--json"))
    assert (acme["owner"], zeta["owner"]) == ("anna", "boris")  # folded, as users are


def test_the_views_show_mine_by_default_a_colleagues_and_the_teams(team: Run) -> None:
    assert names(as_user(team, "anna", "today", "--json")) == ["Acme", "Delta"]
    assert names(as_user(team, "boris", "today", "--json")) == ["Beta"]
    assert names(as_user(team, "anna", "today", "--owner", "boris", "--json")) == ["Beta"]
    everyone = json.loads(as_user(team, "anna", "today", "--all", "--json"))
    assert [r["name"] for r in everyone["today"]] == ["Acme", "Beta", "Delta"]
    assert everyone["owner"] is None
    assert json.loads(as_user(team, "anna", "today", "--json"))["owner"] == "anna"


def test_the_heading_says_whose_on_a_team_folder(team: Run) -> None:
    assert as_user(team, "anna", "today").splitlines()[0].endswith(" — anna")
    assert as_user(team, "anna", "today", "--all").splitlines()[0].endswith(" — the team")
    assert "— boris" in as_user(team, "anna", "folder", "--owner", "boris").splitlines()[0]
    assert as_user(team, "anna", "agenda", "--all").splitlines()[0].endswith(" — the team")


def test_a_one_person_folder_keeps_its_headings(run: Run) -> None:
    as_user(run, "anna", "add", "Acme", "--on", "today")
    first = as_user(run, "anna", "today").splitlines()[0]
    assert "—" in first and not first.endswith("anna")
    assert "Owner" not in as_user(run, "anna", "show", "acme")


def test_show_says_the_owner_on_a_team_folder(team: Run) -> None:
    assert "  Owner     boris" in as_user(team, "anna", "show", "beta")


def test_capacity_is_per_person_and_the_teams_is_times_the_owners(team: Run) -> None:
    ok(team("config", "set", "capacity", "2"))
    mine = json.loads(as_user(team, "anna", "today", "--json"))
    assert (mine["capacity"], mine["over_capacity"]) == (2, 0)
    everyone = json.loads(as_user(team, "anna", "today", "--all", "--json"))
    assert everyone["capacity"] == 4
    folder = json.loads(as_user(team, "anna", "folder", "--all", "--json"))
    assert folder["capacity"] == 4 and folder["owner"] is None


def test_edit_owner_changes_it_with_a_history_entry_and_undo_reverts(team: Run) -> None:
    out = as_user(team, "anna", "edit", "acme", "--owner", "boris")
    assert "Acme" in out
    card = json.loads(as_user(team, "anna", "show", "acme", "--json"))
    assert card["owner"] == "boris"
    assert card["history"][0]["text"] == "Owner changed from anna to boris"
    assert names(as_user(team, "boris", "today", "--json")) == ["Acme", "Beta"]
    ok(team("--user", "anna", "undo"))  # undo is per user: her change
    assert json.loads(as_user(team, "anna", "show", "acme", "--json"))["owner"] == "anna"


def test_lookup_by_name_finds_any_owners_dossier(team: Run) -> None:
    assert "Beta" in as_user(team, "anna", "show", "beta")
    ok(team("--user", "anna", "log", "beta", "called"))


def test_owner_and_all_refuse_together(team: Run, refuse) -> None:  # type: ignore[no-untyped-def]
    for command in ("today", "folder", "agenda", "review", "stats", "spread", "level"):
        line = refuse("--user", "anna", command, "--owner", "boris", "--all", code=2)
        assert "--owner and --all" in line


def test_a_bad_owner_name_is_one_line(team: Run, refuse) -> None:  # type: ignore[no-untyped-def]
    assert "--owner" in refuse("today", "--owner", "two words", code=2)
    assert "--owner" in refuse("edit", "acme", "--owner", "no way", code=2)


def test_import_gives_the_dossiers_to_me(run: Run, tmp_path: Path) -> None:
    as_user(run, "anna", "add", "Acme")
    out = tmp_path / "e.json"
    ok(run("export", "--output", str(out)))
    other = tmp_path / "other.db"
    ok(run("--db", str(other), "--user", "carla", "import", str(out)))
    card = json.loads(ok(run("--db", str(other), "--user", "carla", "show", "acme", "--json")))
    assert card["owner"] == "carla"


def test_an_old_file_gives_its_dossiers_to_the_first_user(run: Run, db_path: Path) -> None:
    conn = file_before(db_path, "m013_owners")
    conn.execute(
        "INSERT INTO client (name, name_key, stage, due, created_at, updated_at)"
        " VALUES ('Old', 'old', 'lead', '2024-07-05', '2024-07-01T09:00:00',"
        " '2024-07-01T09:00:00')"
    )
    conn.commit()
    conn.close()
    assert names(as_user(run, "Dora", "today", "--json")) == ["Old"]
    assert names(as_user(run, "emil", "today", "--json")) == []  # it is Dora's now
    with sqlite3.connect(db_path) as check:
        assert check.execute("SELECT owner FROM client").fetchall() == [("dora",)]


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes a read-only file")
def test_a_read_only_file_counts_the_unowned_as_mine(run: Run, db_path: Path) -> None:
    conn = file_before(db_path, "m013_owners")
    conn.close()
    ok(run("--user", "dora", "folder"))  # migrated, now empty: nothing to adopt
    with sqlite3.connect(db_path) as conn:
        conn.execute(
            "INSERT INTO client (name, name_key, stage, due, created_at, updated_at)"
            " VALUES ('Old', 'old', 'lead', '2024-07-05', '2024-07-01T09:00:00',"
            " '2024-07-01T09:00:00')"
        )
    before = dump(db_path)
    db_path.chmod(0o444)
    try:
        assert names(as_user(run, "emil", "today", "--json")) == ["Old"]
    finally:
        db_path.chmod(0o644)
    assert dump(db_path) == before


def test_the_spanish_heading_and_card(team: Run) -> None:
    first = ok(team("--lang", "es", "--user", "anna", "today", "--all")).splitlines()[0]
    assert first.endswith(" — el equipo")
    assert "Responsable" in ok(team("--lang", "es", "--user", "anna", "show", "beta"))


def rich(run: Run, monkeypatch: pytest.MonkeyPatch, *args: str) -> str:
    """What a terminal shows (Rich's own rendering, in-process)."""
    from dossier.cli import base

    with monkeypatch.context() as terminal:
        terminal.setattr(base, "use_rich", lambda: True)
        terminal.setenv("COLUMNS", "160")
        terminal.setenv("LINES", "50")
        return ok(run(*args))


def test_the_rich_views_say_whose_on_a_team_folder(
    team: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert "— the team" in rich(team, monkeypatch, "--user", "anna", "today", "--all")
    assert "— boris" in rich(team, monkeypatch, "--user", "anna", "folder", "--owner", "boris")
    assert "— anna" in rich(team, monkeypatch, "--user", "anna", "agenda")
    assert "— anna" in rich(team, monkeypatch, "--user", "anna", "review")
    assert "— the team" in rich(team, monkeypatch, "--user", "anna", "stats", "--all")
    assert "Owner" in rich(team, monkeypatch, "--user", "anna", "show", "beta")


def test_review_and_stats_count_mine(team: Run) -> None:
    ok(team("--user", "anna", "log", "acme", "called", "--kind", "call", "--outcome", "reached"))
    ok(team("--user", "boris", "log", "beta", "called", "--kind", "call"))
    mine = json.loads(as_user(team, "anna", "review", "--json"))
    assert mine["owner"] == "anna" and mine["contacts"]["call"] == 1
    everyone = json.loads(as_user(team, "anna", "review", "--all", "--json"))
    assert everyone["owner"] is None and everyone["contacts"]["call"] == 2
    assert json.loads(as_user(team, "boris", "stats", "--json"))["owner"] == "boris"


def test_level_plans_my_days_alone(team: Run) -> None:
    ok(team("config", "set", "capacity", "1"))
    plan = json.loads(as_user(team, "anna", "level", "--dry-run", "--json"))
    assert len(plan["moves"]) == 1  # anna's two on a day of one; boris's Beta stays
    plan = json.loads(as_user(team, "anna", "level", "--all", "--dry-run", "--json"))
    assert len(plan["moves"]) == 1  # the team's day holds 3 against 1 x 2 owners


def test_work_goes_through_my_stack(team: Run) -> None:
    out = ok(team("--user", "boris", "work", input="q\n"))
    assert "Beta" in out and "Acme" not in out
