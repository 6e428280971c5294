"""The case beside a task form: number, type, subject (masked), record, deadlines."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.contrib.auth.models import User

from workflows.credit.models import Case, CaseDeadline
from workflows.credit.selectors.cases import case_get
from workflows.errors import NotFoundError
from workflows.models import HumanTask


@dataclass
class CaseSummary:
    """What a reviewer needs to see of the case while deciding a task."""

    number: str
    case_type: str
    subject_name: str
    subject_code: str
    record: str = ""
    status: str = ""
    case: Case | None = None
    deadlines: list[CaseDeadline] = field(default_factory=list)


def _record_of(case: Case) -> str:
    if case.target_record is not None:
        record = case.target_record
        return f"{record.decision_number} · {record.get_category_display()}"
    if case.target_list_entry is not None:
        return str(case.target_list_entry)
    return ""


def case_summary(user: User, task: HumanTask) -> CaseSummary:
    """Summarise the task's case as the user may see it, else from the task's labels."""
    summary = CaseSummary(
        number=task.case_number,
        case_type=task.case_type,
        subject_name=task.subject_name,
        subject_code=task.subject_code,
    )
    try:
        case = case_get(user, task.case_number)
    except NotFoundError:
        return summary
    summary.case = case
    summary.case_type = case.get_case_type_display()
    summary.status = case.get_status_display()
    summary.subject_name = case.subject.name
    summary.subject_code = case.subject.masked_code
    summary.record = _record_of(case)
    summary.deadlines = list(case.deadlines.order_by("due_at", "id"))
    return summary
