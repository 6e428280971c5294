"""The one hook through which processes issue official documents.

Issuing records the Document row with its number (文号) from a gap-free sequence
per issuing department, kind and year. Rendering the PDF is the documents
feature's job (notifications/); until it runs the row stays pending.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.utils import timezone

from audit.services import record
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
    return document
