"""Working days: weekdays you work, public holidays, your own days off; and the holiday
cache that keeps the ``holidays`` package out of most commands."""

from __future__ import annotations

import json
import os
import sys
from datetime import date
from pathlib import Path

import pytest

from dossier.app.holidays import CachedHolidays, cache_dir
from dossier.domain.dates import PastTheEnd
from dossier.domain.errors import DossierError
from dossier.domain.messages import note
from dossier.domain.workdays import DayOff, FixedHolidays, WorkCalendar

MON_TO_FRI = frozenset(range(5))
MON_TO_SAT = frozenset(range(6))

EASTER_MONDAY = FixedHolidays({date(2024, 4, 1): "Easter Monday"})
NEW_YEAR_OFF = (DayOff(1, date(2024, 12, 30), date(2025, 1, 2), "New Year"),)
AUGUST_OFF = (DayOff(2, date(2024, 8, 1), date(2024, 8, 15), None),)

DEFAULT = WorkCalendar()
SIX_DAYS = WorkCalendar(workdays=MON_TO_SAT)
EASTER = WorkCalendar(holidays=EASTER_MONDAY)
NEW_YEAR = WorkCalendar(days_off=NEW_YEAR_OFF)
AUGUST = WorkCalendar(days_off=AUGUST_OFF)
LEAP_HOLIDAY = WorkCalendar(holidays=FixedHolidays({date(2024, 2, 29): "Leap Day"}))


def d(text: str) -> date:
    return date.fromisoformat(text)


# --- why_off / is_working --------------------------------------------------------------


@pytest.mark.parametrize(
    ("calendar", "day", "reason"),
    [
        # the default week: Monday to Friday
        (DEFAULT, "2024-07-05", None),  # Friday
        (DEFAULT, "2024-07-06", "a Saturday, not a working day"),
        (DEFAULT, "2024-07-07", "a Sunday, not a working day"),
        (DEFAULT, "2024-07-08", None),  # Monday
        # Monday to Saturday: Saturday works, Sunday does not
        (SIX_DAYS, "2024-07-06", None),
        (SIX_DAYS, "2024-07-07", "a Sunday, not a working day"),
        # a public holiday on a Monday
        (EASTER, "2024-04-01", "a public holiday (Easter Monday)"),
        (EASTER, "2024-04-02", None),
        (EASTER, "2024-03-29", None),  # not in this calendar's table
        # a day off spanning the month end and the year boundary
        (NEW_YEAR, "2024-12-29", "a Sunday, not a working day"),
        (NEW_YEAR, "2024-12-30", "your day off (New Year)"),
        (NEW_YEAR, "2024-12-31", "your day off (New Year)"),
        (NEW_YEAR, "2025-01-01", "your day off (New Year)"),
        (NEW_YEAR, "2025-01-02", "your day off (New Year)"),
        (NEW_YEAR, "2025-01-03", None),
        # a day off without a note says just that
        (AUGUST, "2024-08-07", "your day off"),
        (AUGUST, "2024-07-31", None),
        (AUGUST, "2024-08-16", None),
        # leap-year February: 29 Feb 2024 is a Thursday
        (DEFAULT, "2024-02-29", None),
        (LEAP_HOLIDAY, "2024-02-29", "a public holiday (Leap Day)"),
        (DEFAULT, "2024-03-01", None),
    ],
)
def test_why_off_and_is_working(calendar: WorkCalendar, day: str, reason: str | None) -> None:
    why = calendar.why_off(d(day))
    assert (None if why is None else str(why)) == reason
    assert calendar.is_working(d(day)) is (reason is None)


def test_a_public_holiday_is_named_before_a_weekend_or_a_day_off() -> None:
    calendar = WorkCalendar(
        holidays=FixedHolidays({date(2024, 12, 28): "Saturday Fair"}),
        days_off=(DayOff(1, date(2024, 12, 27), date(2024, 12, 28), "trip"),),
    )
    assert str(calendar.why_off(d("2024-12-28"))) == "a public holiday (Saturday Fair)"
    assert str(calendar.why_off(d("2024-12-27"))) == "your day off (trip)"


@pytest.mark.parametrize(
    ("workdays", "working"),
    [
        (frozenset({0}), {"2024-07-01"}),
        (frozenset({5, 6}), {"2024-07-06", "2024-07-07"}),
        (MON_TO_SAT, {f"2024-07-0{i}" for i in range(1, 7)}),
        (frozenset(range(7)), {f"2024-07-0{i}" for i in range(1, 8)}),
    ],
)
def test_custom_workdays_decide_which_weekdays_work(
    workdays: frozenset[int], working: set[str]
) -> None:
    calendar = WorkCalendar(workdays=workdays)
    week = [date(2024, 7, i) for i in range(1, 8)]  # Monday 1 to Sunday 7 July 2024
    assert {day.isoformat() for day in week if calendar.is_working(day)} == working


# --- next_working --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("calendar", "day", "expected"),
    [
        (DEFAULT, "2024-07-05", "2024-07-05"),  # a working day is itself
        (DEFAULT, "2024-07-06", "2024-07-08"),  # Saturday -> Monday
        (DEFAULT, "2024-07-07", "2024-07-08"),  # Sunday -> Monday
        (SIX_DAYS, "2024-07-06", "2024-07-06"),
        (SIX_DAYS, "2024-07-07", "2024-07-08"),
        (EASTER, "2024-03-30", "2024-04-02"),  # weekend, then the Monday holiday
        (EASTER, "2024-04-01", "2024-04-02"),
        (NEW_YEAR, "2024-12-28", "2025-01-03"),  # across the year end
        (NEW_YEAR, "2024-12-31", "2025-01-03"),
        (AUGUST, "2024-08-01", "2024-08-16"),  # a fortnight off
        (AUGUST, "2024-07-31", "2024-07-31"),
        (DEFAULT, "2024-02-29", "2024-02-29"),
        (LEAP_HOLIDAY, "2024-02-29", "2024-03-01"),
        (DEFAULT, "2023-02-25", "2023-02-27"),  # non-leap: Saturday 25 -> Monday 27
    ],
)
def test_next_working(calendar: WorkCalendar, day: str, expected: str) -> None:
    assert calendar.next_working(d(day)) == d(expected)


def test_next_working_crosses_a_holiday_run_and_a_weekend_together() -> None:
    calendar = WorkCalendar(
        holidays=FixedHolidays({date(2024, 12, 25): "Christmas Day", date(2024, 12, 26): "Boxing"}),
        days_off=(DayOff(1, date(2024, 12, 27), date(2024, 12, 27), None),),
    )
    assert calendar.next_working(d("2024-12-25")) == d("2024-12-30")


def test_next_working_with_no_working_weekday_says_what_to_check() -> None:
    calendar = WorkCalendar(workdays=frozenset())
    with pytest.raises(DossierError, match="no working day") as caught:
        calendar.next_working(d("2024-07-05"))
    assert "workdays" in str(caught.value)


def test_next_working_stops_at_the_end_of_the_calendar() -> None:
    """9999-12-31 is a Friday: with the weekend or a day off after it there is no day to
    roll to, and the search must say so rather than overflow."""
    mondays = WorkCalendar(workdays=frozenset({0}))
    with pytest.raises(PastTheEnd, match="no working day from Tue 28 Dec 9999 on") as caught:
        mondays.next_working(d("9999-12-28"))
    assert "past the last day dossier can file, 9999-12-31" in str(caught.value)
    off = WorkCalendar(days_off=(DayOff(1, d("9999-12-31"), d("9999-12-31"), None),))
    with pytest.raises(PastTheEnd):
        off.settle(d("9999-12-31"), True, note("kept"))
    assert off.settle(d("9999-12-31"), False, note("kept"))[0] == d("9999-12-31")
    assert DEFAULT.next_working(d("9999-12-31")) == d("9999-12-31")
    assert DEFAULT.next_working(d("0001-01-06")) == d("0001-01-08")


def test_working_days_at_the_ends_of_the_calendar() -> None:
    assert DEFAULT.working_days(d("9999-12-27"), d("9999-12-31")) == [
        d(f"9999-12-{n}") for n in range(27, 32)
    ]
    assert DEFAULT.working_days(d("0001-01-01"), d("0001-01-02")) == [
        d("0001-01-01"),
        d("0001-01-02"),
    ]


# --- working_days --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("calendar", "first", "last", "expected"),
    [
        (
            DEFAULT,
            "2024-07-01",
            "2024-07-07",
            ["2024-07-01", "2024-07-02", "2024-07-03", "2024-07-04", "2024-07-05"],
        ),
        (
            SIX_DAYS,
            "2024-07-04",
            "2024-07-08",
            ["2024-07-04", "2024-07-05", "2024-07-06", "2024-07-08"],
        ),
        (
            DEFAULT,
            "2024-02-26",
            "2024-03-04",
            ["2024-02-26", "2024-02-27", "2024-02-28", "2024-02-29", "2024-03-01", "2024-03-04"],
        ),
        (
            LEAP_HOLIDAY,
            "2024-02-28",
            "2024-03-01",
            ["2024-02-28", "2024-03-01"],
        ),
        (DEFAULT, "2023-02-27", "2023-03-01", ["2023-02-27", "2023-02-28", "2023-03-01"]),
        (
            EASTER,
            "2024-03-28",
            "2024-04-03",
            ["2024-03-28", "2024-03-29", "2024-04-02", "2024-04-03"],
        ),
        (
            NEW_YEAR,
            "2024-12-23",
            "2025-01-07",
            [
                "2024-12-23",
                "2024-12-24",
                "2024-12-25",
                "2024-12-26",
                "2024-12-27",
                "2025-01-03",
                "2025-01-06",
                "2025-01-07",
            ],
        ),
        (DEFAULT, "2024-07-06", "2024-07-07", []),  # a weekend only
        (DEFAULT, "2024-07-05", "2024-07-05", ["2024-07-05"]),  # both ends included
        (DEFAULT, "2024-07-08", "2024-07-05", []),  # an empty range
    ],
)
def test_working_days(calendar: WorkCalendar, first: str, last: str, expected: list[str]) -> None:
    assert calendar.working_days(d(first), d(last)) == [d(x) for x in expected]


def test_working_days_of_july_2024_count_23() -> None:
    july = DEFAULT.working_days(d("2024-07-01"), d("2024-07-31"))
    assert len(july) == 23
    assert all(day.weekday() < 5 for day in july)


# --- public holidays from the holidays package, cached -------------------------------


def _cache() -> Path:
    return Path(os.environ["XDG_CACHE_HOME"]) / "dossier" / "holidays"


def test_the_cache_lives_in_the_user_cache_dir() -> None:
    assert cache_dir() == _cache()


@pytest.mark.parametrize(
    ("country", "subdivision", "day", "name"),
    [
        ("ES", None, "2024-12-25", "Christmas Day"),
        ("ES", None, "2024-01-06", "Epiphany"),
        ("ES", None, "2024-01-08", None),
        ("ES", None, "2024-05-02", None),  # Madrid's day, not national
        ("ES", "MD", "2024-05-02", "Madrid Day"),
        ("GB", None, "2024-12-25", "Christmas Day"),
        ("GB", None, "2024-12-26", "Boxing Day"),
        ("GB", "ENG", "2024-04-01", "Easter Monday"),
        ("GB", None, "2024-07-05", None),
        ("ES", None, "2025-01-06", "Epiphany"),  # a second year loads on demand
    ],
)
def test_cached_holidays_know_the_real_dates(
    country: str, subdivision: str | None, day: str, name: str | None
) -> None:
    assert CachedHolidays(country, subdivision).get(d(day)) == name


def test_a_holiday_from_the_package_is_a_day_off_and_rolls_forward() -> None:
    calendar = WorkCalendar(holidays=CachedHolidays("ES", None))
    assert str(calendar.why_off(d("2024-12-25"))) == "a public holiday (Christmas Day)"
    assert calendar.next_working(d("2024-12-25")) == d("2024-12-26")
    # Saturday 4 January, Sunday 5, Monday 6 Epiphany: back on Tuesday 7
    assert calendar.next_working(d("2025-01-04")) == d("2025-01-07")


def test_holidays_are_written_to_a_json_file_per_country_region_year_and_language() -> None:
    CachedHolidays("ES", None).get(d("2024-12-25"))
    CachedHolidays("ES", "MD").get(d("2024-05-02"))
    CachedHolidays("GB", None).get(d("2025-01-01"))
    files = sorted(p.name for p in _cache().iterdir())
    assert files == ["ES-MD-2024-en.json", "ES-all-2024-en.json", "GB-all-2025-en.json"]
    table = json.loads((_cache() / "ES-all-2024-en.json").read_text(encoding="utf-8"))
    assert table["2024-12-25"] == "Christmas Day"
    assert table["2024-01-06"] == "Epiphany"
    assert "2024-05-02" not in table


def test_a_second_instance_reads_the_cache_without_the_holidays_package(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    CachedHolidays("ES", None).get(d("2024-07-05"))
    assert (_cache() / "ES-all-2024-en.json").exists()
    monkeypatch.setitem(sys.modules, "holidays", None)  # any import of it now fails
    again = CachedHolidays("ES", None)
    assert again.get(d("2024-12-25")) == "Christmas Day"
    assert again.get(d("2024-01-06")) == "Epiphany"
    assert again.get(d("2024-07-05")) is None
    # the block is real: a year not cached yet needs the package
    with pytest.raises(ImportError):
        again.get(d("2031-01-01"))


def test_the_cached_answer_is_what_is_used(monkeypatch: pytest.MonkeyPatch) -> None:
    _cache().mkdir(parents=True)
    (_cache() / "ES-all-2024-en.json").write_text(
        json.dumps({"2024-07-05": "Dossier Day"}), encoding="utf-8"
    )
    monkeypatch.setitem(sys.modules, "holidays", None)
    calendar = WorkCalendar(holidays=CachedHolidays("ES", None))
    assert str(calendar.why_off(d("2024-07-05"))) == "a public holiday (Dossier Day)"


@pytest.mark.parametrize(
    "corrupt",
    [
        b"{not json",
        b"",
        b'{"2024-12-25": "Chri',
        b"\xff\xfe\x00",
        b"null",
        b"[]",
        b'{"2024-12-25": 1}',
    ],
)
def test_a_corrupt_cache_file_is_recomputed_not_fatal(corrupt: bytes) -> None:
    _cache().mkdir(parents=True)
    path = _cache() / "ES-all-2024-en.json"
    path.write_bytes(corrupt)
    assert CachedHolidays("ES", None).get(d("2024-12-25")) == "Christmas Day"
    repaired = json.loads(path.read_text(encoding="utf-8"))
    assert repaired["2024-01-06"] == "Epiphany"


def test_a_cache_that_cannot_be_written_only_costs_speed(tmp_path: Path) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the cache folder should be", encoding="utf-8")
    holidays = CachedHolidays("GB", None, folder=blocker / "holidays")
    assert holidays.get(d("2024-12-25")) == "Christmas Day"
    assert holidays.get(d("2024-12-24")) is None
    assert blocker.read_text(encoding="utf-8") == "a file where the cache folder should be"


def test_an_explicit_folder_is_used_instead_of_the_user_cache(tmp_path: Path) -> None:
    folder = tmp_path / "elsewhere"
    CachedHolidays("GB", "ENG", folder=folder).get(d("2024-04-01"))
    assert (folder / "GB-ENG-2024-en.json").exists()
    assert not _cache().exists()


@pytest.mark.parametrize(
    ("country", "subdivision", "lang", "day", "name"),
    [
        ("ES", None, "es", "2024-10-12", "Fiesta Nacional de España"),
        ("ES", None, "en", "2024-10-12", "National Day"),
        ("ES", "MD", "es", "2024-05-02", "Fiesta de la Comunidad de Madrid"),
        ("MX", None, "es", "2024-12-25", "Navidad"),
        ("MX", None, "en", "2024-12-25", "Christmas Day"),
        # no Spanish names for these: the country's own
        ("GB", None, "es", "2024-12-25", "Christmas Day"),
        ("US", None, "es", "2024-07-04", "Independence Day"),
    ],
)
def test_holidays_are_named_in_the_language_asked_where_the_package_can(
    country: str, subdivision: str | None, lang: str, day: str, name: str
) -> None:
    assert CachedHolidays(country, subdivision, lang=lang).get(d(day)) == name


@pytest.mark.parametrize("locale", ["es_ES.UTF-8", "C", "en_GB.UTF-8"])
def test_the_names_do_not_follow_the_locale(monkeypatch: pytest.MonkeyPatch, locale: str) -> None:
    # left to itself, the package picks its language from these
    for variable in ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG"):
        monkeypatch.setenv(variable, locale)
    assert CachedHolidays("ES", None).get(d("2024-10-12")) == "National Day"
    assert CachedHolidays("ES", None, lang="es").get(d("2024-10-12")) == (
        "Fiesta Nacional de España"
    )


def test_english_and_spanish_names_are_cached_apart(monkeypatch: pytest.MonkeyPatch) -> None:
    assert CachedHolidays("ES", None, lang="es").get(d("2024-10-12")) == (
        "Fiesta Nacional de España"
    )
    assert CachedHolidays("ES", None).get(d("2024-10-12")) == "National Day"
    assert sorted(p.name for p in _cache().iterdir()) == [
        "ES-all-2024-en.json",
        "ES-all-2024-es.json",
    ]
    monkeypatch.setitem(sys.modules, "holidays", None)  # from the cache now
    assert CachedHolidays("ES", None, lang="es").get(d("2024-10-12")) == (
        "Fiesta Nacional de España"
    )
    assert CachedHolidays("ES", None, lang="en").get(d("2024-10-12")) == "National Day"
