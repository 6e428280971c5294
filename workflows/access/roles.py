"""What a user is: their roles (groups) and their departments."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import AnonymousUser, User
from django.db.models import Exists, Q

from workflows import roles
from workflows.credit.models import Department

# Roles that see every case, record, task and file (read-only for auditors).
SEE_ALL_ROLES = (roles.AUDITOR, roles.SYSTEM_ADMIN)
# Roles that may never claim, complete or decide, whatever groups they are in.
NON_DECIDING_ROLES = (roles.AUDITOR, roles.PROCESS_ADMIN)

AnyUser = User | AnonymousUser | None


def _signed_in(user: AnyUser) -> bool:
    return (
        user is not None
        and not isinstance(user, AnonymousUser)
        and bool(user.is_authenticated)
    )


def group_names(user: AnyUser) -> frozenset[str]:
    """Return the names of the user's groups, cached on the user object."""
    if user is None or not _signed_in(user):
        return frozenset()
    cached: frozenset[str] | None = getattr(user, "_access_group_names", None)
    if cached is None:
        cached = frozenset(user.groups.values_list("name", flat=True))
        user._access_group_names = cached  # type: ignore[union-attr]
    return cached


def roles_of(user: AnyUser) -> frozenset[str]:
    """Return the user's roles (``workflows.roles`` names); superusers are admins."""
    held = frozenset(name for name in group_names(user) if name in roles.ROLES)
    if user is not None and _signed_in(user) and user.is_superuser:
        held |= {roles.SYSTEM_ADMIN}
    return held


def is_auditor(user: AnyUser) -> bool:
    """Say if the user audits: reads everything, changes nothing."""
    return roles.AUDITOR in roles_of(user)


def is_process_admin(user: AnyUser) -> bool:
    """Say if the user is a process administrator (models, catalogues, no cases)."""
    return roles.PROCESS_ADMIN in roles_of(user)


def is_system_admin(user: AnyUser) -> bool:
    """Say if the user is a system administrator (or a superuser)."""
    return roles.SYSTEM_ADMIN in roles_of(user)


def sees_everything(user: AnyUser) -> bool:
    """Say if the user may read every case, task, record and file."""
    return bool(roles_of(user) & set(SEE_ALL_ROLES))


def may_decide(user: AnyUser) -> bool:
    """Say if the user may act on work at all: auditors and process admins may not."""
    return _signed_in(user) and not (roles_of(user) & set(NON_DECIDING_ROLES))


def departments_of(user: AnyUser) -> list[Department]:
    """Return the active departments the user holds any role in, by code."""
    if not isinstance(user, User) or not _signed_in(user):
        return []
    return list(Department.objects.active().filter(memberships__user=user).distinct())


def department_codes(user: AnyUser) -> frozenset[str]:
    """Return the codes of the departments whose "CODE.role" groups the user is in."""
    return frozenset(name.split(".", 1)[0] for name in group_names(user) if "." in name)


def sees_everything_sql(user: Any) -> Q:
    """The "auditor or system administrator" test as SQL, for one-query lists.

    Uncorrelated, so the database evaluates it once per query, not once per row.
    """
    return in_role_sql(user, *SEE_ALL_ROLES)


def in_role_sql(user: Any, *role_names: str) -> Q:
    """The "user holds one of these roles" test as SQL (superusers hold all)."""
    if user.is_superuser:
        return Q(pk__isnull=False)
    membership = User.groups.through.objects.filter(
        user_id=user.pk, group__name__in=role_names
    )
    return Q(Exists(membership))
