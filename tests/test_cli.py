"""End-to-end tests of the ``dossier`` command line, run in-process through CliRunner.

Output is not a terminal here, so every view is the plain-text one. "Today" is Friday
5 July 2024 (set in conftest through DOSSIER_TODAY); a test that needs time to pass moves
DOSSIER_TODAY with monkeypatch, exactly as a user planning ahead would.

Every refused command is checked the same way (``refuse``): the exit code, nothing on
stdout, exactly one ``dossier: ...`` line on stderr, and the same database dump before and
after.
"""

from __future__ import annotations

import json
import re
import sqlite3
import unicodedata
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from conftest import Result, dump, ok, refused

Run = Callable[..., Result]
Refuse = Callable[..., str]

SPEC_CLIENT_KEYS = {
    "id",
    "name",
    "company",
    "position",
    "phone",
    "email",
    "stage",
    "tags",
    "fields",
    "filed",
    "archived",
}
SPEC_ITEM_KEYS = {"id", "name", "company", "phone", "due", "month", "at", "for", "last_contact"}
SPEC_ENTRY_KEYS = {"at", "kind", "outcome", "text"}
SPEC_FILED_KEYS = {"due", "month", "at", "for"}


# --- helpers -------------------------------------------------------------------------


def card(run: Run, who: str = "1") -> dict[str, Any]:
    data: dict[str, Any] = json.loads(ok(run("show", who, "--json")))
    return data


def tab(run: Run, *args: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(ok(run("today", "--json", *args)))
    return data


def listing(run: Run, *args: str) -> list[dict[str, Any]]:
    data: list[dict[str, Any]] = json.loads(ok(run("list", "--json", *args)))
    return data


def names(items: list[dict[str, Any]]) -> list[str]:
    return [item["name"] for item in items]


def everywhere(view: dict[str, Any]) -> list[str]:
    """Every name in the day's view, whichever section it is in."""
    return names(view["overdue"]) + names(view["today"]) + names(view["month"])


def nfd(text: str) -> str:
    return unicodedata.normalize("NFD", text)


# --- add -----------------------------------------------------------------------------


def test_add_prints_the_new_id_and_the_tab(run: Run) -> None:
    assert ok(run("add", "Acme Ltd", "--on", "2024-07-05")) == (
        "Added #1 Acme Ltd, filed under Fri 5 Jul 2024 (tab 5)\n"
    )
    assert ok(run("add", "Beta GmbH", "--on", "july")) == (
        "Added #2 Beta GmbH, filed under the July 2024 tab\n"
    )


def test_add_with_every_flag_lands_on_the_card(run: Run) -> None:
    ok(
        run(
            "add",
            "Jo Smith",
            "--company",
            "Acme Ltd",
            "--position",
            "Head of Purchasing",
            "--phone",
            "+1 (555) 010-1",
            "--phone",
            "555-0202",
            "--email",
            "jo@acme.example",
            "--tag",
            "vip",
            "--tag",
            "Key-Account",
            "--stage",
            "prospect",
            "--on",
            "2024-07-08",
            "--for",
            "send the quote",
            "--note",
            "Met at the trade fair",
        )
    )
    data = card(run, "1")
    assert SPEC_CLIENT_KEYS | {"history"} <= set(data)
    assert data["id"] == 1
    assert data["name"] == "Jo Smith"
    assert data["company"] == "Acme Ltd"
    assert data["position"] == "Head of Purchasing"
    assert data["phone"] == "+1 (555) 010-1"
    assert data["phones"] == ["+1 (555) 010-1", "555-0202"]
    assert data["email"] == "jo@acme.example"
    assert data["stage"] == "prospect"
    assert sorted(data["tags"]) == ["key-account", "vip"]
    assert data["fields"] == {}
    assert data["filed"] == {
        "due": "2024-07-08",
        "month": None,
        "at": None,
        "for": "send the quote",
    }
    assert data["archived"] is False
    assert len(data["history"]) == 1
    first = data["history"][0]
    assert first["text"] == "Met at the trade fair"
    assert first["kind"] == "note"
    assert first["outcome"] is None
    assert first["at"].startswith("2024-07-05")


def test_add_unfiled_says_there_is_no_next_step(run: Run) -> None:
    out = ok(run("add", "Acme Ltd"))
    assert out.startswith("Added #1 Acme Ltd, not filed yet (no next step)")
    assert out.count("\n") == 1
    data = card(run, "1")
    assert data["filed"] is None
    assert data["stage"] == "lead"
    assert data["history"] == []


def test_add_same_name_at_another_company_is_a_different_client(run: Run) -> None:
    ok(run("add", "Jo Smith", "--company", "Acme"))
    assert ok(run("add", "Jo Smith", "--company", "Beta")).startswith("Added #2 Jo Smith")
    assert [c["company"] for c in listing(run)] == ["Acme", "Beta"]


@pytest.mark.parametrize(
    ("args", "code", "says"),
    [
        pytest.param(("--stage", "hot"), 2, "--stage", id="bad-stage"),
        pytest.param(("--on", "2024-07-01"), 2, "2024-07-05", id="past-date"),
        pytest.param(("--on", "2024-02-30"), 2, "2024-02-30", id="impossible-date"),
        pytest.param(("--on", "someday"), 2, "someday", id="unknown-date"),
        pytest.param(("--for", "a quote"), 2, "--on", id="for-without-on"),
        pytest.param(("--on", "july", "--at", "10:30"), 2, "--at", id="time-on-month-tab"),
    ],
)
def test_add_refuses_bad_flags(
    run: Run, refuse: Refuse, args: tuple[str, ...], code: int, says: str
) -> None:
    ok(run("add", "Acme Ltd"))
    assert says in refuse("add", "New Client", *args, code=code)


@pytest.mark.parametrize(
    ("name", "company"),
    [
        pytest.param("Jo Smith", "Acme", id="same"),
        pytest.param("jo smith", "ACME", id="other-case"),
        pytest.param("  Jo   Smith ", "Acme", id="other-spacing"),
    ],
)
def test_add_refuses_a_duplicate_name_and_company(
    run: Run, refuse: Refuse, name: str, company: str
) -> None:
    ok(run("add", "Jo Smith", "--company", "Acme"))
    message = refuse("add", name, "--company", company, code=1)
    assert "#1" in message


def test_add_refuses_an_empty_name(run: Run, refuse: Refuse) -> None:
    ok(run("add", "Acme Ltd"))
    refuse("add", "   ", code=2)


# --- file ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("on", "line", "filed"),
    [
        ("2024-07-05", "Filed Acme Ltd under Fri 5 Jul 2024 (tab 5)", ("2024-07-05", None)),
        ("today", "Filed Acme Ltd under Fri 5 Jul 2024 (tab 5)", ("2024-07-05", None)),
        ("july", "Filed Acme Ltd under the July 2024 tab", (None, "2024-07")),
        ("2024-08", "Filed Acme Ltd under the August 2024 tab", (None, "2024-08")),
        ("12", "Filed Acme Ltd under Fri 12 Jul 2024 (tab 12)", ("2024-07-12", None)),
        ("2", "Filed Acme Ltd under Fri 2 Aug 2024 (tab 2)", ("2024-08-02", None)),
        ("monday", "Filed Acme Ltd under Mon 8 Jul 2024 (tab 8)", ("2024-07-08", None)),
        ("jul 10", "Filed Acme Ltd under Wed 10 Jul 2024 (tab 10)", ("2024-07-10", None)),
    ],
)
def test_file_confirms_where_the_dossier_went(
    run: Run, on: str, line: str, filed: tuple[str | None, str | None]
) -> None:
    ok(run("add", "Acme Ltd"))
    assert ok(run("file", "acme", "--on", on)) == line + "\n"
    due, month = filed
    assert card(run)["filed"] == {"due": due, "month": month, "at": None, "for": None}
    assert card(run)["history"] == [], "filing without a note adds no history"


@pytest.mark.parametrize(("typed", "stored"), [("10:30", "10:30"), ("9:05", "09:05")])
def test_file_at_a_time(run: Run, typed: str, stored: str) -> None:
    ok(run("add", "Acme Ltd"))
    out = ok(run("file", "acme", "--on", "2024-07-08", "--at", typed))
    assert out == f"Filed Acme Ltd under Mon 8 Jul 2024 (tab 8) at {stored}\n"
    assert card(run)["filed"] == {"due": "2024-07-08", "month": None, "at": stored, "for": None}
    [item] = tab(run, "--date", "2024-07-08")["today"]
    assert item["at"] == stored


@pytest.mark.parametrize("flag", ["-m", "--note"])
def test_file_with_a_note_records_a_call(run: Run, flag: str) -> None:
    ok(run("add", "Acme Ltd"))
    out = ok(run("file", "acme", "--on", "2024-07-08", flag, "Wants a price for 40 seats"))
    assert out.splitlines() == [
        "Filed Acme Ltd under Mon 8 Jul 2024 (tab 8)",
        "Noted in Acme Ltd's history on 2024-07-05: call",
    ]
    [entry] = card(run)["history"]
    assert entry["kind"] == "call"
    assert entry["outcome"] is None
    assert entry["text"] == "Wants a price for 40 seats"


def test_file_stores_kind_outcome_and_for(run: Run) -> None:
    ok(run("add", "Acme Ltd"))
    out = ok(
        run(
            "file",
            "acme",
            "--on",
            "2024-07-10",
            "--at",
            "14:00",
            "--for",
            "sign the contract",
            "-m",
            "Agreed to meet at their office",
            "--kind",
            "meeting",
            "--outcome",
            "meeting-set",
        )
    )
    assert out.splitlines() == [
        "Filed Acme Ltd under Wed 10 Jul 2024 (tab 10) at 14:00, for: sign the contract",
        "Noted in Acme Ltd's history on 2024-07-05: meeting (meeting-set)",
    ]
    data = card(run)
    assert data["filed"] == {
        "due": "2024-07-10",
        "month": None,
        "at": "14:00",
        "for": "sign the contract",
    }
    [entry] = data["history"]
    assert (entry["kind"], entry["outcome"], entry["text"]) == (
        "meeting",
        "meeting-set",
        "Agreed to meet at their office",
    )


@pytest.mark.sqlite_only("reads the file with sqlite3")
def test_refiling_replaces_the_previous_place(run: Run, db_path: Path) -> None:
    ok(run("add", "Acme Ltd"))
    ok(run("file", "acme", "--on", "2024-07-05", "--at", "10:30"))
    assert names(tab(run)["today"]) == ["Acme Ltd"]

    ok(run("file", "acme", "--on", "2024-07-10"))
    assert card(run)["filed"] == {"due": "2024-07-10", "month": None, "at": None, "for": None}
    assert everywhere(tab(run)) == [], "the dossier is no longer behind today's tab"
    assert everywhere(tab(run, "--date", "2024-07-10")) == ["Acme Ltd"]

    ok(run("file", "acme", "--on", "july"))
    assert card(run)["filed"] == {"due": None, "month": "2024-07", "at": None, "for": None}
    view = tab(run)
    assert everywhere(view) == ["Acme Ltd"], "one dossier, one place"
    assert names(view["month"]) == ["Acme Ltd"]
    assert everywhere(tab(run, "--date", "2024-07-10")) == ["Acme Ltd"]
    assert names(tab(run, "--date", "2024-07-10")["today"]) == []

    with sqlite3.connect(db_path) as conn:
        assert conn.execute("SELECT count(*) FROM client").fetchone()[0] == 1


def test_refiling_without_for_keeps_it_and_an_empty_for_clears_it(run: Run) -> None:
    ok(run("add", "Acme Ltd"))
    ok(run("file", "acme", "--on", "2024-07-08", "--for", "send the quote"))
    out = ok(run("file", "acme", "--on", "august"))
    assert out == "Filed Acme Ltd under the August 2024 tab, for: send the quote\n"
    assert card(run)["filed"]["for"] == "send the quote"
    ok(run("file", "acme", "--on", "august", "--for", ""))
    assert card(run)["filed"]["for"] is None


@pytest.fixture
def folder(run: Run) -> None:
    """#1 Acme Ltd filed on Mon 8 Jul with a history, #2/#3 two 'Jo…' clients, #4 done."""
    ok(run("add", "Acme Ltd", "--on", "2024-07-08", "--for", "quote", "--note", "first"))
    ok(run("add", "Jon Smith", "--company", "Smith & Co"))
    ok(run("add", "Joan Brown", "--company", "Brown Bakery"))
    ok(run("add", "Old Customer", "--company", "Gone Ltd", "--on", "today"))
    ok(run("done", "old customer"))


@pytest.mark.parametrize(
    ("args", "code", "says"),
    [
        pytest.param(("acme", "--on", "july", "--at", "10:30"), 2, "--at", id="at-on-month"),
        pytest.param(("acme", "--on", "2024-07-04"), 2, "2024-07-05", id="past-date"),
        pytest.param(("acme", "--on", "2024-06"), 2, "2024-07-05", id="past-month"),
        pytest.param(("acme", "--on", "2024-02-30"), 2, "29 days", id="feb-30"),
        pytest.param(("acme", "--on", "2024-13-01"), 2, "month 13", id="month-13"),
        pytest.param(("acme", "--on", "someday"), 2, "use one of", id="unknown-expr"),
        pytest.param(("acme",), 2, "--on", id="missing-on"),
        pytest.param(("acme", "--on", "today", "--at", "25:00"), 2, "25:00", id="bad-time"),
        pytest.param(("acme", "--on", "today", "--kind", "fax"), 2, "--kind", id="bad-kind"),
        pytest.param(
            ("acme", "--on", "today", "-m", "x", "--outcome", "maybe"),
            2,
            "--outcome",
            id="bad-outcome",
        ),
        pytest.param(
            ("acme", "--on", "2024-07-01", "-m", "Called, wants a quote"),
            2,
            "2024-07-05",
            id="note-not-kept-when-date-refused",
        ),
        pytest.param(("acmx", "--on", "today"), 1, "#1 Acme Ltd", id="unknown-closest"),
        pytest.param(("99", "--on", "today"), 1, "99", id="unknown-id"),
        pytest.param(("old customer", "--on", "today"), 1, "reopen", id="archived"),
    ],
)
def test_file_refusals(
    folder: None, refuse: Refuse, args: tuple[str, ...], code: int, says: str
) -> None:
    assert says in refuse("file", *args, code=code)


def test_file_ambiguous_client_lists_candidates_with_ids(folder: None, refuse: Refuse) -> None:
    message = refuse("file", "jo", "--on", "today", code=1)
    assert "#2 Jon Smith" in message
    assert "#3 Joan Brown" in message


def test_file_refusal_leaves_the_dossier_where_it_was(folder: None, run: Run) -> None:
    refused(run("file", "acme", "--on", "2024-07-01", "-m", "Called"), 2)
    data = card(run, "1")
    assert data["filed"]["due"] == "2024-07-08"
    assert [e["text"] for e in data["history"]] == ["first"]


# --- log -----------------------------------------------------------------------------


def test_log_adds_history_without_moving_the_dossier(run: Run) -> None:
    ok(run("add", "Acme Ltd"))
    ok(run("file", "acme", "--on", "2024-07-08", "--at", "10:30", "--for", "quote"))
    before = card(run)["filed"]
    out = ok(run("log", "acme", "Sent the brochure"))
    assert out == "Noted in Acme Ltd's history on 2024-07-05: note\n"
    data = card(run)
    assert data["filed"] == before
    [entry] = data["history"]
    assert (entry["kind"], entry["outcome"], entry["text"]) == ("note", None, "Sent the brochure")
    assert entry["at"].startswith("2024-07-05")


def test_log_kind_outcome_and_date(run: Run) -> None:
    ok(run("add", "Acme Ltd"))
    out = ok(
        run(
            "log",
            "acme",
            "Sent the quote",
            "--kind",
            "email",
            "--outcome",
            "proposal-sent",
            "--date",
            "2024-07-01",
        )
    )
    assert out == "Noted in Acme Ltd's history on 2024-07-01: email (proposal-sent)\n"
    [entry] = card(run)["history"]
    assert entry["at"].startswith("2024-07-01")
    assert (entry["kind"], entry["outcome"]) == ("email", "proposal-sent")
    assert card(run)["filed"] is None, "log never files"


@pytest.mark.parametrize(
    ("args", "code"),
    [
        pytest.param(("acme", ""), 2, id="empty"),
        pytest.param(("acme", "   "), 2, id="blank"),
        pytest.param(("acme", "x", "--kind", "fax"), 2, id="bad-kind"),
        pytest.param(("acme", "x", "--outcome", "maybe"), 2, id="bad-outcome"),
        pytest.param(("acme", "x", "--date", "july"), 2, id="month-is-not-a-day"),
        pytest.param(("acme", "x", "--date", "2024-02-30"), 2, id="impossible-date"),
        pytest.param(("acme", "x", "--date", "2024-07-08"), 2, id="future-date"),
        pytest.param(("nobody", "x"), 1, id="unknown-client"),
    ],
)
def test_log_refusals(run: Run, refuse: Refuse, args: tuple[str, ...], code: int) -> None:
    ok(run("add", "Acme Ltd"))
    refuse("log", *args, code=code)


# --- today ---------------------------------------------------------------------------


def test_today_json_shape(run: Run, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DOSSIER_TODAY", "2024-07-01")
    ok(run("add", "Late Co", "--on", "2024-07-02"))
    monkeypatch.setenv("DOSSIER_TODAY", "2024-07-05")
    ok(
        run(
            "add",
            "Acme Ltd",
            "--company",
            "Acme",
            "--phone",
            "555-0101",
            "--on",
            "today",
            "--at",
            "09:30",
            "--for",
            "quote",
        )
    )
    ok(run("log", "acme", "Called about the renewal", "--kind", "call"))
    ok(run("add", "Month Co", "--on", "july"))
    view = tab(run)
    assert {"date", "overdue", "today", "month"} <= set(view)
    assert view["date"] == "2024-07-05"
    assert names(view["overdue"]) == ["Late Co"]
    assert names(view["today"]) == ["Acme Ltd"]
    assert names(view["month"]) == ["Month Co"]
    for section in ("overdue", "today", "month"):
        for item in view[section]:
            assert set(item) >= SPEC_ITEM_KEYS, (section, item)
    [item] = view["today"]
    assert item["id"] == 2
    assert item["company"] == "Acme"
    assert item["phone"] == "555-0101"
    assert (item["due"], item["month"], item["at"], item["for"]) == (
        "2024-07-05",
        None,
        "09:30",
        "quote",
    )
    assert item["last_contact"]["text"] == "Called about the renewal"
    assert item["last_contact"]["kind"] == "call"
    assert view["month"][0]["due"] is None
    assert view["month"][0]["month"] == "2024-07"
    assert view["month"][0]["last_contact"] is None


@pytest.mark.parametrize(
    ("later", "acme_late", "beta_late"),
    [("2024-08-02", 25, 2), ("2024-12-31", 176, 153), ("2026-01-01", 542, 519)],
)
def test_overdue_dossiers_are_never_dropped(
    run: Run, monkeypatch: pytest.MonkeyPatch, later: str, acme_late: int, beta_late: int
) -> None:
    ok(run("add", "Acme Ltd", "--on", "2024-07-08", "--for", "quote"))
    ok(run("add", "Beta GmbH", "--on", "july"))
    monkeypatch.setenv("DOSSIER_TODAY", later)
    view = tab(run)
    assert view["date"] == later
    assert names(view["overdue"]) == ["Acme Ltd", "Beta GmbH"], "longest-waiting first"
    acme, beta = view["overdue"]
    assert (acme["due"], acme["days_late"], acme["for"]) == ("2024-07-08", acme_late, "quote")
    assert (beta["month"], beta["days_late"]) == ("2024-07", beta_late)
    assert view["today"] == [] and view["month"] == []
    out = ok(run("today"))
    assert f"2024-07-08 ({acme_late} days late)" in out
    assert f"2024-07 tab ({beta_late} days late)" in out
    assert "OVERDUE (2)" in out


def test_refiling_an_overdue_dossier_takes_it_off_the_overdue_list(
    run: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    ok(run("add", "Acme Ltd", "--on", "2024-07-08"))
    monkeypatch.setenv("DOSSIER_TODAY", "2024-07-15")
    assert names(tab(run)["overdue"]) == ["Acme Ltd"]
    ok(run("file", "acme", "--on", "2024-07-16", "-m", "Called back"))
    assert tab(run)["overdue"] == []


def test_todays_stack_timed_first_then_repeat_then_new(run: Run) -> None:
    ok(run("add", "Yara Timed", "--on", "today", "--at", "14:00"))
    ok(run("add", "Xavier Timed", "--on", "today", "--at", "09:30"))
    ok(run("add", "Aaron New", "--on", "today"))
    ok(run("add", "Zed Repeat"))
    ok(run("file", "zed", "--on", "today", "-m", "Reached him"))
    ok(run("add", "Bella New", "--on", "today"))
    ok(run("add", "Walt Repeat"))
    ok(run("file", "walt", "--on", "today", "-m", "Left a message", "--outcome", "left-message"))
    expected = [
        "Xavier Timed",
        "Yara Timed",
        "Walt Repeat",
        "Zed Repeat",
        "Aaron New",
        "Bella New",
    ]
    today = tab(run)["today"]
    assert names(today) == expected
    assert [i["at"] for i in today] == ["09:30", "14:00", None, None, None, None]
    out = ok(run("today"))
    positions = [out.index(name) for name in expected]
    assert positions == sorted(positions), out
    assert "6 today (2 repeat, 4 new, 2 at a set time)" in out
    assert "TODAY (6: 2 repeat, 4 new)" in out
    row = next(line for line in out.splitlines() if "Walt Repeat" in line)
    assert "repeat" in row.split()
    row = next(line for line in out.splitlines() if "Aaron New" in line)
    assert "new" in row.split()


def test_month_tab_shows_from_the_first_day_of_its_month(
    run: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    ok(run("add", "Acme Ltd", "--on", "2024-08", "--for", "renewal"))
    ok(run("add", "Beta GmbH", "--on", "july"))
    view = tab(run)
    assert names(view["month"]) == ["Beta GmbH"], "the current month's tab is shown"
    assert tab(run, "--date", "2024-08-01")["month"][0]["name"] == "Acme Ltd"

    monkeypatch.setenv("DOSSIER_TODAY", "2024-07-31")
    assert "Acme Ltd" not in everywhere(tab(run))

    monkeypatch.setenv("DOSSIER_TODAY", "2024-08-01")
    view = tab(run)
    assert names(view["month"]) == ["Acme Ltd"]
    [item] = view["month"]
    assert (item["due"], item["month"], item["for"]) == (None, "2024-08", "renewal")
    assert names(view["overdue"]) == ["Beta GmbH"], "July's tab is now overdue"


def test_empty_tab_says_so_and_names_the_next_day_with_work(run: Run) -> None:
    ok(run("add", "Acme Ltd", "--on", "2024-07-10"))
    ok(run("add", "Beta GmbH", "--on", "2024-07-10"))
    ok(run("add", "Gamma Inc", "--on", "2024-07-12"))
    out = ok(run("today"))
    assert "Nothing behind today's tab (Fri 5 Jul 2024)." in out
    assert "Next work: Wed 10 Jul 2024 (2 dossiers)." in out
    assert " 0 in all" in out.splitlines()[0]


@pytest.mark.parametrize(
    ("day", "label"),
    [
        ("2024-07-10", "Next work: Wed 10 Jul 2024 (1 dossier)."),
        ("2024-08-05", "Next work: the August 2024 tab (1 dossier)."),
    ],
)
def test_empty_tab_names_the_nearer_of_a_day_and_a_month_tab(
    run: Run, day: str, label: str
) -> None:
    ok(run("add", "Acme Ltd", "--on", day))
    ok(run("add", "Beta GmbH", "--on", "2024-08"))
    assert label in ok(run("today"))


def test_empty_tab_with_only_a_month_tab_ahead(run: Run) -> None:
    ok(run("add", "Acme Ltd", "--on", "2024-09"))
    out = ok(run("today"))
    assert "Nothing behind today's tab (Fri 5 Jul 2024)." in out
    assert "Next work: the September 2024 tab (1 dossier)." in out


def test_empty_folder_says_nothing_is_filed_ahead(run: Run) -> None:
    ok(run("add", "Acme Ltd", "--on", "today"))
    ok(run("done", "acme"))
    out = ok(run("today"))
    assert "Nothing behind today's tab (Fri 5 Jul 2024). Nothing is filed ahead either." in out


def test_today_warns_about_active_clients_with_no_next_step(run: Run) -> None:
    ok(run("add", "Acme Ltd"))
    ok(run("add", "Beta GmbH", "--on", "today"))
    ok(run("add", "Gone Ltd"))
    ok(run("done", "gone"))
    out = ok(run("today"))
    warning = [line for line in out.splitlines() if line.startswith("No next step")]
    assert warning == [
        "No next step: 1 active client is filed nowhere: Acme Ltd (#1). "
        "File with 'dossier file CLIENT --on DATE'."
    ]
    ok(run("file", "acme", "--on", "august"))
    assert "No next step" not in ok(run("today"))


def test_archived_clients_never_appear_in_the_folder(
    run: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    ok(run("add", "Acme Ltd", "--on", "today"))
    ok(run("add", "Beta GmbH", "--on", "july"))
    ok(run("add", "Gamma Inc", "--on", "2024-07-10"))
    ok(run("add", "Live Co", "--on", "2024-07-12"))
    for who in ("acme", "beta", "gamma"):
        ok(run("done", who))
    for day in ("2024-07-05", "2024-07-10", "2024-08-20"):
        monkeypatch.setenv("DOSSIER_TODAY", day)
        view = tab(run)
        assert set(everywhere(view)) <= {"Live Co"}, (day, view)
        out = ok(run("today"))
        for gone in ("Acme Ltd", "Beta GmbH", "Gamma Inc"):
            assert gone not in out, (day, out)


@pytest.mark.parametrize("date_arg", ["2024-07-08", "monday", "8", "jul 8"])
def test_today_date_shows_that_days_tab(run: Run, date_arg: str) -> None:
    ok(run("add", "Acme Ltd", "--on", "2024-07-08", "--at", "11:00"))
    ok(run("add", "Beta GmbH", "--on", "today"))
    view = tab(run, "--date", date_arg)
    assert view["date"] == "2024-07-08"
    assert names(view["today"]) == ["Acme Ltd"]
    assert names(view["overdue"]) == ["Beta GmbH"]
    assert view["overdue"][0]["days_late"] == 3
    out = ok(run("today", "--date", date_arg))
    assert out.startswith("Mon 8 Jul 2024 · tab 8 — 2 in all")


@pytest.mark.parametrize(
    ("date_arg", "says"),
    [("2024-07-04", "2024-07-05"), ("2024-02-30", "29 days"), ("soonish", "use one of")],
)
def test_today_refuses_a_bad_date(run: Run, refuse: Refuse, date_arg: str, says: str) -> None:
    ok(run("add", "Acme Ltd"))
    assert says in refuse("today", "--date", date_arg, code=2)


def test_today_plain_header_counts_and_rows(run: Run, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DOSSIER_TODAY", "2024-07-01")
    ok(run("add", "Late Co", "--on", "2024-07-02"))
    monkeypatch.setenv("DOSSIER_TODAY", "2024-07-05")
    ok(run("add", "Acme Ltd", "--company", "Acme", "--phone", "+44 20 7946 0001"))
    ok(run("file", "acme", "--on", "today", "--at", "10:30", "--for", "send quote", "-m", "Hi"))
    ok(run("add", "New Co", "--on", "today"))
    ok(run("add", "Month Co", "--on", "july"))
    out = ok(run("today"))
    lines = out.splitlines()
    assert lines[0] == (
        "Fri 5 Jul 2024 · tab 5 — 4 in all: 1 overdue · 2 today "
        "(1 repeat, 1 new, 1 at a set time) · 1 this month without a day"
    )
    assert "OVERDUE (1)" in lines
    assert "TODAY (2: 1 repeat, 1 new)" in lines
    assert "THIS MONTH, NO DAY YET (1)" in lines
    row = next(line for line in lines if "Acme Ltd" in line)
    for cell in ("#2", "10:30", "Acme", "+44 20 7946 0001", "send quote", "2024-07-05 call: Hi"):
        assert cell in row, (cell, row)
    assert "\x1b" not in out, "piped output has no escape codes"


# --- show ----------------------------------------------------------------------------


@pytest.fixture
def jo(run: Run, monkeypatch: pytest.MonkeyPatch) -> None:
    """#1 Jo Smith with a full card and three history entries on three days."""
    ok(
        run(
            "add",
            "Jo Smith",
            "--company",
            "Acme Ltd",
            "--position",
            "Buyer",
            "--phone",
            "+1 (555) 010-1",
            "--phone",
            "555-0202",
            "--email",
            "jo@acme.example",
            "--tag",
            "vip",
            "--stage",
            "negotiation",
            "--note",
            "first: met at the fair",
        )
    )
    ok(run("edit", "1", "--set", "budget=12k"))
    monkeypatch.setenv("DOSSIER_TODAY", "2024-07-08")
    ok(run("file", "1", "--on", "2024-07-10", "--at", "10:30", "--for", "quote", "-m", "second"))
    monkeypatch.setenv("DOSSIER_TODAY", "2024-07-09")
    ok(run("log", "1", "third: sent the quote", "--kind", "email", "--outcome", "proposal-sent"))


def test_show_plain_has_every_field_and_history_newest_first(jo: None, run: Run) -> None:
    out = ok(run("show", "jo"))
    lines = out.splitlines()
    assert lines[0] == "#1 Jo Smith"
    expected = {
        "Company": "Acme Ltd",
        "Position": "Buyer",
        "Phone": "+1 (555) 010-1, 555-0202",
        "Email": "jo@acme.example",
        "Stage": "negotiation",
        "Tags": "vip",
        "Filed": "Wed 10 Jul 2024 (tab 10) at 10:30",
        "For": "quote",
        "budget": "12k",
    }
    for label, value in expected.items():
        assert re.search(rf"^\s+{label}\s+{re.escape(value)}$", out, re.M), (label, out)
    assert "History (3, newest first)" in out
    third, second, first = (out.index(t) for t in ("third:", "second", "first:"))
    assert third < second < first
    assert "email · proposal-sent" in out


def test_show_json_shape_and_history_newest_first(jo: None, run: Run) -> None:
    data = card(run, "jo")
    assert SPEC_CLIENT_KEYS | {"history"} <= set(data)
    assert set(data["filed"]) >= SPEC_FILED_KEYS
    assert data["filed"] == {"due": "2024-07-10", "month": None, "at": "10:30", "for": "quote"}
    assert data["fields"] == {"budget": "12k"}
    assert data["tags"] == ["vip"]
    history = data["history"]
    assert all(set(e) >= SPEC_ENTRY_KEYS for e in history)
    assert [e["text"] for e in history] == [
        "third: sent the quote",
        "second",
        "first: met at the fair",
    ]
    assert [e["kind"] for e in history] == ["email", "call", "note"]
    assert [e["outcome"] for e in history] == ["proposal-sent", None, None]
    assert [e["at"][:10] for e in history] == ["2024-07-09", "2024-07-08", "2024-07-05"]


def test_show_unknown_client(run: Run, refuse: Refuse) -> None:
    ok(run("add", "Acme Ltd"))
    assert "#1 Acme Ltd" in refuse("show", "acme ltx", code=1)
    assert "42" in refuse("show", "42", code=1)


# --- client lookup -------------------------------------------------------------------


@pytest.fixture
def people(run: Run) -> None:
    ok(run("add", "Anna Kowalski", "--company", "Nordlicht Logistics"))
    ok(run("add", "Ben Okafor", "--company", "Okafor & Sons"))
    ok(run("add", "Zoë Ångström", "--company", "Fjord Outdoor"))
    ok(run("add", "Jo", "--company", "Tiny"))
    ok(run("add", "Jo Whitfield", "--company", "Whitfield Mills"))


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        pytest.param("1", 1, id="id"),
        pytest.param("#2", 2, id="hash-id"),
        pytest.param(" 3 ", 3, id="id-with-spaces"),
        pytest.param("Anna Kowalski", 1, id="exact-name"),
        pytest.param("ANNA KOWALSKI", 1, id="exact-name-any-case"),
        pytest.param("nordlicht logistics", 1, id="exact-company"),
        pytest.param("ben", 2, id="name-prefix"),
        pytest.param("kowal", 1, id="name-substring"),
        pytest.param("fjord", 3, id="company-prefix"),
        pytest.param("outdoor", 3, id="company-substring"),
        pytest.param("jo", 4, id="exact-beats-prefix"),
        pytest.param("jo w", 5, id="longer-prefix"),
        pytest.param("Zoë Ångström", 3, id="nfc"),
        pytest.param(nfd("Zoë Ångström"), 3, id="nfd-exact"),
        pytest.param(nfd("zoë"), 3, id="nfd-prefix"),
        pytest.param(nfd("ÅNGSTRÖM"), 3, id="nfd-substring-upper"),
    ],
)
def test_client_lookup(people: None, run: Run, typed: str, expected: int) -> None:
    assert card(run, typed)["id"] == expected


def test_lookup_nfd_name_files_the_nfc_client(people: None, run: Run) -> None:
    out = ok(run("file", nfd("zoë ångström"), "--on", "today"))
    assert out == "Filed Zoë Ångström under Fri 5 Jul 2024 (tab 5)\n"


def test_lookup_ambiguous_substring_lists_candidates(run: Run, refuse: Refuse) -> None:
    ok(run("add", "Anna Kowalski", "--company", "Nordlicht"))
    ok(run("add", "Hanna Kowal", "--company", "Baltic Print"))
    message = refuse("show", "kowal", code=1)
    assert "#1 Anna Kowalski" in message
    assert "#2 Hanna Kowal" in message


# --- find ----------------------------------------------------------------------------


@pytest.fixture
def findable(run: Run) -> None:
    ok(
        run(
            "add",
            "Jo Smith",
            "--company",
            "Acme Ltd",
            "--phone",
            "+1 (555) 010-1",
            "--email",
            "jo@acme.example",
        )
    )
    ok(
        run(
            "add",
            "Ann Lee",
            "--company",
            "Beta GmbH",
            "--phone",
            "+44 20 7946 0002",
            "--email",
            "ann@beta.example",
        )
    )
    ok(run("log", "ann", "Discussed the renewal of the service contract"))
    ok(run("add", "Bob Stone", "--company", "Gamma Works"))


@pytest.mark.parametrize(
    ("text", "ids"),
    [
        pytest.param("jo smith", [1], id="name"),
        pytest.param("SMITH", [1], id="name-any-case"),
        pytest.param("gamma", [3], id="company"),
        pytest.param("beta gmbh", [2], id="company-full"),
        pytest.param("+1 (555) 010-1", [1], id="phone-as-stored"),
        pytest.param("555 0101", [1], id="phone-other-spacing"),
        pytest.param("5550101", [1], id="phone-digits"),
        pytest.param("555-01-01", [1], id="phone-other-punctuation"),
        pytest.param("7946 0002", [2], id="phone-tail"),
        pytest.param("jo@acme", [1], id="email"),
        pytest.param("ANN@BETA.EXAMPLE", [2], id="email-any-case"),
        pytest.param("renewal", [2], id="history-word"),
        pytest.param("renew", [2], id="history-word-prefix"),
        pytest.param("contract renewal", [2], id="history-words-any-order"),
        pytest.param("Stone", [3], id="surname"),
    ],
)
def test_find_matches(findable: None, run: Run, text: str, ids: list[int]) -> None:
    found = json.loads(ok(run("find", text, "--json")))
    assert sorted(c["id"] for c in found) == ids


def test_find_json_is_a_list_of_client_objects(findable: None, run: Run) -> None:
    found = json.loads(ok(run("find", "a", "--json")))
    assert isinstance(found, list) and found
    for item in found:
        assert set(item) >= SPEC_CLIENT_KEYS


def test_find_plain_says_what_matched(findable: None, run: Run) -> None:
    out = ok(run("find", "renewal"))
    [row] = [line for line in out.splitlines() if "Ann Lee" in line]
    assert "Discussed the renewal" in row
    out = ok(run("find", "smith"))
    [row] = [line for line in out.splitlines() if "Jo Smith" in line]
    assert "Acme Ltd" in row


def test_find_nothing(findable: None, run: Run) -> None:
    assert ok(run("find", "zebra")) == "Nothing found.\n"
    assert json.loads(ok(run("find", "zebra", "--json"))) == []


def test_find_needs_text(findable: None, refuse: Refuse) -> None:
    refuse("find", "  ", code=2)


# --- list ----------------------------------------------------------------------------


@pytest.fixture
def roster(run: Run) -> None:
    ok(run("add", "Acme Ltd", "--tag", "vip", "--stage", "client", "--on", "today"))
    ok(run("add", "Beta GmbH", "--tag", "vip,north", "--stage", "lead"))
    ok(run("add", "Gamma Inc", "--tag", "vip", "--stage", "client"))
    ok(run("add", "Delta SA", "--stage", "prospect", "--on", "august"))
    ok(run("done", "gamma", "--reason", "lost"))


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        pytest.param((), ["Acme Ltd", "Beta GmbH", "Delta SA"], id="all-active"),
        pytest.param(("--tag", "vip"), ["Acme Ltd", "Beta GmbH"], id="tag"),
        pytest.param(("--tag", "VIP"), ["Acme Ltd", "Beta GmbH"], id="tag-any-case"),
        pytest.param(("--tag", "north"), ["Beta GmbH"], id="comma-tag"),
        pytest.param(("--stage", "client"), ["Acme Ltd"], id="stage"),
        pytest.param(("--unfiled",), ["Beta GmbH"], id="unfiled"),
        pytest.param(("--archived",), ["Gamma Inc"], id="archived"),
        pytest.param(("--tag", "vip", "--stage", "lead"), ["Beta GmbH"], id="tag-and-stage"),
        pytest.param(("--tag", "nope"), [], id="no-match"),
    ],
)
def test_list_filters(roster: None, run: Run, args: tuple[str, ...], expected: list[str]) -> None:
    rows = listing(run, *args)
    assert names(rows) == expected
    for row in rows:
        assert set(row) >= SPEC_CLIENT_KEYS


def test_list_plain(roster: None, run: Run) -> None:
    out = ok(run("list"))
    lines = out.splitlines()
    assert lines[0].split()[:3] == ["ID", "NAME", "COMPANY"]
    assert [line.split()[0] for line in lines[1:]] == ["#1", "#2", "#4"]
    delta = next(line for line in lines if "Delta SA" in line)
    assert "the August 2024 tab" in delta
    archived = ok(run("list", "--archived"))
    assert "Gamma Inc" in archived and "done (lost)" in archived
    assert ok(run("list", "--tag", "nope")) == "No clients match (filtered: tag nope).\n"


def test_list_refuses_a_bad_stage(roster: None, refuse: Refuse) -> None:
    assert "--stage" in refuse("list", "--stage", "hot", code=2)


# --- edit ----------------------------------------------------------------------------


@pytest.fixture
def editable(run: Run) -> None:
    ok(
        run(
            "add",
            "Jo Smith",
            "--company",
            "Acme",
            "--position",
            "Buyer",
            "--phone",
            "555-0101",
            "--email",
            "jo@acme.example",
            "--tag",
            "vip",
            "--on",
            "2024-07-08",
            "--for",
            "renewal",
        )
    )
    ok(run("edit", "1", "--set", "region=North"))
    ok(run("add", "Ann Lee", "--company", "Beta"))


@pytest.mark.parametrize(
    ("args", "changes"),
    [
        pytest.param(("--name", "Joanna Smith"), {"name": "Joanna Smith"}, id="name"),
        pytest.param(("--company", "NewCo"), {"company": "NewCo"}, id="company"),
        pytest.param(("--position", "CTO"), {"position": "CTO"}, id="position"),
        pytest.param(
            ("--phone", "111", "--phone", "222"),
            {"phones": ["111", "222"], "phone": "111"},
            id="phones-replaced",
        ),
        pytest.param(
            ("--email", "j@new.example"),
            {"email": "j@new.example", "emails": ["j@new.example"]},
            id="email",
        ),
        pytest.param(("--stage", "negotiation"), {"stage": "negotiation"}, id="stage"),
        pytest.param(("--tag", "north"), {"tags": ["north", "vip"]}, id="tag"),
        pytest.param(("--untag", "vip"), {"tags": []}, id="untag"),
        pytest.param(
            ("--set", "budget=12k"), {"fields": {"budget": "12k", "region": "North"}}, id="set"
        ),
        pytest.param(("--set", "region=South"), {"fields": {"region": "South"}}, id="set-again"),
        pytest.param(("--unset", "region"), {"fields": {}}, id="unset"),
        pytest.param(("--set", "company=Set Co"), {"company": "Set Co"}, id="set-core"),
        pytest.param(("--unset", "company"), {"company": None}, id="unset-company"),
        pytest.param(("--unset", "phone"), {"phones": [], "phone": None}, id="unset-phone"),
        pytest.param(
            ("--on", "2024-07-10"),
            {"filed": {"due": "2024-07-10", "month": None, "at": None, "for": "renewal"}},
            id="on-day",
        ),
        pytest.param(
            ("--on", "august"),
            {"filed": {"due": None, "month": "2024-08", "at": None, "for": "renewal"}},
            id="on-month",
        ),
        pytest.param(
            ("--at", "11:00"),
            {"filed": {"due": "2024-07-08", "month": None, "at": "11:00", "for": "renewal"}},
            id="at",
        ),
        pytest.param(
            ("--for", "upsell"),
            {"filed": {"due": "2024-07-08", "month": None, "at": None, "for": "upsell"}},
            id="for",
        ),
    ],
)
def test_edit_changes_only_what_it_is_told(
    editable: None, run: Run, args: tuple[str, ...], changes: dict[str, Any]
) -> None:
    before = card(run, "1")
    out = ok(run("edit", "jo smith", *args))
    assert out.startswith(f"Updated #1 {changes.get('name', 'Jo Smith')}: ")
    after = card(run, "1")
    expected = {**before, **changes}
    for volatile in ("updated", "history", "last_contact"):
        expected.pop(volatile, None)
        after.pop(volatile, None)
    assert after == expected
    assert card(run, "2")["name"] == "Ann Lee"


def test_edit_note_adds_to_the_history(editable: None, run: Run) -> None:
    ok(run("edit", "1", "--note", "Prefers calls before 10:00"))
    [entry] = card(run)["history"]
    assert (entry["kind"], entry["text"]) == ("note", "Prefers calls before 10:00")


def test_edit_on_reports_the_new_place(editable: None, run: Run) -> None:
    out = ok(run("edit", "1", "--on", "2024-07-12", "--at", "09:00"))
    assert out == "Updated #1 Jo Smith: Fri 12 Jul 2024 (tab 12) at 09:00\n"
    assert names(tab(run, "--date", "2024-07-12")["today"]) == ["Jo Smith"]


@pytest.mark.parametrize(
    ("args", "code", "says"),
    [
        pytest.param(("--set", "budget"), 2, "KEY=VALUE", id="set-without-equals"),
        pytest.param(("--set", "=12k"), 2, "KEY=VALUE", id="set-without-key"),
        pytest.param(("--unset", "name"), 2, "name", id="unset-name"),
        pytest.param(("--stage", "hot"), 2, "--stage", id="bad-stage"),
        pytest.param(("--name", ""), 2, "name", id="empty-name"),
        pytest.param(("--name", "Ann Lee", "--company", "Beta"), 1, "#2", id="duplicate"),
        pytest.param(("--on", "2024-07-01"), 2, "2024-07-05", id="past-date"),
        pytest.param(
            ("--name", "Renamed", "--on", "2024-07-01"), 2, "2024-07-05", id="all-or-nothing"
        ),
        pytest.param(("--on", "july", "--at", "10:00"), 2, "--at", id="at-on-month"),
    ],
)
def test_edit_refusals(
    editable: None, refuse: Refuse, args: tuple[str, ...], code: int, says: str
) -> None:
    assert says in refuse("edit", "1", *args, code=code)


def test_edit_cannot_file_a_done_client(editable: None, run: Run, refuse: Refuse) -> None:
    ok(run("done", "ann"))
    assert "reopen" in refuse("edit", "ann", "--on", "today", code=1)


# --- done / reopen -------------------------------------------------------------------


def test_done_takes_the_dossier_out_and_keeps_its_history(run: Run) -> None:
    ok(run("add", "Acme Ltd", "--on", "today", "--note", "first contact"))
    ok(run("file", "acme", "--on", "today", "-m", "Signed!", "--outcome", "won"))
    assert ok(run("done", "acme", "--reason", "won")) == (
        "Done: Acme Ltd is out of the folder, its history kept "
        "(see it with 'dossier list --archived')\n"
    )
    assert everywhere(tab(run)) == []
    assert listing(run) == []
    assert names(listing(run, "--archived")) == ["Acme Ltd"]
    data = card(run, "acme")
    assert data["archived"] is True
    assert data["filed"] is None
    texts = [e["text"] for e in data["history"]]
    assert "Signed!" in texts and "first contact" in texts
    assert "done" in ok(run("show", "acme")).lower()


def test_reopen_brings_it_back_unfiled(run: Run) -> None:
    ok(run("add", "Acme Ltd", "--on", "august", "--note", "hello"))
    ok(run("done", "acme"))
    out = ok(run("reopen", "acme"))
    assert out == "Reopened Acme Ltd (#1); file it with 'dossier file 1 --on DATE'\n"
    data = card(run)
    assert data["archived"] is False
    assert data["filed"] is None
    assert "hello" in [e["text"] for e in data["history"]]
    assert names(listing(run, "--unfiled")) == ["Acme Ltd"]
    assert listing(run, "--archived") == []
    assert "Acme Ltd (#1)" in ok(run("today"))
    assert ok(run("file", "acme", "--on", "today")).startswith("Filed Acme Ltd under")


@pytest.mark.parametrize(
    ("args", "says"),
    [
        pytest.param(("done", "gone"), "already done", id="done-twice"),
        pytest.param(("reopen", "acme"), "not done", id="reopen-active"),
        pytest.param(("done", "nobody"), "nobody", id="done-unknown"),
        pytest.param(("reopen", "77"), "77", id="reopen-unknown"),
    ],
)
def test_done_and_reopen_refusals(
    run: Run, refuse: Refuse, args: tuple[str, ...], says: str
) -> None:
    ok(run("add", "Acme Ltd"))
    ok(run("add", "Gone Ltd"))
    ok(run("done", "gone"))
    assert says in refuse(*args, code=1)


# --- rm ------------------------------------------------------------------------------


@pytest.fixture
def two(run: Run) -> None:
    ok(run("add", "Acme Ltd", "--on", "today", "--note", "asked for a quotation"))
    ok(run("add", "Beta GmbH", "--note", "keep this one"))


@pytest.mark.parametrize("answer", ["n\n", "\n", "no\n", None], ids=["n", "enter", "no", "eof"])
def test_rm_without_yes_deletes_nothing_unless_confirmed(
    two: None, run: Run, db_path: Path, answer: str | None
) -> None:
    before = dump(db_path)
    result = run("rm", "acme", input=answer)
    assert result.exit_code != 0, result
    assert "Delete #1 Acme Ltd and 1 history entry?" in result.stderr
    assert "dossier: not deleted" in result.stderr, result
    assert "Deleted" not in result.stdout
    assert dump(db_path) == before
    assert card(run, "1")["name"] == "Acme Ltd"


def test_rm_refused_without_input_writes_nothing_to_stdout(two: None, run: Run) -> None:
    """``dossier rm 1 </dev/null >out``: the refusal must leave ``out`` empty."""
    result = run("rm", "acme")
    assert result.exit_code == 1, result
    assert result.stdout == "", result


@pytest.mark.parametrize("answer", ["n\n", "no\n", "\n", None], ids=["n", "no", "enter", "eof"])
def test_rm_refusal_message_starts_its_own_line(two: None, run: Run, answer: str | None) -> None:
    """``echo n | dossier rm 1``: the error line is not glued to the prompt."""
    result = run("rm", "acme", input=answer)
    assert result.exit_code == 1, result
    last = result.stderr.splitlines()[-1]
    assert last.startswith("dossier: not deleted"), result


@pytest.mark.sqlite_only("reads the file with sqlite3")
@pytest.mark.parametrize(
    ("args", "answer"),
    [(("acme",), "y\n"), (("acme",), "yes\n"), (("acme", "--yes"), None), (("acme", "-y"), None)],
    ids=["y", "yes", "--yes", "-y"],
)
def test_rm_deletes_the_client_and_its_history(
    two: None, run: Run, db_path: Path, args: tuple[str, ...], answer: str | None
) -> None:
    result = run("rm", *args, input=answer)
    assert result.exit_code == 0, result
    assert "Deleted #1 Acme Ltd and its history" in result.stdout
    refused(run("show", "1"), 1)
    assert names(listing(run)) == ["Beta GmbH"]
    assert ok(run("find", "quotation")) == "Nothing found.\n"
    with sqlite3.connect(db_path) as conn:
        assert conn.execute("SELECT count(*) FROM entry WHERE client_id = 1").fetchone()[0] == 0
    assert [e["text"] for e in card(run, "beta")["history"]] == ["keep this one"]


def test_rm_unknown_client(two: None, refuse: Refuse) -> None:
    refuse("rm", "nobody", "--yes", code=1)


# --- demo ----------------------------------------------------------------------------


def test_demo_fills_a_working_morning(run: Run) -> None:
    out = ok(run("demo"))
    match = re.match(r"Added (\d+) sample clients", out)
    assert match, out
    count = int(match[1])
    assert 35 <= count <= 45
    everyone = listing(run) + listing(run, "--archived")
    assert len(everyone) == count
    assert any(c["filed"] and c["filed"]["month"] for c in everyone), "some month-tab dossiers"
    assert any(c["archived"] for c in everyone)
    view = tab(run)
    assert view["overdue"] and all(i["days_late"] > 0 for i in view["overdue"])
    assert view["today"]
    timed = [i["at"] for i in view["today"] if i["at"]]
    assert timed, "some timed meetings today"
    assert [i["at"] for i in view["today"][: len(timed)]] == sorted(timed)
    assert any(i["last_contact"] for i in view["today"]), "a few months of history"
    plain = ok(run("today"))
    assert "OVERDUE (" in plain and "TODAY (" in plain and "at a set time" in plain


def test_demo_refuses_a_database_with_clients(run: Run, refuse: Refuse) -> None:
    ok(run("demo"))
    refuse("demo", code=1)


def test_demo_refuses_even_one_client(run: Run, refuse: Refuse) -> None:
    ok(run("add", "Acme Ltd"))
    refuse("demo", code=1)


# --- user text is data, never terminal control ---------------------------------------

EVIL = "Evil\x1b[31mRed"
EVIL_TOO = "Evil\x1b[2JGreen"


@pytest.mark.parametrize(
    "args",
    [
        ("add", "X\x1b]0;pwned\x07Name", "--company", "C\x1b[1mo"),
        ("show", "1"),
        ("list",),
        ("today",),
        ("find", "evil"),
        ("file", "2", "--on", "today", "-m", "note\x1b[31m text"),
    ],
    ids=["add", "show", "list", "today", "find", "file"],
)
def test_control_characters_in_names_are_shown_not_obeyed(run: Run, args: tuple[str, ...]) -> None:
    ok(run("add", EVIL, "--on", "today"))
    ok(run("add", EVIL_TOO))
    result = run(*args)
    assert result.exit_code == 0, result
    assert "\x1b" not in result.stdout
    assert "\\x1b" in result.stdout


def test_markup_in_names_is_shown_literally(run: Run) -> None:
    out = ok(run("add", "[bold]Acme[/bold]", "--on", "today"))
    assert "[bold]Acme[/bold]" in out
    assert "[bold]Acme[/bold]" in ok(run("show", "1"))
    assert "[bold]Acme[/bold]" in ok(run("today"))


@pytest.mark.parametrize(
    "args",
    [
        pytest.param(("show", "evil"), id="ambiguous"),
        pytest.param(("show", "evil\x1b[31mrex"), id="closest-names"),
        pytest.param(("done", "1"), id="already-done"),
        pytest.param(("file", "1", "--on", "today"), id="archived"),
        pytest.param(("reopen", "2"), id="not-done"),
        pytest.param(("add", "Dup", "--company", "Bad\x1b[5mCo"), id="duplicate-company"),
        pytest.param(("show", "\x1b[2Jzzzzzz"), id="typed-not-found"),
    ],
)
def test_error_messages_do_not_send_control_characters_to_the_terminal(
    run: Run, refuse: Refuse, args: tuple[str, ...]
) -> None:
    ok(run("add", EVIL))
    ok(run("add", EVIL_TOO))
    ok(run("add", "Dup", "--company", "Bad\x1b[5mCo"))
    ok(run("done", "1"))
    message = refuse(*args, code=1)
    assert "\x1b" not in message, message


def test_a_typed_newline_in_an_unknown_client_gives_one_line(run: Run, refuse: Refuse) -> None:
    ok(run("add", "Acme Ltd"))
    refuse("show", "zzzz\nqqqq", code=1)
