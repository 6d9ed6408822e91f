"""What every command shares: the Typer app, error reporting, the transaction, output.

Errors from the layers below are ``DossierError``s; ``DossierGroup.main`` turns them, and
Typer's own usage errors, into one line on stderr and an exit code (2 for usage, 1 for
the rest, 130 for Ctrl-C), never a traceback.
"""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from types import ModuleType
from typing import TYPE_CHECKING, Annotated, Any

import typer
from typer.core import TyperGroup

from .. import __version__
from ..domain.errors import DossierError, Interrupted, UsageError
from ..domain.messages import note
from ..domain.records import KINDS, OUTCOMES, STAGES
from ..i18n import _, language
from ..ui.words import words
from . import exits

if TYPE_CHECKING:
    from rich.console import RenderableType

    from ..app.unit import Unit

# Typer (which vendors Click) exports BadParameter but not its base class, which every
# usage error (missing argument, unknown option) derives from. Found through the public
# class so that no private module is imported; needed to print those errors on one line.
ClickException: type[Exception] = next(
    c for c in typer.BadParameter.__mro__ if c.__name__ == "ClickException"
)


ARGS: list[str] = []  # this run's arguments, for the undo history
COMPLETED: list[str] = []  # on a Tab press, the words typed before the one completed


def lazy(name: str) -> ModuleType:
    """A module that is imported on first use, not when the CLI starts.

    Every command module is imported to build the app, but a run executes one command:
    the domain and rendering modules it does not use should cost nothing.
    """
    import importlib.util

    if name in sys.modules:
        return sys.modules[name]
    spec = importlib.util.find_spec(name)
    assert spec is not None and spec.loader is not None
    loader = importlib.util.LazyLoader(exits.GuardedLoader(spec.loader))
    spec.loader = loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    loader.exec_module(module)
    return module


class DossierGroup(TyperGroup):
    """The root command, with dossier's own error reporting."""

    def main(  # type: ignore[override]
        self, args: Sequence[str] | None = None, prog_name: str | None = None, **kwargs: Any
    ) -> Any:
        standalone_mode = kwargs.pop("standalone_mode", True)
        args = default_to_today(_decodable(sys.argv[1:] if args is None else args))
        ARGS[:] = args
        exits.start_run()
        try:
            if COMPLETED:  # a Tab press (which passes no arguments): the words typed
                use_typed_language(COMPLETED)
            else:
                use_language(args)
            exits.check_streams()
            _make_output_safe()
            code = super().main(args, prog_name, standalone_mode=False, **kwargs)
            code = code if isinstance(code, int) else 0
        except DossierError as exc:
            code = _fail(words(exc), exc.exit_code)
        except ClickException as exc:
            ctx = getattr(exc, "ctx", None)
            if type(exc).__name__ == "NoArgsIsHelpError" and ctx is not None:
                print(ctx.get_help())  # a bare 'dossier': the help, not an error line
                code = 0
            else:
                see = _("(see '{command} --help')")
                hint = f" {see.format(command=ctx.command_path)}" if ctx is not None else ""
                message = getattr(exc, "format_message", exc.__str__)()
                code = _fail(f"{message}{hint}", int(getattr(exc, "exit_code", 2)))
        except typer.Abort:
            code = _fail(_("aborted, nothing changed"), 1)
        except KeyboardInterrupt:
            code = _fail(words(exits.interrupted(command_line())), Interrupted.exit_code)
        except (exits.PipeClosed, BrokenPipeError):
            code = exits.quiet_pipe()
        except Exception as exc:
            if not exits.from_ctrl_c(exc):
                raise
            code = _fail(words(exits.interrupted(command_line())), Interrupted.exit_code)
        code = exits.flush_output(code)
        if standalone_mode:
            sys.exit(code)
        return code

    def invoke(self, ctx: Any) -> Any:  # Click's Context, which Typer does not re-export
        """Run the command; Ctrl-C and a closed pipe become dossier's own exits here,
        before Typer would turn them into a silent exit code."""
        exits.interruptible()
        try:
            return super().invoke(ctx)
        except (KeyboardInterrupt, Interrupted):
            raise exits.interrupted(command_line()) from None
        except BrokenPipeError:
            raise exits.PipeClosed() from None
        except Exception as exc:
            # The import system swallowed that Ctrl-C, or a class being created wrapped it.
            if exits.INTERRUPTED_IN_IMPORT or exits.from_ctrl_c(exc):
                raise exits.interrupted(command_line()) from None
            raise


app = typer.Typer(
    cls=DossierGroup,
    # Rich help boxes on a terminal; plain help when piped (and 40 ms sooner).
    rich_markup_mode="rich" if sys.stdout is not None and sys.stdout.isatty() else None,
    name="dossier",
    # --install-completion / --show-completion; Tab completion is served by the same
    # process under _DOSSIER_COMPLETE (see cli.main and the completers below).
    add_completion=True,
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    help="A follow-up organizer: one dossier per client, filed behind day and month tabs.",
)


GLOBAL_OPTIONS_WITH_VALUE = ("--db", "--lang", "--user")


def leading_options(args: Sequence[str]) -> tuple[list[tuple[str, str | None]], int]:
    """The options before the command, as (name, value) pairs, and the index of the first
    argument after them (the command; ``len(args)`` when there is none).

    A global option that takes a value (``--db PATH``, ``--lang es``) takes the next
    argument, or its ``=`` part; any other option (``--help``, ``--no-pager``) has none.
    The first argument that is not an option, or ``--``, ends them.
    """
    found: list[tuple[str, str | None]] = []
    index = 0
    while index < len(args) and args[index].startswith("-") and args[index] != "--":
        name, sep, value = args[index].partition("=")
        if sep and name in GLOBAL_OPTIONS_WITH_VALUE:
            found.append((name, value))
        elif args[index] in GLOBAL_OPTIONS_WITH_VALUE:
            index += 1
            found.append((args[index - 1], args[index] if index < len(args) else None))
        else:
            found.append((args[index], None))
        index += 1
    return found, min(index, len(args))  # a value-taking option last takes nothing


def default_to_today(args: Sequence[str]) -> list[str]:
    """A bare ``dossier`` (or one with only global options) shows today's tab, as
    ``task`` alone shows ``task next``: the command people run every morning is the
    shortest. ``dossier --help`` still prints the help."""
    options, command = leading_options(args)
    only_global = all(
        name in GLOBAL_OPTIONS_WITH_VALUE or name == "--no-pager" for name, _ in options
    )
    if only_global and command == len(args):
        return [*args, "today"]
    return list(args)  # a command, --help, --version, or a mistake: as typed


def use_language(args: Sequence[str]) -> None:
    """Speak the language of ``--lang``, else of the ``lang`` setting, else of the locale.

    Read here, ahead of Click: help and usage errors are printed before the root
    callback would see ``--lang``. Only the global options (before the command) count.
    """
    from ..app.config import configured_language
    from ..i18n import pick_language, use

    flag = None
    for name, value in leading_options(args)[0]:  # the command's own options do not count
        if name == "--lang" and value is not None:
            flag = value
    configured = None if flag is not None else configured_language()
    catalogue = use(pick_language(flag, configured, os.environ))
    if catalogue is not None or "dossier.cli.chrome" in sys.modules:
        from . import chrome

        chrome.uninstall()  # idempotent: a second language replaces the first
        if catalogue is not None:
            chrome.install(catalogue)


def use_typed_language(typed: Sequence[str]) -> None:
    """On a Tab press, the language of the ``--lang`` typed so far; one dossier does not
    speak is left out (a completion prints no error): the setting, else the locale."""
    from ..i18n import UnsupportedLanguage

    try:
        use_language(typed)
    except UnsupportedLanguage:
        use_language(())


def _fail(message: str, code: int) -> int:
    """One error line on stderr, already in the run's language (``words``)."""
    from ..domain.text import clean

    print(f"dossier: {clean(message)}", file=sys.stderr)
    return code


def _decodable(args: Sequence[str]) -> list[str]:
    """Arguments with undecodable bytes (pasted binary) replaced by U+FFFD.

    Python keeps such bytes as lone surrogates, which SQLite cannot store; they would
    otherwise surface as a traceback deep in the storage layer.
    """
    fixed = []
    for arg in args:
        try:
            fixed.append(arg.encode("utf-8", "surrogateescape").decode("utf-8", "replace"))
        except UnicodeEncodeError:
            fixed.append(arg.encode("utf-8", "replace").decode("utf-8"))
    return fixed


def _make_output_safe() -> None:
    """An ASCII or C locale must not turn a client's accented name into a crash.

    What such a stream cannot encode becomes ``?``: acceptable in a view for a person,
    never in data, so JSON and ``export`` are written ASCII-escaped on such a stream
    (``text.encodes_everything``) and never reach the replacement.
    """
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None:
            reconfigure(errors="replace")


# --- shared plumbing -----------------------------------------------------------------


def _print_version(value: bool) -> None:
    if value:
        print(f"dossier {__version__}")
        raise typer.Exit()


@app.callback()
def root(
    ctx: typer.Context,
    db: Annotated[
        str | None,
        typer.Option(
            "--db",
            metavar="PATH|URL",
            help="Database file, or a PostgreSQL URL postgresql://USER@HOST/DBNAME "
            "(default: $DOSSIER_DB, else dossier.db in the user data dir).",
        ),
    ] = None,
    user: Annotated[
        str | None,
        typer.Option(
            "--user",
            metavar="NAME",
            help="Work as this manager (default: $DOSSIER_USER, else the user setting, "
            "else the login name).",
        ),
    ] = None,
    version: Annotated[
        bool,
        typer.Option(
            "--version", is_eager=True, callback=_print_version, help="Print the version."
        ),
    ] = False,
    no_pager: Annotated[
        bool,
        typer.Option(
            "--no-pager",
            help="Print long views straight to the terminal (default: $DOSSIER_PAGER, "
            "$PAGER or less when longer than the screen).",
        ),
    ] = False,
    lang: Annotated[
        str | None,
        typer.Option(
            "--lang",
            metavar="en|es",
            help="Language of help and messages: en or es (default: the lang setting, "
            "else the locale).",
        ),
    ] = None,  # applied before Click parses anything: see use_language
) -> None:
    ctx.obj = db
    if user is not None:  # a wrong name is refused before any command opens the folder
        from ..app.users import checked_user

        checked_user(user, "--user")
    if no_pager:
        from .pager import ENABLED

        ENABLED[0] = False


@contextmanager
def session(ctx: typer.Context, write: bool, record: bool = True) -> Iterator[Unit]:
    """This command's unit of work (``app.unit``): its store inside one transaction, and
    today's date. A write is recorded, as typed, for ``dossier undo`` (unless ``record``
    is false: undo itself, a repair)."""
    from ..app.unit import unit

    label = command_line() if write and record else None
    root = ctx.find_root()
    with unit(root.obj, write, label, root.params.get("user")) as opened:
        yield opened


def command_line() -> str:
    """The command as typed, for 'dossier undo --list'."""
    import shlex

    from ..domain.text import clean

    return clean("dossier " + " ".join(shlex.quote(arg) for arg in ARGS))


def use_rich() -> bool:
    if os.environ.get("NO_COLOR") or os.environ.get("TERM") == "dumb":
        return False
    return sys.stdout.isatty()


def shortened(as_json: bool, everything: bool) -> bool:
    """Whether this run's view may hold only the first rows of a long list: on a terminal
    (the Rich view), unless ``--all`` or ``--json`` asks for everything. Piped output and
    JSON are always whole, and a shortened view always says how many more there are and
    how to see them (``all_command``)."""
    return not as_json and not everything and use_rich()


def all_command() -> str:
    """This command as typed, with ``--all``: the line under a shortened list."""
    return command_line() if "--all" in ARGS else f"{command_line()} --all"


Every = Annotated[
    bool,
    typer.Option(
        "--all",
        help="On a terminal, every row (a terminal shows the first ones and how many more).",
    ),
]


def emit(
    plain: Callable[[], str],
    rich: Callable[[], RenderableType] | None,
    data: Callable[[], Any] | None = None,
) -> None:
    """Print a view: JSON when asked, Rich on a terminal (when the view has a Rich form),
    plain text everywhere else."""
    if data is not None:
        from ..domain.text import encodes_everything, escape_json_controls

        # JSON is data: on a stream that cannot carry every character it is written
        # ASCII-escaped (lossless), never through the '?' replacement of person views.
        ascii_only = not encodes_everything(sys.stdout.encoding)
        # Indented for a person at a terminal; compact (and several times faster to
        # write, through the C encoder) for a script reading a pipe.
        indent = 2 if sys.stdout.isatty() else None
        text = json.dumps(data(), ensure_ascii=ascii_only, indent=indent)
        _write(escape_json_controls(text) + "\n")
    elif rich is not None and use_rich():
        from rich.console import Console

        console = Console(highlight=False, emoji=False)
        with console.capture() as captured:  # whole first: it may need the pager
            console.print(rich())
        _write(captured.get())
    else:
        _write(plain() + "\n")


def _write(text: str) -> None:
    """A view to stdout: through the pager when it is longer than the user's screen."""
    if sys.stdout.isatty():
        from .pager import page

        page(text)
    else:
        sys.stdout.write(text)


def _rich() -> ModuleType:
    """The Rich views, imported only when output goes to a terminal."""
    from ..ui import terminal as render_rich

    return render_rich


YES = {"en": ("y", "yes"), "es": ("s", "sí", "si")}  # English answers count in any language


def confirm(question: str) -> bool:
    """Ask on stderr, read one line from stdin; anything but yes (y/yes, and s/sí in
    Spanish) or no answer is no.

    Click's prompt writes its trailing space to stdout, which would pollute a pipe.
    """
    sys.stderr.write(f"{question} {_('[y/N]')}: ")
    sys.stderr.flush()
    answer = sys.stdin.readline() if sys.stdin is not None else ""  # closed: no answer
    if not answer.endswith("\n") or sys.stdin is None or not sys.stdin.isatty():
        sys.stderr.write("\n")  # the terminal did not echo a newline: keep lines apart
    return answer.strip().lower() in YES["en"] + YES.get(language(), ())


def say(line: str) -> None:
    """Print a message line. Lines quote user text (a day-off note, a path, a recorded
    command): whatever slipped through unescaped is made inert here, the last gate."""
    from ..domain.text import clean

    print(clean(line, multiline=True))


def say_all(lines: Sequence[str]) -> None:
    for line in lines:
        say(line)


def values(items: Sequence[str] | None) -> list[str]:
    return list(items or [])


def pairs(items: Sequence[str] | None) -> dict[str, str]:
    result: dict[str, str] = {}
    for item in items or []:
        key, sep, value = item.partition("=")
        if not sep or not key.strip():
            raise UsageError(
                "--set {item!r} needs the form KEY=VALUE, e.g. --set budget=12k", item=item
            )
        result[key.strip()] = value.strip()
    return result


# --- completion ----------------------------------------------------------------------


def date_words(lang: str, past: bool = False) -> tuple[str, ...]:
    """The words Tab offers for a date (a past day's when ``past``) in ``lang``, from its
    lexicon (the one table of day and month names: domain.dates, loaded on a Tab)."""
    from ..domain.dates import lexicon

    names = lexicon(lang)
    weekdays = tuple(name.lower() for name in names.weekdays)
    months = tuple(name.lower() for name in names.months)
    if lang == "es":
        if past:
            return ("hoy", "ayer", "anteayer", *weekdays)
        return (
            "hoy", "mañana", "pasado mañana", *weekdays, "la semana que viene",
            "el mes que viene", *months,
        )  # fmt: skip
    if past:
        return ("today", "yesterday", *weekdays, "-1d", "-1w", "-1m")
    return (
        "today", "tomorrow", *weekdays, "next week", "next month", *months,
        "+1d", "+1w", "+1m",
    )  # fmt: skip


def for_shell(words: Sequence[str]) -> list[str]:
    """Completions as the shell asking for them needs them. Bash takes one candidate a
    line and inserts it as is, so a space or quote in a name is backslash-escaped there
    (``José\\ Núñez``: one word on the command line); zsh and fish quote for themselves."""
    if not os.environ.get("_DOSSIER_COMPLETE", "").endswith("_bash"):
        return list(words)
    import re

    return [re.sub(r"([^\w@%+=:,./-])", r"\\\1", word) for word in words]


def _starting(words: Sequence[str], incomplete: str) -> list[str]:
    typed = incomplete.lower()
    return for_shell([word for word in words if word.startswith(typed)])


# The completers, attached by cli.complete to every parameter of that option name (or,
# for complete_client, the CLIENT metavar), inline ones included. Not Typer's
# ``autocompletion=``: Typer keeps only values that start with the typed text as typed,
# which would drop "José Núñez" for "nu" and every bash-escaped value.


def complete_stage(incomplete: str) -> list[str]:
    return _starting(STAGES, incomplete)


def complete_kind(incomplete: str) -> list[str]:
    return _starting(KINDS, incomplete)


def complete_outcome(incomplete: str) -> list[str]:
    return _starting(OUTCOMES, incomplete)


def complete_date(incomplete: str) -> list[str]:
    """Dates are read in both languages: the run's words first, then English ones."""
    spanish = date_words("es") if language() == "es" else ()
    return _starting((*spanish, *date_words("en")), incomplete)


def complete_past_day(incomplete: str) -> list[str]:
    spanish = date_words("es", past=True) if language() == "es" else ()
    return _starting((*spanish, *date_words("en", past=True)), incomplete)


def complete_client(ctx: typer.Context, incomplete: str) -> list[str]:
    """Client names for Tab: read-only, and silent whatever is wrong with the database
    (missing, unreadable, locked, newer, another program's): then nothing."""
    try:
        from ..app.lookup import completions

        return for_shell(completions(ctx.find_root().params.get("db"), incomplete))
    except Exception:  # a completion must never print a traceback
        return []


COMPLETERS: dict[str, Callable[[str], list[str]]] = {
    "--stage": complete_stage,
    "--kind": complete_kind,
    "--outcome": complete_outcome,
    "--on": complete_date,
    "--date": complete_past_day,
}


# --- option types --------------------------------------------------------------------


def one_of(choices: Sequence[str]) -> str:
    """The help of an option that takes one of ``choices``: English here, put into the
    run's language when help is shown (``chrome`` reads it back through its msgid)."""
    return str(note("One of: {choices}.", choices=", ".join(choices)))


Client = Annotated[
    str,
    typer.Argument(metavar="CLIENT", show_default=False, help="Id, or part of name or company."),
]
Company = Annotated[str | None, typer.Option("--company", metavar="TEXT", help="Company name.")]
Position = Annotated[
    str | None, typer.Option("--position", metavar="TEXT", help="Position or job title.")
]
Phone = Annotated[
    list[str] | None, typer.Option("--phone", metavar="PHONE", help="Phone number (repeatable).")
]
Email = Annotated[
    list[str] | None,
    typer.Option("--email", metavar="EMAIL", help="E-mail address (repeatable)."),
]
Tag = Annotated[list[str] | None, typer.Option("--tag", metavar="TAG", help="Tag (repeatable).")]
TagFilter = Annotated[  # the filter of today, agenda and list: every tag given must match
    list[str] | None,
    typer.Option("--tag", metavar="TAG", help="Only those with this tag (repeat: all of them)."),
]
Stage = Annotated[str | None, typer.Option("--stage", metavar="STAGE", help=one_of(STAGES))]
On = Annotated[
    str | None,
    typer.Option("--on", metavar="DATE", help="Day or month tab: 2024-07-05, 13, jul 5, july…"),
]
Cadence = Annotated[
    str | None,
    typer.Option(
        "--every",
        metavar="STEP",
        help="Cadence: a contact files the next one this much later: 10d, 3w, 2m, 1y; "
        "none clears it.",
    ),
]
At = Annotated[str | None, typer.Option("--at", metavar="HH:MM", help="Fixed time that day.")]
For = Annotated[
    str | None, typer.Option("--for", metavar="TEXT", help="What the next contact is about.")
]
Kind = Annotated[str | None, typer.Option("--kind", metavar="KIND", help=one_of(KINDS))]
Outcome = Annotated[str | None, typer.Option("--outcome", metavar="OUTCOME", help=one_of(OUTCOMES))]
AsJson = Annotated[bool, typer.Option("--json", help="Print JSON (shape in the README).")]
