"""The audited services that edit the calendar."""

from __future__ import annotations

import datetime as dt

import pytest

from audit.models import AuditEvent
from tests.workdays.support import holiday
from workflows.errors import ForbiddenError, InvalidInputError, NotFoundError
from workflows.workdays.models import CalendarOverride, CalendarYear
from workflows.workdays.services import (
    calendar_override_remove,
    calendar_override_set,
    calendar_year_mark_complete,
)

pytestmark = pytest.mark.django_db

NEW_YEAR_2027 = dt.date(2027, 1, 1)


def events(action: str) -> list[AuditEvent]:
    return list(AuditEvent.objects.with_action(action).in_chain_order())


class TestCalendarOverrideSet:
    def test_enters_a_day_and_audits_it(self, calendar_admin):
        override = holiday(calendar_admin, NEW_YEAR_2027, "元旦")

        assert override.created_by == calendar_admin
        [event] = events("calendar_override.set")
        assert event.actor_id == calendar_admin.pk
        assert event.target_id == str(override.pk)
        assert event.before is None
        assert event.after == {
            "date": "2027-01-01",
            "jurisdiction": "",
            "kind": "holiday",
            "name": "元旦",
        }

    def test_replaces_an_earlier_entry_for_the_same_day(self, calendar_admin):
        first = holiday(calendar_admin, NEW_YEAR_2027, "元旦")
        second = calendar_override_set(
            actor=calendar_admin, day=NEW_YEAR_2027, kind="workday", name="调休上班"
        )

        assert second.pk == first.pk
        assert CalendarOverride.objects.get().kind == "workday"
        latest = events("calendar_override.set")[-1]
        assert latest.before is not None
        assert latest.after is not None
        assert (latest.before["kind"], latest.after["kind"]) == ("holiday", "workday")

    def test_entering_the_same_again_changes_and_audits_nothing(self, calendar_admin):
        holiday(calendar_admin, NEW_YEAR_2027, "元旦")
        holiday(calendar_admin, NEW_YEAR_2027, "元旦")
        assert len(events("calendar_override.set")) == 1

    def test_keeps_national_and_jurisdiction_entries_apart(self, calendar_admin):
        holiday(calendar_admin, NEW_YEAR_2027, "元旦")
        holiday(calendar_admin, NEW_YEAR_2027, "元旦", jurisdiction="shanghai")
        assert CalendarOverride.objects.count() == 2

    def test_refuses_an_actor_without_permission(self, clerk):
        with pytest.raises(ForbiddenError):
            holiday(clerk, NEW_YEAR_2027, "元旦")
        assert not CalendarOverride.objects.exists()
        assert not AuditEvent.objects.exists()

    @pytest.mark.parametrize(
        ("kind", "name", "jurisdiction"),
        [
            ("weekend", "元旦", ""),
            ("holiday", "  ", ""),
            ("holiday", "x" * 101, ""),
            ("holiday", "元旦", "Shanghai"),
            ("holiday", "元旦", "上海"),
        ],
    )
    def test_rejects_bad_input(self, calendar_admin, kind, name, jurisdiction):
        with pytest.raises(InvalidInputError):
            calendar_override_set(
                actor=calendar_admin,
                day=NEW_YEAR_2027,
                kind=kind,
                name=name,
                jurisdiction=jurisdiction,
            )
        assert not CalendarOverride.objects.exists()


class TestCalendarOverrideRemove:
    def test_deletes_the_entry_and_audits_what_it_was(self, calendar_admin):
        override = holiday(calendar_admin, NEW_YEAR_2027, "元旦", "shanghai")

        calendar_override_remove(
            actor=calendar_admin, day=NEW_YEAR_2027, jurisdiction="shanghai"
        )

        assert not CalendarOverride.objects.exists()
        [event] = events("calendar_override.remove")
        assert event.target_id == str(override.pk)
        assert event.before is not None
        assert event.before["name"] == "元旦"

    def test_leaves_other_jurisdictions_alone(self, calendar_admin):
        holiday(calendar_admin, NEW_YEAR_2027, "元旦")
        holiday(calendar_admin, NEW_YEAR_2027, "元旦", "shanghai")
        calendar_override_remove(actor=calendar_admin, day=NEW_YEAR_2027)
        assert CalendarOverride.objects.get().jurisdiction == "shanghai"

    def test_says_when_there_is_nothing_to_remove(self, calendar_admin):
        with pytest.raises(NotFoundError, match="no national calendar override"):
            calendar_override_remove(actor=calendar_admin, day=NEW_YEAR_2027)

    def test_refuses_an_actor_without_permission(self, calendar_admin, clerk):
        holiday(calendar_admin, NEW_YEAR_2027, "元旦")
        with pytest.raises(ForbiddenError):
            calendar_override_remove(actor=clerk, day=NEW_YEAR_2027)
        assert CalendarOverride.objects.exists()


class TestCalendarYearMarkComplete:
    def test_marks_a_year_complete_and_audits_it(self, calendar_admin):
        holiday(calendar_admin, NEW_YEAR_2027, "元旦")

        entry = calendar_year_mark_complete(actor=calendar_admin, year=2027)

        assert (entry.complete, entry.set_by) == (True, calendar_admin)
        [event] = events("calendar_year.mark_complete")
        assert event.after == {"year": 2027, "jurisdiction": "", "complete": True}

    def test_marking_again_changes_and_audits_nothing(self, calendar_admin):
        holiday(calendar_admin, NEW_YEAR_2027, "元旦")
        first = calendar_year_mark_complete(actor=calendar_admin, year=2027)
        again = calendar_year_mark_complete(actor=calendar_admin, year=2027)
        assert again.pk == first.pk
        assert len(events("calendar_year.mark_complete")) == 1

    def test_refuses_an_unknown_year_with_no_holidays_entered(self, calendar_admin):
        with pytest.raises(InvalidInputError, match="no holidays are entered for 2027"):
            calendar_year_mark_complete(actor=calendar_admin, year=2027)
        assert not CalendarYear.objects.exists()

    def test_a_jurisdiction_year_may_rest_on_national_holidays(self, calendar_admin):
        holiday(calendar_admin, NEW_YEAR_2027, "元旦")
        entry = calendar_year_mark_complete(
            actor=calendar_admin, year=2027, jurisdiction="shanghai"
        )
        assert entry.jurisdiction == "shanghai"

    def test_a_year_the_package_knows_needs_no_entries(self, calendar_admin):
        assert calendar_year_mark_complete(actor=calendar_admin, year=2026).complete

    def test_refuses_an_actor_without_permission(self, calendar_admin, clerk):
        holiday(calendar_admin, NEW_YEAR_2027, "元旦")
        with pytest.raises(ForbiddenError):
            calendar_year_mark_complete(actor=clerk, year=2027)
        assert not CalendarYear.objects.exists()

    def test_services_take_keyword_arguments_only(self, calendar_admin):
        with pytest.raises(TypeError):
            calendar_year_mark_complete(calendar_admin, 2027)  # type: ignore[call-arg]
