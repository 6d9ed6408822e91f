"""The floor: the smallest Typer app that prints one line through Rich.

Run with the same interpreter, Typer and Rich as dossier; every dossier command is timed
against it (``python bench/floor.py --name x``).

With ``--db URL`` (a PostgreSQL URL) it reads the line from the server instead: it imports
psycopg, connects and runs one query, the least any Python command on a server pays.
``bench/run.py`` times it as a reference row when it runs against a server, so that a
reader can tell the driver's and the connection's share from dossier's own.
"""

from typing import Annotated

import typer
from rich.console import Console

app = typer.Typer(add_completion=False)


@app.command()
def main(
    name: Annotated[str, typer.Option("--name", help="Who to greet.")],
    db: Annotated[str, typer.Option("--db", help="Read the greeting from this server.")] = "",
) -> None:
    if db:
        import psycopg

        with psycopg.connect(db, autocommit=True) as conn:
            row = conn.execute("SELECT 'Hello ' || %s", (name,)).fetchone()
        Console().print(row[0] if row else "")
        return
    Console().print(f"Hello {name}")


if __name__ == "__main__":
    app()
