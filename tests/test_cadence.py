"""Cadence (``--every``): a contact files the client's next one a step later.

"Today" is Friday 5 July 2024 (conftest). Everything runs through the command line on a
real database; the date rules are also checked table-driven on the pure domain module.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest
from dateutil.relativedelta import relativedelta

from conftest import Run, ok
from dossier.domain import cadence
from dossier.domain.errors import UsageError


def due(run: Run, who: str) -> str | None:
    card = json.loads(ok(run("show", who, "--json")))
    filed = card["filed"]
    return filed["due"] if filed else None


def every(run: Run, who: str) -> str | None:
    value: str | None = json.loads(ok(run("show", who, "--json")))["every"]
    return value


@pytest.mark.parametrize(
    ("start", "step", "expected"),
    [
        ("2024-07-05", "3w", "2024-07-26"),
        ("2024-07-05", "10d", "2024-07-15"),
        ("2024-01-31", "1m", "2024-02-29"),  # the month is short: its last day
        ("2024-01-31", "2m", "2024-03-31"),  # counted from Jan 31, not from Feb 29
        ("2023-01-31", "1m", "2023-02-28"),
        ("2024-02-29", "1y", "2025-02-28"),
        ("2024-11-30", "3m", "2025-02-28"),
        ("2024-12-15", "1m", "2025-01-15"),
        ("2024-07-05", "6W", "2024-08-16"),
    ],
)
def test_one_step_after_a_day(start: str, step: str, expected: str) -> None:
    parsed = cadence.parse(step)
    assert parsed is not None
    assert parsed.after(date.fromisoformat(start)) == date.fromisoformat(expected)


@pytest.mark.parametrize("months", range(1, 40))
@pytest.mark.parametrize("start", ["2024-01-31", "2024-03-30", "2023-08-29", "2024-02-29"])
def test_month_steps_agree_with_relativedelta(start: str, months: int) -> None:
    day = date.fromisoformat(start)
    assert cadence.Cadence(months, "m").after(day) == day + relativedelta(months=months)


@pytest.mark.parametrize(
    ("typed", "stored"), [("3w", "3w"), (" 2M ", "2m"), ("10d", "10d"), ("1y", "1y")]
)
def test_parse_normalises(typed: str, stored: str) -> None:
    assert str(cadence.parse(typed)) == stored


@pytest.mark.parametrize("typed", ["", "3", "w", "0w", "3x", "-1w", "1.5m", "11y", "3 weeks"])
def test_parse_refuses(typed: str) -> None:
    with pytest.raises(UsageError):
        cadence.parse(typed)


def test_none_is_no_cadence() -> None:
    assert cadence.parse("None") is None


def test_add_and_edit_set_and_clear_the_cadence(run: Run) -> None:
    ok(run("add", "Ana Lima", "--every", "3W"))
    assert every(run, "ana") == "3w"
    ok(run("edit", "ana", "--every", "2m"))
    assert every(run, "ana") == "2m"
    ok(run("edit", "ana", "--every", "none"))
    assert every(run, "ana") is None


def test_bad_every_is_refused_and_changes_nothing(run: Run, refuse: Callable[..., str]) -> None:
    ok(run("add", "Ana Lima", "--every", "3w"))
    message = refuse("edit", "ana", "--every", "3x", code=2)
    assert "--every '3x'" in message
    refuse("add", "Bo Diaz", "--every", "0d", code=2)


def test_a_logged_call_files_the_next_one_a_step_later(run: Run) -> None:
    ok(run("add", "Ana Lima", "--every", "3w"))
    out = ok(run("log", "ana", "Called about the order", "--kind", "call"))
    assert "Filed on Fri 26 Jul 2024 (every 3w)" in out
    assert due(run, "ana") == "2024-07-26"


def test_a_note_does_not_move_the_dossier(run: Run) -> None:
    ok(run("add", "Ana Lima", "--every", "3w", "--on", "2024-07-10"))
    out = ok(run("log", "ana", "Thinking of her"))
    assert "every" not in out
    assert due(run, "ana") == "2024-07-10"


def test_without_a_cadence_log_leaves_the_place(run: Run) -> None:
    ok(run("add", "Ana Lima", "--on", "2024-07-10"))
    ok(run("log", "ana", "Called", "--kind", "call"))
    assert due(run, "ana") == "2024-07-10"


def test_month_steps_count_from_the_contact_day(run: Run) -> None:
    ok(run("add", "Ana Lima", "--every", "1m"))
    ok(run("log", "ana", "Called", "--kind", "call", "--date", "2024-01-31"))
    assert due(run, "ana") == "2024-02-29"
    ok(run("edit", "ana", "--every", "2m"))
    ok(run("log", "ana", "Called again", "--kind", "visit", "--date", "2024-01-31"))
    assert due(run, "ana") == "2024-04-01"  # Sun 31 Mar 2024 rolls on to Monday


def test_a_late_logged_older_call_does_not_pull_the_date_back(run: Run) -> None:
    ok(run("add", "Ana Lima", "--every", "3w"))
    ok(run("log", "ana", "Called", "--kind", "call"))
    ok(run("log", "ana", "Met last month", "--kind", "meeting", "--date", "2024-06-03"))
    assert due(run, "ana") == "2024-07-26"


def test_a_step_landing_on_a_weekend_or_day_off_rolls_on(run: Run) -> None:
    ok(run("add", "Ana Lima", "--every", "8d"))  # Fri 5 Jul + 8d = Sat 13 Jul
    out = ok(run("log", "ana", "Called", "--kind", "call"))
    assert due(run, "ana") == "2024-07-15"
    assert "moved to the next working day" in out
    ok(run("off", "2024-07-15"))
    ok(run("log", "ana", "Called again", "--kind", "email"))
    assert due(run, "ana") == "2024-07-16"


def test_file_without_on_uses_the_cadence(run: Run) -> None:
    ok(run("add", "Ana Lima", "--every", "3w"))
    out = ok(run("file", "ana", "-m", "Good call", "--for", "the proposal"))
    assert "Filed on Fri 26 Jul 2024 (every 3w)" in out
    card = json.loads(ok(run("show", "ana", "--json")))
    assert card["filed"] == {"due": "2024-07-26", "month": None, "at": None, "for": "the proposal"}
    assert card["last_contact"]["kind"] == "call"


def test_file_with_a_past_date_counts_from_it(run: Run) -> None:
    ok(run("add", "Ana Lima", "--every", "2w"))
    ok(run("file", "ana", "-m", "Called Monday", "--date", "2024-07-01"))
    assert due(run, "ana") == "2024-07-15"


def test_on_always_wins(run: Run) -> None:
    ok(run("add", "Ana Lima", "--every", "3w"))
    out = ok(run("file", "ana", "--on", "2024-07-09", "-m", "Call me Tuesday"))
    assert "every" not in out
    assert due(run, "ana") == "2024-07-09"


def test_file_without_on_and_without_cadence_is_refused(
    run: Run, refuse: Callable[..., str]
) -> None:
    ok(run("add", "Ana Lima"))
    message = refuse("file", "ana", "-m", "Called", code=2)
    assert "give --on DATE" in message


def test_a_done_client_is_not_refiled_by_a_logged_call(run: Run) -> None:
    ok(run("add", "Ana Lima", "--every", "3w"))
    ok(run("done", "ana"))
    ok(run("log", "ana", "Called anyway", "--kind", "call"))
    assert due(run, "ana") is None


def test_the_cadence_travels_through_export_and_import(run: Run, tmp_path: Path) -> None:
    ok(run("add", "Ana Lima", "--every", "6w"))
    ok(run("add", "Bo Diaz"))
    exported = tmp_path / "all.json"
    ok(run("export", "--output", str(exported)))
    data = json.loads(exported.read_text())
    assert [c["every"] for c in data["clients"]] == ["6w", None]


def test_precedence_own_then_shortest_tag_then_stage(run: Run) -> None:
    ok(run("config", "set", "cadence.vip", "2w"))
    ok(run("config", "set", "cadence.south", "10d"))
    ok(run("config", "set", "cadence.client", "6w"))
    ok(run("add", "Ana Lima", "--stage", "client"))  # the stage's: 6w
    ok(run("add", "Bo Diaz", "--stage", "client", "--tag", "vip", "--tag", "south"))
    ok(run("add", "Cy Roe", "--stage", "client", "--tag", "vip", "--every", "1m"))
    ok(run("add", "Di Wu", "--tag", "client"))  # a stage name is only ever the stage
    for who in ("ana", "bo", "cy", "di"):
        ok(run("log", who, "Called", "--kind", "call"))
    assert due(run, "ana") == "2024-08-16"  # 6w
    assert due(run, "bo") == "2024-07-15"  # 10d, the shorter tag
    assert due(run, "cy") == "2024-08-05"  # its own 1m: Mon 5 Aug
    assert due(run, "di") is None
    assert every(run, "bo") is None  # the defaults stay in the settings


def test_cadence_settings_are_shown_and_unset(run: Run) -> None:
    ok(run("config", "set", "cadence.VIP", "2W"))
    ok(run("config", "set", "cold_factor", "2"))
    ok(run("config", "set", "cold_days", "45"))
    shown = json.loads(ok(run("config", "--json")))["settings"]
    assert shown["cadence.vip"]["value"] == "2w"
    assert shown["cold_factor"]["value"] == 2.0
    assert shown["cold_days"]["value"] == 45
    assert "cadence.vip" in ok(run("config"))
    ok(run("config", "set", "cadence.vip", "none"))
    shown = json.loads(ok(run("config", "--json")))["settings"]
    assert "cadence.vip" not in shown
    assert shown["cold_factor"]["from"] != "default"


def test_default_cold_settings(run: Run) -> None:
    shown = json.loads(ok(run("config", "--json")))["settings"]
    assert shown["cold_factor"] == {"value": 1.5, "from": "default"}
    assert shown["cold_days"] == {"value": 60, "from": "default"}


@pytest.mark.parametrize(
    ("key", "value"),
    [("cadence.vip", "3q"), ("cadence.", "2w"), ("cold_factor", "abc"), ("cold_days", "0")],
)
def test_bad_cadence_settings_are_refused(run: Run, key: str, value: str) -> None:
    result = run("config", "set", key, value)
    assert result.exit_code == 2, result
    assert result.stderr.startswith("dossier: "), result
    assert "Traceback" not in result.stderr


# --- going cold ----------------------------------------------------------------------


def cold_list(run: Run, *args: str) -> list[tuple[str, int]]:
    found = json.loads(ok(run("list", "--cold", "--json", *args)))
    return [(c["name"], c["cold_days"]) for c in found]


def test_going_cold_by_cadence_by_cold_days_and_since_creation(
    run: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    ok(run("add", "Ana Lima", "--every", "2w"))  # cold after 1.5 x 14 = 21 days
    ok(run("add", "Bo Diaz"))  # no cadence: cold after 60 days
    ok(run("add", "Cy Roe", "--every", "1m", "--tag", "vip"))
    ok(run("log", "ana", "Called", "--kind", "call"))
    ok(run("log", "bo", "Just a note"))  # a note is not a contact
    ok(run("log", "cy", "Visited", "--kind", "visit", "--date", "2024-06-20"))
    monkeypatch.setenv("DOSSIER_TODAY", "2024-07-26")  # 21 days after 5 Jul
    assert cold_list(run) == []
    monkeypatch.setenv("DOSSIER_TODAY", "2024-07-27")
    assert cold_list(run) == [("Ana Lima", 22)]
    monkeypatch.setenv("DOSSIER_TODAY", "2024-08-05")  # Cy: 46 days > 1.5 x 30.4
    assert cold_list(run) == [("Cy Roe", 46), ("Ana Lima", 31)]
    monkeypatch.setenv("DOSSIER_TODAY", "2024-09-04")  # Bo: 61 days since its card
    assert cold_list(run) == [("Cy Roe", 76), ("Ana Lima", 61), ("Bo Diaz", 61)]
    assert cold_list(run, "--tag", "vip") == [("Cy Roe", 76)]
    plain = ok(run("list", "--cold"))
    assert plain.splitlines()[0].split() == ["ID", "NAME", "COMPANY", "STAGE", "COLD", "FOR",
                                             "LAST", "CONTACT"]  # fmt: skip
    assert "76 days" in plain.splitlines()[1]


def test_the_settings_move_the_cold_line(run: Run, monkeypatch: pytest.MonkeyPatch) -> None:
    ok(run("add", "Ana Lima", "--tag", "vip"))
    ok(run("add", "Bo Diaz", "--stage", "client"))
    monkeypatch.setenv("DOSSIER_TODAY", "2024-07-20")  # 15 days
    assert cold_list(run) == []
    ok(run("config", "set", "cadence.vip", "1w"))  # cold after 10.5 days
    assert cold_list(run) == [("Ana Lima", 15)]
    ok(run("config", "set", "cadence.client", "1w"))
    ok(run("config", "set", "cold_factor", "3"))  # now after 21 days
    assert cold_list(run) == []
    ok(run("config", "set", "cold_factor", "2"))
    assert cold_list(run) == [("Ana Lima", 15), ("Bo Diaz", 15)]
    ok(run("config", "set", "cold_days", "10"))
    ok(run("config", "set", "cadence.vip", "none"))  # Ana: no cadence, 15 > 10 days
    ok(run("config", "set", "cadence.client", "none"))
    assert cold_list(run) == [("Ana Lima", 15), ("Bo Diaz", 15)]


def test_done_clients_never_go_cold(run: Run, monkeypatch: pytest.MonkeyPatch) -> None:
    ok(run("add", "Ana Lima"))
    ok(run("done", "ana"))
    monkeypatch.setenv("DOSSIER_TODAY", "2025-07-05")
    assert cold_list(run) == []
    assert ok(run("list", "--cold")) == "No client has gone cold.\n"


def test_today_says_how_many_went_cold(run: Run, monkeypatch: pytest.MonkeyPatch) -> None:
    ok(run("add", "Ana Lima", "--on", "2024-10-01"))
    ok(run("add", "Bo Diaz", "--on", "2024-10-01"))
    assert "Going cold" not in ok(run("today"))
    assert json.loads(ok(run("today", "--json")))["cold"] == 0
    monkeypatch.setenv("DOSSIER_TODAY", "2024-09-05")  # 62 days
    out = ok(run("today"))
    assert out.rstrip().splitlines()[-1] == (
        "Going cold: 2 clients without contact for too long: 'dossier list --cold'."
    )
    assert json.loads(ok(run("today", "--json")))["cold"] == 2
    ok(run("log", "bo", "Called", "--kind", "call"))
    assert "Going cold: 1 client without" in ok(run("today"))
    assert "Enfriándose: 1 cliente sin contacto" in ok(run("--lang", "es", "today"))


def test_cold_refuses_other_list_filters(run: Run, refuse: Callable[..., str]) -> None:
    ok(run("add", "Ana Lima"))
    assert "--cold" in refuse("list", "--cold", "--archived", code=2)


def test_the_rich_today_has_the_cold_line(run: Run, monkeypatch: pytest.MonkeyPatch) -> None:
    from dossier.cli import base

    ok(run("add", "Ana Lima", "--on", "2024-10-01"))
    monkeypatch.setenv("DOSSIER_TODAY", "2024-09-05")
    monkeypatch.setattr(base, "use_rich", lambda: True)
    monkeypatch.setenv("COLUMNS", "120")
    drawn = ok(run("today"))
    assert "Going cold: 1 client without contact for too long: 'dossier list --cold'." in drawn
    listed = ok(run("list", "--cold")).splitlines()  # no Rich form: the plain table
    assert listed[1].split()[:3] == ["#1", "Ana", "Lima"] and "62 days" in listed[1]


def test_import_reads_and_checks_the_cadence(run: Run, tmp_path: Path) -> None:
    good = tmp_path / "good.json"
    good.write_text(
        json.dumps({"dossier_export": 1, "clients": [{"name": "Ana", "every": "2W"},
                                                      {"name": "Bo", "every": None}]})
    )  # fmt: skip
    ok(run("import", str(good)))
    assert (every(run, "ana"), every(run, "bo")) == ("2w", None)
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps({"dossier_export": 1, "clients": [{"name": "Cy", "every": "3x"}]}))
    result = run("import", str(bad))
    assert result.exit_code == 2 and "every '3x'" in result.stderr, result
    assert json.loads(ok(run("list", "--json"))) != [] and "Cy" not in ok(run("list"))
