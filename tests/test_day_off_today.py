"""``today`` on a day off says so first, and does not suggest levelling it (issue 8)."""

from __future__ import annotations

import json
from collections.abc import Callable

import pytest

from conftest import Result, ok

Run = Callable[..., Result]


@pytest.fixture
def folder(run: Run) -> None:
    ok(run("config", "set", "capacity", "1"))
    for name in ("Acme", "Globex", "Hooli"):
        ok(run("add", name, "--on", "2024-07-05"))  # Friday: overdue by Saturday
    for name in ("Initech", "Umbrella"):
        ok(run("add", name, "--on", "2024-07-08"))  # Monday, the next working day


def test_on_a_saturday_today_says_first_that_it_is_a_day_off(
    run: Run, folder: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("DOSSIER_TODAY", "2024-07-06")
    lines = ok(run("today")).splitlines()
    assert lines[2] == (
        "Sat 6 Jul 2024 is a day off: a Saturday, not a working day. "
        "Next working day: Mon 8 Jul 2024 (2 dossiers)."
    )
    text = "\n".join(lines)
    assert "Over capacity" not in text and "dossier level" not in text


def test_the_json_says_why_and_what_comes_next(
    run: Run, folder: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("DOSSIER_TODAY", "2024-07-06")
    data = json.loads(ok(run("today", "--json")))
    assert data["day_off"] == {
        "reason": "a Saturday, not a working day",
        "next_working": {"date": "2024-07-08", "count": 2},
    }


def test_a_personal_day_off_is_named_with_its_note(run: Run, folder: None) -> None:
    ok(run("off", "2024-07-08", "--note", "dentist"))
    out = ok(run("today", "--date", "2024-07-08"))
    assert "Mon 8 Jul 2024 is a day off" in out and "dentist" in out
    assert "Next working day: Tue 9 Jul 2024 (0 dossiers)." in out


def test_a_working_day_says_nothing_of_days_off_and_still_warns_of_capacity(
    run: Run, folder: None
) -> None:
    out = ok(run("today"))
    assert "day off" not in out
    assert "Over capacity" in out
    assert json.loads(ok(run("today", "--json")))["day_off"] is None
