"""The plan's corrections as pure functions: levelling an overloaded day, spreading a
month tab onto days, the order in which dossiers give way; and which dates the 31 day
tabs of the binder stand for."""

from __future__ import annotations

from collections import Counter
from datetime import date, timedelta

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from dossier.domain.folder import binder_days
from dossier.domain.planning import DEFAULT_HORIZON, Item, Plan, least_urgent_first, level, spread
from dossier.domain.workdays import DayOff, FixedHolidays, WorkCalendar


def d(text: str) -> date:
    return date.fromisoformat(text)


def items_on(day: str, count: int, start: int = 1) -> list[Item]:
    """``count`` repeat dossiers due on ``day``, ids from ``start``, filed in id order."""
    due = d(day)
    return [
        Item(i, f"client {i}", due, filed_at=f"2024-01-01T00:{i // 60:02d}:{i % 60:02d}")
        for i in range(start, start + count)
    ]


def moved_to(plan: Plan) -> list[str]:
    return [move.to.isoformat() for move in plan.moves]


def final_loads(stacks: dict[date, list[Item]], plan: Plan) -> Counter[date]:
    where = {item.id: day for day, stack in stacks.items() for item in stack}
    for move in plan.moves:
        where[move.item.id] = move.to
    return Counter(where.values())


WEEKDAYS = WorkCalendar()


# --- levelling across month ends, leap years, year ends and holidays ----------------


@pytest.mark.parametrize(
    ("label", "day", "count", "others", "calendar", "capacity", "expected"),
    [
        (
            "Friday 31 May overloaded: the excess skips the weekend to Monday 3 June",
            "2024-05-31",
            5,
            {},
            WEEKDAYS,
            3,
            ["2024-06-03", "2024-06-03"],
        ),
        (
            "Wednesday 28 Feb 2024: the leap day Thursday 29 Feb takes the excess",
            "2024-02-28",
            4,
            {},
            WEEKDAYS,
            3,
            ["2024-02-29"],
        ),
        (
            "Thursday 29 Feb 2024 overloaded: the excess goes to Friday 1 March",
            "2024-02-29",
            4,
            {},
            WEEKDAYS,
            3,
            ["2024-03-01"],
        ),
        (
            "Tuesday 28 Feb 2023 (no leap day): the excess goes to Wednesday 1 March",
            "2023-02-28",
            4,
            {},
            WEEKDAYS,
            3,
            ["2023-03-01"],
        ),
        (
            "Tuesday 31 Dec 2024, New Year's Day off: the excess goes to Thursday 2 Jan",
            "2024-12-31",
            5,
            {},
            WorkCalendar(holidays=FixedHolidays({date(2025, 1, 1): "New Year's Day"})),
            3,
            ["2025-01-02", "2025-01-02"],
        ),
        (
            "Friday 29 Mar 2024, Easter Monday 1 Apr off: the excess goes to Tuesday 2 Apr",
            "2024-03-29",
            4,
            {},
            WorkCalendar(holidays=FixedHolidays({date(2024, 4, 1): "Easter Monday"})),
            3,
            ["2024-04-02"],
        ),
        (
            "the next working day is filled up to capacity, then the one after",
            "2024-06-03",
            7,
            {"2024-06-04": 2},
            WEEKDAYS,
            3,
            ["2024-06-04", "2024-06-05", "2024-06-05", "2024-06-05"],
        ),
        (
            "a full day is skipped",
            "2024-06-03",
            5,
            {"2024-06-04": 3, "2024-06-05": 1},
            WEEKDAYS,
            3,
            ["2024-06-05", "2024-06-05"],
        ),
        (
            "a day off across the year end is skipped",
            "2024-12-27",
            4,
            {},
            WorkCalendar(days_off=(DayOff(1, date(2024, 12, 30), date(2025, 1, 2), None),)),
            2,
            ["2025-01-03", "2025-01-03"],
        ),
        (
            "a Monday-to-Saturday week uses the Saturday",
            "2024-06-07",
            4,
            {},
            WorkCalendar(workdays=frozenset(range(6))),
            3,
            ["2024-06-08"],
        ),
        ("a day at capacity is left alone", "2024-06-03", 3, {}, WEEKDAYS, 3, []),
        ("a day under capacity is left alone", "2024-06-03", 1, {}, WEEKDAYS, 3, []),
    ],
)
def test_level_moves_the_excess_onto_the_next_working_days_with_room(
    label: str,
    day: str,
    count: int,
    others: dict[str, int],
    calendar: WorkCalendar,
    capacity: int,
    expected: list[str],
) -> None:
    stacks = {d(day): items_on(day, count)}
    next_id = count + 1
    for other, load in others.items():
        stacks[d(other)] = items_on(other, load, start=next_id)
        next_id += load
    plan = level(stacks, [d(day)], capacity, calendar)
    assert moved_to(plan) == expected, label
    assert plan.stuck == []
    assert final_loads(stacks, plan)[d(day)] == min(count, capacity)
    assert all(move.item.due == d(day) for move in plan.moves)


def test_level_never_moves_a_dossier_with_a_time() -> None:
    day = d("2024-06-03")
    meetings = [Item(i, f"meeting {i}", day, at=f"{8 + i:02d}:00") for i in range(1, 4)]
    calls = [Item(10, "call", day)]
    plan = level({day: meetings + calls}, [day], 1, WEEKDAYS)
    assert [move.item.name for move in plan.moves] == ["call"]
    assert plan.stuck == []  # the meetings are not "stuck": they are simply never candidates


def test_level_a_day_of_meetings_only_moves_nothing() -> None:
    day = d("2024-06-03")
    meetings = [Item(i, f"meeting {i}", day, at="10:00") for i in range(1, 6)]
    plan = level({day: meetings}, [day], 2, WEEKDAYS)
    assert plan.moves == []
    assert plan.stuck == []


def test_level_moves_new_clients_before_repeat_contacts() -> None:
    day = d("2024-06-03")
    repeat = Item(1, "repeat", day, new=False, filed_at="2024-06-02T10:00:00")
    new = Item(2, "new", day, new=True, filed_at="2024-05-01T10:00:00")
    plan = level({day: [repeat, new]}, [day], 1, WEEKDAYS)
    assert [move.item.name for move in plan.moves] == ["new"]


def test_level_moves_the_most_recently_filed_first() -> None:
    day = d("2024-06-03")
    stack = [
        Item(1, "filed in May", day, filed_at="2024-05-20T09:00:00"),
        Item(2, "filed yesterday", day, filed_at="2024-06-02T18:30:00"),
        Item(3, "filed in April", day, filed_at="2024-04-01T08:00:00"),
    ]
    plan = level({day: stack}, [day], 1, WEEKDAYS)
    assert [move.item.name for move in plan.moves] == ["filed yesterday", "filed in May"]


def test_level_moves_overdue_dossiers_last() -> None:
    day = d("2024-06-03")
    stack = [
        Item(1, "overdue", d("2024-05-28"), filed_at="2024-06-01T10:00:00"),
        Item(2, "due today", day, filed_at="2024-05-01T10:00:00"),
    ]
    plan = level({day: stack}, [day], 1, WEEKDAYS)
    assert [move.item.name for move in plan.moves] == ["due today"]


def test_least_urgent_first_orders_each_group_by_most_recent_filing() -> None:
    day = d("2024-06-03")
    items = [
        Item(1, "repeat old", day, filed_at="2024-05-01"),
        Item(2, "new recent", day, new=True, filed_at="2024-06-01"),
        Item(3, "repeat overdue", d("2024-05-31"), filed_at="2024-06-02"),
        Item(4, "repeat recent", day, filed_at="2024-06-01"),
        Item(5, "new old", day, new=True, filed_at="2024-04-01"),
        Item(6, "new overdue", d("2024-05-30"), new=True, filed_at="2024-06-02"),
    ]
    order = [i.name for i in least_urgent_first(items, day)]
    new = [n for n in order if n.startswith("new")]
    repeat = [n for n in order if n.startswith("repeat")]
    assert new == ["new recent", "new old", "new overdue"]
    assert repeat == ["repeat recent", "repeat old", "repeat overdue"]
    assert order.index("new old") < order.index("repeat recent")


def test_least_urgent_first_keeps_every_item_once() -> None:
    day = d("2024-06-03")
    items = [Item(i, f"c{i}", day, new=i % 2 == 0, filed_at=str(i % 3)) for i in range(9)]
    assert sorted(i.id for i in least_urgent_first(items, day)) == list(range(9))


def test_level_leaves_what_finds_no_room_within_the_horizon_stuck() -> None:
    day = d("2024-06-03")  # Monday; Tue..Fri full, then a weekend
    stacks = {day: items_on("2024-06-03", 4)}
    next_id = 5
    for other in ("2024-06-04", "2024-06-05", "2024-06-06", "2024-06-07"):
        stacks[d(other)] = items_on(other, 2, start=next_id)
        next_id += 2
    plan = level(stacks, [day], 2, WEEKDAYS, horizon=6)  # up to Sunday 9 June
    assert plan.moves == []
    assert [i.id for i in plan.stuck] == [4, 3]  # the two most recently filed
    # one day more of horizon reaches Monday 10 June
    plan = level(stacks, [day], 2, WEEKDAYS, horizon=7)
    assert moved_to(plan) == ["2024-06-10", "2024-06-10"]
    assert plan.stuck == []


def test_level_partly_placed_when_the_horizon_has_little_room() -> None:
    day = d("2024-06-03")
    plan = level({day: items_on("2024-06-03", 5)}, [day], 1, WEEKDAYS, horizon=2)
    assert moved_to(plan) == ["2024-06-04", "2024-06-05"]
    assert len(plan.stuck) == 2


def test_level_default_horizon_is_about_a_quarter() -> None:
    assert 84 <= DEFAULT_HORIZON <= 100
    day = d("2024-06-03")
    plan = level({day: items_on("2024-06-03", 200)}, [day], 2, WEEKDAYS)
    last = max(move.to for move in plan.moves)
    assert last <= day + timedelta(days=DEFAULT_HORIZON)
    assert len(plan.moves) + len(plan.stuck) == 198
    assert plan.stuck  # 198 do not fit in a quarter at 2 a day


def test_level_a_range_of_days_each_in_turn() -> None:
    mon, tue = d("2024-06-03"), d("2024-06-04")
    stacks = {mon: items_on("2024-06-03", 4), tue: items_on("2024-06-04", 3, start=5)}
    plan = level(stacks, [tue, mon], 2, WEEKDAYS)
    # Monday's excess skips Tuesday (already over) and lands on Wednesday; then
    # Tuesday's own excess fills Wednesday and goes on to Thursday
    assert [(m.item.due, m.to.isoformat()) for m in plan.moves] == [
        (mon, "2024-06-05"),
        (mon, "2024-06-05"),
        (tue, "2024-06-06"),
    ]
    loads = final_loads(stacks, plan)
    assert max(loads.values()) == 2


def test_level_only_levels_the_days_asked() -> None:
    mon, tue = d("2024-06-03"), d("2024-06-04")
    stacks = {mon: items_on("2024-06-03", 4), tue: items_on("2024-06-04", 5, start=5)}
    plan = level(stacks, [mon], 2, WEEKDAYS)
    assert {move.item.due for move in plan.moves} == {mon}
    assert final_loads(stacks, plan)[tue] == 5


# --- spreading a month tab onto days ---------------------------------------------------


def undated(count: int) -> list[Item]:
    return [
        Item(i, f"client {i:02d}", None, filed_at=f"2024-06-{i:02d}") for i in range(1, 1 + count)
    ]


JULY_WEEK = [d(f"2024-07-0{i}") for i in range(1, 6)]  # Monday 1 to Friday 5


def test_spread_ten_dossiers_over_five_empty_days_gives_each_two() -> None:
    plan = spread(undated(10), JULY_WEEK, {}, 30)
    assert Counter(move.to for move in plan.moves) == dict.fromkeys(JULY_WEEK, 2)
    assert plan.stuck == []


def test_spread_goes_round_the_days_in_order() -> None:
    plan = spread(undated(7), JULY_WEEK, {}, 30)
    assert moved_to(plan) == [
        "2024-07-01",
        "2024-07-02",
        "2024-07-03",
        "2024-07-04",
        "2024-07-05",
        "2024-07-01",
        "2024-07-02",
    ]
    # the oldest filed gets the first day
    assert [move.item.name for move in plan.moves][:2] == ["client 01", "client 02"]


def test_spread_fills_the_least_loaded_day_first_and_the_earliest_on_a_tie() -> None:
    mon, tue, wed = JULY_WEEK[:3]
    plan = spread(undated(4), [mon, tue, wed], {mon: 3, tue: 0, wed: 1}, 10)
    assert [move.to for move in plan.moves] == [tue, tue, wed, tue]
    totals = Counter({mon: 3, tue: 0, wed: 1}) + Counter(move.to for move in plan.moves)
    assert totals == {mon: 3, tue: 3, wed: 2}


def test_spread_never_exceeds_capacity_and_leaves_the_rest_stuck() -> None:
    mon, tue, wed = JULY_WEEK[:3]
    plan = spread(undated(5), [mon, tue, wed], {mon: 2, tue: 1, wed: 0}, 2)
    assert [move.to for move in plan.moves] == [wed, tue, wed]
    assert [item.name for item in plan.stuck] == ["client 04", "client 05"]


def test_spread_does_not_add_to_a_day_already_over_capacity() -> None:
    mon, tue = JULY_WEEK[:2]
    plan = spread(undated(3), [mon, tue], {mon: 9, tue: 0}, 5)
    assert [move.to for move in plan.moves] == [tue, tue, tue]


def test_spread_with_no_days_leaves_everything_stuck() -> None:
    plan = spread(undated(3), [], {}, 30)
    assert plan.moves == []
    assert [item.id for item in plan.stuck] == [1, 2, 3]


def test_spread_ignores_loads_of_days_it_was_not_given() -> None:
    mon, tue = JULY_WEEK[:2]
    sat = d("2024-07-06")
    plan = spread(undated(2), [mon, tue], {sat: 0, mon: 1}, 30)
    assert [move.to for move in plan.moves] == [tue, mon]


# --- the binder's 31 day tabs --------------------------------------------------------


@pytest.mark.parametrize(
    ("today", "following", "included", "excluded"),
    [
        (
            "2024-02-28",
            ["2024-02-29", "2024-03-01", "2024-03-02"],
            ["2024-03-27", "2024-03-30", "2024-03-31"],
            ["2024-03-28", "2024-03-29"],
        ),
        (
            "2023-02-10",
            ["2023-02-11"],
            ["2023-02-28", "2023-03-09", "2023-03-29", "2023-03-30", "2023-03-31"],
            ["2023-03-10", "2023-03-28"],
        ),
        (
            "2024-12-20",
            ["2024-12-21", "2024-12-22"],
            ["2024-12-31", "2025-01-01", "2025-01-19"],
            ["2025-01-20"],
        ),
        (
            "2026-11-29",
            ["2026-11-30", "2026-12-01"],
            ["2026-12-28", "2026-12-31"],
            ["2026-11-28", "2026-12-29", "2026-12-30", "2027-01-01"],
        ),
        ("2024-07-05", ["2024-07-06"], ["2024-07-31", "2024-08-04"], ["2024-08-05"]),
        ("2024-07-01", ["2024-07-02"], ["2024-07-31"], ["2024-08-01"]),
        ("2024-01-31", ["2024-02-01"], ["2024-02-29", "2024-03-30"], ["2024-03-31"]),
        ("2023-04-30", ["2023-05-01"], ["2023-05-29", "2023-05-31"], ["2023-05-30"]),
    ],
)
def test_binder_days(
    today: str, following: list[str], included: list[str], excluded: list[str]
) -> None:
    days = binder_days(d(today))
    assert len(days) == 31
    assert len(set(days)) == 31
    assert days[0] == d(today)
    assert days == sorted(days)
    assert sorted(day.day for day in days) == list(range(1, 32))
    assert days[1 : 1 + len(following)] == [d(x) for x in following]
    assert all(day >= d(today) for day in days)
    for x in included:
        assert d(x) in days, x
    for x in excluded:
        assert d(x) not in days, x


@pytest.mark.parametrize("today", ["9999-12-01", "9999-12-25", "9999-12-31"])
def test_binder_days_in_the_last_month_of_the_calendar(today: str) -> None:
    """No January 10000 to hold the passed tabs: only this month's are left."""
    days = binder_days(d(today))
    assert days == [d(today) + timedelta(days=i) for i in range(32 - d(today).day)]


@given(today=st.dates())
@example(today=date(9999, 12, 20))
@example(today=date.min)
def test_binder_days_on_any_day(today: date) -> None:
    days = binder_days(today)
    assert days == sorted(set(days)) and days[0] == today
    assert len(days) == (32 - today.day if today >= date(9999, 12, 1) else 31)


def test_levelling_on_the_last_day_places_nothing_and_does_not_overflow() -> None:
    last = d("9999-12-31")
    stacks = {last: items_on("9999-12-31", 3)}
    plan = level(stacks, [last], 1, WEEKDAYS)
    assert plan.moves == [] and len(plan.stuck) == 2


def test_levelling_near_the_end_uses_the_days_left() -> None:
    stacks = {
        d("9999-12-29"): items_on("9999-12-29", 5),
        d("9999-12-30"): items_on("9999-12-30", 2, start=10),
        d("9999-12-31"): items_on("9999-12-31", 3, start=20),
    }
    plan = level(stacks, [d("9999-12-29")], 3, WEEKDAYS)
    assert moved_to(plan) == ["9999-12-30"]
    assert len(plan.stuck) == 1


# --- properties ------------------------------------------------------------------------

START = date(2024, 2, 26)  # a Monday before a leap day and a month end
FILED = ["", "2024-02-01T09:00:00", "2024-02-20T17:00:00", "2024-02-25T08:00:00"]


@st.composite
def calendars(draw: st.DrawFn) -> WorkCalendar:
    workdays = draw(st.frozensets(st.integers(0, 6), min_size=1))
    holiday_offsets = draw(st.sets(st.integers(0, 20), max_size=4))
    holidays = FixedHolidays({START + timedelta(days=o): f"holiday {o}" for o in holiday_offsets})
    offs = []
    if draw(st.booleans()):
        first = draw(st.integers(0, 20))
        offs.append(
            DayOff(1, START + timedelta(days=first), START + timedelta(days=first + 2), None)
        )
    return WorkCalendar(workdays, holidays, tuple(offs))


@st.composite
def stacks_of_items(draw: st.DrawFn) -> dict[date, list[Item]]:
    specs = draw(
        st.lists(
            st.tuples(
                st.integers(0, 6),  # the day it sits on
                st.integers(0, 3),  # days overdue
                st.booleans(),  # new
                st.sampled_from([None, None, None, "09:00", "14:30"]),  # a fixed time
                st.sampled_from(FILED),
            ),
            max_size=40,
        )
    )
    stacks: dict[date, list[Item]] = {}
    for index, (offset, late, new, at, filed) in enumerate(specs):
        day = START + timedelta(days=offset)
        item = Item(index, f"client {index % 7}", day - timedelta(days=late), at, new, filed)
        stacks.setdefault(day, []).append(item)
    return stacks


def _check_level_plan(
    stacks: dict[date, list[Item]],
    levelled: list[date],
    capacity: int,
    calendar: WorkCalendar,
    horizon: int,
    plan: Plan,
) -> Counter[date]:
    """The invariants every levelling plan keeps; returns the loads after it."""
    source = {item.id: day for day, stack in stacks.items() for item in stack}
    by_id = {item.id: item for stack in stacks.values() for item in stack}
    moved = [move.item.id for move in plan.moves]
    stuck = [item.id for item in plan.stuck]
    # nothing lost, nothing duplicated, nothing invented
    assert len(moved) == len(set(moved))
    assert len(stuck) == len(set(stuck))
    assert not set(moved) & set(stuck)
    stayed = [i for i in source if i not in set(moved)]
    assert Counter(moved + stayed) == Counter(source.keys())
    for move in plan.moves:
        assert by_id[move.item.id] == move.item
        origin = source[move.item.id]
        assert origin in levelled  # only the levelled days give way
        assert move.item.at is None  # never a meeting
        assert calendar.is_working(move.to), move
        assert origin < move.to <= origin + timedelta(days=horizon)
    for item in plan.stuck:
        assert item.at is None
        assert source[item.id] in levelled
    after = final_loads(stacks, plan)
    for target in {move.to for move in plan.moves}:
        assert after[target] <= capacity, target
    # a levelled day is left over capacity only when its whole horizon is full
    for day in set(levelled):
        timed = sum(1 for item in stacks.get(day, []) if item.at)
        if after[day] > max(capacity, timed) or any(source[i] == day for i in stuck):
            window = calendar.working_days(day + timedelta(days=1), day + timedelta(days=horizon))
            assert all(after[w] >= capacity for w in window), (day, window)
    return after


@settings(max_examples=300, deadline=None)
@given(
    stacks=stacks_of_items(),
    levelled=st.sets(st.integers(0, 4), min_size=1),
    capacity=st.integers(1, 10),
    calendar=calendars(),
    horizon=st.integers(1, 12),
)
def test_level_properties(
    stacks: dict[date, list[Item]],
    levelled: set[int],
    capacity: int,
    calendar: WorkCalendar,
    horizon: int,
) -> None:
    days = sorted(START + timedelta(days=o) for o in levelled)
    before = {day: len(stack) for day, stack in stacks.items()}
    plan = level(stacks, days, capacity, calendar, horizon)
    after = _check_level_plan(stacks, days, capacity, calendar, horizon, plan)

    # with the free room counted by hand: when the room in a day's horizon, less what the
    # earlier levelled days may have taken, covers its excess, the day ends within capacity
    def need(day: date) -> int:
        movable = sum(1 for item in stacks.get(day, []) if not item.at)
        return min(max(0, before.get(day, 0) - capacity), movable)

    for day in days:
        window = calendar.working_days(day + timedelta(days=1), day + timedelta(days=horizon))
        room = sum(max(0, capacity - before.get(w, 0)) for w in window)
        taken_before = sum(need(e) for e in days if e < day)
        if room - taken_before >= need(day):
            timed = sum(1 for item in stacks.get(day, []) if item.at)
            assert after[day] <= max(capacity, timed), day
            assert not [i for i in plan.stuck if i in stacks.get(day, [])]


@settings(max_examples=300, deadline=None)
@given(
    stacks=stacks_of_items(),
    day_offset=st.integers(0, 4),
    capacity=st.integers(1, 10),
    calendar=calendars(),
    horizon=st.integers(1, 12),
)
def test_level_one_day_moves_exactly_what_the_room_allows(
    stacks: dict[date, list[Item]],
    day_offset: int,
    capacity: int,
    calendar: WorkCalendar,
    horizon: int,
) -> None:
    day = START + timedelta(days=day_offset)
    plan = level(stacks, [day], capacity, calendar, horizon)
    _check_level_plan(stacks, [day], capacity, calendar, horizon, plan)
    stack = stacks.get(day, [])
    movable = sum(1 for item in stack if not item.at)
    need = min(max(0, len(stack) - capacity), movable)
    window = calendar.working_days(day + timedelta(days=1), day + timedelta(days=horizon))
    room = sum(max(0, capacity - len(stacks.get(w, []))) for w in window)
    assert len(plan.moves) == min(need, room)
    assert len(plan.stuck) == need - min(need, room)
    # the ones that give way are the least urgent ones
    order = least_urgent_first((i for i in stack if not i.at), day)
    assert [m.item for m in plan.moves] + plan.stuck == order[:need]


@settings(max_examples=300, deadline=None)
@given(
    count=st.integers(0, 40),
    offsets=st.lists(st.integers(0, 30), max_size=12, unique=True),
    existing=st.lists(st.integers(0, 12), min_size=12, max_size=12),
    capacity=st.integers(1, 10),
    filed=st.lists(st.sampled_from(FILED), min_size=40, max_size=40),
)
def test_spread_properties(
    count: int, offsets: list[int], existing: list[int], capacity: int, filed: list[str]
) -> None:
    days = sorted(START + timedelta(days=o) for o in offsets)
    loads = {day: existing[i] for i, day in enumerate(days)}
    items = [Item(i, f"client {i % 5}", None, filed_at=filed[i]) for i in range(count)]
    plan = spread(items, days, loads, capacity)
    moved = [move.item.id for move in plan.moves]
    stuck = [item.id for item in plan.stuck]
    assert Counter(moved + stuck) == Counter(range(count))  # each once, none lost
    assert all(move.to in days for move in plan.moves)
    after = Counter(loads) + Counter(move.to for move in plan.moves)
    for target in {move.to for move in plan.moves}:
        assert after[target] <= capacity
    if plan.stuck:
        assert all(after[day] >= capacity for day in days)
    # evenly: a day that got a dossier is never more than one above a day with room left
    for target in {move.to for move in plan.moves}:
        for other in days:
            if after[other] < capacity:
                assert after[target] <= after[other] + 1, (target, other)
