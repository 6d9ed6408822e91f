"""Tests for what dossier prints: user text is data, Rich on a terminal, plain text in a
pipe, and no crash in an ASCII / C locale.

Plain output is exercised through CliRunner (never a terminal) and subprocesses with a
pipe; the Rich views are rendered into a recording Console from records built by the real
service functions; the terminal decision itself is checked through a real pseudo-terminal.
"""

from __future__ import annotations

import io
import json
import os
import pty
import re
import select
import subprocess
import sys
import unicodedata
from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from rich.console import Console, RenderableType

from dossier.app import cards as service
from dossier.domain.text import clean, excerpt
from dossier.storage.sqlite import SqliteStore
from dossier.storage.sqlite.db import open_database
from dossier.ui import terminal as render_rich

DOSSIER = str(Path(sys.executable).with_name("dossier"))
FRI = date(2024, 7, 5)

EVIL_NAME = "[bold red]Evil[/]"
EVIL_NOTE = "hi \x1b[31mRED\x1b]0;title\x07 then \x9b2J and \u202eesrever done"
EVIL_COMPANY = "Acme\x1b[2J Ltd"
EVIL_FOR = "call \x1b[31mRED back"
# Bytes that would colour, retitle, ring, clear or reverse the user's terminal.
FORBIDDEN = ("\x1b", "\x07", "\x9b", "\u202e")
RAW_SEQUENCES = ("\x1b[31mRED", "\x1b]0;title", "\x1b[2J", "\x07", "\x9b", "\u202e")

ANSI = re.compile(rb"\x1b[\[\]()][0-9;?]*[A-Za-z]?")


def added_id(result: Any) -> int:
    assert result.exit_code == 0, result
    match = re.match(r"Added #(\d+) ", result.stdout)
    assert match, result
    return int(match[1])


@pytest.fixture
def evil(run: Callable[..., Any]) -> int:
    """A client whose name is Rich markup and whose note, company and "for" hold escapes,
    filed today, next to an ordinary client."""
    client = added_id(
        run(
            "add",
            EVIL_NAME,
            "--company",
            EVIL_COMPANY,
            "--phone",
            "+1 555 0100",
            "--on",
            "today",
            "--for",
            EVIL_FOR,
            "--note",
            EVIL_NOTE,
        )
    )
    added_id(run("add", "Plain Paul", "--company", "Normal Co", "--on", "today"))
    return client


def assert_safe(output: str) -> None:
    for char in FORBIDDEN:
        assert char not in output, f"{char!r} reached the terminal: {output!r}"


# --------------------------------------------------------------------------- plain output


def test_plain_today_shows_user_text_literally(run, evil: int) -> None:
    result = run("today")
    assert result.exit_code == 0, result
    assert EVIL_NAME in result.stdout
    assert "Plain Paul" in result.stdout
    assert "\\x1b[31mRED" in result.stdout  # the note and "for" are shown, made visible
    assert "Acme\\x1b[2J Ltd" in result.stdout
    assert_safe(result.stdout)


def test_plain_show_shows_user_text_literally(run, evil: int) -> None:
    result = run("show", str(evil))
    assert result.exit_code == 0, result
    assert result.stdout.startswith(f"#{evil} {EVIL_NAME}")
    assert "hi \\x1b[31mRED\\x1b]0;title\\x07 then \\x9b2J and \\u202eesrever done" in result.stdout
    assert "call \\x1b[31mRED back" in result.stdout
    assert_safe(result.stdout)


def test_plain_list_shows_user_text_literally(run, evil: int) -> None:
    result = run("list")
    assert result.exit_code == 0, result
    assert EVIL_NAME in result.stdout
    assert "Acme\\x1b[2J Ltd" in result.stdout
    assert_safe(result.stdout)


@pytest.mark.parametrize("text", ["evil", "acme", "title", "esrever"])
def test_plain_find_shows_user_text_literally(run, evil: int, text: str) -> None:
    result = run("find", text)
    assert result.exit_code == 0, result
    assert EVIL_NAME in result.stdout
    assert "Plain Paul" not in result.stdout
    assert_safe(result.stdout)


def test_plain_file_confirmation_shows_user_text_literally(run, evil: int) -> None:
    result = run("file", str(evil), "--on", "12", "-m", "said \x1b[31mRED\x07", "--for", "x\x9by")
    assert result.exit_code == 0, result
    assert f"Filed {EVIL_NAME} under Fri 12 Jul 2024 (tab 12)" in result.stdout
    assert "x\\x9by" in result.stdout
    assert_safe(result.stdout)


@pytest.mark.parametrize(
    "args",
    [
        ("add", "\x1b[31mNew\x1b[0m [b]one[/b]", "--on", "13"),
        ("log", "1", "note \x1b]0;t\x07"),
        ("edit", "1", "--for", "\u202erevo"),
        ("done", "1"),
    ],
)
def test_every_confirmation_line_is_escape_free(run, evil: int, args: tuple[str, ...]) -> None:
    result = run(*args)
    assert result.exit_code == 0, result
    assert result.stdout.strip()
    assert_safe(result.stdout)


@pytest.mark.parametrize("command", [("show", "1", "--json"), ("today", "--json")])
def test_json_escapes_control_characters_and_round_trips(run, evil: int, command) -> None:
    """--json is exact data for scripts, yet printing it must not control the terminal."""
    result = run(*command)
    assert result.exit_code == 0, result
    data = json.loads(result.stdout)
    item = data if "history" in data else next(i for i in data["today"] if i["id"] == evil)
    assert item["name"] == EVIL_NAME
    assert item["last_contact"]["text"] == EVIL_NOTE
    assert_safe(result.stdout)


# --------------------------------------------------------------------------- Rich views


def rich_output(renderable: RenderableType) -> tuple[str, str]:
    """(the text a user reads, the ANSI stream written to the terminal)."""
    console = Console(
        record=True,
        force_terminal=True,
        width=200,
        color_system="truecolor",
        file=io.StringIO(),
        highlight=False,
        emoji=False,
    )
    console.print(renderable)
    ansi = console.file.getvalue()  # type: ignore[attr-defined]
    return console.export_text(), ansi


@pytest.fixture
def records(db_path: Path, evil: int, run) -> Iterator[dict[str, Any]]:
    """Records built by the real service functions over the temporary database."""
    # An overdue dossier with hostile text too, and a month-tab one.
    added_id(run("add", "Late \x1b[5mBlink", "--company", "[link=x]L[/link]", "--on", "july"))
    database = open_database(db_path)
    try:
        with database.transaction(write=False) as conn:
            store = SqliteStore(conn, db_path)
            view = service.today_view(store, FRI)
            late_view = service.today_view(store, date(2024, 8, 2))
            card, history, _size = service.show(store, str(evil))
            rows, _total = service.listing(store, None, None, False, False)
            hits = [(h.row, h.entries) for h in service.find(store, "evil")]
            note_hits = [
                (h.row, h.entries) for h in service.find(SqliteStore(conn, db_path), "title")
            ]
    finally:
        database.close()
    yield {
        "today": render_rich.today(view),
        "today_late": render_rich.today(late_view),
        "show": render_rich.show(card, history),
        "listing": render_rich.listing(rows),
        "found": render_rich.found(hits),
        "found_note": render_rich.found(note_hits),
    }


@pytest.mark.parametrize("view", ["today", "today_late", "show", "listing", "found", "found_note"])
def test_rich_views_show_markup_literally_and_never_pass_escapes(records, view: str) -> None:
    text, ansi = rich_output(records[view])
    assert EVIL_NAME in text
    assert "\x1b[" in ansi  # it is styled: this is the terminal view
    for raw in RAW_SEQUENCES:
        assert raw not in text
        assert raw not in ansi, f"user's {raw!r} reached the terminal"


def test_rich_show_displays_the_note_as_visible_escapes(records) -> None:
    text, _ = rich_output(records["show"])
    assert "hi \\x1b[31mRED\\x1b]0;title\\x07 then \\x9b2J and \\u202eesrever done" in text
    assert "Acme\\x1b[2J Ltd" in text
    assert "call \\x1b[31mRED back" in text


def test_rich_today_shows_overdue_month_and_markup_company_literally(records) -> None:
    text, ansi = rich_output(records["today_late"])
    assert "Late \\x1b[5mBlink" in text
    assert "[link=x]L[/link]" in text
    assert "\x1b]8;" not in ansi  # no hyperlink was made from the company name
    assert "\x1b[5m" not in ansi


# --------------------------------------------------------------------------- a real terminal


def run_in_pty(args: list[str], env: dict[str, str], columns: int = 200) -> bytes:
    """Run a command with stdout on a pseudo-terminal; everything it wrote."""
    import fcntl
    import struct
    import termios

    master, slave = pty.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 50, columns, 0, 0))
    proc = subprocess.Popen(args, stdin=slave, stdout=slave, stderr=slave, env=env)
    os.close(slave)
    out = b""
    try:
        while True:
            ready, _, _ = select.select([master], [], [], 20)
            if not ready:
                break
            try:
                chunk = os.read(master, 65536)
            except OSError:  # the child closed the terminal
                break
            if not chunk:
                break
            out += chunk
    finally:
        os.close(master)
        proc.wait(timeout=30)
    assert proc.returncode == 0, out
    return out


def terminal_env(**changes: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("NO_COLOR", "FORCE_COLOR")}
    env.update(TERM="xterm-256color", COLUMNS="200")
    env.update(changes)
    return env


def test_terminal_gets_rich_output_with_markup_names_literal(evil: int) -> None:
    out = run_in_pty([DOSSIER, "today"], terminal_env())
    assert ANSI.search(out), out  # Rich is used on a terminal
    assert EVIL_NAME.encode() in out
    assert b"Plain Paul" in out
    for raw in RAW_SEQUENCES:
        assert raw.encode() not in out, f"user's {raw!r} reached the terminal"


def test_terminal_show_is_rich_and_safe(evil: int) -> None:
    out = run_in_pty([DOSSIER, "show", str(evil)], terminal_env())
    assert ANSI.search(out), out
    assert EVIL_NAME.encode() in out
    for raw in RAW_SEQUENCES:
        assert raw.encode() not in out


@pytest.mark.parametrize("changes", [{"NO_COLOR": "1"}, {"TERM": "dumb"}])
def test_no_color_or_dumb_terminal_gets_no_escape_codes(evil: int, changes) -> None:
    for command in (["today"], ["show", str(evil)], ["list"], ["find", "evil"]):
        out = run_in_pty([DOSSIER, *command], terminal_env(**changes))
        assert b"\x1b" not in out, (command, out)
        assert EVIL_NAME.encode() in out


# --------------------------------------------------------------------------- a pipe


LONG_COMPANY = "Compagnie " + "Générale-" * 29 + "X" * 29
LONG_FOR = "a purpose that is also rather long, to push the table far past any width"
LONG_PHONE = "+44 (0)20 7946 0000 ext. 12345 / mobile +44 7700 900123 / fax +44 20 7946 0999"


@pytest.fixture
def long_client(run) -> int:
    assert len(LONG_COMPANY) >= 300
    return added_id(
        run(
            "add",
            "Wide Wanda",
            "--company",
            LONG_COMPANY,
            "--phone",
            LONG_PHONE,
            "--on",
            "today",
            "--for",
            LONG_FOR,
            "--note",
            "First call went well " * 6,
        )
    )


def piped(*args: str, **changes: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k != "NO_COLOR"}
    env.update(TERM="xterm-256color")
    env.update(changes)
    result = subprocess.run(
        [DOSSIER, *args], capture_output=True, text=True, encoding="utf-8", env=env, timeout=60
    )
    assert result.returncode == 0, result
    assert "Traceback" not in result.stderr
    return result


@pytest.mark.parametrize("columns", [None, "20"])
def test_piped_output_is_plain_and_never_truncated_or_wrapped(long_client: int, columns) -> None:
    changes = {"COLUMNS": columns} if columns else {}
    today = piped("today", **changes).stdout
    listing = piped("list", **changes).stdout
    card = piped("show", str(long_client), **changes).stdout
    found = piped("find", "wanda", **changes).stdout
    for out in (today, listing, card, found):
        assert "\x1b" not in out
    # The company and phone in full, on the client's one row.
    assert any(
        LONG_COMPANY in line and LONG_PHONE in line and LONG_FOR in line
        for line in today.splitlines()
    )
    assert any(LONG_COMPANY in line and "Wide Wanda" in line for line in listing.splitlines())
    assert any(LONG_COMPANY in line and "Wide Wanda" in line for line in found.splitlines())
    assert any(line.strip() == f"Company   {LONG_COMPANY}" for line in card.splitlines())
    assert any(line.strip() == f"Phone     {LONG_PHONE}" for line in card.splitlines())


def test_piped_output_of_hostile_text_is_escape_free(evil: int) -> None:
    for args in (["today"], ["show", str(evil)], ["list"], ["find", "evil"]):
        out = piped(*args).stdout
        assert EVIL_NAME in out
        assert_safe(out)


# --------------------------------------------------------------------------- hostile locale

ZOE = "Zoë Ångström 東京"
HOSTILE = {"PYTHONIOENCODING": "ascii", "LC_ALL": "C", "TERM": "dumb", "COLUMNS": "20"}


@pytest.fixture
def zoe(run) -> int:
    return added_id(
        run("add", ZOE, "--company", "Société 東京", "--on", "today", "--note", "café ☕ 東京")
    )


@pytest.mark.parametrize(
    "args",
    [("today",), ("show", "1"), ("show", "Zoë"), ("list",), ("find", "zo"), ("find", "café")],
)
def test_ascii_c_locale_dumb_narrow_terminal_does_not_crash(zoe: int, args) -> None:
    result = piped(*args, **HOSTILE)
    assert result.stderr == ""
    assert f"#{zoe}" in result.stdout
    assert "Zo" in result.stdout


def test_ascii_c_locale_today_json_round_trips_the_name(zoe: int) -> None:
    result = piped("today", "--json", **HOSTILE)
    data = json.loads(result.stdout)
    assert data["date"] == "2024-07-05"
    (item,) = data["today"]
    assert item["name"] == ZOE
    assert item["company"] == "Société 東京"
    assert item["last_contact"]["text"] == "café ☕ 東京"


def test_show_json_in_ascii_c_locale_round_trips(zoe: int) -> None:
    data = json.loads(piped("show", str(zoe), "--json", **HOSTILE).stdout)
    assert data["name"] == ZOE
    assert unicodedata.is_normalized("NFC", data["name"])


def test_an_undecodable_byte_in_an_argument_is_not_a_traceback(zoe: int) -> None:
    """A stray 0x9b byte pasted into a note (not UTF-8) must not crash the command."""
    env = {k: v for k, v in os.environ.items() if k != "NO_COLOR"}
    env.update(LC_ALL="C.UTF-8")
    result = subprocess.run(
        [DOSSIER.encode(), b"log", str(zoe).encode(), b"pasted \x9b2J text"],
        capture_output=True,
        env=env,
        timeout=60,
    )
    assert b"Traceback" not in result.stderr, result.stderr.decode(errors="replace")
    assert len(result.stderr.decode(errors="replace").strip().splitlines()) <= 1
    assert result.returncode in (0, 1, 2)
    assert b"\x9b" not in result.stdout


# --------------------------------------------------------------------------- text.clean/excerpt


@pytest.mark.parametrize(
    ("raw", "multiline", "shown"),
    [
        (None, False, ""),
        ("", False, ""),
        ("Acme Ltd", False, "Acme Ltd"),
        ("[bold]x[/bold]", False, "[bold]x[/bold]"),
        ("Zoë Ångström 東京", False, "Zoë Ångström 東京"),
        ("Acme\x1b[31m Ltd", False, "Acme\\x1b[31m Ltd"),
        ("\x1b]0;title\x07", False, "\\x1b]0;title\\x07"),
        ("a\x00b", False, "a\\x00b"),
        ("a\x7fb", False, "a\\x7fb"),
        ("a\x9bb", False, "a\\x9bb"),
        ("a\x85b", False, "a\\x85b"),
        ("a\rb", False, "a\\x0db"),
        ("a\x0bb\x0cc", False, "a\\x0bb\\x0cc"),
        ("a\u202eb", False, "a\\u202eb"),
        ("a\u2066b\u2069", False, "a\\u2066b\\u2069"),
        ("a\u2028b", False, "a\\u2028b"),
        ("tab\there", False, "tab here"),
        ("line one\nline two", False, "line one ⏎ line two"),
        ("line one\r\nline two", False, "line one ⏎ line two"),
        ("line one\nline two", True, "line one\nline two"),
        ("line one\r\nline two", True, "line one\nline two"),
        ("one\n\x1b[2Jtwo", True, "one\n\\x1b[2Jtwo"),
    ],
)
def test_clean(raw: str | None, multiline: bool, shown: str) -> None:
    assert clean(raw, multiline=multiline) == shown


@pytest.mark.parametrize(
    "raw",
    ["\x1b[31mRED", "x\x07\x9b\u202e\u2029y", "".join(chr(c) for c in range(0x00, 0xA0))],
)
def test_cleaned_text_has_no_control_characters(raw: str) -> None:
    for multiline in (False, True):
        shown = clean(raw, multiline=multiline)
        allowed = {"\n"} if multiline else set()
        assert not [
            c for c in shown if unicodedata.category(c) in ("Cc", "Cf") and c not in allowed
        ], shown


@pytest.mark.parametrize(
    ("raw", "width", "shown"),
    [
        (None, 60, ""),
        ("", 60, ""),
        ("Short note", 60, "Short note"),
        ("  spaced    out\tnote  ", 60, "spaced out note"),
        ("first line\nsecond line", 60, "first line ⏎ second line"),
        ("hi \x1b[31mthere", 60, "hi \\x1b[31mthere"),
        (
            "Called about the renewal; wants a discount of 5% before signing",
            30,
            "Called about the renewal; …",
        ),
        ("exactly ten", 11, "exactly ten"),
        ("one two three four five six", 15, "one two three …"),
    ],
)
def test_excerpt(raw: str | None, width: int, shown: str) -> None:
    assert excerpt(raw, width) == shown


@pytest.mark.parametrize(
    "raw", ["word " * 40, "Bonjour, merci pour l'appel d'hier; je reviens vers vous " * 3]
)
def test_excerpt_of_a_long_note_cuts_between_words_with_an_ellipsis(raw: str) -> None:
    shown = excerpt(raw, 40)
    assert shown.endswith(" …")
    kept = shown[: -len(" …")]
    assert " ".join(raw.split()).startswith(kept)
    assert raw.split()[: len(kept.split())] == kept.split()  # whole words only
    assert len(shown) <= 40


# --------------------------------------------------------------------------- plain tables


def column_starts(header: str) -> dict[str, int]:
    """Where each column starts, from the header line (names split by 2+ spaces)."""
    return {m.group(): m.start() for m in re.finditer(r"\S+(?: \S+)*", header)}


def test_plain_list_columns_line_up_with_the_header(run) -> None:
    added_id(run("add", "Al", "--company", "X", "--tag", "vip", "--on", "12"))
    added_id(
        run(
            "add",
            "Bartholomew Fitzwilliam-Longname",
            "--company",
            "Megacorp International Holdings",
            "--stage",
            "negotiation",
            "--on",
            "august",
            "--for",
            "contract",
            "--note",
            "sent the draft",
        )
    )
    added_id(run("add", "Cy", "--stage", "client"))
    lines = run("list").stdout.splitlines()
    header, rows = lines[0], lines[1:]
    starts = column_starts(header)
    assert list(starts) == [
        "ID",
        "NAME",
        "COMPANY",
        "STAGE",
        "TAGS",
        "FILED",
        "FOR",
        "LAST CONTACT",
    ]
    expected = [
        {"ID": "#1", "NAME": "Al", "COMPANY": "X", "STAGE": "lead", "TAGS": "vip"},
        {
            "ID": "#2",
            "NAME": "Bartholomew Fitzwilliam-Longname",
            "COMPANY": "Megacorp International Holdings",
            "STAGE": "negotiation",
            "FILED": "the August 2024 tab",
            "FOR": "contract",
            "LAST CONTACT": "2024-07-05 note: sent the draft",
        },
        {"ID": "#3", "NAME": "Cy", "STAGE": "client", "FILED": "not filed"},
    ]
    assert len(rows) == len(expected)
    for line, cells in zip(rows, expected, strict=True):
        for column, value in cells.items():
            start = starts[column]
            assert line[start:].startswith(value), (column, line)
            assert start == 0 or line[start - 2 : start] == "  ", (column, line)
        assert line[starts["FILED"] :].startswith(("Fri 12 Jul 2024", "the August", "not filed"))


def display_width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def test_plain_list_columns_line_up_on_screen_with_wide_characters(run) -> None:
    """Columns are aligned as a terminal shows them: CJK characters take two cells."""
    added_id(run("add", "東京商事", "--company", "Tokyo"))
    added_id(run("add", "Ann", "--company", "Zeta"))
    lines = run("list").stdout.splitlines()
    header = lines[0]
    company_at = display_width(header[: header.index("COMPANY")])
    for line, company in zip(lines[1:], ("Zeta", "Tokyo"), strict=True):  # sorted by name
        assert display_width(line[: line.index(company)]) == company_at, lines


def test_plain_today_columns_line_up_with_the_header(run) -> None:
    added_id(run("add", "Al", "--company", "X", "--phone", "1", "--on", "today"))
    added_id(
        run(
            "add",
            "Bartholomew Longname",
            "--company",
            "Megacorp",
            "--phone",
            "+1 555 0100 123",
            "--on",
            "today",
            "--at",
            "09:30",
        )
    )
    out = run("today").stdout
    block = out.split("\n\n")[1].splitlines()
    title, header, rows = block[0], block[1], block[2:]
    assert title.startswith("TODAY (2")
    starts = column_starts(header)
    assert list(starts)[:6] == ["ID", "TIME", "TYPE", "NAME", "COMPANY", "PHONE"]
    # Timed first.
    assert rows[0][starts["TIME"] :].startswith("09:30")
    assert rows[0][starts["NAME"] :].startswith("Bartholomew Longname")
    assert rows[1][starts["NAME"] :].startswith("Al")
    for line, (company, phone) in zip(
        rows, [("Megacorp", "+1 555 0100 123"), ("X", "1")], strict=True
    ):
        assert line[starts["COMPANY"] :].startswith(company), line
        assert line[starts["PHONE"] :].startswith(phone), line


@pytest.mark.parametrize("width", [40, 60, 160])
def test_rich_today_keeps_every_client_readable_at_any_width(
    run, db_path: Path, width: int
) -> None:
    """A narrow terminal gets stacked cards instead of a squeezed table: names, purposes
    and phones stay whole."""
    assert (
        run(
            "add",
            "Katarzyna Nowakowska",
            "--company",
            "Baltic Print House",
            "--phone",
            "+48 58 123 45 67",
            "--on",
            "today",
            "--for",
            "renewal talk",
        ).exit_code
        == 0
    )
    database = open_database(db_path)
    try:
        with database.transaction(write=False) as conn:
            view = service.today_view(SqliteStore(conn, db_path), date(2024, 7, 5))
    finally:
        database.close()
    console = Console(record=True, width=width, force_terminal=True, color_system=None)
    console.print(render_rich.today(view))
    text = console.export_text()
    for whole in ("Katarzyna Nowakowska", "renewal talk", "+48 58 123 45 67"):
        assert whole in text, (width, text)
