"""Properties of working-day counting, over 2000-2035 and with overrides entered."""

from __future__ import annotations

import datetime as dt

from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.django import TestCase

from tests.workdays.support import holiday, make_calendar_admin, workday
from workflows.workdays.calendar import (
    add_working_days,
    deadline_before,
    is_working_day,
    working_days_between,
)
from workflows.workdays.services import calendar_year_mark_complete

# Spans years before, inside and after chinese_calendar's data (2004-2026).
days = st.dates(min_value=dt.date(2000, 1, 1), max_value=dt.date(2035, 12, 31))
counts = st.integers(min_value=1, max_value=250)
jurisdictions = st.sampled_from(["", "shanghai"])
# No example database: it would write .hypothesis/ into the working tree.
properties = settings(database=None, deadline=None, max_examples=150)


class WorkingDayPropertiesTest(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        admin = make_calendar_admin()
        holiday(admin, dt.date(2027, 1, 1), "元旦")
        workday(admin, dt.date(2027, 1, 9), "调休上班")
        holiday(admin, dt.date(2027, 2, 10), "春节", jurisdiction="shanghai")
        workday(admin, dt.date(2026, 3, 7), "调休上班", jurisdiction="shanghai")
        calendar_year_mark_complete(actor=admin, year=2027)

    @properties
    @given(start=days, n=counts, jurisdiction=jurisdictions)
    def test_due_day_is_a_working_day_strictly_after_receipt(
        self, start, n, jurisdiction
    ):
        due = add_working_days(start, n, jurisdiction).day
        assert due > start
        assert is_working_day(due, jurisdiction)

    @properties
    @given(start=days, n=st.integers(0, 250), jurisdiction=jurisdictions)
    def test_more_working_days_never_give_an_earlier_day(self, start, n, jurisdiction):
        shorter = add_working_days(start, n, jurisdiction).day
        longer = add_working_days(start, n + 1, jurisdiction).day
        # n == 0 from a non-working day and n == 1 both give the next working day.
        assert shorter < longer if n else shorter <= longer

    @properties
    @given(start=days, n=counts, jurisdiction=jurisdictions)
    def test_working_days_between_start_and_due_day_is_n(self, start, n, jurisdiction):
        due = add_working_days(start, n, jurisdiction).day
        assert working_days_between(start, due, jurisdiction) == n
        assert working_days_between(due, start, jurisdiction) == -n

    @properties
    @given(start=days, jurisdiction=jurisdictions)
    def test_zero_days_is_the_first_working_day_from_receipt(self, start, jurisdiction):
        due = add_working_days(start, 0, jurisdiction).day
        assert due >= start
        assert is_working_day(due, jurisdiction)
        assert working_days_between(start, due, jurisdiction) == (
            0 if due == start else 1
        )

    @properties
    @given(start=days, n=counts, jurisdiction=jurisdictions)
    def test_reminder_n_days_before_the_due_day_counts_back_to_it(
        self, start, n, jurisdiction
    ):
        due = add_working_days(start, n, jurisdiction).day
        reminder = deadline_before(due, n, jurisdiction).day
        assert reminder < due
        assert is_working_day(reminder, jurisdiction)
        assert add_working_days(reminder, n, jurisdiction).day == due

    @properties
    @given(start=days, n=st.integers(0, 400))
    def test_never_raises_and_says_why_when_provisional(self, start, n):
        deadline = add_working_days(start, n)
        assert deadline.provisional == bool(deadline.reason)
        if deadline.provisional:
            assert "holiday data not yet entered" in deadline.reason
        deadline_before(deadline.day, n)
