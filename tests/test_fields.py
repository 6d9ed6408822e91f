"""The team's own forms (issue 10, section 4): fields every dossier carries, with a type.

Through the CLI on real database files: a typed value is read by its type (numbers by
the run's language's decimal mark), refused with one line naming the field, the type and
an example, shown in definition order with "missing" for an empty required field, typed
in JSON, carried by the export, counted by ``check`` as a warning, and undoable.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from conftest import Run, dump, ok, refused


@pytest.fixture
def form(run: Run) -> Run:
    """A folder with one client, Acme (#1), and a field of every type."""
    ok(run("add", "Acme Ltd", "--company", "Acme"))
    ok(run("field", "add", "budget", "--type", "number", "--label", "Budget (EUR)"))
    ok(run("field", "add", "since", "--type", "date"))
    ok(run("field", "add", "tier", "--type", "choice", "--choices", "Gold,Silver,Café"))
    ok(run("field", "add", "hotline", "--type", "phone"))
    ok(run("field", "add", "billing", "--type", "email"))
    ok(run("field", "add", "sector", "--required"))
    return run


def fields_of(run: Run, client: str = "acme") -> dict[str, object]:
    data: dict[str, object] = json.loads(ok(run("show", client, "--json")))["fields"]  # type: ignore[assignment]
    return data


def stored(db: Path, key: str) -> str | None:
    import sqlite3

    conn = sqlite3.connect(db)
    try:
        row = conn.execute("SELECT value FROM field WHERE key = ?", (key,)).fetchone()
    finally:
        conn.close()
    return None if row is None else str(row[0])


# --- typed values through edit --set ---------------------------------------------------

GOOD = [
    # (language, field, typed, stored)
    ("en", "budget", "1,234.5", "1234.5"),
    ("en", "budget", "1.234,5", "1234.5"),  # both marks: the last one is the decimal mark
    ("en", "budget", "1,500", "1500"),  # English groups thousands with ','
    ("en", "budget", "1.5", "1.5"),
    ("en", "budget", "1,234,567.00", "1234567"),
    ("en", "budget", "-12", "-12"),
    ("en", "budget", "12 500", "12500"),
    ("es", "budget", "1.234,5", "1234.5"),
    ("es", "budget", "1,234.5", "1234.5"),
    ("es", "budget", "1,5", "1.5"),  # Spanish writes decimals with ','
    ("es", "budget", "1.500", "1500"),  # and groups thousands with '.'
    ("en", "since", "2024-03-01", "2024-03-01"),
    ("en", "since", "yesterday", "2024-07-04"),  # the past is allowed
    ("en", "since", "31 dec", "2024-12-31"),
    ("es", "since", "ayer", "2024-07-04"),
    ("en", "tier", "gold", "Gold"),  # as the list spells it
    ("en", "tier", "CAFE", "Café"),  # case and accents ignored
    ("en", "hotline", "+34 600 12 34 56", "+34 600 12 34 56"),  # kept as written
    ("en", "hotline", "00123 456", "00123 456"),
    ("en", "billing", "ana@example.com", "ana@example.com"),
    ("en", "sector", "1,5", "1,5"),  # a text field takes anything
    ("en", "BUDGET", "7", "7"),  # the name with case ignored: stored under 'budget'
]


@pytest.mark.parametrize(("lang", "name", "typed", "expected"), GOOD)
def test_a_typed_value_is_read_by_its_type_and_language(
    form: Run, db_path: Path, lang: str, name: str, typed: str, expected: str
) -> None:
    ok(form("--lang", lang, "edit", "acme", "--set", f"{name}={typed}"))
    assert stored(db_path, name.lower()) == expected


BAD = [
    # (language, field, typed, words the one error line must hold)
    ("en", "budget", "1,5", ["budget", "ambiguous", "'.'", "1234.5"]),
    ("es", "budget", "1.5", ["budget", "ambiguo", "','", "1234,5"]),
    ("en", "budget", "abc", ["budget", "number", "'abc'", "1234.5"]),
    ("es", "budget", "abc", ["budget", "number", "'abc'", "1234,5"]),
    ("en", "budget", "1,2,3", ["budget", "number", "1234.5"]),
    ("en", "budget", "1.234.5", ["budget", "number"]),
    ("en", "since", "someday", ["since", "date", "2024-07-05"]),
    ("en", "since", "2024-02-30", ["since", "date"]),
    ("en", "tier", "Bronze", ["tier", "'Bronze'", "Gold, Silver, Café"]),
    ("en", "hotline", "call me", ["hotline", "phone", "+34 600 12 34 56"]),
    ("en", "billing", "ana@", ["billing", "email", "ana@example.com"]),
]


@pytest.mark.parametrize(("lang", "name", "typed", "words"), BAD)
def test_a_bad_value_is_refused_with_one_line_naming_field_type_and_example(
    form: Run, refuse, lang: str, name: str, typed: str, words: list[str]
) -> None:  # type: ignore[no-untyped-def]
    line = refuse("--lang", lang, "edit", "acme", "--set", f"{name}={typed}", code=2)
    for word in words:
        assert word in line, (word, line)


def test_free_fields_stay_free_text(form: Run) -> None:
    ok(form("edit", "acme", "--set", "region=1,5", "--set", "code=00123"))
    assert fields_of(form) == {"code": "00123", "region": "1,5"}


def test_unset_finds_a_defined_field_by_any_case(form: Run) -> None:
    ok(form("edit", "acme", "--set", "budget=12"))
    ok(form("edit", "acme", "--unset", "Budget"))
    assert "budget" not in fields_of(form)


# --- JSON types ------------------------------------------------------------------------


def test_json_gives_a_typed_value_its_json_type(form: Run) -> None:
    ok(form("edit", "acme", "--set", "budget=1,234.5", "--set", "since=2024-03-01"))
    ok(form("add", "Bolt Inc", "--tag", "x"))
    ok(form("edit", "bolt", "--set", "budget=1,500", "--set", "free=12"))
    acme = {"budget": 1234.5, "since": "2024-03-01"}
    assert fields_of(form) == acme
    bolt = {"budget": 1500, "free": "12"}
    assert fields_of(form, "bolt") == bolt
    assert isinstance(fields_of(form, "bolt")["budget"], int)
    listed = {c["name"]: c["fields"] for c in json.loads(ok(form("list", "--json")))}
    assert listed == {"Acme Ltd": acme, "Bolt Inc": bolt}
    found = json.loads(ok(form("find", "bolt", "--json")))
    assert found[0]["fields"] == bolt


def test_field_list_json_is_the_definitions_in_order(form: Run) -> None:
    listed = json.loads(ok(form("field", "list", "--json")))
    assert [d["name"] for d in listed] == [
        "budget",
        "since",
        "tier",
        "hotline",
        "billing",
        "sector",
    ]
    assert listed[0] == {
        "name": "budget",
        "type": "number",
        "choices": [],
        "required": False,
        "label": "Budget (EUR)",
    }
    assert listed[2]["choices"] == ["Gold", "Silver", "Café"]
    assert listed[5]["required"] is True and listed[5]["type"] == "text"


# --- defining and removing -------------------------------------------------------------


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (["budget"], ["budget", "already defined"]),
        (["BUDGET", "--type", "text"], ["budget", "already defined"]),
        (["company"], ["'company'", "card itself"]),
        (["Phone 2"], ["'Phone 2'", "card itself"]),
        (["E-mail"], ["card itself"]),
        (["Etiquetas"], ["card itself"]),
        (["size", "--type", "colour"], ["--type", "'colour'"]),
        (["size", "--type", "choice"], ["--choices a,b,c"]),
        (["size", "--choices", "a,b"], ["only for --type choice"]),
        (["size", "--type", "choice", "--choices", "a,A"], ["twice"]),
        (["2nd"], ["'2nd'", "letter"]),
    ],
)
def test_a_bad_definition_is_refused_with_one_line(
    form: Run, refuse, args: list[str], words: list[str]
) -> None:  # type: ignore[no-untyped-def]
    line = refuse("field", "add", *args, code=2)
    for word in words:
        assert word in line, (word, line)


def test_defining_a_field_adopts_the_values_already_held(run: Run, db_path: Path) -> None:
    ok(run("add", "Acme Ltd"))
    ok(run("add", "Bolt Inc"))
    ok(run("edit", "acme", "--set", "Budget=1,500"))
    ok(run("edit", "bolt", "--set", "budget=12k"))
    out = ok(run("field", "add", "budget", "--type", "number"))
    assert "1 value already held was rewritten as a number" in out
    assert "1 dossier holds a budget value that is not a number, kept as written (#2)" in out
    assert fields_of(run) == {"budget": 1500}  # renamed to the definition's spelling
    assert fields_of(run, "bolt") == {"budget": "12k"}  # kept, as text


def test_rm_is_refused_while_values_are_held_and_force_is_undone_in_one_step(
    form: Run, refuse, db_path: Path
) -> None:  # type: ignore[no-untyped-def]
    ok(form("add", "Bolt Inc"))
    ok(form("edit", "acme", "--set", "budget=12", "--set", "tier=gold"))
    ok(form("edit", "bolt", "--set", "budget=1.5"))
    line = refuse("field", "rm", "budget", code=1)
    assert "2 dossiers hold a value for budget" in line and "--force" in line
    definitions = ok(form("field", "list", "--json"))
    before = dump(db_path)
    out = ok(form("field", "rm", "Budget", "--force"))
    assert out == "Removed field budget and its 2 values\n"
    assert "budget" not in fields_of(form) and "budget" not in fields_of(form, "bolt")
    assert "budget" not in ok(form("field", "list"))
    assert ok(form("undo")).startswith("Undid: dossier field rm Budget --force")
    assert ok(form("field", "list", "--json")) == definitions  # same place in the order
    assert fields_of(form) == {"budget": 12, "tier": "Gold"}
    assert fields_of(form, "bolt") == {"budget": 1.5}
    # The folder as it was, but for the undo history itself and the dossiers' versions
    # (they only move on: undo is a change too).
    assert _without_undo(dump(db_path)) == _without_undo(before)


def _without_undo(text: str) -> list[str]:
    import re

    return [
        re.sub(r",\d+\);$", ",<version>);", line)
        if line.startswith('INSERT INTO "client"')
        else line
        for line in text.splitlines()
        if 'INTO "change"' not in line and 'INTO "undo_step"' not in line
    ]


def test_rm_of_an_unused_field_and_of_an_unknown_one(form: Run, refuse) -> None:  # type: ignore[no-untyped-def]
    assert ok(form("field", "rm", "hotline")) == "Removed field hotline\n"
    line = refuse("field", "rm", "nope", code=2)
    assert "no field 'nope' is defined (defined: budget, since, tier, billing, sector)" in line


def test_field_list_plain_and_empty(run: Run) -> None:
    assert "No fields defined yet" in ok(run("field", "list"))
    ok(run("add", "Acme Ltd"))
    ok(run("field", "add", "tier", "--type", "choice", "--choices", "a,b", "--required"))
    ok(run("edit", "acme", "--set", "tier=A"))
    lines = ok(run("field", "list")).splitlines()
    assert lines[0].split() == ["FIELD", "TYPE", "REQUIRED", "LABEL", "FILLED"]
    assert lines[1].split() == ["tier", "choice:", "a,", "b", "yes", "1"]


# --- show, list --missing, check -------------------------------------------------------


def test_show_lists_the_team_fields_in_order_then_the_free_ones(form: Run) -> None:
    ok(form("edit", "acme", "--set", "zeta=free", "--set", "budget=12,480.5"))
    ok(form("edit", "acme", "--set", "since=2024-03-01", "--set", "alpha=also free"))
    lines = ok(form("show", "acme")).splitlines()
    labels = [line.strip() for line in lines[9:17]]
    assert labels[0].split("  ")[0] == "Budget (EUR)" and labels[0].endswith("12,480.5")
    assert labels[1].startswith("since") and labels[1].endswith("Fri 1 Mar 2024")
    assert labels[2] == "tier" and labels[3] == "hotline" and labels[4] == "billing"
    assert labels[5].split() == ["sector", "missing"]
    assert labels[6].split() == ["alpha", "also", "free"] and labels[7].split() == ["zeta", "free"]


def test_show_in_spanish_says_falta_and_writes_numbers_with_a_comma(form: Run) -> None:
    ok(form("edit", "acme", "--set", "budget=12480.5"))
    out = ok(form("--lang", "es", "show", "acme"))
    assert "12.480,5" in out
    assert any(line.split() == ["sector", "falta"] for line in out.splitlines())


def test_show_on_a_terminal_shows_missing(form: Run, monkeypatch: pytest.MonkeyPatch) -> None:
    from dossier.cli import base

    monkeypatch.setattr(base, "use_rich", lambda: True)
    monkeypatch.setenv("COLUMNS", "100")
    out = ok(form("show", "acme"))
    assert "╭" in out  # the Rich card
    assert any(line.split()[1:3] == ["sector", "missing"] for line in out.splitlines())


def test_list_missing_lists_the_active_clients_leaving_a_field_empty(form: Run, refuse) -> None:  # type: ignore[no-untyped-def]
    ok(form("add", "Bolt Inc"))
    ok(form("add", "Core Co"))
    ok(form("edit", "bolt", "--set", "sector=retail"))
    ok(form("edit", "core", "--set", "sector="))  # empty counts as missing
    ok(form("add", "Done Dept"))
    ok(form("done", "done dept"))
    listed = json.loads(ok(form("list", "--missing", "SECTOR", "--json")))
    assert [c["name"] for c in listed] == ["Acme Ltd", "Core Co"]
    out = ok(form("list", "--missing", "sector"))
    assert out.splitlines()[0] == "2 clients (filtered: missing sector)"
    assert ok(form("list", "--missing", "sector", "--stage", "client")) == (
        "No clients match (filtered: stage client, missing sector).\n"
    )
    line = refuse("list", "--missing", "nope", code=2)
    assert "no field 'nope' is defined" in line


def test_check_warns_of_empty_required_fields_and_exits_0(form: Run) -> None:
    ok(form("add", "Bolt Inc"))
    result = form("check")
    assert result.exit_code == 0, result
    assert (
        "WARN  required field sector is filled: 2 active dossiers leave it empty (#1, #2); "
        "'dossier list --missing sector' lists them"
    ) in result.stdout
    assert result.stdout.endswith(
        "All checks passed, with 1 warning: a required field left empty.\n"
    )
    ok(form("edit", "acme", "--set", "sector=retail"))
    ok(form("edit", "bolt", "--set", "sector=hotels"))
    out = ok(form("check"))
    assert "ok    required field sector is filled: ok" in out
    assert out.endswith("All checks passed.\n")
    spanish = ok(form("--lang", "es", "check"))
    assert "el campo obligatorio sector está rellenado" in spanish


def test_check_without_forms_says_nothing_of_them(run: Run) -> None:
    ok(run("add", "Acme Ltd"))
    out = ok(run("check"))
    assert "required field" not in out and out.endswith("All checks passed.\n")


# --- export and import -----------------------------------------------------------------


def test_export_carries_the_definitions_and_import_recreates_them(
    form: Run, tmp_path: Path
) -> None:
    ok(form("edit", "acme", "--set", "budget=1,234.5", "--set", "since=2024-03-01"))
    ok(form("edit", "acme", "--set", "tier=silver", "--set", "free=1,5"))
    exported = tmp_path / "out.json"
    ok(form("export", "-o", str(exported)))
    document = json.loads(exported.read_text(encoding="utf-8"))
    assert document["fields"] == json.loads(ok(form("field", "list", "--json")))
    assert document["clients"][0]["fields"] == {
        "budget": 1234.5,
        "free": "1,5",
        "since": "2024-03-01",
        "tier": "Silver",
    }
    other = str(tmp_path / "other.db")
    ok(form("--db", other, "field", "add", "since", "--type", "date"))  # already there: kept
    assert "Imported 1 client" in ok(form("--db", other, "import", str(exported)))
    names = [d["name"] for d in json.loads(ok(form("--db", other, "field", "list", "--json")))]
    assert names == ["since", "budget", "tier", "hotline", "billing", "sector"]  # added after
    imported = json.loads(ok(form("--db", other, "show", "acme", "--json")))["fields"]
    assert imported == document["clients"][0]["fields"]
    assert stored(Path(other), "budget") == "1234.5"  # the number kept as text, canonical
    ok(form("--db", other, "undo"))  # the import and its definitions, one step
    names = [d["name"] for d in json.loads(ok(form("--db", other, "field", "list", "--json")))]
    assert names == ["since"]


def test_import_refuses_a_definition_whose_type_conflicts(
    run: Run, refuse, tmp_path: Path, db_path: Path
) -> None:  # type: ignore[no-untyped-def]
    other = str(tmp_path / "other.db")
    ok(run("--db", other, "add", "Acme Ltd"))
    ok(run("--db", other, "field", "add", "budget", "--type", "number"))
    ok(run("--db", other, "edit", "acme", "--set", "budget=12"))
    exported = tmp_path / "out.json"
    ok(run("--db", other, "export", "-o", str(exported)))
    ok(run("add", "Bolt Inc"))
    ok(run("field", "add", "Budget", "--type", "text"))
    line = refuse("import", str(exported), code=1)
    assert line == (
        "dossier: the file's field budget is a number field, this folder's a text field; "
        "nothing was imported"
    )


def test_an_export_without_fields_still_imports(run: Run, tmp_path: Path) -> None:
    old = tmp_path / "old.json"
    old.write_text(
        json.dumps({"dossier_export": 1, "clients": [{"name": "Acme Ltd", "fields": {"a": "1"}}]}),
        encoding="utf-8",
    )
    assert "Imported 1 client" in ok(run("import", str(old)))
    assert fields_of(run) == {"a": "1"}
    assert "No fields defined yet" in ok(run("field", "list"))


def test_a_bad_definition_in_the_file_is_refused_before_anything(run: Run, tmp_path: Path) -> None:
    bad = tmp_path / "bad.json"
    for fields in ([{"name": "x", "type": "colour"}], [{"name": 3}], {"x": 1}):
        bad.write_text(
            json.dumps({"dossier_export": 1, "fields": fields, "clients": []}), encoding="utf-8"
        )
        line = refused(run("import", str(bad)), 2)
        assert "colour" in line or "definition" in line, line
