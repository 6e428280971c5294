"""The task form: built from each JSON Schema form, validated, drafted, completed."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest
from django.conf import settings
from django.contrib.auth.models import User
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.credit.processes.conftest import World, work
from tests.credit.processes.test_redlist_support import clean_subject, nominate
from tests.webapp.inbox.conftest import file_objection, new_record, signed_in
from tests.webapp.inbox.reach import REACH, VALID, actor_for
from workflows.credit.services.attachments import attachment_stage
from workflows.credit.services.departments import membership_grant
from workflows.models import HumanTask
from workflows.services.tasks import task_claim, task_complete

FORMS = settings.BPMN_DIR / "forms"


def url(task: HumanTask, name: str = "inbox:task") -> str:
    return reverse(name, args=[task.pk])


def fresh(task: HumanTask) -> HumanTask:
    return HumanTask.objects.get(pk=task.pk)


def formal_check(world: World) -> HumanTask:
    case = file_objection(world, new_record(world))
    return HumanTask.objects.get(case_number=case.number, element_id="formal_check")


def field_errors(html: str, name: str) -> list[str]:
    """The messages shown on one field (Django's error list beside it)."""
    block = re.search(
        rf'data-field="{re.escape(name)}">(.*?)</div>\s*'
        r'(?:<div class="field|</fieldset|<div class="actions)',
        html,
        re.S,
    )
    assert block, f"no field {name}"
    return re.findall(r"<li>(.*?)</li>", block.group(1))


def test_every_form_in_bpmn_forms_has_a_task_to_reach() -> None:
    assert set(REACH) == {path.stem for path in FORMS.glob("*.json")} == set(VALID)


@pytest.mark.parametrize("form_key", sorted(REACH))
def test_each_form_renders_every_field_and_a_valid_submission_completes_the_task(
    form_key: str, world: World, frozen: Any
) -> None:
    task = REACH[form_key](world, frozen)
    assert task.form_key == form_key
    client = signed_in(actor_for(world, task))
    page = client.get(url(task))
    assert page.status_code == 200
    html = page.content.decode()
    schema = json.loads((FORMS / f"{form_key}.json").read_text("utf-8"))
    for name, prop in schema["properties"].items():
        assert re.search(rf'data-(field|group|rows)="{name}"', html), name
        assert prop["title"] in html
    response = client.post(url(task), VALID[form_key])
    assert response.status_code == 302, response.content.decode()[-3000:]
    done = fresh(task)
    assert done.status == HumanTask.Status.COMPLETED
    assert done.completed_by == actor_for(world, task)


def test_form_input_becomes_typed_process_data(world: World, frozen: Any) -> None:
    task = REACH["objection_verify"](world, frozen)
    signed_in(world["scj_reviewer"]).post(url(task), VALID["objection_verify"])
    assert fresh(task).outcome == {
        "request_extension": False,
        "proposed_outcome": "correct",
        "findings": "核实后更正 corrected after checking",
        "corrected_content": {"amount": 500},
    }
    check = REACH["objection_formal_check"](world, frozen)
    signed_in(world["xyb_clerk"]).post(url(check), VALID["objection_formal_check"])
    assert fresh(check).outcome == {
        "formal_check_result": "supplement",
        "missing_materials": [
            "身份证明 Proof of identity",
            "营业执照 Business licence",
        ],
    }


def test_the_joint_punishment_rows_are_filled_with_the_departments_measures(
    world: World, frozen: Any
) -> None:
    task = REACH["joint_punishment_feedback"](world, frozen)
    html = signed_in(world["scj_officer"]).get(url(task)).content.decode()
    assert 'name="measures_feedback__0__measure" value="SCJ-01"' in html
    assert 'name="measures_feedback__1__measure" value="SCJ-02"' in html


def test_problems_are_shown_on_the_field_they_are_about(
    world: World, frozen: Any
) -> None:
    task = formal_check(world)
    client = signed_in(world["xyb_clerk"])
    response = client.post(url(task), {"formal_check_result": "not_accept"})
    assert response.status_code == 400
    html = response.content.decode()
    assert field_errors(html, "formal_check_reason") == ["必填 is required"]
    assert field_errors(html, "formal_check_result") == []
    assert 'href="#id_formal_check_reason"' in html  # the summary links to it
    assert 'aria-invalid="true"' in html
    assert fresh(task).is_open

    wrong = client.post(url(task), {"formal_check_result": "maybe"})
    assert field_errors(wrong.content.decode(), "formal_check_result") == [
        "Select a valid choice. maybe is not one of the available choices."
    ]
    blank = client.post(
        url(task),
        {"formal_check_result": "supplement", "missing_materials": "  \n "},
    )
    assert field_errors(blank.content.decode(), "missing_materials") == [
        "必填 is required"
    ]


def test_nested_and_row_fields_get_their_own_messages(
    world: World, frozen: Any
) -> None:
    task = REACH["approval_level"](world, frozen)
    client = signed_in(actor_for(world, task))
    refused = client.post(url(task), {"approval__approved": "false"})
    assert field_errors(refused.content.decode(), "approval__comment") == [
        "必填 is required"
    ]
    feedback = REACH["joint_punishment_feedback"](world, frozen)
    officer = signed_in(world["scj_officer"])
    rows = officer.post(
        url(feedback),
        {
            "measures_feedback__0__measure": "SCJ-01",
            "measures_feedback__0__applied": "true",
            "measures_feedback__1__measure": "",
            "measures_feedback__1__applied": "false",
            "measures_feedback__1__reason": "无",
        },
    )
    html = rows.content.decode()
    assert field_errors(html, "measures_feedback__1__measure") == ["必填 is required"]
    assert field_errors(html, "measures_feedback__0__measure") == []


def test_a_draft_is_kept_checked_and_filled_in_again(world: World, frozen: Any) -> None:
    task = formal_check(world)
    clerk = world["xyb_clerk"]
    client = signed_in(clerk)
    # Not claimed yet: no draft button.
    assert "Save draft" not in client.get(url(task)).content.decode()
    task_claim(actor=clerk, task_id=task.pk)
    saved = client.post(
        url(task, "inbox:draft"),
        {"formal_check_result": "not_accept", "formal_check_reason": "超过期限"},
    )
    assert saved.status_code == 302
    assert saved["Location"] == url(task)
    assert fresh(task).draft == {
        "formal_check_result": "not_accept",
        "formal_check_reason": "超过期限",
    }
    assert fresh(task).is_open
    html = client.get(url(task)).content.decode()
    assert re.search(r'value="not_accept"[^>]*checked', html)
    assert "超过期限</textarea>" in html
    assert "Your saved draft is filled in." in html

    # A draft may miss fields, but not hold wrong ones.
    wrong = client.post(url(task, "inbox:draft"), {"formal_check_reason": "x" * 2001})
    assert wrong.status_code == 400
    assert field_errors(wrong.content.decode(), "formal_check_reason")
    assert fresh(task).draft == {
        "formal_check_result": "not_accept",
        "formal_check_reason": "超过期限",
    }


def test_submitting_twice_says_the_task_is_already_done(
    world: World, frozen: Any
) -> None:
    task = formal_check(world)
    client = signed_in(world["xyb_clerk"])
    first = client.post(url(task), {"formal_check_result": "accept"})
    assert first.status_code == 302
    again = client.post(url(task), {"formal_check_result": "accept"})
    assert again.status_code == 409
    html = again.content.decode()
    assert "Already completed by xyb_clerk at 2026-06-01 09:00." in html
    assert "Back to the task list" in html


def test_a_colleague_finishing_first_is_explained_not_an_error_page(
    world: World, frozen: Any
) -> None:
    task = formal_check(world)
    rival = User.objects.create_user("xyb_clerk_2")
    membership_grant(
        actor=None, user=rival, department=world.departments["XYB"], role="clerk"
    )
    page = signed_in(world["xyb_clerk"]).get(url(task))
    assert page.status_code == 200
    task_complete(actor=rival, task_id=task.pk, data={"formal_check_result": "accept"})
    late = signed_in(world["xyb_clerk"]).post(
        url(task), {"formal_check_result": "accept"}
    )
    assert late.status_code == 409
    assert "Already completed by xyb_clerk_2" in late.content.decode()


def test_separation_of_duties_is_explained_and_completing_disabled(
    world: World, frozen: Any
) -> None:
    head = world["scj_head"]
    membership_grant(
        actor=None, user=head, department=world.departments["XYB"], role="clerk"
    )
    head = User.objects.get(pk=head.pk)
    case = nominate(world, clean_subject(world))
    task = HumanTask.objects.get(
        case_number=case.number, element_id="review_nomination"
    )
    client = signed_in(head)
    html = client.get(url(task)).content.decode()
    assert 'id="task-blocked"' in html
    assert "separation of duties" in html
    assert re.search(r'id="complete-task" disabled aria-disabled="true"', html)
    assert "Claim this task" not in html
    forced = client.post(url(task), {"review_approved": "true", "review_comment": "x"})
    assert forced.status_code == 403
    assert fresh(task).is_open


def test_the_case_is_summarised_beside_the_form(world: World, frozen: Any) -> None:
    task = formal_check(world)
    html = signed_in(world["xyb_clerk"]).get(url(task)).content.decode()
    summary = html[html.index('class="case-summary') :]
    assert task.case_number in summary
    assert "异议 Objection" in summary
    assert "91350100000000019E" in summary  # a company's code is shown in full
    assert "示罚〔2026〕" in summary  # the record objected to
    assert "formal_check" in summary  # the case's deadlines
    assert f'href="/cases/{task.case_number}/"' in summary


def test_a_completed_task_shows_its_answers_read_only(
    world: World, frozen: Any
) -> None:
    task = formal_check(world)
    work(
        world["xyb_clerk"],
        task.case_number,
        "formal_check",
        {"formal_check_result": "accept"},
    )
    html = signed_in(world["xyb_clerk"]).get(url(task)).content.decode()
    assert '<fieldset disabled class="form-done">' in html
    assert re.search(r'value="accept"[^>]*checked', html)
    assert "Complete task" not in html


def test_the_task_page_costs_the_same_queries_whatever_the_queue_holds(
    world: World, frozen: Any, django_assert_num_queries: Any
) -> None:
    first = formal_check(world)
    client = signed_in(world["xyb_clerk"])
    client.get(url(first))  # warm the parsed-model cache
    with CaptureQueriesContext(connection) as queries:
        client.get(url(first))
    assert len(queries) <= 20, "\n".join(q["sql"][:120] for q in queries)
    more = [formal_check(world) for _ in range(5)]
    with django_assert_num_queries(len(queries)):
        assert client.get(url(more[-1])).status_code == 200


def test_other_departments_get_not_found(world: World, frozen: Any) -> None:
    task = formal_check(world)
    assert signed_in(world["swj_reviewer"]).get(url(task)).status_code == 404


def test_files_uploaded_with_the_form_are_attached_to_the_case(
    world: World, frozen: Any
) -> None:
    task = formal_check(world)
    clerk = world["xyb_clerk"]
    staged = attachment_stage(
        actor=clerk,
        kind="evidence",
        name="核查记录.pdf",
        content=b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n",
        content_type="application/pdf",
    )
    client = signed_in(clerk)
    page = client.get(url(task)).content.decode()
    assert "data-upload-input" in page
    response = client.post(
        url(task),
        {"formal_check_result": "accept", "attachments": [str(staged.pk)]},
        follow=True,
    )
    said = [str(m) for m in response.context["messages"]]
    assert said == ["Task completed.", "1 file attached to the case."]
    staged.refresh_from_db()
    assert staged.case is not None
    assert staged.case.number == task.case_number
