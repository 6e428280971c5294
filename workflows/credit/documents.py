"""The one hook through which processes issue official documents.

Issuing records the Document row with its number (文号) from a gap-free sequence
per issuing department, kind and year, and its verification code. After the
transaction commits, the ``documents.render`` task (notifications/documents/) prints
the PDF and stores its sha256; until then the case view shows the document as being
prepared. An issued document never changes: a correction is a new document, with a
new number, that supersedes it (:func:`document_supersede`).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.contrib.auth.base_user import AbstractBaseUser
from django.db import transaction
from django.utils import timezone

from audit.services import record
from notifications.documents.tasks import render as render_task
from workflows.credit.models import Case, Department, Document
from workflows.credit.numbering import next_value

# The middle part of a 文号, e.g. 信异决 for an objection decision.
NUMBER_WORDS: dict[str, str] = {
    Document.Kind.ACCEPTANCE: "信受",
    Document.Kind.NON_ACCEPTANCE: "信不受",
    Document.Kind.SUPPLEMENT_REQUEST: "信补",
    Document.Kind.OBJECTION_DECISION: "信异决",
    Document.Kind.REPAIR_DECISION: "信修决",
    Document.Kind.PRIOR_NOTICE: "信告",
    Document.Kind.LISTING_DECISION: "信列决",
    Document.Kind.EXIT_DECISION: "信移决",
    Document.Kind.REPAIR_NOTICE: "信修告",
    Document.Kind.MEASURES_NOTICE: "信惩告",
}


def document_number(department: Department, kind: str, year: int) -> str:
    """Take the next number, like ``SCJ信异决〔2026〕17号``."""
    value = next_value(f"doc:{department.code}:{kind}", year)
    return f"{department.code}{NUMBER_WORDS[kind]}〔{year}〕{value}号"


def issue_document(
    kind: str,
    case: Case,
    *,
    department: Department,
    payload: Mapping[str, Any] | None = None,
) -> Document:
    """Number and record a document of a case; rendering follows after commit."""
    now = timezone.now()
    document = Document.objects.create(
        case=case,
        kind=kind,
        number=document_number(department, kind, timezone.localtime(now).year),
        issuing_department=department,
        issued_at=now,
        status=Document.Status.ISSUED,
        payload=dict(payload or {}),
    )
    record(
        action="document.issue",
        actor=None,
        system="documents",
        target=document,
        case_number=case.number,
        detail={"kind": kind, "number": document.number},
    )
    document_id = document.pk
    # robust: the case's change is committed either way; a publish that fails (broker
    # down) is picked up by the documents.render_pending sweep.
    transaction.on_commit(lambda: render_task.delay(document_id), robust=True)
    return document


class DocumentNotCurrentError(ValueError):
    """Only an issued document that nothing has superseded can be superseded."""


@transaction.atomic
def document_supersede(
    *,
    actor: AbstractBaseUser,
    document: Document,
    payload: Mapping[str, Any],
) -> Document:
    """Issue a corrected document with a new number and mark the old one superseded."""
    old = Document.objects.select_for_update().get(pk=document.pk)
    if old.status != Document.Status.ISSUED:
        raise DocumentNotCurrentError(
            f"{old.number or old.pk} is {old.status}; only an issued document that "
            "nothing has superseded can be corrected"
        )
    replacement = issue_document(
        old.kind, old.case, department=old.issuing_department, payload=payload
    )
    old.status = Document.Status.SUPERSEDED
    old.superseded_by = replacement
    old.save(update_fields=["status", "superseded_by"])
    record(
        action="document.supersede",
        actor=actor,
        target=old,
        case_number=old.case.number,
        before={"status": Document.Status.ISSUED, "number": old.number},
        after={"status": old.status, "superseded_by": replacement.number},
    )
    document.refresh_from_db()
    return replacement
