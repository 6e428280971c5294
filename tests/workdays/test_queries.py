"""Counting loads its overrides in one query, however many days it walks."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.workdays.support import holiday, workday
from workflows.workdays.calendar import (
    add_working_days,
    deadline_at,
    deadline_before,
    working_days_between,
)
from workflows.workdays.models import CalendarOverride

pytestmark = pytest.mark.django_db


@pytest.fixture
def overrides(calendar_admin):
    holiday(calendar_admin, dt.date(2026, 3, 10), "临时休假")
    workday(calendar_admin, dt.date(2026, 3, 14), "调休上班", jurisdiction="shanghai")
    holiday(calendar_admin, dt.date(2027, 1, 1), "元旦")


@pytest.mark.usefixtures("overrides")
class TestQueryCount:
    def test_sixty_working_days_in_a_known_year_take_at_most_two_queries(
        self, django_assert_max_num_queries
    ):
        with django_assert_max_num_queries(2):
            deadline = add_working_days(dt.date(2026, 1, 20), 60, "shanghai")
        assert deadline.day > dt.date(2026, 4, 1)

    def test_sixty_working_days_into_an_unknown_year_take_at_most_two_queries(
        self, django_assert_max_num_queries
    ):
        with django_assert_max_num_queries(2):
            deadline = add_working_days(dt.date(2026, 11, 20), 60)
        assert deadline.provisional

    def test_reminders_and_counts_between_days_are_bounded_too(
        self, django_assert_max_num_queries
    ):
        with django_assert_max_num_queries(2):
            deadline_before(dt.date(2026, 6, 1), 60)
        with django_assert_max_num_queries(1):
            working_days_between(dt.date(2026, 1, 1), dt.date(2026, 12, 31))
        received = dt.datetime(2026, 1, 20, 9, 0, tzinfo=dt.UTC)
        with django_assert_max_num_queries(2):
            deadline_at(received, 60)


def test_a_count_beyond_the_first_load_extends_it_in_one_more_query(
    calendar_admin, django_assert_num_queries
):
    # Two months of holidays push a one-day count far past its first load.
    first = dt.date(2026, 3, 2)
    CalendarOverride.objects.bulk_create(
        CalendarOverride(
            date=first + dt.timedelta(days=i),
            kind=CalendarOverride.Kind.HOLIDAY,
            name="停工",
            created_by=calendar_admin,
        )
        for i in range(60)
    )
    with django_assert_num_queries(2):
        deadline = add_working_days(first - dt.timedelta(days=1), 1)
    # Then May 1-5 (劳动节, from the package), so Wednesday May 6.
    assert deadline.day == dt.date(2026, 5, 6)
