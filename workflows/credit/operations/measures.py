"""Operations of bpmn/joint_punishment.bpmn: request, remind, feedback, report."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import User
from django.db.models import Q
from django.utils import timezone

from audit.services import record
from notifications.services import notify
from workflows.credit.deadlines import deadline_met, deadline_set, reminder_before
from workflows.credit.documents import issue_document
from workflows.credit.models import Department, Document
from workflows.credit.operations.lists import FEEDBACK_DEADLINE, entry_of
from workflows.credit.process import case_of
from workflows.credit.services.measures import (
    measure_applications_open,
    measure_feedback_record,
    measure_feedback_summary,
)
from workflows.models import HumanTask
from workflows.operations import OperationContext, operation

FEEDBACK_TASK = "apply_measures"


@operation("joint_punishment_open")
def joint_punishment_open(
    context: OperationContext,
    *,
    working_days: int,
    reminder_working_days: int | None = None,
) -> dict[str, Any]:
    """Ask each implementing department for its measures, with a feedback deadline."""
    case = case_of(context)
    entry = entry_of(case)
    departments = measure_applications_open(
        actor=context.actor, entry=entry, case_number=case.number
    )
    deadline = deadline_set(case, FEEDBACK_DEADLINE, working_days)
    issue_document(
        Document.Kind.MEASURES_NOTICE,
        case,
        department=entry.deciding_department,
        payload={
            "listing": entry.decision_number,
            "list_type": entry.list_type,
            "departments": departments,
            "feedback_due": deadline.iso,
        },
    )
    return {
        "departments": departments,
        "due": deadline.iso,
        "reminder_at": reminder_before(deadline, reminder_working_days),
        "provisional": deadline.row.provisional,
    }


def _feedback_people(context: OperationContext, department: str) -> list[User]:
    tasks = HumanTask.objects.open().filter(
        instance=context.instance,
        element_id=FEEDBACK_TASK,
        candidate_group__name=f"{department}.officer",
    )
    return list(
        User.objects.filter(
            Q(assigned_tasks__in=tasks)
            | Q(
                groups__in=tasks.filter(assignee__isnull=True).values("candidate_group")
            )
        )
        .filter(is_active=True)
        .distinct()
    )


@operation("measures_feedback_remind")
def measures_feedback_remind(
    context: OperationContext, *, department: str
) -> dict[str, Any]:
    """Remind one department's officers that their feedback is due soon."""
    sent = notify(
        recipients=_feedback_people(context, department),
        kind="task.reminder",
        title=(
            f"联合惩戒反馈即将到期 Measures feedback due soon "
            f"({context.instance.business_key})"
        ),
        case_number=context.instance.business_key,
    )
    return {"department": department, "reminded": len(sent)}


@operation("joint_punishment_record_feedback")
def joint_punishment_record_feedback(context: OperationContext) -> dict[str, Any]:
    """Record a department's answers; hand back the problems if incomplete."""
    case = case_of(context)
    entry = entry_of(case)
    code = str(context.task_data.get("department") or "")
    problems = measure_feedback_record(
        actor=context.actor,
        entry=entry,
        department=Department.objects.get(code=code),
        answers=context.task_data.get("measures_feedback"),
        case_number=case.number,
    )
    if problems:
        # The task comes back to the department: say what its answer lacks.
        notify(
            recipients=[context.actor]
            if context.actor
            else _feedback_people(context, code),
            kind="joint_punishment.feedback_incomplete",
            title=f"反馈不完整，请补充 Feedback incomplete: {case.number}",
            body="\n".join(problems),
            case_number=case.number,
        )
    return {"accepted": not problems, "problems": problems}


@operation("joint_punishment_report")
def joint_punishment_report(context: OperationContext) -> dict[str, Any]:
    """Put the departments' feedback on the listing case and tell the initiator."""
    case = case_of(context)
    entry = entry_of(case)
    summary = measure_feedback_summary(entry)
    deadline_met(case, FEEDBACK_DEADLINE)
    case.decision = {
        **(case.decision or {}),
        "joint_punishment": {"reported_at": timezone.now(), "departments": summary},
    }
    case.save(update_fields=["decision", "updated_at"])
    record(
        action="list_entry.feedback",
        actor=context.actor,
        system="" if context.actor else "engine",
        target=entry,
        case_number=case.number,
        process_instance_id=str(context.instance.pk),
        after={"departments": summary},
    )
    lines = [
        f"{code}: 实施 applied {len(a['applied'])}, 未实施 not applied "
        f"{len(a['not_applied'])}"
        for code, a in summary.items()
    ]
    notify(
        recipients=[case.applicant],
        kind="joint_punishment.feedback",
        title=f"联合惩戒反馈 Measures feedback: {case.number}",
        body="\n".join(lines),
        case_number=case.number,
    )
    return {"departments": sorted(summary)}


@operation("joint_punishment_withdraw")
def joint_punishment_withdraw(context: OperationContext) -> dict[str, Any]:
    """Withdraw the unanswered requests of an entry that left the list first."""
    case = case_of(context)
    entry = entry_of(case)
    summary = measure_feedback_summary(entry)
    deadline_met(case, FEEDBACK_DEADLINE)
    unanswered = {code: a["pending"] for code, a in summary.items() if a["pending"]}
    record(
        action="measures.withdraw",
        actor=context.actor,
        system="" if context.actor else "engine",
        target=entry,
        case_number=case.number,
        process_instance_id=str(context.instance.pk),
        detail={"unanswered": unanswered, "exit_reason": entry.exit_reason},
    )
    return {"unanswered": unanswered}
