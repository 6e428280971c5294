"""Fixtures of the auditors' workspace: people by role and a small recorded trail."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.conf import settings
from django.contrib.auth.models import Group, User
from django.db import transaction
from django.test import Client
from django.utils import translation

from audit.context import bind
from audit.models import AuditEvent
from audit.services import record
from tests.credit.factories import (
    CaseFactory,
    DepartmentFactory,
    SubjectFactory,
    make_uscc,
)

PASSWORD = "pw-Test-2026!"


@pytest.fixture(autouse=True)
def _audit_context() -> Iterator[None]:
    with bind(via="test", request_id="auditing-test", ip="192.0.2.7"):
        yield


def role_user(username: str, *groups: str, **extra: Any) -> User:
    """Create a user in the named role groups."""
    user = User.objects.create_user(username, password=PASSWORD, **extra)
    for name in groups:
        # get_or_create: a transactional test's flush drops migration-made groups.
        user.groups.add(Group.objects.get_or_create(name=name)[0])
    return User.objects.get(pk=user.pk)


@pytest.fixture
def auditor(db: None) -> User:
    return role_user("auditor_wang", "auditor")


@pytest.fixture
def auditor_client(auditor: User) -> Client:
    client = Client()
    client.force_login(auditor)
    return client


@pytest.fixture
def reviewer(db: None) -> User:
    return role_user("reviewer_li", "reviewer")


@pytest.fixture
def trail(db: None, reviewer: User) -> dict[str, Any]:
    """A few events of two cases, one of them about a known subject."""
    for code in ("SCJ", "SWJ"):
        DepartmentFactory.create(code=code)
    subject = SubjectFactory.create(code=make_uscc(77))
    case = CaseFactory.create(number="XF-2026-000077", subject=subject)
    other = CaseFactory.create(number="YY-2026-000001", case_type="objection")
    with transaction.atomic():
        filed = record(
            action="case.file",
            actor=reviewer,
            target=case,
            case_number=case.number,
            department_code="SCJ",
            after={"status": "submitted", "reason": "已整改"},
        )
        status = record(
            action="case.status",
            actor=None,
            system="engine",
            target=case,
            case_number=case.number,
            department_code="SCJ",
            before={"status": "submitted", "deadline": {"acceptance": "2026-06-05"}},
            after={"status": "accepted", "deadline": {"acceptance": None}},
        )
        task = record(
            action="task.complete",
            actor=reviewer,
            case_number=other.number,
            department_code="SWJ",
            detail={"element": "formal_check"},
        )
    return {
        "subject": subject,
        "case": case,
        "other": other,
        "file": filed.seq,
        "status": status.seq,
        "task": task.seq,
    }


def shown(message: str) -> str:
    """A message as the pages show it: in the default language, Chinese."""
    with translation.override(settings.LANGUAGE_CODE):
        return translation.gettext(message)


def audit_actions_since(seq: int) -> list[str]:
    """Return the actions of the events appended after ``seq``, in order."""
    return list(
        AuditEvent.objects.filter(seq__gt=seq)
        .order_by("seq")
        .values_list("action", flat=True)
    )
