"""Read subjects."""

from __future__ import annotations

from django.contrib.auth.models import User

from workflows.credit.identifiers import normalise_identifier
from workflows.credit.models import Subject
from workflows.credit.models.subjects import SubjectQuerySet
from workflows.errors import NotFoundError


def subject_get_by_code(*, code: str) -> Subject:
    """Return the subject with this credit code or ID number, or raise NotFoundError."""
    subject = Subject.objects.filter(code=normalise_identifier(code)).first()
    if subject is None:
        raise NotFoundError("no subject with this code")
    return subject


def subject_list_for_account(*, user: User) -> SubjectQuerySet:
    """Return the subjects the user may act for."""
    return Subject.objects.represented_by(user).order_by("name", "pk")
