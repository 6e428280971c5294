"""Service-task operations of the objection process (bpmn/objection.bpmn)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from notifications.services import notify
from workflows.credit.deadlines import deadline_met, deadline_set, reminder_before
from workflows.credit.documents import issue_document
from workflows.credit.models import Case, CreditRecord, Document
from workflows.credit.operations.common import applicants, set_case_status
from workflows.credit.policies import (
    measures_suspended_during_objection,
    objection_time_limits,
)
from workflows.credit.process import case_of, credit_office_for
from workflows.credit.services.corrections import record_change
from workflows.errors import InvalidInputError
from workflows.operations import OperationContext, operation
from workflows.workdays.calendar import add_working_days

OUTCOMES = ("correct", "supplement", "stop_publication", "remove_from_list", "keep")
MARKED = (CreditRecord.Status.UNDER_OBJECTION, CreditRecord.Status.MEASURES_SUSPENDED)


def _limits(case: Case) -> Any:
    office = credit_office_for(case.jurisdiction)
    record = case.target_record
    own = record is not None and record.source_department_id == office.pk
    return objection_time_limits(case.jurisdiction, own_data=own)


def _tell(case: Case, kind: str, title: str, body: str = "") -> None:
    notify(
        recipients=applicants(case),
        kind=kind,
        title=f"{title}: {case.number}",
        body=body,
        case_number=case.number,
    )


@operation("objection_not_accept")
def objection_not_accept(context: OperationContext) -> dict[str, Any]:
    """Refuse the objection at the formal check, with the reason."""
    case = case_of(context)
    reason = str(context.task_data.get("formal_check_reason") or "")
    deadline_met(case, "formal_check")
    now = timezone.now()
    set_case_status(
        case,
        Case.Status.NOT_ACCEPTED,
        context,
        decided_at=now,
        closed_at=now,
        decision={"outcome": "not_accepted", "reason": reason},
    )
    office = credit_office_for(case.jurisdiction)
    issue_document(
        Document.Kind.NON_ACCEPTANCE,
        case,
        department=office,
        payload={"reason": reason},
    )
    _tell(case, "case.not_accepted", "不予受理 Not accepted", reason)
    return {"reason": reason}


def _mark(case: Case, context: OperationContext, suspend: bool) -> None:
    record = case.target_record
    if record is None:
        return
    status = MARKED[1] if suspend else MARKED[0]
    record_change(
        record,
        actor=context.actor,
        case=case,
        status=status,
        reason=f"异议标注 marked under objection by {case.number}",
    )


@operation("objection_accept")
def objection_accept(
    context: OperationContext, *, reminder_working_days: int | None = None
) -> dict[str, Any]:
    """Accept: mark the record, suspend measures if the policy says, set due dates."""
    case = case_of(context)
    limits = _limits(case)
    suspension = measures_suspended_during_objection(case.jurisdiction)
    deadline_met(case, "formal_check")
    _mark(case, context, suspension.value)
    verify = deadline_set(
        case,
        "verify",
        limits.forward_days + limits.verify_days,
        policy_ref=limits.reference,
    )
    case.policy_refs = sorted(
        {*case.policy_refs, limits.reference, suspension.reference}
    )
    set_case_status(case, Case.Status.UNDER_REVIEW, context)
    office = credit_office_for(case.jurisdiction)
    issue_document(
        Document.Kind.ACCEPTANCE,
        case,
        department=office,
        payload={"verify_due": verify.iso, "measures_suspended": suspension.value},
    )
    _tell(case, "case.accepted", "已受理 Accepted")
    return {
        "verify_due": verify.iso,
        "reminder_at": reminder_before(verify, reminder_working_days),
        "measures_suspended": suspension.value,
        "policy": limits.reference,
    }


@operation("objection_extend")
def objection_extend(
    context: OperationContext, *, reminder_working_days: int | None = None
) -> dict[str, Any]:
    """Extend the verification by the policy's extension, once approved by the head."""
    case = case_of(context)
    limits = _limits(case)
    current = dict(context.task_data.get("deadline") or {})
    if limits.extension_days <= 0:
        return {**current, "extended": False}
    pending = case.deadlines.filter(kind="verify", met_at__isnull=True).last()
    base = pending.due_at if pending else timezone.now()
    local = timezone.localtime(base).date()
    day = add_working_days(local, limits.extension_days, case.jurisdiction)
    due = dt.datetime.combine(
        day.day, dt.time(23, 59, 59), tzinfo=timezone.get_default_timezone()
    )
    deadline_met(case, "verify")
    extended = deadline_set(case, "verify", 0, policy_ref=limits.reference, start=due)
    extended.row.provisional = extended.row.provisional or day.provisional
    extended.row.save(update_fields=["provisional"])
    return {
        **current,
        "verify_due": extended.iso,
        "reminder_at": reminder_before(extended, reminder_working_days),
        "extended": True,
    }


def _apply(case: Case, outcome: str, context: OperationContext, findings: str) -> None:
    record = case.target_record
    if record is None:
        return
    data = context.task_data
    content = data.get("corrected_content") or {}
    if outcome in ("correct", "supplement"):
        record_change(
            record,
            actor=context.actor,
            case=case,
            content=content,
            status=CreditRecord.Status.CORRECTED,
            reason=findings,
        )
    elif outcome == "stop_publication":
        record_change(
            record,
            actor=context.actor,
            case=case,
            status=CreditRecord.Status.PUBLICATION_STOPPED,
            reason=findings,
        )
    elif outcome == "remove_from_list":
        from workflows.credit.services.list_exit import list_exit_start

        for entry in record.list_entries.filter(status="listed"):
            list_exit_start(actor=context.actor, entry=entry, reason="objection_upheld")
        # The exit changed the record (publication stopped): decide on fresh data.
        record.refresh_from_db()
    if record.status in MARKED:
        # The objection failed or changed nothing in the record: lift the mark.
        record_change(
            record,
            actor=context.actor,
            case=case,
            status=CreditRecord.Status.PUBLISHED,
            reason=f"异议办结，撤销标注 mark lifted by {case.number}",
        )


@operation("objection_decide")
def objection_decide(context: OperationContext) -> dict[str, Any]:
    """Decide, correct the record, lift the mark, issue the decision document."""
    case = case_of(context)
    outcome = str(context.task_data.get("proposed_outcome") or "")
    if outcome not in OUTCOMES:
        raise InvalidInputError(
            f"unknown objection outcome {outcome!r}", list(OUTCOMES)
        )
    findings = str(context.task_data.get("findings") or "")
    deadline_met(case, "verify")
    _apply(case, outcome, context, findings)
    limits = _limits(case)
    window = deadline_set(
        case, "appeal", limits.appeal_days, policy_ref=limits.reference
    )
    now = timezone.now()
    set_case_status(
        case,
        Case.Status.DECIDED,
        context,
        decided_at=now,
        decision={"outcome": outcome, "findings": findings, "appeal_until": window.iso},
    )
    office = credit_office_for(case.jurisdiction)
    issue_document(
        Document.Kind.OBJECTION_DECISION,
        case,
        department=office,
        payload={"outcome": outcome, "findings": findings, "appeal_until": window.iso},
    )
    _tell(case, "case.decided", "异议已处理 Objection decided", findings)
    return {"outcome": outcome, "appeal_until": window.iso}


@operation("objection_appeal_decide")
def objection_appeal_decide(context: OperationContext) -> dict[str, Any]:
    """Decide the appeal (复核): apply a new outcome if upheld, close both cases."""
    case = case_of(context)
    data = context.task_data
    appeal = Case.objects.select_for_update().get(appeal_of=case)
    upheld = bool(data.get("appeal_upheld"))
    findings = str(data.get("appeal_findings") or "")
    outcome = str(data.get("appeal_outcome") or "") if upheld else ""
    if upheld:
        if outcome not in OUTCOMES:
            raise InvalidInputError(
                f"unknown appeal outcome {outcome!r}", list(OUTCOMES)
            )
        _apply(case, outcome, context, findings)
    now = timezone.now()
    deadline_met(appeal, "appeal_review")
    decision = {"upheld": upheld, "outcome": outcome, "findings": findings}
    set_case_status(
        appeal,
        Case.Status.CLOSED,
        context,
        decided_at=now,
        closed_at=now,
        decision=decision,
    )
    set_case_status(
        case,
        Case.Status.CLOSED,
        context,
        closed_at=now,
        decision={**(case.decision or {}), "appeal": decision},
    )
    office = credit_office_for(case.jurisdiction)
    issue_document(
        Document.Kind.OBJECTION_DECISION, appeal, department=office, payload=decision
    )
    _tell(case, "case.appeal_decided", "复核已办结 Appeal decided", findings)
    return decision
