"""Output longer than the screen goes through a pager, as git's does.

A person at a terminal reads a long view a screen at a time; a pipe, a file or a script
gets the text whole, straight. The pager is ``$DOSSIER_PAGER``, else ``$PAGER``, else
``less`` (with ``LESS=FRX`` when the user has no ``LESS`` of their own: quit at once if
it fits after all, keep colours, leave the text on the screen). ``--no-pager``, or an
empty ``DOSSIER_PAGER`` (or ``cat``), prints straight to the terminal.

Only the terminal the user is typing at counts: stdout must be the controlling
terminal of this process, and this process in its foreground. A program that merely
hands dossier a pseudo-terminal (a test harness, an editor's output pane) gets the text
straight, never a pager waiting for keys nobody will press.
"""

from __future__ import annotations

import os
import shlex
import shutil
import sys

DISABLED = {"", "cat"}
ENABLED: list[bool] = [True]  # --no-pager sets it to False for this run


def page(text: str) -> None:
    """Write ``text`` (which ends with a newline) to stdout, through the pager when it
    is longer than the screen of the terminal the user is at."""
    command = _pager_for(text)
    if command is None:
        sys.stdout.write(text)
        return
    _run(command, text)


def _pager_for(text: str) -> str | None:
    if not ENABLED[0] or not _at_the_terminal():
        return None
    command = os.environ.get("DOSSIER_PAGER")
    if command is None:
        command = os.environ.get("PAGER") or "less"
    if command.strip() in DISABLED:
        return None
    try:
        program = shlex.split(command)[0]
    except (ValueError, IndexError):
        return None
    if shutil.which(program) is None:
        return None  # a pager that is not there must not swallow the output
    size = shutil.get_terminal_size()
    if _screen_lines(text, size.columns) < size.lines:
        return None
    return command


def _at_the_terminal() -> bool:
    """Whether stdout is the terminal the user types at, with this process in front."""
    try:
        fd = sys.stdout.fileno()
        return os.isatty(fd) and os.tcgetpgrp(fd) == os.getpgrp()
    except (AttributeError, OSError, ValueError):
        return False


def _screen_lines(text: str, columns: int) -> int:
    """The terminal lines ``text`` fills, long lines wrapping (escape codes are not
    counted: Rich's lines never exceed the width anyway)."""
    columns = max(columns, 1)
    total = 0
    for line in text.splitlines():
        width = len(line) if "\x1b" not in line else 0
        total += max(1, -(-width // columns))
    return total


def _run(command: str, text: str) -> None:
    """Hand ``text`` to the pager and wait for the user to leave it. Ctrl-C belongs to
    the pager meanwhile (the command has finished and committed by now)."""
    import signal
    import subprocess

    env = dict(os.environ)
    env.setdefault("LESS", "FRX")
    env.setdefault("LV", "-c")
    sys.stdout.flush()
    encoding = sys.stdout.encoding or "utf-8"
    # A plain command line (``less -R``) is run directly; one with shell syntax (a pipe,
    # a variable) through the shell, as git does.
    direct = not any(char in command for char in "|&;<>()$`\\\"'*?[#~=%")
    args: str | list[str] = shlex.split(command) if direct else command
    previous = signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        pager = subprocess.Popen(args, shell=not direct, stdin=subprocess.PIPE, env=env)
        assert pager.stdin is not None
        try:
            pager.stdin.write(text.encode(encoding, errors="replace"))
            pager.stdin.close()
        except BrokenPipeError:  # the user quit before reading it all: that is fine
            pass
        pager.wait()
    finally:
        signal.signal(signal.SIGINT, previous)
