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


# --- --tag repeated means all of them ---------------------------------------------------


def _names(run: Run, *args: str) -> list[str]:
    return [r["name"] for r in json.loads(ok(run(*args, "--json")))]


@pytest.mark.parametrize(
    ("tags", "expected"),
    [
        (["madrid"], ["Ana Ruiz", "Bo Lee"]),
        (["vip"], ["Bo Lee", "Cy Diaz"]),
        (["madrid", "vip"], ["Bo Lee"]),
        (["vip", "madrid"], ["Bo Lee"]),
        (["MADRID", "vip", "vip"], ["Bo Lee"]),
        (["madrid", "vip", "paris"], []),
    ],
)
def test_list_with_several_tags_gives_clients_with_all(
    run: Run, tags: list[str], expected: list[str]
) -> None:
    ok(run("add", "Ana Ruiz", "--tag", "madrid"))
    ok(run("add", "Bo Lee", "--tag", "madrid", "--tag", "vip"))
    ok(run("add", "Cy Diaz", "--tag", "vip"))
    args = [arg for tag in tags for arg in ("--tag", tag)]
    assert _names(run, "list", *args) == expected


# --- names sort as people read them -----------------------------------------------------

ORDERED = [
    "ana Gil",
    "Igor Paz",
    "Inigo Sanz",
    "Íñigo Arana",
    "Isabel Mora",
    "Lead 2",
    "lead 3",
    "Lead 10",
    "Nuno Sá",
    "Nuñez Rey",
    "Nuo Tan",
    "Nz Ola",
    "Ñandú Bar",
    "Óscar Vidal",
    "Oscar Zapata",
]


def test_list_sorts_names_as_people_read_them(run: Run) -> None:
    for name in reversed(ORDERED):
        ok(run("add", name))
    # Óscar and Oscar fold to the same letters; the rest of the name decides.
    assert _names(run, "list") == ORDERED


def test_find_sorts_names_as_people_read_them(run: Run) -> None:
    for name in ("Lead 10", "Lead 2", "lead 3", "Lead 1"):
        ok(run("add", name))
    assert _names(run, "find", "lead") == ["Lead 1", "Lead 2", "lead 3", "Lead 10"]
    assert _names(run, "find", "le") == ["Lead 1", "Lead 2", "lead 3", "Lead 10"]


# --- today filtered by --tag and --stage ------------------------------------------------


def _seed_filtered(run: Run) -> None:
    ok(run("add", "Ana Ruiz", "--on", "today", "--tag", "madrid"))
    ok(run("add", "Bo Lee", "--on", "today", "--tag", "madrid", "--tag", "vip"))
    ok(run("add", "Cy Diaz", "--on", "today", "--tag", "vip", "--stage", "client"))
    ok(run("add", "Di Paz", "--tag", "vip"))  # filed nowhere


@pytest.mark.parametrize(
    ("args", "names", "heading", "filter_"),
    [
        ([], ["Ana Ruiz", "Bo Lee", "Cy Diaz"], "", None),
        (
            ["--tag", "madrid"],
            ["Ana Ruiz", "Bo Lee"],
            " (filtered: tag madrid)",
            {"tags": ["madrid"], "stage": None},
        ),
        (
            ["--tag", "Madrid", "--tag", "vip"],
            ["Bo Lee"],
            " (filtered: tag madrid, tag vip)",
            {"tags": ["madrid", "vip"], "stage": None},
        ),
        (
            ["--tag", "vip", "--stage", "client"],
            ["Cy Diaz"],
            " (filtered: tag vip, stage client)",
            {"tags": ["vip"], "stage": "client"},
        ),
        (
            ["--stage", "dormant"],
            [],
            " (filtered: stage dormant)",
            {"tags": [], "stage": "dormant"},
        ),
    ],
)
def test_today_filtered_shows_counts_and_says_so(
    run: Run, args: list[str], names: list[str], heading: str, filter_: object
) -> None:
    _seed_filtered(run)
    view = json.loads(ok(run("today", *args, "--json")))
    assert sorted(r["name"] for r in view["today"]) == names
    assert view["counts"]["today"] == len(names)
    assert view["filter"] == filter_
    first = ok(run("today", *args)).splitlines()[0]
    assert first.endswith(" this month without a day" + heading)
    unfiled = [r["name"] for r in view["no_next_step"]]
    assert unfiled == (["Di Paz"] if not args else [])


def test_filtered_today_over_capacity_speaks_of_the_whole_day(run: Run) -> None:
    _seed_filtered(run)
    ok(run("config", "set", "capacity", "2"))
    view = json.loads(ok(run("today", "--tag", "vip", "--stage", "client", "--json")))
    assert view["over_capacity"] == 1  # the day holds 3, of which the 1 shown
    out = ok(run("today", "--tag", "vip", "--stage", "client"))
    assert "the whole day's stack holds 3 dossiers (the 1 shown are part of it)" in out


# --- agenda filtered by --tag and --stage -----------------------------------------------


@pytest.mark.parametrize(
    ("args", "count", "heading", "filter_"),
    [
        ([], 3, None, None),
        (["--tag", "madrid"], 2, "tag madrid", {"tags": ["madrid"], "stage": None}),
        (["--tag", "madrid", "--tag", "VIP"], 1, "tag madrid, tag vip", None),
        (["--tag", "vip", "--stage", "client"], 1, "tag vip, stage client", None),
    ],
)
def test_agenda_filtered_counts_and_says_so(
    run: Run, args: list[str], count: int, heading: str | None, filter_: object
) -> None:
    _seed_filtered(run)
    view = json.loads(ok(run("agenda", "--days", "2", *args, "--json")))
    day = view["days"][0]
    assert (day["count"], day.get("day_count", 3)) == (count, 3)
    if filter_ is not None or not args:
        assert view["filter"] == filter_
    first = ok(run("agenda", "--days", "2", *args)).splitlines()[0]
    if heading is None:
        assert first.startswith("DAY ")
    else:
        assert first.startswith(f"Agenda (filtered: {heading}):")
        assert f"{count} of 3/30" in ok(run("agenda", "--days", "2", *args))


def test_filtered_agenda_is_over_capacity_with_the_whole_day(run: Run) -> None:
    _seed_filtered(run)
    ok(run("config", "set", "capacity", "2"))
    day = json.loads(ok(run("agenda", "--tag", "madrid", "--tag", "vip", "--json")))["days"][0]
    assert (day["count"], day["day_count"], day["over"]) == (1, 3, 1)


@pytest.mark.parametrize(
    ("args", "first"),
    [
        ([], "ID  NAME"),
        (["--tag", "madrid"], "2 clients (filtered: tag madrid)"),
        (["--tag", "madrid", "--tag", "vip"], "1 client (filtered: tag madrid, tag vip)"),
        (["--tag", "vip", "--stage", "Client"], "1 client (filtered: tag vip, stage client)"),
        (["--tag", "paris"], "No clients match (filtered: tag paris)."),
    ],
)
def test_list_says_when_it_is_filtered(run: Run, args: list[str], first: str) -> None:
    _seed_filtered(run)
    assert ok(run("list", *args)).splitlines()[0].startswith(first)
