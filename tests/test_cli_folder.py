"""End-to-end tests of the folder commands (issue 3): ``folder``, ``tab``, ``agenda``,
``level``, ``spread``, ``move``, ``off`` and ``config``, run in-process through CliRunner.

Output is not a terminal here, so every view is the plain one. "Today" is Friday 5 July
2024 (conftest); a test that needs another day moves DOSSIER_TODAY with monkeypatch, as a
user planning ahead would. The default capacity is 30 and the default working days are
Monday to Friday; a test that needs other settings sets them with ``dossier config set``.

Every refused command is checked the same way (``refuse``): the exit code, nothing on
stdout, exactly one ``dossier: ...`` line on stderr, and the same database dump before and
after.
"""

from __future__ import annotations

import json
import os
import re
from collections import Counter
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest

from conftest import Result, dump, ok

Run = Callable[..., Result]
Refuse = Callable[..., str]

PLAN_KEYS = {"applied", "moves", "stuck"}
MOVE_KEYS = {"id", "name", "from", "to"}
DAY_KEYS = {"date", "tab", "count", "repeat", "new", "timed", "capacity", "over", "working"}


# --- helpers -------------------------------------------------------------------------


def data(result: Result) -> Any:
    return json.loads(ok(result))


def today_is(monkeypatch: pytest.MonkeyPatch, day: str) -> None:
    monkeypatch.setenv("DOSSIER_TODAY", day)


def add(run: Run, name: str, *args: str) -> None:
    ok(run("add", name, *args))


def add_many(run: Run, count: int, *args: str, prefix: str = "Client") -> list[str]:
    names = [f"{prefix} {i:02d}" for i in range(count)]
    for name in names:
        add(run, name, *args)
    return names


def repeat_client(run: Run, name: str, *args: str) -> None:
    """A client already contacted once (a call in the history): a repeat contact."""
    add(run, name, *args)
    ok(run("log", name, "first call", "--kind", "call"))


def filed(run: Run, client: str) -> dict[str, Any] | None:
    result: dict[str, Any] | None = data(run("show", client, "--json"))["filed"]
    return result


def due(run: Run, client: str) -> str | None:
    place = filed(run, client)
    return place["due"] if place else None


def day_names(run: Run, day: str) -> list[str]:
    """Names filed behind the tab of ``day`` (an ISO date)."""
    view = data(run("tab", day, "--json"))
    assert view["days"][0]["date"] == day
    return [d["name"] for d in view["days"][0]["dossiers"]]


def table(text: str, first: str) -> list[dict[str, str]]:
    """The rows of the plain table whose header line starts with ``first``, as dicts.

    Columns are found from the header (names separated by two spaces or more), as the
    table pads every cell to its column's width.
    """
    lines = text.splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith(first))
    header = lines[start]
    spans = [(m.start(), m.group()) for m in re.finditer(r"\S+(?: \S+)*", header)]
    rows = []
    for line in lines[start + 1 :]:
        if not line.strip():
            break
        cells = {}
        for i, (pos, name) in enumerate(spans):
            end = spans[i + 1][0] if i + 1 < len(spans) else None
            cells[name] = line[pos:end].strip()
        rows.append(cells)
    return rows


PLAN_ROW = re.compile(r"^#(\d+)\s+(.+?)\s{2,}(.+?)\s+->\s+(.+)$")


def plan_rows(text: str) -> list[tuple[int, str, str, str]]:
    """The (id, name, from, to) lines of a printed levelling or spreading plan."""
    rows = []
    for line in text.splitlines():
        if m := PLAN_ROW.match(line):
            rows.append((int(m[1]), m[2], m[3], m[4]))
    return rows


def days_from(first: str, count: int) -> list[str]:
    start = date.fromisoformat(first)
    return [(start + timedelta(days=i)).isoformat() for i in range(count)]


DAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
MONTHS = ("", "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def shown(iso: str) -> str:
    """A day as dossier prints it: ``Fri 5 Jul 2024``."""
    day = date.fromisoformat(iso)
    return f"{DAYS[day.weekday()]} {day.day} {MONTHS[day.month]} {day.year}"


def config_file() -> Path:
    return Path(os.environ["DOSSIER_CONFIG"])


def weekdays_of(year: int, month: int, since: int = 1) -> list[str]:
    day = date(year, month, since)
    result = []
    while day.month == month:
        if day.weekday() < 5:
            result.append(day.isoformat())
        day += timedelta(days=1)
    return result


# --- folder --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("today", "tabs"),
    [
        ("2024-07-05", [*range(5, 32), *range(1, 5)]),
        ("2024-12-20", [*range(20, 32), *range(1, 20)]),
        ("2024-03-31", [31, *range(1, 31)]),
    ],
)
def test_folder_shows_31_day_tabs_in_binder_order(
    run: Run, monkeypatch: pytest.MonkeyPatch, today: str, tabs: list[int]
) -> None:
    today_is(monkeypatch, today)
    rows = table(ok(run("folder")), "TAB")
    assert [int(r["TAB"]) for r in rows] == tabs
    expected = days_from(today, 31)
    assert [r["DAY"] for r in rows] == [shown(d) for d in expected]
    assert rows[0]["NOTE"].startswith("today")
    assert all("today" not in r["NOTE"] for r in rows[1:])
    view = data(run("folder", "--json"))
    assert [d["date"] for d in view["days"]] == expected
    assert [d["tab"] for d in view["days"]] == tabs


def test_folder_day_tab_shows_date_weekday_count_bar_and_overload(run: Run) -> None:
    ok(run("config", "set", "capacity", "5"))
    add_many(run, 3, "--on", "2024-07-08", prefix="Mon")
    add_many(run, 7, "--on", "2024-07-09", prefix="Tue")
    add(run, "Meeting", "--on", "2024-07-10", "--at", "09:30")
    out = ok(run("folder"))
    assert "capacity 5 a day" in out.splitlines()[0]
    rows = {r["TAB"]: r for r in table(out, "TAB")}
    assert rows["8"]["DAY"] == "Mon 8 Jul 2024"
    assert rows["8"]["COUNT"] == "3"
    assert rows["8"]["LOAD"] == "#" * 18  # 3 of 5 on a 30-character bar
    assert "OVER" not in rows["8"]["NOTE"]
    assert rows["9"]["COUNT"] == "7"
    assert rows["9"]["LOAD"] == "#" * 30 + "+"
    assert rows["9"]["NOTE"] == "OVER by 2"
    assert rows["10"]["COUNT"] == "1"
    assert rows["11"]["COUNT"] == "0"
    assert rows["11"]["LOAD"] == ""
    days = {d["date"]: d for d in data(run("folder", "--json"))["days"]}
    assert (days["2024-07-08"]["count"], days["2024-07-08"]["over"]) == (3, 0)
    assert (days["2024-07-09"]["count"], days["2024-07-09"]["over"]) == (7, 2)
    assert (days["2024-07-10"]["count"], days["2024-07-10"]["timed"]) == (1, 1)
    assert days["2024-07-08"]["capacity"] == 5


def test_folder_bar_is_scaled_to_the_default_capacity(run: Run) -> None:
    add_many(run, 15, "--on", "2024-07-08")
    out = ok(run("folder"))
    assert "capacity 30 a day" in out.splitlines()[0]
    rows = {r["TAB"]: r for r in table(out, "TAB")}
    assert rows["8"]["LOAD"] == "#" * 15


def test_folder_marks_weekends_as_days_off(run: Run) -> None:
    rows = {r["TAB"]: r for r in table(ok(run("folder")), "TAB")}
    for tab, weekday in [("6", "Saturday"), ("7", "Sunday"), ("13", "Saturday")]:
        assert "day off" in rows[tab]["NOTE"], rows[tab]
        assert weekday in rows[tab]["NOTE"]
    for tab in ("8", "9", "12"):
        assert "day off" not in rows[tab]["NOTE"], rows[tab]
    days = {d["date"]: d for d in data(run("folder", "--json"))["days"]}
    assert days["2024-07-06"]["working"] is False
    assert "Saturday" in days["2024-07-06"]["off"]
    assert days["2024-07-08"]["working"] is True
    assert days["2024-07-08"]["off"] is None


def test_folder_marks_a_configured_countrys_public_holiday(
    run: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    today_is(monkeypatch, "2024-07-22")
    before = {d["date"]: d for d in data(run("folder", "--json"))["days"]}
    assert before["2024-08-15"]["working"] is True
    ok(run("config", "set", "country", "ES"))
    rows = {r["TAB"]: r for r in table(ok(run("folder")), "TAB")}
    assert rows["15"]["DAY"] == "Thu 15 Aug 2024"
    assert "public holiday" in rows["15"]["NOTE"]
    assert "Assumption" in rows["15"]["NOTE"]
    assert "day off" not in rows["14"]["NOTE"]
    after = {d["date"]: d for d in data(run("folder", "--json"))["days"]}
    assert after["2024-08-15"]["working"] is False
    assert "Assumption" in after["2024-08-15"]["off"]


def test_folder_month_tabs_overdue_and_not_filed_counts(
    run: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    today_is(monkeypatch, "2024-06-10")
    add(run, "Late Day", "--on", "2024-06-20")  # overdue by 5 July
    add(run, "Late Month", "--on", "june")  # a past month tab: overdue too
    today_is(monkeypatch, "2024-07-05")
    add(run, "Jul A", "--on", "2024-07-08")
    add(run, "Jul B", "--on", "2024-07-31")
    add(run, "Jul C", "--on", "july")
    add(run, "Sep A", "--on", "2024-09-10")
    add(run, "Dec A", "--on", "december")
    add(run, "Dec B", "--on", "december")
    add(run, "Next Jul", "--on", "2025-07-31")
    add(run, "Nowhere")
    add(run, "Closed", "--on", "2024-07-09")
    ok(run("done", "Closed"))
    expected = {
        "July 2024": (2, 1),
        "September 2024": (1, 0),
        "December 2024": (0, 2),
        "July 2025": (1, 0),
    }
    this_year = ("July", "August", "September", "October", "November", "December")
    next_year = ("January", "February", "March", "April", "May", "June", "July")
    labels = [f"{m} 2024" for m in this_year] + [f"{m} 2025" for m in next_year]
    out = ok(run("folder"))
    months = table(out, "MONTH TAB")
    assert [r["MONTH TAB"] for r in months] == labels
    for row in months:
        dated, undated = expected.get(row["MONTH TAB"], (0, 0))
        assert (row["WITH A DAY"], row["NO DAY YET"]) == (str(dated), str(undated)), row
    assert re.search(r"Overdue: 2\b", out)
    assert re.search(r"Not filed[^:]*: 1$", out.strip())
    view = data(run("folder", "--json"))
    assert [m["label"] for m in view["months"]] == labels
    assert view["months"][0] == {"month": "2024-07", "label": "July 2024", "dated": 2, "undated": 1}
    assert view["months"][5] == {
        "month": "2024-12",
        "label": "December 2024",
        "dated": 0,
        "undated": 2,
    }
    assert (view["overdue"], view["unfiled"]) == (2, 1)


# --- tab -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("number", "day", "shown"),
    [
        ("12", "2024-07-12", "Fri 12 Jul 2024"),
        ("2", "2024-08-02", "Fri 2 Aug 2024"),  # tab 2 has passed: next month's 2nd
        ("5", "2024-07-05", "Fri 5 Jul 2024"),
    ],
)
def test_tab_number_is_the_day_on_number_files_behind(
    run: Run, number: str, day: str, shown: str
) -> None:
    add(run, "Xena")
    ok(run("file", "Xena", "--on", number))
    assert due(run, "Xena") == day
    out = ok(run("tab", number))
    assert out.splitlines()[0] == f"Tab {number}: {shown}"
    assert "Xena" in out
    view = data(run("tab", number, "--json"))
    assert view["days"][0]["date"] == day
    assert view["days"][0]["tab"] == int(number)
    assert [d["name"] for d in view["days"][0]["dossiers"]] == ["Xena"]


def test_tab_of_an_empty_weekend_day_says_so(run: Run) -> None:
    out = ok(run("tab", "13"))
    assert out.splitlines()[0] == "Tab 13: Sat 13 Jul 2024"
    assert "day off" in out
    assert "Nothing filed here." in out
    day = data(run("tab", "13", "--json"))["days"][0]
    assert (day["date"], day["count"], day["working"]) == ("2024-07-13", 0, False)


@pytest.fixture
def month_tabs(run: Run) -> None:
    add(run, "Undated July", "--on", "july")
    add(run, "Undated August", "--on", "august")
    add(run, "Monday Call", "--on", "2024-07-08")
    add(run, "Monday Meeting", "--on", "2024-07-08", "--at", "09:30")
    add(run, "August Call", "--on", "2024-08-06")


@pytest.mark.parametrize(
    ("which", "title", "undated", "days", "absent"),
    [
        (
            "july",
            "The July 2024 tab",
            ["Undated July"],
            {"2024-07-08": ["Monday Meeting", "Monday Call"]},
            ["Undated August", "August Call"],
        ),
        (
            "2024-08",
            "The August 2024 tab",
            ["Undated August"],
            {"2024-08-06": ["August Call"]},
            ["Undated July", "Monday Call"],
        ),
    ],
)
def test_month_tab_shows_its_undated_dossiers_and_each_days_stack(
    month_tabs: None,
    run: Run,
    which: str,
    title: str,
    undated: list[str],
    days: dict[str, list[str]],
    absent: list[str],
) -> None:
    out = ok(run("tab", which))
    assert out.splitlines()[0] == title
    assert f"NO DAY YET ({len(undated)})" in out
    for name in undated + [n for names in days.values() for n in names]:
        assert name in out
    for name in absent:
        assert name not in out
    for day, names in days.items():
        assert f"{shown(day).upper()} — {len(names)} of 30" in out
    view = data(run("tab", which, "--json"))
    assert view["title"] == title
    assert [c["name"] for c in view["undated"]] == undated
    assert {d["date"]: [c["name"] for c in d["dossiers"]] for d in view["days"]} == days
    for day in view["days"]:
        assert set(day) >= DAY_KEYS


def test_month_tab_day_lines_split_repeat_and_new(month_tabs: None, run: Run) -> None:
    ok(run("log", "Monday Call", "spoke", "--kind", "call"))
    day = data(run("tab", "july", "--json"))["days"][0]
    assert (day["count"], day["repeat"], day["new"], day["timed"]) == (2, 1, 1, 1)
    out = ok(run("tab", "july"))
    line = next(x for x in out.splitlines() if "Monday Call" in x)
    assert "repeat" in line


# --- agenda --------------------------------------------------------------------------


def test_agenda_defaults_to_14_days_from_today(run: Run) -> None:
    rows = table(ok(run("agenda")), "DAY")
    assert len(rows) == 14
    assert rows[0]["DAY"] == "Fri 5 Jul 2024"
    assert rows[-1]["DAY"] == "Thu 18 Jul 2024"
    view = data(run("agenda", "--json"))
    assert [d["date"] for d in view["days"]] == days_from("2024-07-05", 14)


@pytest.fixture
def busy_friday(run: Run) -> None:
    """Today's tab: two repeat contacts, two new clients, two of them at a set time."""
    repeat_client(run, "Rita", "--on", "today")
    repeat_client(run, "Rob", "--on", "today", "--at", "14:00")
    add(run, "Nina", "--on", "today")
    add(run, "Ned", "--on", "today", "--at", "09:30")


def test_agenda_days_3_one_line_per_day(busy_friday: None, run: Run) -> None:
    rows = table(ok(run("agenda", "--days", "3")), "DAY")
    assert [r["DAY"] for r in rows] == ["Fri 5 Jul 2024", "Sat 6 Jul 2024", "Sun 7 Jul 2024"]
    friday = rows[0]
    assert (friday["COUNT"], friday["REPEAT"], friday["NEW"]) == ("4", "2", "2")
    assert friday["CAPACITY"] == "4/30"
    assert friday["AT A SET TIME"] == "09:30 Ned, 14:00 Rob"
    assert rows[1]["COUNT"] == "0"
    assert "day off" in rows[1]["CAPACITY"]


def test_agenda_json_shape(busy_friday: None, run: Run) -> None:
    view = data(run("agenda", "--days", "3", "--json"))
    assert view["capacity"] == 30
    assert len(view["days"]) == 3
    friday = view["days"][0]
    assert DAY_KEYS | {"meetings"} <= set(friday)
    assert friday["date"] == "2024-07-05"
    assert (friday["count"], friday["repeat"], friday["new"], friday["timed"]) == (4, 2, 2, 2)
    assert friday["meetings"] == [{"at": "09:30", "name": "Ned"}, {"at": "14:00", "name": "Rob"}]
    assert (friday["over"], friday["working"]) == (0, True)
    assert view["days"][1]["working"] is False


@pytest.mark.parametrize("days", ["0", "367", "-1", "x", ""])
def test_agenda_refuses_a_bad_number_of_days(run: Run, refuse: Refuse, days: str) -> None:
    add(run, "Seed", "--on", "2024-07-08")
    refuse("agenda", "--days", days, code=2)


# --- capacity ------------------------------------------------------------------------


def test_capacity_defaults_to_30(run: Run) -> None:
    settings = data(run("config", "--json"))["settings"]
    assert settings["capacity"]["from"] == "default"
    assert str(settings["capacity"]["value"]) == "30"
    assert data(run("today", "--json"))["capacity"] == 30
    assert data(run("folder", "--json"))["capacity"] == 30
    assert data(run("agenda", "--json"))["capacity"] == 30


@pytest.mark.parametrize(("count", "over"), [(30, 0), (31, 1), (34, 4)])
def test_today_warns_over_the_default_capacity(run: Run, count: int, over: int) -> None:
    add_many(run, count, "--on", "today")
    out = ok(run("today"))
    if over:
        assert f"{count} dossiers in today's stack for 30 a day, {over} too many" in out
    else:
        assert "Over capacity" not in out
    view = data(run("today", "--json"))
    assert (view["capacity"], view["over_capacity"]) == (30, over)


@pytest.mark.parametrize(
    ("overdue", "on_today", "over"),
    [(0, 5, 0), (0, 6, 1), (2, 3, 0), (2, 4, 1), (3, 7, 5)],
)
def test_today_over_capacity_counts_the_overdue_stack(
    run: Run, monkeypatch: pytest.MonkeyPatch, overdue: int, on_today: int, over: int
) -> None:
    out = ok(run("config", "set", "capacity", "5"))
    assert out.startswith("capacity = 5")
    today_is(monkeypatch, "2024-07-02")
    add_many(run, overdue, "--on", "2024-07-03", prefix="Late")
    today_is(monkeypatch, "2024-07-05")
    add_many(run, on_today, "--on", "today", prefix="Now")
    out = ok(run("today"))
    if over:
        assert "Over capacity" in out
        assert f"{overdue + on_today} dossiers in today's stack for 5 a day, {over} too many" in out
    else:
        assert "Over capacity" not in out
    view = data(run("today", "--json"))
    assert (view["capacity"], view["over_capacity"]) == (5, over)


def test_folder_and_agenda_mark_an_overloaded_day(run: Run) -> None:
    ok(run("config", "set", "capacity", "5"))
    add_many(run, 8, "--on", "2024-07-09")
    folder_rows = {r["TAB"]: r for r in table(ok(run("folder")), "TAB")}
    assert folder_rows["9"]["NOTE"] == "OVER by 3"
    assert "OVER" not in folder_rows["8"]["NOTE"]
    agenda_rows = {r["DAY"]: r for r in table(ok(run("agenda")), "DAY")}
    assert agenda_rows["Tue 9 Jul 2024"]["CAPACITY"] == "8/5 OVER by 3"
    assert agenda_rows["Mon 8 Jul 2024"]["CAPACITY"] == "0/5"
    days = {d["date"]: d for d in data(run("agenda", "--json"))["days"]}
    assert days["2024-07-09"]["over"] == 3


def test_folder_and_agenda_agree_with_today_on_todays_overload(
    run: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    """``today`` (and ``level``) count the overdue pile in today's stack; the folder and the
    agenda must then show the same overload on today's line, not a day within capacity."""
    ok(run("config", "set", "capacity", "5"))
    today_is(monkeypatch, "2024-07-02")
    add_many(run, 2, "--on", "2024-07-03", prefix="Late")
    today_is(monkeypatch, "2024-07-05")
    add_many(run, 4, "--on", "today", prefix="Now")
    assert "1 too many" in ok(run("today"))
    assert len(data(run("level", "--dry-run", "--json"))["moves"]) == 1  # level sees it too
    folder_today = table(ok(run("folder")), "TAB")[0]
    assert "OVER by 1" in folder_today["NOTE"], folder_today
    agenda_today = table(ok(run("agenda")), "DAY")[0]
    assert "OVER by 1" in agenda_today["CAPACITY"], agenda_today


# --- level ---------------------------------------------------------------------------


@pytest.fixture
def sixty_on_monday(run: Run, monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The issue's acceptance scenario: a Monday with 60 dossiers, capacity 30."""
    today_is(monkeypatch, "2024-07-08")
    return add_many(run, 60, "--on", "today")


def test_level_moves_exactly_the_excess_of_sixty_and_says_where_each_went(
    sixty_on_monday: list[str], run: Run
) -> None:
    out = ok(run("level"))
    assert out.splitlines()[0] == "Levelling Mon 8 Jul 2024 to 30 a day:"
    rows = plan_rows(out)
    assert len(rows) == 30
    assert all(r[2] == "Mon 8 Jul 2024" and r[3] == "Tue 9 Jul 2024" for r in rows)
    moved = [r[1] for r in rows]
    assert len(set(moved)) == 30
    assert set(moved) <= set(sixty_on_monday)
    assert out.strip().splitlines()[-1] == "Moved 30 dossiers."
    assert sorted(day_names(run, "2024-07-09")) == sorted(moved)
    assert len(day_names(run, "2024-07-08")) == 30
    assert "Over capacity" not in ok(run("today"))


def test_level_dry_run_prints_the_same_plan_and_changes_nothing(
    sixty_on_monday: list[str], run: Run, db_path: Path
) -> None:
    before = dump(db_path)
    dry = ok(run("level", "--dry-run"))
    assert dump(db_path) == before
    assert dry.strip().splitlines()[-1] == "Dry run: would move 30 dossiers; nothing was changed."
    assert len(day_names(run, "2024-07-08")) == 60
    data_dry = data(run("level", "--dry-run", "--json"))
    assert data_dry["applied"] is False
    assert dump(db_path) == before
    applied = ok(run("level"))
    assert plan_rows(applied) == plan_rows(dry)
    assert len(plan_rows(dry)) == 30


def test_level_fills_the_next_working_days_that_have_room(
    sixty_on_monday: list[str], run: Run
) -> None:
    add_many(run, 25, "--on", "2024-07-09", prefix="Tuesday")
    plan = data(run("level", "--json"))
    targets = Counter(m["to"] for m in plan["moves"])
    assert targets == {"2024-07-09": 5, "2024-07-10": 25}
    assert len(day_names(run, "2024-07-09")) == 30
    assert len(day_names(run, "2024-07-10")) == 25


@pytest.mark.parametrize(
    ("today", "setup", "targets"),
    [
        # a Friday: the weekend is skipped
        ("2024-07-05", [], ["2024-07-08", "2024-07-09"]),
        # a day off on the Monday as well
        ("2024-07-05", [("off", "2024-07-08")], ["2024-07-09", "2024-07-10"]),
        # a public holiday (Assumption Day, a Thursday) in Spain
        ("2024-08-14", [("config", "set", "country", "ES")], ["2024-08-16", "2024-08-19"]),
        # Saturday as a working day
        (
            "2024-07-05",
            [("config", "set", "workdays", "mon,tue,wed,thu,fri,sat")],
            ["2024-07-06", "2024-07-08"],
        ),
    ],
)
def test_level_only_moves_onto_working_days(
    run: Run,
    monkeypatch: pytest.MonkeyPatch,
    today: str,
    setup: list[tuple[str, ...]],
    targets: list[str],
) -> None:
    today_is(monkeypatch, today)
    ok(run("config", "set", "capacity", "1"))
    for command in setup:
        ok(run(*command))
    add_many(run, 3, "--on", "today")
    plan = data(run("level", "--json"))
    assert sorted(m["to"] for m in plan["moves"]) == targets
    assert all(m["from"] == today for m in plan["moves"])
    assert plan["stuck"] == []


def test_level_never_moves_a_dossier_with_a_fixed_time(run: Run) -> None:
    ok(run("config", "set", "capacity", "1"))
    add(run, "Early Meeting", "--on", "2024-07-08", "--at", "09:00")
    add(run, "Late Meeting", "--on", "2024-07-08", "--at", "16:00")
    add(run, "Plain Call", "--on", "2024-07-08")
    out = ok(run("level", "8"))
    assert [r[1] for r in plan_rows(out)] == ["Plain Call"]
    assert sorted(day_names(run, "2024-07-08")) == ["Early Meeting", "Late Meeting"]
    assert filed(run, "Early Meeting") == {
        "due": "2024-07-08",
        "month": None,
        "at": "09:00",
        "for": None,
    }


def test_level_does_not_claim_a_day_within_capacity_when_only_meetings_overload_it(
    run: Run,
) -> None:
    ok(run("config", "set", "capacity", "1"))
    add(run, "Early Meeting", "--on", "2024-07-08", "--at", "09:00")
    add(run, "Late Meeting", "--on", "2024-07-08", "--at", "16:00")
    assert "OVER by 1" in table(ok(run("folder")), "TAB")[3]["NOTE"]
    out = ok(run("level", "8"))
    assert "no day over 1" not in out, out
    assert sorted(day_names(run, "2024-07-08")) == ["Early Meeting", "Late Meeting"]


def test_level_moves_new_clients_before_repeat_ones(
    run: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    today_is(monkeypatch, "2024-07-01")
    add(run, "New One", "--on", "2024-07-08")
    add(run, "New Two", "--on", "2024-07-08")
    today_is(monkeypatch, "2024-07-03")  # the repeat ones are filed more recently
    repeat_client(run, "Repeat One", "--on", "2024-07-08")
    repeat_client(run, "Repeat Two", "--on", "2024-07-08")
    today_is(monkeypatch, "2024-07-08")
    plan = data(run("level", "--capacity", "2", "--json"))
    assert sorted(m["name"] for m in plan["moves"]) == ["New One", "New Two"]
    assert sorted(day_names(run, "2024-07-08")) == ["Repeat One", "Repeat Two"]


def test_level_then_moves_the_most_recently_filed(
    run: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    today_is(monkeypatch, "2024-07-01")
    for name in ("Pia", "Quinn", "Rosa"):
        add(run, name, "--on", "2024-07-08")
    today_is(monkeypatch, "2024-07-03")
    ok(run("file", "Pia", "--on", "2024-07-08"))  # refiled: the most recently filed
    today_is(monkeypatch, "2024-07-08")
    out = ok(run("level", "--capacity", "2"))
    assert [r[1] for r in plan_rows(out)] == ["Pia"]
    assert due(run, "Pia") == "2024-07-09"


def test_level_counts_the_overdue_pile_in_todays_stack_and_keeps_it(
    run: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    today_is(monkeypatch, "2024-07-03")
    add(run, "Left Behind", "--on", "2024-07-04")
    today_is(monkeypatch, "2024-07-05")
    add(run, "Due Today", "--on", "today")
    plan = data(run("level", "--capacity", "1", "--json"))
    assert [(m["name"], m["from"], m["to"]) for m in plan["moves"]] == [
        ("Due Today", "2024-07-05", "2024-07-08")
    ]
    assert due(run, "Left Behind") == "2024-07-04"


@pytest.fixture
def overloaded_days(run: Run) -> None:
    """Capacity 1; two dossiers on Mon 8, Wed 10 and Fri 19 July."""
    ok(run("config", "set", "capacity", "1"))
    for day in ("2024-07-08", "2024-07-10", "2024-07-19"):
        add_many(run, 2, "--on", day, prefix=f"Day {day[-2:]}")


def test_level_another_day(overloaded_days: None, run: Run) -> None:
    out = ok(run("level", "2024-07-10"))
    assert out.splitlines()[0] == "Levelling Wed 10 Jul 2024 to 1 a day:"
    rows = plan_rows(out)
    assert [(r[2], r[3]) for r in rows] == [("Wed 10 Jul 2024", "Thu 11 Jul 2024")]
    assert len(day_names(run, "2024-07-08")) == 2
    assert len(day_names(run, "2024-07-10")) == 1


@pytest.mark.parametrize(
    ("days", "moves"),
    [
        ("3", []),
        ("4", [("2024-07-08", "2024-07-09")]),
        (
            "15",
            [
                ("2024-07-08", "2024-07-09"),
                ("2024-07-10", "2024-07-11"),
                ("2024-07-19", "2024-07-22"),
            ],
        ),
    ],
)
def test_level_days_levels_a_range(
    overloaded_days: None, run: Run, days: str, moves: list[tuple[str, str]]
) -> None:
    plan = data(run("level", "--days", days, "--json"))
    assert plan["applied"] is True
    assert [(m["from"], m["to"]) for m in plan["moves"]] == moves
    loads = {d["date"]: d["count"] for d in data(run("agenda", "--days", "30", "--json"))["days"]}
    levelled = days_from("2024-07-05", int(days))
    assert all(loads[d] <= 1 for d in levelled)


def test_level_days_prints_nothing_to_level_when_no_day_is_over(
    overloaded_days: None, run: Run, db_path: Path
) -> None:
    before = dump(db_path)
    out = ok(run("level", "--days", "3"))
    assert (
        out.strip() == "Nothing to level: no day over 1 from Fri 5 Jul 2024 and the 2 days after."
    )
    assert dump(db_path) == before


def test_level_capacity_option_overrides_the_setting(run: Run) -> None:
    add_many(run, 4, "--on", "2024-07-08")
    out = ok(run("level", "8", "--capacity", "2"))
    assert out.splitlines()[0] == "Levelling Mon 8 Jul 2024 to 2 a day:"
    assert [r[3] for r in plan_rows(out)] == ["Tue 9 Jul 2024"] * 2
    assert data(run("config", "--json"))["settings"]["capacity"]["from"] == "default"
    assert "Nothing to level: no day over 30" in ok(run("level", "8"))


def test_level_json_shape(run: Run) -> None:
    add(run, "Stays", "--on", "2024-07-05")
    add(run, "Goes", "--on", "2024-07-05")
    plan = data(run("level", "--capacity", "1", "--json"))
    assert set(plan) >= PLAN_KEYS  # extra keys are allowed
    assert plan["applied"] is True
    assert plan["stuck"] == []
    assert len(plan["moves"]) == 1
    move = plan["moves"][0]
    assert set(move) == MOVE_KEYS
    assert isinstance(move["id"], int)
    assert move["name"] == "Goes"
    assert (move["from"], move["to"]) == ("2024-07-05", "2024-07-08")
    assert due(run, "Goes") == "2024-07-08"


def test_level_reports_what_could_not_be_placed(run: Run, db_path: Path) -> None:
    ok(run("config", "set", "capacity", "1"))
    ok(run("off", "2024-07-09..2024-12-31", "--note", "sabbatical"))
    add(run, "Stays", "--on", "2024-07-08")
    add(run, "Nowhere To Go", "--on", "2024-07-08")
    before = dump(db_path)
    plan = data(run("level", "8", "--dry-run", "--json"))
    assert set(plan) >= PLAN_KEYS  # extra keys are allowed
    assert plan["applied"] is False
    assert plan["moves"] == []
    assert plan["stuck"] == [{"id": 2, "name": "Nowhere To Go"}]
    out = ok(run("level", "8"))
    assert "Could not place 1 (no working day with room): Nowhere To Go (#2)" in out
    assert dump(db_path) == before


# --- move ----------------------------------------------------------------------------


def test_move_several_clients_to_a_day_reports_each(run: Run) -> None:
    add(run, "Alba", "--on", "2024-07-08")
    add(run, "Bruno", "--on", "july")
    out = ok(run("move", "Alba", "Bruno", "--on", "2024-07-10"))
    assert out.splitlines() == [
        "Moved Alba from Mon 8 Jul 2024 to Wed 10 Jul 2024",
        "Moved Bruno from not filed to Wed 10 Jul 2024",
    ]
    assert due(run, "Alba") == due(run, "Bruno") == "2024-07-10"


def test_move_keeps_a_meetings_time(run: Run) -> None:
    add(run, "Meeting", "--on", "2024-07-08", "--at", "11:00")
    ok(run("move", "Meeting", "--on", "2024-07-09"))
    assert filed(run, "Meeting") == {"due": "2024-07-09", "month": None, "at": "11:00", "for": None}


def test_move_an_unfiled_client_does_not_say_it_came_from_a_month_tab(run: Run) -> None:
    add(run, "Fresh")
    out = ok(run("move", "Fresh", "--on", "2024-07-10"))
    assert "Fresh" in out
    assert "Wed 10 Jul 2024" in out
    assert "month tab" not in out, out
    assert due(run, "Fresh") == "2024-07-10"


@pytest.fixture
def monday_stack(run: Run, monkeypatch: pytest.MonkeyPatch) -> None:
    """Mon 8 July: a repeat contact, two new clients (Nora filed last) and a meeting."""
    today_is(monkeypatch, "2024-07-01")
    repeat_client(run, "Remy", "--on", "2024-07-08")
    add(run, "Meeting", "--on", "2024-07-08", "--at", "10:00")
    add(run, "Nora", "--on", "2024-07-08")
    add(run, "Noel", "--on", "2024-07-08")
    today_is(monkeypatch, "2024-07-03")
    ok(run("file", "Nora", "--on", "2024-07-08"))
    today_is(monkeypatch, "2024-07-05")


@pytest.mark.parametrize(
    ("count", "moved"),
    [
        ("1", ["Nora"]),
        ("2", ["Nora", "Noel"]),
        ("3", ["Nora", "Noel", "Remy"]),
        (None, ["Nora", "Noel", "Remy", "Meeting"]),
    ],
)
def test_move_from_to_moves_the_least_urgent_first(
    monday_stack: None, run: Run, count: str | None, moved: list[str]
) -> None:
    args = ["move", "--from", "2024-07-08", "--to", "2024-07-10"]
    out = ok(run(*args, *(["--count", count] if count else [])))
    assert out.splitlines() == [
        f"Moved {name} from Mon 8 Jul 2024 to Wed 10 Jul 2024" for name in moved
    ]
    assert sorted(day_names(run, "2024-07-10")) == sorted(moved)
    assert len(day_names(run, "2024-07-08")) == 4 - len(moved)


def test_move_from_a_past_day_takes_yesterdays_leftovers(
    run: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    today_is(monkeypatch, "2024-07-03")
    add_many(run, 2, "--on", "2024-07-04", prefix="Leftover")
    today_is(monkeypatch, "2024-07-05")
    assert data(run("folder", "--json"))["overdue"] == 2
    out = ok(run("move", "--from", "2024-07-04", "--to", "2024-07-09"))
    assert out.splitlines() == [
        "Moved Leftover 01 from Thu 4 Jul 2024 to Tue 9 Jul 2024",
        "Moved Leftover 00 from Thu 4 Jul 2024 to Tue 9 Jul 2024",
    ]
    assert data(run("folder", "--json"))["overdue"] == 0
    assert data(run("today", "--json"))["overdue"] == []


def test_move_from_a_day_with_nothing_says_so(run: Run, db_path: Path) -> None:
    add(run, "Seed", "--on", "2024-07-08")
    before = dump(db_path)
    assert ok(run("move", "--from", "2024-07-09", "--to", "2024-07-10")) == "Nothing to move.\n"
    assert dump(db_path) == before


@pytest.mark.parametrize(
    "args",
    [
        ("move", "Seed", "--on", "+1d"),
        ("move", "--from", "2024-07-08", "--to", "+1d"),
    ],
)
def test_move_to_a_relative_day_off_rolls_to_the_next_working_day(
    run: Run, args: tuple[str, ...]
) -> None:
    add(run, "Seed", "--on", "2024-07-08")
    out = ok(run(*args))
    assert "Sat 6 Jul 2024" in out
    assert "next working day, Mon 8 Jul 2024" in out
    assert due(run, "Seed") == "2024-07-08"


# --- month tabs and spread -----------------------------------------------------------


def test_month_tab_dossier_shows_in_folder_and_in_today_from_the_first(
    run: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    today_is(monkeypatch, "2024-06-27")
    add(run, "Morgan")
    assert "the July 2024 tab" in ok(run("file", "Morgan", "--on", "july"))
    months = data(run("folder", "--json"))["months"]
    assert months[1] == {"month": "2024-07", "label": "July 2024", "dated": 0, "undated": 1}
    assert "NO DAY YET" not in ok(run("today"))
    today_is(monkeypatch, "2024-07-01")
    out = ok(run("today"))
    assert "THIS MONTH, NO DAY YET (1)" in out
    assert "Morgan" in out.split("THIS MONTH, NO DAY YET (1)")[1]
    assert [r["name"] for r in data(run("today", "--json"))["month"]] == ["Morgan"]
    today_is(monkeypatch, "2024-07-05")
    assert "THIS MONTH, NO DAY YET (1)" in ok(run("today"))
    ok(run("spread"))
    assert "NO DAY YET" not in ok(run("today"))


def test_spread_gives_each_undated_dossier_a_working_day_evenly(
    run: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    today_is(monkeypatch, "2024-07-01")
    names = add_many(run, 46, "--on", "july")
    out = ok(run("spread"))
    assert out.splitlines()[0] == (
        "Spreading the July 2024 tab over its working days, 30 a day at most:"
    )
    rows = plan_rows(out)
    assert sorted(r[1] for r in rows) == names
    assert all(r[2] == "the July 2024 tab" for r in rows)
    assert out.strip().splitlines()[-1] == "Moved 46 dossiers."
    view = data(run("tab", "july", "--json"))
    assert view["undated"] == []
    per_day = {d["date"]: d["count"] for d in view["days"]}
    assert sorted(per_day) == weekdays_of(2024, 7)  # 23 working days, no weekend
    assert set(per_day.values()) == {2}
    month = data(run("folder", "--json"))["months"][0]
    assert (month["dated"], month["undated"]) == (46, 0)


def test_spread_stays_within_capacity_and_reports_what_does_not_fit(
    run: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    today_is(monkeypatch, "2024-07-01")
    add(run, "Already Monday", "--on", "today")
    add_many(run, 24, "--on", "july")
    out = ok(run("spread", "--capacity", "1"))
    assert "30 a day" not in out
    assert "1 a day at most" in out.splitlines()[0]
    assert len(plan_rows(out)) == 22
    assert "Could not place 2" in out
    view = data(run("tab", "july", "--json"))
    assert len(view["undated"]) == 2
    assert all(d["count"] == 1 for d in view["days"])
    assert day_names(run, "2024-07-01") == ["Already Monday"]


def test_spread_defaults_to_the_current_month_from_today(run: Run) -> None:
    add_many(run, 3, "--on", "july", prefix="July")
    add(run, "August", "--on", "august")
    plan = data(run("spread", "--json"))
    assert sorted(m["name"] for m in plan["moves"]) == ["July 00", "July 01", "July 02"]
    assert [m["to"] for m in plan["moves"]] == ["2024-07-05", "2024-07-08", "2024-07-09"]
    assert all(m["from"] is None for m in plan["moves"])
    assert filed(run, "August") == {"due": None, "month": "2024-08", "at": None, "for": None}


def test_spread_dry_run_changes_nothing(run: Run, db_path: Path) -> None:
    add_many(run, 2, "--on", "august")
    before = dump(db_path)
    out = ok(run("spread", "august", "--dry-run"))
    assert out.splitlines()[0].startswith("Spreading the August 2024 tab")
    assert [r[3] for r in plan_rows(out)] == ["Thu 1 Aug 2024", "Fri 2 Aug 2024"]
    assert out.strip().splitlines()[-1] == "Dry run: would move 2 dossiers; nothing was changed."
    plan = data(run("spread", "august", "--dry-run", "--json"))
    assert plan["applied"] is False
    assert set(plan) >= PLAN_KEYS  # extra keys are allowed
    assert dump(db_path) == before
    assert data(run("folder", "--json"))["months"][1]["undated"] == 2


def test_spread_of_an_empty_month_tab_says_so(run: Run, db_path: Path) -> None:
    add(run, "Seed", "--on", "2024-07-08")
    before = dump(db_path)
    out = ok(run("spread", "september"))
    assert (
        out.strip() == "Nothing to spread: the September 2024 tab holds no dossier without a day."
    )
    assert dump(db_path) == before


def test_spread_never_uses_a_public_holiday_or_a_day_off(run: Run) -> None:
    ok(run("config", "set", "country", "ES"))
    ok(run("off", "2024-08-01..2024-08-09", "--note", "holiday"))
    working = [d for d in weekdays_of(2024, 8, since=12) if d != "2024-08-15"]
    assert len(working) == 14
    add_many(run, 14, "--on", "august")
    plan = data(run("spread", "august", "--json"))
    assert plan["stuck"] == []
    assert sorted(m["to"] for m in plan["moves"]) == working


@pytest.mark.parametrize(
    ("month", "today", "reminded"),
    [
        ("july", "2024-07-01", True),  # a Monday, the first of the month
        ("july", "2024-07-02", False),
        ("september", "2024-09-02", True),  # the 1st is a Sunday
        ("september", "2024-09-03", False),
        ("august", "2024-07-01", False),  # July's tab is empty
    ],
)
def test_today_reminds_to_spread_on_the_first_working_day_of_the_month(
    run: Run, monkeypatch: pytest.MonkeyPatch, month: str, today: str, reminded: bool
) -> None:
    today_is(monkeypatch, "2024-06-28")
    add(run, "Undated", "--on", month)
    today_is(monkeypatch, today)
    out = ok(run("today"))
    hint = [line for line in out.splitlines() if "First working day of the month" in line]
    if reminded:
        assert len(hint) == 1, out
        assert "1 dossier with no day" in hint[0]
        assert "dossier spread" in hint[0]
    else:
        assert hint == [], out


def test_today_reminds_to_spread_after_a_new_years_day_holiday(
    run: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    ok(run("config", "set", "country", "ES"))
    today_is(monkeypatch, "2024-12-20")
    add_many(run, 2, "--on", "january")
    today_is(monkeypatch, "2025-01-01")
    assert "First working day" not in ok(run("today"))
    today_is(monkeypatch, "2025-01-02")
    out = ok(run("today"))
    assert "the January 2025 tab still holds 2 dossiers with no day" in out


# --- working days and days off -------------------------------------------------------


def test_saturday_can_be_made_a_working_day(run: Run) -> None:
    out = ok(run("config", "set", "workdays", "mon,tue,wed,thu,fri,sat"))
    assert out.startswith("workdays = mon,tue,wed,thu,fri,sat")
    rows = {r["TAB"]: r for r in table(ok(run("folder")), "TAB")}
    assert "day off" not in rows["6"]["NOTE"]
    assert "Sunday" in rows["7"]["NOTE"]
    add(run, "Weekend")
    out = ok(run("file", "Weekend", "--on", "+1d"))
    assert "Sat 6 Jul 2024" in out
    assert "next working day" not in out
    assert due(run, "Weekend") == "2024-07-06"


@pytest.mark.parametrize(
    ("settings", "expected", "said"),
    [
        ([], "2024-07-25", None),
        ([("country", "ES")], "2024-07-25", None),
        ([("country", "ES"), ("subdivision", "MD")], "2024-07-26", "Saint James"),
    ],
)
def test_country_and_subdivision_holidays(
    run: Run, settings: list[tuple[str, str]], expected: str, said: str | None
) -> None:
    for key, value in settings:
        assert ok(run("config", "set", key, value)).startswith(f"{key} = {value}")
    shown = data(run("config", "--json"))["settings"]
    for key, value in settings:
        assert shown[key]["value"] == value
        assert shown[key]["from"] != "default"
    add(run, "Santiago")
    out = ok(run("file", "Santiago", "--on", "jul 25"))
    assert due(run, "Santiago") == expected
    if said:
        assert said in out
        assert "next working day, Fri 26 Jul 2024" in out
    else:
        assert "working day" not in out


def test_days_off_are_added_listed_and_removed(run: Run) -> None:
    add(run, "Seed", "--on", "2024-07-08")
    out = ok(run("off", "2024-08-01..2024-08-15", "--note", "holiday"))
    assert out.strip() == "Day off: Thu 1 Aug 2024 to Thu 15 Aug 2024 (holiday)"
    for args in (("off",), ("off", "--list")):
        rows = table(ok(run(*args)), "ID")
        assert [(r["FROM"], r["TO"], r["NOTE"]) for r in rows] == [
            ("2024-08-01", "2024-08-15", "holiday")
        ]
    folder_rows = {r["TAB"]: r for r in table(ok(run("folder")), "TAB")}
    assert "your day off (holiday)" in folder_rows["1"]["NOTE"]
    out = ok(run("off", "--remove", "2024-08-01..2024-08-15"))
    assert out.strip() == "Removed day off: Thu 1 Aug 2024 to Thu 15 Aug 2024 (holiday)"
    assert "No days off planned" in ok(run("off"))
    folder_rows = {r["TAB"]: r for r in table(ok(run("folder")), "TAB")}
    assert "day off" not in folder_rows["1"]["NOTE"]


def test_a_day_off_over_filed_dossiers_says_how_many(run: Run) -> None:
    add_many(run, 2, "--on", "2024-08-05")
    out = ok(run("off", "2024-08-01..2024-08-15"))
    assert "2 dossiers are filed on those days" in out
    assert len(day_names(run, "2024-08-05")) == 2


@pytest.mark.parametrize(
    ("today", "setup", "when", "landed", "off_day", "next_day"),
    [
        ("2024-07-05", [], "+1d", "2024-07-08", "Sat 6 Jul 2024", "Mon 8 Jul 2024"),
        ("2024-07-05", [], "+3d", "2024-07-08", "Mon 8 Jul 2024", None),
        (
            "2024-07-05",
            [("off", "2024-07-19")],
            "+2w",
            "2024-07-22",
            "Fri 19 Jul 2024",
            "Mon 22 Jul 2024",
        ),
        (
            "2024-07-15",
            [("config", "set", "country", "ES")],
            "+1m",
            "2024-08-16",
            "Thu 15 Aug 2024",
            "Fri 16 Aug 2024",
        ),
        ("2024-07-05", [], "6", "2024-07-08", "Sat 6 Jul 2024", "Mon 8 Jul 2024"),
        ("2024-07-05", [], "13", "2024-07-15", "Sat 13 Jul 2024", "Mon 15 Jul 2024"),
        ("2024-07-05", [], "jul 13", "2024-07-15", "Sat 13 Jul 2024", "Mon 15 Jul 2024"),
        ("2024-07-05", [], "13 july", "2024-07-15", "Sat 13 Jul 2024", "Mon 15 Jul 2024"),
        ("2024-07-05", [], "saturday", "2024-07-08", "Sat 6 Jul 2024", "Mon 8 Jul 2024"),
        (
            "2024-07-05",
            [("off", "2024-07-08..2024-07-09", "--note", "trip")],
            "monday",
            "2024-07-10",
            "Mon 8 Jul 2024",
            "Wed 10 Jul 2024",
        ),
        (
            "2024-07-05",
            [("config", "set", "country", "ES")],
            "aug 15",
            "2024-08-16",
            "Thu 15 Aug 2024",
            "Fri 16 Aug 2024",
        ),
    ],
)
def test_relative_forms_on_a_day_off_roll_to_the_next_working_day(
    run: Run,
    monkeypatch: pytest.MonkeyPatch,
    today: str,
    setup: list[tuple[str, ...]],
    when: str,
    landed: str,
    off_day: str,
    next_day: str | None,
) -> None:
    today_is(monkeypatch, today)
    for command in setup:
        ok(run(*command))
    add(run, "Roller")
    out = ok(run("file", "Roller", "--on", when))
    assert due(run, "Roller") == landed
    if next_day is None:  # a working day already: nothing to say
        assert "working day" not in out
        assert off_day in out
    else:
        notice = [line for line in out.splitlines() if "next working day" in line]
        assert len(notice) == 1, out
        assert notice[0].startswith(off_day)
        assert notice[0].endswith(next_day)


def test_add_with_a_relative_day_off_rolls_too(run: Run) -> None:
    out = ok(run("add", "Newcomer", "--on", "+1d"))
    assert "next working day, Mon 8 Jul 2024" in out
    assert due(run, "Newcomer") == "2024-07-08"


def test_tomorrow_on_a_friday_rolls_like_the_other_relative_forms(run: Run) -> None:
    """'tomorrow' is a relative form, not an explicit ISO date: from a Friday it lands on
    Saturday and should roll to Monday, as '+1d' does."""
    add(run, "Roller")
    out = ok(run("file", "Roller", "--on", "tomorrow"))
    assert due(run, "Roller") == "2024-07-08", out
    assert "next working day, Mon 8 Jul 2024" in out


@pytest.mark.parametrize(
    ("setup", "when", "reason"),
    [
        ([], "2024-07-06", "Saturday"),
        ([], "2024-07-07", "Sunday"),
        ([("config", "set", "country", "ES")], "2024-08-15", "public holiday (Assumption Day)"),
        ([("off", "2024-07-08", "--note", "dentist")], "2024-07-08", "your day off (dentist)"),
    ],
)
def test_an_explicit_iso_date_on_a_day_off_is_kept_with_a_warning(
    run: Run, setup: list[tuple[str, ...]], when: str, reason: str
) -> None:
    for command in setup:
        ok(run(*command))
    add(run, "Keeper")
    out = ok(run("file", "Keeper", "--on", when))
    assert due(run, "Keeper") == when
    warning = [line for line in out.splitlines() if reason in line]
    assert len(warning) == 1, out
    assert "next working day" not in out
    moved = ok(run("move", "Keeper", "--on", when))
    assert reason in moved
    assert due(run, "Keeper") == when


# --- refusals ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "args",
    [
        ("folder", "--bogus"),
        ("folder", "extra"),
        ("tab",),
        ("tab", "32"),
        ("tab", "0"),
        ("tab", "bogus"),
        ("tab", "2024-06"),
        ("tab", "2024-07-01"),
        ("agenda", "--days", "0"),
        ("level", "--days", "0"),
        ("level", "--days", "367"),
        ("level", "--capacity", "0"),
        ("level", "2024-07-01"),
        ("level", "july"),
        ("level", "bogus"),
        ("level", "--dry-run", "--capacity", "x"),
        ("spread", "2024-07-08"),
        ("spread", "2024-06"),
        ("spread", "bogus"),
        ("spread", "--capacity", "0"),
        ("move", "Seed"),
        ("move", "Seed", "--from", "2024-07-08", "--to", "2024-07-09"),
        ("move", "Seed", "--on", "2024-07-09", "--from", "2024-07-08"),
        ("move",),
        ("move", "--from", "2024-07-08"),
        ("move", "--to", "2024-07-09"),
        ("move", "Seed", "--on", "july"),
        ("move", "Seed", "--on", "2024-07-01"),
        ("move", "Seed", "--on", "bogus"),
        ("move", "--from", "july", "--to", "2024-07-09"),
        ("move", "--from", "2024-07-08", "--to", "2024-07-01"),
        ("move", "--from", "2024-07-08", "--to", "2024-07-09", "--count", "0"),
        ("off", "bogus"),
        ("off", "2024-08-15..2024-08-01"),
        ("off", "2024-07-01"),
        ("off", "2024-08-01", "--remove", "2024-08-01"),
        ("config", "set", "capacity", "0"),
        ("config", "set", "capacity", "abc"),
        ("config", "set", "capacity", "10001"),
        ("config", "set", "workdays", "funday"),
        ("config", "set", "country", "XX"),
        ("config", "set", "subdivision", "MD"),
        ("config", "set", "bogus", "1"),
        ("config", "set", "capacity"),
    ],
)
def test_usage_errors_exit_2_and_change_nothing(
    run: Run, refuse: Refuse, db_path: Path, args: tuple[str, ...]
) -> None:
    add(run, "Seed", "--on", "2024-07-08")
    assert not config_file().exists()
    refuse(*args, code=2)
    assert not config_file().exists(), "a refused command wrote the config file"


def test_subdivision_unknown_to_the_country_is_refused(run: Run, refuse: Refuse) -> None:
    add(run, "Seed", "--on", "2024-07-08")
    ok(run("config", "set", "country", "ES"))
    before = config_file().read_text()
    assert "'XX'" in refuse("config", "set", "subdivision", "XX", code=2)
    assert config_file().read_text() == before
    assert data(run("config", "--json"))["settings"]["subdivision"]["value"] is None


@pytest.mark.parametrize(
    ("args", "says"),
    [
        (("move", "Nobody", "--on", "2024-07-09"), "Nobody"),
        (("move", "Seed", "Nobody", "--on", "2024-07-09"), "Nobody"),
        (("move", "Closed", "--on", "2024-07-09"), "Closed"),
        (("off", "--remove", "2024-09-01"), "no day off"),
    ],
)
def test_other_errors_exit_1_and_change_nothing(
    run: Run, refuse: Refuse, args: tuple[str, ...], says: str
) -> None:
    add(run, "Seed", "--on", "2024-07-08")
    add(run, "Closed", "--on", "2024-07-08")
    ok(run("done", "Closed"))
    ok(run("off", "2024-08-01..2024-08-02"))
    assert says in refuse(*args, code=1)
    assert due(run, "Seed") == "2024-07-08"


def test_spread_with_no_working_day_left_in_the_month_exits_1(
    run: Run, refuse: Refuse, monkeypatch: pytest.MonkeyPatch
) -> None:
    today_is(monkeypatch, "2024-08-30")
    add(run, "Late August", "--on", "august")
    today_is(monkeypatch, "2024-08-31")  # a Saturday, the month's last day
    assert "August 2024" in refuse("spread", code=1)
    assert filed(run, "Late August") == {"due": None, "month": "2024-08", "at": None, "for": None}


@pytest.mark.parametrize(
    "args",
    [("folder",), ("folder", "--json"), ("agenda",), ("level",), ("spread",), ("tab", "8")],
)
def test_a_broken_config_file_exits_1_with_one_line(
    run: Run, refuse: Refuse, args: tuple[str, ...]
) -> None:
    add(run, "Seed", "--on", "2024-07-08")
    config = config_file()
    config.parent.mkdir(parents=True, exist_ok=True)
    config.write_text("capacity = 0\n")
    message = refuse(*args, code=1)
    assert "capacity" in message
    assert str(config) in message
