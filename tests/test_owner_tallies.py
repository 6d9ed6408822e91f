"""One manager's ``stats`` from kept tallies (m016): the day and gap tallies are kept per
owner (the entry's client's current one), so ``stats --owner X`` reads them instead of
the history. The oracle is the history itself: ``stats --tag everyone`` (every client
here has the tag) still counts the figures from the entries, with the same scope, and
the tables are compared with a count from scratch, per owner. Runs on both engines."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import ENGINE, Run, empty_folder, file_before, ok, rows

OWNERS = ("ann", "bob", "cy")
KINDS = ("call", "meeting", "email", "visit", "note")
OUTCOMES = (None, "reached", "won", "lost")
DAYS = ("2024-06-03", "2024-06-14", "2024-06-14", "2024-06-27", "2024-07-01", "2024-07-05")
LATER = "2024-07-09"  # a cover's day has come (it ends on the 8th)

DAY_DIFF = (
    "CAST(day AS date) - CAST(prev AS date)"
    if ENGINE == "postgres"
    else "CAST(julianday(day) - julianday(prev) AS INTEGER)"
)


def kept(db: Path) -> tuple[list[Any], list[Any]]:
    return (
        rows(db, "SELECT owner, day, kind, outcome, entries FROM stats_day ORDER BY 1, 2, 3, 4"),
        rows(db, "SELECT owner, day, days, gaps FROM stats_gap ORDER BY 1, 2"),
    )


def counted(db: Path) -> tuple[list[Any], list[Any]]:
    """The same tallies counted from the history: each entry under its client's owner."""
    return (
        rows(
            db,
            "SELECT coalesce(c.owner, ''), substr(e.at, 1, 10), e.kind,"
            " coalesce(e.outcome, ''), count(*) FROM entry e JOIN client c ON c.id = e.client_id"
            " GROUP BY 1, 2, 3, 4 ORDER BY 1, 2, 3, 4",
        ),
        rows(
            db,
            f"SELECT owner, day, sum({DAY_DIFF}), count(*) FROM ("
            " SELECT coalesce(c.owner, '') AS owner, substr(e.at, 1, 10) AS day,"
            " lag(substr(e.at, 1, 10)) OVER (PARTITION BY e.client_id ORDER BY e.at, e.id)"
            " AS prev FROM entry e JOIN client c ON c.id = e.client_id"
            " WHERE e.kind <> 'note') AS pairs WHERE prev IS NOT NULL"
            " GROUP BY owner, day ORDER BY owner, day",
        ),
    )


def figures(run: Run, *args: str) -> dict[str, Any]:
    got = json.loads(ok(run("stats", "--json", *args)))
    got.pop("tags")
    return dict(got)


def same_as_the_history(run: Run, db: Path) -> None:
    """Every owner's stats (and the whole folder's) from the tallies equal the same
    figures counted from the entries, and ``check`` finds nothing out of step."""
    assert kept(db) == counted(db)
    owners = [row[0] for row in rows(db, "SELECT DISTINCT owner FROM client ORDER BY 1")]
    for owner in owners:
        assert owner is not None
        fast = figures(run, "--owner", str(owner))
        assert fast == figures(run, "--owner", str(owner), "--tag", "everyone"), owner
    assert figures(run, "--all") == figures(run, "--all", "--tag", "everyone")
    checked = ok(run("check"))
    assert checked.rstrip().endswith("All checks passed."), checked


def start(run: Run) -> None:
    ok(run("add", "Ada", "--owner", "ann", "--tag", "everyone"))
    ok(run("add", "Grace", "--owner", "bob", "--tag", "everyone"))
    ok(run("add", "Linus", "--owner", "ann", "--tag", "everyone"))
    ok(run("add", "Marie", "--owner", "cy", "--tag", "everyone"))


def log(run: Run, who: str, day: str, kind: str, outcome: str | None) -> None:
    args = ["log", who, f"{kind} {day}", "--kind", kind, "--date", day]
    if outcome and kind != "note":
        args += ["--outcome", outcome]
    run(*args)  # a client removed or a win answered twice may be refused: either is fine


def import_copies(run: Run, tmp_path: Path, number: int) -> None:
    """Export the folder and import it again as new clients (their own names): the bulk
    path, whose tallies are added in a few statements, not by the triggers."""
    exported = tmp_path / f"export{number}.json"
    ok(run("export", "--output", str(exported), "--force"))
    data = json.loads(exported.read_text())
    for index, client in enumerate(data["clients"]):
        client["name"] = f"Zed {number} {index}"
        client.pop("id", None)
    exported.write_text(json.dumps(data))
    run("import", str(exported))


def test_every_owners_stats_follow_logs_handoffs_covers_undo_rm_and_import(
    run: Run, db_path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Each way a dossier changes hands or its history changes, one after the other."""
    monkeypatch.setenv("DOSSIER_USER", "ann")
    start(run)
    log(run, "Ada", "2024-06-03", "call", "reached")
    log(run, "Ada", "2024-06-14", "meeting", None)
    log(run, "Linus", "2024-06-14", "email", None)
    log(run, "Grace", "2024-06-27", "call", "won")
    log(run, "Ada", "2024-06-10", "call", "no-answer")  # between two: a gap split in two
    log(run, "Marie", "2024-07-01", "visit", None)
    same_as_the_history(run, db_path)
    ok(run("edit", "Ada", "--owner", "bob"))  # a client's whole history moves
    same_as_the_history(run, db_path)
    ok(run("undo"))
    same_as_the_history(run, db_path)
    ok(run("handoff", "--from", "ann", "--to", "cy"))  # several clients in one statement
    same_as_the_history(run, db_path)
    ok(run("undo"))
    ok(run("handoff", "--from", "ann", "--to", "bob", "--until", "2024-07-08"))
    log(run, "Ada", "2024-07-05", "call", "won")  # logged while covered: under bob
    same_as_the_history(run, db_path)
    monkeypatch.setenv("DOSSIER_TODAY", LATER)  # the cover's day: the dossiers go back
    ok(run("today"))
    assert rows(db_path, "SELECT owner FROM client WHERE name = 'Ada'") == [("ann",)]
    same_as_the_history(run, db_path)
    import_copies(run, tmp_path, 1)
    same_as_the_history(run, db_path)
    ok(run("rm", "Ada", "--yes"))
    same_as_the_history(run, db_path)
    ok(run("undo"))  # the client comes back with its history
    same_as_the_history(run, db_path)
    ok(run("undo"))  # the import goes
    same_as_the_history(run, db_path)
    ok(run("edit", "Linus", "--owner", "cy"))
    ok(run("rm", "Linus", "--yes"))
    same_as_the_history(run, db_path)


STEP = st.one_of(
    st.tuples(
        st.just("log"),
        st.sampled_from(["Ada", "Grace", "Linus", "Marie"]),
        st.sampled_from(DAYS),
        st.sampled_from(KINDS),
        st.sampled_from(OUTCOMES),
    ),
    st.tuples(st.just("edit"), st.sampled_from(["Ada", "Grace", "Linus"]), st.sampled_from(OWNERS)),
    st.tuples(st.just("handoff"), st.sampled_from(OWNERS), st.sampled_from(OWNERS)),
    st.tuples(st.just("cover"), st.sampled_from(OWNERS), st.sampled_from(OWNERS)),
    st.tuples(st.just("add"), st.sampled_from(OWNERS)),
    st.tuples(st.just("rm"), st.sampled_from(["Ada", "Grace", "Linus", "Marie"])),
    st.just(("later",)),
    st.just(("undo",)),
    st.just(("import",)),
)


@settings(
    max_examples=8 if ENGINE == "postgres" else 15,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(st.lists(STEP, min_size=3, max_size=9))
def test_any_sequence_keeps_every_owners_tallies_equal_to_the_history(
    run: Run, db_path: Path, tmp_path: Path, steps: list[tuple[Any, ...]]
) -> None:
    os.environ["DOSSIER_USER"] = "ann"
    os.environ["DOSSIER_TODAY"] = "2024-07-05"
    try:
        empty_folder(db_path)
        start(run)
        for number, step in enumerate(steps):
            what = step[0]
            if what == "log":
                log(run, *step[1:])
            elif what == "edit":
                run("edit", step[1], "--owner", step[2])
            elif what in ("handoff", "cover"):
                until = ["--until", "2024-07-08"] if what == "cover" else []
                run("handoff", "--from", step[1], "--to", step[2], *until)
            elif what == "add":
                ok(run("add", f"New {number}", "--owner", step[1], "--tag", "everyone"))
            elif what == "rm":
                run("rm", step[1], "--yes")
            elif what == "later":
                os.environ["DOSSIER_TODAY"] = LATER
                ok(run("today"))
            elif what == "undo":
                run("undo")
            else:
                import_copies(run, tmp_path, number)
            assert kept(db_path) == counted(db_path), (number, step)
        same_as_the_history(run, db_path)
    finally:
        os.environ["DOSSIER_TODAY"] = "2024-07-05"
        os.environ.pop("DOSSIER_USER", None)


# --- the migration ----------------------------------------------------------------------

CLIENTS = [  # id, name, owner (None: a dossier nobody owns yet)
    (1, "Ada", "ann"),
    (2, "Grace", "bob"),
    (3, "Linus", "ann"),
    (4, "Marie", None),
]
ENTRIES = [  # client, at, kind, outcome
    (1, "2024-06-21T10:00:00", "call", "no-answer"),
    (1, "2024-07-01T10:00:00", "call", "reached"),
    (1, "2024-07-03T10:00:00", "email", None),
    (1, "2024-07-04T10:00:00", "note", None),
    (2, "2024-07-02T10:00:00", "call", "won"),
    (2, "2024-06-12T10:00:00", "visit", None),
    (3, "2024-07-02T11:00:00", "meeting", None),
    (3, "2024-07-04T09:00:00", "call", "won"),
    (4, "2024-06-30T09:00:00", "call", None),
    (4, "2024-07-05T09:00:00", "visit", "reached"),
]


def fill_older(insert: Any) -> None:
    stamp = "2024-06-01T09:00:00"
    for client_id, name, owner in CLIENTS:
        insert(
            "INSERT INTO client (id, name, name_key, created_at, updated_at, owner)"
            " VALUES (?, ?, ?, ?, ?, ?)",
            (client_id, name, name.lower(), stamp, stamp, owner),
        )
        insert("INSERT INTO tag (client_id, tag) VALUES (?, 'everyone')", (client_id,))
    for client_id, at, kind, outcome in ENTRIES:
        insert(
            "INSERT INTO entry (client_id, at, kind, outcome, text) VALUES (?, ?, ?, ?, '')",
            (client_id, at, kind, outcome),
        )


def test_the_migration_fills_every_owners_tallies_from_the_history(
    run: Run, db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A folder from before m016 (a file, or a server database at m015) gets per-owner
    tallies equal to the history's, the dossier nobody owned among them until the first
    command gives it to its user; the whole folder's figures are what they were."""
    if ENGINE == "postgres":
        import psycopg

        from dossier.storage.paths import ServerUrl
        from dossier.storage.postgres import migrations
        from dossier.storage.postgres.db import Connection

        url = os.environ["DOSSIER_DB"]
        before = [name for name, _sql in migrations.STEPS].index("m016_owner_tallies")
        with psycopg.connect(url, autocommit=True) as raw:
            for step in range(1, before + 1):
                migrations.apply(Connection(raw), ServerUrl(url), step)
            fill_older(lambda sql, params: raw.execute(sql.replace("?", "%s"), params))
            raw.execute("SELECT setval(pg_get_serial_sequence('client', 'id'), 4)")
            whole = raw.execute("SELECT sum(entries) FROM stats_day").fetchone()[0]
    else:
        conn = file_before(db_path, "m016_owner_tallies")
        fill_older(conn.execute)
        conn.commit()
        whole = conn.execute("SELECT sum(entries) FROM stats_day").fetchone()[0]
        conn.close()
    assert whole == len(ENTRIES)  # m012's tallies, the whole folder's

    monkeypatch.setenv("DOSSIER_USER", "ann")
    got = figures(run, "--owner", "bob")  # migrates, and ann adopts Marie
    assert got == figures(run, "--owner", "bob", "--tag", "everyone")
    assert got["closing"]["wins"] == 1
    assert rows(db_path, "SELECT owner, sum(entries) FROM stats_day GROUP BY 1 ORDER BY 1") == [
        ("ann", 8),
        ("bob", 2),
    ]
    same_as_the_history(run, db_path)
    ann = figures(run, "--owner", "ann")
    assert ann["gaps"] == {"count": 4, "days": 19, "average": 4.75}  # 10 + 2, 2, 5 (Marie)
    assert sum(w["contacts"]["call"] for w in ann["weeks"]) == 4


def write(db: Path, sql: str) -> None:
    """A statement of another program's, committed: on the file or the server database."""
    if ENGINE == "postgres":
        import psycopg

        with psycopg.connect(os.environ["DOSSIER_DB"]) as conn:
            conn.execute(sql)
        return
    import sqlite3

    conn = sqlite3.connect(db)
    try:
        conn.execute(sql)
        conn.commit()
    finally:
        conn.close()


def test_the_first_commands_adoption_moves_only_the_dossiers_nobody_owns(
    run: Run, db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The adoption moves the tallies of nobody's dossiers ('' in the tables) to its user
    in a few statements; a dossier another program gave the owner '' (also '' in the
    tables) is not adopted, and its figures stay where they are."""
    monkeypatch.setenv("DOSSIER_USER", "ann")
    start(run)
    log(run, "Ada", "2024-06-03", "call", "reached")
    log(run, "Ada", "2024-06-14", "call", "won")
    log(run, "Grace", "2024-06-14", "visit", None)
    log(run, "Grace", "2024-06-27", "email", None)
    write(db_path, "UPDATE client SET owner = NULL WHERE name IN ('Grace', 'Marie')")
    assert kept(db_path) == counted(db_path)  # the trigger moved Grace's figures to ''
    ok(run("today"))  # adopts Grace and Marie
    assert rows(db_path, "SELECT name FROM client WHERE owner = 'ann' ORDER BY 1") == [
        ("Ada",),
        ("Grace",),
        ("Linus",),
        ("Marie",),
    ]
    assert kept(db_path) == counted(db_path)
    assert not [row for row in kept(db_path)[0] if row[0] == ""]
    write(db_path, "UPDATE client SET owner = '' WHERE name = 'Ada'")
    write(db_path, "UPDATE client SET owner = NULL WHERE name = 'Grace'")
    ok(run("today"))  # adopts Grace alone, dossier by dossier
    assert rows(
        db_path, "SELECT owner FROM client WHERE name IN ('Ada', 'Grace') ORDER BY name"
    ) == [
        ("",),
        ("ann",),
    ]
    assert kept(db_path) == counted(db_path)
    assert [row[0] for row in kept(db_path)[0]].count("") == 2  # Ada's call and win
