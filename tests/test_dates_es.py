"""Tests for dossier.dates in Spanish (lang="es"), and for the two languages together.

"today" is always passed in. 2024-07-05 is a Friday, 2024-12-30 a Monday two days
before the new year, 2024-02-28 a Wednesday the day before a leap day, 2025-01-01 a
Wednesday.
"""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from dossier.domain.dates import (
    ENGLISH,
    LEXICONS,
    SPANISH,
    Day,
    MonthTab,
    PastTheEnd,
    Target,
    each_day,
    format_day,
    format_long_day,
    format_month,
    lexicon,
    parse_past_day,
    parse_when,
)
from dossier.domain.errors import DateError, UsageError

FRI = date(2024, 7, 5)
SAT = date(2024, 7, 6)
SUN = date(2024, 7, 7)
MON = date(2024, 7, 8)
NYE_EVE = date(2024, 12, 30)
FEB_28 = date(2024, 2, 28)
NEW_YEAR = date(2025, 1, 1)
MAR_1 = date(2025, 3, 1)
LAST = date.max


def es(text: str, today: date, allow_past: bool = False) -> Target:
    return parse_when(text, today, allow_past, lang="es")


def es_past(text: str, today: date) -> date:
    return parse_past_day(text, today, lang="es")


# --------------------------------------------------------------------------- writing


@pytest.mark.parametrize(
    ("day", "short", "long"),
    [
        (date(2024, 7, 1), "lun 1 jul 2024", "lunes 1 de julio de 2024"),
        (date(2024, 7, 2), "mar 2 jul 2024", "martes 2 de julio de 2024"),
        (date(2024, 7, 3), "mié 3 jul 2024", "miércoles 3 de julio de 2024"),
        (date(2024, 7, 4), "jue 4 jul 2024", "jueves 4 de julio de 2024"),
        (date(2024, 7, 5), "vie 5 jul 2024", "viernes 5 de julio de 2024"),
        (date(2024, 7, 6), "sáb 6 jul 2024", "sábado 6 de julio de 2024"),
        (date(2024, 7, 7), "dom 7 jul 2024", "domingo 7 de julio de 2024"),
        (date(2025, 1, 1), "mié 1 ene 2025", "miércoles 1 de enero de 2025"),
        (date(2024, 2, 29), "jue 29 feb 2024", "jueves 29 de febrero de 2024"),
        (date(2024, 3, 5), "mar 5 mar 2024", "martes 5 de marzo de 2024"),
        (date(2024, 4, 30), "mar 30 abr 2024", "martes 30 de abril de 2024"),
        (date(2024, 5, 1), "mié 1 may 2024", "miércoles 1 de mayo de 2024"),
        (date(2024, 6, 15), "sáb 15 jun 2024", "sábado 15 de junio de 2024"),
        (date(2024, 8, 31), "sáb 31 ago 2024", "sábado 31 de agosto de 2024"),
        (date(2024, 9, 9), "lun 9 sep 2024", "lunes 9 de septiembre de 2024"),
        (date(2024, 10, 12), "sáb 12 oct 2024", "sábado 12 de octubre de 2024"),
        (date(2024, 11, 20), "mié 20 nov 2024", "miércoles 20 de noviembre de 2024"),
        (date(2024, 12, 25), "mié 25 dic 2024", "miércoles 25 de diciembre de 2024"),
    ],
)
def test_spanish_days_are_written_as_spanish_writes_them(day: date, short: str, long: str) -> None:
    assert format_day(day, lang="es") == short
    assert format_long_day(day, lang="es") == long


@pytest.mark.parametrize(
    ("day", "short", "long"),
    [
        (date(2024, 7, 5), "Fri 5 Jul 2024", "Friday 5 July 2024"),
        (date(2024, 3, 5), "Tue 5 Mar 2024", "Tuesday 5 March 2024"),
        (date(2025, 1, 1), "Wed 1 Jan 2025", "Wednesday 1 January 2025"),
    ],
)
def test_english_stays_the_default(day: date, short: str, long: str) -> None:
    assert format_day(day) == format_day(day, lang="en") == short
    assert format_long_day(day) == format_long_day(day, lang="en") == long


def test_month_tabs_are_labelled_in_either_language() -> None:
    spanish = [format_month(2024, month, lang="es") for month in range(1, 13)]
    assert spanish == [
        "enero 2024", "febrero 2024", "marzo 2024", "abril 2024", "mayo 2024",
        "junio 2024", "julio 2024", "agosto 2024", "septiembre 2024", "octubre 2024",
        "noviembre 2024", "diciembre 2024",
    ]  # fmt: skip
    assert format_month(2024, 7) == format_month(2024, 7, lang="en") == "July 2024"


def test_each_lexicon_has_twelve_months_and_seven_weekdays() -> None:
    assert set(LEXICONS) == {"en", "es"}
    for code, words in LEXICONS.items():
        assert words.code == code
        assert len(words.months) == len(words.month_abbrs) == 12
        assert len(words.weekdays) == len(words.weekday_abbrs) == 7
    assert SPANISH.weekday_abbrs == ("lun", "mar", "mié", "jue", "vie", "sáb", "dom")
    assert ENGLISH.months[0] == "January" and SPANISH.months[8] == "septiembre"
    assert lexicon("es") is SPANISH


def test_a_lexicon_cannot_be_changed() -> None:
    with pytest.raises(AttributeError):
        SPANISH.months = ENGLISH.months  # type: ignore[misc]


@pytest.mark.parametrize("lang", ["pt", "", "EN", "es_ES"])
def test_an_unknown_language_is_a_usage_error(lang: str) -> None:
    with pytest.raises(UsageError, match="use one of: en, es") as refused:
        format_day(FRI, lang=lang)
    assert refused.value.exit_code == 2
    with pytest.raises(UsageError, match="use one of: en, es"):
        parse_when("hoy", FRI, lang=lang)
    with pytest.raises(UsageError, match="use one of: en, es"):
        parse_past_day("ayer", FRI, lang=lang)


# --------------------------------------------------------------------------- parse_when

ACCEPTED = [
    # hoy, mañana, pasado mañana: hoy is exact, the others roll.
    ("hoy", FRI, Day(FRI, rolls=False)),
    ("HOY", NYE_EVE, Day(NYE_EVE, rolls=False)),
    ("mañana", FRI, Day(SAT)),
    ("manana", FRI, Day(SAT)),
    ("Mañana", FEB_28, Day(date(2024, 2, 29))),
    ("MAÑANA", NYE_EVE, Day(date(2024, 12, 31))),
    ("pasado mañana", FRI, Day(SUN)),
    ("pasado  manana", FEB_28, Day(date(2024, 3, 1))),
    ("pasado mañana", NYE_EVE, Day(NEW_YEAR)),
    # Weekdays: the next one strictly after today (today is a Friday).
    ("lunes", FRI, Day(MON)),
    ("lun", FRI, Day(MON)),
    ("martes", FRI, Day(date(2024, 7, 9))),
    ("miércoles", FRI, Day(date(2024, 7, 10))),
    ("miercoles", FRI, Day(date(2024, 7, 10))),
    ("Miércoles", FRI, Day(date(2024, 7, 10))),
    ("mié", FRI, Day(date(2024, 7, 10))),
    ("mie", FRI, Day(date(2024, 7, 10))),
    ("jueves", FRI, Day(date(2024, 7, 11))),
    ("jue", FRI, Day(date(2024, 7, 11))),
    ("viernes", FRI, Day(date(2024, 7, 12))),  # on a Friday: a week on
    ("vie", FRI, Day(date(2024, 7, 12))),
    ("sábado", FRI, Day(SAT)),
    ("Sábado", FRI, Day(SAT)),
    ("sabado", FRI, Day(SAT)),
    ("sáb", FRI, Day(SAT)),
    ("domingo", FRI, Day(SUN)),
    ("dom", FRI, Day(SUN)),
    ("lunes", NYE_EVE, Day(date(2025, 1, 6))),  # on a Monday: a week on, next year
    ("miércoles", NYE_EVE, Day(NEW_YEAR)),
    ("jueves", FEB_28, Day(date(2024, 2, 29))),
    # "the next Monday", however it is put: the same day as "lunes".
    ("el lunes", FRI, Day(MON)),
    ("el próximo lunes", FRI, Day(MON)),
    ("el proximo lunes", FRI, Day(MON)),
    ("próximo lunes", FRI, Day(MON)),
    ("lunes que viene", FRI, Day(MON)),
    ("el lunes que viene", FRI, Day(MON)),
    ("El Próximo Lunes", FRI, Day(MON)),
    ("el próximo viernes", FRI, Day(date(2024, 7, 12))),
    ("el martes que viene", NYE_EVE, Day(date(2024, 12, 31))),
    ("el próximo lunes", NYE_EVE, Day(date(2025, 1, 6))),
    # Day and month: the next such day on or after today; with a year, exact.
    ("5 de julio", FRI, Day(FRI)),
    ("5 julio", FRI, Day(FRI)),
    ("el 5 de julio", FRI, Day(FRI)),
    ("6 de julio", FRI, Day(SAT)),
    ("4 de julio", FRI, Day(date(2025, 7, 4))),  # passed this year: next year
    ("1 de agosto", FRI, Day(date(2024, 8, 1))),
    ("5 de sept", FRI, Day(date(2024, 9, 5))),
    ("5 de setiembre", FRI, Day(date(2024, 9, 5))),
    ("5 ago", FRI, Day(date(2024, 8, 5))),
    ("2 de enero", NYE_EVE, Day(date(2025, 1, 2))),
    ("31 de diciembre", NYE_EVE, Day(date(2024, 12, 31))),
    ("29 de febrero", FEB_28, Day(date(2024, 2, 29))),
    ("29 de febrero", MAR_1, Day(date(2028, 2, 29))),  # waits for a leap year
    ("5 de julio de 2025", FRI, Day(date(2025, 7, 5), rolls=False)),
    ("5 julio 2025", FRI, Day(date(2025, 7, 5), rolls=False)),
    ("5 de julio de 2024", FRI, Day(FRI, rolls=False)),
    ("1 de enero de 2025", NYE_EVE, Day(NEW_YEAR, rolls=False)),
    # Month tabs.
    ("julio", FRI, MonthTab(2024, 7)),  # the current month counts as itself
    ("Julio", FRI, MonthTab(2024, 7)),
    ("agosto", FRI, MonthTab(2024, 8)),
    ("junio", FRI, MonthTab(2025, 6)),  # passed: next year's
    ("marzo", FRI, MonthTab(2025, 3)),
    ("enero", NYE_EVE, MonthTab(2025, 1)),
    ("diciembre", NYE_EVE, MonthTab(2024, 12)),
    ("julio 2025", FRI, MonthTab(2025, 7)),
    ("julio de 2025", FRI, MonthTab(2025, 7)),
    ("2024-07", FRI, MonthTab(2024, 7)),
    # Counting ahead: days, weeks, calendar months and years, in figures or words.
    ("+3d", FRI, Day(MON)),
    ("+3 días", FRI, Day(MON)),
    ("+3 dias", FRI, Day(MON)),
    ("+1 día", FRI, Day(SAT)),
    ("+2 semanas", FRI, Day(date(2024, 7, 19))),
    ("+1 semana", NYE_EVE, Day(date(2025, 1, 6))),
    ("+1 mes", FRI, Day(date(2024, 8, 5))),
    ("+1 mes", date(2024, 1, 31), Day(date(2024, 2, 29))),  # calendar months
    ("+2 meses", FRI, Day(date(2024, 9, 5))),
    ("+1 año", FRI, Day(date(2025, 7, 5))),
    ("+1 año", date(2024, 2, 29), Day(date(2025, 2, 28))),
    ("+2 años", FRI, Day(date(2026, 7, 5))),
    ("en 2 semanas", FRI, Day(date(2024, 7, 19))),
    ("en 3 días", FRI, Day(MON)),
    ("en 3 días", NYE_EVE, Day(date(2025, 1, 2))),
    ("dentro de 3 días", FRI, Day(MON)),
    ("dentro de 2 semanas", FRI, Day(date(2024, 7, 19))),
    ("dentro de 1 mes", FRI, Day(date(2024, 8, 5))),
    ("dentro de 1 mes", date(2024, 3, 31), Day(date(2024, 4, 30))),
    ("en 1 año", FRI, Day(date(2025, 7, 5))),
    # Next week (its Monday) and next month (its tab).
    ("la semana que viene", FRI, Day(MON)),
    ("la próxima semana", FRI, Day(MON)),
    ("la proxima semana", SUN, Day(MON)),  # Sunday: tomorrow
    ("semana que viene", MON, Day(date(2024, 7, 15))),  # Monday: a week on
    ("la semana que viene", NYE_EVE, Day(date(2025, 1, 6))),
    ("el mes que viene", FRI, MonthTab(2024, 8)),
    ("el próximo mes", FRI, MonthTab(2024, 8)),
    ("el mes que viene", NYE_EVE, MonthTab(2025, 1)),
    ("el próximo mes", date(2024, 1, 31), MonthTab(2024, 2)),
    # Day first: 5/7 is 5 July; without a year, the next 5 July on or after today.
    ("5/7/2024", FRI, Day(FRI, rolls=False)),
    ("05/07/2024", FRI, Day(FRI, rolls=False)),
    ("12/7/2024", FRI, Day(date(2024, 7, 12), rolls=False)),
    ("1/1/2025", NYE_EVE, Day(NEW_YEAR, rolls=False)),
    ("5/7", FRI, Day(FRI)),
    ("6/7", FRI, Day(SAT)),
    ("4/7", FRI, Day(date(2025, 7, 4))),
    ("2/1", NYE_EVE, Day(date(2025, 1, 2))),
    ("29/2", FEB_28, Day(date(2024, 2, 29))),
    ("29/2", MAR_1, Day(date(2028, 2, 29))),
    # Tabs and ISO, as in English.
    ("13", FRI, Day(date(2024, 7, 13))),
    ("el 13", FRI, Day(date(2024, 7, 13))),
    ("3", FRI, Day(date(2024, 8, 3))),
    ("2", NYE_EVE, Day(date(2025, 1, 2))),
    ("2024-07-05", FRI, Day(FRI, rolls=False)),
    ("2025-01-01", NYE_EVE, Day(NEW_YEAR, rolls=False)),
    # The written forms read back, with the weekday checked against the date.
    ("vie 5 jul 2024", FRI, Day(FRI, rolls=False)),
    ("viernes 5 de julio de 2024", FRI, Day(FRI, rolls=False)),
    ("Viernes 5 De Julio De 2024", FRI, Day(FRI, rolls=False)),
    ("vie. 5 jul. 2024", FRI, Day(FRI, rolls=False)),
    ("mar 9 jul 2024", FRI, Day(date(2024, 7, 9), rolls=False)),
    ("mar 4 mar 2025", FRI, Day(date(2025, 3, 4), rolls=False)),  # martes, marzo
    ("mié 5 mar 2025", FRI, Day(date(2025, 3, 5), rolls=False)),
    ("martes 4 de marzo de 2025", FRI, Day(date(2025, 3, 4), rolls=False)),
    ("sáb 6 jul", FRI, Day(SAT)),
    ("el viernes 12 de julio", FRI, Day(date(2024, 7, 12))),
    # English keeps working under Spanish.
    ("today", FRI, Day(FRI, rolls=False)),
    ("tomorrow", FRI, Day(SAT)),
    ("monday", FRI, Day(MON)),
    ("next week", FRI, Day(MON)),
    ("next month", FRI, MonthTab(2024, 8)),
    ("jul 6", FRI, Day(SAT)),
    ("sept 9", FRI, Day(date(2024, 9, 9))),
    ("+2w", FRI, Day(date(2024, 7, 19))),
    ("Fri 5 Jul 2024", FRI, Day(FRI, rolls=False)),
    ("Friday 5 July 2024", FRI, Day(FRI, rolls=False)),
    ("Tue 5 Mar 2024", date(2024, 1, 1), Day(date(2024, 3, 5), rolls=False)),
    ("july 2025", FRI, MonthTab(2025, 7)),
]


@pytest.mark.parametrize(("text", "today", "expected"), ACCEPTED)
def test_parse_when_accepts_spanish(text: str, today: date, expected: Target) -> None:
    assert es(text, today) == expected


# Spanish words read under English where they mean nothing in English.
SPANISH_UNDER_ENGLISH = [
    ("mañana", FRI, Day(SAT)),
    ("pasado mañana", FRI, Day(SUN)),
    ("el próximo lunes", FRI, Day(MON)),
    ("sábado", FRI, Day(SAT)),
    ("5 de julio", FRI, Day(FRI)),
    ("5 de julio de 2025", FRI, Day(date(2025, 7, 5), rolls=False)),
    ("julio de 2025", FRI, MonthTab(2025, 7)),
    ("5 ago", FRI, Day(date(2024, 8, 5))),
    ("en 3 días", FRI, Day(MON)),
    ("+2 semanas", FRI, Day(date(2024, 7, 19))),
    ("la semana que viene", FRI, Day(MON)),
    ("el mes que viene", FRI, MonthTab(2024, 8)),
    ("vie 5 jul 2024", FRI, Day(FRI, rolls=False)),
    ("viernes 5 de julio de 2024", FRI, Day(FRI, rolls=False)),
    ("julio 2024", FRI, MonthTab(2024, 7)),
    # "mar" is an English word: March, as it always was.
    ("mar", FRI, MonthTab(2025, 3)),
    ("mar 5", FRI, Day(date(2025, 3, 5))),
    ("5 mar", FRI, Day(date(2025, 3, 5))),
    # English reads counts in words too.
    ("in 3 days", FRI, Day(MON)),
    ("+2 weeks", FRI, Day(date(2024, 7, 19))),
    ("+1 month", date(2024, 1, 31), Day(date(2024, 2, 29))),
]


@pytest.mark.parametrize(("text", "today", "expected"), SPANISH_UNDER_ENGLISH)
def test_parse_when_reads_unambiguous_spanish_under_english(
    text: str, today: date, expected: Target
) -> None:
    assert parse_when(text, today) == expected
    assert parse_when(text, today, lang="en") == expected


@pytest.mark.parametrize(
    "text",
    ["mar", "MAR", "Mar.", "5 mar", "mar 5", "5 de mar", "mar 2025", "el mar", "próximo mar"],
)
def test_mar_is_refused_as_ambiguous_under_spanish(text: str) -> None:
    with pytest.raises(DateError) as refused:
        es(text, FRI)
    message = str(refused.value)
    assert "'mar' could be martes (Tuesday) or marzo (March); type the whole word" in message
    assert refused.value.exit_code == 2
    with pytest.raises(DateError, match=r"martes .* marzo"):
        es_past(text, FRI)


@pytest.mark.parametrize(
    ("text", "today"),
    [
        ("2024-07-04", FRI),
        ("4 de julio de 2024", FRI),
        ("4 julio 2024", FRI),
        ("5/7/2023", FRI),
        ("29/12/2024", NYE_EVE),
        ("junio de 2024", FRI),  # a month tab that has ended
        ("noviembre 2024", NYE_EVE),
        ("jue 4 jul 2024", FRI),
    ],
)
def test_parse_when_refuses_past_days_in_spanish(text: str, today: date) -> None:
    with pytest.raises(DateError) as refused:
        es(text, today)
    assert "before today" in str(refused.value)
    assert f"use a date on or after {today.isoformat()}" in str(refused.value)
    assert es(text, today, allow_past=True) is not None  # allow_past lets it through


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("31 de febrero", "February has no day 31"),
        ("30 feb", "February has no day 30"),
        ("31 de abril", "April has no day 31"),
        ("32 de julio", "July has no day 32"),
        ("0 de julio", "July has no day 0"),
        ("29 de febrero de 2025", "February 2025 has 28 days"),
        ("31/4/2025", "April 2025 has 30 days"),
        ("30/2", "February has no day 30"),
        ("5/13/2024", "'5/13/2024' is not a date: there is no month 13 (the day comes first"),
        ("5/0", "there is no month 0"),
        ("5/7/24", "'5/7/24': write the year with its four digits, e.g. 5/7/2024"),
        ("5/7/02024", "write the year with its four digits"),
        ("5/7/0000", "there is no year 0"),
        ("lun 5 jul 2024", "'lun 5 jul 2024': 5 July 2024 is a Friday, not a Monday"),
        ("viernes 6 de julio de 2024", "6 July 2024 is a Saturday, not a Friday"),
        ("jue 5 jul", "5 July 2024 is a Friday, not a Thursday"),
        ("mar 5 mar 2025", "5 March 2025 is a Wednesday, not a Tuesday"),
        ("Mon 5 Jul 2024", "5 July 2024 is a Friday, not a Monday"),
        ("32", "there is no tab 32"),
    ],
)
def test_parse_when_refuses_impossible_spanish_dates(text: str, reason: str) -> None:
    with pytest.raises(DateError) as refused:
        es(text, FRI)
    assert reason in str(refused.value)
    assert refused.value.exit_code == 2


@pytest.mark.parametrize(
    "text",
    [
        "ayer",  # a past day: only parse_past_day reads it, as "yesterday"
        "anteayer",
        "hace 3 días",
        "-3d",
        "3 días",  # a count needs "+", "en" or "dentro de"
        "en 3",
        "en +3d",
        "+3 x",
        "+100000 días",  # as "+100000d": counts ahead stop at five digits
        "pasado",
        "el",
        "próximo",
        "que viene",
        "el próximo",
        "lunes próximo año",
        "2024/07/05",
        "blah",
        "",
    ],
)
def test_parse_when_refuses_what_is_no_spanish_date_listing_spanish_forms(text: str) -> None:
    with pytest.raises(DateError) as refused:
        es(text, FRI)
    message = str(refused.value)
    assert message.startswith(f"cannot read {text!r} as a date; use one of: ")
    assert "5 de julio" in message and "la semana que viene" in message
    assert "+2 semanas" in message and "2024-07-05" in message


@pytest.mark.parametrize("text", ["5/7", "5/7/2024", "13/7", "7/13/2024", "05/07"])
def test_day_first_dates_are_refused_under_english(text: str) -> None:
    with pytest.raises(DateError) as refused:
        parse_when(text, FRI)
    message = str(refused.value)
    assert message.startswith(f"cannot read {text!r}: day and month come in a different")
    assert "write the date as year-month-day, e.g. 2024-07-05" in message
    with pytest.raises(DateError, match="year-month-day"):
        parse_past_day(text, FRI)


def test_english_messages_are_unchanged_under_english() -> None:
    with pytest.raises(DateError) as refused:
        parse_when("blah", FRI)
    assert str(refused.value) == (
        "cannot read 'blah' as a date; use one of: 2024-07-05, 13 (day tab), jul 5, "
        "5 july, july, 2024-07, today, tomorrow, monday, +3d, +2w, +1m, next week, next month"
    )


@pytest.mark.parametrize(
    ("text", "today"),
    [("pasado mañana", date(9999, 12, 30)), ("mañana", LAST), ("+1 año", date(9999, 1, 1))],
)
def test_a_spanish_day_past_the_end_is_refused_in_words(text: str, today: date) -> None:
    with pytest.raises(PastTheEnd) as refused:
        es(text, today)
    assert str(refused.value) == f"{text!r} is past the last day dossier can file, 9999-12-31"


# --------------------------------------------------------------------------- parse_past_day

PAST_DAYS = [
    ("hoy", FRI, FRI),
    ("ayer", FRI, date(2024, 7, 4)),
    ("Ayer", NEW_YEAR, date(2024, 12, 31)),
    ("ayer", date(2024, 3, 1), date(2024, 2, 29)),
    ("anteayer", FRI, date(2024, 7, 3)),
    # Weekdays: the most recent one strictly before today (on a Friday, a week ago).
    ("lunes", FRI, date(2024, 7, 1)),
    ("el lunes", FRI, date(2024, 7, 1)),
    ("viernes", FRI, date(2024, 6, 28)),
    ("jueves", FRI, date(2024, 7, 4)),
    ("sábado", FRI, date(2024, 6, 29)),
    ("sabado", FRI, date(2024, 6, 29)),
    ("dom", FRI, date(2024, 6, 30)),
    ("miércoles", NEW_YEAR, date(2024, 12, 25)),
    ("el jueves", FEB_28, date(2024, 2, 22)),
    ("viernes", MAR_1, date(2025, 2, 28)),
    # Day and month: the most recent such day on or before today; with a year, exact.
    ("3 de julio", FRI, date(2024, 7, 3)),
    ("3 julio", FRI, date(2024, 7, 3)),
    ("el 3 de julio", FRI, date(2024, 7, 3)),
    ("5 de julio", FRI, FRI),
    ("6 de julio", FRI, date(2023, 7, 6)),
    ("24 de diciembre", FRI, date(2023, 12, 24)),
    ("31 de diciembre", NEW_YEAR, date(2024, 12, 31)),
    ("29 de febrero", MAR_1, date(2024, 2, 29)),  # back to the last leap year
    ("3 de julio de 2023", FRI, date(2023, 7, 3)),
    ("vie 28 jun", FRI, date(2024, 6, 28)),
    ("vie 5 jul 2024", FRI, FRI),
    ("viernes 5 de julio de 2024", FRI, FRI),
    # Day first.
    ("3/7", FRI, date(2024, 7, 3)),
    ("6/7", FRI, date(2023, 7, 6)),
    ("1/7/2024", FRI, date(2024, 7, 1)),
    ("31/12", NEW_YEAR, date(2024, 12, 31)),
    # A day of the month.
    ("3", FRI, date(2024, 7, 3)),
    ("6", FRI, date(2024, 6, 6)),
    ("el 31", FRI, date(2024, 5, 31)),
    # Counting back: in words or in figures.
    ("hace 3 días", FRI, date(2024, 7, 2)),
    ("hace 3 dias", FRI, date(2024, 7, 2)),
    ("hace 1 día", FRI, date(2024, 7, 4)),
    ("hace 1 día", NEW_YEAR, date(2024, 12, 31)),
    ("hace 2 semanas", FRI, date(2024, 6, 21)),
    ("hace 1 semana", FRI, date(2024, 6, 28)),
    ("hace 1 mes", FRI, date(2024, 6, 5)),
    ("hace 1 mes", date(2024, 3, 31), date(2024, 2, 29)),  # clipped, as +1 mes is
    ("hace 2 meses", FRI, date(2024, 5, 5)),
    ("hace 1 año", FRI, date(2023, 7, 5)),
    ("hace 1 año", date(2024, 2, 29), date(2023, 2, 28)),
    ("hace 0 días", FRI, FRI),
    ("-3d", FRI, date(2024, 7, 2)),
    ("-2w", FRI, date(2024, 6, 21)),
    ("-1m", FRI, date(2024, 6, 5)),
    ("-1y", FRI, date(2023, 7, 5)),
    ("-3 días", FRI, date(2024, 7, 2)),
    # English keeps working.
    ("yesterday", FRI, date(2024, 7, 4)),
    ("monday", FRI, date(2024, 7, 1)),
    ("jul 3", FRI, date(2024, 7, 3)),
]


@pytest.mark.parametrize(("text", "today", "expected"), PAST_DAYS)
def test_parse_past_day_accepts_spanish(text: str, today: date, expected: date) -> None:
    assert es_past(text, today) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("ayer", date(2024, 7, 4)),
        ("el lunes", date(2024, 7, 1)),
        ("3 de julio", date(2024, 7, 3)),
        ("hace 3 días", date(2024, 7, 2)),
        ("3 days ago", None),  # English has no "ago": -3d
    ],
)
def test_parse_past_day_reads_spanish_under_english(text: str, expected: date | None) -> None:
    if expected is None:
        with pytest.raises(DateError, match="cannot read"):
            parse_past_day(text, FRI)
    else:
        assert parse_past_day(text, FRI) == expected


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("mañana", "'mañana' is 2024-07-06: a history entry cannot be in the future"),
        ("pasado mañana", "'pasado mañana' is 2024-07-07: a history entry cannot be"),
        ("el próximo lunes", "'el próximo lunes' is 2024-07-08: a history entry cannot be"),
        ("lunes que viene", "'lunes que viene' is 2024-07-08: a history entry cannot be"),
        ("la semana que viene", "'la semana que viene' is 2024-07-08: a history entry"),
        ("en 3 días", "'en 3 días' is 2024-07-08: a history entry cannot be in the future"),
        ("dentro de 1 mes", "'dentro de 1 mes' is 2024-08-05: a history entry cannot be"),
        ("+1 día", "'+1 día' is 2024-07-06: a history entry cannot be in the future"),
        ("6/7/2024", "'6/7/2024' is 2024-07-06: a history entry cannot be in the future"),
        ("6 de julio de 2024", "'6 de julio de 2024' is 2024-07-06: a history entry"),
    ],
)
def test_parse_past_day_refuses_the_spanish_future(text: str, message: str) -> None:
    with pytest.raises(DateError) as refused:
        es_past(text, FRI)
    assert str(refused.value).startswith(message)
    assert str(refused.value).endswith("(today is 2024-07-05)")


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("julio", "'julio' is a month, not a day: a history entry needs a day"),
        ("julio de 2024", "is a month, not a day"),
        ("el mes que viene", "is a month, not a day"),
        ("31 de febrero", "February has no day 31"),
        ("30/2", "February has no day 30"),
        ("5/13/2024", "there is no month 13"),
        ("3/7/24", "write the year with its four digits"),
        ("lun 5 jul 2024", "5 July 2024 is a Friday, not a Monday"),
        ("lun 3 jul", "3 July 2024 is a Wednesday, not a Monday"),
        ("32", "there is no day 32"),
        ("hace 3", "cannot read 'hace 3' as a day; use one of: hoy, ayer, 2024-07-01, 3 de julio"),
        ("hace días", "cannot read"),
        ("hace +3 días", "cannot read"),
        ("", "cannot read"),
    ],
)
def test_parse_past_day_refuses_what_is_no_spanish_day(text: str, reason: str) -> None:
    with pytest.raises(DateError) as refused:
        es_past(text, FRI)
    assert reason in str(refused.value)


@pytest.mark.parametrize("text", ["ayer", "anteayer", "hace 1 día", "hace 1 mes", "lunes", "31/12"])
def test_parse_past_day_refuses_a_spanish_day_before_the_first(text: str) -> None:
    with pytest.raises(DateError) as refused:
        es_past(text, date.min)
    assert str(refused.value) == f"{text!r} is before the first day dossier can hold, 0001-01-01"


def test_counting_back_too_far_is_before_the_first_day_in_either_language() -> None:
    with pytest.raises(DateError, match="before the first day"):
        es_past("hace 9999999 días", FRI)
    with pytest.raises(DateError, match="before the first day"):
        es_past("hace 99999 años", FRI)


# --------------------------------------------------------------------------- reading back


def test_every_written_day_of_2024_to_2028_reads_back_in_its_language() -> None:
    checked = 0
    for day in each_day(date(2024, 1, 1), date(2028, 12, 31)):
        today = day - timedelta(days=day.toordinal() % 45)  # on or before the day
        for lang in ("en", "es"):
            for text in (format_day(day, lang=lang), format_long_day(day, lang=lang)):
                assert parse_when(text, today, lang=lang) == Day(day, rolls=False), text
                checked += 1
    assert checked == 1827 * 2 * 2


def test_every_month_tab_of_2024_to_2028_reads_back_in_its_language() -> None:
    for year in range(2024, 2029):
        for month in range(1, 13):
            today = date(year, month, 1) - timedelta(days=month * 17)
            for lang in ("en", "es"):
                text = format_month(year, month, lang=lang)
                assert parse_when(text, today, lang=lang) == MonthTab(year, month), text


def test_written_days_read_back_in_the_other_language_where_unambiguous() -> None:
    tuesdays = 0
    for day in each_day(date(2024, 1, 1), date(2028, 12, 31)):
        today = day - timedelta(days=day.toordinal() % 45)
        # English in Spanish: always ("Tue 5 Mar": a month after the day is a month).
        for text in (format_day(day), format_long_day(day)):
            assert parse_when(text, today, lang="es") == Day(day, rolls=False), text
        # Spanish in English: the long form always; the short one but on Tuesdays,
        # whose "mar" is March to English.
        assert parse_when(format_long_day(day, lang="es"), today) == Day(day, rolls=False)
        short = format_day(day, lang="es")
        if day.weekday() == 1:
            tuesdays += 1
            with pytest.raises(DateError):
                parse_when(short, today)
        else:
            assert parse_when(short, today) == Day(day, rolls=False), short
    assert tuesdays == 261
    for month in range(1, 13):
        assert parse_when(format_month(2026, month, lang="es"), FRI) == MonthTab(2026, month)
        assert parse_when(format_month(2026, month), FRI, lang="es") == MonthTab(2026, month)


def test_written_days_read_back_as_past_days() -> None:
    for day in each_day(date(2024, 1, 1), date(2024, 12, 31)):
        for lang in ("en", "es"):
            assert parse_past_day(format_day(day, lang=lang), NEW_YEAR, lang=lang) == day
            assert parse_past_day(format_long_day(day, lang=lang), day, lang=lang) == day


# --------------------------------------------------------------------------- properties

TODAYS = st.dates(min_value=date(1990, 1, 1), max_value=date(2200, 12, 31))
ANY_DAY = st.dates()


def read(parse: object, text: str, today: date, lang: str) -> object:
    """What a parser makes of ``text``: its result, or the kind of refusal."""
    assert callable(parse)
    try:
        return parse(text, today, lang=lang)
    except DateError as error:
        return type(error).__name__


# Each Spanish weekday spelling, and the English name of the same day.
SPANISH_WEEKDAYS = [
    (spelling, english)
    for english, spellings in zip(
        ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"],
        [
            ["lunes", "lun", "LUNES"],
            ["martes", "Martes"],
            ["miércoles", "miercoles", "mié", "mie", "MIÉRCOLES"],
            ["jueves", "jue"],
            ["viernes", "vie", "Viernes"],
            ["sábado", "sabado", "sáb", "sab", "SÁBADO"],
            ["domingo", "dom"],
        ],
        strict=True,
    )
    for spelling in spellings
]
NEXT_FRAMES = ["{}", "el {}", "el próximo {}", "próximo {}", "{} que viene", "el {} que viene"]


@given(today=TODAYS, weekday=st.sampled_from(SPANISH_WEEKDAYS), frame=st.sampled_from(NEXT_FRAMES))
def test_a_spanish_weekday_is_the_english_one(
    today: date, weekday: tuple[str, str], frame: str
) -> None:
    spelling, english = weekday
    result = es(frame.format(spelling), today)
    assert result == parse_when(english, today)
    assert isinstance(result, Day) and today < result.date <= today + timedelta(days=7)


@given(today=st.dates(min_value=date(1, 1, 8)), weekday=st.sampled_from(SPANISH_WEEKDAYS))
def test_a_past_spanish_weekday_is_the_english_one(today: date, weekday: tuple[str, str]) -> None:
    spelling, english = weekday
    assert es_past(spelling, today) == es_past(f"el {spelling}", today)
    assert es_past(spelling, today) == parse_past_day(english, today)


SPANISH_UNITS = [
    ("d", ["día", "días", "dia", "dias", "d"]),
    ("w", ["semana", "semanas", "w"]),
    ("m", ["mes", "meses", "m"]),
    ("y", ["año", "años", "ano", "y"]),
]
UNITS = st.sampled_from(SPANISH_UNITS).flatmap(
    lambda unit: st.tuples(st.just(unit[0]), st.sampled_from(unit[1]))
)


@given(
    today=TODAYS,
    n=st.integers(0, 400),
    unit=UNITS,
    frame=st.sampled_from(["+{n}{unit}", "+{n} {unit}", "en {n} {unit}", "dentro de {n} {unit}"]),
)
def test_a_spanish_count_ahead_is_plus_n(
    today: date, n: int, unit: tuple[str, str], frame: str
) -> None:
    letter, word = unit
    assert es(frame.format(n=n, unit=word), today) == parse_when(f"+{n}{letter}", today)


@given(today=ANY_DAY, n=st.integers(0, 99999), unit=UNITS)
def test_a_spanish_count_back_is_minus_n(today: date, n: int, unit: tuple[str, str]) -> None:
    letter, word = unit
    assert read(parse_past_day, f"hace {n} {word}", today, "es") == read(
        parse_past_day, f"-{n}{letter}", today, "en"
    )


# Number, name and abbreviation ("mar" is either martes or marzo: marzo stands in).
SPANISH_MONTHS = list(
    zip(
        range(1, 13),
        [
            "enero", "febrero", "marzo", "abril", "mayo", "junio", "julio", "agosto",
            "septiembre", "octubre", "noviembre", "diciembre",
        ],
        ["ene", "feb", "marzo", "abr", "may", "jun", "jul", "ago", "sep", "oct", "nov", "dic"],
        strict=True,
    )
)  # fmt: skip
ENGLISH_MONTHS = [
    "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec",
]  # fmt: skip


@given(
    today=TODAYS,
    month=st.sampled_from(SPANISH_MONTHS),
    day=st.integers(0, 32),
    abbreviated=st.booleans(),
    frame=st.sampled_from(["{d} de {m}", "{d} {m}", "el {d} de {m}", "{d}/{n}"]),
    parse=st.sampled_from([parse_when, parse_past_day]),
)
def test_a_spanish_day_and_month_is_the_english_one(
    today: date,
    month: tuple[int, str, str],
    day: int,
    abbreviated: bool,
    frame: str,
    parse: object,
) -> None:
    number, name, abbr = month
    text = frame.format(d=day, m=abbr if abbreviated else name, n=number)
    english = f"{ENGLISH_MONTHS[number - 1]} {day}"
    assert read(parse, text, today, "es") == read(parse, english, today, "en")


SPANISH_FORMS = st.one_of(
    st.sampled_from(
        [
            "hoy", "mañana", "pasado mañana", "ayer", "anteayer", "lunes", "el próximo domingo",
            "la semana que viene", "el mes que viene", "julio", "diciembre", "enero de 9999",
            "29 de febrero", "31 de diciembre", "31/12", "1/1", "29/2", "mar", "vie 31 dic 9999",
        ]
    ),
    st.builds(
        lambda frame, n, unit: frame.format(n=n, unit=unit[1]),
        st.sampled_from(["+{n} {unit}", "en {n} {unit}", "hace {n} {unit}", "-{n}{unit}"]),
        st.integers(0, 9_999_999),
        UNITS,
    ),
)  # fmt: skip


@given(today=ANY_DAY, text=SPANISH_FORMS)
def test_any_spanish_form_on_any_day_is_a_date_or_a_date_error(today: date, text: str) -> None:
    try:
        target = es(text, today)
    except DateError:
        pass
    else:
        last = target.date if isinstance(target, Day) else target.last
        assert today <= last <= LAST
    try:
        day = es_past(text, today)
    except DateError:
        return
    assert date.min <= day <= today
