"""What the words mean (issue 8, section 5): a settled outcome moves the stage, an edit
that changes nothing says so and leaves no undo step, and rm's question tells the truth."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest

from conftest import Result, dump, ok

Run = Callable[..., Result]


def card(run: Run, who: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(ok(run("show", who, "--json")))
    return data


@pytest.mark.parametrize(
    ("command", "stage"),
    [
        (("file", "Acme", "--on", "15", "-m", "signed", "--outcome", "won"), "client"),
        (("log", "Acme", "signed", "--outcome", "won"), "client"),
        (("log", "Acme", "went elsewhere", "--outcome", "lost"), "dormant"),
        (("edit", "Acme", "--note", "went elsewhere"), "prospect"),
    ],
    ids=["file-won", "log-won", "log-lost", "edit-no-outcome"],
)
def test_a_settled_outcome_moves_the_stage_and_says_so(
    run: Run, command: tuple[str, ...], stage: str
) -> None:
    ok(run("add", "Acme", "--stage", "prospect", "--on", "2024-07-10"))
    out = ok(run(*command))
    assert card(run, "Acme")["stage"] == stage
    assert (f"Stage: prospect -> {stage}" in out) == (stage != "prospect"), out


def test_stage_given_in_the_same_command_wins(run: Run) -> None:
    ok(run("add", "Acme", "--stage", "prospect"))
    # edit has no --outcome; an edit's note with --stage: the stage typed is kept
    ok(run("edit", "Acme", "--stage", "negotiation", "--note", "deal won, paperwork pending"))
    assert card(run, "Acme")["stage"] == "negotiation"


def test_an_edit_that_changes_nothing_says_so_and_leaves_no_undo_step(
    run: Run, db_path: Any
) -> None:
    ok(run("add", "Acme", "--company", "Acme Ltd", "--tag", "vip", "--stage", "client"))
    before = dump(db_path)
    for flags in (
        ("--stage", "client"),
        ("--company", "Acme Ltd"),
        ("--tag", "vip"),
        ("--untag", "nothing-such"),
    ):
        result = run("edit", "Acme", *flags)
        assert result.exit_code == 0 and result.stderr == "", result
        assert result.stdout.startswith("Nothing to change: #1 Acme"), result
    assert dump(db_path) == before
    assert "dossier edit" not in ok(run("undo", "--list"))


def test_rm_asks_truthfully_and_undo_brings_the_client_back(run: Run) -> None:
    ok(run("add", "Acme", "--note", "met at the fair"))
    result = run("rm", "Acme", input="y\n")
    assert result.exit_code == 0, result
    assert "This cannot be undone" not in result.stderr
    assert "'dossier undo' brings them back" in result.stderr
    ok(run("undo"))
    assert card(run, "Acme")["history"][0]["text"] == "met at the fair"
