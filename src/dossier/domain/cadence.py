"""A client's cadence: how often to be in touch ("every 3w"), as a value.

``--every`` takes a count and a unit: ``d`` days, ``w`` weeks, ``m`` months, ``y`` years
(``10d``, ``3w``, ``2m``, ``1y``). Stored as typed, normalised (``3w``). Month and year
steps are counted from the original day, never chained: Jan 31 + 1m is the last day of
February, + 2m is Mar 31 (what ``dateutil.relativedelta`` does; computed here with the
standard library, as the domain imports nothing else).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from .errors import UsageError

UNITS = ("d", "w", "m", "y")
CLEAR = "none"
_PATTERN = re.compile(r"(\d{1,4})\s*([dwmy])")
# More than ten years is a typo, not a cadence.
MAX_DAYS = 3660


@dataclass(frozen=True)
class Cadence:
    count: int
    unit: str  # one of UNITS

    def __str__(self) -> str:
        return f"{self.count}{self.unit}"

    def after(self, day: date) -> date:
        """The day one step after ``day``."""
        if self.unit == "d":
            return day + timedelta(days=self.count)
        if self.unit == "w":
            return day + timedelta(weeks=self.count)
        months = self.count * (12 if self.unit == "y" else 1)
        index = day.year * 12 + day.month - 1 + months
        year, month = divmod(index, 12)
        month += 1
        following = date(year + month // 12, month % 12 + 1, 1)
        last = (following - timedelta(days=1)).day
        return date(year, month, min(day.day, last))

    def days(self) -> float:
        """About how many days one step is (for comparing cadences and going cold)."""
        return self.count * UNIT_DAYS[self.unit]


def parse(text: str, flag: str = "--every") -> Cadence | None:
    """``3w`` → Cadence(3, "w"); ``none`` → None (no cadence); anything else refused."""
    folded = text.strip().lower()
    if folded == CLEAR:
        return None
    match = _PATTERN.fullmatch(folded)
    if match is None or int(match.group(1)) == 0:
        raise UsageError(
            "{flag} {value!r}: give a count and d, w, m or y (e.g. 10d, 3w, 2m, 1y), or none",
            flag=flag,
            value=text,
        )
    cadence = Cadence(int(match.group(1)), match.group(2))
    if cadence.days() > MAX_DAYS:
        raise UsageError("{flag} {value!r}: a cadence is at most ten years", flag=flag, value=text)
    return cadence


def stored(text: str | None) -> Cadence | None:
    """The cadence a card holds (its column), or None; a bad value reads as none."""
    if not text:
        return None
    try:
        return parse(text)
    except UsageError:
        return None


def in_force(
    own: str | None,
    tags: Sequence[str],
    stage: str,
    defaults: Sequence[tuple[str, str]],
    stages: Sequence[str],
) -> Cadence | None:
    """The cadence that applies to a client: its own, else the shortest of its tags'
    defaults, else its stage's (``defaults``: the settings' ``cadence.NAME`` pairs; a
    name that is a stage is only ever the stage's)."""
    mine = stored(own)
    if mine is not None:
        return mine
    by_name = {name: stored(step) for name, step in defaults}
    tagged = [by_name.get(tag) for tag in tags if tag not in stages]
    found = [step for step in tagged if step is not None]
    if found:
        return min(found, key=Cadence.days)
    return by_name.get(stage)


# About how many days a unit is: a cadence's length when deciding whether a client went
# cold (the filing itself uses calendar months and years, see ``Cadence.after``).
UNIT_DAYS = {"d": 1.0, "w": 7.0, "m": 30.4375, "y": 365.25}


@dataclass(frozen=True)
class ColdRule:
    """When a client has gone cold: its last contact (or, never contacted, its creation)
    is more than ``factor`` times its cadence ago, or, without one, more than ``days``.
    ``defaults``: the settings' ``cadence.NAME`` as days, a stage's under the stage's name.
    """

    today: date
    defaults: tuple[tuple[str, float], ...]
    factor: float
    days: int


def cold_rule(
    today: date, defaults: Sequence[tuple[str, str]], factor: float, days: int
) -> ColdRule:
    steps = ((name, stored(step)) for name, step in defaults)
    return ColdRule(today, tuple((name, step.days()) for name, step in steps if step), factor, days)
