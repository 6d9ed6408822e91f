"""The ``dossier`` command line: a thin layer that parses, calls the domain, renders.

``base`` holds the app and what every command shares; each other module registers one
family of commands on it.
"""

from __future__ import annotations

from . import cards, folder, safety, settings, transfer  # noqa: F401  (each registers its commands)
from .base import app

__all__ = ["app", "main"]


def main() -> None:
    app()
