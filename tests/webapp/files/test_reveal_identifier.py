"""Full ID numbers: masked by default; revealing one needs the permission and a
case the viewer may see, and every reveal is audited (without the number)."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.models import Group, User
from django.test import Client
from django.urls import reverse

from audit.models import AuditEvent
from tests.credit.factories import make_resident_id
from tests.credit.processes.conftest import World
from workflows.credit.filing import case_file
from workflows.credit.models import Case, CreditRecord, Subject


@pytest.fixture
def person_case(world: World) -> Case:
    """A natural person objects to a record about them; the office clerk handles it."""
    person = Subject.objects.create(
        kind=Subject.Kind.NATURAL_PERSON, name="张小明", code=make_resident_id(7)
    )
    account = User.objects.create_user("zhang_xm")
    account.groups.add(Group.objects.get(name="subject"))
    person.accounts.add(account)
    assert world.record is not None
    record = CreditRecord.objects.get(pk=world.record.pk)
    record.pk = None
    record.subject = person
    record.decision_number = "示市监罚〔2026〕2号"
    record.save()
    return case_file(
        actor=account,
        kind="objection",
        data={"record": record.pk, "grounds": "record_wrong", "reason": "不是我"},
    )


def _post(user: User, subject_id: int, **extra: Any) -> Any:
    client = Client()
    client.force_login(user)
    return client.post(reverse("files:reveal_identifier", args=[subject_id]), **extra)


def test_the_clerk_handling_the_case_sees_the_full_number_and_it_is_audited(
    world: World, person_case: Case
) -> None:
    clerk = world["xyb_clerk"]
    code = person_case.subject.code
    response = _post(clerk, person_case.subject_id, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    html = response.content.decode()
    assert code in html
    assert "<html" not in html
    (event,) = AuditEvent.objects.filter(action="subject.identifier_reveal")
    assert event.actor_label == "xyb_clerk"
    assert event.target_id == str(person_case.subject_id)
    assert code not in str(AuditEvent.objects.values().get(pk=event.pk))


def test_a_plain_post_gets_a_page(world: World, person_case: Case) -> None:
    response = _post(world["xyb_clerk"], person_case.subject_id)
    assert response.status_code == 200
    assert b"<html" in response.content


def test_staff_without_the_permission_get_not_found(
    world: World, person_case: Case
) -> None:
    officer = world["rsj_officer"]
    assert not officer.has_perm("credit.view_full_identifier")
    assert _post(officer, person_case.subject_id).status_code == 404
    assert not AuditEvent.objects.filter(action="subject.identifier_reveal").exists()


def test_the_permission_alone_does_not_open_subjects_of_other_cases(
    world: World, person_case: Case
) -> None:
    other_reviewer = world["swj_reviewer"]
    assert other_reviewer.has_perm("credit.view_full_identifier")
    assert _post(other_reviewer, person_case.subject_id).status_code == 404


def test_the_subject_themself_cannot_use_the_staff_reveal(
    world: World, person_case: Case
) -> None:
    account = User.objects.get(username="zhang_xm")
    assert _post(account, person_case.subject_id).status_code == 404


def test_revealing_needs_a_post(world: World, person_case: Case) -> None:
    client = Client()
    client.force_login(world["xyb_clerk"])
    url = reverse("files:reveal_identifier", args=[person_case.subject_id])
    assert client.get(url).status_code == 405


def test_pages_show_the_masked_number_by_default(person_case: Case) -> None:
    subject = person_case.subject
    assert subject.masked_code != subject.code
    assert subject.code not in str(subject)
