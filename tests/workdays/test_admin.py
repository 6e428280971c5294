"""The admin pages write through the audited services."""

from __future__ import annotations

import datetime as dt

import pytest

from audit.models import AuditEvent
from tests.workdays.support import holiday
from workflows.workdays.models import CalendarOverride, CalendarYear

pytestmark = pytest.mark.django_db

OVERRIDES = "/admin/workdays/calendaroverride/"
YEARS = "/admin/workdays/calendaryear/"


def test_adding_an_override_in_the_admin_is_audited(admin_client, admin_user):
    response = admin_client.post(
        f"{OVERRIDES}add/",
        {"date": "2027-01-01", "jurisdiction": "", "kind": "holiday", "name": "元旦"},
    )

    assert response.status_code == 302
    override = CalendarOverride.objects.get()
    assert override.created_by == admin_user
    event = AuditEvent.objects.with_action("calendar_override.set").get()
    assert event.target_id == str(override.pk)


def test_changing_an_override_in_the_admin_keeps_its_day(admin_client, admin_user):
    override = holiday(admin_user, dt.date(2027, 1, 1), "元旦")

    admin_client.post(
        f"{OVERRIDES}{override.pk}/change/",
        {"date": "2027-02-02", "kind": "workday", "name": "调休上班"},
    )

    override.refresh_from_db()
    assert (override.date, override.kind) == (dt.date(2027, 1, 1), "workday")


def test_deleting_an_override_in_the_admin_is_audited(admin_client, admin_user):
    override = holiday(admin_user, dt.date(2027, 1, 1), "元旦")

    admin_client.post(f"{OVERRIDES}{override.pk}/delete/", {"post": "yes"})

    assert not CalendarOverride.objects.exists()
    assert AuditEvent.objects.with_action("calendar_override.remove").exists()


def test_the_admin_refuses_a_bad_jurisdiction_code(admin_client):
    response = admin_client.post(
        f"{OVERRIDES}add/",
        {
            "date": "2027-01-01",
            "jurisdiction": "上海",
            "kind": "holiday",
            "name": "元旦",
        },
    )
    assert response.status_code == 200
    assert not CalendarOverride.objects.exists()


def test_marking_a_year_complete_in_the_admin_needs_its_holidays(
    admin_client, admin_user
):
    refused = admin_client.post(f"{YEARS}add/", {"year": "2027", "jurisdiction": ""})
    assert "no holidays are entered for 2027 yet" in refused.content.decode()
    assert not CalendarYear.objects.exists()

    holiday(admin_user, dt.date(2027, 1, 1), "元旦")
    admin_client.post(f"{YEARS}add/", {"year": "2027", "jurisdiction": ""})

    assert CalendarYear.objects.get().set_by == admin_user
    assert AuditEvent.objects.with_action("calendar_year.mark_complete").exists()


def test_the_admin_lists_both_tables(admin_client, admin_user):
    holiday(admin_user, dt.date(2027, 1, 1), "元旦")
    assert admin_client.get(OVERRIDES).status_code == 200
    assert admin_client.get(YEARS).status_code == 200
