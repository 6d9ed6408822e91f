"""Many writers, nothing lost (SQLite): each dossier's version, and undo per user."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable
from pathlib import Path

import pytest

from conftest import Result, file_before, ok, refused

Run = Callable[..., Result]


def version(db: Path, name: str) -> int:
    conn = sqlite3.connect(db)
    try:
        found: int = conn.execute("SELECT version FROM client WHERE name = ?", (name,)).fetchone()[
            0
        ]
    finally:
        conn.close()
    return found


def test_every_change_to_a_dossier_moves_its_version_on_and_never_back(
    run: Run, db_path: Path
) -> None:
    ok(run("add", "Acme", "--on", "2024-07-10"))
    ok(run("add", "Globex"))
    other = version(db_path, "Globex")
    seen = [version(db_path, "Acme")]
    for args in (
        ("log", "Acme", "called", "--kind", "call", "--outcome", "reached"),
        ("log", "Acme", "a note only"),
        ("file", "Acme", "--on", "2024-07-12"),
        ("edit", "Acme", "--tag", "vip"),
        ("edit", "Acme", "--untag", "vip"),
        ("field", "add", "budget"),
        ("edit", "Acme", "--set", "budget=12k"),
        ("edit", "Acme", "--unset", "budget"),
        ("done", "Acme"),
        ("reopen", "Acme"),
        ("undo",),
        ("undo",),
    ):
        ok(run(*args))
        now = version(db_path, "Acme")
        if args[0] == "field":
            assert now == seen[-1], "adding a field to the form changes no dossier"
        else:
            assert now > seen[-1], args
        seen.append(now)
    assert version(db_path, "Globex") == other, "another dossier's version stays where it was"


def test_undo_takes_back_the_change_but_not_the_version(run: Run, db_path: Path) -> None:
    ok(run("add", "Acme", "--on", "2024-07-10"))
    before = json.loads(ok(run("show", "Acme", "--json")))
    ok(run("file", "Acme", "--on", "2024-07-20", "-m", "later"))
    moved = version(db_path, "Acme")
    ok(run("undo"))
    after = json.loads(ok(run("show", "Acme", "--json")))
    assert after == before
    assert version(db_path, "Acme") > moved


def test_an_import_starts_each_new_dossier_at_version_1(
    run: Run, tmp_path: Path, db_path: Path
) -> None:
    source = tmp_path / "in.csv"
    source.write_text("name,company\nAna Lima,Lima\nBo Chen,\n", encoding="utf-8")
    ok(run("import", str(source)))
    assert version(db_path, "Ana Lima") == version(db_path, "Bo Chen") == 1


# --- undo is per user ------------------------------------------------------------


def test_undo_reverts_my_last_change_not_a_colleagues(run: Run) -> None:
    ok(run("add", "Acme"))
    ok(run("add", "Globex"))
    ok(run("--user", "anna", "log", "Acme", "anna called"))
    ok(run("--user", "boris", "log", "Globex", "boris called"))
    said = ok(run("--user", "anna", "undo"))
    assert "anna called" in said
    assert "anna called" not in ok(run("show", "Acme"))
    assert "boris called" in ok(run("show", "Globex"))
    said = ok(run("--user", "boris", "undo"))
    assert "boris called" in said
    assert "boris called" not in ok(run("show", "Globex"))


def test_undo_is_refused_when_a_colleague_changed_the_same_dossier_since(
    run: Run, refuse: Callable[..., str]
) -> None:
    ok(run("add", "Acme"))
    ok(run("--user", "anna", "file", "Acme", "--on", "2024-07-10", "-m", "anna filed it"))
    ok(run("--user", "boris", "log", "Acme", "boris called", "--kind", "call"))
    line = refuse("--user", "anna", "undo", code=1)
    assert "cannot be undone: boris changed the same dossiers since" in line
    assert "nothing was changed" in line
    shown = ok(run("show", "Acme"))
    assert "anna filed it" in shown and "boris called" in shown


def test_undo_goes_past_a_colleagues_change_to_other_dossiers(run: Run) -> None:
    ok(run("add", "Acme"))
    ok(run("add", "Globex"))
    ok(run("--user", "anna", "file", "Acme", "--on", "2024-07-10"))
    ok(run("--user", "boris", "file", "Globex", "--on", "2024-07-11"))
    ok(run("--user", "anna", "undo"))
    assert json.loads(ok(run("show", "Acme", "--json")))["filed"] is None
    assert json.loads(ok(run("show", "Globex", "--json")))["filed"]["due"] == "2024-07-11"


def test_a_user_with_no_change_of_their_own_is_told_so(run: Run) -> None:
    ok(run("--user", "anna", "add", "Acme"))
    line = refused(run("--user", "boris", "undo"), 1)
    assert "no change of boris is remembered" in line


def test_changes_recorded_before_users_were_recorded_are_anyones(run: Run, db_path: Path) -> None:
    conn = file_before(db_path, "m014_versions")
    conn.close()
    ok(run("add", "Acme"))  # migrates, then records the change under the current user
    conn = sqlite3.connect(db_path)
    conn.execute("UPDATE change SET who = NULL")
    conn.commit()
    conn.close()
    ok(run("--user", "whoever", "undo"))
    assert "Acme" not in ok(run("list"))


def test_undo_list_says_whose_each_change_is_once_there_are_several_users(run: Run) -> None:
    ok(run("--user", "anna", "add", "Acme"))
    alone = ok(run("undo", "--list"))
    assert "WHO" not in alone.splitlines()[0]
    ok(run("--user", "boris", "add", "Globex"))
    listing = ok(run("undo", "--list")).splitlines()
    assert listing[0].split() == ["CHANGE", "WHEN", "ROWS", "WHO", "COMMAND"]
    assert listing[1].split()[4:6] == ["boris", "dossier"]
    assert listing[2].split()[4:6] == ["anna", "dossier"]


@pytest.mark.parametrize("how", ["program", "colleague"])
def test_work_names_who_changed_the_dossier_on_screen(run: Run, db_path: Path, how: str) -> None:
    """Piped, two answers: between reading the card and saving it, a colleague (or
    another program) changes it; the save is refused, naming who, when it is known."""
    from dossier.app.work import Session
    from dossier.domain.work import Answer

    ok(run("add", "Acme", "--on", "2024-07-05"))
    session = Session(None, None, [], None)
    card = session.current()
    assert card is not None
    if how == "colleague":
        ok(run("--user", "boris", "edit", "Acme", "--phone", "+44 1"))
    else:
        conn = sqlite3.connect(db_path)
        conn.execute("UPDATE client SET phones = '[\"+44 2\"]'")
        conn.commit()
        conn.close()
    answered = session.answer(card, Answer("r", "note"))
    assert answered.changed is not None
    assert answered.changed_by == ("boris" if how == "colleague" else None)
