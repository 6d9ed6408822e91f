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

Dates are read and written in English (``lang="en"``, the default) or Spanish
(``lang="es"``), each language's words in its ``Lexicon``. Reading ignores case and
accents, and reads the other language's words too where they mean nothing in the chosen
one; only Spanish reads ``5/7`` (day first), and it refuses ``mar``, which could be
``martes`` or ``marzo``::

    >>> parse_when("pasado mañana", today, lang="es"), parse_when("julio de 2025", today)
    (Day(date=datetime.date(2024, 7, 7), rolls=True), MonthTab(year=2025, month=7))
    >>> format_long_day(today, lang="es")
    'viernes 5 de julio de 2024'

Digits may come in any script: the Arabic-Indic digits of a keyboard set to Arabic, the
full-width ones of a Japanese input method, Devanagari ones… are read as ASCII digits,
so that what is stored is always ``YYYY-MM-DD`` and ``HH:MM``. The calendar ends where
Python's does, on 9999-12-31: a date past it is refused, and views stop there.
"""

from __future__ import annotations

import calendar
import re
import unicodedata
from collections.abc import Iterator, Mapping
from datetime import date, timedelta
from typing import NamedTuple

from .errors import DateError, UsageError
from .messages import Message, note

# Python's calendar, and so dossier's: a day past the last one cannot even be computed.
FIRST_DAY = date.min
LAST_DAY = date.max

_Names = tuple[str, ...]

# A language's words for dates. The functional form: the class form would compile each
# (string) annotation at import, which every run of dossier would pay for.
_LexiconFields = NamedTuple(  # noqa: UP014
    "_LexiconFields",
    [
        ("code", str),  # "en", "es"
        ("months", _Names),  # January first, as the language writes them
        ("month_abbrs", _Names),
        ("weekdays", _Names),  # Monday first
        ("weekday_abbrs", _Names),
        # Every other word or phrase read, with its meaning: "month:9" and "weekday:1"
        # (Monday is 0) are other spellings; "day:1" is today plus one day; "unit:w"
        # counts weeks in "+2 weeks"; "next week" and "next month" are what they say;
        # "in" opens a count ahead ("in 3 days"), "back" one back ("hace 3 días");
        # "the" may open a day ("el lunes"); "next" and "coming" make a weekday the
        # next one, before it ("el próximo lunes") or after it ("el lunes que viene").
        ("words", tuple[tuple[str, str], ...]),
        ("long_day", str),  # format_long_day's template
        ("day_first", bool),  # whether 5/7 is 5 July (only where that order is the rule)
        ("forms", str),  # examples for parse_when's "use one of"
        ("past_forms", str),  # and parse_past_day's
    ],
)


class Lexicon(_LexiconFields):
    """One language's names of months and weekdays and its relative words, for reading
    and writing dates. Spelled out rather than taken from ``calendar`` or the locale:
    input and output must not change with LC_ALL. Words are written as the language
    writes them; reading ignores case and accents."""

    __slots__ = ()


ENGLISH = Lexicon(
    code="en",
    months=(
        "January", "February", "March", "April", "May", "June",
        "July", "August", "September", "October", "November", "December",
    ),
    month_abbrs=(
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ),
    weekdays=("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"),
    weekday_abbrs=("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"),
    words=(
        ("sept", "month:9"),
        ("tues", "weekday:1"), ("thur", "weekday:3"), ("thurs", "weekday:3"),
        ("today", "day:0"), ("tomorrow", "day:1"), ("yesterday", "day:-1"),
        ("next week", "next week"), ("next month", "next month"),
        ("d", "unit:d"), ("day", "unit:d"), ("days", "unit:d"),
        ("w", "unit:w"), ("week", "unit:w"), ("weeks", "unit:w"),
        ("m", "unit:m"), ("month", "unit:m"), ("months", "unit:m"),
        ("y", "unit:y"), ("year", "unit:y"), ("years", "unit:y"),
        ("in", "in"),
    ),
    long_day="{weekday} {day} {month} {year}",
    day_first=False,  # 5/7 is 5 July in the UK and May 7 in the US
    forms=(
        "2024-07-05, 13 (day tab), jul 5, 5 july, july, 2024-07, today, tomorrow, "
        "monday, +3d, +2w, +1m, next week, next month"
    ),
    past_forms=(
        "today, yesterday, 2024-07-01, jul 3, 3 july, 3 (day of the month), monday, "
        "-3d, -2w, -1m, -1y"
    ),
)  # fmt: skip

SPANISH = Lexicon(
    code="es",
    months=(
        "enero", "febrero", "marzo", "abril", "mayo", "junio",
        "julio", "agosto", "septiembre", "octubre", "noviembre", "diciembre",
    ),
    month_abbrs=(
        "ene", "feb", "mar", "abr", "may", "jun", "jul", "ago", "sep", "oct", "nov", "dic",
    ),
    weekdays=("lunes", "martes", "miércoles", "jueves", "viernes", "sábado", "domingo"),
    weekday_abbrs=("lun", "mar", "mié", "jue", "vie", "sáb", "dom"),
    words=(
        ("setiembre", "month:9"),
        ("hoy", "day:0"), ("mañana", "day:1"), ("pasado mañana", "day:2"),
        ("ayer", "day:-1"), ("anteayer", "day:-2"),
        ("la semana que viene", "next week"), ("la próxima semana", "next week"),
        ("semana que viene", "next week"), ("próxima semana", "next week"),
        ("el mes que viene", "next month"), ("el próximo mes", "next month"),
        ("mes que viene", "next month"), ("próximo mes", "next month"),
        ("día", "unit:d"), ("días", "unit:d"), ("semana", "unit:w"), ("semanas", "unit:w"),
        ("mes", "unit:m"), ("meses", "unit:m"), ("año", "unit:y"), ("años", "unit:y"),
        ("en", "in"), ("dentro de", "in"), ("hace", "back"),
        ("el", "the"), ("próximo", "next"), ("que viene", "coming"),
    ),
    long_day="{weekday} {day} de {month} de {year}",
    day_first=True,
    forms=(
        "2024-07-05, 5/7/2024, 13 (pestaña del día), 5 de julio, julio, 2024-07, hoy, mañana, "
        "lunes, el próximo lunes, +3d, +2 semanas, en 3 días, la semana que viene, "
        "el mes que viene"
    ),
    past_forms=(
        "hoy, ayer, 2024-07-01, 3 de julio, 3/7, 3 (día del mes), lunes, "
        "hace 3 días, hace 2 semanas, hace 1 mes, -3d, -1y"
    ),
)  # fmt: skip

LEXICONS: Mapping[str, Lexicon] = {lexicon.code: lexicon for lexicon in (ENGLISH, SPANISH)}


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

A_MONDAY = date(2024, 1, 1)  # a message's weekday is a day of that weekday: this one plus n


class PastTheEnd(DateError):
    """A date after 9999-12-31, which Python's ``date`` (and so dossier) cannot hold."""


class MonthName(NamedTuple):
    """A month's name alone, as a message's parameter: ``{month}`` is "February" in an
    English message and "febrero" in a Spanish one (``messages.fill`` writes it in the
    run's language). A ``MonthTab`` is written with its year ("February 2024")."""

    number: int  # January is 1

    def __format__(self, spec: str) -> str:
        return lexicon(spec or "en").months[self.number - 1]


def past_end(what: Message | str) -> PastTheEnd:
    """The refusal of a day after 9999-12-31: ``what`` says which day, as a message, or
    is the text the user typed."""
    if isinstance(what, str):
        return PastTheEnd(
            "{text!r} is past the last day dossier can file, {last:iso}", text=what, last=LAST_DAY
        )
    return PastTheEnd(
        "{what} is past the last day dossier can file, {last:iso}", what=what, last=LAST_DAY
    )


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


# ASCII: the digits were made ASCII first, the accents taken off, and [a-z] and \s mean
# what they say. A day may open with its weekday ("Fri 5 Jul 2024", "viernes 5 de julio
# de 2024"); Spanish joins day, month and year with "de".
_ISO_DAY = _Pattern(r"(\d{4})-(\d{1,2})-(\d{1,2})")
_ISO_MONTH = _Pattern(r"(\d{4})-(\d{1,2})")
_TAB = _Pattern(r"(\d{1,2})(?:st|nd|rd|th)?")
_COUNT = _Pattern(r"([+-]?)(\d{1,7})\s*([a-z]+)")
_SLASH = _Pattern(r"(\d{1,2})/(\d{1,2})(?:/(\d+))?")
_WORD_DAY = _Pattern(
    r"(?:([a-z]+)\.?,?\s+)?([a-z]+)\.?\s+(\d{1,2})(?:st|nd|rd|th)?(?:,?\s+(\d{4}))?"
)
_DAY_WORD = _Pattern(
    r"(?:([a-z]+)\.?,?\s+)?(\d{1,2})(?:st|nd|rd|th)?\s+(?:de\s+)?([a-z]+)\.?"
    r"(?:,?\s+(?:de\s+)?(\d{4}))?"
)
_WORD_YEAR = _Pattern(r"([a-z]+)\.?(?:\s+(?:de\s+)?(\d{4}))?")
_TIME = _Pattern(r"\s*(\d{1,2})[:.h](\d{2})\s*")


def lexicon(lang: str) -> Lexicon:
    """The lexicon of ``lang`` ("en", "es"); an unknown language is a usage error."""
    found = LEXICONS.get(lang)
    if found is None:
        raise UsageError(
            "dates cannot be read or written in {lang!r}; use one of: {languages}",
            lang=lang,
            languages=", ".join(LEXICONS),
        )
    return found


def _fold(text: str) -> str:
    """``text`` without its accents (``mañana`` is ``manana``), as users may type it."""
    if text.isascii():
        return text
    return "".join(c for c in unicodedata.normalize("NFD", text) if not unicodedata.combining(c))


class _Reading:
    """The words read under one language, accents off: the language's own, then those
    of the others that mean nothing in it (``mar`` is March in English, and either
    ``martes`` or ``marzo`` in Spanish). Built on first use, as the patterns are."""

    __slots__ = ("ambiguous", "days", "lexicon", "months", "roles", "units", "weekdays")

    def __init__(self, lexicon: Lexicon) -> None:
        self.lexicon = lexicon
        self.months: dict[str, int] = {}
        self.weekdays: dict[str, int] = {}
        self.days: dict[str, int] = {}
        self.units: dict[str, str] = {}
        self.roles: dict[str, str] = {}
        own = list(_entries(lexicon))
        taken = {word for word, _ in own}
        for other in LEXICONS.values():
            if other is not lexicon:
                own.extend(entry for entry in _entries(other) if entry[0] not in taken)
        for word, meaning in own:
            kind, _, value = meaning.partition(":")
            if kind == "month":
                self.months.setdefault(word, int(value))
            elif kind == "weekday":
                self.weekdays.setdefault(word, int(value))
            elif kind == "day":
                self.days.setdefault(word, int(value))
            elif kind == "unit":
                self.units.setdefault(word, value)
            else:
                self.roles.setdefault(word, kind)
        self.ambiguous = self.months.keys() & self.weekdays.keys()

    def words(self, role: str) -> Iterator[str]:
        return (word for word, meaning in self.roles.items() if meaning == role)

    def ambiguity(self, word: str, text: str) -> DateError:
        """``mar``: both words named in the parser's language, with their English names
        (a translation may leave those out)."""
        weekday, month = self.weekdays[word], self.months[word]
        names = {
            "word": word,
            "weekday": self.lexicon.weekdays[weekday],
            "english_weekday": ENGLISH.weekdays[weekday],
            "month": self.lexicon.months[month - 1],
            "english_month": ENGLISH.months[month - 1],
        }
        if text.strip().lower() == word:
            return DateError(
                "{word!r} could be {weekday} ({english_weekday}) or {month} ({english_month}); "
                "type the whole word",
                **names,
            )
        return DateError(
            "{text!r}: {word!r} could be {weekday} ({english_weekday}) or {month} "
            "({english_month}); type the whole word",
            text=text.strip(),
            **names,
        )


def _entries(lexicon: Lexicon) -> Iterator[tuple[str, str]]:
    for number in range(12):
        yield _fold(lexicon.months[number].lower()), f"month:{number + 1}"
        yield _fold(lexicon.month_abbrs[number].lower()), f"month:{number + 1}"
    for number in range(7):
        yield _fold(lexicon.weekdays[number].lower()), f"weekday:{number}"
        yield _fold(lexicon.weekday_abbrs[number].lower()), f"weekday:{number}"
    for word, meaning in lexicon.words:
        yield _fold(word.lower()), meaning


_READINGS: dict[str, _Reading] = {}


def _reading(lang: str) -> _Reading:
    reading = _READINGS.get(lang)
    if reading is None:
        reading = _READINGS[lang] = _Reading(lexicon(lang))
    return reading


def _normal(text: str) -> str:
    return _fold(" ".join(ascii_digits(text).lower().split()))


def parse_when(text: str, today: date, allow_past: bool = False, *, lang: str = "en") -> Target:
    """Read a date expression; refuse past, impossible and unknown ones with a clear reason.

    ``allow_past`` is for the rare place a past day makes sense (``move --from``: the
    stack left behind an earlier tab). ``lang`` picks the words read first; the other
    languages' words are read too where they mean nothing in it::

        >>> parse_when("el próximo lunes", date(2024, 7, 5), lang="es")
        Day(date=datetime.date(2024, 7, 8), rolls=True)
        >>> parse_when("5/7", date(2024, 7, 5), lang="es").date  # day first
        datetime.date(2024, 7, 5)
    """
    reading = _reading(lang)
    expr = _normal(text)
    try:
        target = _parse(expr, today, reading, text)
    except (PastTheEnd, OverflowError, ValueError):
        # Nothing typed reaches before 0001-01-01: every overflow is past the end.
        raise past_end(text.strip()) from None
    if target is None:
        raise DateError(
            "cannot read {text!r} as a date; use one of: {forms}",
            text=text,
            forms=reading.lexicon.forms,
        )
    if not allow_past:
        _refuse_past(text, target, today)
    return target


def _parse(expr: str, today: date, reading: _Reading, text: str) -> Target | None:
    if (ahead := reading.days.get(expr)) is not None:
        # Only parse_past_day reads a day before today ("yesterday").
        return Day(today + timedelta(days=ahead), rolls=ahead != 0) if ahead >= 0 else None
    role = reading.roles.get(expr)
    if role == "next week":
        return Day(today + timedelta(days=7 - today.weekday()))
    if role == "next month":
        return _month_tab(*_add_months(today.year, today.month, 1))
    expr = _without_article(expr, reading)
    if (weekday := _weekday(expr, reading, text)) is not None:
        ahead = (weekday[0] - today.weekday() - 1) % 7 + 1
        return Day(today + timedelta(days=ahead))
    if m := _ISO_DAY.fullmatch(expr):
        return Day(_make_date(expr, int(m[1]), int(m[2]), int(m[3])), rolls=False)
    if m := _ISO_MONTH.fullmatch(expr):
        return MonthTab(_check_year(expr, int(m[1])), _check_month(expr, int(m[2])))
    if m := _TAB.fullmatch(expr):
        return Day(day_tab(int(m[1]), today))
    if (count := _count(expr, reading)) is not None:
        sign, amount, unit = count
        return Day(_offset(expr, today, amount, unit)) if sign > 0 else None
    if (slash := _slash(expr, reading, text, today)) is not None:
        day, month, year = slash
        if year is None:
            return Day(month_day(month, day, today))
        return Day(_make_date(expr, year, month, day), rolls=False)
    if (found := _month_and_day(expr, reading, text)) is not None:
        month, day, year, weekday_named = found
        if year is None:
            return Day(_on_weekday(month_day(month, day, today), weekday_named, text))
        exact = _make_date(expr, year, month, day)
        return Day(_on_weekday(exact, weekday_named, text), rolls=False)
    if (m := _WORD_YEAR.fullmatch(expr)) and m[1] in reading.months:
        if m[1] in reading.ambiguous:
            raise reading.ambiguity(m[1], text)
        month = reading.months[m[1]]
        if m[2]:
            return MonthTab(_check_year(expr, int(m[2])), month)
        year = today.year if month >= today.month else today.year + 1
        return _month_tab(year, month)
    return None


def _without_article(expr: str, reading: _Reading) -> str:
    """``el lunes`` is ``lunes``, ``el 5 de julio`` is ``5 de julio``."""
    for word in reading.words("the"):
        if expr.startswith(word + " "):
            return expr[len(word) + 1 :]
    return expr


def _weekday(expr: str, reading: _Reading, text: str) -> tuple[int, bool] | None:
    """The weekday a bare weekday name or a "next" phrase (``el próximo lunes``, ``el
    lunes que viene``) names (Monday is 0), and whether such a phrase made it the next."""
    forward = False
    for word in reading.words("next"):
        if expr.startswith(word + " "):
            expr, forward = expr[len(word) + 1 :], True
            break
    for word in reading.words("coming"):
        if expr.endswith(" " + word):
            expr, forward = expr[: -len(word) - 1], True
            break
    number = reading.weekdays.get(expr)
    if number is None:
        return None
    if expr in reading.ambiguous:
        raise reading.ambiguity(expr, text)
    return number, forward


def _count(expr: str, reading: _Reading) -> tuple[int, int, str] | None:
    """``+3d``, ``-2w``, ``+2 semanas``, ``in 3 days``, ``dentro de 3 días``, ``hace 1
    mes``: the direction (1 ahead, -1 back), the amount and the unit (d, w, m or y)."""
    sign = 0
    for role, direction in (("in", 1), ("back", -1)):
        for word in reading.words(role):
            if expr.startswith(word + " "):
                expr, sign = expr[len(word) + 1 :], direction
                break
        if sign:
            break
    m = _COUNT.fullmatch(expr)
    if not m or m[3] not in reading.units or bool(m[1]) == bool(sign):
        return None  # no unit, or a sign and a word both, or neither
    if m[1]:
        sign = 1 if m[1] == "+" else -1
    if sign > 0 and len(m[2]) > 5:
        return None
    return sign, int(m[2]), reading.units[m[3]]


def _slash(
    expr: str, reading: _Reading, text: str, today: date
) -> tuple[int, int, int | None] | None:
    """Day, month and year (None when left out) of ``5/7/2024`` or ``5/7``, day first
    where the language writes it so; refused elsewhere, since the order differs."""
    m = _SLASH.fullmatch(expr)
    if not m:
        return None
    typed = text.strip()
    if not reading.lexicon.day_first:
        raise DateError(
            "cannot read {text!r}: day and month come in a different order from country "
            "to country; write the date as year-month-day, e.g. 2024-07-05",
            text=typed,
        )
    day, month = int(m[1]), int(m[2])
    if not 1 <= month <= 12:
        raise DateError(
            "{text!r} is not a date: there is no month {number} (the day comes first: "
            "5/7/2024 is 5 July 2024)",
            text=typed,
            number=month,
        )
    if m[3] is not None and len(m[3]) != 4:
        raise DateError(
            "cannot read {text!r}: write the year with its four digits, e.g. "
            "{day_number}/{month_number}/{year}",
            text=typed,
            day_number=day,
            month_number=month,
            year=today.year,
        )
    return day, month, int(m[3]) if m[3] else None


def _month_and_day(
    expr: str, reading: _Reading, text: str
) -> tuple[int, int, int | None, int | None] | None:
    """Month, day, year and weekday (None when left out) of ``jul 5``, ``5 july, 2025``,
    ``5 de julio de 2025``, ``Fri 5 Jul 2024``."""
    for pattern, month_group, day_group in ((_WORD_DAY, 2, 3), (_DAY_WORD, 3, 2)):
        m = pattern.fullmatch(expr)
        if not m or m[month_group] not in reading.months:
            continue
        weekday = None
        if m[1]:  # a weekday first: the word after the day can only be a month
            weekday = reading.weekdays.get(m[1])
            if weekday is None:
                continue
        elif m[month_group] in reading.ambiguous:
            raise reading.ambiguity(m[month_group], text)
        year = int(m[4]) if m[4] else None
        return reading.months[m[month_group]], int(m[day_group]), year, weekday
    return None


def _on_weekday(day: date, weekday: int | None, text: str) -> date:
    """``day``, when it falls on the weekday typed with it (if any)."""
    if weekday is not None and day.weekday() != weekday:
        raise DateError(
            "{text!r}: {day.day} {month} {day.year} is a {day:weekday}, not a "
            "{named:weekday}; correct the weekday or leave it out",
            text=text.strip(),
            day=day,
            month=MonthName(day.month),
            named=A_MONDAY + timedelta(days=weekday),  # a day of the weekday typed
        )
    return day


def parse_past_day(text: str, today: date, *, lang: str = "en") -> date:
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
    >>> parse_past_day("hace 2 semanas", friday, lang="es")
    datetime.date(2024, 6, 21)
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
    reading = _reading(lang)
    expr = _normal(text)
    typed = text.strip()
    try:
        day = _parse_past(expr, today, reading, text)
        target: Target | None = Day(day) if day is not None else _parse(expr, today, reading, text)
    except BeforeTheStart:
        raise before_start(typed) from None
    except (PastTheEnd, OverflowError, ValueError):
        # Counting back overflows before 0001-01-01; a forward form past 9999-12-31 is
        # refused as any future day is, not as a filing past the end would be.
        if (count := _count(expr, reading)) is not None and count[0] < 0:
            raise before_start(typed) from None
        raise DateError(
            "{text!r} is after {last:iso}: a history entry cannot be in the future "
            "(today is {today:iso})",
            text=typed,
            last=LAST_DAY,
            today=today,
        ) from None
    if target is None:
        raise DateError(
            "cannot read {text!r} as a day; use one of: {forms}",
            text=text,
            forms=reading.lexicon.past_forms,
        )
    if isinstance(target, MonthTab):
        raise DateError(
            "{text!r} is a month, not a day: a history entry needs a day, e.g. {today:iso}",
            text=typed,
            today=today,
        )
    if target.date > today:
        if typed == target.date.isoformat():
            raise DateError(
                "{day:iso}: a history entry cannot be in the future (today is {today:iso})",
                day=target.date,
                today=today,
            )
        raise DateError(
            "{text!r} is {day:iso}: a history entry cannot be in the future (today is {today:iso})",
            text=typed,
            day=target.date,
            today=today,
        )
    return target.date


class BeforeTheStart(DateError):
    """A day before 0001-01-01, which Python's ``date`` (and so dossier) cannot hold."""


def before_start(text: str) -> BeforeTheStart:
    """The refusal of a day before 0001-01-01; ``text`` is what the user typed."""
    return BeforeTheStart(
        "{text!r} is before the first day dossier can hold, {first:iso}",
        text=text,
        first=FIRST_DAY,
    )


def _parse_past(expr: str, today: date, reading: _Reading, text: str) -> date | None:
    """The forms that count back; None for the others, which ``_parse`` reads forwards
    (an ISO day, ``jul 3 2024``, ``el próximo lunes``) or which are refused as future
    or as months."""
    if (ahead := reading.days.get(expr)) is not None and ahead < 0:  # yesterday
        return _back_days(today, -ahead)
    expr = _without_article(expr, reading)
    if (weekday := _weekday(expr, reading, text)) is not None and not weekday[1]:
        return _back_days(today, (today.weekday() - weekday[0] - 1) % 7 + 1)
    if m := _TAB.fullmatch(expr):
        return _last_numbered_day(int(m[1]), today)
    if (count := _count(expr, reading)) is not None and count[0] < 0:
        return _back(today, count[1], count[2])
    if (slash := _slash(expr, reading, text, today)) is not None and slash[2] is None:
        return _last_month_day(slash[1], slash[0], today)
    found = _month_and_day(expr, reading, text)
    if found is not None and found[2] is None:
        return _on_weekday(_last_month_day(found[0], found[1], today), found[3], text)
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
        raise DateError("there is no day {number} in a month: days run from 1 to 31", number=number)
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
        raise DateError("{month} has no day {number}", month=MonthName(month), number=day)
    for year in range(today.year, FIRST_DAY.year - 1, -1):
        if day <= calendar.monthrange(year, month)[1] and date(year, month, day) <= today:
            return date(year, month, day)
    raise BeforeTheStart("")


def _month_tab(year: int, month: int) -> MonthTab:
    if year > LAST_DAY.year:
        raise past_end(note("the {month} tab", month=MonthTab(year, month)))
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
        raise DateError("there is no tab {number}: day tabs run from 1 to 31", number=number)
    found = tab_date(number, today)
    if found is None:
        raise past_end(note("tab {number}", number=number))
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
        raise DateError("{month} has no day {number}", month=MonthName(month), number=day)
    for year in range(today.year, LAST_DAY.year + 1):
        if day <= calendar.monthrange(year, month)[1] and date(year, month, day) >= today:
            return date(year, month, day)
    raise past_end(note("the next {month} {number}", month=MonthName(month), number=day))


def parse_time(text: str) -> str:
    """Normalise a time of day to ``HH:MM`` (``9:5`` is refused, ``9:05`` is ``09:05``),
    in ASCII digits whatever script they were typed in."""
    m = _TIME.fullmatch(ascii_digits(text))
    if not m or int(m[1]) > 23 or int(m[2]) > 59:
        raise UsageError(
            "cannot read {text!r} as a time; use HH:MM, e.g. 09:30 or 14:00", text=text
        )
    return f"{int(m[1]):02d}:{m[2]}"


def format_day(day: date, *, lang: str = "en") -> str:
    """``Fri 5 Jul 2024``: unambiguous, short, and independent of the locale.

    >>> format_day(date(2024, 7, 5)), format_day(date(2024, 7, 5), lang="es")
    ('Fri 5 Jul 2024', 'vie 5 jul 2024')
    """
    words = lexicon(lang)
    return (
        f"{words.weekday_abbrs[day.weekday()]} {day.day} "
        f"{words.month_abbrs[day.month - 1]} {day.year}"
    )


def format_long_day(day: date, *, lang: str = "en") -> str:
    """``Friday 5 July 2024``, the day spelled out.

    >>> format_long_day(date(2024, 7, 5)), format_long_day(date(2024, 7, 5), lang="es")
    ('Friday 5 July 2024', 'viernes 5 de julio de 2024')
    """
    words = lexicon(lang)
    return words.long_day.format(
        weekday=words.weekdays[day.weekday()],
        day=day.day,
        month=words.months[day.month - 1],
        year=day.year,
    )


def format_month(year: int, month: int, *, lang: str = "en") -> str:
    """``July 2024``, as the month tabs are labelled.

    >>> format_month(2024, 7), format_month(2024, 7, lang="es")
    ('July 2024', 'julio 2024')
    """
    return f"{lexicon(lang).months[month - 1]} {year}"


def _refuse_past(text: str, target: Target, today: date) -> None:
    typed = text.strip()
    if isinstance(target, Day) and target.date < today:
        if typed == target.date.isoformat():
            raise DateError(
                "{day:iso} is before today ({today:iso}); use a date on or after {today:iso}",
                day=target.date,
                today=today,
            )
        raise DateError(
            "{text!r} is {day:iso}, which is before today ({today:iso}); "
            "use a date on or after {today:iso}",
            text=typed,
            day=target.date,
            today=today,
        )
    if isinstance(target, MonthTab) and target.last < today:
        raise DateError(
            "{text!r} is the {month} tab, before today ({today:iso}); "
            "use a date on or after {today:iso}",
            text=typed,
            month=target,
            today=today,
        )


def _make_date(expr: str, year: int, month: int, day: int) -> date:
    _check_month(expr, month)
    _check_year(expr, year)
    days = calendar.monthrange(year, month)[1]
    if not 1 <= day <= days:
        raise DateError(
            "{text!r} is not a date: {month} has {days} days",
            text=expr,
            month=MonthTab(year, month),
            days=days,
        )
    return date(year, month, day)


def _check_year(expr: str, year: int) -> int:
    if year < 1:
        raise DateError("{text!r} is not a date: there is no year {year}", text=expr, year=year)
    return year


def _check_month(expr: str, month: int) -> int:
    if not 1 <= month <= 12:
        raise DateError(
            "{text!r} is not a date: there is no month {number}", text=expr, number=month
        )
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
        raise past_end(expr) from None
    return result


def _add_months(year: int, month: int, count: int) -> tuple[int, int]:
    index = year * 12 + (month - 1) + count
    return index // 12, index % 12 + 1


def _longest(month: int) -> int:
    return 29 if month == 2 else calendar.monthrange(2001, month)[1]
