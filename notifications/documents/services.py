"""Render a document once, store the PDF and its sha256, audit it."""

from __future__ import annotations

import hashlib
import os
import re
import tempfile
from datetime import timedelta
from pathlib import Path
from typing import Final

from django.db import transaction
from django.utils import timezone

from audit.services import record
from notifications.documents.pdf import document_pdf
from workflows.credit.models import Document
from workflows.credit.models.documents import documents_directory

MAX_ERROR_LENGTH: Final = 2000
_NUMBER_TAIL = re.compile(r"〔(?P<year>\d{4})〕(?P<serial>\d+)号$")


class DocumentAlreadyRenderedError(RuntimeError):
    """A rendered document is immutable: its PDF and sha256 never change."""


class DocumentNotIssuedError(RuntimeError):
    """A pending document has no number yet, so there is nothing to print."""


def document_file_name(document: Document) -> str:
    """Name the PDF after the number: ``2026/SCJ-objection_decision-000017.pdf``.

    ASCII only, no randomness: the number is unique, so is the name.
    """
    number = document.number or ""
    match = _NUMBER_TAIL.search(number)
    if match is None:
        raise ValueError(f"document {document.pk} has no number of the usual shape")
    department = document.issuing_department.code
    serial = int(match["serial"])
    return f"{match['year']}/{department}-{document.kind}-{serial:06d}.pdf"


def document_render(*, document_id: int) -> Document:
    """Render an issued document's PDF, store it and its sha256, and audit that.

    Raises DocumentAlreadyRenderedError if it was rendered before: the stored PDF
    is what was issued and stays so.
    """
    document = _load(document_id)
    if document.rendered_at is not None:
        raise DocumentAlreadyRenderedError(f"{document.number} is already rendered")
    if document.status == Document.Status.PENDING:
        raise DocumentNotIssuedError(f"document {document_id} is not issued yet")
    # The slow part runs outside the transaction; the lock is taken only to store.
    pdf = document_pdf(document)
    digest = hashlib.sha256(pdf).hexdigest()
    name = document_file_name(document)
    with transaction.atomic():
        locked = Document.objects.select_for_update().get(pk=document_id)
        if locked.rendered_at is not None:
            raise DocumentAlreadyRenderedError(f"{locked.number} is already rendered")
        # Written while the row is locked and not yet rendered: no one else
        # writes this name now, and a rollback leaves a file the retry replaces.
        _write_atomically(documents_directory() / name, pdf)
        locked.file_name = name
        locked.sha256 = digest
        locked.rendered_at = timezone.now()
        locked.render_error = ""
        locked.save(
            update_fields=["file_name", "sha256", "rendered_at", "render_error"]
        )
        record(
            action="document.render",
            actor=None,
            system="documents",
            target=locked,
            case_number=locked.case.number,
            detail={
                "number": locked.number,
                "sha256": digest,
                "bytes": len(pdf),
                "file": name,
            },
        )
    return locked


def document_render_failed(*, document_id: int, error: BaseException) -> None:
    """Record on the row why rendering failed (kept until a rendering succeeds)."""
    message = f"{type(error).__name__}: {error}"[:MAX_ERROR_LENGTH]
    Document.objects.filter(pk=document_id, rendered_at__isnull=True).update(
        render_error=message
    )


def documents_awaiting_render(*, older_than: timedelta) -> list[int]:
    """Return the ids of issued documents still unrendered after ``older_than``."""
    cutoff = timezone.now() - older_than
    return list(
        Document.objects.unrendered()
        .filter(created_at__lte=cutoff)
        .order_by("created_at")
        .values_list("pk", flat=True)
    )


def _load(document_id: int) -> Document:
    return Document.objects.select_related(
        "issuing_department",
        "case__subject",
        "case__target_record__source_department",
        "case__target_list_entry",
        "case__appeal_of__target_record__source_department",
    ).get(pk=document_id)


def _write_atomically(path: Path, content: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, suffix=".part")
    try:
        with os.fdopen(handle, "wb") as file:
            file.write(content)
            file.flush()
            os.fsync(file.fileno())
        os.chmod(temporary, 0o640)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
