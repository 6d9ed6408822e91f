"""The ``dossier`` command line: a thin layer that parses, calls the domain, renders.

``base`` holds the app and what every command shares; each other module registers one
family of commands on it.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence

from typer.main import get_command_name

from . import cards, folder, safety, settings, transfer  # noqa: F401  (each registers its commands)
from .base import app, default_to_today

__all__ = ["app", "main"]

GLOBAL_OPTIONS_WITH_VALUE = ("--db",)


def main() -> None:
    args = default_to_today(sys.argv[1:])
    keep_only_the_invoked_command(args)
    app(args)


def keep_only_the_invoked_command(args: Sequence[str]) -> None:
    """Register only the command this run invokes.

    Typer turns every registered command into a Click command on each run, inspecting
    each signature: about 10 ms for dossier's two dozen commands, on a budget of a few
    tens. A run executes one. Help, ``--version`` and unknown names keep them all, so
    listings and error messages are unchanged.
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
    skip = False
    for arg in args:
        if skip:
            skip = False
        elif arg in GLOBAL_OPTIONS_WITH_VALUE:
            skip = True
        elif arg in ("--help", "--version"):
            return None
        elif not arg.startswith("-"):
            return arg
    return None


def _name(command: object) -> str:
    explicit = getattr(command, "name", None)
    if explicit:
        return str(explicit)
    callback = getattr(command, "callback", None)
    return get_command_name(callback.__name__) if callback else ""
