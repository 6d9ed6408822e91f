"""Issue 8, point 4: a history entry is dated on a day that has happened.

``log --date`` and ``file --date`` take today or an earlier day and refuse a future one;
``file --on`` keeps refusing past days. Today is Friday 5 July 2024 (see conftest).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest

from conftest import Result, ok

Run = Callable[..., Result]
Refuse = Callable[..., str]
FUTURE = "a history entry cannot be in the future (today is 2024-07-05)"


def card(run: Run, who: str = "acme") -> dict[str, Any]:
    data = json.loads(ok(run("show", who, "--json")))
    assert isinstance(data, dict)
    return data


def entry_at(run: Run) -> str:
    [entry] = card(run)["history"]
    at = entry["at"]
    assert isinstance(at, str)
    return at


@pytest.fixture
def acme(run: Run) -> None:
    ok(run("add", "Acme Ltd"))


# --- log --date ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("when", "day"),
    [
        pytest.param("yesterday", "2024-07-04", id="yesterday"),
        pytest.param("today", "2024-07-05", id="today"),
        pytest.param("2024-07-01", "2024-07-01", id="iso"),
        pytest.param("monday", "2024-07-01", id="monday-this-week"),
        pytest.param("friday", "2024-06-28", id="friday-is-a-week-ago-on-a-friday"),
        pytest.param("sat", "2024-06-29", id="a-saturday-does-not-roll"),
        pytest.param("-3d", "2024-07-02", id="minus-3-days"),
        pytest.param("-2w", "2024-06-21", id="minus-2-weeks"),
        pytest.param("-1m", "2024-06-05", id="minus-1-month"),
        pytest.param("jul 3", "2024-07-03", id="month-day"),
        pytest.param("3 july", "2024-07-03", id="day-month"),
        pytest.param("dec 24", "2023-12-24", id="month-day-last-year"),
        pytest.param("2", "2024-07-02", id="day-number"),
        pytest.param(
            "\u0662\u0660\u0662\u0664-\u0660\u0667-\u0660\u0661", "2024-07-01", id="arabic"
        ),
        pytest.param("-\uff13d", "2024-07-02", id="full-width-digits"),
    ],
)
def test_log_dates_the_entry_on_a_past_day(run: Run, acme: None, when: str, day: str) -> None:
    out = ok(run("log", "acme", "called", "--date", when))
    assert out == f"Noted in Acme Ltd's history on {day}: note\n"
    assert entry_at(run).startswith(f"{day}T")


def test_log_yesterday_keeps_history_in_order(run: Run, acme: None) -> None:
    ok(run("log", "acme", "second", "--date", "yesterday"))
    ok(run("log", "acme", "first", "--date", "-3d"))
    ok(run("log", "acme", "third"))
    history = card(run)["history"]
    assert [h["text"] for h in history] == ["third", "second", "first"], "newest first"
    assert [h["at"][:10] for h in history] == ["2024-07-05", "2024-07-04", "2024-07-02"]


@pytest.mark.parametrize("when", ["tomorrow", "2099-01-01", "+1d", "2024-07-06", "next week"])
def test_log_refuses_a_future_day(run: Run, refuse: Refuse, acme: None, when: str) -> None:
    message = refuse("log", "acme", "called", "--date", when, code=2)
    assert message.endswith(FUTURE), message


@pytest.mark.parametrize(
    ("when", "says"),
    [
        pytest.param("july", "needs a day", id="month-alone"),
        pytest.param("2024-06", "needs a day", id="iso-month"),
        pytest.param("2024-02-30", "has 29 days", id="impossible"),
        pytest.param("someday", "cannot read", id="unknown"),
    ],
)
def test_log_refuses_what_is_not_a_past_day(
    run: Run, refuse: Refuse, acme: None, when: str, says: str
) -> None:
    assert says in refuse("log", "acme", "called", "--date", when, code=2)


def test_log_refuses_a_day_before_the_calendar(
    run: Run, refuse: Refuse, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("DOSSIER_TODAY", "0001-01-01")
    ok(run("add", "Acme Ltd"))
    for when in ("yesterday", "-1d", "monday", "dec 31"):
        assert "0001-01-01" in refuse("log", "acme", "called", "--date", when, code=2)
    ok(run("log", "acme", "called", "--date", "today"))


# --- file --date ---------------------------------------------------------------------


def test_file_dates_the_note_and_files_ahead(run: Run, acme: None) -> None:
    out = ok(run("file", "acme", "--on", "13", "--date", "yesterday", "-m", "Wants a quote"))
    # Tab 13 is Saturday 13 July 2024, a day off: a relative form rolls to Monday 15.
    assert out.splitlines()[0].startswith("Filed Acme Ltd under Mon 15 Jul 2024")
    assert out.splitlines()[-1] == "Noted in Acme Ltd's history on 2024-07-04: call"
    data = card(run)
    assert data["filed"]["due"] == "2024-07-15"
    [entry] = data["history"]
    assert entry["at"].startswith("2024-07-04T")
    assert (entry["kind"], entry["text"]) == ("call", "Wants a quote")


def test_file_without_date_notes_today(run: Run, acme: None) -> None:
    ok(run("file", "acme", "--on", "2024-07-12", "-m", "Called"))
    assert entry_at(run).startswith("2024-07-05T")


def test_file_on_a_past_day_is_still_refused(run: Run, refuse: Refuse, acme: None) -> None:
    message = refuse("file", "acme", "--on", "yesterday", "-m", "x", code=2)
    assert "cannot read 'yesterday'" in message or "before today" in message, message
    assert "before today" in refuse("file", "acme", "--on", "2024-07-04", "-m", "x", code=2)


def test_file_date_without_a_note_is_refused(run: Run, refuse: Refuse, acme: None) -> None:
    message = refuse("file", "acme", "--on", "2024-07-12", "--date", "yesterday", code=2)
    assert "give -m TEXT too" in message, message


def test_file_refuses_a_future_note_day(run: Run, refuse: Refuse, acme: None) -> None:
    message = refuse("file", "acme", "--on", "12", "--date", "tomorrow", "-m", "x", code=2)
    assert message.endswith(FUTURE), message
