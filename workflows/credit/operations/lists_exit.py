"""Operations of bpmn/list_exit.bpmn: decide, stop publication, lift, notify."""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from notifications.services import notify
from workflows.credit.documents import issue_document
from workflows.credit.models import (
    Case,
    CreditRecord,
    Department,
    Document,
    ListEntry,
    Membership,
)
from workflows.credit.operations.common import set_case_status
from workflows.credit.operations.lists import (
    REMEDIES,
    deliver_if_waiting,
    entry_of,
    entry_update,
    subject_people,
)
from workflows.credit.process import case_of
from workflows.credit.services.corrections import record_change
from workflows.credit.services.list_exit import (
    LISTING_EXITED_MESSAGE,
    PUNISHMENT_WITHDRAWN_MESSAGE,
)
from workflows.credit.services.measures import (
    department_people,
    departments_to_lift,
    measures_lift,
)
from workflows.operations import OperationContext, operation


@operation("list_exit_decide")
def list_exit_decide(context: OperationContext) -> dict[str, Any]:
    """Issue the exit decision (移出名单决定书) by the department that listed."""
    case = case_of(context)
    entry = entry_of(case)
    reason = str(context.task_data.get("exit_reason") or "")
    document = issue_document(
        Document.Kind.EXIT_DECISION,
        case,
        department=entry.deciding_department,
        payload={
            "list_type": entry.list_type,
            "listing": entry.decision_number,
            "reason": reason,
            "valid_from": entry.valid_from.isoformat() if entry.valid_from else "",
            "valid_to": entry.valid_to.isoformat() if entry.valid_to else "",
            "remedies": REMEDIES,
        },
    )
    set_case_status(
        case,
        Case.Status.DECIDED,
        context,
        decided_at=timezone.now(),
        decision={"outcome": "exit", "reason": reason, "document": document.number},
    )
    return {"document": document.number}


def _stop_record(context: OperationContext, case: Case, entry: ListEntry) -> None:
    """Stop publishing the listing's own record, if something else has not already."""
    published = entry.record
    if (
        published is not None
        and published.category == CreditRecord.Category.LIST_ENTRY
        and published.is_visible
    ):
        record_change(
            published,
            actor=context.actor,
            case=case,
            status=CreditRecord.Status.PUBLICATION_STOPPED,
            reason=f"移出名单 exit from the list ({case.number}: {entry.exit_reason})",
        )


@operation("list_exit_stop_publication")
def list_exit_stop_publication(context: OperationContext) -> list[str]:
    """End the entry, stop its publication, and name the departments to lift."""
    case = case_of(context)
    entry = entry_of(case)
    data = context.task_data
    reason = str(data.get("exit_reason") or "")
    entry_update(
        context,
        case,
        entry,
        ListEntry.Status.EXITED,
        exit_reason=reason,
        exited_at=timezone.now(),
    )
    _stop_record(context, case, entry)
    listing_case = str(data.get("listing_case") or "")
    payload = {"exit_case": case.number, "exit_reason": reason}
    deliver_if_waiting(PUNISHMENT_WITHDRAWN_MESSAGE, listing_case, payload)
    if data.get("signal_listing"):
        deliver_if_waiting(LISTING_EXITED_MESSAGE, listing_case, payload)
    return departments_to_lift(entry)


@operation("list_exit_confirm_lifted")
def list_exit_confirm_lifted(context: OperationContext) -> dict[str, Any]:
    """Stamp lifted_at on the measures the confirming department had applied."""
    case = case_of(context)
    entry = entry_of(case)
    code = str(context.task_data.get("department") or "")
    confirmation = context.task_data.get("lift_confirmation") or {}
    lifted = measures_lift(
        actor=context.actor,
        entry=entry,
        department=Department.objects.get(code=code),
        note=str(confirmation.get("note") or ""),
        case_number=case.number,
    )
    return {"department": code, "lifted": lifted, "at": timezone.now().isoformat()}


@operation("list_exit_notify")
def list_exit_notify(context: OperationContext) -> dict[str, Any]:
    """Tell the subject and every department with measures on the entry."""
    case = case_of(context)
    entry = entry_of(case)
    codes = set(
        entry.measure_applications.values_list(
            "implementing_department__code", flat=True
        )
    )
    title = f"移出名单 Off the list: {entry.subject.name} ({entry.decision_number})"
    to_subject = notify(
        recipients=subject_people(entry.subject),
        kind="list_exit.subject",
        title=title,
        body=ListEntry.ExitReason(entry.exit_reason).label,
        case_number=case.number,
    )
    to_departments = notify(
        recipients=[
            *department_people(codes, Membership.Role.OFFICER),
            *department_people(
                [entry.deciding_department.code], Membership.Role.REVIEWER
            ),
        ],
        kind="list_exit.departments",
        title=title,
        body="停止实施联合惩戒措施 Stop applying the joint punishment measures",
        case_number=case.number,
    )
    return {"subject": len(to_subject), "departments": len(to_departments)}
