"""Public verification of issued documents: what ``/verify/<code>`` may show.

The page is public and needs no login, so it shows only what authenticates the
paper in someone's hand: number, kind, issuing department, date, the PDF's sha256
and whether the document is still current. A natural person is shown by masked
name and masked ID number only. An unknown, malformed or unissued code gives the
same answer as any other unknown code.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Final

from django.conf import settings
from django.utils import timezone

from workflows.credit.models import Document, Subject

# Printed on paper and encoded in QR codes: this path must never change.
VERIFY_PATH: Final = "/verify/"
DEFAULT_PUBLIC_BASE_URL: Final = "http://127.0.0.1:8000"
CODE_PATTERN: Final = re.compile(r"[A-Z2-7]{16}")
# A correction of a correction of ...: far more than any real chain.
MAX_CHAIN: Final = 50


@dataclass(frozen=True)
class DocumentVerification:
    """The public facts of one issued document."""

    number: str
    kind: str
    title: str
    title_en: str
    department: str
    department_en: str
    issued_on: dt.date | None
    sha256: str
    rendered: bool
    current: bool
    superseded_by: str
    current_number: str
    subject_name: str
    subject_code: str
    subject_is_person: bool


def verification_url(code: str) -> str:
    """Return the absolute URL a document's QR code points to."""
    base = str(getattr(settings, "PUBLIC_BASE_URL", DEFAULT_PUBLIC_BASE_URL))
    return f"{base.rstrip('/')}{VERIFY_PATH}{code}"


def normalise_verification_code(raw: str) -> str | None:
    """Accept a code as printed (groups of four, any case); None if malformed."""
    code = "".join(raw.split()).replace("-", "").upper()
    return code if CODE_PATTERN.fullmatch(code) else None


def mask_person_name(name: str) -> str:
    """Keep the first character of a person's name: 张三 → 张*, 欧阳娜娜 → 欧***."""
    name = name.strip()
    if len(name) <= 1:
        return "*" if name else ""
    return name[0] + "*" * (len(name) - 1)


def document_verification_get(raw_code: str) -> DocumentVerification | None:
    """Look an issued document up by its verification code; None if there is none."""
    code = normalise_verification_code(raw_code)
    if code is None:
        return None
    document = (
        Document.objects.select_related(
            "issuing_department", "case__subject", "superseded_by"
        )
        .exclude(status=Document.Status.PENDING)
        .filter(verification_code=code)
        .first()
    )
    if document is None:
        return None
    subject = document.case.subject
    title, _, title_en = str(document.get_kind_display()).partition(" ")
    successor = document.superseded_by
    return DocumentVerification(
        number=document.number or "",
        kind=document.kind,
        title=title,
        title_en=title_en,
        department=document.issuing_department.name,
        department_en=document.issuing_department.name_en,
        issued_on=timezone.localtime(document.issued_at).date()
        if document.issued_at
        else None,
        sha256=document.sha256,
        rendered=document.rendered_at is not None,
        current=document.is_current,
        superseded_by=successor.number or "" if successor else "",
        current_number=_current_number(document),
        subject_name=_public_name(subject),
        subject_code=subject.masked_code,
        subject_is_person=subject.is_natural_person,
    )


def _public_name(subject: Subject) -> str:
    return mask_person_name(subject.name) if subject.is_natural_person else subject.name


def _current_number(document: Document) -> str:
    """Follow the superseding chain to the document in force now ("" if none)."""
    current = document
    for _ in range(MAX_CHAIN):
        if current.superseded_by_id is None:
            return current.number or "" if current.is_current else ""
        current = Document.objects.only("number", "status", "superseded_by").get(
            pk=current.superseded_by_id
        )
    return ""
