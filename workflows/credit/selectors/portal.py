"""Reads for the subject portal: a party's own cases and records, and what they see.

Every read starts from the permission selectors (``case_list_for_user``,
``credit_record_list_for_user``) and narrows them to what the user is a party to:
the subjects they act for, and cases they filed or act in as agent. A staff member
opening the portal sees only their own filings, never their department's queue.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.contrib.auth.models import User
from django.db.models import Count, OuterRef, Q, Subquery
from django.utils import timezone

from audit.models import AuditEvent
from workflows.credit.models import (
    Attachment,
    Case,
    CaseDeadline,
    CreditRecord,
    Department,
    Document,
    Subject,
)
from workflows.credit.models.cases import CaseQuerySet
from workflows.credit.models.records import CreditRecordQuerySet
from workflows.credit.models.subjects import SubjectQuerySet
from workflows.credit.selectors.cases import case_get, case_list_for_user
from workflows.credit.selectors.records import (
    credit_record_get,
    credit_record_list_for_user,
)
from workflows.errors import NotFoundError
from workflows.models import HumanTask

# Audit actions a subject sees on their case's timeline; everything else (task
# claims, internal notes, renders) is the authority's own business.
TIMELINE_ACTIONS = (
    "case.file",
    "case.status",
    "case.supplement",
    "case.appeal",
    "case.statement",
    "redlist.objection",
    "document.issue",
)


def portal_subjects(user: User) -> SubjectQuerySet:
    """Return the subjects the user acts for, by name."""
    return Subject.objects.represented_by(user).order_by("name", "pk")


def _party_filter(user: User) -> Q:
    mine = Subject.objects.represented_by(user).values("pk")
    return Q(subject__in=mine) | Q(applicant=user) | Q(agent=user)


def portal_case_list(user: User) -> CaseQuerySet:
    """Return the user's own cases, newest first, with their next pending deadline."""
    pending = CaseDeadline.objects.filter(
        case=OuterRef("pk"), met_at__isnull=True
    ).order_by("due_at", "pk")
    return (
        case_list_for_user(user)
        .filter(_party_filter(user))
        .select_related("subject", "target_record")
        .annotate(
            next_due_at=Subquery(pending.values("due_at")[:1]),
            next_due_provisional=Subquery(pending.values("provisional")[:1]),
        )
        .order_by("-created_at", "-pk")
    )


def portal_case_get(user: User, number: str) -> Case:
    """Return one of the user's own cases, or raise NotFoundError."""
    case = case_get(user, number)
    if not Case.objects.filter(_party_filter(user), pk=case.pk).exists():
        raise NotFoundError(f"no case {number}")
    return case


def portal_record_list(user: User) -> CreditRecordQuerySet:
    """Return the credit records of the subjects the user acts for."""
    return (
        credit_record_list_for_user(user)
        .filter(subject__in=Subject.objects.represented_by(user).values("pk"))
        .select_related("subject", "source_department")
    )


def portal_record_get(user: User, pk: int) -> CreditRecord:
    """Return a record of a subject the user acts for, or raise NotFoundError."""
    found = credit_record_get(user, pk)
    if not found.subject.accounts.filter(pk=user.pk).exists():
        raise NotFoundError("no such credit record")
    return found


@dataclass(frozen=True)
class Overview:
    """What the portal's start page sums up."""

    subjects: list[Subject]
    open_cases: int
    waiting_for_you: int
    next_deadline: CaseDeadline | None


def portal_overview(user: User) -> Overview:
    """Count the user's open cases and find their next deadline (three queries)."""
    cases = Case.objects.filter(_party_filter(user))
    counts = cases.aggregate(
        open=Count("pk", filter=Q(status__in=Case.OPEN_STATUSES)),
        waiting=Count("pk", filter=Q(status=Case.Status.SUPPLEMENT_REQUESTED)),
    )
    next_deadline = (
        CaseDeadline.objects.pending()
        .filter(case__in=cases.open().values("pk"), due_at__gte=timezone.now())
        .select_related("case")
        .order_by("due_at", "pk")
        .first()
    )
    return Overview(
        subjects=list(portal_subjects(user)),
        open_cases=counts["open"],
        waiting_for_you=counts["waiting"],
        next_deadline=next_deadline,
    )


def case_deadlines(case: Case) -> list[CaseDeadline]:
    """Return the case's deadlines, earliest first."""
    return list(case.deadlines.order_by("due_at", "pk"))


@dataclass(frozen=True)
class Stage:
    """An open step of the case: which BPMN task, at which department."""

    element_id: str
    department: str


def case_stages(case: Case) -> list[Stage]:
    """Return the open steps of a case (no staff names, only departments).

    The department is the one whose group may act ("XYB.clerk" -> XYB), which is
    not always the case's own department that the inbox files the task under.
    """
    tasks = list(
        HumanTask.objects.open()
        .filter(case_number=case.number)
        .order_by("created_at")
        .values_list("element_id", "candidate_group__name", "department_code")
    )
    acting = [
        (element, group.split(".", 1)[0] if group and "." in group else code)
        for element, group, code in tasks
    ]
    names = _department_names({code for _element, code in acting})
    return [Stage(element, names.get(code, "")) for element, code in acting]


def _department_names(codes: set[str]) -> dict[str, str]:
    wanted = [code for code in codes if code]
    if not wanted:
        return {}
    return dict(Department.objects.filter(code__in=wanted).values_list("code", "name"))


@dataclass(frozen=True)
class TimelineItem:
    """One step of a case as its subject sees it."""

    at: dt.datetime
    action: str
    status: str
    by_party: bool
    department: str
    document: Document | None


def subject_timeline(case: Case) -> list[TimelineItem]:
    """Return the case's steps a subject may see: filings, status changes, documents.

    Staff are named by department only; internal events are left out.
    """
    events = list(
        AuditEvent.objects.for_case(case.number)
        .filter(action__in=TIMELINE_ACTIONS)
        .in_chain_order()
        .only(
            "occurred_at",
            "action",
            "actor_id",
            "target_type",
            "target_id",
            "after",
            "department_code",
        )
    )
    documents = _documents_of(events)
    names = _department_names({e.department_code or "" for e in events})
    parties = {case.applicant_id, case.agent_id} - {None}
    items = []
    for event in events:
        document = documents.get(event.target_id) if event.target_type else None
        department = names.get(event.department_code or "", "")
        if document is not None:
            department = document.issuing_department.name
        after = event.after if isinstance(event.after, dict) else {}
        items.append(
            TimelineItem(
                at=event.occurred_at,
                action=event.action,
                status=str(after.get("status") or ""),
                by_party=event.actor_id in parties,
                department=department,
                document=document,
            )
        )
    return items


def _documents_of(events: list[AuditEvent]) -> dict[str, Document]:
    ids = [
        e.target_id
        for e in events
        if e.action == "document.issue" and e.target_type == "credit.document"
    ]
    if not ids:
        return {}
    found = Document.objects.filter(pk__in=ids).select_related("issuing_department")
    return {str(d.pk): d for d in found}


def supplement_request(case: Case) -> tuple[list[str], CaseDeadline | None]:
    """Return what the latest supplement request lists as missing, and its deadline."""
    document = (
        case.documents.of_kind(Document.Kind.SUPPLEMENT_REQUEST)
        .order_by("-created_at", "-pk")
        .first()
    )
    missing = (
        [str(m) for m in (document.payload.get("missing") or [])] if document else []
    )
    deadline = case.deadlines.pending().filter(kind="supplement").first()
    return missing, deadline


def appeal_window(case: Case) -> CaseDeadline | None:
    """Return the open appeal window of a decided objection, if it may be appealed."""
    if case.case_type != Case.Type.OBJECTION or case.status != Case.Status.DECIDED:
        return None
    if Case.objects.filter(appeal_of=case).exists():
        return None
    return (
        case.deadlines.pending()
        .filter(kind="appeal", due_at__gte=timezone.now())
        .first()
    )


def record_open_cases(record: CreditRecord) -> CaseQuerySet:
    """Return the open cases about a record, newest first."""
    return Case.objects.open().filter(target_record=record).order_by("-created_at")


def staged_uploads(user: User, ids: list[int]) -> list[Attachment]:
    """Return the user's own uploads among ids that no case holds yet."""
    if not ids:
        return []
    return list(
        Attachment.objects.filter(pk__in=ids, uploaded_by=user, case__isnull=True)
    )
