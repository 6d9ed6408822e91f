"""``dossier work``: the day's calls, one after another.

The session itself is ``app.work``; here are only the prompts and the reading of
answers. Standard input decides how answers are read:

- a terminal: the outcome is one key, no Enter (the terminal is put in cbreak mode for
  that key and restored on every way out); the note and the date are lines;
- a pipe, or a file that is not empty: one line per prompt (the key's line, then for an
  outcome the note's line and the date's line; an empty line is Enter); the end of the
  input is ``q``;
- anything else (``</dev/null``, an empty file, a closed stdin): exit 2, nothing read.

Prompts go to stderr, and only to a terminal; cards and what each answer did go to
stdout (Rich on a terminal, plain text piped).
"""

from __future__ import annotations

import os
import stat
import sys
from collections.abc import Sequence
from typing import TYPE_CHECKING, Annotated, Any

import typer

from ..domain.errors import DossierError, Interrupted, UsageError
from ..ui.words import words
from .base import Stage, TagFilter, app, lazy, say, use_rich
from .owners import Team, ViewOwner

if TYPE_CHECKING:
    from ..app import work as service
    from ..domain.work import Answered, Card
    from ..ui import work as render
else:
    service, render = lazy("dossier.app.work"), lazy("dossier.ui.work")


class Stopped(DossierError):
    """Ctrl-C during a session: what was answered before it is saved (exit 130)."""

    exit_code = 130


@app.command()
def work(
    ctx: typer.Context,
    on: Annotated[
        str | None,
        typer.Option(
            "--date", metavar="DATE", help="Work another day's tab (as today --date reads it)."
        ),
    ] = None,
    tag: TagFilter = None,
    stage: Stage = None,
    owner: ViewOwner = None,
    team: Team = False,
) -> None:
    """The day's calls, one after another: a card, one key for the outcome, the next date."""
    reader = Reader.for_stdin()
    root = ctx.find_root()
    session = service.Session(root.obj, on, tag or [], stage, root.params.get("user"), owner, team)
    try:
        interrupted = not run(session, reader)
    except (KeyboardInterrupt, Interrupted):
        interrupted = True
    if interrupted:
        reader.restore()
        if reader.terminal:
            sys.stderr.write("\n")  # the prompt that was waiting ends its line
    if session.total:
        show([("", ""), *render.summary_lines(session.finish())])
    if interrupted:
        # Raised out here, not in the handler: a Ctrl-C in its context would be taken
        # for one that lost the answers.
        message = render.interrupted(session.tally.saved)
        raise Stopped(message.id, plural=message.plural, **message.params)


def run(session: service.Session, reader: Reader) -> bool:
    """Show each card and save its answer until the queue is empty or the user quits;
    False when a Ctrl-C ended it."""
    try:
        card = session.current()
        if card is None:
            say(render.empty_line(session.day))
        while card is not None:
            show(render.card_lines(card))
            answered = ask(session, card, reader)
            if answered is None:
                break
            card = answered.changed or session.current()
    except (KeyboardInterrupt, Interrupted):
        return False
    return True


def ask(session: service.Session, card: Card, reader: Reader) -> Answered | None:
    """Read one answer for ``card`` and save it; None to quit (``q``, or the end of
    the input). A bad key or date is said on stderr and asked again, keeping what was
    already typed."""
    from ..domain.work import Answer, action

    while True:
        key = reader.key(render.key_prompt())
        if key is None:
            return None
        try:
            what, outcome = action(key)
        except UsageError as wrong:
            complain(wrong)
            continue
        if what == "quit":
            return None
        text, when = "", None
        if outcome is not None:
            typed = reader.line(render.note_prompt())
            if typed is None:
                return None
            text = typed.strip()
            when = date_answer(session, card, outcome, reader)
            if when is None:
                return None
        try:
            answered = session.answer(card, Answer(key, text, when or None))
        except Interrupted:
            raise
        except DossierError as refused:  # nothing was saved: answer this card again
            complain(refused)
            continue
        show(render.answered_lines(answered))
        return answered


def date_answer(session: service.Session, card: Card, outcome: str, reader: Reader) -> str | None:
    """The next date as typed ("" for Enter), asked again until it reads; None at the
    end of the input."""
    while True:
        typed = reader.line(render.date_prompt(card, outcome))
        if typed is None:
            return None
        if not typed.strip():
            return ""
        try:
            session.check_date(typed.strip())
        except DossierError as wrong:
            complain(wrong)
            continue
        return typed.strip()


def complain(error: DossierError) -> None:
    from ..domain.text import clean

    print(f"dossier: {clean(words(error))}", file=sys.stderr, flush=True)


def show(lines: Sequence[tuple[str, str]]) -> None:
    if use_rich():
        from rich.console import Console

        Console(highlight=False, emoji=False).print(render.rich(lines))
    else:
        say(render.plain(lines))
    sys.stdout.flush()


class Reader:
    """Answers from a terminal (one key) or from piped lines (one line per prompt)."""

    def __init__(self, terminal: bool) -> None:
        self.terminal = terminal
        self.saved: list[Any] | None = None  # the terminal's settings while in cbreak

    @classmethod
    def for_stdin(cls) -> Reader:
        stream = sys.stdin
        if stream is None:
            raise needs_input()
        try:
            fd = stream.fileno()
        except (OSError, ValueError):
            return cls(terminal=False)  # a stream without a descriptor (an embedding program)
        if os.isatty(fd):
            return cls(terminal=True)
        try:
            mode = os.fstat(fd)
        except OSError:
            raise needs_input() from None
        if stat.S_ISFIFO(mode.st_mode) or stat.S_ISSOCK(mode.st_mode):
            return cls(terminal=False)
        if stat.S_ISREG(mode.st_mode) and mode.st_size > 0:
            return cls(terminal=False)
        raise needs_input()

    def key(self, legend: str) -> str | None:
        """One key: on a terminal without Enter; piped, a line. None: end of input."""
        if not self.terminal:
            line = sys.stdin.readline()
            return line.strip() if line else None
        key = self._one_key(f"{legend}\n> ")
        if key is None or key in ("\x04", "\x1b"):  # Ctrl-D or Esc: quit
            sys.stderr.write("\n")
            return None
        sys.stderr.write(f"{key if key.isprintable() else '?'}\n")
        return key

    def _one_key(self, prompt: str) -> str | None:
        import termios
        import tty

        fd = sys.stdin.fileno()
        self.saved = termios.tcgetattr(fd)
        try:
            # Keys one at a time, no echo; Ctrl-C still interrupts. TCSANOW, not the
            # default TCSAFLUSH: a key typed ahead is read, not thrown away.
            tty.setcbreak(fd, termios.TCSANOW)
            sys.stderr.write(prompt)  # once a key is read as a key
            sys.stderr.flush()
            first = os.read(fd, 1)
            if not first:
                return None
            data = first
            while first[0] >= 0xC0 and len(data) < 4:  # the rest of a UTF-8 character
                try:
                    return data.decode("utf-8")
                except UnicodeDecodeError:
                    data += os.read(fd, 1)
            return data.decode("utf-8", "replace")
        finally:
            self.restore()

    def restore(self) -> None:
        """Give the terminal back as it was (after a key, and on every way out)."""
        if self.saved is not None:
            import termios

            termios.tcsetattr(sys.stdin.fileno(), termios.TCSADRAIN, self.saved)
            self.saved = None

    def line(self, prompt: str) -> str | None:
        """A line without its newline; None at the end of the input."""
        if self.terminal:
            sys.stderr.write(prompt)
            sys.stderr.flush()
        line = sys.stdin.readline()
        if not line:
            return None
        return line.rstrip("\r\n")


def needs_input() -> UsageError:
    return UsageError(
        "'dossier work' needs a terminal, or its answers on standard input (one line per "
        "prompt); standard input is empty"
    )
