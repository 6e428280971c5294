"""Date helpers offered to every BPMN/DMN expression, for deadlines kept as ISO text.

Task data must stay JSON-serialisable, so models keep dates as ISO 8601 strings and
convert at the point of use. Naive date-times are read as local time, exactly as
SpiffWorkflow's timers read them, so a helper and a timer agree on the same string;
Django sets the process time zone to ``TIME_ZONE``, which makes "local" the
administration's own calendar.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta


def _aware(value: datetime) -> datetime:
    return value if value.tzinfo is not None else value.astimezone()


def _calendar_date(value: str | date) -> date:
    if isinstance(value, datetime):
        return _aware(value).astimezone().date()
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(value)
    except ValueError:
        return parse_iso(value).astimezone().date()


def parse_iso(value: str) -> datetime:
    """Parse an ISO 8601 date or date-time into an aware date-time."""
    return _aware(datetime.fromisoformat(value))


def iso(value: date) -> str:
    """Format a date, or a date-time with its UTC offset, as ISO 8601 text."""
    if isinstance(value, datetime):
        return _aware(value).isoformat()
    return value.isoformat()


def today_iso() -> str:
    """Return today's local calendar date as ISO 8601 text."""
    return datetime.now(UTC).astimezone().date().isoformat()


def days_between(start: str | date, end: str | date) -> int:
    """Count calendar days from start to end (negative when end is earlier)."""
    return (_calendar_date(end) - _calendar_date(start)).days


def add_days(value: str | date, days: int) -> str:
    """Add calendar days to an ISO date or date-time; return ISO text of that kind."""
    if isinstance(value, str):
        try:
            return (date.fromisoformat(value) + timedelta(days=days)).isoformat()
        except ValueError:
            return iso(parse_iso(value) + timedelta(days=days))
    return iso(value + timedelta(days=days))


HELPERS = {
    "parse_iso": parse_iso,
    "iso": iso,
    "today_iso": today_iso,
    "days_between": days_between,
    "add_days": add_days,
}
