"""Create departments and grant or revoke roles in them, keeping groups in sync.

Every (department, role) pair is an auth group named "CODE.role" ("SCJ.reviewer"):
BPMN lanes name these as candidate groups. A member is also put in the runtime's
role group ("reviewer", "department_head", ...) that carries the role's standing
permissions, and taken out again when they hold that role in no department.
"""

from __future__ import annotations

from typing import Any, Final

from django.contrib.auth.models import Group, User
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from audit.services import record
from workflows import roles
from workflows.credit.models import Department, Membership
from workflows.errors import ConflictError, InvalidInputError, NotFoundError
from workflows.policies import require_permission

Actor = User | None
SYSTEM: Final = "credit"

# Membership role -> the runtime's role group with that role's standing permissions.
ROLE_GROUPS: Final[dict[str, str]] = {
    Membership.Role.REVIEWER: roles.REVIEWER,
    Membership.Role.SECTION_CHIEF: roles.SECTION_CHIEF,
    Membership.Role.HEAD: roles.DEPARTMENT_HEAD,
    Membership.Role.CLERK: roles.CREDIT_OFFICE_CLERK,
    Membership.Role.OFFICER: roles.IMPLEMENTING_OFFICER,
}


@transaction.atomic
def department_create(
    *,
    actor: Actor,
    code: str,
    name: str,
    jurisdiction: str,
    name_en: str = "",
    is_credit_office: bool = False,
    is_source: bool = False,
    is_implementing: bool = False,
) -> Department:
    """Create a department and one auth group per role ("SCJ.reviewer", ...)."""
    require_permission(actor, "credit.add_department", "create departments")
    department = Department(
        code=code,
        name=name,
        name_en=name_en,
        jurisdiction=jurisdiction,
        is_credit_office=is_credit_office,
        is_source=is_source,
        is_implementing=is_implementing,
    )
    _full_clean(department, "invalid department")
    try:
        with transaction.atomic():
            department.save()
    except IntegrityError:
        raise ConflictError(f"department {code!r} already exists") from None
    groups = [department.group_name(role) for role in Membership.Role.values]
    for group_name in groups:
        Group.objects.get_or_create(name=group_name)
    record(
        action="department.create",
        actor=actor,
        system="" if actor else SYSTEM,
        target=department,
        department_code=department.code,
        after=_department_snapshot(department),
        detail={"groups": groups},
    )
    return department


@transaction.atomic
def membership_grant(
    *, actor: Actor, user: User, department: Department, role: str
) -> Membership:
    """Give a user a role in a department and put them in its groups.

    Granting a role the user already holds changes nothing and records nothing.
    """
    require_permission(actor, "credit.add_membership", "grant roles")
    if role not in ROLE_GROUPS:
        raise InvalidInputError(f"unknown role {role!r}")
    if not department.active:
        raise InvalidInputError(f"department {department.code} is not active")
    membership, created = Membership.objects.get_or_create(
        user=user,
        department=department,
        role=role,
        defaults={"granted_by": actor},
    )
    if not created:
        return membership
    groups = [department.group_name(role), ROLE_GROUPS[role]]
    user.groups.add(*(Group.objects.get_or_create(name=name)[0] for name in groups))
    record(
        action="membership.grant",
        actor=actor,
        system="" if actor else SYSTEM,
        target=membership,
        department_code=department.code,
        after=_membership_snapshot(user, department, role),
        detail={"groups_added": groups},
    )
    return membership


@transaction.atomic
def membership_revoke(
    *, actor: Actor, user: User, department: Department, role: str
) -> None:
    """Take a role in a department from a user and take them out of its groups.

    The user leaves the runtime's role group only if they hold the role in no
    other department.
    """
    require_permission(actor, "credit.delete_membership", "revoke roles")
    membership = (
        Membership.objects.select_for_update()
        .filter(user=user, department=department, role=role)
        .first()
    )
    if membership is None:
        raise NotFoundError(
            f"{user.get_username()} does not hold {role!r} in {department.code}"
        )
    membership_id = membership.pk
    membership.delete()
    groups = [department.group_name(role)]
    if not Membership.objects.filter(user=user, role=role).exists():
        groups.append(ROLE_GROUPS[role])
    user.groups.remove(*Group.objects.filter(name__in=groups))
    record(
        action="membership.revoke",
        actor=actor,
        system="" if actor else SYSTEM,
        target_type=Membership._meta.label_lower,
        target_id=str(membership_id),
        department_code=department.code,
        before=_membership_snapshot(user, department, role),
        detail={"groups_removed": groups},
    )


def _full_clean(obj: Department, message: str) -> None:
    try:
        obj.full_clean()
    except ValidationError as exc:
        problems = [
            f"{field}: {text}"
            for field, texts in exc.message_dict.items()
            for text in texts
        ]
        raise InvalidInputError(message, problems) from None


def _department_snapshot(department: Department) -> dict[str, Any]:
    return {
        "code": department.code,
        "name": department.name,
        "name_en": department.name_en,
        "jurisdiction": department.jurisdiction,
        "kinds": department.kinds,
        "active": department.active,
    }


def _membership_snapshot(
    user: User, department: Department, role: str
) -> dict[str, Any]:
    return {"user": user.get_username(), "department": department.code, "role": role}
