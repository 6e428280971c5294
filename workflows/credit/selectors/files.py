"""Read a case's attachments and documents: visible exactly when the case is.

Files carry no grants of their own, so a grant or revocation on the case covers
them at once. A staged attachment (uploaded, not yet on a case) is its uploader's
alone.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import AnonymousUser, User
from django.db.models import Q, QuerySet

from workflows.access.visibility import case_visible_exists, signed_in
from workflows.credit.models import Attachment, Case, Document
from workflows.errors import NotFoundError

AnyUser = User | AnonymousUser


def _attachments_visible(user: AnyUser) -> Q:
    visible = case_visible_exists(user)
    if signed_in(user):
        visible |= Q(case__isnull=True, uploaded_by_id=user.pk)
    return visible


def attachment_list_for_case(user: AnyUser, case: Case) -> QuerySet[Attachment]:
    """Return the attachments of a case the user may see, oldest first."""
    return (
        Attachment.objects.filter(case_id=case.pk)
        .filter(case_visible_exists(user))
        .order_by("uploaded_at", "pk")
    )


def attachment_get(user: AnyUser, pk: Any) -> Attachment:
    """Return an attachment the user may see; any other id is "not found"."""
    try:
        wanted = int(pk)
    except (TypeError, ValueError):
        raise NotFoundError("no such attachment") from None
    found = (
        Attachment.objects.filter(pk=wanted)
        .filter(_attachments_visible(user))
        .select_related("case")
        .first()
    )
    if found is None:
        raise NotFoundError("no such attachment")
    return found


def document_list_for_case(user: AnyUser, case: Case) -> QuerySet[Document]:
    """Return the documents of a case the user may see, oldest first."""
    return (
        Document.objects.filter(case_id=case.pk)
        .filter(case_visible_exists(user))
        .select_related("issuing_department")
        .order_by("created_at", "pk")
    )


def document_get(user: AnyUser, pk: Any) -> Document:
    """Return a document the user may see; any other id is "not found"."""
    try:
        wanted = int(pk)
    except (TypeError, ValueError):
        raise NotFoundError("no such document") from None
    found = (
        Document.objects.filter(pk=wanted)
        .filter(case_visible_exists(user))
        .select_related("case", "issuing_department")
        .first()
    )
    if found is None:
        raise NotFoundError("no such document")
    return found
