"""The runtime service fixtures (models in tests/workflows/bpmn/), shared here."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.models import Group, User

from tests.workflows.services.conftest import (
    _audit_context,
    chief,
    colleague,
    deploy,
    operator,
    outsider,
    reviewer,
    start,
)
from workflows import roles

__all__ = [
    "_audit_context",
    "auditor",
    "chief",
    "colleague",
    "deploy",
    "operator",
    "outsider",
    "process_admin",
    "reviewer",
    "start",
]


def _reviewer_in_role(username: str, role: str) -> User:
    user = User.objects.create_user(username)
    user.groups.add(Group.objects.get_or_create(name="reviewers")[0])
    user.groups.add(Group.objects.get(name=role))
    return User.objects.get(pk=user.pk)


@pytest.fixture
def auditor(db: None) -> Any:
    """An auditor who also happens to be in the reviewers group."""
    return _reviewer_in_role("auditor-sun", roles.AUDITOR)


@pytest.fixture
def process_admin(db: None) -> Any:
    """A process administrator who also happens to be in the reviewers group."""
    return _reviewer_in_role("modeller-zhou", roles.PROCESS_ADMIN)
