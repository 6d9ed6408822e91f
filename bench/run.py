"""Time whole ``dossier`` processes against the floor app, and print one Markdown table.

Each command runs ``--warmup`` times untimed, then ``--runs`` times timed; the runs are
interleaved (one round runs every command once) so that a drift in the machine's speed
hits every row alike and the ratios to the floor app stay fair. Every child is started
with ``posix_spawn``, stdin and stdout on ``/dev/null`` (not a terminal, so dossier prints
plain text), and reaped with ``os.wait4``, which gives its own peak RSS (``ru_maxrss``).

    .venv/bin/python bench/run.py --db /tmp/dossier-bench.db

The database is the one ``bench/generate.py`` built; its ``<db>.bench.json`` says which
client has 500 entries, the word to ``find``, the clients ``file`` and ``log`` write to,
and the generator's "today" (used as ``DOSSIER_TODAY`` unless ``--today`` is given).
``file`` and ``log`` change that database: it is a benchmark database.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from importlib import metadata
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
RATIO = 1.3
FIND_RATIO = 1.5
STATS_RATIO = 1.5  # 'stats' and 'review' (issue 11): from tallies and indexes, not the history
TODAY_RSS_MB = 80.0
TTY_SIZE = (100, 40)  # columns, rows of the pseudo-terminal
# On the terminal: a colour terminal's TERM, the size from the terminal itself, the
# default pager (less, LESS=FRX) whatever the user running the benchmark prefers.
TTY_ENV = {"TERM": "xterm-256color", "PAGER": "less", "DOSSIER_PAGER": "less"}
X = "\u00d7"  # the multiplication sign of "1.3x"


@dataclass
class Bench:
    """One timed command line."""

    label: str
    argv: list[str]
    target: float | None = None  # max ratio of its median to the floor's median
    rss_limit: float | None = None  # MB
    times: list[float] = field(default_factory=list)
    rss: list[float] = field(default_factory=list)
    cpu: list[float] = field(default_factory=list)  # user + system seconds
    env: dict[str, str] = field(default_factory=dict)  # added to the common environment
    lines: int = 0
    failure: str | None = None
    tty: bool = False  # run on a pseudo-terminal (the Rich view), not into /dev/null

    @property
    def median(self) -> float:
        return statistics.median(self.times)


# A child started by posix_spawn (vfork) or fork inherits its parent's resident size in
# ru_maxrss: Linux records the old address space's peak at exec. So the children are
# started by this small launcher (a bare interpreter, about 9 MB), not by run.py itself;
# a reading at the launcher's own size means "at most that".
LAUNCHER = """
import json, os, sys, time
for line in sys.stdin:
    argv, env, err, tty = json.loads(line)
    lines = -1
    if tty is None:
        actions = [
            (os.POSIX_SPAWN_OPEN, 0, os.devnull, os.O_RDONLY, 0),
            (os.POSIX_SPAWN_OPEN, 1, os.devnull, os.O_WRONLY, 0),
            (os.POSIX_SPAWN_OPEN, 2, err, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600),
        ]
        started = time.perf_counter()
        pid = os.posix_spawn(argv[0], argv, env, file_actions=actions)
    else:
        import fcntl, struct, termios
        master, slave = os.openpty()
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", tty[1], tty[0], 0, 0))
        # A new session that opens the terminal: its controlling terminal, the child in
        # the foreground, as a command typed at a shell is (dossier pages only then).
        actions = [
            (os.POSIX_SPAWN_OPEN, 0, os.ttyname(slave), os.O_RDWR, 0),
            (os.POSIX_SPAWN_DUP2, 0, 1),
            (os.POSIX_SPAWN_OPEN, 2, err, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600),
        ]
        started = time.perf_counter()
        pid = os.posix_spawn(argv[0], argv, env, file_actions=actions, setsid=True)
        os.close(slave)
        # The user's 'q', typed ahead: a pager (less) shows its first screen and quits
        # on it. Typed again whenever the terminal stays quiet for a second.
        import select
        os.write(master, b"q")
        lines = 0
        while True:
            if not select.select([master], [], [], 1.0)[0]:
                os.write(master, b"q")
                continue
            try:
                chunk = os.read(master, 65536)
            except OSError:  # EIO: every holder of the terminal has closed it
                break
            if not chunk:
                break
            lines += chunk.count(b"\\n")
    _, status, usage = os.wait4(pid, 0)
    elapsed = time.perf_counter() - started
    if tty is not None:
        os.close(master)
    code = os.waitstatus_to_exitcode(status)
    cpu = usage.ru_utime + usage.ru_stime
    sys.stdout.write(json.dumps([elapsed, code, usage.ru_maxrss, lines, cpu]) + "\\n")
    sys.stdout.flush()
"""


class Launcher:
    """Starts each timed process from a small helper and reads back its wait4 figures."""

    def __init__(self) -> None:
        self.proc = subprocess.Popen(
            [sys.executable, "-I", "-S", "-c", LAUNCHER],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )

    def run(
        self, argv: list[str], env: dict[str, str], err: str, tty: tuple[int, int] | None = None
    ) -> tuple[float, int, float, int, float]:
        """Run one process to the end: wall seconds, exit code, peak RSS in MB, the lines
        it drew (on a terminal of ``tty`` columns and rows; -1 when not), and its CPU
        seconds (user + system, its reaped children included: the pager)."""
        assert self.proc.stdin is not None and self.proc.stdout is not None
        self.proc.stdin.write(json.dumps([argv, env, err, tty]) + "\n")
        self.proc.stdin.flush()
        elapsed, code, rss, lines, cpu = json.loads(self.proc.stdout.readline())
        rss_mb = rss / 1024 if sys.platform != "darwin" else rss / 1024 / 1024
        return float(elapsed), int(code), rss_mb, int(lines), float(cpu)

    def own_rss_mb(self) -> float | None:
        try:
            status = Path(f"/proc/{self.proc.pid}/status").read_text()
        except OSError:
            return None
        for line in status.splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
        return None

    def close(self) -> None:
        assert self.proc.stdin is not None
        self.proc.stdin.close()
        self.proc.wait()


def check(bench: Bench, env: dict[str, str]) -> None:
    """One untimed run that keeps the output: it must succeed; count its lines (on a
    terminal, the timed runs count what they drew)."""
    result = subprocess.run(bench.argv, env=env, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        bench.failure = f"exit {result.returncode}: {result.stderr.strip()[:300]}"
    bench.lines = result.stdout.count("\n")


def measure(
    launcher: Launcher, benches: list[Bench], env: dict[str, str], warmup: int, runs: int
) -> None:
    with tempfile.NamedTemporaryFile(prefix="dossier-bench-", suffix=".err") as err:
        for round_ in range(warmup + runs):
            for bench in benches:
                if bench.failure:
                    continue
                size = TTY_SIZE if bench.tty else None
                elapsed, code, rss, lines, cpu = launcher.run(
                    bench.argv, bench_env(bench, env), err.name, size
                )
                if bench.tty:
                    bench.lines = lines
                if code != 0:
                    message = Path(err.name).read_text(errors="replace").strip()
                    bench.failure = f"exit {code}: {message[:300]}"
                elif round_ >= warmup:
                    bench.times.append(elapsed)
                    bench.rss.append(rss)
                    bench.cpu.append(cpu)
            print(f"  round {round_ + 1}/{warmup + runs}", file=sys.stderr, end="\r")
    print(file=sys.stderr)


def bench_env(bench: Bench, env: dict[str, str]) -> dict[str, str]:
    return {**env, **bench.env} if bench.env else env


# --- facts about the database and the machine ------------------------------------------


def is_url(text: str) -> bool:
    return text.startswith(("postgresql://", "postgres://"))


def facts_path(db: str) -> Path:
    """Where ``generate.py`` left its facts (the same rule as there)."""
    if is_url(db):
        from urllib.parse import urlsplit

        name = urlsplit(db).path.lstrip("/") or "postgres"
        return Path(tempfile.gettempdir()) / f"dossier-bench-{name}.bench.json"
    return Path(db + ".bench.json")


def load_server_facts(url: str) -> dict[str, Any]:
    """The facts of a database on a PostgreSQL server (psycopg in this process only)."""
    import psycopg

    side = facts_path(url)
    facts: dict[str, Any] = json.loads(side.read_text()) if side.exists() else {}
    with psycopg.connect(url) as conn:
        facts["clients_now"] = conn.execute("SELECT count(*) FROM client").fetchone()[0]
        facts["entries_now"] = conn.execute("SELECT max(id) FROM entry").fetchone()[0] or 0
        facts["db_bytes_now"] = conn.execute(
            "SELECT pg_database_size(current_database())"
        ).fetchone()[0]
        facts["server_version"] = conn.execute("SHOW server_version").fetchone()[0]
        row = conn.execute(
            "SELECT name_fold FROM client WHERE id = %s", (facts["show_client"],)
        ).fetchone()
    name = row[0] if row and row[0] else "jo"
    facts.setdefault("complete_prefix", name[:3])
    facts.setdefault("complete_part", name.split()[-1][1:5])
    facts.setdefault("word", "tungsten")
    return facts


def load_facts(db: Path) -> dict[str, Any]:
    side = facts_path(str(db))
    facts: dict[str, Any] = json.loads(side.read_text()) if side.exists() else {}
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        facts["clients_now"] = conn.execute("SELECT count(*) FROM client").fetchone()[0]
        facts["entries_now"] = conn.execute("SELECT max(id) FROM entry").fetchone()[0] or 0
        if "show_client" not in facts:
            row = conn.execute(
                "SELECT client_id FROM entry GROUP BY client_id ORDER BY count(*) DESC LIMIT 1"
            ).fetchone()
            facts["show_client"] = row[0] if row else 1
        if "file_client" not in facts or "log_client" not in facts:
            rows = conn.execute(
                "SELECT id FROM client WHERE archived_at IS NULL ORDER BY id LIMIT 2"
            ).fetchall()
            facts.setdefault("file_client", rows[0][0])
            facts.setdefault("log_client", rows[-1][0])
    finally:
        conn.close()
    facts.setdefault("word", "tungsten")
    if "complete_prefix" not in facts or "complete_part" not in facts:
        # What a user types before Tab: the start of a name, or a piece of its surname.
        conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
        try:
            row = conn.execute(
                "SELECT name_fold FROM client WHERE id = ?", (facts["show_client"],)
            ).fetchone()
        finally:
            conn.close()
        name = row[0] if row and row[0] else "jo"
        facts.setdefault("complete_prefix", name[:3])
        facts.setdefault("complete_part", name.split()[-1][1:5])
    return facts


def version(dist: str) -> str:
    try:
        return metadata.version(dist)
    except metadata.PackageNotFoundError:
        return "not installed"


def cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def db_size(db: Path) -> int:
    return sum(p.stat().st_size for p in (db, Path(str(db) + "-wal")) if p.exists())


# --- Taskwarrior, for the stretch target -------------------------------------------------


def taskwarrior_benches(task: str, sizes: list[int], root: Path) -> list[Bench]:
    """``task next`` on Taskwarrior databases of the given sizes, written directly."""
    benches = []
    words = ("Call", "E-mail", "Visit", "Quote for", "Follow up with", "Renewal talk with")
    names = ("Acme", "Nordlicht", "Cedar Foods", "Fjord Outdoor", "Okafor", "Bright Harbor")
    for size in sizes:
        data = root / f"task-{size}"
        data.mkdir()
        now = int(time.time())
        lines = []
        for i in range(size):
            due = now + (i % 365 - 30) * 86400
            tag = ("key-account", "tender", "upsell")[i % 3]
            lines.append(
                f'[description:"{words[i % len(words)]} {names[i % len(names)]} {i}"'
                f' due:"{due}" entry:"{now - 86400 * (i % 900)}" modified:"{now}"'
                f' project:"sales" status:"pending" tags:"{tag}" uuid:"{uuid.uuid4()}"]'
            )
        (data / "pending.data").write_text("\n".join(lines) + "\n")
        for name in ("completed.data", "undo.data", "backlog.data"):
            (data / name).write_text("")
        rc = data / "taskrc"
        rc.write_text(f"data.location={data}\nconfirmation=off\nnews.version=2.6.0\n")
        benches.append(
            Bench(
                f"`task next` ({size:,} tasks)",
                [task, "next"],
                env={"TASKRC": str(rc), "TASKDATA": str(data)},
            )
        )
    return benches


# --- the report ------------------------------------------------------------------------


def fmt_ms(seconds: float) -> str:
    ms = seconds * 1000
    return f"{ms:,.0f}" if ms >= 100 else f"{ms:.1f}"


def table(benches: list[Bench], floor: Bench) -> list[str]:
    out = [
        f"| command | median ms | min ms | max ms | {X} floor | CPU ms | CPU {X} floor "
        "| peak RSS MB | lines out | target | met |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- | --- |",
    ]
    for bench in benches:
        if bench.failure or not bench.times:
            out.append(f"| {bench.label} | failed: {bench.failure} | | | | | | | | | |")
            continue
        ratio = bench.median / floor.median if floor.times else float("nan")
        cpu = statistics.median(bench.cpu)
        cpu_ratio = cpu / statistics.median(floor.cpu) if floor.cpu else float("nan")
        rss = max(bench.rss)
        goals, met = [], []
        if bench.target is not None:
            goals.append(f"≤ {bench.target}{X}")
            met.append(ratio <= bench.target)
        if bench.rss_limit is not None:
            goals.append(f"RSS ≤ {bench.rss_limit:.0f} MB")
            met.append(rss <= bench.rss_limit)
        verdict = ("met" if all(met) else "**not met**") if met else "—"
        out.append(
            f"| {bench.label} | {fmt_ms(bench.median)} | {fmt_ms(min(bench.times))} "
            f"| {fmt_ms(max(bench.times))} | {ratio:.2f}{X} | {fmt_ms(cpu)} "
            f"| {cpu_ratio:.2f}{X} | {rss:.0f} | {bench.lines:,} "
            f"| {', '.join(goals) or 'reference'} | {verdict} |"
        )
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Time dossier commands against a floor app.")
    parser.add_argument(
        "--db", required=True, help="database from generate.py: a file or a PostgreSQL URL"
    )
    parser.add_argument(
        "--user",
        help="the user the commands run as (DOSSIER_USER); default: owner01 when the"
        " folder was generated with --owners above 1",
    )
    parser.add_argument("--runs", type=int, default=15, help="timed runs per command")
    parser.add_argument("--warmup", type=int, default=3, help="untimed runs first")
    parser.add_argument("--today", help="YYYY-MM-DD for DOSSIER_TODAY (default: generator's)")
    parser.add_argument(
        "--dossier",
        type=Path,
        default=Path(sys.executable).parent / "dossier",
        help="the dossier executable (default: next to this Python)",
    )
    parser.add_argument(
        "--taskwarrior", action="store_true", help="also time `task next` on 1k/10k tasks"
    )
    parser.add_argument(
        "--pycache",
        type=Path,
        default=Path(tempfile.gettempdir()) / "dossier-bench-pycache",
        help="PYTHONPYCACHEPREFIX for the timed processes (default: %(default)s)",
    )
    parser.add_argument(
        "--as-is",
        action="store_true",
        help="leave PYTHONDONTWRITEBYTECODE/PYTHONPYCACHEPREFIX as the environment has them",
    )
    parser.add_argument("--out", type=Path, help="also write the report to this file")
    parser.add_argument(
        "--only",
        help="time only the rows whose label holds one of these comma-separated words"
        " (the floor app always), e.g. --only stats,review",
    )
    args = parser.parse_args(argv)

    server = is_url(args.db)
    db: Path | str = args.db if server else Path(args.db).expanduser().absolute()
    if isinstance(db, Path) and not db.is_file():
        print(f"run: {db} does not exist; build it with bench/generate.py", file=sys.stderr)
        return 1
    dossier = str(args.dossier.absolute())
    if not os.access(dossier, os.X_OK):
        print(f"run: {dossier} is not an executable; pass --dossier", file=sys.stderr)
        return 1
    facts = load_server_facts(db) if isinstance(db, str) else load_facts(db)
    user = args.user or ("owner01" if int(facts.get("owners") or 1) > 1 else None)
    today = args.today or facts.get("today") or date.today().isoformat()
    scratch = Path(tempfile.mkdtemp(prefix="dossier-run-"))
    env = {
        **os.environ,
        "DOSSIER_DB": str(db),
        "DOSSIER_TODAY": today,
        # Defaults, whatever the user's own settings say.
        "DOSSIER_CONFIG": str(scratch / "config.toml"),
    }
    if user:
        env["DOSSIER_USER"] = user
    for name in ("NO_COLOR", "COLUMNS", "LINES", "LESS"):
        env.pop(name, None)
    if args.as_is:
        bytecode = (
            "bytecode caching as the environment has it (PYTHONDONTWRITEBYTECODE="
            f"{os.environ.get('PYTHONDONTWRITEBYTECODE', 'unset')})"
        )
    else:
        # What an installed dossier gets: compiled modules cached. Without this, an
        # environment with PYTHONDONTWRITEBYTECODE=1 recompiles every dossier module
        # (source checkout) on every run, about 25 ms, while Typer and Rich, compiled
        # at install, do not. The cache lives outside the repository.
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        env["PYTHONPYCACHEPREFIX"] = str(args.pycache.absolute())
        bytecode = f"bytecode cached in PYTHONPYCACHEPREFIX={args.pycache.absolute()}"
    py = sys.executable
    show, word = str(facts["show_client"]), str(facts["word"])
    file_c, log_c = str(facts["file_client"]), str(facts["log_client"])
    # A working day's tab a week ahead, and next month's tab: what a user looks behind.
    day = date.fromisoformat(today) + timedelta(days=7)
    while day.weekday() >= 5:
        day += timedelta(days=1)
    tab_day = str(day.day)
    day = date.fromisoformat(today)
    tab_month = f"{day.year + day.month // 12}-{day.month % 12 + 1:02d}"
    floor = Bench("floor app (`floor.py --name x`)", [py, str(HERE / "floor.py"), "--name", "x"])
    benches = [
        Bench("`dossier --help`", [dossier, "--help"], RATIO),
        Bench("`dossier today`", [dossier, "today"], RATIO, TODAY_RSS_MB),
        Bench("`dossier today --json`", [dossier, "today", "--json"], RATIO),
        Bench(f"`dossier show {show}` (500 entries)", [dossier, "show", show], RATIO),
        Bench(f"`dossier find {word}`", [dossier, "find", word], FIND_RATIO),
        Bench(f"`dossier file {file_c} --on +3d`", [dossier, "file", file_c, "--on", "+3d"], RATIO),
        Bench(
            f'`dossier log {log_c} "…"`',
            [dossier, "log", log_c, "Benchmark call: asked about the renewal terms."],
            RATIO,
        ),
        Bench("`dossier folder`", [dossier, "folder"], RATIO),
        Bench("`dossier agenda`", [dossier, "agenda"], RATIO),
        *(
            Bench(
                f"Tab: `dossier show {typed}⇥` ({what})",
                [dossier],
                RATIO,
                env={
                    "_DOSSIER_COMPLETE": "complete_bash",
                    "COMP_WORDS": f"dossier show {typed}",
                    "COMP_CWORD": "2",
                },
            )
            for typed, what in (
                (str(facts["complete_prefix"]), "client names, folded prefix"),
                (str(facts["complete_part"]), "client names, substring"),
            )
        ),
        Bench("`dossier list`", [dossier, "list"]),
        Bench(f"`dossier tab {tab_day}`", [dossier, "tab", tab_day]),
        Bench("`dossier stats`", [dossier, "stats"], STATS_RATIO),
        Bench("`dossier review`", [dossier, "review"], STATS_RATIO),
        floor,
        Bench('`python -c "import sqlite3"`', [py, "-c", "import sqlite3"]),
        Bench('`python -c "pass"`', [py, "-c", "pass"]),
    ]
    if server:
        # What any Python command on a server pays before doing anything: psycopg's import,
        # the connection, one query. A reference row, timed against the same floor app.
        benches.insert(
            benches.index(floor) + 1,
            Bench(
                "floor app reading its line from the server (`floor.py --name x --db URL`)",
                [py, str(HERE / "floor.py"), "--name", "x", "--db", str(db)],
            ),
        )
    # The same views on a terminal, as the user sees them: the Rich path, paged by less
    # when longer than the screen (and quit at the first screen), against the floor app
    # on the same terminal.
    tty_floor = Bench(floor.label, floor.argv, tty=True)
    tty_benches = [
        Bench("`dossier today`", [dossier, "today"], RATIO, tty=True),
        Bench(f"`dossier show {show}` (500 entries)", [dossier, "show", show], RATIO, tty=True),
        Bench(f"`dossier find {word}`", [dossier, "find", word], FIND_RATIO, tty=True),
        Bench("`dossier folder`", [dossier, "folder"], RATIO, tty=True),
        Bench("`dossier agenda`", [dossier, "agenda"], RATIO, tty=True),
        Bench("`dossier list`", [dossier, "list"], RATIO, tty=True),
        Bench(f"`dossier tab {tab_day}`", [dossier, "tab", tab_day], RATIO, tty=True),
        Bench(f"`dossier tab {tab_month}`", [dossier, "tab", tab_month], RATIO, tty=True),
        Bench("`dossier stats`", [dossier, "stats"], STATS_RATIO, tty=True),
        Bench("`dossier review`", [dossier, "review"], STATS_RATIO, tty=True),
        tty_floor,
    ]
    if args.only:
        wanted = [word.strip() for word in args.only.split(",") if word.strip()]
        benches = [b for b in benches if b is floor or any(w in b.label for w in wanted)]
        tty_benches = [
            b for b in tty_benches if b is tty_floor or any(w in b.label for w in wanted)
        ]
    task_note = ""
    if args.taskwarrior:
        task = shutil.which("task")
        if task is None:
            task_note = (
                "Taskwarrior: `task` is not installed (apt-get install taskwarrior); skipped."
            )
        else:
            benches += taskwarrior_benches(task, [1_000, 10_000], scratch)
            task_version = subprocess.run(
                [task, "--version"], capture_output=True, text=True, check=False
            ).stdout.strip()
            task_note = (
                f"Taskwarrior {task_version}: `task next` on tasks written to a temp TASKDATA."
            )

    try:
        # The first write of a day may start a daily backup: do it here, untimed.
        warm = subprocess.run(
            [dossier, "log", log_c, "Benchmark warm-up write."],
            env=env,
            capture_output=True,
            text=True,
            check=False,
        )
        if warm.returncode != 0:
            print(f"run: the warm-up write failed: {warm.stderr.strip()}", file=sys.stderr)
            return 1
        for bench in benches:
            check(bench, bench_env(bench, env))
        for bench in tty_benches:
            bench.env = TTY_ENV
        print(
            f"Timing {len(benches)} commands: {args.warmup} warm-up + {args.runs} timed runs "
            "each, interleaved",
            file=sys.stderr,
        )
        launcher = Launcher()
        try:
            measure(launcher, benches + tty_benches, env, args.warmup, args.runs)
            launcher_rss = launcher.own_rss_mb()
        finally:
            launcher.close()
    finally:
        shutil.rmtree(scratch, ignore_errors=True)

    if isinstance(db, Path):
        size = db_size(db)
        engine = f"SQLite {sqlite3.sqlite_version}"
    else:
        size = int(facts["db_bytes_now"])
        engine = f"PostgreSQL {facts['server_version']}, psycopg {version('psycopg')}"
    from urllib.parse import urlsplit

    shown_db = db if isinstance(db, Path) else f"PostgreSQL database {urlsplit(db).path[1:]}"
    lines = [
        f"## dossier benchmark, {datetime.now():%Y-%m-%d %H:%M}",
        "",
        f"- Machine: {platform.platform()}, {cpu_model()}, {os.cpu_count()} CPUs",
        f"- Python {platform.python_version()} ({sys.executable}), {engine}",
        f"- dossier {version('dossier')}, typer {version('typer')}, rich {version('rich')}, "
        f"sqlmodel {version('sqlmodel')}, "
        f"pydantic {version('pydantic')}",
        f"- Database: {shown_db} — {size / 1e6:,.1f} MB, {facts['clients_now']:,} clients, "
        f"{facts['entries_now']:,} history entries; DOSSIER_TODAY={today}"
        + (f"; {facts.get('owners')} owners, run as DOSSIER_USER={user}" if user else ""),
        f"- {args.runs} timed runs per command after {args.warmup} warm-ups, interleaved; "
        "wall time of the whole process; peak RSS "
        "from wait4 (largest of the runs; processes are started by a launcher of "
        f"{launcher_rss or 0:.0f} MB, so no reading is below that); {bytecode}",
        "",
        "### Piped: stdout to /dev/null (the plain view, whole)",
        "",
        *table(benches, floor),
        "",
        f"### On a terminal: a pseudo-terminal of {TTY_SIZE[0]}{X}{TTY_SIZE[1]} (the Rich view)",
        "",
        "The child runs in a session of its own with the terminal as its controlling "
        "terminal, as a command typed at a shell does; `q` is typed ahead, so a view longer "
        "than the screen goes to `less` (LESS=FRX), which draws its first screen and quits. "
        "The time is until the process ends; lines out: lines drawn on the terminal.",
        "",
        *table(tty_benches, tty_floor),
    ]
    if task_note:
        lines += ["", task_note]
    today_bench, ten_k = benches[1], next((b for b in benches if "10,000" in b.label), None)
    if ten_k is not None and ten_k.times and today_bench.times:
        faster = today_bench.median < ten_k.median
        lines.append(
            f"Stretch: `dossier today` {fmt_ms(today_bench.median)} ms vs `task next` at 10k "
            f"{fmt_ms(ten_k.median)} ms: {'met' if faster else '**not met**'}."
        )
    missed = [
        f"{b.label}{' on a terminal' if b.tty else ' piped'}"
        for b, base in [*((b, floor) for b in benches), *((b, tty_floor) for b in tty_benches)]
        if b.target is not None
        and (
            b.failure
            or not b.times
            or b.median / base.median > b.target
            or (b.rss_limit is not None and max(b.rss) > b.rss_limit)
        )
    ]
    lines.append("")
    lines.append(
        "All command targets met." if not missed else f"Targets not met: {', '.join(missed)}."
    )
    report = "\n".join(lines)
    print(report)
    if args.out:
        args.out.write_text(report + "\n")
    return 0 if not any(b.failure for b in benches + tty_benches) else 1


if __name__ == "__main__":
    sys.exit(main())
