"""``dossier work``: the day's calls one after another, driven as a user or a script
drives it — piped answers (one line per prompt), a real Ctrl-C, another command changing
a dossier while it is on screen, and single keys on a pseudo-terminal."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from datetime import date
from pathlib import Path

import pytest

from conftest import dump, ok, rows
from dossier.domain.cadence import Cadence
from dossier.domain.errors import UsageError
from dossier.domain.work import Tally, Went, action, suggest
from dossier.domain.workdays import FixedHolidays, WorkCalendar

SRC = Path(__file__).resolve().parent.parent / "src"
FRIDAY = date(2024, 7, 5)  # the conftest's today


# --- the pure rules ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("outcome", "step", "expected"),
    [
        ("no-answer", None, date(2024, 7, 8)),  # Friday: the next working day is Monday
        ("left-message", None, date(2024, 7, 9)),  # two working days
        ("reached", None, date(2024, 7, 12)),  # no cadence: a week
        ("meeting-set", Cadence(3, "w"), date(2024, 7, 26)),  # the cadence
        ("proposal-sent", Cadence(1, "d"), date(2024, 7, 8)),  # Saturday rolls to Monday
        ("won", Cadence(1, "m"), date(2024, 8, 5)),
        ("no-answer", Cadence(3, "w"), date(2024, 7, 8)),  # the rule beats the cadence
    ],
)
def test_the_suggested_date_by_outcome(outcome: str, step: Cadence | None, expected: date) -> None:
    assert suggest(outcome, FRIDAY, step, WorkCalendar()) == expected


def test_the_suggestion_skips_public_holidays() -> None:
    holidays = FixedHolidays({date(2024, 7, 8): "Holiday", date(2024, 7, 9): "Holiday"})
    calendar = WorkCalendar(holidays=holidays)
    assert suggest("no-answer", FRIDAY, None, calendar) == date(2024, 7, 10)
    assert suggest("left-message", FRIDAY, None, calendar) == date(2024, 7, 11)


@pytest.mark.parametrize(
    ("key", "meaning"),
    [
        ("r", ("outcome", "reached")),
        ("N", ("outcome", "no-answer")),
        (" l ", ("outcome", "left-message")),
        ("m", ("outcome", "meeting-set")),
        ("p", ("outcome", "proposal-sent")),
        ("w", ("outcome", "won")),
        ("x", ("outcome", "lost")),
        ("s", ("skip", None)),
        ("d", ("done", None)),
        ("q", ("quit", None)),
    ],
)
def test_each_key(key: str, meaning: tuple[str, str | None]) -> None:
    assert action(key) == meaning


@pytest.mark.parametrize("key", ["", "z", "rr", "reached", "ñ"])
def test_a_bad_key_is_refused(key: str) -> None:
    with pytest.raises(UsageError):
        action(key)


def test_the_tally_counts_each_way_a_dossier_went() -> None:
    tally = Tally(
        [
            Went(1, "a", "reached", "2024-07-12"),
            Went(2, "b", "reached", "2024-07-12"),
            Went(3, "c", "skipped", "2024-07-05"),
            Went(4, "d", "done", "done"),
            Went(5, "e", "gone"),
        ]
    )
    counts = tally.counts()
    assert counts["reached"] == 2 and counts["skipped"] == 1 and counts["done"] == 1
    assert counts["won"] == 0 and "gone" not in counts
    assert tally.saved == 3  # skipped and gone wrote nothing


# --- a whole session, piped ---------------------------------------------------------------


def place(db: Path, name: str) -> tuple[object, ...]:
    """(due, month, archived_at, stage) of a client, read from the database itself."""
    found = rows(db, "SELECT due, due_month, archived_at, stage FROM client WHERE name = ?", name)
    assert len(found) == 1, name
    return found[0]


def calls(db: Path, name: str) -> list[tuple[object, ...]]:
    return rows(
        db,
        "SELECT e.kind, e.outcome, e.text FROM entry e JOIN client c ON c.id = e.client_id "
        "WHERE c.name = ? ORDER BY e.id",
        name,
    )


NAMES = ("Anna", "Bea", "Carl", "Dora", "Eli", "Finn", "Gus", "Hal", "Ida")


@pytest.fixture
def day(run, db_path: Path) -> Path:  # type: ignore[no-untyped-def]
    """Nine new clients on today's tab (new ones come by name), Dora every 3 weeks,
    and clients default to 2 weeks."""
    for name in NAMES:
        extra = ["--every", "3w"] if name == "Dora" else []
        ok(run("add", name, "--on", "today", "--for", "call", *extra))
    ok(run("config", "set", "cadence.client", "2w"))
    return db_path


SESSION = "\n".join(
    [
        "r", "Wants a quote", "",  # Anna: reached, a week on
        "n", "", "",  # Bea: no answer, next working day
        "l", "", "",  # Carl: left a message, two working days
        "m", "Meeting booked", "",  # Dora: meeting, her cadence (3w)
        "p", "", "foo", "2024-07-22",  # Eli: a bad date asked again, the typed date wins
        "z", "w", "Signed!", "",  # Finn: a bad key asked again; won: client, its 2w
        "x", "Went elsewhere", "",  # Gus: lost, out of the folder
        "s",  # Hal: skipped, to the end
        "s",  # Ida: skipped, to the end
        "d",  # Hal again: done
        "s",  # Ida again: skipped twice, stays
    ]
) + "\n"  # fmt: skip


def test_a_whole_session_answers_each_dossier_and_files_it(run, day: Path) -> None:  # type: ignore[no-untyped-def]
    result = run("work", input=SESSION)
    assert result.exit_code == 0, result
    out = result.stdout
    assert place(day, "Anna")[:3] == ("2024-07-12", None, None)
    assert place(day, "Bea")[0] == "2024-07-08"
    assert place(day, "Carl")[0] == "2024-07-09"
    assert place(day, "Dora")[0] == "2024-07-26"
    assert "Filed on Fri 26 Jul 2024 (every 3w)" in out
    assert place(day, "Eli")[0] == "2024-07-22"
    assert place(day, "Finn")[0] == "2024-07-19" and place(day, "Finn")[3] == "client"
    gus = place(day, "Gus")
    assert gus[2] is not None and gus[3] == "dormant"
    assert place(day, "Hal")[2] is not None  # done
    assert place(day, "Ida")[:3] == ("2024-07-05", None, None)  # skipped twice: stays
    assert calls(day, "Anna") == [("call", "reached", "Wants a quote")]
    assert calls(day, "Gus")[0] == ("call", "lost", "Went elsewhere")
    assert calls(day, "Ida") == []
    # Bad input said on stderr and asked again, the answers already typed kept.
    assert "'z' is not a key here" in result.stderr
    assert "cannot read 'foo' as a date" in result.stderr
    # Progress, the card, a skipped one shown again.
    assert "── 1/9 ── #1 Anna" in out and "── 9/9 ── #9 Ida" in out
    assert "── 8/9 (again) ── #8 Hal" in out
    assert "Skipped: back at the end of the queue" in out
    assert "Skipped again: it stays where it is filed" in out
    # The summary.
    assert "Session: 8 saved, 0 left for later" in out
    assert (
        "reached 1, no answer 1, left a message 1, meetings set 1, proposals 1, won 1, "
        "lost 1, skipped 1, done 1"
    ) in " ".join(out.split())  # folded at 80 columns
    assert "#7 Gus  lost → out of the folder" in out
    assert "#2 Bea  no-answer → Mon 8 Jul 2024" in out
    assert "#9 Ida  skipped → Fri 5 Jul 2024" in out


def test_each_answer_is_one_undo_step(run, day: Path) -> None:  # type: ignore[no-untyped-def]
    assert run("work", input=SESSION).exit_code == 0
    changes = ok(run("undo", "--list"))
    assert changes.count("dossier work: #") == 8
    ok(run("undo"))  # the last one only: Hal's done
    assert place(day, "Hal")[2] is None
    assert place(day, "Gus")[2] is not None
    assert place(day, "Finn")[0] == "2024-07-19"


def test_quit_keeps_what_was_saved_and_a_second_run_goes_on(run, day: Path) -> None:  # type: ignore[no-untyped-def]
    first = ok(run("work", input="r\n\n\nn\n\n\nq\n"))
    assert "Session: 2 saved, 7 left for later" in first
    second = ok(run("work", input="l\n\n\n"))  # then the end of the input: as q
    assert "── 1/7 ── #3 Carl" in second  # Anna and Bea were refiled off today
    assert "Session: 1 saved, 6 left for later" in second
    assert place(day, "Carl")[0] == "2024-07-09"


def test_the_end_of_the_input_mid_answer_saves_nothing_of_it(run, day: Path) -> None:  # type: ignore[no-untyped-def]
    out = ok(run("work", input="r\nhalf an answer\n"))
    assert "Session: 0 saved, 9 left for later" in out
    assert calls(day, "Anna") == []


def test_an_empty_tab_says_so(run) -> None:  # type: ignore[no-untyped-def]
    ok(run("add", "Later", "--on", "2024-07-10"))
    out = ok(run("work", input="q\n"))
    assert out == "Nothing to work on: the tab of Fri 5 Jul 2024 is empty, and nothing is overdue\n"


def test_overdue_first_then_fixed_times_then_the_rest(run, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("DOSSIER_TODAY", "2024-07-01")
    ok(run("add", "Zed late", "--on", "2024-07-02"))
    ok(run("add", "Amy plain", "--on", "2024-07-05"))
    ok(run("add", "Max timed", "--on", "2024-07-05", "--at", "09:00"))
    monkeypatch.setenv("DOSSIER_TODAY", "2024-07-05")
    out = ok(run("work", input="q\n"))
    assert "── 1/3 ── #1 Zed late" in out
    out = ok(run("work", input="s\ns\nq\n"))
    assert out.index("── 2/3 ── #3 Max timed") < out.index("── 3/3 ── #2 Amy plain")


def test_tag_stage_and_date_choose_the_queue(run) -> None:  # type: ignore[no-untyped-def]
    ok(run("add", "Vip lead", "--on", "today", "--tag", "vip"))
    ok(run("add", "Vip client", "--on", "today", "--tag", "vip", "--stage", "client"))
    ok(run("add", "Plain", "--on", "today"))
    ok(run("add", "Monday", "--on", "2024-07-08"))
    out = ok(run("work", "--tag", "vip", "--stage", "client", input="q\n"))
    assert "── 1/1 ── #2 Vip client" in out
    out = ok(run("work", "--tag", "VIP", input="q\n"))
    assert "1/2" in out and "#3 Plain" not in out
    # Monday's tab, as 'today --date monday' shows it: what is due before it is overdue.
    out = ok(run("work", "--date", "monday", input="s\ns\ns\nq\n"))
    assert "── 1/4 ── #3 Plain" in out and "── 4/4 ── #4 Monday" in out


def test_the_card_shows_the_required_fields_and_three_entries(run) -> None:  # type: ignore[no-untyped-def]
    ok(run("field", "add", "budget", "--type", "number", "--required"))
    ok(run("field", "add", "region", "--required"))
    ok(run("add", "Acme", "--company", "Acme Ltd", "--phone", "+44 1", "--phone", "+44 2",
           "--on", "today", "--for", "send quote"))  # fmt: skip
    ok(run("edit", "acme", "--set", "budget=12500"))
    for text in ("one", "two", "three", "four"):
        ok(run("log", "acme", text, "--kind", "call", "--outcome", "reached"))
    out = ok(run("work", input="q\n"))
    assert "#1 Acme · Acme Ltd" in out
    assert "+44 1, +44 2" in out and "send quote" in out and "lead" in out
    lines = [line.split() for line in out.splitlines()]
    assert ["budget", "12,500"] in lines
    assert ["region", "missing"] in lines  # required, and empty
    assert "four" in out and "three" in out and "two" in out and "  one" not in out


def test_a_bad_date_in_the_past_is_asked_again(run, day: Path) -> None:  # type: ignore[no-untyped-def]
    result = run("work", input="r\n\nyesterday\n+3d\nq\n")
    assert result.exit_code == 0, result
    assert "dossier: " in result.stderr
    assert place(day, "Anna")[0] == "2024-07-08"  # +3d: Monday, a working day


def test_spanish(run, day: Path) -> None:  # type: ignore[no-untyped-def]
    out = ok(run("--lang", "es", "work", input="r\nnota\nlunes\nx\n\n\nq\n"))
    assert "Últimas entradas:" not in out  # Anna and Bea are new: no history yet
    assert "Motivo" in out and "r contestó" not in out  # prompts only to a terminal
    assert "Sesión: 2 guardados, 7 para más tarde" in out
    assert "contestó 1" in out and "perdidos 1" in " ".join(out.split())
    assert "#2 Bea  lost → fuera de la carpeta" in out
    assert place(day, "Anna")[0] == "2024-07-08"  # 'lunes', read in Spanish


def test_help_names_the_options(run) -> None:  # type: ignore[no-untyped-def]
    out = ok(run("work", "--help"))
    for option in ("--date", "--tag", "--stage"):
        assert option in out


# --- through a real process: no input, Ctrl-C, another command meanwhile ----------------


def environment() -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = str(SRC) + os.pathsep + env.get("PYTHONPATH", "")
    env["NO_COLOR"] = "1"
    return env


def dossier(*args: str) -> list[str]:
    return [sys.executable, "-m", "dossier", *args]


def test_no_terminal_and_nothing_on_stdin_exits_2(run, day: Path) -> None:  # type: ignore[no-untyped-def]
    before = dump(day)
    done = subprocess.run(
        dossier("work"), stdin=subprocess.DEVNULL, capture_output=True, text=True,
        env=environment(), timeout=60,
    )  # fmt: skip
    assert done.returncode == 2
    assert done.stdout == ""
    assert done.stderr.splitlines() == [
        "dossier: 'dossier work' needs a terminal, or its answers on standard input "
        "(one line per prompt); standard input is empty"
    ]
    assert dump(day) == before


class Driven:
    """``dossier work`` in a process whose stdin is a pipe this test writes to."""

    def __init__(self) -> None:
        self.process = subprocess.Popen(
            dossier("work"), stdin=subprocess.PIPE, stdout=subprocess.PIPE,
            stderr=subprocess.PIPE, env=environment(),
        )  # fmt: skip
        self.seen = b""

    def wait_for(self, text: str, timeout: float = 30) -> None:
        import select

        assert self.process.stdout is not None
        fd = self.process.stdout.fileno()
        deadline = time.monotonic() + timeout
        while text.encode() not in self.seen:
            assert time.monotonic() < deadline, self.seen.decode()
            if select.select([fd], [], [], 0.5)[0]:
                chunk = os.read(fd, 65536)
                assert chunk, self.seen.decode()
                self.seen += chunk

    def write(self, text: str) -> None:
        assert self.process.stdin is not None
        self.process.stdin.write(text.encode())
        self.process.stdin.flush()

    def end(self) -> tuple[int, str, str]:
        """Close its input (the end of the answers: as q) and wait for it."""
        out, err = self.process.communicate(timeout=60)
        return self.process.returncode, (self.seen + out).decode(), err.decode()


def test_ctrl_c_keeps_what_was_saved(day: Path) -> None:
    driven = Driven()
    driven.wait_for("── 1/9 ── #1 Anna")
    driven.write("r\n\n\n")
    driven.wait_for("── 2/9 ── #2 Bea")  # Anna saved; now waiting for Bea's key
    time.sleep(0.3)
    driven.process.send_signal(signal.SIGINT)
    code, out, err = driven.end()
    assert code == 130
    assert "Traceback" not in err
    assert err.strip().splitlines()[-1] == (
        "dossier: interrupted: 1 answer saved; 'dossier work' goes on with the rest"
    )
    assert "Session: 1 saved, 8 left for later" in out
    assert place(day, "Anna")[0] == "2024-07-12"
    assert place(day, "Bea")[0] == "2024-07-05"


def test_ctrl_c_mid_answer_saves_nothing_of_it(day: Path) -> None:
    driven = Driven()
    driven.wait_for("── 1/9 ── #1 Anna")
    driven.write("r\nhalf\n")  # the date line never comes
    time.sleep(0.5)
    driven.process.send_signal(signal.SIGINT)
    code, _out, err = driven.end()
    assert code == 130 and "Traceback" not in err
    assert "interrupted: 0 answers saved" in err
    assert calls(day, "Anna") == []


@pytest.mark.parametrize(
    "other",
    [
        ("edit", "Anna", "--phone", "+44 999"),
        ("log", "Anna", "Called me first", "--kind", "call", "--outcome", "reached"),
    ],
)
def test_a_change_by_another_command_is_not_overwritten(run, day: Path, other) -> None:  # type: ignore[no-untyped-def]
    driven = Driven()
    driven.wait_for("── 1/9 ── #1 Anna")
    ok(run("--user", "Boris", *other))  # a colleague, while Anna's card is on screen
    driven.write("n\nmy note\n\n")
    driven.wait_for("── 1/9 (again) ── #1 Anna")
    driven.write("r\nafter a fresh look\n\n")
    code, out, err = driven.end()
    assert code == 0, err
    assert "#1 Anna was changed by boris while on screen; nothing saved" in out
    texts = [text for _kind, _outcome, text in calls(day, "Anna")]
    assert "my note" not in texts and "after a fresh look" in texts
    if other[0] == "edit":
        assert json.loads(ok(run("show", "anna", "--json")))["phones"] == ["+44 999"]
    else:
        assert "Called me first" in texts
    assert place(day, "Anna")[0] == "2024-07-12"  # the second answer: reached, a week on


def test_a_dossier_done_meanwhile_is_passed_over(run, day: Path) -> None:  # type: ignore[no-untyped-def]
    driven = Driven()
    driven.wait_for("── 1/9 ── #1 Anna")
    ok(run("done", "Bea"))
    ok(run("done", "Anna"))
    driven.write("r\n\n\n")
    driven.wait_for("── 3/9 ── #3 Carl")  # Bea, done meanwhile, is not shown
    code, out, err = driven.end()
    assert code == 0, err
    assert "#1 Anna was removed or done by another command; passed over" in out
    assert "#2 Bea was removed or done by another command; passed over" in out
    assert calls(day, "Anna")[-1][0] == "note"  # only 'done' wrote to it


# --- single keys on a terminal -------------------------------------------------------------


class Terminal:
    """``dossier work`` on a pseudo-terminal: keys typed as a person types them."""

    def __init__(self, colour: bool = False) -> None:
        self.termios = pytest.importorskip("termios")
        self.master, self.slave = os.openpty()
        self.before = self.termios.tcgetattr(self.slave)
        env = environment()
        if colour:
            env.pop("NO_COLOR")
            env["TERM"] = "xterm-256color"
        self.process = subprocess.Popen(
            dossier("work"), stdin=self.slave, stdout=self.slave, stderr=self.slave, env=env,
            close_fds=True,
        )  # fmt: skip
        self.seen, self.cursor = b"", 0

    def wait_for(self, text: str) -> None:
        """Until ``text`` appears after what the last wait found."""
        import select

        deadline = time.monotonic() + 30
        while text.encode() not in self.seen[self.cursor :]:
            assert time.monotonic() < deadline, self.seen.decode(errors="replace")
            if select.select([self.master], [], [], 0.5)[0]:
                self.seen += os.read(self.master, 65536)
        self.cursor = self.seen.index(text.encode(), self.cursor) + len(text.encode())

    def type(self, keys: bytes) -> None:
        os.write(self.master, keys)

    def end(self) -> tuple[int, bool]:
        """The exit code, and whether the terminal is back in line mode with echo."""
        try:
            code = self.process.wait(timeout=30)
            after = self.termios.tcgetattr(self.slave)
        finally:
            if self.process.poll() is None:
                self.process.kill()
            os.close(self.master)
            os.close(self.slave)
        modes = self.termios.ECHO | self.termios.ICANON
        lflag = 3
        return code, after[lflag] & modes == self.before[lflag] & modes == modes


def test_single_keys_on_a_terminal_and_the_terminal_restored(day: Path) -> None:
    terminal = Terminal()
    terminal.wait_for("q quit\r\n> ")
    terminal.type(b"r")  # one key, no Enter
    terminal.wait_for("Note (Enter: none): ")
    terminal.type(b"on a terminal\n")
    terminal.wait_for("Next date (Enter: Fri 12 Jul 2024): ")
    terminal.type(b"\n")
    terminal.wait_for("#2 Bea")
    terminal.wait_for("q quit\r\n> ")
    terminal.type(b"z")
    terminal.wait_for("not a key here")
    terminal.wait_for("q quit\r\n> ")
    terminal.type(b"q")
    assert terminal.end() == (0, True)
    assert calls(day, "Anna") == [("call", "reached", "on a terminal")]
    assert place(day, "Anna")[0] == "2024-07-12"
    assert place(day, "Bea")[0] == "2024-07-05"


def test_rich_on_a_terminal_prints_names_as_text_and_ctrl_c_restores_it(run) -> None:  # type: ignore[no-untyped-def]
    ok(run("add", "[bold red]Mallory[/]", "--on", "today", "--phone", "\x1b[2J"))
    ok(run("add", "Second", "--on", "today"))
    terminal = Terminal(colour=True)
    terminal.wait_for("[bold red]Mallory[/]")  # the name as typed, not as markup
    terminal.wait_for("> ")
    terminal.type(b"d")
    terminal.wait_for("#2 Second")
    terminal.wait_for("> ")
    time.sleep(0.2)
    terminal.process.send_signal(signal.SIGINT)  # while a key is awaited, in cbreak mode
    terminal.wait_for("interrupted: 1 answer saved")
    code, restored = terminal.end()
    assert (code, restored) == (130, True)
    drawn = terminal.seen.decode(errors="replace")
    assert "\x1b[1m" in drawn  # Rich drew it: styles on a terminal
    assert "\x1b[2J" not in drawn and "Traceback" not in drawn
