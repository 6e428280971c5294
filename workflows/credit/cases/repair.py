"""Filing a credit repair request, and revoking a repair obtained by fraud."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone

from audit.services import record
from notifications.services import notify
from workflows.credit.cases.common import record_for_party
from workflows.credit.deadlines import deadline_set
from workflows.credit.eligibility import repair_precheck
from workflows.credit.filing import action, case_submitted, filer
from workflows.credit.models import (
    Case,
    CreditCommitment,
    CreditRecord,
    Membership,
)
from workflows.credit.operations.common import applicants
from workflows.credit.process import case_process_start
from workflows.credit.services.attachments import attachment_attach_staged
from workflows.credit.services.corrections import record_change
from workflows.errors import (
    ConflictError,
    ForbiddenError,
    InvalidInputError,
)

REVOKE_PERMISSION = "credit.change_creditrecord"
REVOKING_ROLES = (Membership.Role.SECTION_CHIEF, Membership.Role.HEAD)


def _text(data: Mapping[str, Any], key: str, problem: str) -> str:
    value = str(data.get(key) or "").strip()
    if not value:
        raise InvalidInputError(problem, [key])
    return value[:5000]


@filer("repair")
@transaction.atomic
def repair_file(*, actor: User, data: Mapping[str, Any]) -> Case:
    """File a repair request if the pre-check passes, and start its process."""
    target, channel = record_for_party(
        actor,
        data,
        CreditRecord.objects.dishonesty().select_for_update(of=("self",)),
        prompt="name the record to repair",
        missing="no such credit record",
    )
    eligibility = repair_precheck(target)
    if not eligibility.eligible or eligibility.rules is None:
        raise eligibility.refusal()
    rules = eligibility.rules
    reason = _text(data, "reason", "say how the behaviour was corrected")
    commitment = str(data.get("commitment") or "").strip()
    if rules.requires_commitment and not commitment:
        raise InvalidInputError(
            "请签署信用承诺书 / a signed credit commitment is required",
            ["commitment"],
        )
    now = timezone.now()
    case = case_submitted(
        Case.Type.REPAIR,
        applicant=actor,
        subject=target.subject,
        target_record=target,
        channel=channel,
        regime=target.regime,
        jurisdiction=target.jurisdiction,
        reason=reason,
        policy_refs=sorted(set(eligibility.policy_refs)),
    )
    # Files the party uploaded ahead of filing join the case in this transaction.
    attachments = attachment_attach_staged(
        actor=actor, case=case, ids=data.get("attachments") or []
    )
    if commitment:
        CreditCommitment.objects.create(
            subject=target.subject,
            case=case,
            text=commitment[:5000],
            signed_by=actor,
            signed_at=now,
        )
    acceptance = deadline_set(
        case, "acceptance", rules.acceptance_days, policy_ref=rules.reference
    )
    record(
        action="case.file",
        actor=actor,
        target=case,
        case_number=case.number,
        department_code=target.source_department.code,
        after={
            "type": case.case_type,
            "record": target.pk,
            "channel": channel,
            "commitment": bool(commitment),
            "attachments": attachments,
            "policy_refs": case.policy_refs,
        },
    )
    case_process_start(
        case,
        "repair",
        actor=actor,
        data={
            "source_department": target.source_department.code,
            "record_id": target.pk,
            "attachments": attachments,
            "acceptance_due": acceptance.iso,
        },
    )
    notify(
        recipients=[actor],
        kind="case.received",
        title=f"修复申请已收到 Repair request received: {case.number}",
        case_number=case.number,
    )
    return case


def _require_may_revoke(actor: User, credit_record: CreditRecord) -> None:
    if actor.has_perm(REVOKE_PERMISSION):
        return
    mine = Membership.objects.filter(
        user=actor,
        department_id=credit_record.source_department_id,
        role__in=REVOKING_ROLES,
    )
    if not mine.exists():
        raise ForbiddenError("only the identifying department's chiefs may revoke")


@action("repair_revoke")
@transaction.atomic
def repair_revoke(*, actor: User, case: Case, data: Mapping[str, Any]) -> Case:
    """Revoke a repair obtained by fraud: restore the record's publication."""
    case = Case.objects.select_for_update().get(pk=case.pk)
    decision = dict(case.decision or {})
    target = case.target_record
    if case.case_type != Case.Type.REPAIR or target is None:
        raise ConflictError(f"case {case.number} is not a repair")
    _require_may_revoke(actor, target)
    if decision.get("outcome") != "approved" or decision.get("revoked"):
        raise ConflictError(f"case {case.number} has no granted repair to revoke")
    reason = _text(data, "reason", "say what was found to be false")
    target = CreditRecord.objects.select_for_update().get(pk=target.pk)
    stopped = (
        case.record_corrections.filter(
            record=target, after__status=CreditRecord.Status.PUBLICATION_STOPPED
        )
        .order_by("-changed_at", "-id")
        .first()
    )
    if stopped is None or target.status != CreditRecord.Status.PUBLICATION_STOPPED:
        raise ConflictError("the record is no longer as this repair left it")
    before = {"status": target.status, "repair_count": target.repair_count}
    record_change(
        target,
        actor=actor,
        case=case,
        status=str(stopped.before["status"]),
        reason=f"撤销信用修复 repair {case.number} revoked: {reason}",
    )
    target.repair_count = max(0, target.repair_count - 1)
    target.save(update_fields=["repair_count", "updated_at"])
    broken = case.commitments.update(status=CreditCommitment.Status.BROKEN)
    now = timezone.now()
    decision["revoked"] = {
        "at": now.isoformat(),
        "by": actor.get_username(),
        "reason": reason,
        "restored_from_correction": stopped.pk,
    }
    case.decision = decision
    case.save(update_fields=["decision", "updated_at"])
    record(
        action="repair.revoke",
        actor=actor,
        target=case,
        case_number=case.number,
        before=before,
        after={"status": target.status, "repair_count": target.repair_count},
        detail={"reason": reason[:500], "commitments_broken": broken},
    )
    notify(
        recipients=applicants(case),
        kind="repair.revoked",
        title=f"信用修复已撤销 Repair revoked: {case.number}",
        body=reason,
        case_number=case.number,
    )
    return case
