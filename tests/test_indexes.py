"""What keeps the views fast at 100,000 clients is the index each question is asked of:
the order names are read in (``name_sort``), the "contacted yet?" question answered from
the history index alone, the count of dossiers filed nowhere. A plan that falls back to
reading every row is a slow ``list``, ``today`` or ``folder`` for a real user."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from conftest import TODAY, Run, ok
from dossier.domain.names import name_order, sort_key
from dossier.storage.sqlite import SqliteStore

names = st.text(
    alphabet=st.sampled_from("aAbBnNñÑoOíÍüÜ 0123456789-.'ø"), min_size=1, max_size=12
).filter(str.strip)


@given(st.lists(names, min_size=2, max_size=8))
def test_the_stored_sort_key_orders_names_as_people_read_them(given_names: list[str]) -> None:
    assert sorted(given_names, key=sort_key) == sorted(given_names, key=name_order)


def plans_of(db: Path, call: Callable[[sqlite3.Connection], object]) -> list[str]:
    """The query plan of every SELECT that ``call`` runs on a connection to ``db``."""
    conn = sqlite3.connect(db)
    statements: list[str] = []
    conn.set_trace_callback(statements.append)
    try:
        call(conn)
    finally:
        conn.set_trace_callback(None)
    plans = []
    for sql in statements:
        if sql.lstrip().upper().startswith("SELECT"):
            rows = conn.execute(f"EXPLAIN QUERY PLAN {sql}").fetchall()
            plans.append(" | ".join(row[-1] for row in rows))
    conn.close()
    return plans


def test_list_reads_names_in_order_from_the_index(run: Run, db_path: Path) -> None:
    for name in ("Lead 10", "lead 2", "Íñigo", "Igor", "Nuñez", "Nuno", "Oscar"):
        ok(run("add", name))
    names = [line.split("  ")[1].strip() for line in ok(run("list")).splitlines()[1:]]
    assert names == ["Igor", "Íñigo", "lead 2", "Lead 10", "Nuno", "Nuñez", "Oscar"]
    plans = plans_of(db_path, lambda conn: SqliteStore(conn, db_path).list_clients(limit=50))
    assert "USING INDEX client_name_sort" in plans[0]
    assert "TEMP B-TREE" not in plans[0], f"a sort of every name: {plans[0]}"


def test_contacted_yet_is_answered_from_the_history_index(run: Run, db_path: Path) -> None:
    ok(run("add", "Acme", "--on", "today"))
    plans = plans_of(db_path, lambda conn: SqliteStore(conn, db_path).due_rows("on", (TODAY,)))
    assert "COVERING INDEX entry_client_at_kind" in plans[0], plans[0]


def test_the_no_next_step_count_reads_its_own_small_index(run: Run, db_path: Path) -> None:
    """Without it SQLite counted through the index of every active client, reading each
    row: 160 ms at 100,000 clients, on every 'today' and 'folder'."""
    ok(run("add", "Acme"))
    plans = plans_of(db_path, lambda conn: SqliteStore(conn, db_path).unfiled_active())
    assert plans and all("client_unfiled" in p and "client_name_sort" not in p for p in plans)
