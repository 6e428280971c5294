"""Tasks through the API: the same rules as the inbox, conflicts as 409."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.models import User
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.credit.processes.conftest import World, open_task
from tests.webapp.api.conftest import ClientFor, error_of
from workflows.credit.filing import case_file
from workflows.credit.models import Case, CreditRecord


@pytest.fixture
def objection(world: World) -> Case:
    assert world.rep is not None
    assert world.record is not None
    return case_file(
        actor=world.rep,
        kind="objection",
        data={
            "record": world.record.pk,
            "grounds": "record_wrong",
            "reason": "金额错误",
        },
    )


def _url(case: Case, action: str = "") -> str:
    task = open_task(case.number, "formal_check")
    return f"/api/v1/tasks/{task.pk}/" + (f"{action}/" if action else "")


def test_the_queue_lists_my_groups_open_tasks_and_mine_what_i_claimed(
    world: World, objection: Case, client_for: ClientFor
) -> None:
    clerk = client_for(world["xyb_clerk"])
    queue = clerk.get("/api/v1/tasks/?tab=queue").json()
    assert [t["case_number"] for t in queue["results"]] == [objection.number]
    assert clerk.get("/api/v1/tasks/").json()["count"] == 0
    clerk.post(_url(objection, "claim"))
    mine = clerk.get("/api/v1/tasks/?tab=mine").json()["results"]
    assert [(t["element_id"], t["assignee"]) for t in mine] == [
        ("formal_check", "xyb_clerk")
    ]
    assert clerk.get("/api/v1/tasks/?tab=queue").json()["count"] == 0


def test_completing_a_task_someone_completed_first_answers_409(
    world: World, objection: Case, client_for: ClientFor
) -> None:
    clerk = client_for(world["xyb_clerk"])
    url = _url(objection)
    clerk.post(url + "claim/")
    first = clerk.post(
        url + "complete/", {"data": {"formal_check_result": "accept"}}, format="json"
    )
    assert first.status_code == 200
    again = clerk.post(
        url + "complete/", {"data": {"formal_check_result": "accept"}}, format="json"
    )
    assert again.status_code == 409
    body = error_of(again)
    assert body["code"] == "conflict"
    assert "already completed by xyb_clerk" in body["message"]


def test_form_errors_name_the_field_inside_data(
    world: World, objection: Case, client_for: ClientFor
) -> None:
    clerk = client_for(world["xyb_clerk"])
    url = _url(objection)
    clerk.post(url + "claim/")
    response = clerk.post(
        url + "complete/", {"data": {"formal_check_result": "maybe"}}, format="json"
    )
    assert response.status_code == 400
    body = error_of(response)
    assert body["code"] == "invalid"
    assert "data.formal_check_result" in body["fields"]


def test_a_task_of_another_department_is_not_found(
    world: World, objection: Case, client_for: ClientFor
) -> None:
    outsider = client_for(world["swj_reviewer"])
    assert outsider.get(_url(objection)).status_code == 404
    response = outsider.post(_url(objection, "claim"))
    assert response.status_code == 404
    assert error_of(response)["code"] == "not_found"
    subject = client_for(world.rep)  # type: ignore[arg-type]
    assert subject.get(_url(objection)).status_code == 404


def test_an_auditor_reads_tasks_but_every_write_is_refused_with_403(
    world: World, objection: Case, client_for: ClientFor, auditor: User
) -> None:
    reader = client_for(auditor)
    assert reader.get(_url(objection)).status_code == 200
    for action in ("claim", "complete", "unclaim"):
        response = reader.post(_url(objection, action), {"data": {}}, format="json")
        assert response.status_code == 403, action
        assert error_of(response)["code"] == "forbidden"
    assert open_task(objection.number, "formal_check").assignee_id is None


def test_delegate_resolve_and_unclaim_follow_the_services(
    world: World, objection: Case, client_for: ClientFor
) -> None:
    clerk, colleague = world["xyb_clerk"], world["xyb_reviewer"]
    url = _url(objection)
    client_for(clerk).post(url + "claim/")
    delegated = client_for(clerk).post(
        url + "delegate/", {"to_user": colleague.username}, format="json"
    )
    assert delegated.status_code == 200
    assert delegated.json()["assignee"] == colleague.username
    assert delegated.json()["owner"] == clerk.username
    resolved = client_for(colleague).post(
        url + "resolve/",
        {"data": {"formal_check_result": "accept"}},
        format="json",
    )
    assert resolved.status_code == 200
    assert resolved.json()["draft"] == {"formal_check_result": "accept"}
    assert resolved.json()["assignee"] == clerk.username
    back = client_for(clerk).post(url + "unclaim/")
    assert back.status_code == 200
    assert back.json()["status"] == "open"


def _another_objection(world: World, serial: int) -> Case:
    assert world.rep is not None
    assert world.record is not None
    record = CreditRecord.objects.get(pk=world.record.pk)
    record.pk = None
    record.decision_number = f"示市监罚〔2026〕{100 + serial}号"
    record.save()
    data = {"record": record.pk, "grounds": "record_wrong", "reason": "金额错误"}
    return case_file(actor=world.rep, kind="objection", data=data)


def _queries(client: Any, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_the_task_list_takes_as_many_queries_for_one_task_as_for_three(
    world: World, objection: Case, client_for: ClientFor, frozen: Any
) -> None:
    clerk = client_for(world["xyb_clerk"])
    url = "/api/v1/tasks/?tab=queue"
    clerk.get(url)  # the token's first use is recorded once
    one = _queries(clerk, url)
    _another_objection(world, 1)
    _another_objection(world, 2)
    assert clerk.get(url).json()["count"] == 3
    assert _queries(clerk, url) == one
