"""Fixtures for the bpmn command tests: users, model files, a started review."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.contrib.auth.models import Group, Permission, User

from tests.workflows.cli.models import BROKEN, REVIEW, WAIT_AN_HOUR
from tests.workflows.cli.support import Bpmn, run_bpmn, write_model
from workflows.models import ProcessInstance


@pytest.fixture
def bpmn() -> Bpmn:
    return run_bpmn


def _user(username: str, *codenames: str) -> User:
    user = User.objects.create_user(username=username)
    for codename in codenames:
        user.user_permissions.add(Permission.objects.get(codename=codename))
    return user


@pytest.fixture
def deployer(db: None) -> User:
    return _user("deployer", "deploy_definition")


@pytest.fixture
def starter(db: None) -> User:
    return _user("starter", "start_process")


@pytest.fixture
def clerk(db: None) -> User:
    """A user without any runtime permission."""
    return _user("clerk")


@pytest.fixture
def operator(db: None) -> User:
    return User.objects.create_superuser("operator", password=None)


@pytest.fixture
def model_dir(tmp_path: Path) -> Path:
    (tmp_path / "review.bpmn").write_text(REVIEW, encoding="utf-8")
    return tmp_path


@pytest.fixture
def broken_file(tmp_path: Path) -> Path:
    return write_model(tmp_path / "broken", "broken.bpmn", BROKEN)


@pytest.fixture
def wait_file(tmp_path: Path) -> Path:
    return write_model(tmp_path / "wait", "wait.bpmn", WAIT_AN_HOUR)


@pytest.fixture
def reviewer(bpmn: Bpmn, model_dir: Path, deployer: User) -> User:
    """A member of the reviewers group, once the review model is deployed."""
    assert (
        bpmn("deploy", str(model_dir), "--create-groups", "--as", "deployer").code == 0
    )
    user = User.objects.create_user(username="reviewer")
    user.groups.add(Group.objects.get(name="reviewers"))
    return user


@pytest.fixture
def started(bpmn: Bpmn, reviewer: User, starter: User) -> ProcessInstance:
    run = bpmn(
        "start",
        "cli_review",
        "--key",
        "CASE-1",
        "--data",
        '{"amount": 120}',
        "--as",
        "starter",
    )
    assert run.code == 0, run.err
    return ProcessInstance.objects.get(business_key="CASE-1")
