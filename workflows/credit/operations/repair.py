"""Service-task operations of the credit repair process (bpmn/repair.bpmn)."""

from __future__ import annotations

from typing import Any

from django.db import models
from django.utils import timezone

from audit.services import record
from notifications.services import notify
from workflows.credit.deadlines import deadline_met, deadline_set
from workflows.credit.documents import issue_document
from workflows.credit.eligibility import rules_for
from workflows.credit.models import Case, CreditRecord, Document, ListEntry
from workflows.credit.models.departments import Membership, role_group_name
from workflows.credit.operations.common import applicants, set_case_status
from workflows.credit.process import case_of
from workflows.credit.services.corrections import record_change
from workflows.credit.services.list_exit import list_exit_start
from workflows.errors import InvalidInputError
from workflows.operations import OperationContext, operation

ACCEPTANCE_RESULTS = ("accept", "not_accept", "supplement")
REVIEW_OPINIONS = ("grant", "reject")
APPROVAL_ROLES = (Membership.Role.SECTION_CHIEF, Membership.Role.HEAD)
PLATFORMS = (
    ("department_site", "{department}门户网站 Department website"),
    ("credit_platform", "信用中国及地方信用平台 Credit platforms"),
    ("sharing_partners", "信用信息共享单位 Sharing partners"),
)
REMEDIES = (
    "对本决定不服的，可自收到之日起60日内申请行政复议，或6个月内提起行政诉讼 / "
    "You may apply for administrative review within 60 days of receipt, or sue "
    "within 6 months."
)
REAPPLY = "符合条件后可重新申请 / You may apply again once the conditions are met."


def case_record(case: Case) -> CreditRecord:
    """Return the record a repair case is about."""
    if case.target_record is None:
        raise InvalidInputError(f"repair case {case.number} has no record")
    return case.target_record


def tell(case: Case, kind: str, title: str, body: str = "") -> None:
    """Notify the applicant and any agent about their case."""
    notify(
        recipients=applicants(case),
        kind=kind,
        title=f"{title}: {case.number}",
        body=body,
        case_number=case.number,
    )


def _audit(
    context: OperationContext, action: str, target: models.Model, **kw: Any
) -> None:
    record(
        action=action,
        actor=context.actor,
        system="" if context.actor else "engine",
        target=target,
        case_number=context.instance.business_key,
        process_instance_id=str(context.instance.pk),
        **kw,
    )


def add_to_decision(case: Case, **parts: Any) -> None:
    """Add parts to the decision a case is building up."""
    case.decision = {**(case.decision or {}), **parts}
    case.save(update_fields=["decision", "updated_at"])


def completed_by(context: OperationContext) -> str:
    """Return who completed the task this step follows ("" for the system)."""
    return context.actor.get_username() if context.actor else ""


def texts(value: Any) -> list[str]:
    """Read a form value that is one text or a list of them."""
    items = value if isinstance(value, list | tuple) else [value] if value else []
    return [str(item).strip() for item in items if str(item).strip()]


@operation("repair_acceptance_decided")
def repair_acceptance_decided(context: OperationContext) -> dict[str, Any]:
    """Check the department's acceptance decision and stop the acceptance clock."""
    case = case_of(context)
    data = context.task_data
    result = str(data.get("acceptance_result") or "")
    if result not in ACCEPTANCE_RESULTS:
        raise InvalidInputError(
            f"unknown acceptance result {result!r}", list(ACCEPTANCE_RESULTS)
        )
    if result == "not_accept" and not str(data.get("acceptance_reason") or ""):
        raise InvalidInputError("give the reason for not accepting")
    if result == "supplement" and not texts(data.get("missing_materials")):
        raise InvalidInputError("list every missing material at once")
    deadline_met(case, "acceptance")
    return {
        "result": result,
        "decided_by": completed_by(context),
        "decided_at": timezone.now().isoformat(),
    }


@operation("repair_not_accept")
def repair_not_accept(context: OperationContext) -> dict[str, Any]:
    """Refuse to accept the request, with the reason and a non-acceptance notice."""
    case = case_of(context)
    reason = str(context.task_data.get("acceptance_reason") or "")
    decision = {"outcome": "not_accepted", "reason": reason}
    ended = {"decided_at": timezone.now(), "closed_at": timezone.now()}
    set_case_status(case, Case.Status.NOT_ACCEPTED, context, decision=decision, **ended)
    department = case_record(case).source_department
    payload = {**decision, "remedies": [REAPPLY, REMEDIES]}
    issue_document(
        Document.Kind.NON_ACCEPTANCE, case, department=department, payload=payload
    )
    tell(case, "case.not_accepted", "不予受理 Not accepted", reason)
    return {"reason": reason}


@operation("repair_supplement_received")
def repair_supplement_received(context: OperationContext) -> str:
    """Start the acceptance period again now that the materials are complete."""
    case = case_of(context)
    rules = rules_for(case_record(case))
    deadline = deadline_set(
        case, "acceptance", rules.acceptance_days, policy_ref=rules.reference
    )
    return deadline.iso


@operation("repair_accept")
def repair_accept(context: OperationContext) -> dict[str, Any]:
    """Accept the request: start the answer period and send the acceptance notice."""
    case = case_of(context)
    target = case_record(case)
    rules = rules_for(target)
    answer = deadline_set(case, "answer", rules.answer_days, policy_ref=rules.reference)
    case.policy_refs = sorted({*case.policy_refs, rules.reference})
    set_case_status(case, Case.Status.ACCEPTED, context)
    issue_document(
        Document.Kind.ACCEPTANCE,
        case,
        department=target.source_department,
        payload={"answer_due": answer.iso},
    )
    tell(case, "case.accepted", "已受理 Accepted")
    return {"answer_due": answer.iso, "provisional": answer.row.provisional}


@operation("repair_review_recorded")
def repair_review_recorded(context: OperationContext) -> dict[str, Any]:
    """Check the review and hand it to the approval chain, without its reviewer."""
    case = case_of(context)
    data = context.task_data
    opinion = str(data.get("review_opinion") or "")
    if opinion not in REVIEW_OPINIONS:
        raise InvalidInputError(
            f"unknown review opinion {opinion!r}", list(REVIEW_OPINIONS)
        )
    if opinion == "reject" and not texts(data.get("rejection_reasons")):
        raise InvalidInputError("give the reasons for rejecting the repair")
    code = case_record(case).source_department.code
    set_case_status(case, Case.Status.UNDER_REVIEW, context)
    return {
        "opinion": opinion,
        "proposer": completed_by(context),
        "approval_levels": [role_group_name(code, role) for role in APPROVAL_ROLES],
        "approval_due": (data.get("acceptance") or {}).get("answer_due"),
    }


def _exit_lists(target: CreditRecord, context: OperationContext) -> list[str]:
    """Start the exit of every listing that rests on the repaired record."""
    if target.category != CreditRecord.Category.LIST_ENTRY:
        return []
    return [
        list_exit_start(
            actor=context.actor, entry=entry, reason=ListEntry.ExitReason.REPAIR
        ).number
        for entry in target.list_entries.listed()
    ]


@operation("repair_stop_publication")
def repair_stop_publication(context: OperationContext) -> dict[str, Any]:
    """Stop publishing the repaired record, count the repair, exit its listings."""
    case = case_of(context)
    target = CreditRecord.objects.select_for_update().get(pk=case_record(case).pk)
    before = {"status": target.status, "repair_count": target.repair_count}
    correction = None
    if target.is_visible:
        correction = record_change(
            target,
            actor=context.actor,
            case=case,
            status=CreditRecord.Status.PUBLICATION_STOPPED,
            reason=f"信用修复 repaired by {case.number}",
        )
    target.repair_count += 1
    target.save(update_fields=["repair_count", "updated_at"])
    exits = _exit_lists(target, context)
    after = {"status": target.status, "repair_count": target.repair_count}
    _audit(context, "record.repair", target, before=before, after=after)
    publication = {
        **after,
        "correction": correction.pk if correction else None,
        "list_exits": exits,
    }
    add_to_decision(case, publication=publication)
    return publication


@operation("repair_sync_platforms")
def repair_sync_platforms(context: OperationContext) -> list[dict[str, str]]:
    """Record that each platform stopped publishing and sharing the record."""
    case = case_of(context)
    target = case_record(case)
    synced = [
        {
            "platform": key,
            "name": name.format(department=target.source_department.name),
            "synced_at": timezone.now().isoformat(),
        }
        for key, name in PLATFORMS
    ]
    add_to_decision(case, sync=synced)
    platforms = [s["platform"] for s in synced]
    _audit(context, "record.sync", target, detail={"platforms": platforms})
    return synced
