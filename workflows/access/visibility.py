"""SQL conditions for "may this user see this row", one query per list.

Every condition is an ``Exists`` on a direct-FK permission table (correlated by
``content_object``) or on a relation the row carries (the subject's accounts, the
source department's members), ORed with the uncorrelated "auditor or system
administrator" test. Nothing is collected in Python first: a list is one query
whatever the user holds.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import AnonymousUser, User
from django.db.models import Exists, Model, OuterRef, Q

from workflows import roles
from workflows.access.roles import SEE_ALL_ROLES, in_role_sql, sees_everything_sql
from workflows.credit.models import (
    Case,
    CaseGroupObjectPermission,
    CaseUserObjectPermission,
    CreditRecordGroupObjectPermission,
    CreditRecordUserObjectPermission,
    ListEntry,
    ListEntryGroupObjectPermission,
    ListEntryUserObjectPermission,
    Membership,
    Subject,
)
from workflows.models import (
    HumanTaskGroupObjectPermission,
    HumanTaskUserObjectPermission,
)

NOTHING = Q(pk__in=[])
AnyUser = User | AnonymousUser | None


def signed_in(user: AnyUser) -> bool:
    return (
        user is not None
        and not isinstance(user, AnonymousUser)
        and bool(user.is_authenticated)
        and bool(user.is_active)
    )


def granted(
    user: Any,
    codename: str,
    user_table: type[Model],
    group_table: type[Model],
    outer: str = "pk",
) -> Q:
    """The row carries ``codename`` for the user, directly or through a group."""
    direct = user_table._default_manager.filter(
        content_object=OuterRef(outer), user_id=user.pk, permission__codename=codename
    )
    via_group = group_table._default_manager.filter(
        content_object=OuterRef(outer),
        group__user=user.pk,
        permission__codename=codename,
    )
    return Q(Exists(direct)) | Q(Exists(via_group))


def _subject_account(user: Any, outer: str = "subject_id") -> Q:
    accounts = Subject.accounts.through.objects.filter(
        subject_id=OuterRef(outer), user_id=user.pk
    )
    return Q(Exists(accounts))


def _member_of(user: Any, outer: str) -> Q:
    return Q(
        Exists(
            Membership.objects.filter(user_id=user.pk, department_id=OuterRef(outer))
        )
    )


def case_visible(user: AnyUser) -> Q:
    """Cases the user may see: party, subject's account, granted, or auditor/admin."""
    if not signed_in(user):
        return NOTHING
    return (
        sees_everything_sql(user)
        | Q(applicant_id=user.pk)  # type: ignore[union-attr]
        | Q(agent_id=user.pk)  # type: ignore[union-attr]
        | _subject_account(user)
        | granted(
            user, "view_case", CaseUserObjectPermission, CaseGroupObjectPermission
        )
    )


def case_visible_exists(user: AnyUser, outer: str = "case_id") -> Q:
    """Rows whose case (``outer``) the user may see, as one correlated subquery."""
    if not signed_in(user):
        return NOTHING
    cases = Case.objects.filter(pk=OuterRef(outer)).filter(case_visible(user))
    return Q(Exists(cases))


def record_visible(user: AnyUser) -> Q:
    """Records: the subject's accounts, the source department, granted, auditors."""
    if not signed_in(user):
        return NOTHING
    return (
        sees_everything_sql(user)
        | _subject_account(user)
        | _member_of(user, "source_department_id")
        | granted(
            user,
            "view_creditrecord",
            CreditRecordUserObjectPermission,
            CreditRecordGroupObjectPermission,
        )
    )


def list_entry_visible(user: AnyUser) -> Q:
    """Entries: the deciding department, granted (e.g. implementing departments
    with measures to apply), the subject's accounts once noticed, auditors, and
    process administrators, who keep the lists and their catalogues (read only:
    the services never let them decide)."""
    if not signed_in(user):
        return NOTHING
    noticed = ~Q(status=ListEntry.Status.PROPOSED)
    return (
        in_role_sql(user, *SEE_ALL_ROLES, roles.PROCESS_ADMIN)
        | (_subject_account(user) & noticed)
        | _member_of(user, "deciding_department_id")
        | granted(
            user,
            "view_listentry",
            ListEntryUserObjectPermission,
            ListEntryGroupObjectPermission,
        )
    )


def task_visible(user: AnyUser) -> Q:
    """Tasks the user holds a view grant on (own or a group's), or auditors/admins."""
    if not signed_in(user):
        return NOTHING
    return sees_everything_sql(user) | granted(
        user,
        "view_humantask",
        HumanTaskUserObjectPermission,
        HumanTaskGroupObjectPermission,
    )


def task_claimable(user: AnyUser) -> Q:
    """Tasks one of the user's groups holds the claim grant on."""
    if not signed_in(user):
        return NOTHING
    via_group = HumanTaskGroupObjectPermission.objects.filter(
        content_object=OuterRef("pk"),
        group__user=user.pk,  # type: ignore[union-attr]
        permission__codename="claim_humantask",
    )
    return Q(Exists(via_group))
