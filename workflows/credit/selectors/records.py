"""Read credit records, filtered by who may see them (one query per list)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import AnonymousUser, User

from workflows.access.visibility import record_visible
from workflows.credit.models import CreditRecord
from workflows.credit.models.records import CreditRecordQuerySet
from workflows.errors import NotFoundError


def credit_record_list_for_user(user: User | AnonymousUser) -> CreditRecordQuerySet:
    """Return the records the user may see, newest decision first."""
    return (
        CreditRecord.objects.filter(record_visible(user))
        .select_related("subject", "source_department")
        .order_by("-decision_date", "-pk")
    )


def credit_record_get(user: User | AnonymousUser, pk: Any) -> CreditRecord:
    """Return a record the user may see; any other id is "not found"."""
    try:
        found = credit_record_list_for_user(user).filter(pk=int(pk)).first()
    except (TypeError, ValueError):
        found = None
    if found is None:
        raise NotFoundError("no such credit record")
    return found
