"""The ``dossier`` command line: a thin layer that parses, calls the domain, renders.

``base`` holds the app and what every command shares; each other module registers one
family of commands on it.
"""

from __future__ import annotations

from . import cards  # noqa: F401  (registers the commands)
from .base import app

__all__ = ["app", "main"]


def main() -> None:
    app()
