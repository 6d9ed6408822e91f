"""The domain's refusals and notices in Spanish: each is an id with values, so the Spanish
catalogue writes the sentence, days and months in Spanish, and the English stays as it was
(``str`` of the same error)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from dossier import i18n
from dossier.app import config
from dossier.app.holidays import CachedHolidays
from dossier.domain import validate
from dossier.domain.dates import Day, MonthTab, parse_past_day, parse_time, parse_when
from dossier.domain.errors import DossierError
from dossier.domain.folder import describe, placement_for
from dossier.domain.messages import Message, note
from dossier.domain.records import STAGES, Placement, choice
from dossier.domain.workdays import DayOff, FixedHolidays, WorkCalendar
from dossier.ui.words import words

FRI = date(2024, 7, 5)


@pytest.fixture(autouse=True)
def in_spanish() -> Iterator[None]:
    i18n.use("es")
    yield
    i18n.use("en")


def refusal(call: Callable[..., Any], *args: Any, **kwargs: Any) -> tuple[str, str]:
    """The Spanish and the English words of the error ``call`` raises."""
    with pytest.raises(DossierError) as refused:
        call(*args, **kwargs)
    return words(refused.value), str(refused.value)


@pytest.mark.parametrize(
    ("text", "spanish", "english"),
    [
        (
            "blah",
            "no se puede leer 'blah' como fecha; use una de estas formas: 2024-07-05, "
            "5/7/2024, 13 (pestaña del día), 5 de julio,",
            "cannot read 'blah' as a date; use one of: 2024-07-05, 5/7/2024, 13 (pestaña del "
            "día), 5 de julio,",
        ),
        (
            "mar",
            "'mar' puede ser martes o marzo; escriba la palabra completa",
            "'mar' could be martes (Tuesday) or marzo (March); type the whole word",
        ),
        (
            "5 mar",
            "'5 mar': 'mar' puede ser martes o marzo; escriba la palabra completa",
            "'5 mar': 'mar' could be martes (Tuesday) or marzo (March); type the whole word",
        ),
        (
            "lun 5 jul 2024",
            "'lun 5 jul 2024': el 5 de julio de 2024 es viernes, no lunes; corrija el día de "
            "la semana u omítalo",
            "'lun 5 jul 2024': 5 July 2024 is a Friday, not a Monday; correct the weekday",
        ),
        ("31 de febrero", "febrero no tiene día 31", "February has no day 31"),
        (
            "29 de febrero de 2025",
            "'29 de febrero de 2025' no es una fecha: febrero 2025 tiene 28 días",
            "'29 de febrero de 2025' is not a date: February 2025 has 28 days",
        ),
        (
            "5/13/2024",
            "'5/13/2024' no es una fecha: no existe el mes 13 (el día va primero: 5/7/2024 es "
            "el 5 de julio de 2024)",
            "'5/13/2024' is not a date: there is no month 13 (the day comes first",
        ),
        (
            "5/7/24",
            "no se puede leer '5/7/24': escriba el año con sus cuatro cifras, p. ej., 5/7/2024",
            "cannot read '5/7/24': write the year with its four digits, e.g. 5/7/2024",
        ),
        ("32", "no existe la pestaña 32", "there is no tab 32"),
        (
            "junio de 2024",
            "'junio de 2024' es la pestaña de junio 2024, anterior a hoy (2024-07-05); use una "
            "fecha a partir del 2024-07-05",
            "'junio de 2024' is the June 2024 tab, before today (2024-07-05); use a date",
        ),
        (
            "2024-07-04",
            "2024-07-04 es anterior a hoy (2024-07-05)",
            "2024-07-04 is before today (2024-07-05)",
        ),
    ],
)
def test_a_date_refused_is_said_in_spanish_and_the_english_is_kept(
    text: str, spanish: str, english: str
) -> None:
    said, english_words = refusal(parse_when, text, FRI, lang="es")
    assert said.startswith(spanish), said
    assert english_words.startswith(english), english_words


def test_past_the_last_day_names_what_was_asked_in_spanish() -> None:
    said, _ = refusal(parse_when, "29 feb", date(9999, 3, 1), lang="es")
    assert said == "'29 feb' queda después del último día que dossier puede archivar, 9999-12-31"
    said, _ = refusal(WorkCalendar(workdays=frozenset({0})).next_working, date.max)
    assert said.startswith("ningún día laborable desde el vie 31 dic 9999: el siguiente queda")


@pytest.mark.parametrize(
    ("text", "spanish"),
    [
        ("mañana", "'mañana' es 2024-07-06: una entrada del historial no puede estar en el futuro"),
        ("julio", "'julio' es un mes, no un día: una entrada del historial necesita un día"),
        ("hace 3", "no se puede leer 'hace 3' como día; use una de estas formas: hoy, ayer,"),
        ("32", "ningún mes tiene día 32: los días van del 1 al 31"),
    ],
)
def test_a_past_day_refused_is_said_in_spanish(text: str, spanish: str) -> None:
    said, _ = refusal(parse_past_day, text, FRI, lang="es")
    assert said.startswith(spanish), said


def test_a_time_refused_is_said_in_spanish() -> None:
    said, english = refusal(parse_time, "25:00")
    assert said == "no se puede leer '25:00' como hora; use HH:MM, p. ej., 09:30 o 14:00"
    assert english == "cannot read '25:00' as a time; use HH:MM, e.g. 09:30 or 14:00"


@pytest.mark.parametrize(
    ("day", "rolls", "spanish"),
    [
        (
            date(2024, 7, 6),
            True,
            "sáb 6 jul 2024 es sábado, día no laborable: pasa al siguiente día laborable, "
            "mié 10 jul 2024",
        ),
        (
            date(2024, 10, 12),
            False,
            "Nota: sáb 12 oct 2024 es festivo (Fiesta Nacional de España); queda así",
        ),
        (
            date(2024, 7, 8),
            True,
            "lun 8 jul 2024 es su día libre (dentista): pasa al siguiente día laborable, "
            "mié 10 jul 2024",
        ),
        (date(2024, 7, 9), False, "Nota: mar 9 jul 2024 es su día libre; queda así"),
    ],
)
def test_why_a_day_is_off_is_said_in_spanish(day: date, rolls: bool, spanish: str) -> None:
    calendar = WorkCalendar(
        holidays=FixedHolidays({date(2024, 10, 12): "Fiesta Nacional de España"}),
        days_off=(
            DayOff(1, date(2024, 7, 8), date(2024, 7, 8), "dentista"),
            DayOff(2, date(2024, 7, 9), date(2024, 7, 9), None),
        ),
    )
    kept = Message("queda así")  # a message no catalogue has: said as it is
    _, notice = calendar.settle(day, rolls, kept)
    assert notice is not None
    assert words(notice) == spanish


def test_where_a_dossier_sits_is_said_in_spanish() -> None:
    assert words(describe(None)) == "en ningún sitio (sin próximo paso)"
    assert words(describe(Placement(FRI, None, None, None))) == "vie 5 jul 2024 (pestaña 5)"
    assert words(describe(Placement(None, "2024-07", None, None))) == "la pestaña de julio 2024"
    said, _ = refusal(placement_for, MonthTab(2024, 7), "09:00", None)
    assert said.startswith("--at necesita un día, pero la pestaña de julio 2024 aún no")
    assert placement_for(Day(FRI), "09:00", None).at == "09:00"


def test_a_flag_value_refused_is_said_in_spanish() -> None:
    said, english = refusal(choice, "boss", STAGES, "--stage")
    assert (
        said
        == "--stage 'boss' no es ninguno de estos: lead, prospect, negotiation, client, dormant"
    )
    assert english == "--stage 'boss' is not one of: lead, prospect, negotiation, client, dormant"


def test_an_import_refused_lists_its_problems_in_spanish() -> None:
    clients: list[Any] = [{"name": f"Bad {i}", "filed": {"month": "banana"}} for i in range(1, 5)]
    clients.append({"name": "A", "history": [3]})
    said, english = refusal(validate.cards, clients, "f.json")
    assert said == (
        "f.json: no se importó nada, 5 problemas: cliente 1 ('Bad 1'): filed.month 'banana' "
        "no es un mes (use AAAA-MM); cliente 2 ('Bad 2'): filed.month 'banana' no es un mes "
        "(use AAAA-MM); cliente 3 ('Bad 3'): filed.month 'banana' no es un mes (use AAAA-MM); …"
    )
    assert english.startswith("f.json: nothing was imported, 5 problems: client 1 ('Bad 1'):")
    said, english = refusal(validate.cards, [None, {"name": "A", "history": [3]}], "f.json")
    assert said == (
        "f.json: no se importó nada, 2 problemas: cliente 1: debe ser un objeto de cliente, "
        "no null; cliente 2 ('A'): history #1 debe ser un objeto, no un número"
    )
    assert english == (
        "f.json: nothing was imported, 2 problems: client 1: must be a client object, not null; "
        "client 2 ('A'): history #1 must be an object, not a number"
    )
    said, _ = refusal(validate.cards, [{"name": "A", "history": [{"kind": "call"}]}], "f.json")
    assert said == (
        "f.json: no se importó nada, 1 problema: cliente 1 ('A'): history #1.at debe ser "
        "texto, no null"
    )


def test_a_setting_refused_is_said_in_spanish(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "config.toml"
    monkeypatch.setenv("DOSSIER_CONFIG", str(path))
    said, _ = refusal(config.set_value, "capacity", "muchos")
    assert said == "capacity debe ser un número entero de expedientes, no 'muchos'"
    said, _ = refusal(config.set_value, "subdivision", "MD")
    assert said == "fije un país antes que una subdivisión: dossier config set country ES"
    path.write_text("capacity = 0\n", encoding="utf-8")
    said, english = refusal(config.load)
    assert said == (
        f"{path}: capacity debe ser un número entero del 1 al 10000, no 0; corríjalo con "
        "'dossier config set capacity …'"
    )
    assert english == (
        f"{path}: capacity must be a whole number from 1 to 10000, not 0; fix it with "
        "'dossier config set capacity …'"
    )


def test_a_holiday_is_named_in_spanish_under_spanish(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from dossier.app.calendars import calendar_for
    from dossier.domain.settings import Settings

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))

    class NoDaysOff:
        def days_off(self, since: date) -> list[Any]:
            return []

    settings = Settings(
        capacity=30,
        workdays=frozenset(range(5)),
        country="ES",
        subdivision=None,
        sources={},
        path="",
        file_exists=False,
        lang=None,
    )
    spanish = calendar_for(NoDaysOff(), settings, FRI, "es")  # type: ignore[arg-type]
    reason = spanish.why_off(date(2024, 10, 12))
    assert reason is not None and words(reason) == "festivo (Fiesta Nacional de España)"
    english = calendar_for(NoDaysOff(), settings, FRI)  # type: ignore[arg-type]
    assert str(english.why_off(date(2024, 10, 12))) == "a public holiday (National Day)"
    assert CachedHolidays("ES", None, tmp_path, lang="es").get(date(2024, 10, 12)) == (
        "Fiesta Nacional de España"
    )
    assert words(note("{day}", day=date(2024, 10, 12))) == "sáb 12 oct 2024"


@pytest.mark.parametrize(
    ("lang", "template", "count", "said"),
    [
        ("en", "{count:,} new", 30000, "30,000 new"),
        ("es", "nuevos: {count:,}", 30000, "nuevos: 30.000"),
        ("es", "nuevos: {count:,}", 999, "nuevos: 999"),
        ("es", "{count} clientes", 30000, "30000 clientes"),  # no grouping asked: none
        ("es", "{count:>6}|", 42, "    42|"),  # other specs as Python writes them
    ],
)
def test_grouped_numbers_are_written_as_the_language_groups_them(
    lang: str, template: str, count: int, said: str
) -> None:
    from dossier.domain.messages import fill

    assert fill(template, {"count": count}, lang) == said
