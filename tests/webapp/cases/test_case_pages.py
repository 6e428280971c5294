"""The staff case list and case page: who sees them, what they show, their queries."""

from __future__ import annotations

import json
import re
import uuid
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.credit.processes.conftest import World, work
from tests.webapp.cases.conftest import role_user
from workflows.credit.filing import case_file
from workflows.credit.models import Case, CaseDeadline, Document
from workflows.credit.services.attachments import attachment_add
from workflows.models import HumanTask

pytestmark = pytest.mark.django_db


def objection(world: World) -> Case:
    """File an objection against the world's record; it waits at the formal check."""
    assert world.rep is not None
    assert world.record is not None
    data = {"record": world.record.pk, "grounds": "record_wrong", "reason": "金额错误"}
    return case_file(actor=world.rep, kind="objection", data=data)


def accepted(world: World) -> Case:
    """An objection the credit office accepted: SCJ verifies it now."""
    case = objection(world)
    work(
        world["xyb_clerk"],
        case.number,
        "formal_check",
        {"formal_check_result": "accept"},
    )
    return Case.objects.get(pk=case.pk)


def client_for(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def detail_url(case: Case) -> str:
    return reverse("cases:detail", args=[case.number])


@pytest.mark.parametrize("username", ["xyb_clerk", "xyb_head", "auditor", "sysadmin"])
def test_staff_who_may_see_the_case_get_its_page(
    world: World, frozen: Any, username: str
) -> None:
    case = objection(world)
    if username == "auditor":
        user = role_user("auditor", "auditor")
    elif username == "sysadmin":
        user = role_user("sysadmin", "system_admin")
    else:
        user = world[username]
    response = client_for(user).get(detail_url(case))
    assert response.status_code == 200
    assert case.number in response.content.decode()


@pytest.mark.parametrize("username", ["scj_reviewer", "swj_reviewer", "procadmin"])
def test_staff_not_involved_yet_and_process_admins_get_not_found(
    world: World, frozen: Any, username: str
) -> None:
    case = objection(world)  # only the credit office has a task so far
    user = (
        role_user("procadmin", "process_admin")
        if username == "procadmin"
        else world[username]
    )
    assert client_for(user).get(detail_url(case)).status_code == 404
    assert (
        client_for(user)
        .get(reverse("cases:diagram_xml", args=[case.number]))
        .status_code
        == 404
    )


def test_the_subject_uses_the_portal_not_the_staff_page(
    world: World, frozen: Any
) -> None:
    case = objection(world)
    assert world.rep is not None
    client = client_for(world.rep)
    assert client.get(detail_url(case)).status_code == 404
    assert client.get(reverse("cases:list")).status_code == 404


def test_signed_out_visitors_are_sent_to_sign_in(world: World) -> None:
    response = Client().get(reverse("cases:list"))
    assert response.status_code == 302
    assert reverse("accounts:sign_in") in response["Location"]


def test_a_department_gets_the_case_once_it_has_a_task(
    world: World, frozen: Any
) -> None:
    case = accepted(world)
    client = client_for(world["scj_reviewer"])
    assert client.get(detail_url(case)).status_code == 200
    listed = client.get(reverse("cases:list")).content.decode()
    assert case.number in listed
    assert (
        client_for(world["swj_reviewer"]).get(reverse("cases:list")).status_code == 200
    )
    assert (
        case.number
        not in client_for(world["swj_reviewer"])
        .get(reverse("cases:list"))
        .content.decode()
    )


def _states_json(html: str) -> dict[str, str]:
    match = re.search(
        r'<script id="case-diagram-states" type="application/json">(.*?)</script>',
        html,
        re.DOTALL,
    )
    assert match is not None
    states: dict[str, str] = json.loads(match.group(1))
    return states


def test_the_page_carries_the_element_states_of_a_case_mid_process(
    world: World, frozen: Any
) -> None:
    case = accepted(world)
    html = client_for(world["scj_reviewer"]).get(detail_url(case)).content.decode()
    states = _states_json(html)
    assert states["formal_check"] == "completed"
    assert states["verify_by_source_department"] == "current"
    assert reverse("cases:diagram_xml", args=[case.number]) in html
    assert "data-bpmn-diagram" in html


def test_the_page_shows_tasks_deadlines_documents_and_the_timeline(
    world: World, frozen: Any
) -> None:
    case = accepted(world)
    html = client_for(world["scj_reviewer"]).get(detail_url(case)).content.decode()
    assert "SCJ.reviewer" in html  # the verification task's queue
    assert CaseDeadline.objects.filter(case=case).exists()
    for deadline in CaseDeadline.objects.filter(case=case):
        assert deadline.kind in html
    assert "case.file" in html or "process.start" in html  # the timeline
    assert Document.objects.filter(case=case, kind="acceptance").exists()
    assert 'hx-trigger="every 5s"' in html  # the acceptance notice is being prepared


def test_the_diagram_xml_is_served_to_those_who_see_the_case(
    world: World, frozen: Any
) -> None:
    case = accepted(world)
    response = client_for(world["scj_reviewer"]).get(
        reverse("cases:diagram_xml", args=[case.number])
    )
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/xml")
    assert b'<bpmn:process id="objection"' in response.content


def _queries(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_the_case_page_reads_a_fixed_number_of_queries(
    world: World, frozen: Any
) -> None:
    case = accepted(world)
    client = client_for(world["scj_reviewer"])
    url = detail_url(case)
    client.get(url)  # the first view of a model version reads its sources once
    baseline = _queries(client, url)
    assert baseline <= MAX_QUERIES_CASE_PAGE
    # More tasks (held by others), documents, attachments and deadlines: same count.
    task = HumanTask.objects.open().get(case_number=case.number)
    document = Document.objects.get(case=case)
    for n, holder in enumerate(("scj_reviewer", "scj_section_chief", "scj_head")):
        clone = HumanTask.objects.get(pk=task.pk)
        clone.pk, clone.spiff_task_id = uuid.uuid4(), uuid.uuid4()
        clone.assignee, clone.status = world[holder], HumanTask.Status.CLAIMED
        clone._state.adding = True
        clone.save()
        Document.objects.create(
            case=case,
            kind="supplement_request",
            issuing_department=document.issuing_department,
        )
        CaseDeadline.objects.create(
            case=case, kind=f"extra_{n}", due_at=document.created_at
        )
        attachment_add(
            actor=None,
            case=case,
            kind="evidence",
            name=f"evidence-{n}.pdf",
            content=b"%PDF-1.4\n%evidence\n",
            content_type="application/pdf",
        )
    html = client.get(url).content.decode()
    assert "scj_section_chief" in html
    assert "evidence-2.pdf" in html
    assert _queries(client, url) == baseline


# Session, user, groups, the case twice (permission, then its relations), timeline,
# tasks, deadlines, documents, attachments, the instance and its three state tables,
# the header's counts and the deadline calendar, and saving the session.
MAX_QUERIES_CASE_PAGE = 20
