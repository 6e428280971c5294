"""Deadline helpers read and write ISO 8601 text on the local calendar."""

from __future__ import annotations

import time
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta, timezone

import pytest
import time_machine

from workflows.engine.helpers import add_days, days_between, iso, parse_iso, today_iso

PLUS_EIGHT = timezone(timedelta(hours=8))


@pytest.fixture
def shanghai_local_time(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Make local time UTC+08:00, as Django's TIME_ZONE does for the process."""
    monkeypatch.setenv("TZ", "Asia/Shanghai")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


def test_parse_iso_keeps_an_explicit_offset():
    parsed = parse_iso("2026-01-05T09:00:00+08:00")
    assert parsed == datetime(2026, 1, 5, 9, tzinfo=PLUS_EIGHT)
    assert parsed.utcoffset() == timedelta(hours=8)


def test_parse_iso_reads_naive_text_as_local_time(shanghai_local_time):
    parsed = parse_iso("2026-01-05T09:00:00")
    assert parsed == datetime(2026, 1, 5, 9, tzinfo=PLUS_EIGHT)
    assert parsed.utcoffset() == timedelta(hours=8)


def test_parse_iso_accepts_a_z_suffix_and_bare_dates():
    assert parse_iso("2026-01-05T09:00:00Z") == datetime(2026, 1, 5, 9, tzinfo=UTC)
    assert parse_iso("2026-01-05").date() == date(2026, 1, 5)


def test_parse_iso_refuses_text_that_is_not_a_date():
    with pytest.raises(ValueError, match="Invalid isoformat"):
        parse_iso("next tuesday")


def test_iso_writes_dates_plainly_and_date_times_with_their_offset(
    shanghai_local_time,
):
    assert iso(date(2026, 1, 5)) == "2026-01-05"
    assert iso(datetime(2026, 1, 5, 9, tzinfo=UTC)) == "2026-01-05T09:00:00+00:00"
    assert iso(datetime(2026, 1, 5, 9)) == "2026-01-05T09:00:00+08:00"  # noqa: DTZ001


@pytest.mark.parametrize(
    ("start", "end", "days"),
    [
        ("2026-01-05", "2026-02-04", 30),
        ("2026-02-04", "2026-01-05", -30),
        (date(2024, 2, 28), "2024-03-01", 2),
        ("2026-01-05T23:00:00+08:00", "2026-01-06T01:00:00+08:00", 1),
        ("2026-01-05T16:30:00+00:00", "2026-01-05T15:00:00+00:00", -1),
        (datetime(2026, 1, 5, 9, tzinfo=UTC), date(2026, 1, 8), 3),
    ],
)
def test_days_between_counts_local_calendar_days(shanghai_local_time, start, end, days):
    assert days_between(start, end) == days


@pytest.mark.parametrize(
    ("value", "days", "expected"),
    [
        ("2026-01-05", 30, "2026-02-04"),
        ("2026-03-01", -1, "2026-02-28"),
        (date(2026, 1, 5), 1, "2026-01-06"),
        ("2026-01-05T09:00:00+00:00", 2, "2026-01-07T09:00:00+00:00"),
    ],
)
def test_add_days_returns_text_of_the_same_kind(value, days, expected):
    assert add_days(value, days) == expected


def test_today_iso_is_the_local_calendar_date(shanghai_local_time):
    # A timestamp, not an aware datetime: time-machine would also switch TZ to UTC.
    instant = datetime(2026, 1, 5, 20, 30, tzinfo=UTC).timestamp()
    with time_machine.travel(instant, tick=False):
        assert today_iso() == "2026-01-06"
