"""Lint and type checks run with the suite, so a red check cannot land unnoticed."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).parent.parent


@pytest.mark.parametrize(
    "command",
    [
        ["ruff", "check", "src", "tests", "bench"],
        ["ruff", "format", "--check", "src", "tests", "bench"],
        ["mypy"],
    ],
    ids=["ruff-check", "ruff-format", "mypy"],
)
def test_tool_passes(command: list[str]) -> None:
    if (
        shutil.which(command[0]) is None
        and shutil.which(command[0], path=str(Path(sys.executable).parent)) is None
    ):
        pytest.fail(
            f"{command[0]} is not installed; install the test extra: pip install -e '.[test]'"
        )
    exe = shutil.which(command[0], path=str(Path(sys.executable).parent)) or command[0]
    result = subprocess.run([exe, *command[1:]], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
