"""Operations every case process uses: supplements, reminders, escalation, closing."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import User
from django.db.models import Q
from django.utils import timezone

from audit.services import record
from notifications.services import notify
from workflows.credit.deadlines import deadline_met, deadline_set
from workflows.credit.documents import issue_document
from workflows.credit.models import Case, Document
from workflows.credit.policies import objection_time_limits
from workflows.credit.process import case_of, credit_office_for
from workflows.models import HumanTask
from workflows.operations import OperationContext, operation


def set_case_status(
    case: Case, status: str, context: OperationContext, **extra: Any
) -> None:
    """Change a case's status (and other fields) and audit the change."""
    before = case.status
    case.status = status
    for field, value in extra.items():
        setattr(case, field, value)
    case.save()
    record(
        action="case.status",
        actor=context.actor,
        system="" if context.actor else "engine",
        target=case,
        case_number=case.number,
        department_code=str(context.instance.labels.get("department_code") or ""),
        process_instance_id=str(context.instance.pk),
        before={"status": before},
        after={"status": status},
    )


def applicants(case: Case) -> list[User]:
    """The people a case's notices go to: the applicant and any agent."""
    return [u for u in (case.applicant, case.agent) if u is not None]


@operation("case_request_supplement")
def case_request_supplement(context: OperationContext) -> dict[str, Any]:
    """Ask for missing materials in one complete list, with a deadline."""
    case = case_of(context)
    missing = [str(m) for m in context.task_data.get("missing_materials") or []]
    limits = objection_time_limits(case.jurisdiction, own_data=False)
    deadline = deadline_set(
        case, "supplement", limits.supplement_days, policy_ref=limits.reference
    )
    set_case_status(case, Case.Status.SUPPLEMENT_REQUESTED, context)
    office = credit_office_for(case.jurisdiction)
    issue_document(
        Document.Kind.SUPPLEMENT_REQUEST,
        case,
        department=office,
        payload={"missing": missing, "due": deadline.iso},
    )
    notify(
        recipients=applicants(case),
        kind="case.supplement_requested",
        title=f"请补正材料 Materials needed: {case.number}",
        body="\n".join(missing),
        case_number=case.number,
    )
    return {
        "due": deadline.iso,
        "provisional": deadline.row.provisional,
        "missing": missing,
    }


@operation("case_close_lapsed")
def case_close_lapsed(context: OperationContext) -> dict[str, Any]:
    """Close a case whose supplement deadline passed without the materials."""
    case = case_of(context)
    deadline_met(case, "supplement")
    now = timezone.now()
    set_case_status(
        case,
        Case.Status.CLOSED,
        context,
        closed_at=now,
        decided_at=case.decided_at or now,
        decision={"outcome": "lapsed"},
    )
    notify(
        recipients=applicants(case),
        kind="case.lapsed",
        title=f"逾期未补正，已终止 Closed, not supplemented: {case.number}",
        case_number=case.number,
    )
    return {"closed_at": now.isoformat()}


@operation("case_close")
def case_close(context: OperationContext) -> dict[str, Any]:
    """Close a decided case."""
    case = case_of(context)
    now = timezone.now()
    set_case_status(case, Case.Status.CLOSED, context, closed_at=now)
    return {"closed_at": now.isoformat()}


def _task_people(context: OperationContext, element: str) -> tuple[list[User], str]:
    tasks = HumanTask.objects.open().filter(
        instance=context.instance, element_id=element
    )
    people = User.objects.filter(
        Q(assigned_tasks__in=tasks)
        | Q(groups__in=tasks.filter(assignee__isnull=True).values("candidate_group"))
    ).distinct()
    names = ", ".join(sorted({t.name for t in tasks}))
    return list(people), names


@operation("task_remind")
def task_remind(context: OperationContext, *, element: str) -> dict[str, Any]:
    """Remind whoever holds (or may take) a task that its deadline is near."""
    people, names = _task_people(context, element)
    sent = notify(
        recipients=people,
        kind="task.reminder",
        title=f"即将到期 Due soon: {names} ({context.instance.business_key})",
        case_number=context.instance.business_key,
    )
    return {"reminded": len(sent)}


@operation("task_escalate")
def task_escalate(
    context: OperationContext, *, element: str, to_group: str
) -> dict[str, Any]:
    """Tell a supervising group that a task is overdue."""
    _people, names = _task_people(context, element)
    chiefs = User.objects.filter(groups__name=to_group, is_active=True)
    sent = notify(
        recipients=chiefs,
        kind="task.overdue",
        title=f"已逾期 Overdue: {names} ({context.instance.business_key})",
        case_number=context.instance.business_key,
    )
    return {"escalated_to": to_group, "notified": len(sent)}
