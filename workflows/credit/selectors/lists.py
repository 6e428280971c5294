"""Read list entries, filtered by who may see them (one query per list)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import AnonymousUser, User

from workflows.access.visibility import list_entry_visible
from workflows.credit.models import ListEntry
from workflows.credit.models.lists import ListEntryQuerySet
from workflows.errors import NotFoundError


def list_entry_list_for_user(user: User | AnonymousUser) -> ListEntryQuerySet:
    """Return the list entries the user may see, newest first."""
    return (
        ListEntry.objects.filter(list_entry_visible(user))
        .select_related("subject", "deciding_department")
        .order_by("-created_at", "-pk")
    )


def list_entry_get(user: User | AnonymousUser, pk: Any) -> ListEntry:
    """Return a list entry the user may see; any other id is "not found"."""
    try:
        found = list_entry_list_for_user(user).filter(pk=int(pk)).first()
    except (TypeError, ValueError):
        found = None
    if found is None:
        raise NotFoundError("no such list entry")
    return found
