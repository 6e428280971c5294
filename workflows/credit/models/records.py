"""Credit records (what a source department published) and their corrections."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models

from workflows.credit.models.common import Jurisdiction, Regime

if TYPE_CHECKING:
    from workflows.credit.models.subjects import Subject


class CreditRecordQuerySet(models.QuerySet["CreditRecord"]):
    def visible(self) -> CreditRecordQuerySet:
        """Keep records still shown to the public (possibly marked or suspended)."""
        return self.filter(status__in=CreditRecord.VISIBLE_STATUSES)

    def dishonesty(self) -> CreditRecordQuerySet:
        """Keep records of dishonesty (everything but licences)."""
        return self.exclude(category=CreditRecord.Category.ADMINISTRATIVE_LICENCE)

    def for_subject(self, subject: Subject) -> CreditRecordQuerySet:
        return self.filter(subject=subject)

    def publication_ended(self, on: dt.date) -> CreditRecordQuerySet:
        """Keep visible records whose publicity period ended before ``on``."""
        return self.visible().filter(publication_end_date__lt=on)

    def repairable_on(self, on: dt.date) -> CreditRecordQuerySet:
        """Keep visible records whose earliest repair date is on or before ``on``."""
        return self.visible().filter(earliest_repair_date__lte=on)


class CreditRecord(models.Model):
    """One piece of credit information about a subject, as its source published it.

    The grade is stored as the source gave it, on its own scale: the national scheme
    of 2025 grades 轻微/一般/严重, older local plans 一般/较重/严重.
    """

    class Category(models.TextChoices):
        ADMINISTRATIVE_PENALTY = (
            "administrative_penalty",
            "行政处罚 Administrative penalty",
        )
        ADMINISTRATIVE_LICENCE = (
            "administrative_licence",
            "行政许可 Administrative licence",
        )
        LIST_ENTRY = "list_entry", "名单信息 List entry"
        ABNORMAL_OPERATION = "abnormal_operation", "经营异常 Abnormal operation"
        OTHER = "other", "其他失信信息 Other"

    class Scale(models.TextChoices):
        NATIONAL_2025 = "national_2025", "轻微/一般/严重 National scale (2025)"
        LEGACY = "legacy", "一般/较重/严重 Legacy local scale"

    class Grade(models.TextChoices):
        NONE = "", "— None (licence)"
        MINOR = "minor", "轻微 Minor"
        GENERAL = "general", "一般 General"
        MAJOR = "major", "较重 Major"
        SERIOUS = "serious", "严重 Serious"

    class Status(models.TextChoices):
        PUBLISHED = "published", "公示中 Published"
        UNDER_OBJECTION = "under_objection", "异议处理中 Under objection"
        MEASURES_SUSPENDED = "measures_suspended", "暂停惩戒 Measures suspended"
        PUBLICATION_STOPPED = "publication_stopped", "已停止公示 Publication stopped"
        CORRECTED = "corrected", "已更正 Corrected"
        DELETED = "deleted", "已删除 Deleted"

    GRADES_BY_SCALE = {
        Scale.NATIONAL_2025: (Grade.MINOR, Grade.GENERAL, Grade.SERIOUS),
        Scale.LEGACY: (Grade.GENERAL, Grade.MAJOR, Grade.SERIOUS),
    }
    VISIBLE_STATUSES = (
        Status.PUBLISHED,
        Status.UNDER_OBJECTION,
        Status.MEASURES_SUSPENDED,
        Status.CORRECTED,
    )

    subject = models.ForeignKey(
        "credit.Subject", on_delete=models.PROTECT, related_name="credit_records"
    )
    source_department = models.ForeignKey(
        "credit.Department", on_delete=models.PROTECT, related_name="credit_records"
    )
    category = models.CharField(max_length=32, choices=Category.choices)
    scale = models.CharField(
        max_length=16, choices=Scale.choices, default=Scale.NATIONAL_2025
    )
    grade = models.CharField(max_length=8, choices=Grade.choices, blank=True)
    regime = models.CharField(max_length=32, choices=Regime.choices)
    jurisdiction = models.CharField(max_length=32, choices=Jurisdiction.choices)
    decision_number = models.CharField(max_length=100, blank=True)
    decision_date = models.DateField()
    published_at = models.DateTimeField(null=True, blank=True)
    earliest_repair_date = models.DateField(null=True, blank=True)
    publication_end_date = models.DateField(null=True, blank=True)
    status = models.CharField(
        max_length=24, choices=Status.choices, default=Status.PUBLISHED
    )
    content = models.JSONField(encoder=DjangoJSONEncoder, default=dict, blank=True)
    repair_count = models.PositiveSmallIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = CreditRecordQuerySet.as_manager()

    class Meta:
        ordering = ["-decision_date", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(grade="")
                | models.Q(
                    scale="national_2025", grade__in=["minor", "general", "serious"]
                )
                | models.Q(scale="legacy", grade__in=["general", "major", "serious"]),
                name="credit_record_grade_on_its_scale",
            ),
            # Licences are not graded; every dishonesty record is.
            models.CheckConstraint(
                condition=models.Q(category="administrative_licence", grade="")
                | (~models.Q(category="administrative_licence") & ~models.Q(grade="")),
                name="credit_record_graded_unless_licence",
            ),
            models.CheckConstraint(
                condition=models.Q(earliest_repair_date__isnull=True)
                | models.Q(publication_end_date__isnull=True)
                | models.Q(earliest_repair_date__lte=models.F("publication_end_date")),
                name="credit_record_repair_before_end",
            ),
            models.CheckConstraint(
                condition=models.Q(publication_end_date__isnull=True)
                | models.Q(publication_end_date__gte=models.F("decision_date")),
                name="credit_record_end_after_decision",
            ),
            # One decision on one subject is one record per category (re-imports
            # of the same decision must update, not duplicate).
            models.UniqueConstraint(
                fields=["subject", "source_department", "category", "decision_number"],
                condition=~models.Q(decision_number=""),
                name="credit_record_decision_unique",
            ),
        ]
        indexes = [
            models.Index(fields=["status", "publication_end_date"]),
            models.Index(fields=["status", "earliest_repair_date"]),
            models.Index(fields=["subject", "status"]),
            models.Index(fields=["decision_number"]),
        ]

    def __str__(self) -> str:
        number = self.decision_number or f"#{self.pk}"
        return f"{self.get_category_display()} {number}"

    @property
    def is_visible(self) -> bool:
        return self.status in self.VISIBLE_STATUSES


class RecordCorrection(models.Model):
    """One change applied to a record, with the values before and after.

    Append-only history: services only ever insert rows, and the admin cannot
    change or delete them.
    """

    record = models.ForeignKey(
        CreditRecord, on_delete=models.PROTECT, related_name="corrections"
    )
    case = models.ForeignKey(
        "credit.Case",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="record_corrections",
    )
    before = models.JSONField(encoder=DjangoJSONEncoder)
    after = models.JSONField(encoder=DjangoJSONEncoder)
    reason = models.TextField(blank=True)
    # Null when a process step (the system) applied it.
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    changed_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["changed_at", "id"]

    def __str__(self) -> str:
        return f"correction of record {self.record_id} at {self.changed_at:%Y-%m-%d}"
