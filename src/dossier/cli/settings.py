"""``dossier config``: show the settings and where each comes from; set one."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer

from ..app.config import DEFAULTS, load, set_value
from ..app.unit import database_path
from ..domain.messages import note
from ..ui.words import words
from .base import AsJson, app, emit, lazy, one_of, say

if TYPE_CHECKING:
    from ..ui import folder as render_folder
else:
    render_folder = lazy("dossier.ui.folder")

config_app = typer.Typer(
    help="Show the settings (capacity, workdays, country, subdivision); set one.",
    no_args_is_help=False,
    invoke_without_command=True,
)
app.add_typer(config_app, name="config")


@config_app.callback()
def show(ctx: typer.Context, as_json: AsJson = False) -> None:
    """Show every setting, its value and where it comes from."""
    if ctx.invoked_subcommand is not None:
        return
    settings = load()
    database = str(database_path(ctx.find_root().obj))
    emit(
        lambda: render_folder.settings_plain(settings, database),
        None,
        (lambda: render_folder.settings_json(settings, database)) if as_json else None,
    )


@config_app.command("set")
def set_(
    key: Annotated[str, typer.Argument(metavar="KEY", help=one_of(DEFAULTS))],
    value: Annotated[str, typer.Argument(metavar="VALUE", help="The value; 'none' resets it.")],
) -> None:
    """Set one setting in the config file ('none' resets it to its default)."""
    stored = set_value(key.strip().lower(), value)
    shown = ",".join(stored) if isinstance(stored, list) else stored
    shown = shown if shown is not None else "none"  # 'none' as typed to reset it
    say(words(note("{key} = {value} (saved in {path})", key=key, value=shown, path=load().path)))
