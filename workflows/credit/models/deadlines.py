"""Time limits on a case, each with its provisional flag."""

from __future__ import annotations

import datetime as dt

from django.core.validators import RegexValidator
from django.db import models

DEADLINE_KIND_VALIDATOR = RegexValidator(
    r"^[a-z][a-z0-9_]{0,31}$",
    "期限类型为小写字母、数字和下划线 / a deadline kind is lower_snake_case",
)


class CaseDeadlineQuerySet(models.QuerySet["CaseDeadline"]):
    def pending(self) -> CaseDeadlineQuerySet:
        return self.filter(met_at__isnull=True)

    def overdue(self, now: dt.datetime) -> CaseDeadlineQuerySet:
        return self.pending().filter(due_at__lt=now)

    def provisional(self) -> CaseDeadlineQuerySet:
        return self.filter(provisional=True)


class CaseDeadline(models.Model):
    """A time limit on a case and whether it was met.

    ``provisional`` marks a due date computed with the Monday-Friday fallback for a
    year the holiday calendar does not know yet; recompute it once the year is in.
    ``kind`` is a free key ("formal_check", "verify", "supplement", ...) because the
    BPMN models and their policies name the limits, not this table.
    """

    case = models.ForeignKey(
        "credit.Case", on_delete=models.PROTECT, related_name="deadlines"
    )
    kind = models.CharField(max_length=32, validators=[DEADLINE_KIND_VALIDATOR])
    due_at = models.DateTimeField()
    provisional = models.BooleanField(default=False)
    working_days = models.PositiveSmallIntegerField(null=True, blank=True)
    # Which policy version gave the limit, e.g. "objection_time_limits@3".
    policy_ref = models.CharField(max_length=100, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    met_at = models.DateTimeField(null=True, blank=True)

    objects = CaseDeadlineQuerySet.as_manager()

    class Meta:
        ordering = ["due_at", "id"]
        indexes = [
            models.Index(fields=["case", "kind"]),
            models.Index(
                fields=["due_at"],
                condition=models.Q(met_at__isnull=True),
                name="credit_deadline_pending_due",
            ),
        ]

    def __str__(self) -> str:
        flag = " (provisional)" if self.provisional else ""
        return f"{self.kind} due {self.due_at:%Y-%m-%d %H:%M}{flag}"

    @property
    def is_met(self) -> bool:
        return self.met_at is not None
