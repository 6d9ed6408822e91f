"""How a run ends when the world around it does: Ctrl-C, a closed pipe, closed streams.

- Ctrl-C while the command runs rolls its transaction back; the message then says
  "nothing saved" only when nothing was, and names the saved change otherwise (a Ctrl-C
  that lands after the commit, while the answer is printed).
- A reader that stops reading (``dossier today | head -1``) ends the run the way Unix
  tools end: quietly, by SIGPIPE, after a write as well (the change stays saved).
- A closed standard output is refused before anything is done (there would be no way to
  say what happened); a closed standard input reads as no answer; a closed standard
  error discards the error lines (the exit code still tells).
"""

from __future__ import annotations

import os
import signal
import sys
import threading
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from importlib.abc import Loader
    from importlib.machinery import ModuleSpec
    from types import ModuleType
else:
    # importlib.abc pulls in importlib.resources, tempfile and random: milliseconds at
    # every start. LazyLoader only needs an object with exec_module.
    Loader = object

from ..domain.errors import DossierError, Interrupted

INTERRUPTED_IN_IMPORT: list[bool] = []  # a Ctrl-C hit a module being loaded lazily
PIPE_EXIT = 128 + signal.SIGPIPE  # what a shell reports for a tool ended by SIGPIPE
PIPE_CLOSED: list[bool] = []  # set when this run's output pipe was closed by its reader


class PipeClosed(Exception):
    """The reader of standard output went away. Not an ``OSError``, so that Typer (which
    turns EPIPE into a silent exit 1) lets it through to dossier's own handling."""


class OutputClosed(DossierError):
    """Standard output is closed: the command is refused before it does anything."""


class GuardedLoader(Loader):
    """The real loader of a lazily imported module, made safe against Ctrl-C.

    A Ctrl-C while a lazy module runs its body can be lost: CPython's import statement
    reads the module's ``__spec__`` (which runs the body) and clears any error that
    raises. The module would stay half-loaded and the command would go on, to fail later
    with an ImportError or AttributeError. Here the half-loaded module is dropped and
    the Ctrl-C remembered, so the command ends as interrupted.
    """

    def __init__(self, loader: Loader) -> None:
        self.loader = loader

    def create_module(self, spec: ModuleSpec) -> ModuleType | None:
        return self.loader.create_module(spec)

    def exec_module(self, module: ModuleType) -> None:
        try:
            self.loader.exec_module(module)
        except BaseException as exc:
            sys.modules.pop(module.__name__, None)
            if from_ctrl_c(exc):
                INTERRUPTED_IN_IMPORT.append(True)
            raise


def from_ctrl_c(exc: BaseException) -> bool:
    """Whether this error is a Ctrl-C, or was raised because of one.

    Python 3.11 wraps an error raised while a class is being created in a RuntimeError
    ("Error calling __set_name__ ..."), so a Ctrl-C that lands while a module defines a
    dataclass arrives as that RuntimeError, with the KeyboardInterrupt as its cause.
    """
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        if isinstance(current, KeyboardInterrupt):
            return True
        seen.add(id(current))
        current = current.__cause__ or current.__context__
    return False


def start_run() -> None:
    """Forget what an earlier run in this process saw (tests run many in one process)."""
    PIPE_CLOSED.clear()
    INTERRUPTED_IN_IMPORT.clear()
    storage = sys.modules.get("dossier.storage")
    if storage is not None:
        storage.COMMITTED.clear()


def check_streams() -> None:
    if sys.stderr is None:
        sys.stderr = open(os.devnull, "w")  # noqa: SIM115  (kept for the whole run)
    if sys.stdout is None:
        raise OutputClosed(
            "standard output is closed, so the result could not be shown; nothing was "
            "done: send the output to a terminal, a file or /dev/null"
        )


def interruptible() -> None:
    """From here on Ctrl-C raises KeyboardInterrupt, which rolls a transaction back."""
    if threading.current_thread() is threading.main_thread():
        signal.signal(signal.SIGINT, signal.default_int_handler)
        if sys.unraisablehook is not _delivered_again:
            _PREVIOUS_HOOK[:] = [sys.unraisablehook]
            sys.unraisablehook = _delivered_again


_PREVIOUS_HOOK: list[Callable[[Any], object]] = []


def _delivered_again(unraisable: Any) -> None:
    """A Ctrl-C that landed in code whose errors Python cannot raise (a weak reference's
    callback, such as the import system's module-lock cleanup, or a ``__del__``) would be
    printed as "Exception ignored in …" with a traceback, and then lost: the command would
    go on, and commit, as if no key had been pressed. It is delivered again instead, once
    this hook has returned (an error raised here would be ignored too): a one-shot timer
    raises it where the command runs, which ends it as any Ctrl-C does."""
    if isinstance(unraisable.exc_value, KeyboardInterrupt) and hasattr(signal, "setitimer"):
        signal.signal(signal.SIGALRM, _ctrl_c_again)
        signal.setitimer(signal.ITIMER_REAL, 0.001)
        return
    if _PREVIOUS_HOOK:
        _PREVIOUS_HOOK[0](unraisable)
    else:
        sys.__unraisablehook__(unraisable)


def _ctrl_c_again(signum: int, frame: object) -> None:
    signal.signal(signal.SIGALRM, signal.SIG_DFL)
    raise KeyboardInterrupt


def interrupted(command: str) -> Interrupted:
    """The Ctrl-C message, true to what the database holds."""
    storage = sys.modules.get("dossier.storage")
    if storage is not None and getattr(storage, "COMMITTED", None):
        return Interrupted("interrupted after the change was saved ({command})", command=command)
    return Interrupted("Interrupted, nothing saved")


def quiet_pipe() -> int:
    """Stop writing to a pipe nobody reads: later writes and the final flush go to the
    null device, so Python prints no "Exception ignored" line at exit."""
    PIPE_CLOSED.append(True)
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
    except (OSError, ValueError, AttributeError):
        pass  # no real file descriptor (an in-process test runner): nothing to redirect
    return PIPE_EXIT


def flush_output(code: int) -> int:
    """Flush standard output now, where a closed pipe can still be handled quietly."""
    try:
        if sys.stdout is not None:
            sys.stdout.flush()
    except BrokenPipeError:
        return quiet_pipe()
    return code


def end_by_sigpipe() -> None:
    """End the process as a Unix tool does when its reader has gone: killed by SIGPIPE."""
    signal.signal(signal.SIGPIPE, signal.SIG_DFL)
    os.kill(os.getpid(), signal.SIGPIPE)
