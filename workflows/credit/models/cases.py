"""Cases: objections, repairs, list decisions, red-list nominations, appeals."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.core.validators import RegexValidator
from django.db import models

from workflows.credit.models.common import Jurisdiction, Regime

if TYPE_CHECKING:
    from django.contrib.auth.models import User

    from workflows.credit.models.records import CreditRecord
    from workflows.credit.models.subjects import Subject

CASE_NUMBER_VALIDATOR = RegexValidator(
    r"^[A-Z]{2}-[0-9]{4}-[0-9]{6}$",
    "案件编号格式应为 XX-2026-000001 / a case number looks like XX-2026-000001",
)


class CaseQuerySet(models.QuerySet["Case"]):
    def open(self) -> CaseQuerySet:
        """Keep cases submitted and not yet decided or ended."""
        return self.filter(status__in=Case.OPEN_STATUSES)

    def of_type(self, case_type: str) -> CaseQuerySet:
        return self.filter(case_type=case_type)

    def for_subject(self, subject: Subject) -> CaseQuerySet:
        return self.filter(subject=subject)

    def filed_by(self, user: User) -> CaseQuerySet:
        """Keep cases where the user is the applicant or the agent."""
        return self.filter(models.Q(applicant=user) | models.Q(agent=user))

    def open_objections_on(self, record: CreditRecord) -> CaseQuerySet:
        return self.open().filter(case_type=Case.Type.OBJECTION, target_record=record)


class Case(models.Model):
    """One matter a subject or a department brings, run by one process instance.

    Numbers look like ``YY-2026-000017``: the prefix is the pinyin initials of the
    case type (see ``workflows.credit.numbering.CASE_PREFIXES``), then the year and
    a six-digit sequence that is gap-free per type and year.
    """

    class Type(models.TextChoices):
        OBJECTION = "objection", "异议 Objection"
        REPAIR = "repair", "信用修复 Repair"
        LIST_ENTRY = "list_entry", "列入名单 List entry"
        LIST_EXIT = "list_exit", "移出名单 List exit"
        REDLIST = "redlist", "红名单认定 Red-list nomination"
        APPEAL = "appeal", "复核 Appeal"

    class Channel(models.TextChoices):
        ONLINE = "online", "网上 Online"
        WINDOW = "window", "窗口 Window"

    class Status(models.TextChoices):
        DRAFT = "draft", "草稿 Draft"
        SUBMITTED = "submitted", "已提交 Submitted"
        ACCEPTED = "accepted", "已受理 Accepted"
        NOT_ACCEPTED = "not_accepted", "不予受理 Not accepted"
        SUPPLEMENT_REQUESTED = "supplement_requested", "待补正 Supplement requested"
        UNDER_REVIEW = "under_review", "审核中 Under review"
        DECIDED = "decided", "已决定 Decided"
        CLOSED = "closed", "已办结 Closed"
        WITHDRAWN = "withdrawn", "已撤回 Withdrawn"
        REJECTED = "rejected", "已驳回 Rejected"

    class Grounds(models.TextChoices):
        NONE = "", "—"
        RECORD_WRONG = "record_wrong", "信息错误或遗漏 Record wrong or incomplete"
        STILL_PUBLISHED_AFTER_PERIOD = (
            "still_published_after_period",
            "公示期满仍在公示 Still published after its period",
        )
        LISTED_WITHOUT_CRITERIA = (
            "listed_without_criteria",
            "不符合条件被列入名单 Listed without meeting the criteria",
        )
        NOT_REMOVED_WHEN_DUE = (
            "not_removed_when_due",
            "应移出未移出 Not removed when due",
        )
        OTHER_UNLAWFUL = "other_unlawful", "其他违法处理 Other unlawful processing"

    OPEN_STATUSES = (
        Status.SUBMITTED,
        Status.ACCEPTED,
        Status.SUPPLEMENT_REQUESTED,
        Status.UNDER_REVIEW,
    )
    ENDED_STATUSES = (
        Status.NOT_ACCEPTED,
        Status.CLOSED,
        Status.WITHDRAWN,
        Status.REJECTED,
    )

    case_type = models.CharField(max_length=16, choices=Type.choices)
    number = models.CharField(
        max_length=32, unique=True, validators=[CASE_NUMBER_VALIDATOR]
    )
    # Empty only for cases the system opens itself (an expiry nobody watched).
    applicant = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="credit_cases",
    )
    agent = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="credit_cases_as_agent",
    )
    power_of_attorney = models.ForeignKey(
        "credit.Attachment",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    subject = models.ForeignKey(
        "credit.Subject", on_delete=models.PROTECT, related_name="cases"
    )
    target_record = models.ForeignKey(
        "credit.CreditRecord",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="cases",
    )
    target_list_entry = models.ForeignKey(
        "credit.ListEntry",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="cases",
    )
    appeal_of = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="appeals",
    )
    channel = models.CharField(
        max_length=8, choices=Channel.choices, default=Channel.ONLINE
    )
    regime = models.CharField(max_length=32, choices=Regime.choices)
    jurisdiction = models.CharField(max_length=32, choices=Jurisdiction.choices)
    status = models.CharField(
        max_length=24, choices=Status.choices, default=Status.DRAFT
    )
    grounds = models.CharField(
        max_length=32, choices=Grounds.choices, blank=True, default=""
    )
    reason = models.TextField(blank=True)
    # Which policy versions decided this case, e.g. ["objection_time_limits@3"].
    policy_refs = models.JSONField(encoder=DjangoJSONEncoder, default=list, blank=True)
    process_instance = models.OneToOneField(
        "workflows.ProcessInstance",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="credit_case",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    decision = models.JSONField(encoder=DjangoJSONEncoder, null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)

    objects = CaseQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(target_record__isnull=True)
                | models.Q(target_list_entry__isnull=True),
                name="credit_case_one_target",
            ),
            models.CheckConstraint(
                condition=models.Q(appeal_of__isnull=True)
                | models.Q(case_type="appeal"),
                name="credit_case_appeal_of_only_for_appeals",
            ),
            models.CheckConstraint(
                condition=~models.Q(agent=models.F("applicant")),
                name="credit_case_agent_is_not_applicant",
            ),
            models.CheckConstraint(
                condition=models.Q(power_of_attorney__isnull=True)
                | models.Q(agent__isnull=False),
                name="credit_case_power_of_attorney_needs_agent",
            ),
            # An agent acts only on a power of attorney, at the latest on submission.
            models.CheckConstraint(
                condition=models.Q(agent__isnull=True)
                | models.Q(status="draft")
                | models.Q(power_of_attorney__isnull=False),
                name="credit_case_agent_has_power_of_attorney",
            ),
            models.CheckConstraint(
                condition=models.Q(grounds="")
                | models.Q(case_type__in=["objection", "appeal"]),
                name="credit_case_grounds_only_for_objections",
            ),
            models.CheckConstraint(
                condition=~models.Q(case_type="objection")
                | models.Q(status="draft")
                | ~models.Q(grounds=""),
                name="credit_case_objection_has_grounds",
            ),
            models.CheckConstraint(
                condition=~models.Q(status="decided")
                | models.Q(decided_at__isnull=False),
                name="credit_case_decided_has_time",
            ),
            models.CheckConstraint(
                condition=~models.Q(status="closed")
                | models.Q(closed_at__isnull=False),
                name="credit_case_closed_has_time",
            ),
            # A decided objection may be appealed once (复核).
            models.UniqueConstraint(
                fields=["appeal_of"],
                condition=~models.Q(status__in=["draft", "withdrawn", "not_accepted"]),
                name="credit_case_one_appeal",
            ),
        ]
        indexes = [
            models.Index(fields=["case_type", "status"]),
            models.Index(fields=["subject", "status"]),
            models.Index(fields=["created_at"]),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.get_case_type_display()}"

    @property
    def is_open(self) -> bool:
        return self.status in self.OPEN_STATUSES

    @property
    def is_ended(self) -> bool:
        return self.status in self.ENDED_STATUSES
