"""Named cases of the working-day rule (Civil Code arts. 201, 203) on real calendars."""

from __future__ import annotations

import datetime as dt
import zoneinfo

import chinese_calendar
import pytest

from tests.workdays.support import holiday, workday
from workflows.workdays.calendar import (
    Deadline,
    add_working_days,
    deadline_at,
    deadline_before,
    is_working_day,
    working_days_between,
)
from workflows.workdays.services import (
    calendar_override_remove,
    calendar_year_mark_complete,
)

pytestmark = pytest.mark.django_db

D = dt.date
SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")


def test_package_data_has_the_2026_arrangement_these_cases_assume():
    """chinese_calendar's 2026 tables: the expectations below are built from them."""
    spring_festival = {D(2026, 2, 15) + dt.timedelta(days=i) for i in range(9)}
    national_day = {D(2026, 10, 1) + dt.timedelta(days=i) for i in range(7)}
    mid_autumn = {D(2026, 9, 25), D(2026, 9, 26), D(2026, 9, 27)}
    assert (
        spring_festival | national_day | mid_autumn <= chinese_calendar.holidays.keys()
    )
    assert {
        D(2026, 2, 14),  # Saturday before Spring Festival
        D(2026, 2, 28),  # Saturday after it
        D(2026, 9, 20),  # Sunday before Mid-Autumn and National Day
        D(2026, 10, 10),  # Saturday after National Day
    } <= chinese_calendar.workdays.keys()
    with pytest.raises(NotImplementedError):
        chinese_calendar.is_workday(D(2027, 1, 4))


class TestSpringFestival2026:
    def test_counts_the_make_up_saturday_and_skips_the_nine_day_holiday(self):
        # Fri 13th (1), make-up Sat 14th (2), holiday 15th-23rd, Tue 24th (3).
        assert add_working_days(D(2026, 2, 12), 3) == Deadline(D(2026, 2, 24))

    def test_ten_days_run_through_the_make_up_saturday_after_the_holiday(self):
        # 13, 14, 24, 25, 26, 27, 28 (make-up Saturday), Mar 2, 3, 4.
        assert add_working_days(D(2026, 2, 12), 10).day == D(2026, 3, 4)

    def test_receipt_during_the_holiday_counts_from_the_first_day_after_it(self):
        assert add_working_days(D(2026, 2, 17), 1).day == D(2026, 2, 24)

    def test_make_up_saturday_is_a_due_day(self):
        assert add_working_days(D(2026, 2, 26), 2).day == D(2026, 2, 28)


class TestNationalDay2026:
    """Mid-Autumn (Sep 25-27) and National Day (Oct 1-7) with make-up days around."""

    @pytest.mark.parametrize(
        ("n", "due"),
        [
            (1, D(2026, 9, 28)),
            (3, D(2026, 9, 30)),
            (4, D(2026, 10, 8)),
            (5, D(2026, 10, 9)),
            (6, D(2026, 10, 10)),  # the make-up Saturday
            (7, D(2026, 10, 12)),
        ],
    )
    def test_receipt_on_mid_autumn_day_skips_both_holidays(self, n, due):
        assert add_working_days(D(2026, 9, 25), n) == Deadline(due)

    def test_make_up_sunday_before_the_holidays_is_a_due_day(self):
        assert add_working_days(D(2026, 9, 18), 1).day == D(2026, 9, 20)

    def test_reminder_one_working_day_before_skips_back_over_the_holiday(self):
        assert deadline_before(D(2026, 10, 8), 1).day == D(2026, 9, 30)
        assert deadline_before(D(2026, 10, 12), 1).day == D(2026, 10, 10)


class TestUnknownYear:
    def test_december_24_plus_ten_is_a_provisional_day_in_january_2027(self):
        deadline = add_working_days(D(2026, 12, 24), 10)
        # Dec 25, 28-31, then Jan 1, 4-7 counted Monday to Friday.
        assert deadline.day == D(2027, 1, 7)
        assert deadline.provisional
        assert deadline.reason == (
            "2027 holiday data not yet entered; counted Monday to Friday"
        )

    def test_entered_and_completed_2027_gives_a_definite_day_skipping_new_year(
        self, calendar_admin
    ):
        holiday(calendar_admin, D(2027, 1, 1), "元旦")
        calendar_year_mark_complete(actor=calendar_admin, year=2027)

        assert add_working_days(D(2026, 12, 24), 10) == Deadline(D(2027, 1, 8))

    def test_entered_but_not_completed_year_stays_provisional(self, calendar_admin):
        holiday(calendar_admin, D(2027, 1, 1), "元旦")

        deadline = add_working_days(D(2026, 12, 24), 10)

        assert deadline.day == D(2027, 1, 8)
        assert deadline.provisional

    def test_a_count_decided_by_overrides_alone_is_not_provisional(
        self, calendar_admin
    ):
        workday(calendar_admin, D(2027, 1, 2), "元旦调休")
        assert add_working_days(D(2027, 1, 1), 1) == Deadline(D(2027, 1, 2))

    def test_a_year_completed_for_one_jurisdiction_is_definite_only_there(
        self, calendar_admin
    ):
        holiday(calendar_admin, D(2027, 1, 1), "元旦", jurisdiction="shanghai")
        calendar_year_mark_complete(
            actor=calendar_admin, year=2027, jurisdiction="shanghai"
        )

        assert not add_working_days(D(2026, 12, 24), 10, "shanghai").provisional
        assert add_working_days(D(2026, 12, 24), 10).provisional

    def test_years_before_the_package_data_are_provisional_too(self):
        # Dec 31 guessed (2003), Jan 1 元旦 from the package (2004), Jan 2, Jan 5.
        deadline = add_working_days(D(2003, 12, 30), 3)
        assert deadline.day == D(2004, 1, 5)
        assert deadline.reason.startswith("2003 holiday data")

    def test_unknown_years_answer_monday_to_friday_without_raising(self):
        assert is_working_day(D(2031, 6, 2))
        assert not is_working_day(D(2031, 6, 1))


class TestOverrides:
    def test_makes_a_weekend_a_working_day(self, calendar_admin):
        saturday = D(2026, 3, 7)
        assert not is_working_day(saturday)
        workday(calendar_admin, saturday, "调休上班")
        assert is_working_day(saturday)
        assert add_working_days(D(2026, 3, 6), 1).day == saturday

    def test_makes_a_weekday_a_holiday(self, calendar_admin):
        holiday(calendar_admin, D(2026, 3, 10), "临时休假")
        assert not is_working_day(D(2026, 3, 10))
        assert add_working_days(D(2026, 3, 9), 1).day == D(2026, 3, 11)

    def test_overrides_the_package_data(self, calendar_admin):
        holiday(calendar_admin, D(2026, 2, 14), "取消调休")
        assert add_working_days(D(2026, 2, 12), 2).day == D(2026, 2, 24)

    def test_jurisdiction_override_applies_only_to_that_jurisdiction(
        self, calendar_admin
    ):
        holiday(calendar_admin, D(2026, 3, 10), "地方假日", jurisdiction="shanghai")
        assert not is_working_day(D(2026, 3, 10), "shanghai")
        assert is_working_day(D(2026, 3, 10))
        assert is_working_day(D(2026, 3, 10), "shenzhen")
        assert add_working_days(D(2026, 3, 9), 1, "shanghai").day == D(2026, 3, 11)
        assert add_working_days(D(2026, 3, 9), 1).day == D(2026, 3, 10)

    def test_jurisdiction_override_beats_the_national_one_on_the_same_day(
        self, calendar_admin
    ):
        holiday(calendar_admin, D(2026, 3, 10), "全国假日")
        workday(calendar_admin, D(2026, 3, 10), "照常上班", jurisdiction="shanghai")
        assert is_working_day(D(2026, 3, 10), "shanghai")
        assert not is_working_day(D(2026, 3, 10))

    def test_removing_an_override_restores_the_package_rule(self, calendar_admin):
        holiday(calendar_admin, D(2026, 3, 10), "临时休假")
        calendar_override_remove(actor=calendar_admin, day=D(2026, 3, 10))
        assert is_working_day(D(2026, 3, 10))


class TestCountingRule:
    def test_day_of_receipt_is_not_counted(self):
        assert add_working_days(D(2026, 3, 2), 1).day == D(2026, 3, 3)

    def test_friday_receipt_plus_one_is_monday(self):
        assert add_working_days(D(2026, 3, 6), 1).day == D(2026, 3, 9)

    def test_zero_days_on_a_working_day_is_that_day(self):
        assert add_working_days(D(2026, 3, 4), 0).day == D(2026, 3, 4)

    def test_zero_days_moves_a_weekend_to_the_next_working_day(self):
        assert add_working_days(D(2026, 3, 7), 0).day == D(2026, 3, 9)

    def test_zero_days_moves_a_holiday_to_the_first_day_after_it(self):
        assert add_working_days(D(2026, 2, 17), 0).day == D(2026, 2, 24)

    def test_counts_from_a_holiday_receipt_unlike_find_workday(self):
        """find_workday first moves to a working day, then counts: one day too many."""
        assert chinese_calendar.find_workday(1, D(2026, 2, 17)) == D(2026, 2, 25)
        assert add_working_days(D(2026, 2, 17), 1).day == D(2026, 2, 24)

    def test_refuses_a_negative_count(self):
        with pytest.raises(ValueError, match="0 or more"):
            add_working_days(D(2026, 3, 2), -1)
        with pytest.raises(ValueError, match="0 or more"):
            deadline_before(D(2026, 3, 2), -1)

    def test_working_days_between_counts_after_start_up_to_end(self):
        assert working_days_between(D(2026, 2, 12), D(2026, 2, 24)) == 3
        assert working_days_between(D(2026, 2, 24), D(2026, 2, 12)) == -3
        assert working_days_between(D(2026, 2, 16), D(2026, 2, 16)) == 0

    def test_deadline_before_zero_moves_back_to_a_working_day(self):
        assert deadline_before(D(2026, 3, 8), 0).day == D(2026, 3, 6)


class TestDeadlineAt:
    def test_gives_the_end_of_the_due_day_in_local_time(self):
        received = dt.datetime(2026, 3, 2, 9, 30, tzinfo=SHANGHAI)
        due, provisional = deadline_at(received, 1)
        assert due == dt.datetime(2026, 3, 3, 23, 59, 59, tzinfo=SHANGHAI)
        assert due.utcoffset() == dt.timedelta(hours=8)
        assert due.isoformat() == "2026-03-03T23:59:59+08:00"
        assert provisional is False

    def test_takes_the_day_of_receipt_in_local_time(self):
        # 17:00 UTC on Friday is 01:00 on Saturday in Beijing: received on Saturday.
        received = dt.datetime(2026, 3, 6, 17, 0, tzinfo=dt.UTC)
        due, _ = deadline_at(received, 1)
        assert due.date() == D(2026, 3, 9)

    def test_says_when_the_due_day_is_provisional(self):
        received = dt.datetime(2026, 12, 24, 10, 0, tzinfo=SHANGHAI)
        assert deadline_at(received, 10) == (
            dt.datetime(2027, 1, 7, 23, 59, 59, tzinfo=SHANGHAI),
            True,
        )

    def test_refuses_a_naive_datetime(self):
        with pytest.raises(ValueError, match="timezone-aware"):
            deadline_at(dt.datetime(2026, 3, 2, 9, 30), 1)  # noqa: DTZ001


def test_refuses_a_datetime_where_a_day_is_meant():
    """A datetime never equals a holiday's date, so it is refused, not miscounted."""
    received = dt.datetime(2026, 2, 12, 9, 0, tzinfo=SHANGHAI)
    with pytest.raises(TypeError, match="give a date"):
        add_working_days(received, 3)
    with pytest.raises(TypeError, match="give a date"):
        is_working_day(received)
