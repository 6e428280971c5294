"""My cases: a list in fixed queries, the case page, supplement and appeal."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from notifications.documents.services import document_render
from tests.credit.processes.conftest import World, work
from tests.webapp.portal.conftest import add_record, file_objection, stage
from workflows.credit.models import Attachment, Case, Document
from workflows.models import HumanTask

pytestmark = pytest.mark.django_db

# Session, user, savepoint + release, the paginator's count, the page's rows (with
# subject, record and next deadline in one query), the header's unread count and
# roles, and the session's save (SESSION_SAVE_EVERY_REQUEST).
CASE_LIST_QUERIES = 9
RECORD_LIST_QUERIES = 9


def _objections(world: World, count: int) -> list[Case]:
    assert world.rep is not None
    assert world.subject is not None
    records = [world.record] + [
        add_record(world, world.subject, n) for n in range(1, count)
    ]
    return [file_objection(world.rep, r) for r in records if r is not None]


@pytest.mark.parametrize("count", [1, 10])
def test_the_case_list_takes_the_same_queries_for_one_case_or_ten(
    rep_client: Client, world: World, django_assert_num_queries: Any, count: int
) -> None:
    cases = _objections(world, count)
    with django_assert_num_queries(CASE_LIST_QUERIES):
        response = rep_client.get(reverse("portal:cases"))
    assert response.status_code == 200
    page = response.content.decode()
    assert all(case.number in page for case in cases)
    assert "信用办形式审查" not in page  # the list names the due date only
    assert len(response.context["rows"]) == count


@pytest.mark.parametrize("count", [1, 10])
def test_the_record_list_takes_the_same_queries_for_one_record_or_ten(
    rep_client: Client, world: World, django_assert_num_queries: Any, count: int
) -> None:
    assert world.subject is not None
    for n in range(1, count):
        add_record(world, world.subject, n)
    with django_assert_num_queries(RECORD_LIST_QUERIES):
        response = rep_client.get(reverse("portal:records"))
    assert response.status_code == 200
    assert len(response.context["rows"]) == count


def test_the_case_list_pages_by_25(rep_client: Client, world: World) -> None:
    _objections(world, 26)
    first = rep_client.get(reverse("portal:cases"))
    assert len(first.context["rows"]) == 25
    assert "page=2" in first.content.decode()
    second = rep_client.get(reverse("portal:cases"), {"page": 2})
    assert len(second.context["rows"]) == 1


def _request_materials(world: World, case: Case) -> None:
    work(
        world["xyb_clerk"],
        case.number,
        "formal_check",
        {"formal_check_result": "supplement", "missing_materials": ["缴款凭证"]},
    )


def test_answering_a_supplement_request_moves_the_case_back_to_the_check(
    rep_client: Client, world: World
) -> None:
    assert world.rep is not None
    assert world.record is not None
    case = file_objection(world.rep, world.record)
    _request_materials(world, case)
    detail = rep_client.get(reverse("portal:case_detail", args=[case.number]))
    assert detail.context["can_supplement"]
    url = reverse("portal:case_supplement", args=[case.number])
    form = rep_client.get(url)
    assert form.status_code == 200
    assert "缴款凭证" in form.content.decode()  # what is missing
    receipt = stage(world.rep, "receipt.pdf")
    response = rep_client.post(
        url, {"note": "已补充缴款凭证", "attachments": [receipt.pk]}
    )
    assert response["Location"] == reverse("portal:case_detail", args=[case.number])
    assert Case.objects.get(pk=case.pk).status == Case.Status.SUBMITTED
    assert HumanTask.objects.open().get(case_number=case.number).element_id == (
        "formal_check"
    )
    # Sending the same materials again is answered calmly, not filed twice.
    again = rep_client.post(url, {"note": "已补充缴款凭证"}, follow=True)
    assert "本案件目前不需要补正材料" in again.content.decode()


def test_an_empty_supplement_is_refused_with_a_message(
    rep_client: Client, world: World
) -> None:
    assert world.rep is not None
    assert world.record is not None
    case = file_objection(world.rep, world.record)
    _request_materials(world, case)
    url = reverse("portal:case_supplement", args=[case.number])
    response = rep_client.post(url, {"note": ""})
    assert response.status_code == 200
    assert "请上传所缺材料或填写说明" in response.content.decode()
    assert Case.objects.get(pk=case.pk).status == Case.Status.SUPPLEMENT_REQUESTED


def _decide(world: World, case: Case) -> None:
    work(
        world["xyb_clerk"],
        case.number,
        "formal_check",
        {"formal_check_result": "accept"},
    )
    work(
        world["scj_reviewer"],
        case.number,
        "verify_by_source_department",
        {
            "proposed_outcome": "correct",
            "findings": "核实后更正",
            "corrected_content": {"amount": 500},
            "request_extension": False,
        },
    )
    work(
        world["scj_section_chief"],
        case.number,
        "review_by_section_chief",
        {"chief_approved": True, "chief_comment": ""},
    )


def test_a_decided_case_shows_the_decision_documents_and_offers_the_appeal(
    rep_client: Client, world: World
) -> None:
    assert world.rep is not None
    assert world.record is not None
    case = file_objection(world.rep, world.record)
    _decide(world, case)
    url = reverse("portal:case_detail", args=[case.number])
    before = rep_client.get(url)
    assert "正在生成" in before.content.decode()  # documents not rendered yet
    for document in Document.objects.filter(case=case):
        document_render(document_id=document.pk)
    after = rep_client.get(url)
    page = after.content.decode()
    decision = Document.objects.get(case=case, kind="objection_decision")
    assert reverse("files:document", args=[decision.pk]) in page
    assert "更正该记录" in page  # the outcome in words
    assert after.context["appeal_until"] is not None
    # No staff names on the subject's timeline: departments only.
    for username in ("xyb_clerk", "scj_reviewer", "scj_section_chief"):
        assert username not in page
    assert "市信用办" in page  # the issuing department of the notices


def test_a_subject_appeals_a_decision_once(rep_client: Client, world: World) -> None:
    assert world.rep is not None
    assert world.record is not None
    case = file_objection(world.rep, world.record)
    _decide(world, case)
    url = reverse("portal:case_appeal", args=[case.number])
    assert rep_client.get(url).status_code == 200
    response = rep_client.post(url, {"reason": "更正后的金额仍然有误"})
    appeal = Case.objects.get(appeal_of=case)
    assert response["Location"] == reverse("portal:case_detail", args=[appeal.number])
    appeal_page = rep_client.get(response["Location"])
    assert appeal_page.status_code == 200
    assert case.number in appeal_page.content.decode()  # the decision appealed
    again = rep_client.get(url, follow=True)
    assert "该决定目前不能申请复核" in again.content.decode()


def test_a_case_not_waiting_for_materials_sends_the_subject_back(
    rep_client: Client, world: World
) -> None:
    assert world.rep is not None
    assert world.record is not None
    case = file_objection(world.rep, world.record)
    response = rep_client.get(
        reverse("portal:case_supplement", args=[case.number]), follow=True
    )
    assert response.redirect_chain[-1][0] == reverse(
        "portal:case_detail", args=[case.number]
    )
    assert not Attachment.objects.exists()
