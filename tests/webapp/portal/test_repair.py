"""Requesting credit repair through the portal: pre-check first, commitment, proof."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tests.credit.processes.conftest import World
from tests.webapp.portal.conftest import add_record, stage
from workflows.credit.eligibility import repair_precheck
from workflows.credit.models import Attachment, Case, CreditCommitment

pytestmark = pytest.mark.django_db


def _open_form(client: Client, record: int) -> dict[str, object]:
    response = client.get(reverse("portal:repair_new"), {"record": record})
    assert response.status_code == 200
    assert "form" in response.context, "the pre-check should have passed"
    return dict(response.context["form"].initial)


def test_choosing_a_record_lists_my_repairable_records(
    rep_client: Client, world: World
) -> None:
    assert world.record is not None
    response = rep_client.get(reverse("portal:repair_new"))
    assert response.status_code == 200
    assert f"?record={world.record.pk}" in response.content.decode()


def test_a_record_too_young_to_repair_shows_why_and_from_when(
    rep_client: Client, world: World
) -> None:
    assert world.subject is not None
    young = add_record(
        world,
        world.subject,
        1,
        decision_date=timezone.localdate() - dt.timedelta(days=10),
        published_at=timezone.now() - dt.timedelta(days=9),
    )
    expected = repair_precheck(young)
    assert not expected.eligible
    assert expected.eligible_from is not None
    response = rep_client.get(reverse("portal:repair_new"), {"record": young.pk})
    assert response.status_code == 200
    page = response.content.decode()
    assert "暂不能申请信用修复" in page
    assert f"您可于 {expected.eligible_from.isoformat()} 起申请" in page
    assert "最短公示期" in page  # the reason, in the reader's language
    assert " / the minimum" not in page
    assert "form" not in response.context
    # Posting anyway changes nothing.
    rep_client.post(
        reverse("portal:repair_new"), {"record": young.pk, "reason": "已整改"}
    )
    assert not Case.objects.exists()


def test_a_subject_files_a_repair_with_commitment_and_proof(
    rep_client: Client, world: World
) -> None:
    assert world.rep is not None
    assert world.record is not None
    initial = _open_form(rep_client, world.record.pk)
    proof = stage(world.rep, "receipt.pdf", kind="proof")
    response = rep_client.post(
        reverse("portal:repair_new"),
        {
            "token": initial["token"],
            "record": world.record.pk,
            "reason": "罚款已缴清，年报已补报",
            "accept_commitment": "on",
            "attachments": [proof.pk],
        },
    )
    case = Case.objects.get(case_type=Case.Type.REPAIR)
    assert response["Location"] == reverse("portal:case_detail", args=[case.number])
    commitment = CreditCommitment.objects.get(case=case)
    assert world.record.decision_number in commitment.text
    assert "郑重承诺" in commitment.text
    assert Attachment.objects.get(pk=proof.pk).case == case


def test_the_commitment_must_be_accepted_where_the_policy_requires_it(
    rep_client: Client, world: World
) -> None:
    assert world.record is not None
    rules = repair_precheck(world.record).rules
    assert rules is not None
    assert rules.requires_commitment
    initial = _open_form(rep_client, world.record.pk)
    response = rep_client.post(
        reverse("portal:repair_new"),
        {"token": initial["token"], "record": world.record.pk, "reason": "已整改"},
    )
    assert response.status_code == 200
    assert list(response.context["form"].errors) == ["accept_commitment"]
    assert not Case.objects.exists()


def test_a_repeated_repair_submit_shows_the_case_filed_first(
    rep_client: Client, world: World
) -> None:
    assert world.record is not None
    initial = _open_form(rep_client, world.record.pk)
    data = {
        "token": initial["token"],
        "record": world.record.pk,
        "reason": "罚款已缴清",
        "accept_commitment": "on",
    }
    first = rep_client.post(reverse("portal:repair_new"), data)
    second = rep_client.post(reverse("portal:repair_new"), data, follow=True)
    assert Case.objects.count() == 1
    assert second.redirect_chain[-1][0] == first["Location"]
    assert "已经提交过了" in second.content.decode()
