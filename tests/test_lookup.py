"""Tests for dossier.app.lookup: how what the user types after a command becomes one client.

Clients are added through the real CLI into the temporary database, then looked up with
``lookup.resolve`` over a real connection, or through ``dossier show``.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from dossier.app import lookup
from dossier.app.unit import unit
from dossier.domain.errors import AmbiguousClient, ClientNotFound, DossierError
from dossier.domain.names import fold

Resolve = Callable[[str], int]


def add(run: Callable[..., Any], name: str, *flags: str) -> int:
    """Add a client through the CLI; its id, read from the confirmation line."""
    result = run("add", name, *flags)
    assert result.exit_code == 0, result
    match = re.match(r"Added #(\d+) ", result.stdout)
    assert match, result
    return int(match[1])


@pytest.fixture
def resolve() -> Iterator[Resolve]:
    """``lookup.resolve`` in a read-only unit of work on the test database (``DOSSIER_DB``,
    a file or, with ``DOSSIER_TEST_ENGINE=postgres``, a server database), per call."""

    def call(typed: str) -> int:
        with unit(None, write=False) as opened:
            return lookup.resolve(opened.store, typed)

    yield call


def failure(resolve: Resolve, typed: str) -> DossierError:
    with pytest.raises(DossierError) as raised:
        resolve(typed)
    return raised.value


# --------------------------------------------------------------------------- ids


def test_numeric_id_and_hash_id(run, resolve: Resolve) -> None:
    ids = [add(run, name) for name in ("Alice", "Bob", "Carol")]
    assert resolve(str(ids[1])) == ids[1]
    assert resolve(f"#{ids[2]}") == ids[2]
    assert resolve(f"  #{ids[0]} ") == ids[0]


def test_an_id_wins_over_a_name_made_of_digits(run, resolve: Resolve) -> None:
    first = add(run, "Alice")
    digits = add(run, str(first))  # a client literally named "1"
    assert resolve(str(first)) == first
    assert resolve(f"#{first}") == first
    assert digits != first


def test_a_numeric_name_that_is_not_an_id_falls_back_to_the_name(run, resolve: Resolve) -> None:
    add(run, "Alice")
    agency = add(run, "4711")
    shop = add(run, "24/7 Shop")
    assert resolve("4711") == agency
    assert resolve("#4711") == agency
    assert resolve("24") == shop  # prefix of a name, no client #24


def test_an_unknown_id_is_an_error_naming_the_id(run, resolve: Resolve) -> None:
    add(run, "Alice")
    error = failure(resolve, "99")
    assert isinstance(error, ClientNotFound)
    assert "99" in str(error)
    assert error.exit_code == 1


# --------------------------------------------------------------------------- levels


def test_exact_name_beats_a_longer_name_with_the_same_prefix(run, resolve: Resolve) -> None:
    ann = add(run, "Ann")
    anna = add(run, "Anna")
    assert resolve("Ann") == ann
    assert resolve("ann") == ann
    assert resolve("ANNA") == anna


def test_exact_name_beats_exact_company(run, resolve: Resolve) -> None:
    dora = add(run, "Dora", "--company", "Ann")
    ann = add(run, "Ann", "--company", "Zeta")
    assert resolve("ann") == ann
    assert resolve("dora") == dora


def test_exact_company(run, resolve: Resolve) -> None:
    add(run, "Acme Fan", "--company", "Fans Inc")
    jo = add(run, "Jo Bloggs", "--company", "Acme")
    # "acme" is a prefix of a name, but an exact company comes first.
    assert resolve("acme") == jo
    assert resolve("ACME") == jo


def test_exact_company_beats_a_name_prefix(run, resolve: Resolve) -> None:
    add(run, "Globex Fan")
    hank = add(run, "Hank Scorpio", "--company", "Globex")
    assert resolve("globex") == hank


def test_unique_prefix(run, resolve: Resolve) -> None:
    bob = add(run, "Bob Stone")
    add(run, "Barbara Wu")
    assert resolve("Bo") == bob
    assert resolve("bob s") == bob


def test_unique_company_prefix(run, resolve: Resolve) -> None:
    add(run, "Alice")
    carl = add(run, "Carl", "--company", "Initech Europe")
    assert resolve("initech") == carl


def test_unique_substring(run, resolve: Resolve) -> None:
    bob = add(run, "Bob Stone")
    add(run, "Alice Brown")
    assert resolve("stone") == bob
    assert resolve("b stON") == bob


def test_unique_company_substring(run, resolve: Resolve) -> None:
    add(run, "Alice")
    carl = add(run, "Carl", "--company", "Umbrella Corporation")
    assert resolve("corporation") == carl


def test_name_before_company_at_the_same_level(run, resolve: Resolve) -> None:
    mueller = add(run, "Müller", "--company", "Acme")
    carl = add(run, "Carl", "--company", "Müller GmbH")
    # Prefix level: "Müller" (name) and "Müller GmbH" (company) both start with "mül".
    assert resolve("mül") == mueller
    # Substring level: "Ann Miller" (name) and "Sunnyside" (company) both contain "nn".
    ann = add(run, "Ann Miller")
    add(run, "Dave", "--company", "Sunnyside")
    assert resolve("nn") == ann
    assert resolve("müller gmbh") == carl


def test_the_first_level_with_a_match_decides_even_if_ambiguous_below(run, resolve) -> None:
    ann = add(run, "Ann")
    add(run, "Anna")
    add(run, "Annabel")
    assert resolve("ann") == ann  # exact, though "ann" prefixes all three


# --------------------------------------------------------------------------- text forms


@pytest.mark.parametrize(
    ("stored", "typed"),
    [
        ("Müller", "MÜLLER"),
        ("Müller", "müller"),
        ("ÅSA Öberg", "åsa öberg"),
        ("Straße AG", "STRASSE AG"),  # case folding, not just lower()
        ("Ζωή Παπαδοπούλου", "ΖΩΉ"),
        ("Zoë Ångström 東京", "zoë ångström 東京"),
    ],
)
def test_case_insensitive_including_non_ascii(run, resolve: Resolve, stored, typed) -> None:
    add(run, "Someone Else")
    wanted = add(run, stored)
    assert resolve(typed) == wanted


def test_nfd_input_finds_an_nfc_name(run, resolve: Resolve) -> None:
    wanted = add(run, unicodedata.normalize("NFC", "Zoë Müller"))
    add(run, "Zoe Muller")
    typed = unicodedata.normalize("NFD", "Zoë Müller")
    assert typed != "Zoë Müller"
    assert resolve(typed) == wanted
    assert resolve(unicodedata.normalize("NFD", "ZOË MÜ")) == wanted


def test_an_nfd_name_is_found_by_nfc_input(run, resolve: Resolve) -> None:
    wanted = add(run, unicodedata.normalize("NFD", "Renée Dupré"))
    assert resolve("renée dupré") == wanted
    assert resolve("RENÉE") == wanted


@pytest.mark.parametrize(
    "typed",
    ["  Bob Stone", "Bob Stone   ", "Bob   Stone", " bob\tstone ", "\tBOB  \n STONE\n"],
)
def test_extra_whitespace_is_ignored(run, resolve: Resolve, typed: str) -> None:
    add(run, "Bob Stonehenge")
    bob = add(run, "Bob Stone")
    assert resolve(typed) == bob


# --------------------------------------------------------------------------- errors


def test_ambiguous_lists_every_candidate_with_its_id(run, resolve: Resolve) -> None:
    ids = {name: add(run, name) for name in ("Jo Adams", "Jo Baker", "Jo Clark")}
    add(run, "Mary Jones")  # "jo" is inside "jones" but the prefix level decides first
    error = failure(resolve, "jo")
    assert isinstance(error, AmbiguousClient)
    message = str(error)
    for name, client_id in ids.items():
        assert f"#{client_id} {name}" in message
    assert "Mary Jones" not in message
    assert error.exit_code == 1


def test_ambiguous_on_the_cli_is_one_stderr_line_and_exit_1(run) -> None:
    a = add(run, "Jo Adams", "--company", "Acme")
    b = add(run, "Jo Baker")
    result = run("show", "jo")
    assert result.exit_code == 1
    assert result.stdout == ""
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1
    assert f"#{a} Jo Adams" in lines[0]
    assert f"#{b} Jo Baker" in lines[0]
    assert "Traceback" not in result.stderr


def test_not_found_names_the_closest_names(run, resolve: Resolve) -> None:
    john = add(run, "John Smith")
    add(run, "Zed Zimmerman")
    error = failure(resolve, "Jonh Smiht")
    assert isinstance(error, ClientNotFound)
    assert f"#{john} John Smith" in str(error)
    assert "Zimmerman" not in str(error)


def test_not_found_on_the_cli_is_one_stderr_line_and_exit_1(run) -> None:
    anna = add(run, "Anna Karenina")
    result = run("show", "anna karenin x")
    assert result.exit_code == 1
    assert result.stdout == ""
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1
    assert "anna karenin x" in lines[0]
    assert f"#{anna} Anna Karenina" in lines[0]


def test_not_found_with_nothing_close_still_says_what_was_typed(run) -> None:
    add(run, "Anna Karenina")
    result = run("show", "qqqqqq")
    assert result.exit_code == 1
    assert "qqqqqq" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_an_empty_or_blank_client_is_an_error_not_a_match(run, resolve: Resolve) -> None:
    add(run, "Anna")
    for typed in ("", "   "):
        assert isinstance(failure(resolve, typed), ClientNotFound)


@pytest.mark.parametrize(
    ("typed", "kind"), [("evil", "matches 2 clients"), ("evil onex", "closest")]
)
def test_lookup_errors_never_put_a_names_escape_codes_on_the_terminal(run, typed, kind) -> None:
    """A name holding ESC/BEL, listed in an error, must not recolour or retitle stderr."""
    add(run, "Evil\x1b[31m One")
    add(run, "Evil\x1b]0;pwned\x07 Two")
    result = run("show", typed)
    assert result.exit_code == 1
    assert kind in result.stderr
    assert "Evil" in result.stderr
    assert "\x1b" not in result.stderr, result.stderr
    assert "\x07" not in result.stderr, result.stderr


def test_archived_message_never_puts_escape_codes_on_the_terminal(run) -> None:
    client = add(run, "Evil\x1b[2J Corp")
    assert run("done", str(client)).exit_code == 0
    result = run("file", str(client), "--on", "13")
    assert result.exit_code == 1
    assert "reopen" in result.stderr
    assert "\x1b" not in result.stderr, result.stderr


# --------------------------------------------------------------------------- archived


def test_archived_clients_are_still_found_by_show(run, resolve: Resolve) -> None:
    gone = add(run, "Gone Gmbh", "--company", "Old Customer")
    add(run, "Active Anna")
    assert run("done", "gone", "--reason", "moved away").exit_code == 0

    assert resolve("gone") == gone
    assert resolve("old customer") == gone
    for typed in ("gone gmbh", "Gone", "old cust", str(gone)):
        result = run("show", typed)
        assert result.exit_code == 0, result
        assert result.stdout.startswith(f"#{gone} Gone Gmbh")
        assert "done (moved away)" in result.stdout


def test_ambiguity_between_active_and_archived_marks_the_archived_one(run) -> None:
    old = add(run, "Jo Adams", "--company", "Acme")
    new = add(run, "Jo Baker")
    assert run("done", str(old)).exit_code == 0
    result = run("show", "jo")
    assert result.exit_code == 1
    assert f"#{old} Jo Adams" in result.stderr
    assert f"#{new} Jo Baker" in result.stderr
    assert "archived" in result.stderr


# --------------------------------------------------------------------------- folding
#
# Names typed the way people type them (issue 8): without regard to case or accents,
# through every command that takes a CLIENT, on a real database file.

PEOPLE = [
    ("José Núñez", "Acme"),
    ("Íñigo Arana", "Bodegas Ñandú"),
    ("Jürgen Müller", "Kraftwerk"),
    ("Søren Østergaard", None),
    ("Anna Smith", "Zürich Versicherung"),
    ("Zed Zimmerman", None),
]


def add_people(run: Callable[..., Any]) -> dict[str, int]:
    ids = {}
    for name, company in PEOPLE:
        ids[name] = add(run, name, *(("--company", company) if company else ()))
    return ids


# Each command that takes a CLIENT, as (setup, arguments): setup readies the client (by
# id, so it does not depend on what is tested), the arguments act on what was typed.
COMMANDS: dict[str, tuple[Callable[[Any, int], None], Callable[[str], list[str]]]] = {
    "show": (lambda run, _id: None, lambda typed: ["show", typed]),
    "file": (lambda run, _id: None, lambda typed: ["file", typed, "--on", "15"]),
    "log": (lambda run, _id: None, lambda typed: ["log", typed, "rang, no answer"]),
    "edit": (lambda run, _id: None, lambda typed: ["edit", typed, "--position", "Boss"]),
    "done": (lambda run, _id: None, lambda typed: ["done", typed]),
    "reopen": (lambda run, id_: run("done", str(id_)), lambda typed: ["reopen", typed]),
    "rm": (lambda run, _id: None, lambda typed: ["rm", typed, "--yes"]),
    "move": (
        lambda run, id_: run("file", str(id_), "--on", "15"),
        lambda typed: ["move", typed, "--on", "16"],
    ),
}

FOLDED = [
    # typed, and the client it designates (the level that finds it, where it matters)
    ("nunez", "José Núñez"),  # name substring
    ("NUNEZ", "José Núñez"),
    ("Nuñez", "José Núñez"),  # half the accents
    ("jose nunez", "José Núñez"),  # exact name
    ("jose", "José Núñez"),  # name prefix: the only José is used, not suggested
    ("inigo", "Íñigo Arana"),
    ("INIGO ARANA", "Íñigo Arana"),
    ("muller", "Jürgen Müller"),
    ("ostergaard", "Søren Østergaard"),  # ø is an o
    ("soren", "Søren Østergaard"),
    ("bodegas nandu", "Íñigo Arana"),  # exact company
    ("zurich", "Anna Smith"),  # company prefix
    ("nandu", "Íñigo Arana"),  # company substring
    ("versicherung", "Anna Smith"),
]


@pytest.mark.parametrize(
    ("text", "folded"),
    [
        ("José Núñez", "jose nunez"),
        ("ÍÑIGO", "inigo"),
        ("Müller", "muller"),
        ("Søren Østergaard", "soren ostergaard"),
        ("Straße", "strasse"),
        ("Łukasz Dvořák", "lukasz dvorak"),
        ("Æbelø Œuvre", "aebelo oeuvre"),
        ("Đorđe", "dorde"),
        (unicodedata.normalize("NFD", "Renée  Dupré "), "renee dupre"),
        ("\uff26\uff55\uff4c\uff4c", "full"),  # fullwidth letters
        ("Evil\x1b[31m One", "evil[31m one"),
        ("Ann\tLee\n", "ann lee"),
        ("Zoë\tLee", "zoe lee"),
        ("東京 Ζωή", "東京 ζωη"),
    ],
)
def test_fold_drops_case_and_accents(text: str, folded: str) -> None:
    assert fold(text) == folded
    assert fold(folded) == folded


@pytest.mark.parametrize("command", sorted(COMMANDS))
@pytest.mark.parametrize(("typed", "wanted"), FOLDED)
def test_every_command_matches_without_regard_to_case_or_accents(
    run, command: str, typed: str, wanted: str
) -> None:
    ids = add_people(run)
    setup, arguments = COMMANDS[command]
    setup(run, ids[wanted])
    result = run(*arguments(typed))
    assert result.exit_code == 0, result
    assert wanted in result.stdout, result
    assert "closest" not in result.stderr


@pytest.mark.parametrize(("typed", "wanted"), FOLDED)
def test_folded_lookup_resolves_to_the_client(run, resolve: Resolve, typed, wanted) -> None:
    ids = add_people(run)
    assert resolve(typed) == ids[wanted]


def test_file_jose_files_the_only_jose(run) -> None:
    ids = add_people(run)
    result = run("file", "jose", "--on", "13")
    assert result.exit_code == 0, result
    assert "José Núñez" in result.stdout
    assert "no client matches" not in result.stderr
    assert run("show", str(ids["José Núñez"]), "--json").stdout.count("2024-07-15") == 1


@pytest.mark.parametrize("typed", ["jose ruiz", "JOSE RUIZ", "Jose Ruiz", "jose", "ruiz"])
@pytest.mark.parametrize("command", sorted(COMMANDS))
def test_typed_without_accents_is_ambiguous_between_both_spellings(
    run, refuse, command: str, typed: str
) -> None:
    """The user may have left the accents out: 'Jose Ruiz' may mean either."""
    plain = add(run, "Jose Ruiz")
    accented = add(run, "José Ruiz")
    COMMANDS[command][0](run, plain)
    COMMANDS[command][0](run, accented)
    message = refuse(*COMMANDS[command][1](typed), code=1)
    assert "matches 2 clients" in message
    assert f"#{plain} Jose Ruiz" in message
    assert f"#{accented} José Ruiz" in message


@pytest.mark.parametrize("typed", ["José Ruiz", "JOSÉ RUIZ", "josé", "José R"])
@pytest.mark.parametrize("command", sorted(COMMANDS))
def test_typed_with_its_accents_is_the_one_spelt_so(run, command: str, typed: str) -> None:
    add(run, "Jose Ruiz")
    accented = add(run, "José Ruiz")
    COMMANDS[command][0](run, accented)
    result = run(*COMMANDS[command][1](typed))
    assert result.exit_code == 0, result
    assert "José Ruiz" in result.stdout
    assert "Jose Ruiz" not in result.stdout


def test_an_exact_match_as_typed_beats_a_folded_one_at_each_level(run, resolve) -> None:
    plain = add(run, "Muller Bau", "--company", "Ærø Sejl")
    umlaut = add(run, "Müller Bau", "--company", "Aero Sejl")
    assert resolve("Müller Bau") == umlaut  # exact name
    assert resolve("Müller") == umlaut  # name prefix
    assert resolve("üller") == umlaut  # name substring
    assert resolve("Ærø Sejl") == plain  # exact company
    assert resolve("Ærø") == plain  # company prefix
    assert resolve("rø sej") == plain  # company substring
    for typed in ("Muller Bau", "muller", "uller b", "aero sejl", "aero"):
        assert isinstance(failure(resolve, typed), AmbiguousClient), typed


def test_typed_accents_that_match_nothing_as_typed_fall_back_to_folding(run, resolve) -> None:
    wanted = add(run, "Jose Nunez")
    add(run, "Anna Smith")
    assert resolve("José Núñez") == wanted
    assert resolve("Núñ") == wanted


@pytest.mark.parametrize(
    ("typed", "closest"),
    [("Nunes", "José Núñez"), ("Jsoe", "José Núñez"), ("Inigo Arnaa", "Íñigo Arana")],
)
@pytest.mark.parametrize("command", ["show", "file", "rm"])
def test_a_typo_names_the_closest_folded_names(run, refuse, command, typed, closest) -> None:
    ids = add_people(run)
    args = {"show": ["show", typed], "file": ["file", typed, "--on", "15"]}.get(
        command, ["rm", typed, "--yes"]
    )
    message = refuse(*args, code=1)
    assert f"no client matches {typed!r}" in message
    assert "closest: " in message
    assert f"#{ids[closest]} {closest}" in message.split("closest: ", 1)[1]
    assert message.count("#") <= 3


@pytest.mark.parametrize("typed", ["xylophone", "qqqq", "Brandenburg"])
def test_an_unrelated_word_suggests_nothing(run, refuse, typed: str) -> None:
    add_people(run)
    message = refuse("show", typed, code=1)
    assert "closest" not in message
    assert "#" not in message


@pytest.mark.sqlite_only("reads SQLite's query plans")
def test_the_folded_lookup_uses_the_index_not_a_scan(run, db_path: Path) -> None:
    """At 100,000 clients a scan per lookup is felt; the folded keys are indexed."""
    from dossier.storage.sqlite import SqliteStore
    from dossier.storage.sqlite.db import open_database

    add_people(run)
    database = open_database(db_path)
    try:
        with database.transaction(write=False) as conn:
            statements: list[str] = []
            conn.set_trace_callback(statements.append)
            for typed in ("jose nunez", "jose", "bodegas nandu", "zurich", "José Núñez"):
                lookup.resolve(SqliteStore(conn, db_path), typed)
            conn.set_trace_callback(None)
            folded = [s for s in statements if "_fold" in s]
            assert folded, statements
            for statement in folded:
                plan = " | ".join(
                    row[-1] for row in conn.execute("EXPLAIN QUERY PLAN " + statement)
                )
                assert "SCAN" not in plan, plan
                assert "USING INDEX client_name_fold" in plan or (
                    "USING INDEX client_company_fold" in plan
                ), plan
    finally:
        database.close()
