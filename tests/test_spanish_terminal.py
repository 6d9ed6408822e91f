"""The Rich views in Spanish, as a terminal draws them: ``--lang es today`` and ``show``
on a real pseudo-terminal of 80 and 160 columns say their titles, headers, counts and
days in Spanish, leave none of their English words behind, and, although Spanish words
are longer, draw no line wider than the terminal.

Only the words ``ui/terminal.py`` draws itself are checked here; the plain helpers it
shares (card labels, the notes under today's tables) are the plain view's.
"""

from __future__ import annotations

import os
import re
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from conftest import Result, ok, on_a_pty
from dossier.domain.text import width

Run = Callable[..., Result]

DOSSIER = Path(sys.executable).parent / "dossier"
SRC = str(Path(__file__).resolve().parent.parent / "src")
ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)")
# A day-stack label alone in its cell: followed by a column gap or the end of the line
# (a purpose such as "present the new price list" has single spaces around "new").
LABEL = r"(?<!\S){}(?= {{2}}|$)"


def drawn(args: tuple[str, ...], columns: int) -> str:
    """``dossier --lang es ARGS`` on a pseudo-terminal of ``columns``: what it drew,
    without the styling."""
    env = {k: v for k, v in os.environ.items() if k not in ("NO_COLOR", "FORCE_COLOR")}
    env.update(TERM="xterm-256color", COLUMNS=str(columns), LINES="50")
    env.update(PYTHONIOENCODING="utf-8", PYTHONPATH=SRC)
    code, out = on_a_pty([str(DOSSIER), "--lang", "es", *args], env, columns)
    assert code == 0, out
    assert ANSI.search(out), "a terminal gets the Rich view"
    return ANSI.sub("", out)


def said(phrase: str, text: str) -> bool:
    """Whether ``phrase`` is in ``text`` as whole words ("Client" is not in "Cliente")."""
    start = r"\b" if phrase[0].isalnum() else ""
    end = r"\b" if phrase[-1].isalnum() else ""
    return re.search(start + re.escape(phrase) + end, text) is not None


def assert_fits(text: str, columns: int) -> None:
    wide = [line for line in text.splitlines() if width(line) > columns]
    assert not wide, f"wider than {columns} columns: {wide}"


@pytest.fixture
def demo(run: Run) -> None:
    ok(run("demo"))


@pytest.mark.parametrize("columns", [80, 160])
def test_today_in_spanish(demo: None, columns: int) -> None:
    text = drawn(("today",), columns)
    assert_fits(text, columns)
    flowing = " ".join(text.replace("│", " ").split())  # the heading's panel may wrap
    for spanish in (
        "vie 5 jul 2024",
        "pestaña 5",
        "16 en total",
        "5 atrasados",
        "10 hoy (6 repetidos, 4 nuevos, 2 a hora fija)",
        "1 de este mes sin día fijado",
        "Atrasados (5)",
        "Hoy (10: 6 repetidos, 4 nuevos)",
        "Este mes, sin día fijado (1)",
        "Vencía",
        "Hora",
        "Teléfono",
        "8 días de retraso",
        "1 día de retraso",
    ):
        assert spanish in flowing, spanish
    assert re.search(LABEL.format("repetido"), text, re.MULTILINE)
    assert re.search(LABEL.format("nuevo"), text, re.MULTILINE)
    assert ("Nombre" in text and "Empresa" in text) if columns == 160 else "Cliente" in text
    for english in (
        "Fri 5 Jul",
        "tab 5",
        "in all",
        "overdue",
        "Overdue",
        "Today (",
        "This month",
        "no day yet",
        "without a day",
        "at a set time",
        "Was due",
        "Time",
        "Phone",
        "Client",
        "Last contact",
        "days late",
        "day late",
    ):
        assert not said(english, text), english
    for label in ("repeat", "new"):
        assert not re.search(LABEL.format(label), text, re.MULTILINE), label


@pytest.mark.parametrize("columns", [80, 160])
def test_show_in_spanish(demo: None, columns: int) -> None:
    text = drawn(("show", "1"), columns)
    assert_fits(text, columns)
    assert "#1 Anna Kowalski" in text
    assert "Historial (14, lo más reciente primero)" in text
    assert re.search(r"^ Cuándo +Qué +Nota$", text, re.MULTILINE), text
    assert "Decision moved to the board meeting" in text  # the notes are the user's
    assert "History" not in text and "newest first" not in text
    assert not re.search(r"\b(When|What)\b", text)


@pytest.mark.parametrize("columns", [80, 160])
def test_binder_and_agenda_in_spanish(demo: None, columns: int) -> None:
    """The two views whose day notes and month names are the terminal's own words."""
    folder = drawn(("folder",), columns)
    assert_fits(folder, columns)
    for spanish in (
        "El archivador del vie 5 jul 2024 — capacidad 30 por día",
        "Pestañas de mes",
        "julio 2024",
        "hoy, incl. 5 atrasados",
        "día libre: sábado",
        "Atrasados: 5",
        "Sin archivar (sin próximo paso): 2",
    ):
        assert spanish in folder, spanish
    for english in ("binder", "Month tabs", "July", "today", "overdue", "day off", "Saturday"):
        assert not said(english, folder), english
    agenda = drawn(("agenda",), columns)
    assert_fits(agenda, columns)
    assert "Los próximos 14 días — capacidad 30 por día" in agenda
    assert re.search(r"^ Día +Total +Repetidos +Nuevos .*A hora fija$", agenda, re.MULTILINE)
    assert "sáb 6 jul 2024" in agenda and "libre" in agenda
    for english in ("The next", "capacity", "Repeat", "day off", "At a set time", "Sat 6"):
        assert not said(english, agenda), english


def test_a_shortened_history_says_what_it_leaves_out_in_spanish(demo: None, run: Run) -> None:
    for i in range(30):
        ok(run("log", "1", f"Nota número {i}"))
    text = drawn(("show", "1"), 80)
    assert_fits(text, 80)
    line = next(line for line in text.splitlines() if line.startswith("…"))
    assert re.fullmatch(r"… no se muestran \d+ entradas más antiguas: dossier .*show 1 --all", line)
    assert "not shown" not in text and "older entries" not in text
