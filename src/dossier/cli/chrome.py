"""Typer's and Click's chrome (usage line, section titles, the help option, usage errors)
in the language of the run. Imported only when that language is not English.

Why not bind gettext's global ``messages`` domain: Typer 0.28 vendors Click under
``typer._click`` with Click's gettext calls taken out, so "Usage:", "Show this message and
exit.", "No such option", "Missing argument", "Got unexpected extra argument(s)" and
"Invalid value for" are plain English literals there that no gettext binding reaches.
Only ``typer/core.py`` and ``typer/rich_utils.py`` still call ``gettext.gettext`` (as a
module-level ``_``), and ``rich_utils`` does it at import time for its panel titles and
``[default: …]``. A global binding would, besides, have to pick the language through
``LANGUAGE`` in ``os.environ`` (``gettext.gettext`` takes no language), which the pager
and every other child process would inherit, and it would answer for every library that
uses the default domain.

So each kind of string is reached where it is used, and every change is recorded so that
``uninstall`` puts the English back:

1. Typer's gettext calls: the module global ``_`` of ``typer.core`` and
   ``typer.rich_utils`` is the catalogue's ``gettext`` (looked up at call time); the
   constants ``rich_utils`` computed at import time are recomputed from their msgids,
   and the Rich highlighter learns the translated "Usage:".
2. Texts stored on the command tree (the help of commands, options and arguments,
   including Click's own help option and Typer's completion options, and the
   ``[OPTIONS]`` / ``COMMAND [ARGS]...`` metavars): translated in place when help is
   asked for (``Command.get_help``). Dossier's own help texts go the same way, so they
   need no change where they are written; one built from a msgid with fields (``One of:
   {choices}.``) is read back through that msgid, as the usage errors of point 4 are.
3. The usage line: ``HelpFormatter.write_usage``'s default prefix is ``_("Usage:")``.
4. Usage errors: Click builds them as English f-strings. The ``format_message`` of each
   exception class is wrapped: the English message is read back through the catalogue's
   msgids that have fields (``No such option: {name}``), used as patterns, and rebuilt
   from the msgstr. A message no pattern matches stays English.

Why one domain for the chrome and dossier's own strings: the chrome is dossier's
translation of the Typer it pins (``typer<0.29``), not a catalogue another program would
look up (there is no ``click`` domain: the vendored Click calls no gettext); one file is
one open and one parse at start-up; and the same English ("Options") means the same
Spanish wherever it comes from.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Callable
from functools import cache
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from gettext import GNUTranslations
    from types import ModuleType

# The strings typer/rich_utils.py passes to gettext when it is imported (typer 0.28).
RICH_CONSTANTS = {
    "DEPRECATED_STRING": "(deprecated) ",
    "DEFAULT_STRING": "[default: {}]",
    "ENVVAR_STRING": "[env var: {}]",
    "REQUIRED_LONG_STRING": "[required]",
    "ARGUMENTS_PANEL_TITLE": "Arguments",
    "OPTIONS_PANEL_TITLE": "Options",
    "COMMANDS_PANEL_TITLE": "Commands",
    "ERRORS_PANEL_TITLE": "Error",
    "ABORTED_TEXT": "Aborted.",
    "RICH_HELP": "Try [blue]'{command_path} {help_option}'[/] for help.",
}
# Texts stored on a command and on its parameters, translated when help is shown.
COMMAND_TEXTS = ("help", "short_help", "epilog", "options_metavar", "subcommand_metavar")
PARAMETER_TEXTS = ("help",)

_MISSING = object()
_undo: list[tuple[object, str, object]] = []
_current: list[GNUTranslations] = []


def install(catalogue: GNUTranslations) -> None:
    """Route the chrome through ``catalogue`` (after ``uninstall`` of any earlier one)."""
    uninstall()
    _current.append(catalogue)
    from typer import core
    from typer._click import core as click_core
    from typer._click import exceptions, formatting

    _patch(core, "_", catalogue.gettext)
    if "typer.rich_utils" in sys.modules:
        _patch_rich_utils(sys.modules["typer.rich_utils"])

    get_help = click_core.Command.get_help

    def translated_help(self: Any, ctx: Any) -> str:
        _translate_command(self, ctx)
        if "typer.rich_utils" not in sys.modules and _uses_rich(self):
            from typer import rich_utils  # what format_help is about to import

            _patch_rich_utils(rich_utils)
        return get_help(self, ctx)

    _patch(click_core.Command, "get_help", translated_help)

    write_usage = formatting.HelpFormatter.write_usage

    def translated_usage(self: Any, prog: str, args: str = "", prefix: str | None = None) -> None:
        write_usage(self, prog, args, f"{_text('Usage:')} " if prefix is None else prefix)

    _patch(formatting.HelpFormatter, "write_usage", translated_usage)

    # ClickException inherits its format_message (Typer's): wrapped on ClickException
    # itself; each subclass that defines its own is wrapped too.
    for cls in _subclasses(exceptions.ClickException):
        if cls is exceptions.ClickException or "format_message" in vars(cls):
            _patch(cls, "format_message", _translated_message(cls.format_message))


def uninstall() -> None:
    """Put back everything ``install`` changed, newest first."""
    while _undo:
        owner, name, old = _undo.pop()
        if old is _MISSING:
            delattr(owner, name)
        else:
            setattr(owner, name, old)
    _current.clear()


def translate_message(message: str) -> str:
    """An English message built by Click, in the installed language when a msgid with
    fields matches it whole; a ``{message}`` field is itself translated."""
    if not _current:
        return message
    from string import Formatter  # here, on the error path: 0.7 ms to import

    catalogue = _current[0]
    exact = catalogue.gettext(message)
    if exact != message:
        return exact
    for pattern, msgstr in _patterns(catalogue):
        match = pattern.fullmatch(message)
        if match is not None:
            fields = match.groupdict()
            if "message" in fields:
                fields["message"] = translate_message(fields["message"])
            return "".join(
                literal + (fields[name] if name is not None else "")
                for literal, name, _spec, _conversion in Formatter().parse(msgstr)
            )
    return message


# --- helpers ---------------------------------------------------------------------------


def _text(message: str) -> str:
    return _current[0].gettext(message) if _current else message


def _patch(owner: object, name: str, value: object) -> None:
    _undo.append((owner, name, vars(owner).get(name, _MISSING)))
    setattr(owner, name, value)


def _patch_rich_utils(rich_utils: ModuleType) -> None:
    if vars(rich_utils).get("_") is _text:
        return  # already done
    _patch(rich_utils, "_", _text)
    for name, msgid in RICH_CONSTANTS.items():
        _patch(rich_utils, name, _text(msgid))
    usage = _text("Usage:")
    highlighter = getattr(rich_utils, "OptionHighlighter", None)
    if highlighter is not None and usage != "Usage:":
        extra = rf"(?P<usage>{re.escape(usage)} )"
        _patch(highlighter, "highlights", [*highlighter.highlights, extra])


def _uses_rich(command: object) -> bool:
    from typer import core

    return bool(core.HAS_RICH) and getattr(command, "rich_markup_mode", None) is not None


def _translate_command(command: Any, ctx: Any) -> None:
    """Translate in place the texts help shows: the command's, its parameters' (the help
    option included) and, for the command list, its subcommands'."""
    _translate_texts(command, COMMAND_TEXTS)
    for param in command.get_params(ctx):
        _translate_texts(param, PARAMETER_TEXTS)
    subcommands: dict[str, Any] = getattr(command, "commands", {})
    for sub in subcommands.values():
        _translate_texts(sub, ("help", "short_help"))


def _translate_texts(owner: object, names: tuple[str, ...]) -> None:
    """A text with a msgid of its own, or one built from a msgid with fields (the help
    of an option taking ``One of: {choices}.``), read back as the errors are."""
    for name in names:
        value = getattr(owner, name, None)
        if isinstance(value, str) and value:
            translated = translate_message(value)
            if translated != value:  # recorded, so that ``uninstall`` puts the English back
                _patch(owner, name, translated)


def _translated_message(format_message: Callable[[Any], str]) -> Callable[[Any], str]:
    def translated(self: Any) -> str:
        return translate_message(format_message(self))

    return translated


def _subclasses(cls: type[Any]) -> list[type[Any]]:
    found = [cls]
    subclasses: list[type[Any]] = cls.__subclasses__()
    for sub in subclasses:
        found.extend(_subclasses(sub))
    return found


@cache
def _patterns(catalogue: GNUTranslations) -> list[tuple[re.Pattern[str], str]]:
    """The catalogue's msgids with named fields as patterns, with their msgstr: the ones
    that wrap a ``{message}`` first (the outer part of a message), then the most
    specific (most fixed text) first."""
    found = []
    messages: dict[object, str] = getattr(catalogue, "_catalog", {})
    for msgid, msgstr in messages.items():
        if not isinstance(msgid, str) or "{" not in msgid:
            continue
        pattern, names, fixed = _pattern(msgid)
        if pattern is not None:
            found.append(((0 if "message" in names else 1, -fixed), pattern, msgstr))
    found.sort(key=lambda item: item[0])
    return [(pattern, msgstr) for _key, pattern, msgstr in found]


def _pattern(msgid: str) -> tuple[re.Pattern[str] | None, set[str], int]:
    from string import Formatter

    regex: list[str] = []
    names: set[str] = set()
    fixed = 0
    for literal, name, _spec, _conversion in Formatter().parse(msgid):
        regex.append(re.escape(literal))
        fixed += len(literal)
        if name is None:
            continue
        if not name.isidentifier():
            return None, names, fixed  # positional ("{}"): formatted after gettext
        regex.append(f"(?P={name})" if name in names else f"(?P<{name}>.+?)")
        names.add(name)
    return re.compile("".join(regex), re.DOTALL), names, fixed
