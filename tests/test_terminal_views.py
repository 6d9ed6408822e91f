"""A terminal shows the first rows of a long list, with a count and the command that shows
the rest; a view longer than the screen goes through a pager (issue 8, section 3).

Two rules hold throughout: nothing disappears without a line saying how many and how to
see them (``--all``), and piped output (and JSON) stays whole.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import Run, ok, on_a_pty

DOSSIER = Path(sys.executable).parent / "dossier"
ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)")


def rich_view(run: Run, monkeypatch: pytest.MonkeyPatch, *args: str, width: int = 120) -> str:
    """What a terminal of ``width`` columns shows (in-process, Rich's own rendering)."""
    from dossier.cli import base

    with monkeypatch.context() as terminal:
        terminal.setattr(base, "use_rich", lambda: True)
        terminal.setenv("COLUMNS", str(width))
        terminal.setenv("LINES", "50")
        return ok(run(*args))


def ids(text: str) -> list[str]:
    return re.findall(r"#\d+\b", text)


@pytest.fixture
def overdue(run: Run, monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """13 dossiers overdue on Fri 5 Jul 2024, each filed a working day later than the one
    before, and 12 behind this month's tab; the overdue ids, longest waiting first."""
    monkeypatch.setenv("DOSSIER_TODAY", "2024-06-01")
    made = []
    days = [f"2024-06-{d}" for d in (17, 18, 19, 20, 21, 24, 25, 26, 27, 28)]
    for i, day in enumerate([*days, "2024-07-01", "2024-07-02", "2024-07-03"]):
        out = ok(run("add", f"Late {i:02d}", "--on", day))
        made.append(re.search(r"#\d+", out).group())  # type: ignore[union-attr]
    for i in range(12):
        ok(run("add", f"Undated {i:02d}", "--on", "july"))
    monkeypatch.setenv("DOSSIER_TODAY", "2024-07-05")
    return made


def test_today_on_a_terminal_shows_the_longest_waiting_and_counts_the_rest(
    run: Run, monkeypatch: pytest.MonkeyPatch, overdue: list[str]
) -> None:
    piped = ok(run("today"))
    assert ids(piped.split("OVERDUE (13)")[1].split("\n\n")[0]) == overdue, "piped: all 13"
    drawn = rich_view(run, monkeypatch, "today")
    shown = ids(drawn.split("Overdue (13)")[1].split("This month")[0])
    assert shown == overdue[:10], "the ten that waited longest, in the same order"
    assert "13 overdue" in drawn, "the heading counts every one"
    assert "… 3 more overdue (waiting less long) not shown: dossier today --all" in drawn
    assert "… 2 more undated this month not shown: dossier today --all" in drawn
    assert "12 this month without a day" in drawn


def test_today_all_and_json_are_whole(
    run: Run, monkeypatch: pytest.MonkeyPatch, overdue: list[str]
) -> None:
    data = json.loads(ok(run("today", "--json")))
    assert [f"#{item['id']}" for item in data["overdue"]] == overdue
    assert len(data["month"]) == 12 and data["counts"]["overdue"] == 13
    drawn = rich_view(run, monkeypatch, "today", "--all")
    assert ids(drawn.split("Overdue (13)")[1].split("This month")[0]) == overdue
    assert "not shown" not in drawn
    assert ok(run("today", "--all")) == ok(run("today")), "piped, --all changes nothing"


def test_the_line_under_a_cut_list_repeats_the_command_as_typed(
    run: Run, monkeypatch: pytest.MonkeyPatch, overdue: list[str], db_path: Path
) -> None:
    args = ("--db", str(db_path), "today", "--date", "today")
    drawn = rich_view(run, monkeypatch, *args, width=250)
    assert f"dossier --db {db_path} today --date today --all" in drawn


def test_show_on_a_terminal_has_the_newest_entries_and_counts_the_older(
    run: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    ok(run("add", "Chatty Client"))
    for i in range(12):
        ok(run("log", "Chatty", f"Call number {i:02d} about the order", "--kind", "call"))
    drawn = rich_view(run, monkeypatch, "show", "Chatty")
    assert "History (12, newest first)" in drawn
    assert re.findall(r"Call number (\d\d)", drawn) == [f"{i:02d}" for i in range(11, 1, -1)]
    assert "… 2 older entries not shown: dossier show Chatty --all" in drawn
    every = rich_view(run, monkeypatch, "show", "Chatty", "--all")
    assert len(re.findall(r"Call number", every)) == 12 and "not shown" not in every
    assert len(re.findall(r"Call number", ok(run("show", "Chatty")))) == 12, "piped: whole"
    assert len(json.loads(ok(run("show", "Chatty", "--json")))["history"]) == 12


def test_list_and_find_on_a_terminal_show_the_first_and_count_the_rest(
    run: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    for i in range(53):
        ok(run("add", f"Pine {i:02d}", "--company", "Pinewood"))
    drawn = rich_view(run, monkeypatch, "list")
    assert re.findall(r"Pine (\d\d)", drawn) == [f"{i:02d}" for i in range(50)]
    assert "53 clients" in drawn
    assert "… 3 more clients not shown: dossier list --all" in drawn
    assert len(re.findall(r"Pine \d\d", rich_view(run, monkeypatch, "list", "--all"))) == 53
    assert len(ok(run("list")).splitlines()) == 54, "piped: a header and every client"
    found = rich_view(run, monkeypatch, "find", "pinewood")
    assert len(re.findall(r"Pine \d\d", found)) == 20 and "53 found" in found
    assert "… 33 more found not shown: dossier find pinewood --all" in found
    assert len(re.findall(r"Pine \d\d", rich_view(run, monkeypatch, "find", "pinewood", "--all")))
    assert len(json.loads(ok(run("find", "pinewood", "--json")))) == 53


def test_a_month_tab_on_a_terminal_lists_the_first_dossiers_and_counts_the_days_after(
    run: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    for i in range(30):
        ok(run("add", f"Early {i:02d}", "--on", "2024-08-01"))
    for i in range(30):
        ok(run("add", f"Later {i:02d}", "--on", "2024-08-02"))
    ok(run("add", "Far Off", "--on", "2024-08-20"))
    drawn = rich_view(run, monkeypatch, "tab", "august")
    assert len(re.findall(r"Early \d\d", drawn)) == 30
    assert len(re.findall(r"Later \d\d", drawn)) == 20
    assert "… 10 more on this day not shown" in drawn
    assert re.search(r"Tue 20 Aug 2024 — 1 of 30: not shown", drawn)
    assert "… 11 dossiers behind this tab not shown: dossier tab august --all" in drawn
    assert "Far Off" in rich_view(run, monkeypatch, "tab", "august", "--all")
    assert "Far Off" in ok(run("tab", "august")), "piped: whole"


# --- the pager ----------------------------------------------------------------------------


PAGER = """
import os, sys
with open(sys.argv[1], "w", encoding="utf-8") as out:
    out.write(os.environ.get("LESS", "-") + "\\n" + sys.stdin.read())
"""


def at_a_terminal(
    args: tuple[str, ...], env: dict[str, str], rows: int = 24, controlling: bool = True
) -> str:
    """``dossier ARGS`` on a pseudo-terminal of 100 columns and ``rows`` rows, as a command
    typed at a shell (``controlling``) or as a harness hands one over; what it drew."""
    code, out = on_a_pty([str(DOSSIER), *args], env, 100, rows, controlling)
    assert code == 0, out
    return ANSI.sub("", out)


@pytest.fixture
def terminal_env(run: Run, tmp_path: Path) -> tuple[dict[str, str], Path]:
    """The demo folder, and an environment whose pager writes what it got to a file."""
    ok(run("demo"))
    script = tmp_path / "pager.py"
    script.write_text(PAGER)
    paged = tmp_path / "paged.txt"
    env = {k: v for k, v in os.environ.items() if k not in ("NO_COLOR", "LESS", "PAGER")}
    env.update(
        TERM="xterm-256color",
        DOSSIER_PAGER=f"{sys.executable} {script} {paged}",
        PYTHONIOENCODING="utf-8",
    )
    env.pop("COLUMNS", None)
    env.pop("LINES", None)
    return env, paged


@pytest.mark.parametrize("shell", [False, True], ids=["a command", "a shell line"])
def test_a_view_longer_than_the_screen_goes_through_the_pager(
    terminal_env: tuple[dict[str, str], Path], shell: bool
) -> None:
    env, paged = terminal_env
    if shell:  # shell syntax in the pager's command line: run through the shell, as git does
        env["DOSSIER_PAGER"] += " && true"
    drawn = at_a_terminal(("today",), env, rows=24)
    text = ANSI.sub("", paged.read_text(encoding="utf-8"))
    less, view = text.split("\n", 1)
    assert less == "FRX", "less gets LESS=FRX when the user has no LESS"
    assert "Overdue (5)" in view and "Dmitri Volkov" in view, "the pager gets all of it"
    assert "Dmitri Volkov" not in drawn, "nothing is printed around the pager"


def test_a_view_that_fits_is_printed_straight(terminal_env: tuple[dict[str, str], Path]) -> None:
    env, paged = terminal_env
    drawn = at_a_terminal(("show", "Carla"), env, rows=50)
    assert "Carla Mendes" in drawn and not paged.exists()


@pytest.mark.parametrize(
    ("args", "pager"),
    [
        (("--no-pager", "today"), None),
        (("today",), ""),
        (("today",), "cat"),
        (("today",), "no-such-pager-here"),
    ],
    ids=["--no-pager", "empty DOSSIER_PAGER", "cat", "a pager that is not installed"],
)
def test_no_pager_prints_the_whole_view_straight(
    terminal_env: tuple[dict[str, str], Path], args: tuple[str, ...], pager: str | None
) -> None:
    env, paged = terminal_env
    if pager is not None:
        env["DOSSIER_PAGER"] = pager
    drawn = at_a_terminal(args, env, rows=24)
    assert "Dmitri Volkov" in drawn and "No next step" in drawn
    assert not paged.exists()


def test_a_terminal_that_is_not_the_users_gets_no_pager(
    terminal_env: tuple[dict[str, str], Path],
) -> None:
    """A harness's pseudo-terminal (not this process's controlling terminal): straight."""
    env, paged = terminal_env
    drawn = at_a_terminal(("today",), env, rows=24, controlling=False)
    assert "Dmitri Volkov" in drawn and not paged.exists()


def test_piped_output_never_goes_through_the_pager(
    terminal_env: tuple[dict[str, str], Path],
) -> None:
    env, paged = terminal_env
    result = subprocess.run(
        [str(DOSSIER), "today"], env=env, capture_output=True, text=True, check=True
    )
    assert "Dmitri Volkov" in result.stdout and not paged.exists()


def test_dossier_no_pager_alone_is_todays_tab(run: Run) -> None:
    ok(run("demo"))
    assert ok(run("--no-pager")) == ok(run("today"))
    assert ok(run("--no-pager", "show", "Carla")) == ok(run("show", "Carla"))
