"""Reads for the public, without sign-in: the published lists.

What is public (domain.md §3): entries of the serious-dishonesty list that are listed
and within their validity period, and red-list entries that are listed and valid or
in their public-notice period (公示, when anyone may object). Shown: the subject's
name, kind and code (a natural person's ID number masked), the deciding department,
the decision number, the basis and the validity. Never shown: contact details,
representatives' accounts, records' facts, case notes, exited or revoked entries.

Search matches a name by substring, a code only whole (so an ID number cannot be
found by guessing its parts).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Final

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import get_language

from workflows.credit.models import ListEntry
from workflows.credit.models.lists import ListEntryQuerySet
from workflows.errors import NotFoundError

PUBLIC_LIST_TYPES: Final = (
    ListEntry.ListType.SERIOUS_DISHONESTY,
    ListEntry.ListType.RED,
)
# Fields a public query may load: nothing else reaches the page.
PUBLIC_FIELDS: Final = (
    "list_type",
    "status",
    "decision_number",
    "basis",
    "valid_from",
    "valid_to",
    "subject__kind",
    "subject__name",
    "subject__code",
    "deciding_department__code",
    "deciding_department__name",
    "deciding_department__name_en",
)
MAX_QUERY_LENGTH: Final = 100


@dataclass(frozen=True, slots=True)
class PublicListEntry:
    """One published entry, holding only what the public may see."""

    pk: int
    list_type: str
    subject_name: str
    subject_kind: str
    subject_code: str
    department: str
    decision_number: str
    basis: str
    valid_from: dt.date | None
    valid_to: dt.date | None
    in_public_notice: bool


def _published(list_type: str, on: dt.date) -> Q:
    in_force = Q(status=ListEntry.Status.LISTED, valid_from__lte=on) & (
        Q(valid_to__isnull=True) | Q(valid_to__gte=on)
    )
    if list_type == ListEntry.ListType.RED:
        return in_force | Q(status=ListEntry.Status.NOTICED)
    return in_force


def normalise_query(query: str) -> str:
    """Trim a search term to something safe and sensible to look for."""
    return " ".join(query.split())[:MAX_QUERY_LENGTH]


def public_list_entries(
    list_type: str, query: str = "", *, on: dt.date | None = None
) -> ListEntryQuerySet:
    """Return the published entries of a public list, optionally searched."""
    if list_type not in PUBLIC_LIST_TYPES:
        raise NotFoundError("no such public list")
    day = on or timezone.localdate()
    entries = ListEntry.objects.filter(_published(list_type, day), list_type=list_type)
    term = normalise_query(query)
    if term:
        entries = entries.filter(
            Q(subject__name__icontains=term) | Q(subject__code=term.upper())
        )
    return (
        entries.select_related("subject", "deciding_department")
        .only(*PUBLIC_FIELDS)
        .order_by("-valid_from", "-pk")
    )


def public_entry(entry: ListEntry) -> PublicListEntry:
    """Reduce a list entry to its public face (masks natural persons' ID numbers)."""
    subject = entry.subject
    department = entry.deciding_department
    english = (get_language() or "").startswith("en")
    return PublicListEntry(
        pk=entry.pk,
        list_type=entry.list_type,
        subject_name=subject.name,
        subject_kind=subject.kind,
        subject_code=subject.masked_code,
        department=(department.name_en if english else "") or department.name,
        decision_number=entry.decision_number,
        basis=entry.basis,
        valid_from=entry.valid_from,
        valid_to=entry.valid_to,
        in_public_notice=entry.status == ListEntry.Status.NOTICED,
    )
