"""Entries on the serious-dishonesty, key-attention and red lists."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from django.db import models

if TYPE_CHECKING:
    from workflows.credit.models.subjects import Subject


class ListEntryQuerySet(models.QuerySet["ListEntry"]):
    def live(self) -> ListEntryQuerySet:
        """Keep entries proposed, noticed or listed (not yet ended)."""
        return self.filter(status__in=ListEntry.LIVE_STATUSES)

    def listed(self) -> ListEntryQuerySet:
        return self.filter(status=ListEntry.Status.LISTED)

    def of_type(self, list_type: str) -> ListEntryQuerySet:
        return self.filter(list_type=list_type)

    def for_subject(self, subject: Subject) -> ListEntryQuerySet:
        return self.filter(subject=subject)

    def in_force_on(self, on: dt.date) -> ListEntryQuerySet:
        """Keep listed entries whose validity covers ``on``."""
        return (
            self.listed()
            .filter(valid_from__lte=on)
            .filter(models.Q(valid_to__isnull=True) | models.Q(valid_to__gte=on))
        )

    def expired_before(self, on: dt.date) -> ListEntryQuerySet:
        """Keep listed entries whose last valid day is before ``on`` (due to exit)."""
        return self.listed().filter(valid_to__lt=on)


class ListEntry(models.Model):
    """A subject on a list: proposed, noticed, listed, then exited or revoked."""

    class ListType(models.TextChoices):
        SERIOUS_DISHONESTY = (
            "serious_dishonesty",
            "严重失信主体名单 Serious-dishonesty list",
        )
        KEY_ATTENTION = "key_attention", "重点关注名单 Key-attention list"
        RED = "red", "守信红名单 Red list"

    class Status(models.TextChoices):
        PROPOSED = "proposed", "拟列入 Proposed"
        NOTICED = "noticed", "已事先告知 Noticed"
        LISTED = "listed", "已列入 Listed"
        EXITED = "exited", "已移出 Exited"
        REVOKED = "revoked", "已撤销 Revoked"

    class ExitReason(models.TextChoices):
        NONE = "", "—"
        EXPIRY = "expiry", "有效期届满 Expiry"
        REPAIR = "repair", "信用修复 Repair"
        OBJECTION_UPHELD = "objection_upheld", "异议成立 Objection upheld"
        REVOCATION = "revocation", "撤销 Revocation"
        NEW_DISHONESTY_RECORD = (
            "new_dishonesty_record",
            "新增失信记录 New dishonesty record",
        )

    LIVE_STATUSES = (Status.PROPOSED, Status.NOTICED, Status.LISTED)

    list_type = models.CharField(max_length=24, choices=ListType.choices)
    subject = models.ForeignKey(
        "credit.Subject", on_delete=models.PROTECT, related_name="list_entries"
    )
    deciding_department = models.ForeignKey(
        "credit.Department", on_delete=models.PROTECT, related_name="list_entries"
    )
    decision_number = models.CharField(max_length=100, blank=True)
    basis = models.TextField()
    valid_from = models.DateField(null=True, blank=True)
    valid_to = models.DateField(null=True, blank=True)
    status = models.CharField(
        max_length=16, choices=Status.choices, default=Status.PROPOSED
    )
    exit_reason = models.CharField(
        max_length=24, choices=ExitReason.choices, blank=True, default=""
    )
    exited_at = models.DateTimeField(null=True, blank=True)
    record = models.ForeignKey(
        "credit.CreditRecord",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="list_entries",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ListEntryQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name_plural = "list entries"
        constraints = [
            models.CheckConstraint(
                condition=models.Q(valid_from__isnull=True)
                | models.Q(valid_to__isnull=True)
                | models.Q(valid_to__gte=models.F("valid_from")),
                name="credit_list_entry_valid_range",
            ),
            models.CheckConstraint(
                condition=~models.Q(status__in=["listed", "exited"])
                | models.Q(valid_from__isnull=False),
                name="credit_list_entry_listed_has_valid_from",
            ),
            models.CheckConstraint(
                condition=~models.Q(status="exited")
                | (~models.Q(exit_reason="") & models.Q(exited_at__isnull=False)),
                name="credit_list_entry_exit_has_reason_and_time",
            ),
            models.CheckConstraint(
                condition=models.Q(exit_reason="")
                | models.Q(status__in=["exited", "revoked"]),
                name="credit_list_entry_reason_only_when_ended",
            ),
            # One live entry per record and list: a second proposal on the same
            # record waits until the first has ended.
            models.UniqueConstraint(
                fields=["list_type", "record"],
                condition=models.Q(
                    status__in=["proposed", "noticed", "listed"],
                    record__isnull=False,
                ),
                name="credit_list_entry_one_live_per_record",
            ),
        ]
        indexes = [
            models.Index(fields=["status", "valid_to"]),
            models.Index(fields=["subject", "list_type", "status"]),
        ]

    def __str__(self) -> str:
        return f"{self.get_list_type_display()} {self.decision_number or self.pk}"

    @property
    def is_live(self) -> bool:
        return self.status in self.LIVE_STATUSES
