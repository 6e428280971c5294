"""The staff case search, the documents block's polling, the full-number button."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.models import Permission
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from notifications.documents.services import document_render
from tests.credit.processes.conftest import World
from tests.webapp.cases.conftest import role_user
from tests.webapp.cases.test_case_pages import accepted, client_for, objection
from workflows.credit.filing import case_submitted
from workflows.credit.models import Case, Document, Subject

pytestmark = pytest.mark.django_db


def _repairs(world: World, count: int) -> list[Case]:
    """Submitted repair cases on the world's record (numbered like real ones)."""
    return [
        case_submitted(
            "repair",
            subject=world.subject,
            target_record=world.record,
            regime="ndrc_2025_36",
            jurisdiction="national",
            applicant=world.rep,
        )
        for _ in range(count)
    ]


def _list(client: Client, **params: str) -> str:
    response = client.get(reverse("cases:list"), params)
    assert response.status_code == 200
    return response.content.decode()


def test_the_search_finds_cases_by_number_subject_type_status_and_department(
    world: World, frozen: Any
) -> None:
    first = objection(world)
    repair = _repairs(world, 1)[0]
    client = client_for(role_user("auditor", "auditor"))
    assert first.number in _list(client, q=first.number)
    assert repair.number not in _list(client, q=first.number)
    assert world.subject is not None
    by_name = _list(client, q=world.subject.name[:4])
    assert first.number in by_name
    assert repair.number in by_name
    by_code = _list(client, q=world.subject.code.lower())
    assert first.number in by_code
    only_repairs = _list(client, case_type="repair")
    assert repair.number in only_repairs
    assert first.number not in only_repairs
    assert first.number in _list(client, status="submitted")
    assert first.number in _list(client, department="SCJ")
    assert first.number not in _list(client, department="SWJ")
    assert "没有符合筛选条件的案件" in _list(client, department="SWJ")


def test_an_empty_list_says_what_to_do_next(world: World) -> None:
    html = _list(client_for(world["scj_reviewer"]))
    assert "暂无案件" in html


def test_the_case_list_is_paginated_with_a_fixed_number_of_queries(
    world: World, frozen: Any
) -> None:
    client = client_for(role_user("auditor", "auditor"))
    _repairs(world, 2)
    _list(client)
    with CaptureQueriesContext(connection) as few:
        _list(client)
    _repairs(world, 30)
    with CaptureQueriesContext(connection) as many:
        html = _list(client)
    assert len(many) == len(few)
    assert "第 1 页，共 2 页" in html
    assert 'rel="next"' in html
    assert html.count('href="/cases/XF-') == 25


def test_the_documents_block_polls_while_a_document_is_prepared_and_then_stops(
    world: World, frozen: Any
) -> None:
    case = accepted(world)
    client = client_for(world["scj_reviewer"])
    url = reverse("cases:documents", args=[case.number])
    pending = client.get(url, headers={"HX-Request": "true"}).content.decode()
    assert 'hx-trigger="every 5s"' in pending
    assert "正在生成" in pending  # being prepared
    document = Document.objects.get(case=case, kind="acceptance")
    document_render(document_id=document.pk)
    ready = client.get(url, headers={"HX-Request": "true"}).content.decode()
    assert "hx-trigger" not in ready
    assert reverse("files:document", args=[document.pk]) in ready


def test_the_full_number_button_shows_only_for_people_allowed_to_see_it(
    world: World, frozen: Any
) -> None:
    case = objection(world)
    person = Subject.objects.create(
        kind=Subject.Kind.NATURAL_PERSON, name="张三", code="11010519491231002X"
    )
    Case.objects.filter(pk=case.pk).update(subject=person)
    reveal = reverse("files:reveal_identifier", args=[person.pk])
    clerk = world["xyb_clerk"]  # clerks hold credit.view_full_identifier
    assert clerk.has_perm("credit.view_full_identifier")
    html = client_for(clerk).get(reverse("cases:detail", args=[case.number]))
    assert reveal in html.content.decode()
    assert "110105********002X" in html.content.decode()
    assert "11010519491231002X" not in html.content.decode()
    viewer = role_user("sysadmin", "system_admin")
    viewer.user_permissions.remove(
        *Permission.objects.filter(codename="view_full_identifier")
    )
    other = client_for(viewer).get(reverse("cases:detail", args=[case.number]))
    assert other.status_code == 200
    assert reveal not in other.content.decode()
