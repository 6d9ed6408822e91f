"""The layout is the architecture: which package may import which (docs/ARCHITECTURE.md).

Read from the source, every import counted: at the top of a module, inside a function
(the lazy imports that keep start-up fast) and the module names given to ``lazy()``.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parent.parent / "src" / "dossier"

# Which of dossier's own packages each package may import (itself always).
ALLOWED = {
    "domain": set(),
    "i18n": {"domain"},
    "storage": {"domain"},
    "app": {"domain", "storage", "i18n"},
    "ui": {"domain", "i18n"},
    "cli": {"domain", "app", "ui", "i18n"},
}
# Outside libraries a package must not import: the domain is pure (no database, no
# terminal, no file system, no clock); only the CLI speaks Typer; only storage speaks SQL.
FORBIDDEN = {
    "domain": {"sqlite3", "typer", "click", "rich", "sqlmodel", "sqlalchemy", "os", "pathlib"},
    "i18n": {"sqlite3", "typer", "rich", "sqlmodel", "sqlalchemy"},
    "storage": {"typer", "click", "rich"},
    "app": {"sqlite3", "typer", "click", "rich"},
    "ui": {"sqlite3", "typer", "click", "sqlmodel", "sqlalchemy"},
    "cli": {"sqlite3", "sqlmodel", "sqlalchemy"},
}


def imports(path: Path) -> set[str]:
    """Every module ``path`` imports, as absolute names (``dossier.storage.sqlite``)."""
    module = ".".join(path.relative_to(SRC.parent).with_suffix("").parts)
    package = module.split(".")[:-1]  # for __init__.py too: its module ends in __init__
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package[: len(package) - node.level + 1]
                name = ".".join([*base, *([node.module] if node.module else [])])
            else:
                name = node.module or ""
            found.add(name)
            found.update(f"{name}.{alias.name}" for alias in node.names)
        elif (
            isinstance(node, ast.Call)
            and getattr(node.func, "id", None) == "lazy"
            and node.args
            and isinstance(node.args[0], ast.Constant)
        ):
            found.add(str(node.args[0].value))
    return found


def sources() -> list[Path]:
    return sorted(p for p in SRC.rglob("*.py") if p.parent != SRC)


@pytest.mark.parametrize("path", sources(), ids=lambda p: str(p.relative_to(SRC)))
def test_each_package_imports_only_what_its_layer_may(path: Path) -> None:
    layer = path.relative_to(SRC).parts[0]
    assert layer in ALLOWED, f"{layer}/ is not a package of docs/ARCHITECTURE.md"
    wrong = []
    for name in imports(path):
        parts = name.split(".")
        if parts[0] == "dossier" and len(parts) > 1:
            other = parts[1]
            if other in ALLOWED and other != layer and other not in ALLOWED[layer]:
                wrong.append(name)
        elif parts[0] in FORBIDDEN[layer]:
            wrong.append(name)
    assert not wrong, f"{layer}/ may not import {sorted(set(wrong))}"


def test_no_sql_outside_storage() -> None:
    """Every SQL statement lives in storage/: elsewhere no sqlite3, no statement text, and
    no name of the engine (a second one plugs in beside it without touching the rest)."""
    offenders = []
    for path in SRC.rglob("*.py"):
        if path.relative_to(SRC).parts[0] == "storage":
            continue
        text = path.read_text(encoding="utf-8")
        for word in ("sqlite", ".execute(", "SELECT ", "INSERT INTO", "UPDATE ", "DELETE FROM"):
            if word in text:
                offenders.append(f"{path.relative_to(SRC)}: {word.strip()}")
    assert not offenders


def test_the_top_of_the_package_holds_only_the_entry_points() -> None:
    top = sorted(p.name for p in SRC.glob("*.py"))
    assert top == ["__init__.py", "__main__.py", "entry.py"]


def test_the_checker_sees_a_forbidden_import(tmp_path: Path) -> None:
    """The rules above would pass vacuously if the import reader saw nothing."""
    seen = imports(SRC / "cli" / "base.py")
    assert "typer" in seen and any(name.startswith("dossier.app") for name in seen)
    assert any(name.startswith("dossier.storage") for name in imports(SRC / "app" / "cards.py"))


# Which engine package alone may import a database driver: the statements both engines
# share (storage/sql) import none, so a SQLite run never loads psycopg and back.
DRIVERS = {"sqlite3": ("storage", "sqlite"), "psycopg": ("storage", "postgres")}


@pytest.mark.parametrize("path", sources(), ids=lambda p: str(p.relative_to(SRC)))
def test_only_its_engine_imports_a_database_driver(path: Path) -> None:
    where = path.relative_to(SRC).parts[:2]
    if where[0] != "storage":
        return  # the layers' rules above keep sqlite3 out of the others
    wrong = [
        name
        for name in imports(path)
        if name.split(".")[0] in DRIVERS and where != DRIVERS[name.split(".")[0]]
    ]
    assert not wrong, f"{'/'.join(where)} may not import {sorted(set(wrong))}"
