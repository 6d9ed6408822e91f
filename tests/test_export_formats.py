"""``dossier export --format csv|vcf|ics``, the filters, and the file an export writes:
through the CLI, on real SQLite files, each output parsed back (csv module, icalendar)."""

from __future__ import annotations

import csv
import io
import json
import os
import sqlite3
import stat
from collections.abc import Callable
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest

from conftest import Result, ok

Run = Callable[..., Result]


def seed(run: Run) -> None:
    """Four active clients and a done one, in every shape a card takes."""
    ok(run("add", "Ana García", "--company", "Acme Ltd", "--position", "Buyer",
           "--phone", "+34 600 12 34 56", "--phone", "00123", "--email", "ana@acme.example",
           "--tag", "vip", "--tag", "madrid", "--stage", "prospect",
           "--on", "2024-07-08", "--at", "14:00", "--for", "send quote"))  # fmt: skip
    ok(run("add", "=HYPERLINK(\"http://x\")", "--company", "@SUM(A1)", "--position", "-boss",
           "--tag", "vip", "--on", "2024-07-10", "--note", "First note"))  # fmt: skip
    ok(run("add", "Bob Stone", "--company", "Stone & Co, Ltd", "--stage", "client",
           "--on", "august", "--for", "renewal"))  # fmt: skip
    today, os.environ["DOSSIER_TODAY"] = os.environ["DOSSIER_TODAY"], "2024-06-28"
    ok(run("add", "Carla Ruiz", "--tag", "madrid", "--on", "2024-07-01", "--for", "overdue"))
    os.environ["DOSSIER_TODAY"] = today  # (the conftest's fixture restores it anyway)
    ok(run("add", "Done Person", "--tag", "vip", "--on", "2024-07-09"))
    ok(run("done", "Done Person"))


def raw(*args: str) -> bytes:
    """What ``dossier ARGS`` wrote to stdout, as bytes (the ``run`` fixture reads CRLF as
    LF, as Click's test runner does)."""
    from typer.testing import CliRunner

    from dossier.cli import app

    result = CliRunner().invoke(app, list(args))
    assert result.exit_code == 0, result.stderr
    return result.stdout_bytes


def rows(text: str, delimiter: str = ",") -> list[list[str]]:
    return list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))


# --- CSV ---------------------------------------------------------------------------------


def test_csv_has_the_contract_header_and_the_active_cards(run: Run, db_path: Path) -> None:
    seed(run)
    conn = sqlite3.connect(db_path)
    with conn:  # a second e-mail, as an import from a vCard leaves it
        conn.execute("UPDATE client SET more_emails = ? WHERE name = 'Ana García'",
                     (json.dumps(["ana@home.example"]),))  # fmt: skip
    conn.close()
    ok(run("edit", "Bob Stone", "--set", "zeta=last", "--set", "budget=12k"))
    out = raw("export", "--format", "csv").decode("utf-8")
    assert out.count("\r\n") == out.count("\n") == 5
    table = rows(out)
    assert table[0] == ["Name", "Company", "Position", "Phone", "Phone 2", "E-mail", "E-mail 2",
                        "Stage", "Tags", "Next", "At", "For", "budget", "zeta"]  # fmt: skip
    by_name = {r[0]: dict(zip(table[0], r, strict=True)) for r in table[1:]}
    assert "Done Person" not in by_name  # only active clients
    assert len(by_name) == 4
    ana = by_name["Ana García"]
    assert ana["Phone"] == "'+34 600 12 34 56" and ana["Phone 2"] == "00123"
    assert (ana["E-mail"], ana["E-mail 2"]) == ("ana@acme.example", "ana@home.example")
    assert (ana["Stage"], ana["Tags"]) == ("prospect", "madrid, vip")
    assert (ana["Next"], ana["At"], ana["For"]) == ("2024-07-08", "14:00", "send quote")
    bob = by_name["Bob Stone"]
    assert (bob["Company"], bob["Next"], bob["At"], bob["For"]) == (
        "Stone & Co, Ltd", "2024-08", "", "renewal")  # fmt: skip
    assert (bob["budget"], bob["zeta"]) == ("12k", "last")
    assert by_name["Carla Ruiz"]["Next"] == "2024-07-01"  # overdue stays overdue


def test_csv_puts_the_teams_fields_in_definition_order_before_the_free_ones(
    run: Run, db_path: Path
) -> None:
    from dossier.app.unit import unit
    from dossier.domain.fields import FieldDef

    seed(run)
    with unit(None, write=True, label="fields") as u:
        u.store.add_field_def(FieldDef("region"))
        u.store.add_field_def(FieldDef("amount", "number"))
    ok(run("edit", "Ana García", "--set", "amount=1500", "--set", "aaa=free"))
    header = rows(ok(run("export", "--format", "csv")))[0]
    assert header[-3:] == ["region", "amount", "aaa"]


def test_cells_a_spreadsheet_would_run_get_a_quote(run: Run, db_path: Path) -> None:
    seed(run)
    ok(run("edit", "Carla Ruiz", "--set", "quoted='=1+1"))
    conn = sqlite3.connect(db_path)
    with conn:  # edit trims a value; an import keeps a tab
        conn.execute("INSERT INTO field SELECT id, 'note', '\tcmd' FROM client WHERE name = ?",
                     ("Carla Ruiz",))  # fmt: skip
    conn.close()
    table = rows(ok(run("export", "--format", "csv")))
    by_name = {r[0]: dict(zip(table[0], r, strict=True)) for r in table[1:]}
    evil = by_name['\'=HYPERLINK("http://x")']
    assert evil["Company"] == "'@SUM(A1)"
    assert evil["Position"] == "'-boss"
    carla = by_name["Carla Ruiz"]
    assert carla["note"] == "'\tcmd"
    assert carla["quoted"] == "''=1+1"  # import takes one quote off: '=1+1 comes back
    assert by_name["Bob Stone"]["Company"] == "Stone & Co, Ltd"  # nothing else changes


def test_excel_csv_is_a_bom_and_semicolons(run: Run) -> None:
    seed(run)
    data = raw("export", "--format", "csv", "--excel")
    assert data.startswith(b"\xef\xbb\xbfName;Company;Position;")
    assert data.count(b"\r\n") == data.count(b"\n") == 5
    table = rows(data.decode("utf-8-sig"), ";")
    assert table[0][:3] == ["Name", "Company", "Position"]
    assert ["Bob Stone", "Stone & Co, Ltd"] in [r[:2] for r in table]


def test_csv_export_imports_back_into_an_empty_folder(
    run: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    seed(run)
    ok(run("edit", "Bob Stone", "--set", "budget=12k"))
    target = tmp_path / "clients.csv"
    ok(run("export", "--format", "csv", "-o", str(target)))
    before = json.loads(ok(run("export")))["clients"]
    monkeypatch.setenv("DOSSIER_DB", str(tmp_path / "other" / "dossier.db"))
    imported = run("import", str(target))
    assert imported.exit_code == 0, imported
    after = {c["name"]: c for c in json.loads(ok(run("export")))["clients"]}
    keys = ("name", "company", "position", "phones", "emails", "stage", "tags", "fields")
    for client in before:
        if client["archived"]:
            assert client["name"] not in after
            continue
        again = after[client["name"]]
        assert {k: again[k] for k in keys} == {k: client[k] for k in keys}
        assert again["filed"] == client["filed"]


@pytest.mark.parametrize(
    ("lang", "typed", "cell"), [("en", "1,500.25", "1500.25"), ("es", "1.500,25", "1500,25")]
)
def test_a_number_field_round_trips_in_the_runs_language(
    run: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, lang: str, typed: str, cell: str
) -> None:
    """A number is written with the decimal mark the import reads in the same language:
    ``1500.25`` read in Spanish would be ambiguous (a thousands dot, or a decimal one?)."""
    ok(run("field", "add", "budget", "--type", "number"))
    ok(run("add", "Ana Lima", "--company", "Lima SL"))
    ok(run("--lang", lang, "edit", "ana", "--set", f"budget={typed}"))
    target = tmp_path / "clients.csv"
    ok(run("--lang", lang, "export", "--format", "csv", "-o", str(target)))
    rows = target.read_text(encoding="utf-8").splitlines()
    assert rows[1].endswith("," + f'"{cell}"' if "," in cell else "," + cell)
    monkeypatch.setenv("DOSSIER_DB", str(tmp_path / "other" / "dossier.db"))
    ok(run("field", "add", "budget", "--type", "number"))
    ok(run("--lang", lang, "import", str(target)))
    assert json.loads(ok(run("show", "ana", "--json")))["fields"] == {"budget": 1500.25}


# --- the file ----------------------------------------------------------------------------


def test_the_file_is_private_and_never_overwritten_without_force(run: Run, tmp_path: Path) -> None:
    seed(run)
    target = tmp_path / "out.csv"
    said = ok(run("export", "--format", "csv", "-o", str(target)))
    assert said == f"Exported to {target}\n"
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    first = target.read_bytes()
    assert first.startswith(b"Name,")
    target.write_bytes(b"keep me")
    result = run("export", "--format", "ics", "-o", str(target))
    assert result.exit_code == 1 and result.stdout == ""
    assert result.stderr.count("\n") == 1 and "already exists" in result.stderr
    assert "--force" in result.stderr
    assert target.read_bytes() == b"keep me"
    ok(run("export", "--format", "csv", "-o", str(target), "--force"))
    assert target.read_bytes() == first
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []


def test_the_json_file_is_refused_and_replaced_the_same_way(run: Run, tmp_path: Path) -> None:
    seed(run)
    target = tmp_path / "all.json"
    target.write_text("old")
    assert run("export", "-o", str(target)).exit_code == 1
    assert target.read_text() == "old"
    ok(run("export", "-o", str(target), "--force"))
    assert len(json.loads(target.read_text())["clients"]) == 5


@pytest.mark.parametrize("force", [False, True])
def test_a_symlink_is_never_followed(run: Run, tmp_path: Path, force: bool) -> None:
    """A link is refused, even with --force (the same rule as show --export and import
    --report): the data never lands where it points, and the link is left as it is."""
    seed(run)
    victim = tmp_path / "victim.txt"
    victim.write_text("precious")
    link = tmp_path / "out.csv"
    link.symlink_to(victim)
    dangling = tmp_path / "dangling.csv"
    dangling.symlink_to(tmp_path / "nowhere.csv")
    args = ["--force"] if force else []
    for path in (link, dangling):
        result = run("export", "--format", "csv", "-o", str(path), *args)
        assert result.exit_code == 1, result
        assert result.stderr.count("\n") == 1 and "symbolic link" in result.stderr
    assert victim.read_text() == "precious"
    assert not (tmp_path / "nowhere.csv").exists()
    assert link.is_symlink() and dangling.is_symlink()


def test_a_folder_or_a_missing_folder_is_one_line(run: Run, tmp_path: Path) -> None:
    seed(run)
    for args in (["-o", str(tmp_path)], ["-o", str(tmp_path), "--force"],
                 ["-o", str(tmp_path / "no" / "such.csv")]):  # fmt: skip
        result = run("export", "--format", "csv", *args)
        assert result.exit_code == 1 and result.stdout == "", result
        assert result.stderr.count("\n") == 1 and result.stderr.startswith("dossier: ")


# --- filters and options -------------------------------------------------------------------


def test_filters_need_every_tag_and_the_stage(run: Run) -> None:
    seed(run)
    names = lambda *a: sorted(r[0] for r in rows(ok(run("export", "--format", "csv", *a)))[1:])  # noqa: E731
    assert names("--tag", "vip") == ['\'=HYPERLINK("http://x")', "Ana García"]
    assert names("--tag", "VIP", "--tag", "madrid") == ["Ana García"]
    assert names("--stage", "client") == ["Bob Stone"]
    assert names("--tag", "madrid", "--stage", "lead") == ["Carla Ruiz"]
    assert names("--tag", "nobody") == []
    clients = json.loads(ok(run("export", "--tag", "vip")))["clients"]
    assert sorted(c["name"] for c in clients) == [
        '=HYPERLINK("http://x")',
        "Ana García",
        "Done Person",
    ]  # fmt: skip  (JSON: done too)
    assert len(json.loads(ok(run("export")))["clients"]) == 5


@pytest.mark.parametrize(
    ("args", "says"),
    [
        (["--format", "xml"], "--format 'xml' is not one of: json, csv, vcf, ics"),
        (["--format", "ics", "--excel"], "--excel is for --format csv"),
        (["--format", "csv", "--details"], "--details is for --format ics or vcf"),
        (["--format", "csv", "--stage", "boss"], "--stage 'boss' is not one of"),
    ],
)
def test_wrong_options_are_one_line(run: Run, refuse, args: list[str], says: str) -> None:  # type: ignore[no-untyped-def]
    seed(run)
    assert says in refuse("export", *args, code=2)


# --- iCalendar ----------------------------------------------------------------------------


def calendar(run: Run, *args: str):  # type: ignore[no-untyped-def]
    import icalendar

    result = run("export", "--format", "ics", *args)
    assert result.exit_code == 0 and result.stderr == "", result
    return icalendar.Calendar.from_ical(result.stdout)


def events(cal) -> dict[str, object]:  # type: ignore[no-untyped-def]
    return {str(e["summary"]): e for e in cal.walk("VEVENT")}


def test_ics_has_an_event_per_dossier_filed_on_a_day(run: Run) -> None:
    seed(run)
    ok(run("config", "set", "timezone", "europe/madrid"))
    cal = calendar(run)
    assert str(cal["prodid"]) == "-//dossier//dossier 0.1//EN"
    assert str(cal["version"]) == "2.0"
    found = events(cal)
    # Not the month tab's Bob Stone, not the done client; the overdue Carla is there.
    assert sorted(found) == ["Call =HYPERLINK(\"http://x\")", "Call Ana García — send quote",
                             "Call Carla Ruiz — overdue"]  # fmt: skip
    allday = found['Call =HYPERLINK("http://x")']
    assert allday.decoded("dtstart") == date(2024, 7, 10)
    assert allday.decoded("dtend") == date(2024, 7, 11)
    assert str(allday["transp"]) == "TRANSPARENT"
    timed = found["Call Ana García — send quote"]
    start = timed.decoded("dtstart")
    assert (start.replace(tzinfo=None), str(start.tzinfo)) == (
        datetime(2024, 7, 8, 14, 0), "Europe/Madrid")  # fmt: skip
    assert timed.decoded("dtend") - start == timedelta(minutes=30)
    assert timed["dtstart"].params["TZID"] == "Europe/Madrid"
    assert "transp" not in timed
    zones = [str(z["tzid"]) for z in cal.walk("VTIMEZONE")]
    assert zones == ["Europe/Madrid"]
    for event in found.values():
        assert str(event["uid"]).endswith("@dossier")
        assert event.decoded("dtstamp").tzinfo is not None
        assert event.decoded("dtstamp").utcoffset() == timedelta(0)
        assert int(event["sequence"]) > 0
        assert "description" not in event  # no phones or notes without --details
    text = raw("export", "--format", "ics")
    assert b"600 12" not in text and b"First note" not in text
    assert text.count(b"\r\n") == text.count(b"\n")


def test_ics_details_carry_phones_e_mail_and_the_last_note(run: Run) -> None:
    seed(run)
    found = events(calendar(run, "--details"))
    ana = str(found["Call Ana García — send quote"]["description"])
    assert "Phone: +34 600 12 34 56, 00123" in ana and "E-mail: ana@acme.example" in ana
    evil = str(found['Call =HYPERLINK("http://x")']["description"])
    assert evil.endswith("note: First note")


def test_ics_filters_and_without_a_time_no_timezone(run: Run) -> None:
    seed(run)
    cal = calendar(run, "--tag", "madrid", "--stage", "lead")
    assert list(events(cal)) == ["Call Carla Ruiz — overdue"]
    assert cal.walk("VTIMEZONE") == []


def test_two_exports_with_no_change_are_the_same_bytes(run: Run, tmp_path: Path) -> None:
    seed(run)
    ok(run("config", "set", "timezone", "America/New_York"))
    first = raw("export", "--format", "ics", "--details")
    ok(run("today"))
    assert raw("export", "--format", "ics", "--details") == first
    ok(run("export", "--format", "ics", "-o", str(tmp_path / "a.ics")))
    ok(run("export", "--format", "ics", "-o", str(tmp_path / "b.ics")))
    assert (tmp_path / "a.ics").read_bytes() == (tmp_path / "b.ics").read_bytes()


def test_refiling_moves_the_event_with_a_higher_sequence(
    run: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    seed(run)
    earlier = events(calendar(run))
    before = earlier["Call Ana García — send quote"]
    monkeypatch.setenv("DOSSIER_TODAY", "2024-07-06")  # refiled a day later
    ok(run("file", "Ana García", "--on", "2024-07-12", "--for", "send quote"))
    found = events(calendar(run))
    assert len(found) == 3  # moved, not duplicated
    after = found["Call Ana García — send quote"]
    assert str(after["uid"]) == str(before["uid"])
    assert int(after["sequence"]) > int(before["sequence"])
    assert after.decoded("dtstart") == date(2024, 7, 12)  # a new day, no time given
    assert after.decoded("dtstamp") > before.decoded("dtstamp")
    for summary, event in found.items():  # the others did not move: nothing changed
        if summary != "Call Ana García — send quote":
            assert event.to_ical() == earlier[summary].to_ical()


def test_ics_speaks_the_runs_language_and_drops_control_characters(run: Run) -> None:
    seed(run)
    ok(run("add", "Eve\x1b[31m", "--on", "2024-07-09"))
    import icalendar

    result = run("--lang", "es", "export", "--format", "ics")
    found = events(icalendar.Calendar.from_ical(result.stdout))
    assert "Llamar a Ana García — send quote" in found
    assert "Llamar a Eve[31m" in found


# --- vCard ----------------------------------------------------------------------------------


def test_vcf_one_card_per_active_client_with_a_stable_uid(run: Run) -> None:
    seed(run)
    text = ok(run("export", "--format", "vcf"))
    assert text.count("BEGIN:VCARD") == 4 and "VERSION:3.0" in text
    assert "Done Person" not in text
    assert "NOTE" not in text
    assert ok(run("export", "--format", "vcf")) == text  # the same UIDs every time
    assert "send quote" in ok(run("export", "--format", "vcf", "--details"))
    assert ok(run("export", "--format", "vcf", "--tag", "madrid")).count("BEGIN:VCARD") == 2


# --- the timezone setting -------------------------------------------------------------------


def test_timezone_setting_is_checked_and_spelt_as_the_zone_database(run: Run, refuse) -> None:  # type: ignore[no-untyped-def]
    seed(run)
    assert "timezone = Europe/Madrid" in ok(run("config", "set", "timezone", "europe/MADRID"))
    shown = json.loads(ok(run("config", "--json")))["settings"]["timezone"]
    assert shown["value"] == "Europe/Madrid"
    line = refuse("config", "set", "timezone", "Mars/Olympus", code=2)
    assert "not a time zone name" in line
    ok(run("config", "set", "timezone", "none"))
    assert json.loads(ok(run("config", "--json")))["settings"]["timezone"]["value"] is None


def test_the_system_zone_comes_from_tz_then_etc_localtime() -> None:
    from dossier.app.config import system_timezone

    assert system_timezone({"TZ": "Asia/Tokyo"}) == "Asia/Tokyo"
    assert system_timezone({"TZ": ":Europe/Paris"}) == "Europe/Paris"
    fallback = system_timezone({"TZ": "not/a/zone"})
    link = os.path.realpath("/etc/localtime")
    assert fallback == "UTC" or link.endswith("/" + fallback)


@pytest.mark.parametrize("value", ["=SUM(A1)", "'=x", "''+1", "-5", "@home", "it's", "'plain"])
def test_a_guarded_cell_imports_back_exactly(
    run: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, value: str
) -> None:
    """The formula guard and the import's inverse are one rule: whatever quotes a value
    starts with, export then import gives it back unchanged."""
    ok(run("add", "Ana Lima", "--company", "Lima SL"))
    ok(run("edit", "ana", "--set", f"memo={value}"))
    target = tmp_path / "clients.csv"
    ok(run("export", "--format", "csv", "-o", str(target)))
    monkeypatch.setenv("DOSSIER_DB", str(tmp_path / "other" / "dossier.db"))
    ok(run("import", str(target)))
    assert json.loads(ok(run("show", "ana", "--json")))["fields"] == {"memo": value}
