"""Record who downloads which file: every download of a case file is audited."""

from __future__ import annotations

from pathlib import Path

from django.contrib.auth.models import User
from django.db import transaction

from audit.services import record
from workflows.credit.models import Attachment, Document
from workflows.errors import ConflictError


@transaction.atomic
def attachment_download(*, actor: User, attachment: Attachment) -> Path:
    """Audit the download of an attachment and return where its bytes are."""
    case = attachment.case
    record(
        action="attachment.download",
        actor=actor,
        target=attachment,
        case_number=case.number if case is not None else "",
        after={"size": attachment.size, "sha256": attachment.sha256},
    )
    return attachment.path


@transaction.atomic
def document_download(*, actor: User, document: Document) -> Path:
    """Audit the download of a rendered document and return where its PDF is."""
    path = document.path
    if path is None:
        raise ConflictError("文书正在生成 / the document is still being prepared")
    record(
        action="document.download",
        actor=actor,
        target=document,
        case_number=document.case.number,
        after={"number": document.number, "sha256": document.sha256},
    )
    return path
