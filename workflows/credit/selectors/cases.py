"""Read cases, filtered by who may see them (one query per list)."""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser, User

from workflows.access.visibility import case_visible
from workflows.credit.models import Case
from workflows.credit.models.cases import CaseQuerySet
from workflows.errors import NotFoundError


def case_list_for_user(user: User | AnonymousUser) -> CaseQuerySet:
    """Return the cases the user may see, newest first."""
    return (
        Case.objects.filter(case_visible(user))
        .select_related("subject")
        .order_by("-created_at", "-pk")
    )


def case_get(user: User | AnonymousUser, number: str) -> Case:
    """Return a case the user may see by its number; any other is "not found"."""
    case = case_list_for_user(user).filter(number=str(number)).first()
    if case is None:
        raise NotFoundError(f"no case {number}")
    return case
