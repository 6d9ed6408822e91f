"""The binder: what a tab means, where a dossier sits, and how the day's stack is laid out.

Pure functions over ``records``; no database, no clock. The morning view follows the
method: first what was left behind an earlier tab (overdue, never dropped), then today's
stack with fixed-time appointments first and the rest split into repeat contacts and new
clients, then this month's tab for dossiers that still have no day.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from datetime import date as Date  # TodayView's field "date" hides the type in its body
from typing import NamedTuple

from .dates import LAST_DAY, Day, MonthTab, Target
from .errors import UsageError
from .messages import Message, note
from .owners import Whose
from .records import Placement, Row


def placement_for(target: Target, at: str | None, purpose: str | None) -> Placement:
    """The place a parsed ``--on`` means; a time only makes sense with a day."""
    if isinstance(target, MonthTab):
        if at:
            raise UsageError(
                "--at needs a day, but the {month} tab has none yet; give --on a day "
                "(e.g. 2024-07-05) or drop --at",
                month=target,
            )
        return Placement(None, target.key, None, purpose)
    assert isinstance(target, Day)
    return Placement(target.date, None, at, purpose)


def describe(placement: Placement | None) -> Message:
    """Where a dossier sits, as the confirmation line says it.

    >>> str(describe(Placement(date(2024, 7, 5), None, None, None)))
    'Fri 5 Jul 2024 (tab 5)'
    >>> str(describe(Placement(None, "2024-07", None, None)))
    'the July 2024 tab'
    """
    if placement is None:
        return note("nowhere (no next step)")
    if placement.due is not None:
        return note("{day} (tab {tab})", day=placement.due, tab=placement.due.day)
    assert placement.month is not None
    return note("the {month} tab", month=month_tab(placement.month))


def month_tab(key: str) -> MonthTab:
    """The month tab of a ``YYYY-MM`` key."""
    year, month = (int(part) for part in key.split("-"))
    return MonthTab(year, month)


def month_key(day: date) -> str:
    return f"{day.year:04d}-{day.month:02d}"


def days_late(placement: Placement | None, today: date) -> int:
    """How long a dossier has waited past its tab (a past month tab: since its last day)."""
    if placement is None:
        return 0
    if placement.due is not None:
        return max(0, (today - placement.due).days)
    assert placement.month is not None
    year, month = (int(part) for part in placement.month.split("-"))
    return max(0, (today - MonthTab(year, month).last).days)


class ViewFilter(NamedTuple):
    """Only the dossiers with every one of ``tags`` (and in ``stage``, if given)."""

    tags: tuple[str, ...] = ()
    stage: str | None = None

    def __bool__(self) -> bool:
        return bool(self.tags or self.stage)


@dataclass
class TodayView:
    """The morning stack. ``timed``, ``repeat`` and ``new`` together are today's tab."""

    date: date
    overdue: list[Row]
    timed: list[Row]
    repeat: list[Row]
    new: list[Row]
    month: list[Row]
    next_work: tuple[Message, int] | None = None  # (where, count) when the tab is empty
    unfiled: list[tuple[int, str]] = field(default_factory=list)  # the first few, by name
    unfiled_count: int = 0
    capacity: int | None = None
    spread_hint: Message | None = None  # on a month's first working day, its undated tab
    off: Message | None = None  # why the day is not a working day
    next_working: tuple[Date, int] | None = None  # on a day off: the next one, its count
    filter: ViewFilter | None = None  # only these dossiers are shown and counted
    whole_stack: int | None = None  # on a filtered view: the whole day's pile
    # When ``overdue`` or ``month`` hold only the first rows (a terminal's view): how
    # many there are in all. None: the list is whole.
    overdue_total: int | None = None
    month_total: int | None = None
    cold: int = 0  # active clients gone cold (no contact for too long; see domain.cadence)
    whose: Whose | None = None  # whose dossiers (domain.owners); None: the one owner's

    @property
    def overdue_count(self) -> int:
        return len(self.overdue) if self.overdue_total is None else self.overdue_total

    @property
    def month_count(self) -> int:
        return len(self.month) if self.month_total is None else self.month_total

    @property
    def stack(self) -> int:
        """The morning pile: what is overdue plus today's tab."""
        return self.overdue_count + len(self.today)

    @property
    def over(self) -> int:
        """How far the whole day's pile (not only a filtered part of it) is over capacity."""
        pile = self.stack if self.whole_stack is None else self.whole_stack
        return max(0, pile - self.capacity) if self.capacity else 0

    @property
    def today(self) -> list[Row]:
        return self.timed + self.repeat + self.new

    @property
    def total(self) -> int:
        return self.overdue_count + len(self.today) + self.month_count


def lay_out_today(
    day: date, overdue: list[Row], due_today: list[Row], month: list[Row]
) -> TodayView:
    """Order and split the day's stack as the method counts it.

    Overdue: longest-waiting first. Today: timed dossiers by time, then the untimed ones
    split into repeat contacts and new clients (no history yet).
    """
    overdue = sorted(overdue, key=lambda r: (-days_late(r.client.placement, day), _sort(r)))
    timed = sorted((r for r in due_today if _time(r)), key=lambda r: (_time(r), _sort(r)))
    rest = [r for r in due_today if not _time(r)]
    return TodayView(
        date=day,
        overdue=overdue,
        timed=timed,
        repeat=sorted((r for r in rest if r.contacted), key=_sort),
        new=sorted((r for r in rest if not r.contacted), key=_sort),
        month=sorted(month, key=_sort),
    )


def next_work_label(
    next_day: tuple[date, int] | None, next_month: tuple[str, int] | None
) -> tuple[Message, int] | None:
    """The nearest place in the folder that holds work, for an empty tab.

    A month tab comes up on the first of its month, so it wins over a later day.
    """
    if next_month is not None:
        year, month = (int(part) for part in next_month[0].split("-"))
        if next_day is None or date(year, month, 1) < next_day[0]:
            return describe(Placement(None, next_month[0], None, None)), next_month[1]
    if next_day is not None:
        return note("{day}", day=next_day[0]), next_day[1]
    return None


def _time(row: Row) -> str:
    placement = row.client.placement
    return (placement.at or "") if placement else ""


def _sort(row: Row) -> tuple[str, int]:
    return row.client.name.casefold(), row.client.id


# --- the binder at a glance ------------------------------------------------------------


def binder_days(today: date) -> list[date]:
    """The dates the 31 day tabs stand for today, in the order the binder holds them:
    today's tab first, the rest of this month, then next month's days at the front. In
    December 9999 there is no next month: only this month's tabs are left.

    >>> [d.isoformat() for d in binder_days(date(2024, 2, 28))][:4]
    ['2024-02-28', '2024-02-29', '2024-03-01', '2024-03-02']
    >>> len(binder_days(date(9999, 12, 31)))
    1
    """
    from .dates import tab_date

    days = (tab_date(number, today) for number in range(1, 32))
    return sorted(day for day in days if day is not None)


@dataclass(frozen=True)
class TabLoad:
    """One day tab: how many dossiers, how many at a fixed time, how many new clients."""

    day: date
    count: int = 0  # today's tab also counts what is overdue: the morning pile
    timed: int = 0
    new: int = 0
    off: Message | None = None  # why it is not a working day
    overdue: int = 0  # of ``count``, dossiers left behind earlier tabs
    whole: int | None = None  # on a filtered view: the whole day's count

    @property
    def repeat(self) -> int:
        return self.count - self.new

    def over(self, capacity: int) -> int:
        """How far the whole day (not only a filtered part of it) is over ``capacity``."""
        return max(0, (self.count if self.whole is None else self.whole) - capacity)


class MonthLoad(NamedTuple):
    key: str  # YYYY-MM
    dated: int  # dossiers with a day in that month
    undated: int  # dossiers behind the month tab with no day yet


@dataclass
class FolderView:
    today: date
    capacity: int
    days: list[TabLoad]
    months: list[MonthLoad]
    overdue: int
    unfiled: int
    whose: Whose | None = None  # whose dossiers (domain.owners); None: the one owner's


def month_keys(today: date, count: int) -> list[str]:
    """This month's key and the ``count - 1`` after it, as far as December 9999.

    >>> month_keys(date(2024, 11, 5), 3)
    ['2024-11', '2024-12', '2025-01']
    >>> month_keys(date(9999, 11, 5), 3)
    ['9999-11', '9999-12']
    """
    index = today.year * 12 + today.month - 1
    last = LAST_DAY.year * 12 + LAST_DAY.month - 1
    return [f"{i // 12:04d}-{i % 12 + 1:02d}" for i in range(index, min(index + count, last + 1))]


@dataclass
class TabView:
    """One tab's content: a day tab's stack, or a month tab's undated dossiers and, day by
    day, what is already filed in that month."""

    title: Message
    undated: list[Row] = field(default_factory=list)
    by_day: list[tuple[TabLoad, list[Row]]] = field(default_factory=list)
    # A terminal's view holds only the first rows: then how many undated dossiers there
    # are in all (each day's load keeps its own whole count).
    undated_total: int | None = None

    @property
    def left_out(self) -> int:
        """How many dossiers the view holds no row for (0 when it is whole)."""
        undated = 0 if self.undated_total is None else self.undated_total - len(self.undated)
        return undated + sum(load.count - len(rows) for load, rows in self.by_day)
