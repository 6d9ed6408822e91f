"""``dossier stats``: the numbers of a fixed two-week history built through the CLI, every
figure worked out by hand below and checked (JSON, plain bars, Spanish, --tag,
--from/--to, targets), the tallies kept right by every kind of write and by undo, and
the migration filling them from an older file's history.

The history (today is Fri 5 Jul 2024; the weeks are Mon 24 Jun - Sun 30 Jun and
Mon 1 Jul - Sun 7 Jul):

    Mon 24 Jun  add Acme (vip), call no-answer     add Beta, call reached
    Wed 26 Jun  Beta meeting meeting-set; Beta lead -> prospect
    Thu 27 Jun  Acme email (no outcome)
    Mon  1 Jul  add Gamma (vip), call left-message
    Tue  2 Jul  Acme call reached; Acme lead -> negotiation
    Wed  3 Jul  Beta call won (-> client)
    Thu  4 Jul  Acme visit proposal-sent; Gamma note
    Fri  5 Jul  Acme call won (-> client)
"""

from __future__ import annotations

import json
import random
import re
import sqlite3
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from conftest import Result, file_before, ok, refused

Run = Callable[..., Result]

WEEK1 = {"first": "2024-06-24", "last": "2024-06-30"}
WEEK2 = {"first": "2024-07-01", "last": "2024-07-07"}
NO_OUTCOMES = dict.fromkeys(
    ("reached", "no-answer", "left-message", "meeting-set", "proposal-sent", "won", "lost"), 0
)


@pytest.fixture
def history(run: Run, monkeypatch: pytest.MonkeyPatch) -> None:
    def on(day: str, *args: str) -> None:
        monkeypatch.setenv("DOSSIER_TODAY", day)
        ok(run(*args))

    on("2024-06-24", "add", "Acme", "--tag", "vip", "--on", "2024-07-01")  # 1
    on("2024-06-24", "log", "Acme", "rang", "--kind", "call", "--outcome", "no-answer")
    on("2024-06-24", "add", "Beta", "--on", "2024-06-26")  # 2
    on("2024-06-24", "log", "Beta", "spoke", "--kind", "call", "--outcome", "reached")
    on("2024-06-26", "log", "Beta", "met", "--kind", "meeting", "--outcome", "meeting-set")
    on("2024-06-26", "edit", "Beta", "--stage", "prospect")
    on("2024-06-27", "log", "Acme", "wrote", "--kind", "email")
    on("2024-07-01", "add", "Gamma", "--tag", "vip", "--on", "2024-07-03")  # 3
    on("2024-07-01", "log", "Gamma", "msg", "--kind", "call", "--outcome", "left-message")
    on("2024-07-02", "log", "Acme", "talked", "--kind", "call", "--outcome", "reached")
    on("2024-07-02", "edit", "Acme", "--stage", "negotiation")
    on("2024-07-03", "log", "Beta", "signed", "--kind", "call", "--outcome", "won")
    on("2024-07-04", "log", "Acme", "went", "--kind", "visit", "--outcome", "proposal-sent")
    on("2024-07-04", "log", "Gamma", "memo")
    on("2024-07-05", "log", "Acme", "signed", "--kind", "call", "--outcome", "won")


def data(run: Run, *args: str) -> Any:
    return json.loads(ok(run("stats", *args, "--json")))


def week(got: dict[str, Any], i: int) -> dict[str, Any]:
    return got["weeks"][i]  # type: ignore[no-any-return]


def test_every_figure_of_the_two_weeks(run: Run, history: None) -> None:
    got = data(run, "--weeks", "2")
    assert (got["first"], got["last"], got["tags"]) == ("2024-06-24", "2024-07-07", [])
    assert got["targets"] == {"new": 20, "repeat": 10, "meetings_week": 5}
    assert week(got, 0) == {
        **WEEK1,
        "working_days": 5,
        "contacts": {"call": 2, "meeting": 1, "email": 1, "visit": 0},
        "notes": 0,
        "outcomes": {**NO_OUTCOMES, "no-answer": 1, "reached": 1, "meeting-set": 1},
        # Calls with an outcome: Acme's no-answer, Beta's reached (the meeting is not a call).
        "reach": {"reached": 1, "calls_with_outcome": 2, "rate": 0.5},
        "new": 2,  # Acme and Beta, first contacted on the 24th
        "repeat": 2,  # Beta's meeting, Acme's e-mail
        "targets": {"new": 100, "repeat": 50, "meetings": 5},
        # Beta, due on the 26th and not refiled, is overdue from the 27th.
        "overdue_at_start": {"2024-06-24": 0, "2024-06-26": 0, "2024-06-27": 1},
    }
    assert week(got, 1) == {
        **WEEK2,
        "working_days": 5,
        "contacts": {"call": 4, "meeting": 0, "email": 0, "visit": 1},
        "notes": 1,
        "outcomes": {
            **NO_OUTCOMES, "left-message": 1, "reached": 1, "won": 2, "proposal-sent": 1,
        },
        # Reaching outcomes of calls: reached, and both wins; left-message did not reach.
        "reach": {"reached": 3, "calls_with_outcome": 4, "rate": 0.75},
        "new": 1,  # Gamma
        "repeat": 4,
        "targets": {"new": 100, "repeat": 50, "meetings": 5},
        # Beta (26 Jun) all week; Acme (1 Jul) from the 2nd; Gamma (3 Jul) from the 4th.
        "overdue_at_start": {
            "2024-07-01": 1, "2024-07-02": 2, "2024-07-03": 2, "2024-07-04": 3, "2024-07-05": 3,
        },
    }  # fmt: skip
    assert got["funnel"] == {
        "stages": {"lead": 1, "prospect": 0, "negotiation": 0, "client": 2, "dormant": 0},
        "moves": [
            {"from": "lead", "to": "prospect", "count": 1},
            {"from": "lead", "to": "negotiation", "count": 1},
            {"from": "prospect", "to": "client", "count": 1},
            {"from": "negotiation", "to": "client", "count": 1},
        ],
        "steps": [
            # Beta and Acme left 'lead' forward; Gamma is still a lead: 2 of 3.
            {"from": "lead", "to": "prospect", "moved": 2, "still": 1, "rate": 0.6667},
            {"from": "prospect", "to": "negotiation", "moved": 1, "still": 0, "rate": 1.0},
            {"from": "negotiation", "to": "client", "moved": 1, "still": 0, "rate": 1.0},
        ],
    }
    # Beta: 3 contacts (24 Jun, 26 Jun, 3 Jul), 9 days; Acme: 5 contacts, 11 days.
    assert got["closing"] == {
        "wins": 2,
        "contacts": {
            "count": 2, "median": 4.0, "low_quartile": 3.5, "high_quartile": 4.5,
            "least": 3, "most": 5,
        },
        "days": {
            "count": 2, "median": 10.0, "low_quartile": 9.5, "high_quartile": 10.5,
            "least": 9, "most": 11,
        },
    }  # fmt: skip
    # Acme 3+5+2+1 days, Beta 2+7: 20 days over 6 gaps.
    assert got["gaps"] == {"count": 6, "days": 20, "average": 3.3333}


def test_a_tag_counts_only_its_clients(run: Run, history: None) -> None:
    got = data(run, "--weeks", "2", "--tag", "VIP")
    assert got["tags"] == ["vip"]
    w1, w2 = week(got, 0), week(got, 1)
    assert w1["contacts"] == {"call": 1, "meeting": 0, "email": 1, "visit": 0}
    assert (w1["new"], w1["repeat"], w1["reach"]["rate"]) == (1, 1, 0.0)
    assert w2["contacts"] == {"call": 3, "meeting": 0, "email": 0, "visit": 1}
    assert (w2["notes"], w2["new"], w2["repeat"]) == (1, 1, 3)
    assert w2["reach"] == {"reached": 2, "calls_with_outcome": 3, "rate": 0.6667}
    assert got["funnel"]["stages"] == {
        "lead": 1, "prospect": 0, "negotiation": 0, "client": 1, "dormant": 0,
    }  # fmt: skip
    assert [m["to"] for m in got["funnel"]["moves"]] == ["negotiation", "client"]
    assert got["closing"]["wins"] == 1
    assert got["closing"]["contacts"]["median"] == 5.0
    assert got["closing"]["days"]["median"] == 11.0
    assert got["gaps"] == {"count": 4, "days": 11, "average": 2.75}
    # Two tags: every one must match; nobody has both.
    none = data(run, "--weeks", "2", "--tag", "vip", "--tag", "other")
    assert sum(sum(w["contacts"].values()) for w in none["weeks"]) == 0


def test_a_tag_every_client_has_gives_the_tallies_own_numbers(
    run: Run, history: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The whole folder is read from the tallies, a tag from the entries: the same
    definitions must give the same numbers."""
    for name in ("Beta",):
        ok(run("edit", name, "--tag", "vip"))
    whole, tagged = data(run, "--weeks", "2"), data(run, "--weeks", "2", "--tag", "vip")
    assert tagged.pop("tags") == ["vip"] and whole.pop("tags") == []
    assert tagged == whole


def test_from_and_to_cut_the_weeks_short(run: Run, history: None) -> None:
    got = data(run, "--from", "2024-06-26", "--to", "2024-07-02")
    assert [(w["first"], w["last"], w["working_days"]) for w in got["weeks"]] == [
        ("2024-06-26", "2024-06-30", 3),
        ("2024-07-01", "2024-07-02", 2),
    ]
    w1, w2 = week(got, 0), week(got, 1)
    assert w1["contacts"] == {"call": 0, "meeting": 1, "email": 1, "visit": 0}
    assert (w1["new"], w1["repeat"], w1["targets"]) == (
        0, 2, {"new": 60, "repeat": 30, "meetings": 5},
    )  # fmt: skip
    assert w2["contacts"] == {"call": 2, "meeting": 0, "email": 0, "visit": 0}
    assert (w2["new"], w2["repeat"], w2["targets"]["new"]) == (1, 1, 40)
    assert got["closing"] == {"wins": 0, "contacts": None, "days": None}
    assert got["gaps"] == {"count": 3, "days": 10, "average": 3.3333}
    # Only --to: the weeks before it; the DATE words of log --date.
    back = data(run, "--to", "-3d")
    assert back["last"] == "2024-07-02" and back["first"] == "2024-05-13"


def test_a_day_off_is_not_a_working_day_for_the_targets(
    run: Run, history: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("DOSSIER_TODAY", "2024-06-20")  # planned ahead, as days off are
    ok(run("off", "2024-06-27"))
    monkeypatch.setenv("DOSSIER_TODAY", "2024-07-05")
    got = data(run, "--weeks", "2")
    assert week(got, 0)["working_days"] == 4
    assert week(got, 0)["targets"]["new"] == 80


def test_targets_come_from_the_settings(run: Run, history: None) -> None:
    ok(run("config", "set", "target.new", "3"))
    ok(run("config", "set", "target.repeat", "1"))
    ok(run("config", "set", "target.meetings_week", "2"))
    got = data(run, "--weeks", "2")
    assert got["targets"] == {"new": 3, "repeat": 1, "meetings_week": 2}
    assert week(got, 0)["targets"] == {"new": 15, "repeat": 5, "meetings": 2}


def test_plain_bars_and_their_targets(run: Run, history: None) -> None:
    ok(run("config", "set", "target.new", "1"))  # 5 a week: the bars' scale is 5
    out = ok(run("stats", "--weeks", "2"))
    assert all(len(line) <= 80 for line in out.splitlines()), out
    assert "\x1b" not in out
    lines = out.splitlines()
    new = lines.index("New clients contacted a week (| the target, 1 a working day):")
    # 40 characters for 5: 2 new clients are 16 '#', the target '|' at the 40th.
    assert lines[new + 1] == "2024-06-24  " + "#" * 16 + " " * 23 + "|  2/5"
    assert lines[new + 2] == "2024-07-01  " + "#" * 8 + " " * 31 + "|  1/5"
    meetings = lines.index("Meetings a week (| the target, 5 a week):")
    assert lines[meetings + 1] == "2024-06-24  " + "#" * 8 + " " * 31 + "|  1/5"
    assert lines[meetings + 2] == "2024-07-01  " + " " * 39 + "|  0/5"
    assert "  lead → prospect  67% (2/3)" in lines
    assert "Contacts to close: median 4 (quartiles 3.5 to 4.5, least 3, most 5)" in lines
    assert "Days to close: median 10 (quartiles 9.5 to 10.5, least 9, most 11)" in lines
    assert "Average gap between contacts: 3.3 days (gaps counted: 6)" in lines
    assert "Stage changes made before this version of dossier are unknown." in lines
    assert "2024-07-01    1    2    2    3    3    ·    ·" in lines


def test_a_bar_past_its_target_keeps_the_mark(run: Run, history: None) -> None:
    ok(run("config", "set", "target.meetings_week", "1"))
    ok(run("config", "set", "target.new", "0"))  # no target: no mark
    out = ok(run("stats", "--weeks", "2")).splitlines()
    meetings = out.index("Meetings a week (| the target, 1 a week):")
    assert out[meetings + 1] == "2024-06-24  " + "#" * 39 + "|  1/1"
    new = out.index("New clients contacted a week (| the target, 0 a working day):")
    assert out[new + 1] == "2024-06-24  " + "#" * 40 + "  2/0"


def test_spanish(run: Run, history: None, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LANGUAGE", "es")
    out = ok(run("--lang", "es", "stats", "--weeks", "2"))
    assert "Estadísticas del 2024-06-24 al 2024-07-07" in out
    assert "Contactos por semana:" in out
    assert "SEMANA DEL" in out
    assert "Los cambios de etapa anteriores a esta versión de dossier se desconocen." in out
    # JSON stays English.
    assert data(run, "--weeks", "2")["weeks"][0]["contacts"]["call"] == 2


def test_undo_leaves_the_numbers_as_they_were(run: Run, history: None) -> None:
    before = data(run, "--weeks", "2")
    ok(run("log", "Gamma", "signed", "--kind", "meeting", "--outcome", "won"))
    ok(run("edit", "Gamma", "--stage", "prospect"))
    ok(run("log", "Beta", "late entry", "--kind", "call", "--date", "2024-06-25"))
    ok(run("rm", "Acme", "--yes"))
    assert data(run, "--weeks", "2") != before
    for _ in range(4):
        ok(run("undo"))
    assert data(run, "--weeks", "2") == before


def test_bad_options_are_one_line_and_change_nothing(run: Run, history: None) -> None:
    for args in (
        ("--weeks", "0"),
        ("--weeks", "2", "--from", "2024-07-01"),
        ("--from", "2024-07-03", "--to", "2024-07-01"),
        ("--from", "tomorrow"),
        ("--to", "not a date"),
    ):
        message = refused(run("stats", *args), 2)
        assert len(message.strip().splitlines()) == 1, message


def test_an_empty_folder_has_numbers_too(run: Run) -> None:
    got = data(run)
    assert len(got["weeks"]) == 8
    assert got["weeks"][-1] == {
        **WEEK2,
        "working_days": 5,
        "contacts": {"call": 0, "meeting": 0, "email": 0, "visit": 0},
        "notes": 0,
        "outcomes": NO_OUTCOMES,
        "reach": {"reached": 0, "calls_with_outcome": 0, "rate": None},
        "new": 0,
        "repeat": 0,
        "targets": {"new": 100, "repeat": 50, "meetings": 5},
        "overdue_at_start": {},  # the day's count is kept once this first command succeeds
    }
    assert data(run)["weeks"][-1]["overdue_at_start"] == {"2024-07-05": 0}
    assert got["closing"] == {"wins": 0, "contacts": None, "days": None}
    assert got["gaps"] == {"count": 0, "days": 0, "average": None}
    assert "— (0/0)" in ok(run("stats"))


# --- the tallies -----------------------------------------------------------------------


def tallies(db: Path) -> tuple[list[Any], list[Any], list[Any]]:
    conn = sqlite3.connect(db)
    try:
        days = conn.execute("SELECT * FROM stats_day ORDER BY 1, 2, 3, 4").fetchall()
        gaps = conn.execute("SELECT * FROM stats_gap ORDER BY 1, 2").fetchall()
        wins = conn.execute("SELECT * FROM stats_win ORDER BY 1").fetchall()
    finally:
        conn.close()
    return days, gaps, wins


def from_history(db: Path) -> tuple[list[Any], list[Any], list[Any]]:
    """The tallies counted afresh from the entries, as m012 fills them, per owner (the
    entry's client's, '' for none) as m016 does."""
    conn = sqlite3.connect(db)
    try:
        days = conn.execute(
            "SELECT coalesce(c.owner, ''), substr(e.at, 1, 10), e.kind,"
            " coalesce(e.outcome, ''), count(*) FROM entry e JOIN client c ON c.id = e.client_id"
            " GROUP BY 1, 2, 3, 4 ORDER BY 1, 2, 3, 4"
        ).fetchall()
        gaps = conn.execute(
            "SELECT owner, day, sum(CAST(julianday(day) - julianday(prev) AS INTEGER)), count(*)"
            " FROM (SELECT coalesce(c.owner, '') AS owner, substr(e.at, 1, 10) AS day,"
            "  lag(substr(e.at, 1, 10)) OVER (PARTITION BY e.client_id ORDER BY e.at, e.id)"
            "  AS prev FROM entry e JOIN client c ON c.id = e.client_id WHERE e.kind != 'note')"
            " WHERE prev IS NOT NULL GROUP BY owner, day ORDER BY owner, day"
        ).fetchall()
        wins = conn.execute(
            "SELECT id, client_id, at, (SELECT count(*) FROM entry e"
            "  WHERE e.client_id = w.client_id AND e.kind != 'note'"
            "  AND (e.at < w.at OR (e.at = w.at AND e.id <= w.id))),"
            " CAST(julianday(substr(at, 1, 10)) - julianday((SELECT min(substr(at, 1, 10))"
            "  FROM entry f WHERE f.client_id = w.client_id AND f.kind != 'note')) AS INTEGER)"
            " FROM entry w WHERE outcome = 'won' ORDER BY id"
        ).fetchall()
    finally:
        conn.close()
    return days, gaps, wins


def test_the_tallies_follow_every_write_in_any_order(run: Run, db_path: Path) -> None:
    """Entries logged out of order, on the same day, moved, edited in kind and outcome
    (undo restores old rows with an UPDATE) and deleted with their client: after each
    command the triggers' tallies equal a count from scratch."""
    rng = random.Random(11)
    ok(run("add", "Ada"))
    ok(run("add", "Grace"))
    ok(run("add", "Linus"))
    kinds = ("call", "meeting", "email", "visit", "note")
    outcomes = (None, "reached", "no-answer", "won")
    for step in range(40):
        roll = rng.random()
        if roll < 0.2 and step:
            ok(run("undo"))
        else:
            who = rng.choice(("Ada", "Grace", "Linus"))
            day = f"2024-06-{rng.randint(1, 30):02d}"
            args = ["log", who, f"s{step}", "--kind", rng.choice(kinds), "--date", day]
            outcome = rng.choice(outcomes)
            if outcome and args[4] != "note":
                args += ["--outcome", outcome]
            ok(run(*args))
        assert tallies(db_path) == from_history(db_path), step
    conn = sqlite3.connect(db_path)  # another program edits entries in place
    try:
        for entry_id, day, kind, outcome in (
            (1, "2024-06-15T08:00:00", "call", "won"),
            (2, "2024-05-01T08:00:00", "note", None),
            (3, "2024-06-30T23:00:00", "meeting", "won"),
        ):
            conn.execute(
                "UPDATE entry SET at = ?, kind = ?, outcome = ? WHERE id = ?",
                (day, kind, outcome, entry_id),
            )
            conn.commit()
            assert tallies(db_path) == from_history(db_path), entry_id
        conn.execute("UPDATE entry SET client_id = 2 WHERE client_id = 1")
        conn.commit()
    finally:
        conn.close()
    assert tallies(db_path) == from_history(db_path)
    ok(run("rm", "Grace", "--yes"))
    assert tallies(db_path) == from_history(db_path)


def test_the_migration_fills_the_tallies_from_an_older_files_history(
    run: Run, db_path: Path
) -> None:
    conn = file_before(db_path, "m012_stats")
    stamp = "2024-06-01T09:00:00"
    conn.executemany(
        "INSERT INTO client (id, name, name_key, created_at, updated_at) VALUES (?, ?, ?, ?, ?)",
        [(1, "Ada", "ada", stamp, stamp), (2, "Grace", "grace", stamp, stamp)],
    )
    conn.executemany(
        "INSERT INTO entry (client_id, at, kind, outcome, text) VALUES (?, ?, ?, ?, ?)",
        [
            (1, "2024-07-01T10:00:00", "call", "reached", "a"),
            (1, "2024-07-03T10:00:00", "email", None, "b"),
            (1, "2024-07-04T10:00:00", "note", None, "not a contact"),
            (2, "2024-07-02T10:00:00", "call", "won", "c"),
            (1, "2024-06-21T10:00:00", "call", "no-answer", "before"),
        ],
    )
    conn.commit()
    conn.close()

    got = data(run, "--weeks", "1")
    w = week(got, 0)
    assert w["contacts"] == {"call": 2, "meeting": 0, "email": 1, "visit": 0}
    assert (w["notes"], w["new"], w["repeat"]) == (1, 1, 2)  # Grace's first contact
    assert w["reach"] == {"reached": 2, "calls_with_outcome": 2, "rate": 1.0}
    # Ada: 21 Jun -> 1 Jul (10 days), 1 Jul -> 3 Jul (2).
    assert got["gaps"] == {"count": 2, "days": 12, "average": 6.0}
    assert got["closing"]["contacts"]["median"] == 1.0  # Grace won at her first call
    assert tallies(db_path) == from_history(db_path)


def test_the_day_is_opened_once_and_a_read_only_file_skips_it(
    run: Run, db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def opened() -> list[tuple[str, int]]:
        conn = sqlite3.connect(db_path)
        try:
            return conn.execute("SELECT * FROM day_open ORDER BY 1").fetchall()
        finally:
            conn.close()

    monkeypatch.setenv("DOSSIER_TODAY", "2024-07-01")
    ok(run("add", "Acme", "--on", "2024-07-02"))  # overdue from the 3rd
    assert opened() == [("2024-07-01", 0)]
    monkeypatch.setenv("DOSSIER_TODAY", "2024-07-05")
    refused(run("file", "Nobody", "--on", "2024-07-09"), 1)  # a refused command keeps nothing
    assert opened() == [("2024-07-01", 0)]
    ok(run("today"))  # a reading command opens the day too
    ok(run("file", "Acme", "--on", "2024-07-09"))  # the day is known: not written again
    assert opened() == [("2024-07-01", 0), ("2024-07-05", 1)]
    monkeypatch.setenv("DOSSIER_TODAY", "2024-07-10")
    db_path.chmod(0o444)
    try:
        ok(run("today"))
    finally:
        db_path.chmod(0o644)
    assert opened() == [("2024-07-01", 0), ("2024-07-05", 1)]
    ok(run("list"))
    assert opened() == [("2024-07-01", 0), ("2024-07-05", 1), ("2024-07-10", 1)]


def test_a_locked_file_skips_the_days_count_without_failing(
    run: Run, db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    ok(run("add", "Acme"))
    monkeypatch.setenv("DOSSIER_TODAY", "2024-07-08")
    holder = sqlite3.connect(db_path, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")  # another program holds the write lock
    try:
        ok(run("list"))
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    conn = sqlite3.connect(db_path)
    assert conn.execute("SELECT day FROM day_open").fetchall() == [("2024-07-05",)]
    conn.close()


def test_forget_takes_the_clients_stage_changes_and_their_undo_steps(
    run: Run, db_path: Path
) -> None:
    ok(run("add", "Acme"))
    ok(run("add", "Beta"))
    ok(run("edit", "Acme", "--stage", "prospect"))
    ok(run("edit", "Beta", "--stage", "client"))
    ok(run("forget", "Acme", "--yes"))
    conn = sqlite3.connect(db_path)
    try:
        assert conn.execute(
            "SELECT client_id, from_stage, to_stage FROM stage_change"
        ).fetchall() == [(2, "lead", "client")]
        steps = conn.execute("SELECT row_id FROM undo_step WHERE tbl = 'stage_change'").fetchall()
        assert steps == [(2,)]  # Beta's change can still be undone; nothing of Acme's is left
    finally:
        conn.close()


def test_a_terminal_draws_solid_bars_and_the_target_as_a_rule(
    run: Run, history: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    from dossier.cli import base

    ok(run("config", "set", "target.new", "1"))
    ok(run("edit", "Gamma", "--tag", "[bold]x[/bold]"))  # user text stays text
    with monkeypatch.context() as terminal:
        terminal.setattr(base, "use_rich", lambda: True)
        terminal.setenv("COLUMNS", "80")
        out = ok(run("stats", "--weeks", "2", "--tag", "[bold]x[/bold]"))
    assert "(tags: [bold]x[/bold])" in out
    lines = out.splitlines()
    new = lines.index("New clients contacted a week (| the target, 1 a working day):")
    assert lines[new + 2] == "2024-07-01  " + "█" * 8 + " " * 31 + "│  1/5"
    assert "#" not in lines[new + 2]
    assert all(len(line) <= 80 for line in lines)


def test_an_import_adds_its_history_to_the_tallies(run: Run, db_path: Path, tmp_path: Path) -> None:
    """A bulk load sets the triggers aside and counts its history in one pass: the
    tallies must be what the triggers would have made, and undo takes them back."""
    ok(run("add", "Ada"))
    ok(run("log", "Ada", "first", "--kind", "call", "--outcome", "won", "--date", "2024-06-03"))
    before = tallies(db_path)
    exported = tmp_path / "out.json"
    ok(run("export", "--output", str(exported)))
    data = json.loads(exported.read_text())
    for client in data["clients"]:
        client["name"] = client["name"] + " Two"
        client.pop("id", None)
    exported.write_text(json.dumps(data))
    ok(run("import", str(exported)))
    after = tallies(db_path)
    assert after == from_history(db_path)
    assert after != before
    conn = sqlite3.connect(db_path)
    try:
        names = {
            row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'")
        }
    finally:
        conn.close()
    assert {"stats_entry_insert", "stats_entry_delete", "stats_entry_update"} <= names
    ok(run("undo"))
    assert tallies(db_path) == before


def test_a_win_answered_in_work_is_a_stage_change_and_undo_takes_it_back(
    run: Run, db_path: Path
) -> None:
    ok(run("add", "Finn", "--stage", "negotiation", "--on", "today"))
    before = data(run, "--weeks", "1")
    ok(run("work", input="w\nsigned\n\n"))  # won; a note; the suggested next date
    got = data(run, "--weeks", "1")
    assert got["funnel"]["moves"] == [{"from": "negotiation", "to": "client", "count": 1}]
    assert got["closing"]["contacts"]["median"] == 1.0
    ok(run("undo"))
    assert data(run, "--weeks", "1") == before


def test_the_demo_folder_has_numbers_worth_reading(run: Run) -> None:
    """The README's stats example is the demo folder: its moves between stages, its
    wins and its morning's overdue count must be there, and agree with the folder."""
    ok(run("demo"))
    got = data(run)
    funnel = got["funnel"]
    assert [(m["from"], m["to"]) for m in funnel["moves"]] == [
        ("lead", "prospect"),
        ("prospect", "negotiation"),
        ("negotiation", "client"),
    ]
    assert all(m["count"] > 5 for m in funnel["moves"])
    assert got["closing"]["wins"] >= 5
    assert got["closing"]["contacts"]["least"] >= 1
    today = json.loads(ok(run("today", "--json")))
    assert got["weeks"][-1]["overdue_at_start"] == {"2024-07-05": len(today["overdue"])}
    assert sum(sum(w["contacts"].values()) for w in got["weeks"]) > 150
    # Undoing the demo takes its stage changes with it.
    ok(run("undo"))
    assert data(run)["funnel"]["moves"] == []


def test_spanish_writes_decimals_with_a_comma(run: Run) -> None:
    ok(run("demo"))
    english = ok(run("stats"))
    spanish = ok(run("--lang", "es", "stats"))
    closing = [line for line in spanish.splitlines() if "mediana" in line or "Intervalo" in line]
    assert len(closing) == 3, spanish
    assert re.search(r"\d\.\d", english), english  # the demo has a fraction to write
    for line in closing:
        assert not re.search(r"\d\.\d", line), line
    assert any(re.search(r"\d,\d", line) for line in closing), closing
