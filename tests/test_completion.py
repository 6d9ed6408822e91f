"""Tab completion, through the protocol the shells use: the installed ``dossier`` run in a
subprocess with ``_DOSSIER_COMPLETE`` and the words typed so far (``COMP_WORDS`` and
``COMP_CWORD`` for bash, ``_TYPER_COMPLETE_ARGS`` for zsh and fish)."""

from __future__ import annotations

import os
import shlex
import shutil
import sqlite3
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from conftest import Result
from dossier.cli import invoked_name
from dossier.domain.records import KINDS, OUTCOMES, STAGES

DOSSIER = str(Path(sys.executable).parent / "dossier")
NAMES = ("José Núñez", "Íñigo Arana", "Müller GmbH")


def complete(line: str, shell: str = "bash", **env: str) -> list[str]:
    """The candidates for the last word of ``line`` (after a space: a new word)."""
    result = complete_raw(line, shell, **env)
    assert result.returncode == 0, result
    assert result.stderr == "", result
    return result.stdout.splitlines() if result.stdout.strip() else []


def complete_raw(line: str, shell: str = "bash", **env: str) -> subprocess.CompletedProcess[str]:
    variables = {**os.environ, "_DOSSIER_COMPLETE": f"complete_{shell}", **env}
    if shell == "bash":
        words = shlex.split(line)
        variables["COMP_WORDS"] = line
        variables["COMP_CWORD"] = str(len(words) if line.endswith(" ") else len(words) - 1)
    else:
        variables["_TYPER_COMPLETE_ARGS"] = line
        variables["_TYPER_COMPLETE_FISH_ACTION"] = "get-args"
    return subprocess.run([DOSSIER], env=variables, capture_output=True, text=True, check=False)


@pytest.fixture
def folder(run: Callable[..., Result], db_path: Path) -> Path:
    """The accented names, touched in this order (Müller GmbH last, most recently)."""
    for name in NAMES:
        assert run("add", name).exit_code == 0
    touch(db_path, NAMES)
    return db_path


def touch(db: Path, names: tuple[str, ...] | list[str]) -> None:
    """Give the clients increasing ``updated_at`` stamps in the order of ``names``."""
    conn = sqlite3.connect(db)
    with conn:
        for minute, name in enumerate(names):
            stamp = f"2024-07-05T09:{minute // 60:02d}:{minute % 60:02d}"
            conn.execute("UPDATE client SET updated_at = ? WHERE name = ?", (stamp, name))
    conn.close()


# --- commands and options --------------------------------------------------------------


def test_command_names_all_of_them(folder: Path) -> None:
    everything = complete("dossier ")
    assert {"today", "add", "file", "log", "show", "backup", "backups"} <= set(everything)
    assert complete("dossier to") == ["today"]
    assert complete("dossier backu") == ["backup", "backups"]
    assert complete("dossier --db x.db sh") == ["show"]


def test_options_of_a_command(folder: Path) -> None:
    options = complete("dossier file nunez --")
    assert {"--on", "--at", "--for", "--note", "--kind", "--outcome", "--date"} <= set(options)
    assert "--help" in options


def test_global_options_include_the_completion_ones(folder: Path) -> None:
    options = complete("dossier --")
    assert {"--db", "--version", "--install-completion", "--show-completion"} <= set(options)


def test_vocabularies(folder: Path) -> None:
    assert complete("dossier add Acme --stage ") == list(STAGES)
    assert complete("dossier edit nunez --stage ne") == ["negotiation"]
    assert complete("dossier file nunez --kind ") == list(KINDS)
    assert complete("dossier log nunez text --kind m") == ["meeting"]
    assert complete("dossier file nunez --outcome ") == list(OUTCOMES)
    assert complete("dossier log nunez text --outcome l") == ["left-message", "lost"]


def test_date_words(folder: Path) -> None:
    assert complete("dossier file nunez --on to") == ["today", "tomorrow"]
    assert complete("dossier add Acme --on t") == ["today", "tomorrow", "tuesday", "thursday"]
    assert complete("dossier file nunez --on ju") == ["june", "july"]
    assert complete("dossier file nunez --on next") == ["next\\ week", "next\\ month"]
    assert complete("dossier file nunez --on +") == ["+1d", "+1w", "+1m"]
    assert complete("dossier log nunez text --date y") == ["yesterday"]
    assert complete("dossier file nunez --on next", "zsh") == [
        '_arguments \'*: :(("next week"',
        '"next month"))\'',
    ]


def test_spanish_date_words_first_in_spanish(folder: Path) -> None:
    """Dates are read in both languages: under es the Spanish words come first."""
    assert complete("dossier --lang es file nunez --on ma") == [
        "mañana", "martes", "marzo", "mayo", "march", "may",
    ]  # fmt: skip
    assert complete("dossier --lang=es file nunez --on la") == ["la\\ semana\\ que\\ viene"]
    assert complete("dossier --lang es log nunez text --date a") == ["ayer", "anteayer"]
    assert complete("dossier file nunez --on ma", LANG="es_ES.UTF-8", LC_MESSAGES="") == [
        "mañana", "martes", "marzo", "mayo", "march", "may",
    ]  # fmt: skip
    assert complete("dossier --lang en file nunez --on ma", LANG="es_ES.UTF-8") == ["march", "may"]
    assert complete("dossier --lang fr file nunez --on ma") == ["march", "may"]  # no error


# --- client names ------------------------------------------------------------------------


def test_client_names_folded(folder: Path) -> None:
    assert complete("dossier show nu") == ["José\\ Núñez"]
    assert complete("dossier show NÚ") == ["José\\ Núñez"]
    assert complete("dossier show ini") == ["Íñigo\\ Arana"]
    assert complete("dossier show mu") == ["Müller\\ GmbH"]
    assert complete("dossier file jose\\ n") == ["José\\ Núñez"]
    assert complete("dossier --db " + str(folder) + " log mull") == ["Müller\\ GmbH"]


def test_every_name_most_recently_touched_first(folder: Path) -> None:
    assert complete("dossier show ") == ["Müller\\ GmbH", "Íñigo\\ Arana", "José\\ Núñez"]
    touch(folder, ["Müller GmbH", "Íñigo Arana", "José Núñez"])
    assert complete("dossier show ") == ["José\\ Núñez", "Íñigo\\ Arana", "Müller\\ GmbH"]


def test_prefix_before_substring(folder: Path, run: Callable[..., Result]) -> None:
    run("add", "Nuria Soto")
    run("add", "Anna Nunes")
    touch(folder, ["Nuria Soto", "José Núñez", "Anna Nunes"])
    # Nuria starts with "nu", the others contain it: she comes first though touched first.
    assert complete("dossier show nu") == ["Nuria\\ Soto", "Anna\\ Nunes", "José\\ Núñez"]


def test_at_most_fifty(folder: Path, run: Callable[..., Result]) -> None:
    names = [f"Client {number:02d}" for number in range(60)]
    for name in names:
        run("add", name)
    touch(folder, names)
    found = complete("dossier show cli")
    assert len(found) == 50
    assert found == [name.replace(" ", "\\ ") for name in reversed(names)][:50]


def test_namesakes_are_one_candidate(folder: Path, run: Callable[..., Result]) -> None:
    assert run("add", "José Núñez", "--company", "Núñez e Hijos").exit_code == 0
    assert complete("dossier show nu") == ["José\\ Núñez"]


def test_zsh_and_fish(folder: Path) -> None:
    zsh = complete("dossier show nu", "zsh")
    assert zsh == ["_arguments '*: :((\"José Núñez\"))'"]
    assert complete("dossier show nu", "fish") == ["José Núñez"]
    assert complete("dossier sh", "fish")[0].startswith("show\t")


@pytest.mark.skipif(shutil.which("bash") is None, reason="needs bash")
def test_bash_gets_one_candidate_per_name(folder: Path) -> None:
    """The script Typer installs, run by bash itself: each name is one COMPREPLY entry,
    escaped so that bash inserts it as one word."""
    script = subprocess.run(
        [DOSSIER, "--show-completion", "bash"], capture_output=True, text=True, check=True
    ).stdout
    probe = (
        f"{script}\nCOMP_WORDS=(dossier show '') COMP_CWORD=2\n"
        f"_dossier_completion {DOSSIER}\nprintf '%s\\n' \"${{COMPREPLY[@]}}\"\n"
    )
    result = subprocess.run(["bash", "--norc", "-c", probe], capture_output=True, text=True)
    assert result.stdout.splitlines() == ["Müller\\ GmbH", "Íñigo\\ Arana", "José\\ Núñez"]


# --- completing nothing, silently ----------------------------------------------------------


def test_missing_database_completes_nothing(tmp_path: Path) -> None:
    missing = tmp_path / "nowhere" / "dossier.db"
    result = complete_raw("dossier show nu", DOSSIER_DB=str(missing))
    assert (result.returncode, result.stdout.strip(), result.stderr) == (0, "", "")
    assert not missing.parent.exists()
    assert complete("dossier add x --stage l", DOSSIER_DB=str(missing)) == ["lead"]


@pytest.mark.parametrize("content", ["not a database", "foreign", "newer", "empty"])
def test_unusable_database_completes_nothing(tmp_path: Path, content: str, folder: Path) -> None:
    path = tmp_path / "other.db"
    if content == "not a database":
        path.write_text("just some text\n" * 100)
    elif content == "foreign":
        conn = sqlite3.connect(path)
        conn.execute("CREATE TABLE client (name TEXT, name_fold TEXT)")
        conn.execute("INSERT INTO client VALUES ('Nunez', 'nunez')")
        conn.commit()
        conn.close()
    elif content == "newer":
        shutil.copy(folder, path)
        conn = sqlite3.connect(path)
        conn.execute("PRAGMA user_version = 999")
        conn.close()
    else:
        path.write_bytes(b"")
    before = path.read_bytes()
    result = complete_raw("dossier show nu", DOSSIER_DB=str(path))
    assert (result.returncode, result.stdout.strip(), result.stderr) == (0, "", "")
    assert path.read_bytes() == before


def test_unreadable_database_completes_nothing(folder: Path) -> None:
    if os.geteuid() == 0:
        pytest.skip("root reads any file")
    folder.chmod(0)
    try:
        result = complete_raw("dossier show nu")
    finally:
        folder.chmod(0o600)
    assert (result.returncode, result.stdout.strip(), result.stderr) == (0, "", "")


def test_completion_writes_nothing(folder: Path) -> None:
    before = sorted(p.name for p in folder.parent.iterdir()), folder.read_bytes()
    assert complete("dossier show nu") == ["José\\ Núñez"]
    assert complete("dossier show ") != []
    after = sorted(p.name for p in folder.parent.iterdir()), folder.read_bytes()
    assert after == before


# --- installing and showing the script -----------------------------------------------------


def test_show_completion_prints_the_script(folder: Path) -> None:
    for shell, marker in (
        ("bash", "complete -o default -F _dossier_completion dossier"),
        ("zsh", "compdef _dossier_completion dossier"),
        ("fish", "complete --command dossier"),
    ):
        result = subprocess.run(
            [DOSSIER, "--show-completion", shell], capture_output=True, text=True, check=False
        )
        assert result.returncode == 0, result
        assert marker in result.stdout
        assert f"_DOSSIER_COMPLETE=complete_{shell}" in result.stdout


def test_install_completion_into_home(tmp_path: Path) -> None:
    home = tmp_path / "home"
    home.mkdir()
    env = {**os.environ, "HOME": str(home)}
    result = subprocess.run(
        [DOSSIER, "--install-completion", "bash"], env=env, capture_output=True, text=True
    )
    assert result.returncode == 0, result
    script = home / ".bash_completions" / "dossier.sh"
    assert "_DOSSIER_COMPLETE=complete_bash" in script.read_text()
    assert f"source '{script}'" in (home / ".bashrc").read_text()


def test_piped_help_stays_plain(folder: Path) -> None:
    result = subprocess.run([DOSSIER, "--help"], capture_output=True, text=True, check=False)
    assert result.returncode == 0
    assert "--install-completion" in result.stdout and "--show-completion" in result.stdout
    assert "╭" not in result.stdout and "\x1b[" not in result.stdout
    assert "show" in result.stdout and "today" in result.stdout


def test_completion_options_are_global_options() -> None:
    assert invoked_name(["--show-completion", "bash"]) is None
    assert invoked_name(["--install-completion"]) is None
    assert invoked_name(["--db", "x.db", "show", "nunez"]) == "show"


PROBE = """
import atexit, json, sys
heavy = {'sqlalchemy', 'sqlmodel', 'pydantic', 'rich'}
atexit.register(lambda: print(json.dumps(sorted({m.split('.')[0] for m in sys.modules} & heavy)),
                              file=sys.stderr))
sys.argv = ['dossier']
from dossier.cli import main
main()
"""


@pytest.mark.parametrize("line", ["dossier show nu", "dossier ", "dossier file nunez --on t"])
def test_completion_skips_the_orm_and_rich(folder: Path, line: str) -> None:
    words = shlex.split(line)
    env = {**os.environ, "_DOSSIER_COMPLETE": "complete_bash", "COMP_WORDS": line}
    env["COMP_CWORD"] = str(len(words) if line.endswith(" ") else len(words) - 1)
    result = subprocess.run([sys.executable, "-c", PROBE], env=env, capture_output=True, text=True)
    assert result.returncode == 0, result
    assert result.stdout.strip()
    assert result.stderr.strip().splitlines()[-1] == "[]"
