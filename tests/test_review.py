"""``dossier review [DATE]``: the day (or week) that passed, on a fixed history built
through the CLI, with every figure checked (plain, JSON, Spanish)."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest

from conftest import Result, ok, refused

Run = Callable[..., Result]


@pytest.fixture
def history(run: Run, monkeypatch: pytest.MonkeyPatch) -> None:
    """Mon 1 Jul 2024 to Fri 5 Jul 2024 (the conftest's today)."""

    def on(day: str, *args: str) -> None:
        monkeypatch.setenv("DOSSIER_TODAY", day)
        ok(run(*args))

    on("2024-07-01", "add", "Old Ltd", "--on", "2024-07-03")  # 1
    on("2024-07-01", "log", "Old Ltd", "intro", "--kind", "call", "--outcome", "reached")
    on("2024-07-04", "add", "Miss Co", "--on", "2024-07-04")  # 2: never handled
    on("2024-07-04", "add", "Beta", "--on", "august")  # 3
    on("2024-07-04", "add", "Gone", "--on", "2024-07-04")  # 4
    on("2024-07-05", "add", "Acme", "--on", "2024-07-10")  # 5
    on("2024-07-05", "add", "Next One", "--on", "2024-07-08")  # 6: Monday's load
    on("2024-07-05", "log", "Acme", "called", "--kind", "call", "--outcome", "no-answer")
    on("2024-07-05", "log", "Acme", "again", "--kind", "call", "--outcome", "meeting-set")
    on("2024-07-05", "log", "Old Ltd", "visited", "--kind", "visit")
    on("2024-07-05", "log", "Old Ltd", "memo")
    on("2024-07-05", "log", "Beta", "mail", "--kind", "email", "--outcome", "proposal-sent")
    on("2024-07-05", "log", "Beta", "before", "--kind", "call", "--outcome", "left-message",
       "--date", "yesterday")  # fmt: skip
    on("2024-07-05", "log", "Gone", "lost it", "--kind", "meeting", "--outcome", "lost")
    on("2024-07-05", "done", "Gone")  # its history gets a note: done


def data(run: Run, *args: str) -> Any:
    return json.loads(ok(run("review", *args, "--json")))


def test_the_day(run: Run, history: None) -> None:
    got = data(run)
    assert got["first"] == got["last"] == "2024-07-05"
    assert got["contacts"] == {"call": 2, "meeting": 1, "email": 1, "visit": 1}
    assert got["notes"] == 2  # the memo, and the note 'done' leaves
    assert got["outcomes"] == {
        "reached": 0, "no-answer": 1, "left-message": 0, "meeting-set": 1,
        "proposal-sent": 1, "won": 0, "lost": 1,
    }  # fmt: skip
    # Calls only: the meeting that was lost counts as an outcome, not in the rate.
    assert got["reach"] == {"reached": 1, "calls_with_outcome": 2, "rate": 0.5}
    assert [(h["id"], h["place"]) for h in got["handled"]] == [
        (5, "day:2024-07-10"),
        (1, "day:2024-07-03"),
        (3, "month:2024-08"),
        (4, "done"),
    ]
    assert got["missed"] == [{"id": 2, "name": "Miss Co", "due": "2024-07-04"}]
    assert got["new_clients"] == [{"id": 5, "name": "Acme"}, {"id": 6, "name": "Next One"}]
    assert got["first_contacts"] == [{"id": 5, "name": "Acme"}, {"id": 4, "name": "Gone"}]
    (loose,) = got["without_outcome"]
    assert (loose["id"], loose["kind"], loose["at"][:10]) == (1, "visit", "2024-07-05")
    assert got["next_day"] == {"date": "2024-07-08", "count": 1, "capacity": 30}


def test_the_week(run: Run, history: None) -> None:
    got = data(run, "--week")
    assert (got["first"], got["last"]) == ("2024-07-01", "2024-07-05")
    assert got["contacts"] == {"call": 4, "meeting": 1, "email": 1, "visit": 1}
    assert got["notes"] == 2
    assert {k: v for k, v in got["outcomes"].items() if v} == {
        "reached": 1, "no-answer": 1, "left-message": 1, "meeting-set": 1,
        "proposal-sent": 1, "lost": 1,
    }  # fmt: skip
    assert got["reach"] == {"reached": 2, "calls_with_outcome": 4, "rate": 0.5}
    assert [h["id"] for h in got["handled"]] == [1, 3, 5, 4]
    assert [m["id"] for m in got["missed"]] == [2]
    assert [n["id"] for n in got["new_clients"]] == [1, 2, 3, 4, 5, 6]
    assert [f["id"] for f in got["first_contacts"]] == [1, 3, 5, 4]
    assert got["next_day"]["date"] == "2024-07-08"


def test_a_past_day(run: Run, history: None) -> None:
    """Yesterday: one call left a message (a rate of 0), Old Ltd was overdue by then and
    untouched, and the next working day is today, with today's overdue pile."""
    got = data(run, "yesterday")
    assert (got["first"], got["last"]) == ("2024-07-04", "2024-07-04")
    assert got["contacts"] == {"call": 1, "meeting": 0, "email": 0, "visit": 0}
    assert got["reach"] == {"reached": 0, "calls_with_outcome": 1, "rate": 0.0}
    assert got["handled"] == [{"id": 3, "name": "Beta", "place": "month:2024-08"}]
    assert [(m["id"], m["due"]) for m in got["missed"]] == [(1, "2024-07-03"), (2, "2024-07-04")]
    assert [n["id"] for n in got["new_clients"]] == [2, 3, 4]
    assert got["first_contacts"] == [{"id": 3, "name": "Beta"}]
    assert got["without_outcome"] == []
    assert got["next_day"] == {"date": "2024-07-05", "count": 2, "capacity": 30}


def test_no_call_with_an_outcome_has_no_rate(run: Run, history: None) -> None:
    got = data(run, "2024-07-02")
    assert got["reach"] == {"reached": 0, "calls_with_outcome": 0, "rate": None}
    assert got["handled"] == [] and got["new_clients"] == []
    assert "Reach rate: — (0 of 0 calls with an outcome)" in ok(run("review", "2024-07-02"))


def test_plain_output(run: Run, history: None) -> None:
    out = ok(run("review"))
    lines = out.splitlines()
    assert lines[:6] == [
        "Review of Fri 5 Jul 2024",
        "",
        "Contacts: 5 (call 2, meeting 1, email 1, visit 1); notes: 2",
        "Outcomes: no-answer 1, meeting-set 1, proposal-sent 1, lost 1",
        "Reach rate: 50% (1 of 2 calls with an outcome)",
        "Next working day, Mon 8 Jul 2024: 1/30",
    ]
    assert (
        "Handled (4), and where each went:\n"
        "  #5 Acme → Wed 10 Jul 2024\n"
        "  #1 Old Ltd → Wed 3 Jul 2024\n"
        "  #3 Beta → the August 2024 tab\n"
        "  #4 Gone → done\n"
        "\n"
        "Due and not handled, now overdue (1):\n"
        "  #2 Miss Co  Thu 4 Jul 2024\n"
    ) in out
    assert "New clients (2):\n  #5 Acme\n  #6 Next One\n" in out
    assert "First contacts (2):\n  #5 Acme\n  #4 Gone\n" in out
    assert "Contacts without an outcome (1):\n  #1 Old Ltd  visit " in out
    assert max(len(line) for line in lines) <= 80
    assert ok(run("review", "--week")).startswith("Review of Mon 1 Jul 2024 to Fri 5 Jul 2024\n")


def test_spanish(run: Run, history: None) -> None:
    out = ok(run("--lang", "es", "review", "--week"))
    assert out.startswith("Revisión del lun 1 jul 2024 al vie 5 jul 2024\n")
    assert "Tasa de contacto: 50% (2 de 4 llamadas con resultado)" in out
    assert "  #3 Beta → la pestaña de agosto 2024\n" in out
    assert "  #4 Gone → cerrado\n" in out
    assert "Tocaban y no se atendieron, ahora atrasados (1):" in out
    # JSON stays English whatever the language.
    assert json.loads(ok(run("--lang", "es", "review", "--json"))) == data(run)


def test_user_text_is_data(run: Run) -> None:
    ok(run("add", "[bold]Evil[/bold] \x1b[31m", "--on", "2024-07-05"))
    ok(run("log", "Evil", "hi", "--kind", "call", "--outcome", "reached"))
    out = ok(run("review"))
    assert "[bold]Evil[/bold]" in out and "\x1b" not in out


def test_bad_dates_are_refused(run: Run, history: None) -> None:
    for bad in ("tomorrow", "2024-07-06", "july", "nonsense"):
        line = refused(run("review", bad), 2)
        assert "Traceback" not in line


def test_an_empty_folder(run: Run) -> None:
    got = data(run, "--week")
    assert got["contacts"] == {"call": 0, "meeting": 0, "email": 0, "visit": 0}
    assert got["handled"] == got["missed"] == got["new_clients"] == []
    assert got["next_day"] == {"date": "2024-07-08", "count": 0, "capacity": 30}


def test_long_figures_fold_at_80_columns(run: Run) -> None:
    ok(run("add", "Many", "--on", "2024-07-05"))
    for outcome in ("reached", "no-answer", "left-message", "meeting-set", "proposal-sent",
                    "won", "lost"):  # fmt: skip
        ok(run("log", "Many", "x", "--kind", "call", "--outcome", outcome))
    out = ok(run("review"))
    assert max(len(line) for line in out.splitlines()) <= 80
    assert (
        "Outcomes: reached 1, no-answer 1, left-message 1, meeting-set 1,\n"
        "  proposal-sent 1, won 1, lost 1\n"
    ) in out
    assert "Reach rate: 71% (5 of 7 calls with an outcome)" in out


def test_the_terminal_view_says_the_same(
    run: Run, history: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    """On a terminal (Rich): the same lines, headings styled; a name is never markup."""
    ok(run("add", "[bold]Evil[/bold]", "--on", "2024-07-05"))
    ok(run("log", "Evil", "hi", "--kind", "call", "--outcome", "reached"))
    plain = ok(run("review"))
    from dossier.cli import base

    monkeypatch.setattr(base, "use_rich", lambda: True)
    monkeypatch.setenv("COLUMNS", "80")
    drawn = ok(run("review"))
    assert [line.rstrip() for line in drawn.splitlines()] == plain.splitlines()
    assert "#7 [bold]Evil[/bold] → " in drawn


def test_an_empty_day_says_so(run: Run) -> None:
    out = ok(run("review"))
    assert "Outcomes: none recorded\n" in out
    assert "Resultados: ninguno registrado\n" in ok(run("--lang", "es", "review"))
