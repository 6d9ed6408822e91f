"""The first and latest contact days each client row keeps (m011), by triggers on the
history: 'today' counts the clients gone cold from them, 'review' and 'stats' find first
contacts by them. A wrong day here is a client wrongly called cold, or missed, so they are
checked against the history itself after every kind of write a user can make."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import Run, empty_folder, file_before, ok, rows

CONTACT = ("call", "meeting", "email", "visit")


def stored(db: Path) -> dict[object, tuple[object, object]]:
    found = rows(db, "SELECT id, first_contact, last_contact FROM client ORDER BY id")
    return {row[0]: (row[1], row[2]) for row in found}


def from_history(db: Path) -> dict[object, tuple[object, object]]:
    """The same two days computed the slow way, from every entry."""
    found = rows(
        db,
        "SELECT c.id, min(substr(e.at, 1, 10)), max(substr(e.at, 1, 10)) FROM client c"
        " LEFT JOIN entry e ON e.client_id = c.id"
        " AND e.kind IN ('call', 'meeting', 'email', 'visit')"
        " GROUP BY c.id ORDER BY c.id",
    )
    return {row[0]: (row[1], row[2]) for row in found}


@pytest.mark.parametrize(
    ("steps", "expected"),
    [
        # (log --date DATE --kind KIND)…, then the stored (first, last)
        ([], (None, None)),
        ([("2024-07-01", "note")], (None, None)),
        ([("2024-07-01", "call")], ("2024-07-01", "2024-07-01")),
        ([("2024-07-03", "call"), ("2024-06-20", "email")], ("2024-06-20", "2024-07-03")),
        ([("2024-06-20", "visit"), ("2024-07-04", "meeting")], ("2024-06-20", "2024-07-04")),
        ([("2024-07-02", "call"), ("2024-07-04", "note")], ("2024-07-02", "2024-07-02")),
    ],
)
def test_logging_keeps_the_first_and_latest_contact_day(
    run: Run, db_path: Path, steps: list[tuple[str, str]], expected: tuple[Any, Any]
) -> None:
    ok(run("add", "Ada Lovelace"))
    for day, kind in steps:
        ok(run("log", "Ada", f"{kind} on {day}", "--kind", kind, "--date", day))
    assert stored(db_path)[1] == expected


def test_undo_puts_the_days_back(run: Run, db_path: Path) -> None:
    ok(run("add", "Ada Lovelace"))
    ok(run("log", "Ada", "first call", "--kind", "call", "--date", "2024-07-01"))
    ok(run("log", "Ada", "second call", "--kind", "call", "--date", "2024-07-04"))
    assert stored(db_path)[1] == ("2024-07-01", "2024-07-04")
    ok(run("undo"))
    assert stored(db_path)[1] == ("2024-07-01", "2024-07-01")
    ok(run("undo"))
    assert stored(db_path)[1] == (None, None)


def test_a_cold_client_warms_up_when_called_and_cools_again_on_undo(run: Run) -> None:
    """What the user sees of the stored day: 'list --cold' (never contacted counts from
    the card's creation, 60 days by default)."""
    ok(run("add", "Ada Lovelace"))
    ok(run("log", "Ada", "old call", "--kind", "call", "--date", "2024-03-01"))
    assert "Ada Lovelace" in ok(run("list", "--cold"))
    ok(run("log", "Ada", "fresh call", "--kind", "call", "--date", "2024-07-01"))
    assert "Ada Lovelace" not in ok(run("list", "--cold"))
    ok(run("undo"))
    assert "Ada Lovelace" in ok(run("list", "--cold"))


@settings(
    max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    st.lists(
        st.one_of(
            st.tuples(
                st.sampled_from(["Ada", "Grace"]),
                st.sampled_from(["2024-05-02", "2024-06-14", "2024-07-01", "2024-07-05"]),
                st.sampled_from([*CONTACT, "note"]),
            ),
            st.just("undo"),
        ),
        max_size=7,
    )
)
def test_any_sequence_of_logs_and_undos_keeps_the_days_equal_to_the_history(
    run: Run, db_path: Path, steps: list[Any]
) -> None:
    empty_folder(db_path)
    ok(run("add", "Ada Lovelace"))
    ok(run("add", "Grace Hopper"))
    logged = 0
    for step in steps:
        if step == "undo":
            if logged:  # never past the two adds
                ok(run("undo"))
                logged -= 1
        else:
            who, day, kind = step
            ok(run("log", who, f"{kind} {day}", "--kind", kind, "--date", day))
            logged += 1
        assert stored(db_path) == from_history(db_path)


def test_the_migration_fills_the_days_from_an_older_files_history(run: Run, db_path: Path) -> None:
    conn = file_before(db_path, "m011_contact_days")
    stamp = "2024-06-01T09:00:00"
    conn.executemany(
        "INSERT INTO client (id, name, name_key, created_at, updated_at) VALUES (?, ?, ?, ?, ?)",
        [(1, "Ada", "ada", stamp, stamp), (2, "Grace", "grace", stamp, stamp)],
    )
    conn.executemany(
        "INSERT INTO entry (client_id, at, kind, text) VALUES (?, ?, ?, ?)",
        [
            (1, "2024-06-03T10:00:00", "call", "a"),
            (1, "2024-06-20T10:00:00", "email", "b"),
            (1, "2024-07-01T10:00:00", "note", "not a contact"),
            (2, "2024-06-10T10:00:00", "note", "only a note"),
        ],
    )
    conn.commit()
    conn.close()

    ok(run("today"))

    assert stored(db_path) == {1: ("2024-06-03", "2024-06-20"), 2: (None, None)}
    conn = sqlite3.connect(db_path)
    try:
        indexes = {row[1] for row in conn.execute("PRAGMA index_list(entry)")}
        assert "entry_at" in indexes
    finally:
        conn.close()
