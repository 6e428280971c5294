"""Operations of bpmn/list_entry.bpmn: notice, listing, publication and expiry."""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from notifications.services import notify
from workflows.credit.deadlines import deadline_met, deadline_set
from workflows.credit.documents import issue_document
from workflows.credit.models import Case, CreditRecord, Document, ListEntry
from workflows.credit.operations.common import set_case_status
from workflows.credit.operations.lists import (
    REMEDIES,
    STATEMENT_DEADLINE,
    add_months,
    entry_of,
    entry_update,
    subject_people,
    validity_end,
)
from workflows.credit.policies import list_validity, statement_defence_days
from workflows.credit.process import case_of
from workflows.credit.services.list_exit import list_exit_open
from workflows.credit.services.measures import catalogue_measures
from workflows.credit.services.records import credit_record_publish
from workflows.operations import OperationContext, operation

# The grade a listing is published with, on either grading scale.
LISTING_GRADES = {
    ListEntry.ListType.SERIOUS_DISHONESTY: CreditRecord.Grade.SERIOUS,
    ListEntry.ListType.KEY_ATTENTION: CreditRecord.Grade.GENERAL,
}


@operation("list_entry_notify_subject")
def list_entry_notify_subject(context: OperationContext) -> dict[str, Any]:
    """Serve the prior notice (事先告知) and open the statement-and-defence window."""
    case = case_of(context)
    entry = entry_of(case)
    window = statement_defence_days(case.jurisdiction, entry.list_type)
    deadline = deadline_set(
        case, STATEMENT_DEADLINE, window.value, policy_ref=window.reference
    )
    document = issue_document(
        Document.Kind.PRIOR_NOTICE,
        case,
        department=entry.deciding_department,
        payload={
            "list_type": entry.list_type,
            "basis": entry.basis,
            "evidence": list(context.task_data.get("evidence") or []),
            "statement_due": deadline.iso,
            "rights": "陈述、申辩 statement and defence before the decision",
        },
    )
    entry_update(context, case, entry, ListEntry.Status.NOTICED)
    set_case_status(
        case,
        Case.Status.UNDER_REVIEW,
        context,
        policy_refs=[*case.policy_refs, window.reference],
    )
    notify(
        recipients=subject_people(case.subject),
        kind="list_entry.prior_notice",
        title=f"拟列入名单事先告知 Prior notice of listing: {case.number}",
        body=f"陈述申辩截止 Statement and defence until {deadline.iso}",
        case_number=case.number,
    )
    return {
        "statement_due": deadline.iso,
        "provisional": deadline.row.provisional,
        "document": document.number,
    }


@operation("list_entry_drop")
def list_entry_drop(context: OperationContext, *, reason: str) -> dict[str, Any]:
    """End a proposal without listing: the statement was upheld or approval refused."""
    case = case_of(context)
    entry = entry_of(case)
    data = context.task_data
    now = timezone.now()
    deadline_met(case, STATEMENT_DEADLINE)
    entry_update(context, case, entry, ListEntry.Status.REVOKED)
    decision = {
        "outcome": "not_listed",
        "reason": reason,
        "findings": str(data.get("statement_findings") or "")[:2000],
        "approvals": data.get("approvals") or [],
        "votes": data.get("countersign_votes") or [],
    }
    set_case_status(
        case,
        Case.Status.REJECTED,
        context,
        decided_at=now,
        closed_at=now,
        decision=decision,
    )
    notify(
        recipients=[*subject_people(case.subject), case.applicant],
        kind="list_entry.not_listed",
        title=f"不予列入名单 Not listed: {case.number}",
        case_number=case.number,
    )
    return {"outcome": "not_listed", "reason": reason}


def _measures(list_type: str) -> list[dict[str, str]]:
    return [
        {
            "code": m.code,
            "name": m.name,
            "kind": m.kind,
            "department": m.implementing_department.code,
        }
        for m in catalogue_measures(list_type)
    ]


@operation("list_entry_list")
def list_entry_list(context: OperationContext) -> dict[str, Any]:
    """List the subject with its validity and issue the signed decision (两书同达)."""
    case = case_of(context)
    entry = entry_of(case)
    validity = list_validity(entry.list_type, case.jurisdiction)
    valid_from = timezone.localdate()
    valid_to, expires_at = validity_end(valid_from, validity.validity_months)
    earliest_repair = add_months(valid_from, validity.min_months_before_repair)
    text = context.task_data.get("listing_decision") or {}
    signer = context.actor.get_username() if context.actor else ""
    document = issue_document(
        Document.Kind.LISTING_DECISION,
        case,
        department=entry.deciding_department,
        payload={
            "list_type": entry.list_type,
            "basis": entry.basis,
            "reasons": str(text.get("reasons") or entry.basis)[:5000],
            "measures": _measures(entry.list_type),
            "removal_conditions": str(text.get("removal_conditions") or "")[:2000],
            "valid_from": valid_from.isoformat(),
            "valid_to": valid_to.isoformat(),
            "remedies": REMEDIES,
            "signed_by": signer,
        },
    )
    repair_notice = issue_document(
        Document.Kind.REPAIR_NOTICE,
        case,
        department=entry.deciding_department,
        payload={"listing": document.number, "earliest": earliest_repair.isoformat()},
    )
    deadline_met(case, STATEMENT_DEADLINE)  # decided: the window is over either way
    entry_update(
        context,
        case,
        entry,
        ListEntry.Status.LISTED,
        valid_from=valid_from,
        valid_to=valid_to,
        decision_number=document.number,
    )
    set_case_status(
        case,
        Case.Status.DECIDED,
        context,
        decided_at=timezone.now(),
        decision={
            "outcome": "listed",
            "decision_number": document.number,
            "repair_notice": repair_notice.number,
            "valid_from": valid_from,
            "valid_to": valid_to,
            "signed_by": signer,
            "approvals": context.task_data.get("approvals") or [],
            "votes": context.task_data.get("countersign_votes") or [],
        },
        policy_refs=[*case.policy_refs, validity.reference],
    )
    return {
        "valid_from": valid_from.isoformat(),
        "valid_to": valid_to.isoformat(),
        "expires_at": expires_at.isoformat(),
        "earliest_repair": earliest_repair.isoformat(),
        "decision_number": document.number,
    }


@operation("list_entry_publish")
def list_entry_publish(context: OperationContext) -> dict[str, Any]:
    """Publish the listing as the subject's list-entry record and tell who must know."""
    case = case_of(context)
    entry = entry_of(case)
    basis = entry.record
    published = credit_record_publish(
        actor=None,
        subject=entry.subject,
        source_department=entry.deciding_department,
        category=CreditRecord.Category.LIST_ENTRY,
        grade=LISTING_GRADES[ListEntry.ListType(entry.list_type)],
        scale=basis.scale if basis else CreditRecord.Scale.NATIONAL_2025,
        regime=case.regime,
        jurisdiction=case.jurisdiction,
        decision_number=entry.decision_number,
        decision_date=entry.valid_from or timezone.localdate(),
        content={
            "list_type": entry.list_type,
            "list_entry": entry.pk,
            "basis": entry.basis,
            "basis_record": basis.pk if basis else None,
            "valid_from": entry.valid_from,
            "valid_to": entry.valid_to,
        },
    )
    # From now on the listing's own record is what objections and repairs act on.
    entry_update(context, case, entry, entry.status, record_id=published.pk)
    now = timezone.now()
    case.decision = {
        **(case.decision or {}),
        "published_at": now,
        "record": published.pk,
    }
    case.save(update_fields=["decision", "updated_at"])
    notify(
        recipients=subject_people(case.subject),
        kind="list_entry.listed",
        title=f"列入名单决定 Listing decision {entry.decision_number}",
        body=f"有效期 Valid {entry.valid_from} ~ {entry.valid_to}",
        case_number=case.number,
    )
    return {"published_at": now.isoformat(), "record": published.pk}


@operation("list_entry_expire")
def list_entry_expire(context: OperationContext) -> dict[str, Any]:
    """Start the exit of an entry whose validity ended (unless it already left)."""
    case = case_of(context)
    entry = entry_of(case)
    if entry.status != ListEntry.Status.LISTED:
        return {"exit_case": "", "status": entry.status}
    exit_case = list_exit_open(
        actor=None,
        entry=entry,
        reason=ListEntry.ExitReason.EXPIRY,
        signal_listing=False,
    )
    return {"exit_case": exit_case.number, "status": ListEntry.Status.EXITED}
