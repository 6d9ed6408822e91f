"""The README is part of the product: every command is documented and has help, and the
example output in it is what dossier really prints."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from typer.main import get_command

from dossier.cli import app

README = (Path(__file__).parent.parent / "README.md").read_text(encoding="utf-8")
COMMANDS = sorted(get_command(app).commands)  # type: ignore[attr-defined]


def test_the_cli_has_the_commands_the_issue_names() -> None:
    expected = {"add", "file", "log", "today", "show", "find", "list", "edit", "done",
                "reopen", "rm", "demo"}  # fmt: skip
    assert expected <= set(COMMANDS)


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_is_documented_in_the_readme(command: str) -> None:
    assert re.search(rf"^### `dossier {command}\b", README, re.MULTILINE) or (
        f"`dossier {command}" in README
    ), f"README has no section for 'dossier {command}'"


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_has_help(run, command: str) -> None:  # type: ignore[no-untyped-def]
    result = run(command, "--help")
    assert result.exit_code == 0
    assert get_command(app).commands[command].help  # type: ignore[attr-defined]


def test_every_option_of_every_command_is_in_the_readme() -> None:
    group = get_command(app)
    for name, command in group.commands.items():  # type: ignore[attr-defined]
        for param in command.params:
            for opt in param.opts:
                if opt.startswith("--") and opt != "--help":
                    assert f"`{opt}" in README or f" {opt} " in README, f"{name} {opt}"


def test_the_quick_start_is_two_lines() -> None:
    block = README.split("## Quick start", 1)[1].split("```bash", 1)[1].split("```", 1)[0]
    lines = [line for line in block.strip().splitlines() if line.strip()]
    assert len(lines) == 2
    assert "dossier demo" in lines[0] and "dossier today" in lines[0]
    assert "pytest" in lines[1] and ".[test]" in lines[1]


EXAMPLES = re.findall(r"<!-- example: (\w+) -->", README)


def test_the_readme_has_examples() -> None:
    assert set(EXAMPLES) >= {"today", "folder"}


@pytest.mark.parametrize("command", EXAMPLES)
def test_each_readme_example_is_real_output(run, command: str) -> None:  # type: ignore[no-untyped-def]
    """The examples are the demo folder on 2024-07-05 (the conftest's day), piped."""
    example = README.split(f"<!-- example: {command} -->", 1)[1].split("<!-- /example -->", 1)[0]
    expected = example.split("```text\n", 1)[1].rsplit("```", 1)[0]
    assert run("demo").exit_code == 0
    assert run(command).stdout == expected


def test_a_bare_dossier_shows_todays_tab(run) -> None:  # type: ignore[no-untyped-def]
    assert run("demo").exit_code == 0
    today = run("today")
    for args in ((), ("--db", os.environ["DOSSIER_DB"])):
        result = run(*args)
        assert (result.exit_code, result.stderr) == (0, ""), result
        assert result.stdout == today.stdout
        assert result.stdout.startswith("Fri 5 Jul 2024 · tab 5")


def test_help_is_asked_for_with_help(run) -> None:  # type: ignore[no-untyped-def]
    result = run("--help")
    assert result.exit_code == 0
    assert result.stdout.startswith("Usage: dossier")
    assert "today" in result.stdout and "⏎" not in result.stdout
    assert result.stderr == ""


# --- the console examples: one session, run in order on the demo folder ----------------

CLOCK = re.compile(r"(\d{4}-\d{2}-\d{2})[ T]\d{2}:\d{2}(?::\d{2})?")


def console_examples() -> list[tuple[str, str]]:
    """Every ``$ dossier …`` line of the README's console blocks, in order, with the
    output printed under it."""
    steps: list[tuple[str, str]] = []
    for block in re.findall(r"```console\n(.*?)```", README, re.DOTALL):
        for chunk in re.split(r"(?m)^\$ ", block)[1:]:
            command, _, output = chunk.partition("\n")
            steps.append((command, output))
    return steps


def same_output(expected: str, actual: str) -> bool:
    """Equal, but for the wall-clock time of timestamps (the day is fixed by the test,
    the time of day is not), spaces at the end of a line, and a line holding only ``…``
    standing for any lines (a long listing shortened in the README)."""

    def lines(text: str) -> list[str]:  # an empty field leaves spaces no editor keeps
        return [line.rstrip() for line in CLOCK.sub(r"\1 <time>", text).splitlines()]

    pattern = "".join(
        "(?:.*\n)*?" if line == "…" else re.escape(line) + "\n" for line in lines(expected)
    )
    return re.fullmatch(pattern, "".join(f"{line}\n" for line in lines(actual))) is not None


def piped(words: list[str]) -> tuple[list[str], str | None]:
    """``printf 'r\\n\\nq\\n' | dossier work``: the command, and what printf feeds its
    standard input (the answers of 'dossier work'); else the words as they are."""
    if words[0] != "printf":
        return words, None
    assert len(words) > 3 and words[2] == "|", words
    return words[3:], words[1].encode().decode("unicode_escape")


def test_the_readme_console_examples_are_real_runs(run, tmp_path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """Each example, run in the order the README shows them on a fresh demo folder (what
    a reader can rebuild with 'dossier demo'), prints exactly what the README says. In a
    folder of its own: an example may write a file (show --export)."""
    import shlex

    monkeypatch.chdir(tmp_path)

    steps = console_examples()
    assert len(steps) >= 10
    assert run("demo").exit_code == 0
    for command, expected in steps:
        words, given = piped(shlex.split(command))
        assert words[0] == "dossier", command
        result = run(*words[1:], input=given)
        assert result.exit_code == 0, (command, result)
        assert same_output(expected, result.stdout), (command, expected, result.stdout)
