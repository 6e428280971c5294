"""The measures catalogue and each implementing department's answer per entry."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models.expressions import Combinable
from django.db.models.functions import Length, Replace, Trim
from django.db.models.lookups import GreaterThan

from workflows.credit.models.lists import ListEntry

if TYPE_CHECKING:
    from workflows.credit.models.departments import Department


def validate_list_types(value: str) -> None:
    """Accept ",serious_dishonesty,key_attention," style sets of known list types."""
    names = value.strip(",").split(",") if value else []
    unknown = [name for name in names if name not in ListEntry.ListType.values]
    if not value.startswith(",") or not value.endswith(",") or not names or unknown:
        raise ValidationError(
            "名单类型无效: %(value)s / invalid list types: %(value)s",
            code="list_types",
            params={"value": value},
        )


def _without_whitespace(field: str) -> Combinable:
    """The field with tabs, line breaks and ideographic spaces removed, trimmed.

    TRIM alone strips only ASCII spaces on both PostgreSQL and SQLite.
    """
    expression: Combinable = models.F(field)
    for char in ("\t", "\n", "\r", "\u3000"):
        expression = Replace(expression, models.Value(char), models.Value(""))
    return Trim(expression)


class MeasureQuerySet(models.QuerySet["Measure"]):
    def active(self) -> MeasureQuerySet:
        return self.filter(active=True)

    def for_list_type(self, list_type: str) -> MeasureQuerySet:
        """Keep measures that apply to subjects on ``list_type``."""
        return self.filter(list_types__contains=f",{list_type},")

    def mandatory(self) -> MeasureQuerySet:
        return self.filter(kind=Measure.Kind.MANDATORY)


class Measure(models.Model):
    """A published joint incentive or punishment measure (措施清单 entry).

    ``list_types`` is a comma-delimited set with a comma at each end
    (",serious_dishonesty,key_attention,"), so "measures for this list" is a single
    LIKE on both PostgreSQL and SQLite; a JSON array cannot be searched by element
    on SQLite, and a table for three fixed values would be ceremony.
    """

    class Kind(models.TextChoices):
        MANDATORY = "mandatory", "依法必须联合执行 Mandatory"
        RECOMMENDED = "recommended", "推荐性 Recommended"

    code = models.CharField(max_length=32, unique=True)
    name = models.CharField(max_length=200)
    kind = models.CharField(max_length=16, choices=Kind.choices)
    implementing_department = models.ForeignKey(
        "credit.Department", on_delete=models.PROTECT, related_name="measures"
    )
    list_types = models.CharField(max_length=100, validators=[validate_list_types])
    legal_basis = models.TextField()
    active = models.BooleanField(default=True)

    objects = MeasureQuerySet.as_manager()

    class Meta:
        ordering = ["code"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(list_types__startswith=",")
                & models.Q(list_types__endswith=",")
                & models.Q(GreaterThan(Length("list_types"), 2)),
                name="credit_measure_list_types_delimited",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    @staticmethod
    def encode_list_types(list_types: Iterable[str]) -> str:
        """Return the stored form of a set of list types, in a stable order."""
        return "," + ",".join(sorted(set(list_types))) + ","

    @property
    def list_type_set(self) -> frozenset[str]:
        return frozenset(name for name in self.list_types.split(",") if name)


class MeasureApplicationQuerySet(models.QuerySet["MeasureApplication"]):
    def pending(self) -> MeasureApplicationQuerySet:
        return self.filter(status=MeasureApplication.Status.PENDING)

    def applied(self) -> MeasureApplicationQuerySet:
        return self.filter(status=MeasureApplication.Status.APPLIED)

    def for_department(self, department: Department) -> MeasureApplicationQuerySet:
        return self.filter(implementing_department=department)


class MeasureApplication(models.Model):
    """Whether an implementing department applied one measure to one list entry."""

    class Status(models.TextChoices):
        PENDING = "pending", "待反馈 Pending"
        APPLIED = "applied", "已实施 Applied"
        NOT_APPLIED = "not_applied", "未实施 Not applied"

    list_entry = models.ForeignKey(
        ListEntry, on_delete=models.PROTECT, related_name="measure_applications"
    )
    measure = models.ForeignKey(
        Measure, on_delete=models.PROTECT, related_name="applications"
    )
    implementing_department = models.ForeignKey(
        "credit.Department",
        on_delete=models.PROTECT,
        related_name="measure_applications",
    )
    status = models.CharField(
        max_length=16, choices=Status.choices, default=Status.PENDING
    )
    reason = models.TextField(blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    # Set when the entry exits and the department confirms the measure is lifted.
    lifted_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = MeasureApplicationQuerySet.as_manager()

    class Meta:
        ordering = ["list_entry_id", "measure_id"]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(status="not_applied")
                | models.Q(GreaterThan(Length(_without_whitespace("reason")), 0)),
                name="credit_measure_not_applied_has_reason",
            ),
            models.CheckConstraint(
                condition=models.Q(status="pending", decided_at__isnull=True)
                | (~models.Q(status="pending") & models.Q(decided_at__isnull=False)),
                name="credit_measure_decided_has_time",
            ),
            models.CheckConstraint(
                condition=models.Q(lifted_at__isnull=True) | models.Q(status="applied"),
                name="credit_measure_lifted_only_if_applied",
            ),
            models.UniqueConstraint(
                fields=["list_entry", "measure"], name="credit_measure_once_per_entry"
            ),
        ]
        indexes = [models.Index(fields=["implementing_department", "status"])]

    def __str__(self) -> str:
        return f"{self.measure} → {self.list_entry} ({self.status})"
