"""Filing an objection to a credit record, and appealing its decision (复核)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone

from audit.services import record
from notifications.services import notify
from workflows.credit.cases.common import record_for_party, require_party
from workflows.credit.deadlines import deadline_set
from workflows.credit.filing import action, case_submitted, filer
from workflows.credit.models import Case, CreditRecord
from workflows.credit.policies import objection_time_limits
from workflows.credit.process import case_process_start, credit_office_for
from workflows.credit.services.attachments import attachment_attach_staged
from workflows.errors import (
    ConflictError,
    ForbiddenError,
    InvalidInputError,
)
from workflows.services.messages import message_deliver


def _grounds(data: Mapping[str, Any]) -> tuple[str, str]:
    grounds = str(data.get("grounds") or "")
    valid = [g for g in Case.Grounds.values if g]
    if grounds not in valid:
        raise InvalidInputError("choose the grounds of the objection", valid)
    reason = str(data.get("reason") or "").strip()
    if not reason:
        raise InvalidInputError("say what is wrong with the record", ["reason"])
    return grounds, reason[:5000]


@filer("objection")
@transaction.atomic
def objection_file(*, actor: User, data: Mapping[str, Any]) -> Case:
    """File an objection to a published record and start its process."""
    target, channel = record_for_party(
        actor,
        data,
        CreditRecord.objects.visible(),
        prompt="name the record objected to",
        missing="no such published record",
    )
    grounds, reason = _grounds(data)
    if Case.objects.open_objections_on(target).exists():
        raise ConflictError("an objection to this record is already being handled")
    case = case_submitted(
        Case.Type.OBJECTION,
        applicant=actor,
        subject=target.subject,
        target_record=target,
        channel=channel,
        regime=target.regime,
        jurisdiction=target.jurisdiction,
        grounds=grounds,
        reason=reason,
    )
    # Evidence the party uploaded ahead of filing joins the case in this transaction.
    attachments = attachment_attach_staged(
        actor=actor, case=case, ids=data.get("attachments") or []
    )
    office = credit_office_for(case.jurisdiction)
    own_data = target.source_department_id == office.pk
    limits = objection_time_limits(case.jurisdiction, own_data=own_data)
    formal = deadline_set(
        case, "formal_check", limits.formal_check_days, policy_ref=limits.reference
    )
    case.policy_refs = [limits.reference]
    case.save(update_fields=["policy_refs", "updated_at"])
    record(
        action="case.file",
        actor=actor,
        target=case,
        case_number=case.number,
        department_code=target.source_department.code,
        after={
            "type": case.case_type,
            "record": target.pk,
            "grounds": grounds,
            "channel": channel,
            "attachments": attachments,
        },
    )
    case_process_start(
        case,
        "objection",
        actor=actor,
        data={
            "credit_office": office.code,
            "source_department": target.source_department.code,
            "record_id": target.pk,
            "own_data": own_data,
            "formal_check_due": formal.iso,
        },
    )
    notify(
        recipients=[actor],
        kind="case.received",
        title=f"异议已收到 Objection received: {case.number}",
        case_number=case.number,
    )
    return case


@action("appeal")
@transaction.atomic
def objection_appeal(*, actor: User, case: Case, data: Mapping[str, Any]) -> Case:
    """Appeal a decided objection once (复核), within the policy's window."""
    require_party(actor, case)
    case = Case.objects.select_for_update().get(pk=case.pk)
    if case.case_type != Case.Type.OBJECTION or case.status != Case.Status.DECIDED:
        raise ConflictError(f"case {case.number} has no decision open to appeal")
    window = case.deadlines.filter(kind="appeal", met_at__isnull=True).first()
    if window is None or window.due_at < timezone.now():
        raise ConflictError("the appeal window has closed")
    if Case.objects.filter(appeal_of=case).exists():
        raise ForbiddenError("a decision can be appealed only once")
    reason = str(data.get("reason") or "").strip()
    if not reason:
        raise InvalidInputError("give the grounds of the appeal", ["reason"])
    now = timezone.now()
    appeal = case_submitted(
        Case.Type.APPEAL,
        applicant=actor,
        subject=case.subject,
        target_record=case.target_record,
        appeal_of=case,
        channel=case.channel,
        regime=case.regime,
        jurisdiction=case.jurisdiction,
        grounds=case.grounds,
        reason=reason[:5000],
    )
    limits = objection_time_limits(case.jurisdiction, own_data=False)
    review = deadline_set(
        appeal, "appeal_review", limits.decide_days, policy_ref=limits.reference
    )
    window.met_at = now
    window.save(update_fields=["met_at"])
    record(
        action="case.appeal",
        actor=actor,
        target=appeal,
        case_number=case.number,
        after={"appeal": appeal.number, "reason": reason[:500]},
    )
    message_deliver(
        actor=None,
        system="credit",
        name="appeal_filed",
        business_key=case.number,
        payload={
            "appeal_case": appeal.number,
            "review_due": review.iso,
            "reason": reason[:2000],
        },
    )
    return appeal
