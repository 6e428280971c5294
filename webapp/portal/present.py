"""Shape cases and records for the portal's pages: words instead of codes."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.contrib.auth.models import User
from django.utils import timezone
from django.utils.translation import get_language, pgettext

from webapp.portal import labels
from workflows.credit.models import Case, CaseDeadline, CreditRecord, Document
from workflows.credit.selectors.files import (
    attachment_list_for_case,
    document_list_for_case,
)
from workflows.credit.selectors.portal import (
    TimelineItem,
    appeal_window,
    case_deadlines,
    case_stages,
    subject_timeline,
    supplement_request,
)


@dataclass(frozen=True)
class CaseRow:
    case: Case
    type_label: str
    status_label: str
    waiting_for_you: bool


def case_rows(cases: Iterable[Case]) -> list[CaseRow]:
    """Label each case of a list page."""
    return [
        CaseRow(
            case=case,
            type_label=labels.label(labels.CASE_TYPE, case.case_type),
            status_label=labels.label(labels.CASE_STATUS, case.status),
            waiting_for_you=case.status == Case.Status.SUPPLEMENT_REQUESTED,
        )
        for case in cases
    ]


@dataclass(frozen=True)
class RecordRow:
    record: CreditRecord
    category: str
    grade: str
    status: str


def record_row(record: CreditRecord) -> RecordRow:
    """Label a credit record."""
    return RecordRow(
        record=record,
        category=labels.label(labels.RECORD_CATEGORY, record.category),
        grade=labels.label(labels.GRADE, record.grade),
        status=labels.label(labels.RECORD_STATUS, record.status),
    )


def record_choice_label(record: CreditRecord) -> str:
    """Name a record in a choice list: category, decision number, department, date."""
    parts = [
        labels.label(labels.RECORD_CATEGORY, record.category),
        record.decision_number or f"#{record.pk}",
        record.source_department.name,
        record.decision_date.isoformat(),
    ]
    return " · ".join(parts)


@dataclass(frozen=True)
class DeadlineRow:
    label: str
    due_at: dt.datetime
    provisional: bool
    met_at: dt.datetime | None
    overdue: bool


def deadline_row(deadline: CaseDeadline, now: dt.datetime) -> DeadlineRow:
    return DeadlineRow(
        label=labels.label(labels.DEADLINE_KIND, deadline.kind),
        due_at=deadline.due_at,
        provisional=deadline.provisional,
        met_at=deadline.met_at,
        overdue=deadline.met_at is None and deadline.due_at < now,
    )


@dataclass(frozen=True)
class TimelineRow:
    at: dt.datetime
    text: str
    who: str
    document: Document | None


def _timeline_text(item: TimelineItem) -> str:
    if item.action == "case.status":
        status = labels.label(labels.CASE_STATUS, item.status)
        return pgettext("portal", "Status: %(status)s") % {"status": status}
    if item.action == "document.issue" and item.document is not None:
        kind = labels.label(labels.DOCUMENT_KIND, item.document.kind)
        return pgettext("portal", "Issued: %(kind)s") % {"kind": kind}
    return labels.label(labels.TIMELINE, item.action)


def timeline_rows(items: Iterable[TimelineItem]) -> list[TimelineRow]:
    """Word each step of the subject's timeline: you, or the department."""
    return [
        TimelineRow(
            at=item.at,
            text=_timeline_text(item),
            who=pgettext("portal", "You") if item.by_party else item.department,
            document=item.document,
        )
        for item in items
    ]


def stage_sentences(case: Case) -> list[str]:
    """Say in words where the case stands now."""
    sentences = []
    for stage in case_stages(case) if case.is_open else []:
        sentence = labels.TASK_STAGE.get(stage.element_id)
        if sentence is None:
            continue
        text = str(sentence)
        if stage.department:
            text = pgettext("portal", "%(sentence)s (%(department)s)") % {
                "sentence": text,
                "department": stage.department,
            }
        if text not in sentences:
            sentences.append(text)
    return sentences or [labels.label(labels.CASE_STAGE, case.status)]


def decision_summary(case: Case) -> dict[str, str] | None:
    """Return the decision's outcome in words and its stated reasons."""
    decision = case.decision if isinstance(case.decision, dict) else None
    if not decision or not decision.get("outcome"):
        return None
    outcome = str(decision["outcome"])
    reasons = decision.get("findings") or decision.get("reason") or ""
    return {
        "outcome": labels.label(labels.DECISION_OUTCOME, outcome),
        "reasons": str(reasons),
    }


def is_party(user: User, case: Case) -> bool:
    """Say whether the user acts on the case: its applicant or agent."""
    return user.pk in (case.applicant_id, case.agent_id)


def case_context(user: User, case: Case) -> dict[str, Any]:
    """Gather what the case page shows."""
    now = timezone.now()
    party = is_party(user, case)
    documents = list(document_list_for_case(user, case))
    return {
        "case": case,
        "type_label": labels.label(labels.CASE_TYPE, case.case_type),
        "status_label": labels.label(labels.CASE_STATUS, case.status),
        "grounds_label": labels.label(labels.GROUNDS, case.grounds)
        if case.grounds
        else "",
        "record_row": record_row(case.target_record) if case.target_record else None,
        "stages": stage_sentences(case),
        "decision": decision_summary(case),
        "deadlines": [deadline_row(d, now) for d in case_deadlines(case)],
        "documents": [
            (d, labels.label(labels.DOCUMENT_KIND, d.kind)) for d in documents
        ],
        "attachments": list(attachment_list_for_case(user, case)),
        "timeline": timeline_rows(subject_timeline(case)),
        "can_supplement": party and case.status == Case.Status.SUPPLEMENT_REQUESTED,
        "appeal_until": appeal_window(case) if party else None,
    }


def supplement_context(case: Case) -> dict[str, Any]:
    """Gather what the supplement page shows: the missing list and the deadline."""
    missing, deadline = supplement_request(case)
    return {
        "case": case,
        "missing": missing,
        "deadline": deadline_row(deadline, timezone.now()) if deadline else None,
    }


def in_reader_language(text: str) -> str:
    """Keep one half of a domain message written "中文 / English"."""
    if " / " not in text:
        return text
    chinese, english = text.split(" / ", 1)
    return chinese if get_language().startswith("zh") else english


def commitment_text(record: CreditRecord) -> str:
    """Word the credit commitment (信用承诺) the applicant makes for this record."""
    subject = record.subject
    return pgettext(
        "portal",
        "%(name)s (%(code)s) solemnly commits: the dishonest conduct in record "
        "%(record)s has been corrected and every obligation it imposed has been "
        "fully performed; the materials submitted are true, complete and valid; "
        "and from now on we will abide by the law and act in good faith. We "
        "accept that a false commitment is entered in our credit record and that "
        "a repair obtained by deception is revoked.",
    ) % {
        "name": subject.name,
        "code": subject.masked_code,
        "record": record.decision_number or f"#{record.pk}",
    }
