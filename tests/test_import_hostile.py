"""Import files that are wrong, by accident or on purpose.

An export file may have been edited by hand, produced by another program or crafted to
break things. Whatever it holds, ``dossier import`` either imports every dossier with
every value in the form the folder uses (days ``YYYY-MM-DD``, months ``YYYY-MM``, times
``HH:MM``, timestamps ``YYYY-MM-DDTHH:MM:SS``), or refuses the whole file with one line
on stderr, exit 2, and the database exactly as it was: never a traceback, and never a
value stored that makes ``today``, ``list``, ``find`` or ``show`` crash later.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from conftest import Result, ok

Run = Callable[..., Result]
Refuse = Callable[..., str]

HUGE = 2**70  # beyond SQLite's 64-bit integers


def export_file(path: Path, *clients: dict[str, Any], raw: str | None = None) -> Path:
    """An export document holding ``clients`` (or exactly the text ``raw``)."""
    text = raw if raw is not None else json.dumps({"dossier_export": 1, "clients": clients})
    path.write_text(text, encoding="utf-8")
    return path


def card(run: Run, client: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(ok(run("show", client, "--json")))
    return data


def nothing_crashes(run: Run) -> None:
    """The everyday commands still work: nothing half-valid was stored."""
    for args in (("today",), ("list",), ("find", "x"), ("show", "Acme"), ("check",)):
        ok(run(*args))


# --------------------------------------------------------------- dates in other ISO forms


@pytest.mark.parametrize("form", ["20240705", "2024-W27-5", " 2024-07-05 "])
def test_a_day_in_another_iso_form_is_stored_as_yyyy_mm_dd(
    run: Run, tmp_path: Path, form: str
) -> None:
    ok(run("add", "Acme"))
    newco = {"name": "Newco", "filed": {"due": form, "at": "9:30", "for": "the quote"}}
    ok(run("import", str(export_file(tmp_path / "in.json", newco))))

    filed = card(run, "Newco")["filed"]
    assert filed == {"due": "2024-07-05", "month": None, "at": "09:30", "for": "the quote"}
    today = json.loads(ok(run("today", "--date", "2024-07-05", "--json")))
    assert [item["name"] for item in today["today"]] == ["Newco"]
    assert "All checks passed." in ok(run("check"))


def test_an_imported_past_day_in_basic_form_is_overdue(run: Run, tmp_path: Path) -> None:
    ok(run("add", "Acme"))
    ok(
        run(
            "import",
            str(export_file(tmp_path / "in.json", {"name": "Newco", "filed": {"due": "20240701"}})),
        )
    )

    today = json.loads(ok(run("today", "--json")))
    assert [item["name"] for item in today["overdue"]] == ["Newco"]


def test_timestamps_are_normalised(run: Run, tmp_path: Path) -> None:
    ok(run("add", "Acme"))
    newco = {
        "name": "Newco",
        "created": "2024-06-01 09:15",
        "history": [
            {"at": "2024-06-02", "kind": "note", "text": "a day only"},
            {"at": "20240603T10:30", "kind": "Call", "outcome": "Reached"},
        ],
    }
    ok(run("import", str(export_file(tmp_path / "in.json", newco))))

    shown = card(run, "Newco")
    assert shown["created"] == "2024-06-01T09:15:00"
    assert [(e["at"], e["kind"], e["outcome"], e["text"]) for e in shown["history"]] == [
        ("2024-06-03T10:30:00", "call", "reached", ""),
        ("2024-06-02T00:00:00", "note", None, "a day only"),
    ]


# --------------------------------------------------------------- values dossier refuses


def with_entry(**entry: Any) -> dict[str, Any]:
    return {"name": "Newco", "history": [{"at": "2024-06-01T10:00:00", "kind": "call", **entry}]}


def filed(**place: Any) -> dict[str, Any]:
    return {"name": "Newco", "filed": place}


BAD: dict[str, tuple[dict[str, Any], str]] = {
    # days, months and times
    "due not a date": (filed(due="2024-13-01"), "filed.due"),
    "due 30 February": (filed(due="2024-02-30"), "filed.due"),
    "due a week, no day": (filed(due="2024-W27"), "filed.due"),
    "due week 53 of 2024": (filed(due="2024-W53-1"), "filed.due"),
    "due year 0": (filed(due="0000-01-01"), "filed.due"),
    "due true": (filed(due=True), "filed.due"),
    "due a number": (filed(due=20240705), "filed.due"),
    "month banana": (filed(month="banana"), "filed.month"),
    "month 7": (filed(month="7"), "filed.month"),
    "month 2024-13": (filed(month="2024-13"), "filed.month"),
    "month 0000-01": (filed(month="0000-01"), "filed.month"),
    "month 2024-7": (filed(month="2024-7"), "filed.month"),
    "month a day": (filed(month="2024-07-05"), "filed.month"),
    "month a list": (filed(month=["2024-07"]), "filed.month"),
    "time 99:99": (filed(due="2024-07-10", at="99:99"), "filed.at"),
    "time 9:5": (filed(due="2024-07-10", at="9:5"), "filed.at"),
    "time 25:00": (filed(due="2024-07-10", at="25:00"), "filed.at"),
    "time 24:00": (filed(due="2024-07-10", at="24:00"), "filed.at"),
    "time a number": (filed(due="2024-07-10", at=930), "filed.at"),
    "time with a month only": (filed(month="2024-08", at="10:00"), "filed.at"),
    "time without any place": (filed(at="10:00"), "filed.at"),
    "purpose without any place": (filed(**{"for": "the quote"}), "filed"),
    "a day and a month": (filed(due="2024-07-10", month="2024-07"), "filed"),
    "filed a string": ({"name": "Newco", "filed": "2024-07-10"}, "filed"),
    "purpose a number": (filed(due="2024-07-10", **{"for": 5}), "filed.for"),
    # history
    "entry at garbage": (with_entry(at="last tuesday"), "history #1.at"),
    "entry at 30 February": (with_entry(at="2024-02-30T10:00:00"), "history #1.at"),
    "entry at hour 25": (with_entry(at="2024-06-01T25:00:00"), "history #1.at"),
    "entry at with a zone": (with_entry(at="2024-06-01T10:00:00+02:00"), "history #1.at"),
    "entry at a number": (with_entry(at=1717236000), "history #1.at"),
    "entry kind a number": (with_entry(kind=3), "history #1.kind"),
    "entry outcome unknown": (with_entry(outcome="maybe"), "history #1.outcome"),
    "entry text a number": (with_entry(text=5), "history #1.text"),
    "entry text a list": (with_entry(text=["a"]), "history #1.text"),
    "history an object": ({"name": "Newco", "history": {"at": "2024-06-01"}}, "history"),
    "entry a string": ({"name": "Newco", "history": ["called"]}, "history #1"),
    # stamps
    "created garbage": ({"name": "Newco", "created": "yesterday"}, "created"),
    "created a number": ({"name": "Newco", "created": 2024}, "created"),
    "archived_at garbage": (
        {"name": "Newco", "archived": True, "archived_at": "soon"},
        "archived_at",
    ),
    # wrong types for the card
    "name a number": ({"name": 42}, "name"),
    "name a list": ({"name": ["Newco"]}, "name"),
    "name an object": ({"name": {"first": "New"}}, "name"),
    "name empty": ({"name": "  "}, "name"),
    "name null": ({"name": None, "company": "Nameless"}, "name"),
    "company a number": ({"name": "Newco", "company": 5}, "company"),
    "company a list": ({"name": "Newco", "company": []}, "company"),
    "position true": ({"name": "Newco", "position": True}, "position"),
    "email an object": ({"name": "Newco", "email": {}}, "email"),
    "phones a string": ({"name": "Newco", "phones": "555 0111"}, "phones"),
    "phones a number in the list": ({"name": "Newco", "phones": [5550111]}, "phones #1"),
    "phone a number": ({"name": "Newco", "phone": 5550111}, "phone"),
    "stage a number": ({"name": "Newco", "stage": 3}, "stage"),
    "stage unknown": ({"name": "Newco", "stage": "boss"}, "stage"),
    "tags a string": ({"name": "Newco", "tags": "vip"}, "tags"),
    "tag an object": ({"name": "Newco", "tags": [{"vip": True}]}, "tags #1"),
    "tag a number": ({"name": "Newco", "tags": [1]}, "tags #1"),
    "fields a list": ({"name": "Newco", "fields": ["budget"]}, "fields"),
    "field value a number": ({"name": "Newco", "fields": {"budget": 12000}}, "fields.budget"),
    "field value null": ({"name": "Newco", "fields": {"budget": None}}, "fields.budget"),
    "field key empty": ({"name": "Newco", "fields": {" ": "x"}}, "fields"),
    "field key twice": ({"name": "Newco", "fields": {"a": "1", " a": "2"}}, "fields"),
    "archived a string": ({"name": "Newco", "archived": "yes"}, "archived"),
    "archived 1": ({"name": "Newco", "archived": 1}, "archived"),
    "archive_reason a number": (
        {"name": "Newco", "archived": True, "archive_reason": 5},
        "archive_reason",
    ),
    # contradictions
    "archived and filed": (
        {"name": "Newco", "archived": True, "filed": {"due": "2024-07-10"}},
        "filed",
    ),
    "not archived with archived_at": (
        {"name": "Newco", "archived": False, "archived_at": "2024-06-01T10:00:00"},
        "archived_at",
    ),
    "a reason but not archived": ({"name": "Newco", "archive_reason": "closed"}, "archive_reason"),
    # integers beyond SQLite's range
    "huge name": ({"name": HUGE}, "name"),
    "huge phone": ({"name": "Newco", "phones": [HUGE]}, "phones #1"),
    "huge tag": ({"name": "Newco", "tags": [HUGE]}, "tags #1"),
    "huge field": ({"name": "Newco", "fields": {"budget": HUGE}}, "fields.budget"),
    "huge due": (filed(due=HUGE), "filed.due"),
    "huge month": (filed(month=HUGE), "filed.month"),
    "huge entry at": (with_entry(at=HUGE), "history #1.at"),
    "huge entry text": (with_entry(text=HUGE), "history #1.text"),
    "huge created": ({"name": "Newco", "created": HUGE}, "created"),
    "huge archived": ({"name": "Newco", "archived": HUGE}, "archived"),
    "huge stage": ({"name": "Newco", "stage": HUGE}, "stage"),
    # text SQLite cannot store
    "surrogate in name": ({"name": "New\ud800co"}, "name"),
    "surrogate in company": ({"name": "Newco", "company": "\udfff"}, "company"),
    "surrogate in text": (with_entry(text="called \ud83d"), "history #1.text"),
    "surrogate in tag": ({"name": "Newco", "tags": ["v\udc80ip"]}, "tags #1"),
    "surrogate in field key": ({"name": "Newco", "fields": {"bud\ud800get": "x"}}, "fields"),
    "surrogate in field value": ({"name": "Newco", "fields": {"budget": "\ud800"}}, "fields"),
    "surrogate in phone": ({"name": "Newco", "phones": ["555\ud800"]}, "phones #1"),
    "surrogate in purpose": (filed(due="2024-07-10", **{"for": "\ud800"}), "filed.for"),
    "NUL in name": ({"name": "New\x00co"}, "name"),
    "NUL in text": (with_entry(text="a\x00b"), "history #1.text"),
}


@pytest.mark.parametrize("what", list(BAD))
def test_a_value_dossier_refuses_is_refused_in_one_line(
    run: Run, refuse: Refuse, tmp_path: Path, what: str
) -> None:
    client, key = BAD[what]
    ok(run("add", "Acme"))
    good = {"name": "Goodco", "filed": {"due": "2024-07-10"}}
    bad = export_file(tmp_path / "bad.json", good, client)

    line = refuse("import", str(bad), code=2)

    assert "client 2" in line, line
    assert key in line, line
    assert "nothing was imported" in line, line
    nothing_crashes(run)


def test_the_first_few_problems_are_named_with_how_many_there_are(
    run: Run, refuse: Refuse, tmp_path: Path
) -> None:
    ok(run("add", "Acme"))
    clients = [{"name": f"Bad {i}", "filed": {"month": "banana"}} for i in range(1, 8)]
    line = refuse("import", str(export_file(tmp_path / "bad.json", *clients)), code=2)

    assert "7 problems" in line, line
    assert "client 1 ('Bad 1')" in line and "client 3 ('Bad 3')" in line, line
    assert "Bad 4" not in line, line


def test_a_huge_value_in_the_shown_problem_is_cut_short(
    run: Run, refuse: Refuse, tmp_path: Path
) -> None:
    ok(run("add", "Acme"))
    line = refuse(
        "import", str(export_file(tmp_path / "bad.json", filed(due="9" * 100_000))), code=2
    )
    assert len(line) < 400, line


# --------------------------------------------------------------- hostile documents


def nested(kind: str, depth: int) -> str:
    return "[" * depth + "]" * depth if kind == "lists" else '{"a":' * depth + "1" + "}" * depth


@pytest.mark.parametrize("kind", ["lists", "objects"])
@pytest.mark.parametrize("where", ["the document", "a client", "an unknown key"])
def test_deep_nesting_is_refused_in_one_line(
    run: Run, refuse: Refuse, tmp_path: Path, kind: str, where: str
) -> None:
    ok(run("add", "Acme"))
    deep = nested(kind, 100_000)
    raw = {
        "the document": deep,
        "a client": '{"dossier_export": 1, "clients": [' + deep + "]}",
        "an unknown key": '{"dossier_export": 1, "clients": [{"name": "N", "x": ' + deep + "}]}",
    }[where]

    line = refuse("import", str(export_file(tmp_path / "deep.json", raw=raw)), code=2)

    assert "nested too deeply" in line, line
    nothing_crashes(run)


HOSTILE_DOCUMENTS = {
    "marker true": '{"dossier_export": true, "clients": []}',
    "marker 1.0": '{"dossier_export": 1.0, "clients": []}',
    "marker huge": '{"dossier_export": ' + str(HUGE) + ', "clients": []}',
    "a number of 5000 digits": '{"dossier_export": 1, "clients": [{"name": "N", "id": '
    + "9" * 5000
    + "}]}",
    "clients null": '{"dossier_export": 1, "clients": null}',
}


@pytest.mark.parametrize("what", list(HOSTILE_DOCUMENTS))
def test_a_document_that_is_not_an_export_is_refused(
    run: Run, refuse: Refuse, tmp_path: Path, what: str
) -> None:
    ok(run("add", "Acme"))
    path = export_file(tmp_path / "bad.json", raw=HOSTILE_DOCUMENTS[what])
    line = refuse("import", str(path), code=2)
    assert "bad.json" in line, line
    nothing_crashes(run)


def test_what_a_later_version_adds_is_ignored(run: Run, tmp_path: Path) -> None:
    """Ids are given anew and unknown keys are extra keys of a later version, so neither
    can break an import, however big or odd."""
    ok(run("add", "Acme"))
    newco = {"id": HUGE, "name": "Newco", "updated": HUGE, "mood": {"x": [HUGE, None]}}
    ok(run("import", str(export_file(tmp_path / "in.json", newco))))

    shown = card(run, "Newco")
    assert shown["id"] == 2
    assert shown["updated"] != HUGE
    nothing_crashes(run)


# --------------------------------------------------------------- what is kept as data


def test_control_characters_are_data_and_survive_a_round_trip(
    run: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Escapes, bidi overrides and newlines are kept as typed (the renderers show them
    escaped); with archived, timed, month-tab and unfiled cards, every kind of value."""
    ok(run("add", "Acme"))
    clients = [
        {
            "name": "Evil\x1b[31m Corp",
            "company": "\u202eLtd",
            "phones": ["+1 555 0111", "+1 555 0112"],
            "email": "a@b.test",
            "position": "CEO",
            "stage": "negotiation",
            "tags": ["vip", "été"],
            "fields": {"budget": "12k", "note\x07": "line one\nline two"},
            "filed": {"due": "2024-07-10", "at": "14:00", "for": "the\tquote"},
            "created": "2024-06-01T09:00:00",
            "history": [
                {"at": "2024-06-02T10:00:00", "kind": "call", "outcome": "reached", "text": "a\rb"},
                {"at": "2024-06-01T10:00:00", "kind": "note", "outcome": None, "text": ""},
            ],
        },
        {"name": "Monthly", "filed": {"month": "2024-09"}},
        {
            "name": "Done",
            "archived": True,
            "archived_at": "2024-06-03T08:00:00",
            "archive_reason": "deal closed",
        },
        {"name": "Loose"},
    ]
    ok(run("import", str(export_file(tmp_path / "in.json", *clients))))
    handover = tmp_path / "handover.json"
    ok(run("export", "-o", str(handover)))
    originals = json.loads(handover.read_text(encoding="utf-8"))["clients"]
    assert originals[1]["name"] == "Evil\x1b[31m Corp"
    assert originals[1]["fields"]["note\x07"] == "line one\nline two"
    assert originals[3]["archived"] and originals[3]["archive_reason"] == "deal closed"

    monkeypatch.setenv("DOSSIER_DB", str(tmp_path / "colleague" / "dossier.db"))
    ok(run("import", str(handover)))

    def comparable(data: dict[str, Any]) -> dict[str, Any]:
        return {k: v for k, v in data.items() if k not in ("id", "updated")}

    copies = json.loads(ok(run("export")))["clients"]
    assert [comparable(c) for c in copies] == [comparable(c) for c in originals]
    assert "All checks passed." in ok(run("check"))
    nothing_crashes(run)
