"""Files a case carries: uploaded attachments and the documents the system issues."""

from __future__ import annotations

import base64
import secrets
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models

MAX_ATTACHMENT_SIZE = 20 * 1024 * 1024


def attachment_directory() -> Path:
    """Return where attachment bytes live: under MEDIA_ROOT, never served directly."""
    return Path(settings.MEDIA_ROOT) / "attachments"


def new_verification_code() -> str:
    """Return an unguessable verification code: 16 base32 characters (80 bits)."""
    return base64.b32encode(secrets.token_bytes(10)).decode("ascii")


def documents_directory() -> Path:
    """Return where rendered PDFs live: under VAR_DIR, outside any web root."""
    default = Path(settings.VAR_DIR) / "documents"
    return Path(getattr(settings, "DOCUMENTS_DIR", default))


class AttachmentQuerySet(models.QuerySet["Attachment"]):
    def of_kind(self, kind: str) -> AttachmentQuerySet:
        return self.filter(kind=kind)

    def staged(self) -> AttachmentQuerySet:
        """Keep uploads not yet attached to a case (they await the filing)."""
        return self.filter(case__isnull=True)

    def staged_by(self, user: Any) -> AttachmentQuerySet:
        """Keep the user's own uploads that await the filing of a case."""
        return self.staged().filter(uploaded_by=user)


class Attachment(models.Model):
    """An uploaded file of a case; the bytes sit on disk under a random name.

    A file uploaded before its case is filed is *staged*: it has no case yet and
    belongs to whoever uploaded it, until the filing attaches it (or a daily job
    removes it once stale).
    """

    class Kind(models.TextChoices):
        EVIDENCE = "evidence", "证据材料 Evidence"
        PROOF = "proof", "整改证明 Proof of correction"
        COMMITMENT_LETTER = "commitment_letter", "信用承诺书 Commitment letter"
        POWER_OF_ATTORNEY = "power_of_attorney", "授权委托书 Power of attorney"
        OTHER = "other", "其他 Other"

    # Null while staged: uploaded ahead of the filing that attaches it.
    case = models.ForeignKey(
        "credit.Case",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="attachments",
    )
    kind = models.CharField(max_length=24, choices=Kind.choices)
    original_name = models.CharField(max_length=255)
    stored_name = models.CharField(max_length=64, unique=True, editable=False)
    content_type = models.CharField(max_length=100)
    size = models.PositiveBigIntegerField()
    sha256 = models.CharField(max_length=64, db_index=True)
    # Null when a process step attached it (e.g. proof fetched from own data).
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)

    objects = AttachmentQuerySet.as_manager()

    class Meta:
        ordering = ["uploaded_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(size__gt=0, size__lte=MAX_ATTACHMENT_SIZE),
                name="credit_attachment_size_limit",
            ),
            # A staged upload is owned by its uploader until a filing attaches it.
            models.CheckConstraint(
                condition=models.Q(case__isnull=False)
                | models.Q(uploaded_by__isnull=False),
                name="credit_attachment_staged_has_owner",
            ),
        ]
        indexes = [
            models.Index(
                fields=["uploaded_by", "uploaded_at"],
                condition=models.Q(case__isnull=True),
                name="credit_attachment_staged",
            )
        ]

    def __str__(self) -> str:
        return f"{self.original_name} ({self.get_kind_display()})"

    @property
    def is_staged(self) -> bool:
        """True until a filing attaches the upload to its case."""
        return self.case_id is None

    @property
    def path(self) -> Path:
        return attachment_directory() / self.stored_name


class DocumentQuerySet(models.QuerySet["Document"]):
    def issued(self) -> DocumentQuerySet:
        return self.filter(status=Document.Status.ISSUED)

    def of_kind(self, kind: str) -> DocumentQuerySet:
        return self.filter(kind=kind)

    def unrendered(self) -> DocumentQuerySet:
        """Keep documents whose PDF has not been stored yet."""
        return self.filter(rendered_at__isnull=True).exclude(
            status=Document.Status.PENDING
        )


class Document(models.Model):
    """A document the system issues on a case (the PDF is rendered from payload).

    A reissued document supersedes the earlier one, which keeps its number. Once
    rendered (``rendered_at`` set) the PDF, its sha256 and its file never change.
    """

    class Kind(models.TextChoices):
        ACCEPTANCE = "acceptance", "受理通知书 Acceptance notice"
        NON_ACCEPTANCE = "non_acceptance", "不予受理通知书 Non-acceptance notice"
        SUPPLEMENT_REQUEST = "supplement_request", "补正材料通知书 Supplement request"
        OBJECTION_DECISION = "objection_decision", "异议处理决定书 Objection decision"
        REPAIR_DECISION = "repair_decision", "信用修复决定书 Repair decision"
        PRIOR_NOTICE = "prior_notice", "事先告知书 Prior notice"
        LISTING_DECISION = "listing_decision", "列入名单决定书 Listing decision"
        EXIT_DECISION = "exit_decision", "移出名单决定书 Exit decision"
        REPAIR_NOTICE = "repair_notice", "信用修复告知书 Repair notice"
        MEASURES_NOTICE = "measures_notice", "联合惩戒措施告知 Measures notice"

    class Status(models.TextChoices):
        PENDING = "pending", "待出具 Pending"
        ISSUED = "issued", "已出具 Issued"
        SUPERSEDED = "superseded", "已被替代 Superseded"

    case = models.ForeignKey(
        "credit.Case", on_delete=models.PROTECT, related_name="documents"
    )
    kind = models.CharField(max_length=24, choices=Kind.choices)
    # 文号 (official document number); assigned when the document is issued.
    number = models.CharField(max_length=64, null=True, blank=True, unique=True)
    issuing_department = models.ForeignKey(
        "credit.Department", on_delete=models.PROTECT, related_name="documents"
    )
    issued_at = models.DateTimeField(null=True, blank=True)
    sha256 = models.CharField(max_length=64, blank=True)
    status = models.CharField(
        max_length=16, choices=Status.choices, default=Status.PENDING
    )
    superseded_by = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="supersedes",
    )
    payload = models.JSONField(encoder=DjangoJSONEncoder, default=dict, blank=True)
    # Printed on the PDF and in its QR code; /verify/<code> looks the document up.
    verification_code = models.CharField(
        max_length=16, unique=True, default=new_verification_code, editable=False
    )
    # Relative to documents_directory(); set with sha256 when the PDF is stored.
    file_name = models.CharField(max_length=128, blank=True)
    rendered_at = models.DateTimeField(null=True, blank=True)
    # The last rendering failure, kept until a rendering succeeds.
    render_error = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = DocumentQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status="pending")
                | models.Q(number__isnull=False, issued_at__isnull=False),
                name="credit_document_issued_has_number",
            ),
            models.CheckConstraint(
                condition=models.Q(status="superseded", superseded_by__isnull=False)
                | (
                    ~models.Q(status="superseded")
                    & models.Q(superseded_by__isnull=True)
                ),
                name="credit_document_superseded_has_successor",
            ),
            models.CheckConstraint(
                condition=~models.Q(superseded_by=models.F("pk")),
                name="credit_document_not_superseded_by_itself",
            ),
            models.CheckConstraint(
                condition=models.Q(rendered_at__isnull=True, sha256="", file_name="")
                | (
                    models.Q(rendered_at__isnull=False)
                    & ~models.Q(sha256="")
                    & ~models.Q(file_name="")
                ),
                name="credit_document_rendered_has_file_and_hash",
            ),
        ]
        indexes = [models.Index(fields=["case", "kind"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.number or '(pending)'}"

    @property
    def is_being_prepared(self) -> bool:
        """True until the PDF is rendered and stored (the case view says so)."""
        return self.rendered_at is None

    @property
    def is_current(self) -> bool:
        """True for an issued document that nothing has superseded."""
        return self.status == self.Status.ISSUED

    @property
    def path(self) -> Path | None:
        """Where the rendered PDF is, or None before rendering."""
        return documents_directory() / self.file_name if self.file_name else None
