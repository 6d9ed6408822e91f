"""The current user: --user, DOSSIER_USER, the user setting, the login name, in that order."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from conftest import Result, ok, refused
from dossier.app.users import current_user, login_name
from dossier.domain.owners import user_name


@pytest.mark.parametrize(
    ("typed", "name"),
    [
        ("anna", "anna"),
        ("  Anna ", "anna"),
        ("BEGOÑA", "begoña"),
        ("j.smith@acme", "j.smith@acme"),
        ("boris_2-b", "boris_2-b"),
        ("a" * 64, "a" * 64),
        ("a" * 65, None),
        ("", None),
        ("   ", None),
        ("anna boris", None),
        ("anna;drop", None),
        ("anna\x1b[31m", None),
        ("[bold]x", None),
    ],
)
def test_user_names(typed: str, name: str | None) -> None:
    assert user_name(typed) == name


def test_the_first_source_that_is_set_wins(
    monkeypatch: pytest.MonkeyPatch, run: Callable[..., Result]
) -> None:
    monkeypatch.setenv("LOGNAME", "Login")
    monkeypatch.delenv("DOSSIER_USER", raising=False)
    assert current_user(None) == "login"
    ok(run("config", "set", "user", "Carla"))
    assert current_user(None) == "carla"
    monkeypatch.setenv("DOSSIER_USER", "Boris")
    assert current_user(None) == "boris"
    assert current_user("Anna") == "anna"


def test_a_login_name_that_cannot_be_a_user_name_falls_back(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("LOGNAME", "two words")
    assert login_name() == "me"


@pytest.mark.parametrize(
    "args",
    [
        ("--user", "anna boris", "today"),
        ("--user=", "today"),
        ("config", "set", "user", "a;b"),
    ],
)
def test_a_wrong_user_name_is_refused_in_one_line(
    run: Callable[..., Result], args: tuple[str, ...]
) -> None:
    line = refused(run(*args), 2)
    assert "is not a user name" in line


def test_a_wrong_dossier_user_is_refused_when_a_command_needs_the_user(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("DOSSIER_USER", "no way")
    with pytest.raises(Exception, match="DOSSIER_USER: 'no way' is not a user name"):
        current_user(None)


def test_config_shows_and_resets_the_user(run: Callable[..., Result]) -> None:
    assert "user = boris" in ok(run("config", "set", "user", "Boris"))
    listing = ok(run("config"))
    assert any(line.split()[:2] == ["user", "boris"] for line in listing.splitlines())
    ok(run("config", "set", "user", "none"))
    listing = ok(run("config"))
    assert any(line.split()[:2] == ["user", "none"] for line in listing.splitlines())
