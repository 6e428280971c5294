"""Fixtures for the credit domain's tests."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from django.contrib.auth.models import Permission, User

from audit.context import bind
from audit.models import AuditEvent
from tests.credit.factories import UserFactory


@pytest.fixture(autouse=True)
def _audit_context() -> Iterator[None]:
    with bind(via="test", request_id="credit-test"):
        yield


def grant(user: User, *perms: str) -> User:
    """Give a user model permissions ("credit.add_department") and reload it."""
    for perm in perms:
        app_label, codename = perm.split(".")
        user.user_permissions.add(
            Permission.objects.get(content_type__app_label=app_label, codename=codename)
        )
    return User.objects.get(pk=user.pk)


@contextmanager
def audited(*expected: str) -> Iterator[list[AuditEvent]]:
    """Assert the block appends exactly these audit events, in this order."""
    last = AuditEvent.objects.order_by("-seq").values_list("seq", flat=True).first()
    events: list[AuditEvent] = []
    yield events
    events.extend(AuditEvent.objects.filter(seq__gt=last or 0).order_by("seq"))
    assert [event.action for event in events] == list(expected)


def audit_count() -> Counter[str]:
    return Counter(AuditEvent.objects.values_list("action", flat=True))


@pytest.fixture
def credit_admin(db: None) -> Any:
    """A credit administrator: may create departments and grant or revoke roles."""
    return grant(
        UserFactory.create(username="credit-admin"),
        "credit.add_department",
        "credit.add_membership",
        "credit.delete_membership",
    )


@pytest.fixture
def outsider(db: None) -> Any:
    """A user without any permission."""
    return UserFactory.create(username="outsider-zhao")
