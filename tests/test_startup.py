"""The property the everyday commands' speed rests on: they never import the ORM, nor
another command's rules.

Not a timing test. ``import sqlmodel`` alone costs about a second; this checks, in a fresh
interpreter, which modules a command loaded.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

PROBE = """
import json, sys
from dossier.cli import app
try:
    app(sys.argv[1:], standalone_mode=False)
finally:
    top = {m.split('.')[0] for m in sys.modules}
    heavy = sorted(top & {'sqlalchemy', 'sqlmodel', 'pydantic', 'rich', 'icalendar'})
    # Another command's rules (dataclasses built at import: 16 ms for stats and review).
    heavy += sorted(set(sys.modules) & {'dossier.domain.stats', 'dossier.domain.review',
                                        'dossier.domain.work', 'dossier.domain.vcard'})
    print(json.dumps(heavy), file=sys.stderr)
"""


def loaded(args: list[str], env: dict[str, str]) -> list[str]:
    result = subprocess.run([sys.executable, "-c", PROBE, *args], capture_output=True,
                            text=True, env=env)  # fmt: skip
    assert result.returncode == 0, result.stderr
    last: list[str] = json.loads(result.stderr.strip().splitlines()[-1])
    return last


@pytest.fixture
def env(db_path: Path, run) -> dict[str, str]:  # type: ignore[no-untyped-def]
    assert run("add", "Acme Ltd", "--on", "today").exit_code == 0
    assert run("log", "acme", "Called about the renewal").exit_code == 0
    import os

    return {**os.environ, "DOSSIER_DB": str(db_path)}


@pytest.mark.parametrize(
    "args",
    [
        ["today"],
        ["today", "--json"],
        ["show", "acme"],
        ["file", "acme", "--on", "tomorrow", "-m", "note"],
        ["log", "acme", "another note"],
        ["find", "renewal"],
        ["list"],
    ],
    ids=lambda a: " ".join(a),
)
def test_everyday_commands_skip_the_orm_and_rich_when_piped(args: list[str], env) -> None:  # type: ignore[no-untyped-def]
    assert loaded(args, env) == []
