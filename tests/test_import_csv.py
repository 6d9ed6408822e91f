"""``dossier import FILE`` for spreadsheets: encodings, delimiters, headers, validation,
duplicates, merge, undo and the report, through the CLI with real files (the fixtures in
``tests/fixtures/import``) and real SQLite databases."""

from __future__ import annotations

import csv
import io
import json
import os
import re
import sqlite3
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import Result, dump, ok

Run = Callable[..., Result]
FIXTURES = Path(__file__).parent / "fixtures" / "import"
README = (Path(__file__).parent.parent / "README.md").read_text(encoding="utf-8")


def cards(run: Run) -> list[dict[str, Any]]:
    """Every client's card as ``show --json`` gives it, by id, without the clock."""
    listed = json.loads(ok(run("list", "--json")))
    found = []
    for item in sorted(listed, key=lambda i: i["id"]):
        card = json.loads(ok(run("show", str(item["id"]), "--json")))
        for key in ("id", "created", "updated", "last_contact"):
            card.pop(key, None)
        for entry in card.get("history", []):
            entry.pop("at", None)
        found.append(card)
    return found


def write(path: Path, text: str, encoding: str = "utf-8") -> Path:
    path.write_bytes(text.encode(encoding))
    return path


def failed(result: Result) -> list[str]:
    """The stderr lines of an import refused for its problems (exit 1, nothing out)."""
    assert result.exit_code == 1, result
    assert result.stdout == "", result
    lines = result.stderr.splitlines()
    assert lines[-1].startswith("dossier: nothing was imported"), result
    return lines


# --- encodings and delimiters -----------------------------------------------------------

THREE = ["three-utf8.csv", "three-utf8-bom.csv", "three-utf16-bom.csv", "three-cp1252.csv",
         "three.tsv", "three-pipe.txt"]  # fmt: skip


@pytest.mark.parametrize("name", THREE)
def test_the_same_three_rows_import_the_same_however_saved(run: Run, name: str) -> None:
    assert ok(run("import", str(FIXTURES / name))) == "3 new, 0 merged, 0 skipped\n"
    got = cards(run)
    assert [c["name"] for c in got] == ["José Núñez", "Åsa Ødegård", "François Lefèvre"]
    assert [c["company"] for c in got] == ["Müller & Söhne", "Café €uro", "Crème SARL"]
    # Nothing coerced: the numbers stay as written.
    assert [c["phone"] for c in got] == ["+34 600 12 34 56", "00123", "0034 611 222 333"]
    assert got[0]["tags"] == ["madrid", "vip"] and got[0]["stage"] == "prospect"
    assert all(not c["fields"] for c in got), "no header may become a field (a BOM, say)"


@pytest.mark.parametrize("name", ["excel-es.csv", "sep.csv"])
def test_a_spanish_excel_file_splits_at_semicolons_not_at_decimal_commas(
    run: Run, name: str
) -> None:
    ok(run("import", str(FIXTURES / name)))
    got = cards(run)
    assert [c["fields"] for c in got] == [{"Importe": "1,5"}, {"Importe": "2,25"},
                                          {"Importe": "1.234,5"}]  # fmt: skip
    assert got[0]["name"] == "José Núñez" and got[0]["email"] == "jose@example.es"
    assert "\ufeff" not in json.dumps(got)


def test_quoted_cells_keep_commas_quotes_and_line_breaks(run: Run, tmp_path: Path) -> None:
    path = FIXTURES / "multiline.csv"
    lines = failed(run("import", str(path)))
    # Cora's row starts on line 6 of the file: the cells above span 3 lines and 1.
    assert lines[0] == (
        "line 6, column 'Stage': stage 'bogus' is not one of lead, prospect, negotiation, "
        "client, dormant"
    ), lines
    good = tmp_path / "good.csv"
    good.write_bytes(path.read_bytes().replace(b"bogus", b"lead"))
    ok(run("import", str(good)))
    ana = cards(run)[0]
    assert ana["company"] == "Acme, Inc."
    assert ana["history"][0]["text"] == 'First call:\nwants a "quote"\nby Friday'


# --- headers ------------------------------------------------------------------------------


def test_a_google_contacts_export(run: Run) -> None:
    ok(run("import", str(FIXTURES / "google.csv")))
    laura, pedro = cards(run)
    assert laura["name"] == "Laura Gómez" and laura["company"] == "Acme Iberia"
    assert laura["position"] == "Compras"
    assert laura["phones"] == ["+34 655 10 20 30", "91 555 12 12"]
    assert laura["emails"] == ["laura@acme.es", "laura.g@gmail.com"]
    assert laura["history"][0]["text"] == "Met at the fair"
    assert pedro["emails"] == ["pedro@beta.es", "p.sanz@beta.es"]
    # The "- Type" columns are labels, not fields; Google's groups are a free field.
    assert laura["fields"] == {"Group Membership": "* myContacts"}


def test_an_outlook_export_joins_first_and_last_names(run: Run) -> None:
    ok(run("import", str(FIXTURES / "outlook.csv")))
    carmen, john = cards(run)
    assert carmen["name"] == "Carmen Vidal" and carmen["position"] == "Jefa de compras"
    assert carmen["phones"] == ["+34 963 00 00 00", "+34 622 33 44 55"]
    assert carmen["fields"] == {"Department": "Sales"}
    assert john["emails"] == ["john@atlantic.co.uk", "js@home.example"]
    assert john["fields"] == {"Title": "Mr."}  # Outlook's Title is "Mr.", not a position


def test_the_dry_run_lists_each_column_and_writes_nothing(run: Run, db_path: Path) -> None:
    ok(run("add", "Seed"))
    before = dump(db_path)
    out = ok(run("import", str(FIXTURES / "google.csv"), "--dry-run"))
    assert dump(db_path) == before
    assert "  'Phone 1 - Type' -> ignored (a label)\n" in out
    assert "  'Phone 2 - Value' -> phone\n" in out
    assert "  'Group Membership' -> free field 'Group Membership'\n" in out
    assert out.endswith("Dry run, nothing was written: 2 new, 0 merged, 0 skipped\n")


def test_map_names_a_column_or_ignores_it(run: Run, tmp_path: Path) -> None:
    path = write(tmp_path / "m.csv", "Cliente X,Cell,Secret\nAna,600 111 222,pin 1234\n")
    ok(run("import", str(path), "--map", "Cliente X=name", "--map", "cell=phone",
           "--map", "Secret=-"))  # fmt: skip
    (ana,) = cards(run)
    assert (ana["name"], ana["phone"], ana["fields"]) == ("Ana", "600 111 222", {})


def test_a_column_that_names_a_team_field_is_checked_by_its_type(
    run: Run, tmp_path: Path, db_path: Path
) -> None:
    ok(run("add", "Seed"))
    from dossier.domain.fields import FieldDef
    from dossier.storage import open_database
    from dossier.storage.paths import server_url

    # The run's database, on either engine (DOSSIER_DB is the test server's URL there).
    db = open_database(server_url(os.environ["DOSSIER_DB"]) or db_path)
    with db.work(True, None, "2024-07-05T09:00:00") as store:
        store.add_field_def(FieldDef("Budget", "number"))
    db.close()
    path = write(tmp_path / "f.csv", 'Name,budget\nAna,"1,234.5"\nBob,lots\n')
    lines = failed(run("import", str(path)))
    assert "line 3, column 'budget': field Budget is a number field: 'lots'" in lines[0]
    path = write(tmp_path / "f.csv", 'Name,budget\nAna,"1,234.5"\n')
    ok(run("import", str(path)))
    assert cards(run)[1]["fields"]["Budget"] in ("1234.5", 1234.5)  # typed once merged


# --- validation -----------------------------------------------------------------------------


def test_every_problem_is_listed_with_line_and_column_and_nothing_is_written(
    run: Run, tmp_path: Path, db_path: Path
) -> None:
    ok(run("add", "Seed"))
    before = dump(db_path)
    path = write(tmp_path / "bad.csv", "Name,Stage,Next,At\n"
                 "Ana,lead,2024-07-10,09:30\n"
                 ",lead,,\n"
                 "Bob,winner,,\n"
                 "Cy,,someday,\n"
                 "Di,,2024-08,10:00\n")  # fmt: skip
    lines = failed(run("import", str(path)))
    assert dump(db_path) == before
    assert lines[:-1] == [
        "line 3, column 'Name': name is empty: every client needs a name",
        "line 4, column 'Stage': stage 'winner' is not one of lead, prospect, negotiation, "
        "client, dormant",
        lines[2],
        "line 6, column 'At': a fixed time needs a day, not a month tab",
    ]
    assert lines[2].startswith("line 5, column 'Next': cannot read 'someday' as a date")
    assert lines[-1] == f"dossier: nothing was imported: 4 problems in {path}"


def test_many_problems_show_the_first_twenty_and_the_report_has_them_all(
    run: Run, tmp_path: Path
) -> None:
    rows = "".join(f'Client {i},bogus,=HYPERLINK("x")\n' for i in range(30))
    path = write(tmp_path / "many.csv", "Name,Stage,Note\n" + rows)
    report = tmp_path / "rejected.csv"
    lines = failed(run("import", str(path), "--report", str(report)))
    assert len(lines) == 22 and lines[20] == f"… and 10 more, all in {report}"
    assert report.stat().st_mode & 0o777 == 0o600
    read = list(csv.reader(io.StringIO(report.read_text(encoding="utf-8-sig"))))
    assert read[0] == ["Name", "Stage", "Note", "reason"] and len(read) == 31
    assert read[1][2] == '\'=HYPERLINK("x")'  # formula-safe
    assert read[1][3].startswith("line 2, column 'Stage': stage 'bogus'")
    without = failed(run("import", str(path)))
    assert without[20] == "… and 10 more; see --report FILE for all of them"


@pytest.mark.parametrize(
    "args",
    [
        ("--on-duplicate", "maybe"),
        ("--encoding", "klingon"),
        ("--map", "nothing"),
        ("--map", "Nope=name"),
        ("--on", "yesterday"),
        ("--delimiter", ";;"),
    ],
)
def test_bad_options_are_usage_errors(run: Run, args: tuple[str, ...], db_path: Path) -> None:
    ok(run("add", "Seed"))
    before = dump(db_path)
    result = run("import", str(FIXTURES / "three-utf8.csv"), *args)
    assert result.exit_code == 2 and len(result.stderr.splitlines()) == 1, result
    assert dump(db_path) == before


def test_an_unreadable_file_is_a_usage_error(run: Run, tmp_path: Path) -> None:
    result = run("import", str(tmp_path / "missing.csv"))
    assert result.exit_code == 2 and "cannot read" in result.stderr


# --- duplicates and merge ------------------------------------------------------------------


@pytest.fixture
def folder(run: Run) -> None:
    ok(run("config", "set", "country", "ES"))
    ok(run("add", "Ana Pérez", "--company", "Acme", "--phone", "600 12 34 56",
           "--email", "Ana@Acme.es", "--stage", "negotiation", "--on", "2024-07-10"))  # fmt: skip


@pytest.mark.usefixtures("folder")
@pytest.mark.parametrize(
    ("row", "reason"),
    [
        ("Someone,Else,ana@acme.ES,", "the same e-mail as #1 Ana Pérez"),
        ("Someone,Else,,+34 600 123 456", "the same phone as #1 Ana Pérez"),
        ("Someone,Else,,0034 600123456", "the same phone as #1 Ana Pérez"),
        ("ANA PEREZ,acme,,", "the same name and company as #1 Ana Pérez"),
    ],
)
def test_a_duplicate_of_a_client_of_the_folder_is_refused(
    run: Run, tmp_path: Path, row: str, reason: str
) -> None:
    path = write(tmp_path / "d.csv", "Name,Company,E-mail,Phone\n" + row + "\n")
    lines = failed(run("import", str(path)))
    assert lines[0].startswith("line 2, column '") and lines[0].endswith(reason), lines


def test_duplicates_inside_the_file_are_found(run: Run, tmp_path: Path) -> None:
    path = write(tmp_path / "d.csv", "Name,E-mail\nAna,a@x.es\nBob,b@x.es\nAnita,A@X.ES\n")
    lines = failed(run("import", str(path)))
    assert lines[0] == "line 4, column 'E-mail': duplicate: the same e-mail as line 2"


@pytest.mark.usefixtures("folder")
def test_skip_imports_the_rest_and_says_how_many(run: Run, tmp_path: Path) -> None:
    path = write(tmp_path / "d.csv", "Name,E-mail\nNew One,n@x.es\nDup,ana@acme.es\n")
    report = tmp_path / "r.csv"
    out = ok(run("import", str(path), "--on-duplicate", "skip", "--report", str(report)))
    assert out == "1 new, 0 merged, 1 skipped\n"
    assert "duplicate: the same e-mail as #1 Ana Pérez" in report.read_text("utf-8-sig")


@pytest.mark.usefixtures("folder")
def test_merge_fills_adds_climbs_and_appends_and_twice_changes_nothing(
    run: Run, tmp_path: Path, db_path: Path
) -> None:
    path = write(tmp_path / "m.csv", "Name,Company,Position,Phone,E-mail,Stage,Tags,Next,Note\n"
                 "Ana Perez,ACME,Buyer,+34 611 000 000,ana.p@gmail.com,lead,vip,2024-09-01,"
                 "From the fair\n"
                 "Nuevo Cliente,Beta,,,n@beta.es,,,,\n")  # fmt: skip
    before = dump(db_path)
    assert ok(run("import", str(path), "--on-duplicate", "merge")) == (
        "1 new, 1 merged, 0 skipped\n"
    )
    ana = cards(run)[0]
    assert ana["position"] == "Buyer" and ana["company"] == "Acme"
    assert ana["phones"] == ["600 12 34 56", "+34 611 000 000"]
    assert ana["emails"] == ["Ana@Acme.es", "ana.p@gmail.com"]
    assert ana["stage"] == "negotiation", "a merge never moves the stage back"
    assert ana["filed"]["due"] == "2024-07-10", "a filed dossier is never re-filed"
    assert ana["tags"] == ["vip"] and ana["history"][0]["text"] == "From the fair"
    assert ok(run("import", str(path), "--on-duplicate", "merge")) == (
        "0 new, 0 merged, 2 unchanged, 0 skipped\n"
    )
    # One undo step reverts the merge and the new client together.
    assert ok(run("undo")).startswith("Undid: dossier import")
    assert dump(db_path).count("Nuevo Cliente") == 0
    assert [c["name"] for c in cards(run)] == ["Ana Pérez"]
    assert cards(run)[0]["position"] is None and cards(run)[0]["history"] == []
    del before


@pytest.mark.parametrize(
    ("have", "given", "kept"),
    [
        ("lead", "client", "client"),
        ("client", "prospect", "client"),
        ("lead", "dormant", "dormant"),
        ("prospect", "dormant", "prospect"),
        ("dormant", "client", "dormant"),
    ],
)
def test_merge_stage_rule(run: Run, tmp_path: Path, have: str, given: str, kept: str) -> None:
    ok(run("add", "Ana", "--email", "a@x.es", "--stage", have))
    path = write(tmp_path / "s.csv", f"Name,E-mail,Stage\nAna,a@x.es,{given}\n")
    ok(run("import", str(path), "--on-duplicate", "merge"))
    assert cards(run)[0]["stage"] == kept


# --- where new clients go, and what they carry --------------------------------------------


def test_tag_and_on_apply_to_new_clients_and_a_row_date_wins(run: Run, tmp_path: Path) -> None:
    path = write(tmp_path / "o.csv", "Name,Next,For\nAna,,call back\nBob,2024-06-01,\n"
                 "Cy,2024-08,\n")  # fmt: skip
    ok(run("import", str(path), "--tag", "Feria", "--on", "monday"))
    ana, bob, cy = cards(run)
    assert ana["filed"] == {"due": "2024-07-08", "month": None, "at": None, "for": "call back"}
    assert bob["filed"]["due"] == "2024-06-01"  # in the past: overdue, as it was
    assert cy["filed"]["month"] == "2024-08"
    assert {tuple(c["tags"]) for c in (ana, bob, cy)} == {("feria",)}
    assert "Bob" in ok(run("today"))


def test_a_for_without_a_date_is_a_problem(run: Run, tmp_path: Path) -> None:
    path = write(tmp_path / "o.csv", "Name,For\nAna,call back\n")
    assert failed(run("import", str(path)))[0] == (
        "line 2, column 'For': a 'for' needs a Next date (or --on) to file the dossier"
    )


def test_the_export_csv_contract_reads_back(run: Run, tmp_path: Path) -> None:
    """The columns 'dossier export --format csv' writes, formula guards included."""
    header = "Name,Company,Position,Phone,Phone 2,E-mail,E-mail 2,Stage,Tags,Next,At,For,Color"
    row = ("Ana Pérez,Acme,CFO,'+34 600 12 34 56,'-12,ana@acme.es,ana@home.es,client,"
           "\"a, b\",2024-07-03,09:30,send quote,'=blue")  # fmt: skip
    path = write(tmp_path / "e.csv", f"{header}\r\n{row}\r\nBob,,,,,,,lead,,2024-09,,,\r\n")
    ok(run("import", str(path)))
    ana, bob = cards(run)
    assert ana["phones"] == ["+34 600 12 34 56", "-12"]
    assert ana["emails"] == ["ana@acme.es", "ana@home.es"] and ana["tags"] == ["a", "b"]
    assert ana["filed"] == {"due": "2024-07-03", "month": None, "at": "09:30",
                            "for": "send quote"}  # fmt: skip
    assert ana["fields"] == {"Color": "=blue"} and ana["stage"] == "client"
    assert bob["filed"]["month"] == "2024-09"


def test_a_dossier_export_still_imports(run: Run, tmp_path: Path) -> None:
    ok(run("add", "Ana", "--on", "monday", "--note", "hello"))
    out = tmp_path / "all.json"
    ok(run("export", "-o", str(out)))
    other = tmp_path / "other.db"
    tried = run("--db", str(other), "import", str(out), "--dry-run")
    assert tried.exit_code == 0, tried
    assert tried.stdout == (
        "Dry run, nothing was written: 1 client and 1 history entries would be imported\n"
    )
    assert run("--db", str(other), "list", "--json").stdout.strip() == "[]"
    result = run("--db", str(other), "import", str(out))
    assert result.exit_code == 0 and result.stdout.startswith("Imported 1 client"), result
    clash = run("--db", str(other), "import", str(out), "--dry-run")
    assert clash.exit_code == 1 and "already exist" in clash.stderr, "a dry run finds clashes"
    refused = run("--db", str(other), "import", str(out), "--on-duplicate", "skip")
    assert refused.exit_code == 2 and "--on-duplicate is for CSV and vCard" in refused.stderr


# --- vCard dispatch -------------------------------------------------------------------------

VCF = "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Vera Card\r\nEMAIL:vera@x.es\r\nEND:VCARD\r\n"


def test_vcard_files_go_to_the_vcard_reader(run: Run, tmp_path: Path) -> None:
    """The dispatch by extension and by content (a vCard saved as .txt), and the one
    checker after the vCard reader: its UID finds the client again."""
    card = VCF.replace("EMAIL", "UID:urn:uuid:1\r\nEMAIL")
    assert ok(run("import", str(write(tmp_path / "c.vcf", card)))) == "1 new, 0 merged, 0 skipped\n"
    again = write(tmp_path / "c.txt", card)  # by content
    lines = failed(run("import", str(again)))
    assert lines[0] == "line 1, column 'UID': duplicate: the same vCard UID as #1 Vera Card"


def test_a_real_vcard_reimport_merges_by_uid(run: Run, tmp_path: Path) -> None:
    card = VCF.replace("EMAIL", "UID:abc-1\r\nEMAIL")
    path = write(tmp_path / "v.vcf", card)
    ok(run("import", str(path)))
    assert ok(run("import", str(path), "--on-duplicate", "merge")).startswith("0 new")


# --- properties and the README --------------------------------------------------------------

CELLS = st.text(st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00\r"),
                max_size=12)  # fmt: skip


@settings(max_examples=150, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.lists(CELLS, min_size=3, max_size=3), min_size=1, max_size=6),
       st.sampled_from([",", ";", "\t", "|"]))  # fmt: skip
def test_any_cells_csv_writer_writes_read_back_the_same(
    rows: list[list[str]], delimiter: str
) -> None:
    from dossier.domain.delimited import read_table

    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter)
    writer.writerows([["Name", "Company", "Note"], *rows])
    table = read_table(buffer.getvalue().encode("utf-8"), delimiter=delimiter)
    kept = [r for r in rows if any(r)]  # a row of empty cells is a blank line
    assert [cells for _, cells in table.rows] == [
        [c[1:] if c[:1] == "'" and c[1:2] in ("=", "+", "-", "@", "\t") else c for c in r]
        for r in kept
    ]


def test_the_readme_example_runs_as_printed(run: Run, tmp_path: Path, monkeypatch: Any) -> None:
    section = README.split("### `dossier import FILE`", 1)[1].split("### Safety rules", 1)[0]
    heredoc = re.search(r"cat > clients\.csv <<'EOF'\n(.*?)\nEOF\n", section, re.DOTALL)
    assert heredoc is not None
    monkeypatch.chdir(tmp_path)
    (tmp_path / "clients.csv").write_text(heredoc[1] + "\n", encoding="utf-8")
    steps = re.findall(r"^\$ (dossier .*)\n((?:(?!\$ |```).*\n)*)", section, re.MULTILINE)
    assert len(steps) >= 2
    import shlex

    for command, expected in steps:
        result = run(*shlex.split(command)[1:])
        assert result.stdout == expected, (command, result)


def test_the_database_is_only_changed_by_a_real_import(run: Run, db_path: Path) -> None:
    ok(run("import", str(FIXTURES / "three-utf8.csv"), "--dry-run"))
    conn = sqlite3.connect(db_path)
    try:
        assert conn.execute("SELECT count(*) FROM client").fetchone()[0] == 0
    finally:
        conn.close()
