"""Credit subjects (companies, organisations, people) and their commitments."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models

from workflows.credit.identifiers import (
    mask_identifier,
    validate_resident_id,
    validate_uscc,
)

if TYPE_CHECKING:
    from django.contrib.auth.models import User


class SubjectQuerySet(models.QuerySet["Subject"]):
    def organisations(self) -> SubjectQuerySet:
        return self.exclude(kind=Subject.Kind.NATURAL_PERSON)

    def natural_persons(self) -> SubjectQuerySet:
        return self.filter(kind=Subject.Kind.NATURAL_PERSON)

    def represented_by(self, user: User) -> SubjectQuerySet:
        """Keep the subjects the user may act for."""
        return self.filter(accounts=user)


class Subject(models.Model):
    """A credit subject: a legal person, another organisation or a natural person.

    ``code`` is the unified social credit code of an organisation or the resident ID
    number of a person; :meth:`clean` checks it against the subject's kind.
    """

    class Kind(models.TextChoices):
        LEGAL_PERSON = "legal_person", "法人 Legal person"
        OTHER_ORGANISATION = "other_organisation", "非法人组织 Other organisation"
        NATURAL_PERSON = "natural_person", "自然人 Natural person"

    kind = models.CharField(max_length=24, choices=Kind.choices)
    name = models.CharField(max_length=200)
    code = models.CharField(max_length=18, unique=True)
    legal_representative = models.CharField(max_length=100, blank=True)
    contact_phone = models.CharField(max_length=32, blank=True)
    contact_email = models.EmailField(blank=True)
    accounts = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="credit_subjects"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = SubjectQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        indexes = [models.Index(fields=["name"])]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(kind="natural_person")
                | models.Q(legal_representative=""),
                name="credit_subject_person_has_no_representative",
            ),
        ]
        permissions = [
            (
                "view_full_identifier",
                "Can see full personal ID numbers (each view is audited)",
            )
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.masked_code})"

    def clean(self) -> None:
        validator = validate_resident_id if self.is_natural_person else validate_uscc
        try:
            validator(self.code)
        except ValidationError as exc:
            raise ValidationError({"code": exc.error_list}) from exc

    @property
    def is_natural_person(self) -> bool:
        return self.kind == self.Kind.NATURAL_PERSON

    @property
    def masked_code(self) -> str:
        """The code as shown to people without the right to see ID numbers."""
        return mask_identifier(self.code) if self.is_natural_person else self.code


class CreditCommitmentQuerySet(models.QuerySet["CreditCommitment"]):
    def pending(self) -> CreditCommitmentQuerySet:
        return self.filter(status=CreditCommitment.Status.PENDING)

    def broken(self) -> CreditCommitmentQuerySet:
        return self.filter(status=CreditCommitment.Status.BROKEN)


class CreditCommitment(models.Model):
    """A written credit commitment (信用承诺) and whether it was kept."""

    class Status(models.TextChoices):
        PENDING = "pending", "履行中 Pending"
        KEPT = "kept", "已履行 Kept"
        BROKEN = "broken", "未履行 Broken"

    subject = models.ForeignKey(
        Subject, on_delete=models.PROTECT, related_name="commitments"
    )
    case = models.ForeignKey(
        "credit.Case",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="commitments",
    )
    text = models.TextField()
    signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    signed_at = models.DateTimeField()
    status = models.CharField(
        max_length=8, choices=Status.choices, default=Status.PENDING
    )

    objects = CreditCommitmentQuerySet.as_manager()

    class Meta:
        ordering = ["-signed_at"]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(text=""), name="credit_commitment_has_text"
            ),
        ]
        indexes = [models.Index(fields=["subject", "status"])]

    def __str__(self) -> str:
        return f"{self.subject} {self.signed_at:%Y-%m-%d} ({self.status})"
