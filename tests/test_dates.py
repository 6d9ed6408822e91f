"""Tests for dossier.domain.dates: the date expressions users type after --on and --date.

"today" is always passed in, so every case pins its own today. 2024-07-05 is a Friday,
2024-12-30 a Monday, 2024-07-07 a Sunday and 2024-07-08 a Monday.
"""

from __future__ import annotations

import sys
import unicodedata
from datetime import date, timedelta

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from dossier.app.clock import today_from
from dossier.domain.dates import (
    Day,
    MonthTab,
    PastTheEnd,
    ascii_digits,
    day_tab,
    days_from,
    each_day,
    format_day,
    format_month,
    parse_past_day,
    parse_time,
    parse_when,
    tab_date,
)
from dossier.domain.errors import DateError, DossierError, UsageError

FRI = date(2024, 7, 5)  # Friday 5 July 2024
NYE_EVE = date(2024, 12, 30)  # Monday 30 December 2024, two days before the new year
SUN = date(2024, 7, 7)
MON = date(2024, 7, 8)


# --------------------------------------------------------------------------- parse_when


ACCEPTED = [
    # ISO days: exact, never roll.
    ("2024-07-05", FRI, Day(date(2024, 7, 5), rolls=False)),
    ("2024-07-08", FRI, Day(date(2024, 7, 8), rolls=False)),
    ("2024-7-8", FRI, Day(date(2024, 7, 8), rolls=False)),
    ("2024-02-29", date(2024, 2, 1), Day(date(2024, 2, 29), rolls=False)),
    ("2025-01-01", NYE_EVE, Day(date(2025, 1, 1), rolls=False)),
    # Day tabs: the next such day on or after today.
    ("13", FRI, Day(date(2024, 7, 13))),
    ("5", FRI, Day(date(2024, 7, 5))),  # today's own tab is today
    ("3", FRI, Day(date(2024, 8, 3))),  # passed this month: next month's 3rd
    ("3rd", FRI, Day(date(2024, 8, 3))),
    ("13th", FRI, Day(date(2024, 7, 13))),
    ("07", FRI, Day(date(2024, 7, 7))),
    ("31", date(2026, 11, 29), Day(date(2026, 12, 31))),  # November has no 31st
    ("31", date(2024, 4, 1), Day(date(2024, 5, 31))),  # April has no 31st
    ("31", date(2024, 2, 1), Day(date(2024, 3, 31))),
    ("31", date(2024, 1, 31), Day(date(2024, 1, 31))),
    ("30", date(2024, 2, 10), Day(date(2024, 3, 30))),  # no 30 February, even in leap years
    ("30", date(2023, 2, 1), Day(date(2023, 3, 30))),
    ("30", date(2024, 1, 31), Day(date(2024, 3, 30))),  # Jan 30 passed, Feb lacks it
    ("29", date(2023, 2, 10), Day(date(2023, 3, 29))),  # 2023 is not a leap year
    ("29", date(2024, 2, 10), Day(date(2024, 2, 29))),  # 2024 is
    ("29", date(2100, 2, 1), Day(date(2100, 3, 29))),  # 2100 is not (century rule)
    ("29", date(2000, 2, 1), Day(date(2000, 2, 29))),  # 2000 is (400 rule)
    ("2", NYE_EVE, Day(date(2025, 1, 2))),  # across the year boundary
    ("31", NYE_EVE, Day(date(2024, 12, 31))),
    # Month + day, either order: the next such date on or after today.
    ("jul 5", FRI, Day(date(2024, 7, 5))),
    ("5 july", FRI, Day(date(2024, 7, 5))),
    ("july 5", FRI, Day(date(2024, 7, 5))),
    ("jul 4", FRI, Day(date(2025, 7, 4))),  # passed this year: next year
    ("4 jul", FRI, Day(date(2025, 7, 4))),
    ("aug 1", FRI, Day(date(2024, 8, 1))),
    ("5th jul", FRI, Day(date(2024, 7, 5))),
    ("jul. 6th", FRI, Day(date(2024, 7, 6))),
    ("sept 9", FRI, Day(date(2024, 9, 9))),
    ("sep 9", FRI, Day(date(2024, 9, 9))),
    ("jan 3", NYE_EVE, Day(date(2025, 1, 3))),
    ("dec 31", NYE_EVE, Day(date(2024, 12, 31))),
    ("feb 29", date(2024, 2, 10), Day(date(2024, 2, 29))),
    ("feb 29", date(2025, 3, 1), Day(date(2028, 2, 29))),  # waits for a leap year
    ("feb 29", date(2097, 3, 1), Day(date(2104, 2, 29))),  # 2100 is skipped
    # Month + day + year: exact, never rolls.
    ("jul 5 2025", FRI, Day(date(2025, 7, 5), rolls=False)),
    ("5 july, 2025", FRI, Day(date(2025, 7, 5), rolls=False)),
    # Month tabs.
    ("july", FRI, MonthTab(2024, 7)),  # the current month counts as itself
    ("jul", FRI, MonthTab(2024, 7)),
    ("aug", FRI, MonthTab(2024, 8)),
    ("june", FRI, MonthTab(2025, 6)),  # passed: next year's June
    ("jan", FRI, MonthTab(2025, 1)),
    ("january", NYE_EVE, MonthTab(2025, 1)),
    ("december", NYE_EVE, MonthTab(2024, 12)),
    ("2024-07", FRI, MonthTab(2024, 7)),
    ("2024-7", FRI, MonthTab(2024, 7)),
    ("2025-01", NYE_EVE, MonthTab(2025, 1)),
    ("july 2025", FRI, MonthTab(2025, 7)),
    # today / tomorrow.
    ("today", FRI, Day(FRI, rolls=False)),
    ("tomorrow", FRI, Day(date(2024, 7, 6), rolls=True)),
    ("tomorrow", date(2024, 2, 28), Day(date(2024, 2, 29), rolls=True)),
    ("tomorrow", date(2023, 2, 28), Day(date(2023, 3, 1), rolls=True)),
    ("tomorrow", date(2024, 12, 31), Day(date(2025, 1, 1), rolls=True)),
    # Weekdays: the next one strictly after today (today is a Friday).
    ("friday", FRI, Day(date(2024, 7, 12))),
    ("fri", FRI, Day(date(2024, 7, 12))),
    ("saturday", FRI, Day(date(2024, 7, 6))),
    ("sat", FRI, Day(date(2024, 7, 6))),
    ("sunday", FRI, Day(date(2024, 7, 7))),
    ("sun", FRI, Day(date(2024, 7, 7))),
    ("monday", FRI, Day(date(2024, 7, 8))),
    ("mon", FRI, Day(date(2024, 7, 8))),
    ("tuesday", FRI, Day(date(2024, 7, 9))),
    ("tue", FRI, Day(date(2024, 7, 9))),
    ("tues", FRI, Day(date(2024, 7, 9))),
    ("wednesday", FRI, Day(date(2024, 7, 10))),
    ("wed", FRI, Day(date(2024, 7, 10))),
    ("thursday", FRI, Day(date(2024, 7, 11))),
    ("thu", FRI, Day(date(2024, 7, 11))),
    ("thurs", FRI, Day(date(2024, 7, 11))),
    ("monday", NYE_EVE, Day(date(2025, 1, 6))),  # on a Monday: a week on, next year
    ("wed", NYE_EVE, Day(date(2025, 1, 1))),
    # Offsets.
    ("+3d", FRI, Day(date(2024, 7, 8))),
    ("+0d", FRI, Day(FRI)),
    ("+3 d", FRI, Day(date(2024, 7, 8))),
    ("+2w", FRI, Day(date(2024, 7, 19))),
    ("+1m", FRI, Day(date(2024, 8, 5))),
    ("+1m", date(2024, 1, 31), Day(date(2024, 2, 29))),  # calendar months, leap year
    ("+1m", date(2023, 1, 31), Day(date(2023, 2, 28))),
    ("+1m", date(2024, 3, 31), Day(date(2024, 4, 30))),
    ("+12m", NYE_EVE, Day(date(2025, 12, 30))),
    ("+1y", date(2024, 2, 29), Day(date(2025, 2, 28))),
    ("+3d", NYE_EVE, Day(date(2025, 1, 2))),
    ("+2w", NYE_EVE, Day(date(2025, 1, 13))),
    # next week: Monday of next week.
    ("next week", FRI, Day(date(2024, 7, 8), rolls=True)),
    ("next week", SUN, Day(date(2024, 7, 8), rolls=True)),  # Sunday: tomorrow
    ("next week", MON, Day(date(2024, 7, 15), rolls=True)),  # Monday: a week on
    ("next week", NYE_EVE, Day(date(2025, 1, 6), rolls=True)),
    # next month: next month's tab.
    ("next month", FRI, MonthTab(2024, 8)),
    ("next month", date(2024, 1, 31), MonthTab(2024, 2)),
    ("next month", NYE_EVE, MonthTab(2025, 1)),
    ("next month", date(2024, 12, 1), MonthTab(2025, 1)),
    # Case and spacing do not matter.
    ("  JUL   5 ", FRI, Day(date(2024, 7, 5))),
    ("5   JULY", FRI, Day(date(2024, 7, 5))),
    ("July", FRI, MonthTab(2024, 7)),
    ("TODAY", FRI, Day(FRI, rolls=False)),
    (" Tomorrow\t", FRI, Day(date(2024, 7, 6), rolls=True)),
    ("Next   Week", FRI, Day(date(2024, 7, 8), rolls=True)),
    ("NEXT MONTH", FRI, MonthTab(2024, 8)),
    ("FRIDAY", FRI, Day(date(2024, 7, 12))),
    ("+3D", FRI, Day(date(2024, 7, 8))),
    (" 13 ", FRI, Day(date(2024, 7, 13))),
    (" 2024-07-08 ", FRI, Day(date(2024, 7, 8), rolls=False)),
]


@pytest.mark.parametrize(("text", "today", "expected"), ACCEPTED)
def test_parse_when_accepts(text: str, today: date, expected: Day | MonthTab) -> None:
    assert parse_when(text, today) == expected


IMPOSSIBLE = [
    ("2024-02-30", FRI, "29 days"),
    ("2023-02-29", date(2023, 1, 1), "28 days"),
    ("2024-04-31", FRI, "30 days"),
    ("2024-13-01", FRI, "month 13"),
    ("2024-00-10", FRI, "month 0"),
    ("2024-13", FRI, "month 13"),
    ("2024-07-00", FRI, "31 days"),
    ("feb 29 2023", date(2023, 1, 1), "28 days"),
    ("feb 30", FRI, "no day 30"),
    ("30 feb", FRI, "no day 30"),
    ("apr 31", FRI, "no day 31"),
    ("jul 32", FRI, "no day 32"),
    ("jul 0", FRI, "no day 0"),
    ("32", FRI, "tab 32"),
    ("0", FRI, "tab 0"),
    ("99", FRI, "tab 99"),
]

PAST = [
    ("2024-07-04", FRI),
    ("2023-12-31", FRI),
    ("2024-12-29", NYE_EVE),
    ("jul 5 2023", FRI),
    ("4 july, 2024", FRI),
    ("2024-06", FRI),  # a month tab that has ended
    ("june 2024", FRI),
    ("2024-11", NYE_EVE),
]

UNKNOWN = ["blah", "next year", "", "   ", "yesterday", "2024/07/05", "-3d", "+3x", "july 5 5"]


@pytest.mark.parametrize(("text", "today", "reason"), IMPOSSIBLE)
def test_parse_when_refuses_impossible_dates(text: str, today: date, reason: str) -> None:
    with pytest.raises(DateError) as excinfo:
        parse_when(text, today)
    assert reason in str(excinfo.value)
    assert excinfo.value.exit_code == 2


@pytest.mark.parametrize(("text", "today"), PAST)
def test_parse_when_refuses_past_dates(text: str, today: date) -> None:
    with pytest.raises(DateError) as excinfo:
        parse_when(text, today)
    message = str(excinfo.value)
    assert "before today" in message
    assert today.isoformat() in message
    assert f"use a date on or after {today.isoformat()}" in message
    assert excinfo.value.exit_code == 2


@pytest.mark.parametrize("text", UNKNOWN)
def test_parse_when_refuses_unknown_expressions_listing_accepted_forms(text: str) -> None:
    with pytest.raises(DateError) as excinfo:
        parse_when(text, FRI)
    message = str(excinfo.value)
    assert "+3d" in message
    assert "next week" in message
    assert "2024-07-05" in message
    assert excinfo.value.exit_code == 2


@pytest.mark.parametrize("text", ["0000-07", "jul 0000"])
def test_parse_when_refuses_month_tab_in_year_zero(text: str) -> None:
    # There is no year 0; "0000-07-05" is already refused with a DateError, and a month tab
    # must be too, not crash with a bare ValueError (which the CLI would not catch).
    with pytest.raises(DateError):
        parse_when(text, FRI)


def test_date_error_is_a_usage_error_with_exit_code_2() -> None:
    assert issubclass(DateError, UsageError)
    assert issubclass(DateError, DossierError)
    assert DateError("x").exit_code == 2
    with pytest.raises(UsageError):
        parse_when("blah", FRI)


# --------------------------------------------------------------------------- day tabs


@pytest.mark.parametrize("number", [0, -1, 32])
def test_day_tab_refuses_numbers_outside_1_to_31(number: int) -> None:
    with pytest.raises(DateError, match=f"tab {number}"):
        day_tab(number, FRI)


# --------------------------------------------------------------------------- MonthTab


@pytest.mark.parametrize(
    ("tab", "key", "first", "last"),
    [
        (MonthTab(2024, 2), "2024-02", date(2024, 2, 1), date(2024, 2, 29)),
        (MonthTab(2023, 2), "2023-02", date(2023, 2, 1), date(2023, 2, 28)),
        (MonthTab(2024, 12), "2024-12", date(2024, 12, 1), date(2024, 12, 31)),
        (MonthTab(2024, 4), "2024-04", date(2024, 4, 1), date(2024, 4, 30)),
    ],
)
def test_month_tab_key_first_last(tab: MonthTab, key: str, first: date, last: date) -> None:
    assert (tab.key, tab.first, tab.last) == (key, first, last)


# --------------------------------------------------------------------------- parse_time


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("9:30", "09:30"),
        ("09:30", "09:30"),
        ("14:00", "14:00"),
        ("0:00", "00:00"),
        ("23:59", "23:59"),
        (" 9:05 ", "09:05"),
        ("9.30", "09:30"),
        ("9h30", "09:30"),
    ],
)
def test_parse_time_normalises(text: str, expected: str) -> None:
    assert parse_time(text) == expected


@pytest.mark.parametrize("text", ["24:00", "12:60", "noon", "930", "9:5", "", "-1:00", "9:30pm"])
def test_parse_time_refuses(text: str) -> None:
    with pytest.raises(UsageError, match="HH:MM") as excinfo:
        parse_time(text)
    assert excinfo.value.exit_code == 2


# --------------------------------------------------------------------------- today_from


def test_today_from_without_override_is_the_real_today() -> None:
    assert today_from({}) == date.today()


def test_today_from_blank_override_is_the_real_today() -> None:
    assert today_from({"DOSSIER_TODAY": "  "}) == date.today()


@pytest.mark.parametrize("value", ["2024-07-05", " 2024-07-05 "])
def test_today_from_override(value: str) -> None:
    assert today_from({"DOSSIER_TODAY": value}) == date(2024, 7, 5)


def test_today_from_reads_the_process_environment_by_default(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("DOSSIER_TODAY", "2024-02-29")
    assert today_from() == date(2024, 2, 29)


@pytest.mark.parametrize("value", ["2024-13-01", "2023-02-29", "tomorrow", "05/07/2024"])
def test_today_from_refuses_malformed_override(value: str) -> None:
    with pytest.raises(UsageError, match="DOSSIER_TODAY") as excinfo:
        today_from({"DOSSIER_TODAY": value})
    assert excinfo.value.exit_code == 2


# --------------------------------------------------------------------------- formatting


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (date(2024, 7, 5), "Fri 5 Jul 2024"),
        (date(2025, 1, 1), "Wed 1 Jan 2025"),
        (date(2024, 2, 29), "Thu 29 Feb 2024"),
        (date(2024, 12, 30), "Mon 30 Dec 2024"),
        (date(2024, 9, 8), "Sun 8 Sep 2024"),
    ],
)
def test_format_day(day: date, expected: str) -> None:
    assert format_day(day) == expected


@pytest.mark.parametrize(
    ("year", "month", "expected"),
    [
        (2024, 7, "July 2024"),
        (2025, 1, "January 2025"),
        (2024, 9, "September 2024"),
        (2024, 12, "December 2024"),
    ],
)
def test_format_month(year: int, month: int, expected: str) -> None:
    assert format_month(year, month) == expected


# --------------------------------------------------------------------------- properties

TODAYS = st.dates(min_value=date(1990, 1, 1), max_value=date(2200, 12, 31))

WEEKDAY_NAMES = [
    "monday", "mon", "tuesday", "tue", "tues", "wednesday", "wed", "thursday", "thu",
    "thur", "thurs", "friday", "fri", "saturday", "sat", "sunday", "sun",
]  # fmt: skip

# Month abbreviation and the most days it ever has (February 29 in leap years).
MONTH_DAYS = [
    ("jan", 31), ("feb", 29), ("mar", 31), ("apr", 30), ("may", 31), ("jun", 30),
    ("jul", 31), ("aug", 31), ("sep", 30), ("oct", 31), ("nov", 30), ("dec", 31),
]  # fmt: skip

MONTH_WORDS = [
    "january", "february", "march", "april", "may", "june", "july", "august",
    "september", "october", "november", "december",
    *(abbr for abbr, _ in MONTH_DAYS), "sept",
]  # fmt: skip

DAY_EXPRESSIONS = st.one_of(
    st.integers(1, 31).map(str),
    st.builds(lambda n, unit: f"+{n}{unit}", st.integers(0, 400), st.sampled_from("dwm")),
    st.sampled_from(WEEKDAY_NAMES),
    st.sampled_from(MONTH_DAYS).flatmap(
        lambda md: st.integers(1, md[1]).map(lambda day: f"{md[0]} {day}")
    ),
    st.sampled_from(["today", "tomorrow", "next week"]),
)


@given(today=TODAYS, text=DAY_EXPRESSIONS)
def test_relative_day_is_never_before_today(today: date, text: str) -> None:
    result = parse_when(text, today)
    assert isinstance(result, Day)
    assert result.date >= today


@given(today=TODAYS, text=st.sampled_from([*MONTH_WORDS, "next month"]))
def test_month_tab_never_ends_before_today(today: date, text: str) -> None:
    result = parse_when(text, today)
    assert isinstance(result, MonthTab)
    assert (result.year, result.month) >= (today.year, today.month)
    assert result.last >= today


@given(today=TODAYS, data=st.data())
def test_iso_round_trip(today: date, data: st.DataObject) -> None:
    day = data.draw(st.dates(min_value=today, max_value=date(2200, 12, 31)))
    assert parse_when(day.isoformat(), today) == Day(day, rolls=False)


@given(today=TODAYS, data=st.data())
def test_iso_date_before_today_is_refused(today: date, data: st.DataObject) -> None:
    day = data.draw(st.dates(min_value=date(1900, 1, 1), max_value=today - timedelta(days=1)))
    with pytest.raises(DateError, match="before today"):
        parse_when(day.isoformat(), today)


@given(today=TODAYS, number=st.integers(1, 31))
def test_day_tab_lands_on_its_number_within_62_days(today: date, number: int) -> None:
    result = day_tab(number, today)
    assert result.day == number
    # The tab is this month's day if it is still ahead, else the next month's; when that
    # month is too short for it (30 February, 31 April) it rolls once more to the month
    # after, and two months in a row never lack the same day. So the answer is always in
    # this month, the next, or the one after, at most two 31-day months (62 days) away;
    # the real worst case is 60 days, e.g. tab 31 on 1 April -> 31 May.
    assert today <= result <= today + timedelta(days=62)


@given(today=TODAYS, number=st.integers(1, 31))
def test_day_tab_text_matches_day_tab(today: date, number: int) -> None:
    assert parse_when(str(number), today) == Day(day_tab(number, today))


@given(today=TODAYS, n=st.integers(0, 400))
def test_plus_n_days_is_today_plus_n_days(today: date, n: int) -> None:
    assert parse_when(f"+{n}d", today) == Day(today + timedelta(days=n))


@given(today=TODAYS, n=st.integers(0, 400))
def test_plus_n_weeks_is_today_plus_7n_days(today: date, n: int) -> None:
    assert parse_when(f"+{n}w", today) == Day(today + timedelta(weeks=n))


# ------------------------------------------------- digits of any script (issue 7, point 9)

# The zero of every run of ten decimal digits Unicode has (Arabic-Indic, full-width,
# Devanagari, Thai, Mathematical bold...): Unicode keeps each run contiguous, 0 to 9.
DIGIT_ZEROS = [
    code
    for code in range(sys.maxunicode + 1)
    if unicodedata.category(chr(code)) == "Nd" and unicodedata.decimal(chr(code)) == 0
]
ASCII_FORMS = st.one_of(
    DAY_EXPRESSIONS,
    st.sampled_from(["2024-07-12", "2025-01", "12 july 2025", "jul 12, 2025", "2024-7-8"]),
)


def in_script(text: str, zero: int) -> str:
    return text.translate(str.maketrans("0123456789", "".join(chr(zero + i) for i in range(10))))


def test_every_script_has_its_ten_digits() -> None:
    assert 0x0660 in DIGIT_ZEROS and 0xFF10 in DIGIT_ZEROS and ord("0") in DIGIT_ZEROS
    for zero in DIGIT_ZEROS:
        assert ascii_digits(in_script("0123456789", zero)) == "0123456789"


@given(today=TODAYS, text=ASCII_FORMS, zero=st.sampled_from(DIGIT_ZEROS))
def test_a_date_in_any_script_is_the_ascii_date(today: date, text: str, zero: int) -> None:
    assert parse_when(in_script(text, zero), today, allow_past=True) == parse_when(
        text, today, allow_past=True
    )


@given(hour=st.integers(0, 23), minute=st.integers(0, 59), zero=st.sampled_from(DIGIT_ZEROS))
def test_a_time_in_any_script_is_stored_in_ascii(hour: int, minute: int, zero: int) -> None:
    assert parse_time(in_script(f"{hour}:{minute:02d}", zero)) == f"{hour:02d}:{minute:02d}"


def test_today_from_the_environment_in_any_script() -> None:
    assert today_from({"DOSSIER_TODAY": in_script("2024-07-05", 0x0660)}) == FRI


@pytest.mark.parametrize("text", ["\u00b2", "\u00b9\u2070", "\u2460"])  # ², ¹⁰, ①
def test_digits_that_are_not_decimal_are_no_date(text: str) -> None:
    with pytest.raises(DateError, match="cannot read"):
        parse_when(text, FRI)
    with pytest.raises(UsageError, match="as a time"):
        parse_time(f"{text}:30")


# ------------------------------------------- the ends of the calendar (issue 7, point 14)

LAST = date(9999, 12, 31)
ANY_DAY = st.dates()  # 0001-01-01 to 9999-12-31
EVERY_FORM = st.one_of(
    ASCII_FORMS,
    st.sampled_from([*MONTH_WORDS, "next month", "feb 29", "9999-12-31", "9999-12", "+1y"]),
    st.builds(lambda n, unit: f"+{n}{unit}", st.integers(0, 99999), st.sampled_from("dwmy")),
)


@given(today=ANY_DAY, text=EVERY_FORM)
@example(today=LAST, text="1")
@example(today=LAST, text="next month")
@example(today=date(9999, 12, 1), text="january")
def test_any_form_on_any_day_is_a_date_or_a_date_error(today: date, text: str) -> None:
    try:
        target = parse_when(text, today)
    except DateError:
        return
    last = target.date if isinstance(target, Day) else target.last
    assert today <= last <= LAST


@pytest.mark.parametrize(
    ("text", "today"),
    [
        ("+1d", LAST),
        ("tomorrow", LAST),
        ("monday", LAST),
        ("next week", LAST),
        ("1", LAST),
        ("next month", date(9999, 12, 1)),
        ("january", date(9999, 2, 1)),
        ("+1m", date(9999, 12, 1)),
        ("+1y", date(9999, 1, 1)),
        ("+99999y", FRI),
        ("feb 29", date(9996, 3, 1)),  # 9996 was the last leap year
    ],
)
def test_a_day_past_the_end_is_refused_in_words(text: str, today: date) -> None:
    with pytest.raises(PastTheEnd) as refused:
        parse_when(text, today)
    assert str(refused.value) == f"{text!r} is past the last day dossier can file, 9999-12-31"


def test_the_last_day_and_month_can_be_named() -> None:
    today = date(9999, 12, 30)
    assert parse_when("+1d", today) == Day(LAST)
    assert parse_when("31", today) == Day(LAST)
    assert parse_when("dec 31", today) == Day(LAST)
    assert parse_when("december", today) == MonthTab(9999, 12)
    assert parse_when("today", date.min) == Day(date.min, rolls=False)


def test_tab_dates_run_out_at_the_end() -> None:
    assert tab_date(31, LAST) == LAST
    assert tab_date(1, LAST) is None
    with pytest.raises(PastTheEnd, match="tab 1 is past"):
        day_tab(1, LAST)


def test_days_from_and_each_day_stop_at_the_ends() -> None:
    assert days_from(LAST, 1) == LAST
    assert days_from(date.min, -31) == date.min
    assert days_from(FRI, 3) == date(2024, 7, 8)
    assert list(each_day(date(9999, 12, 30), LAST)) == [date(9999, 12, 30), LAST]
    assert list(each_day(LAST, date(9999, 12, 30))) == []


# ------------------------------------------- a day that has happened (issue 8, point 4)

NEW_YEAR = date(2025, 1, 1)  # a Wednesday
AUG_1 = date(2024, 8, 1)  # a Thursday
LEAP_DAY = date(2024, 2, 29)  # a Thursday
MAR_1 = date(2025, 3, 1)  # a Saturday, the day after a 28-day February

PAST_DAYS = [
    # today, yesterday, ISO: exact; a Saturday or a day off stays where it is.
    ("today", FRI, date(2024, 7, 5)),
    ("Yesterday", FRI, date(2024, 7, 4)),
    ("  yesterday ", FRI, date(2024, 7, 4)),
    ("2024-07-01", FRI, date(2024, 7, 1)),
    ("2024-07-05", FRI, date(2024, 7, 5)),
    ("2024-6-29", FRI, date(2024, 6, 29)),
    ("1999-12-31", FRI, date(1999, 12, 31)),
    ("jul 3 2023", FRI, date(2023, 7, 3)),
    # Weekdays: the most recent one strictly before today (on a Friday, a week ago).
    ("friday", FRI, date(2024, 6, 28)),
    ("fri", FRI, date(2024, 6, 28)),
    ("thursday", FRI, date(2024, 7, 4)),
    ("monday", FRI, date(2024, 7, 1)),
    ("sat", FRI, date(2024, 6, 29)),
    ("sunday", FRI, date(2024, 6, 30)),
    ("wednesday", NEW_YEAR, date(2024, 12, 25)),
    ("thu", NEW_YEAR, date(2024, 12, 26)),
    ("friday", AUG_1, date(2024, 7, 26)),
    ("thursday", LEAP_DAY, date(2024, 2, 22)),
    ("saturday", MAR_1, date(2025, 2, 22)),
    ("friday", MAR_1, date(2025, 2, 28)),
    # Counting back: days, weeks, calendar months and years.
    ("-0d", FRI, date(2024, 7, 5)),
    ("-3d", FRI, date(2024, 7, 2)),
    ("-2w", FRI, date(2024, 6, 21)),
    ("-1m", FRI, date(2024, 6, 5)),
    ("-1y", FRI, date(2023, 7, 5)),
    ("-1d", NEW_YEAR, date(2024, 12, 31)),
    ("-1m", NEW_YEAR, date(2024, 12, 1)),
    ("-1m", AUG_1, date(2024, 7, 1)),
    ("-1m", date(2024, 3, 31), date(2024, 2, 29)),  # clipped, as +1m is
    ("-1y", LEAP_DAY, date(2023, 2, 28)),
    ("-1m", MAR_1, date(2025, 2, 1)),
    ("-5 d", FRI, date(2024, 6, 30)),
    # Month and day: the most recent such date on or before today.
    ("jul 3", FRI, date(2024, 7, 3)),
    ("3 july", FRI, date(2024, 7, 3)),
    ("july 5th", FRI, date(2024, 7, 5)),
    ("jul 6", FRI, date(2023, 7, 6)),
    ("dec 24", FRI, date(2023, 12, 24)),
    ("dec 31", NEW_YEAR, date(2024, 12, 31)),
    ("jan 1", NEW_YEAR, date(2025, 1, 1)),
    ("feb 29", LEAP_DAY, date(2024, 2, 29)),
    ("feb 29", MAR_1, date(2024, 2, 29)),  # back to the last leap year
    ("feb 29", date(2024, 2, 28), date(2020, 2, 29)),
    # A day of the month: the most recent one on or before today, skipping short months.
    ("3", FRI, date(2024, 7, 3)),
    ("5", FRI, date(2024, 7, 5)),
    ("6", FRI, date(2024, 6, 6)),
    ("31", FRI, date(2024, 5, 31)),  # June has no 31st
    ("31", AUG_1, date(2024, 7, 31)),
    ("1", AUG_1, date(2024, 8, 1)),
    ("2", NEW_YEAR, date(2024, 12, 2)),
    ("30", LEAP_DAY, date(2024, 1, 30)),
    ("29", MAR_1, date(2025, 1, 29)),
    ("1", date.min, date.min),
    ("today", date.min, date.min),
    # Digits of any script.
    ("\u0662\u0660\u0662\u0664-\u0660\u0667-\u0660\u0661", FRI, date(2024, 7, 1)),
    ("-\uff13d", FRI, date(2024, 7, 2)),
    ("jul \u0969", FRI, date(2024, 7, 3)),
]


@pytest.mark.parametrize(("text", "today", "expected"), PAST_DAYS)
def test_parse_past_day_accepts(text: str, today: date, expected: date) -> None:
    assert parse_past_day(text, today) == expected


@pytest.mark.parametrize(
    ("text", "today", "message"),
    [
        ("tomorrow", FRI, "'tomorrow' is 2024-07-06: a history entry cannot be in the future"),
        ("+1d", FRI, "'+1d' is 2024-07-06: a history entry cannot be in the future"),
        ("2024-07-06", FRI, "2024-07-06: a history entry cannot be in the future"),
        ("2099-01-01", FRI, "2099-01-01: a history entry cannot be in the future"),
        ("next week", FRI, "'next week' is 2024-07-08: a history entry cannot be in the"),
        ("jul 6 2024", FRI, "'jul 6 2024' is 2024-07-06: a history entry cannot be in the"),
        ("2025-01-02", NEW_YEAR, "2025-01-02: a history entry cannot be in the future"),
    ],
)
def test_parse_past_day_refuses_the_future(text: str, today: date, message: str) -> None:
    with pytest.raises(DateError) as refused:
        parse_past_day(text, today)
    assert str(refused.value).startswith(message)
    assert str(refused.value).endswith(f"(today is {today.isoformat()})")


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("july", "is a month, not a day: a history entry needs a day"),
        ("jul", "is a month, not a day"),
        ("2024-07", "is a month, not a day"),
        ("july 2024", "is a month, not a day"),
        ("next month", "is a month, not a day"),
        ("2024-02-30", "February 2024 has 29 days"),
        ("2023-02-29", "February 2023 has 28 days"),
        ("feb 30", "February has no day 30"),
        ("32", "there is no day 32"),
        ("0", "there is no day 0"),
        ("2024-13-01", "there is no month 13"),
        ("someday", "cannot read 'someday' as a day; use one of: today, yesterday"),
        ("last tuesday", "cannot read"),
        ("-3", "cannot read"),
        ("", "cannot read"),
        ("\u00b2", "cannot read"),
    ],
)
def test_parse_past_day_refuses_what_is_no_day(text: str, reason: str) -> None:
    with pytest.raises(DateError, match=reason):
        parse_past_day(text, FRI)


@pytest.mark.parametrize(
    "text", ["yesterday", "-1d", "-1w", "-1m", "-1y", "-9999999d", "monday", "dec 31", "2"]
)
def test_parse_past_day_refuses_a_day_before_the_first(text: str) -> None:
    with pytest.raises(DateError) as refused:
        parse_past_day(text, date.min)
    assert str(refused.value) == f"{text!r} is before the first day dossier can hold, 0001-01-01"


@pytest.mark.parametrize("text", ["tomorrow", "+1d", "next week", "+1y"])
def test_parse_past_day_at_the_last_day_refuses_what_lies_beyond(text: str) -> None:
    with pytest.raises(DateError, match="a history entry cannot be in the future"):
        parse_past_day(text, LAST)
    assert parse_past_day("today", LAST) == LAST
    assert parse_past_day("-1d", LAST) == date(9999, 12, 30)


@given(today=ANY_DAY, n=st.integers(0, 3_700_000))
def test_minus_n_days_is_today_minus_n_days_and_never_ahead(today: date, n: int) -> None:
    if n > today.toordinal() - date.min.toordinal():
        with pytest.raises(DateError, match="before the first day"):
            parse_past_day(f"-{n}d", today)
        return
    result = parse_past_day(f"-{n}d", today)
    assert result == today - timedelta(days=n)
    assert result <= today


@given(today=st.dates(min_value=date(1, 1, 8)), name=st.sampled_from(WEEKDAY_NAMES))
def test_a_past_weekday_is_within_the_week_before_today(today: date, name: str) -> None:
    result = parse_past_day(name, today)
    assert today - timedelta(days=7) <= result < today
    assert DAY_ABBR_OF[result.weekday()] == name[:3]


DAY_ABBR_OF = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
PAST_FORMS = st.one_of(
    EVERY_FORM,
    st.sampled_from(["yesterday", *WEEKDAY_NAMES, "feb 29", "dec 31", "2024-07-05"]),
    st.builds(lambda n, unit: f"-{n}{unit}", st.integers(0, 99999), st.sampled_from("dwmy")),
)


@given(today=ANY_DAY, text=PAST_FORMS)
@example(today=date.min, text="-1m")
@example(today=date(1, 1, 31), text="-1m")
@example(today=date(1, 2, 28), text="-1m")
@example(today=LAST, text="+1d")
def test_any_form_on_any_day_is_a_past_day_or_a_date_error(today: date, text: str) -> None:
    try:
        day = parse_past_day(text, today)
    except DateError:
        return
    assert date.min <= day <= today


@given(today=TODAYS, text=PAST_FORMS, zero=st.sampled_from(DIGIT_ZEROS))
def test_a_past_day_in_any_script_is_the_ascii_day(today: date, text: str, zero: int) -> None:
    def read(expr: str) -> date | str:
        try:
            return parse_past_day(expr, today)
        except DateError as error:
            return type(error).__name__

    assert read(in_script(text, zero)) == read(text)
