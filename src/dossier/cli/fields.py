"""``dossier field``: the team's own forms, the fields every dossier carries."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer

from ..domain.fields import FieldDef
from ..domain.messages import Message, note
from ..domain.records import FIELD_TYPES
from ..ui.words import words
from .base import AsJson, app, emit, lazy, one_of, say, say_all, session

if TYPE_CHECKING:
    from ..app import fields as service
    from ..ui import forms as render
else:
    service, render = lazy("dossier.app.fields"), lazy("dossier.ui.forms")

field_app = typer.Typer(
    help="The team's own forms: define the fields every dossier carries.",
    no_args_is_help=True,
)
app.add_typer(field_app, name="field")


@field_app.command("add")
def add(
    ctx: typer.Context,
    name: Annotated[str, typer.Argument(metavar="NAME", help="The field's name.")],
    kind: Annotated[str, typer.Option("--type", metavar="TYPE", help=one_of(FIELD_TYPES))] = "text",
    choices: Annotated[
        str | None,
        typer.Option("--choices", metavar="A,B,C", help="The list of a choice field."),
    ] = None,
    required: Annotated[
        bool, typer.Option("--required", help="Every dossier must fill it in.")
    ] = False,
    label: Annotated[
        str | None,
        typer.Option("--label", metavar="TEXT", help="What 'show' heads it with."),
    ] = None,
) -> None:
    """Define a field every dossier carries, with its type."""
    listed = tuple(choices.split(",")) if choices is not None else ()
    defn = FieldDef(name, kind, listed, required, label)
    with session(ctx, write=True) as unit:
        added = service.add(unit.store, unit.today, defn)
    said = added.defn
    kind_said = render.type_words(said)
    if said.required:
        say(words(note("Defined field {name}: {type}, required", name=said.name, type=kind_said)))
    else:
        say(words(note("Defined field {name}: {type}", name=said.name, type=kind_said)))
    say_all([words(notice) for notice in added.notices])


@field_app.command("list")
def list_(ctx: typer.Context, as_json: AsJson = False) -> None:
    """The team's fields, in the order they were defined."""
    from ..domain.shapes import field_def_json

    with session(ctx, write=False) as unit:
        defs = service.definitions(unit.store)
        counts = service.in_use(unit.store, defs)
    emit(
        lambda: render.fields_plain(defs, counts),
        None,
        (lambda: [field_def_json(d) for d in defs]) if as_json else None,
    )


@field_app.command("rm")
def rm(
    ctx: typer.Context,
    name: Annotated[str, typer.Argument(metavar="NAME", help="The field's name.")],
    force: Annotated[
        bool,
        typer.Option("--force", help="Also delete the values dossiers hold for it (undoable)."),
    ] = False,
) -> None:
    """Remove a field (refused while dossiers hold values for it, unless --force)."""
    with session(ctx, write=True) as unit:
        defn, removed = service.remove(unit.store, name, force)
    if removed:
        say(
            words(
                Message(
                    "Removed field {name} and its {count} value",
                    {"name": defn.name, "count": removed},
                    "note",
                    "Removed field {name} and its {count} values",
                )
            )
        )
    else:
        say(words(note("Removed field {name}", name=defn.name)))
