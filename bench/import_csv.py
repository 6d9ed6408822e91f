"""How fast ``dossier import`` loads a spreadsheet: a generated CSV of 100,000 clients
(``--rows N`` for another size) imported into an empty database, against the floor: a
plain ``sqlite3`` ``executemany`` of the same rows, already turned into the tuples the
tables hold, into the same schema (a database made by ``open_database``: same tables,
triggers, full-text index and pragmas). Target: the import <= 2x the floor.

The import is timed as a user meets it: the whole ``dossier import FILE`` process (start,
reading and decoding the file, the delimiter guessed, every row checked, the duplicate
search, the bulk write and the commit); the floor only its inserts and the commit. Each
is run ``--runs`` times (default 3), each into a new database, and the median is taken.
Both databases are then compared: the same clients, tags, fields and notes.

    .venv/bin/python bench/import_csv.py            # 100,000 rows, about a minute
    .venv/bin/python bench/import_csv.py --rows 10000 --runs 5
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import platform
import random
import resource
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from dossier.domain.names import fold, fold_or_none, match_key, sort_key
from dossier.storage.sqlite.db import open_database

FIRST = (
    "Ana",
    "Luis",
    "María",
    "José",
    "Carmen",
    "Javier",
    "Lucía",
    "Pablo",
    "Elena",
    "Jorge",
    "Sofía",
    "Miguel",
    "Laura",
    "Diego",
    "Marta",
    "Íñigo",
    "Núria",
    "Óscar",
)
LAST = (
    "García",
    "Martínez",
    "López",
    "Sánchez",
    "Pérez",
    "Gómez",
    "Martín",
    "Jiménez",
    "Ruiz",
    "Hernández",
    "Díaz",
    "Moreno",
    "Muñoz",
    "Álvarez",
    "Romero",
    "Núñez",
)
COMPANY = (
    "Acme",
    "Beta",
    "Gamma",
    "Delta",
    "Iberia",
    "Norte",
    "Sur",
    "Levante",
    "Atlántico",
    "Meseta",
    "Pirineo",
    "Bahía",
)
KIND = ("SL", "SA", "Ltd", "GmbH", "Group", "Logística", "Ingeniería", "Foods")
POSITION = ("Compras", "Director general", "Jefe de ventas", "CFO", "Office manager", "")
STAGES = ("lead", "prospect", "negotiation", "client")
TAGS = ("vip", "madrid", "norte", "feria-2024", "renovación", "distribuidor")
HEADER = ["Name", "Company", "Position", "Phone", "E-mail", "Stage", "Tags", "Next", "Note"]
TODAY = "2024-07-05"


def rows(count: int, seed: int) -> list[list[str]]:
    """``count`` distinct clients (unique names and e-mails: no row is a duplicate)."""
    rng = random.Random(seed)
    out = []
    for i in range(count):
        name = f"{rng.choice(FIRST)} {rng.choice(LAST)} {i}"
        company = f"{rng.choice(COMPANY)} {rng.choice(KIND)}"
        phone = f"+34 6{i // 10000 % 100:02d} {i % 10000:04d} {rng.randint(10, 99)}"
        tags = ", ".join(rng.sample(TAGS, rng.randint(0, 2)))
        day = f"2024-{rng.randint(7, 12):02d}-{rng.randint(1, 28):02d}" if i % 3 else ""
        note = f"Llamada de presentación {i}: interesado en la oferta" if i % 5 == 0 else ""
        email = f"cliente{i}@example.com"
        out.append(
            [name, company, rng.choice(POSITION), phone, email, rng.choice(STAGES), tags, day, note]
        )
    return out


def floor_tuples(data: list[list[str]]) -> dict[str, list[tuple[Any, ...]]]:
    """The rows as the tables hold them, built before the clock starts."""
    stamp = f"{TODAY}T09:00:00"
    clients, tags, entries = [], [], []
    for client_id, (name, company, position, phone, email, stage, tag, day, note) in enumerate(
        data, start=1
    ):
        clients.append(
            (
                client_id,
                name,
                match_key(name),
                fold(name),
                sort_key(name),
                company,
                match_key(company),
                fold_or_none(company),
                position or None,
                json.dumps([phone], ensure_ascii=False),
                email,
                "[]",
                None,
                stage,
                day or None,
                stamp if day else None,
                stamp,
                stamp,
            )
        )
        tags += [(client_id, t.strip()) for t in tag.split(",") if t.strip()]
        if note:
            entries.append((client_id, stamp, "note", None, note))
    return {"client": clients, "tag": tags, "entry": entries}


CLIENT_SQL = (
    "INSERT INTO client (id, name, name_key, name_fold, name_sort, company, company_key,"
    " company_fold, position, phones, email, more_emails, uid, stage, due, filed_at,"
    " created_at, updated_at) VALUES (" + ", ".join("?" * 18) + ")"
)


def floor(path: Path, tuples: dict[str, list[tuple[Any, ...]]]) -> tuple[float, float]:
    """Wall and CPU seconds of the inserts and the commit."""
    db = open_database(path)
    conn = db.conn
    cpu = time.process_time()
    start = time.perf_counter()
    conn.execute("BEGIN IMMEDIATE")
    conn.executemany(CLIENT_SQL, tuples["client"])
    conn.executemany("INSERT INTO tag (client_id, tag) VALUES (?, ?)", tuples["tag"])
    conn.executemany(
        "INSERT INTO entry (client_id, at, kind, outcome, text) VALUES (?, ?, ?, ?, ?)",
        tuples["entry"],
    )
    conn.execute("COMMIT")
    elapsed = time.perf_counter() - start, time.process_time() - cpu
    db.close()
    return elapsed


def dossier_import(path: Path, csv_path: Path, dossier: str) -> tuple[float, float]:
    """Wall and CPU seconds (user + system) of the whole ``dossier import`` process."""
    env = {
        **os.environ,
        "DOSSIER_DB": str(path),
        "DOSSIER_TODAY": TODAY,
        "DOSSIER_CONFIG": str(path.with_suffix(".toml")),
    }
    open_database(path).close()  # an empty folder, as a user's first import finds it
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    done = subprocess.run(
        [dossier, "import", str(csv_path)],
        env=env,
        capture_output=True,
        text=True,
        stdin=subprocess.DEVNULL,
    )
    elapsed = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode != 0:
        sys.exit(f"dossier import failed: {done.stderr}")
    cpu = after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime
    return elapsed, cpu


def contents(path: Path) -> tuple[Any, ...]:
    conn = sqlite3.connect(path)
    try:
        return (
            conn.execute(
                "SELECT name, company, position, phones, email, stage, due FROM client ORDER BY id"
            ).fetchall(),
            conn.execute("SELECT client_id, tag FROM tag ORDER BY 1, 2").fetchall(),
            conn.execute("SELECT client_id, text FROM entry ORDER BY 1").fetchall(),
        )
    finally:
        conn.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--seed", type=int, default=20240705)
    parser.add_argument("--dossier", default=str(Path(sys.executable).with_name("dossier")))
    args = parser.parse_args()
    data = rows(args.rows, args.seed)
    tuples = floor_tuples(data)
    with tempfile.TemporaryDirectory(prefix="dossier-import-bench-") as scratch:
        folder = Path(scratch)
        csv_path = folder / "clients.csv"
        with csv_path.open("w", encoding="utf-8", newline="") as handle:
            csv.writer(handle).writerows([HEADER, *data])
        floors, imports = [], []
        for run in range(args.runs):  # interleaved: a drift in machine speed hits both
            floors.append(floor(folder / f"floor{run}.db", tuples))
            imports.append(dossier_import(folder / f"import{run}.db", csv_path, args.dossier))
        same = contents(folder / "floor0.db") == contents(folder / "import0.db")
        size = csv_path.stat().st_size
    print(f"- Machine: {platform.platform()}, {os.cpu_count()} CPUs")
    print(f"- Python {platform.python_version()}, SQLite {sqlite3.sqlite_version}")
    print(
        f"- CSV: {args.rows:,} rows, {size / 1e6:.1f} MB; {len(tuples['tag']):,} tags, "
        f"{len(tuples['entry']):,} notes; {args.runs} runs each, median"
    )
    print()
    print("| | wall median s | wall min s | wall max s | CPU median s |")
    print("| --- | ---: | ---: | ---: | ---: |")
    for label, runs in (
        ("plain `executemany` (floor)", floors),
        ("`dossier import clients.csv` (whole process)", imports),
    ):
        wall = [w for w, _ in runs]
        cpu = statistics.median(c for _, c in runs)
        print(
            f"| {label} | {statistics.median(wall):.2f} | {min(wall):.2f} | "
            f"{max(wall):.2f} | {cpu:.2f} |"
        )
    print()
    for what, pick in (("wall", 0), ("CPU", 1)):
        f = statistics.median(r[pick] for r in floors)
        i = statistics.median(r[pick] for r in imports)
        verdict = "met" if i <= 2 * f else "**not met**"
        print(f"- {what}: ratio {i / f:.2f}x (target <= 2x: {verdict})")
    print(f"- same rows in both databases: {same}")


if __name__ == "__main__":
    main()
