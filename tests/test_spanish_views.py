"""The plain views in Spanish (``--lang es``, piped): today, show, folder, tab, agenda and
list say their headings, columns, days and counts in Spanish, and their JSON is the same
bytes in both languages (a contract scripts read)."""

from __future__ import annotations

import re

import pytest

from conftest import Run, ok

# Words these views printed in English (their own words, not the user's text nor the
# vocabulary ids a user types: stages, kinds, outcomes).
ENGLISH = {
    view: words.split("|")
    for view, words in {
        "today": "Fri|OVERDUE|TODAY|THIS MONTH|NO DAY YET|NAME|COMPANY|PHONE|FOR|LAST CONTACT|"
        "WAS DUE|TIME|TYPE|days late|day late|in all|overdue|repeat|new|at a set time|"
        "this month without a day|No next step|active client|filed nowhere|File with",
        "show": "Company|Position|Phone|Email|Stage|Tags|Filed|For|Created|Updated|History|"
        "newest first|No history yet",
        "folder": "The binder|day tabs|capacity|a day|full bar|TAB|DAY|COUNT|LOAD|NOTE|today|"
        "MONTH TAB|WITH A DAY|NO DAY YET|July|August|Overdue|Not filed|no next step|day off|"
        "Fri|Mon|overdue",
        "tab": "MON|of 30|TIME|TYPE|NAME|STAGE|FILED|repeat|new|at",
        "agenda": "DAY|COUNT|REPEAT|NEW|CAPACITY|AT A SET TIME|day off|Fri|Sat",
        "list": "NAME|COMPANY|STAGE|TAGS|FILED|FOR|LAST CONTACT|not filed",
    }.items()
}


@pytest.fixture
def clients(run: Run, monkeypatch: pytest.MonkeyPatch) -> None:
    """Five dossiers, added through the CLI: one left behind an earlier tab (added on 1
    July for the 2nd), a new one today at a set time, one behind the July tab, a repeat
    one on Monday the 8th and one filed nowhere."""
    monkeypatch.setenv("DOSSIER_TODAY", "2024-07-01")
    ok(run("add", "Ana Ruiz", "--company", "Ferretería Sur", "--phone", "+34 600 111 222",
           "--on", "2024-07-02"))  # fmt: skip
    monkeypatch.setenv("DOSSIER_TODAY", "2024-07-05")
    ok(run("add", "Bruno Díaz", "--company", "Acme", "--on", "2024-07-05", "--at", "10:00"))
    ok(run("add", "Carla Gómez", "--on", "2024-07"))
    ok(run("add", "Darío Vega", "--tag", "vip", "--on", "2024-07-08"))
    ok(run("log", "Darío Vega", "Llamó para pedir precios", "--kind", "call"))
    ok(run("add", "Eva Sol"))


def spanish(run: Run, *args: str) -> str:
    return ok(run("--lang", "es", *args))


def assert_no_english(text: str, view: str) -> None:
    for word in ENGLISH[view]:
        assert not re.search(rf"\b{re.escape(word)}\b", text), (word, text)


def test_today_in_spanish(run: Run, clients: None) -> None:
    text = spanish(run, "today")
    assert text.startswith("vie 5 jul 2024 · pestaña 5 — 3 en total: 1 atrasado · ")
    assert "1 hoy (0 repetidos, 1 nuevo, 1 con hora fija) · 1 de este mes sin día" in text
    assert "ATRASADOS (1)" in text
    assert "2024-07-02 (3 días de retraso)" in text
    assert "HOY (1: 0 repetidos, 1 nuevo)" in text
    assert "ESTE MES, AÚN SIN DÍA (1)" in text
    assert "Sin próximo paso: 1 cliente activo no está archivado en ninguna parte" in text
    head = next(line for line in text.splitlines() if line.startswith("ID ") and "HORA" in line)
    assert head.split() == ["ID", "HORA", "TIPO", "NOMBRE", "EMPRESA", "TELÉFONO", "MOTIVO",
                            "ÚLTIMO", "CONTACTO"]  # fmt: skip
    assert_no_english(text, "today")


def test_the_columns_stay_aligned_in_spanish(run: Run, clients: None) -> None:
    text = spanish(run, "today")
    lines = text.splitlines()
    start = lines.index("ATRASADOS (1)") + 1
    head, row = lines[start], lines[start + 1]
    # every column starts where its header starts, with the wider Spanish headers
    for header in ("NOMBRE", "EMPRESA", "TELÉFONO", "VENCÍA", "ÚLTIMO CONTACTO"):
        column = head.index(header)
        assert row[column - 2 : column] == "  " and row[column] != " ", (header, head, row)


def test_today_filtered_and_a_day_off_in_spanish(run: Run, clients: None) -> None:
    text = spanish(run, "today", "--tag", "vip")
    assert "(filtro: etiqueta vip)" in text.splitlines()[0]
    text = spanish(run, "today", "--date", "2024-07-06")
    assert text.startswith("sáb 6 jul 2024 · pestaña 6")
    assert "sáb 6 jul 2024 es día libre: " in text
    assert "Próximo día laborable: lun 8 jul 2024 (1 expediente)." in text
    assert "Nada tras la pestaña de hoy (sáb 6 jul 2024)." in text


def test_show_in_spanish(run: Run, clients: None) -> None:
    text = spanish(run, "show", "Ana Ruiz")
    for label in ("Empresa", "Cargo", "Teléfono", "Correo", "Etapa", "Etiquetas", "Archivado",
                  "Motivo", "Creado", "Actualizado"):  # fmt: skip
        assert re.search(rf"^  {label} +", text, re.MULTILINE), label
    assert "Aún sin historial." in text
    assert "Historial (1, lo más reciente primero)" in spanish(run, "show", "Darío Vega")
    assert "sin archivar" in spanish(run, "show", "Eva Sol")
    assert_no_english(text, "show")


def test_folder_in_spanish(run: Run, clients: None) -> None:
    text = spanish(run, "folder")
    assert text.startswith("El archivador el vie 5 jul 2024: 31 pestañas de día, capacidad 30")
    assert re.search(r"^5 +vie 5 jul 2024 +2 +## +hoy, incl\. 1 atrasado$", text, re.MULTILINE)
    assert re.search(r"^6 +sáb 6 jul 2024 +0 +día libre: ", text, re.MULTILINE)
    assert "PESTAÑA DE MES" in text and "julio 2024" in text and "agosto 2024" in text
    assert "Atrasados: 1   Sin archivar (sin próximo paso): 1" in text
    assert_no_english(text, "folder")


def test_tab_in_spanish(run: Run, clients: None) -> None:
    text = spanish(run, "tab", "8")
    assert "LUN 8 JUL 2024 — 1 de 30" in text
    assert re.search(r"^ +repetido +#4 +Darío Vega", text, re.MULTILINE)
    assert_no_english(text, "tab")
    text = spanish(run, "tab", "july")
    assert "AÚN SIN DÍA (1)" in text and "VIE 5 JUL 2024 — 1 de 30" in text
    assert re.search(r"^10:00 +nuevo +#2 +Bruno Díaz", text, re.MULTILINE)
    assert "Nada archivado aquí." in spanish(run, "tab", "17")


def test_agenda_in_spanish(run: Run, clients: None) -> None:
    text = spanish(run, "agenda")
    assert text.splitlines()[0].split() == ["DÍA", "CANTIDAD", "REPETIDOS", "NUEVOS",
                                            "CAPACIDAD", "CON", "HORA", "FIJA"]  # fmt: skip
    assert re.search(r"^vie 5 jul 2024 +2 +0 +2 +2/30 +10:00 Bruno Díaz$", text, re.MULTILINE)
    assert re.search(r"^sáb 6 jul 2024 +0 +0 +0 +día libre$", text, re.MULTILINE)
    assert_no_english(text, "agenda")
    text = spanish(run, "agenda", "--tag", "vip")
    assert text.startswith("Agenda (filtro: etiqueta vip): los recuentos son solo de estos")
    assert re.search(r"^lun 8 jul 2024 +1 +1 +0 +1 de 1/30$", text, re.MULTILINE)


def test_list_in_spanish(run: Run, clients: None) -> None:
    text = spanish(run, "list")
    assert text.splitlines()[0].split()[:6] == ["ID", "NOMBRE", "EMPRESA", "ETAPA",
                                                "ETIQUETAS", "ARCHIVADO"]  # fmt: skip
    assert re.search(r"^#5 +Eva Sol +lead +sin archivar", text, re.MULTILINE)
    assert "vie 5 jul 2024 (" in text and " a las 10:00" in text
    assert_no_english(text, "list")
    assert spanish(run, "list", "--tag", "vip").startswith("1 cliente (filtro: etiqueta vip)\n")
    assert spanish(run, "list", "--tag", "nadie") == (
        "Ningún cliente coincide (filtro: etiqueta nadie).\n"
    )


@pytest.mark.parametrize(
    "args",
    [
        ("today",),
        ("today", "--date", "2024-07-06"),
        ("today", "--tag", "vip"),
        ("show", "Darío Vega"),
        ("folder",),
        ("tab", "8"),
        ("tab", "july"),
        ("agenda",),
        ("agenda", "--tag", "vip"),
        ("list",),
        ("find", "precios"),
        ("config",),
    ],
)
def test_json_is_the_same_in_both_languages(run: Run, clients: None, args: tuple[str, ...]) -> None:
    english = ok(run(*args, "--json"))
    assert ok(run("--lang", "es", *args, "--json")) == english
    assert ok(run("--lang", "en", *args, "--json")) == english
