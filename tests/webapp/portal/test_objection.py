"""Filing an objection through the portal: once, with evidence, errors by the field."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from tests.credit.processes.conftest import World
from tests.webapp.portal.conftest import stage
from workflows.credit.models import Attachment, Case
from workflows.models import HumanTask

pytestmark = pytest.mark.django_db


def _form(client: Client, record: int | None = None) -> dict[str, Any]:
    query = {"record": record} if record else {}
    response = client.get(reverse("portal:objection_new"), query)
    assert response.status_code == 200
    return dict(response.context["form"].initial)


def test_a_subject_files_an_objection_with_evidence_and_lands_on_the_case(
    rep_client: Client, world: World
) -> None:
    assert world.rep is not None
    assert world.record is not None
    initial = _form(rep_client, world.record.pk)
    assert initial["record"] == str(world.record.pk)
    evidence = stage(world.rep)
    response = rep_client.post(
        reverse("portal:objection_new"),
        {
            "token": initial["token"],
            "record": world.record.pk,
            "grounds": "record_wrong",
            "reason": "罚款金额登记错误，应为500元",
            "attachments": [evidence.pk],
        },
    )
    case = Case.objects.get(target_record=world.record)
    assert response.status_code == 302
    assert response["Location"] == reverse("portal:case_detail", args=[case.number])
    assert case.applicant == world.rep
    assert case.grounds == "record_wrong"
    assert Attachment.objects.get(pk=evidence.pk).case == case
    assert HumanTask.objects.open().get(case_number=case.number).element_id == (
        "formal_check"
    )
    page = rep_client.get(response["Location"]).content.decode()
    assert "已提交，案件编号为" in page
    assert "evidence.pdf" in page
    assert reverse("files:attachment", args=[evidence.pk]) in page


def test_missing_grounds_and_reason_are_shown_beside_their_fields(
    rep_client: Client, world: World
) -> None:
    assert world.rep is not None
    assert world.record is not None
    evidence = stage(world.rep)
    initial = _form(rep_client)
    response = rep_client.post(
        reverse("portal:objection_new"),
        {
            "token": initial["token"],
            "record": world.record.pk,
            "reason": "  ",
            "attachments": [evidence.pk],
        },
    )
    assert response.status_code == 200
    form = response.context["form"]
    assert set(form.errors) == {"grounds", "reason"}
    page = response.content.decode()
    # The upload made before the mistake is still on the form.
    assert f'name="attachments" value="{evidence.pk}"' in page
    assert "evidence.pdf" in page
    assert 'id="id_reason-errors"' in page
    assert 'id="id_grounds-errors"' in page
    assert not Case.objects.exists()


def test_someone_elses_upload_is_refused_beside_the_upload_field(
    rep_client: Client, world: World
) -> None:
    assert world.record is not None
    other = stage(world["scj_reviewer"])
    initial = _form(rep_client)
    response = rep_client.post(
        reverse("portal:objection_new"),
        {
            "token": initial["token"],
            "record": world.record.pk,
            "grounds": "record_wrong",
            "reason": "金额错误",
            "attachments": [other.pk],
        },
    )
    assert response.status_code == 200
    assert "attachments" in response.context["form"].errors
    assert not Case.objects.exists()
    # The token was released: the corrected form files.
    again = rep_client.post(
        reverse("portal:objection_new"),
        {
            "token": initial["token"],
            "record": world.record.pk,
            "grounds": "record_wrong",
            "reason": "金额错误",
        },
    )
    assert again.status_code == 302
    assert Case.objects.count() == 1


def test_submitting_the_same_form_twice_files_once_and_shows_the_case(
    rep_client: Client, world: World
) -> None:
    assert world.record is not None
    initial = _form(rep_client)
    data = {
        "token": initial["token"],
        "record": world.record.pk,
        "grounds": "record_wrong",
        "reason": "金额错误",
    }
    first = rep_client.post(reverse("portal:objection_new"), data)
    second = rep_client.post(reverse("portal:objection_new"), data, follow=True)
    case = Case.objects.get()
    assert first["Location"] == reverse("portal:case_detail", args=[case.number])
    assert second.redirect_chain[-1][0] == first["Location"]
    assert "已经提交过了，这是您的案件" in second.content.decode()


def test_a_form_without_a_token_from_this_session_is_not_filed(
    rep_client: Client, world: World
) -> None:
    assert world.record is not None
    response = rep_client.post(
        reverse("portal:objection_new"),
        {
            "token": "made-up",
            "record": world.record.pk,
            "grounds": "record_wrong",
            "reason": "金额错误",
        },
    )
    assert response.status_code == 200
    assert "表单已过期" in response.content.decode()
    assert response.context["form"]["token"].value() != "made-up"
    assert not Case.objects.exists()


def test_a_second_objection_to_the_same_record_is_refused_calmly(
    rep_client: Client, world: World
) -> None:
    assert world.record is not None
    for _ in range(2):
        initial = _form(rep_client)
        response = rep_client.post(
            reverse("portal:objection_new"),
            {
                "token": initial["token"],
                "record": world.record.pk,
                "grounds": "record_wrong",
                "reason": "金额错误",
            },
        )
    assert response.status_code == 200
    assert "already being handled" in response.content.decode()
    assert Case.objects.count() == 1


def test_another_subjects_record_cannot_be_chosen(
    rep_client: Client, world: World, stranger: Any
) -> None:
    initial = _form(rep_client)
    response = rep_client.post(
        reverse("portal:objection_new"),
        {
            "token": initial["token"],
            "record": stranger.record.pk,
            "grounds": "record_wrong",
            "reason": "金额错误",
        },
    )
    assert response.status_code == 200
    assert "record" in response.context["form"].errors
    assert Case.objects.filter(applicant__username="rep").count() == 0


def test_filing_forms_are_rate_limited_per_user(
    rep_client: Client, world: World
) -> None:
    """Thirty submits an hour; the next one is answered 429 with a retry time."""
    url = reverse("portal:objection_new")
    statuses = [rep_client.post(url, {}).status_code for _ in range(30)]
    assert set(statuses) == {200}
    refused = rep_client.post(url, {})
    assert refused.status_code == 429
    assert int(refused["Retry-After"]) == 3600
