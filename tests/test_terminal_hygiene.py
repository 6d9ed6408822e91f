"""User text is data, everywhere it reaches a screen or a file.

Three promises of issue 7, checked end to end:

- every view, piped and on a real pseudo-terminal (the Rich path), shows names, notes,
  field keys, tags, phones, day-off notes and even timestamps another program wrote into
  the file as visible escapes (``\\x1b``), never as terminal control, and ``[bold]`` as
  the literal text it is;
- ``export`` (and every ``--json`` view) is lossless whatever the stdout encoding: on an
  ASCII or cp1252 stream the JSON is written ASCII-escaped rather than with ``?``;
- the caches and the config file dossier creates are private (0700 folders, 0600 files)
  whatever the umask.
"""

from __future__ import annotations

import json
import os
import re
import sqlite3
import stat
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from conftest import Result, ok, on_a_pty

Run = Callable[..., Result]

DOSSIER = Path(sys.executable).parent / "dossier"

# The user's own sequences: SGR red, an OSC title change ended by BEL, a C1 CSI, a bidi
# override, and Rich markup. Between ``|`` so that a raw one is recognisable in Rich's
# output, which is full of Rich's own escape sequences.
EVIL = "[bold]x[/bold]|\x1b[31m|\x1b]0;title\x07|\x9b31m|\u202e|"
RAW = ("|\x1b[31m|", "\x1b]0;title", "\x07", "\x9b", "\u202e")
# An "imported" history timestamp: the latest entry (U+202E sorts after "-").
STAMP = "2024\u202e\x1b[31m\x9b1-07-01T10:00:00"
MARKUP = "[bold]x[/bold]"  # short enough to survive a narrow table whole


def seed(run: Run, db_path: Path) -> None:
    """Clients whose every text holds ``EVIL``, a day off with it in its note, and the
    values an import (or another program) could write straight into the file."""
    ok(run("off", "2024-07-10", "--note", f"off{EVIL}"))
    ok(run("off", "2024-07-11", "--note", MARKUP))
    card = [
        f"Ann{EVIL}",
        *("--company", f"Co{EVIL}", "--position", f"Boss{EVIL}"),
        *("--phone", f"+1 555{EVIL}", "--phone", f"+2 666{EVIL}"),
        *("--email", f"ann{EVIL}@example.com", "--tag", f"vip{EVIL}"),
        *("--for", f"purpose{EVIL}", "--note", f"first note{EVIL}\nsecond line{EVIL}"),
    ]
    ok(run("add", *card, "--on", "today", "--at", "09:30"))
    ok(run("edit", "1", "--set", f"key{EVIL}=value{EVIL}"))
    ok(run("log", "1", f"entry{EVIL}", "--kind", "call"))
    ok(run("add", f"Bob{EVIL}", "--company", f"Gone{EVIL}"))
    ok(run("done", "2", "--reason", f"reason{EVIL}"))
    ok(run("add", f"Cleo{EVIL}", "--on", "july", "--for", f"month{EVIL}"))
    ok(run("add", f"Dan{EVIL}", "--on", "today"))
    ok(run("add", f"Eve{EVIL}", "--on", "2024-07-12", "--at", "11:00"))
    ok(run("add", MARKUP, "--company", MARKUP, "--on", "today", "--at", "08:00"))
    conn = sqlite3.connect(db_path)
    try:
        with conn:
            conn.execute("UPDATE entry SET at = ? WHERE text LIKE 'entry%'", (STAMP,))
            conn.execute(
                "UPDATE client SET due_time = ?, created_at = ? WHERE id = 1",
                (f"09:30{EVIL}", f"2024-07-01T08:00:00{EVIL}"),
            )
            conn.execute(
                "UPDATE change SET command = ? WHERE id = (SELECT max(id) FROM change)",
                (f"dossier add Eve{EVIL}",),
            )
    finally:
        conn.close()


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Where the seeded folder is kept once made: seeding costs a dozen commands."""
    return tmp_path_factory.mktemp("seeded") / "dossier.db"


@pytest.fixture
def seeded(run: Run, db_path: Path, template: Path) -> None:
    """This test's database holds the seeded folder (a copy of the first one made)."""
    if template.exists():
        source, target = template, db_path
        target.parent.mkdir(parents=True, exist_ok=True)
    else:
        seed(run, db_path)
        source, target = db_path, template
    src, dst = sqlite3.connect(source), sqlite3.connect(target)
    try:
        src.backup(dst)
    finally:
        src.close()
        dst.close()


VIEWS = {
    "show": ("show", "1"),
    "show done": ("show", "2"),
    "show --json": ("show", "1", "--json"),
    "today": ("today",),
    "today --json": ("today", "--json"),
    "list": ("list",),
    "list --archived": ("list", "--archived"),
    "list --json": ("list", "--json"),
    "find": ("find", "ann"),
    "tab 5": ("tab", "5"),
    "tab 10 (day off)": ("tab", "10"),
    "tab july": ("tab", "july"),
    "tab july --json": ("tab", "july", "--json"),
    "folder": ("folder",),
    "folder --json": ("folder", "--json"),
    "agenda": ("agenda",),
    "off --list": ("off", "--list"),
    "undo --list": ("undo", "--list"),
    "level": ("level", "--capacity", "1", "--dry-run"),
    "spread": ("spread", "--dry-run"),
    "export": ("export",),
}


def strings(value: Any) -> Iterator[str]:
    """Every string in a JSON document, keys included."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield key
            yield from strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from strings(item)


def assert_inert(out: str) -> None:
    for raw in RAW:
        assert raw not in out, f"raw {raw!r} reached the output:\n{out}"


@pytest.mark.parametrize("args", VIEWS.values(), ids=VIEWS.keys())
def test_piped_views_show_user_text_as_visible_escapes(
    run: Run, seeded: None, args: tuple[str, ...]
) -> None:
    out = ok(run(*args))
    assert_inert(out)
    if args[-1] == "--json" or args == ("export",):
        document = json.loads(out)
        assert any(EVIL in s for s in strings(document)), "JSON must carry the exact text"
        if args[0] == "show":
            assert STAMP in [entry["at"] for entry in document["history"]]
            assert f"key{EVIL}" in document["fields"]
    else:
        assert "\\x1b" in out, out
        assert "[bold]x[/bold]" in out, out


def test_show_escapes_field_keys_and_imported_timestamps(run: Run, seeded: None) -> None:
    out = ok(run("show", "1"))
    assert "key[bold]x[/bold]|\\x1b[31m|" in out, out
    assert "2024\\u202e\\x1b[31m\\x9b1-07-" in out, out
    assert "09:30[bold]x[/bold]|\\x1b[31m|" in out, out


def test_day_off_notes_are_escaped_in_the_tab_view(run: Run, seeded: None) -> None:
    out = ok(run("tab", "10"))
    assert "off[bold]x[/bold]|\\x1b[31m|\\x1b]0;title\\x07|\\x9b31m|\\u202e|" in out, out


def test_export_escapes_c1_and_bidi_and_parses_back_exactly(run: Run, seeded: None) -> None:
    out = ok(run("export"))
    assert "\\u009b" in out and "\\u202e" in out, out
    names = [c["name"] for c in json.loads(out)["clients"]]
    assert names == [*(f"{n}{EVIL}" for n in ("Ann", "Bob", "Cleo", "Dan", "Eve")), MARKUP]


def test_config_view_escapes_the_paths_it_names(
    run: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("DOSSIER_CONFIG", str(tmp_path / f"conf{EVIL}" / "config.toml"))
    monkeypatch.setenv("DOSSIER_DB", str(tmp_path / f"data{EVIL}" / "dossier.db"))
    out = ok(run("config"))
    assert_inert(out)
    assert f"conf{MARKUP}|\\x1b[31m|" in out and f"data{MARKUP}|\\x1b[31m|" in out, out


# --- on a pseudo-terminal: the Rich views ----------------------------------------------

ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)")


def on_a_terminal(args: tuple[str, ...], env: dict[str, str], columns: int) -> str:
    """``dossier ARGS`` run on a pseudo-terminal of ``columns`` columns: what it drew."""
    terminal = {**env, "TERM": "xterm-256color", "COLUMNS": str(columns), "LINES": "50"}
    code, out = on_a_pty([str(DOSSIER), *args], terminal, columns)
    assert code == 0, out
    return out


@pytest.fixture
def seeded_env(seeded: None) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k != "NO_COLOR"}
    return {**env, "PYTHONIOENCODING": "utf-8"}


TERMINAL_VIEWS = {k: v for k, v in VIEWS.items() if not k.endswith("--json")}


@pytest.mark.parametrize("columns", [120, 80])
@pytest.mark.parametrize("args", TERMINAL_VIEWS.values(), ids=TERMINAL_VIEWS.keys())
def test_terminal_views_show_user_text_as_visible_escapes(
    seeded_env: dict[str, str], args: tuple[str, ...], columns: int
) -> None:
    out = on_a_terminal(args, seeded_env, columns)
    assert_inert(out)
    if args == ("export",):
        assert json.loads(out)["clients"][0]["name"] == f"Ann{EVIL}"
        return
    drawn = ANSI.sub("", out)
    assert "\x1b" not in drawn, "only Rich's own styling sequences may be left"
    if columns < 100 and args[0] in ("folder", "agenda"):
        return  # the notes and meetings columns are cut to a few letters: nothing to see
    assert "\\x1b" in drawn, drawn
    assert MARKUP in drawn, f"markup was interpreted:\n{drawn}"


def test_narrow_terminal_cards_escape_the_last_contact(seeded_env: dict[str, str]) -> None:
    """Below 72 columns ``today`` draws stacked cards instead of tables."""
    out = on_a_terminal(("today",), seeded_env, 60)
    assert_inert(out)
    drawn = ANSI.sub("", out)
    assert "2024\\u202e\\x1b[31m call" in drawn, drawn
    assert "09:30[bold]x[/bold]|\\x1b" in drawn, drawn


def test_terminal_card_shows_markup_keys_and_timestamps_literally(
    seeded_env: dict[str, str],
) -> None:
    drawn = ANSI.sub("", on_a_terminal(("show", "1"), seeded_env, 200))
    assert "[bold]x[/bold]" in drawn, drawn
    assert "key[bold]x[/bold]|\\x1b[31m|" in drawn, drawn
    assert "2024\\u202e\\x1b[31m\\x9b1-07-" in drawn, drawn


def test_terminal_folder_and_tab_escape_day_off_notes(seeded_env: dict[str, str]) -> None:
    for args in (("folder",), ("tab", "10")):
        drawn = ANSI.sub("", on_a_terminal(args, seeded_env, 200))
        assert "off[bold]x[/bold]|\\x1b[31m|" in drawn, drawn


# --- lossless data on any stdout encoding ----------------------------------------------

NAMES = ["José Núñez", "東京商事", "Zoë 🎉 Party"]


def dossier(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run([str(DOSSIER), *args], capture_output=True, env=env, timeout=60)


@pytest.fixture
def named_env(run: Run) -> dict[str, str]:
    for name in NAMES:
        ok(run("add", name, "--company", f"{name} Ltd", "--on", "today", "--note", f"met {name}"))
    return dict(os.environ)


@pytest.mark.parametrize("encoding", ["ascii", "cp1252", "latin-1"])
def test_export_to_a_non_utf8_stdout_is_lossless(
    named_env: dict[str, str], tmp_path: Path, encoding: str
) -> None:
    env = {**named_env, "PYTHONIOENCODING": encoding}
    result = dossier("export", env=env)
    assert result.returncode == 0, result.stderr
    assert result.stderr == b""
    text = result.stdout.decode(encoding)
    assert "?" not in text, "nothing may be replaced"
    clients = json.loads(text)["clients"]
    assert [c["name"] for c in clients] == NAMES
    assert [c["history"][0]["text"] for c in clients] == [f"met {n}" for n in NAMES]

    exported = tmp_path / "export.json"
    exported.write_bytes(result.stdout)
    other = {**named_env, "DOSSIER_DB": str(tmp_path / "other.db")}
    imported = dossier("import", str(exported), env=other)
    assert imported.returncode == 0, imported.stderr
    listed = dossier("list", "--json", env={**other, "PYTHONIOENCODING": "utf-8"})
    assert sorted(c["name"] for c in json.loads(listed.stdout)) == sorted(NAMES)


@pytest.mark.parametrize("encoding", ["ascii", "cp1252"])
@pytest.mark.parametrize(
    "args", [("show", "1", "--json"), ("list", "--json"), ("today", "--json")], ids=" ".join
)
def test_json_views_on_a_non_utf8_stdout_are_lossless(
    named_env: dict[str, str], encoding: str, args: tuple[str, ...]
) -> None:
    result = dossier(*args, env={**named_env, "PYTHONIOENCODING": encoding})
    assert result.returncode == 0, result.stderr
    text = result.stdout.decode(encoding)
    assert "?" not in text
    found = set(strings(json.loads(text)))
    assert NAMES[0] in found
    if args[0] != "show":
        assert set(NAMES) <= found


def test_plain_views_on_an_ascii_stdout_do_not_crash(named_env: dict[str, str]) -> None:
    """A person's view may show ``?`` for what the terminal cannot draw: never a crash."""
    result = dossier("list", env={**named_env, "PYTHONIOENCODING": "ascii"})
    assert result.returncode == 0, result.stderr
    assert b"Jos? N??ez" in result.stdout


def test_export_to_a_file_is_utf8_whatever_stdout(
    named_env: dict[str, str], tmp_path: Path
) -> None:
    target = tmp_path / "out.json"
    result = dossier("export", "-o", str(target), env={**named_env, "PYTHONIOENCODING": "ascii"})
    assert result.returncode == 0, result.stderr
    text = target.read_text(encoding="utf-8")
    assert "José Núñez" in text
    assert [c["name"] for c in json.loads(text)["clients"]] == NAMES


# --- private whatever the umask ----------------------------------------------------------


def modes(root: Path) -> dict[str, int]:
    return {
        str(p.relative_to(root)): stat.S_IMODE(p.stat().st_mode) for p in [root, *root.rglob("*")]
    }


def test_caches_and_config_are_private_whatever_the_umask(run: Run, tmp_path: Path) -> None:
    config = tmp_path / "config" / "deeper" / "config.toml"
    cache = tmp_path / "cache"
    env = {
        **os.environ,
        "DOSSIER_CONFIG": str(config),
        "XDG_CACHE_HOME": str(cache),
        "PYTHONIOENCODING": "utf-8",
    }
    ok(run("add", "Acme", "--on", "today"))
    previous = os.umask(0)
    try:
        for args in (("config", "set", "country", "ES"), ("today",), ("folder",)):
            result = dossier(*args, env=env)
            assert result.returncode == 0, result.stderr
    finally:
        os.umask(previous)
    cached = modes(cache)
    assert any(name.endswith(".json") for name in cached), cached
    for name, mode in cached.items():
        expected = 0o600 if name.endswith(".json") else 0o700
        assert mode == expected, (name, oct(mode))
    assert stat.S_IMODE(config.stat().st_mode) == 0o600
    assert stat.S_IMODE(config.parent.stat().st_mode) == 0o700
    assert stat.S_IMODE(config.parent.parent.stat().st_mode) == 0o700


def test_a_stale_temporary_config_file_does_not_leak_its_mode(tmp_path: Path) -> None:
    config = tmp_path / "conf" / "config.toml"
    config.parent.mkdir()
    stale = config.with_name("config.toml.tmp")
    stale.write_text("")
    stale.chmod(0o644)
    env = {**os.environ, "DOSSIER_CONFIG": str(config)}
    result = dossier("config", "set", "capacity", "12", env=env)
    assert result.returncode == 0, result.stderr
    assert stat.S_IMODE(config.stat().st_mode) == 0o600
