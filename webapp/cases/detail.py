"""Everything the staff case page shows, each block read with one query."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.contrib.auth.models import User
from django.db.models import Q, QuerySet
from django.urls import NoReverseMatch, reverse

from audit.selectors import TimelineEntry, case_timeline
from workflows import roles
from workflows.access.roles import roles_of
from workflows.credit.identifiers import normalise_identifier
from workflows.credit.models import (
    Attachment,
    Case,
    CaseDeadline,
    Document,
)
from workflows.credit.selectors.files import (
    attachment_list_for_case,
    document_list_for_case,
)
from workflows.errors import NotFoundError
from workflows.models import HumanTask, ProcessDefinition
from workflows.selectors.diagram import (
    current_tasks,
    diagram_instance,
    element_states,
)

FULL_IDENTIFIER_PERMISSION = "credit.view_full_identifier"
# Department staff, auditors (read-only) and system administrators; subjects and
# agents have the portal, process administrators the console.
CASE_READERS = frozenset(
    {
        roles.CREDIT_OFFICE_CLERK,
        roles.REVIEWER,
        roles.SECTION_CHIEF,
        roles.DEPARTMENT_HEAD,
        roles.IMPLEMENTING_OFFICER,
        roles.AUDITOR,
        roles.SYSTEM_ADMIN,
    }
)


@dataclass
class CasePage:
    """The blocks of one case's staff page."""

    case: Case
    timeline: list[TimelineEntry]
    tasks: list[HumanTask]
    deadlines: list[CaseDeadline]
    documents: list[Document]
    attachments: list[Attachment]
    states: dict[str, str] = field(default_factory=dict)
    definition: ProcessDefinition | None = None
    reveal_url: str = ""
    appeal_of_number: str = ""

    @property
    def documents_pending(self) -> bool:
        return any(d.is_being_prepared for d in self.documents)


def require_staff(user: User) -> None:
    """Answer "not found" to anyone but staff: subjects use the portal's case page."""
    if not roles_of(user) & CASE_READERS:
        raise NotFoundError("this page is for staff")


def case_documents(user: User, case: Case) -> list[Document]:
    """Return the case's documents the user may see, oldest first."""
    return list(document_list_for_case(user, case))


def reveal_url(user: User, case: Case) -> str:
    """Return the "show full number" address if the user may use it, else ""."""
    if not case.subject.is_natural_person:
        return ""
    if not user.has_perm(FULL_IDENTIFIER_PERMISSION):
        return ""
    try:
        return reverse("files:reveal_identifier", args=[case.subject_id])
    except NoReverseMatch:
        return ""


def with_relations(case: Case) -> Case:
    """Reload a case with the people, target and appeal its page shows (one query)."""
    return Case.objects.select_related(
        "subject",
        "applicant",
        "agent",
        "appeal_of",
        "target_record__source_department",
        "target_list_entry__deciding_department",
    ).get(pk=case.pk)


def case_page(user: User, case: Case) -> CasePage:
    """Read the blocks of a case the user may see (case_get already checked)."""
    case = with_relations(case)
    page = CasePage(
        case=case,
        timeline=case_timeline(case.number),
        tasks=list(current_tasks(case.number)),
        deadlines=list(case.deadlines.order_by("due_at", "id")),
        documents=case_documents(user, case),
        attachments=list(attachment_list_for_case(user, case)),
        reveal_url=reveal_url(user, case),
        appeal_of_number=case.appeal_of.number if case.appeal_of else "",
    )
    if case.process_instance_id is not None:
        instance = diagram_instance(case.process_instance_id)
        page.definition = instance.definition
        page.states = element_states(instance, open_tasks=page.tasks)
    return page


def filter_cases(
    cases: QuerySet[Case],
    *,
    q: str = "",
    case_type: str = "",
    status: str = "",
    department: str = "",
) -> QuerySet[Case]:
    """Narrow a visible-cases query by the search form's fields."""
    q = q.strip()
    if q:
        cases = cases.filter(
            Q(number__icontains=q)
            | Q(subject__name__icontains=q)
            | Q(subject__code=normalise_identifier(q))
        )
    if case_type:
        cases = cases.filter(case_type=case_type)
    if status:
        cases = cases.filter(status=status)
    if department:
        cases = cases.filter(
            Q(target_record__source_department__code=department)
            | Q(target_list_entry__deciding_department__code=department)
        )
    return cases.select_related(
        "subject",
        "target_record__source_department",
        "target_list_entry__deciding_department",
    ).order_by("-created_at", "-id")
