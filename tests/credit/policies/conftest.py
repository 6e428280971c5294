"""Deploy the credit policy tables from ``bpmn/`` for the policy tests."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth.models import User

from workflows.credit.policies import POLICY_IDS
from workflows.engine.parsing import SourceFile
from workflows.services.deploy import DeployResult, definition_deploy

POLICY_DIR = Path(settings.BASE_DIR) / "bpmn"

Deploy = Callable[[str, str], DeployResult]


def policy_text(policy_id: str) -> str:
    """Read a policy table as it is in the repository."""
    return (POLICY_DIR / f"{policy_id}.dmn").read_text(encoding="utf-8")


@pytest.fixture
def admin(django_user_model: type[User]) -> User:
    return django_user_model.objects.create_superuser("policy_admin")


@pytest.fixture
def deploy_policy(admin: User) -> Deploy:
    """Deploy one policy file under its own name, from the given text."""

    def deploy(policy_id: str, text: str) -> DeployResult:
        source = SourceFile(f"{policy_id}.dmn", text.encode("utf-8"))
        return definition_deploy(actor=admin, files=[source])

    return deploy


@pytest.fixture
def policies(admin: User) -> DeployResult:
    """Deploy every credit policy table of ``bpmn/`` in one deploy."""
    files = [
        SourceFile(f"{policy_id}.dmn", policy_text(policy_id).encode("utf-8"))
        for policy_id in POLICY_IDS
    ]
    return definition_deploy(actor=admin, files=files)
