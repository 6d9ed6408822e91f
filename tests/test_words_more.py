"""Issue 8, section 5: words that mean what they say, continued.

A new client is one not contacted yet (only calls, meetings, e-mails and visits count);
``--tag`` repeated means all of them, and today, agenda and list say when filtered;
names sort as people read them.
"""

from __future__ import annotations

import json

import pytest

from conftest import Run, ok


def _today_row(run: Run, name: str) -> dict[str, object]:
    view = json.loads(ok(run("today", "--json")))
    rows = [r for r in view["today"] if r["name"] == name]
    assert len(rows) == 1, view
    row: dict[str, object] = rows[0]
    return row


def _type_in_today(run: Run, name: str) -> str:
    for line in ok(run("today")).splitlines():
        if name in line:
            return line.split()[1]  # ID, then TYPE (no time set)
    raise AssertionError(f"{name} not in today")


# --- new client = not contacted yet ----------------------------------------------------


@pytest.mark.parametrize(
    ("steps", "new"),
    [
        ([], True),
        ([("log", "--kind", "note", "just a note")], True),
        ([("log", "--kind", "call", "talked")], False),
        ([("log", "--kind", "meeting", "met")], False),
        ([("log", "--kind", "email", "wrote")], False),
        ([("log", "--kind", "visit", "dropped by")], False),
        ([("log", "--kind", "call", "talked"), ("log", "--kind", "note", "later")], False),
    ],
)
def test_only_contact_makes_a_client_repeat(
    run: Run, steps: list[tuple[str, ...]], new: bool
) -> None:
    ok(run("add", "Ana Ruiz", "--on", "today", "--note", "met at the fair"))
    for step in steps:
        ok(run(step[0], "Ana Ruiz", *step[1:]))
    assert _today_row(run, "Ana Ruiz")["new"] is new
    assert _type_in_today(run, "Ana Ruiz") == ("new" if new else "repeat")
    counts = json.loads(ok(run("today", "--json")))["counts"]
    assert (counts["new"], counts["repeat"]) == ((1, 0) if new else (0, 1))
    day = json.loads(ok(run("agenda", "--json")))["days"][0]
    assert (day["new"], day["repeat"]) == ((1, 0) if new else (0, 1))


def test_a_noted_client_counts_as_new_in_the_overdue_load(
    run: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    ok(run("add", "Ana Ruiz", "--on", "today", "--note", "met at the fair"))
    ok(run("add", "Bo Lee", "--on", "today"))
    ok(run("log", "Bo Lee", "--kind", "call", "talked"))
    monkeypatch.setenv("DOSSIER_TODAY", "2024-07-08")  # both left behind, overdue
    overdue = json.loads(ok(run("today", "--json")))["overdue"]
    assert {r["name"]: r["new"] for r in overdue} == {"Ana Ruiz": True, "Bo Lee": False}
    day = json.loads(ok(run("agenda", "--json")))["days"][0]
    assert (day["count"], day["new"], day["repeat"]) == (2, 1, 1)
