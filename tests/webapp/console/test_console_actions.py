"""The console's actions: retry, instance control, calendar, measures."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from audit.models import AuditEvent
from tests.credit.processes.conftest import World, work
from tests.webapp.cases.test_case_pages import objection
from tests.webapp.console.conftest import (
    add_measure,
    client_for,
    list_entry,
    role_user,
)
from workflows.credit.models import ListEntry, Measure
from workflows.errors import StepFailedError
from workflows.models import HumanTask, Incident, ProcessInstance
from workflows.workdays.models import CalendarOverride

pytestmark = pytest.mark.django_db


def _failing_acceptance(world: World) -> Incident:
    """Accepting an objection fails: the source department's group went missing."""
    case = objection(world)
    Group.objects.filter(name="SCJ.reviewer").update(name="SCJ.reviewer-gone")
    with pytest.raises(StepFailedError):
        work(
            world["xyb_clerk"],
            case.number,
            "formal_check",
            {"formal_check_result": "accept"},
        )
    return Incident.objects.get(status=Incident.Status.OPEN)


def test_retrying_an_incident_after_the_cause_is_fixed_resolves_it(
    world: World, frozen: Any
) -> None:
    incident = _failing_acceptance(world)
    client = client_for(role_user("procadmin", "process_admin"))
    listed = client.get(reverse("console:incidents")).content.decode()
    assert reverse("console:incident_retry", args=[incident.pk]) in listed
    retry = reverse("console:incident_retry", args=[incident.pk])
    failed = client.post(retry, follow=True).content.decode()
    assert "重试未成功" in failed  # still failing: the group is still missing
    Group.objects.filter(name="SCJ.reviewer-gone").update(name="SCJ.reviewer")
    done = client.post(retry, follow=True)
    assert done.status_code == 200
    incident.refresh_from_db()
    assert incident.status == Incident.Status.RESOLVED
    assert (
        HumanTask.objects.open()
        .filter(element_id="verify_by_source_department")
        .exists()
    )
    assert (
        "没有未处理的故障" in client.get(reverse("console:incidents")).content.decode()
    )


def test_an_auditor_cannot_retry(world: World, frozen: Any) -> None:
    incident = _failing_acceptance(world)
    client = client_for(role_user("auditor", "auditor"))
    page = client.get(reverse("console:incidents")).content.decode()
    assert reverse("console:incident_retry", args=[incident.pk]) not in page
    response = client.post(reverse("console:incident_retry", args=[incident.pk]))
    assert response.status_code == 403


def test_an_instance_is_suspended_resumed_and_terminated_with_a_reason(
    world: World, frozen: Any
) -> None:
    case = objection(world)
    case.refresh_from_db()
    instance_id = case.process_instance_id
    assert instance_id is not None
    client = client_for(role_user("procadmin", "process_admin"))
    page = reverse("console:instance", args=[instance_id])
    assert client.get(page).status_code == 200
    suspend = reverse("console:instance_action", args=[instance_id, "suspend"])
    assert client.get(suspend).status_code == 200  # asks for a reason first
    assert client.post(suspend, {"reason": ""}).status_code == 400
    client.post(suspend, {"reason": "数据核对 checking data"})
    assert ProcessInstance.objects.get(pk=instance_id).status == "suspended"
    client.post(
        reverse("console:instance_action", args=[instance_id, "resume"]),
        {"reason": "ok"},
    )
    assert ProcessInstance.objects.get(pk=instance_id).status == "running"
    terminate = reverse("console:instance_action", args=[instance_id, "terminate"])
    client.post(terminate, {"reason": "重复立案 duplicate"})
    assert ProcessInstance.objects.get(pk=instance_id).status == "terminated"
    assert not HumanTask.objects.open().filter(instance_id=instance_id).exists()
    again = client.post(terminate, {"reason": "again"}, follow=True)
    assert again.status_code == 200  # a conflict is a message, not an error page
    assert (
        client.get(
            reverse("console:instance_action", args=[instance_id, "explode"])
        ).status_code
        == 404
    )


def test_calendar_overrides_are_added_replaced_and_removed(world: World) -> None:
    admin = role_user("procadmin", "process_admin")
    client = client_for(admin)
    url = reverse("console:calendar")
    day = dt.date(2027, 10, 1)
    data = {
        "day": day.isoformat(),
        "kind": "holiday",
        "name": "国庆节",
        "jurisdiction": "",
    }
    assert client.post(url, data).status_code == 302
    override = CalendarOverride.objects.get(date=day)
    assert (override.kind, override.name) == ("holiday", "国庆节")
    client.post(url, {**data, "kind": "workday", "name": "补班测试"})
    assert CalendarOverride.objects.get(date=day).kind == "workday"
    bad = client.post(url, {**data, "jurisdiction": "Not A Code"})
    assert bad.status_code == 400
    listed = client.get(url, {"year": "2027"}).content.decode()
    assert "补班测试" in listed
    assert "补班测试" not in client.get(url, {"year": "2026"}).content.decode()
    remove = reverse("console:calendar_remove")
    client.post(remove, {"day": day.isoformat(), "jurisdiction": ""})
    assert not CalendarOverride.objects.filter(date=day).exists()
    assert (
        client.post(remove, {"day": day.isoformat(), "jurisdiction": ""}).status_code
        == 404
    )
    actions = AuditEvent.objects.filter(action__startswith="calendar_override.")
    assert list(actions.values_list("action", flat=True)) == [
        "calendar_override.set",
        "calendar_override.set",
        "calendar_override.remove",
    ]
    auditor = client_for(role_user("auditor", "auditor"))
    assert auditor.post(url, data).status_code == 403


def test_a_measure_is_added_and_edited_through_audited_services(world: World) -> None:
    admin = role_user("procadmin", "process_admin")
    client = client_for(admin)
    rsj = world.departments["RSJ"]
    form = {
        "code": "RSJ-02",
        "name": "限制担任职务",
        "kind": "mandatory",
        "implementing_department": str(rsj.pk),
        "list_types": ["serious_dishonesty", "key_attention"],
        "legal_basis": "国办发〔2020〕49号",
        "active": "on",
    }
    assert client.post(reverse("console:measure_add"), form).status_code == 302
    measure = Measure.objects.get(code="RSJ-02")
    assert measure.list_type_set == {"serious_dishonesty", "key_attention"}
    edit = reverse("console:measure_edit", args=[measure.pk])
    changed = {
        **form,
        "code": "IGNORED",
        "name": "限制担任法定代表人",
        "list_types": ["serious_dishonesty"],
    }
    changed.pop("active")
    assert client.post(edit, changed).status_code == 302
    measure.refresh_from_db()
    assert measure.code == "RSJ-02"  # the code never changes
    assert measure.name == "限制担任法定代表人"
    assert measure.list_types == ",serious_dishonesty,"
    assert measure.active is False
    event = AuditEvent.objects.filter(action="measure.update").get()
    assert event.before is not None
    assert event.after is not None
    assert event.before["name"] == "限制担任职务"
    assert event.after["active"] is False
    duplicate = client.post(reverse("console:measure_add"), form)
    assert duplicate.status_code == 400
    not_implementing = {
        **form,
        "code": "X-1",
        "implementing_department": str(world.departments["XYB"].pk),
    }
    assert (
        client.post(reverse("console:measure_add"), not_implementing).status_code == 400
    )


def _count(client: Any, url: str) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_list_pages_read_a_fixed_number_of_queries(world: World, frozen: Any) -> None:
    assert world.subject is not None
    admin = role_user("procadmin", "process_admin")
    auditor = client_for(role_user("auditor", "auditor"))
    client = client_for(admin)
    pages = (
        "console:definitions",
        "console:incidents",
        "console:calendar",
        "console:measures",
    )
    add_measure(world, admin, "M-0")
    CalendarOverride.objects.create(
        date=dt.date(2027, 1, 1), kind="holiday", name="元旦", created_by=admin
    )
    _failing_acceptance(world)
    list_entry(world)
    few = {name: _count(client, reverse(name)) for name in pages}
    few_lists = _count(auditor, reverse("console:lists"))
    for n in range(1, 6):
        add_measure(world, admin, f"M-{n}")
        CalendarOverride.objects.create(
            date=dt.date(2027, 1, 1 + n), kind="holiday", name="假", created_by=admin
        )
        ListEntry.objects.create(
            list_type="key_attention",
            subject=world.subject,
            deciding_department=world.departments["SCJ"],
            basis="b",
        )
    Group.objects.filter(name="SCJ.reviewer-gone").update(name="SCJ.reviewer")
    many = {name: _count(client, reverse(name)) for name in pages}
    assert many == few
    assert _count(auditor, reverse("console:lists")) == few_lists
