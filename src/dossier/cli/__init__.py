"""The ``dossier`` command line: a thin layer that parses, calls the domain, renders.

``base`` holds the app and what every command shares; each other module registers one
family of commands on it.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Mapping, Sequence

from typer.main import get_command_name

from . import (  # noqa: F401  (each registers its commands)
    cards,
    carry,
    exporting,
    fields,
    folder,
    importing,
    owners,
    review,
    safety,
    settings,
    stats,
    work,
)
from .base import (
    COMPLETED,
    COMPLETERS,
    app,
    complete_client,
    default_to_today,
    leading_options,
)

__all__ = ["app", "main"]

COMPLETION_OPTIONS = ("--install-completion", "--show-completion")
COMPLETE_VAR = "_DOSSIER_COMPLETE"  # set by the shell's completion script on each Tab


def main() -> None:
    args = default_to_today(sys.argv[1:])
    if COMPLETE_VAR in os.environ:
        complete()
        return
    keep_only_the_invoked_command(args)
    if named_shell(args):
        # '--show-completion bash': Typer takes a shell name when it does not detect one.
        os.environ["_TYPER_COMPLETE_TEST_DISABLE_SHELL_DETECTION"] = "1"
    app(args)


def complete() -> None:
    """Answer one Tab press: the completion words come from the environment."""
    from typer.main import get_command

    COMPLETED[:] = completed_words(os.environ)  # their --lang picks the date words' language
    keep_only_the_invoked_command(COMPLETED)
    command = get_command(app)
    complete_by_option_name(command)
    command.main([], prog_name="dossier")


def completed_words(environ: Mapping[str, str]) -> list[str]:
    """The words before the one being completed, as bash, zsh or fish pass them."""
    import shlex

    try:
        if "COMP_WORDS" in environ:
            words = shlex.split(environ["COMP_WORDS"])
            return words[1 : int(environ.get("COMP_CWORD", len(words)))]
        line = environ.get("_TYPER_COMPLETE_ARGS", "")
        words = shlex.split(line)[1:]
        return words if line.endswith(" ") else words[:-1]
    except ValueError:  # an open quote: keep every command
        return ["--help"]


def complete_by_option_name(command: object) -> None:
    """Give each option its completer by name (inline ones too: ``file --on``, ``log
    --date``), and each CLIENT argument the client names."""
    for param in getattr(command, "params", []):
        name = next((opt for opt in getattr(param, "opts", []) if opt in COMPLETERS), None)
        if name is not None:
            completer = COMPLETERS[name]
            param._custom_shell_complete = lambda ctx, p, typed, c=completer: c(typed)
        elif getattr(param, "metavar", None) == "CLIENT":
            param._custom_shell_complete = lambda ctx, p, typed: complete_client(ctx, typed)
    for sub in getattr(command, "commands", {}).values():
        complete_by_option_name(sub)


def named_shell(args: Sequence[str]) -> bool:
    """Whether a completion option is given a shell (``--show-completion bash``): then
    Typer takes the name, checked against the shells it knows, instead of detecting."""
    for arg, following in zip(args, [*args[1:], ""], strict=True):
        if arg in COMPLETION_OPTIONS and following and not following.startswith("-"):
            return True
        option, sep, _ = arg.partition("=")
        if sep and option in COMPLETION_OPTIONS:
            return True
    return False


def keep_only_the_invoked_command(args: Sequence[str]) -> None:
    """Register only the command this run invokes.

    Typer turns every registered command into a Click command on each run, inspecting
    each signature: about 10 ms for dossier's two dozen commands, on a budget of a few
    tens. A run executes one. Help, ``--version``, the completion options and unknown
    names keep them all, so listings and error messages are unchanged. A Tab press
    passes the words typed before it: a command name there keeps that command (its
    options and arguments complete), none keeps all (command names complete).
    """
    name = invoked_name(args)
    if name is None:
        return
    commands = [c for c in app.registered_commands if _name(c) == name]
    groups = [g for g in app.registered_groups if g.name == name]
    if commands or groups:
        app.registered_commands[:] = commands
        app.registered_groups[:] = groups


def invoked_name(args: Sequence[str]) -> str | None:
    """The command name in ``args`` (after the global options), or None for help."""
    options, command = leading_options(args)
    if any(name in ("--help", "--version", *COMPLETION_OPTIONS) for name, _ in options):
        return None
    if command == len(args):
        return None
    if args[command] == "--":  # read on past it, as Click does not end options there
        return invoked_name(args[command + 1 :])
    return args[command]


def _name(command: object) -> str:
    explicit = getattr(command, "name", None)
    if explicit:
        return str(explicit)
    callback = getattr(command, "callback", None)
    return get_command_name(callback.__name__) if callback else ""
