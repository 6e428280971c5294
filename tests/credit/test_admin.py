"""The admin shows every credit model read-only, with ID numbers masked."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.credit.factories import CaseFactory, CreditRecordFactory, SubjectFactory
from workflows.credit.models import Subject

pytestmark = pytest.mark.django_db

MODELS = [
    "department",
    "membership",
    "subject",
    "creditcommitment",
    "creditrecord",
    "recordcorrection",
    "listentry",
    "measure",
    "measureapplication",
    "case",
    "attachment",
    "document",
    "numbersequence",
]
PERSON_ID = "11010519491231002X"


@pytest.fixture
def person() -> Subject:
    return SubjectFactory.create(
        kind=Subject.Kind.NATURAL_PERSON,
        name="李四",
        code=PERSON_ID,
        legal_representative="",
    )


@pytest.mark.parametrize("model", MODELS)
def test_every_list_page_renders_without_an_add_button(admin_client, person, model):
    CreditRecordFactory.create(subject=person)
    CaseFactory.create(subject=person)
    response = admin_client.get(reverse(f"admin:credit_{model}_changelist"))
    assert response.status_code == 200
    assert PERSON_ID.encode() not in response.content
    assert reverse(f"admin:credit_{model}_add").encode() not in response.content


def test_the_subject_page_shows_the_masked_id_number_only(admin_client, person):
    response = admin_client.get(
        reverse("admin:credit_subject_change", args=[person.pk])
    )
    assert response.status_code == 200
    assert b"110105********002X" in response.content
    assert PERSON_ID.encode() not in response.content


def test_the_case_page_lists_deadlines_read_only(admin_client, person):
    case = CaseFactory.create(subject=person)
    response = admin_client.get(reverse("admin:credit_case_change", args=[case.pk]))
    assert response.status_code == 200
    assert PERSON_ID.encode() not in response.content
