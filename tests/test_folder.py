"""Tests for dossier.domain.folder: what a tab means, how late a dossier is, and how the morning
stack is laid out. Pure functions: records are built by hand, no database, no clock.

2024-07-05 is a Friday (the suite's "today").
"""

from __future__ import annotations

from collections import Counter
from datetime import date, timedelta

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from dossier.domain.dates import Day, MonthTab
from dossier.domain.errors import UsageError
from dossier.domain.folder import (
    TodayView,
    days_late,
    describe,
    lay_out_today,
    month_keys,
    next_work_label,
    placement_for,
)
from dossier.domain.records import Client, Entry, Placement, Row

FRI = date(2024, 7, 5)
STAMP = "2024-07-01T09:00:00"


def day(due: date, at: str | None = None, purpose: str | None = None) -> Placement:
    return Placement(due, None, at, purpose)


def tab(month: str, purpose: str | None = None) -> Placement:
    return Placement(None, month, None, purpose)


def row(
    client_id: int,
    name: str,
    placement: Placement | None = None,
    *,
    contacted: bool = False,
    last: Entry | None = None,
) -> Row:
    """A dossier in the stack, as ``store`` would hand it to the folder."""
    client = Client(
        id=client_id,
        name=name,
        company=None,
        position=None,
        phones=[],
        email=None,
        stage="lead",
        placement=placement,
        archived_at=None,
        archive_reason=None,
        created_at=STAMP,
        updated_at=STAMP,
    )
    return Row(client, last, contacted)


def names(rows: list[Row]) -> list[str]:
    return [r.client.name for r in rows]


# --------------------------------------------------------------------------- placement_for


def test_placement_for_a_day_keeps_the_time_and_purpose() -> None:
    placement = placement_for(Day(date(2024, 7, 13)), "09:30", "send the quote")
    assert placement == Placement(date(2024, 7, 13), None, "09:30", "send the quote")


def test_placement_for_a_day_without_time() -> None:
    placement = placement_for(Day(FRI, rolls=False), None, None)
    assert placement == Placement(FRI, None, None, None)


def test_placement_for_a_month_tab_has_a_month_and_no_day() -> None:
    placement = placement_for(MonthTab(2024, 8), None, "renewal")
    assert placement == Placement(None, "2024-08", None, "renewal")


def test_placement_for_a_month_tab_with_a_time_is_refused_with_a_usage_error() -> None:
    with pytest.raises(UsageError) as raised:
        placement_for(MonthTab(2024, 8), "10:00", None)
    message = str(raised.value)
    assert "--at" in message
    assert "August 2024" in message
    assert raised.value.exit_code == 2


# --------------------------------------------------------------------------- describe


@pytest.mark.parametrize(
    ("placement", "expected"),
    [
        (day(FRI), "Fri 5 Jul 2024 (tab 5)"),
        (day(FRI, at="10:30"), "Fri 5 Jul 2024 (tab 5)"),
        (day(date(2024, 7, 13)), "Sat 13 Jul 2024 (tab 13)"),
        (day(date(2024, 2, 29)), "Thu 29 Feb 2024 (tab 29)"),
        (day(date(2025, 1, 1)), "Wed 1 Jan 2025 (tab 1)"),
        (tab("2024-07"), "the July 2024 tab"),
        (tab("2024-12"), "the December 2024 tab"),
        (tab("2025-01"), "the January 2025 tab"),
        (None, "nowhere (no next step)"),
    ],
)
def test_describe(placement: Placement | None, expected: str) -> None:
    assert str(describe(placement)) == expected


# --------------------------------------------------------------------------- days_late


@pytest.mark.parametrize(
    ("placement", "today", "late"),
    [
        # Day tabs: days since the tab, never negative.
        (day(FRI), FRI, 0),
        (day(date(2024, 7, 6)), FRI, 0),  # not due yet
        (day(date(2024, 7, 4)), FRI, 1),
        (day(date(2024, 6, 28)), FRI, 7),
        # Across month ends.
        (day(date(2024, 6, 30)), date(2024, 7, 1), 1),
        (day(date(2024, 4, 30)), date(2024, 5, 1), 1),
        (day(date(2024, 1, 31)), date(2024, 3, 1), 30),  # 2024 is a leap year
        (day(date(2023, 1, 31)), date(2023, 3, 1), 29),
        # Leap-year February.
        (day(date(2024, 2, 28)), date(2024, 3, 1), 2),
        (day(date(2023, 2, 28)), date(2023, 3, 1), 1),
        (day(date(2024, 2, 29)), date(2024, 3, 1), 1),
        (day(date(2100, 2, 28)), date(2100, 3, 1), 1),  # 2100 is not a leap year
        # December to January.
        (day(date(2024, 12, 31)), date(2025, 1, 1), 1),
        (day(date(2024, 12, 20)), date(2025, 1, 6), 17),
        (day(date(2023, 7, 5)), date(2024, 7, 5), 366),
        # Month tabs: the current or a later month is not late.
        (tab("2024-07"), FRI, 0),
        (tab("2024-07"), date(2024, 7, 31), 0),
        (tab("2024-08"), FRI, 0),
        # Past month tabs: counted from the month's last day.
        (tab("2024-06"), date(2024, 7, 1), 1),
        (tab("2024-06"), FRI, 5),
        (tab("2024-05"), FRI, 35),
        (tab("2024-02"), date(2024, 3, 1), 1),  # last day is the 29th
        (tab("2023-02"), date(2023, 3, 1), 1),  # last day is the 28th
        (tab("2024-02"), date(2024, 3, 5), 5),
        (tab("2023-02"), date(2023, 3, 5), 5),
        (tab("2024-12"), date(2025, 1, 1), 1),
        (tab("2024-11"), date(2025, 1, 2), 33),
        # Not filed: never late.
        (None, FRI, 0),
    ],
)
def test_days_late(placement: Placement | None, today: date, late: int) -> None:
    assert days_late(placement, today) == late


@given(
    st.dates(min_value=date(2000, 1, 1), max_value=date(2099, 12, 31)),
    st.integers(min_value=0, max_value=800),
)
def test_days_late_for_a_day_is_the_calendar_distance(due: date, waited: int) -> None:
    assert days_late(day(due), due + timedelta(days=waited)) == waited
    assert days_late(day(due + timedelta(days=waited)), due) == 0


# --------------------------------------------------------------------------- lay_out_today


def test_overdue_longest_waiting_first_then_by_name() -> None:
    overdue = [
        row(1, "Yesterday", day(date(2024, 7, 4))),
        row(2, "Last week", day(date(2024, 6, 28))),
        row(3, "June tab", tab("2024-06")),  # 5 days since 30 June
        row(4, "beta", day(date(2024, 7, 1))),  # 4 days, ties with Alpha
        row(5, "Alpha", day(date(2024, 7, 1))),
        row(6, "May tab", tab("2024-05")),  # 35 days since 31 May
    ]
    view = lay_out_today(FRI, overdue, [], [])
    assert names(view.overdue) == ["May tab", "Last week", "June tab", "Alpha", "beta", "Yesterday"]
    assert [days_late(r.client.placement, FRI) for r in view.overdue] == [35, 7, 5, 4, 4, 1]


def test_today_timed_first_by_time_then_repeat_then_new_each_by_name() -> None:
    due = [
        row(1, "Zed new", day(FRI)),
        row(2, "Late meeting", day(FRI, at="16:00"), contacted=True),
        row(3, "bob repeat", day(FRI), contacted=True),
        row(4, "Early call", day(FRI, at="08:15")),
        row(5, "Amy new", day(FRI)),
        row(6, "Carol repeat", day(FRI), contacted=True),
        row(7, "Noon", day(FRI, at="12:00"), contacted=True),
        row(8, "ann repeat", day(FRI), contacted=True),
    ]
    view = lay_out_today(FRI, [], due, [])
    assert names(view.timed) == ["Early call", "Noon", "Late meeting"]
    assert names(view.repeat) == ["ann repeat", "bob repeat", "Carol repeat"]
    assert names(view.new) == ["Amy new", "Zed new"]
    assert names(view.today) == [
        "Early call",
        "Noon",
        "Late meeting",
        "ann repeat",
        "bob repeat",
        "Carol repeat",
        "Amy new",
        "Zed new",
    ]


def test_same_time_is_ordered_by_name() -> None:
    due = [
        row(1, "Zoe", day(FRI, at="10:00")),
        row(2, "adam", day(FRI, at="10:00")),
        row(3, "Mia", day(FRI, at="09:59")),
    ]
    view = lay_out_today(FRI, [], due, [])
    assert names(view.timed) == ["Mia", "adam", "Zoe"]


def test_a_timed_dossier_is_counted_once_whether_contacted_or_not() -> None:
    due = [row(1, "Met before", day(FRI, at="09:00"), contacted=True), row(2, "First", day(FRI))]
    view = lay_out_today(FRI, [], due, [])
    assert names(view.timed) == ["Met before"]
    assert view.repeat == []
    assert names(view.new) == ["First"]
    assert view.total == 2


def test_month_tab_by_name_and_the_total_counts_every_section() -> None:
    view = lay_out_today(
        FRI,
        [row(1, "Old", day(date(2024, 7, 1)))],
        [row(2, "Now", day(FRI))],
        [row(3, "zulu", tab("2024-07")), row(4, "Bravo", tab("2024-07"))],
    )
    assert names(view.month) == ["Bravo", "zulu"]
    assert view.total == 4
    assert view.date == FRI


def test_an_empty_stack_is_empty() -> None:
    view = lay_out_today(FRI, [], [], [])
    assert view.total == 0
    assert view.today == []
    assert view.next_work is None
    assert view.unfiled == []


ROW_SPECS = st.lists(
    st.tuples(
        st.sampled_from(["overdue", "today", "month"]),
        st.text(alphabet="abcABCäÄ 東", min_size=1, max_size=6),
        st.sampled_from([None, "08:00", "09:30", "14:00"]),
        st.booleans(),
        st.integers(min_value=1, max_value=60),
    ),
    max_size=30,
)


@given(ROW_SPECS, st.integers(min_value=1, max_value=8))
def test_lay_out_today_never_loses_or_duplicates_a_dossier(
    specs: list[tuple[str, str, str | None, bool, int]], id_spread: int
) -> None:
    overdue: list[Row] = []
    due_today: list[Row] = []
    month: list[Row] = []
    for n, (section, name, at, contacted, back) in enumerate(specs):
        client_id = n // id_spread + 1  # repeated ids must survive as repeats
        if section == "overdue":
            placement = (
                day(FRI - timedelta(days=back))
                if back % 2
                else tab("2024-06" if back < 30 else "2024-05")
            )
            overdue.append(row(client_id, name, placement, contacted=contacted))
        elif section == "today":
            due_today.append(row(client_id, name, day(FRI, at=at), contacted=contacted))
        else:
            month.append(row(client_id, name, tab("2024-07"), contacted=contacted))

    view = lay_out_today(FRI, overdue, due_today, month)

    ids_in = Counter(r.client.id for r in overdue + due_today + month)
    ids_out = Counter(
        r.client.id for r in view.overdue + view.timed + view.repeat + view.new + view.month
    )
    assert ids_in == ids_out
    assert view.total == len(specs)
    # Each dossier stays in its own part of the folder.
    assert Counter(id(r) for r in view.overdue) == Counter(id(r) for r in overdue)
    assert Counter(id(r) for r in view.today) == Counter(id(r) for r in due_today)
    assert Counter(id(r) for r in view.month) == Counter(id(r) for r in month)
    # And the order is the one the method promises.
    lates = [days_late(r.client.placement, FRI) for r in view.overdue]
    assert lates == sorted(lates, reverse=True)
    times = [r.client.placement.at for r in view.timed if r.client.placement]
    assert times == sorted(times)
    assert all(r.contacted for r in view.repeat)
    assert not any(r.contacted for r in view.new)


# --------------------------------------------------------------------------- next_work_label


@pytest.mark.parametrize(
    ("next_day", "next_month", "expected"),
    [
        ((date(2024, 7, 8), 3), None, ("Mon 8 Jul 2024", 3)),
        ((date(2024, 7, 8), 1), ("2024-08", 2), ("Mon 8 Jul 2024", 1)),
        ((date(2025, 1, 2), 1), None, ("Thu 2 Jan 2025", 1)),
        (None, ("2024-08", 2), ("the August 2024 tab", 2)),
        (None, ("2025-01", 1), ("the January 2025 tab", 1)),
        (None, None, None),
        # The August tab comes up on 1 August, before a dossier filed on 10 September:
        # the nearest work is the August tab.
        ((date(2024, 9, 10), 1), ("2024-08", 2), ("the August 2024 tab", 2)),
    ],
)
def test_next_work_label_names_the_nearest_place_that_holds_work(
    next_day: tuple[date, int] | None,
    next_month: tuple[str, int] | None,
    expected: tuple[str, int] | None,
) -> None:
    found = next_work_label(next_day, next_month)
    assert (found and (str(found[0]), found[1])) == expected


def test_today_view_sections_add_up_to_the_day() -> None:
    view = TodayView(
        date=FRI,
        overdue=[row(1, "a", day(date(2024, 7, 1)))],
        timed=[row(2, "b", day(FRI, at="09:00"))],
        repeat=[row(3, "c", day(FRI), contacted=True)],
        new=[row(4, "d", day(FRI))],
        month=[row(5, "e", tab("2024-07"))],
    )
    assert names(view.today) == ["b", "c", "d"]
    assert view.total == 5


# --- the month tabs at the end of the calendar (issue 7, point 14) ----------------------


@pytest.mark.parametrize(
    ("today", "first", "last", "count"),
    [
        (date(2024, 7, 5), "2024-07", "2025-07", 13),
        (date(9998, 12, 31), "9998-12", "9999-12", 13),
        (date(9999, 1, 1), "9999-01", "9999-12", 12),
        (date(9999, 12, 31), "9999-12", "9999-12", 1),
        (date(1, 1, 1), "0001-01", "0002-01", 13),
    ],
)
def test_month_keys_stop_at_december_9999(today: date, first: str, last: str, count: int) -> None:
    keys = month_keys(today, 13)
    assert (keys[0], keys[-1], len(keys)) == (first, last, count)


@given(today=st.dates())
@example(today=date(9999, 12, 31))
@example(today=date(9999, 2, 1))
def test_month_keys_are_real_months(today: date) -> None:
    for key in month_keys(today, 13):
        year, month = (int(part) for part in key.split("-"))
        assert MonthTab(year, month).last <= date.max
