"""Reading the dates users type after ``--on`` and ``--date``.

Everything here is pure: "today" is always a parameter, so the rules can be tested for
any day of any year (month ends, leap years, the year boundary) without a clock.

A date expression names either a *day* (the dossier goes behind a day tab) or a
*month tab* (the dossier waits behind the month until it gets a day)::

    >>> from datetime import date
    >>> today = date(2024, 7, 5)
    >>> parse_when("2024-07-08", today)
    Day(date=datetime.date(2024, 7, 8), rolls=False)
    >>> parse_when("3", today).date         # tab 3 has passed this month: next month's 3rd
    datetime.date(2024, 8, 3)
    >>> parse_when("july", today)
    MonthTab(year=2024, month=7)
    >>> parse_when("+1m", date(2024, 1, 31)).date
    datetime.date(2024, 2, 29)

A history entry is dated the other way, on a day that has happened (``parse_past_day``)::

    >>> parse_past_day("yesterday", today), parse_past_day("monday", today)
    (datetime.date(2024, 7, 4), datetime.date(2024, 7, 1))

Digits may come in any script: the Arabic-Indic digits of a keyboard set to Arabic, the
full-width ones of a Japanese input method, Devanagari ones… are read as ASCII digits,
so that what is stored is always ``YYYY-MM-DD`` and ``HH:MM``. The calendar ends where
Python's does, on 9999-12-31: a date past it is refused, and views stop there.
"""

from __future__ import annotations

import calendar
import re
import unicodedata
from collections.abc import Iterator
from datetime import date, timedelta
from typing import NamedTuple

from .errors import DateError, UsageError

# English names, spelled out rather than taken from ``calendar`` (which follows the
# locale): input and output must not change with LC_ALL.
MONTH_NAME = (
    "",
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)
MONTH_ABBR = tuple(name[:3] for name in MONTH_NAME)
DAY_ABBR = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")

MONTHS = {
    name: number
    for number in range(1, 13)
    for name in (MONTH_NAME[number].lower(), MONTH_ABBR[number].lower())
}
MONTHS["sept"] = 9

WEEKDAYS = {
    name: number
    for number, names in enumerate(
        [
            ("monday", "mon"),
            ("tuesday", "tue", "tues"),
            ("wednesday", "wed"),
            ("thursday", "thu", "thur", "thurs"),
            ("friday", "fri"),
            ("saturday", "sat"),
            ("sunday", "sun"),
        ]
    )
    for name in names
}

# Python's calendar, and so dossier's: a day past the last one cannot even be computed.
FIRST_DAY = date.min
LAST_DAY = date.max

ACCEPTED_FORMS = (
    "2024-07-05, 13 (day tab), jul 5, 5 july, july, 2024-07, today, tomorrow, "
    "monday, +3d, +2w, +1m, next week, next month"
)
PAST_FORMS = (
    "today, yesterday, 2024-07-01, jul 3, 3 july, 3 (day of the month), monday, -3d, -2w, -1m, -1y"
)


class Day(NamedTuple):
    """A day tab. ``rolls`` is true for relative forms that may later move off a day off."""

    date: date
    rolls: bool = True


class MonthTab(NamedTuple):
    """A month tab: the dossier has a month but no day yet."""

    year: int
    month: int

    @property
    def key(self) -> str:
        return f"{self.year:04d}-{self.month:02d}"

    @property
    def first(self) -> date:
        return date(self.year, self.month, 1)

    @property
    def last(self) -> date:
        return date(self.year, self.month, calendar.monthrange(self.year, self.month)[1])


Target = Day | MonthTab


class PastTheEnd(DateError):
    """A date after 9999-12-31, which Python's ``date`` (and so dossier) cannot hold."""


def past_end(what: str) -> PastTheEnd:
    return PastTheEnd(f"{what} is past the last day dossier can file, {LAST_DAY.isoformat()}")


def ascii_digits(text: str) -> str:
    """``text`` with every decimal digit of any script as its ASCII digit.

    Python's ``\\d`` and ``int()`` accept ``١٣`` as 13, but the text would be stored as
    typed; reading it here, once, keeps what is stored ASCII. Only decimal digits count:
    a superscript ``²`` is not one, and stays (and is then refused as no number).

    >>> ascii_digits("\u0661\u0660:\u0663\u0660"), ascii_digits("\uff11\uff13")
    ('10:30', '13')
    """
    if text.isascii():
        return text
    return "".join(_ascii_digit(char) for char in text)


def _ascii_digit(char: str) -> str:
    value = unicodedata.decimal(char, None)
    return char if value is None else str(value)


def days_from(day: date, count: int) -> date:
    """``day`` plus ``count`` days (minus, when negative), stopping at the calendar's ends,
    for views that show what they can rather than fail near 0001 or 9999.

    >>> days_from(date(9999, 12, 30), 5), days_from(date(1, 1, 2), -5)
    (datetime.date(9999, 12, 31), datetime.date(1, 1, 1))
    """
    ordinal = day.toordinal() + count
    return date.fromordinal(min(max(ordinal, FIRST_DAY.toordinal()), LAST_DAY.toordinal()))


def each_day(first: date, last: date) -> Iterator[date]:
    """Every day from ``first`` to ``last``, both included: ``day += 1`` after the last
    one would overflow on 9999-12-31, even with nothing left to do."""
    for ordinal in range(first.toordinal(), last.toordinal() + 1):
        yield date.fromordinal(ordinal)


class _Pattern:
    """A regular expression compiled on first use (by ``re``'s own cache): most runs
    read no date at all, and compiling them all at start-up cost every command."""

    __slots__ = ("pattern",)

    def __init__(self, pattern: str) -> None:
        self.pattern = pattern

    def fullmatch(self, text: str) -> re.Match[str] | None:
        return re.fullmatch(self.pattern, text, re.ASCII)


# ASCII: the digits were made ASCII first, and [a-z] and \s mean what they say.
_ISO_DAY = _Pattern(r"(\d{4})-(\d{1,2})-(\d{1,2})")
_ISO_MONTH = _Pattern(r"(\d{4})-(\d{1,2})")
_TAB = _Pattern(r"(\d{1,2})(?:st|nd|rd|th)?")
_OFFSET = _Pattern(r"\+(\d{1,5})\s*([dwmy])")
_BACK = _Pattern(r"-(\d{1,7})\s*([dwmy])")
_WORD_DAY = _Pattern(r"([a-z]+)\.?\s+(\d{1,2})(?:st|nd|rd|th)?(?:,?\s+(\d{4}))?")
_DAY_WORD = _Pattern(r"(\d{1,2})(?:st|nd|rd|th)?\s+([a-z]+)\.?(?:,?\s+(\d{4}))?")
_WORD_YEAR = _Pattern(r"([a-z]+)\.?(?:\s+(\d{4}))?")
_TIME = _Pattern(r"\s*(\d{1,2})[:.h](\d{2})\s*")


def parse_when(text: str, today: date, allow_past: bool = False) -> Target:
    """Read a date expression; refuse past, impossible and unknown ones with a clear reason.

    ``allow_past`` is for the rare place a past day makes sense (``move --from``: the
    stack left behind an earlier tab).
    """
    expr = " ".join(ascii_digits(text).lower().split())
    try:
        target = _parse(expr, today)
    except (PastTheEnd, OverflowError, ValueError):
        # Nothing typed reaches before 0001-01-01: every overflow is past the end.
        raise past_end(repr(text.strip())) from None
    if target is None:
        raise DateError(f"cannot read {text!r} as a date; use one of: {ACCEPTED_FORMS}")
    if not allow_past:
        _refuse_past(text, target, today)
    return target


def _parse(expr: str, today: date) -> Target | None:
    if expr == "today":
        return Day(today, rolls=False)
    if expr == "tomorrow":
        return Day(today + timedelta(days=1))
    if expr == "next week":
        return Day(today + timedelta(days=7 - today.weekday()))
    if expr == "next month":
        return _month_tab(*_add_months(today.year, today.month, 1))
    if expr in WEEKDAYS:
        ahead = (WEEKDAYS[expr] - today.weekday() - 1) % 7 + 1
        return Day(today + timedelta(days=ahead))
    if m := _ISO_DAY.fullmatch(expr):
        return Day(_make_date(expr, int(m[1]), int(m[2]), int(m[3])), rolls=False)
    if m := _ISO_MONTH.fullmatch(expr):
        return MonthTab(_check_year(expr, int(m[1])), _check_month(expr, int(m[2])))
    if m := _TAB.fullmatch(expr):
        return Day(day_tab(int(m[1]), today))
    if m := _OFFSET.fullmatch(expr):
        return Day(_offset(expr, today, int(m[1]), m[2]))
    for pattern, month_group, day_group in ((_WORD_DAY, 1, 2), (_DAY_WORD, 2, 1)):
        if (m := pattern.fullmatch(expr)) and m[month_group] in MONTHS:
            month, day = MONTHS[m[month_group]], int(m[day_group])
            if m[3]:
                return Day(_make_date(expr, int(m[3]), month, day), rolls=False)
            return Day(month_day(month, day, today))
    if (m := _WORD_YEAR.fullmatch(expr)) and m[1] in MONTHS:
        month = MONTHS[m[1]]
        if m[2]:
            return MonthTab(_check_year(expr, int(m[2])), month)
        year = today.year if month >= today.month else today.year + 1
        return _month_tab(year, month)
    return None


def parse_past_day(text: str, today: date) -> date:
    """Read the day something happened (``log --date``, ``file --date``): today or before.

    A history entry records the past, so the forward forms turn round: a weekday is the
    most recent one *strictly before* today (on a Friday, ``friday`` is a week ago, since
    "today" says today), and ``jul 3`` or a bare ``3`` is the most recent such day *on
    or before* today. ``-3d``, ``-2w``, ``-1m``, ``-1y`` count back (months and years by
    the calendar, as ``+1m`` does forwards: 31 March ``-1m`` is 29 February). Nothing
    rolls off a day off: a call made on a Saturday happened on the Saturday. A month
    alone names no day, and a future day is refused, whatever form it was typed in.

    >>> friday = date(2024, 7, 5)
    >>> parse_past_day("friday", friday), parse_past_day("-3d", friday)
    (datetime.date(2024, 6, 28), datetime.date(2024, 7, 2))
    >>> parse_past_day("jul 3", friday), parse_past_day("dec 24", friday)
    (datetime.date(2024, 7, 3), datetime.date(2023, 12, 24))
    >>> parse_past_day("-1m", date(2024, 3, 31))
    datetime.date(2024, 2, 29)
    >>> def refusal(text: str) -> None:
    ...     try:
    ...         parse_past_day(text, friday)
    ...     except DateError as error:
    ...         print(error)
    >>> refusal("tomorrow")
    'tomorrow' is 2024-07-06: a history entry cannot be in the future (today is 2024-07-05)
    >>> refusal("july")  # doctest: +ELLIPSIS
    'july' is a month, not a day: a history entry needs a day, ...
    """
    expr = " ".join(ascii_digits(text).lower().split())
    shown = repr(text.strip())
    try:
        day = _parse_past(expr, today)
        target: Target | None = Day(day) if day is not None else _parse(expr, today)
    except BeforeTheStart:
        raise before_start(shown) from None
    except (PastTheEnd, OverflowError, ValueError):
        # Counting back overflows before 0001-01-01; a forward form past 9999-12-31 is
        # refused as any future day is, not as a filing past the end would be.
        if _BACK.fullmatch(expr):
            raise before_start(shown) from None
        raise DateError(
            f"{shown} is after {LAST_DAY.isoformat()}: a history entry cannot be in the "
            f"future (today is {today.isoformat()})"
        ) from None
    if target is None:
        raise DateError(f"cannot read {text!r} as a day; use one of: {PAST_FORMS}")
    if isinstance(target, MonthTab):
        raise DateError(
            f"{shown} is a month, not a day: a history entry needs a day, e.g. {today.isoformat()}"
        )
    if target.date > today:
        iso = target.date.isoformat()
        shown = iso if text.strip() == iso else f"{shown} is {iso}"
        raise DateError(
            f"{shown}: a history entry cannot be in the future (today is {today.isoformat()})"
        )
    return target.date


class BeforeTheStart(DateError):
    """A day before 0001-01-01, which Python's ``date`` (and so dossier) cannot hold."""


def before_start(what: str) -> BeforeTheStart:
    return BeforeTheStart(
        f"{what} is before the first day dossier can hold, {FIRST_DAY.isoformat()}"
    )


def _parse_past(expr: str, today: date) -> date | None:
    """The forms that count back; None for the others, which ``_parse`` reads forwards
    (an ISO day, ``jul 3 2024``) or which are refused as future or as months."""
    if expr == "yesterday":
        return _back_days(today, 1)
    if expr in WEEKDAYS:
        return _back_days(today, (today.weekday() - WEEKDAYS[expr] - 1) % 7 + 1)
    if m := _TAB.fullmatch(expr):
        return _last_numbered_day(int(m[1]), today)
    if m := _BACK.fullmatch(expr):
        return _back(today, int(m[1]), m[2])
    for pattern, month_group, day_group in ((_WORD_DAY, 1, 2), (_DAY_WORD, 2, 1)):
        if (m := pattern.fullmatch(expr)) and m[month_group] in MONTHS and not m[3]:
            return _last_month_day(MONTHS[m[month_group]], int(m[day_group]), today)
    return None


def _back_days(today: date, count: int) -> date:
    if today.toordinal() - count < FIRST_DAY.toordinal():
        raise BeforeTheStart("")
    return today - timedelta(days=count)


def _back(today: date, amount: int, unit: str) -> date:
    from dateutil.relativedelta import relativedelta

    if unit == "d":
        return _back_days(today, amount)
    if unit == "w":
        return _back_days(today, 7 * amount)
    months = amount * (12 if unit == "y" else 1)
    if today.year * 12 + today.month - 1 - months < 12:  # before January of year 1
        raise BeforeTheStart("")
    result: date = today - relativedelta(months=months)
    return result


def _last_numbered_day(number: int, today: date) -> date:
    """The most recent ``number``-th of a month on or before today, skipping months that
    lack it (on 1 March, ``30`` is 30 January)."""
    if not 1 <= number <= 31:
        raise DateError(f"there is no day {number} in a month: days run from 1 to 31")
    year, month = today.year, today.month
    while year >= FIRST_DAY.year:
        if number <= calendar.monthrange(year, month)[1]:
            candidate = date(year, month, number)
            if candidate <= today:
                return candidate
        year, month = _add_months(year, month, -1)
    raise BeforeTheStart("")


def _last_month_day(month: int, day: int, today: date) -> date:
    """The most recent ``day`` of ``month`` on or before today (29 February goes back
    to the last leap year)."""
    if not 1 <= day <= _longest(month):
        raise DateError(f"{MONTH_NAME[month]} has no day {day}")
    for year in range(today.year, FIRST_DAY.year - 1, -1):
        if day <= calendar.monthrange(year, month)[1] and date(year, month, day) <= today:
            return date(year, month, day)
    raise BeforeTheStart("")


def _month_tab(year: int, month: int) -> MonthTab:
    if year > LAST_DAY.year:
        raise PastTheEnd(f"the {MONTH_NAME[month]} {year} tab")
    return MonthTab(year, month)


def day_tab(number: int, today: date) -> date:
    """The date tab ``number`` stands for: the next such day on or after today.

    Tabs already passed this month are next month's days, as in the paper binder; a
    day the month lacks (31 in November) rolls on to the next month that has it.

    >>> day_tab(31, date(2026, 11, 29))
    datetime.date(2026, 12, 31)
    >>> day_tab(29, date(2023, 2, 10))
    datetime.date(2023, 3, 29)
    """
    if not 1 <= number <= 31:
        raise DateError(f"there is no tab {number}: day tabs run from 1 to 31")
    found = tab_date(number, today)
    if found is None:
        raise past_end(f"tab {number}")
    return found


def tab_date(number: int, today: date) -> date | None:
    """``day_tab`` for a tab from 1 to 31, or None when that day would come after
    9999-12-31 (the folder then simply shows fewer tabs)."""
    year, month = today.year, today.month
    while year <= LAST_DAY.year:
        if number <= calendar.monthrange(year, month)[1]:
            candidate = date(year, month, number)
            if candidate >= today:
                return candidate
        year, month = _add_months(year, month, 1)
    return None


def month_day(month: int, day: int, today: date) -> date:
    """The next ``day`` of ``month`` on or after today (29 February waits for a leap year).

    >>> month_day(2, 29, date(2025, 3, 1))
    datetime.date(2028, 2, 29)
    """
    if not 1 <= day <= _longest(month):
        raise DateError(f"{MONTH_NAME[month]} has no day {day}")
    for year in range(today.year, LAST_DAY.year + 1):
        if day <= calendar.monthrange(year, month)[1] and date(year, month, day) >= today:
            return date(year, month, day)
    raise past_end(f"the next {MONTH_NAME[month]} {day}")


def parse_time(text: str) -> str:
    """Normalise a time of day to ``HH:MM`` (``9:5`` is refused, ``9:05`` is ``09:05``),
    in ASCII digits whatever script they were typed in."""
    m = _TIME.fullmatch(ascii_digits(text))
    if not m or int(m[1]) > 23 or int(m[2]) > 59:
        raise UsageError(f"cannot read {text!r} as a time; use HH:MM, e.g. 09:30 or 14:00")
    return f"{int(m[1]):02d}:{m[2]}"


def format_day(day: date) -> str:
    """``Fri 5 Jul 2024``: unambiguous, short, and independent of the locale.

    >>> format_day(date(2024, 7, 5))
    'Fri 5 Jul 2024'
    """
    return f"{DAY_ABBR[day.weekday()]} {day.day} {MONTH_ABBR[day.month]} {day.year}"


def format_month(year: int, month: int) -> str:
    """``July 2024``, as the month tabs are labelled.

    >>> format_month(2024, 7)
    'July 2024'
    """
    return f"{MONTH_NAME[month]} {year}"


def _refuse_past(text: str, target: Target, today: date) -> None:
    if isinstance(target, Day) and target.date < today:
        shown = text.strip()
        if shown != target.date.isoformat():
            shown = f"{shown!r} is {target.date.isoformat()}, which"
        raise DateError(
            f"{shown} is before today ({today.isoformat()}); "
            f"use a date on or after {today.isoformat()}"
        )
    if isinstance(target, MonthTab) and target.last < today:
        raise DateError(
            f"{text.strip()!r} is the {format_month(target.year, target.month)} tab, "
            f"before today ({today.isoformat()}); use a date on or after {today.isoformat()}"
        )


def _make_date(expr: str, year: int, month: int, day: int) -> date:
    _check_month(expr, month)
    _check_year(expr, year)
    days = calendar.monthrange(year, month)[1]
    if not 1 <= day <= days:
        raise DateError(f"{expr!r} is not a date: {format_month(year, month)} has {days} days")
    return date(year, month, day)


def _check_year(expr: str, year: int) -> int:
    if year < 1:
        raise DateError(f"{expr!r} is not a date: there is no year {year}")
    return year


def _check_month(expr: str, month: int) -> int:
    if not 1 <= month <= 12:
        raise DateError(f"{expr!r} is not a date: there is no month {month}")
    return month


def _offset(expr: str, today: date, amount: int, unit: str) -> date:
    from dateutil.relativedelta import relativedelta

    step = {
        "d": relativedelta(days=amount),
        "w": relativedelta(weeks=amount),
        "m": relativedelta(months=amount),
        "y": relativedelta(years=amount),
    }[unit]
    try:
        result: date = today + step
    except (OverflowError, ValueError):
        raise past_end(repr(expr)) from None
    return result


def _add_months(year: int, month: int, count: int) -> tuple[int, int]:
    index = year * 12 + (month - 1) + count
    return index // 12, index % 12 + 1


def _longest(month: int) -> int:
    return 29 if month == 2 else calendar.monthrange(2001, month)[1]
