"""Count working days (工作日) the way Civil Code arts. 201 and 203 do.

The day of receipt is not counted; statutory holidays are skipped and make-up working
days (调休上班) count; a deadline on a non-working day moves to the next working day.
Each call loads the overrides its date range needs in one query (plus one more only
when it has to ask which unknown years an administrator marked complete) and then
works in memory.

Where a day's status comes from, first match wins: the jurisdiction's override, the
national override, chinese_calendar for the years it knows, else Monday to Friday.
That guess makes the deadline provisional unless the year is marked complete.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import chinese_calendar
from django.utils import timezone

from workflows.workdays.models import NATIONAL, CalendarOverride, CalendarYear

ONE_DAY = dt.timedelta(days=1)
END_OF_DAY = dt.time(23, 59, 59)
# When counting runs past the loaded range, load this many more days in one query.
EXTEND_DAYS = 366

# chinese_calendar's is_workday() raises NotImplementedError outside the span of its
# holiday table. Reading its public tables directly applies the same rule
# (make-up day, else Monday to Friday and not a holiday) without the exception or the
# per-call min()/max() over the tables, and the span is read from the package so an
# upgrade that adds a year is picked up without a code change.
_PACKAGE_HOLIDAYS: dict[dt.date, object] = chinese_calendar.holidays
_PACKAGE_WORKDAYS: dict[dt.date, object] = chinese_calendar.workdays
PACKAGE_YEARS = range(min(_PACKAGE_HOLIDAYS).year, max(_PACKAGE_HOLIDAYS).year + 1)


@dataclass(frozen=True)
class Deadline:
    """A due day, and whether it rests on a weekday guess for a year with no data."""

    day: dt.date
    provisional: bool = False
    reason: str = ""


def is_working_day(day: dt.date, jurisdiction: str = NATIONAL) -> bool:
    """Say whether a day is a working day in the jurisdiction."""
    _check_dates(day)
    return _Calendar(jurisdiction, day, day).is_working(day)


def add_working_days(start: dt.date, n: int, jurisdiction: str = NATIONAL) -> Deadline:
    """Return the day n working days after the day of receipt, which is not counted.

    With n == 0 the result is the start day itself if it is a working day, else the
    next working day.
    """
    _check_dates(start)
    _check_count(n)
    calendar = _Calendar(jurisdiction, start, start + _span(n))
    return calendar.deadline(_walk(calendar, start, n, ONE_DAY))


def deadline_before(due_day: dt.date, n: int, jurisdiction: str = NATIONAL) -> Deadline:
    """Return the working day n working days before a due day, for reminders.

    With n == 0 the result is the due day itself if it is a working day, else the
    working day before it.
    """
    _check_dates(due_day)
    _check_count(n)
    calendar = _Calendar(jurisdiction, due_day - _span(n), due_day)
    return calendar.deadline(_walk(calendar, due_day, n, -ONE_DAY))


def working_days_between(
    start: dt.date, end: dt.date, jurisdiction: str = NATIONAL
) -> int:
    """Count the working days after start up to and including end.

    So ``working_days_between(start, add_working_days(start, n).day) == n`` for
    n >= 1; the count is negative when end is before start.
    """
    _check_dates(start, end)
    if end < start:
        return -working_days_between(end, start, jurisdiction)
    if end == start:
        return 0
    calendar = _Calendar(jurisdiction, start + ONE_DAY, end)
    days = (start + dt.timedelta(days=i) for i in range(1, (end - start).days + 1))
    return sum(1 for day in days if calendar.is_working(day))


def deadline_at(
    start: dt.datetime, n: int, jurisdiction: str = NATIONAL
) -> tuple[dt.datetime, bool]:
    """Return the end (23:59:59 local) of the due working day and if it is provisional.

    The day of receipt is the local calendar day of ``start``, which must be aware.
    """
    if timezone.is_naive(start):
        raise ValueError("start must be a timezone-aware datetime")
    local = timezone.get_default_timezone()
    received = timezone.localtime(start, local).date()
    deadline = add_working_days(received, n, jurisdiction)
    due = dt.datetime.combine(deadline.day, END_OF_DAY, tzinfo=local)
    return due, deadline.provisional


def _check_dates(*days: dt.date) -> None:
    # A datetime is a date too, but never equal to one: as a key it would miss every
    # holiday in the tables, silently.
    if any(isinstance(day, dt.datetime) for day in days):
        raise TypeError("give a date; deadline_at() takes a datetime")


def _check_count(n: int) -> None:
    if n < 0:
        raise ValueError(f"the number of working days must be 0 or more, not {n}")


def _span(n: int) -> dt.timedelta:
    # Two calendar days per working day covers the weekends, and the extra month
    # covers the longest holiday (Spring Festival, up to nine days) with room to spare,
    # so one query nearly always loads everything a count needs.
    return dt.timedelta(days=2 * n + 31)


def _walk(calendar: _Calendar, start: dt.date, n: int, step: dt.timedelta) -> dt.date:
    day = start
    if n == 0:
        while not calendar.is_working(day):
            day += step
        return day
    remaining = n
    while remaining:
        day += step
        if calendar.is_working(day):
            remaining -= 1
    return day


class _Calendar:
    """One jurisdiction's working days, with its overrides loaded a range at a time."""

    def __init__(self, jurisdiction: str, first: dt.date, last: dt.date) -> None:
        self.jurisdiction = jurisdiction
        self._overrides: dict[dt.date, bool] = {}
        self._first, self._last = first, last
        self._guessed_years: set[int] = set()
        self._load(first, last)

    def is_working(self, day: dt.date) -> bool:
        """Say whether a day is a working day, noting years that had to be guessed."""
        self._cover(day)
        stated = self._overrides.get(day)
        if stated is not None:
            return stated
        if day.year in PACKAGE_YEARS:
            return day in _PACKAGE_WORKDAYS or (
                day.weekday() < 5 and day not in _PACKAGE_HOLIDAYS
            )
        self._guessed_years.add(day.year)
        return day.weekday() < 5

    def deadline(self, day: dt.date) -> Deadline:
        """Wrap a counted day, saying whether any day of the count was guessed."""
        unsettled = sorted(self._guessed_years - self._complete_years())
        if not unsettled:
            return Deadline(day)
        years = ", ".join(str(year) for year in unsettled)
        return Deadline(
            day,
            provisional=True,
            reason=f"{years} holiday data not yet entered; counted Monday to Friday",
        )

    def _jurisdictions(self) -> set[str]:
        return {NATIONAL, self.jurisdiction}

    def _load(self, first: dt.date, last: dt.date) -> None:
        rows = (
            CalendarOverride.objects.filter(
                date__range=(first, last), jurisdiction__in=self._jurisdictions()
            )
            # National rows ("" sorts first) are read before the jurisdiction's own,
            # so the jurisdiction's row for the same day wins.
            .order_by("jurisdiction")
            .values_list("date", "kind")
        )
        for day, kind in rows:
            self._overrides[day] = kind == CalendarOverride.Kind.WORKDAY

    def _cover(self, day: dt.date) -> None:
        if day > self._last:
            last = max(day, self._last + dt.timedelta(days=EXTEND_DAYS))
            self._load(self._last + ONE_DAY, last)
            self._last = last
        elif day < self._first:
            first = min(day, self._first - dt.timedelta(days=EXTEND_DAYS))
            self._load(first, self._first - ONE_DAY)
            self._first = first

    def _complete_years(self) -> set[int]:
        if not self._guessed_years:
            return set()
        return set(
            CalendarYear.objects.filter(
                year__in=self._guessed_years,
                jurisdiction__in=self._jurisdictions(),
                complete=True,
            ).values_list("year", flat=True)
        )
