"""Read departments and memberships."""

from __future__ import annotations

from django.contrib.auth.models import User

from workflows.credit.models import Department, Membership
from workflows.credit.models.departments import DepartmentQuerySet, MembershipQuerySet
from workflows.errors import NotFoundError

DEPARTMENT_KINDS = ("credit_office", "source", "implementing")


def department_get(*, code: str) -> Department:
    """Return the department with this code, or raise NotFoundError."""
    department = Department.objects.filter(code=code).first()
    if department is None:
        raise NotFoundError(f"no department {code!r}")
    return department


def department_list(
    *, kind: str | None = None, include_inactive: bool = False
) -> DepartmentQuerySet:
    """Return departments, optionally only those of one kind, ordered by code."""
    departments = Department.objects.all()
    if not include_inactive:
        departments = departments.active()
    if kind is None:
        return departments
    if kind not in DEPARTMENT_KINDS:
        raise ValueError(f"unknown department kind {kind!r}")
    return departments.filter(**{f"is_{kind}": True})


def membership_list_for_user(*, user: User) -> MembershipQuerySet:
    """Return the user's roles in active departments, with the department loaded."""
    return (
        Membership.objects.for_user(user)
        .in_active_departments()
        .select_related("department")
    )
