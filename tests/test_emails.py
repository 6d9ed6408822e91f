"""A card holds several e-mails (a phone's contacts, a merged import): `--email` repeats,
`show` lists them all, `find` finds a client by any of them, `--unset email` clears them."""

from __future__ import annotations

import json
from typing import Any

from conftest import Run, ok


def card(run: Run, who: str = "1") -> dict[str, Any]:
    data: dict[str, Any] = json.loads(ok(run("show", who, "--json")))
    return data


def test_add_keeps_every_email_in_order(run: Run) -> None:
    ok(run("add", "Ana Lima", "--email", "ana@work.example", "--email", "ana@home.example"))
    data = card(run)
    assert data["email"] == "ana@work.example"
    assert data["emails"] == ["ana@work.example", "ana@home.example"]
    shown = ok(run("show", "1"))
    assert "ana@work.example, ana@home.example" in shown


def test_edit_email_replaces_them_all_as_phone_does(run: Run) -> None:
    ok(run("add", "Ana Lima", "--email", "a@one.example", "--email", "a@two.example"))
    ok(run("edit", "ana", "--email", "a@three.example"))
    assert card(run)["emails"] == ["a@three.example"]
    ok(run("edit", "ana", "--email", "x@a.example", "--email", "x@a.example", "--email", "y@b"))
    assert card(run)["emails"] == ["x@a.example", "y@b"], "the same address is kept once"


def test_find_by_any_email(run: Run) -> None:
    ok(run("add", "Ana Lima", "--email", "ana@work.example", "--email", "lima@home.example"))
    ok(run("add", "Bo Chen", "--email", "bo@chen.example"))
    hits = json.loads(ok(run("find", "lima@home", "--json")))
    found = hits["clients"] if isinstance(hits, dict) else hits
    assert [c["name"] for c in found] == ["Ana Lima"]


def test_unset_email_clears_every_email(run: Run) -> None:
    ok(run("add", "Ana Lima", "--email", "a@one.example", "--email", "a@two.example"))
    ok(run("edit", "ana", "--unset", "email"))
    data = card(run)
    assert data["email"] is None and data["emails"] == []


def test_undo_brings_the_emails_back(run: Run) -> None:
    ok(run("add", "Ana Lima", "--email", "a@one.example", "--email", "a@two.example"))
    ok(run("edit", "ana", "--email", "new@x.example"))
    ok(run("undo"))
    assert card(run)["emails"] == ["a@one.example", "a@two.example"]
