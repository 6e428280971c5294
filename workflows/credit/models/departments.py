"""Departments and who works in them, in which role."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.db.models.functions import Upper

from workflows.credit.models.common import Jurisdiction

if TYPE_CHECKING:
    from django.contrib.auth.models import User

DEPARTMENT_CODE_VALIDATOR = RegexValidator(
    r"^[A-Z][A-Z0-9_]{0,15}$",
    "部门代码为最多16位大写字母、数字或下划线, 以字母开头 / "
    "a department code is up to 16 upper-case letters, digits or underscores, "
    "starting with a letter",
)


class DepartmentQuerySet(models.QuerySet["Department"]):
    def active(self) -> DepartmentQuerySet:
        return self.filter(active=True)

    def credit_offices(self) -> DepartmentQuerySet:
        return self.filter(is_credit_office=True)

    def sources(self) -> DepartmentQuerySet:
        return self.filter(is_source=True)

    def implementing(self) -> DepartmentQuerySet:
        return self.filter(is_implementing=True)


class Department(models.Model):
    """A government body in the system: credit office, source or implementing.

    The three kinds are flags, not one choice: a market-supervision bureau produces
    records (source) and also applies measures to listed subjects (implementing), and
    a flag keeps "all implementing departments" a plain indexed filter.
    """

    code = models.CharField(
        max_length=16, unique=True, validators=[DEPARTMENT_CODE_VALIDATOR]
    )
    name = models.CharField(max_length=100)
    name_en = models.CharField(max_length=200, blank=True)
    is_credit_office = models.BooleanField(default=False)
    is_source = models.BooleanField(default=False)
    is_implementing = models.BooleanField(default=False)
    jurisdiction = models.CharField(max_length=32, choices=Jurisdiction.choices)
    active = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = DepartmentQuerySet.as_manager()

    class Meta:
        ordering = ["code"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(is_credit_office=True)
                | models.Q(is_source=True)
                | models.Q(is_implementing=True),
                name="credit_department_has_a_kind",
            ),
            # The code names role groups ("SCJ.reviewer"): no dot, one spelling.
            models.CheckConstraint(
                condition=models.Q(code=Upper("code"))
                & ~models.Q(code="")
                & ~models.Q(code__contains="."),
                name="credit_department_code_upper",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    def group_name(self, role: str) -> str:
        """Return the name of the auth group of this department's ``role``."""
        return role_group_name(self.code, role)

    @property
    def kinds(self) -> list[str]:
        """Say which kinds of department this is, as stable keys."""
        flags = (
            ("credit_office", self.is_credit_office),
            ("source", self.is_source),
            ("implementing", self.is_implementing),
        )
        return [kind for kind, flag in flags if flag]


def role_group_name(department_code: str, role: str) -> str:
    """Return the candidate-group name BPMN uses, e.g. ``"SCJ.reviewer"``."""
    return f"{department_code}.{role}"


class MembershipQuerySet(models.QuerySet["Membership"]):
    def for_user(self, user: User) -> MembershipQuerySet:
        return self.filter(user=user)

    def with_role(self, role: str) -> MembershipQuerySet:
        return self.filter(role=role)

    def in_active_departments(self) -> MembershipQuerySet:
        return self.filter(department__active=True)


class Membership(models.Model):
    """A user holds a role in a department; mirrored by the "CODE.role" group."""

    class Role(models.TextChoices):
        REVIEWER = "reviewer", "经办人 Reviewer"
        SECTION_CHIEF = "section_chief", "科室负责人 Section chief"
        HEAD = "head", "部门负责人 Department head"
        CLERK = "clerk", "窗口经办人 Clerk"
        OFFICER = "officer", "实施部门经办人 Implementing officer"

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="credit_memberships",
    )
    department = models.ForeignKey(
        Department, on_delete=models.PROTECT, related_name="memberships"
    )
    role = models.CharField(max_length=16, choices=Role.choices)
    granted_at = models.DateTimeField(auto_now_add=True)
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    objects = MembershipQuerySet.as_manager()

    class Meta:
        ordering = ["department__code", "role", "user_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "department", "role"],
                name="credit_membership_unique",
            ),
        ]
        indexes = [models.Index(fields=["department", "role"])]

    def __str__(self) -> str:
        return f"{self.user} {self.group_name}"

    @property
    def group_name(self) -> str:
        return role_group_name(self.department.code, self.role)
