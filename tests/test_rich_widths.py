"""On a terminal of any width from 60 columns up, the Rich views cut nothing a user needs
for the next command (issue 8, section 3).

Every Rich view is rendered at 60, 80, 120 and 200 columns, on the demo folder plus a
client with a very long name and company, a day over capacity and a day off with a long
note, and compared with the same view piped (plain text, which is never cut): every id,
name, company, weekday date, time, due date, day count and warning of the plain view is
in the Rich one whole. A name may fold onto the next line of its cell, never lose a word
or end in ``…``. ``show`` has every history note whole. Only free text (the purpose, the
last contact, a matched excerpt, a day off's note) may be shortened.

Most views are rendered in-process (Rich's own rendering at the width ``COLUMNS`` gives,
as on a terminal); a few run the installed ``dossier`` on a real pseudo-terminal.
"""

from __future__ import annotations

import json
import os
import re
import sqlite3
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from conftest import Result, ok, on_a_pty

Run = Callable[..., Result]

DOSSIER = Path(sys.executable).parent / "dossier"
WIDTHS = [60, 80, 120, 200]
LONG_NAME = "Okafor & Sons Building Ltd"
LONG_COMPANY = "Okafor & Sons Building and Civil Engineering Contractors Ltd"
OFF_NOTE = "Summer fair in Birmingham, the whole team is at the stand all day long"

VIEWS = {
    "today": ("today",),
    "show": ("show", "1"),
    "show long": ("show", LONG_NAME),
    "find": ("find", "okafor"),
    "find note": ("find", "board"),
    "list --all": ("list", "--all"),  # a terminal shows the first 50 of the 53 without it
    "list --archived": ("list", "--archived"),
    "tab 5": ("tab", "5"),
    "tab 8": ("tab", "8"),
    "tab 9 (over)": ("tab", "9"),
    "tab 10 (day off)": ("tab", "10"),
    "tab july": ("tab", "july"),
    "folder": ("folder",),
    "agenda": ("agenda",),
}

WEEKDAY_DATE = re.compile(r"\b(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun) \d{1,2} [A-Z][a-z]{2} \d{4}\b")
DUE = re.compile(r"\b(\d{4}-\d{2}-\d{2}) \((\d+ days? late)\)")
ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)")


def seed(run: Run) -> None:
    ok(run("demo"))
    company = ("--company", LONG_COMPANY, "--phone", "+44 20 7946 0000 ext. 12345")
    ok(run("add", LONG_NAME, *company, "--on", "today", "--at", "09:15", "--for", "site visit"))
    ok(run("log", LONG_NAME, "Walked the site with the foreman; " * 6 + "done.", "--kind", "visit"))
    ok(run("off", "2024-07-10", "--note", OFF_NOTE))
    ok(run("config", "set", "capacity", "12"))
    for i in range(14):
        ok(run("add", f"Extra Client {i}", "--on", "2024-07-09"))
    ok(run("add", "Gone Away Partners", "--company", "Closed Shop"))
    ok(run("done", "Gone Away Partners", "--reason", "moved to a competitor after the rise"))


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("widths") / "dossier.db"


@pytest.fixture
def folder(run: Run, db_path: Path, template: Path) -> None:
    """This test's database holds the seeded folder (a copy of the first one made)."""
    if template.exists():
        source, target = template, db_path
        target.parent.mkdir(parents=True, exist_ok=True)
    else:
        seed(run)
        source, target = db_path, template
    src, dst = sqlite3.connect(source), sqlite3.connect(target)
    try:
        src.backup(dst)
    finally:
        src.close()
        dst.close()


def rich_view(run: Run, monkeypatch: pytest.MonkeyPatch, args: tuple[str, ...], width: int) -> str:
    """What the Rich view draws on a terminal of ``width`` columns, without the styling."""
    from dossier.cli import base

    monkeypatch.setattr(base, "use_rich", lambda: True)
    monkeypatch.setenv("COLUMNS", str(width))
    monkeypatch.setenv("LINES", "50")
    return ok(run(*args))


def on_a_terminal(args: tuple[str, ...], width: int) -> str:
    """``dossier ARGS`` run on a pseudo-terminal of ``width`` columns: what it drew."""
    env = {k: v for k, v in os.environ.items() if k not in ("NO_COLOR", "FORCE_COLOR")}
    env.update(TERM="xterm-256color", COLUMNS=str(width), LINES="50", PYTHONIOENCODING="utf-8")
    code, out = on_a_pty([str(DOSSIER), *args], env, width)
    assert code == 0, out
    assert ANSI.search(out), "a terminal gets the Rich view"
    return ANSI.sub("", out)


# --- what "whole" means ----------------------------------------------------------------


def _segment(line: str, col: int) -> list[str]:
    """The words of the cell starting at ``col``: up to the next gap of two spaces, the
    narrowest space Rich leaves between columns; brackets, commas and colons around a
    word do not count."""
    cell = re.split(r" {2,}", line[col:].strip(" "), maxsplit=1)[0]
    return [_bare(word) for word in cell.split()]


def _bare(word: str) -> str:
    return word.strip("(),:")


def whole(phrase: str, drawn: str) -> bool:
    """Whether ``phrase`` is drawn with every word whole, on one line or folded onto the
    following lines of its cell (the same column, or a wrapped paragraph's start)."""
    words = [_bare(word) for word in phrase.split()]
    lines = drawn.replace("│", " ").splitlines()
    for i, line in enumerate(lines):
        for match in re.finditer(re.escape(phrase.split()[0]), line):
            col = match.start()
            if col and line[col - 1] not in " (":
                continue
            if _follows(words, lines, i, col + (line[col] == "(")):
                return True
    return False


def _follows(words: list[str], lines: list[str], i: int, col: int) -> bool:
    """Whether ``words`` are read from line ``i``, column ``col`` on, folding as needed."""
    k = 0
    while i < len(lines):
        segment = _segment(lines[i], col)
        if not segment:
            return False
        for token in segment:
            if k == len(words):
                return True
            if token != words[k]:
                return False
            k += 1
        if k == len(words):
            return True
        i += 1
        if i < len(lines) and _segment(lines[i], col)[:1] != [words[k]]:
            indent = len(lines[i]) - len(lines[i].lstrip())
            col = indent if indent < col else col
    return False


def test_whole_accepts_a_fold_and_refuses_a_cut() -> None:
    table = " #41   Okafor & Sons     09:15\n       Building Ltd      new\n"
    assert whole("Okafor & Sons Building Ltd", table)
    assert not whole("Okafor & Sons Building Ltd", " #41   Okafor & Sons Buil…  09:15\n")
    assert not whole("Okafor & Sons Building Ltd", " #41   Okafor & Sons   09:15\n")
    assert whole("8 days late", "#27 Aiko Sato  2024-06-27 (8 days late)")
    assert whole("Okafor & Sons Building", "  Okafor & Sons Building and Civil Engineering\n  Ltd")
    assert whole("OVER by 4", "today, OVER by 4, incl. 5 overdue")


# --- the checks ------------------------------------------------------------------------


def clients(run: Run) -> list[dict[str, object]]:
    active = json.loads(ok(run("list", "--json")))
    archived = json.loads(ok(run("list", "--archived", "--json")))
    return [*active, *archived]


def essentials(plain: str, known: list[dict[str, object]]) -> dict[str, set[str]]:
    """What the plain view shows that a user needs: ids, names, companies, dates, times,
    due dates and lateness, warnings."""
    names = set()
    times = set()
    for client in known:
        for key in ("name", "company"):
            value = client[key]
            if isinstance(value, str) and value in plain:
                names.add(value)
        filed = client["filed"]
        # Its time is needed where the client is: by id, or in the agenda by name.
        by_name = isinstance(client["name"], str) and client["name"] in plain
        shown = re.search(rf"#{client['id']}\b", plain) if "#" in plain else by_name
        if isinstance(filed, dict) and filed["at"] and shown:
            times.add(str(filed["at"]))
    warnings = set(re.findall(r"OVER by \d+|incl\. \d+ overdue|day off", plain))
    return {
        "ids": set(re.findall(r"#\d+", plain)),
        "names": names,
        "dates": set(WEEKDAY_DATE.findall(plain)),
        "times": times,
        "due": {part for pair in DUE.findall(plain) for part in pair},
        "warnings": warnings,
    }


def check(view: str, plain: str, drawn: str, known: list[dict[str, object]], width: int) -> None:
    where = f"{view} at {width} columns:\n{drawn}"
    for line in drawn.splitlines():
        assert len(line.rstrip()) <= width, f"a line is wider than the terminal; {where}"
    assert not re.search(r"#\d+…", drawn), f"an id is cut; {where}"
    need = essentials(plain, known)
    assert set(re.findall(r"#\d+", drawn)) == need["ids"], where
    for kind in ("names", "dates", "times", "due", "warnings"):
        for phrase in sorted(need[kind]):
            assert whole(phrase, drawn), f"{kind[:-1]} {phrase!r} is not whole; {where}"


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("args", VIEWS.values(), ids=VIEWS.keys())
def test_rich_view_cuts_nothing_a_user_needs(
    run: Run, folder: None, monkeypatch: pytest.MonkeyPatch, args: tuple[str, ...], width: int
) -> None:
    plain = ok(run(*args))
    known = clients(run)
    drawn = rich_view(run, monkeypatch, args, width)
    assert drawn != plain, "this must be the Rich view"
    check(" ".join(args), plain, drawn, known, width)


def day_counts(plain: str) -> Iterator[tuple[str, list[str]]]:
    """Each day of the plain folder or agenda and the numbers on its line."""
    for line in plain.splitlines():
        day = WEEKDAY_DATE.search(line)
        if day and not line.startswith("The "):  # the title names today too
            counts = re.findall(r"(?<![\w/#:])\d+(?![\w/:])", line[day.end() :])
            yield day.group(), counts


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("view", ["folder", "agenda"])
def test_each_day_keeps_its_counts(
    run: Run, folder: None, monkeypatch: pytest.MonkeyPatch, view: str, width: int
) -> None:
    """The folder's count, and the agenda's count, repeat and new, stay on the day's line
    whole (the folder leaves an empty day blank rather than write 0)."""
    plain = ok(run(view))
    drawn = rich_view(run, monkeypatch, (view,), width)
    lines = {
        m.group(): line
        for line in drawn.splitlines()
        if (m := WEEKDAY_DATE.search(line)) and not line.startswith("The ")
    }
    for day, counts in day_counts(plain):
        expected = counts[:1] if view == "folder" else counts[:3]
        if view == "folder" and expected == ["0"]:
            continue
        assert day in lines, f"{day} missing at {width}:\n{drawn}"
        shown = re.findall(r"(?<![\w/#:])\d+(?![\w/:])", lines[day][lines[day].index(day) :])
        assert shown[2 : 2 + len(expected)] == expected, (day, width, lines[day])


@pytest.mark.parametrize("width", WIDTHS)
def test_show_has_every_note_whole(
    run: Run, folder: None, monkeypatch: pytest.MonkeyPatch, width: int
) -> None:
    for client in ("1", LONG_NAME):
        history = json.loads(ok(run("show", client, "--json")))["history"]
        drawn = rich_view(run, monkeypatch, ("show", client, "--all"), width)
        assert "…" not in drawn, drawn
        for entry in history:
            assert whole(entry["text"], drawn), (entry["text"], width, drawn)


PTY_VIEWS = {
    "today": ("today",),
    "list --all": ("list", "--all"),
    "tab 8": ("tab", "8"),
    "agenda": ("agenda",),
    "folder": ("folder",),
}


@pytest.mark.parametrize("width", [60, 80, 160])
@pytest.mark.parametrize("args", PTY_VIEWS.values(), ids=PTY_VIEWS.keys())
def test_on_a_real_terminal_nothing_needed_is_cut(
    run: Run, folder: None, args: tuple[str, ...], width: int
) -> None:
    """The installed command on a pseudo-terminal, as the user runs it."""
    plain = ok(run(*args))
    check(" ".join(args), plain, on_a_terminal(args, width), clients(run), width)
