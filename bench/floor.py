"""The floor: the smallest Typer app that prints one line through Rich.

Run with the same interpreter, Typer and Rich as dossier; every dossier command is timed
against it (``python bench/floor.py --name x``).
"""

from typing import Annotated

import typer
from rich.console import Console

app = typer.Typer(add_completion=False)


@app.command()
def main(name: Annotated[str, typer.Option("--name", help="Who to greet.")]) -> None:
    Console().print(f"Hello {name}")


if __name__ == "__main__":
    app()
