"""Show a subject's full ID number to staff allowed to see it, and audit each view."""

from __future__ import annotations

from typing import Final

from django.contrib.auth.models import User
from django.db import transaction

from audit.services import record
from workflows.credit.models import Subject
from workflows.credit.selectors.cases import case_list_for_user
from workflows.credit.selectors.records import credit_record_list_for_user
from workflows.errors import ForbiddenError, NotFoundError

FULL_IDENTIFIER_PERMISSION: Final = "credit.view_full_identifier"


def subject_for_reveal(user: User, pk: int) -> Subject:
    """Return a subject the user may see the full number of, else NotFoundError.

    The user needs the permission, and the subject must be on a case or a credit
    record the user may see: the permission is not a licence to look up anyone.
    """
    if not user.has_perm(FULL_IDENTIFIER_PERMISSION):
        raise NotFoundError("no such subject")
    visible = (
        case_list_for_user(user).filter(subject_id=pk).exists()
        or credit_record_list_for_user(user).filter(subject_id=pk).exists()
    )
    subject = Subject.objects.filter(pk=pk).first() if visible else None
    if subject is None:
        raise NotFoundError("no such subject")
    return subject


@transaction.atomic
def subject_identifier_reveal(*, actor: User, subject: Subject) -> str:
    """Return the subject's full code, recording who saw it (never the code itself)."""
    if not actor.has_perm(FULL_IDENTIFIER_PERMISSION):
        raise ForbiddenError("not allowed to see full ID numbers")
    record(
        action="subject.identifier_reveal",
        actor=actor,
        target=subject,
        detail={"kind": subject.kind},
    )
    return subject.code
