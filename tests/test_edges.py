"""The edges of what users type and of the calendar (issue 7, points 9 and 14).

Two families of input used to end in a traceback or in odd stored data:

- digits from other scripts (Arabic-Indic, full-width, Devanagari...), which Python's
  ``\\d`` and ``int()`` accept but which were stored as typed; the rule is that any
  Unicode decimal digit is read as its ASCII digit, everywhere a number is typed, and what
  is stored is always ASCII;
- the ends of the calendar (0001-01-01 and 9999-12-31), where day arithmetic overflows: a
  view clips at the end quietly, a requested day past it is refused in one line.

Every case runs through the CLI on a real database file. A refusal is checked as
everywhere else: its exit code, one ``dossier: ...`` line on stderr, the database as it
was. ``run`` re-raises any exception other than SystemExit, so a traceback fails the test.
"""

from __future__ import annotations

import json
import os
import sqlite3
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from conftest import Result, dump, ok, refused, rows

Run = Callable[..., Result]
Refuse = Callable[..., str]

LAST = "9999-12-31"
PAST_END = "past the last day dossier can file, 9999-12-31"

EDGE_TODAYS = ("9999-12-31", "9999-12-01", "9999-11-15", "0001-01-01")

# Every everyday command, reading and writing, with the forms that reach furthest.
COMMANDS: tuple[tuple[str, ...], ...] = (
    ("today",),
    ("today", "--json"),
    ("today", "--date", "+1d"),
    ("today", "--date", "january"),
    ("folder",),
    ("folder", "--json"),
    ("agenda",),
    ("agenda", "--days", "366"),
    ("agenda", "--days", "366", "--json"),
    ("tab", "31"),
    ("tab", "1"),
    ("tab", "december"),
    ("tab", "january"),
    ("tab", "next month"),
    ("level",),
    ("level", "--days", "366", "--capacity", "1"),
    ("level", "--capacity", "1", "--dry-run"),
    ("spread",),
    ("spread", "december"),
    ("spread", "--capacity", "1"),
    ("off", "9999-12-01..9999-12-31"),
    ("off", "december"),
    ("off", "--list"),
    ("file", "acme", "--on", LAST),
    ("file", "acme", "--on", "+1d"),
    ("file", "acme", "--on", "13"),
    ("file", "acme", "--on", "+1m"),
    ("file", "acme", "--on", "+1y"),
    ("file", "acme", "--on", "tomorrow"),
    ("file", "acme", "--on", "monday"),
    ("file", "acme", "--on", "next week"),
    ("file", "acme", "--on", "next month"),
    ("file", "acme", "--on", "january"),
    ("file", "acme", "--on", "feb 29"),
    ("file", "acme", "--on", "dec 31"),
    ("add", "Zed", "--on", "+2w"),
    ("log", "acme", "Called", "--date", "tomorrow"),
    ("move", "acme", "--on", "+1d"),
    ("move", "--from", "today", "--to", "tomorrow"),
    ("show", "99999999999999999999"),
    ("show", "#99999999999999999999"),
    ("rm", "99999999999999999999", "--yes"),
)


def today_is(monkeypatch: pytest.MonkeyPatch, day: str) -> None:
    monkeypatch.setenv("DOSSIER_TODAY", day)


def config(text: str) -> None:
    path = Path(os.environ["DOSSIER_CONFIG"])
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def seed(run: Run) -> None:
    """Two dossiers on today's tab (levelling to 1 has work) and one behind this month's
    tab (spreading has work), filed with today's date as DOSSIER_TODAY gives it."""
    ok(run("add", "Acme", "--on", "today"))
    ok(run("add", "Bolt", "--on", "today"))
    ok(run("add", "Cato", "--on", os.environ["DOSSIER_TODAY"][:7]))


def data(result: Result) -> Any:
    return json.loads(ok(result))


def filed(run: Run, who: str) -> dict[str, Any]:
    placement = data(run("show", who, "--json"))["filed"]
    assert isinstance(placement, dict)
    return placement


def no_crash(run: Run, db_path: Path, args: tuple[str, ...]) -> Result:
    """The command either works or is refused in one line, leaving the data as it was."""
    before = dump(db_path)
    result = run(*args)
    assert result.exit_code in (0, 1, 2), result
    if result.exit_code:
        refused(result, result.exit_code)
        assert dump(db_path) == before, f"refused command {args} changed the database"
    else:
        assert result.stderr == "", result
    return result


# --- point 14: no traceback at the calendar's ends -----------------------------------


@pytest.mark.parametrize("today", EDGE_TODAYS)
@pytest.mark.parametrize("args", COMMANDS, ids=" ".join)
def test_every_command_at_the_calendar_ends_works_or_refuses_in_one_line(
    run: Run, db_path: Path, monkeypatch: pytest.MonkeyPatch, today: str, args: tuple[str, ...]
) -> None:
    today_is(monkeypatch, today)
    seed(run)
    no_crash(run, db_path, args)


@pytest.mark.parametrize("today", EDGE_TODAYS)
@pytest.mark.parametrize(
    "args",
    [("today",), ("folder",), ("agenda", "--days", "366"), ("file", "acme", "--on", "+1d")],
    ids=" ".join,
)
def test_public_holidays_at_the_calendar_ends(
    run: Run, db_path: Path, monkeypatch: pytest.MonkeyPatch, today: str, args: tuple[str, ...]
) -> None:
    config('country = "ES"\nsubdivision = "MD"\n')
    today_is(monkeypatch, today)
    seed(run)
    no_crash(run, db_path, args)


def test_a_huge_id_is_no_client(run: Run, refuse: Refuse) -> None:
    seed(run)
    for typed in ("99999999999999999999", "#99999999999999999999"):
        message = refuse("show", typed, code=1)
        assert "no client has id 99999999999999999999" in message


def test_a_day_past_the_end_is_refused(
    run: Run, refuse: Refuse, monkeypatch: pytest.MonkeyPatch
) -> None:
    today_is(monkeypatch, LAST)
    seed(run)
    for when in ("+1d", "tomorrow", "1", "next month", "january", "+1m", "monday"):
        message = refuse("file", "acme", "--on", when, code=2)
        assert PAST_END in message, message


def test_the_last_day_itself_can_be_filed(run: Run, monkeypatch: pytest.MonkeyPatch) -> None:
    today_is(monkeypatch, "9999-12-30")
    seed(run)
    ok(run("file", "acme", "--on", LAST))
    ok(run("file", "bolt", "--on", "+1d"))
    ok(run("file", "cato", "--on", "december"))
    assert filed(run, "acme")["due"] == LAST
    assert filed(run, "bolt")["due"] == LAST
    assert filed(run, "cato")["month"] == "9999-12"


def test_the_folder_clips_at_the_end(run: Run, monkeypatch: pytest.MonkeyPatch) -> None:
    today_is(monkeypatch, LAST)
    seed(run)
    view = data(run("folder", "--json"))
    assert [d["date"] for d in view["days"]] == [LAST]
    assert view["days"][0]["count"] == 2
    assert [m["month"] for m in view["months"]] == ["9999-12"]
    assert "1 day tab," in ok(run("folder"))

    today_is(monkeypatch, "9999-12-01")
    view = data(run("folder", "--json"))
    assert [d["date"] for d in view["days"]][-1] == LAST
    assert len(view["days"]) == 31


def test_the_agenda_clips_at_the_end(run: Run, monkeypatch: pytest.MonkeyPatch) -> None:
    today_is(monkeypatch, "9999-12-30")
    seed(run)
    days = data(run("agenda", "--days", "366", "--json"))["days"]
    assert [d["date"] for d in days] == ["9999-12-30", LAST]


def test_levelling_at_the_end_leaves_what_finds_no_room(
    run: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    today_is(monkeypatch, LAST)
    seed(run)
    plan = data(run("level", "--capacity", "1", "--json"))
    assert plan["moves"] == []
    assert len(plan["stuck"]) == 1


def test_next_working_day_search_stops_at_the_end(
    run: Run, refuse: Refuse, monkeypatch: pytest.MonkeyPatch
) -> None:
    today_is(monkeypatch, "9999-12-27")
    seed(run)
    ok(run("off", "9999-12-28..9999-12-31"))
    message = refuse("file", "acme", "--on", "+1d", code=2)
    assert PAST_END in message and "working day" in message, message
    ok(run("file", "acme", "--on", "9999-12-29"))  # an explicit date is kept, with a note


def test_a_workweek_of_mondays_near_the_end(
    run: Run, refuse: Refuse, monkeypatch: pytest.MonkeyPatch
) -> None:
    config('workdays = ["mon"]\n')
    today_is(monkeypatch, "9999-12-28")
    seed(run)
    assert PAST_END in refuse("file", "acme", "--on", "+1d", code=2)
    assert "no working day left" in refuse("spread", code=1)


def test_the_first_day_of_the_calendar(run: Run, monkeypatch: pytest.MonkeyPatch) -> None:
    today_is(monkeypatch, "0001-01-01")  # a Monday
    seed(run)
    assert "Mon 1 Jan 1" in ok(run("today"))
    assert len(data(run("folder", "--json"))["days"]) == 31
    ok(run("file", "acme", "--on", "13"))
    assert filed(run, "acme")["due"] == "0001-01-15"  # the 13th is a Saturday
    ok(run("file", "bolt", "--on", "+1m"))
    assert filed(run, "bolt")["due"] == "0001-02-01"
    assert len(data(run("agenda", "--json"))["days"]) == 14


@pytest.mark.parametrize("today", EDGE_TODAYS)
def test_the_demo_at_the_calendar_ends(
    run: Run, db_path: Path, monkeypatch: pytest.MonkeyPatch, today: str
) -> None:
    today_is(monkeypatch, today)
    ok(run("list"))  # creates the database, so that a refusal can be compared
    no_crash(run, db_path, ("demo",))


# --- point 9: digits of other scripts --------------------------------------------------


def script(zero: int) -> dict[int, int]:
    """ASCII digits to the ten decimal digits that start at code point ``zero``."""
    return str.maketrans("0123456789", "".join(chr(zero + i) for i in range(10)))


ARABIC = script(0x0660)  # Arabic-Indic: what a phone set to Arabic types
FULL_WIDTH = script(0xFF10)  # what a Japanese or Chinese input method types
DEVANAGARI = script(0x0966)


@pytest.mark.parametrize("script", [ARABIC, FULL_WIDTH, DEVANAGARI], ids=["arabic", "fw", "dev"])
def test_a_time_in_other_digits_is_stored_in_ascii(run: Run, script: dict[int, int]) -> None:
    ok(run("add", "Acme"))
    ok(run("file", "acme", "--on", "13", "--at", "10:30".translate(script)))
    assert filed(run, "acme")["at"] == "10:30"


@pytest.mark.parametrize("script", [ARABIC, FULL_WIDTH, DEVANAGARI], ids=["arabic", "fw", "dev"])
@pytest.mark.parametrize(
    ("typed", "due"),
    [
        ("13", "2024-07-15"),
        ("2024-07-12", "2024-07-12"),
        ("+3d", "2024-07-08"),
        ("jul 12", "2024-07-12"),
        ("12 july 2024", "2024-07-12"),
    ],
)
def test_a_date_in_other_digits_is_the_same_date(
    run: Run, script: dict[int, int], typed: str, due: str
) -> None:
    ok(run("add", "Acme"))
    ok(run("file", "acme", "--on", typed.translate(script)))
    assert filed(run, "acme")["due"] == due


def test_a_month_tab_in_other_digits(run: Run) -> None:
    ok(run("add", "Acme"))
    ok(run("file", "acme", "--on", "2024-09".translate(ARABIC)))
    assert filed(run, "acme")["month"] == "2024-09"


def test_an_id_in_other_digits(run: Run) -> None:
    ok(run("add", "Acme", "--company", "Acme Ltd"))
    for typed in ("1".translate(ARABIC), "#" + "1".translate(ARABIC), "1".translate(FULL_WIDTH)):
        assert data(run("show", typed, "--json"))["id"] == 1
    ok(run("file", "1".translate(ARABIC), "--on", "13", "--at", "10:30".translate(ARABIC)))
    assert filed(run, "acme") == {"due": "2024-07-15", "month": None, "at": "10:30", "for": None}


def test_a_phone_found_by_digits_in_other_scripts(run: Run) -> None:
    ok(run("add", "Acme", "--phone", "+1 555-0101"))
    for typed in ("5550101".translate(ARABIC), "5550101".translate(FULL_WIDTH)):
        assert [c["name"] for c in data(run("find", typed, "--json"))] == ["Acme"]


def test_a_capacity_in_other_digits_is_the_same_number(run: Run) -> None:
    ok(run("config", "set", "capacity", "30".translate(ARABIC)))
    assert "capacity = 30" in ok(run("config", "set", "capacity", "30".translate(FULL_WIDTH)))
    assert data(run("folder", "--json"))["capacity"] == 30


def test_an_unknown_id_in_other_digits_is_named_in_ascii(run: Run, refuse: Refuse) -> None:
    ok(run("add", "Acme"))
    assert "no client has id 42;" in refuse("show", "42".translate(ARABIC), code=1)


def test_digits_that_are_not_decimal_are_no_id(run: Run, refuse: Refuse) -> None:
    ok(run("add", "Acme"))
    two, one, zero, three = "\u00b2", "\u00b9", "\u2070", "\u00b3"  # superscripts
    refuse("show", two, code=1)  # isdigit() is true, yet int() cannot read it
    refuse("file", "acme", "--on", two, code=2)
    refuse("file", "acme", "--on", "13", "--at", f"{one}{zero}:{three}{zero}", code=2)


def test_today_from_the_environment_in_other_digits(
    run: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    today_is(monkeypatch, "2024-07-05".translate(ARABIC))
    assert data(run("today", "--json"))["date"] == "2024-07-05"


def test_tabs_and_counts_in_other_digits(run: Run) -> None:
    ok(run("add", "Acme", "--on", "15"))
    assert "Mon 15 Jul 2024" in ok(run("tab", "15".translate(ARABIC)))
    assert len(data(run("agenda", "--days", "3".translate(ARABIC), "--json"))["days"]) == 3
    ok(run("level", "15".translate(FULL_WIDTH), "--capacity", "1".translate(ARABIC)))
    ok(run("off", "2024-08-01..2024-08-02".translate(ARABIC)))
    assert "2024-08-01  2024-08-02" in ok(run("off", "--list"))


def test_stored_dates_and_times_are_ascii(run: Run, db_path: Path) -> None:
    on, at = "2024-07-12".translate(ARABIC), "09:05".translate(ARABIC)
    ok(run("add", "Acme", "--on", on, "--at", at))
    ok(run("log", "acme", "Called", "--date", "-1d".translate(FULL_WIDTH)))
    ok(run("off", "2024-08-01".translate(DEVANAGARI)))
    assert rows(db_path, "SELECT due, due_time FROM client") == [("2024-07-12", "09:05")]
    assert rows(db_path, "SELECT first, last FROM day_off") == [("2024-08-01", "2024-08-01")]
    ((logged,),) = rows(db_path, "SELECT at FROM entry")
    assert isinstance(logged, str) and logged.startswith("2024-07-04T") and logged.isascii()


@pytest.mark.sqlite_only("counts the statements SQLite runs")
def test_the_month_tabs_near_the_end_ask_one_question_a_month(run: Run, db_path: Path) -> None:
    """As text, the month after 9999-12 ("10000-01") sorts before it: the month loop once
    ran on through ninety thousand years of empty months (a 3-second `folder`)."""
    from dossier.storage.sqlite import SqliteStore

    ok(run("add", "Acme", "--on", "2024-07-10"))
    conn = sqlite3.connect(db_path)
    store = SqliteStore(conn, db_path)
    statements: list[str] = []
    conn.set_trace_callback(statements.append)
    try:
        assert store.month_counts("9999-01", "9999-12") == {}
        assert store.month_counts("2024-07", "2024-07") == {"2024-07": (1, 0)}
    finally:
        conn.close()
    assert len(statements) == 1 + 12 + 1 + 1
